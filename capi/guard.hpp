// The C ABI's exception firewall: every exported function body runs inside guard().
// Not installed.
#ifndef GRIDGOV_CAPI_GUARD_HPP
#define GRIDGOV_CAPI_GUARD_HPP

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov.h"
#include "gridgov/core.hpp"

namespace gridgov::capi {

static_assert(GRIDGOV_EINVAL == -static_cast<int>(ErrorCode::invalid_argument));
static_assert(GRIDGOV_EBUFS == -static_cast<int>(ErrorCode::buffer_too_small));
static_assert(GRIDGOV_EINTERNAL == -static_cast<int>(ErrorCode::internal));

/// The per-thread message slot behind gridgov_last_error_message().
std::string& last_error();

/// Records `message` and returns `status` (for early returns inside a guard body).
int fail(int status, std::string_view message);

/// Runs `body` (returning void or int status) and maps exceptions to status codes.
template <class Body>
int guard(Body&& body) noexcept {
    last_error().clear();
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            return GRIDGOV_OK;
        } else {
            return body();
        }
    } catch (const Error& e) {
        return fail(-static_cast<int>(e.code()), e.what());
    } catch (const std::bad_alloc&) {
        return fail(GRIDGOV_ENOMEM, "out of memory");
    } catch (const std::exception& e) {
        return fail(GRIDGOV_EINTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(GRIDGOV_EINTERNAL, "internal error: unknown exception");
    }
}

/// Throws Error(invalid_argument) naming the parameter when `p` is NULL.
inline void require(const void* p, const char* parameter) {
    if (p == nullptr) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("parameter '") + parameter + "' must not be NULL");
    }
}

/// The text of an optional C string: "" for NULL.
inline std::string text(const char* s) {
    return s == nullptr ? std::string() : std::string(s);
}

/// Throws Error(invalid_argument) "<parameter>: <value> is not <accepted>".
[[noreturn]] inline void bad_value(const char* parameter, int value, const char* accepted) {
    throw Error(ErrorCode::invalid_argument,
                std::string(parameter) + ": " + std::to_string(value) + " is not " + accepted);
}

/// A malloc'ed copy of `s`, to be released with gridgov_free().
char* dup_string(std::string_view s);

/// A malloc'ed copy of `v` (NULL for an empty vector), released with gridgov_free().
template <class T>
T* dup_array(const std::vector<T>& v) {
    if (v.empty())
        return nullptr;
    void* p = std::malloc(v.size() * sizeof(T));
    if (p == nullptr)
        throw std::bad_alloc();
    std::memcpy(p, v.data(), v.size() * sizeof(T));
    return static_cast<T*>(p);
}

}  // namespace gridgov::capi

#endif
