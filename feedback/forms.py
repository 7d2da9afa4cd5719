"""Citizen forms of the feedback app: the phone-first report form, rating, reopening.

The form shapes input; ``feedback.services.clean_report`` checks the rules
(the same for the web, the 1022 operators and the Open311 API) and its
errors are shown next to the fields they name.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback import services
from feedback.models import AttributeType, Category, CategoryAttribute
from feedback.selectors import public_categories, public_wards


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def attribute_field_name(attribute: CategoryAttribute, category_code: str) -> str:
    return f"attr_{category_code}_{attribute.code}"


def attribute_field(attribute: CategoryAttribute) -> forms.Field:
    """A form field for an Open311 attribute (required-ness is checked by the service, per category)."""
    common = {"label": attribute.description, "required": False, "help_text": attribute.datatype_description}
    choices = [(v.get("key"), v.get("name")) for v in attribute.values or []]
    kind = attribute.datatype
    if kind == AttributeType.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if kind == AttributeType.MULTI:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == AttributeType.TEXT:
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), **common)
    if kind == AttributeType.NUMBER:
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    if kind == AttributeType.DATETIME:
        return forms.CharField(
            max_length=40, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    return forms.CharField(max_length=200, **common)


class ReportForm(forms.Form):
    """What a citizen reports, from a phone: category, place, description, photos, name and phone."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)
    category = forms.ModelChoiceField(
        label=_("What is the problem?"), queryset=Category.objects.none(), empty_label=_("Choose a category")
    )
    ward = forms.ModelChoiceField(
        label=_("Ward or commune"), queryset=public_wards().none(), empty_label=_("Choose a ward or commune")
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=300,
        required=False,
        help_text=_("House number and street, or a landmark nearby."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    lat = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    location_consent = forms.BooleanField(
        label=_("Send my phone's position with the report (only to locate the problem)."), required=False
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultiplePhotoField(
        label=_("Photos (up to %(n)s)") % {"n": services.MAX_PHOTOS},
        required=False,
        help_text=_("JPG, PNG or WEBP. The position and other hidden data in photos are removed."),
    )
    drop_photos = forms.MultipleChoiceField(
        label=_("Remove these photos"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    reporter_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        help_text=_("Officials may call you about the problem; never shown publicly."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    reporter_email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("We write to you when the report is answered."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name_public = forms.BooleanField(
        label=_("My name may be shown with the published report."), required=False
    )

    def __init__(self, *args, stashed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(
            public_categories().select_related("default_unit").prefetch_related("attributes")
        )
        self.fields["category"].queryset = public_categories()
        self.fields["ward"].queryset = public_wards()
        self.stashed = list(stashed)
        self.fields["drop_photos"].choices = [(str(p.pk), p.original_name) for p in self.stashed]
        self.attribute_fields: dict[str, list[str]] = {}
        for category in self.categories:
            for attribute in category.attributes.all():
                name = attribute_field_name(attribute, category.code)
                field = attribute_field(attribute)
                field.widget.attrs["data-category"] = str(category.pk)
                self.fields[name] = field
                self.attribute_fields.setdefault(category.code, []).append(name)
        self.order_fields(
            [
                "submission_key",
                "category",
                *[n for names in self.attribute_fields.values() for n in names],
                "ward",
                "address",
                "lat",
                "lon",
                "location_consent",
                "description",
                "photos",
                "drop_photos",
                "reporter_name",
                "reporter_phone",
                "reporter_email",
                "name_public",
            ]
        )

    def attribute_bound_fields(self):
        return [self[name] for names in self.attribute_fields.values() for name in names]

    def service_data(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ("category", "ward", "address", "description")}
        data.update(
            {
                "lat": self.cleaned_data.get("lat"),
                "lon": self.cleaned_data.get("lon"),
                "location_consent": self.cleaned_data.get("location_consent"),
                "reporter_name": self.cleaned_data.get("reporter_name"),
                "reporter_phone": self.cleaned_data.get("reporter_phone"),
                "reporter_email": self.cleaned_data.get("reporter_email"),
                "name_public": self.cleaned_data.get("name_public"),
            }
        )
        category = self.cleaned_data.get("category")
        answers = {}
        if category is not None:
            for attribute in category.attributes.all():
                value = self.cleaned_data.get(attribute_field_name(attribute, category.code))
                if value not in (None, "", []):
                    answers[attribute.code] = value
        data["attributes"] = answers
        return data

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.clean_report(self.service_data())
        except ValidationError as exc:
            category = cleaned.get("category")
            for field, messages in exc.message_dict.items():
                if field.startswith("attribute[") and category is not None:
                    code = field[len("attribute[") : -1]
                    name = f"attr_{category.code}_{code}"
                    self.add_error(name if name in self.fields else None, messages)
                else:
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def kept_photos(self):
        dropped = set(self.cleaned_data.get("drop_photos") or []) if hasattr(self, "cleaned_data") else set()
        return [p for p in self.stashed if str(p.pk) not in dropped]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=[
            (5, _("5 - very satisfied")),
            (4, _("4 - satisfied")),
            (3, _("3 - neither")),
            (2, _("2 - unhappy")),
            (1, _("1 - very unhappy")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the answer not solve the problem?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Tracking code"), max_length=20, help_text=_("For example PA-260430-0001."))
