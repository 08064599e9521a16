"""Small timing helpers: median and p99 of many calls after warm-up, in microseconds."""

import time

import numpy as np


def time_calls(fn, calls: int, warmup: int = 20) -> dict:
    """Call ``fn`` ``warmup`` + ``calls`` times; median and p99 of the timed calls, in microseconds."""
    for _ in range(warmup):
        fn()
    times = np.empty(calls)
    for i in range(calls):
        start = time.perf_counter()
        fn()
        times[i] = time.perf_counter() - start
    return {"median": round(float(np.median(times)) * 1e6, 2), "p99": round(float(np.percentile(times, 99)) * 1e6, 2),
            "calls": calls}
