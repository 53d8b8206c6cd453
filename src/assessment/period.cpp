// Assessment periods and indicator values.
#include <cstdio>
#include <string>

#include "assessment/names_impl.hpp"
#include "gridgov/assessment.hpp"
#include "scheme_impl.hpp"

namespace gridgov {

IndicatorValue IndicatorValue::of(double value, std::vector<std::string> sources) {
    IndicatorValue v;
    v.value = value;
    v.sources = std::move(sources);
    return v;
}

IndicatorValue IndicatorValue::undefined(std::string reason, std::vector<std::string> sources) {
    IndicatorValue v;
    v.reason = std::move(reason);
    v.sources = std::move(sources);
    return v;
}

bool operator==(const IndicatorValue& a, const IndicatorValue& b) {
    return a.value == b.value && a.reason == b.reason && a.sources == b.sources;
}

IndicatorValue rate_percent(const IndicatorValue& numerator, const IndicatorValue& denominator,
                            std::string_view denominator_name) {
    if (!numerator.defined())
        return IndicatorValue::undefined(numerator.reason, numerator.sources);
    if (!denominator.defined())
        return IndicatorValue::undefined(denominator.reason, numerator.sources);
    if (*denominator.value == 0)
        return IndicatorValue::undefined(std::string(denominator_name) + " is 0",
                                         numerator.sources);
    return IndicatorValue::of(*numerator.value / *denominator.value * 100.0, numerator.sources);
}

const char* period_kind_name(PeriodKind kind) noexcept {
    return detail::enum_name(detail::period_kind_names, kind, "?");
}

PeriodKind parse_period_kind(std::string_view text) {
    return detail::parse_enum(detail::period_kind_names, text, "period kind");
}

namespace detail {

int periods_per_year(PeriodKind kind) {
    switch (kind) {
        case PeriodKind::month:
            return 12;
        case PeriodKind::quarter:
            return 4;
        case PeriodKind::half_year:
            return 2;
        case PeriodKind::year:
            return 1;
    }
    return 1;
}

}  // namespace detail

namespace {

using detail::periods_per_year;

int months_per_period(PeriodKind kind) {
    return 12 / periods_per_year(kind);
}

bool all_digits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s)
        v = v * 10 + (c - '0');
    return v;
}

}  // namespace

AssessmentPeriod AssessmentPeriod::of(PeriodKind kind, int year, int index) {
    if (index < 1 || index > periods_per_year(kind))
        throw Error(ErrorCode::invalid_argument,
                    std::string("period index ") + std::to_string(index) +
                        " is out of range for a " + period_kind_name(kind) + " (1.." +
                        std::to_string(periods_per_year(kind)) + ")");
    return AssessmentPeriod{kind, year, index};
}

AssessmentPeriod AssessmentPeriod::parse(std::string_view text) {
    auto bad = [&]() {
        return Error(ErrorCode::invalid_argument,
                     "period '" + std::string(text) + "' is not YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn");
    };
    if (text.size() < 4 || !all_digits(text.substr(0, 4)))
        throw bad();
    int year = to_int(text.substr(0, 4));
    if (text.size() == 4)
        return of(PeriodKind::year, year, 1);
    if (text.size() < 6 || text[4] != '-')
        throw bad();
    std::string_view rest = text.substr(5);
    PeriodKind kind = PeriodKind::month;
    if (rest[0] == 'Q') {
        kind = PeriodKind::quarter;
        rest.remove_prefix(1);
    } else if (rest[0] == 'H') {
        kind = PeriodKind::half_year;
        rest.remove_prefix(1);
    } else if (rest.size() != 2) {
        throw bad();
    }
    if (!all_digits(rest) || rest.size() > 2)
        throw bad();
    return of(kind, year, to_int(rest));
}

AssessmentPeriod AssessmentPeriod::containing(PeriodKind kind, Date d) {
    int month0 = static_cast<int>(d.month()) - 1;
    return AssessmentPeriod{kind, d.year(), month0 / months_per_period(kind) + 1};
}

std::string AssessmentPeriod::label() const {
    char buf[32];
    switch (kind) {
        case PeriodKind::month:
            std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
            break;
        case PeriodKind::quarter:
            std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
            break;
        case PeriodKind::half_year:
            std::snprintf(buf, sizeof buf, "%04d-H%d", year, index);
            break;
        case PeriodKind::year:
            std::snprintf(buf, sizeof buf, "%04d", year);
            break;
    }
    return buf;
}

Period AssessmentPeriod::dates() const {
    int first_month = (index - 1) * months_per_period(kind) + 1;
    int end_month = first_month + months_per_period(kind);
    Date from = Date::from_ymd(year, static_cast<unsigned>(first_month), 1);
    Date to = end_month > 12 ? Date::from_ymd(year + 1, 1, 1)
                             : Date::from_ymd(year, static_cast<unsigned>(end_month), 1);
    return Period{from, to};
}

Instant AssessmentPeriod::last_instant() const {
    return Instant{Instant::from_local(dates().to, 0).seconds - 1};
}

AssessmentPeriod AssessmentPeriod::previous() const {
    if (index > 1)
        return AssessmentPeriod{kind, year, index - 1};
    return AssessmentPeriod{kind, year - 1, periods_per_year(kind)};
}

AssessmentPeriod AssessmentPeriod::next() const {
    if (index < periods_per_year(kind))
        return AssessmentPeriod{kind, year, index + 1};
    return AssessmentPeriod{kind, year + 1, 1};
}

bool AssessmentPeriod::within(const AssessmentPeriod& outer) const {
    Period in = dates();
    Period out = outer.dates();
    return out.from <= in.from && in.to <= out.to;
}

bool operator<(const AssessmentPeriod& a, const AssessmentPeriod& b) {
    if (a.kind != b.kind)
        return a.kind < b.kind;
    if (a.year != b.year)
        return a.year < b.year;
    return a.index < b.index;
}

}  // namespace gridgov
