"""The back office's dossier list and home, kept per session until any data changes (portal.pagecache).

Fast when nothing changed, exact after every action, never another official's page.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onestop import services
from onestop import workflow as wf
from onestop.models import DossierStatus
from tests.onestop.factories import make_dossier
from tests.onestop.test_admin import CHANGELIST, action_url, html, listed, other_ward_dossier, queue_cells
from tests.otp import Client

S = DossierStatus


def get(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    dossier_queries = [q for q in ctx.captured_queries if "onestop_dossier" in q["sql"]]
    return html(response), dossier_queries


def test_the_list_is_kept_until_a_dossier_changes(client, cast):
    first = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    page, queries = get(client, reverse(CHANGELIST))
    assert listed(page) == {first.code} and queries
    again, queries = get(client, reverse(CHANGELIST))
    assert listed(again) == {first.code} and not queries  # from the cache: no dossier read
    second = make_dossier(cast, S.SUBMITTED)  # a citizen files a dossier
    page, queries = get(client, reverse(CHANGELIST))
    assert listed(page) == {first.code, second.code} and queries
    services.accept_dossier(second, cast.officer)
    page, _queries = get(client, reverse(CHANGELIST), {"queue": "supplement"})
    assert listed(page) == set()
    services.request_supplement(first, cast.officer, [{"name": "Bản vẽ", "reason": "Thiếu chữ ký"}])
    page, _queries = get(client, reverse(CHANGELIST), {"queue": "supplement"})
    assert listed(page) == {first.code}


def test_the_admin_home_counts_follow_every_action(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    before = queue_cells(get(client, reverse("admin:index"))[0])
    assert before["mine"] == 1 and before["supplement"] == 0
    assert queue_cells(get(client, reverse("admin:index"))[0]) == before
    services.request_supplement(dossier, cast.officer, [{"name": "Bản vẽ", "reason": "Thiếu chữ ký"}])
    after = queue_cells(get(client, reverse("admin:index"))[0])
    assert after["mine"] == 0 and after["supplement"] == 1


def test_officials_never_get_each_others_pages(cast):
    mine = make_dossier(cast, S.SUBMITTED)
    theirs = other_ward_dossier(cast)
    ward1, ward2 = Client(), Client()
    ward1.force_login(cast.officer)
    ward2.force_login(cast.other_officer)
    assert listed(get(ward1, reverse(CHANGELIST))[0]) == {mine.code}
    assert listed(get(ward2, reverse(CHANGELIST))[0]) == {theirs.code}
    assert listed(get(ward1, reverse(CHANGELIST))[0]) == {mine.code}
    # The same official in a new session (signed in again elsewhere) gets a page rendered anew.
    other_session = Client()
    other_session.force_login(cast.officer)
    page, queries = get(other_session, reverse(CHANGELIST))
    assert listed(page) == {mine.code} and queries


def test_a_message_after_an_action_is_shown_not_a_kept_page(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    get(client, reverse(CHANGELIST))
    response = client.post(action_url(dossier, wf.ACCEPT), {"note": ""}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown and all(text in html(response) for text in shown)
    # Shown once: the next list is the plain list again, with the new status.
    page, _queries = get(client, reverse(CHANGELIST))
    assert not any(text in page for text in shown)
