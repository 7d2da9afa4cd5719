"""Settings of the signature service, read when they are used.

Each value is taken from Django's settings when present there, otherwise
from the environment variable of the same name, so the project settings
need no edit to run this app (the lead may move them into
``portal/settings.py`` later; the names stay).

``ORG_SIGNING_KEY_SECRET``
    The secret that encrypts the organisations' private keys (and the demo
    certificate authority's) at rest: PKCS#8 ``EncryptedPrivateKeyInfo``
    with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), the secret as its
    passphrase. At least 32 characters. Required unless ``DEBUG`` is on, in
    which case a development secret derived from ``SECRET_KEY`` is used.
    Keep it outside the database and its backups: whoever holds both can
    sign as every organisation. Changing it needs the keys re-encrypted
    (:func:`documents.keys.reencrypt_organisation_keys`).

``TSA_URL``
    An RFC 3161 time-stamping server (HTTP POST of
    ``application/timestamp-query``). Empty: signatures carry no timestamp.
``TSA_TIMEOUT``
    Seconds to wait for it (default 10).

``PERSONAL_KEY_KDF_ITERATIONS``
    PBKDF2 iterations for newly encrypted personal keys (default 600,000, the
    OWASP 2023 figure for PBKDF2-HMAC-SHA256). Stored in each key, so
    changing it affects only keys encrypted afterwards.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ORG_SECRET_NAME = "ORG_SIGNING_KEY_SECRET"
MIN_SECRET_LENGTH = 32
DEFAULT_KDF_ITERATIONS = 600_000


def _value(name: str, default: str = "") -> str:
    """A setting (portal/settings.py reads them from the environment)."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = default
    return str(value).strip()


def tsa_url() -> str:
    return _value("TSA_URL")


def tsa_timeout() -> float:
    try:
        return float(_value("TSA_TIMEOUT", "10"))
    except ValueError:
        raise ImproperlyConfigured("TSA_TIMEOUT must be a number of seconds.") from None


def kdf_iterations() -> int:
    try:
        value = int(_value("PERSONAL_KEY_KDF_ITERATIONS", str(DEFAULT_KDF_ITERATIONS)))
    except ValueError:
        raise ImproperlyConfigured("PERSONAL_KEY_KDF_ITERATIONS must be a whole number.") from None
    if value < 1000:
        raise ImproperlyConfigured("PERSONAL_KEY_KDF_ITERATIONS must be at least 1000.")
    return value


def org_secret_problem() -> str | None:
    """Why the organisation secret cannot be had, or ``None`` when it can."""
    value = _value(ORG_SECRET_NAME)
    if value:
        if len(value) < MIN_SECRET_LENGTH:
            return f"{ORG_SECRET_NAME} must be at least {MIN_SECRET_LENGTH} characters long."
        return None
    if settings.DEBUG:
        return None
    return (
        f"{ORG_SECRET_NAME} is not set: organisation keys cannot be encrypted or used. "
        f"Set it to a random secret of at least {MIN_SECRET_LENGTH} characters (see the README)."
    )


def org_secret() -> bytes:
    """The passphrase of the organisation keys; raises ``ImproperlyConfigured`` when missing."""
    problem = org_secret_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    value = _value(ORG_SECRET_NAME)
    if value:
        return value.encode()
    # DEBUG only: a development secret derived from SECRET_KEY (never used in production).
    digest = hashlib.sha256(b"documents.org-signing-key/" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)
