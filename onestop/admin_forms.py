"""Small forms of the back office: the input a workflow action needs, and the walk-in desk form.

They only collect and shape input; the services validate the rules and write.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onestop.models import RequiredDocument, ScanExemption, Service
from onestop.selectors import competent_units_for, naturally, unit_staff, walk_in_services
from portal.forms import NOTE_MAX, TEXTAREA, NoteForm


class RequiredNoteForm(NoteForm):
    """Send back: say what must be reworked."""

    note = forms.CharField(label=_("What must be reworked"), max_length=NOTE_MAX, widget=TEXTAREA)


class ReasonsForm(NoteForm):
    """Refuse at reception (form 03) or refuse during processing: the reasons, in full."""

    note = forms.CharField(label=_("Reasons"), max_length=NOTE_MAX, widget=TEXTAREA)


class RescheduleForm(NoteForm):
    """Form 04: the new appointment date and the reason for the delay."""

    new_date = forms.DateField(
        label=_("New appointment date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Reason for the delay"), max_length=NOTE_MAX, widget=TEXTAREA)


class AssignForm(NoteForm):
    """Assign the current step to an active member of the step's unit."""

    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)
    note = None

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        step = case.steps.filter(status="active").first() if case else None
        self.fields["assignee"].queryset = unit_staff(step.unit_id) if step else unit_staff(0)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


SUPPLEMENT_FILE_ROWS = 3


class SupplementArrivedForm(NoteForm):
    """The missing documents arrived at the desk: optional scans, each saying which required
    document it answers, and a note."""

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        documents = list(case.service.documents.all()) if case is not None else []
        self.documents = {d.pk: d for d in documents}
        choices = [("", _("— another document —"))] + [(d.pk, d.name) for d in documents]
        self.file_rows = []
        for row in range(1, SUPPLEMENT_FILE_ROWS + 1):
            self.fields[f"file_{row}"] = forms.FileField(
                label=_("Scanned document %(n)s (PDF, JPG, PNG; optional)") % {"n": row}, required=False
            )
            self.fields[f"document_{row}"] = forms.TypedChoiceField(
                label=_("It answers"), choices=choices, required=False, coerce=int, empty_value=None
            )
            self.file_rows.append((f"file_{row}", f"document_{row}"))
        self.order_fields(["note"])

    def clean(self):
        data = super().clean()
        data["files"] = [
            (self.documents.get(data.get(doc_field)), data[file_field])
            for file_field, doc_field in self.file_rows
            if data.get(file_field)
        ]
        return data


class SupplementItemForm(forms.Form):
    """One missing item: picked from the service's required documents, or written out."""

    document = forms.TypedChoiceField(
        label=_("Required document"), required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(label=_("Or another item"), max_length=300, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents}
        self.fields["document"].choices = [("", _("— other item, written out —"))] + [
            (d.pk, d.name) for d in documents
        ]

    def clean(self):
        data = super().clean()
        doc = self.documents.get(data.get("document"))
        name, reason = (data.get("name") or "").strip(), (data.get("reason") or "").strip()
        if doc is not None and not name:
            data["name"] = name = doc.name
        data["document_obj"] = doc
        if reason and not name:
            self.add_error("name", _("Name the missing item."))
        if name and not reason:
            self.add_error("reason", _("Give the reason for this item."))
        return data


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        names = [(f.cleaned_data.get("name") or "").strip() for f in self.forms if f.cleaned_data]
        names = [n for n in names if n]
        if not names:
            raise ValidationError(_("List every missing item, with its reason."))
        folded = [n.casefold() for n in names]
        if len(set(folded)) != len(folded):
            raise ValidationError(_("List each missing item once."))

    @property
    def items(self) -> list[dict]:
        items = []
        for f in self.forms:
            if not (f.cleaned_data and (f.cleaned_data.get("name") or "").strip()):
                continue
            item = {"name": f.cleaned_data["name"].strip(), "reason": f.cleaned_data["reason"].strip()}
            if f.cleaned_data.get("document_obj") is not None:
                item["document_id"] = f.cleaned_data["document_obj"].pk
            items.append(item)
        return items


ItemFormSet = forms.formset_factory(SupplementItemForm, formset=BaseItemFormSet, extra=0, min_num=5)


class SupplementRequestForm(NoteForm):
    """Form 02: every missing item, listed once and in full, with its reason: picked from the
    service's required documents, plus any other item written out."""

    note = forms.CharField(
        label=_("Other guidance (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA
    )

    def __init__(self, *args, case=None, initial_items=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        data = args[0] if args else kwargs.get("data")
        documents = list(case.service.documents.all()) if case is not None else []
        self.items_formset = ItemFormSet(
            data=data, prefix="items", initial=initial_items or None, form_kwargs={"documents": documents}
        )

    def is_valid(self):
        form_ok = super().is_valid()
        return self.items_formset.is_valid() and form_ok

    def clean(self):
        data = super().clean()
        if self.items_formset.is_valid():
            data["items"] = self.items_formset.items
        return data


# --- the desk: a dossier brought in person ------------------------------------------


class ServiceChoiceForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Public service"), queryset=Service.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = walk_in_services(user)


class WalkInForm(forms.Form):
    """The applicant's details and the documents received, for one service of the officer's desk."""

    applicant_name = forms.CharField(label=_("Full name"), max_length=150)
    applicant_id_number = forms.CharField(label=_("Citizen ID number (CCCD)"), max_length=12, min_length=12)
    applicant_birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=300)
    applicant_phone = forms.CharField(label=_("Mobile"), max_length=15)
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    request_summary = forms.CharField(label=_("Request"), required=False, widget=TEXTAREA)
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents received"),
        queryset=RequiredDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    scan_exemption = forms.ModelChoiceField(
        label=_("Not scanned because"),
        queryset=ScanExemption.objects.none(),
        required=False,
        empty_label=_("— the papers are scanned above —"),
        help_text=_(
            "Circular 03/2025 Art. 5: only when the papers are not scanned into the electronic dossier."
        ),
    )

    def __init__(self, *args, service: Service, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["documents"].queryset = service.documents.all()
        self.fields["documents"].label_from_instance = _document_label
        # Phi địa giới: the unit that decides the dossier, when it is not this desk's own unit.
        competent = naturally(competent_units_for(service, unit)) if unit is not None else []
        if unit is not None and unit not in competent:
            self.fields["competent_unit"] = forms.TypedChoiceField(
                label=_("Competent unit"),
                choices=[("", "---------")] + [(str(u.pk), u.name) for u in competent],
                coerce=int,
                help_text=_(
                    "This desk receives the service regardless of boundary; the dossier goes to this unit."
                ),
            )
            self.competent_units = {u.pk: u for u in competent}
        # Digitisation at the desk: one scan per required document.
        self.scan_fields = []
        for doc in service.documents.all():
            name = f"scan_{doc.pk}"
            self.fields[name] = forms.FileField(
                label=_("Scan: %(name)s") % {"name": doc.name}, required=False
            )
            self.scan_fields.append((name, doc))
        self.fields["scan_exemption"].queryset = ScanExemption.objects.filter(active=True).exclude(
            code="online"
        )

    @property
    def applicant_fields(self):
        skip = {"documents", "scan_exemption", "competent_unit", *(name for name, _doc in self.scan_fields)}
        return [self[name] for name in self.fields if name not in skip]

    @property
    def scan_bound_fields(self):
        return [self[name] for name, _doc in self.scan_fields]

    def chosen_competent_unit(self):
        pk = self.cleaned_data.get("competent_unit")
        return self.competent_units.get(pk) if pk else None

    def scans(self) -> list:
        return [
            (doc, self.cleaned_data.get(name))
            for name, doc in self.scan_fields
            if self.cleaned_data.get(name)
        ]

    def applicant_data(self) -> dict:
        return {bound.name: self.cleaned_data.get(bound.name) for bound in self.applicant_fields}

    @property
    def missing_mandatory(self) -> list[RequiredDocument]:
        received = set(self.cleaned_data.get("documents") or [])
        return [d for d in self.service.documents.all() if d.mandatory and d not in received]


def _document_label(doc: RequiredDocument) -> str:
    parts = [doc.name, f"({doc.get_form_display()}, {doc.quantity})"]
    if not doc.mandatory:
        parts.append(str(_("optional")))
    return " ".join(parts)


class RegisterForm(forms.Form):
    """The dossier register of a desk for a period (form 06 of 2018, 07 of 2025)."""

    MAX_DAYS = 366

    unit = forms.ModelChoiceField(label=_("Desk of"), queryset=None)
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.models import Unit

        units = Unit.objects.visible_to(user).filter(received_services__isnull=False).distinct()
        self.fields["unit"].queryset = units.order_by("name")
        if user.unit_id:
            self.fields["unit"].initial = user.unit_id

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The period ends before it starts."))
            if (end - start).days >= self.MAX_DAYS:
                raise ValidationError(_("Print at most one year at a time."))
        return data
