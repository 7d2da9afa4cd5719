"""Every documents URL, as every role (another ward's official included), fed NUL bytes, overlong
and malformed values: never a 5xx, and nothing outside one's scope is shown.

The URL patterns come from the URLconf (``tests.portal.test_bad_input._patterns``), so a
documents page added later is walked too; each gets the right kind of id (a document's, a
certificate's, a type's) and then one bad value at a time.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents import ca
from documents.models import (
    Certificate,
    CertificateKind,
    Document,
    DocumentRecipient,
    DocumentType,
    SigningAuthority,
)
from documents.workflow import DocumentAction
from portal import roles
from tests.documents import flows
from tests.factories import UserFactory
from tests.otp import Client
from tests.portal.test_bad_input import FORMS, MALFORMED, NUL, OVERLONG, QUERIES, _patterns

DOCUMENT_QUERIES = [
    *QUERIES,
    "?q=k%E1%BA%BF+ho%E1%BA%A1ch&direction=zz&type=abc&unit=-1&from=2026-02-30&to=99999-01-01&page=abc",
    "?direction=in&unit=99999999999999999999&after=9.9.9.9&format=pdf&from=0001-01-01&to=9999-12-31",
    "?format=xlsx&unit=%27&after=" + "9" * 300,
    "?queue=overdue&direction=in&status__exact=zz&doc_type__id__exact=abc&urgency__exact=%27",
]


@pytest.fixture
def world(office, authority):
    issued = flows.issued(office, external=["000.00.01.H58 | Sở Nội vụ tỉnh Tiền Giang"])
    incoming = flows.registered(office)
    certificate = ca.issue(
        authority, kind=CertificateKind.ORGANISATION, common_name=office.city.name, unit=office.city
    )
    samples = {
        "document": {
            "object_id": str(issued.pk),
            "file_id": str(issued.files.first().pk),
            "recipient_id": str(DocumentRecipient.objects.get(document=issued, unit__isnull=True).pk),
        },
        "certificate": {"object_id": str(certificate.pk)},
        "documenttype": {"object_id": str(DocumentType.objects.first().pk)},
        "signingauthority": {"object_id": str(SigningAuthority.objects.first().pk)},
    }
    return {"issued": issued, "incoming": incoming, "certificate": certificate, "samples": samples}


def _urls(samples) -> list[tuple[str, bool]]:
    urls: dict[str, bool] = {}
    for fmt, params in _patterns():
        if not fmt.startswith("admin/documents/"):
            continue
        model = fmt.split("/")[2]
        base = {name: samples[model].get(name, "1") for name in params}
        actions = [*DocumentAction.values, "nothing"] if "action" in params else [None]
        for action in actions:
            good = {**base, **({"action": action} if action else {})}
            urls["/" + fmt % good] = True
        for name in params:
            for bad in [NUL, OVERLONG, *MALFORMED[:2]]:
                urls.setdefault("/" + fmt % {**base, "action": "issue", name: bad}, False)
        if not params:
            urls.setdefault("/" + fmt + NUL, False)
    return sorted(urls.items())


PEOPLE = ["anonymous", "citizen", "clerk", "leader", "vp_cv", "b_clerk", "b_leader", "sysadmin"]


@pytest.mark.parametrize("who", PEOPLE)
def test_every_documents_url_as_every_role_answers_without_a_500(world, office, who):
    person = {
        "anonymous": None,
        "citizen": lambda: UserFactory(username="dan.walk", citizen=True),
        "sysadmin": lambda: UserFactory(username="sysadmin.docs", unit=office.city, role=roles.SYSADMIN),
    }.get(who, lambda: getattr(office, who))
    user = person() if person else None
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    urls = _urls(world["samples"])
    assert len(urls) > 100
    failures, leaks = [], []
    for url, well_formed in urls:
        requests = [("get", url, None), ("post", url, FORMS[0])]
        if well_formed:
            requests.append(("post", url, FORMS[1]))
        if well_formed and "/action/" not in url:  # an action's page reads no query string
            requests += [("get", url + query, None) for query in DOCUMENT_QUERIES]
        for method, target, data in requests:
            response = client.get(target) if method == "get" else client.post(target, data)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {target[:160]} -> {response.status_code}")
            if "%00" in target and response.status_code != 400:
                failures.append(f"{method.upper()} {target[:160]} -> {response.status_code}, not 400")
            # Another ward's officials never see the city's document, its files or its packages.
            own_doc = f"/document/{world['issued'].pk}/" in target
            if who in ("b_clerk", "b_leader") and own_doc and response.status_code == 200:
                leaks.append(f"{method.upper()} {target[:160]}")
            if user is None or who == "citizen":
                if response.status_code == 200 and "/admin/login/" not in target:
                    leaks.append(f"{who}: {method.upper()} {target[:160]}")
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:60])
    assert not leaks, "shown outside its scope:\n" + "\n".join(leaks[:30])
    # Nothing the walk posted changed the documents' history or the registry.
    assert Document.objects.filter(direction="out", number__isnull=False).count() == 1
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()


def test_another_wards_official_gets_a_404_for_every_page_of_a_copy_not_theirs(client, world, office):
    copy_a = Document.objects.get(source=world["issued"], unit=office.ward_a)
    client.force_login(office.b_clerk)
    pages = [
        reverse("admin:documents_document_change", args=[copy_a.pk]),
        reverse("admin:documents_document_file", args=[copy_a.pk, copy_a.files.first().pk]),
        reverse("admin:documents_document_action", args=[copy_a.pk, "register"]),
        reverse("admin:documents_document_replace", args=[copy_a.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"note": "x"}).status_code == 404, url
    copy_a.refresh_from_db()
    assert copy_a.status == "arrived" and copy_a.arrival_number is None
