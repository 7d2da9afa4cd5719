"""The workflow table every case app uses: states, actions, who may act, guards.

An app declares its state machine once, as data::

    WORKFLOW = Workflow(
        name="dossier",
        states=DossierStatus,                  # TextChoices
        actions=DossierAction,                 # TextChoices (labels are the buttons)
        table={S.SUBMITTED: {A.ACCEPT: S.PROCESSING, ...}, ...},
        actors={A.ACCEPT: Actor.DESK, ...},    # an app-level TextChoices of actor kinds
        permissions={A.ACCEPT: "onestop.receive_dossier", ...},
        roles={A.HAND_OVER: (SPECIALIST, LEADER), ...},  # staff must hold one of these roles
        actor_rule=actor_reason,               # (case, action, kind, actor) -> reason | None
        guards={A.HAND_OVER: [has_next_step], ...},  # (case, action) -> reason | None
        automatic={Actor.SYSTEM},              # kinds never offered as buttons
    )

and then asks it, from services and from pages alike:

- :meth:`Workflow.check` before any write: the next state, or
  :class:`WorkflowError` with the reason in the user's language, whoever asks
  (a button, a URL typed by hand, a stale form, an API client);
- :meth:`Workflow.allowed_actions` for the buttons a person may see.

Checks run in a fixed order: the state table, the actor kind's rule, the
roles the action is reserved to (for staff: a one-stop officer does not take a
specialist's step unless they also hold the specialist's role, and is told
so), the permission the action declares (for staff), then the guards (time rules and
other conditions). The table is validated when it is built, so a typo in a
state or action fails at import, not in front of a citizen.

Actors that are not staff users are typed too: :class:`Citizen` (the member
of the public a case belongs to, proven by its code and a secret or by their
account) and :class:`SystemActor` (a gateway callback, a periodic sweep).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """An action the workflow refuses, with the reason to show."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Citizen:
    """The member of the public a case belongs to (proven by code and secret, or by their account)."""

    case_id: int

    @property
    def dossier_id(self) -> int:  # the one-stop desk's name for it
        return self.case_id


@dataclass(frozen=True)
class SystemActor:
    """A machine acting on a case: a payment gateway's callback, a sweep."""

    name: str = field(default="system")

    def __str__(self) -> str:
        return str(self.name)


SYSTEM = SystemActor(_("System"))

Guard = Callable[[object, str], "str | None"]
ActorRule = Callable[[object, str, str, object], "str | None"]


def is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def actor_user(actor):
    """The user behind ``actor`` (None for citizens by proof, systems and anonymous callers)."""
    return actor if is_user(actor) else None


class Workflow:
    """A state machine as one table plus who may take each action and when."""

    def __init__(
        self,
        *,
        name: str,
        states: type[TextChoices],
        actions: type[TextChoices],
        table: Mapping[str, Mapping[str, str]],
        actors: Mapping[str, str],
        actor_rule: ActorRule,
        permissions: Mapping[str, str] | None = None,
        roles: Mapping[str, Iterable[str]] | None = None,
        guards: Mapping[str, Sequence[Guard]] | None = None,
        automatic: Iterable[str] = (),
        status_field: str = "status",
        not_possible=None,
    ) -> None:
        self.name = name
        self.states = states
        self.actions = actions
        self.table = {state: dict(moves) for state, moves in table.items()}
        self.actors = dict(actors)
        self.actor_rule = actor_rule
        self.permissions = dict(permissions or {})
        self.roles = {action: tuple(codes) for action, codes in (roles or {}).items()}
        self.guards = {action: list(checks) for action, checks in (guards or {}).items()}
        self.automatic = set(automatic)
        self.status_field = status_field
        # "“%(action)s” is not possible while the <case> is “%(status)s”.", in the app's words.
        self.not_possible = not_possible or _("“%(action)s” is not possible while the case is “%(status)s”.")
        self._validate()

    def _validate(self) -> None:
        state_values, action_values = set(self.states.values), set(self.actions.values)
        problems = []
        for state, moves in self.table.items():
            if state not in state_values:
                problems.append(f"unknown state {state!r}")
            for action, target in moves.items():
                if action not in action_values:
                    problems.append(f"unknown action {action!r} from {state!r}")
                if target not in state_values:
                    problems.append(f"unknown target {target!r} of {action!r}")
                if action not in self.actors:
                    problems.append(f"action {action!r} has no actor kind")
        missing = state_values - set(self.table)
        if missing:
            problems.append(f"states missing from the table: {sorted(missing)}")
        for action in [*self.permissions, *self.guards, *self.roles]:
            if action not in action_values:
                problems.append(f"unknown action {action!r} in permissions or guards")
        if problems:
            raise ValueError(f"workflow {self.name}: " + "; ".join(problems))

    # --- questions ------------------------------------------------------------------

    def state_of(self, case) -> str:
        return getattr(case, self.status_field)

    def label(self, action: str) -> str:
        try:
            return str(self.actions(action).label)
        except ValueError:
            return action

    def state_label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def is_final(self, state: str) -> bool:
        return not self.table.get(state)

    def target(self, case, action: str) -> str:
        """The state ``action`` leads to from the case's state, or a WorkflowError."""
        moves = self.table.get(self.state_of(case), {})
        if action not in moves:
            raise WorkflowError(
                self.not_possible
                % {"action": self.label(action), "status": self.state_label(self.state_of(case))}
            )
        return moves[action]

    def reason(self, case, action: str, actor) -> str | None:
        """None when ``actor`` may take ``action`` now (the state allowing it); otherwise why not."""
        kind = self.actors[action]
        why = self.actor_rule(case, action, kind, actor)
        if why:
            return why
        why = self.role_reason(action, actor)
        if why:
            return why
        permission = self.permissions.get(action)
        if permission and is_user(actor) and actor.is_staff and not actor.has_perm(permission):
            return _("Your role does not allow “%(action)s”.") % {"action": self.label(action)}
        for guard in self.guards.get(action, ()):
            why = guard(case, action)
            if why:
                return why
        return None

    def role_reason(self, action: str, actor) -> str | None:
        """None unless ``action`` is reserved to roles that ``actor`` (a member of staff) lacks."""
        codes = self.roles.get(action)
        if not codes or not is_user(actor) or not actor.is_staff or actor.is_superuser:
            return None
        if actor.has_role(*codes):
            return None
        from portal.roles import ROLE_LABELS

        names = " / ".join(str(ROLE_LABELS.get(code, code)) for code in codes)
        return _("Only staff with the role %(roles)s take “%(action)s”.") % {
            "action": self.label(action),
            "roles": names,
        }

    def check(self, case, action: str, actor) -> str:
        """Raise WorkflowError unless ``actor`` may take ``action`` now; return the next state."""
        next_state = self.target(case, action)
        why = self.reason(case, action, actor)
        if why:
            raise WorkflowError(why)
        return next_state

    def allowed_actions(self, case, actor) -> list[str]:
        """The actions ``actor`` may take now, in the table's order (for buttons)."""
        allowed = []
        for action in self.table.get(self.state_of(case), {}):
            if self.actors[action] in self.automatic:
                continue
            if self.reason(case, action, actor) is None:
                allowed.append(action)
        return allowed

    def describe(self) -> list[tuple[str, str, str, str]]:
        """Rows (state, action, next state, actor kind): the table as documentation."""
        return [
            (state, action, target, self.actors[action])
            for state, moves in self.table.items()
            for action, target in moves.items()
        ]
