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

/// Adds unit `code` of `level` to `overlay`, under `parent` (NULL for a top unit), covering
/// the base node `grid` (NULL for none), named `name` (NULL: the code); returns its id.
inline gridgov_node_id add_overlay_unit(gridgov_workspace* ws, const char* overlay,
                                        const char* code, const char* parent, const char* level,
                                        const char* grid, const char* name = nullptr) {
    gridgov_overlay_unit_spec spec;
    REQUIRE(gridgov_overlay_unit_spec_init(&spec, GRIDGOV_OVERLAY_UNIT_SPEC_VERSION) == GRIDGOV_OK);
    spec.code = code;
    spec.parent_code = parent;
    spec.name = name != nullptr ? name : code;
    spec.level = level;
    spec.grid_count = grid != nullptr ? 1 : 0;
    spec.grid_codes = grid != nullptr ? &grid : nullptr;
    gridgov_node_id id = GRIDGOV_NO_NODE;
    INFO(last_error());
    REQUIRE(gridgov_overlay_add_unit(&id, ws, overlay, &spec) == GRIDGOV_OK);
    return id;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace capi_test

#endif
