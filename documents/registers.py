"""The registers of Decree 30/2020/NĐ-CP (Appendix IV): outgoing and incoming, as a page, a PDF and an XLSX.

Outgoing (sổ đăng ký văn bản đi): number and symbol; date; type and summary;
signer; recipients; unit or person keeping the file copy; copies; date sent;
note (a withdrawn document keeps its line and number, marked voided).
Incoming (sổ đăng ký văn bản đến): arrival date; arrival number; sender;
number and symbol; document date; type and summary; receiving unit or
person; date passed on; note.

Rows come in number order (outgoing: year, series, number; incoming: year,
arrival number); the page moves on by a keyset cursor, never an offset.
"""

from __future__ import annotations

import io
from datetime import date

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Direction, Document, DocumentStatus

PAGE = 100

OUT_HEADER = [
    gettext_lazy("Number and symbol"),
    gettext_lazy("Date"),
    gettext_lazy("Type and summary"),
    gettext_lazy("Signer"),
    gettext_lazy("Recipients"),
    gettext_lazy("File copy kept by"),
    gettext_lazy("Copies"),
    gettext_lazy("Date sent"),
    gettext_lazy("Note"),
]
IN_HEADER = [
    gettext_lazy("Arrival date"),
    gettext_lazy("Arrival number"),
    gettext_lazy("Sender"),
    gettext_lazy("Number and symbol"),
    gettext_lazy("Document date"),
    gettext_lazy("Type and summary"),
    gettext_lazy("Receiving unit or person"),
    gettext_lazy("Date passed on"),
    gettext_lazy("Note"),
]
WIDTHS_OUT = [1.3, 1.0, 3.2, 1.4, 1.8, 1.2, 0.6, 1.0, 1.2]
WIDTHS_IN = [1.0, 0.7, 1.6, 1.3, 1.0, 3.0, 1.5, 1.0, 1.1]


def header(direction: str) -> list[str]:
    return [str(h) for h in (OUT_HEADER if direction == Direction.OUTGOING else IN_HEADER)]


def _d(value) -> str:
    if value is None:
        return ""
    from portal import workdays

    if hasattr(value, "hour"):
        value = workdays.local(value).date()
    return value.strftime("%d/%m/%Y")


def _note(doc: Document) -> str:
    notes = []
    if doc.voided_at:
        notes.append(_("Voided: %(reason)s") % {"reason": doc.void_reason})
    if doc.is_secret:
        notes.append(doc.get_secrecy_display())
    if doc.urgency != "normal":
        notes.append(doc.get_urgency_display())
    if doc.status == DocumentStatus.CANCELLED:
        notes.append(str(DocumentStatus.CANCELLED.label))
    return "; ".join(notes)


def row(direction: str, doc: Document) -> list[str]:
    type_and_summary = f"{doc.doc_type.name}: {doc.summary}"
    if direction == Direction.OUTGOING:
        signer = " ".join(
            p for p in [doc.signing_authority.code if doc.signing_authority_id else "", doc.signer_name] if p
        )
        return [
            doc.notation,
            _d(doc.document_date),
            type_and_summary,
            signer,
            doc.recipients_text,
            str(doc.drafting_unit or ""),
            str(doc.copies),
            _d(doc.issued_at),
            _note(doc),
        ]
    handler = str(doc.lead_unit or "") if doc.lead_unit_id else ""
    return [
        _d(doc.arrived_at),
        str(doc.arrival_number or ""),
        doc.sender_name,
        doc.notation,
        _d(doc.document_date),
        type_and_summary,
        handler,
        _d(doc.registered_at) if doc.lead_unit_id else "",
        _note(doc),
    ]


# --- keyset ------------------------------------------------------------------------------


def cursor_of(direction: str, doc: Document) -> str:
    if direction == Direction.OUTGOING:
        return f"{doc.year}.{doc.series}.{doc.number}"
    return f"{doc.year}.{doc.arrival_number}"


def parse_cursor(direction: str, value: str):
    parts = str(value or "")[:60].split(".")
    try:
        if direction == Direction.OUTGOING and len(parts) == 3 and parts[1] in ("normal", "secret"):
            return int(parts[0]), parts[1], int(parts[2])
        if direction == Direction.INCOMING and len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        return None
    return None


def after_q(direction: str, cursor) -> Q:
    if direction == Direction.OUTGOING:
        year, series, number = cursor
        return (
            Q(year__gt=year)
            | Q(year=year, series__gt=series)
            | Q(year=year, series=series, number__gt=number)
        )
    year, number = cursor
    return Q(year__gt=year) | Q(year=year, arrival_number__gt=number)


# --- printed and exported ------------------------------------------------------------------


def _title(direction: str) -> str:
    return (
        _("REGISTER OF OUTGOING DOCUMENTS")
        if direction == Direction.OUTGOING
        else _("REGISTER OF INCOMING DOCUMENTS")
    )


def register_pdf(direction: str, unit, start: date, end: date, docs: list[Document]) -> bytes:
    """The register as a PDF in the layout of Decree 30/2020 (Vietnamese, A4)."""
    from portal import pdf

    with translation.override("vi"):
        upper, lower = pdf.issuer_lines(unit)
        story = [pdf.national_header(upper, lower)]
        story += pdf.title(
            _title(direction), _("From %(start)s to %(end)s") % {"start": _d(start), "end": _d(end)}
        )
        rows = [row(direction, doc) for doc in docs]
        if not rows:
            story.append(pdf.para(_("No documents in this period.")))
        else:
            widths = WIDTHS_OUT if direction == Direction.OUTGOING else WIDTHS_IN
            story.append(
                pdf.table(
                    header(direction),
                    rows,
                    widths,
                    center_columns=(0, 1) if direction == Direction.INCOMING else (1, 6, 7),
                )
            )
        return pdf.build(story, title=_title(direction), author=str(unit))


def register_xlsx(direction: str, unit, start: date, end: date, docs: list[Document]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = "So di" if direction == Direction.OUTGOING else "So den"
        sheet.append([f"{_title(direction)} - {unit.name}"])
        sheet.append([_("From %(start)s to %(end)s") % {"start": _d(start), "end": _d(end)}])
        sheet.append(header(direction))
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for doc in docs:
            sheet.append([_xlsx_safe(v) for v in row(direction, doc)])
        widths = WIDTHS_OUT if direction == Direction.OUTGOING else WIDTHS_IN
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = max(10, width * 14)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def _xlsx_safe(value: str) -> str:
    """No formulas from data (CSV/XLSX injection) and no control characters openpyxl refuses."""
    text = "".join(ch for ch in str(value) if ch in "\n\t" or ord(ch) >= 32)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
