/* Compiled as strict C99 with -Wpedantic -Werror: the header is plain C, and a C program
 * links and runs against the shared library alone. */
#include <stdio.h>
#include <string.h>

#include "gridgov.h"

int main(void) {
    if (strcmp(gridgov_version(), GRIDGOV_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", GRIDGOV_VERSION_STRING, gridgov_version());
        return 1;
    }
    if (gridgov_abi_version() != GRIDGOV_C_ABI_CURRENT) {
        fprintf(stderr, "ABI mismatch\n");
        return 1;
    }
    if (strcmp(gridgov_last_error_message(), "") != 0) return 1;
    gridgov_free(NULL);
    printf("c99: gridgov %s, C ABI %d\n", gridgov_version(), gridgov_abi_version());
    return 0;
}
