// What the case engine needs of the workspace file it writes through to, and how a
// workspace hands its file to a case engine.
#ifndef GRIDGOV_SRC_CASES_STORAGE_HPP
#define GRIDGOV_SRC_CASES_STORAGE_HPP

#include <memory>
#include <mutex>
#include <string_view>

#include "gridgov/cases.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

/// The workspace file a case engine writes through to, as the workspace provides it: its
/// connection, its refusal of changes when it is open read-only, and the write
/// transaction in which every change is decided. The case store reads and writes through
/// nothing else.
class CaseFile {
  public:
    virtual Db& connection() = 0;
    /// Taken by every use of the connection that may happen on several threads at once
    /// (reads of the stored log, the check for other connections' commits): the
    /// connection is opened without SQLite's own mutex. Recursive: catching up reads the
    /// log while it holds it.
    virtual std::recursive_mutex& connection_mutex() = 0;
    /// Throws Error(invalid_state) naming the file and `what` when it may not be written.
    virtual void require_writable(std::string_view what) const = 0;
    /// Begins the write transaction (waiting for another connection's to end) and applies
    /// what other connections committed since this workspace last looked, to every
    /// module, this engine included: the change about to be decided sees the current
    /// state. Throws Error(storage) and leaves no transaction open when either fails.
    virtual void begin_write() = 0;
    /// Records the change in the journal, with the range of events it appended
    /// (first > last: none), and commits. Throws Error(storage) and rolls back on failure.
    virtual void commit_write(std::string_view change, EventSeq first, EventSeq last,
                              bool configuration) = 0;
    /// Rolls the write transaction back.
    virtual void rollback_write() noexcept = 0;

  protected:
    ~CaseFile() = default;
};

struct CaseStatements;

/// A case engine's hold on its workspace file: the file, and the statements prepared on
/// its connection (on first use, kept until the engine goes).
class CaseStore {
  public:
    explicit CaseStore(CaseFile& file);
    CaseStore(const CaseStore&) = delete;
    CaseStore& operator=(const CaseStore&) = delete;
    ~CaseStore();

    Db& db() const { return file_.connection(); }
    CaseFile& file() const { return file_; }
    std::recursive_mutex& connection_mutex() const { return file_.connection_mutex(); }
    void require_writable(std::string_view what) const { file_.require_writable(what); }
    CaseStatements& statements();

  private:
    CaseFile& file_;
    std::unique_ptr<CaseStatements> statements_;
};

/// A case engine over `hierarchy` and `directory` that writes through to `file`, holding
/// the configuration, cases and head of the log stored there. Throws Error(storage)
/// naming the file when what is stored is refused.
std::unique_ptr<CaseEngine> load_case_engine(const Hierarchy& hierarchy, const Directory& directory,
                                             const std::vector<Overlay>& overlays, CaseFile& file);

/// Brings a workspace's engine up to what other connections committed (the journal says
/// its cases, or with `configuration` its configuration, changed), then gives their
/// events to its observers. Runs inside the workspace's transaction.
void catch_up_case_engine(CaseEngine& engine, bool configuration);

/// True while the engine's observers run: the workspace then answers from what it has.
bool case_engine_notifying(const CaseEngine& engine);

}  // namespace gridgov::detail

#endif
