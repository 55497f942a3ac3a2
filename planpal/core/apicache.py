"""Cached API snapshots (plan detail and list items, group summary, unread count) that are never
stale after a write.

A snapshot is stored under a key that names the state it shows instead of being deleted when
that state changes:

    api:<kind>:<id>:<topic seq>:<revision>:<users version>

- `topic seq` is the head of the resource's topic (`plan:<id>`, `group:<id>`, `user:<id>`), read
  before the snapshot as the response's `stream` already requires. Every service write emits a
  domain event on that topic in its own transaction, so the seq — and with it the key — changes
  in the same commit as the data. A reader after the write reads the new seq and misses.
- `revision` covers writes that emit no event (the ORM used directly: data fixes, tests): a
  post_save/post_delete receiver (DESIGN §2 allows post_save for cache invalidation) bumps the
  topic's revision after commit.
- `users version` covers the public profiles (display name, avatar) embedded in snapshots:
  profile edits emit no event, so any user change (except a last_login stamp) bumps it.

Because keys are never reused for another state, a slow reader that stores an old snapshot
cannot overwrite a newer one (the race of delete-on-write caching); old keys simply expire after
API_CACHE_SECONDS. Only data that is the same for every viewer is cached; per-viewer fields
(`can_manage`, `my_role`) and `stream` are computed per request. Cache failures (Redis down)
are misses: the snapshot is built from the database.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from planpal.core import metrics

log = logging.getLogger(__name__)

USERS_VERSION = "api:users-version"

# A serialised resource, the same for every viewer.
Snapshot = dict[str, Any]


def _rev_key(topic: str) -> str:
    return f"api:rev:{topic}"


def _versions(topics: Iterable[str]) -> tuple[dict[str, int], int]:
    keys = [_rev_key(topic) for topic in topics]
    found = cache.get_many([*keys, USERS_VERSION]) if settings.API_CACHE_SECONDS else {}
    return {t: found.get(_rev_key(t), 0) for t in topics}, found.get(USERS_VERSION, 0)


def fetch_many(
    kind: str, heads: dict[str, int], build: Callable[[list[str]], dict[str, Snapshot]]
) -> dict[str, Snapshot]:
    """Snapshots of several resources: `heads` maps each one's topic to the seq read before;
    `build(missing topics)` returns {topic: snapshot} for the misses (absent: not found)."""
    if not settings.API_CACHE_SECONDS or not heads:
        return build(list(heads))
    revisions, users = _versions(heads)
    keys = {
        topic: f"api:{kind}:{topic}:{seq}:{revisions[topic]}:{users}"
        for topic, seq in heads.items()
    }
    found = cache.get_many(list(keys.values()))
    result = {topic: found[key] for topic, key in keys.items() if key in found}
    missing = [topic for topic in heads if topic not in result]
    if result:
        metrics.cache_requests.labels(kind, "hit").inc(len(result))
    if missing:
        metrics.cache_requests.labels(kind, "miss").inc(len(missing))
        built = build(missing)
        cache.set_many(
            {keys[topic]: value for topic, value in built.items()}, settings.API_CACHE_SECONDS
        )
        result.update(built)
    return result


def fetch(kind: str, topic: str, seq: int, build: Callable[[], Snapshot]) -> Snapshot:
    return fetch_many(kind, {topic: seq}, lambda missing: {topic: build()})[topic]


def clear() -> None:
    """Forget every snapshot (tests). Only PlanPal's own keys: the cache has a key prefix."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("api:*")
    else:
        cache.clear()


# ---------------------------------------------------------------------------- revisions
def bump(key: str) -> None:
    def increment() -> None:
        try:
            cache.incr(key)
        except ValueError:  # not there yet (or expired): any new value differs from absent=0
            cache.set(key, 1, None)
        except Exception as exc:  # noqa: BLE001 - Redis down: snapshots of it expire anyway
            log.warning("cache revision %s not bumped: %s", key, exc)

    transaction.on_commit(increment)


# ---------------------------------------------------------------------------- registrations
# Each app registers its models in `AppConfig.ready()`: core names no model of any app.
def invalidate_topic_on(model: type[Model], *, prefix: str, id_attribute: str) -> None:
    """Any save or delete of a `model` row bumps the revision of topic `<prefix>:<id>`, where
    the id is the row's `id_attribute` (`pk` for the topic's own object)."""
    receiver = _topic_bumper(prefix, id_attribute)
    post_save.connect(receiver, sender=model, weak=False)
    post_delete.connect(receiver, sender=model, weak=False)


def invalidate_topic_on_m2m(through: type[Model], *, prefix: str) -> None:
    """Adds and removes through a many-to-many field of a topic's object (`Plan.participants`)
    bump that object's topic, from whichever side they are made."""

    def changed(
        sender: type[Model],
        instance: Model,
        action: str,
        reverse: bool,
        pk_set: set[Any] | None = None,
        **_: Any,
    ) -> None:
        if action.startswith("post_"):
            # Forward (plan.participants.add): the instance is the topic's object; reverse
            # (user.plans.add): pk_set names the objects.
            for pk in list(pk_set or ()) if reverse else [instance.pk]:
                bump(_rev_key(f"{prefix}:{pk}"))

    m2m_changed.connect(changed, sender=through, weak=False)


def invalidate_users_on(model: type[Model]) -> None:
    """Saves of `model` (the user model) change public profiles embedded in every snapshot;
    a login's last_login stamp does not."""
    post_save.connect(_user_changed, sender=model, weak=False)


def _topic_bumper(prefix: str, attribute: str) -> Callable[..., None]:
    def changed(sender: type[Model], instance: Model, **_: Any) -> None:
        pk = getattr(instance, attribute, None)
        if pk is not None:
            bump(_rev_key(f"{prefix}:{pk}"))

    return changed


def _user_changed(
    sender: type[Model],
    instance: Model,
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump(USERS_VERSION)
