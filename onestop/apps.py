from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: The ``portal.pagecache`` version of the public catalogue (services, sectors, steps, documents).
CATALOGUE = "onestop.catalogue"


class OnestopConfig(AppConfig):
    name = "onestop"
    verbose_name = _("One-stop desk")

    def ready(self):
        from onestop import models, notifications, reminders
        from onestop.models import Notification
        from onestop.payments import checks  # noqa: F401 - registers the deploy checks
        from portal import cases, outbox, pagecache, roles

        # The public catalogue's pages are cached under CATALOGUE; the figures and the
        # status page under the dossiers' version, which every event also moves on.
        pagecache.watch(
            CATALOGUE,
            models.Service,
            models.Sector,
            models.ServiceStep,
            models.RequiredDocument,
            # The law as data: forms, desk names and citations shown on the same pages.
            models.LegalRegime,
            models.FormSet,
            models.LegalForm,
            models.DeskName,
        )
        cases.watch_case(
            models.Dossier,
            models.DossierStep,
            models.Rating,
            models.Payment,
            models.SupplementRequest,
            models.DossierFile,
            models.Evaluation,
        )

        outbox.register(
            outbox.Outbox(
                name="onestop",
                model=Notification,
                render=notifications.render,
                select_related=(
                    "dossier",
                    "dossier__service",
                    "dossier__receiving_unit",
                    "step",
                    "step__unit",
                    "step__assignee",
                ),
                queue_due=reminders.queue_due,
            )
        )

        view = ["onestop.view_dossier", "onestop.view_service", "onestop.view_sector"]
        extra = {
            roles.ONESTOP_OFFICER: [*view, "onestop.receive_dossier", "onestop.view_payment"],
            roles.SPECIALIST: [*view, "onestop.process_dossier"],
            roles.LEADER: [
                *view,
                "onestop.process_dossier",
                "onestop.approve_dossier",
                "onestop.view_payment",
            ],
            roles.CLERK: view,
            roles.SYSADMIN: [
                *view,
                "onestop.add_service",
                "onestop.change_service",
                "onestop.add_sector",
                "onestop.change_sector",
                "onestop.view_payment",
                "onestop.view_notification",
                "onestop.view_scanexemption",
                "onestop.add_scanexemption",
                "onestop.change_scanexemption",
            ],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
