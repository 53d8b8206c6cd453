"""One workspace shared by several Python threads.

* Readers and writers are served in turn: threads that keep reading do not hold a change
  back for ever.

Every wait is bounded, so that a regression fails the test instead of hanging the run.
"""

import threading
import time

import pytest

import gridgov
from test_cases import GRID_2, report, set_up

JOIN = 30  # seconds: far more than any of these threads needs


@pytest.fixture
def ws(tmp_path):
    with gridgov.Workspace.open(tmp_path / "threads.gridgov") as workspace:
        yield set_up(workspace)


def start(target):
    """Runs target in a daemon thread and keeps what it returns or raises."""
    out = {}

    def run():
        try:
            out["value"] = target()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def joined(thread, out):
    thread.join(JOIN)
    assert not thread.is_alive(), "the thread did not finish"
    if "error" in out:
        raise out["error"]
    return out.get("value")


# ---- readers do not starve a writer ------------------------------------------------------------------
@pytest.mark.parametrize("read", ["verify_log", "count_cases"])
def test_a_writer_gets_its_turn_while_two_threads_keep_reading(ws, read):
    with ws.batch():
        for k in range(200):
            report(ws, day=f"2026-01-{1 + k % 28:02d}", time=f"{8 + k // 28:02d}:00")
    reads = [0, 0]
    writing = threading.Event()
    done = threading.Event()

    def reader(i):
        def loop():
            call = getattr(ws, read)
            deadline = time.monotonic() + JOIN
            while not done.is_set() and time.monotonic() < deadline:
                call()
                reads[i] += 1
                if reads[i] == 3:
                    writing.set()
            return True

        return loop

    readers = [start(reader(i)) for i in range(2)]
    assert writing.wait(JOIN)

    def writer():
        for k in range(20):
            report(ws, day="2026-03-02", time=f"10:{k:02d}", node=GRID_2, actor="P02")
        return True

    writer_thread, writer_out = start(writer)
    try:
        joined(writer_thread, writer_out)
        # The readers were still going while the writer finished: it got its turns among them.
        assert all(thread.is_alive() for thread, _ in readers)
    finally:
        done.set()
        for thread, out in readers:
            joined(thread, out)
    assert ws.case_count == 220
    assert all(n > 3 for n in reads)
