import pytest

from planpal.groups import services
from tests.factories import befriend_through_services


@pytest.fixture
def trip(alice, bob, carol, dave):
    """Alice's group: alice owner, bob admin, carol member; dave is everyone's friend, no member.
    Built through the real services, so its events are in the log too."""
    for user in (bob, carol, dave):
        befriend_through_services(alice, user)
    befriend_through_services(bob, dave)
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
