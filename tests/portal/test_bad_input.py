"""No 5xx on bad input: every URL pattern, fed NUL, overlong and malformed values, by every role.

The URL patterns are read from the URLconf itself (``get_resolver``), so a new
page is walked as soon as it exists. Each path parameter gets, one at a time,
a NUL byte, an overlong value and malformed ones; each page also gets a
query string and a form of bad values. Nothing may answer 5xx.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from onestop.models import DossierStatus
from portal import roles
from tests.factories import UserFactory
from tests.onestop.factories import make_dossier
from tests.otp import Client

NUL = "%00"
OVERLONG = "9" * 3000
MALFORMED = [
    "abc%3Cscript%3E%27%22",
    "-1",
    "99999999999999999999999",
    "..%2F..%2Fetc",
    "%F0%9F%92%A9",
    "%C3%28",
]
QUERIES = [
    "?q=a%00b&ma=%00&t=%00&year=%00&period=%00&next=%00",
    "?q=" + "x" * 3000 + "&ma=" + "9" * 3000 + "&t=" + "a" * 3000 + "&year=99999999999&period=zzz",
    "?p=abc&o=zz.-9&unit_ids__contains=52&status__in=%5B%5D&e=1&all=&_popup=1&_to_field=password",
    "?year=-1&period=q9&all=1&p=999999999999&queue=%27&unit=abc&created_at__gte=notadate",
]
FORMS = [
    {
        "code": "a\x00b",
        "secret": "\x00",
        "q": "\x00",
        "username": "\x00",
        "password": "\x00",
        "token": "\x00",
    },
    {
        "code": "9" * 3000,
        "secret": "9" * 3000,
        "username": "u" * 3000,
        "password": "p" * 3000,
        "dossier_code": "9" * 3000,
        "token": "t" * 3000,
        "applicant_name": "n" * 5000,
        "note": "n" * 100000,
        "action": "x" * 300,
    },
]
# Pages that end the test's session: walked last is not enough, so they are left out.
SKIP = ("admin/logout/", "tai-khoan/dang-xuat/")


def _patterns() -> list[tuple[str, list[str]]]:
    """Every (format string, parameter names) the URLconf can produce, namespaces included."""
    found: dict[str, list[str]] = {}

    def walk(resolver, prefix: str):
        for key in list(resolver.reverse_dict.keys()):
            for possibilities, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(key):
                for fmt, params in possibilities:
                    found.setdefault(prefix + fmt, list(params))
        for _namespace, (ns_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, prefix + ns_prefix)

    walk(get_resolver(), "")
    return sorted((fmt, params) for fmt, params in found.items() if not fmt.startswith(SKIP))


def _urls(samples: dict[str, str]) -> list[tuple[str, bool]]:
    """(url, is the well-formed one): each pattern with sample values, then with one bad value at a time."""
    urls: dict[str, bool] = {}
    for fmt, params in _patterns():
        base = {name: samples.get(name, "1") for name in params}
        urls["/" + fmt % base] = True
        for name in params:
            for bad in [NUL, "a" + NUL, OVERLONG, *MALFORMED]:
                urls.setdefault("/" + fmt % {**base, name: bad}, False)
        if not params:
            urls.setdefault("/" + fmt + NUL, False)
    return sorted(urls.items())


@pytest.fixture
def samples(cast):
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    draft = make_dossier(cast, DossierStatus.DRAFT)
    return {
        "code": dossier.code,
        "token": draft.draft_token,
        "kind": "receipt",
        "object_id": str(dossier.pk),
        "app_label": "onestop",
        "url": "onestop/dossier/",
        "action": "accept",
    }


def _walk(client: Client, samples: dict[str, str]) -> list[str]:
    """Every URL by GET and by POST of bad fields; the well-formed URLs also with every bad query."""
    failures = []
    for url, well_formed in _urls(samples):
        requests = [("get", url, None), ("post", url, FORMS[0])]
        if well_formed:
            requests += [("get", url + query, None) for query in QUERIES] + [("post", url, FORMS[1])]
        for method, target, data in requests:
            response = client.get(target) if method == "get" else client.post(target, data)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {target[:160]} -> {response.status_code}")
    return failures


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer", "sysadmin"])
def test_no_url_answers_5xx_to_bad_input(cast, samples, who):
    user = {
        "anonymous": None,
        "citizen": lambda: UserFactory(username="citizen.walk", citizen=True),
        "officer": lambda: cast.officer,
        "sysadmin": lambda: UserFactory(username="sysadmin.walk", unit=cast.city, role=roles.SYSADMIN),
    }[who]
    client = _client(user() if user else None)
    failures = _walk(client, samples)
    assert not failures, f"{len(failures)} requests answered 5xx:\n" + "\n".join(failures[:60])


def test_the_walk_covers_the_known_urls():
    formats = {fmt for fmt, _params in _patterns()}
    for expected in [
        "tra-cuu/",
        "tra-cuu/%(code)s/",
        "ho-so/nhap/%(token)s/",
        "thanh-toan/vnpay/ket-qua",
        "admin/onestop/dossier/",
        "admin/onestop/dossier/%(object_id)s/change/",
        "healthz",
    ]:
        assert expected in formats, expected


# --- the two roots: NUL bytes, and admin list filters ------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tra-cuu/%00/",
        "/dich-vu/%00/",
        "/dich-vu/?q=%00",
        "/ho-so/nhap/%00" + "a" * 30 + "/",
        "/thanh-toan/%00/",
    ],
)
def test_nul_in_a_url_answers_400(client, db, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_nul_in_a_form_field_answers_400_and_changes_nothing(cast):
    from onestop.models import Dossier

    client = Client(raise_request_exception=False)
    before = Dossier.objects.count()
    response = client.post("/tra-cuu/", {"code": "000.01\x00", "secret": "0912345678"})
    assert response.status_code == 400
    assert Dossier.objects.count() == before


@pytest.mark.parametrize(
    "query",
    [
        "unit_ids__contains=52",  # was a 500: any lookup on the model's own fields went to the database
        "applicant_id_number__startswith=0",  # not a declared filter: no probing personal data either
        "service__name__icontains=x",
        "nonsense=1",
    ],
)
def test_undeclared_admin_list_filters_answer_400(client, cast, query):
    client = Client(raise_request_exception=False)
    client.force_login(cast.officer)
    assert client.get(f"/admin/onestop/dossier/?{query}").status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/admin/portal/auditevent/?at__year=abc", "/admin/portal/calendarday/?date__year=2025&date__month=13"],
)
def test_malformed_values_of_declared_filters_answer_400(cast, url):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="sysadmin.filters", unit=cast.city, role=roles.SYSADMIN))
    assert client.get(url).status_code == 400


def test_declared_admin_list_filters_still_work(client, cast):
    client.force_login(cast.officer)
    for query in [
        "",
        "queue=mine",
        "status__exact=processing",
        "channel__exact=online",
        "q=Nguyễn",
        "o=2",
        "p=1",
    ]:
        assert client.get(f"/admin/onestop/dossier/?{query}").status_code == 200, query


def test_every_model_admin_refuses_undeclared_filters():
    from django.contrib import admin

    from portal.admin_site import StrictListFiltersMixin

    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, StrictListFiltersMixin), model


def test_the_date_hierarchy_of_a_list_still_works(cast):
    """Drilling down by year and month (the date hierarchy) is a declared filter, not a 400."""
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="sysadmin.dates", unit=cast.city, role=roles.SYSADMIN))
    for url in [
        "/admin/portal/calendarday/?date__year=2027",
        "/admin/portal/auditevent/?at__year=2026&at__month=11",
    ]:
        assert client.get(url).status_code == 200, url
