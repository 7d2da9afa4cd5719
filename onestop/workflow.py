"""The one-stop workflow (Decree 61/2018) as one table, and who may take each step.

``TRANSITIONS[state][action]`` is the state the action leads to. Nothing
else changes a dossier's status: services call :func:`check` before any
write, and the admin and the views ask :func:`allowed_actions` which buttons
to show. A refused step raises :class:`WorkflowError` with a reason in the
user's language, whoever asks (a button, a URL typed by hand, a stale form).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from onestop.models import Dossier, DossierStatus, DossierStep
from portal import roles, workdays

S = DossierStatus

SUBMIT = "submit"
SUBMIT_FOR_PAYMENT = "submit_for_payment"
CONFIRM_PAYMENT = "confirm_payment"
ACCEPT = "accept"
REQUEST_SUPPLEMENT = "request_supplement"
REJECT = "reject"
PROVIDE_SUPPLEMENT = "provide_supplement"
RESUME_PROCESSING = "resume_processing"
ASSIGN = "assign"
REQUEST_SUPPLEMENT_PROCESSING = "request_supplement_processing"
HAND_OVER = "hand_over"
SUBMIT_FOR_APPROVAL = "submit_for_approval"
APPROVE = "approve"
SEND_BACK = "send_back"
REFUSE = "refuse"
RESCHEDULE = "reschedule"
RETURN_RESULT = "return_result"
RATE = "rate"

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {SUBMIT: S.SUBMITTED, SUBMIT_FOR_PAYMENT: S.AWAITING_PAYMENT},
    S.AWAITING_PAYMENT: {CONFIRM_PAYMENT: S.SUBMITTED},
    S.SUBMITTED: {ACCEPT: S.PROCESSING, REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED, REJECT: S.REJECTED},
    S.SUPPLEMENT_REQUESTED: {PROVIDE_SUPPLEMENT: S.SUBMITTED, RESUME_PROCESSING: S.PROCESSING},
    S.PROCESSING: {
        ASSIGN: S.PROCESSING,
        REQUEST_SUPPLEMENT_PROCESSING: S.SUPPLEMENT_REQUESTED,
        HAND_OVER: S.PROCESSING,
        SUBMIT_FOR_APPROVAL: S.AWAITING_APPROVAL,
        REFUSE: S.REFUSED,
        RESCHEDULE: S.PROCESSING,
    },
    S.AWAITING_APPROVAL: {
        APPROVE: S.RESULT_READY,
        SEND_BACK: S.PROCESSING,
        REFUSE: S.REFUSED,
        RESCHEDULE: S.AWAITING_APPROVAL,
    },
    S.RESULT_READY: {RETURN_RESULT: S.RETURNED},
    S.RETURNED: {RATE: S.RETURNED},
    S.REJECTED: {},
    S.REFUSED: {},
}

ACTION_LABELS = {
    SUBMIT: _("Submit"),
    SUBMIT_FOR_PAYMENT: _("Submit and pay"),
    CONFIRM_PAYMENT: _("Confirm payment"),
    ACCEPT: _("Accept (form 01)"),
    REQUEST_SUPPLEMENT: _("Ask for supplements (form 02)"),
    REJECT: _("Refuse to receive (form 03)"),
    PROVIDE_SUPPLEMENT: _("Record supplements"),
    RESUME_PROCESSING: _("Record supplements and resume"),
    ASSIGN: _("Assign"),
    REQUEST_SUPPLEMENT_PROCESSING: _("Ask for supplements"),
    HAND_OVER: _("Hand over to the next unit"),
    SUBMIT_FOR_APPROVAL: _("Submit for approval"),
    APPROVE: _("Approve"),
    SEND_BACK: _("Send back for processing"),
    REFUSE: _("Refuse with reasons"),
    RESCHEDULE: _("Apologise and set a new date (form 04)"),
    RETURN_RESULT: _("Return the result"),
    RATE: _("Rate the service"),
}

# Who takes the action: "citizen" (the applicant), "system" (the payment
# gateway's callback), "desk" (a one-stop officer of the receiving unit),
# "step" (staff of the unit holding the current step), "step_leader" (a
# leader of that unit).
ACTORS = {
    SUBMIT: "citizen",
    SUBMIT_FOR_PAYMENT: "citizen",
    CONFIRM_PAYMENT: "system",
    ACCEPT: "desk",
    REQUEST_SUPPLEMENT: "desk",
    REJECT: "desk",
    PROVIDE_SUPPLEMENT: "citizen_or_desk",
    RESUME_PROCESSING: "citizen_or_desk",
    ASSIGN: "step_leader",
    REQUEST_SUPPLEMENT_PROCESSING: "step",
    HAND_OVER: "step",
    SUBMIT_FOR_APPROVAL: "step",
    APPROVE: "step_leader",
    SEND_BACK: "step_leader",
    REFUSE: "step",
    RESCHEDULE: "step",
    RETURN_RESULT: "desk",
    RATE: "citizen",
}

SUPPLEMENT_WINDOW_DAYS = 3  # a processing unit may ask within 3 working days of receipt


class WorkflowError(Exception):
    """An action that the workflow refuses, with the reason to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Citizen:
    """The applicant, proven by the dossier code and their mobile / CCCD (or their account)."""

    dossier_id: int


SYSTEM = "system"


def target(dossier: Dossier, action: str) -> str:
    """The state ``action`` leads to from the dossier's state, or a WorkflowError."""
    targets = TRANSITIONS.get(dossier.status, {})
    if action not in targets:
        raise WorkflowError(
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": dossier.get_status_display()}
        )
    return targets[action]


def _active_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(status=DossierStep.Status.ACTIVE).select_related("unit").first()


def _is_staff_of(user, unit_id) -> bool:
    return bool(user.is_superuser or (user.is_staff and user.unit_id == unit_id))


def _actor_reason(dossier: Dossier, action: str, actor) -> str | None:
    """None when ``actor`` may take ``action`` on ``dossier``; otherwise why not."""
    kind = ACTORS[action]
    if kind == "system":
        return None if actor == SYSTEM else _("Only the payment gateway confirms payments.")
    if isinstance(actor, Citizen):
        if kind in ("citizen", "citizen_or_desk") and actor.dossier_id == dossier.pk:
            return None
        return _("This step is taken by officials.")
    if actor is None or actor == SYSTEM or not getattr(actor, "is_authenticated", False):
        return _("Please sign in.")
    if kind == "citizen":
        if dossier.applicant_user_id and dossier.applicant_user_id == actor.pk:
            return None
        return _("This step is taken by the applicant.")
    if kind in ("desk", "citizen_or_desk"):
        if dossier.applicant_user_id == actor.pk and kind == "citizen_or_desk":
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
    if kind == "step_leader" and not is_leader:
        return _("Only a leader of the unit takes this step.")
    if kind == "step" and not (is_leader or actor.has_role(roles.SPECIALIST, roles.ONESTOP_OFFICER)):
        return _("Only specialists and leaders of the unit take this step.")
    if kind == "step" and step.assignee_id and step.assignee_id != actor.pk and not is_leader:
        return _("The step is assigned to %(name)s.") % {"name": step.assignee}
    return None


def _guard_reason(dossier: Dossier, action: str) -> str | None:
    """Conditions beyond the state table (Decree 61 time rules)."""
    if action in (HAND_OVER, SUBMIT_FOR_APPROVAL):
        step = _active_step(dossier)
        if step is None:
            return _("The dossier has no step in progress.")
        has_next = dossier.steps.filter(order__gt=step.order).exists()
        if action == HAND_OVER and not has_next:
            return _("This is the last step: submit the dossier for approval instead.")
        if action == SUBMIT_FOR_APPROVAL and has_next:
            return _("Other units still have to process the dossier: hand it over instead.")
    if action == REQUEST_SUPPLEMENT_PROCESSING:
        step = _active_step(dossier)
        if step is None or step.started_at is None:
            return _("The dossier has no step in progress.")
        elapsed = workdays.working_days_between(workdays.local(step.started_at).date(), workdays.today())
        if elapsed > SUPPLEMENT_WINDOW_DAYS:
            return _("Supplements may be asked for only within %(days)s working days of receipt.") % {
                "days": SUPPLEMENT_WINDOW_DAYS
            }
    if action == RESCHEDULE:
        if dossier.rescheduled:
            return _("A new date has already been set once; it may be set only once.")
        if dossier.due_date is None:
            return _("The dossier has no appointment date yet.")
        last_day = workdays.add_working_days(dossier.due_date, -1)
        if workdays.today() > last_day:
            return _(
                "A new date must be set at least one working day before the appointment date (%(date)s)."
            ) % {"date": dossier.due_date.strftime("%d/%m/%Y")}
    if action in (PROVIDE_SUPPLEMENT, RESUME_PROCESSING):
        request = dossier.supplement_requests.filter(answered_at__isnull=True).last()
        stage = request.stage if request else None
        if action == PROVIDE_SUPPLEMENT and stage != "desk":
            return _("The supplements were asked for during processing.")
        if action == RESUME_PROCESSING and stage != "processing":
            return _("The supplements were asked for at reception.")
    if action == RATE and hasattr(dossier, "rating"):
        return _("This dossier has already been rated.")
    if action == ACCEPT and dossier.payment_status == "pending":
        return _("The fee has not been paid yet.")
    return None


def check(dossier: Dossier, action: str, actor) -> str:
    """Raise WorkflowError unless ``actor`` may take ``action`` now; return the next state."""
    next_state = target(dossier, action)
    reason = _actor_reason(dossier, action, actor) or _guard_reason(dossier, action)
    if reason:
        raise WorkflowError(reason)
    return next_state


def allowed_actions(dossier: Dossier, actor) -> list[str]:
    """The actions ``actor`` may take now (for buttons)."""
    allowed = []
    for action in TRANSITIONS.get(dossier.status, {}):
        if ACTORS[action] in ("system",):
            continue
        try:
            check(dossier, action, actor)
        except WorkflowError:
            continue
        allowed.append(action)
    return allowed
