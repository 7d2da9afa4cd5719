"""Settings of the municipal portal, read from environment variables.

Production-safe by default: DEBUG is off, cookies are secure and HTTPS is
enforced unless ``HTTPS=false`` is given (the local launcher does so).

Importing this module starts nothing and writes nothing. Outside DEBUG,
``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` must be set, or the import
fails with a message saying which; the launcher (``make run``, ``make
test``) starts the embedded PostgreSQL and Redis when no URL is given and
passes every value on to its children (see ``portal/launcher.py``).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (embedded servers' data, mail files, private files): never in the web root.
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str, debug_default: str, why: str) -> str:
    """An environment variable production cannot do without; a development default under DEBUG."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(
        f"{name} is not set. {why} Set it in the environment, start the portal with `make run` "
        "(which provides it), or set DEBUG=true for a development default."
    )


DEBUG = env_bool("DEBUG", False)
# The single-machine demo (`make run`): embedded servers, generated keys, mail
# in files under var/. Set by the launcher's `run`; never on a node of a cluster.
PORTAL_DEMO = env_bool("PORTAL_DEMO", False)
SECRET_KEY = required(
    "SECRET_KEY",
    "django-insecure-development-only-key-never-use-in-production",
    "It signs sessions, password-reset links and payment tokens.",
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.apps.PortalConfig",
    "onestop.apps.OnestopConfig",
    "documents.apps.DocumentsConfig",
    "feedback.apps.FeedbackConfig",
    "personnel.apps.PersonnelConfig",
    "website.apps.WebsiteConfig",
    "portal.apps.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "portal.apps.AxesConfig",  # django-axes, named in Vietnamese
    "csp",
    "django_otp",
    "portal.apps.TOTPConfig",  # django_otp.plugins.otp_totp, named in Vietnamese
    "portal.apps.StaticConfig",  # django_otp.plugins.otp_static
    # Wagtail: the editorial team's CMS for news (website/), its admin at /cms/.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
]

MIDDLEWARE = [
    # Cached public pages for visitors without a session, answered first: nothing below runs
    # for them (portal.pagecache; it adds what the skipped middleware would).
    "portal.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "website.middleware.CMSSecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.context_processors.csrf_placeholder",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = required(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal", "The portal keeps its data in PostgreSQL."
)
# Persistent connections; no health-check query at each request's start unless
# something between the node and PostgreSQL drops idle connections (a
# pooler, a firewall): then set CONN_HEALTH_CHECKS=true (docs/deploy.md).
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
CONN_HEALTH_CHECKS = env_bool("CONN_HEALTH_CHECKS", False)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
}
# Optional read replica (a streaming standby): heavy public reads go there
# (portal.replica), never a read that follows a write in the same request.
REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "").strip()
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]
# Views (by URL name) whose reads may go to the replica: catalogue, statistics, published lists.
REPLICA_VIEWS = env_list(
    "REPLICA_VIEWS",
    "onestop:catalogue,onestop:service,onestop:stats,onestop:stats_csv,feedback:list,feedback:stats",
)
for _alias in DATABASES:
    if not DATABASES[_alias]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("The portal runs on PostgreSQL only.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery ----------------------------------------------------
REDIS_URL = required(
    "REDIS_URL",
    "redis://127.0.0.1:6379/0",
    "Redis holds the cache, sessions, rate limits and the Celery queue, shared by every process.",
)
if REDIS_URL.startswith("unix://"):
    # A socket (the embedded Redis): kombu names it redis+socket, and its database virtual_host.
    _socket, _sep, _query = REDIS_URL[len("unix://") :].partition("?")
    _db = dict(parse_qsl(_query)).get("db")
    CELERY_BROKER_URL = "redis+socket://" + _socket + (f"?virtual_host={_db}" if _db else "")
else:
    CELERY_BROKER_URL = REDIS_URL
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_TASK_ACKS_LATE = True  # a task a dying worker held is redelivered
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must never hold up a request for long: if Redis is down the
# database row is already committed and the periodic sweep catches up.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# However many beats are started, one sends: the others wait on a lock in Redis
# (portal.beat), and take over within BEAT_LOCK_SECONDS if it stops.
CELERY_BEAT_SCHEDULER = "portal.beat:LockedScheduler"
BEAT_LOCK_SECONDS = int(os.environ.get("BEAT_LOCK_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    "housekeeping-daily": {
        "task": "portal.tasks.housekeeping",
        "schedule": crontab(hour=1, minute=30),
    },
    "housekeeping-heartbeat": {
        # A light beat heartbeat so operators (and the smoke test) can see
        # that beat and worker are alive: it records the time it ran.
        "task": "portal.tasks.heartbeat",
        "schedule": timedelta(minutes=1),
    },
    "reminder-sweep": {
        # Every app's reminders and the e-mails left unsent: read from the database (portal.outbox).
        "task": "portal.sweep_reminders",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 240},
    },
    "website-publish-scheduled": {
        # Wagtail's scheduled publishing: articles whose go-live (or expiry) time has come.
        "task": "website.publish_scheduled",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 50},
    },
}

# --- Cache and sessions ------------------------------------------------------
# One Redis for every process and node: rate limits, cached counts and
# figures, sessions agree whichever gunicorn worker (or server) answers. An
# unreachable Redis is a cache miss, never an error page (IGNORE_EXCEPTIONS):
# pages are recomputed and sessions read from the database.
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # The database's name in every key: databases sharing one Redis (a developer's, the
        # tests', the benchmarks') never read each other's pages, fragments or counts.
        "KEY_PREFIX": f"portal:{DATABASES['default']['NAME']}",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions: cached_db. Reads come from Redis; every write goes to PostgreSQL
# first, so a Redis restart or outage logs nobody out and loses no citizen's
# proof of a dossier (a pure cache session would vanish with Redis).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Auth ------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
CITIZEN_HOME_URL = "onestop:my_dossiers"  # where a citizen lands after signing in (portal.accounts)
# Staff need a second factor (TOTP or a backup code) to enter the back office
# (portal/otp.py). Off only for a development machine.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Cong dich vu cong")
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds, doubled after each wrong code
# A staff session ends after this many idle hours (portal.middleware.StaffSessionMiddleware).
STAFF_SESSION_IDLE_HOURS = int(os.environ.get("STAFF_SESSION_IDLE_HOURS", "8"))
PASSWORD_RESET_TIMEOUT = 3 * 3600  # seconds a password-reset link stays valid

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Locked by username across addresses, and by address across usernames
# (a guesser spreading attempts over several accounts from one address, or
# over several addresses on one account, is stopped either way).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/lockout.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- I18N --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and private files -------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Private files (uploads, letters, signed documents, results) go through
# Django's storage API: a private directory by default, S3-compatible object
# storage (django-storages) when S3_BUCKET is set, shared by every node. They
# are served only by the views that check visible_to (portal.uploads.file_response):
# streamed through the node, or, with PRIVATE_FILES_SIGNED_URLS, by a redirect
# to a URL signed for PRIVATE_FILES_URL_SECONDS.
S3_BUCKET = os.environ.get("S3_BUCKET", "").strip()
PRIVATE_FILES_SIGNED_URLS = env_bool("PRIVATE_FILES_SIGNED_URLS", False)
PRIVATE_FILES_URL_SECONDS = int(os.environ.get("PRIVATE_FILES_URL_SECONDS", "60"))
if S3_BUCKET:
    DEFAULT_FILE_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,  # URLs, when used, are signed …
            "querystring_expire": PRIVATE_FILES_URL_SECONDS,  # … and short-lived
            "file_overwrite": False,
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    DEFAULT_FILE_STORAGE_CONFIG = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Private: outside the web root, never served directly.
        "OPTIONS": {"location": os.environ.get("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))},
    }
STORAGES = {
    "default": DEFAULT_FILE_STORAGE_CONFIG,
    # Content-hashed names (a rolling release never serves a new page with an old
    # file), compressed copies (gzip, brotli) made once by collectstatic.
    "staticfiles": {"BACKEND": "portal.staticstorage.StaticStorage"},
}
# Production serves collectstatic's output only; the finders are for development.
WHITENOISE_USE_FINDERS = DEBUG


def _static_headers(headers, path, url):
    """Content-hashed static files (name.0123456789ab.css): a year's max-age, never revalidated."""
    import re

    if re.search(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$", url):
        headers["Cache-Control"] = "public, max-age=31536000, immutable"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_headers
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 26_214_400
# HTML compressed by the portal unless the reverse proxy does it (HTML_GZIP=false then).
HTML_GZIP = env_bool("HTML_GZIP", True)
if HTML_GZIP:
    MIDDLEWARE.insert(0, "portal.middleware.TextGZipMiddleware")

# --- E-mail -------------------------------------------------------------------
# SMTP (the relay at EMAIL_HOST, by default the node's own MTA). Mail goes to
# files under var/mail only on a development machine or the demo: on a node
# of a cluster, files would be scattered over each node's disk.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if (DEBUG or PORTAL_DEMO) and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng dịch vụ công <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind reverse proxies / load balancers: which addresses are proxies, so the
# client's own address (look-up throttle, django-axes, audit trail) is read from
# X-Forwarded-For instead of the balancer's (portal.audit.client_ip).
# TRUSTED_PROXIES: addresses or networks of the proxies (e.g. 10.0.0.0/8);
# NUM_PROXIES: how many proxies each request passes (when their addresses vary).
# BEHIND_PROXY=true alone means one proxy.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "1" if env_bool("BEHIND_PROXY") else "0"))
BEHIND_PROXY = bool(TRUSTED_PROXIES or NUM_PROXIES)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
AXES_CLIENT_IP_CALLABLE = "portal.audit.client_ip"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"


CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Portal-specific knobs (city data lives in the database, not here).
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", _("Municipal e-government portal"))
# Absolute address of the public site: every absolute link (e-mails, QR codes,
# payment callbacks) is built on it, never on a request's Host header.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
# Monitors presenting this token (Authorization: Bearer …) see /healthz details; empty: staff only.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")

# Online payment (VNPAY 2.1.0 protocol): a real gateway (VNPAY_PAYMENT_URL and
# VNPAY_HASH_SECRET), or the local sandbox gateway, off unless switched on
# (make run and the tests do) and never on beside a real gateway. A deploy
# check errors while the sandbox is on (see onestop.payments).
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "MYTHO001")
VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "")  # the real gateway's merchant secret
VNPAY_PAYMENT_URL = os.environ.get("VNPAY_PAYMENT_URL", "")  # the real gateway's payment page
VNPAY_RETURN_URL = os.environ.get("VNPAY_RETURN_URL", "")  # empty: this site's return page
VNPAY_IPN_URL = os.environ.get("VNPAY_IPN_URL", "")  # empty: this site's IPN endpoint
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", False) and not VNPAY_PAYMENT_URL


def _origin(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# Content Security Policy on every page (django-csp): scripts, styles, images and
# fonts from this site only, no inline script anywhere, no framing, no plugins.
# Forms may also go to the public address (PORTAL_BASE_URL) and the payment
# gateway: browsers check form-action on a form's redirects too. The back office
# additionally allows inline styles (Django's admin uses style attributes), not
# inline scripts (portal.middleware.PortalCSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": [
            "'self'",
            *sorted({o for o in (_origin(PORTAL_BASE_URL), _origin(VNPAY_PAYMENT_URL)) if o}),
        ],
    }
}

# --- Wagtail (the news CMS, website/) ---------------------------------------
# Editors sign in through the portal's own two-step log-in (the Django admin's);
# Wagtail's log-in page is never used (website.middleware.CMSSecondFactorMiddleware).
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Cổng thông tin điện tử")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "admin:login"
WAGTAIL_FRONTEND_LOGIN_URL = "admin:login"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # ASCII addresses (tin-tuc/thong-bao/khai-truong-ben-pha/)
# Editors' images and renditions only are public, under /media/images/ and /media/original_images/
# (website.views.media); every other file in the private storage stays behind its own view.
MEDIA_URL = "/media/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # attachments go through a view (private storage)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        # Only these features survive the editor's whitelist: no scripts, no styles, no embeds.
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image"]},
    }
}

# Digital signatures (documents/conf.py checks them): the secret that encrypts the
# organisations' signing keys, an RFC 3161 timestamp server, the personal keys' KDF cost.
ORG_SIGNING_KEY_SECRET = os.environ.get("ORG_SIGNING_KEY_SECRET", "")
TSA_URL = os.environ.get("TSA_URL", "")
TSA_TIMEOUT = os.environ.get("TSA_TIMEOUT", "10")
PERSONAL_KEY_KDF_ITERATIONS = os.environ.get("PERSONAL_KEY_KDF_ITERATIONS", "600000")
