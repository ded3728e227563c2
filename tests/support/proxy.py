"""A TCP proxy a test can cut and restore, to give a service a real outage of one dependency.

To the service a cut looks exactly like the server going away: open connections are reset and
new ones are refused, until `restore` listens again on the same port. With `delay_seconds` the
dependency is slow instead: each request waits that long before it reaches the server (a Stripe
that hangs). `sent` keeps what clients sent, for tests that read the requests.
"""

import asyncio
import contextlib


class TcpProxy:
    def __init__(self, target_host: str, target_port: int, *, delay_seconds: float = 0) -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self.port = 0
        self.delay_seconds = delay_seconds
        self.sent = bytearray()  # every byte clients sent, in arrival order
        self.connections = 0  # connections accepted so far
        self._delayed: set[int] = set()  # connections whose requests were held by the delay
        self._arrived = asyncio.Condition()
        self._held: set[asyncio.Task[None]] = set()

    async def holding(self, count: int) -> None:
        """Returns once requests on `count` different connections have been held by the delay."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: len(self._delayed) >= count)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()
        for held in list(self._held):
            held.cancel()

    async def restore(self) -> None:
        await self.start()

    async def _pipe(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            server_reader, server_writer = await asyncio.open_connection(*self._target)
        except OSError:
            client_writer.transport.abort()
            return
        self._open |= {client_writer, server_writer}
        await asyncio.gather(
            self._copy(client_reader, server_writer, number),
            self._copy(server_reader, client_writer),
            return_exceptions=True,
        )
        self._open -= {client_writer, server_writer}

    async def _hold(self, connection: int) -> None:
        """A slow dependency: what a client sends reaches the server `delay_seconds` later (each
        request, on new and kept-alive connections alike)."""
        async with self._arrived:
            self._delayed.add(connection)
            self._arrived.notify_all()
        held = asyncio.current_task()
        assert held is not None
        self._held.add(held)
        try:
            await asyncio.sleep(self.delay_seconds)  # the dependency is slow (not an assertion)
        finally:
            self._held.discard(held)

    async def _copy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, client: int = 0) -> None:
        """Copies one direction; `client` numbers a client's connection (0: the server's answers)."""
        try:
            while data := await reader.read(65536):
                if client:
                    self.sent.extend(data)
                    if self.delay_seconds:
                        await self._hold(client)
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(OSError):
                writer.close()
