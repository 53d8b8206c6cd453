/*
 * gridgov/c/workflow.h: workflows, categories, departments and routing tables.
 * Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each may
 * be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_WORKFLOW_H
#define GRIDGOV_C_WORKFLOW_H

#include "gridgov/c/calendar.h"
#include "gridgov/c/hierarchy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== workflow ====================================================================== */

/* Workflow specs, category catalogues, departments and routing (docs/workflow.md).
 *  - These are values: each handle holds its own copy, read from JSON text in the formats
 *    of docs/workflow.md, and depends on no workspace. Calls that need a hierarchy, its
 *    overlays or a directory (validating departments and routing tables, routing a case)
 *    read them from a workspace passed for the call.
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

/* Handling departments (专业部门 / 责任单位), each serving one node and its subtree, or one
 * unit of an overlay ("fire:M1": a fire grid's station, a 健康网格's doctor team). */
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
 * not live in its hierarchy, or a unit place "overlay:code" not live in its overlays),
 * department.no_members (warning), and with check_members 1 department.unknown_member (a
 * member who is not a person of its directory).
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

/* The answer of gridgov_routing_table_route(), filled by gridgov. This struct is frozen
 * from the first release on: it will then never gain members (a new struct would be added
 * instead); `unit` was added before that release. */
typedef struct gridgov_route {
    int32_t basis;        /* GRIDGOV_ROUTE_* */
    gridgov_node_id node; /* the base node the department serves, or the territorial node;
                             GRIDGOV_NO_NODE when the department serves an overlay unit or
                             an overlay rule finds no department */
    int64_t rule;         /* index of the deciding rule with GRIDGOV_ROUTE_RULE, else -1 */
    char* department;     /* department code, "" when no department serves the answer
                             (territorial without one, or an overlay unit's posts);
                             owned by the caller, release with gridgov_free() */
    char* reasoning;      /* every step tried, one line each ('\n' between lines);
                             owned by the caller, release with gridgov_free() */
    char* unit;           /* with an overlay rule, the unit the case goes to as a place
                             ("health:H1"), else ""; owned by the caller, release with
                             gridgov_free() */
} gridgov_route;

/* Reads a routing table: {"territorial_level", "territorial_kind", "rules": [...]}, each
 * rule {"category_prefix", "subtree", "department", "note", "overlay"}. A rule with
 * "overlay" (an overlay key) sends its cases into that network and may omit "department";
 * every other rule needs one (GRIDGOV_EINVAL naming the field).
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

/* Findings about the table against a workspace's hierarchy and overlays, the categories
 * and the departments: routing.unknown_level, routing.unknown_department,
 * routing.unknown_overlay (a rule's overlay the workspace does not have),
 * routing.unknown_subtree, routing.prefix_matches_nothing (warning),
 * routing.duplicate_rule (warning); where = "rules[i]".
 * out: owned by the caller, release with gridgov_findings_destroy().
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
 * A rule with an overlay matches only where a unit of that overlay of the workspace covers
 * the node (the first covering unit when several do; a rule naming an overlay the
 * workspace does not have is skipped, with the reason in the reasoning), and the case goes
 * to that unit (out->unit): to the rule's department when it names one, else to the
 * department serving the unit or its nearest enclosing unit (of the category's department
 * kind when one serves it), else to the posts held on the unit (department "").
 * out: caller-owned struct; on success its three strings are owned by the caller, release
 * each with gridgov_free(); on failure it is untouched.
 * Returns GRIDGOV_OK; GRIDGOV_ENOTFOUND for a category the catalogue lacks or a node that
 * is not live; GRIDGOV_EINVAL for NULL arguments. Since 0.1. */
GRIDGOV_API int gridgov_routing_table_route(gridgov_route* out, const gridgov_routing_table* table,
                                            const gridgov_workspace* ws,
                                            const gridgov_category_catalogue* categories,
                                            const gridgov_department_catalogue* departments,
                                            const char* category, gridgov_node_id node);

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_WORKFLOW_H */
