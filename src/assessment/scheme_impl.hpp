// Private state of AssessmentScheme.
#ifndef GRIDGOV_SRC_ASSESSMENT_SCHEME_IMPL_HPP
#define GRIDGOV_SRC_ASSESSMENT_SCHEME_IMPL_HPP

#include <string>
#include <vector>

#include "gridgov/assessment.hpp"

namespace gridgov {

struct AssessmentScheme::Impl {
    std::string key;
    std::string label;
    int version = 1;
    PeriodKind period = PeriodKind::month;
    double max_total = 100;
    std::vector<IndicatorSpec> indicators;
    std::vector<ComponentSpec> components;
    /// Per component: the formula's variables (indicator keys), in first-use order.
    std::vector<std::vector<std::string>> formula_vars;
    UndefinedPolicy when_undefined = UndefinedPolicy::exclude;
    std::vector<ItemAdjustment> total_deductions;
    std::vector<ItemAdjustment> total_bonuses;
    std::vector<GradeBand> grades;
    std::vector<AggregationSpec> aggregations;
    std::vector<ConsecutiveRule> rules;
    std::vector<Finding> warnings;
    std::string json;

    // Filled by detail::prepare() once the scheme is valid, so that score() neither
    // lists a component's reads nor formats its notes for every subject.
    struct Read {
        std::string key;
        bool last = false;  ///< no later component and no scheme-level adjustment reads it
    };
    /// Per component: component_reads() with the last-reader marks.
    std::vector<std::vector<Read>> reads;
    /// Per component: the note of a linear or constant scale ("" for the others).
    std::vector<std::string> scale_notes;
    /// Per component, per step table, per row: the note of a steps scale's row.
    std::vector<std::vector<std::vector<std::string>>> step_notes;
};

namespace detail {
/// Periods of `kind` in a year: 12, 4, 2 or 1.
int periods_per_year(PeriodKind kind);
/// The indicator keys a component reads (scale, formula, adjustments), without repeats.
std::vector<std::string> component_reads(const AssessmentScheme::Impl& scheme,
                                         std::size_t component);
/// Fills the reads and notes of a valid scheme.
void prepare(AssessmentScheme::Impl& scheme);
/// score() of values the caller hands over: a value that nothing after the component
/// reading it needs is moved into the result rather than copied (`values` is left with
/// what remains). The result is the one score() gives for the same input.
ScoreResult score_owned(const AssessmentScheme& scheme, AssessmentSubject subject,
                        const AssessmentPeriod& period, IndicatorValues& values);

/// The scheme's private state, for the assessment module's own files.
struct AssessmentSchemeAccess {
    static const AssessmentScheme::Impl& impl(const AssessmentScheme& scheme) {
        return *scheme.impl_;
    }
};
}  // namespace detail

}  // namespace gridgov

#endif
