"""Lists of staff by unit as XLSX spreadsheets (openpyxl, streamed in write-only mode).

No column of the sensitive section is ever exported. Text cells that a
spreadsheet would read as a formula (starting with =, +, -, @, a tab or a
carriage return) are written with a leading apostrophe, so a name typed as
``=HYPERLINK(…)`` stays text.
"""

from __future__ import annotations

import io
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.uploads import XLSX

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 200_000


def safe(value):
    if isinstance(value, str):
        value = value.replace("\x00", "")
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def columns():
    return [
        (_("Staff number"), lambda f: f.staff_number),
        (_("Full name"), lambda f: f.full_name),
        (_("Sex"), lambda f: f.get_sex_display()),
        (_("Date of birth"), lambda f: f.birth_date),
        (_("Unit"), lambda f: f.unit.name),
        (_("Position"), lambda f: f.position),
        (_("Category"), lambda f: f.get_category_display()),
        (_("Rank code"), lambda f: f.rank.code if f.rank_id else ""),
        (_("Rank"), lambda f: f.rank.name if f.rank_id else ""),
        (_("Step"), lambda f: f.salary_step),
        (_("Coefficient"), lambda f: float(f.coefficient) if f.coefficient is not None else None),
        (_("Step held since"), lambda f: f.step_since),
        (_("Next regular step"), lambda f: f.next_step_due),
        (_("Retirement date"), lambda f: f.retirement_date),
        (_("Highest qualification"), lambda f: f.get_education_display()),
        (_("Political theory"), lambda f: f.get_political_theory_display()),
        (_("State management"), lambda f: f.get_state_management_display()),
        (_("Official e-mail"), lambda f: f.official_email),
        (_("Status"), lambda f: f.get_status_display()),
    ]


def files_xlsx(files, unit, today: date) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Staff")[:31])
    cols = columns()
    title = WriteOnlyCell(
        sheet,
        value=safe(
            _("Staff list: %(unit)s, on %(date)s")
            % {
                "unit": unit.name if unit else _("all units you see"),
                "date": today.strftime("%d/%m/%Y"),
            }
        ),
    )
    title.font = Font(bold=True)
    sheet.append([title])
    header = []
    for label, _getter in cols:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    rows = files.select_related("unit", "rank").order_by("unit__path", "sort_name", "id")
    for count, file in enumerate(rows.iterator(chunk_size=2000)):
        if count >= MAX_ROWS:
            sheet.append([_("… cut at %(n)s rows: choose a unit.") % {"n": MAX_ROWS}])
            break
        cells = []
        for _label, getter in cols:
            value = safe(getter(file))
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    reply = HttpResponse(content, content_type=XLSX)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    reply["Cache-Control"] = "private, no-store"
    reply["X-Content-Type-Options"] = "nosniff"
    return reply
