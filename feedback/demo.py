"""Demo data of the feedback app (``seed_demo`` calls ``seed``): the 1022 desk, categories, reports.

Categories follow what Mỹ Tho's citizens report (street lights, flooding,
rubbish, noise, encroachment, roads, trees, offices), each with its
handling unit, working-day deadline and emergency flag as data. A dozen
reports walk through the real services so the public list and the queues
have something to show. Idempotent: categories by code; reports only once.
"""

from __future__ import annotations

from django.db import transaction

from feedback import services
from feedback.models import Category, CategoryAttribute, Desk, Report
from feedback.workflow import Citizen
from portal.models import Unit, User

# (code, name, group, default unit code, working days, emergency)
CATEGORIES = [
    ("den-duong", "Đèn chiếu sáng công cộng hư hỏng", "Hạ tầng đô thị", "QLDT", 3, False),
    ("ngap-nuoc", "Ngập nước, cống thoát nước", "Hạ tầng đô thị", "QLDT", 1, True),
    ("duong-hu-hong", "Đường, vỉa hè, cầu hư hỏng", "Hạ tầng đô thị", "QLDT", 5, False),
    ("cay-xanh", "Cây xanh gãy đổ, nguy hiểm", "Hạ tầng đô thị", "CTDT", 1, True),
    ("rac-thai", "Rác thải, vệ sinh môi trường", "Môi trường", "TNMT", 3, False),
    ("tieng-on", "Tiếng ồn, ô nhiễm", "Môi trường", "TNMT", 5, False),
    ("lan-chiem", "Lấn chiếm vỉa hè, lòng đường", "Trật tự đô thị", "DTTDT", 3, False),
    ("thu-tuc", "Thủ tục hành chính, thái độ phục vụ", "Hành chính", "VP", 5, False),
    ("khac", "Phản ánh khác", "Khác", "VP", 7, False),
]

ATTRIBUTES = {
    "den-duong": [("so-cot", "Số hiệu cột đèn (nếu thấy)", "string", False, [])],
    "ngap-nuoc": [
        (
            "muc-ngap",
            "Mức ngập",
            "singlevaluelist",
            True,
            [
                {"key": "mat-ca", "name": "Đến mắt cá"},
                {"key": "dau-goi", "name": "Đến đầu gối"},
                {"key": "cao-hon", "name": "Cao hơn đầu gối"},
            ],
        )
    ],
    "duong-hu-hong": [("dien-tich", "Diện tích hư hỏng ước chừng (m²)", "number", False, [])],
}

REPORTS = [
    (
        "den-duong",
        "P1",
        "Số 36 đường 30/4",
        "Ba cột đèn trước trụ sở không sáng từ tối thứ Hai.",
        "Đã thay bóng và chấn lưu ba cột đèn; đèn sáng lại từ tối nay.",
    ),
    (
        "rac-thai",
        "P2",
        "Chợ Mỹ Tho, cổng đường Trưng Trắc",
        "Rác tồn đọng hai ngày, bốc mùi.",
        "Công ty đã thu gom và tăng một chuyến thu gom buổi chiều.",
    ),
    (
        "ngap-nuoc",
        "P4",
        "Đường Hùng Vương đoạn gần cầu Quay",
        "Mưa lớn ngập đến đầu gối, xe chết máy.",
        "Đã nạo vét hố ga và khơi thông cống; sẽ cải tạo tuyến cống trong năm.",
    ),
    (
        "lan-chiem",
        "P3",
        "Đường Lê Lợi",
        "Quán nước lấn chiếm toàn bộ vỉa hè.",
        "Đội Trật tự đô thị đã nhắc nhở, lập biên bản và yêu cầu dọn dẹp.",
    ),
    (
        "duong-hu-hong",
        "P5",
        "Đường Ấp Bắc, trước số 120",
        "Ổ gà lớn giữa đường, nguy hiểm ban đêm.",
        "Đã vá ổ gà và đặt biển báo trong lúc chờ thảm lại mặt đường.",
    ),
    ("den-duong", "P6", "Hẻm 12 Nguyễn Trãi", "Hẻm tối, đèn hỏng lâu ngày.", None),
    ("tieng-on", "P1", "Khu phố 3", "Karaoke hát quá 22 giờ nhiều đêm liền.", None),
    ("cay-xanh", "P7", "Công viên Thủ Khoa Huân", "Cành cây lớn gãy treo trên lối đi.", None),
    ("thu-tuc", "P8", "UBND Phường 8", "Chờ chứng thực quá lâu vào buổi sáng thứ Hai.", None),
]


@transaction.atomic
def seed_categories(units: dict[str, Unit]) -> dict[str, Category]:
    existing = {c.code: c for c in Category.objects.all()}
    for order, (code, name, group, unit_code, days, emergency) in enumerate(CATEGORIES, start=1):
        if code in existing or unit_code not in units:
            continue
        category = Category.objects.create(
            code=code,
            name=name,
            group=group,
            default_unit=units[unit_code],
            working_days=days,
            emergency=emergency,
            order=order,
        )
        for index, (attr, question, datatype, required, values) in enumerate(
            ATTRIBUTES.get(code, []), start=1
        ):
            CategoryAttribute.objects.create(
                category=category,
                code=attr,
                description=question,
                datatype=datatype,
                required=required,
                values=values,
                order=index,
            )
        existing[code] = category
    return existing


def seed(progress=None) -> dict[str, int]:
    units = {u.code: u for u in Unit.objects.all()}
    if "UBND" not in units:
        return {"categories": 0, "reports": 0}
    Desk.objects.update_or_create(pk=1, defaults={"unit": units["UBND"], "phone": "1022"})
    categories = seed_categories(units)
    if Report.objects.exists():
        return {"categories": len(categories), "reports": 0}
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=["ubnd.motcua", "qldt.cv", "qldt.ld", "admin"])
    }
    operator = staff.get("ubnd.motcua") or staff.get("admin")
    made = 0
    for index, (code, ward, address, text, answer) in enumerate(REPORTS):
        if code not in categories or ward not in units:
            continue
        attributes = {"muc-ngap": "dau-goi"} if code == "ngap-nuoc" else {}
        data = {
            "category": categories[code],
            "ward": units[ward],
            "address": address,
            "description": text,
            "reporter_name": f"Người dân {index + 1}",
            "reporter_phone": f"09{index:08d}",
            "name_public": index % 2 == 0,
            "attributes": attributes,
        }
        report, _key = services.submit_report(data)
        made += 1
        if index >= 7:
            continue  # left at the desk for triage
        unit = categories[code].default_unit
        services.assign_report(report, operator, unit)
        if answer is None:
            continue
        handler = _staff_of(unit)
        leader = _leader_of(unit)
        if handler is None or leader is None:
            continue
        services.submit_answer(report, handler, answer)
        services.approve_answer(report, leader)
        if index % 2:
            services.rate_report(report, Citizen(report.pk), 5)
    return {"categories": len(categories), "reports": made}


def _staff_of(unit: Unit):
    from portal import roles

    return (
        User.objects.filter(unit=unit, is_active=True, groups__role__code=roles.SPECIALIST)
        .order_by("pk")
        .first()
    )


def _leader_of(unit: Unit):
    from portal import roles

    return (
        User.objects.filter(unit=unit, is_active=True, groups__role__code=roles.LEADER).order_by("pk").first()
    )
