// The undo journal behind the strong guarantee: saving a case before it changes, marks,
// rollback, commits written through to the workspace, and the observers told after them.
#include <algorithm>

#include "cases/engine_impl.hpp"
#include "store/case_store.hpp"

namespace gridgov {

using detail::CompiledSpec;

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
    if (!cold(id))
        journal.clocks.insert(journal.clocks.end(), slots(id), slots(id) + cs.stage_count());
    journal.counters.insert(journal.counters.end(), counter_values(id),
                            counter_values(id) + cs.counter_count());
    journal.cases.push_back(s);
    // The change may move its clocks: a cold case gets a hot run (after the mark, so that
    // a rollback takes it away with the row that refers to it).
    warm(id);
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
        if ((s.row.clock_base & detail::cold_clock) == 0)
            std::copy_n(journal.clocks.begin() + s.clocks_at, cs.stage_count(),
                        clocks.begin() + static_cast<std::ptrdiff_t>(s.row.clock_base));
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
    if (workspace != nullptr) {
        detail::write_case_changes(*workspace, *this, m, false, config->specs.size());
        if (commit_signer && last_sequence > m.last_sequence)
            sign_at_commit(last_sequence);
        close_write(m, false);
    }
    const bool appended = last_sequence > committed_sequence;
    committed_sequence = last_sequence;
    committed_hash = last_hash;
    if (workspace == nullptr && commit_signer && appended)
        sign_at_commit(last_sequence);
}

// ---- the write transaction -----------------------------------------------------------

void CaseEngine::Impl::open_write(std::string_view what) {
    if (workspace == nullptr || writing)
        return;
    // The workspace catches every module up, this engine included (catch_up_cases),
    // before the transaction is taken to be this engine's.
    workspace->file().begin_write();
    writing = true;
    writing_what = what;
}

void CaseEngine::Impl::close_write(const detail::Mark& m, bool configuration) {
    if (!writing)
        return;
    writing = false;  // commit_write() rolls back when it fails
    workspace->file().commit_write(writing_what, m.last_sequence + 1, last_sequence, configuration);
}

void CaseEngine::Impl::abandon_write() noexcept {
    if (!writing)
        return;
    writing = false;
    workspace->file().rollback_write();
}

void CaseEngine::Impl::deliver_caught_up(EventSeq before) {
    if (observers.empty() || last_sequence <= before) {
        notified_sequence = std::max(notified_sequence, last_sequence);
        return;
    }
    std::vector<CaseEvent> events;
    {
        const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
        events =
            detail::read_stored_events_between(*workspace, *this, before + 1, last_sequence + 1);
    }
    deliver(events);
    notified_sequence = last_sequence;
}

void CaseEngine::Impl::settle() {
    notify();
    if (workspace != nullptr)
        log.clear_after(last_sequence, last_hash);
    cool_settled();
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
    std::vector<CaseEvent> events;
    for (EventSeq seq = notified_sequence + 1; seq <= committed_sequence; ++seq)
        events.push_back(event_at(static_cast<std::size_t>(seq - log.first)));
    deliver(events);
    notified_sequence = committed_sequence;
}

void CaseEngine::Impl::deliver(const std::vector<CaseEvent>& events) {
    // Observers may register or remove observers; they run on a copy of the list.
    const auto current = observers;
    struct Notifying {
        bool& flag;
        explicit Notifying(bool& f) : flag(f) { flag = true; }
        ~Notifying() { flag = false; }
    } scope(notifying);
    for (const CaseEvent& e : events) {
        for (const auto& [token, observer] : current) {
            try {
                observer(e);
            } catch (const std::exception& ex) {
                observer_failures.push_back({token, e.sequence, ex.what()});
            } catch (...) {
                observer_failures.push_back({token, e.sequence, "unknown exception"});
            }
        }
    }
}

}  // namespace gridgov
