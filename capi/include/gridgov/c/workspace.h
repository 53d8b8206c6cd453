/*
 * gridgov/c/workspace.h: opening a workspace file, and lists of validation findings.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_WORKSPACE_H
#define GRIDGOV_C_WORKSPACE_H

#include "gridgov/c/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== workspace ===================================================================== */

/* Rules of this section (docs/c-api.md has the full text):
 *  - gridgov_workspace is one area's data in one SQLite file (or ":memory:"), loaded into
 *    memory. Functions that take `const gridgov_workspace *` only read it and may run on
 *    several threads at once; functions that take `gridgov_workspace *` change it and need
 *    the handle to themselves.
 *  - "Borrowed until the workspace changes": a string read from a workspace stays valid
 *    until the next call that changes that workspace (any function taking a non-const
 *    gridgov_workspace *) or until gridgov_workspace_close().
 *  - "Caller-owned array": when the result length is not known in advance, gridgov
 *    allocates the array, stores its length in *out_count and the caller releases it with
 *    gridgov_free(); an empty result is NULL with *out_count = 0. When the length is known
 *    in advance (one entry per node id, one id per spec), the caller passes the array.
 *  - Dates are ISO 8601 text "YYYY-MM-DD". An `effective` that may be NULL means "since
 *    forever"; every change of an existing node needs an explicit date.
 *  - Versioned structs (gridgov_node_spec, gridgov_validation_options,
 *    gridgov_overlay_unit_spec) are set up with their _init() function first; the library
 *    reads the `version` field to know which members the caller's header had. */

/* A workspace handle. */
typedef struct gridgov_workspace gridgov_workspace;

/* A list of validation findings: rule id, severity, where (a stable code) and message. */
typedef struct gridgov_findings gridgov_findings;

/* Flags of gridgov_workspace_open(); 0 opens an existing file for reading and writing. */
#define GRIDGOV_OPEN_CREATE 1   /* create the file when it does not exist */
#define GRIDGOV_OPEN_READONLY 2 /* refuse every change */

/* ---- workspace --------------------------------------------------------------------- */

/* Opens a workspace file, or creates it with GRIDGOV_OPEN_CREATE. ":memory:" opens a
 * workspace that lives only as long as the handle; a "postgresql://" URI opens the
 * workspace in a schema of a PostgreSQL database (docs/deployment.md), where
 * GRIDGOV_OPEN_CREATE makes one in an empty schema.
 * out: receives the handle; owned by the caller, release with gridgov_workspace_close().
 * path: a file name or URI (UTF-8). flags: GRIDGOV_OPEN_* or'ed together.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND when the file is missing and GRIDGOV_OPEN_CREATE
 * is not given; GRIDGOV_EVERSION for a foreign file or one written by a newer schema;
 * GRIDGOV_ESTORAGE when the file cannot be opened; GRIDGOV_EINVAL for NULL arguments or
 * unknown flags. Since 0.1. */
GRIDGOV_API int gridgov_workspace_open(gridgov_workspace** out, const char* path, int flags);

/* Closes a workspace and releases the handle; every string borrowed from it becomes
 * invalid. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_workspace_close(gridgov_workspace* ws);

/* The workspace schema version this library reads and writes (the file's
 * PRAGMA user_version). Since 0.1. */
GRIDGOV_API int gridgov_workspace_schema_version(void);

/* The path the workspace was opened with.
 * out: receives the path; borrowed until the workspace is closed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL for NULL arguments. Since 0.1. */
GRIDGOV_API int gridgov_workspace_path(const char** out, const gridgov_workspace* ws);

/* Applies what other connections to the file (other processes, other handles) committed
 * since this handle last looked, and calls the case observers with their events, on the
 * calling thread. Every other call does the same before it answers; call this to follow a
 * file that others write, e.g. to push notifications from a process that writes nothing
 * (docs/deployment.md). Cheap when nothing changed.
 * out_applied: NULL, or receives 1 when there was anything to apply, else 0.
 * Returns GRIDGOV_OK; GRIDGOV_ESTORAGE when the file cannot be read; GRIDGOV_EINVAL for a
 * NULL ws. Since 0.1. */
GRIDGOV_API int gridgov_workspace_refresh(gridgov_workspace* ws, int* out_applied);

/* Copies a whole workspace, every table row for row, into a new SQLite file or an empty
 * PostgreSQL schema (both locations as gridgov_workspace_open takes them). The source is
 * read in one transaction and left untouched; the destination holds the whole copy or,
 * on any error, nothing. Both then open to the same state (docs/deployment.md).
 * out_rows: NULL, or receives the number of rows copied.
 * Returns GRIDGOV_OK; GRIDGOV_EEXISTS when `to` is an existing file or a schema that holds
 * anything; GRIDGOV_ENOTFOUND, GRIDGOV_EVERSION or GRIDGOV_ESTORAGE for the source as
 * gridgov_workspace_open; GRIDGOV_EINVAL for NULL or equal locations. Since 0.1. */
GRIDGOV_API int gridgov_workspace_copy(const char* from, const char* to, int64_t* out_rows);

/* ---- importing any file ------------------------------------------------------------- */

/* Imports a file of any kind gridgov reads (docs/formats.md: hierarchy JSON/CSV, GeoJSON,
 * the directory and its tables, catalogues, departments, categories, routing, workflows,
 * activity records, scores, Open311 requests, matter plans), its kind told from its name
 * and content unless options_json names it. options_json: NULL or a JSON object
 * {"kind", "effective", "open311": {...}, "plans": {...}} (docs/formats.md).
 * out_report: receives what was imported as JSON ({"file", "kind", counts...}); owned by
 * the caller, release with gridgov_free(). Nothing is imported when an error is returned:
 * GRIDGOV_ENOTFOUND (no such file), GRIDGOV_EPARSE, GRIDGOV_EINVAL (the message names the
 * file, row and field, or the bad option), GRIDGOV_ESTATE (read-only), GRIDGOV_ESTORAGE.
 * Since 0.1. */
GRIDGOV_API int gridgov_workspace_import(char** out_report, gridgov_workspace* ws, const char* path,
                                         const char* options_json);

/* The same for text in memory; source_name (NULL for "<text>") stands for the file in kind
 * detection and in error messages. Since 0.1. */
GRIDGOV_API int gridgov_workspace_import_text(char** out_report, gridgov_workspace* ws,
                                              const char* text, const char* source_name,
                                              const char* options_json);

/* ---- findings ---------------------------------------------------------------------- */

/* Releases a findings list; every string borrowed from it becomes invalid. NULL is a
 * no-op. Since 0.1. */
GRIDGOV_API void gridgov_findings_destroy(gridgov_findings* findings);

/* The number of findings. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_findings_count(size_t* out, const gridgov_findings* findings);

/* The number of findings of one severity (GRIDGOV_SEVERITY_*).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_findings_severity_count(size_t* out, const gridgov_findings* findings,
                                                int severity);

/* The rule id of finding `index`, e.g. "hierarchy.code_prefix".
 * out: borrowed until the findings are destroyed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL arguments, index >= count). Since 0.1. */
GRIDGOV_API int gridgov_findings_rule(const char** out, const gridgov_findings* findings,
                                      size_t index);

/* The severity (GRIDGOV_SEVERITY_*) of finding `index`.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL arguments, index >= count). Since 0.1. */
GRIDGOV_API int gridgov_findings_severity(int* out, const gridgov_findings* findings, size_t index);

/* The stable code of the subject of finding `index` (a node code, unit code, ...).
 * out: borrowed until the findings are destroyed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL arguments, index >= count). Since 0.1. */
GRIDGOV_API int gridgov_findings_where(const char** out, const gridgov_findings* findings,
                                       size_t index);

/* The human-readable message of finding `index`.
 * out: borrowed until the findings are destroyed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL arguments, index >= count). Since 0.1. */
GRIDGOV_API int gridgov_findings_message(const char** out, const gridgov_findings* findings,
                                         size_t index);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_WORKSPACE_H */
