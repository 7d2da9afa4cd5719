"""The kernel every app shares: units, people, the calendar, the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from portal.versioned import Versioned


class UnitKind(models.TextChoices):
    PEOPLES_COMMITTEE = "committee", _("People's committee")
    DEPARTMENT = "department", _("Specialist department")
    MASS_ORGANISATION = "mass_org", _("Mass organisation")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    AGENCY = "agency", _("Public service unit")


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def subtree(self, unit: Unit):
        """The unit and every unit below it."""
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user):
        from portal.scoping import visible_unit_q

        return self.filter(visible_unit_q(user, "pk"))


class Unit(models.Model):
    """An agency or unit: the city's people's committee, a department, a ward…

    ``path`` is a materialised path of primary keys (``/1/7/``) kept by
    :meth:`save`, so "this unit and its children" is one indexed prefix match.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("abbreviation"),
        max_length=32,
        blank=True,
        help_text=_("Used in document symbols, e.g. UBND in 05/QĐ-UBND."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    admin_code = models.CharField(
        _("administrative code"), max_length=16, blank=True, help_text=_("e.g. 28261 for Ward 1")
    )
    agency_id = models.CharField(
        _("agency identifier"),
        max_length=32,
        blank=True,
        help_text=_("QCVN 102:2016 identifier, used as the prefix of dossier codes."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    active = models.BooleanField(_("active"), default=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            node = node.parent

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
            old_path = self.path
            new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
            self.path = new_path
            super().save(*args, **{**kwargs, "force_insert": False})
            if old_path and old_path != new_path:
                # Move the subtree along with the unit.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=models.functions.Concat(
                        models.Value(new_path),
                        models.functions.Substr("path", len(old_path) + 1),
                    )
                )

    @property
    def is_local(self) -> bool:
        return self.kind in (UnitKind.WARD, UnitKind.COMMUNE)

    @property
    def dossier_prefix(self) -> str:
        return self.agency_id or self.code


class User(AbstractUser):
    """Staff belong to one unit; citizens have none."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["unit", "is_active"], name="user_unit_active")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """The official's full name as written in Vietnamese (``full_name``; else first and last name)."""
        return self.full_name or super().get_full_name()

    def get_short_name(self) -> str:
        """What the back office's greeting shows: the full name (officials are addressed by it)."""
        return self.get_full_name()

    def clean(self):
        super().clean()
        if self.is_staff and not self.unit_id and not self.is_superuser:
            raise ValidationError({"unit": _("Staff accounts must belong to a unit.")})

    @property
    def is_citizen(self) -> bool:
        return not self.is_staff and self.unit_id is None

    def has_role(self, *roles: str) -> bool:
        from portal.roles import user_roles

        return bool(user_roles(self) & set(roles))


class Role(models.Model):
    """A role's stable code and the group that grants it (its name is the administrator's to edit)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    group = models.OneToOneField(
        "auth.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="role"
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.group.name}"


class CalendarDay(models.Model):
    """A date that breaks the weekly pattern: a day off, or a worked weekend day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Day off")
        WORKING_DAY = "work", _("Extra working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("reason"), max_length=200)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "Seeded from the Labour Code before the Prime Minister announced the year's days off: "
            "check it against the announcement and confirm it."
        ),
    )

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("working-day calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class AppendOnlyModel(models.Model):
    """History rows: written once, never updated or deleted one by one."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(f"{self._meta.verbose_name} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name} rows are append-only.")


class AuditEvent(AppendOnlyModel):
    """Append-only: who did what to which object, when, from where.

    Rows are never updated or deleted; a database trigger enforces it.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


_site_profile_cache = Versioned("site-profile")


class SiteProfile(models.Model):
    """Branding and contact texts shown to citizens: data, not code (a singleton)."""

    city_name = models.CharField(_("city name"), max_length=120, default="")
    portal_name = models.CharField(_("portal name"), max_length=200, default="")
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    welcome = models.TextField(_("welcome text"), blank=True)

    class Meta:
        verbose_name = _("site profile")
        verbose_name_plural = _("site profile")

    def __str__(self) -> str:
        return self.portal_name or "—"

    @classmethod
    def current(cls) -> SiteProfile:
        """The profile (every page shows it): the process's copy while the shared version holds."""
        return _site_profile_cache.get("profile", lambda: cls.objects.filter(pk=1).first() or cls(pk=1))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _site_profile_cache.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _site_profile_cache.bump()
        return result


class Heartbeat(models.Model):
    """Last run of each periodic task, so operators can see beat and worker alive."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")

    def __str__(self) -> str:
        return f"{self.name} {self.last_run:%Y-%m-%d %H:%M}"
