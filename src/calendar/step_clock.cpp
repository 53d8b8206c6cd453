// StepClock: elapsed, remaining and deadline of one timed step with suspensions and
// extensions, in natural or working time.
#include <algorithm>
#include <cmath>

#include "gridgov/calendar.hpp"
#include "io/enum_names.hpp"

namespace gridgov {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorCode::invalid_argument, message);
}

// Bounds every instant a clock stores, so that differences of two never overflow.
Instant checked(Instant t, const char* what) {
    if (t < Instant::min() || t > Instant::max()) {
        invalid(std::string(what) + " " + std::to_string(t.seconds) +
                " s is outside the representable instants");
    }
    return t;
}

// Clock seconds of a limit that does not depend on where it starts: natural units,
// working minutes and hours, and working days as multiples of `day_length`.
std::int64_t fixed_seconds(const TimeLimit& limit, std::int64_t day_length) {
    switch (limit.unit) {
        case TimeUnit::natural_minutes:
        case TimeUnit::working_minutes:
            return limit.value * 60;
        case TimeUnit::natural_hours:
        case TimeUnit::working_hours:
            return limit.value * 3600;
        case TimeUnit::natural_days:
            return limit.value * 86400;
        case TimeUnit::working_days:
            return limit.value * day_length;
    }
    return 0;
}

// Far-off instants have no printable date: name them in seconds.
std::string text(Instant t) {
    return t.seconds > -(1LL << 40) && t.seconds < (1LL << 40) ? t.to_string()
                                                               : std::to_string(t.seconds) + " s";
}

void merge_years(std::vector<int>& into, const std::vector<int>& more) {
    for (int y : more) {
        const auto at = std::lower_bound(into.begin(), into.end(), y);
        if (at == into.end() || *at != y)
            into.insert(at, y);
    }
}

}  // namespace

namespace {

constexpr detail::EnumName<Light> light_names[] = {
    {Light::green, "green"},
    {Light::yellow, "yellow"},
    {Light::red, "red"},
};

}  // namespace

const char* light_name(Light light) noexcept {
    return detail::enum_name(light_names, light);
}

Light parse_light(std::string_view text) {
    return detail::parse_enum(light_names, text, "light");
}

void LightThresholds::validate() const {
    if (!(std::isfinite(yellow) && std::isfinite(red) && yellow > 0 && yellow <= red)) {
        invalid("light thresholds yellow " + std::to_string(yellow) + " and red " +
                std::to_string(red) + " must satisfy 0 < yellow <= red");
    }
}

StepClock::StepClock(Instant start, TimeLimit limit, LightThresholds thresholds)
    : start_(checked(start, "start")), limit_(limit), thresholds_(thresholds) {
    limit_.validate();
    thresholds_.validate();
}

void StepClock::pause(Instant at) {
    checked(at, "suspension");
    if (paused()) {
        throw Error(ErrorCode::invalid_state,
                    "the clock is already suspended since " + text(pauses_.back().from));
    }
    const Instant earliest = pauses_.empty() ? start_ : pauses_.back().to;
    if (at < earliest) {
        invalid("a suspension at " + text(at) + " is before " +
                (pauses_.empty() ? "the start " : "the last resumption ") + text(earliest));
    }
    pauses_.push_back(ClockPause{at, Instant::max()});
}

void StepClock::resume(Instant at) {
    checked(at, "resumption");
    if (!paused())
        throw Error(ErrorCode::invalid_state, "the clock is not suspended");
    if (at == Instant::max())
        invalid("a resumption needs a definite instant");
    if (at < pauses_.back().from) {
        invalid("a resumption at " + text(at) + " is before the suspension at " +
                text(pauses_.back().from));
    }
    pauses_.back().to = at;
}

void StepClock::extend(Instant granted_at, const TimeLimit& amount) {
    checked(granted_at, "extension");
    amount.validate();
    if (amount.counts_working_time() != limit_.counts_working_time()) {
        invalid(std::string("an extension in ") + time_unit_name(amount.unit) +
                " does not fit a clock that counts " +
                (limit_.counts_working_time() ? "working" : "natural") + " time");
    }
    if (granted_at < start_) {
        invalid("an extension granted at " + text(granted_at) + " is before the start " +
                text(start_));
    }
    extensions_.push_back(ClockExtension{granted_at, amount});
}

void StepClock::set_thresholds(LightThresholds thresholds) {
    thresholds.validate();
    thresholds_ = thresholds;
}

ClockStatus StepClock::status(const WorkingCalendar& calendar, Instant now,
                              NoDataPolicy policy) const {
    checked(now, "instant");
    ClockStatus st;
    st.working_time = limit_.counts_working_time();
    // Every calendar call assumes the weekday rule and records it; the policy is applied
    // once at the end, so that the error names the earliest year the clock crosses.
    std::vector<int>& assumed = st.assumed_years;
    const auto span = [&](Instant a, Instant b) -> std::int64_t {
        if (!st.working_time)
            return b.seconds - a.seconds;
        WorkingTimeReport r = calendar.working_time_report(a, b, NoDataPolicy::assume_weekdays);
        merge_years(assumed, r.assumed_years);
        return r.seconds;
    };
    const auto advance = [&](Instant a, std::int64_t seconds) -> Instant {
        if (!st.working_time)
            return Instant{a.seconds + seconds};
        DeadlineReport r = calendar.add_working_seconds(a, seconds, NoDataPolicy::assume_weekdays);
        merge_years(assumed, r.assumed_years);
        return r.deadline;
    };

    // span() of an empty interval checks that the start lies within the calendar.
    const std::int64_t day_length = st.working_time && span(start_, start_) == 0
                                        ? calendar.working_day_length(start_.local_date())
                                        : 0;
    if (limit_.unit == TimeUnit::working_days &&
        limit_.day_rule == WorkingDayRule::close_of_business) {
        DeadlineReport r = calendar.deadline_report(start_, limit_, NoDataPolicy::assume_weekdays);
        merge_years(assumed, r.assumed_years);
        st.limit = span(start_, r.deadline);
    } else {
        st.limit = fixed_seconds(limit_, day_length);
    }
    for (const ClockExtension& e : extensions_) {
        if (e.granted_at <= now)
            st.limit += fixed_seconds(e.amount, day_length);
    }

    // Suspensions are chronological; one still open at `now` ends at `now` for the
    // elapsed time and is assumed to end now for the deadline.
    const Instant at = std::max(now, start_);
    Instant cursor = start_;
    for (const ClockPause& p : pauses_) {
        if (p.from > at)
            break;
        st.elapsed += span(cursor, p.from);
        if (p.to > at) {
            st.paused = true;
            cursor = at;
            break;
        }
        cursor = p.to;
    }
    if (!st.paused)
        st.elapsed += span(cursor, at);

    std::int64_t rest = st.limit;
    cursor = start_;
    bool found = false;
    for (const ClockPause& p : pauses_) {
        if (p.from > at)
            break;
        const std::int64_t run = span(cursor, p.from);
        if (run >= rest) {
            st.deadline = advance(cursor, rest);
            found = true;
            break;
        }
        rest -= run;
        if (p.to > at) {
            cursor = at;
            break;
        }
        cursor = p.to;
    }
    if (!found)
        st.deadline = advance(cursor, rest);

    if (policy == NoDataPolicy::error && !assumed.empty()) {
        throw Error(ErrorCode::no_data,
                    "the calendar has no data for " + std::to_string(assumed.front()));
    }
    st.remaining = std::max<std::int64_t>(0, st.limit - st.elapsed);
    st.overdue_by = std::max<std::int64_t>(0, st.elapsed - st.limit);
    st.overdue = now > st.deadline;
    const double elapsed = static_cast<double>(st.elapsed);
    const double limit = static_cast<double>(st.limit);
    st.light = elapsed >= thresholds_.red * limit      ? Light::red
               : elapsed >= thresholds_.yellow * limit ? Light::yellow
                                                       : Light::green;
    return st;
}

}  // namespace gridgov
