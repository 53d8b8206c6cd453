// The working calendar (工作日历) and time limits (时限): which days are working days,
// which hours of a day are working hours, and when a limit counted in natural or working
// time runs out.
//
// Day types come from the State Council's holiday notices as published by holiday-cn
// (one JSON file per year): a listed date is a working day iff its `isOffDay` is false,
// an unlisted date is a working day iff it is Monday to Friday. The years whose notices
// the library ships are built in; more years and local overrides load at run time from
// the same JSON format. A year without published data is an explicit state: computing
// through it throws Error(no_data) unless the caller asks, per call, to assume the
// weekday rule, and then the report names every year assumed.
//
// Precision: instants and amounts of time are whole seconds; the boundaries of working
// periods are whole minutes. deadline() and working_time_between() are exact inverses on
// working time: working_time_between(s, deadline(s, L)) == L for every s and every L
// counted in working minutes or hours.
//
// Cost: every query is O(1) or O(log n) in the days it spans, through cumulative working
// time per day (prefix sums) and a search over them; nothing walks minute by minute.
//
// Threading: const member functions may be called from several threads at once; any
// change needs exclusive access (one writer, many readers).
#ifndef GRIDGOV_CALENDAR_HPP
#define GRIDGOV_CALENDAR_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/core.hpp"

namespace gridgov {

// ---- working hours -------------------------------------------------------------------

/// One working period of a day, [start_minute, end_minute) in minutes after local midnight.
struct WorkingPeriod {
    int start_minute = 0;
    int end_minute = 0;

    friend bool operator==(const WorkingPeriod& a, const WorkingPeriod& b) {
        return a.start_minute == b.start_minute && a.end_minute == b.end_minute;
    }
    friend bool operator!=(const WorkingPeriod& a, const WorkingPeriod& b) { return !(a == b); }
};

/// The working periods of one day, in order and not overlapping; at least one.
class WorkingHours {
  public:
    /// 08:30–12:00 and 14:00–17:30 (seven working hours).
    WorkingHours();
    /// Throws Error(invalid_argument) naming the period when the list is empty, a period is
    /// empty or outside 00:00–24:00, or the periods are out of order or overlap.
    explicit WorkingHours(std::vector<WorkingPeriod> periods);
    /// Parses "08:30-12:00,14:00-17:30" (also with "–" or "~" between the times).
    static WorkingHours parse(std::string_view text);

    const std::vector<WorkingPeriod>& periods() const { return periods_; }
    /// Working minutes in the day.
    int minutes() const;
    /// "08:30-12:00,14:00-17:30".
    std::string to_string() const;

    friend bool operator==(const WorkingHours& a, const WorkingHours& b) {
        return a.periods_ == b.periods_;
    }
    friend bool operator!=(const WorkingHours& a, const WorkingHours& b) { return !(a == b); }

  private:
    std::vector<WorkingPeriod> periods_;
};

/// A day of the year without the year: the bounds of a season.
struct MonthDay {
    unsigned month = 1;
    unsigned day = 1;

    /// Parses "MM-DD" ("02-29" is allowed); throws Error(invalid_argument) naming the text.
    static MonthDay parse(std::string_view text);
    std::string to_string() const;  ///< "MM-DD"
    friend bool operator==(MonthDay a, MonthDay b) { return a.month == b.month && a.day == b.day; }
    friend bool operator!=(MonthDay a, MonthDay b) { return !(a == b); }
};

/// Working hours that apply every year from one day of the year up to (excluding)
/// another, e.g. summer hours 05-01..10-01. A season whose end comes before its start
/// wraps over New Year (winter hours 10-01..05-01).
struct Season {
    std::string name;  ///< "summer", "夏令作息", ...
    MonthDay from;     ///< first day of the season
    MonthDay until;    ///< first day after the season
    WorkingHours hours;

    bool contains(Date d) const;
};

/// An organisation's working schedule: standard hours, optionally switched by season.
class WorkingSchedule {
  public:
    /// The default hours all year.
    WorkingSchedule() = default;
    /// Throws Error(invalid_argument) when a season starts and ends on the same day.
    explicit WorkingSchedule(WorkingHours standard, std::vector<Season> seasons = {});

    /// Reads {"hours": ["08:30-12:00", "14:00-17:30"], "seasons": [{"name": "summer",
    /// "from": "05-01", "until": "10-01", "hours": ["08:00-12:00", "14:30-18:00"]}]}.
    /// "hours" may be omitted (the default), and so may "seasons". Throws
    /// Error(parse_error) for malformed JSON and Error(invalid_argument) naming the field.
    static WorkingSchedule from_json(std::string_view json);
    std::string to_json() const;

    const WorkingHours& standard() const { return standard_; }
    const std::vector<Season>& seasons() const { return seasons_; }
    /// The hours of the first season that contains `d`, else the standard hours.
    const WorkingHours& hours_on(Date d) const;

  private:
    WorkingHours standard_;
    std::vector<Season> seasons_;
};

// ---- time limits ---------------------------------------------------------------------

/// What a time limit counts. Natural units run around the clock and ignore the calendar;
/// working units count only working periods on working days.
enum class TimeUnit : std::uint8_t {
    natural_minutes = 0,
    natural_hours = 1,
    natural_days = 2,  ///< 24 hours each
    working_minutes = 3,
    working_hours = 4,
    working_days = 5,  ///< 工作日, see WorkingDayRule
};

/// How a limit in working days is counted.
enum class WorkingDayRule : std::uint8_t {
    /// (a) N times the working time of one working day (the hours in force on the start
    /// date, 7 h by default): the deadline is the same time of day N working days later.
    /// The default.
    day_length = 0,
    /// (b) The close of business (end of the last working period) of the Nth working day
    /// after the start day; the start day itself is not counted, as in statutory periods.
    close_of_business = 1,
};

/// "natural_minutes", ..., "working_days".
const char* time_unit_name(TimeUnit unit) noexcept;
/// The names above; throws Error(invalid_argument) naming the text and the names.
TimeUnit parse_time_unit(std::string_view text);
/// "day_length" or "close_of_business".
const char* working_day_rule_name(WorkingDayRule rule) noexcept;
/// The names above; throws Error(invalid_argument) naming the text and the names.
WorkingDayRule parse_working_day_rule(std::string_view text);

/// A time-limit rule as data: "4 working hours", "15 working days to close of business".
/// A small value type to store with a workflow step and apply with
/// WorkingCalendar::deadline(start, limit).
struct TimeLimit {
    std::int64_t value = 0;  ///< how many units; never negative
    TimeUnit unit = TimeUnit::working_hours;
    WorkingDayRule day_rule = WorkingDayRule::day_length;  ///< only for TimeUnit::working_days

    static TimeLimit natural_minutes(std::int64_t n) { return {n, TimeUnit::natural_minutes}; }
    static TimeLimit natural_hours(std::int64_t n) { return {n, TimeUnit::natural_hours}; }
    static TimeLimit natural_days(std::int64_t n) { return {n, TimeUnit::natural_days}; }
    static TimeLimit working_minutes(std::int64_t n) { return {n, TimeUnit::working_minutes}; }
    static TimeLimit working_hours(std::int64_t n) { return {n, TimeUnit::working_hours}; }
    static TimeLimit working_days(std::int64_t n,
                                  WorkingDayRule rule = WorkingDayRule::day_length) {
        return {n, TimeUnit::working_days, rule};
    }

    /// True for the working units (the limit needs a calendar).
    bool counts_working_time() const { return unit >= TimeUnit::working_minutes; }
    /// Throws Error(invalid_argument) naming the value when it is negative, too large to
    /// express in seconds, or the unit or rule is out of range.
    void validate() const;

    /// {"value": 4, "unit": "working_hours"}; a limit in working days may add "day_rule":
    /// "day_length" (the default) or "close_of_business". Throws Error(parse_error) for
    /// malformed JSON and Error(invalid_argument) naming the field.
    static TimeLimit from_json(std::string_view json);
    std::string to_json() const;

    friend bool operator==(const TimeLimit& a, const TimeLimit& b) {
        return a.value == b.value && a.unit == b.unit &&
               (a.unit != TimeUnit::working_days || a.day_rule == b.day_rule);
    }
    friend bool operator!=(const TimeLimit& a, const TimeLimit& b) { return !(a == b); }
};

// ---- the calendar --------------------------------------------------------------------

/// What to do when a computation needs a day of a year without published data.
enum class NoDataPolicy : std::uint8_t {
    error = 0,            ///< throw Error(no_data) "the calendar has no data for 2027"
    assume_weekdays = 1,  ///< use the weekday rule for such years and report them
};

/// Why a day is or is not a working day.
enum class DayType : std::uint8_t {
    workday = 0,         ///< unlisted Monday to Friday
    weekend = 1,         ///< unlisted Saturday or Sunday
    holiday = 2,         ///< listed as a day off (放假), or a local rest day / closure
    makeup_workday = 3,  ///< listed as a working day (调休上班), or a local working day
};

const char* day_type_name(DayType type) noexcept;

/// Everything the calendar knows about one date.
struct DayInfo {
    Date date;
    DayType type = DayType::workday;
    bool working = false;     ///< a working day
    bool published = false;   ///< the official data of the date's year is loaded
    bool local = false;       ///< a local override decided the day
    int working_minutes = 0;  ///< working time the schedule gives the day (0 on a rest day)
    std::string name;         ///< the holiday or override name; "" for an unlisted date
};

/// A year file as loaded.
struct YearInfo {
    int year = 0;
    /// The file counts as the year's published notice: it lists the Spring Festival
    /// (a day off named "春节" dated in that year). Every annual notice does; a file
    /// without it is empty or a fragment.
    bool published = false;
    int listed_days = 0;              ///< entries in the file's "days"
    std::vector<std::string> papers;  ///< the notices the file cites
};

/// A local exception to the official calendar: a township's own rest day, a one-off
/// closure (off_day = true) or an extra working day (off_day = false).
struct DayOverride {
    Date date;
    bool off_day = true;
    std::string name;
};

/// A deadline and the years it assumed the weekday rule for (sorted; empty when every day
/// it crossed had published data).
struct DeadlineReport {
    Instant deadline;
    std::vector<int> assumed_years;
};

/// Working seconds between two instants and the years assumed on the way.
struct WorkingTimeReport {
    std::int64_t seconds = 0;
    std::vector<int> assumed_years;
};

/// The working calendar: national holiday data, local overrides and a working schedule,
/// with deadlines and working time computed in O(log n).
class WorkingCalendar {
  public:
    /// The built-in holiday data (the holiday-cn files compiled into the library) and the
    /// default schedule.
    WorkingCalendar();
    /// No holiday data at all: every year is unpublished until one is added.
    static WorkingCalendar without_data();
    /// Only the given data: a year file, or a JSON array of year files. `source` names the
    /// text in error messages.
    static WorkingCalendar from_json(std::string_view json, std::string_view source = "<json>");

    WorkingCalendar(const WorkingCalendar& other);
    WorkingCalendar& operator=(const WorkingCalendar& other);
    WorkingCalendar(WorkingCalendar&&) noexcept;
    WorkingCalendar& operator=(WorkingCalendar&&) noexcept;
    ~WorkingCalendar();

    /// The dates the calendar covers: 1990-01-01 up to 2100-01-01. Instants outside throw
    /// Error(invalid_argument).
    static Period covered();

    // -- data ---------------------------------------------------------------------------

    /// Adds one year file ({year, papers, days}) or a JSON array of them. A year already
    /// loaded is replaced (a corrected notice). Throws Error(parse_error) for malformed JSON,
    /// Error(invalid_argument) naming source, field and value for bad content (a date
    /// outside the year and the year before, a date listed twice), Error(already_exists)
    /// when a date is already listed by another year's file. Nothing changes on error.
    void add_year_json(std::string_view json, std::string_view source = "<json>");
    /// add_year_json() on the file's content; Error(not_found) when it cannot be read.
    void load_year_file(const std::string& path);
    /// Adds local overrides in the same format; "year" and "papers" may be omitted. A date
    /// overridden again takes the later entry. Overrides never make a year published.
    void add_overrides_json(std::string_view json, std::string_view source = "<json>");
    void load_overrides_file(const std::string& path);
    void add_override(const DayOverride& override_day);
    void clear_overrides();
    std::vector<DayOverride> overrides() const;

    void set_schedule(WorkingSchedule schedule);
    const WorkingSchedule& schedule() const;

    /// Whether the official data of `year` is loaded and counts as published.
    bool is_published(int year) const;
    /// Every year file loaded, in year order.
    std::vector<YearInfo> years() const;

    // -- days ---------------------------------------------------------------------------

    /// Never throws Error(no_data): `published` says whether the answer rests on official
    /// data. Throws Error(invalid_argument) outside covered().
    DayInfo day(Date d) const;
    /// Throws Error(no_data) for a date in a year without published data.
    bool is_working_day(Date d) const;
    /// The working time of one working day under WorkingDayRule::day_length: the hours in
    /// force on `d` (whether or not `d` itself is a working day), in seconds.
    std::int64_t working_day_length(Date d) const;

    // -- deadlines and working time -----------------------------------------------------

    /// When `limit` runs out for a step started at `start`. Natural units add seconds;
    /// working minutes and hours give the earliest instant with that much working time
    /// since `start` (a deadline that falls on the end of a working period is that end,
    /// never the start of the next); a zero limit gives `start`. Throws Error(no_data) when
    /// the span crosses a year without published data, Error(invalid_argument) when the
    /// limit is invalid or the result leaves covered().
    Instant deadline(Instant start, const TimeLimit& limit) const;
    DeadlineReport deadline_report(Instant start, const TimeLimit& limit,
                                   NoDataPolicy policy = NoDataPolicy::assume_weekdays) const;

    /// Working seconds in [a, b); negative when b < a (the function is antisymmetric).
    std::int64_t working_time_between(Instant a, Instant b) const;
    WorkingTimeReport working_time_report(
        Instant a, Instant b, NoDataPolicy policy = NoDataPolicy::assume_weekdays) const;

    /// The earliest instant with `seconds` of working time since `start` (`start` itself
    /// for 0): the exact inverse of working_time_between(). Throws
    /// Error(invalid_argument) for a negative amount.
    DeadlineReport add_working_seconds(Instant start, std::int64_t seconds,
                                       NoDataPolicy policy = NoDataPolicy::error) const;

    /// deadline() for `count` starts (seconds since the epoch) into `out`. Returns the
    /// years assumed over the whole batch (always empty with NoDataPolicy::error).
    std::vector<int> deadlines(const std::int64_t* starts, std::size_t count,
                               const TimeLimit& limit, std::int64_t* out,
                               NoDataPolicy policy = NoDataPolicy::error) const;

  private:
    struct Impl;
    explicit WorkingCalendar(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// ---- the clock of one timed step -----------------------------------------------------

/// Traffic light of a running step (红黄绿灯).
enum class Light : std::uint8_t { green = 0, yellow = 1, red = 2 };

/// "green", "yellow", "red".
const char* light_name(Light light) noexcept;
/// The names above; throws Error(invalid_argument) naming the text and the names.
Light parse_light(std::string_view text);

/// Shares of the limit at which the light turns yellow and red: green while
/// elapsed < yellow × limit, yellow while elapsed < red × limit, red from there on.
struct LightThresholds {
    double yellow = 0.8;
    double red = 1.0;

    /// Throws Error(invalid_argument) unless 0 < yellow <= red (both finite).
    void validate() const;
};

/// A suspension (挂账): the clock stands still in [from, to). to == Instant::max() while
/// the step is still suspended.
struct ClockPause {
    Instant from;
    Instant to = Instant::max();
};

/// An extension (延期) granted at `granted_at`; it counts from that instant on.
struct ClockExtension {
    Instant granted_at;
    TimeLimit amount;
};

/// A StepClock read at one instant. Amounts are seconds of clock time: working time for
/// a limit in working units, natural time otherwise.
struct ClockStatus {
    bool working_time = false;    ///< the clock counts working time
    std::int64_t limit = 0;       ///< the limit plus the extensions granted so far
    std::int64_t elapsed = 0;     ///< clock time used, suspensions excluded
    std::int64_t remaining = 0;   ///< limit - elapsed, never negative
    std::int64_t overdue_by = 0;  ///< elapsed - limit, never negative
    Instant deadline;             ///< while suspended: the deadline if resumed now
    bool paused = false;          ///< suspended at this instant
    bool overdue = false;         ///< the instant is after the deadline
    Light light = Light::green;
    std::vector<int> assumed_years;  ///< as in DeadlineReport
};

/// The clock of one timed step: a start, a limit, suspensions and granted extensions.
/// A value type; status() is a pure function of the history up to the instant asked
/// about, so a clock can be read at any past or future instant.
///
/// Extensions must count the same kind of time as the limit (natural or working). An
/// extension in working days always adds N times the working-day length of the start
/// date, whatever its WorkingDayRule: it lengthens a running clock rather than naming a
/// closing day. A limit in working days by WorkingDayRule::close_of_business counts as
/// the working time from the start to that close of business.
class StepClock {
  public:
    /// Throws Error(invalid_argument) for an invalid limit or thresholds.
    StepClock(Instant start, TimeLimit limit, LightThresholds thresholds = {});

    /// Suspends the clock. Error(invalid_state) when already suspended,
    /// Error(invalid_argument) when `at` is before the start or the last resumption.
    void pause(Instant at);
    /// Resumes it. Error(invalid_state) when not suspended, Error(invalid_argument) when
    /// `at` is before the suspension.
    void resume(Instant at);
    /// Grants an extension. Error(invalid_argument) when it is invalid, counts another kind
    /// of time than the limit, or is granted before the start.
    void extend(Instant granted_at, const TimeLimit& amount);
    void set_thresholds(LightThresholds thresholds);

    Instant start() const { return start_; }
    const TimeLimit& limit() const { return limit_; }
    const LightThresholds& thresholds() const { return thresholds_; }
    const std::vector<ClockPause>& pauses() const { return pauses_; }
    const std::vector<ClockExtension>& extensions() const { return extensions_; }
    /// Suspended now (the last pause has no end).
    bool paused() const { return !pauses_.empty() && pauses_.back().to == Instant::max(); }

    /// The clock read at `now`. Throws Error(no_data) under NoDataPolicy::error when the
    /// span from the start to the later of `now` and the deadline crosses a year without
    /// published data.
    ClockStatus status(const WorkingCalendar& calendar, Instant now,
                       NoDataPolicy policy = NoDataPolicy::error) const;

  private:
    Instant start_;
    TimeLimit limit_;
    LightThresholds thresholds_;
    std::vector<ClockPause> pauses_;
    std::vector<ClockExtension> extensions_;
};

}  // namespace gridgov

#endif  // GRIDGOV_CALENDAR_HPP
