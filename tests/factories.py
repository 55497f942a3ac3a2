"""Builders shared by the app tests. Groups, friendships, conversations and plans are written
straight with the ORM, so a test depends only on the models it builds and the log holds no events
from the setup; `befriend_through_services` is the exception, for tests that want those events."""

from datetime import timedelta

from django.utils import timezone

from planpal.accounts import services as accounts
from planpal.accounts.models import Friendship
from planpal.accounts.selectors import canonical_pair
from planpal.chat.models import Conversation
from planpal.chat.services import conversation_create_for_group
from planpal.groups.models import Group, Membership
from planpal.plans.models import Activity, Plan


def make_group(name: str, *, owner, admins=(), members=()) -> Group:
    """A group with its conversation; `owner` owns it, the others join with their roles."""
    group = Group.objects.create(name=name, owner=owner)
    conversation_create_for_group(group=group)
    Membership.objects.create(group=group, user=owner, role=Membership.Role.OWNER)
    for user in admins:
        Membership.objects.create(group=group, user=user, role=Membership.Role.ADMIN)
    for user in members:
        Membership.objects.create(group=group, user=user, role=Membership.Role.MEMBER)
    return group


def befriend(a, b, *, status: str = Friendship.Status.ACCEPTED) -> Friendship:
    """A friendship row that `a` requested, in `status` (accepted unless told otherwise)."""
    low, high = canonical_pair(a.pk, b.pk)
    return Friendship.objects.create(
        user_low_id=low, user_high_id=high, status=status, requested_by=a
    )


def befriend_through_services(a, b) -> None:
    """`a` asks, `b` accepts, through the accounts services: the friend events are in the log."""
    accounts.friend_request(actor=a, user_id=b.pk)
    accounts.friend_accept(actor=b, user_id=a.pk)


def make_direct(a, b) -> Conversation:
    low, high = canonical_pair(a.pk, b.pk)
    return Conversation.objects.create(
        kind=Conversation.Kind.DIRECT, user_low_id=low, user_high_id=high
    )


def insert_plan(
    title: str = "Trip", *, creator, group=None, participants=(), start=None, **fields
) -> Plan:
    """A two-day plan from `start` (a week from now unless told), written without the plans
    services (no events); `fields` are the Plan's other columns (status, timezone, ...)."""
    start = start or timezone.now() + timedelta(days=7)
    plan = Plan.objects.create(
        title=title,
        creator=creator,
        group=group,
        start_at=start,
        end_at=start + timedelta(days=2),
        **fields,
    )
    if participants:
        plan.participants.set(participants)
    return plan


def make_trip_plan(group, *, creator, start, title: str = "Dalat", **fields) -> Plan:
    """`insert_plan` with three one-hour activities two hours apart (Coffee, Market, Lake);
    `plan.activities_made`."""
    plan = insert_plan(title, creator=creator, group=group, start=start, **fields)
    plan.activities_made = [
        Activity.objects.create(
            plan=plan,
            title=name,
            position=index,
            created_by=creator,
            starts_at=start + timedelta(hours=2 * index),
            ends_at=start + timedelta(hours=2 * index + 1),
        )
        for index, name in enumerate(["Coffee", "Market", "Lake"])
    ]
    return plan
