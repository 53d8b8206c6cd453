// The duties' side of a workspace file (src/store/duties_store.cpp): the duty catalogue
// and the fulfilments recorded (tables duty_* in migration 13).
#ifndef GRIDGOV_SRC_STORE_DUTIES_STORE_HPP
#define GRIDGOV_SRC_STORE_DUTIES_STORE_HPP

#include <memory>
#include <vector>

#include "gridgov/duties.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

struct DutiesStatements;

/// The duties' tables in a workspace file, over its connection; the statements are
/// prepared on first use. Every write runs inside the caller's transaction.
class DutiesStore {
  public:
    explicit DutiesStore(Db& db);
    DutiesStore(const DutiesStore&) = delete;
    DutiesStore& operator=(const DutiesStore&) = delete;
    ~DutiesStore();

    /// Writes the catalogue, replacing the one stored.
    void write_catalogue(const DutyCatalogue& catalogue);
    /// Appends `fulfilments` after the `stored` ones already in the file.
    void append_fulfilments(std::size_t stored, const std::vector<DutyFulfilment>& fulfilments);

    struct Loaded {
        DutyCatalogue catalogue;
        std::vector<DutyFulfilment> fulfilments;  ///< in the order recorded
    };
    /// Throws Error(storage) naming the file when a stored row does not read back.
    Loaded load();

  private:
    DutiesStatements& statements();

    Db& db_;
    std::unique_ptr<DutiesStatements> sql_;
};

}  // namespace gridgov::detail

#endif
