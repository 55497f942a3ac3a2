"""A web process that stops closes its WebSockets with 1012 (server restart): clients reconnect
elsewhere and replay."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.live import LiveServer
from tests.realtime.conftest import token_for, trip  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


async def test_stopping_a_web_process_closes_websockets_with_1012(trip):  # noqa: F811
    server = await asyncio.to_thread(LiveServer().start)
    try:
        async with httpx.AsyncClient(base_url=f"{server.url}/api/v1") as api:
            response = await api.post(
                "/realtime/ticket", headers={"Authorization": f"Bearer {token_for(trip.bob)}"}
            )
        ws = await websockets.connect(f"{server.ws_url}?ticket={response.json()['ticket']}")
        assert json.loads(await ws.recv())["type"] == "subscribed"
        server.process.terminate()  # SIGTERM, as a deploy or an orchestrator sends it
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        assert closed.value.rcvd.code == 1012
        # uvicorn finishes its graceful shutdown, then re-raises SIGTERM to exit.
        assert await asyncio.to_thread(server.process.wait, 15) in (0, -15)
    finally:
        await asyncio.to_thread(server.stop)


def test_a_web_worker_is_replaced_only_after_its_configured_health_check_timeout(
    monkeypatch, settings
):
    """uvicorn's supervisor kills a worker that misses its health check (5 s by default), and
    every connection of the worker goes with it, without a close frame: `planpal web` passes
    WEB_WORKER_HEALTHCHECK_SECONDS instead (a full GC sweep of a busy process holding ~16,000
    connections can take longer than 5 s)."""
    import uvicorn

    from planpal import cli

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    monkeypatch.delenv("PLANPAL_PROCESS", raising=False)  # serve() sets it; restored after
    settings.WEB_WORKER_HEALTHCHECK_SECONDS = 45
    cli.serve("127.0.0.1", 0, 2)
    assert seen["timeout_worker_healthcheck"] == 45
