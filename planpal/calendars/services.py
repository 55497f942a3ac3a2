"""Writes of calendar feeds: make a feed URL on first ask, rotate it when it leaked.

No event is emitted: a feed URL is a credential, and an event is stored and replayed to every
device of the user long after a rotation (the same reason file URLs stay out of events)."""

from django.db import transaction
from django.utils import timezone

from planpal.accounts.models import User
from planpal.calendars import tokens
from planpal.calendars.models import CalendarFeed
from planpal.plans.models import Plan
from planpal.plans.selectors import plan_for_member


def _scope(*, actor: User, plan_id: int | None) -> tuple[str, Plan | None]:
    if plan_id is None:
        return CalendarFeed.ALL_PLANS, None
    plan = plan_for_member(user=actor, plan_id=plan_id)  # NotFound for a non-member
    return f"plan:{plan.pk}", plan


def _renew(feed: CalendarFeed, *, user: User) -> None:
    feed.secret = tokens.new_secret()
    feed.token_hash = tokens.hash_of(tokens.token_of(feed.secret))
    feed.token_version = user.token_version
    feed.rotated_at = timezone.now()
    feed.save()


def _opens(feed: CalendarFeed, *, user: User) -> bool:
    """Does the URL the owner would be shown still open this feed? Not after a password change
    (token_version) or a new SECRET_KEY (the token derives from it)."""
    token = tokens.token_of(feed.secret)
    return feed.token_version == user.token_version and tokens.hash_of(token) == feed.token_hash


def calendar_feed_get(*, actor: User, plan_id: int | None = None) -> tuple[CalendarFeed, str]:
    """The actor's feed of all their plans (or of one plan they can see) and its URL token;
    made on the first ask, and made anew if its old URL no longer opens it."""
    return _feed(actor=actor, plan_id=plan_id, rotate=False)


def calendar_feed_rotate(*, actor: User, plan_id: int | None = None) -> tuple[CalendarFeed, str]:
    """A new URL for the feed; the old one answers 404 from the commit on."""
    return _feed(actor=actor, plan_id=plan_id, rotate=True)


def _feed(*, actor: User, plan_id: int | None, rotate: bool) -> tuple[CalendarFeed, str]:
    with transaction.atomic():
        # The user row serialises a user's feed writes: two first asks must not both insert.
        user = User.objects.select_for_update().get(pk=actor.pk)
        scope, plan = _scope(actor=user, plan_id=plan_id)
        feed = CalendarFeed.objects.filter(user=user, scope=scope).first()
        if feed is None:
            feed = CalendarFeed(user=user, plan=plan, scope=scope)
            _renew(feed, user=user)
        elif rotate or not _opens(feed, user=user):
            _renew(feed, user=user)
    return feed, tokens.token_of(feed.secret)
