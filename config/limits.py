"""Settings of the realtime gateway and of operations (readiness, metrics, rate limits), part of
config.settings (which imports every name here). Typed: the code that reads them is checked
against these shapes (mypy with django-stubs reads settings' types from the module)."""

from typing import TypedDict

from config.env import env_float, env_int, env_list, env_str


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
    # New connections one process accepts per second (sustained, burst; rate 0 = no limit);
    # more are closed with 1013 so a reconnect storm spreads out instead of piling up. Set it
    # near what one process can really accept (measure: bench/).
    "CONNECT_RATE": env_float("WS_CONNECT_RATE", 500),
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
