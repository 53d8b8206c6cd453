/*
 * gridgov.h: the stable C ABI of gridgov (grid-based community governance).
 *
 * Conventions (docs/c-api.md has the full text):
 *  - Every function returns an int status: GRIDGOV_OK (0) or a negative GRIDGOV_E* code.
 *    Treat unknown negative values as GRIDGOV_ERROR. Codes are never renumbered.
 *  - Results come back through output parameters, which come first (named out...).
 *  - On failure, gridgov_last_error_message() describes the error on the calling thread;
 *    every call clears it on entry. Output parameters are left untouched on failure.
 *  - Objects are opaque handles. Handles returned through `out` are owned by the caller
 *    and released with the matching _close/_destroy, which accept NULL.
 *  - Strings are UTF-8 and NUL-terminated. Memory that gridgov allocates for the caller
 *    (strings, arrays) is released with gridgov_free() and nothing else.
 *  - Inputs are borrowed for the duration of the call.
 *  - A handle may be used by one thread at a time; distinct handles are independent.
 *  - Functions are only ever added; a signature never changes (a _v2 is added instead).
 */
#ifndef GRIDGOV_H
#define GRIDGOV_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov_version.h"

#if defined(_WIN32)
#if defined(GRIDGOV_C_BUILDING)
#define GRIDGOV_API __declspec(dllexport)
#else
#define GRIDGOV_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define GRIDGOV_API __attribute__((visibility("default")))
#else
#define GRIDGOV_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ==== core: status codes, errors, versions, memory ================================= */

/* Status codes. The magnitudes equal gridgov::ErrorCode in the C++ API. */
#define GRIDGOV_OK 0
#define GRIDGOV_ERROR (-1)      /* an error with no more specific code */
#define GRIDGOV_EINVAL (-2)     /* a parameter or an input field is malformed (also NULL) */
#define GRIDGOV_ENOTFOUND (-3)  /* a code, id or file that does not exist */
#define GRIDGOV_EEXISTS (-4)    /* a duplicate code or an overlapping record */
#define GRIDGOV_ESTATE (-5)     /* the object is not in a state that allows the call */
#define GRIDGOV_EPERM (-6)      /* the actor may not do this */
#define GRIDGOV_EPARSE (-7)     /* an input file could not be read as its format */
#define GRIDGOV_ESTORAGE (-8)   /* SQLite or file-system failure */
#define GRIDGOV_EVERSION (-9)   /* a workspace from a newer schema, or a foreign file */
#define GRIDGOV_ENODATA (-10)   /* the calendar has no data for the requested period */
#define GRIDGOV_EBUFS (-11)     /* the caller's buffer is too small */
#define GRIDGOV_EINTERNAL (-12) /* a broken invariant inside gridgov (a bug) */
#define GRIDGOV_ENOMEM (-13)    /* out of memory */

/* Severity of a validation finding. */
#define GRIDGOV_SEVERITY_INFO 0
#define GRIDGOV_SEVERITY_WARNING 1
#define GRIDGOV_SEVERITY_ERROR 2

/* The library's version string, e.g. "0.1.0" (compare with GRIDGOV_VERSION_STRING).
 * Returns static storage. Since 0.1. */
GRIDGOV_API const char* gridgov_version(void);

/* The library's version as GRIDGOV_VERSION_NUMBER computes it. Since 0.1. */
GRIDGOV_API int gridgov_version_number(void);

/* The C ABI interface number the library implements (GRIDGOV_C_ABI_CURRENT). Since 0.1. */
GRIDGOV_API int gridgov_abi_version(void);

/* The message of the last failed gridgov call on this thread, or "" when the last call
 * succeeded. Never NULL. Borrowed: valid until the next gridgov call on this thread.
 * Since 0.1. */
GRIDGOV_API const char* gridgov_last_error_message(void);

/* A static description of a status code ("invalid argument", ...). Never NULL. Since 0.1. */
GRIDGOV_API const char* gridgov_status_string(int status);

/* Releases memory that gridgov allocated for the caller. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_free(void* ptr);

/* ==== hierarchy and workspace ======================================================= */

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

/* A node id: dense (0, 1, 2, ... in the order nodes were added), never reused, kept by
 * retired nodes. Codes are the identity across workspaces; ids are for fast access. */
typedef uint32_t gridgov_node_id;

/* "No node": the parent of a root, the common ancestor of nodes in different trees. */
#define GRIDGOV_NO_NODE ((gridgov_node_id)0xFFFFFFFFu)

/* Flags of gridgov_workspace_open(); 0 opens an existing file for reading and writing. */
#define GRIDGOV_OPEN_CREATE 1   /* create the file when it does not exist */
#define GRIDGOV_OPEN_READONLY 2 /* refuse every change */

/* Grid kinds (gridgov_node_spec.kind, gridgov_hierarchy_kind()). */
#define GRIDGOV_KIND_COMPREHENSIVE 0 /* 综合网格: territorial */
#define GRIDGOV_KIND_DEDICATED 1     /* 专属网格: a school, hospital, compound, ... */

/* Area types (gridgov_node_spec.area_type, gridgov_hierarchy_area_type()). */
#define GRIDGOV_AREA_UNSPECIFIED 0
#define GRIDGOV_AREA_URBAN 1 /* 城市 */
#define GRIDGOV_AREA_RURAL 2 /* 农村 */

/* Hierarchy file formats (docs/formats.md). AUTO picks by the file name's extension. */
#define GRIDGOV_FORMAT_AUTO 0
#define GRIDGOV_FORMAT_JSON 1
#define GRIDGOV_FORMAT_CSV 2
#define GRIDGOV_FORMAT_GEOJSON 3 /* export only */

/* Statistics of a roll-up over every subtree. */
#define GRIDGOV_STAT_SUM 0   /* sum of the values present (0 when none) */
#define GRIDGOV_STAT_MIN 1   /* smallest value present (NaN when none) */
#define GRIDGOV_STAT_MAX 2   /* largest value present (NaN when none) */
#define GRIDGOV_STAT_COUNT 3 /* number of nodes that have a value */

/* Everything needed to add a node. Set it up with gridgov_node_spec_init(), then fill in
 * the members. Strings are borrowed for the duration of the call that reads the spec. */
#define GRIDGOV_NODE_SPEC_VERSION 1
typedef struct gridgov_node_spec {
    uint32_t version;        /* GRIDGOV_NODE_SPEC_VERSION, written by the _init() */
    const char* code;        /* required; unique among the nodes ever added */
    const char* parent_code; /* NULL or "" for a root */
    const char* name;        /* required, UTF-8 */
    const char* level;       /* required, a level key: "county", "township", "grid", ... */
    int32_t kind;            /* GRIDGOV_KIND_* */
    int32_t area_type;       /* GRIDGOV_AREA_* */
    const char* area_class;  /* NULL or "" for none; e.g. "一类" */
    double households;       /* NaN = missing (the _init() default) */
    double population;       /* NaN = missing */
    double area_m2;          /* NaN = missing */
    size_t attribute_count;  /* further numeric columns: names and values, in pairs */
    const char* const* attribute_names;
    const double* attribute_values;
    const char* geometry; /* NULL, or a GeoJSON geometry object stored as given */
} gridgov_node_spec;

/* Sets every member of `spec` to its default: version, NULL strings, NaN numbers, kind
 * comprehensive, area type unspecified, no attributes.
 * spec: the struct to set up (caller-owned). version: GRIDGOV_NODE_SPEC_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL spec or a version this library does
 * not know. Since 0.1. */
GRIDGOV_API int gridgov_node_spec_init(gridgov_node_spec* spec, uint32_t version);

/* What gridgov_workspace_validate() checks. Set it up with gridgov_validation_options_init();
 * the defaults check everything except sizing. */
#define GRIDGOV_VALIDATION_OPTIONS_VERSION 1
typedef struct gridgov_validation_options {
    uint32_t version;           /* GRIDGOV_VALIDATION_OPTIONS_VERSION, written by the _init() */
    const char* sizing;         /* a sizing preset (docs/c-api.md); NULL or "none" for none */
    const char* grid_level;     /* the level of base grids; NULL for "grid" */
    const char* village_level;  /* the level of villages and communities; NULL for "village" */
    int32_t check_code_prefix;  /* 1: a child's code extends its parent's code */
    int32_t check_code_length;  /* 1: code length matches the level's digits */
    int32_t check_unit_grid_id; /* 1: 15-digit unit-grid ids (6 county + 3 + 3 + 3) */
    int32_t require_households; /* 1: every base grid carries a household count */
} gridgov_validation_options;

/* Sets every member of `options` to its default (see above).
 * options: the struct to set up (caller-owned). version: GRIDGOV_VALIDATION_OPTIONS_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL options or an unknown version.
 * Since 0.1. */
GRIDGOV_API int gridgov_validation_options_init(gridgov_validation_options* options,
                                                uint32_t version);

/* One level of a level scheme (gridgov_hierarchy_set_levels(), gridgov_overlay_add_custom()).
 * This struct is frozen: it will never gain members (a new struct would be added instead). */
typedef struct gridgov_level {
    const char* key;     /* required, unique: the level named by specs */
    const char* name_zh; /* NULL or "" for none; e.g. "大网格" */
    const char* name_en; /* NULL or "" for none */
    int32_t code_digits; /* digits a unit at this level appends to its parent's code; 0 = free */
} gridgov_level;

/* Everything needed to add an overlay unit. Set it up with gridgov_overlay_unit_spec_init(). */
#define GRIDGOV_OVERLAY_UNIT_SPEC_VERSION 1
typedef struct gridgov_overlay_unit_spec {
    uint32_t version;        /* GRIDGOV_OVERLAY_UNIT_SPEC_VERSION, written by the _init() */
    const char* code;        /* required, unique within the overlay */
    const char* parent_code; /* NULL or "" for a top unit */
    const char* name;        /* required, UTF-8 */
    const char* level;       /* required, a key of the overlay's level scheme */
    size_t grid_count;       /* base grids (codes of live hierarchy nodes) the unit covers */
    const char* const* grid_codes;
} gridgov_overlay_unit_spec;

/* Sets every member of `spec` to its default: version, NULL strings, no grids.
 * spec: the struct to set up (caller-owned). version: GRIDGOV_OVERLAY_UNIT_SPEC_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL spec or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_overlay_unit_spec_init(gridgov_overlay_unit_spec* spec, uint32_t version);

/* ---- workspace --------------------------------------------------------------------- */

/* Opens a workspace file, or creates it with GRIDGOV_OPEN_CREATE. ":memory:" opens a
 * workspace that lives only as long as the handle.
 * out: receives the handle; owned by the caller, release with gridgov_workspace_close().
 * path: a file name (UTF-8). flags: GRIDGOV_OPEN_* or'ed together.
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

/* Validates the hierarchy and the coverage of every overlay.
 * out: receives the findings (possibly none); owned by the caller, release with
 * gridgov_findings_destroy(). options: NULL for the defaults of
 * gridgov_validation_options_init(); borrowed for the call.
 * Returns GRIDGOV_OK (data problems are findings, not errors); GRIDGOV_EINVAL for NULL
 * arguments, an unknown options version or an unknown sizing preset. Since 0.1. */
GRIDGOV_API int gridgov_workspace_validate(gridgov_findings** out, const gridgov_workspace* ws,
                                           const gridgov_validation_options* options);

/* Imports nodes (and, from JSON, overlays) from a file in one transaction.
 * out_nodes_added: receives the number of nodes added. out_findings: receives the
 * validation findings of the result; owned by the caller, release with
 * gridgov_findings_destroy(). path: the file. format: GRIDGOV_FORMAT_*. effective: the
 * date the nodes exist from, or NULL for "since forever".
 * Returns GRIDGOV_OK; on GRIDGOV_EPARSE, GRIDGOV_EINVAL, GRIDGOV_EEXISTS or
 * GRIDGOV_ENOTFOUND the message names the file, the row and the field, and nothing was
 * imported; GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_import_file(size_t* out_nodes_added,
                                              gridgov_findings** out_findings,
                                              gridgov_workspace* ws, const char* path, int format,
                                              const char* effective);

/* Imports nodes (and, from JSON, overlays) from text in memory, like
 * gridgov_workspace_import_file(). text: the file content (UTF-8). format: GRIDGOV_FORMAT_JSON
 * or GRIDGOV_FORMAT_CSV. source_name: the name error messages use for the text, or NULL for
 * "<text>". Since 0.1. */
GRIDGOV_API int gridgov_workspace_import_text(size_t* out_nodes_added,
                                              gridgov_findings** out_findings,
                                              gridgov_workspace* ws, const char* text, int format,
                                              const char* source_name, const char* effective);

/* Writes the live hierarchy to a file (JSON also carries the overlays; GeoJSON carries
 * the nodes that have a geometry). format: GRIDGOV_FORMAT_*.
 * Returns GRIDGOV_OK; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_workspace_export_file(const gridgov_workspace* ws, const char* path,
                                              int format);

/* Writes the live hierarchy to a string.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * format: GRIDGOV_FORMAT_JSON, _CSV or _GEOJSON.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workspace_export_text(char** out, const gridgov_workspace* ws, int format);

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

/* ---- hierarchy: identity and attributes -------------------------------------------- */
/* Unless stated otherwise, these return GRIDGOV_OK; GRIDGOV_ENOTFOUND for a node id that
 * was never assigned; GRIDGOV_EINVAL for NULL arguments. */

/* The number of live nodes. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_node_count(size_t* out, const gridgov_workspace* ws);

/* The number of ids ever assigned (live and retired nodes): every valid id is below it,
 * and it is the length of every per-node array. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_id_count(size_t* out, const gridgov_workspace* ws);

/* The live node with this code. Returns GRIDGOV_ENOTFOUND (naming the code) when there is
 * none. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_find(gridgov_node_id* out, const gridgov_workspace* ws,
                                       const char* code);

/* 1 when the node is live, 0 when it is retired or the id was never assigned. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_is_live(int* out, const gridgov_workspace* ws,
                                          gridgov_node_id node);

/* The node's code. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_code(const char** out, const gridgov_workspace* ws,
                                       gridgov_node_id node);

/* The node's name. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_name(const char** out, const gridgov_workspace* ws,
                                       gridgov_node_id node);

/* The key of the node's level ("county", "grid", ...). out: borrowed until the workspace
 * changes. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_level(const char** out, const gridgov_workspace* ws,
                                        gridgov_node_id node);

/* The node's kind (GRIDGOV_KIND_*). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_kind(int* out, const gridgov_workspace* ws, gridgov_node_id node);

/* The node's area type (GRIDGOV_AREA_*). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_area_type(int* out, const gridgov_workspace* ws,
                                            gridgov_node_id node);

/* The node's area class, "" when it has none. out: borrowed until the workspace changes.
 * Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_area_class(const char** out, const gridgov_workspace* ws,
                                             gridgov_node_id node);

/* The node's GeoJSON geometry, "" when it has none. out: borrowed until the workspace
 * changes. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_geometry(const char** out, const gridgov_workspace* ws,
                                           gridgov_node_id node);

/* One numeric column of the node: "households", "population", "area_m2" or an attribute
 * column. out: the value, NaN when the node has none. Returns GRIDGOV_ENOTFOUND (naming
 * the column) for a column no node has. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_value(double* out, const gridgov_workspace* ws,
                                        gridgov_node_id node, const char* column);

/* ---- hierarchy: structure ---------------------------------------------------------- */

/* The node's parent, GRIDGOV_NO_NODE for a root. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_parent(gridgov_node_id* out, const gridgov_workspace* ws,
                                         gridgov_node_id node);

/* The node's live children, in pre-order.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_children(gridgov_node_id** out, size_t* out_count,
                                           const gridgov_workspace* ws, gridgov_node_id node);

/* The live roots, in pre-order.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_roots(gridgov_node_id** out, size_t* out_count,
                                        const gridgov_workspace* ws);

/* The node's depth: 0 for a root. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_depth(int* out, const gridgov_workspace* ws,
                                        gridgov_node_id node);

/* The node, its parent, ..., its root.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_path_to_root(gridgov_node_id** out, size_t* out_count,
                                               const gridgov_workspace* ws, gridgov_node_id node);

/* 1 when `ancestor` is `node` or lies above it, else 0. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_is_ancestor(int* out, const gridgov_workspace* ws,
                                              gridgov_node_id ancestor, gridgov_node_id node);

/* The lowest common ancestor of two nodes, GRIDGOV_NO_NODE when they are in different
 * trees. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_lowest_common_ancestor(gridgov_node_id* out,
                                                         const gridgov_workspace* ws,
                                                         gridgov_node_id a, gridgov_node_id b);

/* Every live node in pre-order: each subtree is a contiguous range of this array.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_preorder(gridgov_node_id** out, size_t* out_count,
                                           const gridgov_workspace* ws);

/* The node's position in gridgov_hierarchy_preorder(). Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_preorder_position(uint32_t* out, const gridgov_workspace* ws,
                                                    gridgov_node_id node);

/* The node's subtree as the half-open range [*out_begin, *out_end) of positions in
 * gridgov_hierarchy_preorder(); the node itself is at *out_begin. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_subtree(uint32_t* out_begin, uint32_t* out_end,
                                          const gridgov_workspace* ws, gridgov_node_id node);

/* The live nodes of one level, in pre-order. level: a level key.
 * out, out_count: a caller-owned array, release with gridgov_free().
 * Returns GRIDGOV_ENOTFOUND (naming the key) for an unknown level. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_nodes_at_level(gridgov_node_id** out, size_t* out_count,
                                                 const gridgov_workspace* ws, const char* level);

/* The number of levels of the hierarchy's level scheme. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_level_count(size_t* out, const gridgov_workspace* ws);

/* The key of level `index` (0 is the top), e.g. "county". out: borrowed until the
 * workspace changes. Returns GRIDGOV_EINVAL for index >= the level count. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_level_key(const char** out, const gridgov_workspace* ws,
                                            size_t index);

/* Replaces the level scheme of a workspace that has no nodes yet (a new workspace starts
 * with province, city, county, township, village, grid, micro_grid).
 * levels: level_count levels, top down, borrowed for the call.
 * Returns GRIDGOV_OK; GRIDGOV_ESTATE once the workspace has nodes or when it is read-only;
 * GRIDGOV_EINVAL for no levels or an empty or duplicate key. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_set_levels(gridgov_workspace* ws, const gridgov_level* levels,
                                             size_t level_count);

/* ---- hierarchy: roll-ups ----------------------------------------------------------- */
/* Each fills a caller array indexed by node id with one value per id
 * (gridgov_hierarchy_id_count() entries; retired ids get NaN, or 0 for sums and counts).
 * Returns GRIDGOV_OK; GRIDGOV_EBUFS when capacity is below the id count (the message
 * names the count needed); GRIDGOV_EINVAL for NULL arguments or an unknown statistic. */

/* One statistic (GRIDGOV_STAT_*) of a numeric column over every live subtree, in one pass.
 * out: a caller array of `capacity` doubles. Returns GRIDGOV_ENOTFOUND (naming the column)
 * for an unknown column. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_roll_up(double* out, size_t capacity, const gridgov_workspace* ws,
                                          const char* column, int statistic);

/* The same over the caller's own per-node values (NaN = no value).
 * values: value_count doubles indexed by node id; value_count must equal the id count.
 * Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_roll_up_values(double* out, size_t capacity,
                                                 const gridgov_workspace* ws, const double* values,
                                                 size_t value_count, int statistic);

/* Subtree sums of records located at nodes (cases on grids, ...): out[n] is the sum of
 * weights[i] (1 each when weights is NULL) over the records i whose record_nodes[i] lies in
 * the subtree of n. Records on retired nodes are ignored.
 * record_nodes, weights: record_count entries each; weights may be NULL.
 * Returns GRIDGOV_ENOTFOUND for a record on an id that was never assigned. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_sum_records(double* out, size_t capacity,
                                              const gridgov_workspace* ws,
                                              const gridgov_node_id* record_nodes,
                                              const double* weights, size_t record_count);

/* ---- hierarchy: changes ------------------------------------------------------------ */
/* Each change is checked first and then written to the file and the model in one
 * transaction: a refused change changes nothing. A change may not be dated before the
 * latest change already recorded for a node it touches.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL (NULL arguments, a malformed date or value, or a
 * change the hierarchy's rules forbid, such as a move into the node's own subtree; the
 * message names the field and value); GRIDGOV_ENOTFOUND (an unknown or retired node, an
 * unknown code, level or column); GRIDGOV_EEXISTS (a duplicate code); GRIDGOV_ESTATE (the
 * node's state does not allow the change, such as retiring a node with live children, or
 * the workspace is read-only); GRIDGOV_ESTORAGE. */

/* Adds one node under a live parent, or a root.
 * out: receives the new id. spec: borrowed for the call. effective: NULL for "since
 * forever". Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_add_node(gridgov_node_id* out, gridgov_workspace* ws,
                                           const gridgov_node_spec* spec, const char* effective);

/* Adds many nodes at once; parents may come in any order within `specs`. Nothing is added
 * when any spec is refused (the message names its index and code).
 * out: a caller array of spec_count ids, receiving the new id of each spec in order.
 * specs: spec_count specs of the same version, borrowed for the call. effective: NULL for
 * "since forever". Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_add_nodes(gridgov_node_id* out, gridgov_workspace* ws,
                                            const gridgov_node_spec* specs, size_t spec_count,
                                            const char* effective);

/* Renames a node from the effective date on. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_rename(gridgov_workspace* ws, gridgov_node_id node,
                                         const char* name, const char* effective);

/* Moves a node with its whole subtree under a new parent (not into its own subtree).
 * Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_move(gridgov_workspace* ws, gridgov_node_id node,
                                       gridgov_node_id new_parent, const char* effective);

/* Retires a node that has no live children; its id stays and its code is not reused.
 * Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_retire(gridgov_workspace* ws, gridgov_node_id node,
                                         const char* effective);

/* Sets one numeric column (built-in or attribute; a new name adds a column) of a node.
 * value: NaN clears it. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_set_value(gridgov_workspace* ws, gridgov_node_id node,
                                            const char* column, double value,
                                            const char* effective);

/* Splits a node: adds the parts as siblings under its parent and retires it.
 * out: a caller array of part_count ids, receiving the new id of each part in order.
 * parts: part_count specs of the same version, borrowed for the call. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_split(gridgov_node_id* out, gridgov_workspace* ws,
                                        gridgov_node_id node, const gridgov_node_spec* parts,
                                        size_t part_count, const char* effective);

/* Merges nodes that share a parent into a new node under that parent: the children of
 * the sources move under it and the sources retire.
 * out: receives the merged node's id. sources: source_count ids. merged: the new node,
 * borrowed for the call. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_merge(gridgov_node_id* out, gridgov_workspace* ws,
                                        const gridgov_node_id* sources, size_t source_count,
                                        const gridgov_node_spec* merged, const char* effective);

/* ---- overlays (多网合一) ------------------------------------------------------------ */
/* An overlay is a specialised network over the same ground (fire safety, market
 * supervision, urban management, ...) named by a key. Its units form their own tree with
 * their own ids (gridgov_node_id, separate from the hierarchy's) and cover base grids.
 * Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown
 * overlay key, unit id or code; GRIDGOV_EINVAL for NULL arguments. */

/* Adds an overlay with a built-in level scheme.
 * scheme: "fire_safety" (large/medium/small), "market_supervision" (section) or
 * "urban_management" (unit).
 * Returns GRIDGOV_EEXISTS for a key already used; GRIDGOV_ENOTFOUND for an unknown scheme;
 * GRIDGOV_ESTATE for a read-only workspace. Since 0.1. */
GRIDGOV_API int gridgov_overlay_add(gridgov_workspace* ws, const char* key, const char* name,
                                    const char* scheme);

/* Adds an overlay with the caller's own levels, top down.
 * levels: level_count levels, borrowed for the call. Returns GRIDGOV_EINVAL for an empty
 * or duplicate level key; GRIDGOV_EEXISTS for a key already used. Since 0.1. */
GRIDGOV_API int gridgov_overlay_add_custom(gridgov_workspace* ws, const char* key, const char* name,
                                           const gridgov_level* levels, size_t level_count);

/* The number of overlays. Since 0.1. */
GRIDGOV_API int gridgov_overlay_count(size_t* out, const gridgov_workspace* ws);

/* The key of overlay `index` (0 <= index < count), in the order they were added.
 * out: borrowed until the workspace changes. Returns GRIDGOV_EINVAL for index >= count.
 * Since 0.1. */
GRIDGOV_API int gridgov_overlay_key(const char** out, const gridgov_workspace* ws, size_t index);

/* The display name of an overlay. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_overlay_name(const char** out, const gridgov_workspace* ws,
                                     const char* overlay);

/* Adds a unit to an overlay. out: receives the unit's id. spec: borrowed for the call.
 * Returns GRIDGOV_ENOTFOUND (naming the code) for an unknown parent, level or grid;
 * GRIDGOV_EEXISTS for a duplicate code; GRIDGOV_ESTATE for a read-only workspace.
 * Since 0.1. */
GRIDGOV_API int gridgov_overlay_add_unit(gridgov_node_id* out, gridgov_workspace* ws,
                                         const char* overlay,
                                         const gridgov_overlay_unit_spec* spec);

/* The number of live units of an overlay. Since 0.1. */
GRIDGOV_API int gridgov_overlay_unit_count(size_t* out, const gridgov_workspace* ws,
                                           const char* overlay);

/* The live unit with this code. Since 0.1. */
GRIDGOV_API int gridgov_overlay_find_unit(gridgov_node_id* out, const gridgov_workspace* ws,
                                          const char* overlay, const char* code);

/* A unit's code. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_overlay_unit_code(const char** out, const gridgov_workspace* ws,
                                          const char* overlay, gridgov_node_id unit);

/* A unit's name. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_overlay_unit_name(const char** out, const gridgov_workspace* ws,
                                          const char* overlay, gridgov_node_id unit);

/* The base grids (hierarchy node ids) a unit covers directly.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_overlay_grids_of(gridgov_node_id** out, size_t* out_count,
                                         const gridgov_workspace* ws, const char* overlay,
                                         gridgov_node_id unit);

/* The units of an overlay that cover a base grid (a hierarchy node id) directly.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_overlay_units_of(gridgov_node_id** out, size_t* out_count,
                                         const gridgov_workspace* ws, const char* overlay,
                                         gridgov_node_id grid);

/* Checks that every live base grid is covered by exactly one unit of the overlay:
 * findings "overlay.gap", "overlay.overlap" (where = the grid's code) and
 * "overlay.retired_grid".
 * out: receives the findings; owned by the caller, release with gridgov_findings_destroy().
 * grid_level: the level of base grids, NULL for "grid". Since 0.1. */
GRIDGOV_API int gridgov_overlay_coverage(gridgov_findings** out, const gridgov_workspace* ws,
                                         const char* overlay, const char* grid_level);

/* ==== calendar ====================================================================== */

/* Rules of this section (docs/calendar.md has the full text):
 *  - Instants are int64_t seconds since 1970-01-01T00:00:00Z; civil time is China Standard
 *    Time (UTC+8, no daylight saving). Dates are ISO 8601 text "YYYY-MM-DD". Amounts of
 *    time are seconds.
 *  - Day types come from the holiday notices (holiday-cn JSON): a listed date is a
 *    working day iff its isOffDay is false, an unlisted one iff it is Monday to Friday.
 *  - A year without published data is never treated as ordinary: a computation that
 *    crosses it fails with GRIDGOV_ENODATA ("the calendar has no data for 2027") unless
 *    the caller passes GRIDGOV_CALENDAR_ASSUME_WEEKDAYS, and then the optional
 *    gridgov_calendar_assumptions output says which years were assumed.
 *  - The structs of this section have a fixed layout; a new member would come with a new
 *    struct and _v2 functions.
 *  - A gridgov_calendar or gridgov_step_clock handle may be read (const functions) by
 *    several threads at once; a change needs the handle to itself. */

/* A working calendar: holiday data, local overrides and a working schedule. */
typedef struct gridgov_calendar gridgov_calendar;

/* The clock of one timed step: start, limit, suspensions, extensions. */
typedef struct gridgov_step_clock gridgov_step_clock;

/* Units of a time limit (gridgov_time_limit.unit). Natural units ignore the calendar. */
#define GRIDGOV_UNIT_NATURAL_MINUTES 0
#define GRIDGOV_UNIT_NATURAL_HOURS 1
#define GRIDGOV_UNIT_NATURAL_DAYS 2
#define GRIDGOV_UNIT_WORKING_MINUTES 3
#define GRIDGOV_UNIT_WORKING_HOURS 4
#define GRIDGOV_UNIT_WORKING_DAYS 5

/* How a limit in working days counts (gridgov_time_limit.day_rule). DAY_LENGTH (the
 * default): N times the working time of one working day, so the deadline is the same time
 * of day N working days later. CLOSE_OF_BUSINESS: the end of the last working period of
 * the Nth working day after the start day. */
#define GRIDGOV_DAY_RULE_DAY_LENGTH 0
#define GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS 1

/* Day types (gridgov_day_info.type). */
#define GRIDGOV_DAY_WORKDAY 0        /* unlisted Monday to Friday */
#define GRIDGOV_DAY_WEEKEND 1        /* unlisted Saturday or Sunday */
#define GRIDGOV_DAY_HOLIDAY 2        /* listed day off, or a local rest day / closure */
#define GRIDGOV_DAY_MAKEUP_WORKDAY 3 /* listed working day (调休), or a local working day */

/* Traffic lights (gridgov_clock_status.light). */
#define GRIDGOV_LIGHT_GREEN 0
#define GRIDGOV_LIGHT_YELLOW 1
#define GRIDGOV_LIGHT_RED 2

/* Flags of the computing functions. 0 is strict: crossing a year without published data
 * is GRIDGOV_ENODATA. ASSUME_WEEKDAYS applies the weekday rule to such years instead and
 * reports them. */
#define GRIDGOV_CALENDAR_STRICT 0
#define GRIDGOV_CALENDAR_ASSUME_WEEKDAYS 1

/* A time-limit rule: "4 working hours", "15 working days to close of business". */
typedef struct gridgov_time_limit {
    int64_t value; /* how many units, >= 0 */
    int unit;      /* GRIDGOV_UNIT_* */
    int day_rule;  /* GRIDGOV_DAY_RULE_*; read only for GRIDGOV_UNIT_WORKING_DAYS */
} gridgov_time_limit;

/* The years a computation assumed the weekday rule for. They are all the years between
 * first_year and last_year when count == last_year - first_year + 1. */
typedef struct gridgov_calendar_assumptions {
    int count;      /* 0 when every day crossed had published data */
    int first_year; /* 0 when count is 0 */
    int last_year;  /* 0 when count is 0 */
} gridgov_calendar_assumptions;

/* Everything the calendar knows about one date. */
typedef struct gridgov_day_info {
    int working;         /* 1 for a working day */
    int type;            /* GRIDGOV_DAY_* */
    int published;       /* 1 when the official data of the date's year is loaded */
    int local;           /* 1 when a local override decided the day */
    int working_minutes; /* working minutes the schedule gives the day; 0 on a rest day */
} gridgov_day_info;

/* A step clock read at one instant. Amounts are seconds of clock time: working time for a
 * limit in working units, natural time otherwise. */
typedef struct gridgov_clock_status {
    int64_t limit;      /* the limit plus the extensions granted so far */
    int64_t elapsed;    /* clock time used, suspensions excluded */
    int64_t remaining;  /* limit - elapsed, never negative */
    int64_t overdue_by; /* elapsed - limit, never negative */
    int64_t deadline;   /* while suspended: the deadline if resumed at this instant */
    int light;          /* GRIDGOV_LIGHT_* */
    int paused;         /* 1 when suspended at this instant */
    int overdue;        /* 1 when the instant is after the deadline */
    int working_time;   /* 1 when the clock counts working time */
    gridgov_calendar_assumptions assumed;
} gridgov_clock_status;

/* Creates a calendar with the built-in holiday data (holiday-cn, the years whose notices
 * were published when the library was built) and the default schedule 08:30-12:00,
 * 14:00-17:30.
 * out: receives the handle, owned by the caller (gridgov_calendar_destroy()).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL out). Since 0.1. */
GRIDGOV_API int gridgov_calendar_create(gridgov_calendar** out);

/* Creates a calendar holding only the given holiday data and the default schedule.
 * out: receives the handle, owned by the caller. json: a year file {year, papers, days} or
 * a JSON array of them (borrowed).
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL (NULL argument, bad field; the message names it) or
 * GRIDGOV_EPARSE (not JSON). Since 0.1. */
GRIDGOV_API int gridgov_calendar_create_from_json(gridgov_calendar** out, const char* json);

/* Releases a calendar. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_calendar_destroy(gridgov_calendar* calendar);

/* Adds one year file or an array of them; a year already loaded is replaced. A year counts
 * as published when its file lists the Spring Festival (a day off named "春节" in that year).
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL, GRIDGOV_EPARSE or GRIDGOV_EEXISTS (a
 * date already listed by another year's file); on error the calendar is unchanged.
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_add_year_json(gridgov_calendar* calendar, const char* json);

/* Adds local overrides in the same format ({"days": [{name, date, isOffDay}]}; "year" and
 * "papers" optional): a township's own rest day, a one-off closure, an extra working day.
 * A date overridden again takes the later entry. Overrides never make a year published.
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE; on error the
 * calendar is unchanged. Since 0.1. */
GRIDGOV_API int gridgov_calendar_add_overrides_json(gridgov_calendar* calendar, const char* json);

/* Removes every local override. Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL calendar).
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_clear_overrides(gridgov_calendar* calendar);

/* Replaces the working schedule: {"hours": ["08:30-12:00", "14:00-17:30"], "seasons":
 * [{"name": "summer", "from": "05-01", "until": "10-01", "hours": [...]}]}.
 * json: borrowed. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_calendar_set_schedule_json(gridgov_calendar* calendar, const char* json);

/* Whether the official data of `year` is loaded and published: *out is 1 or 0.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument). Since 0.1. */
GRIDGOV_API int gridgov_calendar_year_published(int* out, const gridgov_calendar* calendar,
                                                int year);

/* The day type of a date. Never GRIDGOV_ENODATA: out->published says whether the answer
 * rests on official data.
 * out: caller-owned struct. date: "YYYY-MM-DD" (borrowed).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, malformed date, date outside
 * 1990-2099). Since 0.1. */
GRIDGOV_API int gridgov_calendar_day_info(gridgov_day_info* out, const gridgov_calendar* calendar,
                                          const char* date);

/* The holiday or override name of a date ("春节"), "" for an unlisted date.
 * out: receives a string owned by the caller (gridgov_free()). date: "YYYY-MM-DD".
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_calendar_day_name(char** out, const gridgov_calendar* calendar,
                                          const char* date);

/* When `limit` runs out for a step started at `start`. Working minutes and hours give the
 * earliest instant with that much working time since start; a zero limit gives start.
 * out: receives the deadline. out_assumed: receives the assumed years; may be NULL.
 * limit: borrowed. flags: GRIDGOV_CALENDAR_STRICT or GRIDGOV_CALENDAR_ASSUME_WEEKDAYS.
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL (NULL argument, invalid limit or flags, an instant
 * outside 1990-2099) or GRIDGOV_ENODATA. Since 0.1. */
GRIDGOV_API int gridgov_calendar_deadline(int64_t* out, gridgov_calendar_assumptions* out_assumed,
                                          const gridgov_calendar* calendar, int64_t start,
                                          const gridgov_time_limit* limit, int flags);

/* gridgov_calendar_deadline() for `count` starts.
 * out_deadlines: caller-owned array of `count` entries. out_assumed: may be NULL; covers the
 * whole batch. starts: `count` instants (borrowed). On error *out_deadlines is unspecified.
 * Returns as gridgov_calendar_deadline(). Since 0.1. */
GRIDGOV_API int gridgov_calendar_deadlines(int64_t* out_deadlines,
                                           gridgov_calendar_assumptions* out_assumed,
                                           const gridgov_calendar* calendar, const int64_t* starts,
                                           size_t count, const gridgov_time_limit* limit,
                                           int flags);

/* Working seconds in [from, to); negative when to < from. The exact inverse of the
 * deadline: gridgov_calendar_working_seconds(from, deadline(from, L)) == L seconds.
 * out_assumed: may be NULL. Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_ENODATA.
 * Since 0.1. */
GRIDGOV_API int gridgov_calendar_working_seconds(int64_t* out,
                                                 gridgov_calendar_assumptions* out_assumed,
                                                 const gridgov_calendar* calendar, int64_t from,
                                                 int64_t to, int flags);

/* Reads a time limit from JSON: {"value": 4, "unit": "working_hours"}, and for working days
 * optionally "day_rule": "day_length" | "close_of_business".
 * out: caller-owned struct. json: borrowed.
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_time_limit_from_json(gridgov_time_limit* out, const char* json);

/* Writes a time limit as JSON. out: receives a string owned by the caller (gridgov_free()).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, invalid limit). Since 0.1. */
GRIDGOV_API int gridgov_time_limit_to_json(char** out, const gridgov_time_limit* limit);

/* Starts the clock of a step at `start` with `limit`; light thresholds 0.8 and 1.0.
 * out: receives the handle, owned by the caller (gridgov_step_clock_destroy()).
 * limit: borrowed. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_create(gridgov_step_clock** out, int64_t start,
                                          const gridgov_time_limit* limit);

/* Releases a clock. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_step_clock_destroy(gridgov_step_clock* clock);

/* Suspends the clock (挂账) at `at`. Returns GRIDGOV_OK, GRIDGOV_ESTATE (already suspended)
 * or GRIDGOV_EINVAL (NULL clock, `at` before the start or the last resumption). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_pause(gridgov_step_clock* clock, int64_t at);

/* Resumes the clock at `at`. Returns GRIDGOV_OK, GRIDGOV_ESTATE (not suspended) or
 * GRIDGOV_EINVAL (NULL clock, `at` before the suspension). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_resume(gridgov_step_clock* clock, int64_t at);

/* Grants an extension at `granted_at`; it counts from that instant on. It must count the
 * same kind of time (natural or working) as the limit; working days add N times the
 * working-day length of the start date. extension: borrowed.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_extend(gridgov_step_clock* clock, int64_t granted_at,
                                          const gridgov_time_limit* extension);

/* Sets the shares of the limit at which the light turns yellow and red (defaults 0.8, 1.0).
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL clock, not 0 < yellow <= red). Since 0.1. */
GRIDGOV_API int gridgov_step_clock_set_thresholds(gridgov_step_clock* clock, double yellow,
                                                  double red);

/* Reads the clock at `now`: elapsed, remaining, deadline, overdue, light.
 * out: caller-owned struct. calendar: the working calendar of the step (borrowed).
 * flags: GRIDGOV_CALENDAR_STRICT or GRIDGOV_CALENDAR_ASSUME_WEEKDAYS (out->assumed).
 * Returns GRIDGOV_OK, GRIDGOV_EINVAL or GRIDGOV_ENODATA. Since 0.1. */
GRIDGOV_API int gridgov_step_clock_status(gridgov_clock_status* out,
                                          const gridgov_step_clock* clock,
                                          const gridgov_calendar* calendar, int64_t now, int flags);

/* ==== directory ===================================================================== */

/* People, duties, role types, units and assignments (posts A and B) of a workspace, and
 * the questions they answer (docs/directory.md). The directory lives in the workspace:
 * every change below is one transaction, checked first — a refused change returns an
 * error naming the record and field, and changes neither file nor memory.
 *  - People, roles, duties and units are named by their codes, nodes by node code.
 *  - Dates are "YYYY-MM-DD"; a `to` that may be NULL means "until further notice".
 *  - `reveal` (int): 0 masks ID numbers and phones (3101**********1234, 138****5678) in
 *    what the call returns, 1 shows them in clear. Every listing and export takes it.
 *  - Text results (JSON, CSV, HTML) are owned by the caller, released with gridgov_free(). */

/* Posts. */
#define GRIDGOV_POST_A 0 /* A岗: the primary post */
#define GRIDGOV_POST_B 1 /* B岗: the backup, responsible while the A holder is absent */

/* Absence kinds. */
#define GRIDGOV_ABSENCE_LEAVE 0   /* 请假: every post of the person */
#define GRIDGOV_ABSENCE_VACANCY 1 /* 空缺: one post stands vacant (name the assignment) */

/* Unit kinds. */
#define GRIDGOV_UNIT_PARTY_GROUP 0         /* 党小组 */
#define GRIDGOV_UNIT_SERVICE_TEAM 1        /* 服务团队 */
#define GRIDGOV_UNIT_VOLUNTEER_TEAM 2      /* 志愿服务队 */
#define GRIDGOV_UNIT_INFORMATION_ARCHIVE 3 /* 信息档案: the grid's record box (一格一盒) */

/* Party membership of a person. */
#define GRIDGOV_PARTY_NONE 0
#define GRIDGOV_PARTY_MEMBER 1       /* 中共党员 */
#define GRIDGOV_PARTY_PROBATIONARY 2 /* 预备党员 */

/* Role functions (gridgov_directory_responsible_function()). */
#define GRIDGOV_ROLE_OTHER 0
#define GRIDGOV_ROLE_GRID_LEADER 1         /* 网格长, 网格负责人 */
#define GRIDGOV_ROLE_INFORMATION_OFFICER 2 /* 信息员 */
#define GRIDGOV_ROLE_SUPERVISOR 3          /* 网格指导员, 督导员, 督导单位 */

/* Directory tables (import and CSV export). AUTO: a JSON document names its tables; a CSV
 * file is named after its table (people.csv, 青石村_assignments.csv). */
#define GRIDGOV_TABLE_AUTO 0
#define GRIDGOV_TABLE_PEOPLE 1
#define GRIDGOV_TABLE_UNITS 2
#define GRIDGOV_TABLE_ASSIGNMENTS 3
#define GRIDGOV_TABLE_ABSENCES 4

/* The printable chart format, besides GRIDGOV_FORMAT_JSON and GRIDGOV_FORMAT_CSV. */
#define GRIDGOV_FORMAT_HTML 4

/* Everything needed to add or update a person. Set it up with gridgov_person_spec_init().
 * Strings are borrowed for the duration of the call that reads the spec. */
#define GRIDGOV_PERSON_SPEC_VERSION 1
typedef struct gridgov_person_spec {
    uint32_t version;      /* GRIDGOV_PERSON_SPEC_VERSION, written by the _init() */
    const char* id;        /* required: the stable code of the person */
    const char* name;      /* required, UTF-8 */
    const char* phone;     /* NULL or "" for none */
    const char* id_number; /* NULL or "" for none; else an 18-character 居民身份证号 whose
                              GB 11643 check character is right */
    int32_t party;         /* GRIDGOV_PARTY_* */
    size_t category_count; /* categories such as "五老" */
    const char* const* categories;
    size_t attribute_count; /* free attributes: keys and values, in pairs */
    const char* const* attribute_keys;
    const char* const* attribute_values;
} gridgov_person_spec;

/* Sets every member of `spec` to its default: version, NULL strings, party none, no
 * categories or attributes.
 * spec: the struct to set up (caller-owned). version: GRIDGOV_PERSON_SPEC_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL spec or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_person_spec_init(gridgov_person_spec* spec, uint32_t version);

/* What gridgov_directory_compliance() checks. Set it up with
 * gridgov_compliance_options_init(); the defaults check every rule. */
#define GRIDGOV_COMPLIANCE_OPTIONS_VERSION 1
typedef struct gridgov_compliance_options {
    uint32_t version;           /* GRIDGOV_COMPLIANCE_OPTIONS_VERSION, written by the _init() */
    const char* grid_level;     /* the level of base grids; NULL for "grid" */
    int32_t five_ones;          /* 1: "五个一同步" per grid */
    int32_t cardinality;        /* 1: post-A holders per node as the role catalogue says */
    int32_t primary_worker;     /* 1: every grid has a post-A holder */
    int32_t backup_not_primary; /* 1: nobody holds post A and post B of one role at a node */
    uint32_t max_primary_grids; /* most grids one person holds post A on; 0 = no limit; default 1 */
    int32_t node_lifetime;      /* 1: assignments and units within their node's lifetime */
} gridgov_compliance_options;

/* Sets every member of `options` to its default (see above).
 * options: the struct to set up (caller-owned). version: GRIDGOV_COMPLIANCE_OPTIONS_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL options or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_compliance_options_init(gridgov_compliance_options* options,
                                                uint32_t version);

/* What a directory import added. This struct is frozen: it will never gain members. */
typedef struct gridgov_directory_import_report {
    size_t people;
    size_t units;
    size_t assignments;
    size_t absences;
} gridgov_directory_import_report;

/* ---- catalogue --------------------------------------------------------------------- */

/* The keys of the built-in catalogues, separated by '\n' ("township_000\ncommunity_001\n...").
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_directory_preset_keys(char** out);

/* Replaces the workspace's catalogue of duties and role types with a built-in one.
 * key: "township_000", "community_001", "district_002" or "county_seat_003".
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown key; GRIDGOV_ESTATE when an
 * assignment uses a role the catalogue lacks or holds at another level, or for a
 * read-only workspace; GRIDGOV_ESTORAGE; GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_directory_use_preset(gridgov_workspace* ws, const char* key);

/* Replaces the catalogue with one read from JSON (format: docs/directory.md).
 * json: the catalogue (UTF-8). source_name: the name messages use for it, or NULL.
 * Returns as gridgov_directory_use_preset(); GRIDGOV_EPARSE for malformed JSON,
 * GRIDGOV_EINVAL or GRIDGOV_EEXISTS for a bad entry (the message names it). Since 0.1. */
GRIDGOV_API int gridgov_directory_set_catalogue_json(gridgov_workspace* ws, const char* json,
                                                     const char* source_name);

/* The workspace's catalogue as JSON.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_directory_catalogue_json(char** out, const gridgov_workspace* ws);

/* ---- changes ----------------------------------------------------------------------- */
/* Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_EINVAL for NULL arguments or a
 * malformed field; GRIDGOV_ENOTFOUND for an unknown code; GRIDGOV_EEXISTS for a duplicate
 * or an overlapping post; GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. */

/* Adds a person. spec: set up with gridgov_person_spec_init(); borrowed for the call.
 * Since 0.1. */
GRIDGOV_API int gridgov_directory_add_person(gridgov_workspace* ws,
                                             const gridgov_person_spec* spec);

/* Replaces every field of the person with the spec's id. Since 0.1. */
GRIDGOV_API int gridgov_directory_update_person(gridgov_workspace* ws,
                                                const gridgov_person_spec* spec);

/* Assigns a person to a role at a node over [from, to), on post A or B.
 * out_id: receives the assignment id (1, 2, 3, ... in the order added).
 * node_code: a node of the role's level. post: GRIDGOV_POST_*. from: required. to: NULL
 * for open-ended. Since 0.1. */
GRIDGOV_API int gridgov_directory_add_assignment(uint64_t* out_id, gridgov_workspace* ws,
                                                 const char* person, const char* role,
                                                 const char* node_code, int post, const char* from,
                                                 const char* to);

/* Closes an assignment's period at `to` (exclusive); history is kept.
 * Returns GRIDGOV_ENOTFOUND for an unknown id, GRIDGOV_EINVAL when `to` is not after the
 * start, GRIDGOV_ESTATE when the assignment already ended earlier. Since 0.1. */
GRIDGOV_API int gridgov_directory_end_assignment(gridgov_workspace* ws, uint64_t id,
                                                 const char* to);

/* Records an absence of a person over [from, to).
 * out_id: receives the absence id. kind: GRIDGOV_ABSENCE_*. assignment: 0 for every post
 * of the person, else the id of one of their assignments. reason: NULL or text.
 * Since 0.1. */
GRIDGOV_API int gridgov_directory_add_absence(uint64_t* out_id, gridgov_workspace* ws,
                                              const char* person, int kind, const char* from,
                                              const char* to, uint64_t assignment,
                                              const char* reason);

/* Ends an absence at `to`. Returns as gridgov_directory_end_assignment(). Since 0.1. */
GRIDGOV_API int gridgov_directory_end_absence(gridgov_workspace* ws, uint64_t id, const char* to);

/* Attaches a unit (party group, team, archive) to a node.
 * kind: GRIDGOV_UNIT_*. from: NULL for "since forever". to: NULL for open-ended.
 * members: `member_count` person ids (NULL when member_count is 0). Since 0.1. */
GRIDGOV_API int gridgov_directory_add_unit(gridgov_workspace* ws, const char* code, int kind,
                                           const char* name, const char* node_code,
                                           const char* from, const char* to, size_t member_count,
                                           const char* const* members);

/* Ends a unit's period at `to`. Since 0.1. */
GRIDGOV_API int gridgov_directory_end_unit(gridgov_workspace* ws, const char* code, const char* to);

/* Imports people, units, assignments and absences from a file in one transaction.
 * out: receives what was added (caller-owned struct). path: a .json or .csv file.
 * table: GRIDGOV_TABLE_*; AUTO takes a CSV file's table from its name.
 * Returns GRIDGOV_OK; on GRIDGOV_EPARSE, GRIDGOV_EINVAL, GRIDGOV_EEXISTS or
 * GRIDGOV_ENOTFOUND the message names the file, the row and the field, and nothing was
 * imported. Since 0.1. */
GRIDGOV_API int gridgov_directory_import_file(gridgov_directory_import_report* out,
                                              gridgov_workspace* ws, const char* path, int table);

/* The same from text in memory. format: GRIDGOV_FORMAT_JSON, _CSV or _AUTO (JSON when the
 * text starts with '{'). table: GRIDGOV_TABLE_AUTO for JSON, the table for CSV.
 * source_name: the name messages use for the text, or NULL for "<text>". Since 0.1. */
GRIDGOV_API int gridgov_directory_import_text(gridgov_directory_import_report* out,
                                              gridgov_workspace* ws, const char* text, int format,
                                              int table, const char* source_name);

/* ---- questions --------------------------------------------------------------------- */
/* Unless stated otherwise these return GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown node,
 * person, duty or role code; GRIDGOV_EINVAL for NULL arguments or a malformed date. */

/* The number of people. Since 0.1. */
GRIDGOV_API int gridgov_directory_person_count(size_t* out, const gridgov_workspace* ws);

/* One person as JSON {"id", "name", "phone", "id_number", "party", "categories",
 * "attributes"}, masked unless `reveal`. out: owned by the caller (gridgov_free()).
 * Since 0.1. */
GRIDGOV_API int gridgov_directory_person_json(char** out, const gridgov_workspace* ws,
                                              const char* person, int reveal);

/* Who is responsible for a duty or a role (`code` names either) at a node on a date:
 * the node's holders first, post A before post B, then each ancestor's.
 * out_person: receives the person's id, or NULL when nobody is found; owned by the
 * caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_responsible(char** out_person, const gridgov_workspace* ws,
                                              const char* node_code, const char* code,
                                              const char* date);

/* The same with the reasoning: JSON {"found", "person", "name", "role", "node", "post",
 * "assignment", "steps": [{"node", "role", "post", "person", "assignment", "outcome"
 * ("no_holder" | "absent" | "chosen"), "absence", "absence_kind"}]}.
 * out: owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_explain(char** out, const gridgov_workspace* ws,
                                          const char* node_code, const char* code,
                                          const char* date);

/* Who holds a role with the given function (GRIDGOV_ROLE_GRID_LEADER, ...) for a node on
 * a date, as gridgov_directory_explain() JSON. Since 0.1. */
GRIDGOV_API int gridgov_directory_responsible_function(char** out, const gridgov_workspace* ws,
                                                       const char* node_code, int function,
                                                       const char* date);

/* The posts held at a node on a date, post A first: JSON [{"assignment", "person", "name",
 * "phone", "role", "role_zh", "node", "post", "from", "to", "absent", "absence"}].
 * Phones masked unless `reveal`. out: owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_roster_json(char** out, const gridgov_workspace* ws,
                                              const char* node_code, const char* date, int reveal);

/* The posts a person holds on a date, as gridgov_directory_roster_json(). Since 0.1. */
GRIDGOV_API int gridgov_directory_posts_json(char** out, const gridgov_workspace* ws,
                                             const char* person, const char* date, int reveal);

/* Per person on a date: JSON [{"person", "name", "primary_posts", "backup_posts",
 * "grids", "households", "population"}] over the subtrees where the person holds post A.
 * grid_level: NULL for "grid". out: owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_workload_json(char** out, const gridgov_workspace* ws,
                                                const char* date, const char* grid_level);

/* Staffing findings (rule ids "directory.*", docs/directory.md) on a date.
 * out: receives the findings; owned by the caller, release with gridgov_findings_destroy().
 * scope_code: NULL for every node, else the subtree of this node. options: NULL for the
 * defaults of gridgov_compliance_options_init(); borrowed for the call.
 * Returns GRIDGOV_OK (data problems are findings); GRIDGOV_EINVAL for an unknown options
 * version or grid level; GRIDGOV_ENOTFOUND for an unknown scope. Since 0.1. */
GRIDGOV_API int gridgov_directory_compliance(gridgov_findings** out, const gridgov_workspace* ws,
                                             const char* date, const char* scope_code,
                                             const gridgov_compliance_options* options);

/* ---- exports ----------------------------------------------------------------------- */

/* The responsibility chart (网格化图谱) of every grid in a scope on a date: leader,
 * supervisor, workers, their phones and duties.
 * out: owned by the caller (gridgov_free()). format: GRIDGOV_FORMAT_JSON, _CSV or _HTML
 * (a self-contained printable page). scope_code: NULL for every grid. Since 0.1. */
GRIDGOV_API int gridgov_directory_chart(char** out, const gridgov_workspace* ws, const char* date,
                                        int format, int reveal, const char* scope_code);

/* Role assignments valid on a date as Casbin grouping lines "g, person, role, node\n".
 * out: owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_casbin(char** out, const gridgov_workspace* ws, const char* date);

/* The directory as JSON (format GRIDGOV_FORMAT_JSON, every table; table must be
 * GRIDGOV_TABLE_AUTO) or one table as CSV (GRIDGOV_FORMAT_CSV), in the import format.
 * out: owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_directory_export_text(char** out, const gridgov_workspace* ws, int format,
                                              int table, int reveal);

/* ==== workflow ====================================================================== */

/* Workflow specs, category catalogues, departments and routing (docs/workflow.md).
 *  - These are values: each handle holds its own copy, read from JSON text in the formats
 *    of docs/workflow.md, and depends on no workspace. Calls that need a hierarchy or a
 *    directory (validating departments and routing tables, routing a case) read them from
 *    a workspace passed for the call.
 *  - JSON that does not parse is GRIDGOV_EPARSE naming the source; a field of the wrong
 *    type or an unknown name (command, state kind, time unit, ...) is GRIDGOV_EINVAL
 *    naming the source, the JSON path and the field; a duplicate code is GRIDGOV_EEXISTS.
 *    `source_name` may be NULL for "<json>".
 *  - Data problems are findings (rule ids "workflow.*", "category.*", "department.*",
 *    "routing.*"), returned in a gridgov_findings list, never errors.
 *  - Category, department and routing handles never change once made: strings read from
 *    them are borrowed until the handle is destroyed. A registry grows with
 *    gridgov_workflow_registry_add_json(): strings read from it are borrowed until the
 *    registry changes.
 *  - Every handle may be read by several threads at once; a change needs the handle to
 *    itself. */

/* Workflow specs by key and version (a version never changes once registered). */
typedef struct gridgov_workflow_registry gridgov_workflow_registry;

/* The categories of matters a locality handles (部件/事件/治理事项) with their limits. */
typedef struct gridgov_category_catalogue gridgov_category_catalogue;

/* Handling departments (专业部门 / 责任单位), each serving one node and its subtree. */
typedef struct gridgov_department_catalogue gridgov_department_catalogue;

/* Routing rules and the territorial default (属地管理). */
typedef struct gridgov_routing_table gridgov_routing_table;

/* Commands a case accepts. The numbers are stable (event logs store them); new commands
 * are only appended. gridgov_command_name() gives the names used in files. */
#define GRIDGOV_COMMAND_REPORT 0            /* 上报: creates a case */
#define GRIDGOV_COMMAND_FILE 1              /* 立案 */
#define GRIDGOV_COMMAND_VOID 2              /* 不予立案 / 作废 */
#define GRIDGOV_COMMAND_DISPATCH 3          /* 派遣 to a department */
#define GRIDGOV_COMMAND_ACCEPT 4            /* 签收 */
#define GRIDGOV_COMMAND_RETURN 5            /* 回退 to the dispatcher */
#define GRIDGOV_COMMAND_REQUEST_EXTENSION 6 /* 延期申请 (amount) */
#define GRIDGOV_COMMAND_APPROVE_EXTENSION 7 /* 延期批准 (amount granted) */
#define GRIDGOV_COMMAND_DENY_EXTENSION 8    /* 延期驳回 */
#define GRIDGOV_COMMAND_SUSPEND 9           /* 挂账 */
#define GRIDGOV_COMMAND_RESUME 10           /* 恢复 */
#define GRIDGOV_COMMAND_FEEDBACK 11         /* 处置反馈 */
#define GRIDGOV_COMMAND_CHECK_PASS 12       /* 核查通过 */
#define GRIDGOV_COMMAND_CHECK_FAIL 13       /* 核查不通过 (返工) */
#define GRIDGOV_COMMAND_CLOSE 14            /* 结案 */
#define GRIDGOV_COMMAND_RATE 15             /* 评价 (rating) */
#define GRIDGOV_COMMAND_ESCALATE 16         /* 提级: one tier up */
#define GRIDGOV_COMMAND_SUPERVISE 17        /* 督办 */
#define GRIDGOV_COMMAND_ARCHIVE 18          /* 归档 */
#define GRIDGOV_COMMAND_SELF_HANDLE 19      /* 自处置 on the spot */
#define GRIDGOV_COMMAND_CALLBACK 20         /* 回访 of the reporter (rating) */

/* Citizen satisfaction (满意 / 基本满意 / 不满意). */
#define GRIDGOV_SATISFACTION_SATISFIED 0
#define GRIDGOV_SATISFACTION_BASICALLY_SATISFIED 1
#define GRIDGOV_SATISFACTION_UNSATISFIED 2

/* How a state counts in figures. */
#define GRIDGOV_STATE_KIND_PENDING 0 /* before filing */
#define GRIDGOV_STATE_KIND_OPEN 1
#define GRIDGOV_STATE_KIND_CLOSED 2 /* 结案 */
#define GRIDGOV_STATE_KIND_VOIDED 3

/* Which step of the routing precedence decided (gridgov_route.basis). */
#define GRIDGOV_ROUTE_RULE 0        /* an explicit rule */
#define GRIDGOV_ROUTE_CATEGORY 1    /* the category's department kind */
#define GRIDGOV_ROUTE_TERRITORIAL 2 /* territorial management (属地管理) */

/* The role catalogue a spec's roles are checked against (gridgov_workflow_check_options). */
#define GRIDGOV_WORKFLOW_ROLES_NONE 0      /* roles are not checked */
#define GRIDGOV_WORKFLOW_ROLES_EXPECTED 1  /* the catalogues the spec names in "catalogues" */
#define GRIDGOV_WORKFLOW_ROLES_WORKSPACE 2 /* the catalogue of a workspace's directory */
#define GRIDGOV_WORKFLOW_ROLES_JSON 3      /* a catalogue given as JSON (docs/directory.md) */

/* The name of a command as files write it ("dispatch", "void", "return", ...).
 * out: static storage, never released. command: GRIDGOV_COMMAND_*.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL out, unknown command). Since 0.1. */
GRIDGOV_API int gridgov_command_name(const char** out, int command);

/* The command with this name. out: receives GRIDGOV_COMMAND_*. name: borrowed for the call.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, unknown name; the message names it).
 * Since 0.1. */
GRIDGOV_API int gridgov_command_parse(int* out, const char* name);

/* What a spec is checked against, beyond its structure. Set it up with
 * gridgov_workflow_check_options_init(): roles GRIDGOV_WORKFLOW_ROLES_EXPECTED, no
 * categories. Pointers are borrowed for the call that reads the options. */
#define GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION 1
typedef struct gridgov_workflow_check_options {
    uint32_t version; /* GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION, from the _init() */
    int32_t roles;    /* GRIDGOV_WORKFLOW_ROLES_* */
    const gridgov_workspace* workspace; /* for ROLES_WORKSPACE: its directory's catalogue */
    const char* roles_json;             /* for ROLES_JSON: a directory catalogue as JSON */
    const gridgov_category_catalogue* categories; /* NULL: stages and limits not checked */
} gridgov_workflow_check_options;

/* Sets every member of `options` to its default (see above).
 * options: the struct to set up (caller-owned). version: GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL options or an unknown version.
 * Since 0.1. */
GRIDGOV_API int gridgov_workflow_check_options_init(gridgov_workflow_check_options* options,
                                                    uint32_t version);

/* Checks a workflow spec without registering it.
 * out: receives the findings (possibly none); owned by the caller, release with
 * gridgov_findings_destroy(). json: the spec (borrowed for the call). source_name: names
 * the text in messages, NULL for "<json>". options: NULL for the defaults.
 * Returns GRIDGOV_OK (a spec with errors is findings, not an error); GRIDGOV_EPARSE or
 * GRIDGOV_EINVAL when the text cannot be read as a spec; GRIDGOV_EINVAL for NULL
 * arguments or bad options (an unknown roles value, a missing workspace or roles_json);
 * GRIDGOV_ENOTFOUND when the spec names a catalogue that is not built in and roles are
 * GRIDGOV_WORKFLOW_ROLES_EXPECTED. Since 0.1. */
GRIDGOV_API int gridgov_workflow_validate_json(gridgov_findings** out, const char* json,
                                               const char* source_name,
                                               const gridgov_workflow_check_options* options);

/* ---- workflow registry ------------------------------------------------------------- */

/* Creates an empty registry.
 * out: receives the handle; owned by the caller, release with
 * gridgov_workflow_registry_destroy(). Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_create(gridgov_workflow_registry** out);

/* Creates a registry holding the built-in profiles, version 1: "hotline_callback",
 * "township_six_step", "urban_seven_step".
 * out: receives the handle; owned by the caller, release with
 * gridgov_workflow_registry_destroy(). Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_create_builtin(gridgov_workflow_registry** out);

/* Releases a registry; every string borrowed from it becomes invalid. NULL is a no-op.
 * Since 0.1. */
GRIDGOV_API void gridgov_workflow_registry_destroy(gridgov_workflow_registry* registry);

/* Checks a spec (as gridgov_workflow_validate_json()) and registers it.
 * out: receives the warnings and infos; owned by the caller, release with
 * gridgov_findings_destroy(). json, source_name, options: as gridgov_workflow_validate_json().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL when the spec has an error-level finding (the message
 * names the spec, the JSON path, the field and the rule, e.g. "workflow tiny@1 refused at
 * /transitions/1/to (field 'to'): ... [workflow.unknown_state]"); GRIDGOV_EEXISTS when the
 * key and version are registered already; GRIDGOV_EPARSE; on error the registry is
 * unchanged. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_add_json(gridgov_findings** out,
                                                   gridgov_workflow_registry* registry,
                                                   const char* json, const char* source_name,
                                                   const gridgov_workflow_check_options* options);

/* The number of specs (every version of every key). Returns GRIDGOV_OK or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_count(size_t* out,
                                                const gridgov_workflow_registry* registry);

/* The number of distinct keys. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_key_count(size_t* out,
                                                    const gridgov_workflow_registry* registry);

/* Key `index` in sorted order. out: borrowed until the registry changes.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (NULL argument, index >= the key count). Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_key(const char** out,
                                              const gridgov_workflow_registry* registry,
                                              size_t index);

/* The registered versions of a key, ascending.
 * out, out_count: a caller-owned array, release with gridgov_free(); empty (NULL, 0) for
 * an unknown key. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_versions(int32_t** out, size_t* out_count,
                                                   const gridgov_workflow_registry* registry,
                                                   const char* key);

/* A registered spec as JSON in the format gridgov_workflow_registry_add_json() reads.
 * out: owned by the caller, release with gridgov_free(). version: a registered version,
 * or 0 for the highest. Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND naming the key and version;
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_spec_json(char** out,
                                                    const gridgov_workflow_registry* registry,
                                                    const char* key, int version);

/* The commands with a transition leaving `state` in a spec (ignoring guards and actors),
 * in numeric order: what a user interface may offer for a case in that state.
 * out, out_count: a caller-owned array of GRIDGOV_COMMAND_* values, release with
 * gridgov_free(). version: as gridgov_workflow_registry_spec_json().
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown key, version or state; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_workflow_registry_commands_from(int32_t** out, size_t* out_count,
                                                        const gridgov_workflow_registry* registry,
                                                        const char* key, int version,
                                                        const char* state);

/* ---- categories -------------------------------------------------------------------- */

/* Reads a category catalogue. out: receives the handle; owned by the caller, release with
 * gridgov_category_catalogue_destroy(). json: borrowed. source_name: NULL for "<json>".
 * Returns GRIDGOV_OK, GRIDGOV_EPARSE, GRIDGOV_EINVAL or GRIDGOV_EEXISTS (a duplicate code).
 * Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_from_json(gridgov_category_catalogue** out,
                                                     const char* json, const char* source_name);

/* A built-in catalogue: "urban_management", "governance" or "combined" (both).
 * out: owned by the caller, release with gridgov_category_catalogue_destroy().
 * Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND naming the key, or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_preset(gridgov_category_catalogue** out,
                                                  const char* key);

/* Releases a catalogue; every string borrowed from it becomes invalid. NULL is a no-op.
 * Since 0.1. */
GRIDGOV_API void gridgov_category_catalogue_destroy(gridgov_category_catalogue* categories);

/* The catalogue as JSON. out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_to_json(char** out,
                                                   const gridgov_category_catalogue* categories);

/* Findings about the catalogue (category.duplicate_code, category.empty_field,
 * category.duplicate_limit, category.clock_mode, category.milestone_order).
 * out: owned by the caller, release with gridgov_findings_destroy().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_validate(gridgov_findings** out,
                                                    const gridgov_category_catalogue* categories);

/* The number of categories. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_count(size_t* out,
                                                 const gridgov_category_catalogue* categories);

/* The code of category `index` ("E0102"), in catalogue order. out: borrowed until the
 * catalogue is destroyed. Returns GRIDGOV_OK or GRIDGOV_EINVAL (index >= count). Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_code(const char** out,
                                                const gridgov_category_catalogue* categories,
                                                size_t index);

/* The Chinese name of the category with this code (暴露垃圾). out: borrowed until the
 * catalogue is destroyed. Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND naming the code, or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_name(const char** out,
                                                const gridgov_category_catalogue* categories,
                                                const char* code);

/* The department kind responsible for the category ("sanitation"). out: borrowed until the
 * catalogue is destroyed. Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_department(const char** out,
                                                      const gridgov_category_catalogue* categories,
                                                      const char* code);

/* The time limit of a stage for a category in an area class: the class's own entry, else
 * the entry for every class.
 * out: caller-owned; written only when *out_found is 1. out_found: 1 when the category has
 * a limit for the stage, 0 when it has none (the stage's default in the workflow applies).
 * area_class: NULL or "" for the entry for every class.
 * Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND naming an unknown category, or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_category_catalogue_limit(gridgov_time_limit* out, int* out_found,
                                                 const gridgov_category_catalogue* categories,
                                                 const char* code, const char* stage,
                                                 const char* area_class);

/* ---- departments ------------------------------------------------------------------- */

/* Reads a department catalogue. out: owned by the caller, release with
 * gridgov_department_catalogue_destroy(). json: borrowed. source_name: NULL for "<json>".
 * Returns GRIDGOV_OK, GRIDGOV_EPARSE, GRIDGOV_EINVAL or GRIDGOV_EEXISTS. Since 0.1. */
GRIDGOV_API int gridgov_department_catalogue_from_json(gridgov_department_catalogue** out,
                                                       const char* json, const char* source_name);

/* Releases a catalogue; every string borrowed from it becomes invalid. NULL is a no-op.
 * Since 0.1. */
GRIDGOV_API void gridgov_department_catalogue_destroy(gridgov_department_catalogue* departments);

/* The catalogue as JSON. out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_department_catalogue_to_json(
    char** out, const gridgov_department_catalogue* departments);

/* Findings about the departments against a workspace: department.unknown_node (a node code
 * not live in its hierarchy), department.no_members (warning), and with check_members 1
 * department.unknown_member (a member who is not a person of its directory).
 * out: owned by the caller, release with gridgov_findings_destroy(). check_members: 0 or 1.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_department_catalogue_validate(
    gridgov_findings** out, const gridgov_department_catalogue* departments,
    const gridgov_workspace* ws, int check_members);

/* The number of departments. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_department_catalogue_count(size_t* out,
                                                   const gridgov_department_catalogue* departments);

/* The code of department `index`, in catalogue order. out: borrowed until the catalogue is
 * destroyed. Returns GRIDGOV_OK or GRIDGOV_EINVAL (index >= count). Since 0.1. */
GRIDGOV_API int gridgov_department_catalogue_code(const char** out,
                                                  const gridgov_department_catalogue* departments,
                                                  size_t index);

/* ---- routing ----------------------------------------------------------------------- */

/* The answer of gridgov_routing_table_route(). This struct is frozen: it will never gain
 * members (a new struct would be added instead). */
typedef struct gridgov_route {
    int32_t basis;        /* GRIDGOV_ROUTE_* */
    gridgov_node_id node; /* the node the department serves, or the territorial node */
    int64_t rule;         /* index of the deciding rule with GRIDGOV_ROUTE_RULE, else -1 */
    char* department;     /* department code, "" when territorial without a department;
                             owned by the caller, release with gridgov_free() */
    char* reasoning;      /* every step tried, one line each ('\n' between lines);
                             owned by the caller, release with gridgov_free() */
} gridgov_route;

/* Reads a routing table: {"territorial_level", "territorial_kind", "rules": [...]}.
 * out: owned by the caller, release with gridgov_routing_table_destroy(). json: borrowed.
 * source_name: NULL for "<json>". Returns GRIDGOV_OK, GRIDGOV_EPARSE or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_routing_table_from_json(gridgov_routing_table** out, const char* json,
                                                const char* source_name);

/* Releases a routing table. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_routing_table_destroy(gridgov_routing_table* table);

/* The table as JSON. out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_routing_table_to_json(char** out, const gridgov_routing_table* table);

/* Findings about the table against a workspace's hierarchy, the categories and the
 * departments: routing.unknown_level, routing.unknown_department, routing.unknown_subtree,
 * routing.prefix_matches_nothing (warning), routing.duplicate_rule (warning); where =
 * "rules[i]". out: owned by the caller, release with gridgov_findings_destroy().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_routing_table_validate(gridgov_findings** out,
                                               const gridgov_routing_table* table,
                                               const gridgov_workspace* ws,
                                               const gridgov_category_catalogue* categories,
                                               const gridgov_department_catalogue* departments);

/* Decides who handles a case of `category` at `node` (a node id of the workspace's
 * hierarchy): explicit rules (longest prefix, then deepest subtree, then earlier rule),
 * else the category's department kind nearest to the node, else territorial management
 * at the table's territorial level (docs/workflow.md, "Routing").
 * out: caller-owned struct; on success its two strings are owned by the caller, release
 * each with gridgov_free(); on failure it is untouched.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for a category the catalogue lacks or a node that
 * is not live; GRIDGOV_EINVAL for NULL arguments. Since 0.1. */
GRIDGOV_API int gridgov_routing_table_route(gridgov_route* out, const gridgov_routing_table* table,
                                            const gridgov_workspace* ws,
                                            const gridgov_category_catalogue* categories,
                                            const gridgov_department_catalogue* departments,
                                            const char* category, gridgov_node_id node);

/* ---- the workspace's workflows, categories, departments and routing ---------------- */
/* The case engine of a workspace (cases section) keeps its own registry, categories,
 * departments and routing table, stored in the file. The setters change the workspace
 * (one transaction each) and keep a copy of the handle given; the getters return a copy
 * owned by the caller. They return GRIDGOV_OK; GRIDGOV_ESTATE for a read-only workspace or
 * while a case batch is open; GRIDGOV_EINVAL for NULL arguments. */

/* Registers a new workflow version in the workspace, validated against the directory's
 * catalogue and the workspace's categories. out: receives the warnings; owned by the
 * caller, release with gridgov_findings_destroy(). json: borrowed. source_name: NULL for
 * "<json>". Returns GRIDGOV_EINVAL for an error-level finding (naming spec, JSON path,
 * field and rule), GRIDGOV_EEXISTS for a registered key and version, GRIDGOV_EPARSE.
 * Since 0.1. */
GRIDGOV_API int gridgov_workspace_add_workflow_json(gridgov_findings** out, gridgov_workspace* ws,
                                                    const char* json, const char* source_name);

/* A copy of the workspace's workflow registry.
 * out: owned by the caller, release with gridgov_workflow_registry_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_workspace_workflows(gridgov_workflow_registry** out,
                                            const gridgov_workspace* ws);

/* Replaces the workspace's categories (a copy is kept). Returns GRIDGOV_EINVAL for
 * error-level findings of the catalogue, GRIDGOV_ESTATE when a code some case uses is
 * missing. Since 0.1. */
GRIDGOV_API int gridgov_workspace_set_categories(gridgov_workspace* ws,
                                                 const gridgov_category_catalogue* categories);

/* A copy of the workspace's categories. out: owned by the caller, release with
 * gridgov_category_catalogue_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_workspace_categories(gridgov_category_catalogue** out,
                                             const gridgov_workspace* ws);

/* Replaces the workspace's departments (a copy is kept). Returns GRIDGOV_ESTATE when a
 * department some case is assigned to is missing. Since 0.1. */
GRIDGOV_API int gridgov_workspace_set_departments(gridgov_workspace* ws,
                                                  const gridgov_department_catalogue* departments);

/* A copy of the workspace's departments. out: owned by the caller, release with
 * gridgov_department_catalogue_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_workspace_departments(gridgov_department_catalogue** out,
                                              const gridgov_workspace* ws);

/* Replaces the workspace's routing table (a copy is kept). Since 0.1. */
GRIDGOV_API int gridgov_workspace_set_routing(gridgov_workspace* ws,
                                              const gridgov_routing_table* table);

/* A copy of the workspace's routing table. out: owned by the caller, release with
 * gridgov_routing_table_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_workspace_routing(gridgov_routing_table** out, const gridgov_workspace* ws);

/* Routes a case of `category` at `node` with the workspace's own routing table,
 * categories and departments, as gridgov_routing_table_route() does.
 * out: caller-owned struct; on success its two strings are owned by the caller, release
 * each with gridgov_free(). Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_workspace_route(gridgov_route* out, const gridgov_workspace* ws,
                                        const char* category, gridgov_node_id node);

/* ==== cases ========================================================================= */

/* Cases (事件/案卷) of a workspace: reports, commands, stage clocks and their lights, ticks,
 * queries, the hash-chained event log and observers (docs/cases.md).
 *  - The case engine lives in the workspace: every report, command, tick, batch and
 *    configuration change is written through to the file. A refused call changes
 *    nothing and returns the engine's refusal: GRIDGOV_ESTATE (no such command in the
 *    case's state), GRIDGOV_EPERM (the actor may not fire it), GRIDGOV_EINVAL (a missing
 *    reason, evidence or payload field, an instant before the case's last event),
 *    GRIDGOV_ENOTFOUND (an unknown case, category, node or workflow); the message names
 *    the case number, state, command, person, roles, node code and date as they apply.
 *  - Instants are int64_t seconds since 1970-01-01T00:00:00Z (civil time is China
 *    Standard Time); gridgov_instant_parse() and gridgov_instant_format() convert ISO 8601
 *    text. GRIDGOV_NO_INSTANT stands for "none".
 *  - Case ids are dense (0, 1, 2, ... in reporting order) and never reused; a case's
 *    number ("2026-000123") is its identity outside the workspace.
 *  - A gridgov_case_record is a snapshot of one case: it does not change when the case
 *    does, and may outlive the workspace. */

/* A case id. */
typedef uint32_t gridgov_case_id;

/* "No case". */
#define GRIDGOV_NO_CASE ((gridgov_case_id)0xFFFFFFFFu)

/* "No instant": an instant that is not given or does not exist. */
#define GRIDGOV_NO_INSTANT INT64_MIN

/* A snapshot of one case (gridgov_cases_get()). */
typedef struct gridgov_case_record gridgov_case_record;

/* The events of one case (gridgov_cases_events()). */
typedef struct gridgov_case_events gridgov_case_events;

/* Case counts by group (gridgov_cases_count_by()). */
typedef struct gridgov_case_groups gridgov_case_groups;

/* How a matter came in (信息来源). */
#define GRIDGOV_SOURCE_GRID_WORKER 0   /* 网格员 / 信息员 on patrol */
#define GRIDGOV_SOURCE_SUPERVISOR 1    /* 监督员 */
#define GRIDGOV_SOURCE_HOTLINE_12345 2 /* 12345 hotline */
#define GRIDGOV_SOURCE_HOTLINE_12319 3 /* 12319 urban-management hotline */
#define GRIDGOV_SOURCE_APP 4           /* app, WeChat, website */
#define GRIDGOV_SOURCE_VIDEO 5         /* video surveillance */
#define GRIDGOV_SOURCE_REFERRAL 6      /* referred by another office (转办) */

/* Whether a stage clock counts (gridgov_case_clock.run). */
#define GRIDGOV_CLOCK_COUNTING 0
#define GRIDGOV_CLOCK_IDLE 1      /* the case left the stage; the clock resumes on return */
#define GRIDGOV_CLOCK_SUSPENDED 2 /* 挂账 */
#define GRIDGOV_CLOCK_STOPPED 3   /* for good (closed, voided) */

/* What an event records (gridgov_case_event.kind). */
#define GRIDGOV_EVENT_COMMAND 0
#define GRIDGOV_EVENT_BREACH 1 /* a clock ran out (超时) */

/* What gridgov_cases_verify_log() found wrong first. */
#define GRIDGOV_LOG_OK 0
#define GRIDGOV_LOG_CONTENT_CHANGED 1 /* an event's fields do not match its hash */
#define GRIDGOV_LOG_CHAIN_BROKEN 2    /* an event's previous hash does not match */
#define GRIDGOV_LOG_MISSING 3         /* a sequence number is missing */
#define GRIDGOV_LOG_CASE_SEQUENCE 4   /* a case's own numbering jumps or repeats */
#define GRIDGOV_LOG_UNKNOWN_CASE 5    /* an event names a case the workspace lacks */
#define GRIDGOV_LOG_HEAD_MISMATCH 6   /* the log ends elsewhere than expected */

/* What gridgov_cases_count_by() groups on. */
#define GRIDGOV_GROUP_STATE 0
#define GRIDGOV_GROUP_KIND 1
#define GRIDGOV_GROUP_CATEGORY 2
#define GRIDGOV_GROUP_SOURCE 3
#define GRIDGOV_GROUP_DEPARTMENT 4
#define GRIDGOV_GROUP_LIGHT 5 /* of the counting clock at filter->at */
#define GRIDGOV_GROUP_NODE 6  /* the case node's ancestor at a level */
#define GRIDGOV_GROUP_WORKFLOW 7
#define GRIDGOV_GROUP_TIER 8
#define GRIDGOV_GROUP_OVERDUE 9 /* "overdue" / "in_time" at filter->at */

/* ---- instants ---------------------------------------------------------------------- */

/* Reads ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]]" with an optional offset ("Z", "+08:00",
 * "+0800", "+08"); text without an offset is China Standard Time. A fraction of a second
 * (any number of digits) is dropped: the whole second at or before the text. A space in
 * place of the 'T' is refused. iso: borrowed for the call.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL naming the parameter, the text, the expected form
 * and the problem. Since 0.1. */
GRIDGOV_API int gridgov_instant_parse(int64_t* out, const char* iso);

/* Writes an instant as "YYYY-MM-DDTHH:MM:SS+08:00".
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_instant_format(char** out, int64_t instant);

/* ---- cases: configuration ---------------------------------------------------------- */
/* These change the workspace (each is one transaction) and return GRIDGOV_OK;
 * GRIDGOV_ESTATE for a read-only workspace or while a batch is open; GRIDGOV_EINVAL for
 * NULL arguments. */

/* The workflow a new case from `source` (GRIDGOV_SOURCE_*) runs when its report names
 * none. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_workspace_default_workflow(const char** out, const gridgov_workspace* ws,
                                                   int source);

/* Sets the workflow new cases from `source` run by default. Returns GRIDGOV_ENOTFOUND
 * unless the key is registered. Since 0.1. */
GRIDGOV_API int gridgov_workspace_set_default_workflow(gridgov_workspace* ws, int source,
                                                       const char* key);

/* Sets the working hours case clocks count in ({"hours": [...], "seasons": [...]}, as
 * gridgov_calendar_set_schedule_json()); every counting clock's deadline is recomputed.
 * json: borrowed. Returns also GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_set_calendar_schedule_json(gridgov_workspace* ws,
                                                             const char* json);

/* Adds a holiday-cn year file (or an array of them) to the workspace's calendar, for a
 * year the built-in data lacks. json: borrowed. source_name: NULL for "<json>".
 * Returns also GRIDGOV_EPARSE or GRIDGOV_EEXISTS. Since 0.1. */
GRIDGOV_API int gridgov_workspace_add_calendar_year_json(gridgov_workspace* ws, const char* json,
                                                         const char* source_name);

/* Adds local rest days and working days to the workspace's calendar (holiday-cn format).
 * json: borrowed. source_name: NULL for "<json>". Returns also GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_add_calendar_overrides_json(gridgov_workspace* ws,
                                                              const char* json,
                                                              const char* source_name);

/* Removes every local override from the workspace's calendar. Since 0.1. */
GRIDGOV_API int gridgov_workspace_clear_calendar_overrides(gridgov_workspace* ws);

/* ---- cases: reports and commands --------------------------------------------------- */

/* A new case. Set it up with gridgov_report_init(), then fill in the members. Strings are
 * borrowed for the duration of the call that reads the struct. */
#define GRIDGOV_REPORT_VERSION 1
typedef struct gridgov_report {
    uint32_t version;      /* GRIDGOV_REPORT_VERSION, written by the _init() */
    const char* category;  /* required: a category code of the workspace */
    const char* node_code; /* where the matter is; NULL: `node` is used */
    gridgov_node_id node;  /* used when node_code is NULL; GRIDGOV_NO_NODE after init */
    int32_t source;        /* GRIDGOV_SOURCE_*; GRIDGOV_SOURCE_GRID_WORKER after init */
    const char* actor;     /* person id of the one reporting; NULL when system is 1 */
    int32_t system;        /* 1: reported by the engine or another system */
    int64_t at;            /* required: when it was reported */
    const char* reporter;  /* who may rate the case; NULL: the actor (none for system) */
    const char* workflow;  /* workflow key; NULL: the default for the source */
    const char* number;    /* case number; NULL: numbered "<year>-<sequence>" */
    const char* note;      /* NULL for none */
    size_t evidence_count; /* references to photos, documents, ... */
    const char* const* evidence;
} gridgov_report;

/* Sets every member of `report` to its default (see above; `at` GRIDGOV_NO_INSTANT).
 * report: caller-owned. version: GRIDGOV_REPORT_VERSION. Returns GRIDGOV_OK, or
 * GRIDGOV_EINVAL for a NULL report or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_report_init(gridgov_report* report, uint32_t version);

/* A command on a case. Set it up with gridgov_command_init(), then fill in the members.
 * Strings are borrowed for the duration of the call that reads the struct. */
#define GRIDGOV_COMMAND_SPEC_VERSION 1
typedef struct gridgov_command {
    uint32_t version;      /* GRIDGOV_COMMAND_SPEC_VERSION, written by the _init() */
    int32_t command;       /* GRIDGOV_COMMAND_*; -1 after init */
    const char* name;      /* the command's name ("dispatch"); NULL: `command` is used */
    const char* actor;     /* person id; NULL when system is 1 */
    int32_t system;        /* 1: fired by the engine or another system */
    int64_t at;            /* required: when the command was given */
    const char* reason;    /* NULL for none; required by some transitions */
    const char* note;      /* NULL for none */
    size_t evidence_count; /* references to photos, documents, ... */
    const char* const* evidence;
    const char* category;      /* file: a corrected category code; NULL keeps it */
    const char* department;    /* dispatch: a department code; NULL: routing decides */
    int32_t has_amount;        /* 1 when `amount` is given (request/approve_extension) */
    gridgov_time_limit amount; /* the extension asked for or granted */
    int32_t rating_level;      /* rate, callback: GRIDGOV_SATISFACTION_*; -1 for none */
    int32_t rating_score;      /* rate, callback: a score 1-5; 0 for none */
} gridgov_command;

/* Sets every member of `command` to its default (see above; `at` GRIDGOV_NO_INSTANT).
 * command: caller-owned. version: GRIDGOV_COMMAND_SPEC_VERSION. Returns GRIDGOV_OK, or
 * GRIDGOV_EINVAL for a NULL command or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_command_init(gridgov_command* command, uint32_t version);

/* Reports a matter: creates a case and its first event.
 * out: receives the new case's id. report: borrowed for the call.
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for a missing field (naming it), an unknown source
 * or version; GRIDGOV_ENOTFOUND for an unknown workflow, category or node;
 * GRIDGOV_EEXISTS for a duplicate number; GRIDGOV_EPERM when the actor holds no
 * reporting role at the node on that date; GRIDGOV_ESTATE for a read-only workspace.
 * Nothing changes on error. Since 0.1. */
GRIDGOV_API int gridgov_cases_report(gridgov_case_id* out, gridgov_workspace* ws,
                                     const gridgov_report* report);

/* Fires a command on a case and appends its event (a counting clock that ran out before
 * the command's instant gets its breach event first).
 * out_sequence: receives the event's sequence number; may be NULL. command: borrowed.
 * Returns GRIDGOV_OK; GRIDGOV_ESTATE when the case's state has no such command (the
 * message names case number, state and command) or the workspace is read-only;
 * GRIDGOV_EPERM when the actor may not fire it (naming person, roles, node code and
 * date); GRIDGOV_EINVAL for a missing reason, evidence or payload field (naming it) or an
 * instant before the case's last event; GRIDGOV_ENOTFOUND for an unknown case or
 * department. Nothing changes on error. Since 0.1. */
GRIDGOV_API int gridgov_cases_fire(uint64_t* out_sequence, gridgov_workspace* ws,
                                   gridgov_case_id id, const gridgov_command* command);

/* Whether gridgov_cases_fire() would accept a command, without changing anything.
 * out_status: GRIDGOV_OK, or the status the refusal would return. out_message: "" or the
 * refusal's message; owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK (a refusal is an answer, not an error), GRIDGOV_EINVAL for NULL
 * arguments or a malformed command struct, GRIDGOV_ENOTFOUND for an unknown case.
 * Since 0.1. */
GRIDGOV_API int gridgov_cases_check(int* out_status, char** out_message,
                                    const gridgov_workspace* ws, gridgov_case_id id,
                                    const gridgov_command* command);

/* The commands `actor` (NULL with system 1: the engine) could fire on a case at `at`,
 * payloads aside: the menu of the case's page.
 * out, out_count: a caller-owned array of GRIDGOV_COMMAND_* values, release with
 * gridgov_free(). Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_available(int32_t** out, size_t* out_count,
                                        const gridgov_workspace* ws, gridgov_case_id id,
                                        const char* actor, int64_t at, int system);

/* The people who may fire `command` (a GRIDGOV_COMMAND_* value other than report) on a
 * case at `at`: the inbox query. The same authorization as gridgov_cases_fire(), payloads
 * aside (holders of a listed role at the case's node or above on that date, members of
 * the assigned department, the reporter); the engine itself is never listed. Empty when
 * nobody may (no such command in the case's state, the highest tier reached, `at` before
 * the case's last event).
 * out: person ids sorted and separated by '\n' ("" for none); owned by the caller,
 * release with gridgov_free(). out_count: receives the number of ids; may be NULL.
 * Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND for an unknown case, GRIDGOV_EINVAL for NULL
 * arguments, report or an unknown command. Since 0.1. */
GRIDGOV_API int gridgov_cases_candidates(char** out, size_t* out_count, const gridgov_workspace* ws,
                                         gridgov_case_id id, int32_t command, int64_t at);

/* What gridgov_cases_run_plans() did. This struct is frozen: it will never gain members. */
typedef struct gridgov_plan_result {
    uint64_t matters;           /* matters in the plans */
    uint64_t cases_reported;    /* reports accepted */
    uint64_t steps_accepted;    /* later steps accepted */
    uint64_t steps_refused;     /* reports and steps refused: one finding each */
    uint64_t steps_skipped;     /* steps after a refused one of the same matter */
    uint64_t ticks;             /* ticks run */
    uint64_t breaches;          /* breach events the ticks appended */
    uint64_t escalations;       /* breaches that moved a case one tier up */
    uint64_t batches_committed; /* transactions committed */
} gridgov_plan_result;

/* Runs a matter plan file (CSV, docs/cases.md "Matter plans") in the workspace: every
 * step of every matter in global time order, ticking before each new instant (or at each
 * multiple of `tick_interval` seconds when it is > 0), committing `batch_size` steps per
 * transaction (0: one transaction), and ticking up to `tick_until` at the end
 * (GRIDGOV_NO_INSTANT: no final tick). A refused step is a finding (rule "plan.refused",
 * where "<case number> step <i>"), not an error; the rest of its matter is skipped.
 * out: caller-owned struct. out_findings: receives the refusals; owned by the caller,
 * release with gridgov_findings_destroy(); may be NULL. path: the plan file; text (for
 * gridgov_cases_run_plan_text): the file's content, named `source_name` in errors.
 * Returns GRIDGOV_OK; GRIDGOV_EPARSE or GRIDGOV_EINVAL for a malformed file (the message
 * names file, row and field), GRIDGOV_ENOTFOUND for a missing file or an unknown node
 * code, GRIDGOV_EEXISTS for a matter given twice (nothing runs on these);
 * GRIDGOV_ESTATE when a batch is open or the workspace is read-only; GRIDGOV_ESTORAGE
 * (the batches committed before the failure stay). Since 0.1. */
GRIDGOV_API int gridgov_cases_run_plan_file(gridgov_plan_result* out,
                                            gridgov_findings** out_findings, gridgov_workspace* ws,
                                            const char* path, size_t batch_size,
                                            int64_t tick_interval, int64_t tick_until);
GRIDGOV_API int gridgov_cases_run_plan_text(gridgov_plan_result* out,
                                            gridgov_findings** out_findings, gridgov_workspace* ws,
                                            const char* text, const char* source_name,
                                            size_t batch_size, int64_t tick_interval,
                                            int64_t tick_until);

/* Opens a batch: later reports and commands apply at once in memory and are written in
 * one transaction by gridgov_cases_commit_batch(). A refused command inside a batch
 * changes nothing and leaves the batch open. Returns GRIDGOV_ESTATE when a batch is
 * open already. Since 0.1.
 * The batch belongs to the calling thread: until it is committed or rolled back, reports,
 * commands, ticks, plan runs, history imports, case configuration changes and batch calls
 * made on any other thread return GRIDGOV_ESTATE ("... a batch opened by another thread is
 * open ...") and change nothing. Reads from other threads see the uncommitted batch: hold
 * the workspace's write lock for the whole batch if threads share it. */
GRIDGOV_API int gridgov_cases_begin_batch(gridgov_workspace* ws);

/* Writes and commits the open batch, then notifies observers. When the write fails the
 * cases return to their state at gridgov_cases_begin_batch() and the error is returned.
 * Returns GRIDGOV_ESTATE when no batch is open or another thread opened it;
 * GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_cases_commit_batch(gridgov_workspace* ws);

/* Drops everything the open batch did. Returns GRIDGOV_ESTATE when no batch is open or
 * another thread opened it. Since 0.1. */
GRIDGOV_API int gridgov_cases_rollback_batch(gridgov_workspace* ws);

/* 1 while a batch is open, else 0. Since 0.1. */
GRIDGOV_API int gridgov_cases_in_batch(int* out, const gridgov_workspace* ws);

/* What gridgov_cases_tick() did. This struct is frozen: it will never gain members. */
typedef struct gridgov_tick_result {
    uint64_t light_changes; /* lights that turned (green → yellow, yellow → red, ...) */
    uint64_t breaches;      /* breach events appended */
    uint64_t escalations;   /* breaches that moved a case one tier up */
} gridgov_tick_result;

/* Processes every clock event up to `now`: light changes, and a breach event (dated at
 * the deadline) for each counting clock whose deadline passed, escalating where the
 * state's breach policy says so. A second tick with the same `now` does nothing.
 * out: caller-owned struct. Returns GRIDGOV_OK, GRIDGOV_ESTATE (read-only workspace) or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_tick(gridgov_tick_result* out, gridgov_workspace* ws, int64_t now);

/* ---- cases: reading ---------------------------------------------------------------- */
/* Unless stated otherwise, these return GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown case
 * id (naming it); GRIDGOV_EINVAL for NULL arguments. */

/* The number of cases. Since 0.1. */
GRIDGOV_API int gridgov_cases_count_all(size_t* out, const gridgov_workspace* ws);

/* The case with this number. Returns GRIDGOV_ENOTFOUND naming the number. Since 0.1. */
GRIDGOV_API int gridgov_cases_find(gridgov_case_id* out, const gridgov_workspace* ws,
                                   const char* number);

/* The case's current state key. out: borrowed until the workspace changes. Since 0.1. */
GRIDGOV_API int gridgov_cases_state(const char** out, const gridgov_workspace* ws,
                                    gridgov_case_id id);

/* A snapshot of the case. out: owned by the caller, release with
 * gridgov_case_record_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_get(gridgov_case_record** out, const gridgov_workspace* ws,
                                  gridgov_case_id id);

/* The clock of the case's current stage read at `now`: elapsed, remaining, deadline,
 * light. A suspended (挂账) case gives the clock waiting for it, with paused 1 and the
 * deadline it would have if resumed at `now`.
 * out: caller-owned; written only when *out_has_clock is 1. out_has_clock: 0 when no
 * clock counts or waits (an untimed stage, a closed or voided case). Since 0.1. */
GRIDGOV_API int gridgov_cases_clock_status(gridgov_clock_status* out, int* out_has_clock,
                                           const gridgov_workspace* ws, gridgov_case_id id,
                                           int64_t now);

/* Releases a case snapshot; every string borrowed from it becomes invalid. NULL is a
 * no-op. Since 0.1. */
GRIDGOV_API void gridgov_case_record_destroy(gridgov_case_record* record);

/* Members of a case snapshot follow. Strings are borrowed until the record is destroyed
 * ("" where the case has none); each function returns GRIDGOV_OK, or GRIDGOV_EINVAL for
 * NULL arguments or an index out of range. */

/* The case's id. Since 0.1. */
GRIDGOV_API int gridgov_case_record_id(gridgov_case_id* out, const gridgov_case_record* record);

/* The case number ("2026-000123"). Since 0.1. */
GRIDGOV_API int gridgov_case_record_number(const char** out, const gridgov_case_record* record);

/* The workflow key and the version the case runs. Since 0.1. */
GRIDGOV_API int gridgov_case_record_workflow(const char** out_key, int* out_version,
                                             const gridgov_case_record* record);

/* The category code. Since 0.1. */
GRIDGOV_API int gridgov_case_record_category(const char** out, const gridgov_case_record* record);

/* The node where the matter is. Since 0.1. */
GRIDGOV_API int gridgov_case_record_node(gridgov_node_id* out, const gridgov_case_record* record);

/* The area class of the node when the case was reported. Since 0.1. */
GRIDGOV_API int gridgov_case_record_area_class(const char** out, const gridgov_case_record* record);

/* How the matter came in (GRIDGOV_SOURCE_*). Since 0.1. */
GRIDGOV_API int gridgov_case_record_source(int* out, const gridgov_case_record* record);

/* The reporter's person id; "" for an anonymous report. Since 0.1. */
GRIDGOV_API int gridgov_case_record_reporter(const char** out, const gridgov_case_record* record);

/* The state key, and its kind (GRIDGOV_STATE_KIND_*). Since 0.1. */
GRIDGOV_API int gridgov_case_record_state(const char** out_key, int* out_kind,
                                          const gridgov_case_record* record);

/* The assigned department's code; "" before dispatch or for a territorial route.
 * Since 0.1. */
GRIDGOV_API int gridgov_case_record_department(const char** out, const gridgov_case_record* record);

/* The node the dispatch was routed to; GRIDGOV_NO_NODE before dispatch. Since 0.1. */
GRIDGOV_API int gridgov_case_record_route_node(gridgov_node_id* out,
                                               const gridgov_case_record* record);

/* The escalation tier (0 = the grid) and the node handling the case at that tier.
 * Since 0.1. */
GRIDGOV_API int gridgov_case_record_tier(int* out_tier, gridgov_node_id* out_handling_node,
                                         const gridgov_case_record* record);

/* The number of counters the workflow declares. Since 0.1. */
GRIDGOV_API int gridgov_case_record_counter_count(size_t* out, const gridgov_case_record* record);

/* Counter `index` in the workflow's order: its name and value. Since 0.1. */
GRIDGOV_API int gridgov_case_record_counter(const char** out_name, int64_t* out_value,
                                            const gridgov_case_record* record, size_t index);

/* The value of a counter by name; 0 for one the workflow does not declare. Since 0.1. */
GRIDGOV_API int gridgov_case_record_counter_value(int64_t* out, const gridgov_case_record* record,
                                                  const char* name);

/* The number of flags set. Since 0.1. */
GRIDGOV_API int gridgov_case_record_flag_count(size_t* out, const gridgov_case_record* record);

/* Flag `index` of those set, in the workflow's order. Since 0.1. */
GRIDGOV_API int gridgov_case_record_flag(const char** out, const gridgov_case_record* record,
                                         size_t index);

/* 1 when the flag is set, else 0. Since 0.1. */
GRIDGOV_API int gridgov_case_record_has_flag(int* out, const gridgov_case_record* record,
                                             const char* flag);

/* 1 when some clock of the case ran out (超时), and the number of its breach events.
 * Since 0.1. */
GRIDGOV_API int gridgov_case_record_breached(int* out_breached, uint32_t* out_breaches,
                                             const gridgov_case_record* record);

/* The last rating given: a GRIDGOV_SATISFACTION_* level (-1 for none) and its score 1-5
 * (0 when given as a level, or none). Since 0.1. */
GRIDGOV_API int gridgov_case_record_rating(int* out_level, int* out_score,
                                           const gridgov_case_record* record);

/* When the case was reported, when its last event happened, and when it entered a closed
 * or voided state (GRIDGOV_NO_INSTANT while it is pending or open). Since 0.1. */
GRIDGOV_API int gridgov_case_record_times(int64_t* out_reported_at, int64_t* out_updated_at,
                                          int64_t* out_closed_at,
                                          const gridgov_case_record* record);

/* The sequence of the case's last event and the number of its events. Since 0.1. */
GRIDGOV_API int gridgov_case_record_events(uint64_t* out_last_sequence, uint32_t* out_count,
                                           const gridgov_case_record* record);

/* One stage clock of a case. This struct is frozen: it will never gain members. */
typedef struct gridgov_case_clock {
    const char* stage;        /* borrowed until the record is destroyed */
    int32_t run;              /* GRIDGOV_CLOCK_* */
    int32_t working_time;     /* 1: counts working time; 0: natural time */
    int64_t start;            /* when it started (or was last reset) */
    gridgov_time_limit limit; /* the limit it started with */
    int64_t limit_seconds;    /* that limit in clock seconds */
    int64_t budget;           /* the limit plus every extension, in clock seconds */
    uint32_t extensions;      /* extensions granted */
    int64_t used;             /* clock seconds used up to `since` */
    int64_t since;            /* when `run` last changed */
    int64_t deadline;         /* while counting: when the budget runs out */
    int32_t breached;         /* 1: ran out while counting */
    int32_t assumed;          /* 1: the deadline assumed weekdays for a year without data */
} gridgov_case_clock;

/* The number of stage clocks of the case (one per timed stage entered). Since 0.1. */
GRIDGOV_API int gridgov_case_record_clock_count(size_t* out, const gridgov_case_record* record);
/* Clock `index`, in stage order. out: caller-owned; its stage is borrowed until the record
 * is destroyed. Since 0.1. */
GRIDGOV_API int gridgov_case_record_clock(gridgov_case_clock* out,
                                          const gridgov_case_record* record, size_t index);

/* ---- cases: queries ---------------------------------------------------------------- */

/* Which cases a query looks at: every condition set must hold. Set it up with
 * gridgov_case_filter_init(), which selects every case. Strings and arrays are borrowed
 * for the call that reads the filter. */
#define GRIDGOV_CASE_FILTER_VERSION 1
typedef struct gridgov_case_filter {
    uint32_t version;        /* GRIDGOV_CASE_FILTER_VERSION, written by the _init() */
    gridgov_node_id subtree; /* cases at this node or below; GRIDGOV_NO_NODE: anywhere */
    size_t state_count;      /* state keys (any workflow); 0: any state */
    const char* const* states;
    int32_t kind;                /* GRIDGOV_STATE_KIND_*; -1: any */
    const char* category_prefix; /* NULL: any category */
    int32_t source;              /* GRIDGOV_SOURCE_*; -1: any */
    const char* department;      /* assigned department code; NULL: any */
    const char* workflow;        /* workflow key; NULL: any */
    const char* flag;            /* cases with this flag set; NULL: any */
    int32_t breached;            /* 1 or 0; -1: any */
    int32_t tier;                /* -1: any */
    int64_t reported_from;       /* reported at or after; GRIDGOV_NO_INSTANT: no bound */
    int64_t reported_until;      /* reported before; GRIDGOV_NO_INSTANT: no bound */
    int32_t light;               /* GRIDGOV_LIGHT_* of the counting clock at `at`; -1: any */
    int32_t overdue;             /* 1: counting clock past its deadline at `at`; 0: any */
    int64_t at;                  /* the instant `light`, `overdue` and groups read clocks at */
} gridgov_case_filter;

/* Sets `filter` to select every case. version: GRIDGOV_CASE_FILTER_VERSION.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_filter_init(gridgov_case_filter* filter, uint32_t version);

/* The ids of the matching cases, ascending. filter: NULL selects every case.
 * out, out_count: a caller-owned array, release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for a malformed filter (a light or overdue without
 * `at`, an unknown version or value); GRIDGOV_ENOTFOUND for an unknown subtree node.
 * Since 0.1. */
GRIDGOV_API int gridgov_cases_select(gridgov_case_id** out, size_t* out_count,
                                     const gridgov_workspace* ws,
                                     const gridgov_case_filter* filter);

/* The number of matching cases; returns as gridgov_cases_select(). Since 0.1. */
GRIDGOV_API int gridgov_cases_count(size_t* out, const gridgov_workspace* ws,
                                    const gridgov_case_filter* filter);

/* Counts of the matching cases by group (GRIDGOV_GROUP_*), sorted by key. level: a level
 * key, required for GRIDGOV_GROUP_NODE, else NULL. out: owned by the caller, release with
 * gridgov_case_groups_destroy(). Returns as gridgov_cases_select(). Since 0.1. */
GRIDGOV_API int gridgov_cases_count_by(gridgov_case_groups** out, const gridgov_workspace* ws,
                                       int group, const gridgov_case_filter* filter,
                                       const char* level);

/* Releases group counts. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_case_groups_destroy(gridgov_case_groups* groups);

/* The number of groups. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_groups_count(size_t* out, const gridgov_case_groups* groups);

/* Group `index`: its key (a state key, category code, "overdue", ...; borrowed until the
 * groups are destroyed) and its number of cases. Returns GRIDGOV_OK or GRIDGOV_EINVAL
 * (NULL arguments, index >= count). Since 0.1. */
GRIDGOV_API int gridgov_case_groups_get(const char** out_key, size_t* out_cases,
                                        const gridgov_case_groups* groups, size_t index);

/* ---- cases: the event log ---------------------------------------------------------- */

/* One event of the log. Strings are borrowed: in an observer callback, for the callback;
 * from gridgov_case_events_get(), until the events are destroyed. This struct is frozen:
 * it will never gain members. */
typedef struct gridgov_case_event {
    uint64_t sequence; /* global, 1, 2, 3, ... */
    gridgov_case_id case_id;
    const char* case_number;
    uint32_t case_sequence; /* 1-based position among the case's events */
    int32_t kind;           /* GRIDGOV_EVENT_* */
    int32_t command;        /* GRIDGOV_COMMAND_* with kind GRIDGOV_EVENT_COMMAND, else -1 */
    const char* type;       /* the command's name, or "breach" */
    int32_t transition;     /* index into the workflow's transitions; -1 for a breach */
    const char* from_state; /* "" for a report */
    const char* to_state;
    const char* actor; /* person id; "" when the engine acted */
    int32_t system;    /* 1 when the engine or another system acted */
    int64_t at;
    const char* payload;       /* JSON object: what the command carried and decided */
    uint8_t previous_hash[32]; /* SHA-256 of the event before; zeros for the first */
    uint8_t hash[32];          /* SHA-256 of this event */
} gridgov_case_event;

/* The end of the log: its last sequence and hash. Keep it elsewhere to detect later that
 * events were cut off or appended. This struct is frozen. */
typedef struct gridgov_log_anchor {
    uint64_t sequence; /* 0 for an empty log */
    uint8_t hash[32];
} gridgov_log_anchor;

/* What gridgov_cases_verify_log() found. This struct is frozen: it will never gain
 * members. */
typedef struct gridgov_log_verification {
    int32_t ok;      /* 1 when nothing is wrong */
    int32_t problem; /* GRIDGOV_LOG_* */
    uint64_t events_checked;
    /* With an anchor, when ok: the events after the anchor's (0: the log ends there). An
     * anchor vouches for the events up to its own only. */
    uint64_t events_after_anchor;
    uint64_t sequence; /* the first bad event (for a missing one: its number) */
    char* case_number; /* its case, "" when unknown; owned by the caller, release
                          with gridgov_free() */
    char* message;     /* one sentence naming sequence, case and what is wrong ("" when
                          ok); owned by the caller, release with gridgov_free() */
} gridgov_log_verification;

/* The sequence of the last event (0 for an empty log). Since 0.1. */
GRIDGOV_API int gridgov_cases_last_sequence(uint64_t* out, const gridgov_workspace* ws);

/* The end of the committed log. out: caller-owned. Since 0.1. */
GRIDGOV_API int gridgov_cases_head(gridgov_log_anchor* out, const gridgov_workspace* ws);

/* Checks the log as it is in the workspace file now: every hash, the chain, the
 * sequence, each case's own numbering, and that the log ends where the workspace (and
 * `anchor`, when not NULL) says. out: caller-owned; on success its two strings are owned
 * by the caller, release each with gridgov_free(). anchor: borrowed for the call.
 * Returns GRIDGOV_OK (a tampered log is out->ok 0, not an error), GRIDGOV_ESTORAGE or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_verify_log(gridgov_log_verification* out, const gridgov_workspace* ws,
                                         const gridgov_log_anchor* anchor);

/* The events of one case, in order. out: owned by the caller, release with
 * gridgov_case_events_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_events(gridgov_case_events** out, const gridgov_workspace* ws,
                                     gridgov_case_id id);

/* Releases an event list; every string borrowed from it becomes invalid. NULL is a no-op.
 * Since 0.1. */
GRIDGOV_API void gridgov_case_events_destroy(gridgov_case_events* events);

/* The number of events. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_events_count(size_t* out, const gridgov_case_events* events);

/* Event `index`. out: caller-owned; its strings are borrowed until the events are
 * destroyed. Returns GRIDGOV_OK or GRIDGOV_EINVAL (index >= count). Since 0.1. */
GRIDGOV_API int gridgov_case_events_get(gridgov_case_event* out, const gridgov_case_events* events,
                                        size_t index);

/* ---- cases: observers -------------------------------------------------------------- */

/* Called once per committed event, in sequence order, on the thread that committed it,
 * after its transaction committed (inside a batch: at gridgov_cases_commit_batch()).
 * event: borrowed for the callback; copy what you keep. user_data: as registered.
 * Return 0. A non-zero return undoes nothing: the event stays committed, the next
 * observer is still called, and the return value is recorded as a failure that
 * gridgov_cases_take_observer_failures() reports. The callback may read the workspace
 * (functions taking a const gridgov_workspace *) but must not change it. */
typedef int (*gridgov_case_observer_cb)(const gridgov_case_event* event, void* user_data);

/* An observer whose callback returned non-zero. This struct is frozen. */
typedef struct gridgov_observer_failure {
    uint64_t token;    /* the observer's token */
    uint64_t sequence; /* the event it was called with */
    int32_t status;    /* what the callback returned */
} gridgov_observer_failure;

/* Registers an observer of every event committed from now on.
 * out_token: receives the token that removes it. callback: required. user_data: passed
 * to every call, may be NULL; owned by the caller, who keeps it valid until the observer
 * is removed or the workspace closed. Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_observe(uint64_t* out_token, gridgov_workspace* ws,
                                      gridgov_case_observer_cb callback, void* user_data);

/* Removes an observer. Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND for an unknown (or already
 * removed) token, or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_unobserve(gridgov_workspace* ws, uint64_t token);

/* The observer failures since the last call, oldest first; the list is then cleared.
 * out, out_count: a caller-owned array, release with gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_cases_take_observer_failures(gridgov_observer_failure** out,
                                                     size_t* out_count, gridgov_workspace* ws);

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
GRIDGOV_API int gridgov_activities_import_file(size_t* out_records, int* out_table,
                                               gridgov_workspace* ws, const char* path, int table);

/* The same from text; source_name names the text in messages (NULL for "<text>") and,
 * with GRIDGOV_ACTIVITY_AUTO, gives the table. Since 0.1. */
GRIDGOV_API int gridgov_activities_import_text(size_t* out_records, int* out_table,
                                               gridgov_workspace* ws, const char* text, int table,
                                               const char* source_name);

/* The number of activity records of every kind. Returns GRIDGOV_OK or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_activities_count(size_t* out, const gridgov_workspace* ws);

/* Stores scores with their explanations; a stored score of the same scheme, subject and
 * period is replaced. scores: `count` handles (borrowed).
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL for two scores with the same scheme, subject and
 * period (nothing is stored); GRIDGOV_ESTATE (read-only); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_store_scores(gridgov_workspace* ws,
                                               const gridgov_score* const* scores, size_t count);

/* The same from a JSON array of score objects. Since 0.1. */
GRIDGOV_API int gridgov_workspace_store_scores_json(gridgov_workspace* ws, const char* json);

/* Stored scores as a JSON array of score objects with their explanations, ordered by
 * scheme, subject and period. scheme, subject: NULL for any. from, to: NULL, or periods;
 * a score is listed when its dates lie inside [from's first day, to's last day].
 * out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL (a malformed period). Since 0.1. */
GRIDGOV_API int gridgov_workspace_scores_json(char** out, const gridgov_workspace* ws,
                                              const char* scheme, const char* subject,
                                              const char* from, const char* to);

/* Records a draw (as gridgov_assessment_draw() gives it) under a label such as "2026-03".
 * Returns GRIDGOV_OK; GRIDGOV_EEXISTS for a label already recorded; GRIDGOV_EINVAL for a
 * record that does not re-run to its picks or NULL arguments; GRIDGOV_EPARSE;
 * GRIDGOV_ESTATE (read-only); GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_record_draw(gridgov_workspace* ws, const char* label,
                                              const char* record_json);

/* Every recorded draw as a JSON array [{"label", "verified", "record"}] in recording
 * order; "verified" says whether it re-ran to its picks when the workspace was opened.
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workspace_draws_json(char** out, const gridgov_workspace* ws);

/* Writes the public notice (通报) of the stored scores of `scheme` for `period` as an HTML
 * file: ranked table, grades, failing rows marked, stored flags, and a footnote with the
 * scheme and the draw recorded under the period's label. title: NULL for the default.
 * Returns GRIDGOV_OK; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_workspace_export_notice(const gridgov_workspace* ws, const char* path,
                                                const gridgov_assessment_scheme* scheme,
                                                const char* period, const char* title);

/* ---- assessment: indicators from cases and the runner ----------------------------- */

/* Subjects of case indicators (docs/assessment.md, "Indicators from cases"). */
#define GRIDGOV_SUBJECT_NODE 0       /* the cases at a node or anywhere below it */
#define GRIDGOV_SUBJECT_DEPARTMENT 1 /* the cases assigned to a department */
#define GRIDGOV_SUBJECT_PERSON 2     /* the cases a person reported or acted on */

/* Which subjects gridgov_workspace_assess() scores (gridgov_assess_options.select). */
#define GRIDGOV_SELECT_LEVEL 1        /* every live node of a level ("" or NULL: every level) */
#define GRIDGOV_SELECT_DEPARTMENTS 2  /* every department of the case engine */
#define GRIDGOV_SELECT_GRID_WORKERS 3 /* every person posted at a node of a level ("grid") */
#define GRIDGOV_SELECT_SUBJECTS 4     /* the node codes of `subjects`, in that order */

/* Every case indicator key as a JSON array [{"key", "label", "unit", "definition",
 * "denominator"}]. out: owned by the caller, release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_indicator_definitions(char** out);

/* Adds the case indicators of one subject for one period to `values` (replacing values of
 * the same keys), each with the case numbers behind it. kind: GRIDGOV_SUBJECT_*. code: the
 * node code, department code or person id.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown node or department;
 * GRIDGOV_EINVAL (NULL arguments, an unknown kind, a malformed period). Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_add_cases(gridgov_indicator_values* values,
                                                   const gridgov_workspace* ws, int kind,
                                                   const char* code, const char* period);

/* The indicator values of `values` as a JSON object {key: {"value", "reason", "sources"}}.
 * out: owned by the caller, release with gridgov_free(). Returns GRIDGOV_OK or
 * GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_indicator_values_json(char** out, const gridgov_indicator_values* values);

/* What gridgov_workspace_assess() scores and whether it stores the result (the options are
 * described once in docs/assessment.md, "Assessing a workspace"). Set it up with
 * gridgov_assess_options_init(); the defaults select every live node of every level and
 * store nothing. Arrays are borrowed for the call. */
#define GRIDGOV_ASSESS_OPTIONS_VERSION 1
typedef struct gridgov_assess_options {
    uint32_t version;            /* GRIDGOV_ASSESS_OPTIONS_VERSION, written by the _init() */
    int32_t select;              /* GRIDGOV_SELECT_*; default GRIDGOV_SELECT_LEVEL */
    const char* level;           /* _LEVEL: the level (NULL or "": every level); _GRID_WORKERS: the
                                  * level of their posts (NULL or "": "grid"); NULL otherwise */
    const char* const* roles;    /* _GRID_WORKERS: only holders of these role codes */
    size_t role_count;           /* 0: any role */
    const char* const* subjects; /* _SUBJECTS: node codes (at least one) */
    size_t subject_count;
    const char* default_area_class; /* area class of nodes that have none; NULL for none */
    /* Indicator values added to or overriding the computed ones: extra_values[i] (borrowed)
     * for the subject code extra_subjects[i], i < extra_count. */
    const char* const* extra_subjects;
    const gridgov_indicator_values* const* extra_values;
    size_t extra_count;
    int32_t store; /* 1: store the scores and the flags raised at the period; default 0 */
} gridgov_assess_options;

/* Sets every member of `options` to its default (see above).
 * options: the struct to set up (caller-owned). version: GRIDGOV_ASSESS_OPTIONS_VERSION.
 * Returns GRIDGOV_OK, or GRIDGOV_EINVAL for a NULL options or an unknown version. Since 0.1. */
GRIDGOV_API int gridgov_assess_options_init(gridgov_assess_options* options, uint32_t version);

/* Scores the selected subjects of the workspace for `period`: case indicators (and, for
 * grid workers, the workspace's activity records, calendar and directory), ranked within
 * peer groups, with the consecutive-period flags over the scores of the scheme stored for
 * every other period (a stored score of `period` itself is left out, so assessing a stored
 * period again gives what its first assessment gives with the same data). options: NULL
 * for the defaults. With options->store the scores and flags are stored (one transaction
 * each; a stored score of the same key is replaced).
 * out: NULL, or receives {"scores": [...], "flags": [...]} as JSON; owned by the caller,
 * release with gridgov_free().
 * Returns GRIDGOV_OK; GRIDGOV_EINVAL (an unknown select, a selection that does not fit it,
 * roles without _GRID_WORKERS, an unknown level, a malformed period, an unknown options
 * version); GRIDGOV_ENOTFOUND (an unknown subject code, a missing step table);
 * GRIDGOV_ESTATE when storing into a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_workspace_assess(char** out, gridgov_workspace* ws,
                                         const gridgov_assessment_scheme* scheme,
                                         const char* period, const gridgov_assess_options* options);

/* ---- the report page ---------------------------------------------------------------- */

/* Writes report.html (docs/report.md) for the workspace: the traffic-light board read at
 * `at` (seconds since the epoch), the stored scores, flags and draws, trends and every
 * score's explanation, in one self-contained HTML file that is replaced whole or not at
 * all. title: NULL or "" for the default; board_level: the level key of the board's rows,
 * NULL or "" for "village". Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for an unknown board
 * level; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_workspace_write_report(const gridgov_workspace* ws, const char* path,
                                               int64_t at, const char* title,
                                               const char* board_level);

/* The numbers of that page as JSON (the page's data island, docs/report.md).
 * out: owned by the caller, release with gridgov_free(). Returns as above. Since 0.1. */
GRIDGOV_API int gridgov_workspace_report_json(char** out, const gridgov_workspace* ws, int64_t at,
                                              const char* title, const char* board_level);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_H */
