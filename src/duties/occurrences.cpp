// Occurrences of duty schedules on the working calendar and the directory's posts, the
// fulfilments matched against them, their indicator values and findings (docs/duties.md).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "duties/duties_impl.hpp"
#include "gridgov/duties.hpp"

namespace gridgov {

namespace {

Date add_days(Date d, int n) {
    return Date{d.days + n};
}

/// The first day of the month `months` after the month of `d`.
Date month_start(Date d, int months = 0) {
    const int index = d.year() * 12 + static_cast<int>(d.month()) - 1 + months;
    return Date::from_ymd(index / 12, static_cast<unsigned>(index % 12 + 1), 1);
}

int months_of(Recurrence every) {
    switch (every) {
        case Recurrence::monthly:
            return 1;
        case Recurrence::quarterly:
            return 3;
        case Recurrence::half_yearly:
            return 6;
        case Recurrence::yearly:
            return 12;
        default:
            return 0;
    }
}

/// The first day of the occurrence period of `every` containing `d`.
Date period_start(Recurrence every, Date d) {
    switch (every) {
        case Recurrence::daily:
            return d;
        case Recurrence::weekly:
            return add_days(d, 1 - static_cast<int>(d.iso_weekday()));
        default: {
            const int span = months_of(every);
            const int month0 = static_cast<int>(d.month()) - 1;
            return Date::from_ymd(d.year(), static_cast<unsigned>(month0 - month0 % span + 1), 1);
        }
    }
}

/// The first day of the next occurrence period after the one starting at `start`.
Date period_next(Recurrence every, Date start) {
    switch (every) {
        case Recurrence::daily:
            return add_days(start, 1);
        case Recurrence::weekly:
            return add_days(start, 7);
        default:
            return month_start(start, months_of(every));
    }
}

std::string two(unsigned n) {
    return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

/// One place an occurrence is owed at, with the owner's roles held there.
struct Spot {
    Place place;
    std::vector<RoleId> roles;
};

}  // namespace

std::string occurrence_label(Recurrence every, Date d) {
    switch (every) {
        case Recurrence::daily:
            return d.to_string();
        case Recurrence::weekly: {
            // The ISO week's year is the year of its Thursday.
            const Date thursday = add_days(d, 4 - static_cast<int>(d.iso_weekday()));
            const int year = thursday.year();
            const Date jan1 = Date::from_ymd(year, 1, 1);
            const int week = (thursday.days - jan1.days) / 7 + 1;
            return std::to_string(year) + "-W" + two(static_cast<unsigned>(week));
        }
        case Recurrence::monthly:
            return std::to_string(d.year()) + "-" + two(d.month());
        case Recurrence::quarterly:
            return std::to_string(d.year()) + "-Q" + std::to_string((d.month() - 1) / 3 + 1);
        case Recurrence::half_yearly:
            return std::to_string(d.year()) + "-H" + std::to_string((d.month() - 1) / 6 + 1);
        case Recurrence::yearly:
            return std::to_string(d.year());
    }
    return {};
}

std::optional<Date> parse_occurrence_label(Recurrence every, std::string_view label) {
    // Digits only where the form has them; the date the form names, then a round trip.
    const auto number = [&](std::size_t from, std::size_t count) -> std::optional<int> {
        if (label.size() < from + count)
            return std::nullopt;
        int n = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (label[i] < '0' || label[i] > '9')
                return std::nullopt;
            n = n * 10 + (label[i] - '0');
        }
        return n;
    };
    const std::optional<int> year = number(0, 4);
    if (!year)
        return std::nullopt;
    std::optional<Date> start;
    try {
        switch (every) {
            case Recurrence::daily:
                start = Date::parse(label);
                break;
            case Recurrence::weekly: {
                const std::optional<int> week = number(6, 2);
                if (label.size() != 8 || label.substr(4, 2) != "-W" || !week || *week < 1)
                    return std::nullopt;
                // Week 1 holds January 4th.
                const Date jan4 = Date::from_ymd(*year, 1, 4);
                start = add_days(jan4, 1 - static_cast<int>(jan4.iso_weekday()) + 7 * (*week - 1));
                break;
            }
            case Recurrence::monthly: {
                const std::optional<int> month = number(5, 2);
                if (label.size() != 7 || label[4] != '-' || !month || *month < 1 || *month > 12)
                    return std::nullopt;
                start = Date::from_ymd(*year, static_cast<unsigned>(*month), 1);
                break;
            }
            case Recurrence::quarterly:
            case Recurrence::half_yearly: {
                const char letter = every == Recurrence::quarterly ? 'Q' : 'H';
                const int count = every == Recurrence::quarterly ? 4 : 2;
                const std::optional<int> n = number(6, 1);
                if (label.size() != 7 || label[4] != '-' || label[5] != letter || !n || *n < 1 ||
                    *n > count)
                    return std::nullopt;
                start =
                    Date::from_ymd(*year, static_cast<unsigned>((*n - 1) * (12 / count) + 1), 1);
                break;
            }
            case Recurrence::yearly:
                if (label.size() != 4)
                    return std::nullopt;
                start = Date::from_ymd(*year, 1, 1);
                break;
        }
    } catch (const Error&) {
        return std::nullopt;
    }
    if (!start || occurrence_label(every, *start) != label)
        return std::nullopt;
    return start;
}

std::vector<DutyOccurrence> duty_occurrences(const DutyCatalogue& catalogue,
                                             const std::vector<DutyFulfilment>& fulfilments,
                                             const Directory& directory, const Networks& networks,
                                             const WorkingCalendar& calendar,
                                             const AssessmentPeriod& period, Instant as_of) {
    const Period dates = period.dates();
    const Catalogue& roles = directory.catalogue();

    // Fulfilments by duty, label and place, in time order.
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<const DutyFulfilment*>>
        by_key;
    for (const DutyFulfilment& f : fulfilments) {
        const DutySchedule* s = catalogue.find(f.duty);
        if (s == nullptr)
            continue;
        const std::string label =
            f.occurrence.empty() ? occurrence_label(s->every, f.at.local_date()) : f.occurrence;
        by_key[{f.duty, label, f.place}].push_back(&f);
    }
    for (auto& [key, list] : by_key) {
        std::stable_sort(
            list.begin(), list.end(),
            [](const DutyFulfilment* a, const DutyFulfilment* b) { return a->at < b->at; });
    }

    std::vector<DutyOccurrence> out;
    for (const DutySchedule& s : catalogue.schedules) {
        // The places it is owed at: every live node of a level where an owner role is held,
        // in each network's pre-order.
        std::vector<Spot> spots;
        std::map<std::pair<std::string, NodeId>, std::size_t> spot_index;
        for (const RoleType* r : detail::owner_roles(roles, s.owner)) {
            if (!s.level.empty() && r->level != s.level)
                continue;
            if (!r->overlay.empty() && networks.find_overlay(r->overlay) == nullptr)
                continue;
            const Hierarchy& nodes = networks.nodes(r->overlay);
            const int level = nodes.levels().index_of(r->level);
            if (level < 0)
                continue;
            const RoleId role = *roles.find_role(r->code);
            for (const NodeId n : nodes.preorder()) {
                if (nodes.level(n) != level)
                    continue;
                const auto [it, added] = spot_index.try_emplace({r->overlay, n}, spots.size());
                if (added)
                    spots.push_back(Spot{Place{r->overlay, n}, {}});
                spots[it->second].roles.push_back(role);
            }
        }
        if (spots.empty())
            continue;

        // The due dates of the period: nominal dates of the occurrence periods around it,
        // shifted off rest days, kept when they fall inside it.
        struct Due {
            Date date;
            std::string label;
            bool assumed = false;
        };
        std::vector<Due> dues;
        for (Date start = period_start(s.every, add_days(dates.from, -31));
             start < add_days(dates.to, 31); start = period_next(s.every, start)) {
            const Date end = period_next(s.every, start);
            Date due = start;
            // A year without published data: the weekday rule, and the occurrence says so.
            bool assumed = false;
            const auto working = [&](Date d) {
                const DayInfo info = calendar.day(d);
                assumed = assumed || !info.published;
                return info.working;
            };
            if (s.every == Recurrence::daily) {
                if (!working(start))
                    continue;
            } else if (s.every == Recurrence::weekly) {
                if (s.weekday == 0) {
                    bool found = false;
                    for (Date d = add_days(end, -1); start <= d; d = add_days(d, -1)) {
                        if (working(d)) {
                            due = d;
                            found = true;
                            break;
                        }
                    }
                    if (!found)
                        continue;  // a week without a working day owes nothing
                } else {
                    due = add_days(start, static_cast<int>(s.weekday) - 1);
                }
            } else {
                const Date last_month = month_start(add_days(end, -1));
                const Date month_end = add_days(month_start(last_month, 1), -1);
                due = s.day == 0
                          ? month_end
                          : std::min(month_end, add_days(last_month, static_cast<int>(s.day) - 1));
            }
            if (s.shift != DueShift::none) {
                const int step = s.shift == DueShift::earlier ? -1 : 1;
                for (int guard = 0; guard < 60 && !working(due); ++guard)
                    due = add_days(due, step);
            }
            if (dates.contains(due))
                dues.push_back({due, occurrence_label(s.every, start), assumed});
        }

        for (const auto& [due_date, label, assumed] : dues) {
            const Instant due = Instant::from_local(due_date, s.minute);
            for (const Spot& spot : spots) {
                const std::string place = networks.code(spot.place);
                // Who holds the owner's roles at the place on the due date.
                std::vector<std::string> present_a, present_b, absent_a;
                for (const RosterEntry& e : directory.roster(spot.place, due_date)) {
                    if (e.node != spot.place.node ||
                        std::find(spot.roles.begin(), spot.roles.end(), e.role) == spot.roles.end())
                        continue;
                    if (e.post == Post::b && e.absence != 0)
                        continue;  // an absent backup owes nothing
                    std::vector<std::string>& list = e.post == Post::b ? present_b
                                                     : e.absence == 0  ? present_a
                                                                       : absent_a;
                    const std::string& id = directory.person(e.person).id;
                    if (std::find(list.begin(), list.end(), id) == list.end())
                        list.push_back(id);
                }
                std::vector<std::string> owed_by;
                if (s.per == DutyScope::person) {
                    owed_by = present_a;
                    owed_by.insert(owed_by.end(), absent_a.begin(), absent_a.end());
                } else if (!present_a.empty()) {
                    owed_by = {present_a.front()};
                } else if (!present_b.empty()) {
                    owed_by = {present_b.front()};
                } else if (!absent_a.empty()) {
                    owed_by = {absent_a.front()};
                }
                if (owed_by.empty())
                    owed_by.emplace_back();  // owed by nobody: duty.unheld
                const auto found = by_key.find({s.key, label, place});
                for (const std::string& person : owed_by) {
                    DutyOccurrence o;
                    o.duty = s.key;
                    o.label = label;
                    o.place = place;
                    o.person = person;
                    o.due_date = due_date;
                    o.due = due;
                    o.quota = s.quota;
                    o.assumed = assumed;
                    if (found != by_key.end()) {
                        for (const DutyFulfilment* f : found->second) {
                            if (as_of < f->at)
                                break;
                            if (s.per == DutyScope::person && f->person != person)
                                continue;
                            ++o.fulfilled;
                            if (f->at <= due)
                                ++o.on_time;
                            o.fulfilments.push_back(f->id);
                        }
                    }
                    if (o.on_time >= o.quota)
                        o.status = OccurrenceStatus::done_on_time;
                    else if (o.fulfilled >= o.quota)
                        o.status = OccurrenceStatus::done_late;
                    else if (due <= as_of)
                        o.status = OccurrenceStatus::missed;
                    else
                        o.status = OccurrenceStatus::open;
                    out.push_back(std::move(o));
                }
            }
        }
    }
    return out;
}

std::vector<DutyOccurrence> duty_occurrences_of(const std::vector<DutyOccurrence>& occurrences,
                                                std::string_view subject, const Networks& networks,
                                                const Directory& directory) {
    std::vector<DutyOccurrence> out;
    if (directory.find_person(subject)) {
        for (const DutyOccurrence& o : occurrences) {
            if (o.person == subject)
                out.push_back(o);
        }
        return out;
    }
    Place area;
    try {
        area = networks.place(subject);
    } catch (const Error&) {
        throw Error(ErrorCode::not_found, "duty occurrences: \"" + std::string(subject) +
                                              "\" is no person, node or overlay unit");
    }
    const Hierarchy& nodes = networks.nodes(area.overlay);
    for (const DutyOccurrence& o : occurrences) {
        const Place p = networks.place(o.place);
        if (p.overlay == area.overlay && nodes.is_ancestor(area.node, p.node))
            out.push_back(o);
    }
    return out;
}

IndicatorValues duty_values(const std::vector<DutyOccurrence>& occurrences) {
    std::vector<std::string> due, done, on_time, late, missed, open;
    double shortfall = 0;
    std::vector<std::string> short_sources;
    for (const DutyOccurrence& o : occurrences) {
        const std::string id = o.duty + "@" + o.label + "@" + o.place;
        due.push_back(id);
        switch (o.status) {
            case OccurrenceStatus::done_on_time:
                done.push_back(id);
                on_time.push_back(id);
                break;
            case OccurrenceStatus::done_late:
                done.push_back(id);
                late.push_back(id);
                break;
            case OccurrenceStatus::missed:
                missed.push_back(id);
                break;
            case OccurrenceStatus::open:
                open.push_back(id);
                break;
        }
        if (o.status != OccurrenceStatus::open && o.fulfilled < o.quota) {
            shortfall += o.quota - o.fulfilled;
            short_sources.push_back(id);
        }
    }
    IndicatorValues v;
    const auto count = [](const std::vector<std::string>& ids) {
        return IndicatorValue::of(static_cast<double>(ids.size()), ids);
    };
    v["duty_due"] = count(due);
    v["duty_done"] = count(done);
    v["duty_done_on_time"] = count(on_time);
    v["duty_done_late"] = count(late);
    v["duty_missed"] = count(missed);
    v["duty_open"] = count(open);
    const std::size_t settled = due.size() - open.size();
    v["duty_on_time_rate"] = settled == 0
                                 ? IndicatorValue::undefined("no occurrence is done or past due")
                                 : IndicatorValue::of(100.0 * static_cast<double>(on_time.size()) /
                                                          static_cast<double>(settled),
                                                      on_time);
    v["duty_shortfall"] = IndicatorValue::of(shortfall, short_sources);
    return v;
}

std::vector<Finding> duty_findings(const std::vector<DutyOccurrence>& occurrences) {
    std::vector<Finding> out;
    for (const DutyOccurrence& o : occurrences) {
        const std::string what =
            o.duty + " " + o.label + " at " + o.place + " due " + o.due.to_string();
        if (o.person.empty()) {
            out.push_back({"duty.unheld", Severity::warning, o.place,
                           what + ": nobody holds a post that owes it"});
        }
        if (o.status == OccurrenceStatus::missed) {
            out.push_back({"duty.missed", Severity::warning, o.place,
                           what + (o.person.empty() ? "" : " (" + o.person + ")") + ": " +
                               std::to_string(o.fulfilled) + " of " + std::to_string(o.quota) +
                               " fulfilled"});
        }
    }
    return out;
}

}  // namespace gridgov
