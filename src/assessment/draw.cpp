// Inspection draws: SplitMix64 with rejection sampling and a partial Fisher–Yates shuffle,
// chosen because every step is integer arithmetic that any language can repeat exactly.
#include <algorithm>
#include <set>
#include <string>

#include "gridgov/assessment.hpp"

namespace gridgov {

std::uint64_t SplitMix64::next() {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t bound) {
    if (bound == 0)
        throw Error(ErrorCode::invalid_argument, "SplitMix64::below: bound must be positive");
    // Values at or above the largest multiple of bound that fits in 2^64 are redrawn, so
    // that every remainder is equally likely. (2^64 mod bound) == (-bound) mod bound.
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        std::uint64_t x = next();
        if (x >= threshold)
            return x % bound;
    }
}

namespace {

constexpr const char* draw_algorithm = "splitmix64-fisher-yates-v1";

// Moves `k` uniformly chosen elements of pool to its front, in the order drawn.
void partial_shuffle(std::vector<std::string>& pool, std::size_t k, SplitMix64& rng) {
    for (std::size_t i = 0; i < k; ++i) {
        std::size_t j = i + static_cast<std::size_t>(rng.below(pool.size() - i));
        std::swap(pool[i], pool[j]);
    }
}

}  // namespace

DrawRecord draw(const DrawSpec& spec) {
    std::set<std::string> seen;
    for (const auto& c : spec.candidates)
        if (!seen.insert(c).second)
            throw Error(ErrorCode::invalid_argument, "draw: candidate '" + c + "' appears twice");
    if (!spec.strata.empty() && spec.strata.size() != spec.candidates.size())
        throw Error(ErrorCode::invalid_argument,
                    "draw: " + std::to_string(spec.strata.size()) + " strata for " +
                        std::to_string(spec.candidates.size()) + " candidates");
    std::set<std::string> avoid(spec.avoid.begin(), spec.avoid.end());
    std::vector<std::size_t> open;  // candidate indices left after `avoid`, in given order
    for (std::size_t i = 0; i < spec.candidates.size(); ++i)
        if (!avoid.count(spec.candidates[i]))
            open.push_back(i);
    if (spec.count > open.size())
        throw Error(ErrorCode::invalid_argument,
                    "draw: count " + std::to_string(spec.count) + " exceeds the " +
                        std::to_string(open.size()) + " candidates left after avoiding " +
                        std::to_string(spec.candidates.size() - open.size()));

    SplitMix64 rng(spec.seed);
    DrawRecord record{draw_algorithm, spec, {}};
    std::set<std::string> picked;
    if (!spec.strata.empty()) {
        std::set<std::string> keys(spec.strata.begin(), spec.strata.end());
        if (spec.count < keys.size())
            throw Error(ErrorCode::invalid_argument, "draw: count " + std::to_string(spec.count) +
                                                         " is less than the " +
                                                         std::to_string(keys.size()) + " strata");
        for (const auto& key : keys) {
            std::vector<std::string> pool;
            for (std::size_t i : open)
                if (spec.strata[i] == key)
                    pool.push_back(spec.candidates[i]);
            if (pool.empty())
                throw Error(ErrorCode::invalid_argument,
                            "draw: stratum '" + key + "' has no candidate left after avoiding");
            partial_shuffle(pool, 1, rng);
            record.picks.push_back(pool[0]);
            picked.insert(pool[0]);
        }
    }
    std::vector<std::string> pool;
    for (std::size_t i : open)
        if (!picked.count(spec.candidates[i]))
            pool.push_back(spec.candidates[i]);
    std::size_t rest = spec.count - record.picks.size();
    partial_shuffle(pool, rest, rng);
    record.picks.insert(record.picks.end(), pool.begin(),
                        pool.begin() + static_cast<std::ptrdiff_t>(rest));
    return record;
}

bool verify_draw(const DrawRecord& record) {
    if (record.algorithm != draw_algorithm)
        return false;
    return draw(record.spec).picks == record.picks;
}

bool operator==(const DrawRecord& a, const DrawRecord& b) {
    return a.algorithm == b.algorithm && a.spec.seed == b.spec.seed &&
           a.spec.candidates == b.spec.candidates && a.spec.count == b.spec.count &&
           a.spec.strata == b.spec.strata && a.spec.avoid == b.spec.avoid && a.picks == b.picks;
}

}  // namespace gridgov
