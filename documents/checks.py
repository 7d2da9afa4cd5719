"""``manage.py check --deploy``: the organisation key secret must be set in production."""

from __future__ import annotations

from django.core.checks import Error, Tags, register

from documents import conf


@register(Tags.security, deploy=True)
def org_signing_key_secret(app_configs=None, **kwargs):
    problem = conf.org_secret_problem()
    if problem:
        return [Error(problem, id="documents.E001")]
    return []
