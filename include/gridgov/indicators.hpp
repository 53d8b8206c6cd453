// Indicators from cases (案卷考核指标) and the assessment runner.
//
// The case engine knows every matter of a territory; this header turns its cases into the
// indicator values assessment schemes read (assessment.hpp), for one period and one
// subject: a node with its whole subtree (区域), a handling department (专业部门), a
// person (a reporter, dispatcher, handler, verifier or checker as recorded in the events)
// or a unit of an overlay network (a fire grid, a 段区, a 健康网格) with the grids it covers.
// The base counts, the rates with their denominators and the Jinhua variant that leaves
// deferred cases out are defined in docs/assessment.md ("Indicators from cases"); every
// key is listed by case_indicator_definitions().
//
// What a case counts for is decided from its state when the indicators are computed
// (counters, flags, clocks, closing instant); instants are compared with the period's
// bounds at China Standard Time midnight. Counts are numbers of cases, never of events.
//
// Bulk: case_indicators_by_node() classifies every case once and keeps, per node in
// pre-order and per department, the counts of the subtree; a node's values are then
// O(keys), and the case numbers behind a value are materialised only when asked for.
//
// The runner, assess(), is the one call that takes a scheme, a period and a set of
// subjects (a list, every node of a level, every department, every grid worker) to
// ranked scores with the consecutive-period flags over a history.
//
// Threading: the functions only read the engine (const); they may run on several threads
// at once as long as no command, tick or batch runs on the engine meanwhile.
#ifndef GRIDGOV_INDICATORS_HPP
#define GRIDGOV_INDICATORS_HPP

#include <cstddef>
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
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

// ---- definitions -------------------------------------------------------------------------

/// One indicator the case engine gives.
struct CaseIndicatorDefinition {
    std::string key;          ///< ASCII identifier, e.g. "on_time_rate"
    std::string label;        ///< Chinese name, e.g. "按期结案率"
    std::string unit;         ///< "count", "%", "hours", "ratio", "points"
    std::string definition;   ///< one sentence (English)
    std::string denominator;  ///< the key of the denominator for a rate; "" otherwise
};

/// Every key case_indicators() returns, in a fixed order (counts, then rates, then means).
const std::vector<CaseIndicatorDefinition>& case_indicator_definitions();

// ---- subjects ----------------------------------------------------------------------------

/// What the case indicators are about.
enum class IndicatorSubjectKind : std::uint8_t {
    node = 0,        ///< the cases located at the node or anywhere below it
    department = 1,  ///< the cases assigned to the department
    person = 2,      ///< the cases the person reported or acted on (see docs/assessment.md)
    /// the cases at the base nodes an overlay unit covers, itself or through the units
    /// beneath it (Networks::covering: a case counts once for each unit that covers it)
    unit = 3,
};
/// "node", "department", "person", "unit".
const char* indicator_subject_kind_name(IndicatorSubjectKind kind) noexcept;
/// The names above; Error(invalid_argument) naming the text.
IndicatorSubjectKind parse_indicator_subject_kind(std::string_view text);

struct IndicatorSubject {
    IndicatorSubjectKind kind = IndicatorSubjectKind::node;
    std::string code;  ///< node code, department code, person id or unit place "fire:F01"
    /// For a person: the nodes (codes) the person answers for, e.g. a supervisor's grids;
    /// `missed` and `missed_rate` are counted over their subtrees. Ignored otherwise.
    std::vector<std::string> grids;

    static IndicatorSubject node(std::string code);
    static IndicatorSubject department(std::string code);
    static IndicatorSubject person(std::string id, std::vector<std::string> grids = {});
    /// A unit of one of the engine's overlays, written as a place: "fire:F01".
    static IndicatorSubject unit(std::string place);
};

// ---- one subject -------------------------------------------------------------------------

/// The case indicators of one subject for one period, every key of
/// case_indicator_definitions(), each value with the case numbers behind it (for a rate:
/// the numerator's cases; for a mean: the cases averaged). A rate or mean with nothing to
/// divide by is undefined with the reason ("应结案数 is 0"). Error(not_found) for a node or
/// department code the hierarchy / the engine's departments do not know, or a unit place
/// not live in the engine's overlays (CaseEngine::networks()); Error(invalid_argument) for
/// a unit subject naming a base node. A person unknown to the engine simply has no cases
/// (zero counts).
IndicatorValues case_indicators(const CaseEngine& engine, const IndicatorSubject& subject,
                                const AssessmentPeriod& period);

// ---- every node and department at once ---------------------------------------------------

/// The case indicators of every live node (subtree totals) and every department of the
/// engine for one period. Built in O(cases + nodes); reading one subject's values costs
/// O(keys) without sources and O(cases of the subtree) with them (the first request for
/// sources classifies the counted cases once more). The table refers to the engine and the
/// hierarchy: both must outlive it, and it describes the cases as they were when built
/// (later commands are not seen; their sources may then name cases that changed since).
class CaseIndicatorTable {
  public:
    CaseIndicatorTable();
    CaseIndicatorTable(CaseIndicatorTable&&) noexcept;
    CaseIndicatorTable& operator=(CaseIndicatorTable&&) noexcept;
    ~CaseIndicatorTable();

    const AssessmentPeriod& period() const;
    /// Cases that count for something in the period (the rest were skipped).
    std::size_t cases() const;

    /// The values of a node's subtree: every key, or only `keys` when not empty (a key that
    /// is not a case indicator is left out). With `sources`, each value lists its case
    /// numbers. Error(not_found) for an id that is not a live node.
    IndicatorValues node(NodeId node, const std::vector<std::string>& keys = {},
                         bool sources = true) const;
    /// The same for a department; Error(not_found) for a code the engine does not know.
    IndicatorValues department(std::string_view code, const std::vector<std::string>& keys = {},
                               bool sources = true) const;
    /// The same for a unit of one of the engine's overlays ("fire:F01"): the cases at the
    /// base nodes it covers, itself or through its units beneath (Networks::covering),
    /// each case once. Error(not_found) for a place that is not a live unit of the engine's
    /// overlays; Error(invalid_argument) for a base node (ask node()).
    IndicatorValues unit(std::string_view place, const std::vector<std::string>& keys = {},
                         bool sources = true) const;
    /// Department codes of the engine, in catalogue order.
    std::vector<std::string> departments() const;
    /// The cases behind one key of a node's subtree (for a rate: its numerator), by id
    /// ascending. Error(not_found) for an unknown key or node.
    std::vector<CaseId> node_sources(NodeId node, std::string_view key) const;
    std::vector<CaseId> department_sources(std::string_view code, std::string_view key) const;
    std::vector<CaseId> unit_sources(std::string_view place, std::string_view key) const;

    struct Impl;

  private:
    friend CaseIndicatorTable case_indicators_by_node(const CaseEngine&, const Hierarchy&,
                                                      const AssessmentPeriod&);
    std::unique_ptr<Impl> impl_;
};

/// Classifies every case of the engine once for the period and sums the counts per node
/// (over pre-order subtree ranges), per department and per unit of each of the engine's
/// overlays (O(nodes + units) more per overlay). `hierarchy` must be the engine's.
CaseIndicatorTable case_indicators_by_node(const CaseEngine& engine, const Hierarchy& hierarchy,
                                           const AssessmentPeriod& period);

// ---- the runner --------------------------------------------------------------------------

/// Which subjects assess() scores.
struct SubjectSelection {
    enum class Kind : std::uint8_t {
        list = 0,          ///< `subjects` as given
        level = 1,         ///< every live node of `level` (a LevelScheme key; "" = every level)
        departments = 2,   ///< every department of the engine
        grid_workers = 3,  ///< every person posted at a node of `level` (default "grid")
        units = 4,  ///< every live unit of `overlay` at `level` (its own level key; "" = all)
    };
    Kind kind = Kind::list;
    std::vector<IndicatorSubject> subjects;
    std::string level;
    /// grid_workers: only these role codes count ("" or empty = any role at that level).
    std::vector<std::string> roles;
    /// units: the overlay key (one of the engine's overlays).
    std::string overlay;

    static SubjectSelection of(std::vector<IndicatorSubject> subjects);
    static SubjectSelection every_node(std::string level);
    static SubjectSelection every_department();
    static SubjectSelection every_grid_worker(std::string level = "grid",
                                              std::vector<std::string> roles = {});
    static SubjectSelection every_unit(std::string overlay, std::string level = "");
};

/// What else assess() needs or may use.
struct AssessOptions {
    /// Earlier results (any subjects and periods) for the consecutive-period rules.
    std::vector<ScoreResult> history;
    /// Values the caller adds or overrides, by subject code (e.g. commendations, ratings).
    std::map<std::string, IndicatorValues> extra;
    /// Values computed for each subject as it is scored (after the indicators, before
    /// `extra`): called with the subject (code, level, area class) and its values to add
    /// to, e.g. a workspace's duty values (docs/duties.md). Not called when empty.
    std::function<void(const AssessmentSubject&, IndicatorValues&)> more;
    /// Keep the case numbers behind each value (false: values without sources — the fast
    /// path for whole provinces; CaseIndicatorTable gives them on demand).
    bool sources = true;
    /// Area class of subjects whose node has none (step tables are chosen by it).
    std::string default_area_class;
    /// grid_workers: the activity records and the calendar their indicators need
    /// (required), and the directory whose posts name the workers (required).
    const ActivityLog* activity = nullptr;
    const WorkingCalendar* calendar = nullptr;
    const Directory* directory = nullptr;
    PatrolRule patrol;
};

/// What assess() returns.
struct AssessmentRun {
    /// One per subject, ranked within peer groups (rank()), in the order of the selection.
    std::vector<ScoreResult> scores;
    /// The rule flags raised at this period over history + scores.
    std::vector<RuleFlag> flags;
};

/// Scores every selected subject for the period with the scheme: indicators from the
/// engine (nodes and departments through one CaseIndicatorTable; persons through their
/// events; grid workers through the activity log plus `reports_adopted` from their cases),
/// merged with `options.extra`, then score(), rank() and evaluate_rules(). Subjects: a
/// node gets level = its level key and area_class = its own (else the default); a
/// department level "department"; a person "worker"; an overlay unit "overlay:level"
/// ("fire:small", "market:section": units rank among the units of their own level).
/// Error(invalid_argument) for a grid_workers selection without activity, calendar or
/// directory, or an unknown level; Error(not_found) for a units selection naming an
/// overlay the engine does not have;
/// Error(not_found) from score() for a missing step table.
AssessmentRun assess(const CaseEngine& engine, const Hierarchy& hierarchy,
                     const AssessmentScheme& scheme, const AssessmentPeriod& period,
                     const SubjectSelection& selection, const AssessOptions& options = {});

}  // namespace gridgov

#endif  // GRIDGOV_INDICATORS_HPP
