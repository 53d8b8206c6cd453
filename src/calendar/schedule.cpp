// Working hours, seasons, schedules and time limits: the value types of the calendar.
#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "gridgov/calendar.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"

namespace gridgov {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorCode::invalid_argument, message);
}

json parse_json(std::string_view text, const char* what) {
    return detail::parse_json_document<json>(text, what);
}

std::string hhmm(int minute) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
    return buf;
}

std::string period_text(const WorkingPeriod& p) {
    return hhmm(p.start_minute) + "-" + hhmm(p.end_minute);
}

// "HH:MM" with 00:00 <= time <= 24:00; -1 when the text is not such a time.
int parse_hhmm(std::string_view s) {
    if (s.size() != 5 || s[2] != ':')
        return -1;
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    return h * 60 + m;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

WorkingPeriod parse_period(std::string_view text) {
    const std::string_view t = trim(text);
    for (std::string_view sep : {std::string_view("-"), std::string_view("~"),
                                 std::string_view("\xE2\x80\x93")}) {  // en dash
        const std::size_t at = t.find(sep);
        if (at == std::string_view::npos)
            continue;
        const int a = parse_hhmm(trim(t.substr(0, at)));
        const int b = parse_hhmm(trim(t.substr(at + sep.size())));
        if (a >= 0 && b >= 0)
            return WorkingPeriod{a, b};
        break;
    }
    invalid("not a working period (expected HH:MM-HH:MM): \"" + std::string(text) + "\"");
}

constexpr bool leap_tolerant_day_ok(unsigned month, unsigned day) {
    constexpr unsigned last[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month >= 1 && month <= 12 && day >= 1 && day <= last[month - 1];
}

unsigned key_of(MonthDay md) {
    return md.month * 100 + md.day;
}

// The member "hours" of `object`, an array of "HH:MM-HH:MM".
WorkingHours hours_from_json(const json& object, const std::string& where) {
    const std::vector<std::string> texts = detail::json_strings(object, "hours", where);
    try {
        std::vector<WorkingPeriod> periods;
        for (const std::string& text : texts)
            periods.push_back(parse_period(text));
        return WorkingHours(std::move(periods));
    } catch (const Error& e) {
        detail::field_error(ErrorCode::invalid_argument, where, "hours", e.what());
    }
}

json hours_to_json(const WorkingHours& h) {
    json out = json::array();
    for (const WorkingPeriod& p : h.periods())
        out.push_back(period_text(p));
    return out;
}

// Seconds per unit; a working day counts as a whole natural day for the size check only.
std::int64_t unit_seconds(TimeUnit unit) {
    switch (unit) {
        case TimeUnit::natural_minutes:
        case TimeUnit::working_minutes:
            return 60;
        case TimeUnit::natural_hours:
        case TimeUnit::working_hours:
            return 3600;
        case TimeUnit::natural_days:
        case TimeUnit::working_days:
            return 86400;
    }
    return 0;
}

}  // namespace

// ---- WorkingHours --------------------------------------------------------------------

WorkingHours::WorkingHours() : periods_{{8 * 60 + 30, 12 * 60}, {14 * 60, 17 * 60 + 30}} {}

WorkingHours::WorkingHours(std::vector<WorkingPeriod> periods) : periods_(std::move(periods)) {
    if (periods_.empty())
        invalid("working hours need at least one working period");
    int previous_end = 0;
    for (const WorkingPeriod& p : periods_) {
        if (p.start_minute < 0 || p.end_minute > 24 * 60 || p.start_minute >= p.end_minute) {
            invalid("working period " + std::to_string(p.start_minute) + "-" +
                    std::to_string(p.end_minute) +
                    " (minutes of the day) must be non-empty and within 00:00-24:00");
        }
        if (p.start_minute < previous_end) {
            invalid("working period " + period_text(p) +
                    " overlaps or precedes the period before it");
        }
        previous_end = p.end_minute;
    }
}

WorkingHours WorkingHours::parse(std::string_view text) {
    std::vector<WorkingPeriod> periods;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = text.find(',', pos);
        const std::string_view part = text.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        periods.push_back(parse_period(part));
        if (comma == std::string_view::npos)
            break;
        pos = comma + 1;
    }
    return WorkingHours(std::move(periods));
}

int WorkingHours::minutes() const {
    int total = 0;
    for (const WorkingPeriod& p : periods_)
        total += p.end_minute - p.start_minute;
    return total;
}

std::string WorkingHours::to_string() const {
    std::string out;
    for (const WorkingPeriod& p : periods_) {
        if (!out.empty())
            out += ',';
        out += period_text(p);
    }
    return out;
}

// ---- MonthDay, Season, WorkingSchedule -------------------------------------------------

MonthDay MonthDay::parse(std::string_view text) {
    const bool digits = text.size() == 5 && text[2] == '-' && text[0] >= '0' && text[0] <= '9' &&
                        text[1] >= '0' && text[1] <= '9' && text[3] >= '0' && text[3] <= '9' &&
                        text[4] >= '0' && text[4] <= '9';
    const unsigned m = digits ? static_cast<unsigned>((text[0] - '0') * 10 + (text[1] - '0')) : 0;
    const unsigned d = digits ? static_cast<unsigned>((text[3] - '0') * 10 + (text[4] - '0')) : 0;
    if (!leap_tolerant_day_ok(m, d)) {
        invalid("not a day of the year (expected MM-DD): \"" + std::string(text) + "\"");
    }
    return MonthDay{m, d};
}

std::string MonthDay::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u-%02u", month, day);
    return buf;
}

bool Season::contains(Date d) const {
    const unsigned k = d.month() * 100 + d.day();
    const unsigned f = key_of(from);
    const unsigned u = key_of(until);
    return f < u ? (f <= k && k < u) : (k >= f || k < u);
}

WorkingSchedule::WorkingSchedule(WorkingHours standard, std::vector<Season> seasons)
    : standard_(std::move(standard)), seasons_(std::move(seasons)) {
    // The compiled day table keeps the hours index in one byte.
    if (seasons_.size() > 200)
        invalid("a schedule may have at most 200 seasons");
    for (const Season& s : seasons_) {
        if (!leap_tolerant_day_ok(s.from.month, s.from.day) ||
            !leap_tolerant_day_ok(s.until.month, s.until.day)) {
            invalid("season \"" + s.name + "\": " + s.from.to_string() + ".." +
                    s.until.to_string() + " is not a range of days of the year");
        }
        if (s.from == s.until) {
            invalid("season \"" + s.name + "\" starts and ends on " + s.from.to_string() +
                    "; a season covering the whole year is the standard hours");
        }
    }
}

const WorkingHours& WorkingSchedule::hours_on(Date d) const {
    for (const Season& s : seasons_) {
        if (s.contains(d))
            return s.hours;
    }
    return standard_;
}

WorkingSchedule WorkingSchedule::from_json(std::string_view text) {
    const json doc = parse_json(text, "schedule");
    if (!doc.is_object())
        invalid("schedule: must be a JSON object {hours, seasons}");
    WorkingHours standard;
    if (detail::json_member(doc, "hours") != nullptr)
        standard = hours_from_json(doc, "schedule");
    std::vector<Season> seasons;
    if (const json* list = detail::json_array(doc, "seasons", "schedule")) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& s = (*list)[i];
            const std::string where = "schedule seasons[" + std::to_string(i) + "]";
            detail::json_require_object(s, where);
            Season season;
            season.name = detail::json_string(s, "name", where);
            for (const char* key : {"from", "until"}) {
                const std::string text = detail::json_string(s, key, where, true);
                try {
                    (key[0] == 'f' ? season.from : season.until) = MonthDay::parse(text);
                } catch (const Error& e) {
                    detail::field_error(ErrorCode::invalid_argument, where, key, e.what());
                }
            }
            detail::json_array(s, "hours", where, true);
            season.hours = hours_from_json(s, where);
            seasons.push_back(std::move(season));
        }
    }
    return WorkingSchedule(std::move(standard), std::move(seasons));
}

std::string WorkingSchedule::to_json() const {
    json doc = {{"hours", hours_to_json(standard_)}};
    json seasons = json::array();
    for (const Season& s : seasons_) {
        seasons.push_back({{"name", s.name},
                           {"from", s.from.to_string()},
                           {"until", s.until.to_string()},
                           {"hours", hours_to_json(s.hours)}});
    }
    doc["seasons"] = std::move(seasons);
    return doc.dump();
}

// ---- TimeLimit -----------------------------------------------------------------------

namespace {

constexpr detail::EnumName<TimeUnit> time_unit_names[] = {
    {TimeUnit::natural_minutes, "natural_minutes"}, {TimeUnit::natural_hours, "natural_hours"},
    {TimeUnit::natural_days, "natural_days"},       {TimeUnit::working_minutes, "working_minutes"},
    {TimeUnit::working_hours, "working_hours"},     {TimeUnit::working_days, "working_days"},
};

constexpr detail::EnumName<WorkingDayRule> working_day_rule_names[] = {
    {WorkingDayRule::day_length, "day_length"},
    {WorkingDayRule::close_of_business, "close_of_business"},
};

}  // namespace

const char* time_unit_name(TimeUnit unit) noexcept {
    return detail::enum_name(time_unit_names, unit);
}

TimeUnit parse_time_unit(std::string_view text) {
    return detail::parse_enum(time_unit_names, text, "time unit");
}

const char* working_day_rule_name(WorkingDayRule rule) noexcept {
    return detail::enum_name(working_day_rule_names, rule);
}

WorkingDayRule parse_working_day_rule(std::string_view text) {
    return detail::parse_enum(working_day_rule_names, text, "working-day rule");
}

void TimeLimit::validate() const {
    const std::int64_t per_unit = unit_seconds(unit);
    if (per_unit == 0) {
        invalid("time limit unit " + std::to_string(static_cast<int>(unit)) + " does not exist");
    }
    if (day_rule != WorkingDayRule::day_length && day_rule != WorkingDayRule::close_of_business) {
        invalid("working-day rule " + std::to_string(static_cast<int>(day_rule)) +
                " does not exist");
    }
    if (value < 0) {
        invalid("time limit " + std::to_string(value) + " " + time_unit_name(unit) +
                " is negative");
    }
    // Two centuries is beyond any calendar the library covers and keeps every product of
    // seconds far inside int64.
    constexpr std::int64_t max_seconds = 200LL * 366 * 86400;
    if (value > max_seconds / per_unit) {
        invalid("time limit " + std::to_string(value) + " " + time_unit_name(unit) +
                " is longer than 200 years");
    }
}

TimeLimit TimeLimit::from_json(std::string_view text) {
    const json doc = parse_json(text, "time limit");
    if (!doc.is_object())
        invalid("time limit: must be a JSON object {value, unit}");
    TimeLimit limit;
    limit.value = detail::json_field(doc, "value", detail::JsonType::integer, "time limit", true)
                      ->get<std::int64_t>();
    const std::string unit = detail::json_string(doc, "unit", "time limit", true);
    limit.unit = detail::parse_field("time limit", "unit", [&] { return parse_time_unit(unit); });
    if (detail::json_member(doc, "day_rule") != nullptr) {
        if (limit.unit != TimeUnit::working_days) {
            invalid("time limit: day_rule applies only to working_days, not to " + unit);
        }
        const std::string rule = detail::json_string(doc, "day_rule", "time limit", true);
        limit.day_rule = detail::parse_field("time limit", "day_rule",
                                             [&] { return parse_working_day_rule(rule); });
    }
    limit.validate();
    return limit;
}

std::string TimeLimit::to_json() const {
    json doc = {{"value", value}, {"unit", time_unit_name(unit)}};
    if (unit == TimeUnit::working_days)
        doc["day_rule"] = working_day_rule_name(day_rule);
    return doc.dump();
}

}  // namespace gridgov
