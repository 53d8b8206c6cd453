// The event log: the canonical encoding and SHA-256 of events, appending, reading events
// back as CaseEvent, and verification of the chain.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "cases/engine_impl.hpp"
#include "core/text.hpp"
#include "store/case_store.hpp"

namespace gridgov::detail {

// ---- canonical encoding ------------------------------------------------------------------

namespace {

void put_u64(std::string& out, std::uint64_t v) {
    char b[8];
    for (int i = 7; i >= 0; --i) {
        b[i] = static_cast<char>(v & 0xFF);
        v >>= 8;
    }
    out.append(b, 8);
}

void put_u32(std::string& out, std::uint32_t v) {
    char b[4];
    for (int i = 3; i >= 0; --i) {
        b[i] = static_cast<char>(v & 0xFF);
        v >>= 8;
    }
    out.append(b, 4);
}

void put_text(std::string& out, std::string_view s) {
    std::uint64_t n = s.size();
    do {
        const auto byte = static_cast<unsigned char>(n & 0x7F);
        n >>= 7;
        out.push_back(static_cast<char>(n != 0 ? byte | 0x80 : byte));
    } while (n != 0);
    out.append(s.data(), s.size());
}

}  // namespace

void encode_event(const EventFields& f, std::string& out) {
    out.append("GGE1", 4);
    put_u64(out, f.sequence);
    put_u32(out, f.case_id);
    put_u32(out, f.case_sequence);
    out.push_back(static_cast<char>(f.type));
    const auto transition = static_cast<std::uint16_t>(f.transition < 0 ? 0xFFFF : f.transition);
    out.push_back(static_cast<char>(transition >> 8));
    out.push_back(static_cast<char>(transition & 0xFF));
    put_text(out, f.from_state);
    put_text(out, f.to_state);
    put_text(out, f.actor);
    out.push_back(f.system ? '\1' : '\0');
    put_u64(out, static_cast<std::uint64_t>(f.at));
    put_text(out, f.payload);
    static const Hash zero{};
    const Hash& previous = f.previous != nullptr ? *f.previous : zero;
    out.append(reinterpret_cast<const char*>(previous.data()), previous.size());
}

std::optional<std::uint8_t> parse_event_type(std::string_view text) {
    if (text == "breach")
        return breach_type_code;
    for (Command c : all_commands()) {
        if (text == command_name(c))
            return static_cast<std::uint8_t>(c);
    }
    return std::nullopt;
}

const char* event_type_name(std::uint8_t code) {
    if (code == breach_type_code)
        return "breach";
    return command_name(static_cast<Command>(code));
}

// ---- the columns -------------------------------------------------------------------------

ChunkMemory::ChunkMemory() {
    void* p = std::aligned_alloc(bytes, bytes);
    if (p == nullptr)
        throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    data_ = static_cast<char*>(p);
}

ChunkMemory& ChunkMemory::operator=(ChunkMemory&& o) noexcept {
    if (this != &o) {
        std::free(data_);
        data_ = o.data_;
        o.data_ = nullptr;
    }
    return *this;
}

ChunkMemory::~ChunkMemory() {
    std::free(data_);
}

std::string_view EventLog::payload(std::size_t i) const {
    const EventRecord& r = (*this)[i];
    const char* base = r.payload_chunk >= texts_.size()
                           ? large_[r.payload_chunk - texts_.size()].get()
                           : texts_[r.payload_chunk].data();
    return std::string_view(base + r.payload_offset, r.payload_size);
}

EventRecord& EventLog::push(std::string_view payload) {
    if (size_ / chunk_size == chunks_.size())
        chunks_.emplace_back();
    EventRecord& record =
        reinterpret_cast<EventRecord*>(chunks_[size_ / chunk_size].data())[size_ % chunk_size];
    if (payload.size() > ChunkMemory::bytes) {
        // Text chunk numbers past the regular chunks name the large payloads.
        large_.push_back(std::make_unique<char[]>(payload.size()));
        std::copy(payload.begin(), payload.end(), large_.back().get());
        record.payload_chunk = static_cast<std::uint32_t>(texts_.size() + large_.size() - 1);
        record.payload_offset = 0;
    } else {
        if (texts_.empty() || text_fill_ + payload.size() > ChunkMemory::bytes) {
            if (!texts_.empty())
                ++text_chunk_;
            text_fill_ = 0;
            if (text_chunk_ == texts_.size())
                texts_.emplace_back();
        }
        std::copy(payload.begin(), payload.end(), texts_[text_chunk_].data() + text_fill_);
        record.payload_chunk = static_cast<std::uint32_t>(text_chunk_);
        record.payload_offset = static_cast<std::uint32_t>(text_fill_);
        text_fill_ += payload.size();
    }
    record.payload_size = static_cast<std::uint32_t>(payload.size());
    ++size_;
    return record;
}

void EventLog::truncate(std::size_t n) {
    if (n >= size_)
        return;
    size_ = n;
    text_chunk_ = 0;
    text_fill_ = 0;
    for (std::size_t i = n; i-- > 0;) {
        const EventRecord& last = (*this)[i];
        if (last.payload_chunk < texts_.size()) {
            text_chunk_ = last.payload_chunk;
            text_fill_ = last.payload_offset + last.payload_size;
            break;
        }
    }
    while (!large_.empty()) {
        bool used = false;
        const auto index = static_cast<std::uint32_t>(texts_.size() + large_.size() - 1);
        for (std::size_t i = n; i-- > 0 && !used;)
            used = (*this)[i].payload_chunk == index;
        if (used)
            break;
        large_.pop_back();
    }
}

void EventLog::clear_after(EventSeq last, const Hash& last_hash) {
    truncate(0);
    first = last + 1;
    before = last_hash;
}

}  // namespace gridgov::detail

namespace gridgov {

using detail::EventLog;
using detail::Hash;

EventSeq CaseEngine::Impl::append_event(CaseId id, std::uint8_t type, int transition,
                                        std::uint16_t from, std::uint16_t to, std::uint32_t actor,
                                        bool system, std::int64_t at, std::string_view payload) {
    const detail::CompiledSpec& cs = spec_of(id);
    const EventSeq seq = last_sequence + 1;
    const std::uint32_t case_seq = cases.events[id] + 1;
    detail::EventFields f;
    f.sequence = seq;
    f.case_id = id;
    f.case_sequence = case_seq;
    f.type = type;
    f.transition = transition;
    f.from_state = from == detail::none16 ? std::string_view() : cs.spec.states[from].key;
    f.to_state = cs.spec.states[to].key;
    f.actor = actor == detail::none32 ? std::string_view() : std::string_view(people.at(actor));
    f.system = system;
    f.at = at;
    f.payload = payload;
    f.previous = &last_hash;
    encode_buffer.clear();
    detail::encode_event(f, encode_buffer);
    const Hash h = sha.digest(encode_buffer.data(), encode_buffer.size());

    detail::EventRecord& r = log.push(payload);
    r.case_id = id;
    r.case_sequence = case_seq;
    r.at = at;
    r.actor = actor;
    r.from_state = from;
    r.to_state = to;
    r.transition = static_cast<std::int16_t>(transition);
    r.type = type;
    r.system = system ? 1 : 0;
    r.hash = h;

    last_sequence = seq;
    last_hash = h;
    cases.events[id] = case_seq;
    cases.last_event[id] = seq;
    return seq;
}

CaseEvent CaseEngine::Impl::event_at(std::size_t i) const {
    const detail::EventRecord& r = log[i];
    CaseEvent e;
    e.sequence = log.first + i;
    e.case_id = r.case_id;
    e.case_number = number(e.case_id);
    e.case_sequence = r.case_sequence;
    if (r.type == detail::breach_type_code) {
        e.kind = EventKind::breach;
    } else {
        e.command = static_cast<Command>(r.type);
    }
    e.type = detail::event_type_name(r.type);
    e.transition = r.transition;
    const detail::CompiledSpec& cs = spec_of(e.case_id);
    if (r.from_state != detail::none16)
        e.from_state = cs.spec.states[r.from_state].key;
    e.to_state = cs.spec.states[r.to_state].key;
    if (r.actor != detail::none32)
        e.actor = people.at(r.actor);
    e.system = r.system != 0;
    e.at = Instant{r.at};
    e.payload = std::string(log.payload(i));
    e.previous_hash = log.previous(i);
    e.hash = r.hash;
    return e;
}

namespace detail {

void LogChecker::fail(LogProblem problem, EventSeq seq, std::string case_number,
                      std::string message) {
    if (!result.ok)
        return;
    result.ok = false;
    result.problem = problem;
    result.sequence = seq;
    result.case_number = std::move(case_number);
    result.message = std::move(message);
}

LogChecker::LogChecker(const NumberPool& pool, const LogAnchor* a)
    : anchor(a), numbers(&pool), case_events(pool.size(), 0) {}

void LogChecker::start_after(const LogCheckpoint& checkpoint) {
    expected = checkpoint.sequence + 1;
    last = checkpoint.sequence;
    previous = checkpoint.hash;
    trusted_cases = checkpoint.cases;
    result.checked_from = checkpoint.sequence;
}

std::string LogChecker::case_label(std::uint32_t id) const {
    return id < numbers->size() ? std::string(numbers->at(id)) : "#" + std::to_string(id);
}

void LogChecker::check(const EventFields& f, std::optional<std::uint8_t> type, const Hash& stored,
                       const std::int64_t* link) {
    if (!result.ok)
        return;
    // The case's label is built only for a message: this runs once per event.
    const auto number_of = [&] { return case_label(f.case_id); };
    if (f.sequence != expected) {
        fail(LogProblem::missing, expected, "",
             "event " + std::to_string(expected) + " is missing: event " +
                 std::to_string(f.sequence) + " (case " + number_of() + ") follows event " +
                 std::to_string(expected - 1));
        return;
    }
    EventFields g = f;
    encode.clear();
    if (type) {
        g.type = *type;
        encode_event(g, encode);
    }
    if (!type || sha.digest(encode.data(), encode.size()) != stored) {
        fail(LogProblem::content_changed, f.sequence, number_of(),
             "event " + std::to_string(f.sequence) + " (case " + number_of() +
                 "): the stored hash does not match the event's content (changed, or moved "
                 "from another position)");
        return;
    }
    if (*f.previous != previous) {
        fail(LogProblem::chain_broken, f.sequence, number_of(),
             "event " + std::to_string(f.sequence) + " (case " + number_of() +
                 "): its previous-hash field does not match the hash of event " +
                 std::to_string(f.sequence - 1));
        return;
    }
    if (f.case_id >= numbers->size()) {
        fail(LogProblem::unknown_case, f.sequence, number_of(),
             "event " + std::to_string(f.sequence) + " names case id " + std::to_string(f.case_id) +
                 ", which does not exist");
        return;
    }
    std::uint32_t& seen = case_events[f.case_id];
    // After a checkpoint, a case that existed then goes on from its earlier events.
    if (seen == 0 && f.case_id < trusted_cases && f.case_sequence >= 1)
        seen = f.case_sequence - 1;
    if (f.case_sequence != seen + 1) {
        fail(LogProblem::case_sequence, f.sequence, number_of(),
             "event " + std::to_string(f.sequence) + " (case " + number_of() +
                 ") is the case's event " + std::to_string(f.case_sequence) +
                 " but follows its event " + std::to_string(seen));
        return;
    }
    if (link != nullptr) {
        // The link to the case's event before is no part of the hash: it is checked
        // against the events seen (after a checkpoint, a case's first link goes to an
        // event before it, which is not read).
        if (case_last.size() < case_events.size())
            case_last.resize(case_events.size(), 0);
        EventSeq& before = case_last[f.case_id];
        const bool unread = before == 0 && f.case_sequence > 1;
        const bool ok = unread ? *link >= 1 && static_cast<EventSeq>(*link) < f.sequence
                               : *link >= 0 && static_cast<EventSeq>(*link) == before;
        if (!ok) {
            const std::string to = *link == 0  ? std::string("no event")
                                   : *link < 0 ? std::string("no stored event")
                                               : "event " + std::to_string(*link);
            fail(LogProblem::case_sequence, f.sequence, number_of(),
                 "event " + std::to_string(f.sequence) + " (case " + number_of() + ") links to " +
                     to + " as the case's event before it, but that is " +
                     (unread        ? std::string("an earlier event")
                      : before == 0 ? std::string("none")
                                    : "event " + std::to_string(before)));
            return;
        }
        before = f.sequence;
    }
    seen = f.case_sequence;
    if (anchor != nullptr && f.sequence == anchor->sequence && stored != anchor->hash) {
        fail(LogProblem::head_mismatch, f.sequence, number_of(),
             "event " + std::to_string(f.sequence) + " (case " + number_of() +
                 ") does not have the hash the anchor recorded");
        return;
    }
    previous = stored;
    last = f.sequence;
    ++expected;
    ++result.events_checked;
}

void LogChecker::finish(EventSeq engine_head, const Hash& engine_hash,
                        const ColumnVector<std::uint32_t>& recorded_events) {
    if (!result.ok)
        return;
    if (last != engine_head || (last != 0 && previous != engine_hash)) {
        fail(LogProblem::head_mismatch, last + 1 > engine_head ? engine_head + 1 : last + 1, "",
             "the log ends at event " + std::to_string(last) + " but the engine's last event is " +
                 std::to_string(engine_head) +
                 (last > engine_head ? " (events were appended)" : " (events were removed)"));
        return;
    }
    if (anchor != nullptr && anchor->sequence > last) {
        fail(LogProblem::head_mismatch, last + 1, "",
             "the log ends at event " + std::to_string(last) + " but the anchor records event " +
                 std::to_string(anchor->sequence));
        return;
    }
    if (anchor != nullptr)
        result.events_after_anchor = last - anchor->sequence;
    for (std::size_t id = 0; id < recorded_events.size() && id < case_events.size(); ++id) {
        if (id < trusted_cases && case_events[id] == 0)
            continue;  // no event since the checkpoint: its count was signed off
        if (recorded_events[id] != case_events[id]) {
            const std::string number = case_label(static_cast<std::uint32_t>(id));
            fail(LogProblem::case_sequence, 0, number,
                 "case " + number + " records " + std::to_string(recorded_events[id]) +
                     " events but the log holds " + std::to_string(case_events[id]));
            return;
        }
    }
}

}  // namespace detail

LogVerification CaseEngine::Impl::verify(const LogCheckpoint* from, const LogAnchor* anchor) const {
    detail::LogChecker checker(numbers, anchor);
    const auto checkpoint_gone = [&](const LogCheckpoint& c) {
        checker.fail(LogProblem::checkpoint_mismatch, c.sequence, "",
                     "event " + std::to_string(c.sequence) +
                         " no longer has the hash recorded by the checkpoint " + c.signed_by +
                         " signed off at " + c.signed_at.to_string() +
                         " (the log up to the checkpoint was changed; run verify_log over "
                         "the whole log)");
    };
    if (from != nullptr)
        checker.start_after(*from);
    if (workspace != nullptr) {
        const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
        if (from != nullptr && from->sequence != 0) {
            const auto stored = detail::stored_event_hash(*workspace, from->sequence);
            if (!stored || *stored != from->hash)
                checkpoint_gone(*from);
        }
        if (checker.result.ok)
            detail::verify_stored_log(*workspace, checker, checker.expected);
    } else {
        std::size_t i = 0;
        if (from != nullptr && from->sequence != 0) {
            if (from->sequence < log.first || from->sequence - log.first >= log.size() ||
                event_at(static_cast<std::size_t>(from->sequence - log.first)).hash != from->hash)
                checkpoint_gone(*from);
            i = static_cast<std::size_t>(from->sequence - log.first) + 1;
        }
        for (; i < log.size() && checker.result.ok; ++i) {
            const CaseEvent e = event_at(i);
            checker.check(detail::event_fields(e, 0, e.previous_hash),
                          detail::parse_event_type(e.type), e.hash);
        }
    }
    checker.finish(committed_sequence, committed_hash, cases.events);
    return checker.result;
}

std::vector<LogCheckpoint> CaseEngine::Impl::stored_checkpoints() const {
    if (workspace == nullptr)
        return checkpoints;
    const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
    return detail::read_log_checkpoints(*workspace, false);
}

std::optional<LogCheckpoint> CaseEngine::Impl::last_checkpoint() const {
    if (workspace == nullptr)
        return checkpoints.empty() ? std::nullopt : std::optional(checkpoints.back());
    const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
    std::vector<LogCheckpoint> last = detail::read_log_checkpoints(*workspace, true);
    if (last.empty())
        return std::nullopt;
    return std::move(last.back());
}

LogVerification CaseEngine::verify_log(const LogAnchor* anchor) const {
    const Impl& w = *impl_;
    w.require_no_batch("verify_log");
    return w.verify(nullptr, anchor);
}

LogVerification CaseEngine::verify_log_since_checkpoint() const {
    const Impl& w = *impl_;
    w.require_no_batch("verify_log_since_checkpoint");
    const std::optional<LogCheckpoint> last = w.last_checkpoint();
    return w.verify(last ? &*last : nullptr, nullptr);
}

std::vector<LogCheckpoint> CaseEngine::log_checkpoints() const {
    return impl_->stored_checkpoints();
}

LogVerification CaseEngine::sign_off_log(const std::string& by, Instant at, bool full) {
    Impl& w = *impl_;
    if (by.empty())
        throw Error(ErrorCode::invalid_argument,
                    "sign_off_log: by is empty: name who signs the log off");
    detail::check_text(by, detail::TextKind::line, "sign_off_log: by");
    w.require_no_batch("sign_off_log");
    // The write lock is taken (and the engine caught up) before the check, so that what
    // is checked is what the checkpoint vouches for.
    const Impl::Change change(w, "sign off the log");
    const std::optional<LogCheckpoint> last = w.last_checkpoint();
    if (last && at < last->signed_at) {
        throw Error(ErrorCode::invalid_state, "sign_off_log: at " + at.to_string() +
                                                  " is before the last checkpoint, " +
                                                  "signed off at " + last->signed_at.to_string());
    }
    const LogCheckpoint* from = full || !last ? nullptr : &*last;
    LogVerification v = w.verify(from, nullptr);
    if (!v.ok)
        return v;
    LogCheckpoint c;
    c.sequence = w.committed_sequence;
    c.hash = w.committed_hash;
    c.cases = static_cast<std::uint32_t>(w.cases.size());
    c.signed_at = at;
    c.signed_by = by;
    c.full = from == nullptr;
    c.events_checked = v.events_checked;
    w.guarded([&] {
        if (w.workspace != nullptr) {
            const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
            detail::write_log_checkpoint(*w.workspace, c);
        }
        return 0;
    });
    if (w.workspace == nullptr)
        w.checkpoints.push_back(c);
    v.checkpoint = std::move(c);
    return v;
}

}  // namespace gridgov
