"""One settings module for every environment. Everything varies by environment variable.

Defaults are safe (DEBUG off, secret key required) and embedded (a local PostgreSQL run by
``pgserver`` and Celery's filesystem transport), so a laptop needs nothing installed.
``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to real servers with no code change.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WORKBENCH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DJANGO_DEBUG", False)
DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _local_secret_key(path: Path) -> str:
    """A key generated once for this checkout and kept in var/ (git-ignored)."""
    import secrets

    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
    elif not DATABASE_URL:
        # The embedded laptop install (no servers configured): `manage.py` must work with no
        # environment at all, so it keeps its own generated key. Any deployment on real
        # servers (DATABASE_URL set) must supply DJANGO_SECRET_KEY.
        SECRET_KEY = _local_secret_key(VAR_DIR / "secret-key")
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "template_partials",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sources",
    "claims",
]

MIDDLEWARE = [
    # First, so the time it records covers every other middleware too.
    "workbench.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"
ASGI_APPLICATION = "workbench.asgi.application"

# Rendered fragments (claims.views.evidence_rows): per process, keyed by a digest of what
# they show, so a lost or cold cache costs a re-render, never a stale page.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        # About 30 MB of rows at most per process; the least recently used go first.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
# The API's rate-limit counters (claims.api.throttling): shared by every web process through
# Redis when CACHE_URL (or REDIS_URL) names one, e.g. redis://redis:6379/1; per process
# otherwise (a laptop, one process).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHES["api"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
     "KEY_PREFIX": "factdesk-api",
     "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
)

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
                "workbench.context_processors.newsroom",
                "claims.discussion.context.notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    from workbench.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(VAR_DIR / "pgdata")}
DATABASES["default"].setdefault("TEST", {})
# A pooled connection is checked before reuse, so a database restart costs one reconnect,
# not an error page or a failed task; connecting gives up quickly when the server is away.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
# django-axes counts failed logins (the desk's login page and the admin's alike) and locks
# out a user name from an address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy the client's address is the proxy's X-Forwarded-For entry; without
# one, that header is the client's to forge, so only the socket address counts.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, from the environment (the production values are in .env.example): redirect
# plain HTTP, and tell browsers to use HTTPS for DJANGO_HSTS_SECONDS.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
# The container healthcheck calls /healthz over plain HTTP from inside: no redirect for it.
# Prometheus scrapes /metrics the same way, inside the deployment's network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every page (django-csp): scripts, styles, images and fonts
# only from this site, no inline script or style, no plugins, no framing. Archived
# snapshots are served with a stricter policy of their own (sources.views).
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factdesk@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds an SMTP conversation may block a worker (emails are sent by tasks, never in a request).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "filesystem://"
CELERY_BROKER_FOLDER = Path(os.environ.get("CELERY_BROKER_FOLDER", VAR_DIR / "celery-broker"))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
    }
# Publishing gives up quickly when the broker is down: the work is already recorded in the
# database (workbench.followup) and the sweep queues it once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Embedding documents and claims is slow and CPU-bound: its own queue, its own worker process.
CELERY_EMBEDDING_QUEUE = os.environ.get("CELERY_EMBEDDING_QUEUE", "embeddings")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each beat message expires before the next one is due, so while the workers are down the
# queue holds at most one of each instead of one a minute.
CELERY_BEAT_SCHEDULE = {
    # Polls every feed that is due; each feed keeps its own interval and backoff.
    "poll-due-feeds": {"task": "sources.feed_tasks.feeds_poll_due", "schedule": 60.0,
                       "options": {"expires": 55}},
    # Re-checks cited links for rot or silent edits, a batch at a time.
    "check-cited-links": {"task": "sources.tasks.links_check_due", "schedule": 15 * 60.0,
                          "options": {"expires": 14 * 60}},
    # Queues again the follow-up work (archives, matching, emails) still pending after
    # FOLLOWUP_GRACE_SECONDS, e.g. because the broker was down when it was recorded.
    "sweep-follow-up-work": {"task": "workbench.followup.followup_sweep_task", "schedule": 60.0,
                             "options": {"expires": 55}},
    # Sends documents and claims that still lack an embedding to the embedding queue.
    "embed-missing": {"task": "claims.corroboration.tasks.embeddings_sweep", "schedule": 5 * 60.0,
                      "options": {"expires": 5 * 60 - 5}},
    # Raises desk alerts (stale claims, assignees who left, cited sources changed after
    # publication, failing feeds) once each, and notifies the people concerned.
    "scan-desk-alerts": {"task": "claims.monitoring.tasks.alerts_scan", "schedule": 60 * 60.0,
                         "options": {"expires": 60 * 60 - 60}},
    # Emails the desk the last week's claims published as false that spread again, once a
    # week: hourly, it finds the week just ended already sent (a row per week) but on the
    # first run after Monday 00:00 UTC, whenever beat was down.
    "resurfacing-digest": {"task": "claims.monitoring.tasks.resurfacing_digest",
                           "schedule": 60 * 60.0, "options": {"expires": 60 * 60 - 60}},
    # Gathers each person's daily email digest once the day is over (once per person a day).
    "assemble-digests": {"task": "claims.discussion.digests.digests_assemble_task",
                         "schedule": 60 * 60.0, "options": {"expires": 60 * 60 - 60}},
}
# Desk alerts: an open claim with no activity for this many days is stale; a feed failing
# for this many hours with no success is reported.
ALERT_STALE_DAYS = env_int("ALERT_STALE_DAYS", 7)
ALERT_FEED_FAILING_HOURS = env_int("ALERT_FEED_FAILING_HOURS", 24)
# A "spreading again" alert (new coverage of a claim published as false) resolves once no
# new item has come for this many days.
ALERT_RESURFACING_QUIET_DAYS = env_int("ALERT_RESURFACING_QUIET_DAYS", 14)
# /metrics (Prometheus): off unless a bearer token or an allow-list of addresses is set.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = os.environ.get("METRICS_ALLOWED_IPS", "")
# A Celery worker serves its own figures on this port (0: not at all), on this address; keep
# it inside the deployment's network (compose does not publish it).
WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
WORKER_METRICS_ADDR = os.environ.get("WORKER_METRICS_ADDR", "0.0.0.0")
# Follow-up work still pending this long after it was last queued is queued again; it must
# be longer than any task's hard time limit. After this many attempts that never finished
# (the worker was killed each time) the work is parked as failed, its reason shown.
FOLLOWUP_GRACE_SECONDS = env_int("FOLLOWUP_GRACE_SECONDS", 600)
FOLLOWUP_MAX_ATTEMPTS = env_int("FOLLOWUP_MAX_ATTEMPTS", 5)
# A claim report with more evidence items and activity events than this is rendered to PDF
# by a worker (and downloaded when ready) instead of in the web request.
REPORT_PDF_INLINE_ITEMS = env_int("REPORT_PDF_INLINE_ITEMS", 300)
# How long after posting a comment its author may still edit it (minutes).
COMMENT_EDIT_MINUTES = env_int("COMMENT_EDIT_MINUTES", 10)
# Webhooks (claims.webhooks): a failed delivery is retried with exponential backoff and
# jitter (first after WEBHOOK_RETRY_BASE_SECONDS, at most WEBHOOK_RETRY_MAX_SECONDS apart)
# until WEBHOOK_RETRY_HOURS after the event; a subscription whose attempts failed
# WEBHOOK_DISABLE_AFTER_FAILURES times in a row over more than WEBHOOK_DISABLE_AFTER_HOURS
# is disabled and its owner notified.
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3 * 3600)
WEBHOOK_RETRY_HOURS = env_int("WEBHOOK_RETRY_HOURS", 24)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 10)
WEBHOOK_DISABLE_AFTER_HOURS = env_int("WEBHOOK_DISABLE_AFTER_HOURS", 24)
# How often the top bar asks for the unread-notification count (seconds).
NOTIFICATION_POLL_SECONDS = env_int("NOTIFICATION_POLL_SECONDS", 30)
# New coverage suggestions on a claim add to a watcher's unread notification about them
# while it is younger than this (minutes), instead of making another.
COVERAGE_NOTIFY_WINDOW_MINUTES = env_int("COVERAGE_NOTIFY_WINDOW_MINUTES", 60)
CELERY_TIMEZONE = "UTC"

# --- Outbound fetching (sources.fetching) ---------------------------------------------
# Off by default. "1" allows 127.0.0.1 on any port; "8001,8002" only on those ports.
# Meant for tests and the local demo only.
FETCH_ALLOW_LOOPBACK = os.environ.get("FETCH_ALLOW_LOOPBACK", "")
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_CONNECT_TIMEOUT = float(os.environ.get("FETCH_CONNECT_TIMEOUT", "5"))
FETCH_READ_TIMEOUT = float(os.environ.get("FETCH_READ_TIMEOUT", "10"))
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_TOTAL_TIMEOUT = float(os.environ.get("FETCH_TOTAL_TIMEOUT", "30"))
# Extra certificate authorities to trust beside certifi's (a PEM file), e.g. a proxy's own.
FETCH_CA_FILE = os.environ.get("FETCH_CA_FILE", "")
FETCH_USER_AGENT = os.environ.get(
    "FETCH_USER_AGENT", "FactDesk/0.1 (+https://example.org/factdesk; newsroom archiver)"
)
# Fetch each new feed item's page for its main text (slower; off by default).
FEED_FETCH_FULL_TEXT = env_bool("FEED_FETCH_FULL_TEXT", False)
# Cited links are re-checked for rot or silent edits this often, a batch at a time.
LINK_CHECK_INTERVAL_HOURS = env_int("LINK_CHECK_INTERVAL_HOURS", 24)
LINK_CHECK_BATCH_SIZE = env_int("LINK_CHECK_BATCH_SIZE", 50)
GDELT_API_URL = os.environ.get("GDELT_API_URL", "https://api.gdeltproject.org/api/v2/doc/doc")
FACTCHECK_API_URL = os.environ.get(
    "FACTCHECK_API_URL", "https://factchecktools.googleapis.com/v1alpha1/claims:search"
)
GOOGLE_FACTCHECK_API_KEY = os.environ.get("GOOGLE_FACTCHECK_API_KEY", "")

# Sent by name after feed items are stored, so that sources/ never imports claims/.
COVERAGE_MATCH_TASK = "claims.corroboration.tasks.documents_match"

# --- The newsroom ---------------------------------------------------------------------
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Demo Desk")
NEWSROOM_URL = os.environ.get("NEWSROOM_URL", "http://127.0.0.1:8000")
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", "en")
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")

# --- The open API (claims.api) --------------------------------------------------------
# Requests per token (per user for the app's own session calls), e.g. "600/minute".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.DeskMember"],
    "DEFAULT_THROTTLE_CLASSES": ["claims.api.throttling.PerTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The schema and its docs are public (they describe the API, not the newsroom's data); the
# docs page loads Swagger UI from our own static files (drf-spectacular-sidecar), no CDN.
SPECTACULAR_SETTINGS = {
    "TITLE": "FactDesk API",
    "DESCRIPTION": "The claims desk's open API. Authenticate with a personal token "
    "(`Authorization: Bearer fdk_…`, made at /settings/tokens/) or the app's session "
    "(with its CSRF token). Errors are RFC 9457 problem details.",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status", "kind" or "stance" of their own: name each set.
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.ClaimStatus",
        "SuggestionStatusEnum": "claims.models.SuggestionStatus",
        "EvidenceStanceEnum": "claims.models.Stance",
        "CoverageStanceEnum": "claims.models.CoverageStance",
        "SourceKindEnum": "sources.models.SourceKind",
        "FeedKindEnum": "sources.models.FeedKind",
    },
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}, "trafilatura": {"level": "WARNING"}},
}
