// The engine's pool of case numbers (src/cases/table.cpp): numbers back to back with a
// hash index, a number checked and added in one probe, room made ahead for an open.
#include <doctest/doctest.h>

#include <string>

#include "cases/engine_impl.hpp"

using gridgov::detail::NumberPool;

TEST_CASE("cases.numbers.a_taken_number_is_refused_and_changes_nothing") {
    NumberPool pool;
    pool.reserve(50'000, 12 * 50'000);
    for (int i = 0; i < 50'000; ++i)
        REQUIRE(pool.push_back_new("2024-" + std::to_string(100'000 + i)));
    CHECK(pool.size() == 50'000);
    CHECK_FALSE(pool.push_back_new("2024-123456"));
    CHECK_FALSE(pool.push_back_new("2024-100000"));
    CHECK(pool.size() == 50'000);
    CHECK(pool.at(49'999) == "2024-149999");
    CHECK(pool.find("2024-123456") == 23'456u);
    CHECK_FALSE(pool.find("2024-150000").has_value());
    CHECK(pool.push_back_new("2024-150000"));
    CHECK(pool.find("2024-150000") == 50'000u);
    CHECK(pool.at(50'000) == "2024-150000");
    pool.truncate(10);
    CHECK(pool.size() == 10);
    CHECK_FALSE(pool.find("2024-100010").has_value());
    CHECK(pool.push_back_new("2024-100010"));
    CHECK_FALSE(pool.push_back_new("2024-100003"));
    CHECK(pool.find("2024-100010") == 10u);
}
