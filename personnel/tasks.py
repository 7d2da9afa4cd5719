"""Celery tasks of the staff records: look up ids, call services. Idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="personnel.recompute_all")
def recompute_all() -> int:
    """Recompute every file's dates after the law's data changed (running it twice changes nothing)."""
    from personnel import services

    return services.recompute_all()
