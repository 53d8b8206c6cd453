"""Workflows, categories, departments and routing from Python.

The profiles are the built-in ones (township six-step loop, urban seven-step loop,
hotline with callback); routing runs on a township of the sample county (苇川县 青石镇).
"""

import json

import pytest

import gridgov

COUNTY = {
    "format": "gridgov.hierarchy",
    "version": 1,
    "nodes": [
        {"code": "371338", "name": "苇川县", "level": "county"},
        {"code": "371338101", "parent": "371338", "name": "青石镇", "level": "township"},
        {"code": "371338101001", "parent": "371338101", "name": "青石村", "level": "village"},
        {"code": "371338101002", "parent": "371338101", "name": "东岭村", "level": "village"},
        {"code": "371338101001001", "parent": "371338101001", "name": "青石村第一网格",
         "level": "grid", "households": 151},
        {"code": "371338101001002", "parent": "371338101001", "name": "青石村第二网格",
         "level": "grid", "households": 148},
        {"code": "371338101002001", "parent": "371338101002", "name": "东岭村第一网格",
         "level": "grid", "households": 153},
    ],
}

DEPARTMENTS = {
    "key": "weichuan",
    "name": "苇川县处置部门",
    "departments": [
        {"code": "D-HW-XIAN", "kind": "sanitation", "zh": "县环境卫生服务中心", "node": "371338",
         "members": ["P0101"]},
        {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101",
         "members": ["P0102"]},
        {"code": "D-ZF-XIAN", "kind": "urban_enforcement", "zh": "县综合行政执法局",
         "node": "371338", "members": ["P0103"]},
        {"code": "D-ZF-QS", "kind": "urban_enforcement", "zh": "青石镇综合执法中队",
         "node": "371338101", "members": ["P0104"]},
        {"code": "D-QS-ZZ", "kind": "territorial", "zh": "青石镇综治中心", "node": "371338101",
         "members": ["P0105"]},
        {"code": "D-QSC", "kind": "territorial", "zh": "青石村委会", "node": "371338101001",
         "members": []},
    ],
}

ROUTING = {
    "territorial_level": "township",
    "rules": [
        {"category_prefix": "E01", "subtree": "371338101001", "department": "D-ZF-QS",
         "note": "青石村市容环境由镇执法中队统管"},
        {"category_prefix": "E0102", "department": "D-HW-XIAN",
         "note": "暴露垃圾全县由县环卫中心处置"},
        {"category_prefix": "E0105", "department": "D-ZF-XIAN"},
        {"category_prefix": "E0105", "subtree": "371338101", "department": "D-ZF-QS"},
        {"category_prefix": "E0106", "subtree": "371338101", "department": "D-HW-QS"},
        {"category_prefix": "E0106", "subtree": "371338101", "department": "D-ZF-QS"},
    ],
}


def tiny_spec(close_to="done", close_who="system", version=1):
    """The smallest valid workflow: a report opens a case, one command closes it."""
    return {
        "key": "tiny", "version": version, "zh": "最小流程",
        "counters": ["rework"], "flags": ["supervised"],
        "tiers": [{"level": "grid", "zh": "网格"}, {"level": "village", "zh": "社区"}],
        "stages": [{"key": "work", "zh": "办理",
                    "default_limit": {"value": 4, "unit": "working_hours"}}],
        "states": [{"key": "open", "zh": "办理中", "kind": "pending", "timer": "work"},
                   {"key": "done", "zh": "已办结", "kind": "closed", "terminal": True}],
        "transitions": [{"command": "report", "to": "open", "who": ["system"]},
                        {"command": "close", "from": ["open"], "to": close_to,
                         "who": [close_who], "clock": "stop"}],
    }


@pytest.fixture
def county():
    with gridgov.Workspace.open(":memory:") as ws:
        ws.hierarchy.import_text(json.dumps(COUNTY, ensure_ascii=False), "json", "weichuan.json")
        yield ws


@pytest.fixture
def categories():
    return gridgov.CategoryCatalogue.preset("combined")


@pytest.fixture
def departments():
    return gridgov.DepartmentCatalogue.from_json(DEPARTMENTS, "departments.json")


@pytest.fixture
def routing():
    return gridgov.RoutingTable.from_json(json.dumps(ROUTING, ensure_ascii=False), "routing.json")


# ---- commands and ratings -------------------------------------------------------------------
def test_commands_carry_their_file_names_and_stable_numbers():
    assert len(gridgov.Command.__members__) == 21
    for command in gridgov.Command.__members__.values():
        assert gridgov.Command.parse(command.command_name) == command
    assert gridgov.Command.VOID.command_name == "void"
    assert gridgov.Command.RETURN.command_name == "return"
    assert int(gridgov.Command.DISPATCH) == 3
    assert int(gridgov.Command.CALLBACK) == 20
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"unknown command 'reopen' \(expected report, file,"):
        gridgov.Command.parse("reopen")


def test_ratings_as_levels_or_scores():
    assert gridgov.Rating("满意").level == gridgov.Satisfaction.SATISFIED
    assert gridgov.Rating(gridgov.Satisfaction.UNSATISFIED).score is None
    assert gridgov.Rating.from_score(3).level == gridgov.Satisfaction.BASICALLY_SATISFIED
    assert gridgov.Rating.from_score(2).level == gridgov.Satisfaction.UNSATISFIED
    assert repr(gridgov.Rating.from_score(5)) == "<Rating satisfied (score 5)>"
    with pytest.raises(gridgov.InvalidArgumentError, match="6"):
        gridgov.Rating.from_score(6)
    with pytest.raises(gridgov.InvalidArgumentError):
        gridgov.Rating("very happy")
    with pytest.raises(TypeError):
        gridgov.Rating(4)


# ---- specs ------------------------------------------------------------------------------------
def test_the_township_loop_as_data():
    spec = gridgov.WorkflowSpec.preset("township_six_step")
    assert spec.id == "township_six_step@1"
    assert repr(spec).startswith("<WorkflowSpec township_six_step@1 ")
    assert [t.level for t in spec.tiers] == ["grid", "village", "township", "county"]
    assert spec.initial_states() == ["reported"]
    assert spec.catalogues == ["township_000", "workflow_roles"]
    assert spec.lights.yellow == pytest.approx(0.8)

    handling = spec.state("handling")
    assert handling.kind == gridgov.StateKind.OPEN
    assert handling.timer == "handle"
    assert handling.breach.escalate
    assert spec.state("suspended").timer is None
    assert spec.state("archived").terminal

    rework = next(t for t in spec.transitions if t.command == gridgov.Command.CHECK_FAIL)
    assert rework.from_states == ["checking"]
    assert rework.to == "handling"
    assert rework.reason_required
    assert rework.increments == ["rework"]
    assert rework.clock == gridgov.ClockEffect.CONTINUE
    supervise = next(t for t in spec.transitions if t.command == gridgov.Command.SUPERVISE)
    assert supervise.to is None
    second = [t for t in spec.transitions if t.command == gridgov.Command.APPROVE_EXTENSION][1]
    assert second.who == ["township_grid_leader"]
    assert second.guards[0].counter == "extensions" and second.guards[0].min == 1
    accept = next(t for t in spec.transitions if t.command == gridgov.Command.ACCEPT)
    assert accept.who == ["assigned_department"] and accept.roles == []

    assert set(spec.commands_from("reported")) == {
        gridgov.Command.FILE, gridgov.Command.VOID, gridgov.Command.ESCALATE,
        gridgov.Command.SELF_HANDLE}
    assert spec.commands_from("archived") == []
    with pytest.raises(gridgov.NotFoundError, match="finished"):
        spec.state("finished")
    assert spec.validate() == []


def test_specs_round_trip_through_json_and_dicts():
    for key in gridgov.WorkflowSpec.preset_keys():
        spec = gridgov.WorkflowSpec.preset(key)
        assert gridgov.WorkflowSpec.from_json(spec.to_json()) == spec
        assert gridgov.WorkflowSpec.from_json(spec.to_dict()) == spec
    assert gridgov.WorkflowSpec.from_json(tiny_spec()).key == "tiny"


def test_reading_a_spec_names_the_source_path_and_field():
    with pytest.raises(gridgov.ParseError, match="county.workflow.json"):
        gridgov.WorkflowSpec.from_json('{"key": ', "county.workflow.json")
    bad = tiny_spec()
    bad["transitions"][1]["command"] = "reopen"
    with pytest.raises(gridgov.InvalidArgumentError) as caught:
        gridgov.WorkflowSpec.from_json(bad, "qingshi.json")
    assert "qingshi.json" in str(caught.value)
    assert "field 'command'" in str(caught.value)
    with pytest.raises(TypeError, match="JSON text"):
        gridgov.WorkflowSpec.from_json(42)


def test_validation_returns_findings_and_checks_what_it_is_given(categories, county):
    broken = gridgov.WorkflowSpec.from_json(tiny_spec(close_to="finished"))
    rules = {f.rule for f in broken.validate()}
    assert rules == {"workflow.unknown_state", "workflow.unreachable_state"}
    assert all(f.where.startswith("tiny@1:/") for f in broken.validate())

    with_role = gridgov.WorkflowSpec.from_json(tiny_spec(close_who="dispatcher"))
    assert with_role.validate(roles=None) == []
    catalogue = {"key": "qingshi", "name": "青石镇", "duties": [],
                 "roles": [{"code": "dispatcher", "zh": "派遣员", "level": "county"}]}
    assert with_role.validate(roles=catalogue) == []
    # The workspace's directory has no catalogue yet: every role is unknown to it.
    assert [f.rule for f in with_role.validate(roles=county)] == ["workflow.unknown_role"]

    untimed = tiny_spec()
    del untimed["stages"][0]["default_limit"]
    spec = gridgov.WorkflowSpec.from_json(untimed)
    assert spec.validate(categories=None) == []
    assert [f.rule for f in spec.validate(categories=categories)] == \
        ["workflow.stage_without_limit"]
    with pytest.raises(TypeError, match="CategoryCatalogue"):
        spec.validate(categories="combined")


def test_handling_node_climbs_one_level_per_tier(county):
    spec = gridgov.WorkflowSpec.preset("township_six_step")
    grid = "371338101001002"
    assert spec.handling_node(county.hierarchy.view, grid, 0).code == grid
    assert spec.handling_node(county.hierarchy.view, grid, 1).name == "青石村"
    assert spec.handling_node(county, grid, 2).name == "青石镇"
    assert spec.handling_node(county.hierarchy.view.snapshot(), grid, 3).code == "371338"
    with pytest.raises(gridgov.InvalidStateError):
        spec.handling_node(county.hierarchy.view, grid, 4)


# ---- the registry -------------------------------------------------------------------------------
def test_the_builtin_registry_holds_the_four_profiles():
    registry = gridgov.WorkflowRegistry.builtin()
    assert registry.keys() == ["hazard_rectification", "hotline_callback", "township_six_step",
                               "urban_seven_step"]
    assert len(registry) == 4
    assert "township_six_step" in registry
    assert "county_twelve_step" not in registry
    assert registry.versions("township_six_step") == [1]
    assert registry.get("township_six_step") == gridgov.WorkflowSpec.preset("township_six_step")
    assert repr(registry) == ("<WorkflowRegistry 4 specs: hazard_rectification, hotline_callback, "
                              "township_six_step, urban_seven_step>")
    with pytest.raises(gridgov.NotFoundError, match='"township_six_step" version 2'):
        registry.get("township_six_step", 2)


def test_versions_coexist_and_a_version_never_changes():
    registry = gridgov.WorkflowRegistry.builtin()
    local = gridgov.WorkflowSpec.preset("township_six_step").to_dict()
    local["version"] = 2
    for transition in local["transitions"]:
        if transition["command"] == "check_fail":
            transition["clock"] = "reset"
    assert registry.add(local, source_name="青石镇六步闭环 v2") == []
    assert registry.versions("township_six_step") == [1, 2]
    assert registry.get("township_six_step").version == 2
    rework = [t for t in registry.get("township_six_step", 2).transitions
              if t.command == gridgov.Command.CHECK_FAIL]
    assert rework[0].clock == gridgov.ClockEffect.RESET
    with pytest.raises(gridgov.AlreadyExistsError, match="township_six_step@2 is already"):
        registry.add(local)
    assert len(registry) == 5


def test_the_registry_refuses_error_findings_and_changes_nothing(county):
    registry = gridgov.WorkflowRegistry()
    with pytest.raises(gridgov.InvalidArgumentError) as caught:
        registry.add(tiny_spec(close_to="finished"))
    assert str(caught.value).startswith(
        "workflow tiny@1 refused at /transitions/1/to (field 'to'): ")
    assert str(caught.value).endswith("[workflow.unknown_state]")
    with pytest.raises(gridgov.InvalidArgumentError, match=r"/transitions/1/who/0"):
        registry.add(tiny_spec(close_who="dispatcher"), roles=county)
    assert len(registry) == 0
    warnings = registry.add(gridgov.WorkflowSpec.from_json(tiny_spec(close_who="mayor")),
                            roles=None)
    assert warnings == []
    assert registry.contains("tiny", 1)


# ---- categories ---------------------------------------------------------------------------------
def test_category_presets_carry_their_limits(categories):
    assert gridgov.CategoryCatalogue.preset_keys() == ["urban_management", "governance", "combined"]
    assert len(categories) == 19
    assert [c.code for c in categories][:2] == ["E0101", "E0102"]
    rubbish = categories["E0102"]
    assert (rubbish.name_zh, rubbish.major_zh, rubbish.department) == \
        ("暴露垃圾", "市容环境", "sanitation")
    assert rubbish.kind == gridgov.CategoryKind.EVENT
    assert repr(rubbish) == "<Category E0102 市容环境/暴露垃圾 (event, sanitation)>"
    handle = rubbish.limit_for("handle", "一类")
    assert handle.limit == gridgov.TimeLimit(4, gridgov.TimeUnit.WORKING_HOURS)
    assert rubbish.limit_for("dispatch") is None

    building = categories["E0101"]
    assert [m.key for m in building.limits[0].milestones] == ["stop_work", "penalty", "removal"]
    assert building.limits[0].milestones[0].within == \
        gridgov.TimeLimit(4, gridgov.TimeUnit.WORKING_HOURS)
    assert categories["E0401"].clock_mode == gridgov.ClockMode.NATURAL

    assert "G0101" in categories and "X9999" not in categories
    assert categories.find("X9999") is None
    with pytest.raises(KeyError, match="X9999"):
        categories["X9999"]
    assert "handle" in categories.stages()
    assert categories.validate() == []
    with pytest.raises(gridgov.NotFoundError, match="rural_affairs"):
        gridgov.CategoryCatalogue.preset("rural_affairs")


def test_categories_round_trip_and_refuse_duplicates(categories):
    assert gridgov.CategoryCatalogue.from_json(categories.to_json()) == categories
    assert gridgov.CategoryCatalogue.from_json(categories.to_dict()) == categories
    with pytest.raises(gridgov.AlreadyExistsError, match="E01"):
        gridgov.CategoryCatalogue.from_json(
            {"categories": [{"code": "E01", "zh": "a"}, {"code": "E01", "zh": "b"}]})
    with pytest.raises(gridgov.ParseError, match="local.json"):
        gridgov.CategoryCatalogue.from_json("[", "local.json")


# ---- departments and routing ----------------------------------------------------------------------
def test_departments_read_validate_and_round_trip(county, departments):
    assert len(departments) == 6
    assert departments["D-QS-ZZ"].name_zh == "青石镇综治中心"
    assert departments["D-HW-QS"].has_member("P0102")
    assert [d.code for d in departments][-1] == "D-QSC"
    assert repr(departments["D-QSC"]) == "<Department D-QSC 青石村委会 (territorial at 371338101001)>"
    assert gridgov.DepartmentCatalogue.from_json(departments.to_json()) == departments

    assert [f.rule for f in departments.validate(county)] == ["department.no_members"]
    with_members = [f.rule for f in departments.validate(county, check_members=True)]
    assert with_members.count("department.unknown_member") == 5
    assert [f.rule for f in departments.validate(county.hierarchy.view.snapshot())] == \
        ["department.no_members"]
    with pytest.raises(gridgov.InvalidArgumentError, match="snapshot"):
        departments.validate(county.hierarchy.view.snapshot(), check_members=True)
    with pytest.raises(gridgov.InvalidArgumentError, match="dept.json"):
        gridgov.DepartmentCatalogue.from_json('{"departments": [{"code": 7}]}', "dept.json")


def test_routing_follows_its_precedence(county, categories, departments, routing):
    h = county.hierarchy.view

    by_rule = routing.route(h, categories, departments, "E0102", "371338101001001")
    assert by_rule.basis == gridgov.RouteBasis.RULE
    assert by_rule.department == "D-HW-XIAN"
    assert by_rule.rule == 1
    assert by_rule.node.code == "371338"
    assert repr(by_rule) == "<Route rule -> D-HW-XIAN>"

    by_kind = routing.route(county, categories, departments, "E0103", "371338101002001")
    assert by_kind.basis == gridgov.RouteBasis.CATEGORY
    assert by_kind.department == "D-HW-QS"
    assert by_kind.rule is None
    assert by_kind.node.name == "青石镇"

    territorial = routing.route(h, categories, departments, "G0101", h["371338101001002"])
    assert territorial.basis == gridgov.RouteBasis.TERRITORIAL
    assert territorial.department == "D-QS-ZZ"
    assert territorial.node.code == "371338101"
    assert territorial.reasoning[:2] == [
        "no explicit rule matches G0101 at 371338101001002",
        'no department of kind "mediation" serves 371338101001002 or any node above it',
    ]
    assert "属地管理" in territorial.reasoning[2]

    bare = gridgov.RoutingTable.from_json({"territorial_level": "village",
                                           "territorial_kind": "village_committee"})
    village = bare.route(h, categories, departments, "G0101", "371338101001002")
    assert village.department is None
    assert village.node.name == "青石村"

    with pytest.raises(gridgov.NotFoundError, match='no category "X9999"'):
        routing.route(h, categories, departments, "X9999", "371338101001001")
    with pytest.raises(gridgov.NotFoundError, match="371399"):
        routing.route(h, categories, departments, "E0102", "371399")


def test_routing_tables_validate_and_round_trip(county, categories, departments, routing):
    assert [f.rule for f in routing.validate(county, categories, departments)] == \
        ["routing.duplicate_rule"]
    assert routing.territorial_level == "township"
    assert routing.rules[0].subtree == "371338101001"
    assert repr(routing.rules[2]) == "<RoutingRule 'E0105' -> D-ZF-XIAN>"
    assert gridgov.RoutingTable.from_json(routing.to_json()) == routing
    assert gridgov.RoutingTable.from_json(routing.to_dict()) == routing
    assert gridgov.RoutingTable().territorial_kind == "territorial"


# ---- routing into overlay networks ----------------------------------------------------------------
# Fire hazards go to the fire grid covering the case (seed 002 第四篇), matters of the 社区卫生
# 服务团队 to the health grid (seed 001 篇4), as in the C++ test
# workflow.routing.overlay_rules_send_a_category_into_the_covering_unit: 大网格 L1 over two 中网格,
# M1 mapped to 青石村 (both its grids), M2 to 东岭村第一网格; 健康网格 H1 over 青石村第一网格 only.
Q1, Q2, D1 = "371338101001001", "371338101001002", "371338101002001"

OVERLAYS = [
    {"key": "fire", "name": "消防网格", "levels": "fire_safety", "units": [
        {"code": "L1", "parent": "", "name": "青石镇消防大网格", "level": "large", "grids": []},
        {"code": "M1", "parent": "L1", "name": "青石村消防中网格", "level": "medium",
         "grids": ["371338101001"]},
        {"code": "M2", "parent": "L1", "name": "东岭村消防中网格", "level": "medium",
         "grids": [D1]}]},
    {"key": "health", "name": "健康网格", "levels": "market_supervision", "units": [
        {"code": "H1", "parent": "", "name": "青石一网格健康网格", "level": "section",
         "grids": [Q1]}]},
]

# Departments serving units: a department's node may be a unit place.
UNIT_DEPARTMENTS = dict(DEPARTMENTS, departments=DEPARTMENTS["departments"] + [
    {"code": "D-XF-L1", "kind": "fire_station", "zh": "青石镇消防救援站", "node": "fire:L1",
     "members": ["P0201"]},
    {"code": "D-XF-M1", "kind": "fire_station", "zh": "青石村微型消防站", "node": "fire:M1",
     "members": ["P0202"]},
    {"code": "D-XF-M1B", "kind": "fire_patrol", "zh": "青石村巡防队", "node": "fire:M1",
     "members": ["P0203"]},
])

OVERLAY_ROUTING = {"rules": [
    {"category_prefix": "G0201", "overlay": "fire", "note": "消防安全隐患进消防网格"},
    {"category_prefix": "G0303", "overlay": "health"},
    {"category_prefix": "G0302", "overlay": "health", "department": "D-QS-ZZ"},
]}


@pytest.fixture
def networked(tmp_path):
    """The county of COUNTY with the fire and health overlays, in a workspace file."""
    with gridgov.Workspace.open(tmp_path / "weichuan.gridgov") as ws:
        document = dict(COUNTY, overlays=OVERLAYS)
        ws.hierarchy.import_text(json.dumps(document, ensure_ascii=False), "json",
                                 "weichuan.json")
        yield ws


@pytest.fixture
def unit_departments():
    return gridgov.DepartmentCatalogue.from_json(UNIT_DEPARTMENTS, "departments.json")


@pytest.fixture
def overlay_routing():
    return gridgov.RoutingTable.from_json(OVERLAY_ROUTING, "routing.json")


def test_overlay_rules_send_a_category_into_the_covering_unit(networked, categories,
                                                              unit_departments, overlay_routing):
    ws, departments, table = networked, unit_departments, overlay_routing
    assert table.rules[0].overlay == "fire" and table.rules[0].department == ""
    assert table.rules[2].overlay == "health" and table.rules[2].department == "D-QS-ZZ"
    assert repr(table.rules[0]) == "<RoutingRule 'G0201' -> overlay fire>"
    assert repr(table.rules[2]) == "<RoutingRule 'G0302' -> overlay health, D-QS-ZZ>"
    assert gridgov.RoutingTable.from_json(table.to_json()) == table
    assert table.to_dict()["rules"][1]["overlay"] == "health"

    # The department serving the covering unit: the first serving M1 (no category kind given);
    # it serves a unit, not a base node. A workspace and its live view route alike.
    for over in (ws, ws.hierarchy.view):
        r = table.route(over, categories, departments, "G0201", Q2)
        assert (r.basis, r.rule, r.unit, r.department) == \
            (gridgov.RouteBasis.RULE, 0, "fire:M1", "D-XF-M1")
        assert r.node is None
        assert r.reasoning[-1] == (
            "chosen: rule 0 (longest category prefix, then deepest subtree, then earliest) "
            "routes G0201 at 371338101001002 to unit fire:M1, department D-XF-M1")
        assert repr(r) == "<Route rule -> D-XF-M1 at fire:M1>"

    # Of the category's kind when one serves the unit.
    patrol = categories.to_dict()
    for category in patrol["categories"]:
        if category["code"] == "G0201":
            category["department"] = "fire_patrol"
    patrol = gridgov.CategoryCatalogue.from_json(patrol)
    assert table.route(ws, patrol, departments, "G0201", Q1).department == "D-XF-M1B"

    # A unit no department serves: the nearest enclosing unit's.
    r = table.route(ws, categories, departments, "G0201", D1)
    assert (r.unit, r.department, r.node) == ("fire:M2", "D-XF-L1", None)

    # No department on the unit or above: the posts held on it.
    r = table.route(ws, categories, departments, "G0303", Q1)
    assert (r.basis, r.unit, r.department) == (gridgov.RouteBasis.RULE, "health:H1", None)
    assert "no department serves it: the posts held on it" in r.reasoning[-1]
    assert repr(r) == "<Route rule -> (no department) at health:H1>"
    # A named department goes with the unit, and serves a base node.
    named = table.route(ws, categories, departments, "G0302", Q1)
    assert (named.department, named.unit, named.node.code) == ("D-QS-ZZ", "health:H1", "371338101")

    # Where no unit covers the case the rule is skipped.
    r = table.route(ws, categories, departments, "G0303", D1)
    assert r.basis != gridgov.RouteBasis.RULE and r.unit is None
    assert r.reasoning[0] == ('rule 1 (prefix "G0303", subtree anywhere, overlay health) matches '
                              "but no unit of health covers 371338101002001; skipped")
    # A snapshot holds no overlays: the rule cannot apply.
    bare = table.route(ws.hierarchy.view.snapshot(), categories, departments, "G0201", Q1)
    assert bare.basis != gridgov.RouteBasis.RULE and bare.unit is None
    assert 'overlay "fire", which is not loaded; skipped' in bare.reasoning[0]

    # The workspace's own configuration routes through its overlays.
    ws.cases.set_categories(categories)
    ws.cases.set_departments(departments)
    ws.cases.set_routing(table)
    own = ws.cases.route("G0201", Q2)
    assert (own.basis, own.unit, own.department, own.node) == \
        (gridgov.RouteBasis.RULE, "fire:M1", "D-XF-M1", None)
    assert ws.cases.route("G0303", D1).unit is None


def test_overlay_rules_and_unit_departments_validate_against_the_workspaces_overlays(
        networked, categories, unit_departments, overlay_routing):
    ws, departments, table = networked, unit_departments, overlay_routing
    snapshot = ws.hierarchy.view.snapshot()
    assert table.validate(ws, categories, departments) == []
    assert table.validate(ws.hierarchy.view, categories, departments) == []
    # Without the overlays (a snapshot) the overlays are unknown, and so are the unit places.
    assert {f.rule for f in table.validate(snapshot, categories, departments)} == \
        {"routing.unknown_overlay"}
    assert [f.rule for f in departments.validate(ws)] == ["department.no_members"]
    unknown = [f for f in departments.validate(snapshot) if f.rule == "department.unknown_node"]
    assert [f.where for f in unknown] == ["D-XF-L1", "D-XF-M1", "D-XF-M1B"]
    assert "fire:L1" in unknown[0].message

    # An overlay the workspace does not have, a unit it does not have.
    flood = gridgov.RoutingTable.from_json(
        {"rules": [{"category_prefix": "G0201", "overlay": "flood"}]}, "routing.json")
    [finding] = flood.validate(ws, categories, departments)
    assert (finding.rule, finding.where) == ("routing.unknown_overlay", "rules[0]")
    assert "flood" in finding.message and "not loaded" in finding.message
    gone = gridgov.DepartmentCatalogue.from_json(
        {"key": "k", "departments": [{"code": "D-XF-M9", "kind": "fire_station",
                                      "zh": "微型消防站", "node": "fire:M9",
                                      "members": ["P0209"]}]})
    [finding] = gone.validate(ws)
    assert finding.rule == "department.unknown_node" and "fire:M9" in finding.message
    # A rule needs a department unless it names an overlay.
    with pytest.raises(gridgov.InvalidArgumentError, match="'department'"):
        gridgov.RoutingTable.from_json({"rules": [{"category_prefix": "G02"}]}, "r.json")
