"""Many processes on one workspace: real processes, a real file or a real PostgreSQL server
(docs/deployment.md; ctest runs this file on both).

* N writers committing batches at once: afterwards every case exactly once, the log
  verifies, and each writer's final view equals a fresh open.
* A writer killed with SIGKILL at random moments, again and again: every batch whose
  commit returned is in the file, no batch is there in part, the file opens and verifies.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import gridgov
from process_writer import view
from conftest import store_location
from test_cases import set_up

HERE = Path(__file__).resolve().parent
WRITER = HERE / "process_writer.py"
LIMIT = 120  # seconds: far more than any writer here needs


def writer(path, tag, batches, per_batch, go=None):
    args = [sys.executable, str(WRITER), str(path), tag, str(batches), str(per_batch)]
    if go is not None:
        args.append(str(go))
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                                [str(HERE), os.environ.get("PYTHONPATH", "")])))


def numbers(ws):
    return [ws.cases.get(i).number for i in range(len(ws.cases))]


def test_four_writers_at_once_leave_every_case_once_and_one_view(tmp_path):
    path = store_location(tmp_path, "shared.gridgov")
    with gridgov.Workspace.open(path) as ws:
        set_up(ws)
    go = tmp_path / "go"
    writers, batches, per_batch = 4, 20, 5
    procs = [writer(path, f"W{w}", batches, per_batch, go) for w in range(writers)]
    done = [[] for _ in procs]
    for i, p in enumerate(procs):
        while True:
            line = p.stdout.readline()
            assert line, f"writer {i} ended early: {p.stderr.read()}"
            done[i].append(line.strip())
            if line.strip() == "done":
                break
    go.touch()
    views = []
    for p in procs:
        out, err = p.communicate(timeout=LIMIT)
        assert p.returncode == 0, err
        views.append(json.loads(out.strip().splitlines()[-1]))
    for lines in done:
        assert lines == [f"committed {b}" for b in range(batches)] + ["done"]

    with gridgov.Workspace.open(path, create=False, read_only=True) as fresh:
        got = numbers(fresh)
        expected = {f"W{w}-{b:04d}-{k:02d}" for w in range(writers) for b in range(batches)
                    for k in range(per_batch)}
        assert len(got) == len(expected)
        assert set(got) == expected
        assert fresh.cases.head().sequence == 2 * len(expected)
        assert fresh.cases.verify_log()
        assert fresh.cases.verify_cases() == []
        final = view(fresh)
    # Each writer's batches are in its own order; the writers' batches interleave.
    assert all(v == final for v in views)


def test_writers_killed_at_random_moments_lose_no_committed_batch(tmp_path):
    path = store_location(tmp_path, "killed.gridgov")
    with gridgov.Workspace.open(path) as ws:
        set_up(ws)
    rng = random.Random(20261205)
    per_batch = 3
    committed = {}
    kills = 30
    for i in range(kills):
        tag = f"K{i:02d}"
        p = writer(path, tag, 100000, per_batch)
        # Wait for the first commit, then kill at a random moment of the writing.
        first = p.stdout.readline()
        assert first.startswith("committed"), p.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        p.send_signal(signal.SIGKILL)
        out, _ = p.communicate(timeout=LIMIT)
        lines = [first] + out.splitlines()
        committed[tag] = {int(line.split()[1]) for line in lines if line.startswith("committed")}
        with gridgov.Workspace.open(path, create=False, read_only=True) as ws:
            assert len(ws.cases) >= sum(len(b) for b in committed.values())

    with gridgov.Workspace.open(path, create=False) as ws:
        by_batch = {}
        for number in numbers(ws):
            tag, batch, _ = number.split("-")
            by_batch.setdefault((tag, int(batch)), 0)
            by_batch[(tag, int(batch))] += 1
        # No batch in part.
        assert set(by_batch.values()) == {per_batch}
        # Every batch whose commit returned is there.
        for tag, batches in committed.items():
            for b in batches:
                assert (tag, b) in by_batch
        assert ws.cases.verify_log()
        assert ws.cases.verify_cases() == []
        # The file still takes changes.
        ws.cases.report("E0102", "371327101001001", at="2026-03-03T09:00+08:00", actor="P01")


FOLLOWER = """
import sys, time
import gridgov
with gridgov.Workspace.open(sys.argv[1], create=False, read_only=True) as ws:
    ws.cases.on_transition(lambda e: print(e.case_id, e.type, flush=True))
    print("ready", flush=True)
    while True:
        ws.refresh()
        time.sleep(0.005)
"""


def test_a_process_that_only_follows_hears_every_event_of_another(tmp_path):
    path = store_location(tmp_path, "followed.gridgov")
    with gridgov.Workspace.open(path) as ws:
        set_up(ws)
    follower = subprocess.Popen([sys.executable, "-c", FOLLOWER, str(path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert follower.stdout.readline().strip() == "ready", follower.stderr.read()
        with gridgov.Workspace.open(path, create=False) as ws:
            case = ws.cases.report("E0102", "371327101001001", at="2026-03-02T09:00+08:00",
                                   actor="P01")
            case.fire("file", at="2026-03-02T09:10+08:00", actor="P03")
            heard = [follower.stdout.readline().split() for _ in range(2)]
            assert heard == [[str(case.id), "report"], [str(case.id), "file"]]
    finally:
        follower.kill()
        follower.communicate(timeout=LIMIT)
