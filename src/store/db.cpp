#include "store/db.hpp"

#include <sqlite3.h>

#include "store/pg.hpp"

#include <chrono>
#include <cmath>
#include <thread>
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

Statement::Statement(std::unique_ptr<PgStatement> pg) : pg_(std::move(pg)) {}

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)),
      stmt_(std::exchange(o.stmt_, nullptr)),
      pg_(std::move(o.pg_)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(o.db_, nullptr);
        stmt_ = std::exchange(o.stmt_, nullptr);
        pg_ = std::move(o.pg_);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (pg_) {
        pg_->bind_int64(index, value);
        return *this;
    }
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (pg_) {
        pg_->bind_double(index, value);
        return *this;
    }
    const int rc = std::isnan(value) ? sqlite3_bind_null(stmt_, index)
                                     : sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    if (pg_) {
        pg_->bind_text(index, text, true);
        return *this;
    }
    // A null data pointer would bind SQL NULL; an empty view is an empty string.
    const char* data = text.data() != nullptr ? text.data() : "";
    if (sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_view(int index, std::string_view text) {
    if (pg_) {
        pg_->bind_text(index, text, false);
        return *this;
    }
    const char* data = text.data() != nullptr ? text.data() : "";
    if (sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_STATIC) !=
        SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_blob_view(int index, const void* data, std::size_t size) {
    if (pg_) {
        pg_->bind_blob(index, data, size, false);
        return *this;
    }
    if (sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_STATIC) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (pg_) {
        pg_->bind_null(index);
        return *this;
    }
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
        throw_storage(db_, "bind");
    return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
    if (pg_) {
        pg_->bind_blob(index, data, size, true);
        return *this;
    }
    if (sqlite3_bind_blob64(stmt_, index, data, size, SQLITE_TRANSIENT) != SQLITE_OK) {
        throw_storage(db_, "bind");
    }
    return *this;
}

bool Statement::step() {
    if (pg_)
        return pg_->step();
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
    if (pg_) {
        pg_->run();
        return;
    }
    while (step()) {
    }
    sqlite3_reset(stmt_);
}

void Statement::reset() {
    if (pg_) {
        pg_->close_result();
        pg_->clear_bindings();
        return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const {
    if (pg_)
        return pg_->column_count();
    return sqlite3_column_count(stmt_);
}

std::string Statement::column_name(int col) const {
    if (pg_)
        return pg_->column_name(col);
    const char* name = sqlite3_column_name(stmt_, col);
    return name != nullptr ? name : "";
}

bool Statement::is_null(int col) const {
    if (pg_)
        return pg_->is_null(col);
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
ColumnType Statement::type(int col) const {
    if (pg_)
        return pg_->type(col);
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
    if (pg_)
        return pg_->int64(col);
    return sqlite3_column_int64(stmt_, col);
}

double Statement::real(int col) const {
    if (pg_)
        return pg_->real(col);
    return is_null(col) ? std::nan("") : sqlite3_column_double(stmt_, col);
}

std::string Statement::text(int col) const {
    return std::string(text_view(col));
}

std::string Statement::blob(int col) const {
    if (pg_)
        return pg_->blob(col);  // decoded once, not into the column's buffer first
    return std::string(blob_view(col));
}

std::string_view Statement::text_view(int col) const {
    if (pg_)
        return pg_->text_view(col);
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr
               ? std::string_view()
               : std::string_view(reinterpret_cast<const char*>(p),
                                  static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::string_view Statement::blob_view(int col) const {
    if (pg_)
        return pg_->blob_view(col);
    const void* p = sqlite3_column_blob(stmt_, col);
    return p == nullptr
               ? std::string_view()
               : std::string_view(static_cast<const char*>(p),
                                  static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

ColumnView Statement::view(int col) const {
    ColumnView v;
    if (pg_) {
        v.type = type(col);
        if (v.type == ColumnType::integer)
            v.integer = int64(col);
        else if (v.type == ColumnType::real)
            v.real = real(col);
        else if (v.type == ColumnType::text)
            v.bytes = text_view(col);
        else if (v.type == ColumnType::blob)
            v.bytes = blob_view(col);
        return v;
    }
    sqlite3_value* value = sqlite3_column_value(stmt_, col);
    switch (sqlite3_value_type(value)) {
        case SQLITE_INTEGER:
            v.type = ColumnType::integer;
            v.integer = sqlite3_value_int64(value);
            break;
        case SQLITE_FLOAT:
            v.type = ColumnType::real;
            v.real = sqlite3_value_double(value);
            break;
        case SQLITE_TEXT:
        case SQLITE_BLOB: {
            v.type = sqlite3_value_type(value) == SQLITE_TEXT ? ColumnType::text : ColumnType::blob;
            const void* p = sqlite3_value_blob(value);
            if (p != nullptr)
                v.bytes = std::string_view(static_cast<const char*>(p),
                                           static_cast<std::size_t>(sqlite3_value_bytes(value)));
            break;
        }
        default:
            break;
    }
    return v;
}

ColumnValue Statement::value(int col) const {
    const ColumnView view = this->view(col);
    ColumnValue v;
    v.type = view.type;
    v.integer = view.integer;
    v.real = view.real;
    v.bytes = std::string(view.bytes);
    return v;
}

Statement& Statement::bind_value(int index, const ColumnValue& v) {
    switch (v.type) {
        case ColumnType::integer:
            return bind(index, v.integer);
        case ColumnType::real:
            return bind(index, v.real);
        case ColumnType::text:
            return bind_view(index, v.bytes);
        case ColumnType::blob:
            return bind_blob_view(index, v.bytes.data(), v.bytes.size());
        case ColumnType::null:
            break;
    }
    return bind_null(index);
}

bool Db::is_postgresql(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

Db::Db(const std::string& path, bool create, bool read_only) : path_(path), read_only_(read_only) {
    if (is_postgresql(path)) {
        pg_ = std::make_unique<PgConnection>(path, read_only);
        path_ = pg_->location();
        return;
    }
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
      pg_(std::move(o.pg_)),
      path_(std::move(o.path_)),
      read_only_(o.read_only_),
      data_version_(std::move(o.data_version_)) {}

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
        pg_ = std::move(o.pg_);
        path_ = std::move(o.path_);
        read_only_ = o.read_only_;
        data_version_ = std::move(o.data_version_);
    }
    return *this;
}

Db::~Db() {
    data_version_.reset();
    sqlite3_close_v2(db_);
}

Statement Db::prepare(std::string_view sql) {
    if (pg_)
        return Statement(std::make_unique<PgStatement>(*pg_, sql));
    return Statement(db_, sql);
}

void Db::exec(std::string_view sql) {
    if (pg_) {
        pg_->exec(sql);
        return;
    }
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
    if (pg_) {
        pg_->exec_noexcept(sql);
        return;
    }
    sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

void Db::require_database(const std::string& not_database, const std::string& unreadable) {
    if (pg_)
        return;  // the connection was made in the constructor
    const int probe =
        sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if ((probe & 0xff) == SQLITE_NOTADB)
        throw Error(ErrorCode::version_mismatch, not_database);
    if (probe != SQLITE_OK)
        throw Error(ErrorCode::storage, unreadable + ": " + sqlite3_errmsg(db_));
}

void Db::fail(std::string_view operation) const {
    if (pg_)
        throw Error(ErrorCode::storage, "PostgreSQL error during " + std::string(operation));
    throw_storage(db_, operation);
}

bool Db::in_transaction() const {
    if (pg_)
        return pg_->in_transaction();
    return sqlite3_get_autocommit(db_) == 0;
}

std::int64_t Db::data_version() {
    if (pg_)
        return pg_->data_version();
    if (!data_version_)
        data_version_.emplace(prepare("PRAGMA data_version"));
    // Reset after reading: a statement left on its row would hold a read transaction, and
    // a later BEGIN IMMEDIATE would fail on its stale snapshot.
    Statement& st = *data_version_;
    const std::int64_t version = st.step() ? st.int64(0) : 0;
    st.reset();
    return version;
}

void Db::begin_read() {
    if (pg_)
        pg_->begin_read();
    else
        exec("BEGIN");
}

void Db::begin_write() {
    if (pg_)
        pg_->begin_write();
    else
        exec("BEGIN IMMEDIATE");
}

bool Db::try_begin_write() {
    if (pg_)
        return pg_->try_begin_write();
    sqlite3_busy_timeout(db_, 0);
    const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    if (rc == SQLITE_OK)
        return true;
    if ((rc & 0xff) == SQLITE_BUSY)  // BUSY_RECOVERY, BUSY_SNAPSHOT, ... too
        return false;
    throw_storage(db_, "BEGIN IMMEDIATE");
}

void Db::await_commit(int ms) {
    if (pg_)
        pg_->await_notification(ms);
    else
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void Db::commit() {
    if (pg_)
        pg_->commit();
    else
        exec("COMMIT");
}

void Db::rollback() noexcept {
    if (pg_)
        pg_->rollback();
    else
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Db::notify_on_commit() {
    if (pg_)
        pg_->notify_on_commit();
}

Db::Identity Db::identity() {
    Identity id;
    if (pg_) {
        Statement objects = prepare(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
            "n.oid = c.relnamespace WHERE n.nspname = current_schema()");
        id.objects = objects.step() ? objects.int64(0) : 0;
        Statement marked = prepare(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
            "n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = "
            "'gridgov_schema'");
        if (marked.step() && marked.int64(0) > 0) {
            Statement mark = prepare("SELECT application_id, version FROM gridgov_schema");
            if (mark.step()) {
                id.application_id = mark.int64(0);
                id.schema = mark.int64(1);
            }
        }
        return id;
    }
    Statement app = prepare("PRAGMA application_id");
    id.application_id = app.step() ? app.int64(0) : 0;
    Statement version = prepare("PRAGMA user_version");
    id.schema = version.step() ? version.int64(0) : 0;
    Statement objects = prepare("SELECT count(*) FROM sqlite_master");
    id.objects = objects.step() ? objects.int64(0) : 0;
    return id;
}

void Db::set_identity(std::int64_t application_id, int schema) {
    if (pg_) {
        exec(
            "CREATE TABLE IF NOT EXISTS gridgov_schema (application_id BIGINT NOT NULL, "
            "version BIGINT NOT NULL)");
        exec("DELETE FROM gridgov_schema");
        Statement st =
            prepare("INSERT INTO gridgov_schema (application_id, version) VALUES (?, ?)");
        st.bind(1, application_id).bind(2, static_cast<std::int64_t>(schema));
        st.run();
        return;
    }
    exec("PRAGMA application_id = " + std::to_string(application_id));
    exec("PRAGMA user_version = " + std::to_string(schema));
}

void Db::share_with_readers() {
    if (!pg_)
        exec("PRAGMA journal_mode = WAL");
}

const char* Db::kind_name() const {
    return pg_ ? "PostgreSQL schema" : "SQLite database";
}

Transaction::Transaction(Db& db) : db_(db), nested_(db.in_transaction()) {
    if (!nested_)
        db_.begin_write();
}

Transaction::~Transaction() {
    if (!done_ && !nested_)
        db_.rollback();
}

void Transaction::commit() {
    if (!nested_)
        db_.commit();
    done_ = true;
}

ReadTransaction::ReadTransaction(Db& db)
    : db_(db), nested_(db.in_transaction() || db.dialect() == Dialect::postgresql) {
    if (!nested_)
        db_.begin_read();
}

ReadTransaction::~ReadTransaction() {
    // Nothing was written: ending the read by a rollback cannot lose anything.
    if (!nested_)
        db_.rollback();
}

}  // namespace gridgov::detail
