// C ABI contract of the workspace handle, import/export, validation and findings.
// Sees only gridgov.h; every file lives in a fresh temporary folder.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

namespace fs = std::filesystem;

Workspace open(const std::string& path, int flags) {
    gridgov_workspace* ws = nullptr;
    const int status = gridgov_workspace_open(&ws, path.c_str(), flags);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Workspace(ws);
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary) << content;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A township of the seed texts: base grids of about 150 households under two villages.
const char* const township_json = R"({
  "format": "gridgov.hierarchy", "version": 1,
  "nodes": [
    {"code": "371327101001001", "parent": "371327101001", "name": "东岭一网格", "level": "grid",
     "area_type": "rural", "households": 152, "population": 498},
    {"code": "371327101001002", "parent": "371327101001", "name": "东岭二网格", "level": "grid",
     "area_type": "rural", "households": 148, "population": 455},
    {"code": "371327101001003", "parent": "371327101001", "name": "东岭三网格", "level": "grid",
     "area_type": "rural", "households": 161, "population": 520},
    {"code": "371327101002001", "parent": "371327101002", "name": "西河一网格", "level": "grid",
     "area_type": "rural", "households": 139, "population": 430},
    {"code": "371327101002002", "parent": "371327101002", "name": "西河二网格", "level": "grid",
     "area_type": "rural", "households": 150, "population": 472},
    {"code": "371327101001", "parent": "371327101", "name": "东岭村", "level": "village"},
    {"code": "371327101002", "parent": "371327101", "name": "西河村", "level": "village"},
    {"code": "371327101", "name": "岸堤镇", "level": "township"}
  ]
})";

std::size_t node_count(const gridgov_workspace* ws) {
    std::size_t n = 0;
    REQUIRE(gridgov_hierarchy_node_count(&n, ws) == GRIDGOV_OK);
    return n;
}

gridgov_node_id find(const gridgov_workspace* ws, const char* code) {
    gridgov_node_id id = GRIDGOV_NO_NODE;
    INFO(code);
    REQUIRE(gridgov_hierarchy_find(&id, ws, code) == GRIDGOV_OK);
    return id;
}

Findings import_text(gridgov_workspace* ws, const char* text, int format) {
    std::size_t added = 0;
    gridgov_findings* findings = nullptr;
    const int status = gridgov_hierarchy_import_text(&added, &findings, ws, text, format,
                                                     "township.json", nullptr);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Findings(findings);
}

double households_of(const gridgov_workspace* ws, const char* code) {
    std::size_t ids = 0;
    REQUIRE(gridgov_hierarchy_id_count(&ids, ws) == GRIDGOV_OK);
    std::vector<double> sums(ids);
    REQUIRE(gridgov_hierarchy_roll_up(sums.data(), sums.size(), ws, "households",
                                      GRIDGOV_STAT_SUM) == GRIDGOV_OK);
    return sums[find(ws, code)];
}

// A 512-byte SQLite database with no tables, whose application_id is not gridgov's: what
// a database of some other program looks like to gridgov_workspace_open().
std::string foreign_database() {
    std::string page(512, '\0');
    const auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            page[at + i] = static_cast<char>(v >> (24 - 8 * i));
    };
    std::memcpy(page.data(), "SQLite format 3", 16);
    page[16] = 0x02;  // page size 512, big-endian
    page[17] = 0x00;
    page[18] = 1;           // legacy write version
    page[19] = 1;           // legacy read version
    page[21] = 64;          // maximum embedded payload fraction
    page[22] = 32;          // minimum embedded payload fraction
    page[23] = 32;          // leaf payload fraction
    put32(24, 1);           // file change counter
    put32(28, 1);           // database size in pages
    put32(44, 4);           // schema format
    put32(56, 1);           // text encoding UTF-8
    put32(68, 0x464F4F31);  // application_id "FOO1"
    put32(92, 1);           // version-valid-for (equals the change counter)
    put32(96, 3040001);     // SQLite version that wrote it
    page[100] = 0x0D;       // page 1 is an empty table-leaf b-tree (sqlite_schema)
    page[105] = 0x02;       // cell content starts at offset 512
    return page;
}

}  // namespace

TEST_CASE("capi.workspace.functions_reject_null_arguments_naming_them") {
    Workspace ws = open(":memory:", GRIDGOV_OPEN_CREATE);
    Findings findings = import_text(ws.get(), township_json, GRIDGOV_FORMAT_JSON);
    gridgov_workspace* w = ws.get();
    gridgov_findings* f = findings.get();
    gridgov_workspace* out_ws = nullptr;
    gridgov_findings* out_f = nullptr;
    const char* s = nullptr;
    char* text = nullptr;
    std::size_t n = 0;
    int i = 0;
    gridgov_validation_options options;
    REQUIRE(gridgov_validation_options_init(&options, GRIDGOV_VALIDATION_OPTIONS_VERSION) ==
            GRIDGOV_OK);

    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    const std::vector<Case> cases = {
        {"validation_options_init", "options",
         [&] {
             return gridgov_validation_options_init(nullptr, GRIDGOV_VALIDATION_OPTIONS_VERSION);
         }},
        {"workspace_open", "out",
         [&] { return gridgov_workspace_open(nullptr, ":memory:", GRIDGOV_OPEN_CREATE); }},
        {"workspace_open", "path",
         [&] { return gridgov_workspace_open(&out_ws, nullptr, GRIDGOV_OPEN_CREATE); }},
        {"workspace_path", "out", [&] { return gridgov_workspace_path(nullptr, w); }},
        {"workspace_path", "ws", [&] { return gridgov_workspace_path(&s, nullptr); }},
        {"workspace_validate", "out",
         [&] { return gridgov_hierarchy_validate(nullptr, w, &options); }},
        {"workspace_validate", "ws",
         [&] { return gridgov_hierarchy_validate(&out_f, nullptr, &options); }},
        {"workspace_import_file", "out_nodes_added",
         [&] { return gridgov_hierarchy_import_file(nullptr, &out_f, w, "x.json", 0, nullptr); }},
        {"workspace_import_file", "out_findings",
         [&] { return gridgov_hierarchy_import_file(&n, nullptr, w, "x.json", 0, nullptr); }},
        {"workspace_import_file", "ws",
         [&] { return gridgov_hierarchy_import_file(&n, &out_f, nullptr, "x.json", 0, nullptr); }},
        {"workspace_import_file", "path",
         [&] { return gridgov_hierarchy_import_file(&n, &out_f, w, nullptr, 0, nullptr); }},
        {"workspace_import_text", "out_nodes_added",
         [&] {
             return gridgov_hierarchy_import_text(nullptr, &out_f, w, "{}", 1, nullptr, nullptr);
         }},
        {"workspace_import_text", "out_findings",
         [&] { return gridgov_hierarchy_import_text(&n, nullptr, w, "{}", 1, nullptr, nullptr); }},
        {"workspace_import_text", "ws",
         [&] {
             return gridgov_hierarchy_import_text(&n, &out_f, nullptr, "{}", 1, nullptr, nullptr);
         }},
        {"workspace_import_text", "text",
         [&] {
             return gridgov_hierarchy_import_text(&n, &out_f, w, nullptr, 1, nullptr, nullptr);
         }},
        {"workspace_export_file", "ws",
         [&] { return gridgov_hierarchy_export_file(nullptr, "x.json", GRIDGOV_FORMAT_JSON); }},
        {"workspace_export_file", "path",
         [&] { return gridgov_hierarchy_export_file(w, nullptr, GRIDGOV_FORMAT_JSON); }},
        {"workspace_export_text", "out",
         [&] { return gridgov_hierarchy_export_text(nullptr, w, GRIDGOV_FORMAT_JSON); }},
        {"workspace_export_text", "ws",
         [&] { return gridgov_hierarchy_export_text(&text, nullptr, GRIDGOV_FORMAT_JSON); }},
        {"findings_count", "out", [&] { return gridgov_findings_count(nullptr, f); }},
        {"findings_count", "findings", [&] { return gridgov_findings_count(&n, nullptr); }},
        {"findings_severity_count", "out",
         [&] { return gridgov_findings_severity_count(nullptr, f, GRIDGOV_SEVERITY_ERROR); }},
        {"findings_severity_count", "findings",
         [&] { return gridgov_findings_severity_count(&n, nullptr, GRIDGOV_SEVERITY_ERROR); }},
        {"findings_rule", "out", [&] { return gridgov_findings_rule(nullptr, f, 0); }},
        {"findings_rule", "findings", [&] { return gridgov_findings_rule(&s, nullptr, 0); }},
        {"findings_severity", "out", [&] { return gridgov_findings_severity(nullptr, f, 0); }},
        {"findings_severity", "findings",
         [&] { return gridgov_findings_severity(&i, nullptr, 0); }},
        {"findings_where", "out", [&] { return gridgov_findings_where(nullptr, f, 0); }},
        {"findings_where", "findings", [&] { return gridgov_findings_where(&s, nullptr, 0); }},
        {"findings_message", "out", [&] { return gridgov_findings_message(nullptr, f, 0); }},
        {"findings_message", "findings", [&] { return gridgov_findings_message(&s, nullptr, 0); }},
    };
    for (const Case& c : cases) {
        CAPTURE(c.function);
        CAPTURE(c.parameter);
        CHECK(c.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + c.parameter + "' must not be NULL");
    }
    CHECK(out_ws == nullptr);
    CHECK(out_f == nullptr);
    CHECK(text == nullptr);
    CHECK(node_count(w) == 8);
}

TEST_CASE("capi.workspace.close_and_destroy_accept_null") {
    gridgov_workspace_close(nullptr);
    gridgov_findings_destroy(nullptr);
    CHECK(last_error().empty());
}

TEST_CASE("capi.workspace.last_error_is_set_on_failure_and_cleared_by_the_next_success") {
    Workspace ws = open(":memory:", GRIDGOV_OPEN_CREATE);
    gridgov_node_id id = 0;
    CHECK(gridgov_hierarchy_find(&id, ws.get(), "371327101") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("371327101") != std::string::npos);
    std::size_t n = 99;
    CHECK(gridgov_hierarchy_node_count(&n, ws.get()) == GRIDGOV_OK);
    CHECK(n == 0);
    CHECK(last_error().empty());
}

TEST_CASE("capi.workspace.open.rejects_unknown_flags") {
    gridgov_workspace* ws = nullptr;
    CHECK(gridgov_workspace_open(&ws, ":memory:", 4 | GRIDGOV_OPEN_CREATE) == GRIDGOV_EINVAL);
    CHECK(last_error().find("flags") != std::string::npos);
    CHECK(ws == nullptr);
}

TEST_CASE("capi.workspace.open.missing_file_without_create_is_not_found") {
    TempDir dir;
    const std::string path = dir.file("absent.gridgov");
    gridgov_workspace* ws = nullptr;
    CHECK(gridgov_workspace_open(&ws, path.c_str(), 0) == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("absent.gridgov") != std::string::npos);
    CHECK(ws == nullptr);
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("capi.workspace.schema_version_and_path") {
    CHECK(gridgov_workspace_schema_version() >= 1);
    TempDir dir;
    const std::string path = dir.file("county.gridgov");
    Workspace ws = open(path, GRIDGOV_OPEN_CREATE);
    const char* p = nullptr;
    REQUIRE(gridgov_workspace_path(&p, ws.get()) == GRIDGOV_OK);
    CHECK(std::string(p) == path);
}

TEST_CASE("capi.workspace.reopen_gives_the_same_answers") {
    TempDir dir;
    const std::string path = dir.file("township.gridgov");
    gridgov_node_id grid = GRIDGOV_NO_NODE;
    {
        Workspace ws = open(path, GRIDGOV_OPEN_CREATE);
        import_text(ws.get(), township_json, GRIDGOV_FORMAT_JSON);
        CHECK(node_count(ws.get()) == 8);
        CHECK(households_of(ws.get(), "371327101") == 750);
        CHECK(households_of(ws.get(), "371327101001") == 461);
        grid = find(ws.get(), "371327101002002");
        REQUIRE(gridgov_hierarchy_rename(ws.get(), grid, "西河二组网格", "2026-03-01") ==
                GRIDGOV_OK);
    }
    SUBCASE("read-write") {
        Workspace ws = open(path, 0);
        CHECK(node_count(ws.get()) == 8);
        CHECK(households_of(ws.get(), "371327101") == 750);
        CHECK(households_of(ws.get(), "371327101001") == 461);
        CHECK(find(ws.get(), "371327101002002") == grid);
        const char* name = nullptr;
        REQUIRE(gridgov_hierarchy_name(&name, ws.get(), grid) == GRIDGOV_OK);
        CHECK(std::string(name) == "西河二组网格");
    }
    SUBCASE("read-only refuses changes and keeps the file") {
        Workspace ws = open(path, GRIDGOV_OPEN_READONLY);
        CHECK(households_of(ws.get(), "371327101") == 750);
        CHECK(gridgov_hierarchy_rename(ws.get(), grid, "改名", "2026-04-01") == GRIDGOV_ESTATE);
        CHECK_FALSE(last_error().empty());
        const char* name = nullptr;
        REQUIRE(gridgov_hierarchy_name(&name, ws.get(), grid) == GRIDGOV_OK);
        CHECK(std::string(name) == "西河二组网格");
    }
}

TEST_CASE("capi.workspace.open.foreign_file_is_version_mismatch") {
    TempDir dir;
    std::string path;
    std::string content;
    SUBCASE("another program's SQLite database") {
        path = dir.file("other-program.db");
        content = foreign_database();
    }
    SUBCASE("a text file") {
        path = dir.file("notes.txt");
        content = std::string(200, 'x');
    }
    write_file(path, content);
    gridgov_workspace* ws = nullptr;
    CHECK(gridgov_workspace_open(&ws, path.c_str(), GRIDGOV_OPEN_CREATE) == GRIDGOV_EVERSION);
    CHECK(last_error().find(path) != std::string::npos);
    CHECK(ws == nullptr);
    CHECK(read_file(path) == content);
}

TEST_CASE("capi.workspace.open.newer_schema_is_version_mismatch") {
    TempDir dir;
    const std::string path = dir.file("future.gridgov");
    open(path, GRIDGOV_OPEN_CREATE).reset();
    std::string bytes = read_file(path);
    REQUIRE(bytes.size() >= 100);
    // PRAGMA user_version is the big-endian word at offset 60 of the database header.
    const std::uint32_t future = static_cast<std::uint32_t>(gridgov_workspace_schema_version() + 1);
    for (int i = 0; i < 4; ++i)
        bytes[60 + i] = static_cast<char>(future >> (24 - 8 * i));
    write_file(path, bytes);
    gridgov_workspace* ws = nullptr;
    CHECK(gridgov_workspace_open(&ws, path.c_str(), 0) == GRIDGOV_EVERSION);
    CHECK(last_error().find(std::to_string(future)) != std::string::npos);
    CHECK(ws == nullptr);
}

TEST_CASE("capi.workspace.import.bad_input_names_file_row_and_field_and_imports_nothing") {
    TempDir dir;
    Workspace ws = open(dir.file("t.gridgov"), GRIDGOV_OPEN_CREATE);
    std::size_t added = 99;
    gridgov_findings* findings = nullptr;

    SUBCASE("a CSV cell that is not a number") {
        const std::string csv = dir.file("grids.csv");
        write_file(csv,
                   "code,parent_code,level,name,households\n"
                   "371327101,,township,岸堤镇,\n"
                   "371327101001,371327101,village,东岭村,\n"
                   "371327101001001,371327101001,grid,东岭一网格,about 150\n");
        const int status = gridgov_hierarchy_import_file(&added, &findings, ws.get(), csv.c_str(),
                                                         GRIDGOV_FORMAT_AUTO, nullptr);
        CHECK((status == GRIDGOV_EPARSE || status == GRIDGOV_EINVAL));
        const std::string message = last_error();
        CHECK(message.find("grids.csv") != std::string::npos);
        CHECK(message.find("line 4") != std::string::npos);
        CHECK(message.find("households") != std::string::npos);
    }
    SUBCASE("JSON that does not parse") {
        const int status = gridgov_hierarchy_import_text(
            &added, &findings, ws.get(), R"({"format": "gridgov.hierarchy", "nodes": [)",
            GRIDGOV_FORMAT_JSON, "broken.json", nullptr);
        CHECK(status == GRIDGOV_EPARSE);
        CHECK(last_error().find("broken.json") != std::string::npos);
    }
    SUBCASE("a JSON node without a level") {
        const int status =
            gridgov_hierarchy_import_text(&added, &findings, ws.get(),
                                          R"({"format": "gridgov.hierarchy",
            "version": 1, "nodes": [
              {"code": "371327101", "name": "岸堤镇", "level": "township"},
              {"code": "371327101001", "parent": "371327101", "name": "东岭村"}]})",
                                          GRIDGOV_FORMAT_JSON, "nolevel.json", nullptr);
        CHECK((status == GRIDGOV_EPARSE || status == GRIDGOV_EINVAL));
        const std::string message = last_error();
        CHECK(message.find("nolevel.json") != std::string::npos);
        CHECK(message.find("nodes[1]") != std::string::npos);
        CHECK(message.find("level") != std::string::npos);
    }
    SUBCASE("a file that does not exist") {
        const std::string missing = dir.file("missing.json");
        CHECK(gridgov_hierarchy_import_file(&added, &findings, ws.get(), missing.c_str(),
                                            GRIDGOV_FORMAT_AUTO, nullptr) != GRIDGOV_OK);
        CHECK(last_error().find("missing.json") != std::string::npos);
    }
    SUBCASE("an unknown format") {
        CHECK(gridgov_hierarchy_import_text(&added, &findings, ws.get(), township_json, 42, nullptr,
                                            nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error().find("format") != std::string::npos);
    }
    SUBCASE("a malformed effective date") {
        CHECK(gridgov_hierarchy_import_text(&added, &findings, ws.get(), township_json,
                                            GRIDGOV_FORMAT_JSON, nullptr,
                                            "2026-02-30") == GRIDGOV_EINVAL);
        CHECK(last_error().find("effective") != std::string::npos);
        CHECK(last_error().find("2026-02-30") != std::string::npos);
    }
    CHECK(added == 99);
    CHECK(findings == nullptr);
    CHECK(node_count(ws.get()) == 0);
}

TEST_CASE("capi.workspace.import_file_reports_nodes_added_and_findings") {
    TempDir dir;
    const std::string json = dir.file("township.json");
    write_file(json, township_json);
    Workspace ws = open(":memory:", GRIDGOV_OPEN_CREATE);
    std::size_t added = 0;
    gridgov_findings* raw = nullptr;
    REQUIRE(gridgov_hierarchy_import_file(&added, &raw, ws.get(), json.c_str(), GRIDGOV_FORMAT_AUTO,
                                          "2025-01-01") == GRIDGOV_OK);
    Findings findings(raw);
    CHECK(added == 8);
    CHECK(node_count(ws.get()) == 8);
    std::size_t count = 99;
    REQUIRE(gridgov_findings_count(&count, findings.get()) == GRIDGOV_OK);
    std::size_t errors = 99;
    REQUIRE(gridgov_findings_severity_count(&errors, findings.get(), GRIDGOV_SEVERITY_ERROR) ==
            GRIDGOV_OK);
    CHECK(errors == 0);
    CHECK(count >= errors);
}

TEST_CASE("capi.workspace.export_then_import_reproduces_the_hierarchy") {
    TempDir dir;
    Workspace source = open(":memory:", GRIDGOV_OPEN_CREATE);
    import_text(source.get(), township_json, GRIDGOV_FORMAT_JSON);

    SUBCASE("JSON text") {
        char* raw = nullptr;
        REQUIRE(gridgov_hierarchy_export_text(&raw, source.get(), GRIDGOV_FORMAT_JSON) ==
                GRIDGOV_OK);
        Text text(raw);
        CHECK(std::string(text.get()).find("371327101002002") != std::string::npos);
        Workspace copy = open(":memory:", GRIDGOV_OPEN_CREATE);
        import_text(copy.get(), text.get(), GRIDGOV_FORMAT_JSON);
        CHECK(node_count(copy.get()) == 8);
        CHECK(households_of(copy.get(), "371327101002") == 289);
    }
    SUBCASE("CSV file") {
        const std::string csv = dir.file("export.csv");
        REQUIRE(gridgov_hierarchy_export_file(source.get(), csv.c_str(), GRIDGOV_FORMAT_AUTO) ==
                GRIDGOV_OK);
        Workspace copy = open(":memory:", GRIDGOV_OPEN_CREATE);
        std::size_t added = 0;
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_hierarchy_import_file(&added, &raw, copy.get(), csv.c_str(),
                                              GRIDGOV_FORMAT_CSV, nullptr) == GRIDGOV_OK);
        Findings findings(raw);
        CHECK(added == 8);
        CHECK(households_of(copy.get(), "371327101") == 750);
    }
    SUBCASE("an unwritable path is a storage error") {
        const std::string bad = dir.file("no-such-folder/export.json");
        CHECK(gridgov_hierarchy_export_file(source.get(), bad.c_str(), GRIDGOV_FORMAT_JSON) ==
              GRIDGOV_ESTORAGE);
        CHECK(last_error().find("no-such-folder") != std::string::npos);
    }
}

TEST_CASE("capi.workspace.validate.options_choose_the_sizing_preset") {
    Workspace ws = open(":memory:", GRIDGOV_OPEN_CREATE);
    import_text(ws.get(), township_json, GRIDGOV_FORMAT_JSON);
    const gridgov_node_id grid = find(ws.get(), "371327101002001");
    REQUIRE(gridgov_hierarchy_set_value(ws.get(), grid, "households", 260, "2026-01-01") ==
            GRIDGOV_OK);
    gridgov_validation_options options;
    REQUIRE(gridgov_validation_options_init(&options, GRIDGOV_VALIDATION_OPTIONS_VERSION) ==
            GRIDGOV_OK);

    const auto findings_where = [&](const gridgov_validation_options* o) {
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_hierarchy_validate(&raw, ws.get(), o) == GRIDGOV_OK);
        Findings f(raw);
        std::size_t n = 0;
        REQUIRE(gridgov_findings_count(&n, f.get()) == GRIDGOV_OK);
        std::vector<std::string> where;
        for (std::size_t i = 0; i < n; ++i) {
            const char* w = nullptr;
            REQUIRE(gridgov_findings_where(&w, f.get(), i) == GRIDGOV_OK);
            where.emplace_back(w);
        }
        return where;
    };

    SUBCASE("no sizing by default") {
        CHECK(findings_where(nullptr).empty());
        CHECK(findings_where(&options).empty());
    }
    SUBCASE("the 150-household township preset flags the 260-household grid") {
        options.sizing = "rural_township_150";
        const std::vector<std::string> where = findings_where(&options);
        REQUIRE(where.size() == 1);
        CHECK(where[0] == "371327101002001");
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_hierarchy_validate(&raw, ws.get(), &options) == GRIDGOV_OK);
        Findings f(raw);
        const char* rule = nullptr;
        const char* message = nullptr;
        int severity = -1;
        REQUIRE(gridgov_findings_rule(&rule, f.get(), 0) == GRIDGOV_OK);
        REQUIRE(gridgov_findings_message(&message, f.get(), 0) == GRIDGOV_OK);
        REQUIRE(gridgov_findings_severity(&severity, f.get(), 0) == GRIDGOV_OK);
        CHECK(std::string(rule).rfind("hierarchy.", 0) == 0);
        CHECK(std::string(message).find("260") != std::string::npos);
        CHECK(severity >= GRIDGOV_SEVERITY_INFO);
        CHECK(severity <= GRIDGOV_SEVERITY_ERROR);
        CHECK(gridgov_findings_rule(&rule, f.get(), 1) == GRIDGOV_EINVAL);
        CHECK(last_error().find("index") != std::string::npos);
    }
    SUBCASE("an unknown preset names the choices") {
        options.sizing = "about_200";
        gridgov_findings* raw = nullptr;
        CHECK(gridgov_hierarchy_validate(&raw, ws.get(), &options) == GRIDGOV_EINVAL);
        CHECK(last_error().find("about_200") != std::string::npos);
        CHECK(last_error().find("rural_township_150") != std::string::npos);
        CHECK(raw == nullptr);
    }
    SUBCASE("a missing household count is a finding unless switched off") {
        REQUIRE(gridgov_hierarchy_set_value(ws.get(), grid, "households", NAN, "2026-02-01") ==
                GRIDGOV_OK);
        CHECK(findings_where(&options) == std::vector<std::string>{"371327101002001"});
        options.require_households = 0;
        CHECK(findings_where(&options).empty());
    }
    SUBCASE("options that were never set up are refused") {
        gridgov_validation_options raw_options{};
        gridgov_findings* raw = nullptr;
        CHECK(gridgov_hierarchy_validate(&raw, ws.get(), &raw_options) == GRIDGOV_EINVAL);
        CHECK(last_error().find("gridgov_validation_options_init") != std::string::npos);
    }
}

TEST_CASE("capi.workspace.validation_options_init.sets_the_defaults") {
    gridgov_validation_options options;
    std::memset(&options, 0xAB, sizeof options);
    REQUIRE(gridgov_validation_options_init(&options, GRIDGOV_VALIDATION_OPTIONS_VERSION) ==
            GRIDGOV_OK);
    CHECK(options.version == GRIDGOV_VALIDATION_OPTIONS_VERSION);
    CHECK(options.sizing == nullptr);
    CHECK(options.grid_level == nullptr);
    CHECK(options.village_level == nullptr);
    CHECK(options.check_code_prefix == 1);
    CHECK(options.check_code_length == 1);
    CHECK(options.check_unit_grid_id == 1);
    CHECK(options.require_households == 1);
    CHECK(gridgov_validation_options_init(&options, 99) == GRIDGOV_EINVAL);
    CHECK(last_error().find("99") != std::string::npos);
}
