"""The public service catalogue: search and filter, a service's page, its forms to download.

Public pages, read-only. The list runs a constant number of queries whatever
the page (sector and receiving units joined or prefetched), and pages are a
fixed size. Search folds Vietnamese accents (``Service.objects.search``), so
"giay phep xay dung" finds "Cấp giấy phép xây dựng…".
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from onestop.apps import CATALOGUE
from onestop.letters import application_form_pdf
from onestop.models import OnlineClass, RequiredDocument, Sector, Service, ServiceStep
from portal import pagecache, pdf, uploads
from portal.models import Unit, UnitKind
from portal.text import fold

PAGE_SIZE = 20

ONLINE_EXPLANATIONS = {
    OnlineClass.OFFLINE: _(
        "Not an online service: read the procedure and download the forms here, then file the dossier "
        "in person at the one-stop desk or by post."
    ),
    OnlineClass.PARTIAL: _(
        "Partly online service: file the dossier online and follow its processing online; the steps "
        "that are not online (paying the fee, collecting the result) are done at the one-stop desk."
    ),
    OnlineClass.FULL: _(
        "Fully online service: file the dossier online, pay the fee online and receive the result "
        "online or by post, without going to the desk."
    ),
}

# Folded beginnings of document names that are forms to fill in (tờ khai, đơn, phiếu…).
FORM_PREFIXES = ("to khai", "don ", "phieu ", "giay de nghi", "mau ", "to trinh")
FORM_MARKERS = ("theo mau", "mau so")


def is_form(document: RequiredDocument) -> bool:
    """Whether the applicant fills this document in from a form the catalogue offers."""
    if document.template:
        return True
    name = fold(document.name)
    return name.startswith(FORM_PREFIXES) or any(marker in name for marker in FORM_MARKERS)


def receiving_units():
    """Units whose desk receives at least one active service, in tree order."""
    link = Service.receiving_units.through
    receives = link.objects.filter(unit_id=OuterRef("pk"), service__active=True)
    return Unit.objects.filter(Exists(receives)).order_by("path")


class CatalogueFilter(forms.Form):
    q = forms.CharField(
        label=_("Search for a service"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. giay phep xay dung")}),
    )
    online = forms.ChoiceField(
        label=_("Online service"),
        required=False,
        choices=[("", _("All services")), *OnlineClass.choices],
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        required=False,
        queryset=Sector.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("All sectors"),
    )
    unit = forms.ModelChoiceField(
        label=_("Where to file"),
        required=False,
        queryset=receiving_units(),
        to_field_name="code",
        empty_label=_("All units"),
    )

    def filter(self, services):
        """Apply the valid criteria; an invalid one is reported on its field and ignored."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("online"):
            services = services.online(data["online"])
        if data.get("sector"):
            services = services.filter(sector=data["sector"])
        if data.get("unit"):
            services = services.filter(receiving_units=data["unit"])
        if data.get("q"):
            services = services.search(data["q"])
        return services

    @property
    def filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def select_fields(self) -> list[dict]:
        """The three drop-downs as plain data for the template (no widget template per option).

        The option lists (every sector and receiving unit) are read once per
        catalogue version and language, not per request.
        """
        key = f"onestop:catalogue-filter:{pagecache.versions(pagecache.SITE, CATALOGUE)}:{get_language()}"
        options = cache.get(key)
        if options is None:
            options = {
                name: [(str(value), str(label)) for value, label in self.fields[name].choices]
                for name in ("online", "sector", "unit")
            }
            cache.set(key, options, pagecache.PAGE_SECONDS)
        return [
            {
                "field": self[name],
                "options": options[name],
                "selected": str(self.data.get(name) or "") if self.is_bound else "",
            }
            for name in ("online", "sector", "unit")
        ]


def desk_summary(units: list[Unit]) -> str:
    """Where a service is filed, in a few words."""
    local = [u for u in units if u.kind in (UnitKind.WARD, UnitKind.COMMUNE)]
    if len(units) > 3 and len(local) == len(units):
        return ngettext(
            "The people's committee of any ward or commune (%(count)s unit)",
            "The people's committee of any ward or commune (%(count)s units)",
            len(units),
        ) % {"count": len(units)}
    return ", ".join(u.name for u in units)


CATALOGUE_PARAMS = ("q", "online", "sector", "unit", "page")


@require_safe
@pagecache.cached_page(CATALOGUE, params=CATALOGUE_PARAMS)
def catalogue(request):
    form = CatalogueFilter(request.GET or None)
    services = (
        Service.objects.active()
        .select_related("sector")
        .prefetch_related(Prefetch("receiving_units", queryset=Unit.objects.order_by("path")))
    )
    if form.is_bound:
        services = form.filter(services)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    for service in page:
        service.desks = desk_summary(list(service.receiving_units.all()))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    context = {"form": form, "page": page, "page_range": page_range}
    return render(request, "onestop/catalogue/list.html", context)


def _find_service(code: str) -> Service | None:
    return (
        Service.objects.active()
        .select_related("sector")
        .prefetch_related(
            Prefetch("steps", queryset=ServiceStep.objects.select_related("unit").order_by("order")),
            "documents",
            Prefetch("receiving_units", queryset=Unit.objects.order_by("path")),
        )
        .filter(code=code)
        .first()
    )


def _filing_url(service: Service) -> str | None:
    if not service.files_online:
        return None
    try:
        return reverse("onestop:file", args=[service.code])
    except NoReverseMatch:  # the filing pages are not installed
        return None


def not_found(request, code: str):
    return render(request, "onestop/catalogue/not_found.html", {"code": code}, status=404)


@require_safe
@pagecache.cached_page(CATALOGUE)
def service_detail(request, code: str):
    service = _find_service(code)
    if service is None:
        return not_found(request, code)
    documents = list(service.documents.all())
    for document in documents:
        document.is_form = is_form(document)
    steps = list(service.steps.all())
    units = list(service.receiving_units.all())
    first_form = next((d for d in documents if d.is_form), None)
    context = {
        "service": service,
        "documents": documents,
        "steps": steps,
        "units": units,
        "desks": desk_summary(units),
        "online_explanation": ONLINE_EXPLANATIONS[service.online_mode],
        "filing_url": _filing_url(service),
        "first_form": first_form,
        "legal_basis": [part.strip(" .") for part in service.legal_basis.split(";") if part.strip(" .")],
    }
    return render(request, "onestop/catalogue/detail.html", context)


@require_safe
def service_form(request, code: str, doc_id: int):
    """The form of a required document: the uploaded template, or a generated blank tờ khai."""
    document = (
        RequiredDocument.objects.select_related("service")
        .filter(pk=doc_id, service__code=code, service__active=True)
        .first()
    )
    if document is None:
        raise Http404("No such form.")
    if document.template:
        return _template_response(document)
    content = application_form_pdf(document.service, document if is_form(document) else None)
    return pdf.response(content, f"mau-don-{document.service.code}-{document.pk}.pdf")


def _template_response(document: RequiredDocument):
    """The uploaded form, served as what its bytes really are: never as a page of this site.

    Templates were checked by content when uploaded; a file stored before
    that check (or swapped on disk) that is not an office document is not served.
    """
    try:
        with document.template.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        raise Http404("The form file is missing.")
    content_type = uploads.sniff(data)
    if content_type not in uploads.OFFICE_DOCUMENTS.allowed.values():
        raise Http404("The form file is not an office document.")
    name = f"mau-don-{document.service.code}-{document.pk}.{uploads.EXTENSION_OF[content_type]}"
    return uploads.file_response(document.template, name, content_type, inline=content_type == uploads.PDF)


urlpatterns = [
    path("dich-vu/", catalogue, name="catalogue"),
    path("dich-vu/<str:code>/", service_detail, name="service"),
    path("dich-vu/<str:code>/mau-don/<int:doc_id>.pdf", service_form, name="form"),
]
