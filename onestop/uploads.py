"""Checking uploaded files by their content, not their name."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import puremagic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What the content must be, by the extension it claims.
ALLOWED = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def sniff(head: bytes) -> str | None:
    """The MIME type the bytes really are (among those accepted), or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    try:
        match = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        return None
    return match if match in ALLOWED.values() else None


def check_upload(uploaded) -> tuple[str, int, str]:
    """Validate an uploaded file; returns (content type, size, sha256) or raises ValidationError."""
    name = uploaded.name or ""
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”: only PDF, JPG and PNG files are accepted."),
            code="file_type",
            params={"name": name},
        )
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB."),
            code="file_size",
            params={"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})
    uploaded.seek(0)
    head = uploaded.read(2048)
    real = sniff(head)
    if real != ALLOWED[ext]:
        raise ValidationError(
            _("“%(name)s” is not really a %(ext)s file; its content does not match its name."),
            code="file_content",
            params={"name": name, "ext": ext.lstrip(".").upper()},
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return real, uploaded.size, digest.hexdigest()
