"""The demo catalogue that ``seed_demo`` loads: 341 real procedures, complete and consistent."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from onestop import demo
from onestop.models import RequiredDocument, Sector, Service, ServiceLevel, ServiceStep
from portal import demo as portal_demo
from portal.models import Unit, UnitKind


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
    assert demo.seed() == {"sectors": Sector.objects.count(), "services": 341, "services_created": 0}
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
