"""Kakehashi settings: one module, every value from the environment with a safe local default.

`KAKEHASHI_ENV=production` turns the safety checks on: the process refuses to start without a
real `SECRET_KEY` and `ALLOWED_HOSTS`. Locally a random key is generated once into `var/`.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KAKEHASHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("KAKEHASHI_ENV", "local")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", False)
# pytest sets PYTEST_VERSION: tests run tasks inline, keep mail in memory and skip the static manifest.
TESTING = bool(os.environ.get("PYTEST_VERSION"))


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when KAKEHASHI_ENV=production.")
    # Local runs keep one generated key so sessions survive a restart; never committed.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,[::1]")
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when KAKEHASHI_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "kakehashi.core",
    "kakehashi.accounts",
    "kakehashi.reference",
    "kakehashi.outreach",
    "kakehashi.companies",
    "kakehashi.insights",
    "kakehashi.planning",
    "kakehashi.events",
    "kakehashi.community",
    "kakehashi.portal",
    "kakehashi.sharing",
    "kakehashi.reports",
    "kakehashi.privacy",
    "kakehashi.handover",
    "kakehashi.api",
    "kakehashi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kakehashi.core.middleware.JapaneseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kakehashi.privacy.middleware.AccessContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kakehashi.accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kakehashi.core.middleware.CurrentProgrammeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kakehashi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kakehashi.core.context_processors.kakehashi",
                "kakehashi.portal.context_processors.portal",
            ],
            "builtins": ["kakehashi.core.templatetags.ja_dates"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite in WAL mode is the embedded default; PostgreSQL through DATABASE_URL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kakehashi.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (DB_CONN_MAX_AGE) as on PostgreSQL: opening one and running the PRAGMAs below cost
    # about a quarter of a small page's server time (decision 018).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if TESTING:
        # A file, not shared-cache memory: browser tests hit the live server with overlapping
        # requests (autosave + upload), and only a file database waits (busy_timeout) instead of
        # failing with "table is locked". One file per test process.
        DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "kakehashi.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing a password per test user dominates suite time; tests need no real hashing.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_ENGINE = "kakehashi.accounts.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed-in sessions also end after this many seconds without a request (0 turns the idle limit off).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(60 * 60)))
# Login throttling: after this many failed attempts for one username from one address, wait this long.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
# Roles that must use a second factor (TOTP) to sign in; superusers always must.
KAKEHASHI_MFA_REQUIRED_ROLES = env_list("KAKEHASHI_MFA_REQUIRED_ROLES", "prefecture,manager")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "kakehashi" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or env_bool("KAKEHASHI_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "sent-mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kakehashi@localhost")

# --- Logging: no PII; request bodies and query strings are never logged --------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Kakehashi ------------------------------------------------------------------------------
KAKEHASHI_SITE_NAME = os.environ.get("KAKEHASHI_SITE_NAME", "Kakehashi 架け橋")
# The site's public address, for links in notification e-mails (referrals, advice threads).
KAKEHASHI_BASE_URL = os.environ.get("KAKEHASHI_BASE_URL", "http://localhost:8000")
API_TOKEN_PREFIX = "khs_"  # noqa: S105 — a public prefix, not a secret
# Largest 法人番号公表サイト file accepted by the upload page (the national 全件 zip is ~500 MB unpacked).
KAKEHASHI_NTA_IMPORT_MAX_BYTES = int(os.environ.get("KAKEHASHI_NTA_IMPORT_MAX_BYTES", str(600 * 1024 * 1024)))
# Largest designated/company list accepted for import (bytes); larger files get a clear "too large" answer.
KAKEHASHI_IMPORT_MAX_BYTES = int(os.environ.get("KAKEHASHI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# --- Visit planning ------------------------------------------------------------------------
# Travel is estimated as straight line × detour factor ÷ speed (set per programme on the planning
# screen). With an OSRM-compatible routing engine (OSRM, or Valhalla's OSRM mode) the planner asks it
# for road distances and times instead; pairs it cannot route fall back to the estimate.
PLANNING_ROUTING_URL = os.environ.get("PLANNING_ROUTING_URL", "")
PLANNING_ROUTING_PROFILE = os.environ.get("PLANNING_ROUTING_PROFILE", "car")
PLANNING_ROUTING_TIMEOUT = float(os.environ.get("PLANNING_ROUTING_TIMEOUT", "30"))
# --- Public portal (docs/decisions/014-portal.md) -------------------------------------------------
KAKEHASHI_PORTAL_NAME = os.environ.get("KAKEHASHI_PORTAL_NAME", "地域DXポータル")
# Origin used in links that leave by mail (confirmation, unsubscribe), e.g. https://portal.example.jp.
# Empty: the origin of the request that caused the mail.
KAKEHASHI_PUBLIC_BASE_URL = os.environ.get("KAKEHASHI_PUBLIC_BASE_URL", "")
# Largest image accepted for articles (bytes).
KAKEHASHI_PORTAL_IMAGE_MAX_BYTES = int(os.environ.get("KAKEHASHI_PORTAL_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
# Addresses told (without personal data) that a consultation request arrived; comma-separated.
KAKEHASHI_PORTAL_CONSULTATION_NOTIFY = env_list("KAKEHASHI_PORTAL_CONSULTATION_NOTIFY")

# --- Community (docs/decisions/015-community.md) -----------------------------------------------
# How long a sign-up verification link stays valid (seconds); nothing is stored until it is opened.
KAKEHASHI_COMMUNITY_SIGNUP_MAX_AGE = int(os.environ.get("KAKEHASHI_COMMUNITY_SIGNUP_MAX_AGE", str(3 * 24 * 60 * 60)))

# --- Events (docs/decisions/013-events.md) -------------------------------------------------------
# A registration's organisation is linked to a registry company when the matcher's top candidate scores at least
# this (0–100) and leads the next one by the margin; otherwise staff resolve it on the match page.
KAKEHASHI_EVENT_MATCH_MIN_SCORE = int(os.environ.get("KAKEHASHI_EVENT_MATCH_MIN_SCORE", "90"))
KAKEHASHI_EVENT_MATCH_MARGIN = int(os.environ.get("KAKEHASHI_EVENT_MATCH_MARGIN", "5"))
# Wall-clock bound of one table-mixing plan (seconds, all rounds).
KAKEHASHI_EVENT_MIXING_SECONDS = float(os.environ.get("KAKEHASHI_EVENT_MIXING_SECONDS", "3"))
# Public registrations accepted per client address per hour (a light brake on bots; the honeypot does the rest).
KAKEHASHI_EVENT_REGISTRATIONS_PER_HOUR = int(os.environ.get("KAKEHASHI_EVENT_REGISTRATIONS_PER_HOUR", "20"))
# Handover bundles written from the screen (all data, personal information included): outside MEDIA_ROOT.
KAKEHASHI_HANDOVER_DIR = Path(os.environ.get("KAKEHASHI_HANDOVER_DIR", VAR_DIR / "handover"))
