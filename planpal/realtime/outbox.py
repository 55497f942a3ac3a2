"""Transactional outbox: the domain-signal receiver that turns each emitted event into an Event row
with the next gap-free seq of its topic, inside the emitting transaction, and publishes it after
commit."""

from django.db import IntegrityError, transaction
from django.db.models import F

from planpal.core.events import DomainEvent
from planpal.realtime.models import Event, TopicSequence
from planpal.realtime.publisher import publish_on_commit


def next_seq(topic: str) -> int:
    """Allocate the topic's next seq. The UPDATE takes a row lock held until our transaction ends,
    so concurrent writers to one topic queue up and seqs never repeat or skip."""
    updated = TopicSequence.objects.filter(topic=topic).update(last_seq=F("last_seq") + 1)
    if not updated:
        try:
            with transaction.atomic():
                TopicSequence.objects.create(topic=topic, last_seq=1)
            return 1
        except IntegrityError:
            # Another transaction created the row first; it is locked by them until they commit.
            TopicSequence.objects.filter(topic=topic).update(last_seq=F("last_seq") + 1)
    return TopicSequence.objects.values_list("last_seq", flat=True).get(topic=topic)


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
    return row
