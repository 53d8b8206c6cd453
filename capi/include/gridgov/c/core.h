/*
 * gridgov/c/core.h: the conventions of the stable C ABI of gridgov (grid-based community
 * governance), its status codes, errors, versions and memory. <gridgov.h> includes it
 * with every module's header.
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
#ifndef GRIDGOV_C_CORE_H
#define GRIDGOV_C_CORE_H

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

#ifdef __cplusplus
}
#endif

#endif /* GRIDGOV_C_CORE_H */
