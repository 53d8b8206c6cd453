// The directory's side of a workspace file (src/store/directory_store.cpp): its tables, written
// and read back over the workspace's connection, and directory files read for import.
#ifndef GRIDGOV_SRC_STORE_DIRECTORY_STORE_HPP
#define GRIDGOV_SRC_STORE_DIRECTORY_STORE_HPP

#include <memory>
#include <string>

#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

struct DirectoryStatements;

/// The directory's tables in a workspace file, over its connection; the statements are
/// prepared on first use.
class DirectoryStore {
  public:
    explicit DirectoryStore(Db& db);
    DirectoryStore(const DirectoryStore&) = delete;
    DirectoryStore& operator=(const DirectoryStore&) = delete;
    ~DirectoryStore();

    /// Writes the rows in which `after` differs from `before` (records are only appended
    /// or have their periods closed; people and unit members may be replaced), inside the
    /// caller's transaction.
    void write_rows(const Directory& before, const Directory& after);
    /// The stored directory, read back through the same checked batch calls that built
    /// it; its units and assignments are checked against `hierarchy`. Throws Error naming
    /// the file, the table and the row when what is stored is refused.
    Directory read(const Networks& networks);

  private:
    DirectoryStatements& statements();

    Db& db_;
    std::unique_ptr<DirectoryStatements> sql_;
};

/// A directory file to import: its text, its format (from the extension) and its table.
struct DirectoryFile {
    std::string text;
    DocumentFormat format = DocumentFormat::automatic;
    DirectoryTable table = DirectoryTable::automatic;
};

/// Reads a .json or .csv directory file. For CSV with DirectoryTable::automatic the file's
/// name gives the table (people.csv, 青石村_assignments.csv, ...). Throws Error naming the
/// file when it cannot be read or its kind or table cannot be told.
DirectoryFile read_directory_file(const std::string& file, DirectoryTable table);

}  // namespace gridgov::detail

#endif
