// Stage clocks of the case engine: elapsed time on the working calendar, deadlines, lights,
// limits resolved per case, and the clock effects of a transition.
#include <cmath>

#include "cases/engine_impl.hpp"

namespace gridgov {

using detail::ClockSlot;
using detail::CompiledSpec;
using detail::CompiledTransition;
using detail::none16;

// ---- clocks ------------------------------------------------------------------------------

std::int64_t CaseEngine::Impl::clock_span(const ClockSlot& c, std::int64_t a,
                                          std::int64_t b) const {
    if (b <= a)
        return 0;
    if ((c.bits & detail::clock_working) == 0)
        return b - a;
    return config->calendar
        .working_time_report(Instant{a}, Instant{b}, NoDataPolicy::assume_weekdays)
        .seconds;
}

void CaseEngine::Impl::compute_deadline(ClockSlot& c) const {
    const std::int64_t remaining = static_cast<std::int64_t>(c.budget) - c.used;
    // A clock that ran out before it stopped keeps the deadline it missed.
    if (remaining < 0)
        return;
    if ((c.bits & detail::clock_working) == 0) {
        c.deadline = c.since + remaining;
        return;
    }
    const DeadlineReport r = config->calendar.add_working_seconds(Instant{c.since}, remaining,
                                                                  NoDataPolicy::assume_weekdays);
    c.deadline = r.deadline.seconds;
    if (r.assumed_years.empty()) {
        c.bits = static_cast<std::uint8_t>(c.bits & ~detail::clock_assumed);
    } else {
        c.bits |= detail::clock_assumed;
    }
}

std::int64_t CaseEngine::Impl::threshold_instant(const ClockSlot& c, double share) const {
    const auto needed = static_cast<std::int64_t>(std::ceil(share * static_cast<double>(c.budget)));
    if (needed <= c.used)
        return c.since;
    if ((c.bits & detail::clock_working) == 0)
        return c.since + (needed - c.used);
    return config->calendar
        .add_working_seconds(Instant{c.since}, needed - c.used, NoDataPolicy::assume_weekdays)
        .deadline.seconds;
}

Light CaseEngine::Impl::light_of(const ClockSlot& c, const LightThresholds& t,
                                 std::int64_t now) const {
    std::int64_t elapsed = c.used;
    if (c.run == static_cast<std::uint8_t>(ClockRun::counting))
        elapsed += clock_span(c, c.since, now);
    const auto e = static_cast<double>(elapsed);
    const auto b = static_cast<double>(c.budget);
    if (e >= t.red * b)
        return Light::red;
    if (e >= t.yellow * b)
        return Light::yellow;
    return Light::green;
}

std::int64_t CaseEngine::Impl::clock_seconds(const TimeLimit& limit, std::int64_t start) const {
    std::int64_t s = 0;
    switch (limit.unit) {
        case TimeUnit::natural_minutes:
        case TimeUnit::working_minutes:
            s = limit.value * 60;
            break;
        case TimeUnit::natural_hours:
        case TimeUnit::working_hours:
            s = limit.value * 3600;
            break;
        case TimeUnit::natural_days:
            s = limit.value * 86400;
            break;
        case TimeUnit::working_days:
            if (limit.day_rule == WorkingDayRule::close_of_business) {
                const Instant until =
                    config->calendar
                        .deadline_report(Instant{start}, limit, NoDataPolicy::assume_weekdays)
                        .deadline;
                s = config->calendar
                        .working_time_report(Instant{start}, until, NoDataPolicy::assume_weekdays)
                        .seconds;
            } else {
                s = limit.value * config->calendar.working_day_length(Instant{start}.local_date());
            }
            break;
    }
    if (s < 0 || s > std::numeric_limits<std::int32_t>::max()) {
        throw Error(ErrorCode::invalid_argument,
                    "time limit " + limit.to_json() + " is longer than a case clock can count");
    }
    return s;
}

std::optional<CaseEngine::Impl::LimitEntry> CaseEngine::Impl::resolve(CaseId id,
                                                                      std::uint16_t stage,
                                                                      bool remember) const {
    const std::uint64_t key = (static_cast<std::uint64_t>(cases.spec[id]) << 48) |
                              (static_cast<std::uint64_t>(cases.category[id]) << 32) |
                              (static_cast<std::uint64_t>(cases.area[id]) << 16) | stage;
    const auto it = limit_cache.find(key);
    if (it != limit_cache.end())
        return it->second;
    const CompiledSpec& cs = spec_of(id);
    const Category& category = config->categories.categories[cases.category[id]];
    LimitEntry entry;
    if (const auto r = resolve_limit(cs.spec, &category, cs.spec.stages[stage].key,
                                     areas.at(cases.area[id]))) {
        entry.timed = true;
        entry.limit = r->limit;
    }
    // Readers on other threads may be looking up the cache: only a writer fills it.
    if (remember)
        limit_cache.emplace(key, entry);
    return entry;
}

const ClockSlot* CaseEngine::Impl::counting_clock(CaseId id) const {
    const std::uint16_t stage = spec_of(id).states[cases.state[id]].timer;
    if (stage == none16)
        return nullptr;
    const ClockSlot& c = slots(id)[stage];
    return c.run == static_cast<std::uint8_t>(ClockRun::counting) ? &c : nullptr;
}

void CaseEngine::Impl::stop_counting(ClockSlot& c, std::int64_t at) const {
    c.used += clock_span(c, c.since, at);
    c.since = at;
    c.run = static_cast<std::uint8_t>(ClockRun::idle);
}

void CaseEngine::Impl::start_counting(ClockSlot& c, std::int64_t at) const {
    c.run = static_cast<std::uint8_t>(ClockRun::counting);
    c.since = at;
    compute_deadline(c);
}

void CaseEngine::Impl::start_fresh(CaseId id, std::uint16_t stage, std::int64_t at,
                                   const detail::ReplayLimits* replay) {
    std::optional<TimeLimit> limit;
    if (replay != nullptr) {
        const std::string& key = spec_of(id).spec.stages[stage].key;
        for (const auto& [k, l] : replay->started) {
            if (k == key)
                limit = l;
        }
    } else if (const auto entry = resolve(id, stage, true); entry && entry->timed) {
        limit = entry->limit;
    }
    ClockSlot& c = slots(id)[stage];
    c = ClockSlot{};
    if (!limit)
        return;
    const std::int64_t seconds = clock_seconds(*limit, at);
    c.start = at;
    c.since = at;
    c.limit_value = limit->value;
    c.unit = static_cast<std::uint8_t>(limit->unit);
    c.day_rule = static_cast<std::uint8_t>(limit->day_rule);
    c.limit_seconds = static_cast<std::int32_t>(seconds);
    c.budget = c.limit_seconds;
    c.bits = limit->counts_working_time() ? detail::clock_working : 0;
    c.run = static_cast<std::uint8_t>(ClockRun::counting);
    compute_deadline(c);
    started.push_back({stage, *limit});
}

void CaseEngine::Impl::apply_clock_effect(CaseId id, const CompiledTransition& t, std::uint16_t to,
                                          std::int64_t at, const detail::ReplayLimits* replay) {
    const CompiledSpec& cs = spec_of(id);
    const std::uint16_t from = cases.state[id];
    const std::uint16_t cur = cs.states[from].timer;
    const std::uint16_t tgt = cs.states[to].timer;
    ClockSlot* s = slots(id);
    const auto counting = static_cast<std::uint8_t>(ClockRun::counting);
    const auto idle = static_cast<std::uint8_t>(ClockRun::idle);
    const auto suspended = static_cast<std::uint8_t>(ClockRun::suspended);

    const auto continue_into = [&] {
        if (from == to)
            return;
        if (cur != none16 && cur != tgt && s[cur].run == counting)
            stop_counting(s[cur], at);
        if (tgt == none16)
            return;
        ClockSlot& c = s[tgt];
        if (c.run == detail::clock_absent) {
            start_fresh(id, tgt, at, replay);
        } else if (c.run == idle || c.run == suspended) {
            start_counting(c, at);
        }
    };

    switch (t.clock) {
        case ClockEffect::continue_running:
            continue_into();
            break;
        case ClockEffect::pause:
            if (cur != none16 && s[cur].run == counting) {
                stop_counting(s[cur], at);
                s[cur].run = suspended;
            }
            break;
        case ClockEffect::resume: {
            std::uint16_t held = none16;
            for (std::uint16_t k = 0; k < cs.stage_count(); ++k) {
                if (s[k].run == suspended)
                    held = k;
            }
            if (held != none16 && held == tgt) {
                start_counting(s[held], at);
            } else {
                if (held != none16)
                    s[held].run = idle;
                continue_into();
            }
            break;
        }
        case ClockEffect::reset:
            if (cur != none16 && cur != tgt && s[cur].run == counting)
                stop_counting(s[cur], at);
            if (tgt != none16)
                start_fresh(id, tgt, at, replay);
            break;
        case ClockEffect::stop:
            for (std::uint16_t k = 0; k < cs.stage_count(); ++k) {
                if (s[k].run == detail::clock_absent)
                    continue;
                if (s[k].run == counting)
                    stop_counting(s[k], at);
                s[k].run = static_cast<std::uint8_t>(ClockRun::stopped);
                s[k].since = at;
            }
            break;
    }
}

}  // namespace gridgov
