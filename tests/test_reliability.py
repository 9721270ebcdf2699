"""Processes killed while exporting leave whole files and a sound store.

Each run is stopped at a chosen point: while its temporary file sits next to the target (the
old file must survive), just after the rename (the new file must be whole), or at a random
moment of the run's second half (store transaction included: either file, never a fragment).
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import icalendar
import pytest

pytestmark = pytest.mark.slow  # about 20 s: two dozen runs of the CLI in a subprocess

RUNS = 21
POLL = 0.0005  # s between looks at the folder: far shorter than an fsync
STAGES = ("temp file", "renamed", "timed")


def complete(data: bytes, sessions: int) -> bool:
    """A whole calendar: ends properly, parses, and has every session."""
    if not data.endswith(b"END:VCALENDAR\r\n"):
        return False
    return len(icalendar.Calendar.from_ical(data).walk("VEVENT")) == sessions


def temp_files(target: Path) -> list[str]:
    """The temporary files an atomic write of ``target`` leaves beside it while writing."""
    prefix = f".{target.name}."
    return [e.name for e in os.scandir(target.parent) if e.name.startswith(prefix)]


def freeze(process: "subprocess.Popen[bytes]") -> bool:
    """Stop ``process`` and wait until it is stopped; False if it had exited first."""
    process.send_signal(signal.SIGSTOP)
    if process.returncode is not None:
        return False
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        return True
    process.returncode = os.waitstatus_to_exitcode(status)
    return False


def stop_at(process: "subprocess.Popen[bytes]", target: Path, stage: str, delay: float) -> bool:
    """Freeze ``process`` at ``stage`` (after ``delay``); False when it finished first."""
    time.sleep(delay)
    if stage == "timed":
        return freeze(process)
    inode = target.stat().st_ino
    while process.poll() is None:
        if (stage == "temp file" and temp_files(target)) or (
            stage == "renamed" and target.stat().st_ino != inode
        ):
            return freeze(process)
        time.sleep(POLL)
    return False


def test_kills_while_exporting_leave_the_old_file_or_the_new_one(tmp_path: Path) -> None:
    env = {**os.environ, "PLANNER_DB": str(tmp_path / "plans.db")}
    target = tmp_path / "plan.ics"
    base = [sys.executable, "-m", "planner"]
    days = ("mon,wed,fri", "tue,thu,sat")
    generate = [*base, "generate", "hip-knee", "--start", "2026-12-07", "--name", "knee"]

    def command(i: int) -> list[str]:
        # Alternate two commands that rewrite the file and the store, each run with new
        # content (its own reminder), so the old file and the new one always differ.
        remind = ["--remind", f"{10 + i}m", "--out", str(target)]
        if i % 2:
            return [*generate, "--days", days[i % 4 // 2], *remind]
        return [*base, "export", "knee", *remind]

    started = time.monotonic()
    setup = [*generate, "--days", days[0], "--out", str(target)]
    subprocess.run(setup, env=env, check=True, stdout=subprocess.DEVNULL)
    full_run = time.monotonic() - started
    rng = random.Random(20261121)
    previous = target.read_bytes()
    seen: Counter[tuple[str, str]] = Counter()
    for i in range(RUNS):
        stage = STAGES[i % len(STAGES)]
        process = subprocess.Popen(command(i), env=env, stderr=subprocess.DEVNULL)
        # Most of a run is interpreter start-up and imports: aim the timed stops at its
        # second half, where the store transaction and the file write happen.
        delay = rng.uniform(0.4, 1.1) * full_run if stage == "timed" else 0.0
        stopped = stop_at(process, target, stage, delay)
        # Frozen, the process has done all it ever will: see how far it got, then end it.
        writing = stopped and bool(temp_files(target))
        if stopped:
            process.kill()
        process.wait()
        data = target.read_bytes()
        if data == previous:
            outcome = "old"
        else:
            assert complete(data, 24), f"run {i} ({stage}) left a fragment of {len(data)} bytes"
            outcome = "new"
        if not stopped:
            assert process.returncode == 0 and outcome == "new", f"run {i} ({stage}) failed"
            stage = "finished"
        elif stage == "temp file" and not writing:
            stage = "temp file, renamed before the stop"  # the stop came a moment late
        if stage == "temp file":
            assert outcome == "old", f"run {i}: the target was replaced before the rename"
        elif stage == "renamed":
            assert outcome == "new", f"run {i}: the renamed file is not the new one"
        seen[(stage, outcome)] += 1
        for leftover in temp_files(target):  # a killed writer cannot remove its own
            (tmp_path / leftover).unlink()
        previous = data
        db = sqlite3.connect(tmp_path / "plans.db")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    # Both outcomes happened, each at the point chosen for it, in most of its runs (a run
    # may outrun the watching now and then; it must still have finished cleanly).
    for wanted in (("temp file", "old"), ("renamed", "new")):
        assert seen[wanted] >= RUNS // len(STAGES) // 2, seen
    # After all that, exports work again, and repeating one changes nothing.
    for expected in ("24 sessions (", "24 sessions (0 changed, 0 new, 24 unchanged)"):
        done = subprocess.run(command(0), check=False, env=env, capture_output=True, text=True)
        assert done.returncode == 0 and expected in done.stdout, done.stderr
        assert complete(target.read_bytes(), 24)
    print(f"stops: {dict(seen)}, full run {full_run:.2f} s")
