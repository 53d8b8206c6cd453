// Private state of gridgov::CaseEngine and the helpers its source files share.
//
// Layout: the cases are columns (structure of arrays) indexed by CaseId; each case owns a
// fixed run of clock slots (one per stage of its workflow) in `clocks` and of counters in
// `counters`. Workflow specs are compiled once into transition tables indexed by
// (state, command). The configuration is immutable once built and shared by pointer, so
// that a replay can run on a scratch engine without copying it.
#ifndef GRIDGOV_SRC_CASES_ENGINE_IMPL_HPP
#define GRIDGOV_SRC_CASES_ENGINE_IMPL_HPP

#include <array>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cases/columns.hpp"
#include "cases/event_encoding.hpp"
#include "cases/storage.hpp"
#include "core/sha256.hpp"
#include "directory/posts.hpp"
#include "gridgov/cases.hpp"

namespace gridgov::detail {

// ---- payload text ------------------------------------------------------------------------

/// Appends `s` as a JSON string (quotes, escapes; UTF-8 passes through).
void append_json_string(std::string& out, std::string_view s);
/// Appends `v` in decimal, without the temporary string std::to_string makes.
inline void append_int(std::string& out, std::int64_t v) {
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, v);
    out.append(digits, static_cast<std::size_t>(r.ptr - digits));
}
/// Appends {"value": N, "unit": "..."} (and "day_rule" for working days), the format
/// TimeLimit::from_json reads.
void append_limit_json(std::string& out, const TimeLimit& limit);

// ---- compact payloads --------------------------------------------------------------------

/// Names a compact payload refers to by number (ids from 1): the keys of its objects and
/// the values of the fields that take their values from finite sets (docs/cases.md).
class PayloadNames {
  public:
    virtual ~PayloadNames() = default;
    /// The id of `name`, added when new.
    virtual std::uint32_t id_of(std::string_view name) = 0;
    /// The name with `id`; throws std::invalid_argument when there is none.
    virtual std::string_view name_of(std::uint32_t id) = 0;
    /// The name with `id` as a JSON string (quoted, escaped as append_json_string does),
    /// as name_of().
    virtual std::string_view json_of(std::uint32_t id) = 0;
};

/// The keys of the payloads the engine writes, the most used first (a new workspace gives
/// them its first name ids: one byte each where they are used).
const std::vector<std::string_view>& payload_keys();

/// Appends the stored form of the payload `json` to `out`: the compact encoding when it
/// gives back exactly `json`, otherwise `json` itself behind a marker byte.
void encode_payload(std::string_view json, PayloadNames& names, std::string& out);
/// Appends the payload text of a stored form; throws std::invalid_argument saying what is
/// wrong with one that cannot be read.
void decode_payload(std::string_view stored, PayloadNames& names, std::string& out);

// ---- compiled workflows ------------------------------------------------------------------

struct CompiledGuard {
    std::uint16_t counter = 0;
    std::int64_t min = 0;
    std::int64_t max = 0;
};

struct CompiledTransition {
    std::uint16_t to = none16;  // none16: stays in the current state
    ClockEffect clock = ClockEffect::continue_running;
    bool extends = false;
    bool reason = false;
    bool evidence = false;
    bool assigned_department = false;
    bool reporter = false;
    bool system = false;
    int tier_delta = 0;
    std::uint8_t ratings = 0;  // bit per Satisfaction; 0 = any
    std::uint32_t sets = 0;
    std::uint32_t clears = 0;
    std::vector<std::uint16_t> increments;
    std::vector<CompiledGuard> guards;
};

struct CompiledState {
    std::uint16_t timer = none16;  // stage index
    StateKind kind = StateKind::open;
    bool terminal = false;
};

/// A registered workflow version with its transition table.
struct CompiledSpec {
    WorkflowSpec spec;
    std::vector<CompiledState> states;
    std::vector<CompiledTransition> transitions;
    /// Transitions of (state, command): table[table_begin[s * command_count + c] ..
    /// table_begin[s * command_count + c + 1]), in spec order.
    std::vector<std::uint32_t> table_begin;
    std::vector<std::uint16_t> table;
    std::vector<std::uint16_t> reports;  // report transitions, in spec order
    std::unordered_map<std::string, std::uint16_t> state_index;
    std::unordered_map<std::string, std::uint16_t> stage_index;
    std::unordered_map<std::string, std::uint16_t> counter_index;

    explicit CompiledSpec(WorkflowSpec s);

    std::size_t counter_count() const { return spec.counters.size(); }
    std::size_t stage_count() const { return spec.stages.size(); }
    std::pair<const std::uint16_t*, const std::uint16_t*> candidates(std::uint16_t state,
                                                                     Command command) const {
        const std::size_t k =
            static_cast<std::size_t>(state) * command_count + static_cast<std::size_t>(command);
        return {table.data() + table_begin[k], table.data() + table_begin[k + 1]};
    }
    std::optional<std::uint16_t> find_state(std::string_view key) const;
    std::optional<std::uint16_t> find_stage(std::string_view key) const;
};

/// Whether the counter guards and the rating levels of a transition hold.
inline bool guards_hold(const CompiledTransition& t, const std::int32_t* counters,
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

/// One input of the calendar configuration, kept in order so that it can be stored and
/// replayed on open.
struct CalendarInput {
    std::string kind;  // "schedule", "year", "overrides"
    std::string source;
    std::string document;
};

/// Everything an engine is configured with. Immutable once shared: a change builds a new
/// configuration and swaps the pointer.
struct EngineConfig {
    WorkflowRegistry registry;
    std::vector<CompiledSpec> specs;  // registration order; a case refers to its index
    CategoryCatalogue categories;
    std::unordered_map<std::string, std::uint16_t> category_index;
    DepartmentCatalogue departments;
    std::unordered_map<std::string, std::uint32_t> department_index;
    RoutingTable routing;
    WorkingCalendar calendar;
    std::vector<CalendarInput> calendar_inputs;
    std::array<std::string, 7> defaults;  // workflow key by CaseSource

    static EngineConfig builtin();
    void index_categories();
    void index_departments();
    void rebuild_calendar();
    std::optional<std::uint16_t> find_spec(std::string_view key, int version) const;
    std::optional<std::uint16_t> latest_spec(std::string_view key) const;
    /// JSON of the defaults, {"grid_worker": "township_six_step", ...}.
    std::string defaults_json() const;
    void set_defaults_json(std::string_view text);
};

// ---- case storage ------------------------------------------------------------------------

/// The fixed-size fields of a case (one row of the columns), for snapshots and writes.
struct CaseRow {
    std::uint16_t spec = 0;
    std::uint16_t state = 0;
    std::uint16_t category = 0;
    std::uint16_t area = 0;
    std::uint32_t node = no_node;
    std::uint32_t reporter = none32;
    std::uint32_t department = none32;
    std::uint32_t route_node = no_node;
    std::uint8_t source = 0;
    std::uint8_t tier = 0;
    std::uint8_t rating = 0;  // 0 = none, else 1 + Satisfaction
    std::uint8_t rating_score = 0;
    std::uint8_t breached = 0;
    std::uint8_t light = 0;  // Light of the counting clock as last seen
    std::uint32_t flags = 0;
    std::uint32_t breaches = 0;
    std::uint32_t events = 0;
    std::uint32_t generation = 0;  // bumped whenever the counting clock changes
    std::int64_t reported_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t closed_at = 0;  // Instant::max() while not closed
    EventSeq last_event = 0;
    std::uint64_t clock_base = 0;  // into Impl::clocks, or cold_clock | offset (a closed case)
    std::uint32_t counter_base = 0;
};

/// The case columns.
struct CaseTable {
    ColumnVector<std::uint16_t> spec, state, category, area;
    ColumnVector<std::uint32_t> node, reporter, department, route_node;
    ColumnVector<std::uint8_t> source, tier, rating, rating_score, breached, light;
    ColumnVector<std::uint32_t> flags, breaches, events, generation;
    ColumnVector<std::int64_t> reported_at, updated_at, closed_at;
    ColumnVector<EventSeq> last_event;
    ColumnVector<std::uint64_t> clock_base;
    ColumnVector<std::uint32_t> counter_base;
    ColumnVector<std::uint32_t> saved_epoch;  // journal epoch of the last snapshot
    /// Bumped whenever a case's report instant changes or cases are taken away (not when
    /// cases are added): the period index starts over when it moves.
    std::uint64_t reported_changes = 0;

    std::size_t size() const { return spec.size(); }
    CaseRow row(CaseId id) const;
    void assign(CaseId id, const CaseRow& row);
    void push_back(const CaseRow& row);
    void truncate(std::size_t n);
    void reserve(std::size_t n);
};

/// The cases in the order of their report instants, for queries over a period. Built on
/// the first query that asks for a period and brought up to date by the next ones (cases
/// are only ever added at the end, and a case's report instant does not change). While
/// every case was reported no earlier than the one before it, as live reports are, the ids
/// are that order and nothing is kept but a count; cases reported out of order (imported
/// history, several writers) switch it to a vector of ids in report order (4 bytes a case,
/// radix-sorted once; later cases are appended, or merged when they were reported
/// earlier). Queries may run on several threads at once: the index guards itself.
class PeriodIndex {
  public:
    /// The cases reported in [from, until): `first`..`last` when `ids` is empty, else `ids`
    /// (ascending).
    struct Span {
        CaseId first = 0;
        CaseId last = 0;
        std::vector<CaseId> ids;
        bool listed = false;
    };
    Span find(const CaseTable& cases, std::int64_t from, std::int64_t until) const;

  private:
    void update(const CaseTable& cases) const;

    mutable std::mutex mutex_;
    mutable std::size_t covered_ = 0;
    mutable std::uint64_t changes_ = 0;
    mutable bool in_id_order_ = true;
    mutable std::vector<CaseId> order_;  // when not in id order: by (reported_at, id)
};

/// 64-bit FNV-1a of a string: short keys (person ids, case numbers) hash in a few ns.
inline std::uint64_t string_hash(std::string_view s) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

/// An open-addressing hash index of dense ids whose keys the owner keeps: one probe
/// sequence in a flat array, the key compared only when 32 bits of its hash match.
class IdIndex {
  public:
    /// The id whose key equals `s` (`key_of(id)` gives an id's key), if any.
    template <class KeyOf>
    std::optional<std::uint32_t> find(std::string_view s, std::uint64_t h, KeyOf key_of) const {
        if (slots_.empty())
            return std::nullopt;
        const auto tag = static_cast<std::uint32_t>(h);
        for (std::size_t i = tag & mask_;; i = (i + 1) & mask_) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0)
                return std::nullopt;
            if (static_cast<std::uint32_t>(slot >> 32) == tag) {
                const auto id = static_cast<std::uint32_t>(slot - 1);
                if (key_of(id) == s)
                    return id;
            }
        }
    }
    /// Adds an id whose key is not in the index yet.
    void insert(std::uint32_t id, std::uint64_t h);
    /// Adds `id` for key `s` unless an id with that key is there: then that one, and
    /// nothing is added. One probe for both.
    template <class KeyOf>
    std::optional<std::uint32_t> insert_new(std::uint32_t id, std::string_view s, std::uint64_t h,
                                            KeyOf key_of) {
        if (2 * (used_ + 1) > slots_.size())
            grow();
        const auto tag = static_cast<std::uint32_t>(h);
        std::size_t i = tag & mask_;
        for (; slots_[i] != 0; i = (i + 1) & mask_) {
            if (static_cast<std::uint32_t>(slots_[i] >> 32) == tag) {
                const auto other = static_cast<std::uint32_t>(slots_[i] - 1);
                if (key_of(other) == s)
                    return other;
            }
        }
        slots_[i] = (static_cast<std::uint64_t>(tag) << 32) | (static_cast<std::uint64_t>(id) + 1);
        ++used_;
        return std::nullopt;
    }
    /// Removes an id added with hash `h`.
    void erase(std::uint32_t id, std::uint64_t h);
    void clear();
    /// Room for `n` ids without growing.
    void reserve(std::size_t n);

  private:
    void grow();
    ColumnVector<std::uint64_t> slots_;  // (hash tag << 32) | (id + 1); 0 = empty
    std::size_t mask_ = 0;
    std::size_t used_ = 0;
};

/// Strings kept once, by dense id (people, area classes).
class Interner {
  public:
    std::uint32_t intern(std::string_view s);
    std::optional<std::uint32_t> find(std::string_view s) const;
    const std::string& at(std::uint32_t id) const { return names_[id]; }
    std::size_t size() const { return names_.size(); }

  private:
    std::vector<std::string> names_;
    IdIndex index_;
};

/// Texts back to back in one buffer, with a hash index by text: the case numbers (and the
/// names of case_names as the case store holds them). Texts appended unindexed (a file's
/// case numbers, which its schema keeps unique) are indexed by the first look-up that
/// needs them, so that opening a file does not build an index nothing may ask.
class NumberPool {
  public:
    NumberPool() = default;
    NumberPool(const NumberPool&) = delete;
    NumberPool& operator=(const NumberPool&) = delete;

    std::string_view at(CaseId id) const {
        return std::string_view(chars_).substr(begins_[id], begins_[id + 1] - begins_[id]);
    }
    /// The id of `number`. Indexes what was appended unindexed first, on one thread at a
    /// time; throws Error(storage) naming a number found twice there.
    std::optional<CaseId> find(std::string_view number) const;
    /// Appends the number of case size(); the caller checked it is new.
    void push_back(std::string_view number);
    /// Appends the number of case size() unless it is taken: then false, and nothing
    /// changes.
    bool push_back_new(std::string_view number);
    /// Appends the number of case size(), known to be new, to be indexed when looked up.
    void push_back_unindexed(std::string_view number);
    void truncate(std::size_t n);
    /// Room for `n` more numbers of `chars` characters in all.
    void reserve(std::size_t n, std::size_t chars);
    std::size_t size() const { return begins_.size() - 1; }

  private:
    void index_all() const;

    std::string chars_;
    ColumnVector<std::uint32_t> begins_{0};
    mutable IdIndex index_;
    mutable std::atomic<std::size_t> indexed_{0};  // ids below are in index_
    mutable std::mutex index_mutex_;
};

/// "<year>-<sequence>" with at least six digits ("2024-000123") into `buffer` (>= 24 chars).
std::string_view format_case_number(int year, std::uint32_t sequence, char* buffer);
/// The parts of a case number in the engine's own form "<year>-<digits>", if it has it.
std::optional<std::pair<int, std::uint32_t>> parse_case_number(std::string_view number);

/// One event of the log as the engine keeps it. Trivial, so that a chunk of them is
/// allocated without being written first.
struct EventRecord {
    std::uint32_t case_id;
    std::uint32_t case_sequence;
    std::int64_t at;
    std::uint32_t payload_chunk;
    std::uint32_t payload_offset;
    std::uint32_t payload_size;
    std::uint32_t actor;       // interned person; none32 for the system
    std::uint16_t from_state;  // state index in the case's spec; none16 for report
    std::uint16_t to_state;
    std::int16_t transition;  // -1 for a breach
    std::uint8_t type;
    std::uint8_t system;
    Hash hash;
};

/// Memory for the log's chunks: large, never moved, and on Linux backed by huge pages
/// where the kernel offers them, so that a growing log costs few page faults.
class ChunkMemory {
  public:
    static constexpr std::size_t bytes = std::size_t{2} << 20;
    ChunkMemory();
    ChunkMemory(const ChunkMemory&) = delete;
    ChunkMemory& operator=(const ChunkMemory&) = delete;
    ChunkMemory(ChunkMemory&& o) noexcept : data_(o.data_) { o.data_ = nullptr; }
    ChunkMemory& operator=(ChunkMemory&& o) noexcept;
    ~ChunkMemory();
    char* data() const { return data_; }

  private:
    char* data_ = nullptr;
};

/// Events not yet written (in a workspace) or the whole log (standalone). Records and
/// payload text live in fixed-size chunks that never move, so that appending costs no
/// copying of what came before.
class EventLog {
  public:
    EventSeq first = 1;  // sequence of element 0
    Hash before{};       // hash of event first - 1 (zero when first == 1)

    std::size_t size() const { return size_; }
    const EventRecord& operator[](std::size_t i) const {
        return chunk(i / chunk_size)[i % chunk_size];
    }
    std::string_view payload(std::size_t i) const;
    const Hash& previous(std::size_t i) const { return i == 0 ? before : (*this)[i - 1].hash; }
    /// Appends a record with a copy of `payload` and returns it: its payload fields are
    /// filled in, the caller fills in the others.
    EventRecord& push(std::string_view payload);
    void truncate(std::size_t n);
    /// Drops every event (after a commit), keeping the chunks; `last` and `hash` are the
    /// sequence and hash of the last event dropped.
    void clear_after(EventSeq last, const Hash& hash);

  private:
    static constexpr std::size_t chunk_size = ChunkMemory::bytes / sizeof(EventRecord);
    const EventRecord* chunk(std::size_t c) const {
        return reinterpret_cast<const EventRecord*>(chunks_[c].data());
    }
    std::vector<ChunkMemory> chunks_;
    std::vector<ChunkMemory> texts_;
    std::vector<std::unique_ptr<char[]>> large_;  // payloads longer than a chunk
    std::size_t size_ = 0;
    std::size_t text_chunk_ = 0;  // chunk the next payload goes to
    std::size_t text_fill_ = 0;   // bytes used in it
};

/// A pending clock event of tick(): the light of a counting clock turns, or it runs out.
struct TimerEntry {
    std::int64_t due = 0;
    std::uint8_t what = 0;  // timer_yellow, timer_red, timer_deadline
    CaseId case_id = 0;
    std::uint32_t generation = 0;
};
inline constexpr std::uint8_t timer_yellow = 0;
inline constexpr std::uint8_t timer_red = 1;
inline constexpr std::uint8_t timer_deadline = 2;
/// Or-ed into TimerEntry::what: `due` is only a lower bound (the natural-time instant of a
/// working-time threshold), to be made exact when it comes up.
inline constexpr std::uint8_t timer_inexact = 0x80;

/// Undo information: case rows as they were before a change since the last mark.
struct SavedCase {
    CaseId id = 0;
    CaseRow row;
    std::uint32_t clocks_at = 0;    // into Journal::clocks
    std::uint32_t counters_at = 0;  // into Journal::counters
};

struct Journal {
    std::vector<SavedCase> cases;
    std::vector<ClockSlot> clocks;
    std::vector<std::int32_t> counters;
    std::vector<std::pair<int, std::uint32_t>> year_sequence;  // (year, value before)
};

/// Walks a log event by event and remembers the first thing wrong with it.
struct LogChecker {
    LogChecker(const NumberPool& numbers, const LogAnchor* anchor);
    /// `type_text` is the stored type name; `fields.type` is ignored.
    /// `type` is none for a stored type that names no event type.
    /// `link` is the stored link to the case's event before (0: none, -1: a value that
    /// is no event's sequence), or null for a log without links (the standalone one).
    void check(const EventFields& fields, std::optional<std::uint8_t> type, const Hash& stored,
               const std::int64_t* link = nullptr);
    /// The end of the log against the engine's head and each case's recorded event count.
    void finish(EventSeq engine_head, const Hash& engine_hash,
                const ColumnVector<std::uint32_t>& recorded_events);
    void fail(LogProblem problem, EventSeq seq, std::string case_number, std::string message);
    std::string case_label(std::uint32_t id) const;
    /// Starts after `checkpoint`: the next event must chain to its hash, and a case it
    /// counted may have earlier events, which are not read.
    void start_after(const LogCheckpoint& checkpoint);

    LogVerification result;
    const LogAnchor* anchor = nullptr;
    const NumberPool* numbers = nullptr;
    std::vector<std::uint32_t> case_events;  // events seen per case
    std::vector<EventSeq> case_last;         // the last event seen per case, with links
    EventSeq expected = 1;
    EventSeq last = 0;
    Hash previous{};
    std::uint32_t trusted_cases = 0;  // cases that existed at the checkpoint started after
    Sha256 sha;
    std::string encode;
};

/// A point the engine can return to.
struct Mark {
    std::size_t journal = 0;
    std::size_t journal_clocks = 0;
    std::size_t journal_counters = 0;
    std::size_t cases = 0;
    std::size_t clocks = 0;
    std::size_t counters = 0;
    std::size_t events = 0;
    EventSeq last_sequence = 0;
    Hash last_hash{};
    std::size_t year_undo = 0;
};

/// What a command will do, decided before anything changes.
struct Decision {
    std::uint16_t transition = 0;
    std::uint16_t to = 0;  // resolved target state
    std::uint32_t department = none32;
    NodeId route_node = no_node;
    RouteBasis route_basis = RouteBasis::territorial;
    bool dispatching = false;
    std::uint16_t category = none16;  // a `file` that changes the category
    bool named_department = false;    // dispatch named the department (no routing)
    std::uint32_t actor = none32;     // interned actor; none32 for the system
    std::string basis;                // filled only when asked (check())
};

/// Limits of the fresh clocks an event started, read back from its payload in replay.
struct ReplayLimits {
    std::vector<std::pair<std::string, TimeLimit>> started;
};

/// What a replayed report needs beyond its command.
struct ReplayContext {
    const CaseEvent* event = nullptr;
    ReplayLimits limits;
    std::uint16_t spec = 0;
};

/// The fields of a breach event's payload that replay needs.
struct BreachPayload {
    std::string stage;
    bool flag = true;
    bool escalated = false;
};
BreachPayload parse_breach_payload(const CaseEvent& event);

/// "\"text\"" for messages.
std::string quoted_text(std::string_view s);

/// Orders the timer heap: the earliest due first; at the same instant light changes before
/// deadlines, then by case.
struct TimerLater {
    bool operator()(const TimerEntry& a, const TimerEntry& b) const {
        if (a.due != b.due)
            return a.due > b.due;
        if (a.what != b.what)
            return a.what > b.what;
        return a.case_id > b.case_id;
    }
};

/// A fresh clock started by the command being applied (for the payload).
/// Standalone: the kept nodes of the Merkle tree over the committed events, grown on demand
/// (src/cases/audit.cpp).
struct TreeCache;
std::shared_ptr<TreeCache> make_tree_cache();

struct StartedClock {
    std::uint16_t stage = 0;
    TimeLimit limit;
};

}  // namespace gridgov::detail

namespace gridgov {

struct CaseEngine::Impl {
    Impl(const Hierarchy& h, const Directory& d, std::shared_ptr<const detail::EngineConfig> c);

    const Hierarchy* hierarchy = nullptr;
    const Directory* directory = nullptr;
    const std::vector<Overlay>* overlays = nullptr;  ///< posts on their units admit too
    Networks networks() const {
        return overlays != nullptr ? Networks(*hierarchy, *overlays) : Networks(*hierarchy);
    }
    std::shared_ptr<const detail::EngineConfig> config;
    /// The workspace file the engine writes through to; null for a standalone engine.
    std::unique_ptr<detail::CaseStore> workspace;
    /// Whether the configuration has been written to the workspace file.
    bool config_stored = false;
    /// The workspace's write transaction is open for this engine's change or batch.
    bool writing = false;
    /// What the open write transaction is for, as its journal entry names it.
    std::string writing_what;

    // ---- cases ----
    detail::CaseTable cases;
    detail::PeriodIndex reported_order;
    /// The clock slots of the cases that may still change (hot): a run of one slot per
    /// stage of the case's workflow. A closed case (closed or voided, no clock counting in
    /// its state) keeps its clocks packed in `cold_clocks` instead, in the engine's cold
    /// form (pack_cold: what cases share named once in `clock_shapes`), once its change
    /// has settled or when it is read from the file.
    detail::ColumnVector<detail::ClockSlot> clocks;
    detail::ColumnVector<char> cold_clocks;
    detail::ClockShapes clock_shapes;
    /// The runs given out in `clocks` since it was last compacted, as (case, first slot):
    /// a run is in use while its case's clock_base still names it. Compacting walks these,
    /// not every case.
    std::vector<std::pair<CaseId, std::uint64_t>> hot_runs;
    /// Cases below this id have settled: a later settle() looks at the ones above it (and
    /// at those its journal saved) for cases to cool.
    std::size_t settled_cases = 0;
    /// Slots of `clocks` and bytes of `cold_clocks` no case uses any more (counted when a
    /// case leaves them; a rollback may leave the count high, never low): either store is
    /// compacted when they are more than half of it.
    std::size_t dead_slots = 0;
    std::size_t dead_cold_bytes = 0;
    detail::ColumnVector<std::int32_t> counters;
    detail::NumberPool numbers;
    std::map<int, std::uint32_t> year_sequence;  // last generated sequence by year
    detail::Interner people;
    detail::Interner areas;

    // ---- the log ----
    detail::EventLog log;  // standalone: every event; in a workspace: the uncommitted ones
    EventSeq last_sequence = 0;
    detail::Hash last_hash{};
    EventSeq committed_sequence = 0;
    detail::Hash committed_hash{};
    EventSeq notified_sequence = 0;
    /// Standalone: the checkpoints sign_off_log() recorded (a workspace keeps them stored).
    std::vector<LogCheckpoint> checkpoints;
    /// Standalone: the heads sign_tree_head() recorded (a workspace keeps them stored).
    std::vector<TreeHead> heads;
    std::shared_ptr<detail::TreeCache> tree_cache = detail::make_tree_cache();
    /// sign_heads_at_commit(): the key and the log's name, held by this engine only.
    struct CommitSigner {
        SigningKey key;
        std::string log;
    };
    std::shared_ptr<const CommitSigner> commit_signer;
    /// With a commit signer, signs and records a head over the events committed up to
    /// `size` (in a workspace: inside the commit's write, before it closes).
    void sign_at_commit(EventSeq size);
    /// verify_log()'s walk, from after `from` when given (a checkpoint).
    LogVerification verify(const LogCheckpoint* from, const LogAnchor* anchor) const;
    std::vector<LogCheckpoint> stored_checkpoints() const;
    std::optional<LogCheckpoint> last_checkpoint() const;
    /// A scratch engine rebuilding a case from its events: no checks, no hashing.
    bool replaying = false;
    EventSeq replay_sequence = 0;
    /// While replaying: counts the event the log already holds for case `id` as its last
    /// and returns its sequence.
    EventSeq count_replayed_event(CaseId id) {
        ++cases.events[id];
        cases.last_event[id] = replay_sequence;
        return replay_sequence;
    }
    /// Historical import in trusted mode: actors are not looked up in the directory.
    bool trusted_import = false;

    // ---- timers ----
    std::vector<detail::TimerEntry> timers;  // a heap ordered by TimerLater

    // ---- batches and undo ----
    bool batch_open = false;
    /// The thread that opened the batch: the only one whose changes it takes.
    std::thread::id batch_owner;
    detail::Mark batch_mark;
    detail::Journal journal;
    std::uint32_t epoch = 1;

    // ---- observers ----
    std::vector<std::pair<ObserverToken, CaseObserver>> observers;
    ObserverToken next_token = 1;
    std::vector<ObserverFailure> observer_failures;
    bool notifying = false;  // observers are running: the engine refuses changes

    // ---- caches and scratch ----
    struct RouteEntry {
        std::uint32_t department = detail::none32;
        NodeId node = no_node;
        RouteBasis basis = RouteBasis::territorial;
    };
    mutable std::unordered_map<std::uint64_t, RouteEntry> route_cache;
    mutable std::size_t route_cache_key = 0;  // history sizes when filled (see route())
    struct LimitEntry {
        bool timed = false;
        TimeLimit limit;
    };
    mutable std::unordered_map<std::uint64_t, LimitEntry> limit_cache;
    /// PersonId by interned actor, each stamped with the directory generation it was
    /// checked in (no_person = not looked up). An answer stays right while the directory's
    /// state (PostsView::State) stays the same; when it changes, the generation moves on and
    /// each answer is checked against the person's id once more before it is trusted again.
    mutable std::vector<std::pair<PersonId, std::uint32_t>> person_cache;
    mutable std::uint32_t directory_generation = 0;
    mutable detail::PostsView::State directory_seen;
    std::vector<std::int32_t> zero_counters;
    detail::Sha256 sha;
    std::string encode_buffer;
    std::string payload_buffer;
    std::vector<detail::StartedClock> started;
    std::vector<detail::ClockSlot> clock_scratch;
    std::string pack_buffer;

    // ---- access ----
    const detail::CompiledSpec& spec_of(CaseId id) const { return config->specs[cases.spec[id]]; }
    /// The hot clock slots of case `id`, to change (after save(), which warms a cold case).
    detail::ClockSlot* slots(CaseId id) { return clocks.data() + cases.clock_base[id]; }
    bool cold(CaseId id) const { return (cases.clock_base[id] & detail::cold_clock) != 0; }
    /// The clock slots of case `id` to read: its hot run, or a cold case's unpacked into
    /// `scratch`.
    const detail::ClockSlot* read_slots(CaseId id, std::vector<detail::ClockSlot>& scratch) const;
    /// The clocks of case `id` in the stored form (pack_clocks()), hot or cold, into `out`.
    void packed_clocks(CaseId id, std::string& out) const;
    /// Whether case `id` may go cold: its state is closed or voided and counts no clock.
    bool may_cool(CaseId id) const;
    /// Gives a cold case a hot run of slots again; nothing for a hot one.
    void warm(CaseId id);
    /// Packs the clocks of hot case `id` into the cold store (its run is left unused).
    void cool(CaseId id);
    /// Appends `packed` (pack_cold()) to the cold store as case `id`'s clocks.
    void store_cold(CaseId id, std::string_view packed);
    /// Puts the packed clocks of a case row read from the file in place: a case that may
    /// be cold gets them (checked) in the cold store, in the cold form; another unpacked
    /// into its hot run (a new one when `fresh` or cold). Throws std::invalid_argument for
    /// a damaged form.
    void place_clocks(CaseId id, std::string_view packed, bool fresh);
    /// Gives case `id` a new run of hot slots (zeroed) and returns its first slot.
    std::uint64_t new_run(CaseId id);
    /// Counts the slots or packed form case `id` uses as left (it is about to get others).
    void leave_clocks(CaseId id);
    /// At a settle: the cases added or saved since the last one that may go cold do, and
    /// the hot runs or the cold store are compacted when more than half of it is unused.
    void cool_settled();
    /// Rebuilds `clocks` with the runs of hot cases only (walking hot_runs) and
    /// `cold_clocks` with the packed forms of cold cases only (walking every case).
    void compact_clocks();
    void compact_cold_clocks();
    std::int32_t* counter_values(CaseId id) { return counters.data() + cases.counter_base[id]; }
    const std::int32_t* counter_values(CaseId id) const {
        return counters.data() + cases.counter_base[id];
    }
    std::string number(CaseId id) const { return std::string(numbers.at(id)); }
    void require_case(CaseId id) const;
    /// Refuses a change while observers run, while a batch opened by another thread is
    /// open, and in a read-only workspace.
    void require_writable(std::string_view what) const;
    /// Error(invalid_state) naming `what` when a batch opened by another thread is open: its
    /// rollback would take the change back, so the change may not join it.
    void require_batch_owner(std::string_view what) const;
    /// Error(invalid_state) "<call>: a batch is open; ..." while a batch is open.
    void require_no_batch(std::string_view call) const;

    // ---- the write transaction of a workspace's engine (journal.cpp) ----
    /// Opens the workspace's write transaction for `what` unless one is open; opening
    /// applies what other connections committed first. Nothing for a standalone engine.
    void open_write(std::string_view what);
    /// Commits the open write transaction, journalling the events appended since `m`.
    void close_write(const detail::Mark& m, bool configuration);
    /// Rolls the open write transaction back, if one is open.
    void abandon_write() noexcept;
    /// After catching up with other connections: their events go to the observers.
    void deliver_caught_up(EventSeq before);

    /// One change of a workspace's engine from its first check to its end: refuses it as
    /// require_writable() does, then, outside a batch, opens the write transaction, so that
    /// the change is decided on the current state; rolls the transaction back on the way
    /// out unless a commit closed it.
    class Change {
      public:
        Change(Impl& w, std::string_view what) : w_(w) {
            w.require_writable(what);
            if (w.workspace != nullptr && !w.writing) {
                w.open_write(what);
                opened_ = true;
            }
        }
        Change(const Change&) = delete;
        Change& operator=(const Change&) = delete;
        ~Change() {
            if (opened_)
                w_.abandon_write();
        }

      private:
        Impl& w_;
        bool opened_ = false;
    };

    // ---- clocks (clocks.cpp), timers (timers.cpp) ----
    std::int64_t clock_span(const detail::ClockSlot& c, std::int64_t a, std::int64_t b) const;
    void compute_deadline(detail::ClockSlot& c) const;
    std::int64_t threshold_instant(const detail::ClockSlot& c, double share) const;
    Light light_of(const detail::ClockSlot& c, const LightThresholds& t, std::int64_t now) const;
    std::int64_t clock_seconds(const TimeLimit& limit, std::int64_t start) const;
    /// The limit of a stage for the case; with `remember` the answer is cached.
    std::optional<LimitEntry> resolve(CaseId id, std::uint16_t stage, bool remember) const;
    const detail::ClockSlot* counting_clock(CaseId id) const;
    void stop_counting(detail::ClockSlot& c, std::int64_t at) const;
    void start_counting(detail::ClockSlot& c, std::int64_t at) const;
    void start_fresh(CaseId id, std::uint16_t stage, std::int64_t at,
                     const detail::ReplayLimits* replay);
    void apply_clock_effect(CaseId id, const detail::CompiledTransition& t, std::uint16_t to,
                            std::int64_t at, const detail::ReplayLimits* replay);
    /// After a change of the counting clock: new generation, light, next timer.
    void schedule(CaseId id);
    void push_timer(CaseId id);
    void rebuild_timers();
    void process_timers(std::int64_t now, TickReport& report);

    // ---- commands (decide.cpp, apply.cpp) ----
    void check_needs(const CaseCommand& command) const;
    /// The directory's PersonId of an interned actor; with `remember` the answer is cached.
    PersonId person_of(std::uint32_t actor, std::string_view text, bool remember,
                       const detail::PostsView& posts) const;
    /// Whether the actor of `command` may fire transition `ti` of the case: the one rule of
    /// workflow/authorization.hpp, with the case's node, reporter and department.
    bool actor_may(const detail::CompiledSpec& cs, const detail::CompiledTransition& t,
                   std::uint16_t ti, NodeId node, std::uint32_t reporter, std::uint32_t department,
                   const CaseCommand& command, std::uint32_t actor, bool remember,
                   std::string* basis) const;
    [[noreturn]] void refuse_actor(std::string_view number, std::string_view state, NodeId node,
                                   const detail::CompiledSpec& cs,
                                   const std::vector<std::uint16_t>& tried,
                                   const CaseCommand& command) const;
    RouteEntry route(CaseId id, bool remember) const;
    /// Checks a command and says what it will do; throws the refusal. `actor` is the
    /// interned actor (none32 when the system acts or the actor was never seen).
    detail::Decision decide(CaseId id, const CaseCommand& command, std::uint32_t actor,
                            bool explain, bool remember) const;
    EventSeq apply(CaseId id, const CaseCommand& command, const detail::Decision& d,
                   const detail::ReplayLimits* replay);
    void append_started(std::string& payload, CaseId id) const;
    static void finish_payload(std::string& payload);
    CaseId create(const NewCase& report, const detail::ReplayContext* replay);
    EventSeq fire_command(CaseId id, const CaseCommand& command);
    bool breach_pending(CaseId id, std::int64_t at) const;
    /// Records that the counting clock of `id` ran out; nullopt when the state's policy
    /// neither flags nor escalates (the clock is still marked).
    std::optional<EventSeq> breach(CaseId id, const CaseEvent* replayed);

    // ---- the log (log.cpp) ----
    EventSeq append_event(CaseId id, std::uint8_t type, int transition, std::uint16_t from,
                          std::uint16_t to, std::uint32_t actor, bool system, std::int64_t at,
                          std::string_view payload);
    CaseEvent event_at(std::size_t i) const;  // element i of `log`

    // ---- undo and commit (journal.cpp), configuration (configure.cpp) ----
    void save(CaseId id);
    detail::Mark mark();
    void rollback(const detail::Mark& m);
    /// Writes everything since `m` (in a workspace) and advances the committed head.
    void commit(const detail::Mark& m);
    /// After a commit or rollback outside a batch: observers, then the journal and the
    /// written events are dropped.
    void settle();
    void notify();
    /// Gives `events` to every observer, in order, as committed events.
    void deliver(const std::vector<CaseEvent>& events);
    void set_config(std::shared_ptr<const detail::EngineConfig> next, bool recompute_deadlines,
                    std::size_t stored_workflows);
    void change_calendar(const std::function<void(detail::EngineConfig&)>& edit);

    /// Runs `f` as one change: a mark, then commit outside a batch; rollback on failure.
    template <class F>
    auto guarded(F&& f) -> decltype(f()) {
        const detail::Mark m = mark();
        try {
            auto result = f();
            if (!batch_open)
                commit(m);
            if (!batch_open)
                settle();
            return result;
        } catch (...) {
            rollback(m);
            if (!batch_open)
                settle();
            throw;
        }
    }

    // ---- reading (replay.cpp, query.cpp) ----
    CaseRecord record(CaseId id) const;
    std::vector<CaseEvent> case_events(CaseId id) const;
    std::unique_ptr<Impl> scratch() const;
    void apply_replayed(const CaseEvent& event);
    /// The case rebuilt from `events` (its own, in order) on a scratch engine.
    std::unique_ptr<Impl> rebuild(const std::vector<CaseEvent>& events) const;
};

namespace detail {

/// The engine's private state, for the case module's own files.
struct CaseEngineAccess {
    static CaseEngine::Impl& impl(CaseEngine& engine) { return *engine.impl_; }
    static const CaseEngine::Impl& impl(const CaseEngine& engine) { return *engine.impl_; }
};

}  // namespace detail

}  // namespace gridgov

#endif
