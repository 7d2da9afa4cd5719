"""The text of documents: extracted from their files, folded for search, shown as snippets.

- :func:`extract` reads the text layer of a PDF (pypdf) or the paragraphs and
  tables of a DOCX (python-docx). A PDF without a text layer (a scan) gives
  no text: :func:`needs_ocr` says so and ``documents.tasks.ocr_file`` reads it
  with Tesseract's Vietnamese model (Debian's ``tesseract-ocr-vie``), page by
  page after ``pdftoppm`` rasterises it.
- :func:`search_text` is what the ``simple`` full-text index holds: the
  kernel's accent folding (:func:`portal.text.fold`) of the number and
  symbol, summary, sender and the files' text. Secret documents are indexed
  by their register fields only, never by their content.
- :func:`snippet` and :func:`highlight` mark the query's words in the
  original (accented) text: folding maps each character to one, so
  positions in the folded text are positions in the original.
"""

from __future__ import annotations

import html
import io
import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from portal.text import fold, search_terms

log = logging.getLogger(__name__)

MAX_TEXT = 200_000  # characters kept per file (the index holds the start of very long files)
MAX_PAGES = 300
OCR_PAGES = 30
MIN_TEXT_PER_PAGE = 20  # fewer characters per page than this: a scan, not a text PDF
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _clean(text: str) -> str:
    text = text.replace("\x00", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_TEXT]


def pdf_text(data: bytes) -> tuple[str, int]:
    """(text, pages) of a PDF's text layer; ("", pages) for a scan."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = len(reader.pages)
    parts = []
    for page in reader.pages[:MAX_PAGES]:
        try:
            parts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001 - one unreadable page does not lose the others
            parts.append("")
    return _clean("\n".join(parts)), pages


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return _clean("\n".join(parts))


def extract(data: bytes, content_type: str) -> tuple[str, bool]:
    """(text, needs OCR) of a file's bytes. Never raises for a damaged file: ("", False)."""
    try:
        if content_type == PDF:
            text, pages = pdf_text(data)
            return text, len(text) < MIN_TEXT_PER_PAGE * max(1, min(pages, 3))
        if content_type == DOCX:
            return docx_text(data), False
    except Exception as exc:  # noqa: BLE001 - a file we cannot read has no text
        log.info("text not extracted (%s): %s", content_type, exc)
    return "", False


def ocr_available() -> bool:
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


def ocr_pdf(data: bytes, language: str = "vie", pages: int = OCR_PAGES, timeout: int = 120) -> str:
    """The text Tesseract reads on the first ``pages`` pages of a scanned PDF (raises when it cannot run)."""
    if not ocr_available():
        raise RuntimeError("tesseract or pdftoppm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "scan.pdf"
        source.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "300",
                "-gray",
                "-png",
                "-l",
                str(pages),
                str(source),
                str(Path(tmp) / "page"),
            ],
            check=True,
            timeout=timeout,
            capture_output=True,
        )
        texts = []
        for image in sorted(Path(tmp).glob("page*.png")):
            result = subprocess.run(
                ["tesseract", str(image), "-", "-l", language, "--psm", "3"],
                check=True,
                timeout=timeout,
                capture_output=True,
            )
            texts.append(result.stdout.decode("utf-8", "replace"))
    return _clean("\n".join(texts))


def search_text(document, file_texts: list[str] | None = None) -> str:
    """The folded text the search index holds for ``document``."""
    parts = [
        document.notation,
        document.notation.replace("/", " ").replace("-", " ") if document.notation else "",
        document.summary,
        document.sender_name,
        str(document.unit) if document.unit_id else "",
        document.doc_type.name if document.doc_type_id else "",
        document.signer_name,
    ]
    if not document.is_secret and file_texts:
        parts.extend(file_texts)
    return fold(" ".join(p for p in parts if p))


# --- snippets --------------------------------------------------------------------------


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch


def fold_positional(text: str) -> str:
    """The folded text, one character for each of ``text`` (positions preserved)."""
    return "".join(_fold_char(ch) for ch in text)


def _spans(text: str, query: str) -> list[tuple[int, int]]:
    terms = search_terms(query)
    if not terms:
        return []
    folded = fold_positional(text)
    spans = []
    for i, term in enumerate(terms):
        prefix = i == len(terms) - 1  # the last word matches as a prefix, as the search does
        pattern = rf"(?<![0-9a-z]){re.escape(term)}{'[0-9a-z]*' if prefix else ''}(?![0-9a-z])"
        spans += [m.span() for m in re.finditer(pattern, folded)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: str) -> str:
    """``text`` escaped for HTML with the query's words in ``<mark>``."""
    out, last = [], 0
    for start, end in _spans(text, query):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, query: str, width: int = 220) -> str:
    """A short highlighted extract of ``text`` around the first match (escaped HTML), or ""."""
    if not text:
        return ""
    spans = _spans(text, query)
    if not spans:
        return ""
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    piece = " ".join(text[start:end].split())
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + highlight(piece, query) + suffix
