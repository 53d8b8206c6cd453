// Reading cases and events back, and rebuilding a case from its events alone: replay,
// the state at a past instant, and the comparison of every case with its log.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "cases/engine_impl.hpp"
#include "store/case_store.hpp"

namespace gridgov {

using detail::ClockSlot;
using detail::CompiledSpec;
using detail::none16;
using detail::none32;

namespace {

// A node by its code, retired nodes included (their codes are never reused).
NodeId node_by_code(const Hierarchy& h, const std::string& code) {
    if (code.empty())
        return no_node;
    if (const auto live = h.find(code))
        return *live;
    for (NodeId n = 0; n < h.id_count(); ++n) {
        if (h.code(n) == code)
            return n;
    }
    return no_node;
}

}  // namespace

namespace detail {

BreachPayload parse_breach_payload(const CaseEvent& event) {
    const nlohmann::json p = nlohmann::json::parse(event.payload);
    BreachPayload b;
    b.stage = p.value("stage", std::string());
    b.flag = p.value("flag", true);
    b.escalated = p.value("escalated", false);
    return b;
}

}  // namespace detail

// ---- a case as a record ------------------------------------------------------------------

CaseRecord CaseEngine::Impl::record(CaseId id) const {
    require_case(id);
    const CompiledSpec& cs = spec_of(id);
    const Hierarchy& h = *hierarchy;
    CaseRecord r;
    r.id = id;
    r.number = number(id);
    r.workflow = cs.spec.key;
    r.workflow_version = cs.spec.version;
    r.category = config->categories.categories[cases.category[id]].code;
    r.node = cases.node[id];
    r.area_class = areas.at(cases.area[id]);
    r.source = static_cast<CaseSource>(cases.source[id]);
    if (cases.reporter[id] != none32)
        r.reporter = people.at(cases.reporter[id]);
    r.state = cs.spec.states[cases.state[id]].key;
    r.kind = cs.states[cases.state[id]].kind;
    if (cases.department[id] != none32)
        r.department = config->departments.departments[cases.department[id]].code;
    r.route_node = cases.route_node[id];
    r.tier = cases.tier[id];
    try {
        r.handling_node = cs.spec.handling_node(h, r.node, static_cast<std::size_t>(r.tier));
    } catch (const Error&) {
        // A retired node or a tier level the hierarchy lacks: no handling node to name.
        r.handling_node = no_node;
    }
    const std::int32_t* cv = counter_values(id);
    for (std::size_t i = 0; i < cs.spec.counters.size(); ++i)
        r.counters.emplace_back(cs.spec.counters[i], cv[i]);
    for (std::size_t i = 0; i < cs.spec.flags.size(); ++i) {
        if ((cases.flags[id] & (1u << i)) != 0)
            r.flags.push_back(cs.spec.flags[i]);
    }
    r.breached = cases.breached[id] != 0;
    r.breaches = cases.breaches[id];
    if (cases.rating[id] != 0) {
        Rating rating;
        rating.level = static_cast<Satisfaction>(cases.rating[id] - 1);
        rating.score = cases.rating_score[id];
        r.rating = rating;
    }
    r.reported_at = Instant{cases.reported_at[id]};
    r.updated_at = Instant{cases.updated_at[id]};
    if (cases.closed_at[id] != Instant::max().seconds)
        r.closed_at = Instant{cases.closed_at[id]};
    r.last_event = cases.last_event[id];
    r.events = cases.events[id];
    std::vector<ClockSlot> scratch;
    const ClockSlot* s = read_slots(id, scratch);
    for (std::size_t k = 0; k < cs.stage_count(); ++k) {
        const ClockSlot& c = s[k];
        if (c.run == detail::clock_absent)
            continue;
        CaseClock out;
        out.stage = cs.spec.stages[k].key;
        out.run = static_cast<ClockRun>(c.run);
        out.working_time = (c.bits & detail::clock_working) != 0;
        out.start = Instant{c.start};
        out.limit.value = c.limit_value;
        out.limit.unit = static_cast<TimeUnit>(c.unit);
        out.limit.day_rule = static_cast<WorkingDayRule>(c.day_rule);
        out.limit_seconds = c.limit_seconds;
        out.budget = c.budget;
        out.extensions = c.extensions;
        out.used = c.used;
        out.since = Instant{c.since};
        out.deadline = Instant{c.deadline};
        out.breached = (c.bits & detail::clock_breached) != 0;
        out.assumed = (c.bits & detail::clock_assumed) != 0;
        r.clocks.push_back(std::move(out));
    }
    return r;
}

std::vector<CaseEvent> CaseEngine::Impl::case_events(CaseId id) const {
    require_case(id);
    std::vector<CaseEvent> out;
    if (workspace != nullptr) {
        const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
        out = detail::read_stored_events(*workspace, *this, id);
    }
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log[i].case_id == id)
            out.push_back(event_at(i));
    }
    return out;
}

// ---- replay ------------------------------------------------------------------------------

std::unique_ptr<CaseEngine::Impl> CaseEngine::Impl::scratch() const {
    auto s = std::make_unique<Impl>(*hierarchy, *directory, config);
    s->replaying = true;
    return s;
}

void CaseEngine::Impl::apply_replayed(const CaseEvent& e) {
    const std::string where =
        "replay of case " + e.case_number + ", event " + std::to_string(e.sequence) + ": ";
    const auto unfit = [&](const std::string& what) {
        return Error(ErrorCode::storage, where + what);
    };
    nlohmann::json p;
    try {
        p = nlohmann::json::parse(e.payload);
    } catch (const nlohmann::json::exception& ex) {
        throw unfit(std::string("the payload is not JSON: ") + ex.what());
    }
    replay_sequence = e.sequence;
    detail::ReplayLimits limits;
    if (const auto it = p.find("clocks"); it != p.end()) {
        for (const auto& c : *it) {
            limits.started.emplace_back(c.at("stage").get<std::string>(),
                                        TimeLimit::from_json(c.at("limit").dump()));
        }
    }
    if (e.kind == EventKind::breach) {
        if (cases.size() == 0)
            throw unfit("a breach before the report");
        breach(static_cast<CaseId>(cases.size() - 1), &e);
        return;
    }
    CaseCommand command;
    command.command = e.command;
    command.at = e.at;
    command.actor = e.actor;
    command.system = e.system;
    command.reason = p.value("reason", std::string());
    command.note = p.value("note", std::string());
    if (const auto it = p.find("evidence"); it != p.end())
        command.evidence = it->get<std::vector<std::string>>();
    if (const auto it = p.find("amount"); it != p.end())
        command.amount = TimeLimit::from_json(it->dump());
    if (const auto it = p.find("rating"); it != p.end()) {
        Rating r;
        r.level = parse_satisfaction(it->at("level").get<std::string>());
        r.score = it->value("score", 0);
        command.rating = r;
    }
    if (e.command == Command::report) {
        detail::ReplayContext rc;
        rc.event = &e;
        rc.limits = std::move(limits);
        const auto spec =
            config->find_spec(p.at("workflow").get<std::string>(), p.at("version").get<int>());
        if (!spec)
            throw unfit("unknown workflow " + p.at("workflow").get<std::string>());
        rc.spec = *spec;
        if (e.transition < 0 ||
            static_cast<std::size_t>(e.transition) >= config->specs[*spec].transitions.size())
            throw unfit("transition " + std::to_string(e.transition) + " does not exist");
        NewCase nc;
        nc.command = command;
        nc.command.category = p.at("category").get<std::string>();
        nc.command.node = p.at("node_id").get<NodeId>();
        nc.command.source = p.at("source").get<std::string>();
        nc.reporter = p.value("reporter", std::string());
        nc.number = p.at("number").get<std::string>();
        create(nc, &rc);
        return;
    }
    if (cases.size() == 0)
        throw unfit("a command before the report");
    const auto id = static_cast<CaseId>(cases.size() - 1);
    const CompiledSpec& cs = spec_of(id);
    const auto [first, last] = cs.candidates(cases.state[id], e.command);
    if (e.transition < 0 ||
        std::find(first, last, static_cast<std::uint16_t>(e.transition)) == last)
        throw unfit("transition " + std::to_string(e.transition) + " does not leave state " +
                    cs.spec.states[cases.state[id]].key + " on " + e.type);
    detail::Decision d;
    d.transition = static_cast<std::uint16_t>(e.transition);
    const std::uint16_t to = cs.transitions[d.transition].to;
    d.to = to == none16 ? cases.state[id] : to;
    if (e.command == Command::dispatch) {
        d.dispatching = true;
        const std::string dept = p.value("department", std::string());
        if (const auto it = config->department_index.find(dept);
            it != config->department_index.end())
            d.department = it->second;
        d.route_node = node_by_code(*hierarchy, p.value("route_node", std::string()));
    }
    if (const auto it = p.find("category"); it != p.end() && e.command == Command::file) {
        const auto c = config->category_index.find(it->get<std::string>());
        if (c == config->category_index.end())
            throw unfit("unknown category " + it->get<std::string>());
        d.category = c->second;
    }
    apply(id, command, d, &limits);
}

std::unique_ptr<CaseEngine::Impl> CaseEngine::Impl::rebuild(
    const std::vector<CaseEvent>& events) const {
    auto s = scratch();
    for (const CaseEvent& e : events)
        s->apply_replayed(e);
    return s;
}

// ---- the public reading functions --------------------------------------------------------

std::size_t CaseEngine::size() const {
    return impl_->cases.size();
}

CaseRecord CaseEngine::get(CaseId id) const {
    return impl_->record(id);
}

std::optional<CaseId> CaseEngine::find(std::string_view number) const {
    return impl_->numbers.find(number);
}

CaseId CaseEngine::at(std::string_view number) const {
    if (const auto id = impl_->numbers.find(number))
        return *id;
    throw Error(ErrorCode::not_found, "no case numbered " + detail::quoted_text(number));
}

const std::string& CaseEngine::state(CaseId id) const {
    const Impl& w = *impl_;
    w.require_case(id);
    return w.spec_of(id).spec.states[w.cases.state[id]].key;
}

EventSeq CaseEngine::last_sequence() const {
    return impl_->last_sequence;
}

LogAnchor CaseEngine::head() const {
    LogAnchor a;
    a.sequence = impl_->last_sequence;
    a.hash = impl_->last_hash;
    return a;
}

std::vector<CaseEvent> CaseEngine::events(CaseId id) const {
    return impl_->case_events(id);
}

std::vector<CaseEvent> CaseEngine::events_between(EventSeq from, EventSeq to) const {
    const Impl& w = *impl_;
    if (w.workspace != nullptr) {
        const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
        return detail::read_stored_events_between(*w.workspace, w, from, to);
    }
    std::vector<CaseEvent> out;
    const EventSeq end = std::min(to, w.committed_sequence + 1);
    for (EventSeq s = std::max<EventSeq>(from, w.log.first); s < end; ++s)
        out.push_back(w.event_at(static_cast<std::size_t>(s - w.log.first)));
    return out;
}

CaseRecord CaseEngine::replay(CaseId id) const {
    const Impl& w = *impl_;
    const std::vector<CaseEvent> events = w.case_events(id);
    const auto s = w.rebuild(events);
    CaseRecord r = s->record(0);
    r.id = id;
    return r;
}

CaseRecord CaseEngine::state_at(CaseId id, Instant at) const {
    const Impl& w = *impl_;
    std::vector<CaseEvent> events = w.case_events(id);
    const auto cut =
        std::find_if(events.begin(), events.end(), [&](const CaseEvent& e) { return e.at > at; });
    events.erase(cut, events.end());
    if (events.empty()) {
        throw Error(ErrorCode::not_found, "case " + w.number(id) + " was reported at " +
                                              Instant{w.cases.reported_at[id]}.to_string() +
                                              ", after " + at.to_string());
    }
    const auto s = w.rebuild(events);
    CaseRecord r = s->record(0);
    r.id = id;
    return r;
}

std::vector<Finding> CaseEngine::verify_cases() const {
    const Impl& w = *impl_;
    std::vector<Finding> out;
    // A standalone log is grouped by case in one pass; a workspace reads each case's events
    // from its last event back along the links (case_events.back).
    std::vector<std::vector<std::uint32_t>> by_case;
    if (w.workspace == nullptr) {
        by_case.resize(w.cases.size());
        for (std::size_t i = 0; i < w.log.size(); ++i)
            by_case[w.log[i].case_id].push_back(static_cast<std::uint32_t>(i));
    }
    for (CaseId id = 0; id < w.cases.size(); ++id) {
        std::vector<CaseEvent> events;
        if (w.workspace == nullptr) {
            for (std::uint32_t i : by_case[id])
                events.push_back(w.event_at(i));
        } else {
            events = w.case_events(id);
        }
        std::string problem;
        try {
            const auto s = w.rebuild(events);
            if (s->cases.size() != 1) {
                problem = "its events rebuild " + std::to_string(s->cases.size()) + " cases";
            } else {
                CaseRecord r = s->record(0);
                r.id = id;
                if (r != w.record(id))
                    problem = "its events rebuild another state than the one stored";
            }
        } catch (const Error& e) {
            problem = e.what();
        }
        if (!problem.empty())
            out.push_back({"cases.replay_mismatch", Severity::error, w.number(id),
                           "case " + w.number(id) + ": " + problem});
    }
    return out;
}

}  // namespace gridgov
