"""edXML-style packages against the schema, and accent-insensitive search with snippets, scoped."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError

from documents import exchange, selectors, services
from documents import text as doctext
from documents.models import Document, DocumentStatus
from tests.documents import flows
from tests.documents.flows import make_docx, text_pdf, upload

OUTSIDE = "000.00.00.G22|Sở Nội vụ tỉnh Tiền Giang"


def test_export_validates_and_imports_into_the_named_unit(office):
    doc = flows.issued(office, external=[f"{office.ward_a.agency_id}|Phường 1 (ngoài hệ thống)"], units=[])
    recipient = doc.recipients.get()
    package = exchange.export_package(doc, recipient, actor=office.clerk)
    assert b"<edXML:CodeNumber>1</edXML:CodeNumber>" in package  # number and notation: separate fields
    exchange.schema().assertValid(exchange.parse_package(package))
    with pytest.raises(ValidationError, match="not to your unit"):
        exchange.import_package(package, office.b_clerk)
    imported = exchange.import_package(package, office.a_clerk)
    assert imported.status == DocumentStatus.ARRIVED and imported.notation == "01/QĐ-UBND"
    assert imported.sender_agency_id == office.city.agency_id and imported.files.count() == 1
    with pytest.raises(ValidationError, match="already"):
        exchange.import_package(package, office.a_clerk)


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (
            lambda p: p.replace(b"<edXML:Subject>", b"<edXML:Subjekt>").replace(
                b"</edXML:Subject>", b"</edXML:Subjekt>"
            ),
            "schema",
        ),
        (lambda p: p[:200], "well-formed"),
        (lambda p: p.replace(b"<edXML:Priority>0<", b"<edXML:Priority>9<"), "schema"),
        (
            lambda p: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + p.split(b"?>", 1)[1],
            "DOCTYPE",
        ),
    ],
)
def test_bad_packages_are_refused_and_change_nothing(office, mutate, reason):
    doc = flows.issued(office, external=[f"{office.ward_a.agency_id}|P1"], units=[])
    package = mutate(exchange.export_package(doc, doc.recipients.get()))
    before = Document.objects.count()
    with pytest.raises(ValidationError, match=reason):
        exchange.import_package(package, office.a_clerk)
    assert Document.objects.count() == before


def test_a_package_whose_file_is_not_a_pdf_is_refused(office):
    doc = flows.issued(office, external=[f"{office.ward_a.agency_id}|P1"], units=[])
    package = exchange.export_package(doc, doc.recipients.get())
    start = package.index(b"<edXML:Content>") + len(b"<edXML:Content>")
    end = package.index(b"</edXML:Content>")
    fake = package[:start] + base64.b64encode(b"MZ not a pdf at all") + package[end:]
    with pytest.raises(ValidationError, match="Attachment refused"):
        exchange.import_package(fake, office.a_clerk)


def test_search_without_accents_ranks_highlights_and_scopes(office):
    doc = flows.issued(office, summary="Kế hoạch phòng, chống lụt bão năm 2026", units=[office.ward_a])
    services.read_file_text(doc.files.get(kind="signed").pk)
    flows.issued(office, summary="Báo cáo tình hình kinh tế", units=[])
    found = list(selectors.search(office.leader, "ke hoach lut bao", direction="out"))
    assert [d.pk for d in found][:1] == [doc.pk]
    assert list(selectors.search(office.leader, "01/QĐ-UBND", direction="out"))[0].pk == doc.pk
    assert "<mark>lụt</mark>" in doctext.highlight(doc.summary, "lut")
    copies_b = selectors.search(office.b_clerk, "lut bao")
    assert not copies_b.exists()  # ward B got nothing and sees nothing
    copy_a = selectors.search(office.a_clerk, "lut bao").get()
    assert copy_a.unit == office.ward_a


def test_file_text_from_docx_and_pdf_is_searched(office):
    doc = flows.draft(office, summary="Dự thảo")
    services.revise_draft(doc, office.vp_cv, upload("v2.docx", make_docx("Nội dung về chỉnh trang đô thị")))
    for f in doc.files.all():
        services.read_file_text(f.pk)
    assert selectors.search(office.vp_cv, "chinh trang do thi").filter(pk=doc.pk).exists()
    text, needs_ocr = doctext.extract(text_pdf("Giấy mời họp giao ban tháng Mười hai"), "application/pdf")
    assert "Giấy mời họp" in text and not needs_ocr


def test_a_scan_goes_to_ocr_and_tesseract_reads_vietnamese(office):
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont

    from portal.pdf import FONT_DIR

    image = Image.new("L", (1700, 400), 255)
    ImageDraw.Draw(image).text(
        (60, 120),
        "THÔNG BÁO LỊCH TIẾP DÂN",
        fill=0,
        font=ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 72),
    )
    scan = BytesIO()
    image.save(scan, format="PDF", resolution=200)
    doc = services.register_incoming(
        office.clerk,
        {
            "doc_type": flows.DocumentType.objects.get(code="TB"),
            "summary": "Văn bản scan",
            "sender_name": "Sở",
            "notation": "1/TB",
            "medium": "paper",
        },
        upload("scan.pdf", scan.getvalue()),
    )
    record = doc.files.get()
    assert services.read_file_text(record.pk) == "ocr"
    assert services.ocr_file(record.pk) == "done"
    record.refresh_from_db()
    assert "TIẾP DÂN" in record.text.upper()
    assert selectors.search(office.clerk, "lich tiep dan").filter(pk=doc.pk).exists()


def test_search_finds_the_newest_matches_first_and_within_a_period(office, monkeypatch):
    """The slices of ids (selectors.search): a match older than the row-by-row slices is found through
    the word index, a period starts from its own ids, and the newest matches come first."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from documents.models import Document

    monkeypatch.setitem(selectors.ID_WINDOWS, True, (1, 1))  # tiny slices: the word index is reached
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = flows.issued(office, summary="Kế hoạch nạo vét kênh rạch năm trước", units=[])
    for i in range(4):
        flows.issued(office, summary=f"Báo cáo số {i}", units=[])
    newer = flows.issued(office, summary="Kế hoạch nạo vét kênh rạch năm nay", units=[])
    found = [d.pk for d in selectors.search(office.leader, "nao vet kenh", direction="out")]
    assert sorted(found) == sorted([old.pk, newer.pk])
    then = timezone.localdate(Document.objects.get(pk=old.pk).created_at)  # the city's day, not UTC's
    period = selectors.search(office.leader, "nao vet kenh", start=then, end=then)
    assert [d.pk for d in period] == [old.pk]
    assert not selectors.search(office.leader, "nao vet kenh", start=then + timedelta(days=500)).exists()
