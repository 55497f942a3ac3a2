import pytest

from planpal.accounts import services as accounts
from planpal.groups import services


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are hashed once per test; the production hasher makes that slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def befriend(a, b) -> None:
    accounts.friend_request(actor=a, user_id=b.pk)
    accounts.friend_accept(actor=b, user_id=a.pk)


@pytest.fixture
def trip(alice, bob, carol, dave):
    """Alice's group: alice owner, bob admin, carol member; dave is everyone's friend, no member.
    Built through the real services, so its events are in the log too."""
    for user in (bob, carol, dave):
        befriend(alice, user)
    befriend(bob, dave)
    group = services.group_create(actor=alice, name="Lisbon", description="Pastéis de nata")
    services.member_add(actor=alice, group_id=group.pk, user_id=bob.pk)
    services.member_set_role(actor=alice, group_id=group.pk, user_id=bob.pk, role="admin")
    services.member_add(actor=alice, group_id=group.pk, user_id=carol.pk)
    return group


@pytest.fixture
def since(events):
    """since(topic) → a reader of the events appended to that topic after this call."""

    def mark(topic: str):
        start = len(events(topic))
        return lambda: events(topic)[start:]

    return mark
