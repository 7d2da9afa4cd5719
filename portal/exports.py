"""Spreadsheet exports: the one way every app writes a CSV file for officials.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel and LibreOffice as a formula (CSV injection: a
citizen's name ``=HYPERLINK(...)`` would run in the official's spreadsheet).
:func:`safe_cell` prefixes such text with an apostrophe, as OWASP advises,
so it shows as typed. Numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """``value`` as a spreadsheet shows it literally (text starting like a formula gets an apostrophe)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_rows(out, rows: Iterable[Iterable]) -> None:
    """Write ``rows`` as CSV to the file-like ``out``, every cell through :func:`safe_cell`."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download for Excel (UTF-8 with a BOM), every cell made safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    write_rows(response, rows)
    return response
