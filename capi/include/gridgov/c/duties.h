/*
 * gridgov/c/duties.h: duties on a schedule (定期职责) — the recurring obligations of the
 * posts of a workspace, the fulfilments recorded against them and what that makes of each
 * occurrence. Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and
 * each may be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_DUTIES_H
#define GRIDGOV_C_DUTIES_H

#include "gridgov/c/assessment.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== duties ======================================================================== */

/* The duties of a workspace (docs/duties.md): a catalogue of schedules (who owes what, at
 * which nodes, how often, by when) and the fulfilments recorded (who did it, when, with what
 * evidence). Both live in the workspace: every change below is one transaction, checked
 * first — a refused change returns an error naming the schedule or the fulfilment and the
 * field, and changes neither file nor memory.
 *  - The catalogue travels as the JSON of docs/duties.md ({"key", "name", "source",
 *    "schedules": [{"key", "zh", "en", "owner", "level", "every", "weekday", "day", "time",
 *    "shift", "per", "quota", "source"}]}).
 *  - A fulfilment is a JSON object {"id": unique among the fulfilments, "duty": a schedule
 *    key, "place": a node code or an overlay unit place ("market:D01"), "person": a person
 *    of the directory, "at": an ISO 8601 instant ("2026-02-06T16:00", China Standard Time
 *    without an offset), "occurrence": the label of the occurrence it fulfils ("2026-W07",
 *    "2026-02-15", "2026-02", "2026-Q1", "2026-H1", "2026"; "" or left out for the
 *    occurrence of the period containing "at"), "evidence": [file references], "note"};
 *    "occurrence", "evidence" and "note" may be left out. Read back, "at" is written
 *    "YYYY-MM-DDTHH:MM:SS+08:00" and every member is present.
 *  - An occurrence is a JSON object {"duty", "label", "place", "person" (who owes it; ""
 *    when nobody holds the post), "due_date": "YYYY-MM-DD", "due": the instant it is due,
 *    as above, "quota", "fulfilled", "on_time" (fulfilments recorded up to the instant
 *    read, and of them those made by "due"), "status": "done_on_time" | "done_late" |
 *    "open" | "missed", "assumed" (true when the due date rests on a year without
 *    published holiday data), "fulfilments": [their ids, in time order]}.
 *  - `period` is an assessment period ("2026-02", "2026-Q1", "2026-H1", "2026"): the
 *    occurrences whose due date falls in it. `as_of` is the instant the occurrences are
 *    read at, in seconds since the epoch (gridgov_instant_parse()): fulfilments made after
 *    it are not seen, and an occurrence not done is open before its due instant and missed
 *    after it. `subject` is NULL or "" for every occurrence, else a person id (the
 *    occurrences the person owes), a node code (those at the node or below it) or an
 *    overlay unit place ("market:D01", those at the unit or below it).
 *  - Text results are owned by the caller, released with gridgov_free(). */

/* ---- catalogue --------------------------------------------------------------------- */

/* The keys of the built-in catalogues, separated by '\n'
 * ("market_supervision_002\nseed_defaults\n").
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_duties_preset_keys(char** out);

/* A built-in catalogue as JSON, e.g. to change it before gridgov_duties_set_catalogue_json().
 * out: receives the text; owned by the caller, release with gridgov_free(). key: a key of
 * gridgov_duties_preset_keys().
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown key; GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_duties_preset_json(char** out, const char* key);

/* The findings of a catalogue against the workspace's role catalogue and networks, without
 * setting it: duty.bad_key, duty.unknown_owner, duty.unknown_level, duty.bad_weekday,
 * duty.bad_day, duty.bad_time, duty.zero_quota (errors; where = the schedule's key).
 * out: receives the findings; owned by the caller, release with gridgov_findings_destroy().
 * json: the catalogue; borrowed for the call. source_name: the name messages use for it,
 * or NULL for "<json>".
 * Returns GRIDGOV_OK (problems of the schedules are findings); GRIDGOV_EPARSE for text that
 * is not JSON; GRIDGOV_EINVAL for NULL arguments or a document that cannot be read as a
 * catalogue (a member missing or of the wrong type, an unknown "every", "shift" or "per";
 * the message names the source, the schedule and the field); GRIDGOV_EEXISTS for a
 * repeated schedule key. Since 0.1. */
GRIDGOV_API int gridgov_duties_validate_json(gridgov_findings** out, const gridgov_workspace* ws,
                                             const char* json, const char* source_name);

/* Replaces the workspace's catalogue with one read from JSON.
 * json, source_name: as gridgov_duties_validate_json().
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE, GRIDGOV_EINVAL or GRIDGOV_EEXISTS as
 * gridgov_duties_validate_json(), and GRIDGOV_EINVAL for a catalogue with an error-level
 * finding (the message names it and its rule); GRIDGOV_ESTATE for a catalogue that lacks a
 * schedule recorded fulfilments name, or a read-only workspace; GRIDGOV_ESTORAGE.
 * Since 0.1. */
GRIDGOV_API int gridgov_duties_set_catalogue_json(gridgov_workspace* ws, const char* json,
                                                  const char* source_name);

/* Replaces the workspace's catalogue with a built-in one.
 * key: "seed_defaults" (owed by role functions at the grid, village and township levels)
 * or "market_supervision_002" (owed by the role section_officer on a market overlay).
 * Returns as gridgov_duties_set_catalogue_json(); GRIDGOV_ENOTFOUND for an unknown key.
 * Since 0.1. */
GRIDGOV_API int gridgov_duties_use_preset(gridgov_workspace* ws, const char* key);

/* The workspace's catalogue as JSON; a new workspace has an empty one (key "", no
 * schedules).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_duties_catalogue_json(char** out, const gridgov_workspace* ws);

/* ---- fulfilments ------------------------------------------------------------------- */

/* Records fulfilments, all or none.
 * out_added: receives the number recorded (the array's length). json: a JSON array of
 * fulfilments (the layout above); borrowed for the call. source_name: the name messages use
 * for the text, or NULL for "<json>".
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE for text that is not JSON; GRIDGOV_EINVAL for NULL
 * arguments, text that is not an array of objects, a member missing, empty, of the wrong
 * type or unknown, an "at" that is not an ISO 8601 instant, text that is not one line of
 * UTF-8 (a note may hold line breaks), an occurrence label not of the duty's recurrence;
 * GRIDGOV_EEXISTS for an id recorded already or repeated; GRIDGOV_ENOTFOUND for a duty
 * outside the catalogue, a place that is not a live node or overlay unit, a person the
 * directory does not know; GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE.
 * A refusal names the source, the element and the field ("<json> fulfilments[1] field
 * 'person': \"P9\" is not a person of the directory"). Since 0.1. */
GRIDGOV_API int gridgov_duties_add_fulfilments_json(size_t* out_added, gridgov_workspace* ws,
                                                    const char* json, const char* source_name);

/* Every fulfilment recorded, in the order recorded, as a JSON array (the layout above).
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_duties_fulfilments_json(char** out, const gridgov_workspace* ws);

/* ---- occurrences, indicators and findings ------------------------------------------ */
/* Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments, a
 * malformed period or an as_of of GRIDGOV_NO_INSTANT (the message names the parameter);
 * GRIDGOV_ENOTFOUND for a subject that is no person, node or overlay unit (the message
 * names it). The occurrences are laid out over the workspace's catalogue, fulfilments,
 * directory, networks and the case engine's working calendar (its holiday data, schedule
 * and local overrides). */

/* The occurrences of the catalogue's schedules due in `period`, read at `as_of`, as a JSON
 * array of occurrences (the layout above), ordered by schedule (catalogue order), due date,
 * then the network's pre-order.
 * out: receives the text; owned by the caller, release with gridgov_free(). subject: NULL
 * or "" for every occurrence, else a person id, node code or unit place. Since 0.1. */
GRIDGOV_API int gridgov_duties_occurrences_json(char** out, const gridgov_workspace* ws,
                                                const char* period, int64_t as_of,
                                                const char* subject);

/* Adds the duty indicators of the occurrences of a subject to `values` (replacing values
 * of the same keys), ready for a scheme through the extra values of
 * gridgov_assessment_assess(): duty_due, duty_done, duty_done_on_time, duty_done_late,
 * duty_missed, duty_open (counts, each with the occurrences behind it as sources,
 * "duty@label@place"), duty_on_time_rate (done on time per occurrence no longer open, in %;
 * undefined with the reason when every one is open) and duty_shortfall (fulfilments
 * missing from the quotas of the occurrences no longer open).
 * values: borrowed for the call. period, as_of, subject: as gridgov_duties_occurrences_json().
 * Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_duties(gridgov_indicator_values* values,
                                                    const gridgov_workspace* ws, const char* period,
                                                    int64_t as_of, const char* subject);

/* The findings of the occurrences of a subject: duty.missed (not done, past due) and
 * duty.unheld (nobody holds the post), warnings whose where is the place and whose message
 * names the duty, the label, the due instant, the person and the count fulfilled.
 * out: receives the findings; owned by the caller, release with gridgov_findings_destroy().
 * period, as_of, subject: as gridgov_duties_occurrences_json(). Since 0.1. */
GRIDGOV_API int gridgov_duties_findings(gridgov_findings** out, const gridgov_workspace* ws,
                                        const char* period, int64_t as_of, const char* subject);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_DUTIES_H */
