"""Every lifecycle state is reachable through the services (the factories' contract)."""

import pytest

from onestop.models import DossierStatus
from tests.onestop.factories import make_dossier


@pytest.mark.parametrize("state", [s for s in DossierStatus if s != DossierStatus.AWAITING_PAYMENT])
def test_each_state_is_reachable(cast, state):
    dossier = make_dossier(cast, state)
    dossier.refresh_from_db()
    assert dossier.status == state
    assert dossier.events.last().to_status == state


def test_level4_waits_for_payment(cast):
    dossier = make_dossier(cast, DossierStatus.SUBMITTED, service=cast.paid_service)
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.code.startswith("000.01.26.H58-")


def test_dossier_history_is_append_only(cast):
    from django.core.exceptions import ValidationError

    dossier = make_dossier(cast, DossierStatus.PROCESSING)
    event = dossier.events.last()
    event.note = "rewritten"
    with pytest.raises(ValidationError, match="append-only"):
        event.save()
    with pytest.raises(ValidationError, match="append-only"):
        event.delete()
    assert dossier.events.get(pk=event.pk).note != "rewritten"


def test_officials_do_not_see_a_citizens_draft(cast):
    from onestop.models import Dossier

    draft = make_dossier(cast, DossierStatus.DRAFT)
    submitted = make_dossier(cast, DossierStatus.SUBMITTED)
    seen = set(Dossier.objects.visible_to(cast.officer))
    assert submitted in seen and draft not in seen
