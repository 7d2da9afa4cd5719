"""The first load: staff records from the staff-management software's spreadsheet (XLSX).

``run(uploaded, actor, dry_run=True)`` reads every row, runs each through
the same services an officer uses (so the same checks: dates in order,
known ranks and units, units within the importer's scope), each row in its
own savepoint, and reports every bad row with its reasons. Then:

- a dry run rolls everything back: nothing changes, whatever the rows;
- a real run keeps the rows only when no row is bad (otherwise it rolls
  back too and reports them: nothing half-saved).

Rows are matched on the staff number: a second run updates the files it
created (identity, post, rank and step when the spreadsheet says
otherwise, recorded as "first load" history rows) and creates none twice.
The command ``import_staff`` runs it with a progress bar; the back office
offers it to the Home Affairs office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from personnel import services
from personnel.models import (
    Education,
    PersonnelFile,
    PoliticalTheory,
    PositionKind,
    Qualification,
    QualificationKind,
    Rank,
    SalaryKind,
)
from portal.models import Unit, User
from portal.text import fold
from portal.uploads import XLSX, Policy, check_upload

SPREADSHEET = Policy(
    "spreadsheet", {".xlsx": XLSX}, max_bytes=20 * 1024 * 1024, description=gettext_lazy("XLSX")
)
MAX_ROWS = 20_000

# (key, header in the spreadsheet, required)
COLUMNS = [
    ("staff_number", "Số hiệu", True),
    ("full_name", "Họ và tên", True),
    ("sex", "Giới tính", True),
    ("birth_date", "Ngày sinh", True),
    ("id_number", "Số CCCD", False),
    ("phone", "Điện thoại", False),
    ("official_email", "Thư điện tử công vụ", False),
    ("mailbox_in_use", "Hộp thư sử dụng thường xuyên", False),
    ("category", "Loại", True),
    ("unit", "Mã đơn vị", True),
    ("position", "Chức vụ", True),
    ("start_date", "Giữ chức vụ từ", True),
    ("rank", "Mã ngạch", False),
    ("step", "Bậc", False),
    ("step_from", "Hưởng bậc từ", False),
    ("recruited_on", "Ngày tuyển dụng", False),
    ("education", "Trình độ chuyên môn", False),
    ("political_theory", "Lý luận chính trị", False),
    ("contract_end", "Hết hạn hợp đồng", False),
    ("username", "Tên đăng nhập", False),
]

SEX = {"nam": "male", "male": "male", "nu": "female", "female": "female"}
CATEGORY = {
    "cong chuc": "civil_servant",
    "vien chuc": "public_employee",
    "can bo": "cadre",
    "hop dong": "contract",
    "hop dong lao dong": "contract",
}
EDUCATION = {fold(str(label)): value for value, label in Education.choices} | {
    "tien si": "doctorate",
    "thac si": "master",
    "dai hoc": "university",
    "cao dang": "college",
    "trung cap": "intermediate",
    "so cap": "elementary",
}
THEORY = {fold(str(label)): value for value, label in PoliticalTheory.choices} | {
    "cao cap": "advanced",
    "trung cap": "intermediate",
    "so cap": "elementary",
}
YES = {"co", "x", "yes", "1", "true"}


@dataclass
class Report:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    saved: bool = False

    @property
    def bad_rows(self) -> int:
        return len(self.errors)


def _header_map(header) -> dict[str, int]:
    wanted = {fold(label): key for key, label, _req in COLUMNS} | {key: key for key, _l, _r in COLUMNS}
    found = {}
    for index, cell in enumerate(header):
        key = wanted.get(fold(str(cell or "")))
        if key and key not in found:
            found[key] = index
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def _date(value, label: str, problems: list[str], allow_year: bool = False):
    if value in (None, ""):
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    text = _text(value)
    if allow_year and text.isdigit() and len(text) == 4:
        return date(int(text), 1, 1), True
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date(), False
        except ValueError:
            continue
    problems.append(
        _("%(column)s: “%(value)s” is not a date (dd/mm/yyyy).") % {"column": label, "value": text[:40]}
    )
    return None, False


def _label(key: str) -> str:
    return next(label for k, label, _r in COLUMNS if k == key)


def parse_row(values: dict, units: dict[str, Unit], ranks: dict[str, Rank]) -> tuple[dict, list[str]]:
    """One spreadsheet row as the services' input, or the row's problems."""
    problems: list[str] = []
    for key, label, required in COLUMNS:
        if required and _text(values.get(key)) == "":
            problems.append(_("%(column)s is empty.") % {"column": label})
    row = {
        "staff_number": _text(values.get("staff_number")).upper()[:32],
        "full_name": _text(values.get("full_name")),
    }
    sex = SEX.get(fold(_text(values.get("sex"))))
    if values.get("sex") not in (None, "") and sex is None:
        problems.append(_("%(column)s: write Nam or Nữ.") % {"column": _label("sex")})
    row["sex"] = sex
    row["birth_date"], row["birth_year_only"] = _date(
        values.get("birth_date"), _label("birth_date"), problems, True
    )
    category = CATEGORY.get(fold(_text(values.get("category"))))
    if values.get("category") not in (None, "") and category is None:
        problems.append(
            _("%(column)s: “%(value)s” is not a category.")
            % {"column": _label("category"), "value": _text(values.get("category"))[:40]}
        )
    row["category"] = category
    for key in ("id_number", "phone", "official_email"):
        row[key] = _text(values.get(key))
    row["mailbox_in_use"] = fold(_text(values.get("mailbox_in_use"))) in YES
    row["recruited_on"], _y = _date(values.get("recruited_on"), _label("recruited_on"), problems)
    row["contract_end"], _y = _date(values.get("contract_end"), _label("contract_end"), problems)
    code = _text(values.get("unit"))
    unit = units.get(code)
    if code and unit is None:
        problems.append(
            _("%(column)s: no unit has the code “%(code)s”.") % {"column": _label("unit"), "code": code[:40]}
        )
    start, _y = _date(values.get("start_date"), _label("start_date"), problems)
    position = {"unit": unit, "position": _text(values.get("position"))[:160], "start_date": start}
    salary = None
    rank_code = _text(values.get("rank"))
    if rank_code:
        rank = ranks.get(rank_code)
        if rank is None:
            problems.append(
                _("%(column)s: there is no rank with code “%(code)s”.")
                % {"column": _label("rank"), "code": rank_code[:40]}
            )
        step_text = _text(values.get("step"))
        step = int(step_text) if step_text.isdigit() else None
        if step is None:
            problems.append(_("%(column)s: write the step as a whole number.") % {"column": _label("step")})
        step_from, _y = _date(values.get("step_from"), _label("step_from"), problems)
        if step_from is None:
            problems.append(_("%(column)s is empty.") % {"column": _label("step_from")})
        salary = {"rank": rank, "step": step, "start_date": step_from}
    education = _text(values.get("education"))
    row["_education"] = EDUCATION.get(fold(education)) if education else None
    if education and row["_education"] is None:
        problems.append(
            _("%(column)s: “%(value)s” is not a level.")
            % {"column": _label("education"), "value": education[:40]}
        )
    theory = _text(values.get("political_theory"))
    row["_theory"] = THEORY.get(fold(theory)) if theory else None
    if theory and row["_theory"] is None:
        problems.append(
            _("%(column)s: “%(value)s” is not a level.")
            % {"column": _label("political_theory"), "value": theory[:40]}
        )
    row["_username"] = _text(values.get("username"))[:150]
    return {"file": row, "position": position, "salary": salary}, problems


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{key}: {m}" if key != "__all__" else m for key, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def _apply(parsed: dict, actor) -> str:
    """Create or update one file from a parsed row; 'created', 'updated' or 'unchanged'."""
    data, position, salary = parsed["file"], parsed["position"], parsed["salary"]
    identity = {k: v for k, v in data.items() if not k.startswith("_") and k != "staff_number"}
    account = None
    if data["_username"]:
        account = User.objects.filter(username=data["_username"], is_staff=True).first()
        if account is None:
            raise ValidationError(
                {"username": [_("No staff log-in is named “%(name)s”.") % {"name": data["_username"]}]}
            )
    existing = PersonnelFile.objects.filter(staff_number=data["staff_number"]).first()
    if existing is None:
        file = services.create_file(actor, data | {"status": "active"}, position, salary, user=account)
        outcome = "created"
    else:
        file = existing
        before = (
            file.unit_id,
            file.position,
            file.rank_id,
            file.salary_step,
            file.step_since,
            file.updated_at,
        )
        changed = {k: v for k, v in identity.items() if getattr(file, k) != v}
        if changed:
            file = services.update_file(file, actor, changed)
        if account is not None and file.user_id != account.pk:
            raise ValidationError({"username": [_("This file is linked to another log-in.")]})
        _update_post(file, actor, position)
        if salary:
            _update_salary(file, actor, salary)
        file.refresh_from_db()
        after = (
            file.unit_id,
            file.position,
            file.rank_id,
            file.salary_step,
            file.step_since,
            file.updated_at,
        )
        outcome = "updated" if (changed or before != after) else "unchanged"
    _qualification(file, actor, QualificationKind.PROFESSIONAL, data["_education"])
    _qualification(file, actor, QualificationKind.POLITICAL_THEORY, data["_theory"])
    return outcome


def _update_post(file: PersonnelFile, actor, position: dict) -> None:
    current = file.positions.order_by("-start_date", "-id").first()
    if current and (current.unit_id, current.position, current.start_date) == (
        position["unit"].pk,
        position["position"],
        position["start_date"],
    ):
        return
    services.record_position(
        file, actor, {**position, "kind": PositionKind.TRANSFER, "note": _("From the spreadsheet")}
    )


def _update_salary(file: PersonnelFile, actor, salary: dict) -> None:
    current = file.salaries.order_by("-start_date", "-id").first()
    if current and (current.rank_id, current.step, current.start_date) == (
        salary["rank"].pk,
        salary["step"],
        salary["start_date"],
    ):
        return
    if current and salary["start_date"] <= current.start_date:
        raise ValidationError(
            {"step_from": [_("The spreadsheet's step starts before the recorded one: dates out of order.")]}
        )
    services.record_salary(
        file, actor, {**salary, "kind": SalaryKind.RANK_CHANGE, "note": _("From the spreadsheet")}
    )


def _qualification(file: PersonnelFile, actor, kind: str, level: str | None) -> None:
    if level and not Qualification.objects.filter(file=file, kind=kind, level=level).exists():
        services.add_qualification(file, actor, {"kind": kind, "level": level})


def read_rows(uploaded) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the data rows (sheet row number, values by column key) of the first sheet."""
    check_upload(uploaded, SPREADSHEET)
    uploaded.seek(0)
    try:
        book = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same answer
        raise ValidationError(_("The spreadsheet cannot be read: %(error)s") % {"error": str(exc)[:200]})
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = _header_map(header)
    missing = [label for key, label, required in COLUMNS if required and key not in columns]
    if missing:
        raise ValidationError(
            _("Columns missing from the first row: %(names)s.") % {"names": ", ".join(missing)}
        )
    data = []
    for number, values in enumerate(rows, start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        if len(data) >= MAX_ROWS:
            raise ValidationError(_("At most %(n)s rows at a time.") % {"n": MAX_ROWS})
        data.append((number, {key: values[i] if i < len(values) else None for key, i in columns.items()}))
    book.close()
    return [str(h or "") for h in header], data


def run(uploaded, actor, dry_run: bool = True, progress=None) -> Report:
    """Import (or, with ``dry_run``, only check) every row; see the module's docstring."""
    _header, rows = read_rows(uploaded)
    report = Report(dry_run=dry_run, rows=len(rows))
    units = {u.code: u for u in Unit.objects.filter(active=True)}
    ranks = {r.code: r for r in Rank.objects.filter(active=True).select_related("scale")}
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, values in rows:
            parsed, problems = parse_row(values, units, ranks)
            staff_number = parsed["file"]["staff_number"]
            if staff_number and staff_number in seen:
                problems.append(_("The staff number is also on row %(row)s.") % {"row": seen[staff_number]})
            seen.setdefault(staff_number, number)
            if not problems:
                try:
                    with transaction.atomic():
                        outcome = _apply(parsed, actor)
                        setattr(report, outcome, getattr(report, outcome) + 1)
                except ValidationError as exc:
                    problems = _messages(exc)
                except PermissionDenied as exc:
                    problems = [str(exc)]
            if problems:
                report.errors.append((number, problems))
            if progress:
                progress(1)
        if dry_run or report.errors:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report
