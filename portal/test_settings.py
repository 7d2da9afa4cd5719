"""Settings for the test suite: the real settings, served over plain HTTP.

Same PostgreSQL and Redis as configured (or embedded); only what a test run
must change is changed here.
"""

import os

# Tests sign with their own key; every other value comes from the environment
# (.envrc-test or the launcher), as in production.
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

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
        "OPTIONS": {"location": str(VAR_DIR / "test-private")},  # noqa: F405
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
PAYMENT_SANDBOX = True  # the tests pay end to end through the local sandbox gateway, switched on here
# Served from the source folders (no collectstatic before a test run); production
# serves collectstatic's hashed, compressed copies only.
WHITENOISE_USE_FINDERS = True
