"""The letter forwarding a report outside the city's competence to the competent agency (PDF)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feedback.models import Report
from portal import pdf
from portal.text import mask_personal_data

TITLE = "PHIẾU CHUYỂN PHẢN ÁNH, KIẾN NGHỊ"


def forward_pdf(report: Report) -> bytes:
    """Decree 20/2008/NĐ-CP: a report outside the city's competence is forwarded, in writing, to the
    agency that is competent, and the reporter told. The reporter's phone stays with the city."""
    event = report.events.filter(action="forward").order_by("-at").first()
    unit = report.unit
    upper, lower = pdf.issuer_lines(unit)
    when = event.at if event else report.updated_at
    story = [
        pdf.national_header(
            upper, lower, f"Số: {report.code}/PC-{unit.short_name or 'UBND'}", pdf.place_date(when)
        ),
        *pdf.title(TITLE),
        pdf.field("Kính gửi", report.forwarded_to),
        Spacer(1, 2 * mm),
        pdf.para(
            f"Ngày {pdf.short_date(report.received_at)}, {pdf.display_name(unit)} nhận được phản ánh, kiến nghị "
            f"mã {report.code} của Ông/Bà {report.reporter_name} về việc: {report.category.name}."
        ),
        pdf.field("Địa điểm", mask_personal_data(report.address) or "—"),
        pdf.field("Nội dung", report.description),
        Spacer(1, 2 * mm),
        pdf.para(
            "Xét thấy nội dung phản ánh, kiến nghị không thuộc thẩm quyền giải quyết của thành phố "
            f"({report.decision_note}), {pdf.display_name(unit)} chuyển đến Quý cơ quan xem xét, "
            "giải quyết theo thẩm quyền và trả lời cho người phản ánh theo quy định."
        ),
        pdf.side_by_side(
            pdf.recipients(["Như trên", f"Ông/Bà {report.reporter_name} (để biết)", "Lưu: VT"]),
            pdf.signature("TL. CHỦ TỊCH", event.actor_name if event else ""),
            left_share=0.55,
        ),
    ]
    return pdf.build(story, title=f"{TITLE} {report.code}", author=pdf.display_name(unit))
