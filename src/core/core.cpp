#include "gridgov/core.hpp"

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <cstdio>

namespace gridgov {
namespace {

namespace bg = boost::gregorian;
namespace bpt = boost::posix_time;

// Boost.Date_Time does the calendar: month lengths, leap years, weekdays and day numbers.
// Its day numbers count from 4713 BC; gridgov's count from 1970-01-01.
constexpr std::int64_t epoch_day_number = bg::date(1970, bg::Jan, 1).day_number();
static_assert(epoch_day_number == 2440588);

// Boost names the days of the years 1400-9999. The Gregorian calendar repeats every 400
// years (146 097 days, a whole number of weeks), so a day outside them is named by moving
// it whole cycles into them and the year back by as many 400s: every Date has a name.
constexpr std::int64_t first_named_day =
    bg::date(bg::min_date_time).day_number() - epoch_day_number;
constexpr std::int64_t last_named_day = bg::date(bg::max_date_time).day_number() - epoch_day_number;
constexpr int first_named_year = bg::greg_year::min();
constexpr std::int64_t cycle_years = 400;
constexpr std::int64_t cycle_days =
    bg::date(2400, bg::Jan, 1).day_number() - bg::date(2000, bg::Jan, 1).day_number();
static_assert(cycle_days % 7 == 0);

// Dates as text and as year/month/day: the four-digit years of ISO 8601.
constexpr int min_year = 0;
constexpr int max_year = 9999;

constexpr const char* date_form = "YYYY-MM-DD";
constexpr const char* instant_form = "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]";

// A day number as a Boost date `cycles` whole 400-year cycles away from it.
struct Named {
    bg::date date;
    std::int64_t cycles;  // the day is `date` plus cycles * 400 years
};

Named named(std::int64_t days) {
    std::int64_t cycles = 0;
    if (days < first_named_day)
        cycles = -((first_named_day - days + cycle_days - 1) / cycle_days);
    else if (days > last_named_day)
        cycles = (days - last_named_day + cycle_days - 1) / cycle_days;
    const auto number =
        static_cast<bg::date::date_int_type>(epoch_day_number + days - cycles * cycle_days);
    return Named{bg::date(number), cycles};
}

// Whole 400-year cycles that move a year of 0000-9999 into the years Boost names.
int cycles_to_named(int year) {
    return year < first_named_year
               ? static_cast<int>((first_named_year - year + cycle_years - 1) / cycle_years)
               : 0;
}

// Why year/month/day is not a day of the calendar, or "" when it is one.
std::string ymd_problem(int year, unsigned month, unsigned day) {
    if (year < min_year || year > max_year) {
        return "year " + std::to_string(year) + " is outside 0000-9999";
    }
    if (month < 1 || month > 12)
        return "month " + std::to_string(month) + " is not 01-12";
    const unsigned last = bg::gregorian_calendar::end_of_month_day(
        static_cast<unsigned short>(year + cycles_to_named(year) * cycle_years),
        static_cast<unsigned short>(month));
    if (day < 1 || day > last) {
        return std::string(bg::greg_month(static_cast<unsigned short>(month)).as_long_string()) +
               " " + std::to_string(year) + " has " + std::to_string(last) + " days";
    }
    return "";
}

// Days since 1970-01-01 of a valid year/month/day (ymd_problem() is "").
std::int64_t day_number(int year, unsigned month, unsigned day) {
    const int cycles = cycles_to_named(year);
    const bg::date d(static_cast<unsigned short>(year + cycles * cycle_years),
                     static_cast<unsigned short>(month), static_cast<unsigned short>(day));
    return static_cast<std::int64_t>(d.day_number()) - epoch_day_number - cycles * cycle_days;
}

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

[[noreturn]] void bad_date(std::string_view text, const std::string& problem) {
    throw Error(ErrorCode::invalid_argument, quoted(text) + " is not an ISO 8601 date (expected " +
                                                 date_form + ")" +
                                                 (problem.empty() ? "" : ": " + problem));
}

[[noreturn]] void bad_instant(std::string_view text, const std::string& problem) {
    throw Error(ErrorCode::invalid_argument,
                quoted(text) + " is not an ISO 8601 instant (expected " + instant_form + ")" +
                    (problem.empty() ? "" : ": " + problem));
}

// A cursor over ISO 8601 text: fixed-width digit fields and single separators, nothing
// lenient (no signs, no spaces, no short fields).
class Cursor {
  public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool done() const { return pos_ == text_.size(); }
    bool next_is(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
    bool skip(char c) {
        if (!next_is(c))
            return false;
        ++pos_;
        return true;
    }
    // Exactly `width` ASCII digits.
    bool number(std::size_t width, int& out) {
        if (text_.size() - pos_ < width)
            return false;
        int value = 0;
        for (std::size_t i = pos_; i < pos_ + width; ++i) {
            if (text_[i] < '0' || text_[i] > '9')
                return false;
            value = value * 10 + (text_[i] - '0');
        }
        pos_ += width;
        out = value;
        return true;
    }
    // One or more ASCII digits, skipped.
    bool digits() {
        const std::size_t from = pos_;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
            ++pos_;
        return pos_ > from;
    }

  private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

bool read_date(Cursor& c, int& y, int& m, int& d) {
    return c.number(4, y) && c.skip('-') && c.number(2, m) && c.skip('-') && c.number(2, d);
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

const char* error_code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::generic:
            return "generic";
        case ErrorCode::invalid_argument:
            return "invalid_argument";
        case ErrorCode::not_found:
            return "not_found";
        case ErrorCode::already_exists:
            return "already_exists";
        case ErrorCode::invalid_state:
            return "invalid_state";
        case ErrorCode::permission_denied:
            return "permission_denied";
        case ErrorCode::parse_error:
            return "parse_error";
        case ErrorCode::storage:
            return "storage";
        case ErrorCode::version_mismatch:
            return "version_mismatch";
        case ErrorCode::no_data:
            return "no_data";
        case ErrorCode::buffer_too_small:
            return "buffer_too_small";
        case ErrorCode::internal:
            return "internal";
    }
    return "unknown";
}

const char* severity_name(Severity s) noexcept {
    switch (s) {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "unknown";
}

const char* version() noexcept {
    return GRIDGOV_VERSION_STRING;
}

Date Date::from_ymd(int year, unsigned month, unsigned day) {
    if (const std::string problem = ymd_problem(year, month, day); !problem.empty()) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
        throw Error(ErrorCode::invalid_argument, std::string(buf) + " is not a date: " + problem);
    }
    return Date{static_cast<std::int32_t>(day_number(year, month, day))};
}

Date Date::parse(std::string_view iso) {
    Cursor c(iso);
    int y = 0, m = 0, d = 0;
    if (!read_date(c, y, m, d) || !c.done())
        bad_date(iso, "");
    if (const std::string problem =
            ymd_problem(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
        !problem.empty()) {
        bad_date(iso, problem);
    }
    return Date{static_cast<std::int32_t>(
        day_number(y, static_cast<unsigned>(m), static_cast<unsigned>(d)))};
}

int Date::year() const {
    const Named n = named(days);
    return static_cast<int>(n.date.year()) + static_cast<int>(n.cycles * cycle_years);
}

unsigned Date::month() const {
    return named(days).date.month();
}

unsigned Date::day() const {
    return named(days).date.day();
}

unsigned Date::iso_weekday() const {
    // Boost counts from Sunday = 0; whole cycles keep the weekday.
    const unsigned w = named(days).date.day_of_week();
    return w == 0 ? 7u : w;
}

std::string Date::to_string() const {
    if (*this <= Date::min())
        return "-inf";
    if (*this >= Date::max())
        return "+inf";
    const Named n = named(days);
    const bg::date::ymd_type ymd = n.date.year_month_day();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u",
                  static_cast<int>(ymd.year) + static_cast<int>(n.cycles * cycle_years),
                  static_cast<unsigned>(ymd.month), static_cast<unsigned>(ymd.day));
    return buf;
}

Instant Instant::from_local(Date d, int minute_of_day) {
    return Instant{static_cast<std::int64_t>(d.days) * 86400 +
                   static_cast<std::int64_t>(minute_of_day) * 60 - cst_offset_seconds};
}

Instant Instant::parse(std::string_view iso) {
    Cursor c(iso);
    int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
    if (!read_date(c, y, mo, d))
        bad_instant(iso, "");
    if (!c.skip('T'))
        bad_instant(iso,
                    c.next_is(' ') ? "the date and the time are joined by 'T', not a space" : "");
    if (!c.number(2, hh) || !c.skip(':') || !c.number(2, mi))
        bad_instant(iso, "");
    if (c.skip(':')) {
        if (!c.number(2, ss))
            bad_instant(iso, "");
        // A fraction of a second, of any precision, is read and dropped: the instant is
        // the whole second at or before the text.
        if (c.skip('.') && !c.digits())
            bad_instant(iso, "");
    }
    bpt::time_duration offset = bpt::seconds(cst_offset_seconds);
    int oh = 0, om = 0;
    char sign = 0;
    if (c.skip('Z')) {
        offset = bpt::time_duration(0, 0, 0);
    } else if (c.next_is('+') || c.next_is('-')) {
        sign = c.next_is('+') ? '+' : '-';
        c.skip(sign);
        // ±HH, ±HH:MM or ±HHMM.
        if (!c.number(2, oh) || (c.skip(':') ? !c.number(2, om) : !c.done() && !c.number(2, om)))
            bad_instant(iso, "");
    }
    if (!c.done())
        bad_instant(iso, "");

    if (const std::string problem =
            ymd_problem(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
        !problem.empty()) {
        bad_instant(iso, problem);
    }
    if (hh > 23)
        bad_instant(iso, "hour " + std::to_string(hh) + " is not 00-23");
    if (mi > 59)
        bad_instant(iso, "minute " + std::to_string(mi) + " is not 00-59");
    if (ss > 59)
        bad_instant(iso, "second " + std::to_string(ss) + " is not 00-59");
    if (sign != 0) {
        if (om > 59)
            bad_instant(iso, "offset minute " + std::to_string(om) + " is not 00-59");
        const bpt::time_duration magnitude(oh, om, 0);
        if (magnitude > bpt::hours(14)) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, oh, om);
            bad_instant(iso, std::string("offset ") + buf + " is beyond ±14:00");
        }
        offset = sign == '+' ? magnitude : -magnitude;
    }
    const bpt::time_duration local(hh, mi, ss);
    return Instant{day_number(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                   (local - offset).total_seconds()};
}

Date Instant::local_date() const {
    return Date{static_cast<std::int32_t>(floor_div(seconds + cst_offset_seconds, 86400))};
}

int Instant::local_minute_of_day() const {
    const std::int64_t local = seconds + cst_offset_seconds;
    return static_cast<int>((local - floor_div(local, 86400) * 86400) / 60);
}

std::string Instant::to_string() const {
    if (*this <= Instant::min())
        return "-inf";
    if (*this >= Instant::max())
        return "+inf";
    const std::int64_t local = seconds + cst_offset_seconds;
    const std::int64_t day = floor_div(local, 86400);
    const Named n = named(day);
    const bg::date::ymd_type ymd = n.date.year_month_day();
    const bpt::time_duration time_of_day = bpt::seconds(local - day * 86400);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d+08:00",
                  static_cast<long long>(ymd.year) + n.cycles * cycle_years,
                  static_cast<unsigned>(ymd.month), static_cast<unsigned>(ymd.day),
                  static_cast<int>(time_of_day.hours()), static_cast<int>(time_of_day.minutes()),
                  static_cast<int>(time_of_day.seconds()));
    return buf;
}
}  // namespace gridgov
