"""What ``seed_demo`` loads for the desk: 341 real procedures, complete and consistent; dossiers in every state."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from onestop import demo, selectors, stats
from onestop.models import (
    Dossier,
    DossierStatus,
    RequiredDocument,
    Sector,
    Service,
    ServiceLevel,
    ServiceStep,
)
from portal import demo as portal_demo
from portal import launcher, workdays
from portal.models import Unit, UnitKind, User


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--no-progress")


def test_seed_demo_loads_341_services_13_level_2_182_level_3_146_level_4(seeded):
    assert Service.objects.count() == 341
    levels = dict(Service.objects.values_list("level").annotate(n=Count("id")))
    assert levels == {2: 13, 3: 182, 4: 146}
    names = set(Sector.objects.values_list("name", flat=True))
    assert {"Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh (hộ kinh doanh)"} <= names
    assert {"Lao động - Thương binh và Xã hội", "Bảo trợ xã hội", "Người có công", "Tôn giáo"} <= names
    assert {"Thi đua khen thưởng", "Văn hóa", "Giáo dục", "Y tế", "Tài nguyên môi trường"} <= names


def test_second_run_creates_nothing(seeded):
    counts = (Service.objects.count(), ServiceStep.objects.count(), RequiredDocument.objects.count())
    links = Service.receiving_units.through.objects.count()
    call_command("seed_demo", "--no-progress")
    assert demo.seed() == {
        "sectors": Sector.objects.count(),
        "services": 341,
        "services_created": 0,
        "dossiers_created": 0,
    }
    assert (Service.objects.count(), ServiceStep.objects.count(), RequiredDocument.objects.count()) == counts
    assert Service.receiving_units.through.objects.count() == links


def test_names_are_real_procedures_with_national_codes(seeded):
    services = list(Service.objects.all())
    assert len({s.name for s in services}) == 341
    assert all(re.fullmatch(r"[12]\.\d{6}", s.code) for s in services)
    assert not [s.name for s in services if re.search(r"(Thủ tục|Dịch vụ|Service) (số )?\d+", s.name)]
    names = {s.name for s in services}
    for real in (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký khai tử",
        "Cấp bản sao trích lục hộ tịch",
    ):
        assert real in names
    assert Service.objects.get(code="1.001193").name == "Đăng ký khai sinh"
    assert any(n.startswith("Chứng thực bản sao từ bản chính") for n in names)


def test_online_services_have_a_mandatory_document_and_steps_adding_up(seeded):
    online = Service.objects.filter(level__gte=ServiceLevel.LEVEL_3)
    assert online.count() == 328
    without = online.exclude(documents__mandatory=True)
    assert list(without) == []
    totals = Service.objects.annotate(total=Sum("steps__working_days"))
    wrong = [(s.code, s.processing_days, s.total) for s in totals if s.total != s.processing_days]
    assert wrong == []
    assert not ServiceStep.objects.filter(working_days=0).exists()


def test_receiving_units_and_chains_use_real_units(seeded):
    local = set(
        Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]).values_list("code", flat=True)
    )
    assert len(local) == 17
    by_service: dict[str, set[str]] = {}
    for code, unit in Service.receiving_units.through.objects.values_list("service__code", "unit__code"):
        by_service.setdefault(code, set()).add(unit)
    assert len(by_service) == 341
    assert all(units == local or units == {"UBND"} for units in by_service.values())

    birth = Service.objects.get(name="Đăng ký khai sinh")
    assert by_service[birth.code] == local
    assert [s.unit_id for s in birth.steps.all()] == [None]  # the ward processes it

    permit = Service.objects.get(name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    assert by_service[permit.code] == {"UBND"}
    assert [(s.unit.code, s.working_days) for s in permit.steps.order_by("order")] == [
        ("QLDT", 12),
        ("UBND", 3),
    ]
    assert permit.processing_days == 15 and permit.fee == 75000

    business = Service.objects.get(name="Đăng ký thành lập hộ kinh doanh")
    assert [s.unit.code for s in business.steps.all()] == ["TCKH"]
    assert (business.level, business.fee, business.processing_days) == (4, 100000, 3)


def test_most_level_4_services_take_a_fee_and_some_are_free(seeded):
    fees = Counter(fee > 0 for fee in Service.objects.filter(level=4).values_list("fee", flat=True))
    assert fees[True] > 2 * fees[False] > 0


def test_every_service_has_legal_basis_result_and_search_text(seeded):
    assert not Service.objects.filter(legal_basis="").exists()
    assert not Service.objects.filter(result_name="").exists()
    assert not Service.objects.filter(search_text="").exists()
    assert Service.objects.get(code="1.001193").search_text.startswith("1.001193 1 001193 dang ky khai sinh")


def test_seeding_is_a_handful_of_queries(db, django_assert_max_num_queries):
    portal_demo.seed_units()
    with django_assert_max_num_queries(15):
        result = demo.seed()
    assert result["services_created"] == 341


def test_seeding_needs_the_kernel_units_first(db):
    with pytest.raises(RuntimeError, match="Seed the kernel's units first"):
        demo.seed()
    assert not Service.objects.exists()


# --- demo dossiers (issue 7, item 15) -------------------------------------------------------


def test_a_fresh_demo_shows_every_readme_log_in_and_has_dossiers_in_every_state(seeded, capsys):
    """Issue 7, item 15: the start banner names every demo log-in of the README, and the
    demo's dossiers, made through the services, fill every state, the queues and the statistics."""
    states = set(Dossier.objects.values_list("status", flat=True))
    assert states == set(DossierStatus.values)
    # Made through the services: every filed dossier has its history from the draft on, and its files.
    for dossier in Dossier.objects.exclude(status=DossierStatus.DRAFT):
        actions = list(dossier.events.order_by("at", "id").values_list("action", flat=True))
        assert actions[:2] in (["create_draft", "submit"], ["create_draft", "submit_for_payment"]), actions
        assert dossier.code and dossier.files.exists()
    returned = Dossier.objects.filter(status=DossierStatus.RETURNED)
    assert {d.rating.average for d in returned if hasattr(d, "rating")} == {0, 1, 2}

    # The queues of Ward 1 are not empty on first look.
    desk, leader = (User.objects.get(username=n) for n in ("p1.motcua", "p1.lanhdao"))
    assert selectors.queue_counts(desk)["mine"] >= 2  # submitted and result ready at the desk
    assert selectors.queue_counts(desk)["supplement"] == 1
    counts = selectors.queue_counts(leader)
    assert counts["overdue"] >= 1 and counts["due_soon"] >= 1 and counts["mine"] >= 1
    assert selectors.queue_counts(User.objects.get(username="ubnd.motcua"))["mine"] >= 1

    # And neither are this year's statistics: early, on time and late, rated.
    figures = {
        f.unit.code: f for f in stats.receiving_figures(stats.Period.of(workdays.today().year)) if f.unit
    }
    ward = figures["P1"]
    assert (ward.early, ward.on_time, ward.late) == (1, 1, 1) and ward.rated == 3
    assert ward.refused == 1 and ward.in_progress >= 3 and ward.overdue >= 1

    # The start banner names every demo log-in of the README, and each signs in with the password.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("| user | who |", 1)[1].split("\n\n", 1)[0]
    usernames = set(re.findall(r"`([a-z0-9.]+)`", table))
    assert {"admin", "ubnd.motcua", "p2.motcua", "p1.007", "nv.004"} <= usernames
    launcher._banner("http://127.0.0.1:8000/")
    banner = capsys.readouterr().out
    missing = {name for name in usernames if not re.search(rf"^\s+{re.escape(name)}\s", banner, re.M)}
    assert missing == set()
    demo_users = User.objects.filter(username__in=usernames, is_active=True)
    assert demo_users.count() == len(usernames)
    assert all(user.check_password(launcher.DEMO_PASSWORD) for user in demo_users)
