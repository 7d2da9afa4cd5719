"""How the staff records' reminders read (the kernel sends them, each once).

Rendered in the portal's language (Vietnamese) when sent; the link opens
the file in the back office, where the reader's scope is checked again.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from personnel.models import Reminder


def file_url(file) -> str:
    try:
        path = reverse("admin:personnel_personnelfile_change", args=[file.pk])
    except NoReverseMatch:
        path = f"/admin/personnel/personnelfile/{file.pk}/change/"
    return getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000").rstrip("/") + path


def render(reminder: Reminder) -> tuple[str, str]:
    file = reminder.file
    with translation.override(settings.LANGUAGE_CODE):
        day = reminder.due_date.strftime("%d/%m/%Y") if reminder.due_date else ""
        who = f"{file.full_name} ({file.staff_number}), {file.position or '—'}, {file.unit}"
        texts = {
            Reminder.Kind.STEP_DUE: (
                _("Salary step due on %(date)s: %(name)s") % {"date": day, "name": file.full_name},
                _(
                    "The regular salary step of %(who)s falls due on %(date)s (rank %(rank)s, step %(step)s "
                    "held since %(since)s). Review the conditions and record the raise with its decision."
                )
                % {
                    "who": who,
                    "date": day,
                    "rank": file.rank.code if file.rank else "—",
                    "step": file.salary_step or "—",
                    "since": file.step_since.strftime("%d/%m/%Y") if file.step_since else "—",
                },
            ),
            Reminder.Kind.RETIREMENT_NOTICE: (
                _("Retirement on %(date)s: notify %(name)s") % {"date": day, "name": file.full_name},
                _(
                    "%(who)s reaches the retirement age and retires on %(date)s. The written notice of the "
                    "retirement date is due now, six months before it (Decree 170/2025/NĐ-CP, Art. 62)."
                )
                % {"who": who, "date": day},
            ),
            Reminder.Kind.RETIREMENT_DECISION: (
                _("Retirement on %(date)s: decision for %(name)s") % {"date": day, "name": file.full_name},
                _(
                    "%(who)s retires on %(date)s. The retirement decision is due now, three months before it "
                    "(Decree 170/2025/NĐ-CP, Art. 63)."
                )
                % {"who": who, "date": day},
            ),
            Reminder.Kind.CONTRACT_END: (
                _("Contract ends on %(date)s: %(name)s") % {"date": day, "name": file.full_name},
                _("The labour contract of %(who)s ends on %(date)s: renew it or end it in writing.")
                % {"who": who, "date": day},
            ),
            Reminder.Kind.CERTIFICATE_EXPIRY: (
                _("Signing certificate expires on %(date)s: %(name)s")
                % {"date": day, "name": file.full_name},
                _("The signing certificate of %(who)s expires on %(date)s: arrange its renewal.")
                % {"who": who, "date": day},
            ),
        }
        subject, body = texts.get(reminder.kind, (reminder.kind, who))
        body = f"{body}\n\n{_('Open the file')}: {file_url(file)}\n"
    return subject, body
