"""Transactional outbox: the domain-signal receiver that turns each emitted event into an Event row
with the next gap-free seq of its topic, inside the emitting transaction, publishes it after
commit, and hands it to the listeners registered for it (`realtime.fanout`)."""

from django.db import connection

from planpal.core.events import DomainEvent
from planpal.realtime import fanout
from planpal.realtime.models import Event, TopicSequence
from planpal.realtime.publisher import publish_on_commit


def next_seq(topic: str) -> int:
    """Allocate the topic's next seq with one atomic upsert. The row lock it takes is held until
    our transaction ends, so concurrent writers to one topic queue up and seqs never repeat or
    skip; a rollback returns the seq. (An UPDATE-then-INSERT fallback deadlocks on InnoDB when
    several transactions create the same topic at once, hence the vendor upsert.)"""
    table = connection.ops.quote_name(TopicSequence._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute(
                f"INSERT INTO {table} (topic, last_seq) VALUES (%s, 1) "
                "ON DUPLICATE KEY UPDATE last_seq = last_seq + 1",
                [topic],
            )
            cursor.execute(f"SELECT last_seq FROM {table} WHERE topic = %s", [topic])
        else:  # PostgreSQL and SQLite
            cursor.execute(
                f"INSERT INTO {table} (topic, last_seq) VALUES (%s, 1) "
                f"ON CONFLICT (topic) DO UPDATE SET last_seq = {table}.last_seq + 1 "
                "RETURNING last_seq",
                [topic],
            )
        return cursor.fetchone()[0]


def write_event(
    *, event: DomainEvent, topic: str, actor_id: int | None, client_id: str | None, **_: object
) -> Event:
    row = Event.objects.create(
        topic=topic,
        seq=next_seq(topic),
        name=event.name,
        actor_id=actor_id,
        client_id=client_id,
        payload=event.data(),
    )
    publish_on_commit(row)
    fanout.hand_over(row)
    return row
