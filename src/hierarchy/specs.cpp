// Checking raw node specs before they are added: the shared front door of add(),
// add_all(), split(), merge() and check_specs().
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/property_map/property_map.hpp>

#include "core/text.hpp"
#include "hierarchy/hierarchy_impl.hpp"

namespace gridgov {
namespace detail {

namespace {

using SpecGraph = boost::compressed_sparse_row_graph<boost::directedS>;

/// Records back edges (each closes one cycle, since a spec has at most one parent) and
/// the finish order, in which every parent precedes its children.
struct CycleAndOrderVisitor : boost::default_dfs_visitor {
    std::vector<std::pair<std::size_t, std::size_t>>* back_edges;
    std::vector<std::size_t>* finish_order;

    void back_edge(SpecGraph::edge_descriptor e, const SpecGraph& g) const {
        back_edges->emplace_back(boost::source(e, g), boost::target(e, g));
    }
    void finish_vertex(std::size_t v, const SpecGraph&) const { finish_order->push_back(v); }
};

std::string level_label(const LevelScheme& levels, int index) {
    return "'" + levels[static_cast<std::size_t>(index)].key + "'";
}

void check_values(const NodeSpec& spec, std::size_t index, std::vector<SpecIssue>& issues) {
    auto bad = [&](std::string message) {
        issues.push_back(
            {index, "hierarchy.bad_value", ErrorCode::invalid_argument, std::move(message)});
    };
    // Every text field of a node is one line of UTF-8: it is stored, exported to JSON, CSV
    // and GeoJSON, and handed to C as a NUL-terminated string.
    const std::pair<const char*, const std::string*> texts[] = {{"code", &spec.code},
                                                                {"parent_code", &spec.parent_code},
                                                                {"level", &spec.level},
                                                                {"name", &spec.name},
                                                                {"area_class", &spec.area_class}};
    for (const auto& [field, text] : texts) {
        if (const auto problem = text_problem(*text, TextKind::line))
            bad("field '" + std::string(field) + "': " + *problem);
    }
    for (const auto& attribute : spec.attributes) {
        if (const auto problem = text_problem(attribute.first, TextKind::line))
            bad("attribute name: " + *problem);
    }
    const std::pair<std::string_view, double> builtins[] = {{"households", spec.households},
                                                            {"population", spec.population},
                                                            {"area_m2", spec.area_m2}};
    for (const auto& [column, value] : builtins) {
        if (std::isinf(value)) {
            bad(std::string(column) + " is infinite");
        }
    }
    for (std::size_t a = 0; a < spec.attributes.size(); ++a) {
        const auto& [column, value] = spec.attributes[a];
        if (column.empty()) {
            bad("attribute " + std::to_string(a) + " has an empty column name");
            continue;
        }
        if (std::find(std::begin(builtin_columns), std::end(builtin_columns), column) !=
            std::end(builtin_columns)) {
            bad("attribute '" + column + "' is a built-in column; set the field instead");
        }
        for (std::size_t b = 0; b < a; ++b) {
            if (spec.attributes[b].first == column) {
                bad("attribute '" + column + "' is given twice");
                break;
            }
        }
        if (std::isinf(value)) {
            bad("attribute '" + column + "' is infinite");
        }
    }
}

}  // namespace

SpecPlan plan_specs(const Hierarchy::Impl& m, const std::vector<NodeSpec>& specs) {
    const std::size_t n = specs.size();
    SpecPlan plan;
    plan.existing_parent.assign(n, no_node);
    plan.spec_parent.assign(n, no_spec);
    auto issue = [&](std::size_t i, const char* rule, ErrorCode code, std::string message) {
        plan.issues.push_back({i, rule, code, std::move(message)});
    };

    std::unordered_map<std::string_view, std::size_t> first;
    first.reserve(n);
    std::vector<int> level(n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        const NodeSpec& s = specs[i];
        if (s.code.empty()) {
            issue(i, "hierarchy.empty_code", ErrorCode::invalid_argument, "the code is empty");
        } else if (auto [it, fresh] = first.emplace(s.code, i); !fresh) {
            issue(i, "hierarchy.duplicate_code", ErrorCode::already_exists,
                  "code " + s.code + " repeats spec " + std::to_string(it->second));
        } else if (auto e = m.by_code.find(s.code); e != m.by_code.end()) {
            const NodeId id = e->second;
            issue(i, "hierarchy.duplicate_code", ErrorCode::already_exists,
                  m.live[id]
                      ? "code " + s.code + " is already used by node " + m.who(id)
                      : "code " + s.code + " belonged to node " + m.who(id) + ", retired on " +
                            m.retired[id].to_string() + "; codes are never reused");
        }
        if (s.name.empty()) {
            issue(i, "hierarchy.empty_name", ErrorCode::invalid_argument, "the name is empty");
        }
        level[i] = m.levels.index_of(s.level);
        if (level[i] < 0) {
            std::string known;
            for (const Level& l : m.levels.levels()) {
                known += (known.empty() ? "" : ", ") + l.key;
            }
            issue(i, "hierarchy.unknown_level", ErrorCode::invalid_argument,
                  "unknown level '" + s.level + "' (the scheme has: " + known + ")");
        }
        check_values(s, i, plan.issues);
    }

    for (std::size_t i = 0; i < n; ++i) {
        const NodeSpec& s = specs[i];
        if (s.parent_code.empty()) {
            continue;
        }
        int parent_level = -1;
        std::string parent_label;
        if (auto it = first.find(s.parent_code); it != first.end()) {
            plan.spec_parent[i] = it->second;
            parent_level = level[it->second];
            parent_label = "spec " + std::to_string(it->second) + " (" + s.parent_code + ")";
        } else if (auto e = m.by_code.find(s.parent_code); e == m.by_code.end()) {
            issue(i, "hierarchy.orphan", ErrorCode::not_found,
                  "parent " + s.parent_code + " is neither among the specs nor a node");
        } else if (!m.live[e->second]) {
            issue(i, "hierarchy.orphan", ErrorCode::not_found,
                  "parent " + m.who(e->second) + " was retired on " +
                      m.retired[e->second].to_string());
        } else {
            plan.existing_parent[i] = e->second;
            parent_level = m.level[e->second];
            parent_label = m.who(e->second);
        }
        if (plan.spec_parent[i] != i && level[i] >= 0 && parent_level >= level[i]) {
            issue(i, "hierarchy.level_order", ErrorCode::invalid_argument,
                  "level " + level_label(m.levels, level[i]) + " is not below the level " +
                      level_label(m.levels, parent_level) + " of its parent " + parent_label);
        }
    }

    std::vector<std::size_t> finish;
    if (n > 0) {
        std::vector<std::pair<std::size_t, std::size_t>> edges;
        for (std::size_t i = 0; i < n; ++i) {
            if (plan.spec_parent[i] != no_spec) {
                edges.emplace_back(i, plan.spec_parent[i]);
            }
        }
        const SpecGraph graph(boost::edges_are_sorted, edges.begin(), edges.end(), n);
        std::vector<std::pair<std::size_t, std::size_t>> back_edges;
        finish.reserve(n);
        CycleAndOrderVisitor visitor;
        visitor.back_edges = &back_edges;
        visitor.finish_order = &finish;
        std::vector<boost::default_color_type> colors(n);
        boost::depth_first_search(
            graph, boost::visitor(visitor).color_map(boost::make_iterator_property_map(
                       colors.begin(), boost::get(boost::vertex_index, graph))));
        for (const auto& [child, ancestor] : back_edges) {
            // The cycle runs from `ancestor` up the parent links back to `child`.
            std::vector<std::size_t> members{ancestor};
            for (std::size_t v = ancestor; v != child;) {
                v = plan.spec_parent[v];
                members.push_back(v);
            }
            const auto lowest = std::min_element(members.begin(), members.end());
            std::rotate(members.begin(), lowest, members.end());
            std::string path;
            for (const std::size_t v : members) {
                path += specs[v].code + " -> ";
            }
            path += specs[members.front()].code;
            issue(members.front(), "hierarchy.cycle", ErrorCode::invalid_argument,
                  "parent links form a cycle: " + path);
        }
    }

    // By spec, and within a spec the most fundamental problem first: a cycle explains
    // the level-order violations that come with it.
    static constexpr std::string_view priority[] = {
        "hierarchy.empty_code",    "hierarchy.duplicate_code", "hierarchy.empty_name",
        "hierarchy.unknown_level", "hierarchy.bad_value",      "hierarchy.orphan",
        "hierarchy.cycle",         "hierarchy.level_order"};
    auto rank = [](const SpecIssue& i) {
        return std::find(std::begin(priority), std::end(priority), i.rule) - std::begin(priority);
    };
    std::stable_sort(plan.issues.begin(), plan.issues.end(),
                     [&](const SpecIssue& a, const SpecIssue& b) {
                         return a.index != b.index ? a.index < b.index : rank(a) < rank(b);
                     });
    if (plan.issues.empty()) {
        plan.order = std::move(finish);
    }
    return plan;
}

}  // namespace detail

std::vector<Finding> Hierarchy::check_specs(const std::vector<NodeSpec>& specs) const {
    const detail::SpecPlan plan = detail::plan_specs(*impl_, specs);
    std::vector<Finding> findings;
    findings.reserve(plan.issues.size());
    for (const detail::SpecIssue& i : plan.issues) {
        findings.push_back(Finding{i.rule, Severity::error, specs[i.index].code,
                                   "spec " + std::to_string(i.index) + ": " + i.message});
    }
    return findings;
}

}  // namespace gridgov
