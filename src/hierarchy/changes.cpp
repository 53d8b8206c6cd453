// Changes and history: every change is checked completely before anything is written,
// recorded as primitive history entries, and replayable (as_of, from_history).
//
// Why the date rule protects replay: as_of() replays entries in (effective, seq) order,
// which differs from recording order when a change is back-dated. Two entries that touch
// a common node keep their recording order (the later one may not be effective before
// the earlier), and entries that touch no common node commute, because each entry reads
// only what its touched nodes hold: add reads its parent's liveness, retire its live
// children (whose adds, moves and retirements touch it), move the liveness of the node
// and its new parent. Levels never change and a child's level is below its parent's,
// so no order of replay can close a cycle.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "hierarchy/hierarchy_impl.hpp"

namespace gridgov {

using Impl = Hierarchy::Impl;

namespace {

void require_not_before(const Impl& m, NodeId touched, Date effective, const std::string& change) {
    if (effective < m.last_change[touched]) {
        throw Error(ErrorCode::invalid_argument, change + " effective " + effective.to_string() +
                                                     " is before the latest change recorded for " +
                                                     m.who(touched) + " on " +
                                                     m.last_change[touched].to_string());
    }
}

std::string change_label(const Impl& m, const char* what, NodeId node) {
    return std::string(what) + " of " + m.who(node);
}

// ---- checks, shared by the public changes and from_history --------------------------

void check_rename(const Impl& m, NodeId node, const std::string& name, Date effective) {
    m.require_live(node, "node");
    const std::string change = change_label(m, "rename", node);
    if (name.empty()) {
        throw Error(ErrorCode::invalid_argument, change + ": the new name is empty");
    }
    detail::check_text(name, detail::TextKind::line, change + ": the new name");
    require_not_before(m, node, effective, change);
}

void check_set_value(const Impl& m, NodeId node, std::string_view column, double value,
                     Date effective) {
    m.require_live(node, "node");
    const std::string change = change_label(m, "set_value", node);
    if (column.empty()) {
        throw Error(ErrorCode::invalid_argument, change + ": the column name is empty");
    }
    if (std::isinf(value)) {
        throw Error(ErrorCode::invalid_argument,
                    change + ": " + std::string(column) + " must be finite or missing (NaN)");
    }
    require_not_before(m, node, effective, change);
}

void check_move(const Impl& m, NodeId node, NodeId new_parent, Date effective) {
    m.require_live(node, "node");
    if (new_parent != no_node) {
        m.require_live(new_parent, "new parent");
    }
    const std::string change =
        change_label(m, "move", node) +
        (new_parent == no_node ? std::string(" to the top") : " under " + m.who(new_parent));
    for (NodeId a = new_parent; a != no_node; a = m.parent[a]) {
        if (a == node) {
            throw Error(ErrorCode::invalid_argument,
                        change + ": the new parent lies in the node's own subtree");
        }
    }
    if (new_parent != no_node && m.level[new_parent] >= m.level[node]) {
        throw Error(ErrorCode::invalid_argument, change + ": level '" +
                                                     m.levels[m.level[node]].key +
                                                     "' is not below the new parent's level '" +
                                                     m.levels[m.level[new_parent]].key + "'");
    }
    require_not_before(m, node, effective, change);
    if (m.parent[node] != no_node) {
        require_not_before(m, m.parent[node], effective, change);
    }
    if (new_parent != no_node) {
        require_not_before(m, new_parent, effective, change);
    }
}

void require_no_live_children(const Impl& m, NodeId node, const std::string& change) {
    if (m.live_children[node] == 0) {
        return;
    }
    NodeId first = no_node;
    for (std::size_t id = 0; id < m.id_count() && first == no_node; ++id) {
        if (m.live[id] && m.parent[id] == node) {
            first = static_cast<NodeId>(id);
        }
    }
    throw Error(ErrorCode::invalid_state, change + ": it has " +
                                              std::to_string(m.live_children[node]) +
                                              " live children (first: " + m.who(first) + ")");
}

void check_retire(const Impl& m, NodeId node, Date effective, const char* what) {
    m.require_live(node, "node");
    const std::string change = change_label(m, what, node);
    require_no_live_children(m, node, change);
    require_not_before(m, node, effective, change);
    if (m.parent[node] != no_node) {
        require_not_before(m, m.parent[node], effective, change);
    }
}

// ---- application (after the checks) -------------------------------------------------

/// Creates node `id` in a slot the caller has already made room for (resize_ids).
void apply_add(Impl& m, NodeId id, const NodeSpec& spec, NodeId parent, Date effective) {
    m.fill_node(id, spec, parent, effective);
    m.fill_values(id, spec);
    m.activate(id);
    m.by_code.emplace(spec.code, id);
    if (parent != no_node) {
        m.last_change[parent] = effective;
    }
}

NodeId next_id(const Impl& m) {
    return static_cast<NodeId>(m.id_count());
}

void apply_move(Impl& m, NodeId node, NodeId new_parent, Date effective) {
    if (m.parent[node] != no_node) {
        m.last_change[m.parent[node]] = effective;
    }
    m.move_node(node, new_parent);
    m.last_change[node] = effective;
    if (new_parent != no_node) {
        m.last_change[new_parent] = effective;
    }
}

void apply_retire(Impl& m, NodeId node, Date effective) {
    m.retire_node(node, effective);
    m.last_change[node] = effective;
    if (m.parent[node] != no_node) {
        m.last_change[m.parent[node]] = effective;
    }
}

/// Parts of a split and the merged node hang under a given parent: their parent_code
/// must be empty or name it, and the recorded spec names it.
NodeSpec under_parent(const Impl& m, const NodeSpec& spec, NodeId parent,
                      const std::string& change) {
    const std::string& expected = parent == no_node ? std::string() : m.code[parent];
    if (!spec.parent_code.empty() && spec.parent_code != expected) {
        throw Error(ErrorCode::invalid_argument,
                    change + ": " + spec.code + " names parent " + spec.parent_code +
                        " but must hang under " +
                        (parent == no_node ? std::string("no parent") : m.who(parent)));
    }
    NodeSpec out = spec;
    out.parent_code = expected;
    return out;
}

/// Throws the first issue of a spec plan, prefixed by `context`.
void throw_first_issue(const detail::SpecPlan& plan, const std::vector<NodeSpec>& specs,
                       const std::string& context, bool name_index) {
    if (plan.issues.empty()) {
        return;
    }
    const detail::SpecIssue& i = plan.issues.front();
    std::string subject = specs[i.index].code.empty() ? "(no code)" : specs[i.index].code;
    if (name_index) {
        subject = "spec " + std::to_string(i.index) + " (" + subject + ")";
    }
    throw Error(i.code, context + subject + ": " + i.message);
}

}  // namespace

// ---- public changes -----------------------------------------------------------------

NodeId Hierarchy::add(const NodeSpec& spec, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    const std::vector<NodeSpec> one{spec};
    const detail::SpecPlan plan = detail::plan_specs(m, one);
    throw_first_issue(plan, one, "", false);
    const NodeId parent = plan.existing_parent[0];
    if (parent != no_node) {
        require_not_before(m, parent, effective, "add of " + spec.code);
    }
    const NodeId id = next_id(m);
    m.resize_ids(id + std::size_t{1});
    apply_add(m, id, spec, parent, effective);
    m.record(ChangeKind::add, effective, id).spec = spec;
    m.rebuild_index();
    return id;
}

std::vector<NodeId> Hierarchy::add_all(const std::vector<NodeSpec>& specs, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    const detail::SpecPlan plan = detail::plan_specs(m, specs);
    throw_first_issue(plan, specs, "", true);
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (plan.existing_parent[i] != no_node) {
            require_not_before(m, plan.existing_parent[i], effective,
                               "spec " + std::to_string(i) + " (" + specs[i].code + "): add");
        }
    }
    NodeId id = next_id(m);
    m.resize_ids(id + specs.size());
    m.history.reserve(m.history.size() + specs.size());
    m.by_code.reserve(m.id_count());
    std::vector<NodeId> ids(specs.size(), no_node);
    for (const std::size_t i : plan.order) {
        const NodeId parent = plan.spec_parent[i] != detail::no_spec ? ids[plan.spec_parent[i]]
                                                                     : plan.existing_parent[i];
        ids[i] = id++;
        apply_add(m, ids[i], specs[i], parent, effective);
        m.record(ChangeKind::add, effective, ids[i]).spec = specs[i];
    }
    if (!specs.empty()) {
        m.rebuild_index();
    }
    return ids;
}

void Hierarchy::rename(NodeId node, const std::string& name, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    check_rename(m, node, name, effective);
    m.name[node] = name;
    m.last_change[node] = effective;
    m.record(ChangeKind::rename, effective, node).text = name;
}

void Hierarchy::move(NodeId node, NodeId new_parent, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    check_move(m, node, new_parent, effective);
    apply_move(m, node, new_parent, effective);
    m.record(ChangeKind::move, effective, node).target = new_parent;
    m.rebuild_index();
}

void Hierarchy::retire(NodeId node, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    check_retire(m, node, effective, "retire");
    apply_retire(m, node, effective);
    m.record(ChangeKind::retire, effective, node);
    m.rebuild_index();
}

void Hierarchy::set_value(NodeId node, std::string_view column, double value, Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    check_set_value(m, node, column, value, effective);
    const std::size_t slot = m.column_slot(column);
    m.columns[slot][node] = value;
    m.last_change[node] = effective;
    HierarchyChange& c = m.record(ChangeKind::set_value, effective, node);
    c.text = std::string(column);
    c.value = value;
}

std::vector<NodeId> Hierarchy::split(NodeId node, const std::vector<NodeSpec>& parts,
                                     Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    check_retire(m, node, effective, "split");
    const std::string change = change_label(m, "split", node);
    if (parts.empty()) {
        throw Error(ErrorCode::invalid_argument, change + ": no parts given");
    }
    const NodeId parent = m.parent[node];
    std::vector<NodeSpec> placed;
    placed.reserve(parts.size());
    for (const NodeSpec& p : parts) {
        placed.push_back(under_parent(m, p, parent, change));
    }
    const detail::SpecPlan plan = detail::plan_specs(m, placed);
    throw_first_issue(plan, placed, change + ": part ", true);

    std::vector<NodeId> ids;
    ids.reserve(placed.size());
    NodeId id = next_id(m);
    m.resize_ids(id + placed.size());
    for (const NodeSpec& p : placed) {
        ids.push_back(id++);
        apply_add(m, ids.back(), p, parent, effective);
        m.record(ChangeKind::add, effective, ids.back()).spec = p;
    }
    apply_retire(m, node, effective);
    m.record(ChangeKind::split, effective, node).related = ids;
    m.rebuild_index();
    return ids;
}

NodeId Hierarchy::merge(const std::vector<NodeId>& sources, const NodeSpec& merged,
                        Date effective) {
    Impl& m = *impl_;
    m.require_writable();
    const std::string change = "merge into " + merged.code;
    if (sources.size() < 2) {
        throw Error(ErrorCode::invalid_argument, change + ": at least two sources are needed");
    }
    for (std::size_t i = 0; i < sources.size(); ++i) {
        m.require_live(sources[i], "source");
        for (std::size_t j = 0; j < i; ++j) {
            if (sources[j] == sources[i]) {
                throw Error(ErrorCode::invalid_argument,
                            change + ": source " + m.who(sources[i]) + " is listed twice");
            }
        }
    }
    const NodeId parent = m.parent[sources[0]];
    for (const NodeId s : sources) {
        if (m.parent[s] != parent) {
            throw Error(ErrorCode::invalid_argument, change + ": sources " + m.who(sources[0]) +
                                                         " and " + m.who(s) +
                                                         " have different parents");
        }
    }
    const std::vector<NodeSpec> one{under_parent(m, merged, parent, change)};
    const detail::SpecPlan plan = detail::plan_specs(m, one);
    throw_first_issue(plan, one, change + ": ", false);
    const int merged_level = m.levels.index_of(merged.level);

    // Every child of a source moves under the new node, each a recorded move.
    std::vector<NodeId> moved;
    for (const NodeId s : sources) {
        const NodeId* first = m.kids.data() + m.kid_begin[s];
        moved.insert(moved.end(), first, first + m.live_children[s]);
    }
    for (const NodeId s : sources) {
        require_not_before(m, s, effective, change);
    }
    if (parent != no_node) {
        require_not_before(m, parent, effective, change);
    }
    for (const NodeId c : moved) {
        if (m.level[c] <= merged_level) {
            throw Error(ErrorCode::invalid_argument,
                        change + ": child " + m.who(c) + " has level '" + m.levels[m.level[c]].key +
                            "', not below the merged node's level '" + merged.level + "'");
        }
        require_not_before(m, c, effective, change);
    }

    const NodeId id = next_id(m);
    m.resize_ids(id + std::size_t{1});
    apply_add(m, id, one[0], parent, effective);
    m.record(ChangeKind::add, effective, id).spec = one[0];
    for (const NodeId c : moved) {
        apply_move(m, c, id, effective);
        m.record(ChangeKind::move, effective, c).target = id;
    }
    for (const NodeId s : sources) {
        apply_retire(m, s, effective);
    }
    HierarchyChange& entry = m.record(ChangeKind::merge, effective, sources[0]);
    entry.target = id;
    entry.spec = one[0];
    entry.related = sources;
    m.rebuild_index();
    return id;
}

const std::vector<HierarchyChange>& Hierarchy::history() const {
    return impl_->history;
}

// ---- replay -------------------------------------------------------------------------

Hierarchy Hierarchy::as_of(Date date) const {
    const Impl& m = *impl_;
    Hierarchy out(m.levels);
    Impl& s = *out.impl_;
    for (std::size_t c = std::size(detail::builtin_columns); c < m.column_names.size(); ++c) {
        s.column_slot(m.column_names[c]);
    }
    const std::size_t n = m.id_count();
    s.resize_ids(n);

    // Every id keeps its identity in the snapshot, live or not yet created.
    std::vector<const HierarchyChange*> added(n, nullptr);
    for (const HierarchyChange& e : m.history) {
        if (e.kind == ChangeKind::add) {
            added[e.node] = &e;
        }
    }
    s.by_code.reserve(n);
    for (std::size_t id = 0; id < n; ++id) {
        const NodeSpec& spec = added[id]->spec;
        const auto p =
            spec.parent_code.empty() ? m.by_code.end() : m.by_code.find(spec.parent_code);
        s.fill_node(static_cast<NodeId>(id), spec, p == m.by_code.end() ? no_node : p->second,
                    added[id]->effective);
        s.by_code.emplace(spec.code, static_cast<NodeId>(id));
    }

    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < m.history.size(); ++i) {
        if (m.history[i].effective <= date) {
            order.push_back(i);
            s.history.push_back(m.history[i]);
        }
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return m.history[a].effective < m.history[b].effective;
    });
    for (const std::size_t i : order) {
        const HierarchyChange& e = m.history[i];
        switch (e.kind) {
            case ChangeKind::add:
                s.fill_values(e.node, e.spec);
                s.activate(e.node);
                break;
            case ChangeKind::rename:
                s.name[e.node] = e.text;
                break;
            case ChangeKind::move:
                s.move_node(e.node, e.target);
                break;
            case ChangeKind::retire:
            case ChangeKind::split:
                s.retire_node(e.node, e.effective);
                break;
            case ChangeKind::set_value:
                s.columns[s.column_slot(e.text)][e.node] = e.value;
                break;
            case ChangeKind::merge:
                for (const NodeId src : e.related) {
                    s.retire_node(src, e.effective);
                }
                break;
        }
    }
    s.next_seq = m.next_seq;
    s.snapshot_of = date;
    s.rebuild_index();
    return out;
}

Hierarchy Hierarchy::from_history(LevelScheme levels, const std::vector<HierarchyChange>& history) {
    Hierarchy out(std::move(levels));
    Impl& m = *out.impl_;
    m.history.reserve(history.size());
    std::uint64_t last_seq = 0;
    for (const HierarchyChange& e : history) {
        const std::string where =
            "history entry seq " + std::to_string(e.seq) + " (" + change_kind_name(e.kind) + "): ";
        try {
            if (e.seq <= last_seq) {
                throw Error(ErrorCode::invalid_argument,
                            "seq does not follow seq " + std::to_string(last_seq));
            }
            switch (e.kind) {
                case ChangeKind::add: {
                    if (e.node != m.id_count()) {
                        throw Error(ErrorCode::invalid_argument,
                                    "adds id " + std::to_string(e.node) + " but the next id is " +
                                        std::to_string(m.id_count()));
                    }
                    const std::vector<NodeSpec> one{e.spec};
                    const detail::SpecPlan plan = detail::plan_specs(m, one);
                    throw_first_issue(plan, one, "", false);
                    const NodeId parent = plan.existing_parent[0];
                    if (parent != no_node) {
                        require_not_before(m, parent, e.effective, "add of " + e.spec.code);
                    }
                    m.resize_ids(e.node + std::size_t{1});
                    apply_add(m, e.node, e.spec, parent, e.effective);
                    break;
                }
                case ChangeKind::rename:
                    check_rename(m, e.node, e.text, e.effective);
                    m.name[e.node] = e.text;
                    m.last_change[e.node] = e.effective;
                    break;
                case ChangeKind::move:
                    check_move(m, e.node, e.target, e.effective);
                    apply_move(m, e.node, e.target, e.effective);
                    break;
                case ChangeKind::retire:
                case ChangeKind::split:
                    check_retire(m, e.node, e.effective, change_kind_name(e.kind));
                    apply_retire(m, e.node, e.effective);
                    break;
                case ChangeKind::set_value:
                    check_set_value(m, e.node, e.text, e.value, e.effective);
                    m.columns[m.column_slot(e.text)][e.node] = e.value;
                    m.last_change[e.node] = e.effective;
                    break;
                case ChangeKind::merge:
                    if (e.related.empty() || e.related.front() != e.node) {
                        throw Error(ErrorCode::invalid_argument,
                                    "the sources must start with the entry's node");
                    }
                    for (const NodeId src : e.related) {
                        check_retire(m, src, e.effective, "merge");
                        apply_retire(m, src, e.effective);
                    }
                    break;
            }
        } catch (const Error& err) {
            throw Error(err.code(), where + err.what());
        }
        m.history.push_back(e);
        last_seq = e.seq;
    }
    m.next_seq = last_seq + 1;
    m.rebuild_index();
    return out;
}

}  // namespace gridgov
