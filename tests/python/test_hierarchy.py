"""gridgov.Hierarchy, Node, RollUp and Overlay from Python."""

import datetime
import gc
import json
import math
import sys
import threading

import numpy as np
import pytest

import gridgov
from conftest import (
    GRIDS_PER_AREA,
    NET_AREAS,
    SCHOOL_GRID,
    SEAT_HOUSEHOLDS,
    STREET,
    TOWNSHIP,
    TOWNSHIP_GROUPS,
    TOWNSHIP_HOUSEHOLDS,
    TOWNSHIP_POPULATION,
    VILLAGES,
    county_seat_document,
    grid_code,
    seat_grid,
    seat_households,
)


def subtree_total_by_loop(h, node, column):
    """Reference roll-up: walk the tree with Python, summing the values that exist."""
    total = 0.0
    stack = [node]
    while stack:
        n = stack.pop()
        value = h.value(n, column)
        if value is not None:
            total += value
        stack.extend(int(c) for c in h.children(n))
    return total


# ---- identity ---------------------------------------------------------------------------
def test_len_counts_live_nodes_and_id_count_every_id(township):
    h = township.hierarchy.view
    grids = sum(len(g) for _, _, g in VILLAGES) + 1
    assert len(h) == 1 + len(VILLAGES) + grids
    assert h.id_count == len(h)


def test_find_returns_an_id_or_none(township):
    h = township.hierarchy.view
    tid = h.find(TOWNSHIP)
    assert isinstance(tid, int)
    assert h.code(tid) == TOWNSHIP
    assert h.find("999999999") is None


def test_at_raises_not_found_which_is_a_key_error_naming_the_code(township):
    h = township.hierarchy.view
    assert h.at(TOWNSHIP) == h.find(TOWNSHIP)
    with pytest.raises(gridgov.NotFoundError, match="nope") as caught:
        h.at("nope")
    assert isinstance(caught.value, KeyError)
    assert caught.value.code == "not_found"
    with pytest.raises(KeyError):
        h["nope"]


def test_contains_accepts_codes_and_ids(township):
    h = township.hierarchy.view
    assert TOWNSHIP in h
    assert "nope" not in h
    assert h.find(TOWNSHIP) in h
    assert h.id_count not in h


def test_unknown_ids_raise_not_found_naming_the_id(township):
    h = township.hierarchy.view
    with pytest.raises(gridgov.NotFoundError, match=str(h.id_count + 5)):
        h.parent(h.id_count + 5)
    with pytest.raises(gridgov.NotFoundError):
        h.node(-1)
    with pytest.raises(TypeError, match="float"):
        h.parent(1.5)


# ---- node views ---------------------------------------------------------------------------
def test_node_view_reads_every_attribute(township):
    h = township.hierarchy.view
    g = h[grid_code("201", 1)]
    assert g.code == grid_code("201", 1)
    assert g.name == "东石泉村第1网格"
    assert g.level == "grid"
    assert g.level_index == h.levels.index_of("grid")
    assert g.kind == "comprehensive"
    assert g.area_type == "rural"
    assert g.area_class == ""
    assert g.households == 152
    assert g.population == 498
    assert g.area_m2 == 1200000
    assert g.value("villager_groups") == 3
    assert g.values == {"households": 152, "population": 498, "area_m2": 1200000,
                        "villager_groups": 3}
    assert g.live
    assert g.created_on is None and g.retired_on is None
    assert g.geometry is None
    assert g.depth == 2
    assert g.parent.code == TOWNSHIP + "201"
    assert [n.code for n in g.path] == [TOWNSHIP, TOWNSHIP + "201", g.code]
    assert g.children == []


def test_node_missing_values_are_none(township):
    h = township.hierarchy.view
    village = h[TOWNSHIP + "201"]
    assert village.households is None
    assert village.values == {}
    school = h[SCHOOL_GRID]
    assert school.kind == "dedicated"
    assert school.households == 0


def test_node_repr_names_id_code_name_and_level(township):
    h = township.hierarchy.view
    g = h[grid_code("202", 2)]
    text = repr(g)
    assert text.startswith(f"<Node {g.id} {g.code} 西石泉村第2网格 (grid, 151 households")


def test_nodes_compare_by_id_and_index_numpy_arrays(township):
    h = township.hierarchy.view
    a = h[TOWNSHIP]
    assert a == h.node(a.id) == h.node(TOWNSHIP)
    assert a != h[TOWNSHIP + "201"]
    assert len({a, h.node(a.id)}) == 1
    households = h.column("households")
    g = h[grid_code("203", 3)]
    assert households[g] == 153
    assert h.parent(g) == g.parent.id


def test_children_of_a_node_come_in_preorder(township):
    h = township.hierarchy.view
    root = h[TOWNSHIP]
    assert [c.code for c in root.children] == [TOWNSHIP + s for s, _, _ in VILLAGES]
    kids = h.children(root)
    assert kids.dtype == np.uint32
    assert [h.code(int(k)) for k in kids] == [c.code for c in root.children]


def test_iterating_yields_live_nodes_in_preorder(township):
    h = township.hierarchy.view
    assert [n.id for n in h] == list(h.preorder())


# ---- structure ----------------------------------------------------------------------------
def test_structure_queries(county_seat):
    h = county_seat.hierarchy.view
    street = h.at(STREET)
    area = h.at(f"{STREET}005")
    g1, g2 = h.at(seat_grid(5, 1)), h.at(seat_grid(5, 3))
    other = h.at(seat_grid(9, 2))
    assert h.parent(street) is None
    assert h.parent(g1) == area
    assert h.depth(street) == 0 and h.depth(g1) == 2
    assert list(h.path_to_root(g1)) == [g1, area, street]
    assert h.path_to_root(g1).dtype == np.uint32
    assert h.is_ancestor(street, g1)
    assert h.is_ancestor(g1, g1)
    assert not h.is_ancestor(g1, street)
    assert not h.is_ancestor(area, other)
    assert h.lowest_common_ancestor(g1, g2) == area
    assert h.lowest_common_ancestor(g1, other) == street
    assert h.lowest_common_ancestor(seat_grid(5, 1), area) == area
    assert list(h.roots()) == [street]


def test_lowest_common_ancestor_of_different_trees_is_none(county_seat, township_csv):
    county_seat.hierarchy.import_file(township_csv)
    h = county_seat.hierarchy.view
    assert len(h.roots()) == 2
    assert h.lowest_common_ancestor(seat_grid(1, 1), grid_code("201", 1)) is None


def test_preorder_holds_every_live_id_once_and_subtrees_are_slices(county_seat):
    h = county_seat.hierarchy.view
    order = h.preorder()
    assert order.dtype == np.uint32
    assert sorted(order.tolist()) == list(range(h.id_count))
    for code in (STREET, f"{STREET}001", f"{STREET}011", seat_grid(7, 2)):
        node = h.at(code)
        r = h.subtree_range(node)
        assert isinstance(r, range)
        assert h.preorder_position(node) == r.start
        assert list(order[r.start:r.stop]) == list(h.subtree(node))
    area = h.at(f"{STREET}004")
    assert sorted(h.code(int(i)) for i in h.subtree(area)) == sorted(
        [f"{STREET}004"] + [seat_grid(4, g) for g in range(1, 4)])


def test_nodes_at_level_by_key_or_index(county_seat):
    h = county_seat.hierarchy.view
    grids = h.nodes_at_level("grid")
    assert grids.dtype == np.uint32
    assert len(grids) == NET_AREAS * GRIDS_PER_AREA == 33
    assert list(h.nodes_at_level(h.levels.index_of("grid"))) == list(grids)
    assert len(h.nodes_at_level("village")) == 11
    assert len(h.nodes_at_level("province")) == 0
    with pytest.raises(gridgov.NotFoundError, match="'street'"):
        h.nodes_at_level("street")


def test_levels_are_the_chinese_default(township):
    levels = township.hierarchy.view.levels
    assert levels.keys == ["province", "city", "county", "township", "village", "grid",
                           "micro_grid"]
    assert levels[0].name_zh == "省"
    assert levels.code_length(levels.index_of("grid")) == 15


# ---- columns ------------------------------------------------------------------------------
def test_columns_are_float64_indexed_by_id_with_nan_for_missing(township):
    h = township.hierarchy.view
    assert h.column_names[:3] == ["households", "population", "area_m2"]
    assert "villager_groups" in h.column_names
    assert h.has_column("villager_groups") and not h.has_column("shops")
    households = h.column("households")
    assert households.dtype == np.float64
    assert len(households) == h.id_count
    assert math.isnan(households[h.at(TOWNSHIP)])
    assert households[h.at(grid_code("201", 2))] == 148
    assert np.nansum(households) == TOWNSHIP_HOUSEHOLDS
    assert np.nansum(h.column("population")) == TOWNSHIP_POPULATION
    with pytest.raises(gridgov.NotFoundError, match="shops"):
        h.column("shops")


def test_column_arrays_are_read_only(township):
    households = township.hierarchy.view.column("households")
    with pytest.raises(ValueError):
        households[0] = 1.0


def test_workspace_columns_are_copies_and_snapshot_columns_share_memory(township):
    live = township.hierarchy.view
    assert not np.shares_memory(live.column("households"), live.column("households"))
    snap = live.snapshot()
    assert snap.is_snapshot and not live.is_snapshot
    a, b = snap.column("households"), snap.column("households")
    assert np.shares_memory(a, b)
    assert np.shares_memory(snap.preorder(), snap.preorder())
    np.testing.assert_array_equal(a, live.column("households"))


def test_snapshot_arrays_outlive_the_snapshot(township):
    snap = township.hierarchy.view.snapshot()
    households = snap.column("households")
    order = snap.preorder()
    del snap
    gc.collect()
    assert np.nansum(households) == TOWNSHIP_HOUSEHOLDS
    assert len(order) == len(township.hierarchy.view)


def test_workspace_column_copies_do_not_follow_later_changes(township):
    h = township.hierarchy.view
    g = h.at(grid_code("201", 1))
    before = h.column("households")
    township.hierarchy.set_node_value(g, "households", 160, "2024-03-01")
    assert before[g] == 152
    assert h.column("households")[g] == 160


# ---- roll-ups -------------------------------------------------------------------------------
def test_roll_up_sums_households_over_every_subtree(township):
    h = township.hierarchy.view
    r = h.roll_up("households")
    assert r.label == "households"
    assert r.sum.dtype == np.float64 and r.count.dtype == np.uint32
    assert len(r.sum) == h.id_count
    root = h.at(TOWNSHIP)
    assert r.sum[root] == TOWNSHIP_HOUSEHOLDS
    assert r.sum[h.at(TOWNSHIP + "201")] == 152 + 148 + 155 + 0
    assert r.sum[h.at(TOWNSHIP + "202")] == 149 + 151
    assert r.sum[h.at(TOWNSHIP + "203")] == 147 + 150 + 153 + 146
    assert r.min[h.at(TOWNSHIP + "203")] == 146
    assert r.max[h.at(TOWNSHIP + "203")] == 153
    assert r.min[h.at(TOWNSHIP + "201")] == 0  # the school grid
    assert r.count[root] == 10
    assert r.count[h.at(TOWNSHIP + "201")] == 4
    for node in h:
        assert r.sum[node] == subtree_total_by_loop(h, node.id, "households")


def test_roll_up_of_an_attribute_column(township):
    r = township.hierarchy.view.roll_up("villager_groups")
    assert r.sum[township.hierarchy.view.at(TOWNSHIP)] == TOWNSHIP_GROUPS


def test_roll_up_of_an_array_matches_the_column_roll_up(county_seat):
    h = county_seat.hierarchy.view
    by_name = h.roll_up("households")
    by_array = h.roll_up(h.column("households"))
    assert by_array.label == "values"
    np.testing.assert_array_equal(by_name.sum, by_array.sum)
    np.testing.assert_array_equal(by_name.count, by_array.count)
    assert by_name.sum[h.at(STREET)] == SEAT_HOUSEHOLDS
    for a in range(1, NET_AREAS + 1):
        expected = sum(seat_households(a, g) for g in range(1, GRIDS_PER_AREA + 1))
        assert by_name.sum[h.at(f"{STREET}{a:03d}")] == expected == 900 + 30 * a + 6


def test_roll_up_of_a_computed_array(county_seat):
    h = county_seat.hierarchy.view
    ones = np.where(np.isnan(h.column("households")), np.nan, 1.0)
    r = h.roll_up(ones)
    assert r.sum[h.at(STREET)] == 33
    assert r.sum[h.at(f"{STREET}002")] == 3


def test_roll_up_rejects_an_array_of_the_wrong_length(county_seat):
    h = county_seat.hierarchy.view
    with pytest.raises(gridgov.InvalidArgumentError, match=str(h.id_count)):
        h.roll_up(np.zeros(h.id_count - 1))
    with pytest.raises(gridgov.NotFoundError, match="shoes"):
        h.roll_up("shoes")


def test_roll_up_arrays_belong_to_the_roll_up(county_seat):
    street = county_seat.hierarchy.view.at(STREET)
    r = county_seat.hierarchy.view.roll_up("households")
    total = r.sum
    del r
    gc.collect()
    assert total[street] == SEAT_HOUSEHOLDS


def test_roll_up_ids_and_codes_list_live_nodes_in_preorder(county_seat):
    h = county_seat.hierarchy.view
    r = h.roll_up("households")
    assert len(r) == len(h)
    assert list(r.ids) == list(h.preorder())
    assert r.codes == [h.code(int(i)) for i in r.ids]


# ---- sum_records ------------------------------------------------------------------------
def cases_on_grids(h):
    """Case records located at grids: grid k of the seat gets k + 1 cases."""
    grids = [int(g) for g in h.nodes_at_level("grid")]
    nodes = np.array([g for k, g in enumerate(grids) for _ in range(k + 1)], dtype=np.uint32)
    weights = np.arange(len(nodes), dtype=np.float64) * 0.5
    return grids, nodes, weights


def test_sum_records_counts_records_in_every_subtree(county_seat):
    h = county_seat.hierarchy.view
    grids, nodes, _ = cases_on_grids(h)
    counts = h.sum_records(nodes)
    assert counts.dtype == np.float64 and len(counts) == h.id_count
    assert counts[h.at(STREET)] == len(nodes) == 33 * 34 // 2
    for k, g in enumerate(grids):
        assert counts[g] == k + 1
    area = h.at(f"{STREET}001")
    assert counts[area] == 1 + 2 + 3


def test_sum_records_with_weights_matches_a_python_loop(county_seat):
    h = county_seat.hierarchy.view
    _, nodes, weights = cases_on_grids(h)
    sums = h.sum_records(nodes, weights)
    expected = np.zeros(h.id_count)
    for node, w in zip(nodes.tolist(), weights.tolist()):
        for ancestor in h.path_to_root(node):
            expected[ancestor] += w
    np.testing.assert_allclose(sums, expected)
    assert sums[h.at(STREET)] == pytest.approx(weights.sum())


def test_sum_records_accepts_lists_and_int64(county_seat):
    h = county_seat.hierarchy.view
    g = h.at(seat_grid(3, 3))
    from_list = h.sum_records([g, g, g])
    from_int64 = h.sum_records(np.array([g, g, g], dtype=np.int64), [1.0, 2.0, 3.0])
    assert from_list[h.at(STREET)] == 3
    assert from_int64[h.at(f"{STREET}003")] == 6
    assert h.sum_records([])[h.at(STREET)] == 0


def test_sum_records_refuses_bad_input(county_seat):
    h = county_seat.hierarchy.view
    g = h.at(seat_grid(1, 1))
    with pytest.raises(gridgov.InvalidArgumentError, match="weights"):
        h.sum_records([g, g], [1.0])
    with pytest.raises(gridgov.InvalidArgumentError, match="record 1 .*" + str(h.id_count)):
        h.sum_records([g, h.id_count])
    with pytest.raises(gridgov.InvalidArgumentError, match="record 0"):
        h.sum_records(np.array([-1], dtype=np.int64))
    with pytest.raises(TypeError, match="integers"):
        h.sum_records(np.array([1.5]))


def test_roll_up_and_sum_records_give_the_same_answers_from_several_threads(county_seat):
    h = county_seat.hierarchy.view
    _, nodes, weights = cases_on_grids(h)
    expected_sums = h.sum_records(nodes, weights)
    expected_roll = h.roll_up("households").sum
    failures = []

    def work():
        for _ in range(50):
            if not np.array_equal(h.sum_records(nodes, weights), expected_sums):
                failures.append("sum_records")
            if not np.array_equal(h.roll_up("households").sum, expected_roll, equal_nan=True):
                failures.append("roll_up")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


def test_readers_in_other_threads_see_whole_changes_only(county_seat):
    """Roll-ups run without the GIL while the main thread changes the workspace."""
    h = county_seat.hierarchy.view
    street = h.at(STREET)
    g = h.at(seat_grid(1, 1))
    start = seat_households(1, 1)
    changes = 40
    seen = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            seen.append(h.roll_up("households").sum[street])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, changes + 1):
            county_seat.hierarchy.set_node_value(g, "households", start + i, datetime.date(2024, 1, 1))
    finally:
        stop.set()
        reader.join()
    allowed = {SEAT_HOUSEHOLDS + i for i in range(changes + 1)}
    assert seen and set(seen) <= allowed
    assert h.roll_up("households").sum[street] == SEAT_HOUSEHOLDS + changes


# ---- history and as_of ----------------------------------------------------------------------
def test_history_records_every_change_in_order(township):
    h = township.hierarchy.view
    g = h.at(grid_code("202", 1))
    township.hierarchy.rename_node(g, "西石泉村北网格", "2024-02-01")
    township.hierarchy.set_node_value(g, "households", 158, datetime.date(2024, 3, 1))
    history = h.history
    assert [c.seq for c in history] == list(range(1, len(history) + 1))
    assert sum(c.kind == "add" for c in history) == h.id_count
    add = next(c for c in history if c.kind == "add" and c.node == g)
    assert add.effective is None
    assert add.spec["code"] == grid_code("202", 1)
    assert add.spec["households"] == 149
    assert add.spec["attributes"] == {"villager_groups": 2}
    rename, value = history[-2], history[-1]
    assert (rename.kind, rename.node, rename.text) == ("rename", g, "西石泉村北网格")
    assert rename.effective == datetime.date(2024, 2, 1)
    assert (value.kind, value.text, value.value) == ("set_value", "households", 158)
    assert "set_value" in repr(value)


def test_as_of_returns_an_owning_snapshot_of_that_date(township):
    h = township.hierarchy.view
    g = h.at(grid_code("202", 1))
    township.hierarchy.set_node_value(g, "households", 158, "2024-03-01")
    township.hierarchy.rename_node(g, "西石泉村北网格", "2024-03-01")
    before = h.as_of(datetime.date(2024, 2, 29))
    after = h.as_of("2024-03-01")
    assert before.is_snapshot
    assert before.value(g, "households") == 149 and before.name(g) == "西石泉村第1网格"
    assert after.value(g, "households") == 158 and after.name(g) == "西石泉村北网格"
    assert before.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS
    assert after.roll_up("households").sum[h.at(TOWNSHIP)] == TOWNSHIP_HOUSEHOLDS + 9
    township.hierarchy.set_node_value(g, "households", 170, "2024-04-01")
    assert after.value(g, "households") == 158  # a snapshot does not follow the workspace


def test_as_of_before_a_node_existed_leaves_it_out(township):
    h = township.hierarchy.view
    new = township.hierarchy.add_node(code=grid_code("202", 3), parent=TOWNSHIP + "202", name="西石泉村第3网格",
                            level="grid", households=90, effective="2024-05-01")
    old = h.as_of("2024-04-30")
    assert not old.is_live(new.id)
    assert grid_code("202", 3) not in old
    assert len(old) == len(h) - 1
    assert h.as_of("2024-05-01").is_live(new.id)


def test_dates_must_be_dates_or_iso_text(township):
    h = township.hierarchy.view
    with pytest.raises(gridgov.InvalidArgumentError, match="2024-13-01"):
        h.as_of("2024-13-01")
    with pytest.raises(TypeError, match="datetime.date"):
        h.as_of(20240101)


# ---- validation ---------------------------------------------------------------------------
def test_a_clean_township_has_no_error_findings(township):
    findings = township.hierarchy.view.validate()
    assert all(isinstance(f, gridgov.Finding) for f in findings)
    assert [f for f in findings if f.severity == gridgov.Severity.ERROR] == []


def test_sizing_policy_reports_an_oversized_grid_by_code(township):
    h = township.hierarchy.view
    big = grid_code("203", 2)
    township.hierarchy.set_node_value(big, "households", 286, "2024-01-01")
    policy = gridgov.ValidationPolicy(sizing="rural_township_150")
    assert policy.sizing.name == "rural_township_150"
    findings = h.validate(policy)
    assert big in [f.where for f in findings]
    assert [f.where for f in h.validate()] == [f.where for f in h.validate(None)]
    with pytest.raises(gridgov.InvalidArgumentError, match="no_such_policy"):
        gridgov.ValidationPolicy(sizing="no_such_policy")


def test_sizing_presets_are_exposed(township):
    names = [p.name for p in gridgov.SizingPolicy.presets()]
    assert "rural_township_150" in names
    for p in gridgov.SizingPolicy.presets():
        assert p.rules == [] or all(isinstance(r, gridgov.SizingRule) for r in p.rules)


# ---- pandas ---------------------------------------------------------------------------------
def test_hierarchy_to_pandas_is_indexed_by_code_in_preorder(township):
    h = township.hierarchy.view
    df = h.to_pandas()
    assert df.index.name == "code"
    assert list(df.index) == [h.code(int(i)) for i in h.preorder()]
    assert df.shape == (len(h), 8 + len(h.column_names))
    assert list(df.columns[:8]) == ["id", "name", "level", "parent", "depth", "kind",
                                    "area_type", "area_class"]
    assert df.loc[grid_code("201", 3), "households"] == 155
    assert df.loc[grid_code("201", 3), "parent"] == TOWNSHIP + "201"
    assert df.loc[TOWNSHIP, "parent"] == ""
    assert df["households"].sum() == TOWNSHIP_HOUSEHOLDS
    assert df.groupby("level")["households"].sum()["grid"] == TOWNSHIP_HOUSEHOLDS


def test_roll_up_to_pandas(county_seat):
    h = county_seat.hierarchy.view
    df = h.roll_up("households").to_pandas()
    assert list(df.columns) == ["id", "sum", "min", "max", "count"]
    assert df.shape == (len(h), 5)
    assert df.loc[STREET, "sum"] == SEAT_HOUSEHOLDS
    assert df.loc[f"{STREET}011", "max"] == seat_households(11, 3)
    assert df.loc[seat_grid(2, 2), "count"] == 1


def test_findings_to_pandas(county_seat):
    doc_findings = county_seat.hierarchy.overlay("fire_safety").coverage()
    empty = gridgov.findings_to_pandas(doc_findings)
    assert list(empty.columns) == ["rule", "severity", "where", "message"]
    assert len(empty) == len(doc_findings)
    county_seat.hierarchy.add_node(code=seat_grid(11, 4), parent=f"{STREET}011", name="第11网区第4网格",
                         level="grid", households=350)
    df = gridgov.findings_to_pandas(county_seat.hierarchy.validate())
    gap = df[df.rule == "overlay.gap"]
    assert list(gap["where"]) == [seat_grid(11, 4)]
    assert set(df.severity) <= {"info", "warning", "error"}


def test_to_pandas_without_pandas_raises_a_clear_import_error(township, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="needs pandas"):
        township.hierarchy.view.to_pandas()
    with pytest.raises(ImportError, match="python3-pandas"):
        gridgov.findings_to_pandas([])


def test_to_dict_gives_columns_without_pandas(township):
    d = township.hierarchy.view.to_dict()
    assert d["code"][0] == TOWNSHIP
    assert d["id"].dtype == np.uint32
    assert np.nansum(d["households"]) == TOWNSHIP_HOUSEHOLDS


# ---- overlays -----------------------------------------------------------------------------
def test_fire_safety_overlay_covers_every_grid_once(county_seat):
    fire = county_seat.hierarchy.overlay("fire_safety")
    assert fire.key == "fire_safety" and fire.name == "消防网格"
    assert [o.key for o in county_seat.hierarchy.overlays] == ["fire_safety"]
    units = fire.units
    assert len(units) == 1 + 11 + 33
    assert units.levels.keys == ["large", "medium", "small"]
    assert fire.coverage() == []
    h = county_seat.hierarchy.view
    small = units["XF-01-05-02"]
    assert small.level == "small" and small.parent.code == "XF-01-05"
    assert [h.code(int(g)) for g in fire.grids_of("XF-01-05-02")] == [seat_grid(5, 2)]
    assert list(fire.units_of(seat_grid(5, 2))) == [small.id]
    assert len(fire.grids_of("XF-01")) == 0
    assert "消防网格" in repr(fire)


def test_coverage_reports_a_gap_by_grid_code(workspace, tmp_path):
    path = tmp_path / "gap.json"
    doc = county_seat_document(skip_fire_grid=seat_grid(9, 2))
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    workspace.hierarchy.import_file(path)
    findings = workspace.hierarchy.overlay("fire_safety").coverage()
    assert [(f.rule, f.where) for f in findings] == [("overlay.gap", seat_grid(9, 2))]
    assert [f.where for f in workspace.hierarchy.validate() if f.rule == "overlay.gap"] == [seat_grid(9, 2)]


def test_unknown_overlay_raises_not_found(county_seat):
    with pytest.raises(gridgov.NotFoundError, match="market"):
        county_seat.hierarchy.overlay("market")


# ---- lifetimes ----------------------------------------------------------------------------
def test_a_view_outlives_its_workspace_object(workspace_path, township_csv):
    ws = gridgov.Workspace.open(workspace_path)
    ws.hierarchy.import_file(township_csv)
    h = ws.hierarchy.view
    node = h[TOWNSHIP]
    del ws
    gc.collect()
    assert len(h) == 14
    assert node.name == "石泉镇"
    assert h.roll_up("households").sum[node] == TOWNSHIP_HOUSEHOLDS


def test_views_of_a_closed_workspace_raise_invalid_state(county_seat):
    h = county_seat.hierarchy.view
    node = h[STREET]
    fire = county_seat.hierarchy.overlay("fire_safety")
    units = fire.units
    snapshot = h.snapshot()
    county_seat.close()
    for call in (lambda: len(h), lambda: h.find(STREET), lambda: h.column("households"),
                 lambda: h.roll_up("households"), lambda: h.sum_records([0]),
                 lambda: h.preorder(), lambda: h.as_of("2024-01-01"), lambda: node.name,
                 lambda: node.children, lambda: fire.coverage(), lambda: fire.name,
                 lambda: len(units), lambda: list(h)):
        with pytest.raises(gridgov.InvalidStateError, match="closed"):
            call()
    assert "closed" in repr(h) and "closed" in repr(node) and "closed" in repr(fire)
    assert len(snapshot) == 1 + 11 + 33  # a snapshot owns its data
