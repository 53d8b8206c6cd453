// The case engine (案卷引擎): runs every reported matter through its workflow, keeps the
// tamper-evident event log, the stage clocks and their traffic lights, and answers
// queries over all cases.
//
// A case is created by `report` and moved by commands (workflow.hpp: Command,
// CaseCommand). Each command is checked against the case's workflow version
// (WorkflowSpec::candidates), against the directory on the command's date (who holds
// which role at the case's node or above, who belongs to the assigned department) and
// against the payload it must carry; a refused command throws and changes nothing. An
// accepted command appends one immutable event to the log: global sequence, case, type,
// from and to state, actor, instant, payload (JSON text), the SHA-256 of the previous
// event and its own SHA-256 over a canonical encoding of all of these (docs/cases.md).
//
// Two ways to hold an engine:
//  - standalone: `CaseEngine(hierarchy, directory)` keeps cases and the whole log in
//    memory and writes nothing (simulation, tests, tools);
//  - in a workspace: `Workspace::cases()` is an engine whose every change is written
//    through to the workspace file; the case rows and the events of one command (or one
//    batch) are committed in one SQLite transaction. If the write fails, the engine in
//    memory goes back to what it was before the command or batch.
//
// Time: every instant is a gridgov Instant; commands must come in non-decreasing time per
// case (cases are independent of one another). The engine starts no threads and reads no
// clock: the host calls tick(now) to turn lights and record breaches.
//
// Deadlines: each timed stage of a case has a clock. Its limit is resolve_limit(spec,
// category, stage, area class of the case's node); clocks count working time on the
// engine's WorkingCalendar (or natural time for a natural limit). A clock that crosses a
// year without published holiday data assumes the weekday rule for it and says so
// (CaseClock::assumed); a later calendar with that year's data recomputes the deadline.
//
// Threading: one writer, many readers, as everywhere in gridgov. Const member functions may
// run on several threads at once; commands, ticks, batches and configuration changes need
// exclusive access. Observers run on the thread that commits. A batch belongs to the thread
// that opened it: while it is open, changes from any other thread (commands, ticks, imports,
// plan runs, configuration changes, batch calls) are refused with Error(invalid_state)
// ("... a batch opened by another thread is open ...") instead of joining it, so its
// rollback never drops another thread's acknowledged change. Reads from other threads are
// not refused but see the uncommitted batch: a host sharing the engine keeps exclusive
// access from begin_batch() to the commit or rollback, so that other threads wait.
#ifndef GRIDGOV_CASES_HPP
#define GRIDGOV_CASES_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/audit.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workflow.hpp"

namespace gridgov {

namespace detail {
struct CaseEngineAccess;  // the module's private access to the Impl
}  // namespace detail

/// Dense id of a case: 0, 1, 2, ... in the order cases were reported; never reused.
using CaseId = std::uint32_t;
/// "No case".
inline constexpr CaseId no_case = 0xFFFFFFFFu;
/// Global sequence number of an event: 1, 2, 3, ... in the order events were appended.
using EventSeq = std::uint64_t;

// ---- sources -----------------------------------------------------------------------------

/// How a matter came in (信息来源). The numeric values are stable (C ABI, files).
enum class CaseSource : std::uint8_t {
    grid_worker = 0,    ///< 网格员 / 信息员 on patrol (the default)
    supervisor = 1,     ///< 监督员 of the urban-management centre
    hotline_12345 = 2,  ///< 12345 government service hotline
    hotline_12319 = 3,  ///< 12319 urban-management hotline
    app = 4,            ///< app, WeChat, website (群众自报)
    video = 5,          ///< video surveillance
    referral = 6,       ///< referred by a higher level or another office (转办), media
};
/// "grid_worker", "supervisor", "hotline_12345", "hotline_12319", "app", "video", "referral".
const char* case_source_name(CaseSource source) noexcept;
/// Accepts the names above and "12345", "12319", "wechat", "网格员", "监督员", "12345热线",
/// "12319热线", "微信", "视频", "转办"; "" is grid_worker. Throws Error(invalid_argument).
CaseSource parse_case_source(std::string_view text);
/// The sources of a citizen's own request (hotlines, app): their cases default to the
/// `hotline_callback` workflow, the others to `township_six_step`.
bool is_citizen_source(CaseSource source) noexcept;

// ---- a case as it stands -------------------------------------------------------------------

/// Whether a stage clock counts at the moment.
enum class ClockRun : std::uint8_t {
    counting = 0,   ///< the case is in the stage and the clock runs
    idle = 1,       ///< the case left the stage; the clock picks up where it stopped on return
    suspended = 2,  ///< 挂账: stopped by a `pause` transition until `resume`
    stopped = 3,    ///< stopped for good (closing, voiding)
};
/// "counting", "idle", "suspended", "stopped".
const char* clock_run_name(ClockRun run) noexcept;

/// The clock of one timed stage of a case. Amounts are seconds of clock time: working
/// seconds for a working-time limit, natural seconds otherwise.
struct CaseClock {
    std::string stage;
    ClockRun run = ClockRun::counting;
    bool working_time = true;
    Instant start;                   ///< when the clock was started (or last reset)
    TimeLimit limit;                 ///< the limit it was started with
    std::int64_t limit_seconds = 0;  ///< the limit in clock seconds
    std::int64_t budget = 0;         ///< limit plus every extension granted, in clock seconds
    std::uint32_t extensions = 0;    ///< extensions granted on this clock
    std::int64_t used = 0;           ///< clock seconds used up to `since`
    Instant since;                   ///< when `run` last changed
    /// While counting: when the budget runs out. Otherwise the deadline as it stood when
    /// the clock stopped counting (a clock that stopped early has a deadline it never met).
    Instant deadline;
    bool breached = false;  ///< ran out while counting (recorded by a breach event)
    bool assumed = false;   ///< the deadline assumed the weekday rule for a year without data

    friend bool operator==(const CaseClock& a, const CaseClock& b);
    friend bool operator!=(const CaseClock& a, const CaseClock& b) { return !(a == b); }
};

/// One case as it stands (a copy: later commands do not change it).
struct CaseRecord {
    CaseId id = no_case;
    std::string number;  ///< stable case number, e.g. "2026-000123"
    std::string workflow;
    int workflow_version = 0;
    std::string category;    ///< category code
    NodeId node = no_node;   ///< where the matter is
    std::string area_class;  ///< of the node when the case was reported
    CaseSource source = CaseSource::grid_worker;
    std::string reporter;  ///< person id; "" = anonymous
    std::string state;     ///< state key of the workflow
    StateKind kind = StateKind::pending;
    std::string department;  ///< assigned department code; "" = none (yet, or territorial)
    /// The node the dispatch was routed to: the department's node, or the territorial
    /// node when no department is named; no_node before dispatch.
    NodeId route_node = no_node;
    int tier = 0;                    ///< escalation tier (0 = the grid)
    NodeId handling_node = no_node;  ///< WorkflowSpec::handling_node() at the tier
    CounterValues counters;          ///< every counter the workflow declares, in its order
    std::vector<std::string> flags;  ///< flags set, in the workflow's order
    bool breached = false;           ///< some clock of the case ran out (超时)
    std::uint32_t breaches = 0;      ///< breach events recorded
    std::optional<Rating> rating;    ///< the last rating given (rate or callback)
    Instant reported_at;
    Instant updated_at;  ///< instant of the last event
    /// When the case entered a closed or voided state; nullopt while it is pending or open.
    std::optional<Instant> closed_at;
    EventSeq last_event = 0;
    std::uint32_t events = 0;       ///< events of this case in the log
    std::vector<CaseClock> clocks;  ///< one per stage the case has entered, in stage order

    bool has_flag(std::string_view flag) const;
    std::int64_t counter(std::string_view name) const;  ///< 0 when not declared

    friend bool operator==(const CaseRecord& a, const CaseRecord& b);
    friend bool operator!=(const CaseRecord& a, const CaseRecord& b) { return !(a == b); }
};

// ---- events ----------------------------------------------------------------------------

/// What an event records: an accepted command, or a breach the engine noticed.
enum class EventKind : std::uint8_t { command = 0, breach = 1 };

/// One entry of the event log.
struct CaseEvent {
    EventSeq sequence = 0;
    CaseId case_id = no_case;
    std::string case_number;
    std::uint32_t case_sequence = 0;  ///< 1-based position among the case's own events
    EventKind kind = EventKind::command;
    Command command = Command::report;  ///< with kind == command
    std::string type;                   ///< command name, or "breach"
    int transition = -1;                ///< index into the workflow's transitions; -1 for a breach
    std::string from_state;             ///< "" for report
    std::string to_state;
    std::string actor;  ///< person id; "" when the engine acted
    bool system = false;
    Instant at;
    /// JSON object: what the command carried and what the engine decided (department
    /// routed to, limits of clocks started, ...). Format in docs/cases.md.
    std::string payload;
    std::array<std::uint8_t, 32> previous_hash{};  ///< all zero for the first event
    std::array<std::uint8_t, 32> hash{};

    friend bool operator==(const CaseEvent& a, const CaseEvent& b);
    friend bool operator!=(const CaseEvent& a, const CaseEvent& b) { return !(a == b); }
};

/// Lower-case hexadecimal of a hash.
std::string hash_hex(const std::array<std::uint8_t, 32>& hash);

/// The end of the log: its last sequence and hash. Record it somewhere else (a report, a
/// signed notice, another system) to detect later that events were cut off or appended.
struct LogAnchor {
    EventSeq sequence = 0;
    std::array<std::uint8_t, 32> hash{};
};

/// What verify_log() found wrong first.
enum class LogProblem : std::uint8_t {
    none = 0,
    content_changed = 1,  ///< the stored hash does not match the event's fields
    chain_broken = 2,     ///< the previous-hash field does not match the event before
    missing = 3,          ///< a sequence number is missing (an event was deleted)
    case_sequence = 4,    ///< a case's own numbering jumps or repeats
    unknown_case = 5,     ///< the event names a case the workspace does not have
    head_mismatch = 6,    ///< the log ends elsewhere than the engine or the anchor says
    /// the event a checkpoint vouches for no longer has the hash recorded with it
    checkpoint_mismatch = 7,
};
/// "none", "content_changed", "chain_broken", "missing", "case_sequence", "unknown_case",
/// "head_mismatch", "checkpoint_mismatch".
const char* log_problem_name(LogProblem problem) noexcept;

/// A point up to which the log was verified and signed off (CaseEngine::sign_off_log()).
/// Routine verification (verify_log_since_checkpoint()) then reads only what follows the
/// last one. Kept in the workspace (in memory for an engine without one), oldest first.
struct LogCheckpoint {
    EventSeq sequence = 0;                ///< the last event vouched for (0: an empty log)
    std::array<std::uint8_t, 32> hash{};  ///< that event's hash (zeros for an empty log)
    std::uint32_t cases = 0;              ///< how many cases there were then
    Instant signed_at;                    ///< when it was signed off
    std::string signed_by;                ///< who signed it off
    /// The whole log was checked; false: what followed the checkpoint before.
    bool full = false;
    std::uint64_t events_checked = 0;  ///< how many events that check read
};

/// The answer of verify_log().
struct LogVerification {
    bool ok = true;
    std::uint64_t events_checked = 0;
    /// With an anchor, when the log checked out: how many events follow the anchor's event
    /// (0: the log ends at the anchor). An anchor vouches for the events up to it only; the
    /// ones after it are chained to it but vouched for by no record kept elsewhere.
    std::uint64_t events_after_anchor = 0;
    LogProblem problem = LogProblem::none;
    EventSeq sequence = 0;    ///< the first bad event (for `missing`: the missing number)
    std::string case_number;  ///< its case, when known
    std::string message;      ///< one sentence naming sequence, case and what is wrong
    /// The checkpoint's event the check started after (verify_log_since_checkpoint(),
    /// sign_off_log()); 0 when the whole log was checked.
    EventSeq checked_from = 0;
    /// sign_off_log(): the checkpoint it recorded; none when the log did not check out.
    std::optional<LogCheckpoint> checkpoint;
};

// ---- commands --------------------------------------------------------------------------

/// A new case: the `report` command and what only a report says.
struct NewCase {
    /// command == Command::report with category, node, source (optional), actor or system,
    /// instant.
    CaseCommand command;
    /// Workflow key; "" = the engine's default workflow for the source. The case runs the
    /// latest version of the key registered at the time.
    std::string workflow;
    /// The reporter's person id (the one who may `rate`); "" = the actor, or anonymous when
    /// the system reports.
    std::string reporter;
    /// The case number; "" = the engine numbers it "<year>-<sequence>" by the local year of
    /// the report. Historical imports pass the number the case had.
    std::string number;
};

/// The answer of CaseEngine::check(): whether a command would be accepted, and if not,
/// the error it would throw.
struct CommandCheck {
    bool accepted = false;
    ErrorCode code = ErrorCode::generic;  ///< with accepted == false
    std::string message;
    /// The transition that would fire (index into the workflow's transitions), or -1.
    int transition = -1;
    std::string basis;  ///< why the actor may fire it ("role dispatcher held at ...")
};

// ---- ticks -----------------------------------------------------------------------------

/// A light change seen by tick().
struct LightChange {
    CaseId case_id = no_case;
    std::string stage;
    Light from = Light::green;
    Light to = Light::green;
};

/// What tick() did.
struct TickReport {
    std::vector<LightChange> lights;  ///< in (instant of change, case) order
    std::vector<EventSeq> breaches;   ///< breach events appended
    std::size_t escalations = 0;      ///< breaches that moved a case up one tier
};

// ---- queries ---------------------------------------------------------------------------

/// Which cases a query looks at. Every condition set must hold; an empty filter selects
/// every case. A filter with `reported_from` or `reported_until` visits only the cases
/// reported in that period (the engine keeps them ordered by report instant), so a query of
/// one month of a year's cases costs the month, not the year.
struct CaseFilter {
    NodeId subtree = no_node;         ///< cases at this node or below
    std::vector<std::string> states;  ///< state keys (any workflow); empty = any
    std::optional<StateKind> kind;    ///< pending / open / closed / voided
    std::string category_prefix;      ///< category codes starting with this
    std::optional<CaseSource> source;
    std::string department;        ///< assigned department code
    std::string workflow;          ///< workflow key
    std::string flag;              ///< cases with this flag set
    std::optional<bool> breached;  ///< the case's breached flag
    std::optional<int> tier;
    std::optional<Instant> reported_from;   ///< reported at or after
    std::optional<Instant> reported_until;  ///< reported before
    /// The light of the counting clock read at `at` (cases without a counting clock never
    /// match); needs `at`.
    std::optional<Light> light;
    /// Cases whose counting clock is past its deadline at `at`; needs `at`.
    bool overdue = false;
    std::optional<Instant> at;
};

/// What count_by() groups on.
enum class CaseGroup : std::uint8_t {
    state = 0,       ///< state key
    kind = 1,        ///< "pending" / "open" / "closed" / "voided"
    category = 2,    ///< category code
    source = 3,      ///< case_source_name()
    department = 4,  ///< department code ("" = none)
    light = 5,       ///< light at filter.at of the counting clock ("" = no counting clock)
    node = 6,        ///< code of the case node's ancestor at `level` (or the node itself)
    workflow = 7,    ///< workflow key
    tier = 8,        ///< "0", "1", ...
    overdue = 9,     ///< "overdue" / "in_time" / "" (no counting clock) at filter.at
};
/// "state", "kind", "category", "source", "department", "light", "node", "workflow",
/// "tier", "overdue".
const char* case_group_name(CaseGroup group) noexcept;
/// The names above. Throws Error(invalid_argument) listing them.
CaseGroup parse_case_group(std::string_view text);

struct GroupCount {
    std::string key;
    std::size_t count = 0;

    friend bool operator==(const GroupCount& a, const GroupCount& b) {
        return a.key == b.key && a.count == b.count;
    }
    friend bool operator!=(const GroupCount& a, const GroupCount& b) { return !(a == b); }
};

/// A field of CaseColumns: a bulk read fills only the fields its caller names.
enum class CaseField : std::uint8_t {
    id = 0,
    number = 1,
    workflow = 2,
    category = 3,
    node = 4,
    source = 5,
    state = 6,
    kind = 7,
    department = 8,
    tier = 9,
    breached = 10,
    reported_at = 11,
    updated_at = 12,
    closed_at = 13,
    deadline = 14,
};
inline constexpr std::size_t case_field_count = 15;
/// The member names of CaseColumns: "id", "number", "workflow", ..., "deadline".
const char* case_field_name(CaseField field) noexcept;
/// The names above. Throws Error(invalid_argument) listing them.
CaseField parse_case_field(std::string_view text);

/// How a bulk read brings the name fields (workflow, category, state, department).
enum class CaseNames : std::uint8_t {
    text = 0,   ///< one string per case, in the field itself
    coded = 1,  ///< codes over the distinct names, in the field's `_codes` member
};

/// A name field read as codes over its distinct names (what pandas keeps as a Categorical
/// and Arrow as a dictionary array): no string per case.
struct NameCodes {
    /// Per case, an index into `names`; -1 where the case has none (no department).
    std::vector<std::int32_t> codes;
    /// The distinct names, in the order the cases first use them.
    std::vector<std::string> names;
};

/// Many cases at once, one vector per field (the bulk read behind data frames). The
/// fields read all have the same length; a field not asked for stays empty. Instants are
/// seconds since the epoch.
struct CaseColumns {
    std::vector<CaseId> id;
    std::vector<std::string> number;
    std::vector<std::string> workflow;
    std::vector<std::string> category;
    std::vector<NodeId> node;
    std::vector<CaseSource> source;
    std::vector<std::string> state;
    std::vector<StateKind> kind;
    std::vector<std::string> department;
    std::vector<int> tier;
    std::vector<std::uint8_t> breached;  ///< 0 / 1
    std::vector<std::int64_t> reported_at;
    std::vector<std::int64_t> updated_at;
    std::vector<std::int64_t> closed_at;  ///< Instant::max() while not closed
    /// Deadline of the counting clock; Instant::max() when no clock counts.
    std::vector<std::int64_t> deadline;
    /// The name fields read with CaseNames::coded (their text fields then stay empty).
    NameCodes workflow_codes;
    NameCodes category_codes;
    NameCodes state_codes;
    NameCodes department_codes;

    /// The number of cases read: the length of each field that was read.
    std::size_t size() const;
};

// ---- observers -------------------------------------------------------------------------

/// Called once per committed event, in sequence order, after the transaction that holds
/// it committed (standalone engines: after the command, or at commit_batch()).
using CaseObserver = std::function<void(const CaseEvent& event)>;
using ObserverToken = std::uint64_t;

/// An observer that threw. The event stays committed; the engine records the failure and
/// goes on with the next observer.
struct ObserverFailure {
    ObserverToken token = 0;
    EventSeq sequence = 0;
    std::string message;  ///< what() of the exception, or "unknown exception"
};

// ---- historical import -----------------------------------------------------------------

/// A past case: its report and every later command, in order.
struct CaseHistory {
    NewCase report;
    std::vector<CaseCommand> commands;
};

struct HistoryImportOptions {
    /// Cases per transaction. A batch is committed whole or not at all.
    std::size_t batch_size = 1000;
    /// false: every command goes through the same checks as a live command, the actor's
    /// roles on the command's date included. true ("trusted"): actors are recorded as
    /// given without asking the directory (people of the old system need not be in it);
    /// states, guards, payloads and time order are still checked.
    bool trusted = false;
    /// Called after each committed batch with cases done and total; return false to stop
    /// (the batches committed so far stay).
    std::function<bool(std::size_t done, std::size_t total)> progress;
};

struct HistoryImportReport {
    std::size_t cases_imported = 0;
    std::size_t events_written = 0;  ///< breach events included
    std::size_t batches_committed = 0;
    bool stopped = false;  ///< progress returned false
    /// One error finding per refused case ("cases.import_refused", where = case number or
    /// "history[i]", message = the refusal); a refused case is left out whole.
    std::vector<Finding> findings;
};

// ---- the engine ------------------------------------------------------------------------

class CaseEngine {
  public:
    /// A standalone engine over a hierarchy and a directory (both must outlive it; later
    /// changes to them are seen). Configuration starts from the built-in presets:
    /// WorkflowRegistry::builtin(), CategoryCatalogue::preset("combined"), no departments,
    /// a default RoutingTable and the built-in WorkingCalendar.
    CaseEngine(const Hierarchy& hierarchy, const Directory& directory);
    /// The same with the overlays over the hierarchy (they must outlive it too): a role
    /// held on an overlay unit acts on the cases of the grids that unit covers.
    CaseEngine(const Hierarchy& hierarchy, const Directory& directory,
               const std::vector<Overlay>& overlays);
    CaseEngine(CaseEngine&&) noexcept;
    CaseEngine& operator=(CaseEngine&&) noexcept;
    ~CaseEngine();

    /// The hierarchy the cases are located in, with the overlays the engine was made with
    /// (none for the two-argument constructor): what routing and unit indicators read.
    Networks networks() const;

    // ---- configuration ------------------------------------------------------------------
    // In a workspace every change is stored in the file; the workspace forwards its own
    // set_categories(), add_workflow(), ... here. A refused change changes nothing.

    const WorkflowRegistry& workflows() const;
    /// Registers a new version: validated against the directory's catalogue and the
    /// categories (WorkflowRegistry::add). Returns its warnings.
    std::vector<Finding> add_workflow(const WorkflowSpec& spec);
    /// The workflow a new case of `source` runs when NewCase::workflow is "".
    const std::string& default_workflow(CaseSource source) const;
    /// Error(not_found) unless the key is registered.
    void set_default_workflow(CaseSource source, const std::string& key);

    const CategoryCatalogue& categories() const;
    /// Error(invalid_argument) naming the finding for error-level findings of validate();
    /// Error(invalid_state) when a code some case uses is missing.
    void set_categories(const CategoryCatalogue& categories);

    const DepartmentCatalogue& departments() const;
    /// Error(invalid_state) when a department some case is assigned to is missing.
    void set_departments(const DepartmentCatalogue& departments);

    const RoutingTable& routing() const;
    void set_routing(const RoutingTable& routing);

    /// The working calendar: the built-in holiday data with the schedule, extra years and
    /// overrides set here. Changing it recomputes the deadline of every counting clock.
    const WorkingCalendar& calendar() const;
    void set_calendar_schedule(const WorkingSchedule& schedule);
    /// A holiday-cn year file (or an array of them), as WorkingCalendar::add_year_json.
    void add_calendar_year(std::string_view json, std::string_view source = "<json>");
    /// Local overrides, as WorkingCalendar::add_overrides_json.
    void add_calendar_overrides(std::string_view json, std::string_view source = "<json>");
    void clear_calendar_overrides();

    // ---- commands -----------------------------------------------------------------------

    /// Creates a case. Refused (nothing changes): a missing field (invalid_argument naming
    /// it), an unknown workflow, category or node (not_found), a duplicate number
    /// (already_exists), an actor without a reporting role at the node on that date
    /// (permission_denied naming person, roles, node code and date).
    CaseId report(const NewCase& report);
    /// Applies a command to a case and returns its event's sequence. Refused (nothing
    /// changes): unknown case (not_found); an instant before the case's last event
    /// (invalid_argument); no transition for the command in the case's state
    /// (invalid_state naming case number, state and command); a missing payload field or
    /// reason (invalid_argument naming the field); an actor who may not fire it
    /// (permission_denied naming person, roles, node code and date). A counting clock
    /// that ran out before the command's instant gets its breach event first.
    EventSeq fire(CaseId id, const CaseCommand& command);
    /// Whether fire() would accept the command, without changing anything.
    CommandCheck check(CaseId id, const CaseCommand& command) const;
    /// The commands `actor` (or the system) could fire on the case at `at`, ignoring
    /// payloads: the menu of a case's page.
    std::vector<Command> available(CaseId id, std::string_view actor, Instant at,
                                   bool system = false) const;
    /// The people who may fire `command` on the case at `at` (the inbox query): person ids,
    /// sorted and without repeats. The same authorization as fire() and check(): the
    /// command's transitions from the case's state whose counter guards hold (rating
    /// guards are ignored: any rating counts), holders of a listed role at the case's node
    /// or an ancestor on the local date of `at` (post A or B, per the directory as it is
    /// now), members of the assigned department, the reporter. Payloads are not asked for:
    /// check() with the person as actor and a complete payload is accepted exactly for the
    /// people listed. Empty when nobody may (a state without the command, a command at the
    /// highest tier, `at` before the case's last event); the system is never listed.
    /// Error(not_found) for an unknown case; Error(invalid_argument) for Command::report.
    std::vector<std::string> candidates(CaseId id, Command command, Instant at) const;

    // ---- batches ------------------------------------------------------------------------
    // Between begin_batch() and commit_batch() commands apply in memory at once (later
    // commands see earlier ones) and are written in one transaction at commit. A refused
    // command inside a batch changes nothing and leaves the batch open. Outside a batch,
    // every command is its own transaction. The batch belongs to the thread that called
    // begin_batch(): every change from another thread, commit_batch() and rollback_batch()
    // included, throws Error(invalid_state) until the batch is over (see Threading above).

    /// Error(invalid_state) when a batch is open.
    void begin_batch();
    /// Writes and commits the batch, then notifies observers. When the write fails the
    /// engine returns to its state at begin_batch() and the error propagates.
    /// Error(invalid_state) when no batch is open or another thread opened it.
    void commit_batch();
    /// Drops everything the batch did. Error(invalid_state) when no batch is open or
    /// another thread opened it.
    void rollback_batch();
    bool in_batch() const;
    /// begin_batch(), work(), commit_batch(); rollback_batch() when work throws.
    void batch(const std::function<void()>& work);

    // ---- timers -------------------------------------------------------------------------

    /// Processes every clock event up to `now`, in (instant, case) order: light changes,
    /// and for each counting clock whose deadline is before `now` a breach event (dated at
    /// the deadline) that flags the case and, when the state's breach policy says so,
    /// moves it up one tier. Idempotent: a second tick with the same `now` does nothing.
    TickReport tick(Instant now);

    // ---- cases --------------------------------------------------------------------------

    std::size_t size() const;
    /// Error(not_found) naming the id.
    CaseRecord get(CaseId id) const;
    std::optional<CaseId> find(std::string_view number) const;
    /// Error(not_found) naming the number.
    CaseId at(std::string_view number) const;
    /// Current state key (cheap).
    const std::string& state(CaseId id) const;
    /// The counting clock read at `now`; nullopt when no clock counts.
    std::optional<ClockStatus> clock_status(CaseId id, Instant now) const;

    /// Cases matching the filter, by id.
    std::vector<CaseId> select(const CaseFilter& filter) const;
    std::size_t count(const CaseFilter& filter) const;
    /// Counts of the matching cases by group key, sorted by key. `level` (a LevelScheme
    /// key) is needed for CaseGroup::node.
    std::vector<GroupCount> count_by(CaseGroup group, const CaseFilter& filter = {},
                                     std::string_view level = {}) const;
    /// The matching cases as columns, by id: every field.
    CaseColumns columns(const CaseFilter& filter = {}) const;
    /// The matching cases as columns, by id: only `fields` (in any order; empty = every
    /// field), the other vectors left empty.
    /// With CaseNames::coded the name fields come as codes over their distinct names.
    CaseColumns columns(const CaseFilter& filter, const std::vector<CaseField>& fields,
                        CaseNames names = CaseNames::text) const;
    /// The given cases as columns, in the order given (repeats kept): only `fields`, as
    /// above. Error(not_found) naming the first id that is not a case.
    CaseColumns columns_of(const std::vector<CaseId>& ids,
                           const std::vector<CaseField>& fields = {},
                           CaseNames names = CaseNames::text) const;

    // ---- the log ------------------------------------------------------------------------

    /// Sequence of the last event (0 for an empty log).
    EventSeq last_sequence() const;
    LogAnchor head() const;
    /// The events of one case in order (committed and, inside a batch, pending).
    std::vector<CaseEvent> events(CaseId id) const;
    /// Events with sequence in [from, to), committed ones only.
    std::vector<CaseEvent> events_between(EventSeq from, EventSeq to) const;
    /// The case rebuilt from its events alone; equals get(id) unless the log or the
    /// stored state was tampered with.
    CaseRecord replay(CaseId id) const;
    /// The case as it stood at `at`: its events up to and including `at` replayed.
    /// Error(not_found) when the case did not exist yet.
    CaseRecord state_at(CaseId id, Instant at) const;
    /// Checks the committed log (in a workspace: the file as it is now): every hash, the
    /// chain, the sequence and each case's own numbering, and that the log ends where the
    /// engine (and `anchor`, when given) says. Names the first bad event.
    LogVerification verify_log(const LogAnchor* anchor = nullptr) const;
    /// Routine verification: checks only what was appended since the last checkpoint
    /// (sign_off_log()). The checkpoint's event must still have the recorded hash; every
    /// later event is checked as verify_log() checks it, each case it touches is counted
    /// on from its earlier events, and the log must end where the engine says. The
    /// events up to the checkpoint are taken as signed off: verify_log() checks them
    /// again. Without a checkpoint, the whole log. The answer's `checked_from` says where
    /// the check began.
    LogVerification verify_log_since_checkpoint() const;
    /// Verifies the log (the whole of it with `full` or when there is no checkpoint yet,
    /// otherwise since the last checkpoint) and, when it checks out, records a checkpoint
    /// at its end, signed off by `by` at `at`. In a workspace the check and the record
    /// are one write: no other writer appends in between. The answer's `checkpoint` is
    /// the one recorded; when the log does not check out nothing is recorded and the
    /// answer names the first bad event. Error(invalid_argument) when `by` is empty or
    /// holds a control character, Error(invalid_state) inside a batch or when `at` is
    /// before the last checkpoint's `signed_at`, Error(read_only) on a read-only workspace.
    LogVerification sign_off_log(const std::string& by, Instant at, bool full = false);
    /// The checkpoints recorded by sign_off_log(), oldest first.
    std::vector<LogCheckpoint> log_checkpoints() const;
    /// Replays every case and compares it with its stored state: one finding
    /// ("cases.replay_mismatch", where = case number) per case that differs.
    std::vector<Finding> verify_cases() const;

    // ---- checkpoints auditors can verify (audit.hpp, docs/security.md) -----------------

    /// The RFC 9162 root of the tree over the first `size` committed events.
    /// Error(invalid_argument) when the log has fewer; Error(storage) when the file lacks a
    /// node or an event of the tree.
    Digest tree_root(EventSeq size) const;
    /// Signs a head over the committed log with `key` and records it (in a workspace: in
    /// the file, in the same write that takes the log's end, so no writer appends in
    /// between). The key is used, never kept. Error(invalid_argument) when `log` is empty
    /// or not one line, Error(invalid_state) inside a batch, Error(read_only) on a
    /// read-only workspace.
    TreeHead sign_tree_head(const SigningKey& key, const std::string& log, Instant at);
    /// From now on, signs and records a head at every commit that appends events, in the
    /// commit's own write (a head per commit at the cost of one root and one signature;
    /// docs/security.md has the figures). The head's time is the system clock's. The key
    /// is held in this engine's memory only, never stored; other connections to the file
    /// sign nothing unless told so themselves. Error(invalid_argument) as sign_tree_head().
    void sign_heads_at_commit(const SigningKey& key, const std::string& log);
    /// Stops signing at commits; the key is dropped.
    void stop_signing_heads();
    /// The heads sign_tree_head() and signing at commits recorded, oldest first.
    std::vector<TreeHead> tree_heads() const;
    /// The proof that case `number`'s events up to `head` are in the log of `head`: a JSON
    /// document (docs/security.md, "Proofs") that verify_case_proof() checks with the
    /// public key alone. Error(not_found) for an unknown case, Error(invalid_argument) when
    /// the head is over more events than the log holds or the case has none in it,
    /// Error(invalid_state) when the log's first head.size events no longer give the
    /// head's root (they were changed after it was signed: audit_log() says where) or
    /// inside a batch.
    std::string prove_case(const std::string& number, const TreeHead& head) const;
    /// The proof that the log of `newer` extends the log of `older` (JSON;
    /// verify_consistency_proof()). Errors as prove_case(); Error(invalid_argument) when
    /// `older` is over more events than `newer`.
    std::string prove_consistency(const TreeHead& older, const TreeHead& newer) const;
    /// The auditor's whole check: verify_log() over the whole log, the tree recomputed from
    /// the events and compared with every kept node, every recorded head and every head
    /// in `published` (kept outside the workspace: the file's writer can delete recorded
    /// heads, not those), each head's signature checked with `public_pem`. Reads every
    /// event once more than verify_log(). Error(invalid_argument) when `public_pem` is no
    /// Ed25519 public key, Error(invalid_state) inside a batch.
    LogAudit audit_log(std::string_view public_pem,
                       const std::vector<TreeHead>& published = {}) const;

    // ---- observers ----------------------------------------------------------------------

    ObserverToken observe(CaseObserver observer);
    /// False when the token is unknown (already removed).
    bool unobserve(ObserverToken token);
    /// Observer failures since the last call, oldest first; the list is cleared.
    std::vector<ObserverFailure> take_observer_failures();

    // ---- historical import --------------------------------------------------------------

    /// Loads past cases with their full histories, `batch_size` cases per transaction. A
    /// case whose history is refused is left out and reported; a storage failure rolls
    /// back the batch in progress and propagates, the batches committed before it stay.
    /// Observers are not notified. Error(invalid_state) inside a batch.
    HistoryImportReport import_history(const std::vector<CaseHistory>& histories,
                                       const HistoryImportOptions& options = {});

    struct Impl;

  private:
    friend struct detail::CaseEngineAccess;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gridgov

#endif  // GRIDGOV_CASES_HPP
