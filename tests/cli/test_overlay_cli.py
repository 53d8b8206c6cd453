"""Overlay networks as subjects and places of work from the command line: `gridgov assess
--units` and unit places among `--subject`, `gridgov board --overlay` (the light board of an
overlay's units), and `gridgov validate` reading departments and routing rules against the
overlays. Driven as a user would: the real binary over a copy of
the sample county (examples/data/county.json), whose fire-safety overlay has a 大网格 XF-01
over 城关街道, a 中网格 per net-area (XF-01-01 …) and a 小网格 per grid (XF-01-01-01 over
第一网区第一网格) but none over 第九网区第二网格 (a planted gap), and a 大网格 XF-02 over 青石镇;
its frontage overlay has 督导片区 MQ-01 … over the same grids.

Cases are hotline reports by the system, so that no directory is needed; the scheme is
tests/data/area_steps.json, whose one component reads `received` (受理数) with the case
numbers behind it."""

import json
from pathlib import Path

import pytest

from cli_support import DATA, copy_workspace, digest, needs_cli, run, run_json, write_json
from test_records_cli import county  # noqa: F401 (fixture: the sample county's hierarchy)

pytestmark = needs_cli

SCHEME = Path(__file__).resolve().parents[1] / "data" / "area_steps.json"
GRID_1 = "371338001001001"     # 第一网区第一网格, in fire grids XF-01-01-01 < XF-01-01 < XF-01
GRID_2 = "371338001001002"     # 第一网区第二网格, in XF-01-01-02
NET_AREA = "371338001001"      # 第一网区: what XF-01-01 covers
GAP_GRID = "371338001009002"    # 第九网区第二网格: no fire grid covers it
SMALL_1, SMALL_2 = "fire_safety:XF-01-01-01", "fire_safety:XF-01-01-02"
MEDIUM_1 = "fire_safety:XF-01-01"
LARGE_1, LARGE_2 = "fire_safety:XF-01", "fire_safety:XF-02"


def fire_units(level=None):
    doc = json.loads((DATA / "county.json").read_text(encoding="utf-8"))
    [fire] = [o for o in doc["overlays"] if o["key"] == "fire_safety"]
    return [u["code"] for u in fire["units"] if level is None or u["level"] == level]


def report(ws, grid, at):
    out = run("case", "report", "--category", "E0102", "--node", grid, "--system", "--source",
              "hotline_12345", "--at", at, ws=ws, check=0).stdout
    return out.split()[0]


@pytest.fixture
def reported(county, tmp_path):  # noqa: F811 (the fixture imported above)
    """A copy of the county with four March cases: two in XF-01-01-01, one in XF-01-01-02 and
    one in the gap of the fire network. Returns the workspace and the case numbers."""
    ws = copy_workspace(county, tmp_path / "fire.gridgov")
    numbers = [report(ws, GRID_1, "2026-03-02T09:00"), report(ws, GRID_1, "2026-03-03T09:00"),
               report(ws, GRID_2, "2026-03-04T09:00"), report(ws, GAP_GRID, "2026-03-05T09:00")]
    return ws, numbers


def assess_json(ws, *args):
    return run_json("assess", SCHEME, "--period", "2026-03", "--default-area-class", "一类",
                    "--no-store", *args, ws=ws)


def received(score):
    """The `received` input of a score: (value, case numbers)."""
    [component] = score["components"]
    value = component["inputs"]["received"]
    return value["value"], value["sources"]


# ---- assess --units ---------------------------------------------------------------------------

def test_units_of_one_level_count_the_cases_of_the_grids_they_cover(reported):
    ws, (n1, n2, n3, _) = reported
    small = assess_json(ws, "--units", "fire_safety", "--level", "small")["scores"]
    assert [s["subject"]["code"] for s in small] == \
        ["fire_safety:" + code for code in fire_units("small")]
    assert {s["subject"]["level"] for s in small} == {"fire_safety:small"}
    by_code = {s["subject"]["code"]: s for s in small}
    assert received(by_code[SMALL_1]) == (2, [n1, n2])
    assert received(by_code[SMALL_2]) == (1, [n3])
    assert by_code[SMALL_1]["peers"] == len(small)  # ranked among the units of their level

    # A 中网格 counts what its 小网格 count, the 大网格 what its 中网格 count; the case in the
    # gap counts for no unit.
    [medium] = [s for s in assess_json(ws, "--units", "fire_safety", "--level", "medium")["scores"]
                if s["subject"]["code"] == MEDIUM_1]
    assert medium["subject"]["level"] == "fire_safety:medium"
    assert received(medium) == (3, [n1, n2, n3])
    large = assess_json(ws, "--units", "fire_safety", "--level", "large")["scores"]
    assert [(s["subject"]["code"], received(s)) for s in large] == [
        (LARGE_1, (3, [n1, n2, n3])), (LARGE_2, (0, []))]

    # Without --level: every unit of the overlay.
    every = assess_json(ws, "--units", "fire_safety")["scores"]
    assert len(every) == len(fire_units())


def test_unit_subjects_in_the_table_csv_and_stored_scores(reported, tmp_path):
    ws, _ = reported
    table = run("assess", SCHEME, "--period", "2026-03", "--units", "fire_safety", "--level",
                "medium", "--default-area-class", "一类", ws=ws, check=0).stdout
    rows = {line.split()[1]: line for line in table.splitlines()[1:-1]}
    assert "第一网区消防中网格" in rows[MEDIUM_1]
    medium = len(fire_units("medium"))
    assert table.splitlines()[-1] == f"area_steps 2026-03: {medium} subjects, 0 flags, stored"

    out = tmp_path / "units.csv"
    run("assess", SCHEME, "--period", "2026-03", "--units", "fire_safety", "--level", "large",
        "--default-area-class", "一类", "--no-store", "-o", out, ws=ws, check=0)
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    assert header.startswith("scheme,subject,level,area_class,period,total")
    assert [row.split(",")[:6] for row in rows] == [
        ["area_steps", LARGE_1, "fire_safety:large", "一类", "2026-03", "90"],
        ["area_steps", LARGE_2, "fire_safety:large", "一类", "2026-03", "90"]]

    # The stored scores are the units' own, under their places.
    again = run_json("assess", SCHEME, "--period", "2026-03", "--subject", MEDIUM_1,
                     "--default-area-class", "一类", ws=ws)
    assert again["stored"] is True
    assert [s["subject"]["code"] for s in again["scores"]] == [MEDIUM_1]


def test_unit_places_among_the_subjects(reported):
    ws, (n1, n2, n3, _) = reported
    scores = assess_json(ws, "--subject", SMALL_1, "--subject", GRID_1, "--subject", MEDIUM_1,
                         "--subject", NET_AREA, "--subject", "frontage:MQ-01")["scores"]
    assert [(s["subject"]["code"], s["subject"]["level"]) for s in scores] == [
        (SMALL_1, "fire_safety:small"), (GRID_1, "grid"), (MEDIUM_1, "fire_safety:medium"),
        (NET_AREA, "village"), ("frontage:MQ-01", "frontage:supervision_area")]
    # A unit counts what the base nodes it covers count.
    assert received(scores[0]) == received(scores[1]) == (2, [n1, n2])
    assert received(scores[2]) == received(scores[3]) == (3, [n1, n2, n3])
    assert received(scores[4]) == (3, [n1, n2, n3])  # MQ-01's zones cover 第一网区's grids
    table = run("assess", SCHEME, "--period", "2026-03", "--subject", SMALL_1, "--subject",
                "frontage:MQ-01", "--default-area-class", "一类", "--no-store", ws=ws,
                check=0).stdout
    assert "第一网区第一网格消防小网格" in table and "督导单位：县监察局" in table


def test_unknown_overlays_and_units_are_refused_naming_them(reported):
    ws, _ = reported
    before = digest(ws)

    def refused(*args):
        p = run("assess", SCHEME, "--period", "2026-03", "--default-area-class", "一类", *args,
                ws=ws)
        assert p.returncode == 3, p.stdout + p.stderr
        return p.stderr

    assert 'no overlay "flood"' in refused("--units", "flood")
    # A base node is not an overlay.
    assert 'no overlay "371338001"' in refused("--units", "371338001")
    assert 'unit_level "grid" is not a level of overlay fire_safety' in \
        refused("--units", "fire_safety", "--level", "grid")
    assert '"fire_safety:XF-99" is not a node or an overlay unit' in \
        refused("--subject", "fire_safety:XF-99")
    assert "(2 given)" in refused("--units", "fire_safety", "--departments")
    assert "(2 given)" in refused("--units", "fire_safety", "--workers")
    assert "(2 given)" in refused("--units", "fire_safety", "--subject", GRID_1)
    assert digest(ws) == before


# ---- board --overlay --------------------------------------------------------------------------

BOARD_AT = "2026-03-06T12:00"


def board_json(ws, *args):
    return run_json("board", "--at", BOARD_AT, *args, ws=ws)


def counts(row):
    return {k: v for k, v in row.items() if k not in ("code", "name", "parent")}


def test_board_of_an_overlays_units_counts_the_cases_of_the_grids_they_cover(reported):
    ws, _ = reported
    grids = board_json(ws, "--scope", NET_AREA)  # the default board: grids, unchanged
    assert grids["level"] == "grid" and "overlay" not in grids
    grid_rows = {r["code"]: r for r in grids["rows"]}
    net_area = board_json(ws, "--level", "village", "--scope", NET_AREA)["rows"][0]
    assert net_area["cases"] == 3

    # Without --level: every unit of the overlay, in tree order.
    every = board_json(ws, "--overlay", "fire_safety")
    assert (every["overlay"], every["level"], every["scope"]) == ("fire_safety", "", "")
    assert [r["code"] for r in every["rows"]] == ["fire_safety:" + c for c in fire_units()]
    # The case in the gap of the fire network counts for no unit, nor for the total.
    assert every["total"]["cases"] == 3
    assert board_json(ws)["total"]["cases"] == 4

    # A 小网格 counts what its grid counts, the 中网格 what its net-area counts.
    under = board_json(ws, "--overlay", "fire_safety", "--scope", "XF-01-01")
    by_code = {r["code"]: r for r in under["rows"]}
    assert list(by_code) == [MEDIUM_1] + [
        "fire_safety:" + c for c in fire_units("small") if c.startswith("XF-01-01-")]
    assert counts(by_code[SMALL_1]) == counts(grid_rows[GRID_1])
    assert counts(by_code[SMALL_2]) == counts(grid_rows[GRID_2])
    assert counts(by_code[MEDIUM_1]) == counts(net_area) == counts(under["total"])
    assert under["total"]["code"] == MEDIUM_1
    assert by_code[SMALL_1]["name"] == "第一网区第一网格消防小网格"

    large = board_json(ws, "--overlay", "fire_safety", "--level", "large")
    assert [(r["code"], r["cases"]) for r in large["rows"]] == [(LARGE_1, 3), (LARGE_2, 0)]

    # The table: unit places and names, then the total.
    table = run("board", "--at", BOARD_AT, "--overlay", "fire_safety", "--level", "medium",
                "--scope", LARGE_1, ws=ws, check=0).stdout.splitlines()
    assert table[0].split()[:3] == ["code", "name", "cases"]
    assert table[1].split()[:3] == [MEDIUM_1, "第一网区消防中网格", "3"]
    assert table[-1].split()[:3] == [LARGE_1, "城关街道消防大网格", "3"]


def test_board_refuses_an_unknown_overlay_level_or_unit_naming_it(reported):
    ws, _ = reported
    before = digest(ws)

    def refused(*args):
        p = run("board", "--at", BOARD_AT, *args, ws=ws)
        assert p.returncode == 3, p.stdout + p.stderr
        assert p.stdout == ""
        return p.stderr

    assert "the workspace has no overlay 'flood'" in refused("--overlay", "flood")
    assert "level 'grid' is not a level of overlay 'fire_safety'" in \
        refused("--overlay", "fire_safety", "--level", "grid")
    # With --overlay the scope is a unit, not a node of the base hierarchy.
    assert "scope '371338001' is not a unit of overlay 'fire_safety'" in \
        refused("--overlay", "fire_safety", "--scope", "371338001")
    assert digest(ws) == before


# ---- validate ---------------------------------------------------------------------------------

def test_validate_reads_departments_and_routing_against_the_overlays(
        county, tmp_path):  # noqa: F811 (the fixture imported above)
    ws = copy_workspace(county, tmp_path / "ws.gridgov")
    departments = write_json(tmp_path / "departments.json", {
        "key": "weichuan", "name": "苇川县处置部门", "departments": [
            {"code": "D-XF", "kind": "fire_station", "zh": "城关消防救援站", "node": LARGE_1,
             "members": ["P0201"]},
            {"code": "D-XF-01", "kind": "fire_station", "zh": "第一网区微型消防站",
             "node": MEDIUM_1, "members": ["P0202"]},
            {"code": "D-XF-99", "kind": "fire_station", "zh": "无此网格消防站",
             "node": "fire_safety:XF-99", "members": ["P0203"]},
            {"code": "D-ZZ", "kind": "territorial", "zh": "城关街道综治中心", "node": "371338001",
             "members": ["P0204"]}]})
    routing = write_json(tmp_path / "routing.json", {"rules": [
        {"category_prefix": "G0201", "overlay": "fire_safety", "note": "消防安全隐患进消防网格"},
        {"category_prefix": "G0303", "overlay": "health"}]})
    run("import", departments, routing, ws=ws, check=0)

    findings = run_json("validate", "--date", "2026-03-02", ws=ws, check=1)
    unknown_nodes = [f for f in findings if f["rule"] == "department.unknown_node"]
    assert [f["where"] for f in unknown_nodes] == ["D-XF-99"]  # the live units are known
    assert "fire_safety:XF-99" in unknown_nodes[0]["message"]
    unknown_overlays = [f for f in findings if f["rule"] == "routing.unknown_overlay"]
    assert [(f["where"], f["severity"]) for f in unknown_overlays] == [("rules[1]", "error")]
    assert '"health"' in unknown_overlays[0]["message"]
    assert not any(f["rule"] == "routing.unknown_department" for f in findings)
    table = run("validate", "--date", "2026-03-02", ws=ws, check=1).stdout
    assert "routing.unknown_overlay" in table and "D-XF-99" in table
