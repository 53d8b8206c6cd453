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

}  // namespace

TEST_CASE("capi report: the page as a file and its numbers as JSON") {
    TempDir dir;
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
