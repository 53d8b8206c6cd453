// C ABI contract of the directory, on the seed-000 township: 青石镇 over 青石村 (three base
// grids of about 150 households) and 东岭村 (two), a 网格信息员 per grid on post A and the
// neighbouring grid's officer on post B. Sees only gridgov.h; files live in a temp folder.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

namespace fs = std::filesystem;

const char* const township_csv =
    "code,parent_code,level,name,households,population\n"
    "371338,,county,苇川县,,\n"
    "371338102,371338,township,青石镇,,\n"
    "371338102201,371338102,village,青石村,,\n"
    "371338102202,371338102,village,东岭村,,\n"
    "371338102201001,371338102201,grid,青石村第一网格,148,444\n"
    "371338102201002,371338102201,grid,青石村第二网格,152,456\n"
    "371338102201003,371338102201,grid,青石村第三网格,155,465\n"
    "371338102202001,371338102202,grid,东岭村第一网格,161,483\n"
    "371338102202002,371338102202,grid,东岭村第二网格,139,417\n";

const char* const g1 = "371338102201001";
const char* const g2 = "371338102201002";
const char* const d2 = "371338102202002";

int add_person(gridgov_workspace* ws, const char* id, const char* name, const char* phone,
               const char* id_number = nullptr) {
    gridgov_person_spec spec;
    REQUIRE(gridgov_person_spec_init(&spec, GRIDGOV_PERSON_SPEC_VERSION) == GRIDGOV_OK);
    spec.id = id;
    spec.name = name;
    spec.phone = phone;
    spec.id_number = id_number;
    return gridgov_directory_add_person(ws, &spec);
}

uint64_t assign(gridgov_workspace* ws, const char* person, const char* role, const char* node,
                int post = GRIDGOV_POST_A) {
    uint64_t id = 0;
    const int rc =
        gridgov_directory_add_assignment(&id, ws, person, role, node, post, "2023-08-24", nullptr);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return id;
}

// The township staffed as in the C++ suite, in a workspace at `path`.
Workspace township(const std::string& path = ":memory:") {
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_CREATE) == GRIDGOV_OK);
    Workspace ws(raw);
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    REQUIRE(gridgov_hierarchy_import_text(&added, &findings, ws.get(), township_csv,
                                          GRIDGOV_FORMAT_CSV, "township.csv",
                                          nullptr) == GRIDGOV_OK);
    gridgov_findings_destroy(findings);
    REQUIRE(added == 9);
    REQUIRE(gridgov_directory_use_preset(ws.get(), "township_000") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "T01", "王建国", "13805431001", "371338197503121237") ==
            GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "V01", "张秀英", "13905432002") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "V02", "刘洋", "13705433003") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "C01", "陈刚", "13605434004") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "I01", "赵大山", "13805435005") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "I02", "孙丽", "13805436006") == GRIDGOV_OK);
    assign(ws.get(), "T01", "township_grid_leader", "371338102");
    assign(ws.get(), "V01", "village_grid_leader", "371338102201");
    assign(ws.get(), "V02", "village_grid_leader", "371338102202");
    assign(ws.get(), "C01", "grid_instructor", "371338102201");
    assign(ws.get(), "I01", "grid_information_officer", g1);
    assign(ws.get(), "I02", "grid_information_officer", g2);
    assign(ws.get(), "I02", "grid_information_officer", g1, GRIDGOV_POST_B);
    return ws;
}

std::string responsible(const gridgov_workspace* ws, const char* node, const char* code,
                        const char* date) {
    char* person = nullptr;
    const int rc = gridgov_directory_responsible(&person, ws, node, code, date);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    const Text owned(person);
    return person == nullptr ? std::string("nobody") : std::string(person);
}

}  // namespace

TEST_CASE("capi.directory.presets_and_catalogue") {
    char* keys = nullptr;
    const std::string list = text_of(gridgov_directory_preset_keys(&keys), &keys);
    CHECK(list == "township_000\ncommunity_001\ndistrict_002\ncounty_seat_003\n");
    Workspace ws = township();
    char* json = nullptr;
    const std::string catalogue = text_of(gridgov_directory_catalogue_json(&json, ws.get()), &json);
    CHECK(contains(catalogue, "\"key\": \"township_000\""));
    CHECK(contains(catalogue, "网格信息员"));
    CHECK(gridgov_directory_use_preset(ws.get(), "nowhere") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'nowhere'"));
    SUBCASE("a catalogue that drops a role in use is refused") {
        const char* local =
            R"({"key":"local","duties":[],"roles":[{"code":"w","zh":"网格员","level":"grid"}]})";
        CHECK(gridgov_directory_set_catalogue_json(ws.get(), local, "local.json") ==
              GRIDGOV_ESTATE);
        CHECK(contains(last_error(), "lacks role"));
        CHECK(gridgov_directory_set_catalogue_json(ws.get(), "{", "broken.json") == GRIDGOV_EPARSE);
        CHECK(contains(last_error(), "broken.json"));
    }
}

TEST_CASE("capi.directory.null_arguments_are_einval_naming_them") {
    Workspace ws = township();
    char* out = nullptr;
    CHECK(gridgov_directory_responsible(nullptr, ws.get(), g1, "public_opinion", "2024-03-01") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "out_person"));
    CHECK(gridgov_directory_responsible(&out, ws.get(), g1, nullptr, "2024-03-01") ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "'code'"));
    CHECK(gridgov_directory_responsible(&out, ws.get(), g1, "public_opinion", nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "'date'"));
    CHECK(gridgov_directory_add_person(ws.get(), nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_person_spec_init(nullptr, GRIDGOV_PERSON_SPEC_VERSION) == GRIDGOV_EINVAL);
    gridgov_person_spec spec;
    CHECK(gridgov_person_spec_init(&spec, 99) == GRIDGOV_EINVAL);
    CHECK(out == nullptr);
}

TEST_CASE("capi.directory.responsible.falls_back_to_b_when_a_on_leave") {
    Workspace ws = township();
    CHECK(responsible(ws.get(), g1, "public_opinion", "2024-03-01") == "I01");
    uint64_t absence = 0;
    REQUIRE(gridgov_directory_add_absence(&absence, ws.get(), "I01", GRIDGOV_ABSENCE_LEAVE,
                                          "2024-02-26", "2024-03-11", 0, "病假") == GRIDGOV_OK);
    CHECK(absence == 1);
    CHECK(responsible(ws.get(), g1, "public_opinion", "2024-03-01") == "I02");
    CHECK(responsible(ws.get(), g1, "public_opinion", "2024-03-11") == "I01");
    char* json = nullptr;
    const std::string why = text_of(
        gridgov_directory_explain(&json, ws.get(), g1, "public_opinion", "2024-03-01"), &json);
    CHECK(contains(why, "\"outcome\":\"absent\""));
    CHECK(contains(why, "\"absence_kind\":\"leave\""));
    CHECK(contains(why, "\"post\":\"B\""));
    SUBCASE("ending the leave early") {
        REQUIRE(gridgov_directory_end_absence(ws.get(), absence, "2024-02-28") == GRIDGOV_OK);
        CHECK(responsible(ws.get(), g1, "public_opinion", "2024-03-01") == "I01");
    }
}

TEST_CASE("capi.directory.responsible.walks_up_and_reports_nobody") {
    Workspace ws = township();
    CHECK(responsible(ws.get(), d2, "social_management", "2024-03-01") == "V02");
    CHECK(responsible(ws.get(), g1, "public_opinion", "2023-01-01") == "nobody");
    char* json = nullptr;
    const std::string leader =
        text_of(gridgov_directory_responsible_function(&json, ws.get(), g2,
                                                       GRIDGOV_ROLE_GRID_LEADER, "2024-03-01"),
                &json);
    CHECK(contains(leader, "\"person\":\"V01\""));
    CHECK(contains(leader, "\"node\":\"371338102201\""));
    char* person = nullptr;
    CHECK(gridgov_directory_responsible(&person, ws.get(), g1, "dancing", "2024-03-01") ==
          GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "'dancing'"));
    CHECK(gridgov_directory_responsible(&person, ws.get(), "999", "public_opinion", "2024-03-01") ==
          GRIDGOV_ENOTFOUND);
    CHECK(gridgov_directory_responsible(&person, ws.get(), g1, "public_opinion", "2024-02-30") ==
          GRIDGOV_EINVAL);
}

TEST_CASE("capi.directory.changes_are_refused_whole_with_clear_errors") {
    Workspace ws = township();
    uint64_t id = 0;
    CHECK(gridgov_directory_add_assignment(&id, ws.get(), "I01", "grid_information_officer", g2,
                                           GRIDGOV_POST_A, "2024-01-01",
                                           nullptr) == GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "has exactly one post-A holder at node '371338102201002'"));
    CHECK(gridgov_directory_add_assignment(&id, ws.get(), "I01", "grid_information_officer", d2,
                                           GRIDGOV_POST_A, "2024-01-01",
                                           "2023-01-01") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "field 'to'"));
    CHECK(gridgov_directory_add_assignment(&id, ws.get(), "X9", "grid_information_officer", d2,
                                           GRIDGOV_POST_A, "2024-01-01",
                                           nullptr) == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_directory_add_assignment(&id, ws.get(), "I01", "grid_information_officer", d2, 7,
                                           "2024-01-01", nullptr) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "post"));
    CHECK(id == 0);
    CHECK(add_person(ws.get(), "P9", "钱多多", "", "371338197503121238") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "person 'P9' field 'id_number'"));
    size_t people = 0;
    REQUIRE(gridgov_directory_person_count(&people, ws.get()) == GRIDGOV_OK);
    CHECK(people == 6);
    SUBCASE("ending closes the period and keeps history") {
        char* json = nullptr;
        const std::string roster =
            text_of(gridgov_directory_roster_json(&json, ws.get(), g2, "2024-03-01", 0), &json);
        CHECK(contains(roster, "\"assignment\":6"));
        REQUIRE(gridgov_directory_end_assignment(ws.get(), 6, "2024-04-01") == GRIDGOV_OK);
        CHECK(responsible(ws.get(), g2, "grid_information_officer", "2024-04-01") == "nobody");
        CHECK(gridgov_directory_end_assignment(ws.get(), 6, "2024-05-01") == GRIDGOV_ESTATE);
        CHECK(gridgov_directory_end_assignment(ws.get(), 99, "2024-05-01") == GRIDGOV_ENOTFOUND);
    }
}

TEST_CASE("capi.directory.listings_mask_phones_and_id_numbers_unless_revealed") {
    Workspace ws = township();
    char* json = nullptr;
    const std::string masked =
        text_of(gridgov_directory_person_json(&json, ws.get(), "T01", 0), &json);
    CHECK(contains(masked, "\"phone\":\"138****1001\""));
    CHECK(contains(masked, "\"id_number\":\"3713**********1237\""));
    const std::string open =
        text_of(gridgov_directory_person_json(&json, ws.get(), "T01", 1), &json);
    CHECK(contains(open, "\"id_number\":\"371338197503121237\""));
    const std::string roster =
        text_of(gridgov_directory_roster_json(&json, ws.get(), g1, "2024-03-01", 0), &json);
    CHECK(contains(roster, "138****5005"));
    CHECK_FALSE(contains(roster, "13805435005"));
    const std::string posts =
        text_of(gridgov_directory_posts_json(&json, ws.get(), "I02", "2024-03-01", 1), &json);
    CHECK(contains(posts, "13805436006"));
    CHECK(contains(posts, "\"post\":\"B\""));
    CHECK(gridgov_directory_person_json(&json, ws.get(), "T01", 2) == GRIDGOV_EINVAL);
    const std::string table = text_of(
        gridgov_directory_export_text(&json, ws.get(), GRIDGOV_FORMAT_CSV, GRIDGOV_TABLE_PEOPLE, 0),
        &json);
    CHECK(contains(table, "3713**********1237"));
    CHECK_FALSE(contains(table, "371338197503121237"));
}

TEST_CASE("capi.directory.chart_casbin_workload") {
    Workspace ws = township();
    char* out = nullptr;
    const std::string html =
        text_of(gridgov_directory_chart(&out, ws.get(), "2024-03-01", GRIDGOV_FORMAT_HTML, 0,
                                        "371338102201"),
                &out);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(contains(html, "青石村第一网格"));
    CHECK_FALSE(contains(html, "东岭村"));
    CHECK(contains(html, "138****5005"));
    const std::string csv = text_of(
        gridgov_directory_chart(&out, ws.get(), "2024-03-01", GRIDGOV_FORMAT_CSV, 1, nullptr),
        &out);
    CHECK(contains(csv, "13805435005"));
    CHECK(gridgov_directory_chart(&out, ws.get(), "2024-03-01", GRIDGOV_FORMAT_GEOJSON, 0,
                                  nullptr) == GRIDGOV_EINVAL);
    const std::string casbin =
        text_of(gridgov_directory_casbin(&out, ws.get(), "2024-03-01"), &out);
    CHECK(contains(casbin, "g, I02, grid_information_officer, 371338102201001\n"));
    const std::string workload =
        text_of(gridgov_directory_workload_json(&out, ws.get(), "2024-03-01", nullptr), &out);
    CHECK(contains(
        workload,
        R"({"person":"V01","name":"张秀英","primary_posts":1,"backup_posts":0,"grids":3,"households":455.0,"population":1365.0})"));
}

TEST_CASE("capi.directory.compliance_findings") {
    Workspace ws = township();
    gridgov_findings* raw = nullptr;
    REQUIRE(gridgov_directory_compliance(&raw, ws.get(), "2024-03-01", nullptr, nullptr) ==
            GRIDGOV_OK);
    Findings all(raw);
    size_t count = 0;
    REQUIRE(gridgov_findings_count(&count, all.get()) == GRIDGOV_OK);
    bool d2_has_no_worker = false;
    for (size_t i = 0; i < count; ++i) {
        const char* rule = nullptr;
        const char* where = nullptr;
        REQUIRE(gridgov_findings_rule(&rule, all.get(), i) == GRIDGOV_OK);
        REQUIRE(gridgov_findings_where(&where, all.get(), i) == GRIDGOV_OK);
        if (std::string(rule) == "directory.primary_worker" && std::string(where) == d2) {
            d2_has_no_worker = true;
        }
    }
    CHECK(d2_has_no_worker);
    gridgov_compliance_options options;
    REQUIRE(gridgov_compliance_options_init(&options, GRIDGOV_COMPLIANCE_OPTIONS_VERSION) ==
            GRIDGOV_OK);
    CHECK(options.max_primary_grids == 1);
    options.five_ones = 0;
    options.cardinality = 0;
    options.primary_worker = 0;
    REQUIRE(gridgov_directory_compliance(&raw, ws.get(), "2024-03-01", g1, &options) == GRIDGOV_OK);
    Findings scoped(raw);
    REQUIRE(gridgov_findings_count(&count, scoped.get()) == GRIDGOV_OK);
    CHECK(count == 0);
    options.version = 7;
    CHECK(gridgov_directory_compliance(&raw, ws.get(), "2024-03-01", nullptr, &options) ==
          GRIDGOV_EINVAL);
}

TEST_CASE("capi.directory.import_names_file_row_field_and_imports_nothing") {
    TempDir dir;
    Workspace ws = township();
    {
        std::ofstream(dir.file("people.csv")) << "id,name,id_number\n"
                                                 "P1,李四,11010519491231002X\n"
                                                 "P2,王五,110105194912310021\n";
    }
    gridgov_directory_import_report report{};
    CHECK(gridgov_directory_import_file(&report, ws.get(), dir.file("people.csv").c_str(),
                                        GRIDGOV_TABLE_AUTO) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "people.csv row 3 (person 'P2') field 'id_number'"));
    size_t people = 0;
    REQUIRE(gridgov_directory_person_count(&people, ws.get()) == GRIDGOV_OK);
    CHECK(people == 6);
    {
        std::ofstream(dir.file("qingshi_people.csv")) << "id,name,phone,五老\n"
                                                         "P1,李四,13800000001,老教师\n";
        std::ofstream(dir.file("qingshi_assignments.csv"))
            << "person,role,node,post,from,to\n"
               "P1,grid_information_officer,371338102202002,A,2024-01-01,\n";
    }
    REQUIRE(gridgov_directory_import_file(&report, ws.get(), dir.file("qingshi_people.csv").c_str(),
                                          GRIDGOV_TABLE_AUTO) == GRIDGOV_OK);
    CHECK(report.people == 1);
    REQUIRE(gridgov_directory_import_file(&report, ws.get(),
                                          dir.file("qingshi_assignments.csv").c_str(),
                                          GRIDGOV_TABLE_AUTO) == GRIDGOV_OK);
    CHECK(report.assignments == 1);
    CHECK(responsible(ws.get(), d2, "grid_information_officer", "2024-03-01") == "P1");
    const char* absences =
        R"({"absences":[{"person":"P1","from":"2024-03-01","to":"2024-03-04"}]})";
    REQUIRE(gridgov_directory_import_text(&report, ws.get(), absences, GRIDGOV_FORMAT_AUTO,
                                          GRIDGOV_TABLE_AUTO, "leave.json") == GRIDGOV_OK);
    CHECK(report.absences == 1);
    CHECK(responsible(ws.get(), d2, "public_opinion", "2024-03-02") == "V02");
    CHECK(gridgov_directory_import_text(&report, ws.get(), "person,from\nP1,2024-01-01\n",
                                        GRIDGOV_FORMAT_CSV, GRIDGOV_TABLE_AUTO,
                                        "x.csv") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "a CSV file holds one table"));
}

TEST_CASE("capi.directory.text_that_is_not_utf8_or_holds_controls_is_refused") {
    TempDir dir;
    Workspace ws = township();
    {
        // A NUL inside a name would come back cut at the NUL and be written raw to CSV.
        std::ofstream out(dir.file("people.csv"), std::ios::binary);
        const char text[] = "id,name\nP1,李\0四\n";
        out.write(text, sizeof text - 1);
        std::ofstream(dir.file("gbk_people.csv"), std::ios::binary) << "id,name\nP2,\xC0\xEE\n";
    }
    gridgov_directory_import_report report{};
    CHECK(gridgov_directory_import_file(&report, ws.get(), dir.file("people.csv").c_str(),
                                        GRIDGOV_TABLE_AUTO) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(),
                   "people.csv row 2 (person 'P1') field 'name': control character "
                   "U+0000"));
    CHECK(gridgov_directory_import_file(&report, ws.get(), dir.file("gbk_people.csv").c_str(),
                                        GRIDGOV_TABLE_PEOPLE) == GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "gbk_people.csv row 2 field 'name': not UTF-8 text"));
    // Strings handed to the C ABI are checked as well, naming the field.
    CHECK(add_person(ws.get(), "P3", "王\x01五", "") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "person 'P3' field 'name': control character U+0001"));
    CHECK(add_person(ws.get(), "P3", "王五", "138\xFF") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "person 'P3' field 'phone': not UTF-8 text"));
    size_t people = 0;
    REQUIRE(gridgov_directory_person_count(&people, ws.get()) == GRIDGOV_OK);
    CHECK(people == 6);
    char* csv = nullptr;
    const std::string exported = text_of(
        gridgov_directory_export_text(&csv, ws.get(), GRIDGOV_FORMAT_CSV, GRIDGOV_TABLE_PEOPLE, 1),
        &csv);
    CHECK(exported.find("P1,") == std::string::npos);
    CHECK(exported.find("P3,") == std::string::npos);
}

TEST_CASE("capi.directory.persists_in_the_workspace_file") {
    TempDir dir;
    const std::string path = dir.file("township.gridgov");
    {
        Workspace ws = township(path);
        uint64_t absence = 0;
        REQUIRE(gridgov_directory_add_absence(&absence, ws.get(), "I01", GRIDGOV_ABSENCE_VACANCY,
                                              "2024-03-01", nullptr, 5, "借调") == GRIDGOV_OK);
        const char* members[] = {"I01", "V01"};
        REQUIRE(gridgov_directory_add_unit(ws.get(), "PG1", GRIDGOV_UNIT_PARTY_GROUP, "第一党小组",
                                           g1, "2023-08-24", nullptr, 2, members) == GRIDGOV_OK);
        REQUIRE(gridgov_directory_end_unit(ws.get(), "PG1", "2025-01-01") == GRIDGOV_OK);
    }
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), 0) == GRIDGOV_OK);
    Workspace again(raw);
    CHECK(responsible(again.get(), g1, "public_opinion", "2024-03-01") == "I02");
    CHECK(responsible(again.get(), g1, "public_opinion", "2024-02-29") == "I01");
    char* json = nullptr;
    const std::string exported =
        text_of(gridgov_directory_export_text(&json, again.get(), GRIDGOV_FORMAT_JSON,
                                              GRIDGOV_TABLE_AUTO, 1),
                &json);
    CHECK(contains(exported, "\"to\": \"2025-01-01\""));
    CHECK(contains(exported, "\"kind\": \"vacancy\""));
    CHECK(contains(exported, "371338197503121237"));
}

TEST_CASE("capi.directory.read_only_workspace_refuses_changes") {
    TempDir dir;
    const std::string path = dir.file("ro.gridgov");
    township(path);
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, path.c_str(), GRIDGOV_OPEN_READONLY) == GRIDGOV_OK);
    Workspace ro(raw);
    CHECK(add_person(ro.get(), "N1", "新人", "") == GRIDGOV_ESTATE);
    CHECK(responsible(ro.get(), g2, "public_opinion", "2024-03-01") == "I02");
}

TEST_CASE("capi.directory.posts_on_overlay_units") {
    // Seed 002 第一篇: 段区 of a market overlay, the adjacent officers each other's post B.
    Workspace ws = township();
    REQUIRE(gridgov_overlay_add(ws.get(), "market", "工商段区", "market_supervision") ==
            GRIDGOV_OK);
    const auto section = [&](const char* code, const char* grid) {
        gridgov_overlay_unit_spec spec;
        REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) ==
                GRIDGOV_OK);
        spec.code = code;
        spec.name = code;
        spec.level = "section";
        spec.grid_count = 1;
        spec.grid_codes = &grid;
        gridgov_node_id id = 0;
        INFO(last_error());
        REQUIRE(gridgov_overlay_add_unit(&id, ws.get(), "market", &spec) == GRIDGOV_OK);
    };
    section("D01", "371338102201");
    section("D02", "371338102202");
    char* json = nullptr;
    std::string catalogue = text_of(gridgov_directory_catalogue_json(&json, ws.get()), &json);
    const std::string role =
        R"({"code": "section_officer", "zh": "段管员", "level": "section", "overlay": "market",
            "cardinality": "exactly_one", "duties": ["public_opinion"]},)";
    catalogue.insert(catalogue.find("\"roles\": [") + 10, role);
    INFO(last_error());
    REQUIRE(gridgov_directory_set_catalogue_json(ws.get(), catalogue.c_str(), "market.json") ==
            GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "M01", "黄志强", "13902001001") == GRIDGOV_OK);
    REQUIRE(add_person(ws.get(), "M02", "梁慧敏", "13902001002") == GRIDGOV_OK);
    assign(ws.get(), "M01", "section_officer", "market:D01");
    assign(ws.get(), "M02", "section_officer", "D02");  // the bare code, in the role's overlay
    assign(ws.get(), "M02", "section_officer", "market:D01", GRIDGOV_POST_B);

    char* person = nullptr;
    CHECK(text_of(gridgov_directory_responsible(&person, ws.get(), "market:D01", "section_officer",
                                                "2024-03-01"),
                  &person) == "M01");
    // From a grid of 东岭村, through the 段区 mapped to the village.
    CHECK(text_of(
              gridgov_directory_responsible(&person, ws.get(), d2, "section_officer", "2024-03-01"),
              &person) == "M02");
    uint64_t leave = 0;
    REQUIRE(gridgov_directory_add_absence(&leave, ws.get(), "M01", GRIDGOV_ABSENCE_LEAVE,
                                          "2024-02-26", "2024-03-11", 0, "年休假") == GRIDGOV_OK);
    const std::string why = text_of(
        gridgov_directory_explain(&json, ws.get(), "market:D01", "section_officer", "2024-03-01"),
        &json);
    CHECK(contains(why, R"("person":"M02")"));
    CHECK(contains(why, R"("node":"market:D01")"));
    const std::string roster = text_of(
        gridgov_directory_roster_json(&json, ws.get(), "market:D01", "2024-03-01", 0), &json);
    CHECK(contains(roster, R"("node":"market:D01")"));
    CHECK(contains(roster, R"("post":"B")"));
    CHECK(contains(text_of(gridgov_directory_casbin(&json, ws.get(), "2024-03-01"), &json),
                   "g, M02, section_officer, market:D02"));

    // Unknown units are refused naming the parameter; nothing is added.
    uint64_t id = 0;
    CHECK(gridgov_directory_add_assignment(&id, ws.get(), "M01", "section_officer", "market:D09",
                                           GRIDGOV_POST_A, "2024-01-01",
                                           nullptr) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "node_code"));
    CHECK(contains(last_error(), "D09"));
    CHECK(gridgov_directory_roster_json(&json, ws.get(), "market:D09", "2024-03-01", 0) ==
          GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "node_code"));
}
