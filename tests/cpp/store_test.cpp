// The store layer's statements inside write transactions, on both stores (suite "store":
// an SQLite file here, a PostgreSQL schema in the cpp_postgresql run). On PostgreSQL the
// statements whose rows nobody reads are sent without waiting for their answers; these
// tests hold that to the same contract as SQLite's: in order, all or nothing, and an error
// that names the statement.
#include <doctest/doctest.h>

#include <gridgov/core.hpp>

#include <cstdint>
#include <string>

#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "store/db.hpp"

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::detail::Db;
using gridgov::detail::Statement;
using gridgov_test::store_location;
using gridgov_test::TempDir;

namespace {

std::int64_t count_rows(Db& db) {
    Statement st = db.prepare("SELECT count(*) FROM items");
    REQUIRE(st.step());
    const std::int64_t n = st.int64(0);
    st.reset();
    return n;
}

void insert(Statement& st, std::int64_t id) {
    st.bind(1, id).bind(2, "item " + std::to_string(id)).run();
}

// A store at `location` with an empty table of items.
Db open_items(const std::string& location) {
    Db db(location, true, false);
    db.exec("CREATE TABLE items (id BIGINT PRIMARY KEY, label TEXT NOT NULL)");
    return db;
}

Statement prepare_insert(Db& db) {
    return db.prepare("INSERT INTO items (id, label) VALUES (?1, ?2)");
}

}  // namespace

TEST_CASE("store.writes.arrive_in_order_and_are_seen_by_the_reads_between_them" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = store_location(dir, "ordered");
    Db db = open_items(location);

    db.begin_write();
    Statement ins = prepare_insert(db);
    // More statements than PostgreSQL's connection leaves unanswered at once, with reads
    // between them: each read sees every write before it.
    for (std::int64_t id = 1; id <= 1000; ++id) {
        insert(ins, id);
        if (id % 300 == 0)
            CHECK(count_rows(db) == id);
    }
    Statement last = db.prepare("SELECT label FROM items WHERE id = ?1");
    last.bind(1, std::int64_t{1000});
    REQUIRE(last.step());
    CHECK(last.text(0) == "item 1000");
    last.reset();
    db.commit();

    // Another connection sees all of them.
    Db other(location, false, true);
    CHECK(count_rows(other) == 1000);
}

TEST_CASE("store.writes.a_failed_statement_fails_the_transaction_and_names_itself" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = store_location(dir, "failed");
    Db db = open_items(location);
    db.begin_write();
    Statement ins = prepare_insert(db);
    for (std::int64_t id = 1; id <= 10; ++id)
        insert(ins, id);
    db.commit();

    // A duplicate among new rows: SQLite refuses it at once, PostgreSQL by commit() at the
    // latest. Either way the error names the statement and the transaction writes nothing.
    std::string message;
    bool reached_commit = false;
    db.begin_write();
    try {
        for (std::int64_t id = 11; id <= 20; ++id)
            insert(ins, id);
        insert(ins, 5);
        for (std::int64_t id = 21; id <= 30; ++id)
            insert(ins, id);
        reached_commit = true;
        db.commit();
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        message = e.what();
        db.rollback();
    }
    CHECK(message.find("INSERT INTO items") != std::string::npos);
    CHECK((message.find("duplicate key") != std::string::npos ||
           message.find("UNIQUE constraint failed") != std::string::npos));
    // PostgreSQL answered the statements it was sent without waiting only at the commit.
    CHECK(reached_commit == (db.dialect() == gridgov::detail::Dialect::postgresql));
    CHECK(!db.in_transaction());
    CHECK(count_rows(db) == 10);

    // The connection goes on: the same statement, a new transaction.
    db.begin_write();
    insert(ins, 11);
    db.commit();
    CHECK(count_rows(db) == 11);
}

TEST_CASE("store.writes.a_rollback_drops_the_writes_not_yet_answered" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = store_location(dir, "rollback");
    Db db = open_items(location);
    Statement ins = prepare_insert(db);
    db.begin_write();
    insert(ins, 1);
    db.commit();

    db.begin_write();
    for (std::int64_t id = 2; id <= 100; ++id)
        insert(ins, id);
    db.rollback();
    CHECK(count_rows(db) == 1);

    // A failed statement followed by a rollback, without a read or commit in between.
    db.begin_write();
    try {
        insert(ins, 1);  // SQLite refuses it here; PostgreSQL has not answered yet
        insert(ins, 200);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
    }
    db.rollback();
    CHECK(count_rows(db) == 1);
    db.begin_write();
    insert(ins, 2);
    db.commit();
    CHECK(count_rows(db) == 2);
}
