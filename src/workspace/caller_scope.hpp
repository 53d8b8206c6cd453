// What a caller of the workspace may see: the system, or a person through the posts they
// hold on a day (RecordReader names either). Shared by the records' reads and by
// WorkspaceView (Workspace::acting_as), so that both decide coverage and reveals alike.
#ifndef GRIDGOV_SRC_WORKSPACE_CALLER_SCOPE_HPP
#define GRIDGOV_SRC_WORKSPACE_CALLER_SCOPE_HPP

#include <string>
#include <string_view>
#include <vector>

#include "gridgov/records.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov::detail {

/// China Standard Time's date now (UTC+8, no daylight saving).
Date today_in_china();

/// A caller checked against the workspace: the person exists and holds posts on the day
/// (or the caller is the system), with what each post covers and which sensitive fields
/// its duties reveal. Built under the workspace's lock; refers to its hierarchy, overlays
/// and directory, so it lives no longer than one call.
class CallerScope {
  public:
    /// Throws Error(invalid_argument) for a caller that is both or neither a person and
    /// the system, or gives no purpose; Error(permission_denied) for a person not in the
    /// directory or holding no post on the day. `what` names the caller in messages
    /// ("record reader", "caller").
    CallerScope(const Workspace::Impl& w, const RecordReader& caller, std::string_view what);

    const RecordReader& caller() const { return caller_; }
    bool system() const { return caller_.system; }
    Date day() const { return day_; }

    /// Whether a post on the base hierarchy covers `node` (the records' rule).
    bool covers(NodeId node) const;
    /// Whether a post covers the ground of `node`: a base post over it, or a post on an
    /// overlay unit (or one above it) whose grids include `node` or one of its ancestors.
    bool covers_ground(NodeId node) const;
    /// Whether a post on an overlay unit covers one of the places.
    bool covers_places(const std::vector<OverlayPlace>& places) const;
    /// Whether the caller holds posts on overlay units.
    bool overlay_posts() const { return overlay_posts_; }
    /// Whether a duty of a post covering `at` (or one of `places`) reveals `kind`.`field`
    /// (a duty's reveals: "*", the kind, or "kind.field"). With `by_ground`, a post on an
    /// overlay unit covers `at` through the unit's grids (covers_ground) too. The system:
    /// always.
    bool reveals(std::string_view kind, std::string_view field, NodeId at,
                 const std::vector<OverlayPlace>& places = {}, bool by_ground = false) const;
    /// "node <code>" of a base node, for messages.
    std::string node_name(NodeId node) const;
    /// The places of the caller's posts: base node codes and "overlay:unit" codes, in the
    /// order of the posts, each once; empty for the system (which covers everything).
    std::vector<std::string> places() const;

  private:
    struct Post {
        NodeId node = no_node;  // of the base hierarchy, or of `units`
        std::string role;
        std::string overlay;               // "" = the base hierarchy
        const Overlay* network = nullptr;  // the overlay, for a post on one of its units
        std::vector<std::string> reveals;
    };
    static bool covers_place(const Post& p, const std::vector<OverlayPlace>& places);
    bool post_covers_ground(const Post& p, NodeId node) const;

    const Workspace::Impl& w_;
    RecordReader caller_;
    Date day_;
    std::vector<Post> posts_;
    bool overlay_posts_ = false;
};

}  // namespace gridgov::detail

#endif
