"""The back office's forms for documents: new drafts, registration, and the workflow's small forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.models import (
    Direction,
    Document,
    DocumentStatus,
    DocumentType,
    Medium,
    Secrecy,
    SigningAuthority,
    Urgency,
)
from documents.services import DRAFTS, INCOMING, SIGNED
from portal import roles
from portal.forms import NOTE_MAX, TEXTAREA, CaseForm
from portal.models import Unit, User

TEXT_MAX = 2000


def _clean_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise ValidationError(_("The text contains a character that is not allowed."))
    return value


class CleanTextMixin:
    """NUL characters are refused with a message in every text field (PostgreSQL cannot store them)."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("The text contains a character that is not allowed."))
        return data


def _file_field(policy, label, required=True, help_text=""):
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": policy.accept}),
    )


def units_below(user):
    """The user's unit and every unit below it (where a hand-off may go)."""
    if user.is_superuser or not user.unit_id:
        return Unit.objects.active().order_by("path")
    return Unit.objects.active().filter(path__startswith=user.unit.path).order_by("path")


def units_above(user):
    """The user's unit and the units above it (which may issue a draft)."""
    if not user.unit_id:
        return Unit.objects.none()
    ids = [int(part) for part in user.unit.path.strip("/").split("/") if part]
    return Unit.objects.filter(pk__in=ids).order_by("path")


class DraftForm(CleanTextMixin, forms.Form):
    doc_type = forms.ModelChoiceField(DocumentType.objects.filter(active=True), label=_("Type"))
    summary = forms.CharField(label=_("Summary (trích yếu)"), max_length=TEXT_MAX, widget=TEXTAREA)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    issuing_unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Issuing body"))
    signer = forms.ModelChoiceField(User.objects.none(), label=_("Signer"), required=False)
    signing_authority = forms.ModelChoiceField(
        SigningAuthority.objects.all(), label=_("Signs as"), required=False
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    recipient_units = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        label=_("Recipients inside the system"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("They receive the document in their incoming queue when it is issued."),
    )
    external_recipients = forms.CharField(
        label=_("Recipients outside the system"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("One per line: agency identifier | name (sent as an edXML package)."),
    )
    recipients_text = forms.CharField(
        label=_("Recipients block (nơi nhận)"), required=False, max_length=TEXT_MAX, widget=TEXTAREA
    )
    public = forms.BooleanField(label=_("Publish in the legal library when issued"), required=False)
    file = _file_field(DRAFTS, _("Draft (DOCX or PDF)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = units_above(user)
        self.fields["issuing_unit"].initial = user.unit_id
        above = units_above(user)
        self.fields["signer"].queryset = (
            User.objects.filter(unit__in=above, is_active=True, is_staff=True)
            .filter(roles.has_role_q(roles.LEADER))
            .order_by("full_name")
        )
        self.fields["recipient_units"].queryset = Unit.objects.active().order_by("path")

    def clean_external_recipients(self):
        return [line for line in self.cleaned_data["external_recipients"].splitlines() if line.strip()]


class RegisterForm(CleanTextMixin, forms.Form):
    doc_type = forms.ModelChoiceField(DocumentType.objects.filter(active=True), label=_("Type"))
    notation = forms.CharField(label=_("Number and symbol"), max_length=80)
    document_date = forms.DateField(
        label=_("Document date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sender_name = forms.CharField(label=_("Sender"), max_length=255)
    summary = forms.CharField(label=_("Summary (trích yếu)"), max_length=TEXT_MAX, widget=TEXTAREA)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    medium = forms.ChoiceField(label=_("Received as"), choices=Medium.choices, initial=Medium.ELECTRONIC)
    pages = forms.IntegerField(label=_("Pages"), required=False, min_value=1, max_value=10000)
    file = _file_field(INCOMING, _("File (PDF or DOCX; a scan of a paper document)"), required=False)


class ImportForm(forms.Form):
    package = forms.FileField(
        label=_("edXML package"), widget=forms.ClearableFileInput(attrs={"accept": ".xml,.edxml"})
    )


class ReviseForm(CleanTextMixin, CaseForm):
    file = _file_field(DRAFTS, _("New version (DOCX or PDF)"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)


class SignForm(CleanTextMixin, CaseForm):
    passphrase = forms.CharField(
        label=_("Passphrase of your signing key"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Signs the PDF draft with your personal certificate. The passphrase is never stored."),
    )
    signed_file = _file_field(
        SIGNED,
        _("Signed PDF (optional)"),
        required=False,
        help_text=_(
            "A PDF signed elsewhere, e.g. with a USB token. Without it the last draft version is approved."
        ),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)


class ReasonForm(CleanTextMixin, CaseForm):
    note = forms.CharField(label=_("Reasons"), max_length=500, widget=TEXTAREA)


class CommentsForm(CleanTextMixin, CaseForm):
    note = forms.CharField(label=_("Comments"), max_length=NOTE_MAX, widget=TEXTAREA)


class NoteForm(CleanTextMixin, CaseForm):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)


class DeadlineMixin(forms.Form):
    working_days = forms.IntegerField(
        label=_("Deadline in working days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Counted on the portal's working-day calendar; or give a date below."),
    )
    deadline = forms.DateField(
        label=_("or deadline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        days, when = data.get("working_days"), data.get("deadline")
        if not days and not when and not self.errors:
            raise ValidationError(_("Give the deadline in working days or as a date."))
        data["due"] = when or days
        return data


class AssignForm(CleanTextMixin, DeadlineMixin, CaseForm):
    lead_unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Lead unit"))
    lead_user = forms.ModelChoiceField(User.objects.none(), label=_("Lead person (optional)"), required=False)
    coordinating = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        label=_("Coordinating units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Instructions"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_below(user) if user else Unit.objects.none()
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating"].queryset = units
        self.fields["lead_user"].queryset = (
            User.objects.filter(unit__in=units, is_active=True, is_staff=True)
            .select_related("unit")
            .order_by("unit__path", "full_name")
        )
        self.fields["lead_user"].label_from_instance = lambda u: f"{u} ({u.unit})"


class PassDownForm(CleanTextMixin, DeadlineMixin, CaseForm):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("To unit"))
    user = forms.ModelChoiceField(User.objects.none(), label=_("Person (optional)"), required=False)
    note = forms.CharField(label=_("Instructions"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_below(user) if user else Unit.objects.none()
        self.fields["unit"].queryset = units
        self.fields["user"].queryset = (
            User.objects.filter(unit__in=units, is_active=True, is_staff=True)
            .select_related("unit")
            .order_by("unit__path", "full_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.unit})"


class CloseForm(CleanTextMixin, CaseForm):
    reply = forms.CharField(
        label=_("Reply (number and symbol, optional)"),
        required=False,
        max_length=80,
        help_text=_("The outgoing document that answers it, e.g. 45/UBND-VP."),
    )
    note = forms.CharField(label=_("Result"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_reply(self):
        value = _clean_nul(self.cleaned_data["reply"]).strip()
        if not value:
            return None
        found = (
            Document.objects.visible_to(self.user)
            .filter(direction=Direction.OUTGOING, notation=value)
            .filter(~Q(status=DocumentStatus.WITHDRAWN))
            .order_by("-id")
            .first()
        )
        if found is None:
            raise ValidationError(_("No outgoing document %(n)s that you can see.") % {"n": value})
        return found
