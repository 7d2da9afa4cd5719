"""The news site's skeleton, its editorial groups and its review workflow (idempotent).

``ensure_site()`` runs after every migrate (and after a test database flush):

- the page tree: Wagtail's root, the news home (``NewsIndexPage``, the
  default Site's root, served at /tin-tuc/), one section per category, and
  under ward news one section per active ward or commune;
- page permissions: the editors' role group adds and edits anywhere in the
  news; the editorial board leaders' role group also publishes; each ward
  has its own group ("Biên tập - <ward>") that adds and edits in its ward's
  section only;
- image and document permissions on the root collection for all of them;
- the workflow "Duyệt tin bài": one group-approval task for the editorial
  board leaders, on the whole news tree, so an editor's submission waits for
  a leader's approval before it is published.
"""

from __future__ import annotations

from django.db import transaction

from portal import roles

NEWS_SLUG = "tin-tuc"
SECTIONS = [
    # (category, slug, title)
    ("city", "tin-thanh-pho", "Tin thành phố"),
    ("announcement", "thong-bao", "Thông báo"),
    ("reform", "cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("ward", "tin-phuong-xa", "Tin phường, xã"),
]
WORKFLOW_NAME = "Duyệt tin bài"
TASK_NAME = "Lãnh đạo ban biên tập duyệt"
EDIT = ["add_page", "change_page"]
PUBLISH = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def after_migrate(sender, **kwargs):
    """Sent once per app: run after the last one, when every app's permissions exist."""
    from django.apps import apps

    if sender is not list(apps.get_app_configs())[-1]:
        return
    ensure_site()


def _perm(app_label: str, codename: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_perms(group, page, codenames) -> None:
    from wagtail.models import GroupPagePermission

    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_perm("wagtailcore", codename)
        )


def _media_perms(group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    for app_label, codename in MEDIA:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_perm(app_label, codename)
        )


def news_index():
    from website.models import NewsIndexPage

    return NewsIndexPage.objects.first()


@transaction.atomic
def ensure_site():
    from django.conf import settings
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Locale, Page, Site, Task, Workflow, WorkflowPage, WorkflowTask

    from website.models import NewsIndexPage, SectionPage

    # Wagtail's migrations create the default locale; a test database flush removes it.
    Locale.objects.get_or_create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", live=True)
    index = NewsIndexPage.objects.first()
    if index is None:
        for stale in root.get_children().filter(slug=NEWS_SLUG):  # Wagtail's welcome page or a leftover
            stale.delete()
        index = root.add_child(instance=NewsIndexPage(title="Tin tức", slug=NEWS_SLUG, live=True))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=index, is_default_site=True, site_name=""
        )
    elif site.root_page_id != index.pk:
        old = site.root_page
        site.root_page = index
        site.save()
        if old.depth == 2 and old.specific_class is Page and not old.get_children().exists():
            old.delete()
    sections = {}
    for category, slug, title in SECTIONS:
        section = SectionPage.objects.child_of(index).filter(slug=slug).first()
        if section is None:
            section = index.add_child(
                instance=SectionPage(title=title, slug=slug, category=category, live=True)
            )
        sections[category] = section

    editors = roles.group_for(roles.EDITOR)
    leaders = roles.group_for(roles.EDITORIAL_LEADER)
    _page_perms(editors, index, EDIT)
    _page_perms(leaders, index, PUBLISH)
    _media_perms(editors)
    _media_perms(leaders)
    ensure_ward_sections(sections["ward"])

    from wagtail.models import GroupApprovalTask

    task = Task.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.specific.groups.add(leaders)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return index


def ward_group_name(ward) -> str:
    return f"Biên tập - {ward.name}"


def ensure_ward_sections(parent=None):
    """One section and one editors' group per active ward or commune (new wards get theirs on the next run)."""
    from django.contrib.auth.models import Group
    from django.utils.text import slugify

    from portal.models import Unit, UnitKind
    from website.models import Category, SectionPage

    if parent is None:
        parent = SectionPage.objects.filter(category=Category.WARD, ward__isnull=True).first()
        if parent is None:
            return
    have = set(SectionPage.objects.child_of(parent).values_list("ward_id", flat=True))
    access = _perm("wagtailadmin", "access_admin")
    for ward in Unit.objects.filter(kind__in=[UnitKind.WARD, UnitKind.COMMUNE], active=True).order_by("path"):
        if ward.pk in have:
            continue
        slug = slugify(ward.code)[:200] or f"phuong-{ward.pk}"
        section = parent.add_child(
            instance=SectionPage(title=ward.name, slug=slug, category=Category.WARD, ward=ward, live=True)
        )
        group, _created = Group.objects.get_or_create(name=ward_group_name(ward))
        group.permissions.add(access)
        _page_perms(group, section, EDIT)
        _media_perms(group)
