// Shared fixtures of the C API contract tests: owning wrappers for the handles every
// suite uses, and a temporary folder for real workspace files. Sees only gridgov.h, like
// the tests themselves.
#ifndef GRIDGOV_TESTS_CAPI_SUPPORT_HPP
#define GRIDGOV_TESTS_CAPI_SUPPORT_HPP

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>

#include "../support/temp_dir.hpp"
#include "gridgov.h"

namespace capi_test {

struct WorkspaceCloser {
    void operator()(gridgov_workspace* ws) const { gridgov_workspace_close(ws); }
};
struct FindingsDestroyer {
    void operator()(gridgov_findings* f) const { gridgov_findings_destroy(f); }
};
struct Freer {
    void operator()(void* p) const { gridgov_free(p); }
};
using Workspace = std::unique_ptr<gridgov_workspace, WorkspaceCloser>;
using Findings = std::unique_ptr<gridgov_findings, FindingsDestroyer>;
using Text = std::unique_ptr<char, Freer>;

inline std::string last_error() {
    return gridgov_last_error_message();
}

// A folder under the system temp dir, removed with everything in it at scope exit.
using gridgov_test::TempDir;

/// The text a call handed out through `out` (freed here), after checking it succeeded;
/// takes the address, so that the call's result is read after the call has run.
inline std::string text_of(int rc, char** out) {
    const Text owned(*out);
    *out = nullptr;
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    REQUIRE(owned != nullptr);
    return owned.get();
}

/// text_of() read as JSON (members in document order).
inline nlohmann::ordered_json json_of(int rc, char** out) {
    return nlohmann::ordered_json::parse(text_of(rc, out));
}

/// Adds unit `code` of `level` to `overlay`, under `parent` (NULL for a top unit), covering
/// the base node `grid` (NULL for none), named `name` (NULL: the code); returns its id.
inline gridgov_node_id add_overlay_unit(gridgov_workspace* ws, const char* overlay,
                                        const char* code, const char* parent, const char* level,
                                        const char* grid, const char* name = nullptr) {
    gridgov_overlay_unit_spec spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) == GRIDGOV_OK);
    spec.code = code;
    spec.parent_code = parent;
    spec.name = name != nullptr ? name : code;
    spec.level = level;
    spec.grid_count = grid != nullptr ? 1 : 0;
    spec.grid_codes = grid != nullptr ? &grid : nullptr;
    gridgov_node_id id = GRIDGOV_NO_NODE;
    INFO(last_error());
    REQUIRE(gridgov_overlay_add_unit(&id, ws, overlay, &spec) == GRIDGOV_OK);
    return id;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// 岸堤镇 of the case and oversight suites: two villages, three grids, the posts of its
// catalogue, its people and the sanitation department.
inline constexpr const char* andi_hierarchy_json = R"({
  "format": "gridgov.hierarchy", "version": 1,
  "nodes": [
    {"code": "371327101", "name": "岸堤镇", "level": "township"},
    {"code": "371327101001", "parent": "371327101", "name": "东岭村", "level": "village"},
    {"code": "371327101002", "parent": "371327101", "name": "西河村", "level": "village"},
    {"code": "371327101001001", "parent": "371327101001", "name": "东岭一网格", "level": "grid",
     "area_type": "rural", "households": 152},
    {"code": "371327101001002", "parent": "371327101001", "name": "东岭二网格", "level": "grid",
     "area_type": "rural", "households": 148},
    {"code": "371327101002001", "parent": "371327101002", "name": "西河一网格", "level": "grid",
     "area_type": "rural", "households": 139}
  ]})";

inline constexpr const char* andi_catalogue_json = R"({
  "key": "andi", "name": "岸堤镇网格化服务管理", "duties": [],
  "roles": [
    {"code": "village_grid_leader", "zh": "二级网格长", "level": "village"},
    {"code": "grid_information_officer", "zh": "网格信息员", "level": "grid"},
    {"code": "service_centre_staff", "zh": "社会管理服务中心工作人员", "level": "township"}
  ]})";

inline constexpr const char* andi_people_json = R"({
  "people": [{"id": "P01", "name": "王立新"}, {"id": "P02", "name": "李秀英"},
             {"id": "P03", "name": "张建国"}, {"id": "P04", "name": "赵志强"}],
  "assignments": [
    {"person": "P01", "role": "grid_information_officer", "node": "371327101001001",
     "post": "A", "from": "2025-01-01"},
    {"person": "P02", "role": "village_grid_leader", "node": "371327101001", "post": "A",
     "from": "2025-01-01"},
    {"person": "P03", "role": "service_centre_staff", "node": "371327101", "post": "A",
     "from": "2025-01-01"}
  ]})";

inline constexpr const char* andi_departments_json = R"({
  "key": "andi", "name": "岸堤镇处置部门",
  "departments": [{"code": "D-HW-AD", "kind": "sanitation", "zh": "岸堤镇环卫所",
                   "node": "371327101", "members": ["P04"]}]})";

struct ValuesDestroyer {
    void operator()(gridgov_indicator_values* v) const { gridgov_indicator_values_destroy(v); }
};
struct SchemeDestroyer {
    void operator()(gridgov_assessment_scheme* s) const { gridgov_assessment_scheme_destroy(s); }
};
struct ScoreDestroyer {
    void operator()(gridgov_score* s) const { gridgov_score_destroy(s); }
};
using Values = std::unique_ptr<gridgov_indicator_values, ValuesDestroyer>;
using Scheme = std::unique_ptr<gridgov_assessment_scheme, SchemeDestroyer>;
using Score = std::unique_ptr<gridgov_score, ScoreDestroyer>;

/// REQUIREs a call to succeed, showing the library's message when it does not.
inline void ok(int status) {
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
}

/// The instant of an ISO 8601 text (China Standard Time without an offset).
inline int64_t at(const char* iso) {
    int64_t t = 0;
    REQUIRE(gridgov_instant_parse(&t, iso) == GRIDGOV_OK);
    return t;
}

/// A workspace opened (by default created) at `location`, REQUIRE'd to open.
inline Workspace open_workspace(const std::string& location, int flags = GRIDGOV_OPEN_CREATE) {
    gridgov_workspace* raw = nullptr;
    const int rc = gridgov_workspace_open(&raw, location.c_str(), flags);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return Workspace(raw);
}

/// 岸堤镇 in a workspace at `location`: the hierarchy, the catalogue, the people with their
/// posts and the departments above.
inline Workspace andi_township(const std::string& location) {
    Workspace ws = open_workspace(location);
    gridgov_workspace* raw = ws.get();
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    ok(gridgov_hierarchy_import_text(&added, &findings, raw, andi_hierarchy_json,
                                     GRIDGOV_FORMAT_JSON, "andi.json", nullptr));
    gridgov_findings_destroy(findings);
    ok(gridgov_directory_set_catalogue_json(raw, andi_catalogue_json, "andi-roles.json"));
    gridgov_directory_import_report report{};
    ok(gridgov_directory_import_text(&report, raw, andi_people_json, GRIDGOV_FORMAT_JSON,
                                     GRIDGOV_TABLE_AUTO, "andi-people.json"));
    gridgov_department_catalogue* departments = nullptr;
    ok(gridgov_department_catalogue_from_json(&departments, andi_departments_json, nullptr));
    const int status = gridgov_cases_set_departments(raw, departments);
    gridgov_department_catalogue_destroy(departments);
    ok(status);
    return ws;
}

}  // namespace capi_test

#endif
