"""Benchmark 6: what fitting a plan to the person costs.

In process: generating the 12-week hip-knee plan as written vs with every personal option
(three pain flags, a band only, advanced level, pounds, own bands and phase lengths).
Whole process: ``planner generate`` with and without those options, run interleaved.
"""

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planner.cli.params import build_options
from planner.plan.generate import generate
from planner.templates import load_library, load_program

PY = sys.executable
PLANNER = str(Path(PY).with_name("planner"))
OUT = Path(tempfile.mkdtemp()) / "plan.ics"
BASE = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
        "--weeks", "12", "--out", str(OUT)]  # fmt: skip
PERSONAL = {
    "avoid": "knee,back,hamstring",
    "equipment": "band",
    "level": "advanced",
    "units": "lb",
    "bands": "yellow,red,green,blue",
    "phase_weeks": "activation=3",
}
PERSONAL_ARGS = [x for k, v in PERSONAL.items() for x in (f"--{k.replace('_', '-')}", v)]


def in_process(rounds: int = 200) -> None:
    library = load_library()
    program = load_program("hip-knee", library).program
    by_id = library.by_id()
    plain = build_options(dt.date(2026, 12, 7), "mon,wed,fri", weeks=12)
    personal = build_options(dt.date(2026, 12, 7), "mon,wed,fri", weeks=12, **PERSONAL)  # type: ignore[arg-type]
    times: dict[str, list[float]] = {"as written": [], "personal": []}
    for _ in range(rounds):
        for label, options in (("as written", plain), ("personal", personal)):
            t0 = time.perf_counter()
            generate("hip-knee", program, by_id, options)
            times[label].append(time.perf_counter() - t0)
    base, tailored = (statistics.median(t) * 1000 for t in times.values())
    print(f"generate in process: as written {base:.2f} ms, personal {tailored:.2f} ms "
          f"({tailored / base:.2f}x)")  # fmt: skip


def whole_process(rounds: int = 15) -> None:
    cmds = [[PLANNER, *BASE], [PLANNER, *BASE, *PERSONAL_ARGS]]
    times: list[list[float]] = [[], []]
    for _ in range(rounds):
        for cmd, bucket in zip(cmds, times, strict=True):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            bucket.append(time.perf_counter() - t0)
    base, tailored = (statistics.median(t) * 1000 for t in times)
    print(f"planner generate: as written {base:.1f} ms, personal {tailored:.1f} ms "
          f"({tailored / base:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    in_process()
    whole_process()
