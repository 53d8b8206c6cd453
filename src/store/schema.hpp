// The workspace file's schema: an ordered list of migrations. Schema version N is the
// state after migrations 1..N; the file's PRAGMA user_version holds N.
#ifndef GRIDGOV_SRC_STORE_SCHEMA_HPP
#define GRIDGOV_SRC_STORE_SCHEMA_HPP

#include <cstdint>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace gridgov::detail {

/// PRAGMA application_id of every workspace file: "GRDV" in ASCII.
inline constexpr std::int32_t workspace_application_id = 0x47524456;

/// One step from schema version `version - 1` to `version`.
struct Migration {
    int version;
    const char* sql;  ///< one or more statements, run inside the caller's transaction
    /// Rewrites the rows `sql` prepared for, when their new form takes more than SQL.
    void (*convert)(Db&) = nullptr;
    const char* sql_after = nullptr;  ///< statements run after convert
};

/// Every migration, in order; migrations()[i].version == i + 1.
const std::vector<Migration>& migrations();

/// The schema version this library writes: the version of the last migration.
int latest_schema_version();

/// Statements written for SQLite as the given database takes them.
std::string migration_sql(const std::string& sql, Dialect dialect);

/// Migration 3's conversion: the JSON flags, counters and clocks of every case row into
/// the compact columns (store/case_store.cpp).
void compact_case_rows(Db& db);
/// Migration 5's conversion: every event of case_events_4 into the compact case_events,
/// its names into case_names (store/case_store.cpp).
void compact_case_events(Db& db);
/// Migration 6's conversion: every case of cases_5 into cases, its names by id.
void case_rows_by_name(Db& db);
/// Migration 11's conversion: every record's column values packed into records.packed
/// (store/records_store.cpp).
void pack_record_columns(Db& db);

/// Runs migration `m` on `db` (inside the caller's transaction): its statements, its
/// conversion, then its closing statements.
void run_migration(Db& db, const Migration& m);

}  // namespace gridgov::detail

#endif
