"""Statistics per unit and period, in the terms of the city's 2022 report.

"In the first half of 2022 the units received and handled more than 70,800
electronic documents and issued more than 13,200, all signed digitally":
per unit, for a period, the documents received (registered; electronic
among them), handled (closed: on time, late), issued, and issued with a
digital signature. Four grouped queries, whatever the number of units.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import translation
from django.utils.translation import gettext as _

from documents.models import Direction, Document, Medium, Timeliness
from documents.selectors import _start
from portal.models import Unit


@dataclass
class Row:
    unit: Unit
    received: int = 0
    received_electronic: int = 0
    handled_on_time: int = 0
    handled_late: int = 0
    issued: int = 0
    signed_digitally: int = 0

    @property
    def handled(self) -> int:
        return self.handled_on_time + self.handled_late


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)

    @property
    def totals(self) -> dict[str, int]:
        names = [
            "received",
            "received_electronic",
            "handled_on_time",
            "handled_late",
            "handled",
            "issued",
            "signed_digitally",
        ]
        return {n: self.total(n) for n in names}


def per_unit(user, start: date, end: date) -> Table:
    units = list(Unit.objects.visible_to(user).order_by("path"))
    by_id = {u.pk: Row(u) for u in units}
    docs = Document.objects.filter(unit_id__in=list(by_id))
    lo, hi = _start(start), _start(end, plus_day=True)
    received = (
        docs.filter(
            direction=Direction.INCOMING, arrival_number__isnull=False, arrived_at__gte=lo, arrived_at__lt=hi
        )
        .values("unit_id")
        .annotate(n=Count("pk"), e=Count("pk", filter=Q(medium=Medium.ELECTRONIC)))
        .order_by()
    )
    for r in received:
        by_id[r["unit_id"]].received, by_id[r["unit_id"]].received_electronic = r["n"], r["e"]
    handled = (
        docs.filter(direction=Direction.INCOMING, closed_at__gte=lo, closed_at__lt=hi)
        .values("unit_id")
        .annotate(
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        )
        .order_by()
    )
    for r in handled:
        by_id[r["unit_id"]].handled_on_time, by_id[r["unit_id"]].handled_late = r["on_time"], r["late"]
    issued = (
        docs.filter(direction=Direction.OUTGOING, issued_at__gte=lo, issued_at__lt=hi)
        .values("unit_id")
        .annotate(n=Count("pk"), s=Count("pk", filter=Q(digitally_signed=True)))
        .order_by()
    )
    for r in issued:
        by_id[r["unit_id"]].issued, by_id[r["unit_id"]].signed_digitally = r["n"], r["s"]
    rows = [r for r in by_id.values() if r.received or r.handled or r.issued]
    return Table(rows)


def summary_sentence(table: Table) -> str:
    t = table.totals
    return _(
        "The units received %(received)s documents (%(electronic)s electronic), handled %(handled)s "
        "(%(on_time)s on time, %(late)s late) and issued %(issued)s, of which %(signed)s signed digitally."
    ) % {
        "received": f"{t['received']:,}".replace(",", "."),
        "electronic": f"{t['received_electronic']:,}".replace(",", "."),
        "handled": f"{t['handled']:,}".replace(",", "."),
        "on_time": f"{t['handled_on_time']:,}".replace(",", "."),
        "late": f"{t['handled_late']:,}".replace(",", "."),
        "issued": f"{t['issued']:,}".replace(",", "."),
        "signed": f"{t['signed_digitally']:,}".replace(",", "."),
    }


HEADER = [
    "unit",
    "received",
    "received_electronic",
    "handled_on_time",
    "handled_late",
    "issued",
    "signed_digitally",
]


def labels() -> list[str]:
    return [
        _("Unit"),
        _("Received"),
        _("of which electronic"),
        _("Handled on time"),
        _("Handled late"),
        _("Issued"),
        _("Signed digitally"),
    ]


def as_xlsx(table: Table, start: date, end: date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = "Thong ke"
        sheet.append(
            [
                _("Documents from %(start)s to %(end)s")
                % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
            ]
        )
        sheet.append(labels())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for r in table.rows:
            sheet.append(
                [
                    r.unit.name,
                    r.received,
                    r.received_electronic,
                    r.handled_on_time,
                    r.handled_late,
                    r.issued,
                    r.signed_digitally,
                ]
            )
        t = table.totals
        sheet.append(
            [
                _("Total"),
                t["received"],
                t["received_electronic"],
                t["handled_on_time"],
                t["handled_late"],
                t["issued"],
                t["signed_digitally"],
            ]
        )
        sheet.append([summary_sentence(table)])
        sheet.column_dimensions["A"].width = 50
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()
