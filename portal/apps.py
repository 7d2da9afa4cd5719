from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal administration")

    def ready(self):
        from portal import pagecache, signals, workdays
        from portal.models import CalendarDay, SiteProfile, Unit

        post_save.connect(workdays.clear_cache, sender=CalendarDay, dispatch_uid="cal_save")
        post_delete.connect(workdays.clear_cache, sender=CalendarDay, dispatch_uid="cal_delete")
        post_migrate.connect(signals.create_roles, dispatch_uid="portal_roles")
        # Every public page shows the site's branding; many show units' names; figures
        # and deadlines follow the working-day calendar.
        pagecache.watch(pagecache.SITE, SiteProfile, Unit, CalendarDay)
        pagecache.watch_all_data()


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site as ``admin.site`` (see ``portal/admin_site.py``)."""

    default_site = "portal.admin_site.PortalAdminSite"


# Third-party apps under names the back office shows in Vietnamese (their labels, and so
# their tables and migrations, are unchanged).


class AxesConfig(AxesAppConfig):
    verbose_name = _("Log-in protection")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Two-step verification: authenticator apps")


class StaticConfig(StaticAppConfig):
    verbose_name = _("Two-step verification: backup codes")
