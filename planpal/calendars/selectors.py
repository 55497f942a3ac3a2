"""Reads of calendar feeds: which feed a URL token opens, and what that feed shows right now.

Membership is checked at every fetch, never at issue: a member removed from a group stops seeing
its plans in their feeds on the calendar's next poll."""

from django.db.models import Prefetch

from planpal.calendars import tokens
from planpal.calendars.models import CalendarFeed
from planpal.plans.models import Activity, Plan
from planpal.plans.selectors import is_plan_member, plans_for_user


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a token opens, or None: unknown, rotated, made before a password change, made
    with another SECRET_KEY, or of a deactivated account — all alike to the caller."""
    feed = (
        CalendarFeed.objects.select_related("user", "plan")
        .filter(token_hash=tokens.hash_of(token))
        .first()
    )
    if feed is None or not tokens.matches(token, feed.secret):
        return None
    if not feed.user.is_active or feed.token_version != feed.user.token_version:
        return None
    return feed


def _with_activities(plans):
    return plans.prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("starts_at", "id"))
    )


def feed_plans(feed: CalendarFeed) -> list[Plan]:
    """The plans the feed's owner may see now: all of them, or its one plan while they may."""
    if feed.plan is None:
        return list(_with_activities(plans_for_user(user=feed.user)))
    if not is_plan_member(user=feed.user, plan=feed.plan):
        return []
    return list(_with_activities(Plan.objects.filter(pk=feed.plan.pk)))
