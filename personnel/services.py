"""Every write to the staff records: the app's public API.

Each service checks everything first (and raises ``ValidationError`` with
the reasons in the user's language, or ``PermissionDenied`` / ``WorkflowError``
when the actor may not act), then, in one transaction, locks the file row,
writes the history row, brings the file's current columns (unit, position,
rank, step, next step date, retirement date, highest qualifications) up to
date, and appends the audit trail. Nothing is half-saved.

Other apps use :func:`file_for_user` and :func:`mailbox_counts`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel import rules, selectors
from personnel import workflow as wf
from personnel.models import (
    Category,
    CorrectionRequest,
    Decision,
    Discipline,
    DisciplineForm,
    Education,
    FamilyMember,
    LegalRule,
    PersonnelFile,
    PoliticalTheory,
    PositionKind,
    PositionRecord,
    Qualification,
    QualificationKind,
    Rank,
    RetirementAge,
    Reward,
    SalaryKind,
    SalaryRecord,
    SensitiveRecord,
    Sex,
    StateManagement,
    Training,
)
from portal import audit, cases, workdays
from portal.uploads import PDF, Policy, check_upload, store
from portal.validators import normalize_mobile, validate_cccd, validate_mobile

DECISION_PDF = Policy("decision", {".pdf": PDF}, max_bytes=20 * 1024 * 1024, description=gettext_lazy("PDF"))

__all__ = [
    "DECISION_PDF",
    "create_file",
    "update_file",
    "update_sensitive",
    "record_position",
    "record_salary",
    "add_qualification",
    "add_training",
    "add_reward",
    "add_discipline",
    "attach_decision",
    "open_sensitive",
    "request_correction",
    "accept_correction",
    "refuse_correction",
    "withdraw_correction",
    "recompute",
    "recompute_all",
    "file_for_user",
    "mailbox_counts",
]

# Plain fields an official may ask to correct; an accepted request sets them through the same checks.
CORRECTABLE = {
    "full_name": gettext_lazy("Full name"),
    "other_name": gettext_lazy("Other name"),
    "birth_date": gettext_lazy("Date of birth"),
    "birth_place": gettext_lazy("Place of birth"),
    "hometown": gettext_lazy("Home town"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "religion": gettext_lazy("Religion"),
    "id_number": gettext_lazy("Citizen ID number (CCCD)"),
    "social_insurance_number": gettext_lazy("Social insurance number"),
    "permanent_address": gettext_lazy("Permanent address"),
    "current_address": gettext_lazy("Current address"),
    "phone": gettext_lazy("Mobile"),
    "personal_email": gettext_lazy("Personal e-mail"),
    "other": gettext_lazy("Something else (working, salary or training history, a decision…)"),
}

IDENTITY_FIELDS = (
    "full_name",
    "other_name",
    "sex",
    "birth_date",
    "birth_year_only",
    "birth_place",
    "hometown",
    "ethnicity",
    "religion",
    "id_number",
    "id_issued_on",
    "social_insurance_number",
    "permanent_address",
    "current_address",
    "phone",
    "personal_email",
    "official_email",
    "mailbox_in_use",
    "category",
    "status",
    "recruited_on",
    "recruiting_agency",
    "occupation_before",
    "contract_end",
    "main_duties",
    "general_education",
)
MIN_WORKING_AGE = 15  # Labour Code 2019 Art. 143: below 15 only exceptionally

EDUCATION_RANK = {value: i for i, value in enumerate(Education.values)}  # lower is higher
THEORY_RANK = {value: i for i, value in enumerate(PoliticalTheory.values)}
MANAGEMENT_RANK = {value: i for i, value in enumerate(StateManagement.values)}


# --- helpers -------------------------------------------------------------------------------


def _today() -> date:
    return workdays.today()


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _lock(file: PersonnelFile) -> PersonnelFile:
    return (
        PersonnelFile.objects.select_for_update(of=("self",))
        .select_related("unit", "rank", "rank__scale")
        .get(pk=file.pk)
    )


def _require_edit(actor, file: PersonnelFile) -> None:
    if not selectors.can_edit(actor, file):
        if selectors.is_own(actor, file):
            raise PermissionDenied(_("You cannot edit your own file: ask for a correction instead."))
        raise PermissionDenied(_("Only the personnel officer in charge of this file may change it."))


def _require_unit_in_scope(actor, unit) -> None:
    if unit is None:
        raise ValidationError({"unit": [_("Choose a unit.")]})
    if not unit.active:
        raise ValidationError({"unit": [_("%(unit)s is no longer active.") % {"unit": unit}]})
    if not (actor.is_superuser or selectors.in_manage_scope(actor, unit)):
        raise ValidationError(
            {"unit": [_("%(unit)s is outside the units whose staff records you keep.") % {"unit": unit}]}
        )


def _clean_text(value, limit: int) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _decision_data(data: dict) -> dict:
    number = _clean_text(data.get("decision_number"), 60)
    decision = data.get("decision")
    return {
        "decision_number": number or (decision.number if decision else ""),
        "decision_date": data.get("decision_date") or (decision.signed_on if decision else None),
        "decision": decision,
    }


def _check_decision(file: PersonnelFile, data: dict, errors: dict, start: date | None) -> None:
    decision = data.get("decision")
    if decision is not None and decision.file_id != file.pk:
        errors.setdefault("decision", []).append(_("This decision belongs to another file."))
    decided = data.get("decision_date")
    if decided and decided > _today():
        errors.setdefault("decision_date", []).append(_("The decision date cannot be in the future."))


def _clean_identity(data: dict, instance: PersonnelFile | None = None) -> dict:
    """Validate identity and contact fields; returns the cleaned values or raises with every problem."""
    errors: dict[str, list] = {}
    cleaned = {k: data[k] for k in IDENTITY_FIELDS if k in data}
    for key, value in list(cleaned.items()):
        if isinstance(value, str):
            limit = PersonnelFile._meta.get_field(key).max_length or 2000
            cleaned[key] = _clean_text(value, limit)
    merged = {**{k: getattr(instance, k) for k in IDENTITY_FIELDS}, **cleaned} if instance else cleaned
    if not merged.get("full_name"):
        errors.setdefault("full_name", []).append(_("This field is required."))
    if merged.get("sex") not in Sex.values:
        errors.setdefault("sex", []).append(_("Choose male or female."))
    if merged.get("category") not in Category.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    born = merged.get("birth_date")
    today = _today()
    if not isinstance(born, date):
        errors.setdefault("birth_date", []).append(_("Enter the date of birth."))
    elif born >= today or born.year < 1930:
        errors.setdefault("birth_date", []).append(_("The date of birth is not plausible."))
    recruited = merged.get("recruited_on")
    if isinstance(born, date) and recruited:
        if recruited < rules.add_months(born, 12 * MIN_WORKING_AGE):
            errors.setdefault("recruited_on", []).append(
                _("The recruitment date comes before the official's %(age)sth birthday: dates out of order.")
                % {"age": MIN_WORKING_AGE}
            )
        if recruited > today + timedelta(days=366):
            errors.setdefault("recruited_on", []).append(_("The recruitment date is too far in the future."))
    issued = merged.get("id_issued_on")
    if isinstance(born, date) and issued and issued < born:
        errors.setdefault("id_issued_on", []).append(_("The ID cannot be issued before the date of birth."))
    end = merged.get("contract_end")
    if end and recruited and end < recruited:
        errors.setdefault("contract_end", []).append(
            _("The contract cannot end before the recruitment date.")
        )
    if merged.get("id_number"):
        try:
            validate_cccd(merged["id_number"], born if isinstance(born, date) else None)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.messages)
    if merged.get("phone") and "phone" in cleaned:
        try:
            validate_mobile(cleaned["phone"])
            cleaned["phone"] = normalize_mobile(cleaned["phone"])
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    for key in ("personal_email", "official_email"):
        if cleaned.get(key):
            try:
                validate_email(cleaned[key])
                cleaned[key] = cleaned[key].lower()
            except ValidationError:
                errors.setdefault(key, []).append(_("Enter a valid e-mail address."))
    others = PersonnelFile.objects.exclude(pk=instance.pk) if instance else PersonnelFile.objects.all()
    if cleaned.get("id_number") and others.filter(id_number=cleaned["id_number"]).exists():
        errors.setdefault("id_number", []).append(_("Another file has this ID number."))
    if cleaned.get("official_email") and others.filter(official_email=cleaned["official_email"]).exists():
        errors.setdefault("official_email", []).append(
            _("Another official has this official e-mail address.")
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _interval_rules() -> list[LegalRule]:
    return list(LegalRule.objects.filter(name__startswith="step_"))


def _due(file: PersonnelFile, record: SalaryRecord, rule_rows=None) -> rules.StepDue:
    scale = record.rank.scale
    disciplines = [(d.form, d.start_date) for d in file.disciplines.all()]
    return rules.step_due(
        record.step, scale.steps, record.start_date, scale.interval_group, disciplines, rule_rows
    )


def _current_salary(file: PersonnelFile) -> SalaryRecord | None:
    return file.salaries.select_related("rank", "rank__scale").order_by("-start_date", "-id").first()


def _current_position(file: PersonnelFile) -> PositionRecord | None:
    return file.positions.order_by("-start_date", "-id").first()


def recompute(file: PersonnelFile, roadmap=None, rule_rows=None, save: bool = True) -> PersonnelFile:
    """Bring the file's current columns up to date from its history and the rules in force."""
    salary = _current_salary(file)
    if salary is not None:
        file.rank = salary.rank
        file.salary_step = salary.step
        file.coefficient = salary.coefficient
        file.step_since = salary.start_date
        try:
            file.next_step_due = _due(file, salary, rule_rows).due
        except rules.RuleMissing:
            file.next_step_due = None
    position = _current_position(file)
    if position is not None:
        file.unit_id = position.unit_id
        file.position = position.position
    roadmap = roadmap if roadmap is not None else list(RetirementAge.objects.all())
    try:
        file.retirement_date = rules.retirement(file.birth_date, file.sex, roadmap, file.birth_year_only).date
    except rules.RuleMissing:
        file.retirement_date = None
    best = {
        "education": Education.NONE,
        "political_theory": PoliticalTheory.NONE,
        "state_management": StateManagement.NONE,
    }
    for kind, level in file.qualifications.values_list("kind", "level"):
        if kind == QualificationKind.PROFESSIONAL and level in EDUCATION_RANK:
            if EDUCATION_RANK[level] < EDUCATION_RANK[best["education"]]:
                best["education"] = level
        elif kind == QualificationKind.POLITICAL_THEORY and level in THEORY_RANK:
            if THEORY_RANK[level] < THEORY_RANK[best["political_theory"]]:
                best["political_theory"] = level
        elif kind == QualificationKind.STATE_MANAGEMENT and level in MANAGEMENT_RANK:
            if MANAGEMENT_RANK[level] < MANAGEMENT_RANK[best["state_management"]]:
                best["state_management"] = level
    for key, value in best.items():
        setattr(file, key, value)
    if save:
        file.save()
    return file


def recompute_all(batch: int = 500) -> int:
    """Recompute every file (after the law's data changed: a new roadmap row, a new interval)."""
    roadmap = list(RetirementAge.objects.all())
    rule_rows = _interval_rules()
    count = 0
    ids = list(PersonnelFile.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            files = PersonnelFile.objects.select_for_update().filter(pk__in=ids[start : start + batch])
            for file in files.prefetch_related("disciplines"):
                recompute(file, roadmap, rule_rows)
                count += 1
    return count


def _sync_account(file: PersonnelFile) -> None:
    """The log-in follows the file: its unit and position are the file's current ones."""
    user = file.user
    if user is None:
        return
    changed = []
    if user.unit_id != file.unit_id:
        user.unit_id = file.unit_id
        changed.append("unit")
    if file.position and user.position != file.position[:120]:
        user.position = file.position[:120]
        changed.append("position")
    if file.full_name and user.full_name != file.full_name[:150]:
        user.full_name = file.full_name[:150]
        changed.append("full_name")
    if changed:
        user.save(update_fields=changed)


def _record(action: str, file: PersonnelFile, actor, **data) -> None:
    audit.record(f"personnelfile.{action}", obj=file, actor=actor, **data)


# --- creating and editing the file ---------------------------------------------------------


def _clean_position(actor, data: dict, errors: dict, after: date | None = None) -> None:
    unit = data.get("unit")
    try:
        _require_unit_in_scope(actor, unit)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not _clean_text(data.get("position"), 160):
        errors.setdefault("position", []).append(_("Give the position."))
    start = data.get("start_date")
    if not isinstance(start, date):
        errors.setdefault("start_date", []).append(_("Give the date it takes effect."))
    elif after is not None and start <= after:
        errors.setdefault("start_date", []).append(
            _("The new post must start after the current one (%(date)s): dates out of order.")
            % {"date": _fmt(after)}
        )


def _clean_salary_start(data: dict, errors: dict) -> tuple[Rank | None, int | None]:
    rank = data.get("rank")
    if isinstance(rank, str):
        rank = Rank.objects.select_related("scale").filter(code=rank.strip(), active=True).first()
        if rank is None:
            errors.setdefault("rank", []).append(
                _("There is no rank with code “%(code)s”.") % {"code": data.get("rank")}
            )
    elif rank is None or not rank.active:
        errors.setdefault("rank", []).append(_("Choose a rank in use."))
        rank = None
    step = data.get("step")
    if rank is not None:
        if not isinstance(step, int) or not 1 <= step <= rank.scale.steps:
            errors.setdefault("step", []).append(
                _("Scale %(scale)s has steps 1 to %(n)s.") % {"scale": rank.scale.code, "n": rank.scale.steps}
            )
            step = None
    if not isinstance(data.get("start_date"), date):
        errors.setdefault("start_date", []).append(_("Give the date the step is held from."))
    return rank, step


@transaction.atomic
def create_file(actor, data: dict, position: dict, salary: dict | None = None, user=None) -> PersonnelFile:
    """A new file with its first post and, for ranked staff, its first salary placement."""
    errors: dict[str, list] = {}
    staff_number = _clean_text(data.get("staff_number"), 32).upper()
    if not staff_number:
        errors["staff_number"] = [_("This field is required.")]
    elif PersonnelFile.objects.filter(staff_number=staff_number).exists():
        errors["staff_number"] = [_("A file with this staff number exists.")]
    try:
        identity = _clean_identity(data)
    except ValidationError as exc:
        identity = {}
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    _clean_position(actor, position, errors)
    rank = step = None
    if salary:
        rank, step = _clean_salary_start(salary, errors)
    born = data.get("birth_date")
    for part, day in (
        ("start_date", position.get("start_date")),
        ("salary_start", (salary or {}).get("start_date")),
    ):
        if isinstance(born, date) and isinstance(day, date) and day < born:
            errors.setdefault(part, []).append(
                _("This date comes before the date of birth: dates out of order.")
            )
    if user is not None and PersonnelFile.objects.filter(user=user).exists():
        errors.setdefault("user", []).append(_("This log-in already has a file."))
    if errors:
        raise ValidationError(errors)
    file = PersonnelFile(staff_number=staff_number, user=user, unit=position["unit"], **identity)
    file.save()
    PositionRecord.objects.create(
        file=file,
        kind=position.get("kind") or PositionKind.INITIAL,
        unit=position["unit"],
        position=_clean_text(position["position"], 160),
        start_date=position["start_date"],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **_decision_data(position),
    )
    if rank is not None:
        SalaryRecord.objects.create(
            file=file,
            kind=SalaryKind.INITIAL,
            rank=rank,
            step=step,
            coefficient=Decimal(rank.scale.coefficient(step)),
            start_date=salary["start_date"],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **_decision_data(salary),
        )
    SensitiveRecord.objects.create(file=file)
    recompute(file)
    _sync_account(file)
    _record("create", file, actor)
    return file


@transaction.atomic
def update_file(file: PersonnelFile, actor, data: dict) -> PersonnelFile:
    """Edit identity, contact and employment fields (not the post or salary: they have their own services)."""
    _require_edit(actor, file)
    locked = _lock(file)
    cleaned = _clean_identity(data, locked)
    changed = sorted(k for k, v in cleaned.items() if getattr(locked, k) != v)
    for key, value in cleaned.items():
        setattr(locked, key, value)
    recompute(locked)
    _sync_account(locked)
    _record("change", locked, actor, fields=changed)
    return locked


SENSITIVE_FIELDS = (
    "party_joined_on",
    "party_official_on",
    "organisation_joined",
    "enlisted_on",
    "discharged_on",
    "military_rank",
    "family_background",
    "health",
    "height_cm",
    "weight_kg",
    "blood_type",
    "war_invalid_grade",
    "policy_family",
    "personal_history",
)


@transaction.atomic
def update_sensitive(
    file: PersonnelFile, actor, data: dict, family: list[dict] | None = None
) -> SensitiveRecord:
    """Edit the sensitive section (and the family list when given); audited like every write."""
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    pairs = (("party_joined_on", "party_official_on"), ("enlisted_on", "discharged_on"))
    for first, second in pairs:
        if data.get(first) and data.get(second) and data[second] < data[first]:
            errors.setdefault(second, []).append(
                _("This date comes before %(other)s: dates out of order.")
                % {"other": SensitiveRecord._meta.get_field(first).verbose_name}
            )
    born = file.birth_date
    for key in ("party_joined_on", "enlisted_on"):
        if data.get(key) and data[key] < born:
            errors.setdefault(key, []).append(
                _("This date comes before the date of birth: dates out of order.")
            )
    for member in family or ():
        if not _clean_text(member.get("full_name"), 120) or not _clean_text(member.get("relation"), 40):
            errors.setdefault("family", []).append(
                _("Give the relation and the name of every family member.")
            )
            break
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    record, _created = SensitiveRecord.objects.select_for_update().get_or_create(file=locked)
    for key in SENSITIVE_FIELDS:
        if key in data:
            value = data[key]
            setattr(record, key, _clean_text(value, 2000) if isinstance(value, str) else value)
    record.save()
    if family is not None:
        locked.family.all().delete()
        FamilyMember.objects.bulk_create(
            FamilyMember(
                file=locked,
                side=m.get("side") or FamilyMember.Side.OWN,
                relation=_clean_text(m["relation"], 40),
                full_name=_clean_text(m["full_name"], 120),
                birth_year=m.get("birth_year"),
                details=_clean_text(m.get("details"), 500),
            )
            for m in family
        )
    _record("sensitive_change", locked, actor, fields=sorted(k for k in data if k in SENSITIVE_FIELDS))
    return record


def open_sensitive(file: PersonnelFile, user, purpose: str = "view") -> SensitiveRecord:
    """Open the sensitive section for ``user`` and write it to the audit trail (Decree 13/2023/NĐ-CP).

    Raises PermissionDenied for anyone not allowed; the audit row is written
    whoever opens it, the official included.
    """
    if not selectors.can_read_sensitive(user, file):
        raise PermissionDenied(_("The sensitive section of this file is not open to you."))
    record, _created = SensitiveRecord.objects.get_or_create(file=file)
    _record("sensitive_read", file, user, purpose=purpose)
    return record


# --- history: posts and salary ------------------------------------------------------------------


@transaction.atomic
def record_position(file: PersonnelFile, actor, data: dict) -> PositionRecord:
    """An appointment, transfer, rotation or secondment: the current post ends the day before the new one."""
    _require_edit(actor, file)
    locked = _lock(file)
    current = _current_position(locked)
    errors: dict[str, list] = {}
    kind = data.get("kind")
    if kind not in PositionKind.values or kind == PositionKind.INITIAL:
        errors.setdefault("kind", []).append(_("Choose what kind of change this is."))
    _clean_position(actor, data, errors, after=current.start_date if current else None)
    _check_decision(locked, data, errors, data.get("start_date"))
    if errors:
        raise ValidationError(errors)
    if current is not None and current.end_date is None:
        current.end_date = data["start_date"] - timedelta(days=1)
        current.save(update_fields=["end_date"])
    record = PositionRecord.objects.create(
        file=locked,
        kind=kind,
        unit=data["unit"],
        position=_clean_text(data["position"], 160),
        start_date=data["start_date"],
        note=_clean_text(data.get("note"), 255),
        recorded_by=actor,
        **_decision_data(data),
    )
    from_unit = locked.unit
    recompute(locked)
    _sync_account(locked)
    _record(
        "position",
        locked,
        actor,
        kind=kind,
        from_unit=str(from_unit),
        to_unit=str(record.unit),
        position=record.position,
        start_date=record.start_date.isoformat(),
        decision=record.decision_number,
    )
    return record


@transaction.atomic
def record_salary(file: PersonnelFile, actor, data: dict) -> SalaryRecord:
    """A regular or early step raise, or a change of rank.

    A regular raise moves one step up in the same rank no earlier than the
    step's interval (plus any discipline delay) allows; an early raise at most
    ``early_raise.max_months`` earlier, with its reason and decision; a change
    of rank places the official on a step of another rank.
    """
    _require_edit(actor, file)
    locked = _lock(file)
    current = _current_salary(locked)
    kind = data.get("kind")
    errors: dict[str, list] = {}
    if kind not in (SalaryKind.REGULAR, SalaryKind.EARLY, SalaryKind.RANK_CHANGE):
        raise ValidationError({"kind": [_("Choose a step raise or a change of rank.")]})
    start = data.get("start_date")
    if kind == SalaryKind.RANK_CHANGE:
        rank, step = _clean_salary_start(data, errors)
        if current and isinstance(start, date) and start <= current.start_date:
            errors.setdefault("start_date", []).append(
                _("The new rank must take effect after the current step (%(date)s): dates out of order.")
                % {"date": _fmt(current.start_date)}
            )
    else:
        if current is None:
            raise ValidationError({"kind": [_("The file has no salary placement yet to raise.")]})
        rank = current.rank
        step = data.get("step") or current.step + 1
        if not isinstance(start, date):
            errors.setdefault("start_date", []).append(_("Give the date the step is held from."))
        else:
            early = kind == SalaryKind.EARLY
            early_max = rules.rule_value(rules.EARLY_RAISE_MAX, start) if early else 0
            why = rules.check_raise(
                current.step,
                rank.scale.steps,
                step,
                start,
                _due(locked, current),
                current.start_date,
                early,
                early_max,
            )
            if why:
                errors.setdefault("start_date", []).append(why)
            if early and not _clean_text(data.get("note"), 255):
                errors.setdefault("note", []).append(_("Give the achievement or reason for the early raise."))
            if early and not _clean_text(data.get("decision_number"), 60) and not data.get("decision"):
                errors.setdefault("decision_number", []).append(_("An early raise needs its decision."))
    _check_decision(locked, data, errors, start)
    if errors:
        raise ValidationError(errors)
    record = SalaryRecord.objects.create(
        file=locked,
        kind=kind,
        rank=rank,
        step=step,
        coefficient=Decimal(rank.scale.coefficient(step)),
        start_date=start,
        note=_clean_text(data.get("note"), 255),
        recorded_by=actor,
        **_decision_data(data),
    )
    recompute(locked)
    _record(
        "salary",
        locked,
        actor,
        kind=kind,
        rank=rank.code,
        step=step,
        coefficient=str(record.coefficient),
        start_date=start.isoformat(),
        decision=record.decision_number,
    )
    return record


# --- qualifications, training, rewards, discipline, decisions ---------------------------------


def _check_period(data: dict, errors: dict, start_key: str = "start_date", end_key: str = "end_date") -> None:
    start, end = data.get(start_key), data.get(end_key)
    if start and end and end < start:
        errors.setdefault(end_key, []).append(_("The end comes before the start: dates out of order."))
    today = _today()
    for key in (start_key, end_key):
        if data.get(key) and data[key] > today + timedelta(days=366 * 6):
            errors.setdefault(key, []).append(_("This date is too far in the future."))


LEVEL_CHOICES = {
    QualificationKind.PROFESSIONAL: Education,
    QualificationKind.POLITICAL_THEORY: PoliticalTheory,
    QualificationKind.STATE_MANAGEMENT: StateManagement,
}


@transaction.atomic
def add_qualification(file: PersonnelFile, actor, data: dict) -> Qualification:
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    kind = data.get("kind")
    level = _clean_text(data.get("level"), 60)
    if kind not in QualificationKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind."))
    elif kind in LEVEL_CHOICES and level not in LEVEL_CHOICES[kind].values:
        choices = ", ".join(str(c.label) for c in LEVEL_CHOICES[kind] if c.value != "none")
        errors.setdefault("level", []).append(_("Choose one of: %(choices)s.") % {"choices": choices})
    elif not level:
        errors.setdefault("level", []).append(_("Give the level."))
    _check_period(data, errors)
    if data.get("start_date") and data["start_date"] < file.birth_date:
        errors.setdefault("start_date", []).append(
            _("This date comes before the date of birth: dates out of order.")
        )
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    item = Qualification.objects.create(
        file=locked,
        kind=kind,
        level=level,
        field=_clean_text(data.get("field"), 160),
        institution=_clean_text(data.get("institution"), 200),
        start_date=data.get("start_date"),
        end_date=data.get("end_date"),
        mode=_clean_text(data.get("mode"), 60),
        certificate=_clean_text(data.get("certificate"), 160),
    )
    recompute(locked)
    _record("qualification", locked, actor, kind=kind, level=level)
    return item


@transaction.atomic
def add_training(file: PersonnelFile, actor, data: dict) -> Training:
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    if not _clean_text(data.get("name"), 200):
        errors.setdefault("name", []).append(_("Give the course."))
    for key in ("start_date", "end_date"):
        if not isinstance(data.get(key), date):
            errors.setdefault(key, []).append(_("This field is required."))
    _check_period(data, errors)
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    item = Training.objects.create(
        file=locked,
        name=_clean_text(data["name"], 200),
        institution=_clean_text(data.get("institution"), 200),
        start_date=data["start_date"],
        end_date=data["end_date"],
        certificate=_clean_text(data.get("certificate"), 160),
    )
    _record("training", locked, actor, name=item.name)
    return item


@transaction.atomic
def add_reward(file: PersonnelFile, actor, data: dict) -> Reward:
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    if not _clean_text(data.get("form"), 160):
        errors.setdefault("form", []).append(_("Give the form of the reward."))
    day = data.get("awarded_on")
    if not isinstance(day, date):
        errors.setdefault("awarded_on", []).append(_("This field is required."))
    elif day > _today() or day < file.birth_date:
        errors.setdefault("awarded_on", []).append(_("This date is not plausible: dates out of order."))
    _check_decision(file, data, errors, day)
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    item = Reward.objects.create(
        file=locked,
        awarded_on=day,
        form=_clean_text(data["form"], 160),
        reason=_clean_text(data.get("reason"), 255),
        decided_by=_clean_text(data.get("decided_by"), 160),
        recorded_by=actor,
        **_decision_data(data),
    )
    _record("reward", locked, actor, form=item.form)
    return item


@transaction.atomic
def add_discipline(file: PersonnelFile, actor, data: dict) -> Discipline:
    """A discipline; one in force while a step is held delays the next regular raise (Circular 08/2013 Art. 2(3))."""
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    if data.get("form") not in DisciplineForm.values:
        errors.setdefault("form", []).append(_("Choose the form of discipline."))
    if not _clean_text(data.get("violation"), 255):
        errors.setdefault("violation", []).append(_("Describe the violation."))
    if not isinstance(data.get("start_date"), date):
        errors.setdefault("start_date", []).append(_("This field is required."))
    _check_period(data, errors)
    _check_decision(file, data, errors, data.get("start_date"))
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    item = Discipline.objects.create(
        file=locked,
        form=data["form"],
        start_date=data["start_date"],
        end_date=data.get("end_date"),
        violation=_clean_text(data["violation"], 255),
        decided_by=_clean_text(data.get("decided_by"), 160),
        recorded_by=actor,
        **_decision_data(data),
    )
    recompute(locked)
    _record("discipline", locked, actor, form=item.form, start_date=item.start_date.isoformat())
    return item


@transaction.atomic
def attach_decision(file: PersonnelFile, actor, uploaded, data: dict) -> Decision:
    """Attach a signed decision: a PDF, checked by its content (no scripts, no embedded files)."""
    _require_edit(actor, file)
    errors: dict[str, list] = {}
    checked = None
    try:
        checked = check_upload(uploaded, DECISION_PDF)
    except ValidationError as exc:
        errors["document"] = exc.messages
    if not _clean_text(data.get("number"), 60):
        errors.setdefault("number", []).append(_("Give the number and symbol, e.g. 12/QĐ-UBND."))
    signed = data.get("signed_on")
    if not isinstance(signed, date):
        errors.setdefault("signed_on", []).append(_("This field is required."))
    elif signed > _today():
        errors.setdefault("signed_on", []).append(_("The decision date cannot be in the future."))
    if not _clean_text(data.get("title"), 255):
        errors.setdefault("title", []).append(_("Summarise the decision."))
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    record = Decision(
        file=locked,
        number=_clean_text(data["number"], 60),
        signed_on=signed,
        title=_clean_text(data["title"], 255),
        uploaded_by=actor,
    )
    store(record, uploaded, DECISION_PDF, field="document", checked=checked)
    record.save()
    _record("decision", locked, actor, number=record.number, sha256=record.sha256)
    return record


# --- corrections ---------------------------------------------------------------------------------


def _parse_value(field: str, value: str):
    """The proposed text as the field's type (dates as dd/mm/yyyy)."""
    if field == "birth_date":
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
        raise ValidationError({"proposed_value": [_("Write the date as dd/mm/yyyy.")]})
    return value


def _display(file: PersonnelFile, field: str) -> str:
    if field == "other" or not hasattr(file, field):
        return ""
    value = getattr(file, field)
    return _fmt(value) if isinstance(value, date) else str(value or "")


@transaction.atomic
def request_correction(
    file: PersonnelFile, actor, target: str, proposed: str, reason: str
) -> CorrectionRequest:
    """The official asks for a correction of their own file (one open request per item at a time)."""
    if not selectors.is_own(actor, file):
        raise PermissionDenied(_("Officials ask for corrections of their own file only."))
    errors: dict[str, list] = {}
    proposed = _clean_text(proposed, 500)
    reason = _clean_text(reason, 2000)
    if target not in CORRECTABLE:
        errors["target"] = [_("Choose what is wrong.")]
    if not proposed:
        errors["proposed_value"] = [_("Say what the correct value is.")]
    if not reason:
        errors["reason"] = [_("Explain the correction (and the document that shows it).")]
    if not errors and target != "other":
        try:
            _clean_identity({target: _parse_value(target, proposed)}, file)
        except ValidationError as exc:
            errors["proposed_value"] = [m for ms in exc.message_dict.values() for m in ms]
    if (
        not errors
        and target != "other"
        and file.corrections.filter(target=target, status="submitted").exists()
    ):
        errors["target"] = [_("A request about this item is already awaiting a decision.")]
    if errors:
        raise ValidationError(errors)
    locked = _lock(file)
    request = CorrectionRequest.objects.create(
        file=locked,
        target=target,
        current_value=_display(locked, target)[:500],
        proposed_value=proposed,
        reason=reason,
        requested_by=actor,
    )
    cases.record_event(request, wf.CorrectionAction.SUBMIT, actor, "", reason, target=target)
    return request


@transaction.atomic
def accept_correction(request: CorrectionRequest, actor, note: str = "") -> CorrectionRequest:
    """Accept: a plain field takes the proposed value (checked like any edit); otherwise the officer has
    corrected the history and says what in the note."""
    moved = cases.transition(wf.WORKFLOW, request, wf.CorrectionAction.ACCEPT, actor, "file")
    locked = moved.case
    note = _clean_text(note, 2000)
    if locked.target == "other" and not note:
        raise ValidationError({"note": [_("Say what was corrected in the file.")]})
    applied = {}
    if locked.target != "other":
        value = _parse_value(locked.target, locked.proposed_value)
        file = _lock(locked.file)
        cleaned = _clean_identity({locked.target: value}, file)
        for key, new in cleaned.items():
            applied[key] = {"from": _display(file, key), "to": locked.proposed_value}
            setattr(file, key, new)
        recompute(file)
        _sync_account(file)
        _record("correction_applied", file, actor, correction=locked.pk, fields=sorted(cleaned))
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_note = note
    locked.save()
    cases.record_event(locked, wf.CorrectionAction.ACCEPT, actor, moved.from_status, note, applied=applied)
    return locked


@transaction.atomic
def refuse_correction(request: CorrectionRequest, actor, reason: str) -> CorrectionRequest:
    reason = _clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"note": [_("Give the reason for the refusal.")]})
    moved = cases.transition(wf.WORKFLOW, request, wf.CorrectionAction.REFUSE, actor, "file")
    locked = moved.case
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_note = reason
    locked.save()
    cases.record_event(locked, wf.CorrectionAction.REFUSE, actor, moved.from_status, reason)
    return locked


@transaction.atomic
def withdraw_correction(request: CorrectionRequest, actor, note: str = "") -> CorrectionRequest:
    moved = cases.transition(wf.WORKFLOW, request, wf.CorrectionAction.WITHDRAW, actor, "file")
    locked = moved.case
    locked.decided_at = timezone.now()
    locked.save()
    cases.record_event(
        locked, wf.CorrectionAction.WITHDRAW, actor, moved.from_status, _clean_text(note, 2000)
    )
    return locked


# --- for other apps --------------------------------------------------------------------------------


def file_for_user(user) -> PersonnelFile | None:
    """The personnel file of a log-in (other apps: the signer's position, rank)."""
    if not getattr(user, "pk", None):
        return None
    return PersonnelFile.objects.select_related("unit", "rank").filter(user_id=user.pk).first()


def mailbox_counts() -> dict:
    """Official mailboxes: working staff, addresses issued, in regular use (the website's report)."""
    return selectors.mailbox_counts()
