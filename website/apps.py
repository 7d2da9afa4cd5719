from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Public website")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.signals import page_published, page_unpublished

        from documents.signals import document_issued
        from feedback.models import Report
        from portal import pagecache, roles
        from website import services, setup
        from website.models import (
            Article,
            ArticleAttachment,
            ArticleImage,
            LegalDocument,
            LegalField,
            Meeting,
            MeetingFile,
            MeetingSite,
            NewsIndexPage,
            SectionPage,
        )

        document_issued.connect(services.on_document_issued, dispatch_uid="website_library")
        page_published.connect(services.bump_home, dispatch_uid="website_home_published")
        page_unpublished.connect(services.bump_home, dispatch_uid="website_home_unpublished")
        pagecache.watch(
            services.PUBLISHED,
            NewsIndexPage,
            SectionPage,
            Article,
            ArticleImage,
            ArticleAttachment,
            LegalField,
            LegalDocument,
            Meeting,
            MeetingSite,
            MeetingFile,
            get_image_model(),
            get_document_model(),
            Report,
        )
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
