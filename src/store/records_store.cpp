// Persistence of the records (tables record_* in migration 8): the schema document, one row
// per record with its current node, every version with its fields as a JSON object, and the
// lookup index that find() and filters read.
#include "store/records_store.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/sha256.hpp"
#include "gridgov/cases.hpp"
#include "records/model.hpp"
#include "store/schema.hpp"

namespace gridgov::detail {

struct RecordsStatements {
    explicit RecordsStatements(Db& db)
        : schema(db.prepare("SELECT document FROM record_schema WHERE id = 1")),
          write_schema(db.prepare(
              "INSERT INTO record_schema (id, document) VALUES (1, ?1) ON CONFLICT (id) DO "
              "UPDATE SET document = excluded.document")),
          head(db.prepare("SELECT id, kind, node, versions, last_day FROM records WHERE key = ?1")),
          next_id(db.prepare("SELECT COALESCE(MAX(id) + 1, 0) FROM records")),
          insert_record(db.prepare(
              "INSERT INTO records (id, key, kind, node, versions, last_day, packed) VALUES (?1, "
              "?2, ?3, ?4, ?5, ?6, ?7)")),
          update_record(db.prepare("UPDATE records SET node = ?2, versions = ?3, last_day = ?4, "
                                   "packed = ?5 WHERE id = ?1")),
          write_packed(db.prepare("UPDATE records SET packed = ?2 WHERE id = ?1")),
          insert_version(db.prepare(
              "INSERT INTO record_versions (record, version, change, day, node, fields, overlays) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
          delete_lookup(db.prepare(
              "DELETE FROM record_lookup WHERE field = ?1 AND value = ?2 AND record = ?3")),
          insert_lookup(db.prepare(
              "INSERT INTO record_lookup (field, value, record) VALUES (?1, ?2, ?3) ON CONFLICT "
              "DO NOTHING")),
          key_kind(db.prepare("SELECT key, kind FROM records WHERE id = ?1")),
          current(db.prepare(
              "SELECT r.key, r.kind, v.version, v.change, v.day, v.node, v.fields, v.overlays "
              "FROM records r JOIN record_versions v ON v.record = r.id AND v.version = "
              "r.versions WHERE r.id = ?1")),
          version_on(db.prepare(
              "SELECT version, change, day, node, fields, overlays FROM record_versions WHERE "
              "record = ?1 AND day <= ?2 ORDER BY version DESC LIMIT 1")),
          versions(db.prepare(
              "SELECT version, change, day, node, fields, overlays FROM record_versions WHERE "
              "record = ?1 ORDER BY version")),
          lookup(db.prepare(
              "SELECT record FROM record_lookup WHERE field = ?1 AND value = ?2 ORDER BY record")),
          last_access(db.prepare("SELECT seq, hash FROM record_access ORDER BY seq DESC LIMIT 1")),
          insert_access(db.prepare(
              "INSERT INTO record_access (seq, at_time, reader, by_system, purpose, operation, "
              "record_key, record_kind, fields, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
              "?10)")) {}

    Statement schema;
    Statement write_schema;
    Statement head;
    Statement next_id;
    Statement insert_record;
    Statement update_record;
    Statement write_packed;
    Statement insert_version;
    Statement delete_lookup;
    Statement insert_lookup;
    Statement key_kind;
    Statement current;
    Statement version_on;
    Statement versions;
    Statement lookup;
    Statement last_access;
    Statement insert_access;
};

namespace {

// Resets a statement however the caller leaves it.
struct Reset {
    Statement& st;
    ~Reset() { st.reset(); }
};

RecordChange stored_change(const std::string& text, const std::string& where) {
    for (RecordChange c :
         {RecordChange::added, RecordChange::changed, RecordChange::moved, RecordChange::removed}) {
        if (text == record_change_name(c))
            return c;
    }
    throw Error(ErrorCode::storage, where + ": unknown change " + record_quote(text));
}

std::string joined_fields(const std::vector<std::string>& fields) {
    std::string out;
    for (const std::string& f : fields) {
        if (!out.empty())
            out += '|';
        out += f;
    }
    return out;
}

std::vector<std::string> split_fields(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t bar = text.find('|', start);
        const std::size_t end = bar == std::string::npos ? text.size() : bar;
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The bytes an access-log hash covers: every column but the hash, each text with its
// length first, then the previous entry's hash ("" for the first).
std::string access_bytes(const RecordAccess& e, const std::string& previous) {
    std::string out;
    auto text = [&](std::string_view t) {
        out += std::to_string(t.size());
        out += ':';
        out.append(t.data(), t.size());
    };
    text(std::to_string(e.seq));
    text(e.at);
    text(e.reader);
    text(e.system ? "1" : "0");
    text(e.purpose);
    text(e.read);
    text(e.key);
    text(e.kind);
    text(joined_fields(e.fields));
    text(previous);
    return out;
}

std::string access_hash(Sha256& sha, const RecordAccess& e, const std::string& previous) {
    const std::string bytes = access_bytes(e, previous);
    return hash_hex(sha.digest(bytes.data(), bytes.size()));
}

// UTC now with milliseconds: "2026-12-06T10:15:30.123Z".
std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

RecordAccess read_access(Statement& st) {
    RecordAccess e;
    e.seq = st.int64(0);
    e.at = st.text(1);
    e.reader = st.text(2);
    e.system = st.int64(3) != 0;
    e.purpose = st.text(4);
    e.read = st.text(5);
    e.key = st.text(6);
    e.kind = st.text(7);
    e.fields = split_fields(st.text(8));
    e.hash = st.text(9);
    return e;
}

constexpr const char* access_columns =
    "SELECT seq, at_time, reader, by_system, purpose, operation, record_key, record_kind, "
    "fields, hash FROM record_access";

}  // namespace

RecordsStore::RecordsStore(Db& db) : db_(db) {}
RecordsStore::~RecordsStore() = default;

RecordsStatements& RecordsStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<RecordsStatements>(db_);
    return *sql_;
}

std::optional<std::string> RecordsStore::schema_document() {
    Statement& st = statements().schema;
    Reset reset{st};
    if (!st.step())
        return std::nullopt;
    return st.text(0);
}

void RecordsStore::write_schema(const std::string& document) {
    statements().write_schema.bind(1, document).run();
}

void RecordsStore::read_current(const std::function<void(std::uint32_t, Record&&, bool)>& f) {
    Statement st = db_.prepare(
        "SELECT r.id, r.key, r.kind, r.node, v.node, v.fields, v.overlays FROM records r JOIN "
        "record_versions v ON v.record = r.id AND v.version = r.versions ORDER BY r.id");
    std::int64_t expected = 0;
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        const std::string where = db_.label() + " table records row " + std::to_string(id);
        if (id != expected)
            throw Error(ErrorCode::storage,
                        where + ": ids are not dense (expected " + std::to_string(expected) + ")");
        ++expected;
        Record r;
        r.key = st.text(1);
        r.kind = st.text(2);
        const bool live = !st.is_null(3);
        r.node = static_cast<NodeId>(st.int64(4));
        try {
            read_fields_json(st.text_view(5), r, where);
            r.overlays = parse_overlays_text(st.text_view(6), where);
        } catch (const Error& e) {
            throw Error(ErrorCode::storage, e.what());
        }
        f(static_cast<std::uint32_t>(id), std::move(r), live);
    }
}

std::optional<RecordHead> RecordsStore::head(std::string_view key) {
    Statement& st = statements().head;
    Reset reset{st};
    st.bind(1, key);
    if (!st.step())
        return std::nullopt;
    RecordHead h;
    h.id = static_cast<std::uint32_t>(st.int64(0));
    h.kind = st.text(1);
    h.live = !st.is_null(2);
    h.versions = static_cast<std::uint32_t>(st.int64(3));
    h.last = Date{st.int32(4)};
    return h;
}

std::uint32_t RecordsStore::next_id() {
    Statement& st = statements().next_id;
    Reset reset{st};
    st.step();
    return static_cast<std::uint32_t>(st.int64(0));
}

void RecordsStore::read_packed(
    const std::function<void(std::uint32_t, std::string_view, bool, NodeId, std::string_view)>& f) {
    Statement st = db_.prepare("SELECT id, kind, node, packed FROM records ORDER BY id");
    std::int64_t expected = 0;
    while (st.step()) {
        const std::int64_t id = st.int64(0);
        if (id != expected)
            throw Error(ErrorCode::storage,
                        db_.label() + " table records row " + std::to_string(id) +
                            ": ids are not dense (expected " + std::to_string(expected) + ")");
        ++expected;
        const bool live = !st.is_null(2);
        f(static_cast<std::uint32_t>(id), st.text_view(1), live,
          live ? static_cast<NodeId>(st.int64(2)) : no_node,
          st.is_null(3) ? std::string_view{} : st.blob_view(3));
    }
}

void RecordsStore::write_lookups(
    const std::vector<std::pair<std::uint32_t, RecordLookups>>& lookups) {
    db_.exec("DELETE FROM record_lookup");
    Statement& insert = statements().insert_lookup;
    for (const auto& [id, values] : lookups) {
        for (const auto& [field, value] : values)
            insert.bind(1, field).bind(2, value).bind(3, static_cast<std::int64_t>(id)).run();
    }
}

void RecordsStore::write_packed(std::uint32_t id, const std::string& packed) {
    statements()
        .write_packed.bind(1, static_cast<std::int64_t>(id))
        .bind_blob(2, packed.data(), packed.size())
        .run();
}

void RecordsStore::write_version(std::uint32_t id, std::uint32_t version, RecordChange change,
                                 Date day, const Record& record, const std::string& packed,
                                 const RecordLookups& lookups, const RecordLookups& before) {
    RecordsStatements& sql = statements();
    const bool live = change != RecordChange::removed;
    if (version == 1) {
        sql.insert_record.bind(1, static_cast<std::int64_t>(id))
            .bind(2, record.key)
            .bind(3, record.kind)
            .bind(4, static_cast<std::int64_t>(record.node))
            .bind(5, 1)
            .bind(6, day.days)
            .bind_blob_view(7, packed.data(), packed.size())
            .run();
    } else {
        sql.update_record.bind(1, static_cast<std::int64_t>(id));
        if (live)
            sql.update_record.bind(2, static_cast<std::int64_t>(record.node));
        else
            sql.update_record.bind_null(2);
        sql.update_record.bind(3, static_cast<std::int64_t>(version))
            .bind(4, day.days)
            .bind_blob_view(5, packed.data(), packed.size())
            .run();
        for (const auto& [field, value] : before)
            sql.delete_lookup.bind(1, field)
                .bind(2, value)
                .bind(3, static_cast<std::int64_t>(id))
                .run();
    }
    sql.insert_version.bind(1, static_cast<std::int64_t>(id))
        .bind(2, static_cast<std::int64_t>(version))
        .bind(3, record_change_name(change))
        .bind(4, day.days)
        .bind(5, static_cast<std::int64_t>(record.node))
        .bind(6, fields_json(record))
        .bind(7, overlays_text(record.overlays))
        .run();
    for (const auto& [field, value] : lookups)
        sql.insert_lookup.bind(1, field)
            .bind(2, value)
            .bind(3, static_cast<std::int64_t>(id))
            .run();
}

RecordVersion RecordsStore::read_version(Statement& st, const std::string& key,
                                         const std::string& kind, int col) {
    RecordVersion v;
    const std::string where = db_.label() + " table record_versions record " + record_quote(key);
    v.version = static_cast<std::uint32_t>(st.int64(col));
    v.change = stored_change(st.text(col + 1), where);
    v.effective = Date{st.int32(col + 2)};
    v.record.key = key;
    v.record.kind = kind;
    v.record.node = static_cast<NodeId>(st.int64(col + 3));
    try {
        read_fields_json(st.text_view(col + 4), v.record, where);
        v.record.overlays = parse_overlays_text(st.text_view(col + 5), where);
    } catch (const Error& e) {
        throw Error(ErrorCode::storage, e.what());
    }
    return v;
}

std::optional<RecordsStore::KeyKind> RecordsStore::key_kind(std::uint32_t id) {
    Statement& st = statements().key_kind;
    Reset reset{st};
    st.bind(1, static_cast<std::int64_t>(id));
    if (!st.step())
        return std::nullopt;
    return KeyKind{st.text(0), st.text(1)};
}

std::optional<RecordVersion> RecordsStore::version_on(std::uint32_t id, std::optional<Date> on) {
    RecordsStatements& sql = statements();
    if (!on) {
        // The current version: one look-up by the record's id.
        Statement& st = sql.current;
        Reset reset{st};
        st.bind(1, static_cast<std::int64_t>(id));
        if (!st.step())
            return std::nullopt;
        return read_version(st, st.text(0), st.text(1), 2);
    }
    const std::optional<KeyKind> named = key_kind(id);
    if (!named)
        return std::nullopt;
    Statement& st = sql.version_on;
    Reset reset{st};
    st.bind(1, static_cast<std::int64_t>(id))
        .bind(2, static_cast<std::int64_t>(on ? on->days : Date::max().days));
    if (!st.step())
        return std::nullopt;
    return read_version(st, named->key, named->kind, 0);
}

std::vector<RecordVersion> RecordsStore::versions(std::uint32_t id) {
    RecordsStatements& sql = statements();
    const std::optional<KeyKind> named = key_kind(id);
    if (!named)
        return {};
    std::vector<RecordVersion> out;
    Statement& st = sql.versions;
    Reset reset{st};
    st.bind(1, static_cast<std::int64_t>(id));
    while (st.step())
        out.push_back(read_version(st, named->key, named->kind, 0));
    return out;
}

std::vector<std::uint32_t> RecordsStore::lookup(std::string_view field, std::string_view value) {
    std::vector<std::uint32_t> out;
    Statement& st = statements().lookup;
    Reset reset{st};
    st.bind(1, field).bind(2, value);
    while (st.step())
        out.push_back(static_cast<std::uint32_t>(st.int64(0)));
    return out;
}

// ---- the access log -----------------------------------------------------------------------

void RecordsStore::append_access(std::vector<RecordAccess>& entries) {
    if (entries.empty())
        return;
    RecordsStatements& sql = statements();
    std::int64_t seq = 0;
    std::string previous;
    {
        Reset reset{sql.last_access};
        if (sql.last_access.step()) {
            seq = sql.last_access.int64(0);
            previous = sql.last_access.text(1);
        }
    }
    Sha256 sha;
    const std::string at = utc_now();
    for (RecordAccess& e : entries) {
        e.seq = ++seq;
        e.at = at;
        e.hash = access_hash(sha, e, previous);
        previous = e.hash;
        sql.insert_access.bind(1, e.seq)
            .bind(2, e.at)
            .bind(3, e.reader)
            .bind(4, e.system ? 1 : 0)
            .bind(5, e.purpose)
            .bind(6, e.read)
            .bind(7, e.key)
            .bind(8, e.kind)
            .bind(9, joined_fields(e.fields))
            .bind(10, e.hash)
            .run();
    }
}

std::vector<RecordAccess> RecordsStore::access_log(std::int64_t after_seq, std::size_t limit) {
    std::string sql = std::string(access_columns) + " WHERE seq > ?1 ORDER BY seq";
    if (limit != 0)
        sql += " LIMIT " + std::to_string(limit);
    Statement st = db_.prepare(sql);
    st.bind(1, after_seq);
    std::vector<RecordAccess> out;
    while (st.step())
        out.push_back(read_access(st));
    return out;
}

AccessLogCheck RecordsStore::verify_access_log() {
    Statement st = db_.prepare(std::string(access_columns) + " ORDER BY seq");
    AccessLogCheck check;
    Sha256 sha;
    std::string previous;
    auto fail = [&](std::int64_t seq, const char* problem) {
        check.intact = false;
        check.first_bad = seq;
        check.problem = problem;
    };
    while (st.step()) {
        const RecordAccess e = read_access(st);
        ++check.entries;
        if (!check.intact)
            continue;
        if (e.seq != check.entries) {
            fail(e.seq, "sequence");
            continue;
        }
        // A changed entry, or one after a changed, removed or inserted one.
        if (access_hash(sha, e, previous) != e.hash) {
            fail(e.seq, "hash_mismatch");
            continue;
        }
        previous = e.hash;
    }
    return check;
}

// ---- collection quality -----------------------------------------------------------------

void RecordsStore::write_check(const CheckRound& round) {
    std::int64_t id = 0;
    {
        Statement st = db_.prepare("SELECT COALESCE(MAX(id) + 1, 0) FROM record_checks");
        if (st.step())
            id = st.int64(0);
    }
    db_.prepare(
           "INSERT INTO record_checks (id, label, day, inspector, draw) VALUES (?1, ?2, ?3, ?4, "
           "?5)")
        .bind(1, id)
        .bind(2, round.label)
        .bind(3, static_cast<std::int64_t>(round.date.days))
        .bind(4, round.inspector)
        .bind(5, draw_to_json(round.draw))
        .run();
    Statement insert = db_.prepare(
        "INSERT INTO record_check_findings (round, position, sampled, node, record, outcome, "
        "note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (std::size_t i = 0; i < round.findings.size(); ++i) {
        const CheckFinding& f = round.findings[i];
        insert.bind(1, id)
            .bind(2, static_cast<std::int64_t>(i))
            .bind(3, f.sampled)
            .bind(4, static_cast<std::int64_t>(f.node))
            .bind(5, f.record)
            .bind(6, check_outcome_name(f.outcome))
            .bind(7, f.note)
            .run();
    }
}

std::vector<CheckRound> RecordsStore::read_checks() {
    std::vector<CheckRound> out;
    Statement rounds =
        db_.prepare("SELECT id, label, day, inspector, draw FROM record_checks ORDER BY id");
    while (rounds.step()) {
        const std::string where =
            db_.label() + " table record_checks row " + std::to_string(rounds.int64(0));
        if (rounds.int64(0) != static_cast<std::int64_t>(out.size()))
            throw Error(ErrorCode::storage, where + ": ids are not dense");
        CheckRound r;
        r.label = rounds.text(1);
        r.date = Date{static_cast<std::int32_t>(rounds.int64(2))};
        r.inspector = rounds.text(3);
        try {
            r.draw = draw_from_json(rounds.text(4));
        } catch (const Error& e) {
            throw Error(ErrorCode::storage, where + ": " + e.what());
        }
        out.push_back(std::move(r));
    }
    Statement findings = db_.prepare(
        "SELECT round, sampled, node, record, outcome, note FROM record_check_findings ORDER BY "
        "round, position");
    while (findings.step()) {
        const std::int64_t round = findings.int64(0);
        const std::string where =
            db_.label() + " table record_check_findings round " + std::to_string(round);
        if (round < 0 || round >= static_cast<std::int64_t>(out.size()))
            throw Error(ErrorCode::storage, where + ": no such round");
        CheckFinding f;
        f.sampled = findings.text(1);
        f.node = static_cast<NodeId>(findings.int64(2));
        f.record = findings.text(3);
        try {
            f.outcome = parse_check_outcome(findings.text(4));
        } catch (const Error& e) {
            throw Error(ErrorCode::storage, where + ": " + e.what());
        }
        f.note = findings.text(5);
        out[static_cast<std::size_t>(round)].findings.push_back(std::move(f));
    }
    return out;
}

bool RecordsStore::has_check(std::string_view label) {
    Statement st = db_.prepare("SELECT 1 FROM record_checks WHERE label = ?1");
    st.bind(1, label);
    return st.step();
}

void pack_record_columns(Db& db) {
    RecordsStore store(db);
    const std::optional<std::string> document = store.schema_document();
    const RecordColumns columns(
        document ? RecordSchema::from_json(*document, db.label() + " table record_schema")
                 : RecordSchema::preset("standard"));
    std::vector<std::pair<std::uint32_t, std::string>> packed;
    store.read_current(
        [&](std::uint32_t id, Record&& r, bool) { packed.emplace_back(id, columns.pack(r)); });
    for (const auto& [id, values] : packed)
        store.write_packed(id, values);
    // The values of lookup fields are found through the columns' index from now on.
    std::vector<std::string> indexed;
    for (const RecordKind& kind : columns.schema().kinds) {
        for (const FieldSpec& f : kind.fields) {
            if (columns.indexes(f) &&
                std::find(indexed.begin(), indexed.end(), f.name) == indexed.end())
                indexed.push_back(f.name);
        }
    }
    Statement drop = db.prepare("DELETE FROM record_lookup WHERE field = ?1");
    for (const std::string& name : indexed)
        drop.bind(1, name).run();
}

}  // namespace gridgov::detail
