// Overlays (多网合一): specialised networks whose units map onto base grids.
#include <algorithm>
#include <string>
#include <utility>

#include "gridgov/hierarchy.hpp"

namespace gridgov {

Overlay::Overlay(std::string key, std::string name, LevelScheme unit_levels)
    : key_(std::move(key)), name_(std::move(name)), units_(std::move(unit_levels)) {
    if (key_.empty()) {
        throw Error(ErrorCode::invalid_argument, "an overlay needs a non-empty key");
    }
}

namespace {

/// Resolves one unit's grid codes in the base hierarchy, refusing unknown and repeated codes.
std::vector<NodeId> resolve_grids(const std::string& overlay, const OverlayUnitSpec& spec,
                                  const Hierarchy& base) {
    std::vector<NodeId> grids;
    grids.reserve(spec.grid_codes.size());
    for (const std::string& code : spec.grid_codes) {
        const std::optional<NodeId> id = base.find(code);
        if (!id) {
            throw Error(ErrorCode::not_found,
                        "overlay " + overlay + ": unit " + spec.code + " maps grid " + code +
                            ", which is not a live node of the base hierarchy");
        }
        grids.push_back(*id);
    }
    std::vector<NodeId> sorted = grids;
    std::sort(sorted.begin(), sorted.end());
    if (auto d = std::adjacent_find(sorted.begin(), sorted.end()); d != sorted.end()) {
        throw Error(ErrorCode::invalid_argument, "overlay " + overlay + ": unit " + spec.code +
                                                     " lists grid " + base.code(*d) + " twice");
    }
    return grids;
}

NodeSpec unit_node(const OverlayUnitSpec& spec) {
    NodeSpec node;
    node.code = spec.code;
    node.parent_code = spec.parent_code;
    node.name = spec.name;
    node.level = spec.level;
    return node;
}

}  // namespace

NodeId Overlay::add_unit(const OverlayUnitSpec& spec, const Hierarchy& base) {
    return add_units({spec}, base).front();
}

std::vector<NodeId> Overlay::add_units(const std::vector<OverlayUnitSpec>& specs,
                                       const Hierarchy& base) {
    std::vector<std::vector<NodeId>> grids;
    grids.reserve(specs.size());
    std::vector<NodeSpec> nodes;
    nodes.reserve(specs.size());
    std::size_t reverse_size = units_by_grid_.size();
    for (const OverlayUnitSpec& spec : specs) {
        grids.push_back(resolve_grids(key_, spec, base));
        for (const NodeId g : grids.back()) {
            reverse_size = std::max<std::size_t>(reverse_size, g + 1);
        }
        nodes.push_back(unit_node(spec));
    }
    // Grow the bookkeeping first: once the units exist nothing below may fail.
    grids_.reserve(units_.id_count() + specs.size());
    units_by_grid_.resize(reverse_size);
    const std::vector<NodeId> ids = units_.add_all(nodes);
    grids_.resize(units_.id_count());
    std::vector<NodeId> touched;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        for (const NodeId g : grids[i]) {
            units_by_grid_[g].push_back(ids[i]);
            touched.push_back(g);
        }
        grids_[ids[i]] = std::move(grids[i]);
    }
    // Ids of one batch follow its parent-first order, not the spec order.
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (const NodeId g : touched) {
        std::sort(units_by_grid_[g].begin(), units_by_grid_[g].end());
    }
    return ids;
}

const std::vector<NodeId>& Overlay::grids_of(NodeId unit) const {
    if (unit >= grids_.size()) {
        throw Error(ErrorCode::not_found,
                    "overlay " + key_ + " has no unit with id " + std::to_string(unit));
    }
    return grids_[unit];
}

std::vector<NodeId> Overlay::units_of(NodeId base_grid) const {
    if (base_grid >= units_by_grid_.size()) {
        return {};
    }
    return units_by_grid_[base_grid];
}

std::vector<Finding> Overlay::coverage(const Hierarchy& base, std::string_view grid_level) const {
    std::vector<Finding> out;
    const std::string label = "overlay " + key_ + (name_.empty() ? "" : " (" + name_ + ")");
    const int grid = base.levels().index_of(grid_level);
    if (grid < 0) {
        out.push_back(Finding{"overlay.unknown_grid_level", Severity::warning,
                              std::string(grid_level),
                              label + ": grid level '" + std::string(grid_level) +
                                  "' is not a level of the base hierarchy; coverage not checked"});
    }
    const std::vector<NodeId>& pre = base.preorder();
    // (pre-order position of a covered grid, unit) pairs.
    std::vector<std::pair<std::uint32_t, NodeId>> covered;
    for (const NodeId unit : units_.preorder()) {
        for (const NodeId g : grids_[unit]) {
            if (!base.is_live(g)) {
                const bool known = g < base.id_count();
                const std::string where = known ? base.code(g) : "#" + std::to_string(g);
                std::string why = known ? "was retired on " + base.retired_on(g).to_string()
                                        : "is not a node of this base hierarchy";
                if (known && base.retired_on(g) == Date::max()) {
                    why = "is not live";
                }
                out.push_back(Finding{
                    "overlay.retired_grid", Severity::error, where,
                    label + ": unit " + units_.code(unit) + " maps " + where + ", which " + why});
                continue;
            }
            if (grid < 0 || base.level(g) > grid) {
                continue;
            }
            // A node above the grid level stands for every grid beneath it.
            const PreorderRange range = base.subtree(g);
            for (std::uint32_t p = range.begin; p < range.end; ++p) {
                if (base.level(pre[p]) == grid) {
                    covered.emplace_back(p, unit);
                }
            }
        }
    }
    if (grid < 0) {
        return out;
    }
    std::sort(covered.begin(), covered.end());
    covered.erase(std::unique(covered.begin(), covered.end()), covered.end());

    auto next = covered.begin();
    std::vector<NodeId> units;
    for (std::uint32_t p = 0; p < pre.size(); ++p) {
        const NodeId g = pre[p];
        if (base.level(g) != grid) {
            continue;
        }
        units.clear();
        for (; next != covered.end() && next->first == p; ++next) {
            units.push_back(next->second);
        }
        if (units.empty()) {
            out.push_back(Finding{"overlay.gap", Severity::error, base.code(g),
                                  label + ": grid " + base.code(g) + " (" + base.name(g) +
                                      ") is covered by no unit"});
            continue;
        }
        // Nested units inherit: keep only the most specific ones.
        std::vector<NodeId> specific;
        for (const NodeId u : units) {
            const bool outer = std::any_of(units.begin(), units.end(), [&](NodeId v) {
                return v != u && units_.is_ancestor(u, v);
            });
            if (!outer) {
                specific.push_back(u);
            }
        }
        if (specific.size() > 1) {
            std::string list;
            for (const NodeId u : specific) {
                list += (list.empty() ? "" : ", ") + units_.code(u);
            }
            out.push_back(Finding{"overlay.overlap", Severity::error, base.code(g),
                                  label + ": grid " + base.code(g) + " (" + base.name(g) +
                                      ") is covered by units that are not nested: " + list});
        }
    }
    return out;
}

}  // namespace gridgov

// ---- networks ------------------------------------------------------------------------

namespace gridgov {

namespace {
const std::vector<Overlay>& no_overlays() {
    static const std::vector<Overlay> none;
    return none;
}
}  // namespace

Networks::Networks(const Hierarchy& base) : base_(&base) {}

Networks::Networks(const Hierarchy& base, const std::vector<Overlay>& overlays)
    : base_(&base), overlays_(&overlays) {}

const std::vector<Overlay>& Networks::overlays() const {
    return overlays_ != nullptr ? *overlays_ : no_overlays();
}

const Overlay* Networks::find_overlay(std::string_view key) const {
    for (const Overlay& o : overlays()) {
        if (o.key() == key)
            return &o;
    }
    return nullptr;
}

const Hierarchy& Networks::nodes(std::string_view overlay) const {
    if (overlay.empty())
        return *base_;
    if (const Overlay* o = find_overlay(overlay))
        return o->units();
    throw Error(ErrorCode::not_found, "no overlay '" + std::string(overlay) + "'");
}

Place Networks::place(std::string_view code) const {
    if (const std::size_t colon = code.find(':'); colon != std::string_view::npos) {
        const std::string_view key = code.substr(0, colon);
        if (const Overlay* o = find_overlay(key)) {
            const std::string_view unit = code.substr(colon + 1);
            const std::optional<NodeId> id = o->units().find(unit);
            if (!id) {
                throw Error(ErrorCode::not_found, "no live unit '" + std::string(unit) +
                                                      "' in overlay '" + std::string(key) + "'");
            }
            return Place{std::string(key), *id};
        }
    }
    const std::optional<NodeId> id = base_->find(code);
    if (!id)
        throw Error(ErrorCode::not_found, "no live node '" + std::string(code) + "'");
    return Place{"", *id};
}

NodeId Networks::node_in(std::string_view overlay, std::string_view code) const {
    const Hierarchy& h = nodes(overlay);
    std::string_view bare = code;
    if (!overlay.empty() && code.size() > overlay.size() && code[overlay.size()] == ':' &&
        code.substr(0, overlay.size()) == overlay && !h.find(code)) {
        bare = code.substr(overlay.size() + 1);
    }
    const std::optional<NodeId> id = h.find(bare);
    if (!id) {
        throw Error(ErrorCode::not_found, overlay.empty()
                                              ? "no live node '" + std::string(code) + "'"
                                              : "no live unit '" + std::string(bare) +
                                                    "' in overlay '" + std::string(overlay) + "'");
    }
    return *id;
}

std::string Networks::code(const Place& place) const {
    const Hierarchy& h = nodes(place.overlay);
    if (place.overlay.empty())
        return h.code(place.node);
    return place.overlay + ":" + h.code(place.node);
}

std::vector<NodeId> Networks::covering(std::string_view overlay, NodeId base_node) const {
    const Overlay* o = find_overlay(overlay);
    if (o == nullptr)
        throw Error(ErrorCode::not_found, "no overlay '" + std::string(overlay) + "'");
    const Hierarchy& units = o->units();
    std::vector<NodeId> found;
    for (NodeId n = base_node; n != no_node && found.empty(); n = base_->parent(n)) {
        for (const NodeId u : o->units_of(n)) {
            if (units.is_live(u))
                found.push_back(u);
        }
    }
    std::vector<NodeId> out;
    for (const NodeId u : found) {
        const bool encloses_another = std::any_of(found.begin(), found.end(), [&](NodeId v) {
            return v != u && units.is_ancestor(u, v);
        });
        if (!encloses_another)
            out.push_back(u);
    }
    return out;
}

}  // namespace gridgov
