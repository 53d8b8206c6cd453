/*
 * gridgov/c/assessment.h: assessment schemes, indicator values, scores, activity records, draws and
 * assessing a workspace. Part of the C ABI of gridgov: <gridgov.h> includes every module's header,
 * and each may be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_ASSESSMENT_H
#define GRIDGOV_C_ASSESSMENT_H

#include "gridgov/c/cases.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== assessment ==================================================================== */

/* Rules of this section (docs/assessment.md, "C API", has the full text):
 *  - A scheme (gridgov_assessment_scheme) is immutable once loaded; several threads may
 *    score with one scheme at once.
 *  - Indicator values are gathered in a gridgov_indicator_values handle: a number, or
 *    undefined with a reason (never 0 or NaN in disguise), each with the ids of the records
 *    behind it.
 *  - A score (gridgov_score) is a caller-owned copy of one result. Its full content,
 *    explanation tree included, is JSON text (gridgov_score_json); the common figures have
 *    getters. JSON formats: docs/assessment.md.
 *  - Periods are text: "2026-03", "2026-Q1", "2026-H1", "2026". */

/* An assessment scheme. */
typedef struct gridgov_assessment_scheme gridgov_assessment_scheme;
/* Indicator values by key, to score from. */
typedef struct gridgov_indicator_values gridgov_indicator_values;
/* One score of a subject for a period. */
typedef struct gridgov_score gridgov_score;

/* Activity record tables (gridgov_activities_import_*). */
#define GRIDGOV_ACTIVITY_AUTO 0 /* by the file's name: households.csv, 青石村_visits.csv */
#define GRIDGOV_ACTIVITY_HOUSEHOLDS 1
#define GRIDGOV_ACTIVITY_VISITS 2
#define GRIDGOV_ACTIVITY_PATROLS 3
#define GRIDGOV_ACTIVITY_COLLECTION 4
#define GRIDGOV_ACTIVITY_ATTENDANCE 5
#define GRIDGOV_ACTIVITY_TASKS 6
#define GRIDGOV_ACTIVITY_RATINGS 7

/* ---- assessment: schemes ---------------------------------------------------------- */

/* Loads a scheme from JSON text.
 * out: receives the scheme; owned by the caller, release with
 * gridgov_assessment_scheme_destroy(). out_findings: NULL, or receives the scheme's
 * warnings; owned by the caller, release with gridgov_findings_destroy(). json: borrowed
 * for the call. source_name: names the text in messages, NULL for "<json>".
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE for text that is not JSON; GRIDGOV_EINVAL when the
 * scheme has an error-level finding (the message lists them all) or for NULL arguments.
 * Since 0.1. */
GRIDGOV_API int gridgov_assessment_scheme_from_json(gridgov_assessment_scheme** out,
                                                    gridgov_findings** out_findings,
                                                    const char* json, const char* source_name);

/* A built-in scheme: "grid_worker", "urban_region", "urban_supervisor", "urban_dispatcher",
 * "urban_department", "jinhua_district".
 * out: as gridgov_assessment_scheme_from_json(); out_findings: NULL or the warnings.
 * Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND for an unknown key, or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_assessment_scheme_preset(gridgov_assessment_scheme** out,
                                                 gridgov_findings** out_findings, const char* key);

/* Every finding of a scheme document, errors and warnings, without loading it.
 * out: owned by the caller, release with gridgov_findings_destroy().
 * Returns GRIDGOV_OK (data problems are findings) or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_assessment_validate_json(gridgov_findings** out, const char* json,
                                                 const char* source_name);

/* Releases a scheme. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_assessment_scheme_destroy(gridgov_assessment_scheme* scheme);

/* The scheme's key and label. out: borrowed until the scheme is destroyed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_assessment_scheme_key(const char** out,
                                              const gridgov_assessment_scheme* scheme);
GRIDGOV_API int gridgov_assessment_scheme_label(const char** out,
                                                const gridgov_assessment_scheme* scheme);

/* ---- assessment: indicator values and scores -------------------------------------- */

/* Creates an empty set of values. out: owned by the caller, release with
 * gridgov_indicator_values_destroy(). Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_create(gridgov_indicator_values** out);

/* Releases values. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_indicator_values_destroy(gridgov_indicator_values* values);

/* Sets `key` to a number (replacing the value and sources it had).
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for NULL arguments, an empty key or a value that
 * is not finite. Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_set(gridgov_indicator_values* values, const char* key,
                                             double value);

/* Sets `key` to undefined with the reason (e.g. "应结案数 is 0").
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for NULL arguments or an empty key or reason.
 * Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_set_undefined(gridgov_indicator_values* values,
                                                       const char* key, const char* reason);

/* Adds the id of a record behind the value of `key` (a case number, an activity id).
 * Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND when `key` has no value yet, or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_source(gridgov_indicator_values* values,
                                                    const char* key, const char* source);

/* Scores one subject for one period.
 * out: receives the score; owned by the caller, release with gridgov_score_destroy().
 * subject: the subject's code (node, department or person). level, area_class: its peer
 * group (NULL for ""); area_class also selects step tables. period: its text.
 * values: NULL for none (every indicator is then missing, hence undefined).
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or a malformed period;
 * GRIDGOV_ENOTFOUND when a step component has no table for the area class. Since 0.1. */
GRIDGOV_API int gridgov_assessment_score(gridgov_score** out,
                                         const gridgov_assessment_scheme* scheme,
                                         const char* subject, const char* level,
                                         const char* area_class, const char* period,
                                         const gridgov_indicator_values* values);

/* Reads a score from JSON (gridgov_score_json()'s object; "explanation" is ignored).
 * out: owned by the caller, release with gridgov_score_destroy().
 * Returns GRIDGOV_OK, GRIDGOV_EPARSE or GRIDGOV_EINVAL (the message names the field).
 * Since 0.1. */
GRIDGOV_API int gridgov_score_from_json(gridgov_score** out, const char* json);

/* Releases a score. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_score_destroy(gridgov_score* score);

/* The whole score as one JSON object with its explanation tree under "explanation".
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_score_json(char** out, const gridgov_score* score);

/* The total. out_defined: receives 1 when the total is defined, else 0. out_total:
 * receives the total, NaN when undefined. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_score_total(int* out_defined, double* out_total,
                                    const gridgov_score* score);

/* The grade key ("" with an undefined total). out: borrowed until the score is destroyed
 * or ranked. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_score_grade(const char** out, const gridgov_score* score);

/* 1 when the grade band is failing, else 0. Returns GRIDGOV_OK or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_score_failing(int* out, const gridgov_score* score);

/* The rank within the peer group (0 = not ranked or undefined total) and the group's size.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_score_rank(int32_t* out_rank, size_t* out_peers,
                                   const gridgov_score* score);

/* Ranks scores within peer groups (same level and area class), setting each one's rank
 * and peers in place. scores: `count` score handles (borrowed; none may be NULL).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_assessment_rank(gridgov_score* const* scores, size_t count);

/* ---- assessment: inspection draws ------------------------------------------------- */

/* Draws as the spec says. spec_json: {"seed", "candidates", "count", "strata", "avoid"}.
 * out: receives the record as JSON (algorithm, the spec, picks); owned by the caller,
 * release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE; GRIDGOV_EINVAL naming the problem (duplicate
 * candidates, a count above what is left after "avoid", ...). Since 0.1. */
GRIDGOV_API int gridgov_assessment_draw(char** out, const char* spec_json);

/* Re-runs a recorded draw. out: receives 1 when it gives the recorded picks, else 0.
 * Returns GRIDGOV_OK, GRIDGOV_EPARSE or GRIDGOV_EINVAL (a record that cannot be read).
 * Since 0.1. */
GRIDGOV_API int gridgov_assessment_verify_draw(int* out, const char* record_json);

/* ---- assessment: the workspace ---------------------------------------------------- */

/* Imports one CSV file of activity records in one transaction.
 * out_records: receives the number of records added. out_table: NULL, or receives the
 * GRIDGOV_ACTIVITY_* table the file was read as. table: GRIDGOV_ACTIVITY_*.
 * Returns GRIDGOV_OK; on GRIDGOV_EPARSE, GRIDGOV_EINVAL, GRIDGOV_EEXISTS or
 * GRIDGOV_ENOTFOUND the message names the file, the row and the field, and nothing was
 * imported; GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_assessment_import_file(size_t* out_records, int* out_table,
                                               gridgov_workspace* ws, const char* path, int table);

/* The same from text; source_name names the text in messages (NULL for "<text>") and,
 * with GRIDGOV_ACTIVITY_AUTO, gives the table. Since 0.1. */
GRIDGOV_API int gridgov_assessment_import_text(size_t* out_records, int* out_table,
                                               gridgov_workspace* ws, const char* text, int table,
                                               const char* source_name);

/* The number of activity records of every kind. Returns GRIDGOV_OK or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_assessment_activity_count(size_t* out, const gridgov_workspace* ws);

/* Stores scores with their explanations; a stored score of the same scheme, subject and
 * period is replaced. scores: `count` handles (borrowed).
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for two scores with the same scheme, subject and
 * period (nothing is stored); GRIDGOV_ESTATE (read-only); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_assessment_store_scores(gridgov_workspace* ws,
                                                const gridgov_score* const* scores, size_t count);

/* The same from a JSON array of score objects. Since 0.1. */
GRIDGOV_API int gridgov_assessment_store_scores_json(gridgov_workspace* ws, const char* json);

/* Stored scores as a JSON array of score objects with their explanations, ordered by
 * scheme, subject and period. scheme, subject: NULL for any. from, to: NULL, or periods;
 * a score is listed when its dates lie inside [from's first day, to's last day].
 * out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (a malformed period). Since 0.1. */
GRIDGOV_API int gridgov_assessment_scores_json(char** out, const gridgov_workspace* ws,
                                               const char* scheme, const char* subject,
                                               const char* from, const char* to);

/* Records a draw (as gridgov_assessment_draw() gives it) under a label such as "2026-03".
 * Returns GRIDGOV_OK; GRIDGOV_EEXISTS for a label already recorded; GRIDGOV_EINVAL for a
 * record that does not re-run to its picks or NULL arguments; GRIDGOV_EPARSE;
 * GRIDGOV_ESTATE (read-only); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_assessment_record_draw(gridgov_workspace* ws, const char* label,
                                               const char* record_json);

/* Every recorded draw as a JSON array [{"label", "verified", "record"}] in recording
 * order; "verified" says whether it re-ran to its picks when the workspace was opened.
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_assessment_draws_json(char** out, const gridgov_workspace* ws);

/* Writes the public notice (通报) of the stored scores of `scheme` for `period` as an HTML
 * file: ranked table, grades, failing rows marked, stored flags, and a footnote with the
 * scheme and the draw recorded under the period's label. title: NULL for the default.
 * Returns GRIDGOV_OK; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_assessment_export_notice(const gridgov_workspace* ws, const char* path,
                                                 const gridgov_assessment_scheme* scheme,
                                                 const char* period, const char* title);

/* ---- assessment: indicators from cases and the runner ----------------------------- */

/* Subjects of case indicators (docs/assessment.md, "Indicators from cases"). */
#define GRIDGOV_SUBJECT_NODE 0       /* the cases at a node or anywhere below it */
#define GRIDGOV_SUBJECT_DEPARTMENT 1 /* the cases assigned to a department */
#define GRIDGOV_SUBJECT_PERSON 2     /* the cases a person reported or acted on */
#define GRIDGOV_SUBJECT_UNIT 3       /* the cases at the base nodes an overlay unit covers */

/* Which subjects gridgov_assessment_assess() scores (gridgov_assess_options.select). */
#define GRIDGOV_SELECT_LEVEL 1        /* every live node of a level ("" or NULL: every level) */
#define GRIDGOV_SELECT_DEPARTMENTS 2  /* every department of the case engine */
#define GRIDGOV_SELECT_GRID_WORKERS 3 /* every person posted at a node of a level ("grid") */
#define GRIDGOV_SELECT_SUBJECTS 4     /* the node codes or unit places of `subjects`, in order */
#define GRIDGOV_SELECT_UNITS 5        /* every live unit of an overlay (of a level of it) */

/* Every case indicator key as a JSON array [{"key", "label", "unit", "definition",
 * "denominator"}]. out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_indicator_definitions(char** out);

/* Adds the case indicators of one subject for one period to `values` (replacing values of
 * the same keys), each with the case numbers behind it. kind: GRIDGOV_SUBJECT_*. code: the
 * node code, department code, person id, or with GRIDGOV_SUBJECT_UNIT the place of a unit
 * of one of the workspace's overlays ("fire:M1"): the cases at the base nodes it covers,
 * itself or through the units beneath it (docs/assessment.md, "Indicators from cases").
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown node, department or unit (the
 * message names it); GRIDGOV_EINVAL (NULL arguments, an unknown kind, a base node given
 * with GRIDGOV_SUBJECT_UNIT, a malformed period). Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_cases(gridgov_indicator_values* values,
                                                   const gridgov_workspace* ws, int kind,
                                                   const char* code, const char* period);

/* Adds the 四实 collection-quality indicators of a node's subtree for one period
 * (info_sampled, info_checked, info_correct, info_not_collected, info_not_deregistered,
 * info_wrong, info_collection_rate, info_accuracy_rate; docs/records.md) to `values`
 * (replacing values of the same keys), each with the drawn records behind it; the rates
 * undefined with their reason where nobody was checked.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown node; GRIDGOV_EINVAL (NULL
 * arguments, a malformed period). Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_checks(gridgov_indicator_values* values,
                                                    const gridgov_workspace* ws, const char* code,
                                                    const char* period);

/* The indicator values of `values` as a JSON object {key: {"value", "reason", "sources"}}.
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_json(char** out, const gridgov_indicator_values* values);

/* What gridgov_assessment_assess() scores and whether it stores the result (the options are
 * described once in docs/assessment.md, "Assessing a workspace"). Set it up with
 * gridgov_assess_options_init(); the defaults select every live node of every level and
 * store nothing. Arrays are borrowed for the call. */
#define GRIDGOV_ASSESS_OPTIONS_VERSION 1
typedef struct gridgov_assess_options {
    uint32_t version;            /* GRIDGOV_ASSESS_OPTIONS_VERSION, written by the _init() */
    int32_t select;              /* GRIDGOV_SELECT_*; default GRIDGOV_SELECT_LEVEL */
    const char* level;           /* _LEVEL: the level (NULL or "": every level); _GRID_WORKERS: the
                                  * level of their posts (NULL or "": "grid"); _UNITS: a level of
                                  * the overlay (NULL or "": every level); NULL otherwise */
    const char* const* roles;    /* _GRID_WORKERS: only holders of these role codes */
    size_t role_count;           /* 0: any role */
    const char* const* subjects; /* _SUBJECTS: node codes or overlay unit places ("fire:M1"),
                                  * at least one */
    size_t subject_count;
    const char* default_area_class; /* area class of nodes that have none; NULL for none */
    /* Indicator values added to or overriding the computed ones: extra_values[i] (borrowed)
     * for the subject code extra_subjects[i], i < extra_count. */
    const char* const* extra_subjects;
    const gridgov_indicator_values* const* extra_values;
    size_t extra_count;
    int32_t store;       /* 1: store the scores and the flags raised at the period; default 0 */
    const char* overlay; /* _UNITS: the overlay key (required); NULL otherwise */
} gridgov_assess_options;

/* Sets every member of `options` to its default (see above).
 * options: the struct to set up (caller-owned). version: GRIDGOV_ASSESS_OPTIONS_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL options or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_assess_options_init(gridgov_assess_options* options, uint32_t version);

/* Scores the selected subjects of the workspace for `period`: case indicators (and, for
 * grid workers, the workspace's activity records, calendar and directory), ranked within
 * peer groups (overlay units among the units of their level, "fire:medium"), with the
 * consecutive-period flags over the scores of the scheme stored for every other period (a
 * stored score of `period` itself is left out, so assessing a stored period again gives
 * what its first assessment gives with the same data). options: NULL
 * for the defaults. With options->store the scores and flags are stored (one transaction
 * each; a stored score of the same key is replaced).
 * out: NULL, or receives {"scores": [...], "flags": [...]} as JSON; owned by the caller,
 * release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL (an unknown select, a selection that does not fit it,
 * roles without _GRID_WORKERS, an overlay without _UNITS or _UNITS without one, an unknown
 * level of the hierarchy or of the overlay, a malformed period, an unknown options
 * version); GRIDGOV_ENOTFOUND (an unknown subject code or unit place, an overlay the
 * workspace does not have, a missing step table; the message names it);
 * GRIDGOV_ESTATE when storing into a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_assessment_assess(char** out, gridgov_workspace* ws,
                                          const gridgov_assessment_scheme* scheme,
                                          const char* period,
                                          const gridgov_assess_options* options);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_ASSESSMENT_H */
