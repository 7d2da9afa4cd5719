"""Writing to a case (a dossier, a document, a feedback report): the locked transition.

Every app's ``services.py`` writes through these helpers, the way Zulip's
``zerver/actions`` do, so each write

1. locks the case row (``SELECT … FOR UPDATE``) inside the caller's
   ``transaction.atomic()``: :func:`lock`;
2. asks the app's :class:`~portal.workflow.Workflow` whether the action is
   allowed now and moves the status: :func:`transition`;
3. appends a row to the case's append-only history (a concrete
   :class:`CaseEvent` with ``related_name="events"``) and one to the audit
   trail: :func:`record_event`.

Side effects (e-mail, PDFs, tasks) go after the commit: ``portal.queue``
and ``transaction.on_commit``; never while the row is locked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import audit, pagecache
from portal.models import AppendOnlyModel, Unit
from portal.workflow import Citizen, SystemActor, Workflow, actor_user


class CaseEvent(AppendOnlyModel):
    """One line of a case's history: who, when, which action, from which state to which.

    Concrete subclasses add the foreign key to their case with
    ``related_name="events"``; the current status is the latest event's.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


def lock(case, *select_related: str):
    """The case's row, fresh from the database and locked until the transaction ends."""
    manager = type(case)._default_manager
    return manager.select_for_update(of=("self",)).select_related(*select_related).get(pk=case.pk)


@dataclass
class Moved:
    """A checked transition: the locked case (status already set, not yet saved)."""

    case: object
    from_status: str
    to_status: str


def transition(workflow: Workflow, case, action: str, actor, *select_related: str) -> Moved:
    """Lock the case, check ``action`` for ``actor`` and set the next status (the caller saves)."""
    locked = lock(case, *select_related)
    to_status = workflow.check(locked, action, actor)
    from_status = workflow.state_of(locked)
    setattr(locked, workflow.status_field, to_status)
    return Moved(locked, from_status, to_status)


def actor_name(actor, case) -> str:
    """How the history names ``actor``: an official's name, the citizen's, the system's."""
    if isinstance(actor, Citizen):
        name = getattr(case, "citizen_name", None)
        return str(name() if callable(name) else name or _("Citizen"))
    if isinstance(actor, SystemActor):
        return str(actor)
    return str(actor) if actor is not None else ""


def record_event(case, action: str, actor, from_status: str = "", note: str = "", **data):
    """Append one history row to ``case.events`` and one audit row; returns the event."""
    user = actor_user(actor)
    name = actor_name(actor, case)[:200]
    status_field = getattr(case, "status_field", "status")
    to_status = getattr(case, status_field)
    event = case.events.create(
        actor=user,
        actor_name=name,
        unit=getattr(user, "unit", None),
        action=str(action),
        from_status=str(from_status or ""),
        to_status=str(to_status),
        note=note or "",
        data=data,
    )
    audit.record(
        f"{case._meta.model_name}.{action}",
        obj=case,
        actor=user,
        actor_repr=name,
        from_status=str(from_status or ""),
        to_status=str(to_status),
    )
    # Public pages built from this kind of case (figures, a status page) are cached
    # under this version: they are recomputed after the commit.
    pagecache.bump(case_version(case), case_version(case, case.pk))
    return event


def case_version(case_or_model, pk=None) -> str:
    """The ``portal.pagecache`` version every event of this kind of case moves on (with
    ``pk``: the one of a single case)."""
    name = f"cases.{case_or_model._meta.label_lower}"
    return name if pk is None else f"{name}:{pk}"


def watch_case(model, *parts) -> None:
    """Move the case kind's version and the case's own after every write of a case of
    ``model`` or of one of its ``parts`` (models with a foreign key to it: steps, files,
    payments…), events or not."""
    from django.db.models.signals import post_delete, post_save

    def bumper(link: str | None):
        def changed(sender, instance, raw=False, **kwargs):
            if raw:
                return
            pk = instance.pk if link is None else getattr(instance, link)
            pagecache.bump(case_version(model), case_version(model, pk))

        return changed

    for part in (model, *parts):
        link = None
        if part is not model:
            link = next(
                f.attname for f in part._meta.concrete_fields if f.is_relation and f.related_model is model
            )
        handler = bumper(link)
        uid = f"watch_case:{part._meta.label_lower}"
        post_save.connect(handler, sender=part, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(handler, sender=part, weak=False, dispatch_uid=uid + ":delete")


@dataclass(frozen=True)
class Queue:
    """One of a staff member's work queues, with its count (the admin home and list tabs)."""

    key: str
    label: str
    count: int


def queue_list(labels: dict, counts: dict) -> list[Queue]:
    """The queues in ``labels`` order with their ``counts``."""
    return [Queue(key, label, counts[key]) for key, label in labels.items()]
