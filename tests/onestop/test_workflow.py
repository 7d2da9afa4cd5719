"""The one-stop workflow through the services: every transition, every refusal, the time rules.

- Every (state, action) pair of ``workflow.TRANSITIONS`` is taken by the right
  actor, and refused (with a reason, changing nothing) for the wrong ones.
- Every action missing from a state's table is refused by the service.
- Deadlines on the real 2026 calendar (Hùng Kings Monday 27/4, 30/4-3/5 off).
- Dossier codes stay unique when twenty desks number at once.
"""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection

from onestop import services
from onestop import workflow as wf
from onestop.models import Dossier, DossierStatus, DossierStep, Payment, Timeliness
from onestop.workflow import Citizen, WorkflowError
from portal import workdays
from portal.workdays import TZ
from tests.factories import UnitFactory
from tests.onestop.factories import make_dossier

S = DossierStatus
ITEMS = [{"name": "Bản vẽ thiết kế", "reason": "Thiếu chữ ký của người thiết kế"}]
SCORES = {"visits": 2, "agencies": 2, "attitude": 2, "publication": 1, "feedback": 2}


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


# --- reaching a state through the services ---------------------------------------------


def staff_for(cast, unit):
    return cast.specialist if unit == cast.dept else cast.ward_specialist


def leader_for(cast, unit):
    return cast.leader if unit == cast.dept else cast.ward_leader


def pay(dossier: Dossier) -> Dossier:
    payment = services.start_payment(dossier)
    services.confirm_payment(payment, paid=True, provider_txn_no="14000001", response_code="00")
    return fresh(dossier)


def advance(cast, dossier: Dossier, state: str, stage: str = "desk") -> Dossier:
    """From "submitted" to ``state`` through the services (``stage`` of a supplement request)."""
    if state == S.SUBMITTED:
        return fresh(dossier)
    if state == S.SUPPLEMENT_REQUESTED and stage == "desk":
        services.request_supplement(dossier, cast.officer, ITEMS)
        return fresh(dossier)
    if state == S.REJECTED:
        services.reject_dossier(dossier, cast.officer, "Không thuộc thẩm quyền")
        return fresh(dossier)
    services.accept_dossier(dossier, cast.officer)
    if state == S.SUPPLEMENT_REQUESTED:
        services.request_supplement(dossier, cast.ward_specialist, ITEMS)
    elif state == S.REFUSED:
        services.refuse_dossier(dossier, cast.ward_specialist, "Không đủ điều kiện")
    elif state == S.STOPPED:
        services.stop_processing(dossier, cast.ward_specialist, "Người nộp đề nghị dừng")
    elif state != S.PROCESSING:
        steps = list(dossier.steps.order_by("order"))
        for step in steps[:-1]:
            services.hand_over(dossier, staff_for(cast, step.unit))
        services.submit_for_approval(dossier, staff_for(cast, steps[-1].unit))
        if state != S.AWAITING_APPROVAL:
            services.approve_dossier(dossier, leader_for(cast, steps[-1].unit), "Đồng ý")
            if state == S.RETURNED:
                services.return_result(dossier, cast.officer)
    return fresh(dossier)


def reach(cast, state: str, *, paid: bool = False, stage: str = "desk") -> Dossier:
    """A dossier of the building-permit service (or the paid level-4 one) in ``state``."""
    paid = paid or state == S.AWAITING_PAYMENT
    service = cast.paid_service if paid else cast.service
    if state == S.DRAFT:
        return make_dossier(cast, S.DRAFT, service=service)
    dossier = make_dossier(cast, S.SUBMITTED, service=service)
    if paid and state != S.AWAITING_PAYMENT:
        dossier = pay(dossier)
    dossier = advance(cast, dossier, state, stage) if state != S.AWAITING_PAYMENT else fresh(dossier)
    assert dossier.status == state
    return dossier


def snapshot(dossier: Dossier) -> tuple:
    d = fresh(dossier)
    steps = tuple(d.steps.order_by("order").values_list("status", "due_date", "assignee_id"))
    return d.status, d.events.count(), d.due_date, d.rescheduled, steps


# --- who acts ---------------------------------------------------------------------------


def active_unit(dossier: Dossier):
    step = dossier.steps.filter(status=DossierStep.Status.ACTIVE).select_related("unit").first()
    return step.unit if step else None


def other_unit_staff(cast, unit):
    return cast.ward_specialist if unit == cast.dept else cast.specialist


def right_actor(cast, dossier: Dossier, action: str):
    kind = wf.ACTORS[action]
    unit = active_unit(dossier) or cast.ward
    return {
        "citizen": Citizen(dossier.pk),
        "system": wf.SYSTEM,
        "desk": cast.officer,
        "citizen_or_desk": cast.officer,
        "step": staff_for(cast, unit),
        "step_leader": leader_for(cast, unit),
    }[kind]


def wrong_actors(cast, dossier: Dossier, action: str) -> list:
    kind = wf.ACTORS[action]
    unit = active_unit(dossier) or cast.ward
    anonymous = AnonymousUser()
    other_citizen = Citizen(dossier.pk + 100000)
    return {
        "citizen": [other_citizen, cast.officer, cast.other_officer, anonymous],
        "system": [cast.officer, Citizen(dossier.pk), anonymous],
        "desk": [cast.other_officer, cast.ward_specialist, Citizen(dossier.pk), anonymous],
        "citizen_or_desk": [cast.other_officer, cast.ward_specialist, other_citizen, anonymous],
        "step": [cast.other_officer, other_unit_staff(cast, unit), Citizen(dossier.pk), anonymous],
        "step_leader": [
            staff_for(cast, unit),  # a specialist for a leader-only action
            leader_for(cast, cast.ward if unit == cast.dept else cast.dept),  # another unit's leader
            cast.other_officer,
            Citizen(dossier.pk),
            anonymous,
        ],
    }[kind]


# --- doing an action through its service ------------------------------------------------


def perform(cast, action: str, dossier: Dossier, actor):
    """Call the service that takes ``action`` (the workflow inside it decides)."""
    if action in (wf.SUBMIT, wf.SUBMIT_FOR_PAYMENT):
        return services.submit_dossier(dossier, actor)
    if action == wf.CONFIRM_PAYMENT:
        payment = dossier.payments.filter(status=Payment.Status.PENDING).first()
        if payment is None:
            payment = Payment.objects.create(dossier=dossier, txn_ref=f"T{dossier.pk}", amount=50000)
        return services.confirm_payment(payment, paid=True)
    if action in (wf.REQUEST_SUPPLEMENT, wf.REQUEST_SUPPLEMENT_PROCESSING):
        return services.request_supplement(dossier, actor, ITEMS)
    if action in (wf.PROVIDE_SUPPLEMENT, wf.RESUME_PROCESSING):
        return services.provide_supplement(dossier, actor, note="Đã nộp bản vẽ")
    if action == wf.ASSIGN:
        unit = active_unit(dossier) or cast.ward
        return services.assign_step(dossier, actor, staff_for(cast, unit))
    if action == wf.RESCHEDULE:
        base = dossier.due_date or workdays.today()
        return services.reschedule_dossier(dossier, actor, workdays.add_working_days(base, 3), "Chờ ý kiến")
    calls = {
        wf.ACCEPT: lambda: services.accept_dossier(dossier, actor),
        wf.REJECT: lambda: services.reject_dossier(dossier, actor, "Không thuộc thẩm quyền"),
        wf.HAND_OVER: lambda: services.hand_over(dossier, actor, "Đủ điều kiện"),
        wf.SUBMIT_FOR_APPROVAL: lambda: services.submit_for_approval(dossier, actor),
        wf.APPROVE: lambda: services.approve_dossier(dossier, actor, "Đồng ý"),
        wf.SEND_BACK: lambda: services.send_back(dossier, actor, "Bổ sung thẩm định"),
        wf.REFUSE: lambda: services.refuse_dossier(dossier, actor, "Không đủ điều kiện"),
        wf.RETURN_RESULT: lambda: services.return_result(dossier, actor),
        wf.RATE: lambda: services.rate_dossier(dossier, actor, SCORES),
        wf.WITHDRAW: lambda: services.withdraw_dossier(dossier, actor, "Người nộp rút hồ sơ"),
        wf.STOP_PROCESSING: lambda: services.stop_processing(dossier, actor, "Dừng theo đề nghị"),
    }
    return calls[action]()


def setup_for(cast, state: str, action: str) -> Dossier:
    """A dossier in ``state`` where ``action``'s other conditions hold."""
    paid = action in (wf.SUBMIT_FOR_PAYMENT, wf.CONFIRM_PAYMENT)
    stage = "processing" if action in (wf.RESUME_PROCESSING, wf.STOP_PROCESSING) else "desk"
    dossier = reach(cast, state, paid=paid, stage=stage)
    if state == S.AWAITING_PAYMENT and action == wf.CONFIRM_PAYMENT:
        services.start_payment(dossier)
    if state == S.PROCESSING and action == wf.SUBMIT_FOR_APPROVAL:
        services.hand_over(dossier, cast.ward_specialist)  # the last step (the department's)
    return fresh(dossier)


ALLOWED = [(state, action) for state, table in wf.TRANSITIONS.items() for action in table]
FORBIDDEN = [
    (state, action) for state in wf.TRANSITIONS for action in wf.ACTORS if action not in wf.TRANSITIONS[state]
]
# The service picks the desk or the processing variant from the state, so these two
# pairs cannot be asked of it: the workflow check it calls is asserted instead.
STATE_PICKS_VARIANT = {(S.PROCESSING, wf.REQUEST_SUPPLEMENT), (S.SUBMITTED, wf.REQUEST_SUPPLEMENT_PROCESSING)}


def test_the_table_covers_every_state_and_action():
    assert set(wf.TRANSITIONS) == set(S.values)
    assert len(ALLOWED) + len(FORBIDDEN) == len(S.values) * len(wf.ACTORS)
    assert len(ALLOWED) == 27


@pytest.mark.parametrize(("state", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition_right_actor_only(cast, state, action):
    dossier = setup_for(cast, state, action)
    before = snapshot(dossier)
    for actor in wrong_actors(cast, dossier, action):
        with pytest.raises(WorkflowError) as refused:
            if action == wf.CONFIRM_PAYMENT:
                wf.check(dossier, action, actor)  # the gateway's callback has no other caller
            else:
                perform(cast, action, fresh(dossier), actor)
        assert str(refused.value.message).strip(), actor
        assert snapshot(dossier) == before, f"{actor!r} changed the dossier"
    perform(cast, action, fresh(dossier), right_actor(cast, dossier, action))
    after = fresh(dossier)
    assert after.status == wf.TRANSITIONS[state][action]
    last = after.events.order_by("-at", "-id").first()
    assert last.action == action
    assert (last.from_status, last.to_status) == (state, after.status)


@pytest.mark.parametrize(("state", "action"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_action_outside_the_table_is_refused(cast, state, action):
    paid = action in (wf.SUBMIT_FOR_PAYMENT,)
    dossier = reach(cast, state, paid=paid)
    before = snapshot(dossier)
    actor = right_actor(cast, dossier, action)
    with pytest.raises(WorkflowError) as refused:
        if (state, action) in STATE_PICKS_VARIANT:
            wf.check(dossier, action, actor)
        else:
            perform(cast, action, dossier, actor)
    assert str(refused.value.message).strip()
    assert snapshot(dossier) == before
    assert action not in wf.allowed_actions(fresh(dossier), actor)


def test_refusal_names_the_action_and_the_state(cast):
    dossier = reach(cast, S.RETURNED)
    with pytest.raises(WorkflowError) as refused:
        services.accept_dossier(dossier, cast.officer)
    from django.utils import translation

    with translation.override("vi"):
        text = str(refused.value.message)
    assert "Tiếp nhận (mẫu 01)" in text and "Đã trả kết quả" in text


def test_citizen_records_supplements_asked_at_the_desk(cast):
    dossier = reach(cast, S.SUPPLEMENT_REQUESTED)
    services.provide_supplement(dossier, Citizen(dossier.pk), note="Đã bổ sung")
    assert fresh(dossier).status == S.SUBMITTED


# --- deadlines on the real calendar ----------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted_at", "step_dues", "appointment"),
    [
        # Before 15:00 on Friday 24/4: transferred that day; Monday 27/4 and 30/4-3/5 are days off.
        (at(2026, 4, 24, 14, 59), [date(2026, 4, 28), date(2026, 5, 5)], date(2026, 5, 5)),
        # After 15:00: transferred on the next working day, Tuesday 28/4.
        (at(2026, 4, 24, 15, 1), [date(2026, 4, 29), date(2026, 5, 6)], date(2026, 5, 6)),
    ],
    ids=["14h59", "15h01"],
)
def test_accept_on_friday_before_the_holidays(cast, accepted_at, step_dues, appointment):
    with time_machine.travel(at(2026, 4, 24, 8, 0), tick=False):
        dossier = make_dossier(cast, S.SUBMITTED)
    with time_machine.travel(accepted_at, tick=False):
        services.accept_dossier(dossier, cast.officer)
    dossier = fresh(dossier)
    assert [s.due_date for s in dossier.steps.order_by("order")] == step_dues
    assert dossier.due_date == appointment == dossier.original_due_date
    assert dossier.code.startswith("000.01.26.H58-260424-")
    first = dossier.steps.get(order=1)
    assert first.status == DossierStep.Status.ACTIVE and first.started_at == accepted_at


def _accepted(cast, when: datetime) -> Dossier:
    with time_machine.travel(when, tick=False):
        dossier = make_dossier(cast, S.SUBMITTED)
        services.accept_dossier(dossier, cast.officer)
    return fresh(dossier)


def test_processing_unit_may_ask_for_supplements_within_three_working_days(cast):
    # Received Wednesday 29/4; 30/4-3/5 are off: day 1 is 4/5, day 3 is 6/5.
    allowed = _accepted(cast, at(2026, 4, 29, 9, 0))
    with time_machine.travel(at(2026, 5, 6, 16, 0), tick=False):
        services.request_supplement(allowed, cast.ward_specialist, ITEMS)
    allowed = fresh(allowed)
    assert allowed.status == S.SUPPLEMENT_REQUESTED
    assert allowed.supplement_requests.get().stage == "processing"

    late = _accepted(cast, at(2026, 4, 29, 9, 0))
    before = snapshot(late)
    with time_machine.travel(at(2026, 5, 7, 8, 0), tick=False), pytest.raises(WorkflowError) as refused:
        services.request_supplement(late, cast.ward_specialist, ITEMS)
    assert "3" in str(refused.value.message)
    assert snapshot(late) == before
    assert not late.supplement_requests.exists()


@pytest.mark.parametrize(
    ("arrived_at", "new_due"),
    [
        (at(2026, 5, 11, 10, 0), date(2026, 5, 15)),  # before 15:00: 4 days from Monday 11/5
        (at(2026, 5, 11, 16, 0), date(2026, 5, 18)),  # after 15:00: 4 days from Tuesday 12/5
    ],
    ids=["before-cutoff", "after-cutoff"],
)
def test_processing_time_restarts_when_supplements_arrive(cast, arrived_at, new_due):
    """The whole 4 working days restart from the supplement's transfer day (not the step's 3)."""
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))  # steps due 5/5 (ward) and 8/5 (department)
    assert [s.due_date for s in dossier.steps.order_by("order")] == [date(2026, 5, 5), date(2026, 5, 8)]
    with time_machine.travel(at(2026, 5, 5, 10, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
    with time_machine.travel(at(2026, 5, 6, 10, 0), tick=False):
        services.request_supplement(dossier, cast.specialist, ITEMS)
    with time_machine.travel(arrived_at, tick=False):
        services.provide_supplement(dossier, Citizen(dossier.pk), note="Bản vẽ có chữ ký")
    dossier = fresh(dossier)
    ward_step, dept_step = dossier.steps.order_by("order")
    assert dossier.status == S.PROCESSING
    assert ward_step.due_date == date(2026, 5, 5) and ward_step.status == DossierStep.Status.DONE
    assert dept_step.status == DossierStep.Status.ACTIVE
    assert dept_step.started_at == arrived_at
    assert dept_step.due_date == new_due == dossier.due_date == dossier.original_due_date
    event = dossier.events.order_by("-id").first()
    assert event.action == wf.RESUME_PROCESSING
    assert event.data == {"old_due_date": "2026-05-08", "due_date": new_due.isoformat()}


def test_new_date_may_be_set_once_only(cast):
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))  # due Friday 8/5
    with time_machine.travel(at(2026, 5, 7, 10, 0), tick=False):  # one working day before
        services.reschedule_dossier(
            dossier, cast.ward_specialist, date(2026, 5, 12), "Chờ ý kiến Sở Xây dựng"
        )
        dossier = fresh(dossier)
        assert (dossier.due_date, dossier.original_due_date, dossier.rescheduled) == (
            date(2026, 5, 12),
            date(2026, 5, 8),
            True,
        )
        assert [s.due_date for s in dossier.steps.order_by("order")] == [date(2026, 5, 7), date(2026, 5, 12)]
        before = snapshot(dossier)
        with pytest.raises(WorkflowError) as refused:
            services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 5, 13), "Lần nữa")
    assert snapshot(dossier) == before
    assert "chỉ được hẹn lại một lần" in str(refused.value.message)


def test_new_date_refused_less_than_one_working_day_before(cast):
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))  # due Friday 8/5
    before = snapshot(dossier)
    with time_machine.travel(at(2026, 5, 8, 8, 0), tick=False), pytest.raises(WorkflowError) as refused:
        services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 5, 12), "Chờ ý kiến")
    assert "08/05/2026" in str(refused.value.message)
    assert snapshot(dossier) == before


def test_new_date_must_be_a_later_working_day(cast):
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))
    with time_machine.travel(at(2026, 5, 6, 9, 0), tick=False):
        with pytest.raises(ValidationError):
            services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 5, 9), "Thứ Bảy")
        with pytest.raises(ValidationError):
            services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 5, 7), "Sớm hơn")
    assert not fresh(dossier).rescheduled


def _result_ready(cast, accepted_at: datetime) -> Dossier:
    dossier = _accepted(cast, accepted_at)
    with time_machine.travel(accepted_at.replace(hour=10), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
        services.submit_for_approval(dossier, cast.specialist)
        services.approve_dossier(dossier, cast.leader, "Đồng ý")
    return fresh(dossier)


@pytest.mark.parametrize(
    ("returned_at", "timeliness"),
    [
        (at(2026, 5, 7, 9, 0), Timeliness.EARLY),
        (at(2026, 5, 8, 16, 30), Timeliness.ON_TIME),
        (at(2026, 5, 11, 8, 0), Timeliness.LATE),
    ],
    ids=["early", "on-time", "late"],
)
def test_timeliness_is_decided_at_return(cast, returned_at, timeliness):
    dossier = _result_ready(cast, at(2026, 5, 4, 9, 0))  # due Friday 8/5
    assert dossier.timeliness == ""
    with time_machine.travel(returned_at, tick=False):
        services.return_result(dossier, cast.officer)
    dossier = fresh(dossier)
    assert dossier.timeliness == timeliness
    assert dossier.returned_at == returned_at


def test_a_rescheduled_dossier_is_judged_against_its_first_date(cast):
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))  # due 8/5
    with time_machine.travel(at(2026, 5, 6, 9, 0), tick=False):
        services.reschedule_dossier(dossier, cast.ward_specialist, date(2026, 5, 12), "Chờ ý kiến")
        services.hand_over(dossier, cast.ward_specialist)
        services.submit_for_approval(dossier, cast.specialist)
        services.approve_dossier(dossier, cast.leader)
    with time_machine.travel(at(2026, 5, 11, 9, 0), tick=False):
        services.return_result(dossier, cast.officer)
    assert fresh(dossier).timeliness == Timeliness.LATE


def test_each_hand_over_records_the_step_timeliness(cast):
    dossier = _accepted(cast, at(2026, 5, 4, 9, 0))  # ward step due 5/5
    with time_machine.travel(at(2026, 5, 6, 9, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
    step = dossier.steps.get(order=1)
    assert step.timeliness == Timeliness.LATE
    event = fresh(dossier).events.order_by("-id").first()
    assert event.data["timeliness"] == Timeliness.LATE and event.data["to_unit"] == str(cast.dept)


# --- dossier codes ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_dossier_codes_are_unique_under_concurrency():
    unit = UnitFactory(code="PCONC", name="Phường thử", ward=True, agency_id="000.01.26.H58")
    threads_count = 20
    barrier = threading.Barrier(threads_count)
    codes, errors = [], []
    lock = threading.Lock()

    def desk():
        try:
            barrier.wait(timeout=30)
            code = services.next_dossier_code(unit)
            with lock:
                codes.append(code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    prefix = f"000.01.26.H58-{workdays.today():%y%m%d}-"
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(1, threads_count + 1)]
