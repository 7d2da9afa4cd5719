"""Reminders through the kernel's sweep, exactly once, to the keepers of each file."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from personnel import reminders, services
from personnel.models import Reminder
from portal import outbox, roles
from tests.factories import UnitFactory
from tests.personnel.factories import make_file

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def settings_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_each_reminder_once_to_the_nearest_keepers(
    settings_mail, city, ward_a, officer_a, home_affairs, make_user
):
    bare = UnitFactory(code="NOOFFICER", name="Phòng Y tế", parent=city)  # no personnel officer of its own
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv-r")
    step_soon = make_file(officer_a, ward_a, user=official, rank="01.003", step=2, step_from=date(2023, 4, 1))
    retiring = make_file(officer_a, ward_a, birth_date=date(1964, 12, 10), rank=None)  # 61y6m → 30/06/2026
    contract = make_file(
        home_affairs,
        bare,
        rank=None,
        category="contract",
        contract_end=date(2026, 3, 20),
        recruited_on=date(2020, 1, 1),
    )
    assert retiring.retirement_date == date(2026, 6, 30)

    first = outbox.sweep(NOW)
    second = outbox.sweep(NOW)
    assert first["personnel_step_due"] == 1 and second["personnel_step_due"] == 0
    rows = {(r.kind, r.file_id, r.recipient_user_id) for r in Reminder.objects.all()}
    assert rows == {
        ("step_due", step_soon.pk, officer_a.pk),
        ("retirement_notice", retiring.pk, officer_a.pk),
        ("contract_end", contract.pk, home_affairs.pk),  # no officer in the unit: the Home Affairs office
    }
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3
    assert len(mail.outbox) == 3
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("01/04/2026" in s for s in subjects)


def test_a_new_raise_gives_a_new_reminder_and_decision_comes_at_three_months(
    settings_mail, ward_a, officer_a
):
    file = make_file(officer_a, ward_a, rank="01.005", step=1, step_from=date(2024, 4, 1))  # due 01/04/2026
    outbox.sweep(NOW)
    services.record_salary(file, officer_a, {"kind": "regular", "start_date": date(2026, 4, 1)})
    later = datetime(2028, 3, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    outbox.sweep(later)
    assert list(
        Reminder.objects.filter(kind="step_due").order_by("due_date").values_list("due_date", flat=True)
    ) == [
        date(2026, 4, 1),
        date(2028, 4, 1),
    ]


def test_retirement_decision_three_months_before(settings_mail, ward_a, officer_a):
    file = make_file(officer_a, ward_a, birth_date=date(1964, 12, 10), rank=None)
    outbox.sweep(datetime(2026, 4, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    kinds = set(Reminder.objects.filter(file=file).values_list("kind", flat=True))
    assert kinds == {"retirement_notice", "retirement_decision"}


def test_nobody_is_reminded_about_their_own_file(settings_mail, ward_a, officer_a, home_affairs):
    make_file(home_affairs, ward_a, user=officer_a, rank="01.003", step=2, step_from=date(2023, 4, 1))
    outbox.sweep(NOW)
    assert set(Reminder.objects.values_list("recipient_user_id", flat=True)) == {home_affairs.pk}


def test_signing_certificate_expiry_from_the_registry_once(
    settings_mail, settings, ward_a, officer_a, make_user
):
    from datetime import timedelta

    settings.ORG_SIGNING_KEY_SECRET = "test-organisation-key-secret-0123456789abcdef"

    from documents import ca
    from documents.models import CertificateKind

    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="cv-cert", full_name="Võ Thị Ký")
    file = make_file(officer_a, ward_a, user=official, rank=None)
    authority = ca.create_authority("Test CA Mỹ Tho")
    ca.issue(
        authority,
        kind=CertificateKind.PERSONAL,
        common_name=official.full_name,
        owner=official,
        unit=ward_a,
        not_before=NOW - timedelta(days=700),
        not_after=NOW + timedelta(days=20),
        passphrase="mật khẩu thử nghiệm",
        kdf_iterations=2000,
    )
    assert reminders.certificate_source() is not None
    outbox.sweep(NOW)
    outbox.sweep(NOW)
    row = Reminder.objects.get(kind="certificate_expiry")
    assert (row.file_id, row.recipient_user_id, row.due_date) == (file.pk, officer_a.pk, date(2026, 3, 22))
