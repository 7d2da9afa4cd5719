"""Factories of the feedback app: a small city, categories with questions, reports in every state.

``Setup.report(state)`` walks a report through the real services to the state asked for.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback import services
from feedback.models import Category, CategoryAttribute, Channel, ReportStatus
from feedback.workflow import Citizen
from portal import roles
from tests.factories import UnitFactory, UserFactory

MOBILE = "0912345678"


def jpeg_bytes(width=1200, height=900, gps=True) -> bytes:
    image = Image.new("RGB", (width, height), (90, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "N", 2: (10.0, 21.0, 36.0), 3: "E", 4: (106.0, 21.0, 54.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def photo(name="anh.jpg", content=None):
    return SimpleUploadedFile(name, content or jpeg_bytes(), content_type="image/jpeg")


class Setup:
    """A city committee (the 1022 desk), a department, two wards, their staff, two categories."""

    def __init__(self):
        self.city = UnitFactory(code="CITY", name="UBND thành phố", committee=True)
        self.dept = UnitFactory(code="QLDT", name="Phòng Quản lý đô thị", parent=self.city)
        self.ward = UnitFactory(code="P1", name="Phường 1", ward=True, parent=self.city, admin_code="28261")
        self.ward2 = UnitFactory(code="P2", name="Phường 2", ward=True, parent=self.city, admin_code="28264")
        self.operator = UserFactory(username="op", unit=self.city, role=roles.ONESTOP_OFFICER)
        self.city_leader = UserFactory(username="city.ld", unit=self.city, role=roles.LEADER)
        self.dept_cv = UserFactory(username="dept.cv", unit=self.dept, role=roles.SPECIALIST)
        self.dept_ld = UserFactory(username="dept.ld", unit=self.dept, role=roles.LEADER)
        self.ward_cv = UserFactory(username="p1.cv", unit=self.ward, role=roles.SPECIALIST)
        self.ward_ld = UserFactory(username="p1.ld", unit=self.ward, role=roles.LEADER)
        self.ward2_cv = UserFactory(username="p2.cv", unit=self.ward2, role=roles.SPECIALIST)
        self.ward2_ld = UserFactory(username="p2.ld", unit=self.ward2, role=roles.LEADER)
        self.light = Category.objects.create(
            code="den-duong",
            name="Đèn đường hư hỏng",
            group="Hạ tầng",
            default_unit=self.dept,
            working_days=3,
        )
        CategoryAttribute.objects.create(
            category=self.light, code="pole", description="Số cột đèn", datatype="string", order=1
        )
        self.flood = Category.objects.create(
            code="ngap-nuoc", name="Ngập nước", default_unit=self.dept, working_days=1, emergency=True
        )
        CategoryAttribute.objects.create(
            category=self.flood,
            code="depth",
            description="Mức ngập",
            datatype="singlevaluelist",
            required=True,
            values=[{"key": "ankle", "name": "Mắt cá"}, {"key": "knee", "name": "Đầu gối"}],
        )

    def data(self, **overrides) -> dict:
        data = {
            "category": self.light,
            "ward": self.ward,
            "address": "12 Lê Lợi, Phường 1",
            "description": "Đèn đường trước nhà số 12 không sáng ba đêm nay.",
            "reporter_name": "Nguyễn Văn An",
            "reporter_phone": MOBILE,
            "reporter_email": "an@example.com",
            "name_public": False,
            "attributes": {"pole": "LL-12"},
        }
        data.update(overrides)
        return data

    def report(self, state=ReportStatus.NEW, *, passed_down=False, rated=None, **overrides):
        report, key = services.submit_report(
            self.data(**overrides), channel=overrides.pop("channel", Channel.WEB)
        )
        report.key = key
        if state == ReportStatus.NEW:
            return report
        if state == ReportStatus.INVALID:
            services.reject_report(report, self.operator, "Không rõ nội dung")
            return _fresh(report, key)
        if state == ReportStatus.FORWARDED:
            services.forward_report(report, self.operator, "Điện lực Tiền Giang", "Thuộc ngành điện")
            return _fresh(report, key)
        services.assign_report(report, self.operator, self.dept, handler=self.dept_cv)
        if passed_down:
            due = report.__class__.objects.get(pk=report.pk).due_date
            services.pass_down(report, self.dept_ld, self.ward, due, handler=self.ward_cv)
        if state == ReportStatus.ASSIGNED:
            return _fresh(report, key)
        handler, leader = (self.ward_cv, self.ward_ld) if passed_down else (self.dept_cv, self.dept_ld)
        services.submit_answer(report, handler, "Đã thay bóng đèn. Liên hệ 0987654321 nếu còn hỏng.")
        if state == ReportStatus.AWAITING_APPROVAL:
            return _fresh(report, key)
        services.approve_answer(report, leader)
        if rated is not None:
            services.rate_report(report, Citizen(report.pk), rated)
        return _fresh(report, key)


def _fresh(report, key):
    fresh = report.__class__.objects.get(pk=report.pk)
    fresh.key = key
    return fresh
