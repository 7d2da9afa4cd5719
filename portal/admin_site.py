"""The back office's admin site: the portal's rules for every ModelAdmin of every app.

``PortalAdminConfig`` (in ``INSTALLED_APPS`` instead of ``django.contrib.admin``)
makes :class:`PortalAdminSite` the default ``admin.site``, so ``@admin.register``
in any app registers here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache


class StrictChangeList(ChangeList):
    """A list that accepts only the filters and lookups its admin declares.

    Django's admin lets any lookup on the model's own fields through the query
    string (``?unit_ids__contains=52``), and a value of the wrong shape then
    fails in the database: a 500. Here every query-string parameter must be
    consumed by a declared list filter or the date hierarchy; anything left is
    refused with a 400.
    """

    def get_filters(self, request):
        filters = super().get_filters(request)
        remaining = filters[2]
        allowed = self._raw_id_lookups()
        if self.date_hierarchy:  # the bounds Django makes of a checked year / month / day
            allowed |= {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        unknown = sorted(key for key in remaining if key not in allowed)
        if unknown:
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(unknown)} not allowed")
        return filters

    def _raw_id_lookups(self) -> set[str]:
        # What a raw-id pop-up for a ForeignKey with limit_choices_to adds (Django's own exception).
        from django.contrib.admin import widgets

        names = set()
        for fk_lookup in self.model._meta.related_fkey_lookups:
            lookup = fk_lookup() if callable(fk_lookup) else fk_lookup
            names.update(widgets.url_params_from_lookup_dict(lookup))
        return names


class StrictListFiltersMixin:
    """Every ModelAdmin's list: declared filters only; unknown or malformed ones answer 400, never 500.

    Initial values an add form takes from the query string are kept only when
    they fit their field (``?unit=abc`` rendered the form with a 500).

    ``PortalAdminSite.register`` mixes this into every ModelAdmin, so an app
    cannot forget it; portal's own admins name it through :class:`PortalModelAdmin`.
    """

    def get_changelist(self, request, **kwargs):
        return StrictChangeList

    def get_changeform_initial_data(self, request):
        """Initial values from the query string (``?unit=3``), only those of the right shape."""
        initial = super().get_changeform_initial_data(request)
        return {name: value for name, value in initial.items() if self._initial_value_ok(name, value)}

    def _initial_value_ok(self, name, value) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        target = field.target_field if field.is_relation and field.concrete else field
        values = value if isinstance(value, list) else [value]
        try:
            for item in values:
                target.to_python(item)
        except (ValidationError, ValueError, TypeError):
            return False
        return True

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as exc:  # a value of the wrong shape for a declared filter
            raise BadRequest(f"Invalid list filter: {exc}") from exc


class PortalAdminSite(admin.AdminSite):
    """The back office: staff who passed both log-in steps (see ``portal/otp.py``)."""

    site_header = _("Back office")
    site_title = _("Back office")
    index_title = _("Work")

    def has_permission(self, request):
        from portal import otp

        if not super().has_permission(request):
            return False
        return otp.verified(request) or not otp.required_for(request.user)

    def get_urls(self):
        from portal import otp

        def view(function):
            return lambda request: function(request, self)

        return [
            path("login/ma-xac-thuc/", view(otp.verify_view), name="otp_verify"),
            path("login/thiet-lap/", view(otp.enrol_view), name="otp_enrol"),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The admin home (queues, apps), kept per session until any data changes (``portal.pagecache``)."""
        from portal import pagecache

        parent = super().index
        return pagecache.cached_staff_page(lambda req: parent(req, extra_context))(request)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Django's admin log-in, with the portal's two-step view (``portal.otp.StaffLoginView``)."""
        from django.contrib.admin.forms import AdminAuthenticationForm

        from portal import otp

        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return otp.StaffLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)

    # Models of third-party apps whose names are not marked for translation, as the back office calls them.
    # (singular, plural) by "app_label.model_name".
    MODEL_NAMES = {
        "otp_totp.totpdevice": (_("authenticator app"), _("Authenticator apps")),
        "otp_static.staticdevice": (_("set of backup codes"), _("Backup codes")),
    }

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                names = self.MODEL_NAMES.get(f"{app['app_label']}.{model['object_name'].lower()}")
                if names is not None:
                    model["name"] = names[1]
        return app_list

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, with :class:`StrictListFiltersMixin` mixed into every ModelAdmin."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, StrictListFiltersMixin):
            admin_class = type(
                admin_class.__name__,
                (StrictListFiltersMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
