// Activity records of grid work and the indicators drawn from them.
#include <algorithm>
#include <map>
#include <string>

#include "assessment/names_impl.hpp"
#include "core/text.hpp"
#include "gridgov/assessment.hpp"

namespace gridgov {

const char* household_class_name(HouseholdClass cls) noexcept {
    return detail::enum_name(detail::household_class_names, cls, "special");
}

const char* visit_kind_name(VisitKind kind) noexcept {
    return detail::enum_name(detail::visit_kind_names, kind, "phone");
}

HouseholdClass parse_household_class(std::string_view text) {
    return detail::parse_enum(detail::household_class_names, text, "household class");
}

VisitKind parse_visit_kind(std::string_view text) {
    return detail::parse_enum(detail::visit_kind_names, text, "visit kind");
}

std::vector<VisitRule> default_visit_rules() {
    return {{HouseholdClass::ordinary, VisitKind::home, PeriodKind::half_year},
            {HouseholdClass::ordinary, VisitKind::phone, PeriodKind::quarter},
            {HouseholdClass::special, VisitKind::home, PeriodKind::quarter},
            {HouseholdClass::special, VisitKind::phone, PeriodKind::month}};
}

ActivityLog::ActivityLog(std::vector<VisitRule> rules) : rules_(std::move(rules)) {}

namespace {

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

std::vector<Date> working_days(const AssessmentPeriod& period, const WorkingCalendar& calendar) {
    std::vector<Date> days;
    Period p = period.dates();
    for (Date d = p.from; d < p.to; d = Date{d.days + 1})
        if (calendar.is_working_day(d))
            days.push_back(d);
    return days;
}

// Room for one more element, growing geometrically, so that the push_back that follows
// cannot throw and leave the indexes out of step with the records.
template <typename T>
void reserve_one(std::vector<T>& v) {
    if (v.size() == v.capacity())
        v.reserve(v.capacity() < 8 ? 8 : 2 * v.capacity());
}

// Ids, codes and names in activity records are one line of UTF-8 without control
// characters (detail::check_text); `what` and `id` name the record.
void check_line(const char* what, const std::string& id, const char* field,
                const std::string& text) {
    if (const auto problem = detail::text_problem(text, detail::TextKind::line)) {
        const std::string record =
            std::string(what) + (field == std::string_view("id") ? "" : " " + quoted(id));
        throw Error(ErrorCode::invalid_argument, record + ": field " + field + ": " + *problem);
    }
}

bool in_grids(const std::vector<std::string>& grids, const std::string& grid) {
    return std::find(grids.begin(), grids.end(), grid) != grids.end();
}

}  // namespace

void ActivityLog::add(const Household& household) {
    check_line("household", household.id, "id", household.id);
    check_line("household", household.id, "grid", household.grid);
    for (const std::string& c : household.categories)
        check_line("household", household.id, "categories", c);
    if (household.id.empty())
        throw Error(ErrorCode::invalid_argument, "household: id is empty");
    if (ids_.count(household.id))
        throw Error(ErrorCode::already_exists,
                    "household " + quoted(household.id) + ": id already used");
    reserve_one(households_);
    reserve_one(visits_of_);
    std::vector<std::size_t>& of_grid = households_of_grid_[household.grid];
    reserve_one(of_grid);
    ids_.insert(household.id);
    household_index_.emplace(household.id, households_.size());
    of_grid.push_back(households_.size());
    visits_of_.emplace_back();
    households_.push_back(household);
}

void ActivityLog::add(const Visit& visit) {
    check_line("visit", visit.id, "id", visit.id);
    check_line("visit", visit.id, "household", visit.household);
    check_line("visit", visit.id, "person", visit.person);
    if (ids_.count(visit.id))
        throw Error(ErrorCode::already_exists, "visit " + quoted(visit.id) + ": id already used");
    if (!household_index_.count(visit.household))
        throw Error(ErrorCode::not_found, "visit " + quoted(visit.id) +
                                              ": field household: unknown household " +
                                              quoted(visit.household));
    std::vector<std::size_t>& of_household = visits_of_[household_index_.at(visit.household)];
    reserve_one(visits_);
    reserve_one(of_household);
    ids_.insert(visit.id);
    of_household.push_back(visits_.size());
    visits_.push_back(visit);
}

void ActivityLog::add(const Patrol& patrol) {
    check_line("patrol", patrol.id, "id", patrol.id);
    check_line("patrol", patrol.id, "person", patrol.person);
    check_line("patrol", patrol.id, "grid", patrol.grid);
    if (ids_.count(patrol.id))
        throw Error(ErrorCode::already_exists, "patrol " + quoted(patrol.id) + ": id already used");
    if (patrol.end < patrol.start)
        throw Error(ErrorCode::invalid_argument, "patrol " + quoted(patrol.id) + ": field end " +
                                                     patrol.end.to_string() + " is before start " +
                                                     patrol.start.to_string());
    ids_.insert(patrol.id);
    patrols_.push_back(patrol);
}

void ActivityLog::add(const CollectionCheck& check) {
    check_line("collection check", check.id, "id", check.id);
    check_line("collection check", check.id, "grid", check.grid);
    if (ids_.count(check.id))
        throw Error(ErrorCode::already_exists,
                    "collection check " + quoted(check.id) + ": id already used");
    if (check.month.kind != PeriodKind::month)
        throw Error(ErrorCode::invalid_argument, "collection check " + quoted(check.id) +
                                                     ": field month: " + check.month.label() +
                                                     " is not a month");
    if (check.checked < 0 || check.not_collected < 0 || check.not_deregistered < 0 ||
        check.erroneous < 0 || check.not_collected > check.checked)
        throw Error(ErrorCode::invalid_argument,
                    "collection check " + quoted(check.id) +
                        ": counts must be non-negative and not_collected at most checked");
    ids_.insert(check.id);
    checks_.push_back(check);
}

void ActivityLog::add(const Attendance& attendance) {
    check_line("attendance", attendance.id, "id", attendance.id);
    check_line("attendance", attendance.id, "person", attendance.person);
    if (ids_.count(attendance.id))
        throw Error(ErrorCode::already_exists,
                    "attendance " + quoted(attendance.id) + ": id already used");
    ids_.insert(attendance.id);
    attendance_.push_back(attendance);
}

void ActivityLog::add(const SpecialTask& task) {
    check_line("special task", task.id, "id", task.id);
    check_line("special task", task.id, "person", task.person);
    if (ids_.count(task.id))
        throw Error(ErrorCode::already_exists,
                    "special task " + quoted(task.id) + ": id already used");
    ids_.insert(task.id);
    tasks_.push_back(task);
}

void ActivityLog::add(const ManualRating& rating) {
    check_line("rating", rating.id, "id", rating.id);
    check_line("rating", rating.id, "subject", rating.subject);
    check_line("rating", rating.id, "rater", rating.rater);
    if (ids_.count(rating.id))
        throw Error(ErrorCode::already_exists, "rating " + quoted(rating.id) + ": id already used");
    ids_.insert(rating.id);
    ratings_.push_back(rating);
}

IndicatorValue ActivityLog::patrol_compliance(std::string_view person,
                                              const AssessmentPeriod& period,
                                              const WorkingCalendar& calendar,
                                              const PatrolRule& rule) const {
    std::vector<Date> days = working_days(period, calendar);
    if (days.empty())
        return IndicatorValue::undefined("no working day in " + period.label());
    Period p = period.dates();
    std::map<std::int32_t, std::vector<std::string>> by_day;
    for (const auto& patrol : patrols_) {
        if (patrol.person != person)
            continue;
        Date d = patrol.start.local_date();
        if (!p.contains(d) ||
            patrol.end.seconds - patrol.start.seconds < std::int64_t{rule.min_minutes} * 60)
            continue;
        by_day[d.days].push_back(patrol.id);
    }
    std::size_t met = 0;
    std::vector<std::string> sources;
    for (Date d : days) {
        auto it = by_day.find(d.days);
        if (it == by_day.end())
            continue;
        if (static_cast<int>(it->second.size()) >= rule.per_day)
            ++met;
        sources.insert(sources.end(), it->second.begin(), it->second.end());
    }
    return IndicatorValue::of(100.0 * static_cast<double>(met) / static_cast<double>(days.size()),
                              sources);
}

IndicatorValue ActivityLog::visit_compliance(const std::vector<std::string>& grids,
                                             const AssessmentPeriod& period,
                                             std::optional<HouseholdClass> cls) const {
    Period p = period.dates();
    std::size_t windows = 0;
    std::size_t met = 0;
    std::vector<std::string> sources;
    // The households of the grids, in the order they were added.
    std::vector<std::size_t> households;
    for (const std::string& grid : grids) {
        auto it = households_of_grid_.find(grid);
        if (it != households_of_grid_.end())
            households.insert(households.end(), it->second.begin(), it->second.end());
    }
    std::sort(households.begin(), households.end());
    households.erase(std::unique(households.begin(), households.end()), households.end());
    for (const auto& rule : rules_) {
        if (cls && rule.cls != *cls)
            continue;
        // The windows of the rule's kind that end inside the period.
        std::vector<Period> ends;
        for (AssessmentPeriod w = AssessmentPeriod::containing(rule.every, p.from);; w = w.next()) {
            Period wd = w.dates();
            if (wd.to > p.to)
                break;
            if (wd.to > p.from)
                ends.push_back(wd);
        }
        for (std::size_t hi : households) {
            if (households_[hi].cls != rule.cls)
                continue;
            for (const auto& wd : ends) {
                ++windows;
                for (std::size_t vi : visits_of_[hi]) {
                    const Visit& v = visits_[vi];
                    if (v.kind == rule.kind && wd.contains(v.date)) {
                        ++met;
                        sources.push_back(v.id);
                        break;
                    }
                }
            }
        }
    }
    if (windows == 0)
        return IndicatorValue::undefined("no visit window ends in " + period.label());
    return IndicatorValue::of(100.0 * static_cast<double>(met) / static_cast<double>(windows),
                              sources);
}

IndicatorValue ActivityLog::collection_rate(const std::vector<std::string>& grids,
                                            const AssessmentPeriod& period) const {
    std::int64_t checked = 0;
    std::int64_t missing = 0;
    std::vector<std::string> sources;
    for (const auto& c : checks_) {
        if (!in_grids(grids, c.grid) || !c.month.within(period))
            continue;
        checked += c.checked;
        missing += c.not_collected;
        sources.push_back(c.id);
    }
    if (checked == 0)
        return IndicatorValue::undefined("nobody was checked in " + period.label(), sources);
    return IndicatorValue::of(
        100.0 * static_cast<double>(checked - missing) / static_cast<double>(checked), sources);
}

IndicatorValue ActivityLog::attendance_rate(std::string_view person, const AssessmentPeriod& period,
                                            const WorkingCalendar& calendar) const {
    std::vector<Date> days = working_days(period, calendar);
    if (days.empty())
        return IndicatorValue::undefined("no working day in " + period.label());
    std::vector<std::string> sources;
    std::set<std::int32_t> present;
    for (const auto& a : attendance_) {
        if (a.person != person || !std::binary_search(days.begin(), days.end(), a.date))
            continue;
        if (present.insert(a.date.days).second)
            sources.push_back(a.id);
    }
    return IndicatorValue::of(
        100.0 * static_cast<double>(present.size()) / static_cast<double>(days.size()), sources);
}

IndicatorValue ActivityLog::tasks_assigned(std::string_view person,
                                           const AssessmentPeriod& period) const {
    Period p = period.dates();
    std::vector<std::string> sources;
    for (const auto& t : tasks_)
        if (t.person == person && p.contains(t.due))
            sources.push_back(t.id);
    return IndicatorValue::of(static_cast<double>(sources.size()), sources);
}

IndicatorValue ActivityLog::tasks_done(std::string_view person,
                                       const AssessmentPeriod& period) const {
    Period p = period.dates();
    std::vector<std::string> sources;
    for (const auto& t : tasks_)
        if (t.person == person && p.contains(t.due) && t.done && *t.done <= t.due)
            sources.push_back(t.id);
    return IndicatorValue::of(static_cast<double>(sources.size()), sources);
}

IndicatorValue ActivityLog::mean_rating(std::string_view subject,
                                        const AssessmentPeriod& period) const {
    double sum = 0;
    std::vector<std::string> sources;
    for (const auto& r : ratings_) {
        if (r.subject == subject && r.period == period) {
            sum += r.points;
            sources.push_back(r.id);
        }
    }
    if (sources.empty())
        return IndicatorValue::undefined("no rating for " + std::string(subject) + " in " +
                                         period.label());
    return IndicatorValue::of(sum / static_cast<double>(sources.size()), sources);
}

IndicatorValues ActivityLog::grid_worker_indicators(std::string_view person,
                                                    const std::vector<std::string>& grids,
                                                    const AssessmentPeriod& period,
                                                    const WorkingCalendar& calendar,
                                                    const PatrolRule& rule) const {
    return {{"attendance_rate", attendance_rate(person, period, calendar)},
            {"patrol_compliance", patrol_compliance(person, period, calendar, rule)},
            {"collection_rate", collection_rate(grids, period)},
            {"visit_compliance", visit_compliance(grids, period)},
            {"tasks_done", tasks_done(person, period)},
            {"tasks_assigned", tasks_assigned(person, period)},
            {"community_rating", mean_rating(person, period)}};
}

}  // namespace gridgov
