"""What the command-line tests share: the binary (GRIDGOV_CLI), the sample county's folder
(GRIDGOV_EXAMPLES_DATA; tests/CMakeLists.txt sets both), running the tool, and workspace
files compared and copied byte for byte."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("GRIDGOV_CLI", "")
DATA = Path(os.environ.get("GRIDGOV_EXAMPLES_DATA",
                           Path(__file__).resolve().parents[2] / "examples" / "data"))

needs_cli = pytest.mark.skipif(not CLI or not Path(CLI).exists(),
                               reason="GRIDGOV_CLI does not name the gridgov binary")


def run(*args, ws=None, check=None):
    cmd = [CLI]
    if ws is not None:
        cmd += ["-w", str(ws)]
    cmd += [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env={**os.environ, "LC_ALL": "C.UTF-8"})
    if check is not None:
        assert p.returncode == check, f"{cmd}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p


def run_json(*args, ws=None, check=0):
    return json.loads(run("--json", *args, ws=ws, check=check).stdout)


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def copy_workspace(src, dst):
    shutil.copy(src, dst)
    for suffix in ("-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)
    return dst


def write_json(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def file_refuser(ws, tmp_path, listing=None):
    """A check of documents a command must refuse: `refused(command, doc, *messages, code=3)`
    writes `doc` (text, or JSON from a value) to a file, runs `gridgov <command...> FILE`,
    and asserts the exit code, a message starting with the file and containing `messages`,
    the workspace file unchanged byte for byte and, with `listing` (the arguments of a JSON
    listing), the listing unchanged."""
    before = digest(ws)
    listed = run_json(*listing, ws=ws) if listing else None

    def refused(command, doc, *messages, code=3):
        path = tmp_path / "more.json"
        if isinstance(doc, str):
            path.write_text(doc, encoding="utf-8")
        else:
            write_json(path, doc)
        p = run(*command, path, ws=ws, check=code)
        assert p.stderr.startswith(f"gridgov: {path}"), p.stderr
        for m in messages:
            assert m in p.stderr, p.stderr
        assert digest(ws) == before
        if listing:
            assert run_json(*listing, ws=ws) == listed

    return refused
