"""Who hears about friend events outside the app (registered with `planpal.core.notices`).
Both events are written to both people's topics; each is planned from the addressee's copy.

A request withdrawn and made again (twenty times, to pester) notifies once: requests from one
person share a collapse key, and one less than a day after the last notice about them is
not notified again (the realtime events still keep both people's lists right)."""

from datetime import timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.events import FriendAccepted, FriendRequested
from planpal.accounts.selectors import public_name_of
from planpal.core.notices import Notice, register

REQUEST_NOTICE_EVERY = timedelta(days=1)


def friend_requested(event: FriendRequested, topic: str, actor_id: int | None) -> list[Notice]:
    if topic != f"user:{event.addressee.id}":
        return []
    name = event.requester.display_name or event.requester.username
    return [
        Notice(
            kind="friend.requested",
            recipients=[event.addressee.id],
            title=format_lazy(_("{name} wants to be friends"), name=name),
            data={"user_id": event.requester.id},
            collapse_key=f"friend:{event.requester.id}",
            not_again_within=REQUEST_NOTICE_EVERY,
        )
    ]


def friend_accepted(event: FriendAccepted, topic: str, actor_id: int | None) -> list[Notice]:
    other = next((user for user in event.users if user.id != actor_id), None)
    if other is None or topic != f"user:{other.id}":
        return []
    return [
        Notice(
            kind="friend.accepted",
            recipients=[other.id],
            title=format_lazy(_("{name} is now your friend"), name=public_name_of(actor_id)),
            data={"user_id": actor_id},
        )
    ]


def register_all() -> None:
    register(FriendRequested, friend_requested)
    register(FriendAccepted, friend_accepted)
