"""The bench's keep-alive HTTP client survives the server closing an idle connection (uvicorn
does after 5 s; the reads scenario failed with IncompleteReadError when it did)."""

import asyncio

from bench.rest import HttpClient

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def test_a_connection_the_server_closed_is_replaced():
    async def scenario() -> list[int]:
        accepted = []

        async def one_answer_then_close(reader, writer):  # like an expired keep-alive
            accepted.append(1)
            await reader.readuntil(b"\r\n\r\n")
            writer.write(ANSWER)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(one_answer_then_close, "127.0.0.1", 0)
        client = HttpClient(server.sockets[0].getsockname()[1])
        statuses = []
        try:
            for _ in range(3):
                status, body, _ = await client.get("/")
                assert body == b"ok"
                statuses.append(status)
                await asyncio.sleep(0.05)  # the close reaches the client meanwhile
        finally:
            await client.close()
            server.close()
        assert len(accepted) == 3
        return statuses

    assert asyncio.run(scenario()) == [200, 200, 200]
