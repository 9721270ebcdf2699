"""Timing helper shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], rounds: int = 30) -> float:
    """Median wall time of ``action`` over ``rounds`` runs, in milliseconds."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000
