"""Errors at the edge: every path the person gives that the system refuses ends in one
``error:`` line naming the path (or its option), exit 1, nothing written and the store as
it was; every network failure is named by what the socket said, from real local servers."""

import contextlib
import os
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import planner.caldav
import planner.plan.generate
from planner.cli.app import app
from planner.errors import OutputError
from planner.fileio import write_atomic
from tests.caldav_server import PASSWORD, USER, Radicale, free_port
from tests.helpers import GEN, assert_one_line_error, run, runner

# One path component longer than any file system allows (NAME_MAX is 255 on Linux).
LONG = "x" * 300


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def knee(tmp_path: Path) -> Path:
    """A saved plan 'knee' in the test's store; the folder its calendar went to."""
    code, _, err = run(*GEN, "--name", "knee", "--out", tmp_path / "knee.ics")
    assert code == 0, err
    return tmp_path


def store_view() -> str:
    """What the store says about 'knee' (revisions, export memory), to compare."""
    code, out, err = run("plans", "show", "knee")
    assert code == 0, err
    return out


class TestGenerateOutputs:
    @pytest.mark.parametrize(
        ("option", "path"),
        [
            ("--out", "/proc/plan.ics"),  # the folder exists but refuses new files
            ("--out", f"{LONG}.ics"),
            ("--out", f"{LONG}/plan.ics"),
            ("--json", "/proc/plan.json"),
            ("--json", f"{LONG}.json"),
        ],
    )
    def test_refused_path_names_option_and_path(
        self, option: str, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        db = tmp_path / "plans.db"
        extra = ["--out", "plan.ics"] if option == "--json" else []
        code, _, err = run(*GEN, "--name", "knee", "--db", db, *extra, option, path)
        assert_one_line_error(code, err, f"error: {option}: {path}: cannot write there")
        # Checked before any work: no calendar, no store.
        assert files_in(tmp_path) == []

    @pytest.mark.usefixtures("knee")
    def test_refused_out_leaves_a_saved_plan_unchanged(self) -> None:
        before = store_view()
        # New options would make revision 2 if the command got that far.
        code, _, err = run(*GEN, "--weeks", "4", "--name", "knee", "--out", "/proc/plan.ics")
        assert_one_line_error(code, err, "--out: /proc/plan.ics")
        assert store_view() == before

    def test_long_db_name(self, tmp_path: Path) -> None:
        db = tmp_path / f"{LONG}.db"
        code, _, err = run(*GEN, "--name", "knee", "--db", db, "--out", tmp_path / "p.ics")
        assert_one_line_error(code, err, f"error: {db}: File name too long")
        assert files_in(tmp_path) == []

    def test_long_planner_db(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PLANNER_DB", str(tmp_path / LONG / "plans.db"))
        code, _, err = run("plans", "list")
        assert_one_line_error(code, err, f"{tmp_path / LONG}")


class TestTemplatePaths:
    def test_long_slug_is_an_unknown_template(self, tmp_path: Path) -> None:
        code, _, err = run("generate", LONG, "--start", "2026-12-07", "--days", "mon",
                           "--out", tmp_path / "p.ics")  # fmt: skip
        assert_one_line_error(code, err, f"unknown template '{LONG}'")
        assert files_in(tmp_path) == []

    @pytest.mark.parametrize("command", [["validate"], ["templates", "show"]])
    def test_long_file_name(self, command: list[str]) -> None:
        code, _, err = run(*command, f"{LONG}.toml")
        assert_one_line_error(code, err, f"error: {LONG}.toml: cannot read (File name too long)")

    def test_long_slug_in_templates_show(self) -> None:
        code, _, err = run("templates", "show", LONG)
        assert_one_line_error(code, err, "unknown template")


class TestPlanFiles:
    @pytest.mark.parametrize("name", [f"{LONG}.json", f"{LONG}/plan.json"])
    def test_show_long_plan_file(self, name: str) -> None:
        code, _, err = run("show", name)
        assert_one_line_error(
            code, err, f"error: {name}: cannot read the plan (File name too long)"
        )

    def test_show_long_name_that_is_no_file(self) -> None:
        code, _, err = run("show", LONG)
        assert_one_line_error(code, err, f"error: {LONG}: File name too long")

    @pytest.mark.parametrize("out", [f"{LONG}.html", "/proc/plan.ics", "/proc/plan.md"])
    @pytest.mark.usefixtures("knee")
    def test_export_refused_out_keeps_the_export_memory(self, out: str) -> None:
        before = store_view()
        code, _, err = run("export", "knee", "--out", out)
        assert_one_line_error(code, err, f"error: --out: {out}: cannot write there")
        assert store_view() == before

    def test_export_long_plan_file(self, tmp_path: Path) -> None:
        code, _, err = run("export", f"{LONG}.json", "--out", tmp_path / "p.html")
        assert_one_line_error(code, err, f"{LONG}.json: cannot read the plan")
        assert files_in(tmp_path) == []


class TestTheHandlerBoundary:
    def test_os_error_without_a_path_is_a_bug(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(*_: object) -> None:
            raise OSError("no path involved")

        monkeypatch.setattr(planner.plan.generate, "generate", broken)
        result = runner.invoke(app, GEN)
        assert isinstance(result.exception, OSError) and result.exit_code != 0


class TestWriteAtomic:
    def test_name_near_the_limit_still_gets_a_temporary_file(self, tmp_path: Path) -> None:
        target = tmp_path / ("n" * 250 + ".ics")  # 254 characters: allowed, but no room left
        write_atomic(target, b"BEGIN:VCALENDAR\r\n")
        assert target.read_bytes() == b"BEGIN:VCALENDAR\r\n"
        assert files_in(tmp_path) == [target.name]

    def test_the_folder_is_synced_after_the_rename(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        synced: list[tuple[bool, list[str]]] = []
        real_fsync = os.fsync

        def spy(fd: int) -> None:
            # Whether this fd is a folder, and what the folder held at that moment.
            is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
            synced.append((is_dir, files_in(tmp_path)))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", spy)
        write_atomic(tmp_path / "plan.ics", b"data")
        assert [s[0] for s in synced] == [False, True]
        assert synced[-1][1] == ["plan.ics"]  # the folder sync came after the rename

    def test_failure_leaves_no_temporary_file(self, tmp_path: Path) -> None:
        target = tmp_path / "plan.ics"
        target.mkdir()  # os.replace cannot put a file over a folder
        with pytest.raises(OutputError, match="cannot write"):
            write_atomic(target, b"data")
        assert files_in(tmp_path) == ["plan.ics"] and target.is_dir()


class TestOptionParsers:
    """Parsers attached with ``parser=`` still give one ``error: --option:`` line, exit 1."""

    @pytest.mark.parametrize(
        ("args", "needle"),
        [
            (["--start", "7.12.2026"], "error: --start: '7.12.2026' is not a date"),
            (["--time", "7pm", "--tz", "Europe/Berlin"], "error: --time: '7pm' is not a time"),
            (["--time", "18:00", "--tz", "Mars/Base"], "error: --tz: unknown time zone"),
            (["--remind", "8d"], "error: --remind: '8d' is more than a week ahead"),
            (["--remind", "soon"], "error: --remind: 'soon' is not a duration"),
            (["--refresh", "5m"], "error: --refresh: '5m' is out of range"),
            (["--color", "tael"], "error: --color: 'tael' is not a CSS colour name"),
            (["--calendar-name", "  "], "error: --calendar-name: give a name"),
            # pydantic refused this one with a traceback before the parser checked it.
            (["--calendar-name", "c" * 201], "error: --calendar-name: 201 characters"),
            (["--name", " "], "error: --name: give a short printable name"),
        ],
    )
    def test_bad_value(self, args: list[str], needle: str, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--out", tmp_path / "p.ics", "--name", "knee", *args)
        assert_one_line_error(code, err, needle)
        assert files_in(tmp_path) == []
        assert run("plans", "list")[1].startswith("no saved plans")


class TestGivenOptions:
    """Whether an option was given comes from where its value came from, so a value equal
    to the default (``--no-utc``, ``--remind none``) still counts as given."""

    @pytest.mark.parametrize(
        ("args", "flag"), [(["--no-utc"], "--utc/--no-utc"), (["--remind", "none"], "--remind")]
    )
    @pytest.mark.usefixtures("knee")
    def test_default_valued_calendar_option_is_refused_for_documents(
        self, args: list[str], flag: str, tmp_path: Path
    ) -> None:
        code, _, err = run("export", "knee", *args, "--out", tmp_path / "p.md")
        assert_one_line_error(code, err, f"error: {flag} only applies to --format ics")
        assert not (tmp_path / "p.md").exists()

    def test_remind_none_removes_a_saved_reminder_and_silence_keeps_it(
        self, tmp_path: Path
    ) -> None:
        def calendar_after(*extra: str) -> str:
            regenerate(tmp_path, *extra)
            return run("plans", "show", "knee")[1]

        assert "reminder 30 min before" in calendar_after("--remind", "30m")
        assert "reminder 30 min before" in calendar_after("--weeks", "8")  # not given: kept
        assert "no reminder" in calendar_after("--remind", "none")
        assert "no reminder" in calendar_after()

    def test_personal_option_given_at_its_default_replaces_the_saved_one(
        self, tmp_path: Path
    ) -> None:
        regenerate(tmp_path, "--level", "advanced")
        # Not given: the saved level is kept, and the command says so.
        assert "kept from the saved plan: --level advanced" in regenerate(tmp_path)
        assert "--level" not in regenerate(tmp_path, "--level", "beginner")


def regenerate(folder: Path, *extra: str) -> str:
    """generate the saved plan 'knee' again with ``extra``; its standard output."""
    code, out, err = run(*GEN, "--name", "knee", "--out", folder / "k.ics", *extra)
    assert code == 0, err
    return out


# --- CalDAV failures, classified by the exception types the socket raised --------------


@contextlib.contextmanager
def serve(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A real TCP server on 127.0.0.1 that reads each request and answers with ``answer``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                try:
                    connection.recv(65536)
                    answer(connection)
                except OSError:
                    pass

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def close_at_once(_: socket.socket) -> None:
    """Hang up without a word (the connection closes when the handler returns)."""


def not_http(connection: socket.socket) -> None:
    connection.sendall(b"hello there\r\n\r\n")


def not_xml(connection: socket.socket) -> None:
    body = b"<html>not WebDAV</html"
    connection.sendall(
        b"HTTP/1.1 207 Multi-Status\r\nContent-Type: text/xml\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def silent(connection: socket.socket) -> None:
    threading.Event().wait(3)  # longer than the test's request timeout


@pytest.fixture
def saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)
    code, _, err = run(*GEN, "--name", "knee", "--out", tmp_path / "k.ics")
    assert code == 0, err


def publish_to(url: str, *extra: str) -> tuple[int, str, str]:
    return run("publish", "knee", "--caldav-url", url, "--username", USER, *extra)


@pytest.mark.usefixtures("saved")
class TestNetworkReasons:
    @pytest.mark.parametrize(
        ("answer", "reason"),
        [
            (close_at_once, "(connection lost)"),
            (not_http, "(ProtocolError: "),
        ],
    )
    def test_server_that_answers_badly(self, answer: Callable[[socket.socket], None],
                                       reason: str) -> None:  # fmt: skip
        with serve(answer) as url:
            code, _, err = publish_to(url)
            assert_one_line_error(code, err, f"error: cannot reach {url} {reason}")

    def test_answer_that_is_not_webdav_xml(self) -> None:
        with serve(not_xml) as url:
            code, _, err = publish_to(url)
            assert_one_line_error(code, err, f"error: {url}: the answer when trying to read")
            assert "is not CalDAV" in err

    def test_silent_server_times_out(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(planner.caldav, "TIMEOUT", 0.5)
        with serve(silent) as url:
            code, _, err = publish_to(url)
            assert_one_line_error(code, err, f"cannot reach {url} (timed out)")

    def test_unknown_host(self) -> None:
        url = "http://no-such-host.invalid/"  # .invalid never resolves (RFC 2606)
        code, _, err = publish_to(url, "--allow-http")
        assert_one_line_error(code, err, f"cannot reach {url} (unknown host name)")

    def test_refused(self) -> None:
        url = f"http://127.0.0.1:{free_port()}/"
        code, _, err = publish_to(url)
        assert_one_line_error(code, err, f"cannot reach {url} (connection refused)")

    def test_https_to_a_plain_http_server(self, tmp_path: Path) -> None:
        radicale = Radicale(tmp_path / "server").start()
        try:
            url = f"https://127.0.0.1:{radicale.port}/"
            code, _, err = publish_to(url)
            assert_one_line_error(code, err, f"cannot reach {url} (TLS failed")
        finally:
            radicale.stop()


def test_reason_reads_the_cause_chain_not_the_text() -> None:
    # A message that says "refused" but a cause that is a reset: the type decides.
    try:
        try:
            raise ConnectionResetError(104, "refused, says the text")
        except ConnectionResetError as inner:
            raise OSError("wrapper") from inner
    except OSError as outer:
        assert planner.caldav.network_reason(outer) == "connection lost"
