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


# ---- the year of matters (examples/make_sample_year.py) ---------------------------------

YEAR_GENERATOR = ROOT / "examples" / "make_sample_year.py"
YEAR_FILES = ["attendance.csv", "collection.csv", "households.csv", "matters.csv", "patrols.csv",
              "ratings.csv", "staff_assignments.csv", "staff_people.csv", "tasks.csv",
              "visits.csv"]


def generate_year(out):
    subprocess.run([sys.executable, str(YEAR_GENERATOR), str(out), "--data", str(COMMITTED)],
                   check=True, capture_output=True)
    return sorted(p.name for p in out.iterdir())


def read_rows(path):
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("year")
    assert generate_year(out) == YEAR_FILES
    return out


def test_year_generator_is_deterministic(year, tmp_path):
    assert generate_year(tmp_path) == YEAR_FILES
    for name in YEAR_FILES:
        assert (tmp_path / name).read_bytes() == (year / name).read_bytes(), name


def test_year_steps_name_people_nodes_and_commands_that_exist(year):
    people = {r["id"] for r in read_rows(COMMITTED / "people.csv")}
    staff = {r["id"] for r in read_rows(year / "staff_people.csv")}
    assert not people & staff
    people |= staff
    assert {r["person"] for r in read_rows(year / "staff_assignments.csv")} == staff
    nodes = {r["code"] for r in read_rows(COMMITTED / "county.csv")}
    rows = read_rows(year / "matters.csv")
    commands = {}
    matters = set()
    for r in rows:
        assert r["actor"] in people or r["actor"] in ("", "system"), r
        commands[r["command"]] = commands.get(r["command"], 0) + 1
        if r["step"] == "0":
            assert r["node"] in nodes and r["category"] and r["workflow"], r
            matters.add(r["matter"])
    assert 2000 <= len(matters) <= 6000
    # Every side path the brief asks for occurs, the main line most of all.
    for command in ["return", "request_extension", "approve_extension", "deny_extension",
                    "suspend", "resume", "check_fail", "escalate", "void", "supervise",
                    "self_handle", "rate", "callback"]:
        assert commands.get(command, 0) > 0, command
    assert commands["close"] > 0.8 * commands["report"] - commands["callback"]
    workflows = {r["workflow"] for r in rows if r["step"] == "0"}
    assert workflows == {"township_six_step", "urban_seven_step", "hotline_callback"}
    ratings = {r["rating"] for r in rows if r["rating"]}
    assert ratings == {"satisfied", "basically_satisfied", "unsatisfied"}


def test_year_activity_covers_every_grid_with_a_few_weak_workers(year):
    grids = {r["code"] for r in read_rows(COMMITTED / "county.csv") if r["level"] == "grid"}
    households = read_rows(year / "households.csv")
    assert {h["grid"] for h in households} == grids
    special = [h for h in households if h["class"] == "special"]
    assert 0.05 <= len(special) / len(households) <= 0.08
    assert all(h["categories"] for h in special)
    assert not any(h["categories"] for h in households if h["class"] == "ordinary")
    ids = {h["id"] for h in households}
    assert all(v["household"] in ids for v in read_rows(year / "visits.csv"))
    # Community ratings: most workers in the 80s and 90s; 柳湾村第一网格's worker below 70
    # for three months in a row.
    by_worker = {}
    for r in read_rows(year / "ratings.csv"):
        by_worker.setdefault(r["subject"], {})[r["period"]] = int(r["points"])
    weak = [p for p, months in by_worker.items()
            if sum(1 for v in months.values() if v < 70) >= 3]
    assert 1 <= len(weak) <= 3
    assert len(by_worker) > 40
