"""Real CalDAV servers (Radicale and Xandikos) on 127.0.0.1 for the publish tests (no mocks),
and a scripted misbehaving one."""

import base64
import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

USER = "alice"
PASSWORD = "s3cret-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A CalDAV server process of ours on 127.0.0.1 with its own storage folder."""

    name = ""
    #: the account's calendar home (where planner makes calendars), relative to the root
    home = ""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        root.mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def home_url(self) -> str:
        return f"{self.url}{self.home}"

    def start(self) -> "Server":
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.root / "server.log").read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not start in 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def _connection(self) -> tuple[http.client.HTTPConnection, dict[str, str]]:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        return connection, {"Authorization": f"Basic {token}"}

    def objects(self, collection: str) -> dict[str, bytes]:
        """href name -> data of every .ics object in a collection, read over HTTP."""
        connection, auth = self._connection()
        try:
            connection.request("PROPFIND", urlsplit(collection).path, b"", {**auth, "Depth": "1"})
            response = connection.getresponse()
            assert response.status == 207, response.status
            tree = ElementTree.fromstring(response.read() or b"")
            hrefs = [e.text for e in tree.iter("{DAV:}href") if e.text and e.text.endswith(".ics")]
            found = {}
            for href in hrefs:
                connection.request("GET", href, headers=auth)
                got = connection.getresponse()
                assert got.status == 200
                found[href.rsplit("/", 1)[-1]] = got.read()
            return found
        finally:
            connection.close()

    def put(self, href: str, data: bytes) -> int:
        """Store one object as another client would; returns the status."""
        connection, auth = self._connection()
        try:
            headers = {**auth, "Content-Type": "text/calendar; charset=utf-8"}
            connection.request("PUT", urlsplit(href).path, data, headers)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def get(self, href: str) -> tuple[int, bytes]:
        """One GET straight to the server (past any relay); the status and body."""
        connection, auth = self._connection()
        try:
            connection.request("GET", urlsplit(href).path, headers=auth)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def request(self, method: str, path: str, body: bytes = b"", **headers: str) -> bytes:
        """One raw request; returns the body (asserting a success)."""
        connection, auth = self._connection()
        try:
            connection.request(method, urlsplit(path).path, body, {**auth, **headers})
            response = connection.getresponse()
            data = response.read()
            assert 200 <= response.status < 300, (response.status, data)
            return data
        finally:
            connection.close()


class Radicale(Server):
    """One Radicale process with htpasswd auth."""

    name = "Radicale"
    home = f"{USER}/"

    def __init__(self, root: Path, port: int | None = None, max_body: int | None = None) -> None:
        super().__init__(root, port)
        (root / "users").write_text(f"{USER}:{PASSWORD}\n")
        limit = f"max_content_length = {max_body}\n" if max_body else ""
        (root / "config").write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n{limit}"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {root / 'users'}\n"
            "htpasswd_encryption = plain\ndelay = 0\n"
            f"[storage]\nfilesystem_folder = {root / 'storage'}\n"
            "[rights]\ntype = owner_only\n"
            "[logging]\nlevel = warning\n"
        )

    def command(self) -> list[str]:
        return [sys.executable, "-m", "radicale", "--config", str(self.root / "config")]


class Xandikos(Server):
    """One Xandikos process serving one account, ``/alice/``.

    Xandikos checks passwords only over TLS (its ``--htpasswd`` needs ``--autocert``), so
    this one asks for none: the client's credentials are simply never challenged.
    """

    name = "Xandikos"
    home = f"{USER}/calendars/"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "xandikos", "serve", "-d", str(self.root / "storage"),
            "--defaults", "--current-user-principal", f"/{USER}/",
            "-l", "127.0.0.1", "-p", str(self.port), "--no-detect-systemd",
        ]  # fmt: skip

    def start(self) -> "Server":
        # A Xandikos killed mid-write leaves its git lock behind, and the restarted server
        # then refuses every PUT with 423 Locked (seen once in a loaded CI run). Clearing
        # it is what whoever restarts the server does; the tests are about the planner.
        for lock in (self.root / "storage").rglob("*.lock"):
            lock.unlink(missing_ok=True)
        return super().start()


SERVERS: dict[str, type[Server]] = {"radicale": Radicale, "xandikos": Xandikos}


Answer = tuple[int, dict[str, str], bytes | Iterator[bytes]]


class Scripted:
    """A misbehaving HTTP server on 127.0.0.1 in a thread: ``answer`` decides every reply
    from the request (method, path, headers, body). A body given as an iterator is sent
    chunked, one chunk per item, so a test can stream more than it holds in memory."""

    def __init__(self, answer: "Callable[[Request], Answer]") -> None:
        self.requests: list[Request] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass  # the tests read stderr: the server must not write to it

            def handle_any(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command, self.path, dict(self.headers), self.rfile.read(size)
                )
                script.requests.append(request)
                status, headers, body = answer(request)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                try:
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        return
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in body:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    self.close_connection = True  # the client hung up, as it may

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_MKCALENDAR = handle_any

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up is part of the tests, not a failure to print

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> "Scripted":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass(frozen=True)
class Request:
    """One request as the scripted server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Relayed:
    """One request the relay passed on (or refused)."""

    number: int  # the order it arrived in, counting every request
    method: str
    path: str
    body: bytes
    status: int | None  # the server's answer; None: never asked, or the answer was cut
    answered: bool  # whether the client was sent the answer
    etag: str | None = None  # the ETag of the server's answer


class Relay:
    """An HTTP relay on 127.0.0.1 in front of a real server, in threads, that records
    every request it receives and can fail one of them, chosen by the order requests
    arrive in (never by what they hold):

    - ``fail_at = n`` makes the n-th request of method ``fail_method`` received (since the
      relay started) fail, as
      ``fail_how`` says: ``"refuse"`` answers 503 without passing it on, ``"cut"`` closes
      the connection without passing it on, ``"lost"`` passes it on (the server acts on
      it) and then closes the connection instead of answering;
    - ``delay`` seconds pass before each answer goes back, so a client's parallel requests
      are really in flight together.

    ``most_in_flight`` is the largest number of requests it held at once, and
    ``around_failure`` the largest while it held the failing one.
    """

    def __init__(
        self,
        upstream: Server,
        fail_at: int | None = None,
        fail_method: str = "PUT",
        fail_how: str = "refuse",
        delay: float = 0.0,
    ) -> None:
        self.upstream, self.delay = upstream, delay
        self.fail_at, self.fail_method, self.fail_how = fail_at, fail_method, fail_how
        self.log: list[Relayed] = []
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}  # method -> requests of it received
        self.received = 0
        self.in_flight = self.most_in_flight = 0
        self.failing = False  # the failing request is being handled
        self.around_failure: int | None = None  # most requests held while it was
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            upstream_connection: http.client.HTTPConnection | None = None

            def log_message(self, *args: object) -> None:
                pass  # the tests read stderr: the relay must not write to it

            def handle_any(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size)
                with relay.lock:
                    relay.received += 1
                    number = relay.received
                    relay.counts[self.command] = relay.counts.get(self.command, 0) + 1
                    relay.in_flight += 1
                    relay.most_in_flight = max(relay.most_in_flight, relay.in_flight)
                    failing = (
                        self.command == relay.fail_method
                        and relay.counts[self.command] == relay.fail_at
                    )
                    if failing or relay.failing:
                        relay.around_failure = max(relay.around_failure or 0, relay.in_flight)
                    relay.failing = relay.failing or failing
                try:
                    self._relay(number, body, failing)
                finally:
                    with relay.lock:
                        relay.in_flight -= 1
                        relay.failing = relay.failing and not failing

            def _relay(self, number: int, body: bytes, failing: bool) -> None:
                def note(status: int | None, answered: bool, etag: str | None = None) -> None:
                    with relay.lock:
                        relay.log.append(
                            Relayed(number, self.command, self.path, body, status, answered, etag)
                        )

                if failing and relay.fail_how == "refuse":
                    time.sleep(relay.delay)
                    note(None, True)
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if failing and relay.fail_how == "cut":
                    time.sleep(relay.delay)
                    note(None, False)
                    self.close_connection = True
                    return
                status, reason, headers, data = self._ask(body)
                time.sleep(relay.delay)
                if failing:  # "lost": the server acted, the client never hears of it
                    note(status, False)
                    self.close_connection = True
                    return
                note(status, True, {k.lower(): v for k, v in headers}.get("etag"))
                self.send_response(status, reason)
                for key, value in headers:
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _ask(self, body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
                skip = ("host", "connection", "keep-alive", "content-length")
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                for attempt in (1, 2):  # a kept-alive connection the server closed: anew
                    if self.upstream_connection is None:
                        self.upstream_connection = http.client.HTTPConnection(
                            "127.0.0.1", relay.upstream.port, timeout=30
                        )
                    try:
                        self.upstream_connection.request(self.command, self.path, body, headers)
                        got = self.upstream_connection.getresponse()
                        return got.status, got.reason, got.getheaders(), got.read()
                    except (http.client.HTTPException, OSError):
                        self.upstream_connection.close()
                        self.upstream_connection = None
                        if attempt == 2:
                            raise
                raise AssertionError("unreachable")

            def finish(self) -> None:
                super().finish()
                if self.upstream_connection is not None:
                    self.upstream_connection.close()

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_PROPPATCH = handle_any
            do_REPORT = do_MKCALENDAR = do_MKCOL = do_OPTIONS = handle_any

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a connection cut on purpose is not a failure to print

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __enter__(self) -> "Relay":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
