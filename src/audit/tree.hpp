// The Merkle tree over the event log (RFC 9162 structure) as the engine and the store build
// it: nodes at every fourth level kept (in the workspace: table log_tree), every other node
// folded from the kept ones below it, so that a root or a proof of a log of n events costs
// O(log² n) reads and at most 2^3 hashes a node.
#ifndef GRIDGOV_SRC_AUDIT_TREE_HPP
#define GRIDGOV_SRC_AUDIT_TREE_HPP

#include <cstdint>
#include <functional>
#include <vector>

#include "core/sha256.hpp"

namespace gridgov::detail::tree {

/// Nodes are kept at the levels that are multiples of this (level 0: the leaves).
constexpr unsigned stride = 4;

/// SHA-256(0x00 || event hash).
Hash leaf(Sha256& sha, const Hash& event_hash);
/// SHA-256(0x01 || left || right).
Hash node(Sha256& sha, const Hash& left, const Hash& right);
/// The root of an empty tree: SHA-256 of no bytes.
Hash empty_root();

/// Where the leaves and the kept nodes come from.
class Source {
  public:
    virtual ~Source() = default;
    /// The hashes of the events of leaves [from, from + count) (event sequence = leaf + 1).
    virtual void events(std::uint64_t from, std::uint64_t count, Hash* out) const = 0;
    /// The kept nodes [from, from + count) of `level` (a multiple of stride, above 0).
    virtual void nodes(unsigned level, std::uint64_t from, std::uint64_t count,
                       Hash* out) const = 0;
};

/// The node over the 2^level leaves from index << level (all of them in the log).
Hash perfect(const Source& source, unsigned level, std::uint64_t index);
/// The root of the tree over the first `size` leaves.
Hash root(const Source& source, std::uint64_t size);
/// RFC 9162 PATH(index, D[size]), leaf upwards.
std::vector<Hash> inclusion(const Source& source, std::uint64_t index, std::uint64_t size);
/// RFC 9162 PROOF(size1, D[size2]).
std::vector<Hash> consistency(const Source& source, std::uint64_t size1, std::uint64_t size2);

/// Called with each kept node that completes: its level, index and hash.
using KeepNode = std::function<void(unsigned level, std::uint64_t index, const Hash& hash)>;

/// The kept nodes that the leaves [old_size, new_size) complete, computed from the source
/// (which must already hold those leaves and the nodes passed to `keep` before) in order of
/// level, then index.
void grow(const Source& source, std::uint64_t old_size, std::uint64_t new_size,
          const KeepNode& keep);

/// The tree built leaf by leaf from event hashes, keeping only its right edge (O(log n)).
class Builder {
  public:
    explicit Builder(KeepNode keep = {}) : keep_(std::move(keep)) {}
    void add(const Hash& event_hash);
    std::uint64_t size() const { return size_; }
    Hash root() const;

  private:
    struct Edge {
        unsigned level;
        Hash hash;
    };
    KeepNode keep_;
    std::vector<Edge> edge_;
    std::uint64_t size_ = 0;
    mutable Sha256 sha_;
};

}  // namespace gridgov::detail::tree

#endif
