// Inspections: the tasks of a draw and the indicators of what the inspections found
// (docs/oversight.md).
#include <map>
#include <string>
#include <vector>

#include "gridgov/oversight.hpp"
#include "oversight/oversight_impl.hpp"

namespace gridgov {

bool operator==(const InspectionFinding& a, const InspectionFinding& b) {
    return a.item == b.item && a.deduction == b.deduction && a.charged_to == b.charged_to &&
           a.evidence == b.evidence && a.note == b.note;
}

bool operator==(const Inspection& a, const Inspection& b) {
    return a.id == b.id && a.draw == b.draw && a.subject == b.subject && a.at == b.at &&
           a.inspectors == b.inspectors && a.findings == b.findings && a.note == b.note;
}

std::vector<InspectionTask> inspection_tasks(std::string_view label, const DrawRecord& draw,
                                             const std::vector<Inspection>& inspections) {
    std::vector<InspectionTask> tasks;
    tasks.reserve(draw.picks.size());
    std::map<std::string, std::size_t, std::less<>> by_subject;
    for (std::size_t i = 0; i < draw.picks.size(); ++i) {
        InspectionTask t;
        t.draw = std::string(label);
        t.pick = i;
        t.subject = draw.picks[i];
        by_subject.emplace(t.subject, i);
        tasks.push_back(std::move(t));
    }
    for (const Inspection& in : inspections) {
        if (in.draw != label)
            continue;
        const auto it = by_subject.find(in.subject);
        if (it == by_subject.end())
            continue;
        InspectionTask& t = tasks[it->second];
        t.inspections.push_back(in.id);
        t.findings += in.findings.size();
        for (const InspectionFinding& f : in.findings)
            t.deduction += f.deduction;
    }
    return tasks;
}

IndicatorValues inspection_values(const std::vector<Inspection>& inspections,
                                  std::string_view subject, const Networks& networks,
                                  const AssessmentPeriod& period) {
    detail::SubjectCover cover(subject, networks);
    const Period dates = period.dates();
    std::vector<std::string> inspected, clean, found;
    double deduction = 0;
    for (const Inspection& in : inspections) {
        if (!dates.contains(in.at.local_date()))
            continue;
        if (cover.covers(in.subject)) {
            inspected.push_back(in.id);
            if (in.findings.empty())
                clean.push_back(in.id);
        }
        for (std::size_t k = 0; k < in.findings.size(); ++k) {
            const InspectionFinding& f = in.findings[k];
            if (cover.covers(f.charged_to.empty() ? in.subject : f.charged_to)) {
                found.push_back(in.id + "#" + std::to_string(k + 1));
                deduction += f.deduction;
            }
        }
    }
    IndicatorValues out;
    out["inspections"] = IndicatorValue::of(static_cast<double>(inspected.size()), inspected);
    out["inspection_clean"] = IndicatorValue::of(static_cast<double>(clean.size()), clean);
    out["inspection_findings"] = IndicatorValue::of(static_cast<double>(found.size()), found);
    out["inspection_deduction"] = IndicatorValue::of(deduction, std::move(found));
    return out;
}

}  // namespace gridgov
