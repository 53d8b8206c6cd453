// What the case engine needs of the workspace file it writes through to, and how a
// workspace hands its file to a case engine.
#ifndef GRIDGOV_SRC_CASES_STORAGE_HPP
#define GRIDGOV_SRC_CASES_STORAGE_HPP

#include <memory>
#include <string_view>

#include "gridgov/cases.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

/// The workspace file a case engine writes through to, as the workspace provides it: its
/// connection, and its refusal of changes when it is open read-only. The case store reads
/// and writes through nothing else.
class CaseFile {
  public:
    virtual Db& connection() = 0;
    /// Throws Error(invalid_state) naming the file and `what` when it may not be written.
    virtual void require_writable(std::string_view what) const = 0;

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
                                             CaseFile& file);

}  // namespace gridgov::detail

#endif
