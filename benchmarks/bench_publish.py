"""Benchmark: ``planner publish`` of a 312-session plan (104 weeks x 3) to a local server.

For each server (Radicale and Xandikos, started on 127.0.0.1 with fresh storage) and each
code tree given (default: this one), interleaved round by round so both see the same
machine state:

- first publish: the calendar is made and 312 sessions created;
- republish with nothing changed (a no-op).

Each is a whole ``planner publish`` process (start-up included, ~0.3 s). The target
(issue 16): 312 created in under 5 s, a no-op republish under 1 s.

    python benchmarks/bench_publish.py [--rounds 3] [--servers radicale,xandikos]
        [--code DIR ...]   # e.g. an old checkout, to compare before/after
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.caldav_server import PASSWORD, SERVERS, USER  # noqa: E402

GENERATE = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
            "--weeks", "104", "--name", "big"]  # fmt: skip


def planner(code: Path, db: Path, *args: str) -> tuple[float, str]:
    """Run one planner command from ``code``; its wall time and standard output."""
    env = {**os.environ, "PYTHONPATH": str(code), "PLANNER_CALDAV_PASSWORD": PASSWORD}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args, "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr}")
    return took, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--servers", default="radicale,xandikos")
    parser.add_argument("--code", type=Path, action="append")
    args = parser.parse_args()
    trees: list[Path] = args.code or [ROOT]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in args.servers.split(","):
            server = SERVERS[kind](work / kind).start()
            times: dict[tuple[Path, str], list[float]] = {}
            try:
                for round_ in range(args.rounds):
                    for number, code in enumerate(trees):
                        db = work / f"{kind}-{round_}-{number}.db"
                        planner(code, db, *GENERATE, "--out", str(work / "big.ics"))
                        publish = ["publish", "big", "--caldav-url", server.url,
                                   "--username", USER,
                                   "--calendar-name", f"Bench {round_} {number}"]  # fmt: skip
                        first, out = planner(code, db, *publish)
                        assert "created 312" in out, out
                        again, out = planner(code, db, *publish)
                        assert "unchanged 312" in out, out
                        times.setdefault((code, "first"), []).append(first)
                        times.setdefault((code, "again"), []).append(again)
            finally:
                server.stop()
            print(f"{server.name}, 312 sessions, median of {args.rounds} (whole process):")
            for code in trees:
                first = statistics.median(times[(code, "first")])
                again = statistics.median(times[(code, "again")])
                print(f"  {code}: first publish {first:6.2f} s, no-op republish {again:5.2f} s")


if __name__ == "__main__":
    main()
