// Workspace: opening and versioning the file, and the hierarchy and overlay changes.
#include "gridgov/workspace.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>

#include "store/copy.hpp"
#include "store/schema.hpp"
#include "workspace/hierarchy_file.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {
namespace {

std::string hex32(std::int64_t value) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(value & 0xFFFFFFFF));
    return buf;
}

using FileIdentity = detail::Db::Identity;

bool is_fresh(const FileIdentity& id) {
    return id.application_id == 0 && id.schema == 0 && id.objects == 0;
}

// Refuses foreign files and newer schemas before anything is written to the file.
void check_identity(const FileIdentity& id, const detail::Db& db) {
    const std::string& path = db.path();
    if (is_fresh(id))
        return;
    if (id.application_id != detail::workspace_application_id) {
        if (db.dialect() == detail::Dialect::postgresql) {
            throw Error(ErrorCode::version_mismatch,
                        path + " is not a gridgov workspace: the schema holds " +
                            std::to_string(id.objects) +
                            " objects of another application and no gridgov_schema mark");
        }
        throw Error(ErrorCode::version_mismatch,
                    "file " + path + " is not a gridgov workspace: it is an SQLite database " +
                        "of another application (application_id " + hex32(id.application_id) +
                        ", gridgov writes " + hex32(detail::workspace_application_id) + ")");
    }
    if (id.schema > detail::latest_schema_version()) {
        throw Error(ErrorCode::version_mismatch,
                    db.label() + " was written by a newer gridgov (schema " +
                        std::to_string(id.schema) + ", this library reads up to " +
                        std::to_string(detail::latest_schema_version()) + ")");
    }
}

// Brings the file to the latest schema: every pending migration in one transaction, so
// a file is never left between two versions.
void prepare_schema(Workspace::Impl& w, bool memory, bool create) {
    detail::Db& db = w.db;
    const std::string& path = db.path();
    db.require_database(
        "file " + path + " is not a gridgov workspace: it is not an SQLite database",
        "cannot read workspace file " + path);
    FileIdentity id = db.identity();
    check_identity(id, db);
    if (db.dialect() == detail::Dialect::postgresql && is_fresh(id) && !create) {
        throw Error(ErrorCode::not_found, "no workspace at " + path +
                                              ": the schema is empty (open it with create to "
                                              "make a workspace there)");
    }
    // A read-only file is never written; an in-memory database is private to this
    // connection, so it is initialised even when the workspace refuses changes.
    const bool writable = !w.read_only || memory;
    if (writable && !memory)
        db.share_with_readers();
    if (id.schema == detail::latest_schema_version())
        return;
    if (!writable) {
        throw Error(ErrorCode::version_mismatch,
                    is_fresh(id) ? "file " + path +
                                       " is empty, and a workspace opened read-only cannot be "
                                       "initialised"
                                 : db.label() + " has schema " + std::to_string(id.schema) +
                                       "; open it writable once to upgrade it to schema " +
                                       std::to_string(detail::latest_schema_version()));
    }

    detail::Transaction tx(db);
    // Another connection may have initialised the file since it was read above.
    id = db.identity();
    check_identity(id, db);
    for (const detail::Migration& m : detail::migrations()) {
        if (m.version > id.schema)
            detail::run_migration(db, m);
    }
    if (id.schema == 0) {
        // A new workspace starts with the default levels written down, so that a later
        // library with other defaults still reads this file as it was meant.
        w.hierarchy_store.write_level_scheme(LevelScheme::chinese_default());
    }
    db.set_identity(detail::workspace_application_id, detail::latest_schema_version());
    tx.commit();
}

}  // namespace

// ---- Impl -------------------------------------------------------------------------

Workspace::Impl::Impl(detail::Db db_in, bool read_only_in)
    : db(std::move(db_in)), read_only(read_only_in) {}

Workspace::Impl::~Impl() = default;

void Workspace::Impl::require_writable(std::string_view what) const {
    if (read_only) {
        throw Error(ErrorCode::invalid_state,
                    "workspace " + db.path() + " is open read-only: cannot " + std::string(what));
    }
}

void Workspace::Impl::load() {
    // Modules load in dependency order: later modules refer to nodes of the hierarchy.
    // One read transaction: every module is read from the same state of the file.
    const bool read_tx = !db.in_transaction();
    if (read_tx)
        db.begin_read();
    try {
        seen_version = db.data_version();
        applied = journal.head();
        load_hierarchy();
        load_directory();
        load_cases();
        load_assessment();
        load_records();
        load_duties();
        load_oversight();
        if (read_tx)
            db.commit();
    } catch (...) {
        if (read_tx)
            db.rollback();
        throw;
    }
}

// ---- many connections, one truth ------------------------------------------------------

bool Workspace::Impl::refresh(bool ask_journal) {
    const std::lock_guard<std::recursive_mutex> lock(db_mutex);
    if (db.in_transaction() || (cases && detail::case_engine_notifying(*cases)))
        return false;
    // SQLite knows at once when another connection committed; a PostgreSQL notification
    // may still be on its way, so an explicit refresh asks the journal.
    if (db.data_version() == seen_version &&
        (!ask_journal || db.dialect() == detail::Dialect::sqlite || journal.head() == applied))
        return false;
    const std::int64_t before = applied;
    db.begin_read();
    try {
        catch_up();
        db.commit();
    } catch (...) {
        db.rollback();
        throw;
    }
    return applied != before;
}

bool Workspace::Impl::outdated() {
    const std::lock_guard<std::recursive_mutex> lock(db_mutex);
    return !db.in_transaction() && db.data_version() != seen_version;
}

void Workspace::Impl::catch_up() {
    // The version first: a commit after it is seen by the next refresh.
    seen_version = db.data_version();
    const detail::JournalSince since = journal.since(applied);
    if (!since.any()) {
        applied = since.head;
        return;
    }
    // In the order the modules load: the cases refer to nodes and departments, the
    // directory and the assessment to nodes.
    if (since.hierarchy)
        load_hierarchy();
    if (since.directory)
        load_directory();
    if (since.cases || since.case_config)
        detail::catch_up_case_engine(*cases, since.case_config);
    if (since.assessment)
        load_assessment();
    if (since.records)
        load_records();
    if (since.duties)
        load_duties();
    if (since.oversight)
        load_oversight();
    applied = since.head;
}

void Workspace::Impl::begin_write() {
    if (db.in_transaction()) {
        throw Error(ErrorCode::invalid_state,
                    "workspace " + db.path() +
                        ": a case batch is open: commit or roll it back before changing "
                        "another part of the workspace");
    }
    // While another connection holds the write lock, this one catches up with what the
    // others commit (a read transaction, outside the lock), so that once it has the lock
    // little is left to read under it: a writer never keeps the ones queued behind it
    // waiting while it reads what came before. Nothing to read costs one check.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(detail::busy_timeout_ms);
    for (;;) {
        refresh(false);
        if (db.try_begin_write())
            break;
        if (std::chrono::steady_clock::now() > give_up) {
            throw Error(ErrorCode::storage,
                        db.label() +
                            ": database is locked: another connection has held the "
                            "write lock for " +
                            std::to_string(detail::busy_timeout_ms / 1000) + " seconds");
        }
        db.await_commit(1);
    }
    try {
        catch_up();
    } catch (...) {
        db.rollback();
        throw;
    }
}

void Workspace::Impl::commit_write(std::string_view change, EventSeq first, EventSeq last,
                                   bool configuration) {
    try {
        std::int64_t seq = applied;
        const auto events = first <= last ? std::optional(std::pair(first, last)) : std::nullopt;
        if (configuration)
            seq = journal.append(detail::JournalModule::case_config, change, events);
        else if (events)
            seq = journal.append(detail::JournalModule::cases, change, events);
        db.commit();
        applied = seq;
    } catch (...) {
        db.rollback();
        throw;
    }
}

void Workspace::Impl::rollback_write() noexcept {
    db.rollback();
}

Workspace::Impl::Write::Write(Impl& w, std::string_view what) : w_(w), what_(what) {
    w.require_writable(what);
    w.begin_write();
}

Workspace::Impl::Write::~Write() {
    if (open_)
        w_.rollback_write();
}

void Workspace::Impl::Write::commit(detail::JournalModule module, bool changed) {
    open_ = false;
    try {
        const std::int64_t seq = changed ? w_.journal.append(module, what_) : w_.applied;
        w_.db.commit();
        w_.applied = seq;
    } catch (...) {
        w_.rollback_write();
        throw;
    }
}

// ---- open and identity ------------------------------------------------------------

Workspace Workspace::open(const std::string& path, const OpenOptions& options) {
    if (path.empty()) {
        throw Error(ErrorCode::invalid_argument,
                    "workspace path is empty: name a file, or \":memory:\" for a workspace "
                    "that lives in memory only");
    }
    const bool memory = path == ":memory:";
    if (!memory && !detail::Db::is_postgresql(path)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            if (!options.create) {
                throw Error(ErrorCode::not_found, "workspace file " + path + " does not exist");
            }
            if (options.read_only) {
                throw Error(ErrorCode::not_found, "workspace file " + path +
                                                      " does not exist, and a read-only open "
                                                      "does not create it");
            }
        }
    }
    // An in-memory database is private to this connection: read-only only refuses changes.
    auto impl = std::make_unique<Impl>(
        detail::Db(path, options.create, options.read_only && !memory), options.read_only);
    impl->follow = options.follow;
    prepare_schema(*impl, memory, options.create);
    impl->load();
    return Workspace(std::move(impl));
}

Workspace::CopySummary Workspace::copy(const std::string& from, const std::string& to) {
    if (to.empty() || to == ":memory:") {
        throw Error(ErrorCode::invalid_argument,
                    "copy destination \"" + to +
                        "\" is not a place to keep a workspace: name a new file or an empty "
                        "PostgreSQL schema");
    }
    if (from == to)
        throw Error(ErrorCode::invalid_argument, "copy source and destination are both " + to);
    // The source must open as a workspace at the latest schema whose every module loads.
    OpenOptions read;
    read.create = false;
    read.read_only = true;
    read.follow = false;
    Workspace source = Workspace::open(from, read);

    const bool file = !detail::Db::is_postgresql(to);
    if (file) {
        std::error_code ec;
        if (std::filesystem::exists(to, ec)) {
            throw Error(ErrorCode::already_exists,
                        "copy destination " + to +
                            " exists: a workspace is copied into a new file or an empty "
                            "PostgreSQL schema");
        }
    }
    CopySummary summary;
    try {
        detail::Db target(to, true, false);
        if (target.identity().objects != 0) {
            throw Error(ErrorCode::already_exists,
                        "copy destination " + target.path() +
                            " is not empty: a workspace is copied into a new file or an empty "
                            "PostgreSQL schema");
        }
        detail::Db& origin = source.impl_->db;
        const std::lock_guard<std::recursive_mutex> lock(source.impl_->db_mutex);
        origin.begin_read();
        try {
            detail::Transaction tx(target);
            for (const detail::Migration& m : detail::migrations())
                detail::run_migration(target, m);
            summary.rows = detail::copy_tables(origin, target, {});
            summary.tables = detail::workspace_tables().size();
            target.set_identity(detail::workspace_application_id, detail::latest_schema_version());
            tx.commit();
            origin.commit();
        } catch (...) {
            origin.rollback();
            throw;
        }
        target.share_with_readers();
    } catch (...) {
        if (file) {
            std::error_code ignored;
            for (const char* suffix : {"", "-wal", "-shm", "-journal"})
                std::filesystem::remove(to + suffix, ignored);
        }
        throw;
    }
    return summary;
}

Workspace::Workspace(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

const std::string& Workspace::path() const {
    return impl_->db.path();
}
bool Workspace::read_only() const {
    return impl_->read_only;
}
int Workspace::schema_version() {
    return detail::latest_schema_version();
}
std::int32_t Workspace::application_id() {
    return detail::workspace_application_id;
}

bool Workspace::refresh() {
    return impl_->refresh(true);
}

bool Workspace::outdated() const {
    return impl_->outdated();
}

// ---- hierarchy --------------------------------------------------------------------

// ---- the faces ----------------------------------------------------------------------

WorkspaceHierarchy& Workspace::hierarchy() {
    impl_->follow_others();
    return impl_->hierarchy_face;
}
const WorkspaceHierarchy& Workspace::hierarchy() const {
    impl_->follow_others();
    return impl_->hierarchy_face;
}
WorkspaceDirectory& Workspace::directory() {
    impl_->follow_others();
    return impl_->directory_face;
}
const WorkspaceDirectory& Workspace::directory() const {
    impl_->follow_others();
    return impl_->directory_face;
}
CaseEngine& Workspace::cases() {
    impl_->follow_others();
    return *impl_->cases;
}
const CaseEngine& Workspace::cases() const {
    impl_->follow_others();
    return *impl_->cases;
}
WorkspaceAssessment& Workspace::assessment() {
    impl_->follow_others();
    return impl_->assessment_face;
}
const WorkspaceAssessment& Workspace::assessment() const {
    impl_->follow_others();
    return impl_->assessment_face;
}
WorkspaceRecords& Workspace::records() {
    impl_->follow_others();
    return impl_->records_face;
}
const WorkspaceRecords& Workspace::records() const {
    impl_->follow_others();
    return impl_->records_face;
}

WorkspaceDuties& Workspace::duties() {
    impl_->follow_others();
    return impl_->duties_face;
}
const WorkspaceDuties& Workspace::duties() const {
    impl_->follow_others();
    return impl_->duties_face;
}

WorkspaceOversight& Workspace::oversight() {
    impl_->follow_others();
    return impl_->oversight_face;
}
const WorkspaceOversight& Workspace::oversight() const {
    impl_->follow_others();
    return impl_->oversight_face;
}

const Hierarchy& WorkspaceHierarchy::view() const {
    return impl_->hierarchy;
}

void WorkspaceHierarchy::set_level_scheme(const LevelScheme& levels) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "change the level scheme");
    if (levels.size() == 0) {
        throw Error(ErrorCode::invalid_argument, "a level scheme needs at least one level");
    }
    if (w.hierarchy.id_count() > 0) {
        throw Error(
            ErrorCode::invalid_state,
            "workspace " + impl_->db.path() + " has nodes: its level scheme can no longer change");
    }
    Hierarchy next(levels);
    w.hierarchy_store.write_level_scheme(levels);
    tx.commit(detail::JournalModule::hierarchy);
    w.hierarchy = std::move(next);
}

NodeId WorkspaceHierarchy::add_node(const NodeSpec& spec, Date effective) {
    detail::check_node_spec(spec);
    NodeId id = no_node;
    impl_->change_hierarchy("add node " + spec.code,
                            [&](Hierarchy& h) { id = h.add(spec, effective); });
    return id;
}

std::vector<NodeId> WorkspaceHierarchy::add_nodes(const std::vector<NodeSpec>& specs,
                                                  Date effective) {
    for (const NodeSpec& s : specs)
        detail::check_node_spec(s);
    std::vector<NodeId> ids;
    impl_->change_hierarchy("add nodes", [&](Hierarchy& h) { ids = h.add_all(specs, effective); });
    return ids;
}

void WorkspaceHierarchy::rename_node(NodeId node, const std::string& name, Date effective) {
    detail::check_utf8(name, "the new name");
    impl_->change_hierarchy("rename a node",
                            [&](Hierarchy& h) { h.rename(node, name, effective); });
}

void WorkspaceHierarchy::move_node(NodeId node, NodeId new_parent, Date effective) {
    impl_->change_hierarchy("move a node",
                            [&](Hierarchy& h) { h.move(node, new_parent, effective); });
}

void WorkspaceHierarchy::retire_node(NodeId node, Date effective) {
    impl_->change_hierarchy("retire a node", [&](Hierarchy& h) { h.retire(node, effective); });
}

void WorkspaceHierarchy::set_node_value(NodeId node, std::string_view column, double value,
                                        Date effective) {
    if (column != "households" && column != "population" && column != "area_m2") {
        detail::check_attribute_name(column);
    }
    impl_->change_hierarchy("set a value",
                            [&](Hierarchy& h) { h.set_value(node, column, value, effective); });
}

std::vector<NodeId> WorkspaceHierarchy::split_node(NodeId node, const std::vector<NodeSpec>& parts,
                                                   Date effective) {
    for (const NodeSpec& s : parts)
        detail::check_node_spec(s);
    std::vector<NodeId> ids;
    impl_->change_hierarchy("split a node",
                            [&](Hierarchy& h) { ids = h.split(node, parts, effective); });
    return ids;
}

NodeId WorkspaceHierarchy::merge_nodes(const std::vector<NodeId>& sources, const NodeSpec& merged,
                                       Date effective) {
    detail::check_node_spec(merged);
    NodeId id = no_node;
    impl_->change_hierarchy("merge nodes",
                            [&](Hierarchy& h) { id = h.merge(sources, merged, effective); });
    return id;
}

// ---- overlays ---------------------------------------------------------------------

const std::vector<Overlay>& WorkspaceHierarchy::overlays() const {
    return impl_->overlays;
}

Networks WorkspaceHierarchy::networks() const {
    return impl_->networks();
}

const Overlay& WorkspaceHierarchy::overlay(std::string_view key) const {
    const std::ptrdiff_t i = impl_->find_overlay(key);
    if (i < 0) {
        throw Error(ErrorCode::not_found,
                    "no overlay '" + std::string(key) + "' in workspace " + impl_->db.path());
    }
    return impl_->overlays[static_cast<std::size_t>(i)];
}

void WorkspaceHierarchy::add_overlay(const std::string& key, const std::string& name,
                                     const LevelScheme& unit_levels) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "add overlay " + key);
    detail::check_utf8(key, "the overlay key");
    detail::check_utf8(name, "the name of overlay " + key);
    if (key.empty())
        throw Error(ErrorCode::invalid_argument, "an overlay needs a non-empty key");
    if (unit_levels.size() == 0) {
        throw Error(ErrorCode::invalid_argument, "overlay " + key + " needs at least one level");
    }
    if (w.find_overlay(key) >= 0) {
        throw Error(ErrorCode::already_exists,
                    "overlay '" + key + "' already exists in workspace " + impl_->db.path());
    }
    Overlay overlay(key, name, unit_levels);
    // Reserved up front so that adding it after the commit cannot fail.
    w.overlays.reserve(w.overlays.size() + 1);
    w.hierarchy_store.write_overlay(overlay, w.overlays.size());
    tx.commit(detail::JournalModule::hierarchy);
    w.overlays.push_back(std::move(overlay));
}

NodeId WorkspaceHierarchy::add_overlay_unit(std::string_view overlay_key,
                                            const OverlayUnitSpec& spec) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "add a unit to overlay " + std::string(overlay_key));
    const std::ptrdiff_t i = w.find_overlay(overlay_key);
    if (i < 0) {
        throw Error(ErrorCode::not_found, "no overlay '" + std::string(overlay_key) +
                                              "' in workspace " + impl_->db.path());
    }
    detail::check_utf8(spec.code, "the code of a unit");
    detail::check_utf8(spec.parent_code, "the parent code of unit " + spec.code);
    detail::check_utf8(spec.name, "the name of unit " + spec.code);
    Overlay next = w.overlays[static_cast<std::size_t>(i)];
    const NodeId id = next.add_unit(spec, w.hierarchy);
    w.hierarchy_store.write_overlay_units(next, id);
    tx.commit(detail::JournalModule::hierarchy);
    w.overlays[static_cast<std::size_t>(i)] = std::move(next);
    return id;
}

// ---- validation -------------------------------------------------------------------

std::vector<Finding> WorkspaceHierarchy::validate(const ValidationPolicy& policy) const {
    std::vector<Finding> findings = impl_->hierarchy.validate(policy);
    for (const Overlay& overlay : impl_->overlays) {
        std::vector<Finding> coverage = overlay.coverage(impl_->hierarchy, policy.grid_level);
        findings.insert(findings.end(), std::make_move_iterator(coverage.begin()),
                        std::make_move_iterator(coverage.end()));
    }
    return findings;
}

}  // namespace gridgov

namespace gridgov {

void Workspace::Impl::load_hierarchy() {
    detail::HierarchyStore::Loaded stored = hierarchy_store.load();
    hierarchy = std::move(stored.hierarchy);
    overlays = std::move(stored.overlays);
}

void Workspace::Impl::load_assessment() {
    detail::AssessmentStore::Loaded stored = assessment_store.load();
    activities = std::move(stored.activities);
    scores = std::move(stored.scores);
    flags = std::move(stored.flags);
    flag_schemes = std::move(stored.flag_schemes);
    draws = std::move(stored.draws);
}

std::ptrdiff_t Workspace::Impl::find_overlay(std::string_view key) const {
    for (std::size_t i = 0; i < overlays.size(); ++i) {
        if (overlays[i].key() == key)
            return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
}

}  // namespace gridgov
