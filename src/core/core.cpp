#include "gridgov/core.hpp"

#include <charconv>
#include <cstdio>

namespace gridgov {
namespace {

// Civil-date arithmetic on the proleptic Gregorian calendar, with eras of 400 years
// (146097 days) so that every step is integer arithmetic without tables.
constexpr std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

struct Civil {
    int y;
    unsigned m;
    unsigned d;
};

constexpr Civil civil_from_days(std::int32_t z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2 ? 1 : 0), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(civil_from_days(days_from_civil(2026, 2, 17)).d == 17);

constexpr bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned days_in_month(int y, unsigned m) {
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29u : table[m - 1];
}

[[noreturn]] void bad_text(const char* what, std::string_view text) {
    throw Error(ErrorCode::invalid_argument,
                std::string("not a valid ") + what + ": \"" + std::string(text) + "\"");
}

// Reads exactly `width` decimal digits at `pos`; false when they are not all digits.
bool read_digits(std::string_view s, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > s.size())
        return false;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    std::from_chars(s.data() + pos, s.data() + pos + width, out);
    return true;
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
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
        bad_text("date", buf);
    }
    return Date{days_from_civil(year, month, day)};
}

Date Date::parse(std::string_view iso) {
    int y = 0, m = 0, d = 0;
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !read_digits(iso, 0, 4, y) ||
        !read_digits(iso, 5, 2, m) || !read_digits(iso, 8, 2, d)) {
        bad_text("date (expected YYYY-MM-DD)", iso);
    }
    if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) {
        bad_text("date", iso);
    }
    return Date{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

int Date::year() const {
    return civil_from_days(days).y;
}
unsigned Date::month() const {
    return civil_from_days(days).m;
}
unsigned Date::day() const {
    return civil_from_days(days).d;
}

unsigned Date::iso_weekday() const {
    // 1970-01-01 was a Thursday (4).
    const int w = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
    return static_cast<unsigned>(w + 1);
}

std::string Date::to_string() const {
    if (*this <= Date::min())
        return "-inf";
    if (*this >= Date::max())
        return "+inf";
    const Civil c = civil_from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
    return buf;
}

Instant Instant::from_local(Date d, int minute_of_day) {
    return Instant{static_cast<std::int64_t>(d.days) * 86400 +
                   static_cast<std::int64_t>(minute_of_day) * 60 - cst_offset_seconds};
}

Instant Instant::parse(std::string_view iso) {
    if (iso.size() < 16 || iso[10] != 'T' || iso[13] != ':') {
        bad_text("time (expected YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])", iso);
    }
    const Date date = Date::parse(iso.substr(0, 10));
    int hh = 0, mm = 0, ss = 0;
    if (!read_digits(iso, 11, 2, hh) || !read_digits(iso, 14, 2, mm) || hh > 23 || mm > 59) {
        bad_text("time", iso);
    }
    std::size_t pos = 16;
    if (pos < iso.size() && iso[pos] == ':') {
        if (!read_digits(iso, pos + 1, 2, ss) || ss > 59)
            bad_text("time", iso);
        pos += 3;
    }
    std::int64_t offset = cst_offset_seconds;
    if (pos < iso.size()) {
        const std::string_view zone = iso.substr(pos);
        int oh = 0, om = 0;
        if (zone == "Z") {
            offset = 0;
        } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
                   read_digits(zone, 1, 2, oh) && read_digits(zone, 4, 2, om) && oh <= 14 &&
                   om <= 59) {
            offset = (zone[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            bad_text("time zone offset", iso);
        }
    }
    return Instant{static_cast<std::int64_t>(date.days) * 86400 + hh * 3600 + mm * 60 + ss -
                   offset};
}

Date Instant::local_date() const {
    return Date{static_cast<std::int32_t>(floor_div(seconds + cst_offset_seconds, 86400))};
}

int Instant::local_minute_of_day() const {
    const std::int64_t local = seconds + cst_offset_seconds;
    return static_cast<int>((local - floor_div(local, 86400) * 86400) / 60);
}

std::string Instant::to_string() const {
    const std::int64_t local = seconds + cst_offset_seconds;
    const std::int64_t day = floor_div(local, 86400);
    const std::int64_t sod = local - day * 86400;
    const Civil c = civil_from_days(static_cast<std::int32_t>(day));
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", c.y, c.m, c.d,
                  static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60),
                  static_cast<int>(sod % 60));
    return buf;
}

}  // namespace gridgov
