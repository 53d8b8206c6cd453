#include <doctest/doctest.h>

#include <cstring>

#include "gridgov.h"

TEST_CASE("capi.core.version_matches_header") {
    CHECK(std::strcmp(gridgov_version(), GRIDGOV_VERSION_STRING) == 0);
    CHECK(gridgov_version_number() == GRIDGOV_VERSION_NUMBER);
    CHECK(gridgov_abi_version() == GRIDGOV_C_ABI_CURRENT);
}

TEST_CASE("capi.core.status_strings_are_static_and_never_null") {
    CHECK(std::strcmp(gridgov_status_string(GRIDGOV_OK), "ok") == 0);
    CHECK(std::strcmp(gridgov_status_string(GRIDGOV_EINVAL), "invalid argument") == 0);
    CHECK(std::strcmp(gridgov_status_string(-999), "error") == 0);
}

TEST_CASE("capi.core.free_accepts_null") {
    gridgov_free(nullptr);
    void* block = nullptr;
    gridgov_free(block);
    CHECK(gridgov_abi_version() == GRIDGOV_C_ABI_CURRENT);
}

TEST_CASE("capi.core.last_error_message_is_never_null") {
    CHECK(gridgov_last_error_message() != nullptr);
}
