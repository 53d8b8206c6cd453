// Staffing compliance: "五个一同步", role cardinalities, primary workers, A/B separation,
// the primary-grid limit per person and node lifetimes. Findings only; nothing throws for
// data problems.
#include <map>

#include "directory/directory_impl.hpp"

namespace gridgov {
namespace {

using detail::IndexEntry;
using detail::quote;

struct Context {
    const Directory& dir;
    const Directory::Impl& d;
    const Hierarchy& h;
    Date date;
    std::vector<Finding>& out;
    std::string network;  // "" = the base hierarchy, else the overlay whose units `h` holds

    void add(const char* rule, Severity severity, const std::string& where,
             const std::string& message) const {
        out.push_back(Finding{rule, severity, where, message});
    }

    /// "G01", or "fire:F01" for a unit of an overlay.
    std::string code(NodeId n) const {
        return network.empty() ? h.code(n) : network + ":" + h.code(n);
    }

    std::string node_label(NodeId n) const {
        return (network.empty() ? "node " : "unit ") + quote(code(n)) + " (" + h.name(n) + ")";
    }

    /// Whether an index entry's role is held on this context's network.
    bool ours(RoleId r) const { return d.catalogue.roles[r].overlay == network; }

    std::string role_label(RoleId r) const {
        const RoleType& role = d.catalogue.roles[r];
        return "role " + quote(role.code) + " (" + role.label_zh + ")";
    }

    std::string on() const { return " on " + date.to_string(); }

    // The first node from `n` upwards where one of `roles` has a post-A holder on the date.
    NodeId holder_above(NodeId n, const std::vector<RoleId>& roles) const {
        for (; n != no_node; n = h.parent(n)) {
            const std::string& level = h.levels()[static_cast<std::size_t>(h.level(n))].key;
            for (const RoleId r : roles) {
                if (d.catalogue.roles[r].level != level || !ours(r))
                    continue;
                bool found = false;
                d.for_valid(d.run(n, r, Post::a), date, [&](const IndexEntry&) { found = true; });
                if (found)
                    return n;
            }
        }
        return no_node;
    }

    std::size_t count_units(NodeId n, UnitKind kind) const {
        std::size_t count = 0;
        for (const Unit* u : dir.units_at(n, date))
            count += u->kind == kind ? 1 : 0;
        return count;
    }

    void five_ones(NodeId grid) const {
        const std::string where = h.code(grid);
        const std::string label = node_label(grid);
        const auto officer = [&](RoleFunction f, const char* rule, const char* zh) {
            const auto& roles = d.function_roles[static_cast<std::size_t>(f)];
            if (roles.empty()) {
                add(rule, Severity::error, where,
                    label + ": catalogue " + quote(d.catalogue.key) +
                        " has no role with function " + role_function_name(f) + ", so no " + zh +
                        " can be found");
            } else if (holder_above(grid, roles) == no_node) {
                add(rule, Severity::error, where,
                    label + " has no " + zh + " (post A at the grid or above)" + on());
            }
        };
        officer(RoleFunction::grid_leader, "directory.five_ones.grid_leader",
                "grid leader (网格长)");
        officer(RoleFunction::information_officer, "directory.five_ones.information_officer",
                "information officer (信息员)");

        const auto unit_here = [&](UnitKind kind, const char* rule, const char* zh) {
            const std::size_t count = count_units(grid, kind);
            if (count == 0) {
                add(rule, Severity::error, where, label + " has no " + zh + on());
            } else if (count > 1) {
                add(rule, Severity::warning, where,
                    label + " has " + std::to_string(count) + " " + zh + "s, expected one" + on());
            }
        };
        unit_here(UnitKind::party_group, "directory.five_ones.party_group", "party group (党小组)");
        unit_here(UnitKind::information_archive, "directory.five_ones.information_archive",
                  "information archive (信息档案)");

        bool team = false;
        for (NodeId n = grid; n != no_node && !team; n = h.parent(n)) {
            team = count_units(n, UnitKind::service_team) > 0;
        }
        if (!team) {
            add("directory.five_ones.service_team", Severity::error, where,
                label + " has no service team (服务团队) at the grid or above" + on());
        }
    }

    void cardinality(NodeId n, RoleId r) const {
        const RoleType& role = d.catalogue.roles[r];
        std::size_t count = 0;
        d.for_valid(d.run(n, r, Post::a), date, [&](const IndexEntry&) { ++count; });
        const bool bad = role.cardinality == Cardinality::exactly_one ? count != 1 : count == 0;
        if (!bad)
            return;
        add("directory.cardinality", Severity::error, code(n),
            node_label(n) + ": " + role_label(r) + " needs " +
                (role.cardinality == Cardinality::exactly_one ? "exactly one" : "at least one") +
                " post-A holder" + on() + ", found " + std::to_string(count));
    }

    void backup_not_primary(NodeId n) const {
        const auto [first, last] = d.node_entries(n);
        for (const IndexEntry* a = first; a != last; ++a) {
            if (a->post != Post::a || !(a->from <= date.days && date.days < a->to) ||
                !ours(a->role)) {
                continue;
            }
            for (const IndexEntry* b = first; b != last; ++b) {
                if (b->post != Post::b || b->role != a->role || b->person != a->person)
                    continue;
                if (!(b->from <= date.days && date.days < b->to))
                    continue;
                add("directory.backup_is_primary", Severity::error, code(n),
                    node_label(n) + ": " + quote(d.people[a->person].id) + " holds both post A " +
                        "(assignment #" + std::to_string(a->assignment + 1) + ") and post B " +
                        "(assignment #" + std::to_string(b->assignment + 1) + ") of " +
                        role_label(a->role) + on());
            }
        }
    }

    bool in_scope(NodeId scope, NodeId n) const {
        if (scope == no_node)
            return true;
        return h.is_live(n) && h.is_ancestor(scope, n);
    }

    /// `in` says which nodes of the network are in scope.
    template <class InScope>
    void lifetime(InScope&& in) const {
        const auto outside = [&](NodeId n, const Period& p) {
            return p.from < h.created_on(n) || h.retired_on(n) < p.to;
        };
        const auto life = [&](NodeId n) {
            return "lifetime " + detail::period_text(Period{h.created_on(n), h.retired_on(n)});
        };
        for (std::size_t i = 0; i < d.assignments.size(); ++i) {
            const Assignment& a = d.assignments[i];
            if (!ours(d.assignment_role[i]) || a.node >= h.id_count() || !in(a.node) ||
                !outside(a.node, a.period)) {
                continue;
            }
            add("directory.outside_node_lifetime", Severity::error, code(a.node),
                "assignment #" + std::to_string(a.id) + " of " + quote(a.person) + " as " +
                    quote(a.role) + " over " + detail::period_text(a.period) +
                    " reaches outside the " + life(a.node) + " of " + node_label(a.node));
        }
        for (const Unit& u : d.units) {
            if (!network.empty() || u.node >= h.id_count() || !in(u.node) ||
                !outside(u.node, u.period)) {
                continue;
            }
            add("directory.outside_node_lifetime", Severity::error, h.code(u.node),
                "unit " + quote(u.code) + " (" + u.name + ") over " +
                    detail::period_text(u.period) + " reaches outside the " + life(u.node) +
                    " of " + node_label(u.node));
        }
    }
};

}  // namespace

std::vector<Finding> Directory::compliance(const Networks& networks, Date date,
                                           const CompliancePolicy& policy, NodeId scope) const {
    const Impl& d = *impl_;
    const Hierarchy& h = networks.base();
    const int grid_level = h.levels().index_of(policy.grid_level);
    if (grid_level < 0) {
        throw Error(ErrorCode::invalid_argument,
                    "compliance(): no level " + quote(policy.grid_level) + " in the hierarchy");
    }
    PreorderRange range{0, static_cast<std::uint32_t>(h.preorder().size())};
    if (scope != no_node) {
        if (!h.is_live(scope)) {
            throw Error(ErrorCode::not_found,
                        "compliance(): scope node #" + std::to_string(scope) + " is not live");
        }
        range = h.subtree(scope);
    }
    std::vector<int> role_level(d.catalogue.roles.size());
    for (std::size_t r = 0; r < role_level.size(); ++r) {
        role_level[r] = d.catalogue.roles[r].overlay.empty()
                            ? h.levels().index_of(d.catalogue.roles[r].level)
                            : -1;
    }

    std::vector<Finding> out;
    const Context c{*this, d, h, date, out, std::string()};
    std::map<PersonId, std::vector<NodeId>> primary_grids;
    const std::vector<NodeId>& pre = h.preorder();
    for (std::uint32_t pos = range.begin; pos < range.end; ++pos) {
        const NodeId n = pre[pos];
        if (date < h.created_on(n))
            continue;
        const int level = h.level(n);
        if (policy.cardinality) {
            for (RoleId r = 0; r < role_level.size(); ++r) {
                if (role_level[r] == level &&
                    d.catalogue.roles[r].cardinality != Cardinality::any) {
                    c.cardinality(n, r);
                }
            }
        }
        if (policy.backup_not_primary)
            c.backup_not_primary(n);
        if (level != grid_level)
            continue;
        if (policy.five_ones)
            c.five_ones(n);
        bool worker = false;
        const auto [first, last] = d.node_entries(n);
        for (const IndexEntry* e = first; e != last; ++e) {
            if (e->post != Post::a || !(e->from <= date.days && date.days < e->to) ||
                !c.ours(e->role)) {
                continue;
            }
            worker = true;
            std::vector<NodeId>& grids = primary_grids[e->person];
            if (grids.empty() || grids.back() != n)
                grids.push_back(n);
        }
        if (policy.primary_worker && !worker) {
            c.add("directory.primary_worker", Severity::error, h.code(n),
                  c.node_label(n) + " has no post-A holder of any role" + c.on());
        }
    }
    if (policy.max_primary_grids > 0) {
        for (const auto& [person, grids] : primary_grids) {
            if (grids.size() <= policy.max_primary_grids)
                continue;
            std::string list;
            for (std::size_t i = 0; i < grids.size() && i < 5; ++i) {
                list += (i == 0 ? "" : ", ") + quote(h.code(grids[i]));
            }
            if (grids.size() > 5)
                list += ", ...";
            c.add("directory.max_primary_grids", Severity::error, d.people[person].id,
                  "person " + quote(d.people[person].id) + " (" + d.people[person].name +
                      ") holds post A on " + std::to_string(grids.size()) + " grids (" + list +
                      ")" + c.on() + "; the policy allows " +
                      std::to_string(policy.max_primary_grids));
        }
    }
    if (policy.node_lifetime)
        c.lifetime([&](NodeId n) { return c.in_scope(scope, n); });

    // The units of each overlay that holds roles: cardinality, A/B separation, lifetimes.
    // With a scope, the units mapped to a node inside it or above it.
    for (const Overlay& o : networks.overlays()) {
        const Hierarchy& units = o.units();
        std::vector<int> levels(d.catalogue.roles.size(), -1);
        bool any = false;
        for (std::size_t r = 0; r < levels.size(); ++r) {
            if (d.catalogue.roles[r].overlay == o.key()) {
                levels[r] = units.levels().index_of(d.catalogue.roles[r].level);
                any = true;
            }
        }
        if (!any)
            continue;
        const Context u{*this, d, units, date, out, o.key()};
        const auto unit_in_scope = [&](NodeId unit) {
            if (scope == no_node)
                return true;
            if (!units.is_live(unit))
                return false;
            for (NodeId a = unit; a != no_node; a = units.parent(a)) {
                for (const NodeId m : o.grids_of(a)) {
                    if (h.is_live(m) && (h.is_ancestor(scope, m) || h.is_ancestor(m, scope)))
                        return true;
                }
            }
            return false;
        };
        for (const NodeId n : units.preorder()) {
            if (date < units.created_on(n) || !unit_in_scope(n))
                continue;
            if (policy.cardinality) {
                for (RoleId r = 0; r < levels.size(); ++r) {
                    if (levels[r] == units.level(n) &&
                        d.catalogue.roles[r].cardinality != Cardinality::any) {
                        u.cardinality(n, r);
                    }
                }
            }
            if (policy.backup_not_primary)
                u.backup_not_primary(n);
        }
        if (policy.node_lifetime)
            u.lifetime(unit_in_scope);
    }
    return out;
}

}  // namespace gridgov
