"""Concurrent writers on one conversation: no deadlock, no duplicate, gap-free event seqs.
Meaningful on MariaDB/MySQL (row locks); on SQLite writers simply queue up."""

import threading

import pytest
from django.db import DatabaseError, connection, connections

from planpal.chat import services
from planpal.chat.models import Conversation, Message
from planpal.core.exceptions import DomainError
from planpal.realtime.models import Event
from tests.factories import befriend, make_group

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    """Start every job at the same moment on its own connection; return results or exceptions."""
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("an in-memory SQLite database cannot be shared between threads")
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except (DatabaseError, DomainError) as exc:  # deadlock, lock timeout, refusal
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_retries_make_one_message(alice, bob):
    group = make_group("Trip", owner=alice, members=[bob])
    conversation = group.conversation

    def send():
        message, _ = services.message_send(
            actor=alice, conversation=conversation, text="Hi", client_id="same"
        )
        return message.pk

    results = run_together(*[send] * 4)

    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Message.objects.count() == 1
    assert Event.objects.filter(topic=f"group:{group.pk}").count() == 1


def test_many_people_writing_and_reading_at_once_do_not_deadlock(alice, bob, carol, dave):
    group = make_group("Trip", owner=alice, members=[bob, carol, dave])
    conversation = group.conversation
    services.message_send(actor=alice, conversation=conversation, text="first")

    def send(user, index):
        return lambda: services.message_send(
            actor=user, conversation=conversation, text=f"m{index}", client_id=f"c{index}"
        )

    def read(user):
        return lambda: services.conversation_mark_read(actor=user, conversation=conversation)

    jobs = [send(u, i) for i, u in enumerate([alice, bob, carol, dave])]
    jobs += [read(u) for u in (bob, carol, dave)]
    results = run_together(*jobs)

    assert not [r for r in results if isinstance(r, Exception)], results
    seqs = list(
        Event.objects.filter(topic=f"group:{group.pk}")
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    assert Message.objects.count() == 5


def test_both_friends_opening_the_conversation_at_once_get_the_same_one(alice, bob):
    befriend(alice, bob)

    results = run_together(
        lambda: services.direct_conversation_get_or_create(actor=alice, other_user_id=bob.pk)[0].pk,
        lambda: services.direct_conversation_get_or_create(actor=bob, other_user_id=alice.pk)[0].pk,
    )

    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert Conversation.objects.filter(kind="direct").count() == 1
