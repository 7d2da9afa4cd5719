"""PDF letters of the one-stop desk (forms 01-05 of Circular 01/2018, results)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = Path(__file__).resolve().parent.parent / "portal" / "fonts"
_registered = False


def _fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont("Serif", str(FONTS / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont("Serif-Bold", str(FONTS / "DejaVuSerif-Bold.ttf")))
        _registered = True


def result_pdf(dossier) -> bytes:
    """The result document delivered to the applicant (online for level 4)."""
    _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setFont("Serif-Bold", 12)
    pdf.drawCentredString(width / 2, height - 25 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(width / 2, height - 31 * mm, "Độc lập - Tự do - Hạnh phúc")
    pdf.setFont("Serif-Bold", 14)
    pdf.drawCentredString(width / 2, height - 50 * mm, dossier.service.result_name.upper()[:80])
    pdf.setFont("Serif", 11)
    y = height - 65 * mm
    for line in (
        f"Mã hồ sơ: {dossier.code}",
        f"Thủ tục: {dossier.service.name[:90]}",
        f"Người nộp: {dossier.applicant_name}",
        f"Cơ quan giải quyết: {dossier.receiving_unit.name}",
        f"Nội dung: {dossier.result_note or 'Hồ sơ đã được giải quyết.'}"[:110],
    ):
        pdf.drawString(25 * mm, y, line)
        y -= 7 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
