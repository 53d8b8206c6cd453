#include "store/pg.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

namespace gridgov::detail {
namespace {

// Type OIDs of pg_type (stable across PostgreSQL versions).
constexpr Oid bool_oid = 16;
constexpr Oid bytea_oid = 17;
constexpr Oid name_oid = 19;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid text_oid = 25;
constexpr Oid float4_oid = 700;
constexpr Oid float8_oid = 701;
constexpr Oid bpchar_oid = 1042;
constexpr Oid varchar_oid = 1043;
constexpr Oid numeric_oid = 1700;

/// The first half of every advisory lock key gridgov takes: "GRDV" in ASCII, as SQLite's
/// application_id.
constexpr std::int32_t lock_class = 0x47524456;

std::string trimmed(const char* message) {
    std::string s = message != nullptr ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    // libpq repeats "ERROR:  " before the server's words; callers say what failed.
    for (const char* prefix : {"ERROR:  ", "FATAL:  "}) {
        if (s.rfind(prefix, 0) == 0)
            s.erase(0, std::strlen(prefix));
    }
    return s;
}

std::int32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return static_cast<std::int32_t>(h);
}

void put_be64(char* out, std::uint64_t v) {
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
}

// What a connection string names, without its password, for messages: user, host, port,
// database and session settings.
std::string display_location(PQconninfoOption* options) {
    std::string user;
    std::string host;
    std::string port;
    std::string dbname;
    std::string settings;
    for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
        if (o->val == nullptr)
            continue;
        const std::string_view key = o->keyword;
        if (key == "user")
            user = o->val;
        else if (key == "host")
            host = o->val;
        else if (key == "port")
            port = o->val;
        else if (key == "dbname")
            dbname = o->val;
        else if (key == "options")
            settings = o->val;
    }
    std::string out = "postgresql://";
    if (!user.empty())
        out += user + "@";
    out += host;
    if (!port.empty())
        out += ":" + port;
    out += "/" + dbname;
    // The session settings name the schema a workspace lives in (search_path).
    if (!settings.empty())
        out += "?options=" + settings;
    return out;
}

}  // namespace

std::string pg_placeholders(std::string_view sql, std::vector<bool>& used) {
    std::string out;
    out.reserve(sql.size() + 16);
    used.clear();
    int count = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote != 0) {
            out += c;
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const std::size_t end = sql.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            int n = 0;
            std::size_t j = i + 1;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
                n = n * 10 + (sql[j++] - '0');
            if (j == i + 1)
                n = count + 1;  // a bare '?' takes the number after the largest so far
            count = std::max(count, n);
            if (n >= 1) {
                if (used.size() < static_cast<std::size_t>(n))
                    used.resize(static_cast<std::size_t>(n));
                used[static_cast<std::size_t>(n - 1)] = true;
            }
            out += '$';
            out += std::to_string(n);
            i = j - 1;
        } else {
            out += c;
        }
    }
    return out;
}

// ---- connection -------------------------------------------------------------------------

PgConnection::PgConnection(const std::string& conninfo, bool read_only)
    : conninfo_(conninfo), read_only_(read_only) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
        std::string why = error != nullptr ? trimmed(error) : "out of memory";
        PQfreemem(error);
        throw Error(ErrorCode::invalid_argument,
                    "the PostgreSQL connection string is not valid: " + why);
    }
    location_ = display_location(options);
    PQconninfoFree(options);
    try {
        connect();
    } catch (...) {
        // A session whose setup failed is closed here: the destructor does not run for an
        // object whose constructor threw.
        PQfinish(conn_);
        conn_ = nullptr;
        throw;
    }
}

PgConnection::~PgConnection() {
    PQfinish(conn_);
}

void PgConnection::connect() {
    // The caller's string is expanded in place of dbname: what it names wins over the
    // defaults before it; the encoding after it is gridgov's (every text is UTF-8).
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                          "client_encoding", nullptr};
    const char* values[] = {"10", "gridgov", conninfo_.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (conn == nullptr)
        throw Error(ErrorCode::storage, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = trimmed(PQerrorMessage(conn));
        PQfinish(conn);
        throw Error(ErrorCode::storage,
                    "cannot connect to PostgreSQL at " + location_ + ": " + why);
    }
    PQfinish(conn_);
    conn_ = conn;
    // The server's notices (e.g. "relation already exists, skipping") are not errors and
    // are not the library's to print.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    const std::string host = PQhost(conn_) != nullptr ? PQhost(conn_) : "";
    location_ = std::string("postgresql://") + PQuser(conn_) + "@" + host + ":" + PQport(conn_) +
                "/" + PQdb(conn_);
    if (PQoptions(conn_) != nullptr && *PQoptions(conn_) != '\0')
        location_ += std::string("?options=") + PQoptions(conn_);

    std::string setup = "SET lock_timeout = " + std::to_string(busy_timeout_ms);
    if (read_only_)
        setup += "; SET default_transaction_read_only = on";
    check_command(PQexec(conn_, setup.c_str()), "session setup");
    PGresult* res = PQexec(conn_, "SELECT current_schema(), pg_backend_pid()");
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        fail("session setup", res);
    if (PQgetisnull(res, 0, 0)) {
        PQclear(res);
        throw Error(ErrorCode::invalid_argument,
                    "PostgreSQL at " + location_ +
                        ": the connection's search_path names no schema that exists; create "
                        "the schema, or name one with options=-csearch_path%3D<schema>");
    }
    schema_ = PQgetvalue(res, 0, 0);
    own_pid_ = std::atoi(PQgetvalue(res, 0, 1));
    PQclear(res);
    location_ += "?schema=" + schema_;
    lock_key_ = fnv1a(schema_);

    // One channel per schema: workspaces in other schemas of the database are not woken.
    const std::string channel = "gridgov." + schema_.substr(0, 55);
    char* identifier = PQescapeIdentifier(conn_, channel.c_str(), channel.size());
    char* literal = PQescapeLiteral(conn_, channel.c_str(), channel.size());
    if (identifier == nullptr || literal == nullptr) {
        PQfreemem(identifier);
        PQfreemem(literal);
        fail("session setup", nullptr);
    }
    const std::string listen = std::string("LISTEN ") + identifier;
    channel_literal_ = literal;
    PQfreemem(identifier);
    PQfreemem(literal);
    check_command(PQexec(conn_, listen.c_str()), "LISTEN");
}

void PgConnection::ensure(std::string_view what) {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK)
        return;
    if (in_transaction_) {
        throw Error(ErrorCode::storage, "the connection to PostgreSQL at " + location_ +
                                            " was lost inside a transaction, which the server "
                                            "rolled back: roll it back here before " +
                                            std::string(what));
    }
    last_attempt_ = std::chrono::steady_clock::now();
    connect();
    // Prepared statements went with the old session, and commits may have gone unheard.
    ++generation_;
    ++heard_;
    forgotten_.clear();
}

void PgConnection::check_command(PGresult* res, std::string_view what) {
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(what, res);
    PQclear(res);
}

void PgConnection::fail(std::string_view what, PGresult* res) {
    std::string why = res != nullptr ? trimmed(PQresultErrorMessage(res)) : "";
    if (why.empty())
        why = trimmed(PQerrorMessage(conn_));
    PQclear(res);
    if (PQstatus(conn_) != CONNECTION_OK) {
        throw Error(ErrorCode::storage,
                    "the connection to PostgreSQL at " + location_ + " was lost during " +
                        std::string(what) + ": " + why +
                        (in_transaction_ ? " (the transaction was not committed)" : ""));
    }
    throw Error(ErrorCode::storage, "PostgreSQL error during " + std::string(what) + ": " + why);
}

void PgConnection::exec(std::string_view sql) {
    const std::string s(sql);
    const std::string what = "\"" + s.substr(0, 80) + "\"";
    settle();
    ensure(what);
    drop_forgotten();
    check_command(PQexec(conn_, s.c_str()), what);
}

void PgConnection::exec_noexcept(const char* sql) noexcept {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK)
        PQclear(PQexec(conn_, sql));
}

void PgConnection::begin_read() {
    ensure("BEGIN");
    drop_forgotten();
    check_command(PQexec(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ"), "BEGIN");
    in_transaction_ = true;
}

void PgConnection::begin_write() {
    ensure("BEGIN");
    drop_forgotten();
    const std::string sql = "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(lock_class) +
                            ", " + std::to_string(lock_key_) + ")";
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        exec_noexcept("ROLLBACK");
        fail("taking the workspace's write lock", res);
    }
    PQclear(res);
    in_transaction_ = true;
    writing_ = true;
}

bool PgConnection::try_begin_write() {
    ensure("BEGIN");
    drop_forgotten();
    const std::string sql = "BEGIN; SELECT pg_try_advisory_xact_lock(" +
                            std::to_string(lock_class) + ", " + std::to_string(lock_key_) + ")";
    PGresult* res = PQexec(conn_, sql.c_str());
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        exec_noexcept("ROLLBACK");
        fail("taking the workspace's write lock", res);
    }
    const bool taken = PQntuples(res) == 1 && std::strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!taken) {
        check_command(PQexec(conn_, "ROLLBACK"), "ROLLBACK");
        return false;
    }
    in_transaction_ = true;
    writing_ = true;
    return true;
}

void PgConnection::await_notification(int ms) {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        return;
    }
    const std::int64_t before = heard_;
    drain_notifications();
    if (heard_ != before)
        return;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (poll(&fd, 1, ms) > 0)
        drain_notifications();
}

void PgConnection::commit() {
    try {
        settle();
    } catch (...) {
        rollback();
        throw;
    }
    writing_ = false;
    const std::string sql =
        notify_pending_ ? "SELECT pg_notify(" + channel_literal_ + ", ''); COMMIT" : "COMMIT";
    notify_pending_ = false;
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        in_transaction_ = false;
        fail("COMMIT", nullptr);
    }
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        exec_noexcept("ROLLBACK");
        in_transaction_ = false;
        fail("COMMIT", res);
    }
    PQclear(res);
    in_transaction_ = false;
}

void PgConnection::rollback() noexcept {
    discard_deferred();
    writing_ = false;
    notify_pending_ = false;
    if (!in_transaction_)
        return;
    in_transaction_ = false;
    exec_noexcept("ROLLBACK");
}

void PgConnection::drain_notifications() {
    if (!deferred_.empty() || PQconsumeInput(conn_) == 0)
        return;
    while (PGnotify* n = PQnotifies(conn_)) {
        if (n->be_pid != own_pid_)
            ++heard_;
        PQfreemem(n);
    }
}

std::int64_t PgConnection::data_version() {
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        // Answered from memory while the server is away; tried again once a second.
        const auto now = std::chrono::steady_clock::now();
        if (in_transaction_ || now - last_attempt_ < std::chrono::seconds(1))
            return heard_;
        try {
            ensure("checking for other connections' changes");
        } catch (const Error&) {
            return heard_;
        }
    }
    drain_notifications();
    return heard_;
}

PGresult* PgConnection::run(std::string_view what, const std::string& sql, int params,
                            const unsigned* types, const char* const* values, const int* lengths,
                            const int* formats) {
    settle();
    ensure(what);
    PGresult* res = PQexecParams(conn_, sql.c_str(), params, types, values, lengths, formats, 0);
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(what, res);
    return res;
}

std::string PgConnection::prepare(std::string_view what, const std::string& sql, int params,
                                  const unsigned* types) {
    settle();
    ensure(what);
    std::string name = "gridgov_" + std::to_string(++next_name_);
    check_command(PQprepare(conn_, name.c_str(), sql.c_str(), params, types), what);
    return name;
}

PGresult* PgConnection::run_prepared(std::string_view what, const std::string& name, int params,
                                     const char* const* values, const int* lengths,
                                     const int* formats) {
    settle();
    ensure(what);
    PGresult* res = PQexecPrepared(conn_, name.c_str(), params, values, lengths, formats, 0);
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        fail(what, res);
    return res;
}

bool PgConnection::defer_prepared(std::string_view what, const std::string& name, int params,
                                  const char* const* values, const int* lengths,
                                  const int* formats) {
    if (!writing_ || conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK)
        return false;
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) == 0)
        return false;
    deferred_.emplace_back(what);
    if (PQsendQueryPrepared(conn_, name.c_str(), params, values, lengths, formats, 0) == 0) {
        settle();  // throws what libpq said
        fail(what, nullptr);
    }
    // The answers wait in the server's socket while more is sent: a bounded number of
    // them, so that neither side blocks writing to the other.
    if (deferred_.size() >= 256)
        settle();
    return true;
}

void PgConnection::settle() {
    if (deferred_.empty())
        return;
    std::string failed;  // the first failed statement
    PGresult* error = nullptr;
    if (PQpipelineSync(conn_) != 0) {
        // Each statement answers with its result and a null; the sync with its own.
        std::size_t at = 0;
        int nulls = 0;
        while (nulls < 2 && at <= deferred_.size()) {
            PGresult* res = PQgetResult(conn_);
            if (res == nullptr) {
                ++nulls;
                ++at;
                continue;
            }
            nulls = 0;
            const ExecStatusType status = PQresultStatus(res);
            if (status == PGRES_PIPELINE_SYNC) {
                PQclear(res);
                break;
            }
            if (status == PGRES_FATAL_ERROR && error == nullptr) {
                error = res;
                failed = at < deferred_.size() ? deferred_[at] : deferred_.back();
                continue;
            }
            PQclear(res);
        }
    } else {
        failed = deferred_.front();
    }
    deferred_.clear();
    if (PQexitPipelineMode(conn_) == 0 && error == nullptr && failed.empty())
        failed = "leaving pipeline mode";
    if (error != nullptr || !failed.empty())
        fail(failed, error);
}

void PgConnection::discard_deferred() noexcept {
    if (deferred_.empty())
        return;
    try {
        settle();
    } catch (const Error&) {
        // Its error is the reason for the rollback, or comes too late to matter.
    }
    if (conn_ != nullptr && PQpipelineStatus(conn_) != PQ_PIPELINE_OFF)
        PQexitPipelineMode(conn_);
}

void PgConnection::forget(std::string name, std::uint64_t prepared_on) {
    if (prepared_on == generation_)
        forgotten_.push_back(std::move(name));
}

void PgConnection::drop_forgotten() {
    if (forgotten_.empty() || in_transaction_)
        return;
    std::string sql;
    for (const std::string& name : forgotten_)
        sql += "DEALLOCATE " + name + ";";
    forgotten_.clear();
    exec_noexcept(sql.c_str());
}

// ---- statements -----------------------------------------------------------------------

PgStatement::PgStatement(PgConnection& connection, std::string_view sql)
    : c_(connection), original_(sql.substr(0, 80)) {
    sql_ = pg_placeholders(sql, used_);
    params_.resize(used_.size());
}

PgStatement::~PgStatement() {
    close_result();
    if (!name_.empty())
        c_.forget(std::move(name_), prepared_on_);
}

PgStatement::Param& PgStatement::param(int index) {
    if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
        throw Error(ErrorCode::storage, "bind index " + std::to_string(index) +
                                            " is out of range of \"" + original_ + "\"");
    }
    return params_[static_cast<std::size_t>(index - 1)];
}

void PgStatement::bind_int64(int index, std::int64_t value) {
    Param& p = param(index);
    p.type = int8_oid;
    p.owned.resize(8);
    put_be64(p.owned.data(), static_cast<std::uint64_t>(value));
    p.data = p.owned.data();
    p.size = 8;
}

void PgStatement::bind_double(int index, double value) {
    if (std::isnan(value)) {
        bind_null(index);
        return;
    }
    Param& p = param(index);
    p.type = float8_oid;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    p.owned.resize(8);
    put_be64(p.owned.data(), bits);
    p.data = p.owned.data();
    p.size = 8;
}

void PgStatement::bind_text(int index, std::string_view text, bool copy) {
    Param& p = param(index);
    p.type = text_oid;
    if (copy) {
        p.owned.assign(text.data() != nullptr ? text.data() : "", text.size());
        p.data = p.owned.data();
    } else {
        p.data = text.data() != nullptr ? text.data() : "";
    }
    p.size = text.size();
}

void PgStatement::bind_blob(int index, const void* data, std::size_t size, bool copy) {
    Param& p = param(index);
    p.type = bytea_oid;
    if (copy) {
        p.owned.assign(static_cast<const char*>(data), size);
        p.data = p.owned.data();
    } else {
        p.data = size == 0 ? "" : static_cast<const char*>(data);
    }
    p.size = size;
}

void PgStatement::bind_null(int index) {
    Param& p = param(index);
    p.type = 0;
    p.data = nullptr;
    p.size = 0;
}

PgStatement::Values PgStatement::values() const {
    // Every value goes in binary form, with its type, so that no text is parsed twice and
    // views need no terminating NUL.
    const std::size_t n = params_.size();
    Values v{std::vector<unsigned>(n), std::vector<const char*>(n), std::vector<int>(n),
             std::vector<int>(n, 1)};
    for (std::size_t i = 0; i < n; ++i) {
        // A value the statement does not use still needs a type; text fits.
        v.types[i] = params_[i].type != 0 || used_[i] ? params_[i].type : text_oid;
        v.values[i] = params_[i].data;
        v.lengths[i] = static_cast<int>(params_[i].size);
    }
    return v;
}

bool PgStatement::prepared_for(const Values& v) const {
    if (prepared_on_ != c_.generation() || name_.empty())
        return false;
    for (std::size_t i = 0; i < v.types.size(); ++i) {
        // A NULL fits any type.
        if (v.values[i] != nullptr && v.types[i] != prepared_types_[i])
            return false;
    }
    return true;
}

bool PgStatement::step() {
    if (res_ == nullptr) {
        const Values v = values();
        const std::size_t n = v.types.size();
        const std::string what = "\"" + original_ + "\"";
        const int count = static_cast<int>(n);
        if (++runs_ == 1) {
            res_ = c_.run(what, sql_, count, v.types.data(), v.values.data(), v.lengths.data(),
                          v.formats.data());
        } else {
            // Prepared once it runs again; again when a value's type differs from the one
            // it was prepared with.
            c_.settle();
            c_.ensure(what);
            if (!prepared_for(v)) {
                if (!name_.empty())
                    c_.forget(std::move(name_), prepared_on_);
                prepared_types_.resize(n);
                for (std::size_t i = 0; i < n; ++i) {
                    if (v.values[i] != nullptr || prepared_on_ != c_.generation())
                        prepared_types_[i] = v.types[i];
                }
                name_ = c_.prepare(what, sql_, count, prepared_types_.data());
                prepared_on_ = c_.generation();
            }
            res_ = c_.run_prepared(what, name_, count, v.values.data(), v.lengths.data(),
                                   v.formats.data());
        }
        rows_ = PQntuples(res_);
        row_ = 0;
    } else {
        ++row_;
    }
    if (row_ < rows_)
        return true;
    close_result();  // as SQLite: the next step() runs the statement again
    return false;
}

void PgStatement::run() {
    if (res_ == nullptr && runs_ > 0 && c_.writing()) {
        const Values v = values();
        if (prepared_for(v) &&
            c_.defer_prepared("\"" + original_ + "\"", name_, static_cast<int>(v.types.size()),
                              v.values.data(), v.lengths.data(), v.formats.data())) {
            ++runs_;
            return;
        }
    }
    while (step()) {
    }
    close_result();
}

void PgStatement::close_result() {
    PQclear(res_);
    res_ = nullptr;
    row_ = -1;
    rows_ = 0;
}

void PgStatement::clear_bindings() {
    for (Param& p : params_) {
        p.type = 0;
        p.data = nullptr;
        p.size = 0;
    }
}

const char* PgStatement::value(int col) const {
    return PQgetvalue(res_, row_, col);
}

int PgStatement::column_count() const {
    return res_ != nullptr ? PQnfields(res_) : 0;
}

std::string PgStatement::column_name(int col) const {
    const char* name = res_ != nullptr ? PQfname(res_, col) : nullptr;
    return name != nullptr ? name : "";
}

bool PgStatement::is_null(int col) const {
    return PQgetisnull(res_, row_, col) != 0;
}

ColumnType PgStatement::type(int col) const {
    if (is_null(col))
        return ColumnType::null;
    switch (PQftype(res_, col)) {
        case bool_oid:
        case int2_oid:
        case int4_oid:
        case int8_oid:
            return ColumnType::integer;
        case float4_oid:
        case float8_oid:
        case numeric_oid:
            return ColumnType::real;
        case bytea_oid:
            return ColumnType::blob;
        case text_oid:
        case varchar_oid:
        case bpchar_oid:
        case name_oid:
        default:
            return ColumnType::text;
    }
}

std::int64_t PgStatement::int64(int col) const {
    if (is_null(col))
        return 0;
    const char* v = value(col);
    if (PQftype(res_, col) == bool_oid)
        return v[0] == 't' ? 1 : 0;
    if (PQftype(res_, col) == float8_oid || PQftype(res_, col) == numeric_oid)
        return static_cast<std::int64_t>(std::strtod(v, nullptr));
    return std::strtoll(v, nullptr, 10);
}

double PgStatement::real(int col) const {
    return is_null(col) ? std::nan("") : std::strtod(value(col), nullptr);
}

std::string PgStatement::text(int col) const {
    return std::string(text_view(col));
}

std::string PgStatement::blob(int col) const {
    if (is_null(col))
        return {};
    if (PQftype(res_, col) != bytea_oid)
        return text(col);
    std::size_t size = 0;
    unsigned char* bytes =
        PQunescapeBytea(reinterpret_cast<const unsigned char*>(value(col)), &size);
    if (bytes == nullptr)
        throw Error(ErrorCode::storage, "cannot read a bytea value: out of memory");
    std::string out(reinterpret_cast<const char*>(bytes), size);
    PQfreemem(bytes);
    return out;
}

std::string_view PgStatement::text_view(int col) const {
    if (is_null(col))
        return {};
    return {value(col), static_cast<std::size_t>(PQgetlength(res_, row_, col))};
}

std::string_view PgStatement::blob_view(int col) const {
    if (is_null(col))
        return {};
    if (PQftype(res_, col) != bytea_oid)
        return text_view(col);
    if (decoded_.size() <= static_cast<std::size_t>(col))
        decoded_.resize(static_cast<std::size_t>(col) + 1);
    decoded_[static_cast<std::size_t>(col)] = blob(col);
    return decoded_[static_cast<std::size_t>(col)];
}

}  // namespace gridgov::detail
