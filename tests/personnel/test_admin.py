"""The back office as every role, including another ward's personnel officer; the audit row on each sensitive read."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from personnel import services
from personnel.models import PersonnelFile
from portal import roles
from portal.models import AuditEvent
from tests.factories import UnitFactory
from tests.personnel.factories import make_file


@pytest.fixture
def world(city, ward_a, ward_b, make_user, officer_a, officer_b, home_affairs):
    sub = UnitFactory(code="WA-KP1", name="Khu phố 1", parent=ward_a)
    official = make_user(unit=ward_a, role=roles.SPECIALIST, username="p-a.cv")
    colleague = make_user(unit=ward_a, role=roles.SPECIALIST, username="p-a.cv2")
    leader_a = make_user(unit=ward_a, role=roles.LEADER, username="p-a.ld")
    city_leader = make_user(unit=city, role=roles.LEADER, username="city.ld")
    sysadmin = make_user(unit=city, role=roles.SYSADMIN, username="sys")
    own = make_file(officer_a, ward_a, user=official, full_name="Trần Thị Riêng", sex="female")
    services.update_sensitive(
        own,
        officer_a,
        {"health": "Tốt", "party_joined_on": date(2010, 5, 19)},
        family=[{"relation": "Mẹ", "full_name": "Lê Thị Mẹ", "birth_year": 1960}],
    )
    in_sub = make_file(officer_a, sub, full_name="Phạm Văn Khu")
    other_ward = make_file(officer_b, ward_b, full_name="Đỗ Văn Khác")
    return {
        "official": official,
        "colleague": colleague,
        "leader_a": leader_a,
        "city_leader": city_leader,
        "sysadmin": sysadmin,
        "own": own,
        "in_sub": in_sub,
        "other_ward": other_ward,
        "sub": sub,
    }


def _detail(file):
    return reverse("admin:personnel_personnelfile_change", args=[file.pk])


def _sensitive(file):
    return reverse("admin:personnel_personnelfile_sensitive", args=[file.pk])


def _seen(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:personnel_personnelfile_changelist"))
    assert response.status_code == 200
    return {f.pk for f in response.context["cl"].result_list}


def test_scope_of_every_role(client, world, officer_a, officer_b, home_affairs):
    w = world
    everyone = {w["own"].pk, w["in_sub"].pk, w["other_ward"].pk}
    assert _seen(client, w["official"]) == {w["own"].pk}
    assert _seen(client, w["colleague"]) == set()
    assert _seen(client, officer_a) == {w["own"].pk, w["in_sub"].pk}
    assert _seen(client, officer_b) == {w["other_ward"].pk}
    assert _seen(client, w["leader_a"]) == {w["own"].pk, w["in_sub"].pk}
    assert _seen(client, home_affairs) == everyone
    assert _seen(client, w["city_leader"]) == everyone
    assert _seen(client, w["sysadmin"]) == everyone


def test_another_wards_officer_gets_404_everywhere(client, world, officer_b):
    client.force_login(officer_b)
    file = world["own"]
    for name in ("change", "sensitive", "pdf", "correction"):
        assert client.get(reverse(f"admin:personnel_personnelfile_{name}", args=[file.pk])).status_code == 404
    url = reverse("admin:personnel_personnelfile_edit", args=[file.pk, "position"])
    assert client.post(url, {"kind": "transfer"}).status_code == 404
    assert not AuditEvent.objects.filter(action="personnelfile.sensitive_read", actor=officer_b).exists()


def test_sensitive_section_is_narrow_and_audited(client, world, officer_a, home_affairs):
    file = world["own"]
    for user in (world["official"], officer_a, home_affairs):
        client.force_login(user)
        before = AuditEvent.objects.filter(
            action="personnelfile.sensitive_read", object_id=str(file.pk), actor=user
        ).count()
        response = client.get(_sensitive(file))
        assert response.status_code == 200
        assert "Lê Thị Mẹ" in response.content.decode()
        after = AuditEvent.objects.filter(
            action="personnelfile.sensitive_read", object_id=str(file.pk), actor=user
        ).count()
        assert after == before + 1
    for user in (world["leader_a"], world["city_leader"], world["sysadmin"]):
        client.force_login(user)
        assert client.get(_detail(file)).status_code == 200
        response = client.get(_sensitive(file))
        assert response.status_code == 302
        assert "Lê Thị Mẹ" not in client.get(_detail(file)).content.decode()
        assert not AuditEvent.objects.filter(action="personnelfile.sensitive_read", actor=user).exists()


def test_history_form_pdf_is_an_audited_opening(client, world, officer_a):
    file = world["own"]
    client.force_login(officer_a)
    response = client.get(reverse("admin:personnel_personnelfile_pdf", args=[file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC" in text
    assert "06/2023/TT-BNV" in text and "TRẦN THỊ RIÊNG" in text and "Lê Thị Mẹ" in text
    event = AuditEvent.objects.filter(action="personnelfile.sensitive_read", object_id=str(file.pk)).latest(
        "id"
    )
    assert event.data["purpose"] == "history_form"
    client.force_login(world["leader_a"])
    assert client.get(reverse("admin:personnel_personnelfile_pdf", args=[file.pk])).status_code == 302


def test_sensitive_edit_form_is_an_audited_opening(client, world, officer_a):
    client.force_login(officer_a)
    url = reverse("admin:personnel_personnelfile_edit", args=[world["own"].pk, "sensitive"])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="personnelfile.sensitive_read", data__purpose="edit").exists()


def test_officer_records_transfer_through_the_page(client, world, officer_a, ward_b):
    client.force_login(officer_a)
    url = reverse("admin:personnel_personnelfile_edit", args=[world["in_sub"].pk, "position"])
    response = client.post(
        url, {"kind": "transfer", "unit": ward_b.pk, "position": "X", "start_date": "2025-01-01"}
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    ward_a = world["sub"].parent
    response = client.post(
        url,
        {
            "kind": "transfer",
            "unit": ward_a.pk,
            "position": "Chuyên viên",
            "start_date": "2025-01-01",
            "decision_number": "3/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    assert PersonnelFile.objects.get(pk=world["in_sub"].pk).unit == ward_a


def test_malformed_input_never_500(client, world, officer_a):
    client.force_login(officer_a)
    base = reverse("admin:personnel_personnelfile_changelist")
    for query in ({"q": "a" * 5000}, {"unit": "9" * 40}, {"q": "ng"}):
        assert client.get(base, query).status_code == 200
    # A NUL byte is refused before any page (portal.middleware.RejectNulMiddleware).
    for query in ({"q": "\x00"}, {"q": "079\x00"}, {"unit": "\x00"}):
        assert client.get(base, query).status_code == 400
    url = reverse("admin:personnel_personnelfile_edit", args=[world["own"].pk, "identity"])
    response = client.post(
        url, {"full_name": "A" * 400, "sex": "x", "birth_date": "31/02/2020", "category": "z"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(url, {"full_name": "A\x00"}).status_code == 400
    assert (
        client.get(reverse("admin:personnel_personnelfile_edit", args=[world["own"].pk, "nope"])).status_code
        == 404
    )
    assert (
        client.get(reverse("admin:personnel_personnelfile_statistics"), {"unit": "1\x00"}).status_code == 400
    )
    assert client.get("/admin/personnel/personnelfile/99999999999999999999/change/").status_code == 404


def test_search_folded_name_number_and_cccd(client, world, officer_a):
    client.force_login(officer_a)
    url = reverse("admin:personnel_personnelfile_changelist")
    found = client.get(url, {"q": "pham van khu"}).context["cl"].result_list
    assert [f.pk for f in found] == [world["in_sub"].pk]
    found = client.get(url, {"q": world["own"].staff_number}).context["cl"].result_list
    assert [f.pk for f in found] == [world["own"].pk]
    found = client.get(url, {"q": "do van khac"}).context["cl"].result_list
    assert list(found) == []


def test_export_xlsx_by_unit_without_sensitive_columns(client, world, officer_a):
    services.update_file(world["in_sub"], officer_a, {"full_name": '=HYPERLINK("x")'})
    client.force_login(officer_a)
    ward_a = world["sub"].parent
    response = client.get(reverse("admin:personnel_personnelfile_export"), {"unit": ward_a.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    names = [row[1] for row in values[2:]]
    assert '\'=HYPERLINK("x")' in names and "Trần Thị Riêng" in names and "Đỗ Văn Khác" not in names
    assert not any("Đảng" in str(h) for h in values[1])


def test_statistics_by_unit_age_sex_qualification(client, world, officer_a):
    services.add_qualification(world["own"], officer_a, {"kind": "professional", "level": "university"})
    client.force_login(officer_a)
    response = client.get(reverse("admin:personnel_personnelfile_statistics"))
    stats = response.context["stats"]
    assert stats["total"] == 2
    assert {r["sex"]: r["n"] for r in stats["by_sex"]} == {"female": 1, "male": 1}
    assert sum(n for _label, n in stats["by_age"]) == 2
    assert {r["education"]: r["n"] for r in stats["by_education"]} == {"university": 1, "none": 1}


def test_correction_pages(client, world, officer_a):
    client.force_login(world["official"])
    url = reverse("admin:personnel_personnelfile_correction", args=[world["own"].pk])
    response = client.post(url, {"target": "phone", "proposed_value": "0987654321", "reason": "Số mới"})
    assert response.status_code == 302
    request = world["own"].corrections.get()
    client.force_login(officer_a)
    page = client.get(reverse("admin:personnel_correctionrequest_change", args=[request.pk]))
    assert 'data-action="accept"' in page.content.decode()
    action = reverse("admin:personnel_correctionrequest_action", args=[request.pk, "refuse"])
    assert client.post(action, {"note": ""}).status_code == 200  # a reason is required
    assert client.post(action, {"note": "Chưa có giấy tờ"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "Chưa có giấy tờ"


def test_decision_pdf_checked_by_content_and_served_in_scope(client, world, officer_a, officer_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.onestop.factories import PDF_BYTES
    from tests.portal.test_uploads import HTML, pdf

    client.force_login(officer_a)
    url = reverse("admin:personnel_personnelfile_edit", args=[world["own"].pk, "decision"])
    data = {"number": "15/QĐ-UBND", "signed_on": "2025-06-20", "title": "Điều động"}
    for name, content in (("qd.pdf", pdf(javascript=True)), ("qd.pdf", HTML), ("qd.docx", PDF_BYTES)):
        response = client.post(url, {**data, "document": SimpleUploadedFile(name, content)})
        assert response.status_code == 200 and response.context["form"].errors
    assert not world["own"].decisions.exists()
    response = client.post(url, {**data, "document": SimpleUploadedFile("qd.pdf", PDF_BYTES)})
    assert response.status_code == 302
    decision = world["own"].decisions.get()
    served = client.get(
        reverse("admin:personnel_personnelfile_decision", args=[world["own"].pk, decision.pk])
    )
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    client.force_login(officer_b)
    assert (
        client.get(
            reverse("admin:personnel_personnelfile_decision", args=[world["own"].pk, decision.pk])
        ).status_code
        == 404
    )


def test_every_new_url_as_every_role_no_500_no_leak(client, world, officer_a, officer_b, home_affairs):
    file = world["own"]
    urls = [
        reverse("admin:personnel_personnelfile_changelist"),
        reverse("admin:personnel_personnelfile_add"),
        reverse("admin:personnel_personnelfile_mine"),
        reverse("admin:personnel_personnelfile_statistics"),
        reverse("admin:personnel_personnelfile_export"),
        reverse("admin:personnel_personnelfile_import"),
        reverse("admin:personnel_correctionrequest_changelist"),
        *[
            reverse(f"admin:personnel_personnelfile_{n}", args=[file.pk])
            for n in ("change", "sensitive", "pdf", "correction")
        ],
        *[
            reverse("admin:personnel_personnelfile_edit", args=[file.pk, s])
            for s in ("identity", "position", "salary", "sensitive")
        ],
    ]
    roles_ = [
        world["official"],
        world["colleague"],
        world["leader_a"],
        world["city_leader"],
        world["sysadmin"],
        officer_a,
        officer_b,
        home_affairs,
    ]
    for user in roles_:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404), (user.username, url, response.status_code)
            if response.status_code == 200 and "sensitive" not in url and "pdf" not in url:
                assert "Lê Thị Mẹ" not in response.content.decode(errors="ignore"), (user.username, url)
    # Edits by anyone but the keeper in scope change nothing.
    for user in (world["official"], world["colleague"], world["leader_a"], officer_b):
        client.force_login(user)
        url = reverse("admin:personnel_personnelfile_edit", args=[file.pk, "identity"])
        client.post(
            url,
            {
                "full_name": "Đổi Tên",
                "sex": "male",
                "birth_date": "1985-05-20",
                "category": "civil_servant",
                "status": "active",
            },
        )
    assert PersonnelFile.objects.get(pk=file.pk).full_name == "Trần Thị Riêng"
