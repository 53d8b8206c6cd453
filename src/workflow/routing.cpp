// Routing a case (category + node) to its department, with the reasoning.
#include <algorithm>
#include <set>

#include "gridgov/workflow.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"
#include "workflow/json_io.hpp"

namespace gridgov {
namespace {

using detail::wf::Json;
using detail::wf::JsonPlace;
using detail::wf::quote;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

/// The department of `kind` serving `node` or its nearest ancestor (catalogue order on a
/// tie), with the node it serves.
std::pair<const Department*, NodeId> nearest_of_kind(const Hierarchy& h,
                                                     const DepartmentCatalogue& departments,
                                                     std::string_view kind, NodeId node) {
    for (NodeId n : h.path_to_root(node)) {
        for (const Department& d : departments.departments) {
            if (d.kind == kind && d.node == h.code(n))
                return {&d, n};
        }
    }
    return {nullptr, no_node};
}

/// The department serving unit `unit` of `overlay` or its nearest enclosing unit: of
/// `kind` when one of that kind serves it, else the first in catalogue order; null when
/// none serves the unit or any unit above it.
const Department* serving_unit(const Networks& networks, const Overlay& overlay,
                               const DepartmentCatalogue& departments, std::string_view kind,
                               NodeId unit) {
    const Hierarchy& units = overlay.units();
    for (const NodeId u : units.path_to_root(unit)) {
        const std::string place = networks.code(Place{overlay.key(), u});
        const Department* first = nullptr;
        for (const Department& d : departments.departments) {
            if (d.node != place)
                continue;
            if (!kind.empty() && d.kind == kind)
                return &d;
            if (first == nullptr)
                first = &d;
        }
        if (first != nullptr)
            return first;
    }
    return nullptr;
}

}  // namespace

namespace {

constexpr detail::EnumName<RouteBasis> route_basis_names[] = {
    {RouteBasis::rule, "rule"},
    {RouteBasis::category, "category"},
    {RouteBasis::territorial, "territorial"},
};

}  // namespace

const char* route_basis_name(RouteBasis basis) noexcept {
    return detail::enum_name(route_basis_names, basis);
}

RoutingTable RoutingTable::from_json(std::string_view text, std::string_view source_name) {
    const Json doc = detail::wf::parse(text, source_name);
    const JsonPlace root{std::string(source_name), ""};
    detail::json_require_object(doc, root.text());
    RoutingTable table;
    const std::string level = detail::json_string(doc, "territorial_level", root.text());
    if (!level.empty())
        table.territorial_level = level;
    const std::string kind = detail::json_string(doc, "territorial_kind", root.text());
    if (!kind.empty())
        table.territorial_kind = kind;
    if (const Json* list = detail::json_array(doc, "rules", root.text())) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const JsonPlace at = root.at("rules").at(i);
            const Json& j = (*list)[i];
            detail::json_require_object(j, at.text());
            RoutingRule r;
            r.category_prefix = detail::json_string(j, "category_prefix", at.text());
            r.subtree = detail::json_string(j, "subtree", at.text());
            r.overlay = detail::json_string(j, "overlay", at.text());
            r.department = detail::json_string(j, "department", at.text(), r.overlay.empty());
            r.note = detail::json_string(j, "note", at.text());
            table.rules.push_back(std::move(r));
        }
    }
    return table;
}

std::string RoutingTable::to_json() const {
    Json doc = Json::object();
    doc["territorial_level"] = territorial_level;
    doc["territorial_kind"] = territorial_kind;
    Json list = Json::array();
    for (const RoutingRule& r : rules) {
        Json rule = {{"category_prefix", r.category_prefix},
                     {"subtree", r.subtree},
                     {"department", r.department},
                     {"note", r.note}};
        if (!r.overlay.empty())
            rule["overlay"] = r.overlay;
        list.push_back(std::move(rule));
    }
    doc["rules"] = std::move(list);
    return doc.dump(2);
}

Route RoutingTable::route(const Networks& networks, const CategoryCatalogue& categories,
                          const DepartmentCatalogue& departments, std::string_view category,
                          NodeId node) const {
    const Hierarchy& hierarchy = networks.base();
    const Category& cat = categories.at(category);
    if (!hierarchy.is_live(node)) {
        throw Error(ErrorCode::not_found, "routing: node " + std::to_string(node) +
                                              " is not a live node of the hierarchy");
    }
    Route route;
    const std::string where = hierarchy.code(node);

    // 1. Explicit rules: the most specific match.
    std::size_t best = rules.size();
    std::size_t best_prefix = 0;
    int best_depth = -1;
    Place best_unit;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const RoutingRule& r = rules[i];
        const std::string label = "rule " + std::to_string(i) + " (prefix " +
                                  quote(r.category_prefix) + ", subtree " +
                                  (r.subtree.empty() ? std::string("anywhere") : r.subtree) +
                                  (r.overlay.empty() ? "" : ", overlay " + r.overlay) + ")";
        if (!starts_with(cat.code, r.category_prefix))
            continue;
        int depth = -1;
        if (!r.subtree.empty()) {
            const std::optional<NodeId> root = hierarchy.find(r.subtree);
            if (!root || !hierarchy.is_ancestor(*root, node))
                continue;
            depth = hierarchy.depth(*root);
        }
        if (!r.department.empty() && departments.find(r.department) == nullptr) {
            route.reasoning.push_back(label + " matches but names unknown department " +
                                      quote(r.department) + "; skipped");
            continue;
        }
        Place unit;
        if (!r.overlay.empty()) {
            if (networks.find_overlay(r.overlay) == nullptr) {
                route.reasoning.push_back(label + " matches but names overlay " + quote(r.overlay) +
                                          ", which is not loaded; skipped");
                continue;
            }
            const std::vector<NodeId> covering = networks.covering(r.overlay, node);
            if (covering.empty()) {
                route.reasoning.push_back(label + " matches but no unit of " + r.overlay +
                                          " covers " + where + "; skipped");
                continue;
            }
            unit = Place{r.overlay, covering.front()};
            route.reasoning.push_back(
                label + " matches, unit " + networks.code(unit) +
                (covering.size() > 1 ? " (the first of " + std::to_string(covering.size()) +
                                           " units covering " + where + ")"
                                     : "") +
                (r.department.empty() ? std::string() : ", department " + r.department));
        } else {
            route.reasoning.push_back(label + " matches, department " + r.department);
        }
        if (best == rules.size() || r.category_prefix.size() > best_prefix ||
            (r.category_prefix.size() == best_prefix && depth > best_depth)) {
            best = i;
            best_prefix = r.category_prefix.size();
            best_depth = depth;
            best_unit = unit;
        }
    }
    if (best != rules.size()) {
        const RoutingRule& r = rules[best];
        route.basis = RouteBasis::rule;
        route.rule = best;
        route.unit = best_unit;
        const Department* d = nullptr;
        if (!r.department.empty()) {
            d = &departments.at(r.department);
        } else {
            d = serving_unit(networks, *networks.find_overlay(r.overlay), departments,
                             cat.department, best_unit.node);
        }
        if (d != nullptr) {
            route.department = d->code;
            route.node = hierarchy.find(d->node).value_or(no_node);
        }
        const std::string to = r.overlay.empty() ? d->code
                               : d != nullptr
                                   ? "unit " + networks.code(best_unit) + ", department " + d->code
                                   : "unit " + networks.code(best_unit) +
                                         " (no department serves it: the posts held on it)";
        route.reasoning.push_back("chosen: rule " + std::to_string(best) +
                                  " (longest category prefix, then deepest subtree, then "
                                  "earliest) routes " +
                                  cat.code + " at " + where + " to " + to);
        return route;
    }
    route.reasoning.push_back("no explicit rule matches " + cat.code + " at " + where);

    // 2. The category's department kind, nearest to the case.
    if (!cat.department.empty()) {
        const auto [d, served] = nearest_of_kind(hierarchy, departments, cat.department, node);
        if (d != nullptr) {
            route.basis = RouteBasis::category;
            route.department = d->code;
            route.node = served;
            route.reasoning.push_back("chosen: category " + cat.code + " belongs to " +
                                      quote(cat.department) + "; department " + d->code +
                                      " serves " + hierarchy.code(served) + ", the nearest to " +
                                      where);
            return route;
        }
        route.reasoning.push_back("no department of kind " + quote(cat.department) + " serves " +
                                  where + " or any node above it");
    } else {
        route.reasoning.push_back("category " + cat.code + " names no responsible department");
    }

    // 3. Territorial management: the tier named by territorial_level.
    NodeId territorial = node;
    const int level = hierarchy.levels().index_of(territorial_level);
    if (level >= 0 && hierarchy.level(node) > level) {
        for (NodeId n : hierarchy.path_to_root(node)) {
            if (hierarchy.level(n) == level) {
                territorial = n;
                break;
            }
        }
    }
    route.basis = RouteBasis::territorial;
    route.node = territorial;
    const auto [d, served] = nearest_of_kind(hierarchy, departments, territorial_kind, territorial);
    if (d != nullptr)
        route.department = d->code;
    route.reasoning.push_back(
        "chosen: territorial management (属地管理) at " + hierarchy.code(territorial) + " (" +
        territorial_level + ")" +
        (d != nullptr ? ", department " + d->code + " of kind " + quote(territorial_kind)
                      : ", no department of kind " + quote(territorial_kind) + " serves it"));
    return route;
}

std::vector<Finding> RoutingTable::validate(const Networks& networks,
                                            const CategoryCatalogue& categories,
                                            const DepartmentCatalogue& departments) const {
    const Hierarchy& hierarchy = networks.base();
    std::vector<Finding> out;
    if (hierarchy.levels().index_of(territorial_level) < 0) {
        out.push_back(
            {"routing.unknown_level", Severity::error, "territorial_level",
             "territorial level " + quote(territorial_level) + " is not a level of the hierarchy"});
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const RoutingRule& r = rules[i];
        const std::string where = "rules[" + std::to_string(i) + "]";
        if ((!r.department.empty() || r.overlay.empty()) &&
            departments.find(r.department) == nullptr) {
            out.push_back({"routing.unknown_department", Severity::error, where,
                           where + " names unknown department " + quote(r.department)});
        }
        if (!r.overlay.empty() && networks.find_overlay(r.overlay) == nullptr) {
            out.push_back(
                {"routing.unknown_overlay", Severity::error, where,
                 where + " sends cases to overlay " + quote(r.overlay) + ", which is not loaded"});
        }
        if (!r.subtree.empty() && !hierarchy.find(r.subtree)) {
            out.push_back({"routing.unknown_subtree", Severity::error, where,
                           where + " names subtree " + quote(r.subtree) +
                               ", not a live node of the hierarchy"});
        }
        const bool matches =
            std::any_of(categories.categories.begin(), categories.categories.end(),
                        [&](const Category& c) { return starts_with(c.code, r.category_prefix); });
        if (!matches) {
            out.push_back({"routing.prefix_matches_nothing", Severity::warning, where,
                           where + " category prefix " + quote(r.category_prefix) +
                               " matches no category of " + quote(categories.key)});
        }
        if (!seen.insert({r.category_prefix, r.subtree + "\n" + r.overlay}).second) {
            out.push_back({"routing.duplicate_rule", Severity::warning, where,
                           where + " repeats the prefix and subtree of an earlier rule, which "
                                   "always wins"});
        }
    }
    return out;
}

}  // namespace gridgov
