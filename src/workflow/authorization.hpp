// Who may fire a transition: the one rule behind authorize() and the case engine's
// commands, checks, menus and candidate lists.
#ifndef GRIDGOV_SRC_WORKFLOW_AUTHORIZATION_HPP
#define GRIDGOV_SRC_WORKFLOW_AUTHORIZATION_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "directory/posts.hpp"
#include "gridgov/workflow.hpp"

namespace gridgov::detail {

/// Whom a transition admits (the actor fields of a TransitionSpec).
struct ActorRule {
    bool system = false;
    bool reporter = false;
    bool assigned_department = false;
    const std::vector<std::string>* roles = nullptr;  ///< null or empty: no role admits
};

inline ActorRule actor_rule(const TransitionSpec& t) {
    return ActorRule{t.system, t.reporter, t.assigned_department, &t.roles};
}

/// The actor and the case as the rule reads them.
struct ActorFacts {
    bool system = false;                     ///< the engine acts
    std::string_view person;                 ///< the acting person's id; empty for nobody
    bool reporter = false;                   ///< the person is the case's reporter
    const Department* department = nullptr;  ///< the case's assigned department, if any
    NodeId case_node = no_node;
    Date date;  ///< the command's local date
    /// Required when the rule lists roles and the actor is a person.
    const Hierarchy* hierarchy = nullptr;
    const PostsView* posts = nullptr;
    /// The overlays whose units' posts admit too (null: base posts only).
    const std::vector<Overlay>* overlays = nullptr;
};

/// Why an actor may fire a transition; `none` when it may not.
enum class ActorBasis : std::uint8_t { none, system, reporter, department, role };

struct ActorGrant {
    ActorBasis basis = ActorBasis::none;
    HeldPost post;  ///< with ActorBasis::role: the post that admits

    bool allowed() const { return basis != ActorBasis::none; }
};

/// The rule, checked in this order. The system may fire a `system` transition and nothing
/// else. A person may fire the transition as the case's reporter, as a member of the
/// case's assigned department, or as a holder of one of the listed roles, post A or B,
/// present or absent, on the date, at the case's node or an ancestor of it, both live
/// (PostsView::held_role): a case whose node the hierarchy has retired admits no role
/// holder. `person_of()` gives the person's PersonId in the directory (no_person when it
/// has none); it is asked only when the roles decide, so a caller may look people up
/// lazily or from a cache.
template <class PersonOf>
ActorGrant grant_actor(const ActorRule& rule, const ActorFacts& facts, PersonOf&& person_of) {
    ActorGrant grant;
    if (facts.system) {
        if (rule.system)
            grant.basis = ActorBasis::system;
        return grant;
    }
    if (facts.person.empty())
        return grant;
    if (rule.reporter && facts.reporter) {
        grant.basis = ActorBasis::reporter;
        return grant;
    }
    if (rule.assigned_department && facts.department != nullptr &&
        facts.department->has_member(facts.person)) {
        grant.basis = ActorBasis::department;
        return grant;
    }
    if (rule.roles == nullptr || rule.roles->empty())
        return grant;
    const PersonId person = person_of();
    if (person == no_person)
        return grant;
    if (const auto post = facts.posts->held_role(*facts.hierarchy, person, *rule.roles,
                                                 facts.case_node, facts.date, facts.overlays)) {
        grant.basis = ActorBasis::role;
        grant.post = *post;
    }
    return grant;
}

/// Why a granted actor may act: "system", "reporter", "member of department D-HW-QS",
/// "role dispatcher held at 371327 (post A)".
std::string grant_basis(const ActorGrant& grant, const ActorFacts& facts);

}  // namespace gridgov::detail

#endif
