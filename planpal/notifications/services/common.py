"""What the notification writes share: the documented kinds, the limits, the user's topic."""

from typing import Any

from planpal.core.events import topic_for

# The documented notification kinds: what `kind` a Notification may have, and what a user may
# switch off in `disabled_kinds`. The notification planner creates only these.
NOTIFICATION_KINDS: dict[str, str] = {
    "friend.requested": "Someone asked to be your friend.",
    "friend.accepted": "Someone accepted your friend request.",
    "group.member_added": "You were added to a group.",
    "plan.created": "A plan was created in one of your groups.",
    "plan.updated": "A plan you take part in changed (title, dates, ...).",
    "plan.reminder": "A plan you take part in starts soon.",
    "plan.activity_reminder": "An activity of one of your plans starts soon.",
    "plan.status_changed": "A plan you take part in started, completed, was cancelled or was "
    "postponed.",
    "plan.activity_completed": "An activity of one of your plans was completed.",
    "poll.created": "A poll was opened in one of your groups or plans.",
    "poll.closed": "A poll of one of your groups or plans closed (its outcome).",
    "plan.checklist_item_assigned": "Someone gave you an item of a plan's checklist.",
    "plan.checklist_item_due": "A checklist item for you is due soon.",
    "plan.budget_80": "A plan's spending went over 80 % of its budget.",
    "plan.budget_100": "A plan's spending reached its budget.",
    "plan.expense_large": "Someone added an expense of at least a quarter of a plan's budget.",
    "plan.balance_due": "A plan completed: what you owe or are owed.",
    "chat.message": "A new message in a group or direct conversation.",
    "webhook.disabled": "A webhook of a group you manage was turned off (it kept failing, or "
    "its creator can no longer manage the group).",
}
MAX_TITLE = 200
PUSH_LOST_AFTER_SECONDS = 300
MAX_BODY = 2000
MAX_TOKEN = 512
MAX_MUTES = 500
UNSET: Any = object()  # "leave this preference as it is"


def _user_topic(user_id: int) -> str:
    return topic_for("user", user_id)


def _fit(text: str | None, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
