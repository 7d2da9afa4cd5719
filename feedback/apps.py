from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from feedback import notifications, reminders
        from feedback.api.views import refused
        from feedback.models import Notification
        from portal import errors, outbox, roles

        errors.register("/open311/", refused)  # the kernel's 400/404 in the spec's error body

        outbox.register(
            outbox.Outbox(
                name="feedback",
                model=Notification,
                render=notifications.render,
                select_related=(
                    "report",
                    "report__category",
                    "report__unit",
                    "assignment",
                    "assignment__unit",
                ),
                queue_due=reminders.queue_due,
            )
        )

        view = ["feedback.view_report", "feedback.view_category"]
        extra = {
            roles.SPECIALIST: [*view, "feedback.handle_report"],
            roles.LEADER: [
                *view,
                "feedback.handle_report",
                "feedback.approve_answer",
                "feedback.triage_report",
            ],
            roles.CLERK: [*view, "feedback.triage_report"],
            roles.ONESTOP_OFFICER: [*view, "feedback.triage_report"],
            roles.SYSADMIN: [
                *view,
                "feedback.add_category",
                "feedback.change_category",
                "feedback.view_apiclient",
                "feedback.add_apiclient",
                "feedback.change_apiclient",
                "feedback.view_rules",
                "feedback.add_rules",
                "feedback.change_rules",
                "feedback.view_desk",
                "feedback.change_desk",
                "feedback.view_notification",
            ],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
