// The members of WorkflowMeasures in their JSON order, with what each names: shared by the
// JSON reader and writer (spec.cpp) and the validation (validate.cpp).
#ifndef GRIDGOV_SRC_WORKFLOW_MEASURES_HPP
#define GRIDGOV_SRC_WORKFLOW_MEASURES_HPP

#include <array>
#include <cstdint>
#include <string>

#include "gridgov/workflow.hpp"

namespace gridgov::detail::wf {

enum class MeasureKind : std::uint8_t { stage, counter, flag };

struct MeasureMember {
    const char* key;  ///< the JSON member, also the C++ member's name
    MeasureKind kind;
    std::string WorkflowMeasures::*member;
};

inline constexpr std::array<MeasureMember, 11> measure_members = {{
    {"intake", MeasureKind::stage, &WorkflowMeasures::intake},
    {"dispatch", MeasureKind::stage, &WorkflowMeasures::dispatch},
    {"handling", MeasureKind::stage, &WorkflowMeasures::handling},
    {"check", MeasureKind::stage, &WorkflowMeasures::check},
    {"rework", MeasureKind::counter, &WorkflowMeasures::rework},
    {"extensions", MeasureKind::counter, &WorkflowMeasures::extensions},
    {"returns", MeasureKind::counter, &WorkflowMeasures::returns},
    {"self_handled", MeasureKind::flag, &WorkflowMeasures::self_handled},
    {"supervised", MeasureKind::flag, &WorkflowMeasures::supervised},
    {"faked", MeasureKind::flag, &WorkflowMeasures::faked},
    {"refused", MeasureKind::flag, &WorkflowMeasures::refused},
}};

/// "stage", "counter", "flag".
inline const char* measure_kind_name(MeasureKind kind) {
    switch (kind) {
        case MeasureKind::stage:
            return "stage";
        case MeasureKind::counter:
            return "counter";
        case MeasureKind::flag:
            return "flag";
    }
    return "?";
}

}  // namespace gridgov::detail::wf

#endif
