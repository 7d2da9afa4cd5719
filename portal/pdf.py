"""Building blocks of administrative PDFs in the layout of Decree 30/2020.

Every app that prints a letter, a receipt or a form builds it from these
pieces with ReportLab's platypus: the national motto beside the issuing
agency, the place and date line, titles, labelled fields, tables whose
cells wrap, signature blocks, dotted lines to fill by hand and QR codes.
Text always wraps inside the page; long content flows onto more pages,
numbered "Trang x/y" at the top from the second page on.

Dates and times are shown in Vietnamese, in ``Asia/Ho_Chi_Minh``.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from portal import workdays

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"
SERIF_ITALIC = "DejaVuSerif-Italic"
SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUB = "Độc lập - Tự do - Hạnh phúc"

PAGE = A4
MARGIN_LEFT = 30 * mm  # Decree 30/2020: left 30-35 mm, right 15-20 mm, top and bottom 20-25 mm
MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
WIDTH = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT  # usable width
LEFT_COLUMN = 65 * mm  # the agency block
RIGHT_COLUMN = WIDTH - LEFT_COLUMN  # the national motto

BLANK_DATE = "ngày ..... tháng ..... năm ........"
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

_lock = threading.Lock()
_fonts_ready = False
_styles: dict[str, ParagraphStyle] = {}


# --- fonts and styles ---------------------------------------------------------------


def register_fonts() -> None:
    """Register the DejaVu fonts (they cover Vietnamese) once per process."""
    global _fonts_ready
    with _lock:
        if _fonts_ready:
            return
        for name, filename in (
            (SERIF, "DejaVuSerif.ttf"),
            (SERIF_BOLD, "DejaVuSerif-Bold.ttf"),
            (SERIF_ITALIC, "DejaVuSerif-Italic.ttf"),
            (SANS, "DejaVuSans.ttf"),
            (SANS_BOLD, "DejaVuSans-Bold.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        # <b> and <i> inside paragraphs; there is no bold italic face, bold stands in.
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD
        )
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)
        _fonts_ready = True


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every letter, by name."""
    register_fonts()
    with _lock:
        if not _styles:
            _styles.update(_make_styles())
    return _styles


def _make_styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=SERIF, fontSize=11, leading=15.5, alignment=TA_JUSTIFY)
    body = ParagraphStyle("body", parent=base, spaceAfter=2)
    table = ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    defs = {
        "body": body,
        "field": ParagraphStyle("field", parent=body, alignment=TA_LEFT),
        "indent": ParagraphStyle("indent", parent=body, leftIndent=8 * mm, alignment=TA_LEFT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "italic": ParagraphStyle("italic", parent=body, fontName=SERIF_ITALIC),
        "italic_center": ParagraphStyle(
            "italic_center", parent=base, fontName=SERIF_ITALIC, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=SERIF_BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "agency_upper": ParagraphStyle("agency_upper", parent=base, leading=14, alignment=TA_CENTER),
        "agency": ParagraphStyle("agency", parent=base, fontName=SERIF_BOLD, leading=14, alignment=TA_CENTER),
        "motto": ParagraphStyle("motto", parent=base, fontName=SERIF_BOLD, leading=14, alignment=TA_CENTER),
        "motto_sub": ParagraphStyle(
            "motto_sub", parent=base, fontName=SERIF_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "number": ParagraphStyle("number", parent=base, fontSize=10.5, alignment=TA_CENTER),
        "place": ParagraphStyle("place", parent=base, fontName=SERIF_ITALIC, alignment=TA_CENTER),
        "sign_title": ParagraphStyle(
            "sign_title", parent=base, fontName=SERIF_BOLD, leading=14.5, alignment=TA_CENTER
        ),
        "sign_note": ParagraphStyle(
            "sign_note", parent=base, fontName=SERIF_ITALIC, fontSize=9.5, leading=12, alignment=TA_CENTER
        ),
        "sign_name": ParagraphStyle("sign_name", parent=base, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "cell": table,
        "cell_center": ParagraphStyle("cell_center", parent=table, alignment=TA_CENTER),
        "cell_head": ParagraphStyle("cell_head", parent=table, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11.5, alignment=TA_LEFT),
        "small_bold": ParagraphStyle(
            "small_bold", parent=base, fontName=SERIF_BOLD, fontSize=9.5, leading=12, alignment=TA_LEFT
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontName=SANS, fontSize=8.5, leading=10.5, alignment=TA_CENTER
        ),
    }
    return defs


def esc(value) -> str:
    """Text from the database, safe inside paragraph markup; line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def para(text, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped)."""
    return Paragraph(esc(text), styles()[style])


def markup(html: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup (<b>, <i>, <br/>); escape data with :func:`esc`."""
    return Paragraph(html, styles()[style])


def field(label: str, value, style: str = "field") -> Paragraph:
    """``Label: value`` on one line that wraps; an empty value becomes a dotted blank."""
    shown = esc(value) if value not in (None, "") else "…………………………"
    return markup(f"{esc(label)}: {shown}", style)


# --- dates and places ---------------------------------------------------------------


def city_name() -> str:
    from portal.models import SiteProfile

    return SiteProfile.current().city_name


def _as_local_date(value: date | datetime) -> date:
    return workdays.local(value).date() if isinstance(value, datetime) else value


def vn_date(value: date | datetime | None) -> str:
    """``ngày 05 tháng 11 năm 2026`` (blanks to fill by hand when None)."""
    if value is None:
        return BLANK_DATE
    d = _as_local_date(value)
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def short_date(value: date | datetime | None) -> str:
    """``05/11/2026``."""
    if value is None:
        return "..../..../........"
    return f"{_as_local_date(value):%d/%m/%Y}"


def weekday(value: date | datetime) -> str:
    return WEEKDAYS[_as_local_date(value).weekday()]


def vn_time(value: datetime) -> str:
    """``09 giờ 30 phút`` in Asia/Ho_Chi_Minh."""
    at = workdays.local(value)
    return f"{at.hour:02d} giờ {at.minute:02d} phút"


def vn_datetime(value: datetime | None) -> str:
    """``09 giờ 30 phút, thứ Hai, ngày 23/11/2026``."""
    if value is None:
        return "..... giờ ..... phút, ngày ..../..../........"
    return f"{vn_time(value)}, {weekday(value)}, ngày {short_date(value)}"


def place_date(value: date | datetime | None = None, place: str | None = None) -> str:
    """``Mỹ Tho, ngày 05 tháng 11 năm 2026``: the city from the site profile."""
    place = city_name() if place is None else place
    return f"{place or '…………'}, {vn_date(value)}"


# --- agencies -----------------------------------------------------------------------

_COMMITTEE_KINDS = ("committee", "ward", "commune")


def display_name(unit) -> str:
    """The unit's name in running text: a ward or commune is its people's committee."""
    name = " ".join(str(unit.name).split())
    folded = name.lower()
    if getattr(unit, "kind", "") in ("ward", "commune") and not folded.startswith(
        ("ubnd", "ủy ban", "uỷ ban")
    ):
        name = f"UBND {name}"
    return name


def formal_name(unit) -> str:
    """The unit's name as printed in the agency block: upper case, "UBND" abbreviated."""
    name = display_name(unit)
    for long in ("ủy ban nhân dân", "uỷ ban nhân dân"):
        if name.lower().startswith(long):
            name = "UBND" + name[len(long) :]
            break
    return name.upper()


def issuer_lines(unit) -> tuple[str, str]:
    """(governing agency, issuing unit) of a letter signed by ``unit``."""
    parent = getattr(unit, "parent", None)
    return (formal_name(parent) if parent is not None else "", formal_name(unit))


def is_committee(unit) -> bool:
    return getattr(unit, "kind", "") in _COMMITTEE_KINDS


# --- blocks -------------------------------------------------------------------------


def _rule(text: str, font: str, size: float, share: float = 1.0) -> HRFlowable:
    """A centred line under a heading: as long as the text (or a share of it)."""
    width = min(pdfmetrics.stringWidth(text, font, size) * share, RIGHT_COLUMN)
    return HRFlowable(width=width, thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=0)


def national_header(upper: str, lower: str, number: str = "", place_line: str = "") -> Table:
    """Agency block (left) beside the national motto (right), then number and place/date.

    ``upper`` is the governing agency (may be empty), ``lower`` the issuing
    unit, underlined. ``number`` goes under the agency (e.g. "Số: 12/TB-UBND"),
    ``place_line`` under the motto in italics.
    """
    s = styles()
    left: list = []
    if upper:
        left.append(Paragraph(esc(upper), s["agency_upper"]))
    left.append(Paragraph(esc(lower), s["agency"]))
    longest_line = min(pdfmetrics.stringWidth(lower, SERIF_BOLD, 11), LEFT_COLUMN - 6 * mm)
    left.append(
        HRFlowable(width=max(longest_line / 2.5, 18 * mm), thickness=0.6, color=colors.black, spaceBefore=3)
    )
    right = [
        Paragraph(MOTTO, s["motto"]),
        Paragraph(MOTTO_SUB, s["motto_sub"]),
        _rule(MOTTO_SUB, SERIF_BOLD, 12),
    ]
    rows = [[left, right]]
    if number or place_line:
        rows.append(
            [
                Paragraph(esc(number), s["number"]) if number else "",
                Paragraph(esc(place_line), s["place"]) if place_line else "",
            ]
        )
    table = Table(rows, colWidths=[LEFT_COLUMN, RIGHT_COLUMN])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def motto_only(place_line: str = "") -> list:
    """The motto centred across the page (citizens' applications have no agency block)."""
    s = styles()
    story = [
        Paragraph(MOTTO, s["motto"]),
        Paragraph(MOTTO_SUB, s["motto_sub"]),
        _rule(MOTTO_SUB, SERIF_BOLD, 12),
    ]
    if place_line:
        story += [Spacer(1, 3 * mm), Paragraph(esc(place_line), s["place"])]
    return story


def title(text: str, *subtitles: str, note: str = "") -> list:
    """The letter's title in bold capitals, optional bold subtitles and an italic note."""
    s = styles()
    story: list = [Spacer(1, 8 * mm), Paragraph(esc(text), s["title"])]
    story += [Paragraph(esc(line), s["subtitle"]) for line in subtitles if line]
    if note:
        story.append(Paragraph(esc(note), s["italic_center"]))
    story.append(Spacer(1, 5 * mm))
    return story


def numbered(items: Iterable[str], style: str = "indent") -> list[Paragraph]:
    """``1. first``, ``2. second``… one paragraph each."""
    return [markup(f"{n}. {esc(text)}", style) for n, text in enumerate(items, start=1)]


def _cell(value, style: str):
    if isinstance(value, Flowable | list):
        return value
    return Paragraph(esc(value), styles()[style])


def table(
    header: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
    center_columns: Iterable[int] = (0,),
) -> Table:
    """A ruled table whose cells wrap; the header repeats on every page it spans.

    ``widths`` are fractions of the usable width (they are scaled to sum to 1).
    Cells may be text or flowables.
    """
    total = sum(widths)
    col_widths = [WIDTH * w / total for w in widths]
    centred = set(center_columns)
    data = [[_cell(h, "cell_head") for h in header]]
    for row in rows:
        data.append([_cell(value, "cell_center" if i in centred else "cell") for i, value in enumerate(row)])
    result = Table(data, colWidths=col_widths, repeatRows=1, splitByRow=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            ]
        )
    )
    return result


def signature(
    titles: Sequence[str] | str,
    name: str = "",
    note: str = "(Ký và ghi rõ họ tên)",
    space: float = 22 * mm,
) -> list:
    """A signature block: bold title lines, the italic instruction, room to sign, the name."""
    s = styles()
    lines = [titles] if isinstance(titles, str) else list(titles)
    block: list = [Paragraph(esc(line), s["sign_title"]) for line in lines if line]
    if note:
        block.append(Paragraph(esc(note), s["sign_note"]))
    block.append(Spacer(1, space))
    if name:
        block.append(Paragraph(esc(name), s["sign_name"]))
    return block


def side_by_side(left: list | str, right: list | str, left_share: float = 0.5) -> KeepTogether:
    """Two columns kept on one page (signature blocks, "Nơi nhận" beside a signature)."""
    left_width = WIDTH * left_share
    grid = Table([[left or "", right or ""]], colWidths=[left_width, WIDTH - left_width])
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 4 * mm), grid])


def recipients(lines: Sequence[str]) -> list:
    """The "Nơi nhận:" block at the bottom left of an official letter."""
    s = styles()
    block = [Paragraph("<b><i>Nơi nhận:</i></b>", s["small_bold"])]
    block += [Paragraph(f"- {esc(line)}", s["small"]) for line in lines]
    return block


def qr_image(data: str, size: float = 28 * mm) -> Image:
    """A QR code of ``data`` as an embedded PNG image of ``size`` × ``size``."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(data)
    code.make(fit=True)
    png = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(png, format="PNG")
    png.seek(0)
    return Image(png, width=size, height=size)


def qr_block(data: str, caption: str, size: float = 28 * mm) -> list:
    """A QR code with a caption under it (for a table cell or a column)."""
    return [qr_image(data, size), Paragraph(esc(caption), styles()["caption"])]


class DottedLine(Flowable):
    """A line to fill in by hand: an optional label, then dots to the right margin."""

    def __init__(self, label: str = "", width: float | None = None, height: float = 8 * mm):
        super().__init__()
        self.label = label
        self.line_width = width
        self.height = height

    def wrap(self, avail_width, avail_height):
        self.width = self.line_width or avail_width
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        baseline = 2.2 * mm
        label_width = 0.0
        if self.label:
            canvas.setFont(SERIF, 11)
            canvas.drawString(0, baseline, self.label)
            label_width = pdfmetrics.stringWidth(self.label, SERIF, 11) + 1.5 * mm
        canvas.setDash(0.6, 2.2)
        canvas.setLineWidth(0.6)
        canvas.line(label_width, baseline - 0.6, self.width, baseline - 0.6)
        canvas.setDash()


# --- the document -------------------------------------------------------------------


class _NumberedCanvas(pdfcanvas.Canvas):
    """Writes "Trang x/y" at the top centre of every page from the second on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if total > 1 and self._pageNumber > 1:
                self.setFont(SERIF, 9.5)
                self.drawCentredString(PAGE[0] / 2, PAGE[1] - 12 * mm, f"Trang {self._pageNumber}/{total}")
            super().showPage()
        super().save()


class _Document(BaseDocTemplate):
    """One A4 page template whose frame has no inner padding: text and tables share the margins."""

    def __init__(self, filename, **kwargs):
        super().__init__(filename, **kwargs)
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="normal",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=self.pagesize)])


def build(story: list, title: str, author: str = "", subject: str = "") -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="Cổng dịch vụ công",
        lang="vi",
    )
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def response(content: bytes, filename: str, inline: bool = True):
    """An HTTP response serving PDF bytes the portal made (a letter, a form), never cached."""
    from django.http import HttpResponse

    reply = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    reply["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    reply["Cache-Control"] = "private, no-store"
    reply["X-Content-Type-Options"] = "nosniff"
    return reply
