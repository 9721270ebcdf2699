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

With ``--latency-ms 30`` it measures instead what the pool of parallel requests buys
behind a network: a 156-session plan (52 weeks x 3) published through a local proxy that
adds that much per round trip (benchmarks/latency_proxy.py; ~30 ms is a hosted Nextcloud
seen from home), first publish and no-op republish, with the pool as shipped
(``planner.caldav.sync.WORKERS``) against one worker, interleaved (pool, one, pool, one
...), medians of whole processes:

    python benchmarks/bench_publish.py --latency-ms 30 [--rounds 5] [--servers ...]
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

from benchmarks.latency_proxy import LatencyProxy  # noqa: E402
from tests.caldav_server import PASSWORD, SERVERS, USER  # noqa: E402

GENERATE = ["generate", "hip-knee", "--start", "2026-12-07", "--days", "mon,wed,fri",
            "--weeks", "104", "--name", "big"]  # fmt: skip


# Runs the planner CLI with the pool set to argv[1] workers (0: as shipped).
_WITH_WORKERS = (
    "import sys, planner.caldav.sync as sync\n"
    "sync.WORKERS = int(sys.argv[1]) or sync.WORKERS\n"
    "sys.argv = ['planner', *sys.argv[2:]]\n"
    "from planner.cli.app import main\n"
    "main()\n"
)


def planner(code: Path, db: Path, *args: str, workers: int | None = None) -> tuple[float, str]:
    """Run one planner command from ``code``; its wall time and standard output.
    ``workers`` sets the publish pool's size in that process (0: as shipped)."""
    env = {**os.environ, "PYTHONPATH": str(code), "PLANNER_CALDAV_PASSWORD": PASSWORD}
    start = ["-m", "planner"] if workers is None else ["-c", _WITH_WORKERS, str(workers)]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *start, *args, "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr}")
    return took, done.stdout


def behind_latency(latency_ms: float, rounds: int, kinds: list[str]) -> None:
    """The pool as shipped against one worker, through a proxy adding ``latency_ms`` per
    round trip: 156 sessions, first publish and no-op republish, interleaved."""
    from planner.caldav.sync import WORKERS

    variants = {f"pool of {WORKERS}": 0, "one worker": 1}
    generate = [*GENERATE[:-4], "--weeks", "52", "--name", "year"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind in kinds:
            server = SERVERS[kind](work / kind).start()
            times: dict[tuple[str, str], list[float]] = {}
            try:
                with LatencyProxy(server.port, latency_ms) as proxy:
                    for round_ in range(rounds):
                        for label, workers in variants.items():
                            db = work / f"{kind}-{round_}-{workers}.db"
                            planner(ROOT, db, *generate, "--out", str(work / "year.ics"))
                            name = f"Latency {round_} {workers}"
                            publish = ["publish", "year", "--caldav-url", proxy.url,
                                       "--username", USER, "--calendar-name", name]  # fmt: skip
                            first, out = planner(ROOT, db, *publish, workers=workers)
                            assert "created 156," in out, out
                            again, out = planner(ROOT, db, *publish, workers=workers)
                            assert "unchanged 156" in out, out
                            times.setdefault((label, "first"), []).append(first)
                            times.setdefault((label, "again"), []).append(again)
            finally:
                server.stop()
            print(f"{server.name} behind +{latency_ms:g} ms per round trip, 156 sessions, "
                  f"median of {rounds} (whole process; each run's times in brackets):")  # fmt: skip
            for label in variants:
                first, again = times[(label, "first")], times[(label, "again")]
                print(f"  {label:>10}: first publish {statistics.median(first):6.2f} s "
                      f"{_runs(first)}, no-op republish {statistics.median(again):5.2f} s "
                      f"{_runs(again)}")  # fmt: skip


def _runs(times: list[float]) -> str:
    return "[" + " ".join(f"{t:.2f}" for t in times) + "]"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--servers", default="radicale,xandikos")
    parser.add_argument("--code", type=Path, action="append")
    parser.add_argument("--latency-ms", type=float, help="pool against one worker, behind this")
    args = parser.parse_args()
    if args.latency_ms is not None:
        behind_latency(args.latency_ms, args.rounds, args.servers.split(","))
        return
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
