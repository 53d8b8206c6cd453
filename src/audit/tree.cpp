// The Merkle tree over the event log: kept nodes, folded nodes, roots and proofs.
#include "audit/tree.hpp"

#include <cstring>

namespace gridgov::detail::tree {

namespace {

// The largest power of two below n (n >= 2).
std::uint64_t split(std::uint64_t n) {
    std::uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

bool is_power_of_two(std::uint64_t n) {
    return n != 0 && (n & (n - 1)) == 0;
}

unsigned log2_of(std::uint64_t n) {
    unsigned l = 0;
    while ((std::uint64_t{1} << l) < n)
        ++l;
    return l;
}

// Folds 2^k nodes of one level, pairwise, into one.
Hash fold(Sha256& sha, std::vector<Hash>& level) {
    for (std::size_t n = level.size(); n > 1; n /= 2) {
        for (std::size_t i = 0; i < n / 2; ++i)
            level[i] = node(sha, level[2 * i], level[2 * i + 1]);
    }
    return level.front();
}

struct Walk {
    const Source& source;
    Sha256 sha;

    // The root of leaves [begin, end), begin aligned to the largest power of two in the
    // range (as every subtree of the RFC 9162 tree is).
    Hash range(std::uint64_t begin, std::uint64_t end) {
        const std::uint64_t n = end - begin;
        if (is_power_of_two(n))
            return perfect(source, log2_of(n), begin >> log2_of(n));
        const std::uint64_t k = split(n);
        return node(sha, range(begin, begin + k), range(begin + k, end));
    }

    void path(std::uint64_t m, std::uint64_t begin, std::uint64_t end, std::vector<Hash>& out) {
        const std::uint64_t n = end - begin;
        if (n <= 1)
            return;
        const std::uint64_t k = split(n);
        if (m < k) {
            path(m, begin, begin + k, out);
            out.push_back(range(begin + k, end));
        } else {
            path(m - k, begin + k, end, out);
            out.push_back(range(begin, begin + k));
        }
    }

    void subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                  std::vector<Hash>& out) {
        const std::uint64_t n = end - begin;
        if (m == n) {
            if (!whole)
                out.push_back(range(begin, end));
            return;
        }
        const std::uint64_t k = split(n);
        if (m <= k) {
            subproof(m, begin, begin + k, whole, out);
            out.push_back(range(begin + k, end));
        } else {
            subproof(m - k, begin + k, end, false, out);
            out.push_back(range(begin, begin + k));
        }
    }
};

}  // namespace

Hash leaf(Sha256& sha, const Hash& event_hash) {
    std::uint8_t b[33];
    b[0] = 0;
    std::memcpy(b + 1, event_hash.data(), 32);
    return sha.digest(b, sizeof b);
}

Hash node(Sha256& sha, const Hash& left, const Hash& right) {
    std::uint8_t b[65];
    b[0] = 1;
    std::memcpy(b + 1, left.data(), 32);
    std::memcpy(b + 33, right.data(), 32);
    return sha.digest(b, sizeof b);
}

Hash empty_root() {
    Sha256 sha;
    return sha.digest("", 0);
}

Hash perfect(const Source& source, unsigned level, std::uint64_t index) {
    Sha256 sha;
    if (level == 0) {
        Hash h;
        source.events(index, 1, &h);
        return leaf(sha, h);
    }
    if (level % stride == 0) {
        Hash h;
        source.nodes(level, index, 1, &h);
        return h;
    }
    const unsigned base = level - level % stride;
    std::vector<Hash> below(std::size_t{1} << (level - base));
    const std::uint64_t first = index << (level - base);
    if (base == 0) {
        source.events(first, below.size(), below.data());
        for (Hash& h : below)
            h = leaf(sha, h);
    } else {
        source.nodes(base, first, below.size(), below.data());
    }
    return fold(sha, below);
}

Hash root(const Source& source, std::uint64_t size) {
    if (size == 0)
        return empty_root();
    Walk w{source, {}};
    return w.range(0, size);
}

std::vector<Hash> inclusion(const Source& source, std::uint64_t index, std::uint64_t size) {
    std::vector<Hash> out;
    Walk w{source, {}};
    w.path(index, 0, size, out);
    return out;
}

std::vector<Hash> consistency(const Source& source, std::uint64_t size1, std::uint64_t size2) {
    std::vector<Hash> out;
    if (size1 == 0 || size1 >= size2)
        return out;
    Walk w{source, {}};
    w.subproof(size1, 0, size2, true, out);
    return out;
}

void grow(const Source& source, std::uint64_t old_size, std::uint64_t new_size,
          const KeepNode& keep) {
    Sha256 sha;
    std::vector<Hash> below(std::size_t{1} << stride);
    for (unsigned level = stride; level < 64 && (std::uint64_t{1} << level) <= new_size;
         level += stride) {
        for (std::uint64_t k = old_size >> level; k < new_size >> level; ++k) {
            below.assign(below.size(), Hash{});
            const std::uint64_t first = k << stride;
            if (level == stride) {
                source.events(first, below.size(), below.data());
                for (Hash& h : below)
                    h = leaf(sha, h);
            } else {
                source.nodes(level - stride, first, below.size(), below.data());
            }
            keep(level, k, fold(sha, below));
        }
    }
}

void Builder::add(const Hash& event_hash) {
    edge_.push_back({0, leaf(sha_, event_hash)});
    ++size_;
    while (edge_.size() >= 2 && edge_[edge_.size() - 2].level == edge_.back().level) {
        const Edge right = edge_.back();
        edge_.pop_back();
        Edge& left = edge_.back();
        left.hash = node(sha_, left.hash, right.hash);
        ++left.level;
        if (keep_ && left.level % stride == 0)
            keep_(left.level, (size_ >> left.level) - 1, left.hash);
    }
}

Hash Builder::root() const {
    if (edge_.empty())
        return empty_root();
    Hash r = edge_.back().hash;
    for (std::size_t i = edge_.size() - 1; i-- > 0;)
        r = node(sha_, edge_[i].hash, r);
    return r;
}

}  // namespace gridgov::detail::tree
