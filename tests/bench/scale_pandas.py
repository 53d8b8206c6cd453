#!/usr/bin/python3
"""A period's cases of the scale benchmark's file into pandas, from Python.

Opens the file gridgov_scale_bench wrote (GRIDGOV_SCALE_FILE, or the default file in the
temporary folder for GRIDGOV_SCALE_CASES cases) read-only and times, for 7, 31 and 92 days
from 1 March 2024, selecting the cases reported in them and reading the same six columns
as BM_Scale_PeriodColumns into a DataFrame. Prints one line per period: rows, the
median of eleven runs and the first run (the process's allocators still growing), with
each run; run it next to gridgov_scale_bench --benchmark_filter=PeriodColumns for the
ratio.

    PYTHONPATH=<build>/bindings/python /usr/bin/python3 tests/bench/scale_pandas.py
"""
import datetime
import os
import statistics
import sys
import tempfile
import time

import gridgov

COLUMNS = ["number", "category", "node", "state", "reported_at", "closed_at"]


def scale_file():
    if "GRIDGOV_SCALE_FILE" in os.environ:
        return os.environ["GRIDGOV_SCALE_FILE"]
    cases = int(os.environ.get("GRIDGOV_SCALE_CASES", "1000000"))
    return os.path.join(tempfile.gettempdir(), f"gridgov-scale-{cases}.gridgov")


def main():
    path = scale_file()
    if not os.path.exists(path):
        sys.exit(f"{path}: no such file; run gridgov_scale_bench first to write it")
    ws = gridgov.Workspace.open(path, create=False, read_only=True)
    start = datetime.datetime(2024, 3, 1)
    for days in (7, 31, 92):
        until = start + datetime.timedelta(days=days)
        runs = []
        rows = 0
        for _ in range(11):
            t0 = time.perf_counter()
            frame = ws.cases.select(reported_from=start, reported_until=until).to_pandas(
                columns=COLUMNS
            )
            runs.append((time.perf_counter() - t0) * 1000)
            rows = len(frame)
        shown = ", ".join(f"{r:.1f}" for r in runs)
        print(f"period_to_pandas/{days}  rows={rows}  median {statistics.median(runs):.1f} ms"
              f"  first {runs[0]:.1f} ms  ({shown})")


if __name__ == "__main__":
    main()
