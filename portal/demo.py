"""Demo data for the kernel: the city of the seed article (Mỹ Tho, 2022).

68 agencies and units, including the city people's committee and its 17
wards and communes, and 1,082 active staff accounts with roles. Idempotent:
units are matched by code, users by username. Other apps add their own demo
data through a ``demo.seed(progress)`` function (see ``seed_demo``).
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from portal import calendar_data, roles
from portal.models import CalendarDay, SiteProfile, Unit, UnitKind, User

DEMO_PASSWORD = "demo-MyTho-2022"
TOTAL_STAFF = 1082
PROVINCE = "H58"  # [open] QCVN 102 province segment; data, editable per unit

CITY = ("UBND", "Ủy ban nhân dân thành phố Mỹ Tho", "UBND", UnitKind.PEOPLES_COMMITTEE, "815")

# (code, name, abbreviation)
DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND thành phố", "VP"),
    ("NV", "Phòng Nội vụ", "NV"),
    ("TP", "Phòng Tư pháp", "TP"),
    ("TCKH", "Phòng Tài chính - Kế hoạch", "TCKH"),
    ("QLDT", "Phòng Quản lý đô thị", "QLĐT"),
    ("TNMT", "Phòng Tài nguyên và Môi trường", "TNMT"),
    ("KT", "Phòng Kinh tế", "KT"),
    ("VHTT", "Phòng Văn hóa và Thông tin", "VHTT"),
    ("GDDT", "Phòng Giáo dục và Đào tạo", "GDĐT"),
    ("YT", "Phòng Y tế", "YT"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
    ("TTRA", "Thanh tra thành phố", "TTr"),
    ("DTOC", "Phòng Dân tộc - Tôn giáo", "DTTG"),
]
MASS_ORGS = [
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "MTTQ"),
    ("DOAN", "Thành đoàn Mỹ Tho", "TĐ"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ thành phố", "HLHPN"),
    ("HND", "Hội Nông dân thành phố", "HND"),
    ("HCCB", "Hội Cựu chiến binh thành phố", "HCCB"),
    ("LDLD", "Liên đoàn Lao động thành phố", "LĐLĐ"),
]
AGENCIES = [
    ("TTYT", "Trung tâm Y tế thành phố", "TTYT"),
    ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng thành phố", "BQLDA"),
    ("TTVHTT", "Trung tâm Văn hóa, Thể thao và Truyền thanh", "TTVH"),
    ("TTPTQD", "Trung tâm Phát triển quỹ đất", "TTPTQĐ"),
    ("CNVPDK", "Chi nhánh Văn phòng Đăng ký đất đai Mỹ Tho", "CNVPĐK"),
    ("BQLCHO", "Ban Quản lý chợ Mỹ Tho", "BQLC"),
    ("DTTDT", "Đội Trật tự đô thị", "ĐTTĐT"),
    ("CCTHADS", "Chi cục Thi hành án dân sự", "CCTHA"),
    ("CCTHUE", "Chi cục Thuế khu vực Mỹ Tho", "CCT"),
    ("CCTK", "Chi cục Thống kê", "CCTK"),
    ("KBNN", "Kho bạc Nhà nước Mỹ Tho", "KBNN"),
    ("BHXH", "Bảo hiểm xã hội thành phố", "BHXH"),
    ("CATP", "Công an thành phố Mỹ Tho", "CA"),
    ("BCHQS", "Ban Chỉ huy quân sự thành phố", "BCHQS"),
    ("HDND", "Thường trực Hội đồng nhân dân thành phố", "HĐND"),
    ("NHCSXH", "Phòng giao dịch Ngân hàng Chính sách xã hội", "NHCSXH"),
    ("TTGDNN", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên", "TTGDNN"),
    ("CTDT", "Công ty Công trình đô thị Mỹ Tho", "CTĐT"),
    ("BTTT", "Bảo tàng - Di tích thành phố", "BT"),
    ("THCSLTV", "Trường THCS Lê Thị Hồng Gấm", "THCS-LTHG"),
    ("THCSXV", "Trường THCS Xuân Diệu", "THCS-XD"),
    ("THCSTHD", "Trường THCS Thái Hòa Đông", "THCS-THĐ"),
    ("THCSNDC", "Trường THCS Nguyễn Đình Chiểu", "THCS-NĐC"),
    ("THCSPT", "Trường THCS Phước Thạnh", "THCS-PT"),
    ("THCSTMC", "Trường THCS Tân Mỹ Chánh", "THCS-TMC"),
    ("THTL", "Trường Tiểu học Tân Long", "TH-TL"),
    ("THTS", "Trường Tiểu học Thới Sơn", "TH-TS"),
    ("THDT", "Trường Tiểu học Đạo Thạnh", "TH-ĐT"),
    ("MNHM", "Trường Mầm non Hoa Mai", "MN-HM"),
    ("MNHS", "Trường Mầm non Hoa Sen", "MN-HS"),
    ("TTDVNN", "Trung tâm Dịch vụ nông nghiệp", "TTDVNN"),
]
# DOMAIN.md §5: (code, name, kind, administrative code)
LOCAL = [
    ("P1", "Phường 1", UnitKind.WARD, "28261"),
    ("P2", "Phường 2", UnitKind.WARD, "28264"),
    ("P3", "Phường 3", UnitKind.WARD, "28258"),
    ("P4", "Phường 4", UnitKind.WARD, "28252"),
    ("P5", "Phường 5", UnitKind.WARD, "28249"),
    ("P6", "Phường 6", UnitKind.WARD, "28270"),
    ("P7", "Phường 7", UnitKind.WARD, "28255"),
    ("P8", "Phường 8", UnitKind.WARD, "28267"),
    ("P9", "Phường 9", UnitKind.WARD, "28273"),
    ("P10", "Phường 10", UnitKind.WARD, "28276"),
    ("TANLONG", "Phường Tân Long", UnitKind.WARD, "28279"),
    ("DAOTHANH", "Xã Đạo Thạnh", UnitKind.COMMUNE, "28282"),
    ("TRUNGAN", "Xã Trung An", UnitKind.COMMUNE, "28285"),
    ("MYPHONG", "Xã Mỹ Phong", UnitKind.COMMUNE, "28288"),
    ("TANMYCHANH", "Xã Tân Mỹ Chánh", UnitKind.COMMUNE, "28291"),
    ("PHUOCTHANH", "Xã Phước Thạnh", UnitKind.COMMUNE, "28567"),
    ("THOISON", "Xã Thới Sơn", UnitKind.COMMUNE, "28591"),
]

# Named demo log-ins (also listed in the README and printed by `make run`).
# (username, unit code, role, full name, position)
DEMO_USERS = [
    ("admin", "VP", roles.SYSADMIN, "Quản trị hệ thống", "Quản trị hệ thống"),
    ("ubnd.lanhdao", "UBND", roles.LEADER, "Nguyễn Văn Hùng", "Chủ tịch UBND thành phố"),
    ("ubnd.vanthu", "UBND", roles.CLERK, "Trần Thị Mai", "Văn thư"),
    ("ubnd.motcua", "UBND", roles.ONESTOP_OFFICER, "Lê Thị Thu", "Cán bộ Bộ phận Một cửa"),
    ("tuphap.cv", "TP", roles.SPECIALIST, "Phạm Minh Tuấn", "Chuyên viên"),
    ("tuphap.ld", "TP", roles.LEADER, "Võ Thị Lan", "Trưởng phòng Tư pháp"),
    ("qldt.cv", "QLDT", roles.SPECIALIST, "Huỳnh Quốc Bảo", "Chuyên viên"),
    ("qldt.ld", "QLDT", roles.LEADER, "Đặng Văn Phúc", "Trưởng phòng Quản lý đô thị"),
    ("p1.motcua", "P1", roles.ONESTOP_OFFICER, "Ngô Thị Hạnh", "Công chức Một cửa Phường 1"),
    ("p1.cv", "P1", roles.SPECIALIST, "Bùi Văn Nam", "Công chức Tư pháp - Hộ tịch"),
    ("p1.lanhdao", "P1", roles.LEADER, "Dương Văn Thành", "Chủ tịch UBND Phường 1"),
    ("p2.motcua", "P2", roles.ONESTOP_OFFICER, "Lý Thị Hoa", "Công chức Một cửa Phường 2"),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
    "Đinh",
    "Lâm",
    "Châu",
    "Tô",
]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Phúc",
    "Nam",
    "Bảo",
    "Long",
    "Khang",
    "Tài",
    "Trí",
    "Hiếu",
    "Thắng",
    "Sơn",
    "Toàn",
    "Vinh",
    "Lộc",
    "Nghĩa",
    "Tâm",
    "Hải",
    "Quang",
]
GIVEN_F = [
    "Lan",
    "Mai",
    "Hạnh",
    "Hoa",
    "Thảo",
    "Trang",
    "Linh",
    "Ngân",
    "Yến",
    "Nhung",
    "Phương",
    "Diễm",
    "Tuyết",
    "Vy",
    "Trinh",
    "Loan",
    "Hằng",
    "Quyên",
    "Nga",
    "Thư",
]


def unit_rows() -> list[tuple[str, str, str, str, str]]:
    """(code, name, abbreviation, kind, administrative code) of the 67 units under the city."""
    rows = [(c, n, a, UnitKind.DEPARTMENT, "") for c, n, a in DEPARTMENTS]
    rows += [(c, n, a, UnitKind.MASS_ORGANISATION, "") for c, n, a in MASS_ORGS]
    rows += [(c, n, a, UnitKind.AGENCY, "") for c, n, a in AGENCIES]
    rows += [(c, n, "UBND", k, adm) for c, n, k, adm in LOCAL]
    return rows


def seed_site() -> None:
    SiteProfile.objects.update_or_create(
        pk=1,
        defaults={
            "city_name": "Mỹ Tho",
            "portal_name": "Cổng dịch vụ công thành phố Mỹ Tho",
            "hotline": "1022",
            "address": "Số 36 đường 30/4, Phường 1, thành phố Mỹ Tho, tỉnh Tiền Giang",
            "email": "ubnd@mytho.tiengiang.gov.vn",
            "welcome": "Tra cứu thủ tục, nộp hồ sơ trực tuyến, theo dõi kết quả và gửi phản ánh, kiến nghị "
            "đến chính quyền thành phố.",
        },
    )


@transaction.atomic
def seed_units() -> dict[str, Unit]:
    code, name, abbr, kind, adm = CITY
    city, _ = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": abbr,
            "kind": kind,
            "admin_code": adm,
            "parent": None,
            "agency_id": f"000.00.26.{PROVINCE}",
        },
    )
    existing = {u.code: u for u in Unit.objects.all()}
    new = []
    for i, (ucode, uname, uabbr, ukind, uadm) in enumerate(unit_rows(), start=1):
        if ucode in existing:
            continue
        agency_id = f"000.{i:02d}.26.{PROVINCE}"
        if ukind in (UnitKind.WARD, UnitKind.COMMUNE):
            agency_id = f"{int(uadm) % 1000:03d}.{i:02d}.26.{PROVINCE}"
        new.append(
            Unit(
                code=ucode,
                name=uname,
                short_name=uabbr,
                kind=ukind,
                admin_code=uadm,
                parent=city,
                agency_id=agency_id,
                active=True,
            )
        )
    if new:
        created = Unit.objects.bulk_create(new)
        for unit in created:
            unit.path = f"{city.path}{unit.pk}/"
        Unit.objects.bulk_update(created, ["path"])
    return {u.code: u for u in Unit.objects.all()}


def _staff_plan(units: dict[str, Unit]) -> list[tuple[Unit, int]]:
    """How many staff each unit has, adding up to TOTAL_STAFF."""
    weights = {
        UnitKind.PEOPLES_COMMITTEE: 40,
        UnitKind.DEPARTMENT: 15,
        UnitKind.WARD: 24,
        UnitKind.COMMUNE: 22,
        UnitKind.MASS_ORGANISATION: 7,
        UnitKind.AGENCY: 12,
    }
    ordered = sorted(units.values(), key=lambda u: u.path)
    plan = [[u, weights[u.kind]] for u in ordered]
    total = sum(n for _u, n in plan)
    i = 0
    while total != TOTAL_STAFF:  # spread the remainder round-robin
        step = 1 if total < TOTAL_STAFF else -1
        plan[i % len(plan)][1] += step
        total += step
        i += 1
    return [(u, n) for u, n in plan]


def _role_for(unit: Unit, index: int) -> str:
    if index < 2:
        return roles.LEADER
    if index == 2:
        return roles.CLERK
    if unit.kind in (UnitKind.WARD, UnitKind.COMMUNE, UnitKind.PEOPLES_COMMITTEE) and index < 6:
        return roles.ONESTOP_OFFICER
    return roles.SPECIALIST


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


@transaction.atomic
def seed_staff(units: dict[str, Unit], progress=None) -> int:
    """Create the staff accounts that are missing; returns how many were created."""
    groups = {code: roles.group_for(code) for code in roles.RoleCode}
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by the demo accounts
    rng = random.Random(2022)
    existing = set(User.objects.values_list("username", flat=True))
    wanted: list[tuple[User, str]] = []

    demo_by_unit: dict[str, int] = {}
    for username, ucode, role, full_name, position in DEMO_USERS:
        demo_by_unit[ucode] = demo_by_unit.get(ucode, 0) + 1
        user = User(
            username=username,
            unit=units[ucode],
            full_name=full_name,
            position=position,
            is_staff=True,
            is_superuser=(role == roles.SYSADMIN),
            password=password,
            email=f"{username}@mytho.gov.vn",
        )
        wanted.append((user, role))

    for unit, count in _staff_plan(units):
        count -= demo_by_unit.get(unit.code, 0)
        prefix = unit.code.lower()
        for index in range(count):
            role = _role_for(unit, index)
            full_name = _name(rng)
            username = f"{prefix}.{index + 1:03d}"
            user = User(
                username=username,
                unit=unit,
                full_name=full_name,
                is_staff=True,
                password=password,
                position={
                    roles.LEADER: "Lãnh đạo",
                    roles.CLERK: "Văn thư",
                    roles.ONESTOP_OFFICER: "Cán bộ một cửa",
                }.get(role, "Chuyên viên"),
                email=f"{username}@mytho.gov.vn",
            )
            wanted.append((user, role))

    missing = [(u, r) for u, r in wanted if u.username not in existing]
    if not missing:
        return 0
    created = User.objects.bulk_create([u for u, _r in missing], batch_size=500)
    membership = User.groups.through
    links = [
        membership(user_id=u.pk, group_id=groups[r].pk) for u, (_x, r) in zip(created, missing, strict=True)
    ]
    membership.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
    if progress:
        progress(len(created))
    return len(created)


def seed_demo_devices() -> None:
    """The demo log-ins pass two-step verification with the published demo key (``portal.demo_otp``)."""
    from portal import otp
    from portal.demo_otp import DEMO_TOTP_KEY_HEX

    for user in User.objects.filter(username__in=[row[0] for row in DEMO_USERS]):
        otp.give_authenticator(user, DEMO_TOTP_KEY_HEX)


def seed(progress=None) -> dict[str, int]:
    seed_site()
    calendar_data.load(CalendarDay)
    units = seed_units()
    created = seed_staff(units, progress)
    seed_demo_devices()
    return {"units": len(units), "staff_created": created}
