"""Whole pages served from Redis, exact after every write: version counters and page caches.

Written once for every app:

- **Versions.** A named counter in the shared cache (``versions("onestop.catalogue")``)
  that a write moves on when it happens and again after it commits (``bump(name)``;
  ``watch(name, *models)`` bumps on every save, delete or many-to-many change of those
  models; :data:`DATA` moves on with every ORM write of almost any model). Keys built
  from versions change on every write, so nothing cached under them is ever stale: the
  first request after a change misses and renders anew. A counter that is missing
  (Redis flushed or evicted) starts from the clock in nanoseconds, above every value it
  had before.
- **Pages.** ``@cached_page(*names)`` keeps a public page for visitors without a
  session; :func:`private_page` a page only a proven visitor reaches (a dossier's status
  page, per dossier version and signed-in user); :func:`cached_staff_page` an official's
  own page, per session, under :data:`DATA`. A page is kept in a slot whose key holds
  the code and settings, the database, the language, the day, the host and the full path,
  next to the versions it was rendered under; one Redis round trip per request (an MGET
  of the versions and the slot) tells whether it is still the page of today's versions.
  The CSRF token is never cached: a page is rendered with a placeholder that each
  response replaces with the visitor's own token.

Who gets a cached public page: a GET or HEAD with no session cookie and no message
cookie (so never a signed-in official or citizen, nor anyone with a session holding a
look-up, a draft or a flash message), with only the query parameters the page declares.
Everyone else gets the page rendered for them. Only a plain 200 whose rendering set no
cookie, changed no session and queued no message is stored. Redis down is a miss: the
page is rendered.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import string
import threading
import time
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, get_resolver
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from redis import exceptions as redis_errors

#: Every page also depends on the site's branding (SiteProfile) and the public shell.
SITE = "portal.site"
#: Stands for the CSRF token while a page is rendered for the cache (letters and digits only,
#: so escaping leaves it whole).
CSRF_PLACEHOLDER = "pagecacheCSRFplaceholder0token0a9f3c1e"
PAGE_SECONDS = 3600


def _version_key(name: str) -> str:
    return f"pagecache:v:{name}"


def versions(*names: str) -> str:
    """The current versions of ``names``, as one string for a cache key."""
    keys = [_version_key(name) for name in names]
    found = cache.get_many(keys)
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            cache.add(key, time.time_ns(), timeout=None)
            value = cache.get(key) or f"x{time.time_ns()}"  # Redis down: a key nothing matches
        values.append(str(value))
    return ".".join(values)


def version(name: str) -> str:
    return versions(name)


def _bump_now(names: Iterable[str]) -> None:
    for name in names:
        key = _version_key(name)
        try:
            cache.incr(key)
        except ValueError:  # missing: start above anything it held
            cache.add(key, time.time_ns(), timeout=None)


def bump(*names: str) -> None:
    """Move ``names`` on now and again once the current transaction commits.

    The second move is what makes it exact: a page rendered between the two
    (from the data before the commit) is stored under a version nobody asks
    for any more. The first one makes the change visible at once to whoever
    reads inside the same transaction.
    """
    _bump_now(names)
    transaction.on_commit(lambda: _bump_now(names))


def watch(name: str, *models) -> None:
    """Bump ``name`` after every save, delete or many-to-many change of ``models``."""

    def changed(sender, **kwargs):
        if kwargs.get("raw"):
            return  # fixtures
        if "action" in kwargs and not kwargs["action"].startswith("post_"):
            return
        bump(name)

    for model in models:
        uid = f"pagecache:{name}:{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )


#: Moved on by every write through the ORM (save, delete, many-to-many change) of any model
#: but the few written while reading (sessions, devices, log-in attempts, audit rows, outbox
#: rows, heartbeats): what a page made of many apps' data (the back office's lists) keys on.
DATA = "portal.data"
UNWATCHED_APPS = {"sessions", "otp_totp", "otp_static", "axes", "contenttypes"}
UNWATCHED_MODELS = {"portal.auditevent", "portal.heartbeat"}


def _watched(model) -> bool:
    from portal.outbox import OutboxMessage

    meta = model._meta
    if meta.app_label in UNWATCHED_APPS or meta.label_lower in UNWATCHED_MODELS:
        return False
    return not issubclass(model, OutboxMessage)


def _any_change(sender, **kwargs):
    if kwargs.get("raw"):
        return
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    model = kwargs["instance"].__class__ if "action" in kwargs else sender
    if _watched(model):
        bump(DATA)


def watch_all_data() -> None:
    """Bump :data:`DATA` after every ORM write of a watched model (called once, at start-up)."""
    post_save.connect(_any_change, weak=False, dispatch_uid="pagecache:data:save")
    post_delete.connect(_any_change, weak=False, dispatch_uid="pagecache:data:delete")
    m2m_changed.connect(_any_change, weak=False, dispatch_uid="pagecache:data:m2m")


# --- whole pages ---------------------------------------------------------------------------


def anonymous(request) -> bool:
    """A GET or HEAD with no session cookie and no message cookie: a visitor the shared page
    cache may answer (if it also has only the query parameters the page reads)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES


_code: str | None = None
#: Settings left out of the fingerprint: secrets (never hashed into a key anybody can read),
#: where the data lives (the key holds the database's name already) and which module they
#: came from.
UNHASHED_SETTINGS = (
    "SECRET",
    "PASSWORD",
    "KEY",
    "TOKEN",
    "DATABASES",
    "CACHES",
    "CREDENTIALS",
    "SETTINGS_MODULE",
)


def _plain(value) -> str | None:
    """A stable text for a setting's value made of plain data (the same in every process of a
    release), or None for anything else (functions, classes, objects)."""
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return repr(value)
    if isinstance(value, list | tuple):
        parts = [_plain(item) for item in value]
        return None if None in parts else "[" + ",".join(parts) + "]"
    if isinstance(value, set | frozenset):
        parts = [_plain(item) for item in value]
        return None if None in parts else "{" + ",".join(sorted(parts)) + "}"
    if isinstance(value, dict):
        parts = [(_plain(k), _plain(v)) for k, v in value.items()]
        return (
            None
            if any(None in pair for pair in parts)
            else "{" + ",".join(f"{k}:{v}" for k, v in parts) + "}"
        )
    return None


def code_version() -> str:
    """A fingerprint of what renders pages and their headers: the project's Python files,
    templates, compiled translations and pinned requirements, and the settings made of plain
    data (HTTPS, the security policy, the languages...; not the secrets). Read once per
    process: a page stored by one release, or under other settings, is never served by
    another, and every node of a release with the same settings computes the same."""
    global _code
    if _code is None:
        from pathlib import Path

        base = Path(settings.BASE_DIR)
        roots = [p for p in sorted(base.iterdir()) if (p / "__init__.py").exists() and p.name != "tests"]
        roots += [base / "templates", base / "locale"]
        digest = hashlib.sha1((base / "requirements.txt").read_bytes())
        for root in roots:
            for path in sorted(root.rglob("*")):
                if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and path.is_file():
                    digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
        for name in sorted(dir(settings)):
            if name.isupper() and not any(word in name for word in UNHASHED_SETTINGS):
                value = _plain(getattr(settings, name))
                if value is not None:
                    digest.update(f"\0{name}={value}".encode())
        _code = digest.hexdigest()[:16]
    return _code


def _where(request) -> list[str]:
    """What every cached page varies on besides whose it is: the code, database, language, day,
    host, path."""
    return [
        code_version(),
        connection.settings_dict["NAME"] or "",  # two databases behind one Redis never mix
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        timezone.localdate().isoformat(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    ]


# One round trip to Redis per cached request: MGET the versions the page depends on and the
# page's slot (its key is the SHA-1 of its scope: code, database, language, day, host, path,
# whose). The slot holds the page with the versions it was rendered under; it is a hit only if
# they are today's. A Lua script making the key from the versions on the server took a third
# more of the round trip and twice Redis's time.


def _redis():
    """The raw Redis client behind the default cache (None if the cache is not django-redis)."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


_made_keys: dict[tuple, tuple[list[str], str]] = {}


def _keys(names: tuple[str, ...]) -> tuple[list[str], str]:
    """The versions' full cache keys and the slots' key prefix (made once per process and
    cache configuration: the cache's key function is not free)."""
    where = (cache.key_prefix, cache.version, names)
    made = _made_keys.get(where)
    if made is None:
        made = ([cache.make_key(_version_key(name)) for name in names], cache.make_key("pagecache:page:"))
        _made_keys[where] = made
    return made


_own = threading.local()


def _connection(client):
    """This thread's own connection for the look-up (made by the cache's pool, with its
    address, timeouts and credentials, once per thread and process): taking one from the
    pool and giving it back, with redis-py's bookkeeping, costs a sixth of the round trip."""
    pool = client.connection_pool
    conn = getattr(_own, "conn", None)
    if conn is None or _own.pool is not pool or _own.pid != os.getpid():
        conn = pool.make_connection()
        _own.conn, _own.pool, _own.pid = conn, pool, os.getpid()
    return conn


def _mget(client, keys: list[str]) -> list:
    """MGET on this thread's connection. A failure only makes a miss (the page is rendered);
    the connection is dropped and made anew by the next look-up."""
    conn = _connection(client)
    try:
        conn.send_command("MGET", *keys)
        return conn.read_response()
    except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError):
        conn.disconnect()
        raise


class Slot:
    """Where a page is kept (``key``) and the versions it is valid for (``versions``)."""

    __slots__ = ("key", "versions")

    def __init__(self, key: str, versions: bytes):
        self.key, self.versions = key, versions


def _fetch(names: tuple[str, ...], scope: list[str]) -> tuple[Slot | None, bytes | None]:
    """The page's slot and its stored bytes (None unless stored under the current versions);
    (None, None) if Redis fails."""
    client = _redis()
    if client is None:
        return None, None
    keys, prefix = _keys(names)
    slot_key = prefix + hashlib.sha1("\n".join(scope).encode()).hexdigest()
    try:
        for _attempt in range(2):
            *found, stored = _mget(client, [*keys, slot_key])
            if None not in found:
                current = b".".join(found) + b"\n"
                hit = stored[len(current) :] if stored is not None and stored.startswith(current) else None
                return Slot(slot_key, current), hit
            versions(*names)  # start the missing ones, then ask again
    except (redis_errors.RedisError, OSError):
        return None, None
    return None, None


def _store(slot: Slot, head: bytes, content: bytes, seconds: int) -> None:
    try:
        _redis().set(slot.key, slot.versions + head + b"\n" + content, ex=seconds)
    except (redis_errors.RedisError, OSError):
        pass


def rendering_for_cache(request) -> bool:
    """For the context processor: render the CSRF token as the placeholder."""
    return getattr(request, "_pagecache_rendering", False)


# --- the visitor's CSRF token -------------------------------------------------------------------

#: Django's CSRF alphabet (``django.middleware.csrf.CSRF_ALLOWED_CHARS``).
CSRF_CHARS = string.ascii_letters + string.digits
_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_CHARS)}
_CSRF_LENGTH = 32


#: Bytes of the system's random source kept (``256 - 256 % 62``: those above would favour
#: the first characters) and the character each stands for.
_CSRF_LIMIT = 256 - 256 % len(CSRF_CHARS)
_CSRF_TABLE = bytes(
    ord(CSRF_CHARS[byte % len(CSRF_CHARS)]) if byte < _CSRF_LIMIT else 0 for byte in range(256)
)
_CSRF_DROPPED = bytes(range(_CSRF_LIMIT, 256))


def _random_csrf_chars(count: int) -> str:
    """``count`` characters of the CSRF alphabet, uniformly from the system's random source:
    one read of it where Django's ``get_random_string`` makes one per character."""
    out = b""
    while len(out) < count:
        out += secrets.token_bytes(count + 8).translate(_CSRF_TABLE, _CSRF_DROPPED)
    return out[:count].decode("ascii")


def csrf_token(request) -> str:
    """``django.middleware.csrf.get_token``, made the same way (the secret of the visitor's
    CSRF cookie, or a new one sent as the cookie, masked by a new random mask) at a fraction
    of the cost: each answer from the page cache with a form in it needs one."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_csrf_chars(_CSRF_LENGTH)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: sent again, renewed
    mask = _random_csrf_chars(_CSRF_LENGTH)
    size = len(CSRF_CHARS)
    cipher = "".join(
        CSRF_CHARS[(_CSRF_INDEX[a] + _CSRF_INDEX[b]) % size] for a, b in zip(secret, mask, strict=True)
    )
    return mask + cipher


# --- stored pages -----------------------------------------------------------------------------

#: Headers a page stored below the middleware (private and staff pages) keeps; the stack
#: above it adds the rest to every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "X-Robots-Tag", "Link", "Vary")
#: Headers a public page stored by :class:`PageCacheMiddleware` (with every header the stack
#: gave it) does not keep: made anew for each answer.
FRESH_HEADERS = frozenset({"content-length", "expires", "date", "set-cookie"})


def _head(response, everything: bool = False) -> bytes:
    """The stored page's first line: its headers, ``name: value`` joined by tabs (all of them
    but :data:`FRESH_HEADERS`, or only :data:`KEPT_HEADERS`)."""
    if everything:
        kept = [f"{name}: {value}" for name, value in response.items() if name.lower() not in FRESH_HEADERS]
    else:
        kept = [f"{name}: {response[name]}" for name in KEPT_HEADERS if response.has_header(name)]
    return "\t".join(kept).encode("latin-1", "replace")


def _response(head: bytes, content: bytes) -> HttpResponse:
    headers = {}
    for line in head.decode("latin-1").split("\t"):
        name, _sep, value = line.partition(": ")
        if name:
            headers[name] = value
    response = HttpResponse(content, headers=headers)
    if "no-store" in headers.get("Cache-Control", ""):
        # Stored with never_cache's Cache-Control; its Expires (left out) is of now.
        response["Expires"] = http_date()
    if "cookie" not in headers.get("Vary", "").lower():
        patch_vary_headers(response, ("Cookie",))
    return response


def _with_token(request, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), csrf_token(request).encode())
    return content


def _answer(request, head: bytes, content: bytes) -> HttpResponse:
    """A stored page answered inside the stack (the CSRF middleware above sends the cookie)."""
    return _response(head, _with_token(request, content))


def _storable(request, response, session_before: dict | None) -> bool:
    """A plain 200 whose rendering wrote nothing of the visitor's: no cookie, no session
    change (the middleware's own bookkeeping before the view does not count), no message."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    session = getattr(request, "session", None)
    if session is not None and dict(session.items()) != session_before:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (getattr(messages, "added_new", False) or len(messages)):
        return False
    return True


def _hit(request, hit: bytes) -> HttpResponse:
    head, _sep, content = hit.partition(b"\n")
    return _answer(request, head, content)


def _serve(request, view, args, kwargs, names: tuple[str, ...], scope: list[str], seconds: int):
    looked_up = getattr(request, "_pagecache_top", None)
    top = looked_up is not None and looked_up[:2] == (names, scope)
    if top:  # PageCacheMiddleware looked this page up already (a miss) and stores what is rendered
        slot, hit = looked_up[2], None
    else:  # looked up and stored here, with the view's own headers, apart from the middleware's
        slot, hit = _fetch(names, [*scope, "below"] + _where(request))
    if hit is not None:
        return _hit(request, hit)
    # The calendar and site profile copies need no refresh here: portal.versioned checks
    # them against their shared version at every use.
    session = getattr(request, "session", None)
    before = dict(session.items()) if session is not None else None
    request._pagecache_rendering = True
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        request._pagecache_rendering = False
    if slot is None or not _storable(request, response, before):
        if not response.streaming:
            response.content = _with_token(request, response.content)
        return response
    if top:
        request._pagecache_pending = response.content  # stored with the headers the stack adds
    else:
        _store(slot, _head(response), response.content, seconds)
    response.content = _with_token(request, response.content)
    return response


class PublicPage:
    """How a public page is cached: the versions it depends on, the query parameters it
    reads, how long it is kept and, for a page with figures that turn with the clock, the
    length of the period after which it is rendered anew."""

    def __init__(self, names: tuple[str, ...], params: tuple[str, ...], seconds: int, period: int):
        self.names = (SITE, *names)
        self.params = frozenset(params)
        self.seconds, self.period = seconds, period

    def reads(self, request) -> bool:
        """Whether the request has only query parameters the page reads."""
        return all(key in self.params for key in request.GET)

    def scope(self) -> list[str]:
        scope = ["public"]
        if self.period:
            scope.append(str(int(time.time()) // self.period))
        return scope


def cached_page(*names: str, params: Iterable[str] = (), seconds: int = PAGE_SECONDS, period: int = 0):
    """Serve the decorated view's page from the cache to anonymous visitors (see the module doc).

    ``names``: the versions the page depends on; ``params``: the query
    parameters it reads (a request with any other is rendered, not cached);
    ``period``: seconds after which the page is rendered anew whatever the
    versions (live figures recomputed that often).

    The view (or the view its URL pattern resolves to, see :func:`serves`)
    carries the page's :class:`PublicPage` as ``view.public_page``:
    :class:`PageCacheMiddleware` answers hits before the rest of the stack.
    """
    page = PublicPage(tuple(names), tuple(params), seconds, period)

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(settings, "PAGE_CACHE", True) or not (anonymous(request) and page.reads(request)):
                return view(request, *args, **kwargs)
            return _serve(request, view, args, kwargs, page.names, page.scope(), page.seconds)

        wrapper.public_page = page
        return wrapper

    return decorate


def serves(cached_view):
    """Mark the decorated view (a URL's view) as answering GET with ``cached_view``'s page, so
    that :class:`PageCacheMiddleware` finds it (a view that also takes a POST, say)."""

    def decorate(view):
        view.public_page = cached_view.public_page
        return view

    return decorate


def proven_page(versions_for):
    """Mark a view whose page only a visitor who proved something in their session sees (a
    citizen's dossier status page) and which the view keeps with :func:`private_page`.

    ``versions_for(request, **kwargs)`` (the URL's arguments) tells from ``request.session``
    alone the versions the view passes to :func:`private_page` for that session, or None if
    the session proves nothing: with it :class:`PageCacheMiddleware` answers a visitor whose
    session holds no sign-in and no message before the rest of the stack, as it does public
    pages. Everything else (a stranger, a signed-in citizen) goes down to the view.
    """

    def decorate(view):
        view.proven_page = versions_for
        return view

    return decorate


class Target:
    """What PageCacheMiddleware knows of a path: its public page, or its proven page's
    ``versions_for`` and the URL's arguments (or neither)."""

    __slots__ = ("public", "proven", "kwargs")

    def __init__(self, public: PublicPage | None, proven=None, kwargs: dict | None = None):
        self.public, self.proven, self.kwargs = public, proven, kwargs or {}


NO_TARGET = Target(None)


class PageCacheMiddleware:
    """Answer a cached page before any other middleware: first in ``MIDDLEWARE`` (only the
    compression of text, which wraps every answer, comes before it).

    Answered here: a visitor without a session or a message cookie (:func:`anonymous`)
    asking for a page cached with :func:`cached_page`, with only the query parameters it
    reads; and a visitor whose session proves what a :func:`proven_page` asks (the status
    page of a dossier this browser looked up) and holds no sign-in and no message. They get
    the page as it was stored, headers and all (the security headers and policy the stack
    added when it was rendered: the key holds the code and settings that make them), their
    own CSRF token and cookie where the page has a form, ``Vary: Cookie``, a fresh
    ``Expires`` for a page never to be kept. What the skipped middleware would refuse or
    redirect is not answered here but goes down the stack as any other request: a NUL byte,
    an ``http://`` request to be sent to ``https://``; an unknown host is refused here as
    there (the key holds the host).

    A miss goes down the stack: the view renders the page (without asking Redis again)
    and, if it is storable, hands it back here to be stored with the headers the stack
    gave it, once no middleware set a cookie other than the CSRF one.
    """

    #: Paths whose page is remembered per process (the URL resolver walks every pattern).
    PATHS = 4096

    def __init__(self, get_response):
        # Resolved once here, as Django's own middleware does (not on every request; not at
        # import: portal.middleware needs the apps loaded).
        from importlib import import_module

        from django.contrib.auth import SESSION_KEY
        from django.contrib.messages.storage.session import SessionStorage

        from portal.middleware import RejectNulMiddleware, language_of

        self.get_response = get_response
        self.targets: dict[tuple[str, str], Target] = {}
        self.csrf = CsrfViewMiddleware(get_response)
        self.bad, self.language_of = RejectNulMiddleware.bad, language_of
        self.SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
        self.not_anonymous = (SESSION_KEY, SessionStorage.session_key)  # signed in, message waiting

    def target(self, request) -> Target:
        where = (settings.ROOT_URLCONF, request.path_info)
        found = self.targets.get(where)
        if found is not None:
            return found
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            found = NO_TARGET
        else:
            public = getattr(match.func, "public_page", None)
            proven = getattr(match.func, "proven_page", None)
            found = Target(public, proven, match.kwargs) if public or proven else NO_TARGET
        if len(self.targets) >= self.PATHS:
            self.targets.clear()
        self.targets[where] = found
        return found

    def answerable(self, request) -> tuple[tuple[str, ...], list[str], int] | None:
        """The versions, scope and lifetime of the page this request may be answered with
        from the cache, if any."""
        if not getattr(settings, "PAGE_CACHE", True) or request.method not in ("GET", "HEAD"):
            return None
        if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects it
        if settings.CSRF_USE_SESSIONS or settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:
            return None  # the token lives in a session / CommonMiddleware's own checks
        target = self.target(request)
        if target.public is not None:
            page = target.public
            if settings.SESSION_COOKIE_NAME in request.COOKIES or not page.reads(request):
                return None
            found = page.names, page.scope(), page.seconds
        elif target.proven is not None and not request.GET:
            names = self.proven(request, target)
            if names is None:
                return None
            found = (SITE, *names), ["private", "-"], PAGE_SECONDS
        else:
            return None
        return None if self.bad(request) else found

    def proven(self, request, target: Target) -> tuple[str, ...] | None:
        """The proven page's versions for this request's session (read here, as the session
        middleware would), if it is one this middleware may answer: nobody signed in, no
        message waiting, a session not rewritten at every request."""
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key or settings.SESSION_SAVE_EVERY_REQUEST:
            return None
        request.session = self.SessionStore(key)
        if any(name in request.session for name in self.not_anonymous):
            return None
        return target.proven(request, **target.kwargs)

    def __call__(self, request):
        found = self.answerable(request)
        if found is None:
            return self.get_response(request)
        names, scope, seconds = found
        request.LANGUAGE_CODE = self.language_of(request)  # LanguageMiddleware sets the same below
        slot, hit = _fetch(names, scope + _where(request))
        if hit is not None:
            return self.replay(request, hit)
        request._pagecache_top = (names, scope, slot)  # for the view's _serve: stored here
        response = self.get_response(request)
        content = request.__dict__.pop("_pagecache_pending", None)
        if slot is not None and content is not None and self.storable(response):
            _store(slot, _head(response, everything=True), content, seconds)
        return response

    @staticmethod
    def storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)
        )

    def replay(self, request, hit: bytes) -> HttpResponse:
        head, _sep, content = hit.partition(b"\n")
        has_form = CSRF_PLACEHOLDER.encode() in content
        if has_form:
            self.csrf.process_request(request)  # the visitor's secret, from their cookie
            content = _with_token(request, content)
        response = _response(head, content)
        response["Content-Length"] = str(len(content))
        if has_form:
            self.csrf.process_response(request, response)  # their cookie, renewed
        return response


def private_page(request, view, names: Iterable[str], seconds: int = PAGE_SECONDS):
    """Answer ``view(request)`` from the cache for a page that only a proven visitor reaches
    (a citizen's dossier status page, opened by the session's proof, checked by the caller;
    see :func:`proven_page` for it to be answered before the stack).

    Keyed on ``names`` (the object's own version), the signed-in user (or none), the
    language, the day and the full path: two browsers that both proved they know the
    dossier share the page, with their own CSRF tokens. A visitor with a message
    waiting gets the page rendered; a rendering that changed the session is not kept.
    """
    messages = getattr(request, "_messages", None)
    if (
        not getattr(settings, "PAGE_CACHE", True)
        or request.method not in ("GET", "HEAD")
        or (messages is not None and len(messages))
    ):
        return view(request)
    user = getattr(request, "user", None)
    whose = str(user.pk) if user is not None and user.is_authenticated else "-"
    return _serve(request, view, (), {}, (SITE, *names), ["private", whose], seconds)


# --- an official's own pages ------------------------------------------------------------------

STAFF_SECONDS = 600


def staff_cacheable(request) -> bool:
    """A signed-in official's GET with no message waiting for them."""
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or not user.is_staff or session is None:
        return False
    if not session.session_key:
        return False
    messages = getattr(request, "_messages", None)
    return messages is None or len(messages) == 0


def cached_staff_page(view, seconds: int = STAFF_SECONDS):
    """Keep an official's own page (per session) until any data changes (:data:`DATA`).

    For back-office pages whose rendering, not their queries, is the cost
    (the admin home, the dossier list and its queues). The key holds the
    session: nobody else, not even the same official in another session, is
    served it. A page with a message for the official, or rendered while
    the session or a cookie changed, is not stored.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "PAGE_CACHE", True) or not staff_cacheable(request):
            return view(request, *args, **kwargs)
        scope = ["staff", request.session.session_key, str(request.user.pk)]
        return _serve(request, view, args, kwargs, (DATA,), scope, seconds)

    return wrapper
