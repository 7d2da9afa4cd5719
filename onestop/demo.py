"""Demo data of the one-stop desk: the public-service catalogue (``seed_demo`` calls ``seed``).

341 services of the city and its wards and communes (13 at level 2, 182 at
level 3, 146 at level 4) from the curated data file ``onestop/data/demo_catalogue.json``
(its ``_about`` says how it is laid out), with their sectors, processing chains
and required documents. Idempotent:
sectors and services are matched by code, so a second run creates nothing.
A handful of bulk inserts, no query per row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction

from onestop.apps import CATALOGUE as CATALOGUE_VERSION
from onestop.models import DossierStatus, RequiredDocument, Sector, Service, ServiceStep
from portal import pagecache
from portal.models import Unit, UnitKind

CITY_DESK = "UBND"
WARD = "ward"  # received by every ward and commune; "city": by the city people's committee desk
CATALOGUE = Path(__file__).resolve().parent / "data" / "demo_catalogue.json"


@dataclass(frozen=True)
class Spec:
    """One service of the data file, its family's values filled in."""

    code: str
    name: str
    sector: str
    level: int
    scope: str
    chain: list  # [step name, unit code or None (the receiving ward), working days]
    result: str
    documents: list  # [name, form, quantity, mandatory]
    legal: str
    fee: int
    fee_note: str
    description: str


@cache
def catalogue() -> dict:
    with CATALOGUE.open(encoding="utf-8") as file:
        return json.load(file)


def services() -> list[Spec]:
    """Every demo service of the data file, in catalogue order (codes are in the file)."""
    data = catalogue()
    specs = []
    for family in data["families"]:
        for row in family["services"]:
            values = {
                key: row.get(key, family[key]) for key in ("chain", "result", "documents", "fee", "fee_note")
            }
            specs.append(
                Spec(
                    code=row["code"],
                    name=row["name"],
                    sector=family["sector"],
                    level=row["level"],
                    scope=family["scope"],
                    legal=data["legal"][row.get("legal", family["legal"])],
                    description=_description(data, family["scope"], row["level"]),
                    **values,
                )
            )
    return specs


def _description(data: dict, scope: str, level: int) -> str:
    online = (
        " hoặc nộp trực tuyến trên Cổng dịch vụ công"
        if level >= 3
        else " hoặc qua dịch vụ bưu chính công ích"
    )
    return_online = ", qua dịch vụ bưu chính hoặc trực tuyến" if level == 4 else ""
    return data["descriptions"][scope].format(online=online, return_online=return_online)


def seed_sectors() -> dict[str, Sector]:
    existing = {s.code: s for s in Sector.objects.all()}
    missing = [Sector(code=code, name=name) for code, name in catalogue()["sectors"] if code not in existing]
    for sector in Sector.objects.bulk_create(missing):
        existing[sector.code] = sector
    return existing


def _units(specs: list[Spec]) -> tuple[dict[str, Unit], list[Unit]]:
    """Units by code, and the wards and communes (the local desks)."""
    units = {u.code: u for u in Unit.objects.all()}
    local = [u for u in units.values() if u.kind in (UnitKind.WARD, UnitKind.COMMUNE) and u.active]
    needed = {CITY_DESK} | {unit for spec in specs for _n, unit, _d in spec.chain if unit}
    missing = sorted(needed - set(units))
    if missing or not local:
        raise RuntimeError(f"Seed the kernel's units first (missing: {', '.join(missing) or 'wards'}).")
    return units, sorted(local, key=lambda u: u.path)


def _service(spec: Spec, sector: Sector) -> Service:
    service = Service(
        code=spec.code,
        name=spec.name,
        sector=sector,
        level=spec.level,
        processing_days=sum(days for _n, _u, days in spec.chain),
        fee=spec.fee,
        fee_note=spec.fee_note,
        result_name=spec.result,
        legal_basis=spec.legal,
        description=spec.description,
    )
    service.search_text = service.build_search_text()  # bulk_create skips save()
    return service


@transaction.atomic
def seed_services(progress=None) -> int:
    """Create the catalogue services that are missing; returns how many were created."""
    specs = services()
    existing = set(Service.objects.filter(code__in=[s.code for s in specs]).values_list("code", flat=True))
    new = [spec for spec in specs if spec.code not in existing]
    if not new:
        return 0
    sectors = seed_sectors()
    units, local = _units(new)
    created = Service.objects.bulk_create([_service(spec, sectors[spec.sector]) for spec in new])

    receiving, steps, documents = [], [], []
    link = Service.receiving_units.through
    for spec, service in zip(new, created, strict=True):
        desks = local if spec.scope == WARD else [units[CITY_DESK]]
        receiving += [link(service_id=service.pk, unit_id=unit.pk) for unit in desks]
        steps += [
            ServiceStep(
                service=service,
                order=order,
                name=name,
                unit=units[unit] if unit else None,
                working_days=days,
            )
            for order, (name, unit, days) in enumerate(spec.chain, start=1)
        ]
        documents += [
            RequiredDocument(
                service=service, order=order, name=name, form=form, quantity=quantity, mandatory=mandatory
            )
            for order, (name, form, quantity, mandatory) in enumerate(spec.documents, start=1)
        ]
    link.objects.bulk_create(receiving, batch_size=2000)
    ServiceStep.objects.bulk_create(steps, batch_size=2000)
    RequiredDocument.objects.bulk_create(documents, batch_size=2000)
    pagecache.bump(CATALOGUE_VERSION)  # bulk_create sends no signals: the cached catalogue pages go
    if progress:
        progress(len(created))
    return len(created)


def seed(progress=None) -> dict[str, int]:
    created = seed_services(progress)
    return {
        "sectors": Sector.objects.count(),
        "services": Service.objects.count(),
        "services_created": created,
        "dossiers_created": seed_dossiers(),
    }


# --- demo dossiers: every state, made through the services --------------------------------
# So that the queues, the look-up and the statistics are not empty on first look, the
# demo walks a few dossiers of Ward 1 and of the city desk through the real services
# (``onestop.services``), each step at its own moment in the past working days
# (time-machine moves the clock for the services; nothing is inserted by hand). Skipped
# when the desk already has dossiers or the demo officials are missing.

BIRTH = "Đăng ký khai sinh"
PERMIT = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"
WARD_DESK = "P1"

# name, CCCD (province 082, birth year in digits 5-6), mobile: fictitious applicants.
APPLICANTS = [
    ("Nguyễn Văn An", "082085000123", "0912345678"),
    ("Trần Thị Bình", "082190000456", "0987654321"),
    ("Lê Hoàng Cường", "082078001234", "0903123456"),
    ("Phạm Thị Dung", "082195002345", "0938765432"),
    ("Võ Minh Đức", "082088003456", "0977111222"),
    ("Huỳnh Thị Em", "082192004567", "0918222333"),
    ("Đặng Quốc Phong", "082080005678", "0965333444"),
    ("Bùi Thị Giang", "082198006789", "0909444555"),
]


def scanned_page() -> bytes:
    """A real one-page PDF (with its cross-reference table), as a scanner would save it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _working_days_ago(n: int, hour: int = 9):
    """A moment ``n`` working days before today, at ``hour`` o'clock (Vietnam time)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from portal import workdays

    day = workdays.today()
    while n > 0:
        day -= timedelta(days=1)
        if workdays.is_working_day(day):
            n -= 1
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    moment = datetime.combine(day, time(hour, 0), tzinfo=workdays.TZ)
    return min(moment, timezone.now())  # never in the future (a demo loaded early in the morning)


class _Demo:
    """Applicants, a scanned page, and the clock of the demo's past working days."""

    def __init__(self):
        self.applicants = iter(APPLICANTS * 4)
        self.pdf = scanned_page()

    def at(self, working_days_ago: int, hour: int = 9):
        import time_machine

        return time_machine.travel(_working_days_ago(working_days_ago, hour), tick=False)

    def file(self, service: Service, unit: Unit, submit: bool = True, pay: bool = True):
        """A dossier filed online (its fee paid through the services, unless ``pay`` is False)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from onestop import services
        from onestop.workflow import Citizen

        name, cccd, phone = next(self.applicants)
        data = {
            "applicant_name": name,
            "applicant_id_number": cccd,
            "applicant_address": "Phường 1, thành phố Mỹ Tho, tỉnh Tiền Giang",
            "applicant_phone": phone,
            "applicant_email": "",  # the demo sends no e-mail
            "request_summary": "",
            "consent": True,
        }
        dossier = services.create_draft(service, unit, data)
        for document in service.documents.filter(mandatory=True):
            upload = SimpleUploadedFile("ho-so.pdf", self.pdf, content_type="application/pdf")
            services.attach_file(dossier, upload, Citizen(dossier.pk), required_document=document)
        if not submit:
            return dossier
        dossier = services.submit_dossier(dossier, Citizen(dossier.pk))
        if pay and dossier.status == DossierStatus.AWAITING_PAYMENT:
            payment = services.start_payment(dossier)
            services.confirm_payment(payment, paid=True, bank_code="NCB", response_code="00")
            dossier.refresh_from_db()
        return dossier


def seed_dossiers() -> int:
    """Dossiers in every state at Ward 1 and the city desk; returns how many were made (0 if skipped)."""
    from onestop import services as s
    from onestop.models import Dossier
    from onestop.workflow import Citizen
    from portal.models import User

    names = ["p1.motcua", "p1.cv", "p1.lanhdao", "ubnd.motcua", "qldt.cv"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(people) < len(names) or Dossier.objects.exists():
        return 0
    units = {u.code: u for u in Unit.objects.filter(code__in=[WARD_DESK, CITY_DESK])}
    ward = units[WARD_DESK]
    local = Service.objects.filter(receiving_units=ward, active=True).exclude(steps__unit__isnull=False)
    birth = Service.objects.get(name=BIRTH)
    longer = (
        local.filter(level__gte=3, fee=0, processing_days__gte=5).order_by("processing_days", "code").first()
    )
    paid = local.filter(level=4, fee__gt=0).order_by("code").first()
    permit = Service.objects.get(name=PERMIT)
    demo = _Demo()
    desk, specialist, leader = people["p1.motcua"], people["p1.cv"], people["p1.lanhdao"]
    made = []

    def accepted(service, ago, unit=ward, officer=desk):
        with demo.at(ago):
            return s.accept_dossier(demo.file(service, unit), officer)

    def submitted(dossier):
        for _step in range(dossier.steps.count() - 1):
            s.hand_over(dossier, specialist, "Đủ điều kiện")
        return s.submit_for_approval(dossier, specialist)

    def decided(service, received_ago, decided_ago, returned=True, rating=None):
        dossier = accepted(service, received_ago)
        with demo.at(decided_ago, hour=10):
            submitted(dossier)
            dossier = s.approve_dossier(dossier, leader, "Đồng ý")
        if returned:
            with demo.at(decided_ago, hour=14):
                dossier = s.return_result(dossier, desk)
                if rating is not None:
                    keys = ("visits", "agencies", "attitude", "publication", "feedback")
                    s.rate_dossier(dossier, Citizen(dossier.pk), dict.fromkeys(keys, rating))
        return dossier

    with transaction.atomic():
        made.append(demo.file(birth, ward, submit=False))  # a draft
        made.append(demo.file(birth, ward))  # submitted: waits for the desk
        made.append(demo.file(longer, ward))
        made.append(demo.file(paid, ward, pay=False))  # awaiting the online fee
        with demo.at(2):
            dossier = demo.file(longer, ward)
            s.request_supplement(
                dossier, desk, [{"name": "Bản sao giấy tờ tùy thân", "reason": "Ảnh chụp mờ"}]
            )
            made.append(dossier)
        with demo.at(3):
            made.append(
                s.reject_dossier(demo.file(birth, ward), desk, "Thủ tục không thuộc thẩm quyền của phường")
            )
        made.append(accepted(longer, 0))  # processing, on time
        made.append(accepted(longer, longer.processing_days - 1))  # due tomorrow
        made.append(accepted(birth, 4))  # overdue
        dossier = accepted(birth, 1)
        with demo.at(0):
            made.append(submitted(dossier))  # awaits the leader
        dossier = accepted(birth, 2)
        with demo.at(1):
            made.append(s.refuse_dossier(dossier, specialist, "Người yêu cầu không đủ điều kiện"))
        dossier = accepted(longer, 3)
        with demo.at(1):  # form 05 (Decree 118/2025): the applicant withdrew at the desk
            made.append(s.withdraw_dossier(dossier, desk, "Người nộp đề nghị rút hồ sơ"))
        made.append(decided(birth, 1, 0, returned=False))  # result ready
        made.append(decided(longer, 4, 2, rating=2))  # returned early
        made.append(decided(birth, 3, 2, rating=1))  # returned on time
        made.append(decided(birth, 8, 5, rating=0))  # returned late
        city = units[CITY_DESK]
        made.append(demo.file(permit, city))  # waits at the city desk
        made.append(accepted(permit, 2, unit=city, officer=people["ubnd.motcua"]))  # at urban management
    return len(made)
