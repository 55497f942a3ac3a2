"""Transactional outbox: the domain-signal receiver that turns each emitted event into an Event row
with the next gap-free seq of its topic, inside the emitting transaction, publishes it after
commit, and hands it to the listeners registered for it (`realtime.fanout`)."""

from collections import Counter

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
    return next_seqs({topic: 1})[topic]


def next_seqs(counts: dict[str, int]) -> dict[str, int]:
    """Allocate `counts[topic]` seqs on each topic in one statement (two on MySQL); returns each
    topic's first. The topics are locked in sorted order, so two bulk writers cannot deadlock
    on each other's sequence rows."""
    table = connection.ops.quote_name(TopicSequence._meta.db_table)
    topics = sorted(counts)
    rows = ", ".join(["(%s, %s)"] * len(topics))
    params = [value for topic in topics for value in (topic, counts[topic])]
    with connection.cursor() as cursor:
        if connection.vendor == "mysql":
            cursor.execute(
                f"INSERT INTO {table} (topic, last_seq) VALUES {rows} "
                "ON DUPLICATE KEY UPDATE last_seq = last_seq + VALUES(last_seq)",
                params,
            )
            marks = ", ".join(["%s"] * len(topics))
            cursor.execute(f"SELECT topic, last_seq FROM {table} WHERE topic IN ({marks})", topics)
        else:  # PostgreSQL and SQLite
            cursor.execute(
                f"INSERT INTO {table} (topic, last_seq) VALUES {rows} ON CONFLICT (topic) "
                f"DO UPDATE SET last_seq = {table}.last_seq + excluded.last_seq "
                "RETURNING topic, last_seq",
                params,
            )
        return {topic: last - counts[topic] + 1 for topic, last in cursor.fetchall()}


def write_events(
    *,
    events: list[tuple[DomainEvent, str]],
    actor_id: int | None,
    client_id: str | None,
    **_: object,
) -> list[Event]:
    """The rows of `events`, in their order, with consecutive seqs per topic."""
    seqs = next_seqs(Counter(topic for _, topic in events))
    rows = []
    for event, topic in events:
        row = Event(
            topic=topic,
            seq=seqs[topic],
            name=event.name,
            actor_id=actor_id,
            client_id=client_id,
            payload=event.data(),
        )
        row.fanout_pending = fanout.owed_after_commit(row)
        seqs[topic] += 1
        rows.append(row)
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    else:
        Event.objects.bulk_create(rows)
    publish_on_commit(rows)
    fanout.hand_over(rows)
    return rows
