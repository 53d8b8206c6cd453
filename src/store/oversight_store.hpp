// The oversight side of a workspace file (src/store/oversight_store.cpp): inspections,
// promises and their ratings, hazard entries (tables oversight_* in migration 14).
#ifndef GRIDGOV_SRC_STORE_OVERSIGHT_STORE_HPP
#define GRIDGOV_SRC_STORE_OVERSIGHT_STORE_HPP

#include <memory>
#include <vector>

#include "gridgov/oversight.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

struct OversightStatements;

/// The oversight tables in a workspace file, over its connection; the statements are
/// prepared on first use. Every write runs inside the caller's transaction.
class OversightStore {
  public:
    explicit OversightStore(Db& db);
    OversightStore(const OversightStore&) = delete;
    OversightStore& operator=(const OversightStore&) = delete;
    ~OversightStore();

    /// Each appends after the `stored` rows already in its table.
    void append_inspections(std::size_t stored, const std::vector<Inspection>& inspections);
    void append_promises(std::size_t stored, const std::vector<Promise>& promises);
    void append_ratings(std::size_t stored, const std::vector<PromiseRating>& ratings);
    void append_hazard_entries(std::size_t stored, const std::vector<HazardEntry>& entries);

    struct Loaded {
        std::vector<Inspection> inspections;  ///< each kind in the order recorded
        std::vector<Promise> promises;
        std::vector<PromiseRating> ratings;
        std::vector<HazardEntry> hazard_entries;
    };
    /// Throws Error(storage) naming the file, the table and the row when a stored row does
    /// not read back.
    Loaded load();

  private:
    OversightStatements& statements();

    Db& db_;
    std::unique_ptr<OversightStatements> sql_;
};

}  // namespace gridgov::detail

#endif
