// The records module: kinds as data, checks, records with dated history in a workspace,
// questions, findings, import and export (records.hpp, WorkspaceRecords).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
using gridgov_test::node;
using gridgov_test::person;
using gridgov_test::post;
using gridgov_test::store_location;
using gridgov_test::TempDir;

namespace {

Date d(const char* iso) {
    return Date::parse(iso);
}

// A valid ID number: the 17 digits and their check character.
std::string id_number(const std::string& first17) {
    return first17 + id_number_check_character(first17);
}

// A county with one township, two villages and three grids (and one overlay).
void build_county(Workspace& ws) {
    ws.hierarchy().add_nodes({
        node("341521", "", "county", "霍邱县"),
        node("341521105", "341521", "township", "石店镇"),
        node("341521105001", "341521105", "village", "青石村"),
        node("341521105002", "341521105", "village", "双桥村"),
        node("341521105001001", "341521105001", "grid", "青石一格"),
        node("341521105001002", "341521105001", "grid", "青石二格"),
        node("341521105002001", "341521105002", "grid", "双桥一格"),
    });
    ws.hierarchy().add_overlay("fire", "消防网格", fire_safety_levels());
    OverlayUnitSpec unit;
    unit.code = "F01";
    unit.name = "石店大网格";
    unit.level = fire_safety_levels()[0].key;
    unit.grid_codes = {"341521105001001", "341521105001002", "341521105002001"};
    ws.hierarchy().add_overlay_unit("fire", unit);
}

NodeId at(const Workspace& ws, const char* code) {
    return ws.hierarchy().view().at(code);
}

Record resident(const Workspace& ws, const std::string& key, const char* grid,
                const std::string& id, const char* registration = "户籍人口") {
    Record r;
    r.key = key;
    r.kind = "resident";
    r.node = at(ws, grid);
    r.fields = {{"name", "张" + key}, {"registration", registration}};
    if (!id.empty())
        r.fields.emplace_back("id_number", id);
    return r;
}

Record house(const Workspace& ws, const std::string& key, const std::string& grid,
             const std::string& code, const std::string& address, const char* use) {
    Record r;
    r.key = key;
    r.kind = "house";
    r.node = ws.hierarchy().view().at(grid);
    r.fields = {{"house_code", code}, {"address", address}, {"use", use}};
    return r;
}

bool has_rule(const std::vector<Finding>& findings, const std::string& rule,
              const std::string& where) {
    for (const Finding& f : findings) {
        if (f.rule == rule && f.where == where)
            return true;
    }
    return false;
}

const RecordReader sys = RecordReader::system_read("tests");
const RecordReader sys_clear = RecordReader::system_read("tests", Reveal::revealed);

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(nothing thrown)";
}

}  // namespace

TEST_CASE("records.schema.standard_preset_round_trips_and_checks_itself") {
    const RecordSchema s = RecordSchema::preset("standard");
    REQUIRE(s.kinds.size() == 6);
    CHECK(s.kind("resident").field("id_number")->check == CodeCheck::id_number);
    CHECK(s.kind("resident").field("id_number")->sensitive);
    CHECK(s.kind("house").field("tenants")->multiple);
    CHECK(RecordSchema::from_json(s.to_json()).to_json() == s.to_json());
    CHECK(RecordSchema::preset_keys() == std::vector<std::string>{"standard"});
    CHECK_THROWS_AS(RecordSchema::preset("nowhere"), Error);

    const auto refused = [](const char* json) {
        return message_of([&] { RecordSchema::from_json(json, "s.json"); });
    };
    CHECK(refused(R"({"kinds":[{"key":"a","fields":[{"name":"x","type":"enum"}]}]})") ==
          "s.json kind 'a' fields[0] field 'values': an enumeration needs values");
    CHECK(refused(R"({"kinds":[{"key":"a","fields":[{"name":"x","type":"reference",
          "refers_to":"b"}]}]})") ==
          "s.json kind 'a' fields[0] field 'refers_to': unknown kind 'b'");
    CHECK(refused(R"({"kinds":[{"key":"a","fields":[{"name":"x"},{"name":"x"}]}]})") ==
          "s.json kind 'a' fields[1] field 'name': field 'x' defined twice");
    CHECK(refused(R"({"kinds":[{"key":"a","fields":[{"name":"x","type":"blob"}]}]})")
              .find("unknown field type 'blob'") != std::string::npos);
    CHECK(refused(R"({"kinds":[{"key":"a","fields":[{"name":"node"}]}]})").find("is reserved") !=
          std::string::npos);

    RecordSchema local = s;
    local.extend(RecordSchema::from_json(R"({"kinds":[
        {"key":"resident","fields":[{"name":"wechat","label":"微信","sensitive":true}]},
        {"key":"dog","label":"犬只","fields":[{"name":"owner","type":"reference","refers_to":"resident"}]}]})"));
    CHECK(local.kinds.size() == 7);
    CHECK(local.kind("resident").fields.back().name == "wechat");
    // An extension on its own may refer to the kinds it extends.
    const char* pets =
        R"({"kinds":[{"key":"pet","fields":[{"name":"owner","type":"reference","refers_to":"resident"}]},
            {"key":"resident","fields":[{"name":"born","type":"date","derive_from":"id_number",
             "derivation":"birth_date"}]}]})";
    CHECK_THROWS_AS(RecordSchema::from_json(pets), Error);
    RecordSchema with_pets = s;
    with_pets.extend(RecordSchema::extension_from_json(pets, s));
    CHECK(with_pets.kind("pet").field("owner")->refers_to == "resident");
    CHECK(with_pets.kind("resident").field("born") != nullptr);
    CHECK_THROWS_WITH_AS(local.extend(RecordSchema::from_json(
                             R"({"kinds":[{"key":"dog","fields":[{"name":"owner"}]}]})")),
                         "the extension's kind 'dog' field 'owner': the field exists", Error);
}

TEST_CASE("records.checks.credit_component_phone_and_masks") {
    // The example of GB 32100's published explanations.
    CHECK(is_valid_credit_code("91350100M000100Y43"));
    CHECK_FALSE(is_valid_credit_code("91350100M000100Y44"));
    CHECK_FALSE(is_valid_credit_code("91350100M000100Y4"));
    CHECK_FALSE(is_valid_credit_code("9135010OM000100Y43"));  // letter O is not used
    const std::string first17 = "91341521MA2N0ABC1";
    CHECK(is_valid_credit_code(first17 + credit_code_check_character(first17)));
    CHECK_THROWS_AS(credit_code_check_character("91341521MA2N0ABZ1"), Error);

    CHECK(is_valid_component_code("3205080101000001"));
    CHECK_FALSE(is_valid_component_code("3205080001000001"));  // major class 00
    CHECK_FALSE(is_valid_component_code("3205080101000000"));  // serial 0
    CHECK_FALSE(is_valid_component_code("320508010100001"));

    CHECK(is_valid_phone("13812345678"));
    CHECK(is_valid_phone("0564-6012345"));
    CHECK_FALSE(is_valid_phone("23812345678"));
    CHECK_FALSE(is_valid_phone("138-1234-5678"));

    const RecordSchema standard = RecordSchema::preset("standard");
    const RecordKind& r = standard.kind("resident");
    CHECK(mask_field_value(*r.field("id_number"), "341521199003071234") == "3415**********1234");
    CHECK(mask_field_value(*r.field("phone"), "13812345678") == "138****5678");
    CHECK(mask_field_value(*r.field("special_groups"), "低保对象") == "***");
    CHECK(mask_field_value(*r.field("special_groups"), "").empty());
}

TEST_CASE("records.workspace.dated_history_masks_and_lookups" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "records.gridgov");
    const std::string id = id_number("34152119900307123");  // a man born 1990-03-07
    {
        Workspace ws = Workspace::open(path);
        build_county(ws);
        const Record h1 =
            house(ws, "H1", "341521105001001", "3415211050010010001", "青石村1号", "自住");
        Record r = resident(ws, "R1", "341521105001001", id);
        r.fields.emplace_back("house", "H1");
        r.fields.emplace_back("phone", "13812345678");
        r.fields.emplace_back("special_groups", "残疾人|低保对象");
        const std::vector<Finding> findings = ws.records().add({h1, r}, d("2024-01-01"));
        CHECK(findings.empty());
        CHECK(ws.records().size() == 2);
        CHECK(ws.records().count("resident") == 1);
        CHECK(ws.records().count() == 2);

        const std::optional<Record> masked = ws.records().get(sys, "R1");
        REQUIRE(masked);
        CHECK(*masked->field("id_number") == mask_id_number(id));
        CHECK(*masked->field("phone") == "138****5678");
        CHECK(*masked->field("special_groups") == "***");
        CHECK(*masked->field("sex") == "男");                 // derived from the ID number
        CHECK(*masked->field("birth_date") == "1990-03-07");  // derived from the ID number
        const std::optional<Record> clear = ws.records().get(sys_clear, "R1");
        CHECK(*clear->field("id_number") == id);
        // Enumeration values are kept in the order of the kind's values.
        CHECK(*clear->field("special_groups") == "低保对象|残疾人");
        // Fields in the kind's order.
        CHECK(clear->fields.front().first == "name");

        const std::vector<Record> found = ws.records().find(sys, "id_number", id);
        REQUIRE(found.size() == 1);
        CHECK(found[0].key == "R1");
        CHECK(ws.records().find(sys, "house", "H1").size() == 1);
        CHECK_THROWS_AS(ws.records().find(sys, "name", "张R1"), Error);

        Record changed = *clear;
        changed.fields.emplace_back("hukou_type", "农业");
        ws.records().update(changed, d("2024-03-01"));
        ws.records().move("R1", at(ws, "341521105002001"), d("2024-06-01"));
        ws.records().remove("R1", d("2024-09-01"));

        CHECK_FALSE(ws.records().get(sys, "R1"));
        CHECK(ws.records().count("resident") == 0);
        CHECK(ws.records().find(sys, "id_number", id).empty());
        const std::optional<Record> in_april = ws.records().get(sys, "R1", d("2024-04-30"));
        REQUIRE(in_april);
        CHECK(in_april->node == at(ws, "341521105001001"));
        CHECK(*in_april->field("hukou_type") == "农业");
        CHECK(ws.records().get(sys, "R1", d("2024-07-01"))->node == at(ws, "341521105002001"));
        CHECK_FALSE(ws.records().get(sys, "R1", d("2023-12-31")));

        const std::vector<RecordVersion> h = ws.records().history(sys, "R1");
        REQUIRE(h.size() == 4);
        CHECK(h[0].change == RecordChange::added);
        CHECK(h[1].change == RecordChange::changed);
        CHECK(h[2].change == RecordChange::moved);
        CHECK(h[3].change == RecordChange::removed);
        CHECK(h[2].effective == d("2024-06-01"));
        CHECK(*h[0].record.field("id_number") == mask_id_number(id));
        CHECK(std::string(record_change_name(h[3].change)) == "removed");

        // A removed key stays taken; changes keep their order in time.
        CHECK(message_of([&] {
                  ws.records().add({resident(ws, "R1", "341521105001001", "")}, d("2025-01-01"));
              }).find("record 'R1' exists") != std::string::npos);
        CHECK(message_of([&] {
                  ws.records().move("H1", at(ws, "341521105001002"), d("2023-06-01"));
              }).find("before the record's last change (2024-01-01)") != std::string::npos);
        CHECK_THROWS_AS(ws.records().history(sys, "nobody"), Error);
    }
    // Reopened: the same records, columns and history.
    Workspace again = Workspace::open(path);
    CHECK(again.records().size() == 2);
    CHECK(again.records().count("resident") == 0);
    CHECK(again.records().count("house") == 1);
    CHECK(again.records().history(sys, "R1").size() == 4);
    CHECK(again.records().get(sys, "R1", d("2024-04-30")).has_value());
}

TEST_CASE("records.workspace.refused_changes_change_nothing" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "refused.gridgov");
    Workspace ws = Workspace::open(path);
    build_county(ws);
    ws.records().add({resident(ws, "R0", "341521105001001", "")}, d("2024-01-01"));

    Record no_name = resident(ws, "R1", "341521105001001", "");
    no_name.fields.erase(no_name.fields.begin());
    CHECK(message_of([&] { ws.records().add({no_name}, d("2024-01-01")); }) ==
          "records[0] ('R1') field 'name': missing (required by kind 'resident')");

    Record bad_enum = resident(ws, "R2", "341521105001001", "", "游客");
    CHECK(message_of([&] {
              ws.records().add({bad_enum}, d("2024-01-01"));
          }).find("field 'registration': '游客' is not one of its values") != std::string::npos);

    Record unit;
    unit.key = "U1";
    unit.kind = "unit";
    unit.node = at(ws, "341521105001001");
    unit.fields = {{"name", "石店粮站"}, {"unit_kind", "企业"}, {"employees", "十二"}};
    CHECK(message_of([&] { ws.records().add({unit}, d("2024-01-01")); }) ==
          "records[0] ('U1') field 'employees': '十二' is not an integer");

    Record nowhere = resident(ws, "R3", "341521105001001", "");
    nowhere.node = 999;
    CHECK(message_of([&] { ws.records().add({nowhere}, d("2024-01-01")); }) ==
          "records[0] ('R3') field 'node': no such node");

    Record unknown_field = resident(ws, "R4", "341521105001001", "");
    unknown_field.fields.emplace_back("shoe_size", "42");
    CHECK(message_of([&] { ws.records().add({unknown_field}, d("2024-01-01")); }) ==
          "records[0] ('R4') field 'shoe_size': kind 'resident' has no such field");

    Record on_overlay = resident(ws, "R5", "341521105001001", "");
    on_overlay.overlays = {{"fire", "F99"}};
    CHECK(message_of([&] { ws.records().add({on_overlay}, d("2024-01-01")); }) ==
          "records[0] ('R5') field 'overlays': overlay 'fire' has no unit 'F99'");

    // A node made on a date: a record dated before it is refused; an undated one is known
    // from the start and needs only a live node.
    const NodeId later = ws.hierarchy().add_node(
        node("341521105001003", "341521105001", "grid", "青石三格"), d("2024-05-01"));
    Record early = resident(ws, "R7", "341521105001003", "");
    CHECK(message_of([&] { ws.records().add({early}, d("2024-01-01")); }) ==
          "records[0] ('R7') field 'node': node '341521105001003' is not live on 2024-01-01");
    ws.records().add({early}, Date::min());
    CHECK(ws.records().get(sys, "R7")->node == later);
    ws.records().remove("R7", d("2024-06-01"));

    // A good record next to a bad one: neither is added.
    CHECK_THROWS_AS(
        ws.records().add({resident(ws, "R6", "341521105001001", ""), nowhere}, d("2024-01-01")),
        Error);
    CHECK(ws.records().size() == 2);
    CHECK(Workspace::open(path).records().size() == 2);
    CHECK_FALSE(ws.records().get(sys, "R6"));
}

TEST_CASE("records.findings.checks_on_add_and_validation" * doctest::test_suite("store")) {
    TempDir dir;
    Workspace ws = Workspace::open(store_location(dir, "findings.gridgov"));
    build_county(ws);
    std::string wrong = id_number("34152119900307123");
    wrong.back() = wrong.back() == '0' ? '1' : '0';

    const Record h1 =
        house(ws, "H1", "341521105001001", "3415211050020010001", "青石村1号", "出租");
    Record shop;
    shop.key = "U1";
    shop.kind = "unit";
    shop.node = at(ws, "341521105001002");
    shop.fields = {{"name", "石店超市"},
                   {"unit_kind", "个体工商户|门前三包单位"},
                   {"credit_code", "91350100M000100Y44"},
                   {"employees", "3"}};
    Record family;
    family.key = "F1";
    family.kind = "household";
    family.node = at(ws, "341521105001001");
    family.fields = {{"house", "H404"}};
    Record r = resident(ws, "R1", "341521105001001", wrong);
    r.fields.emplace_back("birth_date", "1991-01-01");

    const std::vector<Finding> on_add = ws.records().add({h1, shop, family, r}, d("2024-01-01"));
    CHECK(has_rule(on_add, "records.id_number", "R1"));
    CHECK(has_rule(on_add, "records.house_code", "H1"));
    CHECK(has_rule(on_add, "records.credit_code", "U1"));
    // The wrong ID number is kept as written, never fixed, and masked in the message.
    CHECK(*ws.records().get(sys_clear, "R1")->field("id_number") == wrong);
    for (const Finding& f : on_add)
        CHECK(f.message.find(wrong) == std::string::npos);

    const std::vector<Finding> all = ws.records().validate(d("2024-06-01"));
    CHECK(has_rule(all, "records.household_head", "F1"));
    CHECK(has_rule(all, "records.reference", "F1"));  // house H404 does not exist
    CHECK(has_rule(all, "records.rented_without_tenants", "H1"));
    CHECK(has_rule(all, "records.id_number", "R1"));
    CHECK_FALSE(has_rule(all, "records.retired_node", "R1"));

    ws.hierarchy().retire_node(at(ws, "341521105001002"), d("2024-05-01"));
    CHECK(has_rule(ws.records().validate(d("2024-06-01")), "records.retired_node", "U1"));

    // A valid ID whose derived birth date disagrees with the one given.
    Record r2 = resident(ws, "R2", "341521105001001", id_number("34152119900307123"));
    r2.fields.emplace_back("birth_date", "1991-01-01");
    CHECK(has_rule(ws.records().add({r2}, d("2024-07-01")), "records.derived", "R2"));
}

TEST_CASE("records.questions.roll_ups_and_filters" * doctest::test_suite("store")) {
    TempDir dir;
    Workspace ws = Workspace::open(store_location(dir, "rollup.gridgov"));
    build_county(ws);
    std::vector<Record> people;
    people.push_back(resident(ws, "R1", "341521105001001", "", "流动人口"));
    people.push_back(resident(ws, "R2", "341521105001001", ""));
    people.push_back(resident(ws, "R3", "341521105001002", "", "流动人口"));
    people.push_back(resident(ws, "R4", "341521105002001", "", "流动人口"));
    people[0].fields.emplace_back("household", "F1");
    people[1].fields.emplace_back("household", "F1");
    people[0].overlays = {{"fire", "F01"}};
    Record shop;
    shop.key = "U1";
    shop.kind = "unit";
    shop.node = at(ws, "341521105001002");
    shop.fields = {{"name", "石店超市"}, {"unit_kind", "个体工商户"}, {"employees", "3"}};
    Record mill = shop;
    mill.key = "U2";
    mill.node = at(ws, "341521105002001");
    mill.fields = {{"name", "双桥米厂"}, {"unit_kind", "企业"}, {"employees", "12"}};
    people.push_back(shop);
    people.push_back(mill);
    ws.records().add(people, d("2024-01-01"));

    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<double> floating =
        ws.records().roll_up("resident", "registration", "流动人口");
    REQUIRE(floating.size() == h.id_count());
    CHECK(floating[at(ws, "341521")] == 3);
    CHECK(floating[at(ws, "341521105001")] == 2);
    CHECK(floating[at(ws, "341521105001001")] == 1);
    CHECK(floating[at(ws, "341521105002")] == 1);
    const std::vector<double> everyone = ws.records().roll_up("resident");
    CHECK(everyone[at(ws, "341521105")] == 4);
    const std::vector<double> employees = ws.records().roll_up("unit", "employees");
    CHECK(employees[at(ws, "341521105")] == 15);
    CHECK(employees[at(ws, "341521105002")] == 12);
    CHECK_THROWS_AS(ws.records().roll_up("resident", "registration", "游客"), Error);
    CHECK_THROWS_AS(ws.records().roll_up("resident", "name"), Error);
    CHECK_THROWS_AS(ws.records().roll_up("spaceship"), Error);

    RecordFilter in_village;
    in_village.kind = "resident";
    in_village.within = at(ws, "341521105001");
    CHECK(ws.records().keys(in_village) == std::vector<std::string>{"R1", "R2", "R3"});
    in_village.where = {{"registration", "流动人口"}};
    CHECK(ws.records().keys(in_village) == std::vector<std::string>{"R1", "R3"});
    RecordFilter family;
    family.where = {{"household", "F1"}};
    CHECK(ws.records().keys(family) == std::vector<std::string>{"R1", "R2"});
    RecordFilter fire;
    fire.overlay = OverlayPlace{"fire", "F01"};
    CHECK(ws.records().keys(fire) == std::vector<std::string>{"R1"});
    RecordFilter businesses;
    businesses.where = {{"unit_kind", "企业"}};
    CHECK(ws.records().keys(businesses) == std::vector<std::string>{"U2"});
    CHECK(ws.records().list(sys, businesses).front().fields.front().second == "双桥米厂");
    RecordFilter bad;
    bad.where = {{"name", "x"}};
    CHECK_THROWS_AS(ws.records().keys(bad), Error);

    // A move is seen by the roll-up at once.
    ws.records().move("R4", at(ws, "341521105001001"), d("2024-02-01"));
    CHECK(ws.records().roll_up("resident", "registration", "流动人口")[at(ws, "341521105001")] ==
          3);
}

TEST_CASE("records.import_export.all_or_nothing_and_masked" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "import.gridgov");
    Workspace ws = Workspace::open(path);
    build_county(ws);
    const std::string id = id_number("34152119850101002");  // a woman
    const std::string csv =
        "key,node,姓名,id_number,registration,phone,household\n"
        "R1,341521105001001,张三," +
        id +
        ",户籍人口,13812345678,F1\n"
        "R2,341521105001002,李四,,流动人口,,\n";
    const RecordImportReport first =
        ws.records().import_text(csv, DocumentFormat::csv, "", "residents.csv", d("2024-01-01"));
    CHECK(first.added == 2);
    CHECK(first.findings.empty());
    CHECK(*ws.records().get(sys, "R1")->field("sex") == "女");

    // The same file again changes nothing; a changed row is a new version.
    CHECK(ws.records()
              .import_text(csv, DocumentFormat::csv, "resident", "again.csv", d("2024-02-01"))
              .unchanged == 2);
    const std::string moved = "key,node,name,registration\nR2,341521105002001,李四,流动人口\n";
    const RecordImportReport second =
        ws.records().import_text(moved, DocumentFormat::csv, "resident", "m.csv", d("2024-03-01"));
    CHECK(second.changed == 1);
    CHECK(ws.records().history(sys, "R2").back().change == RecordChange::moved);

    // Refusals name the file, the row and the field; nothing is imported.
    CHECK(message_of([&] {
              ws.records().import_text("key,node,registration\nR9,341521105001001,户籍人口\n",
                                       DocumentFormat::csv, "resident", "people.csv");
          }) == "people.csv: no column for the required field 'name' (姓名) of kind 'resident'");
    CHECK(message_of([&] {
              ws.records().import_text(
                  "key,node,name,registration\nR8,341521105001001,王五,户籍人口\n"
                  "R9,999,赵六,户籍人口\n",
                  DocumentFormat::csv, "resident", "people.csv");
          }) == "people.csv row 3 field 'node': unknown node '999'");
    CHECK(message_of([&] {
              ws.records().import_text(
                  "key,node,name,registration\nR8,341521105001001,王五,户籍人口\n"
                  "R9,341521105001001,赵六,游客\n",
                  DocumentFormat::csv, "resident", "people.csv");
          }).find("people.csv row 3 field 'registration': '游客'") == 0);
    CHECK_FALSE(ws.records().get(sys, "R8"));
    CHECK(ws.records().size() == 2);

    // JSON, with the kind per record, and a malformed ID kept and reported.
    const std::string json = R"({"records": [
        {"key": "U1", "kind": "unit", "node": "341521105001001",
         "fields": {"name": "石店粮站", "unit_kind": ["企业", "门前三包单位"], "employees": 12}},
        {"key": "R3", "kind": "resident", "node": "341521105001001", "overlays": ["fire:F01"],
         "fields": {"name": "王五", "registration": "户籍人口", "id_number": "341521198501010000"}}]})";
    const RecordImportReport third =
        ws.records().import_text(json, DocumentFormat::json, "", "more.json", d("2024-04-01"));
    CHECK(third.added == 2);
    CHECK(has_rule(third.findings, "records.id_number", "R3"));
    CHECK(*ws.records().get(sys, "U1")->field("unit_kind") == "企业|门前三包单位");
    CHECK(*ws.records().get(sys, "U1")->field("employees") == "12");

    // Exports: masked by default; revealed, they import into another workspace unchanged.
    const std::string masked = ws.records().export_text(sys, DocumentFormat::csv, "resident");
    CHECK(masked.find(id) == std::string::npos);
    CHECK(masked.find("3415**********") != std::string::npos);
    CHECK(masked.rfind("key,node,overlays,name,id_number,", 0) == 0);
    const std::string clear = ws.records().export_text(sys_clear, DocumentFormat::json, "");
    CHECK(clear.find(id) != std::string::npos);
    CHECK_THROWS_AS(ws.records().export_text(sys, DocumentFormat::csv), Error);

    Workspace copy = Workspace::open(store_location(dir, "copy.gridgov"));
    build_county(copy);
    copy.records().import_text(clear, DocumentFormat::json, "", "all.json", d("2024-04-01"));
    CHECK(copy.records().export_text(sys_clear, DocumentFormat::json, "") == clear);

    const std::string file = dir.file("residents.csv");
    ws.records().export_file(sys, file, "resident");
    Workspace third_ws = Workspace::open(dir.file("third.gridgov"));
    build_county(third_ws);
    // The masked export is no source of ID numbers: they come back as findings.
    const RecordImportReport masked_import = third_ws.records().import_file(file);
    CHECK(masked_import.added == 3);
    CHECK(has_rule(masked_import.findings, "records.id_number", "R1"));
}

TEST_CASE("records.workspace.schema_changes_and_other_connections" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "shared.gridgov");
    Workspace a = Workspace::open(path);
    build_county(a);
    Workspace b = Workspace::open(path);
    a.records().add({resident(a, "R1", "341521105001001", "", "流动人口")}, d("2024-01-01"));
    REQUIRE(gridgov_test::await_notice(b));
    CHECK(b.records().count("resident") == 1);
    CHECK(b.records().roll_up("resident", "registration", "流动人口")[at(b, "341521")] == 1);

    a.records().extend_schema(RecordSchema::from_json(
        R"({"kinds":[{"key":"resident","fields":[{"name":"grade","type":"enum","values":["甲","乙"]}]}]})"));
    CHECK(a.records().schema().kind("resident").fields.back().name == "grade");
    REQUIRE(gridgov_test::await_notice(b));
    CHECK(b.records().schema().kind("resident").field("grade") != nullptr);

    // A schema without a kind stored records use is refused, and nothing changes.
    RecordSchema without;
    without.kinds.push_back(a.records().schema().kind("component"));
    CHECK(message_of([&] { a.records().set_schema(without); }).find("the schema has no kind") !=
          std::string::npos);
    CHECK(a.records().schema().find("resident") != nullptr);
    CHECK(Workspace::open(path).records().schema().find("resident") != nullptr);
}

TEST_CASE("records.readers.posts_duties_and_the_access_log" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "readers.gridgov");
    const std::string id1 = id_number("34152119900307123");
    const std::string id2 = id_number("34152119851111222");
    Workspace ws = Workspace::open(path);
    build_county(ws);
    // The preset's grid roles all carry social_management (it reveals resident and unit
    // fields); a mediator role at the grids carries a duty that reveals nothing.
    Catalogue c = Catalogue::preset("township_000");
    c.duties.push_back(Duty{"mediation", "矛盾调解", "Mediation", {}});
    RoleType mediator;
    mediator.code = "grid_mediator";
    mediator.label_zh = "网格调解员";
    mediator.level = "grid";
    mediator.duties = {"mediation"};
    c.roles.push_back(mediator);
    ws.directory().set_catalogue(c);
    ws.directory().add_people({person("P1", "李一"), person("P2", "王二"), person("P3", "赵三")});
    // Posts from 2023-08-24 on.
    ws.directory().add_assignment(
        post("P1", "grid_information_officer", at(ws, "341521105001001")));
    ws.directory().add_assignment(post("P2", "grid_mediator", at(ws, "341521105001001")));
    const Date from = d("2024-01-01");
    Record r1 = resident(ws, "R1", "341521105001001", id1);
    r1.fields.emplace_back("phone", "13812345678");
    Record r2 = resident(ws, "R2", "341521105002001", id2);
    ws.records().add({r1, r2}, from);
    const Date day = d("2024-06-01");
    auto as = [&](const char* who, Reveal reveal = Reveal::masked) {
        return RecordReader::person_read(who, "入户走访", reveal, day);
    };
    auto code_of = [](const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.code();
        }
        return ErrorCode::generic;
    };

    SUBCASE("a person reads the records of the subtrees of their posts") {
        CHECK(ws.records().get(as("P1"), "R1").has_value());
        CHECK(*ws.records().get(as("P1"), "R1")->field("id_number") != id1);
        CHECK(code_of([&] { ws.records().get(as("P1"), "R2"); }) == ErrorCode::permission_denied);
        CHECK(message_of([&] {
                  ws.records().get(as("P1"), "R2");
              }).find("holds no post on 2024-06-01 covering record 'R2' (at 341521105002001)") !=
              std::string::npos);
        CHECK(code_of([&] { ws.records().history(as("P1"), "R2"); }) ==
              ErrorCode::permission_denied);
        CHECK(ws.records().list(as("P1")).size() == 1);
        CHECK(ws.records().list(sys).size() == 2);
        CHECK(ws.records().find(as("P1"), "id_number", id2).empty());
        CHECK(ws.records().find(sys, "id_number", id2).size() == 1);
        CHECK(ws.records().export_text(as("P1"), DocumentFormat::json).find("R2") ==
              std::string::npos);
        // Before the post began, and a person without posts or unknown: nothing.
        CHECK(code_of([&] {
                  ws.records().list(
                      RecordReader::person_read("P1", "走访", Reveal::masked, d("2023-08-23")));
              }) == ErrorCode::permission_denied);
        CHECK(message_of([&] {
                  ws.records().list(as("P3"));
              }).find("person 'P3' holds no post on 2024-06-01") != std::string::npos);
        CHECK(message_of([&] {
                  ws.records().list(as("P9"));
              }).find("person 'P9' is not in the directory") != std::string::npos);
        CHECK(ws.records().access_log().empty());
    }

    SUBCASE("readers name themselves and why") {
        RecordReader nobody;
        nobody.purpose = "x";
        CHECK(code_of([&] { ws.records().get(nobody, "R1"); }) == ErrorCode::invalid_argument);
        RecordReader both = RecordReader::system_read("x");
        both.person = "P1";
        CHECK(message_of([&] { ws.records().get(both, "R1"); }).find("not both") !=
              std::string::npos);
        CHECK(message_of([&] {
                  ws.records().get(RecordReader::system_read(""), "R1");
              }).find("gives a purpose") != std::string::npos);
    }

    SUBCASE("revealed reads go through duties and are logged, chained") {
        const std::optional<Record> clear = ws.records().get(as("P1", Reveal::revealed), "R1");
        CHECK(*clear->field("id_number") == id1);
        CHECK(*clear->field("phone") == "13812345678");
        std::vector<RecordAccess> log = ws.records().access_log();
        REQUIRE(log.size() == 1);
        CHECK(log[0].seq == 1);
        CHECK(log[0].reader == "P1");
        CHECK_FALSE(log[0].system);
        CHECK(log[0].purpose == "入户走访");
        CHECK(log[0].read == "get");
        CHECK(log[0].key == "R1");
        CHECK(log[0].kind == "resident");
        CHECK(log[0].fields == std::vector<std::string>{"id_number", "phone"});
        CHECK(log[0].hash.size() == 64);
        CHECK(log[0].at.size() == 24);
        CHECK(log[0].at.back() == 'Z');

        // A mediator's duties reveal nothing: refused, and nothing logged.
        CHECK(code_of([&] { ws.records().get(as("P2", Reveal::revealed), "R1"); }) ==
              ErrorCode::permission_denied);
        CHECK(message_of([&] {
                  ws.records().list(as("P2", Reveal::revealed));
              }).find("may not see resident.id_number of record 'R1' in clear") !=
              std::string::npos);
        CHECK(ws.records().get(as("P2"), "R1").has_value());  // masked is fine
        CHECK(ws.records().access_log().size() == 1);

        // The system reveals everything; history logs one entry for all its versions.
        ws.records().move("R2", at(ws, "341521105001002"), d("2024-03-01"));
        CHECK(ws.records().history(sys_clear, "R2").size() == 2);
        CHECK(ws.records().export_text(sys_clear, DocumentFormat::csv, "resident").find(id2) !=
              std::string::npos);
        log = ws.records().access_log();
        REQUIRE(log.size() == 4);
        CHECK(log[1].read == "history");
        CHECK(log[1].system);
        CHECK(log[1].reader.empty());
        CHECK(log[1].fields == std::vector<std::string>{"id_number"});
        CHECK(log[2].read == "export");
        CHECK(log[3].seq == 4);
        CHECK(ws.records().access_log(2, 1).front().seq == 3);
        AccessLogCheck check = ws.records().verify_access_log();
        CHECK(check.intact);
        CHECK(check.entries == 4);

        // The log exports as CSV and JSON.
        const std::string csv = dir.file("access.csv");
        ws.records().export_access_log(csv);
        std::ifstream in(csv);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        CHECK(text.find("seq,at,reader,system,purpose,read,key,kind,"
                        "fields,hash\n1,") == 0);
        CHECK(record_access_log_text(log, DocumentFormat::json).find("\"read\": \"history\"") !=
              std::string::npos);
        CHECK(record_access_to_json(log[0]).find("\"fields\":[\"id_number\",\"phone\"]") !=
              std::string::npos);

        // Another connection sees the same log; an edited entry breaks the chain.
        Workspace other = Workspace::open(path);
        CHECK(other.records().access_log().size() == 4);
        gridgov_test::RawStore(path).exec("UPDATE record_access SET purpose = 'x' WHERE seq = 2");
        check = ws.records().verify_access_log();
        CHECK_FALSE(check.intact);
        CHECK(check.first_bad == 2);
        CHECK(check.problem == "hash_mismatch");
    }

    SUBCASE("a read-only workspace refuses revealed reads, not masked ones") {
        OpenOptions ro;
        ro.read_only = true;
        Workspace reader = Workspace::open(path, ro);
        CHECK(reader.records().get(sys, "R1").has_value());
        CHECK(code_of([&] { reader.records().get(sys_clear, "R1"); }) == ErrorCode::invalid_state);
        CHECK(ws.records().access_log().empty());
    }
}

TEST_CASE("records.quality.draws_rounds_rates_and_indicators" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "quality.gridgov");
    Workspace ws = Workspace::open(path);
    build_county(ws);
    // Two houses in each grid, a resident in each house.
    std::vector<Record> records;
    int n = 0;
    for (const char* grid : {"341521105001001", "341521105001002", "341521105002001"}) {
        for (int i = 1; i <= 2; ++i) {
            ++n;
            records.push_back(house(ws, "H" + std::to_string(n), grid,
                                    std::string(grid) + "000" + std::to_string(i),
                                    "门牌" + std::to_string(n), "出租"));
            Record r = resident(ws, "R" + std::to_string(n), grid, "", "流动人口");
            r.fields.emplace_back("house", "H" + std::to_string(n));
            records.push_back(r);
        }
    }
    ws.records().add(records, d("2024-01-01"));

    const DrawRecord drawn = ws.records().draw_check("house", at(ws, "341521105"), 4, 2024);
    CHECK(drawn.spec.candidates == std::vector<std::string>{"H1", "H2", "H3", "H4", "H5", "H6"});
    CHECK(drawn.spec.strata.front() == "341521105001001");
    REQUIRE(drawn.picks.size() == 4);
    CHECK(verify_draw(drawn));
    CHECK(ws.records().draw_check("house", at(ws, "341521105001001"), 2, 1).spec.candidates ==
          std::vector<std::string>{"H1", "H2"});
    CHECK_THROWS_AS(ws.records().draw_check("house", no_node, 7, 1), Error);
    CHECK_THROWS_AS(ws.records().draw_check("nothing", no_node, 1, 1), Error);

    // The resident of each drawn house; the first correct, the second wrong, the third not
    // de-registered, and someone not collected at the fourth.
    const auto resident_of = [](const std::string& house) { return "R" + house.substr(1); };
    CheckRound round;
    round.label = "2024-03 石店镇 督查";
    round.date = d("2024-03-15");
    round.inspector = "督导员甲";
    round.draw = drawn;
    const std::vector<std::string>& p = drawn.picks;
    round.findings = {{p[0], resident_of(p[0]), CheckOutcome::correct, "", no_node},
                      {p[1], resident_of(p[1]), CheckOutcome::wrong, "phone", no_node},
                      {p[2], resident_of(p[2]), CheckOutcome::not_deregistered, "", no_node},
                      {p[3], "", CheckOutcome::not_collected, "租客王某", no_node},
                      {p[3], resident_of(p[3]), CheckOutcome::correct, "", no_node}};

    SUBCASE("a round is recorded, read back and rated per grid and month") {
        ws.records().record_check(round);
        const std::vector<CheckRound> back = Workspace::open(path).records().checks();
        REQUIRE(back.size() == 1);
        CHECK(back[0].label == round.label);
        CHECK(back[0].draw == drawn);
        REQUIRE(back[0].findings.size() == 5);
        CHECK(back[0].findings[3].outcome == CheckOutcome::not_collected);
        CHECK(back[0].findings[3].note == "租客王某");
        CHECK(ws.hierarchy().view().code(back[0].findings[0].node).rfind("341521105", 0) == 0);
        const CheckRound again =
            check_round_from_json(check_round_to_json(back[0], ws.hierarchy().view()));
        CHECK(again.label == round.label);
        CHECK(again.draw == drawn);
        CHECK(again.findings.size() == 5);

        const std::vector<CheckRates> rates = ws.records().check_rates();
        // The township first (pre-order), then the villages and grids under it.
        REQUIRE_FALSE(rates.empty());
        const CheckRates* township = nullptr;
        for (const CheckRates& r : rates) {
            CHECK(r.month == "2024-03");
            if (r.node == at(ws, "341521105"))
                township = &r;
        }
        REQUIRE(township != nullptr);
        CHECK(rates[0].node == at(ws, "341521"));
        CHECK(township->sampled == 4);
        CHECK(township->correct == 2);
        CHECK(township->wrong == 1);
        CHECK(township->not_deregistered == 1);
        CHECK(township->not_collected == 1);
        CHECK(township->checked() == 4);
        CHECK(*township->collection_rate() == doctest::Approx(75.0));
        CHECK(*township->accuracy_rate() == doctest::Approx(200.0 / 3.0));
        CHECK(ws.records().check_rates(d("2024-04-01")).empty());

        const std::map<std::string, IndicatorValues> values =
            ws.records().check_indicators(AssessmentPeriod::parse("2024-03"));
        const IndicatorValues& t = values.at("341521105");
        CHECK(*t.at("info_collection_rate").value == doctest::Approx(75.0));
        CHECK(*t.at("info_not_collected").value == 1);
        CHECK(t.at("info_sampled").sources.size() == 4);
        // A month without checks: counts 0, rates undefined with the reason.
        const std::map<std::string, IndicatorValues> in_april =
            ws.records().check_indicators(AssessmentPeriod::parse("2024-04"));
        const IndicatorValues& april = in_april.at("341521105");
        CHECK(*april.at("info_checked").value == 0);
        CHECK_FALSE(april.at("info_collection_rate").defined());
        CHECK(april.at("info_collection_rate").reason.find("nobody was checked") !=
              std::string::npos);
        CHECK(ws.records().check_indicators(AssessmentPeriod::parse("2024-Q1")).size() ==
              ws.hierarchy().view().preorder().size());
    }

    SUBCASE("refused rounds name the finding and change nothing") {
        ws.records().record_check(round);
        CHECK(message_of([&] { ws.records().record_check(round); }).find("is taken") !=
              std::string::npos);
        CheckRound bad = round;
        bad.label = "another";
        bad.findings[1].sampled = "H9";
        CHECK(message_of([&] {
                  ws.records().record_check(bad);
              }).find("findings[1] field 'sampled': 'H9' was not drawn") != std::string::npos);
        bad = round;
        bad.label = "another";
        bad.draw.picks[0] = bad.draw.picks[0] == "H1" ? "H2" : "H1";
        CHECK(message_of([&] { ws.records().record_check(bad); }).find("field 'draw'") !=
              std::string::npos);
        bad = round;
        bad.label = "another";
        bad.findings[3].record = "R1";
        CHECK(message_of([&] {
                  ws.records().record_check(bad);
              }).find("a person not collected has no record") != std::string::npos);
        bad = round;
        bad.label = "another";
        bad.findings[0].record = "";
        CHECK(message_of([&] {
                  ws.records().record_check(bad);
              }).find("findings[0] field 'record': missing") != std::string::npos);
        bad = round;
        bad.label = "another";
        bad.findings[4].record = bad.findings[0].record;
        CHECK(message_of([&] { ws.records().record_check(bad); }).find("found twice") !=
              std::string::npos);
        bad = round;
        bad.label = "another";
        bad.draw.spec.count = 99;  // cannot be drawn at all
        CHECK(message_of([&] { ws.records().record_check(bad); }).find("field 'draw'") !=
              std::string::npos);
        bad = round;
        bad.label = "";
        CHECK_THROWS_AS(ws.records().record_check(bad), Error);
        CHECK(ws.records().checks().size() == 1);
        CHECK_THROWS_AS(check_round_from_json(R"({"label":"x","date":"2024-03-01"})"), Error);
        CHECK(message_of([] {
                  check_round_from_json(
                      R"({"label":"x","date":"2024-03-01","draw":{},"findings":[]})");
              }).find("field 'draw'") != std::string::npos);
    }
}

TEST_CASE("records.questions.lookup_index_and_wide_enumerations" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "index.gridgov");
    const char* grids[] = {"341521105001001", "341521105001002", "341521105002001"};
    // Born in 1980 on month, day and serial from i (i < 336,000).
    const auto serial_id = [](int i) {
        const auto digits = [](int v, std::size_t width) {
            const std::string s = std::to_string(v);
            return std::string(width - s.size(), '0') + s;
        };
        return id_number("3415211980" + digits(1 + i % 12, 2) + digits(1 + i / 12 % 28, 2) +
                         digits(i / 336, 3));
    };
    const std::string shared = id_number("34152119700101555");
    Workspace a = Workspace::open(path);
    build_county(a);
    // Enough records for the index to grow several times and probe past collisions.
    std::vector<Record> many;
    for (int i = 0; i < 3000; ++i)
        many.push_back(resident(a, "R" + std::to_string(i), grids[i % 3], serial_id(i)));
    many.push_back(resident(a, "Dup-A", grids[0], shared));
    many.push_back(resident(a, "Dup-B", grids[2], shared));
    a.records().add(many, d("2024-01-01"));
    const auto keys_of = [](const std::vector<Record>& records) {
        std::vector<std::string> keys;
        for (const Record& r : records)
            keys.push_back(r.key);
        return keys;
    };
    for (int i = 0; i < 3000; i += 7)
        CHECK(keys_of(a.records().find(sys, "id_number", serial_id(i))) ==
              std::vector<std::string>{"R" + std::to_string(i)});
    CHECK(keys_of(a.records().find(sys, "id_number", shared)) ==
          std::vector<std::string>{"Dup-A", "Dup-B"});
    CHECK(a.records().find(sys, "id_number", id_number("34152119990101999")).empty());
    // A value looked for under another field's name finds nothing.
    CHECK(a.records().find(sys, "house_code", serial_id(1)).empty());

    // A changed value is found under its new value only; a removed record not at all.
    Record r5 = *a.records().get(sys_clear, "R5");
    const std::string old5 = *r5.field("id_number");
    const std::string new5 = id_number("34152120000229001");
    for (auto& [name, value] : r5.fields) {
        if (name == "id_number")
            value = new5;
    }
    a.records().update(r5, d("2024-02-01"));
    a.records().remove("R6", d("2024-02-01"));
    const auto check_answers = [&](const Workspace& ws) {
        CHECK(ws.records().find(sys, "id_number", old5).empty());
        CHECK(keys_of(ws.records().find(sys, "id_number", new5)) == std::vector<std::string>{"R5"});
        CHECK(ws.records().find(sys, "id_number", serial_id(6)).empty());
        CHECK(keys_of(ws.records().find(sys, "id_number", serial_id(2999))) ==
              std::vector<std::string>{"R2999"});
        CHECK(ws.records().find(sys, "id_number", shared).size() == 2);
    };
    check_answers(a);
    check_answers(Workspace::open(path));  // the index rebuilt from the file

    // Another connection learns of a new record and finds it by its ID number.
    Workspace b = Workspace::open(path);
    const std::string late = id_number("34152119881231002");
    a.records().add({resident(a, "Late", grids[1], late)}, d("2024-03-01"));
    REQUIRE(gridgov_test::await_notice(b));
    CHECK(keys_of(b.records().find(sys, "id_number", late)) == std::vector<std::string>{"Late"});

    // Enumerations of more than 8, 16 and 32 values: the columns widen, the high values
    // count in roll-ups and filters like the low ones.
    std::string values12, values20, values40;
    for (int v = 0; v < 40; ++v) {
        const std::string name = "\"v" + std::to_string(v) + "\"";
        if (v < 12)
            values12 += (v ? "," : "") + name;
        if (v < 20)
            values20 += (v ? "," : "") + name;
        values40 += (v ? "," : "") + name;
    }
    a.records().extend_schema(RecordSchema::from_json(
        R"({"kinds":[{"key":"tag","fields":[{"name":"serial","type":"text","lookup":true},)"
        R"({"name":"grade","type":"enum","values":[)" +
        values12 + R"(]},{"name":"band","type":"enum","values":[)" + values20 +
        R"(]},{"name":"colours","type":"enum","multiple":true,"values":[)" + values40 + "]}]}]}"));
    std::vector<Record> tags;
    for (int i = 0; i < 30; ++i) {
        Record t;
        t.key = "T" + std::to_string(i);
        t.kind = "tag";
        t.node = at(a, grids[i % 3]);
        t.fields = {{"serial", "S" + std::to_string(i)},
                    {"grade", "v" + std::to_string(i % 12)},
                    {"band", "v" + std::to_string(i % 20)},
                    {"colours", "v" + std::to_string(i % 40) + "|v39"}};
        tags.push_back(t);
    }
    a.records().add(tags, d("2024-04-01"));
    const NodeId county = at(a, "341521");
    CHECK(a.records().roll_up("tag", "grade", "v11")[county] == 2);  // T11, T23
    CHECK(a.records().roll_up("tag", "band", "v19")[county] == 1);   // T19
    CHECK(a.records().roll_up("tag", "colours", "v39")[county] == 30);
    CHECK(a.records().roll_up("tag", "colours", "v29")[county] == 1);
    CHECK(a.records().roll_up("tag", "grade", "v11")[at(a, grids[2])] == 2);
    RecordFilter filter;
    filter.kind = "tag";
    filter.where = {{"band", "v17"}};
    CHECK(a.records().keys(filter) == std::vector<std::string>{"T17"});
    CHECK(keys_of(a.records().find(sys, "serial", "S29")) == std::vector<std::string>{"T29"});
    Workspace reopened = Workspace::open(path);
    CHECK(reopened.records().roll_up("tag", "colours", "v29")[county] == 1);
    CHECK(reopened.records().roll_up("tag", "grade", "v0")[county] == 3);  // T0, T12, T24
}

TEST_CASE("records.store.packed_columns_open_and_migrate" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "packed.gridgov");
    const std::string id1 = id_number("34152119900307123");
    const std::string id2 = id_number("34152119850101002");
    {
        Workspace ws = Workspace::open(path);
        build_county(ws);
        Record h1 = house(ws, "H1", "341521105001001", "3415211050010010001", "青石村1号", "出租");
        h1.fields.emplace_back("area_m2", "86.5");
        ws.records().add({h1, resident(ws, "R1", "341521105001001", id1, "流动人口"),
                          resident(ws, "R2", "341521105002001", id2),
                          resident(ws, "R3", "341521105001002", "", "流动人口")},
                         d("2024-01-01"));
        ws.records().remove("R3", d("2024-02-01"));
    }
    const auto check_answers = [&](const std::string& when) {
        INFO(when);
        Workspace ws = Workspace::open(path);
        const NodeId county = at(ws, "341521");
        CHECK(ws.records().size() == 4);
        CHECK(ws.records().count("resident") == 2);
        CHECK(ws.records().roll_up("resident", "registration", "流动人口")[county] == 1);
        CHECK(ws.records().roll_up("house", "use", "出租")[county] == 1);
        CHECK(ws.records().find(sys, "id_number", id2).size() == 1);
        CHECK(ws.records().find(sys, "house_code", "3415211050010010001").size() == 1);
        RecordFilter flats;
        flats.kind = "house";
        flats.where = {{"use", "出租"}};
        CHECK(ws.records().keys(flats) == std::vector<std::string>{"H1"});
        RecordFilter by_id;  // a lookup field: candidates from the index, each read
        by_id.where = {{"id_number", id2}};
        CHECK(ws.records().keys(by_id) == std::vector<std::string>{"R2"});
        by_id.where = {{"id_number", id_number("34152119990101999")}};
        CHECK(ws.records().keys(by_id).empty());
    };
    check_answers("packed on write");

    const bool pg = gridgov_test::RawStore(path).postgresql();
    const std::string hex_of_first = pg ? "SELECT encode(packed, 'hex') FROM records WHERE id = 0"
                                        : "SELECT hex(packed) FROM records WHERE id = 0";
    // Rows without packed values are parsed from their fields.
    gridgov_test::RawStore(path).exec("UPDATE records SET packed = NULL");
    check_answers("parsed");

    // A file of schema 10 gains the column, every record packed by the migration.
    {
        gridgov_test::RawStore raw(path);
        raw.exec("ALTER TABLE records DROP COLUMN packed");
        // Schema 10 kept the values of lookup fields in the store's look-up table.
        raw.exec("INSERT INTO record_lookup (field, value, record) VALUES ('id_number', '" + id1 +
                 "', 1)");
        // Later migrations run again: the directory's roles as schema 10 kept them.
        raw.exec("ALTER TABLE directory_roles DROP COLUMN overlay");
        gridgov_test::downgrade_store(raw, 10);
    }
    check_answers("migrated");
    CHECK(gridgov_test::RawStore(path).integer(
              "SELECT COUNT(*) FROM records WHERE packed IS NULL") == 0);
    // Lookup fields' values left the store's look-up table; references stayed.
    CHECK(gridgov_test::RawStore(path).integer(
              "SELECT COUNT(*) FROM record_lookup WHERE field IN ('id_number', 'house_code')") ==
          0);

    // A new schema packs every record anew.
    const std::string before = gridgov_test::RawStore(path).text(hex_of_first);
    Workspace::open(path).records().extend_schema(RecordSchema::from_json(
        R"({"kinds":[{"key":"house","fields":[{"name":"floors","type":"integer"}]}]})"));
    CHECK(gridgov_test::RawStore(path).text(hex_of_first) != before);
    check_answers("after a new schema");
}

TEST_CASE("records.readers.posts_on_overlay_units_and_officer_loads" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "market.gridgov");
    Workspace ws = Workspace::open(path);
    build_county(ws);
    // Seed 002 第一篇: 段区 of the market overlay, each with one officer (段管员); D01 over
    // 青石村's grids, D02 over 双桥一格.
    ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels());
    for (const auto& [code, grid] :
         {std::pair<const char*, const char*>{"D01", "341521105001"}, {"D02", "341521105002001"}}) {
        OverlayUnitSpec s;
        s.code = code;
        s.name = std::string("段区") + code;
        s.level = "section";
        s.grid_codes = {grid};
        ws.hierarchy().add_overlay_unit("market", s);
    }
    ws.directory().set_catalogue(gridgov_test::market_catalogue({"unit"}));
    ws.directory().add_people({person("M1", "黄志强"), person("M2", "梁慧敏")});
    const auto section = [&](const char* code) {
        return ws.hierarchy().networks().place(std::string("market:") + code).node;
    };
    ws.directory().add_assignment(post("M1", "section_officer", section("D01")));
    ws.directory().add_assignment(post("M2", "section_officer", section("D02")));

    // 业户: three shops in D01 (one of them placed at a grid of 双桥村), one in D02.
    const auto shop = [&](const std::string& key, const char* grid, const char* place,
                          const char* kind) {
        Record r;
        r.key = key;
        r.kind = "unit";
        r.node = at(ws, grid);
        r.overlays = {{"market", place}};
        r.fields = {{"name", "商户" + key}, {"unit_kind", kind}, {"contact_phone", "13912345678"}};
        return r;
    };
    ws.records().add({shop("S1", "341521105001001", "D01", "个体工商户"),
                      shop("S2", "341521105001002", "D01", "个体工商户"),
                      shop("S3", "341521105002001", "D01", "企业"),
                      shop("S4", "341521105002001", "D02", "个体工商户")},
                     d("2024-01-01"));
    const Date day = d("2024-06-01");
    const auto as = [&](const char* who, Reveal reveal = Reveal::masked) {
        return RecordReader::person_read(who, "市场巡查", reveal, day);
    };

    SUBCASE("an officer reads the records placed on their units") {
        CHECK(ws.records().get(as("M1"), "S3").has_value());  // its grid is not M1's
        CHECK(message_of([&] {
                  ws.records().get(as("M1"), "S4");
              }).find("holds no post on 2024-06-01 covering record 'S4'") != std::string::npos);
        std::vector<std::string> listed;
        for (const Record& r : ws.records().list(as("M1"), RecordFilter{"unit", no_node, {}, {}}))
            listed.push_back(r.key);
        CHECK(listed == std::vector<std::string>{"S1", "S2", "S3"});
        std::vector<std::string> on_d02;
        for (const Record& r : ws.records().list(
                 as("M2"), RecordFilter{"", no_node, {}, OverlayPlace{"market", "D02"}}))
            on_d02.push_back(r.key);
        CHECK(on_d02 == std::vector<std::string>{"S4"});
        const std::string csv = ws.records().export_text(as("M2"), DocumentFormat::csv, "unit");
        CHECK(csv.find("S4") != std::string::npos);
        CHECK(csv.find("S1") == std::string::npos);
        // The duty reveals unit fields in clear on the officer's own units only.
        const std::size_t logged = ws.records().access_log().size();
        const std::optional<Record> clear = ws.records().get(as("M1", Reveal::revealed), "S1");
        REQUIRE(clear.has_value());
        CHECK(*clear->field("contact_phone") == "13912345678");
        CHECK(ws.records().access_log().size() == logged + 1);
        CHECK(ws.records().access_log().back().reader == "M1");
        // Ended posts read nothing.
        CHECK(message_of([&] {
                  ws.records().get(
                      RecordReader::person_read("M1", "x", Reveal::masked, d("2023-01-01")), "S1");
              }).find("holds no post") != std::string::npos);
    }

    SUBCASE("officer loads against the sizing policy") {
        RecordValidationPolicy policy;
        OfficerLoadRule rule;
        rule.overlay = "market";
        rule.kind = "unit";
        rule.per_officer = 2;
        policy.officer_loads = {rule};
        std::vector<Finding> findings = ws.records().validate(day, policy);
        CHECK(has_rule(findings, "records.officer_load", "M1"));
        CHECK_FALSE(has_rule(findings, "records.officer_load", "M2"));
        CHECK_FALSE(has_rule(ws.records().validate(day), "records.officer_load", "M1"));
        // Only the 个体工商户: two, within the limit.
        policy.officer_loads[0].field = "unit_kind";
        policy.officer_loads[0].value = "个体工商户";
        CHECK_FALSE(has_rule(ws.records().validate(day, policy), "records.officer_load", "M1"));

        // The seed's own number: about 1,000 业户 per officer.
        std::vector<Record> more;
        for (int i = 0; i < 997; ++i)
            more.push_back(shop("X" + std::to_string(i), "341521105001001", "D01", "个体工商户"));
        ws.records().add(more, d("2024-02-01"));
        RecordValidationPolicy seed;
        seed.officer_loads = {OfficerLoadRule::market_supervision_002()};
        CHECK_FALSE(has_rule(ws.records().validate(day, seed), "records.officer_load", "M1"));
        ws.records().add({shop("X997", "341521105001001", "D01", "企业")}, d("2024-02-01"));
        findings = ws.records().validate(day, seed);
        REQUIRE(has_rule(findings, "records.officer_load", "M1"));
        for (const Finding& f : findings) {
            if (f.rule == "records.officer_load")
                CHECK(f.message.find("market:D01 with 1001 unit records") != std::string::npos);
        }

        // The policy as JSON, and the seed's rule by name.
        const RecordValidationPolicy read = RecordValidationPolicy::from_json(
            R"({"officer_loads": [{"overlay": "market", "kind": "unit", "field": "unit_kind",
                "value": "企业", "per_officer": 1}]})",
            "policy.json");
        REQUIRE(read.officer_loads.size() == 1);
        CHECK(read.officer_loads[0].per_officer == 1);
        CHECK(RecordValidationPolicy::from_json(read.to_json()).to_json() == read.to_json());
        CHECK(
            RecordValidationPolicy::from_json("market_supervision_002").officer_loads[0].overlay ==
            "market");
        CHECK(message_of([] {
                  RecordValidationPolicy::from_json(
                      R"({"officer_loads": [{"overlay": "market", "per_officer": 5}]})", "p.json");
              }).find("p.json officer_loads[0]") != std::string::npos);
        CHECK(message_of([] {
                  RecordValidationPolicy::from_json(
                      R"({"officer_loads": [{"overlay": "m", "kind": "unit", "per_officer": 0}]})");
              }).find("per_officer") != std::string::npos);

        // Bad rules are refused naming the member.
        RecordValidationPolicy bad;
        bad.officer_loads = {rule};
        bad.officer_loads[0].overlay = "fire_grid";
        CHECK(message_of([&] {
                  ws.records().validate(day, bad);
              }).find("officer_loads[0] overlay") != std::string::npos);
        bad.officer_loads[0] = rule;
        bad.officer_loads[0].field = "name";
        CHECK(message_of([&] { ws.records().validate(day, bad); }).find("officer_loads[0] field") !=
              std::string::npos);
    }
}
