// C ABI contract of assessment: schemes, indicator values, scores, ranking, draws, and the
// workspace's activity records, stored scores, draws and notice. Sees only gridgov.h.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

Scheme preset(const char* key) {
    gridgov_assessment_scheme* s = nullptr;
    const int status = gridgov_assessment_scheme_preset(&s, nullptr, key);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Scheme(s);
}

// The four rates of the urban_supervisor preset.
Score supervisor_score(const gridgov_assessment_scheme* scheme, const char* code, double valid,
                       double missed, double verify, double check) {
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    Values values(v);
    REQUIRE(gridgov_indicator_values_set(v, "valid_report_rate", valid) == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_add_source(v, "valid_report_rate", "C-1") == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_set(v, "missed_rate", missed) == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_set(v, "on_time_verify_rate", verify) == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_set(v, "on_time_check_rate", check) == GRIDGOV_OK);
    gridgov_score* s = nullptr;
    const int status = gridgov_assessment_score(&s, scheme, code, "worker", nullptr, "2026-03", v);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Score(s);
}

std::string take(char* text) {
    Text owned(text);
    return text != nullptr ? std::string(text) : std::string();
}

Workspace open_ws(const std::string& path) {
    gridgov_workspace* ws = nullptr;
    const int status = gridgov_workspace_open(&ws, path.c_str(), GRIDGOV_OPEN_CREATE);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Workspace(ws);
}

// A new workspace file holding tests/data/township.json (16 nodes).
Workspace township_ws(const std::string& path) {
    Workspace ws = open_ws(path);
    size_t nodes = 0;
    gridgov_findings* findings = nullptr;
    const std::string township = std::string(GRIDGOV_TEST_DATA) + "/township.json";
    REQUIRE(gridgov_hierarchy_import_file(&nodes, &findings, ws.get(), township.c_str(),
                                          GRIDGOV_FORMAT_AUTO, nullptr) == GRIDGOV_OK);
    Findings findings_owned(findings);
    REQUIRE(nodes == 16);
    return ws;
}

const char* spec_33 =
    R"({"seed": 20260301, "count": 11, "candidates": ["G01","G02","G03","G04","G05","G06",
    "G07","G08","G09","G10","G11","G12","G13","G14","G15","G16","G17","G18","G19","G20","G21",
    "G22","G23","G24","G25","G26","G27","G28","G29","G30","G31","G32","G33"]})";

}  // namespace

TEST_CASE("capi assessment: schemes from presets and JSON, with findings") {
    Scheme s = preset("urban_supervisor");
    const char* key = nullptr;
    REQUIRE(gridgov_assessment_scheme_key(&key, s.get()) == GRIDGOV_OK);
    CHECK(std::string(key) == "urban_supervisor");
    const char* label = nullptr;
    REQUIRE(gridgov_assessment_scheme_label(&label, s.get()) == GRIDGOV_OK);
    CHECK(std::string(label) == "数字城管监督员综合指标");

    gridgov_assessment_scheme* missing = nullptr;
    CHECK(gridgov_assessment_scheme_preset(&missing, nullptr, "nope") == GRIDGOV_ENOTFOUND);
    CHECK(missing == nullptr);
    CHECK(gridgov_assessment_scheme_preset(nullptr, nullptr, "grid_worker") == GRIDGOV_EINVAL);
    CHECK(last_error().find("'out'") != std::string::npos);

    // A scheme with an unused indicator loads with one warning.
    const char* json = R"({"key": "tiny", "period": "month",
        "indicators": [{"key": "a"}, {"key": "b"}],
        "components": [{"key": "c", "weight": 1, "indicator": "a",
                        "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
        "grades": [{"key": "pass", "min": 60}, {"key": "fail", "min": 0, "failing": true}]})";
    gridgov_assessment_scheme* tiny = nullptr;
    gridgov_findings* warnings = nullptr;
    const int status = gridgov_assessment_scheme_from_json(&tiny, &warnings, json, "tiny.json");
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    Scheme tiny_owned(tiny);
    Findings warnings_owned(warnings);
    size_t count = 0;
    REQUIRE(gridgov_findings_count(&count, warnings) == GRIDGOV_OK);
    CHECK(count == 1);

    gridgov_assessment_scheme* bad = nullptr;
    CHECK(gridgov_assessment_scheme_from_json(&bad, nullptr, "{", nullptr) == GRIDGOV_EPARSE);
    CHECK(gridgov_assessment_scheme_from_json(&bad, nullptr, R"({"key": "x"})", nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(bad == nullptr);
    gridgov_findings* all = nullptr;
    REQUIRE(gridgov_assessment_validate_json(&all, R"({"key": "x"})", nullptr) == GRIDGOV_OK);
    Findings all_owned(all);
    REQUIRE(gridgov_findings_count(&count, all) == GRIDGOV_OK);
    CHECK(count >= 1);
}

TEST_CASE("capi assessment: scores, getters, JSON with explanation, ranking") {
    Scheme scheme = preset("urban_supervisor");
    // 0.4×90 + 0.2×(100−10) + 0.2×80 + 0.2×70 = 84 → good; 0.4×50 + 0.2×50 × 3 = 50 → fail.
    Score s1 = supervisor_score(scheme.get(), "S1", 90, 10, 80, 70);
    Score s2 = supervisor_score(scheme.get(), "S2", 50, 50, 50, 50);
    int defined = 0;
    double total = 0;
    REQUIRE(gridgov_score_total(&defined, &total, s1.get()) == GRIDGOV_OK);
    CHECK(defined == 1);
    CHECK(total == doctest::Approx(84));
    const char* grade = nullptr;
    REQUIRE(gridgov_score_grade(&grade, s1.get()) == GRIDGOV_OK);
    CHECK(std::string(grade) == "good");
    int failing = -1;
    REQUIRE(gridgov_score_failing(&failing, s2.get()) == GRIDGOV_OK);
    CHECK(failing == 1);
    int32_t rank = -1;
    size_t peers = 99;
    REQUIRE(gridgov_score_rank(&rank, &peers, s1.get()) == GRIDGOV_OK);
    CHECK(rank == 0);
    CHECK(peers == 0);

    gridgov_score* both[] = {s2.get(), s1.get()};
    REQUIRE(gridgov_assessment_rank(both, 2) == GRIDGOV_OK);
    REQUIRE(gridgov_score_rank(&rank, &peers, s1.get()) == GRIDGOV_OK);
    CHECK(rank == 1);
    CHECK(peers == 2);
    REQUIRE(gridgov_score_rank(&rank, &peers, s2.get()) == GRIDGOV_OK);
    CHECK(rank == 2);
    gridgov_score* with_null[] = {s1.get(), nullptr};
    CHECK(gridgov_assessment_rank(with_null, 2) == GRIDGOV_EINVAL);
    CHECK(last_error().find("entry 1") != std::string::npos);

    char* json = nullptr;
    REQUIRE(gridgov_score_json(&json, s1.get()) == GRIDGOV_OK);
    const std::string text = take(json);
    CHECK(text.find(R"("scheme":"urban_supervisor")") != std::string::npos);
    CHECK(text.find(R"("explanation":{)") != std::string::npos);
    CHECK(text.find(R"("C-1")") != std::string::npos);
    gridgov_score* back = nullptr;
    REQUIRE(gridgov_score_from_json(&back, text.c_str()) == GRIDGOV_OK);
    Score back_owned(back);
    REQUIRE(gridgov_score_total(&defined, &total, back) == GRIDGOV_OK);
    CHECK(total == doctest::Approx(84));
    REQUIRE(gridgov_score_rank(&rank, &peers, back) == GRIDGOV_OK);
    CHECK(rank == 1);

    // An undefined value with a reason; every component excluded → undefined total.
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    Values values(v);
    CHECK(gridgov_indicator_values_set(v, "missed_rate", NAN) == GRIDGOV_EINVAL);
    CHECK(gridgov_indicator_values_set_undefined(v, "missed_rate", "") == GRIDGOV_EINVAL);
    CHECK(gridgov_indicator_values_add_source(v, "missed_rate", "x") == GRIDGOV_ENOTFOUND);
    REQUIRE(gridgov_indicator_values_set_undefined(v, "missed_rate", "应上报数 is 0") ==
            GRIDGOV_OK);
    gridgov_score* none = nullptr;
    REQUIRE(gridgov_assessment_score(&none, scheme.get(), "S3", nullptr, nullptr, "2026-03", v) ==
            GRIDGOV_OK);
    Score none_owned(none);
    REQUIRE(gridgov_score_total(&defined, &total, none) == GRIDGOV_OK);
    CHECK(defined == 0);
    CHECK(std::isnan(total));
    REQUIRE(gridgov_score_grade(&grade, none) == GRIDGOV_OK);
    CHECK(std::string(grade).empty());
    gridgov_score* bad = nullptr;
    CHECK(gridgov_assessment_score(&bad, scheme.get(), "S3", nullptr, nullptr, "2026-13", v) ==
          GRIDGOV_EINVAL);
    CHECK(last_error().find("'period'") != std::string::npos);
    CHECK(bad == nullptr);
}

TEST_CASE("capi assessment: draws and their verification") {
    char* record = nullptr;
    const int status = gridgov_assessment_draw(&record, spec_33);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    const std::string text = take(record);
    CHECK(text.find(
              R"("picks":["G26","G33","G30","G32","G08","G31","G01","G20","G25","G22","G27"])") !=
          std::string::npos);
    int ok = -1;
    REQUIRE(gridgov_assessment_verify_draw(&ok, text.c_str()) == GRIDGOV_OK);
    CHECK(ok == 1);
    std::string forged = text;
    forged.replace(forged.find("\"G26\",\"G33\""), 11, "\"G33\",\"G26\"");
    REQUIRE(gridgov_assessment_verify_draw(&ok, forged.c_str()) == GRIDGOV_OK);
    CHECK(ok == 0);
    char* none = nullptr;
    CHECK(gridgov_assessment_draw(&none, R"({"seed": 1, "count": 3, "candidates": ["a", "b"]})") ==
          GRIDGOV_EINVAL);
    CHECK(none == nullptr);
    CHECK(gridgov_assessment_draw(&none, "[") == GRIDGOV_EPARSE);
}

TEST_CASE("capi assessment: the workspace keeps activities, scores and draws") {
    TempDir dir;
    const std::string path = dir.file("ws.gridgov");
    Scheme scheme = preset("urban_supervisor");
    char* record = nullptr;
    REQUIRE(gridgov_assessment_draw(&record, spec_33) == GRIDGOV_OK);
    const std::string draw = take(record);
    {
        Workspace ws = open_ws(path);
        // Activity records name grids of the hierarchy and people of the directory.
        size_t added = 0;
        gridgov_findings* findings = nullptr;
        REQUIRE(gridgov_hierarchy_import_text(
                    &added, &findings, ws.get(), "code,parent_code,level,name\nG1,,grid,第一网格\n",
                    GRIDGOV_FORMAT_CSV, "grids.csv", nullptr) == GRIDGOV_OK);
        gridgov_findings_destroy(findings);
        gridgov_directory_import_report people{};
        REQUIRE(gridgov_directory_import_text(&people, ws.get(), "id,name\nP1,赵大山\n",
                                              GRIDGOV_FORMAT_CSV, GRIDGOV_TABLE_PEOPLE,
                                              "people.csv") == GRIDGOV_OK);
        size_t records = 0;
        int table = -1;
        CHECK(gridgov_assessment_import_text(
                  &records, &table, ws.get(), "id,grid,class,categories\nH1,NOT-A-GRID,special,\n",
                  GRIDGOV_ACTIVITY_AUTO, "households.csv") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("file households.csv, row 2, field grid: no node with code "
                                "'NOT-A-GRID'") != std::string::npos);
        CHECK(gridgov_assessment_import_text(
                  &records, &table, ws.get(), "id,person,date\nA1,NOBODY,2026-03-02\n",
                  GRIDGOV_ACTIVITY_ATTENDANCE, "a.csv") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("field person: no person 'NOBODY'") != std::string::npos);
        REQUIRE(gridgov_assessment_import_text(
                    &records, &table, ws.get(), "id,grid,class,categories\nH1,G1,special,低保\n",
                    GRIDGOV_ACTIVITY_AUTO, "households.csv") == GRIDGOV_OK);
        CHECK(records == 1);
        CHECK(table == GRIDGOV_ACTIVITY_HOUSEHOLDS);
        CHECK(gridgov_assessment_import_text(&records, &table, ws.get(),
                                             "id,household,person,kind,date\n"
                                             "V1,H1,P1,home,2026-03-02\n"
                                             "V2,H1,P1,walk,2026-03-02\n",
                                             GRIDGOV_ACTIVITY_VISITS, "v.csv") == GRIDGOV_EINVAL);
        CHECK(last_error().find("file v.csv, row 3, field kind") != std::string::npos);
        CHECK(gridgov_assessment_import_text(&records, nullptr, ws.get(), "id\n", 99, nullptr) ==
              GRIDGOV_EINVAL);
        {
            const std::string file = dir.file("attendance.csv");
            std::ofstream(file, std::ios::binary) << "id,person,date\nA1,P1,2026-03-02\n";
            REQUIRE(gridgov_assessment_import_file(&records, &table, ws.get(), file.c_str(),
                                                   GRIDGOV_ACTIVITY_AUTO) == GRIDGOV_OK);
            CHECK(table == GRIDGOV_ACTIVITY_ATTENDANCE);
        }
        size_t count = 0;
        REQUIRE(gridgov_assessment_activity_count(&count, ws.get()) == GRIDGOV_OK);
        CHECK(count == 2);

        Score s1 = supervisor_score(scheme.get(), "S1", 90, 10, 80, 70);
        Score s2 = supervisor_score(scheme.get(), "S2", 50, 50, 50, 50);
        gridgov_score* both[] = {s1.get(), s2.get()};
        REQUIRE(gridgov_assessment_rank(both, 2) == GRIDGOV_OK);
        const gridgov_score* stored[] = {s1.get(), s2.get()};
        REQUIRE(gridgov_assessment_store_scores(ws.get(), stored, 2) == GRIDGOV_OK);
        const gridgov_score* twice[] = {s1.get(), s1.get()};
        CHECK(gridgov_assessment_store_scores(ws.get(), twice, 2) == GRIDGOV_EINVAL);

        REQUIRE(gridgov_assessment_record_draw(ws.get(), "2026-03", draw.c_str()) == GRIDGOV_OK);
        CHECK(gridgov_assessment_record_draw(ws.get(), "2026-03", draw.c_str()) == GRIDGOV_EEXISTS);
    }
    Workspace ws = open_ws(path);
    size_t count = 0;
    REQUIRE(gridgov_assessment_activity_count(&count, ws.get()) == GRIDGOV_OK);
    CHECK(count == 2);
    char* json = nullptr;
    REQUIRE(gridgov_assessment_scores_json(&json, ws.get(), "urban_supervisor", "S2", nullptr,
                                           nullptr) == GRIDGOV_OK);
    const std::string s2 = take(json);
    CHECK(s2.find(R"("code":"S2")") != std::string::npos);
    CHECK(s2.find(R"("code":"S1")") == std::string::npos);
    CHECK(s2.find(R"("total":50.0)") != std::string::npos);
    CHECK(s2.find(R"("rank":2)") != std::string::npos);
    REQUIRE(gridgov_assessment_scores_json(&json, ws.get(), nullptr, nullptr, "2026-04", nullptr) ==
            GRIDGOV_OK);
    CHECK(take(json) == "[]");
    CHECK(gridgov_assessment_scores_json(&json, ws.get(), nullptr, nullptr, "April", nullptr) ==
          GRIDGOV_EINVAL);

    // Stored JSON goes back in: S1 replaced by itself, nothing else changes.
    REQUIRE(gridgov_assessment_scores_json(&json, ws.get(), nullptr, "S1", nullptr, nullptr) ==
            GRIDGOV_OK);
    const std::string s1 = take(json);
    REQUIRE(gridgov_assessment_store_scores_json(ws.get(), s1.c_str()) == GRIDGOV_OK);
    CHECK(gridgov_assessment_store_scores_json(ws.get(), "{}") == GRIDGOV_EINVAL);
    REQUIRE(gridgov_assessment_scores_json(&json, ws.get(), nullptr, nullptr, nullptr, nullptr) ==
            GRIDGOV_OK);
    CHECK(take(json).find(R"("code":"S1")") != std::string::npos);

    REQUIRE(gridgov_assessment_draws_json(&json, ws.get()) == GRIDGOV_OK);
    const std::string draws = take(json);
    CHECK(draws.find(R"("label":"2026-03","verified":true)") != std::string::npos);

    const std::string notice = dir.file("notice.html");
    REQUIRE(gridgov_assessment_export_notice(ws.get(), notice.c_str(), scheme.get(), "2026-03",
                                             "三月通报") == GRIDGOV_OK);
    std::ifstream in(notice, std::ios::binary);
    const std::string html{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(html.find("<title>三月通报</title>") != std::string::npos);
    CHECK(html.find("seed 20260301") != std::string::npos);
    CHECK(html.find("<tr class=\"failing\">") != std::string::npos);
    CHECK(gridgov_assessment_export_notice(ws.get(), dir.file("no/dir/n.html").c_str(),
                                           scheme.get(), "2026-03", nullptr) == GRIDGOV_ESTORAGE);
}

TEST_CASE("capi assessment: indicators from cases and the runner over a workspace") {
    TempDir dir;
    Workspace ws = township_ws(dir.file("ws.gridgov"));

    char* json = nullptr;
    REQUIRE(gridgov_case_indicator_definitions(&json) == GRIDGOV_OK);
    const std::string definitions = take(json);
    CHECK(definitions.find(R"("key":"received")") != std::string::npos);
    CHECK(definitions.find(R"("key":"missed_rate")") != std::string::npos);

    // A township without cases: counts are 0, rates undefined with their denominator named.
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    Values values(v);
    const int status = gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_NODE,
                                                          "341521105", "2026-03");
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_json(&json, v) == GRIDGOV_OK);
    const std::string got = take(json);
    CHECK(got.find(R"("received":{"value":0.0,"reason":"","sources":[]})") != std::string::npos);
    CHECK(got.find(R"("valid_report_rate":{"value":null)") != std::string::npos);
    CHECK(gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_NODE, "999", "2026-03") ==
          GRIDGOV_ENOTFOUND);
    CHECK(gridgov_indicator_values_add_cases(v, ws.get(), 7, "341521105", "2026-03") ==
          GRIDGOV_EINVAL);

    // Every grid scored with the supervisor scheme: every rate is undefined, every
    // component excluded, so the 12 totals are undefined and unranked; stored on request.
    Scheme scheme = preset("urban_supervisor");
    gridgov_assess_options options;
    REQUIRE(gridgov_assess_options_init(&options, GRIDGOV_ASSESS_OPTIONS_VERSION) == GRIDGOV_OK);
    options.level = "grid";
    options.store = 1;
    REQUIRE(gridgov_assessment_assess(&json, ws.get(), scheme.get(), "2026-03", &options) ==
            GRIDGOV_OK);
    const std::string run = take(json);
    std::size_t totals = 0;
    for (std::size_t at = run.find(R"("total":null)"); at != std::string::npos;
         at = run.find(R"("total":null)", at + 1))
        ++totals;
    CHECK(totals == 12);
    CHECK(run.find(R"("flags":[])") != std::string::npos);
    REQUIRE(gridgov_assessment_scores_json(&json, ws.get(), "urban_supervisor", nullptr, nullptr,
                                           nullptr) == GRIDGOV_OK);
    CHECK(take(json).find(R"("rank":0)") != std::string::npos);
    options.select = 9;
    CHECK(gridgov_assessment_assess(nullptr, ws.get(), scheme.get(), "2026-03", &options) ==
          GRIDGOV_EINVAL);
}

// ---- assessing a workspace: the runs of tests/data/area_steps_runs.json -------------------
//
// The same runs as the C++ test (tests/cpp/workspace_assessment_test.cpp) on a workspace of
// this test's own; every score and flag is compared field by field with the file.

namespace {

std::string data_text(const std::string& name) {
    std::ifstream in(std::string(GRIDGOV_TEST_DATA) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

nlohmann::json run_fields(const std::string& text) {
    const nlohmann::json got = nlohmann::json::parse(text);
    nlohmann::json j;
    j["scores"] = nlohmann::json::array();
    for (const nlohmann::json& r : got["scores"]) {
        j["scores"].push_back({{"subject", r["subject"]["code"]},
                               {"level", r["subject"]["level"]},
                               {"area_class", r["subject"]["area_class"]},
                               {"total", r["total"]},
                               {"grade", r["grade"]},
                               {"failing", r["failing"]},
                               {"rank", r["rank"]},
                               {"peers", r["peers"]}});
    }
    j["flags"] = nlohmann::json::array();
    for (const nlohmann::json& f : got["flags"]) {
        j["flags"].push_back({{"rule", f["rule"]},
                              {"subject", f["subject"]},
                              {"period", f["period"]},
                              {"streak", f["streak"]},
                              {"periods", f["periods"]}});
    }
    return j;
}

}  // namespace

// ---- overlay units as subjects -------------------------------------------------------------

namespace {

// A fire network over 桥口镇: 中网格 M1 on 东湖村 (its four grids) with 小网格 S1 inside on
// 东湖村第一网格, 中网格 M2 on 桥口村第一网格; 柳林村 lies outside it.
void add_fire_network(gridgov_workspace* ws) {
    ok(gridgov_overlay_add(ws, "fire", "消防网格", "fire_safety"));
    add_overlay_unit(ws, "fire", "M1", nullptr, "medium", "341521105201");
    add_overlay_unit(ws, "fire", "S1", "M1", "small", "341521105201001");
    add_overlay_unit(ws, "fire", "M2", nullptr, "medium", "341521105202001");
}

// A matter of March 2026 reported at `grid` by the supervision system (采集 of the urban
// seven-step loop).
void report_at(gridgov_workspace* ws, const char* grid, const char* when) {
    gridgov_report r;
    ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
    r.category = "E0102";
    r.node_code = grid;
    r.system = 1;
    r.workflow = "urban_seven_step";
    ok(gridgov_instant_parse(&r.at, when));
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_report(&id, ws, &r));
}

// The case indicators of one subject for March 2026 as JSON.
nlohmann::json case_values(const gridgov_workspace* ws, int kind, const char* code) {
    gridgov_indicator_values* v = nullptr;
    ok(gridgov_indicator_values_create(&v));
    Values values(v);
    ok(gridgov_indicator_values_add_cases(v, ws, kind, code, "2026-03"));
    char* json = nullptr;
    ok(gridgov_indicator_values_json(&json, v));
    return nlohmann::json::parse(take(json));
}

}  // namespace

TEST_CASE("capi assessment: overlay units count the cases of the grids they cover") {
    TempDir dir;
    Workspace ws = township_ws(dir.file("ws.gridgov"));
    add_fire_network(ws.get());
    report_at(ws.get(), "341521105201001", "2026-03-02T09:00");
    report_at(ws.get(), "341521105201001", "2026-03-03T09:00");
    report_at(ws.get(), "341521105201003", "2026-03-04T09:00");
    report_at(ws.get(), "341521105202001", "2026-03-05T09:00");
    report_at(ws.get(), "341521105203001", "2026-03-06T09:00");

    // Each unit counts the cases of the base nodes it covers, itself or through the units
    // beneath it, with the same case numbers behind the values.
    const nlohmann::json m1 = case_values(ws.get(), GRIDGOV_SUBJECT_UNIT, "fire:M1");
    CHECK(m1["received"]["value"] == 3.0);
    CHECK(m1 == case_values(ws.get(), GRIDGOV_SUBJECT_NODE, "341521105201"));
    const nlohmann::json s1 = case_values(ws.get(), GRIDGOV_SUBJECT_UNIT, "fire:S1");
    CHECK(s1["received"]["value"] == 2.0);
    CHECK(s1 == case_values(ws.get(), GRIDGOV_SUBJECT_NODE, "341521105201001"));
    CHECK(case_values(ws.get(), GRIDGOV_SUBJECT_UNIT, "fire:M2") ==
          case_values(ws.get(), GRIDGOV_SUBJECT_NODE, "341521105202001"));

    // A base node is not a unit; an unknown unit or overlay is not found, named. A refused
    // call leaves the values as they were.
    gridgov_indicator_values* v = nullptr;
    ok(gridgov_indicator_values_create(&v));
    Values values(v);
    ok(gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_UNIT, "fire:S1", "2026-03"));
    char* json = nullptr;
    ok(gridgov_indicator_values_json(&json, v));
    const std::string before = take(json);
    CHECK(gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_UNIT, "341521105201",
                                             "2026-03") == GRIDGOV_EINVAL);
    CHECK(last_error().find("\"341521105201\" is a node of the base hierarchy") !=
          std::string::npos);
    CHECK(gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_UNIT, "fire:M9",
                                             "2026-03") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("M9") != std::string::npos);
    CHECK(gridgov_indicator_values_add_cases(v, ws.get(), GRIDGOV_SUBJECT_UNIT, "market:D01",
                                             "2026-03") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("market:D01") != std::string::npos);
    ok(gridgov_indicator_values_json(&json, v));
    CHECK(take(json) == before);
}

TEST_CASE("capi assessment: gridgov_assessment_assess scores the units of an overlay") {
    TempDir dir;
    Workspace ws = township_ws(dir.file("ws.gridgov"));
    add_fire_network(ws.get());
    report_at(ws.get(), "341521105201001", "2026-03-02T09:00");
    report_at(ws.get(), "341521105202001", "2026-03-05T09:00");
    Scheme scheme = preset("urban_region");

    gridgov_assess_options options;
    REQUIRE(gridgov_assess_options_init(&options, GRIDGOV_ASSESS_OPTIONS_VERSION) == GRIDGOV_OK);
    CHECK(options.overlay == nullptr);
    options.default_area_class = "二类";
    const auto assess = [&](nlohmann::json& out) {
        char* json = nullptr;
        const int status =
            gridgov_assessment_assess(&json, ws.get(), scheme.get(), "2026-03", &options);
        if (status == GRIDGOV_OK)
            out = nlohmann::json::parse(take(json));
        return status;
    };
    const auto codes = [](const nlohmann::json& run) {
        std::vector<std::string> all;
        for (const nlohmann::json& s : run["scores"])
            all.push_back(s["subject"]["code"].get<std::string>() + " " +
                          s["subject"]["level"].get<std::string>());
        return all;
    };
    nlohmann::json run;

    // Every unit, each ranked among the units of its own level, stored on request.
    options.select = GRIDGOV_SELECT_UNITS;
    options.overlay = "fire";
    options.store = 1;
    ok(assess(run));
    CHECK(codes(run) == std::vector<std::string>{"fire:M1 fire:medium", "fire:S1 fire:small",
                                                 "fire:M2 fire:medium"});
    CHECK(run["scores"][0]["peers"] == 2);
    CHECK(run["scores"][1]["peers"] == 1);
    char* stored = nullptr;
    ok(gridgov_assessment_scores_json(&stored, ws.get(), "urban_region", "fire:S1", nullptr,
                                      nullptr));
    CHECK(nlohmann::json::parse(take(stored)).size() == 1);
    options.store = 0;

    // The units of one level score as the base nodes they cover.
    options.level = "medium";
    ok(assess(run));
    CHECK(codes(run) == std::vector<std::string>{"fire:M1 fire:medium", "fire:M2 fire:medium"});
    options.select = GRIDGOV_SELECT_SUBJECTS;
    options.overlay = nullptr;
    options.level = nullptr;
    const char* nodes[] = {"341521105201", "341521105202001"};
    options.subjects = nodes;
    options.subject_count = 2;
    nlohmann::json base;
    ok(assess(base));
    CHECK(run["scores"][0]["total"] == base["scores"][0]["total"]);
    CHECK(run["scores"][1]["total"] == base["scores"][1]["total"]);

    // Unit places among the subjects, beside node codes.
    const char* mixed[] = {"fire:S1", "341521105201001"};
    options.subjects = mixed;
    ok(assess(run));
    CHECK(codes(run) == std::vector<std::string>{"fire:S1 fire:small", "341521105201001 grid"});
    CHECK(run["scores"][0]["total"] == run["scores"][1]["total"]);  // S1 covers that grid
    const char* unknown[] = {"fire:S9"};
    options.subjects = unknown;
    options.subject_count = 1;
    CHECK(assess(run) == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("\"fire:S9\" is not a node or an overlay unit") != std::string::npos);
    options.subjects = nullptr;
    options.subject_count = 0;

    // Refusals: an overlay the workspace lacks, a level the overlay lacks, _UNITS without an
    // overlay, an overlay with another selection.
    options.select = GRIDGOV_SELECT_UNITS;
    options.overlay = "market";
    CHECK(assess(run) == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("no overlay \"market\"") != std::string::npos);
    options.overlay = "fire";
    options.level = "grid";
    CHECK(assess(run) == GRIDGOV_EINVAL);
    CHECK(last_error().find("unit_level \"grid\" is not a level of overlay fire") !=
          std::string::npos);
    options.level = nullptr;
    options.overlay = "";
    CHECK(assess(run) == GRIDGOV_EINVAL);
    CHECK(last_error().find("options.overlay") != std::string::npos);
    options.overlay = nullptr;
    CHECK(assess(run) == GRIDGOV_EINVAL);
    CHECK(last_error().find("options.overlay") != std::string::npos);
    options.select = GRIDGOV_SELECT_LEVEL;
    options.overlay = "fire";
    CHECK(assess(run) == GRIDGOV_EINVAL);
    CHECK(last_error().find("options.overlay: only with GRIDGOV_SELECT_UNITS") !=
          std::string::npos);
}

TEST_CASE("capi assessment: gridgov_assessment_assess gives the runs of area_steps_runs.json") {
    const nlohmann::json doc = nlohmann::json::parse(data_text("area_steps_runs.json"));
    gridgov_assessment_scheme* s = nullptr;
    REQUIRE(gridgov_assessment_scheme_from_json(&s, nullptr, data_text("area_steps.json").c_str(),
                                                "area_steps.json") == GRIDGOV_OK);
    Scheme scheme(s);
    TempDir dir;
    Workspace ws = township_ws(dir.file("ws.gridgov"));
    for (const nlohmann::json& run : doc["runs"]) {
        INFO(run["note"].get<std::string>());
        gridgov_assess_options options;
        REQUIRE(gridgov_assess_options_init(&options, GRIDGOV_ASSESS_OPTIONS_VERSION) ==
                GRIDGOV_OK);
        const std::string level = run.value("level", "");
        std::vector<std::string> codes;
        std::vector<const char*> subjects;
        if (run.contains("subjects")) {
            codes = run["subjects"].get<std::vector<std::string>>();
            for (const std::string& c : codes)
                subjects.push_back(c.c_str());
            options.select = GRIDGOV_SELECT_SUBJECTS;
            options.subjects = subjects.data();
            options.subject_count = subjects.size();
        } else {
            options.level = level.c_str();
        }
        const std::string area_class = run["default_area_class"].get<std::string>();
        options.default_area_class = area_class.c_str();
        options.store = run["store"].get<bool>() ? 1 : 0;
        char* json = nullptr;
        const int status = gridgov_assessment_assess(
            &json, ws.get(), scheme.get(), run["period"].get<std::string>().c_str(), &options);
        INFO(last_error());
        REQUIRE(status == GRIDGOV_OK);
        CHECK(run_fields(take(json)) ==
              nlohmann::json({{"scores", run["scores"]}, {"flags", run["flags"]}}));
    }

    // Every option of the C face: roles only with grid workers, a subject code named when
    // unknown, extra values by subject, and an options struct of another version.
    gridgov_assess_options options;
    REQUIRE(gridgov_assess_options_init(&options, GRIDGOV_ASSESS_OPTIONS_VERSION) == GRIDGOV_OK);
    CHECK(options.select == GRIDGOV_SELECT_LEVEL);
    const char* roles[] = {"grid_worker"};
    options.level = "grid";
    options.roles = roles;
    options.role_count = 1;
    CHECK(gridgov_assessment_assess(nullptr, ws.get(), scheme.get(), "2026-03", &options) ==
          GRIDGOV_EINVAL);
    options.roles = nullptr;
    options.role_count = 0;
    options.level = nullptr;
    options.select = GRIDGOV_SELECT_SUBJECTS;
    const char* unknown[] = {"341521105201001", "999"};
    options.subjects = unknown;
    options.subject_count = 2;
    options.default_area_class = "一类";
    CHECK(gridgov_assessment_assess(nullptr, ws.get(), scheme.get(), "2026-03", &options) ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("\"999\"") != std::string::npos);
    options.subject_count = 1;
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    Values extra(v);
    // One case received puts the grid past the only step row: still 90 points.
    REQUIRE(gridgov_indicator_values_set(v, "received", 1) == GRIDGOV_OK);
    const char* extra_subjects[] = {"341521105201001"};
    const gridgov_indicator_values* extra_values[] = {v};
    options.extra_subjects = extra_subjects;
    options.extra_values = extra_values;
    options.extra_count = 1;
    char* json = nullptr;
    REQUIRE(gridgov_assessment_assess(&json, ws.get(), scheme.get(), "2026-03", &options) ==
            GRIDGOV_OK);
    const nlohmann::json got = nlohmann::json::parse(take(json));
    CHECK(got["scores"][0]["components"][0]["inputs"]["received"]["value"] == 1.0);
    CHECK(got["scores"][0]["total"] == 90.0);
    options.version = 99;
    CHECK(gridgov_assessment_assess(nullptr, ws.get(), scheme.get(), "2026-03", &options) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_assessment_assess(nullptr, ws.get(), scheme.get(), "2026-03", nullptr) ==
          GRIDGOV_ENOTFOUND);  // every level, and the township's nodes have no area class
}
