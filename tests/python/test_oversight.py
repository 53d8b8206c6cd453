"""Oversight from Python (督导考核, 一事一诺一评价) on a real workspace file: inspections of
the picks of a recorded draw and their tasks, daily supervision outside any draw, the
inspection indicators; promises made for real cases, their ratings by the citizen and the
team, their progress, the monthly public board and the promise indicators; the seed's
figures (seed 002 第三篇: 362 matters promised and rated, a mean citizen score of 83.2); and
hazards (隐患, seed 002 第四篇) run as cases on the hazard_rectification workflow, with their
entries, statuses, indicators and frame (the set-up of their own is at the end).

The area is 青石镇 with two villages of three grids each. 网格信息员 P01 reports at the
first grid of 东村 and P05 at the first grid of 西村; the township's service centre (P03)
files, dispatches and closes, the sanitation office (P04) handles, 东村's 二级网格长 P02
checks. I01 and I02 are the inspectors of the leading group (督导组)."""

import datetime
import hashlib
import json

import pytest

import gridgov

CST = datetime.timezone(datetime.timedelta(hours=8))
TOWN = "371338101"
EAST = TOWN + "001"  # 东村
WEST = TOWN + "002"  # 西村
GRIDS = [EAST + "001", EAST + "002", EAST + "003", WEST + "001", WEST + "002", WEST + "003"]
G11, G12, G13, G21, G22, G23 = GRIDS
DEPT = "D-HW-QS"
TEAM = "T-1"
MARCH = "2026-03"
SEED = 20260301

HIERARCHY = {
    "format": "gridgov.hierarchy", "version": 1,
    "nodes": [{"code": TOWN, "name": "青石镇", "level": "township"},
              {"code": EAST, "parent": TOWN, "name": "东村", "level": "village"},
              {"code": WEST, "parent": TOWN, "name": "西村", "level": "village"}] + [
        {"code": g, "parent": g[:-3], "name": f"{'东' if g[:-3] == EAST else '西'}村第"
         f"{int(g[-3:])}网格", "level": "grid"} for g in GRIDS],
}

CATALOGUE = {
    "key": "qingshi", "name": "青石镇网格化服务管理", "duties": [],
    "roles": [
        {"code": "village_grid_leader", "zh": "二级网格长", "level": "village"},
        {"code": "grid_information_officer", "zh": "网格信息员", "level": "grid"},
        {"code": "service_centre_staff", "zh": "社会管理服务中心工作人员", "level": "township"},
    ],
}

PEOPLE = {
    "people": [{"id": p, "name": f"{p}某"} for p in ("P01", "P02", "P03", "P04", "P05",
                                                    "I01", "I02")],
    "assignments": [
        {"person": "P01", "role": "grid_information_officer", "node": G11, "post": "A",
         "from": "2025-01-01"},
        {"person": "P05", "role": "grid_information_officer", "node": G21, "post": "A",
         "from": "2025-01-01"},
        {"person": "P02", "role": "village_grid_leader", "node": EAST, "post": "A",
         "from": "2025-01-01"},
        {"person": "P03", "role": "service_centre_staff", "node": TOWN, "post": "A",
         "from": "2025-01-01"},
    ],
}

DEPARTMENTS = {
    "key": "qingshi", "name": "青石镇处置部门",
    "departments": [{"code": DEPT, "kind": "sanitation", "zh": "青石镇环卫所", "node": TOWN,
                     "members": ["P04"]}],
}


def at(day, time="09:00"):
    return datetime.datetime.fromisoformat(f"2026-{day}T{time}").replace(tzinfo=CST)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_up(ws):
    ws.hierarchy.import_text(json.dumps(HIERARCHY, ensure_ascii=False), "json", "qingshi.json")
    ws.directory.set_catalogue(
        gridgov.Catalogue.from_json(json.dumps(CATALOGUE, ensure_ascii=False)))
    ws.directory.import_text(json.dumps(PEOPLE, ensure_ascii=False), "json")
    ws.cases.set_departments(gridgov.DepartmentCatalogue.from_json(DEPARTMENTS))
    ws.records.add([{"key": TEAM, "kind": "organisation", "node": G11,
                     "fields": {"name": "东村第一网格服务团队", "org_kind": "服务团队"}}],
                   "2025-01-01")
    return ws


@pytest.fixture
def path(tmp_path):
    return tmp_path / "qingshi.gridgov"


@pytest.fixture
def ws(path):
    with gridgov.Workspace.open(path) as workspace:
        yield set_up(workspace)


def report(ws, day, node=G11, actor="P01"):
    return ws.cases.report("E0102", node, at=at(day), actor=actor, note="村口垃圾堆放")


def close(case, day):
    case.fire("file", at=at(day, "09:10"), actor="P03")
    case.fire("dispatch", at=at(day, "09:30"), actor="P03")
    case.fire("accept", at=at(day, "09:40"), actor="P04")
    case.fire("feedback", at=at(day, "11:00"), actor="P04", evidence=["photo://done.jpg"])
    case.fire("check_pass", at=at(day, "14:30"), actor="P02")
    case.fire("close", at=at(day, "15:00"), actor="P03")


# ---- values without a workspace -----------------------------------------------------------

def test_inspection_objects_dicts_and_json():
    finding = gridgov.InspectionFinding("门前三包: 乱摆乱卖", 2, evidence=["photo://1.jpg"])
    assert (finding.item, finding.deduction, finding.charged_to) == ("门前三包: 乱摆乱卖", 2.0, "")
    assert repr(finding) == "<InspectionFinding 门前三包: 乱摆乱卖 -2>"
    inspection = gridgov.Inspection(
        "IN1", G11, "2026-03-10T10:00", inspectors=["I01"], draw=MARCH,
        findings=[finding, {"item": "环卫: 垃圾未清运", "deduction": 1.5, "charged_to": DEPT}])
    assert inspection.at == at("03-10", "10:00")
    assert inspection.findings[1].charged_to == DEPT
    assert inspection.deduction == 3.5
    assert repr(inspection) == (
        f"<Inspection IN1 of {G11} 2026-03-10T10:00:00+08:00 (draw 2026-03): 2 findings, -3.5>")
    assert gridgov.Inspection(**inspection.to_dict()) == inspection
    clean = gridgov.Inspection("IN2", G12, datetime.datetime(2026, 3, 11, 9, 0), ["I02"])
    assert repr(clean).endswith(": clean>") and clean.draw == "" and clean.findings == []
    assert clean != inspection

    text = gridgov.inspections_to_json([inspection, clean.to_dict()])
    doc = json.loads(text)
    assert doc[0]["at"] == "2026-03-10T10:00:00+08:00"
    assert doc[0]["findings"][1] == {"item": "环卫: 垃圾未清运", "deduction": 1.5,
                                     "charged_to": DEPT, "evidence": [], "note": ""}
    assert doc[1]["draw"] == "" and doc[1]["findings"] == []
    assert gridgov.inspections_from_json(text) == [inspection, clean]
    assert gridgov.inspections_from_json(doc) == [inspection, clean]

    doc[1]["findings"] = [{"item": "x", "deduction": -1}]
    with pytest.raises(gridgov.InvalidArgumentError) as e:
        gridgov.inspections_from_json(json.dumps(doc), "march.json")
    assert "march.json" in str(e.value) and "inspections[1].findings[0]" in str(e.value)
    assert "deduction" in str(e.value)
    with pytest.raises(gridgov.ParseError):
        gridgov.inspections_from_json("[{")
    with pytest.raises(TypeError):
        gridgov.inspections_from_json(42)


def test_promise_and_rating_objects_and_json():
    p = gridgov.Promise("PR1", "2026-000001", "三日内清运垃圾", "2026-03-05",
                        "2026-03-02T10:00", team=TEAM)
    assert p.by == datetime.date(2026, 3, 5) and p.at == at("03-02", "10:00")
    assert p.case == p.case_number == "2026-000001" and p.place == ""
    assert repr(p) == "<Promise PR1 for 2026-000001 by 2026-03-05 (T-1): 三日内清运垃圾>"
    assert gridgov.Promise(**p.to_dict()) == p
    assert gridgov.promises_from_json(gridgov.promises_to_json([p])) == [p]

    r = gridgov.PromiseRating(p, "群众", 90, "2026-03-03T10:00")
    assert (r.promise, r.by, r.score) == ("PR1", gridgov.PromiseRater.CITIZEN, 90.0)
    assert gridgov.PromiseRater.TEAM.text == "team"
    assert gridgov.PromiseRating(**r.to_dict()) == r
    assert "PR1 citizen 90" in repr(r)
    team = {"promise": "PR1", "by": gridgov.PromiseRater.TEAM, "score": 95,
            "at": "2026-03-03T10:00"}
    text = gridgov.promise_ratings_to_json([r, team])
    assert [x["by"] for x in json.loads(text)] == ["citizen", "team"]
    assert gridgov.promise_ratings_from_json(text)[1] == gridgov.PromiseRating(**team)

    too_high = json.loads(text)
    too_high[0]["score"] = 101
    with pytest.raises(gridgov.InvalidArgumentError, match=r"ratings\[0\]"):
        gridgov.promise_ratings_from_json(too_high)
    with pytest.raises(gridgov.InvalidArgumentError, match="rater"):
        gridgov.PromiseRating("PR1", "mayor", 90, "2026-03-03T10:00")
    with pytest.raises(gridgov.InvalidArgumentError, match="finite"):
        gridgov.PromiseRating("PR1", "team", float("nan"), "2026-03-03T10:00")
    with pytest.raises(TypeError):
        gridgov.PromiseRating("PR1", "team", True, "2026-03-03T10:00")
    assert [s.text for s in (gridgov.PromiseState.OPEN, gridgov.PromiseState.OVERDUE,
                             gridgov.PromiseState.KEPT, gridgov.PromiseState.LATE,
                             gridgov.PromiseState.VOIDED)] == [
        "open", "overdue", "kept", "late", "voided"]


# ---- inspections ---------------------------------------------------------------------------

def march_draw(ws):
    record = gridgov.draw(SEED, GRIDS, 3)
    # Two grids of 西村 and the third of 东村.
    assert record.picks == [G22, G23, G13]
    ws.assessment.record_draw(MARCH, record)
    return record.picks


def test_inspections_of_a_draw_and_their_tasks(ws, path):
    picks = march_draw(ws)
    outside = next(g for g in GRIDS if g not in picks)
    assert repr(ws.oversight).startswith("<WorkspaceOversight of ")
    assert ws.oversight.inspections() == []
    tasks = ws.oversight.tasks(MARCH)
    assert [(t.pick, t.subject, t.done) for t in tasks] == [(k, g, False)
                                                            for k, g in enumerate(picks)]
    assert "not done" in repr(tasks[0])

    march = [
        {"id": "IN1", "draw": MARCH, "subject": picks[0], "at": "2026-03-10T10:00",
         "inspectors": ["I01", "I02"],
         "findings": [{"item": "门前三包: 乱摆乱卖", "deduction": 2,
                       "evidence": ["photo://in1/1.jpg", "video://in1/1.mp4"]},
                      {"item": "环卫: 垃圾未清运", "deduction": 1.5, "charged_to": DEPT}]},
        gridgov.Inspection("IN2", ws.hierarchy.view[picks[1]], at("03-11"), ["I01"],
                           draw=MARCH),
    ]
    assert ws.oversight.add_inspections(march) == 2
    kept = ws.oversight.inspections()
    assert [i.id for i in kept] == ["IN1", "IN2"]
    assert kept[0].findings[0].evidence == ["photo://in1/1.jpg", "video://in1/1.mp4"]
    assert kept[1].subject == picks[1] and kept[1].at == at("03-11")

    tasks = ws.oversight.tasks(MARCH)
    assert [(t.subject, t.done, t.inspections, t.findings, t.deduction) for t in tasks] == [
        (picks[0], True, ["IN1"], 2, 3.5), (picks[1], True, ["IN2"], 0, 0.0),
        (picks[2], False, [], 0, 0.0)]
    assert repr(tasks[0]) == f"<InspectionTask 2026-03 #0 {picks[0]}: done (IN1), 2 findings, -3.5>"
    # The pure function over the stored draw gives the same tasks.
    stored = ws.assessment.draws()[0]
    again = gridgov.inspection_tasks(MARCH, stored, kept)
    assert [t.to_dict() for t in again] == [t.to_dict() for t in tasks]
    assert [t.to_dict() for t in gridgov.inspection_tasks(MARCH, stored.record, kept)] == \
        [t.to_dict() for t in tasks]
    assert json.loads(gridgov.inspection_tasks_to_json(tasks))[0] == {
        "draw": MARCH, "pick": 0, "subject": picks[0], "done": True, "inspections": ["IN1"],
        "findings": 2, "deduction": 3.5}
    # Inspections under another label are not the draw's.
    assert not any(t.done for t in gridgov.inspection_tasks("2026-04", stored, kept))
    with pytest.raises(gridgov.NotFoundError, match="2026-04"):
        ws.oversight.tasks("2026-04")

    # A subject outside the draw is refused with everything else in the list.
    before = digest(path)
    good = {"id": "IN3", "draw": MARCH, "subject": picks[2], "at": "2026-03-12T10:00",
            "inspectors": ["I01"]}
    with pytest.raises(gridgov.NotFoundError) as e:
        ws.oversight.add_inspections([good, dict(good, id="IN4", subject=outside)])
    message = e.value.args[0]
    assert "inspections[1]" in message and "'subject'" in message and outside in message
    assert [i.id for i in ws.oversight.inspections()] == ["IN1", "IN2"]
    assert not ws.oversight.tasks(MARCH)[2].done
    assert digest(path) == before

    def refused(error, bad, *words):
        with pytest.raises(error) as e:
            ws.oversight.add_inspections([good, bad])
        for word in words:
            assert word in e.value.args[0]
        assert len(ws.oversight.inspections()) == 2 and digest(path) == before

    refused(gridgov.AlreadyExistsError, dict(good, id="IN1"), "inspections[1]", "'id'")
    refused(gridgov.NotFoundError, dict(good, id="IN4", draw="2026-04"), "'draw'", "2026-04")
    refused(gridgov.NotFoundError, dict(good, id="IN4", inspectors=["X99"]), "'inspectors'")
    refused(gridgov.NotFoundError, dict(good, id="IN4", draw="", subject="nowhere"),
            "'subject'", "nowhere")
    refused(gridgov.NotFoundError,
            dict(good, id="IN4", findings=[{"item": "x", "deduction": 1, "charged_to": "X"}]),
            "inspections[1].findings[0]", "'charged_to'")
    refused(gridgov.InvalidArgumentError,
            dict(good, id="IN4", findings=[{"item": "x", "deduction": -1}]), "'deduction'")
    refused(gridgov.InvalidArgumentError,
            dict(good, id="IN4", findings=[{"item": "x", "deduction": float("inf")}]),
            "inspections[1].findings[0] field 'deduction'")
    refused(gridgov.InvalidArgumentError, dict(good, id="IN4", colour="red"),
            "inspections[1]: unknown key 'colour'")
    refused(gridgov.InvalidArgumentError, {k: v for k, v in good.items() if k != "at"},
            "inspections[1] field 'at': missing")
    with pytest.raises(TypeError, match=r"inspections\[1\] field 'inspectors'"):
        ws.oversight.add_inspections([good, dict(good, id="IN4", inspectors="I01")])
    with pytest.raises(TypeError):
        ws.oversight.add_inspections(good)
    assert len(ws.oversight.inspections()) == 2 and digest(path) == before

    # Daily supervision outside any draw: a village, charged in part to a grid.
    ws.oversight.add_inspections([{"id": "IN3", "subject": EAST, "at": "2026-03-20T15:00",
                                   "inspectors": ["I02"],
                                   "findings": [{"item": "网格员未在岗", "deduction": 1,
                                                 "charged_to": G11}]}])
    assert ws.oversight.inspections()[2].draw == ""
    assert len(ws.oversight.tasks(MARCH)) == 3 and not ws.oversight.tasks(MARCH)[2].done


def test_inspection_values(ws):
    picks = march_draw(ws)
    ws.oversight.add_inspections([
        {"id": "IN1", "draw": MARCH, "subject": picks[0], "at": "2026-03-10T10:00",
         "inspectors": ["I01"],
         "findings": [{"item": "门前三包", "deduction": 2},
                      {"item": "环卫", "deduction": 1.5, "charged_to": DEPT}]},
        {"id": "IN2", "draw": MARCH, "subject": picks[1], "at": "2026-03-11T10:00",
         "inspectors": ["I01"]},
        {"id": "IN3", "subject": EAST, "at": "2026-03-20T15:00", "inspectors": ["I02"],
         "findings": [{"item": "网格员未在岗", "deduction": 1, "charged_to": G11}]},
        {"id": "IN4", "subject": G11, "at": "2026-04-02T15:00", "inspectors": ["I02"]},
    ])
    inspections = ws.oversight.inspections()

    def values(subject, period=MARCH, hierarchy=ws):
        v = gridgov.inspection_values(inspections, subject, hierarchy, period)
        return {k: v[k].value for k in ("inspections", "inspection_clean",
                                        "inspection_findings", "inspection_deduction")}, v

    first, v = values(picks[0])
    assert first == {"inspections": 1, "inspection_clean": 0, "inspection_findings": 1,
                     "inspection_deduction": 2}
    assert v["inspection_findings"].sources == ["IN1#1"]
    assert v["inspections"].sources == ["IN1"]
    assert values(picks[1])[0] == {"inspections": 1, "inspection_clean": 1,
                                   "inspection_findings": 0, "inspection_deduction": 0}
    # The department bears its finding; nobody inspected it.
    dept, v = values(DEPT)
    assert dept == {"inspections": 0, "inspection_clean": 0, "inspection_findings": 1,
                    "inspection_deduction": 1.5}
    assert v["inspection_findings"].sources == ["IN1#2"]
    # A village covers its grids: 西村 the inspections of its two picked grids, 东村 the
    # inspection of the village itself and the finding charged to its first grid.
    assert values(WEST)[0] == {"inspections": 2, "inspection_clean": 1,
                               "inspection_findings": 1, "inspection_deduction": 2}
    east, v = values(EAST)
    assert east == {"inspections": 1, "inspection_clean": 0, "inspection_findings": 1,
                    "inspection_deduction": 1}
    assert v["inspection_findings"].sources == ["IN3#1"]
    assert values(G11)[0] == {"inspections": 0, "inspection_clean": 0,
                              "inspection_findings": 1, "inspection_deduction": 1}
    # The township covers everything; April holds only IN4; a Hierarchy does as well.
    assert values(TOWN)[0]["inspections"] == 3
    assert values(G11, "2026-04")[0]["inspections"] == 1
    assert values(TOWN, "2026-04", ws.hierarchy.view)[0]["inspections"] == 1
    assert values(ws.hierarchy.view[picks[0]], MARCH, ws.hierarchy)[0] == first
    with pytest.raises(gridgov.InvalidArgumentError, match="period"):
        gridgov.inspection_values(inspections, G11, ws, "2026-13")
    with pytest.raises(TypeError, match="hierarchy"):
        gridgov.inspection_values(inspections, G11, "qingshi", MARCH)


def test_findings_frame(ws):
    pd = pytest.importorskip("pandas")
    picks = march_draw(ws)
    ws.oversight.add_inspections([
        {"id": "IN1", "draw": MARCH, "subject": picks[0], "at": "2026-03-10T10:00",
         "inspectors": ["I01", "I02"],
         "findings": [{"item": "门前三包", "deduction": 2, "evidence": ["a.jpg", "b.jpg"]},
                      {"item": "环卫", "deduction": 1.5, "charged_to": DEPT}]},
        {"id": "IN2", "draw": MARCH, "subject": picks[1], "at": "2026-03-11T10:00",
         "inspectors": ["I01"]},
        {"id": "IN3", "subject": EAST, "at": "2026-03-20T15:00", "inspectors": ["I02"],
         "findings": [{"item": "网格员未在岗", "deduction": 1, "charged_to": G11,
                       "note": "电话未接"}]},
    ])
    df = ws.oversight.findings_frame()
    assert list(df.columns) == ["inspection", "draw", "subject", "at", "inspectors", "finding",
                                "item", "deduction", "charged_to", "evidence", "note"]
    assert list(df.inspection) == ["IN1", "IN1", "IN3"]
    assert list(df.finding) == [1, 2, 1]
    assert list(df.charged_to) == [picks[0], DEPT, G11]
    assert list(df.draw) == [MARCH, MARCH, ""]
    assert df.inspectors.iloc[0] == "I01|I02" and df.evidence.iloc[0] == "a.jpg|b.jpg"
    assert str(df.deduction.dtype) == "float64" and df.deduction.sum() == 4.5
    assert df["at"].iloc[2] == pd.Timestamp("2026-03-20T15:00+08:00")
    assert df.groupby("charged_to").deduction.sum()[DEPT] == 1.5
    assert len(gridgov.inspection_findings_to_pandas([])) == 0


# ---- promises ------------------------------------------------------------------------------

def march_promises(ws):
    """Five matters and their promises: kept, late, overdue, open at the month's end and
    voided; the first two by the team of 东村's first grid, rated by both sides."""
    c1 = report(ws, "03-02")
    c2 = report(ws, "03-03")
    c3 = report(ws, "03-04", G21, "P05")
    c4 = report(ws, "03-30", G21, "P05")
    c5 = report(ws, "03-03")
    ws.oversight.add_promises([
        gridgov.Promise("PR1", c1, "当日清运", "2026-03-05", at("03-02", "10:00"), team=TEAM),
        {"id": "PR2", "case": c2.number, "what": "次日清运", "by": datetime.date(2026, 3, 4),
         "at": "2026-03-03T10:00", "team": TEAM},
        {"id": "PR3", "case": c3.number, "what": "一周内清理", "by": "2026-03-10",
         "at": "2026-03-04T10:00"},
        {"id": "PR4", "case": c4, "what": "清明前清理<杂物>&垃圾", "by": "2026-04-03",
         "at": "2026-03-30T10:00", "note": "待协调"},
        {"id": "PR5", "case": c5.number, "what": "核实后清运", "by": "2026-03-08",
         "at": "2026-03-03T10:00", "place": ws.hierarchy.view[G12]},
    ])
    close(c1, "03-02")
    close(c2, "03-06")
    c5.fire("void", at=at("03-04", "10:00"), actor="P03", reason="重复上报")
    return [c1, c2, c3, c4, c5]


RATINGS = [
    {"promise": "PR1", "by": "citizen", "score": 90, "at": "2026-03-03T10:00"},
    {"promise": "PR1", "by": "team", "score": 95, "at": "2026-03-03T10:00"},
    {"promise": "PR2", "by": "群众", "score": 70, "at": "2026-03-07T10:00"},
    {"promise": "PR2", "by": gridgov.PromiseRater.TEAM, "score": 80, "at": "2026-03-07T10:00"},
    {"promise": "PR3", "by": "citizen", "score": 60.5, "at": "2026-03-20T10:00"},
]


def test_promises_on_real_cases_and_their_ratings(ws, path):
    cases = march_promises(ws)
    promises = ws.oversight.promises()
    assert [p.id for p in promises] == ["PR1", "PR2", "PR3", "PR4", "PR5"]
    assert [p.case for p in promises] == [c.number for c in cases]
    # The place is resolved to the case's node unless given.
    assert [p.place for p in promises] == [G11, G11, G21, G21, G12]
    assert promises[0].team == TEAM and promises[3].note == "待协调"
    assert promises[1].by == datetime.date(2026, 3, 4)

    assert ws.oversight.rate_promises(RATINGS) == 5
    ratings = ws.oversight.ratings()
    assert [(r.promise, r.by.text, r.score) for r in ratings] == [
        ("PR1", "citizen", 90), ("PR1", "team", 95), ("PR2", "citizen", 70),
        ("PR2", "team", 80), ("PR3", "citizen", 60.5)]

    # A score of 101 is refused, with the rest of its list: nothing is stored.
    before = digest(path)
    fine = {"promise": "PR4", "by": "citizen", "score": 88, "at": "2026-03-31T10:00"}
    with pytest.raises(gridgov.InvalidArgumentError) as e:
        ws.oversight.rate_promises([fine, dict(fine, promise="PR3", by="team", score=101)])
    assert "ratings[1]" in str(e.value) and "'score'" in str(e.value)
    assert len(ws.oversight.ratings()) == 5 and digest(path) == before
    with pytest.raises(gridgov.AlreadyExistsError, match=r"ratings\[1\]"):
        ws.oversight.rate_promises([fine, dict(fine, promise="PR1")])
    with pytest.raises(gridgov.NotFoundError, match="PR9"):
        ws.oversight.rate_promises([dict(fine, promise="PR9")])
    with pytest.raises(gridgov.InvalidArgumentError, match="'at'"):
        ws.oversight.rate_promises([dict(fine, at="2026-03-01T10:00")])
    with pytest.raises(gridgov.InvalidArgumentError, match="ratings\\[0\\] field 'score'"):
        ws.oversight.rate_promises([{"promise": "PR4", "by": "citizen",
                                     "at": "2026-03-31T10:00"}])
    assert len(ws.oversight.ratings()) == 5 and digest(path) == before

    good = {"id": "PR6", "case": cases[2].number, "what": "复查", "by": "2026-03-31",
            "at": "2026-03-20T10:00"}

    def refused(error, bad, *words):
        with pytest.raises(error) as e:
            ws.oversight.add_promises([good, bad])
        for word in words:
            assert word in e.value.args[0]
        assert len(ws.oversight.promises()) == 5 and digest(path) == before

    refused(gridgov.AlreadyExistsError, dict(good, id="PR1"), "promises[1]", "'id'")
    refused(gridgov.NotFoundError, dict(good, id="PR7", case="2026-999999"), "'case'")
    refused(gridgov.NotFoundError, dict(good, id="PR7", team="T-9"), "'team'")
    refused(gridgov.NotFoundError, dict(good, id="PR7", place="371338999"), "'place'")
    refused(gridgov.InvalidArgumentError, dict(good, id="PR7", what=""), "'what'")
    refused(gridgov.InvalidArgumentError, dict(good, id="PR7", by="2026-03-19"), "'by'")
    # A promise made after its matter closed.
    refused(gridgov.InvalidArgumentError, dict(good, id="PR7", case=cases[0].number), "'at'")
    refused(gridgov.InvalidArgumentError, {k: v for k, v in good.items() if k != "by"},
            "promises[1] field 'by': missing")
    with pytest.raises(TypeError, match="case"):
        ws.oversight.add_promises([dict(good, case=7)])


def test_progress_states_and_scores(ws):
    march_promises(ws)
    ws.oversight.rate_promises(RATINGS)
    end = ws.oversight.progress("2026-03-31T23:59:59")
    assert [(p.id, p.state) for p in end] == [
        ("PR1", gridgov.PromiseState.KEPT), ("PR2", gridgov.PromiseState.LATE),
        ("PR3", gridgov.PromiseState.OVERDUE), ("PR4", gridgov.PromiseState.OPEN),
        ("PR5", gridgov.PromiseState.VOIDED)]
    assert [(p.citizen_score, p.team_score) for p in end] == [
        (90, 95), (70, 80), (60.5, None), (None, None), (None, None)]
    assert end[0].closed_at == at("03-02", "15:00") and end[2].closed_at is None
    assert end[4].closed_at == at("03-04", "10:00")
    assert end[0].category == "E0102" and end[0].promise.team == TEAM
    assert "kept" in repr(end[0]) and "citizen 90" in repr(end[0])
    row = end[1].to_dict()
    assert row["state"] == gridgov.PromiseState.LATE and row["by"] == datetime.date(2026, 3, 4)
    assert row["case"] == end[1].promise.case and row["team_score"] == 80

    # Read on 03-04 at noon: PR2's day has not passed, its close and ratings are not seen.
    early = ws.oversight.progress(at("03-04", "12:00"))
    assert [p.state.text for p in early[:3]] == ["kept", "open", "open"]
    assert early[1].closed_at is None and early[1].citizen_score is None
    assert early[0].citizen_score == 90
    # The pure function over the workspace's engine gives the same rows.
    promises, ratings = ws.oversight.promises(), ws.oversight.ratings()
    same = gridgov.promise_progress(promises, ratings, ws, "2026-03-31T23:59:59")
    assert [p.to_dict() for p in same] == [p.to_dict() for p in end]
    assert [p.to_dict() for p in gridgov.promise_progress(
        promises, [], ws.cases, "2026-03-31T23:59:59")][0]["citizen_score"] is None
    doc = json.loads(gridgov.promise_progress_to_json(end))
    assert [r["state"] for r in doc] == ["kept", "late", "overdue", "open", "voided"]
    assert doc[0]["citizen_score"] == 90
    unknown = gridgov.Promise("PRX", "2026-999999", "x", "2026-03-05", "2026-03-02T10:00")
    with pytest.raises(gridgov.NotFoundError, match="PRX"):
        gridgov.promise_progress([unknown], [], ws, "2026-03-31T00:00")


def test_the_monthly_board(ws):
    march_promises(ws)
    ws.oversight.rate_promises(RATINGS)
    board = ws.oversight.board(MARCH)
    assert board.title == "网格服务办事进度表 2026-03" and board.place == ""
    assert [r.id for r in board.rows] == ["PR1", "PR2", "PR3", "PR4", "PR5"]
    assert len(board) == 5
    assert (board.kept, board.late, board.overdue, board.open) == (1, 1, 1, 1)
    assert board.citizen_mean == pytest.approx((90 + 70 + 60.5) / 3, abs=1e-12)
    assert board.team_mean == pytest.approx(87.5, abs=1e-12)
    assert "citizen mean 73.5" in repr(board)

    doc = json.loads(board.to_json())
    assert doc == board.to_dict() and doc == json.loads(gridgov.promise_board_to_json(board))
    assert (doc["kept"], doc["overdue"], len(doc["rows"])) == (1, 1, 5)
    html = board.html()
    assert html == gridgov.promise_board_html(board)
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "网格服务办事进度表 2026-03" in html and "当日清运" in html
    assert 'class="overdue"' in html
    assert "清明前清理&lt;杂物&gt;&amp;垃圾" in html and "<杂物>" not in html
    assert "P01某" not in html

    east = ws.oversight.board(MARCH, EAST)
    assert east.title == "东村 网格服务办事进度表 2026-03"
    assert [r.id for r in east.rows] == ["PR1", "PR2", "PR5"]
    assert east.citizen_mean == pytest.approx(80, abs=1e-12)
    assert [r.id for r in ws.oversight.board(MARCH, ws.hierarchy.view[G21]).rows] == [
        "PR3", "PR4"]
    # April: the matters closed in March are off the board; PR4's day passes.
    april = ws.oversight.board("2026-04")
    assert [(r.id, r.state.text) for r in april.rows] == [("PR3", "overdue"),
                                                          ("PR4", "overdue")]
    assert april.team_mean is None
    # Read on 03-05: PR2's day has passed and its close (03-06) is not seen yet: overdue,
    # and not yet rated.
    early = ws.oversight.board(MARCH, as_of="2026-03-05T12:00")
    assert early.rows[1].state == gridgov.PromiseState.OVERDUE
    assert early.rows[1].closed_at is None and early.rows[1].citizen_score is None
    assert (early.kept, early.overdue) == (1, 1) and early.citizen_mean == 90
    # The pure function from the progress rows gives the same board.
    progress = ws.oversight.progress("2026-03-31T23:59:59")
    assert gridgov.promise_board(progress, MARCH, "", ws).to_json() == board.to_json()
    assert gridgov.promise_board(progress, MARCH, EAST, ws.hierarchy.view).to_json() == \
        east.to_json()
    with pytest.raises(gridgov.InvalidArgumentError, match="not a month"):
        ws.oversight.board("2026-Q1")
    with pytest.raises(gridgov.NotFoundError, match="371338999"):
        ws.oversight.board(MARCH, "371338999")
    with pytest.raises(gridgov.InvalidArgumentError, match="month"):
        ws.oversight.board("March")


def test_promise_values(ws):
    march_promises(ws)
    ws.oversight.rate_promises(RATINGS)
    progress = ws.oversight.progress("2026-04-01T00:00")

    def values(subject, period=MARCH, rows=progress):
        v = gridgov.promise_values(rows, subject, ws, period)
        return {k: v[k].value for k in ("promises", "promises_kept", "promises_late",
                                        "promises_overdue", "promise_kept_rate",
                                        "promise_citizen_mean", "promise_team_mean")}, v

    town, v = values(TOWN)
    assert town["promises"] == 5 and v["promises"].sources == ["PR1", "PR2", "PR3", "PR4",
                                                               "PR5"]
    assert (town["promises_kept"], town["promises_late"], town["promises_overdue"]) == (1, 1, 1)
    # Kept per promise no longer open or voided: PR1 of PR1, PR2, PR3.
    assert town["promise_kept_rate"] == pytest.approx(100 / 3)
    assert town["promise_citizen_mean"] == pytest.approx((90 + 70 + 60.5) / 3)
    east, _ = values(EAST)
    assert (east["promises"], east["promise_kept_rate"]) == (3, pytest.approx(50))
    team, _ = values(TEAM)
    assert (team["promises"], team["promise_team_mean"]) == (2, pytest.approx(87.5))
    west, v = values(G21)
    assert west["promise_team_mean"] is None and v["promise_team_mean"].reason != ""
    assert values(TOWN, "2026-04")[0]["promises"] == 0
    # A board's rows will do as the progress.
    board = ws.oversight.board(MARCH)
    assert values(TOWN, rows=board)[0] == values(TOWN, rows=board.rows)[0]


def test_progress_frame(ws):
    pd = pytest.importorskip("pandas")
    march_promises(ws)
    ws.oversight.rate_promises(RATINGS)
    df = ws.oversight.progress_frame("2026-04-01T00:00")
    assert list(df.columns) == ["id", "case", "category", "what", "by", "at", "team", "place",
                                "state", "case_state", "closed_at", "citizen_score",
                                "team_score"]
    assert list(df.id) == ["PR1", "PR2", "PR3", "PR4", "PR5"]
    assert list(df.state.astype(str)) == ["kept", "late", "overdue", "open", "voided"]
    assert list(df.state.cat.categories) == ["open", "overdue", "kept", "late", "voided"]
    assert str(df.citizen_score.dtype) == "float64"
    assert df.citizen_score.isna().tolist() == [False, False, False, True, True]
    assert df.closed_at.isna().tolist() == [False, False, True, True, False]
    assert df.closed_at.iloc[0] == pd.Timestamp("2026-03-02T15:00+08:00")
    assert df.by.iloc[1] == pd.Timestamp("2026-03-04")
    assert df.groupby("place").size()[G11] == 2
    board = ws.oversight.board(MARCH, EAST).to_pandas()
    assert list(board.id) == ["PR1", "PR2", "PR5"]
    assert board.citizen_score.mean() == pytest.approx(80)
    assert len(gridgov.promise_progress_to_pandas([])) == 0


def test_oversight_survives_reopening(ws, path):
    picks = march_draw(ws)
    ws.oversight.add_inspections([{"id": "IN1", "draw": MARCH, "subject": picks[0],
                                   "at": "2026-03-10T10:00", "inspectors": ["I01"],
                                   "findings": [{"item": "门前三包", "deduction": 2,
                                                 "note": "已整改"}]}])
    march_promises(ws)
    ws.oversight.rate_promises(RATINGS)
    inspections = ws.oversight.inspections()
    promises = ws.oversight.promises()
    ratings = ws.oversight.ratings()
    board = ws.oversight.board(MARCH).to_json()
    # Another connection sees what this one records.
    with gridgov.Workspace.open(path) as other:
        assert other.oversight.inspections() == inspections
        ws.oversight.add_inspections([{"id": "IN2", "draw": MARCH, "subject": picks[1],
                                       "at": "2026-03-11T10:00", "inspectors": ["I02"]}])
        assert [i.id for i in other.oversight.inspections()] == ["IN1", "IN2"]
    inspections = ws.oversight.inspections()
    ws.close()
    with pytest.raises(gridgov.InvalidStateError):
        ws.oversight

    with gridgov.Workspace.open(path, read_only=True) as again:
        assert again.oversight.inspections() == inspections
        assert again.oversight.inspections()[0].findings[0].note == "已整改"
        assert again.oversight.promises() == promises
        assert again.oversight.ratings() == ratings
        assert again.oversight.board(MARCH).to_json() == board
        assert [t.done for t in again.oversight.tasks(MARCH)] == [True, True, False]
        with pytest.raises(gridgov.Error):
            again.oversight.rate_promises([{"promise": "PR4", "by": "citizen", "score": 88,
                                            "at": "2026-03-31T10:00"}])


# ---- the seed's figures --------------------------------------------------------------------

def test_362_matters_with_a_mean_citizen_score_of_83_2(ws):
    """Seed 002 第三篇: 362 matters promised and rated, a mean citizen score of 83.2."""
    n = 362
    scores = [78.0 if k % 2 == 0 else 88.4 for k in range(n)]  # 181 × 78 + 181 × 88.4
    with ws.cases.batch():
        cases = [ws.cases.report("E0102", G11 if k % 3 else G21, at=at("03-02"),
                                 actor="P01" if k % 3 else "P05") for k in range(n)]
    ws.oversight.add_promises([
        {"id": f"PR{k + 1:03d}", "case": c.number, "what": "按时办结", "by": "2026-03-31",
         "at": "2026-03-02T10:00", "team": TEAM if k % 3 else ""}
        for k, c in enumerate(cases)])
    assert ws.oversight.rate_promises([
        {"promise": f"PR{k + 1:03d}", "by": "citizen", "score": s, "at": "2026-03-20T10:00"}
        for k, s in enumerate(scores)]) == n

    board = ws.oversight.board(MARCH)
    assert len(board.rows) == n and board.open == n
    assert board.citizen_mean == pytest.approx(83.2, abs=1e-9)
    assert board.team_mean is None
    values = gridgov.promise_values(ws.oversight.progress("2026-04-01T00:00"), TOWN, ws, MARCH)
    assert values["promises"].value == n
    assert values["promise_citizen_mean"].value == pytest.approx(83.2, abs=1e-9)
    assert values["promise_citizen_mean"].sources == [f"PR{k + 1:03d}" for k in range(n)]
    # Per grid: the first grid of 西村 holds every third matter, all scored 78 or 88.4.
    west = [s for k, s in enumerate(scores) if k % 3 == 0]
    v = gridgov.promise_values(board, G21, ws, MARCH)
    assert v["promises"].value == len(west) == 121
    assert v["promise_citizen_mean"].value == pytest.approx(sum(west) / len(west), abs=1e-9)


# ---- hazards (隐患) ------------------------------------------------------------------------
#
# 青石镇 under the hazard_rectification workflow, with the roles of the township_000
# catalogue and the service centre of workflow_roles: 网格信息员 P01 (东村第一网格) and P05
# (西村第一网格) report and report the rectification done; the 二级网格长 P02 (东村) and P06
# (西村) grade, order, re-check and void; the 一级网格长 P07 takes what is escalated to the
# township. 东村's monthly fire check FIRE-2026-03 by I01 found the first two hazards.
# The people of the inspections above, with P06 and P07.

HAZARD_PEOPLE = {
    "people": PEOPLE["people"] + [{"id": p, "name": f"{p}某"} for p in ("P06", "P07")],
    "assignments": PEOPLE["assignments"] + [
        {"person": "P06", "role": "village_grid_leader", "node": WEST, "post": "A",
         "from": "2025-01-01"},
        {"person": "P07", "role": "township_grid_leader", "node": TOWN, "post": "A",
         "from": "2025-01-01"},
    ],
}

FIRE_CHECK = "FIRE-2026-03"


def township_catalogue():
    """township_000 with the service centre's role and duties as workflow_roles adds them."""
    doc = json.loads(gridgov.Catalogue.preset("township_000").to_json())
    doc["duties"] += [
        {"code": "case_intake", "zh": "案件受理登记", "en": "Case intake and registration"},
        {"code": "case_filing", "zh": "立案与结案", "en": "Filing and closing cases"},
        {"code": "case_dispatch", "zh": "任务派遣与回退、延期、挂账审批",
         "en": "Dispatch; approving returns, extensions and suspensions"}]
    doc["roles"].append({"code": "service_centre_staff", "zh": "社会管理服务中心工作人员",
                         "en": "Social management service centre staff", "level": "township",
                         "cardinality": "any", "function": "other",
                         "duties": ["case_intake", "case_filing", "case_dispatch"]})
    return gridgov.Catalogue.from_json(json.dumps(doc, ensure_ascii=False))


@pytest.fixture
def hws(path):
    with gridgov.Workspace.open(path) as ws:
        ws.hierarchy.import_text(json.dumps(HIERARCHY, ensure_ascii=False), "json",
                                 "qingshi.json")
        ws.directory.set_catalogue(township_catalogue())
        ws.directory.import_text(json.dumps(HAZARD_PEOPLE, ensure_ascii=False), "json")
        ws.hierarchy.add_overlay("fire", "消防网格", "fire_safety")
        ws.hierarchy.add_overlay_unit("fire", code="L1", name="青石镇消防大网格", level="large")
        ws.hierarchy.add_overlay_unit("fire", code="M1", name="东村消防中网格", level="medium",
                                      parent="L1", grids=[EAST])
        ws.hierarchy.add_overlay_unit("fire", code="M2", name="西村消防中网格", level="medium",
                                      parent="L1", grids=[WEST])
        ws.records.add([
            {"key": "H1", "kind": "house", "node": G11,
             "fields": {"house_code": G11 + "0001", "address": "东村1号", "use": "自住"}},
            {"key": "H2", "kind": "house", "node": G12,
             "fields": {"house_code": G12 + "0001", "address": "东村8号", "use": "出租"}},
            {"key": "H3", "kind": "house", "node": G21,
             "fields": {"house_code": G21 + "0001", "address": "西村3号", "use": "出租"}},
            {"key": "U1", "kind": "unit", "node": G11,
             "fields": {"name": "东村小卖部", "unit_kind": "个体工商户"}},
        ], "2025-01-01")
        ws.oversight.add_inspections([{"id": FIRE_CHECK, "subject": EAST,
                                       "at": "2026-03-06T09:00", "inspectors": ["I01"],
                                       "note": "村月度消防检查"}])
        yield ws


def hazard(ws, node, actor, day, time):
    return ws.cases.report("G0201", node, at=at(day, time), actor=actor,
                           workflow="hazard_rectification", note="消防通道堆物")


def march_hazards(ws):
    """Five hazards: fixed on time (after a failed re-check), escalated and overdue, fixed
    late, voided, and open at the month's end; entries E1-E6 recorded together, E7 later."""
    z1 = hazard(ws, G11, "P01", "03-06", "10:00")
    z1.fire("file", at=at("03-06", "10:30"), actor="P02")
    z1.fire("dispatch", at=at("03-06", "11:00"), actor="P02")
    z1.fire("feedback", at=at("03-07", "16:00"), actor="P01", evidence=["rectified.jpg"])
    z1.fire("check_fail", at=at("03-07", "17:00"), actor="P02", reason="消防通道仍有堆物")
    assert z1.state == "rectifying"
    z1.fire("feedback", at=at("03-08", "10:00"), actor="P01", evidence=["rectified2.jpg"])
    z1.fire("check_pass", at=at("03-08", "15:00"), actor="P02")
    assert z1.state == "closed"

    z2 = hazard(ws, G11, "P01", "03-06", "10:05")
    z2.fire("file", at=at("03-06", "10:40"), actor="P02")
    z2.fire("escalate", at=at("03-06", "11:00"), actor="P02", reason="重大火灾隐患, 报县政府")
    z2.fire("dispatch", at=at("03-07", "09:00"), actor="P07")

    z3 = hazard(ws, G21, "P05", "03-06", "14:00")
    z3.fire("file", at=at("03-06", "15:00"), actor="P06")
    z3.fire("dispatch", at=at("03-06", "15:30"), actor="P06")
    z3.fire("feedback", at=at("03-14", "09:00"), actor="P05", evidence=["done.jpg"])
    z3.fire("check_pass", at=at("03-14", "10:00"), actor="P06")

    z4 = hazard(ws, G21, "P05", "03-07", "09:00")
    z4.fire("void", at=at("03-07", "10:00"), actor="P06", reason="不构成隐患")

    z5 = hazard(ws, G12, "P02", "03-20", "09:00")
    z5.fire("file", at=at("03-20", "09:30"), actor="P02")
    z5.fire("dispatch", at=at("03-20", "10:00"), actor="P02")

    fire_check = ws.oversight.inspections()[0]
    assert ws.oversight.add_hazard_entries([
        gridgov.HazardEntry("E1", z1, at("03-06", "10:30"), "P02", record="H1",
                            found_by=fire_check, grade=gridgov.HazardGrade.GENERAL,
                            deadline=datetime.date(2026, 3, 8)),
        {"id": "E2", "case": z1.number, "at": "2026-03-07T12:00", "person": "P01",
         "progress": 50, "evidence": ["half.jpg"]},
        {"id": "E3", "case": z2, "at": at("03-06", "10:40"), "person": "P02", "record": "U1",
         "found_by": FIRE_CHECK, "grade": "重大", "deadline": "2026-03-11"},
        {"id": "E4", "case": z2.number, "at": "2026-03-09T12:00", "person": "P07",
         "progress": 30, "note": "待县里协调"},
        gridgov.HazardEntry("E5", z3.number, "2026-03-06T15:00", "P06", record="H3",
                            grade="larger", deadline="2026-03-12"),
        {"id": "E6", "case": z4.number, "at": "2026-03-07T09:30", "person": "P06",
         "record": "H3", "grade": None, "deadline": None, "progress": None},
    ]) == 6
    assert ws.oversight.add_hazard_entries([
        {"id": "E7", "case": z5.number, "at": "2026-03-20T10:00", "person": "P02",
         "record": "H2", "grade": "一般", "deadline": "2026-04-10", "progress": 20}]) == 1
    return [z1, z2, z3, z4, z5]


END_OF_MARCH = "2026-03-31T23:00"


def test_hazard_entry_objects_dicts_and_json():
    e = gridgov.HazardEntry("E1", "2026-000001", "2026-03-06T10:30", "P02", record="H1",
                            found_by=FIRE_CHECK, grade="一般", deadline="2026-03-08")
    assert (e.id, e.case, e.case_number, e.person) == ("E1", "2026-000001", "2026-000001",
                                                      "P02")
    assert e.at == at("03-06", "10:30") and e.deadline == datetime.date(2026, 3, 8)
    assert e.grade == gridgov.HazardGrade.GENERAL and e.progress is None
    assert e.evidence == [] and e.note == ""
    assert repr(e) == ("<HazardEntry E1 of 2026-000001 2026-03-06T10:30:00+08:00 by P02: "
                       "record H1, found by FIRE-2026-03, general, due 2026-03-08>")
    assert gridgov.HazardEntry(**e.to_dict()) == e
    report = gridgov.HazardEntry("E2", "2026-000001", datetime.datetime(2026, 3, 7, 12), "P01",
                                 progress=50, evidence=["half.jpg"])
    assert report.grade is None and report.deadline is None and report.record == ""
    assert report.at == at("03-07", "12:00")
    assert repr(report).endswith("by P01: 50%>")
    assert report != e and gridgov.HazardEntry(**dict(e.to_dict(), note="x")) != e
    assert e.to_dict() == {"id": "E1", "case": "2026-000001", "at": at("03-06", "10:30"),
                           "person": "P02", "record": "H1", "found_by": FIRE_CHECK,
                           "grade": gridgov.HazardGrade.GENERAL,
                           "deadline": datetime.date(2026, 3, 8), "progress": None,
                           "evidence": [], "note": ""}

    assert [g.text for g in (gridgov.HazardGrade.GENERAL, gridgov.HazardGrade.LARGER,
                             gridgov.HazardGrade.MAJOR)] == ["general", "larger", "major"]
    assert [s.text for s in (gridgov.HazardStatus.OPEN, gridgov.HazardStatus.OVERDUE,
                             gridgov.HazardStatus.FIXED_ON_TIME, gridgov.HazardStatus.FIXED_LATE,
                             gridgov.HazardStatus.VOIDED)] == [
        "open", "overdue", "fixed_on_time", "fixed_late", "voided"]
    assert gridgov.HazardEntry("E3", "C", "2026-03-06T10:30", "P", grade="重大").grade == \
        gridgov.HazardGrade.MAJOR
    # A Record will do as the record, a DutyFulfilment or Inspection as the finder.
    by_objects = gridgov.HazardEntry(
        "E4", "C", "2026-03-06T10:30", "P", record=gridgov.Record("U1", "unit", G11),
        found_by=gridgov.DutyFulfilment("F-7", "fire_check", EAST, "P02", "2026-03-06T09:00"))
    assert (by_objects.record, by_objects.found_by) == ("U1", "F-7")
    assert gridgov.HazardEntry("E5", "C", "2026-03-06T10:30", "P", found_by=gridgov.Inspection(
        FIRE_CHECK, EAST, "2026-03-06T09:00", ["I01"])).found_by == FIRE_CHECK

    text = gridgov.hazard_entries_to_json([e, report.to_dict()])
    doc = json.loads(text)
    assert doc[0] == {"id": "E1", "case": "2026-000001", "at": "2026-03-06T10:30:00+08:00",
                      "person": "P02", "record": "H1", "found_by": FIRE_CHECK,
                      "grade": "general", "deadline": "2026-03-08", "progress": None,
                      "evidence": [], "note": ""}
    assert (doc[1]["grade"], doc[1]["deadline"], doc[1]["progress"]) == (None, None, 50)
    assert gridgov.hazard_entries_from_json(text) == [e, report]
    assert gridgov.hazard_entries_from_json(doc) == [e, report]

    doc[1]["progress"] = 101
    with pytest.raises(gridgov.InvalidArgumentError) as err:
        gridgov.hazard_entries_from_json(json.dumps(doc), "march.json")
    assert "march.json" in str(err.value) and "hazards[1]" in str(err.value)
    assert "'progress'" in str(err.value) and "101" in str(err.value)
    doc[1]["progress"] = 50
    doc[0]["grade"] = "huge"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"hazards\[0\] field 'grade'"):
        gridgov.hazard_entries_from_json(doc)
    with pytest.raises(gridgov.ParseError):
        gridgov.hazard_entries_from_json("[{")

    # What the constructor and the dict form refuse themselves.
    with pytest.raises(gridgov.InvalidArgumentError, match="HazardEntry: grade.*huge"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", grade="huge")
    with pytest.raises(TypeError, match="progress"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", progress=True)
    with pytest.raises(TypeError, match="progress"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", progress=50.0)
    with pytest.raises(gridgov.InvalidArgumentError, match="outside 0–100"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", progress=10 ** 20)
    with pytest.raises(TypeError, match="evidence"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", evidence="a.jpg")
    with pytest.raises(TypeError, match="record"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", record=7)
    with pytest.raises(gridgov.InvalidArgumentError, match="deadline"):
        gridgov.HazardEntry("E1", "C", "2026-03-06T10:30", "P", deadline="2026-02-30")
    with pytest.raises(gridgov.InvalidArgumentError, match=r"hazards\[0\] field 'person': missing"):
        gridgov.hazard_entries_to_json([{"id": "E1", "case": "C", "at": "2026-03-06T10:30"}])
    with pytest.raises(gridgov.InvalidArgumentError, match=r"hazards\[0\]: unknown key 'colour'"):
        gridgov.hazard_entries_to_json([dict(e.to_dict(), colour="red")])
    with pytest.raises(TypeError):
        gridgov.hazard_entries_to_json(e)
    with pytest.raises(TypeError):
        gridgov.hazard_entries_to_json(e.to_dict())


def test_hazards_are_found_graded_rectified_and_rechecked(hws):
    cases = march_hazards(hws)
    n1, n2, n3, n4, n5 = [c.number for c in cases]
    entries = hws.oversight.hazard_entries()
    assert [e.id for e in entries] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]
    assert [e.case for e in entries] == [n1, n1, n2, n2, n3, n4, n5]
    assert entries[0].found_by == FIRE_CHECK and entries[0].record == "H1"
    assert entries[2].grade == gridgov.HazardGrade.MAJOR
    assert entries[1].progress == 50 and entries[1].evidence == ["half.jpg"]
    assert entries[1].grade is None and entries[1].deadline is None
    assert entries[3].note == "待县里协调"
    assert entries[6].deadline == datetime.date(2026, 4, 10)

    end = hws.oversight.hazards(END_OF_MARCH)
    assert [h.case for h in end] == [n1, n2, n3, n4, n5]
    assert [h.status for h in end] == [
        gridgov.HazardStatus.FIXED_ON_TIME, gridgov.HazardStatus.OVERDUE,
        gridgov.HazardStatus.FIXED_LATE, gridgov.HazardStatus.VOIDED, gridgov.HazardStatus.OPEN]
    assert [h.progress for h in end] == [100, 30, 100, 0, 20]
    assert [h.grade.text if h.grade else None for h in end] == [
        "general", "major", "larger", None, "general"]
    assert [h.record for h in end] == ["H1", "U1", "H3", "H3", "H2"]
    assert [h.found_by for h in end] == [FIRE_CHECK, FIRE_CHECK, "", "", ""]
    assert [h.node for h in end] == [G11, G11, G21, G21, G12]
    assert [h.tier for h in end] == [0, 1, 0, 0, 0]
    assert [h.case_state for h in end] == ["closed", "rectifying", "closed", "voided",
                                           "rectifying"]
    assert [h.entries for h in end] == [["E1", "E2"], ["E3", "E4"], ["E5"], ["E6"], ["E7"]]
    assert end[0].category == "G0201" and end[0].case_number == n1
    assert end[0].reported_at == at("03-06", "10:00")
    assert end[0].closed_at == at("03-08", "15:00") and end[1].closed_at is None
    assert end[3].closed_at == at("03-07", "10:00")
    assert end[0].deadline == datetime.date(2026, 3, 8) and end[3].deadline is None
    assert repr(end[1]) == (f"<Hazard {n2} at {G11} overdue (major, due 2026-03-11, 30%, "
                            "tier 1)>")
    assert repr(end[3]) == f"<Hazard {n4} at {G21} voided (ungraded, 0%)>"
    row = end[2].to_dict()
    assert row["status"] == gridgov.HazardStatus.FIXED_LATE
    assert row["grade"] == gridgov.HazardGrade.LARGER
    assert row["deadline"] == datetime.date(2026, 3, 12)
    assert row["closed_at"] == at("03-14", "10:00") and row["entries"] == ["E5"]

    # On the 7th at one: Z1 half done and open, Z2's progress not reported yet, Z4 voided;
    # Z5 not found yet.
    early = hws.oversight.hazards(at("03-07", "13:00"))
    assert [h.case for h in early] == [n1, n2, n3, n4]
    assert [h.status.text for h in early] == ["open", "open", "open", "voided"]
    assert [h.progress for h in early] == [50, 0, 0, 0]
    assert early[0].closed_at is None and early[0].entries == ["E1", "E2"]
    # On the 12th: Z2's deadline (the 11th) has passed.
    assert hws.oversight.hazards("2026-03-12T08:00")[1].status == gridgov.HazardStatus.OVERDUE
    assert hws.oversight.hazards("2026-03-10T08:00")[1].status == gridgov.HazardStatus.OPEN

    # The pure function over the workspace's engine gives the same hazards.
    as_dicts = [h.to_dict() for h in end]
    snapshot = hws.hierarchy.view.snapshot()
    for engine, hierarchy in ((hws, hws), (hws.cases, hws.hierarchy),
                              (hws, hws.hierarchy.view), (hws.cases, snapshot)):
        same = gridgov.hazards_of(entries, engine, hierarchy, END_OF_MARCH)
        assert [h.to_dict() for h in same] == as_dicts
    listed = gridgov.hazards_of([e.to_dict() for e in entries[:2]], hws, hws, END_OF_MARCH)
    assert [h.to_dict() for h in listed] == as_dicts[:1]
    assert gridgov.hazards_of([], hws, hws, END_OF_MARCH) == []
    unknown = gridgov.HazardEntry("EX", "2026-999999", "2026-03-06T10:30", "P02")
    with pytest.raises(gridgov.NotFoundError, match="2026-999999"):
        gridgov.hazards_of([unknown], hws, hws, END_OF_MARCH)
    with pytest.raises(TypeError, match="engine"):
        gridgov.hazards_of(entries, "cases", hws, END_OF_MARCH)
    with pytest.raises(TypeError, match="hierarchy"):
        gridgov.hazards_of(entries, hws, "qingshi", END_OF_MARCH)
    with pytest.raises(gridgov.InvalidArgumentError, match="overlay fire"):
        gridgov.hazards_of(entries, hws, hws.hierarchy.overlay("fire").units, END_OF_MARCH)

    doc = json.loads(gridgov.hazards_to_json(end))
    assert [h["status"] for h in doc] == ["fixed_on_time", "overdue", "fixed_late", "voided",
                                          "open"]
    assert doc[1] == {"case": n2, "category": "G0201", "node": G11, "case_state": "rectifying",
                      "tier": 1, "record": "U1", "found_by": FIRE_CHECK, "grade": "major",
                      "deadline": "2026-03-11", "progress": 30,
                      "reported_at": "2026-03-06T10:05:00+08:00", "closed_at": None,
                      "status": "overdue", "entries": ["E3", "E4"]}
    assert doc[3]["grade"] is None and doc[3]["closed_at"] == "2026-03-07T10:00:00+08:00"
    with pytest.raises(TypeError, match="Hazard"):
        gridgov.hazards_to_json([end[0].to_dict()])
    assert json.loads(gridgov.hazard_entries_to_json(entries))[6]["grade"] == "general"


def test_hazard_entries_refused_store_nothing(hws, path):
    cases = march_hazards(hws)
    n1, n2 = cases[0].number, cases[1].number
    before = digest(path)
    hazards_before = gridgov.hazards_to_json(hws.oversight.hazards(END_OF_MARCH))
    good = {"id": "E8", "case": n2, "at": "2026-03-10T09:00", "person": "P07", "progress": 60}

    def refused(error, bad, *words):
        with pytest.raises(error) as e:
            hws.oversight.add_hazard_entries([good, bad])
        for word in words:
            assert word in e.value.args[0]
        assert len(hws.oversight.hazard_entries()) == 7 and digest(path) == before
        assert gridgov.hazards_to_json(hws.oversight.hazards(END_OF_MARCH)) == hazards_before
        return e.value.args[0]

    bad = dict(good, id="E9", progress=None)
    # A hazard on a record that does not exist.
    message = refused(gridgov.NotFoundError, dict(bad, record="H9"), "hazards[1]", "'record'",
                      "H9")
    assert message.endswith("field 'record': \"H9\" is not a live record")
    refused(gridgov.InvalidArgumentError, dict(bad, record="H1"), "hazards[1]", "'record'",
            "U1", "H1")
    refused(gridgov.InvalidArgumentError, dict(bad, progress=120), "hazards[1]", "'progress'",
            "120", "0–100")
    refused(gridgov.InvalidArgumentError, dict(bad, progress=-1), "'progress'")
    # An entry after its case closed (Z1 on the 8th at 15:00).
    refused(gridgov.InvalidArgumentError, dict(bad, case=n1, at="2026-03-09T09:00"),
            "hazards[1]", "'at'", n1, "closed")
    refused(gridgov.InvalidArgumentError, dict(bad, at="2026-03-06T09:00"), "'at'", "reported")
    refused(gridgov.InvalidArgumentError, dict(bad, deadline="2026-03-09"), "'deadline'")
    refused(gridgov.NotFoundError, dict(bad, found_by="FIRE-2026-02"), "'found_by'",
            "FIRE-2026-02")
    refused(gridgov.NotFoundError, dict(bad, case="2026-999999"), "'case'", "2026-999999")
    refused(gridgov.NotFoundError, dict(bad, person="P99"), "'person'", "P99")
    refused(gridgov.AlreadyExistsError, dict(bad, id="E1"), "hazards[1]", "'id'")
    refused(gridgov.AlreadyExistsError, dict(bad, id="E8"), "'id'")
    refused(gridgov.InvalidArgumentError, dict(bad, grade="huge"), "hazards[1] field 'grade'")
    refused(gridgov.InvalidArgumentError, {k: v for k, v in bad.items() if k != "at"},
            "hazards[1] field 'at': missing")
    refused(TypeError, dict(bad, progress="60"), "hazards[1] field 'progress'")
    refused(TypeError, dict(bad, case=7), "hazards[1] field 'case'")
    refused(TypeError, "E9", "hazards[1]")
    with pytest.raises(TypeError):
        hws.oversight.add_hazard_entries(good)
    assert len(hws.oversight.hazard_entries()) == 7 and digest(path) == before

    # The good one alone is recorded: Z2 is 60% done on the 10th.
    assert hws.oversight.add_hazard_entries([good]) == 1
    assert hws.oversight.hazards("2026-03-10T12:00")[1].progress == 60
    # E4 on the 9th said 30, E8 on the 10th 60: the later entry in the list wins when both
    # are seen (the order recorded).
    assert hws.oversight.hazards(END_OF_MARCH)[1].progress == 60


def test_hazard_values(hws):
    cases = march_hazards(hws)
    n1, n2, n3, n4, n5 = [c.number for c in cases]
    hazards = hws.oversight.hazards(END_OF_MARCH)
    keys = ("hazards", "hazards_general", "hazards_larger", "hazards_major", "hazards_ungraded",
            "hazards_fixed", "hazards_fixed_on_time", "hazards_overdue", "hazards_open",
            "hazard_fix_rate", "hazard_on_time_rate", "hazard_progress")

    def values(subject, period=MARCH, hierarchy=hws, rows=hazards):
        v = gridgov.hazard_values(rows, subject, hierarchy, period)
        assert set(keys) <= set(v)
        return {k: v[k].value for k in keys}, v

    # 东村: Z1 fixed on time, Z2 overdue, Z5 open.
    east, v = values(EAST)
    assert east == {"hazards": 3, "hazards_general": 2, "hazards_larger": 0,
                    "hazards_major": 1, "hazards_ungraded": 0, "hazards_fixed": 1,
                    "hazards_fixed_on_time": 1, "hazards_overdue": 1, "hazards_open": 1,
                    "hazard_fix_rate": pytest.approx(100 / 3),
                    "hazard_on_time_rate": pytest.approx(50),
                    "hazard_progress": pytest.approx(50)}
    assert v["hazards"].sources == [n1, n2, n5]
    # The township: the voided Z4 is not a hazard.
    town, v = values(TOWN)
    assert town["hazards"] == 4 and v["hazards"].sources == [n1, n2, n3, n5]
    assert (town["hazards_general"], town["hazards_larger"], town["hazards_major"]) == (2, 1, 1)
    assert (town["hazards_fixed"], town["hazards_fixed_on_time"]) == (2, 1)
    assert town["hazard_fix_rate"] == pytest.approx(50)
    assert town["hazard_on_time_rate"] == pytest.approx(100 / 3)
    assert town["hazard_progress"] == pytest.approx((100 + 30 + 100 + 20) / 4)
    west, _ = values(WEST)
    assert (west["hazards"], west["hazards_fixed"], west["hazard_on_time_rate"]) == (1, 1, 0)
    # A record: the shop's major hazard; H3's voided hazard is left out.
    shop, v = values("U1")
    assert (shop["hazards"], shop["hazards_major"], shop["hazards_overdue"]) == (1, 1, 1)
    assert shop["hazard_fix_rate"] == 0 and v["hazards"].sources == [n2]
    house, v = values("H3")
    assert (house["hazards"], house["hazards_larger"]) == (1, 1)
    assert v["hazards"].sources == [n3]
    nothing, v = values("H9")
    assert nothing["hazards"] == 0 and nothing["hazard_fix_rate"] is None
    assert v["hazard_progress"].reason != ""
    # A fire grid covers its village; a Node and a Hierarchy do as well as codes.
    assert values("fire:M1")[0] == east
    assert values("fire:L1")[0]["hazards"] == 4
    assert values(hws.hierarchy.view[EAST], MARCH, hws.hierarchy.view)[0] == east
    assert values(G12, MARCH, hws.hierarchy)[0]["hazards_open"] == 1
    # April: nothing reported then.
    april, v = values(TOWN, "2026-04", rows=hws.oversight.hazards("2026-04-30T23:00"))
    assert april["hazards"] == 0 and april["hazard_progress"] is None
    # Read on the 10th, Z1 is fixed and Z2 still open.
    tenth, _ = values(EAST, rows=hws.oversight.hazards("2026-03-10T12:00"))
    assert (tenth["hazards"], tenth["hazards_fixed"], tenth["hazards_open"]) == (2, 1, 1)
    assert tenth["hazard_on_time_rate"] == pytest.approx(100)
    with pytest.raises(gridgov.InvalidArgumentError, match="period"):
        gridgov.hazard_values(hazards, TOWN, hws, "2026-13")
    with pytest.raises(TypeError, match="hierarchy"):
        gridgov.hazard_values(hazards, TOWN, "qingshi", MARCH)
    with pytest.raises(TypeError, match="Hazard"):
        gridgov.hazard_values(hws.oversight.hazard_entries(), TOWN, hws, MARCH)


def test_hazards_frame(hws):
    pd = pytest.importorskip("pandas")
    cases = march_hazards(hws)
    df = hws.oversight.hazards_frame(END_OF_MARCH)
    assert list(df.columns) == ["case", "category", "node", "case_state", "tier", "record",
                                "found_by", "grade", "deadline", "progress", "reported_at",
                                "closed_at", "status", "entries"]
    assert list(df.case) == [c.number for c in cases]
    assert list(df.status.cat.categories) == ["open", "overdue", "fixed_on_time", "fixed_late",
                                              "voided"]
    assert list(df.status.astype(str)) == ["fixed_on_time", "overdue", "fixed_late", "voided",
                                           "open"]
    assert list(df.grade.cat.categories) == ["general", "larger", "major"]
    assert df.grade.isna().tolist() == [False, False, False, True, False]
    assert df.grade.iloc[1] == "major"
    assert str(df.deadline.dtype) == "datetime64[ns]"
    assert df.deadline.iloc[0] == pd.Timestamp("2026-03-08") and pd.isna(df.deadline.iloc[3])
    assert str(df.progress.dtype) == "int64" and list(df.progress) == [100, 30, 100, 0, 20]
    assert str(df.tier.dtype) == "int64" and df.tier.iloc[1] == 1
    assert df.reported_at.iloc[0] == pd.Timestamp("2026-03-06T10:00+08:00")
    assert df.closed_at.isna().tolist() == [False, True, False, False, True]
    assert df.closed_at.iloc[2] == pd.Timestamp("2026-03-14T10:00+08:00")
    assert list(df.entries) == ["E1|E2", "E3|E4", "E5", "E6", "E7"]
    assert list(df.record) == ["H1", "U1", "H3", "H3", "H2"]
    assert df.groupby("node").size()[G11] == 2
    assert (df.status == "overdue").sum() == 1
    early = hws.oversight.hazards_frame("2026-03-07T13:00")
    assert list(early.status.astype(str)) == ["open", "open", "open", "voided"]
    assert len(gridgov.hazards_to_pandas([])) == 0
    assert list(gridgov.hazards_to_pandas(hws.oversight.hazards(END_OF_MARCH)).case) == \
        list(df.case)


def test_hazards_survive_reopening(hws, path):
    march_hazards(hws)
    entries = hws.oversight.hazard_entries()
    # Another connection sees what this one records.
    with gridgov.Workspace.open(path) as other:
        assert other.oversight.hazard_entries() == entries
        hws.oversight.add_hazard_entries([{"id": "E8", "case": entries[2].case,
                                           "at": "2026-03-10T09:00", "person": "P07",
                                           "progress": 60}])
        assert [e.id for e in other.oversight.hazard_entries()][-1] == "E8"
        assert other.oversight.hazards(END_OF_MARCH)[1].progress == 60
        # The engine of one connection with the hierarchy of the other (copied first).
        mixed = gridgov.hazards_of(other.oversight.hazard_entries(), hws.cases, other,
                                   END_OF_MARCH)
        assert [h.to_dict() for h in mixed] == \
            [h.to_dict() for h in hws.oversight.hazards(END_OF_MARCH)]
    entries = hws.oversight.hazard_entries()
    hazards = gridgov.hazards_to_json(hws.oversight.hazards(END_OF_MARCH))
    hws.close()

    with gridgov.Workspace.open(path, read_only=True) as again:
        assert again.oversight.hazard_entries() == entries
        assert again.oversight.hazard_entries()[1].evidence == ["half.jpg"]
        assert again.oversight.hazard_entries()[1].grade is None
        assert gridgov.hazards_to_json(again.oversight.hazards(END_OF_MARCH)) == hazards
        with pytest.raises(gridgov.Error):
            again.oversight.add_hazard_entries([{"id": "E9", "case": entries[2].case,
                                                 "at": "2026-03-10T09:00", "person": "P07"}])
