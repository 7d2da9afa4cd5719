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
  own page, per session, under :data:`DATA`. Every key also holds the database, the
  language, the day, the host and the full path. One Redis round trip per request (a Lua
  script reads the versions, keys the page and reads it). The CSRF token is never cached:
  a page is rendered with a placeholder that each response replaces with the visitor's
  own token.

Who gets a cached public page: a GET or HEAD with no session cookie and no message
cookie (so never a signed-in official or citizen, nor anyone with a session holding a
look-up, a draft or a flash message), with only the query parameters the page declares.
Everyone else gets the page rendered for them. Only a plain 200 whose rendering set no
cookie, changed no session and queued no message is stored. Redis down is a miss: the
page is rendered.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, get_resolver
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers

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


def code_version() -> str:
    """A fingerprint of the code that renders pages (the project's Python files, templates,
    compiled translations and pinned requirements), read once per process: a page stored by
    one release is never served by another, and every node of a release computes the same."""
    global _code
    if _code is None:
        import hashlib
        from pathlib import Path

        base = Path(settings.BASE_DIR)
        roots = [p for p in sorted(base.iterdir()) if (p / "__init__.py").exists() and p.name != "tests"]
        roots += [base / "templates", base / "locale"]
        digest = hashlib.sha1((base / "requirements.txt").read_bytes())
        for root in roots:
            for path in sorted(root.rglob("*")):
                if path.suffix in (".py", ".html", ".txt", ".xml", ".mo") and path.is_file():
                    digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
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


# One round trip to Redis per cached request: read the versions, make the page's key from
# them (SHA-1 of versions and scope, computed by Redis), read the page. A missing version
# answers 0 and is started by :func:`versions`.
LOOKUP_SCRIPT = """
local parts = {}
for i, name in ipairs(KEYS) do
  local value = redis.call('GET', name)
  if not value then return {0, false} end
  parts[i] = value
end
local key = ARGV[1] .. redis.sha1hex(table.concat(parts, '.') .. '\\n' .. ARGV[2])
return {key, redis.call('GET', key)}
"""
_scripts: dict[int, object] = {}


def _redis():
    """The raw Redis client behind the default cache (None if the cache is not django-redis)."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def _fetch(names: tuple[str, ...], scope: list[str]) -> tuple[str | None, bytes | None]:
    """The page's key and its stored bytes (None if missing); (None, None) if Redis fails."""
    from redis.exceptions import RedisError

    client = _redis()
    if client is None:
        return None, None
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(LOOKUP_SCRIPT)
    keys = [cache.make_key(_version_key(name)) for name in names]
    args = [cache.make_key("pagecache:page:"), "\n".join(scope).encode()]
    try:
        for _attempt in range(2):
            key, page = script(keys=keys, args=args)
            if key != 0:
                return key.decode(), page
            versions(*names)  # start the missing ones, then ask again
    except (RedisError, OSError):
        return None, None
    return None, None


def _store(key: str, head: bytes, content: bytes, seconds: int) -> None:
    from redis.exceptions import RedisError

    try:
        _redis().set(key, head + b"\n" + content, ex=seconds)
    except (RedisError, OSError):
        pass


def rendering_for_cache(request) -> bool:
    """For the context processor: render the CSRF token as the placeholder."""
    return getattr(request, "_pagecache_rendering", False)


#: Headers a stored page keeps (the rest is added per response by the middleware around it).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "X-Robots-Tag", "Link")


def _head(response) -> bytes:
    """The stored page's first line: the headers it keeps, ``name: value`` joined by tabs."""
    kept = [f"{name}: {response[name]}" for name in KEPT_HEADERS if response.has_header(name)]
    return "\t".join(kept).encode("latin-1", "replace")


def _answer(request, head: bytes, content: bytes) -> HttpResponse:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content)
    for line in head.decode("latin-1").split("\t"):
        name, _sep, value = line.partition(": ")
        if name:
            response[name] = value
    if "no-store" in response.get("Cache-Control", ""):
        add_never_cache_headers(response)  # its Expires is of now, not of when it was stored
    patch_vary_headers(response, ("Cookie",))
    return response


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
    fetched = getattr(request, "_pagecache_missed", None)
    if fetched is not None:  # PageCacheMiddleware looked it up already: a miss
        key, hit = fetched, None
    else:
        key, hit = _fetch(names, scope + _where(request))
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
    if key is None or not _storable(request, response, before):
        if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
            response.content = response.content.replace(
                CSRF_PLACEHOLDER.encode(), get_token(request).encode()
            )
        return response
    head = _head(response)
    _store(key, head, response.content, seconds)
    return _answer(request, head, response.content)


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

    def fetch(self, request):
        return _fetch(self.names, self.scope() + _where(request))


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


class PageCacheMiddleware:
    """Answer a cached public page before the rest of the stack (sign-in, two-factor,
    messages, the views' own decorators), which a visitor without a session does not need.

    Placed after the session, language, common and CSRF middleware (the page's key holds
    the language; its CSRF token is the visitor's own, set as a cookie by the CSRF
    middleware on the way out) and after the headers' middleware (security, CSP, frame
    options), which add their headers to every answer. A miss goes on down the stack, and
    the view renders and stores the page without asking Redis a second time.
    """

    #: Paths whose page is remembered per process (the URL resolver walks every pattern).
    PATHS = 4096

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: dict[tuple[str, str], PublicPage | None] = {}

    def page(self, request) -> PublicPage | None:
        where = (settings.ROOT_URLCONF, request.path_info)
        if where in self.pages:
            return self.pages[where]
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            match = None
        if len(self.pages) >= self.PATHS:
            self.pages.clear()
        page = self.pages[where] = getattr(match.func, "public_page", None) if match else None
        return page

    def __call__(self, request):
        if getattr(settings, "PAGE_CACHE", True) and anonymous(request):
            page = self.page(request)
            if page is not None and page.reads(request):
                key, hit = page.fetch(request)
                if hit is not None:
                    return _hit(request, hit)
                if key is not None:
                    request._pagecache_missed = key
        return self.get_response(request)


def private_page(request, view, names: Iterable[str], seconds: int = PAGE_SECONDS):
    """Answer ``view(request)`` from the cache for a page that only a proven visitor reaches
    (a citizen's dossier status page, opened by the session's proof, checked by the caller).

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
