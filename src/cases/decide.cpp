// Deciding a command: its payload, the case's state and guards, who may fire it, its tier,
// extension and routing, all checked before anything changes.
#include <algorithm>
#include <limits>

#include "cases/engine_impl.hpp"
#include "core/text.hpp"
#include "workflow/authorization.hpp"

namespace gridgov {
namespace detail {
namespace {

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

// ---- deciding ----------------------------------------------------------------------------

namespace {

// The text a command carries is stored in the event log's payload and read back by show
// and replay: one line of UTF-8 for codes and ids, free text (tab and line breaks kept)
// for the reason and the note.
void check_command_text(const CaseCommand& c) {
    using detail::TextKind;
    // The field's name is worded only for a refusal: this runs on every command.
    const auto check = [&](const std::string& text, TextKind kind, const char* field) {
        if (auto problem = detail::text_problem(text, kind)) {
            throw Error(ErrorCode::invalid_argument, std::string(command_name(c.command)) +
                                                         ": field '" + field + "': " + *problem);
        }
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

PersonId CaseEngine::Impl::person_of(std::uint32_t actor, std::string_view text, bool remember,
                                     const detail::PostsView& posts) const {
    const detail::PostsView::State state = posts.state();
    if (state != directory_seen) {
        if (!remember)
            return posts.find_person(text).value_or(no_person);
        directory_seen = state;
        ++directory_generation;
    }
    if (actor != none32 && actor < person_cache.size()) {
        auto& [p, generation] = person_cache[actor];
        if (p != no_person && generation == directory_generation)
            return p;
        if (p != no_person && p < state.count && posts.person_id(p) == text) {
            if (remember)
                generation = directory_generation;
            return p;
        }
    }
    const std::optional<PersonId> found = posts.find_person(text);
    if (!found)
        return no_person;
    if (remember && actor != none32) {
        if (person_cache.size() <= actor)
            person_cache.resize(people.size(), {no_person, 0});
        person_cache[actor] = {*found, directory_generation};
    }
    return *found;
}

bool CaseEngine::Impl::actor_may(const CompiledSpec& cs, const CompiledTransition& t,
                                 std::uint16_t ti, NodeId node, std::uint32_t reporter,
                                 std::uint32_t department, const CaseCommand& command,
                                 std::uint32_t actor, bool remember, std::string* basis) const {
    detail::ActorRule rule;
    rule.system = t.system;
    rule.reporter = t.reporter;
    rule.assigned_department = t.assigned_department;
    rule.roles = &cs.spec.transitions[ti].roles;
    const detail::PostsView posts(*directory);
    detail::ActorFacts facts;
    facts.system = command.system;
    facts.person = command.actor;
    facts.reporter = reporter != none32 && actor == reporter;
    if (department != none32)
        facts.department = &config->departments.departments[department];
    facts.case_node = node;
    facts.date = command.at.local_date();
    facts.hierarchy = hierarchy;
    facts.posts = &posts;
    facts.overlays = overlays;
    const detail::ActorGrant grant = detail::grant_actor(
        rule, facts, [&] { return person_of(actor, command.actor, remember, posts); });
    if (grant.allowed() && basis != nullptr)
        *basis = detail::grant_basis(grant, facts);
    return grant.allowed();
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
            std::vector<ClockSlot> scratch;
            const ClockSlot& c = read_slots(id, scratch)[stage];
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
    // The overlays' units count too: overlay rules route through them. Every change adds
    // to one of the histories, so the sum only grows.
    std::size_t generation = hierarchy->history().size();
    if (overlays != nullptr) {
        generation += overlays->size();
        for (const Overlay& o : *overlays)
            generation += o.units().history().size();
    }
    const bool current = route_cache_key == generation;
    if (!current && remember) {
        route_cache.clear();
        route_cache_key = generation;
    }
    const std::uint64_t key =
        (static_cast<std::uint64_t>(cases.category[id]) << 32) | cases.node[id];
    if (current) {
        if (const auto it = route_cache.find(key); it != route_cache.end())
            return it->second;
    }
    const std::string& code = config->categories.categories[cases.category[id]].code;
    const Route r = config->routing.route(networks(), config->categories, config->departments, code,
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

}  // namespace gridgov
