/*
 * gridgov/c/records.h: the base records of a workspace (人、地、事、物、情、组织): residents,
 * households, houses, units, organisations and components, as kinds whose schemas are data.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_RECORDS_H
#define GRIDGOV_C_RECORDS_H

#include "gridgov/c/hierarchy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== records ======================================================================= */

/* Records of a workspace, their kinds, dated history, questions, findings, import and
 * export (docs/records.md). The records live in the workspace: every change below is one
 * transaction, checked first — a refused change returns an error naming the record and
 * the field, and changes neither file nor memory.
 *  - Records travel as JSON text, in and out, in one layout:
 *      {"key": "R-0001", "kind": "resident", "node": "371338102201001",
 *       "overlays": [{"overlay": "fire", "unit": "F-01"}],
 *       "fields": {"name": "李四", "id_number": "371338198506120023"}}
 *    "node" is the code of the hierarchy node the record lives at (a grid); "overlays" and
 *    "fields" may be left out; field values are JSON strings (numbers in decimal, dates as
 *    "YYYY-MM-DD", several values of a multiple field joined by '|'). A record read back
 *    has its fields in the kind's order and leaves absent fields out; read by a reader
 *    that reveals, it can be changed and handed to gridgov_records_update_json() as it is
 *    (a record read masked would write its masked values over the real ones).
 *  - A version of a record is {"version": 1, "change": "added" | "changed" | "moved" |
 *    "removed", "effective": "YYYY-MM-DD" or null (since forever), "record": {...}}.
 *  - Findings are a JSON array [{"rule", "severity": "info" | "warning" | "error",
 *    "where", "message"}]: data that was accepted but fails a check (an ID number whose
 *    check character is wrong, a house code outside its grid's code) is kept as written
 *    and reported, never fixed.
 *  - Dates are "YYYY-MM-DD". `effective` is the date a change takes effect; it may not be
 *    earlier than the record's last change. It may be NULL ("since forever") only for an
 *    addition or an import.
 *  - Every read of record contents (get, history, find, list, export) names its reader, a
 *    gridgov_record_reader: a person of the directory, who reads the records of the
 *    subtrees where they hold posts, or the system itself; and why. Sensitive fields (ID
 *    numbers as 3101**********1234, phones as 138****5678, anything else as ***) are masked
 *    unless the reader reveals and is allowed to; every read that shows one in clear is
 *    written to the access log first (see "readers" below).
 *  - Text results (JSON, CSV) are owned by the caller, released with gridgov_free(). */

/* ---- readers ----------------------------------------------------------------------- */

/* Who reads records, and why (docs/records.md, "Who reads records"). A reader is a
 * person of the directory or the system itself (imports, backups, the integrator's own
 * checks), with a purpose (one line, kept in the access log) and whether it asks for
 * sensitive fields in clear. Checked on every read, not when it is made:
 *  - a person reads only the records in the subtrees of the posts (directory
 *    assignments) they hold on the reader's day: gridgov_records_get_json() and
 *    gridgov_records_history_json() of a record outside them are GRIDGOV_EPERM saying
 *    why; find, list and export leave such records out. A person not in the directory, or
 *    holding no post that day, is GRIDGOV_EPERM on every read; an empty person or purpose
 *    is GRIDGOV_EINVAL;
 *  - a reader that reveals sees a sensitive field in clear when it is the system, or when
 *    a post covering the record has a role carrying a duty that reveals the field (the
 *    catalogue's "reveals": "*", the kind, or "kind.field"); a revealed read of any other
 *    sensitive field is GRIDGOV_EPERM naming kind.field, the record and the node, and
 *    nothing is shown or logged;
 *  - a read that shows sensitive values in clear first appends one entry per record to
 *    the workspace's access log (who, why, which read, whose record, which fields, when),
 *    in a transaction of its own, although it takes a const workspace: on a read-only
 *    workspace such a read is GRIDGOV_ESTATE, and a log that cannot be written is
 *    GRIDGOV_ESTORAGE. Masked reads are not logged.
 * A reader is independent of any workspace and may be used with several. */
typedef struct gridgov_record_reader gridgov_record_reader;

/* A person of the directory reading records for `purpose`.
 * out: receives the reader; owned by the caller, release with
 * gridgov_record_reader_destroy(). person: the person's id in the directory. purpose: why
 * the records are read. on: "YYYY-MM-DD", the day whose posts grant access, or NULL for
 * the day of each read in China Standard Time (UTC+8). reveal: 0 masks sensitive fields,
 * 1 asks for them in clear. Strings are copied.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for a NULL argument, a malformed date or a reveal
 * other than 0 or 1 (the message names the parameter). Since 0.1. */
GRIDGOV_API int gridgov_record_reader_person(gridgov_record_reader** out, const char* person,
                                             const char* purpose, const char* on, int reveal);

/* The system reading records for `purpose`: every record, sensitive fields in clear when
 * `reveal` is 1. out, purpose, reveal: as gridgov_record_reader_person().
 * Returns as gridgov_record_reader_person(). Since 0.1. */
GRIDGOV_API int gridgov_record_reader_system(gridgov_record_reader** out, const char* purpose,
                                             int reveal);

/* Releases a reader. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_record_reader_destroy(gridgov_record_reader* reader);

/* ---- kinds ------------------------------------------------------------------------- */

/* The workspace's schema (its kinds and their fields) as JSON (docs/records.md); a new
 * workspace has the "standard" preset.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_records_schema_json(char** out, const gridgov_workspace* ws);

/* Replaces the workspace's schema with one read from JSON.
 * json: the schema (UTF-8). source_name: the name messages use for it, or NULL for
 * "<text>".
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE for text that is not JSON; GRIDGOV_EINVAL or
 * GRIDGOV_EEXISTS for a bad kind or field (the message names it); GRIDGOV_ESTATE while
 * records of a kind the schema lacks are stored, when an enumeration drops a value stored
 * records use, or for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_set_schema_json(gridgov_workspace* ws, const char* json,
                                                const char* source_name);

/* Adds a locality's kinds and fields to the workspace's schema: a new kind is appended,
 * the fields of a kind that exists are appended to it. json: the extension, a schema
 * document. source_name: as gridgov_records_set_schema_json().
 * Returns as gridgov_records_set_schema_json(); GRIDGOV_EEXISTS naming the kind and field
 * for a field that exists. Since 0.1. */
GRIDGOV_API int gridgov_records_extend_schema_json(gridgov_workspace* ws, const char* json,
                                                   const char* source_name);

/* The keys of the built-in schemas, separated by '\n' ("standard\n").
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_records_preset_keys(char** out);

/* A built-in schema as JSON, e.g. to extend it before gridgov_records_set_schema_json().
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown key; GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_records_preset_schema_json(char** out, const char* key);

/* ---- changes ----------------------------------------------------------------------- */
/* Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_EPARSE for text that is not
 * JSON; GRIDGOV_EINVAL for NULL arguments, a malformed date, or a record or field that
 * breaks the schema (the message names the record and the field); GRIDGOV_ENOTFOUND for an
 * unknown key or node code; GRIDGOV_EEXISTS for a key that exists; GRIDGOV_ESTATE for a
 * read-only workspace; GRIDGOV_ESTORAGE. */

/* Adds records at `effective`, all or none.
 * out_findings: receives the findings of the added records as a JSON array; owned by the
 * caller, release with gridgov_free(). records_json: a JSON array of records; borrowed for
 * the call. effective: the date the records exist from, or NULL for "since forever".
 * Refused: a key that exists or was removed (GRIDGOV_EEXISTS), an unknown node code
 * (GRIDGOV_ENOTFOUND naming it), an unknown kind, field, overlay or unit, a node that is
 * not live on `effective`, a missing required field, a value of the wrong type or outside
 * its enumeration (GRIDGOV_EINVAL naming the record and the field). Since 0.1. */
GRIDGOV_API int gridgov_records_add_json(char** out_findings, gridgov_workspace* ws,
                                         const char* records_json, const char* effective);

/* Replaces a record's fields and places (found by its key; the kind may not change) at
 * `effective`: a version "moved" when only the node or the overlays changed, else
 * "changed"; no version when nothing changed.
 * out_findings: receives the findings of the record as a JSON array; owned by the caller,
 * release with gridgov_free(). record_json: one record object. effective: required.
 * Since 0.1. */
GRIDGOV_API int gridgov_records_update_json(char** out_findings, gridgov_workspace* ws,
                                            const char* record_json, const char* effective);

/* Moves a record to the node with code `node_code`, keeping its fields, at `effective`
 * (required). Since 0.1. */
GRIDGOV_API int gridgov_records_move(gridgov_workspace* ws, const char* key, const char* node_code,
                                     const char* effective);

/* Removes a record (moved away, died, closed) at `effective` (required). It stays in its
 * history and in gridgov_records_get_json() for earlier dates; its key cannot be added
 * again. Since 0.1. */
GRIDGOV_API int gridgov_records_remove(gridgov_workspace* ws, const char* key,
                                       const char* effective);

/* ---- questions --------------------------------------------------------------------- */
/* Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or a
 * malformed date; GRIDGOV_ENOTFOUND for an unknown key, kind or node code. Those that
 * take a reader (borrowed for the call) also return what "readers" above says:
 * GRIDGOV_EPERM for a read the reader may not make (the message says why), GRIDGOV_EINVAL
 * for an empty person or purpose, GRIDGOV_ESTATE or GRIDGOV_ESTORAGE for a revealing read
 * whose access-log entries cannot be written. Results are owned by the caller, released
 * with gridgov_free(). */

/* The number of live records of a kind. kind: NULL or "" for every kind. Since 0.1. */
GRIDGOV_API int gridgov_records_count(size_t* out, const gridgov_workspace* ws, const char* kind);

/* One record as JSON, or the text "null" when there is none.
 * reader: who reads (required); a person reads the record when one of their posts covers
 * the node of the version read, else GRIDGOV_EPERM. key: the record's key. on: NULL for
 * the record as it is now (none when the key is unknown or the record removed), else the
 * record as it stood at the end of that date (none before it was added or after its
 * removal); the reader's own day decides its posts. Since 0.1. */
GRIDGOV_API int gridgov_records_get_json(char** out, const gridgov_workspace* ws,
                                         const gridgov_record_reader* reader, const char* key,
                                         const char* on);

/* Every version of a record, oldest first, as a JSON array of versions.
 * reader: required; a person reads it when one of their posts covers the node of its last
 * version, else GRIDGOV_EPERM. Returns GRIDGOV_ENOTFOUND naming an unknown key.
 * Since 0.1. */
GRIDGOV_API int gridgov_records_history_json(char** out, const gridgov_workspace* ws,
                                             const gridgov_record_reader* reader, const char* key);

/* The live records whose lookup or reference field `field` holds `value` (an ID number, a
 * house code, a credit code, a household's key ...), in key order, as a JSON array; for a
 * person, those their posts cover. reader: required.
 * Returns GRIDGOV_EINVAL naming a field that is neither lookup nor reference. Since 0.1. */
GRIDGOV_API int gridgov_records_find_json(char** out, const gridgov_workspace* ws,
                                          const gridgov_record_reader* reader, const char* field,
                                          const char* value);

/* The live records matching a filter, in the order they were added, as a JSON array; for
 * a person, those their posts cover. reader: required.
 * filter_json: NULL for every record, or a JSON object whose members may each be left
 * out: {"kind": "resident", "within": a node code (its subtree), "where": {field: value,
 * ...} (an enumeration field equals, or a multiple one holds, the value; or a lookup or
 * reference field), "overlay": {"overlay", "unit"} (records placed on that unit)}.
 * Since 0.1. */
GRIDGOV_API int gridgov_records_list_json(char** out, const gridgov_workspace* ws,
                                          const gridgov_record_reader* reader,
                                          const char* filter_json);

/* Subtree totals over the live records of a kind, as a JSON object {node code: number}
 * with one member per live node: with field NULL, how many records; with an enumeration
 * field and a value, how many hold the value; with an integer or number field and value
 * NULL, the sum of its values.
 * kind: required. field, value: NULL or "" as above. Since 0.1. */
GRIDGOV_API int gridgov_records_roll_up_json(char** out, const gridgov_workspace* ws,
                                             const char* kind, const char* field,
                                             const char* value);

/* The findings over every live record on a date (rules "records.*", docs/records.md), as
 * a JSON array: check characters, house codes against their grid, households without a
 * head, references to unknown or removed records, records on retired nodes, required
 * fields a later schema added, derived fields that disagree.
 * on: required. Returns GRIDGOV_OK (data problems are findings). Since 0.1. */
GRIDGOV_API int gridgov_records_validate_json(char** out, const gridgov_workspace* ws,
                                              const char* on);

/* The same with the checks a policy adds: policy is JSON {"officer_loads": [{"overlay",
 * "kind", "field", "value", "per_officer"}]} or the text "market_supervision_002" (seed
 * 002: at most 1,000 units on the market 段区 of one officer). Each person holding post A
 * of a role of the overlay whose units (with those beneath) hold more live records of the
 * kind than per_officer is a finding "records.officer_load" (where = the person's id).
 * Returns GRIDGOV_EPARSE or GRIDGOV_EINVAL naming the policy's member, GRIDGOV_ENOTFOUND
 * for an unknown overlay or kind. Since 0.1. */
GRIDGOV_API int gridgov_records_validate_policy_json(char** out, const gridgov_workspace* ws,
                                                     const char* on, const char* policy);

/* ---- import and export ------------------------------------------------------------- */

/* Imports records from a file at `effective`, all or nothing: new keys are added,
 * existing keys updated. path: a .csv file of one kind (`kind`, or named after its kind:
 * residents.csv, 青石村_house.csv, or a "kind" column) or a .json document
 * (docs/records.md). kind: NULL or "" to take it from the file. effective: NULL for
 * "since forever".
 * out_report: receives {"added", "changed", "unchanged", "findings": [...]}; owned by the
 * caller, release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for a missing file; on GRIDGOV_EPARSE,
 * GRIDGOV_EINVAL, GRIDGOV_EEXISTS or GRIDGOV_ENOTFOUND the message names the file, the row
 * and the field (or the column a CSV file lacks), and nothing was imported;
 * GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_import_file(char** out_report, gridgov_workspace* ws,
                                            const char* path, const char* kind,
                                            const char* effective);

/* The same from text in memory. format: GRIDGOV_FORMAT_CSV, _JSON or _AUTO (told from
 * source_name). source_name: the name messages use for the text and, with no kind, the
 * name the kind is taken from; NULL for "<text>". Since 0.1. */
GRIDGOV_API int gridgov_records_import_text(char** out_report, gridgov_workspace* ws,
                                            const char* text, int format, const char* kind,
                                            const char* source_name, const char* effective);

/* The live records as text in the import format: format GRIDGOV_FORMAT_CSV for one kind
 * (columns key, node, overlays, then the kind's fields), GRIDGOV_FORMAT_JSON for a kind or,
 * with kind NULL or "", every kind; for a person, the records their posts cover. Sensitive
 * fields are masked unless the reader reveals them (readers above); node codes stand for
 * nodes.
 * out: owned by the caller, release with gridgov_free(). reader: required; borrowed for
 * the call.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown kind; GRIDGOV_EINVAL for another
 * format, or CSV without a kind; GRIDGOV_EPERM, GRIDGOV_ESTATE or GRIDGOV_ESTORAGE as
 * "readers" above says. Since 0.1. */
GRIDGOV_API int gridgov_records_export_text(char** out, const gridgov_workspace* ws,
                                            const gridgov_record_reader* reader, int format,
                                            const char* kind);

/* The same written to a file, replaced whole or not at all. format: GRIDGOV_FORMAT_AUTO
 * (by the file's extension), _CSV or _JSON.
 * Returns as gridgov_records_export_text(); GRIDGOV_ESTORAGE when the file cannot be
 * written. Since 0.1. */
GRIDGOV_API int gridgov_records_export_file(const gridgov_workspace* ws,
                                            const gridgov_record_reader* reader, const char* path,
                                            int format, const char* kind);

/* ---- the access log ---------------------------------------------------------------- */

/* The workspace's access log: one entry per record whose sensitive fields a read showed
 * in clear, numbered 1, 2, 3, ... in the order of the reads and chained by SHA-256 (each
 * entry's hash covers the entry and the hash before it), so that an entry edited, removed
 * or inserted behind the library's back is found by gridgov_records_verify_access_log_json().
 * An entry is {"seq": 1, "at": "2026-12-06T10:15:30.123Z" (UTC), "reader": the person's
 * id, "" for the system, "system": true | false, "purpose", "read": "get" | "history" |
 * "find" | "list" | "export", "key", "kind", "fields": [the sensitive fields shown],
 * "hash": 64 lowercase hex digits}. */

/* Entries of the access log as a JSON array, oldest first.
 * out: owned by the caller, release with gridgov_free(). after_seq: 0 for the first
 * entry, else the entries after the one with this seq. limit: the most entries returned,
 * 0 for all.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_access_log_json(char** out, const gridgov_workspace* ws,
                                                uint64_t after_seq, size_t limit);

/* Re-computes the access log's hash chain from its first entry, as JSON {"entries": the
 * number read, "intact": true | false, "first_bad": the seq of the first entry that fails
 * (0 when intact), "problem": "hash_mismatch" (the entry, or one before it, was changed,
 * removed or inserted), "sequence" (a gap in the numbering) or "" when intact}.
 * out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK (a broken chain is "intact": false, not an error); GRIDGOV_EINVAL
 * for NULL arguments; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_verify_access_log_json(char** out, const gridgov_workspace* ws);

/* The whole access log written to a file, replaced whole or not at all: JSON as
 * gridgov_records_access_log_json() gives it, or CSV (columns seq, at, reader, system,
 * purpose, read, key, kind, fields joined with '|', hash).
 * format: GRIDGOV_FORMAT_AUTO (by the file's extension), _CSV or _JSON.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or another format (or an
 * extension that tells none); GRIDGOV_ESTORAGE when the file cannot be written.
 * Since 0.1. */
GRIDGOV_API int gridgov_records_export_access_log(const gridgov_workspace* ws, const char* path,
                                                  int format);

/* ---- collection quality (四实 checks) ------------------------------------------------- */

/* Field checks of the records' collection quality (docs/records.md, "Collection quality"):
 * each month inspectors (督导员) visit records drawn with the audited draw of
 * gridgov_assessment_draw() — usually rented houses — and say, for each person (or unit)
 * met there, whether their record is right (correct, 准确), missing (not_collected, 未采集),
 * of someone no longer there (not_deregistered, 未注销) or wrong (wrong, 信息错误).
 *  - A round travels as one JSON object:
 *      {"label": "2026-09 城关街道 督查" (unique in the workspace), "date": "YYYY-MM-DD"
 *       (the day of the visits; its month is the month of the rates), "inspector",
 *       "draw": {a draw record as gridgov_records_draw_check_json() gives it},
 *       "findings": [{"sampled": a pick of the draw (the record visited), "record": the
 *        record concerned ("" or left out for not_collected: there is none), "outcome":
 *        "correct" | "not_collected" | "not_deregistered" | "wrong" (准确, 未采集, 未注销,
 *        信息错误 are read too), "note", "node": the code of the sampled record's node on
 *        the round's date (written by the library; ignored on input)}]}.
 *  - Rates count, per month and node (the grid and each ancestor): "sampled" (records
 *    visited), "correct", "not_collected", "not_deregistered", "wrong", "checked" (people
 *    found: correct + wrong + not_collected), "collection_rate" (采集率: (checked -
 *    not_collected) / checked in %) and "accuracy_rate" (correct / (correct + wrong) in
 *    %), each rate null when its denominator is 0.
 *  - Results are owned by the caller, released with gridgov_free(). */

/* Draws `count` live records of `kind` for an inspector to visit, with the audited draw:
 * candidates are the records' keys in key order, one stratum per node holding candidates
 * (its code, so each such grid gets a pick first), seeded by `seed`.
 * out: receives the draw record as JSON {"algorithm", "seed", "candidates", "count",
 * "strata", "avoid", "picks"} (docs/assessment.md), to be visited and handed back as a
 * round's "draw". kind: a kind of the schema ("house"). within: a node code whose subtree
 * the records are drawn from, or NULL or "" for everywhere.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments, a retired `within`, or a draw
 * that cannot be made (fewer candidates than `count`, or than the strata); GRIDGOV_ENOTFOUND
 * for an unknown kind or node code (the message names it). Since 0.1. */
GRIDGOV_API int gridgov_records_draw_check_json(char** out, const gridgov_workspace* ws,
                                                const char* kind, const char* within, size_t count,
                                                uint64_t seed);

/* Records a round of field checks (the layout above), all or nothing.
 * round_json: one round object; borrowed for the call.
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE for text that is not JSON; GRIDGOV_EINVAL for NULL
 * arguments, a member missing or of the wrong type, an empty label, an unknown outcome, a
 * draw whose picks are not what its seed and candidates give, a finding whose "sampled"
 * the draw did not pick, a finding without its "record" (or a not_collected one with
 * one) — the message names the finding and the member ("findings[1] field 'sampled': 'H9'
 * was not drawn"); GRIDGOV_EEXISTS for a label that is taken or a record found twice in
 * the round; GRIDGOV_ENOTFOUND for an unknown record (or a sampled one that did not exist
 * on the round's date); GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. A
 * refused round changes nothing. Since 0.1. */
GRIDGOV_API int gridgov_records_record_check_json(gridgov_workspace* ws, const char* round_json);

/* The recorded rounds, in the order recorded, as a JSON array of round objects (each
 * finding with its "node").
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_checks_json(char** out, const gridgov_workspace* ws);

/* Collection quality per month and node over the rounds dated from `from` to `to`
 * (inclusive), as a JSON array of {"node": code, "month": "YYYY-MM", "sampled",
 * "checked", "correct", "not_collected", "not_deregistered", "wrong", "collection_rate",
 * "accuracy_rate"} (above): one per node with a drawn record or a finding in its subtree,
 * months ascending, nodes in pre-order.
 * from, to: "YYYY-MM-DD", or NULL for no bound.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or a malformed date (the message
 * names the parameter); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_check_rates_json(char** out, const gridgov_workspace* ws,
                                                 const char* from, const char* to);

/* The rates of an assessment period as indicator values by node, for an assessment's
 * extra values: a JSON object {node code: {key: {"value": number or null, "reason",
 * "sources"}}} (values as gridgov_indicator_values_json() writes them) with a member for
 * every live node and the keys info_sampled, info_checked, info_correct,
 * info_not_collected, info_not_deregistered, info_wrong (counts) and
 * info_collection_rate, info_accuracy_rate (%; null with the reason when nobody, or no
 * record, was checked); the sources are the drawn records.
 * period: "2026", "2026-09", "2026-Q3" or "2026-H2".
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or a malformed period (the
 * message names the parameter); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_records_check_indicators_json(char** out, const gridgov_workspace* ws,
                                                      const char* period);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_RECORDS_H */
