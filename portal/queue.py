"""Queueing side effects so that they can never lose or block a commit.

``enqueue(task, *args)`` sends the task after the surrounding transaction
commits. If the broker is down the send fails quietly (logged): the data is
already in the database and the periodic sweep, which reads the database,
does the work later. Tasks are idempotent, so a late duplicate is harmless.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def send_now(task, *args, **kwargs) -> bool:
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
        return True
    except Exception as exc:  # noqa: BLE001 - any broker failure must not reach the user
        log.warning("broker unavailable, %s left for the sweep: %s", task.name, exc)
        return False


def enqueue(task, *args, **kwargs) -> None:
    transaction.on_commit(lambda: send_now(task, *args, **kwargs))
