"""Settings for the test suite: the real settings, served over plain HTTP.

Same PostgreSQL and Redis as configured (or embedded); only what a test run
must change is changed here.
"""

import os

# Tests sign with their own key; every other value comes from the environment
# (.envrc-test or the launcher), as in production.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

# Under pytest-xdist each worker (gw0, gw1, ...) has a test database of its own (pytest-django
# adds the suffix); here it also gets a Redis database of its own (the one configured, plus its
# number: a test that flushes its cache or its rate limits, or a Celery worker it starts, never
# meets another worker's keys) and a file store of its own. Set in the environment, so the
# processes a test starts (nodes, Celery workers) inherit it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SHIFTED = "PORTAL_TEST_WORKER_REDIS_URL"  # what this worker's REDIS_URL became (not shifted twice)
if (
    WORKER.startswith("gw")
    and os.environ.get("REDIS_URL")
    and os.environ["REDIS_URL"] != os.environ.get(SHIFTED)
):
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    _url = urlsplit(os.environ["REDIS_URL"])
    _query = dict(parse_qsl(_url.query))
    _socket = _url.scheme == "unix"  # the embedded Redis: the database is a query parameter
    _db = int((_query.get("db") if _socket else _url.path.strip("/")) or 0) + int(WORKER[2:])
    if _db > 15:
        raise RuntimeError(f"{WORKER}: Redis has no database {_db}; run fewer workers (TEST_WORKERS)")
    if _socket:
        os.environ["REDIS_URL"] = f"unix://{_url.path}?{urlencode({**_query, 'db': _db})}"
    else:
        os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))
    os.environ[SHIFTED] = os.environ["REDIS_URL"]

from portal.settings import *  # noqa: E402, F403

HTTPS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
# In memory; a worker subprocess started by a test cannot share that, so it may ask for another.
EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", EMAIL_FILE_PATH)  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / f"test-private{'-' + WORKER if WORKER else ''}")},  # noqa: F405
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
PAYMENT_SANDBOX = True  # the tests pay end to end through the local sandbox gateway, switched on here
# Served from the source folders (no collectstatic before a test run); production
# serves collectstatic's hashed, compressed copies only.
WHITENOISE_USE_FINDERS = True
