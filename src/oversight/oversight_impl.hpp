// Private helpers of the oversight module (src/oversight).
#ifndef GRIDGOV_SRC_OVERSIGHT_OVERSIGHT_IMPL_HPP
#define GRIDGOV_SRC_OVERSIGHT_OVERSIGHT_IMPL_HPP

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gridgov/hierarchy.hpp"

namespace gridgov::detail {

/// What falls under the subject of an indicator: a node code or an overlay unit place
/// covers its subtree in its network; any other code (a department, a person, a record, a
/// team) stands for itself only. Answers are cached per code asked about.
class SubjectCover {
  public:
    SubjectCover(std::string_view subject, const Networks& networks)
        : subject_(subject), networks_(networks) {
        try {
            place_ = networks.place(subject);
        } catch (const Error&) {
            place_.reset();
        }
    }

    /// Whether the subject is a node or unit place (else a code standing for itself).
    bool is_place() const { return place_.has_value(); }
    const std::string& subject() const { return subject_; }

    /// Whether `code` (a node code, a unit place, or any other code) is the subject or lies
    /// in its subtree of the same network.
    bool covers(const std::string& code) {
        if (code == subject_)
            return true;
        return place_ && cached(code, false);
    }

    /// Whether the base node `code` lies under the subject: in a node's subtree, or covered
    /// by a unit at or beneath an overlay unit (Networks::covering).
    bool covers_base(const std::string& code) {
        return place_ && (code == subject_ || cached(code, true));
    }

  private:
    bool cached(const std::string& code, bool base) {
        auto& cache = base ? base_cache_ : cache_;
        auto it = cache.find(code);
        if (it == cache.end())
            it = cache.emplace(code, base ? compute_base(code) : compute(code)).first;
        return it->second;
    }

    bool under(const Hierarchy& net, NodeId from) const {
        for (const NodeId a : net.path_to_root(from)) {
            if (a == place_->node)
                return true;
        }
        return false;
    }

    bool compute(const std::string& code) const {
        Place p;
        try {
            p = networks_.place(code);
        } catch (const Error&) {
            return false;
        }
        return p.overlay == place_->overlay && under(networks_.nodes(p.overlay), p.node);
    }

    bool compute_base(const std::string& code) const {
        const std::optional<NodeId> n = networks_.base().find(code);
        if (!n)
            return false;
        if (place_->overlay.empty())
            return under(networks_.base(), *n);
        const Hierarchy& units = networks_.nodes(place_->overlay);
        for (const NodeId u : networks_.covering(place_->overlay, *n)) {
            if (under(units, u))
                return true;
        }
        return false;
    }

    std::string subject_;
    const Networks& networks_;
    std::optional<Place> place_;
    std::map<std::string, bool, std::less<>> cache_;
    std::map<std::string, bool, std::less<>> base_cache_;
};

}  // namespace gridgov::detail

#endif
