"""Celery tasks of the documents app: look up ids, call services; idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="documents.read_file_text", acks_late=True)
def read_file_text(file_id: int) -> str:
    from documents import services

    return services.read_file_text(file_id)


@shared_task(name="documents.ocr_file", acks_late=True, soft_time_limit=900)
def ocr_file(file_id: int) -> str:
    """OCR of a scanned PDF (Tesseract, Vietnamese): slow, so never in a request."""
    from documents import services

    return services.ocr_file(file_id)
