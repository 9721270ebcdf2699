"""Processes killed at random points while exporting leave whole files and a sound store."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import icalendar

KILLS = 24


def complete(data: bytes, sessions: int) -> bool:
    """A whole calendar: ends properly, parses, and has every session."""
    if not data.endswith(b"END:VCALENDAR\r\n"):
        return False
    return len(icalendar.Calendar.from_ical(data).walk("VEVENT")) == sessions


def test_random_kills_while_exporting(tmp_path: Path) -> None:
    env = {**os.environ, "PLANNER_DB": str(tmp_path / "plans.db")}
    target = tmp_path / "plan.ics"
    base = [sys.executable, "-m", "planner"]
    days = ("mon,wed,fri", "tue,thu,sat")
    generate = [*base, "generate", "hip-knee", "--start", "2026-12-07", "--name", "knee"]

    def command(i: int) -> list[str]:
        # Alternate two commands that both rewrite the file and the store with new content.
        if i % 2:
            return [*generate, "--days", days[i % 4 // 2], "--out", str(target)]
        return [*base, "export", "knee", "--out", str(target), "--remind", f"{10 + i}m"]

    started = time.monotonic()
    setup = [*generate, "--days", days[0], "--out", str(target)]
    subprocess.run(setup, env=env, check=True, stdout=subprocess.DEVNULL)
    full_run = time.monotonic() - started
    rng = random.Random(20261121)
    previous = target.read_bytes()
    outcomes = {"old": 0, "new": 0}
    for i in range(KILLS):
        process = subprocess.Popen(command(i), env=env, stderr=subprocess.DEVNULL)
        # Most of a run is interpreter start-up and imports; aim the kills at its second half,
        # where the store transaction and the file write happen, and sometimes past the end.
        time.sleep(rng.uniform(0.4, 1.2) * full_run)
        process.send_signal(signal.SIGKILL)
        process.wait()
        data = target.read_bytes()
        if data == previous:
            outcomes["old"] += 1
        else:
            assert complete(data, 24), f"kill {i} left a fragment of {len(data)} bytes"
            outcomes["new"] += 1
        previous = data
        db = sqlite3.connect(tmp_path / "plans.db")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    # After all that, exports work again, and repeating one changes nothing.
    for expected in ("24 sessions (", "24 sessions (0 changed, 0 new, 24 unchanged)"):
        done = subprocess.run(command(0), check=False, env=env, capture_output=True, text=True)
        assert done.returncode == 0 and expected in done.stdout, done.stderr
        assert complete(target.read_bytes(), 24)
    print(f"kills: {outcomes}, full run {full_run:.2f} s")
