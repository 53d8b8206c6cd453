"""`gridgov records ...`, driven as a user would: the real binary over temporary workspace
files holding the sample county's hierarchy (examples/data/county.json) and records
written by the tests. Reads of record contents name their reader: the system (SYS), or
people of a directory whose catalogue is the preset township_000's (staffed).

GRIDGOV_CLI names the binary and GRIDGOV_EXAMPLES_DATA the sample county's folder
(tests/CMakeLists.txt sets both)."""

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from cli_support import DATA, copy_workspace, digest, needs_cli, run, run_json

pytestmark = needs_cli

VILLAGE = "371338102201"         # 青石村
GRID = "371338102201001"         # 青石村第一网格
OTHER_GRID = "371338102201002"   # 青石村第二网格
TOWN_GRID = "371338001001001"    # 第一网区第一网格 (城关街道), in fire grid XF-01-01-01
FIRE_UNIT = "fire_safety:XF-01-01-01"

KINDS = ["resident", "household", "house", "unit", "organisation", "component"]

# Every read of record contents names its reader and why: here the system's own read.
SYS = ("--system", "--why", "tests of the records CLI")


def id_number(first17):
    """A 居民身份证号 with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def wrong_check(number):
    """The ID number with a check character that fails."""
    return number[:17] + ("0" if number[17] != "0" else "1")


ID_1 = id_number("37133819830509143")    # man, born 1983-05-09
ID_2 = id_number("37133819910218262")    # woman, born 1991-02-18
ID_3 = wrong_check(id_number("37133819500101121"))
PHONE_1 = "15914908838"
PHONE_2 = "15128699616"


def write_csv(path, header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def residents_csv(tmp_path, name="青石村_resident.csv", phone_2=PHONE_2, registration_2="流动人口"):
    return write_csv(tmp_path / name,
                     ["key", "node", "name", "id_number", "phone", "registration", "household",
                      "house", "special_groups"],
                     [["R1", GRID, "孔凯福", ID_1, PHONE_1, "户籍人口", "H1", "HS1", ""],
                      ["R2", GRID, "乔燕静", ID_2, phone_2, registration_2, "H1", "HS1", ""],
                      ["R3", OTHER_GRID, "郑成", ID_3, "", "流动人口", "", "",
                       "独居老人|低保对象"]])


def homes_json(tmp_path):
    """Households, houses and a unit on a fire grid, several kinds in one document."""
    doc = {"records": [
        {"key": "H1", "kind": "household", "node": GRID,
         "fields": {"head": "R1", "house": "HS1", "class": "一般户"}},
        {"key": "HS1", "kind": "house", "node": GRID,
         "fields": {"house_code": GRID + "0001", "address": "青石村1号", "use": "自住",
                    "owner": "R1", "area_m2": 85.5}},
        {"key": "HS2", "kind": "house", "node": OTHER_GRID,
         "fields": {"house_code": OTHER_GRID + "0002", "address": "青石村2号", "use": "自住",
                    "area_m2": 120}},
        {"key": "U1", "kind": "unit", "node": TOWN_GRID,
         "overlays": [{"overlay": "fire_safety", "unit": "XF-01-01-01"}],
         "fields": {"name": "城关加油站", "unit_kind": ["企业", "消防重点单位"],
                    "employees": 12}},
    ]}
    path = tmp_path / "homes.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample county's hierarchy, imported once; tests work on copies."""
    ws = tmp_path_factory.mktemp("county") / "county.gridgov"
    run("init", ws=ws, check=0)
    run("import", DATA / "county.json", "--effective", "2023-09-01", ws=ws, check=0)
    return ws


@pytest.fixture
def ws(county, tmp_path):
    return copy_workspace(county, tmp_path / "ws.gridgov")


@pytest.fixture
def filled(ws, tmp_path):
    """The workspace with three residents (R3's ID number fails its check), a household,
    two houses and a unit on a fire grid, all effective 2026-01-01."""
    run("records", "import", residents_csv(tmp_path), "--effective", "2026-01-01", ws=ws,
        check=0)
    run("records", "import", homes_json(tmp_path), "--effective", "2026-01-01", ws=ws, check=0)
    return ws


CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "directory" / "presets" / \
    "township_000.json"
MASKED_ID_1 = ID_1[:4] + "*" * 10 + ID_1[-4:]
ACCESS_COLUMNS = ["seq", "at", "reader", "system", "purpose", "read", "key", "kind", "fields",
                  "hash"]


@pytest.fixture
def staffed(filled, tmp_path):
    """`filled` with a directory: the catalogue of the preset township_000 (every role
    carries social_management, which reveals the resident and unit fields) and a role
    grid_volunteer whose only revealing duty is livelihood_service (resident.phone and
    resident.special_groups). P1 is GRID's information officer, P2 青石村's village grid
    leader, P3 a volunteer on GRID, P4 was OTHER_GRID's officer until 2025-12-31, P5 holds
    no post."""
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    social = next(d for d in catalogue["duties"] if d["code"] == "social_management")
    assert social["reveals"] == ["resident", "unit"]
    catalogue["roles"].append({"code": "grid_volunteer", "zh": "网格志愿者",
                               "en": "Grid volunteer", "level": "grid",
                               "duties": ["policy_publicity", "livelihood_service"]})
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    people = write_csv(tmp_path / "people.csv", ["id", "name"],
                       [["P1", "康磊建"], ["P2", "乔燕静"], ["P3", "郑成"], ["P4", "孔凯福"],
                        ["P5", "王芳"]])
    assignments = write_csv(tmp_path / "assignments.csv",
                            ["person", "role", "node", "post", "from", "to"],
                            [["P1", "grid_information_officer", GRID, "A", "2023-09-01", ""],
                             ["P2", "village_grid_leader", VILLAGE, "A", "2023-09-01", ""],
                             ["P3", "grid_volunteer", GRID, "A", "2023-09-01", ""],
                             ["P4", "grid_information_officer", OTHER_GRID, "A", "2023-09-01",
                              "2025-12-31"]])
    run("import", path, people, assignments, ws=filled, check=0)
    return filled


def keys(records):
    return [r["key"] for r in records]


def access_log(ws):
    return run_json("records", "access-log", ws=ws)


# ---- kinds and schema ------------------------------------------------------------------------

def test_kinds_of_a_preset_and_of_the_workspace(ws):
    p = run("records", "kinds", "--preset", "standard", check=0)  # no workspace needed
    lines = p.stdout.splitlines()
    assert lines[0].split() == ["kind", "field", "label", "type", "required", "sensitive"]
    id_row = next(line for line in lines if line.split()[:2] == ["resident", "id_number"])
    assert "code (id_number)" in id_row and id_row.split()[-2:] == ["-", "yes"]
    name_row = next(line for line in lines if line.split()[:2] == ["resident", "name"])
    assert name_row.split()[-3:] == ["text", "yes", "-"]
    groups = next(line for line in lines if line.split()[:2] == ["resident", "special_groups"])
    assert "enum, multiple" in groups
    assert any(line.split()[:2] == ["resident", "household"] and "reference (household)" in line
               for line in lines)

    preset = run_json("records", "kinds", "--preset", "standard")
    assert [k["key"] for k in preset["kinds"]] == KINDS
    fields = sum(len(k["fields"]) for k in preset["kinds"])
    assert lines[-1] == f"6 kinds, {fields} fields"
    resident = next(k for k in preset["kinds"] if k["key"] == "resident")
    by_name = {f["name"]: f for f in resident["fields"]}
    assert by_name["id_number"]["sensitive"] and by_name["phone"]["sensitive"]
    assert by_name["name"]["required"]

    # A new workspace has the standard kinds.
    assert run_json("records", "kinds", ws=ws)["kinds"] == preset["kinds"]
    assert run("records", "kinds", ws=ws, check=0).stdout == p.stdout

    p = run("records", "kinds", "--preset", "nonesuch", check=3)
    assert "--preset" in p.stderr and "nonesuch" in p.stderr and "standard" in p.stderr
    assert run("records", "kinds", check=2).returncode == 2  # no workspace, no preset


def test_schema_extension_refers_to_the_kinds_it_extends(ws, tmp_path):
    tags = tmp_path / "tags.json"
    tags.write_text(json.dumps({"kinds": [{"key": "tag", "fields": [
        {"name": "of", "type": "reference", "refers_to": "house"}]}]}), encoding="utf-8")
    run("records", "schema", "--extend", tags, ws=ws, check=0)
    assert any(line.split()[:2] == ["tag", "of"]
               for line in run("records", "kinds", ws=ws, check=0).stdout.splitlines())


def test_schema_extend_and_set(ws, tmp_path):
    extension = tmp_path / "extension.json"
    extension.write_text(json.dumps({"kinds": [
        {"key": "resident", "fields": [{"name": "wechat", "label": "微信号", "type": "text"}]},
        {"key": "pet", "label": "犬只", "fields": [
            {"name": "name", "label": "名字", "type": "text", "required": True},
            {"name": "owner", "label": "犬主", "type": "reference", "refers_to": "resident"}]},
    ]}, ensure_ascii=False), encoding="utf-8")
    out = run("records", "schema", "--extend", extension, ws=ws, check=0).stdout
    assert out.startswith("extended the schema with ") and "7 kinds" in out
    table = run("records", "kinds", ws=ws, check=0).stdout
    assert any(line.split()[:2] == ["resident", "wechat"] for line in table.splitlines())
    assert any(line.split()[:2] == ["pet", "owner"] for line in table.splitlines())

    # A field that exists already: refused, nothing changes.
    before = digest(ws)
    p = run("records", "schema", "--extend", extension, ws=ws, check=3)
    assert "wechat" in p.stderr
    assert digest(ws) == before

    # An enumeration value a stored record uses cannot be dropped.
    run("records", "add", "--kind", "resident", "--key", "R1", "--node", GRID,
        "--field", "name=孔凯福", "--field", "registration=流动人口", "--effective",
        "2026-01-01", ws=ws, check=0)
    dropped = run_json("records", "kinds", ws=ws)
    for kind in dropped["kinds"]:
        for field in kind["fields"]:
            if field["name"] == "registration":
                field["values"].remove("流动人口")
    dropping = tmp_path / "dropping.json"
    dropping.write_text(json.dumps(dropped, ensure_ascii=False), encoding="utf-8")
    before = digest(ws)
    p = run("records", "schema", "--set", dropping, ws=ws, check=5)
    assert "R1" in p.stderr and "registration" in p.stderr
    assert digest(ws) == before

    # A pet is stored: a schema without pets is refused while it is.
    run("records", "add", "--kind", "pet", "--key", "D1", "--node", GRID, "--field", "name=大黄",
        "--effective", "2026-01-01", ws=ws, check=0)
    standard = tmp_path / "standard.json"
    standard.write_text(run("--json", "records", "kinds", "--preset", "standard", check=0).stdout,
                        encoding="utf-8")
    before = digest(ws)
    p = run("records", "schema", "--set", standard, ws=ws, check=5)
    assert "pet" in p.stderr
    assert digest(ws) == before

    # A removed pet stays in its history, which needs the kind.
    run("records", "remove", "D1", "--effective", "2026-02-01", ws=ws, check=0)
    assert run("records", "schema", "--set", standard, ws=ws, check=5).returncode == 5
    assert digest(ws) != before and run_json("records", "history", *SYS, "D1", ws=ws)[-1][
        "change"] == "removed"

    # A schema that keeps the pets but drops the new resident field goes through, and
    # --json gives the schema now in force.
    current = run_json("records", "kinds", ws=ws)
    for kind in current["kinds"]:
        kind["fields"] = [f for f in kind["fields"] if f["name"] != "wechat"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
    now = run_json("records", "schema", "--set", smaller, ws=ws)
    assert [k["key"] for k in now["kinds"]] == KINDS + ["pet"]
    assert "wechat" not in json.dumps(now)
    assert run("records", "schema", "--set", smaller, ws=ws, check=0).stdout.startswith(
        f"set the schema from {smaller}: 7 kinds, ")

    bad = tmp_path / "bad_schema.json"
    bad.write_text('{"kinds": [{"key": "x", "fields": [{"name": "a", "type": "colour"}]}]}',
                   encoding="utf-8")
    before = digest(ws)
    p = run("records", "schema", "--extend", bad, ws=ws, check=3)
    assert "bad_schema.json" in p.stderr and "colour" in p.stderr
    assert digest(ws) == before
    assert run("records", "schema", "--extend", tmp_path / "none.json", ws=ws).returncode == 3
    assert run("records", "schema", ws=ws).returncode == 2
    assert run("records", "schema", "--set", standard, "--extend", extension,
               ws=ws).returncode == 2


# ---- import ----------------------------------------------------------------------------------

def test_import_adds_updates_and_lists_findings(ws, county, tmp_path):
    residents = residents_csv(tmp_path)
    p = run("records", "import", residents, "--effective", "2026-01-01", ws=ws, check=0)
    first = p.stdout.splitlines()[0]
    assert first == f"imported {residents}: 3 added, 0 changed, 0 unchanged, 1 finding"
    assert "records.id_number" in p.stdout and "R3" in p.stdout
    assert ID_3 not in p.stdout  # the finding names the ID number masked

    again = run_json("records", "import", residents, "--effective", "2026-01-01", ws=ws)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, 3)
    assert again["file"] == str(residents)
    assert again["findings"] == []  # the findings are those of added and changed records
    fresh = run_json("records", "import", residents, "--effective", "2026-01-01",
                     ws=copy_workspace(county, tmp_path / "fresh.gridgov"))
    assert (fresh["added"], fresh["changed"], fresh["unchanged"]) == (3, 0, 0)
    assert [(f["rule"], f["severity"], f["where"]) for f in fresh["findings"]] == [
        ("records.id_number", "error", "R3")]
    assert all(set(f) == {"rule", "severity", "where", "message"} for f in fresh["findings"])

    changed = residents_csv(tmp_path, name="resident_update.csv", phone_2="13912345678")
    r = run_json("records", "import", changed, "--kind", "resident", "--effective", "2026-02-01",
                 ws=ws)
    assert (r["added"], r["changed"], r["unchanged"]) == (0, 1, 2)

    homes = run_json("records", "import", homes_json(tmp_path), "--effective", "2026-01-01",
                     ws=ws)
    assert homes["added"] == 4
    assert sorted(keys(run_json("records", "list", *SYS, ws=ws))) == sorted(
        ["R1", "R2", "R3", "H1", "HS1", "HS2", "U1"])


def test_refused_import_names_row_and_field_and_imports_nothing(ws, tmp_path):
    bad = write_csv(tmp_path / "resident.csv",
                    ["key", "node", "name", "registration"],
                    [["R1", GRID, "孔凯福", "户籍人口"],
                     ["R2", GRID, "乔燕静", "常住人口"],
                     ["R3", GRID, "郑成", "户籍人口"]])
    before = digest(ws)
    p = run("records", "import", bad, "--effective", "2026-01-01", ws=ws, check=3)
    assert "resident.csv row 3" in p.stderr and "registration" in p.stderr
    assert "常住人口" in p.stderr
    assert digest(ws) == before
    assert run("records", "list", *SYS, ws=ws, check=0).stdout.splitlines()[-1] == "0 records"

    no_column = write_csv(tmp_path / "other_resident.csv", ["key", "node", "name"],
                          [["R1", GRID, "孔凯福"]])
    p = run("records", "import", no_column, "--kind", "resident", ws=ws, check=3)
    assert "registration" in p.stderr and "other_resident.csv" in p.stderr

    unknown_node = tmp_path / "more.json"
    unknown_node.write_text(json.dumps({"records": [
        {"key": "R1", "kind": "resident", "node": GRID,
         "fields": {"name": "孔凯福", "registration": "户籍人口"}},
        {"key": "R2", "kind": "resident", "node": "371338102299001",
         "fields": {"name": "乔燕静", "registration": "户籍人口"}}]}, ensure_ascii=False),
        encoding="utf-8")
    p = run("records", "import", unknown_node, ws=ws, check=3)
    assert "more.json records[1]" in p.stderr and "371338102299001" in p.stderr
    assert "node" in p.stderr
    assert digest(ws) == before

    assert run("records", "import", tmp_path / "none.csv", "--kind", "resident",
               ws=ws).returncode == 3
    p = run("records", "import", bad, "--effective", "2026-13-01", ws=ws, check=3)
    assert "--effective" in p.stderr
    assert digest(ws) == before


# ---- masking and export ----------------------------------------------------------------------

def test_sensitive_fields_masked_unless_revealed(filled):
    masked_id = ID_1[:4] + "*" * 10 + ID_1[-4:]
    masked_phone = PHONE_1[:3] + "****" + PHONE_1[-4:]
    answers = [run("records", "get", *SYS, "R1", ws=filled, check=0).stdout,
               run("--json", "records", "get", *SYS, "R1", ws=filled, check=0).stdout,
               run("records", "list", *SYS, "--kind", "resident", ws=filled, check=0).stdout,
               run("records", "find", *SYS, "id_number", ID_1, ws=filled, check=0).stdout,
               run("records", "history", *SYS, "R1", ws=filled, check=0).stdout,
               run("records", "export", *SYS, ws=filled, check=0).stdout,
               run("records", "export", *SYS, "--kind", "resident", "--format", "csv", ws=filled,
                   check=0).stdout]
    for text in answers:
        assert ID_1 not in text and PHONE_1 not in text
        assert masked_id in text and masked_phone in text
    r3 = run_json("records", "get", *SYS, "R3", ws=filled)
    assert r3["fields"]["special_groups"] == "***"

    revealed = [run("--reveal", "records", "get", *SYS, "R1", ws=filled, check=0).stdout,
                run("--reveal", "records", "list", *SYS, "--kind", "resident", ws=filled,
                    check=0).stdout,
                run("records", "history", *SYS, "R1", "--reveal", ws=filled, check=0).stdout,
                run("--reveal", "records", "export", *SYS, ws=filled, check=0).stdout]
    for text in revealed:
        assert ID_1 in text and PHONE_1 in text
    r3 = run_json("--reveal", "records", "get", *SYS, "R3", ws=filled)
    assert r3["fields"]["special_groups"] == "低保对象|独居老人"


def test_export_formats_and_round_trip(filled, county, tmp_path):
    csv_out = tmp_path / "residents.csv"
    run("records", "export", *SYS, "--kind", "resident", "-o", csv_out, ws=filled, check=0)
    rows = list(csv.reader(csv_out.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:4] == ["key", "node", "overlays", "name"]
    assert [r[0] for r in rows[1:]] == ["R1", "R2", "R3"]

    doc = json.loads(run("records", "export", *SYS, "--kind", "house", ws=filled, check=0).stdout)
    assert keys(doc["records"]) == ["HS1", "HS2"]
    unit = json.loads(run("records", "export", *SYS, ws=filled, check=0).stdout)["records"][-1]
    assert unit["key"] == "U1" and unit["overlays"] == [
        {"overlay": "fire_safety", "unit": "XF-01-01-01"}]

    # Revealed, the export imports back into another workspace unchanged.
    everything = tmp_path / "records.json"
    run("--reveal", "records", "export", *SYS, "-o", everything, ws=filled, check=0)
    other = copy_workspace(county, tmp_path / "other.gridgov")
    r = run_json("records", "import", everything, "--effective", "2026-01-01", ws=other)
    assert r["added"] == 7
    for reveal in ([], ["--reveal"]):
        assert (run(*reveal, "records", "export", *SYS, ws=other, check=0).stdout ==
                run(*reveal, "records", "export", *SYS, ws=filled, check=0).stdout)

    # A copy of the workspace holds the same records and history.
    copied = tmp_path / "copied.gridgov"
    run("copy", filled, copied, check=0)
    assert (run("--reveal", "records", "export", *SYS, ws=copied, check=0).stdout ==
            run("--reveal", "records", "export", *SYS, ws=filled, check=0).stdout)
    assert run_json("records", "history", *SYS, "R1", ws=copied) == run_json("records", "history", *SYS,
                                                                       "R1", ws=filled)

    assert run("records", "export", *SYS, "--format", "xml", ws=filled, check=3).returncode == 3
    assert run("records", "export", *SYS, "--format", "csv", ws=filled).returncode == 3  # one kind


# ---- questions -------------------------------------------------------------------------------

def test_get_on_a_date_history_move_and_remove(filled, tmp_path):
    out = run("records", "get", *SYS, "R1", ws=filled, check=0).stdout
    assert out.splitlines()[0].startswith(f"R1  resident 实有人口  {GRID} ")
    assert any(line.split()[:3] == ["name", "姓名", "孔凯福"] for line in out.splitlines())
    r1 = run_json("records", "get", *SYS, "R1", ws=filled)
    assert (r1["key"], r1["kind"], r1["node"]) == ("R1", "resident", GRID)
    assert r1["fields"]["sex"] == "男" and r1["fields"]["birth_date"] == "1983-05-09"

    changed = residents_csv(tmp_path, name="resident_2.csv", phone_2="13912345678")
    run("records", "import", changed, "--kind", "resident", "--effective", "2026-02-01",
        ws=filled, check=0)
    out = run("records", "move", "R2", OTHER_GRID, "--effective", "2026-03-01", ws=filled,
              check=0).stdout
    assert out == f"moved R2 to {OTHER_GRID} on 2026-03-01\n"
    assert run_json("records", "get", *SYS, "R2", ws=filled)["node"] == OTHER_GRID
    assert run_json("records", "get", *SYS, "R2", "--on", "2026-02-15", ws=filled)["node"] == GRID
    assert run_json("records", "get", *SYS, "R2", "--on", "2026-01-15", "--reveal",
                    ws=filled)["fields"]["phone"] == PHONE_2

    history = run_json("records", "history", *SYS, "R2", ws=filled)
    assert [(v["version"], v["change"], v["effective"]) for v in history] == [
        (1, "added", "2026-01-01"), (2, "changed", "2026-02-01"), (3, "moved", "2026-03-01")]
    assert history[2]["record"]["node"] == OTHER_GRID
    table = run("records", "history", *SYS, "R2", "--reveal", ws=filled, check=0).stdout.splitlines()
    assert table[0].split() == ["version", "change", "effective", "node", "changes"]
    assert f"phone {PHONE_2} → 13912345678" in table[2]
    assert f"node {GRID} → {OTHER_GRID}" in table[3]

    assert run("records", "remove", "R3", "--effective", "2026-04-01", ws=filled,
               check=0).stdout == "removed R3 on 2026-04-01\n"
    assert "R3" in run("records", "get", *SYS, "R3", ws=filled, check=3).stderr
    assert run_json("records", "get", *SYS, "R3", "--on", "2026-03-31", ws=filled)["key"] == "R3"
    assert run_json("records", "history", *SYS, "R3", ws=filled)[-1]["change"] == "removed"
    assert "R3" not in keys(run_json("records", "list", *SYS, "--kind", "resident", ws=filled))

    before = digest(filled)
    # Earlier than the record's last change, an unknown node, an unknown key, a bad date.
    p = run("records", "move", "R2", GRID, "--effective", "2026-02-15", ws=filled, check=3)
    assert "R2" in p.stderr and "2026-03-01" in p.stderr
    assert "371338102201999" in run("records", "move", "R2", "371338102201999", "--effective",
                                    "2026-05-01", ws=filled, check=3).stderr
    assert run("records", "remove", "R9", "--effective", "2026-05-01", ws=filled,
               check=3).returncode == 3
    # A removed record is not changed again: the engine refuses (exit 5).
    assert "R3" in run("records", "move", "R3", GRID, "--effective", "2026-05-01", ws=filled,
                       check=5).stderr
    assert run("records", "remove", "R3", "--effective", "2026-05-01", ws=filled,
               check=5).returncode == 5
    assert "--effective" in run("records", "remove", "R1", "--effective", "2026-02-30",
                                ws=filled, check=3).stderr
    assert digest(filled) == before
    assert run("records", "move", "R2", GRID, ws=filled).returncode == 2  # --effective needed
    assert run("records", "remove", "R2", ws=filled).returncode == 2
    assert run("records", "get", *SYS, "R9", ws=filled).returncode == 3
    assert run("records", "get", *SYS, "R1", "--on", "2025-12-31", ws=filled).returncode == 3
    assert run("records", "history", *SYS, "R9", ws=filled).returncode == 3


def test_find_and_list_filters(filled):
    assert keys(run_json("records", "find", *SYS, "id_number", ID_1, ws=filled)) == ["R1"]
    assert keys(run_json("records", "find", *SYS, "household", "H1", ws=filled)) == ["R1", "R2"]
    assert keys(run_json("records", "find", *SYS, "house_code", GRID + "0001", ws=filled)) == ["HS1"]
    assert run_json("records", "find", *SYS, "id_number", ID_2[:17] + "0", ws=filled) == []
    assert "name" in run("records", "find", *SYS, "name", "孔凯福", ws=filled, check=3).stderr

    table = run("records", "list", *SYS, "--kind", "resident", ws=filled, check=0).stdout.splitlines()
    assert table[0].split()[:3] == ["key", "node", "name"]
    assert table[-1] == "3 records"
    mixed = run("records", "list", *SYS, "--within", VILLAGE, ws=filled, check=0).stdout.splitlines()
    assert mixed[0].split() == ["key", "kind", "node", "fields"]
    assert mixed[-1] == "6 records"

    assert keys(run_json("records", "list", *SYS, "--within", OTHER_GRID, ws=filled)) == ["R3", "HS2"]
    assert keys(run_json("records", "list", *SYS, "--kind", "resident", "--where",
                         "registration=流动人口", ws=filled)) == ["R2", "R3"]
    assert keys(run_json("records", "list", *SYS, "--where", "special_groups=独居老人",
                         ws=filled)) == ["R3"]
    assert keys(run_json("records", "list", *SYS, "--where", "registration=流动人口", "--where",
                         "household=H1", ws=filled)) == ["R2"]
    assert keys(run_json("records", "list", *SYS, "--overlay", FIRE_UNIT, ws=filled)) == ["U1"]
    assert keys(run_json("records", "list", *SYS, "--within", "371338001", ws=filled)) == ["U1"]
    assert keys(run_json("records", "list", *SYS, "--kind", "unit", "--where", "unit_kind=企业",
                         ws=filled)) == ["U1"]
    # --json after the subcommand too.
    assert keys(json.loads(run("records", "list", *SYS, "--kind", "house", "--json", ws=filled,
                               check=0).stdout)) == ["HS1", "HS2"]

    assert "--where" in run("records", "list", *SYS, "--where", "registration", ws=filled,
                            check=3).stderr
    assert "--within" in run("records", "list", *SYS, "--within", "371338999", ws=filled,
                             check=3).stderr
    assert "--overlay" in run("records", "list", *SYS, "--overlay", "fire_safety", ws=filled,
                              check=3).stderr


# ---- who reads records -----------------------------------------------------------------------

READS = [("get", "R1"), ("history", "R1"), ("find", "id_number", ID_1), ("list",), ("export",)]


def test_reading_names_a_reader_and_why(filled):
    before = digest(filled)
    for read in READS:
        p = run("records", *read, "--why", "核实", ws=filled, check=2)
        assert "--as PERSON" in p.stderr and "--system" in p.stderr, p.stderr
        assert f"records {read[0]} reads record contents" in p.stderr
        assert "--why" in run("records", *read, "--system", ws=filled, check=2).stderr
        p = run("records", *read, "--as", "P1", "--system", "--why", "核实", ws=filled, check=2)
        assert "--as" in p.stderr and "--system" in p.stderr
        assert run("records", *read, "--system", "--posts-on", "2026-01-01", "--why", "核实",
                   ws=filled, check=2).returncode == 2
        # An empty purpose: the library refuses the reader.
        assert "purpose" in run("records", *read, "--system", "--why", "", ws=filled,
                                check=3).stderr
    # Reads that show no record contents need no reader.
    run("records", "rollup", "resident", ws=filled, check=0)
    run("records", "validate", "--on", "2026-03-01", ws=filled, check=1)
    assert digest(filled) == before


def test_a_person_reads_the_records_under_their_posts(staffed):
    before = digest(staffed)
    as_p1 = ("--as", "P1", "--why", "入户走访")
    assert keys(run_json("records", "list", *as_p1, ws=staffed)) == ["R1", "R2", "H1", "HS1"]
    assert keys(run_json("records", "list", "--kind", "resident", *as_p1, ws=staffed)) == [
        "R1", "R2"]
    assert keys(run_json("records", "list", "--within", OTHER_GRID, *as_p1, ws=staffed)) == []
    assert run("records", "list", "--kind", "resident", *as_p1, ws=staffed,
               check=0).stdout.splitlines()[-1] == "2 records"
    assert keys(run_json("records", "find", "household", "H1", *as_p1, ws=staffed)) == [
        "R1", "R2"]
    assert run_json("records", "find", "id_number", ID_3, *as_p1, ws=staffed) == []
    r1 = run_json("records", "get", "R1", *as_p1, ws=staffed)
    assert r1["node"] == GRID and r1["fields"]["id_number"] == MASKED_ID_1
    assert [v["version"] for v in run_json("records", "history", "R1", *as_p1, ws=staffed)] == [1]
    assert keys(json.loads(run("records", "export", *as_p1, ws=staffed,
                               check=0).stdout)["records"]) == ["R1", "R2", "H1", "HS1"]
    rows = list(csv.reader(io.StringIO(run("records", "export", "--kind", "resident",
                                           "--format", "csv", *as_p1, ws=staffed,
                                           check=0).stdout)))
    assert [r[0] for r in rows[1:]] == ["R1", "R2"]

    # A record outside their posts' subtrees: refused, saying why.
    for read in ("get", "history"):
        p = run("records", read, "R3", *as_p1, ws=staffed, check=5)
        assert "'P1'" in p.stderr and "covering record 'R3'" in p.stderr
        assert OTHER_GRID in p.stderr

    # The village grid leader reads the whole village, not the town's unit.
    as_p2 = ("--as", "P2", "--why", "村情汇总")
    assert keys(run_json("records", "list", *as_p2, ws=staffed)) == [
        "R1", "R2", "R3", "H1", "HS1", "HS2"]
    assert run_json("records", "get", "R3", *as_p2, ws=staffed)["node"] == OTHER_GRID
    assert "'U1'" in run("records", "get", "U1", *as_p2, ws=staffed, check=5).stderr

    # Posts are those held on --posts-on (default today): P4's ended on 2025-12-31.
    as_p4 = ("--as", "P4", "--why", "回访")
    p = run("records", "list", *as_p4, ws=staffed, check=5)
    assert "'P4' holds no post on" in p.stderr
    assert keys(run_json("records", "list", *as_p4, "--posts-on", "2025-06-01",
                         ws=staffed)) == ["R3", "HS2"]
    assert "--posts-on" in run("records", "list", *as_p4, "--posts-on", "2025-02-30",
                               ws=staffed, check=3).stderr
    p = run("records", "list", "--as", "P5", "--why", "查看", ws=staffed, check=5)
    assert "'P5' holds no post on" in p.stderr
    p = run("records", "get", "R1", "--as", "P9", "--why", "查看", ws=staffed, check=5)
    assert "'P9' is not in the directory" in p.stderr

    # Masked reads and refusals write nothing.
    assert access_log(staffed) == []
    assert digest(staffed) == before


def test_revealed_reads_are_logged_and_the_log_verified(staffed, tmp_path):
    assert run("records", "access-log", ws=staffed, check=0).stdout == "0 entries\n"
    r1 = run_json("--reveal", "records", "get", "R1", "--as", "P1", "--why", "核实身份",
                  ws=staffed)
    assert r1["fields"]["id_number"] == ID_1 and r1["fields"]["phone"] == PHONE_1
    [entry] = access_log(staffed)
    assert list(entry) == ACCESS_COLUMNS
    assert {k: entry[k] for k in ACCESS_COLUMNS[2:8]} == {
        "reader": "P1", "system": False, "purpose": "核实身份", "read": "get", "key": "R1",
        "kind": "resident"}
    assert entry["seq"] == 1 and sorted(entry["fields"]) == ["id_number", "phone"]
    assert entry["at"].endswith("Z") and len(entry["hash"]) == 64

    # Masked reads are not logged; a revealed read of records without sensitive values
    # neither.
    run("records", "get", "R1", "--as", "P1", "--why", "核实身份", ws=staffed, check=0)
    run("records", "list", *SYS, ws=staffed, check=0)
    run("--reveal", "records", "list", "--kind", "house", *SYS, ws=staffed, check=0)
    assert len(access_log(staffed)) == 1

    # The system reveals every field: one entry per record shown in clear.
    out = run("--reveal", "records", "list", "--kind", "resident", "--system", "--why",
              "年度核查", ws=staffed, check=0).stdout
    assert ID_1 in out and ID_3 in out
    log = access_log(staffed)
    assert [(e["seq"], e["reader"], e["system"], e["read"], e["key"]) for e in log[1:]] == [
        (2, "", True, "list", "R1"), (3, "", True, "list", "R2"), (4, "", True, "list", "R3")]
    assert sorted(log[3]["fields"]) == ["id_number", "special_groups"]

    # CSV, --after and --limit, the table, files.
    text = run("records", "access-log", "--format", "csv", ws=staffed, check=0).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].split(",") == ACCESS_COLUMNS
    assert [(r["seq"], r["reader"], r["system"], r["key"]) for r in rows] == [
        ("1", "P1", "false", "R1"), ("2", "", "true", "R1"), ("3", "", "true", "R2"),
        ("4", "", "true", "R3")]
    assert sorted(rows[0]["fields"].split("|")) == ["id_number", "phone"]
    assert [r["hash"] for r in rows] == [e["hash"] for e in log]
    assert [e["seq"] for e in run_json("records", "access-log", "--after", "1", "--limit", "2",
                                       ws=staffed)] == [2, 3]
    assert run_json("records", "access-log", "--after", "4", ws=staffed) == []
    assert run_json("records", "access-log", "--format", "json", ws=staffed) == log
    table = run("records", "access-log", ws=staffed, check=0).stdout.splitlines()
    assert table[0].split() == ["seq", "at", "reader", "read", "key", "kind", "fields",
                                "purpose"]
    assert table[1].split()[2:] == ["P1", "get", "R1", "resident", "id_number|phone", "核实身份"]
    assert table[2].split()[2:5] == ["system", "list", "R1"]
    assert table[-1] == "4 entries"
    csv_file, json_file = tmp_path / "access.csv", tmp_path / "access.json"
    p = run("records", "access-log", "-o", csv_file, ws=staffed, check=0)
    assert csv_file.read_text(encoding="utf-8") == text and f"wrote {csv_file}" in p.stderr
    run("records", "access-log", "-o", json_file, ws=staffed, check=0)
    assert json.loads(json_file.read_text(encoding="utf-8")) == log
    assert run("records", "access-log", "--format", "xml", ws=staffed, check=3).returncode == 3
    assert run("records", "access-log", "--format", "table", "-o", csv_file, ws=staffed,
               check=3).returncode == 3
    assert run("records", "access-log", "--after", "x", ws=staffed).returncode == 2

    # The chain verifies; an entry edited in the file breaks it from there.
    assert run("records", "verify-access-log", ws=staffed,
               check=0).stdout == "access log ok: 4 entries checked\n"
    assert run_json("records", "verify-access-log", ws=staffed) == {
        "entries": 4, "intact": True, "first_bad": 0, "problem": ""}
    tampered = copy_workspace(staffed, tmp_path / "tampered.gridgov")
    db = sqlite3.connect(tampered)
    db.execute("UPDATE record_access SET purpose = '另有用途' WHERE seq = 3")
    db.commit()
    db.close()
    out = run("records", "verify-access-log", ws=tampered, check=1).stdout
    assert out.startswith("access log broken: hash_mismatch at entry 3")
    check = run_json("records", "verify-access-log", ws=tampered, check=1)
    assert (check["intact"], check["first_bad"], check["problem"]) == (False, 3,
                                                                       "hash_mismatch")


def test_a_refused_reveal_shows_and_logs_nothing(staffed):
    # P3's volunteer role reveals resident phones and special groups only.
    run("records", "add", "--kind", "resident", "--key", "R5", "--node", GRID,
        "--field", "name=王五", "--field", "registration=户籍人口", "--field",
        f"phone={PHONE_2}", "--effective", "2026-01-01", ws=staffed, check=0)
    as_p3 = ("--as", "P3", "--why", "送温暖")
    r5 = run_json("--reveal", "records", "get", "R5", *as_p3, ws=staffed)
    assert r5["fields"]["phone"] == PHONE_2
    [entry] = access_log(staffed)
    assert (entry["reader"], entry["key"], entry["fields"]) == ("P3", "R5", ["phone"])
    assert run_json("records", "get", "R1", *as_p3, ws=staffed)["fields"]["id_number"] == \
        MASKED_ID_1

    before = digest(staffed)
    for read in READS:
        p = run("--reveal", "records", *read, *as_p3, ws=staffed, check=5)
        assert "'P3' may not see resident.id_number of record 'R1'" in p.stderr, p.stderr
        assert ID_1 not in p.stdout and ID_1 not in p.stderr
    # Nor a record outside the person's posts, revealed.
    p = run("--reveal", "records", "get", "R3", "--as", "P1", "--why", "核实", ws=staffed,
            check=5)
    assert "covering record 'R3'" in p.stderr
    assert len(access_log(staffed)) == 1
    assert run_json("records", "verify-access-log", ws=staffed)["entries"] == 1
    assert digest(staffed) == before


# ---- changes ---------------------------------------------------------------------------------

def test_add_with_findings_and_refusals(ws):
    out = run("records", "add", "--kind", "resident", "--key", "R9", "--node", GRID,
              "--field", "name=新居民", "--field", "registration=户籍人口",
              "--field", f"id_number={ID_3}", "--effective", "2026-05-01", ws=ws, check=0).stdout
    assert out.splitlines()[0] == f"added R9 (resident) at {GRID} on 2026-05-01, 1 finding"
    assert "records.id_number" in out
    r9 = run_json("records", "get", *SYS, "R9", "--reveal", ws=ws)
    assert r9["fields"]["id_number"] == ID_3 and r9["fields"]["name"] == "新居民"

    added = run_json("records", "add", "--kind", "unit", "--key", "U9", "--node", TOWN_GRID,
                     "--field", "name=城关超市", "--field", "unit_kind=个体工商户|门前三包单位",
                     "--overlay", FIRE_UNIT, "--effective", "2026-05-01", ws=ws)
    assert added == {"key": "U9", "kind": "unit", "node": TOWN_GRID, "effective": "2026-05-01",
                     "findings": []}
    assert run_json("records", "get", *SYS, "U9", ws=ws)["overlays"] == [
        {"overlay": "fire_safety", "unit": "XF-01-01-01"}]

    before = digest(ws)
    base = ["records", "add", "--kind", "resident", "--node", GRID, "--effective", "2026-05-02"]
    p = run(*base, "--key", "R9", "--field", "name=重复", "--field", "registration=户籍人口",
            ws=ws, check=3)
    assert "R9" in p.stderr
    p = run(*base, "--key", "R10", "--field", "name=无类别", ws=ws, check=3)
    assert "R10" in p.stderr and "registration" in p.stderr
    p = run(*base, "--key", "R10", "--field", "name=甲", "--field", "registration=常住人口",
            ws=ws, check=3)
    assert "registration" in p.stderr and "常住人口" in p.stderr
    p = run(*base, "--key", "R10", "--field", "name=甲", "--field", "registration=户籍人口",
            "--field", "hobby=钓鱼", ws=ws, check=3)
    assert "hobby" in p.stderr
    p = run("records", "add", "--kind", "resident", "--key", "R10", "--node", "371338102201999",
            "--field", "name=甲", "--field", "registration=户籍人口", ws=ws, check=3)
    assert "--node" in p.stderr and "371338102201999" in p.stderr
    assert "--field" in run(*base, "--key", "R10", "--field", "name", ws=ws, check=3).stderr
    assert run(*base, "--key", "R10", "--field", "name=甲", "--field", "registration=户籍人口",
               "--overlay", "XF-01", ws=ws, check=3).returncode == 3
    assert run(*base, "--field", "name=甲", ws=ws).returncode == 2  # no --key
    assert digest(ws) == before
    # Undated, a record is known from the start: its node needs only to be live now (the
    # county's nodes exist since 2023-09-01); dated before the node, it is refused.
    p = run("records", "add", "--kind", "resident", "--key", "R10", "--node", GRID,
            "--field", "name=甲", "--field", "registration=户籍人口", "--effective",
            "2023-01-01", ws=ws, check=3)
    assert "R10" in p.stderr and GRID in p.stderr and "2023-01-01" in p.stderr
    run("records", "add", "--kind", "resident", "--key", "R10", "--node", GRID,
        "--field", "name=甲", "--field", "registration=户籍人口", ws=ws, check=0)


def test_records_exist_since_forever_by_default(tmp_path):
    ws = tmp_path / "small.gridgov"
    run("init", ws=ws, check=0)
    hierarchy = write_csv(tmp_path / "small.csv", ["code", "parent_code", "level", "name"],
                          [["371338", "", "county", "苇川县"],
                           ["371338102", "371338", "township", "青石镇"],
                           ["371338102201", "371338102", "village", "青石村"],
                           [GRID, "371338102201", "grid", "青石村第一网格"]])
    run("import", hierarchy, ws=ws, check=0)  # nodes since forever
    out = run("records", "add", "--kind", "resident", "--key", "R1", "--node", GRID,
              "--field", "name=孔凯福", "--field", "registration=户籍人口", ws=ws,
              check=0).stdout
    assert out.startswith(f"added R1 (resident) at {GRID} since forever, 0 findings")
    more = write_csv(tmp_path / "resident.csv", ["key", "node", "name", "registration"],
                     [["R2", GRID, "乔燕静", "流动人口"]])
    assert run_json("records", "import", more, ws=ws)["added"] == 1
    for key in ("R1", "R2"):
        assert run_json("records", "get", *SYS, key, "--on", "1990-01-01", ws=ws)["key"] == key
        assert run_json("records", "history", *SYS, key, ws=ws)[0]["effective"] is None
    table = run("records", "history", *SYS, "R2", ws=ws, check=0).stdout.splitlines()
    assert table[1].split()[:3] == ["1", "added", "always"]


# ---- roll-ups and findings -------------------------------------------------------------------

def test_rollup_per_node(filled):
    villages = run_json("records", "rollup", "resident", "--level", "village", ws=filled)
    by_code = {r["code"]: r for r in villages}
    assert by_code[VILLAGE]["value"] == 3 and by_code[VILLAGE]["name"] == "青石村"
    assert {r["level"] for r in villages} == {"village"}
    assert sum(r["value"] for r in villages) == 3

    table = run("records", "rollup", "resident", "--field", "registration", "--value", "流动人口",
                "--level", "grid", ws=filled, check=0).stdout.splitlines()
    assert table[0].split() == ["code", "name", "resident", "registration=流动人口"]
    rows = {line.split()[0]: line.split()[-1] for line in table[1:]}
    assert rows[GRID] == "1" and rows[OTHER_GRID] == "1" and rows[TOWN_GRID] == "0"

    everything = run_json("records", "rollup", "house", "--field", "area_m2", ws=filled)
    by_code = {r["code"]: r["value"] for r in everything}
    assert by_code["371338"] == 205.5 and by_code[GRID] == 85.5 and by_code[OTHER_GRID] == 120
    table = run("records", "rollup", "house", "--field", "area_m2", ws=filled,
                check=0).stdout.splitlines()
    assert table[0].split() == ["code", "name", "house", "sum", "of", "area_m2"]
    assert table[1].split() == ["371338", "苇川县", "205.50"]
    assert run_json("records", "rollup", "unit", "--field", "employees",
                    ws=filled)[0]["value"] == 12

    assert "--level" in run("records", "rollup", "resident", "--level", "planet", ws=filled,
                            check=3).stderr
    assert run("records", "rollup", "resident", "--value", "流动人口", ws=filled).returncode == 2
    assert run("records", "rollup", "pet", ws=filled).returncode == 3


def test_validate_findings_and_exit_codes(county, filled, tmp_path):
    p = run("records", "validate", "--on", "2026-03-01", ws=filled, check=1)
    assert p.stdout.splitlines()[0].split() == ["severity", "rule", "where", "message"]
    findings = run_json("records", "validate", "--on", "2026-03-01", ws=filled, check=1)
    assert all(set(f) == {"rule", "severity", "where", "message"} for f in findings)
    assert ("records.id_number", "error", "R3") in {
        (f["rule"], f["severity"], f["where"]) for f in findings}
    errors = sum(f["severity"] == "error" for f in findings)
    assert p.stdout.splitlines()[-1].endswith(f", {errors} error" + ("" if errors == 1 else "s"))
    assert run("records", "validate", "--on", "2026-02-30", ws=filled, check=3).returncode == 3

    # A household without a head, a rented house nobody lives in (a warning).
    run("records", "add", "--kind", "household", "--key", "H2", "--node", OTHER_GRID,
        "--effective", "2026-01-01", ws=filled, check=0)
    rules = {(f["rule"], f["severity"], f["where"])
             for f in run_json("records", "validate", "--on", "2026-03-01", ws=filled, check=1)}
    assert ("records.household_head", "error", "H2") in rules

    # Warnings alone do not fail.
    clean = copy_workspace(county, tmp_path / "clean.gridgov")
    run("records", "add", "--kind", "component", "--key", "C1", "--node", GRID,
        "--field", "component_code=3713380101000001", "--field", "name=井盖",
        "--field", "major_class=公用设施", "--effective", "2026-01-01", ws=clean, check=0)
    run("records", "add", "--kind", "house", "--key", "HS7", "--node", GRID,
        "--field", f"house_code={GRID}0007", "--field", "address=青石村7号", "--field", "use=出租",
        "--effective", "2026-01-01", ws=clean, check=0)
    out = run("records", "validate", "--on", "2026-03-01", ws=clean, check=0).stdout
    assert "records.rented_without_tenants" in out and "warning" in out
    assert out.splitlines()[-1] == "1 finding, 0 errors"
    assert run_json("records", "validate", ws=clean, check=0) == run_json(
        "records", "validate", "--on", "2026-03-01", ws=clean, check=0)


# ---- 四实 field checks -----------------------------------------------------------------------

TOWNSHIP, COUNTY = "371338102", "371338"
# The houses of 青石村 once `checked` has added three: the draw's candidates, by key.
HOUSES = {"HS1": GRID, "HS2": OTHER_GRID, "HS3": GRID, "HS4": OTHER_GRID, "HS5": GRID}
RATE_COLUMNS = ["month", "node", "name", "sampled", "checked", "correct", "not_collected",
                "not_deregistered", "wrong", "collection_rate", "accuracy_rate"]
COUNTS = RATE_COLUMNS[3:9]


@pytest.fixture
def checked(filled):
    """`filled` with five houses in 青石村 (three on GRID, two on OTHER_GRID) and a fourth
    resident, all effective 2026-01-01."""
    for key in ("HS3", "HS4", "HS5"):
        node = HOUSES[key]
        run("records", "add", "--kind", "house", "--key", key, "--node", node,
            "--field", f"house_code={node}000{key[-1]}", "--field", f"address=青石村{key[-1]}号",
            "--field", "use=出租", "--effective", "2026-01-01", ws=filled, check=0)
    run("records", "add", "--kind", "resident", "--key", "R4", "--node", GRID,
        "--field", "name=王租客", "--field", "registration=流动人口", "--effective",
        "2026-01-01", ws=filled, check=0)
    return filled


def draw_houses(ws, count, seed):
    return json.loads(run("records", "check-draw", "--kind", "house", "--within", VILLAGE,
                          "--count", count, "--seed", seed, ws=ws, check=0).stdout)


def write_round(tmp_path, name, label, date, draw, findings, inspector="督导员甲"):
    path = tmp_path / name
    path.write_text(json.dumps({
        "label": label, "date": date, "inspector": inspector, "draw": draw,
        "findings": [{"sampled": s, "record": r, "outcome": o, "note": n}
                     for s, r, o, n in findings]}, ensure_ascii=False), encoding="utf-8")
    return path


def expected_rates(month, picks, findings):
    """The rates library-independently: per grid of the drawn houses and every ancestor,
    the picks and findings counted, the rates in % (None when undefined)."""
    outcome_of = {"准确": "correct", "未采集": "not_collected", "未注销": "not_deregistered",
                  "信息错误": "wrong"}
    rows = {}

    def row(node):
        return rows.setdefault(node, {"month": month, "node": node, **dict.fromkeys(COUNTS, 0)})

    for grid, bump in ([(HOUSES[p], "sampled") for p in picks] +
                       [(HOUSES[s], outcome_of.get(o, o)) for s, _, o, _ in findings]):
        for node in (grid, VILLAGE, TOWNSHIP, COUNTY):
            row(node)[bump] += 1
    for r in rows.values():
        r["checked"] = r["correct"] + r["wrong"] + r["not_collected"]
        r["collection_rate"] = (100.0 * (r["checked"] - r["not_collected"]) / r["checked"]
                                if r["checked"] else None)
        found = r["correct"] + r["wrong"]
        r["accuracy_rate"] = 100.0 * r["correct"] / found if found else None
    return [rows[n] for n in (COUNTY, TOWNSHIP, VILLAGE, GRID, OTHER_GRID) if n in rows]


def test_check_draw_is_an_audited_draw_of_records(checked, tmp_path):
    before = digest(checked)
    draw = draw_houses(checked, 3, 20260915)
    assert list(draw) == ["algorithm", "seed", "candidates", "count", "strata", "avoid", "picks"]
    assert draw["algorithm"] == "splitmix64-fisher-yates-v1"
    assert (draw["seed"], draw["count"], draw["avoid"]) == (20260915, 3, [])
    # Candidates in key order, one stratum per node (its code): every grid gets a pick.
    assert draw["candidates"] == sorted(HOUSES)
    assert draw["strata"] == [HOUSES[k] for k in sorted(HOUSES)]
    assert len(draw["picks"]) == 3 and len(set(draw["picks"])) == 3
    assert set(draw["picks"]) <= set(HOUSES)
    assert {HOUSES[p] for p in draw["picks"]} == {GRID, OTHER_GRID}
    assert draw_houses(checked, 3, 20260915) == draw  # the seed re-runs it
    assert draw_houses(checked, 3, 7)["candidates"] == draw["candidates"]

    # Everywhere: 青石村's houses are all there are; a grid alone has its own.
    everywhere = json.loads(run("records", "check-draw", "--kind", "house", "--count", "3",
                                "--seed", "20260915", ws=checked, check=0).stdout)
    assert everywhere == draw
    grid = json.loads(run("records", "check-draw", "--kind", "house", "--within", GRID,
                          "--count", "2", "--seed", "1", ws=checked, check=0).stdout)
    assert grid["candidates"] == ["HS1", "HS3", "HS5"] and grid["strata"] == [GRID] * 3

    # -o writes the same document to a file; --json changes nothing.
    out = tmp_path / "draw.json"
    p = run("records", "check-draw", "--kind", "house", "--within", VILLAGE, "--count", "3",
            "--seed", "20260915", "-o", out, ws=checked, check=0)
    assert p.stdout == "" and f"wrote {out}: 3 of 5 house records, seed 20260915" in p.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == draw
    assert json.loads(run("--json", "records", "check-draw", "--kind", "house", "--within",
                          VILLAGE, "--count", "3", "--seed", "20260915", ws=checked,
                          check=0).stdout) == draw
    assert digest(checked) == before  # a draw is not stored: the inspector keeps it

    base = ("records", "check-draw", "--count", "3", "--seed", "1")
    p = run(*base, "--kind", "pet", ws=checked, check=3)
    assert "--kind pet" in p.stderr and "house" in p.stderr
    p = run(*base, "--kind", "house", "--within", "371338102201999", ws=checked, check=3)
    assert "--within" in p.stderr and "371338102201999" in p.stderr
    assert "count 9" in run("records", "check-draw", "--kind", "house", "--count", "9", "--seed",
                            "1", ws=checked, check=3).stderr
    # One pick per node first: fewer than the nodes holding houses is refused.
    assert "strata" in run("records", "check-draw", "--kind", "house", "--count", "1", "--seed",
                           "1", ws=checked, check=3).stderr
    assert run("records", "check-draw", "--kind", "house", "--count", "3", ws=checked,
               check=2).returncode == 2  # --seed is required
    assert run("records", "check-draw", "--kind", "house", "--seed", "1", ws=checked,
               check=2).returncode == 2  # --count too
    assert digest(checked) == before


def test_check_rounds_and_rates(checked, tmp_path):
    draw = draw_houses(checked, 3, 20260915)
    a, b, c = draw["picks"]
    findings = [(a, "R1", "correct", ""), (a, "", "not_collected", "租客王某, 未登记"),
                (b, "R2", "wrong", "手机号已变"), (c, "R3", "未注销", "已搬走"),
                (c, "R4", "准确", "")]
    first = write_round(tmp_path, "round_09.json", "2026-09 青石村督查", "2026-09-15", draw,
                        findings)
    assert run("records", "check-record", first, ws=checked, check=0).stdout == (
        "recorded check round 2026-09 青石村督查 (2026-09-15): 3 records drawn, 5 findings\n")

    # October: two houses drawn (one per grid), one person found, at the first.
    october = draw_houses(checked, 2, 202610)
    d, e = october["picks"]
    assert {HOUSES[d], HOUSES[e]} == {GRID, OTHER_GRID}
    second_findings = [(d, "R1", "correct", "")]
    second = write_round(tmp_path, "round_10.json", "2026-10 青石村督查", "2026-10-20", october,
                         second_findings, inspector="督导员乙")
    stored = run_json("records", "check-record", second, ws=checked)
    assert (stored["label"], stored["date"], stored["inspector"]) == (
        "2026-10 青石村督查", "2026-10-20", "督导员乙")
    assert stored["draw"] == october
    assert stored["findings"] == [{"sampled": d, "record": "R1", "outcome": "correct",
                                   "note": "", "node": HOUSES[d]}]

    # checks: the rounds in the order recorded, outcomes by their names, each finding with
    # the grid of its drawn house.
    rounds = run_json("records", "checks", ws=checked)
    assert [r["label"] for r in rounds] == ["2026-09 青石村督查", "2026-10 青石村督查"]
    assert rounds[0]["draw"] == draw and rounds[1] == stored
    assert [(f["sampled"], f["record"], f["outcome"], f["note"], f["node"])
            for f in rounds[0]["findings"]] == [
        (a, "R1", "correct", "", HOUSES[a]), (a, "", "not_collected", "租客王某, 未登记", HOUSES[a]),
        (b, "R2", "wrong", "手机号已变", HOUSES[b]), (c, "R3", "not_deregistered", "已搬走", HOUSES[c]),
        (c, "R4", "correct", "", HOUSES[c])]
    table = run("records", "checks", ws=checked, check=0).stdout.splitlines()
    assert table[0].split() == ["label", "date", "inspector", "drawn", "findings"]
    assert table[1].split() == ["2026-09", "青石村督查", "2026-09-15", "督导员甲", "3", "5"]
    assert table[2].split() == ["2026-10", "青石村督查", "2026-10-20", "督导员乙", "2", "1"]
    assert table[-1] == "2 check rounds"

    # check-rates, JSON: per month and node (grids and every ancestor).
    september = expected_rates("2026-09", draw["picks"], findings)
    expected = september + expected_rates("2026-10", october["picks"], second_findings)
    rates = run_json("records", "check-rates", ws=checked)
    assert [list(r) for r in rates] == [RATE_COLUMNS] * len(rates)
    names = {COUNTY: "苇川县", TOWNSHIP: "青石镇", VILLAGE: "青石村", GRID: "青石村第一网格",
             OTHER_GRID: "青石村第二网格"}
    assert [r["name"] for r in rates] == [names[r["node"]] for r in rates]
    assert [{k: v for k, v in r.items() if k != "name"} for r in rates] == expected
    assert [(r["month"], r["node"]) for r in rates] == [
        (m, n) for m in ("2026-09", "2026-10") for n in (COUNTY, TOWNSHIP, VILLAGE, GRID,
                                                          OTHER_GRID)]
    # The village in September, by hand: 3 houses, 4 people found (2 correct, 1 wrong, 1 not
    # collected) and 1 record of someone gone; 采集率 (4 - 1) / 4, 准确率 2 / 3.
    village = rates[2]
    assert {k: village[k] for k in COUNTS} == {
        "sampled": 3, "checked": 4, "correct": 2, "not_collected": 1, "not_deregistered": 1,
        "wrong": 1}
    assert village["collection_rate"] == 75 and village["accuracy_rate"] == 100.0 * 2 / 3
    # October: the grid without a finding was visited, nobody checked: the rates are null.
    quiet = next(r for r in rates if r["month"] == "2026-10" and r["node"] == HOUSES[e])
    assert (quiet["sampled"], quiet["checked"]) == (1, 0)
    assert quiet["collection_rate"] is None and quiet["accuracy_rate"] is None
    assert rates[5]["collection_rate"] == 100 and rates[5]["accuracy_rate"] == 100

    # --from and --to pick the rounds by date.
    assert run_json("records", "check-rates", "--from", "2026-10-01", ws=checked) == rates[5:]
    assert run_json("records", "check-rates", "--to", "2026-09-30", ws=checked) == rates[:5]
    assert run_json("records", "check-rates", "--from", "2026-09-15", "--to", "2026-09-15",
                    ws=checked) == rates[:5]
    assert run_json("records", "check-rates", "--from", "2026-11-01", ws=checked) == []
    assert run_json("records", "check-rates", "--format", "json", ws=checked) == rates

    # CSV: the same numbers, undefined rates empty.
    text = run("records", "check-rates", "--format", "csv", ws=checked, check=0).stdout
    assert text.splitlines()[0].split(",") == RATE_COLUMNS
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(rates)
    for row, r in zip(rows, rates):
        assert (row["month"], row["node"], row["name"]) == (r["month"], r["node"], r["name"])
        assert [int(row[k]) for k in COUNTS] == [r[k] for k in COUNTS]
        for k in ("collection_rate", "accuracy_rate"):
            assert (float(row[k]) if row[k] else None) == r[k]
    assert (rows[2]["collection_rate"], rows[2]["accuracy_rate"]) == ("75", "66.66666666666667")
    quiet_row = next(r for r in rows if r["month"] == "2026-10" and r["node"] == HOUSES[e])
    assert (quiet_row["collection_rate"], quiet_row["accuracy_rate"]) == ("", "")

    # The table: percentages with two decimals, "-" when undefined, and a count line.
    table = run("records", "check-rates", ws=checked, check=0).stdout.splitlines()
    assert table[0].split() == RATE_COLUMNS
    assert table[3].split() == ["2026-09", VILLAGE, "青石村", "3", "4", "2", "1", "1", "1",
                                "75.00%", "66.67%"]
    quiet_line = next(line.split() for line in table[6:-1] if line.split()[1] == HOUSES[e])
    assert quiet_line[3:] == ["1", "0", "0", "0", "0", "0", "-", "-"]
    assert table[-1] == "10 rows"
    assert run("records", "check-rates", "--from", "2026-11-01", ws=checked,
               check=0).stdout == "0 rows\n"

    # Files: the format from the extension; a table goes to standard output only.
    csv_file, json_file = tmp_path / "rates.csv", tmp_path / "rates.json"
    p = run("records", "check-rates", "-o", csv_file, ws=checked, check=0)
    assert csv_file.read_text(encoding="utf-8") == text and f"wrote {csv_file}" in p.stderr
    run("records", "check-rates", "-o", json_file, ws=checked, check=0)
    assert json.loads(json_file.read_text(encoding="utf-8")) == rates
    assert run("records", "check-rates", "--format", "table", "-o", csv_file, ws=checked,
               check=3).returncode == 3
    assert "xml" in run("records", "check-rates", "--format", "xml", ws=checked, check=3).stderr
    assert "--from" in run("records", "check-rates", "--from", "2026-09-31", ws=checked,
                           check=3).stderr
    assert "--to" in run("records", "check-rates", "--from", "2026-10-01", "--to", "2026-09-01",
                         ws=checked, check=3).stderr


def test_assess_scores_with_the_record_checks(checked, tmp_path):
    draw = draw_houses(checked, 3, 20260915)
    a, b, c = draw["picks"]
    findings = [(a, "R1", "correct", ""), (a, "", "not_collected", "租客"),
                (b, "R2", "wrong", ""), (c, "R3", "correct", "")]
    run("records", "check-record",
        write_round(tmp_path, "r.json", "2026-09 督查", "2026-09-15", draw, findings),
        ws=checked, check=0)
    scheme = tmp_path / "collection.json"
    scheme.write_text(json.dumps({
        "key": "collection_quality", "label": "四实采集质量", "version": 1, "period": "month",
        "max_total": 100,
        "indicators": [{"key": "info_collection_rate", "label": "采集率", "unit": "%"}],
        "components": [{"key": "collection", "label": "采集率", "weight": 1, "max_points": 100,
                        "indicator": "info_collection_rate",
                        "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
        "grades": [{"key": "pass", "label": "合格", "min": 60},
                   {"key": "fail", "label": "不合格", "min": 0, "failing": True}]},
        ensure_ascii=False), encoding="utf-8")
    args = ("assess", scheme, "--period", "2026-09", "--subject", VILLAGE, "--no-store",
            "--format", "json")
    # 4 people found, 1 not collected: 75 %, scored 75 points.
    scored = run_json(*args, "--record-checks", ws=checked)
    assert scored["scores"][0]["total"] == 75
    # Without the flag the indicator is missing and the total undefined.
    assert run_json(*args, ws=checked)["scores"][0]["total"] is None


def test_refused_check_rounds_change_nothing(checked, tmp_path):
    draw = draw_houses(checked, 3, 20260915)
    a, b, c = draw["picks"]
    undrawn = sorted(set(HOUSES) - set(draw["picks"]))[0]
    good = write_round(tmp_path, "good.json", "2026-09 督查", "2026-09-15", draw,
                       [(a, "R1", "correct", "")])
    run("records", "check-record", good, ws=checked, check=0)
    before = digest(checked)
    rounds = run("--json", "records", "checks", ws=checked, check=0).stdout

    def refused(name, text_or_round, *members, code=3):
        path = tmp_path / name
        if isinstance(text_or_round, str):
            path.write_text(text_or_round, encoding="utf-8")
        else:
            label, draw_, findings = text_or_round
            path = write_round(tmp_path, name, label, "2026-09-16", draw_, findings)
        p = run("records", "check-record", path, ws=checked, check=code)
        assert name in p.stderr, p.stderr
        for member in members:
            assert member in p.stderr, p.stderr
        assert digest(checked) == before
        assert run("--json", "records", "checks", ws=checked, check=0).stdout == rounds
        return p

    # The label is taken.
    p = refused("again.json", ("2026-09 督查", draw, [(b, "R2", "correct", "")]),
                "field 'label'", "'2026-09 督查' is taken")
    # A finding at a house the draw did not pick.
    refused("undrawn.json", ("2026-09 补查", draw, [(a, "R1", "correct", ""),
                                                    (undrawn, "R2", "wrong", "")]),
            "findings[1]", "field 'sampled'", f"'{undrawn}' was not drawn")
    # A draw tampered with: a pick swapped for a house not drawn.
    tampered = dict(draw, picks=[undrawn, b, c])
    refused("tampered.json", ("2026-09 补查", tampered, [(b, "R2", "correct", "")]),
            "field 'draw'", "seed")
    reseeded = dict(draw, seed=draw["seed"] + 1)
    refused("reseeded.json", ("2026-09 补查", reseeded, [(b, "R2", "correct", "")]),
            "field 'draw'")
    # A record given for a person not collected, none for a wrong one, an unknown one, one
    # found twice.
    refused("collected.json", ("2026-09 补查", draw, [(a, "R1", "not_collected", "")]),
            "findings[0]", "field 'record'")
    refused("no_record.json", ("2026-09 补查", draw, [(a, "", "wrong", "")]),
            "findings[0]", "field 'record'", "wrong")
    refused("unknown.json", ("2026-09 补查", draw, [(a, "R99", "correct", "")]),
            "findings[0]", "field 'record'", "R99")
    refused("twice.json", ("2026-09 补查", draw, [(a, "R1", "correct", ""),
                                                  (b, "R1", "wrong", "")]),
            "findings[1]", "field 'record'", "twice")
    # Malformed: not JSON, an unknown outcome, a missing label, a bad date, no draw.
    refused("broken.json", '{"label": "2026-09 补查", "findings": [')
    refused("outcome.json", ("2026-09 补查", draw, [(a, "R1", "迁出", "")]),
            "findings[0]", "field 'outcome'", "迁出")
    document = json.loads(good.read_text(encoding="utf-8"))
    for member, change in (("label", lambda d: d.pop("label")),
                           ("date", lambda d: d.update(date="2026-09-31")),
                           ("draw", lambda d: d.pop("draw")),
                           ("sampled", lambda d: d["findings"][0].pop("sampled"))):
        broken = json.loads(json.dumps(document))
        broken["label"] = "2026-09 补查"
        change(broken)
        refused(f"no_{member}.json", json.dumps(broken, ensure_ascii=False), f"'{member}'")
    assert run("records", "check-record", tmp_path / "none.json", ws=checked,
               check=3).returncode == 3
    assert run("records", "check-record", ws=checked, check=2).returncode == 2
    assert digest(checked) == before
    assert run("records", "checks", ws=checked, check=0).stdout.splitlines()[-1] == \
        "1 check round"


def test_usage_and_missing_workspace(tmp_path):
    assert run("records", ws=tmp_path / "x.gridgov").returncode == 2
    assert run("records", "frobnicate", ws=tmp_path / "x.gridgov").returncode == 2
    assert run("records", "list").returncode == 2  # no workspace
    p = run("records", "list", *SYS, ws=tmp_path / "none.gridgov", check=3)
    assert "no workspace file" in p.stderr
    assert not (tmp_path / "none.gridgov").exists()
    out = run("records", "--help", check=0).stdout
    for sub in ("kinds", "schema", "import", "export", "get", "history", "find", "list", "add",
                "move", "remove", "rollup", "validate", "access-log", "verify-access-log",
                "check-draw", "check-record", "checks", "check-rates"):
        assert f"  {sub} " in out or f"  {sub}\n" in out
