"""Build groups, friendships and plans straight with the ORM (not through other apps' services),
so the chat and notification tests depend only on the models."""

from datetime import timedelta

from django.utils import timezone

from planpal.accounts.models import Friendship
from planpal.accounts.selectors import canonical_pair
from planpal.chat.models import Conversation
from planpal.chat.services import conversation_create_for_group
from planpal.groups.models import Group, Membership
from planpal.plans.models import Plan


def make_group(name: str, *, owner, members=(), admins=()) -> Group:
    group = Group.objects.create(name=name, owner=owner)
    Membership.objects.create(group=group, user=owner, role=Membership.Role.OWNER)
    for user in admins:
        Membership.objects.create(group=group, user=user, role=Membership.Role.ADMIN)
    for user in members:
        Membership.objects.create(group=group, user=user, role=Membership.Role.MEMBER)
    conversation_create_for_group(group=group)
    return group


def befriend(a, b, *, status: str = Friendship.Status.ACCEPTED) -> Friendship:
    low, high = canonical_pair(a.pk, b.pk)
    return Friendship.objects.create(
        user_low_id=low, user_high_id=high, status=status, requested_by=a
    )


def make_direct(a, b) -> Conversation:
    low, high = canonical_pair(a.pk, b.pk)
    return Conversation.objects.create(
        kind=Conversation.Kind.DIRECT, user_low_id=low, user_high_id=high
    )


def make_plan(title: str, *, creator, group=None, participants=()) -> Plan:
    start = timezone.now() + timedelta(days=7)
    plan = Plan.objects.create(
        title=title, creator=creator, group=group, start_at=start, end_at=start + timedelta(days=2)
    )
    plan.participants.set(participants)
    return plan
