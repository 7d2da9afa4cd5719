"""Celery beat that sends from one place however many beats are started.

Every node may start a beat (by mistake, or to have a standby): each holds
off until it owns a lock in Redis (``SET NX`` with a time to live, renewed at
every tick). The owner sends the schedule; the others check again every few
seconds and take over within ``BEAT_LOCK_SECONDS`` when the owner stops. The
periodic tasks are idempotent besides (portal.outbox queues and sends each
message once), so even a moment with two senders sends nothing twice.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler

log = logging.getLogger(__name__)
LOCK_KEY = "portal:beat:lock"
# Renew only our own lock; take it back (expire) only if still ours.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class BeatLock:
    def __init__(self, client, seconds: int):
        self.client = client
        self.seconds = max(int(seconds), 5)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def acquire_or_renew(self) -> bool:
        """True while this process owns the lock (taking it if free)."""
        try:
            if self.client.eval(_RENEW, 1, LOCK_KEY, self.token, self.seconds):
                return True
            return bool(self.client.set(LOCK_KEY, self.token, nx=True, ex=self.seconds))
        except redis.RedisError as exc:
            log.warning("beat lock unavailable, not sending: %s", exc)
            return False

    def release(self) -> None:
        try:
            self.client.eval(_RELEASE, 1, LOCK_KEY, self.token)
        except redis.RedisError:
            pass


class LockedScheduler(PersistentScheduler):
    """The default scheduler, sending only while it owns the beat lock."""

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        self.lock = BeatLock(
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1),
            settings.BEAT_LOCK_SECONDS,
        )
        self._owner = False
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        owner = self.lock.acquire_or_renew()
        if owner != self._owner:
            log.info(
                "beat %s: %s", self.lock.token, "sending" if owner else "standing by (another beat sends)"
            )
            self._owner = owner
        if not owner:
            return min(5.0, self.lock.seconds / 3)
        # Wake up in time to renew the lock before it expires.
        return min(super().tick(*args, **kwargs), self.lock.seconds / 3)

    def close(self):
        self.lock.release()
        super().close()
