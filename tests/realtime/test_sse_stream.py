"""The SSE stream's own rules, without a server: the bounded buffer, revocation, positions."""

import pytest

from planpal.core.events import EVERYONE
from planpal.realtime.sse import EventStreamConsumer, Refusal, parse_request
from planpal.realtime.subscriptions import Subscription


class FakeHub:
    def __init__(self) -> None:
        self.detached: list[str] = []
        self.left: list = []  # connections that gave back their slot

    def detach(self, topic, subscriber) -> None:
        self.detached.append(topic)

    def disconnected(self, connection) -> None:
        self.left.append(connection)


def stream(buffer: int = 5) -> EventStreamConsumer:
    consumer = EventStreamConsumer()
    consumer.conn_id, consumer.user_id, consumer.own_topic = "c1", 7, "user:7"
    consumer.hub, consumer.limit = FakeHub(), buffer
    consumer.registered = True  # admitted
    consumer.subs = {"plan:1": Subscription(revocable_after=3, last_seq=3, held=None)}
    consumer.subs["user:7"] = Subscription(revocable_after=0, held=None)
    consumer.pending, consumer.closing, consumer.ending = [], False, False

    class Wake:
        def set(self) -> None:
            pass

    consumer.wake = Wake()
    return consumer


def text(consumer) -> str:
    return b"".join(consumer.pending).decode()


def test_a_stream_that_cannot_keep_up_is_ended_not_grown():
    consumer = stream(buffer=5)
    for seq in range(4, 20):
        consumer.accept_event("plan:1", seq, "", f'{{"n":{seq}}}')
    assert consumer.closing and consumer.ending
    assert text(consumer).count("id: plan:1:") == 5
    assert text(consumer).endswith(": too slow: reconnect with Last-Event-ID\n\n")
    assert consumer.hub.detached == ["plan:1", "user:7"]
    assert consumer.hub.left == [consumer]  # its slot is free at once


def test_events_carry_topic_seq_ids_and_duplicates_are_dropped():
    consumer = stream()
    consumer.accept_event("plan:1", 4, "", '{"a":1}')
    consumer.accept_event("plan:1", 4, "", '{"a":1}')  # a republished duplicate
    consumer.accept_event("plan:1", 3, "", '{"old":1}')
    assert text(consumer) == 'id: plan:1:4\ndata: {"a":1}\n\n'


@pytest.mark.parametrize(
    ("topic", "seq", "revoked", "ends"),
    [
        ("plan:1", 4, "7", True),  # this user, after the authorisation check
        ("plan:1", 4, EVERYONE, True),
        ("plan:1", 4, "8", False),  # somebody else
        ("user:7", 1, "7", False),  # never on the user's own topic
    ],
)
def test_revocation_ends_the_stream_after_the_event(topic, seq, revoked, ends):
    consumer = stream()
    consumer.accept_event(topic, seq, revoked, "{}")
    assert consumer.closing is ends
    if ends:
        assert text(consumer) == (
            f"id: {topic}:{seq}\ndata: {{}}\n\n"
            f'data: {{"type":"unsubscribed","topic":"{topic}","reason":"revoked","ref":null}}\n\n'
            ": revoked\n\n"
        )


def test_a_revocation_older_than_the_check_does_not_apply():
    consumer = stream()
    consumer.subs["plan:1"].last_seq = 1  # replaying from 1; the check happened at head 3
    consumer.accept_event("plan:1", 2, "7", "{}")  # removed and re-added before subscribing
    assert not consumer.closing


def scope(query: str, last_event_id: str | None = None) -> dict:
    headers = [(b"last-event-id", last_event_id.encode())] if last_event_id else []
    return {"query_string": query.encode(), "headers": headers}


def test_positions_come_from_since_and_last_event_id_newest_wins():
    request = parse_request(
        scope("topics=plan:1,group:2&since=plan:1:5,group:2:9", last_event_id="plan:1:8")
    )
    assert request.topics == ["plan:1", "group:2"]
    assert request.positions == {"plan:1": 8, "group:2": 9}
    assert parse_request(scope("topics=plan:1&since=4")).positions == {"plan:1": 4}
    # Last-Event-ID of another stream (the client changed its topics) is ignored.
    assert parse_request(scope("topics=plan:1", last_event_id="group:3:7")).positions == {}
    with pytest.raises(Refusal):
        parse_request(scope("topics=plan:1,group:2&since=4"))  # bare seq, but two topics
