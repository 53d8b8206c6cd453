/*
 * gridgov/c/directory.h: people, posts, units and absences of a workspace.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_DIRECTORY_H
#define GRIDGOV_C_DIRECTORY_H

#include "gridgov/c/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

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
 * node_code: a node of the role's level, in the role's network: a base node, or for a role
 * held on an overlay a unit of that overlay ("D01" or "market:D01").
 * post: GRIDGOV_POST_*. from: required. to: NULL for open-ended. Since 0.1. */
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
 * the node's holders first, post A before post B, then each ancestor's; from a base node,
 * when the base finds nobody, the overlay units covering it. node_code: a base node or an
 * overlay unit as "market:D01" (the walk then stays on that overlay).
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

/* The posts held at a node (or an overlay unit, "market:D01") on a date, post A first:
 * JSON [{"assignment", "person", "name", "phone", "role", "role_zh", "node", "post",
 * "from", "to", "absent", "absence"}]; "node" is a place ("market:D01" for a unit).
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

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_DIRECTORY_H */
