/*
 * gridgov/c/cases.h: the case engine of a workspace: configuration, reports, commands, queries and
 * the event log. Part of the C ABI of gridgov: <gridgov.h> includes every module's header, and each
 * may be included on its own. The conventions are in gridgov/c/core.h and docs/c-api.md.
 */
#ifndef GRIDGOV_C_CASES_H
#define GRIDGOV_C_CASES_H

#include "gridgov/c/calendar.h"
#include "gridgov/c/workflow.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== cases ========================================================================= */

/* ---- cases: workflows, categories, departments and routing ------------------------- */
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
GRIDGOV_API int gridgov_cases_add_workflow_json(gridgov_findings** out, gridgov_workspace* ws,
                                                const char* json, const char* source_name);

/* A copy of the workspace's workflow registry.
 * out: owned by the caller, release with gridgov_workflow_registry_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_workflows(gridgov_workflow_registry** out,
                                        const gridgov_workspace* ws);

/* Replaces the workspace's categories (a copy is kept). Returns GRIDGOV_EINVAL for
 * error-level findings of the catalogue, GRIDGOV_ESTATE when a code some case uses is
 * missing. Since 0.1. */
GRIDGOV_API int gridgov_cases_set_categories(gridgov_workspace* ws,
                                             const gridgov_category_catalogue* categories);

/* A copy of the workspace's categories. out: owned by the caller, release with
 * gridgov_category_catalogue_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_categories(gridgov_category_catalogue** out,
                                         const gridgov_workspace* ws);

/* Replaces the workspace's departments (a copy is kept). Returns GRIDGOV_ESTATE when a
 * department some case is assigned to is missing. Since 0.1. */
GRIDGOV_API int gridgov_cases_set_departments(gridgov_workspace* ws,
                                              const gridgov_department_catalogue* departments);

/* A copy of the workspace's departments. out: owned by the caller, release with
 * gridgov_department_catalogue_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_departments(gridgov_department_catalogue** out,
                                          const gridgov_workspace* ws);

/* Replaces the workspace's routing table (a copy is kept). Since 0.1. */
GRIDGOV_API int gridgov_cases_set_routing(gridgov_workspace* ws,
                                          const gridgov_routing_table* table);

/* A copy of the workspace's routing table. out: owned by the caller, release with
 * gridgov_routing_table_destroy(). Since 0.1. */
GRIDGOV_API int gridgov_cases_routing(gridgov_routing_table** out, const gridgov_workspace* ws);

/* Routes a case of `category` at `node` with the workspace's own routing table,
 * categories and departments, as gridgov_routing_table_route() does, through the
 * workspace's overlays.
 * out: caller-owned struct; on success its three strings are owned by the caller, release
 * each with gridgov_free(). Returns GRIDGOV_OK, GRIDGOV_ENOTFOUND or GRIDGOV_EINVAL.
 * Since 0.1. */
GRIDGOV_API int gridgov_cases_route(gridgov_route* out, const gridgov_workspace* ws,
                                    const char* category, gridgov_node_id node);

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
typedef struct gridgov_case_columns gridgov_case_columns;

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
/* the event a checkpoint vouches for no longer has the hash recorded with it */
#define GRIDGOV_LOG_CHECKPOINT_MISMATCH 7

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

/* Fields of gridgov_cases_columns(). Integer fields: ID, NODE, SOURCE (GRIDGOV_SOURCE_*),
 * KIND (GRIDGOV_STATE_KIND_*), TIER, BREACHED (0/1) and the instants (seconds since the
 * epoch; GRIDGOV_NO_INSTANT for a case not closed, or with no counting clock for
 * DEADLINE). Text fields: NUMBER, WORKFLOW, CATEGORY, STATE, DEPARTMENT ("" = none). */
#define GRIDGOV_FIELD_ID 0
#define GRIDGOV_FIELD_NUMBER 1
#define GRIDGOV_FIELD_WORKFLOW 2
#define GRIDGOV_FIELD_CATEGORY 3
#define GRIDGOV_FIELD_NODE 4
#define GRIDGOV_FIELD_SOURCE 5
#define GRIDGOV_FIELD_STATE 6
#define GRIDGOV_FIELD_KIND 7
#define GRIDGOV_FIELD_DEPARTMENT 8
#define GRIDGOV_FIELD_TIER 9
#define GRIDGOV_FIELD_BREACHED 10
#define GRIDGOV_FIELD_REPORTED_AT 11
#define GRIDGOV_FIELD_UPDATED_AT 12
#define GRIDGOV_FIELD_CLOSED_AT 13
#define GRIDGOV_FIELD_DEADLINE 14

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
GRIDGOV_API int gridgov_cases_default_workflow(const char** out, const gridgov_workspace* ws,
                                               int source);

/* Sets the workflow new cases from `source` run by default. Returns GRIDGOV_ENOTFOUND
 * unless the key is registered. Since 0.1. */
GRIDGOV_API int gridgov_cases_set_default_workflow(gridgov_workspace* ws, int source,
                                                   const char* key);

/* Sets the working hours case clocks count in ({"hours": [...], "seasons": [...]}, as
 * gridgov_calendar_set_schedule_json()); every counting clock's deadline is recomputed.
 * json: borrowed. Returns also GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_cases_set_calendar_schedule_json(gridgov_workspace* ws, const char* json);

/* Adds a holiday-cn year file (or an array of them) to the workspace's calendar, for a
 * year the built-in data lacks. json: borrowed. source_name: NULL for "<json>".
 * Returns also GRIDGOV_EPARSE or GRIDGOV_EEXISTS. Since 0.1. */
GRIDGOV_API int gridgov_cases_add_calendar_year_json(gridgov_workspace* ws, const char* json,
                                                     const char* source_name);

/* Adds local rest days and working days to the workspace's calendar (holiday-cn format).
 * json: borrowed. source_name: NULL for "<json>". Returns also GRIDGOV_EPARSE. Since 0.1. */
GRIDGOV_API int gridgov_cases_add_calendar_overrides_json(gridgov_workspace* ws, const char* json,
                                                          const char* source_name);

/* Removes every local override from the workspace's calendar. Since 0.1. */
GRIDGOV_API int gridgov_cases_clear_calendar_overrides(gridgov_workspace* ws);

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

/* The category catalogue as Open311 GeoReport v2 services: the JSON text of
 * GET services.json (docs/open311.md). out: release with gridgov_free().
 * Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_cases_open311_services(char** out, const gridgov_workspace* ws);

/* The matching cases as Open311 service requests, by case id: the JSON text of
 * GET requests.json (docs/open311.md). filter: NULL selects every case. jurisdiction_id:
 * written on every request; NULL or "" writes none. out: release with gridgov_free().
 * Returns as gridgov_cases_select(). Since 0.1. */
GRIDGOV_API int gridgov_cases_open311_requests(char** out, const gridgov_workspace* ws,
                                               const gridgov_case_filter* filter,
                                               const char* jurisdiction_id);

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

/* The matching cases as columns, ascending by id, reading only the fields asked for
 * (GRIDGOV_FIELD_*, field_count of them; fields may be NULL when field_count is 0, which
 * reads every field). A filter with reported_from or reported_until visits only the cases
 * reported in that period. out: owned by the caller, release with
 * gridgov_case_columns_destroy(). Returns as gridgov_cases_select(); GRIDGOV_EINVAL also
 * for an unknown field. Since 0.1. */
GRIDGOV_API int gridgov_cases_columns(gridgov_case_columns** out, const gridgov_workspace* ws,
                                      const gridgov_case_filter* filter, const int32_t* fields,
                                      size_t field_count);

/* Releases columns. NULL is a no-op. Since 0.1. */
GRIDGOV_API void gridgov_case_columns_destroy(gridgov_case_columns* columns);

/* The number of cases (rows). Returns GRIDGOV_OK or GRIDGOV_EINVAL. Since 0.1. */
GRIDGOV_API int gridgov_case_columns_count(size_t* out, const gridgov_case_columns* columns);

/* An integer field as an array of count values (borrowed until the columns are destroyed;
 * NULL when there are no rows). Returns GRIDGOV_OK; GRIDGOV_EINVAL for a text field, an
 * unknown field or one that was not read. Since 0.1. */
GRIDGOV_API int gridgov_case_columns_integers(const int64_t** out,
                                              const gridgov_case_columns* columns, int32_t field);

/* Row `row` of a text field (borrowed until the columns are destroyed). Returns GRIDGOV_OK;
 * GRIDGOV_EINVAL for an integer field, an unknown field or one that was not read, or
 * row >= count. Since 0.1. */
GRIDGOV_API int gridgov_case_columns_text(const char** out, const gridgov_case_columns* columns,
                                          int32_t field, size_t row);

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

/* Routine verification: checks only what was appended since the last checkpoint
 * recorded by gridgov_cases_sign_off_log() (the checkpoint's event must still have its
 * recorded hash; the events up to it are taken as signed off), or the whole log when
 * there is none. out as for gridgov_cases_verify_log(). checked_from (may be NULL): the
 * checkpoint's event the check started after, 0 for the whole log. Since 0.1. */
GRIDGOV_API int gridgov_cases_verify_log_since_checkpoint(gridgov_log_verification* out,
                                                          uint64_t* checked_from,
                                                          const gridgov_workspace* ws);

/* Verifies the log (whole when full is non-zero or there is no checkpoint yet, otherwise
 * since the last checkpoint) and, when it checks out, records a checkpoint at its end,
 * signed off by `by` (UTF-8, one line) at `at`; the check and the record are one write.
 * out as for gridgov_cases_verify_log(); out->ok 0 records nothing. checkpoint (may be
 * NULL): the recorded checkpoint's event and hash, zeros when none was recorded.
 * Returns GRIDGOV_EINVAL for an empty `by`, GRIDGOV_ESTATE inside a batch or when `at` is
 * before the last checkpoint, GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_cases_sign_off_log(gridgov_log_verification* out,
                                           gridgov_log_anchor* checkpoint, gridgov_workspace* ws,
                                           const char* by, int64_t at, int full);

/* The recorded checkpoints, oldest first, as a JSON array of objects {"sequence",
 * "hash" (hex), "cases", "signed_at" (ISO 8601, China Standard Time), "signed_by",
 * "full", "events_checked"}. out: owned by the caller, release with gridgov_free().
 * Since 0.1. */
GRIDGOV_API int gridgov_cases_log_checkpoints_json(char** out, const gridgov_workspace* ws);

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

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_CASES_H */
