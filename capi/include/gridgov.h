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

/* One header per module (gridgov/c/<module>.h); each may be included on its own. */
#include "gridgov/c/assessment.h"
#include "gridgov/c/audit.h"
#include "gridgov/c/calendar.h"
#include "gridgov/c/cases.h"
#include "gridgov/c/core.h"
#include "gridgov/c/directory.h"
#include "gridgov/c/duties.h"
#include "gridgov/c/hierarchy.h"
#include "gridgov/c/oversight.h"
#include "gridgov/c/records.h"
#include "gridgov/c/report.h"
#include "gridgov/c/workflow.h"
#include "gridgov/c/workspace.h"

#endif /* GRIDGOV_H */
