// The Merkle tree over the event log and the signed tree heads in the workspace file
// (tables log_tree and log_tree_heads; src/store/tree_store.cpp).
#ifndef GRIDGOV_SRC_STORE_TREE_STORE_HPP
#define GRIDGOV_SRC_STORE_TREE_STORE_HPP

#include <functional>
#include <vector>

#include "audit/tree.hpp"
#include "gridgov/audit.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

/// The tree as the file keeps it: event hashes from case_events, kept nodes from log_tree.
/// Throws Error(storage) naming an event or node the file does not hold.
class StoredTree : public tree::Source {
  public:
    explicit StoredTree(Db& db);
    void events(std::uint64_t from, std::uint64_t count, Hash* out) const override;
    void nodes(unsigned level, std::uint64_t from, std::uint64_t count, Hash* out) const override;

  private:
    Db& db_;
    mutable Statement events_;
    mutable Statement nodes_;
};

/// Keeps the nodes that the events [old_size, new_size) complete (inside the caller's
/// write transaction, after the events were inserted).
void grow_log_tree(Db& db, std::uint64_t old_size, std::uint64_t new_size);

/// Migration 15: the kept nodes of the events already stored.
void build_log_tree(Db& db);

/// Every stored event hash in sequence order (a hash column of another size is passed as
/// its first 32 bytes, zero-padded: verify_log() names such an event).
void for_each_event_hash(Db& db, const std::function<void(const Hash&)>& f);
/// Every kept node, by level then index.
void for_each_tree_node(Db& db, const std::function<void(unsigned, std::uint64_t, const Hash&)>& f);

/// Appends a head to log_tree_heads (inside the caller's write transaction).
void write_tree_head(Db& db, const TreeHead& head);
/// The stored heads, oldest first. Throws Error(storage) naming a damaged row.
std::vector<TreeHead> read_tree_heads(Db& db);

}  // namespace gridgov::detail

#endif
