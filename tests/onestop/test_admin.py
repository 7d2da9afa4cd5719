"""The officials' back office: scoping, buttons, actions, queues, PDFs, the walk-in desk.

Requests go through Django's test client as the officials would (the UI is
in Vietnamese by default); assertions read the HTML they see or the database.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from onestop import selectors, services
from onestop import workflow as wf
from onestop.admin import DossierAdmin
from onestop.models import Dossier, DossierStatus, DossierStep, ScanExemption
from onestop.views.staff import ACTIONS
from onestop.workflow import Citizen
from portal import roles, workdays
from portal.workdays import TZ
from tests.factories import UserFactory
from tests.onestop.factories import CCCD, ServiceFactory, applicant, make_dossier, pdf_upload

S = DossierStatus
CHANGELIST = "admin:onestop_dossier_changelist"


def change_url(dossier) -> str:
    return reverse("admin:onestop_dossier_change", args=[dossier.pk])


def action_url(dossier, action) -> str:
    return reverse("admin:onestop_dossier_action", args=[dossier.pk, action])


def pdf_url(dossier, kind) -> str:
    return reverse("admin:onestop_dossier_pdf", args=[dossier.pk, kind])


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


def listed(page: str) -> set[str]:
    """The dossier codes in the changelist's result table."""
    return set(re.findall(r'<th class="field-code"><a href="[^"]*">([^<]+)</a>', page))


def buttons(page: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', page))


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def other_ward_dossier(cast, state=S.SUBMITTED) -> Dossier:
    """A dossier received by Ward 2's desk."""
    service = ServiceFactory(name="Chứng thực bản sao", receiving_units=[cast.other_ward], processing_days=1)
    dossier = services.create_draft(service, cast.other_ward, applicant(applicant_name="Lê Thị Hoa"))
    doc = service.documents.get(order=1)
    services.attach_file(dossier, pdf_upload(), Citizen(dossier.pk), required_document=doc)
    dossier = services.submit_dossier(dossier, Citizen(dossier.pk))
    if state == S.PROCESSING:
        services.accept_dossier(dossier, cast.other_officer)
    return fresh(dossier)


def handed_to_department(cast) -> Dossier:
    dossier = make_dossier(cast, S.PROCESSING)
    services.hand_over(dossier, cast.ward_specialist)
    return fresh(dossier)


@pytest.fixture
def city_leader(cast):
    return UserFactory(username="ubnd.lanhdao", unit=cast.city, role=roles.LEADER)


# --- scoping ------------------------------------------------------------------------------


def test_ward_officer_sees_only_their_ward(client, cast):
    mine = make_dossier(cast, S.SUBMITTED)
    theirs = other_ward_dossier(cast)
    client.force_login(cast.officer)
    assert listed(html(client.get(reverse(CHANGELIST)))) == {mine.code}
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 404
    assert client.get(action_url(theirs, wf.ACCEPT)).status_code == 404
    assert listed(html(client.get(reverse(CHANGELIST), {"q": theirs.code}))) == set()


def test_other_wards_officer_cannot_act_on_a_dossier_by_typing_its_id(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.other_officer)
    response = client.post(action_url(dossier, wf.ACCEPT), {"note": ""})
    assert response.status_code == 404
    assert fresh(dossier).status == S.SUBMITTED and fresh(dossier).events.count() == 2


def test_department_sees_dossiers_whose_chain_passes_through_it(client, cast):
    waiting = make_dossier(cast, S.SUBMITTED)  # not accepted: only the ward holds it
    accepted = make_dossier(cast, S.PROCESSING)
    theirs = other_ward_dossier(cast, S.PROCESSING)
    client.force_login(cast.specialist)
    assert listed(html(client.get(reverse(CHANGELIST)))) == {accepted.code}
    assert {waiting.code, theirs.code}.isdisjoint(listed(html(client.get(reverse(CHANGELIST)))))
    assert client.get(change_url(waiting)).status_code == 404


def test_city_leader_sees_every_unit_below(client, cast, city_leader):
    dossiers = [make_dossier(cast, S.SUBMITTED), make_dossier(cast, S.PROCESSING), other_ward_dossier(cast)]
    client.force_login(city_leader)
    assert listed(html(client.get(reverse(CHANGELIST)))) == {d.code for d in dossiers}
    for dossier in dossiers:
        assert client.get(change_url(dossier)).status_code == 200


def test_anonymous_and_citizens_are_sent_to_the_login(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    for url in (change_url(dossier), pdf_url(dossier, "receipt"), reverse("admin:onestop_dossier_walk_in")):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(username="citizen", citizen=True))
    assert "/admin/login/" in client.get(change_url(dossier))["Location"]


def test_dossiers_are_read_only_in_the_admin(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    assert client.get(reverse("admin:onestop_dossier_add")).status_code == 403
    assert client.post(reverse("admin:onestop_dossier_delete", args=[dossier.pk])).status_code == 403
    assert fresh(dossier).status == S.SUBMITTED


# --- buttons --------------------------------------------------------------------------------

BUTTON_CASES = [
    (S.SUBMITTED, "officer", {wf.ACCEPT, wf.REQUEST_SUPPLEMENT, wf.REJECT, wf.WITHDRAW}),
    (S.SUBMITTED, "ward_specialist", set()),
    (S.SUPPLEMENT_REQUESTED, "officer", {wf.PROVIDE_SUPPLEMENT, wf.WITHDRAW}),
    (
        S.PROCESSING,
        "ward_specialist",
        {wf.REQUEST_SUPPLEMENT_PROCESSING, wf.HAND_OVER, wf.REFUSE, wf.RESCHEDULE, wf.STOP_PROCESSING},
    ),
    (
        S.PROCESSING,
        "ward_leader",
        {
            wf.ASSIGN,
            wf.REQUEST_SUPPLEMENT_PROCESSING,
            wf.HAND_OVER,
            wf.REFUSE,
            wf.RESCHEDULE,
            wf.STOP_PROCESSING,
        },
    ),
    (S.PROCESSING, "specialist", set()),
    (S.AWAITING_APPROVAL, "specialist", {wf.REFUSE, wf.RESCHEDULE, wf.STOP_PROCESSING}),
    (
        S.AWAITING_APPROVAL,
        "leader",
        {wf.APPROVE, wf.SEND_BACK, wf.REFUSE, wf.RESCHEDULE, wf.STOP_PROCESSING},
    ),
    (S.RESULT_READY, "officer", {wf.RETURN_RESULT}),
    (S.RESULT_READY, "leader", set()),
    (S.RETURNED, "officer", set()),
]


@pytest.mark.parametrize(
    ("state", "who", "expected"), BUTTON_CASES, ids=[f"{s}-{w}" for s, w, _e in BUTTON_CASES]
)
def test_buttons_match_the_workflow(client, cast, state, who, expected):
    dossier = make_dossier(cast, state)
    user = getattr(cast, who)
    client.force_login(user)
    page = html(client.get(change_url(dossier)))
    assert (
        buttons(page) == expected == set(DossierAdmin(Dossier, admin.site).case_actions(fresh(dossier), user))
    )
    for action in expected:
        assert str(wf.ACTION_LABELS[action]) in page


def test_vietnamese_labels_on_the_dossier_page(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    page = html(client.get(change_url(dossier)))
    for text in (
        "Tiếp nhận (mẫu 01)",
        "Yêu cầu bổ sung (mẫu 02)",
        "Từ chối tiếp nhận (mẫu 03)",
        "Lịch sử xử lý",
    ):
        assert text in page
    assert "Nguyễn Văn An" in page and CCCD in page


# --- every action through the admin -------------------------------------------------------------


def items_post(*items, total=5):
    data = {
        "items-TOTAL_FORMS": str(total),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "5",
        "items-MAX_NUM_FORMS": "1000",
        "note": "",
    }
    for i, (name, reason) in enumerate(items):
        data[f"items-{i}-name"] = name
        data[f"items-{i}-reason"] = reason
    return data


def supplement_at_processing(cast):
    dossier = make_dossier(cast, S.PROCESSING)
    services.request_supplement(dossier, cast.ward_specialist, [{"name": "Bản vẽ", "reason": "Thiếu"}])
    return fresh(dossier)


ACTION_CASES = [
    # (action, how to set up, who, POST data, status after)
    (wf.ACCEPT, S.SUBMITTED, "officer", {"note": "Đủ giấy tờ"}, S.PROCESSING),
    (wf.REQUEST_SUPPLEMENT, S.SUBMITTED, "officer", "items", S.SUPPLEMENT_REQUESTED),
    (wf.REJECT, S.SUBMITTED, "officer", {"note": "Không thuộc thẩm quyền"}, S.REJECTED),
    (wf.PROVIDE_SUPPLEMENT, S.SUPPLEMENT_REQUESTED, "officer", {"note": "Nộp tại quầy"}, S.SUBMITTED),
    (wf.RESUME_PROCESSING, "processing-supplement", "officer", {"note": ""}, S.PROCESSING),
    (wf.ASSIGN, S.PROCESSING, "ward_leader", "assignee", S.PROCESSING),
    (wf.REQUEST_SUPPLEMENT_PROCESSING, S.PROCESSING, "ward_specialist", "items", S.SUPPLEMENT_REQUESTED),
    (wf.HAND_OVER, S.PROCESSING, "ward_specialist", {"note": ""}, S.PROCESSING),
    (wf.SUBMIT_FOR_APPROVAL, "at-department", "specialist", {"note": "Đủ điều kiện"}, S.AWAITING_APPROVAL),
    (wf.APPROVE, S.AWAITING_APPROVAL, "leader", {"note": "Đồng ý cấp phép"}, S.RESULT_READY),
    (wf.SEND_BACK, S.AWAITING_APPROVAL, "leader", {"note": "Thẩm định lại"}, S.PROCESSING),
    (wf.REFUSE, S.PROCESSING, "ward_specialist", {"note": "Không đủ điều kiện"}, S.REFUSED),
    (wf.RESCHEDULE, S.PROCESSING, "ward_specialist", "reschedule", S.PROCESSING),
    (wf.RETURN_RESULT, S.RESULT_READY, "officer", {"note": ""}, S.RETURNED),
    (wf.WITHDRAW, S.PROCESSING, "officer", {"note": "Người nộp đề nghị rút hồ sơ"}, S.STOPPED),
    (wf.STOP_PROCESSING, S.PROCESSING, "ward_specialist", {"note": "Người nộp đã chết"}, S.STOPPED),
]


def test_every_back_office_action_has_a_case():
    assert {case[0] for case in ACTION_CASES} == set(ACTIONS)


@pytest.mark.parametrize(
    ("action", "setup", "who", "data", "after"), ACTION_CASES, ids=[c[0] for c in ACTION_CASES]
)
def test_each_action_by_post_calls_its_service(client, cast, action, setup, who, data, after):
    if setup == "processing-supplement":
        dossier = supplement_at_processing(cast)
    elif setup == "at-department":
        dossier = handed_to_department(cast)
    else:
        dossier = make_dossier(cast, setup)
    user = getattr(cast, who)
    if data == "items":
        data = items_post(("Bản vẽ thiết kế", "Thiếu chữ ký"), ("Giấy ủy quyền", "Chưa công chứng"))
    elif data == "assignee":
        data = {"assignee": cast.ward_specialist.pk}
    elif data == "reschedule":
        new_date = workdays.add_working_days(dossier.due_date, 2)
        data = {"new_date": new_date.isoformat(), "note": "Chờ ý kiến Sở Xây dựng"}
    events = dossier.events.count()
    client.force_login(user)
    response = client.post(action_url(dossier, action), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(dossier)
    levels = [level for level, _text in messages_of(response)]
    assert levels == [message_levels.SUCCESS], messages_of(response)
    dossier = fresh(dossier)
    assert dossier.status == after
    assert dossier.events.count() == events + 1
    event = dossier.events.order_by("-id").first()
    assert (event.action, event.actor) == (action, user)
    if action in (wf.REQUEST_SUPPLEMENT, wf.REQUEST_SUPPLEMENT_PROCESSING):
        items = dossier.supplement_requests.order_by("-id").first().items
        assert [i["name"] for i in items] == ["Bản vẽ thiết kế", "Giấy ủy quyền"]
        assert "Giấy ủy quyền" in html(response) and "Chưa công chứng" in html(response)
    if action == wf.ASSIGN:
        assert dossier.steps.get(status=DossierStep.Status.ACTIVE).assignee == cast.ward_specialist
    if action == wf.RESCHEDULE:
        assert dossier.rescheduled and dossier.due_date == date.fromisoformat(data["new_date"])


def test_accept_shows_the_code_and_the_receipt_link(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    response = client.post(action_url(dossier, wf.ACCEPT), {"note": ""}, follow=True)
    page = html(response)
    dossier = fresh(dossier)
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)" in page and pdf_url(dossier, "receipt") in page


# --- refusals -----------------------------------------------------------------------------------------


def assert_refused(response, dossier, before_events, status, text):
    assert response.status_code == 200
    errors = [msg for level, msg in messages_of(response) if level == message_levels.ERROR]
    assert errors and text in errors[0], messages_of(response)
    dossier = fresh(dossier)
    assert dossier.status == status and dossier.events.count() == before_events


def test_wrong_units_officer_is_refused_with_the_reason(client, cast):
    # The department sees the dossier (its chain passes through it) but the ward holds the step.
    dossier = make_dossier(cast, S.PROCESSING)
    events = dossier.events.count()
    client.force_login(cast.specialist)
    response = client.post(action_url(dossier, wf.HAND_OVER), {"note": ""}, follow=True)
    assert_refused(response, dossier, events, S.PROCESSING, "Hồ sơ đang ở Phường 1")


def test_specialist_cannot_approve(client, cast):
    dossier = make_dossier(cast, S.AWAITING_APPROVAL)
    events = dossier.events.count()
    client.force_login(cast.specialist)
    assert wf.APPROVE not in buttons(html(client.get(change_url(dossier))))
    response = client.post(action_url(dossier, wf.APPROVE), {"note": ""}, follow=True)
    assert_refused(response, dossier, events, S.AWAITING_APPROVAL, "Chỉ lãnh đạo đơn vị thực hiện bước này")


def test_specialist_of_the_ward_cannot_take_desk_actions(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    events = dossier.events.count()
    client.force_login(cast.ward_specialist)
    response = client.post(action_url(dossier, wf.ACCEPT), {"note": ""}, follow=True)
    assert_refused(response, dossier, events, S.SUBMITTED, "Chỉ cán bộ Bộ phận một cửa")


def test_stale_form_gets_the_workflows_reason(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    assert client.get(action_url(dossier, wf.REJECT)).status_code == 200
    services.accept_dossier(dossier, cast.officer)  # a colleague accepted it meanwhile
    events = fresh(dossier).events.count()
    response = client.post(action_url(dossier, wf.REJECT), {"note": "Thiếu giấy tờ"}, follow=True)
    assert_refused(response, dossier, events, S.PROCESSING, "Đang giải quyết")


def test_unknown_action_is_not_found(client, cast):
    dossier = make_dossier(cast, S.RETURNED)
    client.force_login(cast.officer)
    assert client.post(action_url(dossier, wf.RATE), {}).status_code == 404
    assert client.post(action_url(dossier, "delete"), {}).status_code == 404


def test_missing_reasons_are_shown_next_to_the_field(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    response = client.post(action_url(dossier, wf.REJECT), {"note": "  "})
    assert response.status_code == 200
    assert "errorlist" in html(response)
    assert fresh(dossier).status == S.SUBMITTED


def test_supplement_items_listed_once_with_reasons(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    client.force_login(cast.officer)
    duplicate = items_post(("Bản vẽ", "Thiếu chữ ký"), ("bản vẽ", "Mờ"))
    assert "Mỗi giấy tờ còn thiếu chỉ liệt kê một lần." in html(
        client.post(action_url(dossier, "request_supplement"), duplicate)
    )
    no_reason = items_post(("Bản vẽ", ""))
    assert "Nêu lý do cho giấy tờ này." in html(
        client.post(action_url(dossier, "request_supplement"), no_reason)
    )
    empty = items_post()
    assert "Liệt kê đầy đủ các giấy tờ còn thiếu" in html(
        client.post(action_url(dossier, "request_supplement"), empty)
    )
    assert fresh(dossier).status == S.SUBMITTED and not dossier.supplement_requests.exists()


def test_service_validation_error_is_shown_next_to_the_date(client, cast):
    dossier = make_dossier(cast, S.PROCESSING)
    client.force_login(cast.ward_specialist)
    day = dossier.due_date + timedelta(days=1)
    while workdays.is_working_day(day):  # the first day off after the appointment date
        day += timedelta(days=1)
    response = client.post(action_url(dossier, wf.RESCHEDULE), {"new_date": day.isoformat(), "note": "Chờ"})
    assert response.status_code == 200
    page = html(response)
    assert re.search(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>[^<]*ngày làm việc', page), page[:3000]
    assert not fresh(dossier).rescheduled


def test_assign_lists_only_active_staff_of_the_steps_unit(client, cast):
    dossier = make_dossier(cast, S.PROCESSING)
    UserFactory(username="p1.nghi", full_name="Cán bộ đã nghỉ", unit=cast.ward, is_active=False)
    client.force_login(cast.ward_leader)
    page = html(client.get(action_url(dossier, wf.ASSIGN)))
    assert str(cast.ward_specialist) in page
    assert str(cast.specialist) not in page and "Cán bộ đã nghỉ" not in page
    response = client.post(action_url(dossier, wf.ASSIGN), {"assignee": cast.specialist.pk})
    assert response.status_code == 200 and "errorlist" in html(response)
    assert dossier.steps.get(status="active").assignee is None


# --- queues -----------------------------------------------------------------------------------------------


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def queue_world(cast):
    """Dossiers in each queue, looked at on Tuesday 5/5/2026 at 10:00."""
    with time_machine.travel(at(2026, 4, 29, 9, 0), tick=False):
        overdue = make_dossier(cast, S.PROCESSING)  # ward step due Monday 4/5
    with time_machine.travel(at(2026, 5, 4, 9, 0), tick=False):
        due_soon = make_dossier(cast, S.PROCESSING)  # ward step due Tuesday 5/5
        services.assign_step(due_soon, cast.ward_leader, cast.ward_specialist)
        waiting = make_dossier(cast, S.SUBMITTED)
        supplement = make_dossier(cast, S.SUPPLEMENT_REQUESTED)
    with time_machine.travel(at(2026, 5, 5, 8, 0), tick=False):
        later = make_dossier(cast, S.PROCESSING)  # ward step due 6/5 ...
        services.hand_over(later, cast.ward_specialist)  # ... now at the department, due 11/5
    return {
        "overdue": overdue,
        "due_soon": due_soon,
        "waiting": waiting,
        "supplement": supplement,
        "later": later,
    }


def queue_cells(page: str) -> dict[str, int]:
    rows = re.findall(r'data-queue="(\w+)">.*?class="queue-count"[^>]*>(\d+)<', page, re.S)
    return {key: int(n) for key, n in rows}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("officer", {"mine": 1, "due_soon": 1, "overdue": 1, "supplement": 1}),
        ("ward_specialist", {"mine": 1, "due_soon": 1, "overdue": 1, "supplement": 1}),
        ("specialist", {"mine": 0, "due_soon": 1, "overdue": 1, "supplement": 0}),
    ],
)
def test_queue_counts_on_the_admin_home(client, cast, queue_world, who, expected):
    client.force_login(getattr(cast, who))
    with time_machine.travel(at(2026, 5, 5, 10, 0), tick=False):
        page = html(client.get(reverse("admin:index")))
        user = getattr(cast, who)
        assert selectors.queue_counts(user) == expected
        # The counts and the changelist filters define the same sets.
        visible = Dossier.objects.visible_to(user)
        assert {q: selectors.in_queue(visible, q, user).count() for q in expected} == expected
    assert "Hàng đợi của tôi" in page
    assert queue_cells(page) == expected


def test_mine_holds_approvals_for_leaders_and_results_for_the_desk(cast):
    awaiting = make_dossier(cast, S.AWAITING_APPROVAL)  # at the department
    ready = make_dossier(cast, S.RESULT_READY)
    for user, codes in (
        (cast.leader, {awaiting.code}),
        (cast.ward_leader, set()),
        (cast.specialist, set()),
        (cast.officer, {ready.code}),
    ):
        mine = selectors.in_queue(Dossier.objects.visible_to(user), "mine", user)
        assert set(mine.values_list("code", flat=True)) == codes, user
        assert selectors.queue_counts(user)["mine"] == len(codes), user


def test_clock_stops_while_supplements_are_awaited(cast):
    with time_machine.travel(at(2026, 4, 29, 9, 0), tick=False):
        dossier = make_dossier(cast, S.PROCESSING)  # ward step due Monday 4/5
        services.assign_step(dossier, cast.ward_leader, cast.ward_specialist)
        services.request_supplement(dossier, cast.ward_specialist, [{"name": "Bản vẽ", "reason": "Thiếu"}])
    with time_machine.travel(at(2026, 5, 5, 10, 0), tick=False):
        assert selectors.queue_counts(cast.ward_specialist) == {
            "mine": 0,
            "due_soon": 0,
            "overdue": 0,
            "supplement": 1,
        }


def test_queue_filters_list_the_right_dossiers(client, cast, queue_world):
    client.force_login(cast.officer)
    expected = {
        "mine": {"waiting"},
        "due_soon": {"due_soon"},
        "overdue": {"overdue"},
        "supplement": {"supplement"},
    }
    with time_machine.travel(at(2026, 5, 5, 10, 0), tick=False):
        for queue, names in expected.items():
            codes = listed(html(client.get(reverse(CHANGELIST), {"queue": queue})))
            shown = {name for name, d in queue_world.items() if d.code in codes}
            assert shown == names, queue
        page = html(client.get(reverse(CHANGELIST)))
        assert "Quá hạn (1)" in page and "Đến hạn hôm nay/ngày mai (1)" in page and "Chờ bổ sung (1)" in page
        # The overdue dossier's appointment (7/5) is highlighted: its ward step was due 4/5.
        assert re.findall(r'class="dossier-overdue"[^>]*>([\d/]+)', page) == ["07/05/2026"]
        by_unit = html(client.get(reverse(CHANGELIST), {"unit": cast.ward.pk}))
    shown = {name for name, d in queue_world.items() if d.code in listed(by_unit)}
    assert shown == {"overdue", "due_soon"}
    assert f"{cast.ward.name} (2)" in page


def test_unit_filter_is_limited_to_visible_units(client, cast, queue_world):
    client.force_login(cast.officer)
    page = html(client.get(reverse(CHANGELIST)))
    assert f"?unit={cast.ward.pk}" in page and f"?unit={cast.dept.pk}" not in page
    # A unit typed by hand outside the list filters nothing out (and reveals nothing).
    typed = html(client.get(reverse(CHANGELIST), {"unit": cast.dept.pk}))
    assert listed(typed) == {d.code for d in queue_world.values()}


# --- the changelist's cost ------------------------------------------------------------------------------


def changelist_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(CHANGELIST), params or {})
    assert response.status_code == 200
    return len(queries)


def add_dossiers(cast, n):
    for i in range(n):
        dossier = make_dossier(cast, [S.SUBMITTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED][i % 3])
        if dossier.status == S.PROCESSING and i % 2:
            services.assign_step(dossier, cast.ward_leader, cast.ward_specialist)


@pytest.mark.parametrize(
    "params", [{}, {"queue": "overdue"}, {"q": "Nguyễn"}], ids=["all", "overdue", "search"]
)
def test_changelist_query_count_does_not_grow_with_rows(client, cast, params):
    client.force_login(cast.officer)
    changelist_queries(client, params)  # warm the per-process caches (site profile, calendar)
    add_dossiers(cast, 5)
    few = changelist_queries(client, params)
    add_dossiers(cast, 45)
    many = changelist_queries(client, params)
    assert many == few
    assert few < 25


# --- search --------------------------------------------------------------------------------------------------


def test_search_by_code_cccd_phone_and_name(client, cast):
    an = make_dossier(cast, S.SUBMITTED)
    binh = make_dossier(
        cast,
        S.SUBMITTED,
        applicant_name="Trần Thị Bình",
        applicant_id_number="082185000456",
        applicant_phone="0987654321",
    )
    client.force_login(cast.officer)

    def found(term):
        return listed(html(client.get(reverse(CHANGELIST), {"q": term})))

    assert found(binh.code) == {binh.code}
    assert found(binh.code[:-2]) == {an.code, binh.code}  # a code's beginning
    assert found("082185000456") == {binh.code}
    assert found("0987654321") == {binh.code}
    assert found("Bình") == {binh.code}
    assert found("nguyễn văn") == {an.code}


# --- files and printable forms ----------------------------------------------------------------------------------


def test_application_file_downloads_only_within_scope(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    record = dossier.files.get()
    url = reverse("admin:onestop_dossier_file", args=[dossier.pk, record.pk])
    client.force_login(cast.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="giay-to.pdf"' in response["Content-Disposition"]
    assert url in html(client.get(change_url(dossier)))
    theirs = other_ward_dossier(cast)
    their_file = theirs.files.get()
    assert (
        client.get(reverse("admin:onestop_dossier_file", args=[theirs.pk, their_file.pk])).status_code == 404
    )
    # Another dossier's file through a visible dossier's URL is not found either.
    assert (
        client.get(reverse("admin:onestop_dossier_file", args=[dossier.pk, their_file.pk])).status_code == 404
    )


def printable_dossiers(cast):
    refused = make_dossier(cast, S.REFUSED)
    rejected = make_dossier(cast, S.REJECTED)
    rescheduled = make_dossier(cast, S.PROCESSING)
    services.reschedule_dossier(
        rescheduled, cast.ward_specialist, workdays.add_working_days(rescheduled.due_date, 2), "Chờ ý kiến"
    )
    supplement = make_dossier(cast, S.SUPPLEMENT_REQUESTED)
    returned = make_dossier(cast, S.RETURNED)
    return {
        "receipt": returned,
        "control-sheet": returned,
        "result": returned,
        "rejection": rejected,
        "refusal": refused,
        "apology": fresh(rescheduled),
        "supplement": supplement,
    }


def test_printable_forms_download_for_a_visible_dossier(client, cast):
    client.force_login(cast.officer)
    for kind, dossier in printable_dossiers(cast).items():
        if kind == "supplement":
            request = dossier.supplement_requests.get()
            url = reverse("admin:onestop_dossier_supplement_pdf", args=[dossier.pk, request.pk])
        else:
            url = pdf_url(dossier, kind)
        assert url in html(client.get(change_url(dossier))), kind
        response = client.get(url)
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf"
        data = response.getvalue() if not response.streaming else b"".join(response.streaming_content)
        assert dossier.code in pdf_text(data), kind


def test_printable_forms_are_not_found_outside_scope_or_state(client, cast):
    theirs = other_ward_dossier(cast, S.PROCESSING)
    processing = make_dossier(cast, S.PROCESSING)
    client.force_login(cast.officer)
    for kind in ("receipt", "control-sheet"):
        assert client.get(pdf_url(theirs, kind)).status_code == 404
        assert client.get(pdf_url(processing, kind)).status_code == 200
    for kind in ("rejection", "refusal", "apology", "result", "unknown"):
        assert client.get(pdf_url(processing, kind)).status_code == 404
    # A walk-in not yet accepted has no receipt (an online filing has a provisional one).
    walk_in = services.register_walk_in(
        cast.service, cast.officer, dict(WALK_IN), scan_exemption=ScanExemption.objects.get(code="shown-only")
    )
    assert client.get(pdf_url(walk_in, "receipt")).status_code == 404


# --- the walk-in desk ------------------------------------------------------------------------------------------------

WALK_IN = {
    "applicant_name": "Trần Thị Bình",
    "applicant_id_number": "082185000456",
    "applicant_address": "5 Hùng Vương, Phường 1",
    "applicant_phone": "0987 654 321",
    "applicant_email": "",
    "request_summary": "Xin phép xây nhà",
}


def test_walk_in_registration(client, cast):
    client.force_login(cast.officer)
    changelist = html(client.get(reverse(CHANGELIST)))
    walk_in = reverse("admin:onestop_dossier_walk_in")
    assert walk_in in changelist and "Tiếp nhận hồ sơ trực tiếp" in changelist
    form_page = html(client.get(walk_in, {"service": cast.service.pk}))
    assert "Tờ khai" in form_page and "Giấy tờ khác" in form_page
    mandatory = cast.service.documents.get(order=1)
    data = {**WALK_IN, "documents": [mandatory.pk], f"scan_{mandatory.pk}": pdf_upload("to-khai.pdf")}
    response = client.post(f"{walk_in}?service={cast.service.pk}", data, follow=True)
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    # Digitised at the desk: the scan is in the electronic dossier, answering its document.
    scan = dossier.files.get()
    assert (scan.kind, scan.required_document, scan.original_name) == ("scan", mandatory, "to-khai.pdf")
    assert dossier.scan_exemption is None
    assert response.redirect_chain[-1][0] == change_url(dossier)
    assert (dossier.status, dossier.channel, dossier.receiving_unit) == (S.SUBMITTED, "desk", cast.ward)
    assert dossier.applicant_phone == "0987654321"
    assert dossier.code.startswith("000.01.26.H58-")
    event = dossier.events.get(action="register_walk_in")
    assert event.data["documents"] == [{"id": mandatory.pk, "name": "Tờ khai"}]
    page = html(response)
    assert f"Đã ghi nhận hồ sơ {dossier.code}" in page
    assert buttons(page) == {wf.ACCEPT, wf.REQUEST_SUPPLEMENT, wf.REJECT, wf.WITHDRAW}
    accepted = client.post(action_url(dossier, wf.ACCEPT), {"note": ""}, follow=True)
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)" in html(accepted)


def test_walk_in_without_a_mandatory_document_prefills_the_supplement_form(client, cast):
    client.force_login(cast.officer)
    walk_in = reverse("admin:onestop_dossier_walk_in")
    shown_only = ScanExemption.objects.get(code="shown-only")
    data = {**WALK_IN, "scan_exemption": shown_only.pk}
    response = client.post(f"{walk_in}?service={cast.service.pk}", data, follow=True)
    assert "Giấy tờ bắt buộc chưa nhận: Tờ khai." in html(response)
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    form = html(client.get(action_url(dossier, wf.REQUEST_SUPPLEMENT)))
    mandatory = cast.service.documents.get(order=1)
    # The pick-list of the service's documents, the missing one picked, plus free text rows.
    assert f'<option value="{mandatory.pk}" selected>Tờ khai</option>' in form
    assert 'name="items-0-name"' in form


def test_walk_in_papers_are_scanned_or_the_reason_recorded(client, cast):
    """Circular 03/2025 Art. 5: scanned at the desk, unless one of the exemptions (data) applies."""
    client.force_login(cast.officer)
    walk_in = reverse("admin:onestop_dossier_walk_in")
    page = html(client.get(walk_in, {"service": cast.service.pk}))
    exemptions = ["Giấy tờ chỉ xuất trình để đối chiếu", "Kết quả xác minh", "bí mật nhà nước"]
    assert all(text in page for text in exemptions)
    assert "Hồ sơ nộp trực tuyến" not in page  # not a reason a walk-in dossier can give
    response = client.post(f"{walk_in}?service={cast.service.pk}", WALK_IN)
    assert response.status_code == 200
    assert "Hãy quét giấy tờ hoặc nêu lý do không quét." in html(response)
    assert not Dossier.objects.filter(applicant_name="Trần Thị Bình").exists()
    secret = ScanExemption.objects.get(code="secret")
    response = client.post(
        f"{walk_in}?service={cast.service.pk}", {**WALK_IN, "scan_exemption": secret.pk}, follow=True
    )
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    assert dossier.scan_exemption == secret and not dossier.files.exists()
    assert secret.name in html(response)


def test_walk_in_validates_like_online(client, cast):
    client.force_login(cast.officer)
    walk_in = reverse("admin:onestop_dossier_walk_in")
    bad = {**WALK_IN, "applicant_id_number": "999185000456", "applicant_phone": "12345"}
    response = client.post(f"{walk_in}?service={cast.service.pk}", bad)
    page = html(response)
    assert response.status_code == 200
    assert "errorlist" in page
    assert not Dossier.objects.filter(applicant_name="Trần Thị Bình").exists()


def test_walk_in_only_for_one_stop_officers_and_their_services(client, cast):
    walk_in = reverse("admin:onestop_dossier_walk_in")
    client.force_login(cast.ward_specialist)
    assert walk_in not in html(client.get(reverse(CHANGELIST)))
    response = client.post(f"{walk_in}?service={cast.service.pk}", WALK_IN, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert not Dossier.objects.filter(applicant_name="Trần Thị Bình").exists()
    # Ward 2's desk does not receive the service: it is not offered and cannot be posted.
    client.force_login(cast.other_officer)
    assert cast.service.name not in html(client.get(walk_in))
    client.post(f"{walk_in}?service={cast.service.pk}", WALK_IN)
    assert not Dossier.objects.filter(applicant_name="Trần Thị Bình").exists()


# --- the catalogue ---------------------------------------------------------------------------------------------------


def test_catalogue_is_managed_by_administrators(client, cast):
    admin_user = UserFactory(username="quantri", unit=cast.city, role=roles.SYSADMIN)
    client.force_login(admin_user)
    page = html(client.get(reverse("admin:onestop_service_change", args=[cast.service.pk])))
    assert "Kiểm tra hồ sơ" in page and "Tờ khai" in page  # step and document inlines
    assert (
        html(client.get(reverse("admin:onestop_service_changelist"), {"q": "giay phep xay dung"})).count(
            cast.service.code
        )
        >= 1
    )
    client.force_login(cast.officer)
    assert client.get(reverse("admin:onestop_service_add")).status_code == 403
    assert client.get(reverse("admin:onestop_service_changelist")).status_code == 200
