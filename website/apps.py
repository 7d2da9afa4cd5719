from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Public website")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.signals import page_published, page_unpublished

        from documents.signals import document_issued
        from portal import roles
        from website import services, setup
        from website.models import Article, LegalDocument, Meeting

        document_issued.connect(services.on_document_issued, dispatch_uid="website_library")
        page_published.connect(services.bump_home, dispatch_uid="website_home_published")
        page_unpublished.connect(services.bump_home, dispatch_uid="website_home_unpublished")
        for model in (Article, LegalDocument, Meeting):
            post_save.connect(services.bump_home, sender=model, dispatch_uid=f"website_home_{model.__name__}")
        try:
            from feedback.models import Report

            post_save.connect(services.bump_home, sender=Report, dispatch_uid="website_home_feedback")
        except ImportError:  # pragma: no cover - feedback is always installed here
            pass
        post_migrate.connect(setup.after_migrate, dispatch_uid="website_setup")

        extra = {
            roles.SYSADMIN: [
                "website.view_legaldocument",
                "website.change_legaldocument",
                "website.view_legalfield",
                "website.add_legalfield",
                "website.change_legalfield",
                "website.view_meeting",
                "website.view_report",
            ],
            roles.LEADER: [
                "website.view_meeting",
                "website.add_meeting",
                "website.change_meeting",
                "website.view_report",
            ],
            roles.CLERK: [
                "website.view_meeting",
                "website.add_meeting",
                "website.change_meeting",
                "website.view_legaldocument",
                "website.change_legaldocument",
            ],
            roles.EDITOR: [
                "wagtailadmin.access_admin",
                "website.view_legaldocument",
                "website.change_legaldocument",
                "website.view_legalfield",
            ],
            roles.EDITORIAL_LEADER: [
                "wagtailadmin.access_admin",
                "website.view_legaldocument",
                "website.change_legaldocument",
            ],
        }
        for role, perms in extra.items():
            for perm in perms:
                if perm not in roles.ROLE_PERMISSIONS[role]:
                    roles.ROLE_PERMISSIONS[role].append(perm)
