// C ABI: the working calendar, deadlines and step clocks.
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/calendar.hpp"
#include "guard.hpp"

/// gridgov_calendar: created by gridgov_calendar_create*(), freed by gridgov_calendar_destroy().
struct gridgov_calendar {
    gridgov::WorkingCalendar calendar;
};

/// gridgov_step_clock: created by gridgov_step_clock_create(), freed by
/// gridgov_step_clock_destroy().
struct gridgov_step_clock {
    gridgov::StepClock clock;
};

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::Instant;
using gridgov::NoDataPolicy;
using gridgov::TimeLimit;
using gridgov::TimeUnit;
using gridgov::WorkingDayRule;
using gridgov::capi::guard;
using gridgov::capi::require;

static_assert(GRIDGOV_UNIT_NATURAL_MINUTES == static_cast<int>(TimeUnit::natural_minutes));
static_assert(GRIDGOV_UNIT_NATURAL_HOURS == static_cast<int>(TimeUnit::natural_hours));
static_assert(GRIDGOV_UNIT_NATURAL_DAYS == static_cast<int>(TimeUnit::natural_days));
static_assert(GRIDGOV_UNIT_WORKING_MINUTES == static_cast<int>(TimeUnit::working_minutes));
static_assert(GRIDGOV_UNIT_WORKING_HOURS == static_cast<int>(TimeUnit::working_hours));
static_assert(GRIDGOV_UNIT_WORKING_DAYS == static_cast<int>(TimeUnit::working_days));
static_assert(GRIDGOV_DAY_RULE_DAY_LENGTH == static_cast<int>(WorkingDayRule::day_length));
static_assert(GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS ==
              static_cast<int>(WorkingDayRule::close_of_business));
static_assert(GRIDGOV_DAY_WORKDAY == static_cast<int>(gridgov::DayType::workday));
static_assert(GRIDGOV_DAY_WEEKEND == static_cast<int>(gridgov::DayType::weekend));
static_assert(GRIDGOV_DAY_HOLIDAY == static_cast<int>(gridgov::DayType::holiday));
static_assert(GRIDGOV_DAY_MAKEUP_WORKDAY == static_cast<int>(gridgov::DayType::makeup_workday));
static_assert(GRIDGOV_LIGHT_GREEN == static_cast<int>(gridgov::Light::green));
static_assert(GRIDGOV_LIGHT_YELLOW == static_cast<int>(gridgov::Light::yellow));
static_assert(GRIDGOV_LIGHT_RED == static_cast<int>(gridgov::Light::red));
static_assert(GRIDGOV_CALENDAR_ASSUME_WEEKDAYS == static_cast<int>(NoDataPolicy::assume_weekdays));

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorCode::invalid_argument, message);
}

TimeLimit time_limit(const gridgov_time_limit* limit, const char* parameter) {
    require(limit, parameter);
    if (limit->unit < GRIDGOV_UNIT_NATURAL_MINUTES || limit->unit > GRIDGOV_UNIT_WORKING_DAYS) {
        invalid(std::string(parameter) + "->unit: " + std::to_string(limit->unit) +
                " is not a GRIDGOV_UNIT_* value");
    }
    TimeLimit out;
    out.value = limit->value;
    out.unit = static_cast<TimeUnit>(limit->unit);
    if (out.unit == TimeUnit::working_days) {
        if (limit->day_rule != GRIDGOV_DAY_RULE_DAY_LENGTH &&
            limit->day_rule != GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS) {
            invalid(std::string(parameter) + "->day_rule: " + std::to_string(limit->day_rule) +
                    " is not a GRIDGOV_DAY_RULE_* value");
        }
        out.day_rule = static_cast<WorkingDayRule>(limit->day_rule);
    }
    out.validate();
    return out;
}

NoDataPolicy policy(int flags) {
    if (flags != GRIDGOV_CALENDAR_STRICT && flags != GRIDGOV_CALENDAR_ASSUME_WEEKDAYS) {
        invalid("flags: " + std::to_string(flags) +
                " is neither GRIDGOV_CALENDAR_STRICT nor GRIDGOV_CALENDAR_ASSUME_WEEKDAYS");
    }
    return flags == GRIDGOV_CALENDAR_ASSUME_WEEKDAYS ? NoDataPolicy::assume_weekdays
                                                     : NoDataPolicy::error;
}

gridgov_calendar_assumptions assumptions(const std::vector<int>& years) {
    gridgov_calendar_assumptions a{0, 0, 0};
    if (!years.empty()) {
        a.count = static_cast<int>(years.size());
        a.first_year = years.front();
        a.last_year = years.back();
    }
    return a;
}

gridgov::Date date(const char* text) {
    require(text, "date");
    try {
        return gridgov::Date::parse(text);
    } catch (const gridgov::Error& e) {
        throw gridgov::Error(e.code(), std::string("date: ") + e.what());
    }
}

}  // namespace

extern "C" {

int gridgov_calendar_create(gridgov_calendar** out) {
    return guard([&] {
        require(out, "out");
        *out = new gridgov_calendar{gridgov::WorkingCalendar()};
    });
}

int gridgov_calendar_create_from_json(gridgov_calendar** out, const char* json) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        *out = new gridgov_calendar{gridgov::WorkingCalendar::from_json(json)};
    });
}

void gridgov_calendar_destroy(gridgov_calendar* calendar) {
    delete calendar;
}

int gridgov_calendar_add_year_json(gridgov_calendar* calendar, const char* json) {
    return guard([&] {
        require(calendar, "calendar");
        require(json, "json");
        calendar->calendar.add_year_json(json);
    });
}

int gridgov_calendar_add_overrides_json(gridgov_calendar* calendar, const char* json) {
    return guard([&] {
        require(calendar, "calendar");
        require(json, "json");
        calendar->calendar.add_overrides_json(json);
    });
}

int gridgov_calendar_clear_overrides(gridgov_calendar* calendar) {
    return guard([&] {
        require(calendar, "calendar");
        calendar->calendar.clear_overrides();
    });
}

int gridgov_calendar_set_schedule_json(gridgov_calendar* calendar, const char* json) {
    return guard([&] {
        require(calendar, "calendar");
        require(json, "json");
        calendar->calendar.set_schedule(gridgov::WorkingSchedule::from_json(json));
    });
}

int gridgov_calendar_year_published(int* out, const gridgov_calendar* calendar, int year) {
    return guard([&] {
        require(out, "out");
        require(calendar, "calendar");
        *out = calendar->calendar.is_published(year) ? 1 : 0;
    });
}

int gridgov_calendar_day_info(gridgov_day_info* out, const gridgov_calendar* calendar,
                              const char* date_text) {
    return guard([&] {
        require(out, "out");
        require(calendar, "calendar");
        const gridgov::DayInfo info = calendar->calendar.day(date(date_text));
        *out = gridgov_day_info{info.working ? 1 : 0, static_cast<int>(info.type),
                                info.published ? 1 : 0, info.local ? 1 : 0, info.working_minutes};
    });
}

int gridgov_calendar_day_name(char** out, const gridgov_calendar* calendar, const char* date_text) {
    return guard([&] {
        require(out, "out");
        require(calendar, "calendar");
        *out = gridgov::capi::dup_string(calendar->calendar.day(date(date_text)).name);
    });
}

int gridgov_calendar_deadline(int64_t* out, gridgov_calendar_assumptions* out_assumed,
                              const gridgov_calendar* calendar, int64_t start,
                              const gridgov_time_limit* limit, int flags) {
    return guard([&] {
        require(out, "out");
        require(calendar, "calendar");
        const gridgov::DeadlineReport r = calendar->calendar.deadline_report(
            Instant{start}, time_limit(limit, "limit"), policy(flags));
        *out = r.deadline.seconds;
        if (out_assumed != nullptr)
            *out_assumed = assumptions(r.assumed_years);
    });
}

int gridgov_calendar_deadlines(int64_t* out_deadlines, gridgov_calendar_assumptions* out_assumed,
                               const gridgov_calendar* calendar, const int64_t* starts,
                               size_t count, const gridgov_time_limit* limit, int flags) {
    return guard([&] {
        require(out_deadlines, "out_deadlines");
        require(calendar, "calendar");
        require(starts, "starts");
        const std::vector<int> years = calendar->calendar.deadlines(
            starts, count, time_limit(limit, "limit"), out_deadlines, policy(flags));
        if (out_assumed != nullptr)
            *out_assumed = assumptions(years);
    });
}

int gridgov_calendar_working_seconds(int64_t* out, gridgov_calendar_assumptions* out_assumed,
                                     const gridgov_calendar* calendar, int64_t from, int64_t to,
                                     int flags) {
    return guard([&] {
        require(out, "out");
        require(calendar, "calendar");
        const gridgov::WorkingTimeReport r =
            calendar->calendar.working_time_report(Instant{from}, Instant{to}, policy(flags));
        *out = r.seconds;
        if (out_assumed != nullptr)
            *out_assumed = assumptions(r.assumed_years);
    });
}

int gridgov_time_limit_from_json(gridgov_time_limit* out, const char* json) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        const TimeLimit limit = TimeLimit::from_json(json);
        *out = gridgov_time_limit{limit.value, static_cast<int>(limit.unit),
                                  static_cast<int>(limit.day_rule)};
    });
}

int gridgov_time_limit_to_json(char** out, const gridgov_time_limit* limit) {
    return guard([&] {
        require(out, "out");
        *out = gridgov::capi::dup_string(time_limit(limit, "limit").to_json());
    });
}

int gridgov_step_clock_create(gridgov_step_clock** out, int64_t start,
                              const gridgov_time_limit* limit) {
    return guard([&] {
        require(out, "out");
        *out =
            new gridgov_step_clock{gridgov::StepClock(Instant{start}, time_limit(limit, "limit"))};
    });
}

void gridgov_step_clock_destroy(gridgov_step_clock* clock) {
    delete clock;
}

int gridgov_step_clock_pause(gridgov_step_clock* clock, int64_t at) {
    return guard([&] {
        require(clock, "clock");
        clock->clock.pause(Instant{at});
    });
}

int gridgov_step_clock_resume(gridgov_step_clock* clock, int64_t at) {
    return guard([&] {
        require(clock, "clock");
        clock->clock.resume(Instant{at});
    });
}

int gridgov_step_clock_extend(gridgov_step_clock* clock, int64_t granted_at,
                              const gridgov_time_limit* extension) {
    return guard([&] {
        require(clock, "clock");
        clock->clock.extend(Instant{granted_at}, time_limit(extension, "extension"));
    });
}

int gridgov_step_clock_set_thresholds(gridgov_step_clock* clock, double yellow, double red) {
    return guard([&] {
        require(clock, "clock");
        clock->clock.set_thresholds(gridgov::LightThresholds{yellow, red});
    });
}

int gridgov_step_clock_status(gridgov_clock_status* out, const gridgov_step_clock* clock,
                              const gridgov_calendar* calendar, int64_t now, int flags) {
    return guard([&] {
        require(out, "out");
        require(clock, "clock");
        require(calendar, "calendar");
        const gridgov::ClockStatus s =
            clock->clock.status(calendar->calendar, Instant{now}, policy(flags));
        gridgov_clock_status c;
        c.limit = s.limit;
        c.elapsed = s.elapsed;
        c.remaining = s.remaining;
        c.overdue_by = s.overdue_by;
        c.deadline = s.deadline.seconds;
        c.light = static_cast<int>(s.light);
        c.paused = s.paused ? 1 : 0;
        c.overdue = s.overdue ? 1 : 0;
        c.working_time = s.working_time ? 1 : 0;
        c.assumed = assumptions(s.assumed_years);
        *out = c;
    });
}

}  // extern "C"
