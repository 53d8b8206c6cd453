"""Oversight from Python (督导考核, 一事一诺一评价) on a real workspace file: inspections of
the picks of a recorded draw and their tasks, daily supervision outside any draw, the
inspection indicators; promises made for real cases, their ratings by the citizen and the
team, their progress, the monthly public board and the promise indicators; and the seed's
figures (seed 002 第三篇: 362 matters promised and rated, a mean citizen score of 83.2).

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
