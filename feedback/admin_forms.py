"""The small forms of the back office's workflow buttons and the 1022 operators' call form."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback import selectors
from feedback.forms import MultiplePhotoField, ReportForm
from feedback.models import Report
from portal.forms import NOTE_MAX, TEXTAREA, CaseForm

WIDE = forms.Textarea(attrs={"rows": 6, "cols": 80})


class AssignForm(CaseForm):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=None)
    handler = forms.ModelChoiceField(label=_("Handler (optional)"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Instructions (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["unit"].queryset = selectors.handling_units(case)
        default = case.category.default_unit if case else None
        if default is not None and not self.is_bound:
            self.initial["unit"] = default.pk
        self.fields["handler"].queryset = selectors.unit_staff(default.pk if default else 0)
        self.fields["handler"].help_text = _("Staff of the category's default unit (%(unit)s).") % {
            "unit": default
        }


class ReasonForm(CaseForm):
    note = forms.CharField(label=_("Reason the reporter will read"), max_length=NOTE_MAX, widget=TEXTAREA)


class DuplicateForm(CaseForm):
    original = forms.CharField(label=_("Tracking code of the original report"), max_length=20)
    note = forms.CharField(
        label=_("Note to the reporter (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA
    )

    def clean_original(self):
        code = self.cleaned_data["original"].strip().upper()
        original = Report.objects.filter(code=code).first()
        if original is None:
            raise forms.ValidationError(_("No report has this tracking code."))
        return original


class ForwardForm(CaseForm):
    agency = forms.CharField(label=_("Competent agency"), max_length=255)
    note = forms.CharField(
        label=_("Why it is outside the city's competence"), max_length=NOTE_MAX, widget=TEXTAREA
    )


class PassDownForm(CaseForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    due_date = forms.DateField(
        label=_("Its deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Instructions (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        from feedback.workflow import active_assignment

        current = active_assignment(case) if case else None
        self.fields["unit"].queryset = (
            selectors.units_below(current.unit) if current else selectors.units_below_none()
        )
        if current is not None and not self.is_bound:
            self.initial["due_date"] = current.due_date


class NoteForm(CaseForm):
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)
    photos = MultiplePhotoField(
        label=_("Photos of the fix (shown with the published answer)"), required=False
    )


class AnswerForm(CaseForm):
    answer = forms.CharField(label=_("Answer to the reporter"), max_length=NOTE_MAX, widget=WIDE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and not self.is_bound:
            self.initial["answer"] = case.answer_draft
        self.fields["answer"].help_text = _(
            "Published as written, except phone numbers, e-mails and ID numbers, which are masked."
        )


class SendBackForm(CaseForm):
    note = forms.CharField(label=_("What must be changed"), max_length=NOTE_MAX, widget=TEXTAREA)


class CallForm(ReportForm):
    """A 1022 operator types in a call: the same report as the web's (no photos over the phone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("photos", "drop_photos", "location_consent", "lat", "lon"):
            del self.fields[name]
        if not self.is_bound:
            self.initial["submission_key"] = secrets.token_urlsafe(24)
