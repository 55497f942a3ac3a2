"""Every write to notifications (services/notifications.py), push devices (services/devices.py) and
notification preferences (services/preferences.py); this package names them all. The documented
kinds and the limits they share are in services/common.py.
"""

from planpal.notifications.services.common import (
    MAX_BODY,
    MAX_MUTES,
    MAX_TITLE,
    MAX_TOKEN,
    NOTIFICATION_KINDS,
    PUSH_LOST_AFTER_SECONDS,
    UNSET,
)
from planpal.notifications.services.devices import (
    device_logged_out,
    device_register,
    device_unregister,
)
from planpal.notifications.services.notifications import (
    notices_apply,
    notification_create,
    notification_mark_read,
    notifications_create_many,
    notifications_mark_all_read,
    notifications_read_collapsed,
    notifications_revise_message,
    push_schedule,
)
from planpal.notifications.services.preferences import preferences_update

__all__ = [
    "MAX_BODY",
    "MAX_MUTES",
    "MAX_TITLE",
    "MAX_TOKEN",
    "NOTIFICATION_KINDS",
    "PUSH_LOST_AFTER_SECONDS",
    "UNSET",
    "device_logged_out",
    "device_register",
    "device_unregister",
    "notices_apply",
    "notification_create",
    "notification_mark_read",
    "notifications_create_many",
    "notifications_mark_all_read",
    "notifications_read_collapsed",
    "notifications_revise_message",
    "preferences_update",
    "push_schedule",
]
