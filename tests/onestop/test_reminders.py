"""The reminder sweep: what it reminds, and that every message leaves exactly once.

Time is frozen on a plain week of March 2025 (no holidays): a dossier
accepted on Monday 3/3 at 09:00 has step 1 (the ward, 1 working day) due on
Tuesday 4/3 and step 2 (the department, 3 days) and the appointment on
Friday 7/3.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from onestop import services
from onestop.models import Dossier, DossierStatus, Notification
from portal import outbox
from portal.outbox import send_message
from portal.queue import enqueue
from portal.workdays import TZ
from tests.onestop.factories import make_dossier

BASE = Path(__file__).resolve().parents[2]
MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
WEDNESDAY = datetime(2025, 3, 5, 9, 0, tzinfo=TZ)
THURSDAY = datetime(2025, 3, 6, 10, 0, tzinfo=TZ)
BASE_URL = "https://dichvucong.mytho.example"
KIND = Notification.Kind


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def dead_broker(settings):
    """Redis is down: nothing listens on port 1. Celery's pools are rebuilt around the change."""
    from portal.celery import app

    def drop_pools():
        app._pool = None
        app.amqp._producer_pool = None

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    drop_pools()
    yield
    drop_pools()


def accepted_dossier(cast, **data):
    """A dossier accepted on Monday morning, its first step assigned to the ward specialist."""
    with time_machine.travel(MONDAY, tick=False):
        dossier = make_dossier(cast, DossierStatus.PROCESSING, **data)
        services.assign_step(dossier, cast.ward_leader, cast.ward_specialist)
    return dossier


def sent_pairs():
    return [(m.to[0], m.subject) for m in mail.outbox]


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return outbox.sweep()


# --- what the sweep reminds -----------------------------------------------------------


def test_step_due_reminds_the_assignee_in_vietnamese(cast):
    dossier = accepted_dossier(cast)
    result = sweep_at(MONDAY.replace(hour=10))  # step 1 is due tomorrow, Tuesday 4/3
    assert result["step_due"] == 1 and result["step_overdue"] == 0 and result["apology_due"] == 0
    staff = [m for m in mail.outbox if m.to == [cast.ward_specialist.email]]
    assert len(staff) == 1
    message = staff[0]
    assert message.subject == f"[{dossier.code}] Bước xử lý đến hạn ngày 04/03/2025"
    assert "Kiểm tra hồ sơ" in message.body and "Phường 1" in message.body
    assert "Hạn xử lý bước: 04/03/2025" in message.body
    assert f"{BASE_URL}/admin/onestop/dossier/{dossier.pk}/change/" in message.body


def test_overdue_step_tells_the_units_leaders_and_apology_is_prompted(cast):
    dossier = accepted_dossier(cast)
    second_leader = type(cast.ward_leader).objects.create(
        username="p1.ld2", email="p1.ld2@example.gov.vn", unit=cast.ward, is_staff=True
    )
    second_leader.groups.set(cast.ward_leader.groups.all())
    retired = type(cast.ward_leader).objects.create(
        username="p1.ld.old", email="old@example.gov.vn", unit=cast.ward, is_staff=True, is_active=False
    )
    retired.groups.set(cast.ward_leader.groups.all())

    result = sweep_at(THURSDAY)  # step 1 was due on 4/3; the appointment is tomorrow, 7/3
    assert result["step_overdue"] == 2 and result["apology_due"] == 2
    overdue = {m.to[0]: m for m in mail.outbox if "Bước xử lý quá hạn" in m.subject}
    assert set(overdue) == {cast.ward_leader.email, second_leader.email}
    assert "đã đến hạn ngày 04/03/2025 nhưng chưa hoàn thành" in overdue[cast.ward_leader.email].body
    apology = [m for m in mail.outbox if "Cần gửi thư xin lỗi" in m.subject]
    assert {m.to[0] for m in apology} == {cast.ward_leader.email, second_leader.email}
    assert "07/03/2025" in apology[0].body and dossier.code in apology[0].subject
    assert not any(retired.email in m.to for m in mail.outbox)
    assert not any(cast.leader.email in m.to for m in mail.outbox)  # the department holds no step yet


def test_moved_due_date_reminds_again_once_and_rescheduled_dossier_needs_no_apology(cast):
    dossier = accepted_dossier(cast)
    sweep_at(MONDAY.replace(hour=10))
    with time_machine.travel(WEDNESDAY, tick=False):
        services.reschedule_dossier(dossier, cast.ward_specialist, date(2025, 3, 14), "Chờ xác minh")
    mail.outbox.clear()
    first = sweep_at(datetime(2025, 3, 10, 9, 0, tzinfo=TZ))  # step 1 moved to 11/3
    second = sweep_at(datetime(2025, 3, 10, 9, 5, tzinfo=TZ))
    assert first["step_due"] == 1 and second["step_due"] == 0
    assert first["apology_due"] == 0  # a new date was set: no second apology
    due = [m for m in mail.outbox if m.to == [cast.ward_specialist.email]]
    assert [m.subject for m in due] == [f"[{dossier.code}] Bước xử lý đến hạn ngày 11/03/2025"]
    rescheduled = [m for m in mail.outbox if m.to == ["an@example.com"]]
    assert len(rescheduled) == 1 and "14/03/2025" in rescheduled[0].body
    assert "Chờ xác minh" in rescheduled[0].body


def test_returned_and_refused_dossiers_are_left_alone(cast):
    with time_machine.travel(MONDAY, tick=False):
        make_dossier(cast, DossierStatus.RETURNED)
        make_dossier(cast, DossierStatus.REFUSED)
    result = sweep_at(datetime(2025, 4, 1, 9, 0, tzinfo=TZ))
    assert (result["step_due"], result["step_overdue"], result["apology_due"]) == (0, 0, 0)
    assert not Notification.objects.exclude(
        kind__in=[KIND.CITIZEN_RECEIVED, KIND.CITIZEN_RESULT, KIND.CITIZEN_REFUSED]
    ).exists()


def test_an_overdue_step_goes_to_the_leader_not_to_the_assignee_as_due_soon(cast):
    accepted_dossier(cast)
    result = sweep_at(THURSDAY)  # step 1 was due on Tuesday: overdue, no longer "due soon"
    assert result["step_due"] == 0 and result["step_overdue"] == 1
    assert not [m for m in mail.outbox if m.to == [cast.ward_specialist.email]]


def test_a_stopped_clock_is_neither_due_soon_nor_overdue_for_the_sweep_the_queues_or_the_admin(cast, client):
    """The clock stops while a processing unit waits for supplements (Decree 61 Art. 19)."""
    from onestop import selectors

    dossier = accepted_dossier(cast)
    with time_machine.travel(MONDAY.replace(hour=11), tick=False):
        services.request_supplement(
            dossier, cast.ward_specialist, [{"name": "Bản vẽ", "reason": "Thiếu chữ ký"}]
        )
    result = sweep_at(THURSDAY)  # step 1's date (4/3) has passed while the citizen gathers papers
    assert (result["step_due"], result["step_overdue"], result["apology_due"]) == (0, 0, 0)
    assert not Notification.objects.filter(kind__in=[KIND.STEP_OVERDUE, KIND.STEP_DUE]).exists()
    with time_machine.travel(THURSDAY, tick=False):
        counts = selectors.queue_counts.__wrapped__(cast.ward_leader)
        assert counts[selectors.OVERDUE] == 0 and counts[selectors.DUE_SOON] == 0
        assert counts[selectors.SUPPLEMENT] == 1
        overdue = selectors.in_queue(
            Dossier.objects.visible_to(cast.ward_leader), selectors.OVERDUE, cast.ward_leader
        )
        assert not overdue.exists()
        client.force_login(cast.ward_leader)
        page = client.get(f"/admin/onestop/dossier/{dossier.pk}/change/").content.decode()
        assert "quá hạn" not in page


# --- the citizen's e-mails ---------------------------------------------------------------


def test_citizen_mails_carry_code_service_status_date_and_lookup_link(cast):
    dossier = accepted_dossier(cast)
    outbox.send_pending()
    (message,) = [m for m in mail.outbox if m.to == ["an@example.com"]]
    assert message.subject == f"[{dossier.code}] Hồ sơ của bạn đã được tiếp nhận"
    body = message.body
    assert f"Mã hồ sơ: {dossier.code}" in body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in body
    assert "Hồ sơ của bạn đang được giải quyết." in body
    assert "07/03/2025" in body
    assert f"{BASE_URL}/" in body and f"/tra-cuu/?ma={dossier.code}" in body


def test_supplement_mail_lists_every_item_with_its_reason(cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    services.request_supplement(
        dossier,
        cast.officer,
        [
            {"name": "Bản vẽ thiết kế", "reason": "Thiếu chữ ký của chủ nhà"},
            {"name": "Giấy chứng nhận quyền sử dụng đất", "reason": "Bản sao chưa chứng thực"},
        ],
    )
    outbox.send_pending()
    (message,) = mail.outbox
    assert message.subject == f"[{dossier.code}] Hồ sơ của bạn cần bổ sung giấy tờ"
    assert "1. Bản vẽ thiết kế: Thiếu chữ ký của chủ nhà" in message.body
    assert "2. Giấy chứng nhận quyền sử dụng đất: Bản sao chưa chứng thực" in message.body


def test_refusal_mail_gives_the_reasons(cast):
    dossier = make_dossier(cast, DossierStatus.REJECTED)
    outbox.send_pending()
    (message,) = mail.outbox
    assert message.subject == f"[{dossier.code}] Hồ sơ của bạn không được tiếp nhận"
    assert "Lý do:\nKhông thuộc thẩm quyền" in message.body


def test_result_mail_says_where_to_collect(cast):
    dossier = make_dossier(cast, DossierStatus.RESULT_READY)
    outbox.send_pending()
    result = [m for m in mail.outbox if "Đã có kết quả" in m.subject]
    assert len(result) == 1 and dossier.code in result[0].subject
    assert "Phường 1" in result[0].body and "Đồng ý cấp phép" in result[0].body


# --- exactly once --------------------------------------------------------------------------


def test_sweep_twice_sends_each_reminder_once(cast):
    accepted_dossier(cast)
    first = sweep_at(THURSDAY)
    second = sweep_at(THURSDAY.replace(minute=5))
    # citizen receipt + step overdue (leader) + apology (leader); the overdue step is past "due soon"
    assert first["sent"] == 3 and first["failed"] == 0
    assert (second["step_due"], second["step_overdue"], second["apology_due"], second["sent"]) == (0, 0, 0, 0)
    assert len(mail.outbox) == 3 == len(set(sent_pairs()))
    rows = Notification.objects.all()
    assert rows.count() == 3
    assert all(n.sent_at is not None and n.attempts == 1 for n in rows)


class FailsOnThirdMessage(EmailBackend):
    """The mail server rejects the third message of the run, then works again."""

    count = 0

    def send_messages(self, messages):
        FailsOnThirdMessage.count += len(messages)
        if FailsOnThirdMessage.count == 3:
            raise ConnectionError("421 service not available")
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """Not an Exception: nothing in the sender catches it, like a killed process."""


class DiesOnThirdMessage(EmailBackend):
    count = 0

    def send_messages(self, messages):
        DiesOnThirdMessage.count += len(messages)
        if DiesOnThirdMessage.count == 3:
            raise WorkerKilled
        return super().send_messages(messages)


def test_failed_send_stays_unsent_with_its_error_and_goes_once_later(cast, settings):
    accepted_dossier(cast)
    accepted_dossier(cast, applicant_email="binh@example.com")
    FailsOnThirdMessage.count = 0
    settings.EMAIL_BACKEND = "tests.onestop.test_reminders.FailsOnThirdMessage"
    first = sweep_at(THURSDAY)
    assert first["failed"] == 1 and first["sent"] == 5
    failed = Notification.objects.get(sent_at__isnull=True)
    assert failed.last_error.startswith("ConnectionError: 421") and failed.attempts == 1
    assert len(mail.outbox) == 5

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    second = sweep_at(THURSDAY.replace(minute=5))
    assert second["sent"] == 1 and second["failed"] == 0
    assert len(mail.outbox) == 6 == len(set(sent_pairs()))
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.last_error == "" and failed.attempts == 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_worker_dying_mid_sweep_loses_nothing_and_sends_nothing_twice(cast, settings):
    accepted_dossier(cast)
    accepted_dossier(cast, applicant_email="binh@example.com")
    DiesOnThirdMessage.count = 0
    settings.EMAIL_BACKEND = "tests.onestop.test_reminders.DiesOnThirdMessage"
    with pytest.raises(WorkerKilled), time_machine.travel(THURSDAY, tick=False):
        outbox.sweep()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(sent_at__isnull=False).count() == 2
    # The message being sent when the worker died was rolled back: unsent, no attempt recorded.
    assert Notification.objects.filter(sent_at__isnull=True).count() == 4

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = sweep_at(THURSDAY.replace(minute=5))
    assert again["sent"] == 4
    assert len(mail.outbox) == 6 == len(set(sent_pairs()))
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_mail_server_down_stops_the_run_early_and_keeps_everything(cast, settings):
    for n in range(3):
        accepted_dossier(cast, applicant_email=f"dan{n}@example.com")
    settings.EMAIL_BACKEND = "tests.onestop.test_reminders.AlwaysDown"
    settings.OUTBOX_MAX_FAILURES = 3
    result = sweep_at(THURSDAY)
    assert result["failed"] == 3 and result["sent"] == 0
    assert Notification.objects.filter(sent_at__isnull=True).count() == 9
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep_at(THURSDAY.replace(minute=5))["sent"] == 9
    assert len(set(sent_pairs())) == 9


class AlwaysDown(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def committed_calendar(transactional_db):
    from portal import calendar_data
    from portal.models import CalendarDay
    from portal.roles import ensure_roles

    ensure_roles()
    calendar_data.load(CalendarDay)


def test_two_sweeps_at_once_send_nothing_twice(committed_calendar, dead_broker):
    from tests.onestop.factories import Cast

    cast = Cast()
    for n in range(4):
        accepted_dossier(cast, applicant_email=f"dan{n}@example.com")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(outbox.sweep(now=THURSDAY))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sum(r["sent"] for r in results) == 12
    assert sum(r["step_overdue"] for r in results) == 4 and sum(r["apology_due"] for r in results) == 4
    assert len(mail.outbox) == 12 == len(set(sent_pairs()))
    assert Notification.objects.filter(sent_at__isnull=False, attempts=1).count() == 12


# --- Redis down, and a real worker ----------------------------------------------------------


def test_redis_down_the_action_commits_and_the_sweep_sends_later(committed_calendar, dead_broker, caplog):
    from tests.onestop.factories import Cast

    cast = Cast()
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    caplog.set_level("WARNING", logger="portal.queue")
    services.accept_dossier(dossier, cast.officer)  # commits; the broker call after it fails

    assert "broker unavailable" in caplog.text
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING
    waiting = Notification.objects.get(kind=KIND.CITIZEN_RECEIVED, dossier=dossier)
    assert waiting.sent_at is None and mail.outbox == []

    assert outbox.sweep()["sent"] == 1
    (message,) = mail.outbox
    assert dossier.code in message.subject and message.to == ["an@example.com"]
    waiting.refresh_from_db()
    assert waiting.sent_at is not None


def test_redis_down_inside_captured_commit_callbacks(cast, dead_broker, django_capture_on_commit_callbacks):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.reject_dossier(dossier, cast.officer, "Hồ sơ không thuộc thẩm quyền của phường")
    # The enqueue ran, and failed quietly (beside it: the page cache's version bumps).
    assert len([cb for cb in callbacks if getattr(cb, "__module__", "") != "portal.pagecache"]) == 1
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.REJECTED
    assert Notification.objects.get(dossier=dossier).sent_at is None
    outbox.sweep()
    assert "Hồ sơ không thuộc thẩm quyền của phường" in mail.outbox[0].body


def _worker_env(tmp_path) -> dict:
    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="")
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.test_settings",
        "DATABASE_URL": f"postgres://{auth}@{host}{port}/{db['NAME']}",
        "REDIS_URL": django_settings.REDIS_URL,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(tmp_path),
    }


def _mails_in(folder: Path) -> list:
    """The messages the file-based mail backend wrote (one file per connection)."""
    texts = "".join(p.read_text() for p in sorted(folder.iterdir()))
    return [message_from_string(t.strip()) for t in texts.split("-" * 79) if t.strip()]


def test_a_real_worker_sends_an_enqueued_notification(committed_calendar, tmp_path):
    from portal.celery import app
    from tests.onestop.factories import Cast

    cast = Cast()
    dossier = make_dossier(cast, DossierStatus.SUBMITTED)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")  # nothing left over from earlier runs
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "--loglevel", "WARNING"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", "celery"],
        cwd=BASE,
        env=_worker_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        services.accept_dossier(dossier, cast.officer)  # commits, then enqueues the citizen's e-mail
        notification = Notification.objects.get(dossier=dossier, kind=KIND.CITIZEN_RECEIVED)
        enqueue(send_message, "onestop", notification.pk)  # a duplicate delivery: still sent once
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.sent_at is not None:
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.2)
        assert notification.sent_at is not None, "the worker did not send within 20 s"
        assert notification.attempts == 1
        time.sleep(0.5)  # let the duplicate task run: it must find the row sent
        (message,) = _mails_in(tmp_path)
        assert message["To"] == "an@example.com"
        assert str(make_header(decode_header(message["Subject"]))) == (
            f"[{dossier.code}] Hồ sơ của bạn đã được tiếp nhận"
        )
        assert f"Mã hồ sơ: {dossier.code}" in message.get_payload()
    finally:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


# --- bounded runs ----------------------------------------------------------------------------


def test_a_backlog_is_queued_over_several_runs_each_reminder_once(cast, settings):
    accepted_dossier(cast)
    accepted_dossier(cast, applicant_email="binh@example.com")
    settings.OUTBOX_QUEUE_LIMIT = 1
    runs = [sweep_at(THURSDAY.replace(minute=m)) for m in (0, 5, 10)]
    assert [(r["step_due"], r["step_overdue"], r["apology_due"]) for r in runs] == [
        (0, 1, 1),
        (0, 1, 1),
        (0, 0, 0),
    ]
    assert len(mail.outbox) == 6 == len(set(sent_pairs()))


def test_what_a_sweep_leaves_is_sent_by_the_outbox_task(cast, settings):
    from portal.outbox import send_outbox

    accepted_dossier(cast)
    accepted_dossier(cast, applicant_email="binh@example.com")
    settings.OUTBOX_SEND_LIMIT = 3
    first = sweep_at(THURSDAY)
    assert (first["sent"], first["more"]) == (3, True)
    assert Notification.objects.filter(sent_at__isnull=True).count() == 3
    rest = send_outbox()  # what the worker runs when the sweep hands over the rest
    assert (rest["sent"], rest["more"]) == (3, False)
    assert len(mail.outbox) == 6 == len(set(sent_pairs()))


def test_notifications_that_keep_failing_are_left_for_an_administrator(cast, settings):
    accepted_dossier(cast)
    settings.EMAIL_BACKEND = "tests.onestop.test_reminders.AlwaysDown"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_MAX_FAILURES = 10
    for minute in (0, 5, 10):
        sweep_at(THURSDAY.replace(minute=minute))
    attempts = set(Notification.objects.values_list("attempts", flat=True))
    assert attempts == {2}  # tried twice, then no more
    assert set(Notification.objects.values_list("last_error", flat=True)) == {
        "ConnectionRefusedError: mail server down"
    }
