// The private state of a Workspace, shared by the store code of every module.
// Not installed; never include from include/gridgov.
#ifndef GRIDGOV_SRC_WORKSPACE_WORKSPACE_IMPL_HPP
#define GRIDGOV_SRC_WORKSPACE_WORKSPACE_IMPL_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cases/storage.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"
#include "store/assessment_store.hpp"
#include "store/db.hpp"
#include "store/directory_store.hpp"
#include "store/hierarchy_store.hpp"

namespace gridgov {

/// Also the file its case engine writes through to (detail::CaseFile).
struct Workspace::Impl final : detail::CaseFile {
    Impl(detail::Db db, bool read_only);
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl();

    // ==== storage, shared by every module =========================================
    detail::Db db;
    bool read_only = false;

    /// Throws Error(invalid_state) naming the file and `what` when the workspace is
    /// read-only.
    void require_writable(std::string_view what) const override;
    detail::Db& connection() override { return db; }

    /// Runs `write()` in one transaction and commits it. On any error the transaction
    /// rolls back and the error propagates. Every change follows the same steps for the
    /// strong guarantee: apply the change to a copy of the module's model (a refused
    /// change throws here, before anything is written), write_through() the rows, then
    /// move the copy into place with a non-throwing move.
    template <class Write>
    void write_through(Write&& write) {
        detail::Transaction tx(db);
        write();
        tx.commit();
    }

    /// Reads the state of every module from the file; Workspace::open calls it once.
    /// Each module's load step runs here, in the order its data depends on.
    void load();

    // ==== module state ==============================================================
    // One block per module: its in-memory model, its store (src/store/<module>_store.hpp,
    // given only the connection or a narrow interface of this workspace; it prepares its
    // statements on first use) and its load step, a member function called from load() in
    // workspace.cpp. The module's tables go into migration 1 in src/store/schema.cpp.
    // Models are replaced only after a commit, never edited in place.

    // ---- hierarchy and overlays: src/store/hierarchy_store.cpp ----
    Hierarchy hierarchy;
    std::vector<Overlay> overlays;
    detail::HierarchyStore hierarchy_store{db};

    void load_hierarchy();
    /// Applies `apply` to a copy of the hierarchy, writes the history it recorded in one
    /// transaction and swaps the copy in.
    template <class Apply>
    void change_hierarchy(std::string_view what, Apply&& apply) {
        require_writable(what);
        Hierarchy next = hierarchy;
        apply(next);
        const std::size_t first_change = hierarchy.history().size();
        if (next.history().size() != first_change) {
            write_through([&] { hierarchy_store.write_rows(next, first_change); });
        }
        hierarchy = std::move(next);
    }
    /// Index of the overlay with this key in `overlays`, or -1.
    std::ptrdiff_t find_overlay(std::string_view key) const;

    // ---- directory: src/workspace/directory.cpp (the store: src/store/directory_store.cpp) ----
    Directory directory;
    detail::DirectoryStore directory_store{db};

    void load_directory();
    /// Applies `apply` to a copy of the directory, writes what it changed in one
    /// transaction and swaps the copy in.
    void change_directory(std::string_view what, const std::function<void(Directory&)>& apply);

    // ---- cases: src/workspace/cases.cpp (the store: src/store/case_store.cpp) ----
    // The engine writes through on its own (commands, batches, configuration) to this
    // workspace as its detail::CaseFile, with its own prepared statements; it refers to
    // `hierarchy` and `directory` above, so it is declared after them.
    std::unique_ptr<CaseEngine> cases;

    void load_cases();

    // ---- assessment: src/workspace/assessment.cpp (the store: src/store/assessment_store.cpp)
    // ----
    ActivityLog activities;
    std::vector<ScoreResult> scores;  ///< ordered as Workspace::scores() returns them
    std::vector<RuleFlag> flags;      ///< with flag_schemes[i] the scheme of flags[i]
    std::vector<std::string> flag_schemes;
    std::vector<StoredDraw> draws;
    detail::AssessmentStore assessment_store{db};

    void load_assessment();

    // ==== the faces Workspace hands out ============================================
    WorkspaceHierarchy hierarchy_face{*this};
    WorkspaceDirectory directory_face{*this};
    WorkspaceAssessment assessment_face{*this};
};

}  // namespace gridgov

#endif
