"""The first load from a spreadsheet: a dry run changes nothing and reports every bad row; re-runs update."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from personnel import importer
from personnel.models import PersonnelFile, PositionRecord, SalaryRecord
from portal.models import User

HEADER = [label for _key, label, _req in importer.COLUMNS]


def _row(**values):
    base = {
        "staff_number": "MT0001",
        "full_name": "Nguyễn Văn Một",
        "sex": "Nam",
        "birth_date": "15/03/1980",
        "id_number": "",
        "phone": "0912345678",
        "official_email": "nvmot@mytho.gov.vn",
        "mailbox_in_use": "Có",
        "category": "Công chức",
        "unit": "WA",
        "position": "Chuyên viên",
        "start_date": date(2015, 6, 1),
        "rank": "01.003",
        "step": 3,
        "step_from": "01/06/2022",
        "recruited_on": "01/06/2005",
        "education": "Đại học",
        "political_theory": "Trung cấp",
        "contract_end": "",
        "username": "",
    }
    base.update(values)
    return [base[key] for key, _label, _req in importer.COLUMNS]


def _xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("can-bo.xlsx", buffer.getvalue())


def _counts():
    return PersonnelFile.objects.count(), PositionRecord.objects.count(), SalaryRecord.objects.count()


def test_dry_run_reports_every_bad_row_and_changes_nothing(ward_a, home_affairs):
    rows = [
        _row(),
        _row(staff_number="MT0002", rank="99.999"),  # unknown grade
        _row(staff_number="MT0003", unit="NOPE"),  # unknown unit
        _row(staff_number="MT0004", birth_date="31/02/1980"),  # not a date
        _row(staff_number="MT0005", recruited_on="01/01/1985"),  # recruited at 4: out of order
        _row(staff_number="MT0001", official_email="x@mytho.gov.vn"),  # the same staff number twice
        _row(staff_number="MT0007", step=15),  # no step 15 in A1
    ]
    report = importer.run(_xlsx(rows), home_affairs, dry_run=True)
    assert _counts() == (0, 0, 0)
    assert [number for number, _problems in report.errors] == [3, 4, 5, 6, 7, 8]
    text = " ".join(" ".join(p) for _n, p in report.errors)
    assert "99.999" in text and "NOPE" in text
    # A real run with bad rows saves nothing either.
    report = importer.run(_xlsx(rows), home_affairs, dry_run=False)
    assert not report.saved and _counts() == (0, 0, 0)


def test_real_run_then_rerun_updates_not_duplicates(ward_a, home_affairs):
    rows = [
        _row(),
        _row(staff_number="MT0002", full_name="Lê Thị Hai", sex="Nữ", official_email="", birth_date="1975"),
    ]
    report = importer.run(_xlsx(rows), home_affairs, dry_run=False)
    assert report.saved and report.created == 2
    one = PersonnelFile.objects.get(staff_number="MT0001")
    assert (one.education, one.political_theory, one.salary_step, one.mailbox_in_use) == (
        "university",
        "intermediate",
        3,
        True,
    )
    two = PersonnelFile.objects.get(staff_number="MT0002")
    assert two.birth_year_only and two.birth_date == date(1975, 1, 1)
    counts = _counts()
    again = importer.run(_xlsx(rows), home_affairs, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _counts() == counts
    changed = [_row(phone="0987654321", step=4, step_from="01/06/2025"), rows[1]]
    third = importer.run(_xlsx(changed), home_affairs, dry_run=False)
    assert (third.created, third.updated) == (0, 1)
    one.refresh_from_db()
    assert (one.phone, one.salary_step) == ("0987654321", 4)
    assert PersonnelFile.objects.count() == 2


def test_missing_columns_and_not_a_spreadsheet_are_refused(home_affairs):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        importer.run(_xlsx([_row()], header=HEADER[:3]), home_affairs)
    with pytest.raises(ValidationError):
        importer.run(SimpleUploadedFile("x.xlsx", b"%PDF-1.4 not a sheet"), home_affairs)


def test_command_with_progress_bar(tmp_path, ward_a, home_affairs, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(_xlsx([_row(), _row(staff_number="MT0009", rank="XX")]).read())
    with pytest.raises(CommandError):
        call_command("import_staff", str(path), "--commit", "--user", home_affairs.username)
    assert PersonnelFile.objects.count() == 0
    call_command("import_staff", str(path), "--user", home_affairs.username)
    out = capsys.readouterr()
    assert "row 3" in out.out and "dry run" in out.out and "import_staff" in out.err


def test_admin_import_page_for_home_affairs_only(client, ward_a, home_affairs, officer_a):
    from django.urls import reverse

    url = reverse("admin:personnel_personnelfile_import")
    client.force_login(officer_a)
    assert client.get(url).status_code == 403
    client.force_login(home_affairs)
    response = client.post(
        url, {"spreadsheet": _xlsx([_row(username=User.objects.get(pk=home_affairs.pk).username)])}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.dry_run and report.bad_rows == 1  # the importer's own file: not theirs to edit
    assert PersonnelFile.objects.count() == 0
