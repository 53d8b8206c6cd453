// The assessment's side of a workspace file (src/store/assessment_store.cpp): activity
// records, stored scores with their explanations, rule flags and inspection draws (tables
// activity_* and assessment_* in migration 1).
#ifndef GRIDGOV_SRC_STORE_ASSESSMENT_STORE_HPP
#define GRIDGOV_SRC_STORE_ASSESSMENT_STORE_HPP

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/workspace.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

/// `parts` joined by `sep` ("a;b"), as list columns are stored.
std::string join_list(const std::vector<std::string>& parts, char sep);
/// The non-empty parts of `text` between `sep`s.
std::vector<std::string> split_list(std::string_view text, char sep);

/// The order of stored scores: scheme, subject code, then period (first day, then kind).
bool score_before(const ScoreResult& a, const ScoreResult& b);
/// Whether two scores are of the same scheme, subject and period (one replaces the other).
bool same_score(const ScoreResult& a, const ScoreResult& b);
/// The order of stored flags: scheme, subject, period, rule.
bool flag_before(const std::string& scheme_a, const RuleFlag& a, const std::string& scheme_b,
                 const RuleFlag& b);

struct AssessmentStatements;

/// The assessment's tables in a workspace file, over its connection; the statements are
/// prepared on first use. Every write runs inside the caller's transaction.
class AssessmentStore {
  public:
    explicit AssessmentStore(Db& db);
    AssessmentStore(const AssessmentStore&) = delete;
    AssessmentStore& operator=(const AssessmentStore&) = delete;
    ~AssessmentStore();

    /// Writes the records `after` holds beyond those of `before` (records are only
    /// appended).
    void write_activity_rows(const ActivityLog& before, const ActivityLog& after);
    /// Writes each result with its JSON and explanation, replacing a stored score of the
    /// same scheme, subject and period.
    void write_scores(const std::vector<ScoreResult>& results);
    /// Writes a flag of `scheme`, replacing one of the same rule, subject and period.
    void write_flag(const std::string& scheme, const RuleFlag& flag);
    /// Deletes the stored flag of `scheme` with the rule, subject and period of `flag`.
    void delete_flag(const std::string& scheme, const RuleFlag& flag);
    /// Writes a draw at `position` of the draws (draws are never replaced).
    void write_draw(std::size_t position, const std::string& label, const DrawRecord& record);

    /// What the file holds, in the order the face keeps it.
    struct Loaded {
        ActivityLog activities;
        std::vector<ScoreResult> scores;
        std::vector<RuleFlag> flags;  ///< with flag_schemes[i] the scheme of flags[i]
        std::vector<std::string> flag_schemes;
        std::vector<StoredDraw> draws;
    };
    /// Throws Error(storage) naming the file when a stored record does not read back.
    Loaded load();

  private:
    AssessmentStatements& statements();

    Db& db_;
    std::unique_ptr<AssessmentStatements> sql_;
};

}  // namespace gridgov::detail

#endif
