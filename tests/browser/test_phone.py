"""Every public page fits a 360 px phone: no sideways scrolling (issue 7, item 10).

One journey visits every public HTML page of the portal at 360 px and measures
the document's width. ``test_every_public_page_is_in_the_list`` keeps the list
honest: a new public URL must be added here (or named as not a page).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from feedback import services as feedback_services
from feedback.models import Category
from onestop.models import DossierStatus
from onestop.payments import payment_token
from portal import ratelimit
from portal.models import SiteProfile
from tests.onestop.factories import MOBILE, make_dossier

PHONE = {"width": 360, "height": 740}

# URL names that are not pages a citizen reads on a screen: actions (POST only), files, APIs, probes.
NOT_PAGES = {
    "healthz",
    "livez",
    "set_language",
    "switch_language",
    "citizen_logout",
    "onestop:form",
    "onestop:lookup_supplement",
    "onestop:lookup_rate",
    "onestop:letter",
    "onestop:result_file",
    "onestop:payment_start",
    "onestop:payment_ipn",
    "onestop:payment_return",
    "onestop:sandbox_vnpay",
    "onestop:stats_csv",
    "feedback:stats_csv",
    "feedback:stats_xlsx",
    "feedback:rate",
    "feedback:reopen",
    "feedback:photo",
    "feedback:openapi",
    "feedback:discovery",
    "feedback:services",
    "feedback:service",
    "feedback:requests",
    "feedback:request",
    "feedback:token",
    "feedback:api_not_found",
    "cms_login",  # a redirect to the staff log-in
    "sitemap",
    "website:robots",
    "website:news_rss",
    "website:news_atom",
    "website:legal_rss",
    "website:legal_atom",
    "website:legal_file",
    "website:media",
    "website:report",  # a back-office page under /admin/
    "wagtailcore_login",  # Wagtail's page-privacy forms: no page is restricted that way
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
    "wagtaildocs_serve",  # attachments (files)
}

# Public pages measured at 360 px by the website's own journeys (tests/browser/test_website.py),
# with the articles and issued documents those journeys make: an article, the news index and a
# section (Wagtail's page view), a legal document's page.
COVERED_BY_WEBSITE_JOURNEYS = {"wagtail_serve", "website:legal_detail"}


def _public_url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns != "admin" and not str(pattern.pattern).startswith("cms/"):  # back offices
                yield from _public_url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _pages(cast) -> tuple[dict[str, str], object]:
    """Every public page, by URL name, with real data behind it."""
    SiteProfile.objects.update_or_create(pk=1, defaults={"portal_name": "Cổng dịch vụ công thành phố Mỹ Tho"})
    service = cast.paid_service
    draft = make_dossier(cast, DossierStatus.DRAFT)
    waiting = make_dossier(cast, DossierStatus.SUPPLEMENT_REQUESTED)
    paying = make_dossier(cast, DossierStatus.AWAITING_PAYMENT, service=service)
    category = Category.objects.create(
        code="den-duong", name="Đèn đường hư hỏng", default_unit=cast.dept, working_days=3
    )
    report, key = feedback_services.submit_report(
        {
            "category": category,
            "ward": cast.ward,
            "address": "12 Lê Lợi, Phường 1",
            "description": "Đèn đường trước nhà số 12 không sáng ba đêm nay.",
            "reporter_name": "Nguyễn Văn An",
            "reporter_phone": MOBILE,
            "reporter_email": "",
            "name_public": False,
            "attributes": {},
        }
    )
    return {
        "home": reverse("home"),
        "admin_password_reset": reverse("admin_password_reset"),
        "password_reset_done": reverse("password_reset_done"),
        "password_reset_confirm": reverse("password_reset_confirm", args=["MQ", "set-password"]),
        "password_reset_complete": reverse("password_reset_complete"),
        "citizen_login": reverse("citizen_login"),
        "onestop:catalogue": reverse("onestop:catalogue"),
        "onestop:service": reverse("onestop:service", args=[service.code]),
        "onestop:file": reverse("onestop:file", args=[service.code]),
        "onestop:draft": reverse("onestop:draft", args=[draft.draft_token]),
        "onestop:lookup": reverse("onestop:lookup"),
        # The dossier's own pages need the look-up's proof: visited after it (see the test).
        "onestop:lookup_detail": reverse("onestop:lookup_detail", args=[waiting.code]),
        "onestop:submitted": reverse("onestop:submitted", args=[waiting.code]),
        "onestop:my_dossiers": reverse("onestop:my_dossiers"),  # signed out: the sign-in page
        "onestop:pay": reverse("onestop:pay", args=[paying.code]) + f"?t={payment_token(paying)}",
        "onestop:stats": reverse("onestop:stats"),
        "feedback:list": reverse("feedback:list"),
        "feedback:form": reverse("feedback:form"),
        "feedback:lookup": reverse("feedback:lookup"),
        "feedback:stats": reverse("feedback:stats"),
        "feedback:report": reverse("feedback:report", args=[report.code]) + f"?k={key}",
        "feedback:submitted": reverse("feedback:submitted", args=[report.code]),
        "website:library": reverse("website:library"),
        "website:schedule": reverse("website:schedule"),
        "website:meetings": reverse("website:meetings"),
        "website:search": reverse("website:search") + "?q=khai+sinh",
        "not found": "/khong-co-trang-nay/",
    }, waiting


@pytest.fixture(autouse=True)
def _clean_limits():
    ratelimit.clear()
    yield
    ratelimit.clear()


def test_every_public_page_is_in_the_list(cast):
    pages, _dossier = _pages(cast)
    assert set(_public_url_names()) - NOT_PAGES - COVERED_BY_WEBSITE_JOURNEYS - set(pages) == set()


def test_every_public_page_fits_a_360px_phone(browser, live_server, cast):
    pages, dossier = _pages(cast)
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    page = context.new_page()
    # The look-up proves this browser knows the dossier, which opens its own pages.
    page.goto(f"{live_server.url}{reverse('onestop:lookup')}?ma={dossier.code}")
    page.get_by_label("Số điện thoại hoặc số CCCD").fill(MOBILE)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(f"**{reverse('onestop:lookup_detail', args=[dossier.code])}")

    too_wide = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status < 500, (name, response.status)
        if name != "not found":
            assert response.status == 200, (name, path, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
    context.close()
    assert too_wide == {}
