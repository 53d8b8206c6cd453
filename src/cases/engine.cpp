// The case engine: construction, the public commands and batches, and observers. The
// engine's work is spread by concern: stage clocks (clocks.cpp), timers and ticks
// (timers.cpp), deciding a command (decide.cpp), applying it (apply.cpp), the undo journal
// and commits (journal.cpp), and configuration changes (configure.cpp).
#include <algorithm>

#include "cases/engine_impl.hpp"

namespace gridgov {
namespace detail {
namespace {

const std::shared_ptr<const EngineConfig>& builtin_config() {
    static const std::shared_ptr<const EngineConfig> config =
        std::make_shared<const EngineConfig>(EngineConfig::builtin());
    return config;
}

}  // namespace
}  // namespace detail

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
CaseEngine::CaseEngine(const Hierarchy& hierarchy, const Directory& directory,
                       const std::vector<Overlay>& overlays)
    : CaseEngine(hierarchy, directory) {
    impl_->overlays = &overlays;
}
Networks CaseEngine::networks() const {
    return impl_->networks();
}
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

void CaseEngine::Impl::require_no_batch(std::string_view call) const {
    if (batch_open) {
        throw Error(ErrorCode::invalid_state,
                    std::string(call) + ": a batch is open; commit or roll it back first");
    }
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
// ---- commands and batches ----------------------------------------------------------------

CaseId CaseEngine::report(const NewCase& report) {
    Impl& w = *impl_;
    const Impl::Change change(w, "report a case");
    return w.guarded([&] { return w.create(report, nullptr); });
}

EventSeq CaseEngine::fire(CaseId id, const CaseCommand& command) {
    Impl& w = *impl_;
    const Impl::Change change(w, "fire a command");
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
    const detail::PostsView posts(*w.directory);
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
            for (NodeId n = node; n != no_node; n = h.parent(n))
                posts.append_holders(n, maybe);
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
    // A workspace's batch holds the write transaction from here to its end: other
    // connections wait for it, and it is decided on the state they left.
    w.open_write("a batch");
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
        w.abandon_write();
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
    w.abandon_write();
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
