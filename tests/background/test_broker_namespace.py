"""Deployments sharing one Redis database keep their task queues apart (REDIS_KEY_PREFIX), as
they keep their other keys: a worker of one must never receive the other's tasks."""

import redis
from django.conf import settings

from config.celery_app import app
from tests.realtime.conftest import require_redis


def test_queued_tasks_live_under_the_deployments_key_prefix():
    require_redis()
    client = redis.Redis.from_url(settings.REDIS_URL)
    queue = "push"
    prefixed = f"{settings.REDIS_KEY_PREFIX}{queue}"
    client.delete(prefixed)
    before_unprefixed = client.llen(queue)

    app.send_task("planpal.tests.never_run", queue=queue, countdown=3600)
    try:
        assert client.llen(prefixed) == 1
        assert client.llen(queue) == before_unprefixed
    finally:
        client.delete(prefixed)
