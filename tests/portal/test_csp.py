"""A Content Security Policy on every page; no inline script in any template."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from onestop import payments
from onestop.models import DossierStatus
from tests.onestop.factories import make_dossier

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def public_urls(cast):
    awaiting = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    return [
        "/",
        reverse("onestop:catalogue"),
        f"/dich-vu/{cast.service.code}/",
        reverse("onestop:file", args=[cast.service.code]),
        reverse("onestop:lookup"),
        reverse("onestop:stats"),
        payments.pay_url(awaiting),
        reverse("admin_password_reset"),
        "/khong-co-trang-nay/",  # the 404 page
        "/tra-cuu/%00/",  # the 400 page
    ]


def test_every_public_page_has_a_strict_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code < 500, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), url
        assert not INLINE_HANDLER.search(re.sub(r"<svg.*?</svg>", "", body, flags=re.S)), url


def test_the_back_office_allows_inline_styles_but_no_inline_script(client, cast):
    client.force_login(cast.officer)
    for url in [reverse("admin:index"), reverse("admin:onestop_dossier_changelist"), reverse("admin:login")]:
        response = client.get(url)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" in policy["style-src"], url
        assert not INLINE_HANDLER.search(response.content.decode()), url


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
