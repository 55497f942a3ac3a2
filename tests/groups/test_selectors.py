"""Group reads the realtime gateway asks for many users at once."""

import pytest

from planpal.groups.selectors import group_ids_of_users
from planpal.realtime.presence import audiences
from tests.factories import make_group

pytestmark = pytest.mark.django_db


def test_each_users_groups_come_in_one_query(alice, bob, carol, dave, django_assert_num_queries):
    lisbon = make_group("Lisbon", owner=alice, members=[bob])
    porto = make_group("Porto", owner=bob)
    asked = [alice.pk, bob.pk, dave.pk]

    with django_assert_num_queries(1):
        found = group_ids_of_users(user_ids=asked)

    assert found.keys() == set(asked)
    assert found[alice.pk] == [lisbon.pk]
    assert sorted(found[bob.pk]) == sorted([lisbon.pk, porto.pk])
    assert found[dave.pk] == []  # in no group: announced to no one


def test_presence_is_announced_to_the_group_topics_of_each_user(alice, bob, dave):
    lisbon = make_group("Lisbon", owner=alice, members=[bob])

    assert audiences([alice.pk, dave.pk]) == {alice.pk: [f"group:{lisbon.pk}"], dave.pk: []}
