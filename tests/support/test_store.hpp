// Where a persistence test keeps its workspace. By default a file in the test's scratch
// folder; when GRIDGOV_TEST_STORE holds a PostgreSQL connection URI (ctest's *_postgresql
// runs, against the server tests/support/pg_cluster.sh starts), a new schema of that
// database, so that the same test checks both stores.
#ifndef GRIDGOV_TESTS_SUPPORT_TEST_STORE_HPP
#define GRIDGOV_TESTS_SUPPORT_TEST_STORE_HPP

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "temp_dir.hpp"

namespace gridgov_test {

/// The PostgreSQL database the store tests run against, or "" for SQLite files.
inline std::string test_store_server() {
    const char* url = std::getenv("GRIDGOV_TEST_STORE");
    return url != nullptr ? std::string(url) : std::string();
}

/// A second, plain connection to a workspace's store (an SQLite file, or a PostgreSQL
/// location): what another program sees in it, and edits behind the library's back.
/// Failures throw with the store's message.
class RawStore {
  public:
    explicit RawStore(const std::string& location)
        : pg_(location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0) {
        if (pg_) {
            conn_ = PQconnectdb(location.c_str());
            if (PQstatus(conn_) != CONNECTION_OK) {
                const std::string why = PQerrorMessage(conn_);
                PQfinish(conn_);
                throw std::runtime_error("test server " + location + ": " + why);
            }
            PQsetNoticeProcessor(
                conn_, [](void*, const char*) {}, nullptr);
        } else if (sqlite3_open(location.c_str(), &db_) != SQLITE_OK) {
            sqlite3_close(db_);
            throw std::runtime_error("cannot open " + location);
        }
    }
    RawStore(const RawStore&) = delete;
    RawStore& operator=(const RawStore&) = delete;
    ~RawStore() {
        if (pg_)
            PQfinish(conn_);
        else
            sqlite3_close(db_);
    }

    bool postgresql() const { return pg_; }

    /// One or more statements.
    void exec(const std::string& sql) {
        if (pg_) {
            PGresult* res = PQexec(conn_, sql.c_str());
            const bool ok =
                PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
            const std::string why = PQresultErrorMessage(res);
            PQclear(res);
            if (!ok)
                throw std::runtime_error(sql + ": " + why);
            return;
        }
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        const std::string why = err != nullptr ? err : "";
        sqlite3_free(err);
        if (rc != SQLITE_OK)
            throw std::runtime_error(sql + ": " + why);
    }
    /// The first column of the first row as text; "" for no row or NULL.
    std::string text(const std::string& sql) {
        if (pg_) {
            PGresult* res = PQexec(conn_, sql.c_str());
            if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                const std::string why = PQresultErrorMessage(res);
                PQclear(res);
                throw std::runtime_error(sql + ": " + why);
            }
            std::string out = PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
            PQclear(res);
            return out;
        }
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    }
    /// The first column of the first row as an integer; -1 for no row.
    std::int64_t integer(const std::string& sql) {
        const std::string t = text(sql);
        return t.empty() ? -1 : std::stoll(t);
    }
    /// The first column of the first row as a number; 0 for no row.
    double number(const std::string& sql) {
        const std::string t = text(sql);
        return t.empty() ? 0 : std::stod(t);
    }

    /// Plants trigger `name`, which refuses every insert into `table` whose new row meets
    /// `when` (an SQL condition on NEW, the same in both dialects; "" for every row) with
    /// `message`. On PostgreSQL the refusal of a row sent without waiting arrives at the
    /// commit.
    void refuse_inserts(const std::string& name, const std::string& table, const std::string& when,
                        const std::string& message = "injected failure") {
        if (pg_) {
            exec("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                 (when.empty() ? "" : "IF " + when + " THEN ") + "RAISE EXCEPTION '" + message +
                 "'; " + (when.empty() ? "" : "END IF; ") + "RETURN NEW; END $$; CREATE TRIGGER " +
                 name + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION " + name +
                 "()");
        } else {
            exec("CREATE TRIGGER " + name + " BEFORE INSERT ON " + table +
                 (when.empty() ? "" : " WHEN " + when) + " BEGIN SELECT RAISE(ABORT, '" + message +
                 "'); END");
        }
    }
    /// Removes what refuse_inserts() planted.
    void drop_refusal(const std::string& name, const std::string& table) {
        exec(pg_ ? "DROP TRIGGER " + name + " ON " + table + "; DROP FUNCTION " + name + "()"
                 : "DROP TRIGGER " + name);
    }

  private:
    bool pg_ = false;
    PGconn* conn_ = nullptr;
    sqlite3* db_ = nullptr;
};

/// Runs statements on the test server; throws with the server's message.
/// Takes a workspace's store back to schema `version` as far as later migrations added
/// tables: drops the tables of migrations 13 (duties), 14 (oversight) and 15 (the log's
/// tree and its heads) above it and sets
/// the stored version, so that opening it runs those migrations again. Changes a test makes
/// to tables of earlier migrations are its own.
inline void downgrade_store(RawStore& raw, int version) {
    if (version < 15) {
        raw.exec("DROP TABLE log_tree_heads");
        raw.exec("DROP TABLE log_tree");
    }
    if (version < 14) {
        raw.exec("DROP TABLE oversight_hazards");
        raw.exec("DROP TABLE oversight_ratings");
        raw.exec("DROP TABLE oversight_promises");
        raw.exec("DROP TABLE oversight_inspections");
    }
    if (version < 13) {
        raw.exec("DROP TABLE duty_catalogue");
        raw.exec("DROP TABLE duty_fulfilments");
    }
    raw.exec(raw.postgresql() ? "UPDATE gridgov_schema SET version = " + std::to_string(version)
                              : "PRAGMA user_version = " + std::to_string(version));
}

inline void test_store_exec(const std::string& url, const std::string& sql) {
    RawStore(url).exec(sql);
}

/// A new, empty PostgreSQL schema of the test server, as a workspace location (the
/// server's database is made anew each time it starts).
inline std::string new_test_schema(const std::string& server) {
    static std::atomic<unsigned> counter{0};
    const std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    test_store_exec(server, "CREATE SCHEMA " + schema);
    return server + (server.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema;
}

/// The location of workspace `name` of one test: dir.file(name), or a new schema.
inline std::string store_location(const TempDir& dir, const std::string& name) {
    const std::string server = test_store_server();
    if (server.empty())
        return dir.file(name);
    return new_test_schema(server);
}

/// Waits until `ws` has heard that another connection committed (at once on SQLite; on
/// PostgreSQL when the notification arrives), for at most five seconds.
template <class Workspace>
bool await_notice(Workspace& ws) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!ws.outdated()) {
        if (std::chrono::steady_clock::now() > give_up)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace gridgov_test

#endif
