// Assessment (考核): schemes as data, scores per subject and period, grades, flags from
// consecutive failing periods, rankings within peer groups, explanations down to the
// records behind every number, and auditable inspection draws.
//
// A scheme (AssessmentScheme) is a JSON document validated on load. It names the
// indicators it reads, its components (each turns indicator values into points by a
// linear scale, a step table per area class, a muParser formula or a constant, then
// applies per-item deductions and bonuses, a cap and a floor), the weight of every
// component, grade bands, period aggregations (e.g. half-year 40 % + year-end 60 %) and
// consecutive-period rules (three failing months → dismissal review). The format and the
// presets are described in docs/assessment.md.
//
// Indicator values come from the caller (or from the case and activity indicator
// builders). A value is either defined or explicitly undefined with a reason (a rate
// whose denominator is zero); never 0 or NaN in disguise. Each value carries the ids of
// the records that produced it, and the score keeps them in its explanation tree.
//
// Threading: a scheme is immutable after loading; its const members may run on several
// threads at once.
#ifndef GRIDGOV_ASSESSMENT_HPP
#define GRIDGOV_ASSESSMENT_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"

namespace gridgov {

namespace detail {
struct AssessmentSchemeAccess;  // the module's private access to the Impl
}  // namespace detail

// ---- indicator values --------------------------------------------------------------------

/// One indicator value: a number, or undefined with the reason. `sources` are the ids of
/// the records that produced it (case numbers, activity ids, household ids).
struct IndicatorValue {
    std::optional<double> value;
    std::string reason;  ///< why the value is undefined; "" when defined
    std::vector<std::string> sources;

    static IndicatorValue of(double value, std::vector<std::string> sources = {});
    static IndicatorValue undefined(std::string reason, std::vector<std::string> sources = {});
    bool defined() const { return value.has_value(); }

    friend bool operator==(const IndicatorValue& a, const IndicatorValue& b);
    friend bool operator!=(const IndicatorValue& a, const IndicatorValue& b) { return !(a == b); }
};

/// Indicator values by indicator key.
using IndicatorValues = std::map<std::string, IndicatorValue>;

/// `numerator / denominator` as a percentage (0–100): undefined, naming the denominator,
/// when the denominator is zero. The sources are the numerator's.
IndicatorValue rate_percent(const IndicatorValue& numerator, const IndicatorValue& denominator,
                            std::string_view denominator_name);

// ---- periods -----------------------------------------------------------------------------

/// How long one assessment period is.
enum class PeriodKind : std::uint8_t { month = 0, quarter = 1, half_year = 2, year = 3 };
/// "month", "quarter", "half_year", "year".
const char* period_kind_name(PeriodKind kind) noexcept;
/// The names above; throws Error(invalid_argument) naming the text.
PeriodKind parse_period_kind(std::string_view text);

/// One assessment period: a kind, a year and the 1-based index within the year (month
/// 1–12, quarter 1–4, half 1–2, year 1).
struct AssessmentPeriod {
    PeriodKind kind = PeriodKind::month;
    int year = 1970;
    int index = 1;

    /// Throws Error(invalid_argument) when the index is out of range for the kind.
    static AssessmentPeriod of(PeriodKind kind, int year, int index = 1);
    /// "2026-03", "2026-Q1", "2026-H1", "2026"; throws Error(invalid_argument).
    static AssessmentPeriod parse(std::string_view text);
    /// The period of `kind` that contains `d`.
    static AssessmentPeriod containing(PeriodKind kind, Date d);
    std::string label() const;  ///< the text parse() reads
    Period dates() const;       ///< [first day, first day of the next period)
    /// The last second of the period in China Standard Time: the instant a period's
    /// promises, hazards and duties are read at when nothing else is said.
    Instant last_instant() const;
    AssessmentPeriod previous() const;
    AssessmentPeriod next() const;
    /// Whether this period lies inside `outer` (a period lies inside itself).
    bool within(const AssessmentPeriod& outer) const;

    friend bool operator==(const AssessmentPeriod& a, const AssessmentPeriod& b) {
        return a.kind == b.kind && a.year == b.year && a.index == b.index;
    }
    friend bool operator!=(const AssessmentPeriod& a, const AssessmentPeriod& b) {
        return !(a == b);
    }
    /// By kind, then year, then index.
    friend bool operator<(const AssessmentPeriod& a, const AssessmentPeriod& b);
};

// ---- schemes -----------------------------------------------------------------------------

/// An indicator a scheme reads. Keys are ASCII identifiers (they are formula variables).
struct IndicatorSpec {
    std::string key;
    std::string label;  ///< e.g. "按期结案率"
    std::string unit;   ///< "%", "count", "points", "hours", ... (informative)
};

/// How a component turns indicator values into base points.
enum class ScaleKind : std::uint8_t { linear = 0, steps = 1, formula = 2, constant = 3 };
/// "linear", "steps", "formula", "constant".
const char* scale_kind_name(ScaleKind kind) noexcept;

/// A linear scale: x_from → points_from, x_to → points_to, clamped outside.
struct LinearScale {
    double x_from = 0;
    double points_from = 0;
    double x_to = 100;
    double points_to = 100;
};

/// One row of a step table: values up to and including `up_to` (no bound: every value
/// above the rows before) give `points`.
struct StepRow {
    std::optional<double> up_to;
    double points = 0;
};

/// The step table for one area class ("" = every class without its own table).
struct StepTable {
    std::string area_class;
    std::vector<StepRow> rows;  ///< ascending `up_to`, the last one unbounded
};

/// A per-item deduction or bonus: `points_each` × the value of `indicator` (a count).
struct ItemAdjustment {
    std::string indicator;
    double points_each = 0;
    std::string label;
};

/// What a component (or the scheme) does when an indicator it reads is undefined.
enum class UndefinedPolicy : std::uint8_t {
    exclude = 0,  ///< leave the component out and renormalise the other weights
    points = 1,   ///< score the declared `undefined_points`
    fail = 2,     ///< the total is undefined
};
/// "exclude", "points", "fail".
const char* undefined_policy_name(UndefinedPolicy policy) noexcept;

struct ComponentSpec {
    std::string key;
    std::string label;
    double weight = 1;  ///< total = Σ weight × points
    double max_points = 100;
    ScaleKind scale = ScaleKind::linear;
    std::string indicator;  ///< linear and steps
    LinearScale linear;
    std::vector<StepTable> steps;
    std::string formula;  ///< muParser expression over indicator keys
    double constant = 0;
    std::vector<ItemAdjustment> deductions;
    std::vector<ItemAdjustment> bonuses;
    double floor = 0;                               ///< points never go below
    std::optional<double> cap;                      ///< points never go above (default max_points)
    std::optional<UndefinedPolicy> when_undefined;  ///< default: the scheme's
    double undefined_points = 0;                    ///< with UndefinedPolicy::points
};

/// A grade band: totals at or above `min` (and below the band before) get it.
struct GradeBand {
    std::string key;
    std::string label;
    double min = 0;
    bool failing = false;  ///< counts as failing for consecutive-period rules
};

/// One part of an aggregation: the subject's score for the sub-period `kind`/`index`
/// inside the target period, with a weight.
struct AggregationPart {
    PeriodKind kind = PeriodKind::half_year;
    int index = 1;
    double weight = 0;
};

/// How scores of shorter periods make the score of a longer one: a weighted sum of
/// named parts, or the mean over every sub-period of `of` inside the target.
struct AggregationSpec {
    std::string key;
    std::string label;
    PeriodKind into = PeriodKind::year;
    std::string method;                  ///< "weighted" or "mean"
    std::vector<AggregationPart> parts;  ///< with "weighted"
    PeriodKind of = PeriodKind::month;   ///< with "mean"
};

/// Raise a flag when `count` consecutive periods of `period` are failing (grade band
/// marked failing, or total below `below` when set).
struct ConsecutiveRule {
    std::string key;  ///< e.g. "dismissal_review"
    std::string label;
    PeriodKind period = PeriodKind::month;
    int count = 3;
    std::optional<double> below;
};

/// A loaded, validated assessment scheme (immutable).
class AssessmentScheme {
  public:
    /// Parses and validates; throws Error(invalid_argument) whose message lists every
    /// error-level finding (rule id, JSON path, field), Error(parse_error) for text that is
    /// not JSON. Warnings are kept in warnings().
    static AssessmentScheme from_json(std::string_view json, std::string_view source = "<json>");
    /// Every finding of the document, errors and warnings; never throws for data problems
    /// (text that is not JSON is one "assessment.json_syntax" finding). `where` is
    /// "<scheme key>#<JSON pointer>".
    static std::vector<Finding> validate_json(std::string_view json,
                                              std::string_view source = "<json>");
    /// A built-in scheme: "grid_worker", "urban_region", "urban_supervisor",
    /// "urban_dispatcher", "urban_department", "jinhua_district", "city_inspection".
    /// Error(not_found).
    static AssessmentScheme preset(std::string_view key);
    static std::vector<std::string> preset_keys();

    AssessmentScheme(const AssessmentScheme&);
    AssessmentScheme& operator=(const AssessmentScheme&);
    AssessmentScheme(AssessmentScheme&&) noexcept;
    AssessmentScheme& operator=(AssessmentScheme&&) noexcept;
    ~AssessmentScheme();

    const std::string& key() const;
    const std::string& label() const;
    int version() const;
    PeriodKind period() const;  ///< the kind of period one assessment covers
    double max_total() const;
    const std::vector<IndicatorSpec>& indicators() const;
    const std::vector<ComponentSpec>& components() const;
    UndefinedPolicy when_undefined() const;
    const std::vector<ItemAdjustment>& total_deductions() const;
    const std::vector<ItemAdjustment>& total_bonuses() const;
    const std::vector<GradeBand>& grades() const;  ///< descending `min`
    const std::vector<AggregationSpec>& aggregations() const;
    const std::vector<ConsecutiveRule>& rules() const;
    const std::vector<Finding>& warnings() const;
    /// The document as loaded (the text to store; from_json(json()) gives the same scheme).
    const std::string& json() const;

    struct Impl;

  private:
    friend struct detail::AssessmentSchemeAccess;
    explicit AssessmentScheme(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// ---- scores ------------------------------------------------------------------------------

/// Who is assessed: a node, a department, a post or a person, with what decides its peer
/// group for rankings.
struct AssessmentSubject {
    std::string code;        ///< node code, department code, person id
    std::string level;       ///< peer group part 1 (level key, "department", "worker")
    std::string area_class;  ///< peer group part 2; also selects step tables
};

/// Everything a score needs: subject, period and indicator values.
struct ScoreInput {
    AssessmentSubject subject;
    AssessmentPeriod period;
    IndicatorValues values;
};

/// What became of one component.
enum class ComponentStatus : std::uint8_t {
    scored = 0,            ///< from defined indicator values
    undefined_points = 1,  ///< an input was undefined; the declared points were used
    excluded = 2,          ///< an input was undefined; left out, weights renormalised
    undefined = 3,         ///< an input was undefined and the policy is `fail`
};
/// "scored", "undefined_points", "excluded", "undefined".
const char* component_status_name(ComponentStatus status) noexcept;

struct AdjustmentResult {
    std::string indicator;
    std::string label;
    double count = 0;
    double points = 0;  ///< signed: negative for a deduction
};

struct ComponentResult {
    std::string key;
    std::string label;
    ComponentStatus status = ComponentStatus::scored;
    std::optional<double> base;      ///< points from the scale before adjustments
    std::optional<double> points;    ///< after adjustments, cap and floor
    double weight = 0;               ///< effective weight (after renormalisation)
    std::optional<double> weighted;  ///< weight × points
    std::string note;                ///< why undefined / which step row / formula
    IndicatorValues inputs;          ///< every indicator read, with its sources
    std::vector<AdjustmentResult> adjustments;
};

/// The score of one subject for one period.
struct ScoreResult {
    std::string scheme;
    AssessmentSubject subject;
    AssessmentPeriod period;
    std::optional<double> total;  ///< undefined when every component is excluded or one fails
    std::string grade;            ///< grade key; "" with an undefined total
    bool failing = false;         ///< the grade band is failing
    std::vector<ComponentResult> components;
    std::vector<AdjustmentResult> adjustments;  ///< scheme-level deductions and bonuses
    /// Indicators the scheme reads that the input did not contain (read as undefined).
    std::vector<std::string> missing;
    std::string note;  ///< why the total is undefined
    int rank = 0;      ///< within the peer group (rank()); 0 = not ranked
    std::size_t peers = 0;
};

/// A node of an explanation: score → components → indicators → record ids.
struct Explanation {
    std::string key;
    std::string label;
    std::optional<double> value;
    std::string note;
    std::vector<Explanation> children;
};

/// Scores one subject for one period. Indicators missing from the input count as
/// undefined and are listed in ScoreResult::missing. Throws Error(not_found) when a step
/// component has no table for the subject's area class and no default table.
ScoreResult score(const AssessmentScheme& scheme, const ScoreInput& input);

/// The explanation tree of a score: the root is the total; its children the components
/// (then scheme-level adjustments); a component's children are the indicators it read,
/// and an indicator's children are its source ids (key = id).
Explanation explain(const ScoreResult& result);

/// Ranks results within peer groups (same subject level and area class, any period mixed
/// in is the caller's choice): total descending; ties broken by the components' weighted
/// points in scheme order, descending, then by subject code ascending (byte order), then
/// (the same subject twice) by position in `results`. Undefined totals get rank 0. Sets
/// rank and peers in place.
void rank(std::vector<ScoreResult>& results);

/// The score of `target` for `subject` from its shorter-period results by aggregation
/// `key`. Undefined or missing parts follow the scheme's undefined policy (exclude:
/// renormalise the remaining weights). The result has no components; its grade is
/// graded on the aggregated total. Error(not_found) for an unknown key.
ScoreResult aggregate(const AssessmentScheme& scheme, std::string_view key,
                      const AssessmentSubject& subject, const AssessmentPeriod& target,
                      const std::vector<ScoreResult>& history);

/// A consecutive-period rule that fired.
struct RuleFlag {
    std::string rule;
    std::string label;
    std::string subject;               ///< subject code
    AssessmentPeriod period;           ///< the period that completed the streak
    int streak = 0;                    ///< consecutive failing periods up to `period`
    std::vector<std::string> periods;  ///< their labels, oldest first
};

/// Applies every consecutive-period rule of the scheme to the results (any subjects,
/// any order): for each subject, periods of the rule's kind in order; a failing period
/// extends the streak, a passing or undefined one or a gap (a period without a result)
/// ends it. A flag is raised at every period where the streak is at least `count`.
std::vector<RuleFlag> evaluate_rules(const AssessmentScheme& scheme,
                                     const std::vector<ScoreResult>& history);

// ---- activity records -------------------------------------------------------------------

/// Ordinary households, or the special groups (低保, low income, disabled, empty-nest,
/// laid-off, single parent, community correction, migrant workers' families, ...), whose
/// visits are more frequent.
enum class HouseholdClass : std::uint8_t { ordinary = 0, special = 1 };
/// "ordinary", "special".
const char* household_class_name(HouseholdClass cls) noexcept;
/// The class named by household_class_name(); throws Error(invalid_argument) naming the
/// text and the names accepted.
HouseholdClass parse_household_class(std::string_view text);

enum class VisitKind : std::uint8_t { home = 0, phone = 1 };
/// "home", "phone".
const char* visit_kind_name(VisitKind kind) noexcept;
/// The kind named by visit_kind_name(); throws Error(invalid_argument) naming the text and
/// the names accepted.
VisitKind parse_visit_kind(std::string_view text);

struct Household {
    std::string id;
    std::string grid;  ///< code of the grid the household belongs to
    HouseholdClass cls = HouseholdClass::ordinary;
    std::vector<std::string> categories;  ///< e.g. "低保", "空巢" (informative)
};

struct Visit {
    std::string id;
    std::string household;
    std::string person;
    VisitKind kind = VisitKind::home;
    Date date;
};

struct Patrol {
    std::string id;
    std::string person;
    std::string grid;
    Instant start;
    Instant end;
};

/// One month's check of the population records of a grid (seed figures: 25,749 people
/// checked, 690 not collected, 479 not de-registered, 22 erroneous).
struct CollectionCheck {
    std::string id;
    std::string grid;
    AssessmentPeriod month;
    std::int64_t checked = 0;
    std::int64_t not_collected = 0;
    std::int64_t not_deregistered = 0;
    std::int64_t erroneous = 0;
};

/// A working day a person was present.
struct Attendance {
    std::string id;
    std::string person;
    Date date;
};

/// A special task given to a person, due on a date, done (or not) on a date.
struct SpecialTask {
    std::string id;
    std::string person;
    Date due;
    std::optional<Date> done;
};

/// A manual rating of a subject for a period (community evaluation, resident survey).
struct ManualRating {
    std::string id;
    std::string subject;  ///< person id or node code
    AssessmentPeriod period;
    double points = 0;
    std::string rater;
};

/// How often a household class must get a visit of a kind.
struct VisitRule {
    HouseholdClass cls = HouseholdClass::ordinary;
    VisitKind kind = VisitKind::home;
    PeriodKind every = PeriodKind::half_year;
};

/// The schedule of the community system texts: ordinary households a home visit every
/// half year and a phone call every quarter; special households a home visit every
/// quarter and a phone call every month.
std::vector<VisitRule> default_visit_rules();

/// What counts as a patrol for 一日双巡.
struct PatrolRule {
    int per_day = 2;       ///< patrols needed on each working day
    int min_minutes = 30;  ///< shortest patrol that counts; 0 = any length
};

/// Activity records of grid work, in memory, and the indicators drawn from them. Every
/// indicator lists the ids of the records that produced it.
class ActivityLog {
  public:
    explicit ActivityLog(std::vector<VisitRule> rules = default_visit_rules());

    /// Each add refuses (changing nothing) a duplicate id (Error(already_exists)), a
    /// record naming an unknown household (Error(not_found)), a patrol that ends before
    /// it starts, a check with negative counts or more missing than checked
    /// (Error(invalid_argument)); messages name the record id and field.
    void add(const Household& household);
    void add(const Visit& visit);
    void add(const Patrol& patrol);
    void add(const CollectionCheck& check);
    void add(const Attendance& attendance);
    void add(const SpecialTask& task);
    void add(const ManualRating& rating);

    const std::vector<VisitRule>& rules() const { return rules_; }

    /// The records, each kind in the order added.
    const std::vector<Household>& households() const { return households_; }
    const std::vector<Visit>& visits() const { return visits_; }
    const std::vector<Patrol>& patrols() const { return patrols_; }
    const std::vector<CollectionCheck>& collection_checks() const { return checks_; }
    const std::vector<Attendance>& attendance() const { return attendance_; }
    const std::vector<SpecialTask>& tasks() const { return tasks_; }
    const std::vector<ManualRating>& ratings() const { return ratings_; }
    /// The number of records of every kind.
    std::size_t size() const { return ids_.size(); }
    /// Whether a record of any kind has this id.
    bool contains(const std::string& id) const { return ids_.count(id) != 0; }

    /// 一日双巡: the share (0–100) of working days of the period (by the calendar) on
    /// which the person made at least rule.per_day patrols of at least rule.min_minutes,
    /// counted by the CST date the patrol started. Sources: the patrols that counted.
    /// Undefined when the period has no working day. Error(no_data) from the calendar for
    /// a year without published data.
    IndicatorValue patrol_compliance(std::string_view person, const AssessmentPeriod& period,
                                     const WorkingCalendar& calendar,
                                     const PatrolRule& rule = {}) const;

    /// Visit-schedule compliance (0–100) of the households of `grids` (optionally one
    /// class): for every rule and household, each window of the rule's period kind that
    /// ends inside `period` is met when a visit of the rule's kind falls in the window.
    /// Value = met windows / windows. Sources: the visits that met a window. Undefined
    /// when no window ends inside the period.
    IndicatorValue visit_compliance(const std::vector<std::string>& grids,
                                    const AssessmentPeriod& period,
                                    std::optional<HouseholdClass> cls = std::nullopt) const;

    /// Collection rate (0–100) = (checked − not collected) / checked over the checks of
    /// `grids` whose month lies inside the period. Sources: the checks. Undefined with
    /// nothing checked.
    IndicatorValue collection_rate(const std::vector<std::string>& grids,
                                   const AssessmentPeriod& period) const;

    /// Share (0–100) of the period's working days with an attendance record. Sources: the
    /// records counted. Undefined when the period has no working day.
    IndicatorValue attendance_rate(std::string_view person, const AssessmentPeriod& period,
                                   const WorkingCalendar& calendar) const;

    /// Tasks of the person due inside the period; sources: their ids.
    IndicatorValue tasks_assigned(std::string_view person, const AssessmentPeriod& period) const;
    /// Of those, the tasks done on or before their due date; sources: their ids.
    IndicatorValue tasks_done(std::string_view person, const AssessmentPeriod& period) const;

    /// Mean of the manual ratings of the subject for exactly this period; undefined
    /// without any. Sources: the rating ids.
    IndicatorValue mean_rating(std::string_view subject, const AssessmentPeriod& period) const;

    /// The indicators of the grid_worker preset that activity records give:
    /// attendance_rate, patrol_compliance, collection_rate, visit_compliance, tasks_done,
    /// tasks_assigned, community_rating. (reports_adopted and commendations are the
    /// caller's.)
    IndicatorValues grid_worker_indicators(std::string_view person,
                                           const std::vector<std::string>& grids,
                                           const AssessmentPeriod& period,
                                           const WorkingCalendar& calendar,
                                           const PatrolRule& rule = {}) const;

  private:
    std::vector<VisitRule> rules_;
    std::vector<Household> households_;
    std::vector<Visit> visits_;
    std::vector<Patrol> patrols_;
    std::vector<CollectionCheck> checks_;
    std::vector<Attendance> attendance_;
    std::vector<SpecialTask> tasks_;
    std::vector<ManualRating> ratings_;
    std::map<std::string, std::size_t> household_index_;
    /// Per household (index into households_), its visits (indices into visits_) in order.
    std::vector<std::vector<std::size_t>> visits_of_;
    /// Per grid code, its households (indices into households_) in order.
    std::map<std::string, std::vector<std::size_t>, std::less<>> households_of_grid_;
    std::set<std::string> ids_;  ///< every record id, for duplicate checks
};

// ---- inspection draws --------------------------------------------------------------------

/// What to draw: `count` of `candidates`, optionally one per stratum first, never one of
/// `avoid`.
struct DrawSpec {
    std::uint64_t seed = 0;
    std::vector<std::string> candidates;  ///< the order matters: it is part of the record
    std::size_t count = 0;
    /// Empty, or one stratum key per candidate (e.g. the net-area). With strata, one
    /// candidate is drawn from each stratum (strata in byte order of their keys), then
    /// the rest from every candidate left.
    std::vector<std::string> strata;
    std::vector<std::string> avoid;  ///< e.g. last period's picks
};

/// A draw and everything needed to re-run and audit it.
struct DrawRecord {
    std::string algorithm;  ///< "splitmix64-fisher-yates-v1"
    DrawSpec spec;
    std::vector<std::string> picks;  ///< in the order drawn

    friend bool operator==(const DrawRecord& a, const DrawRecord& b);
    friend bool operator!=(const DrawRecord& a, const DrawRecord& b) { return !(a == b); }
};

/// SplitMix64 (Steele, Lea, Flood 2014): the portable generator of the draws.
class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    /// Uniform in [0, bound) by rejection sampling (no modulo bias); bound > 0.
    std::uint64_t below(std::uint64_t bound);

  private:
    std::uint64_t state_;
};

/// Draws as described in docs/assessment.md. Error(invalid_argument) naming the problem:
/// duplicate candidates, strata of the wrong length, a count larger than what is left
/// after `avoid`, a stratum with nothing left to draw, fewer picks than strata.
DrawRecord draw(const DrawSpec& spec);
/// Re-runs the draw of a record and says whether it gives the same picks.
bool verify_draw(const DrawRecord& record);

// ---- exchange formats and exports (src/assessment/notice.cpp) ---------------------------

/// A score as one JSON object: scheme, subject {code, level, area_class}, period (label),
/// total (null when undefined), grade, failing, rank, peers, note, missing, components
/// (with their inputs and sources) and adjustments. score_from_json(score_to_json(r))
/// gives r back. Format: docs/assessment.md.
std::string score_to_json(const ScoreResult& result);
/// Reads score_to_json()'s object; Error(parse_error) for text that is not JSON,
/// Error(invalid_argument) naming the field for a member of the wrong type or value.
ScoreResult score_from_json(std::string_view json);
/// The explanation tree as nested JSON objects {key, label, value, note, children}.
std::string explanation_to_json(const Explanation& explanation);

/// A draw record as one JSON object {algorithm, seed, candidates, count, strata, avoid,
/// picks}; the seed is a JSON number (an unsigned 64-bit integer).
std::string draw_to_json(const DrawRecord& record);
/// Reads draw_to_json()'s object; errors as score_from_json().
DrawRecord draw_from_json(std::string_view json);
/// Reads a DrawSpec {seed, candidates, count, strata, avoid} (the members of a record
/// without algorithm and picks); errors as score_from_json().
DrawSpec draw_spec_from_json(std::string_view json);

/// A rule flag as one JSON object {rule, label, subject, period, streak, periods}.
std::string rule_flag_to_json(const RuleFlag& flag);

/// Scores as a JSON array of score_to_json() objects, each with its explanation tree
/// under "explanation" when `with_explanation`.
std::string scores_to_json(const std::vector<ScoreResult>& results, bool with_explanation = true);

/// Scores as CSV (header row): scheme, subject, level, area_class, period, total, grade,
/// failing (0/1), rank, peers, note, then one column per component key (its points) in
/// the order the keys first appear. Undefined numbers are empty cells.
std::string scores_to_csv(const std::vector<ScoreResult>& results);

/// What a public notice (通报) shows besides the scores.
struct NoticeOptions {
    std::string title;   ///< default: "<scheme label> 考核结果通报"
    std::string issuer;  ///< e.g. "苇川县网格化服务管理中心"; omitted when empty
    std::string period;  ///< the period shown; default: the first result's label
    std::vector<RuleFlag> flags;               ///< shown beside their subject
    std::optional<DrawRecord> draw;            ///< the inspection draw behind the scores
    std::map<std::string, std::string> names;  ///< display name by subject code
};

/// A self-contained HTML page: the title, the period, a table of the results ranked
/// (rank, subject, total to two decimals, grade label, flags), failing rows marked with
/// class "failing", and a footnote naming the scheme (key, label, version) and the draw
/// (algorithm, seed, picks) when given. Every text is HTML-escaped. Results with rank 0
/// follow the ranked ones by subject code.
std::string notice_html(const AssessmentScheme& scheme, const std::vector<ScoreResult>& results,
                        const NoticeOptions& options = {});

/// The households of a log as households.csv (id, grid, class, categories). Categories
/// are special-group flags (低保, 残疾, ...), personal data: each non-empty list is
/// written as "***" unless `reveal`.
std::string households_to_csv(const ActivityLog& log, bool reveal = false);

}  // namespace gridgov

#endif  // GRIDGOV_ASSESSMENT_HPP
