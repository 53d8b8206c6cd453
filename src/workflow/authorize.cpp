// Roles the profiles need, catalogue merging, and who may fire a transition: the rule
// (authorization.hpp) and authorize(), which asks it.
#include <algorithm>
#include <optional>

#include "gridgov/workflow.hpp"
#include "workflow/authorization.hpp"
#include "workflow/embedded.hpp"

namespace gridgov {
namespace {

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

}  // namespace

Catalogue workflow_roles_catalogue() {
    const char* text = detail::embedded_text(
        detail::workflow_role_fragments, detail::workflow_role_fragments_count, "workflow_roles");
    return Catalogue::from_json(text, "built-in catalogue workflow_roles");
}

Catalogue merge_catalogues(const Catalogue& base, const Catalogue& fragment) {
    Catalogue out = base;
    for (const Duty& d : fragment.duties) {
        if (const auto i = base.find_duty(d.code)) {
            if (base.duties[*i].label_zh != d.label_zh) {
                throw Error(ErrorCode::already_exists, "duty " + quote(d.code) + " of catalogue " +
                                                           quote(fragment.key) + " is labelled " +
                                                           quote(d.label_zh) + " but " +
                                                           quote(base.duties[*i].label_zh) +
                                                           " in catalogue " + quote(base.key));
            }
            continue;
        }
        if (base.find_role(d.code)) {
            throw Error(ErrorCode::already_exists,
                        "duty " + quote(d.code) + " of catalogue " + quote(fragment.key) +
                            " is a role in catalogue " + quote(base.key));
        }
        out.duties.push_back(d);
    }
    for (const RoleType& r : fragment.roles) {
        if (const auto i = base.find_role(r.code)) {
            if (base.roles[*i].level != r.level) {
                throw Error(ErrorCode::already_exists,
                            "role " + quote(r.code) + " is held at level " + quote(r.level) +
                                " in catalogue " + quote(fragment.key) + " but at " +
                                quote(base.roles[*i].level) + " in catalogue " + quote(base.key));
            }
            continue;
        }
        if (base.find_duty(r.code)) {
            throw Error(ErrorCode::already_exists,
                        "role " + quote(r.code) + " of catalogue " + quote(fragment.key) +
                            " is a duty in catalogue " + quote(base.key));
        }
        out.roles.push_back(r);
    }
    return out;
}

Catalogue WorkflowSpec::expected_catalogue() const {
    const auto load = [&](const std::string& k) {
        if (k == "workflow_roles")
            return workflow_roles_catalogue();
        const std::vector<std::string> keys = Catalogue::preset_keys();
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
            throw Error(ErrorCode::not_found, "workflow " + id() + " expects role catalogue " +
                                                  quote(k) + ", which is not built in");
        }
        return Catalogue::preset(k);
    };
    if (catalogues.empty())
        return Catalogue{};
    Catalogue out = load(catalogues.front());
    for (std::size_t i = 1; i < catalogues.size(); ++i) {
        out = merge_catalogues(out, load(catalogues[i]));
    }
    return out;
}

ActorDecision authorize(const TransitionSpec& transition, const ActorQuery& query) {
    const std::string command = command_name(transition.command);
    std::optional<detail::PostsView> posts;
    if (query.directory != nullptr)
        posts.emplace(*query.directory);
    detail::ActorFacts facts;
    facts.system = query.system;
    facts.person = query.person;
    facts.reporter = !query.reporter.empty() && query.person == query.reporter;
    facts.department = query.assigned_department;
    facts.case_node = query.case_node;
    facts.date = query.date;
    facts.hierarchy = query.hierarchy;
    facts.posts = posts ? &*posts : nullptr;
    facts.overlays = query.overlays;
    // The rule asks for the person only when the roles decide: then the hierarchy and the
    // directory are needed.
    const auto person_of = [&] {
        if (query.hierarchy == nullptr || !posts) {
            throw Error(ErrorCode::invalid_argument,
                        "authorize: " + command +
                            " is reserved to roles; the hierarchy and the directory are required");
        }
        if (query.case_node >= query.hierarchy->id_count()) {
            throw Error(ErrorCode::not_found, "authorize: case node " +
                                                  std::to_string(query.case_node) +
                                                  " is not a node of the hierarchy");
        }
        return posts->find_person(query.person).value_or(no_person);
    };
    const detail::ActorGrant grant =
        detail::grant_actor(detail::actor_rule(transition), facts, person_of);
    if (grant.allowed())
        return {true, detail::grant_basis(grant, facts)};
    if (query.system)
        return {false, "the system may not fire " + command + " here"};
    if (query.person.empty())
        return {false, "no actor: neither a person nor the system"};
    std::string allowed;
    const auto add = [&](std::string_view what) {
        allowed += (allowed.empty() ? "" : ", ") + std::string(what);
    };
    for (const std::string& r : transition.roles)
        add("role " + r);
    if (transition.assigned_department)
        add(actor_assigned_department);
    if (transition.reporter)
        add(actor_reporter);
    if (transition.system)
        add(actor_system);
    return {false, "person " + quote(query.person) + " may not fire " + command +
                       " here (allowed: " + allowed + " at the case's node " +
                       (query.hierarchy != nullptr && query.hierarchy->is_live(query.case_node)
                            ? query.hierarchy->code(query.case_node)
                            : std::to_string(query.case_node)) +
                       " or above)"};
}

namespace detail {

std::string grant_basis(const ActorGrant& grant, const ActorFacts& facts) {
    switch (grant.basis) {
        case ActorBasis::none:
            break;
        case ActorBasis::system:
            return "system";
        case ActorBasis::reporter:
            return "reporter";
        case ActorBasis::department:
            return "member of department " + facts.department->code;
        case ActorBasis::role: {
            const std::string at =
                grant.post.overlay.empty() || facts.overlays == nullptr
                    ? facts.hierarchy->code(grant.post.node)
                    : Networks(*facts.hierarchy, *facts.overlays)
                          .code(Place{std::string(grant.post.overlay), grant.post.node});
            return "role " + facts.posts->role_code(grant.post.role) + " held at " + at +
                   " (post " + post_name(grant.post.post) + ")";
        }
    }
    return {};
}

}  // namespace detail

}  // namespace gridgov
