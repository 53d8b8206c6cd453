// The hierarchy's side of a workspace file (src/store/hierarchy_store.cpp): the level
// scheme, the history entry by entry with the node specs it added, and the overlays.
#ifndef GRIDGOV_SRC_STORE_HIERARCHY_STORE_HPP
#define GRIDGOV_SRC_STORE_HIERARCHY_STORE_HPP

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "gridgov/hierarchy.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

struct HierarchyStatements;

/// The hierarchy's tables in a workspace file, over its connection; the statements are
/// prepared on first use. Every write runs inside the caller's transaction.
class HierarchyStore {
  public:
    explicit HierarchyStore(Db& db);
    HierarchyStore(const HierarchyStore&) = delete;
    HierarchyStore& operator=(const HierarchyStore&) = delete;
    ~HierarchyStore();

    /// Replaces the stored level scheme.
    void write_level_scheme(const LevelScheme& levels);
    /// Writes history entries [first_change, next.history().size()) and, for every add
    /// among them, the node with its spec. `on_node` runs after each node row.
    void write_rows(const Hierarchy& next, std::size_t first_change,
                    const std::function<void()>& on_node = {});
    /// Writes a new overlay (its row and levels) at index `position` of the overlays.
    void write_overlay(const Overlay& overlay, std::size_t position);
    /// Writes units [first_unit, overlay.units().id_count()) of an overlay with their grids.
    void write_overlay_units(const Overlay& overlay, NodeId first_unit,
                             const std::function<void()>& on_unit = {});

    /// What the file holds, rebuilt and checked entry by entry.
    struct Loaded {
        Hierarchy hierarchy;
        std::vector<Overlay> overlays;
    };
    /// Throws Error(storage) naming the file when what is stored does not rebuild.
    Loaded load();

  private:
    HierarchyStatements& statements();

    Db& db_;
    std::unique_ptr<HierarchyStatements> sql_;
};

}  // namespace gridgov::detail

#endif
