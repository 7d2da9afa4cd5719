"""Every write of the feedback app: its public API (web form, 1022 operators, Open311, back office).

Each service validates before writing, runs in one transaction, locks the
report row, asks the workflow (:class:`WorkflowError` with the reason
otherwise), appends a :class:`ReportEvent` and an audit row, and queues
e-mails in the outbox, sent after the commit. If Redis is down the action
still commits; the periodic sweep sends later.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from feedback import workflow as wf
from feedback.models import (
    ApiClient,
    Assignment,
    AttributeType,
    Category,
    Channel,
    Notification,
    Photo,
    Rating,
    Report,
    ReportStatus,
    Rules,
    Timeliness,
)
from feedback.workflow import ReportAction, WorkflowError
from portal import cases, outbox, workdays
from portal.models import Unit, UnitKind
from portal.text import fold, mask_personal_data
from portal.uploads import PHOTOS, check_upload, clean_image, store_bytes
from portal.validators import normalize_mobile
from portal.workflow import actor_user

OUTBOX = "feedback"
MAX_PHOTOS = 5
DESCRIPTION_MAX = 4000
NOTE_MAX = 4000
S = ReportStatus

__all__ = [
    "WorkflowError",
    "CleanPhoto",
    "clean_photos",
    "clean_report",
    "submit_report",
    "assign_report",
    "reject_report",
    "mark_duplicate",
    "forward_report",
    "pass_down",
    "add_note",
    "return_to_desk",
    "submit_answer",
    "approve_answer",
    "send_back",
    "rate_report",
    "reopen_report",
    "issue_api_key",
    "api_client_for",
    "key_matches",
]


# --- helpers ---------------------------------------------------------------------------


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def reporter_key(code: str) -> str:
    """The reporter's private key for a tracking code: an HMAC of the code under the site's secret.

    Only its SHA-256 is stored (``key_hash``); the e-mails derive it again, so
    a database dump gives no one the keys, and a rotated secret only stops
    new e-mails from carrying the link (the stored hash still decides).
    """
    return salted_hmac("feedback.reporter_key", code, algorithm="sha256").hexdigest()[:32]


def key_matches(report: Report, key: str) -> bool:
    """The reporter's private key (from the confirmation page or e-mail), compared in constant time."""
    return bool(key) and len(key) <= 64 and secrets.compare_digest(_digest(key), report.key_hash)


def _notify(report: Report, kind: str, suffix: str = "") -> None:
    if report.reporter_email:
        key = f"{kind}:{report.pk}{':' + suffix if suffix else ''}"
        outbox.notify(OUTBOX, key, kind=kind, report=report, recipient=report.reporter_email)


def _transition(report: Report, action: str, actor) -> cases.Moved:
    return cases.transition(wf.WORKFLOW, report, action, actor, "category", "unit")


def _save(report: Report, *fields) -> None:
    report.updated_at = timezone.now()
    report.save()


def _add_unit(report: Report, unit_id: int) -> None:
    if unit_id and unit_id not in report.unit_ids:
        report.unit_ids = sorted({*report.unit_ids, unit_id})


def next_code(day: date) -> str:
    """``PA-YYMMDD-NNNN``: one atomic upsert per report, unique under concurrent submissions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO feedback_reportcounter (day, last) VALUES (%s, 1)
            ON CONFLICT (day) DO UPDATE SET last = feedback_reportcounter.last + 1
            RETURNING last
            """,
            [day],
        )
        (sequence,) = cursor.fetchone()
    return f"PA-{day:%y%m%d}-{sequence:04d}"


def _text(value, field: str, errors: dict, *, required: bool, max_length: int, label: str = "") -> str:
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if "\x00" in text:
        errors.setdefault(field, []).append(_("Null characters are not allowed."))
        return ""
    text = text.strip()
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > max_length:
        errors.setdefault(field, []).append(
            _("At most %(max)s characters (it has %(n)s).") % {"max": max_length, "n": len(text)}
        )
    return text


PHONE_RE = re.compile(r"^0\d{9,10}$")


def clean_phone(value: str) -> str:
    """A Vietnamese mobile or landline (DOMAIN.md §5), normalised to its digits."""
    number = normalize_mobile(value or "")
    if not PHONE_RE.match(number):
        raise ValidationError(
            _("Enter a Vietnamese phone number: 10 digits starting with 0 (or +84), or a landline 02xx."),
            code="phone",
        )
    return number


def _coordinate(value, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="coordinate")
    if not number.is_finite() or not (low <= number <= high):
        raise ValidationError(_("Out of range (%(low)s to %(high)s).") % {"low": low, "high": high})
    return number.quantize(Decimal("0.000001"))


def clean_attributes(category: Category, given: dict) -> dict:
    """The answers to the category's questions, checked against their Open311 datatypes."""
    errors: dict[str, list] = {}
    answers: dict = {}
    known = {a.code: a for a in category.attributes.all()}
    for code in given:
        if code not in known:
            errors.setdefault(f"attribute[{code}]"[:60], []).append(_("This question is not asked here."))
    for code, attribute in known.items():
        field = f"attribute[{code}]"
        value = given.get(code)
        values = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        values = [v if isinstance(v, str) else str(v) for v in values]
        values = [v.strip() for v in values if v.strip()]
        if any("\x00" in v for v in values):
            errors.setdefault(field, []).append(_("Null characters are not allowed."))
            continue
        if not values:
            if attribute.required:
                errors.setdefault(field, []).append(
                    _("Answer “%(question)s”.") % {"question": attribute.description}
                )
            continue
        kind = attribute.datatype
        if kind != AttributeType.MULTI and len(values) > 1:
            errors.setdefault(field, []).append(_("Give one answer."))
            continue
        first = values[0]
        if kind in (AttributeType.STRING, AttributeType.TEXT):
            limit = 200 if kind == AttributeType.STRING else 2000
            if len(first) > limit:
                errors.setdefault(field, []).append(_("At most %(max)s characters.") % {"max": limit})
            else:
                answers[code] = first
        elif kind == AttributeType.NUMBER:
            try:
                number = Decimal(first)
                if not number.is_finite() or abs(number) > Decimal("1e12"):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors.setdefault(field, []).append(_("Enter a number."))
            else:
                answers[code] = str(number)
        elif kind == AttributeType.DATETIME:
            try:
                moment = parse_datetime(first)
            except ValueError:
                moment = None
            if moment is None or len(first) > 40:
                errors.setdefault(field, []).append(
                    _("Enter a date and time such as 2026-04-30T08:15:00+07:00.")
                )
            else:
                answers[code] = moment.isoformat()
        else:
            unknown = [v for v in values if v not in attribute.keys]
            if unknown:
                errors.setdefault(field, []).append(_("Choose among the listed answers."))
            else:
                answers[code] = values if kind == AttributeType.MULTI else first
    if errors:
        raise ValidationError(errors)
    return answers


@dataclass
class CleanPhoto:
    """A photo checked by content and re-encoded, ready to store (nothing written yet)."""

    name: str
    content_type: str
    data: bytes


def clean_photos(uploads) -> list[CleanPhoto]:
    """Check every photo (type by content, size) and strip it; ValidationError names each bad one."""
    cleaned, problems = [], []
    for upload in uploads:
        try:
            checked = check_upload(upload, PHOTOS)
            upload.seek(0)
            data = clean_image(upload.read(), checked.content_type)
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        cleaned.append(
            CleanPhoto((upload.name or "photo").replace("\x00", "")[-200:], checked.content_type, data)
        )
    if problems:
        raise ValidationError({"photos": problems})
    return cleaned


def _store_photos(report: Report, photos: list[CleanPhoto], kind: str) -> None:
    for photo in photos:
        record = Photo(report=report, kind=kind)
        store_bytes(record, photo.data, photo.name, photo.content_type)
        record.save()


def clean_report(data: dict, channel: str = Channel.WEB) -> dict:
    """Everything a report needs, checked at once; ValidationError lists every problem by field."""
    errors: dict[str, list] = {}
    category = data.get("category")
    if not isinstance(category, Category):
        category = Category.objects.filter(code=str(category or "")[:40], active=True).first()
    if category is None or not category.active:
        errors.setdefault("category", []).append(_("Choose a category."))
    ward = data.get("ward")
    if ward is not None and not isinstance(ward, Unit):
        ward = None
    if ward is not None and (ward.kind not in (UnitKind.WARD, UnitKind.COMMUNE) or not ward.active):
        errors.setdefault("ward", []).append(_("Choose a ward or commune of the city."))
    if ward is None and channel != Channel.API:
        errors.setdefault("ward", []).append(_("Choose the ward or commune where the problem is."))
    cleaned = {
        "category": category,
        "ward": ward,
        "description": _text(
            data.get("description"), "description", errors, required=True, max_length=DESCRIPTION_MAX
        ),
        "reporter_name": _text(
            data.get("reporter_name"), "reporter_name", errors, required=True, max_length=120
        ),
        "reporter_email": _text(
            data.get("reporter_email"), "reporter_email", errors, required=False, max_length=254
        ),
        "name_public": bool(data.get("name_public")),
    }
    cleaned["reporter_name"] = " ".join(cleaned["reporter_name"].split())
    address = _text(data.get("address"), "address", errors, required=False, max_length=300)
    try:
        lat = _coordinate(data.get("lat"), -90, 90)
    except ValidationError as exc:
        errors.setdefault("lat", []).extend(exc.messages)
        lat = None
    try:
        lon = _coordinate(data.get("lon"), -180, 180)
    except ValidationError as exc:
        errors.setdefault("lon", []).extend(exc.messages)
        lon = None
    if (lat is None) != (lon is None) and "lat" not in errors and "lon" not in errors:
        errors.setdefault("lat", []).append(_("Give both the latitude and the longitude."))
    if lat is not None and channel == Channel.WEB and not data.get("location_consent"):
        errors.setdefault("location_consent", []).append(
            _("Agree to share your phone's position, or remove the position.")
        )
    if not address and lat is None and "address" not in errors:
        errors.setdefault("address", []).append(_("Give the address or the place of the problem."))
    cleaned.update(address=address, lat=lat, lon=lon)
    phone = data.get("reporter_phone")
    if "\x00" in str(phone or ""):
        errors.setdefault("reporter_phone", []).append(_("Null characters are not allowed."))
    elif not (phone or "").strip():
        errors.setdefault("reporter_phone", []).append(_("This field is required."))
    else:
        try:
            cleaned["reporter_phone"] = clean_phone(str(phone)[:40])
        except ValidationError as exc:
            errors.setdefault("reporter_phone", []).extend(exc.messages)
    if cleaned["reporter_email"] and "reporter_email" not in errors:
        try:
            validate_email(cleaned["reporter_email"])
        except ValidationError:
            errors.setdefault("reporter_email", []).append(_("Enter a valid e-mail address."))
    if category is not None:
        try:
            cleaned["attributes"] = clean_attributes(category, data.get("attributes") or {})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- intake --------------------------------------------------------------------------


def submit_report(
    data: dict,
    photos=(),
    *,
    channel: str = Channel.WEB,
    submission_key: str | None = None,
    api_client: ApiClient | None = None,
    recorded_by=None,
    stashed: list[Photo] | None = None,
) -> tuple[Report, str | None]:
    """Receive a report from the web form, a 1022 operator or the Open311 API.

    Returns ``(report, key)``: ``key`` is the reporter's private key for
    rating and reopening (shown once), or None when ``submission_key`` names
    a report already made (a double click, a retried POST): the same report
    comes back and nothing is written twice.
    """
    if submission_key:
        existing = Report.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, None
    cleaned = clean_report(data, channel)
    photos = list(photos)
    stashed = list(stashed or [])
    if len(photos) + len(stashed) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    ready = clean_photos(photos) if photos and not isinstance(photos[0], CleanPhoto) else photos
    try:
        with transaction.atomic():
            report, key = _create(cleaned, channel, submission_key, api_client, recorded_by)
            _store_photos(report, ready, Photo.Kind.REPORT)
            for photo in stashed:
                Photo.objects.filter(pk=photo.pk, report__isnull=True).update(report=report, stash="")
    except IntegrityError:
        existing = Report.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return existing, None
    return report, key


def _create(cleaned, channel, submission_key, api_client, recorded_by) -> tuple[Report, str]:
    now = timezone.now()
    intake = intake_unit()
    received_on = workdays.local(now).date()
    rules = Rules.in_force(received_on)
    code = next_code(received_on)
    key = reporter_key(code)
    report = Report(
        **cleaned,
        code=code,
        key_hash=_digest(key),
        submission_key=submission_key or None,
        channel=channel,
        api_client=api_client,
        api_token=secrets.token_hex(12) if channel == Channel.API else None,
        recorded_by=actor_user(recorded_by),
        status=S.NEW,
        unit=intake,
        received_at=now,
        updated_at=now,
        forward_due=workdays.due_date(now, rules.forward_days),
    )
    report.unit_ids = sorted({intake.pk, *([cleaned["ward"].pk] if cleaned["ward"] else [])})
    report.save()
    cases.record_event(report, ReportAction.RECEIVE, recorded_by, "", channel=channel)
    _notify(report, Notification.Kind.RECEIVED)
    return report, key


def intake_unit() -> Unit:
    from feedback.models import Desk

    unit = Desk.intake_unit()
    if unit is None:
        raise ValidationError(_("The 1022 desk is not set up yet."))
    return unit


# --- triage ----------------------------------------------------------------------------


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text or "\x00" in text:
        raise ValidationError(message)
    if len(text) > NOTE_MAX:
        raise ValidationError(_("At most %(max)s characters.") % {"max": NOTE_MAX})
    return text


def _check_handler(handler, unit: Unit):
    if handler is not None and (handler.unit_id != unit.pk or not handler.is_active or not handler.is_staff):
        raise ValidationError(
            {"handler": [_("The handler must be active staff of %(unit)s.") % {"unit": unit}]}
        )


@transaction.atomic
def assign_report(report: Report, user, unit: Unit, handler=None, note: str = "") -> Assignment:
    """Triage: a handling unit gets the report with the category's deadline (from receipt)."""
    if unit is None or not unit.active:
        raise ValidationError({"unit": [_("Choose an active unit.")]})
    _check_handler(handler, unit)
    moved = _transition(report, wf.A.ASSIGN, user)
    locked = moved.case
    now = timezone.now()
    due = workdays.due_date(locked.received_at, locked.category.working_days)
    if due < workdays.local(now).date():  # triaged after the category's time ran out: the next working day
        due = workdays.add_working_days(workdays.transfer_date(now), 1)
    assignment = Assignment.objects.create(
        report=locked,
        unit=unit,
        handler=handler,
        assigned_by=actor_user(user),
        assigned_at=now,
        due_date=due,
        note=(note or "").strip(),
    )
    locked.unit = unit
    locked.due_date = due
    _add_unit(locked, unit.pk)
    _save(locked)
    cases.record_event(
        locked, wf.A.ASSIGN, user, moved.from_status, note, unit=str(unit), due_date=due.isoformat()
    )
    return assignment


@transaction.atomic
def reject_report(report: Report, user, reason: str) -> Report:
    reason = _required(reason, _("Give the reason the reporter will read."))
    moved = _transition(report, wf.A.REJECT, user)
    locked = moved.case
    locked.decision_note = reason
    _save(locked)
    cases.record_event(locked, wf.A.REJECT, user, moved.from_status, reason)
    return locked


@transaction.atomic
def mark_duplicate(report: Report, user, original: Report, reason: str = "") -> Report:
    if original is None or original.pk == report.pk:
        raise ValidationError({"original": [_("Give the tracking code of another report.")]})
    if original.status in (S.INVALID, S.DUPLICATE):
        raise ValidationError({"original": [_("The original must be a report that is handled.")]})
    moved = _transition(report, wf.A.MARK_DUPLICATE, user)
    locked = moved.case
    locked.duplicate_of = original
    locked.decision_note = (reason or "").strip() or _(
        "The same problem was already reported as %(code)s."
    ) % {"code": original.code}
    _save(locked)
    cases.record_event(
        locked, wf.A.MARK_DUPLICATE, user, moved.from_status, locked.decision_note, original=original.code
    )
    return locked


@transaction.atomic
def forward_report(report: Report, user, agency: str, reason: str) -> Report:
    """Outside the city's competence: forwarded, with a letter, to the competent agency."""
    agency = _required(agency, _("Name the competent agency."))[:255]
    reason = _required(reason, _("Give the reason the reporter will read."))
    moved = _transition(report, wf.A.FORWARD, user)
    locked = moved.case
    locked.forwarded_to = agency
    locked.decision_note = reason
    _save(locked)
    on_time = workdays.today() <= locked.forward_due
    cases.record_event(locked, wf.A.FORWARD, user, moved.from_status, reason, agency=agency, on_time=on_time)
    return locked


# --- handling ------------------------------------------------------------------------------


def _active(report: Report) -> Assignment:
    return report.assignments.select_for_update().select_related("unit").get(status=Assignment.Status.ACTIVE)


@transaction.atomic
def pass_down(report: Report, user, unit: Unit, due_date: date, handler=None, note: str = "") -> Assignment:
    """A department passes the report down to a unit below it (a ward), with that unit's own deadline."""
    moved = _transition(report, wf.A.PASS_DOWN, user)
    locked = moved.case
    current = _active(locked)
    errors: dict[str, list] = {}
    from feedback.selectors import units_below

    if unit is None or not units_below(current.unit).filter(pk=unit.pk).exists():
        errors["unit"] = [_("Choose a ward, commune or unit below %(unit)s.") % {"unit": current.unit}]
    if not isinstance(due_date, date):
        errors["due_date"] = [_("Enter a date.")]
    elif due_date < workdays.today():
        errors["due_date"] = [_("The deadline cannot be in the past.")]
    elif due_date > current.due_date:
        errors["due_date"] = [
            _("The deadline must be on or before your own (%(date)s).")
            % {"date": current.due_date.strftime("%d/%m/%Y")}
        ]
    elif not workdays.is_working_day(due_date):
        errors["due_date"] = [_("The deadline must be a working day.")]
    if errors:
        raise ValidationError(errors)
    _check_handler(handler, unit)
    now = timezone.now()
    current.status = Assignment.Status.PASSED_DOWN
    current.save(update_fields=["status"])
    child = Assignment.objects.create(
        report=locked,
        parent=current,
        unit=unit,
        handler=handler,
        assigned_by=actor_user(user),
        assigned_at=now,
        due_date=due_date,
        note=(note or "").strip(),
    )
    locked.unit = unit
    _add_unit(locked, unit.pk)
    _save(locked)
    cases.record_event(
        locked, wf.A.PASS_DOWN, user, moved.from_status, note, unit=str(unit), due_date=due_date.isoformat()
    )
    return child


@transaction.atomic
def add_note(report: Report, user, note: str = "", photos=()) -> Report:
    """A note on the handling, with photos of the fix (resized, metadata stripped; shown once published)."""
    photos = list(photos)
    note = (note or "").strip()
    if "\x00" in note or len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": [_("At most %(max)s characters, no null characters.") % {"max": NOTE_MAX}]}
        )
    if not note and not photos:
        raise ValidationError({"note": [_("Write a note or add photos.")]})
    ready = clean_photos(photos)
    moved = _transition(report, wf.A.ADD_NOTE, user)
    locked = moved.case
    if locked.photos.filter(kind=Photo.Kind.FIX).count() + len(ready) > 10:
        raise ValidationError({"photos": [_("At most %(n)s photos of the fix.") % {"n": 10}]})
    _store_photos(locked, ready, Photo.Kind.FIX)
    _save(locked)
    cases.record_event(locked, wf.A.ADD_NOTE, user, moved.from_status, note, photos=len(ready))
    return locked


@transaction.atomic
def return_to_desk(report: Report, user, reason: str) -> Report:
    """Not this unit's matter: back to the 1022 desk for triage again, with the reason."""
    reason = _required(reason, _("Say why the report is not your unit's."))
    moved = _transition(report, wf.A.RETURN_TO_DESK, user)
    locked = moved.case
    locked.assignments.filter(status__in=[Assignment.Status.ACTIVE, Assignment.Status.PASSED_DOWN]).update(
        status=Assignment.Status.WITHDRAWN, finished_at=timezone.now()
    )
    locked.unit = intake_unit()
    locked.due_date = None
    _save(locked)
    cases.record_event(locked, wf.A.RETURN_TO_DESK, user, moved.from_status, reason)
    return locked


@transaction.atomic
def submit_answer(report: Report, user, text: str) -> Report:
    text = _required(text, _("Write the answer."))
    moved = _transition(report, wf.A.SUBMIT_ANSWER, user)
    locked = moved.case
    locked.answer_draft = text
    _save(locked)
    cases.record_event(locked, wf.A.SUBMIT_ANSWER, user, moved.from_status, text)
    return locked


def public_search_text(report: Report) -> str:
    # Not the tracking code: its "pa" would be in every row (codes have their own look-up box).
    return fold(
        " ".join(
            [
                report.category.name,
                report.address,
                mask_personal_data(report.description),
                mask_personal_data(report.answer),
            ]
        )
    )


def _timeliness(done_on: date, due: date | None) -> str:
    return Timeliness.LATE if due and done_on > due else Timeliness.ON_TIME


@transaction.atomic
def approve_answer(report: Report, leader, text: str = "") -> Report:
    """The unit's leader approves the draft (possibly edited): published, the reporter told."""
    moved = _transition(report, wf.A.APPROVE, leader)
    locked = moved.case
    final = (text or "").strip() or locked.answer_draft
    final = _required(final, _("Write the answer."))
    now = timezone.now()
    today = workdays.local(now).date()
    active = _active(locked)
    # Every open assignment of this round ends now, each judged against its own deadline.
    node = active
    while node is not None:
        node.status = Assignment.Status.DONE
        node.finished_at = now
        node.timeliness = _timeliness(today, node.due_date)
        node.save(update_fields=["status", "finished_at", "timeliness"])
        node = node.parent if node.parent_id and node.parent.status != Assignment.Status.DONE else None
    locked.answer = mask_personal_data(final)
    locked.answer_draft = final
    locked.answered_unit = active.unit
    locked.answered_at = now
    locked.published_at = locked.published_at or now
    locked.timeliness = _timeliness(today, locked.due_date)
    locked.search_text = public_search_text(locked)
    _save(locked)
    cases.record_event(locked, wf.A.APPROVE, leader, moved.from_status, final, timeliness=locked.timeliness)
    _notify(locked, Notification.Kind.ANSWERED, str(locked.round))
    return locked


@transaction.atomic
def send_back(report: Report, leader, note: str) -> Report:
    note = _required(note, _("Say what must be changed."))
    moved = _transition(report, wf.A.SEND_BACK, leader)
    locked = moved.case
    _save(locked)
    cases.record_event(locked, wf.A.SEND_BACK, leader, moved.from_status, note)
    return locked


# --- the reporter ------------------------------------------------------------------------


@transaction.atomic
def rate_report(report: Report, actor, score, comment: str = "") -> Rating:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": [_("Choose from 1 to 5 stars.")]})
    comment = (comment or "").strip()
    if "\x00" in comment or len(comment) > 2000:
        raise ValidationError(
            {"comment": [_("At most %(max)s characters, no null characters.") % {"max": 2000}]}
        )
    locked = cases.lock(report)
    wf.check(locked, wf.A.RATE, actor)
    rating = Rating.objects.create(report=locked, round=locked.round, score=score, comment=comment)
    _save(locked)
    cases.record_event(locked, wf.A.RATE, actor, locked.status, score=score)
    return rating


@transaction.atomic
def reopen_report(report: Report, actor, reason: str) -> Assignment:
    """Unhappy with the answer: once, within the rules' days, back to the unit that answered."""
    reason = _required(reason, _("Say why the answer does not solve the problem."))
    moved = _transition(report, wf.A.REOPEN, actor)
    locked = moved.case
    now = timezone.now()
    unit = locked.answered_unit or locked.unit
    due = workdays.due_date(now, locked.category.working_days)
    assignment = Assignment.objects.create(
        report=locked, unit=unit, assigned_at=now, due_date=due, note=reason
    )
    locked.unit = unit
    locked.due_date = due
    locked.round += 1
    locked.reopened_at = now
    locked.timeliness = ""
    _save(locked)
    cases.record_event(locked, wf.A.REOPEN, actor, moved.from_status, reason, due_date=due.isoformat())
    return assignment


# --- Open311 API clients ----------------------------------------------------------------------


def issue_api_key(client: ApiClient) -> str:
    """A new key for ``client`` (saved); only its SHA-256 is kept, so the key is shown once."""
    key = secrets.token_urlsafe(30)
    client.key_prefix = key[:8]
    client.key_hash = _digest(key)
    client.save()
    return key


def api_client_for(key: str) -> ApiClient | None:
    if not key or len(key) > 100 or "\x00" in key:
        return None
    client = ApiClient.objects.filter(key_hash=_digest(key), active=True).first()
    if client is not None:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
