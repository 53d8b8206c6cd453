"""The sample county in examples/data is generated, deterministic and up to date, and the
Python snippets of README.md and docs/tutorial.md run and print what the pages show."""

import os
import re
import subprocess
import sys
from pathlib import Path

import gridgov
import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "examples" / "make_sample_county.py"
COMMITTED = Path(os.environ.get("GRIDGOV_EXAMPLES_DATA", ROOT / "examples" / "data"))


def generate(out):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True)
    return sorted(p.name for p in out.iterdir())


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    written = generate(tmp_path)
    assert "county.json" in written and "county.csv" in written
    for name in written:
        fresh = (tmp_path / name).read_bytes()
        committed = COMMITTED / name
        assert committed.exists(), f"{name} is generated but not committed in examples/data"
        assert fresh == committed.read_bytes(), (
            f"examples/data/{name} is out of date: run python3 examples/make_sample_county.py")


def test_every_committed_data_file_comes_from_the_generator(tmp_path):
    written = set(generate(tmp_path))
    committed = {p.name for p in COMMITTED.iterdir() if p.is_file()}
    assert committed <= written, f"not produced by the generator: {sorted(committed - written)}"


def python_blocks(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def run_snippet(code, tmp_path):
    # The snippets name examples/data relative to the repository root, and import the
    # same gridgov package as this test.
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = dict(os.environ, PYTHONPATH=str(Path(gridgov.__file__).resolve().parents[1]))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True)
    return result.stdout


def test_readme_python_snippet_runs(tmp_path):
    (code,) = python_blocks("README.md")
    out = run_snippet(code, tmp_path)
    assert "overlay.gap 371338001009002" in out
    assert out.splitlines()[-1] == "4474.0"


def test_tutorial_python_session_prints_what_the_tutorial_shows(tmp_path):
    pytest.importorskip("pandas")  # the session ends with a DataFrame
    code = python_blocks("docs/tutorial.md")[0]
    lines = run_snippet(code, tmp_path).splitlines()
    assert lines[:9] == [
        "<ImportReport 87 nodes, 2 overlays, 102 overlay units, 4 findings>",
        "hierarchy.missing_households Severity.ERROR 371338102204003",
        "hierarchy.sizing Severity.WARNING 371338102206002",
        "hierarchy.empty_village Severity.WARNING 371338102208",
        "overlay.overlap Severity.ERROR 371338001004003",
        "overlay.gap Severity.ERROR 371338001009002",
        "城关街道 13427.0",
        "青石镇 4474.0",
        "['XF-01-04-03', 'XF-01-05-01']",
    ]


def test_tutorial_directory_session_prints_what_the_tutorial_shows(tmp_path):
    blocks = python_blocks("docs/tutorial.md")
    assert len(blocks) == 2
    text = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    # The page shows the output right after the code block.
    shown = re.match(r"```\n\n```\n(.*?)```", text.split(blocks[1], 1)[1], re.S)[1].splitlines()
    assert run_snippet(blocks[1], tmp_path).splitlines() == shown
    assert shown[0].endswith("post B>")
    assert shown[-2:] == ["2026-10-08 11:30:00+08:00", "2026-10-13 16:30:00+08:00"]
