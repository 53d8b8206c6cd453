"""Cases on gridgov.Workspace from Python: reports, commands and their refusals, clocks and
ticks, queries, batches, observers, the event log and its verification against a file
changed behind gridgov's back.

The area is a township of the seed texts (岸堤镇, base grids of about 150 households). The
people hold the posts the township's six-step loop names: a grid information officer
(网格信息员) reports, the social-management service centre (社会管理服务中心) files,
dispatches and closes, the sanitation office (环卫所) handles, the village grid leader
(二级网格长) checks.
"""

import datetime
import json
import sqlite3

import numpy as np
import pytest

import gridgov

CST = datetime.timezone(datetime.timedelta(hours=8))
TOWNSHIP = "371327101"
DONGLING = "371327101001"
GRID_1 = "371327101001001"
GRID_2 = "371327101001002"
XIHE_GRID = "371327101002001"

HIERARCHY = {
    "format": "gridgov.hierarchy", "version": 1,
    "nodes": [
        {"code": TOWNSHIP, "name": "岸堤镇", "level": "township"},
        {"code": DONGLING, "parent": TOWNSHIP, "name": "东岭村", "level": "village"},
        {"code": "371327101002", "parent": TOWNSHIP, "name": "西河村", "level": "village"},
        {"code": GRID_1, "parent": DONGLING, "name": "东岭一网格", "level": "grid",
         "area_type": "rural", "households": 152},
        {"code": GRID_2, "parent": DONGLING, "name": "东岭二网格", "level": "grid",
         "area_type": "rural", "households": 148},
        {"code": XIHE_GRID, "parent": "371327101002", "name": "西河一网格", "level": "grid",
         "area_type": "rural", "households": 139},
    ],
}

CATALOGUE = {
    "key": "andi", "name": "岸堤镇网格化服务管理", "duties": [],
    "roles": [
        {"code": "village_grid_leader", "zh": "二级网格长", "level": "village"},
        {"code": "grid_information_officer", "zh": "网格信息员", "level": "grid"},
        {"code": "service_centre_staff", "zh": "社会管理服务中心工作人员", "level": "township"},
    ],
}

PEOPLE = {
    "people": [{"id": "P01", "name": "王立新"}, {"id": "P02", "name": "李秀英"},
               {"id": "P03", "name": "张建国"}, {"id": "P04", "name": "赵志强"}],
    "assignments": [
        {"person": "P01", "role": "grid_information_officer", "node": GRID_1, "post": "A",
         "from": "2025-01-01"},
        {"person": "P02", "role": "village_grid_leader", "node": DONGLING, "post": "A",
         "from": "2025-01-01"},
        {"person": "P03", "role": "service_centre_staff", "node": TOWNSHIP, "post": "A",
         "from": "2025-01-01"},
    ],
}

DEPARTMENTS = {
    "key": "andi", "name": "岸堤镇处置部门",
    "departments": [{"code": "D-HW-AD", "kind": "sanitation", "zh": "岸堤镇环卫所",
                     "node": TOWNSHIP, "members": ["P04"]}],
}


def at(day, time):
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CST)


def set_up(ws):
    ws.hierarchy.import_text(json.dumps(HIERARCHY, ensure_ascii=False), "json", "andi.json")
    ws.directory.set_catalogue(
        gridgov.Catalogue.from_json(json.dumps(CATALOGUE, ensure_ascii=False)))
    ws.directory.import_text(json.dumps(PEOPLE, ensure_ascii=False), "json")
    ws.cases.set_departments(gridgov.DepartmentCatalogue.from_json(DEPARTMENTS))
    return ws


@pytest.fixture
def path(tmp_path):
    return tmp_path / "andi.gridgov"


@pytest.fixture
def ws(path):
    with gridgov.Workspace.open(path) as workspace:
        yield set_up(workspace)


def report(ws, day="2026-03-02", time="09:00", node=GRID_1, category="E0102", actor="P01"):
    return ws.cases.report(category, node, at=at(day, time), actor=actor, note="村口垃圾堆放")


def dispatch_and_accept(case, day="2026-03-02"):
    case.fire("file", at=at(day, "09:10"), actor="P03")
    case.fire(gridgov.Command.DISPATCH, at=at(day, "09:30"), actor="P03")
    case.fire("accept", at=f"{day}T09:40", actor="P04")


def handle_check_close(case, day="2026-03-02"):
    case.fire("feedback", at=at(day, "11:00"), actor="P04",
              evidence=[f"photo://andi/{day}/001.jpg"])
    case.fire("check_pass", at=at(day, "14:30"), actor="P02")
    case.fire("close", at=at(day, "15:00"), actor="P03")


# ---- reports and the Case view ---------------------------------------------------------------
def test_a_report_is_a_case_view(ws):
    case = report(ws)
    assert case.number == "2026-000001"
    assert repr(case) == "<Case 2026-000001 E0102 reported (township_six_step@1)>"
    assert (case.workflow, case.workflow_version) == ("township_six_step", 1)
    assert case.state == "reported"
    assert case.kind == gridgov.StateKind.PENDING
    assert case.category == "E0102"
    assert case.node.code == GRID_1
    assert case.source == "grid_worker"
    assert case.reporter == "P01"
    assert case.counters == {"rework": 0, "extensions": 0, "returns": 0, "escalations": 0}
    assert case.flags == []
    assert case.tier == 0
    assert case.handling_node.code == GRID_1
    assert case.department is None and case.route_node is None
    assert case.rating is None
    assert case.reported_at == at("2026-03-02", "09:00")
    assert case.reported_at.utcoffset() == datetime.timedelta(hours=8)
    assert case.closed_at is None
    assert ws.cases.get(case.id) == case
    assert ws.cases.get("2026-000001") == case
    assert len(ws.cases) == 1
    with pytest.raises(gridgov.NotFoundError, match="2026-999999"):
        ws.cases.get("2026-999999")
    with pytest.raises(gridgov.NotFoundError):
        ws.cases.get(7)


def test_instants_may_be_naive_aware_iso_or_epoch_seconds(ws):
    naive = ws.cases.report("E0102", GRID_1, at=datetime.datetime(2026, 3, 2, 9, 0), actor="P01")
    utc = ws.cases.report("E0102", GRID_1, at=datetime.datetime(2026, 3, 2, 1, 0,
                                                        tzinfo=datetime.timezone.utc),
                    actor="P01")
    text = ws.cases.report("E0102", GRID_1, at="2026-03-02T09:00", actor="P01")
    seconds = ws.cases.report("E0102", GRID_1, at=1772413200, actor="P01")
    assert {c.reported_at for c in (naive, utc, text, seconds)} == {at("2026-03-02", "09:00")}
    with pytest.raises(TypeError, match="at must be"):
        ws.cases.report("E0102", GRID_1, at=datetime.date(2026, 3, 2), actor="P01")


# ---- commands ------------------------------------------------------------------------------------
def test_the_loop_in_a_file_survives_reopening(path, ws):
    case = report(ws)
    dispatch_and_accept(case)
    assert case.state == "handling"
    assert case.department == "D-HW-AD"
    assert case.route_node.code == TOWNSHIP
    handle_check_close(case)
    assert case.state == "closed"
    assert case.kind == gridgov.StateKind.CLOSED
    assert case.closed_at == at("2026-03-02", "15:00")
    events = case.events
    assert [(e.type, e.to_state) for e in events] == [
        ("report", "reported"), ("file", "filed"), ("dispatch", "dispatched"),
        ("accept", "handling"), ("feedback", "checking"), ("check_pass", "evaluating"),
        ("close", "closed")]
    assert events[0].from_state is None
    assert events[4].actor == "P04"
    assert events[4].data["evidence"] == ["photo://andi/2026-03-02/001.jpg"]
    assert events[1].previous_hash == events[0].hash
    assert [e.case_sequence for e in events] == list(range(1, 8))
    head = ws.cases.head()
    number = case.number
    ws.close()

    with gridgov.Workspace.open(path, create=False) as again:
        reopened = again.cases.get(number)
        assert reopened.state == "closed"
        assert reopened.department == "D-HW-AD"
        assert reopened.closed_at == at("2026-03-02", "15:00")
        assert [e.hash for e in reopened.events] == [e.hash for e in events]
        assert again.cases.verify_log(gridgov.LogAnchor(head.sequence, head.hash))
        assert again.cases.verify_cases() == []


def test_refusals_raise_name_what_is_wrong_and_change_nothing(ws):
    case = report(ws)
    before = ws.cases.last_sequence
    with pytest.raises(gridgov.InvalidStateError) as refused:
        case.fire("dispatch", at=at("2026-03-02", "09:10"), actor="P03")
    assert "2026-000001" in str(refused.value)
    assert "reported" in str(refused.value) and "dispatch" in str(refused.value)
    with pytest.raises(gridgov.PermissionDeniedError, match="P01"):
        case.fire("file", at=at("2026-03-02", "09:10"), actor="P01")
    with pytest.raises(gridgov.InvalidArgumentError, match="reason"):
        case.fire("void", at=at("2026-03-02", "09:10"), actor="P03")
    with pytest.raises(gridgov.InvalidArgumentError):
        case.fire("file", at=at("2026-03-02", "08:00"), actor="P03")
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown command 'reopen'"):
        case.fire("reopen", at=at("2026-03-02", "09:10"), actor="P03")
    with pytest.raises(gridgov.PermissionDeniedError, match="P01"):
        ws.cases.report("E0102", XIHE_GRID, at=at("2026-03-02", "09:00"), actor="P01")
    with pytest.raises(gridgov.NotFoundError, match="X9999"):
        ws.cases.report("X9999", GRID_1, at=at("2026-03-02", "09:00"), actor="P01")
    assert isinstance(refused.value, gridgov.Error)
    assert ws.cases.last_sequence == before
    assert case.state == "reported"
    assert len(ws.cases) == 1


def test_check_and_available_change_nothing(ws):
    case = report(ws)
    refused = case.check("file", at=at("2026-03-02", "09:10"), actor="P01")
    assert not refused
    assert refused.code == "permission_denied"
    assert "P01" in refused.message
    accepted = case.check("file", at=at("2026-03-02", "09:10"), actor="P03")
    assert accepted and accepted.code is None
    assert "service_centre_staff" in accepted.basis
    assert case.available("P03", at=at("2026-03-02", "09:10")) == \
        [gridgov.Command.FILE, gridgov.Command.VOID]
    assert case.state == "reported"


def test_extensions_ratings_and_payloads(ws):
    case = report(ws)
    dispatch_and_accept(case)
    case.fire("request_extension", at=at("2026-03-02", "10:00"), actor="P04",
              reason="垃圾量大,需调派压缩车", amount={"value": 4, "unit": "working_hours"})
    assert case.state == "extension_requested"
    case.fire("approve_extension", at=at("2026-03-02", "10:10"), actor="P03",
              amount=gridgov.TimeLimit(4, gridgov.TimeUnit.WORKING_HOURS))
    assert case.counters["extensions"] == 1
    # 8 working hours from 09:30: 2.5 + 3.5 on Monday, 2 more from 08:30 on Tuesday.
    assert case.deadline == at("2026-03-03", "10:30")
    handle_check_close(case, "2026-03-02")
    with pytest.raises(TypeError, match="amount"):
        case.fire("request_extension", at=at("2026-03-03", "09:00"), actor="P04", amount=4)
    with pytest.raises(TypeError, match="rating"):
        case.fire("rate", at=at("2026-03-03", "09:00"), actor="P01", rating=3.5)


# ---- clocks and ticks ------------------------------------------------------------------------------
def test_deadline_and_lights_follow_working_hours(ws):
    case = report(ws)
    dispatch_and_accept(case)
    # 暴露垃圾: 4 working hours to handle from 09:30, 2.5 before the lunch break, 1.5 after.
    assert case.deadline == at("2026-03-02", "15:30")
    assert case.light(at("2026-03-02", "10:30")) == gridgov.Light.GREEN
    assert case.light("2026-03-02T15:00") == gridgov.Light.YELLOW
    status = case.clock_status(at("2026-03-02", "16:00"))
    assert status.light == gridgov.Light.RED and status.overdue
    assert status.elapsed == datetime.timedelta(hours=4, minutes=30)
    handle = [c for c in case.clocks if c.stage == "handle"][0]
    assert handle.run == "counting"
    assert handle.limit == gridgov.TimeLimit(4, gridgov.TimeUnit.WORKING_HOURS)

    tick = ws.cases.tick(at("2026-03-02", "16:00"))
    assert len(tick.breaches) == 1 and tick.escalations == 1
    assert any(c.to_light == gridgov.Light.RED for c in tick.lights)
    assert case.breached and case.breaches == 1
    assert case.tier == 1
    assert case.handling_node.name == "东岭村"
    assert case.events[-1].type == "breach"
    again = ws.cases.tick(at("2026-03-02", "16:00"))
    assert (again.lights, again.breaches, again.escalations) == ([], [], 0)


def test_a_local_rest_day_moves_the_deadline(ws):
    case = report(ws)
    dispatch_and_accept(case)
    ws.cases.add_calendar_overrides(json.dumps(
        {"days": [{"name": "镇庙会", "date": "2026-03-02", "isOffDay": True}]},
        ensure_ascii=False), "andi-overrides.json")
    assert case.deadline == at("2026-03-03", "14:30")
    ws.cases.clear_calendar_overrides()
    assert case.deadline == at("2026-03-02", "15:30")
    assert not ws.cases.calendar.is_working_day("2026-03-01")


# ---- queries -----------------------------------------------------------------------------------------
@pytest.fixture
def two_cases(ws):
    closed = report(ws)
    dispatch_and_accept(closed)
    handle_check_close(closed)
    filed = report(ws, time="09:05", node=GRID_2, category="E0106", actor="P02")
    filed.fire("file", at=at("2026-03-02", "09:15"), actor="P03")
    return closed, filed


def test_queries_return_lists_ids_counts_and_groups(ws, two_cases):
    closed, filed = two_cases
    everything = ws.cases.select()
    assert len(everything) == 2 and list(everything) == [closed, filed]
    assert everything[-1] == filed
    assert repr(everything) == "<CaseList 2 cases>"
    assert everything.ids.dtype == np.uint32
    assert list(ws.cases.select(kind="open")) == [filed]
    assert list(ws.cases.select(kind=gridgov.StateKind.CLOSED)) == [closed]
    assert list(ws.cases.ids(category_prefix="E0102")) == [closed.id]
    assert ws.cases.ids(states=["filed", "closed"]).tolist() == [closed.id, filed.id]
    assert ws.cases.count(states="filed") == 1
    assert ws.cases.count(subtree="371327101002") == 0
    assert ws.cases.count(subtree=DONGLING, department="D-HW-AD") == 1
    assert ws.cases.count(reported_from=at("2026-03-02", "09:01")) == 1
    assert ws.cases.count_by("state") == {"closed": 1, "filed": 1}
    assert ws.cases.count_by("node", level="village") == {DONGLING: 2}
    assert ws.cases.count_by("kind", category_prefix="E01") == {"closed": 1, "open": 1}
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown case filter 'colour'"):
        ws.cases.count(colour="red")
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown case group"):
        ws.cases.count_by("colour")


def test_case_lists_as_columns_and_data_frames(ws, two_cases):
    closed, filed = two_cases
    columns = ws.cases.select().to_dict()
    assert columns["number"] == ["2026-000001", "2026-000002"]
    assert columns["node_code"] == [GRID_1, GRID_2]
    assert columns["state"] == ["closed", "filed"]
    assert columns["kind"] == ["closed", "open"]
    assert columns["department"] == ["D-HW-AD", ""]
    assert columns["breached"].dtype == np.bool_
    assert columns["closed_at"].dtype == np.dtype("datetime64[s]")
    assert np.isnat(columns["closed_at"][1])
    assert columns["reported_at"][0] == np.datetime64("2026-03-02T01:00:00")

    pd = pytest.importorskip("pandas")
    frame = ws.cases.select(kind="open").to_pandas()
    assert list(frame.index) == ["2026-000002"]
    assert frame.loc["2026-000002", "category"] == "E0106"
    assert frame.loc["2026-000002", "reported_at"] == pd.Timestamp(at("2026-03-02", "09:05"))
    assert str(frame["reported_at"].dt.tz) == "CST"
    everything = ws.cases.select().to_pandas()
    assert everything.groupby("state").size().to_dict() == {"closed": 1, "filed": 1}
    # Names are categoricals over the names used; a case without a department is NaN.
    assert list(everything["kind"].cat.categories) == ["closed", "open"]
    assert list(everything["department"].cat.categories) == ["D-HW-AD"]
    assert everything.loc["2026-000001", "department"] == "D-HW-AD"
    assert pd.isna(everything.loc["2026-000002", "department"])
    assert everything["source"].dtype == "category"
    assert list(everything["source"]) == columns["source"]
    assert everything.index.dtype == object
    assert list(everything["node_code"]) == [GRID_1, GRID_2]
    # A node's code is one str for the workspace, shared by the columns read after it.
    assert everything["node_code"].iloc[0] is columns["node_code"][0]
    assert ws.cases.select(kind="open").to_dict(columns=["node"])["node_code"][0] is (
        columns["node_code"][1])
    assert str(everything["closed_at"].dtype) == "datetime64[ns, CST]"
    assert everything.loc["2026-000001", "closed_at"] == pd.Timestamp(
        columns["closed_at"][0]).tz_localize("UTC")


def test_open311_services_and_the_requests_of_matching_cases(ws, two_cases):
    closed, filed = two_cases
    services = json.loads(ws.cases.open311_services())
    assert {"E0102", "E0106"} <= {s["service_code"] for s in services}
    everything = json.loads(ws.cases.open311_requests())
    assert [r["service_request_id"] for r in everything] == ["2026-000001", "2026-000002"]
    assert [r["status"] for r in everything] == ["closed", "open"]
    [one] = json.loads(ws.cases.open311_requests(jurisdiction_id="371327", kind="open"))
    assert one["service_request_id"] == filed.number
    assert one["jurisdiction_id"] == "371327"
    with pytest.raises(gridgov.InvalidArgumentError, match="colour"):
        ws.cases.open311_requests(colour="red")


def test_a_periods_cases_to_columns_read_only_the_fields_asked_for(ws, two_cases):
    closed, filed = two_cases
    march_second = ws.cases.select(
        reported_from=at("2026-03-02", "09:03"), reported_until=at("2026-03-03", "00:00")
    )
    assert list(march_second.ids) == [filed.id]
    columns = march_second.to_dict(columns=["state", "node", "reported_at"])
    assert set(columns) == {"state", "node", "node_code", "reported_at"}
    assert columns["state"] == ["filed"]
    assert columns["node_code"] == [GRID_2]
    assert ws.cases.select().to_dict(columns=["id"])["id"].tolist() == [closed.id, filed.id]

    pd = pytest.importorskip("pandas")
    by_number = ws.cases.select().to_pandas(columns=["number", "kind", "closed_at"])
    assert list(by_number.columns) == ["kind", "closed_at"]
    assert list(by_number.index) == ["2026-000001", "2026-000002"]
    assert pd.isna(by_number.loc["2026-000002", "closed_at"])
    assert str(by_number["closed_at"].dt.tz) == "CST"
    assert by_number["kind"].dtype == "category"
    by_id = ws.cases.select().to_pandas(columns=["id", "category"])
    assert by_id.index.name == "id"
    assert by_id.loc[filed.id, "category"] == "E0106"
    plain = ws.cases.select().to_pandas(columns=["tier"])
    assert list(plain.columns) == ["tier"]

    with pytest.raises(gridgov.InvalidArgumentError, match="unknown case field 'colour'"):
        ws.cases.select().to_pandas(columns=["colour"])
    with pytest.raises(gridgov.InvalidArgumentError, match="at least one field"):
        ws.cases.select().to_dict(columns=[])
    with pytest.raises(TypeError, match="list of field names"):
        ws.cases.select().to_dict(columns="state")


# ---- batches --------------------------------------------------------------------------------------
def test_a_batch_commits_together_or_not_at_all(path, ws):
    with pytest.raises(RuntimeError, match="stop"):
        with ws.cases.batch():
            case = report(ws)
            case.fire("file", at=at("2026-03-02", "09:10"), actor="P03")
            assert ws.cases.in_batch
            raise RuntimeError("stop")
    assert not ws.cases.in_batch
    assert len(ws.cases) == 0

    with ws.cases.batch():
        kept = report(ws)
        with pytest.raises(gridgov.InvalidStateError):
            kept.fire("dispatch", at=at("2026-03-02", "09:05"), actor="P03")
        kept.fire("file", at=at("2026-03-02", "09:10"), actor="P03")
    ws.close()
    with gridgov.Workspace.open(path, create=False) as again:
        assert len(again.cases) == 1
        assert again.cases.get(0).state == "filed"


# ---- observers -------------------------------------------------------------------------------------
def test_observers_see_every_committed_event_and_may_read_the_workspace(ws):
    seen = []

    def watch(event):
        seen.append((event.sequence, event.type, event.from_state, event.to_state, event.actor,
                     ws.cases.get(event.case_id).state))

    observer = ws.cases.on_transition(watch)
    assert observer.active and repr(observer) == f"<Observer {observer.token}>"
    case = report(ws)
    dispatch_and_accept(case)
    assert seen == [
        (1, "report", None, "reported", "P01", "reported"),
        (2, "file", "reported", "filed", "P03", "filed"),
        (3, "dispatch", "filed", "dispatched", "P03", "dispatched"),
        (4, "accept", "dispatched", "handling", "P04", "handling"),
    ]
    with pytest.raises(gridgov.InvalidStateError):
        case.fire("close", at=at("2026-03-02", "10:00"), actor="P03")
    assert len(seen) == 4

    with ws.cases.batch():
        report(ws, time="10:00")
        assert len(seen) == 4
    assert seen[-1][:2] == (5, "report")

    ws.cases.tick(at("2026-03-02", "16:00"))
    assert seen[-1][1] == "breach"

    assert observer.remove()
    assert not observer.active
    assert not observer.remove()
    report(ws, time="11:00")
    assert seen[-1][1] == "breach"

    late = ws.cases.on_transition(lambda event: seen.append(event.sequence))
    ws.close()
    assert late.remove()  # after close, removing still works and raises nothing
    assert not late.active


def test_an_observer_that_raises_changes_nothing_and_is_recorded(ws):
    calls = []

    def broken(event):
        raise ValueError(f"cannot forward event {event.sequence}")

    first = ws.cases.on_transition(broken)
    ws.cases.on_transition(lambda event: calls.append(event.sequence))
    case = report(ws)
    assert case.state == "reported"
    assert calls == [1]
    case.fire("file", at=at("2026-03-02", "09:10"), actor="P03")
    assert calls == [1, 2]
    failures = ws.cases.take_observer_failures()
    assert [(f.token, f.sequence) for f in failures] == [(first.token, 1), (first.token, 2)]
    assert isinstance(failures[0].exception, ValueError)
    assert "cannot forward event 1" in failures[0].message
    assert ws.cases.take_observer_failures() == []
    assert ws.cases.verify_log()
    with pytest.raises(TypeError, match="callable"):
        ws.cases.on_transition("not a function")


# ---- the log -------------------------------------------------------------------------------------
def test_verify_log_finds_a_file_changed_behind_gridgovs_back(path, ws):
    case = report(ws)
    dispatch_and_accept(case)
    verified = ws.cases.verify_log()
    assert verified.ok and verified.events_checked == 4 and verified.problem == "none"
    assert verified.sequence is None
    anchor = ws.cases.head()
    assert anchor.sequence == 4 and len(anchor.hash) == 64

    # Names are stored once in case_names and referred to by id (docs/cases.md).
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO case_names (id, name) SELECT max(id) + 1, 'P99' FROM case_names")
        db.execute("UPDATE case_events SET actor = (SELECT id FROM case_names WHERE name = 'P99') "
                   "WHERE seq = 3")
    tampered = ws.cases.verify_log()
    assert not tampered
    assert tampered.problem == "content_changed"
    assert tampered.sequence == 3
    assert tampered.case_number == case.number
    assert "3" in tampered.message

    with sqlite3.connect(path) as db:
        db.execute("UPDATE case_events SET actor = (SELECT id FROM case_names WHERE name = 'P03') "
                   "WHERE seq = 3")
    assert ws.cases.verify_log(anchor)
    assert ws.cases.verify_log(anchor).events_after_anchor == 0
    earlier = case.events[1]
    grew = ws.cases.verify_log(gridgov.LogAnchor(earlier.sequence, earlier.hash))
    assert grew.ok and grew.events_after_anchor == 2

    with sqlite3.connect(path) as db:
        db.execute("UPDATE case_events SET transition = transition + 65536 WHERE seq = 3")
    forged = ws.cases.verify_log()
    assert not forged and forged.problem == "content_changed" and forged.sequence == 3

    assert "column 'transition'" in forged.message
    with sqlite3.connect(path) as db:
        db.execute("UPDATE case_events SET transition = transition - 65536 WHERE seq = 3")
    assert ws.cases.verify_log(anchor)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM case_events WHERE seq = 4")
    cut = ws.cases.verify_log(anchor)
    assert not cut.ok
    assert cut.problem in ("head_mismatch", "missing")
    with pytest.raises(gridgov.InvalidArgumentError, match="64"):
        gridgov.LogAnchor(4, "abc")
    with pytest.raises(gridgov.InvalidArgumentError, match="'z' is not a hexadecimal digit"):
        gridgov.LogAnchor(4, "z" * 64)
    assert gridgov.LogAnchor(anchor.sequence, anchor.hash.upper()).hash == anchor.hash


# ---- past cases ----------------------------------------------------------------------------------


def test_a_signed_off_checkpoint_lets_routine_checks_read_only_what_follows(path, ws):
    case = report(ws)
    dispatch_and_accept(case)
    assert ws.cases.log_checkpoints() == []
    whole = ws.cases.verify_log(since_checkpoint=True)
    assert whole.ok and whole.checked_from == 0 and whole.events_checked == 4
    signed = ws.cases.sign_off_log("审计员", at("2026-03-02", "18:00"))
    assert signed.ok and signed.checkpoint is not None
    assert signed.checkpoint.sequence == 4 and signed.checkpoint.full
    assert signed.checkpoint.hash == ws.cases.head().hash
    assert signed.checkpoint.signed_at.startswith("2026-03-02T18:00")
    assert "审计员" in repr(signed.checkpoint)
    case.fire("feedback", at=at("2026-03-02", "19:00"), actor="P04", evidence=["p.jpg"])
    routine = ws.cases.verify_log(since_checkpoint=True)
    assert routine.ok and routine.checked_from == 4
    assert 1 <= routine.events_checked <= 2
    [checkpoint] = gridgov.Workspace.open(path).cases.log_checkpoints()
    assert checkpoint.signed_by == "审计员" and checkpoint.events_checked == 4

    with sqlite3.connect(path) as db:
        db.execute("UPDATE case_events SET hash = (SELECT hash FROM case_events WHERE seq = 3) "
                   "WHERE seq = 4")
    broken = ws.cases.verify_log(since_checkpoint=True)
    assert not broken and broken.problem == "checkpoint_mismatch" and broken.sequence == 4
    refused = ws.cases.sign_off_log("审计员", at("2026-03-03", "09:00"))
    assert not refused and refused.checkpoint is None
    assert len(ws.cases.log_checkpoints()) == 1
    with pytest.raises(gridgov.Error, match="by is empty"):
        ws.cases.sign_off_log("", at("2026-03-03", "09:00"))
    with pytest.raises(gridgov.Error, match="do not go together"):
        ws.cases.verify_log(ws.cases.head(), since_checkpoint=True)


def test_signed_heads_and_proofs_an_auditor_checks_with_the_public_key_alone(path, ws):
    for minute in range(10):
        report(ws, time=f"09:{minute:02d}")
    key = gridgov.SigningKey.generate()
    assert gridgov.SigningKey.from_pem(key.private_pem()).key_id == key.key_id
    head = ws.cases.sign_tree_head(key, "岸堤镇 cases", at("2026-03-02", "18:00"))
    assert head.size == 10 and head.log == "岸堤镇 cases"
    assert head.root == ws.cases.tree_root(10) and len(head.root) == 64
    assert head.at == datetime.datetime(2026, 3, 2, 18, 0, tzinfo=CST)
    assert str(head).startswith("gridgov tree head v1\nlog: 岸堤镇 cases\nsize: 10\n")
    assert gridgov.TreeHead.from_text(str(head)) == head
    assert ws.cases.tree_heads() == [head]
    assert gridgov.verify_tree_head(head, key.public_pem())

    proof = ws.cases.prove_case("2026-000004", head)
    result = gridgov.verify_case_proof(proof, key.public_pem(), published=head)
    assert result and result.checked == 1 and result.problem == "none"
    forged = json.loads(proof)
    forged["events"][0]["actor"] = "P02"
    result = gridgov.verify_case_proof(json.dumps(forged), key.public_pem())
    assert not result and result.problem == "event" and "event 4" in result.message
    report(ws, time="10:00")
    later = ws.cases.sign_tree_head(key, "岸堤镇 cases", "2026-03-03T18:00")
    assert gridgov.verify_consistency_proof(ws.cases.prove_consistency(head, later),
                                            key.public_pem(), older=head, newer=later)
    audit = ws.cases.audit_log(key.public_pem(), [head, later])
    assert audit and audit.events == 11 and audit.heads_checked == 4 and audit.findings == []
    ws.cases.sign_heads_at_commit(key, "岸堤镇 cases")
    report(ws, time="10:05")
    ws.cases.stop_signing_heads()
    assert [h.size for h in ws.cases.tree_heads()] == [10, 11, 12]
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM case_events WHERE seq = 12")
        db.execute("DELETE FROM cases WHERE id = 11")

    # The log rewritten behind gridgov's back: the tail cut, the rows mended.
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM case_events WHERE seq = 11")
        db.execute("DELETE FROM cases WHERE id = 10")
        db.execute("DELETE FROM log_tree_heads")
    audit = gridgov.Workspace.open(path).cases.audit_log(key.public_pem(), [later])
    assert not audit
    assert [(f.rule, f.where) for f in audit.findings] == [
        ("audit.head_beyond_log", "岸堤镇 cases@11")]
    with pytest.raises(gridgov.InvalidArgumentError, match="no PEM public key"):
        gridgov.verify_case_proof(proof, key.private_pem())
    with pytest.raises(gridgov.ParseError, match="line 1"):
        gridgov.TreeHead.from_text("size: 3")


def history(number, day, node=GRID_1, commands=True):
    steps = [
        {"command": "file", "at": f"{day}T09:10", "actor": "P03"},
        {"command": "dispatch", "at": f"{day}T09:30", "actor": "P03"},
        {"command": "accept", "at": f"{day}T09:40", "actor": "P04"},
    ]
    return {"report": {"category": "E0102", "node": node, "at": f"{day}T09:00", "actor": "P01",
                       "number": number},
            "commands": steps if commands else []}


def test_past_cases_import_in_batches_with_progress(ws):
    progress = []
    report_ = ws.cases.import_history(
        [history("2025-000101", "2025-06-03"), history("2025-000102", "2025-06-04"),
         history("2025-000103", "2025-06-05", node=XIHE_GRID)],
        batch_size=2, progress=lambda done, total: progress.append((done, total)))
    assert report_.cases_imported == 2
    assert report_.events_written >= 8
    assert [f.rule for f in report_.findings] == ["cases.import_refused"]
    assert "P01" in report_.findings[0].message
    assert progress[-1][1] == 3
    assert ws.cases.get("2025-000102").state == "handling"
    assert ws.cases.verify_log()

    trusted = ws.cases.import_history([history("2025-000104", "2025-06-05", node=XIHE_GRID)],
                                     trusted=True)
    assert trusted.cases_imported == 1 and trusted.findings == []

    stopped = ws.cases.import_history(
        [history(f"2025-0002{i:02d}", "2025-06-06", commands=False) for i in range(4)],
        batch_size=1, progress=lambda done, total: done < 2)
    assert stopped.stopped and stopped.cases_imported == 2

    def fails(done, total):
        raise RuntimeError("progress display closed")

    with pytest.raises(RuntimeError, match="progress display closed"):
        ws.cases.import_history([history("2025-000301", "2025-06-07", commands=False)],
                               progress=fails)
    assert ws.cases.get("2025-000301").state == "reported"  # the batch before the stop stays
    with pytest.raises(gridgov.InvalidArgumentError, match=r"histories\[0\].report: unknown"):
        ws.cases.import_history([{"report": {"node": GRID_1, "colour": "red"}}])


# ---- configuration -------------------------------------------------------------------------------
def test_the_workspace_configuration(ws):
    assert ws.cases.default_workflow() == "township_six_step"
    assert ws.cases.default_workflow("12345") == "hotline_callback"
    ws.cases.set_default_workflow(gridgov.CaseSource.APP, "urban_seven_step")
    assert ws.cases.default_workflow("app") == "urban_seven_step"
    with pytest.raises(gridgov.NotFoundError):
        ws.cases.set_default_workflow("app", "county_twelve_step")
    assert ws.cases.workflows.keys() == ["hazard_rectification", "hotline_callback",
                                         "township_six_step", "urban_seven_step"]
    assert len(ws.cases.categories) == 19
    assert ws.cases.departments["D-HW-AD"].name_zh == "岸堤镇环卫所"
    assert ws.cases.routing.territorial_level == "township"
    route = ws.cases.route("E0103", XIHE_GRID)
    assert route.basis == gridgov.RouteBasis.CATEGORY and route.department == "D-HW-AD"

    local = gridgov.WorkflowSpec.preset("township_six_step").to_dict()
    local["version"] = 2
    # The township's own catalogue lacks the roles the profile names.
    with pytest.raises(gridgov.InvalidArgumentError, match="workflow.unknown_role"):
        ws.cases.add_workflow(local, "andi-six-step-v2.json")
    assert ws.cases.workflows.versions("township_six_step") == [1]


# ---- the inbox query and matter plans --------------------------------------------------------

def test_candidates_list_who_may_fire_as_check_decides(ws):
    case = report(ws)
    assert case.candidates("file", at=at("2026-03-02", "09:10")) == ["P03"]
    assert case.candidates(gridgov.Command.SELF_HANDLE,
                           at=at("2026-03-02", "09:10")) == ["P01", "P02"]
    assert case.candidates("accept", at=at("2026-03-02", "09:10")) == []
    for person in ["P01", "P02", "P03", "P04"]:
        check = case.check("file", at=at("2026-03-02", "09:10"), actor=person)
        assert check.accepted == (person == "P03")
    # Before the case's last event nobody may act.
    assert case.candidates("file", at=at("2026-03-02", "08:00")) == []
    with pytest.raises(ValueError):
        case.candidates("report", at=at("2026-03-02", "09:10"))


PLANS = (
    "matter,step,command,at,actor,node,category,source,workflow,reporter,department,amount,"
    "rating,reason,evidence,note\n"
    f"2026-000201,0,report,2026-03-02T09:00,P01,{GRID_1},E0102,,,,,,,,,\n"
    "2026-000201,1,file,2026-03-02T09:10,,,,,,,,,,,,\n"
    "2026-000201,2,dispatch,2026-03-02T09:20,,,,,,,D-HW-AD,,,,,\n"
    "2026-000201,3,accept,2026-03-02T09:30,,,,,,,,,,,,\n"
    "2026-000201,4,feedback,2026-03-02T10:30,P04,,,,,,,,,,photo-1,\n"
    "2026-000201,5,check_fail,2026-03-02T11:00,,,,,,,,,,未清理干净,,\n"
    "2026-000201,6,feedback,2026-03-02T11:20,P04,,,,,,,,,,photo-2,\n"
    "2026-000201,7,check_pass,2026-03-02T11:40,,,,,,,,,,,,\n"
    "2026-000201,8,close,2026-03-02T14:30,,,,,,,,,,,,\n"
    f"2026-000202,0,report,2026-03-02T09:05,P01,{GRID_1},E0102,,,,,,,,,\n"
    "2026-000202,1,close,2026-03-02T09:15,,,,,,,,,,,,\n"
    "2026-000202,2,file,2026-03-02T09:25,,,,,,,,,,,,\n"
    f"2026-000203,0,report,2026-03-02T09:30,P01,{GRID_1},E0102,,,,,,,,,\n"
    "2026-000203,1,file,2026-03-02T09:40,,,,,,,,,,,,\n"
    "2026-000203,2,dispatch,2026-03-02T09:50,,,,,,,D-HW-AD,,,,,\n"
    "2026-000203,3,accept,2026-03-02T10:00,,,,,,,,,,,,\n"
)


def test_matter_plans_run_with_ticks_and_refusals_as_findings(path, ws):
    plans = ws.cases.read_matter_plans(text=PLANS, source_name="plans.csv")
    assert [p["number"] for p in plans] == ["2026-000201", "2026-000202", "2026-000203"]
    assert plans[0]["steps"][:3] == ["file", "dispatch", "accept"]
    seen = []
    r = ws.cases.run_plans(text=PLANS, batch_size=5, tick_until=at("2026-03-10", "00:00"),
                     progress=lambda done, total: seen.append((done, total)))
    assert (r.matters, r.cases_reported, r.steps_accepted) == (3, 3, 11)
    assert (r.steps_refused, r.steps_skipped) == (1, 1)
    assert seen == [(5, 16), (10, 16), (15, 16), (16, 16)]
    (f,) = r.findings
    assert (f.rule, f.where) == ("plan.refused", "2026-000202 step 1")
    assert "nobody may fire close" in f.message
    closed = ws.cases.get("2026-000201")
    assert closed.state == "closed"
    assert closed.counters["rework"] == 1
    # 2026-000203 was left in handling: the ticks up to 03-10 breached its 4-hour clock.
    left = ws.cases.get("2026-000203")
    assert left.state == "handling" and left.breached
    assert r.breaches >= 1
    assert ws.cases.verify_log().ok


def test_matter_plans_stop_when_progress_says_so_or_raises(ws):
    stopped = ws.cases.run_plans(text=PLANS, batch_size=5, progress=lambda done, total: done < 10)
    assert stopped.stopped and stopped.batches_committed == 2
    assert len(ws.cases) == 3  # the two committed batches stay

    def fails(done, total):
        raise RuntimeError("progress display closed")

    more = PLANS.replace("2026-0002", "2026-0003")
    with pytest.raises(RuntimeError, match="progress display closed"):
        ws.cases.run_plans(text=more, batch_size=5, progress=fails)
    # The first batch (five steps, two of them reports) was committed before the callback
    # raised; nothing after it was.
    assert len(ws.cases) == 5
    assert ws.cases.verify_log().ok


def test_matter_plan_errors_name_file_row_and_field(ws, tmp_path):
    bad = PLANS + "2026-000204,0,report,2026-03-02T09:00,P01,999,E0102,,,,,,,,,\n"
    with pytest.raises(LookupError, match=r"bad\.csv row 18 field 'node'"):
        ws.cases.run_plans(text=bad, source_name="bad.csv")
    assert len(ws.cases) == 0
    file = tmp_path / "plans.csv"
    file.write_text(PLANS.replace("2026-03-02T09:10", "2026-03-02T08:10"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"plans\.csv row 3 field 'at'"):
        ws.cases.run_plans(file)
    with pytest.raises(LookupError):
        ws.cases.run_plans(tmp_path / "none.csv")


def test_a_renamed_workflow_with_its_measures_scores_as_the_builtin_one(ws):
    spec = ws.cases.workflows.get("township_six_step").to_dict()
    known = {"village_grid_leader", "grid_information_officer", "service_centre_staff",
             "assigned_department", "reporter", "system"}

    def re(name):
        return f"x_{name}" if name else name

    spec["key"] = "andi_loop"
    spec["counters"] = [re(c) for c in spec["counters"]]
    spec["flags"] = [re(f) for f in spec["flags"]]
    for stage in spec["stages"]:
        stage["key"] = re(stage["key"])
    for state in spec["states"]:
        state["key"], state["timer"] = re(state["key"]), re(state["timer"])
        state["breach"]["notify"] = [r for r in state["breach"]["notify"] if r in known]
    for t in spec["transitions"]:
        t["from"], t["to"] = [re(s) for s in t["from"]], re(t["to"])
        for field in ("increments", "sets", "clears"):
            t[field] = [re(n) for n in t[field]]
        for guard in t["when"]:
            guard["counter"] = re(guard["counter"])
        t["who"] = [r for r in t["who"] if r in known] or ["service_centre_staff"]
    spec["measures"] = {member: re(name) for member, name in spec["measures"].items()}

    categories = ws.cases.categories.to_dict()
    for category in categories["categories"]:
        category["limits"] += [dict(limit, stage=re(limit["stage"]))
                               for limit in category["limits"]]
    ws.cases.set_categories(gridgov.CategoryCatalogue.from_json(categories))
    ws.cases.add_workflow(spec, "andi_loop.json")
    loop = ws.cases.workflows.get("andi_loop")
    assert loop.measures.handling == "x_handle"
    assert loop.measures.rework == "x_rework"
    assert loop.effective_measures() == loop.measures
    assert ws.cases.workflows.get("township_six_step").measures.handling == "handle"

    def run(grid, workflow):
        case = ws.cases.report("E0102", grid, at=at("2026-03-02", "09:00"), actor="P03",
                         workflow=workflow)
        dispatch_and_accept(case)
        case.fire("feedback", at=at("2026-03-02", "10:00"), actor="P04",
                  evidence=["photo://andi/001.jpg"])
        case.fire("check_fail", at=at("2026-03-02", "10:30"), actor="P02", reason="垃圾未清运")
        case.fire("feedback", at=at("2026-03-03", "11:00"), actor="P04",
                  evidence=["photo://andi/002.jpg"])
        case.fire("check_pass", at=at("2026-03-03", "14:30"), actor="P02")
        case.fire("close", at=at("2026-03-03", "15:00"), actor="P03")
        return case

    assert run(GRID_1, None).state == "closed"
    assert run(GRID_2, "andi_loop").state == "x_closed"
    expected = ws.assessment.case_indicators(GRID_1, "2026-03")
    actual = ws.assessment.case_indicators(GRID_2, "2026-03")
    assert expected["rework"].value == 1
    assert expected["to_check"].value == 1
    assert expected["overtime_cases"].value == 1
    assert sorted(actual) == sorted(expected)
    for key, value in expected.items():
        assert (actual[key].value, actual[key].reason, len(actual[key].sources)) == \
            (value.value, value.reason, len(value.sources)), key

    # Without its measures the same workflow finds nothing by the conventional names.
    del spec["measures"]
    spec["version"] = 2
    ws.cases.add_workflow(spec)
    assert ws.cases.workflows.get("andi_loop", 2).measures is None
    assert ws.cases.workflows.get("andi_loop", 2).effective_measures().handling == ""
