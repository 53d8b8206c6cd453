// Oversight of grid work from above and from below: inspections that count (督导考核, seed
// 003) and the promise of every matter rated by the people it serves (一事一诺一评价, seed
// 002 第三篇).
//
// Inspections. Every month a team drawn from the leading group's member units inspects a
// random draw of the grids (seed 003: 11 of the 33 grids), records what it finds, takes
// photos and video, and the findings are totalled into the departments' and grids' scores,
// ranked each quarter and published. Here a recorded draw (WorkspaceAssessment::record_draw)
// is the month's list of inspection tasks, one per pick; an Inspection records the visit
// to one pick (or, outside any draw, to any grid, unit or department: the daily
// supervision), with its findings — the item, the points deducted, the evidence and whom
// the deduction is charged to. inspection_values() turns them into indicators
// (inspections, inspection_findings, inspection_deduction, inspection_clean) that an
// assessment scheme reads; the preset scheme "city_inspection" deducts them from 100 each
// month, averages the months into the quarter's composite and raises the seed's flag after
// three failing months.
//
// Promises. For every service matter the grid's service team promises what it will do and
// by when; the citizen scores the result and the team scores itself, on 100 points, and
// every month the progress list of the matters is put up for the public (seed 002 第三篇:
// 362 matters promised and rated, a mean citizen score of 83.2). A Promise belongs to a
// case of the case engine; its progress follows the case (kept when the case closed by the
// promised day, late, overdue, still open); PromiseRating records a score; the monthly
// board lists the matters with their state and scores, and promise_values() gives counts,
// the share kept and the mean ratings per grid and per team.
//
// Hazards (隐患). A hazard found in a grid (seed 002 第四篇: the villages' monthly fire
// checks find them, the grids fix them, those beyond the grid's means go up to the
// township and the major ones to the county) runs as a case on the hazard_rectification
// workflow; HazardEntry records what the case's commands do not carry — the house or unit
// it belongs to, the check that found it, its grade, the rectification order's deadline,
// the progress reports — and hazard_values() answers the seed's four questions.
//
// Threading: the types are values; the functions only read their arguments.
#ifndef GRIDGOV_OVERSIGHT_HPP
#define GRIDGOV_OVERSIGHT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/core.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

// ---- inspections --------------------------------------------------------------------------

/// One problem an inspection found.
struct InspectionFinding {
    std::string item;      ///< what was wrong: "门前三包: 乱摆乱卖"
    double deduction = 0;  ///< points deducted, 0 or more
    /// Who bears the deduction: a node code, an overlay unit place, a department code, a
    /// person id or a record key (a 门前三包 unit); "" = the inspection's subject.
    std::string charged_to;
    std::vector<std::string> evidence;  ///< photo and video references
    std::string note;

    friend bool operator==(const InspectionFinding& a, const InspectionFinding& b);
};

/// One inspection of one subject.
struct Inspection {
    std::string id;  ///< unique among the inspections
    /// The label of the recorded draw whose pick was inspected ("2026-03"); "" = an
    /// inspection outside any draw (the daily supervision of seed 003).
    std::string draw;
    /// What was inspected: a grid or other node (code), an overlay unit place
    /// ("sanbao:Z01"), a department code, or a record key (a unit, a house).
    std::string subject;
    Instant at;
    std::vector<std::string> inspectors;      ///< directory person ids
    std::vector<InspectionFinding> findings;  ///< none: nothing was found wrong
    std::string note;

    friend bool operator==(const Inspection& a, const Inspection& b);
};

/// Reads a JSON array of inspections [{"id", "draw", "subject", "at" (ISO 8601; China
/// Standard Time without an offset), "inspectors": [...], "findings": [{"item",
/// "deduction", "charged_to", "evidence": [...], "note"}], "note"}] ("draw", "findings",
/// "charged_to", "evidence" and the notes may be left out). Unknown members, a negative or
/// non-finite deduction and control characters outside notes are refused:
/// Error(invalid_argument) naming `source_name`, the element ("inspections[1].findings[0]")
/// and the field; Error(parse_error) for malformed JSON.
std::vector<Inspection> inspections_from_json(std::string_view text,
                                              std::string_view source_name = "<json>");
/// The same layout, written ("at" with its +08:00 offset).
std::string inspections_to_json(const std::vector<Inspection>& inspections);

/// One pick of a recorded draw: a task to inspect it, and what the inspections of it found.
struct InspectionTask {
    std::string draw;                      ///< the draw's label
    std::size_t pick = 0;                  ///< position among the picks, from 0
    std::string subject;                   ///< the pick
    std::vector<std::string> inspections;  ///< ids of the inspections of it under the draw
    std::size_t findings = 0;
    double deduction = 0;  ///< of the findings, whomever they are charged to
    bool done() const { return !inspections.empty(); }
};

/// The tasks of a draw: one per pick in the order drawn, with the inspections recorded
/// under `label` matched by subject.
std::vector<InspectionTask> inspection_tasks(std::string_view label, const DrawRecord& draw,
                                             const std::vector<Inspection>& inspections);
/// Tasks as a JSON array [{"draw", "pick", "subject", "done", "inspections", "findings",
/// "deduction"}].
std::string inspection_tasks_to_json(const std::vector<InspectionTask>& tasks);

/// The inspection indicators of a subject over a period (inspections whose China Standard
/// Time date lies inside it). A node code covers its subtree (a community gets its grids'
/// inspections), an overlay unit place its subtree in the overlay; any other code (a
/// department, a person, a record key) only itself. A finding counts for whom it is
/// charged to (its subject when charged to nobody).
///   inspections           inspections of the subject (sources: their ids)
///   inspection_clean      of them, those that found nothing
///   inspection_findings   findings charged to the subject (sources: "id#k", k from 1)
///   inspection_deduction  the points of those findings
IndicatorValues inspection_values(const std::vector<Inspection>& inspections,
                                  std::string_view subject, const Networks& networks,
                                  const AssessmentPeriod& period);

// ---- promises -------------------------------------------------------------------------------

/// A promise made for a matter (一事一诺).
struct Promise {
    std::string id;           ///< unique among the promises
    std::string case_number;  ///< the matter: a case of the case engine (JSON "case")
    std::string what;         ///< what is promised
    Date by;                  ///< the day it is promised by (inclusive)
    Instant at;               ///< when it was promised
    /// The service team that promised it: a record key (an organisation of the records,
    /// e.g. a 网格服务团队) or ""; ratings are averaged per team.
    std::string team;
    /// The grid (node code) it is listed under; "" when recorded = the case's node.
    std::string place;
    std::string note;

    friend bool operator==(const Promise& a, const Promise& b);
};

/// Who scores a promise.
enum class PromiseRater : std::uint8_t {
    citizen = 0,  ///< the people served (群众评分)
    team = 1,     ///< the service team's self-score (团队自评)
};
/// "citizen", "team".
const char* promise_rater_name(PromiseRater r) noexcept;
/// The names above, also 群众 and 自评; Error(invalid_argument).
PromiseRater parse_promise_rater(std::string_view text);

/// A score of a promise on 100 points: one per promise and rater.
struct PromiseRating {
    std::string promise;  ///< the promise id
    PromiseRater by = PromiseRater::citizen;
    double score = 0;  ///< 0–100
    Instant at;
    std::string note;

    friend bool operator==(const PromiseRating& a, const PromiseRating& b);
};

/// Reads a JSON array of promises [{"id", "case", "what", "by" (YYYY-MM-DD), "at", "team",
/// "place", "note"}] ("team", "place" and "note" may be left out); errors as
/// inspections_from_json() ("promises[2]").
std::vector<Promise> promises_from_json(std::string_view text,
                                        std::string_view source_name = "<json>");
std::string promises_to_json(const std::vector<Promise>& promises);
/// Reads a JSON array of ratings [{"promise", "by" ("citizen" | "team"), "score", "at",
/// "note"}] ("note" may be left out); a score outside 0–100 is refused ("ratings[0]").
std::vector<PromiseRating> promise_ratings_from_json(std::string_view text,
                                                     std::string_view source_name = "<json>");
std::string promise_ratings_to_json(const std::vector<PromiseRating>& ratings);

/// How a promise stands at the instant it is read.
enum class PromiseState : std::uint8_t {
    open = 0,     ///< the matter is not closed and the day has not passed
    overdue = 1,  ///< the matter is not closed and the day has passed
    kept = 2,     ///< the matter closed on or before the promised day
    late = 3,     ///< the matter closed after it
    voided = 4,   ///< the matter was voided
};
/// "open", "overdue", "kept", "late", "voided".
const char* promise_state_name(PromiseState s) noexcept;

/// A promise with its matter's progress and its scores, read at one instant.
struct PromiseProgress {
    Promise promise;
    std::string category;    ///< the matter's category code
    std::string case_state;  ///< the matter's workflow state as the engine holds it now
    PromiseState state = PromiseState::open;
    std::optional<Instant> closed_at;     ///< when the matter closed (or was voided)
    std::optional<double> citizen_score;  ///< ratings recorded up to the instant read
    std::optional<double> team_score;
};

/// The progress of every promise made by `as_of`, in the order given: the matter's state
/// from `engine` (a close after `as_of` is not seen), the ratings recorded by `as_of`.
/// Error(not_found) naming a promise whose case the engine does not know.
std::vector<PromiseProgress> promise_progress(const std::vector<Promise>& promises,
                                              const std::vector<PromiseRating>& ratings,
                                              const CaseEngine& engine, Instant as_of);

/// The promise indicators of a subject over a period, of the promises made in it (their
/// China Standard Time date inside the period) and listed under the subject: a node code
/// covers the promises placed in its subtree, an overlay unit place those placed in the
/// grids it covers, any other code is a team's record key.
///   promises              promises made (sources: their ids)
///   promises_kept         of them, kept; promises_late, promises_overdue likewise
///   promise_kept_rate     kept per promise no longer open or voided, in %
///   promise_citizen_mean  the mean citizen score of those rated (undefined with none)
///   promise_team_mean     the mean self-score likewise
IndicatorValues promise_values(const std::vector<PromiseProgress>& progress,
                               std::string_view subject, const Networks& networks,
                               const AssessmentPeriod& period);

/// The monthly public list of matters (网格服务办事进度表) of a place: every promise
/// listed under the place's subtree ("" = everywhere) that was made by the end of the month
/// and had not closed before it began, in the order recorded, with its state and scores at
/// the end of the month (or at `as_of`, the instant the progress was read, when earlier).
struct PromiseBoard {
    std::string title;  ///< "<place name> 网格服务办事进度表 <month>"
    std::string month;  ///< "2026-03"
    std::string place;  ///< node code; "" = everywhere
    std::vector<PromiseProgress> rows;
    std::size_t kept = 0, late = 0, overdue = 0, open = 0;
    std::optional<double> citizen_mean;  ///< over the rows rated
    std::optional<double> team_mean;
};
/// The board of `month` from progress read at (or after) the month's end. Error(not_found)
/// naming a place that is not a node; Error(invalid_argument) for a period not a month.
PromiseBoard promise_board(const std::vector<PromiseProgress>& progress,
                           const AssessmentPeriod& month, std::string_view place,
                           const Networks& networks);
/// A board as one JSON object {title, month, place, kept, late, overdue, open,
/// citizen_mean, team_mean, rows: [{id, case, category, what, by, at, team, place, state,
/// case_state, closed_at, citizen_score, team_score}]}.
std::string promise_board_to_json(const PromiseBoard& board);
/// A board as a self-contained HTML page for the public window (公示): the title, a table of
/// the matters (what, promised by, state, scores; the rows overdue marked with class
/// "overdue") and the means. Every text is HTML-escaped; no personal data is shown.
std::string promise_board_html(const PromiseBoard& board);

/// Progress rows as a JSON array of the board's row objects.
std::string promise_progress_to_json(const std::vector<PromiseProgress>& progress);

// ---- hazards (隐患) ----------------------------------------------------------------------

/// The grade of a hazard (隐患等级).
enum class HazardGrade : std::uint8_t {
    general = 0,  ///< 一般隐患: fixed in the grid or the village
    larger = 1,   ///< 较大隐患
    major = 2,    ///< 重大隐患: reported up to the county (seed 002 第四篇)
};
/// "general", "larger", "major".
const char* hazard_grade_name(HazardGrade g) noexcept;
/// The names above, also 一般, 较大, 重大; Error(invalid_argument).
HazardGrade parse_hazard_grade(std::string_view text);

/// What is recorded about a hazard besides its case's commands: the record it belongs to,
/// the check that found it, its grade, the rectification order's deadline and the progress
/// reports. A hazard is a case of the case engine (usually on the hazard_rectification
/// workflow: found → graded → ordered → rectifying → re-checked → closed, or escalated);
/// each entry adds to what the entries before it said.
struct HazardEntry {
    std::string id;           ///< unique among the hazard entries
    std::string case_number;  ///< the hazard's case (JSON "case")
    Instant at;
    std::string person;  ///< who recorded it: a directory person id
    /// The record the hazard belongs to (a house, a unit); "" = not said here. Once said it
    /// stays: a later entry may only repeat it.
    std::string record;
    /// The inspection or duty fulfilment whose check found it; "" = not said here.
    std::string found_by;
    std::optional<HazardGrade> grade;  ///< graded or re-graded
    std::optional<Date> deadline;      ///< the rectification order's deadline, or a new one
    std::optional<int> progress;       ///< percent rectified, 0–100 (a progress report)
    std::vector<std::string> evidence;
    std::string note;

    friend bool operator==(const HazardEntry& a, const HazardEntry& b);
};

/// Reads a JSON array of entries [{"id", "case", "at", "person", "record", "found_by",
/// "grade" ("general" | "larger" | "major" | 一般 | 较大 | 重大), "deadline" (YYYY-MM-DD),
/// "progress" (0–100), "evidence": [...], "note"}] (all but id, case, at and person may be
/// left out); errors as inspections_from_json() ("hazards[2]").
std::vector<HazardEntry> hazard_entries_from_json(std::string_view text,
                                                  std::string_view source_name = "<json>");
std::string hazard_entries_to_json(const std::vector<HazardEntry>& entries);

/// How a hazard stands at the instant it is read.
enum class HazardStatus : std::uint8_t {
    open = 0,           ///< being dealt with, its deadline not passed (or none set)
    overdue = 1,        ///< not fixed and its deadline has passed
    fixed_on_time = 2,  ///< its case closed by the deadline (without one: no clock ran out)
    fixed_late = 3,     ///< its case closed after the deadline (or after a clock ran out)
    voided = 4,         ///< its case was voided: not a hazard
};
/// "open", "overdue", "fixed_on_time", "fixed_late", "voided".
const char* hazard_status_name(HazardStatus s) noexcept;

/// A hazard as its case and its entries make it at one instant.
struct Hazard {
    std::string case_number;
    std::string category;    ///< the case's category code
    std::string node;        ///< the code of the case's node (its grid)
    std::string case_state;  ///< the case's workflow state as the engine holds it now
    int tier = 0;            ///< escalation tier of the case (0 = the grid)
    std::string record;
    std::string found_by;
    std::optional<HazardGrade> grade;
    std::optional<Date> deadline;
    int progress = 0;  ///< the last progress reported; 100 once fixed
    Instant reported_at;
    std::optional<Instant> closed_at;  ///< when the case closed or was voided, if by then
    HazardStatus status = HazardStatus::open;
    std::vector<std::string> entries;  ///< the ids of its entries, in the order recorded
};

/// The hazards the entries name, in the order of their first entry, read at `as_of`
/// (entries after it and a close after it are not seen); `hierarchy` is the engine's, for
/// the nodes' codes. Error(not_found) naming an entry whose case the engine does not know.
std::vector<Hazard> hazards_of(const std::vector<HazardEntry>& entries, const CaseEngine& engine,
                               const Hierarchy& hierarchy, Instant as_of);
/// Hazards as a JSON array [{"case", "category", "node", "case_state", "tier", "record",
/// "found_by", "grade", "deadline", "progress", "reported_at", "closed_at", "status",
/// "entries"}] (grade, deadline and closed_at null when unknown).
std::string hazards_to_json(const std::vector<Hazard>& hazards);

/// The four questions of the seed — how many hazards, how severe, fixed on time, fixed how
/// far — for the hazards reported in the period (China Standard Time date of the report)
/// under a subject: a node code covers the hazards of its subtree, an overlay unit place
/// those of the base nodes it covers (a fire grid), any other code is a record key.
///   hazards                  hazards found (sources: case numbers); voided ones left out
///   hazards_general, hazards_larger, hazards_major, hazards_ungraded   by grade
///   hazards_fixed, hazards_fixed_on_time, hazards_overdue, hazards_open
///   hazard_fix_rate          fixed per hazard found, in % (整改率)
///   hazard_on_time_rate      fixed on time per hazard fixed or overdue, in %
///   hazard_progress          mean progress of the hazards found, in % (a fixed one 100)
IndicatorValues hazard_values(const std::vector<Hazard>& hazards, std::string_view subject,
                              const Networks& networks, const AssessmentPeriod& period);

}  // namespace gridgov

#endif  // GRIDGOV_OVERSIGHT_HPP
