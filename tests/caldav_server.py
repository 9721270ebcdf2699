"""A real Radicale CalDAV server on 127.0.0.1 for the publish tests (no mocks)."""

import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import niquests

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
        session = niquests.Session()
        session.auth = (USER, PASSWORD)
        response = session.request("PROPFIND", collection, headers={"Depth": "1"}, data=b"")
        assert response.status_code == 207, response.status_code
        tree = ElementTree.fromstring(response.content or b"")
        hrefs = [e.text for e in tree.iter("{DAV:}href") if e.text and e.text.endswith(".ics")]
        base = f"http://127.0.0.1:{self.port}"
        found = {}
        for href in hrefs:
            got = session.get(base + href)
            assert got.status_code == 200
            found[href.rsplit("/", 1)[-1]] = got.content or b""
        return found
