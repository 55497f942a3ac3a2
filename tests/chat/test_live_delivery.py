"""Chat over a real server: messages written over REST reach the other people's live connections
(group messages on the group topic, direct ones on each person's own user topic)."""

import pytest
from asgiref.sync import sync_to_async

from tests.factories import befriend, make_direct
from tests.realtime.conftest import connect, rest, server, trip  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def friends_with_a_conversation(a, b):
    befriend(a, b)
    return make_direct(a, b)


async def test_group_message_reaches_a_subscribed_member_with_its_client_id(
    server,  # noqa: F811
    trip,  # noqa: F811
    connect,  # noqa: F811
):
    bob = await connect(trip.bob)
    await bob.subscribe(trip.group_topic)
    await bob.next_frame(type="subscribed")
    conversation_id = await sync_to_async(lambda: trip.group.conversation.pk)()

    async with rest(server, trip.alice) as api:
        response = await api.post(
            f"/conversations/{conversation_id}/messages",
            json={"text": "Coffee?", "client_id": "a1"},
        )
    assert response.status_code == 201, response.text

    [event] = await bob.events(1)
    assert (event["topic"], event["event"]) == (trip.group_topic, "group.message_sent")
    assert event["client_id"] == "a1"
    assert event["actor"] == trip.alice.pk
    assert event["data"] == response.json()


async def test_direct_message_arrives_on_the_friends_own_topic_without_subscribing(
    server,  # noqa: F811
    trip,  # noqa: F811
    connect,  # noqa: F811
):
    direct = await sync_to_async(friends_with_a_conversation)(trip.alice, trip.bob)
    bob = await connect(trip.bob)

    async with rest(server, trip.alice) as api:
        response = await api.post(f"/conversations/{direct.pk}/messages", json={"text": "psst"})
    assert response.status_code == 201, response.text

    [event] = await bob.events(1)
    assert (event["topic"], event["event"]) == (f"user:{trip.bob.pk}", "direct.message_sent")
    assert event["data"]["text"] == "psst"
