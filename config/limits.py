"""Settings of PlanPal's own features, part of config.settings (which imports every name here):
the realtime gateway, operations (readiness, metrics, rate limits), background work, push, SSE
and webhooks. Typed: the code that reads them is checked
against these shapes (mypy with django-stubs reads settings' types from the module)."""

from typing import TypedDict

from config.env import env_bool, env_float, env_int, env_list, env_str


class RealtimeSettings(TypedDict):
    TICKET_TTL_SECONDS: int
    MAX_REPLAY: int
    SEND_BUFFER_FRAMES: int
    MAX_FRAME_BYTES: int
    MAX_SUBSCRIPTIONS: int
    HEARTBEAT_SECONDS: int
    IDLE_TIMEOUT_SECONDS: int
    OPS_PER_SECOND: int
    OPS_BURST: int
    TYPING_INTERVAL_SECONDS: float
    ACTIVE_SECONDS: int
    ALLOWED_ORIGINS: list[str]
    SWEEP_SECONDS: int
    MAX_CONNECTIONS_PER_USER: int
    CONNECT_MAX_LAG_MS: int
    CONNECT_RATE: float
    CONNECT_BURST: int
    REFUSED_CONNECT_RATE: float
    REFUSED_CONNECT_BURST: int


class HealthSettings(TypedDict):
    WORKER_MAX_AGE_SECONDS: int
    OUTBOX_MAX_BACKLOG: int
    OUTBOX_MAX_AGE_SECONDS: int
    OPTIONAL_CHECKS: set[str]


# ---------------------------------------------------------------------------- realtime
REALTIME: RealtimeSettings = {
    "TICKET_TTL_SECONDS": env_int("WS_TICKET_TTL_SECONDS", 30),
    "MAX_REPLAY": env_int("WS_MAX_REPLAY", 1000),
    # Frames queued for one connection before it is closed with 4009 (too slow).
    # Must exceed MAX_REPLAY: a full replay plus the live frames that arrive meanwhile fit.
    "SEND_BUFFER_FRAMES": env_int("WS_SEND_BUFFER_FRAMES", 2500),
    "MAX_FRAME_BYTES": env_int("WS_MAX_FRAME_BYTES", 64 * 1024),
    "MAX_SUBSCRIPTIONS": env_int("WS_MAX_SUBSCRIPTIONS", 500),
    "HEARTBEAT_SECONDS": env_int("WS_HEARTBEAT_SECONDS", 25),
    "IDLE_TIMEOUT_SECONDS": env_int("WS_IDLE_TIMEOUT_SECONDS", 60),
    # Token bucket on client ops: sustained rate per second and burst.
    "OPS_PER_SECOND": env_int("WS_OPS_PER_SECOND", 20),
    "OPS_BURST": env_int("WS_OPS_BURST", 60),
    "TYPING_INTERVAL_SECONDS": 1.0,
    # A user whose client sent a frame this recently is "looking at the app": no push.
    "ACTIVE_SECONDS": env_int("WS_ACTIVE_SECONDS", 60),
    # Origins allowed for cookie-authenticated browser connections (besides ALLOWED_HOSTS).
    "ALLOWED_ORIGINS": env_list("WS_ALLOWED_ORIGINS", ""),
    "SWEEP_SECONDS": env_int("OUTBOX_SWEEP_SECONDS", 5),
    # Live connections one user may hold across all processes (phones, tablets, browser tabs).
    "MAX_CONNECTIONS_PER_USER": env_int("WS_MAX_CONNECTIONS_PER_USER", 50),
    # New connections are closed with 1013 while the process's event loop runs this far behind
    # (0 = never): a reconnect storm is admitted as fast as the machine can take it, and its
    # live connections' frames never wait longer than this behind the handshakes.
    "CONNECT_MAX_LAG_MS": env_int("WS_CONNECT_MAX_LAG_MS", 250),
    # An optional fixed cap besides: new connections one process accepts per second
    # (sustained, burst; rate 0 = no cap). A fixed rate is right for one machine only.
    "CONNECT_RATE": env_float("WS_CONNECT_RATE", 0),
    "CONNECT_BURST": env_int("WS_CONNECT_BURST", 1000),
    # Handshakes (WebSocket or SSE) one client address may have refused for their credential
    # (per second, burst; rate 0 = no limit). More, and the address is refused before its
    # credential is read (4008 / 429); such handshakes never spend the CONNECT budget above.
    "REFUSED_CONNECT_RATE": env_float("WS_REFUSED_CONNECT_RATE", 2),
    "REFUSED_CONNECT_BURST": env_int("WS_REFUSED_CONNECT_BURST", 30),
}
if REALTIME["SEND_BUFFER_FRAMES"] <= REALTIME["MAX_REPLAY"] + 100:
    raise RuntimeError("WS_SEND_BUFFER_FRAMES must exceed WS_MAX_REPLAY by at least 100")
EVENT_RETENTION_DAYS = env_int("EVENT_RETENTION_DAYS", 7)
EVENT_RETENTION_MIN_PER_TOPIC = env_int("EVENT_RETENTION_MIN_PER_TOPIC", 1000)

# ---------------------------------------------------------------------------- operations
# Readiness (GET /api/v1/health/ready). OPTIONAL checks are reported but never make it 503.
HEALTH: HealthSettings = {
    "WORKER_MAX_AGE_SECONDS": env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 60),
    "OUTBOX_MAX_BACKLOG": env_int("HEALTH_OUTBOX_MAX_BACKLOG", 1000),
    "OUTBOX_MAX_AGE_SECONDS": env_int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 60),
    "OPTIONAL_CHECKS": set(env_list("HEALTH_OPTIONAL_CHECKS", "")),
}
# On SIGTERM a web process stops accepting, closes its WebSockets with 1012 and lets requests in
# flight finish for this long (`planpal web`, docs/operations.md).
WEB_GRACEFUL_SECONDS = env_int("WEB_GRACEFUL_SECONDS", 20)
# `planpal web --workers N`: uvicorn's supervisor kills and replaces a worker that does not answer
# its health check (a thread that needs the GIL) within this long; uvicorn's 5 s can be missed by
# a healthy process holding ~16,000 connections during a full GC sweep on a busy machine, and the
# kill drops every connection without a close frame (docs/benchmarks-history.md, the 15:14 run).
WEB_WORKER_HEALTHCHECK_SECONDS = env_int("WEB_WORKER_HEALTHCHECK_SECONDS", 30)
# GET /metrics requires "Authorization: Bearer <METRICS_TOKEN>" when set.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Rate limits: "<count>/<seconds>" per key; planpal.core.ratelimit counts in Redis (atomic),
# or in this process's memory in embedded mode. RATE_LIMITS=off disables them all.
RATE_LIMITS_ENABLED = env_str("RATE_LIMITS", "on").lower() not in {"off", "0", "false", "no"}
RATE_LIMITS = {
    # Every API request: per authenticated user, and per client IP (anonymous or not).
    "user": env_str("RATE_LIMIT_USER", "600/60"),
    "ip": env_str("RATE_LIMIT_IP", "1200/60"),
    # Credentials: per IP, and per username tried (so many IPs cannot brute-force one account).
    "login_ip": env_str("RATE_LIMIT_LOGIN_IP", "20/300"),
    "login_username": env_str("RATE_LIMIT_LOGIN_USERNAME", "10/900"),
    "register_ip": env_str("RATE_LIMIT_REGISTER_IP", "10/3600"),
    "ticket_user": env_str("RATE_LIMIT_TICKET_USER", "60/60"),
    "invite_accept_user": env_str("RATE_LIMIT_INVITE_ACCEPT_USER", "20/3600"),
    "invite_accept_ip": env_str("RATE_LIMIT_INVITE_ACCEPT_IP", "60/3600"),
    "upload_user": env_str("RATE_LIMIT_UPLOAD_USER", "120/3600"),
    # Place searches per user, and requests to the geocoder from the whole deployment (cache
    # misses only): the public Nominatim allows one per second.
    "places_user": env_str("RATE_LIMIT_PLACES_USER", "30/60"),
    "geocoder": env_str("RATE_LIMIT_GEOCODER", "1/1"),
    "password_user": env_str("RATE_LIMIT_PASSWORD_USER", "10/900"),
    "password_reset_ip": env_str("RATE_LIMIT_PASSWORD_RESET_IP", "10/3600"),
    "password_reset_email": env_str("RATE_LIMIT_PASSWORD_RESET_EMAIL", "3/3600"),
}

# ---------------------------------------------------------------------------- background work
LIFECYCLE_SWEEP_SECONDS = env_int("LIFECYCLE_SWEEP_SECONDS", 5)
REMINDER_SWEEP_SECONDS = env_int("REMINDER_SWEEP_SECONDS", 30)
PLAN_REMINDER_OFFSETS_MINUTES = [
    int(m) for m in env_list("PLAN_REMINDER_OFFSETS_MINUTES", "1440,60")
]
ACTIVITY_REMINDER_OFFSETS_MINUTES = [
    int(m) for m in env_list("ACTIVITY_REMINDER_OFFSETS_MINUTES", "15")
]
DEVICE_STALE_DAYS = env_int("DEVICE_STALE_DAYS", 270)

# Redis redelivers an unacknowledged task after the visibility timeout; it must exceed every
# countdown/ETA we use (the longest is a push retry, PUSH_MAX_RETRY_DELAY_SECONDS), or a delayed
# task would be handed out twice.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)

# ---------------------------------------------------------------------------- push (FCM)
# A Firebase service-account JSON file; without it pushes are only written to the log.
FCM_CREDENTIALS_FILE = env_str("FCM_CREDENTIALS_FILE", "")
FCM_PROJECT_ID = env_str("FCM_PROJECT_ID", "")  # default: the service account's project_id
FCM_ENDPOINT = env_str("FCM_ENDPOINT", "https://fcm.googleapis.com").rstrip("/")
FCM_TOKEN_URI = env_str("FCM_TOKEN_URI", "")  # default: the service account's token_uri
PUSH_TRANSPORT = env_str("PUSH_TRANSPORT", "fcm" if FCM_CREDENTIALS_FILE else "log")
if PUSH_TRANSPORT not in {"log", "fcm"}:
    raise RuntimeError("PUSH_TRANSPORT must be 'log' or 'fcm'")
if PUSH_TRANSPORT == "fcm" and not FCM_CREDENTIALS_FILE:
    raise RuntimeError("PUSH_TRANSPORT=fcm needs FCM_CREDENTIALS_FILE")
PUSH_TIMEOUT_SECONDS = float(env_str("PUSH_TIMEOUT_SECONDS", "10"))
# Tries per push (the first included); transient failures are retried after a delay of
# exponential backoff with full jitter, at least the service's Retry-After, at most the cap.
PUSH_MAX_ATTEMPTS = env_int("PUSH_MAX_ATTEMPTS", 5)
PUSH_MAX_RETRY_DELAY_SECONDS = env_int("PUSH_MAX_RETRY_DELAY_SECONDS", 600)
# A push waits this long, then checks again that the notification is unread and the user away.
PUSH_DELAY_SECONDS = float(env_str("PUSH_DELAY_SECONDS", "10"))
# After a push for a collapse key (a conversation), further messages wait this long for the next.
PUSH_COLLAPSE_SECONDS = env_int("PUSH_COLLAPSE_SECONDS", 60)
if PUSH_MAX_RETRY_DELAY_SECONDS >= CELERY_VISIBILITY_TIMEOUT:
    raise RuntimeError("PUSH_MAX_RETRY_DELAY_SECONDS must stay below CELERY_VISIBILITY_TIMEOUT")

# ---------------------------------------------------------------------------- SSE and webhooks
# GET /api/v1/stream (planpal/realtime/sse.py): a comment line after this much silence, so
# proxies keep the response open and clients notice a dead link.
SSE_HEARTBEAT_SECONDS = env_int("SSE_HEARTBEAT_SECONDS", 15)
# Topics one stream may name (more: 400). Each is authorised, attached and replayed when the
# stream opens; a client that follows more opens several streams or uses the WebSocket.
SSE_MAX_TOPICS = env_int("SSE_MAX_TOPICS", 50)
# Outbound webhooks (planpal/webhooks). Targets must be https:// on public addresses; this lifts
# both rules (loopback receivers, plain http) and is meant for tests and local development only.
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)
WEBHOOK_TIMEOUT_SECONDS = float(env_str("WEBHOOK_TIMEOUT_SECONDS", "10"))
# A failing delivery is retried after base·2^(n-1) seconds (half of it jittered), at most the cap,
# until it has failed for the window; then the endpoint is disabled and its owners notified.
WEBHOOK_RETRY_BASE_SECONDS = float(env_str("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_MAX_RETRY_DELAY_SECONDS = env_int(
    "WEBHOOK_MAX_RETRY_DELAY_SECONDS", min(1800, CELERY_VISIBILITY_TIMEOUT // 2)
)
WEBHOOK_RETRY_WINDOW_SECONDS = env_int("WEBHOOK_RETRY_WINDOW_SECONDS", 24 * 3600)
WEBHOOK_SWEEP_SECONDS = env_int("WEBHOOK_SWEEP_SECONDS", 30)
# Delivered and failed deliveries (with their attempts) stay in the delivery log this long.
WEBHOOK_LOG_RETENTION_DAYS = env_int("WEBHOOK_LOG_RETENTION_DAYS", 30)
# Celery queue of webhook deliveries; a dedicated one (and worker) keeps slow receivers away from
# other background work: WEBHOOK_QUEUE=webhooks, `planpal worker --queues webhooks`.
WEBHOOK_QUEUE = env_str("WEBHOOK_QUEUE", "default")
if WEBHOOK_MAX_RETRY_DELAY_SECONDS >= CELERY_VISIBILITY_TIMEOUT:
    raise RuntimeError("WEBHOOK_MAX_RETRY_DELAY_SECONDS must stay below CELERY_VISIBILITY_TIMEOUT")

# ---------------------------------------------------------------------------- domain
INVITE_DEFAULT_TTL_HOURS = env_int("INVITE_DEFAULT_TTL_HOURS", 72)
