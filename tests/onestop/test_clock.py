"""The one-stop clock on real 2025 and 2026 dates, under both regimes (issue 7, items 1-4).

- Decree 61/2018 (dossiers received before 1 July 2025) and Decree 118/2025
  (from then on) are both exercised; the regime is picked by the reception day.
- Supplements completing a dossier restart the whole statutory time.
- An agency may ask for supplements once, within 3 working days of *its* receipt.
- 15:00:00 is not "after 15:00".
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from onestop import law, services
from onestop.models import Dossier, DossierStatus, DossierStep, Timeliness
from onestop.workflow import Citizen, WorkflowError
from portal.workdays import TZ
from tests.onestop.factories import ServiceFactory, chain, make_dossier

pytestmark = pytest.mark.django_db

S = DossierStatus
ITEMS = [{"name": "Bản vẽ thiết kế", "reason": "Thiếu chữ ký của người thiết kế"}]


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def accepted(cast, when: datetime, service=None) -> Dossier:
    with time_machine.travel(when, tick=False):
        dossier = make_dossier(cast, S.SUBMITTED, service=service or cast.service)
        services.accept_dossier(dossier, cast.officer)
    return fresh(dossier)


def ten_day_service(cast):
    """10 working days: the ward examines (7), the department's leader decides (3)."""
    service = ServiceFactory(name="Cấp phép", receiving_units=[cast.ward], processing_days=10)
    return chain(service, ("Thẩm tra", None, 7), ("Lãnh đạo phòng quyết định", cast.dept, 3))


# --- 1. the whole time restarts -------------------------------------------------------------


def test_leader_step_supplement_restarts_the_whole_time_2026(cast):
    """The case of the issue: a 10-day dossier due 07/12/2026.

    Before the fix the leader's step alone was re-planned (26/11 + 3 days):
    due 01/12/2026, earlier than promised. After: 26/11 + 10 days = 10/12/2026.
    """
    dossier = accepted(cast, at(2026, 11, 23, 9, 0), ten_day_service(cast))
    assert dossier.due_date == date(2026, 12, 7)
    assert law.regime_for(dossier).decree == "Nghị định số 118/2025/NĐ-CP"
    with time_machine.travel(at(2026, 11, 26, 8, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
        services.request_supplement(dossier, cast.leader, ITEMS)
    with time_machine.travel(at(2026, 11, 26, 14, 0), tick=False):
        services.provide_supplement(dossier, Citizen(dossier.pk), note="Bản vẽ có chữ ký")
    dossier = fresh(dossier)
    assert dossier.due_date == date(2026, 12, 10) != date(2026, 12, 1)
    assert dossier.original_due_date == date(2026, 12, 10)  # timeliness is judged against it
    leader_step = dossier.steps.get(order=2)
    assert leader_step.status == DossierStep.Status.ACTIVE and leader_step.due_date == date(2026, 12, 10)
    event = dossier.events.order_by("-id").first()
    assert event.data == {"old_due_date": "2026-12-07", "due_date": "2026-12-10"}
    with time_machine.travel(at(2026, 12, 9, 10, 0), tick=False):
        services.submit_for_approval(dossier, cast.specialist)
        services.approve_dossier(dossier, cast.leader)
    with time_machine.travel(at(2026, 12, 10, 16, 0), tick=False):
        services.return_result(dossier, cast.officer)
    assert fresh(dossier).timeliness == Timeliness.ON_TIME


def test_restart_under_decree_61_in_june_2025(cast):
    """Received Monday 2/6/2025 (Decree 61/2018): 4 days, due 6/6; supplements complete on
    Thursday 5/6 before 15:00, so the 4 days run again from 5/6: due Wednesday 11/6."""
    dossier = accepted(cast, at(2025, 6, 2, 9, 0))
    assert law.regime_for(dossier).decree == "Nghị định số 61/2018/NĐ-CP"
    assert dossier.due_date == date(2025, 6, 6)
    with time_machine.travel(at(2025, 6, 3, 9, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
    with time_machine.travel(at(2025, 6, 4, 9, 0), tick=False):
        services.request_supplement(dossier, cast.specialist, ITEMS)
    with time_machine.travel(at(2025, 6, 5, 10, 0), tick=False):
        services.provide_supplement(dossier, Citizen(dossier.pk))
    dossier = fresh(dossier)
    assert dossier.due_date == date(2025, 6, 11) == dossier.steps.get(order=2).due_date


def test_restart_across_the_2025_national_day(cast):
    """Supplements complete Friday 29/8/2025 after 15:00: 30/8-2/9 are off, so the time restarts
    on Wednesday 3/9 and the 4 days end Tuesday 9/9 (Decree 118/2025 regime)."""
    dossier = accepted(cast, at(2025, 8, 25, 9, 0))
    with time_machine.travel(at(2025, 8, 26, 9, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
        services.request_supplement(dossier, cast.specialist, ITEMS)
    with time_machine.travel(at(2025, 8, 29, 15, 30), tick=False):
        services.provide_supplement(dossier, Citizen(dossier.pk))
    assert fresh(dossier).due_date == date(2025, 9, 9)


def test_restart_never_earlier_than_first_promised(cast):
    """The catalogue was shortened after acceptance: the restarted date keeps the first promise."""
    dossier = accepted(cast, at(2026, 5, 4, 9, 0))  # 4 days: due Friday 8/5/2026
    with time_machine.travel(at(2026, 5, 4, 10, 0), tick=False):
        services.request_supplement(dossier, cast.ward_specialist, ITEMS)
    cast.service.processing_days = 1
    cast.service.save()
    with time_machine.travel(at(2026, 5, 5, 9, 0), tick=False):
        services.provide_supplement(dossier, Citizen(dossier.pk))
    dossier = fresh(dossier)
    assert dossier.due_date == date(2026, 5, 8)  # 5/5 + 1 = 6/5 would be earlier
    assert dossier.steps.order_by("order").last().due_date == date(2026, 5, 8)


# --- 2. once, within 3 working days of the agency's receipt ----------------------------------


def test_window_counts_from_the_agencys_receipt_not_the_step(cast):
    """Two steps in the ward: it received the dossier Monday 4/5/2026; its second step starts
    Wednesday 6/5. On Friday 8/5 (4 working days after receipt) the ward may no longer ask,
    though its current step started only 2 working days before."""
    service = ServiceFactory(name="Chứng thực", receiving_units=[cast.ward], processing_days=4)
    chain(service, ("Kiểm tra", None, 2), ("Ký", None, 2))
    dossier = accepted(cast, at(2026, 5, 4, 9, 0), service)
    with time_machine.travel(at(2026, 5, 6, 9, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
    with time_machine.travel(at(2026, 5, 8, 9, 0), tick=False), pytest.raises(WorkflowError) as refused:
        services.request_supplement(dossier, cast.ward_specialist, ITEMS)
    assert "04/05/2026" in str(refused.value.message)
    assert not fresh(dossier).supplement_requests.exists()
    with time_machine.travel(at(2026, 5, 7, 16, 0), tick=False):  # day 3: still allowed
        services.request_supplement(dossier, cast.ward_specialist, ITEMS)
    assert fresh(dossier).status == S.SUPPLEMENT_REQUESTED


def test_an_agency_asks_once_a_second_request_is_refused(cast):
    dossier = accepted(cast, at(2025, 3, 3, 9, 0))  # Decree 61/2018
    with time_machine.travel(at(2025, 3, 4, 9, 0), tick=False):
        services.hand_over(dossier, cast.ward_specialist)
        services.request_supplement(dossier, cast.specialist, ITEMS)
        services.provide_supplement(dossier, Citizen(dossier.pk))
    with time_machine.travel(at(2025, 3, 5, 9, 0), tick=False), pytest.raises(WorkflowError) as refused:
        services.request_supplement(dossier, cast.specialist, ITEMS)
    assert "Phòng Quản lý đô thị" in str(refused.value.message)
    dossier = fresh(dossier)
    assert dossier.status == S.PROCESSING and dossier.supplement_requests.count() == 1


# --- 3. 15:00:00 counts as that day ---------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "first_step_due"),
    [
        (at(2026, 4, 24, 15, 0, 0), date(2026, 4, 28)),  # Friday 15:00:00: transferred that day
        (at(2026, 4, 24, 15, 0, 1), date(2026, 4, 29)),  # one second later: Tuesday 28/4
        (at(2025, 6, 30, 15, 0, 0), date(2025, 7, 1)),  # Decree 61/2018's last day
        (at(2025, 7, 1, 15, 0, 0), date(2025, 7, 2)),  # Decree 118/2025's first day
        (at(2025, 7, 1, 15, 0, 30), date(2025, 7, 3)),
    ],
)
def test_received_at_15h_counts_as_that_day(cast, received, first_step_due):
    dossier = accepted(cast, received)
    assert dossier.steps.get(order=1).due_date == first_step_due


def test_regime_is_picked_by_the_reception_day(cast):
    before = accepted(cast, at(2025, 6, 30, 16, 0))
    after = accepted(cast, at(2025, 7, 1, 8, 0))
    assert law.regime_for(before).code == "nd-61-2018"
    assert law.regime_for(after).code == "nd-118-2025"
    # The 2025 forms follow the circular's own date (15/9/2025, editable [open]).
    assert law.form(after, "apology") == ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ")
    late = accepted(cast, at(2025, 9, 15, 8, 0))
    assert law.form(late, "apology") == ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
    assert law.form(late, "stop")[0] == "05" and law.form(before, "stop") is None
