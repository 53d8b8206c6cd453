// C ABI contract of workflow specs, the registry, categories, departments and routing.
// Sees only gridgov.h. The area is a township of the sample county (苇川县 青石镇).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

struct RegistryDestroyer {
    void operator()(gridgov_workflow_registry* r) const { gridgov_workflow_registry_destroy(r); }
};
struct CategoriesDestroyer {
    void operator()(gridgov_category_catalogue* c) const { gridgov_category_catalogue_destroy(c); }
};
struct DepartmentsDestroyer {
    void operator()(gridgov_department_catalogue* d) const {
        gridgov_department_catalogue_destroy(d);
    }
};
struct RoutingDestroyer {
    void operator()(gridgov_routing_table* t) const { gridgov_routing_table_destroy(t); }
};
using Registry = std::unique_ptr<gridgov_workflow_registry, RegistryDestroyer>;
using Categories = std::unique_ptr<gridgov_category_catalogue, CategoriesDestroyer>;
using Departments = std::unique_ptr<gridgov_department_catalogue, DepartmentsDestroyer>;
using Routing = std::unique_ptr<gridgov_routing_table, RoutingDestroyer>;

// 苇川县 › 青石镇 › 青石村 (grids 1, 2) and 东岭村 (grid 1).
const char* const county_json = R"({
  "format": "gridgov.hierarchy", "version": 1,
  "nodes": [
    {"code": "371338", "name": "苇川县", "level": "county"},
    {"code": "371338101", "parent": "371338", "name": "青石镇", "level": "township"},
    {"code": "371338101001", "parent": "371338101", "name": "青石村", "level": "village"},
    {"code": "371338101002", "parent": "371338101", "name": "东岭村", "level": "village"},
    {"code": "371338101001001", "parent": "371338101001", "name": "青石村第一网格", "level": "grid",
     "households": 151},
    {"code": "371338101001002", "parent": "371338101001", "name": "青石村第二网格", "level": "grid",
     "households": 148},
    {"code": "371338101002001", "parent": "371338101002", "name": "东岭村第一网格", "level": "grid",
     "households": 153}
  ]})";

const char* const departments_json = R"({
  "key": "weichuan", "name": "苇川县处置部门",
  "departments": [
    {"code": "D-HW-XIAN", "kind": "sanitation", "zh": "县环境卫生服务中心", "node": "371338", "members": ["P0101"]},
    {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101", "members": ["P0102"]},
    {"code": "D-ZF-XIAN", "kind": "urban_enforcement", "zh": "县综合行政执法局", "node": "371338", "members": ["P0103"]},
    {"code": "D-ZF-QS", "kind": "urban_enforcement", "zh": "青石镇综合执法中队", "node": "371338101", "members": ["P0104"]},
    {"code": "D-QS-ZZ", "kind": "territorial", "zh": "青石镇综治中心", "node": "371338101", "members": ["P0105"]},
    {"code": "D-QSC", "kind": "territorial", "zh": "青石村委会", "node": "371338101001", "members": []}
  ]})";

const char* const routing_json = R"({
  "territorial_level": "township",
  "rules": [
    {"category_prefix": "E01", "subtree": "371338101001", "department": "D-ZF-QS", "note": "青石村市容环境由镇执法中队统管"},
    {"category_prefix": "E0102", "department": "D-HW-XIAN", "note": "暴露垃圾全县由县环卫中心处置"},
    {"category_prefix": "E0105", "department": "D-ZF-XIAN"},
    {"category_prefix": "E0105", "subtree": "371338101", "department": "D-ZF-QS"},
    {"category_prefix": "E0106", "subtree": "371338101", "department": "D-HW-QS"},
    {"category_prefix": "E0106", "subtree": "371338101", "department": "D-ZF-QS"}
  ]})";

// The smallest valid workflow: a report opens a case, the system closes it. `to` and the
// label of the first state vary by test.
std::string tiny_spec(const std::string& close_to = "done", const std::string& open_zh = "办理中",
                      int version = 1, const std::string& close_who = "system") {
    return R"({"key": "tiny", "version": )" + std::to_string(version) + R"(, "zh": "最小流程",
      "counters": ["rework"], "flags": ["supervised"],
      "tiers": [{"level": "grid", "zh": "网格"}, {"level": "village", "zh": "社区"}],
      "stages": [{"key": "work", "zh": "办理", "default_limit": {"value": 4, "unit": "working_hours"}}],
      "states": [{"key": "open", "zh": ")" +
           open_zh + R"(", "kind": "pending", "timer": "work"},
                 {"key": "done", "zh": "已办结", "kind": "closed", "terminal": true}],
      "transitions": [{"command": "report", "to": "open", "who": ["system"]},
                      {"command": "close", "from": ["open"], "to": ")" +
           close_to + R"(", "who": [")" + close_who + R"("], "clock": "stop"}]})";
}

std::vector<std::string> rules_of(const gridgov_findings* findings) {
    std::size_t n = 0;
    REQUIRE(gridgov_findings_count(&n, findings) == GRIDGOV_OK);
    std::vector<std::string> rules;
    for (std::size_t i = 0; i < n; ++i) {
        const char* rule = nullptr;
        REQUIRE(gridgov_findings_rule(&rule, findings, i) == GRIDGOV_OK);
        rules.emplace_back(rule);
    }
    return rules;
}

Registry builtin() {
    gridgov_workflow_registry* r = nullptr;
    REQUIRE(gridgov_workflow_registry_create_builtin(&r) == GRIDGOV_OK);
    return Registry(r);
}

std::vector<int32_t> versions(const gridgov_workflow_registry* r, const char* key) {
    int32_t* raw = nullptr;
    std::size_t n = 99;
    REQUIRE(gridgov_workflow_registry_versions(&raw, &n, r, key) == GRIDGOV_OK);
    std::unique_ptr<int32_t, Freer> owned(raw);
    return std::vector<int32_t>(raw, raw + n);
}

std::string spec_json(const gridgov_workflow_registry* r, const char* key, int version) {
    char* raw = nullptr;
    const int status = gridgov_workflow_registry_spec_json(&raw, r, key, version);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Text(raw).get();
}

Categories preset(const char* key) {
    gridgov_category_catalogue* c = nullptr;
    REQUIRE(gridgov_category_catalogue_preset(&c, key) == GRIDGOV_OK);
    return Categories(c);
}

Departments departments() {
    gridgov_department_catalogue* d = nullptr;
    const int status =
        gridgov_department_catalogue_from_json(&d, departments_json, "departments.json");
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Departments(d);
}

Routing routing() {
    gridgov_routing_table* t = nullptr;
    const int status = gridgov_routing_table_from_json(&t, routing_json, "routing.json");
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Routing(t);
}

Workspace county(const std::string& path = ":memory:") {
    gridgov_workspace* ws = nullptr;
    REQUIRE(gridgov_workspace_open(&ws, path.c_str(), GRIDGOV_OPEN_CREATE) == GRIDGOV_OK);
    Workspace owned(ws);
    std::size_t added = 0;
    gridgov_findings* findings = nullptr;
    const int status = gridgov_hierarchy_import_text(&added, &findings, ws, county_json,
                                                     GRIDGOV_FORMAT_JSON, "weichuan.json", nullptr);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    gridgov_findings_destroy(findings);
    REQUIRE(added == 7);
    return owned;
}

// The workspace file at `path` opened again.
Workspace county_reopened(const std::string& path) {
    gridgov_workspace* ws = nullptr;
    const int status = gridgov_workspace_open(&ws, path.c_str(), 0);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Workspace(ws);
}

gridgov_node_id find(const gridgov_workspace* ws, const char* code) {
    gridgov_node_id id = GRIDGOV_NO_NODE;
    REQUIRE(gridgov_hierarchy_find(&id, ws, code) == GRIDGOV_OK);
    return id;
}

// A route whose strings are released at scope exit.
struct OwnedRoute {
    gridgov_route route{};
    ~OwnedRoute() {
        gridgov_free(route.department);
        gridgov_free(route.reasoning);
        gridgov_free(route.unit);
    }
};

// Adds unit `code` to `overlay`, covering `grid` (none when NULL).
void add_unit(gridgov_workspace* ws, const char* overlay, const char* code, const char* parent,
              const char* name, const char* level, const char* grid) {
    gridgov_overlay_unit_spec spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) == GRIDGOV_OK);
    spec.code = code;
    spec.parent_code = parent;
    spec.name = name;
    spec.level = level;
    const char* grids[] = {grid};
    spec.grid_codes = grids;
    spec.grid_count = grid != nullptr ? 1 : 0;
    gridgov_node_id id = GRIDGOV_NO_NODE;
    const int status = gridgov_overlay_add_unit(&id, ws, overlay, &spec);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
}

// The county with two overlays over its grids: a fire network, 大网格 L1 over the 中网格 M1
// (青石村, both its grids) and M2 (东岭村第一网格); a health network (健康网格) whose one
// unit H1 covers 青石村第一网格.
void add_fire_and_health_grids(gridgov_workspace* ws) {
    REQUIRE(gridgov_overlay_add(ws, "fire", "消防网格", "fire_safety") == GRIDGOV_OK);
    add_unit(ws, "fire", "L1", nullptr, "青石镇消防大网格", "large", nullptr);
    add_unit(ws, "fire", "M1", "L1", "青石村消防中网格", "medium", "371338101001");
    add_unit(ws, "fire", "M2", "L1", "东岭村消防中网格", "medium", "371338101002001");
    REQUIRE(gridgov_overlay_add(ws, "health", "健康网格", "market_supervision") == GRIDGOV_OK);
    add_unit(ws, "health", "H1", nullptr, "青石一网格健康网格", "section", "371338101001001");
}

// The departments above and three serving units of the fire network: the township's fire
// station on L1, a village's micro fire station and its patrol on M1.
Departments departments_with_fire_stations() {
    std::string json = departments_json;
    json.insert(json.rfind(']'), R"(,
    {"code": "D-XF-L1", "kind": "fire_station", "zh": "青石镇消防救援站", "node": "fire:L1", "members": ["P0201"]},
    {"code": "D-XF-M1", "kind": "fire_station", "zh": "青石村微型消防站", "node": "fire:M1", "members": ["P0202"]},
    {"code": "D-XF-M1B", "kind": "fire_patrol", "zh": "青石村巡防队", "node": "fire:M1", "members": ["P0203"]}
  )");
    gridgov_department_catalogue* d = nullptr;
    const int status = gridgov_department_catalogue_from_json(&d, json.c_str(), "departments.json");
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    return Departments(d);
}

// Fire hazards go to the fire grid covering the case (seed 002 第四篇), matters of the
// 社区卫生服务团队 to the health grid; one of them to a named department.
const char* const overlay_routing_json = R"({
  "territorial_level": "township",
  "rules": [
    {"category_prefix": "G0201", "overlay": "fire", "note": "消防安全隐患进消防网格"},
    {"category_prefix": "G0303", "overlay": "health"},
    {"category_prefix": "G0302", "overlay": "health", "department": "D-QS-ZZ"}
  ]})";

}  // namespace

TEST_CASE("capi.workflow.functions_reject_null_arguments_naming_them") {
    Workspace ws = county();
    Registry reg = builtin();
    Categories cats = preset("combined");
    Departments depts = departments();
    Routing table = routing();
    gridgov_workspace* w = ws.get();
    gridgov_workflow_registry* r = reg.get();
    gridgov_category_catalogue* c = cats.get();
    gridgov_department_catalogue* d = depts.get();
    gridgov_routing_table* t = table.get();
    gridgov_findings* out_f = nullptr;
    gridgov_workflow_registry* out_r = nullptr;
    gridgov_category_catalogue* out_c = nullptr;
    gridgov_department_catalogue* out_d = nullptr;
    gridgov_routing_table* out_t = nullptr;
    const char* s = nullptr;
    char* text = nullptr;
    int32_t* array = nullptr;
    std::size_t n = 0;
    int i = 0;
    gridgov_time_limit limit{};
    gridgov_route route{};
    const std::string spec = tiny_spec();
    const char* json = spec.c_str();

    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    const std::vector<Case> cases = {
        {"command_name", "out", [&] { return gridgov_command_name(nullptr, 0); }},
        {"command_parse", "out", [&] { return gridgov_command_parse(nullptr, "file"); }},
        {"command_parse", "name", [&] { return gridgov_command_parse(&i, nullptr); }},
        {"workflow_check_options_init", "options",
         [&] {
             return gridgov_workflow_check_options_init(nullptr,
                                                        GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION);
         }},
        {"workflow_validate_json", "out",
         [&] { return gridgov_workflow_validate_json(nullptr, json, nullptr, nullptr); }},
        {"workflow_validate_json", "json",
         [&] { return gridgov_workflow_validate_json(&out_f, nullptr, nullptr, nullptr); }},
        {"workflow_registry_create", "out",
         [&] { return gridgov_workflow_registry_create(nullptr); }},
        {"workflow_registry_create_builtin", "out",
         [&] { return gridgov_workflow_registry_create_builtin(nullptr); }},
        {"workflow_registry_add_json", "out",
         [&] { return gridgov_workflow_registry_add_json(nullptr, r, json, nullptr, nullptr); }},
        {"workflow_registry_add_json", "registry",
         [&] {
             return gridgov_workflow_registry_add_json(&out_f, nullptr, json, nullptr, nullptr);
         }},
        {"workflow_registry_add_json", "json",
         [&] { return gridgov_workflow_registry_add_json(&out_f, r, nullptr, nullptr, nullptr); }},
        {"workflow_registry_count", "out",
         [&] { return gridgov_workflow_registry_count(nullptr, r); }},
        {"workflow_registry_count", "registry",
         [&] { return gridgov_workflow_registry_count(&n, nullptr); }},
        {"workflow_registry_key_count", "out",
         [&] { return gridgov_workflow_registry_key_count(nullptr, r); }},
        {"workflow_registry_key_count", "registry",
         [&] { return gridgov_workflow_registry_key_count(&n, nullptr); }},
        {"workflow_registry_key", "out",
         [&] { return gridgov_workflow_registry_key(nullptr, r, 0); }},
        {"workflow_registry_key", "registry",
         [&] { return gridgov_workflow_registry_key(&s, nullptr, 0); }},
        {"workflow_registry_versions", "out",
         [&] { return gridgov_workflow_registry_versions(nullptr, &n, r, "tiny"); }},
        {"workflow_registry_versions", "out_count",
         [&] { return gridgov_workflow_registry_versions(&array, nullptr, r, "tiny"); }},
        {"workflow_registry_versions", "registry",
         [&] { return gridgov_workflow_registry_versions(&array, &n, nullptr, "tiny"); }},
        {"workflow_registry_versions", "key",
         [&] { return gridgov_workflow_registry_versions(&array, &n, r, nullptr); }},
        {"workflow_registry_spec_json", "out",
         [&] { return gridgov_workflow_registry_spec_json(nullptr, r, "township_six_step", 1); }},
        {"workflow_registry_spec_json", "registry",
         [&] {
             return gridgov_workflow_registry_spec_json(&text, nullptr, "township_six_step", 1);
         }},
        {"workflow_registry_spec_json", "key",
         [&] { return gridgov_workflow_registry_spec_json(&text, r, nullptr, 1); }},
        {"workflow_registry_commands_from", "out",
         [&] {
             return gridgov_workflow_registry_commands_from(nullptr, &n, r, "township_six_step", 1,
                                                            "filed");
         }},
        {"workflow_registry_commands_from", "out_count",
         [&] {
             return gridgov_workflow_registry_commands_from(&array, nullptr, r, "township_six_step",
                                                            1, "filed");
         }},
        {"workflow_registry_commands_from", "registry",
         [&] {
             return gridgov_workflow_registry_commands_from(&array, &n, nullptr,
                                                            "township_six_step", 1, "filed");
         }},
        {"workflow_registry_commands_from", "key",
         [&] {
             return gridgov_workflow_registry_commands_from(&array, &n, r, nullptr, 1, "filed");
         }},
        {"workflow_registry_commands_from", "state",
         [&] {
             return gridgov_workflow_registry_commands_from(&array, &n, r, "township_six_step", 1,
                                                            nullptr);
         }},
        {"category_catalogue_from_json", "out",
         [&] { return gridgov_category_catalogue_from_json(nullptr, "{}", nullptr); }},
        {"category_catalogue_from_json", "json",
         [&] { return gridgov_category_catalogue_from_json(&out_c, nullptr, nullptr); }},
        {"category_catalogue_preset", "out",
         [&] { return gridgov_category_catalogue_preset(nullptr, "combined"); }},
        {"category_catalogue_preset", "key",
         [&] { return gridgov_category_catalogue_preset(&out_c, nullptr); }},
        {"category_catalogue_to_json", "out",
         [&] { return gridgov_category_catalogue_to_json(nullptr, c); }},
        {"category_catalogue_to_json", "categories",
         [&] { return gridgov_category_catalogue_to_json(&text, nullptr); }},
        {"category_catalogue_validate", "out",
         [&] { return gridgov_category_catalogue_validate(nullptr, c); }},
        {"category_catalogue_validate", "categories",
         [&] { return gridgov_category_catalogue_validate(&out_f, nullptr); }},
        {"category_catalogue_count", "out",
         [&] { return gridgov_category_catalogue_count(nullptr, c); }},
        {"category_catalogue_count", "categories",
         [&] { return gridgov_category_catalogue_count(&n, nullptr); }},
        {"category_catalogue_code", "out",
         [&] { return gridgov_category_catalogue_code(nullptr, c, 0); }},
        {"category_catalogue_code", "categories",
         [&] { return gridgov_category_catalogue_code(&s, nullptr, 0); }},
        {"category_catalogue_name", "out",
         [&] { return gridgov_category_catalogue_name(nullptr, c, "E0102"); }},
        {"category_catalogue_name", "categories",
         [&] { return gridgov_category_catalogue_name(&s, nullptr, "E0102"); }},
        {"category_catalogue_name", "code",
         [&] { return gridgov_category_catalogue_name(&s, c, nullptr); }},
        {"category_catalogue_department", "out",
         [&] { return gridgov_category_catalogue_department(nullptr, c, "E0102"); }},
        {"category_catalogue_department", "categories",
         [&] { return gridgov_category_catalogue_department(&s, nullptr, "E0102"); }},
        {"category_catalogue_department", "code",
         [&] { return gridgov_category_catalogue_department(&s, c, nullptr); }},
        {"category_catalogue_limit", "out",
         [&] {
             return gridgov_category_catalogue_limit(nullptr, &i, c, "E0102", "handle", nullptr);
         }},
        {"category_catalogue_limit", "out_found",
         [&] {
             return gridgov_category_catalogue_limit(&limit, nullptr, c, "E0102", "handle",
                                                     nullptr);
         }},
        {"category_catalogue_limit", "categories",
         [&] {
             return gridgov_category_catalogue_limit(&limit, &i, nullptr, "E0102", "handle",
                                                     nullptr);
         }},
        {"category_catalogue_limit", "code",
         [&] {
             return gridgov_category_catalogue_limit(&limit, &i, c, nullptr, "handle", nullptr);
         }},
        {"category_catalogue_limit", "stage",
         [&] {
             return gridgov_category_catalogue_limit(&limit, &i, c, "E0102", nullptr, nullptr);
         }},
        {"department_catalogue_from_json", "out",
         [&] { return gridgov_department_catalogue_from_json(nullptr, "{}", nullptr); }},
        {"department_catalogue_from_json", "json",
         [&] { return gridgov_department_catalogue_from_json(&out_d, nullptr, nullptr); }},
        {"department_catalogue_to_json", "out",
         [&] { return gridgov_department_catalogue_to_json(nullptr, d); }},
        {"department_catalogue_to_json", "departments",
         [&] { return gridgov_department_catalogue_to_json(&text, nullptr); }},
        {"department_catalogue_validate", "out",
         [&] { return gridgov_department_catalogue_validate(nullptr, d, w, 0); }},
        {"department_catalogue_validate", "departments",
         [&] { return gridgov_department_catalogue_validate(&out_f, nullptr, w, 0); }},
        {"department_catalogue_validate", "ws",
         [&] { return gridgov_department_catalogue_validate(&out_f, d, nullptr, 0); }},
        {"department_catalogue_count", "out",
         [&] { return gridgov_department_catalogue_count(nullptr, d); }},
        {"department_catalogue_count", "departments",
         [&] { return gridgov_department_catalogue_count(&n, nullptr); }},
        {"department_catalogue_code", "out",
         [&] { return gridgov_department_catalogue_code(nullptr, d, 0); }},
        {"department_catalogue_code", "departments",
         [&] { return gridgov_department_catalogue_code(&s, nullptr, 0); }},
        {"routing_table_from_json", "out",
         [&] { return gridgov_routing_table_from_json(nullptr, "{}", nullptr); }},
        {"routing_table_from_json", "json",
         [&] { return gridgov_routing_table_from_json(&out_t, nullptr, nullptr); }},
        {"routing_table_to_json", "out", [&] { return gridgov_routing_table_to_json(nullptr, t); }},
        {"routing_table_to_json", "table",
         [&] { return gridgov_routing_table_to_json(&text, nullptr); }},
        {"routing_table_validate", "out",
         [&] { return gridgov_routing_table_validate(nullptr, t, w, c, d); }},
        {"routing_table_validate", "table",
         [&] { return gridgov_routing_table_validate(&out_f, nullptr, w, c, d); }},
        {"routing_table_validate", "ws",
         [&] { return gridgov_routing_table_validate(&out_f, t, nullptr, c, d); }},
        {"routing_table_validate", "categories",
         [&] { return gridgov_routing_table_validate(&out_f, t, w, nullptr, d); }},
        {"routing_table_validate", "departments",
         [&] { return gridgov_routing_table_validate(&out_f, t, w, c, nullptr); }},
        {"routing_table_route", "out",
         [&] { return gridgov_routing_table_route(nullptr, t, w, c, d, "E0102", 0); }},
        {"routing_table_route", "table",
         [&] { return gridgov_routing_table_route(&route, nullptr, w, c, d, "E0102", 0); }},
        {"routing_table_route", "ws",
         [&] { return gridgov_routing_table_route(&route, t, nullptr, c, d, "E0102", 0); }},
        {"routing_table_route", "categories",
         [&] { return gridgov_routing_table_route(&route, t, w, nullptr, d, "E0102", 0); }},
        {"routing_table_route", "departments",
         [&] { return gridgov_routing_table_route(&route, t, w, c, nullptr, "E0102", 0); }},
        {"routing_table_route", "category",
         [&] { return gridgov_routing_table_route(&route, t, w, c, d, nullptr, 0); }},
    };
    for (const Case& k : cases) {
        CAPTURE(k.function);
        CAPTURE(k.parameter);
        CHECK(k.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + k.parameter + "' must not be NULL");
    }
    CHECK(out_f == nullptr);
    CHECK(out_r == nullptr);
    CHECK(out_c == nullptr);
    CHECK(out_d == nullptr);
    CHECK(out_t == nullptr);
    CHECK(text == nullptr);
    CHECK(array == nullptr);
    CHECK(route.department == nullptr);
    CHECK(route.unit == nullptr);
    std::size_t specs = 0;
    REQUIRE(gridgov_workflow_registry_count(&specs, r) == GRIDGOV_OK);
    CHECK(specs == 4);
}

TEST_CASE("capi.workflow.destroy_accepts_null") {
    gridgov_workflow_registry_destroy(nullptr);
    gridgov_category_catalogue_destroy(nullptr);
    gridgov_department_catalogue_destroy(nullptr);
    gridgov_routing_table_destroy(nullptr);
    CHECK(last_error().empty());
}

TEST_CASE("capi.workflow.commands.names_round_trip") {
    for (int command = GRIDGOV_COMMAND_REPORT; command <= GRIDGOV_COMMAND_CALLBACK; ++command) {
        CAPTURE(command);
        const char* name = nullptr;
        REQUIRE(gridgov_command_name(&name, command) == GRIDGOV_OK);
        int back = -1;
        REQUIRE(gridgov_command_parse(&back, name) == GRIDGOV_OK);
        CHECK(back == command);
    }
    const char* name = nullptr;
    REQUIRE(gridgov_command_name(&name, GRIDGOV_COMMAND_VOID) == GRIDGOV_OK);
    CHECK(std::string(name) == "void");
    REQUIRE(gridgov_command_name(&name, GRIDGOV_COMMAND_RETURN) == GRIDGOV_OK);
    CHECK(std::string(name) == "return");

    CHECK(gridgov_command_name(&name, GRIDGOV_COMMAND_CALLBACK + 1) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "21"));
    CHECK(gridgov_command_name(&name, -1) == GRIDGOV_EINVAL);
    int command = 99;
    CHECK(gridgov_command_parse(&command, "reopen") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "unknown command 'reopen' (expected report, file,"));
    CHECK(command == 99);
}

TEST_CASE("capi.workflow.registry.builtin_profiles") {
    Registry reg = builtin();
    std::size_t keys = 0;
    REQUIRE(gridgov_workflow_registry_key_count(&keys, reg.get()) == GRIDGOV_OK);
    REQUIRE(keys == 4);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < keys; ++i) {
        const char* key = nullptr;
        REQUIRE(gridgov_workflow_registry_key(&key, reg.get(), i) == GRIDGOV_OK);
        names.emplace_back(key);
    }
    CHECK(names == std::vector<std::string>{"hazard_rectification", "hotline_callback",
                                            "township_six_step", "urban_seven_step"});
    const char* key = nullptr;
    CHECK(gridgov_workflow_registry_key(&key, reg.get(), 4) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "index: 4 is out of range (4 keys)"));

    CHECK(versions(reg.get(), "township_six_step") == std::vector<int32_t>{1});
    CHECK(versions(reg.get(), "county_twelve_step").empty());
    const std::string json = spec_json(reg.get(), "township_six_step", 0);
    CHECK(contains(json, "\"township_six_step\""));
    CHECK(json == spec_json(reg.get(), "township_six_step", 1));

    char* text = nullptr;
    CHECK(gridgov_workflow_registry_spec_json(&text, reg.get(), "township_six_step", 2) ==
          GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "no workflow \"township_six_step\" version 2"));
    CHECK(gridgov_workflow_registry_spec_json(&text, reg.get(), "county_twelve_step", 0) ==
          GRIDGOV_ENOTFOUND);
    CHECK(text == nullptr);

    SUBCASE("commands a case may take from a state") {
        const auto commands_from = [&](const char* state) {
            int32_t* raw = nullptr;
            std::size_t n = 0;
            const int status = gridgov_workflow_registry_commands_from(
                &raw, &n, reg.get(), "township_six_step", 1, state);
            INFO(last_error());
            REQUIRE(status == GRIDGOV_OK);
            std::unique_ptr<int32_t, Freer> owned(raw);
            return std::vector<int32_t>(raw, raw + n);
        };
        CHECK(commands_from("reported") ==
              std::vector<int32_t>{GRIDGOV_COMMAND_FILE, GRIDGOV_COMMAND_VOID,
                                   GRIDGOV_COMMAND_ESCALATE, GRIDGOV_COMMAND_SELF_HANDLE});
        CHECK(commands_from("evaluating") ==
              std::vector<int32_t>{GRIDGOV_COMMAND_CLOSE, GRIDGOV_COMMAND_RATE});
        CHECK(commands_from("archived").empty());
        int32_t* raw = nullptr;
        std::size_t n = 0;
        CHECK(gridgov_workflow_registry_commands_from(&raw, &n, reg.get(), "township_six_step", 1,
                                                      "finished") == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "finished"));
        CHECK(raw == nullptr);
    }
}

TEST_CASE("capi.workflow.registry.versions_coexist_and_never_change") {
    Registry reg = builtin();
    // A locality's version 2 of the township loop, differing only in its version.
    std::string v2 = spec_json(reg.get(), "township_six_step", 1);
    const std::string one = "\"version\": 1";
    const std::size_t at = v2.find(one);
    REQUIRE(at != std::string::npos);
    v2.replace(at, one.size(), "\"version\": 2");

    gridgov_findings* raw = nullptr;
    const int status = gridgov_workflow_registry_add_json(&raw, reg.get(), v2.c_str(),
                                                          "青石镇六步闭环 v2", nullptr);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);
    Findings warnings(raw);
    CHECK(rules_of(warnings.get()).empty());
    CHECK(versions(reg.get(), "township_six_step") == std::vector<int32_t>{1, 2});
    CHECK(contains(spec_json(reg.get(), "township_six_step", 0), "\"version\": 2"));

    gridgov_findings* again = nullptr;
    CHECK(gridgov_workflow_registry_add_json(&again, reg.get(), v2.c_str(), nullptr, nullptr) ==
          GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "workflow township_six_step@2 is already registered"));
    CHECK(again == nullptr);
    std::size_t n = 0;
    REQUIRE(gridgov_workflow_registry_count(&n, reg.get()) == GRIDGOV_OK);
    CHECK(n == 5);
}

TEST_CASE("capi.workflow.registry.refuses_error_findings_and_changes_nothing") {
    gridgov_workflow_registry* raw = nullptr;
    REQUIRE(gridgov_workflow_registry_create(&raw) == GRIDGOV_OK);
    Registry reg(raw);
    gridgov_findings* findings = nullptr;

    SUBCASE("an error-level finding names the spec, the path, the field and the rule") {
        const std::string bad = tiny_spec("finished");
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(), bad.c_str(), nullptr,
                                                 nullptr) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(),
                       "workflow tiny@1 refused at /transitions/1/to (field 'to'): transition 1 "
                       "(close) goes to unknown state \"finished\" [workflow.unknown_state]"));
    }
    SUBCASE("text that is not JSON names the source") {
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(),
                                                 "{\"key\": ", "county.workflow.json",
                                                 nullptr) == GRIDGOV_EPARSE);
        CHECK(contains(last_error(), "county.workflow.json: not valid JSON"));
    }
    SUBCASE("an error right after a Chinese character leaves the message whole UTF-8") {
        // The lexer stops on the first of the three bytes of 网.
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(), "{\"key\": 网格}",
                                                 "网格.json", nullptr) == GRIDGOV_EPARSE);
        CHECK(last_error() ==
              "网格.json: not valid JSON at line 1, column 9, member /key: syntax "
              "error while parsing value - invalid literal (near '网格}')");
    }
    SUBCASE("a number outside a double names the member") {
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(),
                                                 "{\"key\": \"t\", \"version\": 1e400}", "t.json",
                                                 nullptr) == GRIDGOV_EPARSE);
        CHECK(contains(last_error(),
                       "t.json: not valid JSON at line 1, column 25, member "
                       "/version: number overflow parsing '1e400'"));
    }
    SUBCASE("an unknown command names the path and the field") {
        std::string bad = tiny_spec();
        bad.replace(bad.find("\"close\""), 7, "\"reopen\"");
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(), bad.c_str(), "qingshi.json",
                                                 nullptr) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "qingshi.json"));
        CHECK(contains(last_error(), "field 'command'"));
        CHECK(contains(last_error(), "unknown command 'reopen' (expected report, file,"));
    }
    SUBCASE("a role the workspace's catalogue lacks") {
        Workspace ws = county();
        gridgov_workflow_check_options options;
        REQUIRE(gridgov_workflow_check_options_init(
                    &options, GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION) == GRIDGOV_OK);
        options.roles = GRIDGOV_WORKFLOW_ROLES_WORKSPACE;
        options.workspace = ws.get();
        const std::string with_role = tiny_spec("done", "办理中", 1, "dispatcher");
        CHECK(gridgov_workflow_registry_add_json(&findings, reg.get(), with_role.c_str(), nullptr,
                                                 &options) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "refused at /transitions/1/who/0 (field 'who')"));
        CHECK(contains(last_error(), "[workflow.unknown_role]"));
    }
    CHECK(findings == nullptr);
    std::size_t n = 99;
    REQUIRE(gridgov_workflow_registry_count(&n, reg.get()) == GRIDGOV_OK);
    CHECK(n == 0);
}

TEST_CASE("capi.workflow.validate_json.findings_and_options") {
    gridgov_workflow_check_options options;
    REQUIRE(gridgov_workflow_check_options_init(&options, GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION) ==
            GRIDGOV_OK);
    CHECK(options.roles == GRIDGOV_WORKFLOW_ROLES_EXPECTED);
    CHECK(options.workspace == nullptr);
    CHECK(options.roles_json == nullptr);
    CHECK(options.categories == nullptr);
    gridgov_findings* raw = nullptr;

    SUBCASE("a clean spec has no findings") {
        const std::string spec = tiny_spec();
        REQUIRE(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, nullptr) == GRIDGOV_OK);
        Findings f(raw);
        CHECK(rules_of(f.get()).empty());
    }
    SUBCASE("errors are findings, not a refusal") {
        const std::string spec = tiny_spec("finished", "");
        REQUIRE(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, &options) ==
                GRIDGOV_OK);
        Findings f(raw);
        const std::vector<std::string> rules = rules_of(f.get());
        // "done" is no longer reachable once close leads elsewhere.
        CHECK(std::set<std::string>(rules.begin(), rules.end()) ==
              std::set<std::string>{"workflow.unknown_state", "workflow.empty_label",
                                    "workflow.unreachable_state"});
        std::size_t errors = 0;
        REQUIRE(gridgov_findings_severity_count(&errors, f.get(), GRIDGOV_SEVERITY_ERROR) ==
                GRIDGOV_OK);
        CHECK(errors >= 1);
        const char* where = nullptr;
        REQUIRE(gridgov_findings_where(&where, f.get(), 0) == GRIDGOV_OK);
        CHECK(contains(where, "tiny@1:/"));
    }
    SUBCASE("roles from a catalogue given as JSON") {
        options.roles = GRIDGOV_WORKFLOW_ROLES_JSON;
        options.roles_json = R"({"key": "qingshi", "name": "青石镇", "duties": [],
            "roles": [{"code": "dispatcher", "zh": "派遣员", "level": "county"}]})";
        const std::string known = tiny_spec("done", "办理中", 1, "dispatcher");
        REQUIRE(gridgov_workflow_validate_json(&raw, known.c_str(), nullptr, &options) ==
                GRIDGOV_OK);
        Findings ok(raw);
        CHECK(rules_of(ok.get()).empty());
        const std::string unknown = tiny_spec("done", "办理中", 1, "mayor");
        REQUIRE(gridgov_workflow_validate_json(&raw, unknown.c_str(), nullptr, &options) ==
                GRIDGOV_OK);
        Findings refused(raw);
        CHECK(rules_of(refused.get()) == std::vector<std::string>{"workflow.unknown_role"});
    }
    SUBCASE("stages against the categories") {
        Categories cats = preset("combined");
        options.categories = cats.get();
        std::string untimed = tiny_spec();
        untimed.replace(untimed.find(R"(, "default_limit": {"value": 4, "unit": "working_hours"})"),
                        56, "");
        REQUIRE(gridgov_workflow_validate_json(&raw, untimed.c_str(), nullptr, &options) ==
                GRIDGOV_OK);
        Findings f(raw);
        CHECK(rules_of(f.get()) == std::vector<std::string>{"workflow.stage_without_limit"});
    }
    SUBCASE("bad options") {
        const std::string spec = tiny_spec();
        options.roles = GRIDGOV_WORKFLOW_ROLES_WORKSPACE;
        CHECK(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, &options) ==
              GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "options.workspace"));
        options.roles = GRIDGOV_WORKFLOW_ROLES_JSON;
        CHECK(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, &options) ==
              GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "options.roles_json"));
        options.roles = 7;
        CHECK(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, &options) ==
              GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "options.roles: 7"));
        options.roles = GRIDGOV_WORKFLOW_ROLES_NONE;
        options.version = 99;
        CHECK(gridgov_workflow_validate_json(&raw, spec.c_str(), nullptr, &options) ==
              GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "options.version: 99"));
        CHECK(gridgov_workflow_check_options_init(&options, 2) == GRIDGOV_EINVAL);
        CHECK(raw == nullptr);
    }
}

TEST_CASE("capi.workflow.categories.presets_lookups_and_limits") {
    Categories cats = preset("combined");
    std::size_t n = 0;
    REQUIRE(gridgov_category_catalogue_count(&n, cats.get()) == GRIDGOV_OK);
    CHECK(n == 19);
    const char* s = nullptr;
    REQUIRE(gridgov_category_catalogue_code(&s, cats.get(), 0) == GRIDGOV_OK);
    CHECK(std::string(s) == "E0101");
    CHECK(gridgov_category_catalogue_code(&s, cats.get(), n) == GRIDGOV_EINVAL);
    REQUIRE(gridgov_category_catalogue_name(&s, cats.get(), "E0102") == GRIDGOV_OK);
    CHECK(std::string(s) == "暴露垃圾");
    REQUIRE(gridgov_category_catalogue_department(&s, cats.get(), "G0101") == GRIDGOV_OK);
    CHECK(std::string(s) == "mediation");
    CHECK(gridgov_category_catalogue_name(&s, cats.get(), "X9999") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "no category \"X9999\""));

    gridgov_time_limit limit{-1, -1, -1};
    int found = -1;
    REQUIRE(gridgov_category_catalogue_limit(&limit, &found, cats.get(), "E0102", "handle",
                                             "一类") == GRIDGOV_OK);
    CHECK(found == 1);
    CHECK(limit.value == 4);
    CHECK(limit.unit == GRIDGOV_UNIT_WORKING_HOURS);
    REQUIRE(gridgov_category_catalogue_limit(&limit, &found, cats.get(), "E0401", "handle",
                                             nullptr) == GRIDGOV_OK);
    CHECK(found == 1);
    CHECK(limit.value == 2);
    CHECK(limit.unit == GRIDGOV_UNIT_NATURAL_HOURS);
    const gridgov_time_limit before = limit;
    REQUIRE(gridgov_category_catalogue_limit(&limit, &found, cats.get(), "E0102", "dispatch",
                                             nullptr) == GRIDGOV_OK);
    CHECK(found == 0);
    CHECK(limit.value == before.value);
    CHECK(gridgov_category_catalogue_limit(&limit, &found, cats.get(), "X9999", "handle",
                                           nullptr) == GRIDGOV_ENOTFOUND);

    gridgov_findings* raw = nullptr;
    REQUIRE(gridgov_category_catalogue_validate(&raw, cats.get()) == GRIDGOV_OK);
    Findings clean(raw);
    CHECK(rules_of(clean.get()).empty());

    gridgov_category_catalogue* other = nullptr;
    CHECK(gridgov_category_catalogue_preset(&other, "rural_affairs") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "rural_affairs"));
    CHECK(other == nullptr);
}

TEST_CASE("capi.workflow.categories.json_round_trip_and_refusals") {
    Categories cats = preset("urban_management");
    char* raw = nullptr;
    REQUIRE(gridgov_category_catalogue_to_json(&raw, cats.get()) == GRIDGOV_OK);
    Text json(raw);
    gridgov_category_catalogue* copy = nullptr;
    REQUIRE(gridgov_category_catalogue_from_json(&copy, json.get(), nullptr) == GRIDGOV_OK);
    Categories owned(copy);
    char* again = nullptr;
    REQUIRE(gridgov_category_catalogue_to_json(&again, copy) == GRIDGOV_OK);
    CHECK(std::string(Text(again).get()) == json.get());

    gridgov_category_catalogue* bad = nullptr;
    CHECK(gridgov_category_catalogue_from_json(
              &bad, R"({"categories": [{"code": "E01", "zh": "a"}, {"code": "E01", "zh": "b"}]})",
              "local.json") == GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "E01"));
    CHECK(gridgov_category_catalogue_from_json(&bad, "[", "local.json") == GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "local.json"));
    CHECK(bad == nullptr);
}

TEST_CASE("capi.workflow.routing.precedence_and_territorial_default") {
    Workspace ws = county();
    Categories cats = preset("combined");
    Departments depts = departments();
    Routing table = routing();
    const gridgov_node_id county_node = find(ws.get(), "371338");
    const gridgov_node_id town = find(ws.get(), "371338101");
    const gridgov_node_id q1 = find(ws.get(), "371338101001001");
    const gridgov_node_id q2 = find(ws.get(), "371338101001002");
    const gridgov_node_id d1 = find(ws.get(), "371338101002001");

    const auto route = [&](OwnedRoute& r, const char* category, gridgov_node_id node) {
        const int status = gridgov_routing_table_route(&r.route, table.get(), ws.get(), cats.get(),
                                                       depts.get(), category, node);
        INFO(last_error());
        REQUIRE(status == GRIDGOV_OK);
    };

    SUBCASE("the longest category prefix beats a deeper subtree") {
        OwnedRoute r;
        route(r, "E0102", q1);
        CHECK(r.route.basis == GRIDGOV_ROUTE_RULE);
        CHECK(std::string(r.route.department) == "D-HW-XIAN");
        CHECK(r.route.rule == 1);
        CHECK(r.route.node == county_node);
        CHECK(std::string(r.route.unit).empty());  // a rule of the base hierarchy
    }
    SUBCASE("the category's department kind, nearest to the case") {
        OwnedRoute r;
        route(r, "E0103", d1);
        CHECK(r.route.basis == GRIDGOV_ROUTE_CATEGORY);
        CHECK(std::string(r.route.department) == "D-HW-QS");
        CHECK(r.route.node == town);
        CHECK(r.route.rule == -1);
    }
    SUBCASE("territorial management with its reasoning, one line per step") {
        OwnedRoute r;
        route(r, "G0101", q2);
        CHECK(r.route.basis == GRIDGOV_ROUTE_TERRITORIAL);
        CHECK(r.route.node == town);
        CHECK(std::string(r.route.department) == "D-QS-ZZ");
        const std::string reasoning = r.route.reasoning;
        CHECK(reasoning.rfind("no explicit rule matches G0101 at 371338101001002\n"
                              "no department of kind \"mediation\" serves 371338101001002 or any "
                              "node above it\n",
                              0) == 0);
        CHECK(contains(reasoning, "属地管理"));
        CHECK(reasoning.back() != '\n');
    }
    SUBCASE("an unknown category or node is not found and leaves the answer untouched") {
        gridgov_route r{};
        r.rule = 42;
        CHECK(gridgov_routing_table_route(&r, table.get(), ws.get(), cats.get(), depts.get(),
                                          "X9999", q1) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "no category \"X9999\""));
        CHECK(gridgov_routing_table_route(&r, table.get(), ws.get(), cats.get(), depts.get(),
                                          "E0102", 999) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "node 999 is not a live node"));
        CHECK(r.rule == 42);
        CHECK(r.department == nullptr);
        CHECK(r.reasoning == nullptr);
        CHECK(r.unit == nullptr);
    }
}

TEST_CASE("capi.workflow.routing.overlay_rules_send_a_category_into_the_covering_unit") {
    TempDir dir;
    const std::string path = dir.file("weichuan.gridgov");
    Workspace ws = county(path);
    add_fire_and_health_grids(ws.get());
    Categories cats = preset("combined");
    Departments depts = departments_with_fire_stations();
    gridgov_routing_table* raw_table = nullptr;
    REQUIRE(gridgov_routing_table_from_json(&raw_table, overlay_routing_json, "routing.json") ==
            GRIDGOV_OK);
    Routing table(raw_table);
    const gridgov_node_id town = find(ws.get(), "371338101");
    const gridgov_node_id q1 = find(ws.get(), "371338101001001");
    const gridgov_node_id q2 = find(ws.get(), "371338101001002");
    const gridgov_node_id d1 = find(ws.get(), "371338101002001");

    const auto route = [&](OwnedRoute& r, const gridgov_workspace* w, const char* category,
                           gridgov_node_id node) {
        const int status = gridgov_routing_table_route(&r.route, table.get(), w, cats.get(),
                                                       depts.get(), category, node);
        INFO(last_error());
        REQUIRE(status == GRIDGOV_OK);
    };

    SUBCASE("the department serving the covering unit") {
        OwnedRoute r;
        route(r, ws.get(), "G0201", q2);
        CHECK(r.route.basis == GRIDGOV_ROUTE_RULE);
        CHECK(r.route.rule == 0);
        CHECK(std::string(r.route.unit) == "fire:M1");
        CHECK(std::string(r.route.department) == "D-XF-M1");  // the first serving M1
        CHECK(r.route.node == GRIDGOV_NO_NODE);               // it serves a unit, not a base node
        const std::string reasoning = r.route.reasoning;
        CHECK(reasoning.substr(reasoning.rfind('\n') + 1) ==
              "chosen: rule 0 (longest category prefix, then deepest subtree, then earliest) "
              "routes G0201 at 371338101001002 to unit fire:M1, department D-XF-M1");
    }
    SUBCASE("a unit no department serves: the nearest enclosing unit's") {
        OwnedRoute r;
        route(r, ws.get(), "G0201", d1);
        CHECK(std::string(r.route.unit) == "fire:M2");
        CHECK(std::string(r.route.department) == "D-XF-L1");
        CHECK(r.route.node == GRIDGOV_NO_NODE);
    }
    SUBCASE("no department on the unit or above: the posts held on it") {
        OwnedRoute r;
        route(r, ws.get(), "G0303", q1);
        CHECK(r.route.basis == GRIDGOV_ROUTE_RULE);
        CHECK(r.route.rule == 1);
        CHECK(std::string(r.route.unit) == "health:H1");
        CHECK(std::string(r.route.department).empty());
        CHECK(r.route.node == GRIDGOV_NO_NODE);
        CHECK(contains(r.route.reasoning, "no department serves it: the posts held on it"));
        // A named department goes with the unit.
        OwnedRoute named;
        route(named, ws.get(), "G0302", q1);
        CHECK(std::string(named.route.department) == "D-QS-ZZ");
        CHECK(std::string(named.route.unit) == "health:H1");
        CHECK(named.route.node == town);
    }
    SUBCASE("where no unit covers the case the rule is skipped") {
        OwnedRoute r;
        route(r, ws.get(), "G0303", d1);
        CHECK(r.route.basis != GRIDGOV_ROUTE_RULE);
        CHECK(r.route.rule == -1);
        CHECK(std::string(r.route.unit).empty());
        const std::string reasoning = r.route.reasoning;
        CHECK(reasoning.substr(0, reasoning.find('\n')) ==
              "rule 1 (prefix \"G0303\", subtree anywhere, overlay health) matches but no unit "
              "of health covers 371338101002001; skipped");
    }
    SUBCASE("validation against the workspace's overlays") {
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_routing_table_validate(&raw, table.get(), ws.get(), cats.get(),
                                               depts.get()) == GRIDGOV_OK);
        Findings routing_findings(raw);
        CHECK(rules_of(routing_findings.get()).empty());
        REQUIRE(gridgov_department_catalogue_validate(&raw, depts.get(), ws.get(), 0) ==
                GRIDGOV_OK);
        Findings department_findings(raw);
        CHECK(rules_of(department_findings.get()) ==
              std::vector<std::string>{"department.no_members"});
    }
    SUBCASE("a workspace without the overlays") {
        Workspace bare = county();
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_routing_table_validate(&raw, table.get(), bare.get(), cats.get(),
                                               depts.get()) == GRIDGOV_OK);
        Findings routing_findings(raw);
        CHECK(rules_of(routing_findings.get()) ==
              std::vector<std::string>(3, "routing.unknown_overlay"));
        const char* message = nullptr;
        REQUIRE(gridgov_findings_message(&message, routing_findings.get(), 0) == GRIDGOV_OK);
        CHECK(std::string(message) ==
              "rules[0] sends cases to overlay \"fire\", which is not loaded");
        REQUIRE(gridgov_department_catalogue_validate(&raw, depts.get(), bare.get(), 0) ==
                GRIDGOV_OK);
        Findings department_findings(raw);
        const std::vector<std::string> rules = rules_of(department_findings.get());
        CHECK(std::count(rules.begin(), rules.end(), "department.unknown_node") == 3);
        // Without the overlays the rules cannot apply either: the case goes on down the
        // precedence, and the reasoning says why.
        OwnedRoute r;
        route(r, bare.get(), "G0201", q1);
        CHECK(r.route.basis != GRIDGOV_ROUTE_RULE);
        CHECK(std::string(r.route.unit).empty());
        CHECK(contains(r.route.reasoning, "overlay \"fire\", which is not loaded; skipped"));
    }
    SUBCASE("the workspace's own table routes through its overlays, after reopening too") {
        REQUIRE(gridgov_cases_set_departments(ws.get(), depts.get()) == GRIDGOV_OK);
        REQUIRE(gridgov_cases_set_routing(ws.get(), table.get()) == GRIDGOV_OK);
        for (int pass = 0; pass < 2; ++pass) {
            CAPTURE(pass);
            OwnedRoute r;
            const int status = gridgov_cases_route(&r.route, ws.get(), "G0201", q2);
            INFO(last_error());
            REQUIRE(status == GRIDGOV_OK);
            CHECK(r.route.basis == GRIDGOV_ROUTE_RULE);
            CHECK(std::string(r.route.unit) == "fire:M1");
            CHECK(std::string(r.route.department) == "D-XF-M1");
            ws.reset();
            ws = county_reopened(path);
        }
    }
    SUBCASE("JSON") {
        char* text = nullptr;
        REQUIRE(gridgov_routing_table_to_json(&text, table.get()) == GRIDGOV_OK);
        Text json(text);
        CHECK(contains(json.get(), R"("overlay": "fire")"));
        gridgov_routing_table* copy = nullptr;
        REQUIRE(gridgov_routing_table_from_json(&copy, json.get(), nullptr) == GRIDGOV_OK);
        Routing owned(copy);
        REQUIRE(gridgov_routing_table_to_json(&text, copy) == GRIDGOV_OK);
        CHECK(std::string(Text(text).get()) == json.get());
        // Only a rule into an overlay may leave out its department.
        gridgov_routing_table* bad = nullptr;
        CHECK(gridgov_routing_table_from_json(&bad, R"({"rules": [{"category_prefix": "G02"}]})",
                                              "r.json") == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "r.json"));
        CHECK(contains(last_error(), "'department'"));
        CHECK(bad == nullptr);
    }
}

TEST_CASE("capi.workflow.departments_and_routing.validation_and_json") {
    Workspace ws = county();
    Categories cats = preset("combined");
    Departments depts = departments();
    Routing table = routing();
    gridgov_findings* raw = nullptr;

    REQUIRE(gridgov_department_catalogue_validate(&raw, depts.get(), ws.get(), 0) == GRIDGOV_OK);
    Findings structural(raw);
    CHECK(rules_of(structural.get()) == std::vector<std::string>{"department.no_members"});
    // The workspace's directory has nobody yet, so every member is unknown to it.
    REQUIRE(gridgov_department_catalogue_validate(&raw, depts.get(), ws.get(), 1) == GRIDGOV_OK);
    Findings with_members(raw);
    const std::vector<std::string> rules = rules_of(with_members.get());
    CHECK(std::count(rules.begin(), rules.end(), "department.unknown_member") == 5);

    REQUIRE(gridgov_routing_table_validate(&raw, table.get(), ws.get(), cats.get(), depts.get()) ==
            GRIDGOV_OK);
    Findings routing_findings(raw);
    CHECK(rules_of(routing_findings.get()) == std::vector<std::string>{"routing.duplicate_rule"});

    std::size_t n = 0;
    REQUIRE(gridgov_department_catalogue_count(&n, depts.get()) == GRIDGOV_OK);
    CHECK(n == 6);
    const char* code = nullptr;
    REQUIRE(gridgov_department_catalogue_code(&code, depts.get(), 4) == GRIDGOV_OK);
    CHECK(std::string(code) == "D-QS-ZZ");
    CHECK(gridgov_department_catalogue_code(&code, depts.get(), 6) == GRIDGOV_EINVAL);

    char* text = nullptr;
    REQUIRE(gridgov_department_catalogue_to_json(&text, depts.get()) == GRIDGOV_OK);
    Text dept_json(text);
    CHECK(contains(dept_json.get(), "青石镇综治中心"));
    gridgov_department_catalogue* copy = nullptr;
    REQUIRE(gridgov_department_catalogue_from_json(&copy, dept_json.get(), nullptr) == GRIDGOV_OK);
    Departments owned_copy(copy);
    REQUIRE(gridgov_department_catalogue_count(&n, copy) == GRIDGOV_OK);
    CHECK(n == 6);

    REQUIRE(gridgov_routing_table_to_json(&text, table.get()) == GRIDGOV_OK);
    Text table_json(text);
    gridgov_routing_table* table_copy = nullptr;
    REQUIRE(gridgov_routing_table_from_json(&table_copy, table_json.get(), nullptr) == GRIDGOV_OK);
    Routing owned_table(table_copy);
    REQUIRE(gridgov_routing_table_to_json(&text, table_copy) == GRIDGOV_OK);
    CHECK(std::string(Text(text).get()) == table_json.get());

    gridgov_department_catalogue* bad = nullptr;
    CHECK(gridgov_department_catalogue_from_json(&bad, R"({"departments": [{"code": 7}]})",
                                                 "dept.json") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "dept.json"));
    CHECK(bad == nullptr);
    gridgov_routing_table* bad_table = nullptr;
    CHECK(gridgov_routing_table_from_json(&bad_table, R"({"rules": [{"category_prefix": 1}]})",
                                          "routing.json") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "routing.json"));
    CHECK(bad_table == nullptr);
}
