"""Chumchon settings: one module, driven by environment variables.

Embedded mode (the default) needs no configuration at all: the database is a SQLite
file under ``var/`` and the secret keys are generated into ``var/`` on first use.
Production mode (``CHUMCHON_MODE=production``) refuses to start without every secret
given explicitly.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("CHUMCHON_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("CHUMCHON_VAR", BASE_DIR / "var")).resolve()

MODE = os.environ.get("CHUMCHON_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"CHUMCHON_MODE must be 'embedded' or 'production', not {MODE!r}")
PRODUCTION = MODE == "production"


def _secret(name: str, *, length: int = 50) -> str:
    """A secret from the environment; in embedded mode, generated once into var/."""
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when CHUMCHON_MODE=production")
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = VAR_DIR / f"{name.lower()}.txt"
    if not path.exists():
        # Written with 0600 so other local users cannot read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(length))
    return path.read_text().strip()


def database_from_url(url: str) -> dict[str, object]:
    """Parse ``postgres://user:pass@host:port/name`` or ``sqlite:////abs/path``."""
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "chumchon",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": f"test_{unquote(parts.path.lstrip('/')) or 'chumchon'}"},
        }
    if parts.scheme == "sqlite":
        # sqlite:////abs/path → netloc "" and path "//abs/path": one leading slash stays.
        path = "/" + unquote(parts.path).lstrip("/") if parts.path.startswith("//") else unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured("sqlite DATABASE_URL needs a path: sqlite:////abs/path.sqlite3")
        return _sqlite(path)
    raise ImproperlyConfigured(f"Unsupported DATABASE_URL scheme {parts.scheme!r}")


def _sqlite(path: str | Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets the web app read while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades in the middle of a write transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        },
        # One connection a server thread, kept between requests: opening one (and its
        # PRAGMAs and functions) cost every request ~10% of the server under load.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


_db_url = os.environ.get("DATABASE_URL", "").strip()
if _db_url:
    DATABASES = {"default": database_from_url(_db_url)}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when CHUMCHON_MODE=production")
else:
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATABASES = {"default": _sqlite(VAR_DIR / "chumchon.sqlite3")}

SECRET_KEY = _secret("CHUMCHON_SECRET_KEY")
# Key for field-level encryption of national IDs (Fernet, urlsafe base64 of 32 bytes)
# and the keyed hash used to look them up. Losing it makes the stored IDs unreadable,
# so it is never generated beside a database that may already hold data: here only
# when the embedded SQLite file does not exist yet; otherwise ``chumchon`` generates it
# after finding the database empty (chumchon.ops.keys), or refuses to start.
FIELD_KEY_FILE = VAR_DIR / "chumchon_field_key.txt"
FIELD_ENCRYPTION_KEY = os.environ.get("CHUMCHON_FIELD_KEY") or ""
if not FIELD_ENCRYPTION_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("CHUMCHON_FIELD_KEY must be set when CHUMCHON_MODE=production")
    if FIELD_KEY_FILE.exists():
        FIELD_ENCRYPTION_KEY = FIELD_KEY_FILE.read_text().strip()
    elif not _db_url and not Path(str(DATABASES["default"]["NAME"])).exists():
        FIELD_ENCRYPTION_KEY = _secret("CHUMCHON_FIELD_KEY")

DEBUG = os.environ.get("CHUMCHON_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "CHUMCHON_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("CHUMCHON_ALLOWED_HOSTS must be set when CHUMCHON_MODE=production")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CHUMCHON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# Where people reach this instance: printed figures carry QR codes to their live page
# under it (``core.qr``). In production it defaults to the first allowed host over HTTPS.
_first_host = next((h for h in ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "")
SITE_URL = (
    os.environ.get("CHUMCHON_SITE_URL", "").strip()
    or (f"https://{_first_host}" if PRODUCTION and _first_host else "http://127.0.0.1:8000")
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "chumchon.core",
    "chumchon.areas",
    "chumchon.access",
    "chumchon.registry",
    "chumchon.ledgers",
    "chumchon.insights",
    "chumchon.imports",
    "chumchon.plans",
    "chumchon.matching",
    "chumchon.ops",
    "chumchon.commands",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chumchon.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chumchon.access.middleware.LoginRequiredMiddleware",
    "chumchon.access.middleware.WriteGuardMiddleware",
    "chumchon.core.middleware.VersionsPinnedMiddleware",
]

ROOT_URLCONF = "chumchon.urls"
WSGI_APPLICATION = "chumchon.wsgi.application"
AUTH_USER_MODEL = "access.User"
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "areas:home"
LOGOUT_REDIRECT_URL = "access:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chumchon.access.context_processors.scope",
            ],
            "builtins": ["chumchon.core.templatetags.thai"],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai first. English is a switch away.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "chumchon_lang"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from the apps
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps (no collectstatic step on a tambon PC).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The figures and dashboards computed from the rollups (chumchon.insights.cache): each
# process's memory in front of one table in the database that every process shares
# (and that chumchon.insights.warm fills ahead of the pages after a write). Their keys
# carry the data's versions, so nothing expires by time.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "chumchon",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "chumchon_result_cache",  # insights.models.ResultCache
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and cookies: HttpOnly everywhere; Secure when served over HTTPS in production.
SESSION_COOKIE_NAME = "chumchon_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "chumchon.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("CHUMCHON_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30

# Login throttling (access/throttle.py): growing delays, never a lock a stranger can
# trigger. Per (account, address) after PAIR_LIMIT failures; per account after
# ACCOUNT_LIMIT and per address after ADDRESS_LIMIT failures within the window.
LOGIN_THROTTLE_PAIR_LIMIT = int(os.environ.get("CHUMCHON_LOGIN_PAIR_LIMIT", "5"))
LOGIN_THROTTLE_ACCOUNT_LIMIT = int(os.environ.get("CHUMCHON_LOGIN_ACCOUNT_LIMIT", "20"))
LOGIN_THROTTLE_ADDRESS_LIMIT = int(os.environ.get("CHUMCHON_LOGIN_ADDRESS_LIMIT", "100"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("CHUMCHON_LOGIN_FAILURE_WINDOW", "900"))
LOGIN_THROTTLE_PAIR_FORGET_SECONDS = 24 * 60 * 60
LOGIN_THROTTLE_BASE_DELAY_SECONDS = 30
LOGIN_THROTTLE_MAX_DELAY_SECONDS = 15 * 60
API_TOKEN_TTL_HOURS = int(os.environ.get("CHUMCHON_API_TOKEN_TTL_HOURS", "12"))

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Uploads: a form body without files is held in memory up to 2.5 MB; a file over 2.5 MB
# goes to a temporary file, never memory. The import page refuses a body over its 50 MB
# limit from Content-Length before reading it (imports/views.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An uploaded import runs in a child process allowed this many MB beyond what it needs to
# start (imports/process.py); 0 runs it in the server's worker thread without a limit.
IMPORT_JOB_MEMORY_MB = int(os.environ.get("CHUMCHON_IMPORT_MEMORY_MB", "1536"))

NINJA_PAGINATION_PER_PAGE = 50

# A folder of a deployment's own needs-indicator editions (JSON, same shape as
# registry/data/indicators/tpmap-2562.json); `chumchon indicators use CODE` switches.
INDICATOR_EDITIONS_DIR = os.environ.get("CHUMCHON_INDICATORS_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHUMCHON_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Request lines carry URLs only; bodies (which may hold national IDs) are never logged.
        "django.request": {"level": "ERROR"},
    },
}
