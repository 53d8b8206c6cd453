#include <cstdlib>
#include <cstring>

#include "core/json_text.hpp"
#include "gridgov.h"
#include "guard.hpp"

namespace gridgov::capi {

std::string& last_error() {
    thread_local std::string message;
    return message;
}

int fail(int status, std::string_view message) {
    // Messages quote input; whatever a caller passed, the message handed out is UTF-8.
    last_error() = detail::printable_message(message);
    return status;
}

char* dup_string(std::string_view s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (p == nullptr)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

}  // namespace gridgov::capi

extern "C" {

const char* gridgov_version(void) {
    return gridgov::version();
}

int gridgov_version_number(void) {
    return GRIDGOV_VERSION_NUMBER;
}

int gridgov_abi_version(void) {
    return GRIDGOV_C_ABI_CURRENT;
}

const char* gridgov_last_error_message(void) {
    return gridgov::capi::last_error().c_str();
}

const char* gridgov_status_string(int status) {
    switch (status) {
        case GRIDGOV_OK:
            return "ok";
        case GRIDGOV_EINVAL:
            return "invalid argument";
        case GRIDGOV_ENOTFOUND:
            return "not found";
        case GRIDGOV_EEXISTS:
            return "already exists";
        case GRIDGOV_ESTATE:
            return "invalid state";
        case GRIDGOV_EPERM:
            return "permission denied";
        case GRIDGOV_EPARSE:
            return "parse error";
        case GRIDGOV_ESTORAGE:
            return "storage error";
        case GRIDGOV_EVERSION:
            return "version mismatch";
        case GRIDGOV_ENODATA:
            return "no calendar data";
        case GRIDGOV_EBUFS:
            return "buffer too small";
        case GRIDGOV_EINTERNAL:
            return "internal error";
        case GRIDGOV_ENOMEM:
            return "out of memory";
        default:
            return "error";
    }
}

void gridgov_free(void* ptr) {
    std::free(ptr);
}

}  // extern "C"
