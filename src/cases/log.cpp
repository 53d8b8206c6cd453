// The event log: the canonical encoding and SHA-256 of events, appending, reading events
// back as CaseEvent, and verification of the chain.
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "cases/engine_impl.hpp"
#include "cases/store.hpp"

namespace gridgov::detail {

// ---- SHA-256 -----------------------------------------------------------------------------

Sha256::Sha256() {
    md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    ctx_ = EVP_MD_CTX_new();
    if (md_ == nullptr || ctx_ == nullptr) {
        EVP_MD_free(static_cast<EVP_MD*>(md_));
        EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
        throw Error(ErrorCode::internal, "OpenSSL offers no SHA-256 digest");
    }
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    EVP_MD_free(static_cast<EVP_MD*>(md_));
}

Hash Sha256::digest(const void* data, std::size_t size) {
    auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
    Hash out{};
    unsigned int n = 0;
    if (EVP_DigestInit_ex2(ctx, static_cast<EVP_MD*>(md_), nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data, size) != 1 || EVP_DigestFinal_ex(ctx, out.data(), &n) != 1 ||
        n != out.size()) {
        throw Error(ErrorCode::internal, "SHA-256 of an event failed in OpenSSL");
    }
    return out;
}

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

void EventLog::truncate(std::size_t n) {
    if (n >= size())
        return;
    case_id.resize(n);
    case_sequence.resize(n);
    type.resize(n);
    transition.resize(n);
    from_state.resize(n);
    to_state.resize(n);
    actor.resize(n);
    system.resize(n);
    at.resize(n);
    payloads.resize(n == 0 ? 0 : payload_end[n - 1]);
    payload_end.resize(n);
    hash.resize(n);
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

    EventLog& l = log;
    l.case_id.push_back(id);
    l.case_sequence.push_back(case_seq);
    l.type.push_back(type);
    l.transition.push_back(static_cast<std::int16_t>(transition));
    l.from_state.push_back(from);
    l.to_state.push_back(to);
    l.actor.push_back(actor);
    l.system.push_back(system ? 1 : 0);
    l.at.push_back(at);
    l.payloads.append(payload);
    l.payload_end.push_back(l.payloads.size());
    l.hash.push_back(h);

    last_sequence = seq;
    last_hash = h;
    cases.events[id] = case_seq;
    cases.last_event[id] = seq;
    return seq;
}

CaseEvent CaseEngine::Impl::event_at(std::size_t i) const {
    const EventLog& l = log;
    CaseEvent e;
    e.sequence = l.first + i;
    e.case_id = l.case_id[i];
    e.case_number = number(e.case_id);
    e.case_sequence = l.case_sequence[i];
    if (l.type[i] == detail::breach_type_code) {
        e.kind = EventKind::breach;
    } else {
        e.command = static_cast<Command>(l.type[i]);
    }
    e.type = detail::event_type_name(l.type[i]);
    e.transition = l.transition[i];
    const detail::CompiledSpec& cs = spec_of(e.case_id);
    if (l.from_state[i] != detail::none16)
        e.from_state = cs.spec.states[l.from_state[i]].key;
    e.to_state = cs.spec.states[l.to_state[i]].key;
    if (l.actor[i] != detail::none32)
        e.actor = people.at(l.actor[i]);
    e.system = l.system[i] != 0;
    e.at = Instant{l.at[i]};
    e.payload = std::string(l.payload(i));
    e.previous_hash = i == 0 ? l.before : l.hash[i - 1];
    e.hash = l.hash[i];
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

std::string LogChecker::case_label(std::uint32_t id) const {
    return id < numbers->size() ? std::string(numbers->at(id)) : "#" + std::to_string(id);
}

void LogChecker::check(const EventFields& f, std::string_view type_text, const Hash& stored) {
    if (!result.ok)
        return;
    const std::string number = case_label(f.case_id);
    if (f.sequence != expected) {
        fail(LogProblem::missing, expected, "",
             "event " + std::to_string(expected) + " is missing: event " +
                 std::to_string(f.sequence) + " (case " + number + ") follows event " +
                 std::to_string(expected - 1));
        return;
    }
    EventFields g = f;
    std::optional<std::uint8_t> type = parse_event_type(type_text);
    encode.clear();
    if (type) {
        g.type = *type;
        encode_event(g, encode);
    }
    if (!type || sha.digest(encode.data(), encode.size()) != stored) {
        fail(LogProblem::content_changed, f.sequence, number,
             "event " + std::to_string(f.sequence) + " (case " + number +
                 "): the stored hash does not match the event's content (changed, or moved "
                 "from another position)");
        return;
    }
    if (*f.previous != previous) {
        fail(LogProblem::chain_broken, f.sequence, number,
             "event " + std::to_string(f.sequence) + " (case " + number +
                 "): its previous-hash field does not match the hash of event " +
                 std::to_string(f.sequence - 1));
        return;
    }
    if (f.case_id >= numbers->size()) {
        fail(LogProblem::unknown_case, f.sequence, number,
             "event " + std::to_string(f.sequence) + " names case id " + std::to_string(f.case_id) +
                 ", which does not exist");
        return;
    }
    std::uint32_t& seen = case_events[f.case_id];
    if (f.case_sequence != seen + 1) {
        fail(LogProblem::case_sequence, f.sequence, number,
             "event " + std::to_string(f.sequence) + " (case " + number + ") is the case's event " +
                 std::to_string(f.case_sequence) + " but follows its event " +
                 std::to_string(seen));
        return;
    }
    seen = f.case_sequence;
    if (anchor != nullptr && f.sequence == anchor->sequence && stored != anchor->hash) {
        fail(LogProblem::head_mismatch, f.sequence, number,
             "event " + std::to_string(f.sequence) + " (case " + number +
                 ") does not have the hash the anchor recorded");
        return;
    }
    previous = stored;
    last = f.sequence;
    ++expected;
    ++result.events_checked;
}

void LogChecker::finish(EventSeq engine_head, const Hash& engine_hash,
                        const std::vector<std::uint32_t>& recorded_events) {
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
    for (std::size_t id = 0; id < recorded_events.size() && id < case_events.size(); ++id) {
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

LogVerification CaseEngine::verify_log(const LogAnchor* anchor) const {
    const Impl& w = *impl_;
    if (w.batch_open) {
        throw Error(ErrorCode::invalid_state,
                    "verify_log: a batch is open; commit or roll it back first");
    }
    detail::LogChecker checker(w.numbers, anchor);
    if (w.workspace != nullptr) {
        detail::verify_stored_log(*w.workspace, checker);
    } else {
        const EventLog& l = w.log;
        for (std::size_t i = 0; i < l.size(); ++i) {
            const CaseEvent e = w.event_at(i);
            detail::EventFields f;
            f.sequence = e.sequence;
            f.case_id = e.case_id;
            f.case_sequence = e.case_sequence;
            f.transition = e.transition;
            f.from_state = e.from_state;
            f.to_state = e.to_state;
            f.actor = e.actor;
            f.system = e.system;
            f.at = e.at.seconds;
            f.payload = e.payload;
            f.previous = &e.previous_hash;
            checker.check(f, e.type, e.hash);
        }
    }
    checker.finish(w.committed_sequence, w.committed_hash, w.cases.events);
    return checker.result;
}

}  // namespace gridgov
