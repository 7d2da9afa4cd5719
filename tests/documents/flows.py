"""Documents walked through the real services to the state a test needs, and the files they carry."""

from __future__ import annotations

import io

from documents import services
from documents.models import DocumentType
from portal import roles
from tests.factories import UnitFactory, UserFactory


def draft(
    office,
    summary="Quyết định về việc phê duyệt kế hoạch chuyển đổi số năm 2026",
    *,
    type_code="QD",
    units=None,
    external=(),
    replaces=None,
    **extra,
):
    data = {
        "doc_type": DocumentType.objects.get(code=type_code),
        "summary": summary,
        "issuing_unit": office.city,
        "recipient_units": [office.ward_a, office.ward_b] if units is None else units,
        "external_recipients": list(external),
        "recipients_text": "Như trên;\nLưu: VT.",
        **extra,
    }
    return services.create_draft(
        office.vp_cv, data, upload("du-thao.docx", make_docx(summary)), replaces=replaces
    )


def signed(office, **kwargs):
    doc = draft(office, **kwargs)
    services.submit_draft(doc, office.vp_cv)
    services.approve_draft(doc, office.vp_ld)
    return services.sign_document(doc, office.leader, signed_file=upload("ban-ky.pdf", text_pdf(doc.summary)))


def issued(office, **kwargs):
    doc = signed(office, **kwargs)
    return services.issue_document(doc, office.clerk)


def registered(office, summary="Công văn về việc báo cáo tình hình", file=True):
    data = {
        "doc_type": DocumentType.objects.get(code="CV"),
        "summary": summary,
        "sender_name": "Sở Nội vụ tỉnh Tiền Giang",
        "notation": "123/SNV-VP",
        "medium": "electronic",
    }
    return services.register_incoming(
        office.clerk, data, upload("den.pdf", text_pdf(summary)) if file else None
    )


def text_pdf(text: str = "Văn bản thử nghiệm", pages: int = 1) -> bytes:
    """A real PDF with a text layer (ReportLab, DejaVu: Vietnamese characters survive)."""
    from reportlab.pdfgen import canvas

    from portal import pdf

    pdf.register_fonts()
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for _ in range(pages):
        page.setFont(pdf.SERIF, 12)
        page.drawString(72, 760, text)
        page.showPage()
    page.save()
    return out.getvalue()


def make_docx(text: str = "Dự thảo quyết định") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


class Office:
    """The city people's committee, its office (VP), two wards, and their officials."""

    def __init__(self):
        self.city = UnitFactory(
            code="UBND", name="Ủy ban nhân dân thành phố Mỹ Tho", committee=True, agency_id="000.00.26.H58"
        )
        self.vp = UnitFactory(
            code="VP",
            name="Văn phòng HĐND và UBND",
            short_name="VP",
            parent=self.city,
            agency_id="000.01.26.H58",
        )
        self.ward_a = UnitFactory(
            code="P1",
            name="Phường 1",
            short_name="UBND",
            ward=True,
            parent=self.city,
            agency_id="261.31.26.H58",
        )
        self.ward_b = UnitFactory(
            code="P2",
            name="Phường 2",
            short_name="UBND",
            ward=True,
            parent=self.city,
            agency_id="264.32.26.H58",
        )
        self.clerk = UserFactory(
            username="ubnd.vanthu", unit=self.city, role=roles.CLERK, full_name="Trần Thị Mai"
        )
        self.leader = UserFactory(
            username="ubnd.lanhdao", unit=self.city, role=roles.LEADER, full_name="Nguyễn Văn Hùng"
        )
        self.vp_cv = UserFactory(
            username="vp.cv", unit=self.vp, role=roles.SPECIALIST, full_name="Lê Văn Bình"
        )
        self.vp_ld = UserFactory(username="vp.ld", unit=self.vp, role=roles.LEADER, full_name="Phạm Thị Cúc")
        self.a_clerk = UserFactory(username="p1.vanthu", unit=self.ward_a, role=roles.CLERK)
        self.a_leader = UserFactory(username="p1.lanhdao", unit=self.ward_a, role=roles.LEADER)
        self.a_cv = UserFactory(username="p1.cv", unit=self.ward_a, role=roles.SPECIALIST)
        self.b_clerk = UserFactory(username="p2.vanthu", unit=self.ward_b, role=roles.CLERK)
        self.b_leader = UserFactory(username="p2.lanhdao", unit=self.ward_b, role=roles.LEADER)
