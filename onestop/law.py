"""Which law applies to a dossier: the regime and the forms in force on the day it was received.

Decree 61/2018/NĐ-CP with Circular 01/2018/TT-VPCP for dossiers received
before 1 July 2025; Decree 118/2025/NĐ-CP from then on, with the forms of
Circular 03/2025/TT-VPCP from that circular's effective date (DOMAIN.md §6).
Everything here is read from data (:class:`onestop.models.LegalRegime`,
:class:`~onestop.models.FormSet`, :class:`~onestop.models.DeskName`); the
seed in :mod:`onestop.law_data` stands in only when the tables are empty.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from onestop import law_data
from onestop.models import DeskName, FormSet, LegalForm, LegalRegime
from portal import workdays


def reception_day(dossier) -> date:
    """The day the dossier was received (or filed, or today for a draft)."""
    when = dossier.received_at or dossier.submitted_at or timezone.now()
    return workdays.local(when).date()


def _in_force(rows, day: date):
    """The row of ``rows`` in force on ``day``: the latest effective by then (else the earliest)."""
    return max((r for r in rows if r.effective_from <= day), key=lambda r: r.effective_from, default=rows[0])


def _cached(dossier, attribute: str, compute):
    """``compute(day)`` for the dossier's reception day, kept on the instance while that day holds."""
    day = reception_day(dossier)
    cached = getattr(dossier, attribute, None)
    if cached is None or cached[0] != day:
        cached = (day, compute(day))
        setattr(dossier, attribute, cached)
    return cached[1]


def regime_on(day: date) -> LegalRegime:
    stored = LegalRegime.objects.in_force_on(day)
    return stored or _in_force([LegalRegime(**data) for data in law_data.REGIMES], day)


def regime_for(dossier) -> LegalRegime:
    """The regime in force on the day ``dossier`` was received."""
    return _cached(dossier, "_regime", regime_on)


class _SeedForms:
    """A form set from the seed, with the same reading interface as a stored one."""

    def __init__(self, data: dict):
        self.code, self.circular, self.effective_from = data["code"], data["circular"], data["effective_from"]
        self.titles = {letter: (number, title) for letter, number, title in data["forms"]}


def _form_set_on(day: date):
    return FormSet.objects.in_force_on(day) or _in_force([_SeedForms(d) for d in law_data.FORM_SETS], day)


def forms_on(day: date) -> dict[str, tuple[str, str]]:
    """{letter slug: (form number, printed title)} of the form set in force on ``day``."""
    form_set = _form_set_on(day)
    if isinstance(form_set, _SeedForms):
        return form_set.titles
    return {f.letter: (f.number, f.title) for f in LegalForm.objects.filter(form_set=form_set)}


def form_set_on(day: date) -> str:
    """The citation of the circular whose forms are in force on ``day``."""
    return _form_set_on(day).circular


def form_set_code_on(day: date) -> str:
    """The code of that form set (``tt-03-2025``): it also picks the letters' prose templates."""
    return _form_set_on(day).code


def forms_for(dossier) -> dict[str, tuple[str, str]]:
    return _cached(dossier, "_forms", forms_on)


def form(dossier, letter: str) -> tuple[str, str] | None:
    """(number, title) of ``letter`` in the dossier's form set, or None if that set has no such form."""
    return forms_for(dossier).get(letter)


def desk_name(unit, regime: LegalRegime) -> str:
    """The name of ``unit``'s one-stop desk under ``regime``: its own :class:`DeskName` row, else
    the regime's pattern (``{unit}``: the unit's name, ``{committee}``: its people's committee)."""
    from portal import pdf

    if regime.pk is not None:
        own = DeskName.objects.filter(unit=unit, regime=regime).values_list("name", flat=True).first()
        if own:
            return own
    name = " ".join(str(unit.name).split())
    try:
        return regime.desk_name.format(unit=name, committee=pdf.display_name(unit))
    except (KeyError, IndexError, ValueError):  # a pattern mistyped in the admin
        return f"{regime.desk_name} {name}"


def dossier_desk(dossier) -> str:
    return desk_name(dossier.receiving_unit, regime_for(dossier))
