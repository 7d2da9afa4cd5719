from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from documents import checks  # noqa: F401 - registers the deploy check
        from portal import roles

        view = ["documents.view_certificate"]
        extra = {
            # Decree 30/2020 Art. 32: the clerk keeps the organisation's seal and key device.
            roles.CLERK: [*view, "documents.revoke_certificate"],
            roles.LEADER: [*view, "documents.revoke_certificate"],
            roles.SPECIALIST: view,
            roles.ONESTOP_OFFICER: view,
            roles.SYSADMIN: [*view, "documents.revoke_certificate"],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
