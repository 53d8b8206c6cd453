// Case workflows as data (事件/案卷流程): workflow specs with states, transitions and timed
// stages; the built-in profiles (township six-step loop, urban-management seven-step loop,
// hotline with callback); the category catalogue (部件/事件/治理事项) with time limits per
// stage and area class; departments; and routing of a case to its responsible department
// or, failing that, to the territorial tier (属地管理).
//
// This module describes workflows; it does not run cases. The case engine (cases.hpp)
// fires commands against a WorkflowSpec: it asks the spec which transitions a command may
// take from the case's state (WorkflowSpec::candidates), asks authorize() whether the
// actor may fire the first one, checks the command's payload with check_command(), and
// applies the transition's effects (clock, counters, flags, tier) as documented on
// TransitionSpec. The spec format, the built-in profiles drawn as state tables and every
// validation rule id are documented in docs/workflow.md.
//
// Versions: a spec is identified by key + integer version. A case keeps the version it
// started with, so a WorkflowRegistry holds several versions of one key side by side, and
// a version once registered never changes.
//
// Validation: a spec is checked on load against a role Catalogue (directory.hpp) and a
// CategoryCatalogue. Problems are Findings with stable rule ids ("workflow.dead_end", ...);
// WorkflowRegistry::add() refuses a spec with error-level findings by throwing an Error
// that names the spec, the JSON path and the field.
//
// Threading: const member functions may be called from several threads at once; any
// change needs exclusive access (one writer, many readers).
#ifndef GRIDGOV_WORKFLOW_HPP
#define GRIDGOV_WORKFLOW_HPP

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

class CategoryCatalogue;
struct Department;

// ---- commands --------------------------------------------------------------------------

/// Every command the case engine accepts. A workflow spec decides, per state, which of
/// them lead where and who may fire them; the set of commands itself is fixed, so that an
/// integrator can rely on their payloads (CaseCommand) whatever the locality's workflow.
/// The numeric values are stable (stored in event logs and the C ABI); new commands are
/// only appended.
enum class Command : std::uint8_t {
    report = 0,             ///< 上报: creates a case (the only command without a from-state)
    file = 1,               ///< 立案: the case meets a filing condition
    void_case = 2,          ///< 不予立案 / 作废 (name "void"), with a reason
    dispatch = 3,           ///< 派遣 to a department (payload: department)
    accept = 4,             ///< 签收: the department takes the case
    return_case = 5,        ///< 回退 to the dispatcher (name "return"), with a reason
    request_extension = 6,  ///< 延期申请 (payload: amount), with a reason
    approve_extension = 7,  ///< 延期批准 (payload: amount granted)
    deny_extension = 8,     ///< 延期驳回
    suspend = 9,            ///< 挂账: the clock stops, with a reason
    resume = 10,            ///< 恢复 from 挂账
    feedback = 11,          ///< 处置反馈: the department reports the result, with evidence
    check_pass = 12,        ///< 核查通过
    check_fail = 13,        ///< 核查不通过 → 返工
    close = 14,             ///< 结案
    rate = 15,              ///< 评价 (payload: rating)
    escalate = 16,          ///< 上报上一级 / 提级: the handling tier moves up one
    supervise = 17,         ///< 督办: sets the supervision flag
    archive = 18,           ///< 归档
    self_handle = 19,       ///< 自处置 by the grid worker on the spot, with evidence
    callback = 20,          ///< 回访 of the reporter (payload: rating)
};

/// Number of commands (the enum's values are 0 .. command_count - 1).
inline constexpr std::size_t command_count = 21;

/// "report", "file", "void", "dispatch", "accept", "return", "request_extension", ...
const char* command_name(Command command) noexcept;
/// The inverse of command_name(); throws Error(invalid_argument) naming the text.
Command parse_command(std::string_view text);
/// All commands in numeric order.
const std::vector<Command>& all_commands();

/// Citizen satisfaction (满意 / 基本满意 / 不满意).
enum class Satisfaction : std::uint8_t { satisfied = 0, basically_satisfied = 1, unsatisfied = 2 };

/// "satisfied" / "basically_satisfied" / "unsatisfied".
const char* satisfaction_name(Satisfaction s) noexcept;
/// Accepts the English names and 满意 / 基本满意 / 不满意; throws Error(invalid_argument).
Satisfaction parse_satisfaction(std::string_view text);

/// A rating given by `rate` or `callback`: a three-level answer, or a 1–5 score that maps
/// onto the levels as 4–5 satisfied, 3 basically satisfied, 1–2 unsatisfied.
struct Rating {
    Satisfaction level = Satisfaction::satisfied;
    int score = 0;  ///< 1..5 when given as a score, 0 when given as a level

    static Rating of(Satisfaction level) { return Rating{level, 0}; }
    /// Throws Error(invalid_argument) naming the score unless 1 <= score <= 5.
    static Rating from_score(int score);
};

/// What a command carries besides its name. Which fields a command needs is fixed
/// (command_needs()); whether a reason or evidence is mandatory is decided by the
/// transition (TransitionSpec::reason_required / evidence_required).
struct CaseCommand {
    Command command = Command::report;
    Instant at;                         ///< when the command was given
    std::string actor;                  ///< directory person id; empty when `system`
    bool system = false;                ///< fired by the engine itself (tick, auto-escalation)
    std::string reason;                 ///< free text; mandatory where the transition says so
    std::vector<std::string> evidence;  ///< references to photos/documents (ids, URLs, paths)
    std::string note;                   ///< free text kept with the event

    // -- command-specific payload --
    std::string category;             ///< report, file: category code (file may change it)
    NodeId node = no_node;            ///< report: where the matter is (a grid, usually)
    std::string source;               ///< report: how it came in ("grid_worker", "hotline", ...)
    std::string department;           ///< dispatch: department code (empty = let routing decide)
    std::optional<TimeLimit> amount;  ///< request_extension, approve_extension
    std::optional<Rating> rating;     ///< rate, callback
};

/// Which payload fields a command needs (beyond actor and instant).
struct CommandNeeds {
    bool category = false;  ///< report
    bool node = false;      ///< report
    bool amount = false;    ///< request_extension, approve_extension
    bool rating = false;    ///< rate, callback
};

/// The fixed payload needs of a command.
CommandNeeds command_needs(Command command) noexcept;

// ---- the workflow spec -----------------------------------------------------------------

/// A timed stage of a workflow (处置, 核查, ...). Its time limit comes from the case's
/// category for the case's area class (Category::limits); `default_limit` applies when the
/// category has none. A state names the stage whose clock runs while a case is in it.
struct StageSpec {
    std::string key;  ///< "dispatch", "handle", "check", ...
    std::string label_zh;
    std::string label_en;
    std::optional<TimeLimit> default_limit;
};

/// One tier of escalation, lowest first: tier 0 is where a case starts (the grid), each
/// `escalate` moves it one tier up (grid → community → street → district). `level` is a
/// LevelScheme key: the handling node of a case at tier t is the ancestor of the case's
/// node at tiers[t].level.
struct TierSpec {
    std::string level;  ///< "grid", "village", "township", "county"
    std::string label_zh;
    std::string label_en;
};

/// What the engine does when a state's clock runs out (超时).
struct BreachPolicy {
    bool flag = true;                 ///< mark the case overdue (always counted by assessment)
    bool escalate = false;            ///< move the case one tier up automatically
    std::vector<std::string> notify;  ///< role codes to notify (at the case's node or above)

    friend bool operator==(const BreachPolicy& a, const BreachPolicy& b) {
        return a.flag == b.flag && a.escalate == b.escalate && a.notify == b.notify;
    }
};

/// How a case counts in figures: before filing, in process, closed (结案), or voided.
enum class StateKind : std::uint8_t { pending = 0, open = 1, closed = 2, voided = 3 };
const char* state_kind_name(StateKind kind) noexcept;  ///< "pending" / "open" / "closed" / "voided"
StateKind parse_state_kind(std::string_view text);     ///< throws Error(invalid_argument)

struct StateSpec {
    std::string key;  ///< "handling", "checking", ...
    std::string label_zh;
    std::string label_en;
    StateKind kind = StateKind::open;
    /// No command leaves a terminal state; a case in it is finished for good.
    bool terminal = false;
    /// The stage whose clock runs while the case is in this state; "" = none runs (a
    /// suspended, closed or terminal state).
    std::string timer;
    BreachPolicy breach;
};

/// What a transition does to the case's stage clocks. A case keeps one clock per stage it
/// has entered (a StepClock: start, limit, suspensions, extensions); at most one counts at
/// a time: the clock of the current state's stage.
enum class ClockEffect : std::uint8_t {
    /// The default ("continue"). The clock of the target state's stage counts: if the case
    /// has a clock for that stage from an earlier visit, it picks up where it stopped
    /// (the time spent elsewhere does not count against it); otherwise a fresh clock
    /// starts with the limit for the case's category and area class. Leaving a stage
    /// stops its clock from counting.
    continue_running = 0,
    /// 挂账: the running clock is suspended (StepClock::pause) and stays the case's
    /// clock; the target state should name no timer or the same stage.
    pause = 1,
    /// 恢复: the suspended clock resumes (StepClock::resume).
    resume = 2,
    /// A fresh clock for the target state's stage starts at the transition instant with
    /// the full limit; an earlier clock of that stage and its extensions are dropped.
    reset = 3,
    /// Every clock of the case stops for good (closing, voiding).
    stop = 4,
};
const char* clock_effect_name(
    ClockEffect effect) noexcept;  ///< "continue", "pause", "resume", "reset", "stop"
ClockEffect parse_clock_effect(std::string_view text);  ///< throws Error(invalid_argument)

/// A transition applies only while a counter is within [min, max].
struct CounterGuard {
    std::string counter;  ///< a counter declared by the spec, e.g. "extensions"
    std::int64_t min = 0;
    std::int64_t max = std::numeric_limits<std::int64_t>::max();

    friend bool operator==(const CounterGuard& a, const CounterGuard& b) {
        return a.counter == b.counter && a.min == b.min && a.max == b.max;
    }
};

/// Actor tokens that may stand in TransitionSpec's JSON "who" list besides role codes.
inline constexpr std::string_view actor_assigned_department = "assigned_department";
inline constexpr std::string_view actor_reporter = "reporter";
inline constexpr std::string_view actor_system = "system";

/// One transition: `command` takes a case from one of `from` to `to`.
///
/// Selection: for a command on a case in state S, the engine takes the transitions with
/// that command and S in `from` whose guards hold (WorkflowSpec::candidates), in spec
/// order, and fires the first one the actor may fire (authorize()). When some candidate
/// exists but the actor may fire none, the command is refused with permission_denied;
/// when no candidate exists, with invalid_state.
///
/// Effects, in this order: counters in `increments` go up by one; flags in `sets_flags`
/// are set and those in `clears_flags` cleared; the tier changes by `tier_delta` (refused
/// with invalid_state beyond the spec's tiers); the clock effect applies; with
/// `extends_clock` the running clock is extended by the command's amount.
struct TransitionSpec {
    Command command = Command::report;
    std::vector<std::string> from;  ///< state keys; empty only for `report`
    std::string to;                 ///< state key; "" = stay in the current state

    // -- who may fire it (any one suffices) --
    /// Role codes (directory Catalogue) held at the case's node or one of its ancestors,
    /// on the command's date, in post A or B.
    std::vector<std::string> roles;
    bool assigned_department = false;  ///< a member of the department the case is assigned to
    bool reporter = false;             ///< the person who reported the case
    bool system = false;               ///< the engine itself (CaseCommand::system)

    // -- what the command must carry --
    bool reason_required = false;
    bool evidence_required = false;

    // -- when it applies --
    std::vector<CounterGuard> guards;   ///< all must hold
    std::vector<Satisfaction> ratings;  ///< only for these rating levels; empty = any

    // -- effects --
    ClockEffect clock = ClockEffect::continue_running;
    bool extends_clock = false;           ///< approve_extension: add the granted amount
    std::vector<std::string> increments;  ///< counters, e.g. "rework"
    std::vector<std::string> sets_flags;  ///< e.g. "supervised"
    std::vector<std::string> clears_flags;
    int tier_delta = 0;  ///< +1 = escalate one tier; -1, 0 or +1

    std::string label_zh;  ///< optional wording of the step, e.g. "返工"
    std::string label_en;
};

/// Counter values of a case, by counter name (missing = 0).
using CounterValues = std::vector<std::pair<std::string, std::int64_t>>;

/// The value of one counter (0 when absent).
std::int64_t counter_value(const CounterValues& counters, std::string_view name);

/// What guards are evaluated against.
struct TransitionContext {
    CounterValues counters;
    std::optional<Rating> rating;  ///< the rating the command carries, if any
};

/// What the case indicators (indicators.hpp) read from a workflow, by role: the stages
/// whose clocks they time and the counters and flags they count. Each member names a stage,
/// counter or flag the spec declares; "" = the workflow has none, and what depends on it
/// counts nothing. The indicators each member feeds are listed in docs/assessment.md.
struct WorkflowMeasures {
    // -- stages (StageSpec keys) --
    std::string intake;    ///< verifying a report (受理·核实): the first state's timer
    std::string dispatch;  ///< dispatching a filed case (派遣)
    std::string handling;  ///< handling by the department (处置): due, on time, overtime
    std::string check;     ///< checking the handling (核查)
    // -- counters --
    std::string rework;      ///< failed checks (返工)
    std::string extensions;  ///< extensions granted (延期)
    std::string returns;     ///< returns to the dispatcher (回退)
    // -- flags --
    std::string self_handled;  ///< handled on the spot (自处置): nothing to dispatch
    std::string supervised;    ///< 督办
    std::string faked;         ///< 虚假处置
    std::string refused;       ///< 推诿扯皮

    friend bool operator==(const WorkflowMeasures& a, const WorkflowMeasures& b) {
        return a.intake == b.intake && a.dispatch == b.dispatch && a.handling == b.handling &&
               a.check == b.check && a.rework == b.rework && a.extensions == b.extensions &&
               a.returns == b.returns && a.self_handled == b.self_handled &&
               a.supervised == b.supervised && a.faked == b.faked && a.refused == b.refused;
    }
    friend bool operator!=(const WorkflowMeasures& a, const WorkflowMeasures& b) {
        return !(a == b);
    }
};

/// A workflow as data. Load with from_json() (format: docs/workflow.md), check with
/// validate(), register in a WorkflowRegistry.
struct WorkflowSpec {
    std::string key;  ///< "township_six_step", ...
    int version = 1;  ///< >= 1
    std::string name_zh;
    std::string name_en;
    std::string source;  ///< the policy text or standard the workflow follows
    /// The role catalogues the spec's roles come from: directory preset keys and/or
    /// "workflow_roles" (see workflow_roles_catalogue()). Documentation for the locality and
    /// the input of expected_catalogue(); validation uses whatever Catalogue it is given.
    std::vector<std::string> catalogues;
    LightThresholds lights;             ///< traffic-light thresholds of the spec's clocks
    std::vector<std::string> counters;  ///< declared counters ("rework", "extensions", ...)
    std::vector<std::string> flags;     ///< declared flags ("supervised", "self_handled", ...)
    std::vector<TierSpec> tiers;        ///< escalation tiers, lowest first; at least one
    std::vector<StageSpec> stages;
    std::vector<StateSpec> states;
    std::vector<TransitionSpec> transitions;
    /// The measures the spec declares ("measures" in JSON); nullopt = none declared: the
    /// indicators then find their stages, counters and flags by the conventional names
    /// (effective_measures()).
    std::optional<WorkflowMeasures> measures;

    /// Parses a spec. Malformed JSON throws Error(parse_error) naming `source_name`; a
    /// field of the wrong type or an unknown enum name (command, clock effect, state kind,
    /// satisfaction, time limit) throws Error(invalid_argument) naming `source_name`, the
    /// JSON path and the field. Meaning is not checked here: see validate().
    static WorkflowSpec from_json(std::string_view text, std::string_view source_name = "<json>");
    /// The spec as JSON in the format from_json() reads; from_json(to_json()) == *this.
    std::string to_json() const;

    /// The built-in profiles: "township_six_step", "urban_seven_step", "hotline_callback",
    /// "hazard_rectification" (hazards found, graded, ordered, rectified, re-checked).
    static std::vector<std::string> preset_keys();
    /// Version 1 of a built-in profile; Error(not_found) naming the key.
    static WorkflowSpec preset(std::string_view key);

    /// "key@version", the spec's name in messages and findings.
    std::string id() const;

    /// The measures the case indicators read: `measures` when declared, else those found by
    /// the conventional names, each "" when the spec lacks it: intake = the timer of the
    /// state the first report transition enters; dispatch = the timer of state "filed",
    /// else stage "dispatch"; handling = stage "handle", else the timer of state
    /// "handling"; check = stage "check"; the counters "rework", "extensions", "returns"
    /// and the flags "self_handled", "supervised", "faked", "refused" by those names.
    WorkflowMeasures effective_measures() const;

    /// Findings about the spec (rule ids in docs/workflow.md): structure always; roles
    /// when `roles` is given; stages and time limits when `categories` is given. Never
    /// throws for data problems. Findings' `where` is "<key>@<version>:<JSON path>".
    std::vector<Finding> validate(const Catalogue* roles = nullptr,
                                  const CategoryCatalogue* categories = nullptr) const;

    /// The catalogue the spec expects: the directory presets and the workflow-roles
    /// fragment named in `catalogues`, merged in that order (merge_catalogues()).
    /// Error(not_found) naming an unknown catalogue key.
    Catalogue expected_catalogue() const;

    std::optional<std::size_t> find_state(std::string_view key) const;
    /// Error(not_found) naming the spec and the key.
    const StateSpec& state(std::string_view key) const;
    std::optional<std::size_t> find_stage(std::string_view key) const;
    /// Index into `tiers` of a LevelScheme key, or nullopt.
    std::optional<std::size_t> find_tier(std::string_view level) const;

    /// The node that handles a case at `tier`: the ancestor of `case_node` at
    /// tiers[tier].level, or `case_node` itself when it lies at or above that level.
    /// Error(invalid_state) for a tier beyond `tiers` (escalation past the top),
    /// Error(not_found) when the tier's level is not a level of the hierarchy or the node
    /// is not live.
    NodeId handling_node(const Hierarchy& hierarchy, NodeId case_node, std::size_t tier) const;

    /// The states a `report` may create a case in (the `to` of its report transitions).
    std::vector<std::string> initial_states() const;
    /// Transitions with `command` leaving `state` whose guards hold in `context`, in spec
    /// order. For Command::report, `state` is ignored (pass "").
    std::vector<const TransitionSpec*> candidates(std::string_view state, Command command,
                                                  const TransitionContext& context = {}) const;
    /// Commands with at least one transition leaving `state` (ignoring guards), in
    /// numeric order.
    std::vector<Command> commands_from(std::string_view state) const;

    friend bool operator==(const WorkflowSpec& a, const WorkflowSpec& b);
    friend bool operator!=(const WorkflowSpec& a, const WorkflowSpec& b) { return !(a == b); }
};

bool operator==(const StageSpec& a, const StageSpec& b);
bool operator==(const TierSpec& a, const TierSpec& b);
bool operator==(const StateSpec& a, const StateSpec& b);
bool operator==(const TransitionSpec& a, const TransitionSpec& b);

/// The urban-management roles the built-in profiles need beyond the directory presets
/// (受理员, 值班长, 派遣员, 监督员, 中心领导, 话务员, the township service centre's staff),
/// as a Catalogue with key "workflow_roles". Format and levels: docs/workflow.md.
Catalogue workflow_roles_catalogue();

/// `base` with the duties and roles of `fragment` whose codes it lacks appended (key and
/// name of `base` kept). A code present in both must mean the same thing: a role with
/// another level or a duty with another label throws Error(already_exists) naming it.
Catalogue merge_catalogues(const Catalogue& base, const Catalogue& fragment);

// ---- who may fire a transition ---------------------------------------------------------

/// Everything authorize() needs to know about the actor and the case. The structure is
/// used as given: for a past date after moves, pass `hierarchy.as_of(date)`.
struct ActorQuery {
    const Hierarchy* hierarchy = nullptr;  ///< required when the transition lists roles
    const Directory* directory = nullptr;  ///< required when the transition lists roles
    NodeId case_node = no_node;            ///< the case's node
    Date date;                             ///< the command's date (local)
    std::string person;                    ///< the actor's person id; "" for the system
    bool system = false;
    std::string reporter;  ///< person id of the case's reporter ("" = anonymous)
    const Department* assigned_department = nullptr;  ///< the case's department, if any
    /// The overlays over the hierarchy: a post on an overlay unit that is or encloses a
    /// unit covering the case's node admits as a base post does (docs/directory.md, "Posts
    /// on overlay units"). Null: base posts only.
    const std::vector<Overlay>* overlays = nullptr;
};

/// The answer of authorize().
struct ActorDecision {
    bool allowed = false;
    /// Why: "role dispatcher held at 371327 (post A)", "member of department D-HW",
    /// "reporter", "system", or the reason nothing matched.
    std::string basis;
};

/// Whether the actor may fire `transition`: the same rule the case engine applies to its
/// commands (docs/workflow.md). Role holders are the people holding a listed role on
/// `date` (post A or B, present or absent) at the case's node or an ancestor, both live; a
/// case node the hierarchy has retired admits no role holder. When the roles decide,
/// throws Error(invalid_argument) if hierarchy or directory is missing and
/// Error(not_found) for a node id the hierarchy never had.
ActorDecision authorize(const TransitionSpec& transition, const ActorQuery& query);

/// Checks a command's payload against its fixed needs and the transition's mandatory
/// reason/evidence. Throws Error(invalid_argument) naming the command and the missing
/// field ("void: field 'reason' is required").
void check_command(const CaseCommand& command, const TransitionSpec& transition);

// ---- the registry ----------------------------------------------------------------------

/// Workflow specs by key and version. A version is immutable once registered; cases pin
/// the version they started with.
class WorkflowRegistry {
  public:
    WorkflowRegistry() = default;
    /// The three built-in profiles (version 1), each validated against its
    /// expected_catalogue() and the built-in category presets.
    static WorkflowRegistry builtin();

    /// Validates `spec` (with `roles` and `categories` when given) and registers it.
    /// Refused, changing nothing: error-level findings → Error(invalid_argument) naming
    /// the spec, the JSON path and the field of the first one; the same key and version
    /// already registered → Error(already_exists). Returns the warnings and infos.
    std::vector<Finding> add(WorkflowSpec spec, const Catalogue* roles = nullptr,
                             const CategoryCatalogue* categories = nullptr);
    /// from_json() then add(); `source_name` names the text in errors.
    std::vector<Finding> add_json(std::string_view text, std::string_view source_name,
                                  const Catalogue* roles = nullptr,
                                  const CategoryCatalogue* categories = nullptr);

    bool contains(std::string_view key, int version) const;
    /// Error(not_found) naming key and version.
    const WorkflowSpec& get(std::string_view key, int version) const;
    /// The highest version of `key`; Error(not_found) naming the key.
    const WorkflowSpec& latest(std::string_view key) const;
    /// Versions of `key`, ascending (empty for an unknown key).
    std::vector<int> versions(std::string_view key) const;
    /// Keys, sorted.
    std::vector<std::string> keys() const;
    std::size_t size() const { return specs_.size(); }

  private:
    std::vector<WorkflowSpec> specs_;  // sorted by (key, version)
};

// ---- categories ------------------------------------------------------------------------

/// 部件 (fixed public facilities), 事件 (disturbances of order), or a governance matter
/// (矛盾纠纷, 安全隐患, 民生服务).
enum class CategoryKind : std::uint8_t { component = 0, event = 1, governance = 2 };
const char* category_kind_name(
    CategoryKind kind) noexcept;  ///< "component" / "event" / "governance"
/// Accepts the English names and 部件 / 事件 / 治理事项.
CategoryKind parse_category_kind(std::string_view text);

/// How a category's limits are counted: working time, or natural time for urgent matters.
enum class ClockMode : std::uint8_t { working = 0, natural = 1 };
const char* clock_mode_name(ClockMode mode) noexcept;  ///< "working" / "natural"
ClockMode parse_clock_mode(std::string_view text);

/// An intermediate deadline within a stage of a stepwise limit (私搭乱建: stop the work
/// within 4 working hours, penalise within 7 working days, remove within 20).
struct Milestone {
    std::string key;
    std::string label_zh;
    std::string label_en;
    TimeLimit within;  ///< counted from the start of the stage

    friend bool operator==(const Milestone& a, const Milestone& b) {
        return a.key == b.key && a.label_zh == b.label_zh && a.label_en == b.label_en &&
               a.within == b.within;
    }
};

/// The time limit of one stage for one area class ("" = every class without its own).
struct StageLimit {
    std::string stage;
    std::string area_class;
    TimeLimit limit;  ///< the stage's limit; with milestones, the last one's
    std::vector<Milestone> milestones;

    friend bool operator==(const StageLimit& a, const StageLimit& b) {
        return a.stage == b.stage && a.area_class == b.area_class && a.limit == b.limit &&
               a.milestones == b.milestones;
    }
};

/// One row of a category catalogue (大类/小类 with its rules).
struct Category {
    /// Stable code, unique in the catalogue; routing rules match its prefixes. Presets
    /// use kind letter + major + minor: "E0102" (event 01 市容环境, 02 暴露垃圾),
    /// "C0101", "G0201".
    std::string code;
    CategoryKind kind = CategoryKind::event;
    std::string major_code;  ///< "01"
    std::string major_zh;    ///< 市容环境
    std::string major_en;
    std::string minor_code;  ///< "02"
    std::string name_zh;     ///< 暴露垃圾
    std::string name_en;
    std::string filing_condition;   ///< 立案条件
    std::string closing_condition;  ///< 结案条件
    std::string department;         ///< responsible department kind (Department::kind)
    ClockMode clock_mode = ClockMode::working;
    std::vector<StageLimit> limits;
    std::string source;  ///< where the row's limits come from

    /// The limit of `stage` for `area_class`: the entry for that class, else the entry
    /// with area_class "", else nullptr.
    const StageLimit* limit_for(std::string_view stage, std::string_view area_class) const;

    friend bool operator==(const Category& a, const Category& b);
};

/// The categories of one locality. Data, not code: load your own JSON (format in
/// docs/workflow.md) or start from a preset.
class CategoryCatalogue {
  public:
    std::string key;
    std::string name;
    std::string source;
    std::vector<Category> categories;

    /// Parses a catalogue; errors name `source_name`, the JSON path and the field.
    /// Duplicate codes throw Error(already_exists).
    static CategoryCatalogue from_json(std::string_view text,
                                       std::string_view source_name = "<json>");
    std::string to_json() const;

    /// "urban_management" (数字城管 components and events), "governance" (矛盾纠纷,
    /// 安全隐患, 民生服务), "combined" (both).
    static std::vector<std::string> preset_keys();
    /// Error(not_found) naming the key.
    static CategoryCatalogue preset(std::string_view key);

    const Category* find(std::string_view code) const;
    /// Error(not_found) naming the code.
    const Category& at(std::string_view code) const;
    /// Every stage key some category gives a limit for, sorted.
    std::vector<std::string> stages() const;

    /// Findings: category.duplicate_code, category.empty_field, category.duplicate_limit,
    /// category.clock_mode (a natural-mode category with a working-time limit or the
    /// reverse), category.milestone_order. Never throws for data problems.
    std::vector<Finding> validate() const;

    friend bool operator==(const CategoryCatalogue& a, const CategoryCatalogue& b);
};

/// The time limit that applies to a stage for a case, and where it came from.
struct ResolvedLimit {
    TimeLimit limit;
    std::vector<Milestone> milestones;
    /// "category E0102 area class A", "category E0102 (every area class)", "workflow
    /// township_six_step@1 stage default".
    std::string basis;
};

/// The limit of `stage` for a case of `category` (may be null) in `area_class`: the
/// category's limit for the class, else its limit for every class, else the stage's
/// default in `spec`; nullopt when none applies (the stage runs untimed).
std::optional<ResolvedLimit> resolve_limit(const WorkflowSpec& spec, const Category* category,
                                           std::string_view stage, std::string_view area_class);

// ---- departments -----------------------------------------------------------------------

/// A handling department (专业部门 / 责任单位) serving one node and its subtree.
struct Department {
    std::string code;  ///< unique, e.g. "D-HW-371327"
    /// What it does; categories name kinds ("sanitation", "landscaping", ...), so that the
    /// same category reaches the sanitation office of whichever district the case is in.
    std::string kind;
    std::string name_zh;
    std::string name_en;
    /// Code of the node it serves (a county, a street, ...), or the place of an overlay unit
    /// ("health:H01": a 健康网格's family-doctor team, a fire grid's station).
    std::string node;
    std::vector<std::string> members;  ///< directory person ids

    bool has_member(std::string_view person) const;

    friend bool operator==(const Department& a, const Department& b) {
        return a.code == b.code && a.kind == b.kind && a.name_zh == b.name_zh &&
               a.name_en == b.name_en && a.node == b.node && a.members == b.members;
    }
};

class DepartmentCatalogue {
  public:
    std::string key;
    std::string name;
    std::vector<Department> departments;

    /// Parses {"key", "name", "departments": [{"code", "kind", "zh", "en", "node",
    /// "members"}]}; errors name `source_name`, the JSON path and the field; duplicate
    /// codes throw Error(already_exists).
    static DepartmentCatalogue from_json(std::string_view text,
                                         std::string_view source_name = "<json>");
    std::string to_json() const;

    const Department* find(std::string_view code) const;
    /// Error(not_found) naming the code.
    const Department& at(std::string_view code) const;

    /// Findings: department.unknown_node (a node code not live in the base hierarchy, or a
    /// place "overlay:unit" not live in `networks`), department.unknown_member (a person
    /// missing from `directory`, when given), department.no_members (warning). Never
    /// throws for data problems.
    std::vector<Finding> validate(const Networks& networks,
                                  const Directory* directory = nullptr) const;

    friend bool operator==(const DepartmentCatalogue& a, const DepartmentCatalogue& b) {
        return a.key == b.key && a.name == b.name && a.departments == b.departments;
    }
};

// ---- routing ---------------------------------------------------------------------------

/// An explicit routing rule: cases whose category code starts with `category_prefix`
/// ("" = every category) at a node within `subtree` ("" = anywhere) go to `department`.
///
/// With `overlay`, the rule sends the cases into that specialised network (a 健康网格 of
/// three or four communities, a fire grid): it matches only where a unit of the overlay
/// covers the case's node (Networks::covering), and the case goes to that unit — to
/// `department` when given, else to the department serving the unit or its nearest
/// enclosing unit (of the category's department kind when one serves it), else to the
/// posts held on the unit (Route::department "").
struct RoutingRule {
    std::string category_prefix;
    std::string subtree;     ///< node code
    std::string department;  ///< department code; may be "" only with `overlay`
    std::string note;
    std::string overlay;  ///< overlay key; "" = the base hierarchy

    friend bool operator==(const RoutingRule& a, const RoutingRule& b) {
        return a.category_prefix == b.category_prefix && a.subtree == b.subtree &&
               a.department == b.department && a.note == b.note && a.overlay == b.overlay;
    }
};

/// Which step of the precedence decided a route.
enum class RouteBasis : std::uint8_t { rule = 0, category = 1, territorial = 2 };
const char* route_basis_name(RouteBasis basis) noexcept;  ///< "rule" / "category" / "territorial"

/// The answer of RoutingTable::route().
struct Route {
    RouteBasis basis = RouteBasis::territorial;
    std::string department;  ///< department code; "" when no department serves the answer
    /// The base node the department serves, or the territorial node; no_node when the case
    /// goes into an overlay network (see `unit`).
    NodeId node = no_node;
    /// With an overlay rule: the unit the case goes to ("health:H01"); else the base
    /// (overlay "", no_node).
    Place unit;
    std::size_t rule = std::numeric_limits<std::size_t>::max();  ///< index with basis rule
    std::vector<std::string> reasoning;  ///< every step tried, in order, in plain words
};

/// Routing of a case (category + node) to its responsible department. Deterministic
/// precedence:
///  1. explicit rules that match (category code starts with the prefix, node within the
///     subtree, department known; for an overlay rule, a unit of the overlay covering the
///     node): the longest prefix wins, then the deepest subtree node (a rule without
///     subtree is shallowest), then the earlier rule;
///  2. the category's department kind: the department of that kind serving the case's
///     node or its nearest ancestor (earlier in the catalogue on a tie);
///  3. territorial management (属地管理): the case's ancestor at `territorial_level` (the
///     case's node itself when it lies above that level), with the department of kind
///     `territorial_kind` serving it or its nearest ancestor, if any.
class RoutingTable {
  public:
    std::string territorial_level = "township";
    std::string territorial_kind = "territorial";
    std::vector<RoutingRule> rules;

    /// Parses {"territorial_level", "territorial_kind", "rules": [{"category_prefix",
    /// "subtree", "department", "note", "overlay"}]}; errors name `source_name`, path and
    /// field ("department" is required unless "overlay" is given).
    static RoutingTable from_json(std::string_view text, std::string_view source_name = "<json>");
    std::string to_json() const;

    /// Error(not_found) for an unknown category code or a node id not live in the base
    /// hierarchy. Overlay rules need the overlays in `networks`: one naming an overlay
    /// `networks` does not have is skipped, with the reason in the reasoning.
    Route route(const Networks& networks, const CategoryCatalogue& categories,
                const DepartmentCatalogue& departments, std::string_view category,
                NodeId node) const;

    /// Findings: routing.unknown_department, routing.unknown_subtree,
    /// routing.unknown_overlay (an overlay `networks` does not have),
    /// routing.prefix_matches_nothing (warning), routing.duplicate_rule (warning),
    /// routing.unknown_level (territorial_level not in the hierarchy's levels).
    std::vector<Finding> validate(const Networks& networks, const CategoryCatalogue& categories,
                                  const DepartmentCatalogue& departments) const;

    friend bool operator==(const RoutingTable& a, const RoutingTable& b) {
        return a.territorial_level == b.territorial_level &&
               a.territorial_kind == b.territorial_kind && a.rules == b.rules;
    }
};

}  // namespace gridgov

#endif  // GRIDGOV_WORKFLOW_HPP
