// Applying a decided command: effects, clocks and the event with its payload; breaches;
// creating a case from its report.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "cases/engine_impl.hpp"
#include "core/text.hpp"

namespace gridgov {
namespace detail {

// ---- payload text ------------------------------------------------------------------------

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

}  // namespace detail

using detail::ClockSlot;
using detail::CompiledSpec;
using detail::CompiledTransition;
using detail::Decision;
using detail::none16;
using detail::none32;

// ---- applying ----------------------------------------------------------------------------

namespace {

// ,"name":["a","b"] unless `items` is empty.
void append_string_array(std::string& p, const char* name, const std::vector<std::string>& items) {
    if (items.empty())
        return;
    p += ",\"";
    p += name;
    p += "\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0)
            p += ',';
        detail::append_json_string(p, items[i]);
    }
    p += ']';
}

void append_common(std::string& p, const CaseCommand& c) {
    if (!c.reason.empty()) {
        p += ",\"reason\":";
        detail::append_json_string(p, c.reason);
    }
    append_string_array(p, "evidence", c.evidence);
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
        seq = count_replayed_event(id);
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
        seq = count_replayed_event(id);
    } else {
        std::string& p = payload_buffer;
        p.assign("{\"stage\":");
        detail::append_json_string(p, cs.spec.stages[cs.states[st].timer].key);
        p += ",\"deadline\":\"" + Instant{at}.to_string() + "\"";
        p += flag ? ",\"flag\":true" : ",\"flag\":false";
        p += escalated ? ",\"escalated\":true" : ",\"escalated\":false";
        p += ",\"tier\":";
        detail::append_int(p, cases.tier[id]);
        append_string_array(p, "notify", policy.notify);
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
    std::string_view key = report.workflow;
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
    row.clock_base = detail::cold_clock;  // its run follows
    row.counter_base = static_cast<std::uint32_t>(counters.size());
    row.tier = static_cast<std::uint8_t>(t.tier_delta);
    row.flags = t.sets & ~t.clears;
    row.state = t.to;
    cases.push_back(row);
    cases.saved_epoch[id] = epoch;
    cases.clock_base[id] = new_run(id);
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

}  // namespace gridgov
