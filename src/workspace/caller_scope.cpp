#include "workspace/caller_scope.hpp"

#include <algorithm>
#include <chrono>

#include "core/text.hpp"
#include "records/model.hpp"

namespace gridgov::detail {

Date today_in_china() {
    using namespace std::chrono;
    const auto days = floor<std::chrono::days>(system_clock::now() + hours(8));
    const year_month_day ymd{sys_days(days)};
    return Date::from_ymd(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                          static_cast<unsigned>(ymd.day()));
}

CallerScope::CallerScope(const Workspace::Impl& w, const RecordReader& caller,
                         std::string_view what)
    : w_(w), caller_(caller) {
    const std::string who(what);
    if (caller.system && !caller.person.empty())
        throw Error(ErrorCode::invalid_argument,
                    "a " + who + " is the system or a person, not both (person " +
                        record_quote(caller.person) + ")");
    if (!caller.system && caller.person.empty())
        throw Error(ErrorCode::invalid_argument,
                    "a " + who + " names a person or is the system (RecordReader::system_read)");
    if (caller.purpose.empty())
        throw Error(ErrorCode::invalid_argument,
                    "a " + who + " gives a purpose: why the workspace is read");
    check_field_text(caller.purpose, TextKind::line, who, "purpose");
    day_ = caller.on.value_or(today_in_china());
    if (caller.system)
        return;
    if (!w.directory.find_person(caller.person))
        throw Error(ErrorCode::permission_denied,
                    "person " + record_quote(caller.person) +
                        " is not in the directory and may read nothing of the workspace");
    const Catalogue& catalogue = w.directory.catalogue();
    for (const RosterEntry& post : w.directory.posts(caller.person, day_)) {
        Post p;
        p.node = post.node;
        p.role = catalogue.roles[post.role].code;
        p.overlay = catalogue.roles[post.role].overlay;
        if (!p.overlay.empty()) {
            const std::ptrdiff_t o = w.find_overlay(p.overlay);
            if (o < 0)
                continue;  // an overlay the workspace does not have: covers nothing
            p.network = &w.overlays[static_cast<std::size_t>(o)];
            overlay_posts_ = true;
        }
        for (const std::string& duty : catalogue.roles[post.role].duties) {
            if (const std::optional<DutyId> d = catalogue.find_duty(duty)) {
                for (const std::string& r : catalogue.duties[*d].reveals)
                    p.reveals.push_back(r);
            }
        }
        posts_.push_back(std::move(p));
    }
    if (posts_.empty())
        throw Error(ErrorCode::permission_denied, "person " + record_quote(caller.person) +
                                                      " holds no post on " + day_.to_string() +
                                                      " and may read nothing of the workspace");
}

bool CallerScope::covers(NodeId node) const {
    if (caller_.system)
        return true;
    const Hierarchy& h = w_.hierarchy;
    if (!h.is_live(node))
        return false;
    for (const Post& p : posts_) {
        if (p.network == nullptr && h.is_live(p.node) && h.is_ancestor(p.node, node))
            return true;
    }
    return false;
}

bool CallerScope::post_covers_ground(const Post& p, NodeId node) const {
    const Hierarchy& h = w_.hierarchy;
    if (p.network == nullptr)
        return h.is_live(p.node) && h.is_ancestor(p.node, node);
    const Hierarchy& units = p.network->units();
    if (!units.is_live(p.node))
        return false;
    const PreorderRange range = units.subtree(p.node);
    for (std::uint32_t pos = range.begin; pos < range.end; ++pos) {
        for (const NodeId grid : p.network->grids_of(units.preorder()[pos])) {
            if (h.is_live(grid) && h.is_ancestor(grid, node))
                return true;
        }
    }
    return false;
}

bool CallerScope::covers_ground(NodeId node) const {
    if (caller_.system)
        return true;
    if (!w_.hierarchy.is_live(node))
        return false;
    return std::any_of(posts_.begin(), posts_.end(),
                       [&](const Post& p) { return post_covers_ground(p, node); });
}

bool CallerScope::covers_place(const Post& p, const std::vector<OverlayPlace>& places) {
    const Hierarchy& units = p.network->units();
    for (const OverlayPlace& place : places) {
        if (place.overlay != p.overlay)
            continue;
        const std::optional<NodeId> unit = units.find(place.unit);
        if (unit && units.is_live(p.node) && units.is_ancestor(p.node, *unit))
            return true;
    }
    return false;
}

bool CallerScope::covers_places(const std::vector<OverlayPlace>& places) const {
    if (caller_.system)
        return true;
    if (!overlay_posts_ || places.empty())
        return false;
    return std::any_of(posts_.begin(), posts_.end(), [&](const Post& p) {
        return p.network != nullptr && covers_place(p, places);
    });
}

bool CallerScope::reveals(std::string_view kind, std::string_view field, NodeId at,
                          const std::vector<OverlayPlace>& places, bool by_ground) const {
    if (caller_.system)
        return true;
    const Hierarchy& h = w_.hierarchy;
    for (const Post& p : posts_) {
        const bool covering =
            p.network == nullptr
                ? h.is_live(at) && h.is_live(p.node) && h.is_ancestor(p.node, at)
                : covers_place(p, places) || (by_ground && post_covers_ground(p, at));
        if (!covering)
            continue;
        for (const std::string& r : p.reveals) {
            if (r == "*" || r == kind ||
                (r.size() == kind.size() + 1 + field.size() &&
                 r.compare(0, kind.size(), kind) == 0 && r[kind.size()] == '.' &&
                 r.compare(kind.size() + 1, field.size(), field) == 0))
                return true;
        }
    }
    return false;
}

std::string CallerScope::node_name(NodeId node) const {
    const Hierarchy& h = w_.hierarchy;
    if (node < h.id_count())
        return h.code(node);
    return "node " + std::to_string(node);
}

std::vector<std::string> CallerScope::places() const {
    std::vector<std::string> out;
    for (const Post& p : posts_) {
        const std::string code = p.network == nullptr
                                     ? w_.hierarchy.code(p.node)
                                     : p.overlay + ":" + p.network->units().code(p.node);
        if (std::find(out.begin(), out.end(), code) == out.end())
            out.push_back(code);
    }
    return out;
}

}  // namespace gridgov::detail
