// Private state of gridgov::Hierarchy: structure-of-arrays node columns indexed by NodeId,
// the code map, the history, and the pre-order index rebuilt after every change.
#ifndef GRIDGOV_SRC_HIERARCHY_IMPL_HPP
#define GRIDGOV_SRC_HIERARCHY_IMPL_HPP

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gridgov/hierarchy.hpp"

namespace gridgov {
namespace detail {

/// Heterogeneous hashing so that maps keyed by std::string answer string_view lookups.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

inline constexpr std::uint32_t npos32 = 0xFFFFFFFFu;

/// Built-in numeric columns, always present, in this order.
inline constexpr std::string_view builtin_columns[] = {"households", "population", "area_m2"};
inline constexpr std::size_t households_column = 0;

/// "371327101001 (某村)" for messages.
std::string describe(const std::string& code, const std::string& name);

}  // namespace detail

struct Hierarchy::Impl {
    explicit Impl(LevelScheme scheme);

    LevelScheme levels;

    // ---- node columns, indexed by NodeId -----------------------------------------------
    std::vector<NodeId> parent;
    std::vector<std::int32_t> level;
    std::vector<GridKind> kind;
    std::vector<AreaType> area_type;
    std::vector<std::string> code;
    std::vector<std::string> name;
    std::vector<std::string> area_class;
    std::vector<std::string> geometry;
    std::vector<Date> created;
    std::vector<Date> retired;
    std::vector<std::uint8_t> live;
    /// Latest effective date of any recorded change that touched the node.
    std::vector<Date> last_change;
    std::vector<std::uint32_t> live_children;
    std::size_t live_count = 0;

    // ---- numeric columns -----------------------------------------------------------
    std::vector<std::string> column_names;
    std::vector<std::vector<double>> columns;
    detail::StringMap<std::size_t> column_index;

    /// Every code ever used (live and retired ids): codes are never reused.
    detail::StringMap<NodeId> by_code;

    std::vector<HierarchyChange> history;
    std::uint64_t next_seq = 1;
    /// Set on snapshots returned by as_of(): they are read-only.
    std::optional<Date> snapshot_of;

    // ---- index (rebuilt after every change) ----------------------------------------
    std::vector<NodeId> pre;         ///< live ids in pre-order
    std::vector<std::uint32_t> pos;  ///< by id: position in pre, npos32 when not live
    std::vector<std::uint32_t> end;  ///< by id: end of the subtree range in pre
    std::vector<std::uint32_t>
        parent_pos;                        ///< by position: the parent's position, npos32 for roots
    std::vector<std::int32_t> depth;       ///< by id
    std::vector<NodeId> kids;              ///< children grouped by parent, each group in pre-order
    std::vector<std::uint32_t> kid_begin;  ///< by id: first child in kids
    std::vector<NodeId> roots;

    std::size_t id_count() const { return code.size(); }

    // ---- shared by the translation units ------------------------------------------
    /// Throws not_found unless id < id_count().
    void require_id(NodeId id) const;
    /// Throws not_found unless the node is live.
    void require_live(NodeId id, std::string_view role) const;
    void require_writable() const;
    std::string who(NodeId id) const { return detail::describe(code[id], name[id]); }

    /// Column index, creating an attribute column on first use.
    std::size_t column_slot(std::string_view column);
    const std::vector<double>* find_column(std::string_view column) const;

    /// Grows every per-id column to hold `n` ids.
    void resize_ids(std::size_t n);
    /// Writes a spec's identity and attributes (not its numbers) into an existing slot.
    void fill_node(NodeId id, const NodeSpec& spec, NodeId parent_id, Date effective);
    /// Writes a spec's numeric values, creating attribute columns on first use.
    void fill_values(NodeId id, const NodeSpec& spec);
    /// Makes a filled slot live under its parent.
    void activate(NodeId id);
    void retire_node(NodeId id, Date effective);
    void move_node(NodeId id, NodeId new_parent);

    /// O(N): pre-order, positions, subtree ends, depths, children CSR, roots.
    void rebuild_index();

    HierarchyChange& record(ChangeKind kind, Date effective, NodeId node);
};

namespace detail {

/// One problem with a spec, before it becomes a Finding or an Error.
struct SpecIssue {
    std::size_t index = 0;
    const char* rule = "";
    ErrorCode code = ErrorCode::invalid_argument;
    std::string message;  ///< does not repeat the spec index or code
};

inline constexpr std::size_t no_spec = static_cast<std::size_t>(-1);

/// What adding a batch of specs would do: its problems, or how to apply it.
struct SpecPlan {
    std::vector<SpecIssue> issues;         ///< sorted by spec index
    std::vector<std::size_t> order;        ///< parent-first creation order (when no issues)
    std::vector<NodeId> existing_parent;   ///< by spec: the live node it hangs under
    std::vector<std::size_t> spec_parent;  ///< by spec: the spec it hangs under, or no_spec
};

/// Checks specs against each other and the hierarchy in O(n); Boost.Graph finds cycles
/// (back edges of a depth-first search) and the parent-first order (its finish order).
SpecPlan plan_specs(const Hierarchy::Impl& m, const std::vector<NodeSpec>& specs);

}  // namespace detail

}  // namespace gridgov

#endif  // GRIDGOV_SRC_HIERARCHY_IMPL_HPP
