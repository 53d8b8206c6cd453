"""The gridgov command-line tool, driven as a user would: the real binary over temporary
workspace files built from the sample county (examples/data).

GRIDGOV_CLI names the binary and GRIDGOV_EXAMPLES_DATA the sample county's folder
(tests/CMakeLists.txt sets both)."""

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from cli_support import CLI, DATA, copy_workspace, digest, needs_cli, run

pytestmark = needs_cli

GRID = "371338102201001"      # 青石村第一网格: P0004 is its information officer (post A)
OTHER_GRID = "371338102201002"
OFFICER = "P0004"
VILLAGE_LEADER = "P0002"      # village grid leader of 青石村





@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample county imported once; tests work on copies."""
    ws = tmp_path_factory.mktemp("county") / "county.gridgov"
    run("init", ws=ws, check=0)
    run("import", DATA / "county.json", "--effective", "2023-09-01", ws=ws, check=0)
    out = run("import", DATA / "catalogue.json", DATA / "people.csv", DATA / "units.csv",
              DATA / "assignments.csv", DATA / "absences.csv", DATA / "departments.json",
              ws=ws, check=0).stdout
    assert "people.csv (people): 204 people" in out
    assert "departments.json (departments)" in out
    return ws


@pytest.fixture
def ws(county, tmp_path):
    return copy_workspace(county, tmp_path / "ws.gridgov")


def report(ws, at="2026-03-02T09:00", grid=GRID, category="E0102", actor=OFFICER):
    out = run("case", "report", "--category", category, "--node", grid, "--actor", actor,
              "--at", at, ws=ws, check=0).stdout
    return out.split()[0]


def case_count(ws):
    return len(json.loads(run("--json", "case", "list", "--at", "2026-03-02T09:00", ws=ws,
                              check=0).stdout))


# ---- init and import ----------------------------------------------------------------------

def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    ws = tmp_path / "a.gridgov"
    out = run("init", ws=ws, check=0).stdout
    assert "created" in out
    run("import", DATA / "county.csv", ws=ws, check=0)
    before = digest(ws)
    p = run("init", ws=ws, check=3)
    assert "exists already" in p.stderr and "--force" in p.stderr
    assert digest(ws) == before
    run("init", "--force", ws=ws, check=0)
    hierarchy = json.loads(run("export", "hierarchy", ws=ws, check=0).stdout)
    assert hierarchy.get("nodes", []) == []


def test_import_counts_and_json(tmp_path):
    ws = tmp_path / "a.gridgov"
    run("init", ws=ws, check=0)
    result = json.loads(run("--json", "import", DATA / "county.json", ws=ws, check=0).stdout)
    assert result[0]["kind"] == "hierarchy"
    assert result[0]["nodes"] > 65
    assert result[0]["overlays"] == 2


def test_missing_workspace_and_usage_errors(tmp_path):
    p = run("validate", ws=tmp_path / "none.gridgov", check=3)
    assert "no workspace file" in p.stderr and "init" in p.stderr
    assert not (tmp_path / "none.gridgov").exists()
    assert run("validate", check=2).returncode == 2
    assert run("frobnicate", ws=tmp_path / "x.gridgov").returncode == 2
    assert run("case", "report", "--node", GRID, ws=tmp_path / "x.gridgov").returncode == 2
    assert run("--help").returncode == 0


def test_bad_hierarchy_file_leaves_the_workspace_unchanged(ws, tmp_path):
    bad = tmp_path / "more.csv"
    bad.write_text("code,parent_code,level,name,households\n"
                   "371338102201009,371338102201,grid,新网格,120\n"
                   "371338102201010,371338102299,grid,孤儿网格,130\n", encoding="utf-8")
    before = digest(ws)
    exported = run("export", "hierarchy", "--format", "csv", ws=ws, check=0).stdout
    p = run("import", bad, ws=ws, check=3)
    assert str(bad) in p.stderr
    assert "371338102299" in p.stderr
    assert digest(ws) == before
    assert run("export", "hierarchy", "--format", "csv", ws=ws, check=0).stdout == exported


def test_bad_directory_row_names_row_and_field(ws, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("id,name,phone,id_number\nP0900,甲,13800000000,\n"
                   "P0901,乙,13800000001,371338198305091431\n", encoding="utf-8")
    before = digest(ws)
    p = run("import", bad, ws=ws, check=3)
    assert "people.csv" in p.stderr and "id_number" in p.stderr
    assert digest(ws) == before


def test_text_that_is_not_utf8_or_holds_controls_is_refused(ws, tmp_path):
    before = digest(ws)
    gbk = tmp_path / "people.csv"
    gbk.write_bytes("id,name\nP0900,".encode() + "甲乙".encode("gbk") + b"\n")
    p = run("import", gbk, ws=ws, check=3)
    assert "people.csv row 2 field 'name': not UTF-8" in p.stderr
    nul = tmp_path / "more_people.csv"
    nul.write_bytes("id,name\nP0900,甲\0乙\n".encode())
    p = run("import", nul, "--kind", "people", ws=ws, check=3)
    assert "field 'name': control character U+0000" in p.stderr
    absences = tmp_path / "absences.csv"
    absences.write_bytes(f"person,from,reason\n{OFFICER},2026-03-02,病\x01假\n".encode())
    p = run("import", absences, ws=ws, check=3)
    assert "absences.csv row 2 field 'reason': control character U+0001" in p.stderr
    assert digest(ws) == before
    # Nothing was stored that the export would trip over.
    assert "甲" not in run("export", "directory", ws=ws, check=0).stdout

    number = report(ws)
    p = run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
            "2026-03-02T10:00", "--evidence", "photo-1.jpg", "--note", "已处理\x1b", ws=ws,
            check=3)
    assert "self_handle: field 'note': control character U+001B" in p.stderr
    # An argument that is not UTF-8 is refused before anything runs, naming the option.
    cmd = [CLI, "-w", str(ws), "case", "transition", number, "self_handle", "--actor", OFFICER,
           "--at", "2026-03-02T10:00", "--evidence", "photo-1.jpg", "--note", b"\xff\xfe"]
    p = subprocess.run(cmd, capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert p.returncode == 3
    assert b"(the value of --note): not UTF-8 text" in p.stderr
    # A note may span lines; it is shown back whole.
    run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
        "2026-03-02T10:00", "--evidence", "photo-1.jpg", "--note", "已处理\n井盖已更换", ws=ws,
        check=0)
    detail = json.loads(run("--json", "case", "show", number, ws=ws, check=0).stdout)
    assert detail["history"][1]["payload"]["note"] == "已处理\n井盖已更换"


def test_activity_records_naming_unknown_grids_or_people_are_refused(ws, tmp_path):
    before = digest(ws)
    households = tmp_path / "households.csv"
    households.write_text(f"id,grid,class,categories\nH1,{GRID},ordinary,\n"
                          "H2,NOT-A-GRID,ordinary,\n", encoding="utf-8")
    p = run("import", households, ws=ws, check=3)
    assert "households.csv, row 3, field grid: no node with code 'NOT-A-GRID'" in p.stderr
    patrols = tmp_path / "patrols.csv"
    patrols.write_text(f"id,person,grid,start,end\nR1,NOBODY,{GRID},2026-03-02T08:30,"
                       "2026-03-02T09:30\n", encoding="utf-8")
    p = run("import", patrols, ws=ws, check=3)
    assert "patrols.csv, row 2, field person: no person 'NOBODY'" in p.stderr
    assert digest(ws) == before


def test_geojson_round_trip_and_open311_by_point(tmp_path):
    src = tmp_path / "village.json"
    square = lambda x0, x1: {"type": "Polygon", "coordinates": [[[x0, 35.0], [x1, 35.0], [x1, 35.2], [x0, 35.2], [x0, 35.0]]]}
    src.write_text(json.dumps({"nodes": [
        {"code": "371338", "name": "苇川县", "level": "county"},
        {"code": "371338102", "parent": "371338", "name": "青石镇", "level": "township"},
        {"code": "371338102201", "parent": "371338102", "name": "青石村", "level": "village"},
        {"code": "371338102201001", "parent": "371338102201", "name": "第一网格", "level": "grid",
         "households": 150, "geometry": square(118.0, 118.2)},
        {"code": "371338102201002", "parent": "371338102201", "name": "第二网格", "level": "grid",
         "households": 140, "geometry": square(118.2, 118.4)},
    ]}, ensure_ascii=False), encoding="utf-8")
    a = tmp_path / "a.gridgov"
    run("init", ws=a, check=0)
    run("import", src, ws=a, check=0)
    geo = tmp_path / "grids.geojson"
    run("export", "hierarchy", "-o", geo, ws=a, check=0)
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["code"] for f in features] == ["371338102201001", "371338102201002"]

    # GeoJSON carries only the nodes with geometry: import it under the same parents.
    b = tmp_path / "b.gridgov"
    run("init", ws=b, check=0)
    upper = tmp_path / "upper.csv"
    upper.write_text("code,parent_code,level,name\n371338,,county,苇川县\n"
                     "371338102,371338,township,青石镇\n371338102201,371338102,village,青石村\n",
                     encoding="utf-8")
    run("import", upper, ws=b, check=0)
    out = run("import", geo, ws=b, check=0).stdout
    assert "(geojson): 2 nodes" in out
    assert run("export", "hierarchy", "--format", "geojson", ws=b, check=0).stdout == \
        run("export", "hierarchy", "--format", "geojson", ws=a, check=0).stdout

    # An Open311 request located by its point lands in the second grid.
    req = tmp_path / "requests.json"
    req.write_text(json.dumps([{"service_code": "E0102", "lat": 35.1, "long": 118.3,
                                "requested_datetime": "2026-03-02T09:00:00+08:00"}]))
    run("import", "--open311", req, ws=b, check=0)
    cases = json.loads(run("--json", "case", "list", ws=b, check=0).stdout)
    assert [c["node"] for c in cases] == ["371338102201002"]

    # The grids export puts the case's light on its grid.
    grids = json.loads(run("export", "grids", "--at", "2026-03-02T09:30", ws=b, check=0).stdout)
    by_code = {f["properties"]["code"]: f for f in grids["features"]}
    assert by_code["371338102201002"]["properties"]["open"] == 1
    assert by_code["371338102201001"]["properties"]["open"] == 0
    assert by_code["371338102201002"]["geometry"]["type"] == "Polygon"


# ---- validate -------------------------------------------------------------------------------

def test_validate_reports_the_planted_problems(ws):
    p = run("validate", "--date", "2026-09-30", ws=ws, check=1)
    assert "hierarchy." in p.stdout
    assert "errors" in p.stdout.splitlines()[-1]
    findings = json.loads(run("--json", "validate", "--date", "2026-09-30", ws=ws, check=1).stdout)
    rules = {f["rule"] for f in findings}
    assert any(r.startswith("overlay.") for r in rules)
    assert any(f["severity"] == "error" for f in findings)
    assert all(set(f) == {"rule", "severity", "where", "message"} for f in findings)


def test_validate_exits_zero_without_errors(tmp_path):
    ws = tmp_path / "a.gridgov"
    run("init", ws=ws, check=0)
    small = tmp_path / "small.csv"
    small.write_text("code,parent_code,level,name\n371338,,county,苇川县\n", encoding="utf-8")
    run("import", small, ws=ws, check=0)
    out = run("validate", "--date", "2026-03-02", ws=ws, check=0).stdout
    assert out.splitlines()[-1].endswith(" 0 errors")


# ---- cases ----------------------------------------------------------------------------------

def test_case_report_transition_show_list(ws):
    number = report(ws)
    assert number == "2026-000001"
    out = run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
              "2026-03-02T10:00", "--evidence", "photo-1.jpg", ws=ws, check=0).stdout
    assert "reported -> checking" in out
    run("case", "transition", number, "check_pass", "--actor", VILLAGE_LEADER, "--at",
        "2026-03-02T11:00", ws=ws, check=0)

    shown = run("case", "show", number, "--at", "2026-03-02T11:30", ws=ws, check=0).stdout
    assert "evaluating" in shown and "self_handle" in shown and "check_pass" in shown
    detail = json.loads(run("--json", "case", "show", number, ws=ws, check=0).stdout)
    assert [e["type"] for e in detail["history"]] == ["report", "self_handle", "check_pass"]
    assert detail["history"][1]["payload"]["evidence"] == ["photo-1.jpg"]
    assert detail["node"] == GRID and detail["state"] == "evaluating"

    second = report(ws, at="2026-03-03T09:00", grid=OTHER_GRID, actor=VILLAGE_LEADER)
    listed = json.loads(run("--json", "case", "list", "--state", "reported", "--at",
                            "2026-03-03T09:30", ws=ws, check=0).stdout)
    assert [c["number"] for c in listed] == [second]
    assert listed[0]["light"] == "green"
    sub = json.loads(run("--json", "case", "list", "--subtree", OTHER_GRID, ws=ws, check=0).stdout)
    assert [c["number"] for c in sub] == [second]
    counts = json.loads(run("--json", "case", "list", "--count-by", "state", ws=ws, check=0).stdout)
    assert counts == {"evaluating": 1, "reported": 1}
    table = run("case", "list", "--category", "E01", ws=ws, check=0).stdout
    assert number in table and second in table and table.splitlines()[-1] == "2 cases"
    by_node = json.loads(run("--json", "case", "list", "--count-by", "node", "--level", "village",
                             ws=ws, check=0).stdout)
    assert by_node == {"371338102201": 2}
    # A period and chosen fields: the month's rows read as columns.
    march_third = json.loads(run("--json", "case", "list", "--from", "2026-03-03T00:00",
                                 "--until", "2026-03-04T00:00", "--columns", "number,state,node",
                                 ws=ws, check=0).stdout)
    assert march_third == [{"number": second, "state": "reported", "node": OTHER_GRID}]
    table = run("case", "list", "--until", "2026-03-03T00:00", "--columns", "number,closed_at",
                ws=ws, check=0).stdout.splitlines()
    assert table[0].split() == ["number", "closed_at"]
    assert table[-2].split() == [number, "-"] and table[-1] == "1 cases"
    bad = run("case", "list", "--columns", "number,colour", ws=ws)
    assert bad.returncode == 3 and "--columns: unknown case field 'colour'" in bad.stderr


def test_refused_command_changes_nothing(ws):
    number = report(ws)
    before = digest(ws)
    p = run("case", "transition", number, "close", "--actor", OFFICER, "--at",
            "2026-03-02T10:00", ws=ws, check=5)
    assert number in p.stderr and "reported" in p.stderr
    p = run("case", "transition", number, "self_handle", "--actor", "P0150", "--at",
            "2026-03-02T10:00", "--evidence", "x", ws=ws, check=5)
    assert "P0150" in p.stderr
    p = run("case", "report", "--category", "E0102", "--node", "371338999999999", "--actor",
            OFFICER, "--at", "2026-03-02T09:00", ws=ws, check=3)
    assert "371338999999999" in p.stderr
    assert digest(ws) == before
    assert case_count(ws) == 1


def test_tick_turns_lights_and_records_breaches(ws):
    number = report(ws)
    quiet = json.loads(run("--json", "tick", "--now", "2026-03-02T09:30", ws=ws, check=0).stdout)
    assert quiet["breaches"] == []
    later = json.loads(run("--json", "tick", "--now", "2026-04-01T09:00", ws=ws, check=0).stdout)
    assert len(later["breaches"]) >= 1
    assert any(c["case"] == number and c["to"] == "red" for c in later["lights"])
    # Breaches are events in the log: a second tick at the same instant records none.
    again = json.loads(run("--json", "tick", "--now", "2026-04-01T09:00", ws=ws, check=0).stdout)
    assert again["breaches"] == []
    overdue = json.loads(run("--json", "case", "list", "--overdue", "--at", "2026-04-01T09:00",
                             ws=ws, check=0).stdout)
    assert [c["number"] for c in overdue] == [number] and overdue[0]["breached"]
    red = json.loads(run("--json", "case", "list", "--light", "red", "--at", "2026-04-01T09:00",
                         ws=ws, check=0).stdout)
    assert len(red) == 1


def test_instants_in_every_iso_form_and_bad_ones_name_the_option(ws, tmp_path):
    # JavaScript's toISOString(), an offset without a colon, a negative offset.
    number = report(ws, at="2026-03-02T01:00:00.123Z")
    shown = json.loads(run("--json", "case", "show", number, "--at",
                           "2026-03-02T09:30:00.000+0800", ws=ws, check=0).stdout)
    assert shown["reported_at"] == "2026-03-02T09:00:00+08:00" and shown["light"] == "green"
    tick = json.loads(run("--json", "tick", "--now", "2026-03-01T20:30:59.999-05:00", ws=ws,
                          check=0).stdout)
    assert tick["now"] == "2026-03-02T09:30:59+08:00"

    before = digest(ws)
    form = "(expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH])"
    for args, option, text, why in (
            (["tick"], "--now", "2026-03-02T25:00", ": hour 25 is not 00-23"),
            (["case", "list"], "--at", "2026-03-02 09:00", ": the date and the time are joined"),
            (["case", "show", number], "--at", "2026-03-02T09:00+24:00",
             ": offset +24:00 is beyond ±14:00"),
            (["case", "report", "--category", "E0102", "--node", GRID, "--actor", OFFICER],
             "--at", "2026-02-30T09:00", ": February 2026 has 28 days"),
            (["import", "--open311", tmp_path / "none.json"], "--at", "2026-03-02T09:00:00Zulu",
             "")):
        (tmp_path / "none.json").write_text("[]")
        p = run(*args, option, text, ws=ws, check=3)
        assert f'{option}: "{text}" is not an ISO 8601 instant {form}{why}' in p.stderr, p.stderr
    plans = tmp_path / "plans.csv"
    plans.write_text(PLAN_HEADER +
                     f"2026-000201,0,report,2026-03-02T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n",
                     encoding="utf-8")
    p = run("run", plans, "--tick-until", "2026-03-0209:00", ws=ws, check=3)
    assert '--tick-until: "2026-03-0209:00" is not an ISO 8601 instant' in p.stderr
    bad_plans = tmp_path / "bad_plans.csv"
    bad_plans.write_text(PLAN_HEADER +
                         f"2026-000201,0,report,2026-03-02T9:00,{OFFICER},{GRID},E0102,,,,,,,,,\n",
                         encoding="utf-8")
    p = run("run", bad_plans, ws=ws, check=3)
    assert ("bad_plans.csv row 2 field 'at': \"2026-03-02T9:00\" is not an ISO 8601 instant"
            in p.stderr)
    p = run("import", DATA / "county.json", "--effective", "2026-02-30", ws=ws, check=3)
    assert ('--effective: "2026-02-30" is not an ISO 8601 date (expected YYYY-MM-DD): '
            "February 2026 has 28 days") in p.stderr
    p = run("validate", "--date", "2026-3-1", ws=ws, check=3)
    assert '--date: "2026-3-1" is not an ISO 8601 date' in p.stderr
    assert digest(ws) == before


# ---- the log --------------------------------------------------------------------------------

def test_verify_log_passes_then_catches_tampering(ws, tmp_path):
    number = report(ws)
    run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
        "2026-03-02T10:00", "--evidence", "photo-1.jpg", ws=ws, check=0)
    ok = run("verify-log", "--cases", ws=ws, check=0).stdout
    assert ok.startswith("log ok: 2 events checked")
    head = json.loads(run("--json", "verify-log", ws=ws, check=0).stdout)["head"]
    same = run("verify-log", "--anchor", head, ws=ws, check=0).stdout
    assert "; 0 events after the anchor (unchanged)" in same

    tampered = copy_workspace(ws, tmp_path / "tampered.gridgov")
    db = sqlite3.connect(tampered)
    # The payload column holds the compact form, its free text as it is (docs/cases.md).
    [stored] = db.execute("SELECT payload FROM case_events WHERE seq = 2").fetchone()
    assert b"photo-1" in stored
    db.execute("UPDATE case_events SET payload = ? WHERE seq = 2",
               (stored.replace(b"photo-1", b"photo-2"),))
    db.commit()
    db.close()
    p = run("verify-log", ws=tampered, check=1)
    assert "content_changed" in p.stdout and "event 2" in p.stdout and number in p.stdout
    result = json.loads(run("--json", "verify-log", ws=tampered, check=1).stdout)
    assert result["ok"] is False and result["sequence"] == 2

    # Events appended after the anchor are fine; an anchor the log does not match is not.
    run("case", "report", "--category", "E0102", "--node", GRID, "--actor", OFFICER, "--at",
        "2026-03-03T09:00", ws=ws, check=0)
    grew = run("verify-log", "--anchor", head, ws=ws, check=0).stdout
    assert "; 1 events after the anchor (grew)" in grew
    result = json.loads(run("--json", "verify-log", "--anchor", head, ws=ws, check=0).stdout)
    assert result["events_after_anchor"] == 1
    p = run("verify-log", "--anchor", "2:" + "0" * 64, ws=ws, check=1)
    assert "head_mismatch" in p.stdout or "anchor" in p.stdout
    assert run("verify-log", "--anchor", "2:zz", ws=ws).returncode == 3


def test_a_signed_off_checkpoint_and_routine_checks(ws, tmp_path):
    number = report(ws)
    assert "no checkpoint" in run("log-checkpoints", ws=ws, check=0).stdout
    signed = run("verify-log", "--sign-off", "审计员", "--at", "2026-03-02T18:00", ws=ws,
                 check=0).stdout
    assert signed.startswith("log ok: 1 events checked")
    assert "checkpoint recorded at event 1, signed off by 审计员 at 2026-03-02" in signed
    run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
        "2026-03-02T19:00", "--evidence", "photo-1.jpg", ws=ws, check=0)
    routine = run("verify-log", "--since-checkpoint", ws=ws, check=0).stdout
    assert routine.startswith("log ok: 1 events checked after the checkpoint at event 1")
    listed = json.loads(run("--json", "log-checkpoints", ws=ws, check=0).stdout)
    assert [(c["sequence"], c["signed_by"], c["full"]) for c in listed] == [(1, "审计员", True)]
    again = json.loads(run("--json", "verify-log", "--sign-off", "P01", "--at",
                           "2026-03-03T09:00", ws=ws, check=0).stdout)
    assert again["checked_from"] == 1 and again["checkpoint"]["sequence"] == 2
    assert again["checkpoint"]["full"] is False

    # An edit before the last checkpoint is left to the full check.
    db = sqlite3.connect(ws)
    db.execute("UPDATE case_events SET at = at - 60 WHERE seq = 1")
    db.commit()
    db.close()
    assert run("verify-log", "--since-checkpoint", ws=ws, check=0).stdout.startswith("log ok: 0")
    assert "content_changed" in run("verify-log", ws=ws, check=1).stdout
    # A broken log is not signed off; bad options are usage errors.
    before = digest(ws)
    p = run("verify-log", "--sign-off", "P01", "--full", "--at", "2026-03-04T09:00", ws=ws,
            check=1)
    assert "content_changed" in p.stdout
    assert digest(ws) == before
    assert run("verify-log", "--sign-off", "", ws=ws).returncode == 3
    assert run("verify-log", "--since-checkpoint", "--sign-off", "P01", ws=ws).returncode != 0
    assert run("verify-log", "--full", ws=ws).returncode != 0


# ---- export ---------------------------------------------------------------------------------

def test_export_formats(ws, tmp_path):
    report(ws)
    as_json = json.loads(run("export", "hierarchy", ws=ws, check=0).stdout)
    assert any(n["code"] == GRID for n in as_json["nodes"])
    out = tmp_path / "county.csv"
    run("export", "hierarchy", "-o", out, ws=ws, check=0)
    assert out.read_text(encoding="utf-8").startswith("code,")
    geo = json.loads(run("export", "hierarchy", "--format", "geojson", ws=ws, check=0).stdout)
    assert geo["type"] == "FeatureCollection"

    grids = json.loads(run("export", "grids", "--at", "2026-03-02T09:30", ws=ws, check=0).stdout)
    assert len(grids["features"]) == 65
    props = {f["properties"]["code"]: f["properties"] for f in grids["features"]}
    assert props[GRID]["open"] == 1 and props[GRID]["green"] == 1
    villages = json.loads(run("export", "grids", "--level", "village", ws=ws, check=0).stdout)
    assert all(f["properties"]["level"] == "village" for f in villages["features"])

    services = json.loads(run("export", "services", ws=ws, check=0).stdout)
    assert any(s["service_code"] == "E0102" for s in services)
    requests = json.loads(run("export", "requests", "--jurisdiction", "371338", ws=ws,
                              check=0).stdout)
    assert len(requests) == 1
    r = requests[0]
    assert r["service_request_id"] == "2026-000001" and r["status"] == "open"
    assert r["address_id"] == GRID and r["jurisdiction_id"] == "371338"
    assert r["requested_datetime"] == "2026-03-02T09:00:00+08:00"
    assert "expected_datetime" in r and "lat" not in r

    chart = tmp_path / "chart.html"
    run("export", "chart", "-o", chart, "--at", "2026-09-30", ws=ws, check=0)
    assert "<html" in chart.read_text(encoding="utf-8").lower()
    assert run("export", "hierarchy", "--format", "xml", ws=ws).returncode == 3
    assert run("export", "nothing", ws=ws).returncode == 2


def test_outputs_never_follow_a_planted_link(ws, tmp_path):
    """-o writes through a temporary file of a random name created exclusively: links
    planted at the names older versions used (F.part, F.tmp-report) or any other name
    beside the output are never followed, and nothing is left behind."""
    report(ws)
    out_dir = tmp_path / "shared"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    exported = out_dir / "county.csv"
    page = out_dir / "report.html"
    for planted in (out_dir / "county.csv.part", out_dir / "report.html.tmp-report",
                    out_dir / "report.html.part"):
        planted.symlink_to(victim)
    before = sorted(p.name for p in out_dir.iterdir())
    run("export", "hierarchy", "-o", exported, ws=ws, check=0)
    run("report", "-o", page, "--at", "2026-03-02T10:00", ws=ws, check=0)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert exported.read_text(encoding="utf-8").startswith("code,")
    assert page.read_text(encoding="utf-8").lower().startswith("<!doctype html")
    assert not exported.is_symlink() and not page.is_symlink()
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(before + ["county.csv",
                                                                           "report.html"])
    # A new file gets 0666 less the umask; a replaced one keeps its mode.
    assert exported.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    exported.chmod(0o640)
    run("export", "hierarchy", "-o", exported, ws=ws, check=0)
    assert exported.stat().st_mode & 0o777 == 0o640
    # An output folder that does not exist: a storage error, nothing written anywhere.
    p = run("export", "hierarchy", "-o", tmp_path / "missing" / "x.csv", ws=ws)
    assert p.returncode == 4 and "cannot write" in p.stderr
    assert not (tmp_path / "missing").exists()


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_personal_data_masked_unless_revealed(ws):
    masked = run("export", "directory", ws=ws, check=0).stdout
    revealed = run("--reveal", "export", "directory", ws=ws, check=0).stdout
    assert "15914908838" not in masked and "159****8838" in masked
    assert "371338198305091430" not in masked
    assert "15914908838" in revealed and "371338198305091430" in revealed


# ---- Open311 --------------------------------------------------------------------------------

def test_open311_round_trip(ws, county, tmp_path):
    report(ws)
    report(ws, at="2026-03-03T14:00", grid=OTHER_GRID, actor=VILLAGE_LEADER)
    exported = tmp_path / "requests.json"
    run("export", "requests", "-o", exported, ws=ws, check=0)

    other = copy_workspace(county, tmp_path / "other.gridgov")
    out = run("import", "--open311", exported, ws=other, check=0).stdout
    assert "2 cases" in out
    a = json.loads(run("--json", "case", "list", ws=ws, check=0).stdout)
    b = json.loads(run("--json", "case", "list", ws=other, check=0).stdout)
    assert [(c["category"], c["node"], c["reported_at"]) for c in a] == \
        [(c["category"], c["node"], c["reported_at"]) for c in b]
    assert all(c["source"] == "app" and c["workflow"].startswith("hotline_callback") for c in b)
    run("verify-log", ws=other, check=0)


def test_open311_bad_request_names_index_and_field(ws, tmp_path):
    bad = tmp_path / "requests.json"
    bad.write_text(json.dumps([
        {"service_code": "E0102", "address_id": GRID, "requested_datetime": "2026-03-02T09:00"},
        {"address_id": GRID, "requested_datetime": "2026-03-02T09:00"}]))
    before = digest(ws)
    p = run("import", "--open311", bad, ws=ws, check=3)
    assert "request[1]" in p.stderr and "service_code" in p.stderr and str(bad) in p.stderr
    assert digest(ws) == before
    assert case_count(ws) == 0

    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps([{"service_code": "pothole", "address_id": GRID,
                                    "requested_datetime": "2026-03-02T09:00"}]))
    p = run("import", "--open311", unknown, ws=ws, check=3)
    assert "request[0]" in p.stderr and "pothole" in p.stderr
    run("import", "--open311", unknown, "--map", "pothole=E0102", ws=ws, check=0)
    assert case_count(ws) == 1


# ---- matter plans and activity records -----------------------------------------------------

PLAN_HEADER = ("matter,step,command,at,actor,node,category,source,workflow,reporter,department,"
               "amount,rating,reason,evidence,note\n")


def test_run_matter_plans(ws, tmp_path):
    plans = tmp_path / "march_plans.csv"
    plans.write_text(PLAN_HEADER +
                     f"2026-000101,0,report,2026-03-02T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n"
                     f"2026-000101,1,self_handle,2026-03-02T10:00,{OFFICER},,,,,,,,,,photo.jpg,\n"
                     f"2026-000101,2,check_pass,2026-03-02T11:00,{VILLAGE_LEADER},,,,,,,,,,,\n"
                     f"2026-000102,0,report,2026-03-02T09:30,{OFFICER},{GRID},E0102,,,,,,,,,\n"
                     f"2026-000102,1,close,2026-03-02T10:00,{OFFICER},,,,,,,,,,,\n",
                     encoding="utf-8")
    p = run("run", plans, ws=ws, check=1)
    assert "2 cases_reported" in p.stdout and "1 steps_refused" in p.stdout
    assert "2026-000102 step 1" in p.stdout
    shown = json.loads(run("--json", "case", "show", "2026-000101", ws=ws, check=0).stdout)
    assert shown["state"] == "evaluating"
    assert json.loads(run("--json", "case", "show", "2026-000102", ws=ws,
                          check=0).stdout)["state"] == "reported"
    run("verify-log", ws=ws, check=0)

    # A malformed plan is refused before anything runs.
    bad = tmp_path / "bad_plans.csv"
    bad.write_text(PLAN_HEADER + f"2026-000201,0,report,2026-03-02T09:00,{OFFICER},999,E0102,,,,,,,,,\n",
                   encoding="utf-8")
    before = digest(ws)
    p = run("run", bad, ws=ws, check=3)
    assert "bad_plans.csv row 2 field 'node'" in p.stderr
    assert digest(ws) == before

    # The same file through import, by its name.
    other = tmp_path / "other.gridgov"
    copy_workspace(ws, other)
    again = tmp_path / "april_plans.csv"
    again.write_text(PLAN_HEADER +
                     f"2026-000301,0,report,2026-04-01T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n",
                     encoding="utf-8")
    result = json.loads(run("--json", "import", again, ws=other, check=0).stdout)
    assert result[0]["kind"] == "plans" and result[0]["cases_reported"] == 1


def test_import_activity_records(ws, tmp_path):
    households = tmp_path / "households.csv"
    households.write_text("id,grid,class,categories\n"
                          f"H1,{GRID},ordinary,\nH2,{GRID},special,低保;空巢\n", encoding="utf-8")
    visits = tmp_path / "青石村_visits.csv"
    visits.write_text(f"id,household,person,kind,date\nV1,H1,{OFFICER},home,2026-03-03\n",
                      encoding="utf-8")
    out = run("import", households, visits, ws=ws, check=0).stdout
    assert "households.csv (households): 2 records" in out
    assert "(visits): 1 records" in out

    bad = tmp_path / "more_visits.csv"
    bad.write_text(f"id,household,person,kind,date\nV2,H1,{OFFICER},home,2026-03-04\n"
                   f"V3,H1,{OFFICER},teleport,2026-03-05\n", encoding="utf-8")
    before = digest(ws)
    p = run("import", bad, ws=ws, check=3)
    assert "more_visits.csv" in p.stderr and "kind" in p.stderr
    assert digest(ws) == before


# ---- inspection draws ----------------------------------------------------------------------

def test_draw_is_recorded_reproducible_and_audited(ws, county, tmp_path):
    first = json.loads(run("--json", "draw", "2026-03", "--count", "4", "--seed", "20260301",
                           "--strata-level", "township", ws=ws, check=0).stdout)
    assert len(first["picks"]) == 4 and len(first["candidates"]) == 65
    # One pick per township first: the first two picks lie in different townships.
    assert {p[:9] for p in first["picks"][:2]} == {"371338001", "371338102"}
    # The same seed over the same grids draws the same picks in another workspace.
    other = copy_workspace(county, tmp_path / "other.gridgov")
    again = json.loads(run("--json", "draw", "2026-03", "--count", "4", "--seed", "20260301",
                           "--strata-level", "township", ws=other, check=0).stdout)
    assert again["picks"] == first["picks"]

    later = json.loads(run("--json", "draw", "2026-04", "--count", "3", "--seed", "7",
                           "--subtree", "371338102", "--avoid", "2026-03", ws=ws,
                           check=0).stdout)
    assert all(p.startswith("371338102") for p in later["picks"])
    assert not set(later["picks"]) & set(first["picks"])

    before = digest(ws)
    p = run("draw", "2026-03", "--count", "4", "--seed", "1", ws=ws, check=3)
    assert "2026-03" in p.stderr and "already recorded" in p.stderr
    assert run("draw", "2026-05", "--count", "4", ws=ws, check=3).stderr.count("--seed") == 1
    assert digest(ws) == before

    listed = run("draw", "--list", ws=ws, check=0).stdout
    assert "2026-03" in listed and "2026-04" in listed and listed.splitlines()[-1] == "2 draws"

    # A recorded draw whose picks were edited no longer re-runs: --list exits 1.
    db = sqlite3.connect(ws)
    record = json.loads(db.execute("SELECT record FROM assessment_draws WHERE label = '2026-03'")
                        .fetchone()[0])
    record["picks"] = list(reversed(record["picks"]))
    db.execute("UPDATE assessment_draws SET record = ? WHERE label = '2026-03'",
               (json.dumps(record),))
    db.commit()
    db.close()
    p = run("draw", "--list", ws=ws, check=1)
    assert "2026-03  20260301  NO" in p.stdout and "do not re-run" in p.stdout
    listed = json.loads(run("--json", "draw", "--list", ws=ws, check=1).stdout)
    assert [d["verified"] for d in listed] == [False, True]


# ---- stored scores on the map --------------------------------------------------------------

def score(period, total, grade, rank=1):
    return {"scheme": "grid_worker", "subject": {"code": GRID, "level": "grid", "area_class": ""},
            "period": period, "total": total, "grade": grade, "failing": False, "rank": rank,
            "peers": 65, "note": "", "missing": [], "components": [], "adjustments": []}


def test_grids_carry_the_latest_stored_scores(ws, tmp_path):
    scores = tmp_path / "march_scores.json"
    scores.write_text(json.dumps([score("2026-02", 88.0, "good", 3), score("2026-03", 93.5, "excellent")]))
    out = run("import", scores, ws=ws, check=0).stdout
    assert "(scores): 2 scores" in out
    grids = json.loads(run("export", "grids", ws=ws, check=0).stdout)
    props = {f["properties"]["code"]: f["properties"] for f in grids["features"]}
    assert props[GRID]["scores"] == {"grid_worker": {"period": "2026-03", "total": 93.5,
                                                     "grade": "excellent", "rank": 1, "peers": 65}}
    assert "scores" not in props[OTHER_GRID]

    bad = tmp_path / "bad_scores.json"
    broken = score("2026-04", 70.0, "fair")
    del broken["subject"]
    bad.write_text(json.dumps([score("2026-04", 80.0, "good"), broken]))
    before = digest(ws)
    p = run("import", bad, ws=ws, check=3)
    assert "bad_scores.json: [1]" in p.stderr and "subject" in p.stderr
    assert digest(ws) == before


# ---- progress ------------------------------------------------------------------------------

def test_progress_on_a_terminal_only(tmp_path):
    import pty
    ws = tmp_path / "a.gridgov"
    run("init", ws=ws, check=0)
    piped = run("import", DATA / "county.json", ws=ws, check=0)
    assert piped.stderr == ""

    ws2 = tmp_path / "b.gridgov"
    run("init", ws=ws2, check=0)
    master, slave = pty.openpty()
    p = subprocess.run([CLI, "-w", str(ws2), "import", str(DATA / "county.json")],
                       stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    assert p.returncode == 0
    text = seen.decode("utf-8", "replace")
    assert "\r" in text and "county.json" in text and "/" in text


# ---- the report page -----------------------------------------------------------------------

def test_report_page(ws, tmp_path):
    report(ws)
    run("draw", "2026-03", "--count", "2", "--seed", "5", ws=ws, check=0)
    page = tmp_path / "report.html"
    run("report", "-o", page, "--at", "2026-03-02T10:00", ws=ws, check=0)
    html = page.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html") and "青石村" in html
    assert "15914908838" not in html
    data = json.loads(run("--json", "report", "--at", "2026-03-02T10:00", ws=ws, check=0).stdout)
    rows = {r["code"]: r for r in data["board"]}
    assert data["board_level"] == "village"
    assert rows["371338102201"]["open"] == 1 and rows["371338102201"]["green"] == 1
    assert data["summary"]["cases"] == 1
    assert [d["label"] for d in data["draws"]] == ["2026-03"]
    grids = json.loads(run("--json", "report", "--level", "grid", "--scope", "371338102201",
                           "--at", "2026-03-02T10:00", ws=ws, check=0).stdout)
    assert all(r["code"].startswith("371338102201") for r in grids["board"])
    assert run("report", "--level", "nowhere", ws=ws).returncode == 3


# ---- assessment ----------------------------------------------------------------------------

def test_assess_scores_ranks_and_stores(ws, tmp_path):
    report(ws)
    before = digest(ws)
    dry = json.loads(run("--json", "assess", "urban_region", "--period", "2026-03", "--level",
                         "village", "--default-area-class", "一类", "--no-store", ws=ws,
                         check=0).stdout)
    assert dry["stored"] is False and len(dry["scores"]) == 19
    assert digest(ws) == before
    assert {s["subject"]["level"] for s in dry["scores"]} == {"village"}

    table = run("assess", "urban_region", "--period", "2026-03", "--level", "village",
                "--default-area-class", "一类", ws=ws, check=0).stdout
    assert "青石村" in table and table.splitlines()[-1].endswith("19 subjects, 0 flags, stored")
    villages = json.loads(run("export", "grids", "--level", "village", ws=ws, check=0).stdout)
    props = {f["properties"]["code"]: f["properties"] for f in villages["features"]}
    assert props["371338102201"]["scores"]["urban_region"]["period"] == "2026-03"
    page = json.loads(run("--json", "report", "--at", "2026-03-31T18:00", ws=ws, check=0).stdout)
    assert any(s.get("key", s.get("scheme")) == "urban_region" for s in page["schemes"])

    csv_out = tmp_path / "scores.csv"
    run("assess", "urban_department", "--period", "2026-03", "--departments", "-o", csv_out,
        ws=ws, check=0)
    lines = csv_out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("scheme,subject") and len(lines) == 18

    workers = json.loads(run("--json", "assess", "grid_worker", "--period", "2026-03",
                             "--workers", "--no-store", ws=ws, check=0).stdout)
    assert all(s["subject"]["level"] == "worker" for s in workers["scores"])

    assert run("assess", "urban_region", "--period", "2026-03", ws=ws).returncode == 3
    assert run("assess", "no_such_scheme", "--period", "2026-03", "--level", "village",
               ws=ws).returncode == 3
    assert run("assess", "urban_region", "--period", "March", "--level", "village",
               ws=ws).returncode == 3


TEST_DATA = Path(__file__).resolve().parents[1] / "data"


def test_assess_gives_the_runs_of_area_steps(tmp_path):
    """The runs of tests/data/area_steps_runs.json, as the C++ test applies them, on a
    workspace of this test's own: scores and flags compared field by field with the file,
    including March assessed again after it was stored."""
    doc = json.loads((TEST_DATA / "area_steps_runs.json").read_text(encoding="utf-8"))
    ws = tmp_path / "ws.gridgov"
    run("init", ws=ws, check=0)
    run("import", TEST_DATA / "township.json", ws=ws, check=0)
    for r in doc["runs"]:
        args = ["--json", "assess", TEST_DATA / "area_steps.json", "--period", r["period"],
                "--default-area-class", r["default_area_class"]]
        if "subjects" in r:
            for code in r["subjects"]:
                args += ["--subject", code]
        else:
            args += ["--level", r["level"]]
        if not r["store"]:
            args.append("--no-store")
        got = json.loads(run(*args, ws=ws, check=0).stdout)
        assert got["stored"] is r["store"]
        fields = {
            "scores": [{"subject": s["subject"]["code"], "level": s["subject"]["level"],
                        "area_class": s["subject"]["area_class"], "total": s["total"],
                        "grade": s["grade"], "failing": s["failing"], "rank": s["rank"],
                        "peers": s["peers"]} for s in got["scores"]],
            "flags": [{k: f[k] for k in ("rule", "subject", "period", "streak", "periods")}
                      for f in got["flags"]],
        }
        assert fields == {"scores": r["scores"], "flags": r["flags"]}, r["note"]
    # Two kinds of subjects, roles without --workers, an unknown code: refused, exit 3.
    scheme = TEST_DATA / "area_steps.json"
    assert run("assess", scheme, "--period", "2026-03", "--level", "grid", "--departments",
               ws=ws).returncode == 3
    assert run("assess", scheme, "--period", "2026-03", "--level", "grid", "--role", "x",
               ws=ws).returncode == 3
    p = run("assess", scheme, "--period", "2026-03", "--subject", "999", ws=ws)
    assert p.returncode == 3 and '"999"' in p.stderr


def test_storage_errors_exit_4(ws, tmp_path):
    foreign = tmp_path / "foreign.gridgov"
    foreign.write_text("not a workspace\n")
    p = run("validate", ws=foreign, check=4)
    assert "foreign.gridgov" in p.stderr and "not a gridgov workspace" in p.stderr
    assert foreign.read_text() == "not a workspace\n"
    p = run("export", "hierarchy", "-o", tmp_path / "missing" / "x.json", ws=ws, check=4)
    assert "x.json" in p.stderr
    assert not (tmp_path / "missing").exists()


# ---- hostile input ----------------------------------------------------------------------------

def test_malformed_geojson_and_json_are_input_errors_naming_the_member(ws, tmp_path):
    cases = {
        "shape.geojson": ('{"type": ["FeatureCollection"], "features": []}',
                          "member /type: must be the string \"FeatureCollection\""),
        "features.geojson": ('{"type": "FeatureCollection", "features": {}}',
                             "member /features: must be an array, not object"),
        "feature.geojson": ('{"type": "FeatureCollection", "features": [[]]}',
                            "member /features/0: a feature must be an object, not array"),
        "props.geojson": ('{"type": "FeatureCollection", "features": [{"properties": '
                          '{"code": 5}}]}',
                          "member /features/0/properties/code: must be a string, not number"),
        "geometry.geojson": ('{"type": "FeatureCollection", "features": [{"properties": '
                             '{"code": "1", "name": "x", "level": "grid"}, "geometry": 3}]}',
                             "member /features/0/geometry: must be an object or null"),
        "overflow.json": ('{"nodes": [{"code": "371338", "households": 1e400}]}',
                          "member /nodes/0/households: number overflow parsing '1e400'"),
        "chinese.json": ('{"nodes": [{"name": 网格}]}', "near '网格}]}'"),
    }
    before = digest(ws)
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        p = run("import", path, ws=ws)
        assert p.returncode == 3, (name, p.stderr)
        assert name in p.stderr and words in p.stderr, (name, p.stderr)
        assert "internal" not in p.stderr
    assert digest(ws) == before


def test_help_lists_the_subcommands_by_module():
    out = run("--help", check=0).stdout
    headings = [line[:-1] for line in out.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings[-7:] == ["workspace", "cases", "assessment", "report", "records", "duties",
                             "oversight"]
    cases = out[out.index("\ncases:"):out.index("\nassessment:")]
    assert all(f"  {c} " in cases for c in ("case", "tick", "run", "verify-log"))


def test_board_table_and_json(ws):
    report(ws, at="2026-03-02T09:00")
    report(ws, at="2026-03-05T09:00")
    table = run("board", "--at", "2026-03-03T09:00", "--scope", "371338102201", ws=ws,
                check=0).stdout
    assert "青石村第一网格" in table or GRID in table
    board = json.loads(run("--json", "board", "--at", "2026-03-03T09:00", "--scope",
                           "371338102201", ws=ws, check=0).stdout)
    rows = {r["code"]: r for r in board["rows"]}
    assert rows[GRID]["cases"] == 1 and rows[GRID]["open"] == 1
    assert board["total"]["code"] == "371338102201" and board["total"]["cases"] == 1
    assert run("board", "--level", "no_such_level", ws=ws).returncode == 3
    assert run("board", "--scope", "999", ws=ws).returncode == 3


def test_follow_prints_what_other_processes_commit(ws):
    follower = subprocess.Popen([CLI, "-w", str(ws), "--json", "follow", "--from", "0", "--count",
                                 "2", "--interval", "10", "--timeout", "60"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "LC_ALL": "C.UTF-8"})
    try:
        number = report(ws)
        run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
            "2026-03-02T10:00", "--evidence", "photo-1.jpg", ws=ws, check=0)
        out, err = follower.communicate(timeout=60)
    finally:
        follower.kill()
    assert follower.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [(e["sequence"], e["case"], e["type"]) for e in events] == \
        [(1, number, "report"), (2, number, "self_handle")]
    assert events[0]["actor"] == OFFICER and events[0]["to_state"] == "reported"

    # Without --from only new events count: nothing is committed, so it times out quietly.
    quiet = run("follow", "--timeout", "0.2", "--interval", "10", ws=ws, check=0)
    assert quiet.stdout == ""
    bad = run("follow", "--from", "-5", ws=ws)
    assert bad.returncode != 0 and "--from -5" in bad.stderr


# ---- copy: one workspace, any store -------------------------------------------------------
def new_schema(server):
    """A new empty schema of the PostgreSQL test server, as a workspace location."""
    schema = f"cli{os.getpid()}_{os.urandom(4).hex()}"
    subprocess.run(["psql", "-q", "-X", "-d", server, "-c", f"CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    return server + ("&" if "?" in server else "?") + "options=-csearch_path%3D" + schema


def exports(location, tmp_path, tag):
    """Every export of a workspace, as bytes, written by the CLI to files."""
    out = {}
    for what, ext in (("hierarchy", "json"), ("directory", "json"), ("requests", "json"),
                      ("services", "json")):
        path = tmp_path / f"{tag}-{what}.{ext}"
        run("export", what, "-o", path, "--at", "2026-03-05T09:00", ws=location, check=0)
        out[what] = path.read_bytes()
    return out


def test_copy_moves_a_workspace_between_stores_unchanged(ws, tmp_path):
    number = report(ws)
    run("case", "transition", number, "self_handle", "--actor", OFFICER, "--at",
        "2026-03-02T10:00", "--evidence", "photo-1.jpg", ws=ws, check=0)
    before = digest(ws)
    locations = [tmp_path / "copy.gridgov"]
    done = run("--json", "copy", ws, locations[0], check=0)
    summary = json.loads(done.stdout)
    assert summary["tables"] == 53 and summary["rows"] > 1000
    server = os.environ.get("GRIDGOV_TEST_STORE")
    if server:
        # file -> server -> file: the way onto a server and back out to an analyst
        locations.append(new_schema(server))
        run("copy", locations[0], locations[1], check=0)
        locations.append(tmp_path / "back.gridgov")
        run("copy", locations[1], locations[2], check=0)
    original = exports(ws, tmp_path, "original")
    for i, location in enumerate(locations):
        assert exports(location, tmp_path, f"copy{i}") == original
        check = json.loads(run("--json", "verify-log", "--cases", ws=location, check=0).stdout)
        assert check["ok"] and check["events_checked"] == 2
    assert digest(ws) == before
    # Into something that exists: refused, nothing changed; from nothing: not found.
    taken = run("copy", ws, locations[0])
    assert taken.returncode != 0 and "exists" in taken.stderr
    assert exports(locations[0], tmp_path, "again") == original
    # A copy works as the original: the next case goes on from the same state.
    report(locations[-1], at="2026-03-02T11:00")
    assert case_count(locations[-1]) == 2
    missing = run("copy", tmp_path / "none.gridgov", tmp_path / "x.gridgov")
    assert missing.returncode != 0 and "does not exist" in missing.stderr
    assert not (tmp_path / "x.gridgov").exists()
    nowhere = run("copy", ws, tmp_path / "no" / "such" / "folder.gridgov")
    assert nowhere.returncode != 0 and "folder.gridgov" in nowhere.stderr
