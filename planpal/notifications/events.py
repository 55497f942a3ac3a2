"""Notification events, all on the recipient's own topic `user:<id>` so that every device of
theirs stays in sync (a notification read on the phone disappears on the laptop)."""

from datetime import datetime, time
from typing import Any

from pydantic import Field

from planpal.core.events import DomainEvent


class NotificationCreated(DomainEvent):
    """The new notification, serialised as GET /notifications returns it."""

    name = "notification.created"

    id: int
    kind: str
    title: str
    body: str
    # `data` is the JSON name; the attribute is renamed so it does not hide DomainEvent.data().
    extra: dict[str, Any] = Field(alias="data")
    count: int
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_notification(cls, notification):
        return cls(
            id=notification.pk,
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            extra=notification.data,
            count=notification.count,
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


class NotificationUpdated(NotificationCreated):
    """An unread notification folded another one in (e.g. a third message in a conversation):
    same id, higher `count`, newest title/body/data."""

    name = "notification.updated"


class NotificationRead(DomainEvent):
    """These notifications were marked read (on any device) at `read_at`."""

    name = "notification.read"

    ids: list[int]
    read_at: datetime


class NotificationPreferencesUpdated(DomainEvent):
    """The user's notification preferences, as GET /notification-preferences returns them."""

    name = "notification.preferences_updated"

    muted_group_ids: list[int]
    muted_plan_ids: list[int]
    disabled_kinds: list[str]
    quiet_hours_start: time | None
    quiet_hours_end: time | None

    @classmethod
    def from_preferences(cls, preferences) -> "NotificationPreferencesUpdated":
        return cls(
            muted_group_ids=preferences.muted_group_ids,
            muted_plan_ids=preferences.muted_plan_ids,
            disabled_kinds=preferences.disabled_kinds,
            quiet_hours_start=preferences.quiet_hours_start,
            quiet_hours_end=preferences.quiet_hours_end,
        )
