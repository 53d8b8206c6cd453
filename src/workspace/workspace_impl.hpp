// The private state of a Workspace, shared by the store code of every module.
// Not installed; never include from include/gridgov.
#ifndef GRIDGOV_SRC_WORKSPACE_WORKSPACE_IMPL_HPP
#define GRIDGOV_SRC_WORKSPACE_WORKSPACE_IMPL_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "cases/storage.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"
#include "records/model.hpp"
#include "store/assessment_store.hpp"
#include "store/db.hpp"
#include "store/directory_store.hpp"
#include "store/duties_store.hpp"
#include "store/hierarchy_store.hpp"
#include "store/journal_store.hpp"
#include "store/oversight_store.hpp"
#include "store/records_store.hpp"

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
    std::recursive_mutex& connection_mutex() override { return db_mutex; }
    std::recursive_mutex db_mutex;

    // ==== many connections, one truth (docs/deployment.md) ==========================
    detail::JournalStore journal{db};
    /// The last journal sequence this workspace applied.
    std::int64_t applied = 0;
    /// PRAGMA data_version when the journal was last read; -1 before.
    std::int64_t seen_version = -1;
    /// OpenOptions::follow: refresh() before every answer through a face.
    bool follow = true;

    /// When another connection committed since the journal was last read (data_version;
    /// with `ask_journal`, on PostgreSQL, also when the journal's head moved, however late
    /// the notification is), applies what it changed, in one read transaction; true when
    /// the journal had anything new. Nothing while this connection's own transaction is
    /// open or observers run.
    bool refresh(bool ask_journal);
    /// refresh() when the workspace follows other connections on its own.
    void follow_others() {
        if (follow)
            refresh(false);
    }
    /// Whether another connection committed since the journal was last read.
    bool outdated();
    /// Applies the journal entries after `applied` to every module: a module changed by
    /// another connection is read again (the cases: those with new events). Runs inside
    /// the caller's transaction.
    void catch_up();

    // The case engine's write transaction (detail::CaseFile).
    void begin_write() override;
    void commit_write(std::string_view change, EventSeq first, EventSeq last,
                      bool configuration) override;
    void rollback_write() noexcept override;

    /// One change of a module, from its first check to its commit. Every change follows
    /// the same steps for the strong guarantee:
    ///  1. `Write tx(w, what)` refuses the change when the workspace is read-only, begins
    ///     the write transaction (waiting for other connections' writes) and catches
    ///     every module up, so that the change is decided on the current state;
    ///  2. apply the change to a copy of the module's model (a refused change throws
    ///     here, and the destructor rolls the transaction back) and write its rows;
    ///  3. `tx.commit(module)` journals the change as `what` and commits;
    ///  4. move the copy into place with a non-throwing move.
    class Write {
      public:
        Write(Impl& w, std::string_view what);
        Write(const Write&) = delete;
        Write& operator=(const Write&) = delete;
        ~Write();
        /// Journals the change (unless `changed` is false) and commits.
        void commit(detail::JournalModule module, bool changed = true);

      private:
        Impl& w_;
        std::string what_;
        bool open_ = true;
    };

    /// Steps 1 to 3 of Write in one call: `write()` applies the change to a copy and writes
    /// its rows; it returns false when there was nothing to write (no journal entry).
    template <class Write_>
    void write_through(detail::JournalModule module, std::string_view what, Write_&& write) {
        Write tx(*this, what);
        bool changed = true;
        if constexpr (std::is_same_v<decltype(write()), bool>) {
            changed = write();
        } else {
            write();
        }
        tx.commit(module, changed);
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
    /// The base hierarchy and the overlays, for the directory's posts.
    Networks networks() const { return Networks(hierarchy, overlays); }
    detail::HierarchyStore hierarchy_store{db};

    void load_hierarchy();
    /// Applies `apply` to a copy of the current hierarchy, writes the history it recorded
    /// in one transaction and swaps the copy in.
    template <class Apply>
    void change_hierarchy(std::string_view what, Apply&& apply) {
        Hierarchy next;
        write_through(detail::JournalModule::hierarchy, what, [&] {
            next = hierarchy;
            apply(next);
            const std::size_t first_change = hierarchy.history().size();
            if (next.history().size() == first_change)
                return false;
            hierarchy_store.write_rows(next, first_change);
            return true;
        });
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

    // ---- records: src/workspace/records.cpp (the store: src/store/records_store.cpp) ----
    // The text of records stays in the store; `records` holds the compact columns.
    detail::RecordColumns records;
    detail::RecordsStore records_store{db};

    void load_records();

    // ---- duties: src/workspace/duties.cpp (the store: src/store/duties_store.cpp) ----
    DutyCatalogue duty_catalogue;
    std::vector<DutyFulfilment> duty_fulfilments;  ///< in the order recorded
    detail::DutiesStore duties_store{db};

    void load_duties();

    // ---- oversight: src/workspace/oversight.cpp (the store: src/store/oversight_store.cpp) --
    std::vector<Inspection> inspections;  ///< in the order recorded
    std::vector<Promise> promises;        ///< in the order recorded
    std::vector<PromiseRating> promise_ratings;
    std::vector<HazardEntry> hazard_entries;  ///< in the order recorded
    detail::OversightStore oversight_store{db};

    void load_oversight();

    // ==== the faces Workspace hands out ============================================
    WorkspaceHierarchy hierarchy_face{*this};
    WorkspaceDirectory directory_face{*this};
    WorkspaceAssessment assessment_face{*this};
    WorkspaceRecords records_face{*this};
    WorkspaceDuties duties_face{*this};
    WorkspaceOversight oversight_face{*this};
};

}  // namespace gridgov

#endif
