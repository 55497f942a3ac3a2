import functools
from collections.abc import Sequence

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planpal.plans"
    label = "plans"

    def ready(self) -> None:
        from planpal.core import apicache
        from planpal.plans import membership, notices
        from planpal.plans.models import Activity, Plan
        from planpal.plans.summaries import SUMMARIES
        from planpal.realtime import summaries
        from planpal.realtime.authorisers import register

        register("plan", plans_followed)
        summaries.register(SUMMARIES)
        notices.register_all()
        membership.register_all()
        apicache.invalidate_topic_on(Plan, prefix="plan", id_attribute="pk")
        apicache.invalidate_topic_on(Activity, prefix="plan", id_attribute="plan_id")
        apicache.invalidate_topic_on_m2m(Plan.participants.through, prefix="plan")


def plans_followed(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Which (user_id, plan_id) pairs may follow plan:<id>: members of the plan's group, or for
    a personal plan its creator and participants. One query, in SQL: it runs for every burst
    of subscribes, and building it with the ORM (an OR over three joins) cost more of the
    gateway's CPU than anything else in a burst of connects (py-spy: 12 %, the database's
    answer 2 %). It answers for every asked user and asked plan; the caller keeps the pairs it
    asked about."""
    from django.db import connection

    if not pairs:
        return []
    users = sorted({int(user_id) for user_id, _ in pairs})
    plans = sorted({int(plan_id) for _, plan_id in pairs})
    with connection.cursor() as cursor:
        cursor.execute(_followed_sql(len(users), len(plans)), [*plans, *users] * 3)
        return [(row[0], row[1]) for row in cursor.fetchall()]


@functools.lru_cache(maxsize=64)  # per number of users and of plans asked about
def _followed_sql(user_count: int, plan_count: int) -> str:
    from django.db import connection

    from planpal.groups.models import Membership
    from planpal.plans.models import Plan

    def names(model: type, *fields: str) -> list[str]:
        meta = model._meta  # type: ignore[attr-defined]
        return [connection.ops.quote_name(meta.db_table)] + [
            connection.ops.quote_name(meta.get_field(name).column) for name in fields
        ]

    plan, plan_id, group, creator = names(Plan, "id", "group", "creator")
    member, member_group, member_user = names(Membership, "group", "user")
    taking_part = Plan.participants.through
    part, part_plan, part_user = names(taking_part, "plan", "user")
    plan_ids = ", ".join(["%s"] * plan_count)
    user_ids = ", ".join(["%s"] * user_count)
    return (
        f"SELECT m.{member_user}, p.{plan_id} FROM {plan} p"
        f" JOIN {member} m ON m.{member_group} = p.{group}"
        f" WHERE p.{plan_id} IN ({plan_ids}) AND m.{member_user} IN ({user_ids})"
        f" UNION SELECT p.{creator}, p.{plan_id} FROM {plan} p"
        f" WHERE p.{plan_id} IN ({plan_ids}) AND p.{creator} IN ({user_ids})"
        f" AND p.{group} IS NULL"
        f" UNION SELECT t.{part_user}, p.{plan_id} FROM {plan} p"
        f" JOIN {part} t ON t.{part_plan} = p.{plan_id}"
        f" WHERE p.{plan_id} IN ({plan_ids}) AND t.{part_user} IN ({user_ids})"
        f" AND p.{group} IS NULL"
    )
