"""`gridgov duty ...` driven as a user would, over the township of tests/cpp/duties_test.cpp:
青石镇 with one village and two grids — 信息员 P1 at the first grid, P2 on post A and P3 on
post B at the second (P2 away from 02-09 to 02-21), the village's 二级网格长 PV and the
township's 一级网格长 PT — and the seed_defaults duty catalogue over February 2026: the
make-up Saturdays 02-14 and 02-28 and the Spring Festival week without a working day."""

import csv
import io
from pathlib import Path

import pytest

from cli_support import (copy_workspace, digest, file_refuser, needs_cli, run, run_json,
                         write_json)

pytestmark = needs_cli

TOWN = "371338101"
VILLAGE = "371338101001"
G1 = "371338101001001"
G2 = "371338101001002"
READ_AT = "2026-03-02T09:00"
CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "directory" / "presets" / \
    "township_000.json"

SCHEME = {
    "key": "duty_check", "label": "定期职责考核", "version": 1, "period": "month",
    "max_total": 100,
    "indicators": [{"key": "duty_on_time_rate", "label": "按时履职率", "unit": "%"}],
    "components": [{"key": "on_time", "label": "按时履职", "weight": 1, "max_points": 100,
                    "indicator": "duty_on_time_rate",
                    "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
    "grades": [{"key": "pass", "label": "合格", "min": 60},
               {"key": "fail", "label": "不合格", "min": 0, "failing": True}]}


def write_csv(path, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def fulfilment(id_, duty, place, person, at, occurrence=None):
    f = {"id": id_, "duty": duty, "place": place, "person": person, "at": at,
         "evidence": ["minutes.pdf"]}
    if occurrence:
        f["occurrence"] = occurrence
    return f


# F1 is recorded with `duty fulfil`, the rest with `duty import`.
FEBRUARY = [
    fulfilment("F2", "grid_weekly_report", G1, "P1", "2026-02-24T10:00", "2026-W07"),
    fulfilment("F3", "grid_weekly_report", G2, "P3", "2026-02-06T11:00"),
    fulfilment("F4", "grid_weekly_report", G2, "P3", "2026-02-13T11:00"),
    fulfilment("F5", "grid_weekly_report", G2, "P2", "2026-02-27T17:00"),
    fulfilment("F7", "registration_check", G1, "P1", "2026-02-20T10:00"),
    fulfilment("F8", "registration_check", G2, "P3", "2026-02-20T10:00"),
]


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    """The township with its directory, no duty catalogue yet; tests work on copies."""
    folder = tmp_path_factory.mktemp("township")
    ws = folder / "township.gridgov"
    run("init", ws=ws, check=0)
    hierarchy = write_csv(folder / "township.csv", ["code", "parent_code", "level", "name"],
                          [[TOWN, "", "township", "青石镇"],
                           [VILLAGE, TOWN, "village", "青石村"],
                           [G1, VILLAGE, "grid", "青石村第一网格"],
                           [G2, VILLAGE, "grid", "青石村第二网格"]])
    people = write_csv(folder / "people.csv", ["id", "name"],
                       [[p, f"{p}某"] for p in ("P1", "P2", "P3", "PV", "PT")])
    assignments = write_csv(folder / "assignments.csv", ["person", "role", "node", "post", "from"],
                            [["P1", "grid_information_officer", G1, "A", "2025-01-01"],
                             ["P2", "grid_information_officer", G2, "A", "2025-01-01"],
                             ["P3", "grid_information_officer", G2, "B", "2025-01-01"],
                             ["PV", "village_grid_leader", VILLAGE, "A", "2025-01-01"],
                             ["PT", "township_grid_leader", TOWN, "A", "2025-01-01"]])
    absences = write_csv(folder / "absences.csv", ["person", "kind", "from", "to", "reason"],
                         [["P2", "leave", "2026-02-09", "2026-02-21", "探亲"]])
    run("import", hierarchy, CATALOGUE, people, assignments, absences, ws=ws, check=0)
    return ws


@pytest.fixture
def ws(staffed, tmp_path):
    return copy_workspace(staffed, tmp_path / "ws.gridgov")


@pytest.fixture
def seeded(ws):
    run("duty", "catalogue", "--set", "seed_defaults", ws=ws, check=0)
    return ws


@pytest.fixture
def february(seeded, tmp_path):
    run("duty", "fulfil", "--id", "F1", "--duty", "grid_weekly_report", "--place", G1,
        "--person", "P1", "--at", "2026-02-06T16:00", "--evidence", "minutes.pdf",
        "--evidence", "photo.jpg", "--note", "本周巡查 12 次", ws=seeded, check=0)
    run("duty", "import", write_json(tmp_path / "february.json", FEBRUARY), ws=seeded, check=0)
    return seeded


def occurrences(ws, *args, at=READ_AT):
    return run_json("duty", "occurrences", "--period", "2026-02", "--at", at, *args, ws=ws)


def of(rows, duty, place=None):
    return [r for r in rows if r["duty"] == duty and (place is None or r["place"] == place)]


# ---- the catalogue ---------------------------------------------------------------------

def test_presets_need_no_workspace():
    p = run("duty", "presets", check=0)
    assert "seed_defaults" in p.stdout and "market_supervision_002" in p.stdout
    assert [e["key"] for e in run_json("duty", "presets")] == [
        "market_supervision_002", "seed_defaults"]
    p = run("duty", "catalogue", check=2)
    assert "no workspace" in p.stderr


def test_catalogue_set_from_a_preset_and_a_file(ws, tmp_path):
    p = run("duty", "catalogue", ws=ws, check=0)
    assert p.stdout.startswith("duty catalogue (none): 0 schedules")
    p = run("duty", "catalogue", "--set", "seed_defaults", ws=ws, check=0)
    assert p.stdout == "set the duty catalogue from seed_defaults: 10 schedules\n"
    table = run("duty", "catalogue", ws=ws, check=0).stdout
    assert "duty catalogue seed_defaults" in table
    line = next(x for x in table.splitlines() if x.startswith("sanitation_day"))
    assert "day 15 24:00, shift none" in line and "monthly" in line
    doc = run_json("duty", "catalogue", ws=ws)
    assert doc["key"] == "seed_defaults" and len(doc["schedules"]) == 10
    # Back from a file, changed: a quota of three checks a month.
    doc["schedules"] = [s for s in doc["schedules"] if s["key"] == "registration_check"]
    doc["schedules"][0]["quota"] = 3
    path = write_json(tmp_path / "quota.json", doc)
    assert run_json("duty", "catalogue", "--set", path, ws=ws)["schedules"][0]["quota"] == 3


def test_refused_catalogues_leave_the_file_unchanged(seeded, tmp_path):
    before = digest(seeded)
    p = run("duty", "catalogue", "--set", "market_supervision_002", ws=seeded, check=3)
    assert "[duty.unknown_owner]" in p.stderr and "section_friday_report" in p.stderr
    p = run("duty", "catalogue", "--set", "fire", ws=seeded, check=3)
    assert p.stderr == ("gridgov: --set fire: no such file, nor a duty catalogue preset "
                        "(market_supervision_002, seed_defaults)\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schedules": [{"key": "a", "owner": "x", "every": "weekly", '
                   '"time": "25:00"}]}', encoding="utf-8")
    p = run("duty", "catalogue", "--set", bad, ws=seeded, check=3)
    assert str(bad) in p.stderr and "field 'time'" in p.stderr
    bad.write_text("{", encoding="utf-8")
    p = run("duty", "catalogue", "--set", bad, ws=seeded, check=3)
    assert str(bad) in p.stderr
    # A catalogue without a schedule that recorded fulfilments name: refused (exit 5).
    run("duty", "fulfil", "--id", "F1", "--duty", "grid_weekly_report", "--place", G1,
        "--person", "P1", "--at", "2026-02-06T16:00", ws=seeded, check=0)
    before = digest(seeded)
    market = write_json(tmp_path / "few.json", {"key": "few", "schedules": [
        {"key": "sanitation_day", "owner": "function:information_officer", "level": "grid",
         "every": "monthly", "day": 15, "shift": "none"}]})
    p = run("duty", "catalogue", "--set", market, ws=seeded, check=5)
    assert 'lacks schedule "grid_weekly_report"' in p.stderr
    assert digest(seeded) == before
    assert run_json("duty", "catalogue", ws=seeded)["key"] == "seed_defaults"


# ---- fulfilments and occurrences -------------------------------------------------------

def test_february_on_time_late_and_missed(february):
    kept = run_json("duty", "fulfilments", ws=february)
    assert [f["id"] for f in kept] == ["F1", "F2", "F3", "F4", "F5", "F7", "F8"]
    assert kept[0] == {"id": "F1", "duty": "grid_weekly_report", "place": G1, "person": "P1",
                       "at": "2026-02-06T16:00:00+08:00", "occurrence": "",
                       "evidence": ["minutes.pdf", "photo.jpg"], "note": "本周巡查 12 次"}
    assert kept[1]["occurrence"] == "2026-W07"
    assert run("duty", "fulfilments", ws=february, check=0).stdout.endswith("7 fulfilments\n")

    rows = occurrences(february)
    g1 = of(rows, "grid_weekly_report", G1)
    assert [(r["label"], r["due_date"], r["status"]) for r in g1] == [
        ("2026-W06", "2026-02-06", "done_on_time"),
        ("2026-W07", "2026-02-14", "done_late"),
        ("2026-W09", "2026-02-28", "missed")]
    assert g1[2]["due"] == "2026-03-01T00:00:00+08:00"
    assert g1[0]["fulfilments"] == ["F1"] and g1[1]["on_time"] == 0
    g2 = of(rows, "grid_weekly_report", G2)
    assert [(r["person"], r["status"]) for r in g2] == [
        ("P2", "done_on_time"), ("P3", "done_on_time"), ("P2", "done_on_time")]
    assert [(r["person"], r["status"]) for r in of(rows, "registration_check")] == [
        ("P1", "done_on_time"), ("P2", "missed")]
    assert [(r["place"], r["person"], r["due_date"])
            for r in of(rows, "village_monthly_report")] == [(VILLAGE, "PV", "2026-02-28")]
    assert of(rows, "sanitation_day", G1)[0]["due_date"] == "2026-02-15"
    assert of(rows, "visiting_round") == []

    # Read on 02-20: week 7 not yet reported is missed, week 9 still open.
    then = of(occurrences(february, at="2026-02-20T09:00"), "grid_weekly_report", G1)
    assert [r["status"] for r in then] == ["done_on_time", "missed", "open"]


def test_subjects_formats_and_findings(february, tmp_path):
    mine = occurrences(february, "--subject", G1)
    assert len(mine) == 5
    assert [len(occurrences(february, "--subject", s)) for s in ("P1", G2, TOWN)] == [
        5, 5, len(occurrences(february))]
    table = run("duty", "occurrences", "--period", "2026-02", "--at", READ_AT, "--subject", G1,
                ws=february, check=0).stdout
    assert table.splitlines()[0].split() == ["duty", "label", "place", "person", "due",
                                             "status", "done"]
    assert table.endswith("5 occurrences: 2 on time, 1 late, 0 open, 2 missed\n")
    week9 = next(x for x in table.splitlines() if "2026-W09" in x).split()
    assert week9[3:7] == ["P1", "2026-02-28", "24:00", "missed"]
    path = tmp_path / "g1.csv"
    p = run("duty", "occurrences", "--period", "2026-02", "--at", READ_AT, "--subject", G1,
            "-o", path, ws=february, check=0)
    assert p.stdout == "" and p.stderr == f"wrote {path}\n"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0]) == ["duty", "label", "place", "person", "due_date", "due", "quota",
                             "fulfilled", "on_time", "status", "assumed", "fulfilments"]
    assert [(r["label"], r["status"], r["fulfilments"]) for r in rows[:3]] == [
        ("2026-W06", "done_on_time", "F1"), ("2026-W07", "done_late", "F2"),
        ("2026-W09", "missed", "")]
    assert [(r["person"], r["assumed"]) for r in rows[:1]] == [("P1", "false")]
    csv_text = run("duty", "occurrences", "--period", "2026-02", "--at", READ_AT, "--subject",
                   G1, "--format", "csv", ws=february, check=0).stdout
    assert csv_text == path.read_text(encoding="utf-8")

    findings = run_json("duty", "findings", "--period", "2026-02", "--at", READ_AT,
                        "--subject", G1, ws=february)
    assert {f["rule"] for f in findings} == {"duty.missed"}
    assert all(f["severity"] == "warning" and f["where"] == G1 for f in findings)
    assert ("grid_weekly_report 2026-W09 at 371338101001001 due 2026-03-01T00:00:00+08:00 "
            "(P1): 0 of 1 fulfilled") in [f["message"] for f in findings]
    p = run("duty", "findings", "--period", "2026-02", "--at", READ_AT, "--subject", G1,
            ws=february, check=0)
    assert p.stdout.endswith(f"{len(findings)} findings\n") and "duty.missed" in p.stdout

    # Refused reads: exit 3 naming the option, exit 2 without the period.
    p = run("duty", "occurrences", "--period", "2026-02", "--subject", "nobody", ws=february,
            check=3)
    assert p.stderr.startswith("gridgov: --subject: ") and '"nobody"' in p.stderr
    p = run("duty", "occurrences", "--period", "2026-13", ws=february, check=3)
    assert "--period" in p.stderr
    p = run("duty", "findings", "--period", "2026-02", "--at", "2026-02-30T09:00",
            ws=february, check=3)
    assert "--at" in p.stderr
    run("duty", "occurrences", ws=february, check=2)
    p = run("duty", "occurrences", "--period", "2026-02", "--format", "xml", ws=february,
            check=3)
    assert "--format xml" in p.stderr


def test_a_fulfilment_without_an_id_is_named_by_what_it_is(seeded):
    p = run("duty", "fulfil", "--duty", "sanitation_day", "--place", G2, "--person", "P2",
            "--at", "2026-02-15T10:00", ws=seeded, check=0)
    name = "sanitation_day@371338101001002@P2@2026-02-15T10:00:00+08:00"
    assert p.stdout.startswith(f"recorded {name}: ")
    assert [f["id"] for f in run_json("duty", "fulfilments", ws=seeded)] == [name]
    # The same again is already recorded.
    before = digest(seeded)
    p = run("duty", "fulfil", "--duty", "sanitation_day", "--place", G2, "--person", "P2",
            "--at", "2026-02-15T10:00", ws=seeded, check=3)
    assert "is already recorded" in p.stderr
    assert digest(seeded) == before


def test_refused_fulfilments_leave_the_file_unchanged(february, tmp_path):
    before = digest(february)

    def refused(args, code, message):
        p = run("duty", "fulfil", "--id", "F9", *args, ws=february, check=code)
        assert message in p.stderr, p.stderr
        assert digest(february) == before

    base = ["--duty", "grid_weekly_report", "--place", G1, "--person", "P1",
            "--at", "2026-02-13T16:00"]
    refused([*base[:4], "--person", "P9", base[6], base[7]], 3,
            "gridgov: fulfilments[0] field 'person': \"P9\" is not a person of the directory")
    refused(["--duty", "patrol", *base[2:]], 3,
            "fulfilments[0] field 'duty': \"patrol\" is not a schedule of the duty catalogue")
    refused([*base[:2], "--place", "371338999", *base[4:]], 3,
            "fulfilments[0] field 'place': no live node '371338999'")
    refused([*base, "--occurrence", "2026-02"], 3,
            "fulfilments[0] field 'occurrence': \"2026-02\" is not a weekly occurrence label")
    refused([*base[:6], "--at", "2026-02-13T25:00"], 3, "gridgov: --at: ")
    p = run("duty", "fulfil", "--id", "F1", *base, ws=february, check=3)
    assert "\"F1\" is already recorded" in p.stderr
    run("duty", "fulfil", "--place", G1, "--person", "P1", ws=february, check=2)
    assert digest(february) == before


def test_refused_imports_leave_the_file_unchanged(february, tmp_path):
    before = digest(february)
    ok = fulfilment("F10", "sanitation_day", G2, "P2", "2026-02-15T10:00")
    check = file_refuser(february, tmp_path)

    def refused(doc, code, *messages):
        check(("duty", "import"), doc, *messages, code=code)

    refused([ok, fulfilment("F11", "grid_weekly_report", G1, "P9", "2026-02-13T16:00")], 3,
            ": fulfilments[1] field 'person': \"P9\" is not a person of the directory")
    refused([ok, fulfilment("F2", "grid_weekly_report", G1, "P1", "2026-02-13T16:00")], 3,
            "fulfilments[1] field 'id': \"F2\" is already recorded")
    refused([ok, dict(ok, id="F11", colour="red")], 3,
            "fulfilments[1] field 'colour': unknown member")
    refused([ok, {k: v for k, v in ok.items() if k != "at"} | {"id": "F11"}], 3,
            "fulfilments[1] field 'at': missing")
    refused([ok, dict(ok, id="F11", at="2026-02-15 10:00")], 3, "fulfilments[1] field 'at'")
    refused([ok, dict(ok, id="F11", evidence="photo.jpg")], 3,
            "fulfilments[1] field 'evidence'")
    refused({"fulfilments": [ok]}, 3, "is not an array (expected an array of fulfilments)")
    refused("[{", 3)
    p = run("duty", "import", tmp_path / "missing.json", ws=february, check=3)
    assert "missing.json" in p.stderr
    assert digest(february) == before
    assert len(run_json("duty", "fulfilments", ws=february)) == 7
    # A good file adds its fulfilments.
    path = write_json(tmp_path / "ok.json", [ok])
    assert run_json("duty", "import", path, ws=february) == {"file": str(path), "added": 1}


def test_assessment_reads_duty_indicators(seeded, tmp_path):
    run("duty", "fulfil", "--id", "F1", "--duty", "grid_weekly_report", "--place", G1,
        "--person", "P1", "--at", "2026-02-06T16:00", ws=seeded, check=0)
    run("duty", "import", write_json(tmp_path / "f2.json", FEBRUARY[:1]), ws=seeded, check=0)
    scheme = write_json(tmp_path / "duty_check.json", SCHEME)
    scores = run_json("assess", scheme, "--period", "2026-02", "--level", "grid", "--no-store",
                      ws=seeded)
    first = next(s for s in scores["scores"] if s["subject"]["code"] == G1)
    assert first["total"] == pytest.approx(20.0)
    scores = run_json("assess", scheme, "--period", "2026-02", "--level", "grid", "--no-store",
                      "--duties-at", "2026-02-20T00:00", ws=seeded)
    first = next(s for s in scores["scores"] if s["subject"]["code"] == G1)
    assert first["total"] == pytest.approx(100 / 3)
    p = run("assess", scheme, "--period", "2026-02", "--level", "grid", "--no-store",
            "--duties-at", "yesterday", ws=seeded, check=3)
    assert "--duties-at" in p.stderr
