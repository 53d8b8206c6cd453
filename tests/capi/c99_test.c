/* Compiled as strict C99 with -Wpedantic -Werror: the header is plain C, and a C program
 * links and runs against the shared library alone. It builds a small township in an
 * in-memory workspace, rolls the household counts up, validates against the 150-household
 * sizing preset and exports the result, as an integrator's program would. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gridgov.h"

#define CHECK(call)                                                                \
    do {                                                                           \
        int status_ = (call);                                                      \
        if (status_ != GRIDGOV_OK) {                                               \
            fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call,     \
                    gridgov_status_string(status_), gridgov_last_error_message()); \
            return 1;                                                              \
        }                                                                          \
    } while (0)

struct grid {
    const char* code;
    const char* parent;
    const char* name;
    const char* level;
    double households;
};

static const struct grid township[] = {
    {"371327101", "", "岸堤镇", "township", NAN},
    {"371327101001", "371327101", "东岭村", "village", NAN},
    {"371327101001001", "371327101001", "东岭一网格", "grid", 152},
    {"371327101001002", "371327101001", "东岭二网格", "grid", 148},
    {"371327101002", "371327101", "西河村", "village", NAN},
    {"371327101002001", "371327101002", "西河一网格", "grid", 139},
    {"371327101002002", "371327101002", "西河二网格", "grid", 236},
};
#define TOWNSHIP_SIZE (sizeof township / sizeof township[0])

static int run(gridgov_workspace* ws) {
    gridgov_node_spec specs[TOWNSHIP_SIZE];
    gridgov_node_id ids[TOWNSHIP_SIZE];
    double households[TOWNSHIP_SIZE];
    gridgov_node_id* villages = NULL;
    gridgov_validation_options options;
    gridgov_findings* findings = NULL;
    size_t count = 0;
    size_t i;
    char* json = NULL;
    gridgov_node_id missing = 0;

    for (i = 0; i < TOWNSHIP_SIZE; ++i) {
        CHECK(gridgov_node_spec_init(&specs[i], GRIDGOV_NODE_SPEC_VERSION));
        specs[i].code = township[i].code;
        specs[i].parent_code = township[i].parent;
        specs[i].name = township[i].name;
        specs[i].level = township[i].level;
        specs[i].area_type = GRIDGOV_AREA_RURAL;
        specs[i].households = township[i].households;
    }
    CHECK(gridgov_hierarchy_add_nodes(ids, ws, specs, TOWNSHIP_SIZE, "2024-01-01"));

    CHECK(gridgov_hierarchy_roll_up(households, TOWNSHIP_SIZE, ws, "households", GRIDGOV_STAT_SUM));
    CHECK(gridgov_hierarchy_nodes_at_level(&villages, &count, ws, "village"));
    for (i = 0; i < count; ++i) {
        const char* name = NULL;
        CHECK(gridgov_hierarchy_name(&name, ws, villages[i]));
        printf("%s: %.0f households\n", name, households[villages[i]]);
    }
    gridgov_free(villages);
    printf("%s: %.0f households\n", township[0].name, households[ids[0]]);
    if (households[ids[0]] != 675) {
        fprintf(stderr, "expected 675 households in the township\n");
        return 1;
    }

    CHECK(gridgov_validation_options_init(&options, GRIDGOV_VALIDATION_OPTIONS_VERSION));
    options.sizing = "rural_township_150";
    CHECK(gridgov_workspace_validate(&findings, ws, &options));
    CHECK(gridgov_findings_count(&count, findings));
    for (i = 0; i < count; ++i) {
        const char* where = NULL;
        const char* message = NULL;
        CHECK(gridgov_findings_where(&where, findings, i));
        CHECK(gridgov_findings_message(&message, findings, i));
        printf("finding at %s: %s\n", where, message);
    }
    gridgov_findings_destroy(findings);
    if (count != 1) {
        fprintf(stderr, "expected one sizing finding, got %lu\n", (unsigned long)count);
        return 1;
    }

    CHECK(gridgov_workspace_export_text(&json, ws, GRIDGOV_FORMAT_JSON));
    if (strstr(json, "371327101002002") == NULL) {
        fprintf(stderr, "the export lacks a grid\n");
        gridgov_free(json);
        return 1;
    }
    printf("exported %lu bytes of JSON\n", (unsigned long)strlen(json));
    gridgov_free(json);

    if (gridgov_hierarchy_find(&missing, ws, "371327101009") != GRIDGOV_ENOTFOUND ||
        strstr(gridgov_last_error_message(), "371327101009") == NULL) {
        fprintf(stderr, "an unknown code must be GRIDGOV_ENOTFOUND naming it\n");
        return 1;
    }
    return 0;
}

int main(void) {
    gridgov_workspace* ws = NULL;
    int result;

    if (strcmp(gridgov_version(), GRIDGOV_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", GRIDGOV_VERSION_STRING, gridgov_version());
        return 1;
    }
    if (gridgov_abi_version() != GRIDGOV_C_ABI_CURRENT) {
        fprintf(stderr, "ABI mismatch\n");
        return 1;
    }
    if (strcmp(gridgov_last_error_message(), "") != 0)
        return 1;
    gridgov_free(NULL);
    gridgov_workspace_close(NULL);
    printf("c99: gridgov %s, C ABI %d, workspace schema %d\n", gridgov_version(),
           gridgov_abi_version(), gridgov_workspace_schema_version());

    CHECK(gridgov_workspace_open(&ws, ":memory:", GRIDGOV_OPEN_CREATE));
    result = run(ws);
    gridgov_workspace_close(ws);
    return result;
}
