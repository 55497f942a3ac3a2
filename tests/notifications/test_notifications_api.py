"""GET notifications, unread-count, POST notifications/{id}/read and read-all."""

import pytest

from planpal.core.exceptions import InvalidInput
from planpal.notifications.models import Notification
from planpal.notifications.services import notification_create
from tests.conftest import assert_error

URL = "/api/v1/notifications"


def test_creating_a_notification_announces_it_on_the_users_topic(alice, client_for, events):
    notification = notification_create(
        user=alice, kind="plan.reminder", title="Lisbon in 1 hour", body="Pack!", data={"plan": 4}
    )

    [(seq, name, payload)] = events(f"user:{alice.pk}")
    assert (seq, name) == (1, "notification.created")
    [listed] = client_for(alice).get(URL).json()["results"]
    assert payload == listed
    assert listed == {
        "id": notification.pk,
        "kind": "plan.reminder",
        "title": "Lisbon in 1 hour",
        "body": "Pack!",
        "data": {"plan": 4},
        "count": 1,
        "created_at": listed["created_at"],
        "read_at": None,
    }


def test_undocumented_kind_is_refused(alice):
    with pytest.raises(InvalidInput):
        notification_create(user=alice, kind="spam", title="Buy now")
    assert not Notification.objects.exists()


def test_long_titles_are_cut_to_fit(alice):
    notification = notification_create(user=alice, kind="chat.message", title="x" * 500)

    assert len(notification.title) == 200


def test_list_is_newest_first_and_only_mine(alice, bob, client_for, notify):
    notify(alice, "one")
    notify(bob, "bob's")
    notify(alice, "two")

    body = client_for(alice).get(URL).json()

    assert [n["title"] for n in body["results"]] == ["two", "one"]


def test_unread_filter(alice, client_for, notify):
    read = notify(alice, "read")
    notify(alice, "unread")
    client = client_for(alice)
    client.post(f"{URL}/{read.pk}/read")

    titles = [n["title"] for n in client.get(URL, {"unread": "true"}).json()["results"]]

    assert titles == ["unread"]
    assert len(client.get(URL, {"unread": "false"}).json()["results"]) == 2


def test_bad_unread_filter_is_rejected(alice, client_for):
    assert_error(client_for(alice).get(URL, {"unread": "perhaps"}), 400, "invalid")


def test_cursor_pages_are_stable_under_inserts(alice, client_for, notify):
    for index in range(5):
        notify(alice, f"n{index}")
    client = client_for(alice)

    first = client.get(URL, {"limit": 3}).json()
    notify(alice, "newer")
    second = client.get(first["next"]).json()

    assert [n["title"] for n in first["results"]] == ["n4", "n3", "n2"]
    assert [n["title"] for n in second["results"]] == ["n1", "n0"]


def test_unread_count_with_stream(alice, client_for, notify, events):
    notify(alice)
    notify(alice)

    body = client_for(alice).get(f"{URL}/unread-count").json()

    assert body == {"count": 2, "stream": {"topic": f"user:{alice.pk}", "seq": 2}}


def test_mark_one_read(alice, client_for, notify, events):
    notification = notify(alice)

    response = client_for(alice).post(f"{URL}/{notification.pk}/read")

    assert response.status_code == 200
    read_at = response.json()["read_at"]
    assert read_at is not None
    *_, (_, name, payload) = events(f"user:{alice.pk}")
    assert (name, payload) == ("notification.read", {"ids": [notification.pk], "read_at": read_at})


def test_marking_read_twice_announces_once(alice, client_for, notify, events):
    notification = notify(alice)
    client = client_for(alice)

    first = client.post(f"{URL}/{notification.pk}/read").json()
    again = client.post(f"{URL}/{notification.pk}/read").json()

    assert first == again
    assert [name for _, name, _ in events(f"user:{alice.pk}")] == [
        "notification.created",
        "notification.read",
    ]


def test_someone_elses_notification_is_404(alice, bob, client_for, notify, events):
    notification = notify(alice)

    assert_error(client_for(bob).post(f"{URL}/{notification.pk}/read"), 404, "not_found")
    assert Notification.objects.get(pk=notification.pk).read_at is None
    assert events(f"user:{bob.pk}") == []


def test_unknown_notification_is_404(alice, client_for):
    assert_error(client_for(alice).post(f"{URL}/999999/read"), 404)
    assert_error(client_for(alice).post(f"{URL}/{10**30}/read"), 404)


def test_read_all_marks_only_mine_with_one_event(alice, bob, client_for, notify, events):
    already = notify(alice, "already read")
    client = client_for(alice)
    client.post(f"{URL}/{already.pk}/read")
    ids = [notify(alice, f"n{index}").pk for index in range(3)]
    bobs = notify(bob, "bob's")

    body = client.post(f"{URL}/read-all").json()

    assert body == {"count": 3, "ids": ids}
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=bobs.pk).read_at is None
    *_, (_, name, payload) = events(f"user:{alice.pk}")
    assert name == "notification.read"
    assert payload["ids"] == ids


def test_read_all_with_nothing_unread_announces_nothing(alice, client_for, events):
    assert client_for(alice).post(f"{URL}/read-all").json() == {"count": 0, "ids": []}
    assert events(f"user:{alice.pk}") == []


def test_anonymous_gets_401(anon, notify, alice):
    notification = notify(alice)
    for method, url in [
        ("get", URL),
        ("get", f"{URL}/unread-count"),
        ("post", f"{URL}/{notification.pk}/read"),
        ("post", f"{URL}/read-all"),
    ]:
        assert_error(getattr(anon, method)(url), 401, "not_authenticated")
    assert Notification.objects.get(pk=notification.pk).read_at is None


@pytest.mark.parametrize("limit", ["abc", "0", "-1", "2.5"])
def test_a_bad_page_size_is_rejected(alice, client_for, limit):
    error = assert_error(client_for(alice).get(f"{URL}?limit={limit}"), 400, "invalid")
    assert set(error["fields"]) == {"limit"}


def test_a_page_size_limits_the_page(alice, client_for, notify):
    for index in range(3):
        notify(alice, f"n{index}")
    response = client_for(alice).get(f"{URL}?limit=2")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
