"""Files checked by content, whoever uploads them, and served as what they really are."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from onestop.models import RequiredDocument
from portal import uploads
from tests.onestop.factories import PDF_BYTES, ServiceFactory

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf(javascript: bool = False, attachment: bool = False, escaped: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if attachment:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    if escaped:  # the same names written with #xx escapes, which a byte search would miss
        data = data.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    return data


def office(kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if kind == "odt":
            archive.writestr("mimetype", uploads.ODT)
            archive.writestr("content.xml", "<office:document-content/>")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("kind", ["docx", "xlsx", "odt"])
def test_office_documents_are_recognised_by_their_parts(kind):
    checked = uploads.check_upload(upload(f"mau.{kind}", office(kind)), uploads.OFFICE_DOCUMENTS)
    assert checked.extension == kind


@pytest.mark.parametrize(
    "name, content",
    [
        ("mau.docx", HTML),  # an HTML page named .docx
        ("mau.pdf", HTML),
        ("mau.xlsx", office("docx")),  # a real DOCX claiming to be a spreadsheet
        ("mau.html", HTML),
        ("mau.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_office_policy_refuses_what_the_content_does_not_support(name, content):
    with pytest.raises(ValidationError):
        uploads.check_upload(upload(name, content), uploads.OFFICE_DOCUMENTS)


@pytest.mark.parametrize(
    "variant", [{"javascript": True}, {"attachment": True}, {"javascript": True, "escaped": True}]
)
def test_pdfs_with_scripts_or_embedded_files_are_refused(variant):
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload("don.pdf", pdf(**variant)))
    assert refused.value.code == "file_active"


def test_a_plain_pdf_passes_and_a_damaged_one_is_explained():
    assert uploads.check_upload(upload("don.pdf", PDF_BYTES)).content_type == uploads.PDF
    with pytest.raises(ValidationError) as damaged:
        uploads.check_upload(upload("don.pdf", b"%PDF-1.4 broken"))
    assert damaged.value.code == "file_damaged"


def test_sysadmin_cannot_upload_an_html_page_as_a_form_template(db):
    service = ServiceFactory()
    document = RequiredDocument(service=service, name="Tờ khai", template=upload("to-khai.docx", HTML))
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "template" in refused.value.error_dict


def test_an_html_file_stored_as_a_template_is_never_served_as_a_page(client, db, settings, tmp_path):
    """Stored XSS: a template that is not an office document is not served from the portal's origin."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    service = ServiceFactory(level=3)
    document = RequiredDocument.objects.create(service=service, name="Tờ khai")
    document.template.save("to-khai.html", SimpleUploadedFile("x.html", HTML))  # bypassing the form
    response = client.get(reverse("onestop:form", args=[service.code, document.pk]))
    assert response.status_code == 404


def test_an_office_template_downloads_as_an_attachment_with_its_real_type(client, db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    service = ServiceFactory(level=3)
    document = RequiredDocument.objects.create(service=service, name="Tờ khai")
    document.template.save("to-khai.docx", SimpleUploadedFile("x.docx", office("docx")))
    response = client.get(reverse("onestop:form", args=[service.code, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == uploads.DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
