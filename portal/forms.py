"""Form helpers every app shares."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def apply_service_errors(form: forms.Form, exc: ValidationError, default_field: str | None = None) -> None:
    """Show a service's ValidationError next to the fields it names.

    Errors for fields the form does not have go to ``default_field`` (when the
    form has it) or above the form.
    """
    fallback = default_field if default_field in form.fields else None
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else fallback, errors)
    else:
        form.add_error(fallback, exc.messages)


NOTE_MAX = 2000
TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 60})


class CaseForm(forms.Form):
    """The input of a workflow action on a case (``portal.admin_actions`` passes ``case=``)."""

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class NoteForm(CaseForm):
    """An action that needs nothing but an optional note."""

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=NOTE_MAX, widget=TEXTAREA)


class RequiredNoteForm(CaseForm):
    """An action that must say why (send back, refuse…): the label says what."""

    note = forms.CharField(label=_("Reasons"), max_length=NOTE_MAX, widget=TEXTAREA)
