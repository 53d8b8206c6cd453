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
};

namespace detail {
/// Periods of `kind` in a year: 12, 4, 2 or 1.
int periods_per_year(PeriodKind kind);
/// The indicator keys a component reads (scale, formula, adjustments), without repeats.
std::vector<std::string> component_reads(const AssessmentScheme::Impl& scheme,
                                         std::size_t component);
}  // namespace detail

}  // namespace gridgov

#endif
