// Where a persistence test keeps its workspace. By default a file in the test's scratch
// folder; when GRIDGOV_TEST_STORE holds a PostgreSQL connection URI (ctest's *_postgresql
// runs, against the server tests/support/pg_cluster.sh starts), a new schema of that
// database, so that the same test checks both stores.
#ifndef GRIDGOV_TESTS_SUPPORT_TEST_STORE_HPP
#define GRIDGOV_TESTS_SUPPORT_TEST_STORE_HPP

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
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

/// Runs one statement on the test server; throws with the server's message.
inline void test_store_exec(const std::string& url, const std::string& sql) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("test server " + url + ": " + why);
    }
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* res = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    const std::string why = PQresultErrorMessage(res);
    PQclear(res);
    PQfinish(conn);
    if (!ok)
        throw std::runtime_error("test server: " + sql + ": " + why);
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
