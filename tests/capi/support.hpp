// Shared fixtures of the C API contract tests: owning wrappers for the handles every
// suite uses, and a temporary folder for real workspace files. Sees only gridgov.h, like
// the tests themselves.
#ifndef GRIDGOV_TESTS_CAPI_SUPPORT_HPP
#define GRIDGOV_TESTS_CAPI_SUPPORT_HPP

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>

#include "gridgov.h"

namespace capi_test {

struct WorkspaceCloser {
    void operator()(gridgov_workspace* ws) const { gridgov_workspace_close(ws); }
};
struct FindingsDestroyer {
    void operator()(gridgov_findings* f) const { gridgov_findings_destroy(f); }
};
struct Freer {
    void operator()(void* p) const { gridgov_free(p); }
};
using Workspace = std::unique_ptr<gridgov_workspace, WorkspaceCloser>;
using Findings = std::unique_ptr<gridgov_findings, FindingsDestroyer>;
using Text = std::unique_ptr<char, Freer>;

inline std::string last_error() {
    return gridgov_last_error_message();
}

// A folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("gridgov-capi-" + std::to_string(rd()) + "-" + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

}  // namespace capi_test

#endif
