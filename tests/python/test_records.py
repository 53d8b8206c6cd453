"""Workspace.records from Python, on the township of conftest.py (石泉镇).

A few residents, households and houses of 东石泉村 and 西石泉村, kept the way the 一户一档
notices ask: every resident at a grid, a household with its head, houses coded from the
code of their grid. The ID numbers are made here with their GB 11643 check character, so
that the tests know which ones are right.

Every read of record contents names its reader: most tests read as the system; the tests
of "who reads records" post people of the directory at grids and villages. The last part
tests the 四实 field checks: draws, rounds, rates, indicators and the report page.
"""

import datetime
import json
import math

import numpy as np
import pytest

import gridgov
from conftest import (
    STREET,
    TOWNSHIP,
    grid_code,
    seat_grid,
    township_csv_text,
)

G1 = grid_code("201", 1)
G2 = grid_code("201", 2)
G3 = grid_code("202", 1)
EAST = TOWNSHIP + "201"  # 东石泉村
WEST = TOWNSHIP + "202"  # 西石泉村
SOUTH = TOWNSHIP + "203"  # 南岭村, no records

ADDED = "2024-01-01"

# The readers of most tests: the system, with sensitive fields masked or in clear.
SYSTEM = gridgov.RecordReader.system("tests of the records face")
REVEAL = gridgov.RecordReader.system("tests of the records face", reveal=True)


def id_number(first17):
    return first17 + gridgov.id_number_check_character(first17)


ID1 = id_number("37132719800101001")  # a man born 1980-01-01 (17th digit odd)
ID2 = id_number("37132719920315002")  # a woman born 1992-03-15
ID3 = id_number("37132719550707003")
WRONG = ID3[:-1] + ("0" if ID3[-1] != "0" else "1")  # the check character fails


def resident(key, node, name, registration, **fields):
    return {"key": key, "kind": "resident", "node": node,
            "fields": {"name": name, "registration": registration, **fields}}


def base_records():
    return [
        {"key": "H-1", "kind": "house", "node": G1,
         "fields": {"house_code": G1 + "0001", "address": "东石泉村1号", "use": "自住",
                    "area_m2": "120.5", "owner": "R-1"}},
        {"key": "H-2", "kind": "house", "node": G1,
         "fields": {"house_code": G1 + "0002", "address": "东石泉村2号", "use": "出租",
                    "area_m2": 80, "tenants": ["R-2"]}},
        {"key": "HH-1", "kind": "household", "node": G1,
         "fields": {"head": "R-1", "house": "H-1", "class": "一般户"}},
        resident("R-1", G1, "张建军", "户籍人口", id_number=ID1, phone="13805431001",
                 household="HH-1", house="H-1"),
        resident("R-2", G1, "李梅", "流动人口", id_number=ID2, phone="13905432002",
                 house="H-2"),
        resident("R-3", G3, "王老汉", "户籍人口", id_number=ID3,
                 special_groups=["独居老人", "低保对象"]),
    ]


@pytest.fixture
def kept(township):
    """The township with its base records, added on 2024-01-01."""
    findings = township.records.add(base_records(), effective=ADDED)
    assert findings == []
    return township


def everything(ws):
    """Every live record, revealed, as dicts: what a refused change must leave as it was."""
    return [r.to_dict() for r in ws.records.list(REVEAL)]


# ---- kinds --------------------------------------------------------------------------------
def test_the_standard_preset_holds_the_six_kinds():
    assert "standard" in gridgov.RecordSchema.preset_keys()
    s = gridgov.RecordSchema.preset("standard")
    assert s.keys == ["resident", "household", "house", "unit", "organisation", "component"]
    assert len(s) == 6 and "house" in s and "vehicle" not in s
    resident_kind = s.kind("resident")
    assert resident_kind.label == "实有人口"
    names = [f.name for f in resident_kind.fields]
    assert names[:2] == ["name", "id_number"]
    assert {"sex", "birth_date", "phone", "registration", "household", "house"} <= set(names)
    idn = resident_kind.field("id_number")
    assert (idn.type, idn.check, idn.sensitive, idn.lookup) == ("code", "id_number", True, True)
    assert resident_kind.field("name").required
    birth = resident_kind.field("birth_date")
    assert (birth.type, birth.derive_from, birth.derivation) == ("date", "id_number",
                                                                  "birth_date")
    reg = resident_kind.field("registration")
    assert reg.type == "enum" and reg.values == ["户籍人口", "流动人口", "境外人员"]
    household = resident_kind.field("household")
    assert (household.type, household.refers_to) == ("reference", "household")
    assert resident_kind.field("nickname") is None
    assert s.find("vehicle") is None
    with pytest.raises(gridgov.NotFoundError, match="vehicle"):
        s.kind("vehicle")
    with pytest.raises(gridgov.NotFoundError, match="nowhere"):
        gridgov.RecordSchema.preset("nowhere")


def test_schema_json_round_trip_extension_and_errors():
    s = gridgov.RecordSchema.preset("standard")
    again = gridgov.RecordSchema.from_json(s.to_json())
    assert again == s and again.to_json() == s.to_json()
    extension = {"kinds": [
        {"key": "resident", "label": "实有人口",
         "fields": [{"name": "wechat", "label": "微信号", "type": "text", "sensitive": True}]},
        {"key": "vehicle", "label": "车辆",
         "fields": [{"name": "plate", "label": "号牌", "type": "text", "required": True,
                     "lookup": True},
                    {"name": "colour", "label": "颜色", "type": "enum",
                     "values": ["白", "黑", "红"]}]},
    ]}
    s.extend(json.dumps(extension, ensure_ascii=False))
    assert s.keys[-1] == "vehicle"
    assert [f.name for f in s.kind("resident").fields][-1] == "wechat"
    assert s.kind("vehicle").field("colour").values == ["白", "黑", "红"]
    assert s != gridgov.RecordSchema.preset("standard")
    with pytest.raises(gridgov.AlreadyExistsError, match="wechat"):
        s.extend(json.dumps(extension, ensure_ascii=False))
    bad = {"kinds": [{"key": "pet", "label": "宠物",
                      "fields": [{"name": "species", "label": "种类", "type": "enum"}]}]}
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"pets\.json kind 'pet' fields\[0\] field 'values'"):
        gridgov.RecordSchema.from_json(json.dumps(bad), "pets.json")


def test_code_checks():
    def credit_check(first17):  # GB 32100-2015, written out here to check the library
        chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        total = sum(chars.index(c) * w for c, w in zip(first17, weights))
        return chars[(31 - total % 31) % 31]

    first17 = "91371327MA3C8N2Q7"
    assert gridgov.credit_code_check_character(first17) == credit_check(first17)
    code = first17 + credit_check(first17)
    assert gridgov.is_valid_credit_code(code)
    other = "0" if code[-1] != "0" else "1"
    assert not gridgov.is_valid_credit_code(code[:-1] + other)
    assert not gridgov.is_valid_credit_code(code[:-1])
    assert gridgov.is_valid_component_code("3713270101000001")
    assert not gridgov.is_valid_component_code("3713270001000001")  # major class 00
    assert not gridgov.is_valid_component_code("3713270101000000")  # serial all zeros
    assert gridgov.is_valid_phone("13805431001")
    assert gridgov.is_valid_phone("0539-8123456")
    assert not gridgov.is_valid_phone("138-0543-1001")
    assert not gridgov.is_valid_phone("12345")
    phone = gridgov.RecordSchema.preset("standard").kind("resident").field("phone")
    assert gridgov.mask_field_value(phone, "13805431001") == "138****1001"


# ---- the schema of a workspace ------------------------------------------------------------
def test_a_new_workspace_has_the_standard_schema_and_extends_it(township):
    records = township.records
    assert records.schema == gridgov.RecordSchema.preset("standard")
    records.extend_schema(json.dumps({"kinds": [{"key": "resident", "label": "实有人口",
        "fields": [{"name": "wechat", "label": "微信号", "type": "text"}]}]},
        ensure_ascii=False))
    assert records.schema.kind("resident").field("wechat").type == "text"
    records.add([resident("R-9", G1, "赵六", "户籍人口", wechat="zhao6")], "2024-01-01")
    assert records.get(SYSTEM, "R-9")["wechat"] == "zhao6"
    with pytest.raises(gridgov.AlreadyExistsError, match="wechat"):
        records.extend_schema(json.dumps({"kinds": [{"key": "resident", "label": "实有人口",
            "fields": [{"name": "wechat", "label": "微信号", "type": "text"}]}]},
            ensure_ascii=False))


def test_an_extension_in_json_refers_to_the_kinds_it_extends(township):
    pets = json.dumps({"kinds": [{"key": "pet", "label": "犬只", "fields": [
        {"name": "owner", "type": "reference", "refers_to": "resident"}]}]})
    with pytest.raises(gridgov.Error, match="unknown kind 'resident'"):
        gridgov.RecordSchema.from_json(pets)
    schema = gridgov.RecordSchema.preset("standard")
    schema.extend(pets)
    assert schema.kind("pet").field("owner").refers_to == "resident"
    township.records.extend_schema(pets)
    assert "pet" in township.records.schema


def test_set_schema_is_refused_while_records_use_a_kind_it_lacks(kept):
    records = kept.records
    document = json.loads(gridgov.RecordSchema.preset("standard").to_json())
    document["kinds"] = [k for k in document["kinds"] if k["key"] != "component"]
    without_components = gridgov.RecordSchema.from_json(json.dumps(document, ensure_ascii=False))
    records.add([{"key": "C-1", "kind": "component", "node": G1,
                  "fields": {"component_code": "3713270101000001", "name": "井盖",
                             "major_class": "公用设施"}}], ADDED)
    with pytest.raises(gridgov.InvalidStateError, match="component"):
        records.set_schema(without_components)
    assert "component" in records.schema
    records.remove("C-1", "2024-02-01")
    with pytest.raises(gridgov.InvalidStateError, match="component"):
        records.set_schema(without_components)  # removed records stay in history
    assert records.schema == gridgov.RecordSchema.preset("standard")


def test_set_schema_takes_a_preset_key_or_json(township):
    records = township.records
    document = json.loads(gridgov.RecordSchema.preset("standard").to_json())
    document["kinds"] = [k for k in document["kinds"] if k["key"] != "component"]
    records.set_schema(json.dumps(document, ensure_ascii=False))
    assert "component" not in records.schema
    records.set_schema("standard")
    assert records.schema.keys[-1] == "component"


# ---- adding and reading -------------------------------------------------------------------
def test_add_and_read_back(kept):
    records = kept.records
    assert len(records) == records.size() == 6
    assert records.count() == 6
    assert (records.count("resident"), records.count("house"), records.count("unit")) == (3, 2, 0)
    r = records.get(SYSTEM, "R-1")
    assert isinstance(r, gridgov.Record)
    assert (r.key, r.kind, r.node) == ("R-1", "resident", G1)
    assert r["name"] == "张建军" and r["registration"] == "户籍人口"
    assert r["household"] == "HH-1" and r.get("employer") is None and "employer" not in r
    # Derived from the ID number.
    assert (r["birth_date"], r["sex"]) == ("1980-01-01", "男")
    assert records.get(SYSTEM, "R-2")["sex"] == "女"
    # Fields come back in the kind's order.
    order = [f.name for f in records.schema.kind("resident").fields]
    assert list(r.fields) == [n for n in order if n in r.fields]
    assert records.get(SYSTEM, "H-2")["tenants"] == "R-2"
    assert float(records.get(SYSTEM, "H-1")["area_m2"]) == 120.5
    assert records.get(SYSTEM, "R-404") is None
    assert records.keys() == ["H-1", "H-2", "HH-1", "R-1", "R-2", "R-3"]
    assert records.keys("resident") == ["R-1", "R-2", "R-3"]


def test_sensitive_fields_are_masked_unless_revealed(kept):
    records = kept.records
    masked = records.get(SYSTEM, "R-1")
    assert not masked.revealed
    assert masked["id_number"] == gridgov.mask_id_number(ID1) == ID1[:4] + "*" * 10 + ID1[-4:]
    assert masked["phone"] == "138****1001"
    assert records.get(SYSTEM, "R-3")["special_groups"] == "***"
    assert "13805431001" not in repr(masked)
    shown = records.get(REVEAL, "R-1")
    assert shown.revealed
    assert (shown["id_number"], shown["phone"]) == (ID1, "13805431001")
    assert records.get(REVEAL, "R-3")["special_groups"] in ("独居老人|低保对象",
                                                                 "低保对象|独居老人")
    assert all(ID1 not in str(r.fields) for r in records.list(SYSTEM))
    assert ID1 in str([r.fields for r in records.list(REVEAL)])
    assert records.find(SYSTEM, "id_number", ID1)[0]["id_number"] != ID1
    assert ID1 not in records.export_text(SYSTEM, "csv", "resident")
    assert ID1 in records.export_text(REVEAL, "csv", "resident")
    assert ID1 not in records.export_text(SYSTEM, "json")


def test_records_given_as_record_objects(township):
    records = township.records
    r = gridgov.Record("R-7", "resident", G2,
                       fields={"name": "孙七", "registration": "境外人员",
                               "birth_date": datetime.date(1990, 5, 1), "hukou_type": None},
                       overlays=[])
    assert r.fields == {"name": "孙七", "registration": "境外人员", "birth_date": "1990-05-01"}
    r["phone"] = "13700000007"
    assert r.to_dict() == {"key": "R-7", "kind": "resident", "node": G2, "overlays": [],
                           "fields": {"name": "孙七", "registration": "境外人员",
                                      "birth_date": "1990-05-01", "phone": "13700000007"}}
    node = township.hierarchy.view[G3]
    moved = gridgov.Record("R-8", "resident", node, fields={"name": "周八",
                                                             "registration": "户籍人口"})
    assert moved.node == G3
    assert records.add([r, moved], datetime.date(2024, 1, 1)) == []
    assert records.get(REVEAL, "R-7") == gridgov.Record(
        "R-7", "resident", G2, fields={"name": "孙七", "registration": "境外人员",
                                       "birth_date": "1990-05-01", "phone": "13700000007"})
    assert records.get(SYSTEM, "R-8").node == G3


def test_arguments_of_the_wrong_shape(township):
    records = township.records
    with pytest.raises(TypeError, match="list of records"):
        records.add(resident("R-1", G1, "张建军", "户籍人口"))
    with pytest.raises(TypeError, match="bool"):
        records.add([resident("R-1", G1, "张建军", "户籍人口", hukou_type=True)])
    with pytest.raises(gridgov.InvalidArgumentError, match="'colour'"):
        records.add([{"key": "R-1", "kind": "resident", "node": G1, "colour": "red"}])
    with pytest.raises(TypeError):
        records.list(SYSTEM, where=["registration", "户籍人口"])
    with pytest.raises(TypeError, match="date"):
        records.add([resident("R-1", G1, "张建军", "户籍人口")], effective=20240101)
    assert records.count() == 0


# ---- refusals change nothing --------------------------------------------------------------
def test_an_unknown_node_is_refused_and_changes_nothing(kept):
    before = everything(kept)
    with pytest.raises(gridgov.NotFoundError, match="R-9.*999999"):
        kept.records.add([resident("R-9", "999999", "赵六", "户籍人口")], ADDED)
    assert kept.records.get(SYSTEM, "R-9") is None
    assert everything(kept) == before
    with pytest.raises(gridgov.NotFoundError):
        kept.records.move("R-1", "999999", "2024-02-01")
    assert kept.records.get(SYSTEM, "R-1").node == G1
    assert [v.change for v in kept.records.history(SYSTEM, "R-1")] == ["added"]


def test_a_missing_required_field_is_refused_naming_record_and_field(kept):
    before = everything(kept)
    good = resident("R-8", G2, "周八", "户籍人口")
    bad = {"key": "R-9", "kind": "resident", "node": G2, "fields": {"name": "赵六"}}
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-9.*registration"):
        kept.records.add([good, bad], ADDED)
    assert kept.records.get(SYSTEM, "R-8") is None  # all or nothing
    assert everything(kept) == before
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-9.*registration.*外星人"):
        kept.records.add([resident("R-9", G2, "赵六", "外星人")], ADDED)
    with pytest.raises(gridgov.InvalidArgumentError, match=r"H-3.*area_m2"):
        kept.records.add([{"key": "H-3", "kind": "house", "node": G2,
                           "fields": {"house_code": G2 + "0003", "address": "3号",
                                      "use": "自住", "area_m2": "很大"}}], ADDED)
    with pytest.raises(gridgov.NotFoundError, match=r"R-9.*shoe_size"):
        kept.records.add([resident("R-9", G2, "赵六", "户籍人口", shoe_size="42")], ADDED)
    with pytest.raises(gridgov.NotFoundError, match="spaceship"):
        kept.records.add([{"key": "S-1", "kind": "spaceship", "node": G2}], ADDED)
    with pytest.raises(gridgov.AlreadyExistsError, match="R-1"):
        kept.records.add([resident("R-1", G2, "张建军", "户籍人口")], ADDED)
    assert everything(kept) == before
    assert kept.records.size() == 6


def test_a_record_read_masked_cannot_be_written_back(kept):
    records = kept.records
    masked = records.get(SYSTEM, "R-1")
    masked["name"] = "张建国"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-1.*reveal=True"):
        records.update(masked, "2024-02-01")
    assert records.get(REVEAL, "R-1")["id_number"] == ID1
    shown = records.get(REVEAL, "R-1")
    shown["name"] = "张建国"
    records.update(shown, "2024-02-01")
    assert records.get(SYSTEM, "R-1")["name"] == "张建国"
    assert records.get(REVEAL, "R-1")["id_number"] == ID1


# ---- findings -----------------------------------------------------------------------------
def test_a_wrong_check_character_is_kept_and_reported(kept):
    findings = kept.records.add(
        [resident("R-4", G3, "钱多多", "户籍人口", id_number=WRONG)], "2024-02-01")
    assert [(f.rule, f.where) for f in findings] == [("records.id_number", "R-4")]
    assert findings[0].severity == gridgov.Severity.ERROR
    assert kept.records.get(REVEAL, "R-4")["id_number"] == WRONG  # never fixed
    on = kept.records.validate("2024-02-01")
    assert ("records.id_number", "R-4") in [(f.rule, f.where) for f in on]
    assert all(f.where != "R-1" for f in on)
    frame = gridgov.findings_to_pandas(on)
    assert "records.id_number" in set(frame["rule"])


def test_validate_finds_what_single_records_cannot_show(kept):
    kept.records.add([{"key": "HH-2", "kind": "household", "node": G3,
                       "fields": {"class": "关注户", "house": "H-404"}}], "2024-02-01")
    findings = kept.records.validate(datetime.date(2024, 3, 1))
    rules = {(f.rule, f.where) for f in findings}
    assert any(where == "HH-2" for _, where in rules)
    assert all(f.rule.startswith("records.") for f in findings)
    assert all(where != "R-1" for _, where in rules)


def test_a_house_code_outside_its_grid_is_a_finding(kept):
    findings = kept.records.add([{"key": "H-3", "kind": "house", "node": G2,
                                  "fields": {"house_code": G1 + "0003", "address": "3号",
                                             "use": "空置"}}], ADDED)
    assert [(f.rule, f.where) for f in findings] == [("records.house_code", "H-3")]
    assert kept.records.find(SYSTEM, "house_code", G1 + "0003")[0].key == "H-3"


# ---- history ------------------------------------------------------------------------------
def test_history_after_changes_moves_and_removal(kept):
    records = kept.records
    r2 = records.get(REVEAL, "R-2")
    r2["phone"] = "13905439999"
    assert records.update(r2, "2024-03-01") == []
    records.update(records.get(REVEAL, "R-2"), "2024-04-01")  # nothing changed
    records.move("R-2", G2, datetime.date(2024, 5, 1))
    records.remove("R-2", "2024-07-01")
    history = records.history(REVEAL, "R-2")
    assert [(v.version, v.change, v.effective) for v in history] == [
        (1, "added", datetime.date(2024, 1, 1)),
        (2, "changed", datetime.date(2024, 3, 1)),
        (3, "moved", datetime.date(2024, 5, 1)),
        (4, "removed", datetime.date(2024, 7, 1)),
    ]
    assert [v.record.node for v in history] == [G1, G1, G2, G2]
    assert [v.record["phone"] for v in history] == [
        "13905432002", "13905439999", "13905439999", "13905439999"]
    assert records.history(SYSTEM, "R-2")[0].record["phone"] == "139****2002"
    # As it stood on a date.
    assert records.get(REVEAL, "R-2", on="2024-02-01")["phone"] == "13905432002"
    assert records.get(SYSTEM, "R-2", on=datetime.date(2024, 6, 1)).node == G2
    assert records.get(SYSTEM, "R-2", on="2024-05-01").node == G2  # the end of the move's day
    assert records.get(SYSTEM, "R-2", on="2024-04-30").node == G1
    assert records.get(SYSTEM, "R-2", on="2023-12-31") is None  # before it was added
    assert records.get(SYSTEM, "R-2", on="2024-07-01") is None  # removed that day
    assert records.get(SYSTEM, "R-2") is None
    # Removed: not live, still stored, and its key is spent.
    assert records.count("resident") == 2 and records.size() == 6
    assert "R-2" not in records.keys()
    with pytest.raises(gridgov.Error):
        records.add([resident("R-2", G1, "李梅", "流动人口")], "2024-08-01")
    with pytest.raises(gridgov.NotFoundError, match="R-404"):
        records.history(SYSTEM, "R-404")


def test_a_change_may_not_go_back_in_time(kept):
    records = kept.records
    records.move("R-3", G1, "2024-06-01")
    with pytest.raises(gridgov.Error, match="R-3"):
        records.move("R-3", G2, "2024-05-01")
    assert records.get(SYSTEM, "R-3").node == G1
    assert len(records.history(SYSTEM, "R-3")) == 2


def test_records_survive_reopening(kept, workspace_path):
    kept.records.move("R-3", G1, "2024-06-01")
    kept.close()
    with gridgov.Workspace.open(workspace_path) as again:
        assert again.records.count() == 6
        assert again.records.get(REVEAL, "R-1")["id_number"] == ID1
        assert [v.change for v in again.records.history(SYSTEM, "R-3")] == ["added", "moved"]
        assert again.records.get(SYSTEM, "R-3", on="2024-05-31").node == G3


def test_a_closed_workspace_refuses(kept):
    records = kept.records
    kept.close()
    with pytest.raises(gridgov.InvalidStateError):
        records.count()
    with pytest.raises(gridgov.InvalidStateError):
        kept.records


# ---- questions ----------------------------------------------------------------------------
def test_find_by_lookup_and_reference_fields(kept):
    records = kept.records
    found = records.find(REVEAL, "id_number", ID1)
    assert [r.key for r in found] == ["R-1"]
    assert found[0]["id_number"] == ID1
    assert records.find(SYSTEM, "id_number", ID2)[0].key == "R-2"
    assert records.find(SYSTEM, "id_number", WRONG) == []
    assert [r.key for r in records.find(SYSTEM, "household", "HH-1")] == ["R-1"]
    assert [r.key for r in records.find(SYSTEM, "house_code", G1 + "0002")] == ["H-2"]
    assert [r.key for r in records.find(SYSTEM, "tenants", "R-2")] == ["H-2"]
    with pytest.raises(gridgov.InvalidArgumentError, match="name"):
        records.find(SYSTEM, "name", "张建军")


def test_list_filters(kept):
    records = kept.records
    assert [r.key for r in records.list(SYSTEM, "resident")] == ["R-1", "R-2", "R-3"]
    assert [r.key for r in records.list(SYSTEM, within=EAST)] == [
        "H-1", "H-2", "HH-1", "R-1", "R-2"]
    assert [r.key for r in records.list(SYSTEM, "resident", within=WEST)] == ["R-3"]
    assert records.list(SYSTEM, within=SOUTH) == []
    assert [r.key for r in records.list(SYSTEM, where={"registration": "流动人口"})] == ["R-2"]
    assert [r.key for r in records.list(SYSTEM, "house", where={"use": "出租"})] == ["H-2"]
    assert records.keys("resident", where={"household": "HH-1"}) == ["R-1"]
    assert records.keys("resident", within=EAST, where={"registration": "户籍人口"}) == ["R-1"]
    node = kept.hierarchy.view[WEST]
    assert records.keys(within=node) == ["R-3"]
    with pytest.raises(gridgov.NotFoundError):
        records.list(SYSTEM, within="999999")


def test_overlays_place_records(county_seat):
    records = county_seat.records
    grid = seat_grid(1, 1)
    first17 = "91371327MA3C8N2Q7"
    credit = first17 + gridgov.credit_code_check_character(first17)
    wrong = credit[:-1] + ("0" if credit[-1] != "0" else "1")
    findings = records.add([
        {"key": "U-1", "kind": "unit", "node": grid, "overlays": [("fire_safety", "XF-01-01-01")],
         "fields": {"name": "城关加油站", "unit_kind": ["企业", "消防重点单位"],
                    "credit_code": credit, "employees": 12}},
        {"key": "U-2", "kind": "unit", "node": seat_grid(1, 2),
         "overlays": [{"overlay": "fire_safety", "unit": "XF-01-01-02"}],
         "fields": {"name": "便民超市", "unit_kind": "个体工商户", "credit_code": wrong}},
    ], "2024-01-01")
    assert [(f.rule, f.where) for f in findings] == [("records.credit_code", "U-2")]
    u1 = records.get(SYSTEM, "U-1")
    assert u1.overlays == [("fire_safety", "XF-01-01-01")]
    assert u1["unit_kind"] == "企业|消防重点单位"
    assert u1["employees"] == "12"
    assert [r.key for r in records.list(SYSTEM, overlay=("fire_safety", "XF-01-01-01"))] == [
        "U-1"]
    assert records.keys("unit", where={"unit_kind": "消防重点单位"}) == ["U-1"]
    assert records.keys("unit", where={"unit_kind": "个体工商户"}) == ["U-2"]
    assert records.find(SYSTEM, "credit_code", credit)[0].key == "U-1"
    with pytest.raises(gridgov.NotFoundError, match="XF-99"):
        records.add([{"key": "U-3", "kind": "unit", "node": grid,
                      "overlays": [("fire_safety", "XF-99")],
                      "fields": {"name": "x", "unit_kind": "其他"}}], "2024-01-01")
    # A move of places only is a "moved" version.
    u2 = records.get(SYSTEM, "U-2")
    u2.node = grid
    u2.overlays = [("fire_safety", "XF-01-01-01")]
    records.update(u2, "2024-02-01")
    assert records.history(SYSTEM, "U-2")[-1].change == "moved"
    assert records.keys(overlay=("fire_safety", "XF-01-01-01")) == ["U-1", "U-2"]
    units = records.frame(SYSTEM, "unit")
    assert units.loc["U-1", "unit_kind"] == "企业|消防重点单位"  # multiple: text
    assert units["employees"].dtype == np.float64
    assert units.loc["U-1", "employees"] == 12.0 and np.isnan(units.loc["U-2", "employees"])
    assert units["licence_state"].dtype.name == "category"
    assert units.loc["U-1", "node"] == grid
    assert units.loc["U-1", "node_name"] == "第1网区第1网格"
    assert str(units.index.name) == "key"
    with_levels = records.frame(SYSTEM, "unit", ancestors=("township", "village"))
    assert list(with_levels["township"]) == [STREET, STREET]
    assert list(with_levels["village"]) == [STREET + "001", STREET + "001"]


# ---- roll-ups -----------------------------------------------------------------------------
def test_roll_up_counts_and_sums_per_node(kept):
    records = kept.records
    people = records.roll_up("resident")
    assert list(people) == list(kept.hierarchy.view.to_dict()["code"])  # live nodes, pre-order
    assert people[TOWNSHIP] == 3
    assert (people[EAST], people[WEST], people[SOUTH]) == (2, 1, 0)
    assert (people[G1], people[G2], people[G3]) == (2, 0, 1)
    floating = records.roll_up("resident", "registration", "流动人口")
    assert (floating[TOWNSHIP], floating[EAST], floating[WEST]) == (1, 1, 0)
    area = records.roll_up("house", "area_m2")
    assert area[G1] == pytest.approx(200.5) and area[TOWNSHIP] == pytest.approx(200.5)
    records.move("R-2", G3, "2024-02-01")
    assert records.roll_up("resident")[WEST] == 2
    records.remove("R-3", "2024-03-01")
    assert records.roll_up("resident")[WEST] == 1
    with pytest.raises(gridgov.Error):
        records.roll_up("resident", "name")  # text is not rolled up
    with pytest.raises(gridgov.NotFoundError):
        records.roll_up("spaceship")


def test_roll_up_frame(kept):
    pd = pytest.importorskip("pandas")
    records = kept.records
    everyone = records.roll_up_frame("resident")
    assert isinstance(everyone, pd.DataFrame)
    assert everyone.index.name == "code"
    assert list(everyone.columns) == ["id", "name", "level", "value"]
    assert everyone.loc[TOWNSHIP, "id"] == kept.hierarchy.view.at(TOWNSHIP)
    assert everyone.loc[TOWNSHIP, "value"] == 3 and everyone.loc[TOWNSHIP, "level"] == "township"
    assert everyone["value"].dtype == np.float64
    villages = records.roll_up_frame("resident", level="village")
    assert list(villages.index) == [EAST, WEST, SOUTH]
    assert list(villages["name"]) == ["东石泉村", "西石泉村", "南岭村"]
    assert list(villages["value"]) == [2, 1, 0]
    floating = records.roll_up_frame("resident", "registration", "流动人口", level="village")
    assert list(floating["value"]) == [1, 0, 0]
    area = records.roll_up_frame("house", field="area_m2", level="grid")
    assert area.loc[G1, "value"] == pytest.approx(200.5)
    with pytest.raises(gridgov.NotFoundError, match="hamlet"):
        records.roll_up_frame("resident", level="hamlet")


# ---- frames -------------------------------------------------------------------------------
def test_frame_types_columns_by_the_schema(kept):
    pd = pytest.importorskip("pandas")
    records = kept.records
    frame = records.frame(SYSTEM, "resident")
    assert list(frame.index) == ["R-1", "R-2", "R-3"] and frame.index.name == "key"
    fields = [f.name for f in records.schema.kind("resident").fields]
    assert list(frame.columns) == ["kind", "node", "node_name", *fields]
    assert list(frame["node"]) == [G1, G1, G3]
    assert frame.loc["R-3", "node_name"] == "西石泉村第1网格"
    reg = frame["registration"]
    assert reg.dtype.name == "category"
    assert list(reg.cat.categories) == ["户籍人口", "流动人口", "境外人员"]
    assert list(reg) == ["户籍人口", "流动人口", "户籍人口"]
    assert pd.api.types.is_datetime64_any_dtype(frame["birth_date"])
    assert frame.loc["R-1", "birth_date"] == pd.Timestamp("1980-01-01")
    assert frame.loc["R-2", "birth_date"] == pd.Timestamp("1992-03-15")
    assert frame["sex"].dtype.name == "category"
    assert list(frame["sex"]) == ["男", "女", "男"]
    assert frame["hukou_type"].isna().all()
    # Sensitive: masked text unless revealed.
    assert frame.loc["R-1", "id_number"] == gridgov.mask_id_number(ID1)
    assert frame.loc["R-3", "special_groups"] == "***"
    assert frame.loc["R-3", "phone"] is None
    shown = records.frame(REVEAL, "resident")
    assert shown.loc["R-1", "id_number"] == ID1
    houses = records.frame(SYSTEM, "house")
    assert houses["area_m2"].dtype == np.float64
    assert list(houses["area_m2"]) == [120.5, 80.0]
    assert houses["use"].dtype.name == "category"


def test_frame_filters_and_ancestors(kept):
    pytest.importorskip("pandas")
    records = kept.records
    frame = records.frame(SYSTEM, "resident", ancestors=("county", "township", "village"))
    assert list(frame.columns[:6]) == ["kind", "node", "node_name", "county", "township",
                                       "village"]
    assert list(frame["village"]) == [EAST, EAST, WEST]
    assert list(frame["township"]) == [TOWNSHIP] * 3
    assert frame["county"].isna().all()  # the township is a root here
    west = records.frame(SYSTEM, "resident", within=WEST, ancestors="village")
    assert list(west.index) == ["R-3"] and list(west["village"]) == [WEST]
    floating = records.frame(SYSTEM, "resident", where={"registration": "流动人口"})
    assert list(floating.index) == ["R-2"]
    assert list(floating["registration"].cat.categories) == ["户籍人口", "流动人口", "境外人员"]
    empty = records.frame(SYSTEM, "organisation")
    assert len(empty) == 0 and "org_kind" in empty.columns
    assert empty["reported_on"].dtype.kind == "M"
    with pytest.raises(gridgov.NotFoundError, match="hamlet"):
        records.frame(SYSTEM, "resident", ancestors=("hamlet",))
    with pytest.raises(gridgov.NotFoundError, match="spaceship"):
        records.frame(SYSTEM, "spaceship")
    columns = records.columns(SYSTEM, "resident", ancestors=["village"])
    assert columns["key"] == ["R-1", "R-2", "R-3"]
    assert columns["village"] == [EAST, EAST, WEST]
    assert columns["hukou_type"] == [None, None, None]


# ---- import and export --------------------------------------------------------------------
@pytest.fixture
def second(tmp_path, township_csv):
    """Another workspace over the same township."""
    ws = gridgov.Workspace.open(tmp_path / "second.gridgov")
    ws.hierarchy.import_file(township_csv)
    yield ws
    ws.close()


def test_csv_export_and_import_round_trip(kept, second, tmp_path):
    text = kept.records.export_text(REVEAL, "csv", "resident")
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["key", "node", "overlays"]
    assert header[3:] == [f.name for f in kept.records.schema.kind("resident").fields]
    report = second.records.import_text(text, "csv", kind="resident", effective=ADDED)
    assert (report.added, report.changed, report.unchanged) == (3, 0, 0)
    assert report.findings == []
    assert second.records.export_text(REVEAL, "csv", "resident") == text
    assert [r.to_dict() for r in second.records.list(REVEAL, "resident")] == \
        [r.to_dict() for r in kept.records.list(REVEAL, "resident")]
    again = second.records.import_text(text, "csv", kind="resident", effective="2024-02-01")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    # Through files: the kind from the file's name.
    path = tmp_path / "house.csv"
    kept.records.export_file(REVEAL, path, "house")
    assert path.read_text(encoding="utf-8") == kept.records.export_text(REVEAL, "csv", "house")
    calls = []
    report = second.records.import_file(
        path, effective=ADDED, progress=lambda done, total: calls.append((done, total)) or True)
    assert report.added == 2
    assert calls and calls[-1][0] == calls[-1][1]
    assert second.records.get(SYSTEM, "H-2")["tenants"] == "R-2"


def test_a_bad_csv_row_names_the_file_row_and_field(kept, second):
    text = kept.records.export_text(REVEAL, "csv", "resident")
    lines = text.splitlines()
    bad = lines[2].replace("流动人口", "外星人")
    document = "\n".join([lines[0], lines[1], bad]) + "\n"
    with pytest.raises(gridgov.Error, match=r"people\.csv.*3.*registration"):
        second.records.import_text(document, "csv", kind="resident", source_name="people.csv")
    assert second.records.size() == 0
    no_name = "key,node,registration\nR-1," + G1 + ",户籍人口\n"
    with pytest.raises(gridgov.InvalidArgumentError, match="name"):
        second.records.import_text(no_name, "csv", kind="resident")
    unknown_node = "key,node,name,registration\nR-1,999999,张三,户籍人口\n"
    with pytest.raises(gridgov.NotFoundError, match="999999"):
        second.records.import_text(unknown_node, "csv", kind="resident")
    assert second.records.size() == 0


def test_json_import(second):
    document = {"records": [
        {"key": "H-1", "kind": "house", "node": G1,
         "fields": {"house_code": G1 + "0001", "address": "东石泉村1号", "use": "自住",
                    "area_m2": 120.5}},
        {"key": "R-1", "kind": "resident", "node": G1,
         "fields": {"name": "张建军", "registration": "户籍人口", "id_number": ID1,
                    "house": "H-1"}},
        {"key": "R-4", "kind": "resident", "node": G3,
         "fields": {"name": "钱多多", "registration": "户籍人口", "id_number": WRONG}},
    ]}
    text = json.dumps(document, ensure_ascii=False)
    report = second.records.import_text(text, "json", effective=ADDED)
    assert (report.added, report.changed, report.unchanged) == (3, 0, 0)
    assert [(f.rule, f.where) for f in report.findings] == [("records.id_number", "R-4")]
    assert second.records.get(SYSTEM, "R-1")["house"] == "H-1"
    assert second.records.get(SYSTEM, "R-1")["birth_date"] == "1980-01-01"
    document["records"][1]["fields"]["registration"] = "流动人口"
    report = second.records.import_text(json.dumps(document, ensure_ascii=False), "json",
                                        effective="2024-02-01")
    assert (report.added, report.changed, report.unchanged) == (0, 1, 2)
    assert [v.change for v in second.records.history(SYSTEM, "R-1")] == ["added", "changed"]
    exported = json.loads(second.records.export_text(REVEAL, "json"))
    assert [r["key"] for r in exported["records"]] == ["H-1", "R-1", "R-4"]
    assert exported["records"][1]["fields"]["registration"] == "流动人口"
    with pytest.raises(gridgov.Error, match=r"records\[0\]"):
        second.records.import_text('{"records": [{"key": "X"}]}', "json")
    with pytest.raises(gridgov.InvalidArgumentError, match="yaml"):
        second.records.import_text(text, "yaml")


def test_export_file_of_every_kind_as_json(kept, tmp_path):
    path = tmp_path / "records.json"
    kept.records.export_file(SYSTEM, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(r["key"] for r in document["records"]) == [
        "H-1", "H-2", "HH-1", "R-1", "R-2", "R-3"]
    assert ID1 not in path.read_text(encoding="utf-8")
    fresh = gridgov.Workspace.open(tmp_path / "fresh.gridgov")
    try:
        fresh.hierarchy.import_text(township_csv_text(), "csv")
        revealed = tmp_path / "all.json"
        kept.records.export_file(REVEAL, revealed)
        assert fresh.records.import_file(revealed, effective=ADDED).added == 6
        assert fresh.records.get(REVEAL, "R-1")["id_number"] == ID1
    finally:
        fresh.close()


def test_frames_without_pandas_say_what_to_install(kept, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="python3-pandas"):
        kept.records.frame(SYSTEM, "resident")
    with pytest.raises(ImportError, match="needs pandas"):
        kept.records.roll_up_frame("resident")
    assert kept.records.columns(SYSTEM, "house")["area_m2"] == ["120.5", "80"]
    assert gridgov.records_frame is gridgov.WorkspaceRecords.frame
    assert gridgov.records_roll_up_frame is gridgov.WorkspaceRecords.roll_up_frame


def test_a_copy_of_the_workspace_carries_the_records(kept, workspace_path, tmp_path):
    kept.records.move("R-3", G1, "2024-06-01")
    kept.close()
    gridgov.Workspace.copy(workspace_path, tmp_path / "copy.gridgov")
    with gridgov.Workspace.open(workspace_path, create=False) as a, \
            gridgov.Workspace.open(tmp_path / "copy.gridgov", create=False) as b:
        assert b.records.export_text(REVEAL, "json") == a.records.export_text(REVEAL, "json")
        assert [v.change for v in b.records.history(SYSTEM, "R-3")] == ["added", "moved"]
        assert b.records.find(SYSTEM, "id_number", ID2)[0].key == "R-2"


# ---- who reads records --------------------------------------------------------------------
START = "2023-08-24"
DAY = datetime.date(2024, 3, 1)
PURPOSE = "入户走访核实"


def staff(ws, catalogue="township_000"):
    """Posts: the information officer of 东石泉村第1网格 (G1), the grid leader of 东石泉村,
    a former officer of 西石泉村第1网格 (G3) whose post ended before DAY, and a person with
    no post at all."""
    d = ws.directory
    d.set_catalogue(catalogue)
    d.add_person("I2011", "东石泉村信息员1")
    d.add_assignment("I2011", "grid_information_officer", G1, START)
    d.add_person("V1", "东石泉村书记")
    d.add_assignment("V1", "village_grid_leader", EAST, START)
    d.add_person("F1", "西石泉村原信息员")
    d.add_assignment("F1", "grid_information_officer", G3, "2023-01-01", end=START)
    d.add_person("N1", "志愿者")


@pytest.fixture
def posted(kept):
    staff(kept)
    return kept


def officer(reveal=False, on=DAY):
    return gridgov.RecordReader.person("I2011", PURPOSE, reveal=reveal, on=on)


def catalogue_revealing_phones_only():
    """township_000 where no duty reveals anything but 民生保障服务员 (carried by every
    role), which reveals residents' phones."""
    document = json.loads(gridgov.Catalogue.preset("township_000").to_json())
    for duty in document["duties"]:
        duty.pop("reveals", None)
        if duty["code"] == "livelihood_service":
            duty["reveals"] = ["resident.phone"]
    return gridgov.Catalogue.from_json(json.dumps(document, ensure_ascii=False))


def test_duties_say_which_fields_they_reveal():
    duties = {d.code: d.reveals for d in gridgov.Catalogue.preset("township_000").duties}
    assert duties["social_management"] == ["resident", "unit"]
    assert duties["livelihood_service"] == ["resident.phone", "resident.special_groups"]
    assert duties["policy_publicity"] == []
    assert catalogue_revealing_phones_only().duties[3].reveals == ["resident.phone"]


def test_a_reader_names_who_reads_and_why():
    r = gridgov.RecordReader.person("I2011", PURPOSE, reveal=True, on="2024-03-01")
    assert (r.person, r.system, r.purpose, r.reveal, r.on) == ("I2011", False, PURPOSE, True,
                                                               DAY)
    assert repr(r) == f"<RecordReader person 'I2011' for '{PURPOSE}', revealing, posts on " \
                      "2024-03-01>"
    s = gridgov.RecordReader.system("备份")
    assert (s.person, s.system, s.purpose, s.reveal, s.on) == (None, True, "备份", False, None)
    assert repr(s) == "<RecordReader system for '备份', masked>"
    assert officer().on == DAY and gridgov.RecordReader.person("I2011", PURPOSE).on is None
    assert officer() == officer() and officer() != officer(reveal=True) and s != officer()
    with pytest.raises(AttributeError):
        r.person = "V1"
    with pytest.raises(AttributeError):
        r.reveal = False
    with pytest.raises(TypeError, match=r"RecordReader\.person"):
        gridgov.RecordReader()
    with pytest.raises(TypeError, match="reveal"):
        gridgov.RecordReader.system("备份", reveal="yes")
    with pytest.raises(TypeError):
        gridgov.RecordReader.system("备份", True)  # reveal is keyword-only
    with pytest.raises(TypeError, match="purpose"):
        gridgov.RecordReader.person("I2011", None)
    with pytest.raises(TypeError, match="date"):
        gridgov.RecordReader.person("I2011", PURPOSE, on=20240301)


def test_every_read_of_contents_takes_a_reader(kept, tmp_path):
    records = kept.records
    for call in (lambda: records.get("R-1"), lambda: records.list("resident"),
                 lambda: records.history("R-1"), lambda: records.find("id_number", ID1),
                 lambda: records.export_text("csv", "resident"),
                 lambda: records.export_file(tmp_path / "r.json"),
                 lambda: records.columns("resident"), lambda: records.frame("resident"),
                 lambda: records.list(), lambda: records.get(SYSTEM, "R-1", reveal=True)):
        with pytest.raises(TypeError):
            call()
    with pytest.raises(TypeError, match=r"list: the first argument is the reader.*not str"):
        records.list("resident")
    with pytest.raises(TypeError, match=r"frame: the first argument is the reader"):
        records.frame("resident")
    # Checked when it reads: a purpose, and a person or the system.
    with pytest.raises(gridgov.InvalidArgumentError, match="purpose"):
        records.get(gridgov.RecordReader.system(""), "R-1")
    with pytest.raises(gridgov.InvalidArgumentError, match="person"):
        records.list(gridgov.RecordReader.person("", PURPOSE))
    # Counts, keys, roll-ups and findings read no contents: no reader.
    assert records.count("resident") == 3 and records.keys("resident") == ["R-1", "R-2", "R-3"]
    assert records.roll_up("resident")[TOWNSHIP] == 3
    assert records.validate(DAY) == []
    assert records.access_log() == []


def test_a_person_reads_the_records_in_the_subtrees_of_their_posts(posted, tmp_path):
    records = posted.records
    mine = ["H-1", "H-2", "HH-1", "R-1", "R-2"]  # all at G1
    assert [r.key for r in records.list(officer())] == mine
    assert [r.key for r in records.list(officer(), "resident")] == ["R-1", "R-2"]
    leader = gridgov.RecordReader.person("V1", PURPOSE, on=DAY)  # 东石泉村: G1 and G2
    assert [r.key for r in records.list(leader)] == mine
    r1 = records.get(officer(), "R-1")
    assert r1.key == "R-1" and not r1.revealed
    assert r1["id_number"] == gridgov.mask_id_number(ID1)
    with pytest.raises(gridgov.PermissionDeniedError,
                       match=r"I2011.*holds no post on 2024-03-01 covering record 'R-3'"):
        records.get(officer(), "R-3")
    with pytest.raises(PermissionError):  # also the built-in
        records.history(officer(), "R-3")
    assert [v.change for v in records.history(officer(), "R-1")] == ["added"]
    # find, export and frames leave out what no post covers.
    assert [r.key for r in records.find(officer(), "id_number", ID1)] == ["R-1"]
    assert records.find(officer(), "id_number", ID3) == []
    text = records.export_text(officer(), "csv", "resident")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["R-1", "R-2"]
    records.export_file(officer(), tmp_path / "mine.json")
    exported = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    assert [r["key"] for r in exported["records"]] == mine
    assert records.columns(officer(), "resident")["key"] == ["R-1", "R-2"]
    # A move out of the officer's grid takes the record out of their reach.
    records.move("R-2", G3, "2024-02-01")
    assert [r.key for r in records.list(officer(), "resident")] == ["R-1"]
    with pytest.raises(gridgov.PermissionDeniedError, match="R-2"):
        records.history(officer(), "R-2")  # decided by its last version
    # On a day before the move, the record stood in G1.
    assert records.get(officer(), "R-2", on="2024-01-15").node == G1
    # Masked reads are not logged.
    assert records.access_log() == []
    pytest.importorskip("pandas")
    assert list(records.frame(officer(), "resident").index) == ["R-1"]
    assert records.access_log() == []


def test_a_person_without_a_post_that_day_reads_nothing(posted):
    records = posted.records
    for who, why in (("N1", "holds no post on 2024-03-01"),
                     ("Z9", "not in the directory"),
                     ("F1", "holds no post on 2024-03-01")):
        reader = gridgov.RecordReader.person(who, PURPOSE, on=DAY)
        with pytest.raises(gridgov.PermissionDeniedError, match=why):
            records.list(reader)
        with pytest.raises(gridgov.PermissionDeniedError, match=why):
            records.get(reader, "R-1")
    # F1 held G3 in 2023.
    former = gridgov.RecordReader.person("F1", PURPOSE, on="2023-06-01")
    assert [r.key for r in records.list(former)] == ["R-3"]
    assert records.access_log() == []


def test_a_revealed_read_through_a_duty_is_logged_once_per_record(posted):
    records = posted.records
    shown = records.get(officer(reveal=True), "R-1")
    assert shown.revealed and (shown["id_number"], shown["phone"]) == (ID1, "13805431001")
    log = records.access_log()
    assert len(log) == 1
    e = log[0]
    assert (e.seq, e.reader, e.system, e.purpose, e.read, e.key, e.kind) == (
        1, "I2011", False, PURPOSE, "get", "R-1", "resident")
    assert e.fields == ["id_number", "phone"]
    assert e.at.tzinfo is not None and e.at.utcoffset() == datetime.timedelta(0)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert now - datetime.timedelta(minutes=5) < e.at <= now + datetime.timedelta(seconds=1)
    assert len(e.hash) == 64 and int(e.hash, 16) >= 0
    assert "R-1" in repr(e) and "I2011" in repr(e)
    # A list: one entry per record that has sensitive values (houses and households
    # have none); a history: one entry for all its versions.
    records.list(officer(reveal=True))
    records.history(officer(reveal=True), "R-2")
    records.find(officer(reveal=True), "id_number", ID2)
    records.export_text(officer(reveal=True), "json")
    log = records.access_log()
    assert [(e.seq, e.read, e.key) for e in log] == [
        (1, "get", "R-1"), (2, "list", "R-1"), (3, "list", "R-2"), (4, "history", "R-2"),
        (5, "find", "R-2"), (6, "export", "R-1"), (7, "export", "R-2")]
    assert log[3].fields == ["id_number", "phone"]
    # A refused read logs nothing: R-3 is not the officer's.
    with pytest.raises(gridgov.PermissionDeniedError):
        records.get(officer(reveal=True), "R-3")
    assert len(records.access_log()) == 7
    # The leader of the village reveals through the same duty.
    leader = gridgov.RecordReader.person("V1", "低保复核", reveal=True, on=DAY)
    assert records.get(leader, "R-2")["id_number"] == ID2
    last = records.access_log()[-1]
    assert (last.seq, last.reader, last.purpose) == (8, "V1", "低保复核")


def test_a_revealed_read_without_the_duty_is_refused_and_not_logged(kept):
    staff(kept, catalogue_revealing_phones_only())
    records = kept.records
    records.add([resident("R-5", G1, "赵五", "户籍人口", phone="13700000005")], ADDED)
    with pytest.raises(gridgov.PermissionDeniedError,
                       match=r"I2011.*resident\.id_number of record 'R-1'"):
        records.get(officer(reveal=True), "R-1")
    with pytest.raises(gridgov.PermissionDeniedError, match=r"resident\.id_number"):
        records.list(officer(reveal=True), "resident")  # all or nothing
    assert records.access_log() == []
    # Masked, the same records read fine; a phone alone is revealed.
    assert records.get(officer(), "R-1")["phone"] == "138****1001"
    assert records.get(officer(reveal=True), "R-5")["phone"] == "13700000005"
    assert [(e.key, e.fields) for e in records.access_log()] == [("R-5", ["phone"])]


def test_the_system_reads_everything_and_its_revealed_reads_are_logged(posted):
    records = posted.records
    assert len(records.list(SYSTEM)) == 6
    assert records.access_log() == []
    nightly = gridgov.RecordReader.system("夜间备份", reveal=True)
    assert records.get(nightly, "R-3")["id_number"] == ID3
    records.export_text(nightly, "csv", "resident")
    log = records.access_log()
    assert [(e.read, e.key, e.reader, e.system, e.purpose) for e in log] == [
        ("get", "R-3", None, True, "夜间备份"),
        ("export", "R-1", None, True, "夜间备份"),
        ("export", "R-2", None, True, "夜间备份"),
        ("export", "R-3", None, True, "夜间备份")]
    assert log[0].fields == ["id_number", "special_groups"]


def test_a_masked_read_by_a_person_cannot_be_written_back(posted):
    records = posted.records
    masked = records.get(officer(), "R-1")
    masked["name"] = "张建国"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-1.*read masked"):
        records.update(masked, "2024-02-01")
    shown = records.get(officer(reveal=True), "R-1")
    shown["name"] = "张建国"
    records.update(shown, "2024-02-01")
    assert records.get(REVEAL, "R-1")["name"] == "张建国"
    assert records.get(REVEAL, "R-1")["id_number"] == ID1


def test_access_log_pages_frame_verify_and_export(posted, tmp_path, workspace_path):
    records = posted.records
    assert records.verify_access_log().intact and records.verify_access_log().entries == 0
    records.list(officer(reveal=True), "resident")
    records.get(REVEAL, "R-3")
    log = records.access_log()
    assert [e.seq for e in log] == [1, 2, 3]
    assert [e.seq for e in records.access_log(after=1)] == [2, 3]
    assert [e.seq for e in records.access_log(limit=2)] == [1, 2]
    assert [e.seq for e in records.access_log(after=1, limit=1)] == [2]
    assert records.access_log(after=3) == []
    check = records.verify_access_log()
    assert check and (check.entries, check.intact, check.first_bad, check.problem) == (
        3, True, 0, "")
    assert repr(check) == "<AccessLogCheck intact, 3 entries>"
    # CSV and JSON.
    records.export_access_log(tmp_path / "access.csv")
    lines = (tmp_path / "access.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "seq,at,reader,system,purpose,read,key,kind,fields,hash"
    assert len(lines) == 4 and lines[1].startswith("1,") and "id_number|phone" in lines[1]
    assert lines[3].endswith(log[2].hash)
    records.export_access_log(tmp_path / "access.txt", format="json")
    document = json.loads((tmp_path / "access.txt").read_text(encoding="utf-8"))
    assert [(d["seq"], d["key"], d["read"], d["fields"], d["hash"]) for d in document] == [
        (e.seq, e.key, e.read, e.fields, e.hash) for e in log]
    assert document[2]["system"] is True and document[0]["reader"] == "I2011"
    assert document[0]["at"].endswith("Z")
    with pytest.raises(gridgov.InvalidArgumentError, match="yaml"):
        records.export_access_log(tmp_path / "access.yaml", format="yaml")
    # A frame.
    pd = pytest.importorskip("pandas")
    frame = records.access_log_frame()
    assert frame.index.name == "seq" and list(frame.index) == [1, 2, 3]
    assert list(frame.columns) == ["at", "reader", "system", "purpose", "read", "key", "kind",
                                   "fields", "hash"]
    assert str(frame["at"].dtype) == "datetime64[ns, UTC]"
    assert frame.loc[1, "at"] == pd.Timestamp(log[0].at)
    assert list(frame["reader"]) == ["I2011", "I2011", None]
    assert frame["system"].dtype == bool and list(frame["system"]) == [False, False, True]
    assert list(frame["key"]) == ["R-1", "R-2", "R-3"]
    assert frame.loc[3, "fields"] == "id_number|special_groups"
    assert list(records.access_log_frame(after=2).index) == [3]
    empty = records.access_log_frame(after=3)
    assert len(empty) == 0 and str(empty["at"].dtype) == "datetime64[ns, UTC]"
    # A changed entry breaks the chain from there.
    import sqlite3
    posted.close()
    with sqlite3.connect(workspace_path) as db:
        db.execute("UPDATE record_access SET purpose = '别的' WHERE seq = 2")
    db.close()
    with gridgov.Workspace.open(workspace_path, create=False) as again:
        check = again.records.verify_access_log()
        assert not check
        assert (check.entries, check.intact, check.first_bad, check.problem) == (
            3, False, 2, "hash_mismatch")
        assert repr(check) == "<AccessLogCheck hash_mismatch at entry 2 of 3>"


def test_a_revealed_read_of_a_read_only_workspace_is_refused(posted, workspace_path):
    posted.records.get(REVEAL, "R-1")
    posted.close()
    with gridgov.Workspace.open(workspace_path, read_only=True) as ws:
        assert ws.records.get(officer(), "R-1")["phone"] == "138****1001"
        with pytest.raises(gridgov.InvalidStateError):
            ws.records.get(officer(reveal=True), "R-1")
        with pytest.raises(gridgov.InvalidStateError):
            ws.records.list(REVEAL)
        assert len(ws.records.access_log()) == 1
        assert ws.records.verify_access_log()


# ---- 四实 collection quality -------------------------------------------------------
# 四实 collection quality from Python (seed 001 篇7): ws.records.draw_check(), record_check(),
# checks(), check_rates(), check_rates_frame() and check_indicators(), on the township of
# conftest.py (石泉镇).
#
# Two rented houses in each of three grids — two of 东石泉村, one of 西石泉村 — with a
# tenant recorded at each. Inspectors (督导员) draw houses with the audited draw, visit them
# and say what they found; the rates are worked out by hand below:
# collection_rate = (checked − not_collected) / checked · 100 and
# accuracy_rate = correct / (correct + wrong) · 100, checked = correct + wrong + not_collected.

GRID_OF = {"H1": G1, "H2": G1, "H3": G2, "H4": G2, "H5": G3, "H6": G3}
Outcome = gridgov.CheckOutcome


def tenant(house):
    """The resident recorded at a house: R3 lives in H3."""
    return "R" + house[1:]


def houses_and_tenants():
    records = []
    for n, (house, grid) in enumerate(sorted(GRID_OF.items()), start=1):
        records.append({"key": house, "kind": "house", "node": grid,
                        "fields": {"house_code": f"{grid}{n:04d}", "address": f"门牌{n}号",
                                   "use": "出租", "tenants": [tenant(house)]}})
        records.append({"key": tenant(house), "kind": "resident", "node": grid,
                        "fields": {"name": f"租客{n}", "registration": "流动人口",
                                   "house": house}})
    return records


@pytest.fixture
def county(township):
    """The township with its houses and tenants, added on 2024-01-01."""
    township.records.add(houses_and_tenants(), effective="2024-01-01")
    return township


def march_round(drawn):
    """The first drawn house's tenant is right, the second's wrong, the third has moved
    out without being de-registered, and at the fourth someone lives without a record
    beside the recorded tenant."""
    p = drawn.picks
    return gridgov.CheckRound(
        "2024-03 石泉镇 督查", datetime.date(2024, 3, 15), "督导员甲", drawn,
        [gridgov.CheckFinding(p[0], tenant(p[0]), Outcome.CORRECT),
         gridgov.CheckFinding(p[1], tenant(p[1]), "wrong", note="电话号码不对"),
         gridgov.CheckFinding(p[2], tenant(p[2]), "未注销"),
         gridgov.CheckFinding(p[3], outcome=Outcome.NOT_COLLECTED, note="租客王某"),
         {"sampled": p[3], "record": tenant(p[3]), "outcome": "correct"}])


def tally(findings, picks, nodes):
    """What the rates of the subtrees of `nodes` must be: counted here, one by one."""
    def within(house):
        return any(GRID_OF[house].startswith(n) for n in nodes)
    t = {"sampled": sum(1 for p in picks if within(p)), "correct": 0, "wrong": 0,
         "not_collected": 0, "not_deregistered": 0}
    for f in findings:
        if within(f.sampled):
            t[f.outcome.text] += 1
    t["checked"] = t["correct"] + t["wrong"] + t["not_collected"]
    return t


def counts(r):
    return {"sampled": r.sampled, "correct": r.correct, "wrong": r.wrong,
            "not_collected": r.not_collected, "not_deregistered": r.not_deregistered,
            "checked": r.checked}


def dicts(rounds):
    return [r.to_dict() for r in rounds]


# ---- draws ----------------------------------------------------------------------------
def test_draw_check_draws_houses_of_a_subtree_with_the_audited_draw(county):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    assert isinstance(drawn, gridgov.DrawRecord)
    assert drawn.algorithm == "splitmix64-fisher-yates-v1"
    assert drawn.candidates == ["H1", "H2", "H3", "H4", "H5", "H6"]  # key order
    assert drawn.strata == [G1, G1, G2, G2, G3, G3]  # one stratum per grid: its code
    assert (drawn.seed, drawn.count, drawn.avoid) == (2024, 4, [])
    assert len(drawn.picks) == 4 and set(drawn.picks) <= set(drawn.candidates)
    assert {GRID_OF[p] for p in drawn.picks} == {G1, G2, G3}  # every grid drawn
    assert gridgov.verify_draw(drawn)
    # The same draw again, everywhere (within=None) or by a Node; another subtree.
    assert county.records.draw_check("house", count=4, seed=2024) == drawn
    assert county.records.draw_check(
        "house", county.hierarchy.view[TOWNSHIP], count=4, seed=2024) == drawn
    east = county.records.draw_check("house", EAST, count=2, seed=1)
    assert east.candidates == ["H1", "H2", "H3", "H4"] and len(east.picks) == 2
    assert county.records.draw_check("house", G1, count=2, seed=1).picks in (["H1", "H2"],
                                                                             ["H2", "H1"])
    # Residents may be drawn as well.
    assert county.records.draw_check("resident", G3, count=1, seed=7).candidates == ["R5", "R6"]


def test_draw_check_refusals(county):
    records = county.records
    with pytest.raises(gridgov.InvalidArgumentError, match="exceeds"):
        records.draw_check("house", count=7, seed=1)
    with pytest.raises(gridgov.InvalidArgumentError, match="strata"):
        records.draw_check("house", count=2, seed=1)  # three grids hold houses
    with pytest.raises(gridgov.NotFoundError, match="vehicle"):
        records.draw_check("vehicle", count=1, seed=1)
    with pytest.raises(gridgov.NotFoundError, match="999"):
        records.draw_check("house", "999", count=1, seed=1)
    with pytest.raises(TypeError):
        records.draw_check("house", TOWNSHIP, 4, 2024)  # count and seed by keyword
    with pytest.raises(TypeError):
        records.draw_check("house", count=-1, seed=1)


# ---- rounds ---------------------------------------------------------------------------
def test_check_round_and_finding_objects():
    drawn = gridgov.draw(5, ["H1", "H2", "H3"], 2)
    f = gridgov.CheckFinding("H1", "R1", "信息错误", "姓名写错")
    assert (f.sampled, f.record, f.outcome, f.note, f.node) == ("H1", "R1", Outcome.WRONG,
                                                                "姓名写错", None)
    assert Outcome.NOT_DEREGISTERED.text == "not_deregistered"
    assert gridgov.CheckFinding("H2", outcome="未采集").record == ""
    f.outcome = "correct"
    assert f.outcome == Outcome.CORRECT
    assert f.to_dict() == {"sampled": "H1", "record": "R1", "outcome": "correct",
                           "note": "姓名写错", "node": None}
    r = gridgov.CheckRound("第一轮", "2024-03-15", "督导员甲", drawn, [f])
    assert r.date == datetime.date(2024, 3, 15)
    assert r.draw == drawn and r.findings == [f]
    r.findings[0].note = "changed"  # a copy
    assert r.findings[0].note == "姓名写错"
    r.findings = [{"sampled": "H2", "outcome": "not_collected"}]
    assert r.findings[0].outcome == Outcome.NOT_COLLECTED
    again = gridgov.CheckRound.from_json(r.to_json())
    assert again == r and again.to_dict() == r.to_dict()
    assert json.loads(r.to_json())["draw"] == json.loads(drawn.to_json())
    assert "第一轮" in repr(r) and "not_collected" in repr(r.findings[0])
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown check outcome 'maybe'"):
        gridgov.CheckFinding("H1", "R1", "maybe")
    with pytest.raises(TypeError):
        gridgov.CheckFinding("H1", "R1", 3)
    with pytest.raises(gridgov.InvalidArgumentError, match=r"findings\[0\].*'who'"):
        gridgov.CheckRound("x", "2024-03-15", "", drawn, [{"sampled": "H1", "who": "me"}])
    with pytest.raises(TypeError, match="list of findings"):
        gridgov.CheckRound("x", "2024-03-15", "", drawn, f)
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'draw'"):
        gridgov.CheckRound.from_json('{"label": "x", "date": "2024-03-01", "draw": {}}')


def test_a_round_is_recorded_read_back_and_kept(county, workspace_path):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    given = march_round(drawn)
    assert county.records.checks() == []
    assert county.records.record_check(given) is None
    back = county.records.checks()
    assert len(back) == 1
    r = back[0]
    assert (r.label, r.inspector) == (given.label, "督导员甲")
    assert r.date == datetime.date(2024, 3, 15)
    assert r.draw == drawn and gridgov.verify_draw(r.draw)
    assert [f.outcome for f in r.findings] == [Outcome.CORRECT, Outcome.WRONG,
                                               Outcome.NOT_DEREGISTERED, Outcome.NOT_COLLECTED,
                                               Outcome.CORRECT]
    assert [(f.sampled, f.record, f.note) for f in r.findings] == [
        (f.sampled, f.record, f.note) for f in given.findings]
    assert r.findings[3].record == "" and r.findings[3].note == "租客王某"
    # Each finding at the grid of its house on the round's date, as a code.
    assert [f.node for f in r.findings] == [GRID_OF[f.sampled] for f in r.findings]
    assert r.to_dict()["findings"][0]["node"] == GRID_OF[r.findings[0].sampled]
    assert all(f.node is None for f in given.findings)
    # Another connection reads the same rounds.
    with gridgov.Workspace.open(workspace_path) as other:
        assert other.records.checks() == back


# ---- rates ----------------------------------------------------------------------------
def test_rates_per_node_and_month(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))
    first = records.checks()[0]

    rates = records.check_rates()
    assert all(isinstance(r, gridgov.CheckRates) for r in rates)
    assert [r.month for r in rates] == ["2024-03"] * len(rates)
    # The township first, then in pre-order the villages and grids with drawn houses.
    order = [TOWNSHIP, EAST, G1, G2, WEST, G3]
    assert [r.node for r in rates] == order
    township = rates[0]
    assert counts(township) == {"sampled": 4, "correct": 2, "wrong": 1, "not_collected": 1,
                                "not_deregistered": 1, "checked": 4}
    assert township.collection_rate == pytest.approx(75.0)  # (4 - 1) / 4
    assert township.accuracy_rate == pytest.approx(200 / 3)  # 2 / (2 + 1)
    for r in rates:
        nodes = [r.node]
        assert counts(r) == tally(first.findings, march.picks, nodes), r.node
        if r.checked:
            assert r.collection_rate == pytest.approx(
                100 * (r.checked - r.not_collected) / r.checked)
        else:
            assert r.collection_rate is None
    assert "2024-03" in repr(township) and "75.00%" in repr(township)
    assert records.check_rates(from_="2024-04-01") == []
    assert records.check_rates(to=datetime.date(2024, 3, 14)) == []
    assert [r.node for r in records.check_rates("2024-03-15", "2024-03-15")] == order

    # April: two houses of 东石泉村, given as a dict in the JSON form. The tenant of the
    # first is gone (not de-registered): nobody was checked in that grid that month.
    april = records.draw_check("house", EAST, count=2, seed=2025)
    p = april.picks
    records.record_check({
        "label": "2024-04 东石泉村 督查", "date": datetime.date(2024, 4, 10),
        "inspector": "督导员乙", "draw": april,
        "findings": [{"sampled": p[0], "record": tenant(p[0]), "outcome": "未注销"},
                     {"sampled": p[1], "record": tenant(p[1]), "outcome": Outcome.CORRECT,
                      "note": ""}]})
    assert [r.label for r in records.checks()] == ["2024-03 石泉镇 督查", "2024-04 东石泉村 督查"]
    rates = records.check_rates()
    assert [r.month for r in rates] == ["2024-03"] * 6 + ["2024-04"] * 4
    assert [r.node for r in rates[6:]] == [TOWNSHIP, EAST, G1, G2]
    town_april = rates[6]
    assert counts(town_april) == {"sampled": 2, "correct": 1, "wrong": 0, "not_collected": 0,
                                  "not_deregistered": 1, "checked": 1}
    assert town_april.collection_rate == pytest.approx(100.0)
    assert town_april.accuracy_rate == pytest.approx(100.0)
    gone = next(r for r in rates[8:] if r.node == GRID_OF[p[0]])
    assert (gone.sampled, gone.checked, gone.not_deregistered) == (1, 0, 1)
    assert gone.collection_rate is None and gone.accuracy_rate is None
    assert [r.month for r in records.check_rates(from_="2024-04-01")] == ["2024-04"] * 4


def test_the_rates_frame(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))
    april = records.draw_check("house", EAST, count=2, seed=2025)
    p = april.picks
    records.record_check(gridgov.CheckRound(
        "2024-04 东石泉村 督查", "2024-04-10", "督导员乙", april,
        [gridgov.CheckFinding(p[0], tenant(p[0]), Outcome.NOT_DEREGISTERED)]))

    frame = records.check_rates_frame()
    assert list(frame.columns) == ["month", "node", "node_name", "level", "sampled", "checked",
                                   "correct", "not_collected", "not_deregistered", "wrong",
                                   "collection_rate", "accuracy_rate"]
    for name in ["month", "node", "node_name", "level"]:
        assert frame[name].dtype == object, name
    for name in ["sampled", "checked", "correct", "not_collected", "not_deregistered", "wrong"]:
        assert frame[name].dtype == np.int64, name
    for name in ["collection_rate", "accuracy_rate"]:
        assert frame[name].dtype == np.float64, name
    rates = records.check_rates()
    assert len(frame) == len(rates) == 10
    assert list(frame["node"]) == [r.node for r in rates]
    assert list(frame["month"]) == [r.month for r in rates]
    assert list(frame["checked"]) == [r.checked for r in rates]
    for row, r in zip(frame.itertuples(), rates):
        for name in ["collection_rate", "accuracy_rate"]:
            value = getattr(r, name)
            if value is None:
                assert math.isnan(getattr(row, name))
            else:
                assert getattr(row, name) == pytest.approx(value)
    assert frame.loc[0, "node_name"] == "石泉镇" and frame.loc[0, "level"] == "township"
    assert frame.loc[0, "collection_rate"] == pytest.approx(75.0)
    # April: both drawn houses count as sampled, but nobody was checked: every rate NaN.
    april_rows = frame[frame["month"] == "2024-04"]
    assert list(april_rows["node"]) == [TOWNSHIP, EAST, G1, G2]
    assert list(april_rows["sampled"]) == [2, 2, 1, 1]
    assert list(april_rows["not_deregistered"]) == [1, 1, int(p[0] in ("H1", "H2")),
                                                    int(p[0] in ("H3", "H4"))]
    assert april_rows["collection_rate"].isna().all()
    grids = frame[(frame["level"] == "grid") & (frame["month"] == "2024-03")]
    assert sorted(grids["node"]) == [G1, G2, G3] and grids["sampled"].sum() == 4
    assert list(grids["node_name"]) == ["东石泉村第1网格", "东石泉村第2网格", "西石泉村第1网格"]
    assert records.check_rates_frame(from_="2024-04-01")["month"].tolist() == ["2024-04"] * 4
    empty = records.check_rates_frame(to="2024-01-31")
    assert len(empty) == 0 and list(empty.columns) == list(frame.columns)


# ---- indicators -----------------------------------------------------------------------
KEYS = ["info_accuracy_rate", "info_checked", "info_collection_rate", "info_correct",
        "info_not_collected", "info_not_deregistered", "info_sampled", "info_wrong"]


def collection_scheme():
    """A month's score: the collection rate, 0 → 0 points, 100 → 100 points."""
    return gridgov.AssessmentScheme.from_json(json.dumps({
        "key": "collection_quality", "label": "四实采集质量（测试）", "version": 1,
        "period": "month", "max_total": 100,
        "indicators": [{"key": "info_collection_rate", "label": "采集率", "unit": "%"}],
        "components": [{"key": "collection", "label": "采集率", "weight": 1, "max_points": 100,
                        "indicator": "info_collection_rate",
                        "linear": {"from": 0, "points_from": 0, "to": 100,
                                   "points_to": 100}}],
        "grades": [{"key": "pass", "label": "合格", "min": 60},
                   {"key": "fail", "label": "不合格", "min": 0, "failing": True}],
    }, ensure_ascii=False), "collection_quality.json")


def test_indicators_for_a_month_plug_into_the_assessment(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))

    values = records.check_indicators("2024-03")
    assert set(values) == {county.hierarchy.view.code(n)
                           for n in county.hierarchy.view.preorder()}  # every live node
    town = values[TOWNSHIP]
    assert sorted(town) == KEYS
    assert all(isinstance(v, gridgov.IndicatorValue) for v in town.values())
    assert town["info_sampled"].value == 4 and town["info_checked"].value == 4
    assert town["info_not_collected"].value == 1 and town["info_wrong"].value == 1
    assert town["info_collection_rate"].value == pytest.approx(75.0)
    assert town["info_accuracy_rate"].value == pytest.approx(200 / 3)
    assert sorted(town["info_sampled"].sources) == sorted(march.picks)  # the drawn houses
    south = values[SOUTH]
    assert south["info_sampled"].value == 0 and south["info_checked"].value == 0
    assert not south["info_collection_rate"].defined
    assert "nobody was checked" in south["info_collection_rate"].reason
    # The quarter holds March; April holds nothing.
    q1 = records.check_indicators("2024-Q1")[TOWNSHIP]
    assert q1["info_collection_rate"].value == pytest.approx(75.0)
    assert not records.check_indicators("2024-04")[TOWNSHIP]["info_collection_rate"].defined
    with pytest.raises(gridgov.InvalidArgumentError, match="period"):
        records.check_indicators("March")

    # Straight into the assessment runner as extra values.
    scores, flags = county.assessment.assess(
        collection_scheme(), "2024-03", subjects=[TOWNSHIP, EAST, WEST, SOUTH], extra=values)
    total = {s.subject: s.total for s in scores}
    assert total[TOWNSHIP] == pytest.approx(75.0)
    assert total[SOUTH] is None  # undefined: nobody was checked
    for village in (EAST, WEST):
        rate = values[village]["info_collection_rate"]
        assert total[village] == (pytest.approx(rate.value) if rate.defined else None)
    assert flags == []


# ---- refusals -------------------------------------------------------------------------
def test_refused_rounds_raise_and_change_nothing(county):
    records = county.records
    drawn = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    good = march_round(drawn)
    records.record_check(good)
    before = dicts(records.checks())
    rates_before = [counts(r) for r in records.check_rates()]
    p = drawn.picks
    not_drawn = next(h for h in sorted(GRID_OF) if h not in p)

    def another(**changes):
        r = march_round(drawn)
        r.label = "another"
        for name, value in changes.items():
            setattr(r, name, value)
        return r

    def with_finding(i, **members):
        r = another()
        findings = r.findings
        for name, value in members.items():
            setattr(findings[i], name, value)
        r.findings = findings
        return r

    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good)
    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good.to_json())  # JSON text
    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good.to_dict())  # the JSON form as a dict
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=rf"findings\[1\] field 'sampled': '{not_drawn}' was not drawn"):
        records.record_check(with_finding(1, sampled=not_drawn))
    # A tampered draw: another house put among the picks.
    forged = json.loads(drawn.to_json())
    forged["picks"][0] = not_drawn
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'draw'"):
        records.record_check(another(draw=gridgov.DrawRecord.from_json(json.dumps(forged))))
    with pytest.raises(gridgov.InvalidArgumentError, match="a person not collected has no record"):
        records.record_check(with_finding(3, record="R1"))
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"findings\[0\] field 'record': missing"):
        records.record_check(with_finding(0, record=""))
    with pytest.raises(gridgov.NotFoundError, match=r"findings\[2\] field 'record'.*'R99'"):
        records.record_check(with_finding(2, record="R99"))
    with pytest.raises(gridgov.AlreadyExistsError, match="found twice"):
        records.record_check(with_finding(4, record=tenant(p[0])))
    with pytest.raises(gridgov.InvalidArgumentError, match="label"):
        records.record_check(another(label=""))
    # Bad input in the JSON form names the member.
    bad = good.to_dict()
    bad["label"] = "another"
    bad["findings"][0]["outcome"] = "maybe"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"findings\[0\].*outcome"):
        records.record_check(bad)
    del bad["draw"]
    with pytest.raises(gridgov.InvalidArgumentError, match="draw"):
        records.record_check(bad)
    with pytest.raises(TypeError):
        records.record_check(42)
    with pytest.raises(TypeError):
        records.record_check({"label": "x", "date": object()})
    assert dicts(records.checks()) == before
    assert [counts(r) for r in records.check_rates()] == rates_before


def test_the_report_page_shows_the_records_and_the_latest_check(county):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    county.records.record_check(march_round(drawn))
    data = county.report_data("2024-04-01T00:00", scope=TOWNSHIP, board_level="village")
    rows = {r["code"]: r for r in data["records"]["rows"]}
    assert (rows[EAST]["houses"], rows[EAST]["rented"], rows[EAST]["floating"]) == (4, 4, 4)
    assert (rows[WEST]["residents"], rows[SOUTH]["residents"]) == (2, 0)
    assert rows[SOUTH]["check_month"] == "" and rows[SOUTH]["collection_rate"] is None
    total = data["records"]["total"]
    assert total["code"] == TOWNSHIP and total["residents"] == 6
    want = {r.node: r for r in county.records.check_rates()}[TOWNSHIP]
    assert total["check_month"] == "2024-03"
    assert (total["sampled"], total["checked"], total["not_collected"]) == (
        want.sampled, want.checked, want.not_collected)
    assert total["collection_rate"] == pytest.approx(want.collection_rate)


# ---- posts on overlay units ---------------------------------------------------------------
def test_overlay_posts_read_their_records_and_officer_loads(county_seat):
    ws = county_seat
    ws.hierarchy.add_overlay("market", "工商段区", gridgov.LevelScheme.market_supervision())
    ws.hierarchy.add_overlay_unit("market", code="D01", name="城关段区", level="section",
                                  grids=[seat_grid(1, 1)])
    catalogue = json.loads(gridgov.Catalogue.preset("county_seat_003").to_json())
    catalogue["duties"].append({"code": "market_patrol", "zh": "段区巡查", "reveals": ["unit"]})
    catalogue["roles"].append({"code": "section_officer", "zh": "段管员", "level": "section",
                               "overlay": "market", "duties": ["market_patrol"]})
    ws.directory.set_catalogue(gridgov.Catalogue.from_json(json.dumps(catalogue)))
    ws.directory.add_person("M1", "黄志强")
    ws.directory.add_assignment("M1", "section_officer", "market:D01", "2024-01-01")

    def shop(key, grid):
        return {"key": key, "kind": "unit", "node": grid, "overlays": [("market", "D01")],
                "fields": {"name": key, "unit_kind": "个体工商户", "contact_phone": "13912345678"}}

    ws.records.add([shop("S1", seat_grid(1, 1)), shop("S2", seat_grid(2, 1))], "2024-01-01")
    officer = gridgov.RecordReader.person("M1", "市场巡查", on="2024-06-01")
    assert [r.key for r in ws.records.list(officer)] == ["S1", "S2"]
    clear = gridgov.RecordReader.person("M1", "市场巡查", reveal=True, on="2024-06-01")
    assert ws.records.get(clear, "S2")["contact_phone"] == "13912345678"

    policy = {"officer_loads": [{"overlay": "market", "kind": "unit", "per_officer": 1}]}
    loads = [f for f in ws.records.validate("2024-06-01", policy=policy)
             if f.rule == "records.officer_load"]
    assert [f.where for f in loads] == ["M1"]
    assert "with 2 unit records" in loads[0].message
    assert not [f for f in ws.records.validate("2024-06-01", policy="market_supervision_002")
                if f.rule == "records.officer_load"]
    with pytest.raises(gridgov.InvalidArgumentError, match=r"officer_loads\[0\]"):
        ws.records.validate("2024-06-01", policy={"officer_loads": [{"overlay": "market"}]})
    with pytest.raises(TypeError):
        ws.records.validate("2024-06-01", policy=["market"])
