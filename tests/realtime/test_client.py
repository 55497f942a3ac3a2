"""The reference client (planpal.client) against a real server."""

import ssl

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def test_reconnecting_does_not_rebuild_the_tls_context(trip, connect, monkeypatch):
    """Every connection attempt asks for a ticket over HTTP; loading the CA bundle for it each
    time cost 0.05-0.15 s of CPU that blocked the event loop of every client in the process."""
    built = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(ssl, "create_default_context", counting)
    alice = await connect(trip.alice)
    for _ in range(3):
        await alice.drop_connection()
        await alice.next_frame(timeout=10, type="subscribed")

    assert alice.connections == 4
    assert len(built) <= 1
