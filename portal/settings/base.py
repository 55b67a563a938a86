"""Settings for the portal, read from the environment in this one module.

`test.py` and `production.py` hold the few overrides of those environments.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The development key only ever serves `make run` on a laptop; production.py refuses it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-development-key-change-me"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
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
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "django_htmx",
    "csp",
    "portal",
    "portal.units",
    "portal.accounts",
    "models_registry",
    "awards",
    "plans",
    "documents",
    "councils",
]

MIDDLEWARE = [
    "portal.memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.SessionRefreshMiddleware",
    "portal.middleware.InputPolicyMiddleware",
    "portal.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A merge, rename or move dated today is in effect before the view reads the tree.
    "portal.units.middleware.PlannedUnitChangesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions, auth and messages: a repeated form POST is answered where the first one went.
    "portal.submissions.OnceSubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Axes goes last so it sees the final outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
            # `{% csrf_token %}` also writes the form's one-time submission token (portal/submissions.py).
            "builtins": ["portal.submissions"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite is the zero-setup default of `make run`; production and the tests use PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # The portal's queries are short. PostgreSQL compiles (JIT) any query its planner costs above
    # jit_above_cost, which a count over the nation's models reaches: 100-700 ms of compiling to
    # save a few. Off, the administrator's home at nation5 went from p95 162 to 100 ms (make bench).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (`make run`) builds the covering indexes of models_registry without their included columns:
# the same lookups, only not index-only. PostgreSQL, where the speed matters, has them in full.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttles (portal/accounts/lockout.py): an account is locked per client (account and
# client address together) after AXES_FAILURE_LIMIT wrong passwords, for AXES_COOLOFF_HOURS; a client
# is throttled across accounts after AXES_CLIENT_FAILURE_LIMIT failures in that time. A password
# reset unlocks. Behind a proxy, CLIENT_IP_HEADER names the header carrying the client's address and
# TRUSTED_PROXY_COUNT how many proxies (each appending to that header) stand in front of the portal.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_CLIENT_FAILURE_LIMIT = int(os.environ.get("AXES_CLIENT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = "portal.accounts.lockout.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "portal.accounts.lockout.username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
# Password-reset emails within an hour: per address asked for, and per client asking.
PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_PER_ADDRESS", "3"))
PASSWORD_RESET_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_PER_CLIENT", "10"))

# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
# Each request by a signed-in user pushes the deadline back, written at most once a minute.
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor (TOTP) sign-in for administrators and leadership.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Dân vận khéo"

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers in templates stay plain (ids, years, form values); `intcomma` groups them: 1.234.567.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Bootstrap and its icons come from the npm registry into node_modules (package.json); only the
# files the pages use are served, under /static/vendor/ (portal/staticfinders.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# Upload limits (bytes): per file, and per record that carries attachments.
UPLOAD_MAX_FILE_BYTES = int(os.environ.get("UPLOAD_MAX_FILE_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_RECORD_BYTES = int(os.environ.get("UPLOAD_MAX_RECORD_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# Heavy jobs refuse up front what is over their limits (a COUNT first), rather than exhaust a worker.
# An Excel export streams (flat memory), so its limit is the sheet people can still open: 200,000 rows.
EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "200000"))
# A PDF report is built in memory by WeasyPrint (≈ 5 ms and 0.15 MB a table row): 5,000 rows ≈ 25 s.
REPORT_MAX_ROWS = int(os.environ.get("REPORT_MAX_ROWS", "5000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms ----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ---------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or ""
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or CELERY_BROKER_URL or None
# With no broker, tasks run in the calling process, so `make run` needs no server.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "portal")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died is handed to another worker after this many seconds.
# A web request that queues a task while Redis is down fails within about a second (the request is
# kept and queued again later) instead of hanging on kombu's default hundred retries.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    # How often workers look for the tasks of a dead worker (kombu: interval × throttle seconds).
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
    "socket_connect_timeout": 2,
}
CELERY_RESULT_EXPIRES = 3600
# Each app may declare its periodic jobs in `<app>/celery_schedule.py` (a dict named SCHEDULE).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
# Report requests saved while the broker was down (or whose worker died) are queued again.
REPORT_REQUEUE_AFTER_SECONDS = int(os.environ.get("REPORT_REQUEUE_AFTER_SECONDS", "120"))
CELERY_BEAT_SCHEDULE: dict = {
    "requeue-stale-reports": {
        "task": "portal.tasks.requeue_stale_reports",
        "schedule": float(os.environ.get("REPORT_REQUEUE_INTERVAL", "60")),
    },
    "purge-form-submissions": {"task": "portal.tasks.purge_form_submissions", "schedule": 6 * 3600.0},
    # Merges, renames and moves dated in the future take effect on their date: at 00:01 (for the
    # workers; requests apply them themselves, see PlannedUnitChangesMiddleware), hourly to catch up.
    "apply-planned-unit-changes": {
        "task": "portal.tasks.apply_planned_unit_changes",
        "schedule": 3600.0,
    },
    "apply-planned-unit-changes-at-midnight": {
        "task": "portal.tasks.apply_planned_unit_changes",
        "schedule": crontab(hour=0, minute=1),
    },
}
for _app in ("plans", "models_registry", "awards"):
    try:
        CELERY_BEAT_SCHEDULE.update(__import__(f"{_app}.celery_schedule", fromlist=["SCHEDULE"]).SCHEDULE)
    except ModuleNotFoundError:
        pass

# --- Email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dân vận khéo <no-reply@localhost>")
# The portal's public address, for absolute links in emails (e.g. https://dvk.example.gov.vn).
# Also the address the certificates' verification QR codes encode: `check --deploy` requires it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
# The local hour (0–23) from which the daily digest of notifications goes out.
NOTIFICATION_DIGEST_HOUR = int(os.environ.get("NOTIFICATION_DIGEST_HOUR", "17"))
# A model returned this close to (or after) its registration deadline gets these days to resubmit.
MODEL_RESUBMIT_DAYS = int(os.environ.get("MODEL_RESUBMIT_DAYS", "5"))

# --- Documents ------------------------------------------------------------------------------------
# A draft carries no register number; set to 1 to print "Số        -BC/BDVTU" for a hand-written number.
DOCUMENTS_DRAFT_BLANK_NUMBER = env_bool("DOCUMENTS_DRAFT_BLANK_NUMBER", False)
# --- Digital signatures of documents (documents/signing) ----------------------------------------
# The key never lives in the repository: the operator points to a PKCS#12 file or a PKCS#11
# token/HSM. "none" disables signing in the portal (verification of uploaded PDFs still works).
DOCUMENT_SIGNING_BACKEND = os.environ.get("DOCUMENT_SIGNING_BACKEND", "none").strip().lower()
DOCUMENT_SIGNING_PKCS12_PATH = os.environ.get("DOCUMENT_SIGNING_PKCS12_PATH", "")
DOCUMENT_SIGNING_PKCS12_PASSPHRASE = os.environ.get("DOCUMENT_SIGNING_PKCS12_PASSPHRASE", "")
DOCUMENT_SIGNING_PKCS11_MODULE = os.environ.get("DOCUMENT_SIGNING_PKCS11_MODULE", "")
DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL = os.environ.get("DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL", "")
DOCUMENT_SIGNING_PKCS11_PIN = os.environ.get("DOCUMENT_SIGNING_PKCS11_PIN", "")
DOCUMENT_SIGNING_PKCS11_KEY_LABEL = os.environ.get("DOCUMENT_SIGNING_PKCS11_KEY_LABEL", "")
DOCUMENT_SIGNING_PKCS11_CERT_LABEL = os.environ.get("DOCUMENT_SIGNING_PKCS11_CERT_LABEL", "")
# PEM files with the CA certificates to embed beside the signer's (when the token/file lacks them).
DOCUMENT_SIGNING_CHAIN = env_list("DOCUMENT_SIGNING_CHAIN")
# A TrueType font covering Vietnamese for the visible signature block; empty = found on the machine.
DOCUMENT_SIGNING_FONT = os.environ.get("DOCUMENT_SIGNING_FONT", "")
# PEM files (comma-separated) of the root CAs a signature must chain to, e.g. the government CA.
DOCUMENT_TRUST_ANCHORS = env_list("DOCUMENT_TRUST_ANCHORS")
# Revocation: "soft-fail" (default, works offline), "hard-fail" or "require"; fetching CRL/OCSP
# over the network only when DOCUMENT_VERIFY_FETCH_REVOCATION=1.
DOCUMENT_VERIFY_REVOCATION_MODE = os.environ.get("DOCUMENT_VERIFY_REVOCATION_MODE", "soft-fail")
DOCUMENT_VERIFY_FETCH_REVOCATION = env_bool("DOCUMENT_VERIFY_FETCH_REVOCATION", False)

# --- Demo -----------------------------------------------------------------------------------------
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")

# --- Security headers -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools logs every glyph it subsets when pyHanko embeds the signature block's font; pyHanko
    # logs a traceback for every untrusted signature, which documents.signing reports as a verdict.
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
