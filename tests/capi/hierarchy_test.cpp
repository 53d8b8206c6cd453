// C ABI contract of the hierarchy and the overlays of a workspace. Sees only gridgov.h.
//
// The fixture is a county (371327) with one township of two villages whose base grids hold
// about 150 households each, as the seed texts describe a rural township.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

struct Node {
    const char* code;
    const char* parent;
    const char* name;
    const char* level;
    double households;
};

// In no particular order: add_nodes resolves parents within the batch.
const Node county_nodes[] = {
    {"371327101001001", "371327101001", "东岭一网格", "grid", 152},
    {"371327101001002", "371327101001", "东岭二网格", "grid", 148},
    {"371327101001003", "371327101001", "东岭三网格", "grid", 161},
    {"371327101002001", "371327101002", "西河一网格", "grid", 139},
    {"371327101002002", "371327101002", "西河二网格", "grid", 150},
    {"371327101001", "371327101", "东岭村", "village", NAN},
    {"371327101002", "371327101", "西河村", "village", NAN},
    {"371327101", "371327", "岸堤镇", "township", NAN},
    {"371327", "", "沂南县", "county", NAN},
};
constexpr std::size_t county_size = sizeof county_nodes / sizeof county_nodes[0];

gridgov_node_spec spec_of(const Node& n) {
    gridgov_node_spec s;
    REQUIRE(gridgov_node_spec_init(&s, GRIDGOV_NODE_SPEC_VERSION) == GRIDGOV_OK);
    s.code = n.code;
    s.parent_code = n.parent;
    s.name = n.name;
    s.level = n.level;
    s.area_type = GRIDGOV_AREA_RURAL;
    s.households = n.households;
    return s;
}

// A :memory: workspace holding the county, added in one batch effective 2024-01-01.
struct County {
    Workspace ws;
    std::vector<gridgov_node_id> ids;

    County() {
        gridgov_workspace* raw = nullptr;
        REQUIRE(gridgov_workspace_open(&raw, ":memory:", GRIDGOV_OPEN_CREATE) == GRIDGOV_OK);
        ws.reset(raw);
        std::vector<gridgov_node_spec> specs;
        for (const Node& n : county_nodes)
            specs.push_back(spec_of(n));
        ids.assign(specs.size(), GRIDGOV_NO_NODE);
        const int status = gridgov_hierarchy_add_nodes(ids.data(), ws.get(), specs.data(),
                                                       specs.size(), "2024-01-01");
        INFO(last_error());
        REQUIRE(status == GRIDGOV_OK);
    }

    gridgov_node_id id(const char* code) const {
        gridgov_node_id out = GRIDGOV_NO_NODE;
        INFO(code);
        REQUIRE(gridgov_hierarchy_find(&out, ws.get(), code) == GRIDGOV_OK);
        return out;
    }
    std::string code(gridgov_node_id node) const {
        const char* out = nullptr;
        REQUIRE(gridgov_hierarchy_code(&out, ws.get(), node) == GRIDGOV_OK);
        return out;
    }
    std::size_t id_count() const {
        std::size_t n = 0;
        REQUIRE(gridgov_hierarchy_id_count(&n, ws.get()) == GRIDGOV_OK);
        return n;
    }
    std::size_t node_count() const {
        std::size_t n = 0;
        REQUIRE(gridgov_hierarchy_node_count(&n, ws.get()) == GRIDGOV_OK);
        return n;
    }
    bool live(const char* code) const {
        gridgov_node_id out = GRIDGOV_NO_NODE;
        return gridgov_hierarchy_find(&out, ws.get(), code) == GRIDGOV_OK;
    }
    // Codes of an id array the library allocated; frees the array.
    std::vector<std::string> codes(gridgov_node_id* array, std::size_t count) const {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < count; ++i)
            out.push_back(code(array[i]));
        gridgov_free(array);
        return out;
    }
    std::vector<std::string> children(const char* parent) const {
        gridgov_node_id* array = nullptr;
        std::size_t count = 0;
        REQUIRE(gridgov_hierarchy_children(&array, &count, ws.get(), id(parent)) == GRIDGOV_OK);
        return codes(array, count);
    }
    std::vector<double> roll_up(const char* column, int statistic) const {
        std::vector<double> out(id_count());
        const int status =
            gridgov_hierarchy_roll_up(out.data(), out.size(), ws.get(), column, statistic);
        INFO(last_error());
        REQUIRE(status == GRIDGOV_OK);
        return out;
    }
};

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("capi.hierarchy.functions_reject_null_arguments_naming_them") {
    County county;
    gridgov_workspace* w = county.ws.get();
    const gridgov_node_id grid = county.id("371327101001001");
    const gridgov_node_id village = county.id("371327101001");
    REQUIRE(gridgov_overlay_add(w, "fire_safety", "消防网格", "fire_safety") == GRIDGOV_OK);
    gridgov_overlay_unit_spec unit_spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&unit_spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) ==
            GRIDGOV_OK);
    unit_spec.code = "XF-01";
    unit_spec.name = "城区消防大网格";
    unit_spec.level = "large";
    gridgov_node_id unit = GRIDGOV_NO_NODE;
    REQUIRE(gridgov_overlay_add_unit(&unit, w, "fire_safety", &unit_spec) == GRIDGOV_OK);

    gridgov_node_spec spec = spec_of({"371327101001004", "371327101001", "四", "grid", 150});
    const gridgov_level level = {"zone", "片区", "Zone", 0};
    const gridgov_node_id record = grid;
    gridgov_node_id id = GRIDGOV_NO_NODE;
    gridgov_node_id* ids = nullptr;
    gridgov_findings* findings = nullptr;
    std::size_t n = 0;
    int i = 0;
    uint32_t u = 0;
    double d = 0;
    double values[16] = {};
    const char* s = nullptr;
    const char* const day = "2026-01-01";

    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    // clang-format off
    const std::vector<Case> cases = {
        {"node_spec_init", "spec", [&] { return gridgov_node_spec_init(nullptr, GRIDGOV_NODE_SPEC_VERSION); }},
        {"overlay_unit_spec_init", "spec", [&] { return gridgov_overlay_unit_spec_init(nullptr, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION); }},
        {"node_count", "out", [&] { return gridgov_hierarchy_node_count(nullptr, w); }},
        {"node_count", "ws", [&] { return gridgov_hierarchy_node_count(&n, nullptr); }},
        {"id_count", "out", [&] { return gridgov_hierarchy_id_count(nullptr, w); }},
        {"id_count", "ws", [&] { return gridgov_hierarchy_id_count(&n, nullptr); }},
        {"find", "out", [&] { return gridgov_hierarchy_find(nullptr, w, "371327"); }},
        {"find", "ws", [&] { return gridgov_hierarchy_find(&id, nullptr, "371327"); }},
        {"find", "code", [&] { return gridgov_hierarchy_find(&id, w, nullptr); }},
        {"is_live", "out", [&] { return gridgov_hierarchy_is_live(nullptr, w, grid); }},
        {"is_live", "ws", [&] { return gridgov_hierarchy_is_live(&i, nullptr, grid); }},
        {"code", "out", [&] { return gridgov_hierarchy_code(nullptr, w, grid); }},
        {"code", "ws", [&] { return gridgov_hierarchy_code(&s, nullptr, grid); }},
        {"name", "out", [&] { return gridgov_hierarchy_name(nullptr, w, grid); }},
        {"name", "ws", [&] { return gridgov_hierarchy_name(&s, nullptr, grid); }},
        {"level", "out", [&] { return gridgov_hierarchy_level(nullptr, w, grid); }},
        {"level", "ws", [&] { return gridgov_hierarchy_level(&s, nullptr, grid); }},
        {"kind", "out", [&] { return gridgov_hierarchy_kind(nullptr, w, grid); }},
        {"kind", "ws", [&] { return gridgov_hierarchy_kind(&i, nullptr, grid); }},
        {"area_type", "out", [&] { return gridgov_hierarchy_area_type(nullptr, w, grid); }},
        {"area_type", "ws", [&] { return gridgov_hierarchy_area_type(&i, nullptr, grid); }},
        {"area_class", "out", [&] { return gridgov_hierarchy_area_class(nullptr, w, grid); }},
        {"area_class", "ws", [&] { return gridgov_hierarchy_area_class(&s, nullptr, grid); }},
        {"geometry", "out", [&] { return gridgov_hierarchy_geometry(nullptr, w, grid); }},
        {"geometry", "ws", [&] { return gridgov_hierarchy_geometry(&s, nullptr, grid); }},
        {"value", "out", [&] { return gridgov_hierarchy_value(nullptr, w, grid, "households"); }},
        {"value", "ws", [&] { return gridgov_hierarchy_value(&d, nullptr, grid, "households"); }},
        {"value", "column", [&] { return gridgov_hierarchy_value(&d, w, grid, nullptr); }},
        {"parent", "out", [&] { return gridgov_hierarchy_parent(nullptr, w, grid); }},
        {"parent", "ws", [&] { return gridgov_hierarchy_parent(&id, nullptr, grid); }},
        {"children", "out", [&] { return gridgov_hierarchy_children(nullptr, &n, w, village); }},
        {"children", "out_count", [&] { return gridgov_hierarchy_children(&ids, nullptr, w, village); }},
        {"children", "ws", [&] { return gridgov_hierarchy_children(&ids, &n, nullptr, village); }},
        {"roots", "out", [&] { return gridgov_hierarchy_roots(nullptr, &n, w); }},
        {"roots", "out_count", [&] { return gridgov_hierarchy_roots(&ids, nullptr, w); }},
        {"roots", "ws", [&] { return gridgov_hierarchy_roots(&ids, &n, nullptr); }},
        {"depth", "out", [&] { return gridgov_hierarchy_depth(nullptr, w, grid); }},
        {"depth", "ws", [&] { return gridgov_hierarchy_depth(&i, nullptr, grid); }},
        {"path_to_root", "out", [&] { return gridgov_hierarchy_path_to_root(nullptr, &n, w, grid); }},
        {"path_to_root", "out_count", [&] { return gridgov_hierarchy_path_to_root(&ids, nullptr, w, grid); }},
        {"path_to_root", "ws", [&] { return gridgov_hierarchy_path_to_root(&ids, &n, nullptr, grid); }},
        {"is_ancestor", "out", [&] { return gridgov_hierarchy_is_ancestor(nullptr, w, village, grid); }},
        {"is_ancestor", "ws", [&] { return gridgov_hierarchy_is_ancestor(&i, nullptr, village, grid); }},
        {"lowest_common_ancestor", "out", [&] { return gridgov_hierarchy_lowest_common_ancestor(nullptr, w, village, grid); }},
        {"lowest_common_ancestor", "ws", [&] { return gridgov_hierarchy_lowest_common_ancestor(&id, nullptr, village, grid); }},
        {"preorder", "out", [&] { return gridgov_hierarchy_preorder(nullptr, &n, w); }},
        {"preorder", "out_count", [&] { return gridgov_hierarchy_preorder(&ids, nullptr, w); }},
        {"preorder", "ws", [&] { return gridgov_hierarchy_preorder(&ids, &n, nullptr); }},
        {"preorder_position", "out", [&] { return gridgov_hierarchy_preorder_position(nullptr, w, grid); }},
        {"preorder_position", "ws", [&] { return gridgov_hierarchy_preorder_position(&u, nullptr, grid); }},
        {"subtree", "out_begin", [&] { return gridgov_hierarchy_subtree(nullptr, &u, w, grid); }},
        {"subtree", "out_end", [&] { return gridgov_hierarchy_subtree(&u, nullptr, w, grid); }},
        {"subtree", "ws", [&] { return gridgov_hierarchy_subtree(&u, &u, nullptr, grid); }},
        {"nodes_at_level", "out", [&] { return gridgov_hierarchy_nodes_at_level(nullptr, &n, w, "grid"); }},
        {"nodes_at_level", "out_count", [&] { return gridgov_hierarchy_nodes_at_level(&ids, nullptr, w, "grid"); }},
        {"nodes_at_level", "ws", [&] { return gridgov_hierarchy_nodes_at_level(&ids, &n, nullptr, "grid"); }},
        {"nodes_at_level", "level", [&] { return gridgov_hierarchy_nodes_at_level(&ids, &n, w, nullptr); }},
        {"level_count", "out", [&] { return gridgov_hierarchy_level_count(nullptr, w); }},
        {"level_count", "ws", [&] { return gridgov_hierarchy_level_count(&n, nullptr); }},
        {"level_key", "out", [&] { return gridgov_hierarchy_level_key(nullptr, w, 0); }},
        {"level_key", "ws", [&] { return gridgov_hierarchy_level_key(&s, nullptr, 0); }},
        {"set_levels", "ws", [&] { return gridgov_hierarchy_set_levels(nullptr, &level, 1); }},
        {"set_levels", "levels", [&] { return gridgov_hierarchy_set_levels(w, nullptr, 1); }},
        {"roll_up", "out", [&] { return gridgov_hierarchy_roll_up(nullptr, 16, w, "households", GRIDGOV_STAT_SUM); }},
        {"roll_up", "ws", [&] { return gridgov_hierarchy_roll_up(values, 16, nullptr, "households", GRIDGOV_STAT_SUM); }},
        {"roll_up", "column", [&] { return gridgov_hierarchy_roll_up(values, 16, w, nullptr, GRIDGOV_STAT_SUM); }},
        {"roll_up_values", "out", [&] { return gridgov_hierarchy_roll_up_values(nullptr, 16, w, values, county_size, GRIDGOV_STAT_SUM); }},
        {"roll_up_values", "ws", [&] { return gridgov_hierarchy_roll_up_values(values, 16, nullptr, values, county_size, GRIDGOV_STAT_SUM); }},
        {"roll_up_values", "values", [&] { return gridgov_hierarchy_roll_up_values(values, 16, w, nullptr, county_size, GRIDGOV_STAT_SUM); }},
        {"sum_records", "out", [&] { return gridgov_hierarchy_sum_records(nullptr, 16, w, &record, nullptr, 1); }},
        {"sum_records", "ws", [&] { return gridgov_hierarchy_sum_records(values, 16, nullptr, &record, nullptr, 1); }},
        {"sum_records", "record_nodes", [&] { return gridgov_hierarchy_sum_records(values, 16, w, nullptr, nullptr, 1); }},
        {"add_node", "out", [&] { return gridgov_hierarchy_add_node(nullptr, w, &spec, day); }},
        {"add_node", "ws", [&] { return gridgov_hierarchy_add_node(&id, nullptr, &spec, day); }},
        {"add_node", "spec", [&] { return gridgov_hierarchy_add_node(&id, w, nullptr, day); }},
        {"add_nodes", "out", [&] { return gridgov_hierarchy_add_nodes(nullptr, w, &spec, 1, day); }},
        {"add_nodes", "ws", [&] { return gridgov_hierarchy_add_nodes(&id, nullptr, &spec, 1, day); }},
        {"add_nodes", "specs", [&] { return gridgov_hierarchy_add_nodes(&id, w, nullptr, 1, day); }},
        {"rename", "ws", [&] { return gridgov_hierarchy_rename(nullptr, grid, "新名", day); }},
        {"rename", "name", [&] { return gridgov_hierarchy_rename(w, grid, nullptr, day); }},
        {"rename", "effective", [&] { return gridgov_hierarchy_rename(w, grid, "新名", nullptr); }},
        {"move", "ws", [&] { return gridgov_hierarchy_move(nullptr, grid, village, day); }},
        {"move", "effective", [&] { return gridgov_hierarchy_move(w, grid, village, nullptr); }},
        {"retire", "ws", [&] { return gridgov_hierarchy_retire(nullptr, grid, day); }},
        {"retire", "effective", [&] { return gridgov_hierarchy_retire(w, grid, nullptr); }},
        {"set_value", "ws", [&] { return gridgov_hierarchy_set_value(nullptr, grid, "households", 1, day); }},
        {"set_value", "column", [&] { return gridgov_hierarchy_set_value(w, grid, nullptr, 1, day); }},
        {"set_value", "effective", [&] { return gridgov_hierarchy_set_value(w, grid, "households", 1, nullptr); }},
        {"split", "out", [&] { return gridgov_hierarchy_split(nullptr, w, grid, &spec, 1, day); }},
        {"split", "ws", [&] { return gridgov_hierarchy_split(&id, nullptr, grid, &spec, 1, day); }},
        {"split", "parts", [&] { return gridgov_hierarchy_split(&id, w, grid, nullptr, 1, day); }},
        {"split", "effective", [&] { return gridgov_hierarchy_split(&id, w, grid, &spec, 1, nullptr); }},
        {"merge", "out", [&] { return gridgov_hierarchy_merge(nullptr, w, &record, 1, &spec, day); }},
        {"merge", "ws", [&] { return gridgov_hierarchy_merge(&id, nullptr, &record, 1, &spec, day); }},
        {"merge", "sources", [&] { return gridgov_hierarchy_merge(&id, w, nullptr, 1, &spec, day); }},
        {"merge", "merged", [&] { return gridgov_hierarchy_merge(&id, w, &record, 1, nullptr, day); }},
        {"merge", "effective", [&] { return gridgov_hierarchy_merge(&id, w, &record, 1, &spec, nullptr); }},
        {"overlay_add", "ws", [&] { return gridgov_overlay_add(nullptr, "k", "n", "fire_safety"); }},
        {"overlay_add", "key", [&] { return gridgov_overlay_add(w, nullptr, "n", "fire_safety"); }},
        {"overlay_add", "name", [&] { return gridgov_overlay_add(w, "k", nullptr, "fire_safety"); }},
        {"overlay_add", "scheme", [&] { return gridgov_overlay_add(w, "k", "n", nullptr); }},
        {"overlay_add_custom", "ws", [&] { return gridgov_overlay_add_custom(nullptr, "k", "n", &level, 1); }},
        {"overlay_add_custom", "key", [&] { return gridgov_overlay_add_custom(w, nullptr, "n", &level, 1); }},
        {"overlay_add_custom", "name", [&] { return gridgov_overlay_add_custom(w, "k", nullptr, &level, 1); }},
        {"overlay_add_custom", "levels", [&] { return gridgov_overlay_add_custom(w, "k", "n", nullptr, 1); }},
        {"overlay_count", "out", [&] { return gridgov_overlay_count(nullptr, w); }},
        {"overlay_count", "ws", [&] { return gridgov_overlay_count(&n, nullptr); }},
        {"overlay_key", "out", [&] { return gridgov_overlay_key(nullptr, w, 0); }},
        {"overlay_key", "ws", [&] { return gridgov_overlay_key(&s, nullptr, 0); }},
        {"overlay_name", "out", [&] { return gridgov_overlay_name(nullptr, w, "fire_safety"); }},
        {"overlay_name", "ws", [&] { return gridgov_overlay_name(&s, nullptr, "fire_safety"); }},
        {"overlay_name", "overlay", [&] { return gridgov_overlay_name(&s, w, nullptr); }},
        {"overlay_add_unit", "out", [&] { return gridgov_overlay_add_unit(nullptr, w, "fire_safety", &unit_spec); }},
        {"overlay_add_unit", "ws", [&] { return gridgov_overlay_add_unit(&id, nullptr, "fire_safety", &unit_spec); }},
        {"overlay_add_unit", "overlay", [&] { return gridgov_overlay_add_unit(&id, w, nullptr, &unit_spec); }},
        {"overlay_add_unit", "spec", [&] { return gridgov_overlay_add_unit(&id, w, "fire_safety", nullptr); }},
        {"overlay_unit_count", "out", [&] { return gridgov_overlay_unit_count(nullptr, w, "fire_safety"); }},
        {"overlay_unit_count", "ws", [&] { return gridgov_overlay_unit_count(&n, nullptr, "fire_safety"); }},
        {"overlay_unit_count", "overlay", [&] { return gridgov_overlay_unit_count(&n, w, nullptr); }},
        {"overlay_find_unit", "out", [&] { return gridgov_overlay_find_unit(nullptr, w, "fire_safety", "XF-01"); }},
        {"overlay_find_unit", "ws", [&] { return gridgov_overlay_find_unit(&id, nullptr, "fire_safety", "XF-01"); }},
        {"overlay_find_unit", "overlay", [&] { return gridgov_overlay_find_unit(&id, w, nullptr, "XF-01"); }},
        {"overlay_find_unit", "code", [&] { return gridgov_overlay_find_unit(&id, w, "fire_safety", nullptr); }},
        {"overlay_unit_code", "out", [&] { return gridgov_overlay_unit_code(nullptr, w, "fire_safety", unit); }},
        {"overlay_unit_code", "ws", [&] { return gridgov_overlay_unit_code(&s, nullptr, "fire_safety", unit); }},
        {"overlay_unit_code", "overlay", [&] { return gridgov_overlay_unit_code(&s, w, nullptr, unit); }},
        {"overlay_unit_name", "out", [&] { return gridgov_overlay_unit_name(nullptr, w, "fire_safety", unit); }},
        {"overlay_unit_name", "ws", [&] { return gridgov_overlay_unit_name(&s, nullptr, "fire_safety", unit); }},
        {"overlay_unit_name", "overlay", [&] { return gridgov_overlay_unit_name(&s, w, nullptr, unit); }},
        {"overlay_grids_of", "out", [&] { return gridgov_overlay_grids_of(nullptr, &n, w, "fire_safety", unit); }},
        {"overlay_grids_of", "out_count", [&] { return gridgov_overlay_grids_of(&ids, nullptr, w, "fire_safety", unit); }},
        {"overlay_grids_of", "ws", [&] { return gridgov_overlay_grids_of(&ids, &n, nullptr, "fire_safety", unit); }},
        {"overlay_grids_of", "overlay", [&] { return gridgov_overlay_grids_of(&ids, &n, w, nullptr, unit); }},
        {"overlay_units_of", "out", [&] { return gridgov_overlay_units_of(nullptr, &n, w, "fire_safety", grid); }},
        {"overlay_units_of", "out_count", [&] { return gridgov_overlay_units_of(&ids, nullptr, w, "fire_safety", grid); }},
        {"overlay_units_of", "ws", [&] { return gridgov_overlay_units_of(&ids, &n, nullptr, "fire_safety", grid); }},
        {"overlay_units_of", "overlay", [&] { return gridgov_overlay_units_of(&ids, &n, w, nullptr, grid); }},
        {"overlay_coverage", "out", [&] { return gridgov_overlay_coverage(nullptr, w, "fire_safety", "grid"); }},
        {"overlay_coverage", "ws", [&] { return gridgov_overlay_coverage(&findings, nullptr, "fire_safety", "grid"); }},
        {"overlay_coverage", "overlay", [&] { return gridgov_overlay_coverage(&findings, w, nullptr, "grid"); }},
    };
    // clang-format on
    for (const Case& c : cases) {
        CAPTURE(c.function);
        CAPTURE(c.parameter);
        CHECK(c.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + c.parameter + "' must not be NULL");
    }
    CHECK(ids == nullptr);
    CHECK(findings == nullptr);
    CHECK(id == GRIDGOV_NO_NODE);
    CHECK(county.node_count() == county_size);
    CHECK(county.children("371327101001") ==
          Codes{"371327101001001", "371327101001002", "371327101001003"});
}

TEST_CASE("capi.hierarchy.spec_members_that_must_be_given_are_named") {
    County county;
    gridgov_node_spec spec =
        spec_of({"371327101001004", "371327101001", "东岭四网格", "grid", 150});
    gridgov_node_id id = GRIDGOV_NO_NODE;
    SUBCASE("code") {
        spec.code = nullptr;
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'spec.code' must not be NULL");
    }
    SUBCASE("name") {
        spec.name = nullptr;
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'spec.name' must not be NULL");
    }
    SUBCASE("level") {
        spec.level = nullptr;
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'spec.level' must not be NULL");
    }
    SUBCASE("attribute names") {
        const double shops = 12;
        spec.attribute_count = 1;
        spec.attribute_values = &shops;
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'spec.attribute_names' must not be NULL");
    }
    SUBCASE("a spec that was never set up") {
        gridgov_node_spec raw{};
        raw.code = "371327101001004";
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &raw, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error().find("gridgov_node_spec_init") != std::string::npos);
    }
    SUBCASE("an element of a batch, by index") {
        gridgov_node_spec batch[2] = {spec, spec};
        batch[1].code = "371327101001005";
        batch[1].name = nullptr;
        gridgov_node_id out[2] = {GRIDGOV_NO_NODE, GRIDGOV_NO_NODE};
        CHECK(gridgov_hierarchy_add_nodes(out, county.ws.get(), batch, 2, nullptr) ==
              GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'specs[1].name' must not be NULL");
        CHECK(out[0] == GRIDGOV_NO_NODE);
    }
    SUBCASE("a kind out of range") {
        spec.kind = 7;
        CHECK(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, nullptr) == GRIDGOV_EINVAL);
        CHECK(last_error().find("spec.kind") != std::string::npos);
    }
    CHECK(id == GRIDGOV_NO_NODE);
    CHECK(county.node_count() == county_size);
}

TEST_CASE("capi.hierarchy.node_spec_init.sets_the_defaults") {
    gridgov_node_spec spec;
    std::memset(&spec, 0xCD, sizeof spec);
    REQUIRE(gridgov_node_spec_init(&spec, GRIDGOV_NODE_SPEC_VERSION) == GRIDGOV_OK);
    CHECK(spec.version == GRIDGOV_NODE_SPEC_VERSION);
    CHECK(spec.code == nullptr);
    CHECK(spec.parent_code == nullptr);
    CHECK(spec.kind == GRIDGOV_KIND_COMPREHENSIVE);
    CHECK(spec.area_type == GRIDGOV_AREA_UNSPECIFIED);
    CHECK(std::isnan(spec.households));
    CHECK(std::isnan(spec.population));
    CHECK(std::isnan(spec.area_m2));
    CHECK(spec.attribute_count == 0);
    CHECK(spec.geometry == nullptr);
    CHECK(gridgov_node_spec_init(&spec, 2) == GRIDGOV_EINVAL);
    CHECK(gridgov_node_spec_init(&spec, 0) == GRIDGOV_EINVAL);
}

TEST_CASE("capi.hierarchy.attributes_of_a_node") {
    County county;
    const gridgov_workspace* ws = county.ws.get();
    const gridgov_node_id grid = county.id("371327101002001");
    CHECK(county.id_count() == county_size);
    CHECK(county.node_count() == county_size);

    const char* s = nullptr;
    REQUIRE(gridgov_hierarchy_code(&s, ws, grid) == GRIDGOV_OK);
    CHECK(std::string(s) == "371327101002001");
    REQUIRE(gridgov_hierarchy_name(&s, ws, grid) == GRIDGOV_OK);
    CHECK(std::string(s) == "西河一网格");
    REQUIRE(gridgov_hierarchy_level(&s, ws, grid) == GRIDGOV_OK);
    CHECK(std::string(s) == "grid");
    REQUIRE(gridgov_hierarchy_area_class(&s, ws, grid) == GRIDGOV_OK);
    CHECK(std::string(s).empty());
    REQUIRE(gridgov_hierarchy_geometry(&s, ws, grid) == GRIDGOV_OK);
    CHECK(std::string(s).empty());
    int i = -1;
    REQUIRE(gridgov_hierarchy_kind(&i, ws, grid) == GRIDGOV_OK);
    CHECK(i == GRIDGOV_KIND_COMPREHENSIVE);
    REQUIRE(gridgov_hierarchy_area_type(&i, ws, grid) == GRIDGOV_OK);
    CHECK(i == GRIDGOV_AREA_RURAL);
    REQUIRE(gridgov_hierarchy_is_live(&i, ws, grid) == GRIDGOV_OK);
    CHECK(i == 1);
    REQUIRE(gridgov_hierarchy_is_live(&i, ws, 9999) == GRIDGOV_OK);
    CHECK(i == 0);
    double d = 0;
    REQUIRE(gridgov_hierarchy_value(&d, ws, grid, "households") == GRIDGOV_OK);
    CHECK(d == 139);
    REQUIRE(gridgov_hierarchy_value(&d, ws, grid, "population") == GRIDGOV_OK);
    CHECK(std::isnan(d));
    CHECK(gridgov_hierarchy_value(&d, ws, grid, "shops") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("shops") != std::string::npos);

    SUBCASE("a dedicated grid with attributes and a geometry") {
        gridgov_node_spec spec =
            spec_of({"371327101002003", "371327101002", "西河小学网格", "grid", 0});
        const char* names[] = {"shops", "cameras"};
        const double values[] = {12, 4};
        spec.kind = GRIDGOV_KIND_DEDICATED;
        spec.area_class = "一类";
        spec.attribute_count = 2;
        spec.attribute_names = names;
        spec.attribute_values = values;
        spec.geometry = R"({"type": "Point", "coordinates": [118.8, 35.2]})";
        gridgov_node_id id = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_hierarchy_add_node(&id, county.ws.get(), &spec, "2025-09-01") ==
                GRIDGOV_OK);
        CHECK(id == county_size);
        REQUIRE(gridgov_hierarchy_kind(&i, ws, id) == GRIDGOV_OK);
        CHECK(i == GRIDGOV_KIND_DEDICATED);
        REQUIRE(gridgov_hierarchy_area_class(&s, ws, id) == GRIDGOV_OK);
        CHECK(std::string(s) == "一类");
        REQUIRE(gridgov_hierarchy_value(&d, ws, id, "cameras") == GRIDGOV_OK);
        CHECK(d == 4);
        REQUIRE(gridgov_hierarchy_value(&d, ws, grid, "shops") == GRIDGOV_OK);
        CHECK(std::isnan(d));
        REQUIRE(gridgov_hierarchy_geometry(&s, ws, id) == GRIDGOV_OK);
        CHECK(std::string(s).find("Point") != std::string::npos);
    }
}

TEST_CASE("capi.hierarchy.unknown_ids_and_codes_are_not_found") {
    County county;
    const gridgov_workspace* ws = county.ws.get();
    const char* s = nullptr;
    gridgov_node_id id = 0;
    CHECK(gridgov_hierarchy_code(&s, ws, 9999) == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("9999") != std::string::npos);
    CHECK(gridgov_hierarchy_parent(&id, ws, GRIDGOV_NO_NODE) == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_hierarchy_find(&id, ws, "371327999") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("371327999") != std::string::npos);
    gridgov_node_id* ids = nullptr;
    std::size_t n = 0;
    CHECK(gridgov_hierarchy_nodes_at_level(&ids, &n, ws, "hamlet") == GRIDGOV_ENOTFOUND);
    CHECK(last_error().find("hamlet") != std::string::npos);
    CHECK(s == nullptr);
    CHECK(id == 0);
    CHECK(ids == nullptr);
}

TEST_CASE("capi.hierarchy.structure") {
    County county;
    const gridgov_workspace* ws = county.ws.get();
    const gridgov_node_id root = county.id("371327");
    const gridgov_node_id dongling = county.id("371327101001");
    const gridgov_node_id xihe = county.id("371327101002");
    const gridgov_node_id grid = county.id("371327101002002");
    gridgov_node_id* ids = nullptr;
    std::size_t n = 0;

    SUBCASE("parent, children and roots") {
        gridgov_node_id parent = 0;
        REQUIRE(gridgov_hierarchy_parent(&parent, ws, grid) == GRIDGOV_OK);
        CHECK(parent == xihe);
        REQUIRE(gridgov_hierarchy_parent(&parent, ws, root) == GRIDGOV_OK);
        CHECK(parent == GRIDGOV_NO_NODE);
        CHECK(county.children("371327101") == Codes{"371327101001", "371327101002"});
        CHECK(county.children("371327101002002").empty());
        REQUIRE(gridgov_hierarchy_roots(&ids, &n, ws) == GRIDGOV_OK);
        CHECK(county.codes(ids, n) == Codes{"371327"});
    }
    SUBCASE("a leaf has no children: a NULL array of length 0") {
        n = 99;
        REQUIRE(gridgov_hierarchy_children(&ids, &n, ws, grid) == GRIDGOV_OK);
        CHECK(ids == nullptr);
        CHECK(n == 0);
    }
    SUBCASE("depth and path to the root") {
        int depth = -1;
        REQUIRE(gridgov_hierarchy_depth(&depth, ws, grid) == GRIDGOV_OK);
        CHECK(depth == 3);
        REQUIRE(gridgov_hierarchy_path_to_root(&ids, &n, ws, grid) == GRIDGOV_OK);
        CHECK(county.codes(ids, n) ==
              Codes{"371327101002002", "371327101002", "371327101", "371327"});
    }
    SUBCASE("ancestors") {
        int yes = -1;
        REQUIRE(gridgov_hierarchy_is_ancestor(&yes, ws, xihe, grid) == GRIDGOV_OK);
        CHECK(yes == 1);
        REQUIRE(gridgov_hierarchy_is_ancestor(&yes, ws, grid, grid) == GRIDGOV_OK);
        CHECK(yes == 1);
        REQUIRE(gridgov_hierarchy_is_ancestor(&yes, ws, dongling, grid) == GRIDGOV_OK);
        CHECK(yes == 0);
        gridgov_node_id lca = 0;
        REQUIRE(gridgov_hierarchy_lowest_common_ancestor(&lca, ws, county.id("371327101001003"),
                                                         grid) == GRIDGOV_OK);
        CHECK(county.code(lca) == "371327101");
    }
    SUBCASE("nodes in different trees have no common ancestor") {
        gridgov_node_spec other = spec_of({"371328", "", "另一县", "county", NAN});
        gridgov_node_id other_root = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_hierarchy_add_node(&other_root, county.ws.get(), &other, nullptr) ==
                GRIDGOV_OK);
        gridgov_node_id lca = 0;
        REQUIRE(gridgov_hierarchy_lowest_common_ancestor(&lca, ws, other_root, grid) == GRIDGOV_OK);
        CHECK(lca == GRIDGOV_NO_NODE);
    }
    SUBCASE("a subtree is a contiguous range of the pre-order") {
        REQUIRE(gridgov_hierarchy_preorder(&ids, &n, ws) == GRIDGOV_OK);
        std::vector<gridgov_node_id> preorder(ids, ids + n);
        gridgov_free(ids);
        CHECK(n == county_size);
        CHECK(preorder[0] == root);
        uint32_t begin = 0;
        uint32_t end = 0;
        REQUIRE(gridgov_hierarchy_subtree(&begin, &end, ws, dongling) == GRIDGOV_OK);
        CHECK(end - begin == 4);
        CHECK(preorder[begin] == dongling);
        uint32_t position = 0;
        REQUIRE(gridgov_hierarchy_preorder_position(&position, ws, dongling) == GRIDGOV_OK);
        CHECK(position == begin);
        Codes inside;
        for (uint32_t p = begin; p < end; ++p)
            inside.push_back(county.code(preorder[p]));
        CHECK(inside ==
              Codes{"371327101001", "371327101001001", "371327101001002", "371327101001003"});
    }
    SUBCASE("nodes at a level") {
        REQUIRE(gridgov_hierarchy_nodes_at_level(&ids, &n, ws, "village") == GRIDGOV_OK);
        CHECK(county.codes(ids, n) == Codes{"371327101001", "371327101002"});
        REQUIRE(gridgov_hierarchy_nodes_at_level(&ids, &n, ws, "micro_grid") == GRIDGOV_OK);
        CHECK(ids == nullptr);
        CHECK(n == 0);
    }
}

TEST_CASE("capi.hierarchy.roll_up") {
    County county;
    const gridgov_workspace* ws = county.ws.get();
    const gridgov_node_id township = county.id("371327101");
    const gridgov_node_id xihe = county.id("371327101002");
    const gridgov_node_id grid = county.id("371327101001003");

    SUBCASE("of a column: sum, min, max, count") {
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[township] == 750);
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[xihe] == 289);
        CHECK(county.roll_up("households", GRIDGOV_STAT_MIN)[township] == 139);
        CHECK(county.roll_up("households", GRIDGOV_STAT_MAX)[township] == 161);
        CHECK(county.roll_up("households", GRIDGOV_STAT_COUNT)[township] == 5);
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[grid] == 161);
        CHECK(county.roll_up("population", GRIDGOV_STAT_COUNT)[township] == 0);
        CHECK(std::isnan(county.roll_up("population", GRIDGOV_STAT_MAX)[township]));
    }
    SUBCASE("a buffer smaller than the id count") {
        std::vector<double> small(county_size - 1, -1.0);
        CHECK(gridgov_hierarchy_roll_up(small.data(), small.size(), ws, "households",
                                        GRIDGOV_STAT_SUM) == GRIDGOV_EBUFS);
        CHECK(last_error().find(std::to_string(county_size)) != std::string::npos);
        CHECK(small[0] == -1.0);
    }
    SUBCASE("an unknown column or statistic") {
        std::vector<double> out(county_size);
        CHECK(gridgov_hierarchy_roll_up(out.data(), out.size(), ws, "shops", GRIDGOV_STAT_SUM) ==
              GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("shops") != std::string::npos);
        CHECK(gridgov_hierarchy_roll_up(out.data(), out.size(), ws, "households", 4) ==
              GRIDGOV_EINVAL);
        CHECK(last_error().find("statistic") != std::string::npos);
    }
    SUBCASE("of the caller's own values") {
        std::vector<double> cases(county_size, NAN);
        cases[county.id("371327101001001")] = 3;
        cases[county.id("371327101002002")] = 5;
        std::vector<double> out(county_size);
        REQUIRE(gridgov_hierarchy_roll_up_values(out.data(), out.size(), ws, cases.data(),
                                                 cases.size(), GRIDGOV_STAT_SUM) == GRIDGOV_OK);
        CHECK(out[township] == 8);
        CHECK(out[xihe] == 5);
        REQUIRE(gridgov_hierarchy_roll_up_values(out.data(), out.size(), ws, cases.data(),
                                                 cases.size(), GRIDGOV_STAT_COUNT) == GRIDGOV_OK);
        CHECK(out[township] == 2);
        CHECK(gridgov_hierarchy_roll_up_values(out.data(), out.size(), ws, cases.data(), 3,
                                               GRIDGOV_STAT_SUM) == GRIDGOV_EINVAL);
        CHECK(last_error().find("value_count") != std::string::npos);
    }
    SUBCASE("of records located on grids") {
        const gridgov_node_id records[] = {county.id("371327101001001"),
                                           county.id("371327101001001"),
                                           county.id("371327101002002")};
        const double hours[] = {2.5, 4, 10};
        std::vector<double> out(county_size);
        REQUIRE(gridgov_hierarchy_sum_records(out.data(), out.size(), ws, records, nullptr, 3) ==
                GRIDGOV_OK);
        CHECK(out[township] == 3);
        CHECK(out[xihe] == 1);
        REQUIRE(gridgov_hierarchy_sum_records(out.data(), out.size(), ws, records, hours, 3) ==
                GRIDGOV_OK);
        CHECK(out[township] == 16.5);
        CHECK(out[county.id("371327101001")] == 6.5);
        const gridgov_node_id unknown[] = {records[0], 4242};
        CHECK(gridgov_hierarchy_sum_records(out.data(), out.size(), ws, unknown, nullptr, 2) ==
              GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("record_nodes[1]") != std::string::npos);
    }
}

TEST_CASE("capi.hierarchy.changes") {
    County county;
    gridgov_workspace* ws = county.ws.get();
    const gridgov_node_id dongling = county.id("371327101001");
    const gridgov_node_id xihe = county.id("371327101002");
    const gridgov_node_id grid = county.id("371327101001003");

    SUBCASE("rename") {
        REQUIRE(gridgov_hierarchy_rename(ws, grid, "东岭新村网格", "2026-03-01") == GRIDGOV_OK);
        const char* name = nullptr;
        REQUIRE(gridgov_hierarchy_name(&name, ws, grid) == GRIDGOV_OK);
        CHECK(std::string(name) == "东岭新村网格");
    }
    SUBCASE("move a grid to the other village") {
        REQUIRE(gridgov_hierarchy_move(ws, grid, xihe, "2026-03-01") == GRIDGOV_OK);
        Codes children = county.children("371327101002");
        std::sort(children.begin(), children.end());
        CHECK(children == Codes{"371327101001003", "371327101002001", "371327101002002"});
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[xihe] == 450);
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[dongling] == 300);
    }
    SUBCASE("set a value") {
        REQUIRE(gridgov_hierarchy_set_value(ws, grid, "households", 170, "2026-03-01") ==
                GRIDGOV_OK);
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[dongling] == 470);
    }
    SUBCASE("retire a grid") {
        REQUIRE(gridgov_hierarchy_retire(ws, grid, "2026-03-01") == GRIDGOV_OK);
        CHECK_FALSE(county.live("371327101001003"));
        CHECK(county.node_count() == county_size - 1);
        CHECK(county.id_count() == county_size);
        const char* code = nullptr;
        REQUIRE(gridgov_hierarchy_code(&code, ws, grid) == GRIDGOV_OK);
        CHECK(std::string(code) == "371327101001003");
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[dongling] == 300);
    }
    SUBCASE("split a grid of 300 households into two of 150") {
        REQUIRE(gridgov_hierarchy_set_value(ws, grid, "households", 300, "2026-01-01") ==
                GRIDGOV_OK);
        const gridgov_node_spec parts[] = {
            spec_of({"371327101001004", "371327101001", "东岭三网格北", "grid", 150}),
            spec_of({"371327101001005", "371327101001", "东岭三网格南", "grid", 150}),
        };
        gridgov_node_id ids[2] = {GRIDGOV_NO_NODE, GRIDGOV_NO_NODE};
        REQUIRE(gridgov_hierarchy_split(ids, ws, grid, parts, 2, "2026-03-01") == GRIDGOV_OK);
        CHECK(county.code(ids[0]) == "371327101001004");
        CHECK(county.code(ids[1]) == "371327101001005");
        CHECK_FALSE(county.live("371327101001003"));
        CHECK(county.children("371327101001") ==
              Codes{"371327101001001", "371327101001002", "371327101001004", "371327101001005"});
    }
    SUBCASE("merge the two villages") {
        const gridgov_node_id sources[] = {dongling, xihe};
        const gridgov_node_spec merged =
            spec_of({"371327101003", "371327101", "东岭西河联合村", "village", NAN});
        gridgov_node_id id = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_hierarchy_merge(&id, ws, sources, 2, &merged, "2026-03-01") == GRIDGOV_OK);
        CHECK(county.code(id) == "371327101003");
        CHECK(county.children("371327101").size() == 1);
        CHECK(county.children("371327101003").size() == 5);
        CHECK(county.roll_up("households", GRIDGOV_STAT_SUM)[id] == 750);
    }
    SUBCASE("a refused change changes nothing") {
        CHECK(gridgov_hierarchy_retire(ws, dongling, "2026-03-01") != GRIDGOV_OK);
        CHECK(last_error().find("371327101001") != std::string::npos);
        CHECK(county.live("371327101001"));
        CHECK(gridgov_hierarchy_move(ws, dongling, grid, "2026-03-01") != GRIDGOV_OK);
        CHECK(county.children("371327101") == Codes{"371327101001", "371327101002"});
        gridgov_node_spec duplicate = spec_of({"371327101001001", "371327101001", "重", "grid", 1});
        gridgov_node_id id = GRIDGOV_NO_NODE;
        CHECK(gridgov_hierarchy_add_node(&id, ws, &duplicate, nullptr) == GRIDGOV_EEXISTS);
        CHECK(last_error().find("371327101001001") != std::string::npos);
        CHECK(id == GRIDGOV_NO_NODE);
        CHECK(county.id_count() == county_size);
    }
    SUBCASE("a malformed date is refused naming it") {
        CHECK(gridgov_hierarchy_rename(ws, grid, "x", "2026/03/01") == GRIDGOV_EINVAL);
        CHECK(last_error().find("effective") != std::string::npos);
        CHECK(last_error().find("2026/03/01") != std::string::npos);
    }
    SUBCASE("an unknown node or new parent") {
        CHECK(gridgov_hierarchy_retire(ws, 777, "2026-03-01") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("777") != std::string::npos);
        CHECK(gridgov_hierarchy_move(ws, grid, 778, "2026-03-01") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("new_parent") != std::string::npos);
    }
    SUBCASE("moving to GRIDGOV_NO_NODE makes a root") {
        REQUIRE(gridgov_hierarchy_move(ws, county.id("371327101"), GRIDGOV_NO_NODE, "2026-03-01") ==
                GRIDGOV_OK);
        gridgov_node_id* ids = nullptr;
        std::size_t n = 0;
        REQUIRE(gridgov_hierarchy_roots(&ids, &n, ws) == GRIDGOV_OK);
        CHECK(n == 2);
        gridgov_free(ids);
    }
    SUBCASE("strings borrowed before a change are replaced by fresh reads after it") {
        const char* before = nullptr;
        REQUIRE(gridgov_hierarchy_name(&before, ws, grid) == GRIDGOV_OK);
        CHECK(std::string(before) == "东岭三网格");
        REQUIRE(gridgov_hierarchy_rename(ws, grid, "东岭三组网格", "2026-03-01") == GRIDGOV_OK);
        const char* after = nullptr;
        REQUIRE(gridgov_hierarchy_name(&after, ws, grid) == GRIDGOV_OK);
        CHECK(std::string(after) == "东岭三组网格");
    }
}

TEST_CASE("capi.overlay.fire_safety_units_cover_the_township_grids") {
    County county;
    gridgov_workspace* ws = county.ws.get();
    REQUIRE(gridgov_overlay_add(ws, "fire_safety", "消防网格", "fire_safety") == GRIDGOV_OK);

    gridgov_overlay_unit_spec spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) == GRIDGOV_OK);
    spec.code = "XF-01";
    spec.name = "岸堤镇消防大网格";
    spec.level = "large";
    gridgov_node_id large = GRIDGOV_NO_NODE;
    REQUIRE(gridgov_overlay_add_unit(&large, ws, "fire_safety", &spec) == GRIDGOV_OK);

    const char* east[] = {"371327101001001", "371327101001002", "371327101001003"};
    spec.code = "XF-01-01";
    spec.parent_code = "XF-01";
    spec.name = "东岭消防中网格";
    spec.level = "medium";
    spec.grid_codes = east;
    spec.grid_count = 3;
    gridgov_node_id medium = GRIDGOV_NO_NODE;
    const int status = gridgov_overlay_add_unit(&medium, ws, "fire_safety", &spec);
    INFO(last_error());
    REQUIRE(status == GRIDGOV_OK);

    std::size_t n = 0;
    const char* s = nullptr;
    REQUIRE(gridgov_overlay_count(&n, ws) == GRIDGOV_OK);
    CHECK(n == 1);
    REQUIRE(gridgov_overlay_key(&s, ws, 0) == GRIDGOV_OK);
    CHECK(std::string(s) == "fire_safety");
    CHECK(gridgov_overlay_key(&s, ws, 1) == GRIDGOV_EINVAL);
    REQUIRE(gridgov_overlay_name(&s, ws, "fire_safety") == GRIDGOV_OK);
    CHECK(std::string(s) == "消防网格");
    REQUIRE(gridgov_overlay_unit_count(&n, ws, "fire_safety") == GRIDGOV_OK);
    CHECK(n == 2);
    gridgov_node_id found = GRIDGOV_NO_NODE;
    REQUIRE(gridgov_overlay_find_unit(&found, ws, "fire_safety", "XF-01-01") == GRIDGOV_OK);
    CHECK(found == medium);
    REQUIRE(gridgov_overlay_unit_code(&s, ws, "fire_safety", medium) == GRIDGOV_OK);
    CHECK(std::string(s) == "XF-01-01");
    REQUIRE(gridgov_overlay_unit_name(&s, ws, "fire_safety", large) == GRIDGOV_OK);
    CHECK(std::string(s) == "岸堤镇消防大网格");

    gridgov_node_id* ids = nullptr;
    REQUIRE(gridgov_overlay_grids_of(&ids, &n, ws, "fire_safety", medium) == GRIDGOV_OK);
    CHECK(county.codes(ids, n) == Codes(std::begin(east), std::end(east)));
    REQUIRE(gridgov_overlay_units_of(&ids, &n, ws, "fire_safety", county.id("371327101001002")) ==
            GRIDGOV_OK);
    REQUIRE(n == 1);
    CHECK(ids[0] == medium);
    gridgov_free(ids);
    REQUIRE(gridgov_overlay_units_of(&ids, &n, ws, "fire_safety", county.id("371327101002001")) ==
            GRIDGOV_OK);
    CHECK(n == 0);

    SUBCASE("the west village's grids are gaps") {
        gridgov_findings* raw = nullptr;
        REQUIRE(gridgov_overlay_coverage(&raw, ws, "fire_safety", nullptr) == GRIDGOV_OK);
        Findings findings(raw);
        REQUIRE(gridgov_findings_count(&n, findings.get()) == GRIDGOV_OK);
        Codes gaps;
        for (std::size_t i = 0; i < n; ++i) {
            const char* rule = nullptr;
            const char* where = nullptr;
            REQUIRE(gridgov_findings_rule(&rule, findings.get(), i) == GRIDGOV_OK);
            REQUIRE(gridgov_findings_where(&where, findings.get(), i) == GRIDGOV_OK);
            CHECK(std::string(rule) == "overlay.gap");
            gaps.emplace_back(where);
        }
        CHECK(gaps == Codes{"371327101002001", "371327101002002"});
    }
    SUBCASE("a unit on an unknown grid is refused naming the code") {
        const char* unknown[] = {"371327101009009"};
        spec.code = "XF-01-02";
        spec.grid_codes = unknown;
        spec.grid_count = 1;
        gridgov_node_id id = GRIDGOV_NO_NODE;
        CHECK(gridgov_overlay_add_unit(&id, ws, "fire_safety", &spec) == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("371327101009009") != std::string::npos);
        REQUIRE(gridgov_overlay_unit_count(&n, ws, "fire_safety") == GRIDGOV_OK);
        CHECK(n == 2);
    }
    SUBCASE("unknown overlays, schemes and unit ids") {
        CHECK(gridgov_overlay_name(&s, ws, "flood") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("flood") != std::string::npos);
        CHECK(gridgov_overlay_add(ws, "flood", "防汛网格", "flood_control") == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("flood_control") != std::string::npos);
        CHECK(gridgov_overlay_add(ws, "fire_safety", "again", "fire_safety") == GRIDGOV_EEXISTS);
        CHECK(gridgov_overlay_unit_code(&s, ws, "fire_safety", 55) == GRIDGOV_ENOTFOUND);
        CHECK(last_error().find("55") != std::string::npos);
    }
    SUBCASE("a custom level scheme") {
        const gridgov_level levels[] = {{"street", "街区", "Street", 0},
                                        {"frontage", "门前三包责任区", nullptr, 0}};
        REQUIRE(gridgov_overlay_add_custom(ws, "frontage", "门前三包", levels, 2) == GRIDGOV_OK);
        gridgov_overlay_unit_spec zone;
        REQUIRE(gridgov_overlay_unit_spec_init(&zone, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) ==
                GRIDGOV_OK);
        zone.code = "MQ-01";
        zone.name = "东岭街";
        zone.level = "street";
        gridgov_node_id id = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_overlay_add_unit(&id, ws, "frontage", &zone) == GRIDGOV_OK);
        REQUIRE(gridgov_overlay_count(&n, ws) == GRIDGOV_OK);
        CHECK(n == 2);
        const gridgov_level duplicate[] = {{"a", "", "", 0}, {"a", "", "", 0}};
        CHECK(gridgov_overlay_add_custom(ws, "dup", "dup", duplicate, 2) == GRIDGOV_EINVAL);
    }
}

TEST_CASE("capi.hierarchy.level_scheme") {
    gridgov_workspace* raw = nullptr;
    REQUIRE(gridgov_workspace_open(&raw, ":memory:", GRIDGOV_OPEN_CREATE) == GRIDGOV_OK);
    Workspace ws(raw);
    std::size_t n = 0;
    const char* key = nullptr;

    SUBCASE("a new workspace has the national default scheme") {
        REQUIRE(gridgov_hierarchy_level_count(&n, ws.get()) == GRIDGOV_OK);
        CHECK(n == 7);
        REQUIRE(gridgov_hierarchy_level_key(&key, ws.get(), 2) == GRIDGOV_OK);
        CHECK(std::string(key) == "county");
        CHECK(gridgov_hierarchy_level_key(&key, ws.get(), 7) == GRIDGOV_EINVAL);
        CHECK(last_error().find("index") != std::string::npos);
    }
    SUBCASE("an empty workspace takes the caller's scheme") {
        // A city district's own scheme: 街道 / 社区 / 网格 with free-form codes.
        const gridgov_level levels[] = {{"street", "街道", "Street", 0},
                                        {"community", "社区", "Community", 0},
                                        {"grid", "网格", "Grid", 0}};
        REQUIRE(gridgov_hierarchy_set_levels(ws.get(), levels, 3) == GRIDGOV_OK);
        REQUIRE(gridgov_hierarchy_level_count(&n, ws.get()) == GRIDGOV_OK);
        CHECK(n == 3);
        REQUIRE(gridgov_hierarchy_level_key(&key, ws.get(), 1) == GRIDGOV_OK);
        CHECK(std::string(key) == "community");
        gridgov_node_spec street = spec_of({"JD-01", "", "城关街道", "street", NAN});
        gridgov_node_id id = GRIDGOV_NO_NODE;
        REQUIRE(gridgov_hierarchy_add_node(&id, ws.get(), &street, nullptr) == GRIDGOV_OK);
        CHECK(gridgov_hierarchy_set_levels(ws.get(), levels, 2) == GRIDGOV_ESTATE);
        REQUIRE(gridgov_hierarchy_level_count(&n, ws.get()) == GRIDGOV_OK);
        CHECK(n == 3);
    }
    SUBCASE("a level without a key is named") {
        const gridgov_level levels[] = {{"street", "街道", "Street", 0}, {nullptr, "", "", 0}};
        CHECK(gridgov_hierarchy_set_levels(ws.get(), levels, 2) == GRIDGOV_EINVAL);
        CHECK(last_error() == "parameter 'levels[1].key' must not be NULL");
    }
}
