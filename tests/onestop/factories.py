"""Factories for the one-stop desk: a service with a chain, dossiers in every state.

``make_dossier(state, ...)`` walks a dossier through the real services to
the state asked for, so every state is reached the way production reaches it.
"""

from __future__ import annotations

import io

import factory

from onestop import services
from onestop.demo import scanned_page
from onestop.models import DossierStatus, RequiredDocument, Sector, Service, ServiceStep
from portal import roles
from tests.factories import UnitFactory, UserFactory

# A CCCD for a man born in 1985 in Tiền Giang (082), and a Viettel mobile.
CCCD = "082085000123"
MOBILE = "0912345678"


PDF_BYTES = scanned_page()  # a real one-page PDF, as a scanner would save it


def pdf_upload(name="giay-to.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def applicant(**overrides):
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": CCCD,
        "applicant_address": "12 Lê Lợi, Phường 1, Mỹ Tho",
        "applicant_phone": MOBILE,
        "applicant_email": "an@example.com",
        "request_summary": "Xin cấp giấy",
        "consent": True,
    }
    data.update(overrides)
    return data


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"1.00{n:04d}")
    name = factory.Sequence(lambda n: f"Thủ tục số {n}")
    sector = factory.SubFactory(SectorFactory)
    level = 3
    processing_days = 5
    fee = 0
    result_name = "Giấy chứng nhận"

    class Params:
        level4 = factory.Trait(level=4, fee=50000)

    @factory.post_generation
    def receiving_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.receiving_units.set(extracted)

    @factory.post_generation
    def documents(obj, create, extracted, **kwargs):
        if create:
            RequiredDocument.objects.create(service=obj, order=1, name="Tờ khai", mandatory=True)
            RequiredDocument.objects.create(service=obj, order=2, name="Giấy tờ khác", mandatory=False)


def chain(service, *steps):
    """steps: (name, unit or None, working days)."""
    for order, (name, unit, days) in enumerate(steps, start=1):
        ServiceStep.objects.create(service=service, order=order, name=name, unit=unit, working_days=days)
    return service


class Cast:
    """A ward desk, a city department and their people, for workflow tests."""

    def __init__(self):
        self.city = UnitFactory(code="UBND", name="UBND thành phố", committee=True)
        self.ward = UnitFactory(
            code="P1", name="Phường 1", ward=True, parent=self.city, agency_id="000.01.26.H58"
        )
        self.other_ward = UnitFactory(
            code="P2", name="Phường 2", ward=True, parent=self.city, agency_id="000.02.26.H58"
        )
        self.dept = UnitFactory(code="QLDT", name="Phòng Quản lý đô thị", parent=self.city)
        self.officer = UserFactory(username="p1.motcua", unit=self.ward, role=roles.ONESTOP_OFFICER)
        self.ward_specialist = UserFactory(username="p1.cv", unit=self.ward, role=roles.SPECIALIST)
        self.ward_leader = UserFactory(username="p1.ld", unit=self.ward, role=roles.LEADER)
        self.other_officer = UserFactory(
            username="p2.motcua", unit=self.other_ward, role=roles.ONESTOP_OFFICER
        )
        self.specialist = UserFactory(username="qldt.cv", unit=self.dept, role=roles.SPECIALIST)
        self.leader = UserFactory(username="qldt.ld", unit=self.dept, role=roles.LEADER)
        # Received by the ward, checked by the ward (1 day), decided by the department (3 days).
        self.service = ServiceFactory(
            name="Cấp giấy phép xây dựng nhà ở riêng lẻ", receiving_units=[self.ward], processing_days=4
        )
        chain(self.service, ("Kiểm tra hồ sơ", None, 1), ("Thẩm định và quyết định", self.dept, 3))
        self.paid_service = ServiceFactory(
            name="Cấp bản sao trích lục hộ tịch", level4=True, receiving_units=[self.ward], processing_days=2
        )
        chain(self.paid_service, ("Xử lý", None, 2))


def make_dossier(cast: Cast, state: str = DossierStatus.DRAFT, service=None, **data):
    """A dossier brought to ``state`` through the real services."""
    from onestop.workflow import Citizen

    service = service or cast.service
    dossier = services.create_draft(service, cast.ward, applicant(**data))
    doc = service.documents.get(order=1)
    services.attach_file(dossier, pdf_upload(), Citizen(dossier.pk), required_document=doc)
    if state == DossierStatus.DRAFT:
        return dossier
    dossier = services.submit_dossier(dossier, Citizen(dossier.pk))
    if state in (DossierStatus.SUBMITTED, DossierStatus.AWAITING_PAYMENT):
        return dossier
    if state == DossierStatus.SUPPLEMENT_REQUESTED:
        services.request_supplement(dossier, cast.officer, [{"name": "Bản vẽ", "reason": "Thiếu chữ ký"}])
        return dossier.__class__.objects.get(pk=dossier.pk)
    if state == DossierStatus.REJECTED:
        return services.reject_dossier(dossier, cast.officer, "Không thuộc thẩm quyền")
    dossier = services.accept_dossier(dossier, cast.officer)
    if state == DossierStatus.PROCESSING:
        return dossier
    if state == DossierStatus.REFUSED:
        return services.refuse_dossier(dossier, cast.ward_specialist, "Không đủ điều kiện")
    if state == DossierStatus.STOPPED:  # under Decree 118/2025 (received from 1 July 2025)
        return services.withdraw_dossier(dossier, cast.officer, "Người nộp đề nghị rút hồ sơ")
    steps = list(dossier.steps.order_by("order"))
    for step in steps[:-1]:
        services.hand_over(dossier, _staff_for(cast, step.unit), "Đủ điều kiện")
    services.submit_for_approval(dossier, _staff_for(cast, steps[-1].unit))
    if state == DossierStatus.AWAITING_APPROVAL:
        return dossier.__class__.objects.get(pk=dossier.pk)
    dossier = services.approve_dossier(dossier, _leader_for(cast, steps[-1].unit), "Đồng ý cấp phép")
    if state == DossierStatus.RESULT_READY:
        return dossier
    return services.return_result(dossier, cast.officer)


def _staff_for(cast, unit):
    return cast.specialist if unit == cast.dept else cast.ward_specialist


def _leader_for(cast, unit):
    return cast.leader if unit == cast.dept else cast.ward_leader


__all__ = [
    "Cast",
    "make_dossier",
    "applicant",
    "pdf_upload",
    "chain",
    "ServiceFactory",
    "SectorFactory",
    "io",
]
