"""Crafted pagination cursors (issue 13 #12): every cursor-paginated list answers 400 `invalid`
naming `cursor`, never 500 (a position that is not a number reached the database) or 404."""

import base64
import json

import pytest

from planpal.webhooks.models import WebhookEndpoint
from tests.conftest import assert_error
from tests.factories import insert_plan, make_group


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CRAFTED = [
    b64("p=abc"),  # the position is compared with an integer column
    b64("p=1e999"),
    b64("p=99999999999999999999999999999"),
    b64("o=-1&p=3"),
    b64("r=x"),
    b64("o=9" * 30),
    "not base64!",
    "éé",
    b64(json.dumps({"k": ["x", "y"], "b": 0})),  # keyset lists: wrong types
    b64(json.dumps({"k": ["0001-01-01T00:00:00+01:00", 1], "b": 0})),
    b64(json.dumps({"k": ["2026-01-01T00:00:00", 1], "b": 0})),  # a time without offset
    b64(json.dumps({"k": [1, 2, 3], "b": 2})),
    b64(json.dumps([[[[[]]]]])),
    b64("\xff\xfe"),
]


@pytest.fixture
def lists(alice):
    group = make_group("Trip", owner=alice)
    plan = insert_plan(creator=alice, group=group)
    webhook = WebhookEndpoint.objects.create(group=group, created_by=alice, url="https://x.test")
    return [
        f"/api/v1/conversations/{group.conversation.pk}/messages",
        f"/api/v1/plans/{plan.pk}/events",
        f"/api/v1/groups/{group.pk}/events",
        "/api/v1/notifications",
        f"/api/v1/webhooks/{webhook.pk}/deliveries",
        "/api/v1/plans",
        "/api/v1/conversations",
    ]


@pytest.mark.parametrize("cursor", CRAFTED)
def test_a_crafted_cursor_is_a_400_on_every_cursor_paginated_list(client_for, alice, lists, cursor):
    client = client_for(alice)
    for url in lists:
        error = assert_error(client.get(url, {"cursor": cursor}), 400, "invalid")
        assert set(error["fields"]) == {"cursor"}, url


def test_the_cursors_the_server_hands_out_still_work(client_for, alice, lists):
    client = client_for(alice)
    for index in range(3):
        make_group(f"more {index}", owner=alice)
        insert_plan(f"more {index}", creator=alice)
    for url in ("/api/v1/plans", "/api/v1/conversations"):
        first = client.get(url, {"limit": 1}).json()
        second = client.get(first["next"])
        assert second.status_code == 200, url
        assert second.json()["results"] != first["results"]
