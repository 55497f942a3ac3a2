"""The subscription core shared by the WebSocket consumer and the SSE stream: which topics a
connection follows, and the delivery guarantee — every event of a followed topic once, in seq
order, from the client's position on, with revocations applied from the authorisation check on.
The transports implement only delivery (`deliver_event`, `deliver_frame`), what a revocation
does beyond unsubscribing (`on_revoked`) and their buffer policy.

Subscribing without races (`check_topics`, then `follow` per topic):
1. The head *before* authorising, kept as `revocable_after`: the seq this process last delivered
   when it already follows the topic (at most the log's head, so it errs on the side of applying
   a revocation), else the log's head, read in the same worker-thread trip as the check. The own
   `user:<id>` topic has none: revocations never apply there.
2. Attach to the hub. From here on live frames of the topic are held, not delivered.
3. Replay from the client's `since` or, without one, from the head read before the check
   (whatever committed in between — a revocation, say — is replayed, never skipped): out of the
   hub's recent frames when they reach back far enough, else from the log.
4. `subscribed`, then replayed rows and held frames through `_take`, which drops seqs already
   delivered (replay and live overlap) and applies revocations.

A revocation that commits after the check has a seq above the head read before it, so it
applies; an older one (the user was removed and re-added before subscribing) does not.
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from planpal.core import metrics
from planpal.core.asgi_types import Receive, Scope, Send
from planpal.core.db import BatchedLookup, in_thread_pool
from planpal.core.events import CONNECTIONS, EVERYONE
from planpal.realtime import admission, store
from planpal.realtime.authorisers import authorised_many
from planpal.realtime.credentials import Credential, ended_by
from planpal.realtime.frames import dumps, unsubscribed_frame
from planpal.realtime.hub import Hub, Row
from planpal.realtime.selectors import stream_positions

db = in_thread_pool


@dataclass(eq=False)
class Subscription:
    revocable_after: int  # revocations with a higher seq apply to this connection
    last_seq: int = 0
    held: list[Row] | None = field(default_factory=list)  # live frames held while replaying


# A subscribe's check: (user_id, topics, the topics whose head this process does not know).
Check = tuple[int, tuple[str, ...], tuple[str, ...]]
HEADS_BATCH = 500  # topics per head query


def heads_then_authorise(checks: list[Check]) -> dict[Check, tuple[dict[str, int], set[str]]]:
    """One worker-thread trip for the subscribes of a burst (every connection's, see
    `_checks`): the heads of the unknown topics (read first), then which topics each user may
    follow. A constant number of queries however many topics and users: one per 500 heads,
    one per topic prefix and 150 (user, topic) pairs."""
    unknown = sorted({topic for _, _, topics in checks for topic in topics})
    heads: dict[str, int] = {}
    for start in range(0, len(unknown), HEADS_BATCH):
        positions = stream_positions(unknown[start : start + HEADS_BATCH])
        heads.update((topic, position["seq"]) for topic, position in positions.items())
    allowed = authorised_many([(user_id, topics) for user_id, topics, _ in checks])
    return {
        check: ({topic: heads[topic] for topic in check[2]}, topics)
        for check, topics in zip(checks, allowed, strict=True)
    }


# In a reconnect storm every connection subscribes within milliseconds of the others: their
# checks share one thread hop and a handful of queries instead of one of each per connection.
_checks: BatchedLookup[Check, tuple[dict[str, int], set[str]]] = BatchedLookup(
    heads_then_authorise, max_keys=200
)


class NotAdmitted(Exception):
    def __init__(self, reason: str, retry_after: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason  # admission.ADDRESS_THROTTLED, BUSY or TOO_MANY_CONNECTIONS
        self.retry_after = retry_after


class TopicSubscriber:
    """What a connection (WebSocket or SSE stream) is to the hub. Mixed into both transports,
    which set `hub`, `conn_id`, `subs = {}` and `closing`, then `admit()` the connection before
    subscribing."""

    hub: Hub
    scope: Scope
    conn_id: str
    user_id: int  # set by admit(): nothing reads it before
    credential: Credential
    own_topic: str
    subs: dict[str, Subscription]
    closing: bool
    registered = False
    watching = False  # attached to own_topic without following it (watch_own_topic)

    # ------------------------------------------------------------------ the connection
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """However the connection ends — a close, a handler that raised, a cancelled task — its
        slot in the per-user cap, its presence and its subscriptions are given back at once
        (Channels calls `disconnect` only for a disconnect message)."""
        try:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
        finally:
            self.release()

    async def admit(self, authenticate: Callable[[], Awaitable[Any]]) -> None:
        """The steps of admission.py, the same for every transport: the address's budget, the
        credential (`authenticate()`, whose `admission.HandshakeRefused` propagates after the
        address was charged for it), the user's cap, the process's connect budget. Once it
        returns the connection counts for its user; else NotAdmitted says why."""
        retry_after = admission.address_retry_after(self.scope)
        if retry_after is not None:
            metrics.rate_limited.labels("refused_handshakes_per_address").inc()
            raise NotAdmitted(admission.ADDRESS_THROTTLED, retry_after)
        try:
            credential = await authenticate()
        except admission.HandshakeRefused as refused:
            if refused.charges_address:
                admission.charge_refusal(self.scope)
            raise
        self.user_id, self.credential = credential.user_id, credential
        self.own_topic = f"user:{self.user_id}"
        limit = settings.REALTIME["MAX_CONNECTIONS_PER_USER"]
        if not await self.hub.presence.take_slot(self, limit):
            metrics.rate_limited.labels("connections_per_user").inc()
            raise NotAdmitted(admission.TOO_MANY_CONNECTIONS)
        # After the cap: a connection it refuses costs little and spends no one's budget.
        shed = admission.connect_shed()
        if shed is not None:
            self.hub.presence.give_back_slot(self)
            metrics.rate_limited.labels(shed).inc()
            raise NotAdmitted(admission.BUSY, admission.connect_retry_after())
        self.register()  # at once: take_slot's answer holds until the connection is counted

    def register(self) -> None:
        """The connection is admitted: it counts for its user (cap, presence) from now on."""
        self.registered = True
        self.last_active_wall = time.time()
        self.presence_touched = time.monotonic()
        self.hub.connected(self)

    def release(self) -> None:
        """Once, whichever path ends the connection first."""
        if not self.registered:
            return
        self.registered = False
        self.hub.disconnected(self)
        self.unfollow_all()

    # ------------------------------------------------------------------ the transport's part
    def deliver_event(self, topic: str, seq: int, frame: str) -> None:
        raise NotImplementedError

    def deliver_frame(self, frame: str) -> None:
        """A control frame (subscribed, unsubscribed, typing, presence, errors)."""
        raise NotImplementedError

    def on_revoked(self, topic: str) -> None:
        """After the revoking event and `unsubscribed {reason: "revoked"}` were delivered."""

    def on_credentials_revoked(self) -> None:
        """After the event that revoked this connection's credentials was delivered: end it."""
        raise NotImplementedError

    def accept_ephemeral(self, topic: str, frame: str) -> None:
        """A frame of the topic that is not an event (typing, presence changes)."""
        raise NotImplementedError

    def tick(self, now: float) -> None:
        """Housekeeping, every second: heartbeats and idle timeouts."""
        raise NotImplementedError

    def shut(self, code: int, reason: str = "") -> None:
        """End the connection from a synchronous path (hub, housekeeping, a revocation)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ subscribing
    async def check_topics(self, topics: list[str]) -> tuple[dict[str, int], list[str]]:
        """The head of each topic taken before authorising (step 1), and the topics refused."""
        known = {topic: self.hub.head(topic) for topic in topics}
        unknown = [topic for topic, head in known.items() if head is None]
        read, allowed = await _checks((self.user_id, tuple(topics), tuple(unknown)))
        heads = {topic: read[topic] if head is None else head for topic, head in known.items()}
        return heads, [topic for topic in topics if topic not in allowed]

    async def follow(
        self, topic: str, *, since: int | None, head_before: int | None, ref: Any = None
    ) -> None:
        """Steps 2-4. `head_before` is None only for the own topic, which starts at this
        process's head after attaching."""
        self.unfollow(topic)
        sub = self.subs[topic] = Subscription(revocable_after=head_before or 0)
        await self.hub.attach(topic, self)
        baseline = head_before if since is None else since
        try:
            rows, head, recovered = await self._replay(topic, baseline)
        except Exception:
            if self.subs.get(topic) is sub:  # not left holding live frames for ever
                self.unfollow(topic)
            raise
        if since is not None:
            metrics.replays.labels("true" if recovered else "false").inc()
        if self.subs.get(topic) is not sub or self.closing:
            return  # unsubscribed, revoked or closed meanwhile
        start = head if baseline is None else baseline
        sub.last_seq = start if recovered else head
        # Live from the check on: `seq` is where this subscription starts, not the head after
        # the replay (the replayed events up to the head follow).
        seq = start if since is None and recovered else head
        subscribed = {"type": "subscribed", "topic": topic, "seq": seq, "recovered": recovered}
        self.deliver_frame(dumps({**subscribed, "ref": ref}))
        held, sub.held = sub.held, None
        for seq, revoked, frame in rows + (held or []):
            if self.subs.get(topic) is not sub:
                break
            self._take(topic, sub, seq, revoked, frame)

    async def _replay(self, topic: str, baseline: int | None) -> tuple[list[Row], int, bool]:
        """(rows after baseline, head, recovered): from memory when it reaches back that far."""
        answer = self.hub.replay_from_memory(topic, baseline)
        if answer is not None:
            rows, head = answer
            return rows, head, True
        if baseline is None:
            return [], await db(store.topic_head)(topic), True
        return await db(store.replay)(topic, baseline)

    def unfollow(self, topic: str) -> bool:
        if self.subs.pop(topic, None) is None:
            return False
        self.hub.detach(topic, self)
        return True

    def unfollow_all(self) -> None:
        for topic in list(self.subs):
            self.hub.detach(topic, self)
        self.subs.clear()
        if self.watching:
            self.watching = False
            self.hub.detach(self.own_topic, self)

    async def watch_own_topic(self) -> None:
        """A connection that does not follow its user's topic (an SSE stream of other topics)
        still hears there that its credentials were revoked; nothing else of it is delivered."""
        self.watching = True
        await self.hub.attach(self.own_topic, self)

    # ------------------------------------------------------------------ frames from the hub
    def _end_if_revoked(self, rule: str) -> None:
        if not self.closing and ended_by(rule, self.credential):
            self.on_credentials_revoked()

    def accept_event(self, topic: str, seq: int, revoked: str, frame: str) -> None:
        sub = self.subs.get(topic)
        if sub is None:
            if self.watching and topic == self.own_topic and revoked.startswith(CONNECTIONS):
                self._end_if_revoked(revoked)
            return
        if sub.held is not None:
            sub.held.append((seq, revoked, frame))
            return
        self._take(topic, sub, seq, revoked, frame)

    def _take(self, topic: str, sub: Subscription, seq: int, revoked: str, frame: str) -> None:
        if seq <= sub.last_seq:
            return  # already delivered (replay and live overlap)
        sub.last_seq = seq
        self.deliver_event(topic, seq, frame)
        if not revoked or seq <= sub.revocable_after:
            return
        if revoked.startswith(CONNECTIONS):  # credentials revoked: the connection itself ends
            if topic == self.own_topic:
                self._end_if_revoked(revoked)
            return
        # A user always keeps their own topic: it is where they hear that they lost the others.
        if (revoked == EVERYONE or revoked == str(self.user_id)) and topic != self.own_topic:
            self.unfollow(topic)
            self.deliver_frame(unsubscribed_frame(topic, "revoked"))
            self.on_revoked(topic)
