"""A writer process for tests/python/test_processes.py: opens a workspace and commits
batches of reports, saying on stdout each batch whose commit returned.

    process_writer.py PATH TAG BATCHES PER_BATCH [GO_FILE]

Case numbers are TAG-BATCH-K. After its last batch the writer prints "done"; with GO_FILE
it then waits for that file to exist and prints its view of the workspace as JSON, the
way it sees it then (every other writer has finished by then).
"""

import hashlib
import json
import os
import sys
import time

import gridgov
from test_cases import at


def view(ws):
    cases = ws.cases
    digest = hashlib.sha256()
    for i in range(len(cases)):
        c = cases.get(i)
        digest.update(f"{c.number}|{c.state}|{c.last_event}\n".encode())
    return {"cases": len(cases), "head": cases.head().sequence, "digest": digest.hexdigest()}


def main():
    path, tag, batches, per_batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    go = sys.argv[5] if len(sys.argv) > 5 else None
    with gridgov.Workspace.open(path, create=False) as ws:
        for b in range(batches):
            with ws.cases.batch():
                for k in range(per_batch):
                    case = ws.cases.report("E0102", "371327101001001", at=at("2026-03-02", "09:00"),
                                           actor="P01", number=f"{tag}-{b:04d}-{k:02d}")
                    case.fire("file", at=at("2026-03-02", "09:10"), actor="P03")
            print(f"committed {b}", flush=True)
        print("done", flush=True)
        if go:
            while not os.path.exists(go):
                time.sleep(0.01)
            ws.refresh()  # on PostgreSQL the last notifications may still be on their way
            print(json.dumps(view(ws)), flush=True)


if __name__ == "__main__":
    main()
