"""Django settings of the ramunet EDC, all from environment variables.

- ``DATABASE_URL``: PostgreSQL (``postgres://user:pass@host:5432/name``); default a SQLite file
  ``ramunet.sqlite3`` in the data directory (``RAMUNET_DATA_DIR``).
- ``SECRET_KEY``: required, except for the demo (``RAMUNET_DEMO=1``) and the test settings,
  which generate one and keep it in the data directory.
- ``DEBUG``: off unless set; the demo turns it on.
- ``ALLOWED_HOSTS``: comma-separated; default localhost only.
- ``RAMUNET_HTTPS=1``: behind a TLS-terminating reverse proxy (secure cookies, HSTS, redirect).
- ``RAMUNET_SESSION_MINUTES``: idle session timeout (default 30).
"""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ramunet.edc import env

DATA_DIR = env.default_data_dir()
DEMO = env.env_bool("RAMUNET_DEMO")
TESTING = env.env_bool("RAMUNET_TESTING")
DEBUG = env.env_bool("DEBUG", default=False)
SECRET_KEY = env.secret_key(DATA_DIR, allow_generated=DEMO or TESTING or DEBUG)
ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "ramunet.edc.audit",
    "ramunet.edc.sites",
    "ramunet.edc.screening",
    "ramunet.edc.visits",
    "ramunet.edc.crfs",
    "ramunet.edc.endpoints",
    "ramunet.edc.queries",
    "ramunet.edc.review",
    "ramunet.edc.locking",
    "ramunet.edc.entry",
    "ramunet.edc.web",
    "ramunet.edc.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ramunet.edc.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ramunet.edc.urls"
WSGI_APPLICATION = "ramunet.edc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_database_url = env.env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    # our backends: Django's, with the audit chain's appends held to each transaction's end
    # (and SQLite's writers queued on a file lock)
    _engines = {
        "django.db.backends.postgresql": "ramunet.edc.postgresql",
        "django.db.backends.sqlite3": "ramunet.edc.sqlite_queue",
    }
    if DATABASES["default"]["ENGINE"] not in _engines:
        raise ImproperlyConfigured("DATABASE_URL: ramunet runs on PostgreSQL or SQLite")
    DATABASES["default"]["ENGINE"] = _engines[DATABASES["default"]["ENGINE"]]
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # Django's SQLite backend with concurrent writers queued on a file lock
            "ENGINE": "ramunet.edc.sqlite_queue",
            "NAME": str(DATA_DIR / "ramunet.sqlite3"),
            # kept open across requests, as on PostgreSQL: opening one for every request
            # (Django's SQL functions registered, the pragmas run) cost the server 1.1 ms of
            # CPU per request, as much again as a bare insert
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers go on while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so that concurrent writers queue instead of failing mid-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Two-factor authentication (TOTP): optional for everyone, required for investigators and
# data managers when the study turns this on.
REQUIRE_TWO_FACTOR = env.env_bool("RAMUNET_REQUIRE_2FA")

SESSION_COOKIE_AGE = env.env_int("RAMUNET_SESSION_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: every request renews the session
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if env.env_bool("RAMUNET_HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.env_int("RAMUNET_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from it (collectstatic)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ramunet EDC API",
    "DESCRIPTION": "The RamuNET trial's records, through the same services and permissions.",
    "VERSION": "1",
    # one enum component per field name (see ramunet.edc.api.schema), also for `spectacular`
    "POSTPROCESSING_HOOKS": [
        "ramunet.edc.api.schema.enum_per_field_name",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.env_str("RAMUNET_LOG_LEVEL", "WARNING")},
}
