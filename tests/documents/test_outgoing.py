"""Outgoing documents: draft -> review -> sign -> number/issue, send-back and versions, delivery, withdrawal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from documents import services
from documents.models import Document, DocumentFile, DocumentStatus, NumberCounter, StatusCode
from documents.workflow import WorkflowError
from tests.documents import flows
from tests.documents.flows import make_docx, text_pdf, upload

S = DocumentStatus


def test_full_chain_numbers_registers_and_delivers(office):
    doc = flows.issued(office)
    doc.refresh_from_db()
    assert doc.status == S.ISSUED
    assert doc.number == 1 and doc.notation == "01/QĐ-UBND"
    copies = Document.objects.filter(source=doc).order_by("unit__code")
    assert [c.unit for c in copies] == [office.ward_a, office.ward_b]
    assert all(c.status == S.ARRIVED and c.direction == "in" for c in copies)
    assert all(c.files.filter(kind=DocumentFile.Kind.MAIN).exists() for c in copies)
    assert sorted(doc.recipients.values_list("status", flat=True)) == [StatusCode.ARRIVED] * 2
    actions = list(doc.events.values_list("action", flat=True))
    assert actions == ["create_draft", "submit", "approve_draft", "sign", "issue"]


def test_letter_symbol_uses_issuer_and_drafting_unit(office):
    doc = flows.issued(office, type_code="CV", summary="Về việc tổ chức hội nghị")
    assert doc.notation == "01/UBND-VP"
    second = flows.issued(office, summary="Quyết định khác")
    assert second.notation == "02/QĐ-UBND"  # one series per body and year, whatever the type


def test_secret_documents_have_their_own_series(office):
    flows.issued(office)
    secret = flows.issued(office, secrecy="mat", units=[])
    assert secret.number == 1 and secret.series == "secret"
    assert NumberCounter.objects.get(unit=office.city, series="normal").last == 1


def test_send_back_keeps_every_version(office):
    doc = flows.draft(office)
    services.submit_draft(doc, office.vp_cv)
    services.send_back(doc, office.vp_ld, "Sửa lại căn cứ pháp lý")
    doc.refresh_from_db()
    assert doc.status == S.DRAFT
    services.revise_draft(doc, office.vp_cv, upload("du-thao-2.docx", make_docx("Bản sửa")), "Đã sửa")
    assert list(doc.files.filter(kind="draft").values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]
    with pytest.raises(ValidationError):
        services.send_back(doc, office.vp_ld, "")


def test_wrong_people_are_refused_with_a_reason(office):
    doc = flows.draft(office)
    with pytest.raises(WorkflowError, match="drafting unit"):
        services.submit_draft(doc, office.a_cv)
    services.submit_draft(doc, office.vp_cv)
    with pytest.raises(WorkflowError, match="leader of the drafting unit"):
        services.approve_draft(doc, office.leader)
    services.approve_draft(doc, office.vp_ld)
    with pytest.raises(WorkflowError, match="not possible"):
        services.issue_document(doc, office.clerk)
    with pytest.raises(WorkflowError):
        services.sign_document(doc, office.a_leader)


def test_a_failed_issue_consumes_no_number(office):
    doc = flows.signed(office, units=[])
    doc.recipients_text = ""
    doc.save()
    with pytest.raises(WorkflowError, match="recipient"):
        services.issue_document(doc, office.clerk)
    assert not NumberCounter.objects.filter(unit=office.city).exists()
    doc.refresh_from_db()
    assert doc.number is None and doc.status == S.SIGNED


def test_wrong_files_are_refused_by_content_and_nothing_is_saved(office):
    before = Document.objects.count()
    fake = upload("du-thao.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.create_draft(
            office.vp_cv,
            {
                "doc_type": flows.DocumentType.objects.get(code="QD"),
                "summary": "x",
                "issuing_unit": office.city,
            },
            fake,
        )
    assert Document.objects.count() == before


def test_withdraw_voids_the_number_and_recipients_see_it(office):
    doc = flows.issued(office)
    copy = Document.objects.get(source=doc, unit=office.ward_a)
    services.accept_arrived(copy, office.a_clerk)
    services.withdraw_document(doc, office.leader, "Ban hành nhầm")
    doc.refresh_from_db()
    copy.refresh_from_db()
    assert doc.status == S.WITHDRAWN and doc.voided_at and doc.number == 1
    assert copy.status == S.CANCELLED
    assert set(doc.recipients.values_list("status", flat=True)) == {StatusCode.WITHDRAWN}
    assert flows.issued(office).number == 2  # never reused


def test_replacement_withdraws_the_old_one_on_issue(office):
    old = flows.issued(office)
    new = flows.draft(office, summary="Quyết định thay thế", replaces=old)
    services.submit_draft(new, office.vp_cv)
    services.approve_draft(new, office.vp_ld)
    services.sign_document(new, office.leader, signed_file=upload("k.pdf", text_pdf()))
    services.issue_document(new, office.clerk)
    old.refresh_from_db()
    assert old.status == S.WITHDRAWN and "02/QĐ-UBND" in old.void_reason


def test_other_apps_are_told_after_the_commit_of_every_issue_and_withdrawal(
    office, django_capture_on_commit_callbacks
):
    """The hook the website's legal library uses: documents.signals, after the commit, never before."""
    from documents import signals

    heard = []

    def issued(sender, document_id, public, notation, **kwargs):
        heard.append(("issued", document_id, public, notation))

    def withdrawn(sender, document_id, public, notation, reason, replaced_by, **kwargs):
        heard.append(("withdrawn", document_id, public, notation, reason, replaced_by))

    def broken(sender, **kwargs):
        raise RuntimeError("a receiver that fails never undoes the issue")

    signals.document_issued.connect(issued)
    signals.document_issued.connect(broken)
    signals.document_withdrawn.connect(withdrawn)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            doc = flows.issued(office, public=True)
            assert heard == []  # nothing before the commit
        assert heard == [("issued", doc.pk, True, "01/QĐ-UBND")]
        with django_capture_on_commit_callbacks(execute=True):
            new = flows.issued(office, replaces=doc, public=True)
        # The replacement's issue withdraws the old one in the same transaction.
        assert heard[-2:] == [
            ("withdrawn", doc.pk, True, "01/QĐ-UBND", "Replaced by 02/QĐ-UBND.", new.pk),
            ("issued", new.pk, True, "02/QĐ-UBND"),
        ]
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw_document(new, office.leader, "Ban hành sai thể thức")
        assert heard[-1] == ("withdrawn", new.pk, True, "02/QĐ-UBND", "Ban hành sai thể thức", None)
        assert list(services.public_documents()) == []
    finally:
        signals.document_issued.disconnect(issued)
        signals.document_issued.disconnect(broken)
        signals.document_withdrawn.disconnect(withdrawn)
