"""Benchmark 9: two installs of planner side by side, whole process, runs interleaved.

    python benchmarks/bench_compare.py OLD_PYTHON NEW_PYTHON [ROUNDS]

Each python is a virtual environment's interpreter with planner installed (for example
one from a worktree of an older commit, one from this checkout). Both get the same saved
plan and the same seven logged weeks in stores of their own; then every command below
(generate, log, checkin, adapt --dry-run, history, show, export, --help) runs ROUNDS times,
old and new alternating, so machine noise falls on both alike. Prints the median of each
and the ratio new / old. Both installs need 'log --all-done'.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START, TODAY = "2026-09-07", "2026-10-24"  # a Saturday after week 7


def commands(work: Path) -> dict[str, list[str]]:
    gen = ["generate", "hip-knee", "--start", START, "--days", "mon,wed,fri"]
    return {
        "generate (no name)": [*gen, "--out", str(work / "g.ics")],
        "log one exercise": [
            *("log", "k", "--session", "W1S1", "--exercise", "clamshell", "--pain", "1")
        ],
        "checkin": ["checkin", "k", "--morning-pain", "2"],
        "adapt --dry-run": ["adapt", "k", "--dry-run"],
        "history": ["history", "k"],
        "show": ["show", "k"],
        "export html": ["export", "k", "--out", str(work / "k.html")],
        "--help": ["--help"],
    }  # fmt: skip


def prepare(python: str, work: Path) -> dict[str, str]:
    env = {**os.environ, "PLANNER_DB": str(work / "plans.db"), "PLANNER_TODAY": TODAY}
    run = [python, "-m", "planner"]

    def quiet(*args: str, feed: str | None = None) -> None:
        subprocess.run(
            [*run, *args], env=env, input=feed, text=True, check=True, capture_output=True
        )

    quiet("generate", "hip-knee", "--start", START, "--days", "mon,wed,fri", "--name", "k",
          "--out", str(work / "k.ics"))  # fmt: skip
    for week in range(1, 8):
        for index in (1, 2, 3):
            # Non-interactive: the interactive log asks five questions an exercise and
            # its prompts may change; --all-done logs the whole session as prescribed.
            quiet("log", "k", "--session", f"W{week}S{index}", "--all-done", "--pain", "1")
    return env


def main() -> None:
    old, new = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    sides = {}
    for label, python in (("old", old), ("new", new)):
        work = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
        sides[label] = (python, prepare(python, work), commands(work))
    print(f"median of {rounds} interleaved runs, ms")
    print(f"  {'command':<20} {'old':>8} {'new':>8}  new/old")
    for name in commands(Path(".")):
        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(rounds):
            for label, (python, env, cmds) in sides.items():
                t0 = time.perf_counter()
                subprocess.run(
                    [python, "-m", "planner", *cmds[name]],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                times[label].append((time.perf_counter() - t0) * 1000)
        a, b = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"  {name:<20} {a:8.1f} {b:8.1f}  {b / a:5.2f}")


if __name__ == "__main__":
    main()
