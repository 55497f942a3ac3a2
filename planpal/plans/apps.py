from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "planpal.plans"
    label = "plans"

    def ready(self) -> None:
        from planpal.plans import membership, notices
        from planpal.plans.summaries import SUMMARIES
        from planpal.realtime import summaries
        from planpal.realtime.authorisers import register

        register("plan", follows_plan)
        summaries.register(SUMMARIES)
        notices.register_all()
        membership.register_all()


def follows_plan(user_id: int, plan_id: int) -> bool:
    """Who may follow plan:<id>: members of its group, or for a personal plan its creator and
    participants."""
    from django.db.models import Q

    from planpal.plans.models import Plan

    return Plan.objects.filter(
        Q(group__memberships__user_id=user_id)
        | Q(group__isnull=True, creator_id=user_id)
        | Q(group__isnull=True, participants__id=user_id),
        pk=plan_id,
    ).exists()
