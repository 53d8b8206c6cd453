// C ABI: the hierarchy and the overlays of a workspace.
#include <algorithm>
#include <string>
#include <vector>

#include "gridgov.h"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::Hierarchy;
using gridgov::NodeId;
using gridgov::capi::bad_value;
using gridgov::capi::guard;
using gridgov::capi::require;
using gridgov::capi::text;

static_assert(GRIDGOV_NO_NODE == gridgov::no_node);
static_assert(GRIDGOV_KIND_COMPREHENSIVE == static_cast<int>(gridgov::GridKind::comprehensive));
static_assert(GRIDGOV_KIND_DEDICATED == static_cast<int>(gridgov::GridKind::dedicated));
static_assert(GRIDGOV_AREA_UNSPECIFIED == static_cast<int>(gridgov::AreaType::unspecified));
static_assert(GRIDGOV_AREA_URBAN == static_cast<int>(gridgov::AreaType::urban));
static_assert(GRIDGOV_AREA_RURAL == static_cast<int>(gridgov::AreaType::rural));

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorCode::invalid_argument, message);
}

void require_member(const void* p, const std::string& where, const char* member) {
    require(p, (where + "." + member).c_str());
}

void check_version(std::uint32_t version, std::uint32_t known, const std::string& where,
                   const char* init) {
    if (version != known) {
        invalid(where + ".version: " + std::to_string(version) + " is not supported (call " + init +
                "() first)");
    }
}

gridgov::NodeSpec node_spec(const gridgov_node_spec& s, const std::string& where) {
    check_version(s.version, GRIDGOV_NODE_SPEC_VERSION, where, "gridgov_node_spec_init");
    require_member(s.code, where, "code");
    require_member(s.name, where, "name");
    require_member(s.level, where, "level");
    if (s.kind != GRIDGOV_KIND_COMPREHENSIVE && s.kind != GRIDGOV_KIND_DEDICATED) {
        invalid(where + ".kind: " + std::to_string(s.kind) + " is not a GRIDGOV_KIND_* value");
    }
    if (s.area_type < GRIDGOV_AREA_UNSPECIFIED || s.area_type > GRIDGOV_AREA_RURAL) {
        invalid(where + ".area_type: " + std::to_string(s.area_type) +
                " is not a GRIDGOV_AREA_* value");
    }
    gridgov::NodeSpec spec;
    spec.code = s.code;
    spec.parent_code = text(s.parent_code);
    spec.name = s.name;
    spec.level = s.level;
    spec.kind = static_cast<gridgov::GridKind>(s.kind);
    spec.area_type = static_cast<gridgov::AreaType>(s.area_type);
    spec.area_class = text(s.area_class);
    spec.households = s.households;
    spec.population = s.population;
    spec.area_m2 = s.area_m2;
    if (s.attribute_count > 0) {
        require_member(s.attribute_names, where, "attribute_names");
        require_member(s.attribute_values, where, "attribute_values");
        spec.attributes.reserve(s.attribute_count);
        for (std::size_t i = 0; i < s.attribute_count; ++i) {
            const char* name = s.attribute_names[i];
            require_member(name, where, ("attribute_names[" + std::to_string(i) + "]").c_str());
            spec.attributes.emplace_back(name, s.attribute_values[i]);
        }
    }
    spec.geometry = text(s.geometry);
    return spec;
}

std::vector<gridgov::NodeSpec> node_specs(const gridgov_node_spec* specs, std::size_t count,
                                          const char* parameter) {
    std::vector<gridgov::NodeSpec> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(node_spec(specs[i], std::string(parameter) + "[" + std::to_string(i) + "]"));
    }
    return out;
}

const Hierarchy& hierarchy(const gridgov_workspace* ws) {
    require(ws, "ws");
    return ws->ws.hierarchy().view();
}

// Ids come from C callers unchecked; the C++ accessors index arrays directly.
NodeId existing(const Hierarchy& h, gridgov_node_id id, const std::string& parameter) {
    if (id >= h.id_count()) {
        throw Error(ErrorCode::not_found, parameter + ": node id " + std::to_string(id) +
                                              " does not exist (id count " +
                                              std::to_string(h.id_count()) + ")");
    }
    return id;
}

void give_ids(gridgov_node_id** out, size_t* out_count, const std::vector<NodeId>& ids) {
    gridgov_node_id* copy = gridgov::capi::dup_array(ids);
    *out = copy;
    *out_count = ids.size();
}

std::vector<NodeId> to_vector(gridgov::IdSpan span) {
    return {span.begin(), span.end()};
}

// Reader with one node argument: checks out, ws and the id, then hands over the hierarchy.
template <class Read>
int read_node(const void* out, const gridgov_workspace* ws, gridgov_node_id node, Read&& read) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        read(h, existing(h, node, "node"));
    });
}

void check_capacity(std::size_t capacity, const Hierarchy& h) {
    if (capacity < h.id_count()) {
        throw Error(ErrorCode::buffer_too_small,
                    "capacity: " + std::to_string(capacity) + " is less than the id count " +
                        std::to_string(h.id_count()) + " (gridgov_hierarchy_id_count())");
    }
}

void check_statistic(int statistic) {
    if (statistic < GRIDGOV_STAT_SUM || statistic > GRIDGOV_STAT_COUNT) {
        invalid("statistic: " + std::to_string(statistic) + " is not a GRIDGOV_STAT_* value");
    }
}

void write_statistic(double* out, const gridgov::RollUp& r, int statistic) {
    switch (statistic) {
        case GRIDGOV_STAT_SUM:
            std::copy(r.sum.begin(), r.sum.end(), out);
            break;
        case GRIDGOV_STAT_MIN:
            std::copy(r.min.begin(), r.min.end(), out);
            break;
        case GRIDGOV_STAT_MAX:
            std::copy(r.max.begin(), r.max.end(), out);
            break;
        default:
            std::copy(r.count.begin(), r.count.end(), out);
            break;
    }
}

gridgov::LevelScheme builtin_scheme(const char* scheme) {
    const std::string name = scheme;
    if (name == "fire_safety")
        return gridgov::fire_safety_levels();
    if (name == "market_supervision")
        return gridgov::market_supervision_levels();
    if (name == "urban_management")
        return gridgov::urban_management_levels();
    throw Error(ErrorCode::not_found,
                "scheme: unknown level scheme '" + name +
                    "' (expected fire_safety, market_supervision or urban_management)");
}

gridgov::LevelScheme level_scheme(const gridgov_level* levels, std::size_t count) {
    require(levels, "levels");
    std::vector<gridgov::Level> scheme;
    scheme.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::string where = "levels[" + std::to_string(i) + "]";
        require_member(levels[i].key, where, "key");
        scheme.push_back(gridgov::Level{levels[i].key, text(levels[i].name_zh),
                                        text(levels[i].name_en), levels[i].code_digits});
    }
    return gridgov::LevelScheme(std::move(scheme));
}

const gridgov::Overlay& overlay_of(const gridgov_workspace* ws, const char* key) {
    require(ws, "ws");
    require(key, "overlay");
    return ws->ws.hierarchy().overlay(key);
}

NodeId existing_unit(const gridgov::Overlay& o, gridgov_node_id unit) {
    const Hierarchy& units = o.units();
    if (unit >= units.id_count()) {
        throw Error(ErrorCode::not_found,
                    "unit: unit id " + std::to_string(unit) + " does not exist in overlay '" +
                        o.key() + "' (id count " + std::to_string(units.id_count()) + ")");
    }
    return unit;
}

}  // namespace

extern "C" {

int gridgov_node_spec_init(gridgov_node_spec* spec, uint32_t version) {
    return guard([&] {
        require(spec, "spec");
        if (version != GRIDGOV_NODE_SPEC_VERSION) {
            invalid("version: " + std::to_string(version) +
                    " is not supported (expected GRIDGOV_NODE_SPEC_VERSION)");
        }
        *spec = gridgov_node_spec{};
        spec->version = version;
        spec->kind = GRIDGOV_KIND_COMPREHENSIVE;
        spec->area_type = GRIDGOV_AREA_UNSPECIFIED;
        spec->households = gridgov::missing_value;
        spec->population = gridgov::missing_value;
        spec->area_m2 = gridgov::missing_value;
    });
}

int gridgov_overlay_unit_spec_init(gridgov_overlay_unit_spec* spec, uint32_t version) {
    return guard([&] {
        require(spec, "spec");
        if (version != GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) {
            invalid("version: " + std::to_string(version) +
                    " is not supported (expected GRIDGOV_OVERLAY_UNIT_SPEC_VERSION)");
        }
        *spec = gridgov_overlay_unit_spec{};
        spec->version = version;
    });
}

// ---- identity and attributes ------------------------------------------------------------

int gridgov_hierarchy_node_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        *out = hierarchy(ws).size();
    });
}

int gridgov_hierarchy_id_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        *out = hierarchy(ws).id_count();
    });
}

int gridgov_hierarchy_find(gridgov_node_id* out, const gridgov_workspace* ws, const char* code) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        require(code, "code");
        *out = h.at(code);
    });
}

int gridgov_hierarchy_is_live(int* out, const gridgov_workspace* ws, gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        *out = hierarchy(ws).is_live(node) ? 1 : 0;
    });
}

int gridgov_hierarchy_code(const char** out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = h.code(id).c_str(); });
}

int gridgov_hierarchy_name(const char** out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = h.name(id).c_str(); });
}

int gridgov_hierarchy_level(const char** out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node, [&](const Hierarchy& h, NodeId id) {
        *out = h.levels()[static_cast<std::size_t>(h.level(id))].key.c_str();
    });
}

int gridgov_hierarchy_kind(int* out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = static_cast<int>(h.kind(id)); });
}

int gridgov_hierarchy_area_type(int* out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node, [&](const Hierarchy& h, NodeId id) {
        *out = static_cast<int>(h.area_type(id));
    });
}

int gridgov_hierarchy_area_class(const char** out, const gridgov_workspace* ws,
                                 gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = h.area_class(id).c_str(); });
}

int gridgov_hierarchy_geometry(const char** out, const gridgov_workspace* ws,
                               gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = h.geometry(id).c_str(); });
}

int gridgov_hierarchy_value(double* out, const gridgov_workspace* ws, gridgov_node_id node,
                            const char* column) {
    return read_node(out, ws, node, [&](const Hierarchy& h, NodeId id) {
        require(column, "column");
        *out = h.value(id, column);
    });
}

// ---- structure --------------------------------------------------------------------------

int gridgov_hierarchy_parent(gridgov_node_id* out, const gridgov_workspace* ws,
                             gridgov_node_id node) {
    return read_node(out, ws, node, [&](const Hierarchy& h, NodeId id) { *out = h.parent(id); });
}

int gridgov_hierarchy_children(gridgov_node_id** out, size_t* out_count,
                               const gridgov_workspace* ws, gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const Hierarchy& h = hierarchy(ws);
        give_ids(out, out_count, to_vector(h.children(existing(h, node, "node"))));
    });
}

int gridgov_hierarchy_roots(gridgov_node_id** out, size_t* out_count, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        give_ids(out, out_count, to_vector(hierarchy(ws).roots()));
    });
}

int gridgov_hierarchy_depth(int* out, const gridgov_workspace* ws, gridgov_node_id node) {
    return read_node(out, ws, node, [&](const Hierarchy& h, NodeId id) { *out = h.depth(id); });
}

int gridgov_hierarchy_path_to_root(gridgov_node_id** out, size_t* out_count,
                                   const gridgov_workspace* ws, gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const Hierarchy& h = hierarchy(ws);
        give_ids(out, out_count, h.path_to_root(existing(h, node, "node")));
    });
}

int gridgov_hierarchy_is_ancestor(int* out, const gridgov_workspace* ws, gridgov_node_id ancestor,
                                  gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        *out = h.is_ancestor(existing(h, ancestor, "ancestor"), existing(h, node, "node")) ? 1 : 0;
    });
}

int gridgov_hierarchy_lowest_common_ancestor(gridgov_node_id* out, const gridgov_workspace* ws,
                                             gridgov_node_id a, gridgov_node_id b) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        *out = h.lowest_common_ancestor(existing(h, a, "a"), existing(h, b, "b"));
    });
}

int gridgov_hierarchy_preorder(gridgov_node_id** out, size_t* out_count,
                               const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        give_ids(out, out_count, hierarchy(ws).preorder());
    });
}

int gridgov_hierarchy_preorder_position(uint32_t* out, const gridgov_workspace* ws,
                                        gridgov_node_id node) {
    return read_node(out, ws, node,
                     [&](const Hierarchy& h, NodeId id) { *out = h.preorder_position(id); });
}

int gridgov_hierarchy_subtree(uint32_t* out_begin, uint32_t* out_end, const gridgov_workspace* ws,
                              gridgov_node_id node) {
    return guard([&] {
        require(out_begin, "out_begin");
        require(out_end, "out_end");
        const Hierarchy& h = hierarchy(ws);
        const gridgov::PreorderRange range = h.subtree(existing(h, node, "node"));
        *out_begin = range.begin;
        *out_end = range.end;
    });
}

int gridgov_hierarchy_nodes_at_level(gridgov_node_id** out, size_t* out_count,
                                     const gridgov_workspace* ws, const char* level) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const Hierarchy& h = hierarchy(ws);
        require(level, "level");
        const int index = h.levels().index_of(level);
        if (index < 0) {
            throw Error(ErrorCode::not_found,
                        std::string("level: no level has the key '") + level + "'");
        }
        give_ids(out, out_count, h.nodes_at_level(index));
    });
}

int gridgov_hierarchy_level_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        *out = hierarchy(ws).levels().size();
    });
}

int gridgov_hierarchy_level_key(const char** out, const gridgov_workspace* ws, size_t index) {
    return guard([&] {
        require(out, "out");
        const gridgov::LevelScheme& levels = hierarchy(ws).levels();
        if (index >= levels.size()) {
            invalid("index: " + std::to_string(index) + " is out of range (" +
                    std::to_string(levels.size()) + " levels)");
        }
        *out = levels[index].key.c_str();
    });
}

int gridgov_hierarchy_set_levels(gridgov_workspace* ws, const gridgov_level* levels,
                                 size_t level_count) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.hierarchy().set_level_scheme(level_scheme(levels, level_count));
    });
}

// ---- roll-ups ---------------------------------------------------------------------------

int gridgov_hierarchy_roll_up(double* out, size_t capacity, const gridgov_workspace* ws,
                              const char* column, int statistic) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        require(column, "column");
        check_statistic(statistic);
        check_capacity(capacity, h);
        write_statistic(out, h.roll_up(std::string_view(column)), statistic);
    });
}

int gridgov_hierarchy_roll_up_values(double* out, size_t capacity, const gridgov_workspace* ws,
                                     const double* values, size_t value_count, int statistic) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        require(values, "values");
        check_statistic(statistic);
        check_capacity(capacity, h);
        if (value_count != h.id_count()) {
            invalid("value_count: " + std::to_string(value_count) + " differs from the id count " +
                    std::to_string(h.id_count()));
        }
        write_statistic(out, h.roll_up(std::vector<double>(values, values + value_count)),
                        statistic);
    });
}

int gridgov_hierarchy_sum_records(double* out, size_t capacity, const gridgov_workspace* ws,
                                  const gridgov_node_id* record_nodes, const double* weights,
                                  size_t record_count) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        require(record_nodes, "record_nodes");
        check_capacity(capacity, h);
        for (std::size_t i = 0; i < record_count; ++i) {
            existing(h, record_nodes[i], "record_nodes[" + std::to_string(i) + "]");
        }
        const std::vector<double> sums = h.sum_records(record_nodes, weights, record_count);
        std::copy(sums.begin(), sums.end(), out);
    });
}

// ---- changes ----------------------------------------------------------------------------

int gridgov_hierarchy_add_node(gridgov_node_id* out, gridgov_workspace* ws,
                               const gridgov_node_spec* spec, const char* effective) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(spec, "spec");
        const gridgov::NodeSpec s = node_spec(*spec, "spec");
        const auto from = gridgov::capi::optional_date(effective, "effective");
        *out = ws->ws.hierarchy().add_node(s, from.value_or(gridgov::Date::min()));
    });
}

int gridgov_hierarchy_add_nodes(gridgov_node_id* out, gridgov_workspace* ws,
                                const gridgov_node_spec* specs, size_t spec_count,
                                const char* effective) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(specs, "specs");
        const std::vector<gridgov::NodeSpec> s = node_specs(specs, spec_count, "specs");
        const auto from = gridgov::capi::optional_date(effective, "effective");
        const std::vector<NodeId> ids =
            ws->ws.hierarchy().add_nodes(s, from.value_or(gridgov::Date::min()));
        std::copy(ids.begin(), ids.end(), out);
    });
}

int gridgov_hierarchy_rename(gridgov_workspace* ws, gridgov_node_id node, const char* name,
                             const char* effective) {
    return guard([&] {
        const NodeId id = existing(hierarchy(ws), node, "node");
        require(name, "name");
        ws->ws.hierarchy().rename_node(id, name,
                                       gridgov::capi::required_date(effective, "effective"));
    });
}

int gridgov_hierarchy_move(gridgov_workspace* ws, gridgov_node_id node, gridgov_node_id new_parent,
                           const char* effective) {
    return guard([&] {
        const Hierarchy& h = hierarchy(ws);
        const NodeId id = existing(h, node, "node");
        const NodeId parent = new_parent == GRIDGOV_NO_NODE ? gridgov::no_node
                                                            : existing(h, new_parent, "new_parent");
        ws->ws.hierarchy().move_node(id, parent,
                                     gridgov::capi::required_date(effective, "effective"));
    });
}

int gridgov_hierarchy_retire(gridgov_workspace* ws, gridgov_node_id node, const char* effective) {
    return guard([&] {
        const NodeId id = existing(hierarchy(ws), node, "node");
        ws->ws.hierarchy().retire_node(id, gridgov::capi::required_date(effective, "effective"));
    });
}

int gridgov_hierarchy_set_value(gridgov_workspace* ws, gridgov_node_id node, const char* column,
                                double value, const char* effective) {
    return guard([&] {
        const NodeId id = existing(hierarchy(ws), node, "node");
        require(column, "column");
        ws->ws.hierarchy().set_node_value(id, column, value,
                                          gridgov::capi::required_date(effective, "effective"));
    });
}

int gridgov_hierarchy_split(gridgov_node_id* out, gridgov_workspace* ws, gridgov_node_id node,
                            const gridgov_node_spec* parts, size_t part_count,
                            const char* effective) {
    return guard([&] {
        require(out, "out");
        const NodeId id = existing(hierarchy(ws), node, "node");
        require(parts, "parts");
        const std::vector<gridgov::NodeSpec> s = node_specs(parts, part_count, "parts");
        const gridgov::Date date = gridgov::capi::required_date(effective, "effective");
        const std::vector<NodeId> ids = ws->ws.hierarchy().split_node(id, s, date);
        std::copy(ids.begin(), ids.end(), out);
    });
}

int gridgov_hierarchy_merge(gridgov_node_id* out, gridgov_workspace* ws,
                            const gridgov_node_id* sources, size_t source_count,
                            const gridgov_node_spec* merged, const char* effective) {
    return guard([&] {
        require(out, "out");
        const Hierarchy& h = hierarchy(ws);
        require(sources, "sources");
        require(merged, "merged");
        std::vector<NodeId> ids;
        ids.reserve(source_count);
        for (std::size_t i = 0; i < source_count; ++i) {
            ids.push_back(existing(h, sources[i], "sources[" + std::to_string(i) + "]"));
        }
        const gridgov::NodeSpec s = node_spec(*merged, "merged");
        const gridgov::Date date = gridgov::capi::required_date(effective, "effective");
        *out = ws->ws.hierarchy().merge_nodes(ids, s, date);
    });
}

// ---- overlays ---------------------------------------------------------------------------

int gridgov_overlay_add(gridgov_workspace* ws, const char* key, const char* name,
                        const char* scheme) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        require(name, "name");
        require(scheme, "scheme");
        ws->ws.hierarchy().add_overlay(key, name, builtin_scheme(scheme));
    });
}

int gridgov_overlay_add_custom(gridgov_workspace* ws, const char* key, const char* name,
                               const gridgov_level* levels, size_t level_count) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        require(name, "name");
        ws->ws.hierarchy().add_overlay(key, name, level_scheme(levels, level_count));
    });
}

int gridgov_overlay_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.hierarchy().overlays().size();
    });
}

int gridgov_overlay_key(const char** out, const gridgov_workspace* ws, size_t index) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const std::vector<gridgov::Overlay>& all = ws->ws.hierarchy().overlays();
        if (index >= all.size()) {
            invalid("index: " + std::to_string(index) + " is out of range (" +
                    std::to_string(all.size()) + " overlays)");
        }
        *out = all[index].key().c_str();
    });
}

int gridgov_overlay_name(const char** out, const gridgov_workspace* ws, const char* overlay) {
    return guard([&] {
        require(out, "out");
        *out = overlay_of(ws, overlay).name().c_str();
    });
}

int gridgov_overlay_add_unit(gridgov_node_id* out, gridgov_workspace* ws, const char* overlay,
                             const gridgov_overlay_unit_spec* spec) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(overlay, "overlay");
        require(spec, "spec");
        check_version(spec->version, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION, "spec",
                      "gridgov_overlay_unit_spec_init");
        require_member(spec->code, "spec", "code");
        require_member(spec->name, "spec", "name");
        require_member(spec->level, "spec", "level");
        gridgov::OverlayUnitSpec s;
        s.code = spec->code;
        s.parent_code = text(spec->parent_code);
        s.name = spec->name;
        s.level = spec->level;
        if (spec->grid_count > 0)
            require_member(spec->grid_codes, "spec", "grid_codes");
        for (std::size_t i = 0; i < spec->grid_count; ++i) {
            const char* code = spec->grid_codes[i];
            require_member(code, "spec", ("grid_codes[" + std::to_string(i) + "]").c_str());
            s.grid_codes.emplace_back(code);
        }
        *out = ws->ws.hierarchy().add_overlay_unit(overlay, s);
    });
}

int gridgov_overlay_unit_count(size_t* out, const gridgov_workspace* ws, const char* overlay) {
    return guard([&] {
        require(out, "out");
        *out = overlay_of(ws, overlay).units().size();
    });
}

int gridgov_overlay_find_unit(gridgov_node_id* out, const gridgov_workspace* ws,
                              const char* overlay, const char* code) {
    return guard([&] {
        require(out, "out");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        require(code, "code");
        *out = o.units().at(code);
    });
}

int gridgov_overlay_unit_code(const char** out, const gridgov_workspace* ws, const char* overlay,
                              gridgov_node_id unit) {
    return guard([&] {
        require(out, "out");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        *out = o.units().code(existing_unit(o, unit)).c_str();
    });
}

int gridgov_overlay_unit_name(const char** out, const gridgov_workspace* ws, const char* overlay,
                              gridgov_node_id unit) {
    return guard([&] {
        require(out, "out");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        *out = o.units().name(existing_unit(o, unit)).c_str();
    });
}

int gridgov_overlay_grids_of(gridgov_node_id** out, size_t* out_count, const gridgov_workspace* ws,
                             const char* overlay, gridgov_node_id unit) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        give_ids(out, out_count, o.grids_of(existing_unit(o, unit)));
    });
}

int gridgov_overlay_units_of(gridgov_node_id** out, size_t* out_count, const gridgov_workspace* ws,
                             const char* overlay, gridgov_node_id grid) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        give_ids(out, out_count, o.units_of(existing(ws->ws.hierarchy().view(), grid, "grid")));
    });
}

int gridgov_overlay_coverage(gridgov_findings** out, const gridgov_workspace* ws,
                             const char* overlay, const char* grid_level) {
    return guard([&] {
        require(out, "out");
        const gridgov::Overlay& o = overlay_of(ws, overlay);
        const std::string level = grid_level != nullptr ? grid_level : "grid";
        *out = gridgov::capi::new_findings(o.coverage(ws->ws.hierarchy().view(), level));
    });
}

}  // extern "C"
