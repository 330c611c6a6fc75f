"""Settings for FA-portalen, read from the environment.

Every variable is documented in docs/configuration.md (a test checks that each one read here is listed there).
Defaults are safe for a developer's machine; production (``FAPORTAL_ENV=production``) has no default secrets.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from faportal.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# dev: a developer's machine; test: the test suite; demo: a shared demo; production: the real service.
ENV = env_str("FAPORTAL_ENV", "dev")
if ENV not in {"dev", "test", "demo", "production"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FAPORTAL_ENV must be one of dev, test, demo, production.")
PRODUCTION = ENV == "production"
# Files the portal writes (SQLite database, e-mail in development, BankID simulator certificates, uploads).
VAR_DIR = Path(env_str("FAPORTAL_VAR_DIR", str(BASE_DIR / "var" / ("test" if ENV == "test" else ""))))

# Off unless asked for: even on a developer's machine people should see the portal's own error pages.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", None if PRODUCTION else "dev-only-insecure-key-change-me-" + "x" * 20)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_FAILURE_VIEW = "faportal.core.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The address people reach the portal at, used for links in e-mail.
PORTAL_BASE_URL = env_str("FAPORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "faportal.core",
    "faportal.audit",
    "faportal.identity",
    "faportal.registry",
    "faportal.access",
    "faportal.placements",
    "faportal.documents",
    "faportal.exports",
    "faportal.billing",
    "faportal.backoffice",
    "faportal.api",
    "faportal.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "faportal.core.middleware.ErrorIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "faportal.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "faportal.identity.middleware.IdleTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "faportal.access.middleware.ActorMiddleware",
]

FORM_RENDERER = "faportal.core.forms.PortalFormRenderer"
ROOT_URLCONF = "faportal.urls"
WSGI_APPLICATION = "faportal.wsgi.application"

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
                "faportal.core.context_processors.portal",
                "faportal.access.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'faportal.sqlite3'}"),
        # A connection kept between requests saves the connecting (and PostgreSQL's process start) on each one;
        # it is checked before reuse, so a database restart costs one retry, not an error page.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process use the file at once; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "identity.Person"
# The first signs people in (identity.services.sign_in). The second is the identity layer's own, which loads the
# person alone; it stays listed for sessions begun before the first existed.
AUTHENTICATION_BACKENDS = [
    "faportal.access.backends.ActingPersonBackend",
    "faportal.identity.backends.VerifiedIdentityBackend",
]
LOGIN_URL = "identity:login"
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []  # nobody has a password: BankID only

# Sessions live in the database so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "faportal_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this many minutes without activity, with a warning SESSION_WARNING_MINUTES before.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_WARNING_MINUTES = env_int("SESSION_WARNING_MINUTES", 2)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

# How many reverse proxies in front of us append to X-Forwarded-For (0: use REMOTE_ADDR). BankID needs the
# user's real IP address, and the first value of X-Forwarded-For is whatever the client said.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["faportal.formats"]
LANGUAGE_COOKIE_NAME = "faportal_language"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:  # the SQLite file, the e-mail files and the simulator's certificates live here
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# build/assets is filled from node_modules by `make assets` (the design system, its theme and htmx).
STATICFILES_DIRS = [PACKAGE_DIR / "static", BASE_DIR / "build" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The files of documents (evidence attached to result reports, the PDF copy of every submitted document): outside
# the web root, under random names, readable by the portal's user only; served only through the access check.
DOCUMENT_FILES_DIR = Path(env_str("FAPORTAL_DOCUMENT_FILES_DIR", str(VAR_DIR / "documents")))
STORAGES["documents"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": DOCUMENT_FILES_DIR, "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
}
# An uploaded file over this size goes to a temporary file as it arrives, never whole into memory; the evidence upload
# also stops reading a file at its limit (faportal.documents.uploads) and refuses a request larger than five files.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

# E-mail: a local file backend in development (shown at /dev/utkorg/), SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "FA-portalen <no-reply@faportal.invalid>")
# The development outbox page lists the files the file backend wrote; never in production.
DEV_OUTBOX = env_bool("FAPORTAL_DEV_OUTBOX", ENV in {"dev", "demo", "test"}) and not PRODUCTION

# Background work: the database backend and `manage.py db_worker` beside the web process.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if ENV == "test" else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# BankID relying-party API v6.0. The defaults point at the local simulator that `make run` starts;
# production sets the real base URL, the bank's RP certificate and BankID's CA (docs/configuration.md).
BANKID_BASE_URL = env_str("BANKID_BASE_URL", None if PRODUCTION else "https://127.0.0.1:8443/rp/v6.0/")
BANKID_CA_CERT = env_str("BANKID_CA_CERT", None if PRODUCTION else str(VAR_DIR / "bankid" / "ca.pem"))
BANKID_CLIENT_CERT = env_str("BANKID_CLIENT_CERT", None if PRODUCTION else str(VAR_DIR / "bankid" / "rp-client.pem"))
BANKID_CLIENT_KEY = env_str("BANKID_CLIENT_KEY", None if PRODUCTION else str(VAR_DIR / "bankid" / "rp-client.key"))
# The simulator's "BankID app" page, linked from the login page; empty turns the link off.
BANKID_SIMULATOR_APP_URL = env_str("BANKID_SIMULATOR_APP_URL", "" if PRODUCTION else "http://127.0.0.1:8444/")
BANKID_TIMEOUT_SECONDS = env_int("BANKID_TIMEOUT_SECONDS", 5)
# BankID asks relying parties to call /collect every two seconds, however often the page polls us.
BANKID_COLLECT_INTERVAL_SECONDS = env_int("BANKID_COLLECT_INTERVAL_SECONDS", 2)
# Who verifies identities: BankID today; a SAML/OIDC broker would be another class with the same protocol.
IDENTITY_PROVIDER = env_str("IDENTITY_PROVIDER", "faportal.identity.bankid_provider.BankIDProvider")

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
EMAIL_CODE_VALID_MINUTES = env_int("EMAIL_CODE_VALID_MINUTES", 15)

# Exports of participants (SPEC S4.10): larger ones are made by the worker; files are kept this many days.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 1000)
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)

# The official PEPPOL validation artefacts (UBL 2.1 XSD, compiled EN 16931/PEPPOL Schematron), laid out as
# ../shared/peppol; read by faportal.billing.peppol.validation, never shipped in the repository (ADR: PEPPOL library).
PEPPOL_ARTIFACTS_DIR = Path(
    env_str("PEPPOL_ARTIFACTS_DIR", None if PRODUCTION else str(BASE_DIR.parent / "shared" / "peppol"))
)

# Orders and invoices (SPEC S7). The outbox to the PEPPOL access point (docs/peppol-outbox.md): every generated order,
# invoice and credit note is written as a file to BILLING_OUTBOX_DIR and, when BILLING_ACCESS_POINT_URL is set, posted
# to the access point's API (off by default: nothing leaves the machine in development).
BILLING_OUTBOX_DIR = Path(env_str("BILLING_OUTBOX_DIR", str(VAR_DIR / "peppol-outbox")))
BILLING_ACCESS_POINT_URL = env_str("BILLING_ACCESS_POINT_URL", "")
BILLING_ACCESS_POINT_TOKEN = env_str("BILLING_ACCESS_POINT_TOKEN", "")
BILLING_ACCESS_POINT_TIMEOUT_SECONDS = env_int("BILLING_ACCESS_POINT_TIMEOUT_SECONDS", 10)
# Fakturera markerade: at most this many lines at once; more than BILLING_INLINE_MAX_LINES go to the worker.
BILLING_BATCH_MAX_LINES = env_int("BILLING_BATCH_MAX_LINES", 500)
BILLING_INLINE_MAX_LINES = env_int("BILLING_INLINE_MAX_LINES", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personnummer": {"()": "faportal.core.logging.MaskPersonnummerFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personnummer"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own loggers come with unfiltered handlers (the development server prints every request line, query
    # string included): they go through the root's masked handler instead.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # The PDF libraries tell of every font they subset and every object they write: warnings only.
        "pikepdf": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
