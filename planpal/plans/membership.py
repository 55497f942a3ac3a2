"""Plans follow their group's membership (registered with `planpal.groups.hooks`): joining or
leaving a group is joining or leaving every plan of it, closed ones included, and deleting the
group deletes its plans. These run inside the group write's transaction and emit on each plan's
topic, so a plan's followers are told and a removed member is unsubscribed."""

from planpal.core.events import emit, topic_for
from planpal.groups import hooks
from planpal.plans.events import PlanDeleted, PlanMemberJoined, PlanMemberLeft
from planpal.plans.selectors import plan_ids_of_group


def member_added(*, group_id: int, user, actor) -> None:
    for plan_id in plan_ids_of_group(group_id=group_id):
        joined = PlanMemberJoined.of(plan_id=plan_id, user=user)
        emit(joined, topic=topic_for("plan", plan_id), actor=actor)


def member_removed(*, group_id: int, user_id: int, actor) -> None:
    for plan_id in plan_ids_of_group(group_id=group_id):
        left = PlanMemberLeft(plan_id=plan_id, user_id=user_id)
        emit(left, topic=topic_for("plan", plan_id), actor=actor)


def group_deleted(*, group_id: int, actor) -> None:
    for plan_id in plan_ids_of_group(group_id=group_id):
        emit(PlanDeleted(plan_id=plan_id), topic=topic_for("plan", plan_id), actor=actor)


def register_all() -> None:
    hooks.on_member_added(member_added)
    hooks.on_member_removed(member_removed)
    hooks.on_group_deleted(group_deleted)
