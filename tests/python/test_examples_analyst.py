"""examples/python/analyst.py run as a subprocess, the way an analyst runs it.

The activity records are written here for three information officers of 青石村 in March
2026 (22 working days, no holiday), so that every score can be worked out by hand:

* P0004 (第一网格) does everything: present every working day, two 45-minute patrols a day,
  all 120 residents' records checked, every visit window met (a phone call to an ordinary
  household in Q1; a home visit in Q1 and a phone call in March to a special household),
  both special tasks done on time, community rating 100 → 100 under both schemes.
* P0005 (第二网格) does the same daily work but neither of two special tasks:
  grid_worker 0.15·100 + 0.45·100 + 0.30·0 + 0.10·100 = 70 (基本合格);
  the variant 0.15·100 + 0.55·100 + 0.20·0 + 0.10·100 = 80 (合格).
* P0007 (第三网格) is present and patrols on 11 of 22 days (50 %), 10 of 100 residents
  not collected (90 %), no visit to its one ordinary household (0 of 1 windows), its one
  task done, rating 80: daily work 0.4·50 + 0.3·90 + 0.3·0 = 47;
  grid_worker 7.5 + 0.45·47 + 30 + 8 = 66.65; the variant 7.5 + 0.55·47 + 20 + 8 = 61.35.

The other four officers of 青石村 have no records and rank below them.
"""

import datetime
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gridgov

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "python" / "analyst.py"
DATA = Path(os.environ.get("GRIDGOV_EXAMPLES_DATA", ROOT / "examples" / "data"))
VILLAGE = "371338102201"  # 青石村
G1, G2, G3 = (f"{VILLAGE}00{i}" for i in (1, 2, 3))

pytestmark = pytest.mark.skipif(not hasattr(gridgov, "AssessmentScheme"),
                                reason="the gridgov module has no assessment bindings")


def march_working_days():
    days = [datetime.date(2026, 3, d) for d in range(1, 32)]
    return [d for d in days if d.weekday() < 5]  # no holiday in March 2026


def write_csv(folder, name, header, rows):
    lines = [header] + [",".join(str(x) for x in row) for row in rows]
    (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_activity(folder):
    days = march_working_days()
    assert len(days) == 22
    half = days[:11]
    write_csv(folder, "households", "id,grid,class,categories",
              [("H1", G1, "ordinary", ""), ("H2", G1, "special", "低保"),
               ("H3", G2, "ordinary", ""), ("H4", G2, "special", "空巢"),
               ("H5", G3, "ordinary", "")])
    write_csv(folder, "visits", "id,household,person,kind,date",
              [("V1", "H1", "P0004", "phone", "2026-02-10"),
               ("V2", "H2", "P0004", "home", "2026-01-15"),
               ("V3", "H2", "P0004", "phone", "2026-03-05"),
               ("V4", "H3", "P0005", "phone", "2026-03-02"),
               ("V5", "H4", "P0005", "home", "2026-02-20"),
               ("V6", "H4", "P0005", "phone", "2026-03-20")])
    patrols, attendance = [], []
    for person, grid, worked in (("P0004", G1, days), ("P0005", G2, days), ("P0007", G3, half)):
        for d in worked:
            for start, end in (("08:30", "09:15"), ("15:00", "15:45")):
                patrols.append((f"R{len(patrols) + 1}", person, grid, f"{d}T{start}",
                                f"{d}T{end}"))
            attendance.append((f"A{len(attendance) + 1}", person, d))
    write_csv(folder, "patrols", "id,person,grid,start,end", patrols)
    write_csv(folder, "attendance", "id,person,date", attendance)
    write_csv(folder, "collection",
              "id,grid,month,checked,not_collected,not_deregistered,erroneous",
              [("C1", G1, "2026-03", 120, 0, 0, 0), ("C2", G2, "2026-03", 135, 0, 0, 0),
               ("C3", G3, "2026-03", 100, 10, 0, 0)])
    write_csv(folder, "tasks", "id,person,due,done",
              [("T1", "P0004", "2026-03-10", "2026-03-09"),
               ("T2", "P0004", "2026-03-25", "2026-03-25"),
               ("T3", "P0005", "2026-03-10", ""), ("T4", "P0005", "2026-03-25", ""),
               ("T5", "P0007", "2026-03-16", "2026-03-12")])
    write_csv(folder, "ratings", "id,subject,period,points,rater",
              [("S1", "P0004", "2026-03", 100, "P0002"), ("S2", "P0005", "2026-03", 100, "P0002"),
               ("S3", "P0007", "2026-03", 80, "P0002")])
    return len(patrols), len(attendance)


def run(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def table(out):
    """{person: [name, grids, total A, grade A, rank A, total B, grade B, rank B, change]}"""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0].startswith("P0"):
            rows[cells[0]] = cells[1:9] + [" ".join(cells[9:])]
    return rows


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("analyst")
    activity = folder / "activity"
    activity.mkdir()
    patrols, attendance = write_activity(activity)
    workspace = folder / "qingshi.gridgov"
    chart = folder / "scores.png"
    out = run(workspace, "--build", activity, "--data", DATA, "--month", "2026-03",
              "--scope", VILLAGE, "--chart", chart)
    return {"out": out, "workspace": workspace, "chart": chart, "patrols": patrols,
            "attendance": attendance}


def test_builds_the_workspace_from_the_sample_county_and_the_activity_files(analysed):
    lines = analysed["out"].splitlines()
    assert lines[0] == (f"built qingshi.gridgov: 5 households, 6 visits, {analysed['patrols']} "
                        f"patrols, 3 collection, {analysed['attendance']} attendance, 5 tasks, "
                        "3 ratings")
    total = 5 + 6 + analysed["patrols"] + 3 + analysed["attendance"] + 5 + 3
    assert lines[1] == f"青石村 {VILLAGE}, 2026-03: 7 grid workers, {total} activity records"


def test_table_compares_the_two_schemes_by_hand_computed_scores(analysed):
    rows = table(analysed["out"])
    assert len(rows) == 7  # the post-A information officers of 青石村's seven grids
    assert rows["P0004"] == ["康磊建", "1", "100.00", "优秀", "1", "100.00", "优秀", "1", "-"]
    assert rows["P0005"] == ["郭建海", "1", "70.00", "基本合格", "2", "80.00", "合格", "2",
                             "基本合格→合格"]
    assert rows["P0007"] == ["姜宇辉", "1", "66.65", "基本合格", "3", "61.35", "基本合格", "3",
                             "-"]
    others = [r for p, r in rows.items() if p not in ("P0004", "P0005", "P0007")]
    assert sorted(int(r[4]) for r in others) == [4, 5, 6, 7]
    assert all(r[3] == "不合格" and r[6] == "不合格" for r in others)


def test_scores_are_stored_in_the_workspace(analysed):
    with gridgov.Workspace.open(analysed["workspace"], create=False) as ws:
        a = ws.assessment.scores(scheme="grid_worker", subject="P0005")
        b = ws.assessment.scores(scheme="grid_worker_daily", subject="P0005")
        assert [(s.period, round(s.total, 2), s.grade) for s in a] == [("2026-03", 70.0, "basic_pass")]
        assert [(s.period, round(s.total, 2), s.grade) for s in b] == [("2026-03", 80.0, "pass")]


def test_chart_is_a_png_when_matplotlib_is_installed(analysed):
    chart = analysed["chart"]
    if importlib.util.find_spec("matplotlib") is None:
        assert "chart: skipped (matplotlib is not installed" in analysed["out"]
        assert not chart.exists()
        return
    assert f"chart: {chart}" in analysed["out"]
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1000


def test_runs_again_on_the_existing_workspace_without_a_chart(analysed):
    out = run(analysed["workspace"], "--month", "2026-03", "--scope", VILLAGE)
    assert table(out) == table(analysed["out"])
    assert "chart" not in out
