// Shared fixtures of the C API contract tests: owning wrappers for the handles every
// suite uses, and a temporary folder for real workspace files. Sees only gridgov.h, like
// the tests themselves.
#ifndef GRIDGOV_TESTS_CAPI_SUPPORT_HPP
#define GRIDGOV_TESTS_CAPI_SUPPORT_HPP

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>

#include "../support/temp_dir.hpp"
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
using gridgov_test::TempDir;

/// The text a call handed out through `out` (freed here), after checking it succeeded;
/// takes the address, so that the call's result is read after the call has run.
inline std::string text_of(int rc, char** out) {
    const Text owned(*out);
    *out = nullptr;
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    REQUIRE(owned != nullptr);
    return owned.get();
}

/// text_of() read as JSON (members in document order).
inline nlohmann::ordered_json json_of(int rc, char** out) {
    return nlohmann::ordered_json::parse(text_of(rc, out));
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace capi_test

#endif
