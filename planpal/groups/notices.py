"""Who hears about group events outside the app (registered with `planpal.core.notices`)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from planpal.accounts.selectors import public_name_of
from planpal.core.notices import Notice, register
from planpal.groups.events import GroupMemberAdded


def group_member_added(event: GroupMemberAdded, topic: str, actor_id: int | None) -> list[Notice]:
    """The new member, from the copy on their own topic, unless they joined by themselves."""
    added = event.member.user.id
    if topic != f"user:{added}" or added == actor_id:
        return []
    return [
        Notice(
            kind="group.member_added",
            recipients=[added],
            title=format_lazy(_("You joined {group}"), group=event.group.name),
            body=format_lazy(_("added by {name}"), name=public_name_of(actor_id)),
            data={"group_id": event.group.id},
            group_id=event.group.id,
        )
    ]


def register_all() -> None:
    register(GroupMemberAdded, group_member_added)
