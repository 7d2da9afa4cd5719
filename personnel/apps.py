from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Staff records")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from personnel import notifications, reminders, signals
        from personnel.models import LegalRule, Reminder, RetirementAge
        from portal import outbox, roles

        outbox.register(
            outbox.Outbox(
                name="personnel",
                model=Reminder,
                render=notifications.render,
                select_related=("file", "file__unit", "file__rank"),
                queue_due=reminders.queue_due,
            )
        )
        # The law's data changed (a roadmap row, an interval): every file's dates follow, after the commit.
        for model in (LegalRule, RetirementAge):
            post_save.connect(
                signals.rules_changed, sender=model, dispatch_uid=f"personnel_{model.__name__}_save"
            )
            post_delete.connect(
                signals.rules_changed, sender=model, dispatch_uid=f"personnel_{model.__name__}_delete"
            )

        # Every official opens their own file (the list is scoped to it); keepers edit.
        view = ["personnel.view_personnelfile", "personnel.view_correctionrequest"]
        keep = [
            *view,
            "personnel.add_personnelfile",
            "personnel.change_personnelfile",
            "personnel.view_rank",
            "personnel.view_salaryscale",
            "personnel.view_legalrule",
            "personnel.view_retirementage",
        ]
        extra = {
            roles.CLERK: view,
            roles.SPECIALIST: view,
            roles.ONESTOP_OFFICER: view,
            roles.LEADER: [*view, "personnel.view_rank"],
            roles.PERSONNEL_OFFICER: keep,
            roles.HOME_AFFAIRS: [
                *keep,
                "personnel.import_personnelfile",
                "personnel.add_rank",
                "personnel.change_rank",
            ],
            roles.SYSADMIN: [
                *view,
                "personnel.view_rank",
                "personnel.view_salaryscale",
                "personnel.add_salaryscale",
                "personnel.change_salaryscale",
                "personnel.view_legalrule",
                "personnel.add_legalrule",
                "personnel.change_legalrule",
                "personnel.view_retirementage",
                "personnel.add_retirementage",
                "personnel.change_retirementage",
                "personnel.view_reminder",
            ],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
