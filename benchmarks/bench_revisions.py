"""Benchmark: commands on a saved plan, two source trees side by side, runs interleaved.

    python benchmarks/bench_revisions.py OLD_TREE NEW_TREE [ROUNDS]

Each tree is a checkout of planner run with this interpreter and ``PYTHONPATH=TREE`` (so
both import from source the same way). Each gets a store of its own, written by its own
code: a saved plan with seven weeks logged (three sessions a week, every exercise) and a
check-in. A third store, written by OLD and then opened by NEW, shows what NEW costs on a
store from before seals (every row validated). Every command runs ROUNDS times, the sides
alternating, so machine noise falls on all alike; prints medians and the ratio new / old,
of wall time and of the CPU time (user + system) the command's process used, which other
work on a busy machine disturbs less.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START, TODAY = "2026-09-07", "2026-10-24"  # a Saturday after week 7


def commands(work: Path) -> dict[str, list[str]]:
    return {
        "show": ["show", "k"],
        "export html": ["export", "k", "--out", str(work / "k.html")],
        "adapt --dry-run": ["adapt", "k", "--dry-run"],
        "history": ["history", "k"],
        "log one exercise": [
            *("log", "k", "--session", "W1S1", "--exercise", "clamshell", "--pain", "1")
        ],
    }  # fmt: skip


def environment(tree: str, work: Path) -> dict[str, str]:
    # Run from the store's folder: 'python -m' puts the working folder first on sys.path,
    # so from inside a checkout that checkout would be imported whatever PYTHONPATH says.
    return {
        **os.environ,
        "PYTHONPATH": tree,
        "PLANNER_DB": str(work / "plans.db"),
        "PLANNER_TODAY": TODAY,
    }


def prepare(tree: str, work: Path) -> None:
    env = environment(tree, work)

    def quiet(*args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "planner", *args],
            env=env,
            cwd=work,
            check=True,
            capture_output=True,
        )

    quiet("generate", "hip-knee", "--start", START, "--days", "mon,wed,fri", "--name", "k",
          "--out", str(work / "k.ics"))  # fmt: skip
    for week in range(1, 8):
        for index in (1, 2, 3):
            quiet("log", "k", "--session", f"W{week}S{index}", "--all-done", "--pain", "1")
    quiet("checkin", "k", "--morning-pain", "2")


def main() -> None:
    old, new = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    sides: dict[str, tuple[dict[str, str], dict[str, list[str]]]] = {}
    for label, tree in (("old", old), ("new", new)):
        work = Path(tempfile.mkdtemp(prefix=f"bench-{label}-"))
        prepare(tree, work)
        sides[label] = (environment(tree, work), commands(work))
        if label == "old":
            unsealed = Path(tempfile.mkdtemp(prefix="bench-unsealed-"))
            shutil.copy(work / "plans.db", unsealed / "plans.db")
    sides["new, old store"] = (environment(new, unsealed), commands(unsealed))
    # Migrate the copied store once, so no timed run pays for the migration.
    subprocess.run([sys.executable, "-m", "planner", "show", "k"], env=sides["new, old store"][0],
                   cwd=unsealed, check=True, capture_output=True)  # fmt: skip
    print(f"median of {rounds} interleaved runs, ms (wall | CPU)")
    print(f"  {'command':<18} {'old':>15} {'new':>15} {'new/old':>11} {'new, old store':>15}")
    for name in commands(Path(".")):
        wall: dict[str, list[float]] = {label: [] for label in sides}
        cpu: dict[str, list[float]] = {label: [] for label in sides}
        for _ in range(rounds):
            for label, (env, cmds) in sides.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "planner", *cmds[name]],
                    env=env,
                    cwd=env["PLANNER_DB"].rpartition("/")[0],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                wall[label].append((time.perf_counter() - t0) * 1000)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                cpu[label].append(used * 1000)
        w = [statistics.median(wall[label]) for label in sides]
        c = [statistics.median(cpu[label]) for label in sides]
        print(
            f"  {name:<18} {w[0]:6.0f} | {c[0]:6.0f} {w[1]:6.0f} | {c[1]:6.0f} "
            f"{w[1] / w[0]:4.2f} | {c[1] / c[0]:4.2f} {w[2]:6.0f} | {c[2]:6.0f}"
        )


if __name__ == "__main__":
    main()
