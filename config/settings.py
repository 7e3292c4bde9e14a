"""Claimlens settings, read from the environment.

DATABASE_URL      sqlite:///path/to/file.sqlite3 (default: db.sqlite3 in the project) or postgres://...
DJANGO_SECRET_KEY required when DJANGO_DEBUG is off
DJANGO_DEBUG      "1"/"true" for development (default on, so `make run` works out of the box)
DJANGO_ALLOWED_HOSTS comma-separated host names
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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
    "articles",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "annotations.middleware.ReadingLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Django's ModelBackend, but a signed-in user's role groups come in the same query.
AUTHENTICATION_BACKENDS = ["annotations.backends.RoleBackend"]

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
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
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
CLAIMLENS_IMPORT_MAX_ZIP_MEMBERS = 500
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
