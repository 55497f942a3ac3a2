"""PlanPal's Python client for the realtime protocol (docs/realtime.md).

    async with RealtimeClient("http://127.0.0.1:8000", access_token=token) as client:
        await client.subscribe("plan:42", since=17)
        async for frame in client.frames():
            ...

It reconnects with exponential backoff and jitter, resubscribes every topic `since` the last seq it
delivered, drops duplicates by (topic, seq), turns a gap into a replay request, and reports
`recovered: false` as a {"type": "reset"} frame: reload that resource over REST.
"""

from planpal.client.realtime import RealtimeClient, login

__all__ = ["RealtimeClient", "login"]
