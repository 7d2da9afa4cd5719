"""Public pages served from the shared page cache (portal.pagecache): fast, and never stale or leaked.

Each cached page is shown to change after the action that changes it (an
administrator's edit of a service in the back office, a dossier event), and
the cache never crosses languages, sessions or flash messages.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client as DjangoClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onestop import demo
from onestop.models import Service
from portal import demo as portal_demo
from portal import pagecache
from tests.factories import UserFactory
from tests.otp import Client

LIST = "/dich-vu/"
BIRTH = "1.001193"  # Đăng ký khai sinh, level 4, every ward and commune


@pytest.fixture
def catalogue(db):
    portal_demo.seed_units()
    demo.seed()


def queries_of(client, url, params=None, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def admin_form_data(response) -> dict:
    """The POST the admin's change form sends back unchanged: main form, inlines, management forms."""
    data: dict = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            key = bound.html_name
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(getattr(v, "pk", v)) for v in value]
            elif value is None:
                data[key] = ""
            else:
                data[key] = str(getattr(value, "pk", value))

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def admin_edit_service(code: str, **changes) -> None:
    admin = UserFactory(is_superuser=True, unit=None)
    staff = Client()
    staff.force_login(admin)
    service = Service.objects.get(code=code)
    url = reverse("admin:onestop_service_change", args=[service.pk])
    data = admin_form_data(staff.get(url))
    data.update(changes)
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""


def test_catalogue_and_service_page_are_cached_and_change_after_an_admin_edit(client, catalogue):
    service_url = reverse("onestop:service", args=[BIRTH])
    old_name = Service.objects.get(code=BIRTH).name
    queries_of(client, LIST, {"q": "khai sinh"})
    queries_of(client, service_url)
    cold, _ = queries_of(DjangoClient(), LIST, {"q": "khai sinh"})
    hits = [
        queries_of(DjangoClient(), url, params)
        for url, params in ((LIST, {"q": "khai sinh"}), (service_url, None))
    ]
    assert cold == 0 and [n for n, _html in hits] == [0, 0]  # a visitor without a session: from the cache
    assert all(old_name in html for _n, html in hits)

    admin_edit_service(BIRTH, name="Đăng ký khai sinh (thủ tục đã sửa)")

    _n, listed = queries_of(DjangoClient(), LIST, {"q": "khai sinh"})
    _n, page = queries_of(DjangoClient(), service_url)
    assert "Đăng ký khai sinh (thủ tục đã sửa)" in listed
    assert "Đăng ký khai sinh (thủ tục đã sửa)" in page


def test_filter_options_follow_a_new_sector(client, catalogue):
    from onestop.models import Sector

    assert "Lĩnh vực mới thêm" not in queries_of(client, LIST)[1]
    Sector.objects.create(code="ZZ", name="Lĩnh vực mới thêm")
    assert '<option value="ZZ">Lĩnh vực mới thêm</option>' in queries_of(client, LIST)[1]


def test_languages_never_mix(client, catalogue):
    assert "Dịch vụ công" in queries_of(DjangoClient(), LIST)[1]
    english = DjangoClient()
    english.cookies["django_language"] = "en"
    html = queries_of(english, LIST)[1]
    assert "Public services" in html and "Dịch vụ công" not in html
    assert '<html lang="en">' in html
    again = queries_of(DjangoClient(), LIST)[1]
    assert "Dịch vụ công" in again and '<html lang="vi">' in again


def message_cookie(text: str) -> str:
    response = HttpResponse()
    CookieStorage(RequestFactory().get("/"))._store([Message(constants.SUCCESS, text)], response)
    return response.cookies["messages"].value


def test_a_visitors_own_message_is_never_cached_nor_hidden_by_the_cache(catalogue):
    anonymous = DjangoClient()
    queries_of(anonymous, LIST)  # the cache holds the anonymous page
    visitor = DjangoClient()
    visitor.cookies["messages"] = message_cookie("Chỉ dành cho bạn")
    mine = queries_of(visitor, LIST)[1]
    assert "Chỉ dành cho bạn" in mine
    assert "Chỉ dành cho bạn" not in queries_of(DjangoClient(), LIST)[1]


def test_pages_rendered_for_a_session_are_never_stored_nor_served_from_the_cache(client, catalogue):
    staff = Client()
    staff.force_login(UserFactory())
    n_staff_first, _html = queries_of(staff, LIST, {"q": "ket hon"})
    n_after_staff, _html = queries_of(DjangoClient(), LIST, {"q": "ket hon"})
    assert n_staff_first > 0 and n_after_staff > 0  # the official's page was not stored
    n_staff_again, _html = queries_of(staff, LIST, {"q": "ket hon"})
    assert n_staff_again > 0  # nor does the official get the anonymous page


def test_the_csrf_token_of_a_cached_page_is_each_visitors_own(catalogue):
    lookup = "/tra-cuu/"
    tokens = []
    for _ in range(2):
        visitor = DjangoClient(enforce_csrf_checks=True)
        html = visitor.get(lookup).content.decode()
        assert pagecache.CSRF_PLACEHOLDER not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.append(token)
        answered = visitor.post(lookup, {"code": "", "secret": "", "csrfmiddlewaretoken": token})
        assert answered.status_code == 200  # the form on a cached page works (a wrong token is a 403)
        assert "is-invalid" in answered.content.decode()
    assert tokens[0] != tokens[1]
    stranger = DjangoClient(enforce_csrf_checks=True)
    refused = stranger.post(lookup, {"code": "", "secret": "", "csrfmiddlewaretoken": tokens[0]})
    assert refused.status_code == 403


def test_a_page_without_a_form_mints_no_csrf_token_and_sets_no_cookie(catalogue):
    for _ in range(2):  # rendered, then from the cache
        response = DjangoClient().get(LIST)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_the_language_links_switch_and_come_back_to_the_page(catalogue):
    visitor = DjangoClient()
    html = visitor.get(LIST, {"q": "khai sinh"}).content.decode()
    link = re.search(r'href="(/ngon-ngu/en/\?next=[^"]+)"', html).group(1).replace("&amp;", "&")
    switched = visitor.get(link)
    assert switched.status_code == 302 and switched["Location"] == "/dich-vu/?q=khai+sinh"
    assert switched.cookies["django_language"].value == "en"
    assert '<html lang="en">' in visitor.get(switched["Location"]).content.decode()
    assert "Dịch vụ công" in DjangoClient().get(LIST).content.decode()  # nobody else's page changed
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        assert visitor.get("/ngon-ngu/vi/", {"next": evil})["Location"] == "/"
    assert visitor.get("/ngon-ngu/xx/").status_code == 404


def test_unknown_query_parameters_are_rendered_not_cached(catalogue):
    queries_of(DjangoClient(), LIST, {"utm_source": "x"})
    assert queries_of(DjangoClient(), LIST, {"utm_source": "x"})[0] > 0


def test_redis_down_renders_the_page(catalogue, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    for _ in range(2):  # nothing is stored: each visit renders
        n, html = queries_of(DjangoClient(), LIST)
        assert n > 0 and "Dịch vụ công" in html


def test_a_page_not_stored_still_carries_a_real_csrf_token(catalogue):
    visitor = DjangoClient()
    visitor.cookies["messages"] = message_cookie("Chỉ dành cho bạn")
    html = queries_of(visitor, "/tra-cuu/")[1]
    assert pagecache.CSRF_PLACEHOLDER not in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)


# --- the look-up form and the status page -----------------------------------------------------


@pytest.fixture
def _no_limits():
    from portal import ratelimit

    ratelimit.clear()
    yield
    ratelimit.clear()


def look_up(client, dossier, token=None):
    from tests.onestop.factories import MOBILE

    data = {"code": dossier.code, "secret": MOBILE}
    if token:
        data["csrfmiddlewaretoken"] = token
    response = client.post("/tra-cuu/", data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_the_look_up_form_is_cached_and_its_csrf_token_works(cast, _no_limits):
    from onestop.models import DossierStatus
    from tests.onestop.factories import make_dossier

    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    queries_of(DjangoClient(), "/tra-cuu/")
    citizen = DjangoClient(enforce_csrf_checks=True)
    n, html = queries_of(citizen, "/tra-cuu/")
    assert n == 0 and "Số điện thoại hoặc số CCCD" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert look_up(citizen, dossier, token) == f"/tra-cuu/{dossier.code}/"
    prefilled = queries_of(DjangoClient(), "/tra-cuu/", {"ma": dossier.code})[1]
    assert f'value="{dossier.code}"' in prefilled


def test_the_status_page_is_kept_per_dossier_and_changes_after_each_event(cast, _no_limits):
    from onestop import services
    from onestop.models import DossierStatus
    from tests.onestop.factories import make_dossier

    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    other = make_dossier(cast, DossierStatus.SUBMITTED)
    citizen = DjangoClient()
    url = look_up(citizen, dossier)
    first = queries_of(citizen, url)[1]
    with CaptureQueriesContext(connection) as ctx:
        again = citizen.get(url).content.decode()
    assert again.count(dossier.code) == first.count(dossier.code) > 0
    assert len(ctx.captured_queries) <= 3  # the session at most: the page itself comes from the cache
    # and the proof from the session (the code it looked up), not from the dossiers table
    assert not [q for q in ctx.captured_queries if "onestop_dossier" in q["sql"]]
    assert "Bản vẽ thiếu chữ ký" not in again
    services.request_supplement(dossier, cast.officer, [{"name": "Bản vẽ", "reason": "Bản vẽ thiếu chữ ký"}])
    changed = citizen.get(url).content.decode()
    assert "Bản vẽ thiếu chữ ký" in changed
    # Another dossier's event leaves this page's cache alone, and the other page is its own.
    services.request_supplement(other, cast.officer, [{"name": "Tờ khai", "reason": "Thiếu trang 2"}])
    with CaptureQueriesContext(connection) as ctx:
        assert "Bản vẽ thiếu chữ ký" in citizen.get(url).content.decode()
    assert len(ctx.captured_queries) <= 3
    assert "Thiếu trang 2" not in citizen.get(url).content.decode()


def test_the_status_page_needs_each_browsers_own_proof_and_keeps_languages_apart(cast, _no_limits):
    from onestop.models import DossierStatus
    from tests.onestop.factories import make_dossier

    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    citizen = DjangoClient()
    url = look_up(citizen, dossier)
    assert "Hồ sơ đang được giải quyết" in queries_of(citizen, url)[1]
    stranger = DjangoClient()
    response = stranger.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/tra-cuu/?ma=")
    citizen.cookies["django_language"] = "en"
    english = queries_of(citizen, url)[1]
    assert '<html lang="en">' in english and "Hồ sơ đang được giải quyết" not in english


def test_a_page_stored_by_another_release_is_never_served(catalogue, monkeypatch):
    assert queries_of(DjangoClient(), LIST)[0] > 0
    assert queries_of(DjangoClient(), LIST)[0] == 0
    monkeypatch.setattr(pagecache, "_code", "another-release")  # new templates or code deployed
    assert queries_of(DjangoClient(), LIST)[0] > 0


# --- answered first in the stack: what the skipped middleware would have done ---------------------

#: Headers the middleware between the page cache and the view add (security, policy, framing,
#: language): a page answered from the cache has every one of them, as rendered.
STACK_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_an_answer_from_the_cache_has_the_headers_of_a_rendered_one(catalogue):
    for url in (LIST, "/tra-cuu/"):
        rendered = DjangoClient().get(url)
        with CaptureQueriesContext(connection) as ctx:
            cached = DjangoClient().get(url)
        assert len(ctx.captured_queries) == 0, url
        for name in STACK_HEADERS:
            assert cached.has_header(name), (url, name)
            assert cached[name] == rendered[name], (url, name)
        assert "Cookie" in cached["Vary"]
        assert cached["Content-Length"] == str(len(cached.content))
        assert cached.content.count(b"</html>") == 1
    form = DjangoClient().get("/tra-cuu/")  # never kept by a browser: Cache-Control and Expires of now
    assert "no-store" in form["Cache-Control"] and form.has_header("Expires")
    assert form.cookies["csrftoken"].value  # a new visitor gets the cookie their token needs


def test_a_returning_visitor_keeps_their_csrf_secret_and_their_token_matches_it(catalogue):
    from django.middleware.csrf import _unmask_cipher_token

    DjangoClient().get("/tra-cuu/")  # stored
    visitor = DjangoClient(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = "A" * 32
    with CaptureQueriesContext(connection) as ctx:
        response = visitor.get("/tra-cuu/")
    assert len(ctx.captured_queries) == 0
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', response.content.decode()
    ).group(1)
    assert _unmask_cipher_token(token) == "A" * 32
    assert response.cookies["csrftoken"].value == "A" * 32  # sent again, renewed
    assert (
        visitor.post("/tra-cuu/", {"code": "", "secret": "", "csrfmiddlewaretoken": token}).status_code == 200
    )
    broken = DjangoClient()
    broken.cookies["csrftoken"] = "not-a-token!"  # replaced, as Django's middleware does
    replaced = broken.get("/tra-cuu/").cookies["csrftoken"].value
    assert re.fullmatch(r"[A-Za-z0-9]{32}", replaced)


def test_the_csrf_tokens_are_djangos_and_never_repeat():
    from django.middleware.csrf import _unmask_cipher_token

    request = RequestFactory().get("/")
    tokens = {pagecache.csrf_token(request) for _ in range(200)}
    secret = request.META["CSRF_COOKIE"]
    assert len(tokens) == 200 and re.fullmatch(r"[A-Za-z0-9]{32}", secret)
    assert all(
        re.fullmatch(r"[A-Za-z0-9]{64}", token) and _unmask_cipher_token(token) == secret for token in tokens
    )
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    # Every character of the alphabet comes out, none favoured beyond chance.
    drawn = "".join(pagecache._random_csrf_chars(62) for _ in range(400))
    counts = [drawn.count(char) for char in pagecache.CSRF_CHARS]
    assert min(counts) > 250 and max(counts) < 550  # 400 expected each


def test_what_the_stack_refuses_or_redirects_is_never_answered_from_the_cache(catalogue, settings):
    queries_of(DjangoClient(), LIST, {"q": "khai sinh"})  # stored
    assert queries_of(DjangoClient(), LIST, {"q": "khai sinh"})[0] == 0
    assert DjangoClient().get(LIST, {"q": "khai\x00sinh"}).status_code == 400
    assert DjangoClient().get(LIST, {"q": "khai sinh"}, HTTP_HOST="evil.example").status_code == 400
    settings.SECURE_SSL_REDIRECT = True
    redirected = DjangoClient().get(LIST, {"q": "khai sinh"})
    assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
    assert DjangoClient().get(LIST, {"q": "khai sinh"}, secure=True).status_code == 200


def test_a_configuration_the_middleware_does_not_answer_for_is_cached_by_the_view(catalogue, settings):
    settings.DISALLOWED_USER_AGENTS = [re.compile(r"EvilBot")]
    queries_of(DjangoClient(), LIST)
    n, html = queries_of(DjangoClient(), LIST)
    assert n == 0 and "Dịch vụ công" in html  # kept below the middleware, apart from its pages
    assert DjangoClient().get(LIST, HTTP_USER_AGENT="EvilBot/1.0").status_code == 403
    answered = DjangoClient().get(LIST)
    for name in STACK_HEADERS:
        assert answered.has_header(name), name


def test_the_release_fingerprint_holds_the_settings_but_no_secret(settings, monkeypatch):
    monkeypatch.setattr(pagecache, "_code", None)
    before = pagecache.code_version()
    for name, value in (("SECRET_KEY", "another-secret-key-0123456789-0123456789-0123456789"),):
        setattr(settings, name, value)
        monkeypatch.setattr(pagecache, "_code", None)
        assert pagecache.code_version() == before, name
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"  # a header every stored page carries
    monkeypatch.setattr(pagecache, "_code", None)
    assert pagecache.code_version() != before


def test_a_proven_browser_gets_the_status_page_before_the_stack_with_its_headers(cast, _no_limits):
    from onestop.models import DossierStatus
    from tests.onestop.factories import make_dossier

    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    citizen = DjangoClient()
    url = look_up(citizen, dossier)
    rendered = citizen.get(url)
    with CaptureQueriesContext(connection) as ctx:
        cached = citizen.get(url)
    assert len(ctx.captured_queries) == 0  # the session from Redis, the page from the cache
    assert cached.content.decode().count(dossier.code) == rendered.content.decode().count(dossier.code) > 0
    for name in STACK_HEADERS:
        assert cached[name] == rendered[name], name
    assert (
        "no-store" in cached["Cache-Control"] and cached.has_header("Expires") and "Cookie" in cached["Vary"]
    )
    assert not cached.cookies.get("sessionid")  # the session is read, never rewritten
    # A message waiting for this browser is shown: that page is rendered for it alone.
    citizen.cookies["messages"] = message_cookie("Đã nhận bổ sung của bạn")
    assert "Đã nhận bổ sung của bạn" in citizen.get(url).content.decode()
    assert "Đã nhận bổ sung của bạn" not in citizen.get(url).content.decode()  # shown once
