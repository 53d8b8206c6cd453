// Persistence of the case engine in the workspace file.
//
// A command (or a batch) is written in one transaction: the rows of the cases it changed
// (inserted or updated whole) and its events. The configuration is written as JSON
// documents the first time anything is stored and whenever it changes, so that a file
// always carries the workflows, categories, calendar and routing its cases ran under.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/varint.hpp"
#include "store/case_store.hpp"
#include "store/schema.hpp"
#include "store/tree_store.hpp"

namespace gridgov {
namespace detail {

/// The binary columns of a case row being written; bound without copying.
struct CaseBlobs {
    std::string counters;
    std::string clocks;
};

/// New cases and events are appended by statements of this many rows each, and the rest
/// one row at a time: SQLite opens, positions and closes a cursor on the table and on each
/// index for every statement it runs, so a statement that appends many rows spends that
/// once for all of them and finds each next row's place where the last one went.
constexpr int rows_per_insert = 16;
constexpr int case_columns = 25;
constexpr int event_columns = 13;
constexpr int event_columns_5 = 12;  // before the link to the case's previous event

/// "INSERT INTO <table> (<columns>) VALUES (?1, ..., ?<columns>), ..." for `rows` rows:
/// the parameters of row r are r * columns + 1 to (r + 1) * columns.
std::string insert_sql(const char* table, const char* columns, int count, int rows) {
    std::string sql = std::string("INSERT INTO ") + table + " (" + columns + ") VALUES ";
    for (int r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ", (";
        for (int c = 1; c <= count; ++c) {
            sql += c == 1 ? "?" : ", ?";
            sql += std::to_string(r * count + c);
        }
        sql += ')';
    }
    return sql;
}

constexpr const char* case_column_names =
    "id, number, workflow, workflow_version, category, node, area_class, source, reporter, "
    "state, department, route_node, tier, flags, counters, clocks, breached, breaches, rating, "
    "rating_score, reported_at, updated_at, closed_at, last_event, events";
constexpr const char* event_column_names_5 =
    "seq, case_id, case_seq, type, transition, from_state, to_state, actor, system, at, "
    "payload, hash";
constexpr const char* event_column_names =
    "seq, case_id, case_seq, type, transition, from_state, to_state, actor, system, at, "
    "payload, hash, back";

// Resets a kept statement when it goes out of scope, so that a read ended by an exception
// does not hold the connection's read transaction (and its old snapshot) open.
struct ResetAtEnd {
    explicit ResetAtEnd(Statement& statement) : st(statement) {}
    ResetAtEnd(const ResetAtEnd&) = delete;
    ResetAtEnd& operator=(const ResetAtEnd&) = delete;
    ~ResetAtEnd() { st.reset(); }
    Statement& st;
};

/// The names of case_names (schema 5) as this connection last read them, back to back in
/// one buffer (verification looks one up for every column of every event). Ids are dense
/// from 1; the event columns refer to the empty name as 0. A name this connection adds in
/// a write stays tentative until the next sync(): should the write be rolled back,
/// another writer may give its id to another name.
class StoredNames final : public PayloadNames {
  public:
    explicit StoredNames(Db& db)
        : insert_(db.prepare("INSERT INTO case_names (id, name) VALUES (?1, ?2)")),
          after_(db.prepare("SELECT id, name FROM case_names WHERE id > ?1 ORDER BY id")) {}

    /// Drops the names this connection added since the last sync and reads what is
    /// stored after what it knows.
    void sync() {
        if (tentative_ != 0) {
            names_.truncate(tentative_ - 1);
            json_begins_.resize(tentative_);
            json_.resize(json_begins_.back());
            tentative_ = 0;
        }
        load_new();
    }

    std::uint32_t id_of(std::string_view name) override {
        if (const auto found = names_.find(name))
            return *found + 1;
        load_new();
        if (const auto found = names_.find(name))
            return *found + 1;
        const auto id = static_cast<std::uint32_t>(names_.size() + 1);
        insert_.bind(1, static_cast<std::int64_t>(id)).bind_view(2, name);
        insert_.run();
        add(name);
        if (tentative_ == 0)
            tentative_ = id;
        return id;
    }

    /// The names known (stored, or added by this connection since the last sync).
    std::size_t size() const { return names_.size(); }

    std::string_view name_of(std::uint32_t id) override {
        if ((id == 0 || id > names_.size()) && !frozen_)
            load_new();
        if (id == 0 || id > names_.size()) {
            throw std::invalid_argument("name id " + std::to_string(id) + " is not in case_names");
        }
        return names_.at(id - 1);
    }

    std::string_view json_of(std::uint32_t id) override {
        name_of(id);  // the same checks
        return std::string_view(json_).substr(json_begins_[id - 1],
                                              json_begins_[id] - json_begins_[id - 1]);
    }

    /// While frozen, an unknown id is not looked for in the table: the names are read from
    /// another thread than the one that uses the connection (verification).
    void freeze(bool frozen) { frozen_ = frozen; }

    /// An event column's id: 0 for the empty name.
    std::uint32_t column_id(std::string_view name) { return name.empty() ? 0 : id_of(name); }
    std::string_view column_name(std::uint32_t id) {
        return id == 0 ? std::string_view() : name_of(id);
    }

  private:
    // Stops at a gap or a name read twice: the names after it are unknown, and an event
    // naming one is reported by verify_log().
    void load_new() {
        after_.bind(1, static_cast<std::int64_t>(names_.size()));
        const ResetAtEnd reset{after_};
        while (after_.step()) {
            if (after_.type(0) != ColumnType::integer ||
                after_.int64(0) != static_cast<std::int64_t>(names_.size() + 1) ||
                after_.type(1) != ColumnType::text || names_.find(after_.text_view(1)))
                break;
            add(after_.text_view(1));
        }
    }

    void add(std::string_view name) {
        names_.push_back(name);
        append_json_string(json_, name);
        json_begins_.push_back(static_cast<std::uint32_t>(json_.size()));
    }

    bool frozen_ = false;
    Statement insert_;
    Statement after_;
    NumberPool names_;                           // name id - 1 → name
    std::string json_;                           // the names as JSON strings, back to back
    std::vector<std::uint32_t> json_begins_{0};  // name id - 1 → where its JSON starts
    std::uint32_t tentative_ = 0;                // the first id added since the last sync, or 0
};

struct CaseStatements {
    explicit CaseStatements(Db& db)
        : insert_case(db.prepare(insert_sql("cases", case_column_names, case_columns, 1))),
          insert_cases(
              db.prepare(insert_sql("cases", case_column_names, case_columns, rows_per_insert))),
          update_case(db.prepare(
              "UPDATE cases SET category = ?5, state = ?10, department = ?11, route_node = ?12, "
              "tier = ?13, flags = ?14, counters = ?15, clocks = ?16, breached = ?17, "
              "breaches = ?18, rating = ?19, rating_score = ?20, updated_at = ?22, "
              "closed_at = ?23, last_event = ?24, events = ?25 WHERE id = ?1")),
          insert_event(db.prepare(insert_sql("case_events", event_column_names, event_columns, 1))),
          insert_events(db.prepare(
              insert_sql("case_events", event_column_names, event_columns, rows_per_insert))),
          delete_config(db.prepare("DELETE FROM case_config")),
          insert_config(db.prepare("INSERT INTO case_config (key, document) VALUES (?1, ?2)")),
          delete_calendar(db.prepare("DELETE FROM case_calendar")),
          insert_calendar(db.prepare("INSERT INTO case_calendar (position, kind, source, "
                                     "document) VALUES (?1, ?2, ?3, ?4)")),
          insert_workflow(db.prepare("INSERT INTO case_workflows (position, key, version, "
                                     "document) VALUES (?1, ?2, ?3, ?4)")),
          // From the case's last event back along each event's link to the one before
          // (each link points to an earlier event, so the walk ends).
          case_events(db.prepare(
              "WITH RECURSIVE chain (seq) AS (SELECT last_event FROM cases WHERE id = ?1 AND "
              "last_event >= 1 UNION ALL SELECT e.seq - e.back FROM chain JOIN case_events e "
              "ON e.seq = chain.seq WHERE e.case_id = ?1 AND e.back >= 1) "
              "SELECT seq, case_id, case_seq, type, transition, from_state, to_state, actor, "
              "system, at, payload, hash, (SELECT p.hash FROM case_events p WHERE p.seq = "
              "e.seq - 1) FROM case_events e WHERE seq IN (SELECT seq FROM chain) AND "
              "case_id = ?1 ORDER BY case_seq")),
          events_between(db.prepare(
              "SELECT seq, case_id, case_seq, type, transition, from_state, to_state, actor, "
              "system, at, payload, hash, (SELECT p.hash FROM case_events p WHERE p.seq = "
              "e.seq - 1) FROM case_events e WHERE seq >= ?1 AND seq < ?2 ORDER BY seq")),
          names(db) {}

    Statement insert_case;
    Statement insert_cases;  // rows_per_insert rows
    Statement update_case;
    Statement insert_event;
    Statement insert_events;  // rows_per_insert rows
    std::array<CaseBlobs, rows_per_insert> text;
    Statement delete_config;
    Statement insert_config;
    Statement delete_calendar;
    Statement insert_calendar;
    Statement insert_workflow;
    Statement case_events;
    Statement events_between;
    StoredNames names;
    std::array<std::string, rows_per_insert> payloads;  // the stored forms being written
};

namespace {

std::int64_t as_int(std::size_t v) {
    return static_cast<std::int64_t>(v);
}

Hash hash_of(const std::string& blob) {
    Hash h{};
    if (blob.size() == h.size()) {
        std::copy(blob.begin(), blob.end(), h.begin());
    } else {
        // A hash of the wrong length matches nothing a digest can produce.
        h.fill(0xFF);
    }
    return h;
}

// The compact columns of a case row (docs/cases.md, schema 3): `flags` an integer of
// bits in the order of the workflow's flags; `counters` and `clocks` blobs of
// LEB128 varints (signed values zigzag-encoded), NULL when every counter is zero / no stage
// was entered. Each is written into a buffer reused from row to row.
void put_signed(std::string& out, std::int64_t v) {
    put_varint(out, zigzag(v));
}

void write_counters(std::string& out, const CompiledSpec& cs, const std::int32_t* values) {
    out.clear();
    const std::size_t n = cs.counter_count();
    if (std::all_of(values, values + n, [](std::int32_t v) { return v == 0; }))
        return;
    for (std::size_t i = 0; i < n; ++i)
        put_signed(out, values[i]);
}

// An empty compact column is stored as NULL.
void bind_compact(Statement& st, int index, const std::string& bytes) {
    if (bytes.empty())
        st.bind_null(index);
    else
        st.bind_blob_view(index, bytes.data(), bytes.size());
}

// Binds the row of case `id` to parameters base + 1 to base + 25 (the column order of
// case_column_names); an update binds the columns a command may change.
void bind_case(Statement& st, int base, CaseBlobs& text, StoredNames& names,
               const CaseEngine::Impl& e, CaseId id, bool insert) {
    const CaseTable& t = e.cases;
    const CompiledSpec& cs = e.spec_of(id);
    const Hierarchy& h = *e.hierarchy;
    const auto name = [&](std::string_view n) {
        return static_cast<std::int64_t>(names.column_id(n));
    };
    write_counters(text.counters, cs, e.counter_values(id));
    e.packed_clocks(id, text.clocks);
    st.bind(base + 1, static_cast<std::int64_t>(id));
    if (insert) {
        st.bind_view(base + 2, e.numbers.at(id));
        st.bind(base + 3, name(cs.spec.key));
        st.bind(base + 4, cs.spec.version);
        st.bind(base + 6, static_cast<std::int64_t>(t.node[id]));
        st.bind(base + 7, name(e.areas.at(t.area[id])));
        st.bind(base + 8, static_cast<std::int64_t>(t.source[id]));
        st.bind(base + 9, t.reporter[id] == none32 ? 0 : name(e.people.at(t.reporter[id])));
        st.bind(base + 21, t.reported_at[id]);
    }
    st.bind(base + 5, name(e.config->categories.categories[t.category[id]].code));
    st.bind(base + 10, name(cs.spec.states[t.state[id]].key));
    st.bind(base + 11, t.department[id] == none32
                           ? 0
                           : name(e.config->departments.departments[t.department[id]].code));
    if (t.route_node[id] == no_node || t.route_node[id] >= h.id_count()) {
        st.bind_null(base + 12);
    } else {
        st.bind(base + 12, static_cast<std::int64_t>(t.route_node[id]));
    }
    st.bind(base + 13, static_cast<std::int64_t>(t.tier[id]));
    st.bind(base + 14, static_cast<std::int64_t>(t.flags[id]));
    bind_compact(st, base + 15, text.counters);
    bind_compact(st, base + 16, text.clocks);
    st.bind(base + 17, static_cast<std::int64_t>(t.breached[id]));
    st.bind(base + 18, static_cast<std::int64_t>(t.breaches[id]));
    if (t.rating[id] == 0) {
        st.bind_null(base + 19);
        st.bind_null(base + 20);
    } else {
        st.bind(base + 19, static_cast<std::int64_t>(t.rating[id] - 1));
        st.bind(base + 20, static_cast<std::int64_t>(t.rating_score[id]));
    }
    st.bind(base + 22, t.updated_at[id]);
    if (t.closed_at[id] == Instant::max().seconds) {
        st.bind_null(base + 23);
    } else {
        st.bind(base + 23, t.closed_at[id]);
    }
    st.bind(base + 24, static_cast<std::int64_t>(t.last_event[id]));
    st.bind(base + 25, static_cast<std::int64_t>(t.events[id]));
}

// Binds event i of the log to parameters base + 1 to base + 13 (event_column_names);
// `prev` is the sequence of the case's event before it (0: none).
void bind_event(Statement& st, int base, CaseStatements& sql, std::string& payload,
                const CaseEngine::Impl& e, std::size_t i, EventSeq prev) {
    const EventLog& l = e.log;
    const EventRecord& r = l[i];
    const CompiledSpec& cs = e.spec_of(r.case_id);
    StoredNames& names = sql.names;
    st.bind(base + 1, static_cast<std::int64_t>(l.first + i));
    st.bind(base + 2, static_cast<std::int64_t>(r.case_id));
    st.bind(base + 3, static_cast<std::int64_t>(r.case_sequence));
    st.bind(base + 4, static_cast<std::int64_t>(r.type));
    st.bind(base + 5, static_cast<std::int64_t>(r.transition));
    st.bind(base + 6,
            static_cast<std::int64_t>(
                r.from_state == none16 ? 0 : names.column_id(cs.spec.states[r.from_state].key)));
    st.bind(base + 7, static_cast<std::int64_t>(names.column_id(cs.spec.states[r.to_state].key)));
    st.bind(base + 8, static_cast<std::int64_t>(
                          r.actor == none32 ? 0 : names.column_id(e.people.at(r.actor))));
    st.bind(base + 9, static_cast<std::int64_t>(r.system));
    st.bind(base + 10, r.at);
    payload.clear();
    encode_payload(l.payload(i), names, payload);
    st.bind_blob_view(base + 11, payload.data(), payload.size());
    st.bind_blob_view(base + 12, r.hash.data(), r.hash.size());
    if (prev == 0) {
        st.bind_null(base + 13);
    } else {
        st.bind(base + 13, static_cast<std::int64_t>(l.first + i - prev));  // how far back
    }
}

/// The case's previous event of each event of the log from `m.events` on (0: none), for
/// the stored link: a case that existed at the mark was saved to the journal before its
/// first change since (its row there has the last event it had); a later one starts here.
std::vector<EventSeq> previous_events(const CaseEngine::Impl& e, const Mark& m) {
    std::vector<std::pair<CaseId, EventSeq>> last;  // by case id, the first save of each
    for (std::size_t i = m.journal; i < e.journal.cases.size(); ++i) {
        const SavedCase& s = e.journal.cases[i];
        if (s.id < m.cases)
            last.emplace_back(s.id, s.row.last_event);
    }
    std::stable_sort(last.begin(), last.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    last.erase(std::unique(last.begin(), last.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               last.end());
    std::vector<EventSeq> created(e.cases.size() - m.cases, 0);
    std::vector<EventSeq> out;
    out.reserve(e.log.size() - m.events);
    for (std::size_t i = m.events; i < e.log.size(); ++i) {
        const CaseId id = e.log[i].case_id;
        const EventSeq seq = e.log.first + i;
        EventSeq* slot = nullptr;
        if (id >= m.cases) {
            slot = &created[id - m.cases];
        } else {
            const auto it = std::lower_bound(
                last.begin(), last.end(), id,
                [](const std::pair<CaseId, EventSeq>& a, CaseId b) { return a.first < b; });
            if (it == last.end() || it->first != id)
                throw std::logic_error("case " + std::to_string(id) +
                                       " has an event but was not saved before it");
            slot = &it->second;
        }
        out.push_back(*slot);
        *slot = seq;
    }
    return out;
}

/// The names a new workspace's events use most take its first ids, so that each use of
/// them is one byte (a varint below 128) in a payload or an event's state columns: the
/// payload keys, the values of the enumerations payloads carry, then the keys, states
/// and stages of the registered workflows. A workspace that has names keeps their ids.
void first_names(StoredNames& names, const EngineConfig& c) {
    if (names.size() != 0)
        return;
    for (const std::string_view key : payload_keys())
        names.id_of(key);
    for (int u = 0; u <= static_cast<int>(TimeUnit::working_days); ++u)
        names.id_of(time_unit_name(static_cast<TimeUnit>(u)));
    for (int r = 0; r <= static_cast<int>(WorkingDayRule::close_of_business); ++r)
        names.id_of(working_day_rule_name(static_cast<WorkingDayRule>(r)));
    for (int v = 0; v <= static_cast<int>(CaseSource::referral); ++v)
        names.id_of(case_source_name(static_cast<CaseSource>(v)));
    names.id_of("named");  // a dispatch's route when it names the department
    for (int b = 0; b <= static_cast<int>(RouteBasis::territorial); ++b)
        names.id_of(route_basis_name(static_cast<RouteBasis>(b)));
    for (int l = 0; l <= static_cast<int>(Satisfaction::unsatisfied); ++l)
        names.id_of(satisfaction_name(static_cast<Satisfaction>(l)));
    for (const CompiledSpec& cs : c.specs) {
        names.id_of(cs.spec.key);
        for (const auto& state : cs.spec.states)
            names.id_of(state.key);
        for (const auto& stage : cs.spec.stages)
            names.id_of(stage.key);
    }
}

void write_config(CaseStatements& sql, const EngineConfig& c, std::size_t stored_workflows) {
    first_names(sql.names, c);
    for (std::size_t i = stored_workflows; i < c.specs.size(); ++i) {
        const WorkflowSpec& s = c.specs[i].spec;
        sql.insert_workflow.bind(1, as_int(i))
            .bind(2, s.key)
            .bind(3, s.version)
            .bind(4, s.to_json());
        sql.insert_workflow.run();
    }
    sql.delete_config.run();
    const auto put = [&](const char* key, const std::string& document) {
        sql.insert_config.bind(1, key).bind(2, document).run();
    };
    put("categories", c.categories.to_json());
    put("departments", c.departments.to_json());
    put("routing", c.routing.to_json());
    put("defaults", c.defaults_json());
    sql.delete_calendar.run();
    for (std::size_t i = 0; i < c.calendar_inputs.size(); ++i) {
        const CalendarInput& in = c.calendar_inputs[i];
        sql.insert_calendar.bind(1, as_int(i))
            .bind(2, in.kind)
            .bind(3, in.source)
            .bind(4, in.document);
        sql.insert_calendar.run();
    }
}

// The columns of case_events in the order of the SELECTs above.
constexpr std::array<const char*, event_columns> stored_event_columns = {
    "seq",   "case_id", "case_seq", "type",    "transition", "from_state", "to_state",
    "actor", "system",  "at",       "payload", "hash",       "back"};

// One row of case_events read as stored, its names and payload looked up. The hash covers
// each field in a fixed width (docs/cases.md), so a stored value outside that width, or
// of another storage class (a real, a text for a blob), would be narrowed to bytes that
// hash the same: such a row is not read but named in `problem`, as is one that names no
// stored name or whose payload cannot be read.
struct EventRow {
    EventSeq sequence = 0;
    std::uint32_t case_id = 0;
    std::uint32_t case_sequence = 0;
    std::uint8_t type = 0;
    int transition = -1;
    std::string_view from_state;  // the views are valid until the names change
    std::string_view to_state;
    std::string_view actor;
    bool system = false;
    std::int64_t at = 0;
    std::string_view payload;  // in the caller's buffer
    Hash hash{};
    std::string problem;  // "" when every column holds what the hash covers
};

/// `Row`: a Statement on its row, or a RowBatch::Row (type(), int64(), blob_view()).
template <class Row>
EventRow read_event_row(const Row& st, StoredNames& names, std::string& payload) {
    EventRow r;
    const auto wrong = [&](int col, const std::string& what) {
        if (r.problem.empty())
            r.problem = std::string("column '") + stored_event_columns[col] + "' " + what;
    };
    const auto integer = [&](int col, std::int64_t low, std::int64_t high) -> std::int64_t {
        if (st.type(col) != ColumnType::integer) {
            wrong(col, "does not hold an integer");
            return low;
        }
        const std::int64_t v = st.int64(col);
        if (v < low || v > high) {
            wrong(col, "holds " + std::to_string(v) + ", outside " + std::to_string(low) + ".." +
                           std::to_string(high));
            return low;
        }
        return v;
    };
    constexpr std::int64_t u32 = std::numeric_limits<std::uint32_t>::max();
    const auto name = [&](int col) -> std::string_view {
        const auto id = static_cast<std::uint32_t>(integer(col, 0, u32));
        try {
            return names.column_name(id);
        } catch (const std::invalid_argument& e) {
            wrong(col, "names no stored name: " + std::string(e.what()));
            return {};
        }
    };
    const auto hash = [&](int col) -> Hash {
        Hash h{};
        const std::string_view blob =
            st.type(col) == ColumnType::blob ? st.blob_view(col) : std::string_view();
        if (blob.size() != h.size()) {
            wrong(col, "does not hold a 32-byte hash");
            return h;
        }
        std::copy(blob.begin(), blob.end(), h.begin());
        return h;
    };
    r.sequence = static_cast<EventSeq>(integer(0, 1, std::numeric_limits<std::int64_t>::max()));
    r.case_id = static_cast<std::uint32_t>(integer(1, 0, u32));
    r.case_sequence = static_cast<std::uint32_t>(integer(2, 1, u32));
    r.type = static_cast<std::uint8_t>(integer(3, 0, breach_type_code));
    if (r.type >= command_count && r.type != breach_type_code)
        wrong(3, "holds " + std::to_string(r.type) + ", which is no event type");
    // -1 (no transition) or an index the in-memory log keeps in 16 bits.
    r.transition = static_cast<int>(integer(4, -1, std::numeric_limits<std::int16_t>::max()));
    r.from_state = name(5);
    r.to_state = name(6);
    r.actor = name(7);
    r.system = integer(8, 0, 1) != 0;
    r.at = integer(9, std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::max());
    payload.clear();
    if (st.type(10) != ColumnType::blob) {
        wrong(10, "does not hold a blob");
    } else {
        try {
            decode_payload(st.blob_view(10), names, payload);
        } catch (const std::invalid_argument& e) {
            wrong(10, std::string("cannot be read: ") + e.what());
        }
    }
    r.payload = payload;
    r.hash = hash(11);
    return r;
}

CaseEvent event_from_row(const Statement& st, StoredNames& names, const CaseEngine::Impl& e) {
    thread_local std::string payload;
    EventRow r = read_event_row(st, names, payload);
    if (!r.problem.empty()) {
        throw Error(ErrorCode::storage, "stored event " + std::to_string(st.int64(0)) + ": " +
                                            r.problem + " (the log was edited; run verify_log)");
    }
    CaseEvent ev;
    ev.sequence = r.sequence;
    ev.case_id = r.case_id;
    ev.case_number =
        ev.case_id < e.numbers.size() ? std::string(e.numbers.at(ev.case_id)) : std::string();
    ev.case_sequence = r.case_sequence;
    ev.type = event_type_name(r.type);
    if (r.type == breach_type_code) {
        ev.kind = EventKind::breach;
    } else {
        ev.command = static_cast<Command>(r.type);
    }
    ev.transition = r.transition;
    ev.from_state = std::string(r.from_state);
    ev.to_state = std::string(r.to_state);
    ev.actor = std::string(r.actor);
    ev.system = r.system;
    ev.at = Instant{r.at};
    ev.payload = std::string(r.payload);
    ev.hash = r.hash;
    // The previous event's hash, read alongside (none before the first event).
    if (st.type(12) == ColumnType::blob && st.blob_view(12).size() == ev.previous_hash.size()) {
        const std::string_view p = st.blob_view(12);
        std::copy(p.begin(), p.end(), ev.previous_hash.begin());
    }
    return ev;
}

}  // namespace

void write_case_changes(CaseStore& store, CaseEngine::Impl& e, const Mark& m, bool with_config,
                        std::size_t stored_workflows) {
    CaseStatements& sql = store.statements();
    const bool config = with_config || !e.config_stored;
    std::vector<CaseId> changed;
    for (std::size_t i = m.journal; i < e.journal.cases.size(); ++i) {
        const CaseId id = e.journal.cases[i].id;
        if (id < m.cases)
            changed.push_back(id);
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    const std::size_t first_event = m.events;
    if (!config && changed.empty() && m.cases == e.cases.size() && first_event == e.log.size())
        return;

    Transaction tx(store.db());
    sql.names.sync();
    if (config)
        write_config(sql, *e.config, e.config_stored ? stored_workflows : 0);
    // New cases, rows_per_insert to a statement while that many are left.
    auto id = static_cast<CaseId>(m.cases);
    const auto cases_end = static_cast<CaseId>(e.cases.size());
    for (; cases_end - id >= static_cast<CaseId>(rows_per_insert); id += rows_per_insert) {
        for (int k = 0; k < rows_per_insert; ++k)
            bind_case(sql.insert_cases, k * case_columns, sql.text[k], sql.names, e, id + k, true);
        sql.insert_cases.run();
    }
    for (; id < cases_end; ++id) {
        bind_case(sql.insert_case, 0, sql.text[0], sql.names, e, id, true);
        sql.insert_case.run();
    }
    for (CaseId c : changed) {
        bind_case(sql.update_case, 0, sql.text[0], sql.names, e, c, false);
        sql.update_case.run();
    }
    // The events, likewise.
    const std::vector<EventSeq> prev = previous_events(e, m);
    std::size_t i = first_event;
    const std::size_t events_end = e.log.size();
    for (; events_end - i >= rows_per_insert; i += rows_per_insert) {
        for (int k = 0; k < rows_per_insert; ++k) {
            const std::size_t at = i + static_cast<std::size_t>(k);
            bind_event(sql.insert_events, k * event_columns, sql, sql.payloads[k], e, at,
                       prev[at - first_event]);
        }
        sql.insert_events.run();
    }
    for (; i < events_end; ++i) {
        bind_event(sql.insert_event, 0, sql, sql.payloads[0], e, i, prev[i - first_event]);
        sql.insert_event.run();
    }
    // The nodes of the log's Merkle tree that these events complete (src/audit/tree.hpp).
    grow_log_tree(store.db(), e.log.first + first_event - 1, e.log.first + events_end - 1);
    tx.commit();
    if (config)
        e.config_stored = true;
}

namespace {

constexpr const char* case_columns_sql =
    "SELECT id, number, workflow, workflow_version, category, node, area_class, source, "
    "reporter, state, department, route_node, tier, flags, counters, clocks, breached, "
    "breaches, rating, rating_score, reported_at, updated_at, closed_at, last_event, events "
    "FROM cases ";

Error refused_cases(const Db& db, const std::string& what) {
    return Error(ErrorCode::storage,
                 "workspace " + db.path() + ": the stored cases are refused: " + what);
}

// The stored configuration, over the engine's current one for what is not stored.
std::shared_ptr<EngineConfig> read_config(Db& db, const EngineConfig& current, bool& stored) {
    const auto damaged = [&](const std::string& what) { return refused_cases(db, what); };
    auto config = std::make_shared<EngineConfig>(current);
    stored = false;
    {
        Statement st =
            db.prepare("SELECT key, version, document FROM case_workflows ORDER BY position");
        WorkflowRegistry registry;
        std::vector<CompiledSpec> specs;
        while (st.step()) {
            stored = true;
            const std::string name =
                "case_workflows " + st.text(0) + "@" + std::to_string(st.int64(1));
            WorkflowSpec spec = WorkflowSpec::from_json(st.text(2), name);
            registry.add(spec);
            specs.emplace_back(std::move(spec));
        }
        if (stored) {
            config->registry = std::move(registry);
            config->specs = std::move(specs);
        }
    }
    {
        Statement st = db.prepare("SELECT key, document FROM case_config");
        while (st.step()) {
            stored = true;
            const std::string key = st.text(0);
            const std::string doc = st.text(1);
            if (key == "categories") {
                config->categories = CategoryCatalogue::from_json(doc, "case_config categories");
                config->index_categories();
            } else if (key == "departments") {
                config->departments =
                    DepartmentCatalogue::from_json(doc, "case_config departments");
                config->index_departments();
            } else if (key == "routing") {
                config->routing = RoutingTable::from_json(doc, "case_config routing");
            } else if (key == "defaults") {
                config->set_defaults_json(doc);
            } else {
                throw damaged("unknown configuration document " + key);
            }
        }
    }
    {
        Statement st =
            db.prepare("SELECT kind, source, document FROM case_calendar ORDER BY position");
        config->calendar_inputs.clear();
        while (st.step())
            config->calendar_inputs.push_back({st.text(0), st.text(1), st.text(2)});
        if (!config->calendar_inputs.empty())
            config->rebuild_calendar();
    }
    return config;
}

// Reads what write_counters() wrote; a value cut short or out of its range throws
// std::invalid_argument saying which.
void read_counters(std::string_view blob, const CompiledSpec& cs, std::int32_t* values) {
    VarintReader in(blob);
    for (std::size_t i = 0; i < cs.counter_count(); ++i)
        values[i] = in.within<std::int32_t>(in.signed_varint(), "a counter");
    if (!in.done())
        throw std::invalid_argument("more values than the workflow's " +
                                    std::to_string(cs.counter_count()) + " counters");
}

// One row of `cases` (columns as case_columns_sql) into the engine: a new case when its id
// is the next one, otherwise the case with that id, replaced whole.
// What the name ids of stored case rows stand for in an engine, each looked up once in a
// read of many rows (read_all_cases, catch_up_cases).
class RowNames {
  public:
    static constexpr std::int64_t unresolved = -2;
    static constexpr std::int64_t nothing = -1;  // the name stands for nothing of its kind

    explicit RowNames(StoredNames& names) : names_(names) {}

    /// The index `resolve(name)` gives for name `id`, cached in `cache`; throws
    /// std::invalid_argument when case_names has no such id.
    template <class Resolve>
    std::int64_t lookup(std::vector<std::int64_t>& cache, std::uint32_t id, Resolve resolve) {
        if (id < cache.size() && cache[id] != unresolved)
            return cache[id];
        const std::string_view name = names_.column_name(id);
        if (id >= cache.size())
            cache.resize(id + 1, unresolved);
        cache[id] = resolve(name);
        return cache[id];
    }
    std::string_view name(std::uint32_t id) { return names_.column_name(id); }

    std::vector<std::int64_t> category, area, reporter, department;
    std::vector<std::vector<std::int64_t>> states;     // by spec
    std::vector<std::vector<std::int64_t>> workflows;  // by version, by name id

  private:
    StoredNames& names_;
};

void read_case_row(const Statement& st, CaseEngine::Impl& e, Db& db, RowNames& names) {
    const auto damaged = [&](const std::string& what) { return refused_cases(db, what); };
    const EngineConfig* config = e.config.get();
    const Hierarchy& h = *e.hierarchy;
    const auto stored_id = st.int64(0);
    const bool fresh = stored_id == static_cast<std::int64_t>(e.cases.size());
    if (stored_id < 0 || stored_id > static_cast<std::int64_t>(e.cases.size()))
        throw damaged("case id " + std::to_string(stored_id) + " where at most " +
                      std::to_string(e.cases.size()) + " was expected");
    const auto id = static_cast<CaseId>(stored_id);
    const std::string number = st.text(1);
    const auto what = [&](const std::string& s) { return damaged("case " + number + ": " + s); };
    // A name column: its id looked up (once per read) by `resolve`.
    const auto named = [&](std::vector<std::int64_t>& cache, int col, const char* column,
                           auto resolve) -> std::int64_t {
        const std::int64_t v = st.int64(col);
        if (st.type(col) != ColumnType::integer || v < 0 ||
            v > std::numeric_limits<std::uint32_t>::max())
            throw what(std::string("column '") + column + "' holds no name id");
        try {
            return names.lookup(cache, static_cast<std::uint32_t>(v), resolve);
        } catch (const std::invalid_argument& bad) {
            throw what(std::string("column '") + column + "': " + bad.what());
        }
    };
    const auto unknown = [&](const char* kind, int col) {
        return what(std::string("unknown ") + kind + " '" +
                    std::string(names.name(static_cast<std::uint32_t>(st.int64(col)))) + "'");
    };
    const std::int64_t version = st.int64(3);
    if (version < 0 || version > std::numeric_limits<std::int32_t>::max())
        throw what("column 'workflow_version' holds " + std::to_string(version));
    if (static_cast<std::size_t>(version) >= names.workflows.size())
        names.workflows.resize(static_cast<std::size_t>(version) + 1);
    const std::int64_t spec_index = named(names.workflows[static_cast<std::size_t>(version)], 2,
                                          "workflow", [&](std::string_view key) -> std::int64_t {
                                              const auto found =
                                                  config->find_spec(key, static_cast<int>(version));
                                              return found ? *found : RowNames::nothing;
                                          });
    if (spec_index < 0) {
        throw what("unknown workflow " +
                   std::string(names.name(static_cast<std::uint32_t>(st.int64(2)))) + "@" +
                   std::to_string(version));
    }
    const CompiledSpec& cs = config->specs[static_cast<std::size_t>(spec_index)];
    CaseRow row;
    row.spec = static_cast<std::uint16_t>(spec_index);
    const std::int64_t category = named(names.category, 4, "category", [&](std::string_view code) {
        const auto it = config->category_index.find(std::string(code));
        return it == config->category_index.end() ? RowNames::nothing
                                                  : static_cast<std::int64_t>(it->second);
    });
    if (category < 0)
        throw unknown("category", 4);
    row.category = static_cast<std::uint16_t>(category);
    row.node = static_cast<NodeId>(st.int64(5));
    if (row.node >= h.id_count())
        throw what("unknown node id " + std::to_string(row.node));
    row.area =
        static_cast<std::uint16_t>(named(names.area, 6, "area_class", [&](std::string_view a) {
            return static_cast<std::int64_t>(e.areas.intern(a));
        }));
    const std::int64_t source = st.int64(7);
    if (st.type(7) != ColumnType::integer || source < 0 ||
        source > static_cast<std::int64_t>(CaseSource::referral))
        throw what("column 'source' holds " + std::to_string(source) + ", which is no source");
    row.source = static_cast<std::uint8_t>(source);
    const std::int64_t reporter =
        named(names.reporter, 8, "reporter", [&](std::string_view person) {
            return person.empty() ? RowNames::nothing
                                  : static_cast<std::int64_t>(e.people.intern(person));
        });
    row.reporter = reporter < 0 ? none32 : static_cast<std::uint32_t>(reporter);
    if (row.spec >= names.states.size())
        names.states.resize(row.spec + 1u);
    const std::int64_t state = named(names.states[row.spec], 9, "state", [&](std::string_view key) {
        const auto found = cs.find_state(key);
        return found ? static_cast<std::int64_t>(*found) : RowNames::nothing;
    });
    if (state < 0)
        throw unknown("state", 9);
    row.state = static_cast<std::uint16_t>(state);
    if (st.int64(10) != 0) {
        const std::int64_t department =
            named(names.department, 10, "department", [&](std::string_view code) {
                const auto it = config->department_index.find(std::string(code));
                return it == config->department_index.end() ? RowNames::nothing
                                                            : static_cast<std::int64_t>(it->second);
            });
        if (department < 0)
            throw unknown("department", 10);
        row.department = static_cast<std::uint32_t>(department);
    }
    row.route_node = st.is_null(11) ? no_node : static_cast<NodeId>(st.int64(11));
    row.tier = static_cast<std::uint8_t>(st.int64(12));
    const std::int64_t flags = st.int64(13);
    if (flags < 0 || (cs.spec.flags.size() < 32 && (flags >> cs.spec.flags.size()) != 0))
        throw what("column 'flags' holds " + std::to_string(flags) +
                   ", bits of flags the workflow " + "does not have (" +
                   std::to_string(cs.spec.flags.size()) + ")");
    row.flags = static_cast<std::uint32_t>(flags);
    row.breached = static_cast<std::uint8_t>(st.int64(16));
    row.breaches = static_cast<std::uint32_t>(st.int64(17));
    if (!st.is_null(18)) {
        const std::int64_t rating = st.int64(18);
        if (st.type(18) != ColumnType::integer || rating < 0 ||
            rating > static_cast<std::int64_t>(Satisfaction::unsatisfied))
            throw what("column 'rating' holds " + std::to_string(rating) + ", which is no rating");
        row.rating = static_cast<std::uint8_t>(1 + rating);
        row.rating_score = static_cast<std::uint8_t>(st.int64(19));
    }
    row.reported_at = st.int64(20);
    row.updated_at = st.int64(21);
    row.closed_at = st.is_null(22) ? Instant::max().seconds : st.int64(22);
    row.last_event = static_cast<EventSeq>(st.int64(23));
    row.events = static_cast<std::uint32_t>(st.int64(24));
    if (fresh) {
        row.clock_base = detail::cold_clock;  // placed below
        row.counter_base = static_cast<std::uint32_t>(e.counters.size());
        e.cases.push_back(row);
        e.counters.resize(e.counters.size() + cs.counter_count(), 0);
    } else {
        if (e.cases.spec[id] != row.spec)
            throw what("its workflow changed");
        row.clock_base = e.cases.clock_base[id];
        row.counter_base = e.cases.counter_base[id];
        row.generation = e.cases.generation[id];
        e.cases.assign(id, row);
        std::fill_n(e.counter_values(id), cs.counter_count(), 0);
    }
    try {
        if (!st.is_null(14))
            read_counters(st.blob_view(14), cs, e.counter_values(id));
    } catch (const std::invalid_argument& bad) {
        throw what(std::string("column 'counters': ") + bad.what());
    }
    try {
        e.place_clocks(id, st.is_null(15) ? std::string_view{} : st.blob_view(15), fresh);
    } catch (const std::invalid_argument& bad) {
        throw what(std::string("column 'clocks': ") + bad.what());
    }
    if (!fresh) {
        if (e.number(id) != number)
            throw what("its number changed from " + e.number(id));
        return;
    }
    // The schema keeps numbers unique: they are indexed when first looked up.
    e.numbers.push_back_unindexed(number);
    // Generated numbers are "<year>-<sequence>": later cases continue the sequence.
    if (const auto parsed = parse_case_number(number)) {
        std::uint32_t& last = e.year_sequence[parsed->first];
        last = std::max(last, parsed->second);
    }
}

// A case row's JSON columns of schema 2 (flags, counters, clocks) as the engine holds them.
void read_json_columns(const std::string& flags_json, const std::string& counters_json,
                       const std::string& clocks_json, const CompiledSpec& cs, std::uint32_t& flags,
                       std::int32_t* counters, ClockSlot* slots) {
    const nlohmann::json flag_names = nlohmann::json::parse(flags_json);
    const nlohmann::json counter_values = nlohmann::json::parse(counters_json);
    const nlohmann::json clock_objects = nlohmann::json::parse(clocks_json);
    for (const auto& f : flag_names) {
        const auto it = std::find(cs.spec.flags.begin(), cs.spec.flags.end(), f.get<std::string>());
        if (it == cs.spec.flags.end())
            throw std::invalid_argument("unknown flag " + f.get<std::string>());
        flags |= 1u << static_cast<unsigned>(it - cs.spec.flags.begin());
    }
    for (const auto& [key, value] : counter_values.items()) {
        const auto it = cs.counter_index.find(key);
        if (it == cs.counter_index.end())
            throw std::invalid_argument("unknown counter " + key);
        counters[it->second] = value.get<std::int32_t>();
    }
    for (const auto& c : clock_objects) {
        const auto stage = cs.find_stage(c.at("stage").get<std::string>());
        if (!stage)
            throw std::invalid_argument("unknown stage " + c.at("stage").get<std::string>());
        ClockSlot& slot = slots[*stage];
        const std::string run = c.at("run").get<std::string>();
        slot.run = run == "counting"    ? static_cast<std::uint8_t>(ClockRun::counting)
                   : run == "idle"      ? static_cast<std::uint8_t>(ClockRun::idle)
                   : run == "suspended" ? static_cast<std::uint8_t>(ClockRun::suspended)
                   : run == "stopped"   ? static_cast<std::uint8_t>(ClockRun::stopped)
                                        : throw std::invalid_argument("unknown clock run " + run);
        const TimeLimit limit = TimeLimit::from_json(c.at("limit").dump());
        slot.limit_value = limit.value;
        slot.unit = static_cast<std::uint8_t>(limit.unit);
        slot.day_rule = static_cast<std::uint8_t>(limit.day_rule);
        slot.limit_seconds = c.at("limit_seconds").get<std::int32_t>();
        slot.budget = c.value("budget", slot.limit_seconds);
        slot.extensions = c.value("extensions", std::uint16_t{0});
        slot.start = c.at("start").get<std::int64_t>();
        slot.since = c.at("since").get<std::int64_t>();
        slot.used = c.at("used").get<std::int64_t>();
        slot.deadline = c.at("deadline").get<std::int64_t>();
        slot.bits = static_cast<std::uint8_t>((limit.counts_working_time() ? clock_working : 0) |
                                              (c.value("breached", false) ? clock_breached : 0) |
                                              (c.value("assumed", false) ? clock_assumed : 0));
    }
}

// The head of the stored log becomes the engine's committed head.
void read_head(Db& db, CaseEngine::Impl& e) {
    Statement head = db.prepare("SELECT seq, hash FROM case_events ORDER BY seq DESC LIMIT 1");
    if (head.step()) {
        e.last_sequence = static_cast<EventSeq>(head.int64(0));
        e.last_hash = hash_of(head.blob(1));
    }
    e.committed_sequence = e.last_sequence;
    e.committed_hash = e.last_hash;
    e.log.clear_after(e.last_sequence, e.last_hash);
}

// Every stored case into an engine that has none.
void read_all_cases(CaseStore& store, CaseEngine::Impl& e) {
    Db& db = store.db();
    StoredNames& stored_names = store.statements().names;
    stored_names.sync();
    RowNames names(stored_names);
    // The rows are counted first, so that the engine's columns grow once: growing them
    // row by row moved every clock slot read so far a few times over.
    {
        Statement count = db.prepare("SELECT count(*) FROM cases");
        const auto n = count.step() ? static_cast<std::size_t>(count.int64(0)) : 0;
        std::size_t stages = 0;
        std::size_t counters = 0;
        for (const CompiledSpec& cs : e.config->specs) {
            stages = std::max(stages, cs.stage_count());
            counters = std::max(counters, cs.counter_count());
        }
        e.cases.reserve(e.cases.size() + n);
        e.numbers.reserve(n, 12 * n);
        // Address space only: the pages a case does not use are never touched (the closed
        // cases' clocks go packed into the cold store, about a dozen bytes a stage).
        e.cold_clocks.reserve(e.cold_clocks.size() + n * stages * 32);
        e.counters.reserve(e.counters.size() + n * counters);
    }
    Statement st = db.prepare(std::string(case_columns_sql) + "ORDER BY id");
    while (st.step())
        read_case_row(st, e, db, names);
    e.settled_cases = e.cases.size();
    read_head(db, e);
    for (CaseId id = 0; id < e.cases.size(); ++id)
        e.schedule(id);
}

}  // namespace

void compact_case_rows(Db& db) {
    // The workflows the cases ran under, by key and version.
    std::vector<CompiledSpec> specs;
    std::map<std::pair<std::string, std::int64_t>, std::size_t> spec_index;
    {
        Statement st = db.prepare("SELECT key, version, document FROM case_workflows");
        while (st.step()) {
            const std::string name =
                "case_workflows " + st.text(0) + "@" + std::to_string(st.int64(1));
            spec_index[{st.text(0), st.int64(1)}] = specs.size();
            specs.emplace_back(WorkflowSpec::from_json(st.text(2), name));
        }
    }
    struct Row {
        std::int64_t id;
        std::uint32_t flags;
        std::string counters;
        std::string clocks;
    };
    Statement read = db.prepare(
        "SELECT id, number, workflow, workflow_version, flags, counters, clocks FROM cases "
        "WHERE id > ? ORDER BY id LIMIT 4096");
    Statement write = db.prepare(
        "UPDATE cases SET flag_bits = ?2, counter_values = ?3, clock_values = ?4 WHERE id = ?1");
    std::vector<std::int32_t> counters;
    std::vector<ClockSlot> clocks;
    std::vector<Row> rows;
    for (std::int64_t after = -1;;) {
        rows.clear();
        read.bind(1, after);
        while (read.step()) {
            const std::string number = read.text(1);
            const auto it = spec_index.find({read.text(2), read.int64(3)});
            if (it == spec_index.end()) {
                throw Error(ErrorCode::storage, db.label() + ": case " + number +
                                                    " names no stored workflow (" + read.text(2) +
                                                    "@" + std::to_string(read.int64(3)) + ")");
            }
            const CompiledSpec& cs = specs[it->second];
            Row row{read.int64(0), 0, {}, {}};
            counters.assign(cs.counter_count(), 0);
            clocks.assign(cs.stage_count(), ClockSlot{});
            try {
                read_json_columns(read.text(4), read.text(5), read.text(6), cs, row.flags,
                                  counters.data(), clocks.data());
            } catch (const std::exception& bad) {
                throw Error(ErrorCode::storage,
                            db.label() + ": case " + number +
                                " cannot be brought to schema 3: " + bad.what());
            }
            write_counters(row.counters, cs, counters.data());
            pack_clocks(row.clocks, cs.stage_count(), clocks.data());
            rows.push_back(std::move(row));
        }
        read.reset();
        if (rows.empty())
            return;
        for (const Row& row : rows) {
            write.bind(1, row.id).bind(2, static_cast<std::int64_t>(row.flags));
            bind_compact(write, 3, row.counters);
            bind_compact(write, 4, row.clocks);
            write.run();
        }
        after = rows.back().id;
    }
}

void compact_case_events(Db& db) {
    StoredNames names(db);
    names.sync();
    Statement read = db.prepare(
        "SELECT seq, case_id, case_seq, type, transition, from_state, to_state, actor, system, "
        "at, payload, hash FROM case_events_4 WHERE seq > ? ORDER BY seq LIMIT 4096");
    Statement write =
        db.prepare(insert_sql("case_events", event_column_names_5, event_columns_5, 1));
    std::vector<std::vector<ColumnValue>> rows;
    for (std::int64_t after = 0;;) {
        rows.clear();
        read.bind(1, after);
        while (read.step()) {
            std::vector<ColumnValue> row;
            row.reserve(event_columns_5);
            for (int c = 0; c < event_columns_5; ++c)
                row.push_back(read.value(c));
            // A value the compact row cannot hold faithfully (an edited row) is stored as
            // one no event has (the type and names: -1; anything else as it was), so that
            // verify_log() still reports it.
            ColumnValue& type = row[3];
            std::optional<std::uint8_t> code;
            if (type.type == ColumnType::text)
                code = parse_event_type(type.bytes);
            type.integer = code ? *code : -1;
            type.type = ColumnType::integer;
            for (const std::size_t c : {5, 6, 7}) {
                ColumnValue& name = row[c];
                name.integer =
                    name.type == ColumnType::text ? std::int64_t{names.column_id(name.bytes)} : -1;
                name.type = ColumnType::integer;
            }
            ColumnValue& payload = row[10];
            if (payload.type == ColumnType::text) {
                std::string stored;
                encode_payload(payload.bytes, names, stored);
                payload.bytes = std::move(stored);
                payload.type = ColumnType::blob;
            }
            rows.push_back(std::move(row));
        }
        read.reset();
        if (rows.empty())
            return;
        for (const std::vector<ColumnValue>& row : rows) {
            for (int c = 0; c < event_columns_5; ++c)
                write.bind_value(c + 1, row[static_cast<std::size_t>(c)]);
            write.run();
        }
        after = rows.back()[0].integer;
    }
}

void case_rows_by_name(Db& db) {
    StoredNames names(db);
    names.sync();
    std::string sql = case_columns_sql;
    sql.replace(sql.rfind("FROM cases "), 11, "FROM cases_5 ");
    Statement read = db.prepare(sql + "WHERE id > ? ORDER BY id LIMIT 4096");
    Statement write = db.prepare(insert_sql("cases", case_column_names, case_columns, 1));
    std::vector<std::vector<ColumnValue>> rows;
    for (std::int64_t after = -1;;) {
        rows.clear();
        read.bind(1, after);
        while (read.step()) {
            std::vector<ColumnValue> row;
            row.reserve(case_columns);
            for (int c = 0; c < case_columns; ++c)
                row.push_back(read.value(c));
            const auto refused = [&](const std::string& what) {
                return Error(ErrorCode::storage, db.label() + ": case " + row[1].bytes +
                                                     " cannot be brought to schema 6: " + what);
            };
            // The names (workflow, category, area class, reporter, state, department).
            for (const int c : {2, 4, 6, 8, 9, 10}) {
                ColumnValue& v = row[static_cast<std::size_t>(c)];
                if (v.type != ColumnType::text)
                    throw refused(std::string("column '") + read.column_name(c) +
                                  "' does not hold text");
                v.integer = names.column_id(v.bytes);
                v.type = ColumnType::integer;
            }
            // The source and the rating by number.
            ColumnValue& source = row[7];
            try {
                source.integer = static_cast<std::int64_t>(parse_case_source(source.bytes));
            } catch (const Error& bad) {
                throw refused(bad.what());
            }
            source.type = ColumnType::integer;
            ColumnValue& rating = row[18];
            if (rating.type != ColumnType::null) {
                try {
                    rating.integer = static_cast<std::int64_t>(parse_satisfaction(rating.bytes));
                } catch (const Error& bad) {
                    throw refused(bad.what());
                }
                rating.type = ColumnType::integer;
            }
            rows.push_back(std::move(row));
        }
        read.reset();
        if (rows.empty())
            return;
        for (const std::vector<ColumnValue>& row : rows) {
            for (int c = 0; c < case_columns; ++c)
                write.bind_value(c + 1, row[static_cast<std::size_t>(c)]);
            write.run();
        }
        after = rows.back()[0].integer;
    }
}

void read_cases(CaseStore& store, CaseEngine::Impl& e) {
    Db& db = store.db();
    bool stored = false;
    e.config = read_config(db, *e.config, stored);
    e.config_stored = stored;
    read_all_cases(store, e);
    e.notified_sequence = e.last_sequence;
}

void catch_up_cases(CaseStore& store, CaseEngine::Impl& e, bool configuration) {
    Db& db = store.db();
    if (configuration) {
        // Categories and departments are referred to by index: the cases are read again
        // under the new configuration.
        bool stored = false;
        auto config = read_config(db, *e.config, stored);
        e.cases.truncate(0);
        e.clocks.clear();
        e.cold_clocks.clear();
        e.clock_shapes.clear();
        e.hot_runs.clear();
        e.dead_slots = 0;
        e.dead_cold_bytes = 0;
        e.counters.clear();
        e.numbers.truncate(0);
        e.year_sequence.clear();
        e.timers.clear();
        e.limit_cache.clear();
        e.route_cache.clear();
        e.config = std::move(config);
        e.config_stored = stored;
        read_all_cases(store, e);
        return;
    }
    // The cases whose events came after the engine's head, in id order: changed cases
    // before the new ones, which follow in id order. PostgreSQL's planner joins `IN
    // (subquery)` by walking every case's key; the array of ids (a few hundred) looks
    // each one up, seven to twelve times faster with 50,000 cases.
    const char* changed = db.dialect() == Dialect::postgresql
                              ? "WHERE id = ANY(ARRAY(SELECT case_id FROM case_events "
                                "WHERE seq > ?)) ORDER BY id"
                              : "WHERE id IN (SELECT case_id FROM case_events WHERE seq > ?) "
                                "ORDER BY id";
    Statement st = db.prepare(std::string(case_columns_sql) + changed);
    st.bind(1, static_cast<std::int64_t>(e.committed_sequence));
    StoredNames& stored_names = store.statements().names;
    stored_names.sync();
    RowNames names(stored_names);
    std::vector<CaseId> read;
    while (st.step()) {
        read_case_row(st, e, db, names);
        read.push_back(static_cast<CaseId>(st.int64(0)));
    }
    read_head(db, e);
    for (CaseId id : read)
        e.schedule(id);
}

std::vector<CaseEvent> read_stored_events(CaseStore& store, const CaseEngine::Impl& e, CaseId id) {
    Statement& st = store.statements().case_events;
    StoredNames& names = store.statements().names;
    names.sync();
    st.reset();
    st.bind(1, static_cast<std::int64_t>(id));
    const ResetAtEnd reset{st};  // also when a row is refused: no read stays open
    std::vector<CaseEvent> out;
    while (st.step())
        out.push_back(event_from_row(st, names, e));
    return out;
}

std::vector<CaseEvent> read_stored_events_between(CaseStore& store, const CaseEngine::Impl& e,
                                                  EventSeq from, EventSeq to) {
    Statement& st = store.statements().events_between;
    StoredNames& names = store.statements().names;
    names.sync();
    st.reset();
    st.bind(1, static_cast<std::int64_t>(from));
    st.bind(2, static_cast<std::int64_t>(std::min<EventSeq>(to, EventSeq{1} << 62)));
    const ResetAtEnd reset{st};
    std::vector<CaseEvent> out;
    while (st.step())
        out.push_back(event_from_row(st, names, e));
    return out;
}

/// Rows of case_events copied out of the statement as they are stored (each column's
/// storage class, integer and bytes), so that another thread can check them.
class RowBatch {
  public:
    static constexpr int columns = 13;
    static constexpr std::size_t capacity = 2048;

    class Row {
      public:
        Row(const RowBatch& b, std::size_t i) : b_(b), at_(i * columns) {}
        ColumnType type(int col) const { return b_.cells_[at_ + col].type; }
        std::int64_t int64(int col) const { return b_.cells_[at_ + col].integer; }
        std::string_view blob_view(int col) const {
            const Cell& c = b_.cells_[at_ + col];
            return std::string_view(b_.bytes_).substr(c.offset, c.size);
        }

      private:
        const RowBatch& b_;
        std::size_t at_;
    };

    void clear() {
        cells_.clear();
        bytes_.clear();
        rows_ = 0;
    }
    /// Copies the statement's current row.
    void add(const Statement& st) {
        for (int col = 0; col < columns; ++col) {
            const ColumnView v = st.view(col);
            Cell c;
            c.type = v.type;
            c.integer = v.integer;
            if (!v.bytes.empty()) {
                c.offset = bytes_.size();
                c.size = v.bytes.size();
                bytes_.append(v.bytes);
            }
            cells_.push_back(c);
        }
        ++rows_;
    }
    std::size_t size() const { return rows_; }
    bool full() const { return rows_ == capacity; }
    Row row(std::size_t i) const { return Row(*this, i); }

  private:
    struct Cell {
        ColumnType type = ColumnType::null;
        std::int64_t integer = 0;
        std::size_t offset = 0;
        std::size_t size = 0;
    };
    std::vector<Cell> cells_;
    std::string bytes_;
    std::size_t rows_ = 0;
};

/// Checks one stored event row; false once the log failed.
template <class Row>
bool check_event_row(const Row& row, StoredNames& names, LogChecker& checker,
                     std::string& payload) {
    const EventRow r = read_event_row(row, names, payload);
    if (!r.problem.empty()) {
        const auto seq = static_cast<EventSeq>(row.int64(0));
        const std::string number =
            row.type(1) == ColumnType::integer && row.int64(1) >= 0 &&
                    row.int64(1) <= std::numeric_limits<std::uint32_t>::max()
                ? checker.case_label(static_cast<std::uint32_t>(row.int64(1)))
                : std::string();
        checker.fail(LogProblem::content_changed, seq, number,
                     "event " + std::to_string(seq) +
                         (number.empty() ? std::string() : " (case " + number + ")") + ": " +
                         r.problem + ", which its hash cannot cover");
        return false;
    }
    EventFields f;
    f.sequence = r.sequence;
    f.case_id = r.case_id;
    f.case_sequence = r.case_sequence;
    f.transition = r.transition;
    f.from_state = r.from_state;
    f.to_state = r.to_state;
    f.actor = r.actor;
    f.system = r.system;
    f.at = r.at;
    f.payload = r.payload;
    // The chain's link is the previous stored hash (schema 5 does not repeat it in the
    // row); the case's link is the column after the hash: how many events back the case's
    // event before is (null for none).
    const Hash previous = checker.previous;
    f.previous = &previous;
    std::int64_t link = 0;
    if (row.type(12) == ColumnType::integer) {
        const std::int64_t back = row.int64(12);
        link = back >= 1 && static_cast<EventSeq>(back) < r.sequence
                   ? static_cast<std::int64_t>(r.sequence) - back
                   : -1;  // no event's sequence
    } else if (row.type(12) != ColumnType::null) {
        link = -1;
    }
    checker.check(f, r.type, r.hash, &link);
    return checker.result.ok;
}

void verify_stored_log(CaseStore& store, LogChecker& checker, EventSeq from) {
    // The log as it ends now, with every name its events can use: the end is read first,
    // so that the names read after it cover every event up to it, also when another
    // connection commits meanwhile (its events come after the end and are not read).
    std::int64_t end = 0;
    {
        Statement last = store.db().prepare("SELECT max(seq) FROM case_events");
        if (last.step() && last.type(0) == ColumnType::integer)
            end = last.int64(0);
    }
    StoredNames& names = store.statements().names;
    names.sync();
    Statement st = store.db().prepare(
        "SELECT seq, case_id, case_seq, type, transition, from_state, to_state, actor, system, "
        "at, payload, hash, back FROM case_events WHERE seq >= ? AND seq <= ? ORDER BY seq");
    st.bind(1, static_cast<std::int64_t>(std::min<EventSeq>(from, EventSeq{1} << 62)));
    st.bind(2, end);
    // Only this thread uses the connection: the checker's names never go to the table.
    names.freeze(true);
    struct Thaw {
        StoredNames& names;
        ~Thaw() { names.freeze(false); }
    } thaw{names};
    // Two threads: this one steps the statement and copies rows out in batches; a checker
    // thread decodes, hashes and checks them in order (every event's hash is checked from
    // the stored hash before it, so the order of the log is the checker's alone). Only
    // this thread touches the connection; only the checker touches the names and the
    // checker's state until it is joined.
    struct Queue {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<std::unique_ptr<RowBatch>> full;  // for the checker, in order
        std::vector<std::unique_ptr<RowBatch>> empty;
        bool done = false;     // the reader has nothing more
        bool stopped = false;  // the checker wants nothing more (a failure or an error)
    } q;
    for (int i = 0; i < 3; ++i)
        q.empty.push_back(std::make_unique<RowBatch>());
    std::exception_ptr checker_error;
    std::thread worker([&] {
        std::string payload;
        try {
            for (;;) {
                std::unique_ptr<RowBatch> batch;
                {
                    std::unique_lock<std::mutex> lock(q.mutex);
                    q.changed.wait(lock, [&] { return !q.full.empty() || q.done; });
                    if (q.full.empty())
                        return;
                    batch = std::move(q.full.front());
                    q.full.pop_front();
                }
                bool ok = true;
                for (std::size_t i = 0; i < batch->size() && ok; ++i)
                    ok = check_event_row(batch->row(i), names, checker, payload);
                batch->clear();
                const std::lock_guard<std::mutex> lock(q.mutex);
                q.empty.push_back(std::move(batch));
                if (!ok)
                    q.stopped = true;
                q.changed.notify_all();
                if (!ok)
                    return;
            }
        } catch (...) {
            checker_error = std::current_exception();
            const std::lock_guard<std::mutex> lock(q.mutex);
            q.stopped = true;
            q.changed.notify_all();
        }
    });
    {
        // Ends the checker on every way out of this block, a failed step included.
        struct Join {
            Queue& q;
            std::thread& worker;
            ~Join() {
                {
                    const std::lock_guard<std::mutex> lock(q.mutex);
                    q.done = true;
                    q.changed.notify_all();
                }
                worker.join();
            }
        } join{q, worker};
        std::unique_ptr<RowBatch> batch;
        for (;;) {
            if (!batch) {
                std::unique_lock<std::mutex> lock(q.mutex);
                q.changed.wait(lock, [&] { return !q.empty.empty() || q.stopped; });
                if (q.stopped)
                    break;
                batch = std::move(q.empty.back());
                q.empty.pop_back();
            }
            const bool more = st.step();
            if (more)
                batch->add(st);
            if (batch->full() || (!more && batch->size() > 0)) {
                const std::lock_guard<std::mutex> lock(q.mutex);
                q.full.push_back(std::move(batch));
                q.changed.notify_all();
            }
            if (!more)
                break;
        }
    }
    if (checker_error)
        std::rethrow_exception(checker_error);
}

std::optional<Hash> stored_event_hash(CaseStore& store, EventSeq seq) {
    Statement st = store.db().prepare("SELECT hash FROM case_events WHERE seq = ?");
    st.bind(1, static_cast<std::int64_t>(std::min<EventSeq>(seq, EventSeq{1} << 62)));
    if (!st.step() || st.type(0) != ColumnType::blob)
        return std::nullopt;
    const std::string_view bytes = st.blob_view(0);
    Hash h{};
    if (bytes.size() != h.size())
        return std::nullopt;
    std::copy(bytes.begin(), bytes.end(), h.begin());
    return h;
}

// ---- log checkpoints ---------------------------------------------------------------------

void write_log_checkpoint(CaseStore& store, const LogCheckpoint& c) {
    Statement st = store.db().prepare(
        "INSERT INTO log_checkpoints (id, event, hash, cases, signed_at, signed_by, full_check, "
        "events_checked) SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM "
        "log_checkpoints");
    st.bind(1, static_cast<std::int64_t>(c.sequence));
    st.bind_blob(2, c.hash.data(), c.hash.size());
    st.bind(3, static_cast<std::int64_t>(c.cases));
    st.bind(4, c.signed_at.seconds);
    st.bind(5, c.signed_by);
    st.bind(6, c.full ? 1 : 0);
    st.bind(7, static_cast<std::int64_t>(c.events_checked));
    st.run();
}

std::vector<LogCheckpoint> read_log_checkpoints(CaseStore& store, bool last_only) {
    Statement st = store.db().prepare(
        std::string("SELECT id, event, hash, cases, signed_at, signed_by, full_check, "
                    "events_checked FROM log_checkpoints ORDER BY id") +
        (last_only ? " DESC LIMIT 1" : ""));
    std::vector<LogCheckpoint> out;
    while (st.step()) {
        const auto damaged = [&](const char* column, const char* what) {
            return Error(ErrorCode::storage,
                         "workspace " + store.db().path() + ": stored log checkpoint " +
                             std::to_string(st.int64(0)) + ": column '" + column + "' " + what);
        };
        const auto count = [&](int col, const char* column, std::int64_t high) {
            if (st.type(col) != ColumnType::integer || st.int64(col) < 0 || st.int64(col) > high)
                throw damaged(column, "does not hold a count");
            return st.int64(col);
        };
        LogCheckpoint c;
        c.sequence =
            static_cast<EventSeq>(count(1, "event", std::numeric_limits<std::int64_t>::max()));
        if (st.type(2) != ColumnType::blob || st.blob_view(2).size() != c.hash.size())
            throw damaged("hash", "does not hold a 32-byte hash");
        const std::string_view hash = st.blob_view(2);
        std::copy(hash.begin(), hash.end(), c.hash.begin());
        c.cases = static_cast<std::uint32_t>(
            count(3, "cases", std::numeric_limits<std::uint32_t>::max()));
        if (st.type(4) != ColumnType::integer)
            throw damaged("signed_at", "does not hold an instant");
        c.signed_at = Instant{st.int64(4)};
        if (st.type(5) != ColumnType::text || st.text_view(5).empty())
            throw damaged("signed_by", "does not hold a name");
        c.signed_by = st.text(5);
        c.full = count(6, "full_check", 1) == 1;
        c.events_checked = static_cast<std::uint64_t>(
            count(7, "events_checked", std::numeric_limits<std::int64_t>::max()));
        out.push_back(std::move(c));
    }
    return out;
}

// ---- the store and loading ---------------------------------------------------------------

CaseStore::CaseStore(CaseFile& file) : file_(file) {}

CaseStore::~CaseStore() = default;

CaseStatements& CaseStore::statements() {
    if (!statements_)
        statements_ = std::make_unique<CaseStatements>(db());
    return *statements_;
}

void catch_up_case_engine(CaseEngine& engine, bool configuration) {
    CaseEngine::Impl& e = CaseEngineAccess::impl(engine);
    const EventSeq before = e.committed_sequence;
    try {
        catch_up_cases(*e.workspace, e, configuration);
    } catch (const nlohmann::json::exception& err) {
        throw refused_cases(e.workspace->db(), err.what());
    }
    e.deliver_caught_up(before);
}

bool case_engine_notifying(const CaseEngine& engine) {
    return CaseEngineAccess::impl(engine).notifying;
}

std::unique_ptr<CaseEngine> load_case_engine(const Hierarchy& hierarchy, const Directory& directory,
                                             const std::vector<Overlay>& overlays, CaseFile& file) {
    auto engine = std::make_unique<CaseEngine>(hierarchy, directory, overlays);
    CaseEngine::Impl& e = detail::CaseEngineAccess::impl(*engine);
    e.workspace = std::make_unique<CaseStore>(file);
    const std::string& path = file.connection().path();
    try {
        read_cases(*e.workspace, e);
    } catch (const Error& err) {
        if (err.code() == ErrorCode::storage)
            throw;
        throw Error(ErrorCode::storage,
                    "workspace " + path + ": the stored cases are refused: " + err.what());
    } catch (const nlohmann::json::exception& err) {
        throw Error(ErrorCode::storage,
                    "workspace " + path + ": the stored cases are refused: " + err.what());
    }
    return engine;
}

}  // namespace detail
}  // namespace gridgov
