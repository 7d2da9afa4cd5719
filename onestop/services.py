"""Every write of the one-stop desk: the app's public API.

Each service validates before writing, runs in one transaction, locks the
dossier row (``select_for_update``), asks the workflow whether the step is
allowed (raising :class:`WorkflowError` with a reason otherwise), appends a
:class:`DossierEvent`, records the audit trail, and queues side effects
(citizen e-mails) in the notification outbox, sent after the commit. If
Redis is down the action still commits; the periodic sweep sends later.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop import workflow as wf
from onestop.models import (
    Channel,
    Dossier,
    DossierFile,
    DossierStatus,
    DossierStep,
    Evaluation,
    Notification,
    Payment,
    PaymentStatus,
    Rating,
    Service,
    SupplementRequest,
    Timeliness,
)
from onestop.workflow import DossierAction, WorkflowError
from portal import cases, outbox, roles, workdays
from portal.models import Unit
from portal.uploads import CITIZEN_DOCUMENTS, check_upload, store, store_bytes
from portal.validators import normalize_mobile, validate_cccd, validate_mobile
from portal.workflow import actor_user

log = logging.getLogger(__name__)

__all__ = [
    "WorkflowError",
    "create_draft",
    "update_draft",
    "attach_file",
    "remove_draft_file",
    "submit_dossier",
    "confirm_payment",
    "register_walk_in",
    "accept_dossier",
    "request_supplement",
    "reject_dossier",
    "provide_supplement",
    "assign_step",
    "hand_over",
    "submit_for_approval",
    "approve_dossier",
    "result_file",
    "send_back",
    "refuse_dossier",
    "reschedule_dossier",
    "return_result",
    "rate_dossier",
    "withdraw_dossier",
    "stop_processing",
    "evaluate",
    "start_payment",
    "next_dossier_code",
]


# --- helpers: the kernel's locked transition, history and outbox -----------------------

OUTBOX = "onestop"
RELATED = ("service", "receiving_unit")


def _locked(dossier: Dossier) -> Dossier:
    return cases.lock(dossier, *RELATED)


def _transition(dossier: Dossier, action: str, actor) -> tuple[Dossier, str, str]:
    """Lock, check and move the dossier; returns (locked dossier, from, to)."""
    moved = cases.transition(wf.WORKFLOW, dossier, action, actor, *RELATED)
    return moved.case, moved.from_status, moved.to_status


_event = cases.record_event


def _notify_citizen(dossier: Dossier, kind: str, suffix: str = "") -> None:
    """Queue a citizen e-mail once (the key makes a second call a no-op)."""
    if not dossier.applicant_email:
        return
    key = f"{kind}:{dossier.pk}{':' + suffix if suffix else ''}"
    outbox.notify(OUTBOX, key, kind=kind, dossier=dossier, recipient=dossier.applicant_email)


def _refresh_units(dossier: Dossier) -> None:
    """The scoping column: the receiving desk sees what it received, the competent unit
    and every step's unit what they handle; no other unit sees the dossier."""
    ids = {
        dossier.receiving_unit_id,
        dossier.competent_unit_id,
        *dossier.steps.values_list("unit_id", flat=True),
    }
    dossier.unit_ids = sorted(i for i in ids if i)


def _competent_unit(service: Service, receiving_unit: Unit, competent_unit: Unit | None) -> Unit:
    """The unit that decides a dossier received at ``receiving_unit``'s desk.

    A service is received by its competent units' desks, and, when it is flagged
    receivable regardless of boundary (phi địa giới, Decree 118/2025), by every
    ward and commune desk of the province, which routes it to the competent unit.
    """
    from onestop.selectors import competent_units_for, receives

    if not receives(receiving_unit, service):
        raise ValidationError({"receiving_unit": [_("This unit does not receive this service.")]})
    if competent_unit is None:
        if competent_units_for(service, receiving_unit).filter(pk=receiving_unit.pk).exists():
            return receiving_unit
        raise ValidationError({"competent_unit": [_("Choose the unit competent to decide the dossier.")]})
    if not competent_units_for(service, receiving_unit).filter(pk=competent_unit.pk).exists():
        raise ValidationError({"competent_unit": [_("This unit is not competent for this service.")]})
    return competent_unit


def next_dossier_code(unit: Unit, day: date | None = None) -> str:
    """``<agency id>-YYMMDD-XXXX``: a 4-digit sequence per receiving unit per day.

    One atomic upsert, so concurrent receipts never share a number.
    """
    day = day or workdays.today()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO onestop_dossiercounter (unit_id, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (unit_id, day) DO UPDATE SET last = onestop_dossiercounter.last + 1
            RETURNING last
            """,
            [unit.pk, day],
        )
        (sequence,) = cursor.fetchone()
    if sequence > 9999:
        raise ValidationError(_("The desk has used every dossier number for today."))
    return f"{unit.dossier_prefix}-{day:%y%m%d}-{sequence:04d}"


APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_birth_date",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "request_summary",
)


def _clean_applicant(data: dict) -> dict:
    """Validate applicant data before any write; raise ValidationError with every problem."""
    errors: dict[str, list] = {}
    cleaned = {k: data.get(k) for k in APPLICANT_FIELDS if k in data}
    for required in ("applicant_name", "applicant_id_number", "applicant_address", "applicant_phone"):
        if not (cleaned.get(required) or "").strip():
            errors.setdefault(required, []).append(_("This field is required."))
    if cleaned.get("applicant_id_number") and "applicant_id_number" not in errors:
        try:
            validate_cccd(cleaned["applicant_id_number"].strip(), cleaned.get("applicant_birth_date"))
        except ValidationError as exc:
            errors.setdefault("applicant_id_number", []).extend(exc.messages)
    if cleaned.get("applicant_phone") and "applicant_phone" not in errors:
        try:
            validate_mobile(cleaned["applicant_phone"])
            cleaned["applicant_phone"] = normalize_mobile(cleaned["applicant_phone"])
        except ValidationError as exc:
            errors.setdefault("applicant_phone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for key in ("applicant_name", "applicant_address", "applicant_id_number"):
        if key in cleaned and cleaned[key]:
            cleaned[key] = cleaned[key].strip()
    return cleaned


def _plan_steps(dossier: Dossier) -> None:
    """Create the dossier's steps from the service's chain (once, at acceptance)."""
    if dossier.steps.exists():
        return
    # Steps without a unit of their own are the competent unit's (the receiving desk's
    # own unit unless the dossier was received elsewhere, phi địa giới).
    competent_id = dossier.competent_unit_id or dossier.receiving_unit_id
    steps = []
    for template in dossier.service.steps.all().order_by("order"):
        steps.append(
            DossierStep(
                dossier=dossier,
                order=template.order,
                name=template.name,
                unit_id=template.unit_id or competent_id,
                working_days=template.working_days,
            )
        )
    if not steps:  # a service without a chain is processed by the competent unit
        steps.append(
            DossierStep(
                dossier=dossier,
                order=1,
                name=_("Processing"),
                unit_id=competent_id,
                working_days=dossier.service.processing_days,
            )
        )
    DossierStep.objects.bulk_create(steps)


def _cutoff(dossier: Dossier):
    from onestop import law

    return law.regime_for(dossier).transfer_cutoff


def _schedule(dossier: Dossier, start_at, from_order: int = 1) -> None:
    """Lay out the due dates of the steps from ``from_order`` on, starting at ``start_at``.

    The 15:00 rule (Decree 61/2018 Art. 19(1); the cut-off is regime data):
    processing starts on the transfer day (the same working day up to 15:00:00,
    otherwise the next working day); each step's due date follows the
    previous one's by the step's working days.
    """
    base = workdays.transfer_date(start_at, _cutoff(dossier))
    running = base
    for step in dossier.steps.filter(order__gte=from_order).order_by("order"):
        running = workdays.add_working_days(running, step.working_days)
        step.due_date = running
        step.save(update_fields=["due_date"])
    dossier.due_date = running


def first_promised_date(dossier: Dossier) -> date | None:
    """The appointment date first given to the applicant (the acceptance's, from the history)."""
    event = dossier.events.filter(action=DossierAction.ACCEPT).order_by("at", "id").first()
    if event is not None and event.data.get("due_date"):
        return date.fromisoformat(event.data["due_date"])
    return dossier.original_due_date


def _restart_clock(dossier: Dossier, active: DossierStep, now) -> date:
    """The whole statutory time restarts when supplements complete the dossier.

    Decree 61/2018 Art. 19(2)(b) (DOMAIN.md §1; kept under Decree 118/2025
    until confirmed otherwise [open]): the new appointment date is the
    supplement's transfer day plus the service's **full** working days, and
    it is never earlier than the date first promised. The steps still to
    come are re-planned inside it: the step that asked gets back the days of
    the steps already done, the others keep theirs, and the last one ends on
    the new date. Returns the new appointment date.
    """
    base = workdays.transfer_date(now, _cutoff(dossier))
    due = workdays.add_working_days(base, dossier.service.processing_days)
    promised = first_promised_date(dossier)
    if promised is not None and due < promised:
        due = promised
    remaining = list(dossier.steps.filter(order__gte=active.order).order_by("order"))
    spare = max(0, dossier.service.processing_days - sum(s.working_days for s in remaining))
    running = base
    for index, step in enumerate(remaining):
        days = step.working_days + (spare if index == 0 else 0)
        running = workdays.add_working_days(running, days)
        step.due_date = due if index == len(remaining) - 1 else min(running, due)
        step.save(update_fields=["due_date"])
    dossier.due_date = due
    return due


# --- citizen filing ----------------------------------------------------------------


@transaction.atomic
def create_draft(
    service: Service,
    receiving_unit: Unit,
    data: dict,
    user=None,
    channel=Channel.ONLINE,
    competent_unit: Unit | None = None,
) -> Dossier:
    if not service.active:
        raise ValidationError(_("This service is no longer offered."))
    if channel == Channel.ONLINE and not service.files_online:
        raise ValidationError(_("This service is filed in person or by post, not online."))
    competent = _competent_unit(service, receiving_unit, competent_unit)
    cleaned = _clean_applicant(data)
    dossier = Dossier(
        service=service,
        receiving_unit=receiving_unit,
        competent_unit=competent,
        channel=channel,
        status=DossierStatus.DRAFT,
        applicant_user=user if getattr(user, "is_authenticated", False) and not user.is_staff else None,
        draft_token=secrets.token_urlsafe(24),
        fee_amount=service.fee,
        consent_at=timezone.now() if data.get("consent") else None,
        **cleaned,
    )
    dossier.unit_ids = sorted({receiving_unit.pk, competent.pk})
    dossier.save()
    _event(dossier, DossierAction.CREATE_DRAFT, user, "")
    return dossier


@transaction.atomic
def update_draft(dossier: Dossier, data: dict, actor) -> Dossier:
    locked = _locked(dossier)
    if locked.status != DossierStatus.DRAFT:
        raise WorkflowError(_("Only a draft can be edited."))
    if isinstance(actor, wf.Citizen) and actor.case_id != locked.pk:
        raise WorkflowError(_("This step is taken by the applicant."))
    cleaned = _clean_applicant({**{k: getattr(locked, k) for k in APPLICANT_FIELDS}, **data})
    for key, value in cleaned.items():
        setattr(locked, key, value)
    if data.get("consent"):
        locked.consent_at = locked.consent_at or timezone.now()
    locked.save()
    return locked


@transaction.atomic
def attach_file(dossier: Dossier, uploaded, actor, required_document=None, kind=DossierFile.Kind.APPLICATION):
    """Check an upload by content and store it privately under a generated name."""
    checked = check_upload(uploaded, CITIZEN_DOCUMENTS)  # before the lock: a bad file writes nothing
    locked = _locked(dossier)
    if kind in (DossierFile.Kind.APPLICATION, DossierFile.Kind.SCAN) and locked.status != DossierStatus.DRAFT:
        raise WorkflowError(_("Documents can be added only to a draft; use supplements afterwards."))
    if required_document is not None and required_document.service_id != locked.service_id:
        raise ValidationError(_("This document does not belong to the service."))
    record = DossierFile(dossier=locked, required_document=required_document, kind=kind)
    store(record, uploaded, CITIZEN_DOCUMENTS, checked=checked)
    record.save()
    return record


@transaction.atomic
def remove_draft_file(dossier: Dossier, dossier_file: DossierFile, actor) -> None:
    """The applicant replaces a document of a draft: the row goes now, the stored file after the commit."""
    locked = _locked(dossier)
    if locked.status != DossierStatus.DRAFT:
        raise WorkflowError(_("Only a draft can be edited."))
    if isinstance(actor, wf.Citizen) and actor.case_id != locked.pk:
        raise WorkflowError(_("This step is taken by the applicant."))
    record = locked.files.select_for_update().get(pk=dossier_file.pk, kind=DossierFile.Kind.APPLICATION)
    storage, name = record.file.storage, record.file.name
    record.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _missing_documents(dossier: Dossier) -> list[str]:
    provided = set(dossier.files.values_list("required_document_id", flat=True))
    return [doc.name for doc in dossier.service.documents.filter(mandatory=True) if doc.pk not in provided]


@transaction.atomic
def submit_dossier(dossier: Dossier, actor) -> Dossier:
    """Submit an online draft: it gets its code; level 4 with a fee waits for payment."""
    locked = _locked(dossier)
    action = wf.SUBMIT_FOR_PAYMENT if locked.service.pays_online else wf.SUBMIT
    to_status = wf.check(locked, action, actor)
    problems = {}
    if not locked.consent_at:
        problems["consent"] = [_("Please agree to the processing of your personal data.")]
    missing = _missing_documents(locked)
    if missing:
        problems["documents"] = [_("Missing document: %(name)s") % {"name": name} for name in missing]
    if problems:
        raise ValidationError(problems)
    from_status = locked.status
    now = timezone.now()
    locked.status = to_status
    locked.code = next_dossier_code(locked.receiving_unit, workdays.local(now).date())
    locked.submitted_at = now
    # Provisional appointment, confirmed when the desk accepts the dossier.
    locked.due_date = workdays.due_date(now, locked.service.processing_days, _cutoff(locked))
    locked.payment_status = (
        PaymentStatus.PENDING if action == wf.SUBMIT_FOR_PAYMENT else PaymentStatus.NOT_REQUIRED
    )
    locked.save()
    _event(locked, action, actor, from_status)
    return locked


@transaction.atomic
def start_payment(dossier: Dossier) -> Payment:
    """Open a payment for a dossier awaiting payment (or reuse the pending one)."""
    locked = _locked(dossier)
    if locked.status != DossierStatus.AWAITING_PAYMENT:
        raise WorkflowError(_("This dossier is not awaiting payment."))
    pending = locked.payments.filter(status=Payment.Status.PENDING).first()
    if pending:
        return pending
    return Payment.objects.create(
        dossier=locked,
        txn_ref=f"{locked.pk}{timezone.now():%H%M%S}{secrets.randbelow(10**9):09d}",
        amount=locked.fee_amount,
    )


@transaction.atomic
def confirm_payment(
    payment: Payment,
    *,
    paid: bool,
    provider_txn_no: str = "",
    bank_code: str = "",
    response_code: str = "",
    raw: dict | None = None,
) -> Payment:
    """Record the gateway's verdict (idempotent: a repeated callback changes nothing)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status != Payment.Status.PENDING:
        return payment
    payment.status = Payment.Status.PAID if paid else Payment.Status.FAILED
    payment.paid_at = timezone.now() if paid else None
    payment.provider_txn_no = provider_txn_no
    payment.bank_code = bank_code
    payment.response_code = response_code
    payment.raw = raw or {}
    payment.save()
    if paid:
        locked, from_status, _to = _transition(payment.dossier, wf.CONFIRM_PAYMENT, wf.PAYMENT_GATEWAY)
        locked.payment_status = PaymentStatus.PAID
        locked.save()
        _event(
            locked,
            wf.CONFIRM_PAYMENT,
            wf.PAYMENT_GATEWAY,
            from_status,
            amount=payment.amount,
            txn_ref=payment.txn_ref,
        )
    return payment


# --- the desk ---------------------------------------------------------------------


@transaction.atomic
def register_walk_in(
    service: Service,
    officer,
    data: dict,
    channel=Channel.DESK,
    documents=(),
    competent_unit: Unit | None = None,
    scans=(),
    scan_exemption=None,
) -> Dossier:
    """A dossier brought to the desk: recorded and numbered, then checked (accept / supplement / refuse).

    ``documents``: the service's required documents the officer checked as received (kept in the event).
    ``competent_unit``: the unit that decides it when the desk receives another unit's service
    (phi địa giới); the code is the receiving desk's.
    ``scans``: ``(required document or None, uploaded file)`` pairs: the paper documents scanned
    into the electronic dossier (Circular 03/2025 Art. 5), unless ``scan_exemption`` says why not.
    """
    unit = officer.unit
    if unit is None or not (officer.is_superuser or officer.has_role(roles.ONESTOP_OFFICER)):
        raise WorkflowError(_("Only one-stop officers take this step."))
    scans = [(doc, f) for doc, f in scans if f]
    for _doc, f in scans:  # validate every file before any write
        check_upload(f, CITIZEN_DOCUMENTS)
    if scans and scan_exemption is not None:
        raise ValidationError(
            {"scan_exemption": [_("Either scan the documents or give the reason, not both.")]}
        )
    if not scans and scan_exemption is None:
        raise ValidationError(
            {"scan_exemption": [_("Scan the paper documents, or give the reason they are not scanned.")]}
        )
    dossier = create_draft(service, unit, data, channel=channel, competent_unit=competent_unit)
    for doc, f in scans:
        attach_file(dossier, f, officer, required_document=doc, kind=DossierFile.Kind.SCAN)
    dossier.scan_exemption = scan_exemption
    now = timezone.now()
    dossier.status = DossierStatus.SUBMITTED
    dossier.code = next_dossier_code(unit, workdays.local(now).date())
    dossier.submitted_at = now
    dossier.consent_at = dossier.consent_at or now
    dossier.visits = 1
    dossier.save()
    received = [{"id": d.pk, "name": d.name} for d in documents if d.service_id == service.pk]
    _event(dossier, DossierAction.REGISTER_WALK_IN, officer, DossierStatus.DRAFT, documents=received)
    return dossier


@transaction.atomic
def accept_dossier(dossier: Dossier, officer, note: str = "") -> Dossier:
    """Form 01: the dossier is complete; it gets its appointment date and goes to processing."""
    locked, from_status, _to = _transition(dossier, wf.ACCEPT, officer)
    now = timezone.now()
    locked.received_at = now
    locked.received_by = actor_user(officer)
    locked.processing_started_at = now
    _plan_steps(locked)
    _schedule(locked, now)
    locked.original_due_date = locked.due_date
    first = locked.steps.order_by("order").first()
    first.status = DossierStep.Status.ACTIVE
    first.started_at = now
    first.save(update_fields=["status", "started_at"])
    _refresh_units(locked)
    locked.save()
    _event(locked, wf.ACCEPT, officer, from_status, note, due_date=locked.due_date.isoformat())
    _notify_citizen(locked, Notification.Kind.CITIZEN_RECEIVED)
    return locked


def _clean_items(items: list[dict]) -> list[dict]:
    """Each item: its name, its reason and, when picked from the service's list, the document's id."""
    cleaned = []
    for i in items:
        if not (i.get("name") or "").strip():
            continue
        item = {"name": i["name"].strip(), "reason": (i.get("reason") or "").strip()}
        if i.get("document_id"):
            item["document_id"] = int(i["document_id"])
        cleaned.append(item)
    if not cleaned:
        raise ValidationError(_("List every missing item, with its reason."))
    if any(not i["reason"] for i in cleaned):
        raise ValidationError(_("Give the reason for every missing item."))
    return cleaned


@transaction.atomic
def request_supplement(dossier: Dossier, user, items: list[dict], note: str = "") -> SupplementRequest:
    """Form 02 at reception, or a processing unit's request within 3 working days of receipt."""
    items = _clean_items(items)
    locked = _locked(dossier)
    own = set(locked.service.documents.values_list("pk", flat=True))
    if any(i.get("document_id") not in own for i in items if "document_id" in i):
        raise ValidationError(_("This document does not belong to the service."))
    action = (
        wf.REQUEST_SUPPLEMENT
        if locked.status == DossierStatus.SUBMITTED
        else wf.REQUEST_SUPPLEMENT_PROCESSING
    )
    to_status = wf.check(locked, action, user)
    from_status = locked.status
    stage = (
        SupplementRequest.Stage.DESK
        if action == wf.REQUEST_SUPPLEMENT
        else SupplementRequest.Stage.PROCESSING
    )
    unit = locked.receiving_unit
    if stage == SupplementRequest.Stage.PROCESSING:
        step = locked.steps.get(status=DossierStep.Status.ACTIVE)
        unit = step.unit
    request = SupplementRequest.objects.create(
        dossier=locked, stage=stage, unit=unit, requested_by=actor_user(user), items=items, note=note
    )
    locked.status = to_status
    locked.save()
    _event(locked, action, user, from_status, note, items=items)
    _notify_citizen(locked, Notification.Kind.CITIZEN_SUPPLEMENT, str(request.pk))
    return request


@transaction.atomic
def reject_dossier(dossier: Dossier, officer, reasons: str) -> Dossier:
    """Form 03: refused at reception, with reasons."""
    if not (reasons or "").strip():
        raise ValidationError(_("Give the reasons for refusing the dossier."))
    locked, from_status, _to = _transition(dossier, wf.REJECT, officer)
    locked.result_note = reasons.strip()
    locked.decided_at = timezone.now()
    locked.save()
    _event(locked, wf.REJECT, officer, from_status, reasons)
    _notify_citizen(locked, Notification.Kind.CITIZEN_REFUSED)
    return locked


@transaction.atomic
def provide_supplement(dossier: Dossier, actor, files=(), note: str = "") -> Dossier:
    """The missing documents arrived. At reception the dossier is checked again;
    during processing the whole processing time restarts from zero (:func:`_restart_clock`).

    ``files``: uploaded files, or ``(required document or None, file)`` pairs saying which
    required document each one answers.
    """
    files = [f if isinstance(f, tuple) else (None, f) for f in files]
    files = [(doc, f) for doc, f in files if f]
    for _doc, f in files:  # validate every file before any write
        check_upload(f)
    locked = _locked(dossier)
    request = locked.supplement_requests.filter(answered_at__isnull=True).last()
    action = wf.RESUME_PROCESSING if request and request.stage == "processing" else wf.PROVIDE_SUPPLEMENT
    to_status = wf.check(locked, action, actor)
    from_status = locked.status
    for doc, f in files:
        attach_file(locked, f, actor, required_document=doc, kind=DossierFile.Kind.SUPPLEMENT)
    now = timezone.now()
    request.answered_at = now
    request.save(update_fields=["answered_at"])
    locked.status = to_status
    if not isinstance(actor, wf.Citizen) and not files:
        locked.visits += 1  # brought to the desk in person
    data = {}
    if action == wf.RESUME_PROCESSING:
        step = locked.steps.get(status=DossierStep.Status.ACTIVE)
        old_due = locked.due_date
        step.started_at = now
        step.save(update_fields=["started_at"])
        _restart_clock(locked, step, now)
        # Timeliness is judged against the restarted date (return_result reads original_due_date).
        locked.original_due_date = locked.due_date
        data = {
            "old_due_date": old_due.isoformat() if old_due else None,
            "due_date": locked.due_date.isoformat(),
        }
    locked.save()
    _event(locked, action, actor, from_status, note, **data)
    return locked


# --- processing -------------------------------------------------------------------


@transaction.atomic
def assign_step(dossier: Dossier, leader, assignee) -> DossierStep:
    locked, from_status, _to = _transition(dossier, wf.ASSIGN, leader)
    step = locked.steps.select_for_update().get(status=DossierStep.Status.ACTIVE)
    if assignee.unit_id != step.unit_id or not assignee.is_active:
        raise ValidationError(_("The assignee must be active staff of %(unit)s.") % {"unit": step.unit})
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    locked.save()
    _event(locked, wf.ASSIGN, leader, from_status, assignee=str(assignee), step=step.order)
    return step


def _timeliness(done_on: date, due: date) -> str:
    if done_on < due:
        return Timeliness.EARLY
    if done_on == due:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def _finish_active_step(dossier: Dossier, now, user=None) -> DossierStep:
    step = dossier.steps.select_for_update().get(status=DossierStep.Status.ACTIVE)
    step.status = DossierStep.Status.DONE
    step.finished_at = now
    step.finished_by = actor_user(user)
    step.timeliness = _timeliness(workdays.local(now).date(), step.due_date)
    step.save(update_fields=["status", "finished_at", "finished_by", "timeliness"])
    return step


@transaction.atomic
def hand_over(dossier: Dossier, user, note: str = "") -> DossierStep:
    """Liên thông: the current unit hands the dossier to the next unit of the chain."""
    locked, from_status, _to = _transition(dossier, wf.HAND_OVER, user)
    now = timezone.now()
    done = _finish_active_step(locked, now, user)
    following = locked.steps.filter(order__gt=done.order).order_by("order").first()
    following.status = DossierStep.Status.ACTIVE
    following.started_at = now
    following.save(update_fields=["status", "started_at"])
    locked.save()
    _event(
        locked,
        wf.HAND_OVER,
        user,
        from_status,
        note,
        step=done.order,
        timeliness=done.timeliness,
        to_unit=str(following.unit),
    )
    return following


@transaction.atomic
def submit_for_approval(dossier: Dossier, user, note: str = "") -> Dossier:
    locked, from_status, _to = _transition(dossier, wf.SUBMIT_FOR_APPROVAL, user)
    locked.save()
    _event(locked, wf.SUBMIT_FOR_APPROVAL, user, from_status, note)
    return locked


@transaction.atomic
def approve_dossier(dossier: Dossier, leader, note: str = "") -> Dossier:
    """The leader approves: the result is ready (and, for level 4, delivered online as a PDF).

    The result PDF is rendered after the commit, not under the row lock (and
    on demand by :func:`result_file` if that did not happen).
    """
    locked, from_status, _to = _transition(dossier, wf.APPROVE, leader)
    now = timezone.now()
    _finish_active_step(locked, now, leader)
    locked.decided_at = now
    locked.result_note = note
    locked.save()
    _event(locked, wf.APPROVE, leader, from_status, note)
    _notify_citizen(locked, Notification.Kind.CITIZEN_RESULT)
    transaction.on_commit(lambda: _result_after_commit(locked.pk))
    return locked


RESULT_LOCK = 0x72657375  # advisory lock namespace of result files ("resu")


def result_file(dossier: Dossier) -> DossierFile | None:
    """The stored result PDF of an approved dossier, rendered and stored now if it is missing.

    Rendering happens outside any transaction; storing takes an advisory lock
    on the dossier (not its row), so two requests at once store one file.
    """
    if dossier.status not in (DossierStatus.RESULT_READY, DossierStatus.RETURNED):
        return None
    stored = dossier.files.filter(kind=DossierFile.Kind.RESULT).order_by("-uploaded_at", "-id").first()
    if stored is not None:
        return stored
    from onestop import letters

    content = letters.result_pdf(dossier)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RESULT_LOCK, dossier.pk])
        stored = dossier.files.filter(kind=DossierFile.Kind.RESULT).first()
        if stored is None:
            stored = DossierFile(dossier=dossier, kind=DossierFile.Kind.RESULT)
            store_bytes(stored, content, f"ket-qua-{dossier.code}.pdf", "application/pdf")
            stored.save()
    return stored


def _result_after_commit(dossier_id: int) -> None:
    try:
        result_file(Dossier.objects.select_related(*RELATED).get(pk=dossier_id))
    except Exception:  # noqa: BLE001 - rendered on demand later; the approval stands
        log.exception("result PDF of dossier %s not rendered after approval", dossier_id)


@transaction.atomic
def send_back(dossier: Dossier, leader, note: str) -> Dossier:
    if not (note or "").strip():
        raise ValidationError(_("Say what must be reworked."))
    locked, from_status, _to = _transition(dossier, wf.SEND_BACK, leader)
    locked.save()
    _event(locked, wf.SEND_BACK, leader, from_status, note)
    return locked


@transaction.atomic
def refuse_dossier(dossier: Dossier, user, reasons: str) -> Dossier:
    """An ineligible request is refused in writing, with reasons, within the time limit."""
    if not (reasons or "").strip():
        raise ValidationError(_("Give the reasons for the refusal."))
    locked, from_status, _to = _transition(dossier, wf.REFUSE, user)
    now = timezone.now()
    if locked.steps.filter(status=DossierStep.Status.ACTIVE).exists():
        _finish_active_step(locked, now, user)
    locked.result_note = reasons.strip()
    locked.decided_at = now
    locked.save()
    _event(locked, wf.REFUSE, user, from_status, reasons)
    _notify_citizen(locked, Notification.Kind.CITIZEN_REFUSED)
    return locked


@transaction.atomic
def reschedule_dossier(dossier: Dossier, user, new_date: date, reason: str) -> Dossier:
    """Form 04: the unit that will be late apologises and sets a new date, once only."""
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for the delay."))
    locked = _locked(dossier)
    to_status = wf.check(locked, wf.RESCHEDULE, user)
    if new_date <= locked.due_date:
        raise ValidationError(_("The new date must be after the current appointment date."))
    if not workdays.is_working_day(new_date):
        raise ValidationError(_("The new date must be a working day."))
    from_status = locked.status
    old = locked.due_date
    locked.status = to_status
    locked.due_date = new_date
    locked.rescheduled = True
    # Steps not yet done move by the same delay, none beyond the new date; the last ends on it.
    delay = workdays.working_days_between(old, new_date)
    open_steps = list(locked.steps.exclude(status=DossierStep.Status.DONE).order_by("order"))
    for index, step in enumerate(open_steps):
        last = index == len(open_steps) - 1
        step.due_date = new_date if last else min(workdays.add_working_days(step.due_date, delay), new_date)
        step.save(update_fields=["due_date"])
    locked.save()
    _event(
        locked,
        wf.RESCHEDULE,
        user,
        from_status,
        reason,
        old_due_date=old.isoformat(),
        due_date=new_date.isoformat(),
    )
    _notify_citizen(locked, Notification.Kind.CITIZEN_RESCHEDULED)
    return locked


def _stop(dossier: Dossier, action: str, actor, reasons: str) -> Dossier:
    if not (reasons or "").strip():
        raise ValidationError(_("Give the reasons for stopping the processing."))
    locked, from_status, _to = _transition(dossier, action, actor)
    now = timezone.now()
    if locked.steps.filter(status=DossierStep.Status.ACTIVE).exists():
        _finish_active_step(locked, now, actor)
    locked.result_note = reasons.strip()
    locked.decided_at = now
    locked.save()
    _event(locked, action, actor, from_status, reasons)
    return locked


@transaction.atomic
def withdraw_dossier(dossier: Dossier, actor, reasons: str) -> Dossier:
    """The applicant withdraws the dossier (in person at the desk, or themselves): processing stops.

    Decree 118/2025 with form 05 of Circular 03/2025/TT-VPCP (*Thông báo dừng
    giải quyết hồ sơ*); only under a regime that provides for it (data:
    ``LegalRegime.allows_stop``). The grounds for a stop beyond a withdrawal
    were not confirmed [open]: the reasons are free text.
    """
    return _stop(dossier, wf.WITHDRAW, actor, reasons)


@transaction.atomic
def stop_processing(dossier: Dossier, user, reasons: str) -> Dossier:
    """The agency holding the dossier stops processing it, with reasons (form 05, Circular 03/2025)."""
    return _stop(dossier, wf.STOP_PROCESSING, user, reasons)


@transaction.atomic
def return_result(dossier: Dossier, officer, note: str = "") -> Dossier:
    """The result is handed back; early / on time / late is decided now, against the first date."""
    locked, from_status, _to = _transition(dossier, wf.RETURN_RESULT, officer)
    now = timezone.now()
    locked.returned_at = now
    locked.timeliness = _timeliness(workdays.local(now).date(), locked.original_due_date or locked.due_date)
    locked.save()
    evaluate(locked)
    _event(locked, wf.RETURN_RESULT, officer, from_status, note, timeliness=locked.timeliness)
    return locked


TIMELINESS_POINTS = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}


def _count_points(count: int) -> int:
    """Decree 61 indicators 3 and 4: none (or only the desk) 2 points, one 1 point, more 0."""
    return 2 if count <= 0 else 1 if count == 1 else 0


def data_indicators(dossier: Dossier) -> dict[str, int]:
    """The Decree 61 indicators the system knows from a returned dossier's own data.

    1 total time: the dossier's timeliness against the first appointment date.
    2 each unit's time: the worst of its steps (a late step 0, an on-time one 1, all early 2).
    3 times the applicant came back: visits in person beyond the one that filed a walk-in
      dossier (an online dossier's every visit is a coming back).
    4 agencies contacted: the units, other than the receiving desk, that asked the applicant
      for supplements (under the one-stop rule the applicant deals with the desk alone).
    """
    steps = set(dossier.steps.filter(status=DossierStep.Status.DONE).values_list("timeliness", flat=True))
    unit_time = 0 if Timeliness.LATE in steps else 1 if Timeliness.ON_TIME in steps else 2
    first_visit = 1 if dossier.channel == Channel.DESK else 0
    others = (
        dossier.supplement_requests.exclude(unit_id=dossier.receiving_unit_id)
        .values("unit_id")
        .distinct()
        .count()
    )
    return {
        "total_time": TIMELINESS_POINTS.get(dossier.timeliness, 0),
        "unit_time": unit_time,
        "visits": _count_points(max(dossier.visits - first_visit, 0)),
        "agencies": _count_points(others),
    }


def evaluate(dossier: Dossier) -> Evaluation:
    """Score a returned dossier (every one, rated or not): the data indicators now, the
    citizen's answers when they rate it. Idempotent."""
    values = {
        "unit_id": dossier.receiving_unit_id,
        "returned_at": dossier.returned_at,
        **data_indicators(dossier),
    }
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is not None:
        values.update({name: getattr(rating, name) for name in Evaluation.CITIZEN}, rated=True)
    evaluation, _created = Evaluation.objects.update_or_create(dossier=dossier, defaults=values)
    return evaluation


@transaction.atomic
def rate_dossier(dossier: Dossier, actor, scores: dict, comment: str = "") -> Rating:
    """The citizen answers what the system cannot know (publication, attitude, answers)."""
    locked = _locked(dossier)
    wf.check(locked, wf.RATE, actor)
    fields = Rating.ANSWERED
    errors = {f: [_("Choose 0, 1 or 2.")] for f in fields if scores.get(f) not in (0, 1, 2)}
    if errors:
        raise ValidationError(errors)
    rating = Rating.objects.create(
        dossier=locked, comment=(comment or "").strip(), **{f: scores[f] for f in fields}
    )
    evaluate(locked)
    _event(locked, wf.RATE, actor, locked.status, average=rating.average)
    return rating
