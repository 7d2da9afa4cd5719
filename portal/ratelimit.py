"""Fixed-window attempt counters on Redis, shared by every web process.

Why Redis and not Django's cache: the default cache is per-process memory,
so each gunicorn worker would count on its own. Redis is already there (the
Celery broker), counts atomically (``INCR``) and expires keys by itself.

The limiter fails OPEN: if Redis is unreachable the attempt is allowed and a
warning is logged, so an outage never locks citizens out of their dossiers
(the look-up still needs the dossier code and the applicant's mobile or
CCCD; an outage only lifts the brake on guessing for its duration).
"""

from __future__ import annotations

import hashlib
import logging

import redis

log = logging.getLogger(__name__)
PREFIX = "portal:ratelimit:"
# Decrement only keys that still exist, so an expired window is never recreated without a TTL.
_REFUND = """
for _, name in ipairs(KEYS) do
  if redis.call('EXISTS', name) == 1 and tonumber(redis.call('GET', name)) > 0 then
    redis.call('DECR', name)
  end
end
return 0
"""


def _client() -> redis.Redis:
    from portal import redis_client

    return redis_client.client(0.5)


def key(scope: str, value: str) -> str:
    """A short, safe Redis key for any client-supplied value."""
    digest = hashlib.sha256((value or "").encode()).hexdigest()[:32]
    return f"{PREFIX}{scope}:{digest}"


def hit(keys: list[str], limit: int, window: int) -> bool:
    """Count one attempt against every key; False when any key is now over ``limit``.

    A key's window starts with its first attempt and lasts ``window`` seconds.
    """
    try:
        pipe = _client().pipeline(transaction=True)
        for name in keys:
            pipe.set(name, 0, ex=window, nx=True)
            pipe.incr(name)
        results = pipe.execute()
    except redis.RedisError as exc:
        log.warning("rate limiter unavailable, attempt allowed: %s", exc)
        return True
    return all(count <= limit for count in results[1::2])


def refund(keys: list[str]) -> None:
    """Take back one attempt (a successful one should not count against the client)."""
    try:
        _client().eval(_REFUND, len(keys), *keys)
    except redis.RedisError as exc:
        log.warning("rate limiter unavailable: %s", exc)


def clear(scope_prefix: str = "") -> None:
    """Forget the counters (tests, or an operator unlocking a client)."""
    try:
        client = _client()
        for name in client.scan_iter(f"{PREFIX}{scope_prefix}*"):
            client.delete(name)
    except redis.RedisError as exc:
        log.warning("rate limiter unavailable, nothing cleared: %s", exc)
