"""gridgov.Workspace from Python: files, lifetime, changes, import and export."""

import datetime
import gc
import json
import sqlite3
import threading
from collections import defaultdict

import numpy as np
import pytest

import gridgov
from conftest import (
    store_location,
    SCHOOL_GRID,
    SEAT_HOUSEHOLDS,
    STREET,
    TOWNSHIP,
    TOWNSHIP_HOUSEHOLDS,
    VILLAGES,
    grid_code,
    seat_grid,
    township_csv_text,
)


def frame_by_code(hierarchy):
    """The live hierarchy as {code: row} without ids, for comparing two workspaces."""
    d = hierarchy.to_dict()
    d.pop("id")
    codes = d.pop("code")
    rows = {}
    for i, code in enumerate(codes):
        row = {}
        for key, column in d.items():
            value = column[i]
            if isinstance(value, (float, np.floating)) and np.isnan(value):
                value = None
            elif isinstance(value, np.generic):
                value = value.item()
            row[key] = value
        rows[code] = row
    return rows


# ---- opening and closing ------------------------------------------------------------------
def test_open_creates_the_file(workspace_path):
    with gridgov.Workspace.open(workspace_path) as ws:
        assert ws.path == str(workspace_path)
        assert not ws.closed
        assert len(ws.hierarchy.view) == 0
    assert workspace_path.exists()


def test_open_without_create_raises_not_found_naming_the_file(tmp_path):
    missing = tmp_path / "missing.gridgov"
    with pytest.raises(gridgov.NotFoundError, match="missing.gridgov"):
        gridgov.Workspace.open(missing, create=False)
    assert not missing.exists()


def test_a_foreign_sqlite_file_raises_version_mismatch(tmp_path):
    foreign = tmp_path / "ledger.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount REAL)")
        db.execute("INSERT INTO ledger (amount) VALUES (12.5)")
    with pytest.raises(gridgov.VersionMismatchError, match="ledger.sqlite") as caught:
        gridgov.Workspace.open(foreign)
    assert isinstance(caught.value, gridgov.Error)
    assert caught.value.code == "version_mismatch"


def test_the_file_carries_the_application_id_and_schema_version(workspace_path):
    gridgov.Workspace.open(workspace_path).close()
    with sqlite3.connect(workspace_path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == \
            gridgov.Workspace.application_id()
        assert db.execute("PRAGMA user_version").fetchone()[0] == \
            gridgov.Workspace.schema_version()
    assert gridgov.Workspace.schema_version() >= 1


def test_in_memory_workspaces_work(township_csv):
    with gridgov.Workspace.open(":memory:") as ws:
        ws.hierarchy.import_file(township_csv)
        assert len(ws.hierarchy.view) == 14


def test_the_context_manager_closes(workspace_path):
    with gridgov.Workspace.open(workspace_path) as ws:
        pass
    assert ws.closed
    assert "closed" in repr(ws)


def test_the_context_manager_closes_when_the_block_raises(workspace_path):
    with pytest.raises(RuntimeError):
        with gridgov.Workspace.open(workspace_path) as ws:
            raise RuntimeError("stop")
    assert ws.closed


def test_closing_twice_is_harmless(workspace):
    workspace.close()
    workspace.close()
    assert workspace.closed


CLOSED_CALLS = {
    "hierarchy": lambda ws: ws.hierarchy.view,
    "overlays": lambda ws: ws.hierarchy.overlays,
    "overlay": lambda ws: ws.hierarchy.overlay("fire_safety"),
    "add_node": lambda ws: ws.hierarchy.add_node(code="371327104", name="石泉镇", level="township"),
    "add_nodes": lambda ws: ws.hierarchy.add_nodes([]),
    "rename_node": lambda ws: ws.hierarchy.rename_node(0, "x", "2024-01-01"),
    "move_node": lambda ws: ws.hierarchy.move_node(0, 1, "2024-01-01"),
    "retire_node": lambda ws: ws.hierarchy.retire_node(0, "2024-01-01"),
    "set_node_value": lambda ws: ws.hierarchy.set_node_value(0, "households", 1, "2024-01-01"),
    "split_node": lambda ws: ws.hierarchy.split_node(0, [], "2024-01-01"),
    "merge_nodes": lambda ws: ws.hierarchy.merge_nodes([0, 1], {"code": "x"}, "2024-01-01"),
    "add_overlay": lambda ws: ws.hierarchy.add_overlay("fire_safety", "消防网格", "fire_safety"),
    "add_overlay_unit": lambda ws: ws.hierarchy.add_overlay_unit("fire_safety", code="XF-01",
                                                       name="大网格", level="large"),
    "validate": lambda ws: ws.hierarchy.validate(),
    "import_hierarchy": lambda ws: ws.hierarchy.import_file("any.csv"),
    "import_hierarchy_text": lambda ws: ws.hierarchy.import_text("code,level,name\n", "csv"),
    "export_hierarchy": lambda ws: ws.hierarchy.export_file("out.json"),
    "export_hierarchy_text": lambda ws: ws.hierarchy.export_text("json"),
    "enter": lambda ws: ws.__enter__(),
}


@pytest.mark.parametrize("call", CLOSED_CALLS.values(), ids=CLOSED_CALLS.keys())
def test_every_call_on_a_closed_workspace_raises_invalid_state(county_seat, call):
    county_seat.close()
    with pytest.raises(gridgov.InvalidStateError, match="closed"):
        call(county_seat)


def test_workspaces_cannot_be_constructed_directly():
    with pytest.raises(TypeError):
        gridgov.Workspace()


# ---- import -------------------------------------------------------------------------------
def test_import_csv_reports_what_it_added(workspace, township_csv):
    report = workspace.hierarchy.import_file(township_csv)
    assert isinstance(report, gridgov.ImportReport)
    assert report.nodes_added == 14
    assert report.overlays_added == 0 and report.overlay_units_added == 0
    assert all(isinstance(f, gridgov.Finding) for f in report.findings)
    h = workspace.hierarchy.view
    assert h.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS
    assert h[SCHOOL_GRID].kind == "dedicated"


def test_import_json_brings_the_overlay(workspace, county_seat_json):
    report = workspace.hierarchy.import_file(county_seat_json, format="json")
    assert report.nodes_added == 1 + 11 + 33
    assert report.overlays_added == 1
    assert report.overlay_units_added == 1 + 11 + 33
    assert workspace.hierarchy.overlay("fire_safety").coverage() == []


def test_import_text_with_an_effective_date(workspace):
    report = workspace.hierarchy.import_text(township_csv_text(), "csv",
                                             effective=datetime.date(2023, 8, 24))
    assert report.nodes_added == 14
    h = workspace.hierarchy.view
    assert h[TOWNSHIP].created_on == datetime.date(2023, 8, 24)
    assert len(h.as_of("2023-08-23")) == 0
    assert len(h.as_of("2023-08-24")) == 14


def test_the_sample_county_imports_with_its_numbers(workspace, examples_data_dir):
    path = examples_data_dir / "county.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    report = workspace.hierarchy.import_file(path)
    assert report.nodes_added == len(doc["nodes"])
    assert report.overlays_added == len(doc["overlays"])
    assert report.overlay_units_added == sum(len(o["units"]) for o in doc["overlays"])

    # Reference totals by walking the file's parent links in plain Python.
    parent = {n["code"]: n.get("parent", "") for n in doc["nodes"]}
    totals = defaultdict(float)
    for n in doc["nodes"]:
        households = n.get("households")
        code = n["code"]
        while households is not None and code:
            totals[code] += households
            code = parent[code]
    h = workspace.hierarchy.view
    r = h.roll_up("households")
    for code, total in totals.items():
        assert r.sum[h.at(code)] == total
    df = r.to_pandas()
    assert df.shape == (len(doc["nodes"]), 5)
    assert df.loc[doc["nodes"][0]["code"], "sum"] == \
        sum(n.get("households") or 0 for n in doc["nodes"])


def test_the_sample_county_reports_its_planted_problems(workspace, examples_data_dir):
    workspace.hierarchy.import_file(examples_data_dir / "county.json")
    findings = gridgov.findings_to_pandas(workspace.hierarchy.validate("rural_township_150"))
    where = {rule: set(group["where"]) for rule, group in findings.groupby("rule")}
    assert "371338001009002" in where["overlay.gap"]
    assert "371338001004003" in where["overlay.overlap"]
    assert "371338102206002" in set(findings["where"])  # 286 households in a 150 township


def bad_csv(tmp_path):
    path = tmp_path / "broken.csv"
    lines = township_csv_text().splitlines()
    # line 4 (header = line 1) is the first grid; its households cell becomes text
    cells = lines[3].split(",")
    cells[7] = "many"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_bad_csv_raises_naming_the_file_line_and_column(workspace, tmp_path):
    path = bad_csv(tmp_path)
    with pytest.raises((gridgov.ParseError, gridgov.InvalidArgumentError)) as caught:
        workspace.hierarchy.import_file(path)
    message = str(caught.value)
    assert "broken.csv" in message
    assert "line 4" in message
    assert "households" in message
    assert isinstance(caught.value, ValueError)


def test_a_refused_import_imports_nothing(workspace, tmp_path, township_csv):
    workspace.hierarchy.import_file(township_csv)
    before = frame_by_code(workspace.hierarchy.view)
    history = len(workspace.hierarchy.view.history)
    seat_with_bad_row = "code,parent_code,level,name,households\n" \
        f"{STREET},,township,城关街道,\n" \
        f"{STREET}001,{STREET},village,第1网区,\n" \
        f"{seat_grid(1, 1)},{STREET}999,grid,第1网区第1网格,320\n"
    with pytest.raises(gridgov.Error, match=f"{STREET}999"):
        workspace.hierarchy.import_text(seat_with_bad_row, "csv", source_name="seat.csv")
    assert frame_by_code(workspace.hierarchy.view) == before
    assert len(workspace.hierarchy.view.history) == history


def test_text_imports_name_their_source_in_errors(workspace):
    with pytest.raises(gridgov.Error, match="pasted.json"):
        workspace.hierarchy.import_text("{ not json", "json", source_name="pasted.json")


def test_unknown_formats_raise_invalid_argument(workspace, township_csv):
    with pytest.raises(gridgov.InvalidArgumentError, match="'xlsx'"):
        workspace.hierarchy.import_file(township_csv, format="xlsx")
    with pytest.raises(gridgov.InvalidArgumentError, match="'xml'"):
        workspace.hierarchy.export_text("xml")


# ---- export -------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_and_reimport_reproduce_the_hierarchy(county_seat, tmp_path, fmt):
    path = tmp_path / f"seat.{fmt}"
    county_seat.hierarchy.export_file(path)
    with gridgov.Workspace.open(":memory:") as copy:
        copy.hierarchy.import_file(path)
        assert frame_by_code(copy.hierarchy.view) == frame_by_code(county_seat.hierarchy.view)
        if fmt == "json":
            fire = copy.hierarchy.overlay("fire_safety")
            assert len(fire.units) == 45 and fire.coverage() == []


def test_export_text_matches_the_file(county_seat, tmp_path):
    path = tmp_path / "seat.json"
    county_seat.hierarchy.export_file(path, format="json")
    assert county_seat.hierarchy.export_text("json") == path.read_text(encoding="utf-8")
    doc = json.loads(county_seat.hierarchy.export_text())
    assert doc["format"] == "gridgov.hierarchy"
    assert len(doc["nodes"]) == 45


def test_geojson_export_carries_the_nodes_with_a_geometry(workspace):
    square = {"type": "Polygon",
              "coordinates": [[[118.83, 35.17], [118.84, 35.17], [118.84, 35.18],
                               [118.83, 35.18], [118.83, 35.17]]]}
    workspace.hierarchy.add_node(code=STREET, name="城关街道", level="township")
    workspace.hierarchy.add_node(code=f"{STREET}001", parent=STREET, name="第1网区", level="village",
                       geometry=square)
    doc = json.loads(workspace.hierarchy.export_text("geojson"))
    assert doc["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in doc["features"]] == [f"{STREET}001"]
    assert doc["features"][0]["geometry"] == square
    assert json.loads(workspace.hierarchy.view[f"{STREET}001"].geometry) == square


# ---- changes --------------------------------------------------------------------------------
def test_add_node_takes_keywords_and_returns_the_node(workspace):
    root = workspace.hierarchy.add_node(code=TOWNSHIP, name="石泉镇", level="township", area_type="农村")
    village = workspace.hierarchy.add_node(code=TOWNSHIP + "201", parent=TOWNSHIP, name="东石泉村",
                                 level="village", area_type="rural")
    grid = workspace.hierarchy.add_node(code=grid_code("201", 1), parent=village, name="东石泉村第1网格",
                              level="grid", kind="综合", households=152, population=498,
                              attributes={"villager_groups": 3}, effective="2023-08-24")
    assert isinstance(grid, gridgov.Node)
    assert root.area_type == "rural"
    assert grid.parent == village
    assert grid.kind == "comprehensive"
    assert grid.values == {"households": 152, "population": 498, "villager_groups": 3}
    assert grid.created_on == datetime.date(2023, 8, 24)
    with pytest.raises(TypeError):
        workspace.hierarchy.add_node(TOWNSHIP + "202", "西石泉村", "village")


def test_add_node_refuses_bad_values_before_touching_the_workspace(workspace):
    workspace.hierarchy.add_node(code=TOWNSHIP, name="石泉镇", level="township")
    with pytest.raises(TypeError, match="households"):
        workspace.hierarchy.add_node(code=TOWNSHIP + "201", parent=TOWNSHIP, name="东石泉村",
                           level="village", households="152")
    with pytest.raises(gridgov.AlreadyExistsError, match=TOWNSHIP):
        workspace.hierarchy.add_node(code=TOWNSHIP, name="石泉镇", level="township")
    with pytest.raises(gridgov.NotFoundError, match="371327999"):
        workspace.hierarchy.add_node(code="371327999001", parent="371327999", name="x", level="village")
    assert len(workspace.hierarchy.view) == 1


def test_add_nodes_takes_mappings_in_any_order(workspace):
    specs = [
        {"code": grid_code("201", 1), "parent": TOWNSHIP + "201", "name": "东石泉村第1网格",
         "level": "grid", "households": 152},
        {"code": TOWNSHIP + "201", "parent": TOWNSHIP, "name": "东石泉村", "level": "village"},
        {"code": TOWNSHIP, "name": "石泉镇", "level": "township"},
    ]
    ids = workspace.hierarchy.add_nodes(specs)
    assert ids.dtype == np.uint32 and len(ids) == 3
    h = workspace.hierarchy.view
    assert [h.code(int(i)) for i in ids] == [s["code"] for s in specs]
    assert h.roll_up("households").sum[h.at(TOWNSHIP)] == 152


def test_add_nodes_names_an_unknown_field(workspace):
    with pytest.raises(gridgov.InvalidArgumentError, match=r"add_nodes\[1\].*parent_code"):
        workspace.hierarchy.add_nodes([
            {"code": TOWNSHIP, "name": "石泉镇", "level": "township"},
            {"code": TOWNSHIP + "201", "parent_code": TOWNSHIP, "name": "东石泉村",
             "level": "village"},
        ])
    assert len(workspace.hierarchy.view) == 0


def test_rename_move_retire_and_set_value(township):
    h = township.hierarchy.view
    east, west = h[TOWNSHIP + "201"], h[TOWNSHIP + "202"]
    g = h[grid_code("201", 3)]
    township.hierarchy.rename_node(g, "东石泉村南网格", "2024-01-01")
    township.hierarchy.move_node(g, west, datetime.date(2024, 2, 1))
    township.hierarchy.set_node_value(g.code, "households", 157, "2024-03-01")
    township.hierarchy.set_node_value(g.id, "population", None, "2024-03-01")
    assert g.name == "东石泉村南网格"
    assert g.parent == west
    assert g.households == 157 and g.population is None
    assert h.roll_up("households").sum[west] == 149 + 151 + 157
    assert h.roll_up("households").sum[east] == 152 + 148 + 0
    township.hierarchy.retire_node(g, "2024-04-01")
    assert not g.live
    assert g.retired_on == datetime.date(2024, 4, 1)
    assert g.code not in h
    assert h.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS - 155
    assert [c.kind for c in h.history[-5:]] == ["rename", "move", "set_value", "set_value",
                                                 "retire"]


def test_a_refused_change_changes_nothing(township):
    h = township.hierarchy.view
    village = h.at(TOWNSHIP + "201")
    before = frame_by_code(h)
    history = len(h.history)
    with pytest.raises(gridgov.Error, match=TOWNSHIP + "201"):
        township.hierarchy.retire_node(village, "2024-01-01")  # it still has live grids
    with pytest.raises(gridgov.Error):
        township.hierarchy.move_node(h.at(TOWNSHIP), village, "2024-01-01")  # into its own subtree
    assert frame_by_code(h) == before
    assert len(h.history) == history


def test_effective_dates_accept_dates_and_iso_text_only(township):
    g = township.hierarchy.view.at(grid_code("201", 1))
    with pytest.raises(TypeError, match="effective"):
        township.hierarchy.rename_node(g, "x", 20240101)
    with pytest.raises(gridgov.InvalidArgumentError, match="2024-02-30"):
        township.hierarchy.rename_node(g, "x", "2024-02-30")
    township.hierarchy.rename_node(g, "东石泉村北网格", datetime.datetime(2024, 2, 1, 9, 30))
    assert township.hierarchy.view.history[-1].effective == datetime.date(2024, 2, 1)
    # 20:00 UTC on 1 February is already 2 February in China Standard Time.
    evening = datetime.datetime(2024, 2, 1, 20, 0, tzinfo=datetime.timezone.utc)
    township.hierarchy.rename_node(g, "东石泉村东网格", evening)
    assert township.hierarchy.view.history[-1].effective == datetime.date(2024, 2, 2)


def test_split_a_grid_into_two(township):
    h = township.hierarchy.view
    big = h[grid_code("203", 2)]
    parts = township.hierarchy.split_node(big, [
        {"code": grid_code("203", 5), "parent": TOWNSHIP + "203", "name": "南岭村第5网格",
         "level": "grid", "households": 70},
        {"code": grid_code("203", 6), "parent": TOWNSHIP + "203", "name": "南岭村第6网格",
         "level": "grid", "households": 80},
    ], "2024-06-01")
    assert [p.code for p in parts] == [grid_code("203", 5), grid_code("203", 6)]
    assert not big.live
    assert all(p.parent.code == TOWNSHIP + "203" for p in parts)
    assert h.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS
    change = h.history[-1]
    assert change.kind == "split" and change.node == big.id
    assert change.related == [p.id for p in parts]
    assert h.as_of("2024-05-31").is_live(big.id)


def test_merge_two_grids(township):
    h = township.hierarchy.view
    a, b = h[grid_code("202", 1)], h[grid_code("202", 2)]
    merged = township.hierarchy.merge_nodes([a, b.code], {"code": grid_code("202", 9), "parent": TOWNSHIP + "202",
                                          "name": "西石泉村合并网格", "level": "grid",
                                          "households": 300}, "2024-07-01")
    assert merged.code == grid_code("202", 9)
    assert not a.live and not b.live
    assert [c.code for c in h[TOWNSHIP + "202"].children] == [merged.code]
    change = h.history[-1]
    assert change.kind == "merge" and change.target == merged.id
    assert sorted(change.related) == sorted([a.id, b.id])


# ---- persistence ----------------------------------------------------------------------------
def test_close_and_reopen_reproduces_hierarchy_history_and_as_of(workspace_path, township_csv,
                                                                 county_seat_json):
    with gridgov.Workspace.open(workspace_path) as ws:
        ws.hierarchy.import_file(township_csv, effective="2023-08-24")
        ws.hierarchy.import_file(county_seat_json, effective="2023-09-01")
        h = ws.hierarchy.view
        g = h.at(grid_code("201", 2))
        ws.hierarchy.set_node_value(g, "households", 161, "2024-01-01")
        ws.hierarchy.rename_node(g, "东石泉村东网格", "2024-02-01")
        ws.hierarchy.retire_node(h.at(SCHOOL_GRID), "2024-03-01")
        frame = frame_by_code(h)
        history = [(c.seq, c.kind, c.effective, c.node, c.text, c.value) for c in h.history]
        old = frame_by_code(h.as_of("2023-12-31"))
        ids = {code: h.at(code) for code in frame}
        coverage = [(f.rule, f.where) for f in ws.hierarchy.overlay("fire_safety").coverage()]
    with gridgov.Workspace.open(workspace_path, create=False) as again:
        h = again.hierarchy.view
        assert frame_by_code(h) == frame
        assert [(c.seq, c.kind, c.effective, c.node, c.text, c.value)
                for c in h.history] == history
        assert frame_by_code(h.as_of("2023-12-31")) == old
        assert {code: h.at(code) for code in frame} == ids
        assert SCHOOL_GRID in h.as_of("2024-02-29") and SCHOOL_GRID not in h
        assert h.roll_up("households").sum[h.at(STREET)] == SEAT_HOUSEHOLDS
        # The township's grids lie outside the county seat's fire-safety network.
        assert coverage == [("overlay.gap", grid_code(suffix, seq))
                            for suffix, _, grids in VILLAGES
                            for seq in range(1, len(grids) + 1)]
        assert [(f.rule, f.where) for f in again.hierarchy.overlay("fire_safety").coverage()] == coverage


def test_a_read_only_workspace_refuses_changes(workspace_path, township_csv):
    with gridgov.Workspace.open(workspace_path) as ws:
        ws.hierarchy.import_file(township_csv)
    with gridgov.Workspace.open(workspace_path, read_only=True) as ro:
        assert len(ro.hierarchy.view) == 14
        with pytest.raises(gridgov.Error):
            ro.hierarchy.rename_node(ro.hierarchy.view.at(TOWNSHIP), "x", "2024-01-01")
        assert ro.hierarchy.view[TOWNSHIP].name == "石泉镇"


def test_a_workspace_collected_without_close_keeps_its_views_usable(workspace_path,
                                                                     township_csv):
    ws = gridgov.Workspace.open(workspace_path)
    ws.hierarchy.import_file(township_csv)
    node = ws.hierarchy.view[grid_code("203", 4)]
    del ws
    gc.collect()
    assert node.households == 146
    assert node.hierarchy.roll_up("households").sum[node.parent] == 596


def test_closing_while_another_thread_reads_is_safe(workspace_path, county_seat_json):
    ws = gridgov.Workspace.open(workspace_path)
    ws.hierarchy.import_file(county_seat_json)
    h = ws.hierarchy.view
    reads = []
    outcome = []
    started = threading.Event()

    def read():
        try:
            while True:
                reads.append(h.roll_up("households").sum[0])
                h.sum_records([0, 1, 2])
                started.set()
        except gridgov.InvalidStateError as e:
            outcome.append(str(e))
        finally:
            started.set()

    reader = threading.Thread(target=read)
    reader.start()
    started.wait()
    ws.close()
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert reads and outcome == [f"the workspace {workspace_path} is closed"]


# ---- overlays and validation ----------------------------------------------------------------
def test_overlays_can_be_built_unit_by_unit(county_seat):
    market = county_seat.hierarchy.add_overlay("market", "工商段区", gridgov.LevelScheme.market_supervision())
    assert market.units.levels.keys == ["section"]
    unit = county_seat.hierarchy.add_overlay_unit(market, code="GS-01", name="城关第一段区",
                                        level="section",
                                        grids=[seat_grid(1, g) for g in (1, 2, 3)])
    assert isinstance(unit, gridgov.Node) and unit.code == "GS-01"
    assert list(market.grids_of(unit)) == [county_seat.hierarchy.view.at(seat_grid(1, g))
                                           for g in (1, 2, 3)]
    gaps = [f for f in market.coverage() if f.rule == "overlay.gap"]
    assert len(gaps) == 30
    with pytest.raises(gridgov.NotFoundError, match="371327001099001"):
        county_seat.hierarchy.add_overlay_unit("market", code="GS-02", name="x", level="section",
                                     grids=["371327001099001"])
    custom = county_seat.hierarchy.add_overlay("frontage", "门前三包责任区", [
        gridgov.Level("supervision_area", "督导片区", "Supervision area"),
        gridgov.Level("frontage_zone", "门前三包责任区", "Frontage zone"),
    ])
    assert [o.key for o in county_seat.hierarchy.overlays] == ["fire_safety", "market", "frontage"]
    assert custom.units.levels.keys == ["supervision_area", "frontage_zone"]


def test_validate_takes_a_policy_or_a_preset_name(township):
    township.hierarchy.set_node_value(grid_code("203", 2), "households", 286, "2024-01-01")
    by_name = township.hierarchy.validate("rural_township_150")
    by_policy = township.hierarchy.validate(gridgov.ValidationPolicy(
        sizing=gridgov.SizingPolicy.rural_township_150()))
    assert [(f.rule, f.where) for f in by_name] == [(f.rule, f.where) for f in by_policy]
    assert grid_code("203", 2) in [f.where for f in by_name]
    assert grid_code("203", 2) not in [f.where for f in township.hierarchy.validate()]
    with pytest.raises(TypeError, match="policy"):
        township.hierarchy.validate(42)


def test_moving_to_none_makes_a_root(township):
    h = township.hierarchy.view
    village = h[TOWNSHIP + "203"]
    township.hierarchy.move_node(village, None, "2024-01-01")
    assert village.parent is None and village.depth == 0
    assert sorted(h.code(int(r)) for r in h.roots()) == [TOWNSHIP, TOWNSHIP + "203"]
    assert h.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS - 596


def test_a_new_workspace_takes_its_own_level_scheme(workspace):
    workspace.hierarchy.set_level_scheme([gridgov.Level("district", "片区", "District"),
                                gridgov.Level("block", "街区", "Block")])
    workspace.hierarchy.add_node(code="P1", name="北片区", level="district")
    block = workspace.hierarchy.add_node(code="P1-1", parent="P1", name="一街区", level="block",
                               households=420)
    assert workspace.hierarchy.view.levels.keys == ["district", "block"]
    assert block.level == "block" and block.level_index == 1
    with pytest.raises(gridgov.InvalidStateError):
        workspace.hierarchy.set_level_scheme("chinese_default")


def test_copy_takes_a_whole_workspace_into_a_new_store(township, workspace_path, tmp_path):
    township.close()
    target = store_location(tmp_path, "copy.gridgov")
    summary = gridgov.Workspace.copy(workspace_path, target)
    assert summary["tables"] == 53 and summary["rows"] > 0
    with gridgov.Workspace.open(workspace_path, create=False) as a, \
            gridgov.Workspace.open(target, create=False) as b:
        assert b.hierarchy.export_text("json") == a.hierarchy.export_text("json")
    with pytest.raises(gridgov.AlreadyExistsError, match="not empty|exists"):
        gridgov.Workspace.copy(workspace_path, target)
    with pytest.raises(gridgov.NotFoundError):
        gridgov.Workspace.copy(tmp_path / "none.gridgov", tmp_path / "x.gridgov")
    assert not (tmp_path / "x.gridgov").exists()
