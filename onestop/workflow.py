"""The one-stop workflow (Decree 61/2018) as one table, and who may take each step.

``TRANSITIONS[state][action]`` is the state the action leads to. Nothing
else changes a dossier's status: services call :func:`check` before any
write, and the admin and the views ask :func:`allowed_actions` which buttons
to show. A refused step raises :class:`WorkflowError` with a reason in the
user's language, whoever asks (a button, a URL typed by hand, a stale form).

The table, the actor kinds, the permissions each action needs and the time
rules are handed to the kernel's :class:`portal.workflow.Workflow`, which
every case app uses the same way.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.models import Dossier, DossierStatus, DossierStep
from portal import roles, workdays
from portal.workflow import Citizen, SystemActor, Workflow, WorkflowError, is_user

__all__ = ["Citizen", "SYSTEM", "PAYMENT_GATEWAY", "WorkflowError", "WORKFLOW", "check", "allowed_actions"]

S = DossierStatus


class DossierAction(models.TextChoices):
    """Every action and event of a dossier's history: the workflow's actions, then other events."""

    SUBMIT = "submit", _("Submit")
    SUBMIT_FOR_PAYMENT = "submit_for_payment", _("Submit and pay")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm payment")
    ACCEPT = "accept", _("Accept (form 01)")
    REQUEST_SUPPLEMENT = "request_supplement", _("Ask for supplements (form 02)")
    REJECT = "reject", _("Refuse to receive (form 03)")
    PROVIDE_SUPPLEMENT = "provide_supplement", _("Record supplements")
    RESUME_PROCESSING = "resume_processing", _("Record supplements and resume")
    ASSIGN = "assign", _("Assign")
    REQUEST_SUPPLEMENT_PROCESSING = "request_supplement_processing", _("Ask for supplements")
    HAND_OVER = "hand_over", _("Hand over to the next unit")
    SUBMIT_FOR_APPROVAL = "submit_for_approval", _("Submit for approval")
    APPROVE = "approve", _("Approve")
    SEND_BACK = "send_back", _("Send back for processing")
    REFUSE = "refuse", _("Refuse with reasons")
    RESCHEDULE = "reschedule", _("Apologise and set a new date (form 04)")
    RETURN_RESULT = "return_result", _("Return the result")
    RATE = "rate", _("Rate the service")
    WITHDRAW = "withdraw", _("Record the applicant's withdrawal (notice of stop)")
    STOP_PROCESSING = "stop_processing", _("Stop processing (notice of stop)")
    # Events that are not workflow actions
    CREATE_DRAFT = "create_draft", _("Draft created")
    REGISTER_WALK_IN = "register_walk_in", _("Registered at the desk")


class Actor(models.TextChoices):
    """Who takes an action."""

    CITIZEN = "citizen", _("the applicant")
    SYSTEM = "system", _("the payment gateway")
    DESK = "desk", _("a one-stop officer of the receiving unit")
    CITIZEN_OR_DESK = "citizen_or_desk", _("the applicant or the one-stop desk")
    STEP = "step", _("staff of the unit holding the current step")
    STEP_LEADER = "step_leader", _("a leader of the unit holding the current step")


A = DossierAction
SUBMIT = A.SUBMIT
SUBMIT_FOR_PAYMENT = A.SUBMIT_FOR_PAYMENT
CONFIRM_PAYMENT = A.CONFIRM_PAYMENT
ACCEPT = A.ACCEPT
REQUEST_SUPPLEMENT = A.REQUEST_SUPPLEMENT
REJECT = A.REJECT
PROVIDE_SUPPLEMENT = A.PROVIDE_SUPPLEMENT
RESUME_PROCESSING = A.RESUME_PROCESSING
ASSIGN = A.ASSIGN
REQUEST_SUPPLEMENT_PROCESSING = A.REQUEST_SUPPLEMENT_PROCESSING
HAND_OVER = A.HAND_OVER
SUBMIT_FOR_APPROVAL = A.SUBMIT_FOR_APPROVAL
APPROVE = A.APPROVE
SEND_BACK = A.SEND_BACK
REFUSE = A.REFUSE
RESCHEDULE = A.RESCHEDULE
RETURN_RESULT = A.RETURN_RESULT
RATE = A.RATE
WITHDRAW = A.WITHDRAW
STOP_PROCESSING = A.STOP_PROCESSING

PAYMENT_GATEWAY = SystemActor(_("Payment gateway"))
SYSTEM = PAYMENT_GATEWAY  # the desk's only machine actor

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {SUBMIT: S.SUBMITTED, SUBMIT_FOR_PAYMENT: S.AWAITING_PAYMENT},
    S.AWAITING_PAYMENT: {CONFIRM_PAYMENT: S.SUBMITTED},
    S.SUBMITTED: {
        ACCEPT: S.PROCESSING,
        REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
        REJECT: S.REJECTED,
        WITHDRAW: S.STOPPED,
    },
    S.SUPPLEMENT_REQUESTED: {
        PROVIDE_SUPPLEMENT: S.SUBMITTED,
        RESUME_PROCESSING: S.PROCESSING,
        WITHDRAW: S.STOPPED,
        STOP_PROCESSING: S.STOPPED,
    },
    S.PROCESSING: {
        ASSIGN: S.PROCESSING,
        REQUEST_SUPPLEMENT_PROCESSING: S.SUPPLEMENT_REQUESTED,
        HAND_OVER: S.PROCESSING,
        SUBMIT_FOR_APPROVAL: S.AWAITING_APPROVAL,
        REFUSE: S.REFUSED,
        RESCHEDULE: S.PROCESSING,
        WITHDRAW: S.STOPPED,
        STOP_PROCESSING: S.STOPPED,
    },
    S.AWAITING_APPROVAL: {
        APPROVE: S.RESULT_READY,
        SEND_BACK: S.PROCESSING,
        REFUSE: S.REFUSED,
        RESCHEDULE: S.AWAITING_APPROVAL,
        WITHDRAW: S.STOPPED,
        STOP_PROCESSING: S.STOPPED,
    },
    S.RESULT_READY: {RETURN_RESULT: S.RETURNED},
    S.RETURNED: {RATE: S.RETURNED},
    S.REJECTED: {},
    S.REFUSED: {},
    S.STOPPED: {},
}

ACTION_LABELS = {action: action.label for action in DossierAction}

ACTORS = {
    SUBMIT: Actor.CITIZEN,
    SUBMIT_FOR_PAYMENT: Actor.CITIZEN,
    CONFIRM_PAYMENT: Actor.SYSTEM,
    ACCEPT: Actor.DESK,
    REQUEST_SUPPLEMENT: Actor.DESK,
    REJECT: Actor.DESK,
    PROVIDE_SUPPLEMENT: Actor.CITIZEN_OR_DESK,
    RESUME_PROCESSING: Actor.CITIZEN_OR_DESK,
    ASSIGN: Actor.STEP_LEADER,
    REQUEST_SUPPLEMENT_PROCESSING: Actor.STEP,
    HAND_OVER: Actor.STEP,
    SUBMIT_FOR_APPROVAL: Actor.STEP,
    APPROVE: Actor.STEP_LEADER,
    SEND_BACK: Actor.STEP_LEADER,
    REFUSE: Actor.STEP,
    RESCHEDULE: Actor.STEP,
    RETURN_RESULT: Actor.DESK,
    RATE: Actor.CITIZEN,
    WITHDRAW: Actor.CITIZEN_OR_DESK,
    STOP_PROCESSING: Actor.STEP,
}

# The permissions the dossier model declares, checked for every member of staff who acts.
RECEIVE, PROCESS, APPROVE_PERM = (
    "onestop.receive_dossier",
    "onestop.process_dossier",
    "onestop.approve_dossier",
)
PERMISSIONS = {
    ACCEPT: RECEIVE,
    REQUEST_SUPPLEMENT: RECEIVE,
    REJECT: RECEIVE,
    PROVIDE_SUPPLEMENT: RECEIVE,
    RESUME_PROCESSING: RECEIVE,
    RETURN_RESULT: RECEIVE,
    WITHDRAW: RECEIVE,
    STOP_PROCESSING: PROCESS,
    REQUEST_SUPPLEMENT_PROCESSING: PROCESS,
    HAND_OVER: PROCESS,
    SUBMIT_FOR_APPROVAL: PROCESS,
    REFUSE: PROCESS,
    RESCHEDULE: PROCESS,
    ASSIGN: APPROVE_PERM,
    APPROVE: APPROVE_PERM,
    SEND_BACK: APPROVE_PERM,
}

# A one-stop officer receives and returns; the specialist's steps stay the specialist's
# (or the leader's), unless the officer also holds that role.
ROLES = {
    HAND_OVER: (roles.SPECIALIST, roles.LEADER),
    SUBMIT_FOR_APPROVAL: (roles.SPECIALIST, roles.LEADER),
}


def _active_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(status=DossierStep.Status.ACTIVE).select_related("unit").first()


def _is_staff_of(user, unit_id) -> bool:
    return bool(user.is_superuser or (user.is_staff and user.unit_id == unit_id))


def actor_reason(dossier: Dossier, action: str, kind: str, actor) -> str | None:
    """None when ``actor`` is of the kind that takes ``action`` on ``dossier``; otherwise why not."""
    if kind == Actor.SYSTEM:
        return None if actor == PAYMENT_GATEWAY else _("Only the payment gateway confirms payments.")
    if isinstance(actor, Citizen):
        if kind in (Actor.CITIZEN, Actor.CITIZEN_OR_DESK) and actor.case_id == dossier.pk:
            return None
        return _("This step is taken by officials.")
    if not is_user(actor):
        return _("Please sign in.")
    if kind == Actor.CITIZEN:
        if dossier.applicant_user_id and dossier.applicant_user_id == actor.pk:
            return None
        return _("This step is taken by the applicant.")
    if kind in (Actor.DESK, Actor.CITIZEN_OR_DESK):
        if kind == Actor.CITIZEN_OR_DESK and dossier.applicant_user_id == actor.pk:
            return None
        if not (actor.is_superuser or actor.has_role(roles.ONESTOP_OFFICER)):
            return _("Only one-stop officers take this step.")
        if not _is_staff_of(actor, dossier.receiving_unit_id):
            return _("Only the one-stop desk that received the dossier takes this step.")
        return None
    step = _active_step(dossier)
    if step is None:
        return _("The dossier has no step in progress.")
    if not _is_staff_of(actor, step.unit_id):
        return _("The dossier is with %(unit)s; only its staff take this step.") % {"unit": step.unit}
    is_leader = actor.is_superuser or actor.has_role(roles.LEADER)
    if kind == Actor.STEP_LEADER and not is_leader:
        return _("Only a leader of the unit takes this step.")
    if kind == Actor.STEP and not (is_leader or actor.has_role(roles.SPECIALIST, roles.ONESTOP_OFFICER)):
        return _("Only specialists and leaders of the unit take this step.")
    if kind == Actor.STEP and step.assignee_id and step.assignee_id != actor.pk and not is_leader:
        return _("The step is assigned to %(name)s.") % {"name": step.assignee}
    return None


# --- guards: conditions beyond the state table (Decree 61 time rules) ----------------


def _chain_position(dossier: Dossier, action: str) -> str | None:
    step = _active_step(dossier)
    if step is None:
        return _("The dossier has no step in progress.")
    has_next = dossier.steps.filter(order__gt=step.order).exists()
    if action == HAND_OVER and not has_next:
        return _("This is the last step: submit the dossier for approval instead.")
    if action == SUBMIT_FOR_APPROVAL and has_next:
        return _("Other units still have to process the dossier: hand it over instead.")
    return None


def agency_received_at(dossier: Dossier, unit_id):
    """When the agency ``unit_id`` received the dossier: the start of its first step of the chain."""
    starts = [
        s.started_at
        for s in dossier.steps.filter(unit_id=unit_id, started_at__isnull=False).only("started_at")
    ]
    return min(starts) if starts else None


def _supplement_window(dossier: Dossier, action: str) -> str | None:
    """Decree 61/2018 Art. 19(2)(b) (kept by Decree 118/2025 [open], so the numbers are regime data):
    a processing agency may ask for supplements **once**, within the regime's window of working
    days counted from the day *it received the dossier* (not from the start of its current step).
    """
    from onestop import law
    from onestop.models import SupplementRequest

    step = _active_step(dossier)
    if step is None or step.started_at is None:
        return _("The dossier has no step in progress.")
    regime = law.regime_for(dossier)
    asked = SupplementRequest.objects.filter(
        dossier=dossier, stage=SupplementRequest.Stage.PROCESSING, unit_id=step.unit_id
    ).count()
    if asked >= regime.supplement_requests_per_agency:
        return _(
            "%(unit)s has already asked for supplements for this dossier; an agency may ask only once."
        ) % {"unit": step.unit}
    received = agency_received_at(dossier, step.unit_id) or step.started_at
    start = workdays.transfer_date(received, regime.transfer_cutoff)
    elapsed = workdays.working_days_between(start, workdays.today())
    if elapsed > regime.supplement_window_days:
        return _(
            "Supplements may be asked for only within %(days)s working days of receipt "
            "(%(unit)s received the dossier on %(date)s)."
        ) % {"days": regime.supplement_window_days, "unit": step.unit, "date": start.strftime("%d/%m/%Y")}
    return None


def _stop_allowed(dossier: Dossier, action: str) -> str | None:
    """A notice that processing stopped (form 05 of Circular 03/2025) exists only under a regime that has it."""
    from onestop import law

    if not law.regime_for(dossier).allows_stop:
        return _(
            "The rules in force when the dossier was received (%(decree)s) do not provide for stopping it."
        ) % {"decree": law.regime_for(dossier).decree}
    return None


def _reschedule_once(dossier: Dossier, action: str) -> str | None:
    if dossier.rescheduled:
        return _("A new date has already been set once; it may be set only once.")
    if dossier.due_date is None:
        return _("The dossier has no appointment date yet.")
    last_day = workdays.add_working_days(dossier.due_date, -1)
    if workdays.today() > last_day:
        return _(
            "A new date must be set at least one working day before the appointment date (%(date)s)."
        ) % {"date": dossier.due_date.strftime("%d/%m/%Y")}
    return None


def _supplement_stage(dossier: Dossier, action: str) -> str | None:
    request = dossier.supplement_requests.filter(answered_at__isnull=True).last()
    stage = request.stage if request else None
    if action == PROVIDE_SUPPLEMENT and stage != "desk":
        return _("The supplements were asked for during processing.")
    if action == RESUME_PROCESSING and stage != "processing":
        return _("The supplements were asked for at reception.")
    return None


def _not_rated(dossier: Dossier, action: str) -> str | None:
    return _("This dossier has already been rated.") if hasattr(dossier, "rating") else None


def _fee_paid(dossier: Dossier, action: str) -> str | None:
    return _("The fee has not been paid yet.") if dossier.payment_status == "pending" else None


WORKFLOW = Workflow(
    name="dossier",
    states=DossierStatus,
    actions=DossierAction,
    table=TRANSITIONS,
    actors=ACTORS,
    actor_rule=actor_reason,
    permissions=PERMISSIONS,
    roles=ROLES,
    guards={
        HAND_OVER: [_chain_position],
        SUBMIT_FOR_APPROVAL: [_chain_position],
        REQUEST_SUPPLEMENT_PROCESSING: [_supplement_window],
        RESCHEDULE: [_reschedule_once],
        PROVIDE_SUPPLEMENT: [_supplement_stage],
        RESUME_PROCESSING: [_supplement_stage],
        RATE: [_not_rated],
        ACCEPT: [_fee_paid],
        WITHDRAW: [_stop_allowed],
        STOP_PROCESSING: [_stop_allowed],
    },
    automatic={Actor.SYSTEM},
    not_possible=_("“%(action)s” is not possible while the dossier is “%(status)s”."),
)

target = WORKFLOW.target
check = WORKFLOW.check
allowed_actions = WORKFLOW.allowed_actions
