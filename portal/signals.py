from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal import audit


def create_roles(sender, **kwargs):
    # Sent once per migrated app; cheap and idempotent, so later apps'
    # permissions are attached as soon as they exist.
    from portal.roles import ensure_roles

    ensure_roles()


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    audit.record("login", obj=user, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record("logout", obj=user, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit.record("login_failed", request=request, actor_repr=username, username=username)
