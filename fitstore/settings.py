"""Settings of the FIT-Store, read from the environment.

The variables users rely on are listed in the contract (docs/configuration.md explains each):
DATABASE_URL, SEARCH_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, ALLOW_LOCAL_REPOSITORIES,
GIT_ALLOWED_HOSTS. Everything has a default that serves `make run` on a laptop; production sets
real values and `manage.py check --deploy` then reports nothing.
"""
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from fitstore.files import create_once

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FITSTORE_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = BASE_DIR / "data"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once per checkout (var/secret_key) for development without SECRET_KEY.

    The deploy check `fitstore.W001` warns when production runs on it. Workers starting together
    agree on one key (fitstore.files.create_once).
    """
    return create_once(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(50).encode()).decode().strip()


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Repositories that publishRelease may read: https to these hosts; file:// and local paths only
# where ALLOW_LOCAL_REPOSITORIES is true (tests and single-machine installations).
ALLOW_LOCAL_REPOSITORIES = env_bool("ALLOW_LOCAL_REPOSITORIES", False)
GIT_ALLOWED_HOSTS = env_list("GIT_ALLOWED_HOSTS", "github.com,gitlab.com,gitlab.opencode.de")
# Networks (CIDR) whose addresses an allowed git host may resolve to although they are not public.
GIT_ALLOWED_NETWORKS = env_list("GIT_ALLOWED_NETWORKS", "")

# The directory's key for signing routing answers (PEM, or a path to a PEM file); empty: a
# development key generated once into var/ (deploy check fitstore.W003).
DIRECTORY_SIGNING_KEY = os.environ.get("DIRECTORY_SIGNING_KEY", "").strip()
# `iss` of the signed routing answers: this directory's public address.
DIRECTORY_ISSUER = os.environ.get("DIRECTORY_ISSUER", "https://fitstore.example.org").strip()
# The key store's private keys, one file `<kid>.pem` per key (`signing_keys`, docs/federation.md):
# in production a secrets volume that every application server of the node mounts.
DIRECTORY_SIGNING_KEY_DIR = Path(os.environ.get("DIRECTORY_SIGNING_KEY_DIR", "").strip() or VAR_DIR / "signing-keys")
# How long a new key is published before it may sign, and an old one after it stopped signing (s).
DIRECTORY_KEY_OVERLAP_SECONDS = int(os.environ.get("DIRECTORY_KEY_OVERLAP_SECONDS", 24 * 3600))
# How long a signed page of the change feed (and a signed list of route services) stays valid (s).
DIRECTORY_STATEMENT_SECONDS = int(os.environ.get("DIRECTORY_STATEMENT_SECONDS", 300))

# Empty: the embedded search; else opensearch+http(s)://host:port or elasticsearch+https://host:port
SEARCH_URL = os.environ.get("SEARCH_URL", "").strip()

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth, so that its `changepassword` (audited, scriptable) is the one run.
    "fitstore",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "graphene_django",
    "directory",
    "store",
    "licensing",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fitstore.middleware.RequestIdMiddleware",
    "fitstore.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "fitstore.middleware.InputHygieneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fitstore.auth.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fitstore.urls"
WSGI_APPLICATION = "fitstore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fitstore" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_database = f"sqlite:///{VAR_DIR / 'fitstore.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or _default_database
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock at BEGIN, so concurrent requests wait instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# German first, English second (Django i18n; the API speaks English).
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "fitstore" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "fitstore" / "static"]
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
WHITENOISE_USE_FINDERS = DEBUG

# Shared cache (rate-limit counters, later routing answers): Redis in production, e.g.
# CACHE_URL=redis://127.0.0.1:6379/0; without it each process keeps its own.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Routing answers (directory.routing.cached_routes) are kept this many seconds at most in the
# cache, valid only under the directory's change counter. Only a shared cache sees every process's
# writes, so the default is on (300 s) with CACHE_URL and off (0) without.
ROUTING_CACHE_SECONDS = int(os.environ.get("ROUTING_CACHE_SECONDS", 300 if CACHE_URL else 0))

# (requests, window in seconds) per scope; see fitstore/ratelimit.py.
RATE_LIMITS = {
    "api-token": (int(os.environ.get("RATE_LIMIT_TOKEN_PER_MINUTE", 1200)), 60),
    "api-anonymous": (int(os.environ.get("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 120)), 60),
    # Failed sign-ins (successful ones are not counted): per account name, reset when the
    # account signs in; per address, for many accounts tried from one place (a ministry's NAT
    # address has room for its staff's typos).
    "login-account": (int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", 10)), 900),
    "login-address": (int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", 100)), 900),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fit-store@localhost")

GRAPHENE = {
    "SCHEMA": "api.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
    "ATOMIC_MUTATIONS": True,
    "CAMELCASE_ERRORS": True,
}

# Security: strict in production, relaxed only where DEBUG serves http://127.0.0.1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Federation (docs/federation.md): webhook deliveries of the directory's changes. Callback URLs
# must be https to public addresses; WEBHOOK_ALLOW_PRIVATE_ADDRESSES (tests, a single machine)
# also allows loopback and private addresses and plain http.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", 8))  # then dropped, subscription FAILING
WEBHOOK_RETRY_SECONDS = float(os.environ.get("WEBHOOK_RETRY_SECONDS", 10))  # doubled per failed attempt
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", 3600))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", 10))
WEBHOOK_KEEP_DAYS = float(os.environ.get("WEBHOOK_KEEP_DAYS", 7))  # delivered or dropped deliveries, then deleted
