"""PlanPal settings: every value that differs between machines is read from the environment here
or, for PlanPal's own features, in config/limits.py (imported below, with config/framework.py:
the apps, middleware and templates)."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str
from config.framework import *  # noqa: F403 - apps, middleware, templates: the same everywhere
from config.limits import *  # noqa: F403 - the settings of PlanPal's own features, typed
from config.limits import CELERY_VISIBILITY_TIMEOUT, WEBHOOK_QUEUE
from planpal.core.deployment import DEMO_SECRET_KEY, is_embedded_default, secret_key_problem
from planpal.core.logging import formatter_config
from planpal.files.config import csp_origins, storage_config

BASE_DIR = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- core
DATA_DIR = Path(env_str("PLANPAL_DATA_DIR", str(BASE_DIR / "data")))
DEBUG = env_bool("DEBUG", False)
# The embedded default (no env at all) is a local demo, so it gets a fixed development key; any
# other deployment must set a key of its own (checked below, planpal/core/deployment.py).
SECRET_KEY = env_str("SECRET_KEY", DEMO_SECRET_KEY)
# The address `planpal run|web` listens on (the command exports its --host here).
HOST = env_str("HOST", "127.0.0.1")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Base of links PlanPal hands out (invites). Unset: the scheme and host of the request that asks
# for the link (its Host is checked against ALLOWED_HOSTS), so they open on whatever port runs.
PUBLIC_URL = env_str("PUBLIC_URL", "").rstrip("/")

# ---------------------------------------------------------------------------- database
# Which kind of process this is (`planpal web|worker|beat` set it).
PROCESS_ROLE = env_str("PLANPAL_PROCESS", "web")
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'planpal.sqlite3'}")
# Every process keeps its connections (health-checked on reuse, replaced after CONN_MAX_AGE):
# web processes serve requests on WEB_REQUEST_THREADS long-lived threads
# (planpal.core.request_threads), the realtime gateway's calls run on its own worker threads,
# Celery's on its workers; each thread holds at most one connection. docs/operations.md §6.
WEB_REQUEST_THREADS = env_int("WEB_REQUEST_THREADS", 8)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
_engine = DATABASES["default"]["ENGINE"]
if _engine.endswith("postgresql") and env_bool("DB_POOL", False):
    # psycopg's pool, one per process; Django requires CONN_MAX_AGE = 0 with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 10),
        "timeout": env_int("DB_POOL_TIMEOUT_SECONDS", 10),
    }
if _engine.endswith("mysql"):
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "isolation_level": "read committed",
        "connect_timeout": env_int("DB_CONNECT_TIMEOUT_SECONDS", 5),
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
elif _engine.endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # A file (not :memory:) so that server processes started by end-to-end tests share it; one
    # per test process so parallel runs do not collide.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
    # WAL lets readers run beside the single writer; the timeout rides out short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------- redis / cache
# Redis Sentinel (docs/operations.md §9): "host:port,host:port,…" of the Sentinels watching the
# primary named REDIS_SENTINEL_MASTER. Every Redis client then asks them where the primary is
# (planpal.core.redis_clients) and asks again after a failover. REDIS_URL's database number and
# password still apply; its host is ignored (it defaults to redis://<master>/0).
REDIS_SENTINELS = [
    (host.strip(), int(port))
    for host, _, port in (item.rpartition(":") for item in env_list("REDIS_SENTINELS", ""))
]
REDIS_SENTINEL_MASTER = env_str("REDIS_SENTINEL_MASTER", "planpal")
REDIS_SENTINEL_PASSWORD = env_str("REDIS_SENTINEL_PASSWORD", "")
REDIS_URL = env_str("REDIS_URL", f"redis://{REDIS_SENTINEL_MASTER}/0" if REDIS_SENTINELS else "")
# Prefix of PlanPal's own Redis keys and channels, so deployments can share one Redis database.
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "pp:")
EMBEDDED = not REDIS_URL
if REDIS_URL:
    _redis_url = urlsplit(REDIS_URL)
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Under REDIS_KEY_PREFIX by default, so deployments (and test runs) sharing one
            # Redis database never read each other's entries.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", REDIS_KEY_PREFIX + "cache"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": float(env_str("REDIS_CONNECT_TIMEOUT_SECONDS", "0.5")),
                "SOCKET_TIMEOUT": float(env_str("REDIS_TIMEOUT_SECONDS", "0.5")),
                # A Redis outage degrades the cache to misses (logged), never to errors.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    if REDIS_SENTINELS:
        # django-redis through Sentinel: the URL's host is the master's name; primary only
        # (a replica may lag behind a write just made).
        _netloc = _redis_url.netloc.rpartition("@")[0]
        CACHES["default"]["LOCATION"] = _redis_url._replace(
            netloc=f"{_netloc}@{REDIS_SENTINEL_MASTER}" if _netloc else REDIS_SENTINEL_MASTER
        ).geturl()
        CACHES["default"]["OPTIONS"].update(
            CONNECTION_FACTORY="django_redis.pool.SentinelConnectionFactory",
            SENTINELS=REDIS_SENTINELS,
            SENTINEL_KWARGS={"password": REDIS_SENTINEL_PASSWORD or None, "socket_timeout": 0.5},
        )
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "planpal.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Cached API snapshots (plan detail and list items, group summary, unread count).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 600)

# The local demo: SQLite under the data directory, no Redis, loopback only. Only it may use the
# demo SECRET_KEY, seed the demo users and serve /metrics without a token.
EMBEDDED_DEFAULT = is_embedded_default(
    database=DATABASES["default"], redis_url=REDIS_URL, host=HOST, data_dir=DATA_DIR
)
_secret_key_problem = secret_key_problem(SECRET_KEY, embedded_default=EMBEDDED_DEFAULT)
if _secret_key_problem:
    raise ImproperlyConfigured(_secret_key_problem)

# ---------------------------------------------------------------------------- auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("ACCESS_TOKEN_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("REFRESH_TOKEN_DAYS", 30)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Each refresh gives a new refresh token and blacklists the one used: a copied refresh token
    # is found out the second time it is used (planpal.accounts.services.refresh_token_rotate).
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
}
# A password-reset link (POST /api/v1/auth/password-reset) works this long, and once.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
# Optional: a comma-separated list of hasher paths. Unset means Django's default list; tests set
# the fast MD5 hasher on the server processes they start, so users they create can log in there.
_password_hashers = env_list("PASSWORD_HASHERS")
if _password_hashers:
    PASSWORD_HASHERS = _password_hashers
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Every page (web client, admin, API docs) loads scripts, styles and connections from this
# origin only: no inline script, no inline style element, no plugin, not framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # + the upload store and map tiles (below)
        "connect-src": [SELF],  # also this origin's ws:// and wss://
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# ---------------------------------------------------------------------------- e-mail
# Password-reset mails. The embedded mode prints them on the console (a demo has no mail
# server); elsewhere they go by SMTP to EMAIL_HOST (docs/operations.md).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "PlanPal <noreply@localhost>")

# ---------------------------------------------------------------------------- REST API
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "planpal.core.authentication.JWTAuthentication",
        "planpal.core.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["planpal.core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "planpal.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "planpal.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["planpal.core.ratelimit.RateLimitThrottle"],
    "DEFAULT_PAGINATION_CLASS": "planpal.core.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "PlanPal API",
    "DESCRIPTION": "Group trip planning with realtime sync. See docs/ for the WebSocket protocol.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No view validates partially: a PATCH body has the same required fields as its serializer.
    "COMPONENT_SPLIT_PATCH": False,
    # Several models have a `status`, `kind`, `role` or `platform` field: one stable name per
    # choice set instead of a name with a hash in it (or two names for one set).
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "planpal.plans.models.Plan.Status",
        "ActivityKindEnum": "planpal.plans.models.Activity.Kind",
        "RoleEnum": "planpal.groups.models.Membership.Role",
        "PlatformEnum": "planpal.notifications.models.Device.Platform",
        "WebhookDeliveryStatusEnum": "planpal.webhooks.models.WebhookDelivery.Status",
    },
}
# Limits that keep one request from writing unbounded data. MAX_REQUEST_BYTES bounds every
# request body, enforced before Django reads it (planpal.core.bodylimit); only the upload route
# may send more (UPLOAD_MAX_MB plus room for the multipart envelope).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 256 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES  # the non-file part of any body
DATA_UPLOAD_MAX_NUMBER_FILES = 1  # one file per upload request

# ---------------------------------------------------------------------------- files
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 25)
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
UPLOAD_QUOTA_MB = env_int("UPLOAD_QUOTA_MB", 1024)  # per user, originals + thumbnails
UPLOAD_QUOTA_BYTES = UPLOAD_QUOTA_MB * 1024 * 1024
# Body routes allowed past MAX_REQUEST_BYTES, by path: the upload and its multipart overhead.
REQUEST_BYTES_BY_PATH = {"/api/v1/uploads": UPLOAD_MAX_BYTES + 64 * 1024}
# Lifetime of the signed URLs the API hands out; a reader who lost access keeps an URL at most
# this long (docs/files.md).
FILES_URL_TTL_SECONDS = env_int("FILES_URL_TTL_SECONDS", 300)
# Unattached uploads (never sent) are deleted after this many hours.
UPLOAD_ORPHAN_HOURS = env_int("UPLOAD_ORPHAN_HOURS", 24)
# The store: STORAGE_URL (s3://… or file:///…), else the usual AWS_* settings, else the data dir.
_UPLOAD_STORAGE = storage_config(
    storage_url=env_str("STORAGE_URL", ""),
    aws={
        name: env_str(name, "")
        for name in (
            "AWS_STORAGE_BUCKET_NAME",
            "AWS_LOCATION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_S3_ENDPOINT_URL",
            "AWS_S3_REGION_NAME",
            "AWS_S3_ADDRESSING_STYLE",
        )
    },
    data_dir=DATA_DIR,
    url_ttl=FILES_URL_TTL_SECONDS,
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "uploads": _UPLOAD_STORAGE,
}
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += csp_origins(_UPLOAD_STORAGE)

# ---------------------------------------------------------------------------- places
# A Nominatim-compatible geocoder behind GET /api/v1/places/search (docs/places-and-calendars.md).
# Unset: place search is off (503 geocoder_disabled). Its answers are cached this long.
GEOCODER_URL = env_str("GEOCODER_URL", "").rstrip("/")
GEOCODER_TIMEOUT_SECONDS = float(env_str("GEOCODER_TIMEOUT_SECONDS", "5"))
# The plan page's map tiles ({z}/{x}/{y} template) and the credit their provider asks for; the
# tile host joins img-src so the browser may load them under the CSP.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += [
    "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL.replace("{s}", "*")))
]
GEOCODER_CACHE_SECONDS = env_int("GEOCODER_CACHE_SECONDS", 7 * 24 * 3600)
# Nominatim's usage policy asks for a User-Agent that names the application and a contact.
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "PlanPal place search")

# ---------------------------------------------------------------------------- static
STATIC_ROOT = DATA_DIR / "static"

# ---------------------------------------------------------------------------- logging
# json: one object per line (production default); plain: for people (embedded default).
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if EMBEDDED else "json")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_FORMAT not in {"json", "plain"}:
    raise RuntimeError("LOG_FORMAT must be 'json' or 'plain'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "planpal.core.logging.RedactSecrets"},
        "context": {"()": "planpal.core.logging.AddContext"},
    },
    "formatters": {"default": formatter_config(LOG_FORMAT)},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "filters": ["redact", "context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # httpx logs every request (each push) at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------- background work
# Notifications after a write (realtime.fanout) run in a Celery worker when there is a broker, so
# a web process's CPU does not grow with group sizes; off: in the web process's fan-out thread.
FANOUT_IN_WORKER = not EMBEDDED and env_bool("FANOUT_IN_WORKER", True)
CELERY_BROKER_URL = REDIS_URL or "memory://"
if REDIS_SENTINELS:  # kombu's Sentinel transport: one sentinel:// URL per Sentinel
    _broker_auth = f":{_redis_url.password}@" if _redis_url.password else ""
    CELERY_BROKER_URL = ";".join(
        f"sentinel://{_broker_auth}{host}:{port}{_redis_url.path or '/0'}"
        for host, port in REDIS_SENTINELS
    )
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran, so a crash redelivers it
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    "planpal.plans.tasks.*": {"queue": "lifecycle"},
    "planpal.notifications.tasks.*": {"queue": "push"},
}
CELERY_TASK_ROUTES["planpal.webhooks.tasks.*"] = {"queue": WEBHOOK_QUEUE}
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = env_int("CELERY_SOFT_SHUTDOWN_SECONDS", 10)
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Enqueueing happens after a request's commit: with the broker down it gives up within about a
# second instead of holding the request (planpal.core.background.enqueue logs and counts it).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
if REDIS_SENTINELS:
    CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = REDIS_SENTINEL_MASTER
    CELERY_BROKER_TRANSPORT_OPTIONS["sentinel_kwargs"] = {
        "password": REDIS_SENTINEL_PASSWORD or None,
        "socket_timeout": 0.5,
    }
CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] = 5
# The broker's queues live under the same prefix as PlanPal's other keys: deployments sharing one
# Redis database must not take each other's tasks (a worker of another deployment discarded
# them as unregistered, or ran them against its own database).
CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = REDIS_KEY_PREFIX
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
