"""Who hears about group events outside the app (registered with `planpal.core.notices`)."""

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
            title=f"You joined {event.group.name}",
            body=f"added by {public_name_of(actor_id)}",
            data={"group_id": event.group.id},
            group_id=event.group.id,
        )
    ]


def register_all() -> None:
    register(GroupMemberAdded, group_member_added)
