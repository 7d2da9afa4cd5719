"""The documents workflow (Decree 30/2020/NĐ-CP) as one table, and who may take each step.

Outgoing (Art. 11-19): a specialist drafts; the drafting unit's leader
reviews; the signer (a leader of the issuing body) approves and signs; the
clerk checks, numbers, registers, applies the organisation's signature and
issues. Any of them sends the draft back with comments; every version is
kept. An issued document may be withdrawn (its number stays taken, voided).

Incoming (Art. 20-25): a document delivered inside the system or imported
arrives at the receiving unit; the clerk registers it (or returns a
misaddressed one); a paper document is registered directly. The leader
assigns the lead unit or person, coordinating units and a deadline; units
pass their part down their own hierarchy; the lead closes it.

``TRANSITIONS[state][action]`` is the state the action leads to; services
call :func:`check`, pages ask :func:`allowed_actions` (the kernel's
:class:`portal.workflow.Workflow`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.models import Assignment, Document, DocumentFile, DocumentStatus
from portal import roles
from portal.workflow import SystemActor, Workflow, WorkflowError, is_user

__all__ = ["WorkflowError", "WORKFLOW", "SENDER", "check", "allowed_actions", "DocumentAction", "Actor"]

S = DocumentStatus


class DocumentAction(models.TextChoices):
    # Outgoing
    REVISE = "revise", _("Upload a new version")
    SUBMIT = "submit", _("Submit for review")
    APPROVE_DRAFT = "approve_draft", _("Approve and send for signature")
    SIGN = "sign", _("Approve and sign")
    ISSUE = "issue", _("Number and issue")
    SEND_BACK = "send_back", _("Send back with comments")
    WITHDRAW = "withdraw", _("Withdraw")
    # Incoming
    REGISTER = "register", _("Register")
    REFUSE = "refuse", _("Return to the sender")
    ASSIGN = "assign", _("Assign")
    PASS_DOWN = "pass_down", _("Pass down")
    REPORT = "report", _("Report coordination done")
    CLOSE = "close", _("Close as handled")
    CANCEL = "cancel", _("Withdrawn by the sender")
    # Events that are not workflow actions
    CREATE_DRAFT = "create_draft", _("Draft created")
    RECORD = "record", _("Registered by the clerk")
    DELIVER = "deliver", _("Delivered")
    IMPORT = "import", _("Imported from a package")
    EXPORT = "export", _("Exported as a package")
    STATUS = "status", _("Status message")
    REPLACED = "replaced", _("Replaced by a new document")


class Actor(models.TextChoices):
    DRAFTER = "drafter", _("the drafter or a specialist of the drafting unit")
    DRAFTING_LEADER = "drafting_leader", _("a leader of the drafting unit")
    SIGNER = "signer", _("the signer")
    ISSUER_CLERK = "issuer_clerk", _("a clerk of the issuing body")
    ISSUER_LEADER = "issuer_leader", _("a leader of the issuing body")
    CURRENT = "current", _("whoever holds the draft now")
    RECEIVER_CLERK = "receiver_clerk", _("a clerk of the receiving unit")
    RECEIVER_LEADER = "receiver_leader", _("a leader of the receiving unit")
    HOLDER_LEADER = "holder_leader", _("a leader of a unit holding the document")
    LEAD = "lead", _("the lead handler")
    COORDINATOR = "coordinator", _("a coordinating unit")
    SYSTEM = "system", _("the sender's system")


A = DocumentAction
SENDER = SystemActor(_("Sender"))

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {A.REVISE: S.DRAFT, A.SUBMIT: S.IN_REVIEW},
    S.IN_REVIEW: {A.APPROVE_DRAFT: S.AWAITING_SIGNATURE, A.SEND_BACK: S.DRAFT},
    S.AWAITING_SIGNATURE: {A.SIGN: S.SIGNED, A.SEND_BACK: S.DRAFT},
    S.SIGNED: {A.ISSUE: S.ISSUED, A.SEND_BACK: S.DRAFT},
    S.ISSUED: {A.WITHDRAW: S.WITHDRAWN},
    S.WITHDRAWN: {},
    S.ARRIVED: {A.REGISTER: S.REGISTERED, A.REFUSE: S.REFUSED, A.CANCEL: S.CANCELLED},
    S.REGISTERED: {A.ASSIGN: S.IN_PROGRESS, A.CANCEL: S.CANCELLED},
    S.IN_PROGRESS: {
        A.PASS_DOWN: S.IN_PROGRESS,
        A.REPORT: S.IN_PROGRESS,
        A.CLOSE: S.DONE,
        A.CANCEL: S.CANCELLED,
    },
    S.DONE: {A.CANCEL: S.CANCELLED},
    S.REFUSED: {},
    S.CANCELLED: {},
}

ACTORS = {
    A.REVISE: Actor.DRAFTER,
    A.SUBMIT: Actor.DRAFTER,
    A.APPROVE_DRAFT: Actor.DRAFTING_LEADER,
    A.SIGN: Actor.SIGNER,
    A.ISSUE: Actor.ISSUER_CLERK,
    A.SEND_BACK: Actor.CURRENT,
    A.WITHDRAW: Actor.ISSUER_LEADER,
    A.REGISTER: Actor.RECEIVER_CLERK,
    A.REFUSE: Actor.RECEIVER_CLERK,
    A.ASSIGN: Actor.RECEIVER_LEADER,
    A.PASS_DOWN: Actor.HOLDER_LEADER,
    A.REPORT: Actor.COORDINATOR,
    A.CLOSE: Actor.LEAD,
    A.CANCEL: Actor.SYSTEM,
}

PERMISSIONS = {
    A.REVISE: "documents.draft_document",
    A.SUBMIT: "documents.draft_document",
    A.APPROVE_DRAFT: "documents.review_document",
    A.SIGN: "documents.sign_document",
    A.ISSUE: "documents.issue_document",
    A.WITHDRAW: "documents.sign_document",
    A.REGISTER: "documents.register_document",
    A.REFUSE: "documents.register_document",
    A.ASSIGN: "documents.assign_document",
    A.PASS_DOWN: "documents.assign_document",
    A.REPORT: "documents.handle_document",
    A.CLOSE: "documents.handle_document",
}


def _of(user, unit_id) -> bool:
    return bool(user.is_superuser or (user.is_staff and unit_id and user.unit_id == unit_id))


def _leader(user) -> bool:
    return bool(user.is_superuser or user.has_role(roles.LEADER))


def _clerk(user) -> bool:
    return bool(user.is_superuser or user.has_role(roles.CLERK))


def open_assignments(document: Document, **filters):
    return document.assignments.filter(status=Assignment.Status.OPEN, **filters)


def lead_holders(document: Document) -> list[Assignment]:
    """The open lead assignments (the deepest one is the person or unit doing the work)."""
    return list(open_assignments(document, role=Assignment.Role.LEAD).select_related("unit", "user"))


def is_lead_handler(document: Document, user) -> bool:
    for item in lead_holders(document):
        if item.user_id == user.pk:
            return True
        if _of(user, item.unit_id) and (item.user_id is None or _leader(user)):
            return True
    return False


def actor_reason(doc: Document, action: str, kind: str, actor) -> str | None:
    """None when ``actor`` is of the kind that takes ``action`` on ``doc``; otherwise why not."""
    if kind == Actor.SYSTEM:
        return None if isinstance(actor, SystemActor) else _("This happens when the sender withdraws it.")
    if not is_user(actor) or not actor.is_staff:
        return _("Please sign in as an official.")
    if kind == Actor.DRAFTER:
        if doc.drafted_by_id == actor.pk or _of(actor, doc.drafting_unit_id):
            return None
        return _("Only the drafting unit works on this draft.")
    if kind == Actor.DRAFTING_LEADER:
        if _of(actor, doc.drafting_unit_id) and _leader(actor):
            return None
        return _("Only a leader of the drafting unit reviews the draft.")
    if kind == Actor.SIGNER:
        if doc.signer_id:
            return (
                None
                if doc.signer_id == actor.pk
                else _("Only %(name)s signs this document.") % {"name": doc.signer}
            )
        if _of(actor, doc.unit_id) and _leader(actor):
            return None
        return _("Only a leader of the issuing body signs.")
    if kind == Actor.ISSUER_CLERK:
        if _of(actor, doc.unit_id) and _clerk(actor):
            return None
        return _("Only a clerk of the issuing body numbers and issues documents.")
    if kind == Actor.ISSUER_LEADER:
        if _of(actor, doc.unit_id) and _leader(actor):
            return None
        return _("Only a leader of the issuing body withdraws a document.")
    if kind == Actor.CURRENT:
        holder = {
            S.IN_REVIEW: Actor.DRAFTING_LEADER,
            S.AWAITING_SIGNATURE: Actor.SIGNER,
            S.SIGNED: Actor.ISSUER_CLERK,
        }.get(doc.status)
        if holder is None:
            return _("Nobody holds the draft now.")
        return actor_reason(doc, action, holder, actor)
    if kind == Actor.RECEIVER_CLERK:
        if _of(actor, doc.unit_id) and _clerk(actor):
            return None
        return _("Only a clerk of the receiving unit registers documents.")
    if kind == Actor.RECEIVER_LEADER:
        if _of(actor, doc.unit_id) and _leader(actor):
            return None
        return _("Only a leader of the receiving unit assigns documents.")
    if kind == Actor.HOLDER_LEADER:
        if not _leader(actor):
            return _("Only a leader passes a document down.")
        if open_assignments(doc, unit_id=actor.unit_id).exists() or actor.is_superuser:
            return None
        return _("Your unit holds no open part of this document.")
    if kind == Actor.LEAD:
        return None if is_lead_handler(doc, actor) else _("Only the lead handler closes the document.")
    if kind == Actor.COORDINATOR:
        if open_assignments(doc, role=Assignment.Role.COORDINATE, unit_id=actor.unit_id).exists():
            return None
        return _("Your unit has no open coordinating part of this document.")
    return _("Not allowed.")


# --- guards ------------------------------------------------------------------------------


def _has_draft(doc: Document, action: str) -> str | None:
    if not doc.files.filter(kind=DocumentFile.Kind.DRAFT).exists():
        return _("Upload the draft (DOCX or PDF) first.")
    return None


def _has_recipients(doc: Document, action: str) -> str | None:
    if not doc.recipients.exists() and not doc.recipients_text.strip():
        return _("Name at least one recipient before issuing.")
    return None


WORKFLOW = Workflow(
    name="document",
    states=DocumentStatus,
    actions=DocumentAction,
    table=TRANSITIONS,
    actors=ACTORS,
    actor_rule=actor_reason,
    permissions=PERMISSIONS,
    guards={A.SUBMIT: [_has_draft], A.ISSUE: [_has_recipients]},
    automatic={Actor.SYSTEM},
    not_possible=_("“%(action)s” is not possible while the document is “%(status)s”."),
)

check = WORKFLOW.check
allowed_actions = WORKFLOW.allowed_actions
