"""Hostile WebSocket frames against a real server: random JSON, wrong types, huge frames, binary,
invalid UTF-8. Each gets an error frame or a documented close code; the server stays up and a
bystander's connection keeps receiving its events."""

import contextlib
import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.realtime.conftest import token_for

pytestmark = pytest.mark.django_db(transaction=True)

# Answers a connection may give to garbage, and close codes it may end with (docs/realtime.md).
ANSWERS = {"error", "pong", "subscribed", "unsubscribed", "presence", "heartbeat", "event"}
CLOSE_CODES = {1007, 1009, 4008}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
ops = st.sampled_from(["subscribe", "unsubscribe", "ping", "typing", "presence", "", "SUBSCRIBE"])
frames = st.one_of(
    st.fixed_dictionaries(
        {"op": ops},
        optional={
            "topic": json_values | st.sampled_from(["plan:1", "group:1", "user:1", "plan:0"]),
            "since": json_values,
            "ref": json_values,
        },
    ).map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=200),
    st.binary(max_size=200),
    st.just("x" * 70_000),
    st.just(b"\xff\xfe\xfd"),  # sent as a *text* frame: invalid UTF-8
)


def ticket(server, user) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/realtime/ticket",
        headers={"Authorization": f"Bearer {token_for(user)}"},
        timeout=10,
    )
    return response.json()["ticket"]


def answer_or_close(ws) -> str:
    """The next frame's type (skipping the welcome), or "closed <code>"."""
    try:
        while True:
            frame = json.loads(ws.recv(timeout=5))
            if frame.get("type") == "subscribed" and frame.get("ref") is None:
                continue
            return frame["type"]
    except ConnectionClosed as closed:
        return f"closed {closed.rcvd.code if closed.rcvd else None}"
    except TimeoutError:
        return "silence"


def test_garbage_frames_get_errors_or_documented_closes(server, trip):
    bystander = connect(f"{server.ws_url}?ticket={ticket(server, trip.alice)}")
    bystander.send(json.dumps({"op": "subscribe", "topic": trip.plan_topic, "ref": "w"}))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(frame=frames)
    def fuzz(frame):
        with connect(f"{server.ws_url}?ticket={ticket(server, trip.bob)}") as ws:
            if isinstance(frame, bytes) and frame == b"\xff\xfe\xfd":
                ws.send(frame, text=True)
            else:
                ws.send(frame)
            with contextlib.suppress(ConnectionClosed):  # the server may have closed already
                ws.send('{"op":"ping","ref":"after"}')
            outcome = answer_or_close(ws)
            allowed = ANSWERS | {f"closed {code}" for code in CLOSE_CODES}
            assert outcome in allowed, (frame[:100], outcome)

    fuzz()
    # The server is up and the bystander still hears its topic.
    response = httpx.post(
        f"{server.url}/api/v1/activities/{trip.activities[0].pk}/complete",
        headers={"Authorization": f"Bearer {token_for(trip.alice)}"},
        timeout=10,
    )
    assert response.status_code == 200
    while True:
        frame = json.loads(bystander.recv(timeout=10))
        if frame.get("type") == "event":
            break
    assert frame["event"] == "plan.activity_completed"
    bystander.close()
