"""Where a command may write, and that a command writes everything it says or nothing.

Real files, real links, FIFOs, sockets, a real SQLite store and (for a full disk) a real
kernel file size limit in a subprocess; nothing of ours is replaced by a fake.
"""

import os
import resource
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from planner.errors import OutputError
from planner.fileio import Staged, safe_file_name, sweep_stale, write_atomic
from tests.fuzzing import fuzz
from tests.helpers import GEN, assert_one_line_error, run

ROOT = Path(__file__).resolve().parent.parent
SHORT = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri", "--weeks", "3"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (recursively, links as their target text) with its bytes."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
        elif not path.is_dir():
            found[key] = b"special"
    return found


def revisions(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("SELECT count(*) FROM revisions").fetchone()[0])


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A store with plan 'k' saved once, and its calendar k.ics beside it."""
    db = tmp_path / "S.db"
    code, _, err = run(*GEN, "--name", "k", "--db", db, "--out", tmp_path / "k.ics")
    assert code == 0, err
    return db


class TestNeverOverTheStore:
    def test_export_to_the_store_is_refused_and_the_store_kept(self, saved: Path) -> None:
        before = saved.read_bytes()
        code, out, err = run("export", "k", "--db", saved, "--out", saved)
        assert_one_line_error(code, err, "--out")
        assert "plan store" in err and out == ""
        assert saved.read_bytes() == before and revisions(saved) == 1

    @pytest.mark.parametrize("fmt", ["html", "json", "csv", "md"])
    def test_every_format_is_refused(self, saved: Path, fmt: str) -> None:
        before = saved.read_bytes()
        code, _, err = run("export", "k", "--db", saved, "--format", fmt, "--out", saved)
        assert_one_line_error(code, err, "--out")
        assert saved.read_bytes() == before

    @pytest.mark.parametrize("link", ["symlink", "hardlink"])
    def test_a_link_to_the_store_is_refused(self, saved: Path, link: str) -> None:
        alias = saved.parent / "alias.ics"
        (os.symlink if link == "symlink" else os.link)(saved, alias)
        before = saved.read_bytes()
        code, _, err = run("export", "k", "--db", saved, "--out", alias)
        assert_one_line_error(code, err, "plan store")
        assert saved.read_bytes() == before and revisions(saved) == 1

    @pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
    def test_the_journal_files_are_refused(self, saved: Path, suffix: str) -> None:
        code, _, err = run("export", "k", "--db", saved, "--out", f"{saved}{suffix}")
        assert_one_line_error(code, err, "journal file of the plan store")
        assert not Path(f"{saved}{suffix}").exists() or suffix == "-shm"

    def test_generate_json_or_out_to_the_store_saves_nothing(self, saved: Path) -> None:
        before = saved.read_bytes()
        for option in ("--json", "--out"):
            code, _, err = run(
                *GEN, "--days", "tue,thu,sat", "--name", "k", "--db", saved, option, saved
            )
            assert_one_line_error(code, err, option)
            assert saved.read_bytes() == before and revisions(saved) == 1

    def test_the_store_from_planner_db_is_refused_without_name(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: Path
    ) -> None:
        monkeypatch.setenv("PLANNER_DB", str(saved))
        before = saved.read_bytes()
        code, _, err = run(*GEN, "--out", saved)
        assert_one_line_error(code, err, "--out")
        assert saved.read_bytes() == before

    def test_the_template_in_use_is_refused(self, tmp_path: Path) -> None:
        template = tmp_path / "mine.toml"
        shutil.copy(ROOT / "templates" / "programs" / "hip-knee.toml", template)
        before = template.read_bytes()
        for option in ("--out", "--json"):
            code, _, err = run(*GEN[:1], template, *GEN[2:], option, template)
            assert_one_line_error(code, err, "template this plan is built from")
            assert template.read_bytes() == before

    def test_the_plan_file_exported_is_refused(self, tmp_path: Path) -> None:
        plan = tmp_path / "p.json"
        assert run(*GEN, "--out", tmp_path / "p.ics", "--json", plan)[0] == 0
        before = plan.read_bytes()
        code, _, err = run("export", plan, "--format", "html", "--out", plan)
        assert_one_line_error(code, err, "plan file being exported")
        assert plan.read_bytes() == before


def _fifo(path: Path) -> Iterator[None]:
    os.mkfifo(path)
    yield


def _socket(path: Path) -> Iterator[None]:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        yield
    finally:
        server.close()


class TestFileKinds:
    @pytest.mark.parametrize("kind", ["fifo", "socket", "symlink to fifo"])
    def test_special_files_are_refused_and_kept(self, tmp_path: Path, kind: str) -> None:
        special = tmp_path / "special"
        maker = _socket if kind == "socket" else _fifo
        for _ in maker(special):
            out = special
            if kind == "symlink to fifo":
                out = tmp_path / "link.ics"
                out.symlink_to(special)
            code, _, err = run(*GEN, "--out", out)
            assert_one_line_error(code, err, "not a regular file")
            mode = special.lstat().st_mode
            assert stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
            assert not out.is_symlink() or os.readlink(out) == str(special)

    def test_a_device_node_is_refused(self, tmp_path: Path) -> None:
        device = tmp_path / "null"
        try:
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            os.mkfifo(device)  # not root: a FIFO takes the same refusal path
        code, _, err = run(*GEN, "--out", device)
        assert_one_line_error(code, err, "not a regular file")
        assert not stat.S_ISREG(device.lstat().st_mode)

    def test_a_folder_is_refused(self, tmp_path: Path) -> None:
        code, _, err = run(*GEN, "--json", tmp_path, "--out", tmp_path / "p.ics")
        assert_one_line_error(code, err, "--json")
        assert not (tmp_path / "p.ics").exists()

    def test_a_symlink_is_followed_and_stays_a_link(self, tmp_path: Path) -> None:
        real = tmp_path / "real" / "plan.ics"
        real.parent.mkdir()
        real.write_bytes(b"old")
        os.chmod(real, 0o640)
        link = tmp_path / "plan.ics"
        link.symlink_to(real)
        code, _, err = run(*GEN, "--out", link)
        assert code == 0, err
        assert link.is_symlink() and os.readlink(link) == str(real)
        assert real.read_bytes().startswith(b"BEGIN:VCALENDAR")
        assert stat.S_IMODE(real.stat().st_mode) == 0o640
        assert sorted(p.name for p in real.parent.iterdir()) == ["plan.ics"]

    def test_a_dangling_symlink_creates_its_target(self, tmp_path: Path) -> None:
        link = tmp_path / "plan.ics"
        link.symlink_to(tmp_path / "target.ics")
        code, _, err = run(*GEN, "--out", link)
        assert code == 0, err
        assert link.is_symlink() and (tmp_path / "target.ics").read_bytes().startswith(b"BEGIN")


class TestStandardOutput:
    def test_export_ics_to_stdout_prints_only_the_calendar(self, saved: Path) -> None:
        code, out, err = run("export", "k", "--db", saved, "--out", "-")
        assert code == 0, err
        assert out.startswith("BEGIN:VCALENDAR") and out.rstrip().endswith("END:VCALENDAR")
        assert "wrote standard output: 'k' revision 1" in err
        assert not (Path.cwd() / "-").exists()

    def test_export_html_to_stdout(self, saved: Path) -> None:
        code, out, err = run("export", "k", "--db", saved, "--format", "html", "--out", "-")
        assert code == 0, err
        assert out.lstrip().lower().startswith("<!doctype html") and "wrote standard output" in err

    def test_generate_to_stdout_sends_the_summary_to_stderr(self, tmp_path: Path) -> None:
        code, out, err = run(*GEN, "--out", "-", "--json", tmp_path / "p.json")
        assert code == 0, err
        assert out.startswith("BEGIN:VCALENDAR") and "wrote" not in out
        assert "phases:" in err and f"wrote standard output and {tmp_path / 'p.json'}" in err
        assert (tmp_path / "p.json").is_file()

    def test_stdout_twice_is_refused(self) -> None:
        code, out, err = run(*GEN, "--out", "-", "--json", "-")
        assert_one_line_error(code, err, "same file")
        assert out == ""


def _limited(limit: int, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI where no file may grow past ``limit`` bytes (a disk that is full)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1795000000"}
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        preexec_fn=cap,
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
class TestAllOrNothing:
    """The full disk of the report: before, ``p.ics`` was replaced and revision 2 saved
    although the command failed."""

    def _first(self, folder: Path) -> dict[str, bytes]:
        args = (*SHORT, "--name", "k", "--db", "S.db", "--out", "k.ics", "--json", "p.json")
        assert _limited(10**9, folder, *args).returncode == 0
        return snapshot(folder)

    def test_an_output_that_does_not_fit_changes_nothing(self, tmp_path: Path) -> None:
        before = self._first(tmp_path)
        # Room for the store's 32 KiB shared-memory file, not for the new calendar.
        smaller = len(before["k.ics"]) - 512
        assert smaller > 32768, "the calendar is now too small for this test"
        args = ("--days", "tue,thu,sat", "--name", "k", "--db", "S.db", "--json", "p.json")
        done = _limited(smaller, tmp_path, *SHORT, *args, "--out", "k.ics")
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("error: cannot write") and done.stderr.count("\n") == 1
        assert snapshot(tmp_path) == before  # no revision 2, old files, no temp files

    def test_a_store_that_cannot_commit_renames_nothing(self, tmp_path: Path) -> None:
        before = self._first(tmp_path)
        # Room for each output, but not for the store's new revision (its WAL grows past).
        # Only the calendar is written: the JSON file, indented, is larger than the plan as
        # the store keeps it, so room for it would be room for the revision too.
        room = len(before["k.ics"]) + 1024
        args = ("--days", "tue,thu,sat", "--name", "k", "--db", "S.db")
        done = _limited(room, tmp_path, *SHORT, *args, "--out", "k.ics")
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("error: S.db") and done.stderr.count("\n") == 1
        assert snapshot(tmp_path) == before


class TestStaged:
    def test_nothing_changes_until_commit_and_abort_leaves_nothing(self, tmp_path: Path) -> None:
        (tmp_path / "a.ics").write_bytes(b"old")
        with Staged() as staged:
            staged.write(tmp_path / "a.ics", b"new")
            staged.write(tmp_path / "b.json", b"{}")
            assert (tmp_path / "a.ics").read_bytes() == b"old"
            assert not (tmp_path / "b.json").exists()
        assert snapshot(tmp_path) == {"a.ics": b"old"}

    def test_a_rename_that_fails_after_the_store_commit_is_named(self, tmp_path: Path) -> None:
        second = tmp_path / "gone"
        second.mkdir()
        with Staged() as staged:
            staged.write(tmp_path / "a.ics", b"new")
            staged.write(second / "b.json", b"{}")
            shutil.rmtree(second)  # the folder vanishes between staging and commit
            with pytest.raises(OutputError) as caught:
                staged.commit("the plan is saved; write it again with export")
        message = str(caught.value)
        assert f"cannot write {second / 'b.json'}" in message and "write it again" in message
        assert (tmp_path / "a.ics").read_bytes() == b"new"
        assert snapshot(tmp_path) == {"a.ics": b"new"}

    def test_write_atomic_refuses_a_fifo(self, tmp_path: Path) -> None:
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(OutputError, match="not a regular file"):
            write_atomic(fifo, b"data")
        assert stat.S_ISFIFO(fifo.lstat().st_mode)


class TestStaleTemporaryFiles:
    def test_only_our_old_temporary_files_for_that_output_are_swept(self, tmp_path: Path) -> None:
        old = time.time() - 3600
        names = {
            ".plan.ics.ab12cd_3.tmp": True,  # ours, an hour old: swept
            ".plan.ics.zz99zz99.tmp": False,  # ours, but fresh: a run may be writing it
            ".plan.ics.short.tmp": False,  # not the pattern
            ".other.ics.ab12cd34.tmp": False,  # another output's
            "plan.ics.ab12cd34.tmp": False,  # no leading dot: not ours
        }
        for name, stale in names.items():
            (tmp_path / name).write_bytes(b"x")
            if stale or name != ".plan.ics.zz99zz99.tmp":
                os.utime(tmp_path / name, (old, old))
        code, _, err = run(*GEN, "--out", tmp_path / "plan.ics")
        assert code == 0, err
        left = {p.name for p in tmp_path.iterdir()}
        assert left == {"plan.ics"} | {n for n, stale in names.items() if not stale}

    def test_a_long_name_uses_the_shortened_pattern(self, tmp_path: Path) -> None:
        target = tmp_path / ("n" * 150 + ".ics")
        stale = tmp_path / f".{target.name[:100]}.abcdefgh.tmp"
        stale.write_bytes(b"x")
        os.utime(stale, (0, 0))
        assert sweep_stale(target) == [stale]
        assert not stale.exists()


class TestDefaultNames:
    @pytest.mark.parametrize(
        ("name", "written"), [("../x", "x.ics"), ("/abs/p", "abs-p.ics"), (".hidden", "hidden.ics")]
    )
    def test_name_never_leaves_the_working_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, written: str
    ) -> None:
        work = tmp_path / "work"
        work.mkdir()
        monkeypatch.chdir(work)
        code, out, err = run(*GEN, "--name", name, "--db", tmp_path / "S.db")
        assert code == 0, err
        assert sorted(p.name for p in work.iterdir()) == [written]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["S.db", "work"]
        assert f"wrote {written}" in out

    @pytest.mark.parametrize(
        ("name", "safe"),
        [("a/b\\c", "a-b-c"), ("knee\x1b[2Jplan", "knee[2Jplan"), ("...", "plan"), ("é", "é")],
    )
    def test_safe_file_name(self, name: str, safe: str) -> None:
        assert safe_file_name(name) == safe


KINDS = ["store", "wal", "template", "fifo", "folder", "link-to-store", "plain", "-", "missing"]


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One saved store and template, copied for every example (saving costs ~0.3 s)."""
    folder = tmp_path_factory.mktemp("fuzz-base")
    code, _, err = run(*SHORT, "--name", "k", "--db", folder / "S.db", "--out", folder / "k.ics")
    assert code == 0, err
    shutil.copy(ROOT / "templates" / "programs" / "hip-knee.toml", folder / "mine.toml")
    return folder


@pytest.mark.slow
@fuzz(40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    command=st.sampled_from(["export", "generate", "generate-named"]),
    out_kind=st.sampled_from(KINDS),
    json_kind=st.none() | st.sampled_from(KINDS),
    fmt=st.sampled_from([None, "ics", "html", "json"]),
)
def test_fuzz_outputs(
    tmp_path_factory: pytest.TempPathFactory,
    fuzz_base: Path,
    command: str,
    out_kind: str,
    json_kind: str | None,
    fmt: str | None,
) -> None:
    """Any output path: exit 0, 1 or 2; a failure is one ``error:`` line and changes no
    file and no store row."""
    folder = tmp_path_factory.mktemp("fuzz") / "f"
    shutil.copytree(fuzz_base, folder)
    db, template = folder / "S.db", folder / "mine.toml"
    os.mkfifo(folder / "pipe")
    (folder / "to-store").symlink_to(db)
    paths = {
        "store": db,
        "wal": Path(f"{db}-wal"),
        "template": template,
        "fifo": folder / "pipe",
        "folder": folder,
        "link-to-store": folder / "to-store",
        "plain": folder / "out.file",
        "-": Path("-"),
        "missing": folder / "no" / "such.ics",
    }
    before = snapshot(folder)
    if command == "export":
        args: list[str | Path] = ["export", "k", "--db", db, "--out", paths[out_kind]]
        args += ["--format", fmt] if fmt else []
    else:
        args = [*SHORT[:1], template, *SHORT[2:], "--days", "tue,thu,sat"]
        args += ["--out", paths[out_kind]]
        args += ["--json", paths[json_kind]] if json_kind else []
        args += ["--db", db] + (["--name", "k"] if command == "generate-named" else [])
    code, _, err = run(*args)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    if code != 0:
        assert err.startswith("error:") and err.count("\n") == 1, err
        assert snapshot(folder) == before
    else:
        after = snapshot(folder)
        if command != "export":  # export reads no template: a .toml there is any file
            assert after["mine.toml"] == before["mine.toml"], "the template was overwritten"
        assert after["S.db"].startswith(b"SQLite format 3\x00"), "the store was overwritten"
        assert after["pipe"] == b"special" and after["to-store"] == before["to-store"]
