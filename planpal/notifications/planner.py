"""The notification planner: a receiver of domain events that decides who hears about a change
outside the screen they are looking at, writes their in-app notifications (in the same
transaction as the change) and lets `notification_create` decide about a push.

Recipients: the audience of the topic minus the actor, minus mutes and per-kind opt-outs. An event
sent on several topics (plan.created on the plan and the group, direct messages on both users'
topics) is planned from exactly one of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from planpal.accounts.events import FriendAccepted, FriendRequested
from planpal.accounts.models import User
from planpal.chat.events import (
    DirectMessageDeleted,
    DirectMessageEdited,
    DirectMessageSent,
    DirectMessagesRead,
    GroupMessageDeleted,
    GroupMessageEdited,
    GroupMessageSent,
    GroupMessagesRead,
)
from planpal.chat.models import Conversation
from planpal.core.events import DomainEvent
from planpal.groups.events import GroupMemberAdded
from planpal.groups.selectors import member_ids
from planpal.notifications.selectors import notification_wanted
from planpal.notifications.services import (
    notification_create,
    notifications_read_collapsed,
    notifications_revise_message,
)
from planpal.plans.events import ActivityCompleted, PlanCreated, PlanStatusChanged
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_member_ids

STATUS_WORDS = {"ongoing": "has started", "completed": "is complete", "cancelled": "was cancelled"}


@dataclass(frozen=True)
class Note:
    kind: str
    title: str
    body: str
    data: dict
    group_id: int | None = None
    plan_id: int | None = None
    collapse_key: str = ""


def on_domain_event(*, event: DomainEvent, topic: str, actor_id: int | None, **_: object) -> None:
    planner = PLANNERS.get(type(event))
    if planner is not None:
        planner(event, topic, actor_id)


def _notify(user_ids, note: Note, *, actor_id: int | None) -> None:
    users = User.objects.filter(pk__in=set(user_ids) - {actor_id}, is_active=True)
    for user in users.order_by("pk"):
        if notification_wanted(
            user=user, kind=note.kind, group_id=note.group_id, plan_id=note.plan_id
        ):
            notification_create(
                user=user,
                kind=note.kind,
                title=note.title,
                body=note.body,
                data=note.data,
                collapse_key=note.collapse_key,
            )


def _topic_id(topic: str, prefix: str) -> int | None:
    kind, _, pk = topic.partition(":")
    return int(pk) if kind == prefix else None


def _actor_name(actor_id: int | None) -> str:
    user = User.objects.filter(pk=actor_id).first() if actor_id else None
    return user.public_name if user else "PlanPal"


# ---------------------------------------------------------------------------- chat
def _message_body(event) -> str:
    sender = (event.sender.display_name or event.sender.username) if event.sender else "Someone"
    if event.deleted_at is not None:
        text = "(message deleted)"
    else:
        text = event.text if event.kind == "text" else "shared a location"
    return f"{sender}: {text}"[:300]


def _sender_has_read(event, actor_id: int | None) -> None:
    """Writing in a conversation means having read it: the sender's own chat notification for
    it (if any) is read on every device."""
    if actor_id is not None:
        notifications_read_collapsed(
            user_id=actor_id,
            collapse_key=f"chat:{event.conversation_id}",
            up_to_message_id=event.id,
        )


def plan_group_message(event: GroupMessageSent, topic: str, actor_id: int | None) -> None:
    group_id = _topic_id(topic, "group")
    conversation = Conversation.objects.select_related("group").get(pk=event.conversation_id)
    note = Note(
        kind="chat.message",
        title=conversation.group.name,
        body=_message_body(event),
        data={
            "conversation_id": event.conversation_id,
            "message_id": event.id,
            "group_id": group_id,
        },
        group_id=group_id,
        collapse_key=f"chat:{event.conversation_id}",
    )
    _notify(member_ids(group_id=group_id), note, actor_id=actor_id)
    _sender_has_read(event, actor_id)


def plan_direct_message(event: DirectMessageSent, topic: str, actor_id: int | None) -> None:
    recipient = _topic_id(topic, "user")
    if recipient is None or recipient == actor_id:
        return  # the sender's own copy of the event
    note = Note(
        kind="chat.message",
        title=_actor_name(actor_id),
        body=_message_body(event),
        data={"conversation_id": event.conversation_id, "message_id": event.id},
        collapse_key=f"chat:{event.conversation_id}",
    )
    _notify([recipient], note, actor_id=actor_id)
    _sender_has_read(event, actor_id)


def plan_message_revised(event, topic: str, actor_id: int | None) -> None:
    """Edits and deletions rewrite the notification that quotes the message."""
    if topic.startswith("user:") and topic != f"user:{actor_id}":
        return  # direct messages: act on one of the two copies only
    notifications_revise_message(
        conversation_id=event.conversation_id, message_id=event.id, body=_message_body(event)
    )


def plan_messages_read(event, topic: str, actor_id: int | None) -> None:
    """Reading a conversation on any device clears its chat notification everywhere."""
    if event.user_id == actor_id:
        notifications_read_collapsed(
            user_id=event.user_id,
            collapse_key=f"chat:{event.conversation_id}",
            up_to_message_id=event.last_read_message_id,
        )


# ---------------------------------------------------------------------------- plans
def _plan_note(plan_id: int, *, kind: str, title: str, body: str, data: dict) -> tuple:
    plan = Plan.objects.filter(pk=plan_id).first()
    if plan is None:
        return None, None
    note = Note(
        kind=kind,
        title=title.format(plan=plan.title),
        body=body,
        data={"plan_id": plan_id, **data},
        group_id=plan.group_id,
        plan_id=plan_id,
    )
    return plan, note


def plan_status_changed(event: PlanStatusChanged, topic: str, actor_id: int | None) -> None:
    words = STATUS_WORDS.get(event.to)
    if words is None:
        return
    plan, note = _plan_note(
        event.plan_id,
        kind="plan.status_changed",
        title=f"{{plan}} {words}",
        body="",
        data={"status": event.to},
    )
    if plan is not None:
        _notify(plan_member_ids(plan=plan), note, actor_id=actor_id)


def plan_activity_completed(event: ActivityCompleted, topic: str, actor_id: int | None) -> None:
    plan, note = _plan_note(
        event.plan,
        kind="plan.activity_completed",
        title="{plan}",
        body=f"{_actor_name(actor_id)} completed {event.title}",
        data={"activity_id": event.id},
    )
    if plan is not None:
        _notify(plan_member_ids(plan=plan), note, actor_id=actor_id)


def plan_created(event: PlanCreated, topic: str, actor_id: int | None) -> None:
    if not topic.startswith("plan:") or event.group is None:
        return  # one copy only, and a personal plan has nobody else to tell yet
    plan, note = _plan_note(
        event.id,
        kind="plan.created",
        title="New plan: {plan}",
        body=f"by {_actor_name(actor_id)}",
        data={},
    )
    if plan is not None:
        _notify(member_ids(group_id=event.group), note, actor_id=actor_id)


# ---------------------------------------------------------------------------- people
def group_member_added(event: GroupMemberAdded, topic: str, actor_id: int | None) -> None:
    added = event.member.user.id
    if topic != f"user:{added}" or added == actor_id:
        return
    note = Note(
        kind="group.member_added",
        title=f"You joined {event.group.name}",
        body=f"added by {_actor_name(actor_id)}",
        data={"group_id": event.group.id},
        group_id=event.group.id,
    )
    _notify([added], note, actor_id=actor_id)


def friend_requested(event: FriendRequested, topic: str, actor_id: int | None) -> None:
    if topic == f"user:{event.addressee.id}":
        name = event.requester.display_name or event.requester.username
        note = Note(
            kind="friend.requested",
            title=f"{name} wants to be friends",
            body="",
            data={"user_id": event.requester.id},
        )
        _notify([event.addressee.id], note, actor_id=actor_id)


def friend_accepted(event: FriendAccepted, topic: str, actor_id: int | None) -> None:
    other = next((u for u in event.users if u.id != actor_id), None)
    if other is not None and topic == f"user:{other.id}":
        note = Note(
            kind="friend.accepted",
            title=f"{_actor_name(actor_id)} is now your friend",
            body="",
            data={"user_id": actor_id},
        )
        _notify([other.id], note, actor_id=actor_id)


PLANNERS: dict[type, Callable[[DomainEvent, str, int | None], None]] = {
    GroupMessageSent: plan_group_message,
    DirectMessageSent: plan_direct_message,
    GroupMessagesRead: plan_messages_read,
    GroupMessageEdited: plan_message_revised,
    GroupMessageDeleted: plan_message_revised,
    DirectMessageEdited: plan_message_revised,
    DirectMessageDeleted: plan_message_revised,
    DirectMessagesRead: plan_messages_read,
    PlanStatusChanged: plan_status_changed,
    ActivityCompleted: plan_activity_completed,
    PlanCreated: plan_created,
    GroupMemberAdded: group_member_added,
    FriendRequested: friend_requested,
    FriendAccepted: friend_accepted,
}
