// Private RAII wrapper around the database, shared by every module's store code: an SQLite
// file, or a schema of a PostgreSQL database (store/pg.hpp). Statements are written once,
// in the SQL both accept, with SQLite's `?` / `?N` placeholders. Not installed; never
// include from include/gridgov.
#ifndef GRIDGOV_SRC_STORE_DB_HPP
#define GRIDGOV_SRC_STORE_DB_HPP

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gridgov/core.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace gridgov::detail {

class PgConnection;
class PgStatement;

/// Which database a connection talks to.
enum class Dialect { sqlite, postgresql };

/// How long a connection waits for another connection's write transaction (a case batch
/// of another process holds one until it commits) before its own write fails.
inline constexpr int busy_timeout_ms = 60000;

/// The storage class of a column's value in the current row.
enum class ColumnType { integer, real, text, blob, null };

/// A column's value of whatever storage class, as stored (copies between stores, the
/// conversions of migrations).
struct ColumnValue {
    ColumnType type = ColumnType::null;
    std::int64_t integer = 0;
    double real = 0;
    std::string bytes;  // a text or a blob
};

/// A column's value of whatever storage class, its bytes not copied (valid until the
/// statement steps, resets or reads the column another way).
struct ColumnView {
    ColumnType type = ColumnType::null;
    std::int64_t integer = 0;
    double real = 0;
    std::string_view bytes;  // a text or a blob
};

/// A prepared statement. Bind with 1-based indexes; step() returns true while rows come.
class Statement {
  public:
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);  ///< NaN binds NULL
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) {
        return bind(index, std::string_view(text));
    }
    /// Binds without copying: `text` must stay alive and unchanged until the statement
    /// has run (the case store binds the rows of a commit from buffers it keeps).
    Statement& bind_view(int index, std::string_view text);
    Statement& bind_null(int index);
    Statement& bind_blob(int index, const void* data, std::size_t size);
    /// Binds without copying, as bind_view().
    Statement& bind_blob_view(int index, const void* data, std::size_t size);
    /// Binds `value` with its storage class, without copying, as bind_view().
    Statement& bind_value(int index, const ColumnValue& value);

    /// Advances; true when a row is available. Throws Error(storage) on failure.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();  ///< resets and clears bindings

    int column_count() const;
    std::string column_name(int col) const;
    bool is_null(int col) const;
    ColumnType type(int col) const;
    std::int64_t int64(int col) const;
    int int32(int col) const { return static_cast<int>(int64(col)); }
    double real(int col) const;  ///< NULL reads as NaN
    std::string text(int col) const;
    std::string blob(int col) const;
    /// The text of a column without copying: valid until the next step() or reset().
    std::string_view text_view(int col) const;
    /// The bytes of a blob without copying, as text_view().
    std::string_view blob_view(int col) const;
    /// A column's value with its storage class, in one look-up of the column.
    ColumnView view(int col) const;
    /// The same, its bytes copied.
    ColumnValue value(int col) const;

  private:
    friend class Db;
    Statement(sqlite3* db, std::string_view sql);
    explicit Statement(std::unique_ptr<PgStatement> pg);

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    std::unique_ptr<PgStatement> pg_;
};

/// One connection. An SQLite file is opened with foreign keys on; its journal mode is left
/// to the owner: Workspace::open switches files to WAL only after checking they are
/// workspaces, so that a foreign file is never modified. A location starting with
/// "postgresql://" or "postgres://" is a libpq connection URI: the workspace lives in the
/// first schema of the connection's search_path.
class Db {
  public:
    Db(const std::string& location, bool create, bool read_only);
    Db(Db&&) noexcept;
    Db& operator=(Db&&) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db();

    /// True for the locations Db opens on PostgreSQL.
    static bool is_postgresql(std::string_view location);

    Dialect dialect() const { return pg_ ? Dialect::postgresql : Dialect::sqlite; }
    /// The file's path, or the PostgreSQL location without its password.
    const std::string& path() const { return path_; }
    /// How messages name the workspace: "workspace file F", or "workspace L" on PostgreSQL.
    std::string label() const { return (pg_ ? "workspace " : "workspace file ") + path_; }
    bool read_only() const { return read_only_; }

    /// Runs one or more statements without results; throws Error(storage) naming the SQL.
    void exec(std::string_view sql);
    /// Runs a statement whose failure has no remedy (ROLLBACK on the way out of an error).
    void exec_noexcept(const char* sql) noexcept;
    Statement prepare(std::string_view sql);
    /// True while a transaction is open on this connection.
    bool in_transaction() const;
    /// Changes when another connection commits to the workspace, never for this
    /// connection's own commits: SQLite's PRAGMA data_version; on PostgreSQL, the
    /// notifications heard from other connections.
    std::int64_t data_version();

    /// A read transaction: every statement until commit() sees one state (SQLite's
    /// deferred BEGIN; on PostgreSQL, REPEATABLE READ).
    void begin_read();
    /// A write transaction, holding the workspace's write lock from the start, so that
    /// what it reads next is the last committed state and stays so until it ends (SQLite's
    /// BEGIN IMMEDIATE; on PostgreSQL, a transaction-scoped advisory lock of the schema).
    void begin_write();
    /// begin_write() when no other connection holds the write lock: true, and the write
    /// transaction has begun; false, and nothing has, when another one holds it.
    bool try_begin_write();
    /// Waits at most `ms` milliseconds for another connection to commit: on PostgreSQL
    /// until its notification arrives, on SQLite (which has none) the whole time.
    void await_commit(int ms);
    void commit();
    void rollback() noexcept;
    /// On PostgreSQL, wakes the other connections' followers when this transaction
    /// commits (they learn of SQLite commits from data_version() alone).
    void notify_on_commit();

    /// What the database says about itself, before anything is written to it.
    struct Identity {
        std::int64_t application_id = 0;  ///< 0 when the database holds no mark
        std::int64_t schema = 0;          ///< the schema version written with the mark
        std::int64_t objects = 0;         ///< tables, indexes, ... of any application
    };
    Identity identity();
    /// Marks the database as a workspace of the given schema version (SQLite's
    /// application_id and user_version; on PostgreSQL, the table gridgov_schema).
    void set_identity(std::int64_t application_id, int schema);
    /// Lets readers work beside a writer: an SQLite file goes to WAL journal mode.
    void share_with_readers();
    /// "SQLite database" or "PostgreSQL schema", for messages.
    const char* kind_name() const;

    /// Reads the file's header (SQLite reads it lazily, on the first statement). Throws
    /// Error(version_mismatch) `not_database` when the file is not a database, and
    /// Error(storage) "<unreadable>: <SQLite's message>" when it cannot be read.
    void require_database(const std::string& not_database, const std::string& unreadable);

    /// Throws Error(storage) with SQLite's message and the operation named.
    [[noreturn]] void fail(std::string_view operation) const;

  private:
    sqlite3* db_ = nullptr;
    std::unique_ptr<PgConnection> pg_;
    std::string path_;
    bool read_only_ = false;
    std::optional<Statement> data_version_;  // prepared on first use
};

/// Db::begin_write() on construction; rollback in the destructor unless commit() ran.
/// Inside a transaction already open on the connection it is passive: the outer
/// transaction commits or rolls back what it wrote.
class Transaction {
  public:
    explicit Transaction(Db& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

  private:
    Db& db_;
    bool done_ = false;
    bool nested_ = false;
};

/// Db::begin_read() on construction, ended in the destructor: several statements of an
/// SQLite file read one state and pay for one read transaction (its locks are system
/// calls). Passive inside an open transaction, and on PostgreSQL, where BEGIN and its end
/// would add two round trips to statements that are each one.
class ReadTransaction {
  public:
    explicit ReadTransaction(Db& db);
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    ~ReadTransaction();

  private:
    Db& db_;
    bool nested_ = false;
};

}  // namespace gridgov::detail

#endif
