// The case engine: configuration, commands (decide, then apply), stage clocks, breaches,
// the undo journal behind the strong guarantee, batches, ticks and observers.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cases/engine_impl.hpp"
#include "cases/store.hpp"
#include "core/text.hpp"
#include "directory/directory_impl.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {
namespace detail {

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t run = 0;  // start of the characters that need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        if (u >= 0x20 && u != '"' && u != '\\')
            continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (u) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                const char esc[6] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
                out.append(esc, 6);
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

void append_limit_json(std::string& out, const TimeLimit& limit) {
    out += "{\"value\":";
    append_int(out, limit.value);
    out += ",\"unit\":\"";
    out += time_unit_name(limit.unit);
    out += '"';
    // The default rule (day_length) goes without saying, as TimeLimit::from_json reads it.
    if (limit.unit == TimeUnit::working_days && limit.day_rule != WorkingDayRule::day_length) {
        out += ",\"day_rule\":\"";
        out += working_day_rule_name(limit.day_rule);
        out += '"';
    }
    out += '}';
}

std::string quoted_text(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

namespace {

const std::shared_ptr<const EngineConfig>& builtin_config() {
    static const std::shared_ptr<const EngineConfig> config =
        std::make_shared<const EngineConfig>(EngineConfig::builtin());
    return config;
}

bool guards_hold(const CompiledTransition& t, const std::int32_t* counters,
                 const std::optional<Rating>& rating) {
    for (const CompiledGuard& g : t.guards) {
        const std::int64_t v = counters[g.counter];
        if (v < g.min || v > g.max)
            return false;
    }
    if (t.ratings != 0) {
        if (!rating)
            return false;
        if ((t.ratings & (1u << static_cast<unsigned>(rating->level))) == 0)
            return false;
    }
    return true;
}

std::string describe_guards(const WorkflowSpec& spec, std::size_t ti, const std::int32_t* counters,
                            const std::optional<Rating>& rating, const CompiledSpec& cs) {
    const TransitionSpec& t = spec.transitions[ti];
    std::string out;
    const auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
    for (std::size_t g = 0; g < t.guards.size(); ++g) {
        const CounterGuard& guard = t.guards[g];
        const std::int64_t v = counters[cs.transitions[ti].guards[g].counter];
        if (v >= guard.min && v <= guard.max)
            continue;
        std::string range = std::to_string(guard.min) + "..";
        if (guard.max != std::numeric_limits<std::int64_t>::max())
            range += std::to_string(guard.max);
        add("needs " + guard.counter + " in " + range + ", the case has " + std::to_string(v));
    }
    if (!t.ratings.empty()) {
        std::string levels;
        for (Satisfaction s : t.ratings)
            levels += (levels.empty() ? "" : " or ") + std::string(satisfaction_name(s));
        add("needs a rating " + levels +
            (rating ? std::string(", the command carries ") + satisfaction_name(rating->level)
                    : std::string(", the command carries none")));
    }
    return out;
}

}  // namespace
}  // namespace detail

using detail::ClockSlot;
using detail::CompiledSpec;
using detail::CompiledTransition;
using detail::Decision;
using detail::none16;
using detail::none32;

// ---- construction ----------------------------------------------------------------------

CaseEngine::Impl::Impl(const Hierarchy& h, const Directory& d,
                       std::shared_ptr<const detail::EngineConfig> c)
    : hierarchy(&h), directory(&d), config(std::move(c)) {}

CaseEngine::CaseEngine(const Hierarchy& hierarchy, const Directory& directory)
    : impl_(std::make_unique<Impl>(hierarchy, directory, detail::builtin_config())) {}
CaseEngine::CaseEngine(CaseEngine&&) noexcept = default;
CaseEngine& CaseEngine::operator=(CaseEngine&&) noexcept = default;
CaseEngine::~CaseEngine() = default;

void CaseEngine::Impl::require_case(CaseId id) const {
    if (id >= cases.size()) {
        throw Error(ErrorCode::not_found, "no case with id " + std::to_string(id) +
                                              " (the engine has " + std::to_string(cases.size()) +
                                              " cases)");
    }
}

void CaseEngine::Impl::require_writable(std::string_view what) const {
    if (notifying) {
        throw Error(ErrorCode::invalid_state,
                    "an observer may not " + std::string(what) +
                        ": observers run while the engine reports a commit; queue the work and "
                        "do it after the call that committed returns");
    }
    require_batch_owner(what);
    if (workspace != nullptr)
        workspace->require_writable(what);
}

void CaseEngine::Impl::require_batch_owner(std::string_view what) const {
    if (batch_open && batch_owner != std::this_thread::get_id()) {
        throw Error(ErrorCode::invalid_state,
                    "cannot " + std::string(what) +
                        ": a batch opened by another thread is open; a batch takes only the "
                        "changes of the thread that opened it, so wait until that thread "
                        "commits or rolls it back");
    }
}

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

// ---- deciding ----------------------------------------------------------------------------

namespace {

// The text a command carries is stored in the event log's payload and read back by show
// and replay: one line of UTF-8 for codes and ids, free text (tab and line breaks kept)
// for the reason and the note.
void check_command_text(const CaseCommand& c) {
    using detail::TextKind;
    const std::string name = command_name(c.command);
    const auto check = [&](const std::string& text, TextKind kind, const char* field) {
        detail::check_text(text, kind, name + ": field '" + field + "'");
    };
    check(c.actor, TextKind::line, "actor");
    check(c.reason, TextKind::free, "reason");
    for (const std::string& e : c.evidence)
        check(e, TextKind::line, "evidence");
    check(c.note, TextKind::free, "note");
    check(c.category, TextKind::line, "category");
    check(c.source, TextKind::line, "source");
    check(c.department, TextKind::line, "department");
}

}  // namespace

void CaseEngine::Impl::check_needs(const CaseCommand& command) const {
    check_command_text(command);
    const CommandNeeds needs = command_needs(command.command);
    const bool bad = (command.actor.empty() && !command.system) ||
                     (needs.category && command.category.empty()) ||
                     (needs.node && command.node == no_node) || (needs.amount && !command.amount) ||
                     (needs.rating && !command.rating) ||
                     (command.rating && command.rating->score != 0);
    bool bad_amount = false;
    if (!bad && needs.amount) {
        try {
            command.amount->validate();
        } catch (const Error&) {
            bad_amount = true;
        }
    }
    if (bad || bad_amount) {
        // check_command() words the refusal; a rating with a consistent score passes it.
        TransitionSpec any;
        any.command = command.command;
        check_command(command, any);
    }
}

PersonId CaseEngine::Impl::person_of(std::uint32_t actor, std::string_view text,
                                     bool remember) const {
    const Directory::Impl& d = detail::DirectoryAccess::impl(*directory);
    if (&d != directory_seen || d.people.data() != people_seen ||
        d.people.size() != people_count_seen) {
        if (!remember) {
            const auto it = d.person_codes.find(text);
            return it == d.person_codes.end() ? no_person : it->second;
        }
        directory_seen = &d;
        people_seen = d.people.data();
        people_count_seen = d.people.size();
        ++directory_generation;
    }
    if (actor != none32 && actor < person_cache.size()) {
        auto& [p, generation] = person_cache[actor];
        if (p != no_person && generation == directory_generation)
            return p;
        if (p != no_person && p < d.people.size() && d.people[p].id == text) {
            if (remember)
                generation = directory_generation;
            return p;
        }
    }
    const auto it = d.person_codes.find(text);
    if (it == d.person_codes.end())
        return no_person;
    if (remember && actor != none32) {
        if (person_cache.size() <= actor)
            person_cache.resize(people.size(), {no_person, 0});
        person_cache[actor] = {it->second, directory_generation};
    }
    return it->second;
}

bool CaseEngine::Impl::actor_may(const CompiledSpec& cs, const CompiledTransition& t,
                                 std::uint16_t ti, NodeId node, std::uint32_t reporter,
                                 std::uint32_t department, const CaseCommand& command,
                                 std::uint32_t actor, bool remember, std::string* basis) const {
    if (command.system) {
        if (t.system && basis != nullptr)
            *basis = "system";
        return t.system;
    }
    if (command.actor.empty())
        return false;
    if (t.reporter && reporter != none32 && actor == reporter) {
        if (basis != nullptr)
            *basis = "reporter";
        return true;
    }
    if (t.assigned_department && department != none32) {
        const Department& d = config->departments.departments[department];
        if (d.has_member(command.actor)) {
            if (basis != nullptr)
                *basis = "member of department " + d.code;
            return true;
        }
    }
    const std::vector<std::string>& roles = cs.spec.transitions[ti].roles;
    if (roles.empty())
        return false;
    const Hierarchy& h = *hierarchy;
    if (!h.is_live(node))
        return false;
    const PersonId p = person_of(actor, command.actor, remember);
    if (p == no_person)
        return false;
    const Directory::Impl& d = detail::DirectoryAccess::impl(*directory);
    const Date date = command.at.local_date();
    for (std::uint32_t k = d.person_assignment_begin[p]; k < d.person_assignment_begin[p + 1];
         ++k) {
        const detail::PersonPost& a = d.person_posts[k];
        if (!a.valid_on(date))
            continue;
        const std::string& role = d.catalogue.roles[a.role].code;
        if (std::find(roles.begin(), roles.end(), role) == roles.end())
            continue;
        if (!h.is_live(a.node) || !h.is_ancestor(a.node, node))
            continue;
        if (basis != nullptr) {
            *basis =
                "role " + role + " held at " + h.code(a.node) + " (post " + post_name(a.post) + ")";
        }
        return true;
    }
    return false;
}

void CaseEngine::Impl::refuse_actor(std::string_view number, std::string_view state, NodeId node,
                                    const CompiledSpec& cs, const std::vector<std::uint16_t>& tried,
                                    const CaseCommand& command) const {
    std::vector<std::string> roles;
    bool department = false;
    bool reporter = false;
    bool system = false;
    for (std::uint16_t ti : tried) {
        const TransitionSpec& t = cs.spec.transitions[ti];
        for (const std::string& r : t.roles) {
            if (std::find(roles.begin(), roles.end(), r) == roles.end())
                roles.push_back(r);
        }
        department = department || t.assigned_department;
        reporter = reporter || t.reporter;
        system = system || t.system;
    }
    const std::string what = command_name(command.command);
    const std::string date = command.at.local_date().to_string();
    const std::string where =
        hierarchy->is_live(node) ? hierarchy->code(node) : "node " + std::to_string(node);
    const std::string subject =
        number.empty() ? std::string("the report at ") + where
                       : "case " + std::string(number) + " (state " + std::string(state) + ")";
    if (command.system) {
        throw Error(ErrorCode::permission_denied,
                    subject + ": the system may not fire " + what + " there");
    }
    std::string needs;
    if (!roles.empty()) {
        needs = roles.size() == 1 ? "role " : "roles ";
        for (std::size_t i = 0; i < roles.size(); ++i)
            needs += (i == 0 ? "" : i + 1 == roles.size() ? " or " : ", ") + roles[i];
        needs += " at " + where + " or above on " + date;
    }
    const auto alternative = [&](const std::string& s) {
        needs += (needs.empty() ? "" : ", or ") + s;
    };
    if (department)
        alternative("membership of the assigned department");
    if (reporter)
        alternative("being the reporter");
    if (system && needs.empty())
        alternative("the system");
    std::string known;
    if (!directory->find_person(command.actor))
        known = " (the directory has no person " + detail::quoted_text(command.actor) + ")";
    throw Error(ErrorCode::permission_denied,
                subject + ": person " + detail::quoted_text(command.actor) + " may not fire " +
                    what + " on " + date + ": it needs " + needs + known);
}

Decision CaseEngine::Impl::decide(CaseId id, const CaseCommand& command, std::uint32_t actor,
                                  bool explain, bool remember) const {
    require_case(id);
    const CompiledSpec& cs = spec_of(id);
    const std::string_view number = numbers.at(id);
    if (command.command == Command::report) {
        throw Error(ErrorCode::invalid_argument,
                    "case " + std::string(number) + ": report creates a case; use report()");
    }
    try {
        check_needs(command);
    } catch (const Error& e) {
        throw Error(e.code(), "case " + std::string(number) + ": " + e.what());
    }
    if (command.at.seconds < cases.updated_at[id]) {
        throw Error(ErrorCode::invalid_argument,
                    "case " + std::string(number) + ": " + command_name(command.command) + " at " +
                        command.at.to_string() + " comes before the case's last event at " +
                        Instant{cases.updated_at[id]}.to_string() +
                        "; commands on a case must come in time order");
    }
    const std::uint16_t st = cases.state[id];
    const StateSpec& state = cs.spec.states[st];
    const auto [first, last] = cs.candidates(st, command.command);
    if (first == last) {
        std::string accepts;
        for (Command c : cs.spec.commands_from(state.key))
            accepts += (accepts.empty() ? "" : ", ") + std::string(command_name(c));
        throw Error(ErrorCode::invalid_state,
                    "case " + std::string(number) + " is in state " + state.key + " (" +
                        state.label_zh + "): command " + command_name(command.command) +
                        " does not apply there" +
                        (state.terminal ? std::string(" (a terminal state)")
                                        : "; it accepts " + (accepts.empty() ? "none" : accepts)));
    }
    const std::int32_t* cv = counter_values(id);
    const NodeId node = cases.node[id];
    Decision d;
    d.transition = none16;
    d.actor = actor;
    std::vector<std::uint16_t> tried;
    for (const std::uint16_t* p = first; p != last; ++p) {
        const CompiledTransition& t = cs.transitions[*p];
        if (!detail::guards_hold(t, cv, command.rating))
            continue;
        if (trusted_import || actor_may(cs, t, *p, node, cases.reporter[id], cases.department[id],
                                        command, actor, remember, explain ? &d.basis : nullptr)) {
            d.transition = *p;
            break;
        }
        tried.push_back(*p);
    }
    if (d.transition == none16) {
        if (tried.empty()) {
            std::string why;
            for (const std::uint16_t* p = first; p != last; ++p) {
                why += (why.empty() ? "" : "; ") +
                       detail::describe_guards(cs.spec, *p, cv, command.rating, cs);
            }
            throw Error(ErrorCode::invalid_state,
                        "case " + std::string(number) + " is in state " + state.key + " (" +
                            state.label_zh + "): command " + command_name(command.command) +
                            " does not apply now: " + why);
        }
        refuse_actor(number, state.key, node, cs, tried, command);
    }
    const CompiledTransition& t = cs.transitions[d.transition];
    if ((t.reason && command.reason.empty()) || (t.evidence && command.evidence.empty())) {
        try {
            check_command(command, cs.spec.transitions[d.transition]);
        } catch (const Error& e) {
            throw Error(e.code(), "case " + std::string(number) + ": " + e.what());
        }
    }
    d.to = t.to == none16 ? st : t.to;
    if (t.tier_delta != 0) {
        const int next = cases.tier[id] + t.tier_delta;
        if (next < 0 || next >= static_cast<int>(cs.spec.tiers.size())) {
            throw Error(
                ErrorCode::invalid_state,
                "case " + std::string(number) + " is at tier " + std::to_string(cases.tier[id]) +
                    " (" + cs.spec.tiers[cases.tier[id]].label_zh + "), the " +
                    (next < 0 ? "lowest" : "highest") + " tier of workflow " + cs.spec.id() + ": " +
                    command_name(command.command) + " cannot move it further");
        }
    }
    if (t.extends) {
        const std::uint16_t stage = cs.states[d.to].timer;
        std::optional<bool> working;
        if (stage != none16) {
            const ClockSlot& c = slots(id)[stage];
            if (c.run != detail::clock_absent &&
                c.run != static_cast<std::uint8_t>(ClockRun::stopped)) {
                working = (c.bits & detail::clock_working) != 0;
            } else if (c.run == detail::clock_absent) {
                if (const auto e = resolve(id, stage, remember); e && e->timed)
                    working = e->limit.counts_working_time();
            }
        }
        if (!working) {
            throw Error(ErrorCode::invalid_state,
                        "case " + std::string(number) + ": " + command_name(command.command) +
                            " extends the clock of state " + cs.spec.states[d.to].key +
                            ", which has no running clock");
        }
        if (*working != command.amount->counts_working_time()) {
            throw Error(ErrorCode::invalid_argument,
                        "case " + std::string(number) + ": " + command_name(command.command) +
                            ": field 'amount': the clock counts " +
                            (*working ? "working" : "natural") + " time, the amount is " +
                            time_unit_name(command.amount->unit));
        }
    }
    if (command.command == Command::dispatch) {
        d.dispatching = true;
        if (!command.department.empty()) {
            const auto it = config->department_index.find(command.department);
            if (it == config->department_index.end()) {
                throw Error(ErrorCode::not_found, "case " + std::string(number) +
                                                      ": dispatch to unknown department " +
                                                      detail::quoted_text(command.department));
            }
            d.department = it->second;
            const auto served = hierarchy->find(config->departments.departments[it->second].node);
            d.route_node = served.value_or(no_node);
            d.named_department = true;
        } else {
            const RouteEntry r = route(id, remember);
            d.department = r.department;
            d.route_node = r.node;
            d.route_basis = r.basis;
        }
    }
    if (command.command == Command::file && !command.category.empty()) {
        const auto it = config->category_index.find(command.category);
        if (it == config->category_index.end()) {
            throw Error(ErrorCode::not_found, "case " + std::string(number) +
                                                  ": file with unknown category " +
                                                  detail::quoted_text(command.category));
        }
        d.category = it->second;
    }
    return d;
}

CaseEngine::Impl::RouteEntry CaseEngine::Impl::route(CaseId id, bool remember) const {
    // A change of the hierarchy may change any route; the cache is only good for the
    // history length it was filled at.
    const bool current = route_cache_key == hierarchy->history().size();
    if (!current && remember) {
        route_cache.clear();
        route_cache_key = hierarchy->history().size();
    }
    const std::uint64_t key =
        (static_cast<std::uint64_t>(cases.category[id]) << 32) | cases.node[id];
    if (current) {
        if (const auto it = route_cache.find(key); it != route_cache.end())
            return it->second;
    }
    const std::string& code = config->categories.categories[cases.category[id]].code;
    const Route r = config->routing.route(*hierarchy, config->categories, config->departments, code,
                                          cases.node[id]);
    RouteEntry e;
    e.basis = r.basis;
    e.node = r.node;
    if (!r.department.empty())
        e.department = config->department_index.at(r.department);
    if (remember)
        route_cache.emplace(key, e);
    return e;
}

// ---- applying ----------------------------------------------------------------------------

namespace {

void append_common(std::string& p, const CaseCommand& c) {
    if (!c.reason.empty()) {
        p += ",\"reason\":";
        detail::append_json_string(p, c.reason);
    }
    if (!c.evidence.empty()) {
        p += ",\"evidence\":[";
        for (std::size_t i = 0; i < c.evidence.size(); ++i) {
            if (i != 0)
                p += ',';
            detail::append_json_string(p, c.evidence[i]);
        }
        p += ']';
    }
    if (!c.note.empty()) {
        p += ",\"note\":";
        detail::append_json_string(p, c.note);
    }
}

}  // namespace

void CaseEngine::Impl::append_started(std::string& p, CaseId id) const {
    if (started.empty())
        return;
    const CompiledSpec& cs = spec_of(id);
    p += ",\"clocks\":[";
    for (std::size_t i = 0; i < started.size(); ++i) {
        if (i != 0)
            p += ',';
        p += "{\"stage\":";
        detail::append_json_string(p, cs.spec.stages[started[i].stage].key);
        p += ",\"limit\":";
        detail::append_limit_json(p, started[i].limit);
        p += '}';
    }
    p += ']';
}

void CaseEngine::Impl::finish_payload(std::string& p) {
    // Payloads are objects; the fields above were written with a leading comma.
    if (p.size() > 1 && p[1] == ',')
        p.erase(1, 1);
    p += '}';
}

EventSeq CaseEngine::Impl::apply(CaseId id, const CaseCommand& command, const Decision& d,
                                 const detail::ReplayLimits* replay) {
    save(id);
    const CompiledSpec& cs = spec_of(id);
    const CompiledTransition& t = cs.transitions[d.transition];
    const std::uint16_t from = cases.state[id];
    struct {
        const ClockSlot* clock;
        std::int64_t since = 0;
        std::int64_t deadline = 0;
        std::int32_t budget = 0;
    } before{counting_clock(id)};
    if (before.clock != nullptr) {
        before.since = before.clock->since;
        before.deadline = before.clock->deadline;
        before.budget = before.clock->budget;
    }
    const std::int64_t at = command.at.seconds;
    std::int32_t* cv = counter_values(id);
    for (std::uint16_t c : t.increments)
        ++cv[c];
    cases.flags[id] = (cases.flags[id] | t.sets) & ~t.clears;
    cases.tier[id] = static_cast<std::uint8_t>(cases.tier[id] + t.tier_delta);
    if (d.category != none16)
        cases.category[id] = d.category;
    started.clear();
    apply_clock_effect(id, t, d.to, at, replay);
    if (t.extends) {
        ClockSlot& c = slots(id)[cs.states[d.to].timer];
        std::int64_t amount = 0;
        const TimeLimit& a = *command.amount;
        if (a.unit == TimeUnit::working_days) {
            amount = a.value * config->calendar.working_day_length(Instant{c.start}.local_date());
        } else {
            amount = clock_seconds(a, c.start);
        }
        const std::int64_t budget = static_cast<std::int64_t>(c.budget) + amount;
        if (budget > std::numeric_limits<std::int32_t>::max()) {
            throw Error(ErrorCode::invalid_argument,
                        "case " + number(id) +
                            ": the extension makes the clock longer than it "
                            "can count");
        }
        c.budget = static_cast<std::int32_t>(budget);
        ++c.extensions;
        if (c.run == static_cast<std::uint8_t>(ClockRun::counting)) {
            compute_deadline(c);
            if (c.deadline > at)
                c.bits = static_cast<std::uint8_t>(c.bits & ~detail::clock_breached);
        }
    }
    cases.state[id] = d.to;
    if (d.dispatching) {
        cases.department[id] = d.department;
        cases.route_node[id] = d.route_node;
    }
    if (command.rating && command_needs(command.command).rating) {
        cases.rating[id] =
            static_cast<std::uint8_t>(1 + static_cast<unsigned>(command.rating->level));
        cases.rating_score[id] = static_cast<std::uint8_t>(command.rating->score);
    }
    const StateKind kind = cs.states[d.to].kind;
    const bool finished = kind == StateKind::closed || kind == StateKind::voided;
    if (finished && cases.closed_at[id] == Instant::max().seconds) {
        cases.closed_at[id] = at;
    } else if (!finished) {
        cases.closed_at[id] = Instant::max().seconds;
    }
    cases.updated_at[id] = at;

    EventSeq seq = 0;
    if (replaying) {
        seq = replay_sequence;
        ++cases.events[id];
        cases.last_event[id] = seq;
    } else {
        std::string& p = payload_buffer;
        p.assign("{");
        if (d.category != none16) {
            p += ",\"category\":";
            detail::append_json_string(p, config->categories.categories[d.category].code);
        }
        if (d.dispatching) {
            p += ",\"department\":";
            detail::append_json_string(p, d.department == none32
                                              ? std::string_view()
                                              : config->departments.departments[d.department].code);
            p += ",\"route\":\"";
            p += d.named_department ? "named" : route_basis_name(d.route_basis);
            p += "\",\"route_node\":";
            detail::append_json_string(p,
                                       d.route_node != no_node && hierarchy->is_live(d.route_node)
                                           ? std::string_view(hierarchy->code(d.route_node))
                                           : std::string_view());
        }
        if (command_needs(command.command).amount) {
            p += ",\"amount\":";
            detail::append_limit_json(p, *command.amount);
        }
        if (command.rating && command_needs(command.command).rating) {
            p += ",\"rating\":{\"level\":\"";
            p += satisfaction_name(command.rating->level);
            p += "\",\"score\":";
            detail::append_int(p, command.rating->score);
            p += '}';
        }
        if (t.tier_delta != 0) {
            p += ",\"tier\":";
            detail::append_int(p, cases.tier[id]);
        }
        append_common(p, command);
        append_started(p, id);
        finish_payload(p);
        seq = append_event(id, static_cast<std::uint8_t>(command.command), d.transition, from, d.to,
                           d.actor, command.system, at, p);
    }
    // Timers follow the counting clock; a command that leaves it alone leaves them alone.
    const ClockSlot* after = counting_clock(id);
    if (after != before.clock ||
        (after != nullptr && (after->since != before.since || after->deadline != before.deadline ||
                              after->budget != before.budget))) {
        schedule(id);
    }
    return seq;
}

bool CaseEngine::Impl::breach_pending(CaseId id, std::int64_t at) const {
    const ClockSlot* c = counting_clock(id);
    return c != nullptr && (c->bits & detail::clock_breached) == 0 && c->deadline < at;
}

std::optional<EventSeq> CaseEngine::Impl::breach(CaseId id, const CaseEvent* replayed) {
    save(id);
    const CompiledSpec& cs = spec_of(id);
    const std::uint16_t st = cases.state[id];
    const StateSpec& state = cs.spec.states[st];
    const BreachPolicy& policy = state.breach;
    ClockSlot& c = slots(id)[cs.states[st].timer];
    c.bits |= detail::clock_breached;
    const std::int64_t at = replayed != nullptr ? replayed->at.seconds : c.deadline;
    if (replayed == nullptr && !policy.flag && !policy.escalate) {
        schedule(id);
        return std::nullopt;
    }
    bool escalated = false;
    bool flag = policy.flag;
    if (replayed != nullptr) {
        const detail::BreachPayload b = detail::parse_breach_payload(*replayed);
        flag = b.flag;
        escalated = b.escalated;
    } else {
        escalated = policy.escalate && cases.tier[id] + 1u < cs.spec.tiers.size();
    }
    if (flag)
        cases.breached[id] = 1;
    ++cases.breaches[id];
    if (escalated)
        ++cases.tier[id];
    cases.updated_at[id] = std::max(cases.updated_at[id], at);
    EventSeq seq = 0;
    if (replaying) {
        seq = replay_sequence;
        ++cases.events[id];
        cases.last_event[id] = seq;
    } else {
        std::string& p = payload_buffer;
        p.assign("{\"stage\":");
        detail::append_json_string(p, cs.spec.stages[cs.states[st].timer].key);
        p += ",\"deadline\":\"" + Instant{at}.to_string() + "\"";
        p += flag ? ",\"flag\":true" : ",\"flag\":false";
        p += escalated ? ",\"escalated\":true" : ",\"escalated\":false";
        p += ",\"tier\":";
        detail::append_int(p, cases.tier[id]);
        if (!policy.notify.empty()) {
            p += ",\"notify\":[";
            for (std::size_t i = 0; i < policy.notify.size(); ++i) {
                if (i != 0)
                    p += ',';
                detail::append_json_string(p, policy.notify[i]);
            }
            p += ']';
        }
        p += '}';
        seq = append_event(id, detail::breach_type_code, -1, st, st, none32, true, at, p);
    }
    schedule(id);
    return seq;
}

CaseId CaseEngine::Impl::create(const NewCase& report, const detail::ReplayContext* rc) {
    const CaseCommand& command = report.command;
    if (command.command != Command::report) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("report: the command must be report, not ") +
                        command_name(command.command));
    }
    if (rc == nullptr) {
        check_needs(command);
        detail::check_text(report.workflow, detail::TextKind::line, "report: field 'workflow'");
        detail::check_text(report.reporter, detail::TextKind::line, "report: field 'reporter'");
        detail::check_text(report.number, detail::TextKind::line, "report: field 'number'");
    }
    const CaseSource source = parse_case_source(command.source);
    std::optional<std::uint16_t> spec_index;
    std::string key = report.workflow;
    if (rc != nullptr) {
        spec_index = rc->spec;
    } else {
        if (key.empty())
            key = config->defaults[static_cast<std::size_t>(source)];
        spec_index = config->latest_spec(key);
        if (!spec_index) {
            throw Error(ErrorCode::not_found,
                        "report: no workflow " + detail::quoted_text(key) + " is registered");
        }
    }
    const CompiledSpec& cs = config->specs[*spec_index];
    const Hierarchy& h = *hierarchy;
    if (!h.is_live(command.node)) {
        throw Error(ErrorCode::not_found, "report: node " + std::to_string(command.node) +
                                              " is not a live node of the hierarchy");
    }
    const auto cat = config->category_index.find(command.category);
    if (cat == config->category_index.end()) {
        throw Error(ErrorCode::not_found,
                    "report: unknown category " + detail::quoted_text(command.category));
    }
    if (!report.number.empty() && numbers.find(report.number)) {
        throw Error(
            ErrorCode::already_exists,
            "report: case number " + detail::quoted_text(report.number) + " is already taken");
    }
    if (cases.size() >= none32 - 1)
        throw Error(ErrorCode::invalid_state, "report: the engine holds the most cases it can");
    const std::uint32_t actor = command.system ? none32 : people.intern(command.actor);
    const std::string_view reporter_text =
        !report.reporter.empty()
            ? std::string_view(report.reporter)
            : (command.system ? std::string_view() : std::string_view(command.actor));
    const std::uint32_t reporter = reporter_text.empty() ? none32
                                   : report.reporter.empty() || reporter_text == command.actor
                                       ? actor
                                       : people.intern(reporter_text);

    std::uint16_t chosen = none16;
    if (rc != nullptr) {
        chosen = static_cast<std::uint16_t>(rc->event->transition);
    } else {
        zero_counters.assign(cs.counter_count(), 0);
        std::vector<std::uint16_t> tried;
        bool any = false;
        for (std::uint16_t ti : cs.reports) {
            const CompiledTransition& t = cs.transitions[ti];
            if (!detail::guards_hold(t, zero_counters.data(), command.rating))
                continue;
            any = true;
            if (trusted_import || actor_may(cs, t, ti, command.node, reporter, none32, command,
                                            actor, true, nullptr)) {
                chosen = ti;
                break;
            }
            tried.push_back(ti);
        }
        if (!any) {
            throw Error(ErrorCode::invalid_state,
                        "report: workflow " + cs.spec.id() + " has no report transition for it");
        }
        if (chosen == none16)
            refuse_actor({}, {}, command.node, cs, tried, command);
        const TransitionSpec& ts = cs.spec.transitions[chosen];
        if ((ts.reason_required && command.reason.empty()) ||
            (ts.evidence_required && command.evidence.empty())) {
            check_command(command, ts);
        }
        if (ts.tier_delta < 0 || ts.tier_delta >= static_cast<int>(cs.spec.tiers.size())) {
            throw Error(ErrorCode::invalid_state,
                        "report: workflow " + cs.spec.id() + " starts the case outside its tiers");
        }
    }
    const CompiledTransition& t = cs.transitions[chosen];

    // Everything is checked: the case is created.
    // Every number of the form "<year>-<digits>" raises its year's sequence, so a generated
    // number is always beyond every such number already taken.
    char generated[32];
    std::string_view number_text = report.number;
    if (number_text.empty()) {
        const int year = command.at.local_date().year();
        std::uint32_t& seq = year_sequence[year];
        journal.year_sequence.emplace_back(year, seq);
        ++seq;
        number_text = detail::format_case_number(year, seq, generated);
    } else if (const auto parsed = detail::parse_case_number(number_text)) {
        std::uint32_t& seq = year_sequence[parsed->first];
        if (parsed->second > seq) {
            journal.year_sequence.emplace_back(parsed->first, seq);
            seq = parsed->second;
        }
    }
    const auto id = static_cast<CaseId>(cases.size());
    detail::CaseRow row;
    row.spec = *spec_index;
    row.category = cat->second;
    row.area = static_cast<std::uint16_t>(areas.intern(h.area_class(command.node)));
    row.node = command.node;
    row.reporter = reporter;
    row.source = static_cast<std::uint8_t>(source);
    row.reported_at = command.at.seconds;
    row.updated_at = command.at.seconds;
    row.closed_at = Instant::max().seconds;
    row.clock_base = static_cast<std::uint32_t>(clocks.size());
    row.counter_base = static_cast<std::uint32_t>(counters.size());
    row.tier = static_cast<std::uint8_t>(t.tier_delta);
    row.flags = t.sets & ~t.clears;
    row.state = t.to;
    cases.push_back(row);
    cases.saved_epoch[id] = epoch;
    clocks.resize(clocks.size() + cs.stage_count());
    counters.resize(counters.size() + cs.counter_count(), 0);
    numbers.push_back(number_text);
    for (std::uint16_t c : t.increments)
        ++counter_values(id)[c];

    started.clear();
    const std::uint16_t stage = cs.states[t.to].timer;
    if (stage != none16 &&
        (t.clock == ClockEffect::continue_running || t.clock == ClockEffect::reset))
        start_fresh(id, stage, command.at.seconds, rc != nullptr ? &rc->limits : nullptr);
    const StateKind kind = cs.states[t.to].kind;
    if (kind == StateKind::closed || kind == StateKind::voided)
        cases.closed_at[id] = command.at.seconds;

    if (replaying) {
        ++cases.events[id];
        cases.last_event[id] = replay_sequence;
    } else {
        std::string& p = payload_buffer;
        p.assign("{\"number\":");
        detail::append_json_string(p, number_text);
        p += ",\"workflow\":";
        detail::append_json_string(p, cs.spec.key);
        p += ",\"version\":";
        detail::append_int(p, cs.spec.version);
        p += ",\"category\":";
        detail::append_json_string(p, command.category);
        p += ",\"node\":";
        detail::append_json_string(p, h.code(command.node));
        p += ",\"node_id\":";
        detail::append_int(p, command.node);
        if (const std::string& area = areas.at(row.area); !area.empty()) {
            p += ",\"area_class\":";
            detail::append_json_string(p, area);
        }
        p += ",\"source\":\"";
        p += case_source_name(source);
        p += '"';
        // The reporter goes without saying when it is the actor (or nobody, for the system).
        if (!report.reporter.empty() && reporter_text != command.actor) {
            p += ",\"reporter\":";
            detail::append_json_string(p, reporter_text);
        }
        append_common(p, command);
        append_started(p, id);
        p += '}';
        append_event(id, static_cast<std::uint8_t>(Command::report), chosen, none16, t.to, actor,
                     command.system, command.at.seconds, p);
    }
    schedule(id);
    return id;
}

EventSeq CaseEngine::Impl::fire_command(CaseId id, const CaseCommand& command) {
    require_case(id);
    const std::uint32_t actor =
        command.system || command.actor.empty() ? none32 : people.intern(command.actor);
    if (breach_pending(id, command.at.seconds)) {
        // The clock ran out before this command: the breach comes first in the log. If the
        // command is then refused, the breach goes with it (tick() records it later).
        const detail::Mark m = mark();
        try {
            if (command.at.seconds >= cases.updated_at[id])
                breach(id, nullptr);
            const Decision d = decide(id, command, actor, false, true);
            return apply(id, command, d, nullptr);
        } catch (...) {
            rollback(m);
            throw;
        }
    }
    const Decision d = decide(id, command, actor, false, true);
    return apply(id, command, d, nullptr);
}

// ---- undo, commit, observers -------------------------------------------------------------

void CaseEngine::Impl::save(CaseId id) {
    if (cases.saved_epoch[id] == epoch)
        return;
    cases.saved_epoch[id] = epoch;
    detail::SavedCase s;
    s.id = id;
    s.row = cases.row(id);
    s.clocks_at = static_cast<std::uint32_t>(journal.clocks.size());
    s.counters_at = static_cast<std::uint32_t>(journal.counters.size());
    const CompiledSpec& cs = spec_of(id);
    journal.clocks.insert(journal.clocks.end(), slots(id), slots(id) + cs.stage_count());
    journal.counters.insert(journal.counters.end(), counter_values(id),
                            counter_values(id) + cs.counter_count());
    journal.cases.push_back(s);
}

detail::Mark CaseEngine::Impl::mark() {
    detail::Mark m;
    m.journal = journal.cases.size();
    m.journal_clocks = journal.clocks.size();
    m.journal_counters = journal.counters.size();
    m.cases = cases.size();
    m.clocks = clocks.size();
    m.counters = counters.size();
    m.events = log.size();
    m.last_sequence = last_sequence;
    m.last_hash = last_hash;
    m.year_undo = journal.year_sequence.size();
    ++epoch;
    return m;
}

void CaseEngine::Impl::rollback(const detail::Mark& m) {
    std::vector<CaseId> restored;
    for (std::size_t i = journal.cases.size(); i-- > m.journal;) {
        const detail::SavedCase& s = journal.cases[i];
        if (s.id >= m.cases)
            continue;
        const CompiledSpec& cs = config->specs[s.row.spec];
        cases.assign(s.id, s.row);
        std::copy_n(journal.clocks.begin() + s.clocks_at, cs.stage_count(),
                    clocks.begin() + s.row.clock_base);
        std::copy_n(journal.counters.begin() + s.counters_at, cs.counter_count(),
                    counters.begin() + s.row.counter_base);
        restored.push_back(s.id);
    }
    journal.cases.resize(m.journal);
    journal.clocks.resize(m.journal_clocks);
    journal.counters.resize(m.journal_counters);
    for (std::size_t i = journal.year_sequence.size(); i-- > m.year_undo;) {
        const auto& [year, value] = journal.year_sequence[i];
        if (value == 0) {
            year_sequence.erase(year);
        } else {
            year_sequence[year] = value;
        }
    }
    journal.year_sequence.resize(m.year_undo);
    cases.truncate(m.cases);
    clocks.resize(m.clocks);
    counters.resize(m.counters);
    numbers.truncate(m.cases);
    log.truncate(m.events);
    last_sequence = m.last_sequence;
    last_hash = m.last_hash;
    ++epoch;
    for (CaseId id : restored) {
        ++cases.generation[id];
        push_timer(id);
    }
}

void CaseEngine::Impl::commit(const detail::Mark& m) {
    if (workspace != nullptr)
        detail::write_case_changes(*workspace, *this, m, false, config->specs.size());
    committed_sequence = last_sequence;
    committed_hash = last_hash;
}

void CaseEngine::Impl::settle() {
    notify();
    if (workspace != nullptr)
        log.clear_after(last_sequence, last_hash);
    journal.cases.clear();
    journal.clocks.clear();
    journal.counters.clear();
    journal.year_sequence.clear();
}

void CaseEngine::Impl::notify() {
    if (observers.empty() || notified_sequence >= committed_sequence) {
        notified_sequence = committed_sequence;
        return;
    }
    // Observers may register or remove observers; they run on a copy of the list.
    const auto current = observers;
    struct Notifying {
        bool& flag;
        explicit Notifying(bool& f) : flag(f) { flag = true; }
        ~Notifying() { flag = false; }
    } scope(notifying);
    for (EventSeq seq = notified_sequence + 1; seq <= committed_sequence; ++seq) {
        const CaseEvent e = event_at(static_cast<std::size_t>(seq - log.first));
        for (const auto& [token, observer] : current) {
            try {
                observer(e);
            } catch (const std::exception& ex) {
                observer_failures.push_back({token, seq, ex.what()});
            } catch (...) {
                observer_failures.push_back({token, seq, "unknown exception"});
            }
        }
    }
    notified_sequence = committed_sequence;
}

void CaseEngine::Impl::set_config(std::shared_ptr<const detail::EngineConfig> next,
                                  bool recompute_deadlines, std::size_t stored_workflows) {
    if (batch_open) {
        throw Error(ErrorCode::invalid_state,
                    "the case engine's configuration cannot change while a batch is open");
    }
    const std::shared_ptr<const detail::EngineConfig> before = config;
    const detail::Mark m = mark();
    try {
        config = std::move(next);
        limit_cache.clear();
        route_cache.clear();
        if (recompute_deadlines) {
            for (CaseId id = 0; id < cases.size(); ++id) {
                const ClockSlot* c = counting_clock(id);
                if (c == nullptr || (c->bits & detail::clock_working) == 0)
                    continue;
                save(id);
                compute_deadline(slots(id)[spec_of(id).states[cases.state[id]].timer]);
                schedule(id);
            }
        }
        if (workspace != nullptr)
            detail::write_case_changes(*workspace, *this, m, true, stored_workflows);
        committed_sequence = last_sequence;
        committed_hash = last_hash;
    } catch (...) {
        config = before;
        limit_cache.clear();
        route_cache.clear();
        rollback(m);
        throw;
    }
    settle();
}

// ---- configuration -----------------------------------------------------------------------

const WorkflowRegistry& CaseEngine::workflows() const {
    return impl_->config->registry;
}

std::vector<Finding> CaseEngine::add_workflow(const WorkflowSpec& spec) {
    Impl& w = *impl_;
    w.require_writable("add a workflow");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    const Catalogue& roles = w.directory->catalogue();
    std::vector<Finding> warnings =
        next->registry.add(spec, roles.roles.empty() ? nullptr : &roles, &next->categories);
    next->specs.emplace_back(spec);
    const std::size_t stored = w.config->specs.size();
    w.set_config(std::move(next), false, stored);
    return warnings;
}

const std::string& CaseEngine::default_workflow(CaseSource source) const {
    return impl_->config->defaults[static_cast<std::size_t>(source)];
}

void CaseEngine::set_default_workflow(CaseSource source, const std::string& key) {
    Impl& w = *impl_;
    w.require_writable("set a default workflow");
    if (!w.config->latest_spec(key)) {
        throw Error(ErrorCode::not_found, "set_default_workflow: no workflow " +
                                              detail::quoted_text(key) + " is registered");
    }
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->defaults[static_cast<std::size_t>(source)] = key;
    w.set_config(std::move(next), false, w.config->specs.size());
}

const CategoryCatalogue& CaseEngine::categories() const {
    return impl_->config->categories;
}

void CaseEngine::set_categories(const CategoryCatalogue& categories) {
    Impl& w = *impl_;
    w.require_writable("set the categories");
    for (const Finding& f : categories.validate()) {
        if (f.severity == Severity::error) {
            throw Error(ErrorCode::invalid_argument, "category catalogue " + categories.key +
                                                         " refused: " + f.where + ": " + f.message +
                                                         " [" + f.rule + "]");
        }
    }
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->categories = categories;
    next->index_categories();
    std::vector<std::uint16_t> remapped(w.cases.size());
    for (CaseId id = 0; id < w.cases.size(); ++id) {
        const std::string& code = w.config->categories.categories[w.cases.category[id]].code;
        const auto it = next->category_index.find(code);
        if (it == next->category_index.end()) {
            throw Error(ErrorCode::invalid_state, "category catalogue " + categories.key +
                                                      " lacks category " + code + ", which case " +
                                                      w.number(id) + " uses");
        }
        remapped[id] = it->second;
    }
    const std::vector<std::uint16_t> before = w.cases.category;
    w.cases.category = std::move(remapped);
    try {
        w.set_config(std::move(next), false, w.config->specs.size());
    } catch (...) {
        w.cases.category = before;
        throw;
    }
}

const DepartmentCatalogue& CaseEngine::departments() const {
    return impl_->config->departments;
}

void CaseEngine::set_departments(const DepartmentCatalogue& departments) {
    Impl& w = *impl_;
    w.require_writable("set the departments");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->departments = departments;
    next->index_departments();
    std::vector<std::uint32_t> remapped(w.cases.size(), none32);
    for (CaseId id = 0; id < w.cases.size(); ++id) {
        if (w.cases.department[id] == none32)
            continue;
        const std::string& code = w.config->departments.departments[w.cases.department[id]].code;
        const auto it = next->department_index.find(code);
        if (it == next->department_index.end()) {
            throw Error(ErrorCode::invalid_state,
                        "department catalogue " + departments.key + " lacks department " + code +
                            ", to which case " + w.number(id) + " is assigned");
        }
        remapped[id] = it->second;
    }
    const std::vector<std::uint32_t> before = w.cases.department;
    w.cases.department = std::move(remapped);
    try {
        w.set_config(std::move(next), false, w.config->specs.size());
    } catch (...) {
        w.cases.department = before;
        throw;
    }
}

const RoutingTable& CaseEngine::routing() const {
    return impl_->config->routing;
}

void CaseEngine::set_routing(const RoutingTable& routing) {
    Impl& w = *impl_;
    w.require_writable("set the routing table");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->routing = routing;
    w.set_config(std::move(next), false, w.config->specs.size());
}

const WorkingCalendar& CaseEngine::calendar() const {
    return impl_->config->calendar;
}

void CaseEngine::Impl::change_calendar(const std::function<void(detail::EngineConfig&)>& edit) {
    auto next = std::make_shared<detail::EngineConfig>(*config);
    edit(*next);
    next->rebuild_calendar();
    set_config(std::move(next), true, config->specs.size());
}

void CaseEngine::set_calendar_schedule(const WorkingSchedule& schedule) {
    impl_->require_writable("set the working schedule");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        auto& in = c.calendar_inputs;
        in.erase(
            std::remove_if(in.begin(), in.end(),
                           [](const detail::CalendarInput& i) { return i.kind == "schedule"; }),
            in.end());
        in.insert(in.begin(), detail::CalendarInput{"schedule", "schedule", schedule.to_json()});
    });
}

void CaseEngine::add_calendar_year(std::string_view json, std::string_view source) {
    impl_->require_writable("add a calendar year");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        c.calendar_inputs.push_back({"year", std::string(source), std::string(json)});
    });
}

void CaseEngine::add_calendar_overrides(std::string_view json, std::string_view source) {
    impl_->require_writable("add calendar overrides");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        c.calendar_inputs.push_back({"overrides", std::string(source), std::string(json)});
    });
}

void CaseEngine::clear_calendar_overrides() {
    impl_->require_writable("clear the calendar overrides");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        auto& in = c.calendar_inputs;
        in.erase(
            std::remove_if(in.begin(), in.end(),
                           [](const detail::CalendarInput& i) { return i.kind == "overrides"; }),
            in.end());
    });
}

// ---- commands and batches ----------------------------------------------------------------

CaseId CaseEngine::report(const NewCase& report) {
    Impl& w = *impl_;
    w.require_writable("report a case");
    return w.guarded([&] { return w.create(report, nullptr); });
}

EventSeq CaseEngine::fire(CaseId id, const CaseCommand& command) {
    Impl& w = *impl_;
    w.require_writable("fire a command");
    return w.guarded([&] { return w.fire_command(id, command); });
}

CommandCheck CaseEngine::check(CaseId id, const CaseCommand& command) const {
    const Impl& w = *impl_;
    CommandCheck out;
    try {
        const std::uint32_t actor =
            command.system ? none32 : w.people.find(command.actor).value_or(none32);
        const Decision d = w.decide(id, command, actor, true, false);
        out.accepted = true;
        out.transition = d.transition;
        out.basis = d.basis;
    } catch (const Error& e) {
        out.code = e.code();
        out.message = e.what();
    }
    return out;
}

std::vector<Command> CaseEngine::available(CaseId id, std::string_view actor, Instant at,
                                           bool system) const {
    const Impl& w = *impl_;
    w.require_case(id);
    const CompiledSpec& cs = w.spec_of(id);
    CaseCommand probe;
    probe.actor = std::string(actor);
    probe.system = system;
    probe.at = at;
    const std::uint32_t interned = system ? none32 : w.people.find(actor).value_or(none32);
    std::vector<Command> out;
    for (Command c : all_commands()) {
        if (c == Command::report)
            continue;
        probe.command = c;
        const auto [first, last] = cs.candidates(w.cases.state[id], c);
        for (const std::uint16_t* p = first; p != last; ++p) {
            CompiledTransition t = cs.transitions[*p];
            t.ratings = 0;
            if (!detail::guards_hold(t, w.counter_values(id), std::nullopt))
                continue;
            if (w.actor_may(cs, t, *p, w.cases.node[id], w.cases.reporter[id],
                            w.cases.department[id], probe, interned, false, nullptr)) {
                out.push_back(c);
                break;
            }
        }
    }
    return out;
}

std::vector<std::string> CaseEngine::candidates(CaseId id, Command command, Instant at) const {
    const Impl& w = *impl_;
    w.require_case(id);
    if (command == Command::report) {
        throw Error(ErrorCode::invalid_argument,
                    "candidates: report creates a case; ask who may report at a node instead");
    }
    std::vector<std::string> out;
    if (at.seconds < w.cases.updated_at[id])
        return out;
    const CompiledSpec& cs = w.spec_of(id);
    const auto [first, last] = cs.candidates(w.cases.state[id], command);
    const std::int32_t* cv = w.counter_values(id);
    const NodeId node = w.cases.node[id];
    const std::uint32_t reporter = w.cases.reporter[id];
    const std::uint32_t department = w.cases.department[id];
    std::vector<std::uint16_t> open;  // transitions whose counter guards hold
    for (const std::uint16_t* p = first; p != last; ++p) {
        CompiledTransition t = cs.transitions[*p];
        t.ratings = 0;
        if (detail::guards_hold(t, cv, std::nullopt))
            open.push_back(*p);
    }
    if (open.empty())
        return out;
    // Everyone who might: a superset, each then asked exactly as decide() asks.
    std::vector<std::string> maybe;
    const Directory::Impl& d = detail::DirectoryAccess::impl(*w.directory);
    const Hierarchy& h = *w.hierarchy;
    for (std::uint16_t ti : open) {
        const CompiledTransition& t = cs.transitions[ti];
        if (t.reporter && reporter != none32)
            maybe.push_back(w.people.at(reporter));
        if (t.assigned_department && department != none32) {
            for (const std::string& m : w.config->departments.departments[department].members)
                maybe.push_back(m);
        }
        if (!cs.spec.transitions[ti].roles.empty() && h.is_live(node)) {
            for (NodeId n = node; n != no_node; n = h.parent(n)) {
                const auto [b, e] = d.node_entries(n);
                for (const detail::IndexEntry* x = b; x != e; ++x)
                    maybe.push_back(d.people[x->person].id);
            }
        }
    }
    std::sort(maybe.begin(), maybe.end());
    maybe.erase(std::unique(maybe.begin(), maybe.end()), maybe.end());
    CaseCommand probe;
    probe.command = command;
    probe.at = at;
    for (std::string& person : maybe) {
        probe.actor = person;
        const std::uint32_t interned = w.people.find(person).value_or(none32);
        std::uint16_t chosen = none16;
        for (std::uint16_t ti : open) {
            if (w.actor_may(cs, cs.transitions[ti], ti, node, reporter, department, probe, interned,
                            false, nullptr)) {
                chosen = ti;
                break;
            }
        }
        if (chosen == none16)
            continue;
        const int delta = cs.transitions[chosen].tier_delta;
        if (delta != 0) {
            const int next = w.cases.tier[id] + delta;
            if (next < 0 || next >= static_cast<int>(cs.spec.tiers.size()))
                continue;
        }
        out.push_back(std::move(person));
    }
    return out;
}

void CaseEngine::begin_batch() {
    Impl& w = *impl_;
    w.require_writable("begin a batch");
    if (w.batch_open)
        throw Error(ErrorCode::invalid_state, "begin_batch: a batch is already open");
    w.batch_mark = w.mark();
    w.batch_owner = std::this_thread::get_id();
    w.batch_open = true;
}

void CaseEngine::commit_batch() {
    Impl& w = *impl_;
    if (!w.batch_open)
        throw Error(ErrorCode::invalid_state, "commit_batch: no batch is open");
    w.require_batch_owner("commit the batch");
    try {
        w.commit(w.batch_mark);
    } catch (...) {
        w.rollback(w.batch_mark);
        w.batch_open = false;
        w.settle();
        throw;
    }
    w.batch_open = false;
    w.settle();
}

void CaseEngine::rollback_batch() {
    Impl& w = *impl_;
    if (!w.batch_open)
        throw Error(ErrorCode::invalid_state, "rollback_batch: no batch is open");
    w.require_batch_owner("roll the batch back");
    w.rollback(w.batch_mark);
    w.batch_open = false;
    w.settle();
}

bool CaseEngine::in_batch() const {
    return impl_->batch_open;
}

void CaseEngine::batch(const std::function<void()>& work) {
    begin_batch();
    try {
        work();
    } catch (...) {
        if (impl_->batch_open)
            rollback_batch();
        throw;
    }
    commit_batch();
}

// ---- timers ------------------------------------------------------------------------------

TickReport CaseEngine::tick(Instant now) {
    Impl& w = *impl_;
    w.require_writable("tick");
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

// ---- observers ---------------------------------------------------------------------------

ObserverToken CaseEngine::observe(CaseObserver observer) {
    Impl& w = *impl_;
    if (!observer)
        throw Error(ErrorCode::invalid_argument, "observe: the observer is empty");
    const ObserverToken token = w.next_token++;
    w.observers.emplace_back(token, std::move(observer));
    return token;
}

bool CaseEngine::unobserve(ObserverToken token) {
    auto& list = impl_->observers;
    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const auto& entry) { return entry.first == token; });
    if (it == list.end())
        return false;
    list.erase(it);
    return true;
}

std::vector<ObserverFailure> CaseEngine::take_observer_failures() {
    std::vector<ObserverFailure> out;
    out.swap(impl_->observer_failures);
    return out;
}

}  // namespace gridgov
