"""The kernel's workflow table: validated when built, checks in a fixed order, permissions enforced."""

from __future__ import annotations

import pytest
from django.db import models

from onestop import workflow as wf
from onestop.models import DossierStatus
from portal import roles
from portal.workflow import Citizen, Workflow, WorkflowError
from tests.onestop.factories import make_dossier


class State(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Act(models.TextChoices):
    CLOSE = "close", "Close"


def anyone(case, action, kind, actor):
    return None


def test_a_table_naming_an_unknown_state_or_action_fails_when_built():
    with pytest.raises(ValueError, match="unknown target"):
        Workflow(
            name="t",
            states=State,
            actions=Act,
            table={State.OPEN: {Act.CLOSE: "gone"}, State.CLOSED: {}},
            actors={Act.CLOSE: "x"},
            actor_rule=anyone,
        )
    with pytest.raises(ValueError, match="no actor kind"):
        Workflow(
            name="t",
            states=State,
            actions=Act,
            table={State.OPEN: {Act.CLOSE: State.CLOSED}, State.CLOSED: {}},
            actors={},
            actor_rule=anyone,
        )


def test_guards_run_after_the_actor_rule_and_give_their_reason():
    class Case:
        status = State.OPEN

    flow = Workflow(
        name="t",
        states=State,
        actions=Act,
        table={State.OPEN: {Act.CLOSE: State.CLOSED}, State.CLOSED: {}},
        actors={Act.CLOSE: "x"},
        actor_rule=anyone,
        guards={Act.CLOSE: [lambda case, action: "not on Sundays"]},
    )
    with pytest.raises(WorkflowError, match="not on Sundays"):
        flow.check(Case(), Act.CLOSE, None)
    assert flow.allowed_actions(Case(), None) == []


def test_the_workflow_checks_the_permissions_it_declares(cast):
    """A one-stop officer of the unit holding the step holds neither the specialist's role (the
    workflow table reserves the step to it) nor the process permission: refused, whoever asks."""
    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    step = dossier.steps.get(status="active")
    officer = type(cast.officer).objects.create(username="p1.mc2", unit=step.unit, is_staff=True)
    officer.groups.add(roles.group_for(roles.ONESTOP_OFFICER))
    with pytest.raises(WorkflowError, match="Chuyên viên / Lãnh đạo"):
        wf.check(dossier, wf.HAND_OVER if dossier.steps.count() > 1 else wf.SUBMIT_FOR_APPROVAL, officer)
    officer.groups.add(roles.group_for(roles.SPECIALIST))
    fresh = type(officer).objects.get(pk=officer.pk)  # permissions are cached per user object
    assert wf.allowed_actions(dossier, fresh)


def test_citizens_act_only_on_their_own_case(cast):
    dossier = make_dossier(cast, DossierStatus.RETURNED)
    other = make_dossier(cast, DossierStatus.RETURNED)
    assert wf.allowed_actions(dossier, Citizen(dossier.pk)) == [wf.RATE]
    with pytest.raises(WorkflowError):
        wf.check(dossier, wf.RATE, Citizen(other.pk))


def test_roles_are_found_by_code_even_after_the_group_is_renamed(cast):
    group = roles.group_for(roles.LEADER)
    group.name = "Lãnh đạo đơn vị"
    group.save()
    leader = type(cast.ward_leader).objects.get(pk=cast.ward_leader.pk)
    assert leader.has_role(roles.LEADER)
