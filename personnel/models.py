"""Staff records: each official's personnel file, its history, and the law it is kept under.

Invariants only; every write goes through ``personnel.services`` (which
validates first, locks the file row, appends history rows and the audit
trail). Columns the lists and the reminders filter on (current unit, rank,
step, next step date, retirement date, highest qualifications) are kept on
the file itself by those services, so a list of 100,000 files and the
reminder sweep are indexed range scans, never a walk through the history.

What a decree fixes and a later one may change is data with an effective
date, edited by an administrator:

- :class:`LegalRule`: numbers such as the regular step interval (Decree
  204/2004/NĐ-CP Art. 7; Circular 08/2013/TT-BNV Art. 2(1)(a)), the delays a
  discipline adds (Circular 08/2013/TT-BNV Art. 2(3) as amended by Circular
  03/2021/TT-BNV), the most an early raise may advance (Circular 08/2013
  Art. 3), reminder lead times (Decree 170/2025/NĐ-CP Art. 62-63);
- :class:`RetirementAge`: the retirement-age roadmap (Labour Code 2019
  Art. 169(2); Decree 135/2020/NĐ-CP Art. 4 and Appendix I);
- :class:`SalaryScale` and :class:`Rank`: the coefficient tables of Decree
  204/2004/NĐ-CP (Table 2) and the civil-service ranks placed on them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.cases import CaseEvent
from portal.models import Unit
from portal.outbox import OutboxMessage
from portal.text import fold
from portal.uploads import StoredFile

# --- the law as data ---------------------------------------------------------------------


class LegalRule(models.Model):
    """A number a legal text fixes, valid from a date until the next row of the same name."""

    name = models.CharField(_("rule"), max_length=64, db_index=True)
    effective_from = models.DateField(_("in force from"))
    value = models.IntegerField(_("value"))
    unit_label = models.CharField(_("unit of the value"), max_length=20, default="months")
    basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules (data with effective dates)")
        ordering = ["name", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_from"], name="legalrule_name_from"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} {self.unit_label} ({self.effective_from:%d/%m/%Y})"


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class RetirementAge(models.Model):
    """The normal retirement age of one sex for those who reach it on or after ``effective_from``."""

    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    effective_from = models.DateField(_("for those reaching it from"))
    years = models.PositiveSmallIntegerField(_("years"))
    months = models.PositiveSmallIntegerField(_("months"), default=0)
    basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("retirement age")
        verbose_name_plural = _("retirement-age roadmap")
        ordering = ["sex", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["sex", "effective_from"], name="retirementage_sex_from"),
            models.CheckConstraint(condition=Q(months__lt=12), name="retirementage_months_lt_12"),
        ]

    def __str__(self) -> str:
        return f"{self.get_sex_display()} {self.years}+{self.months} ({self.effective_from:%Y})"

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


class IntervalGroup(models.TextChoices):
    """What a rank requires, which decides how long a salary step is held (Circular 08/2013 Art. 2(1)(a))."""

    SENIOR_EXPERT = "senior_expert", _("Senior expert")
    COLLEGE_OR_HIGHER = "college_or_higher", _("College degree or higher")
    INTERMEDIATE_OR_LOWER = "intermediate_or_lower", _("Intermediate training or lower, support staff")


class SalaryScale(models.Model):
    """A salary scale (loại, nhóm) of Decree 204/2004/NĐ-CP: its coefficients, step by step."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    interval_group = models.CharField(_("step interval group"), max_length=24, choices=IntervalGroup.choices)
    coefficients = models.JSONField(_("coefficients by step"), help_text=_('e.g. ["2.34", "2.67", …]'))
    basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("salary scale")
        verbose_name_plural = _("salary scales")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def steps(self) -> int:
        return len(self.coefficients or [])

    def coefficient(self, step: int) -> str | None:
        if 1 <= step <= self.steps:
            return str(self.coefficients[step - 1])
        return None


class Rank(models.Model):
    """A civil-service rank or professional title (ngạch, chức danh nghề nghiệp) and its scale."""

    code = models.CharField(_("rank code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=160)
    scale = models.ForeignKey(SalaryScale, verbose_name=_("salary scale"), on_delete=models.PROTECT)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# --- the file -------------------------------------------------------------------------------


class Category(models.TextChoices):
    CADRE = "cadre", _("Cadre (elected)")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
    CONTRACT = "contract", _("Labour contract")


class FileStatus(models.TextChoices):
    ACTIVE = "active", _("Working")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left the service")


class Education(models.TextChoices):
    """Highest professional qualification, highest first."""

    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    UNIVERSITY = "university", _("University degree")
    COLLEGE = "college", _("College")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ELEMENTARY = "elementary", _("Elementary")
    NONE = "none", _("None")


class PoliticalTheory(models.TextChoices):
    ADVANCED = "advanced", _("Advanced")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ELEMENTARY = "elementary", _("Elementary")
    NONE = "none", _("None")


class StateManagement(models.TextChoices):
    SENIOR_EXPERT = "senior_expert", _("Senior expert")
    PRINCIPAL_EXPERT = "principal_expert", _("Principal expert")
    EXPERT = "expert", _("Expert")
    OFFICER = "officer", _("Officer")
    NONE = "none", _("None")


def sort_key(full_name: str) -> str:
    """Vietnamese lists sort by given name (the last word), then the whole name, accents folded."""
    folded = fold(full_name)
    given = folded.rsplit(" ", 1)[-1] if folded else ""
    return f"{given} {folded}"[:200]


class PersonnelFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule of staff records (see :func:`personnel.selectors.file_scope_q`)."""
        from personnel.selectors import file_scope_q

        return self.filter(file_scope_q(user))


class PersonnelFile(models.Model):
    """Hồ sơ cán bộ, công chức, viên chức: identity, contact, current post, rank and step.

    The history (posts, salary, qualifications, training, rewards, discipline,
    decisions) hangs off it; the sensitive section (family, party membership,
    health) is :class:`SensitiveRecord` and :class:`FamilyMember`, read only
    by those allowed and audited on every opening.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("log-in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="personnel_file",
    )
    staff_number = models.CharField(_("staff number"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    other_name = models.CharField(_("other name"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    birth_year_only = models.BooleanField(
        _("only the year of birth is known"),
        default=False,
        help_text=_("1 January of that year is then used (Decree 135/2020/NĐ-CP Art. 3(3))."),
    )
    birth_place = models.CharField(_("place of birth"), max_length=255, blank=True)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    id_number = models.CharField(_("citizen ID number (CCCD)"), max_length=12, blank=True)
    id_issued_on = models.DateField(_("ID issued on"), null=True, blank=True)
    social_insurance_number = models.CharField(_("social insurance number"), max_length=20, blank=True)
    permanent_address = models.CharField(_("permanent address"), max_length=255, blank=True)
    current_address = models.CharField(_("current address"), max_length=255, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    personal_email = models.EmailField(_("personal e-mail"), blank=True)
    official_email = models.EmailField(_("official e-mail"), blank=True)
    mailbox_in_use = models.BooleanField(_("official mailbox in regular use"), default=False)

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=FileStatus.choices, default=FileStatus.ACTIVE
    )
    recruited_on = models.DateField(_("first recruited on"), null=True, blank=True)
    recruiting_agency = models.CharField(_("recruiting agency"), max_length=255, blank=True)
    occupation_before = models.CharField(_("occupation before recruitment"), max_length=160, blank=True)
    contract_end = models.DateField(_("contract ends on"), null=True, blank=True)
    main_duties = models.CharField(_("main duties"), max_length=255, blank=True)
    general_education = models.CharField(_("general education"), max_length=20, blank=True, default="12/12")

    # Current post and salary, kept by the services from the latest history rows.
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=160, blank=True)
    rank = models.ForeignKey(
        Rank, verbose_name=_("rank"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    salary_step = models.PositiveSmallIntegerField(_("salary step"), null=True, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2, null=True, blank=True)
    step_since = models.DateField(_("step held since"), null=True, blank=True)
    next_step_due = models.DateField(_("next regular step due"), null=True, blank=True)
    retirement_date = models.DateField(_("retirement date"), null=True, blank=True)
    education = models.CharField(
        _("highest qualification"), max_length=16, choices=Education.choices, default=Education.NONE
    )
    political_theory = models.CharField(
        _("political theory"), max_length=16, choices=PoliticalTheory.choices, default=PoliticalTheory.NONE
    )
    state_management = models.CharField(
        _("state management"), max_length=20, choices=StateManagement.choices, default=StateManagement.NONE
    )

    sort_name = models.CharField(max_length=200, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonnelFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("personnel file")
        verbose_name_plural = _("personnel files")
        ordering = ["sort_name", "id"]
        permissions = [("import_personnelfile", _("Can import staff records from a spreadsheet"))]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="personnelfile_id_number_unique"
            ),
            models.UniqueConstraint(
                fields=["official_email"],
                condition=~Q(official_email=""),
                name="personnelfile_official_email",
            ),
        ]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="pfile_sort"),
            models.Index(
                fields=["staff_number"], name="pfile_staff_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["unit", "sort_name", "id"], name="pfile_unit_sort"),
            models.Index(fields=["next_step_due"], name="pfile_step_due", condition=Q(status="active")),
            models.Index(fields=["retirement_date"], name="pfile_retirement", condition=Q(status="active")),
            models.Index(fields=["contract_end"], name="pfile_contract_end", condition=Q(status="active")),
            models.Index(fields=["rank"], name="pfile_rank"),
            GinIndex(SearchVector("search_text", config="simple"), name="pfile_search"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.staff_number})"

    def build_search_text(self) -> str:
        parts = [self.full_name, self.other_name, self.staff_number, self.official_email.split("@")[0]]
        return fold(" ".join(p for p in parts if p))

    def refresh_search(self) -> None:
        self.sort_name = sort_key(self.full_name)
        self.search_text = self.build_search_text()

    def save(self, *args, **kwargs):
        self.refresh_search()
        super().save(*args, **kwargs)

    @property
    def effective_birth_date(self) -> date:
        """The birth date the rules use (1 January when only the year is known)."""
        return date(self.birth_date.year, 1, 1) if self.birth_year_only else self.birth_date

    def age_on(self, day: date) -> int:
        born = self.effective_birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- the sensitive section --------------------------------------------------------------------


class SensitiveRecord(models.Model):
    """Party membership, health and personal history: sensitive personal data (Decree 13/2023/NĐ-CP Art. 2(4)).

    Read only by the official, the personnel officer in scope and the Home
    Affairs office; every opening is written to the audit trail.
    """

    file = models.OneToOneField(PersonnelFile, on_delete=models.CASCADE, related_name="sensitive")
    party_joined_on = models.DateField(_("joined the Communist Party of Viet Nam on"), null=True, blank=True)
    party_official_on = models.DateField(_("full party member since"), null=True, blank=True)
    organisation_joined = models.CharField(
        _("socio-political organisations joined"), max_length=255, blank=True
    )
    enlisted_on = models.DateField(_("enlisted on"), null=True, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    military_rank = models.CharField(_("highest military rank"), max_length=60, blank=True)
    family_background = models.CharField(_("family background"), max_length=120, blank=True)
    health = models.CharField(_("state of health"), max_length=120, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    weight_kg = models.PositiveSmallIntegerField(_("weight (kg)"), null=True, blank=True)
    blood_type = models.CharField(_("blood type"), max_length=4, blank=True)
    war_invalid_grade = models.CharField(_("war invalid grade"), max_length=20, blank=True)
    policy_family = models.CharField(_("family under a social policy"), max_length=120, blank=True)
    personal_history = models.TextField(_("personal history (arrests, foreign ties)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sensitive section")
        verbose_name_plural = _("sensitive sections")

    def __str__(self) -> str:
        return str(self.file)


class FamilyMember(models.Model):
    class Side(models.TextChoices):
        OWN = "own", _("Own family")
        SPOUSE = "spouse", _("Spouse's family")

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="family")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices, default=Side.OWN)
    relation = models.CharField(_("relation"), max_length=40)
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    details = models.CharField(_("home town, occupation, workplace, residence"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["file", "side", "id"]

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


# --- decisions and history ---------------------------------------------------------------------


class Decision(StoredFile):
    """A decision attached to a file (appointment, transfer, salary, reward, discipline): a PDF checked by content."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="decisions")
    number = models.CharField(_("number and symbol"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    title = models.CharField(_("summary"), max_length=255)
    document = models.FileField(upload_to="personnel/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["file", "-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class DecisionRef(models.Model):
    """What every history row carries: the decision that made it."""

    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("attached decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class PositionKind(models.TextChoices):
    INITIAL = "initial", _("First load")
    RECRUITMENT = "recruitment", _("Recruitment")
    APPOINTMENT = "appointment", _("Appointment")
    REAPPOINTMENT = "reappointment", _("Re-appointment")
    TRANSFER = "transfer", _("Transfer")
    ROTATION = "rotation", _("Rotation")
    SECONDMENT = "secondment", _("Secondment")


class PositionRecord(DecisionRef):
    """One line of the working history: from when, where, as what, by which decision."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(_("kind"), max_length=16, choices=PositionKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=160)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working history")
        verbose_name_plural = _("working history")
        ordering = ["file", "start_date", "id"]
        indexes = [models.Index(fields=["file", "start_date"], name="pposition_file_start")]

    def __str__(self) -> str:
        return f"{self.start_date:%d/%m/%Y} {self.position}, {self.unit}"


class SalaryKind(models.TextChoices):
    INITIAL = "initial", _("First placement")
    REGULAR = "regular", _("Regular step raise")
    EARLY = "early", _("Early step raise")
    RANK_CHANGE = "rank_change", _("Change of rank")


class SalaryRecord(DecisionRef):
    """One line of the salary history: rank, step, coefficient, held from when."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="salaries")
    kind = models.CharField(_("kind"), max_length=16, choices=SalaryKind.choices)
    rank = models.ForeignKey(Rank, verbose_name=_("rank"), on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField(_("step"))
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2)
    start_date = models.DateField(_("held from"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("salary history")
        verbose_name_plural = _("salary history")
        ordering = ["file", "start_date", "id"]
        indexes = [models.Index(fields=["file", "start_date"], name="psalary_file_start")]

    def __str__(self) -> str:
        return f"{self.start_date:%d/%m/%Y} {self.rank.code} bậc {self.step} ({self.coefficient})"


class QualificationKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional qualification")
    POLITICAL_THEORY = "political_theory", _("Political theory")
    STATE_MANAGEMENT = "state_management", _("State management")
    IT = "it", _("Information technology")
    LANGUAGE = "language", _("Foreign language")
    DEFENCE = "defence", _("National defence and security")


class Qualification(models.Model):
    """A degree or certificate: kind, level, field, where and when, how."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    level = models.CharField(_("level"), max_length=60)
    field = models.CharField(_("field of study"), max_length=160, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    mode = models.CharField(_("mode of study"), max_length=60, blank=True)
    certificate = models.CharField(_("degree or certificate"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["file", "kind", "start_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.level}"


class Training(models.Model):
    """A training course (bồi dưỡng): what, where, when, the certificate."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("course"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    certificate = models.CharField(pgettext_lazy("training", "certificate"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("training")
        ordering = ["file", "start_date", "id"]

    def __str__(self) -> str:
        return self.name


class Reward(DecisionRef):
    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="rewards")
    awarded_on = models.DateField(_("awarded on"))
    form = models.CharField(_("form"), max_length=160)
    reason = models.CharField(_("for"), max_length=255, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["file", "awarded_on", "id"]

    def __str__(self) -> str:
        return f"{self.awarded_on:%Y} {self.form}"


class DisciplineForm(models.TextChoices):
    """Forms of discipline of civil servants (Decree 112/2020/NĐ-CP Art. 7)."""

    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    SALARY_DEMOTION = "salary_demotion", _("Salary step demotion")
    DEMOTION = "demotion", _("Demotion")
    DISMISSAL = "dismissal", _("Dismissal from post")
    FORCED_RESIGNATION = "forced_resignation", _("Forced resignation")


class Discipline(DecisionRef):
    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="disciplines")
    form = models.CharField(_("form"), max_length=20, choices=DisciplineForm.choices)
    start_date = models.DateField(_("in effect from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    violation = models.CharField(_("violation"), max_length=255)
    decided_by = models.CharField(_("decided by"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("discipline")
        ordering = ["file", "start_date", "id"]

    def __str__(self) -> str:
        return f"{self.start_date:%d/%m/%Y} {self.get_form_display()}"


# --- corrections: the official asks, the personnel officer decides ------------------------------


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting a decision")
    ACCEPTED = "accepted", pgettext_lazy("correction request", "Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("correction request", "Withdrawn")


class CorrectionRequest(models.Model):
    """An official's request to correct their own file; the personnel officer accepts or refuses it."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="corrections")
    status = models.CharField(
        _("status"), max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    target = models.CharField(_("what is wrong"), max_length=40)
    current_value = models.CharField(_("recorded value"), max_length=500, blank=True)
    proposed_value = models.CharField(_("correct value"), max_length=500)
    reason = models.TextField(_("explanation"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="pcorrection_status")]

    def __str__(self) -> str:
        return _("Correction #%(id)s of %(file)s") % {"id": self.pk, "file": self.file.full_name}


class CorrectionEvent(CaseEvent):
    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("correction event")
        verbose_name_plural = _("correction history")
        ordering = ["request", "at", "id"]


# --- reminders -----------------------------------------------------------------------------------


class Reminder(OutboxMessage):
    """The staff records' outbox: reminders to personnel officers, queued once by the sweep."""

    class Kind(models.TextChoices):
        STEP_DUE = "step_due", _("Salary step falls due")
        RETIREMENT_NOTICE = "retirement_notice", _("Retirement: notice due")
        RETIREMENT_DECISION = "retirement_decision", _("Retirement: decision due")
        CONTRACT_END = "contract_end", _("Contract ends")
        CERTIFICATE_EXPIRY = "certificate_expiry", _("Signing certificate expires")

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            models.Index(fields=["created_at"], name="preminder_unsent", condition=Q(sent_at__isnull=True))
        ]
