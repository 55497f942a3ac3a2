"""The event log: transactional outbox and replay source, with per-topic gap-free sequences."""

import uuid

from django.db import models


class TopicSequence(models.Model):
    """The head of each topic. Incremented under a row lock in the writer's transaction, so seqs
    are gap-free: a rolled-back write rolls its increment back too."""

    topic = models.CharField(max_length=64, primary_key=True)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.topic}@{self.last_seq}"


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(max_length=64)
    seq = models.BigIntegerField()
    name = models.CharField(max_length=64)
    actor_id = models.BigIntegerField(null=True, blank=True)
    client_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - null = none
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Listeners that run after commit (`realtime.fanout`, e.g. the notifications of the people
    # told about it) still owe this row their work. Set in the writing transaction, cleared in
    # the one that does the work: a crash in between leaves it set for the sweep.
    fanout_pending = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "seq"], name="event_topic_seq")]
        # The claim reads pending rows by (topic, seq) straight from this index.
        indexes = [
            models.Index(fields=["fanout_pending", "topic", "seq"], name="event_fanout_pending")
        ]

    def __str__(self) -> str:
        return f"{self.topic}#{self.seq} {self.name}"
