"""Per-process copies of small, hot tables, kept in step across every node by a version in Redis.

The working-day calendar and the site profile are read on nearly every page
and rarely change. Each process keeps a copy, tagged with the version it was
read at; every use compares that tag with the shared version in Redis (one
``GET``), and a write anywhere bumps the version after its commit, so the
next request on any node reads the table again. Redis unreachable: the
version is unknown and the table is read from the database every time
(slower, never stale), without asking Redis again for a few seconds.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

import redis
from django.db import connection, transaction

PREFIX = "portal:version:"
RETRY_SECONDS = 5  # after a Redis failure, read the database without asking Redis for this long
_redis_down_until = 0.0


class Versioned:
    def __init__(self, name: str):
        self.name = name
        self.key = PREFIX + name
        self._lock = threading.Lock()
        self._local: dict = {}  # part -> (version, value)

    def _version(self) -> str | None:
        from portal import redis_client

        global _redis_down_until
        if time.monotonic() < _redis_down_until:
            return None  # Redis failed a moment ago: do not wait on it at every call
        try:
            client = redis_client.client(0.5)
            value = client.get(self.key)
            if value is None:
                client.set(self.key, secrets.token_hex(8), nx=True)
                value = client.get(self.key)
        except redis.RedisError:
            _redis_down_until = time.monotonic() + RETRY_SECONDS
            return None
        return value.decode() if value is not None else None

    def get(self, part, load: Callable[[], object]):
        """``part``'s value: the process's copy if still current, else ``load()`` (and kept)."""
        version = self._version()
        if version is not None:
            with self._lock:
                hit = self._local.get(part)
            if hit is not None and hit[0] == version:
                return hit[1]
        value = load()
        if version is not None:
            with self._lock:
                self._local[part] = (version, value)
        return value

    def bump(self, *_args, **_kwargs) -> None:
        """Invalidate every process's copy, once the current transaction commits."""
        self._bump_now()  # now: this process's readers inside the transaction see the change
        if connection.in_atomic_block:
            # and at the commit: another node may have read the old rows in between.
            transaction.on_commit(self._bump_now)

    def _bump_now(self) -> None:
        from portal import redis_client

        with self._lock:
            self._local.clear()
        try:
            redis_client.client(0.5).set(self.key, secrets.token_hex(8))
        except redis.RedisError:
            pass  # readers without a version read the database

    def clear_local(self) -> None:
        with self._lock:
            self._local.clear()
