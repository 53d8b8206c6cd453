"""Workspace.records from Python, on the township of conftest.py (石泉镇).

A few residents, households and houses of 东石泉村 and 西石泉村, kept the way the 一户一档
notices ask: every resident at a grid, a household with its head, houses coded from the
code of their grid. The ID numbers are made here with their GB 11643 check character, so
that the tests know which ones are right.
"""

import datetime
import json

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
    return [r.to_dict() for r in ws.records.list(reveal=True)]


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
    assert records.get("R-9")["wechat"] == "zhao6"
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
    r = records.get("R-1")
    assert isinstance(r, gridgov.Record)
    assert (r.key, r.kind, r.node) == ("R-1", "resident", G1)
    assert r["name"] == "张建军" and r["registration"] == "户籍人口"
    assert r["household"] == "HH-1" and r.get("employer") is None and "employer" not in r
    # Derived from the ID number.
    assert (r["birth_date"], r["sex"]) == ("1980-01-01", "男")
    assert records.get("R-2")["sex"] == "女"
    # Fields come back in the kind's order.
    order = [f.name for f in records.schema.kind("resident").fields]
    assert list(r.fields) == [n for n in order if n in r.fields]
    assert records.get("H-2")["tenants"] == "R-2"
    assert float(records.get("H-1")["area_m2"]) == 120.5
    assert records.get("R-404") is None
    assert records.keys() == ["H-1", "H-2", "HH-1", "R-1", "R-2", "R-3"]
    assert records.keys("resident") == ["R-1", "R-2", "R-3"]


def test_sensitive_fields_are_masked_unless_revealed(kept):
    records = kept.records
    masked = records.get("R-1")
    assert not masked.revealed
    assert masked["id_number"] == gridgov.mask_id_number(ID1) == ID1[:4] + "*" * 10 + ID1[-4:]
    assert masked["phone"] == "138****1001"
    assert records.get("R-3")["special_groups"] == "***"
    assert "13805431001" not in repr(masked)
    shown = records.get("R-1", reveal=True)
    assert shown.revealed
    assert (shown["id_number"], shown["phone"]) == (ID1, "13805431001")
    assert records.get("R-3", reveal=True)["special_groups"] in ("独居老人|低保对象",
                                                                 "低保对象|独居老人")
    assert all(ID1 not in str(r.fields) for r in records.list())
    assert ID1 in str([r.fields for r in records.list(reveal=True)])
    assert records.find("id_number", ID1)[0]["id_number"] != ID1
    assert ID1 not in records.export_text("csv", "resident")
    assert ID1 in records.export_text("csv", "resident", reveal=True)
    assert ID1 not in records.export_text("json")


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
    assert records.get("R-7", reveal=True) == gridgov.Record(
        "R-7", "resident", G2, fields={"name": "孙七", "registration": "境外人员",
                                       "birth_date": "1990-05-01", "phone": "13700000007"})
    assert records.get("R-8").node == G3


def test_arguments_of_the_wrong_shape(township):
    records = township.records
    with pytest.raises(TypeError, match="list of records"):
        records.add(resident("R-1", G1, "张建军", "户籍人口"))
    with pytest.raises(TypeError, match="bool"):
        records.add([resident("R-1", G1, "张建军", "户籍人口", hukou_type=True)])
    with pytest.raises(gridgov.InvalidArgumentError, match="'colour'"):
        records.add([{"key": "R-1", "kind": "resident", "node": G1, "colour": "red"}])
    with pytest.raises(TypeError):
        records.list(where=["registration", "户籍人口"])
    with pytest.raises(TypeError, match="date"):
        records.add([resident("R-1", G1, "张建军", "户籍人口")], effective=20240101)
    assert records.count() == 0


# ---- refusals change nothing --------------------------------------------------------------
def test_an_unknown_node_is_refused_and_changes_nothing(kept):
    before = everything(kept)
    with pytest.raises(gridgov.NotFoundError, match="R-9.*999999"):
        kept.records.add([resident("R-9", "999999", "赵六", "户籍人口")], ADDED)
    assert kept.records.get("R-9") is None
    assert everything(kept) == before
    with pytest.raises(gridgov.NotFoundError):
        kept.records.move("R-1", "999999", "2024-02-01")
    assert kept.records.get("R-1").node == G1
    assert [v.change for v in kept.records.history("R-1")] == ["added"]


def test_a_missing_required_field_is_refused_naming_record_and_field(kept):
    before = everything(kept)
    good = resident("R-8", G2, "周八", "户籍人口")
    bad = {"key": "R-9", "kind": "resident", "node": G2, "fields": {"name": "赵六"}}
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-9.*registration"):
        kept.records.add([good, bad], ADDED)
    assert kept.records.get("R-8") is None  # all or nothing
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
    masked = records.get("R-1")
    masked["name"] = "张建国"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"R-1.*reveal=True"):
        records.update(masked, "2024-02-01")
    assert records.get("R-1", reveal=True)["id_number"] == ID1
    shown = records.get("R-1", reveal=True)
    shown["name"] = "张建国"
    records.update(shown, "2024-02-01")
    assert records.get("R-1")["name"] == "张建国"
    assert records.get("R-1", reveal=True)["id_number"] == ID1


# ---- findings -----------------------------------------------------------------------------
def test_a_wrong_check_character_is_kept_and_reported(kept):
    findings = kept.records.add(
        [resident("R-4", G3, "钱多多", "户籍人口", id_number=WRONG)], "2024-02-01")
    assert [(f.rule, f.where) for f in findings] == [("records.id_number", "R-4")]
    assert findings[0].severity == gridgov.Severity.ERROR
    assert kept.records.get("R-4", reveal=True)["id_number"] == WRONG  # never fixed
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
    assert kept.records.find("house_code", G1 + "0003")[0].key == "H-3"


# ---- history ------------------------------------------------------------------------------
def test_history_after_changes_moves_and_removal(kept):
    records = kept.records
    r2 = records.get("R-2", reveal=True)
    r2["phone"] = "13905439999"
    assert records.update(r2, "2024-03-01") == []
    records.update(records.get("R-2", reveal=True), "2024-04-01")  # nothing changed
    records.move("R-2", G2, datetime.date(2024, 5, 1))
    records.remove("R-2", "2024-07-01")
    history = records.history("R-2", reveal=True)
    assert [(v.version, v.change, v.effective) for v in history] == [
        (1, "added", datetime.date(2024, 1, 1)),
        (2, "changed", datetime.date(2024, 3, 1)),
        (3, "moved", datetime.date(2024, 5, 1)),
        (4, "removed", datetime.date(2024, 7, 1)),
    ]
    assert [v.record.node for v in history] == [G1, G1, G2, G2]
    assert [v.record["phone"] for v in history] == [
        "13905432002", "13905439999", "13905439999", "13905439999"]
    assert records.history("R-2")[0].record["phone"] == "139****2002"
    # As it stood on a date.
    assert records.get("R-2", on="2024-02-01", reveal=True)["phone"] == "13905432002"
    assert records.get("R-2", on=datetime.date(2024, 6, 1)).node == G2
    assert records.get("R-2", on="2024-05-01").node == G2  # the end of the day of the move
    assert records.get("R-2", on="2024-04-30").node == G1
    assert records.get("R-2", on="2023-12-31") is None  # before it was added
    assert records.get("R-2", on="2024-07-01") is None  # removed that day
    assert records.get("R-2") is None
    # Removed: not live, still stored, and its key is spent.
    assert records.count("resident") == 2 and records.size() == 6
    assert "R-2" not in records.keys()
    with pytest.raises(gridgov.Error):
        records.add([resident("R-2", G1, "李梅", "流动人口")], "2024-08-01")
    with pytest.raises(gridgov.NotFoundError, match="R-404"):
        records.history("R-404")


def test_a_change_may_not_go_back_in_time(kept):
    records = kept.records
    records.move("R-3", G1, "2024-06-01")
    with pytest.raises(gridgov.Error, match="R-3"):
        records.move("R-3", G2, "2024-05-01")
    assert records.get("R-3").node == G1
    assert len(records.history("R-3")) == 2


def test_records_survive_reopening(kept, workspace_path):
    kept.records.move("R-3", G1, "2024-06-01")
    kept.close()
    with gridgov.Workspace.open(workspace_path) as again:
        assert again.records.count() == 6
        assert again.records.get("R-1", reveal=True)["id_number"] == ID1
        assert [v.change for v in again.records.history("R-3")] == ["added", "moved"]
        assert again.records.get("R-3", on="2024-05-31").node == G3


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
    found = records.find("id_number", ID1, reveal=True)
    assert [r.key for r in found] == ["R-1"]
    assert found[0]["id_number"] == ID1
    assert records.find("id_number", ID2)[0].key == "R-2"
    assert records.find("id_number", WRONG) == []
    assert [r.key for r in records.find("household", "HH-1")] == ["R-1"]
    assert [r.key for r in records.find("house_code", G1 + "0002")] == ["H-2"]
    assert [r.key for r in records.find("tenants", "R-2")] == ["H-2"]
    with pytest.raises(gridgov.InvalidArgumentError, match="name"):
        records.find("name", "张建军")


def test_list_filters(kept):
    records = kept.records
    assert [r.key for r in records.list("resident")] == ["R-1", "R-2", "R-3"]
    assert [r.key for r in records.list(within=EAST)] == ["H-1", "H-2", "HH-1", "R-1", "R-2"]
    assert [r.key for r in records.list("resident", within=WEST)] == ["R-3"]
    assert records.list(within=SOUTH) == []
    assert [r.key for r in records.list(where={"registration": "流动人口"})] == ["R-2"]
    assert [r.key for r in records.list("house", where={"use": "出租"})] == ["H-2"]
    assert records.keys("resident", where={"household": "HH-1"}) == ["R-1"]
    assert records.keys("resident", within=EAST, where={"registration": "户籍人口"}) == ["R-1"]
    node = kept.hierarchy.view[WEST]
    assert records.keys(within=node) == ["R-3"]
    with pytest.raises(gridgov.NotFoundError):
        records.list(within="999999")


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
    u1 = records.get("U-1")
    assert u1.overlays == [("fire_safety", "XF-01-01-01")]
    assert u1["unit_kind"] == "企业|消防重点单位"
    assert u1["employees"] == "12"
    assert [r.key for r in records.list(overlay=("fire_safety", "XF-01-01-01"))] == ["U-1"]
    assert records.keys("unit", where={"unit_kind": "消防重点单位"}) == ["U-1"]
    assert records.keys("unit", where={"unit_kind": "个体工商户"}) == ["U-2"]
    assert records.find("credit_code", credit)[0].key == "U-1"
    with pytest.raises(gridgov.NotFoundError, match="XF-99"):
        records.add([{"key": "U-3", "kind": "unit", "node": grid,
                      "overlays": [("fire_safety", "XF-99")],
                      "fields": {"name": "x", "unit_kind": "其他"}}], "2024-01-01")
    # A move of places only is a "moved" version.
    u2 = records.get("U-2")
    u2.node = grid
    u2.overlays = [("fire_safety", "XF-01-01-01")]
    records.update(u2, "2024-02-01")
    assert records.history("U-2")[-1].change == "moved"
    assert records.keys(overlay=("fire_safety", "XF-01-01-01")) == ["U-1", "U-2"]
    units = records.frame("unit")
    assert units.loc["U-1", "unit_kind"] == "企业|消防重点单位"  # multiple: text
    assert units["employees"].dtype == np.float64
    assert units.loc["U-1", "employees"] == 12.0 and np.isnan(units.loc["U-2", "employees"])
    assert units["licence_state"].dtype.name == "category"
    assert units.loc["U-1", "node"] == grid
    assert units.loc["U-1", "node_name"] == "第1网区第1网格"
    assert str(units.index.name) == "key"
    with_levels = records.frame("unit", ancestors=("township", "village"))
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
    frame = records.frame("resident")
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
    shown = records.frame("resident", reveal=True)
    assert shown.loc["R-1", "id_number"] == ID1
    houses = records.frame("house")
    assert houses["area_m2"].dtype == np.float64
    assert list(houses["area_m2"]) == [120.5, 80.0]
    assert houses["use"].dtype.name == "category"


def test_frame_filters_and_ancestors(kept):
    pytest.importorskip("pandas")
    records = kept.records
    frame = records.frame("resident", ancestors=("county", "township", "village"))
    assert list(frame.columns[:6]) == ["kind", "node", "node_name", "county", "township",
                                       "village"]
    assert list(frame["village"]) == [EAST, EAST, WEST]
    assert list(frame["township"]) == [TOWNSHIP] * 3
    assert frame["county"].isna().all()  # the township is a root here
    west = records.frame("resident", within=WEST, ancestors="village")
    assert list(west.index) == ["R-3"] and list(west["village"]) == [WEST]
    floating = records.frame("resident", where={"registration": "流动人口"})
    assert list(floating.index) == ["R-2"]
    assert list(floating["registration"].cat.categories) == ["户籍人口", "流动人口", "境外人员"]
    empty = records.frame("organisation")
    assert len(empty) == 0 and "org_kind" in empty.columns
    assert empty["reported_on"].dtype.kind == "M"
    with pytest.raises(gridgov.NotFoundError, match="hamlet"):
        records.frame("resident", ancestors=("hamlet",))
    with pytest.raises(gridgov.NotFoundError, match="spaceship"):
        records.frame("spaceship")
    columns = records.columns("resident", ancestors=["village"])
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
    text = kept.records.export_text("csv", "resident", reveal=True)
    header = text.splitlines()[0].split(",")
    assert header[:3] == ["key", "node", "overlays"]
    assert header[3:] == [f.name for f in kept.records.schema.kind("resident").fields]
    report = second.records.import_text(text, "csv", kind="resident", effective=ADDED)
    assert (report.added, report.changed, report.unchanged) == (3, 0, 0)
    assert report.findings == []
    assert second.records.export_text("csv", "resident", reveal=True) == text
    assert [r.to_dict() for r in second.records.list("resident", reveal=True)] == \
        [r.to_dict() for r in kept.records.list("resident", reveal=True)]
    again = second.records.import_text(text, "csv", kind="resident", effective="2024-02-01")
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    # Through files: the kind from the file's name.
    path = tmp_path / "house.csv"
    kept.records.export_file(path, "house", reveal=True)
    assert path.read_text(encoding="utf-8") == kept.records.export_text("csv", "house",
                                                                        reveal=True)
    calls = []
    report = second.records.import_file(
        path, effective=ADDED, progress=lambda done, total: calls.append((done, total)) or True)
    assert report.added == 2
    assert calls and calls[-1][0] == calls[-1][1]
    assert second.records.get("H-2")["tenants"] == "R-2"


def test_a_bad_csv_row_names_the_file_row_and_field(kept, second):
    text = kept.records.export_text("csv", "resident", reveal=True)
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
    assert second.records.get("R-1")["house"] == "H-1"
    assert second.records.get("R-1")["birth_date"] == "1980-01-01"
    document["records"][1]["fields"]["registration"] = "流动人口"
    report = second.records.import_text(json.dumps(document, ensure_ascii=False), "json",
                                        effective="2024-02-01")
    assert (report.added, report.changed, report.unchanged) == (0, 1, 2)
    assert [v.change for v in second.records.history("R-1")] == ["added", "changed"]
    exported = json.loads(second.records.export_text("json", reveal=True))
    assert [r["key"] for r in exported["records"]] == ["H-1", "R-1", "R-4"]
    assert exported["records"][1]["fields"]["registration"] == "流动人口"
    with pytest.raises(gridgov.Error, match=r"records\[0\]"):
        second.records.import_text('{"records": [{"key": "X"}]}', "json")
    with pytest.raises(gridgov.InvalidArgumentError, match="yaml"):
        second.records.import_text(text, "yaml")


def test_export_file_of_every_kind_as_json(kept, tmp_path):
    path = tmp_path / "records.json"
    kept.records.export_file(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(r["key"] for r in document["records"]) == [
        "H-1", "H-2", "HH-1", "R-1", "R-2", "R-3"]
    assert ID1 not in path.read_text(encoding="utf-8")
    fresh = gridgov.Workspace.open(tmp_path / "fresh.gridgov")
    try:
        fresh.hierarchy.import_text(township_csv_text(), "csv")
        revealed = tmp_path / "all.json"
        kept.records.export_file(revealed, reveal=True)
        assert fresh.records.import_file(revealed, effective=ADDED).added == 6
        assert fresh.records.get("R-1", reveal=True)["id_number"] == ID1
    finally:
        fresh.close()


def test_frames_without_pandas_say_what_to_install(kept, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="python3-pandas"):
        kept.records.frame("resident")
    with pytest.raises(ImportError, match="needs pandas"):
        kept.records.roll_up_frame("resident")
    assert kept.records.columns("house")["area_m2"] == ["120.5", "80"]
    assert gridgov.records_frame is gridgov.WorkspaceRecords.frame
    assert gridgov.records_roll_up_frame is gridgov.WorkspaceRecords.roll_up_frame


def test_a_copy_of_the_workspace_carries_the_records(kept, workspace_path, tmp_path):
    kept.records.move("R-3", G1, "2024-06-01")
    kept.close()
    gridgov.Workspace.copy(workspace_path, tmp_path / "copy.gridgov")
    with gridgov.Workspace.open(workspace_path, create=False) as a, \
            gridgov.Workspace.open(tmp_path / "copy.gridgov", create=False) as b:
        assert b.records.export_text("json", reveal=True) == \
            a.records.export_text("json", reveal=True)
        assert [v.change for v in b.records.history("R-3")] == ["added", "moved"]
        assert b.records.find("id_number", ID2)[0].key == "R-2"
