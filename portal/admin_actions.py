"""Workflow actions as buttons in the back office, for any case model.

A case admin declares, per action of its :class:`~portal.workflow.Workflow`,
an :class:`ActionSpec`: the small form the action needs, the service it
calls, and the message shown when it is done. :class:`CaseAdminMixin` then

- adds the URL ``<id>/action/<action>/`` (name ``<app>_<model>_action``);
- finds the case through the admin's queryset (``visible_to``): a case
  outside the user's scope is a 404, whatever id is typed;
- asks the workflow before showing a form and the service (which asks the
  workflow again, under the row lock) when it is posted: a refused step is a
  message with the reason, whoever posts;
- offers :meth:`CaseAdminMixin.action_buttons` for the case page: the
  buttons the user may press now, and nothing else.

Forms receive the case as ``case=`` and must accept it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal.forms import apply_service_errors
from portal.workflow import Workflow, WorkflowError


@dataclass(frozen=True)
class ActionSpec:
    """How the back office runs one workflow action."""

    form: type
    run: Callable[[Any, Any, dict], Any]  # (case, user, cleaned_data) -> anything
    done: Any  # success message; %(name)s placeholders filled by ``done_context``
    inline: bool = False  # the form is only an optional note: a button on the case page
    error_field: str | None = None  # where a service's plain ValidationError goes


def with_note(call) -> Callable[[Any, Any, dict], Any]:
    """``run`` for a service taking ``(case, user, note)``."""
    return lambda case, user, data: call(case, user, data.get("note", ""))


def admin_view(model_admin, function) -> Callable:
    """``function(request, model_admin, *args)`` behind the admin's log-in and permission check,
    for a ModelAdmin's extra URLs: ``view = partial(admin_view, self)`` in ``get_urls``."""
    return model_admin.admin_site.admin_view(
        lambda request, *args, **kwargs: function(request, model_admin, *args, **kwargs)
    )


class CaseAdminMixin:
    """Workflow buttons and action pages for a ModelAdmin whose queryset is scoped."""

    workflow: Workflow
    action_specs: dict[str, ActionSpec] = {}
    action_template = "admin/case/action.html"

    # --- finding the case ------------------------------------------------------------

    def get_case(self, request, object_id):
        """The case if ``request.user`` may see it (the admin's scoped queryset), else 404."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        case = self.get_object(request, unquote(str(object_id)))
        if case is None:
            raise Http404(_("Nothing with this number is visible to you."))
        return case

    def _url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"admin:{opts.app_label}_{opts.model_name}_{suffix}"

    def change_url(self, case) -> str:
        return reverse(self._url_name("change"), args=[case.pk])

    def action_url(self, case, action: str) -> str:
        return reverse(self._url_name("action"), args=[case.pk, action])

    # --- buttons ---------------------------------------------------------------------

    def case_actions(self, case, user) -> list[str]:
        """The actions ``user`` may take on ``case`` now, among those with a spec."""
        return [a for a in self.workflow.allowed_actions(case, user) if a in self.action_specs]

    def action_buttons(self, case, user) -> dict[str, list[dict]]:
        """``inline_actions`` (a button with an optional note) and ``form_actions`` (a link to a form)."""
        buttons: dict[str, list[dict]] = {"inline_actions": [], "form_actions": []}
        for action in self.case_actions(case, user):
            spec = self.action_specs[action]
            entry = {
                "key": action,
                "label": self.workflow.label(action),
                "url": self.action_url(case, action),
            }
            buttons["inline_actions" if spec.inline else "form_actions"].append(entry)
        return buttons

    # --- the action page ------------------------------------------------------------------

    def done_context(self, case) -> dict:
        """Values for the success message's placeholders (override per app)."""
        return {"case": str(case)}

    def make_action_form(self, spec: ActionSpec, case, request, bound: bool):
        if bound:
            return spec.form(request.POST, request.FILES, case=case)
        return spec.form(case=case)

    def action_context(self, request, case, action: str, form) -> dict:
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "original": case,
            "case": case,
            "title": self.workflow.label(action),
            "subtitle": None,
            "has_view_permission": True,
            "action": action,
            "action_label": self.workflow.label(action),
            "form": form,
            "is_multipart": form.is_multipart(),
            "changelist_url": reverse(self._url_name("changelist")),
            "change_url": self.change_url(case),
        }

    def action_view(self, request, object_id, action):
        """GET: the small form of an action; POST: call the service, report the result."""
        spec = self.action_specs.get(action)
        if spec is None:
            raise Http404
        case = self.get_case(request, object_id)
        try:
            self.workflow.check(case, action, request.user)
        except WorkflowError as exc:
            messages.error(request, exc.message)
            return redirect(self.change_url(case))
        form = self.make_action_form(spec, case, request, bound=request.method == "POST")
        if request.method == "POST" and form.is_valid():
            try:
                spec.run(case, request.user, form.cleaned_data)
            except WorkflowError as exc:
                messages.error(request, exc.message)
                return redirect(self.change_url(case))
            except ValidationError as exc:
                apply_service_errors(form, exc, spec.error_field)
            else:
                fresh = type(case)._default_manager.get(pk=case.pk)
                messages.success(request, spec.done % self.done_context(fresh))
                return redirect(self.change_url(case))
        if request.method == "POST" and spec.inline and form.errors:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.change_url(case))
        return TemplateResponse(
            request, self.action_template, self.action_context(request, case, action, form)
        )

    def case_urls(self, wrap) -> list:
        """The action URL; ``wrap`` is ``admin_site.admin_view``."""
        opts = self.model._meta
        return [
            path(
                "<int:object_id>/action/<slug:action>/",
                wrap(self.action_view),
                name=f"{opts.app_label}_{opts.model_name}_action",
            )
        ]

    def get_urls(self):
        return [*self.case_urls(self.admin_site.admin_view), *super().get_urls()]
