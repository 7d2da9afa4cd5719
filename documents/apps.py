from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from django.db.models.signals import post_migrate

        from documents import catalogue, checks, notifications, reminders  # noqa: F401 - checks registers the deploy check
        from documents.models import DocumentNotice
        from portal import outbox, roles

        outbox.register(
            outbox.Outbox(
                name="documents",
                model=DocumentNotice,
                render=notifications.render,
                select_related=("document", "assignment", "assignment__unit", "certificate"),
                queue_due=reminders.queue_due,
            )
        )
        post_migrate.connect(catalogue.ensure_catalogue, sender=self, dispatch_uid="documents_catalogue")

        view = [
            "documents.view_document",
            "documents.view_documenttype",
            "documents.view_signingauthority",
            "documents.view_certificate",
        ]
        extra = {
            # Decree 30/2020: the clerk (văn thư) registers, numbers and issues, and keeps the
            # organisation's seal and key device (Art. 32).
            roles.CLERK: [
                *view,
                "documents.register_document",
                "documents.issue_document",
                "documents.revoke_certificate",
            ],
            roles.SPECIALIST: [*view, "documents.draft_document", "documents.handle_document"],
            roles.LEADER: [
                *view,
                "documents.draft_document",
                "documents.review_document",
                "documents.sign_document",
                "documents.assign_document",
                "documents.handle_document",
                "documents.view_document_statistics",
                "documents.revoke_certificate",
            ],
            roles.ONESTOP_OFFICER: ["documents.view_certificate"],
            roles.SYSADMIN: [
                *view,
                "documents.add_documenttype",
                "documents.change_documenttype",
                "documents.add_signingauthority",
                "documents.change_signingauthority",
                "documents.view_document_statistics",
                "documents.view_documentnotice",
                "documents.revoke_certificate",
            ],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
