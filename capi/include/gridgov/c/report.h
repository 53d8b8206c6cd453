/*
 * gridgov/c/report.h: the report page of a workspace.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_REPORT_H
#define GRIDGOV_C_REPORT_H

#include "gridgov/c/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the report page ---------------------------------------------------------------- */

/* Writes report.html (docs/report.md) for the workspace: the traffic-light board read at
 * `at` (seconds since the epoch), the stored scores, flags and draws, trends and every
 * score's explanation, in one self-contained HTML file that is replaced whole or not at
 * all. title: NULL or "" for the default; board_level: the level key of the board's rows,
 * NULL or "" for "village". Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown board
 * level; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_report_page_write(const gridgov_workspace* ws, const char* path, int64_t at,
                                          const char* title, const char* board_level);

/* The numbers of that page as JSON (the page's data island, docs/report.md).
 * out: owned by the caller, release with gridgov_free(). Returns as above. Since 0.1. */
GRIDGOV_API int gridgov_report_page_json(char** out, const gridgov_workspace* ws, int64_t at,
                                         const char* title, const char* board_level);

/* ---- the light board ---------------------------------------------------------------- */

/* The light board at `at` (seconds since the epoch) as JSON (docs/report.md): one row per
 * node of `level` (NULL or "" for "grid") inside `scope` (a node code; NULL or "" for every
 * node of the level) with its cases reported up to `at`, the open ones by light, overdue,
 * closed on time or late, voided, and the total. out: owned by the caller, release with
 * gridgov_free(). Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown level or scope;
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_report_board_json(char** out, const gridgov_workspace* ws, int64_t at,
                                          const char* level, const char* scope);

/* The same board as a GeoJSON FeatureCollection: each row a Feature with its node's
 * geometry, the counts as properties and the latest stored score of each scheme. Since 0.1. */
GRIDGOV_API int gridgov_report_board_geojson(char** out, const gridgov_workspace* ws, int64_t at,
                                             const char* level, const char* scope);

/* The light board of an overlay's units at `at`, as JSON in the form of
 * gridgov_report_board_json() with "overlay" added: one row per live unit of `level` (a
 * level of the overlay; NULL or "" for every unit, in tree order) inside `scope` (a unit
 * code or place, "M1" or "fire:M1"; NULL or "" for every unit), each counting the cases of
 * the base nodes the unit covers, itself or through the units beneath it; row codes are
 * unit places ("fire:M1"); the total counts the scope unit, or without a scope every case
 * some unit covers. out: owned by the caller, release with gridgov_free(). Returns
 * GRIDGOV_OK; GRIDGOV_ENOTFOUND naming an unknown overlay, level or scope; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_report_unit_board_json(char** out, const gridgov_workspace* ws, int64_t at,
                                               const char* overlay, const char* level,
                                               const char* scope);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_REPORT_H */
