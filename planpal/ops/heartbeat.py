"""Celery worker heartbeats in Redis, so a web process can tell that background work runs.

Each worker's main process writes `hostname → now` into one sorted set every
HEARTBEAT_SECONDS; readiness looks at the newest score. A stopped worker simply stops beating."""

import logging
import threading
import time

from django.conf import settings

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
FORGET_AFTER_SECONDS = 24 * 3600


def _key() -> str:
    return settings.REDIS_KEY_PREFIX + "workers"


def _client():
    from planpal.realtime.bus import redis_client

    return redis_client()


def worker_beat(hostname: str) -> None:
    now = time.time()
    pipe = _client().pipeline(transaction=False)
    pipe.zadd(_key(), {hostname: now})
    pipe.zremrangebyscore(_key(), "-inf", now - FORGET_AFTER_SECONDS)
    pipe.execute()


def newest_worker_age() -> float | None:
    """Seconds since the most recent heartbeat of any worker (None: never seen)."""
    newest = _client().zrevrange(_key(), 0, 0, withscores=True)
    if not newest:
        return None
    return max(0.0, time.time() - newest[0][1])


def start_beating(hostname: str) -> threading.Thread:
    def beat_forever() -> None:
        failing = False
        while True:
            try:
                worker_beat(hostname)
                if failing:
                    log.info("worker heartbeat written again")
                failing = False
            except Exception as exc:  # noqa: BLE001 - Redis down: readiness will show it
                if not failing:
                    log.warning("worker heartbeat failed: %s", exc)
                failing = True
            time.sleep(HEARTBEAT_SECONDS)

    thread = threading.Thread(target=beat_forever, name="planpal-heartbeat", daemon=True)
    thread.start()
    return thread


def connect_celery_signals() -> None:
    """Beat from the worker's main process once it is ready to take tasks."""
    from celery import signals

    def ready(sender=None, **_):
        if settings.REDIS_URL:
            start_beating(getattr(sender, "hostname", None) or "worker")

    signals.worker_ready.connect(ready, weak=False)
