"""Staff pages of the documents app, served under /admin/ by ``DocumentAdmin.get_urls()``.

Every page finds its document through the admin's queryset, which is
``Document.objects.visible_to(user)``: a document outside the user's scope is
a 404 whatever id is typed. Writes go through ``documents.services``, which
ask the workflow again under the row lock.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from documents import admin_forms, exchange, registers, selectors, services, stats
from documents import text as doctext
from documents import workflow as wf
from documents.models import (
    Direction,
    Document,
    DocumentFile,
    DocumentRecipient,
    DocumentStatus,
    DocumentType,
)
from documents.workflow import WorkflowError
from portal import workdays
from portal.forms import apply_service_errors
from portal.uploads import file_response

S = DocumentStatus


def today() -> date:
    return workdays.today()


def _context(model_admin, request, title: str, document=None) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "app_label": "documents",
        "title": title,
        "subtitle": None,
        "original": document,
        "case": document,
        "has_view_permission": True,
        "changelist_url": reverse("admin:documents_document_changelist"),
        "change_url": reverse("admin:documents_document_change", args=[document.pk]) if document else "",
        **page_links(request.user),
    }


def page_links(user) -> dict:
    return {
        "can_draft": user.has_perm("documents.draft_document") and bool(user.unit_id),
        "can_register": user.has_perm("documents.register_document") and bool(user.unit_id),
        "can_stats": user.has_perm("documents.view_document_statistics"),
        "new_url": reverse("admin:documents_document_new"),
        "register_url": reverse("admin:documents_document_register"),
        "import_url": reverse("admin:documents_document_import"),
        "search_url": reverse("admin:documents_document_search"),
        "registers_url": reverse("admin:documents_document_registers"),
        "statistics_url": reverse("admin:documents_document_statistics"),
    }


def _change_url(doc) -> str:
    return reverse("admin:documents_document_change", args=[doc.pk])


# --- the document page ---------------------------------------------------------------------


def detail_view(request, model_admin, object_id):
    doc = model_admin.get_case(request, object_id)
    events = list(doc.events.select_related("unit").order_by("at", "id"))
    files = list(doc.files.order_by("kind", "version", "uploaded_at", "id"))
    recipients = (
        list(doc.recipients.select_related("unit").prefetch_related("messages")) if doc.is_outgoing else []
    )
    assignments = list(
        doc.assignments.select_related("unit", "user", "from_unit").order_by("created_at", "id")
    )
    source_recipient = DocumentRecipient.objects.filter(copy=doc).prefetch_related("messages").first()
    context = {
        **_context(model_admin, request, str(doc), doc),
        "doc": doc,
        "today": today(),
        "files": files,
        "recipients": recipients,
        "assignments": assignments,
        "source_recipient": source_recipient,
        "events": [
            {
                "event": e,
                "label": wf.WORKFLOW.label(e.action),
                "to_label": wf.WORKFLOW.state_label(e.to_status),
            }
            for e in events
        ],
        "can_replace": doc.status == S.ISSUED
        and doc.is_outgoing
        and request.user.has_perm("documents.draft_document"),
        "replaced_by": list(doc.replaced_by.all()) if doc.is_outgoing else [],
        **model_admin.action_buttons(doc, request.user),
    }
    return TemplateResponse(request, "admin/documents/document/detail.html", context)


def file_view(request, model_admin, object_id, file_id):
    doc = model_admin.get_case(request, object_id)
    record = DocumentFile.objects.filter(document=doc, pk=file_id).first()
    if record is None:
        raise Http404
    return file_response(
        record.file, record.original_name, record.content_type, inline=request.GET.get("view") == "1"
    )


def package_view(request, model_admin, object_id, recipient_id):
    doc = model_admin.get_case(request, object_id)
    recipient = DocumentRecipient.objects.filter(document=doc, pk=recipient_id, unit__isnull=True).first()
    if recipient is None:
        raise Http404
    try:
        data = exchange.export_package(doc, recipient, actor=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(_change_url(doc))
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    name = "".join(ch if ch.isalnum() else "-" for ch in doc.notation)
    response["Content-Disposition"] = f'attachment; filename="edxml-{name}-{recipient.pk}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- new drafts, registration, packages ------------------------------------------------------------


def _service_form_view(request, model_admin, form, title, template, run, success):
    if request.method == "POST" and form.is_valid():
        try:
            doc = run(form.cleaned_data)
        except WorkflowError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            apply_service_errors(form, exc, "file" if "file" in form.fields else None)
        else:
            messages.success(request, success(doc))
            return redirect(_change_url(doc))
    context = {**_context(model_admin, request, title), "form": form, "is_multipart": form.is_multipart()}
    return TemplateResponse(request, template, context)


def new_draft_view(request, model_admin, replaces: Document | None = None):
    if not (request.user.unit_id and request.user.has_perm("documents.draft_document")):
        raise PermissionDenied
    form = admin_forms.DraftForm(request.POST or None, request.FILES or None, user=request.user)
    if replaces is not None and request.method != "POST":
        form.initial.update(
            {
                "doc_type": replaces.doc_type_id,
                "summary": replaces.summary,
                "issuing_unit": replaces.unit_id,
                "recipient_units": [r.unit_id for r in replaces.recipients.all() if r.unit_id],
                "recipients_text": replaces.recipients_text,
            }
        )

    def run(data):
        payload = {k: v for k, v in data.items() if k != "file"}
        return services.create_draft(request.user, payload, data["file"], replaces=replaces)

    title = _("Replace %(n)s") % {"n": replaces} if replaces else _("New outgoing draft")
    return _service_form_view(
        request,
        model_admin,
        form,
        title,
        "admin/documents/document/form.html",
        run,
        lambda doc: _("Draft saved. Submit it for review when it is ready."),
    )


def replace_view(request, model_admin, object_id):
    doc = model_admin.get_case(request, object_id)
    if not (doc.is_outgoing and doc.status == S.ISSUED):
        messages.error(request, _("Only an issued document can be replaced."))
        return redirect(_change_url(doc))
    return new_draft_view(request, model_admin, replaces=doc)


def register_view(request, model_admin):
    if not (request.user.unit_id and request.user.has_perm("documents.register_document")):
        raise PermissionDenied
    form = admin_forms.RegisterForm(request.POST or None, request.FILES or None)

    def run(data):
        payload = {k: v for k, v in data.items() if k != "file"}
        return services.register_incoming(request.user, payload, data.get("file"))

    return _service_form_view(
        request,
        model_admin,
        form,
        _("Register an incoming document"),
        "admin/documents/document/form.html",
        run,
        lambda doc: _("Registered with arrival number %(n)s.") % {"n": doc.arrival_number},
    )


def import_view(request, model_admin):
    if not (request.user.unit_id and request.user.has_perm("documents.register_document")):
        raise PermissionDenied
    form = admin_forms.ImportForm(request.POST or None, request.FILES or None)

    def run(data):
        upload = data["package"]
        if upload.size > exchange.MAX_PACKAGE:
            raise ValidationError(_("The package is too large."))
        return exchange.import_package(upload.read(), request.user)

    form_view = _service_form_view(
        request,
        model_admin,
        form,
        _("Import an edXML package"),
        "admin/documents/document/form.html",
        run,
        lambda doc: _("Package imported: %(n)s arrived. Register it now.") % {"n": doc},
    )
    if isinstance(form_view, TemplateResponse) and form.errors.get("file"):
        form.add_error("package", form.errors.pop("file"))
    return form_view


# --- search --------------------------------------------------------------------------------------

PAGE = 20
MAX_PAGE = selectors.RANK_WINDOW // PAGE


def _int(value, default=0, low=0, high=10**9) -> int:
    try:
        number = int(str(value).strip()[:12])
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


FIRST_YEAR, LAST_YEAR = 1945, 2100  # dates outside these are typing errors (and overflow a day later)


def _date(value):
    try:
        day = date.fromisoformat(str(value or "").strip()[:10]) if value else None
    except ValueError:
        return None
    return day if day is None or FIRST_YEAR <= day.year <= LAST_YEAR else None


def search_view(request, model_admin):
    params = request.GET
    q = params.get("q", "").replace("\x00", "")[:200]
    direction = params.get("direction", "")
    doc_type = (
        DocumentType.objects.filter(pk=_int(params.get("type"))).first() if params.get("type") else None
    )
    units = selectors.register_units(request.user)
    unit = units.filter(pk=_int(params.get("unit"))).first() if params.get("unit") else None
    start, end = _date(params.get("from")), _date(params.get("to"))
    page = _int(params.get("page"), 1, 1, MAX_PAGE)
    results, more = [], False
    if q.strip():
        found = list(
            selectors.search(
                request.user, q, direction=direction, doc_type=doc_type, unit=unit, start=start, end=end
            )[(page - 1) * PAGE : page * PAGE + 1]
        )
        more = len(found) > PAGE
        found = found[:PAGE]
        texts: dict[int, list[str]] = {}
        for doc_id, text in (
            DocumentFile.objects.filter(document__in=[d.pk for d in found if not d.is_secret])
            .exclude(text="")
            .values_list("document_id", "text")
        ):
            texts.setdefault(doc_id, []).append(text)
        for doc in found:
            snippet = ""
            for text in texts.get(doc.pk, []):
                snippet = doctext.snippet(text, q)
                if snippet:
                    break
            results.append(
                {
                    "doc": doc,
                    "title": doctext.highlight(str(doc), q),
                    "summary": doctext.highlight(doc.summary, q),
                    "sender": doctext.highlight(doc.sender_display, q),
                    "snippet": snippet,
                }
            )
    context = {
        **_context(model_admin, request, _("Search documents")),
        "q": q,
        "direction": direction,
        "doc_type": doc_type,
        "unit": unit,
        "start": start,
        "end": end,
        "types": DocumentType.objects.filter(active=True),
        "units": units,
        "directions": Direction.choices,
        "results": results,
        "page": page,
        "more": more and page < MAX_PAGE,
        "searched": bool(q.strip()),
    }
    return TemplateResponse(request, "admin/documents/document/search.html", context)


# --- registers ------------------------------------------------------------------------------------


def _period(params) -> tuple[date, date]:
    end = _date(params.get("to")) or today()
    start = _date(params.get("from")) or date(end.year, 1, 1)
    if start > end:
        start, end = end, start
    if (end - start).days > 366 * 5:
        start = end - timedelta(days=366 * 5)
    return start, end


def register_book_view(request, model_admin):
    """The outgoing or incoming register of a unit for a period: HTML (keyset pages), PDF, XLSX."""
    params = request.GET
    units = selectors.register_units(request.user)
    unit = units.filter(pk=_int(params.get("unit"))).first() if params.get("unit") else None
    unit = unit or (units.filter(pk=request.user.unit_id).first() if request.user.unit_id else units.first())
    direction = Direction.INCOMING if params.get("direction") == Direction.INCOMING else Direction.OUTGOING
    start, end = _period(params)
    if unit is None:
        raise PermissionDenied
    rows = (
        selectors.outgoing_register(request.user, unit, start, end)
        if direction == Direction.OUTGOING
        else selectors.incoming_register(request.user, unit, start, end)
    )
    output = params.get("format")
    if output in ("pdf", "xlsx"):
        limited = list(rows[: selectors.REGISTER_LIMIT])
        filename = f"so-van-ban-{'di' if direction == Direction.OUTGOING else 'den'}-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}"
        if output == "pdf":
            from portal import pdf

            return pdf.response(
                registers.register_pdf(direction, unit, start, end, limited), f"{filename}.pdf"
            )
        response = HttpResponse(
            registers.register_xlsx(direction, unit, start, end, limited),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    cursor = registers.parse_cursor(direction, params.get("after", ""))
    if cursor is not None:
        rows = rows.filter(registers.after_q(direction, cursor))
    page_rows = list(rows[: registers.PAGE + 1])
    more = len(page_rows) > registers.PAGE
    page_rows = page_rows[: registers.PAGE]
    context = {
        **_context(model_admin, request, _("Document registers")),
        "units": units,
        "unit": unit,
        "direction": direction,
        "start": start,
        "end": end,
        "header": registers.header(direction),
        "rows": [registers.row(direction, doc) for doc in page_rows],
        "next_after": registers.cursor_of(direction, page_rows[-1]) if more and page_rows else None,
    }
    return TemplateResponse(request, "admin/documents/document/registers.html", context)


def statistics_view(request, model_admin):
    if not request.user.has_perm("documents.view_document_statistics"):
        raise PermissionDenied
    start, end = _period(request.GET)
    table = stats.per_unit(request.user, start, end)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            stats.as_xlsx(table, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="thong-ke-van-ban-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
        )
        return response
    context = {
        **_context(model_admin, request, _("Document statistics")),
        "start": start,
        "end": end,
        "table": table,
        "summary": stats.summary_sentence(table),
    }
    return TemplateResponse(request, "admin/documents/document/statistics.html", context)
