// Hazards (隐患): the hazards their entries and cases make, and the seed's four questions as
// indicators (docs/oversight.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gridgov/oversight.hpp"
#include "oversight/oversight_impl.hpp"

namespace gridgov {

bool operator==(const HazardEntry& a, const HazardEntry& b) {
    return a.id == b.id && a.case_number == b.case_number && a.at == b.at && a.person == b.person &&
           a.record == b.record && a.found_by == b.found_by && a.grade == b.grade &&
           a.deadline == b.deadline && a.progress == b.progress && a.evidence == b.evidence &&
           a.note == b.note;
}

const char* hazard_grade_name(HazardGrade g) noexcept {
    switch (g) {
        case HazardGrade::general:
            return "general";
        case HazardGrade::larger:
            return "larger";
        case HazardGrade::major:
            return "major";
    }
    return "general";
}

HazardGrade parse_hazard_grade(std::string_view text) {
    if (text == "general" || text == "一般")
        return HazardGrade::general;
    if (text == "larger" || text == "较大")
        return HazardGrade::larger;
    if (text == "major" || text == "重大")
        return HazardGrade::major;
    throw Error(ErrorCode::invalid_argument,
                "\"" + std::string(text) +
                    "\" is not a hazard grade (general, larger, major, 一般, 较大 or 重大)");
}

const char* hazard_status_name(HazardStatus s) noexcept {
    switch (s) {
        case HazardStatus::open:
            return "open";
        case HazardStatus::overdue:
            return "overdue";
        case HazardStatus::fixed_on_time:
            return "fixed_on_time";
        case HazardStatus::fixed_late:
            return "fixed_late";
        case HazardStatus::voided:
            return "voided";
    }
    return "open";
}

std::vector<Hazard> hazards_of(const std::vector<HazardEntry>& entries, const CaseEngine& engine,
                               const Hierarchy& hierarchy, Instant as_of) {
    std::vector<Hazard> out;
    std::map<std::string, std::size_t, std::less<>> index;
    std::vector<bool> breached;
    for (const HazardEntry& e : entries) {
        if (as_of < e.at)
            continue;
        auto it = index.find(e.case_number);
        if (it == index.end()) {
            const std::optional<CaseId> id = engine.find(e.case_number);
            if (!id) {
                throw Error(ErrorCode::not_found, "hazard entry " + e.id + ": case \"" +
                                                      e.case_number +
                                                      "\" is not a case of the engine");
            }
            const CaseRecord c = engine.get(*id);
            Hazard h;
            h.case_number = c.number;
            h.category = c.category;
            h.node = hierarchy.code(c.node);
            h.case_state = c.state;
            h.tier = c.tier;
            h.reported_at = c.reported_at;
            if (c.closed_at && *c.closed_at <= as_of) {
                h.closed_at = c.closed_at;
                h.status = c.kind == StateKind::voided ? HazardStatus::voided
                                                       : HazardStatus::fixed_on_time;
            }
            it = index.emplace(e.case_number, out.size()).first;
            out.push_back(std::move(h));
            breached.push_back(c.breached);
        }
        Hazard& h = out[it->second];
        h.entries.push_back(e.id);
        if (!e.record.empty())
            h.record = e.record;
        if (!e.found_by.empty())
            h.found_by = e.found_by;
        if (e.grade)
            h.grade = e.grade;
        if (e.deadline)
            h.deadline = e.deadline;
        if (e.progress)
            h.progress = *e.progress;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        Hazard& h = out[i];
        switch (h.status) {
            case HazardStatus::fixed_on_time:
                h.progress = 100;
                if (h.deadline ? h.deadline < h.closed_at->local_date() : breached[i])
                    h.status = HazardStatus::fixed_late;
                break;
            case HazardStatus::voided:
                break;
            default:
                h.status = h.deadline && *h.deadline < as_of.local_date() ? HazardStatus::overdue
                                                                          : HazardStatus::open;
        }
    }
    return out;
}

namespace {

IndicatorValue count_of(const std::vector<std::string>& ids) {
    return IndicatorValue::of(static_cast<double>(ids.size()), ids);
}

}  // namespace

IndicatorValues hazard_values(const std::vector<Hazard>& hazards, std::string_view subject,
                              const Networks& networks, const AssessmentPeriod& period) {
    detail::SubjectCover cover(subject, networks);
    const Period dates = period.dates();
    std::vector<std::string> found, general, larger, major, ungraded, fixed, on_time, overdue, open,
        due;
    double progress = 0;
    for (const Hazard& h : hazards) {
        if (h.status == HazardStatus::voided || !dates.contains(h.reported_at.local_date()) ||
            !(cover.is_place() ? cover.covers_base(h.node)
                               : !h.record.empty() && h.record == cover.subject()))
            continue;
        found.push_back(h.case_number);
        progress += h.progress;
        if (!h.grade)
            ungraded.push_back(h.case_number);
        else if (*h.grade == HazardGrade::general)
            general.push_back(h.case_number);
        else if (*h.grade == HazardGrade::larger)
            larger.push_back(h.case_number);
        else
            major.push_back(h.case_number);
        switch (h.status) {
            case HazardStatus::fixed_on_time:
                on_time.push_back(h.case_number);
                fixed.push_back(h.case_number);
                due.push_back(h.case_number);
                break;
            case HazardStatus::fixed_late:
                fixed.push_back(h.case_number);
                due.push_back(h.case_number);
                break;
            case HazardStatus::overdue:
                overdue.push_back(h.case_number);
                due.push_back(h.case_number);
                break;
            case HazardStatus::open:
                open.push_back(h.case_number);
                break;
            case HazardStatus::voided:
                break;
        }
    }
    IndicatorValues out;
    out["hazards"] = count_of(found);
    out["hazards_general"] = count_of(general);
    out["hazards_larger"] = count_of(larger);
    out["hazards_major"] = count_of(major);
    out["hazards_ungraded"] = count_of(ungraded);
    out["hazards_fixed"] = count_of(fixed);
    out["hazards_fixed_on_time"] = count_of(on_time);
    out["hazards_overdue"] = count_of(overdue);
    out["hazards_open"] = count_of(open);
    out["hazard_fix_rate"] = rate_percent(out["hazards_fixed"], out["hazards"], "hazards found");
    out["hazard_on_time_rate"] =
        rate_percent(out["hazards_fixed_on_time"], count_of(due), "hazards fixed or overdue");
    out["hazard_progress"] =
        found.empty() ? IndicatorValue::undefined("no hazard was found")
                      : IndicatorValue::of(progress / static_cast<double>(found.size()), found);
    return out;
}

}  // namespace gridgov
