/* An integrator's C program: opens an in-memory workspace through the C ABI, imports a
 * township from CSV text and prints the household roll-up of every village. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov.h"

static const char township_csv[] =
    "code,parent_code,level,name,households\n"
    "371327101,,township,岸堤镇,\n"
    "371327101001,371327101,village,东岭村,\n"
    "371327101001001,371327101001,grid,东岭一网格,152\n"
    "371327101001002,371327101001,grid,东岭二网格,148\n"
    "371327101002,371327101,village,西河村,\n"
    "371327101002001,371327101002,grid,西河一网格,139\n"
    "371327101002002,371327101002,grid,西河二网格,150\n";

static int fail(const char* what, int status) {
    fprintf(stderr, "%s: %s (%s)\n", what, gridgov_status_string(status),
            gridgov_last_error_message());
    return 1;
}

int main(void) {
    gridgov_workspace* ws = NULL;
    gridgov_findings* findings = NULL;
    gridgov_node_id* villages = NULL;
    double* households = NULL;
    size_t added = 0, ids = 0, count = 0, i;
    int status, result = 1;

    if (strcmp(gridgov_version(), GRIDGOV_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s, library %s\n", GRIDGOV_VERSION_STRING, gridgov_version());
        return 1;
    }
    status = gridgov_workspace_open(&ws, ":memory:", GRIDGOV_OPEN_CREATE);
    if (status != GRIDGOV_OK)
        return fail("open", status);

    status = gridgov_hierarchy_import_text(&added, &findings, ws, township_csv, GRIDGOV_FORMAT_CSV,
                                           "township.csv", NULL);
    if (status != GRIDGOV_OK) {
        result = fail("import", status);
        goto done;
    }
    if ((status = gridgov_hierarchy_id_count(&ids, ws)) != GRIDGOV_OK ||
        (households = malloc(ids * sizeof *households)) == NULL ||
        (status = gridgov_hierarchy_roll_up(households, ids, ws, "households", GRIDGOV_STAT_SUM)) !=
            GRIDGOV_OK ||
        (status = gridgov_hierarchy_nodes_at_level(&villages, &count, ws, "village")) !=
            GRIDGOV_OK) {
        result = fail("roll-up", status);
        goto done;
    }
    for (i = 0; i < count; ++i) {
        const char* code = NULL;
        const char* name = NULL;
        gridgov_hierarchy_code(&code, ws, villages[i]);
        gridgov_hierarchy_name(&name, ws, villages[i]);
        printf("%s %s: %.0f households\n", code, name, households[villages[i]]);
    }
    printf("gridgov %s (C ABI %d): imported %lu nodes\n", gridgov_version(), gridgov_abi_version(),
           (unsigned long)added);
    result = 0;

done:
    gridgov_free(villages);
    free(households);
    gridgov_findings_destroy(findings);
    gridgov_workspace_close(ws);
    return result;
}
