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

from onestop.models import RequiredDocument, Sector, Service, ServiceStep
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
    if progress:
        progress(len(created))
    return len(created)


def seed(progress=None) -> dict[str, int]:
    created = seed_services(progress)
    return {
        "sectors": Sector.objects.count(),
        "services": Service.objects.count(),
        "services_created": created,
    }
