"""Demo data of the staff records (``seed_demo`` calls :func:`seed`): a plausible file for every demo official.

Every staff account of the demo city gets a file: sex from the name, a
birth date, a post in their unit since some date, a rank fitting their role
with a step and the date it is held from (so that some raises fall due
soon), qualifications, a sensitive section and a family. 901 of the 1,082
have an official mailbox, 95% of them in regular use (the 2022 report).
Two demo officials also keep staff records: ``p1.007`` (personnel officer of
Ward 1) and ``nv.004`` (Home Affairs office). Idempotent: accounts that already have
a file are skipped. Bulk inserts, no query per row.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from personnel import rules
from personnel.models import (
    FamilyMember,
    LegalRule,
    PersonnelFile,
    PositionKind,
    PositionRecord,
    Qualification,
    Rank,
    RetirementAge,
    SalaryKind,
    SalaryRecord,
    SensitiveRecord,
)
from portal import roles
from portal.models import Unit, User

MAILBOXES_ISSUED = 901
MAILBOXES_IN_USE = 856  # 95 % of 901
# Demo accounts of the kernel that also keep staff records: (username, role, position).
DEMO_KEEPERS = [
    ("p1.007", roles.PERSONNEL_OFFICER, "Công chức Văn phòng - Thống kê (tổ chức cán bộ)"),
    ("nv.004", roles.HOME_AFFAIRS, "Chuyên viên Phòng Nội vụ"),
]
ETHNICITY = ["Kinh"] * 18 + ["Hoa", "Khmer"]
HOMETOWNS = [
    "Mỹ Tho, Tiền Giang",
    "Chợ Gạo, Tiền Giang",
    "Châu Thành, Tiền Giang",
    "Gò Công, Tiền Giang",
    "Cai Lậy, Tiền Giang",
    "Bến Tre",
    "Long An",
    "Cái Bè, Tiền Giang",
]


def _keepers() -> int:
    """Give the personnel roles to two demo officials (the city keeps its 1,082 accounts)."""
    granted = 0
    for username, role, position in DEMO_KEEPERS:
        user = User.objects.filter(username=username).first()
        if user is None or user.has_role(role):
            continue
        user.groups.add(roles.group_for(role))
        user.position = position
        user.save(update_fields=["position"])
        granted += 1
    return granted


def _rank_for(user_roles: set, unit: Unit, rng: random.Random, ranks: dict) -> Rank:
    if roles.LEADER in user_roles:
        return ranks["01.002"] if rng.random() < 0.7 else ranks["01.003"]
    if roles.CLERK in user_roles:
        return ranks["02.007"]
    if unit.code.startswith(("TH", "MN")):
        return ranks["V.07.02.26"] if unit.code.startswith("MN") else ranks["V.07.03.29"]
    roll = rng.random()
    if roll < 0.08:
        return ranks["01.004"]
    if roll < 0.12:
        return ranks["NV.C1"]
    if roll < 0.16:
        return ranks["06.031"]
    return ranks["01.003"]


def _is_female(name: str) -> bool:
    parts = name.split()
    return len(parts) > 1 and parts[1] in {"Thị", "Ngọc", "Kim", "Thu", "Mỹ", "Bích", "Hồng"}


@transaction.atomic
def seed(progress=None) -> dict[str, int]:
    made_logins = _keepers()
    today = date.today()
    rng = random.Random(1082)
    ranks = {r.code: r for r in Rank.objects.select_related("scale")}
    if not ranks:
        return {"files_created": 0}
    roadmap = list(RetirementAge.objects.all())
    rule_rows = list(LegalRule.objects.all())
    with_file = set(PersonnelFile.objects.exclude(user=None).values_list("user_id", flat=True))
    users = list(
        User.objects.filter(is_staff=True, unit__isnull=False)
        .exclude(pk__in=with_file)
        .select_related("unit")
        .order_by("pk")
    )
    role_map: dict[int, set] = {}
    for user_id, code in User.groups.through.objects.filter(group__role__isnull=False).values_list(
        "user_id", "group__role__code"
    ):
        role_map.setdefault(user_id, set()).add(code)
    existing = PersonnelFile.objects.count()
    issued_left = max(0, MAILBOXES_ISSUED - PersonnelFile.objects.exclude(official_email="").count())
    in_use_left = max(
        0,
        MAILBOXES_IN_USE
        - PersonnelFile.objects.exclude(official_email="").filter(mailbox_in_use=True).count(),
    )
    files, plans = [], []
    for index, user in enumerate(users):
        user_roles = role_map.get(user.pk, set())
        female = _is_female(user.full_name or "")
        age = rng.randint(24, 60 if not female else 56)
        born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        rank = _rank_for(user_roles, user.unit, rng, ranks)
        scale = rank.scale
        years_in = rng.randint(1, max(1, age - 23))
        recruited = date(today.year - years_in, rng.choice([1, 3, 6, 9]), 1)
        interval = rules.rule_value(rules.STEP_INTERVAL.format(group=scale.interval_group), today, rule_rows)
        step = min(scale.steps, 1 + years_in * 12 // interval)
        held_from = today - timedelta(days=rng.randint(30, interval * 30 + 60))
        held_from = max(held_from, recruited)
        email = ""
        if issued_left:
            email, issued_left = f"{user.username}@mytho.gov.vn", issued_left - 1
        in_use = bool(email and in_use_left)
        if in_use:
            in_use_left -= 1
        file = PersonnelFile(
            user=user,
            staff_number=f"MT{existing + index + 1:05d}",
            full_name=user.full_name or user.username,
            sex="female" if female else "male",
            birth_date=born,
            birth_place=rng.choice(HOMETOWNS),
            hometown=rng.choice(HOMETOWNS),
            ethnicity=rng.choice(ETHNICITY),
            religion=rng.choice(["Không"] * 5 + ["Phật giáo", "Công giáo"]),
            phone=f"09{rng.randint(10000000, 99999999)}",
            official_email=email,
            mailbox_in_use=in_use,
            category="contract"
            if rank.code == "NV.C1"
            else ("public_employee" if rank.code.startswith("V.") else "civil_servant"),
            contract_end=(today + timedelta(days=rng.randint(-10, 400))) if rank.code == "NV.C1" else None,
            recruited_on=recruited,
            recruiting_agency="UBND thành phố Mỹ Tho",
            unit=user.unit,
            position=user.position or "Chuyên viên",
            rank=rank,
            salary_step=step,
            coefficient=Decimal(scale.coefficient(step)),
            step_since=held_from,
            education="university"
            if scale.code in ("A1", "A2.1", "A2.2", "A3.1")
            else ("college" if scale.code == "A0" else "intermediate"),
            political_theory=rng.choice(["intermediate", "elementary", "none"])
            if roles.LEADER not in user_roles
            else "advanced",
            state_management="principal_expert"
            if rank.code == "01.002"
            else ("expert" if scale.code == "A1" else "none"),
        )
        if rng.random() < 0.06 and step < scale.steps:
            file.education = "master"
        file.next_step_due = rules.step_due(
            step, scale.steps, held_from, scale.interval_group, (), rule_rows
        ).due
        file.retirement_date = rules.retirement(born, file.sex, roadmap).date
        file.refresh_search()
        files.append(file)
        plans.append((recruited, held_from))
    created = PersonnelFile.objects.bulk_create(files, batch_size=500)
    positions, salaries, quals, sensitive, family = [], [], [], [], []
    for file, (recruited, held_from) in zip(created, plans, strict=True):
        positions.append(
            PositionRecord(
                file=file,
                kind=PositionKind.RECRUITMENT,
                unit=file.unit,
                position=file.position,
                start_date=recruited,
                decision_number=f"{rng.randint(1, 999)}/QĐ-UBND",
                decision_date=recruited,
            )
        )
        if file.salary_step > 1:
            salaries.append(
                SalaryRecord(
                    file=file,
                    kind=SalaryKind.INITIAL,
                    rank=file.rank,
                    step=1,
                    coefficient=Decimal(file.rank.scale.coefficient(1)),
                    start_date=recruited,
                )
            )
        salaries.append(
            SalaryRecord(
                file=file,
                kind=SalaryKind.REGULAR if file.salary_step > 1 else SalaryKind.INITIAL,
                rank=file.rank,
                step=file.salary_step,
                coefficient=file.coefficient,
                start_date=held_from,
                decision_number=f"{rng.randint(1, 999)}/QĐ-UBND",
            )
        )
        if file.education != "none":
            quals.append(
                Qualification(
                    file=file,
                    kind="professional",
                    level=file.education,
                    field=rng.choice(["Luật", "Hành chính học", "Kế toán", "Quản trị kinh doanh", "Sư phạm"]),
                    institution=rng.choice(
                        [
                            "Trường Đại học Cần Thơ",
                            "Trường Đại học Tiền Giang",
                            "Học viện Hành chính Quốc gia",
                        ]
                    ),
                )
            )
        if file.political_theory != "none":
            quals.append(
                Qualification(
                    file=file,
                    kind="political_theory",
                    level=file.political_theory,
                    institution="Trường Chính trị tỉnh Tiền Giang",
                )
            )
        member = rng.random() < 0.55
        joined = (
            date(max(file.birth_date.year + 20, file.recruited_on.year), rng.randint(1, 12), 1)
            if member
            else None
        )
        sensitive.append(
            SensitiveRecord(
                file=file,
                party_joined_on=joined,
                party_official_on=joined + timedelta(days=365) if joined else None,
                health="Tốt",
                height_cm=rng.randint(150, 178),
                weight_kg=rng.randint(45, 78),
                blood_type=rng.choice(["O", "A", "B", "AB"]),
                family_background="Nông dân",
            )
        )
        family.append(
            FamilyMember(
                file=file,
                relation="Cha",
                full_name=f"{file.full_name.split()[0]} Văn {rng.choice(['Tư', 'Năm', 'Sáu'])}",
                birth_year=file.birth_date.year - rng.randint(22, 35),
                details="Nông dân, Mỹ Tho",
            )
        )
    PositionRecord.objects.bulk_create(positions, batch_size=1000)
    SalaryRecord.objects.bulk_create(salaries, batch_size=1000)
    Qualification.objects.bulk_create(quals, batch_size=1000)
    SensitiveRecord.objects.bulk_create(sensitive, batch_size=1000)
    FamilyMember.objects.bulk_create(family, batch_size=1000)
    if progress:
        progress(len(created))
    return {"keepers": made_logins, "files_created": len(created)}
