"""Claimlens settings, read from the environment.

DATABASE_URL      sqlite:///path/to/file.sqlite3 (default: db.sqlite3 in the project) or postgres://...
DJANGO_SECRET_KEY required when DJANGO_DEBUG is off
DJANGO_DEBUG      "1"/"true" for development (default on, so `make run` works out of the box)
DJANGO_ALLOWED_HOSTS comma-separated host names
The limits (CLAIMLENS_WRITE_RATE_*, CLAIMLENS_LOGIN_*, CLAIMLENS_PROXY_COUNT) are described in
the README's "Limits" section.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.caching import cache_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """Return a django-ratelimit rate ("60/m": 60 per minute) from the environment."""
    value = os.environ.get(name, default).strip()
    if not re.fullmatch(r"[1-9][0-9]*/[0-9]*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: give a count per period, e.g. 60/m, 1000/h, 20/10s."
        )
    return value


def api_cors(origins: list[str]) -> dict:
    """Return the django-cors-headers settings for CLAIMLENS_API_CORS_ORIGINS.

    Named origins may read and write; "*" (alone) lets any page read but not write. Cookies
    never cross origins: a page elsewhere signs in with an API token (Authorization: Bearer).
    """
    anyone = "*" in origins
    if anyone and len(origins) > 1:
        raise ImproperlyConfigured(
            "CLAIMLENS_API_CORS_ORIGINS is either * (any page may read) or a list of origins "
            "(they may read and write), not both."
        )
    read = ["GET", "HEAD", "OPTIONS"]
    return {
        "CORS_URLS_REGEX": r"^/api/",
        "CORS_ALLOW_ALL_ORIGINS": anyone,
        "CORS_ALLOWED_ORIGINS": [] if anyone else origins,
        "CORS_ALLOW_METHODS": read if anyone else [*read, "POST", "PUT", "DELETE"],
        "CORS_ALLOW_HEADERS": [
            "accept", "authorization", "content-type", "if-match", "if-none-match", "prefer",
            "slug",
        ],
        # What a protocol client reads: the headers the Web Annotation Protocol speaks in.
        "CORS_EXPOSE_HEADERS": [
            "Accept-Post", "Allow", "Content-Location", "ETag", "Link", "Location",
            "Preference-Applied", "Prefer", "Vary", "WWW-Authenticate",
        ],
        "CORS_ALLOW_CREDENTIALS": False,
        "CORS_PREFLIGHT_MAX_AGE": 3600,
    }  # fmt: skip


def database_from_url(url: str) -> dict:
    """Return a DATABASES entry for a sqlite:/// or postgres:// URL."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:///relative.sqlite3 or sqlite:////absolute/path.sqlite3
        path = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        name = path if Path(path).is_absolute() else str(BASE_DIR / path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # Several people write at once: WAL lets readers carry on during a write, the
                # busy timeout makes a second writer wait instead of failing with "locked", and
                # IMMEDIATE transactions take the write lock up front so they never deadlock.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": options.get("test_name")} if options.get("test_name") else {},
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "claimlens",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too weak: use 50 or more random characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "articles",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry Permissions-Policy and CORP too.
    "config.headers.SecurityHeadersMiddleware",
    # High up, as django-cors-headers asks: it answers the API's preflights itself.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what the views answer (WhiteNoise serves static files compressed already).
    # Against BREACH, Django masks the CSRF token anew in every response and pads the gzip
    # header with random bytes.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Counts every POST/PUT/PATCH/DELETE, whatever view (or none) answers it.
    "config.ratelimits.WriteRateLimitMiddleware",
    "config.auth.ReadingLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view that loses the database answers 503 + Retry-After (config/outage.py).
    "config.outage.DatabaseOutageMiddleware",
    # Last, as Axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username+address before any password is checked; signs no one in.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, but a signed-in user's role groups come in the same query.
    "config.auth.RoleBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

CACHES = {
    # Shared by every worker and machine: the reader pages' painted bodies and panels
    # (annotations.reader.reading.shared). The database by default; Redis in production.
    "default": cache_from_url(os.environ.get("CLAIMLENS_CACHE_URL", "db://claimlens_cache")),
    # Rate-limit counters must be shared by every gunicorn worker: a table in the database,
    # made by `migrate` (articles/migrations/0007_cache_tables.py runs createcachetable).
    "ratelimit": {
        "BACKEND": "config.cache_backends.AtomicDatabaseCache",
        "LOCATION": "claimlens_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "articles:list"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic gathers them for WhiteNoise (the load test uses a folder of its own).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: the import page takes files up to IMPORT_MAX_BYTES; Django itself keeps small
# ones in memory and spools bigger ones to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# --- Claimlens -------------------------------------------------------------------------------
# Largest single article file (or zip member, or fetched page) the importer accepts.
CLAIMLENS_IMPORT_MAX_BYTES = int(os.environ.get("CLAIMLENS_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
# Largest total uncompressed size of a zip, and most members, to stop zip bombs.
CLAIMLENS_IMPORT_MAX_ZIP_BYTES = int(
    os.environ.get("CLAIMLENS_IMPORT_MAX_ZIP_BYTES", 50 * 1024 * 1024)
)
CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS = int(os.environ.get("CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS", 5000))
# An imported item's transaction waits for the disk, as every other write does. 0: for bulk
# loads, it commits without waiting (PostgreSQL's synchronous_commit off for it alone;
# articles.services.commit_without_waiting says what a server crash may then lose).
CLAIMLENS_IMPORT_WAIT_FOR_DISK = env_bool("CLAIMLENS_IMPORT_WAIT_FOR_DISK", True)
# Background imports (README, "Importing articles"): a batch of more items than this runs as
# a job, done by `manage.py db_worker`; a running job whose worker has written nothing for
# CLAIMLENS_JOB_STALE_SECONDS lost its worker and is resumed; uploads wait in CLAIMLENS_JOB_DIR.
CLAIMLENS_JOB_THRESHOLD = int(os.environ.get("CLAIMLENS_JOB_THRESHOLD", 5))
CLAIMLENS_JOB_STALE_SECONDS = int(os.environ.get("CLAIMLENS_JOB_STALE_SECONDS", 120))
CLAIMLENS_JOB_DIR = Path(os.environ.get("CLAIMLENS_JOB_DIR", BASE_DIR / "var" / "jobs"))
# A worker running an import job lowers its CPU priority to this niceness (0: as started), and
# rests after each item this many times as long as the item took (0: flat out).
CLAIMLENS_JOB_NICENESS = int(os.environ.get("CLAIMLENS_JOB_NICENESS", 10))
CLAIMLENS_JOB_REST = float(os.environ.get("CLAIMLENS_JOB_REST", 1.0))
# Seconds between the periodic job's runs (due feeds polled, lost jobs resumed).
CLAIMLENS_TICK_SECONDS = int(os.environ.get("CLAIMLENS_TICK_SECONDS", 60))
# Largest page (HTML as the reader sees it) the bookmarklet may send.
CLAIMLENS_SEND_MAX_BYTES = int(os.environ.get("CLAIMLENS_SEND_MAX_BYTES", 5 * 1024 * 1024))
# django-tasks' database backend: jobs are rows, run by `manage.py db_worker` processes on any
# machine that shares the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Fetching a URL: seconds before giving up, and whether loopback/private addresses are allowed
# (only tests turn this on, to fetch from a server they run themselves).
CLAIMLENS_FETCH_TIMEOUT = float(os.environ.get("CLAIMLENS_FETCH_TIMEOUT", 10))
CLAIMLENS_FETCH_ALLOW_PRIVATE = env_bool("CLAIMLENS_FETCH_ALLOW_PRIVATE", False)
# Anonymous visitors may read articles and shared annotations unless this is on.
CLAIMLENS_REQUIRE_LOGIN = env_bool("CLAIMLENS_REQUIRE_LOGIN", False)
# The organisation named as author of published ClaimReviews.
CLAIMLENS_ORGANISATION = os.environ.get("CLAIMLENS_ORGANISATION", "Claimlens")
CLAIMLENS_ORGANISATION_URL = os.environ.get("CLAIMLENS_ORGANISATION_URL", "")
# Where this Claimlens is reachable; management commands build absolute IRIs (annotation ids,
# reader URLs) from it because they have no request to ask.
CLAIMLENS_BASE_URL = os.environ.get("CLAIMLENS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Annotations per AnnotationPage in the Web Annotation Protocol containers.
CLAIMLENS_API_PAGE_SIZE = int(os.environ.get("CLAIMLENS_API_PAGE_SIZE", 50))
# Web pages on these origins may call the API from the browser (README, "The API and
# exports"): none by default; "*" for read-only use by any page.
CLAIMLENS_API_CORS_ORIGINS = env_list("CLAIMLENS_API_CORS_ORIGINS")
_cors = api_cors(CLAIMLENS_API_CORS_ORIGINS)
CORS_URLS_REGEX = _cors["CORS_URLS_REGEX"]
CORS_ALLOW_ALL_ORIGINS = _cors["CORS_ALLOW_ALL_ORIGINS"]
CORS_ALLOWED_ORIGINS = _cors["CORS_ALLOWED_ORIGINS"]
CORS_ALLOW_METHODS = _cors["CORS_ALLOW_METHODS"]
CORS_ALLOW_HEADERS = _cors["CORS_ALLOW_HEADERS"]
CORS_EXPOSE_HEADERS = _cors["CORS_EXPOSE_HEADERS"]
CORS_ALLOW_CREDENTIALS = _cors["CORS_ALLOW_CREDENTIALS"]
CORS_PREFLIGHT_MAX_AGE = _cors["CORS_PREFLIGHT_MAX_AGE"]

# --- Limits (README, "Limits") --------------------------------------------------------------
# Writes (POST, PUT, PATCH, DELETE on any URL, the API included), per signed-in user (session
# or API token) and per client address; past either, the answer is 429 with Retry-After.
RATELIMIT_ENABLE = env_bool("CLAIMLENS_RATELIMIT_ENABLED", True)
CLAIMLENS_WRITE_RATE_USER = env_rate("CLAIMLENS_WRITE_RATE_USER", "60/m")
CLAIMLENS_WRITE_RATE_IP = env_rate("CLAIMLENS_WRITE_RATE_IP", "120/m")
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "config.ratelimits.client_ip"
# How many proxies in front of Claimlens append to X-Forwarded-For (0: use the peer address).
CLAIMLENS_PROXY_COUNT = int(os.environ.get("CLAIMLENS_PROXY_COUNT", 0))
# django-ratelimit knows no database cache that increments atomically, and warns about any
# backend it does not know; AtomicDatabaseCache does (tests/config/test_ratelimits.py).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Sign-in: after this many failures for one username from one address, that pair is refused
# (even with the right password) for the cool-off; a successful sign-in clears its failures.
AXES_FAILURE_LIMIT = int(os.environ.get("CLAIMLENS_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("CLAIMLENS_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.ratelimits.login_lockout"
AXES_CLIENT_IP_CALLABLE = "config.ratelimits.client_ip"
# Failures are kept (that is the lockout); a row per successful sign-in is not needed.
AXES_DISABLE_ACCESS_LOG = True

# --- Response headers ------------------------------------------------------------------------
# No inline script, no eval: scripts come from static/ (a nonce is there for the rare inline
# data block). Style attributes stay allowed: they only carry label colours (#rrggbb, checked
# when saved and when painted); <style> elements and style sheets must come from static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# Features Claimlens never uses, switched off for it and anything it might embed.
CLAIMLENS_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
CLAIMLENS_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# htmx sends the token from <body hx-headers>, never from the cookie: scripts need not read it.
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
