"""A real Radicale CalDAV server on 127.0.0.1 for the publish tests (no mocks)."""

import base64
import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

USER = "alice"
PASSWORD = "s3cret-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Radicale:
    """One Radicale process with htpasswd auth and its own storage folder."""

    def __init__(self, root: Path, port: int | None = None, max_body: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        root.mkdir(parents=True, exist_ok=True)
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

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> "Radicale":
        log = (self.root / "radicale.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(self.root / "config")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.root / "radicale.log").read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Radicale did not start in 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def objects(self, collection: str) -> dict[str, bytes]:
        """href name -> data of every .ics object in a collection, read over HTTP."""
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        auth = {"Authorization": f"Basic {token}"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
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
