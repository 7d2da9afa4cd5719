"""The e-government report for any period, from live data, in the terms of the city's 2022 article.

The article ("Mỹ Tho, first half of 2022", ../shared/seed/FIGURES.md) reports,
system by system: the document management system's units and accounts; the
documents received, handled and issued city-wide and at the city people's
committee, and the share handled electronically; official mailboxes; the
one-stop desk's online services by level and the dossiers returned late;
digital signature certificates by kind; the website's articles and legal
documents; feedback received and answered; online meetings. ``build()``
computes each section with a few grouped queries (bounded whatever the data
size), scoped to the units the official sees (``portal.scoping``); ``pdf()``
and ``docx()`` export it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from portal import workdays
from portal.scoping import visible_unit_ids


@dataclass
class Section:
    key: str
    title: str
    rows: list[tuple[str, int | str]] = field(default_factory=list)
    chart: list[tuple[str, int]] = field(default_factory=list)
    sentence: str = ""

    @property
    def chart_max(self) -> int:
        return max([v for _l, v in self.chart] or [0]) or 1

    @property
    def bars(self) -> list[dict]:
        """Bars for an SVG chart: label, value, width in per cent of the longest."""
        top = self.chart_max
        return [
            {"label": label, "value": value, "width": round(100 * value / top, 1)}
            for label, value in self.chart
        ]


@dataclass
class Report:
    start: date
    end: date
    sections: list[Section]
    figures: dict

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, tzinfo=workdays.TZ),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=workdays.TZ),
    )


def _n(value) -> str:
    return f"{value:,}".replace(",", ".")


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def committee():
    """The city people's committee: the top unit of kind committee."""
    from portal.models import Unit, UnitKind

    return Unit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE, parent__isnull=True).order_by("pk").first()


def _documents(lo, hi, unit_ids, only_unit=None) -> dict:
    from documents.models import Direction, Document, Medium

    docs = Document.objects.order_by()
    if only_unit is not None:
        docs = docs.filter(unit_id=only_unit)
    elif unit_ids is not None:
        docs = docs.filter(unit_id__in=unit_ids)
    incoming = docs.filter(direction=Direction.INCOMING).aggregate(
        received=Count("pk", filter=Q(arrival_number__isnull=False, arrived_at__gte=lo, arrived_at__lt=hi)),
        electronic=Count(
            "pk",
            filter=Q(
                arrival_number__isnull=False, arrived_at__gte=lo, arrived_at__lt=hi, medium=Medium.ELECTRONIC
            ),
        ),
        handled=Count("pk", filter=Q(closed_at__gte=lo, closed_at__lt=hi)),
    )
    outgoing = docs.filter(direction=Direction.OUTGOING, issued_at__gte=lo, issued_at__lt=hi).aggregate(
        issued=Count("pk"),
        signed=Count("pk", filter=Q(digitally_signed=True)),
        electronic=Count("pk", filter=Q(medium=Medium.ELECTRONIC)),
    )
    return {
        "received": incoming["received"],
        "received_electronic": incoming["electronic"],
        "handled": incoming["handled"],
        "issued": outgoing["issued"],
        "issued_signed": outgoing["signed"],
        "issued_electronic": outgoing["electronic"],
    }


def build(user, start: date, end: date) -> Report:
    from documents.models import Certificate, CertificateKind
    from feedback.models import Report as Feedback
    from onestop import stats as onestop_stats
    from personnel.services import mailbox_counts
    from portal.models import Unit, User
    from website.models import Article, LegalDocument, Meeting

    lo, hi = _bounds(start, end)
    unit_ids = visible_unit_ids(user)
    in_scope = (lambda lookup: Q()) if unit_ids is None else (lambda lookup: Q(**{f"{lookup}__in": unit_ids}))
    figures: dict = {}
    sections: list[Section] = []

    # 1. Units and accounts of the document management system.
    units = Unit.objects.filter(in_scope("pk"), active=True).count()
    accounts = User.objects.filter(
        in_scope("unit"), is_active=True, is_staff=True, unit__isnull=False
    ).count()
    figures.update(units=units, accounts=accounts)
    sections.append(
        Section(
            "system",
            _("Document management and executive system"),
            [(_("Agencies and units"), _n(units)), (_("User accounts"), _n(accounts))],
            [(_("Agencies and units"), units), (_("User accounts"), accounts)],
        )
    )

    # 2. Documents, city-wide and at the city committee.
    city = _documents(lo, hi, unit_ids)
    top = committee()
    at_top = (
        _documents(lo, hi, unit_ids, only_unit=top.pk)
        if top is not None and (unit_ids is None or top.pk in unit_ids)
        else dict.fromkeys(city, 0)
    )
    electronic_share = _share(
        city["received_electronic"] + city["issued_electronic"], city["received"] + city["issued"]
    )
    top_share = _share(
        at_top["received_electronic"] + at_top["issued_electronic"], at_top["received"] + at_top["issued"]
    )
    figures.update(
        documents_received=city["received"],
        documents_received_electronic=city["received_electronic"],
        documents_handled=city["handled"],
        documents_issued=city["issued"],
        documents_issued_electronic=city["issued_electronic"],
        documents_share_electronic=electronic_share,
        committee_received=at_top["received"],
        committee_handled=at_top["handled"],
        committee_issued=at_top["issued"],
        committee_share_electronic=top_share,
    )
    sections.append(
        Section(
            "documents",
            _("Official documents"),
            [
                (_("Received, whole city"), _n(city["received"])),
                (_("of which electronic"), _n(city["received_electronic"])),
                (_("Handled, whole city"), _n(city["handled"])),
                (_("Issued, whole city"), _n(city["issued"])),
                (_("of which electronic"), _n(city["issued_electronic"])),
                (_("Share handled electronically"), electronic_share),
                (_("Received, city people's committee"), _n(at_top["received"])),
                (_("Handled, city people's committee"), _n(at_top["handled"])),
                (_("Issued, city people's committee"), _n(at_top["issued"])),
                (_("Share electronic, city people's committee"), top_share),
            ],
            [
                (_("Received, whole city"), city["received"]),
                (_("Issued, whole city"), city["issued"]),
                (_("Received, city people's committee"), at_top["received"]),
                (_("Issued, city people's committee"), at_top["issued"]),
            ],
        )
    )

    # 3. Official e-mail.
    mail = mailbox_counts()
    figures.update(mailboxes=mail["issued"], mailboxes_in_use=mail["in_use"])
    sections.append(
        Section(
            "mail",
            _("Official e-mail"),
            [
                (_("Mailboxes issued"), _n(mail["issued"])),
                (_("Used regularly"), _share(mail["in_use"], mail["issued"])),
            ],
            [(_("Mailboxes issued"), mail["issued"]), (_("Used regularly"), mail["in_use"])],
        )
    )

    # 4. One-stop desk: services by online level, dossiers returned late in the period.
    levels, _classes = onestop_stats.services_by_class()
    period = onestop_stats.Period(start, end)
    desk = onestop_stats.Report(period, onestop_stats.receiving_figures(period, unit_ids), []).city
    figures.update(
        services=sum(levels.values()),
        services_level_2=levels.get(2, 0),
        services_level_3=levels.get(3, 0),
        services_level_4=levels.get(4, 0),
        dossiers_received=desk.received,
        dossiers_returned=desk.returned,
        dossiers_late=desk.late,
    )
    sections.append(
        Section(
            "onestop",
            _("One-stop desk"),
            [
                (_("Online public services"), _n(sum(levels.values()))),
                (_("Level 2"), _n(levels.get(2, 0))),
                (_("Level 3"), _n(levels.get(3, 0))),
                (_("Level 4"), _n(levels.get(4, 0))),
                (_("Dossiers received"), _n(desk.received)),
                (_("Dossiers returned"), _n(desk.returned)),
                (_("Dossiers returned late"), _n(desk.late)),
            ],
            [
                (_("Level 2"), levels.get(2, 0)),
                (_("Level 3"), levels.get(3, 0)),
                (_("Level 4"), levels.get(4, 0)),
            ],
        )
    )

    # 5. Digital signature certificates valid during the period, by kind.
    certs = Certificate.objects.filter(not_before__lt=hi, not_after__gte=lo).exclude(revoked_at__lt=lo)
    if unit_ids is not None:
        certs = certs.filter(Q(unit_id__in=unit_ids) | Q(owner__unit_id__in=unit_ids))
    organisations = (
        certs.filter(kind=CertificateKind.ORGANISATION).order_by().values("unit_id").distinct().count()
    )
    personal = certs.filter(kind=CertificateKind.PERSONAL).count()
    figures.update(certificate_units=organisations, certificates_personal=personal)
    sections.append(
        Section(
            "signatures",
            _("Digital signatures"),
            [
                (_("Agencies and units holding an organisation certificate"), _n(organisations)),
                (_("Individuals holding a personal certificate"), _n(personal)),
            ],
            [(_("Organisation"), organisations), (_("Personal"), personal)],
        )
    )

    # 6. The website.
    articles = Article.objects.filter(published_at__gte=lo, published_at__lt=hi).count()
    legal = LegalDocument.objects.published().filter(published_at__gte=lo, published_at__lt=hi).count()
    figures.update(articles=articles, legal_documents=legal)
    sections.append(
        Section(
            "website",
            _("City website"),
            [
                (_("Articles published"), _n(articles)),
                (_("Legal and steering documents published"), _n(legal)),
            ],
            [(_("Articles"), articles), (_("Legal documents"), legal)],
        )
    )

    # 7. Feedback (1022).
    feedback = Feedback.objects.order_by()
    if unit_ids is not None:
        feedback = feedback.filter(unit_ids__overlap=unit_ids)
    fb = feedback.aggregate(
        received=Count("pk", filter=Q(received_at__gte=lo, received_at__lt=hi)),
        answered=Count("pk", filter=Q(answered_at__gte=lo, answered_at__lt=hi)),
    )
    figures.update(feedback_received=fb["received"], feedback_answered=fb["answered"])
    sections.append(
        Section(
            "feedback",
            _("Feedback system 1022"),
            [(_("Feedback received"), _n(fb["received"])), (_("Handled and answered"), _n(fb["answered"]))],
            [(_("Received"), fb["received"]), (_("Answered"), fb["answered"])],
        )
    )

    # 8. Online meetings held.
    meetings = Meeting.objects.filter(starts_at__gte=lo, starts_at__lt=hi, held=True)
    if unit_ids is not None:
        meetings = meetings.filter(unit_id__in=unit_ids)
    held = meetings.aggregate(
        online=Count("pk", filter=Q(online=True)),
        all=Count("pk"),
    )
    sites = (
        meetings.filter(online=True).values("sites__unit_id").exclude(sites__unit_id=None).distinct().count()
    )
    figures.update(meetings_online=held["online"], meetings=held["all"], meeting_sites=sites)
    sections.append(
        Section(
            "meetings",
            _("Online meetings"),
            [
                (_("Online meetings held"), _n(held["online"])),
                (_("Meetings held"), _n(held["all"])),
                (_("Sites linked"), _n(sites)),
            ],
            [(_("Online"), held["online"]), (_("All"), held["all"])],
        )
    )
    return Report(start, end, sections, figures)


# --- exports ------------------------------------------------------------------------------------


def title(report: Report) -> str:
    return _("E-government report, %(start)s to %(end)s") % {
        "start": report.start.strftime("%d/%m/%Y"),
        "end": report.end.strftime("%d/%m/%Y"),
    }


def _chart_drawing(section: Section):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    from portal import pdf

    pdf.register_fonts()
    height = 24 + 22 * len(section.chart)
    drawing = Drawing(440, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 170, 10, 250, height - 20
    chart.data = [[v for _l, v in reversed(section.chart)]]
    chart.categoryAxis.categoryNames = [label[:40] for label, _v in reversed(section.chart)]
    chart.categoryAxis.labels.fontName = pdf.styles()["body"].fontName
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = pdf.styles()["body"].fontName
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#0b5394")
    drawing.add(chart)
    return drawing


def pdf(report: Report) -> bytes:
    from portal import pdf as kernel

    story = [*kernel.title(title(report).upper())]
    for section in report.sections:
        story.append(kernel.para(f"<b>{kernel.esc(section.title)}</b>"))
        story.append(
            kernel.table([_("Figure"), _("Value")], [[k, str(v)] for k, v in section.rows], [3, 1], ())
        )
        if section.chart:
            story.append(_chart_drawing(section))
    return kernel.build(story, title=title(report), subject=_("E-government report"))


def docx(report: Report) -> bytes:
    from docx import Document as Docx
    from docx.shared import Cm

    doc = Docx()
    doc.add_heading(title(report), level=1)
    for section in report.sections:
        doc.add_heading(section.title, level=2)
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Figure"), _("Value")
        for label, value in section.rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(value)
        if section.chart:
            doc.add_picture(io.BytesIO(_chart_png(section)), width=Cm(14))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _chart_png(section: Section) -> bytes:
    """The section's bar chart as a PNG (Pillow, the kernel's DejaVu font: Vietnamese labels)."""
    from pathlib import Path

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(
        str(Path(__file__).resolve().parent.parent / "portal" / "fonts" / "DejaVuSans.ttf"), 16
    )
    width, left, bar_h = 1000, 380, 26
    height = 20 + (bar_h + 14) * len(section.chart)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for i, bar in enumerate(section.bars):
        y = 10 + i * (bar_h + 14)
        draw.text((10, y + 3), bar["label"][:40], fill="black", font=font)
        length = int((width - left - 140) * bar["width"] / 100)
        draw.rectangle([left, y, left + max(length, 1), y + bar_h], fill="#0b5394")
        draw.text((left + length + 8, y + 3), _n(bar["value"]), fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
