// The names of the assessment module's enums, as io/enum_names.hpp tables: read by its own
// files and by the workspace's activity store.
#ifndef GRIDGOV_SRC_ASSESSMENT_NAMES_IMPL_HPP
#define GRIDGOV_SRC_ASSESSMENT_NAMES_IMPL_HPP

#include "gridgov/assessment.hpp"
#include "gridgov/indicators.hpp"
#include "io/enum_names.hpp"

namespace gridgov::detail {

inline constexpr EnumName<PeriodKind> period_kind_names[] = {
    {PeriodKind::month, "month"},
    {PeriodKind::quarter, "quarter"},
    {PeriodKind::half_year, "half_year"},
    {PeriodKind::year, "year"},
};

inline constexpr EnumName<ScaleKind> scale_kind_names[] = {
    {ScaleKind::linear, "linear"},
    {ScaleKind::steps, "steps"},
    {ScaleKind::formula, "formula"},
    {ScaleKind::constant, "constant"},
};

inline constexpr EnumName<UndefinedPolicy> undefined_policy_names[] = {
    {UndefinedPolicy::exclude, "exclude"},
    {UndefinedPolicy::points, "points"},
    {UndefinedPolicy::fail, "fail"},
};

inline constexpr EnumName<ComponentStatus> component_status_names[] = {
    {ComponentStatus::scored, "scored"},
    {ComponentStatus::undefined_points, "undefined_points"},
    {ComponentStatus::excluded, "excluded"},
    {ComponentStatus::undefined, "undefined"},
};

inline constexpr EnumName<HouseholdClass> household_class_names[] = {
    {HouseholdClass::ordinary, "ordinary"},
    {HouseholdClass::special, "special"},
};

inline constexpr EnumName<VisitKind> visit_kind_names[] = {
    {VisitKind::home, "home"},
    {VisitKind::phone, "phone"},
};

inline constexpr EnumName<IndicatorSubjectKind> indicator_subject_kind_names[] = {
    {IndicatorSubjectKind::node, "node"},
    {IndicatorSubjectKind::department, "department"},
    {IndicatorSubjectKind::person, "person"},
    {IndicatorSubjectKind::unit, "unit"},
};

}  // namespace gridgov::detail

#endif
