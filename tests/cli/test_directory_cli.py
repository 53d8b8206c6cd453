"""`gridgov directory ...` and the overlay posts of `gridgov records ...`, driven as a user
would: the real binary over a copy of the sample county (examples/data/county.json), whose
fire-safety overlay has small fire grids such as XF-01-01-01 over 城关街道's first grid.

A catalogue adds a fire-grid leader held on the small fire grids (docs/directory.md, "Posts
on overlay units"): F1 on post A of XF-01-01-01, F2 — the leader of the adjacent fire grid —
on post B, as seed 002 sets adjacent officers as each other's A and B posts."""

import json

import pytest

from cli_support import copy_workspace, needs_cli, run, run_json
from test_records_cli import CATALOGUE, TOWN_GRID, county, write_csv  # noqa: F401 (fixture)

pytestmark = needs_cli

FIRE_UNIT = "fire_safety:XF-01-01-01"
NEXT_UNIT = "fire_safety:XF-01-01-02"
DAY = "2026-03-02"


@pytest.fixture
def fire(county, tmp_path):
    ws = copy_workspace(county, tmp_path / "fire.gridgov")
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    catalogue["duties"].append({"code": "fire_check", "zh": "消防检查", "reveals": ["unit"]})
    catalogue["roles"].append({"code": "fire_grid_leader", "zh": "消防小网格长",
                               "level": "small", "overlay": "fire_safety",
                               "cardinality": "exactly_one", "duties": ["fire_check"]})
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    people = write_csv(tmp_path / "people.csv", ["id", "name", "phone"],
                       [["F1", "何伟", "13902001001"], ["F2", "梁慧敏", "13902001002"]])
    assignments = write_csv(tmp_path / "assignments.csv",
                            ["person", "role", "node", "post", "from"],
                            [["F1", "fire_grid_leader", FIRE_UNIT, "A", "2026-01-01"],
                             ["F2", "fire_grid_leader", "XF-01-01-02", "A", "2026-01-01"],
                             ["F2", "fire_grid_leader", FIRE_UNIT, "B", "2026-01-01"]])
    run("import", path, people, assignments, ws=ws, check=0)
    return ws


def test_who_at_an_overlay_unit_and_from_a_grid(fire):
    answer = run_json("directory", "who", FIRE_UNIT, "fire_check", "--on", DAY, ws=fire)
    assert (answer["person"], answer["post"], answer["node"]) == ("F1", "A", FIRE_UNIT)
    # From the base grid: its own officers hold no fire duty, so the fire grid over it answers.
    through = run_json("directory", "who", TOWN_GRID, "fire_check", "--on", DAY, ws=fire)
    assert (through["person"], through["node"]) == ("F1", FIRE_UNIT)
    table = run("directory", "who", NEXT_UNIT, "fire_grid_leader", "--on", DAY, ws=fire, check=0)
    assert "F2 (梁慧敏), 消防小网格长 post A at " + NEXT_UNIT in table.stdout
    # On leave: the adjacent leader on post B.
    leave = write_csv(fire.parent / "absences.csv", ["person", "kind", "from", "to", "reason"],
                      [["F1", "leave", "2026-03-01", "2026-03-10", "年休假"]])
    run("import", leave, ws=fire, check=0)
    covered = run_json("directory", "who", FIRE_UNIT, "fire_check", "--on", DAY, ws=fire)
    assert (covered["person"], covered["post"]) == ("F2", "B")
    assert [s["outcome"] for s in covered["steps"]] == ["absent", "chosen"]


def test_roster_of_an_overlay_unit_masks_phones(fire):
    roster = run_json("directory", "roster", FIRE_UNIT, "--on", DAY, ws=fire)
    assert [(e["person"], e["post"], e["node"]) for e in roster] == [
        ("F1", "A", FIRE_UNIT), ("F2", "B", FIRE_UNIT)]
    assert roster[0]["phone"] == "139****1001"
    clear = run_json("--reveal", "directory", "roster", FIRE_UNIT, "--on", DAY, ws=fire)
    assert clear[0]["phone"] == "13902001001"
    # The base grid's own roster holds none of the fire grid's posts.
    assert all(e["node"] == TOWN_GRID
               for e in run_json("directory", "roster", TOWN_GRID, "--on", DAY, ws=fire))


def test_unknown_places_and_codes_are_refused(fire):
    p = run("directory", "who", "fire_safety:XF-99", "fire_check", ws=fire, check=3)
    assert "XF-99" in p.stderr
    p = run("directory", "who", FIRE_UNIT, "dancing", ws=fire, check=3)
    assert "dancing" in p.stderr
    p = run("directory", "roster", "no-such-node", ws=fire, check=3)
    assert "no-such-node" in p.stderr


def test_overlay_posts_read_records_and_officer_loads(fire, tmp_path):
    doc = {"records": [
        {"key": f"U{i}", "kind": "unit", "node": TOWN_GRID, "overlays": [FIRE_UNIT],
         "fields": {"name": f"商户{i}", "unit_kind": "个体工商户", "contact_phone": "13912345678"}}
        for i in (1, 2)]}
    units = tmp_path / "units.json"
    units.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run("records", "import", units, "--effective", "2026-01-01", ws=fire, check=0)
    listed = run_json("records", "list", "--as", "F1", "--why", "消防检查", "--posts-on", DAY,
                      ws=fire)
    assert [r["key"] for r in listed] == ["U1", "U2"]

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"officer_loads": [
        {"overlay": "fire_safety", "kind": "unit", "per_officer": 1}]}), encoding="utf-8")
    p = run("records", "validate", "--on", DAY, "--policy", policy, ws=fire, check=0)
    assert "records.officer_load" in p.stdout and "F1" in p.stdout
    findings = run_json("records", "validate", "--on", DAY, "--policy", policy, ws=fire)
    assert [f["where"] for f in findings if f["rule"] == "records.officer_load"] == ["F1"]
    policy.write_text('{"officer_loads": [{"overlay": "fire_safety", "per_officer": 1}]}',
                      encoding="utf-8")
    p = run("records", "validate", "--policy", policy, ws=fire, check=3)
    assert "officer_loads[0]" in p.stderr
