// Timers of the case engine: the heap of pending light changes and deadlines of the
// counting clocks, and tick(), which turns lights and records breaches.
#include <algorithm>
#include <cmath>

#include "cases/engine_impl.hpp"

namespace gridgov {

using detail::ClockSlot;

// ---- scheduling --------------------------------------------------------------------------

void CaseEngine::Impl::schedule(CaseId id) {
    ++cases.generation[id];
    const ClockSlot* c = counting_clock(id);
    if (c == nullptr)
        return;
    const LightThresholds& t = spec_of(id).spec.lights;
    cases.light[id] = static_cast<std::uint8_t>(light_of(*c, t, c->since));
    push_timer(id);
    if (timers.size() > 2 * cases.size() + 4096)
        rebuild_timers();
}

void CaseEngine::Impl::push_timer(CaseId id) {
    const ClockSlot* c = counting_clock(id);
    if (c == nullptr)
        return;
    const LightThresholds& t = spec_of(id).spec.lights;
    detail::TimerEntry e;
    e.case_id = id;
    e.generation = cases.generation[id];
    // A working-time threshold costs a calendar search; until it comes near, the natural
    // instant (working time never runs faster than natural time) stands in for it.
    const auto lower_bound = [&](double share, std::uint8_t what) {
        const auto needed =
            static_cast<std::int64_t>(std::ceil(share * static_cast<double>(c->budget)));
        e.what = what;
        if (needed <= c->used) {
            e.due = c->since;
        } else {
            e.due = c->since + (needed - c->used);
            if ((c->bits & detail::clock_working) != 0)
                e.what |= detail::timer_inexact;
        }
    };
    switch (static_cast<Light>(cases.light[id])) {
        case Light::green:
            lower_bound(t.yellow, detail::timer_yellow);
            break;
        case Light::yellow:
            lower_bound(t.red, detail::timer_red);
            break;
        case Light::red:
            if ((c->bits & detail::clock_breached) != 0)
                return;
            e.what = detail::timer_deadline;
            e.due = c->deadline;
            break;
    }
    timers.push_back(e);
    std::push_heap(timers.begin(), timers.end(), detail::TimerLater{});
}

void CaseEngine::Impl::rebuild_timers() {
    timers.clear();
    for (CaseId id = 0; id < cases.size(); ++id)
        push_timer(id);
}
// ---- timers ------------------------------------------------------------------------------

TickReport CaseEngine::tick(Instant now) {
    Impl& w = *impl_;
    const Impl::Change change(w, "tick");
    TickReport report;
    w.guarded([&] {
        w.process_timers(now.seconds, report);
        return 0;
    });
    return report;
}

void CaseEngine::Impl::process_timers(std::int64_t now, TickReport& report) {
    while (!timers.empty()) {
        const detail::TimerEntry top = timers.front();
        const bool due = top.what == detail::timer_deadline ? top.due < now : top.due <= now;
        if (!due)
            break;
        std::pop_heap(timers.begin(), timers.end(), detail::TimerLater{});
        timers.pop_back();
        if (top.case_id >= cases.size() || cases.generation[top.case_id] != top.generation)
            continue;
        const CaseId id = top.case_id;
        const ClockSlot* c = counting_clock(id);
        if (c == nullptr)
            continue;
        if ((top.what & detail::timer_inexact) != 0) {
            const LightThresholds& t = spec_of(id).spec.lights;
            detail::TimerEntry exact = top;
            exact.what = static_cast<std::uint8_t>(top.what & ~detail::timer_inexact);
            exact.due =
                threshold_instant(*c, exact.what == detail::timer_yellow ? t.yellow : t.red);
            timers.push_back(exact);
            std::push_heap(timers.begin(), timers.end(), detail::TimerLater{});
            continue;
        }
        if (top.what == detail::timer_deadline) {
            const std::uint8_t escalated_tier = cases.tier[id];
            if (const auto seq = breach(id, nullptr)) {
                report.breaches.push_back(*seq);
                if (cases.tier[id] != escalated_tier)
                    ++report.escalations;
            }
            continue;
        }
        const Light to = top.what == detail::timer_yellow ? Light::yellow : Light::red;
        const auto from = static_cast<Light>(cases.light[id]);
        if (to > from) {
            cases.light[id] = static_cast<std::uint8_t>(to);
            report.lights.push_back(
                {id, spec_of(id).spec.stages[spec_of(id).states[cases.state[id]].timer].key, from,
                 to});
        }
        push_timer(id);
    }
}

}  // namespace gridgov
