"""The rules of the staff records, computed from the data the law fixes (``LegalRule``, ``RetirementAge``).

Retirement (Labour Code 2019 Art. 169(2); Decree 135/2020/NĐ-CP):

- the normal retirement age rises from 1 January 2021 by 3 months a year for
  men (60 years 3 months in 2021 … 62 years from 2028) and by 4 months a year
  for women (55 years 4 months in 2021 … 60 years from 2035) (Art. 4 and
  Appendix I); the age that applies is the one of the year in which it is
  reached, so a man born in October 1961 does not retire at 60 years 3 months
  (January 2022) but at 60 years 6 months (April 2022);
- the retirement date is the end of the last day of the month in which the
  age is reached; the pension starts the first day of the next month (Art. 3(1)-(2));
- when the file gives only the year of birth, 1 January of that year is used (Art. 3(3)).

Regular salary steps (Decree 204/2004/NĐ-CP Art. 7; Circular 08/2013/TT-BNV
Art. 2, amended by Circular 03/2021/TT-BNV):

- a step is held 36 months for ranks requiring a college degree or higher, 24
  months for ranks requiring intermediate training or lower and for support
  staff, 60 months for senior experts (Art. 2(1)(a));
- a discipline in force while the step is held delays the raise: 6 months
  for a reprimand or a warning, 12 months for a salary step demotion,
  demotion or dismissal from post (Art. 2(3)); the heaviest one applies;
- no raise past the last step of the scale (seniority allowance beyond the
  frame takes over, Circular 08/2013 Art. 4, not computed here);
- an early raise (Art. 3) may come at most 12 months before the regular date.

Every number above is a row of data with an effective date; the functions
here take the rows in force on the date that matters.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

STEP_INTERVAL = "step_interval.{group}"
STEP_DELAY = "step_delay.{form}"
EARLY_RAISE_MAX = "early_raise.max_months"
REMINDER_STEP_DAYS = "reminder.step_due_days"
REMINDER_RETIREMENT_NOTICE = "reminder.retirement_notice_months"
REMINDER_RETIREMENT_DECISION = "reminder.retirement_decision_months"
REMINDER_CONTRACT_DAYS = "reminder.contract_end_days"
REMINDER_CERTIFICATE_DAYS = "reminder.certificate_days"


class RuleMissing(LookupError):
    """No row of a rule is in force on the date asked (the data must be completed)."""


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the day clipped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- legal rules ------------------------------------------------------------------------------


def rule_value(name: str, on: date, rows: Iterable | None = None) -> int:
    """The value of rule ``name`` in force on ``on`` (the latest row not after it)."""
    if rows is None:
        from personnel.models import LegalRule

        rows = LegalRule.objects.filter(name=name, effective_from__lte=on).order_by("-effective_from")[:1]
        for row in rows:
            return row.value
        raise RuleMissing(name)
    candidates = [r for r in rows if r.name == name and r.effective_from <= on]
    if not candidates:
        raise RuleMissing(name)
    return max(candidates, key=lambda r: r.effective_from).value


# --- retirement ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retirement:
    age_years: int
    age_months: int
    date: date  # the retirement date: last day of the month the age is reached

    @property
    def pension_from(self) -> date:
        return add_months(date(self.date.year, self.date.month, 1), 1)


def retirement(birth_date: date, sex: str, roadmap: Sequence, year_only: bool = False) -> Retirement:
    """When someone born on ``birth_date`` retires under the roadmap rows of their sex.

    The first month in which the person's age (in whole months, counted from
    the month of birth) reaches the age required in that month.
    """
    rows = sorted((r for r in roadmap if r.sex == sex), key=lambda r: r.effective_from)
    if not rows:
        raise RuleMissing(f"retirement age ({sex})")
    born = date(birth_date.year, 1, 1) if year_only else birth_date
    start = born.year * 12 + born.month - 1

    def required(year: int, month: int) -> int:
        first = date(year, month, 1)
        current = rows[0]
        for row in rows:
            if row.effective_from <= first:
                current = row
        return current.years * 12 + current.months

    lowest = min(r.years * 12 + r.months for r in rows)
    highest = max(r.years * 12 + r.months for r in rows)
    for index in range(start + lowest, start + highest + 1):
        year, month0 = divmod(index, 12)
        need = required(year, month0 + 1)
        if index - start >= need:
            return Retirement(need // 12, need % 12, end_of_month(year, month0 + 1))
    raise RuleMissing("retirement age")  # unreachable with a consistent roadmap


# --- salary steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepDue:
    due: date | None  # None: the last step of the scale is held
    interval_months: int
    delay_months: int
    last_step: bool


def step_due(
    step: int,
    steps_in_scale: int,
    held_from: date,
    interval_group: str,
    disciplines: Iterable[tuple[str, date]] = (),
    rules: Iterable | None = None,
) -> StepDue:
    """When the next regular raise falls due for a step held from ``held_from``.

    ``disciplines``: (form, in effect from) of the file's disciplines; those in
    force from ``held_from`` on delay the raise by the heaviest rule.
    """
    rules = list(rules) if rules is not None else None
    interval = rule_value(STEP_INTERVAL.format(group=interval_group), held_from, rules)
    delay = 0
    for form, start in disciplines:
        if start >= held_from:
            try:
                delay = max(delay, rule_value(STEP_DELAY.format(form=form), start, rules))
            except RuleMissing:
                continue
    if step >= steps_in_scale:
        return StepDue(None, interval, delay, True)
    return StepDue(add_months(held_from, interval + delay), interval, delay, False)


def check_raise(
    current_step: int,
    steps_in_scale: int,
    new_step: int,
    on: date,
    due: StepDue,
    held_from: date,
    early: bool,
    early_max_months: int,
) -> str | None:
    """Why a raise to ``new_step`` on ``on`` is not allowed, or None."""
    if due.last_step or current_step >= steps_in_scale:
        return _("Step %(step)s is the last step of this scale: no further regular raise.") % {
            "step": current_step
        }
    if new_step != current_step + 1:
        return _("A raise moves one step at a time: from step %(step)s to step %(next)s.") % {
            "step": current_step,
            "next": current_step + 1,
        }
    if on < held_from:
        return _("The raise cannot take effect before the current step (%(date)s).") % {
            "date": held_from.strftime("%d/%m/%Y")
        }
    earliest = add_months(due.due, -early_max_months) if early else due.due
    if on < earliest:
        if early:
            return _(
                "An early raise may come at most %(months)s months before the regular date "
                "(%(due)s): not before %(date)s."
            ) % {
                "months": early_max_months,
                "due": due.due.strftime("%d/%m/%Y"),
                "date": earliest.strftime("%d/%m/%Y"),
            }
        return _(
            "Too early: step %(step)s has been held since %(since)s and must be held %(months)s months"
            "%(delay)s; the regular raise is possible from %(date)s."
        ) % {
            "step": current_step,
            "since": held_from.strftime("%d/%m/%Y"),
            "months": due.interval_months,
            "delay": (_(" plus %(n)s months for discipline") % {"n": due.delay_months})
            if due.delay_months
            else "",
            "date": due.due.strftime("%d/%m/%Y"),
        }
    return None
