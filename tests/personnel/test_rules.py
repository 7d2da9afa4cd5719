"""The rules on the law's real cases: the retirement roadmap (Decree 135/2020 Appendix I) and step intervals."""

from datetime import date

import pytest

from personnel import rules
from personnel.models import LegalRule, RetirementAge

pytestmark = pytest.mark.django_db


def _retire(born, sex, year_only=False):
    return rules.retirement(born, sex, list(RetirementAge.objects.all()), year_only)


@pytest.mark.parametrize(
    "born, age, retires, pension",
    [
        # Decree 135/2020 Appendix I, men: the age of the year in which it is reached.
        (date(1960, 12, 10), (60, 0), date(2020, 12, 31), date(2021, 1, 1)),  # before the roadmap
        (date(1961, 1, 15), (60, 3), date(2021, 4, 30), date(2021, 5, 1)),
        (date(1961, 9, 30), (60, 3), date(2021, 12, 31), date(2022, 1, 1)),
        (date(1961, 10, 1), (60, 6), date(2022, 4, 30), date(2022, 5, 1)),  # 60y3m would be 2022: too young
        (date(1962, 6, 5), (60, 6), date(2022, 12, 31), date(2023, 1, 1)),
        (date(1962, 7, 5), (60, 9), date(2023, 4, 30), date(2023, 5, 1)),
        (date(1963, 4, 1), (61, 0), date(2024, 4, 30), date(2024, 5, 1)),
        (date(1964, 1, 1), (61, 3), date(2025, 4, 30), date(2025, 5, 1)),
        (date(1966, 3, 20), (61, 9), date(2027, 12, 31), date(2028, 1, 1)),
        (date(1966, 4, 20), (62, 0), date(2028, 4, 30), date(2028, 5, 1)),
        (date(1980, 2, 29), (62, 0), date(2042, 2, 28), date(2042, 3, 1)),
    ],
)
def test_retirement_roadmap_men(born, age, retires, pension):
    result = _retire(born, "male")
    assert (result.age_years, result.age_months) == age
    assert result.date == retires
    assert result.pension_from == pension


@pytest.mark.parametrize(
    "born, age, retires",
    [
        (date(1966, 1, 10), (55, 4), date(2021, 5, 31)),
        (date(1966, 8, 10), (55, 4), date(2021, 12, 31)),
        (date(1966, 9, 10), (55, 8), date(2022, 5, 31)),
        (date(1967, 4, 10), (55, 8), date(2022, 12, 31)),
        (date(1967, 5, 10), (56, 0), date(2023, 5, 31)),
        (date(1968, 9, 1), (56, 8), date(2025, 5, 31)),
        (date(1970, 1, 1), (57, 4), date(2027, 5, 31)),
        (date(1975, 4, 1), (59, 8), date(2034, 12, 31)),
        (date(1975, 5, 1), (60, 0), date(2035, 5, 31)),  # 59y8m would be 01/2035, when 60 is required
    ],
)
def test_retirement_roadmap_women(born, age, retires):
    result = _retire(born, "female")
    assert (result.age_years, result.age_months) == age
    assert result.date == retires


def test_year_of_birth_only_counts_from_1_january():
    # Decree 135/2020 Art. 3(3): only the year known → 1 January.
    assert _retire(date(1964, 8, 17), "male", year_only=True).date == date(2025, 4, 30)


def test_a_new_roadmap_row_is_data():
    RetirementAge.objects.create(
        sex="male", effective_from=date(2040, 1, 1), years=63, months=0, basis="test"
    )
    assert _retire(date(1978, 6, 1), "male").date == date(2041, 6, 30)


def test_step_interval_university_and_intermediate():
    held = date(2022, 3, 15)
    assert rules.step_due(3, 9, held, "college_or_higher").due == date(2025, 3, 15)
    assert rules.step_due(3, 12, held, "intermediate_or_lower").due == date(2024, 3, 15)
    assert rules.step_due(3, 6, held, "senior_expert").due == date(2027, 3, 15)


def test_last_step_has_no_regular_raise():
    due = rules.step_due(9, 9, date(2020, 1, 1), "college_or_higher")
    assert due.last_step and due.due is None


def test_discipline_delays_the_raise_by_the_heaviest_form():
    held = date(2022, 1, 1)
    due = rules.step_due(
        2, 9, held, "college_or_higher", [("reprimand", date(2022, 6, 1)), ("dismissal", date(2023, 1, 1))]
    )
    assert (due.delay_months, due.due) == (12, date(2026, 1, 1))
    # A discipline before the step was held does not delay it.
    assert rules.step_due(2, 9, held, "college_or_higher", [("warning", date(2021, 6, 1))]).delay_months == 0


def test_interval_is_taken_from_the_row_in_force():
    LegalRule.objects.create(
        name="step_interval.college_or_higher", effective_from=date(2030, 1, 1), value=48, basis="test"
    )
    assert rules.step_due(1, 9, date(2029, 12, 31), "college_or_higher").interval_months == 36
    assert rules.step_due(1, 9, date(2030, 1, 1), "college_or_higher").interval_months == 48


def test_check_raise_refuses_early_and_explains():
    held = date(2023, 5, 1)
    due = rules.step_due(2, 9, held, "college_or_higher")
    why = rules.check_raise(2, 9, 3, date(2026, 4, 30), due, held, early=False, early_max_months=12)
    assert "01/05/2026" in why
    assert rules.check_raise(2, 9, 3, date(2026, 5, 1), due, held, early=False, early_max_months=12) is None
    assert rules.check_raise(2, 9, 4, date(2026, 5, 1), due, held, early=False, early_max_months=12)
    assert rules.check_raise(2, 9, 3, date(2025, 5, 1), due, held, early=True, early_max_months=12) is None
    assert rules.check_raise(2, 9, 3, date(2025, 4, 30), due, held, early=True, early_max_months=12)
