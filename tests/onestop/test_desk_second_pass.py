"""Issue 7, the desk's second pass: receipt regardless of boundary, Decree 42 classes,
evaluation of every returned dossier, scans at the desk, and the back office's details."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from onestop import selectors, services
from onestop import workflow as wf
from onestop.models import (
    Dossier,
    DossierFile,
    DossierStatus,
    Evaluation,
    OnlineClass,
    ScanExemption,
    Service,
)
from onestop.workflow import Citizen, WorkflowError
from portal import roles
from tests.factories import UnitFactory, UserFactory
from tests.onestop.factories import ServiceFactory, applicant, make_dossier, pdf_upload
from tests.onestop.test_lookup import signed_in

S = DossierStatus


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def html(response) -> str:
    return response.content.decode()


def shown_only():
    return ScanExemption.objects.get(code="shown-only")


def third_ward(cast):
    ward = UnitFactory(code="P3", name="Phường 3", ward=True, parent=cast.city, agency_id="000.03.26.H58")
    officer = UserFactory(username="p3.motcua", unit=ward, role=roles.ONESTOP_OFFICER)
    return ward, officer


# --- 6. receipt regardless of administrative boundary (phi địa giới) ------------------------------


def test_another_wards_desk_cannot_receive_a_service_that_is_not_boundary_free(cast):
    assert cast.service not in selectors.walk_in_services(cast.other_officer)
    with pytest.raises(ValidationError) as raised:
        services.register_walk_in(cast.service, cast.other_officer, applicant(), scan_exemption=shown_only())
    assert "receiving_unit" in raised.value.error_dict
    assert not Dossier.objects.exists()


def test_a_boundary_free_service_is_received_elsewhere_and_routed_to_the_competent_unit(cast):
    """Decree 118/2025: Ward 2's desk receives Ward 1's service; Ward 1 decides it; the code is Ward 2's."""
    cast.service.receivable_anywhere = True
    cast.service.save()
    assert cast.service in selectors.walk_in_services(cast.other_officer)
    # The desk must say which unit is competent: Ward 2 is not.
    with pytest.raises(ValidationError) as raised:
        services.register_walk_in(cast.service, cast.other_officer, applicant(), scan_exemption=shown_only())
    assert "competent_unit" in raised.value.error_dict
    with pytest.raises(ValidationError):
        services.register_walk_in(
            cast.service,
            cast.other_officer,
            applicant(),
            competent_unit=cast.dept,
            scan_exemption=shown_only(),
        )

    dossier = services.register_walk_in(
        cast.service,
        cast.other_officer,
        applicant(),
        competent_unit=cast.ward,
        scans=[(cast.service.documents.get(order=1), pdf_upload())],
    )
    assert (dossier.receiving_unit, dossier.competent_unit) == (cast.other_ward, cast.ward)
    assert dossier.code.startswith("000.02.26.H58-")  # the receiving desk's code

    # Ward 1's desk may not accept what Ward 2 received; Ward 2's desk does.
    with pytest.raises(WorkflowError):
        services.accept_dossier(dossier, cast.officer)
    dossier = services.accept_dossier(dossier, cast.other_officer)
    steps = list(dossier.steps.order_by("order").values_list("unit", flat=True))
    assert steps == [cast.ward.pk, cast.dept.pk]  # the competent unit's first step, then the chain

    # Who sees it: the receiving desk, the competent unit, the chain's units; not another ward.
    ward3, officer3 = third_ward(cast)
    for user in (cast.other_officer, cast.ward_specialist, cast.specialist, cast.officer):
        assert Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists(), user
    assert not Dossier.objects.visible_to(officer3).filter(pk=dossier.pk).exists()

    # The competent unit handles it; the receiving desk may not take its step.
    with pytest.raises(WorkflowError):
        services.hand_over(dossier, cast.other_officer)
    services.hand_over(dossier, cast.ward_specialist)
    services.submit_for_approval(dossier, cast.specialist)
    services.approve_dossier(dossier, cast.leader)
    # The result goes back through the desk that received it.
    assert dossier.pk in {d.pk for d in Dossier.objects.filter(selectors.mine_q(cast.other_officer))}
    with pytest.raises(WorkflowError):
        services.return_result(dossier, cast.officer)
    services.return_result(dossier, cast.other_officer)
    assert Evaluation.objects.get(dossier=dossier).unit == cast.other_ward


def test_before_acceptance_the_competent_unit_sees_what_it_will_handle(cast):
    cast.service.receivable_anywhere = True
    cast.service.save()
    dossier = services.register_walk_in(
        cast.service, cast.other_officer, applicant(), competent_unit=cast.ward, scan_exemption=shown_only()
    )
    assert Dossier.objects.visible_to(cast.ward_specialist).filter(pk=dossier.pk).exists()
    _ward3, officer3 = third_ward(cast)
    assert not Dossier.objects.visible_to(officer3).filter(pk=dossier.pk).exists()


def test_a_desk_of_another_province_does_not_receive_a_boundary_free_service(cast):
    cast.service.receivable_anywhere = True
    cast.service.save()
    elsewhere = UnitFactory(code="X1", name="Xã Khác", commune=True, agency_id="000.99.26.H58")
    officer = UserFactory(username="x1.motcua", unit=elsewhere, role=roles.ONESTOP_OFFICER)
    assert cast.service not in selectors.walk_in_services(officer)
    # Nor does a department's desk (only wards and communes receive regardless of boundary).
    dept_officer = UserFactory(username="qldt.motcua", unit=cast.dept, role=roles.ONESTOP_OFFICER)
    assert cast.service not in selectors.walk_in_services(dept_officer)


def test_the_walk_in_page_asks_for_the_competent_unit_in_natural_order(client, cast):
    cast.service.receivable_anywhere = True
    cast.service.save()
    ten = UnitFactory(code="P10", name="Phường 10", ward=True, parent=cast.city)
    cast.service.receiving_units.add(ten)
    client.force_login(cast.other_officer)
    walk_in = reverse("admin:onestop_dossier_walk_in")
    page = html(client.get(walk_in, {"service": cast.service.pk}))
    options = re.findall(
        r'<option value="\d+">(Phường \d+)</option>', page.split('id="id_competent_unit"')[1]
    )
    assert options[:2] == ["Phường 1", "Phường 10"]  # Ward 2 itself is not competent
    data = {
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "082185000456",
        "applicant_address": "5 Hùng Vương",
        "applicant_phone": "0987654321",
        "competent_unit": cast.ward.pk,
        "scan_exemption": shown_only().pk,
    }
    response = client.post(f"{walk_in}?service={cast.service.pk}", data, follow=True)
    dossier = Dossier.objects.get(applicant_name="Trần Thị Bình")
    assert (dossier.receiving_unit, dossier.competent_unit) == (cast.other_ward, cast.ward)
    page = html(response)
    assert re.search(r'id="dossier-competent">Phường 1 <small>', page)


def test_unit_lists_sort_naturally(cast):
    """Phường 10 created before Phường 3 (tree order would put it first): listed by number."""
    ten = UnitFactory(code="P10", name="Phường 10", ward=True, parent=cast.city)
    three = UnitFactory(code="P3", name="Phường 3", ward=True, parent=cast.city)
    cast.service.receiving_units.add(ten, three)
    leader = UserFactory(username="ubnd.ld", unit=cast.city, role=roles.LEADER)
    wards = [u.name for u in selectors.queue_units(leader) if u.name.startswith("Phường")]
    assert wards == ["Phường 1", "Phường 3", "Phường 10"]


# --- 7. Decree 42/2022 classes ----------------------------------------------------------------------


def test_online_class_follows_the_level_unless_set():
    assert ServiceFactory.build(level=4, fee=10).online_mode == OnlineClass.FULL
    assert ServiceFactory.build(level=3).online_mode == OnlineClass.PARTIAL
    assert not ServiceFactory.build(level=2).files_online
    partial = ServiceFactory.build(level=4, fee=10, online_class=OnlineClass.PARTIAL)
    assert partial.files_online and not partial.pays_online
    assert partial.level == 4  # the 2011 level stays, for the 2022 report's figures


# --- 8. every returned dossier is scored ------------------------------------------------------------


def test_a_returned_dossier_is_scored_without_a_rating(cast):
    dossier = make_dossier(cast, S.RETURNED)
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert not evaluation.rated
    assert (evaluation.total_time, evaluation.unit_time, evaluation.visits, evaluation.agencies) == (
        2,
        2,
        2,
        2,
    )
    assert (evaluation.publication, evaluation.attitude, evaluation.feedback) == (None, None, None)
    assert evaluation.score == 8
    services.rate_dossier(dossier, Citizen(dossier.pk), {"attitude": 2, "publication": 1, "feedback": 0})
    evaluation.refresh_from_db()
    assert evaluation.rated and (evaluation.publication, evaluation.attitude, evaluation.feedback) == (
        1,
        2,
        0,
    )
    assert evaluation.score == 11


def test_visits_and_agencies_come_from_the_dossiers_data(cast):
    """A walk-in dossier brought back in person once (indicator 3: 1 point) and asked for
    supplements by the department (indicator 4: one more agency, 1 point)."""
    dossier = services.register_walk_in(cast.service, cast.officer, applicant(), scan_exemption=shown_only())
    services.request_supplement(dossier, cast.officer, [{"name": "Tờ khai", "reason": "Thiếu chữ ký"}])
    services.provide_supplement(dossier, cast.officer, note="Mang đến bàn")  # in person: a visit
    dossier = services.accept_dossier(fresh(dossier), cast.officer)
    services.hand_over(dossier, cast.ward_specialist)
    services.request_supplement(dossier, cast.specialist, [{"name": "Bản vẽ", "reason": "Mờ"}])
    services.provide_supplement(dossier, Citizen(dossier.pk), [pdf_upload()])
    services.submit_for_approval(dossier, cast.specialist)
    services.approve_dossier(dossier, cast.leader)
    services.return_result(dossier, cast.officer)
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert (evaluation.visits, evaluation.agencies) == (1, 1)


# --- 9. scans at the desk ------------------------------------------------------------------------------


def test_scans_or_a_reason_but_not_neither_nor_both(cast):
    doc = cast.service.documents.get(order=1)
    with pytest.raises(ValidationError):
        services.register_walk_in(cast.service, cast.officer, applicant())
    with pytest.raises(ValidationError):
        services.register_walk_in(
            cast.service, cast.officer, applicant(), scans=[(doc, pdf_upload())], scan_exemption=shown_only()
        )
    assert not Dossier.objects.exists()
    assert list(ScanExemption.objects.values_list("code", flat=True)) == [
        "online",
        "shown-only",
        "verification",
        "secret",
    ]


# --- 13. the back office ------------------------------------------------------------------------------


def test_a_one_stop_officer_does_not_take_a_specialists_step_unless_they_hold_the_role(cast):
    dossier = make_dossier(cast, S.PROCESSING)  # the first step is the ward's
    assert wf.HAND_OVER not in wf.allowed_actions(dossier, cast.officer)
    with pytest.raises(WorkflowError) as raised:
        services.hand_over(dossier, cast.officer)
    assert "Chuyên viên / Lãnh đạo" in raised.value.message
    assert fresh(dossier).steps.get(order=1).status == "active"
    cast.officer.groups.add(roles.group_for(roles.SPECIALIST))
    officer = type(cast.officer).objects.get(pk=cast.officer.pk)
    assert wf.HAND_OVER in wf.allowed_actions(dossier, officer)
    services.hand_over(dossier, officer)
    # The step table says who handed it over.
    assert fresh(dossier).steps.get(order=1).finished_by == officer


def test_the_workflow_table_reserves_the_specialists_steps():
    assert wf.WORKFLOW.roles[wf.HAND_OVER] == (roles.SPECIALIST, roles.LEADER)
    assert wf.WORKFLOW.roles[wf.SUBMIT_FOR_APPROVAL] == (roles.SPECIALIST, roles.LEADER)


def test_the_dossier_page_shows_who_acted_and_what_each_file_answers(client, cast):
    dossier = make_dossier(cast, S.PROCESSING)
    services.hand_over(dossier, cast.ward_specialist)
    client.force_login(cast.ward_leader)
    page = html(client.get(reverse("admin:onestop_dossier_change", args=[dossier.pk])))
    actors = re.findall(r'<td class="step-actor">([^<]*)</td>', page)
    assert actors == [str(cast.ward_specialist), "—"]
    assert re.findall(r'<td class="file-document">([^<]*)</td>', page) == ["Tờ khai"]


def test_a_supplement_request_picks_the_services_documents_plus_free_text(client, cast):
    dossier = make_dossier(cast, S.SUBMITTED)
    doc = cast.service.documents.get(order=2)
    foreign = ServiceFactory().documents.get(order=1)
    client.force_login(cast.officer)
    url = reverse("admin:onestop_dossier_action", args=[dossier.pk, wf.REQUEST_SUPPLEMENT])
    form = html(client.get(url))
    assert f'<option value="{doc.pk}">Giấy tờ khác</option>' in form
    data = {
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "5",
        "items-MAX_NUM_FORMS": "1000",
        "note": "",
        "items-0-document": str(doc.pk),
        "items-0-reason": "Thiếu bản sao",
        "items-1-name": "Ảnh chân dung 4x6",
        "items-1-reason": "Chưa có",
    }
    client.post(url, data)
    request = fresh(dossier).supplement_requests.get()
    assert request.items == [
        {"name": "Giấy tờ khác", "reason": "Thiếu bản sao", "document_id": doc.pk},
        {"name": "Ảnh chân dung 4x6", "reason": "Chưa có"},
    ]
    # Another service's document is not on the list.
    other = make_dossier(cast, S.SUBMITTED)
    url = reverse("admin:onestop_dossier_action", args=[other.pk, wf.REQUEST_SUPPLEMENT])
    response = client.post(url, {**data, "items-0-document": str(foreign.pk)})
    assert response.status_code == 200 and not fresh(other).supplement_requests.exists()


def test_supplements_arriving_say_which_document_they_answer(client, cast):
    dossier = make_dossier(cast, S.SUPPLEMENT_REQUESTED)
    doc = cast.service.documents.get(order=2)
    client.force_login(cast.officer)
    url = reverse("admin:onestop_dossier_action", args=[dossier.pk, wf.PROVIDE_SUPPLEMENT])
    client.post(url, {"note": "", "file_1": pdf_upload("ban-sao.pdf"), "document_1": str(doc.pk)})
    record = fresh(dossier).files.get(kind=DossierFile.Kind.SUPPLEMENT)
    assert (record.original_name, record.required_document) == ("ban-sao.pdf", doc)


def test_while_supplements_are_awaited_the_citizen_sees_no_date(client, cast):
    dossier = make_dossier(cast, S.SUPPLEMENT_REQUESTED)
    assert fresh(dossier).due_date is not None
    signed_in(client, dossier)
    page = html(client.get(reverse("onestop:lookup_detail", args=[dossier.code])))
    due = re.search(r'id="due-date">([^<]*)<', page)
    assert "thời gian giải quyết được tính lại khi nhận đủ giấy tờ" in due.group(1)
    assert fresh(dossier).due_date.strftime("%d/%m/%Y") not in page


def test_service_is_unchanged_by_the_competent_field_for_old_rows(cast):
    """Rows made before the field: the receiving unit was competent (the migration fills it)."""
    dossier = make_dossier(cast, S.SUBMITTED)
    Dossier.objects.filter(pk=dossier.pk).update(competent_unit=None)
    dossier = services.accept_dossier(fresh(dossier), cast.officer)
    assert dossier.steps.get(order=1).unit == cast.ward
    assert Service.objects.filter(pk=cast.service.pk, receivable_anywhere=False).exists()
