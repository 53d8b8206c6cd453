// A read-only view of the posts people hold: what an authorization check reads of a
// directory, without the directory's private state.
#ifndef GRIDGOV_SRC_DIRECTORY_POSTS_HPP
#define GRIDGOV_SRC_DIRECTORY_POSTS_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov::detail {

/// A post held: which role, where, and whether primary (A) or backup (B).
struct HeldPost {
    RoleId role = no_role;
    NodeId node = no_node;  ///< of the base hierarchy, or a unit of `overlay`
    Post post = Post::a;
    std::string_view overlay;  ///< "" = the base hierarchy (the role's, kept by the directory)
};

/// Who holds which posts in a directory, read from the directory's own index (each
/// person's posts in start-date order). A view reads the directory as it is when asked:
/// take one for a check, not across changes of the directory.
class PostsView {
  public:
    explicit PostsView(const Directory& directory);

    /// The person with this id, if any.
    std::optional<PersonId> find_person(std::string_view id) const;
    std::size_t person_count() const;
    /// The id of a person; `person` < person_count().
    const std::string& person_id(PersonId person) const;
    const std::string& role_code(RoleId role) const;

    /// The first post, in start-date order, that `person` holds on `date` with one of
    /// `roles` at `node` or an ancestor of it, both nodes live in base `hierarchy`, or — with
    /// `overlays` — on a live overlay unit that is or encloses a unit covering `node`
    /// (Networks::covering()). Post A and
    /// post B count alike, and so does a holder who is absent on the date. nullopt when
    /// there is none.
    std::optional<HeldPost> held_role(const Hierarchy& hierarchy, PersonId person,
                                      const std::vector<std::string>& roles, NodeId node, Date date,
                                      const std::vector<Overlay>* overlays = nullptr) const;

    /// Appends the id of the holder of every post at base node `node`, on any date (a
    /// person once per post held there). Posts on overlay units are not counted.
    void append_holders(NodeId node, std::vector<std::string>& out) const;

    /// The directory state a view reads. A directory only ever appends people, so while
    /// the state stays the same (the same directory object with the same people array), a
    /// PersonId found earlier still names the same person: callers may remember them.
    struct State {
        const void* directory = nullptr;
        const void* people = nullptr;
        std::size_t count = 0;

        friend bool operator==(const State& a, const State& b) {
            return a.directory == b.directory && a.people == b.people && a.count == b.count;
        }
        friend bool operator!=(const State& a, const State& b) { return !(a == b); }
    };
    State state() const;

  private:
    const Directory::Impl* d_;
};

}  // namespace gridgov::detail

#endif
