"""Days off and swapped working days announced for 2025-2027 (DOMAIN.md §4).

Loaded by a data migration and by ``seed_demo``; afterwards the calendar is
data that administrators edit in the admin. 2027 holds the statutory days
(Labour Code 2019 Art. 112, a holiday falling on a weekly rest day moved to
the next working day) until the Prime Minister's schedule is entered: those
rows are *provisional* (:data:`PROVISIONAL_YEARS`) and the admin shows them
so until an administrator confirms them. Later corrections to years already
installed ship as their own data migrations (e.g. ``0005_calendar_2026_swap``:
Saturday 22/8/2026 worked, swapped for Monday 31/8/2026).
"""

from datetime import date, timedelta

OFF = "off"
WORK = "work"
# Years whose days off the Prime Minister had not announced when this was written.
PROVISIONAL_YEARS = {2027}
SWAP_2026 = "Làm bù cho ngày nghỉ thứ Hai 31/8 (Quốc khánh)"


def _span(first: date, last: date, name: str):
    day = first
    while day <= last:
        yield day, OFF, name
        day += timedelta(days=1)


def entries():
    # 2025
    yield date(2025, 1, 1), OFF, "Tết Dương lịch"
    yield from _span(date(2025, 1, 25), date(2025, 2, 2), "Tết Nguyên đán")
    yield date(2025, 4, 7), OFF, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
    yield date(2025, 4, 26), WORK, "Làm bù cho ngày nghỉ 2/5"
    yield from _span(date(2025, 4, 30), date(2025, 5, 4), "Ngày Chiến thắng và Quốc tế Lao động")
    yield from _span(date(2025, 8, 30), date(2025, 9, 2), "Quốc khánh")
    # 2026
    yield from _span(date(2026, 1, 1), date(2026, 1, 4), "Tết Dương lịch")
    yield date(2026, 1, 10), WORK, "Làm bù cho ngày nghỉ 2/1"
    yield from _span(date(2026, 2, 14), date(2026, 2, 22), "Tết Nguyên đán")
    yield date(2026, 4, 27), OFF, "Nghỉ bù Giỗ Tổ Hùng Vương (Chủ nhật 26/4)"
    yield from _span(date(2026, 4, 30), date(2026, 5, 3), "Ngày Chiến thắng và Quốc tế Lao động")
    yield date(2026, 8, 22), WORK, SWAP_2026
    yield from _span(date(2026, 8, 29), date(2026, 9, 2), "Quốc khánh")
    # 2027: statutory days until the official schedule is entered.
    yield date(2027, 1, 1), OFF, "Tết Dương lịch"
    yield from _span(date(2027, 2, 5), date(2027, 2, 9), "Tết Nguyên đán")
    yield date(2027, 2, 10), OFF, "Nghỉ bù Tết Nguyên đán (mùng 1 rơi vào thứ Bảy)"
    yield date(2027, 2, 11), OFF, "Nghỉ bù Tết Nguyên đán (mùng 2 rơi vào Chủ nhật)"
    yield date(2027, 4, 16), OFF, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
    yield date(2027, 4, 30), OFF, "Ngày Chiến thắng"
    yield date(2027, 5, 3), OFF, "Nghỉ bù Quốc tế Lao động (1/5 rơi vào thứ Bảy)"
    yield date(2027, 9, 2), OFF, "Quốc khánh"
    yield date(2027, 9, 3), OFF, "Quốc khánh (ngày liền kề)"


def load(calendar_model) -> int:
    """Insert the entries missing from ``calendar_model``; returns how many were added."""
    existing = set(calendar_model.objects.values_list("date", flat=True))
    # A migration's historical model may predate the ``provisional`` column.
    has_flag = any(f.name == "provisional" for f in calendar_model._meta.fields)
    rows = []
    for d, k, n in entries():
        if d in existing:
            continue
        extra = {"provisional": d.year in PROVISIONAL_YEARS} if has_flag else {}
        rows.append(calendar_model(date=d, kind=k, name=n, **extra))
    calendar_model.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
