"""Private files on S3-compatible object storage, through the kernel (portal.uploads), against moto's server."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from onestop.models import DossierStatus as S
from tests.cluster.conftest import s3_client
from tests.onestop.factories import PDF_BYTES, make_dossier


def _fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def test_a_citizens_upload_lands_in_the_bucket_and_is_served_only_after_visible_to(client, cast, s3_storage):
    dossier = make_dossier(cast, S.SUBMITTED)  # the citizen's PDF attached through the real service
    record = dossier.files.get()
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    s3 = s3_client(s3_storage["endpoint"])
    stored = s3.get_object(Bucket=s3_storage["bucket"], Key=record.file.name)["Body"].read()
    assert stored == PDF_BYTES  # in the object store, byte for byte
    # The bucket is private: the object's plain URL answers 403 to anyone.
    plain = f"{s3_storage['endpoint']}/{s3_storage['bucket']}/{record.file.name}"
    assert _fetch(plain)[0] == 403

    url = reverse("admin:onestop_dossier_file", args=[dossier.pk, record.pk])
    client.force_login(cast.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES  # streamed from S3 through the view
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="giay-to.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("private, no-store")
    # Another ward's officer does not see the dossier, so not its file either.
    client.force_login(cast.other_officer)
    assert client.get(url).status_code == 404


def test_signed_urls_are_short_lived_and_only_handed_out_after_visible_to(client, cast, s3_storage, settings):
    settings.PRIVATE_FILES_SIGNED_URLS = True
    dossier = make_dossier(cast, S.SUBMITTED)
    record = dossier.files.get()
    url = reverse("admin:onestop_dossier_file", args=[dossier.pk, record.pk])
    client.force_login(cast.other_officer)
    assert client.get(url).status_code == 404  # no URL for those who may not see it
    client.force_login(cast.officer)
    response = client.get(url)
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(s3_storage["endpoint"]) and "Signature=" in signed and "Expires=" in signed
    status, body, headers = _fetch(signed)
    assert status == 200 and body == PDF_BYTES
    assert headers["Content-Type"] == "application/pdf"
    assert (
        headers["Content-Disposition"].startswith("attachment")
        and "giay-to.pdf" in headers["Content-Disposition"]
    )
    # Valid for PRIVATE_FILES_URL_SECONDS (60 s), not for ever; without its signature the object is refused.
    expires = int(parse_qs(urlsplit(signed).query)["Expires"][0])
    assert 0 < expires - time.time() <= 61
    assert _fetch(signed.split("?")[0])[0] == 403


def test_a_file_missing_from_the_bucket_is_a_404_not_a_500(client, cast, s3_storage):
    dossier = make_dossier(cast, S.SUBMITTED)
    record = dossier.files.get()
    s3_client(s3_storage["endpoint"]).delete_object(Bucket=s3_storage["bucket"], Key=record.file.name)
    client.force_login(cast.officer)
    assert client.get(reverse("admin:onestop_dossier_file", args=[dossier.pk, record.pk])).status_code == 404


@pytest.mark.parametrize("policy", ["store", "store_bytes"])
def test_every_kernel_writer_goes_through_the_storage_api(s3_storage, policy):
    """store() and store_bytes() (letters, results, photos) write through the configured storage."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onestop.models import DossierFile
    from portal import uploads

    record = DossierFile()
    if policy == "store":
        uploads.store(record, SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf"))
    else:
        uploads.store_bytes(record, PDF_BYTES, "ket-qua.pdf", uploads.PDF)
    s3 = s3_client(s3_storage["endpoint"])
    body = s3.get_object(Bucket=s3_storage["bucket"], Key=record.file.name)["Body"].read()
    assert body == PDF_BYTES and record.size == len(PDF_BYTES)
