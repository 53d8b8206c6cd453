// Shared between case_indicators.cpp and run.cpp: the per-case classification for a
// period and the sums a subject's values are made from.
#ifndef GRIDGOV_SRC_ASSESSMENT_CASE_INDICATORS_IMPL_HPP
#define GRIDGOV_SRC_ASSESSMENT_CASE_INDICATORS_IMPL_HPP

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/columns.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/indicators.hpp"

namespace gridgov::detail {

/// One bit per base count a case may count for.
enum CaseBit : int {
    b_received,
    b_filed,
    b_dispatched,
    b_to_dispatch,
    b_dispatched_on_time,
    b_dispatched_accurately,
    b_voided,
    b_public_reports,
    b_missed,
    b_area_filed,  // the denominator of missed_rate (for a person: filed in the given grids)
    b_staff_reports,
    b_valid_reports,
    b_to_verify,
    b_verified_on_time,
    b_to_check,
    b_checked_on_time,
    b_due,
    b_due_ex_deferred,
    b_closed,
    b_closed_on_time,
    b_rework,
    b_extended,
    b_deferred,
    b_supervised,
    b_to_handle,
    b_handled,
    b_handled_on_time,
    b_emergency_due,
    b_emergency_closed,
    b_emergency_closed_on_time,
    b_sent_back,
    b_failed_check_3x,
    b_faked,
    b_refused,
    b_referral_sent_back,
    b_referral_failed_check_3x,
    b_referral_faked,
    b_referral_refused,
    b_overtime,
    b_rated,
    b_handling_timed,  // closed with a handling clock: averaged by mean_handling_hours
    bit_count
};

enum SumIndex : int { sum_hours = 0, sum_overtime = 1, sum_rating = 2, sum_count = 3 };

/// What one case counts for in the period. The numbers are integers (handling clock
/// seconds, overtime multiple in millionths, rating points) so that sums over subtrees,
/// taken as differences of prefix sums, are exact.
struct Fact {
    std::uint64_t bits = 0;
    std::int64_t hours = 0;     // clock seconds
    std::int64_t overtime = 0;  // used / budget × 1e6, rounded
    std::int64_t rating = 0;
};
inline constexpr double overtime_scale = 1e6;

/// Sums over a subject's cases.
struct Counts {
    std::array<std::uint32_t, bit_count> n{};
    std::array<std::int64_t, sum_count> sum{};
    void add(const Fact& f);
};

/// Case numbers of the subject's cases with one bit set.
using SourceFn = std::function<std::vector<std::string>(int bit)>;

/// Selected definitions (every one for an empty list; unknown keys are skipped).
std::vector<const void*> select_defs(const std::vector<std::string>& keys);
bool known_key(std::string_view key);
/// The bit whose cases are the sources of a key (a rate: its numerator); -1 if unknown.
int source_bit(std::string_view key);
/// The values of the selected keys; `sources` null = values without sources.
IndicatorValues make_values(const Counts& c, const std::vector<const void*>& selected,
                            const SourceFn* sources);

struct SpecInfo {
    std::uint16_t handle = 0xFFFF;
    std::uint16_t dispatch = 0xFFFF;
    std::uint16_t intake = 0xFFFF;
    std::uint16_t check = 0xFFFF;
    int rework = -1;
    int extensions = -1;
    int returns = -1;
    std::uint32_t self_handled = 0;
    std::uint32_t supervised = 0;
    std::uint32_t faked = 0;
    std::uint32_t refused = 0;
    std::uint32_t kinds = 0;  // where the kinds of the workflow's states begin in `kinds_`
};

/// Classifies the cases of one engine for one period.
class Classifier {
  public:
    Classifier(const CaseEngine& engine, const AssessmentPeriod& period);
    std::size_t size() const;
    /// False (and `out` unspecified) when the case counts for nothing in the period.
    bool classify(CaseId id, Fact& out) const;
    /// Asks the processor to fetch what classify(id) reads (a pass over every case calls it
    /// some cases ahead: the columns are many streams, more than the prefetcher follows).
    void prefetch(CaseId id) const;
    /// The same for the case's clock slots and counters (their bases must be cached).
    void prefetch_clocks(CaseId id) const;
    /// False when the case surely counts for nothing (reported after the period or closed
    /// before it): classify() would return false. Reads two columns.
    bool may_count(CaseId id) const;
    NodeId node(CaseId id) const;
    std::uint32_t department(CaseId id) const;  ///< index; 0xFFFFFFFF = none
    std::uint32_t reporter(CaseId id) const;    ///< interned person; 0xFFFFFFFF = none
    std::string_view number(CaseId id) const;
    std::optional<std::uint32_t> person(std::string_view id) const;
    std::optional<std::uint32_t> department_index(std::string_view code) const;
    std::vector<std::string> department_codes() const;
    /// The hierarchy the engine's cases are located in.
    const Hierarchy& hierarchy() const;

  private:
    CaseColumns cols_;
    std::int64_t start_ = 0;
    std::int64_t end_ = 0;
    std::vector<SpecInfo> specs_;
    std::vector<StateKind> kinds_;      // of every workflow's states, workflow after workflow
    std::vector<std::uint8_t> urgent_;  // by category index
};

}  // namespace gridgov::detail

#endif
