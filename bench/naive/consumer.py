"""The naive consumer: PlanPal's protocol subset (ticket auth, subscribe with `since`, ping), with
per-consumer `group_add` and events arriving through the channel layer one message per
subscriber."""

import json

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from planpal.realtime import store
from planpal.realtime.auth import Refused, authenticate
from planpal.realtime.authorisers import authorise
from planpal.realtime.frames import dumps


def group_name(topic: str) -> str:
    return "t." + topic.replace(":", ".")


def db(function):
    return sync_to_async(function, thread_sensitive=False)


class NaiveConsumer(AsyncWebsocketConsumer):
    user_id = None

    async def connect(self) -> None:
        self.last: dict[str, int] = {}
        self.replayed: dict[str, int] = {}  # topic → newest seq sent by the replay (or the head)
        await self.accept()
        try:
            self.user_id = (await authenticate(self.scope)).user_id
        except Refused as refused:
            await self.close(code=refused.code)
            return
        await self._subscribe(f"user:{self.user_id}", None, None, check=False)

    async def disconnect(self, code) -> None:
        for topic in list(self.last):
            await self.channel_layer.group_discard(group_name(topic), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        try:
            message = json.loads(text_data or "")
        except ValueError:
            return
        op, ref = message.get("op"), message.get("ref")
        if op == "ping":
            await self.send(text_data=dumps({"type": "pong", "ref": ref}))
        elif op == "subscribe" and isinstance(message.get("topic"), str):
            await self._subscribe(message["topic"], message.get("since"), ref, check=True)

    async def _subscribe(self, topic: str, since, ref, *, check: bool) -> None:
        if check and not await db(authorise)(self.user_id, topic):
            await self.send(text_data=dumps({"type": "error", "code": "forbidden", "ref": ref}))
            return
        await self.channel_layer.group_add(group_name(topic), self.channel_name)
        if since is None:
            rows, head, recovered = [], await db(store.topic_head)(topic), True
        else:
            rows, head, recovered = await db(store.replay)(topic, since)
        self.last[topic] = since if recovered and since is not None else head
        self.replayed[topic] = max(self.last[topic], rows[-1][0] if rows else 0)
        subscribed = {"type": "subscribed", "topic": topic, "seq": head, "recovered": recovered}
        await self.send(text_data=dumps({**subscribed, "ref": ref}))
        for seq, _revoked, frame in rows:
            if seq > self.last[topic]:
                self.last[topic] = seq
                await self.send(text_data=frame)

    async def bench_event(self, message: dict) -> None:
        """One channel-layer message per subscriber and event (type "bench.event"). Dropped only
        when the replay already sent it; publishes that overtook each other go out as they come."""
        topic, seq = message["topic"], message["seq"]
        if topic not in self.last or seq <= self.replayed.get(topic, 0):
            return
        self.last[topic] = max(seq, self.last[topic])
        await self.send(text_data=message["frame"])
