// Copying a whole workspace from one database to another (gridgov copy, Workspace::copy).
#ifndef GRIDGOV_SRC_STORE_COPY_HPP
#define GRIDGOV_SRC_STORE_COPY_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/db.hpp"

namespace gridgov::detail {

/// Every table of the latest schema, in creation order (a table after those it refers to).
const std::vector<std::string>& workspace_tables();

/// Copies every row of every table of `from` (a workspace at the latest schema, read
/// inside the caller's read transaction) into `to`, whose tables exist and are empty,
/// inside the caller's write transaction. Rows keep their order where the schema reads
/// them in insertion order. `progress(table, rows)` after each table; returns the rows.
std::int64_t copy_tables(Db& from, Db& to,
                         const std::function<void(const std::string&, std::int64_t)>& progress);

}  // namespace gridgov::detail

#endif
