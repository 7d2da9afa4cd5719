"""The back office's forms for staff records: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from personnel import selectors
from personnel.models import (
    Category,
    DisciplineForm,
    FamilyMember,
    FileStatus,
    PositionKind,
    QualificationKind,
    Rank,
    SalaryKind,
    Sex,
)
from personnel.services import CORRECTABLE, DECISION_PDF
from portal.forms import NOTE_MAX, TEXTAREA


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"], **kwargs
    )


def text(label, max_length, required=True, **kwargs):
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


class NoNulForm(forms.Form):
    """Every text input loses NUL bytes and surrounding blanks before anything else looks at it."""

    def clean(self):
        data = super().clean()
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = value.replace("\x00", "").strip()
        return data


class FileForm(NoNulForm):
    """The identity, contact and employment part of a file."""

    full_name = text(_("Full name"), 120)
    other_name = text(_("Other name"), 120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = date_field(_("Date of birth"))
    birth_year_only = forms.BooleanField(label=_("Only the year of birth is known"), required=False)
    birth_place = text(_("Place of birth"), 255, required=False)
    hometown = text(_("Home town"), 255, required=False)
    ethnicity = text(_("Ethnicity"), 60, required=False)
    religion = text(_("Religion"), 60, required=False)
    id_number = text(_("Citizen ID number (CCCD)"), 12, required=False)
    id_issued_on = date_field(_("ID issued on"), required=False)
    social_insurance_number = text(_("Social insurance number"), 20, required=False)
    permanent_address = text(_("Permanent address"), 255, required=False)
    current_address = text(_("Current address"), 255, required=False)
    phone = text(_("Mobile"), 20, required=False)
    personal_email = forms.EmailField(label=_("Personal e-mail"), required=False, max_length=254)
    official_email = forms.EmailField(label=_("Official e-mail"), required=False, max_length=254)
    mailbox_in_use = forms.BooleanField(label=_("Official mailbox in regular use"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    status = forms.ChoiceField(label=_("Status"), choices=FileStatus.choices)
    recruited_on = date_field(_("First recruited on"), required=False)
    recruiting_agency = text(_("Recruiting agency"), 255, required=False)
    occupation_before = text(_("Occupation before recruitment"), 160, required=False)
    contract_end = date_field(_("Contract ends on"), required=False)
    main_duties = text(_("Main duties"), 255, required=False)
    general_education = text(_("General education"), 20, required=False)


class NewFileForm(FileForm):
    staff_number = text(_("Staff number"), 32)
    username = text(_("Log-in (user name), if the official has one"), 150, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    position = text(_("Position"), 160)
    start_date = date_field(_("In this post since"))
    rank = forms.ModelChoiceField(label=_("Rank"), queryset=Rank.objects.filter(active=True), required=False)
    step = forms.IntegerField(label=_("Salary step"), min_value=1, max_value=20, required=False)
    step_from = date_field(_("Step held since"), required=False)

    field_order = [
        "staff_number",
        "username",
        "full_name",
        "sex",
        "birth_date",
        "category",
        "unit",
        "position",
    ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.editable_units(user)
        self.fields["status"].initial = FileStatus.ACTIVE

    def clean(self):
        data = super().clean()
        if data.get("rank") and not (data.get("step") and data.get("step_from")):
            raise ValidationError(_("Give the step and the date it is held from with the rank."))
        return data


class PositionForm(NoNulForm):
    kind = forms.ChoiceField(
        label=_("Change"), choices=[c for c in PositionKind.choices if c[0] != PositionKind.INITIAL]
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    position = text(_("Position"), 160)
    start_date = date_field(_("Takes effect on"))
    decision_number = text(_("Decision number"), 60, required=False)
    decision_date = date_field(_("Decision date"), required=False)
    decision = forms.ModelChoiceField(label=_("Attached decision"), queryset=None, required=False)
    note = text(_("Note"), 255, required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.editable_units(user)
        self.fields["decision"].queryset = file.decisions.all()


class SalaryForm(NoNulForm):
    kind = forms.ChoiceField(
        label=_("Change"),
        choices=[(k, lbl) for k, lbl in SalaryKind.choices if k != SalaryKind.INITIAL],
        help_text=_("A regular or early raise moves one step up in the current rank."),
    )
    rank = forms.ModelChoiceField(
        label=_("New rank (change of rank only)"), queryset=Rank.objects.filter(active=True), required=False
    )
    step = forms.IntegerField(
        label=_("Step in the new rank (change of rank only)"), min_value=1, max_value=20, required=False
    )
    start_date = date_field(_("Held from"))
    decision_number = text(_("Decision number"), 60, required=False)
    decision_date = date_field(_("Decision date"), required=False)
    decision = forms.ModelChoiceField(label=_("Attached decision"), queryset=None, required=False)
    note = text(_("Note (the reason of an early raise)"), 255, required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = file.decisions.all()

    def clean(self):
        data = super().clean()
        if data.get("kind") != SalaryKind.RANK_CHANGE:
            data.pop("rank", None)
            data.pop("step", None)
        elif not data.get("rank") or not data.get("step"):
            raise ValidationError(_("A change of rank needs the new rank and step."))
        return data


class QualificationForm(NoNulForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices)
    level = text(
        _("Level"),
        60,
        help_text=_(
            "Professional: doctorate, master, university, college, intermediate, elementary; "
            "political theory: advanced, intermediate, elementary; state management: senior_expert, "
            "principal_expert, expert, officer; otherwise free text (e.g. B1)."
        ),
    )
    field = text(_("Field of study"), 160, required=False)
    institution = text(_("Institution"), 200, required=False)
    start_date = date_field(_("From"), required=False)
    end_date = date_field(_("Until"), required=False)
    mode = text(_("Mode of study"), 60, required=False)
    certificate = text(_("Degree or certificate"), 160, required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class TrainingForm(NoNulForm):
    name = text(_("Course"), 200)
    institution = text(_("Institution"), 200, required=False)
    start_date = date_field(_("From"))
    end_date = date_field(_("Until"))
    certificate = text(pgettext_lazy("training", "Certificate"), 160, required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class RewardForm(NoNulForm):
    awarded_on = date_field(_("Awarded on"))
    form = text(_("Form"), 160)
    reason = text(_("For"), 255, required=False)
    decided_by = text(_("Decided by"), 160, required=False)
    decision_number = text(_("Decision number"), 60, required=False)
    decision_date = date_field(_("Decision date"), required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DisciplineRecordForm(NoNulForm):
    form = forms.ChoiceField(label=_("Form"), choices=DisciplineForm.choices)
    start_date = date_field(_("In effect from"))
    end_date = date_field(_("Until"), required=False)
    violation = text(_("Violation"), 255)
    decided_by = text(_("Decided by"), 160, required=False)
    decision_number = text(_("Decision number"), 60, required=False)
    decision_date = date_field(_("Decision date"), required=False)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DecisionUploadForm(NoNulForm):
    number = text(_("Number and symbol"), 60)
    signed_on = date_field(_("Signed on"))
    title = text(_("Summary"), 255)
    document = forms.FileField(
        label=_("Decision (PDF)"),
        help_text=_("A PDF of at most %(mb)s MB; its content is checked.") % {"mb": DECISION_PDF.max_mb},
        widget=forms.ClearableFileInput(attrs={"accept": DECISION_PDF.accept}),
    )

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


FAMILY_HELP = _(
    "One person a line: relation | full name | year of birth | home town, occupation, workplace. "
    "Start the line with “*” for the spouse's family."
)


class SensitiveForm(NoNulForm):
    party_joined_on = date_field(_("Joined the Communist Party of Viet Nam on"), required=False)
    party_official_on = date_field(_("Full party member since"), required=False)
    organisation_joined = text(_("Socio-political organisations joined"), 255, required=False)
    enlisted_on = date_field(_("Enlisted on"), required=False)
    discharged_on = date_field(_("Discharged on"), required=False)
    military_rank = text(_("Highest military rank"), 60, required=False)
    family_background = text(_("Family background"), 120, required=False)
    health = text(_("State of health"), 120, required=False)
    height_cm = forms.IntegerField(label=_("Height (cm)"), min_value=50, max_value=250, required=False)
    weight_kg = forms.IntegerField(label=_("Weight (kg)"), min_value=20, max_value=300, required=False)
    blood_type = text(_("Blood type"), 4, required=False)
    war_invalid_grade = text(_("War invalid grade"), 20, required=False)
    policy_family = text(_("Family under a social policy"), 120, required=False)
    personal_history = forms.CharField(
        label=_("Personal history (arrests, foreign ties)"), required=False, max_length=4000, widget=TEXTAREA
    )
    family = forms.CharField(
        label=_("Family"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=FAMILY_HELP,
    )

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_family(self):
        members = []
        for number, line in enumerate(
            (self.cleaned_data.get("family") or "").replace("\x00", "").splitlines(), 1
        ):
            if not line.strip():
                continue
            side = FamilyMember.Side.OWN
            if line.strip().startswith("*"):
                side, line = FamilyMember.Side.SPOUSE, line.strip()[1:]
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise ValidationError(
                    _("Line %(n)s: write at least the relation and the name.") % {"n": number}
                )
            year = None
            if len(parts) > 2 and parts[2]:
                if not parts[2].isdigit() or not 1900 <= int(parts[2]) <= 2100:
                    raise ValidationError(_("Line %(n)s: the year of birth is not a year.") % {"n": number})
                year = int(parts[2])
            members.append(
                {
                    "side": side,
                    "relation": parts[0][:40],
                    "full_name": parts[1][:120],
                    "birth_year": year,
                    "details": " | ".join(parts[3:])[:500],
                }
            )
        return members


class CorrectionForm(NoNulForm):
    target = forms.ChoiceField(label=_("What is wrong"), choices=list(CORRECTABLE.items()))
    proposed_value = text(_("Correct value"), 500, help_text=_("Dates as dd/mm/yyyy."))
    reason = forms.CharField(label=_("Explanation"), max_length=NOTE_MAX, widget=TEXTAREA)

    def __init__(self, *args, file=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    spreadsheet = forms.FileField(
        label=_("Spreadsheet (XLSX)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    commit = forms.BooleanField(
        label=_("Save the rows (untick for a dry run that changes nothing)"), required=False, initial=False
    )
