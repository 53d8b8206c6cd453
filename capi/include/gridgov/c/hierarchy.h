/*
 * gridgov/c/hierarchy.h: the grid hierarchy of a workspace: nodes, levels, roll-ups, changes,
 * overlays, validation, import and export. Part of the C ABI of gridgov: <gridgov.h> includes every
 * module's header, and each may be included on its own. The conventions are in gridgov/c/core.h and
 * docs/c-api.md.
 */
#ifndef GRIDGOV_C_HIERARCHY_H
#define GRIDGOV_C_HIERARCHY_H

#include "gridgov/c/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== hierarchy ===================================================================== */

/* A node id: dense (0, 1, 2, ... in the order nodes were added), never reused, kept by
 * retired nodes. Codes are the identity across workspaces; ids are for fast access. */
typedef uint32_t gridgov_node_id;

/* "No node": the parent of a root, the common ancestor of nodes in different trees. */
#define GRIDGOV_NO_NODE ((gridgov_node_id)0xFFFFFFFFu)

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
#define GRIDGOV_FORMAT_GEOJSON 3

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

/* What gridgov_hierarchy_validate() checks. Set it up with gridgov_validation_options_init();
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

/* ---- hierarchy: validation, import and export -------------------------------------- */

/* Validates the hierarchy and the coverage of every overlay.
 * out: receives the findings (possibly none); owned by the caller, release with
 * gridgov_findings_destroy(). options: NULL for the defaults of
 * gridgov_validation_options_init(); borrowed for the call.
 * Returns GRIDGOV_OK (data problems are findings, not errors); GRIDGOV_EINVAL for NULL
 * arguments, an unknown options version or an unknown sizing preset. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_validate(gridgov_findings** out, const gridgov_workspace* ws,
                                           const gridgov_validation_options* options);

/* Imports nodes (and, from JSON, overlays) from a file in one transaction.
 * out_nodes_added: receives the number of nodes added. out_findings: receives the
 * validation findings of the result; owned by the caller, release with
 * gridgov_findings_destroy(). path: the file. format: GRIDGOV_FORMAT_*. effective: the
 * date the nodes exist from, or NULL for "since forever".
 * Returns GRIDGOV_OK; on GRIDGOV_EPARSE, GRIDGOV_EINVAL, GRIDGOV_EEXISTS or
 * GRIDGOV_ENOTFOUND the message names the file, the row and the field, and nothing was
 * imported; GRIDGOV_ESTATE for a read-only workspace; GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_import_file(size_t* out_nodes_added,
                                              gridgov_findings** out_findings,
                                              gridgov_workspace* ws, const char* path, int format,
                                              const char* effective);

/* Imports nodes (and, from JSON, overlays) from text in memory, like
 * gridgov_hierarchy_import_file(). text: the file content (UTF-8). format:
 * GRIDGOV_FORMAT_JSON, _CSV or _GEOJSON (AUTO picks by source_name's extension).
 * source_name: the name error messages use for the text, or NULL for "<text>". Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_import_text(size_t* out_nodes_added,
                                              gridgov_findings** out_findings,
                                              gridgov_workspace* ws, const char* text, int format,
                                              const char* source_name, const char* effective);

/* Writes the live hierarchy to a file (JSON also carries the overlays; GeoJSON carries
 * the nodes that have a geometry). format: GRIDGOV_FORMAT_*.
 * Returns GRIDGOV_OK; GRIDGOV_ESTORAGE when the file cannot be written; GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_export_file(const gridgov_workspace* ws, const char* path,
                                              int format);

/* Writes the live hierarchy to a string.
 * out: receives the text; owned by the caller, release with gridgov_free().
 * format: GRIDGOV_FORMAT_JSON, _CSV or _GEOJSON.
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_hierarchy_export_text(char** out, const gridgov_workspace* ws, int format);

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

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_HIERARCHY_H */
