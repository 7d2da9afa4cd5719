"""Staff-record fixtures: files created through the services, as an officer would."""

from __future__ import annotations

import itertools
from datetime import date

from personnel import services
from personnel.models import Rank

_numbers = itertools.count(1)


def make_file(
    actor,
    unit,
    *,
    user=None,
    sex="male",
    birth_date=date(1985, 5, 20),
    rank="01.003",
    step=1,
    step_from=date(2020, 1, 1),
    position="Chuyên viên",
    start=date(2010, 9, 1),
    **extra,
):
    n = next(_numbers)
    data = {
        "staff_number": extra.pop("staff_number", f"T{n:05d}"),
        "full_name": extra.pop("full_name", f"Nguyễn Văn Thử {n}"),
        "sex": sex,
        "birth_date": birth_date,
        "category": extra.pop("category", "civil_servant"),
        **extra,
    }
    salary = None
    if rank:
        salary = {"rank": Rank.objects.get(code=rank), "step": step, "start_date": step_from}
    return services.create_file(
        actor, data, {"unit": unit, "position": position, "start_date": start}, salary, user=user
    )
