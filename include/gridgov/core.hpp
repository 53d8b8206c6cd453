// gridgov core vocabulary: errors, findings, calendar dates and instants.
//
// Every other gridgov header builds on these. Nothing here depends on Boost, SQLite or
// JSON: the public headers are plain C++17.
#ifndef GRIDGOV_CORE_HPP
#define GRIDGOV_CORE_HPP

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/version.hpp"

namespace gridgov {

/// Error codes. The numeric values are part of the C ABI (GRIDGOV_E* in gridgov.h
/// carry the negated value) and never change; new codes are only appended.
enum class ErrorCode : int {
    generic = 1,            ///< an error with no more specific code
    invalid_argument = 2,   ///< a parameter or an input field is malformed
    not_found = 3,          ///< a code, id or file that does not exist
    already_exists = 4,     ///< a duplicate code or an overlapping record
    invalid_state = 5,      ///< the object is not in a state that allows the call
    permission_denied = 6,  ///< the actor may not do this (directory/workflow guard)
    parse_error = 7,        ///< an input file could not be read as its format
    storage = 8,            ///< SQLite or file-system failure
    version_mismatch = 9,   ///< a workspace written by a newer schema, or a foreign file
    no_data = 10,           ///< the calendar has no data for the requested period
    buffer_too_small = 11,  ///< C ABI only: the caller's buffer is too small
    internal = 12,          ///< a broken invariant inside gridgov (a bug)
};

/// Short stable name of an error code ("invalid_argument", ...).
const char* error_code_name(ErrorCode code) noexcept;

/// The one exception type gridgov throws (besides std::bad_alloc). The code says what
/// kind of failure it is; the message names the offending file, row, field or object.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

  private:
    ErrorCode code_;
};

/// How serious a validation finding is.
enum class Severity : std::uint8_t { info = 0, warning = 1, error = 2 };

const char* severity_name(Severity s) noexcept;

/// A data problem found by validation. Findings are returned, never thrown, and nothing
/// is ever "fixed" silently: the caller decides.
struct Finding {
    std::string rule;  ///< stable rule id, e.g. "hierarchy.code_prefix"
    Severity severity = Severity::error;
    std::string where;    ///< stable code of the subject (node code, person id, ...)
    std::string message;  ///< human-readable explanation naming the values involved
};

/// A calendar date as a day number: days since 1970-01-01 (proleptic Gregorian).
/// Cheap to copy and compare; convert to and from year/month/day or ISO 8601 text.
struct Date {
    std::int32_t days = 0;

    /// The day of a year 0000-9999; throws Error(invalid_argument) naming the date and
    /// why it is none ("February 2026 has 28 days").
    static Date from_ymd(int year, unsigned month, unsigned day);
    /// Parses ISO 8601 "YYYY-MM-DD" (years 0000-9999, nothing else around it); throws
    /// Error(invalid_argument) naming the text, the expected form and the problem.
    static Date parse(std::string_view iso);
    /// The smallest and largest representable dates: "since forever" / "until further notice".
    static constexpr Date min() { return Date{-1000000}; }
    static constexpr Date max() { return Date{1000000}; }

    int year() const;
    unsigned month() const;
    unsigned day() const;
    /// 1 = Monday ... 7 = Sunday (ISO 8601).
    unsigned iso_weekday() const;
    std::string to_string() const;  ///< "YYYY-MM-DD"; "-inf"/"+inf" for min()/max()

    friend constexpr bool operator==(Date a, Date b) { return a.days == b.days; }
    friend constexpr bool operator!=(Date a, Date b) { return a.days != b.days; }
    friend constexpr bool operator<(Date a, Date b) { return a.days < b.days; }
    friend constexpr bool operator<=(Date a, Date b) { return a.days <= b.days; }
    friend constexpr bool operator>(Date a, Date b) { return a.days > b.days; }
    friend constexpr bool operator>=(Date a, Date b) { return a.days >= b.days; }
};

/// A point in time: seconds since 1970-01-01T00:00:00Z. Unambiguous by construction;
/// gridgov's civil time is China Standard Time (UTC+8, no daylight saving).
struct Instant {
    std::int64_t seconds = 0;

    static constexpr std::int64_t cst_offset_seconds = 8 * 3600;

    /// The instant at local (CST) midnight starting `d`, plus `minute_of_day` minutes.
    static Instant from_local(Date d, int minute_of_day = 0);
    /// Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional offset: "Z",
    /// "+08:00", "+0800" or "+08" (at most 14 hours either way). Text without an offset is
    /// China Standard Time. A fraction of a second, of any number of digits, is dropped: the
    /// instant is the whole second at or before the text. The date and the time are joined
    /// by 'T' (a space is refused). Throws Error(invalid_argument) naming the text, the
    /// expected form and, where there is one, the problem ("hour 25 is not 00-23").
    static Instant parse(std::string_view iso);
    static constexpr Instant min() { return Instant{std::numeric_limits<std::int64_t>::min() / 2}; }
    static constexpr Instant max() { return Instant{std::numeric_limits<std::int64_t>::max() / 2}; }

    Date local_date() const;          ///< the CST calendar date of this instant
    int local_minute_of_day() const;  ///< 0..1439 in CST
    /// "YYYY-MM-DDTHH:MM:SS+08:00" in CST; "-inf"/"+inf" for min()/max() and beyond.
    std::string to_string() const;

    friend constexpr bool operator==(Instant a, Instant b) { return a.seconds == b.seconds; }
    friend constexpr bool operator!=(Instant a, Instant b) { return a.seconds != b.seconds; }
    friend constexpr bool operator<(Instant a, Instant b) { return a.seconds < b.seconds; }
    friend constexpr bool operator<=(Instant a, Instant b) { return a.seconds <= b.seconds; }
    friend constexpr bool operator>(Instant a, Instant b) { return a.seconds > b.seconds; }
    friend constexpr bool operator>=(Instant a, Instant b) { return a.seconds >= b.seconds; }
};

/// A half-open validity period [from, to) of dates. `to == Date::max()` means open-ended.
struct Period {
    Date from = Date::min();
    Date to = Date::max();

    bool contains(Date d) const { return from <= d && d < to; }
    bool overlaps(const Period& o) const { return from < o.to && o.from < to; }
    bool empty() const { return !(from < to); }
};

/// Runtime version of the library, e.g. "0.1.0" (compare with GRIDGOV_VERSION_STRING).
const char* version() noexcept;

}  // namespace gridgov

#endif  // GRIDGOV_CORE_HPP
