"""The SSE stream's own rules, without a server: the bounded buffer, revocation, positions."""

import pytest

from planpal.core.events import EVERYONE
from planpal.realtime import admission
from planpal.realtime.sse import EventStreamConsumer, Refusal, parse_request
from planpal.realtime.sse_refusals import not_admitted, refusal_body
from planpal.realtime.subscriptions import NotAdmitted, Subscription


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


VI = [(b"accept-language", b"vi-VN,vi;q=0.9,en;q=0.8")]


def written(refusal: Refusal, headers=(), profile: str = "") -> dict:
    return refusal_body(refusal, {"headers": list(headers)}, profile)["error"]


def test_a_refusal_is_written_in_the_language_of_the_request(settings):
    settings.SSE_MAX_TOPICS = 2
    with pytest.raises(Refusal) as refused:
        parse_request(scope("topics=plan:1,plan:2,plan:3"))
    english = "At most 2 topics per stream: follow fewer, or open another stream."
    vietnamese = (
        "Mỗi luồng theo dõi tối đa 2 chủ đề: hãy theo dõi ít hơn, hoặc mở thêm một luồng khác."
    )
    assert written(refused.value) == {
        "code": "too_many_subscriptions",
        "message": english,
        "fields": {"topics": [english]},
    }
    assert written(refused.value, VI) == {
        "code": "too_many_subscriptions",
        "message": vietnamese,
        "fields": {"topics": [vietnamese]},
    }
    # Once the request is authenticated, the profile's language wins over the header.
    assert written(refused.value, VI, profile="en")["message"] == english
    assert written(refused.value, profile="vi")["message"] == vietnamese


def test_a_malformed_topic_is_named_after_the_translated_message():
    with pytest.raises(Refusal) as refused:
        parse_request(scope("topics=plan:1,chat:1"))
    error = written(refused.value, VI)
    assert error["message"] == "Chủ đề không tồn tại hoặc sai định dạng."
    assert error["fields"] == {"topics": ["Chủ đề không tồn tại hoặc sai định dạng. 'chat:1'"]}


def test_admission_refusals_are_translated_too(settings):
    limit = settings.REALTIME["MAX_CONNECTIONS_PER_USER"]
    too_many = not_admitted(NotAdmitted(admission.TOO_MANY_CONNECTIONS))
    assert written(too_many)["message"] == (
        f"You hold {limit} live connections (WebSockets and streams): close one first."
    )
    assert written(too_many, VI) == {
        "code": "too_many_connections",
        "message": f"Bạn đang giữ {limit} kết nối trực tiếp (WebSocket và luồng sự kiện): "
        "hãy đóng bớt một kết nối trước.",
        "fields": {},
    }
    busy = not_admitted(NotAdmitted(admission.BUSY, 3))
    assert (busy.status, busy.headers) == (503, [(b"retry-after", b"3")])
    busy_vi = "Máy chủ đang bận; hãy thử lại, mỗi lần chờ lâu hơn lần trước."
    assert written(busy, VI)["message"] == busy_vi
    throttled = written(not_admitted(NotAdmitted(admission.ADDRESS_THROTTLED)), VI)
    assert throttled["code"] == "throttled"
    assert throttled["message"] == (
        "Địa chỉ của bạn có quá nhiều yêu cầu bị từ chối; hãy thử lại sau."
    )
