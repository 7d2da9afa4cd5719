"""Files: checked by their content, stored privately, served only as what they really are.

Every upload, a citizen's or an official's, goes through :func:`check_upload`
with a :class:`Policy` naming what it may be:

- the extension must be one the policy allows, and the bytes must really be
  that type (sniffed: magic numbers; for Office Open XML and OpenDocument,
  the parts inside the ZIP container);
- PDFs that carry JavaScript, launch actions, embedded files or rich media
  are refused (a PDF is a program as much as a document);
- size limits per policy; empty files are refused.

Files are kept in the default storage (a private directory outside the web
root, or S3-compatible object storage shared by every node: see STORAGES in
portal/settings.py) under
generated names by :func:`store`, with their SHA-256, size and sniffed type
(:class:`StoredFile`). :func:`file_response` serves them, after the caller's
``visible_to`` check, with their sniffed type, ``nosniff``, a sandboxing
Content Security Policy and, unless they are a PDF or an image shown on
purpose, as an attachment: an uploaded file can never run as a page of the
portal's origin.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MB = 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

EXTENSION_OF = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", DOCX: "docx", XLSX: "xlsx", ODT: "odt"}
INLINE_TYPES = {PDF, JPEG, PNG, WEBP}


@dataclass(frozen=True)
class Policy:
    """What an upload may be: allowed extensions (each with the type its content must have), size."""

    name: str
    allowed: dict[str, str]
    max_bytes: int = 10 * MB
    description: str = ""

    @property
    def accept(self) -> str:
        """For the browser's file picker: ``.pdf,.jpg,…``."""
        return ",".join(self.allowed)

    @property
    def max_mb(self) -> int:
        return self.max_bytes // MB


CITIZEN_DOCUMENTS = Policy(
    "citizen",
    {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG},
    description=_("PDF, JPG or PNG"),
)
OFFICE_DOCUMENTS = Policy(
    "office",
    {".pdf": PDF, ".docx": DOCX, ".odt": ODT, ".xlsx": XLSX},
    max_bytes=20 * MB,
    description=_("PDF, DOCX, ODT or XLSX"),
)
PHOTOS = Policy(
    "photo",
    {".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".webp": WEBP},
    description=_("JPG, PNG or WEBP"),
)

# PDF name objects that make a document act rather than show (ISO 32000-1 §12.6, §7.11.4, §13.2).
ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/Launch", "/RichMedia", "/XFA"}


def _zip_type(data: bytes) -> str | None:
    """The Office Open XML or OpenDocument type of a ZIP container, from its parts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared == ODT else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The type the bytes really are (among those the portal knows), or None."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    try:
        match = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        return None
    return match if match in EXTENSION_OF else None


def _walk_pdf(value, seen: set[int], depth: int = 0) -> bool:
    """True when a PDF object (followed through references) holds an active key."""
    if depth > 60:
        return False
    if isinstance(value, IndirectObject):
        ident = (value.idnum << 16) | value.generation
        if ident in seen:
            return False
        seen.add(ident)
        try:
            value = value.get_object()
        except Exception:  # noqa: BLE001 - a broken reference holds nothing we can follow
            return False
    if isinstance(value, DictionaryObject):
        if ACTIVE_PDF_KEYS & set(value.keys()):
            return True
        if value.get("/S") in ("/JavaScript", "/Launch"):
            return True
        return any(_walk_pdf(v, seen, depth + 1) for v in value.values())
    if isinstance(value, ArrayObject):
        return any(_walk_pdf(v, seen, depth + 1) for v in value)
    return False


class UnreadablePDF(Exception):
    """The bytes start like a PDF but cannot be parsed as one."""


def pdf_is_active(data: bytes) -> bool:
    """True when the PDF carries JavaScript, launch actions, embedded files or rich media.

    Every object is read through pypdf (object streams and ``#xx`` escaped
    names included), from the trailer down. A PDF pypdf cannot parse at all
    raises :class:`UnreadablePDF`: what cannot be inspected is not accepted.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadablePDF(str(exc)) from exc
    try:
        seen: set[int] = set()
        if _walk_pdf(reader.trailer, seen):
            return True
        for generation, objects in reader.xref.items():
            for idnum in objects:
                if _walk_pdf(IndirectObject(idnum, generation, reader), seen):
                    return True
        for idnum in getattr(reader, "xref_objStm", {}):
            if _walk_pdf(IndirectObject(idnum, 0, reader), seen):
                return True
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return True
    # Belt and braces for objects the parser skipped: the plain names, unescaped.
    return b"/JavaScript" in data


@dataclass(frozen=True)
class Checked:
    """What :func:`check_upload` found: the real type, size and digest."""

    content_type: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSION_OF[self.content_type]


def _read(uploaded) -> bytes:
    uploaded.seek(0)
    data = b"".join(uploaded.chunks()) if hasattr(uploaded, "chunks") else uploaded.read()
    uploaded.seek(0)
    return data


def check_upload(uploaded, policy: Policy = CITIZEN_DOCUMENTS) -> Checked:
    """Validate an uploaded file against ``policy``; raise ValidationError naming the file."""
    name = (uploaded.name or "").replace("\x00", "")
    ext = PurePath(name).suffix.lower()
    if ext not in policy.allowed:
        raise ValidationError(
            _("“%(name)s”: only %(types)s files are accepted."),
            code="file_type",
            params={"name": name, "types": policy.description},
        )
    size = uploaded.size or 0
    if size > policy.max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB."),
            code="file_size",
            params={"name": name, "mb": policy.max_mb},
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="file_empty", params={"name": name})
    data = _read(uploaded)
    real = sniff(data)
    if real != policy.allowed[ext]:
        raise ValidationError(
            _("“%(name)s” is not really a %(ext)s file; its content does not match its name."),
            code="file_content",
            params={"name": name, "ext": ext.lstrip(".").upper()},
        )
    try:
        active = real == PDF and pdf_is_active(data)
    except UnreadablePDF:
        raise ValidationError(
            _("“%(name)s” seems damaged: it cannot be read as a PDF. Save or scan it again."),
            code="file_damaged",
            params={"name": name},
        )
    if active:
        raise ValidationError(
            _(
                "“%(name)s” contains scripts or embedded files, which are not accepted. Print it to PDF again."
            ),
            code="file_active",
            params={"name": name},
        )
    return Checked(real, len(data), hashlib.sha256(data).hexdigest())


def validator(policy: Policy):
    """A model/form field validator running :func:`check_upload` (for FileFields officials fill)."""

    def validate(value):
        upload = getattr(value, "file", value)
        if getattr(value, "_committed", True) and not hasattr(upload, "content_type"):
            return  # a file already stored (checked when it was uploaded)
        check_upload(value, policy)

    validate.__name__ = f"validate_{policy.name}_upload"
    return validate


def validate_office_document(value):
    """Field validator: PDF, DOCX, ODT or XLSX by content (staff uploads such as form templates)."""
    return validator(OFFICE_DOCUMENTS)(value)


class StoredFile(models.Model):
    """A private file: generated name, original name, sniffed type, size and SHA-256."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def generated_name(content_type: str) -> str:
    return f"{secrets.token_hex(16)}.{EXTENSION_OF.get(content_type, 'bin')}"


def store(
    record: StoredFile,
    uploaded,
    policy: Policy = CITIZEN_DOCUMENTS,
    field: str = "file",
    checked: Checked | None = None,
) -> StoredFile:
    """Check ``uploaded`` (unless ``checked`` says it was) and fill ``record`` (unsaved) with it."""
    checked = checked or check_upload(uploaded, policy)
    record.original_name = (uploaded.name or "").replace("\x00", "")[-255:]
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    getattr(record, field).save(
        generated_name(checked.content_type), ContentFile(_read(uploaded)), save=False
    )
    return record


def store_bytes(record: StoredFile, data: bytes, original_name: str, content_type: str, field: str = "file"):
    """Fill ``record`` (unsaved) with bytes the portal made itself (a PDF letter, a result)."""
    record.original_name = original_name[-255:]
    record.content_type = content_type
    record.size = len(data)
    record.sha256 = hashlib.sha256(data).hexdigest()
    getattr(record, field).save(generated_name(content_type), ContentFile(data), save=False)
    return record


# --- photos: resized and stripped of metadata -------------------------------------------

PHOTO_MAX_SIDE = 1600  # pixels: sharp on a phone and a desk screen, about 200-400 KB as JPEG
PHOTO_MAX_PIXELS = 40_000_000  # a larger canvas is refused before decoding (decompression bombs)
_SAVE_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


def clean_image(data: bytes, content_type: str, max_side: int = PHOTO_MAX_SIDE) -> bytes:
    """The photo re-encoded: turned upright, at most ``max_side`` pixels, without any metadata.

    A phone's photo carries EXIF (the GPS position of the citizen's home, the
    camera's serial number, the time), XMP and comments. Only the pixels are
    kept: the orientation tag is applied to them, then the image is encoded
    afresh from its pixel data alone, so no metadata block survives. Raises
    ValidationError when the bytes cannot be decoded as an image or the
    canvas is absurdly large.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("The photo is too large (%(w)s × %(h)s pixels)."),
                    code="image_size",
                    params={"w": width, "h": height},
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
            image.thumbnail((max_side, max_side))
            pixels = _pixels_only(image, content_type)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The photo seems damaged: it cannot be read as an image."), code="image_damaged"
        ) from exc
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if content_type == JPEG else {}
    if content_type == WEBP:
        options = {"quality": 85}
    pixels.save(out, _SAVE_FORMAT[content_type], **options)
    return out.getvalue()


def _pixels_only(image, content_type: str):
    """A new image holding only ``image``'s pixels (no ``info``, EXIF, ICC or text chunks)."""
    from PIL import Image

    if content_type == JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    return fresh


def store_image(record: StoredFile, uploaded, policy: Policy = PHOTOS, field: str = "file", **kwargs):
    """Check a photo by content, re-encode it with :func:`clean_image` and fill ``record`` (unsaved)."""
    checked = check_upload(uploaded, policy)
    cleaned = clean_image(_read(uploaded), checked.content_type, **kwargs)
    return store_bytes(
        record, cleaned, (uploaded.name or "").replace("\x00", ""), checked.content_type, field
    )


def _open_stream(fieldfile):
    """(a readable stream, its size or None): from object storage without a local copy."""
    storage = fieldfile.storage
    bucket = getattr(storage, "bucket", None)
    if bucket is not None and hasattr(storage, "_normalize_name"):  # django-storages' S3Storage
        from botocore.exceptions import ClientError
        from storages.utils import clean_name

        try:
            found = bucket.Object(storage._normalize_name(clean_name(fieldfile.name))).get()
        except ClientError as exc:
            raise FileNotFoundError(fieldfile.name) from exc
        return found["Body"], found.get("ContentLength")
    return fieldfile.open("rb"), None


def signed_url(fieldfile, filename: str, content_type: str, attachment: bool) -> str | None:
    """A short-lived signed URL to the object (S3 storage), with the portal's type and disposition."""
    storage = fieldfile.storage
    if getattr(storage, "bucket", None) is None:
        return None
    from django.utils.http import content_disposition_header

    return storage.url(
        fieldfile.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": content_disposition_header(attachment, filename),
            "ResponseCacheControl": "private, no-store",
        },
        expire=settings.PRIVATE_FILES_URL_SECONDS,
    )


def file_response(fieldfile, filename: str, content_type: str, inline: bool = False):
    """Serve a stored file safely; ``inline`` only for PDFs and images, everything else downloads.

    The caller has checked ``visible_to``. The bytes are streamed from the
    storage (a private directory or the object store) through this response;
    with ``PRIVATE_FILES_SIGNED_URLS`` and object storage, the answer is a
    redirect to a URL signed for ``PRIVATE_FILES_URL_SECONDS`` seconds
    instead (the object store then serves the bytes, with the same type and
    disposition; the bucket itself is never public).
    """
    show_inline = inline and content_type in INLINE_TYPES
    filename = filename.replace("\x00", "") or "file"
    served_type = content_type if content_type in EXTENSION_OF else "application/octet-stream"
    if settings.PRIVATE_FILES_SIGNED_URLS:
        url = signed_url(fieldfile, filename, served_type, attachment=not show_inline)
        if url:
            response = HttpResponseRedirect(url)
            response["Cache-Control"] = "private, no-store"
            return response
    try:
        handle, size = _open_stream(fieldfile)
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is missing from storage."))
    response = FileResponse(
        handle, as_attachment=not show_inline, filename=filename, content_type=served_type
    )
    if size is not None:
        response["Content-Length"] = str(size)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type != PDF:  # Chromium's PDF viewer does not run in a sandboxed document
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


# --- files held for a form that came back with errors --------------------------------------
# A form with one wrong field must not make the citizen attach every file again. The
# files that passed the check are held in private storage, listed in the session under
# the form's random key (a hidden field), and reused by the next submission of that
# form from the same browser; another browser knowing the key gets nothing. Held files
# are dropped when the form succeeds (:func:`release`) or, left behind, by the daily
# housekeeping (:func:`drop_stale_held`).

HELD_SESSION_KEY = "held_uploads"
HELD_DIR = "held"
HELD_FORMS = 5  # forms with held files remembered per session
HELD_HOURS = 24


@dataclass(frozen=True)
class HeldFile:
    name: str  # storage name
    original_name: str
    content_type: str
    size: int

    def as_upload(self):
        """The held file as an upload again, for the service that stores it for good."""
        with default_storage.open(self.name, "rb") as file:
            return SimpleUploadedFile(self.original_name, file.read(), content_type=self.content_type)


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


def is_form_key(key: str) -> bool:
    """``key`` looks like a key :func:`new_form_key` made."""
    return 20 <= len(key or "") <= 64 and key.replace("-", "").replace("_", "").isalnum()


def held(request, key: str) -> dict[str, HeldFile]:
    """The files held for this form (by slot, e.g. a field name) in this browser's session."""
    if not is_form_key(key):
        return {}
    slots = request.session.get(HELD_SESSION_KEY, {}).get(key, {})
    return {slot: HeldFile(**item) for slot, item in slots.items()}


def hold(request, key: str, slot: str, uploaded, policy: Policy = CITIZEN_DOCUMENTS) -> HeldFile | None:
    """Check ``uploaded`` and hold it for the form ``key`` under ``slot`` (replacing what was there)."""
    if not is_form_key(key):
        return None
    checked = check_upload(uploaded, policy)
    name = default_storage.save(
        f"{HELD_DIR}/{generated_name(checked.content_type)}", ContentFile(_read(uploaded))
    )
    item = HeldFile(
        name=name,
        original_name=(uploaded.name or "").replace("\x00", "")[-255:],
        content_type=checked.content_type,
        size=checked.size,
    )
    forms = dict(request.session.get(HELD_SESSION_KEY, {}))
    slots = dict(forms.pop(key, {}))
    replaced = slots.get(slot)
    slots[slot] = asdict(item)
    forms[key] = slots  # most recent last
    for old_key in list(forms)[:-HELD_FORMS]:
        _delete(forms.pop(old_key).values())
    request.session[HELD_SESSION_KEY] = forms
    if replaced:
        _delete([replaced])
    return item


def release(request, key: str) -> None:
    """The form succeeded: its held files are no longer needed (deleted after the commit)."""
    forms = dict(request.session.get(HELD_SESSION_KEY, {}))
    slots = forms.pop(key, None) if is_form_key(key) else None
    if slots is None:
        return
    request.session[HELD_SESSION_KEY] = forms
    transaction.on_commit(lambda: _delete(slots.values()))


def _delete(items) -> None:
    for item in items:
        default_storage.delete(item["name"])


def drop_stale_held(hours: int = HELD_HOURS) -> int:
    """Delete held files older than ``hours`` (forms abandoned after an error). Returns how many."""
    try:
        _dirs, names = default_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - timedelta(hours=hours)
    dropped = 0
    for name in names:
        path = f"{HELD_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            dropped += 1
    return dropped
