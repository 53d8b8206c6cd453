// The journal: one row per committed change of any module (src/store/journal_store.cpp).
#ifndef GRIDGOV_SRC_STORE_JOURNAL_STORE_HPP
#define GRIDGOV_SRC_STORE_JOURNAL_STORE_HPP

#include <cstdint>
#include <optional>
#include <string_view>

#include "gridgov/cases.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

/// The module whose state a journal entry changed.
enum class JournalModule {
    hierarchy,
    directory,
    cases,
    case_config,
    assessment,
    records,
    duties,
    oversight
};

/// What the entries after a sequence changed, module by module.
struct JournalSince {
    std::int64_t head = 0;  ///< the last sequence in the journal
    bool hierarchy = false;
    bool directory = false;
    bool cases = false;
    bool case_config = false;
    bool assessment = false;
    bool records = false;
    bool duties = false;
    bool oversight = false;
    bool any() const {
        return hierarchy || directory || cases || case_config || assessment || records || duties ||
               oversight;
    }
};

/// The journal table over a connection; statements are prepared on first use.
class JournalStore {
  public:
    explicit JournalStore(Db& db) : db_(db) {}

    /// Appends an entry inside the caller's transaction and returns its sequence.
    /// `events` is the range of case log sequences the change appended, if any.
    std::int64_t append(JournalModule module, std::string_view change,
                        std::optional<std::pair<EventSeq, EventSeq>> events = std::nullopt);
    /// What the entries after `seq` changed, and the journal's head.
    JournalSince since(std::int64_t seq);
    /// The last sequence in the journal, 0 when it is empty.
    std::int64_t head();

  private:
    Db& db_;
    std::optional<Statement> append_;
    std::optional<Statement> since_;
};

}  // namespace gridgov::detail

#endif
