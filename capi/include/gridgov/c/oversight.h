/*
 * gridgov/c/oversight.h: oversight of grid work from above and from below — inspections of
 * the picks of a recorded draw (督导考核), the promise of every matter rated by the people
 * it serves (一事一诺一评价) and the hazards found, graded, rectified and re-checked
 * (隐患排查整改). Part of the C ABI of gridgov: <gridgov.h> includes every
 * module's header, and each may be included on its own. The conventions are in
 * gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_OVERSIGHT_H
#define GRIDGOV_C_OVERSIGHT_H

#include "gridgov/c/assessment.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== oversight ===================================================================== */

/* The inspections, promises, ratings and hazard entries of a workspace. All four live in
 * the workspace: every change below is one transaction, checked first — a refused change
 * returns an error naming the source, the element ("inspections[1]", "promises[0]",
 * "ratings[2]", "hazards[0]") and the field, and changes neither file nor memory.
 *  - An inspection is a JSON object {"id": unique among the inspections, "draw": the label
 *    of a recorded draw (gridgov_assessment_record_draw()) whose pick was inspected, or ""
 *    for an inspection outside any draw, "subject": what was inspected (a pick of the draw;
 *    without a draw a live node code, an overlay unit place "sanbao:Z01", a department
 *    code, a person id or a live record key), "at": an ISO 8601 instant
 *    ("2026-03-10T10:00", China Standard Time without an offset), "inspectors": [person ids
 *    of the directory], "findings": [{"item": what was wrong, "deduction": the points
 *    deducted (0 or more), "charged_to": who bears them ("" = the subject; else a node,
 *    unit place, department, person or record key), "evidence": [photo and video
 *    references], "note"}], "note"}; "draw", "findings", "deduction" (0), "charged_to",
 *    "evidence" and the notes may be left out.
 *  - A task is a JSON object {"draw", "pick" (its position among the picks, from 0),
 *    "subject", "done" (true once an inspection of it is recorded under the draw),
 *    "inspections": [their ids], "findings": their count, "deduction": their points}.
 *  - A promise is a JSON object {"id": unique among the promises, "case": the number of a
 *    case of the workspace (the matter), "what": what is promised, "by": the day it is
 *    promised by ("YYYY-MM-DD", inclusive), "at": when it was promised, "team": the record
 *    key of the service team that promised it or "", "place": the node code it is listed
 *    under ("" = the case's node), "note"}; "team", "place" and "note" may be left out.
 *  - A rating is a JSON object {"promise": a promise id, "by": "citizen" (or "群众": the
 *    people served, 群众评分) or "team" (or "自评": the team's self-score, 团队自评),
 *    "score": 0–100, "at", "note"}; "note" may be left out; read back, "by" is "citizen" or
 *    "team". A promise takes one score of each rater.
 *  - A progress row is a JSON object {"id", "case", "category", "what", "by", "at", "team",
 *    "place", "state": "open" | "overdue" | "kept" | "late" | "voided", "case_state" (the
 *    matter's workflow state now), "closed_at" (null while the matter is open), "citizen_score",
 *    "team_score" (null until rated)}, read at an instant: a close or a rating after it is
 *    not seen.
 *  - A hazard (隐患) is a case of the workspace, usually on the built-in workflow
 *    "hazard_rectification" (found → graded → rectifying → checking → closed, or voided;
 *    escalated a tier up to the county), reported and moved on with gridgov_cases_report()
 *    and gridgov_cases_fire(). What its commands do not carry is kept in hazard entries,
 *    each adding to the ones before it: a hazard entry is a JSON object {"id": unique among
 *    the hazard entries, "case": the hazard's case number, "at": when it was recorded (not
 *    before the case was reported, not after it closed), "person": who recorded it (a
 *    person id of the directory), "record": the key of the live record (a house, a unit)
 *    the hazard belongs to — once said it stays, "found_by": the id of the inspection or
 *    duty fulfilment whose check found it, "grade": "general" | "larger" | "major" (or 一般,
 *    较大, 重大), "deadline": the rectification order's deadline ("YYYY-MM-DD", not before
 *    the entry's day; a later entry may set a new one), "progress": percent rectified
 *    (an integer 0–100), "evidence": [references], "note"}; all but "id", "case", "at" and
 *    "person" may be left out; read back, "grade", "deadline" and "progress" are null when
 *    not said.
 *  - A hazard is a JSON object {"case", "category", "node" (the code of the case's node),
 *    "case_state" (its workflow state now), "tier" (escalation tier, 0 = the grid),
 *    "record", "found_by", "grade", "deadline" (null when not said), "progress" (the last
 *    reported; 100 once fixed), "reported_at", "closed_at" (null while open), "status":
 *    "open" | "overdue" (not fixed, its deadline passed) | "fixed_on_time" (closed by the
 *    deadline; without one, no clock of the case ran out) | "fixed_late" | "voided",
 *    "entries": [the ids of its entries]}, read at an instant: entries and a close after
 *    it are not seen.
 *  - Read back, instants are written "YYYY-MM-DDTHH:MM:SS+08:00" and every member is
 *    present.
 *  - `as_of` is an instant in seconds since the epoch (gridgov_instant_parse()).
 *  - Text results are owned by the caller, released with gridgov_free(). */

/* ---- inspections ------------------------------------------------------------------- */

/* Records inspections, all or none.
 * out_added: receives the number recorded (the array's length). json: a JSON array of
 * inspections (the layout above); borrowed for the call. source_name: the name messages use
 * for the text, or NULL for "<json>".
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE for text that is not JSON; GRIDGOV_EINVAL for NULL
 * arguments, text that is not an array of objects, a member missing, empty, of the wrong
 * type or unknown, an "at" that is not an ISO 8601 instant, no inspector named, a negative
 * or non-finite deduction, control characters outside the notes; GRIDGOV_EEXISTS for an id recorded
 * already or repeated; GRIDGOV_ENOTFOUND for a draw label not recorded, a subject that is
 * not a pick of its draw (or, without a draw, no node, unit, department, person or
 * record), an inspector the directory does not know, a finding charged to none of these;
 * GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_oversight_add_inspections_json(size_t* out_added, gridgov_workspace* ws,
                                                       const char* json, const char* source_name);

/* Every inspection recorded, in the order recorded, as a JSON array (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_oversight_inspections_json(char** out, const gridgov_workspace* ws);

/* The inspection tasks of a recorded draw, one per pick in the order drawn, with the
 * inspections recorded under its label, as a JSON array of tasks (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free(). draw_label: the
 * label the draw was recorded under ("2026-03").
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for a label no draw was recorded under (the message
 * names it); GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_oversight_tasks_json(char** out, const gridgov_workspace* ws,
                                             const char* draw_label);

/* ---- promises and ratings ---------------------------------------------------------- */

/* Records promises, all or none.
 * out_added: receives the number recorded. json: a JSON array of promises (the layout
 * above); borrowed for the call. source_name: as gridgov_oversight_add_inspections_json().
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE; GRIDGOV_EINVAL for NULL arguments, a member missing,
 * of the wrong type or unknown, a malformed "by" or "at", an empty "what", a promised day
 * before the day it was made, a promise made after its matter closed; GRIDGOV_EEXISTS for
 * an id recorded already or repeated; GRIDGOV_ENOTFOUND for an unknown case, a team that
 * is not a live record, a place that is not a live node; GRIDGOV_ESTATE for a read-only
 * workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_oversight_add_promises_json(size_t* out_added, gridgov_workspace* ws,
                                                    const char* json, const char* source_name);

/* Every promise recorded, in the order recorded, each with its place resolved, as a JSON
 * array (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_oversight_promises_json(char** out, const gridgov_workspace* ws);

/* Records ratings of promises, all or none.
 * out_added: receives the number recorded. json: a JSON array of ratings (the layout
 * above); borrowed for the call. source_name: as gridgov_oversight_add_inspections_json().
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE; GRIDGOV_EINVAL for NULL arguments, a member missing,
 * of the wrong type or unknown, an unknown rater, a score outside 0–100, a rating dated
 * before its promise; GRIDGOV_EEXISTS for a second score of a promise by the same rater;
 * GRIDGOV_ENOTFOUND for an unknown promise; GRIDGOV_ESTATE for a read-only workspace;
 * GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_oversight_rate_promises_json(size_t* out_added, gridgov_workspace* ws,
                                                     const char* json, const char* source_name);

/* Every rating recorded, in the order recorded, as a JSON array (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_oversight_ratings_json(char** out, const gridgov_workspace* ws);

/* The progress of every promise made by `as_of`, in the order recorded, as a JSON array of
 * progress rows (the layout above): the matter's state from the case engine (a close after
 * `as_of` is not seen), the ratings recorded by `as_of`.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or an as_of of GRIDGOV_NO_INSTANT
 * (the message names the parameter). Since 0.1. */
GRIDGOV_API int gridgov_oversight_progress_json(char** out, const gridgov_workspace* ws,
                                                int64_t as_of);

/* ---- the monthly board ------------------------------------------------------------- */
/* The public list of matters of a month (网格服务办事进度表): every promise listed under the
 * place's subtree that was made by the end of the month and had not closed before it
 * began, in the order recorded, with its state and scores read at the end of the month, or
 * at `as_of` when that is earlier.
 * month: a month ("2026-03"). place: a node code, or NULL or "" for everywhere. as_of: the
 * instant the progress is read at, or GRIDGOV_NO_INSTANT for the end of the month.
 * These return GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments, a malformed period or a
 * period that is not a month (the message names the parameter); GRIDGOV_ENOTFOUND for a
 * place that is not a node (the message names it). */

/* The board as one JSON object {"title": "<place name> 网格服务办事进度表 <month>",
 * "month", "place", "kept", "late", "overdue", "open" (counts of the rows), "citizen_mean",
 * "team_mean" (over the rows rated; null with none), "rows": [progress rows]}.
 * out: receives the text; owned by the caller, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_oversight_board_json(char** out, const gridgov_workspace* ws,
                                             const char* month, const char* place, int64_t as_of);

/* The board as a self-contained HTML page for the public window (公示): the title, a table
 * of the matters (what, promised by, state, scores; the rows overdue have class "overdue")
 * and the means. Every text is HTML-escaped; no personal data is shown.
 * out: receives the page; owned by the caller, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_oversight_board_html(char** out, const gridgov_workspace* ws,
                                             const char* month, const char* place, int64_t as_of);

/* ---- hazards ----------------------------------------------------------------------- */

/* Records hazard entries, all or none.
 * out_added: receives the number recorded. json: a JSON array of hazard entries (the layout
 * above); borrowed for the call. source_name: as gridgov_oversight_add_inspections_json().
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE; GRIDGOV_EINVAL for NULL arguments, a member missing,
 * empty, of the wrong type or unknown, a malformed "at" or "deadline", an unknown grade, a
 * progress outside 0–100, an entry dated before its case was reported or after it closed,
 * a record other than the one the hazard already belongs to, a deadline before the entry's
 * day; GRIDGOV_EEXISTS for an id recorded already or repeated; GRIDGOV_ENOTFOUND for an
 * unknown case, a person the directory does not know, a record that is not live, a
 * found_by that is neither an inspection nor a duty fulfilment; GRIDGOV_ESTATE for a
 * read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_oversight_add_hazard_entries_json(size_t* out_added, gridgov_workspace* ws,
                                                          const char* json,
                                                          const char* source_name);

/* Every hazard entry recorded, in the order recorded, as a JSON array (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_oversight_hazard_entries_json(char** out, const gridgov_workspace* ws);

/* The hazards the entries recorded by `as_of` name, one per case in the order of its first
 * entry, as a JSON array of hazards (the layout above): a close after `as_of` is not seen.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or an as_of of GRIDGOV_NO_INSTANT
 * (the message names the parameter). Since 0.1. */
GRIDGOV_API int gridgov_oversight_hazards_json(char** out, const gridgov_workspace* ws,
                                               int64_t as_of);

/* ---- indicators -------------------------------------------------------------------- */

/* Adds the oversight indicators of a subject for a period to `values` (replacing values of
 * the same keys), ready for a scheme through the extra values of
 * gridgov_assessment_assess() (gridgov_indicator_values_json() gives them as one JSON
 * object):
 *  - of the inspections whose date (China Standard Time) lies in the period: inspections
 *    (of the subject; sources: their ids), inspection_clean (of them, those that found
 *    nothing), inspection_findings (findings charged to the subject; sources "id#k", k from
 *    1), inspection_deduction (their points). A node code covers its subtree, an overlay
 *    unit place its subtree in the overlay; a department, person or record key only itself.
 *  - of the promises made in the period and listed under the subject (a node code: placed
 *    in its subtree; any other code: a team's record key), read at the period's last
 *    second as gridgov_assessment_assess() reads them: promises (sources: their ids),
 *    promises_kept, promises_late, promises_overdue, promise_kept_rate (kept per promise
 *    no longer open or voided, in %), promise_citizen_mean and promise_team_mean (the mean
 *    scores of those rated; undefined with the reason when none is).
 *  - of the hazards reported in the period (China Standard Time date of the report) under
 *    the subject (a node code: those of its subtree; an overlay unit place: those of the
 *    base nodes it covers, a fire grid's; any other code: a record key), read at the
 *    period's last second as gridgov_assessment_assess() reads them, voided ones left out:
 *    hazards (sources: their case numbers), hazards_general, hazards_larger, hazards_major,
 *    hazards_ungraded (by grade), hazards_fixed, hazards_fixed_on_time, hazards_overdue,
 *    hazards_open (by status), hazard_fix_rate (fixed per hazard found, in %, 整改率),
 *    hazard_on_time_rate (fixed on time per hazard fixed or overdue, in %),
 *    hazard_progress (the mean progress of the hazards found, a fixed one 100, in %);
 *    the rates and the mean are undefined with the reason when nothing is counted.
 * values: borrowed for the call. subject: the subject's code, not empty. period: "2026-03",
 * "2026-Q1", "2026-H1", "2026".
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments, an empty subject or a malformed
 * period (the message names the parameter); a refused call leaves `values` as it was.
 * Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_oversight(gridgov_indicator_values* values,
                                                       const gridgov_workspace* ws,
                                                       const char* subject, const char* period);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_OVERSIGHT_H */
