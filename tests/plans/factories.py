"""Builders for plan tests: plans and activities go through the plans services. Groups and
friendships come from tests/factories.py (written with the ORM, so these tests depend only on the
plans app)."""

from datetime import timedelta

from django.utils import timezone

from planpal.plans import services
from planpal.plans.models import Activity, Plan


def start_of_trip():
    """Three weeks from now at 08:00 UTC: far enough that nothing starts during a test."""
    day = (timezone.now() + timedelta(days=21)).replace(hour=8, minute=0, second=0, microsecond=0)
    return day


def at(plan: Plan, hours: float):
    """A moment `hours` after the plan starts."""
    return plan.start_at + timedelta(hours=hours)


def make_plan(actor, *, group=None, title="Lisbon", days=4, start=None, **kwargs) -> Plan:
    start = start or start_of_trip()
    return services.plan_create(
        actor=actor,
        title=title,
        group_id=group.pk if group else None,
        start_at=start,
        end_at=start + timedelta(days=days),
        timezone=kwargs.pop("timezone", "Europe/Lisbon"),
        **kwargs,
    )


def make_activity(actor, plan: Plan, *, start_hour: float, hours: float = 2, **kwargs) -> Activity:
    activity, _ = services.activity_create(
        actor=actor,
        plan_id=plan.pk,
        title=kwargs.pop("title", f"Activity at +{start_hour}h"),
        starts_at=at(plan, start_hour),
        ends_at=at(plan, start_hour + hours),
        **kwargs,
    )
    return activity


def set_status(plan: Plan, status: str) -> Plan:
    """Put a plan in a status directly (test setup only; services are tested separately)."""
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan


def iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def plan_url(plan_or_id, suffix: str = "") -> str:
    plan_id = getattr(plan_or_id, "pk", plan_or_id)
    return f"/api/v1/plans/{plan_id}{suffix}"


def activity_url(activity_or_id, suffix: str = "") -> str:
    activity_id = getattr(activity_or_id, "pk", activity_or_id)
    return f"/api/v1/activities/{activity_id}{suffix}"


def plan_topic(plan) -> str:
    return f"plan:{getattr(plan, 'pk', plan)}"
