// The Workspace: everything gridgov knows about one area, backed by one SQLite file.
//
// A workspace opens a file (or ":memory:"), loads it into memory and writes every change
// through in one transaction: when a change fails, neither the file nor the in-memory
// model changes. The file is identified by PRAGMA application_id and versioned by
// PRAGMA user_version; a newer or foreign file is refused with Error(version_mismatch).
//
// Threading: one writer, many readers. A Workspace may be read from several threads at
// once; a change needs exclusive access. Two Workspace objects may open the same file
// (WAL mode); each sees the other's changes after reopening. A case batch
// (cases().begin_batch()) belongs to the thread that opened it: until it is committed or
// rolled back, the case changes of other threads (commands, ticks, imports, configuration
// changes such as set_categories() or add_calendar_year()) throw Error(invalid_state)
// instead of joining it, and their reads see its uncommitted work. Hold exclusive access
// for the whole batch when threads share a workspace. Changes to the hierarchy, the
// directory and the assessment records are never part of a case batch.
#ifndef GRIDGOV_WORKSPACE_HPP
#define GRIDGOV_WORKSPACE_HPP

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/records.hpp"

namespace gridgov {

struct OpenOptions {
    bool create = true;      ///< create the file when it does not exist
    bool read_only = false;  ///< refuse every change
    /// Apply what other connections (other processes, other Workspace objects) committed
    /// before answering a call through hierarchy(), directory(), cases() or assessment().
    /// With false the workspace applies them only in refresh() and inside its own
    /// changes, which always decide on the current state (docs/deployment.md).
    bool follow = true;
};

/// Formats of hierarchy files. `automatic` picks by extension (.json, .csv, .geojson).
enum class FileFormat : std::uint8_t { automatic = 0, json = 1, csv = 2, geojson = 3 };

/// What an import did.
struct ImportReport {
    std::size_t nodes_added = 0;
    std::size_t overlays_added = 0;
    std::size_t overlay_units_added = 0;
    std::vector<Finding> findings;  ///< validation findings of the result (not fatal)
};

/// Progress of a long operation: done out of total (total 0 = unknown). Return false to
/// cancel; a cancelled operation changes nothing.
using ProgressFn = std::function<bool(std::size_t done, std::size_t total)>;

/// The kinds of activity record files (CSV formats: docs/assessment.md). `automatic`
/// picks by the file's name: the stem is, or ends in "_" followed by, the table's name
/// (households.csv, 青石村_visits.csv).
enum class ActivityTable : std::uint8_t {
    automatic = 0,
    households = 1,
    visits = 2,
    patrols = 3,
    collection = 4,
    attendance = 5,
    tasks = 6,
    ratings = 7,
};
/// "automatic", "households", "visits", "patrols", "collection", "attendance", "tasks",
/// "ratings".
const char* activity_table_name(ActivityTable table) noexcept;
/// The names above; Error(invalid_argument) naming the text.
ActivityTable parse_activity_table(std::string_view text);

/// What an activity import did.
struct ActivityImportReport {
    ActivityTable table = ActivityTable::automatic;  ///< the table the file was read as
    std::size_t records = 0;                         ///< records added
};

/// Which stored scores to read. Empty strings and absent periods match everything; a
/// score matches the range when its period's dates lie inside [from's first day, to's
/// last day].
struct ScoreFilter {
    std::string scheme;
    std::string subject;
    std::optional<AssessmentPeriod> from;
    std::optional<AssessmentPeriod> to;
};

/// A recorded inspection draw as loaded: its label (e.g. the period "2026-03"), the
/// record, and whether re-running it on load gave the recorded picks.
struct StoredDraw {
    std::string label;
    DrawRecord record;
    bool verified = false;
};

/// What WorkspaceAssessment::assess() scores and whether it stores the result. Every face (C,
/// Python, the command line) takes these options; docs/assessment.md ("Assessing a workspace").
struct WorkspaceAssessOptions {
    // The subjects: exactly one of `level`, `departments`, `grid_workers`, `units`,
    // `subjects`.
    /// Every live node of this level ("" = every level).
    std::optional<std::string> level;
    /// Every department of the case engine.
    bool departments = false;
    /// Every person holding post A at a node of `worker_level` during the period, scored
    /// from the workspace's activity records and the cases they reported.
    bool grid_workers = false;
    std::string worker_level = "grid";
    /// grid_workers: only holders of these role codes (empty = any role).
    std::vector<std::string> roles;
    /// Every live unit of this overlay (its key), of `unit_level` when that is not "": the
    /// cases of the grids each unit covers (IndicatorSubjectKind::unit).
    std::string units;
    std::string unit_level;
    /// These node codes or overlay unit places ("fire:F01"), in this order.
    std::vector<std::string> subjects;

    /// Area class of subjects whose node has none (step tables are chosen by it).
    std::string default_area_class;
    /// Values added to or overriding the computed ones, by subject code.
    std::map<std::string, IndicatorValues> extra;
    /// The instant the duty occurrences are read at, for a scheme that reads duty_*
    /// indicators (docs/duties.md); default the end of the period.
    std::optional<Instant> duties_at;
    /// Store the scores (replacing stored scores of the same scheme, subject and period)
    /// and the rule flags raised at the period.
    bool store = false;
};

class WorkspaceHierarchy;
class WorkspaceDirectory;
class WorkspaceAssessment;
class WorkspaceRecords;
class WorkspaceDuties;
class WorkspaceOversight;
class WorkspaceView;

/// A workspace file and the faces of its modules. The Workspace itself only opens the
/// file, brings its schema up to date and hands out one face per module:
///
///     ws.hierarchy()   the grid hierarchy with its overlays (WorkspaceHierarchy)
///     ws.directory()   people, posts, units, absences (WorkspaceDirectory)
///     ws.cases()       the case engine, written through (CaseEngine, cases.hpp)
///     ws.assessment()  activity records, scores, flags, draws, notices (WorkspaceAssessment)
///     ws.records()     residents, households, houses, units, organisations (WorkspaceRecords)
///     ws.duties()      duties on a schedule and their fulfilments (WorkspaceDuties)
///     ws.oversight()   inspections, promises and their ratings, hazards (WorkspaceOversight)
///
/// A face lives as long as its workspace (and moves with it); it cannot be copied.
/// docs/architecture.md shows how the faces map onto the C, Python and CLI faces.
class Workspace {
  public:
    /// Opens or creates a workspace: a file path, ":memory:", or a "postgresql://" URI
    /// naming a schema of a PostgreSQL database (docs/deployment.md). Throws
    /// Error(storage) when the file cannot be opened or the server not reached,
    /// Error(version_mismatch) for a foreign file or schema or a newer schema version,
    /// and Error(not_found) when the file is missing (the schema empty) and
    /// options.create is false.
    static Workspace open(const std::string& path, const OpenOptions& options = {});

    /// What copy() did.
    struct CopySummary {
        std::size_t tables = 0;  ///< tables of the schema, every one copied
        std::int64_t rows = 0;   ///< rows copied in all
    };
    /// Copies a whole workspace, every table row for row, into a new SQLite file or an
    /// empty PostgreSQL schema (`to` as in open()): e.g. from one file onto a server, or
    /// from a server into a file for an analyst. The source is read in one read
    /// transaction (others may go on writing it), is at the latest schema and is left
    /// untouched; the destination is written in one transaction, so that it holds the
    /// whole copy or, on any error, nothing (a file the copy created is removed). The
    /// case log keeps its hash chain, and both open to the same state: their exports are
    /// byte for byte the same. Throws Error(already_exists) when `to` is an existing file
    /// or a schema that holds anything.
    static CopySummary copy(const std::string& from, const std::string& to);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    const std::string& path() const;
    /// Whether the workspace refuses every change (OpenOptions::read_only).
    bool read_only() const;
    /// The schema version this library writes (the file's user_version after open).
    static int schema_version();
    /// The file's PRAGMA application_id.
    static std::int32_t application_id();

    /// Applies what other connections committed since this workspace last looked, in one
    /// read transaction, and tells the case observers of their events; true when there
    /// was anything. Cheap when nothing changed (one PRAGMA data_version).
    bool refresh();
    /// True when another connection has committed since this workspace last applied the
    /// journal (refresh() would apply something, or find that nothing it keeps changed).
    bool outdated() const;

    WorkspaceHierarchy& hierarchy();
    const WorkspaceHierarchy& hierarchy() const;
    WorkspaceDirectory& directory();
    const WorkspaceDirectory& directory() const;
    /// The case engine of the workspace (cases.hpp): every command, batch, tick and
    /// configuration change (workflows, categories, departments, routing, calendar) is
    /// written through to the file; a refused change throws and changes nothing.
    CaseEngine& cases();
    const CaseEngine& cases() const;
    WorkspaceAssessment& assessment();
    const WorkspaceAssessment& assessment() const;
    WorkspaceRecords& records();
    const WorkspaceRecords& records() const;
    WorkspaceDuties& duties();
    const WorkspaceDuties& duties() const;
    WorkspaceOversight& oversight();
    const WorkspaceOversight& oversight() const;

    /// The workspace as `person` sees it through the posts they hold on `on`, reading for
    /// `purpose` (kept in the access log), sensitive values in clear only when `reveal`
    /// asks and a duty allows (WorkspaceView). Throws Error(permission_denied) for a
    /// person not in the directory or without a post on `on`, Error(invalid_argument)
    /// for an empty or multi-line purpose.
    WorkspaceView acting_as(std::string person, Date on, std::string purpose,
                            Reveal reveal = Reveal::masked) const;
    /// The workspace as the system sees it (batch jobs, backups, the library's own
    /// checks): everything, named as the system in the access log.
    WorkspaceView as_system(std::string purpose, Reveal reveal = Reveal::masked) const;

    /// The private state shared by the module stores (src/workspace/workspace_impl.hpp).
    struct Impl;

  private:
    friend class WorkspaceView;
    explicit Workspace(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

/// The hierarchy face: the base hierarchy, its overlays, their changes, validation,
/// import and export. Every change is one transaction with the strong guarantee.
class WorkspaceHierarchy {
  public:
    WorkspaceHierarchy(const WorkspaceHierarchy&) = delete;
    WorkspaceHierarchy& operator=(const WorkspaceHierarchy&) = delete;

    /// The hierarchy as it is now (with its history: Hierarchy::as_of()).
    const Hierarchy& view() const;

    /// Replaces the level scheme while the workspace has no nodes (a new workspace starts
    /// with LevelScheme::chinese_default()). Throws Error(invalid_state) once it has nodes
    /// and Error(invalid_argument) for a scheme without levels.
    void set_level_scheme(const LevelScheme& levels);
    NodeId add_node(const NodeSpec& spec, Date effective = Date::min());
    std::vector<NodeId> add_nodes(const std::vector<NodeSpec>& specs, Date effective = Date::min());
    void rename_node(NodeId node, const std::string& name, Date effective);
    void move_node(NodeId node, NodeId new_parent, Date effective);
    void retire_node(NodeId node, Date effective);
    void set_node_value(NodeId node, std::string_view column, double value, Date effective);
    std::vector<NodeId> split_node(NodeId node, const std::vector<NodeSpec>& parts, Date effective);
    NodeId merge_nodes(const std::vector<NodeId>& sources, const NodeSpec& merged, Date effective);

    // ---- overlays ------------------------------------------------------------------
    const std::vector<Overlay>& overlays() const;
    /// The base hierarchy with the overlays, as the directory's questions take them (posts
    /// on overlay units). Borrows the workspace's state: take it for one question, not
    /// across changes of the hierarchy or the overlays.
    Networks networks() const;
    /// Throws not_found naming the key.
    const Overlay& overlay(std::string_view key) const;
    void add_overlay(const std::string& key, const std::string& name,
                     const LevelScheme& unit_levels);
    NodeId add_overlay_unit(std::string_view overlay_key, const OverlayUnitSpec& spec);

    /// Hierarchy findings plus the coverage findings of every overlay.
    std::vector<Finding> validate(const ValidationPolicy& policy = {}) const;

    // ---- import and export ---------------------------------------------------------
    /// Imports nodes (and, from JSON, overlays) in one transaction. Bad input throws
    /// Error(parse_error / invalid_argument / already_exists / not_found) whose message
    /// names the file, the row (CSV line, JSON array index or GeoJSON feature) and the
    /// field; nothing is imported. Formats: docs/formats.md.
    ImportReport import_file(const std::string& file, FileFormat format = FileFormat::automatic,
                             Date effective = Date::min(), const ProgressFn& progress = {});
    /// The same from text already in memory; `source_name` stands for the file in
    /// messages and, with FileFormat::automatic, gives the format by its extension.
    ImportReport import_text(const std::string& text, FileFormat format,
                             const std::string& source_name = "<text>",
                             Date effective = Date::min(), const ProgressFn& progress = {});
    /// Writes the live hierarchy (JSON also carries overlays; GeoJSON carries the nodes
    /// that have geometry) atomically. Throws Error(storage) when it cannot be written.
    void export_file(const std::string& file, FileFormat format = FileFormat::automatic) const;
    std::string export_text(FileFormat format) const;

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceHierarchy(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The directory face: people, catalogue, units, assignments and absences (directory.hpp).
/// Each change is one transaction: checked on a copy of the directory, written,
/// committed, then swapped in; a refused change throws and changes neither the file nor
/// the model.
class WorkspaceDirectory {
  public:
    WorkspaceDirectory(const WorkspaceDirectory&) = delete;
    WorkspaceDirectory& operator=(const WorkspaceDirectory&) = delete;

    /// The directory as it is now.
    const Directory& view() const;

    /// Throws Error(invalid_state) when an assignment uses a role the catalogue lacks.
    void set_catalogue(const Catalogue& catalogue);
    PersonId add_person(const Person& person);
    std::vector<PersonId> add_people(const std::vector<Person>& people);
    void update_person(const Person& person);
    AssignmentId add_assignment(const Assignment& assignment);
    std::vector<AssignmentId> add_assignments(const std::vector<Assignment>& assignments);
    void end_assignment(AssignmentId id, Date to);
    AbsenceId add_absence(const Absence& absence);
    void end_absence(AbsenceId id, Date to);
    void add_unit(const Unit& unit);
    void end_unit(std::string_view code, Date to);
    void set_unit_members(std::string_view code, const std::vector<std::string>& members);
    /// Imports a .json or .csv directory file (format: docs/directory.md). For CSV with
    /// DirectoryTable::automatic the file's name gives the table (people.csv,
    /// 青石村_assignments.csv). A bad row throws Error naming the file, row and field;
    /// nothing is imported.
    DirectoryImportReport import_file(const std::string& file,
                                      DirectoryTable table = DirectoryTable::automatic);
    DirectoryImportReport import_text(const std::string& text, DocumentFormat format,
                                      DirectoryTable table,
                                      const std::string& source_name = "<text>");

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceDirectory(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The assessment face: activity records, assessing, stored scores, rule flags, inspection
/// draws and public notices. Each change is one transaction with the strong guarantee;
/// docs/assessment.md.
class WorkspaceAssessment {
  public:
    WorkspaceAssessment(const WorkspaceAssessment&) = delete;
    WorkspaceAssessment& operator=(const WorkspaceAssessment&) = delete;

    /// Every activity record of the workspace.
    const ActivityLog& activities() const;
    /// Imports one CSV file of activity records in one transaction. A bad row throws
    /// Error(parse_error / invalid_argument / already_exists / not_found) naming the
    /// file, the row (CSV line) and the field; nothing is imported. A file whose name
    /// gives no table with ActivityTable::automatic is Error(invalid_argument).
    ActivityImportReport import_file(const std::string& file,
                                     ActivityTable table = ActivityTable::automatic,
                                     const ProgressFn& progress = {});
    /// The same from text in memory; `source_name` stands for the file in messages and,
    /// with ActivityTable::automatic, gives the table.
    ActivityImportReport import_text(const std::string& text, ActivityTable table,
                                     const std::string& source_name = "<text>",
                                     const ProgressFn& progress = {});
    void add_household(const Household& household);
    void add_visit(const Visit& visit);
    void add_patrol(const Patrol& patrol);
    void add_collection_check(const CollectionCheck& check);
    void add_attendance(const Attendance& attendance);
    void add_special_task(const SpecialTask& task);
    void add_manual_rating(const ManualRating& rating);

    /// Scores the selected subjects of the workspace for `period` with `scheme` (assess()
    /// over the workspace's cases, hierarchy, activity records, calendar and directory),
    /// with the consecutive-period flags over the stored scores of the scheme of every
    /// other period: a stored score of `period` itself is left out, so that assessing a
    /// stored period again gives what its first assessment would give with the same data.
    /// With options.store the scores and then the flags are stored (one transaction each).
    /// Error(invalid_argument) for a selection that names no kind or more than one, roles
    /// without grid_workers, an unknown level, or options.store on a read-only workspace;
    /// Error(not_found) naming an unknown subject code; errors of assess() and of storing.
    AssessmentRun assess(const AssessmentScheme& scheme, const AssessmentPeriod& period,
                         const WorkspaceAssessOptions& options = {}) const;
    AssessmentRun assess(const AssessmentScheme& scheme, const AssessmentPeriod& period,
                         const WorkspaceAssessOptions& options = {});

    /// Stores scores, each with its explanation tree: a stored score of the same scheme,
    /// subject code and period is replaced. Error(invalid_argument) for a result without
    /// scheme or subject code, or two results of one call with the same scheme, subject
    /// and period; nothing is stored then.
    void store_scores(const std::vector<ScoreResult>& results);
    /// Stored scores matching the filter, ordered by scheme, subject code, then period
    /// (first day, then kind): a subject's trend in order.
    std::vector<ScoreResult> scores(const ScoreFilter& filter = {}) const;
    /// Stores rule flags of a scheme; a stored flag of the same scheme, rule, subject and
    /// period is replaced.
    void store_rule_flags(const std::string& scheme, const std::vector<RuleFlag>& flags);
    /// Stored flags of a scheme ("" = every scheme) and subject ("" = every subject),
    /// ordered by scheme, subject, period, rule.
    std::vector<RuleFlag> rule_flags(const std::string& scheme = "",
                                     const std::string& subject = "") const;
    /// Records an inspection draw under a label. Error(already_exists) for a label
    /// already recorded (draws are never replaced); Error(invalid_argument) for an empty
    /// label or a record that verify_draw() does not confirm.
    void record_draw(const std::string& label, const DrawRecord& record);
    /// Every recorded draw in recording order; `verified` says whether it re-ran to its
    /// recorded picks when the workspace was opened.
    const std::vector<StoredDraw>& draws() const;
    /// The public notice (通报) of the stored scores of `scheme` for exactly `period`,
    /// ranked as stored, with the scheme's stored flags for that period and, unless
    /// options.draw is set, the draw recorded under the period's label (if any).
    std::string notice_html(const AssessmentScheme& scheme, const AssessmentPeriod& period,
                            NoticeOptions options = {}) const;
    /// notice_html() written to a file atomically; Error(storage) when it cannot be written.
    void export_notice(const std::string& file, const AssessmentScheme& scheme,
                       const AssessmentPeriod& period, const NoticeOptions& options = {}) const;

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceAssessment(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The records face: kinds, records with their dated history, questions, findings, import
/// and export (records.hpp, docs/records.md). Each change is one transaction with the
/// strong guarantee; a refused change throws naming the record and the field and changes
/// nothing. Dates: a change takes effect on `effective`, which may not be earlier than the
/// record's last change.
class WorkspaceRecords {
  public:
    WorkspaceRecords(const WorkspaceRecords&) = delete;
    WorkspaceRecords& operator=(const WorkspaceRecords&) = delete;

    /// The kinds records are checked against (a new workspace has the "standard" preset).
    const RecordSchema& schema() const;
    /// Replaces the schema. Refused (invalid_state naming the kind) while records of a kind
    /// it lacks are stored, or when a kind's enumeration drops a value stored records use.
    void set_schema(const RecordSchema& schema);
    /// RecordSchema::extend() on the workspace's schema.
    void extend_schema(const RecordSchema& extension);

    /// Adds records at `effective`. Refused: a key that exists (already_exists), an unknown
    /// kind, field or node, a node that is not live on `effective`, an unknown overlay or
    /// unit, a missing required field, a value of the wrong type or outside its
    /// enumeration (invalid_argument naming the record and field). Returns the findings
    /// of the added records (failed check characters, codes outside their grid ...).
    std::vector<Finding> add(const std::vector<Record>& records, Date effective);
    /// Replaces a record's fields and places (found by key; the kind may not change) at
    /// `effective`: a version "moved" when only the node or overlays changed, else
    /// "changed"; nothing when nothing changed. Returns the findings of the record.
    std::vector<Finding> update(const Record& record, Date effective);
    /// Moves a record to another node (and keeps its fields) at `effective`.
    void move(std::string_view key, NodeId node, Date effective);
    /// Removes a record (moved away, died, closed) at `effective`; it stays in history and
    /// in get(key, date) for earlier dates. A removed key cannot be added again.
    void remove(std::string_view key, Date effective);

    /// Records stored, removed ones included.
    std::size_t size() const;
    /// Live records of a kind ("" = every kind).
    std::size_t count(std::string_view kind = "") const;
    /// Reads of record contents name their reader (RecordReader): a person reads only the
    /// records in the subtrees of the posts they hold on reader.on, and sees sensitive
    /// fields in clear only through a post covering the record whose role's duties reveal
    /// them; the system reads everything. A refused read throws Error(permission_denied)
    /// saying why (no such person, no post covering the record, a sensitive field no duty
    /// reveals) and changes nothing; a reader without a purpose, or naming both a person
    /// and the system, is invalid_argument. A read showing sensitive values in clear is
    /// written to the access log first (one entry per record), in its own transaction:
    /// on a read-only workspace such a read is refused (invalid_state).

    /// The record as it is now (nullopt when the key is unknown or the record removed), or
    /// as it stood at the end of `on` (nullopt before it was added or after its removal).
    /// A person reads it when a post covers the node of the version read.
    std::optional<Record> get(const RecordReader& reader, std::string_view key,
                              std::optional<Date> on = std::nullopt) const;
    /// Every version of a record, oldest first. Throws Error(not_found) naming the key. A
    /// person reads it when a post covers the node of its last version.
    std::vector<RecordVersion> history(const RecordReader& reader, std::string_view key) const;
    /// Live records whose lookup or reference field `field` holds `value` (an ID number, a
    /// house code, a credit code, a household's key ...), in key order; for a person, those
    /// their posts cover. Throws Error(invalid_argument) naming a field that is neither
    /// lookup nor reference.
    std::vector<Record> find(const RecordReader& reader, std::string_view field,
                             std::string_view value) const;
    /// Live records matching the filter, in the order they were added; for a person, those
    /// their posts cover.
    std::vector<Record> list(const RecordReader& reader, const RecordFilter& filter = {}) const;
    /// Keys of the live records matching the filter, in the order they were added.
    std::vector<std::string> keys(const RecordFilter& filter = {}) const;

    /// Per-node subtree totals over the live records of `kind`, indexed by NodeId
    /// (hierarchy().view().id_count() entries; 0 for retired nodes) in one pass: with no
    /// field, how many records; with an enumeration field and a value, how many hold it;
    /// with an integer or number field and no value, the sum of its values.
    std::vector<double> roll_up(std::string_view kind, std::string_view field = "",
                                std::string_view value = "") const;

    /// Findings over every live record on `on` (rules: docs/records.md): check characters,
    /// house codes against their grid, households without a head, rented houses without
    /// tenants, references to unknown or removed records, records on retired nodes,
    /// required fields a later schema added, derived fields that disagree; with a policy,
    /// also the officer loads it names (records.officer_load). Error(not_found) naming an
    /// unknown overlay or kind of a load rule, Error(invalid_argument) naming a field that
    /// is not an enumeration of the kind.
    std::vector<Finding> validate(Date on, const RecordValidationPolicy& policy = {}) const;

    /// Imports a .csv file (one kind: `kind`, or the file's name: residents.csv,
    /// 青石村_house.csv) or a .json document (docs/records.md) at `effective`, all or
    /// nothing: records with new keys are added, existing keys updated. A bad row throws
    /// Error naming the file, the row and the field; a CSV file without a required
    /// field's column is refused naming it.
    RecordImportReport import_file(const std::string& file, std::string_view kind = "",
                                   Date effective = Date::min(), const ProgressFn& progress = {});
    /// The same from text; `source_name` stands for the file in messages and, with an
    /// empty kind, names the kind.
    RecordImportReport import_text(const std::string& text, DocumentFormat format,
                                   std::string_view kind = "",
                                   const std::string& source_name = "<text>",
                                   Date effective = Date::min(), const ProgressFn& progress = {});
    /// The live records of a kind as CSV in the import format (columns key, node, overlays,
    /// then the kind's fields), or of a kind ("" = every kind) as JSON, for a person those
    /// their posts cover; sensitive fields masked unless the reader reveals them. Node
    /// codes stand for nodes.
    std::string export_text(const RecordReader& reader, DocumentFormat format,
                            std::string_view kind = "") const;
    /// export_text() written atomically (format from the extension with `automatic`).
    void export_file(const RecordReader& reader, const std::string& file,
                     std::string_view kind = "",
                     DocumentFormat format = DocumentFormat::automatic) const;

    /// The access log: entries after `after_seq`, oldest first, at most `limit` (0 = all).
    std::vector<RecordAccess> access_log(std::int64_t after_seq = 0, std::size_t limit = 0) const;
    /// Re-computes the access log's hash chain from its first entry.
    AccessLogCheck verify_access_log() const;
    /// The access log as CSV or JSON (record_access_log_text()), written atomically
    /// (format from the extension with `automatic`).
    void export_access_log(const std::string& file,
                           DocumentFormat format = DocumentFormat::automatic) const;

    /// 四实 collection quality (docs/records.md): draws `count` live records of `kind` in
    /// the subtree of `within` (no_node = everywhere) with the audited draw — candidates
    /// in key order, one stratum per node holding candidates (its code), `seed` —, for an
    /// inspector to visit. Error(not_found) for an unknown kind, Error(invalid_argument)
    /// as draw() (e.g. fewer candidates than `count` or than strata).
    DrawRecord draw_check(std::string_view kind, NodeId within, std::size_t count,
                          std::uint64_t seed) const;
    /// Records a field check. Refused, changing nothing (invalid_argument naming the
    /// finding and member): an empty or taken label (already_exists), a draw that
    /// verify_draw() does not confirm, a finding at a record the draw did not pick, a
    /// finding without its record (or not_collected with one), an unknown record, a
    /// record found twice in one round. Each finding's grid is its drawn record's node on
    /// the round's date.
    void record_check(const CheckRound& round);
    /// The rounds in the order recorded.
    std::vector<CheckRound> checks() const;
    /// Collection quality per node and month over the rounds dated in [from, to]: one
    /// entry per node with a finding in its subtree (grids and every ancestor), months
    /// ascending, nodes in pre-order.
    std::vector<CheckRates> check_rates(Date from = Date::min(), Date to = Date::max()) const;
    /// The rates of `period` as indicator values by node code, for AssessOptions::extra:
    /// info_sampled, info_checked, info_correct, info_not_collected,
    /// info_not_deregistered, info_wrong (counts), info_collection_rate and
    /// info_accuracy_rate (%); sources are the drawn records. Every live node is present
    /// (a node without checks: counts 0, rates undefined).
    std::map<std::string, IndicatorValues> check_indicators(const AssessmentPeriod& period) const;

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceRecords(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The duties face: the workspace's duty catalogue and the fulfilments recorded, kept in the
/// file (and journalled, so that every process sees them), and their occurrences over the
/// workspace's directory, networks and working calendar. Each change is one transaction
/// with the strong guarantee; docs/duties.md.
class WorkspaceDuties {
  public:
    WorkspaceDuties(const WorkspaceDuties&) = delete;
    WorkspaceDuties& operator=(const WorkspaceDuties&) = delete;

    /// The duty catalogue (empty, key "", until one is set).
    const DutyCatalogue& catalogue() const;
    /// Replaces the catalogue. Error(invalid_argument) naming the first error-level
    /// finding of DutyCatalogue::validate() against the directory's catalogue and the
    /// workspace's networks; Error(invalid_state) naming a schedule that recorded
    /// fulfilments name and the new catalogue lacks. Nothing changes on error.
    void set_catalogue(const DutyCatalogue& catalogue);

    /// Every fulfilment recorded, in the order recorded.
    const std::vector<DutyFulfilment>& fulfilments() const;
    /// Records fulfilments in one transaction. Refused whole, naming "fulfilments[i]" and
    /// the field: an empty id or one already recorded or repeated (Error(already_exists)),
    /// a duty not in the catalogue, a place that is not a live node or overlay unit, a
    /// person unknown to the directory (Error(not_found)), an occurrence label not of the
    /// duty's recurrence (Error(invalid_argument)).
    void add_fulfilments(const std::vector<DutyFulfilment>& fulfilments);

    /// duty_occurrences() of the catalogue and the fulfilments over the workspace's
    /// directory, networks and the case engine's working calendar.
    std::vector<DutyOccurrence> occurrences(const AssessmentPeriod& period, Instant as_of) const;

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceDuties(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The oversight face: the inspections recorded (against the draws of the assessment face),
/// the promises made for matters of the case engine with their ratings, and the hazard
/// entries beside the hazards' cases, kept in the
/// file and journalled; each change is one transaction with the strong guarantee, and a
/// refused change throws naming the element ("inspections[2]") and the field and changes
/// nothing. docs/oversight.md.
class WorkspaceOversight {
  public:
    WorkspaceOversight(const WorkspaceOversight&) = delete;
    WorkspaceOversight& operator=(const WorkspaceOversight&) = delete;

    /// Every inspection recorded, in the order recorded.
    const std::vector<Inspection>& inspections() const;
    /// Records inspections in one transaction. Refused whole: an empty id or one recorded
    /// or repeated (already_exists); a draw label not recorded, a subject that is not a
    /// pick of its draw, or without a draw not a live node, overlay unit, department,
    /// person or live record; an inspector not in the directory; a finding charged to none
    /// of these (not_found); an empty item, a negative deduction (invalid_argument).
    void add_inspections(const std::vector<Inspection>& inspections);
    /// inspection_tasks() of the draw recorded under `label`; Error(not_found) naming it.
    std::vector<InspectionTask> tasks(const std::string& label) const;

    /// Every promise recorded, in the order recorded (each with its place resolved).
    const std::vector<Promise>& promises() const;
    /// Records promises in one transaction. Refused whole: an empty id or one recorded or
    /// repeated (already_exists); an unknown case, a team that is not a live record, a
    /// place that is not a live node (not_found); an empty `what`, a promised day before
    /// the day it was made, a promise made after its matter closed (invalid_argument).
    void add_promises(const std::vector<Promise>& promises);
    /// Every rating recorded, in the order recorded.
    const std::vector<PromiseRating>& ratings() const;
    /// Records ratings in one transaction. Refused whole: an unknown promise (not_found), a
    /// second score of a promise by the same rater (already_exists), a score outside
    /// 0–100, a rating dated before its promise (invalid_argument).
    void rate_promises(const std::vector<PromiseRating>& ratings);
    /// promise_progress() of the workspace's promises over its case engine.
    std::vector<PromiseProgress> progress(Instant as_of) const;
    /// promise_board() of the month, read at the month's end (or `as_of` when earlier).
    PromiseBoard board(const AssessmentPeriod& month, const std::string& place = "",
                       std::optional<Instant> as_of = std::nullopt) const;

    /// Every hazard entry recorded, in the order recorded.
    const std::vector<HazardEntry>& hazard_entries() const;
    /// Records hazard entries in one transaction. Refused whole: an empty, recorded or
    /// repeated id (already_exists); an unknown case, a person not in the directory, a
    /// record that is not live, a found_by that is neither an inspection nor a duty
    /// fulfilment (not_found); an entry dated before its case was reported or after it
    /// closed, a record other than the one the hazard already belongs to, a deadline
    /// before the entry's day, a progress outside 0–100 (invalid_argument).
    void add_hazard_entries(const std::vector<HazardEntry>& entries);
    /// hazards_of() the entries over the workspace's case engine.
    std::vector<Hazard> hazards(Instant as_of) const;

  private:
    friend struct Workspace::Impl;
    explicit WorkspaceOversight(Workspace::Impl& impl) : impl_(&impl) {}
    Workspace::Impl* impl_;
};

/// The workspace as one caller sees it: a person on a day (Workspace::acting_as) or the
/// system (Workspace::as_system), with the purpose of the reads. A person sees the cases,
/// people, records, scores and pages of the ground their posts on that day cover: the
/// subtree of each post on the base hierarchy, the grids of each post on an overlay unit
/// (and of the units beneath it), as responsibility is inherited downward. The system
/// sees everything. Sensitive values (a person's phone and ID number, a record's
/// sensitive fields) are masked unless the caller asked for them in clear (Reveal) and a
/// duty of a post covering them reveals them (Duty::reveals: "person.phone",
/// "person.id_number", "person", "resident.id_number", "*", ...; the system may); every
/// read that shows one in clear is appended to the access log first (who, whose entry,
/// which fields, when, why), a hash chain (WorkspaceRecords::verify_access_log).
///
/// A view holds no state of its own beyond the caller: each read checks the caller's posts
/// on the day against the workspace as it is then, so a post ended or added is seen at
/// once. A refused read throws Error(permission_denied) naming the caller and what they
/// may not see, and changes nothing. A view refers to the Workspace object it came from:
/// it must not outlive that object nor be used once the object was moved from (unlike the
/// module faces, which move with it); it may be copied. Reads that reveal write the access
/// log, so on a read-only workspace they are refused (invalid_state).
class WorkspaceView {
  public:
    /// Who is reading, and why (RecordReader: person or system, purpose, reveal, day).
    const RecordReader& caller() const { return caller_; }
    /// The workspace read.
    const Workspace& workspace() const { return *ws_; }
    /// The places of the caller's posts on the day: base node codes and "overlay:unit"
    /// codes; empty for the system.
    std::vector<std::string> scope() const;
    /// Whether the caller's posts cover the ground of base node `node`.
    bool covers(NodeId node) const;

    // ---- cases ---------------------------------------------------------------------
    /// Cases matching the filter whose node the caller covers (CaseEngine::select).
    std::vector<CaseId> select_cases(const CaseFilter& filter = {}) const;
    /// A case by number; Error(not_found) for an unknown number, Error(permission_denied)
    /// for a case the caller does not cover (the same for both to a person: nothing tells
    /// them a number exists outside their ground).
    CaseRecord get_case(std::string_view number) const;
    /// The case's events, oldest first; refused as get_case().
    std::vector<CaseEvent> case_events(std::string_view number) const;

    // ---- directory -----------------------------------------------------------------
    /// The people holding posts on the day on ground the caller covers (the caller among
    /// them), in directory order, phones and ID numbers masked unless revealed.
    std::vector<Person> people() const;
    /// One of people(); Error(permission_denied) for anyone else.
    Person person(std::string_view id) const;

    // ---- records (WorkspaceRecords, read as this caller) ------------------------------
    std::optional<Record> record(std::string_view key, std::optional<Date> on = std::nullopt) const;
    std::vector<Record> records(const RecordFilter& filter = {}) const;
    std::vector<Record> find_records(std::string_view field, std::string_view value) const;

    // ---- pages ---------------------------------------------------------------------
    /// The public notice of the stored scores (WorkspaceAssessment::notice_html) with
    /// only the subjects the caller covers: nodes, people holding posts there, departments
    /// attached there, overlay units the caller holds posts on or under.
    std::string notice_html(const AssessmentScheme& scheme, const AssessmentPeriod& period,
                            NoticeOptions options = {}) const;
    /// Whether a score subject (a node, person, department or "overlay:unit" code) is
    /// one the caller covers.
    bool covers_subject(std::string_view code) const;

  private:
    friend class Workspace;
    WorkspaceView(const Workspace& ws, RecordReader caller);
    const Workspace* ws_;
    RecordReader caller_;
};

}  // namespace gridgov

#endif  // GRIDGOV_WORKSPACE_HPP
