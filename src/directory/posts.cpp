// The posts view: each person's posts and the holders at a node, read from the directory's
// resolution index.
#include "directory/posts.hpp"

#include <algorithm>

#include "directory/directory_impl.hpp"

namespace gridgov::detail {

PostsView::PostsView(const Directory& directory) : d_(&DirectoryAccess::impl(directory)) {}

std::optional<PersonId> PostsView::find_person(std::string_view id) const {
    const auto it = d_->person_codes.find(id);
    if (it == d_->person_codes.end())
        return std::nullopt;
    return it->second;
}

std::size_t PostsView::person_count() const {
    return d_->people.size();
}

const std::string& PostsView::person_id(PersonId person) const {
    return d_->people[person].id;
}

const std::string& PostsView::role_code(RoleId role) const {
    return d_->role_code(role);
}

std::optional<HeldPost> PostsView::held_role(const Hierarchy& h, PersonId person,
                                             const std::vector<std::string>& roles, NodeId node,
                                             Date date,
                                             const std::vector<Overlay>* overlays) const {
    if (!h.is_live(node))
        return std::nullopt;
    const Directory::Impl& d = *d_;
    for (std::uint32_t k = d.person_assignment_begin[person];
         k < d.person_assignment_begin[person + 1]; ++k) {
        const PersonPost& a = d.person_posts[k];
        if (!a.valid_on(date))
            continue;
        const std::string& role = d.role_code(a.role);
        if (std::find(roles.begin(), roles.end(), role) == roles.end())
            continue;
        const std::string& overlay = d.catalogue.roles[a.role].overlay;
        if (!overlay.empty()) {
            // A post on an overlay unit: it admits when the unit encloses one covering `node`.
            if (overlays == nullptr)
                continue;
            const Networks net(h, *overlays);
            const Overlay* o = net.find_overlay(overlay);
            if (o == nullptr || !o->units().is_live(a.node))
                continue;
            for (const NodeId unit : net.covering(overlay, node)) {
                if (o->units().is_ancestor(a.node, unit))
                    return HeldPost{a.role, a.node, a.post, overlay};
            }
            continue;
        }
        if (!h.is_live(a.node) || !h.is_ancestor(a.node, node))
            continue;
        return HeldPost{a.role, a.node, a.post, {}};
    }
    return std::nullopt;
}

void PostsView::append_holders(NodeId node, std::vector<std::string>& out) const {
    const auto [first, last] = d_->node_entries(node);
    for (const IndexEntry* e = first; e != last; ++e) {
        if (d_->catalogue.roles[e->role].overlay.empty())
            out.push_back(d_->people[e->person].id);
    }
}

PostsView::State PostsView::state() const {
    return State{d_, d_->people.data(), d_->people.size()};
}

}  // namespace gridgov::detail
