"""One workspace shared by several Python threads.

* A case batch belongs to the thread that opened it: other threads' calls wait until it is
  committed or rolled back, so their changes never join it (and are never undone by its
  rollback) and their reads never see its uncommitted work.
* Readers and writers are served in turn: threads that keep reading do not hold a change
  back for ever.
* Two threads whose first call returns a numpy array do not deadlock in a fresh
  interpreter.

Every wait is bounded, so that a regression fails the test instead of hanging the run.
"""

import concurrent.futures
import os
import subprocess
import sys
import threading
import time

import pytest

import gridgov
from test_cases import GRID_1, GRID_2, at, report, set_up

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


def wait_until_blocked(thread, out, seconds=0.5):
    """Gives the thread time to finish; True when it is still waiting afterwards."""
    thread.join(seconds)
    return thread.is_alive() and not out


# ---- a batch belongs to the thread that opened it ------------------------------------------------
def test_another_threads_report_waits_for_a_batch_and_survives_its_rollback(ws):
    def other():
        case = report(ws, time="10:00", node=GRID_2, actor="P02")
        return case.number

    with pytest.raises(RuntimeError, match="changed its mind"):
        with ws.cases.batch():
            mine = report(ws, time="09:00")
            thread, out = start(other)
            # The other thread's report may not go through now: it would join the batch.
            assert wait_until_blocked(thread, out)
            # The batch's own thread goes on meanwhile; it is not queued behind the waiter.
            mine.fire("file", at=at("2026-03-02", "09:10"), actor="P03")
            assert ws.cases.in_batch and len(ws.cases) == 1
            raise RuntimeError("the batch's thread changed its mind")

    number = joined(thread, out)
    # The rollback took the batch's case and left the other thread's, which was written
    # after it.
    assert len(ws.cases) == 1
    assert ws.cases.get(number).node.code == GRID_2
    assert ws.cases.get(number).state == "reported"
    assert ws.cases.verify_log().ok


def test_another_thread_reads_what_was_committed_not_the_open_batch(ws):
    report(ws, time="08:00")
    seen = {}

    def other():
        seen["count"] = len(ws.cases)
        seen["ids"] = list(ws.cases.ids())
        seen["verified"] = ws.cases.verify_log().ok  # refused inside a batch; waits instead
        return True

    with pytest.raises(RuntimeError):
        with ws.cases.batch():
            report(ws, time="09:00")
            thread, out = start(other)
            assert wait_until_blocked(thread, out)
            raise RuntimeError("roll back")
    assert joined(thread, out)
    assert seen == {"count": 1, "ids": [0], "verified": True}


def test_another_thread_may_not_commit_or_roll_back_a_batch(ws):
    ws.cases.begin_batch()
    report(ws, time="09:00")
    thread, out = start(ws.cases.rollback_batch)
    assert wait_until_blocked(thread, out)
    ws.cases.commit_batch()
    # Once the batch is committed, the other thread's call runs and finds none open.
    with pytest.raises(gridgov.InvalidStateError, match="no batch is open"):
        joined(thread, out)
    assert len(ws.cases) == 1 and not ws.cases.in_batch


def test_batches_of_several_threads_take_turns(ws):
    def batch_of(hour, node, actor):
        def work():
            numbers = []
            for k in range(5):
                with ws.cases.batch():
                    numbers.append(report(ws, time=f"{hour:02d}:{k:02d}", node=node,
                                          actor=actor).number)
            return numbers

        return work

    threads = [start(batch_of(9, GRID_1, "P01")), start(batch_of(10, GRID_2, "P02"))]
    numbers = [n for thread, out in threads for n in joined(thread, out)]
    assert len(set(numbers)) == 10
    assert len(ws.cases) == 10
    assert not ws.cases.verify_cases()
    assert ws.cases.verify_log().ok


def test_a_thread_that_keeps_opening_batches_does_not_shut_another_out(ws):
    done = threading.Event()
    going = threading.Event()
    batches = [0]

    def batcher():
        deadline = time.monotonic() + JOIN
        while not done.is_set() and time.monotonic() < deadline:
            k = batches[0]
            with ws.cases.batch():
                report(ws, day=f"2026-01-{1 + k % 28:02d}", time=f"{8 + k // 28 % 10:02d}:00")
            batches[0] += 1
            if batches[0] == 3:
                going.set()
        return True

    looping = start(batcher)
    assert going.wait(JOIN)

    def other():
        return [report(ws, time=f"10:{k:02d}", node=GRID_2, actor="P02").number
                for k in range(10)]

    thread, out = start(other)
    try:
        assert len(joined(thread, out)) == 10
        assert looping[0].is_alive()  # it got in between the batches, which went on
    finally:
        done.set()
        joined(*looping)
    assert len(ws.cases) == batches[0] + 10


# ---- readers do not starve a writer ------------------------------------------------------------------
@pytest.mark.parametrize("read", ["verify_log", "count"])
def test_a_writer_gets_its_turn_while_two_threads_keep_reading(ws, read):
    with ws.cases.batch():
        for k in range(200):
            report(ws, day=f"2026-01-{1 + k % 28:02d}", time=f"{8 + k // 28:02d}:00")
    reads = [0, 0]
    writing = threading.Event()
    done = threading.Event()

    def reader(i):
        def loop():
            call = getattr(ws.cases, read)
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
    assert len(ws.cases) == 220
    assert all(n > 3 for n in reads)


# ---- numpy in a fresh interpreter -------------------------------------------------------------------
FIRST_ARRAYS = """
import threading
import gridgov

ws = gridgov.Workspace.open(":memory:")
ready = threading.Barrier(2)


def first_call():
    ready.wait()
    ws.cases.ids()


threads = [threading.Thread(target=first_call) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("ok")
"""


def test_two_threads_first_numpy_calls_right_after_import_do_not_deadlock():
    def fresh_interpreter(_):
        try:
            done = subprocess.run([sys.executable, "-c", FIRST_ARRAYS], env=os.environ.copy(),
                                  capture_output=True, text=True, timeout=20)
        except subprocess.TimeoutExpired:
            return "hung"
        return done.stdout.strip() if done.returncode == 0 else done.stderr

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(fresh_interpreter, range(50)))
    assert outcomes == ["ok"] * 50
