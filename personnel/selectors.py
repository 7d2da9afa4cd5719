"""Reads with a rule in them: who sees which staff records, search, statistics.

The one scoping rule of staff records, built on the kernel's
(``portal.scoping``):

- every official sees their own file;
- a personnel officer sees (and edits) the files of their unit and every unit below it;
- the Home Affairs office sees (and edits) the files of the whole city (the
  tree of the top unit it belongs to);
- a leader sees the files the kernel lets leaders see (their unit and its
  children; the city's leader, every unit), without the sensitive section;
- system administrators see every file, without the sensitive section;
- other staff see no one else's file, citizens and anonymous visitors nothing.

The sensitive section (family, party membership, health) is read only by
the official themself and the personnel officers and Home Affairs office in
whose scope the file is (Decree 13/2023/NĐ-CP: sensitive personal data, the
fewest people who need it); every opening is audited by the views.
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from personnel.models import PersonnelFile
from portal import roles
from portal.scoping import NOTHING, sees_everything, subtree_q, visible_unit_ids

STAFF_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/]{1,31}$")
CCCD_RE = re.compile(r"^\d{12}$")
MIN_NAME_SEARCH = 2


def _active_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def _city_path(user) -> str:
    """The path of the top of the user's unit tree (``/1/``): the Home Affairs office's city, no query."""
    return "/" + user.unit.path.strip("/").split("/")[0] + "/"


def _subtree_ids(path: str) -> list[int]:
    from portal.models import Unit

    return list(Unit.objects.filter(path__startswith=path).values_list("pk", flat=True))


def managed_unit_ids(user) -> list[int]:
    """Ids of the units whose files ``user`` keeps (a personnel officer's subtree, the Home Affairs
    office's city), read once per request: lists then filter on ``unit_id IN (…)``, an index range."""
    if not _active_staff(user) or user.unit_id is None:
        return []
    cached = getattr(user, "_personnel_managed", None)
    if cached is None:
        if user.has_role(roles.HOME_AFFAIRS):
            cached = _subtree_ids(_city_path(user))
        elif user.has_role(roles.PERSONNEL_OFFICER):
            cached = _subtree_ids(user.unit.path)
        else:
            cached = []
        user._personnel_managed = cached
    return cached


def _ids_q(lookup: str, ids) -> Q:
    return Q(**{f"{lookup}__in": ids}) if ids else NOTHING


def manage_scope_q(user, lookup: str = "unit") -> Q:
    """Files ``user`` keeps as a personnel officer or the Home Affairs office (``NOTHING`` otherwise)."""
    return _ids_q(lookup, managed_unit_ids(user))


def file_scope_q(user, prefix: str = "") -> Q:
    """The files ``user`` may open (``prefix`` reaches the file from another model, e.g. ``"file__"``)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return NOTHING
    if sees_everything(user):
        return Q()
    if not user.is_staff:
        return NOTHING
    own = Q(**{f"{prefix}user": user})
    unit_lookup = f"{prefix}unit"
    if user.has_role(roles.LEADER):
        # The kernel's leader rule (their unit and its children; the top unit's leader, every unit).
        leader_ids = visible_unit_ids(user)
        if leader_ids is None:
            return Q()
        own |= _ids_q(unit_lookup, leader_ids)
    return own | manage_scope_q(user, unit_lookup)


def files_for(user) -> QuerySet:
    return PersonnelFile.objects.visible_to(user).select_related("unit", "rank", "rank__scale")


def is_own(user, file: PersonnelFile) -> bool:
    return bool(file.user_id and file.user_id == getattr(user, "pk", None))


def in_manage_scope(user, unit) -> bool:
    """True when ``unit`` is one whose files ``user`` keeps."""
    if not _active_staff(user) or user.unit_id is None or unit is None:
        return False
    if user.has_role(roles.HOME_AFFAIRS):
        return unit.path.startswith(_city_path(user))
    if user.has_role(roles.PERSONNEL_OFFICER):
        return unit.path.startswith(user.unit.path)
    return False


def can_edit(user, file: PersonnelFile) -> bool:
    """The personnel officer in scope, the Home Affairs office, or a superuser; never on one's own file."""
    if not _active_staff(user):
        return False
    if is_own(user, file) and not user.is_superuser:
        return False
    return bool(user.is_superuser or in_manage_scope(user, file.unit))


def can_read_sensitive(user, file: PersonnelFile) -> bool:
    """The official, or the personnel officer / Home Affairs office in scope. Not leaders, not administrators."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return is_own(user, file) or in_manage_scope(user, file.unit)


def can_import(user) -> bool:
    return _active_staff(user) and (user.is_superuser or user.has_role(roles.HOME_AFFAIRS))


def editable_units(user):
    """Units a file may be placed in or moved to by ``user``."""
    from portal.models import Unit

    units = Unit.objects.filter(active=True)
    if user.is_superuser:
        return units
    return units.filter(manage_scope_q(user, "pk"))


# --- search ------------------------------------------------------------------------------------


def search_files(queryset: QuerySet, term: str) -> QuerySet:
    """A CCCD exactly, a staff number or an e-mail by prefix, otherwise the folded name (GIN index)."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    from portal.text import tsquery

    term = (term or "").replace("\x00", "").strip()[:100]
    if not term:
        return queryset
    compact = re.sub(r"\s+", "", term)
    if CCCD_RE.match(compact):
        return queryset.filter(id_number=compact)
    if "@" in compact:
        return queryset.filter(official_email__iexact=compact)
    query = tsquery(term)
    if not query or len(term) < MIN_NAME_SEARCH:
        return queryset.none()
    by_text = queryset.alias(search_vector=SearchVector("search_text", config="simple")).filter(
        search_vector=SearchQuery(query, search_type="raw", config="simple")
    )
    if STAFF_NUMBER_RE.match(compact) and any(ch.isdigit() for ch in compact):
        return queryset.filter(staff_number__startswith=compact.upper())  # names hold no digits
    return by_text


# --- statistics ---------------------------------------------------------------------------------

AGE_BANDS = (
    ("under_30", _("Under 30"), 0, 30),
    ("30_39", _("30–39"), 30, 40),
    ("40_49", _("40–49"), 40, 50),
    ("50_59", _("50–59"), 50, 60),
    ("60_plus", _("60 and over"), 60, 200),
)


def age_band_expression(today: date):
    """A CASE on the birth date giving each file's age band on ``today`` (indexable, no per-row Python)."""
    from personnel.rules import add_months

    whens = []
    for key, _label, low, high in AGE_BANDS:
        youngest_born = add_months(today, -12 * low)  # born on or before: at least ``low`` years old
        oldest_born = add_months(today, -12 * high)  # born after: younger than ``high``
        whens.append(When(birth_date__lte=youngest_born, birth_date__gt=oldest_born, then=Value(key)))
    return Case(*whens, default=Value("unknown"), output_field=CharField())


def statistics(user, today: date, unit=None) -> dict:
    """Counts of working staff the user may see, by unit, rank, age band, sex and qualification."""
    files = PersonnelFile.objects.visible_to(user).filter(status="active")
    if unit is not None:
        files = files.filter(subtree_q(unit, "unit"))
    base = files.order_by()
    by_unit = list(base.values("unit__id", "unit__name").annotate(n=Count("id")).order_by("-n", "unit__name"))
    by_rank = list(base.values("rank__code", "rank__name").annotate(n=Count("id")).order_by("rank__code"))
    by_sex = list(base.values("sex").annotate(n=Count("id")).order_by("sex"))
    by_education = list(base.values("education").annotate(n=Count("id")).order_by("education"))
    by_theory = list(base.values("political_theory").annotate(n=Count("id")).order_by("political_theory"))
    by_age = {
        row["band"]: row["n"]
        for row in base.annotate(band=age_band_expression(today)).values("band").annotate(n=Count("id"))
    }
    return {
        "total": sum(r["n"] for r in by_sex),
        "by_unit": by_unit,
        "by_rank": by_rank,
        "by_sex": by_sex,
        "by_education": by_education,
        "by_theory": by_theory,
        "by_age": [(label, by_age.get(key, 0)) for key, label, _low, _high in AGE_BANDS],
    }


def mailbox_counts(user=None) -> dict:
    """Official mailboxes issued and in regular use among working staff (for the website's report)."""
    files = PersonnelFile.objects.filter(status="active")
    if user is not None:
        files = files.visible_to(user)
    totals = files.aggregate(
        staff=Count("id"),
        issued=Count("id", filter=~Q(official_email="")),
        in_use=Count("id", filter=~Q(official_email="") & Q(mailbox_in_use=True)),
    )
    return totals
