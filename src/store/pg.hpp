// Private PostgreSQL connection and statements behind store/db.hpp (libpq). Not installed;
// only store/db.cpp and store/pg.cpp include it.
#ifndef GRIDGOV_SRC_STORE_PG_HPP
#define GRIDGOV_SRC_STORE_PG_HPP

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.hpp"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace gridgov::detail {

/// One libpq connection to the schema a workspace lives in (the first schema of the
/// connection's search_path). Statements use `?` / `?N` placeholders as with SQLite; the
/// connection rewrites them. A lost connection is opened again on the next operation
/// outside a transaction; inside one, every operation fails until the transaction ends.
class PgConnection {
  public:
    PgConnection(const std::string& conninfo, bool read_only);
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection();

    /// "postgresql://user@host:port/database?schema" without the password.
    const std::string& location() const { return location_; }
    const std::string& schema() const { return schema_; }

    void exec(std::string_view sql);
    void exec_noexcept(const char* sql) noexcept;
    bool in_transaction() const { return in_transaction_; }
    /// Inside begin_write() .. commit() / rollback(): statements may be deferred.
    bool writing() const { return writing_; }

    void begin_read();
    void begin_write();
    bool try_begin_write();
    /// Waits at most `ms` milliseconds for a notification (one more change heard of).
    void await_notification(int ms);
    void commit();
    void rollback() noexcept;
    /// Sends the workspace's notification with the next commit.
    void notify_on_commit() { notify_pending_ = true; }

    /// Counts the commits of other connections it has heard of (LISTEN/NOTIFY), and the
    /// times the connection was opened again (it may have missed some meanwhile).
    std::int64_t data_version();

    /// Opens the connection again when it was lost outside a transaction; throws when it
    /// was lost inside one, or cannot be opened.
    void ensure(std::string_view what);
    /// Which connection this is: prepared statements live as long as their connection.
    std::uint64_t generation() const { return generation_; }

    /// Runs a query; the result is owned by the caller (PQclear).
    PGresult* run(std::string_view what, const std::string& sql, int params, const unsigned* types,
                  const char* const* values, const int* lengths, const int* formats);
    /// Prepares a statement on the current connection and returns its name.
    std::string prepare(std::string_view what, const std::string& sql, int params,
                        const unsigned* types);
    PGresult* run_prepared(std::string_view what, const std::string& name, int params,
                           const char* const* values, const int* lengths, const int* formats);
    /// A prepared statement's name to drop at the next chance (outside a transaction).
    void forget(std::string name, std::uint64_t prepared_on);

    /// Inside a write transaction, sends a prepared statement whose rows nobody reads
    /// without waiting for its answer (libpq's pipeline mode), and returns true; false
    /// when it cannot be deferred (the caller runs it). A deferred statement's error is
    /// thrown by the next operation on the connection, at the latest by commit(), and the
    /// transaction is then rolled back as for any error in it.
    bool defer_prepared(std::string_view what, const std::string& name, int params,
                        const char* const* values, const int* lengths, const int* formats);
    /// Waits for the deferred statements' answers; throws the first one's error.
    void settle();

  private:
    void connect();
    void check_command(PGresult* res, std::string_view what);
    [[noreturn]] void fail(std::string_view what, PGresult* res);
    void drain_notifications();
    void drop_forgotten();
    void discard_deferred() noexcept;

    PGconn* conn_ = nullptr;
    std::string conninfo_;
    std::string location_;
    std::string schema_;
    std::string channel_literal_;  // the notification channel as an SQL literal
    std::int32_t lock_key_ = 0;
    bool read_only_ = false;
    bool in_transaction_ = false;
    bool notify_pending_ = false;
    int own_pid_ = 0;
    std::uint64_t generation_ = 1;  // bumped by every new connection
    std::int64_t heard_ = 0;
    std::uint64_t next_name_ = 0;
    std::vector<std::string> forgotten_;
    bool writing_ = false;               // inside begin_write() .. commit() / rollback()
    std::vector<std::string> deferred_;  // what each deferred statement is, in order
    std::chrono::steady_clock::time_point last_attempt_{};
};

/// A statement on a PgConnection: executed on the first step() after binding; a statement
/// run a second time is prepared on the server and runs from there after.
class PgStatement {
  public:
    PgStatement(PgConnection& connection, std::string_view sql);
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;
    ~PgStatement();

    void bind_int64(int index, std::int64_t value);
    void bind_double(int index, double value);
    void bind_text(int index, std::string_view text, bool copy);
    void bind_blob(int index, const void* data, std::size_t size, bool copy);
    void bind_null(int index);

    bool step();
    /// Runs the statement for its effect only. Inside a write transaction, once prepared,
    /// it is sent without waiting for the answer (PgConnection::defer_prepared).
    void run();
    void close_result();  ///< ends the current run, keeping the bindings
    void clear_bindings();

    int column_count() const;  ///< after the first step()
    std::string column_name(int col) const;
    bool is_null(int col) const;
    ColumnType type(int col) const;
    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    std::string_view text_view(int col) const;
    /// A bytea is decoded into a buffer of the column, valid until the next row.
    std::string_view blob_view(int col) const;

  private:
    mutable std::vector<std::string> decoded_;  // blob_view()'s buffers, by column
    struct Param {
        unsigned type = 0;  // 0: NULL, or left to the server
        int format = 0;     // 0 text, 1 binary
        std::string owned;
        const char* data = nullptr;
        std::size_t size = 0;
    };
    Param& param(int index);
    /// The bound values as libpq takes them.
    struct Values {
        std::vector<unsigned> types;
        std::vector<const char*> values;
        std::vector<int> lengths;
        std::vector<int> formats;
    };
    Values values() const;
    /// Whether the statement is prepared on the current connection for these types.
    bool prepared_for(const Values& v) const;
    const char* value(int col) const;

    PgConnection& c_;
    std::string sql_;
    std::string original_;  // for messages
    std::vector<Param> params_;
    std::vector<bool> used_;
    std::string name_;
    std::uint64_t prepared_on_ = 0;
    std::vector<unsigned> prepared_types_;
    int runs_ = 0;
    PGresult* res_ = nullptr;
    int row_ = -1;
    int rows_ = 0;
    bool done_ = false;
};

/// SQLite's `?` / `?N` placeholders as PostgreSQL's `$N` (outside quoted text); `used[n]`
/// tells whether $n+1 appears (a statement may bind values it does not use).
std::string pg_placeholders(std::string_view sql, std::vector<bool>& used);

}  // namespace gridgov::detail

#endif
