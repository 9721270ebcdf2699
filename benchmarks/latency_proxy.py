"""A TCP proxy on 127.0.0.1 that adds network latency, for benchmarks.

Every byte is held ``one_way`` seconds in each direction before it is passed on, as a
delay line (bytes already in flight keep flowing; nothing waits for the previous chunk to
be delivered), so one request/response round trip costs ``2 * one_way`` more than it
would locally. A new connection first costs one round trip too, as a TCP handshake does
(TLS would add more: not simulated), so a server that closes its connection after each
answer (Radicale's built-in server does) pays two round trips a request, as it would on
a real network. Bandwidth is not limited.

    python benchmarks/latency_proxy.py --upstream 5232 --latency-ms 30   # prints its port
"""

import argparse
import asyncio
import contextlib
import threading
import time


class LatencyProxy:
    """Forwards 127.0.0.1:``port`` to 127.0.0.1:``upstream`` with ``latency_ms`` added to
    every round trip, in a thread of its own (``start``/``stop``, or ``with``)."""

    def __init__(self, upstream: int, latency_ms: float) -> None:
        self.upstream, self.one_way = upstream, latency_ms / 2000
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "LatencyProxy":
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _shutdown(self) -> None:
        """Close the listener and every connection, so no task outlives the loop."""
        if self._server is not None:
            self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def __enter__(self) -> "LatencyProxy":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await asyncio.sleep(2 * self.one_way)  # the handshake's round trip
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )
        except (OSError, asyncio.CancelledError):
            # Refused upstream, or the proxy stopping: the connection just ends (a
            # cancelled handler would be reported by asyncio as an error).
            writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy one direction, each chunk sent ``one_way`` after it arrived."""
        line: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await line.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                chunk = await reader.read(65536)
                line.put_nowait((time.monotonic() + self.one_way, chunk))
                if not chunk:
                    break
            await sender  # everything in flight delivered, then the close passed on
        finally:
            sender.cancel()
            with contextlib.suppress(OSError, RuntimeError):
                writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--latency-ms", type=float, default=30.0, help="per round trip")
    args = parser.parse_args()
    proxy = LatencyProxy(args.upstream, args.latency_ms).start()
    print(f"{proxy.url} -> 127.0.0.1:{args.upstream}, +{args.latency_ms:g} ms per round trip")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
