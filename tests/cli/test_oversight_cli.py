"""`gridgov inspection ...` and `gridgov promise ...` driven as a user would, over the sample
county (examples/data) with a service-centre worker added to 青石镇 so that cases close.

March 2026: a draw of three of 青石镇's grids is inspected (one pick with two findings, one
clean, one not yet), and a grid of another township gets a daily supervision whose finding
is charged to its neighbour. Five matters are promised: kept (closed 03-04, promised by
03-05), late (closed 03-20, promised by 03-10), overdue (still open, promised by 03-15),
open (promised by 04-10) and voided; two are rated by the people and one by the team."""

import json

import pytest

from cli_support import (DATA, copy_workspace, digest, file_refuser, needs_cli, run, run_json,
                         write_json)

pytestmark = needs_cli

TOWN = "371338102"            # 青石镇
VILLAGE = "371338102201"      # 青石村
GRID = "371338102201001"      # 青石村第一网格: P0004 is its information officer
OTHER_GRID = "371338102201002"
OFFICER = "P0004"
VILLAGE_LEADER = "P0002"
CENTRE = "P0900"              # the service centre's worker, added here
TEAM = "T-QS1"                # 青石村第一网格服务团队, an organisation of the records
ELSEWHERE_TOWN = "371338001"
ELSEWHERE = "371338001001001"
NEIGHBOUR = "371338001001002"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample county with a service-centre worker at 青石镇 (the sample catalogue has no
    such role: it is added) and a service team of the first grid; tests work on copies."""
    folder = tmp_path_factory.mktemp("county")
    ws = folder / "county.gridgov"
    run("init", ws=ws, check=0)
    run("import", DATA / "county.json", "--effective", "2023-09-01", ws=ws, check=0)
    catalogue = json.loads((DATA / "catalogue.json").read_text(encoding="utf-8"))
    catalogue["roles"].append({"code": "service_centre_staff", "zh": "社会管理服务中心工作人员",
                               "level": "township"})
    people = folder / "more_people.csv"
    people.write_text(f"id,name\n{CENTRE},服务中心某\n", encoding="utf-8")
    assignments = folder / "more_assignments.csv"
    assignments.write_text(f"person,role,node,post,from\n{CENTRE},service_centre_staff,{TOWN},"
                           "A,2023-09-01\n", encoding="utf-8")
    run("import", write_json(folder / "catalogue.json", catalogue), DATA / "people.csv",
        DATA / "units.csv", DATA / "assignments.csv", DATA / "absences.csv",
        DATA / "departments.json", people, assignments, ws=ws, check=0)
    run("records", "add", "--kind", "organisation", "--key", TEAM, "--node", GRID, "--field",
        "name=青石村第一网格服务团队", "--field", "org_kind=服务团队", ws=ws, check=0)
    return ws


@pytest.fixture(scope="module")
def march(county, tmp_path_factory):
    """The county with the March draw and the five matters (no inspections, no promises)."""
    ws = copy_workspace(county, tmp_path_factory.mktemp("march") / "march.gridgov")
    draw = run_json("draw", "2026-03", "--count", "3", "--seed", "20260301", "--subtree", TOWN,
                    ws=ws)
    numbers = {}

    def report(name, grid, actor, at):
        out = run("case", "report", "--category", "E0102", "--node", grid, "--actor", actor,
                  "--at", at, ws=ws, check=0).stdout
        numbers[name] = out.split()[0]

    def fire(name, command, actor, at, *more):
        run("case", "transition", numbers[name], command, "--actor", actor, "--at", at, *more,
            ws=ws, check=0)

    report("kept", GRID, OFFICER, "2026-03-02T09:00")
    report("late", OTHER_GRID, VILLAGE_LEADER, "2026-03-02T09:10")
    fire("kept", "self_handle", OFFICER, "2026-03-02T10:00", "--evidence", "photo-1.jpg")
    fire("late", "self_handle", VILLAGE_LEADER, "2026-03-02T10:30", "--evidence", "photo-2.jpg")
    fire("kept", "check_pass", VILLAGE_LEADER, "2026-03-03T10:00")
    fire("kept", "close", CENTRE, "2026-03-04T10:00")
    report("overdue", GRID, OFFICER, "2026-03-05T09:00")
    report("voided", OTHER_GRID, VILLAGE_LEADER, "2026-03-05T09:30")
    fire("voided", "void", CENTRE, "2026-03-06T09:00", "--reason", "重复上报")
    fire("late", "check_pass", VILLAGE_LEADER, "2026-03-19T10:00")
    fire("late", "close", CENTRE, "2026-03-20T10:00")
    report("open", GRID, OFFICER, "2026-03-25T09:00")
    return ws, draw, numbers


@pytest.fixture
def ws(march, tmp_path):
    return copy_workspace(march[0], tmp_path / "ws.gridgov")


@pytest.fixture
def picks(march):
    return march[1]["picks"]


@pytest.fixture
def outside(march):
    """A grid of 青石镇 that the draw did not pick."""
    return next(c for c in march[1]["candidates"] if c not in march[1]["picks"])


@pytest.fixture
def numbers(march):
    return march[2]


def inspections(picks):
    return [
        {"id": "I1", "draw": "2026-03", "subject": picks[0], "at": "2026-03-10T10:00",
         "inspectors": ["P0001"],
         "findings": [{"item": "门前三包: 乱摆乱卖", "deduction": 2, "evidence": ["p1.jpg"]},
                      {"item": "台账不全", "deduction": 1.5, "note": "缺 2 月"}],
         "note": "月度督导"},
        {"id": "I2", "draw": "2026-03", "subject": picks[1], "at": "2026-03-11T10:00",
         "inspectors": ["P0001", "P0002"]},
        {"id": "I3", "subject": ELSEWHERE, "at": "2026-03-20T15:00", "inspectors": ["P0001"],
         "findings": [{"item": "垃圾未清运", "deduction": 1, "charged_to": NEIGHBOUR}]},
    ]


@pytest.fixture
def inspected(ws, picks, tmp_path):
    run("inspection", "record", write_json(tmp_path / "inspections.json", inspections(picks)),
        ws=ws, check=0)
    return ws


def promises(numbers):
    def promise(id_, name, what, by, at, team=None):
        p = {"id": id_, "case": numbers[name], "what": what, "by": by, "at": at}
        if team:
            p["team"] = team
        return p

    return [promise("PR1", "kept", "三日内清运暴露垃圾", "2026-03-05", "2026-03-02T09:30", TEAM),
            promise("PR2", "late", "一周内清理楼道堆物", "2026-03-10", "2026-03-02T12:00", TEAM),
            promise("PR3", "overdue", "十日内修复路灯", "2026-03-15", "2026-03-05T10:00"),
            promise("PR4", "open", "月内协调停车位", "2026-04-10", "2026-03-25T10:00"),
            promise("PR5", "voided", "两日内答复", "2026-03-07", "2026-03-05T10:00")]


RATINGS = [{"promise": "PR1", "by": "citizen", "score": 90, "at": "2026-03-05T09:00",
            "note": "满意"},
           {"promise": "PR1", "by": "team", "score": 95, "at": "2026-03-05T09:00"},
           {"promise": "PR2", "by": "citizen", "score": 70, "at": "2026-03-21T09:00"}]


@pytest.fixture
def promised(ws, numbers, tmp_path):
    run("promise", "record", write_json(tmp_path / "promises.json", promises(numbers)), ws=ws,
        check=0)
    run("promise", "rate", write_json(tmp_path / "ratings.json", RATINGS), ws=ws, check=0)
    return ws


def values(*args, ws):
    return run_json(*args, ws=ws)


# ---- inspections ---------------------------------------------------------------------------

def test_inspections_are_recorded_and_listed(ws, picks, tmp_path):
    assert run("inspection", "list", ws=ws, check=0).stdout == "0 inspections\n"
    path = write_json(tmp_path / "inspections.json", inspections(picks))
    p = run("inspection", "record", path, ws=ws, check=0)
    assert p.stdout == f"recorded {path}: 3 inspections\n"
    kept = run_json("inspection", "list", ws=ws)
    assert [i["id"] for i in kept] == ["I1", "I2", "I3"]
    assert kept[0]["draw"] == "2026-03" and kept[0]["subject"] == picks[0]
    assert kept[0]["at"] == "2026-03-10T10:00:00+08:00"
    assert [(f["item"], f["deduction"]) for f in kept[0]["findings"]] == [
        ("门前三包: 乱摆乱卖", 2), ("台账不全", 1.5)]
    assert kept[0]["findings"][0]["evidence"] == ["p1.jpg"]
    assert kept[1]["inspectors"] == ["P0001", "P0002"] and kept[1]["findings"] == []
    assert kept[2]["draw"] == "" and kept[2]["findings"][0]["charged_to"] == NEIGHBOUR
    table = run("inspection", "list", ws=ws, check=0).stdout.splitlines()
    assert table[0].split() == ["id", "draw", "subject", "at", "inspectors", "findings",
                                "deduction", "note"]
    assert table[1].split()[:7] == ["I1", "2026-03", picks[0], "2026-03-10T10:00", "P0001",
                                    "2", "3.5"]
    assert table[3].split()[:2] == ["I3", "-"]
    assert table[-1] == "3 inspections"
    # --json: the file and the count.
    more = write_json(tmp_path / "more.json", [
        {"id": "I4", "subject": ELSEWHERE, "at": "2026-04-02T10:00", "inspectors": ["P0001"]}])
    assert run_json("inspection", "record", more, ws=ws) == {"file": str(more), "added": 1}
    assert len(run_json("inspection", "list", ws=ws)) == 4


def test_the_tasks_of_a_draw(inspected, picks):
    tasks = run_json("inspection", "tasks", "2026-03", ws=inspected)
    assert [(t["pick"], t["subject"], t["done"]) for t in tasks] == [
        (0, picks[0], True), (1, picks[1], True), (2, picks[2], False)]
    assert tasks[0]["inspections"] == ["I1"] and tasks[0]["findings"] == 2
    assert tasks[0]["deduction"] == pytest.approx(3.5)
    assert tasks[1]["inspections"] == ["I2"] and tasks[1]["findings"] == 0
    assert tasks[2]["inspections"] == [] and tasks[2]["draw"] == "2026-03"
    table = run("inspection", "tasks", "2026-03", ws=inspected, check=0).stdout.splitlines()
    assert table[0].split() == ["pick", "subject", "name", "done", "inspections", "findings",
                                "deduction"]
    first = table[1].split()
    assert first[:2] == ["0", picks[0]] and first[3:] == ["yes", "I1", "2", "3.5"]
    assert table[3].split()[3:] == ["no", "-", "0", "0"]
    assert table[-1] == "draw 2026-03: 3 tasks, 2 done, 1 to do"
    p = run("inspection", "tasks", "2026-02", ws=inspected, check=3)
    assert "2026-02" in p.stderr


def test_inspection_values(inspected, picks):
    v = values("inspection", "values", picks[0], "2026-03", ws=inspected)
    assert v["inspections"]["value"] == 1 and v["inspections"]["sources"] == ["I1"]
    assert v["inspection_clean"]["value"] == 0
    assert v["inspection_findings"]["value"] == 2
    assert v["inspection_findings"]["sources"] == ["I1#1", "I1#2"]
    assert v["inspection_deduction"]["value"] == pytest.approx(3.5)
    clean = values("inspection", "values", picks[1], "2026-03", ws=inspected)
    assert (clean["inspections"]["value"], clean["inspection_clean"]["value"]) == (1, 1)
    # A township covers its grids; the finding counts for whom it is charged to.
    town = values("inspection", "values", TOWN, "2026-03", ws=inspected)
    assert town["inspections"]["value"] == 2 and town["inspection_findings"]["value"] == 2
    here = values("inspection", "values", ELSEWHERE, "2026-03", ws=inspected)
    assert here["inspections"]["value"] == 1 and here["inspection_findings"]["value"] == 0
    assert here["inspection_clean"]["value"] == 0
    there = values("inspection", "values", NEIGHBOUR, "2026-03", ws=inspected)
    assert there["inspections"]["value"] == 0 and there["inspection_findings"]["value"] == 1
    assert there["inspection_deduction"]["value"] == pytest.approx(1)
    both = values("inspection", "values", ELSEWHERE_TOWN, "2026-Q1", ws=inspected)
    assert (both["inspections"]["value"], both["inspection_deduction"]["value"]) == (1, 1)
    april = values("inspection", "values", picks[0], "2026-04", ws=inspected)
    assert april["inspections"]["value"] == 0
    table = run("inspection", "values", picks[0], "2026-03", ws=inspected,
                check=0).stdout.splitlines()
    assert table[0].split() == ["indicator", "value", "sources"]
    assert "inspection_deduction  3.5" in "\n".join(table)
    p = run("inspection", "values", picks[0], "2026-13", ws=inspected, check=3)
    assert "13" in p.stderr
    run("inspection", "values", picks[0], ws=inspected, check=2)


def test_refused_inspections_leave_the_file_unchanged(inspected, picks, outside, tmp_path):
    good = {"id": "I9", "draw": "2026-03", "subject": picks[2], "at": "2026-03-12T10:00",
            "inspectors": ["P0001"]}

    before = digest(inspected)
    check = file_refuser(inspected, tmp_path, ("inspection", "list"))

    def refused(doc, *messages):
        check(("inspection", "record"), doc, *messages)

    # A grid of the township that the draw did not pick: not a task of the draw.
    refused([good, dict(good, id="I10", subject=outside)], "inspections[1] field 'subject'",
            outside)
    refused([good, dict(good, id="I1")], "inspections[1]", "'id'", "I1")
    refused([good, dict(good, id="I10", draw="2026-02")], "inspections[1]", "'draw'")
    refused([good, dict(good, id="I10", inspectors=["P9999"])], "inspections[1]", "inspectors",
            "P9999")
    refused([good, dict(good, id="I10", findings=[{"item": "x", "deduction": -1}])],
            "inspections[1]", "deduction")
    refused([good, dict(good, id="I10", colour="red")], "inspections[1]", "colour")
    refused([good, dict(good, id="I10", at="2026-03-12 10:00")], "inspections[1]", "'at'")
    refused({"inspections": [good]})
    refused("[{")
    p = run("inspection", "record", tmp_path / "missing.json", ws=inspected, check=3)
    assert "missing.json" in p.stderr
    run("inspection", "record", ws=inspected, check=2)
    assert digest(inspected) == before
    # The good one alone is recorded, and its task is done.
    run("inspection", "record", write_json(tmp_path / "ok.json", [good]), ws=inspected, check=0)
    assert all(t["done"] for t in run_json("inspection", "tasks", "2026-03", ws=inspected))


# ---- promises ------------------------------------------------------------------------------

def test_promises_and_ratings_are_recorded(ws, numbers, tmp_path):
    path = write_json(tmp_path / "promises.json", promises(numbers))
    p = run("promise", "record", path, ws=ws, check=0)
    assert p.stdout == f"recorded {path}: 5 promises\n"
    ratings = write_json(tmp_path / "ratings.json", RATINGS)
    assert run_json("promise", "rate", ratings, ws=ws) == {"file": str(ratings), "added": 3}

    rows = run_json("promise", "list", "--at", "2026-04-01T00:00", ws=ws)
    assert [(r["id"], r["state"]) for r in rows] == [
        ("PR1", "kept"), ("PR2", "late"), ("PR3", "overdue"), ("PR4", "open"),
        ("PR5", "voided")]
    first = rows[0]
    assert first["case"] == numbers["kept"] and first["what"] == "三日内清运暴露垃圾"
    assert first["by"] == "2026-03-05" and first["team"] == TEAM
    assert first["place"] == GRID and first["category"] == "E0102"
    assert first["case_state"] == "closed"
    assert first["closed_at"].startswith("2026-03-04T10:00")
    assert (first["citizen_score"], first["team_score"]) == (90, 95)
    assert rows[1]["place"] == OTHER_GRID and rows[1]["citizen_score"] == 70
    assert rows[1]["team_score"] is None and rows[2]["closed_at"] is None
    # Read earlier: the late matter was still open and not yet rated.
    early = run_json("promise", "list", "--at", "2026-03-08T00:00", ws=ws)
    assert [r["state"] for r in early[:3]] == ["kept", "open", "open"]
    assert early[1]["citizen_score"] is None

    table = run("promise", "list", "--at", "2026-04-01T00:00", ws=ws, check=0).stdout
    lines = table.splitlines()
    assert lines[0].split() == ["id", "case", "what", "by", "place", "team", "state", "case",
                                "state", "closed", "citizen", "self"]
    assert lines[1].split() == ["PR1", numbers["kept"], "三日内清运暴露垃圾", "2026-03-05", GRID,
                                TEAM, "kept", "closed", "2026-03-04T10:00", "90", "95"]
    assert lines[-1] == "5 promises: 1 kept, 1 late, 1 overdue, 1 open, 1 voided"
    p = run("promise", "list", "--at", "2026-03-32T00:00", ws=ws, check=3)
    assert "--at" in p.stderr


def test_the_monthly_board(promised, tmp_path):
    board = run_json("promise", "board", "2026-03", ws=promised)
    assert board["month"] == "2026-03" and board["place"] == ""
    assert "网格服务办事进度表" in board["title"] and "2026-03" in board["title"]
    assert [r["id"] for r in board["rows"]] == ["PR1", "PR2", "PR3", "PR4", "PR5"]
    assert (board["kept"], board["late"], board["overdue"], board["open"]) == (1, 1, 1, 1)
    assert board["citizen_mean"] == pytest.approx(80)
    assert board["team_mean"] == pytest.approx(95)
    grid = run_json("promise", "board", "2026-03", "--place", OTHER_GRID, ws=promised)
    assert [r["id"] for r in grid["rows"]] == ["PR2", "PR5"] and grid["place"] == OTHER_GRID
    assert grid["citizen_mean"] == pytest.approx(70) and grid["team_mean"] is None
    # Read on 03-12: the late matter was then overdue.
    then = run_json("promise", "board", "2026-03", "--at", "2026-03-12T00:00", ws=promised)
    assert {r["id"]: r["state"] for r in then["rows"]}["PR2"] == "overdue"
    # April lists what had not closed before it began.
    april = run_json("promise", "board", "2026-04", ws=promised)
    assert [r["id"] for r in april["rows"]] == ["PR3", "PR4"]

    table = run("promise", "board", "2026-03", ws=promised, check=0).stdout.splitlines()
    assert table[0] == board["title"]
    assert table[1].split() == ["id", "case", "what", "by", "state", "closed", "citizen", "self"]
    assert table[-1] == ("5 matters: 1 kept, 1 late, 1 overdue, 1 open; citizen mean 80, "
                         "self mean 95")

    page = tmp_path / "board.html"
    p = run("promise", "board", "2026-03", "--html", page, ws=promised, check=0)
    assert p.stdout == "" and p.stderr == f"wrote {page}\n"
    html = page.read_text(encoding="utf-8")
    assert "<html" in html.lower() and board["title"] in html
    assert "三日内清运暴露垃圾" in html and 'class="overdue"' in html
    # Written through a temporary file renamed over it: nothing else is left behind.
    assert [x.name for x in tmp_path.iterdir() if "board" in x.name] == ["board.html"]
    assert run("promise", "board", "2026-03", "--html", "-", ws=promised, check=0).stdout == \
        html

    before = digest(promised)
    p = run("promise", "board", "2026-03", "--place", "371338999", ws=promised, check=3)
    assert "--place" in p.stderr and "371338999" in p.stderr
    run("promise", "board", "2026-Q1", ws=promised, check=3)
    run("promise", "board", ws=promised, check=2)
    assert not (tmp_path / "none.html").exists()
    run("promise", "board", "2026-Q1", "--html", tmp_path / "none.html", ws=promised, check=3)
    assert not (tmp_path / "none.html").exists()
    assert digest(promised) == before


def test_promise_values(promised):
    grid = values("promise", "values", GRID, "2026-03", ws=promised)
    assert grid["promises"]["value"] == 3
    assert sorted(grid["promises"]["sources"]) == ["PR1", "PR3", "PR4"]
    assert (grid["promises_kept"]["value"], grid["promises_late"]["value"],
            grid["promises_overdue"]["value"]) == (1, 0, 1)
    assert grid["promise_kept_rate"]["value"] == pytest.approx(50)
    assert grid["promise_citizen_mean"]["value"] == pytest.approx(90)
    assert grid["promise_team_mean"]["value"] == pytest.approx(95)
    village = values("promise", "values", VILLAGE, "2026-03", ws=promised)
    assert village["promises"]["value"] == 5
    assert village["promise_kept_rate"]["value"] == pytest.approx(100 / 3)
    assert village["promise_citizen_mean"]["value"] == pytest.approx(80)
    team = values("promise", "values", TEAM, "2026-03", ws=promised)
    assert team["promises"]["value"] == 2 and team["promise_kept_rate"]["value"] == 50
    other = values("promise", "values", OTHER_GRID, "2026-03", ws=promised)
    assert other["promise_team_mean"]["value"] is None
    assert other["promise_team_mean"]["reason"] != ""
    assert values("promise", "values", GRID, "2026-04", ws=promised)["promises"]["value"] == 0
    table = run("promise", "values", GRID, "2026-03", ws=promised, check=0).stdout
    assert "promise_kept_rate" in table and "50" in table
    line = next(x for x in run("promise", "values", OTHER_GRID, "2026-03", ws=promised,
                               check=0).stdout.splitlines() if x.startswith("promise_team_mean"))
    assert line.split()[1] == "-" and "(" in line
    run("promise", "values", GRID, "March", ws=promised, check=3)


def test_refused_promises_and_ratings_leave_the_file_unchanged(promised, numbers, tmp_path):
    good = {"id": "PR9", "case": numbers["overdue"], "what": "再次承诺", "by": "2026-03-31",
            "at": "2026-03-20T10:00"}

    before = digest(promised)
    check = file_refuser(promised, tmp_path, ("promise", "list", "--at", "2026-04-01T00:00"))

    def refused(command, doc, *messages):
        check(("promise", command), doc, *messages)

    # A promise made after its matter closed (the kept one closed on 03-04).
    refused("record", [good, dict(good, id="PR10", case=numbers["kept"],
                                  at="2026-03-05T10:00", by="2026-03-06")],
            "promises[1] field 'at'", "closed")
    refused("record", [good, dict(good, id="PR1")], "promises[1]", "PR1")
    refused("record", [good, dict(good, id="PR10", case="2026-999999")], "promises[1]",
            "2026-999999")
    refused("record", [good, dict(good, id="PR10", by="2026-03-19")], "promises[1]")
    refused("record", [good, dict(good, id="PR10", team="T-NONE")], "promises[1]", "T-NONE")
    refused("record", [good, dict(good, id="PR10", place="371338999")], "promises[1]")
    refused("record", [good, dict(good, id="PR10", what="")], "promises[1]", "what")
    refused("record", [good, dict(good, id="PR10", colour="red")], "promises[1]", "colour")
    refused("record", "[{")
    ok = {"promise": "PR3", "by": "citizen", "score": 60, "at": "2026-03-25T10:00"}
    refused("rate", [ok, dict(ok, promise="PR1")], "ratings[1]")
    refused("rate", [ok, dict(ok, promise="PR99")], "ratings[1]", "PR99")
    refused("rate", [ok, dict(ok, promise="PR4", score=101)], "ratings[1]", "score")
    refused("rate", [ok, dict(ok, promise="PR4", by="mayor")], "ratings[1]", "by")
    refused("rate", [ok, dict(ok, promise="PR4", at="2026-03-20T10:00")], "ratings[1]")
    run("promise", "rate", ws=promised, check=2)
    assert digest(promised) == before
    # The good ones alone are recorded.
    run("promise", "record", write_json(tmp_path / "ok.json", [good]), ws=promised, check=0)
    run("promise", "rate", write_json(tmp_path / "ok_ratings.json", [ok]), ws=promised, check=0)
    rows = run_json("promise", "list", "--at", "2026-04-01T00:00", ws=promised)
    assert [r["id"] for r in rows][-1] == "PR9"
    assert next(r for r in rows if r["id"] == "PR3")["citizen_score"] == 60


def test_help_lists_the_oversight_commands():
    p = run("--help", check=0)
    assert "oversight:" in p.stdout
    assert "inspection" in p.stdout and "promise" in p.stdout
    for command in ("inspection", "promise"):
        p = run(command, "--help", check=0)
        assert "record" in p.stdout and "values" in p.stdout
    p = run("inspection", "list", check=2)
    assert "no workspace" in p.stderr
