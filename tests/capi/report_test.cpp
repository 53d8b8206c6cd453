// C API contracts of the report page: the page written as a file and its numbers as JSON,
// on a real workspace file; errors change nothing and name the problem.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "support.hpp"

using namespace capi_test;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A new workspace file in `dir` with the township of tests/data/township.json.
Workspace township(const TempDir& dir) {
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, dir.file("ws.gridgov").c_str(), GRIDGOV_OPEN_CREATE) ==
            GRIDGOV_OK);
    Workspace ws(raw);
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    REQUIRE(gridgov_hierarchy_import_file(&added, &findings, ws.get(),
                                          GRIDGOV_TEST_DATA "/township.json", GRIDGOV_FORMAT_AUTO,
                                          nullptr) == GRIDGOV_OK);
    Findings owned_findings(findings);
    REQUIRE(added > 0);
    return ws;
}

}  // namespace

TEST_CASE("capi report: the page as a file and its numbers as JSON") {
    TempDir dir;
    const Workspace ws = township(dir);

    int64_t at = 0;
    REQUIRE(gridgov_instant_parse(&at, "2026-04-01T00:00") == GRIDGOV_OK);

    char* json = nullptr;
    REQUIRE(gridgov_report_page_json(&json, ws.get(), at, "四月报告", nullptr) == GRIDGOV_OK);
    const Text owned_json(json);
    const std::string numbers = json;
    CHECK(numbers.find(R"("title":"四月报告")") != std::string::npos);
    CHECK(numbers.find(R"("cases":0)") != std::string::npos);

    const std::string page = dir.file("report.html");
    REQUIRE(gridgov_report_page_write(ws.get(), page.c_str(), at, "四月报告", "village") ==
            GRIDGOV_OK);
    const std::string html = read_file(page);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("四月报告") != std::string::npos);
    CHECK(html.find("id=\"gridgov-data\"") != std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);

    // An unknown board level, a folder that does not exist, missing arguments: an error
    // naming the problem, and the page written before stays as it was.
    CHECK(gridgov_report_page_write(ws.get(), page.c_str(), at, nullptr, "no-such-level") ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("no-such-level") != std::string::npos);
    CHECK(gridgov_report_page_write(ws.get(), dir.file("no/dir/r.html").c_str(), at, nullptr,
                                    nullptr) == GRIDGOV_ESTORAGE);
    CHECK(last_error().find("no/dir/r.html") != std::string::npos);
    CHECK(read_file(page) == html);
    CHECK(gridgov_report_page_write(nullptr, page.c_str(), at, nullptr, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_report_page_write(ws.get(), nullptr, at, nullptr, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_report_page_json(nullptr, ws.get(), at, nullptr, nullptr) == GRIDGOV_EINVAL);
}

TEST_CASE("capi report: the light board of an overlay's units") {
    TempDir dir;
    const Workspace ws = township(dir);
    REQUIRE(gridgov_overlay_add(ws.get(), "fire", "消防网格", "fire_safety") == GRIDGOV_OK);
    add_overlay_unit(ws.get(), "fire", "L1", nullptr, "large", nullptr);
    add_overlay_unit(ws.get(), "fire", "M1", "L1", "medium", "341521105201");
    // A matter the grid's information officer reports on a grid of the village M1 covers.
    REQUIRE(gridgov_directory_use_preset(ws.get(), "township_000") == GRIDGOV_OK);
    gridgov_person_spec person;
    REQUIRE(gridgov_person_spec_init(&person, GRIDGOV_PERSON_SPEC_VERSION) == GRIDGOV_OK);
    person.id = "P01";
    person.name = "王芳";
    REQUIRE(gridgov_directory_add_person(ws.get(), &person) == GRIDGOV_OK);
    uint64_t post = 0;
    REQUIRE(gridgov_directory_add_assignment(&post, ws.get(), "P01", "grid_information_officer",
                                             "341521105201001", GRIDGOV_POST_A, "2026-01-01",
                                             nullptr) == GRIDGOV_OK);
    gridgov_report report;
    REQUIRE(gridgov_report_init(&report, GRIDGOV_REPORT_VERSION) == GRIDGOV_OK);
    report.category = "E0102";
    report.node_code = "341521105201001";
    report.actor = "P01";
    REQUIRE(gridgov_instant_parse(&report.at, "2026-03-02T09:00") == GRIDGOV_OK);
    gridgov_case_id id = 0;
    const int reported = gridgov_cases_report(&id, ws.get(), &report);
    INFO(last_error());
    REQUIRE(reported == GRIDGOV_OK);

    int64_t at = 0;
    REQUIRE(gridgov_instant_parse(&at, "2026-04-01T00:00") == GRIDGOV_OK);
    char* json = nullptr;
    REQUIRE(gridgov_report_unit_board_json(&json, ws.get(), at, "fire", nullptr, nullptr) ==
            GRIDGOV_OK);
    const Text owned_json(json);
    const std::string board = json;
    CHECK(board.find(R"("overlay":"fire")") != std::string::npos);
    CHECK(board.find(R"("code":"fire:L1")") != std::string::npos);
    CHECK(board.find(R"("code":"fire:M1","name":"M1","parent":"L1","cases":1)") !=
          std::string::npos);

    char* medium = nullptr;
    REQUIRE(gridgov_report_unit_board_json(&medium, ws.get(), at, "fire", "medium", "fire:M1") ==
            GRIDGOV_OK);
    const Text owned_medium(medium);
    CHECK(std::string(medium).find("fire:L1") == std::string::npos);

    char* untouched = nullptr;
    CHECK(gridgov_report_unit_board_json(&untouched, ws.get(), at, "market", nullptr, nullptr) ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("'market'") != std::string::npos);
    CHECK(gridgov_report_unit_board_json(&untouched, ws.get(), at, "fire", "grid", nullptr) ==
          GRIDGOV_ENOTFOUND);
    CHECK(gridgov_report_unit_board_json(&untouched, ws.get(), at, "fire", nullptr, "M9") ==
          GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("'M9'") != std::string::npos);
    CHECK(untouched == nullptr);
    CHECK(gridgov_report_unit_board_json(&untouched, ws.get(), at, nullptr, nullptr, nullptr) ==
          GRIDGOV_EINVAL);
}
