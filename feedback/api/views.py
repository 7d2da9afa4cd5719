"""Open311 GeoReport v2: the city's feedback reports for existing apps and civic-tech tools.

Endpoints (each in XML and JSON, ``.xml`` / ``.json``): discovery, services
(the categories), a service definition (the category's questions as
attributes), POST requests (an API key issued in the back office; rate
limited per client), GET requests (ids, service_code, start/end date within
90 days, status), GET one request, tokens. Errors use the spec's body and
HTTP codes: 400 bad or missing input, 403 a missing or wrong API key, 404
nothing with that id, 405 a wrong method, 429 too many reports.

A report made here is made by ``feedback.services.submit_report``, like the
web form's and the 1022 operators'. Nothing personal leaves: no name, phone,
e-mail or citizen's photo; descriptions, addresses and answers are masked
(:func:`portal.text.mask_personal_data`). ``media_url`` given by a client is
not fetched (the server never calls an address a client chose).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from feedback import services
from feedback.api.render import errors, respond
from feedback.models import Category, Channel, Photo, Report, ReportStatus
from portal import ratelimit, workdays
from portal.models import Unit, UnitKind
from portal.text import mask_personal_data

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T00:00:00+07:00"  # when this API's shape last changed
MAX_DAYS = 90
MAX_IDS = 100
CLOSED = [ReportStatus.ANSWERED, ReportStatus.INVALID, ReportStatus.FORWARDED]
LIST_LIMIT = 200  # requests per answer (the spec: "typically limited to 1000"); FEEDBACK_OPEN311_LIMIT
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,40})\](\[\])?$")
CODE_LIST = re.compile(r"^[A-Za-z0-9_,\-]{1,2000}$")


def limit() -> int:
    return int(getattr(settings, "FEEDBACK_OPEN311_LIMIT", LIST_LIMIT))


def jurisdiction() -> str:
    return getattr(settings, "FEEDBACK_OPEN311_JURISDICTION", "mytho.tiengiang.gov.vn")


def base_url() -> str:
    from portal.links import base_url as portal_base

    return portal_base()


def _check_common(request, fmt, methods=("GET",)):
    """None when the request may go on, else the error response (method, jurisdiction)."""
    if request.method not in methods:
        response = errors(
            fmt, 405, _("Method not allowed: use %(methods)s.") % {"methods": ", ".join(methods)}
        )
        response["Allow"] = ", ".join(methods)
        return response
    given = (request.POST if request.method == "POST" else request.GET).get("jurisdiction_id")
    if given not in (None, "", jurisdiction()):
        return errors(
            fmt, 404, _("jurisdiction_id not found: this server serves %(j)s.") % {"j": jurisdiction()}
        )
    return None


def _iso(moment) -> str | None:
    return workdays.local(moment).isoformat(timespec="seconds") if moment else None


# --- discovery and services ------------------------------------------------------------------


@csrf_exempt
def discovery(request, fmt):
    if problem := _check_common(request, fmt):
        return problem
    from portal.models import SiteProfile

    site = SiteProfile.current()
    body = {
        "changeset": CHANGESET,
        "contact": site.email or site.hotline or "",
        "key_service": _("API keys are issued by the city's system administrators: write to %(contact)s.")
        % {"contact": site.email or site.hotline or "—"},
        "endpoints": [
            {
                "specification": SPEC,
                "url": base_url() + "/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, body, "discovery")


def _service(category: Category, has_attributes: bool) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": has_attributes,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@csrf_exempt
def service_list(request, fmt):
    if problem := _check_common(request, fmt):
        return problem
    categories = Category.objects.filter(active=True).prefetch_related("attributes").order_by("order", "name")
    body = [_service(c, bool(c.attributes.all())) for c in categories]
    return respond(fmt, body, "services", "service")


@csrf_exempt
def service_definition(request, service_code, fmt):
    if problem := _check_common(request, fmt):
        return problem
    category = (
        Category.objects.filter(code=service_code, active=True).first()
        if "\x00" not in service_code
        else None
    )
    if category is None:
        return errors(fmt, 404, _("service_code not found."))
    attributes = [
        {
            "variable": True,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description,
            "order": a.order,
            "description": a.description,
            "values": [{"key": v.get("key"), "name": v.get("name")} for v in a.values or []],
        }
        for a in category.attributes.order_by("order", "pk")
    ]
    return respond(fmt, {"service_code": category.code, "attributes": attributes}, "service_definition")


# --- reading requests ----------------------------------------------------------------------------


def _rows(queryset):
    """The public projection of reports, with the status a duplicate takes from its original."""
    fix_photo = (
        Photo.objects.filter(report=OuterRef("pk"), kind=Photo.Kind.FIX).order_by("pk").values("pk")[:1]
    )
    return (
        queryset.exclude(status=ReportStatus.INVALID)
        .annotate(
            shown_status=F("status"),
            original_status=F("duplicate_of__status"),
            category_code=F("category__code"),
            category_name=F("category__name"),
            unit_name=F("unit__name"),
            answered_unit_name=F("answered_unit__name"),
            ward_code=F("ward__admin_code"),
            photo_id=Subquery(fix_photo),
        )
        .values(
            "code",
            "shown_status",
            "original_status",
            "category_code",
            "category_name",
            "unit_name",
            "answered_unit_name",
            "ward_code",
            "photo_id",
            "description",
            "address",
            "lat",
            "lon",
            "received_at",
            "updated_at",
            "due_date",
            "answer",
            "decision_note",
            "forwarded_to",
            "published_at",
        )
    )


def _request_body(row: dict) -> dict:
    status = row["original_status"] if row["shown_status"] == ReportStatus.DUPLICATE else row["shown_status"]
    closed = status in CLOSED
    if row["shown_status"] == ReportStatus.ANSWERED:
        notes = row["answer"]
    elif row["shown_status"] in (ReportStatus.DUPLICATE, ReportStatus.FORWARDED):
        notes = row["decision_note"]
    else:
        notes = ""
    media = ""
    if row["photo_id"] and row["published_at"]:
        media = base_url() + reverse("feedback:photo", args=[row["code"], row["photo_id"]])
    agency = row["answered_unit_name"] if row["shown_status"] == ReportStatus.ANSWERED else row["unit_name"]
    if row["shown_status"] == ReportStatus.FORWARDED:
        agency = row["forwarded_to"]
    expected = None
    if row["due_date"] and not closed:
        expected = _iso(
            timezone.datetime.combine(row["due_date"], workdays.OFFICE_CLOSES, tzinfo=workdays.TZ)
        )
    return {
        "service_request_id": row["code"],
        "status": "closed" if closed else "open",
        "status_notes": mask_personal_data(notes),
        "service_name": row["category_name"],
        "service_code": row["category_code"],
        "description": mask_personal_data(row["description"]),
        "agency_responsible": agency or "",
        "service_notice": "",
        "requested_datetime": _iso(row["received_at"]),
        "updated_datetime": _iso(row["updated_at"]),
        "expected_datetime": expected,
        "address": mask_personal_data(row["address"]),
        "address_id": row["ward_code"] or "",
        "zipcode": "",
        "lat": float(row["lat"]) if row["lat"] is not None else None,
        "long": float(row["lon"]) if row["lon"] is not None else None,
        "media_url": media,
    }


def _moment(value: str, name: str):
    """A w3 date-time with its time zone (``2026-04-30T08:00:00+07:00`` or ``…Z``), or ValueError."""
    if len(value) > 40:
        raise ValueError(name)
    try:
        moment = parse_datetime(value.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise ValueError(name)
    return moment


def _list(request, fmt):
    params = request.GET
    for name in ("service_request_id", "service_code", "status", "start_date", "end_date"):
        if "\x00" in params.get(name, ""):
            return errors(fmt, 400, _("%(name)s: null characters are not allowed.") % {"name": name})
    queryset = Report.objects.all()
    ids = params.get("service_request_id", "")
    if ids:
        wanted = [i.strip().upper() for i in ids.split(",") if i.strip()]
        if not CODE_LIST.match(ids) or len(wanted) > MAX_IDS or any(len(i) > 20 for i in wanted):
            return errors(
                fmt, 400, _("service_request_id: give up to %(n)s ids, comma delimited.") % {"n": MAX_IDS}
            )
        rows = _rows(queryset.filter(code__in=wanted)).order_by("-received_at", "-id")
        return respond(fmt, [_request_body(r) for r in rows], "service_requests", "request")
    codes = params.get("service_code", "")
    if codes:
        if not CODE_LIST.match(codes):
            return errors(fmt, 400, _("service_code: give service codes, comma delimited."))
        queryset = queryset.filter(category__code__in=[c for c in codes.split(",") if c][:50])
    status = params.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",") if s.strip()}
        if not wanted or not wanted <= {"open", "closed"}:
            return errors(fmt, 400, _("status: give open, closed or both, comma delimited."))
        closed = Q(status__in=CLOSED) | Q(status=ReportStatus.DUPLICATE, duplicate_of__status__in=CLOSED)
        if wanted == {"open"}:
            queryset = queryset.exclude(closed)
        elif wanted == {"closed"}:
            queryset = queryset.filter(closed)
    try:
        start = _moment(params["start_date"], "start_date") if params.get("start_date") else None
        end = _moment(params["end_date"], "end_date") if params.get("end_date") else None
    except ValueError as exc:
        return errors(
            fmt,
            400,
            _("%(name)s: use the w3 date-time format with a time zone, e.g. 2026-04-30T08:00:00+07:00.")
            % {"name": exc.args[0]},
        )
    if start and end and end < start:
        return errors(fmt, 400, _("end_date is before start_date."))
    if start and end and end - start > timedelta(days=MAX_DAYS):
        return errors(
            fmt, 400, _("start_date and end_date may not span more than %(n)s days.") % {"n": MAX_DAYS}
        )
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - timedelta(days=MAX_DAYS)
    if end is None:
        end = start + timedelta(days=MAX_DAYS)
    queryset = queryset.filter(received_at__gte=start, received_at__lte=end)
    rows = _rows(queryset).order_by("-received_at", "-id")[: limit()]
    return respond(fmt, [_request_body(r) for r in rows], "service_requests", "request")


@csrf_exempt
def request_list(request, fmt):
    if problem := _check_common(request, fmt, methods=("GET", "POST")):
        return problem
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@csrf_exempt
def request_detail(request, request_id, fmt):
    if problem := _check_common(request, fmt):
        return problem
    rows = [] if "\x00" in request_id else list(_rows(Report.objects.filter(code=request_id.upper()[:20])))
    if not rows:
        return errors(fmt, 404, _("service_request_id not found."))
    return respond(fmt, [_request_body(rows[0])], "service_requests", "request")


@csrf_exempt
def token(request, token, fmt):
    if problem := _check_common(request, fmt):
        return problem
    report = (
        Report.objects.filter(api_token=token[:32]).only("code", "api_token").first()
        if len(token) <= 32 and "\x00" not in token
        else None
    )
    if report is None:
        return errors(fmt, 404, _("token not found."))
    return respond(
        fmt, [{"service_request_id": report.code, "token": report.api_token}], "service_requests", "request"
    )


def refused(request, status: int):
    """The kernel's refusals (a NUL byte: 400; no such path: 404) in the spec's error body."""
    fmt = "json" if request.path_info.rstrip("/").endswith(".json") else "xml"
    if status == 400:
        return errors(fmt, 400, _("Null characters are not allowed."))
    return errors(fmt, status, _("No such Open311 resource. Start from discovery.xml or discovery.json."))


@csrf_exempt
def not_found(request, rest):
    fmt = "json" if rest.endswith(".json") else "xml"
    return errors(fmt, 404, _("No such Open311 resource. Start from discovery.xml or discovery.json."))


# --- creating a request ------------------------------------------------------------------------------


def _ward(address_id: str):
    if not address_id:
        return None, None
    ward = Unit.objects.filter(
        admin_code=address_id[:16], kind__in=[UnitKind.WARD, UnitKind.COMMUNE], active=True
    ).first()
    if ward is None:
        return None, _("address_id: not a ward or commune code of the city (e.g. 28261).")
    return ward, None


def _attributes(post) -> dict:
    answers: dict = {}
    for key in post:
        match = ATTRIBUTE_KEY.match(key)
        if match is None:
            continue
        values = post.getlist(key)
        if match.group(2):
            answers.setdefault(match.group(1), []).extend(values)
        else:
            answers[match.group(1)] = values if len(values) > 1 else values[0]
    return answers


def _create(request, fmt):
    post = request.POST
    client = services.api_client_for(post.get("api_key", ""))
    if client is None:
        return errors(fmt, 403, _("api_key was not provided or is invalid."))
    bad = sorted({key for key, values in post.lists() if "\x00" in key or any("\x00" in v for v in values)})
    if bad:
        return errors(
            fmt, 400, *[_("%(name)s: null characters are not allowed.") % {"name": k[:40]} for k in bad]
        )
    category = Category.objects.filter(code=post.get("service_code", "")[:40], active=True).first()
    if category is None:
        return errors(fmt, 400, _("service_code was not provided or is invalid."))
    has_point = bool(post.get("lat") or post.get("long"))
    if not (has_point or post.get("address_string") or post.get("address_id")):
        return errors(fmt, 400, _("A location is required: lat and long, address_string or address_id."))
    ward, problem = _ward(post.get("address_id", ""))
    if problem:
        return errors(fmt, 400, problem)
    name = " ".join(part for part in (post.get("first_name", ""), post.get("last_name", "")) if part)
    data = {
        "category": category,
        "ward": ward,
        "address": post.get("address_string", ""),
        "lat": post.get("lat"),
        "lon": post.get("long"),
        "description": post.get("description", ""),
        "reporter_name": name,
        "reporter_phone": post.get("phone", ""),
        "reporter_email": post.get("email", ""),
        "name_public": False,
        "attributes": _attributes(post),
    }
    try:
        services.clean_report(data, Channel.API)
    except ValidationError as exc:
        return errors(fmt, 400, *_described(exc))
    keys = [ratelimit.key("feedback-api", str(client.pk))]
    if not ratelimit.hit(keys, client.per_hour, 3600):
        return errors(
            fmt,
            429,
            _("Too many requests from this API key: at most %(n)s an hour.") % {"n": client.per_hour},
        )
    retry = request.headers.get("Idempotency-Key", "")[:100]
    submission = hashlib.sha256(f"{client.pk}:{retry}".encode()).hexdigest() if retry else None
    try:
        report, _key = services.submit_report(
            data, channel=Channel.API, api_client=client, submission_key=submission
        )
    except ValidationError as exc:
        return errors(fmt, 400, *_described(exc))
    notice = _("Follow it at %(url)s") % {"url": base_url() + reverse("feedback:report", args=[report.code])}
    body = [
        {
            "service_request_id": report.code,
            "token": report.api_token,
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return respond(fmt, body, "service_requests", "request", status=201)


FIELD_NAMES = {
    "reporter_name": "first_name/last_name",
    "reporter_phone": "phone",
    "reporter_email": "email",
    "address": "address_string",
    "lon": "long",
    "ward": "address_id",
    "category": "service_code",
}


def _described(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    return [
        f"{FIELD_NAMES.get(field, field)}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


def openapi(request):
    from feedback.api.openapi import document

    return JsonResponse(document(base_url()), json_dumps_params={"ensure_ascii": False})
