"""`planpal watch plan 42`: print a topic's events as they happen."""

import asyncio
import contextlib
import json

from planpal.client.realtime import RealtimeClient, login


async def _watch(args) -> None:
    if not (args.username and args.password):
        raise SystemExit("give --username and --password (or PLANPAL_USERNAME / PLANPAL_PASSWORD)")
    token = await login(args.url, args.username, args.password)
    topic = f"{args.kind}:{args.id}"
    async with RealtimeClient(args.url, access_token=token) as client:
        await client.subscribe(topic, since=args.since)
        async for frame in client.frames():
            if frame.get("type") == "event":
                data = json.dumps(frame["data"], ensure_ascii=False)
                print(f"{frame['ts']} {frame['topic']}#{frame['seq']} {frame['event']} {data}")
            elif frame.get("type") in ("error", "reset", "unsubscribed", "closed"):
                print(json.dumps(frame))


def watch(args) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_watch(args))
