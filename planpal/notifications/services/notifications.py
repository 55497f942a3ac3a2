"""Writes to in-app notifications: the planners' notices applied, notifications created or folded,
their pushes planned, and read marks."""

from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from planpal.accounts.models import User
from planpal.core.background import enqueue
from planpal.core.events import emit, emit_many
from planpal.core.exceptions import InvalidInput, NotFound
from planpal.core.i18n import group_by_language
from planpal.core.notices import Notice, ReadUpTo, Requote, Text, Upkeep
from planpal.notifications.events import (
    NotificationCreated,
    NotificationRead,
    NotificationUpdated,
)
from planpal.notifications.models import Device, Notification
from planpal.notifications.selectors import preferences_allow, preferences_of
from planpal.notifications.services.common import (
    MAX_BODY,
    MAX_TITLE,
    NOTIFICATION_KINDS,
    PUSH_LOST_AFTER_SECONDS,
    _fit,
    _user_topic,
)
from planpal.notifications.tasks import push_notifications
from planpal.realtime.presence import active_users


# ---------------------------------------------------------------------------- notices
def notices_apply(
    items: list[Upkeep], actor_id: int | None = None, *, source_event: UUID | None = None
) -> int:
    """Apply what the apps' notice planners (planpal.core.notices) asked for: for the event row
    `source_event` (the after-commit fan-out), or for a clock-driven sender. Returns how many
    people were notified. The number of statements does not grow with the number of people."""
    notified = 0
    for item in items:
        if isinstance(item, Notice):
            notified += _notify(item, actor_id=actor_id, source_event=source_event)
        elif isinstance(item, ReadUpTo):
            notifications_read_collapsed(
                user_id=item.user_id,
                collapse_key=item.collapse_key,
                up_to_message_id=item.message_id,
            )
        elif isinstance(item, Requote):
            notifications_revise_message(
                collapse_key=item.collapse_key, message_id=item.message_id, body=item.body
            )
    return notified


def _notify(notice: Notice, *, actor_id: int | None, source_event: UUID | None) -> int:
    user_ids = _recipients(notice, actor_id=actor_id, source_event=source_event)
    if user_ids:
        notifications_create_many(
            user_ids=user_ids,
            kind=notice.kind,
            title=notice.title,
            body=notice.body,
            data=notice.data,
            collapse_key=notice.collapse_key,
            source_event=source_event,
        )
    return len(user_ids)


def _recipients(notice: Notice, *, actor_id: int | None, source_event: UUID | None) -> list[int]:
    """Who is told, in two queries: active users other than the actor, not told already by this
    event (applied twice) nor recently by this key (`not_again_within`), as their preferences
    allow."""
    users = User.objects.filter(pk__in=set(notice.recipients) - {actor_id}, is_active=True)
    if notice.not_again_within is not None and notice.collapse_key:
        recently = Notification.objects.filter(
            collapse_key=notice.collapse_key,
            created_at__gte=timezone.now() - notice.not_again_within,
        )
        users = users.exclude(pk__in=recently.values("user_id"))
    if source_event is not None:
        told = Notification.objects.filter(source_event=source_event)
        users = users.exclude(pk__in=told.values("user_id"))
    user_ids = list(users.order_by("pk").values_list("pk", flat=True))
    preferences = preferences_of(user_ids)
    return [
        pk
        for pk in user_ids
        if preferences_allow(preferences.get(pk), notice.kind, notice.group_id, notice.plan_id)
    ]


# ---------------------------------------------------------------------------- notifications
def notification_create(
    *,
    user,
    kind: str,
    title: Text,
    body: Text = "",
    data: dict | None = None,
    collapse_key: str = "",
) -> Notification:
    """Write one user's in-app notification (see `notifications_create_many`)."""
    (notification,) = notifications_create_many(
        user_ids=[user.pk],
        kind=kind,
        title=title,
        body=body,
        data=data,
        collapse_key=collapse_key,
    )
    return notification


def notifications_create_many(
    *,
    user_ids: list[int],
    kind: str,
    title: Text,
    body: Text = "",
    data: dict | None = None,
    collapse_key: str = "",
    source_event: UUID | None = None,
) -> list[Notification]:
    """Write an in-app notification for each user, announce it on their topic, and plan a push
    for those who are away. With a collapse key, a user's unread notification with that key is
    folded into: its count grows and it carries the latest title/body/data
    (`notification.updated`). A lazy `title`/`body` (gettext_lazy, format_lazy) is written in
    each user's own language (docs/i18n.md). A fixed number of statements for any number of
    users (per language)."""
    if kind not in NOTIFICATION_KINDS:
        raise InvalidInput(
            _("Unknown notification kind %(kind)r.") % {"kind": kind},
            fields={"kind": [_("Unknown.")]},
        )
    with transaction.atomic():
        notifications: list[Notification] = []
        for language, pks in _by_language(user_ids).items():
            with translation.override(language):
                content = {
                    "title": _fit(str(title), MAX_TITLE),
                    "body": _fit(str(body), MAX_BODY),
                    "data": data or {},
                }
            notifications += _write(pks, kind, collapse_key, content, source_event)
        notifications.sort(key=lambda notification: notification.user_id)
        push_schedule(notifications)
        return notifications


def _by_language(user_ids: list[int]) -> dict[str, list[int]]:
    """The users grouped by the language their texts are written in (one query)."""
    languages = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "language"))
    return group_by_language((pk, languages.get(pk, "")) for pk in user_ids)


def _write(
    user_ids: list[int], kind: str, collapse_key: str, content: dict, source_event: UUID | None
) -> list[Notification]:
    folded = _fold(user_ids, collapse_key, content, source_event) if collapse_key else []
    done = {notification.user_id for notification in folded}
    created = _create(
        [
            Notification(
                user_id=pk,
                kind=kind,
                collapse_key=collapse_key,
                source_event=source_event,
                **content,
            )
            for pk in user_ids
            if pk not in done
        ]
    )
    emit_many(
        [(NotificationCreated.from_notification(n), _user_topic(n.user_id)) for n in created]
        + [(NotificationUpdated.from_notification(n), _user_topic(n.user_id)) for n in folded]
    )
    return created + folded


def _fold(
    user_ids: list[int], collapse_key: str, content: dict, source_event: UUID | None
) -> list[Notification]:
    """Each user's newest unread notification with the key, counted up and rewritten."""
    unread = (
        Notification.objects.select_for_update()
        .filter(user_id__in=user_ids, collapse_key=collapse_key, read_at__isnull=True)
        .order_by("-id")
    )
    newest: dict[int, Notification] = {}
    for notification in unread:
        newest.setdefault(notification.user_id, notification)
    if newest:
        Notification.objects.filter(pk__in=[n.pk for n in newest.values()]).update(
            count=F("count") + 1, source_event=source_event, **content
        )
    for notification in newest.values():
        notification.count += 1
        notification.source_event = source_event
        for name, value in content.items():
            setattr(notification, name, value)
    return list(newest.values())


def _create(notifications: list[Notification]) -> list[Notification]:
    """One INSERT where the database returns the new ids (MariaDB, PostgreSQL, SQLite), else
    one per row (MySQL)."""
    if connection.features.can_return_rows_from_bulk_insert:
        return Notification.objects.bulk_create(notifications)
    for notification in notifications:
        notification.save(force_insert=True)
    return notifications


def push_schedule(notifications: list[Notification]) -> None:
    """Plan a push for each notification whose user is away (DESIGN §8). The push itself waits
    PUSH_DELAY_SECONDS and checks again (still unread, still away, not quiet hours). A push
    already on its way carries the newest count; one sent less than PUSH_COLLAPSE_SECONDS ago is
    enough. One query for devices, one Redis round trip for presence, one UPDATE, one task."""
    now = timezone.now()
    candidates = [n for n in notifications if _push_may_be_planned(n, now)]
    if not candidates:
        return
    with_devices = set(
        Device.objects.filter(user_id__in={n.user_id for n in candidates}, active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    candidates = [n for n in candidates if n.user_id in with_devices]
    if not candidates:
        return
    here = active_users({n.user_id for n in candidates})  # the WebSocket already showed it
    due = [n for n in candidates if n.user_id not in here]
    if not due:
        return
    due_at = now + timedelta(seconds=settings.PUSH_DELAY_SECONDS)
    Notification.objects.filter(pk__in=[n.pk for n in due]).update(
        push_due_at=due_at, pushed_at=None
    )
    for notification in due:
        notification.push_due_at, notification.pushed_at = due_at, None
    enqueue(
        push_notifications,
        countdown=settings.PUSH_DELAY_SECONDS,
        notification_ids=[n.pk for n in due],
    )


def _push_may_be_planned(notification: Notification, now) -> bool:
    in_flight = notification.push_due_at is not None and notification.pushed_at is None
    # A planned push whose task never ran (broker outage) must not block pushes for good.
    stale = now - timedelta(seconds=PUSH_LOST_AFTER_SECONDS)
    lost = in_flight and notification.push_due_at < stale
    if in_flight and not lost:
        return False
    recent = timedelta(seconds=settings.PUSH_COLLAPSE_SECONDS)
    return notification.pushed_at is None or now - notification.pushed_at >= recent


def notifications_read_collapsed(*, user_id: int, collapse_key: str, up_to_message_id: int) -> None:
    """Chat notifications are read when their conversation is read (on any device)."""
    with transaction.atomic():
        ids = [
            n.pk
            for n in Notification.objects.select_for_update().filter(
                user_id=user_id, collapse_key=collapse_key, read_at__isnull=True
            )
            if n.data.get("message_id", 0) <= up_to_message_id
        ]
        if ids:
            now = timezone.now()
            Notification.objects.filter(pk__in=ids).update(read_at=now)
            emit(NotificationRead(ids=ids, read_at=now), topic=_user_topic(user_id), actor=user_id)


def notification_mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read. Reading it again changes nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_id, user=actor).first()
        )
        if notification is None:
            raise NotFound(_("Notification not found."))
        if notification.read_at is not None:
            return notification
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        emit(
            NotificationRead(ids=[notification.pk], read_at=notification.read_at),
            topic=_user_topic(actor.pk),
            actor=actor,
        )
        return notification


def notifications_mark_all_read(*, actor) -> list[int]:
    """Mark every unread notification of the actor read; one event lists them. Returns the ids."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(user=actor, read_at__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            return []
        now = timezone.now()
        Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=now)
        emit(NotificationRead(ids=ids, read_at=now), topic=_user_topic(actor.pk), actor=actor)
        return ids


def notifications_revise_message(*, collapse_key: str, message_id: int, body: Text) -> None:
    """An edited or deleted message must not live on, word for word, in unread notifications
    (nor in the push a pending notification is about to send). Each in its reader's language."""
    with transaction.atomic():
        unread = Notification.objects.select_for_update().filter(
            collapse_key=collapse_key, read_at__isnull=True
        )
        quoting = [n for n in unread if n.data.get("message_id") == message_id]
        if not quoting:
            return
        languages = _by_language([n.user_id for n in quoting])
        for language, user_ids in languages.items():
            with translation.override(language):
                text = _fit(str(body), MAX_BODY)
            readers = [n for n in quoting if n.user_id in user_ids]
            Notification.objects.filter(pk__in=[n.pk for n in readers]).update(body=text)
            for notification in readers:
                notification.body = text
        emit_many(
            (NotificationUpdated.from_notification(n), _user_topic(n.user_id)) for n in quoting
        )
