"""The transactional outbox: typed events, gap-free per-topic seqs, rollback, retention."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from pydantic import ValidationError

from planpal.core.events import DomainEvent, emit
from planpal.realtime.models import Event
from planpal.realtime.selectors import topic_head
from planpal.realtime.services import events_prune
from planpal.realtime.store import replay


class OutboxProbe(DomainEvent):
    name = "test.outbox_probe"
    n: int


def emit_probe(topic: str, n: int) -> None:
    with transaction.atomic():
        emit(OutboxProbe(n=n), topic=topic)


def test_typed_event_rejects_unknown_and_missing_fields():
    with pytest.raises(ValidationError):
        OutboxProbe(n=1, extra="nope")
    with pytest.raises(ValidationError):
        OutboxProbe()


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="outside a transaction"):
        emit(OutboxProbe(n=1), topic="plan:1")
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_leaves_no_event_and_no_hole():
    emit_probe("plan:7", 1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        emit(OutboxProbe(n=2), topic="plan:7")
        raise ZeroDivisionError
    emit_probe("plan:7", 3)
    rows = list(Event.objects.filter(topic="plan:7").order_by("seq").values_list("seq", "payload"))
    assert rows == [(1, {"n": 1}), (2, {"n": 3})]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gap_free_unique_seqs():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row-lock path needs MariaDB/PostgreSQL")
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for n in range(10):
                emit_probe("plan:99", offset + n)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i * 100,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seqs = list(Event.objects.filter(topic="plan:99").order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 61))
    assert topic_head("plan:99") == 60


@pytest.mark.django_db(transaction=True)
def test_retention_keeps_recent_events_and_the_newest_per_topic():
    for n in range(10):
        emit_probe("plan:5", n)
    old = timezone.now() - timedelta(days=30)
    Event.objects.filter(topic="plan:5").update(created_at=old)
    emit_probe("plan:5", 10)

    assert events_prune(days=7, keep_per_topic=4) == 7
    assert list(
        Event.objects.filter(topic="plan:5").values_list("seq", flat=True).order_by("seq")
    ) == [8, 9, 10, 11]
    events, head, recovered = replay("plan:5", since=3)
    assert (events, head, recovered) == ([], 11, False)
    events, head, recovered = replay("plan:5", since=7)
    assert recovered is True and [e[0] for e in events] == [8, 9, 10, 11]
