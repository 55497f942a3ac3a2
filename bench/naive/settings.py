"""PlanPal's settings plus a channels_redis channel layer (RedisChannelLayer, the default one)."""

import os

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": os.environ.get("BENCH_CHANNEL_LAYER", "channels_redis.core.RedisChannelLayer"),
        "CONFIG": {
            "hosts": [REDIS_URL],
            "prefix": os.environ.get("BENCH_CHANNEL_PREFIX", "asgi"),
        },
    }
}
