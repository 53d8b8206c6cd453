"""`gridgov hazard ...` driven as a user would, over the sample county (examples/data).

March 2026 in 青石村 (青石镇): the village's monthly fire check (an inspection) finds
hazards, each reported as a case on the built-in hazard_rectification workflow with
`case report --workflow` and taken through `case transition`: one at a house of the first
grid is graded general, ordered, fails its re-check once and is closed by its deadline
(fixed on time); one at a unit is major, escalated a tier and still being rectified after
its deadline (overdue); one at a house of the second grid is closed two days late (fixed
late); one is voided (not a hazard); one found late in the month is open. Hazard entries
recorded from a file give the records, the finding check, grades, deadlines and progress."""

from datetime import datetime, timedelta, timezone

import pytest

from cli_support import (DATA, copy_workspace, digest, file_refuser, needs_cli, run, run_json,
                         write_json)

pytestmark = needs_cli

TOWN = "371338102"            # 青石镇: P0001 is its township grid leader
VILLAGE = "371338102201"      # 青石村: P0002 is its village grid leader
GRID = "371338102201001"      # 青石村第一网格: P0004 is its information officer
OTHER_GRID = "371338102201002"  # 青石村第二网格: P0005 is its information officer
TOWNSHIP_LEADER = "P0001"
VILLAGE_LEADER = "P0002"
OFFICER = "P0004"
OTHER_OFFICER = "P0005"
HAZARD = "G0201"              # 消防安全隐患
CHECK = "FIRE-2026-03"        # the village's monthly fire check


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """The sample county with two houses and a unit in 青石村, the fire check of March and
    the five hazards' cases (no hazard entries yet); tests work on copies."""
    folder = tmp_path_factory.mktemp("hazards")
    ws = folder / "village.gridgov"
    run("init", ws=ws, check=0)
    run("import", DATA / "county.json", "--effective", "2023-09-01", ws=ws, check=0)
    run("import", DATA / "catalogue.json", DATA / "people.csv", DATA / "units.csv",
        DATA / "assignments.csv", DATA / "absences.csv", DATA / "departments.json", ws=ws,
        check=0)
    for key, node, number in (("HS1", GRID, "0001"), ("HS2", OTHER_GRID, "0002")):
        run("records", "add", "--kind", "house", "--key", key, "--node", node, "--field",
            f"house_code={node}{number}", "--field", f"address=青石村{number[-1]}号", "--field",
            "use=自住", ws=ws, check=0)
    run("records", "add", "--kind", "unit", "--key", "U1", "--node", GRID, "--field",
        "name=青石村加油站", "--field", "unit_kind=企业", ws=ws, check=0)
    run("inspection", "record", write_json(folder / "check.json", [
        {"id": CHECK, "subject": VILLAGE, "at": "2026-03-02T08:00",
         "inspectors": [TOWNSHIP_LEADER], "note": "月度消防检查"}]), ws=ws, check=0)

    numbers = {}

    def report(name, grid, actor, at):
        out = run("case", "report", "--category", HAZARD, "--node", grid, "--actor", actor,
                  "--at", at, "--workflow", "hazard_rectification", ws=ws, check=0).stdout
        number, state, workflow = out.split()
        assert (state, workflow) == ("found", "hazard_rectification@1")
        numbers[name] = number

    def fire(name, command, actor, at, *more):
        return run("case", "transition", numbers[name], command, "--actor", actor, "--at", at,
                   *more, ws=ws, check=0).stdout

    # Fixed on time: graded, ordered, re-check failed once, closed on 03-04 (deadline 03-05).
    report("fixed", GRID, OFFICER, "2026-03-02T09:00")
    fire("fixed", "file", VILLAGE_LEADER, "2026-03-02T10:00")
    fire("fixed", "dispatch", VILLAGE_LEADER, "2026-03-02T11:00")
    fire("fixed", "feedback", OFFICER, "2026-03-03T16:00", "--evidence", "rectified-1.jpg")
    fire("fixed", "check_fail", VILLAGE_LEADER, "2026-03-03T17:00", "--reason", "消防通道仍有堆物")
    fire("fixed", "feedback", OFFICER, "2026-03-04T10:00", "--evidence", "rectified-2.jpg")
    assert "checking -> closed" in fire("fixed", "check_pass", VILLAGE_LEADER,
                                        "2026-03-04T15:00")
    # Overdue: major, beyond the grid: escalated one tier, ordered, not fixed by 03-09.
    report("overdue", GRID, OFFICER, "2026-03-02T09:10")
    fire("overdue", "file", VILLAGE_LEADER, "2026-03-02T10:10")
    fire("overdue", "escalate", OFFICER, "2026-03-02T10:30", "--reason", "重大火灾隐患, 报上级")
    fire("overdue", "dispatch", VILLAGE_LEADER, "2026-03-03T09:00")
    # Fixed late: the second grid's, closed on 03-12 (deadline 03-10).
    report("late", OTHER_GRID, OTHER_OFFICER, "2026-03-02T14:00")
    fire("late", "file", VILLAGE_LEADER, "2026-03-02T15:00")
    fire("late", "dispatch", VILLAGE_LEADER, "2026-03-02T15:30")
    fire("late", "feedback", OTHER_OFFICER, "2026-03-12T09:00", "--evidence", "wires.jpg")
    fire("late", "check_pass", VILLAGE_LEADER, "2026-03-12T10:00")
    # Not a hazard after all.
    report("voided", OTHER_GRID, OTHER_OFFICER, "2026-03-03T09:00")
    assert "found -> voided" in fire("voided", "void", VILLAGE_LEADER, "2026-03-03T10:00",
                                     "--reason", "不构成隐患")
    # Found late in the month: graded, its deadline in April.
    report("open", GRID, OFFICER, "2026-03-25T09:00")
    fire("open", "file", VILLAGE_LEADER, "2026-03-25T10:00")
    return ws, numbers


@pytest.fixture
def ws(village, tmp_path):
    return copy_workspace(village[0], tmp_path / "ws.gridgov")


@pytest.fixture
def numbers(village):
    return village[1]


def entries(numbers):
    n = numbers
    return [
        {"id": "E1", "case": n["fixed"], "at": "2026-03-02T10:00", "person": VILLAGE_LEADER,
         "record": "HS1", "found_by": CHECK, "grade": "general", "deadline": "2026-03-05"},
        {"id": "E2", "case": n["fixed"], "at": "2026-03-03T12:00", "person": OFFICER,
         "progress": 50, "evidence": ["half.jpg"], "note": "堆物清走一半"},
        {"id": "E3", "case": n["overdue"], "at": "2026-03-02T10:10", "person": VILLAGE_LEADER,
         "record": "U1", "found_by": CHECK, "grade": "重大", "deadline": "2026-03-09"},
        {"id": "E4", "case": n["overdue"], "at": "2026-03-10T12:00", "person": TOWNSHIP_LEADER,
         "progress": 30},
        {"id": "E5", "case": n["late"], "at": "2026-03-02T15:00", "person": VILLAGE_LEADER,
         "record": "HS2", "grade": "larger", "deadline": "2026-03-10"},
        {"id": "E6", "case": n["voided"], "at": "2026-03-03T09:30", "person": OTHER_OFFICER},
        {"id": "E7", "case": n["open"], "at": "2026-03-25T10:00", "person": VILLAGE_LEADER,
         "grade": "一般", "deadline": "2026-04-10", "progress": 10},
    ]


@pytest.fixture
def recorded(ws, numbers, tmp_path):
    run("hazard", "record", write_json(tmp_path / "hazards.json", entries(numbers)), ws=ws,
        check=0)
    return ws


def test_the_workflow_keeps_its_rules(ws, numbers):
    """The hazards' cases are on hazard_rectification: its states, its tiers, its refusals."""
    shown = run_json("case", "show", numbers["overdue"], ws=ws)
    assert shown["workflow"] == "hazard_rectification@1"
    assert shown["state"] == "rectifying" and shown["tier"] == 1
    assert run_json("case", "show", numbers["fixed"], ws=ws)["state"] == "closed"
    assert run_json("case", "show", numbers["voided"], ws=ws)["state"] == "voided"
    # The rectification is reported done with evidence only, and nothing changes without.
    before = digest(ws)
    p = run("case", "transition", numbers["overdue"], "feedback", "--actor", OFFICER, "--at",
            "2026-03-20T09:00", ws=ws)
    assert p.returncode == 3 and "evidence" in p.stderr, p.stderr
    assert digest(ws) == before


def test_entries_are_recorded_and_listed(ws, numbers, tmp_path):
    assert run("hazard", "entries", ws=ws, check=0).stdout == "0 hazard entries\n"
    assert run_json("hazard", "entries", ws=ws) == []
    path = write_json(tmp_path / "hazards.json", entries(numbers))
    p = run("hazard", "record", path, ws=ws, check=0)
    assert p.stdout == f"recorded {path}: 7 hazard entries\n"

    kept = run_json("hazard", "entries", ws=ws)
    assert [e["id"] for e in kept] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]
    first = kept[0]
    assert first["case"] == numbers["fixed"] and first["at"] == "2026-03-02T10:00:00+08:00"
    assert (first["person"], first["record"], first["found_by"]) == (VILLAGE_LEADER, "HS1",
                                                                     CHECK)
    assert (first["grade"], first["deadline"], first["progress"]) == ("general", "2026-03-05",
                                                                      None)
    assert kept[1]["progress"] == 50 and kept[1]["evidence"] == ["half.jpg"]
    assert kept[1]["grade"] is None and kept[1]["record"] == ""
    assert kept[2]["grade"] == "major"      # 重大
    assert kept[6]["grade"] == "general"    # 一般
    assert kept[6]["deadline"] == "2026-04-10" and kept[6]["progress"] == 10

    table = run("hazard", "entries", ws=ws, check=0).stdout.splitlines()
    assert table[0].split() == ["id", "case", "at", "person", "record", "found", "by", "grade",
                                "deadline", "progress", "evidence", "note"]
    assert table[1].split() == ["E1", numbers["fixed"], "2026-03-02T10:00", VILLAGE_LEADER,
                                "HS1", CHECK, "general", "2026-03-05", "-", "-"]
    assert table[2].split() == ["E2", numbers["fixed"], "2026-03-03T12:00", OFFICER, "-", "-",
                                "-", "-", "50%", "half.jpg", "堆物清走一半"]
    assert table[-1] == "7 hazard entries"

    # --json: the file and the count; a later entry adds to the hazard.
    more = write_json(tmp_path / "more.json", [
        {"id": "E8", "case": numbers["overdue"], "at": "2026-03-20T09:00", "person": OFFICER,
         "progress": 60, "deadline": "2026-03-27"}])
    assert run_json("hazard", "record", more, ws=ws) == {"file": str(more), "added": 1}
    assert len(run_json("hazard", "entries", ws=ws)) == 8
    overdue = next(h for h in run_json("hazard", "list", "--at", "2026-03-21T00:00", ws=ws)
                   if h["case"] == numbers["overdue"])
    assert (overdue["progress"], overdue["deadline"], overdue["status"]) == (60, "2026-03-27",
                                                                            "open")
    assert overdue["entries"] == ["E3", "E4", "E8"]


def test_the_hazards_read_at_an_instant(recorded, numbers):
    n = numbers
    hazards = run_json("hazard", "list", "--at", "2026-04-01T00:00", ws=recorded)
    assert [(h["case"], h["status"]) for h in hazards] == [
        (n["fixed"], "fixed_on_time"), (n["overdue"], "overdue"), (n["late"], "fixed_late"),
        (n["voided"], "voided"), (n["open"], "open")]
    fixed, overdue, late, voided, still_open = hazards
    assert fixed["progress"] == 100 and fixed["record"] == "HS1" and fixed["found_by"] == CHECK
    assert fixed["node"] == GRID and fixed["category"] == HAZARD
    assert fixed["case_state"] == "closed" and fixed["closed_at"].startswith("2026-03-04T15:00")
    assert fixed["entries"] == ["E1", "E2"] and fixed["tier"] == 0
    assert (overdue["grade"], overdue["tier"], overdue["progress"]) == ("major", 1, 30)
    assert overdue["record"] == "U1" and overdue["closed_at"] is None
    assert overdue["case_state"] == "rectifying"
    assert late["node"] == OTHER_GRID and late["grade"] == "larger"
    assert late["closed_at"].startswith("2026-03-12T10:00")
    assert voided["grade"] is None and voided["case_state"] == "voided"
    assert still_open["reported_at"] == "2026-03-25T09:00:00+08:00"
    assert still_open["progress"] == 10

    # On 03-03 at 13:00: the first half done, the entries of the 10th and 25th not yet seen.
    early = run_json("hazard", "list", "--at", "2026-03-03T13:00", ws=recorded)
    assert [(h["case"], h["status"], h["progress"]) for h in early] == [
        (n["fixed"], "open", 50), (n["overdue"], "open", 0), (n["late"], "open", 0),
        (n["voided"], "voided", 0)]
    # Before the first entry of the voided one: not yet seen as a hazard.
    assert [h["case"] for h in run_json("hazard", "list", "--at", "2026-03-03T09:00",
                                        ws=recorded)] == [n["fixed"], n["overdue"], n["late"]]
    # On the 11th: the second grid's hazard is past its deadline of the 10th.
    eleventh = run_json("hazard", "list", "--at", "2026-03-11T00:00", ws=recorded)
    assert {h["case"]: h["status"] for h in eleventh} == {
        n["fixed"]: "fixed_on_time", n["overdue"]: "overdue", n["late"]: "overdue",
        n["voided"]: "voided"}

    table = run("hazard", "list", "--at", "2026-04-01T00:00", ws=recorded,
                check=0).stdout.splitlines()
    assert table[0].split() == ["case", "node", "grade", "deadline", "progress", "status",
                                "tier", "record"]
    assert table[1].split() == [n["fixed"], GRID, "general", "2026-03-05", "100%",
                                "fixed_on_time", "0", "HS1"]
    assert table[2].split() == [n["overdue"], GRID, "major", "2026-03-09", "30%", "overdue",
                                "1", "U1"]
    assert table[4].split() == [n["voided"], OTHER_GRID, "-", "-", "0%", "voided", "0", "-"]
    assert table[-1] == ("5 hazards: 1 fixed on time, 1 fixed late, 1 overdue, 1 open, "
                         "1 voided")
    # Without --at: read now; once April's deadline has passed the open one is overdue.
    now = run("hazard", "list", ws=recorded, check=0).stdout.splitlines()
    if datetime.now(timezone.utc) >= datetime(2026, 4, 11, tzinfo=timezone(timedelta(hours=8))):
        assert now[-1] == ("5 hazards: 1 fixed on time, 1 fixed late, 2 overdue, 0 open, "
                           "1 voided")
    assert run("hazard", "list", "--at", "2026-03-32T00:00", ws=recorded, check=3).stderr \
        .count("--at") == 1


def test_hazard_values(recorded, numbers):
    n = numbers
    v = run_json("hazard", "values", VILLAGE, "2026-03", ws=recorded)
    # The voided case is not a hazard.
    assert v["hazards"]["value"] == 4
    assert v["hazards"]["sources"] == [n["fixed"], n["overdue"], n["late"], n["open"]]
    assert (v["hazards_general"]["value"], v["hazards_larger"]["value"],
            v["hazards_major"]["value"], v["hazards_ungraded"]["value"]) == (2, 1, 1, 0)
    assert (v["hazards_fixed"]["value"], v["hazards_fixed_on_time"]["value"],
            v["hazards_overdue"]["value"], v["hazards_open"]["value"]) == (2, 1, 1, 1)
    assert v["hazard_fix_rate"]["value"] == pytest.approx(50)
    assert v["hazard_on_time_rate"]["value"] == pytest.approx(100 / 3)
    assert v["hazard_progress"]["value"] == pytest.approx((100 + 30 + 100 + 10) / 4)
    grid = run_json("hazard", "values", GRID, "2026-03", ws=recorded)
    assert grid["hazards"]["value"] == 3
    assert grid["hazard_fix_rate"]["value"] == pytest.approx(100 / 3)
    assert grid["hazard_on_time_rate"]["value"] == pytest.approx(50)
    # A record key: the hazards of that house or unit.
    house = run_json("hazard", "values", "HS1", "2026-03", ws=recorded)
    assert house["hazards"]["value"] == 1 and house["hazards"]["sources"] == [n["fixed"]]
    assert house["hazards_fixed_on_time"]["value"] == 1
    assert house["hazard_fix_rate"]["value"] == pytest.approx(100)
    unit = run_json("hazard", "values", "U1", "2026-03", ws=recorded)
    assert (unit["hazards_major"]["value"], unit["hazards_overdue"]["value"]) == (1, 1)
    assert unit["hazard_fix_rate"]["value"] == 0
    other = run_json("hazard", "values", "HS2", "2026-Q1", ws=recorded)
    assert other["hazards_fixed"]["value"] == 1 and other["hazard_on_time_rate"]["value"] == 0
    # Read at the end of the period: in April the March hazards are not counted.
    april = run_json("hazard", "values", VILLAGE, "2026-04", ws=recorded)
    assert april["hazards"]["value"] == 0
    assert april["hazard_fix_rate"]["value"] is None and april["hazard_fix_rate"]["reason"]
    # The table: indicator, value, sources (the reason when undefined).
    table = run("hazard", "values", VILLAGE, "2026-03", ws=recorded, check=0).stdout
    lines = table.splitlines()
    assert lines[0].split() == ["indicator", "value", "sources"]
    assert next(x for x in lines if x.startswith("hazard_fix_rate ")).split() == [
        "hazard_fix_rate", "50", n["fixed"], n["late"]]
    undefined = next(x for x in run("hazard", "values", VILLAGE, "2026-04", ws=recorded,
                                    check=0).stdout.splitlines()
                     if x.startswith("hazard_fix_rate "))
    assert undefined.split()[1] == "-" and "(" in undefined
    run("hazard", "values", VILLAGE, "March", ws=recorded, check=3)
    run("hazard", "values", VILLAGE, ws=recorded, check=2)


def test_refused_entries_leave_the_file_unchanged(recorded, numbers, tmp_path):
    n = numbers
    good = {"id": "E9", "case": n["overdue"], "at": "2026-03-20T09:00", "person": OFFICER,
            "progress": 60}

    before = digest(recorded)
    check = file_refuser(recorded, tmp_path, ("hazard", "entries"))

    def refused(doc, *messages):
        check(("hazard", "record"), doc, *messages)

    # A hazard on a record that does not exist.
    refused([good, dict(good, id="E10", record="HS9")], "hazards[1] field 'record'", "HS9")
    # A record other than the one the hazard belongs to (U1).
    refused([good, dict(good, id="E10", record="HS1")], "hazards[1] field 'record'", "U1")
    refused([good, dict(good, id="E10", progress=120)], "hazards[1] field 'progress'", "120")
    refused([good, dict(good, id="E10", found_by="FIRE-2026-02")],
            "hazards[1] field 'found_by'", "FIRE-2026-02")
    refused([good, dict(good, id="E10", deadline="2026-03-19")], "hazards[1] field 'deadline'")
    refused([good, dict(good, id="E10", case=n["fixed"])], "hazards[1] field 'at'", "closed")
    refused([good, dict(good, id="E10", at="2026-03-02T09:00")], "hazards[1] field 'at'")
    refused([good, dict(good, id="E10", case="2026-999999")], "hazards[1] field 'case'",
            "2026-999999")
    refused([good, dict(good, id="E10", person="P9999")], "hazards[1] field 'person'",
            "P9999")
    refused([good, dict(good, id="E1")], "hazards[1] field 'id'", "E1")
    refused([good, dict(good)], "hazards[1] field 'id'", "E9")
    refused([good, dict(good, id="E10", grade="huge")], "hazards[1] field 'grade'")
    refused([good, dict(good, id="E10", colour="red")], "hazards[1]", "colour")
    refused([good, dict(good, id="E10", at="2026-03-20 09:00")], "hazards[1] field 'at'")
    refused({"hazards": [good]})
    refused("[{")
    p = run("hazard", "record", tmp_path / "missing.json", ws=recorded, check=3)
    assert "missing.json" in p.stderr
    run("hazard", "record", ws=recorded, check=2)
    assert digest(recorded) == before
    # The good one alone is recorded.
    run("hazard", "record", write_json(tmp_path / "ok.json", [good]), ws=recorded, check=0)
    assert [e["id"] for e in run_json("hazard", "entries", ws=recorded)][-1] == "E9"
    hazards = run_json("hazard", "list", "--at", "2026-04-01T00:00", ws=recorded)
    assert next(h for h in hazards if h["case"] == n["overdue"])["progress"] == 60


def test_help_lists_the_hazard_commands():
    p = run("--help", check=0)
    oversight = p.stdout[p.stdout.index("\noversight:"):]
    assert "  hazard " in oversight
    p = run("hazard", "--help", check=0)
    for command in ("record", "entries", "list", "values"):
        assert f"  {command} " in p.stdout
    run("hazard", check=2)
    p = run("hazard", "entries", check=2)
    assert "no workspace" in p.stderr
