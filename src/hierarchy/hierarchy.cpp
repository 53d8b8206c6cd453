// The grid hierarchy: node storage, the pre-order index and the read-only queries.
//
// Validation rules. The ids are stable: data, reports and docs/hierarchy.md refer to them.
// `where` is the node's code unless noted. E = error, W = warning.
//
// | rule id                        |   | raised by   | meaning
// |--------------------------------|---|-------------|--------------------------------------------
// | hierarchy.empty_code           | E | check_specs | a spec has no code (where = "")
// | hierarchy.empty_name           | E | check_specs | a spec has no name
// | hierarchy.duplicate_code       | E | check_specs | the code repeats an earlier spec or belongs
// |                                |   |             | to a node, live or retired (never reused)
// | hierarchy.unknown_level        | E | check_specs | the level key is not in the LevelScheme
// | hierarchy.orphan               | E | check_specs | the parent code names no spec, no live node
// | hierarchy.cycle                | E | check_specs | parent links among the specs form a cycle;
// |                                |   |             | the message lists every code on it
// | hierarchy.level_order          | E | check_specs | the level is not below the parent's level
// | hierarchy.bad_value            | E | check_specs | an infinite number, or an attribute with an
// |                                |   |             | empty, repeated or built-in column name
// | hierarchy.code_prefix          | E | validate    | the code does not extend the parent's code
// | hierarchy.code_length          | E | validate    | the length is not LevelScheme::code_length
// | hierarchy.unit_grid_id         | E | validate    | a grid code is not 6 county + 3 street +
// |                                |   |             | 3 community + 3 sequence digits (sequence
// |                                |   |             | not 000), or a segment disagrees with the
// |                                |   |             | ancestor that holds it
// | hierarchy.negative_value       | E | validate    | households, population or area_m2 below 0
// | hierarchy.missing_households   | E | validate    | a grid without a household count
// | hierarchy.sizing               | W | validate    | households outside the most specific
// |                                |   |             | matching SizingRule (comprehensive only)
// | hierarchy.empty_village        | W | validate    | a village/community with no grid beneath
// | hierarchy.grid_outside_village | W | validate    | a grid with no village/community above it
// | hierarchy.policy_level         | W | validate    | the policy names a level the scheme lacks,
// |                                |   |             | so its rules cannot run (where = the key)
// | overlay.gap                    | E | coverage    | a live base grid that no unit covers
// | overlay.overlap                | E | coverage    | a grid covered by units that are not nested
// | overlay.retired_grid           | E | coverage    | a unit maps a base node no longer live
// | overlay.unknown_grid_level     | W | coverage    | the grid level is not in the base scheme
// |                                |   |             | (where = the level key)
#include <string>
#include <utility>

#include "hierarchy/hierarchy_impl.hpp"

namespace gridgov {

namespace detail {

std::string describe(const std::string& code, const std::string& name) {
    if (name.empty()) {
        return code;
    }
    return code + " (" + name + ")";
}

}  // namespace detail

Hierarchy::Impl::Impl(LevelScheme scheme) : levels(std::move(scheme)) {
    for (std::string_view c : detail::builtin_columns) {
        column_index.emplace(std::string(c), column_names.size());
        column_names.emplace_back(c);
        columns.emplace_back();
    }
}

void Hierarchy::Impl::require_id(NodeId id) const {
    if (id >= id_count()) {
        throw Error(ErrorCode::not_found, "no node with id " + std::to_string(id) + " (" +
                                              std::to_string(id_count()) + " ids exist)");
    }
}

void Hierarchy::Impl::require_live(NodeId id, std::string_view role) const {
    require_id(id);
    if (live[id]) {
        return;
    }
    std::string message = std::string(role) + " " + who(id) + " is not live";
    if (retired[id] != Date::max()) {
        message += ": retired on " + retired[id].to_string();
    } else if (snapshot_of) {
        message += ": created on " + created[id].to_string() + ", after this snapshot of " +
                   snapshot_of->to_string();
    }
    throw Error(ErrorCode::not_found, message);
}

void Hierarchy::Impl::require_writable() const {
    if (snapshot_of) {
        throw Error(ErrorCode::invalid_state, "this hierarchy is a snapshot as of " +
                                                  snapshot_of->to_string() +
                                                  " and cannot be changed");
    }
}

std::size_t Hierarchy::Impl::column_slot(std::string_view column) {
    if (auto it = column_index.find(column); it != column_index.end()) {
        return it->second;
    }
    const std::size_t slot = columns.size();
    columns.emplace_back(id_count(), missing_value);
    column_names.emplace_back(column);
    column_index.emplace(std::string(column), slot);
    return slot;
}

const std::vector<double>* Hierarchy::Impl::find_column(std::string_view column) const {
    auto it = column_index.find(column);
    return it == column_index.end() ? nullptr : &columns[it->second];
}

void Hierarchy::Impl::resize_ids(std::size_t n) {
    parent.resize(n, no_node);
    level.resize(n, 0);
    kind.resize(n, GridKind::comprehensive);
    area_type.resize(n, AreaType::unspecified);
    code.resize(n);
    name.resize(n);
    area_class.resize(n);
    geometry.resize(n);
    created.resize(n, Date::min());
    retired.resize(n, Date::max());
    live.resize(n, 0);
    last_change.resize(n, Date::min());
    live_children.resize(n, 0);
    for (auto& c : columns) {
        c.resize(n, missing_value);
    }
}

void Hierarchy::Impl::fill_node(NodeId id, const NodeSpec& spec, NodeId parent_id, Date effective) {
    parent[id] = parent_id;
    level[id] = levels.index_of(spec.level);
    kind[id] = spec.kind;
    area_type[id] = spec.area_type;
    code[id] = spec.code;
    name[id] = spec.name;
    area_class[id] = spec.area_class;
    geometry[id] = spec.geometry;
    created[id] = effective;
    retired[id] = Date::max();
    last_change[id] = effective;
}

void Hierarchy::Impl::fill_values(NodeId id, const NodeSpec& spec) {
    columns[0][id] = spec.households;
    columns[1][id] = spec.population;
    columns[2][id] = spec.area_m2;
    for (const auto& [column, value] : spec.attributes) {
        columns[column_slot(column)][id] = value;
    }
}

void Hierarchy::Impl::activate(NodeId id) {
    live[id] = 1;
    ++live_count;
    if (parent[id] != no_node) {
        ++live_children[parent[id]];
    }
}

void Hierarchy::Impl::retire_node(NodeId id, Date effective) {
    live[id] = 0;
    retired[id] = effective;
    --live_count;
    if (parent[id] != no_node) {
        --live_children[parent[id]];
    }
}

void Hierarchy::Impl::move_node(NodeId id, NodeId new_parent) {
    if (parent[id] != no_node) {
        --live_children[parent[id]];
    }
    parent[id] = new_parent;
    if (new_parent != no_node) {
        ++live_children[new_parent];
    }
}

void Hierarchy::Impl::rebuild_index() {
    const std::size_t n = id_count();
    pos.assign(n, detail::npos32);
    end.assign(n, 0);
    depth.assign(n, 0);
    kid_begin.assign(n, 0);

    // Children grouped by parent, ids ascending inside a group: siblings follow creation
    // order, and the pre-order below visits them in that order.
    std::uint32_t total = 0;
    for (std::size_t id = 0; id < n; ++id) {
        kid_begin[id] = total;
        if (live[id]) {
            total += live_children[id];
        }
    }
    kids.assign(total, no_node);
    std::vector<std::uint32_t> cursor(kid_begin);
    roots.clear();
    for (std::size_t id = 0; id < n; ++id) {
        if (!live[id]) {
            continue;
        }
        const NodeId p = parent[id];
        if (p == no_node) {
            roots.push_back(static_cast<NodeId>(id));
        } else {
            kids[cursor[p]++] = static_cast<NodeId>(id);
        }
    }

    pre.clear();
    pre.reserve(live_count);
    parent_pos.clear();
    parent_pos.reserve(live_count);
    std::vector<NodeId> stack(roots.rbegin(), roots.rend());
    while (!stack.empty()) {
        const NodeId id = stack.back();
        stack.pop_back();
        const NodeId p = parent[id];
        pos[id] = static_cast<std::uint32_t>(pre.size());
        pre.push_back(id);
        parent_pos.push_back(p == no_node ? detail::npos32 : pos[p]);
        depth[id] = p == no_node ? 0 : depth[p] + 1;
        const std::uint32_t first = kid_begin[id];
        for (std::uint32_t k = first + live_children[id]; k > first; --k) {
            stack.push_back(kids[k - 1]);
        }
    }

    std::vector<std::uint32_t> size(pre.size(), 1);
    for (std::size_t i = pre.size(); i-- > 0;) {
        if (parent_pos[i] != detail::npos32) {
            size[parent_pos[i]] += size[i];
        }
        end[pre[i]] = static_cast<std::uint32_t>(i) + size[i];
    }
}

HierarchyChange& Hierarchy::Impl::record(ChangeKind change, Date effective, NodeId node) {
    HierarchyChange& c = history.emplace_back();
    c.seq = next_seq++;
    c.effective = effective;
    c.kind = change;
    c.node = node;
    return c;
}

// ---- special members --------------------------------------------------------------

Hierarchy::Hierarchy(LevelScheme levels) : impl_(std::make_unique<Impl>(std::move(levels))) {}
Hierarchy::Hierarchy(const Hierarchy& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Hierarchy::Hierarchy(Hierarchy&&) noexcept = default;
Hierarchy& Hierarchy::operator=(const Hierarchy& other) {
    if (this != &other) {
        impl_ = std::make_unique<Impl>(*other.impl_);
    }
    return *this;
}
Hierarchy& Hierarchy::operator=(Hierarchy&&) noexcept = default;
Hierarchy::~Hierarchy() = default;

const LevelScheme& Hierarchy::levels() const {
    return impl_->levels;
}

// ---- identity and attributes ------------------------------------------------------

std::size_t Hierarchy::id_count() const {
    return impl_->id_count();
}
std::size_t Hierarchy::size() const {
    return impl_->live_count;
}
bool Hierarchy::is_live(NodeId id) const {
    return id < impl_->id_count() && impl_->live[id];
}

const std::string& Hierarchy::code(NodeId id) const {
    impl_->require_id(id);
    return impl_->code[id];
}
const std::string& Hierarchy::name(NodeId id) const {
    impl_->require_id(id);
    return impl_->name[id];
}
int Hierarchy::level(NodeId id) const {
    impl_->require_id(id);
    return impl_->level[id];
}
GridKind Hierarchy::kind(NodeId id) const {
    impl_->require_id(id);
    return impl_->kind[id];
}
AreaType Hierarchy::area_type(NodeId id) const {
    impl_->require_id(id);
    return impl_->area_type[id];
}
const std::string& Hierarchy::area_class(NodeId id) const {
    impl_->require_id(id);
    return impl_->area_class[id];
}
const std::string& Hierarchy::geometry(NodeId id) const {
    impl_->require_id(id);
    return impl_->geometry[id];
}
Date Hierarchy::created_on(NodeId id) const {
    impl_->require_id(id);
    return impl_->created[id];
}
Date Hierarchy::retired_on(NodeId id) const {
    impl_->require_id(id);
    return impl_->retired[id];
}

std::optional<NodeId> Hierarchy::find(std::string_view code) const {
    const auto it = impl_->by_code.find(code);
    if (it == impl_->by_code.end() || !impl_->live[it->second]) {
        return std::nullopt;
    }
    return it->second;
}

NodeId Hierarchy::at(std::string_view code) const {
    const auto it = impl_->by_code.find(code);
    if (it == impl_->by_code.end()) {
        throw Error(ErrorCode::not_found, "no node with code " + std::string(code));
    }
    impl_->require_live(it->second, "node");
    return it->second;
}

std::vector<NodeId> Hierarchy::nodes_at_level(int level) const {
    const Impl& m = *impl_;
    if (level < 0 || static_cast<std::size_t>(level) >= m.levels.size()) {
        throw Error(ErrorCode::invalid_argument, "level index " + std::to_string(level) +
                                                     " is out of range (the scheme has " +
                                                     std::to_string(m.levels.size()) + " levels)");
    }
    std::vector<NodeId> out;
    for (const NodeId id : m.pre) {
        if (m.level[id] == level) {
            out.push_back(id);
        }
    }
    return out;
}

// ---- structure --------------------------------------------------------------------

NodeId Hierarchy::parent(NodeId id) const {
    impl_->require_id(id);
    return impl_->parent[id];
}

IdSpan Hierarchy::children(NodeId id) const {
    const Impl& m = *impl_;
    m.require_live(id, "node");
    const NodeId* first = m.kids.data() + m.kid_begin[id];
    return IdSpan{first, first + m.live_children[id]};
}

IdSpan Hierarchy::roots() const {
    const Impl& m = *impl_;
    return IdSpan{m.roots.data(), m.roots.data() + m.roots.size()};
}

int Hierarchy::depth(NodeId id) const {
    impl_->require_live(id, "node");
    return impl_->depth[id];
}

std::vector<NodeId> Hierarchy::path_to_root(NodeId id) const {
    const Impl& m = *impl_;
    m.require_live(id, "node");
    std::vector<NodeId> path;
    path.reserve(static_cast<std::size_t>(m.depth[id]) + 1);
    for (NodeId n = id; n != no_node; n = m.parent[n]) {
        path.push_back(n);
    }
    return path;
}

bool Hierarchy::is_ancestor(NodeId ancestor, NodeId node) const {
    const Impl& m = *impl_;
    const std::size_t n = m.id_count();
    // Non-live ids hold pos = npos32 and end = 0, so the comparison fails for them.
    return ancestor < n && node < n && m.pos[ancestor] <= m.pos[node] &&
           m.pos[node] < m.end[ancestor];
}

NodeId Hierarchy::lowest_common_ancestor(NodeId a, NodeId b) const {
    const Impl& m = *impl_;
    m.require_live(a, "node");
    m.require_live(b, "node");
    NodeId n = a;
    while (n != no_node && !(m.pos[n] <= m.pos[b] && m.pos[b] < m.end[n])) {
        n = m.parent[n];
    }
    return n;
}

const std::vector<NodeId>& Hierarchy::preorder() const {
    return impl_->pre;
}

std::uint32_t Hierarchy::preorder_position(NodeId id) const {
    impl_->require_live(id, "node");
    return impl_->pos[id];
}

PreorderRange Hierarchy::subtree(NodeId id) const {
    impl_->require_live(id, "node");
    return PreorderRange{impl_->pos[id], impl_->end[id]};
}

// ---- numeric columns ----------------------------------------------------------------

std::vector<std::string> Hierarchy::column_names() const {
    return impl_->column_names;
}

bool Hierarchy::has_column(std::string_view name) const {
    return impl_->find_column(name) != nullptr;
}

const std::vector<double>& Hierarchy::column(std::string_view name) const {
    const std::vector<double>* c = impl_->find_column(name);
    if (c == nullptr) {
        throw Error(ErrorCode::not_found, "no numeric column '" + std::string(name) + "'");
    }
    return *c;
}

double Hierarchy::value(NodeId id, std::string_view column_name) const {
    impl_->require_id(id);
    return column(column_name)[id];
}

}  // namespace gridgov
