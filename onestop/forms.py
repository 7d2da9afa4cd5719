"""Citizen forms of the one-stop desk: filing, look-up, supplements, rating.

Forms validate everything (identity number, mobile, every file by content)
before a view calls a service, so a refused submission writes nothing.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from onestop.models import RequiredDocument, Service
from onestop.services import APPLICANT_FIELDS
from portal.text import mask_identifier
from portal.uploads import CITIZEN_DOCUMENTS, check_upload
from portal.validators import normalize_mobile, validate_cccd, validate_mobile

ACCEPT = CITIZEN_DOCUMENTS.accept  # ".pdf,.jpg,.jpeg,.png" for the browser's file picker
UPLOAD_HELP = lazy(lambda: _("PDF, JPG or PNG, at most %(mb)s MB.") % {"mb": CITIZEN_DOCUMENTS.max_mb}, str)()


def file_input(required: bool = False) -> forms.FileInput:
    attrs = {"accept": ACCEPT}
    if required:
        attrs["aria-required"] = "true"
    return forms.FileInput(attrs=attrs)


def clean_upload(upload):
    """Check an upload by content (type, size); the error names the file."""
    if upload:
        check_upload(upload)
    return upload


class FilingForm(forms.Form):
    """The applicant, the documents and the consent of an online dossier.

    ``dossier`` is the draft being resumed (its receiving unit is fixed and
    its files count as provided); ``held`` the files kept from this form's
    last attempt (``portal.uploads.held``, by field name), which count as
    chosen unless a new file replaces them; ``submitting`` makes documents
    and consent mandatory (a draft may be saved without them).
    """

    receiving_unit = forms.ModelChoiceField(
        label=_("Receiving unit"),
        queryset=None,
        help_text=_("The one-stop desk that will receive and answer your dossier."),
    )
    applicant_name = forms.CharField(label=_("Full name"), max_length=150)
    applicant_id_number = forms.CharField(
        label=_("Citizen ID number (CCCD)"),
        max_length=20,
        help_text=_("The 12 digits on your citizen identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )
    applicant_address = forms.CharField(
        label=_("Address"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    applicant_phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("Used with the dossier code to look up your dossier."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Optional: we send news of your dossier to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    request_summary = forms.CharField(
        label=_("Your request"),
        required=False,
        max_length=2000,
        help_text=_("Optional: anything the desk should know about your request."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data in this dossier are processed to handle it "
            "(Decree 13/2023/NĐ-CP on personal data protection)."
        ),
        required=False,
    )

    def __init__(self, service: Service, *args, dossier=None, submitting: bool = False, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.dossier = dossier
        self.submitting = submitting
        self.held = dict(held or {})
        self.required_documents = list(service.documents.all())
        self.existing = self._existing_files()
        if dossier is not None:
            del self.fields["receiving_unit"]
            if dossier.applicant_id_number:
                field = self.fields["applicant_id_number"]
                field.required = False
                field.help_text = _(
                    "Saved: %(masked)s. Leave it empty to keep it, or type the 12 digits again to change it."
                ) % {"masked": mask_identifier(dossier.applicant_id_number)}
        else:
            units = service.receiving_units.filter(active=True).order_by("name")
            field = self.fields["receiving_unit"]
            field.queryset = units
            field.empty_label = None if len(units) == 1 else _("Choose a unit")
        for doc in self.required_documents:
            self.fields[self.doc_field(doc)] = forms.FileField(
                label=self._doc_label(doc),
                required=False,
                help_text=UPLOAD_HELP,
                widget=file_input(
                    required=doc.mandatory
                    and doc.pk not in self.existing
                    and self.doc_field(doc) not in self.held
                ),
            )

    # --- documents ------------------------------------------------------------------

    @staticmethod
    def doc_field(doc: RequiredDocument) -> str:
        return f"doc_{doc.pk}"

    @staticmethod
    def _doc_label(doc: RequiredDocument) -> str:
        suffix = _("required") if doc.mandatory else _("optional")
        return f"{doc.name} ({doc.get_form_display().lower()}, {suffix})"

    def _existing_files(self) -> dict[int, list]:
        found: dict[int, list] = {}
        if self.dossier is not None:
            for record in self.dossier.files.filter(kind="application").order_by("uploaded_at", "id"):
                found.setdefault(record.required_document_id, []).append(record)
        return found

    def documents(self):
        """(document, its bound file field, files already in the draft, file held from the last attempt)."""
        return [
            (
                doc,
                self[self.doc_field(doc)],
                self.existing.get(doc.pk, []),
                self.held.get(self.doc_field(doc)),
            )
            for doc in self.required_documents
        ]

    def chosen(self, doc: RequiredDocument):
        """The file chosen for ``doc``: a new upload, else the one held from the last attempt, else None."""
        name = self.doc_field(doc)
        upload = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return upload or (self.held[name].as_upload() if name in self.held else None)

    def new_uploads(self):
        """(field name, uploaded file) for every new file of this attempt that passed its check."""
        return [
            (self.doc_field(doc), self.files[self.doc_field(doc)])
            for doc in self.required_documents
            if self.doc_field(doc) in self.files and self.doc_field(doc) not in self.errors
        ]

    def uploads(self):
        """(required document, file) for every file chosen, in this submission or the last attempt."""
        chosen = [(doc, self.chosen(doc)) for doc in self.required_documents]
        return [(doc, upload) for doc, upload in chosen if upload]

    # --- validation -----------------------------------------------------------------

    def clean_applicant_name(self):
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_applicant_id_number(self):
        value = "".join(self.cleaned_data["applicant_id_number"].split())
        if not value and self.dossier is not None and self.dossier.applicant_id_number:
            return self.dossier.applicant_id_number  # kept: the draft never shows it in full
        validate_cccd(value)
        return value

    def clean_applicant_phone(self):
        value = self.cleaned_data["applicant_phone"]
        validate_mobile(value)
        return normalize_mobile(value)

    def clean(self):
        cleaned = super().clean()
        for doc in self.required_documents:
            name = self.doc_field(doc)
            try:
                clean_upload(cleaned.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
        number, born = cleaned.get("applicant_id_number"), cleaned.get("applicant_birth_date")
        if number and born:
            try:
                validate_cccd(number, born)
            except ValidationError as exc:
                self.add_error("applicant_id_number", exc)
        if self.submitting:
            self._check_complete(cleaned)
        return cleaned

    def _check_complete(self, cleaned):
        for doc in self.required_documents:
            name = self.doc_field(doc)
            if (
                doc.mandatory
                and doc.pk not in self.existing
                and name not in self.held
                and not cleaned.get(name)
                and name not in self.errors
            ):
                self.add_error(name, _("Attach “%(name)s”: this document is required.") % {"name": doc.name})
        if not cleaned.get("consent") and not (self.dossier is not None and self.dossier.consent_at):
            self.add_error("consent", _("Please agree to the processing of your personal data."))

    def applicant_data(self) -> dict:
        data = {key: self.cleaned_data.get(key) or "" for key in APPLICANT_FIELDS}
        data["applicant_birth_date"] = self.cleaned_data.get("applicant_birth_date")
        data["consent"] = bool(self.cleaned_data.get("consent"))
        return data


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=40,
        help_text=_("Printed on your receipt, e.g. 000.01.26.H58-250301-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label=_("Mobile number or citizen ID number (CCCD)"),
        max_length=20,
        help_text=_("The mobile number or the CCCD given when the dossier was filed."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_secret(self):
        return "".join(self.cleaned_data["secret"].split())


class SupplementForm(forms.Form):
    """One upload per item the desk asked for (every item is needed), and a note."""

    note = forms.CharField(
        label=_("Message to the desk"),
        required=False,
        max_length=1000,
        help_text=_("Optional."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, items: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            self.fields[f"item_{index}"] = forms.FileField(
                label=item.get("name") or _("Document"),
                help_text=UPLOAD_HELP,
                widget=file_input(required=True),
                error_messages={"required": _("Attach this document.")},
            )
        self.order_fields([*(f"item_{i}" for i in range(len(items))), "note"])

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name.startswith("item_"):
                try:
                    clean_upload(cleaned.get(name))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def files_list(self) -> list:
        return [self.cleaned_data[name] for name in self.fields if name.startswith("item_")]


def _scale(best, middle, worst):
    """Choices in the order a citizen reads them, mapped to Decree 61 points 2 / 1 / 0."""
    return [("2", best), ("1", middle), ("0", worst)]


RATING_FIELDS = ("attitude", "publication", "feedback")


class RatingForm(forms.Form):
    """The Decree 61 indicators only the citizen can judge (Circular 01/2018 Art. 13).

    The times they came back and the agencies they dealt with are counted from
    the dossier's own data (``onestop.services.data_indicators``), not asked.
    """

    attitude = forms.ChoiceField(
        label=_("How did the officials treat you?"),
        choices=_scale(_("Politely and helpfully"), _("Acceptably"), _("Impolitely, or they caused trouble")),
        widget=forms.RadioSelect,
    )
    publication = forms.ChoiceField(
        label=_("Was the procedure (documents, fee, time) published clearly and correctly?"),
        choices=_scale(
            _("Yes, complete and correct"),
            _("Published, but incomplete or unclear"),
            _("Not published, or wrong"),
        ),
        widget=forms.RadioSelect,
    )
    feedback = forms.ChoiceField(
        label=_("Were your questions and complaints answered?"),
        choices=_scale(
            _("I had none, or they were answered on time"), _("Answered, but late"), _("Not answered")
        ),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        help_text=_("Optional."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def scores(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[name]) for name in RATING_FIELDS}
