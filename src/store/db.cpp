#include "store/db.hpp"

#include <sqlite3.h>

#include <cmath>
#include <utility>

namespace gridgov::detail {
namespace {

[[noreturn]] void throw_storage(sqlite3* db, std::string_view operation) {
    std::string msg = "SQLite error during " + std::string(operation);
    if (db != nullptr) {
        msg += ": ";
        msg += sqlite3_errmsg(db);
    }
    throw Error(ErrorCode::storage, msg);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK) {
        throw_storage(db, "prepare of \"" + std::string(sql.substr(0, 80)) + "\"");
    }
}

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(o.db_, nullptr);
        stmt_ = std::exchange(o.stmt_, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    const int rc = std::isnan(value) ? sqlite3_bind_null(stmt_, index)
                                     : sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    // A null data pointer would bind SQL NULL; an empty view is an empty string.
    const char* data = text.data() != nullptr ? text.data() : "";
    if (sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_view(int index, std::string_view text) {
    const char* data = text.data() != nullptr ? text.data() : "";
    if (sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_STATIC) !=
        SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_blob_view(int index, const void* data, std::size_t size) {
    if (sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_STATIC) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT) != SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string sql = sqlite3_sql(stmt_) != nullptr ? sqlite3_sql(stmt_) : "";
    sqlite3_reset(stmt_);
    throw_storage(db_, "\"" + sql.substr(0, 80) + "\"");
}

void Statement::run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
ColumnType Statement::type(int col) const {
    switch (sqlite3_column_type(stmt_, col)) {
        case SQLITE_INTEGER:
            return ColumnType::integer;
        case SQLITE_FLOAT:
            return ColumnType::real;
        case SQLITE_TEXT:
            return ColumnType::text;
        case SQLITE_BLOB:
            return ColumnType::blob;
        default:
            return ColumnType::null;
    }
}

std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(stmt_, col);
}

double Statement::real(int col) const {
    return is_null(col) ? std::nan("") : sqlite3_column_double(stmt_, col);
}

std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string Statement::blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

Db::Db(const std::string& path, bool create, bool read_only) : path_(path), read_only_(read_only) {
    int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
    if (create && !read_only)
        flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(create ? ErrorCode::storage : ErrorCode::not_found,
                    "cannot open workspace \"" + path + "\": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    if (sqlite3_exec(db_, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr) != SQLITE_OK) {
        const std::string msg = sqlite3_errmsg(db_);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(ErrorCode::storage, "cannot open workspace \"" + path + "\": " + msg);
    }
}

Db::Db(Db&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      path_(std::move(o.path_)),
      read_only_(o.read_only_),
      data_version_(std::move(o.data_version_)) {}

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
        path_ = std::move(o.path_);
        read_only_ = o.read_only_;
        data_version_ = std::move(o.data_version_);
    }
    return *this;
}

Db::~Db() {
    sqlite3_close_v2(db_);
}

void Db::exec(std::string_view sql) {
    const std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = "SQLite error during \"" + s.substr(0, 80) + "\": ";
        msg += err != nullptr ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw Error(ErrorCode::storage, msg);
    }
}

void Db::exec_noexcept(const char* sql) noexcept {
    sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

std::int64_t Db::pragma_int(std::string_view name) {
    Statement st(db_, "PRAGMA " + std::string(name));
    return st.step() ? st.int64(0) : 0;
}

void Db::require_database(const std::string& not_database, const std::string& unreadable) {
    const int probe =
        sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if ((probe & 0xff) == SQLITE_NOTADB)
        throw Error(ErrorCode::version_mismatch, not_database);
    if (probe != SQLITE_OK)
        throw Error(ErrorCode::storage, unreadable + ": " + sqlite3_errmsg(db_));
}

std::int64_t Db::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

void Db::fail(std::string_view operation) const {
    throw_storage(db_, operation);
}

bool Db::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Db::data_version() {
    if (!data_version_)
        data_version_.emplace(db_, "PRAGMA data_version");
    // Reset after reading: a statement left on its row would hold a read transaction, and
    // a later BEGIN IMMEDIATE would fail on its stale snapshot.
    Statement& st = *data_version_;
    const std::int64_t version = st.step() ? st.int64(0) : 0;
    st.reset();
    return version;
}

Transaction::Transaction(Db& db) : db_(db), nested_(db.in_transaction()) {
    if (!nested_)
        db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!done_ && !nested_)
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    if (!nested_)
        db_.exec("COMMIT");
    done_ = true;
}

}  // namespace gridgov::detail
