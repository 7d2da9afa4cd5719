"""The life of a feedback report as one table, and who may take each step.

Flow (DOMAIN.md §3, Decree 20/2008/NĐ-CP and the provinces' 1022 rules):
receive → triage (invalid or duplicate with a reason; outside the city's
competence → forwarded with a letter within the working days the rules in
force fix; otherwise assigned to a handling unit with the category's
deadline) → handle (notes, fix photos; a department may pass it down to a
ward with the ward's own deadline) → draft answer → the unit's leader
approves → published → the reporter rates it, and may reopen it once, within
the days the rules fix, when unhappy.

Handed to the kernel's :class:`portal.workflow.Workflow`; services call
:func:`check`, pages ask :func:`allowed_actions`.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import Assignment, Rating, Report, ReportStatus, Rules
from portal import roles, workdays
from portal.workflow import Citizen, SystemActor, Workflow, WorkflowError, is_user

__all__ = ["Citizen", "WorkflowError", "WORKFLOW", "check", "allowed_actions", "ReportAction", "Actor"]

S = ReportStatus


class ReportAction(models.TextChoices):
    """Every action of a report's history: the workflow's actions, then other events."""

    ASSIGN = "assign", _("Assign to a handling unit")
    REJECT = "reject", _("Not accepted (invalid)")
    MARK_DUPLICATE = "mark_duplicate", _("Duplicate of another report")
    FORWARD = "forward", _("Forward outside the city's competence")
    PASS_DOWN = "pass_down", _("Pass down to a unit below")
    ADD_NOTE = "add_note", _("Add a note or photos of the fix")
    RETURN_TO_DESK = "return_to_desk", _("Return to the 1022 desk")
    SUBMIT_ANSWER = "submit_answer", _("Submit the draft answer")
    APPROVE = "approve", _("Approve and publish the answer")
    SEND_BACK = "send_back", _("Send the draft back")
    RATE = "rate", _("Rate the answer")
    REOPEN = "reopen", _("Reopen")
    # Events that are not workflow actions
    RECEIVE = "receive", _("Report received")


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("the reporter")
    DESK = "desk", _("the 1022 desk")
    HANDLER = "handler", _("staff of the unit handling the report")
    LEADER = "leader", _("a leader of the unit handling the report")


A = ReportAction

TRANSITIONS: dict[str, dict[str, str]] = {
    S.NEW: {
        A.ASSIGN: S.ASSIGNED,
        A.REJECT: S.INVALID,
        A.MARK_DUPLICATE: S.DUPLICATE,
        A.FORWARD: S.FORWARDED,
    },
    S.ASSIGNED: {
        A.ADD_NOTE: S.ASSIGNED,
        A.PASS_DOWN: S.ASSIGNED,
        A.SUBMIT_ANSWER: S.AWAITING_APPROVAL,
        A.RETURN_TO_DESK: S.NEW,
    },
    S.AWAITING_APPROVAL: {A.APPROVE: S.ANSWERED, A.SEND_BACK: S.ASSIGNED, A.ADD_NOTE: S.AWAITING_APPROVAL},
    S.ANSWERED: {A.RATE: S.ANSWERED, A.REOPEN: S.ASSIGNED},
    S.INVALID: {},
    S.DUPLICATE: {},
    S.FORWARDED: {},
}

ACTORS = {
    A.ASSIGN: Actor.DESK,
    A.REJECT: Actor.DESK,
    A.MARK_DUPLICATE: Actor.DESK,
    A.FORWARD: Actor.DESK,
    A.PASS_DOWN: Actor.HANDLER,
    A.ADD_NOTE: Actor.HANDLER,
    A.RETURN_TO_DESK: Actor.HANDLER,
    A.SUBMIT_ANSWER: Actor.HANDLER,
    A.APPROVE: Actor.LEADER,
    A.SEND_BACK: Actor.LEADER,
    A.RATE: Actor.CITIZEN,
    A.REOPEN: Actor.CITIZEN,
}

TRIAGE, HANDLE, APPROVE_PERM = "feedback.triage_report", "feedback.handle_report", "feedback.approve_answer"
PERMISSIONS = {
    A.ASSIGN: TRIAGE,
    A.REJECT: TRIAGE,
    A.MARK_DUPLICATE: TRIAGE,
    A.FORWARD: TRIAGE,
    A.PASS_DOWN: HANDLE,
    A.ADD_NOTE: HANDLE,
    A.RETURN_TO_DESK: HANDLE,
    A.SUBMIT_ANSWER: HANDLE,
    A.APPROVE: APPROVE_PERM,
    A.SEND_BACK: APPROVE_PERM,
}


def active_assignment(report: Report) -> Assignment | None:
    return (
        report.assignments.filter(status=Assignment.Status.ACTIVE).select_related("unit", "handler").first()
    )


def _is_staff_of(user, unit_id) -> bool:
    return bool(user.is_superuser or (user.is_staff and user.unit_id == unit_id))


def actor_reason(report: Report, action: str, kind: str, actor) -> str | None:
    """None when ``actor`` is of the kind that takes ``action`` on ``report``; otherwise why not."""
    if isinstance(actor, Citizen):
        if kind == Actor.CITIZEN and actor.case_id == report.pk:
            return None
        return _("This step is taken by officials.")
    if isinstance(actor, SystemActor) or not is_user(actor):
        return _("Please sign in.")
    if kind == Actor.CITIZEN:
        return _("This step is taken by the reporter.")
    if kind == Actor.DESK:
        if not _is_staff_of(actor, report.unit_id) or report.status != S.NEW:
            return _("Only the 1022 desk triages reports.")
        return None
    assignment = active_assignment(report)
    if assignment is None:
        return _("No unit is handling the report.")
    if not _is_staff_of(actor, assignment.unit_id):
        return _("The report is with %(unit)s; only its staff take this step.") % {"unit": assignment.unit}
    is_leader = actor.is_superuser or actor.has_role(roles.LEADER)
    if kind == Actor.LEADER and not is_leader:
        return _("Only a leader of the unit takes this step.")
    if (
        kind == Actor.HANDLER
        and assignment.handler_id
        and assignment.handler_id != actor.pk
        and not is_leader
    ):
        return _("The report is assigned to %(name)s.") % {"name": assignment.handler}
    return None


# --- guards ------------------------------------------------------------------------------


def current_rating(report: Report) -> Rating | None:
    return report.ratings.filter(round=report.round).first()


def _not_rated(report: Report, action: str) -> str | None:
    return _("You have already rated this answer.") if current_rating(report) else None


def reopen_deadline(report: Report):
    rules = Rules.in_force(workdays.local(report.received_at).date())
    return (report.answered_at or timezone.now()) + timedelta(days=rules.reopen_days), rules.reopen_days


def _may_reopen(report: Report, action: str) -> str | None:
    if report.reopened_at is not None:
        return _("A report may be reopened only once.")
    rating = current_rating(report)
    if rating is None or not rating.unhappy:
        return _("A report may be reopened when you are not satisfied with the answer: rate it first.")
    deadline, days = reopen_deadline(report)
    if timezone.now() > deadline:
        return _("A report may be reopened within %(days)s days of the answer.") % {"days": days}
    return None


def _below(report: Report, action: str) -> str | None:
    assignment = active_assignment(report)
    from feedback.selectors import units_below

    if assignment is not None and not units_below(assignment.unit).exists():
        return _("%(unit)s has no unit below it to pass the report to.") % {"unit": assignment.unit}
    return None


WORKFLOW = Workflow(
    name="report",
    states=ReportStatus,
    actions=ReportAction,
    table=TRANSITIONS,
    actors=ACTORS,
    actor_rule=actor_reason,
    permissions=PERMISSIONS,
    guards={A.RATE: [_not_rated], A.REOPEN: [_may_reopen], A.PASS_DOWN: [_below]},
    not_possible=_("“%(action)s” is not possible while the report is “%(status)s”."),
)

check = WORKFLOW.check
allowed_actions = WORKFLOW.allowed_actions
