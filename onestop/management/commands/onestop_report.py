"""Print the one-stop figures of a period, as the city's periodic report publishes them.

python manage.py onestop_report --from 2022-01-01 --to 2022-06-30
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from onestop import stats


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})


def _pct(value) -> str:
    return "–" if value is None else number_format(value, 1) + "%"


def _int(value: int) -> str:
    """Thousands grouped as the language writes them: 123.833 in Vietnamese."""
    return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


class Command(BaseCommand):
    help = (
        "Print the one-stop desk figures of a period (services by level, dossiers, timeliness, online share)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--units", action="store_true", help="also print one line per receiving unit")

    def handle(self, *args, start, end, units=False, **options):
        period = stats.Period(_date(start), _date(end))
        if period.end < period.start:
            raise CommandError(_("The end of the period is before its start."))
        report = stats.report(period)
        for line in self.lines(report, units):
            self.stdout.write(line)

    def lines(self, report, units: bool):
        city, levels = report.city, report.levels
        yield _("One-stop desk report, %(start)s to %(end)s") % {
            "start": report.period.start.strftime("%d/%m/%Y"),
            "end": report.period.end.strftime("%d/%m/%Y"),
        }
        yield _("Online public services: %(total)s (level 2: %(l2)s; level 3: %(l3)s; level 4: %(l4)s)") % {
            "total": _int(report.services),
            "l2": _int(levels.get(2, 0)),
            "l3": _int(levels.get(3, 0)),
            "l4": _int(levels.get(4, 0)),
        }
        classes = report.online_classes
        yield _(
            "By Decree 42/2022: fully online %(full)s; partly online %(partial)s; not online %(offline)s"
        ) % {
            "full": _int(classes.get("full", 0)),
            "partial": _int(classes.get("partial", 0)),
            "offline": _int(classes.get("offline", 0)),
        }
        yield _("Dossiers received: %(received)s, of which online: %(online)s (%(share)s)") % {
            "received": _int(city.received),
            "online": _int(city.online),
            "share": _pct(city.online_share),
        }
        yield _(
            "Dossiers resolved: %(resolved)s (early: %(early)s; on time: %(on_time)s; late: %(late)s; "
            "refused: %(refused)s)"
        ) % {
            "resolved": _int(city.resolved),
            "early": _int(city.early),
            "on_time": _int(city.on_time),
            "late": _int(city.late),
            "refused": _int(city.refused),
        }
        yield _("Returned early or on time: %(share)s") % {"share": _pct(city.on_time_share)}
        yield _("In progress at the end of the period: %(open)s, of which overdue: %(overdue)s") % {
            "open": _int(city.in_progress),
            "overdue": _int(city.overdue),
        }
        if city.rated:
            yield _(
                "Rated dossiers: %(rated)s; average rating: %(rating)s / 2; Decree 61 score: %(score)s / %(max)s"
            ) % {
                "rated": _int(city.rated),
                "rating": number_format(city.rating, 1),
                "score": number_format(city.score, 1),
                "max": stats.SCORE_MAX,
            }
        if units:
            yield ""
            for row in report.units:
                yield _(
                    "%(unit)s: received %(received)s, resolved %(resolved)s (early %(early)s, "
                    "on time %(on_time)s, late %(late)s), in progress %(open)s, overdue %(overdue)s"
                ) % {
                    "unit": row.unit.name,
                    "received": _int(row.received),
                    "resolved": _int(row.resolved),
                    "early": _int(row.early),
                    "on_time": _int(row.on_time),
                    "late": _int(row.late),
                    "open": _int(row.in_progress),
                    "overdue": _int(row.overdue),
                }
