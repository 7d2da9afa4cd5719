"""What a signature looks like on the page (Decree 30/2020/NĐ-CP, Appendix I).

Decree 30/2020 on clerical work sets how digital signatures appear on an
electronic document (Appendix I, Part I, Section II, points 7 and 8, and
the rule for attachments; Art. 33.1.b for the seal over the signature).
Read through the ``search`` tool in secondary copies (lawnet.vn on Art. 33,
lacviet.vn and viettel-solutions.vn quoting the appendix); the full
appendix text was not available there, so the points below follow
``DOMAIN.md`` §2 where the copies were cut short:

- **the signer's signature** (*chữ ký số của người có thẩm quyền*): the image
  of the signer's handwritten signature (blue, PNG with a transparent
  background) between the signer's title and full name;
- **the organisation's signature** (*chữ ký số của cơ quan, tổ chức*) on the
  document: the image of the agency's seal, red, at the seal's real size, PNG
  with a transparent background, laid **over about the left third** of the
  signer's signature image (the same rule as the paper seal, Art. 33.1.b);
- **on an attachment** not in the same file: no image; the document's number
  and symbol and the signing time (date, hh:mm:ss and the Vietnamese time
  zone in ISO 8601) at the **top right of the first page**, in a 10-point
  upright black serif (the decree names Times New Roman; the portal ships
  DejaVu Serif, which has every Vietnamese glyph, as in ``portal.pdf``).

Appearances are drawn with ReportLab as a small vector PDF page (text stays
text) and imported into the signature widget by pyHanko. The signing time
shown is pyHanko's own signing time for that signature (``%(ts)s``), so the
picture and the signature agree.
"""

from __future__ import annotations

import binascii
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from portal import pdf as portal_pdf

TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True)
class Appearance:
    """Where and how a signature is shown.

    ``page``: 0-based page index, negative from the end (default: last page
    for a signer, first page for an attachment). ``box``: ``(x1, y1, x2, y2)``
    in PDF points from the bottom left; ``None`` takes the default place.
    ``title``: the lines above the image (signer prefix and position, e.g.
    ``"KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"``); ``name``: the full name under it
    (default: the holder's full name). ``visible=False`` signs without a
    picture.
    """

    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    title: str = ""
    name: str = ""
    visible: bool = True


def iso_time(ts: str) -> str:
    """pyHanko's timestamp text → ISO 8601 extended, Vietnamese time (``2022-06-15T09:30:05+07:00``)."""
    try:
        moment = datetime.strptime(ts, TS_FORMAT)
    except ValueError:
        return ts
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


class PdfBytesPage(content.PdfContent):
    """The first page of a PDF held in memory, as a form XObject (pyHanko's ImportedPdfPage reads files)."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self.data))
        xobj = writer.import_page_as_xobject(reader, page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


@dataclass(frozen=True)
class DrawnStampStyle(TextStampStyle):
    """A stamp drawn by ``draw(ts) -> pdf bytes`` at signing time (``ts``: pyHanko's signing time)."""

    draw: Callable[[str], bytes] | None = None
    timestamp_format: str = TS_FORMAT
    border_width: int = 0
    background_opacity: float = 1.0

    def create_stamp(self, writer, box, text_params):
        data = self.draw(text_params.get("ts", ""))
        inner = StaticStampStyle(
            background=PdfBytesPage(data),
            border_width=0,
            background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
        return inner.create_stamp(writer, box, {})


def _canvas(width: float, height: float) -> tuple[canvas.Canvas, io.BytesIO]:
    portal_pdf.register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), pageCompression=1)
    c.setTitle("signature appearance")
    return c, buf


def _image(c: canvas.Canvas, data: bytes, x: float, y: float, width: float, height: float) -> None:
    """Draw a PNG inside the box, keeping its proportions, centred."""
    reader = ImageReader(io.BytesIO(bytes(data)))
    iw, ih = reader.getSize()
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    c.drawImage(reader, x + (width - w) / 2, y + (height - h) / 2, w, h, mask="auto")


def signer_drawing(width: float, height: float, *, image: bytes | None, title: str, name: str) -> bytes:
    """Title lines, the signature image, the full name (bold), centred in the box."""
    c, buf = _canvas(width, height)
    c.setFillColor(black)
    lines = [line.strip() for line in title.splitlines() if line.strip()][:3]
    top = height
    for line in lines:
        top -= 11
        c.setFont(portal_pdf.SERIF_BOLD, 9.5)
        c.drawCentredString(width / 2, top, line[:80])
    name_band = 14 if name else 0
    if image:
        _image(c, image, 2, name_band + 2, width - 4, max(top - name_band - 4, 10))
    if name:
        c.setFont(portal_pdf.SERIF_BOLD, 10.5)
        c.drawCentredString(width / 2, 4, name[:60])
    c.showPage()
    c.save()
    return buf.getvalue()


def seal_drawing(width: float, height: float, *, image: bytes) -> bytes:
    c, buf = _canvas(width, height)
    _image(c, image, 0, 0, width, height)
    c.showPage()
    c.save()
    return buf.getvalue()


def attachment_drawing(width: float, height: float, *, number: str, ts: str) -> bytes:
    """Number and symbol, then the ISO 8601 signing time: right-aligned, 10 pt, black."""
    c, buf = _canvas(width, height)
    c.setFillColor(black)
    c.setFont(portal_pdf.SERIF, 10)
    c.drawRightString(width - 1, height - 11, number[:60])
    c.drawRightString(width - 1, height - 24, iso_time(ts))
    c.showPage()
    c.save()
    return buf.getvalue()


# Default places, in points (A4 is 595 x 842). Decree 30/2020: margins top and
# bottom 20-25 mm, left 30-35 mm, right 15-20 mm; the signature block in the
# right half of the page.
SIGNER_SIZE = (70 * mm, 34 * mm)
ATTACHMENT_SIZE = (72 * mm, 10 * mm)


def default_signer_box(page_width: float, page_height: float) -> tuple[float, float, float, float]:
    w, h = SIGNER_SIZE
    x2 = page_width - 20 * mm
    y1 = 40 * mm
    return (x2 - w, y1, x2, y1 + h)


def attachment_box(page_width: float, page_height: float) -> tuple[float, float, float, float]:
    w, h = ATTACHMENT_SIZE
    x2 = page_width - 15 * mm
    y2 = page_height - 8 * mm
    return (x2 - w, y2 - h, x2, y2)


def seal_box(signer_box, seal_width_mm: float, aspect: float = 1.0) -> tuple[float, float, float, float]:
    """The seal at its real size over about the left third of the signer's box (Art. 33.1.b)."""
    x1, y1, x2, y2 = signer_box
    w = seal_width_mm * mm
    h = w * aspect
    right = x1 + (x2 - x1) / 3
    cy = (y1 + y2) / 2
    return (right - w, cy - h / 2, right, cy + h / 2)


def image_aspect(data: bytes) -> float:
    iw, ih = ImageReader(io.BytesIO(bytes(data))).getSize()
    return ih / iw if iw else 1.0


__all__ = [
    "Appearance",
    "DrawnStampStyle",
    "attachment_box",
    "attachment_drawing",
    "default_signer_box",
    "seal_box",
    "seal_drawing",
    "signer_drawing",
]
