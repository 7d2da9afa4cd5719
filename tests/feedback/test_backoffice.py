"""The back office: scoped lists and pages, workflow buttons, the 1022 call form, exports, reminders."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse

from feedback import services
from feedback import workflow as wf
from feedback.models import Notification, Report, ReportStatus
from portal import outbox

S = ReportStatus
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def login(client, user):
    client.force_login(user)
    return client


def test_a_ward_never_sees_another_wards_reports(client, fb):
    mine = fb.report(S.ASSIGNED, passed_down=True)
    elsewhere = fb.report(ward=fb.ward2)
    login(client, fb.ward_cv)
    listing = client.get(reverse("admin:feedback_report_changelist")).content.decode()
    assert mine.code in listing and elsewhere.code not in listing
    assert client.get(reverse("admin:feedback_report_change", args=[elsewhere.pk])).status_code == 404
    login(client, fb.ward2_cv)
    assert client.get(reverse("admin:feedback_report_change", args=[mine.pk])).status_code == 404
    photo_url = reverse("admin:feedback_report_photo", args=[mine.pk, 1])
    assert client.get(photo_url).status_code == 404
    action = reverse("admin:feedback_report_action", args=[mine.pk, "submit_answer"])
    assert client.post(action, {"answer": "x"}).status_code == 404
    login(client, fb.city_leader)  # the top unit's leader sees the whole city
    listing = client.get(reverse("admin:feedback_report_changelist")).content.decode()
    assert mine.code in listing and elsewhere.code in listing


def test_triage_and_answer_through_the_buttons(client, fb):
    report = fb.report()
    login(client, fb.operator)
    page = client.get(reverse("admin:feedback_report_change", args=[report.pk])).content.decode()
    assert "0912345678" in page  # staff see the reporter's phone to call back
    assert reverse("admin:feedback_report_action", args=[report.pk, "assign"]) in page
    response = client.post(
        reverse("admin:feedback_report_action", args=[report.pk, "assign"]),
        {"unit": fb.dept.pk, "handler": fb.dept_cv.pk, "note": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.ASSIGNED and report.unit == fb.dept
    login(client, fb.dept_cv)
    page = client.get(reverse("admin:feedback_report_change", args=[report.pk])).content.decode()
    assert "approve" not in page.split('id="actions"')[1].split("</div>")[0]
    client.post(
        reverse("admin:feedback_report_action", args=[report.pk, "submit_answer"]), {"answer": "Đã sửa"}
    )
    login(client, fb.dept_ld)
    client.post(
        reverse("admin:feedback_report_action", args=[report.pk, "approve"]), {"answer": "Đã sửa xong."}
    )
    report.refresh_from_db()
    assert report.status == S.ANSWERED and report.answer == "Đã sửa xong."


def test_a_refused_step_is_a_message_whoever_posts(client, fb):
    report = fb.report(S.ASSIGNED)
    login(client, fb.dept_cv)
    response = client.post(
        reverse("admin:feedback_report_action", args=[report.pk, "approve"]), {"answer": "x"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Không thể “Phê duyệt và công khai trả lời” khi phản ánh đang ở trạng thái “Đang xử lý”."
    ]
    report.refresh_from_db()
    assert report.status == S.ASSIGNED
    services.submit_answer(report, fb.dept_cv, "Đã sửa")
    response = client.post(
        reverse("admin:feedback_report_action", args=[report.pk, "approve"]), {"answer": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Chỉ lãnh đạo đơn vị thực hiện bước này."]
    report.refresh_from_db()
    assert report.status == S.AWAITING_APPROVAL


def test_a_1022_operator_types_in_a_call(client, fb):
    login(client, fb.operator)
    url = reverse("admin:feedback_report_call")
    form = client.get(url)
    key = form.context["form"].initial["submission_key"]
    data = {
        "submission_key": key,
        "category": fb.light.pk,
        "ward": fb.ward.pk,
        "address": "Chợ Mỹ Tho",
        "description": "Rác tồn đọng",
        "reporter_name": "Trần Thị B",
        "reporter_phone": "0273 3872 123",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a second click records nothing more
    report = Report.objects.get()
    assert (
        report.channel == "phone"
        and report.recorded_by == fb.operator
        and report.reporter_phone == "02733872123"
    )
    login(client, fb.ward_cv)
    assert client.get(url).status_code == 403  # not the desk


def test_forwarding_prints_a_letter(client, fb):
    from pypdf import PdfReader

    report = fb.report(S.FORWARDED)
    login(client, fb.operator)
    response = client.get(reverse("admin:feedback_report_letter", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Điện lực Tiền Giang" in text and report.code in text


def test_api_keys_are_shown_once_and_stored_hashed(client, fb):
    from feedback.models import ApiClient
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, unit=fb.city))
    response = client.post(
        reverse("admin:feedback_apiclient_add"),
        {"name": "App", "contact": "a@example.com", "per_hour": 10, "active": "on"},
        follow=True,
    )
    message = next(str(m) for m in response.context["messages"])
    key = message.rsplit(" ", 1)[-1]
    client = ApiClient.objects.get()
    assert key not in client.key_hash and services.api_client_for(key) == client


def test_csv_and_xlsx_exports(client, fb):
    import zipfile

    from portal.models import Unit

    Unit.objects.filter(pk=fb.dept.pk).update(name='=HYPERLINK("http://evil")')
    fb.report(S.ANSWERED)
    login(client, fb.dept_ld)
    response = client.get(reverse("feedback:stats_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][3] == "1"
    xlsx = client.get(reverse("feedback:stats_xlsx"))
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        sheet = "".join(book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheet and "'=HYPERLINK" in sheet.replace("&apos;", "'")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][3] == 1
    client.logout()
    assert client.get(reverse("feedback:stats_csv")).status_code == 302  # staff only
    page = client.get(reverse("feedback:stats")).content.decode()
    assert "<svg" in page


@time_machine.travel(datetime(2026, 4, 20, 9, 0, tzinfo=TZ), tick=False)
def test_reminders_before_and_after_the_deadline_exactly_once(fb):
    report = fb.report(S.ASSIGNED)  # due Thursday 23/4, handler dept.cv
    mail.outbox.clear()
    Notification.objects.all().delete()
    with time_machine.travel(datetime(2026, 4, 22, 9, 0, tzinfo=TZ), tick=False):
        first = outbox.sweep()
        again = outbox.sweep()
    assert first["feedback_due_soon"] == 1 and again["feedback_due_soon"] == 0
    assert [m.to for m in mail.outbox] == [[fb.dept_cv.email]]
    assert report.code in mail.outbox[0].subject
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 4, 24, 9, 0, tzinfo=TZ), tick=False):
        late = outbox.sweep()
        outbox.sweep()
    assert late["feedback_overdue"] == 1
    assert [m.to for m in mail.outbox] == [[fb.dept_ld.email]]


def test_a_report_left_at_the_desk_reminds_its_leaders_and_the_reporter_gets_mail(fb):
    mail.outbox.clear()
    report = fb.report()
    outbox.sweep()
    assert [m.to for m in mail.outbox] == [["an@example.com"]]  # received
    assert "?k=" in mail.outbox[0].body
    mail.outbox.clear()
    with time_machine.travel(timezone_now_plus(days=10)):
        outbox.sweep()
    assert [m.to for m in mail.outbox] == [[fb.city_leader.email]]
    assert report.code in mail.outbox[0].body


def timezone_now_plus(days):
    from django.utils import timezone

    return timezone.now() + timedelta(days=days)


def test_the_answer_mail_reaches_the_reporter_once(fb):
    report = fb.report(S.ANSWERED)
    outbox.sweep()
    outbox.sweep()
    answered = [m for m in mail.outbox if report.code in m.subject and "Đã thay bóng đèn" in m.body]
    assert len(answered) == 1


def test_every_new_url_as_every_role_answers_without_a_500(client, fb):
    from django.contrib.auth import get_user_model

    report = fb.report(S.ASSIGNED, passed_down=True)
    forwarded = fb.report(S.FORWARDED)
    citizen = get_user_model().objects.create(username="dan", is_staff=False)
    admin_urls = [
        reverse("admin:feedback_report_changelist"),
        reverse("admin:feedback_report_changelist") + "?q=%00&queue=overdue",
        reverse("admin:feedback_report_changelist") + "?q=" + "x" * 500,
        reverse("admin:feedback_report_change", args=[report.pk]),
        reverse("admin:feedback_report_call"),
        reverse("admin:feedback_report_photo", args=[report.pk, 999999]),
        reverse("admin:feedback_report_letter", args=[forwarded.pk]),
        reverse("admin:feedback_report_letter", args=[report.pk]),
        *[reverse("admin:feedback_report_action", args=[report.pk, action]) for action in wf.ACTORS],
        reverse("admin:feedback_report_action", args=[report.pk, "nothing"]),
        reverse("admin:feedback_category_changelist"),
        reverse("admin:feedback_apiclient_changelist"),
        reverse("feedback:stats_csv") + "?nam=%00&ky=q9&theo=x",
        reverse("feedback:stats_xlsx"),
    ]
    public_urls = [
        reverse("feedback:list") + "?phuong=%00&loai=-1&trang_thai=x&sau=" + "9" * 100,
        reverse("feedback:form") + "?loai=%00",
        reverse("feedback:report", args=[report.code]),
        "/phan-anh/%00/",
        "/phan-anh/" + "A" * 1000 + "/",
        reverse("feedback:lookup") + "?ma=%00",
        reverse("feedback:stats") + "?nam=99999&ky=%00&theo=ward",
        "/open311/v2/requests/%00.json",
        "/open311/v2/services/%00.xml",
        "/open311/v2/tokens/" + "x" * 100 + ".json",
    ]
    people = [None, citizen, fb.operator, fb.dept_cv, fb.dept_ld, fb.ward_cv, fb.ward2_cv, fb.city_leader]
    for person in people:
        client.logout()
        if person is not None:
            client.force_login(person)
        for url in admin_urls + public_urls:
            response = client.get(url)
            assert response.status_code < 500, (person, url, response.status_code)
            if "%00" in url:
                assert response.status_code == 400, (url, response.status_code)  # the kernel refuses NUL
                continue
            if person in (fb.ward2_cv,) and f"/{report.pk}/" in url and "/admin/" in url:
                assert response.status_code in (302, 403, 404), (url, response.status_code)
            if person in (None, citizen) and "/admin/" in url:
                assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_photos_kept_for_an_abandoned_form_are_dropped_after_a_day(
    client, fb, django_capture_on_commit_callbacks
):
    from feedback.models import Photo
    from tests.feedback.factories import photo

    client.post(reverse("feedback:form"), {"submission_key": "z" * 32, "photos": [photo("a.jpg")]})
    kept = Photo.objects.get(report__isnull=True)
    path = kept.file.path
    outbox.sweep()
    assert Photo.objects.filter(pk=kept.pk).exists()
    with time_machine.travel(timezone_now_plus(days=2)), django_capture_on_commit_callbacks(execute=True):
        outbox.sweep()
    assert not Photo.objects.filter(pk=kept.pk).exists()
    import os

    assert not os.path.exists(path)


def test_statistics_per_unit_ward_and_category(fb):
    from feedback import stats
    from feedback.workflow import Citizen

    on_time = fb.report(S.ANSWERED)
    services.rate_report(on_time, Citizen(on_time.pk), 5)
    unhappy = fb.report(S.ANSWERED, ward=fb.ward2, category=fb.flood, attributes={"depth": "knee"})
    services.rate_report(unhappy, Citizen(unhappy.pk), 1)
    services.reopen_report(unhappy, Citizen(unhappy.pk), "Vẫn ngập")
    fb.report(S.INVALID)
    period = stats.Period.of(on_time.received_at.year)
    by_ward = {row.name: row for row in stats.report(period, "ward")}
    assert by_ward["Phường 1"].received == 1 and by_ward["Phường 1"].satisfied_share == 100.0
    assert by_ward["Phường 2"].reopened == 1 and by_ward["Phường 2"].average == 1.0
    by_category = {row.name: row for row in stats.report(period, "category")}
    assert by_category["Ngập nước"].open == 1
    by_unit = stats.report(period, "unit")
    assert [row.name for row in by_unit] == ["Phòng Quản lý đô thị"]
    assert stats.total(by_unit).rated == 2
    assert stats.Period.of(2026, "q2").start.isoformat() == "2026-04-01"
    assert stats.Period.of(2026, "q4").end.isoformat() == "2026-12-31"


def test_queue_counts_are_exact_after_every_action(client, fb):
    from feedback import selectors

    report = fb.report()
    assert selectors.queue_counts(fb.operator)["triage"] == 1
    services.assign_report(report, fb.operator, fb.dept)
    assert selectors.queue_counts(fb.operator)["triage"] == 0
    assert selectors.queue_counts(fb.dept_ld)["approval"] == 0
    services.submit_answer(report, fb.dept_ld, "Xong")
    assert selectors.queue_counts(fb.dept_ld)["approval"] == 1
    assert selectors.queue_counts(fb.ward2_cv) == dict.fromkeys(selectors.QUEUE_LABELS, 0)
