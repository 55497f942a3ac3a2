from collections.abc import Collection

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


def plans_followed(user_id: int, plan_ids: Collection[int]) -> list[int]:
    """Which of these plans the user may follow (plan:<id>): members of the plan's group, or for
    a personal plan its creator and participants. One query."""
    from django.db.models import Q

    from planpal.plans.models import Plan

    return list(
        Plan.objects.filter(
            Q(group__memberships__user_id=user_id)
            | Q(group__isnull=True, creator_id=user_id)
            | Q(group__isnull=True, participants__id=user_id),
            pk__in=plan_ids,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
