// C ABI contract of the records of a workspace, on a small township: 青石镇 over 青石村
// (two grids) and 东岭村 (one), residents, houses and units of the "standard" schema kept
// in a workspace file in a temp folder. Sees only gridgov.h; records travel as JSON text.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../support/test_store.hpp"
#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

using Json = nlohmann::ordered_json;

const char* const township_csv =
    "code,parent_code,level,name,households,population\n"
    "371338,,county,苇川县,,\n"
    "371338102,371338,township,青石镇,,\n"
    "371338102201,371338102,village,青石村,,\n"
    "371338102202,371338102,village,东岭村,,\n"
    "371338102201001,371338102201,grid,青石村第一网格,148,444\n"
    "371338102201002,371338102201,grid,青石村第二网格,152,456\n"
    "371338102202001,371338102202,grid,东岭村第一网格,161,483\n";

const char* const village = "371338102201";
const char* const g1 = "371338102201001";
const char* const g2 = "371338102201002";
const char* const d1 = "371338102202001";

// The GB 11643 (ISO 7064 MOD 11-2) check character of an ID number's first 17 digits.
char id_check_character(const std::string& first17) {
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i)
        sum += (first17[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

std::string id_number(const std::string& first17) {
    return first17 + id_check_character(first17);
}

// The same 17 digits with a check character that is not theirs.
std::string wrong_id_number(const std::string& first17) {
    return first17 + (id_check_character(first17) == '0' ? '1' : '0');
}

// 110101 1990-03-07 000: the right check character is 3, so this one ends in 0.
const std::string wrong_id = wrong_id_number("11010119900307000");
const std::string right_id = id_number("37133819850612002");  // a woman born 1985-06-12

// The township in a workspace at `path`, with the hierarchy added through the C API.
Workspace township(const std::string& path) {
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_CREATE) == GRIDGOV_OK);
    Workspace ws(raw);
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    REQUIRE(gridgov_hierarchy_import_text(&added, &findings, ws.get(), township_csv,
                                          GRIDGOV_FORMAT_CSV, "township.csv",
                                          nullptr) == GRIDGOV_OK);
    gridgov_findings_destroy(findings);
    REQUIRE(added == 7);
    return ws;
}

Json resident(const std::string& key, const std::string& node, const std::string& name,
              const std::string& registration = "户籍人口") {
    return Json{{"key", key},
                {"kind", "resident"},
                {"node", node},
                {"fields", {{"name", name}, {"registration", registration}}}};
}

Json add(gridgov_workspace* ws, const Json& records, const char* effective = "2024-01-01") {
    char* findings = nullptr;
    return json_of(gridgov_records_add_json(&findings, ws, records.dump().c_str(), effective),
                   &findings);
}

size_t count(const gridgov_workspace* ws, const char* kind = nullptr) {
    size_t n = 0;
    const int rc = gridgov_records_count(&n, ws, kind);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return n;
}

struct ReaderDestroyer {
    void operator()(gridgov_record_reader* r) const { gridgov_record_reader_destroy(r); }
};
using Reader = std::unique_ptr<gridgov_record_reader, ReaderDestroyer>;

// Takes the address: the reader must be read after the call has run.
Reader reader_of(int rc, gridgov_record_reader** raw) {
    Reader owned(*raw);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    REQUIRE(owned != nullptr);
    return owned;
}

Reader system_reader(int reveal, const char* purpose = "C API contract tests") {
    gridgov_record_reader* raw = nullptr;
    return reader_of(gridgov_record_reader_system(&raw, purpose, reveal), &raw);
}

// A person reading with the posts they hold on `on` (NULL: today in UTC+8).
Reader person_reader(const char* person, int reveal, const char* on = "2024-06-01",
                     const char* purpose = "入户走访核实") {
    gridgov_record_reader* raw = nullptr;
    return reader_of(gridgov_record_reader_person(&raw, person, purpose, on, reveal), &raw);
}

// The system reading for these tests: masked (0) or in clear (1).
const gridgov_record_reader* by_system(int reveal) {
    static const Reader masked = system_reader(0);
    static const Reader revealed = system_reader(1);
    return reveal == 1 ? revealed.get() : masked.get();
}

Json get(const gridgov_workspace* ws, const char* key, const char* on = nullptr, int reveal = 0) {
    char* out = nullptr;
    return json_of(gridgov_records_get_json(&out, ws, by_system(reveal), key, on), &out);
}

Json list(const gridgov_workspace* ws, const Json& filter,
          const gridgov_record_reader* reader = by_system(0)) {
    char* out = nullptr;
    const std::string text = filter.dump();
    return json_of(
        gridgov_records_list_json(&out, ws, reader, filter.is_null() ? nullptr : text.c_str()),
        &out);
}

std::vector<std::string> keys(const Json& records) {
    std::vector<std::string> out;
    for (const Json& r : records)
        out.push_back(r.at("key").get<std::string>());
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

using Keys = std::vector<std::string>;

}  // namespace

TEST_CASE("capi.records.null_arguments_are_einval_naming_them") {
    TempDir dir;
    Workspace owned = township(dir.file("township.gridgov"));
    gridgov_workspace* w = owned.get();
    const std::string one = Json::array({resident("R1", g1, "李四")}).dump();
    const std::string record = resident("R1", g1, "李四").dump();
    const char* const day = "2024-01-01";
    char* out = nullptr;
    size_t n = 0;
    gridgov_record_reader* made = nullptr;
    const gridgov_record_reader* r = by_system(0);

    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    // clang-format off
    const std::vector<Case> cases = {
        {"schema_json", "out", [&] { return gridgov_records_schema_json(nullptr, w); }},
        {"schema_json", "ws", [&] { return gridgov_records_schema_json(&out, nullptr); }},
        {"set_schema_json", "ws", [&] { return gridgov_records_set_schema_json(nullptr, "{}", nullptr); }},
        {"set_schema_json", "json", [&] { return gridgov_records_set_schema_json(w, nullptr, nullptr); }},
        {"extend_schema_json", "ws", [&] { return gridgov_records_extend_schema_json(nullptr, "{}", nullptr); }},
        {"extend_schema_json", "json", [&] { return gridgov_records_extend_schema_json(w, nullptr, nullptr); }},
        {"preset_keys", "out", [&] { return gridgov_records_preset_keys(nullptr); }},
        {"preset_schema_json", "out", [&] { return gridgov_records_preset_schema_json(nullptr, "standard"); }},
        {"preset_schema_json", "key", [&] { return gridgov_records_preset_schema_json(&out, nullptr); }},
        {"add_json", "out_findings", [&] { return gridgov_records_add_json(nullptr, w, one.c_str(), day); }},
        {"add_json", "ws", [&] { return gridgov_records_add_json(&out, nullptr, one.c_str(), day); }},
        {"add_json", "records_json", [&] { return gridgov_records_add_json(&out, w, nullptr, day); }},
        {"update_json", "out_findings", [&] { return gridgov_records_update_json(nullptr, w, record.c_str(), day); }},
        {"update_json", "ws", [&] { return gridgov_records_update_json(&out, nullptr, record.c_str(), day); }},
        {"update_json", "record_json", [&] { return gridgov_records_update_json(&out, w, nullptr, day); }},
        {"update_json", "effective", [&] { return gridgov_records_update_json(&out, w, record.c_str(), nullptr); }},
        {"move", "ws", [&] { return gridgov_records_move(nullptr, "R1", g2, day); }},
        {"move", "key", [&] { return gridgov_records_move(w, nullptr, g2, day); }},
        {"move", "node_code", [&] { return gridgov_records_move(w, "R1", nullptr, day); }},
        {"move", "effective", [&] { return gridgov_records_move(w, "R1", g2, nullptr); }},
        {"remove", "ws", [&] { return gridgov_records_remove(nullptr, "R1", day); }},
        {"remove", "key", [&] { return gridgov_records_remove(w, nullptr, day); }},
        {"remove", "effective", [&] { return gridgov_records_remove(w, "R1", nullptr); }},
        {"count", "out", [&] { return gridgov_records_count(nullptr, w, nullptr); }},
        {"count", "ws", [&] { return gridgov_records_count(&n, nullptr, nullptr); }},
        {"reader_person", "out", [&] { return gridgov_record_reader_person(nullptr, "P1", "why", nullptr, 0); }},
        {"reader_person", "person", [&] { return gridgov_record_reader_person(&made, nullptr, "why", nullptr, 0); }},
        {"reader_person", "purpose", [&] { return gridgov_record_reader_person(&made, "P1", nullptr, nullptr, 0); }},
        {"reader_system", "out", [&] { return gridgov_record_reader_system(nullptr, "why", 0); }},
        {"reader_system", "purpose", [&] { return gridgov_record_reader_system(&made, nullptr, 0); }},
        {"get_json", "out", [&] { return gridgov_records_get_json(nullptr, w, r, "R1", nullptr); }},
        {"get_json", "ws", [&] { return gridgov_records_get_json(&out, nullptr, r, "R1", nullptr); }},
        {"get_json", "reader", [&] { return gridgov_records_get_json(&out, w, nullptr, "R1", nullptr); }},
        {"get_json", "key", [&] { return gridgov_records_get_json(&out, w, r, nullptr, nullptr); }},
        {"history_json", "out", [&] { return gridgov_records_history_json(nullptr, w, r, "R1"); }},
        {"history_json", "ws", [&] { return gridgov_records_history_json(&out, nullptr, r, "R1"); }},
        {"history_json", "reader", [&] { return gridgov_records_history_json(&out, w, nullptr, "R1"); }},
        {"history_json", "key", [&] { return gridgov_records_history_json(&out, w, r, nullptr); }},
        {"find_json", "out", [&] { return gridgov_records_find_json(nullptr, w, r, "id_number", "1"); }},
        {"find_json", "ws", [&] { return gridgov_records_find_json(&out, nullptr, r, "id_number", "1"); }},
        {"find_json", "reader", [&] { return gridgov_records_find_json(&out, w, nullptr, "id_number", "1"); }},
        {"find_json", "field", [&] { return gridgov_records_find_json(&out, w, r, nullptr, "1"); }},
        {"find_json", "value", [&] { return gridgov_records_find_json(&out, w, r, "id_number", nullptr); }},
        {"list_json", "out", [&] { return gridgov_records_list_json(nullptr, w, r, nullptr); }},
        {"list_json", "ws", [&] { return gridgov_records_list_json(&out, nullptr, r, nullptr); }},
        {"list_json", "reader", [&] { return gridgov_records_list_json(&out, w, nullptr, nullptr); }},
        {"roll_up_json", "out", [&] { return gridgov_records_roll_up_json(nullptr, w, "resident", nullptr, nullptr); }},
        {"roll_up_json", "ws", [&] { return gridgov_records_roll_up_json(&out, nullptr, "resident", nullptr, nullptr); }},
        {"roll_up_json", "kind", [&] { return gridgov_records_roll_up_json(&out, w, nullptr, nullptr, nullptr); }},
        {"validate_json", "out", [&] { return gridgov_records_validate_json(nullptr, w, day); }},
        {"validate_json", "ws", [&] { return gridgov_records_validate_json(&out, nullptr, day); }},
        {"validate_json", "on", [&] { return gridgov_records_validate_json(&out, w, nullptr); }},
        {"import_file", "out_report", [&] { return gridgov_records_import_file(nullptr, w, "r.csv", "resident", day); }},
        {"import_file", "ws", [&] { return gridgov_records_import_file(&out, nullptr, "r.csv", "resident", day); }},
        {"import_file", "path", [&] { return gridgov_records_import_file(&out, w, nullptr, "resident", day); }},
        {"import_text", "out_report", [&] { return gridgov_records_import_text(nullptr, w, "", GRIDGOV_FORMAT_CSV, "resident", nullptr, day); }},
        {"import_text", "ws", [&] { return gridgov_records_import_text(&out, nullptr, "", GRIDGOV_FORMAT_CSV, "resident", nullptr, day); }},
        {"import_text", "text", [&] { return gridgov_records_import_text(&out, w, nullptr, GRIDGOV_FORMAT_CSV, "resident", nullptr, day); }},
        {"export_text", "out", [&] { return gridgov_records_export_text(nullptr, w, r, GRIDGOV_FORMAT_JSON, nullptr); }},
        {"export_text", "ws", [&] { return gridgov_records_export_text(&out, nullptr, r, GRIDGOV_FORMAT_JSON, nullptr); }},
        {"export_text", "reader", [&] { return gridgov_records_export_text(&out, w, nullptr, GRIDGOV_FORMAT_JSON, nullptr); }},
        {"export_file", "ws", [&] { return gridgov_records_export_file(nullptr, r, "r.json", GRIDGOV_FORMAT_JSON, nullptr); }},
        {"export_file", "reader", [&] { return gridgov_records_export_file(w, nullptr, "r.json", GRIDGOV_FORMAT_JSON, nullptr); }},
        {"export_file", "path", [&] { return gridgov_records_export_file(w, r, nullptr, GRIDGOV_FORMAT_JSON, nullptr); }},
        {"access_log_json", "out", [&] { return gridgov_records_access_log_json(nullptr, w, 0, 0); }},
        {"access_log_json", "ws", [&] { return gridgov_records_access_log_json(&out, nullptr, 0, 0); }},
        {"verify_access_log_json", "out", [&] { return gridgov_records_verify_access_log_json(nullptr, w); }},
        {"verify_access_log_json", "ws", [&] { return gridgov_records_verify_access_log_json(&out, nullptr); }},
        {"export_access_log", "ws", [&] { return gridgov_records_export_access_log(nullptr, "log.json", GRIDGOV_FORMAT_AUTO); }},
        {"export_access_log", "path", [&] { return gridgov_records_export_access_log(w, nullptr, GRIDGOV_FORMAT_AUTO); }},
        {"draw_check_json", "out", [&] { return gridgov_records_draw_check_json(nullptr, w, "house", nullptr, 1, 1); }},
        {"draw_check_json", "ws", [&] { return gridgov_records_draw_check_json(&out, nullptr, "house", nullptr, 1, 1); }},
        {"draw_check_json", "kind", [&] { return gridgov_records_draw_check_json(&out, w, nullptr, nullptr, 1, 1); }},
        {"record_check_json", "ws", [&] { return gridgov_records_record_check_json(nullptr, "{}"); }},
        {"record_check_json", "round_json", [&] { return gridgov_records_record_check_json(w, nullptr); }},
        {"checks_json", "out", [&] { return gridgov_records_checks_json(nullptr, w); }},
        {"checks_json", "ws", [&] { return gridgov_records_checks_json(&out, nullptr); }},
        {"check_rates_json", "out", [&] { return gridgov_records_check_rates_json(nullptr, w, nullptr, nullptr); }},
        {"check_rates_json", "ws", [&] { return gridgov_records_check_rates_json(&out, nullptr, nullptr, nullptr); }},
        {"check_indicators_json", "out", [&] { return gridgov_records_check_indicators_json(nullptr, w, "2024-03"); }},
        {"check_indicators_json", "ws", [&] { return gridgov_records_check_indicators_json(&out, nullptr, "2024-03"); }},
        {"check_indicators_json", "period", [&] { return gridgov_records_check_indicators_json(&out, w, nullptr); }},
    };
    // clang-format on
    for (const Case& c : cases) {
        CAPTURE(c.function);
        CAPTURE(c.parameter);
        CHECK(c.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + c.parameter + "' must not be NULL");
    }
    CHECK(out == nullptr);
    CHECK(made == nullptr);
    CHECK(count(w) == 0);
    gridgov_record_reader_destroy(nullptr);
}

TEST_CASE("capi.records.malformed_values_are_einval_naming_the_parameter") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    add(ws.get(), Json::array({resident("R1", g1, "李四")}));
    char* out = nullptr;
    const std::string one = Json::array({resident("R2", g1, "王五")}).dump();
    CHECK(gridgov_records_add_json(&out, ws.get(), one.c_str(), "2024-02-30") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "effective: "));
    CHECK(contains(last_error(), "2024-02-30"));
    CHECK(gridgov_records_get_json(&out, ws.get(), by_system(0), "R1", "01/03/2024") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "on: "));
    CHECK(gridgov_records_validate_json(&out, ws.get(), "2024-13-01") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "on: "));
    CHECK(gridgov_records_remove(ws.get(), "R1", "yesterday") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "effective: "));
    gridgov_record_reader* reader = nullptr;
    CHECK(gridgov_record_reader_system(&reader, "checks", 2) == GRIDGOV_EINVAL);
    CHECK(last_error() == "reveal: 2 is not 0 or 1");
    CHECK(gridgov_record_reader_person(&reader, "P1", "checks", nullptr, -1) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "reveal"));
    CHECK(gridgov_record_reader_person(&reader, "P1", "checks", "2024-02-30", 0) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "on: "));
    CHECK(contains(last_error(), "2024-02-30"));
    CHECK(reader == nullptr);
    CHECK(gridgov_records_export_text(&out, ws.get(), by_system(0), GRIDGOV_FORMAT_GEOJSON,
                                      "resident") == GRIDGOV_EINVAL);
    CHECK(last_error() == "format: 3 is not GRIDGOV_FORMAT_CSV or _JSON");
    CHECK(gridgov_records_export_text(&out, ws.get(), by_system(0), GRIDGOV_FORMAT_AUTO,
                                      "resident") == GRIDGOV_EINVAL);
    CHECK(gridgov_records_import_text(&out, ws.get(), "key,node\n", 9, "resident", nullptr,
                                      nullptr) == GRIDGOV_EINVAL);
    CHECK(last_error() == "format: 9 is not GRIDGOV_FORMAT_CSV, _JSON or _AUTO");
    CHECK(gridgov_records_export_file(ws.get(), by_system(0), dir.file("r.html").c_str(),
                                      GRIDGOV_FORMAT_HTML, nullptr) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "format: 4"));
    CHECK(out == nullptr);
    CHECK(count(ws.get()) == 1);
}

TEST_CASE("capi.records.schema_presets_and_extension") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    char* out = nullptr;
    CHECK(text_of(gridgov_records_preset_keys(&out), &out) == "standard\n");
    const Json standard = json_of(gridgov_records_preset_schema_json(&out, "standard"), &out);
    Keys kinds;
    for (const Json& k : standard.at("kinds"))
        kinds.push_back(k.at("key").get<std::string>());
    CHECK(kinds == Keys{"resident", "household", "house", "unit", "organisation", "component"});
    // A new workspace has the standard preset.
    CHECK(json_of(gridgov_records_schema_json(&out, ws.get()), &out).at("kinds") ==
          standard.at("kinds"));
    CHECK(gridgov_records_preset_schema_json(&out, "nowhere") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'nowhere'"));

    SUBCASE("an extension on its own may refer to the kinds it extends") {
        REQUIRE(gridgov_records_extend_schema_json(
                    ws.get(),
                    R"({"kinds": [{"key": "pet", "fields": [{"name": "owner",
                        "type": "reference", "refers_to": "resident"}]}]})",
                    "pets.json") == GRIDGOV_OK);
        CHECK(
            contains(json_of(gridgov_records_schema_json(&out, ws.get()), &out).dump(), "\"pet\""));
    }
    SUBCASE("a locality adds a field and a kind") {
        const char* extension = R"({"kinds": [
            {"key": "resident", "fields": [{"name": "wechat", "label": "微信号", "type": "text"}]},
            {"key": "shop_sign", "label": "店招", "fields": [
                {"name": "text", "label": "文字", "type": "text", "required": true}]}]})";
        REQUIRE(gridgov_records_extend_schema_json(ws.get(), extension, "local.json") ==
                GRIDGOV_OK);
        const Json schema = json_of(gridgov_records_schema_json(&out, ws.get()), &out);
        CHECK(schema.at("kinds").size() == 7);
        CHECK(contains(schema.dump(), "\"wechat\""));
        Json r = resident("R1", g1, "李四");
        r["fields"]["wechat"] = "lisi_88";
        add(ws.get(), Json::array({r, Json{{"key", "S1"},
                                           {"kind", "shop_sign"},
                                           {"node", g1},
                                           {"fields", {{"text", "青石超市"}}}}}));
        CHECK(get(ws.get(), "R1").at("fields").at("wechat") == "lisi_88");
        CHECK(count(ws.get(), "shop_sign") == 1);
        // The same field again is refused naming the kind and the field.
        CHECK(gridgov_records_extend_schema_json(ws.get(), extension, "local.json") ==
              GRIDGOV_EEXISTS);
        CHECK(contains(last_error(), "'resident'"));
        CHECK(contains(last_error(), "'wechat'"));
        // A schema without a kind whose records are stored is refused naming the kind.
        const char* narrow =
            R"({"kinds": [{"key": "resident", "fields": [{"name": "name", "type": "text"}]}]})";
        CHECK(gridgov_records_set_schema_json(ws.get(), narrow, "narrow.json") == GRIDGOV_ESTATE);
        CHECK(contains(last_error(), "shop_sign"));
        CHECK(json_of(gridgov_records_schema_json(&out, ws.get()), &out) == schema);
    }
    SUBCASE("a schema replaced while no records are stored") {
        const char* own = R"({"kinds": [{"key": "tree", "label": "古树", "fields": [
            {"name": "species", "type": "text", "required": true},
            {"name": "girth_cm", "type": "number"}]}]})";
        REQUIRE(gridgov_records_set_schema_json(ws.get(), own, nullptr) == GRIDGOV_OK);
        const Json schema = json_of(gridgov_records_schema_json(&out, ws.get()), &out);
        REQUIRE(schema.at("kinds").size() == 1);
        CHECK(schema.at("kinds")[0].at("key") == "tree");
        CHECK(gridgov_records_set_schema_json(ws.get(), "{\"kinds\": [", "broken.json") ==
              GRIDGOV_EPARSE);
        CHECK(contains(last_error(), "broken.json"));
        CHECK(gridgov_records_set_schema_json(ws.get(), R"({"kinds": [{"key": "x", "fields": [
            {"name": "a", "type": "colour"}]}]})",
                                              "bad.json") == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "bad.json"));
        CHECK(contains(last_error(), "'colour'"));
    }
}

TEST_CASE("capi.records.refused_additions_name_the_record_and_field_and_add_nothing") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    char* out = nullptr;
    const auto refused = [&](const Json& records) {
        const std::string text = records.dump();
        return gridgov_records_add_json(&out, ws.get(), text.c_str(), "2024-01-01");
    };
    SUBCASE("an unknown node code") {
        CHECK(refused(Json::array(
                  {resident("R1", g1, "李四"), resident("R2", "371338102209009", "王五")})) ==
              GRIDGOV_ENOTFOUND);
        CHECK(last_error() == "records[1] ('R2') field 'node': unknown node '371338102209009'");
    }
    SUBCASE("a required field missing") {
        Json nameless = resident("R2", g1, "");
        nameless["fields"].erase("name");
        CHECK(refused(Json::array({resident("R1", g1, "李四"), nameless})) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "'R2'"));
        CHECK(contains(last_error(), "field 'name': missing"));
    }
    SUBCASE("a value outside its enumeration") {
        CHECK(refused(Json::array({resident("R1", g1, "李四", "常住")})) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "field 'registration'"));
        CHECK(contains(last_error(), "'常住'"));
    }
    SUBCASE("a field the kind lacks") {
        Json r = resident("R1", g1, "李四");
        r["fields"]["shoe_size"] = "42";
        CHECK(refused(Json::array({r})) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "field 'shoe_size'"));
    }
    SUBCASE("a field value that is not text") {
        Json r = resident("R1", g1, "李四");
        r["fields"]["name"] = 42;
        CHECK(refused(Json::array({r})) == GRIDGOV_EINVAL);
        CHECK(last_error() == "records[0] ('R1') field 'name': 42 is not a string");
    }
    SUBCASE("a member the layout lacks") {
        Json r = resident("R1", g1, "李四");
        r["name"] = "李四";
        CHECK(refused(Json::array({r})) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "records[0] ('R1') field 'name': unknown member"));
    }
    SUBCASE("a control character in a value") {
        CHECK(refused(Json::array({resident("R1", g1, "李\x01四")})) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "field 'name': control character U+0001"));
    }
    SUBCASE("an unknown overlay") {
        Json r = resident("R1", g1, "李四");
        r["overlays"] = Json::array({{{"overlay", "fire_safety"}, {"unit", "XF-01"}}});
        CHECK(refused(Json::array({r})) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "'fire_safety'"));
    }
    SUBCASE("text that is not a JSON array of records") {
        CHECK(gridgov_records_add_json(&out, ws.get(), "[{\"key\": ", nullptr) == GRIDGOV_EPARSE);
        CHECK(contains(last_error(), "records_json: not valid JSON"));
        CHECK(refused(resident("R1", g1, "李四")) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "records_json: an object is not an array"));
    }
    CHECK(out == nullptr);
    CHECK(count(ws.get()) == 0);
    CHECK(get(ws.get(), "R1").is_null());
}

TEST_CASE("capi.records.a_key_that_exists_is_refused_with_the_whole_batch") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    add(ws.get(), Json::array({resident("R1", g1, "李四")}));
    char* out = nullptr;
    const std::string batch =
        Json::array({resident("R3", g1, "赵六"), resident("R1", g2, "王五")}).dump();
    CHECK(gridgov_records_add_json(&out, ws.get(), batch.c_str(), "2024-02-01") == GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "'R1'"));
    CHECK(out == nullptr);
    CHECK(count(ws.get()) == 1);
    CHECK(get(ws.get(), "R3").is_null());
    CHECK(get(ws.get(), "R1").at("node") == g1);
}

TEST_CASE("capi.records.sensitive_fields_are_masked_unless_revealed") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    Json r = resident("R1", g1, "李四");
    r["fields"]["id_number"] = right_id;
    r["fields"]["phone"] = "13805431001";
    r["fields"]["special_groups"] = "独居老人|残疾人";
    CHECK(add(ws.get(), Json::array({r})) == Json::array());

    const Json masked = get(ws.get(), "R1");
    CHECK(masked.at("key") == "R1");
    CHECK(masked.at("kind") == "resident");
    CHECK(masked.at("node") == g1);
    CHECK(masked.at("overlays") == Json::array());
    CHECK(masked.at("fields").at("id_number") == "3713**********0023");
    CHECK(masked.at("fields").at("phone") == "138****1001");
    CHECK(masked.at("fields").at("special_groups") == "***");
    CHECK(masked.at("fields").at("name") == "李四");
    // Derived from the ID number, in the kind's field order.
    CHECK(masked.at("fields").at("sex") == "女");
    CHECK(masked.at("fields").at("birth_date") == "1985-06-12");
    Keys order;
    for (const auto& [name, value] : masked.at("fields").items())
        order.push_back(name);
    CHECK(order == Keys{"name", "id_number", "sex", "birth_date", "phone", "registration",
                        "special_groups"});

    const Json open = get(ws.get(), "R1", nullptr, 1);
    CHECK(open.at("fields").at("id_number") == right_id);
    CHECK(open.at("fields").at("phone") == "13805431001");
    CHECK(open.at("fields").at("special_groups") == "残疾人|独居老人");

    char* out = nullptr;
    const std::string listed =
        text_of(gridgov_records_list_json(&out, ws.get(), by_system(0), nullptr), &out);
    CHECK(contains(listed, "3713**********0023"));
    CHECK_FALSE(contains(listed, right_id));
    const Json found = json_of(
        gridgov_records_find_json(&out, ws.get(), by_system(0), "id_number", right_id.c_str()),
        &out);
    CHECK(keys(found) == Keys{"R1"});
    CHECK(found[0].at("fields").at("id_number") == "3713**********0023");
    const Json found_open = json_of(
        gridgov_records_find_json(&out, ws.get(), by_system(1), "id_number", right_id.c_str()),
        &out);
    CHECK(found_open[0].at("fields").at("id_number") == right_id);
    CHECK(gridgov_records_find_json(&out, ws.get(), by_system(0), "name", "李四") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "'name'"));
    const std::string history =
        text_of(gridgov_records_history_json(&out, ws.get(), by_system(0), "R1"), &out);
    CHECK_FALSE(contains(history, right_id));
    const std::string csv = text_of(
        gridgov_records_export_text(&out, ws.get(), by_system(0), GRIDGOV_FORMAT_CSV, "resident"),
        &out);
    CHECK(contains(csv, "3713**********0023"));
    CHECK_FALSE(contains(csv, right_id));
    const std::string csv_open = text_of(
        gridgov_records_export_text(&out, ws.get(), by_system(1), GRIDGOV_FORMAT_CSV, "resident"),
        &out);
    CHECK(contains(csv_open, right_id));
}

TEST_CASE("capi.records.a_wrong_check_character_is_kept_and_reported") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    REQUIRE(wrong_id == "110101199003070000");
    Json wrong = resident("R1", g1, "李四");
    wrong["fields"]["id_number"] = wrong_id;
    Json right = resident("R2", g1, "王芳");
    right["fields"]["id_number"] = right_id;
    const Json findings = add(ws.get(), Json::array({wrong, right}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].at("rule") == "records.id_number");
    CHECK(findings[0].at("severity") == "error");
    CHECK(findings[0].at("where") == "R1");
    const std::string message = findings[0].at("message").get<std::string>();
    CHECK(contains(message, "1101**********0000"));
    CHECK_FALSE(contains(message, wrong_id));
    // Kept as written, nothing derived from a number that does not check out.
    const Json kept = get(ws.get(), "R1", nullptr, 1);
    CHECK(kept.at("fields").at("id_number") == wrong_id);
    CHECK_FALSE(kept.at("fields").contains("birth_date"));
    char* out = nullptr;
    const Json validated =
        json_of(gridgov_records_validate_json(&out, ws.get(), "2024-06-01"), &out);
    REQUIRE(validated.size() == 1);
    CHECK(validated[0] == findings[0]);
    // An update that keeps the number reports it again; one that fixes it reports nothing.
    wrong["fields"]["phone"] = "13805431001";
    const std::string changed = wrong.dump();
    const Json again =
        json_of(gridgov_records_update_json(&out, ws.get(), changed.c_str(), "2024-02-01"), &out);
    REQUIRE(again.size() == 1);
    CHECK(again[0].at("rule") == "records.id_number");
    wrong["fields"]["id_number"] = id_number("11010119900307000");
    const std::string fixed = wrong.dump();
    CHECK(json_of(gridgov_records_update_json(&out, ws.get(), fixed.c_str(), "2024-03-01"), &out) ==
          Json::array());
    CHECK(json_of(gridgov_records_validate_json(&out, ws.get(), "2024-06-01"), &out) ==
          Json::array());
}

TEST_CASE("capi.records.history_after_an_update_a_move_and_a_removal") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    add(ws.get(), Json::array({resident("R1", g1, "李四"), resident("R2", g1, "王五")}),
        "2024-01-01");
    Json r1 = resident("R1", g1, "李四", "流动人口");
    const std::string changed = r1.dump();
    char* out = nullptr;
    REQUIRE(json_of(gridgov_records_update_json(&out, ws.get(), changed.c_str(), "2024-03-01"),
                    &out) == Json::array());
    REQUIRE(gridgov_records_move(ws.get(), "R1", g2, "2024-06-01") == GRIDGOV_OK);
    REQUIRE(gridgov_records_remove(ws.get(), "R1", "2024-09-01") == GRIDGOV_OK);

    const Json history =
        json_of(gridgov_records_history_json(&out, ws.get(), by_system(0), "R1"), &out);
    REQUIRE(history.size() == 4);
    const char* changes[] = {"added", "changed", "moved", "removed"};
    const char* dates[] = {"2024-01-01", "2024-03-01", "2024-06-01", "2024-09-01"};
    const char* nodes[] = {g1, g1, g2, g2};
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(history[i].at("version") == i + 1);
        CHECK(history[i].at("change") == changes[i]);
        CHECK(history[i].at("effective") == dates[i]);
        CHECK(history[i].at("record").at("key") == "R1");
        CHECK(history[i].at("record").at("node") == nodes[i]);
    }
    CHECK(history[0].at("record").at("fields").at("registration") == "户籍人口");
    CHECK(history[1].at("record").at("fields").at("registration") == "流动人口");

    // As it stood on a date; nothing before its addition or after its removal.
    CHECK(get(ws.get(), "R1", "2023-12-31").is_null());
    CHECK(get(ws.get(), "R1", "2024-02-29").at("fields").at("registration") == "户籍人口");
    CHECK(get(ws.get(), "R1", "2024-05-31").at("node") == g1);
    CHECK(get(ws.get(), "R1", "2024-06-01").at("node") == g2);
    CHECK(get(ws.get(), "R1", "2024-09-01").is_null());
    CHECK(get(ws.get(), "R1").is_null());
    CHECK(text_of(gridgov_records_get_json(&out, ws.get(), by_system(0), "R1", nullptr), &out) ==
          "null");
    CHECK(count(ws.get()) == 1);
    CHECK(count(ws.get(), "resident") == 1);
    CHECK(count(ws.get(), "house") == 0);

    // Refusals name what is wrong and change nothing.
    CHECK(gridgov_records_move(ws.get(), "R2", "371338102209009", "2024-06-01") ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error() == "node_code: unknown node '371338102209009'");
    CHECK(gridgov_records_move(ws.get(), "R9", g2, "2024-06-01") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'R9'"));
    CHECK(gridgov_records_move(ws.get(), "R1", g1, "2024-10-01") != GRIDGOV_OK);
    CHECK(contains(last_error(), "'R1'"));
    CHECK(gridgov_records_history_json(&out, ws.get(), by_system(0), "R9") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'R9'"));
    CHECK(gridgov_records_remove(ws.get(), "R2", "2023-06-01") != GRIDGOV_OK);
    CHECK(contains(last_error(), "'R2'"));
    Json other = resident("R2", g1, "王五");
    other["kind"] = "organisation";
    other["fields"] = {{"name", "王五"}, {"org_kind", "党小组"}};
    const std::string kind_changed = other.dump();
    CHECK(gridgov_records_update_json(&out, ws.get(), kind_changed.c_str(), "2024-10-01") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "record 'R2' field 'kind'"));
    const std::string readd = Json::array({resident("R1", g1, "李四")}).dump();
    CHECK(gridgov_records_add_json(&out, ws.get(), readd.c_str(), "2024-10-01") == GRIDGOV_EEXISTS);
    CHECK(out == nullptr);
    const Json unchanged =
        json_of(gridgov_records_history_json(&out, ws.get(), by_system(0), "R2"), &out);
    REQUIRE(unchanged.size() == 1);
    CHECK(unchanged[0].at("record").at("node") == g1);

    // Added with no date: since forever.
    add(ws.get(), Json::array({resident("R3", d1, "赵六")}), nullptr);
    const Json forever =
        json_of(gridgov_records_history_json(&out, ws.get(), by_system(0), "R3"), &out);
    REQUIRE(forever.size() == 1);
    CHECK(forever[0].at("effective").is_null());
    CHECK(get(ws.get(), "R3", "1900-01-01").at("node") == d1);
}

TEST_CASE("capi.records.roll_up_counts_per_node_code") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    add(ws.get(),
        Json::array({resident("R1", g1, "李四"), resident("R2", g1, "王五", "流动人口"),
                     resident("R3", g2, "赵六", "流动人口"), resident("R4", d1, "孙七")}));
    const auto unit = [](const char* key, const char* node, const char* employees) {
        return Json{{"key", key},
                    {"kind", "unit"},
                    {"node", node},
                    {"fields",
                     {{"name", std::string("单位") + key},
                      {"unit_kind", "企业"},
                      {"employees", employees}}}};
    };
    add(ws.get(), Json::array({unit("U1", g1, "12"), unit("U2", d1, "30")}));
    REQUIRE(gridgov_records_remove(ws.get(), "R4", "2024-05-01") == GRIDGOV_OK);

    char* out = nullptr;
    const Json residents =
        json_of(gridgov_records_roll_up_json(&out, ws.get(), "resident", nullptr, nullptr), &out);
    // One member per live node, by code.
    CHECK(residents == Json{{"371338", 3},
                            {"371338102", 3},
                            {"371338102201", 3},
                            {"371338102202", 0},
                            {g1, 2},
                            {g2, 1},
                            {d1, 0}});
    const Json floating = json_of(
        gridgov_records_roll_up_json(&out, ws.get(), "resident", "registration", "流动人口"), &out);
    CHECK(floating.at(village) == 2);
    CHECK(floating.at(g1) == 1);
    CHECK(floating.at(g2) == 1);
    CHECK(floating.at("371338") == 2);
    const Json employees =
        json_of(gridgov_records_roll_up_json(&out, ws.get(), "unit", "employees", nullptr), &out);
    CHECK(employees.at("371338") == 42);
    CHECK(employees.at(village) == 12);
    CHECK(employees.at("371338102202") == 30);

    SUBCASE("a retired grid leaves the answer, and its record is a finding") {
        gridgov_node_id grid = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_hierarchy_find(&grid, ws.get(), g2) == GRIDGOV_OK);
        REQUIRE(gridgov_hierarchy_retire(ws.get(), grid, "2024-07-01") == GRIDGOV_OK);
        const Json after = json_of(
            gridgov_records_roll_up_json(&out, ws.get(), "resident", nullptr, nullptr), &out);
        CHECK(after.size() == 6);
        CHECK_FALSE(after.contains(g2));
        CHECK(after.at(village) == 2);
        // Before its retirement the grid was live: no finding for that date.
        CHECK(json_of(gridgov_records_validate_json(&out, ws.get(), "2024-06-30"), &out).empty());
        const Json findings =
            json_of(gridgov_records_validate_json(&out, ws.get(), "2024-08-01"), &out);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].at("rule") == "records.retired_node");
        CHECK(findings[0].at("where") == "R3");
        // The record still reads with its node's code.
        CHECK(get(ws.get(), "R3").at("node") == g2);
    }
    SUBCASE("an unknown kind or field is named") {
        CHECK(gridgov_records_roll_up_json(&out, ws.get(), "dragon", nullptr, nullptr) ==
              GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "'dragon'"));
        CHECK(gridgov_records_roll_up_json(&out, ws.get(), "resident", "colour", nullptr) !=
              GRIDGOV_OK);
        CHECK(contains(last_error(), "'colour'"));
        CHECK(out == nullptr);
    }
}

TEST_CASE("capi.records.lists_by_kind_subtree_field_and_overlay_unit") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    REQUIRE(gridgov_overlay_add(ws.get(), "fire_safety", "消防网格", "fire_safety") == GRIDGOV_OK);
    gridgov_overlay_unit_spec spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) == GRIDGOV_OK);
    spec.code = "XF-01";
    spec.name = "青石消防大网格";
    spec.level = "large";
    const char* grids[] = {g1, g2};
    spec.grid_count = 2;
    spec.grid_codes = grids;
    gridgov_node_id unit = GRIDGOV_NO_NODE;
    REQUIRE(gridgov_overlay_add_unit(&unit, ws.get(), "fire_safety", &spec) == GRIDGOV_OK);

    Json shop{{"key", "U1"},
              {"kind", "unit"},
              {"node", g2},
              {"overlays", Json::array({{{"overlay", "fire_safety"}, {"unit", "XF-01"}}})},
              {"fields", {{"name", "青石超市"}, {"unit_kind", "个体工商户|消防重点单位"}}}};
    add(ws.get(),
        Json::array({resident("R1", g1, "李四"), shop, resident("R2", d1, "王五", "流动人口"),
                     resident("R3", g2, "赵六", "流动人口")}));

    CHECK(keys(list(ws.get(), nullptr)) == Keys{"R1", "U1", "R2", "R3"});
    CHECK(keys(list(ws.get(), Json{{"kind", "resident"}})) == Keys{"R1", "R2", "R3"});
    CHECK(keys(list(ws.get(), Json{{"within", village}})) == Keys{"R1", "U1", "R3"});
    CHECK(keys(list(ws.get(),
                    Json{{"kind", "resident"}, {"where", {{"registration", "流动人口"}}}})) ==
          Keys{"R2", "R3"});
    CHECK(keys(list(ws.get(), Json{{"where", {{"unit_kind", "消防重点单位"}}}})) == Keys{"U1"});
    const Json placed =
        list(ws.get(), Json{{"overlay", {{"overlay", "fire_safety"}, {"unit", "XF-01"}}}});
    REQUIRE(keys(placed) == Keys{"U1"});
    CHECK(placed[0] == get(ws.get(), "U1"));
    CHECK(placed[0].at("overlays") ==
          Json::array({{{"overlay", "fire_safety"}, {"unit", "XF-01"}}}));

    char* out = nullptr;
    CHECK(gridgov_records_list_json(&out, ws.get(), by_system(0), R"({"within": "371338109"})") ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error() == "filter_json field 'within': unknown node '371338109'");
    CHECK(gridgov_records_list_json(&out, ws.get(), by_system(0), R"({"kinds": "resident"})") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "filter_json field 'kinds': unknown member"));
    CHECK(gridgov_records_list_json(&out, ws.get(), by_system(0),
                                    R"({"where": {"registration": 1}})") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "field 'registration': 1 is not a string"));
    CHECK(gridgov_records_list_json(&out, ws.get(), by_system(0), "{") == GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "filter_json: not valid JSON"));
    CHECK(out == nullptr);

    // A record read back goes back in unchanged: the same layout both ways.
    const std::string same = get(ws.get(), "U1", nullptr, 1).dump();
    CHECK(json_of(gridgov_records_update_json(&out, ws.get(), same.c_str(), "2024-02-01"), &out) ==
          Json::array());
    const Json versions =
        json_of(gridgov_records_history_json(&out, ws.get(), by_system(0), "U1"), &out);
    CHECK(versions.size() == 1);
}

TEST_CASE("capi.records.csv_round_trip_through_files") {
    TempDir dir;
    const std::string path = dir.file("township.gridgov");
    std::string exported;
    {
        Workspace ws = township(path);
        Json r1 = resident("R1", g1, "李四");
        r1["fields"]["id_number"] = right_id;
        r1["fields"]["phone"] = "13805431001";
        Json r2 = resident("R2", d1, "王五, 小名\"五子\"", "流动人口");
        r2["fields"]["id_number"] = wrong_id;
        add(ws.get(), Json::array({r1, r2, resident("R3", g2, "赵六")}));
        REQUIRE(gridgov_records_export_file(ws.get(), by_system(1),
                                            dir.file("residents.csv").c_str(), GRIDGOV_FORMAT_AUTO,
                                            "resident") == GRIDGOV_OK);
        char* out = nullptr;
        exported = text_of(gridgov_records_export_text(&out, ws.get(), by_system(1),
                                                       GRIDGOV_FORMAT_CSV, "resident"),
                           &out);
        CHECK(read_file(dir.file("residents.csv")) == exported);
        CHECK(exported.rfind("key,node,overlays,name,id_number,", 0) == 0);
    }
    {
        // The file keeps its records.
        gridgov_workspace* raw = nullptr;
        REQUIRE(gridgov_workspace_open(&raw, path.c_str(), 0) == GRIDGOV_OK);
        Workspace again(raw);
        CHECK(count(again.get(), "resident") == 3);
        CHECK(get(again.get(), "R1", nullptr, 1).at("fields").at("id_number") == right_id);
    }

    Workspace copy = township(dir.file("copy.gridgov"));
    char* out = nullptr;
    const Json report =
        json_of(gridgov_records_import_file(&out, copy.get(), dir.file("residents.csv").c_str(),
                                            nullptr, "2024-01-01"),
                &out);
    CHECK(report.at("added") == 3);
    CHECK(report.at("changed") == 0);
    CHECK(report.at("unchanged") == 0);
    REQUIRE(report.at("findings").size() == 1);
    CHECK(report.at("findings")[0].at("rule") == "records.id_number");
    CHECK(report.at("findings")[0].at("where") == "R2");
    CHECK(text_of(gridgov_records_export_text(&out, copy.get(), by_system(1), GRIDGOV_FORMAT_CSV,
                                              "resident"),
                  &out) == exported);
    CHECK(get(copy.get(), "R2", nullptr, 1).at("fields").at("name") == "王五, 小名\"五子\"");

    // The same file again changes nothing; a changed row is one change.
    const Json same =
        json_of(gridgov_records_import_text(&out, copy.get(), exported.c_str(), GRIDGOV_FORMAT_CSV,
                                            "resident", "residents.csv", "2024-02-01"),
                &out);
    CHECK(same.at("added") == 0);
    CHECK(same.at("unchanged") == 3);
    const std::string moved = "key,node,name,registration\nR3," + std::string(d1) +
                              ",赵六,户籍人口\nR4," + std::string(g1) + ",孙七,户籍人口\n";
    const Json changed =
        json_of(gridgov_records_import_text(&out, copy.get(), moved.c_str(), GRIDGOV_FORMAT_AUTO,
                                            nullptr, "resident.csv", "2024-03-01"),
                &out);
    CHECK(changed.at("added") == 1);
    CHECK(changed.at("changed") == 1);
    CHECK(get(copy.get(), "R3").at("node") == d1);

    // A bad row names the source, the row and the field, and nothing is imported.
    const std::string bad = "key,node,name,registration\nR5," + std::string(g1) +
                            ",钱八,户籍人口\nR6," + std::string(g1) + ",孙九,常住\n";
    CHECK(gridgov_records_import_text(&out, copy.get(), bad.c_str(), GRIDGOV_FORMAT_CSV, "resident",
                                      "more.csv", "2024-04-01") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "more.csv row 3"));
    CHECK(contains(last_error(), "'registration'"));
    const std::string lacking = "key,node,registration\nR5," + std::string(g1) + ",户籍人口\n";
    CHECK(gridgov_records_import_text(&out, copy.get(), lacking.c_str(), GRIDGOV_FORMAT_CSV,
                                      "resident", "lacking.csv", nullptr) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "'name'"));
    CHECK(gridgov_records_import_file(&out, copy.get(), dir.file("none.csv").c_str(), "resident",
                                      nullptr) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "none.csv"));
    CHECK(out == nullptr);
    CHECK(count(copy.get()) == 4);

    // JSON both ways: the export is a document the import reads.
    const std::string json = text_of(
        gridgov_records_export_text(&out, copy.get(), by_system(1), GRIDGOV_FORMAT_JSON, nullptr),
        &out);
    CHECK(keys(Json::parse(json).at("records")) == Keys{"R1", "R2", "R3", "R4"});
    REQUIRE(gridgov_records_export_file(copy.get(), by_system(1), dir.file("all.json").c_str(),
                                        GRIDGOV_FORMAT_JSON, nullptr) == GRIDGOV_OK);
    Workspace third = township(dir.file("third.gridgov"));
    const Json imported =
        json_of(gridgov_records_import_file(&out, third.get(), dir.file("all.json").c_str(),
                                            nullptr, nullptr),
                &out);
    CHECK(imported.at("added") == 4);
    CHECK(text_of(gridgov_records_export_text(&out, third.get(), by_system(1), GRIDGOV_FORMAT_JSON,
                                              nullptr),
                  &out) == json);
}

// On SQLite and, in the capi_postgresql run, in a schema of the PostgreSQL test server.
TEST_CASE("capi.records.kept_in_the_store_and_seen_by_a_second_handle" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = gridgov_test::store_location(dir, "records.gridgov");
    Workspace a = township(location);
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, location.c_str(), 0) == GRIDGOV_OK);
    Workspace b(raw);
    CHECK(count(b.get()) == 0);

    Json r1 = resident("R1", g1, "李四");
    r1["fields"]["id_number"] = wrong_id;
    CHECK(add(a.get(), Json::array({r1, resident("R2", g2, "王五")})).size() == 1);
    REQUIRE(gridgov_records_move(a.get(), "R2", d1, "2024-03-01") == GRIDGOV_OK);
    REQUIRE(gridgov_records_remove(a.get(), "R2", "2024-05-01") == GRIDGOV_OK);
    char* out = nullptr;
    const std::string history =
        text_of(gridgov_records_history_json(&out, a.get(), by_system(1), "R2"), &out);

    REQUIRE(gridgov_workspace_refresh(b.get(), nullptr) == GRIDGOV_OK);
    CHECK(count(b.get()) == 1);
    CHECK(text_of(gridgov_records_history_json(&out, b.get(), by_system(1), "R2"), &out) ==
          history);
    CHECK(get(b.get(), "R1", nullptr, 1).at("fields").at("id_number") == wrong_id);
    CHECK(json_of(gridgov_records_validate_json(&out, b.get(), "2024-06-01"), &out).size() == 1);
    // A change through the second handle is decided on what the first committed.
    const std::string again = Json::array({resident("R2", g1, "王五")}).dump();
    CHECK(gridgov_records_add_json(&out, b.get(), again.c_str(), "2024-06-01") == GRIDGOV_EEXISTS);
    b.reset();
    a.reset();

    REQUIRE(gridgov_workspace_open(&raw, location.c_str(), 0) == GRIDGOV_OK);
    Workspace reopened(raw);
    CHECK(count(reopened.get()) == 1);
    CHECK(text_of(gridgov_records_history_json(&out, reopened.get(), by_system(1), "R2"), &out) ==
          history);
    CHECK(get(reopened.get(), "R2", "2024-04-30").at("node") == d1);
}

TEST_CASE("capi.records.read_only_workspace_refuses_changes") {
    TempDir dir;
    const std::string path = dir.file("ro.gridgov");
    add(township(path).get(), Json::array({resident("R1", g1, "李四")}));
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_READONLY) == GRIDGOV_OK);
    Workspace ro(raw);
    char* out = nullptr;
    const std::string more = Json::array({resident("R2", g1, "王五")}).dump();
    CHECK(gridgov_records_add_json(&out, ro.get(), more.c_str(), nullptr) == GRIDGOV_ESTATE);
    CHECK(gridgov_records_remove(ro.get(), "R1", "2024-02-01") == GRIDGOV_ESTATE);
    CHECK(out == nullptr);
    CHECK(count(ro.get()) == 1);
    CHECK(get(ro.get(), "R1").at("fields").at("name") == "李四");
}

// ---- who reads records ------------------------------------------------------------------

namespace {

void add_person(gridgov_workspace* ws, const char* id, const char* name) {
    gridgov_person_spec spec;
    REQUIRE(gridgov_person_spec_init(&spec, GRIDGOV_PERSON_SPEC_VERSION) == GRIDGOV_OK);
    spec.id = id;
    spec.name = name;
    const int rc = gridgov_directory_add_person(ws, &spec);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
}

void assign(gridgov_workspace* ws, const char* person, const char* role, const char* node) {
    uint64_t id = 0;
    const int rc = gridgov_directory_add_assignment(&id, ws, person, role, node, GRIDGOV_POST_A,
                                                    "2024-01-01", nullptr);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
}

const std::string phone = "13805431001";

// The township with its records: R1 (ID number, phone, special groups) and the unit U1
// (contact phone) in 青石村's first grid, R2 in its second, R3 in 东岭村, R4 (nothing
// sensitive) in the first grid; and the catalogue `preset`.
Workspace staffed(const std::string& path, const char* preset) {
    Workspace ws = township(path);
    Json r1 = resident("R1", g1, "李四");
    r1["fields"]["id_number"] = right_id;
    r1["fields"]["phone"] = phone;
    r1["fields"]["special_groups"] = "独居老人";
    Json r2 = resident("R2", g2, "王五");
    r2["fields"]["phone"] = "13905432002";
    Json r3 = resident("R3", d1, "赵六");
    r3["fields"]["id_number"] = id_number("37133819900307001");
    const Json u1{
        {"key", "U1"},
        {"kind", "unit"},
        {"node", g1},
        {"fields", {{"name", "青石超市"}, {"unit_kind", "个体工商户"}, {"contact_phone", phone}}}};
    add(ws.get(), Json::array({r1, r2, r3, u1, resident("R4", g1, "孙七")}));
    const int rc = gridgov_directory_use_preset(ws.get(), preset);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return ws;
}

std::string access_log(const gridgov_workspace* ws, uint64_t after_seq = 0, size_t limit = 0) {
    char* out = nullptr;
    return text_of(gridgov_records_access_log_json(&out, ws, after_seq, limit), &out);
}

Json verify(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_records_verify_access_log_json(&out, ws), &out);
}

bool is_hex_hash(const std::string& h) {
    return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("capi.records.a_person_reads_only_under_their_posts") {
    TempDir dir;
    Workspace ws = staffed(dir.file("township.gridgov"), "township_000");
    add_person(ws.get(), "I01", "赵大山");
    add_person(ws.get(), "V01", "张秀英");
    add_person(ws.get(), "X01", "钱多多");  // holds no post
    assign(ws.get(), "I01", "grid_information_officer", g1);
    assign(ws.get(), "V01", "village_grid_leader", village);
    char* out = nullptr;

    const Reader officer = person_reader("I01", 0);
    const Json r1 =
        json_of(gridgov_records_get_json(&out, ws.get(), officer.get(), "R1", nullptr), &out);
    CHECK(r1.at("fields").at("id_number") == "3713**********0023");
    CHECK(r1.at("fields").at("phone") == "138****1001");

    // get and history outside the posts are refused, saying why.
    CHECK(gridgov_records_get_json(&out, ws.get(), officer.get(), "R2", nullptr) == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "person 'I01' holds no post on 2024-06-01 covering record 'R2'"));
    CHECK(contains(last_error(), g2));
    CHECK(gridgov_records_history_json(&out, ws.get(), officer.get(), "R3") == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "'R3'"));
    CHECK(out == nullptr);
    // An unknown key is no record, not a refusal.
    CHECK(text_of(gridgov_records_get_json(&out, ws.get(), officer.get(), "R9", nullptr), &out) ==
          "null");

    // find, list and export leave uncovered records out.
    CHECK(keys(list(ws.get(), nullptr, officer.get())) == Keys{"R1", "U1", "R4"});
    CHECK(keys(list(ws.get(), Json{{"kind", "resident"}}, officer.get())) == Keys{"R1", "R4"});
    const std::string r3_id = id_number("37133819900307001");
    CHECK(json_of(
              gridgov_records_find_json(&out, ws.get(), officer.get(), "id_number", r3_id.c_str()),
              &out) == Json::array());
    CHECK(keys(json_of(
              gridgov_records_find_json(&out, ws.get(), by_system(0), "id_number", r3_id.c_str()),
              &out)) == Keys{"R3"});
    const Json exported = json_of(
        gridgov_records_export_text(&out, ws.get(), officer.get(), GRIDGOV_FORMAT_JSON, nullptr),
        &out);
    CHECK(keys(exported.at("records")) == Keys{"R1", "U1", "R4"});
    const Reader leader = person_reader("V01", 0);
    CHECK(keys(list(ws.get(), nullptr, leader.get())) == Keys{"R1", "R2", "U1", "R4"});

    // Posts are those held on the reader's day: NULL is today (the posts are open-ended).
    const Reader today = person_reader("I01", 0, nullptr);
    CHECK(keys(list(ws.get(), nullptr, today.get())) == Keys{"R1", "U1", "R4"});
    const Reader before = person_reader("I01", 0, "2023-12-31");
    CHECK(gridgov_records_list_json(&out, ws.get(), before.get(), nullptr) == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "person 'I01' holds no post on 2023-12-31"));
    const Reader postless = person_reader("X01", 0);
    CHECK(gridgov_records_get_json(&out, ws.get(), postless.get(), "R1", nullptr) == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "'X01' holds no post"));
    const Reader stranger = person_reader("Z99", 0);
    CHECK(gridgov_records_list_json(&out, ws.get(), stranger.get(), nullptr) == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "'Z99' is not in the directory"));
    // A reader without a purpose or a person is refused on the read.
    const Reader aimless = person_reader("I01", 0, "2024-06-01", "");
    CHECK(gridgov_records_get_json(&out, ws.get(), aimless.get(), "R1", nullptr) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "purpose"));
    const Reader nobody = person_reader("", 0);
    CHECK(gridgov_records_get_json(&out, ws.get(), nobody.get(), "R1", nullptr) == GRIDGOV_EINVAL);
    CHECK(out == nullptr);

    // Masked reads leave no trace in the access log.
    CHECK(Json::parse(access_log(ws.get())) == Json::array());
    CHECK(verify(ws.get()) ==
          Json{{"entries", 0}, {"intact", true}, {"first_bad", 0}, {"problem", ""}});
}

TEST_CASE("capi.records.revealed_reads_allowed_by_a_duty_are_logged_per_record") {
    TempDir dir;
    const std::string path = dir.file("township.gridgov");
    Workspace ws = staffed(path, "township_000");
    add_person(ws.get(), "I01", "赵大山");
    // Every role of township_000 carries social_management, which reveals resident and unit.
    assign(ws.get(), "I01", "grid_information_officer", g1);
    char* out = nullptr;

    const Reader officer = person_reader("I01", 1);
    const Json r1 =
        json_of(gridgov_records_get_json(&out, ws.get(), officer.get(), "R1", nullptr), &out);
    CHECK(r1.at("fields").at("id_number") == right_id);
    CHECK(r1.at("fields").at("phone") == phone);
    CHECK(r1.at("fields").at("special_groups") == "独居老人");
    Json log = Json::parse(access_log(ws.get()));
    REQUIRE(log.size() == 1);
    const Json& first = log[0];
    CHECK(first.at("seq") == 1);
    CHECK(first.at("reader") == "I01");
    CHECK(first.at("system") == false);
    CHECK(first.at("purpose") == "入户走访核实");
    CHECK(first.at("read") == "get");
    CHECK(first.at("key") == "R1");
    CHECK(first.at("kind") == "resident");
    CHECK(first.at("fields") == Json::array({"id_number", "phone", "special_groups"}));
    const std::string at = first.at("at").get<std::string>();
    CHECK(at.size() == 24);
    CHECK(at.back() == 'Z');
    CHECK(is_hex_hash(first.at("hash").get<std::string>()));
    Keys members;
    for (const auto& [name, value] : first.items())
        members.push_back(name);
    CHECK(members == Keys{"seq", "at", "reader", "system", "purpose", "read", "key", "kind",
                          "fields", "hash"});

    // One entry per record that showed a sensitive value: R4 has none.
    const Json listed = list(ws.get(), nullptr, officer.get());
    CHECK(keys(listed) == Keys{"R1", "U1", "R4"});
    CHECK(listed[1].at("fields").at("contact_phone") == phone);
    log = Json::parse(access_log(ws.get()));
    REQUIRE(log.size() == 3);
    CHECK(log[1].at("seq") == 2);
    CHECK(log[1].at("read") == "list");
    CHECK(log[1].at("key") == "R1");
    CHECK(log[2].at("key") == "U1");
    CHECK(log[2].at("kind") == "unit");
    CHECK(log[2].at("fields") == Json::array({"contact_phone"}));
    const Json r4 =
        json_of(gridgov_records_get_json(&out, ws.get(), officer.get(), "R4", nullptr), &out);
    CHECK(r4.at("fields").at("name") == "孙七");
    // Masked reads add nothing.
    get(ws.get(), "R1");
    list(ws.get(), nullptr, person_reader("I01", 0).get());
    CHECK(Json::parse(access_log(ws.get())) == log);

    // history logs one entry for the record, however many versions it has.
    Json moved = r1;
    moved["fields"]["phone"] = "13905439009";
    const std::string changed = moved.dump();
    REQUIRE(json_of(gridgov_records_update_json(&out, ws.get(), changed.c_str(), "2024-03-01"),
                    &out) == Json::array());
    const Json versions =
        json_of(gridgov_records_history_json(&out, ws.get(), officer.get(), "R1"), &out);
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].at("record").at("fields").at("phone") == phone);
    CHECK(versions[1].at("record").at("fields").at("phone") == "13905439009");
    const std::string csv = text_of(
        gridgov_records_export_text(&out, ws.get(), officer.get(), GRIDGOV_FORMAT_CSV, "unit"),
        &out);
    CHECK(contains(csv, phone));

    // Paging through the log.
    log = Json::parse(access_log(ws.get()));
    REQUIRE(log.size() == 5);
    CHECK(log[3].at("read") == "history");
    CHECK(log[3].at("key") == "R1");
    CHECK(log[4].at("read") == "export");
    CHECK(log[4].at("key") == "U1");
    const Json page = Json::parse(access_log(ws.get(), 1, 2));
    REQUIRE(page.size() == 2);
    CHECK(page[0] == log[1]);
    CHECK(page[1] == log[2]);
    CHECK(Json::parse(access_log(ws.get(), 5)) == Json::array());
    CHECK(Json::parse(access_log(ws.get(), UINT64_MAX, 1)) == Json::array());
    for (std::size_t i = 1; i < log.size(); ++i)
        CHECK(log[i].at("hash") != log[i - 1].at("hash"));
    CHECK(verify(ws.get()) ==
          Json{{"entries", 5}, {"intact", true}, {"first_bad", 0}, {"problem", ""}});

    SUBCASE("exported to a file, by its extension or a format given") {
        REQUIRE(gridgov_records_export_access_log(ws.get(), dir.file("access.json").c_str(),
                                                  GRIDGOV_FORMAT_AUTO) == GRIDGOV_OK);
        CHECK(Json::parse(read_file(dir.file("access.json"))) == log);
        REQUIRE(gridgov_records_export_access_log(ws.get(), dir.file("access.csv").c_str(),
                                                  GRIDGOV_FORMAT_AUTO) == GRIDGOV_OK);
        const std::string table = read_file(dir.file("access.csv"));
        CHECK(table.rfind("seq,at,reader,system,purpose,read,key,kind,fields,hash\n", 0) == 0);
        CHECK(std::count(table.begin(), table.end(), '\n') == 6);
        CHECK(contains(table, "id_number|phone|special_groups"));
        CHECK(contains(table, log[4].at("hash").get<std::string>()));
        REQUIRE(gridgov_records_export_access_log(ws.get(), dir.file("access.log").c_str(),
                                                  GRIDGOV_FORMAT_CSV) == GRIDGOV_OK);
        CHECK(read_file(dir.file("access.log")) == table);
        CHECK(gridgov_records_export_access_log(ws.get(), dir.file("access.txt").c_str(),
                                                GRIDGOV_FORMAT_AUTO) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "access.txt"));
        CHECK(gridgov_records_export_access_log(ws.get(), dir.file("access.html").c_str(),
                                                GRIDGOV_FORMAT_HTML) == GRIDGOV_EINVAL);
        CHECK(last_error() == "format: 4 is not GRIDGOV_FORMAT_CSV, _JSON or _AUTO");
        CHECK(gridgov_records_export_access_log(ws.get(), dir.file("none/access.json").c_str(),
                                                GRIDGOV_FORMAT_JSON) == GRIDGOV_ESTORAGE);
    }
    SUBCASE("an entry changed behind the library's back breaks the chain") {
        gridgov_test::RawStore(path).exec(
            "UPDATE record_access SET purpose = '随便看看' WHERE seq = 2");
        CHECK(verify(ws.get()) == Json{{"entries", 5},
                                       {"intact", false},
                                       {"first_bad", 2},
                                       {"problem", "hash_mismatch"}});
    }
}

TEST_CASE("capi.records.a_revealed_read_no_duty_allows_is_refused_and_not_logged") {
    TempDir dir;
    // community_001: the information officer's opinion_collection reveals resident and unit,
    // the inspector's duties reveal nothing.
    Workspace ws = staffed(dir.file("community.gridgov"), "community_001");
    add_person(ws.get(), "N01", "周正");
    add_person(ws.get(), "O01", "吴敏");
    assign(ws.get(), "N01", "inspector", g1);
    assign(ws.get(), "O01", "information_officer", g2);
    char* out = nullptr;
    const Reader inspector = person_reader("N01", 1);
    const Reader officer = person_reader("O01", 1);
    json_of(gridgov_records_get_json(&out, ws.get(), officer.get(), "R2", nullptr), &out);
    const std::string before = access_log(ws.get());
    REQUIRE(Json::parse(before).size() == 1);

    CHECK(gridgov_records_get_json(&out, ws.get(), inspector.get(), "R1", nullptr) ==
          GRIDGOV_EPERM);
    CHECK(contains(last_error(), "person 'N01' may not see resident.id_number of record 'R1'"));
    CHECK(contains(last_error(), "no duty of their posts covering"));
    CHECK(contains(last_error(), g1));
    CHECK(gridgov_records_list_json(&out, ws.get(), inspector.get(), nullptr) == GRIDGOV_EPERM);
    CHECK(gridgov_records_export_file(ws.get(), inspector.get(), dir.file("r.json").c_str(),
                                      GRIDGOV_FORMAT_AUTO, "unit") == GRIDGOV_EPERM);
    CHECK(contains(last_error(), "unit.contact_phone"));
    CHECK_FALSE(std::ifstream(dir.file("r.json")).good());
    CHECK(out == nullptr);
    CHECK(access_log(ws.get()) == before);

    // Masked, the inspector reads what the posts cover; a record with nothing sensitive
    // reads in clear without an entry.
    CHECK(keys(list(ws.get(), nullptr, person_reader("N01", 0).get())) == Keys{"R1", "U1", "R4"});
    CHECK(json_of(gridgov_records_get_json(&out, ws.get(), inspector.get(), "R4", nullptr), &out)
              .at("key") == "R4");
    CHECK(access_log(ws.get()) == before);
    CHECK(verify(ws.get()).at("intact") == true);
}

TEST_CASE("capi.records.the_system_reads_every_record_and_is_logged_by_purpose") {
    TempDir dir;
    const std::string path = dir.file("township.gridgov");
    {
        Workspace ws = staffed(path, "township_000");
        CHECK(keys(list(ws.get(), nullptr)) == Keys{"R1", "R2", "R3", "U1", "R4"});
        CHECK(Json::parse(access_log(ws.get())) == Json::array());
        const Reader backup = system_reader(1, "nightly backup");
        REQUIRE(gridgov_records_export_file(ws.get(), backup.get(), dir.file("all.json").c_str(),
                                            GRIDGOV_FORMAT_AUTO, nullptr) == GRIDGOV_OK);
        CHECK(contains(read_file(dir.file("all.json")), right_id));
        const Json log = Json::parse(access_log(ws.get()));
        CHECK(keys(log) == Keys{"R1", "R2", "R3", "U1"});
        for (const Json& e : log) {
            CHECK(e.at("reader") == "");
            CHECK(e.at("system") == true);
            CHECK(e.at("purpose") == "nightly backup");
            CHECK(e.at("read") == "export");
        }
    }
    // On a read-only workspace a read in clear cannot be logged, so it is refused.
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_READONLY) == GRIDGOV_OK);
    Workspace ro(raw);
    char* out = nullptr;
    CHECK(gridgov_records_get_json(&out, ro.get(), by_system(1), "R1", nullptr) == GRIDGOV_ESTATE);
    CHECK(out == nullptr);
    CHECK(get(ro.get(), "R1").at("fields").at("id_number") == "3713**********0023");
    CHECK(Json::parse(access_log(ro.get())).size() == 4);
    CHECK(verify(ro.get()).at("intact") == true);
}

// ---- 四实 collection checks -------------------------------------------------------------

namespace {

// The township with four rented houses — H1 and H2 in 青石村's first grid, H3 in its
// second, H4 in 东岭村 — and one resident living in each (R1 in H1 ... R4 in H4).
void houses(gridgov_workspace* ws) {
    Json all = Json::array();
    const std::pair<const char*, const char*> at[] = {
        {"H1", g1}, {"H2", g1}, {"H3", g2}, {"H4", d1}};
    int n = 0;
    for (const auto& [key, grid] : at) {
        ++n;
        all.push_back(Json{{"key", key},
                           {"kind", "house"},
                           {"node", grid},
                           {"fields",
                            {{"house_code", std::string(grid) + "000" + std::to_string(n)},
                             {"address", "青石路" + std::to_string(n) + "号"},
                             {"use", "出租"}}}});
        Json r = resident("R" + std::to_string(n), grid, "住户" + std::to_string(n), "流动人口");
        r["fields"]["house"] = key;
        all.push_back(r);
    }
    add(ws, all);
}

std::string resident_of(const std::string& house) {
    return "R" + house.substr(1);
}

Json draw_check(const gridgov_workspace* ws, const char* kind, const char* within, size_t count,
                uint64_t seed) {
    char* out = nullptr;
    return json_of(gridgov_records_draw_check_json(&out, ws, kind, within, count, seed), &out);
}

Json finding(const std::string& sampled, const std::string& record, const char* outcome,
             const char* note = "") {
    return Json{{"sampled", sampled}, {"record", record}, {"outcome", outcome}, {"note", note}};
}

Json check_round(const char* label, const char* date, const Json& draw, const Json& findings) {
    return Json{{"label", label},
                {"date", date},
                {"inspector", "督导员甲"},
                {"draw", draw},
                {"findings", findings}};
}

int record_check(gridgov_workspace* ws, const Json& round) {
    return gridgov_records_record_check_json(ws, round.dump().c_str());
}

std::string checks(const gridgov_workspace* ws) {
    char* out = nullptr;
    return text_of(gridgov_records_checks_json(&out, ws), &out);
}

Json rates(const gridgov_workspace* ws, const char* from = nullptr, const char* to = nullptr) {
    char* out = nullptr;
    return json_of(gridgov_records_check_rates_json(&out, ws, from, to), &out);
}

Json indicators(const gridgov_workspace* ws, const char* period) {
    char* out = nullptr;
    return json_of(gridgov_records_check_indicators_json(&out, ws, period), &out);
}

// The picked house of a draw in 青石村's first grid (H1 or H2).
std::string pick_in_g1(const Json& draw) {
    for (const Json& p : draw.at("picks")) {
        if (p == "H1" || p == "H2")
            return p.get<std::string>();
    }
    FAIL("no pick in the first grid: " << draw.dump());
    return "";
}

bool is_pick(const Json& draw, const std::string& key) {
    const Json& picks = draw.at("picks");
    return std::find(picks.begin(), picks.end(), Json(key)) != picks.end();
}

// The rates entry of a node in a month.
const Json& rate_of(const Json& all, const std::string& month, const std::string& node) {
    for (const Json& r : all) {
        if (r.at("month") == month && r.at("node") == node)
            return r;
    }
    FAIL("no rates of " << node << " in " << month << ": " << all.dump());
    return all;
}

}  // namespace

TEST_CASE("capi.records.a_check_draw_is_audited_and_stratified_by_grid") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    houses(ws.get());
    // Everywhere: the houses in key order, each grid a stratum, one pick per grid first.
    const Json drawn = draw_check(ws.get(), "house", nullptr, 3, 2024);
    CHECK(drawn.at("algorithm") == "splitmix64-fisher-yates-v1");
    CHECK(drawn.at("seed") == 2024);
    CHECK(drawn.at("candidates") == Json::array({"H1", "H2", "H3", "H4"}));
    CHECK(drawn.at("strata") == Json::array({g1, g1, g2, d1}));
    CHECK(drawn.at("count") == 3);
    REQUIRE(drawn.at("picks").size() == 3);
    CHECK(is_pick(drawn, "H3"));
    CHECK(is_pick(drawn, "H4"));
    CHECK(is_pick(drawn, "H1") != is_pick(drawn, "H2"));
    // The same seed draws the same; the record verifies through the assessment face.
    CHECK(draw_check(ws.get(), "house", "", 3, 2024) == drawn);
    int verified = 0;
    REQUIRE(gridgov_assessment_verify_draw(&verified, drawn.dump().c_str()) == GRIDGOV_OK);
    CHECK(verified == 1);
    // Within a village: its houses only.
    const Json in_village = draw_check(ws.get(), "house", village, 2, 7);
    CHECK(in_village.at("candidates") == Json::array({"H1", "H2", "H3"}));
    CHECK(is_pick(in_village, "H3"));
    // Residents are a kind too.
    CHECK(draw_check(ws.get(), "resident", d1, 1, 1).at("picks") == Json::array({"R4"}));

    char* out = nullptr;
    CHECK(gridgov_records_draw_check_json(&out, ws.get(), "dragon", nullptr, 1, 1) ==
          GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'dragon'"));
    CHECK(gridgov_records_draw_check_json(&out, ws.get(), "house", "371338102209009", 1, 1) ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error() == "within: unknown node '371338102209009'");
    CHECK(gridgov_records_draw_check_json(&out, ws.get(), "house", nullptr, 5, 1) ==
          GRIDGOV_EINVAL);
    CHECK(out == nullptr);
}

TEST_CASE("capi.records.check_rounds_give_rates_per_month_and_node_and_indicators" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = gridgov_test::store_location(dir, "checks.gridgov");
    Workspace ws = township(location);
    houses(ws.get());
    CHECK(checks(ws.get()) == "[]");
    CHECK(rates(ws.get()) == Json::array());

    // March: one house per grid. The resident at the first grid's house is right, the one
    // at H3 has a wrong phone, the one at H4 moved away and was not de-registered, and a
    // tenant at H4 was never collected.
    const Json march = draw_check(ws.get(), "house", nullptr, 3, 2024);
    const std::string h = pick_in_g1(march);
    const Json round1 = check_round(
        "2024-03 青石镇 督查", "2024-03-15", march,
        Json::array({finding(h, resident_of(h), "correct"), finding("H3", "R3", "wrong", "phone"),
                     finding("H4", "R4", "未注销"),
                     finding("H4", "", "not_collected", "租客王某")}));
    REQUIRE(record_check(ws.get(), round1) == GRIDGOV_OK);

    const Json stored = Json::parse(checks(ws.get()));
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].at("label") == "2024-03 青石镇 督查");
    CHECK(stored[0].at("date") == "2024-03-15");
    CHECK(stored[0].at("inspector") == "督导员甲");
    CHECK(stored[0].at("draw") == march);
    REQUIRE(stored[0].at("findings").size() == 4);
    CHECK(stored[0].at("findings")[0].at("node") == g1);
    CHECK(stored[0].at("findings")[1].at("node") == g2);
    CHECK(stored[0].at("findings")[2].at("outcome") == "not_deregistered");
    CHECK(stored[0].at("findings")[3].at("record") == "");
    CHECK(stored[0].at("findings")[3].at("node") == d1);
    CHECK(stored[0].at("findings")[3].at("note") == "租客王某");

    const Json after_march = rates(ws.get());
    // Every node with a drawn house in its subtree, in pre-order.
    Keys nodes;
    for (const Json& r : after_march) {
        CHECK(r.at("month") == "2024-03");
        nodes.push_back(r.at("node").get<std::string>());
    }
    CHECK(nodes == Keys{"371338", "371338102", village, g1, g2, "371338102202", d1});
    const Json& county = rate_of(after_march, "2024-03", "371338");
    CHECK(county.at("sampled") == 3);
    CHECK(county.at("checked") == 3);
    CHECK(county.at("correct") == 1);
    CHECK(county.at("not_collected") == 1);
    CHECK(county.at("not_deregistered") == 1);
    CHECK(county.at("wrong") == 1);
    // (checked - not_collected) / checked; correct / (correct + wrong).
    CHECK(county.at("collection_rate").get<double>() == doctest::Approx(200.0 / 3.0));
    CHECK(county.at("accuracy_rate").get<double>() == doctest::Approx(50.0));
    const Json& in_village = rate_of(after_march, "2024-03", village);
    CHECK(in_village.at("sampled") == 2);
    CHECK(in_village.at("checked") == 2);
    CHECK(in_village.at("collection_rate").get<double>() == doctest::Approx(100.0));
    CHECK(in_village.at("accuracy_rate").get<double>() == doctest::Approx(50.0));
    CHECK(rate_of(after_march, "2024-03", g2).at("accuracy_rate").get<double>() ==
          doctest::Approx(0.0));
    // At H4 nobody's record was checked: no accuracy; the one person found was missing.
    const Json& east = rate_of(after_march, "2024-03", d1);
    CHECK(east.at("checked") == 1);
    CHECK(east.at("collection_rate").get<double>() == doctest::Approx(0.0));
    CHECK(east.at("accuracy_rate").is_null());

    // April: the village only, every record right.
    const Json april = draw_check(ws.get(), "house", village, 2, 99);
    const std::string h2 = pick_in_g1(april);
    REQUIRE(record_check(ws.get(), check_round("2024-04 青石村 督查", "2024-04-10", april,
                                               Json::array({finding(h2, resident_of(h2), "准确"),
                                                            finding("H3", "R3", "correct")}))) ==
            GRIDGOV_OK);
    const Json both = rates(ws.get());
    CHECK(both.size() == 7 + 5);
    CHECK(both[7].at("month") == "2024-04");
    CHECK(both[7].at("node") == "371338");
    const Json& village_april = rate_of(both, "2024-04", village);
    CHECK(village_april.at("sampled") == 2);
    CHECK(village_april.at("correct") == 2);
    CHECK(village_april.at("collection_rate").get<double>() == doctest::Approx(100.0));
    CHECK(village_april.at("accuracy_rate").get<double>() == doctest::Approx(100.0));
    // Dates bound the rounds, either end open.
    CHECK(rates(ws.get(), "2024-04-01", nullptr).size() == 5);
    CHECK(rates(ws.get(), nullptr, "2024-03-31") == after_march);
    CHECK(rates(ws.get(), "2024-03-16", "2024-04-09") == Json::array());

    // The month's indicators: every live node, values as the assessment face writes them.
    const Json in_march = indicators(ws.get(), "2024-03");
    CHECK(in_march.size() == 7);
    const Json& grid = in_march.at(g1);
    CHECK(grid.at("info_sampled").at("value") == 1.0);
    CHECK(grid.at("info_sampled").at("sources") == Json::array({h}));
    CHECK(grid.at("info_collection_rate").at("value").get<double>() == doctest::Approx(100.0));
    CHECK(grid.at("info_collection_rate").at("reason") == "");
    const Json& ancestor = in_march.at("371338102");
    CHECK(ancestor.at("info_checked").at("value") == 3.0);
    CHECK(ancestor.at("info_not_collected").at("value") == 1.0);
    CHECK(ancestor.at("info_not_deregistered").at("value") == 1.0);
    CHECK(ancestor.at("info_wrong").at("value") == 1.0);
    CHECK(ancestor.at("info_collection_rate").at("value").get<double>() ==
          doctest::Approx(200.0 / 3.0));
    CHECK(ancestor.at("info_accuracy_rate").at("value").get<double>() == doctest::Approx(50.0));
    CHECK(ancestor.at("info_sampled").at("sources").size() == 3);
    CHECK(in_march.at(d1).at("info_accuracy_rate").at("value").is_null());
    CHECK(contains(in_march.at(d1).at("info_accuracy_rate").at("reason").get<std::string>(),
                   "no record was checked"));
    // 东岭村 was not checked in April: counts 0, rates null with the reason.
    const Json in_april = indicators(ws.get(), "2024-04");
    const Json& unchecked = in_april.at(d1);
    CHECK(unchecked.at("info_sampled").at("value") == 0.0);
    CHECK(unchecked.at("info_checked").at("value") == 0.0);
    CHECK(unchecked.at("info_collection_rate").at("value").is_null());
    CHECK(contains(unchecked.at("info_collection_rate").at("reason").get<std::string>(),
                   "nobody was checked"));
    CHECK(unchecked.at("info_accuracy_rate").at("value").is_null());
    CHECK(in_april.at(village).at("info_accuracy_rate").at("value") == 100.0);
    // A quarter adds its months.
    CHECK(indicators(ws.get(), "2024-Q2") == in_april);
    CHECK(indicators(ws.get(), "2024-Q1") == in_march);
    CHECK(indicators(ws.get(), "2024").at("371338").at("info_sampled").at("value") == 5.0);
    // The same values, ready for an assessment's extra values.
    gridgov_indicator_values* values = nullptr;
    REQUIRE(gridgov_indicator_values_create(&values) == GRIDGOV_OK);
    CHECK(gridgov_indicator_values_add_checks(values, ws.get(), village, "2024-03") == GRIDGOV_OK);
    char* values_text = nullptr;
    REQUIRE(gridgov_indicator_values_json(&values_text, values) == GRIDGOV_OK);
    CHECK(Json::parse(values_text) == in_march.at(village));
    gridgov_free(values_text);
    CHECK(gridgov_indicator_values_add_checks(values, ws.get(), "999", "2024-03") ==
          GRIDGOV_ENOTFOUND);
    CHECK(gridgov_indicator_values_add_checks(values, ws.get(), village, "March") ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_indicator_values_add_checks(values, nullptr, village, "2024-03") ==
          GRIDGOV_EINVAL);
    gridgov_indicator_values_destroy(values);

    // Kept in the file: a second handle reads the same rounds.
    const std::string all = checks(ws.get());
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, location.c_str(), 0) == GRIDGOV_OK);
    Workspace second(raw);
    CHECK(checks(second.get()) == all);
    CHECK(rates(second.get()) == both);
}

TEST_CASE("capi.records.refused_check_rounds_name_the_finding_and_change_nothing") {
    TempDir dir;
    const std::string path = dir.file("checks.gridgov");
    Workspace ws = township(path);
    houses(ws.get());
    const Json drawn = draw_check(ws.get(), "house", nullptr, 3, 2024);
    const std::string h = pick_in_g1(drawn);
    const std::string not_drawn = h == "H1" ? "H2" : "H1";
    const Json round = check_round(
        "2024-03 督查", "2024-03-15", drawn,
        Json::array({finding(h, resident_of(h), "correct"), finding("H3", "R3", "wrong", "phone"),
                     finding("H4", "", "not_collected")}));
    REQUIRE(record_check(ws.get(), round) == GRIDGOV_OK);
    const std::string before = checks(ws.get());
    const Json rates_before = rates(ws.get());
    Json bad = round;
    bad["label"] = "another";

    SUBCASE("a label that is taken") {
        CHECK(record_check(ws.get(), round) == GRIDGOV_EEXISTS);
        CHECK(contains(last_error(), "'2024-03 督查' is taken"));
    }
    SUBCASE("a finding at a record the draw did not pick") {
        bad["findings"][1]["sampled"] = not_drawn;
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(),
                       "findings[1] field 'sampled': '" + not_drawn + "' was not drawn"));
    }
    SUBCASE("a draw whose picks were edited") {
        Json& picks = bad["draw"]["picks"];
        for (Json& p : picks) {
            if (p == h)
                p = not_drawn;
        }
        bad["findings"][0] = finding(not_drawn, resident_of(not_drawn), "correct");
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "field 'draw'"));
    }
    SUBCASE("a finding without its record, and a missing person with one") {
        bad["findings"][1]["record"] = "";
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "findings[1] field 'record': missing"));
        bad = round;
        bad["label"] = "another";
        bad["findings"][2]["record"] = "R4";
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "findings[2] field 'record'"));
    }
    SUBCASE("an unknown record, and a record found twice") {
        bad["findings"][1]["record"] = "R9";
        CHECK(record_check(ws.get(), bad) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "findings[1] field 'record': no record 'R9'"));
        bad["findings"][1]["record"] = resident_of(h);
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EEXISTS);
        CHECK(contains(last_error(), "found twice"));
    }
    SUBCASE("malformed rounds") {
        CHECK(gridgov_records_record_check_json(ws.get(), "{\"label\": ") == GRIDGOV_EPARSE);
        CHECK(contains(last_error(), "round_json"));
        bad["findings"][0]["outcome"] = "maybe";
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "findings[0]"));
        CHECK(contains(last_error(), "'maybe'"));
        bad = round;
        bad["label"] = "another";
        bad.erase("draw");
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "field 'draw'"));
        bad = round;
        bad["label"] = "";
        CHECK(record_check(ws.get(), bad) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "'label'"));
    }
    SUBCASE("a read-only workspace") {
        gridgov_workspace* raw = nullptr;
        REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_READONLY) == GRIDGOV_OK);
        Workspace ro(raw);
        CHECK(record_check(ro.get(), bad) == GRIDGOV_ESTATE);
        CHECK(checks(ro.get()) == before);
    }
    CHECK(checks(ws.get()) == before);
    CHECK(rates(ws.get()) == rates_before);
}

TEST_CASE("capi.records.check_dates_and_periods_are_einval_naming_the_parameter") {
    TempDir dir;
    Workspace ws = township(dir.file("township.gridgov"));
    char* out = nullptr;
    CHECK(gridgov_records_check_rates_json(&out, ws.get(), "2024-02-30", nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "from: "));
    CHECK(gridgov_records_check_rates_json(&out, ws.get(), nullptr, "March") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "to: "));
    CHECK(gridgov_records_check_indicators_json(&out, ws.get(), "2024-13") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "period: "));
    CHECK(gridgov_records_check_indicators_json(&out, ws.get(), "March") == GRIDGOV_EINVAL);
    CHECK(last_error() == "period: period 'March' is not YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn");
    CHECK(out == nullptr);
    // With no rounds every live node is present, unchecked.
    const Json none = indicators(ws.get(), "2024-03");
    CHECK(none.size() == 7);
    CHECK(none.at("371338").at("info_collection_rate").at("value").is_null());
}

TEST_CASE("capi.records.reads_through_overlay_posts_and_officer_loads") {
    TempDir dir;
    Workspace ws = township(dir.file("market.gridgov"));
    REQUIRE(gridgov_overlay_add(ws.get(), "market", "工商段区", "market_supervision") ==
            GRIDGOV_OK);
    add_overlay_unit(ws.get(), "market", "D01", nullptr, "section", village, "青石段区");
    REQUIRE(gridgov_directory_set_catalogue_json(ws.get(), R"({"key": "market", "name": "段区",
        "duties": [{"code": "market_patrol", "zh": "段区巡查"}],
        "roles": [{"code": "section_officer", "zh": "段管员", "level": "section",
                   "overlay": "market", "duties": ["market_patrol"]}]})",
                                                 "market.json") == GRIDGOV_OK);
    add_person(ws.get(), "M1", "黄志强");
    assign(ws.get(), "M1", "section_officer", "market:D01");
    const auto shop = [](const char* key, const char* node) {
        return Json{{"key", key},
                    {"kind", "unit"},
                    {"node", node},
                    {"overlays", Json::array({{{"overlay", "market"}, {"unit", "D01"}}})},
                    {"fields", {{"name", key}, {"unit_kind", "个体工商户"}}}};
    };
    add(ws.get(), Json::array({shop("S1", g1), shop("S2", d1), resident("R1", g1, "李四")}));

    // The officer reads the shops of their 段区, wherever their grid; not the resident.
    const Reader m1 = person_reader("M1", 0);
    char* out = nullptr;
    const Json listed = json_of(gridgov_records_list_json(&out, ws.get(), m1.get(), nullptr), &out);
    CHECK(keys(listed) == Keys{"S1", "S2"});

    char* findings = nullptr;
    const Json none = json_of(gridgov_records_validate_policy_json(
                                  &findings, ws.get(), "2024-06-01", "market_supervision_002"),
                              &findings);
    CHECK(none.empty());
    const Json over = json_of(
        gridgov_records_validate_policy_json(
            &findings, ws.get(), "2024-06-01",
            R"({"officer_loads": [{"overlay": "market", "kind": "unit", "per_officer": 1}]})"),
        &findings);
    REQUIRE(over.size() == 1);
    CHECK(over[0].at("rule") == "records.officer_load");
    CHECK(over[0].at("where") == "M1");
    CHECK(gridgov_records_validate_policy_json(&findings, ws.get(), "2024-06-01",
                                               R"({"officer_loads": [{"overlay": "fire"}]})") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "policy officer_loads[0]"));
    CHECK(gridgov_records_validate_policy_json(
              &findings, ws.get(), "2024-06-01",
              R"({"officer_loads": [{"overlay": "fire", "kind": "unit"}]})") == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_records_validate_policy_json(&findings, ws.get(), "2024-06-01", nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(findings == nullptr);
}
