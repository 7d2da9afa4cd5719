"""Vietnamese text helpers: accent folding for search (no database extension needed)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (NFD, drop marks, đ→d), squeeze spaces.

    >>> fold("Giấy phép Xây dựng")
    'giay phep xay dung'
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def mask_identifier(value: str, visible: int = 4) -> str:
    """A personal number shown by its last digits only: ``********0123``.

    >>> mask_identifier("082085000123")
    '********0123'
    """
    value = value or ""
    if len(value) <= visible:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]


def search_terms(text: str) -> list[str]:
    """The folded words of a query, for a ``simple`` text-search configuration."""
    return _TOKEN.findall(fold(text))


def tsquery(text: str) -> str:
    """A safe ``to_tsquery('simple', …)`` string: every word required, the last as a prefix."""
    terms = search_terms(text)
    if not terms:
        return ""
    parts = [f"{t}" for t in terms[:-1]] + [f"{terms[-1]}:*"]
    return " & ".join(parts)
