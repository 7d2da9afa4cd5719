"""An optional read replica for heavy public reads (REPLICA_DATABASE_URL).

When a ``replica`` database is configured, the views named in
``settings.REPLICA_VIEWS`` (catalogue, statistics, published lists: pages
every citizen reads and nobody writes through) read from it. Everything else
reads from the primary, and so does any read that follows a write in the
same request: the first write (a save, an update, a delete, a transaction)
pins the rest of the request to the primary, so a page never shows data older
than what it just wrote. Writes always go to the primary. Without a replica
this router changes nothing.

Replication lag: a standby may be a moment behind; a citizen who has just
filed sees their own dossier through the look-up pages, which never read
from the replica.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

REPLICA = "replica"
# None: this request may not use the replica; a dict: it may, until it writes.
_state: contextvars.ContextVar[dict | None] = contextvars.ContextVar("replica_state", default=None)


def available() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside go to the replica (when configured) until the first write."""
    token = _state.set({"pinned": False})
    try:
        yield
    finally:
        _state.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or state["pinned"] or not available():
            return None  # the primary
        if connections["default"].in_atomic_block:
            state["pinned"] = True  # inside a transaction: read what it writes
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state["pinned"] = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a standby is read-only; it follows the primary


class ReplicaMiddleware:
    """Marks the requests of ``REPLICA_VIEWS`` (safe methods only) as replica readers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = set(settings.REPLICA_VIEWS)

    def __call__(self, request):
        token = _state.set(None)
        try:
            return self.get_response(request)
        finally:
            _state.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            available()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in self.views
        ):
            _state.set({"pinned": False})  # reset by __call__ when the response is done
        return None
