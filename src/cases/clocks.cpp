// Stage clocks of the case engine: elapsed time on the working calendar, deadlines, lights,
// limits resolved per case, and the clock effects of a transition.
#include <algorithm>
#include <cmath>
#include <limits>

#include "cases/engine_impl.hpp"
#include "core/varint.hpp"

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
    // A cold case's state counts no clock (may_cool()).
    if (stage == none16 || cold(id))
        return nullptr;
    const ClockSlot& c = clocks[cases.clock_base[id] + stage];
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

// ---- hot and cold clocks -------------------------------------------------------------------

namespace detail {

namespace {

void put_signed(std::string& out, std::int64_t v) {
    put_varint(out, zigzag(v));
}

}  // namespace

void pack_clocks(std::string& out, std::size_t stages, const ClockSlot* s) {
    out.clear();
    for (std::size_t k = 0; k < stages; ++k) {
        const ClockSlot& c = s[k];
        if (c.run == clock_absent)
            continue;
        put_varint(out, k);
        out += static_cast<char>(c.run);
        out += static_cast<char>(c.unit);
        out += static_cast<char>(c.day_rule);
        out += static_cast<char>(c.bits & (clock_breached | clock_assumed));
        put_varint(out, c.extensions);
        put_signed(out, c.limit_value);
        put_signed(out, c.limit_seconds);
        put_signed(out, static_cast<std::int64_t>(c.budget) - c.limit_seconds);
        put_signed(out, c.start);
        put_signed(out, c.since - c.start);
        put_signed(out, c.used);
        put_signed(out, c.deadline - c.start);
    }
}

void unpack_clocks(std::string_view packed, std::size_t stages, ClockSlot* slots) {
    VarintReader in(packed);
    std::size_t next = 0;
    while (!in.done()) {
        const std::uint64_t stage = in.varint();
        if (stage < next || stage >= stages)
            throw std::invalid_argument("stage " + std::to_string(stage) + " out of order or " +
                                        "beyond the workflow's " + std::to_string(stages) +
                                        " stages");
        next = stage + 1;
        ClockSlot& c = slots[stage];
        c.run = in.byte(static_cast<unsigned>(ClockRun::stopped), "clock run");
        c.unit = in.byte(static_cast<unsigned>(TimeUnit::working_days), "time unit");
        c.day_rule =
            in.byte(static_cast<unsigned>(WorkingDayRule::close_of_business), "working-day rule");
        const std::uint8_t bits = in.byte(clock_breached | clock_assumed, "clock bits");
        if ((bits & ~(clock_breached | clock_assumed)) != 0)
            throw std::invalid_argument("clock bits " + std::to_string(bits) + " are unknown");
        c.bits = static_cast<std::uint8_t>(
            bits |
            (c.unit >= static_cast<std::uint8_t>(TimeUnit::working_minutes) ? clock_working : 0));
        const std::uint64_t extensions = in.varint();
        if (extensions > std::numeric_limits<std::uint16_t>::max())
            throw std::invalid_argument("extensions " + std::to_string(extensions) +
                                        " is out of range");
        c.extensions = static_cast<std::uint16_t>(extensions);
        c.limit_value = in.signed_varint();
        c.limit_seconds = in.within<std::int32_t>(in.signed_varint(), "limit seconds");
        c.budget = in.within<std::int32_t>(VarintReader::sum(c.limit_seconds, in.signed_varint()),
                                           "budget");
        c.start = in.signed_varint();
        c.since = VarintReader::sum(c.start, in.signed_varint());
        c.used = in.signed_varint();
        c.deadline = VarintReader::sum(c.start, in.signed_varint());
    }
}

std::size_t ClockShapes::Hash::operator()(const ClockShape& s) const noexcept {
    std::uint64_t h = 0;
    std::apply(
        [&h](const auto&... field) {
            ((h ^= static_cast<std::uint64_t>(field) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2)),
             ...);
        },
        s.key());
    return static_cast<std::size_t>(h);
}

std::uint32_t ClockShapes::intern(std::size_t stage, const ClockSlot& c) {
    ClockShape s;
    s.slot = c;
    s.slot.start = s.slot.since = s.slot.deadline = s.slot.used = 0;
    s.stage = static_cast<std::uint16_t>(stage);
    const bool early = stage < recent_.size();
    if (early && recent_[stage] != none32 && shapes_[recent_[stage]] == s)
        return recent_[stage];
    const auto [it, added] = index_.try_emplace(s, static_cast<std::uint32_t>(shapes_.size()));
    if (added)
        shapes_.push_back(s);
    if (early)
        recent_[stage] = it->second;
    return it->second;
}

const ClockShape& ClockShapes::at(std::uint64_t index) const {
    if (index >= shapes_.size())
        throw std::invalid_argument("clock shape " + std::to_string(index) + " is unknown");
    return shapes_[index];
}

void ClockShapes::clear() {
    shapes_.clear();
    index_.clear();
    recent_.fill(none32);
}

namespace {

// Differences and sums of instants that wrap instead of overflowing (the cold form holds
// what the engine holds, whatever its range).
std::int64_t minus(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
std::int64_t plus(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

}  // namespace

void pack_cold(std::string& out, std::size_t stages, const ClockSlot* s, ClockShapes& shapes) {
    out.clear();
    std::int64_t previous = 0;
    for (std::size_t k = 0; k < stages; ++k) {
        const ClockSlot& c = s[k];
        if (c.run == clock_absent)
            continue;
        put_varint(out, shapes.intern(k, c));
        put_signed(out, minus(c.start, previous));
        put_signed(out, minus(c.since, c.start));
        put_signed(out, c.used);
        put_signed(out, minus(c.deadline, c.start));
        previous = c.start;
    }
}

void unpack_cold(std::string_view form, std::size_t stages, ClockSlot* slots,
                 const ClockShapes& shapes) {
    VarintReader in(form);
    std::int64_t previous = 0;
    while (!in.done()) {
        const ClockShape& shape = shapes.at(in.varint());
        if (shape.stage >= stages)
            throw std::invalid_argument("stage " + std::to_string(shape.stage) +
                                        " beyond the workflow's " + std::to_string(stages) +
                                        " stages");
        ClockSlot& c = slots[shape.stage];
        c = shape.slot;
        c.start = plus(previous, in.signed_varint());
        c.since = plus(c.start, in.signed_varint());
        c.used = in.signed_varint();
        c.deadline = plus(c.start, in.signed_varint());
        previous = c.start;
    }
}

namespace {

// The packed clocks of the cold case whose clock_base is `base`, in a cold store.
std::string_view cold_form(const char* store, std::size_t size, std::uint64_t base) {
    const auto* p = reinterpret_cast<const unsigned char*>(store) + (base & ~cold_clock);
    const std::uint64_t n = read_varint(p, reinterpret_cast<const unsigned char*>(store) + size);
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

// The whole entry of that case in the store: the length store_cold() wrote, then the form.
std::string_view cold_entry(const char* store, std::size_t size, std::uint64_t base) {
    const std::string_view form = cold_form(store, size, base);
    const std::size_t length = varint_size(form.size());
    return {form.data() - length, length + form.size()};
}

const ClockSlot* clock_slots(std::uint64_t base, const ClockSlot* hot, const char* cold,
                             std::size_t cold_size, const ClockShapes& shapes, std::size_t stages,
                             std::vector<ClockSlot>& scratch) {
    if ((base & cold_clock) == 0)
        return hot + base;
    scratch.assign(stages, ClockSlot{});
    unpack_cold(cold_form(cold, cold_size, base), stages, scratch.data(), shapes);
    return scratch.data();
}

}  // namespace

const ClockSlot* CaseColumns::slots(CaseId id, std::vector<ClockSlot>& scratch) const {
    return clock_slots(clock_base[id], clocks.data(), cold.data(), cold.size(),
                       engine_->clock_shapes, engine_->spec_of(id).stage_count(), scratch);
}

const void* CaseColumns::clocks_address(CaseId id) const {
    const std::uint64_t base = clock_base[id];
    if ((base & cold_clock) != 0)
        return cold.data() + (base & ~cold_clock);
    return clocks.data() + base;
}

}  // namespace detail

const ClockSlot* CaseEngine::Impl::read_slots(CaseId id, std::vector<ClockSlot>& scratch) const {
    return detail::clock_slots(cases.clock_base[id], clocks.data(), cold_clocks.data(),
                               cold_clocks.size(), clock_shapes, spec_of(id).stage_count(),
                               scratch);
}

void CaseEngine::Impl::packed_clocks(CaseId id, std::string& out) const {
    thread_local std::vector<ClockSlot> scratch;
    detail::pack_clocks(out, spec_of(id).stage_count(), read_slots(id, scratch));
}

bool CaseEngine::Impl::may_cool(CaseId id) const {
    const CompiledSpec& cs = spec_of(id);
    const std::uint16_t state = cases.state[id];
    const StateKind kind = cs.spec.states[state].kind;
    return (kind == StateKind::closed || kind == StateKind::voided) &&
           cs.states[state].timer == none16;
}

void CaseEngine::Impl::warm(CaseId id) {
    const std::uint64_t base = cases.clock_base[id];
    if ((base & detail::cold_clock) == 0)
        return;
    leave_clocks(id);
    const std::uint64_t at = new_run(id);
    detail::unpack_cold(detail::cold_form(cold_clocks.data(), cold_clocks.size(), base),
                        spec_of(id).stage_count(), clocks.data() + at, clock_shapes);
    cases.clock_base[id] = at;
}

std::uint64_t CaseEngine::Impl::new_run(CaseId id) {
    const std::uint64_t at = clocks.size();
    clocks.resize(clocks.size() + spec_of(id).stage_count());
    hot_runs.emplace_back(id, at);
    return at;
}

void CaseEngine::Impl::store_cold(CaseId id, std::string_view packed) {
    const std::uint64_t at = cold_clocks.size();
    std::string length;  // a few bytes: no allocation
    detail::put_varint(length, packed.size());
    cold_clocks.insert(cold_clocks.end(), length.begin(), length.end());
    cold_clocks.insert(cold_clocks.end(), packed.begin(), packed.end());
    cases.clock_base[id] = detail::cold_clock | at;
}

void CaseEngine::Impl::place_clocks(CaseId id, std::string_view packed, bool fresh) {
    const std::size_t n = spec_of(id).stage_count();
    if (may_cool(id)) {
        clock_scratch.assign(n, ClockSlot{});
        detail::unpack_clocks(packed, n, clock_scratch.data());
        if (!fresh)
            leave_clocks(id);
        detail::pack_cold(pack_buffer, n, clock_scratch.data(), clock_shapes);
        store_cold(id, pack_buffer);
        return;
    }
    if (fresh || cold(id)) {
        if (!fresh)
            leave_clocks(id);
        cases.clock_base[id] = new_run(id);
    } else {
        std::fill_n(slots(id), n, ClockSlot{});
    }
    detail::unpack_clocks(packed, n, slots(id));
}

void CaseEngine::Impl::leave_clocks(CaseId id) {
    const std::uint64_t base = cases.clock_base[id];
    if ((base & detail::cold_clock) != 0) {
        dead_cold_bytes += detail::cold_entry(cold_clocks.data(), cold_clocks.size(), base).size();
    } else {
        dead_slots += spec_of(id).stage_count();
    }
}

void CaseEngine::Impl::cool(CaseId id) {
    if (cold(id))
        return;
    const std::size_t n = spec_of(id).stage_count();
    detail::pack_cold(pack_buffer, n, slots(id), clock_shapes);
    store_cold(id, pack_buffer);
    dead_slots += n;
}

void CaseEngine::Impl::cool_settled() {
    const auto consider = [this](CaseId id) {
        if (id < cases.size() && !cold(id) && may_cool(id))
            cool(id);
    };
    for (const detail::SavedCase& s : journal.cases)
        consider(s.id);
    for (std::size_t id = std::min(settled_cases, cases.size()); id < cases.size(); ++id)
        consider(static_cast<CaseId>(id));
    settled_cases = cases.size();
    constexpr std::size_t slack_slots = 4096;
    constexpr std::size_t slack_bytes = std::size_t{1} << 20;
    // A compaction walks what it keeps (the runs given out since the last one; every case
    // for the cold store) once half of its store is left unused: its cost is spread over
    // what was left.
    if (dead_slots > slack_slots && 2 * dead_slots > clocks.size())
        compact_clocks();
    if (dead_cold_bytes > slack_bytes && 2 * dead_cold_bytes > cold_clocks.size())
        compact_cold_clocks();
}

void CaseEngine::Impl::compact_clocks() {
    detail::ColumnVector<ClockSlot> hot;
    std::vector<std::pair<CaseId, std::uint64_t>> runs;
    for (const auto& [id, base] : hot_runs) {
        // A run is in use while its case names it (a rollback or a cooling leaves others).
        if (id >= cases.size() || cases.clock_base[id] != base)
            continue;
        const std::size_t n = spec_of(id).stage_count();
        const std::uint64_t at = hot.size();
        hot.insert(hot.end(), clocks.begin() + static_cast<std::ptrdiff_t>(base),
                   clocks.begin() + static_cast<std::ptrdiff_t>(base + n));
        cases.clock_base[id] = at;
        runs.emplace_back(id, at);
    }
    clocks.swap(hot);
    hot_runs.swap(runs);
    dead_slots = 0;
}

void CaseEngine::Impl::compact_cold_clocks() {
    detail::ColumnVector<char> packed;
    for (CaseId id = 0; id < cases.size(); ++id) {
        const std::uint64_t base = cases.clock_base[id];
        if ((base & detail::cold_clock) == 0)
            continue;
        const std::string_view entry =
            detail::cold_entry(cold_clocks.data(), cold_clocks.size(), base);
        const std::uint64_t at = packed.size();
        packed.insert(packed.end(), entry.begin(), entry.end());
        cases.clock_base[id] = detail::cold_clock | at;
    }
    cold_clocks.swap(packed);
    dead_cold_bytes = 0;
}

}  // namespace gridgov
