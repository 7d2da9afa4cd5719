"""Corrections to a personnel file as one table: the official asks, the personnel officer decides.

An official who finds their file wrong asks for a correction (Circular
06/2023/TT-BNV: the official declares and the managing agency verifies and
confirms the records). The personnel officer in whose scope the file is, or
the Home Affairs office, accepts it (a correction of a plain field is then
applied by the same checks as any edit) or refuses it with a reason; the
official may withdraw a request not yet decided. Nobody decides on a
request about their own file.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from personnel.models import CorrectionRequest, CorrectionStatus
from portal.workflow import Workflow, WorkflowError, is_user

__all__ = ["CorrectionAction", "WORKFLOW", "WorkflowError"]

S = CorrectionStatus


class CorrectionAction(models.TextChoices):
    SUBMIT = "submit", _("Request a correction")
    ACCEPT = "accept", _("Accept the correction")
    REFUSE = "refuse", _("Refuse, with the reason")
    WITHDRAW = "withdraw", _("Withdraw the request")


class Actor(models.TextChoices):
    OFFICIAL = "official", _("the official whose file it is")
    KEEPER = "keeper", _("the personnel officer in charge of the file")


A = CorrectionAction

TRANSITIONS = {
    S.SUBMITTED: {A.ACCEPT: S.ACCEPTED, A.REFUSE: S.REFUSED, A.WITHDRAW: S.WITHDRAWN},
    S.ACCEPTED: {},
    S.REFUSED: {},
    S.WITHDRAWN: {},
}

ACTORS = {A.ACCEPT: Actor.KEEPER, A.REFUSE: Actor.KEEPER, A.WITHDRAW: Actor.OFFICIAL}
PERMISSIONS = {A.ACCEPT: "personnel.change_personnelfile", A.REFUSE: "personnel.change_personnelfile"}


def actor_reason(request: CorrectionRequest, action: str, kind: str, actor) -> str | None:
    from personnel import selectors

    if not is_user(actor):
        return _("Please sign in.")
    file = request.file
    if kind == Actor.OFFICIAL:
        if selectors.is_own(actor, file):
            return None
        return _("Only the official whose file it is may withdraw the request.")
    if selectors.is_own(actor, file):
        return _("Nobody decides on a correction to their own file.")
    if not (actor.is_superuser or selectors.in_manage_scope(actor, file.unit)):
        return _("Only the personnel officer in charge of this file decides on corrections.")
    return None


WORKFLOW = Workflow(
    name="correction",
    states=CorrectionStatus,
    actions=CorrectionAction,
    table=TRANSITIONS,
    actors=ACTORS,
    actor_rule=actor_reason,
    permissions=PERMISSIONS,
    not_possible=_("“%(action)s” is not possible: the request is “%(status)s”."),
)

check = WORKFLOW.check
allowed_actions = WORKFLOW.allowed_actions
