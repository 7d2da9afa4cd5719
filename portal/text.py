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


# --- personal data in free text -----------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits (spaces, dots or dashes between them) that could be a phone or an ID number.
_DIGIT_RUN = re.compile(r"(?<![\w])\+?\d[\d .\-()]{7,}\d(?![\w])")
MASK = "[…]"


def _is_personal_number(text: str) -> bool:
    """A Vietnamese phone (10 digits from 0, or +84 and 9), a landline (11 digits 02…),
    a 12-digit CCCD or a 9-digit old identity card number (DOMAIN.md §5)."""
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        return True
    if len(digits) in (9, 12):
        return True
    return digits.startswith("0") and len(digits) in (10, 11)


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and identity numbers replaced by ``[…]``.

    For anything a citizen or an official typed that the public will read
    (a report's description, an answer): what identifies a person by number
    never leaves. Other numbers (house numbers, dates, amounts) stay.
    """
    if not text:
        return ""
    text = _EMAIL.sub(MASK, text)
    return _DIGIT_RUN.sub(lambda m: MASK if _is_personal_number(m.group(0)) else m.group(0), text)


def money(amount: int | None, unit: bool = True) -> str:
    """An amount of Vietnamese đồng, written one way everywhere: ``75.000 đồng``.

    Thousands are grouped with dots in Vietnamese and commas in English, where
    the unit reads ``VND`` (``_("VND")``, "đồng" in the Vietnamese catalogue).

    >>> money(75000)
    '75.000 đồng'
    """
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    separator = "," if (get_language() or "vi").startswith("en") else "."
    grouped = f"{int(amount or 0):,}".replace(",", separator)
    if not unit:
        return grouped
    name = _("VND")
    return f"{grouped} {name}"


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> list:
    """A sort key that orders numbers by value and letters without accents first:
    "Phường 2" before "Phường 10", "Phường 10" before "Tân Long".

    >>> sorted(["Phường 10", "Phường 2", "Phường 1"], key=natural_key)
    ['Phường 1', 'Phường 2', 'Phường 10']
    """
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, fold(part))
        for part in _DIGITS.split(text or "")
        if part
    ]
