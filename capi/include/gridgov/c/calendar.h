/*
 * gridgov/c/calendar.h: working calendars, time limits and step clocks.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_CALENDAR_H
#define GRIDGOV_C_CALENDAR_H

#include "gridgov/c/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== calendar ====================================================================== */

/* Rules of this section (docs/calendar.md has the full text):
 *  - Instants are int64_t seconds since 1970-01-01T00:00:00Z; civil time is China Standard
 *    Time (UTC+8, no daylight saving). Dates are ISO 8601 text "YYYY-MM-DD". Amounts of
 *    time are seconds.
 *  - Day types come from the holiday notices (holiday-cn JSON): a listed date is a
 *    working day iff its isOffDay is false, an unlisted one iff it is Monday to Friday.
 *  - A year without published data is never treated as ordinary: a computation that
 *    crosses it fails with GRIDGOV_ENODATA ("the calendar has no data for 2027") unless
 *    the caller passes GRIDGOV_CALENDAR_ASSUME_WEEKDAYS, and then the optional
 *    gridgov_calendar_assumptions output says which years were assumed.
 *  - The structs of this section have a fixed layout; a new member would come with a new
 *    struct and _v2 functions.
 *  - A gridgov_calendar or gridgov_step_clock handle may be read (const functions) by
 *    several threads at once; a change needs the handle to itself. */

/* A working calendar: holiday data, local overrides and a working schedule. */
typedef struct gridgov_calendar gridgov_calendar;

/* The clock of one timed step: start, limit, suspensions, extensions. */
typedef struct gridgov_step_clock gridgov_step_clock;

/* Units of a time limit (gridgov_time_limit.unit). Natural units ignore the calendar. */
#define GRIDGOV_UNIT_NATURAL_MINUTES 0
#define GRIDGOV_UNIT_NATURAL_HOURS 1
#define GRIDGOV_UNIT_NATURAL_DAYS 2
#define GRIDGOV_UNIT_WORKING_MINUTES 3
#define GRIDGOV_UNIT_WORKING_HOURS 4
#define GRIDGOV_UNIT_WORKING_DAYS 5

/* How a limit in working days counts (gridgov_time_limit.day_rule). DAY_LENGTH (the
 * default): N times the working time of one working day, so the deadline is the same time
 * of day N working days later. CLOSE_OF_BUSINESS: the end of the last working period of
 * the Nth working day after the start day. */
#define GRIDGOV_DAY_RULE_DAY_LENGTH 0
#define GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS 1

/* Day types (gridgov_day_info.type). */
#define GRIDGOV_DAY_WORKDAY 0        /* unlisted Monday to Friday */
#define GRIDGOV_DAY_WEEKEND 1        /* unlisted Saturday or Sunday */
#define GRIDGOV_DAY_HOLIDAY 2        /* listed day off, or a local rest day / closure */
#define GRIDGOV_DAY_MAKEUP_WORKDAY 3 /* listed working day (调休), or a local working day */

/* Traffic lights (gridgov_clock_status.light). */
#define GRIDGOV_LIGHT_GREEN 0
#define GRIDGOV_LIGHT_YELLOW 1
#define GRIDGOV_LIGHT_RED 2

/* Flags of the computing functions. 0 is strict: crossing a year without published data
 * is GRIDGOV_ENODATA. ASSUME_WEEKDAYS applies the weekday rule to such years instead and
 * reports them. */
#define GRIDGOV_CALENDAR_STRICT 0
#define GRIDGOV_CALENDAR_ASSUME_WEEKDAYS 1

/* A time-limit rule: "4 working hours", "15 working days to close of business". */
typedef struct gridgov_time_limit {
    int64_t value; /* how many units, >= 0 */
    int unit;      /* GRIDGOV_UNIT_* */
    int day_rule;  /* GRIDGOV_DAY_RULE_*; read only for GRIDGOV_UNIT_WORKING_DAYS */
} gridgov_time_limit;

/* The years a computation assumed the weekday rule for. They are all the years between
 * first_year and last_year when count == last_year - first_year + 1. */
typedef struct gridgov_calendar_assumptions {
    int count;      /* 0 when every day crossed had published data */
    int first_year; /* 0 when count is 0 */
    int last_year;  /* 0 when count is 0 */
} gridgov_calendar_assumptions;

/* Everything the calendar knows about one date. */
typedef struct gridgov_day_info {
    int working;         /* 1 for a working day */
    int type;            /* GRIDGOV_DAY_* */
    int published;       /* 1 when the official data of the date's year is loaded */
    int local;           /* 1 when a local override decided the day */
    int working_minutes; /* working minutes the schedule gives the day; 0 on a rest day */
} gridgov_day_info;

/* A step clock read at one instant. Amounts are seconds of clock time: working time for a
 * limit in working units, natural time otherwise. */
typedef struct gridgov_clock_status {
    int64_t limit;      /* the limit plus the extensions granted so far */
    int64_t elapsed;    /* clock time used, suspensions excluded */
    int64_t remaining;  /* limit - elapsed, never negative */
    int64_t overdue_by; /* elapsed - limit, never negative */
    int64_t deadline;   /* while suspended: the deadline if resumed at this instant */
    int light;          /* GRIDGOV_LIGHT_* */
    int paused;         /* 1 when suspended at this instant */
    int overdue;        /* 1 when the instant is after the deadline */
    int working_time;   /* 1 when the clock counts working time */
    gridgov_calendar_assumptions assumed;
} gridgov_clock_status;

/* Creates a calendar with the built-in holiday data (holiday-cn, the years whose notices
 * were published when the library was built) and the default schedule 08:30-12:00,
 * 14:00-17:30.
 * out: receives the handle, owned by the caller (gridgov_calendar_destroy()).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL out). Since 0.1. */
GRIDGOV_API int gridgov_calendar_create(gridgov_calendar** out);

/* Creates a calendar holding only the given holiday data and the default schedule.
 * out: receives the handle, owned by the caller. json: a year file {year, papers, days} or
 * a JSON array of them (borrowed).
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL (NULL argument, bad field; the message names it) or
 * GRIDGOV_EPARSE (not JSON). Since 0.1. */
GRIDGOV_API int gridgov_calendar_create_from_json(gridgov_calendar** out, const char* json);

/* Releases a calendar. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_calendar_destroy(gridgov_calendar* calendar);

/* Adds one year file or an array of them; a year already loaded is replaced. A year counts
 * as published when its file lists the Spring Festival (a day off named "春节" in that year).
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL, GRIDGOV_EPARSE or GRIDGOV_EEXISTS (a
 * date already listed by another year's file); on error the calendar is unchanged.
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_add_year_json(gridgov_calendar* calendar, const char* json);

/* Adds local overrides in the same format ({"days": [{name, date, isOffDay}]}; "year" and
 * "papers" optional): a township's own rest day, a one-off closure, an extra working day.
 * A date overridden again takes the later entry. Overrides never make a year published.
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE; on error the
 * calendar is unchanged. Since 0.1. */
GRIDGOV_API int gridgov_calendar_add_overrides_json(gridgov_calendar* calendar, const char* json);

/* Removes every local override. Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL calendar).
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_clear_overrides(gridgov_calendar* calendar);

/* Replaces the working schedule: {"hours": ["08:30-12:00", "14:00-17:30"], "seasons":
 * [{"name": "summer", "from": "05-01", "until": "10-01", "hours": [...]}]}.
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_calendar_set_schedule_json(gridgov_calendar* calendar, const char* json);

/* Whether the official data of `year` is loaded and published: *out is 1 or 0.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument). Since 0.1. */
GRIDGOV_API int gridgov_calendar_year_published(int* out, const gridgov_calendar* calendar,
                                                int year);

/* The day type of a date. Never GRIDGOV_ENODATA: out->published says whether the answer
 * rests on official data.
 * out: caller-owned struct. date: "YYYY-MM-DD" (borrowed).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, malformed date, date outside
 * 1990-2099). Since 0.1. */
GRIDGOV_API int gridgov_calendar_day_info(gridgov_day_info* out, const gridgov_calendar* calendar,
                                          const char* date);

/* The holiday or override name of a date ("春节"), "" for an unlisted date.
 * out: receives a string owned by the caller (gridgov_free()). date: "YYYY-MM-DD".
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_calendar_day_name(char** out, const gridgov_calendar* calendar,
                                          const char* date);

/* When `limit` runs out for a step started at `start`. Working minutes and hours give the
 * earliest instant with that much working time since start; a zero limit gives start.
 * out: receives the deadline. out_assumed: receives the assumed years; may be NULL.
 * limit: borrowed. flags: GRIDGOV_CALENDAR_STRICT or GRIDGOV_CALENDAR_ASSUME_WEEKDAYS.
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL (NULL argument, invalid limit or flags, an instant
 * outside 1990-2099) or GRIDGOV_ENODATA. Since 0.1. */
GRIDGOV_API int gridgov_calendar_deadline(int64_t* out, gridgov_calendar_assumptions* out_assumed,
                                          const gridgov_calendar* calendar, int64_t start,
                                          const gridgov_time_limit* limit, int flags);

/* gridgov_calendar_deadline() for `count` starts.
 * out_deadlines: caller-owned array of `count` entries. out_assumed: may be NULL; covers the
 * whole batch. starts: `count` instants (borrowed). On error *out_deadlines is unspecified.
 * Returns as gridgov_calendar_deadline(). Since 0.1. */
GRIDGOV_API int gridgov_calendar_deadlines(int64_t* out_deadlines,
                                           gridgov_calendar_assumptions* out_assumed,
                                           const gridgov_calendar* calendar, const int64_t* starts,
                                           size_t count, const gridgov_time_limit* limit,
                                           int flags);

/* Working seconds in [from, to); negative when to < from. The exact inverse of the
 * deadline: gridgov_calendar_working_seconds(from, deadline(from, L)) == L seconds.
 * out_assumed: may be NULL. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_ENODATA.
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_working_seconds(int64_t* out,
                                                 gridgov_calendar_assumptions* out_assumed,
                                                 const gridgov_calendar* calendar, int64_t from,
                                                 int64_t to, int flags);

/* Reads a time limit from JSON: {"value": 4, "unit": "working_hours"}, and for working days
 * optionally "day_rule": "day_length" | "close_of_business".
 * out: caller-owned struct. json: borrowed.
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_time_limit_from_json(gridgov_time_limit* out, const char* json);

/* Writes a time limit as JSON. out: receives a string owned by the caller (gridgov_free()).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, invalid limit). Since 0.1. */
GRIDGOV_API int gridgov_time_limit_to_json(char** out, const gridgov_time_limit* limit);

/* Starts the clock of a step at `start` with `limit`; light thresholds 0.8 and 1.0.
 * out: receives the handle, owned by the caller (gridgov_step_clock_destroy()).
 * limit: borrowed. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_create(gridgov_step_clock** out, int64_t start,
                                          const gridgov_time_limit* limit);

/* Releases a clock. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_step_clock_destroy(gridgov_step_clock* clock);

/* Suspends the clock (挂账) at `at`. Returns GRIDGOV_OK, GRIDGOV_ESTATE (already suspended)
 * or GRIDGOV_EINVAL (NULL clock, `at` before the start or the last resumption). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_pause(gridgov_step_clock* clock, int64_t at);

/* Resumes the clock at `at`. Returns GRIDGOV_OK, GRIDGOV_ESTATE (not suspended) or
 * GRIDGOV_EINVAL (NULL clock, `at` before the suspension). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_resume(gridgov_step_clock* clock, int64_t at);

/* Grants an extension at `granted_at`; it counts from that instant on. It must count the
 * same kind of time (natural or working) as the limit; working days add N times the
 * working-day length of the start date. extension: borrowed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_extend(gridgov_step_clock* clock, int64_t granted_at,
                                          const gridgov_time_limit* extension);

/* Sets the shares of the limit at which the light turns yellow and red (defaults 0.8, 1.0).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL clock, not 0 < yellow <= red). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_set_thresholds(gridgov_step_clock* clock, double yellow,
                                                  double red);

/* Reads the clock at `now`: elapsed, remaining, deadline, overdue, light.
 * out: caller-owned struct. calendar: the working calendar of the step (borrowed).
 * flags: GRIDGOV_CALENDAR_STRICT or GRIDGOV_CALENDAR_ASSUME_WEEKDAYS (out->assumed).
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_ENODATA. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_status(gridgov_clock_status* out,
                                          const gridgov_step_clock* clock,
                                          const gridgov_calendar* calendar, int64_t now, int flags);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_CALENDAR_H */
