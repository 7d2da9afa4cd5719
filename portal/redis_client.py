"""One Redis client per process and URL, reused by every request (its pool keeps the connections)."""

from __future__ import annotations

import threading

import redis
from django.conf import settings

_clients: dict[tuple[str, float], redis.Redis] = {}
_lock = threading.Lock()


def client(timeout: float = 0.5) -> redis.Redis:
    """The shared client for ``settings.REDIS_URL`` (socket timeouts of ``timeout`` seconds)."""
    key = (settings.REDIS_URL, timeout)
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = redis.Redis.from_url(
                    settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
                )
                _clients[key] = found
    return found
