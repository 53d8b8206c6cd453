#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "gridgov.h"

namespace {

// 2026-01-01T00:00:00+08:00 in seconds since the epoch.
constexpr int64_t jan1_2026 = 1767196800;
constexpr int64_t hour = 3600;
constexpr int64_t day = 86400;

// Local CST instant of 2026 from the day of the year (1 = Jan 1) and the time.
int64_t cst_2026(int day_of_year, int hh, int mm) {
    return jan1_2026 + (day_of_year - 1) * day + hh * hour + mm * 60;
}

std::string last_error() {
    return gridgov_last_error_message();
}

struct Calendar {
    gridgov_calendar* handle = nullptr;
    Calendar() { REQUIRE(gridgov_calendar_create(&handle) == GRIDGOV_OK); }
    ~Calendar() { gridgov_calendar_destroy(handle); }
    Calendar(const Calendar&) = delete;
    Calendar& operator=(const Calendar&) = delete;
};

const gridgov_time_limit four_working_hours = {4, GRIDGOV_UNIT_WORKING_HOURS,
                                               GRIDGOV_DAY_RULE_DAY_LENGTH};

}  // namespace

TEST_CASE("capi.calendar.instants_are_cst_seconds") {
    // Monday 2026-03-02 is day 61; 09:00 + 4 working hours = 15:00 (lunch 12:00-14:00).
    Calendar cal;
    int64_t out = 0;
    REQUIRE(gridgov_calendar_deadline(&out, nullptr, cal.handle, cst_2026(61, 9, 0),
                                      &four_working_hours, GRIDGOV_CALENDAR_STRICT) == GRIDGOV_OK);
    CHECK(out == cst_2026(61, 15, 0));
    CHECK(std::strcmp(gridgov_last_error_message(), "") == 0);
    int64_t seconds = 0;
    REQUIRE(gridgov_calendar_working_seconds(&seconds, nullptr, cal.handle, cst_2026(61, 9, 0), out,
                                             GRIDGOV_CALENDAR_STRICT) == GRIDGOV_OK);
    CHECK(seconds == 4 * hour);
    REQUIRE(gridgov_calendar_working_seconds(&seconds, nullptr, cal.handle, out, cst_2026(61, 9, 0),
                                             GRIDGOV_CALENDAR_STRICT) == GRIDGOV_OK);
    CHECK(seconds == -4 * hour);
}

TEST_CASE("capi.calendar.day_types_of_the_2026_spring_festival") {
    Calendar cal;
    gridgov_day_info d;
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-02-14") == GRIDGOV_OK);
    CHECK(d.working == 1);
    CHECK(d.type == GRIDGOV_DAY_MAKEUP_WORKDAY);
    CHECK(d.published == 1);
    CHECK(d.working_minutes == 420);
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-02-16") == GRIDGOV_OK);
    CHECK(d.working == 0);
    CHECK(d.type == GRIDGOV_DAY_HOLIDAY);
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-03-01") == GRIDGOV_OK);
    CHECK(d.type == GRIDGOV_DAY_WEEKEND);
    char* name = nullptr;
    REQUIRE(gridgov_calendar_day_name(&name, cal.handle, "2026-02-16") == GRIDGOV_OK);
    CHECK(std::string(name) == "春节");
    gridgov_free(name);
    REQUIRE(gridgov_calendar_day_name(&name, cal.handle, "2026-03-02") == GRIDGOV_OK);
    CHECK(std::string(name).empty());
    gridgov_free(name);
    CHECK(gridgov_calendar_day_info(&d, cal.handle, "2026-02-30") == GRIDGOV_EINVAL);
    CHECK(last_error().find("2026-02-30") != std::string::npos);
}

TEST_CASE("capi.calendar.a_bad_date_names_the_parameter_and_why") {
    Calendar cal;
    gridgov_day_info d{};
    CHECK(gridgov_calendar_day_info(&d, cal.handle, "2026-02-30") == GRIDGOV_EINVAL);
    CHECK(last_error() ==
          "date: \"2026-02-30\" is not an ISO 8601 date (expected YYYY-MM-DD): February 2026 has "
          "28 days");
    char* name = nullptr;
    CHECK(gridgov_calendar_day_name(&name, cal.handle, "2026-03-02T09:00") == GRIDGOV_EINVAL);
    CHECK(name == nullptr);
    CHECK(last_error().rfind("date: \"2026-03-02T09:00\" is not an ISO 8601 date", 0) == 0);
}

TEST_CASE("capi.calendar.no_data_is_enodata_unless_weekdays_are_assumed") {
    Calendar cal;
    int published = -1;
    REQUIRE(gridgov_calendar_year_published(&published, cal.handle, 2026) == GRIDGOV_OK);
    CHECK(published == 1);
    REQUIRE(gridgov_calendar_year_published(&published, cal.handle, 2027) == GRIDGOV_OK);
    CHECK(published == 0);

    const int64_t start = cst_2026(365, 16, 0);  // 2026-12-31 16:00
    const gridgov_time_limit two_hours = {2, GRIDGOV_UNIT_WORKING_HOURS, 0};
    int64_t out = 42;
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, start, &two_hours,
                                    GRIDGOV_CALENDAR_STRICT) == GRIDGOV_ENODATA);
    CHECK(last_error() == "the calendar has no data for 2027");
    CHECK(out == 42);  // untouched on failure

    gridgov_calendar_assumptions assumed = {-1, -1, -1};
    REQUIRE(gridgov_calendar_deadline(&out, &assumed, cal.handle, start, &two_hours,
                                      GRIDGOV_CALENDAR_ASSUME_WEEKDAYS) == GRIDGOV_OK);
    CHECK(out == cst_2026(366, 9, 0));  // Friday 2027-01-01 09:00 by the weekday rule
    CHECK(assumed.count == 1);
    CHECK(assumed.first_year == 2027);
    CHECK(assumed.last_year == 2027);

    REQUIRE(gridgov_calendar_deadline(&out, &assumed, cal.handle, cst_2026(61, 9, 0), &two_hours,
                                      GRIDGOV_CALENDAR_ASSUME_WEEKDAYS) == GRIDGOV_OK);
    CHECK(assumed.count == 0);
    CHECK(assumed.first_year == 0);

    int64_t seconds = 0;
    CHECK(gridgov_calendar_working_seconds(&seconds, nullptr, cal.handle, start, start + 3 * day,
                                           GRIDGOV_CALENDAR_STRICT) == GRIDGOV_ENODATA);
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, start, &two_hours, 7) ==
          GRIDGOV_EINVAL);
    CHECK(last_error().find("flags") != std::string::npos);
}

TEST_CASE("capi.calendar.create_from_json_and_add_data") {
    const char* y2027 = R"({"year": 2027, "papers": [], "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
        {"name": "春节", "date": "2027-02-08", "isOffDay": true}]})";
    gridgov_calendar* cal = nullptr;
    REQUIRE(gridgov_calendar_create_from_json(&cal, y2027) == GRIDGOV_OK);
    int published = 0;
    REQUIRE(gridgov_calendar_year_published(&published, cal, 2027) == GRIDGOV_OK);
    CHECK(published == 1);
    REQUIRE(gridgov_calendar_year_published(&published, cal, 2026) == GRIDGOV_OK);
    CHECK(published == 0);
    gridgov_calendar_destroy(cal);

    Calendar full;
    REQUIRE(gridgov_calendar_add_year_json(full.handle, y2027) == GRIDGOV_OK);
    int64_t out = 0;
    const gridgov_time_limit two_hours = {2, GRIDGOV_UNIT_WORKING_HOURS, 0};
    REQUIRE(gridgov_calendar_deadline(&out, nullptr, full.handle, cst_2026(365, 16, 0), &two_hours,
                                      GRIDGOV_CALENDAR_STRICT) == GRIDGOV_OK);
    CHECK(out == cst_2026(369, 9, 0));  // Monday 2027-01-04

    SUBCASE("refused data changes nothing") {
        CHECK(gridgov_calendar_add_year_json(full.handle, "{") == GRIDGOV_EPARSE);
        CHECK(gridgov_calendar_add_year_json(full.handle, R"({"year": 2028, "papers": [], "days": [
                      {"name": "x", "date": "2026-02-16", "isOffDay": false}]})") ==
              GRIDGOV_EINVAL);
        CHECK(gridgov_calendar_add_year_json(full.handle, R"({"year": 2027, "papers": [], "days": [
                      {"name": "x", "date": "2026-02-16", "isOffDay": false}]})") ==
              GRIDGOV_EEXISTS);
        gridgov_day_info d;
        REQUIRE(gridgov_calendar_day_info(&d, full.handle, "2026-02-16") == GRIDGOV_OK);
        CHECK(d.working == 0);
        CHECK(gridgov_calendar_create_from_json(&cal, "[1]") == GRIDGOV_EINVAL);
    }
}

TEST_CASE("capi.calendar.overrides_and_schedule") {
    Calendar cal;
    REQUIRE(gridgov_calendar_add_overrides_json(cal.handle, R"({"days": [
        {"name": "镇集体休息日", "date": "2026-03-04", "isOffDay": true}]})") == GRIDGOV_OK);
    gridgov_day_info d;
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-03-04") == GRIDGOV_OK);
    CHECK(d.working == 0);
    CHECK(d.local == 1);
    CHECK(d.type == GRIDGOV_DAY_HOLIDAY);
    REQUIRE(gridgov_calendar_clear_overrides(cal.handle) == GRIDGOV_OK);
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-03-04") == GRIDGOV_OK);
    CHECK(d.working == 1);

    REQUIRE(gridgov_calendar_set_schedule_json(
                cal.handle, R"({"hours": ["09:00-12:00", "13:30-18:00"]})") == GRIDGOV_OK);
    REQUIRE(gridgov_calendar_day_info(&d, cal.handle, "2026-03-04") == GRIDGOV_OK);
    CHECK(d.working_minutes == 450);
    CHECK(gridgov_calendar_set_schedule_json(cal.handle, R"({"hours": ["09:00-25:00"]})") ==
          GRIDGOV_EINVAL);
    CHECK(last_error().find("09:00-25:00") != std::string::npos);
}

TEST_CASE("capi.calendar.working_day_rules_and_bulk_deadlines") {
    Calendar cal;
    const int64_t friday_1600 = cst_2026(65, 16, 0);  // 2026-03-06
    gridgov_time_limit day_length = {1, GRIDGOV_UNIT_WORKING_DAYS, GRIDGOV_DAY_RULE_DAY_LENGTH};
    gridgov_time_limit cob = {1, GRIDGOV_UNIT_WORKING_DAYS, GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS};
    int64_t out = 0;
    REQUIRE(gridgov_calendar_deadline(&out, nullptr, cal.handle, friday_1600, &day_length, 0) ==
            GRIDGOV_OK);
    CHECK(out == cst_2026(68, 16, 0));
    REQUIRE(gridgov_calendar_deadline(&out, nullptr, cal.handle, friday_1600, &cob, 0) ==
            GRIDGOV_OK);
    CHECK(out == cst_2026(68, 17, 30));

    const int64_t starts[3] = {friday_1600, cst_2026(61, 9, 0), cst_2026(61, 12, 30)};
    int64_t deadlines[3] = {0, 0, 0};
    gridgov_calendar_assumptions assumed = {-1, -1, -1};
    REQUIRE(gridgov_calendar_deadlines(deadlines, &assumed, cal.handle, starts, 3,
                                       &four_working_hours, 0) == GRIDGOV_OK);
    CHECK(deadlines[0] == cst_2026(68, 11, 0));
    CHECK(deadlines[1] == cst_2026(61, 15, 0));
    CHECK(deadlines[2] == cst_2026(62, 9, 0));
    CHECK(assumed.count == 0);

    gridgov_time_limit bad = {1, 17, 0};
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, friday_1600, &bad, 0) ==
          GRIDGOV_EINVAL);
    CHECK(last_error().find("limit->unit") != std::string::npos);
    bad = {1, GRIDGOV_UNIT_WORKING_DAYS, 5};
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, friday_1600, &bad, 0) ==
          GRIDGOV_EINVAL);
    CHECK(last_error().find("limit->day_rule") != std::string::npos);
    bad = {-1, GRIDGOV_UNIT_WORKING_HOURS, 0};
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, friday_1600, &bad, 0) ==
          GRIDGOV_EINVAL);
}

TEST_CASE("capi.calendar.time_limits_round_trip_through_json") {
    gridgov_time_limit limit = {0, 0, 0};
    REQUIRE(
        gridgov_time_limit_from_json(
            &limit, R"({"value": 15, "unit": "working_days", "day_rule": "close_of_business"})") ==
        GRIDGOV_OK);
    CHECK(limit.value == 15);
    CHECK(limit.unit == GRIDGOV_UNIT_WORKING_DAYS);
    CHECK(limit.day_rule == GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS);
    char* json = nullptr;
    REQUIRE(gridgov_time_limit_to_json(&json, &limit) == GRIDGOV_OK);
    gridgov_time_limit again = {0, 0, 0};
    REQUIRE(gridgov_time_limit_from_json(&again, json) == GRIDGOV_OK);
    gridgov_free(json);
    CHECK(again.value == 15);
    CHECK(again.day_rule == GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS);
    CHECK(gridgov_time_limit_from_json(&limit, "{\"value\": 1}") == GRIDGOV_EINVAL);
    CHECK(gridgov_time_limit_from_json(&limit, "nope") == GRIDGOV_EPARSE);
}

TEST_CASE("capi.calendar.step_clock") {
    Calendar cal;
    gridgov_step_clock* clock = nullptr;
    REQUIRE(gridgov_step_clock_create(&clock, cst_2026(61, 9, 0), &four_working_hours) ==
            GRIDGOV_OK);
    gridgov_clock_status s;
    REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(61, 10, 0), 0) == GRIDGOV_OK);
    CHECK(s.elapsed == hour);
    CHECK(s.remaining == 3 * hour);
    CHECK(s.limit == 4 * hour);
    CHECK(s.deadline == cst_2026(61, 15, 0));
    CHECK(s.light == GRIDGOV_LIGHT_GREEN);
    CHECK(s.working_time == 1);
    CHECK(s.paused == 0);

    REQUIRE(gridgov_step_clock_pause(clock, cst_2026(61, 10, 0)) == GRIDGOV_OK);
    CHECK(gridgov_step_clock_pause(clock, cst_2026(61, 11, 0)) == GRIDGOV_ESTATE);
    REQUIRE(gridgov_step_clock_resume(clock, cst_2026(62, 10, 0)) == GRIDGOV_OK);
    CHECK(gridgov_step_clock_resume(clock, cst_2026(62, 11, 0)) == GRIDGOV_ESTATE);
    REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(62, 14, 30), 0) ==
            GRIDGOV_OK);
    CHECK(s.elapsed == 3 * hour + 30 * 60);
    CHECK(s.deadline == cst_2026(62, 15, 0));
    CHECK(s.light == GRIDGOV_LIGHT_YELLOW);

    const gridgov_time_limit two_hours = {2, GRIDGOV_UNIT_WORKING_HOURS, 0};
    REQUIRE(gridgov_step_clock_extend(clock, cst_2026(62, 14, 30), &two_hours) == GRIDGOV_OK);
    REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(62, 14, 30), 0) ==
            GRIDGOV_OK);
    CHECK(s.deadline == cst_2026(62, 17, 0));
    CHECK(s.light == GRIDGOV_LIGHT_GREEN);

    REQUIRE(gridgov_step_clock_set_thresholds(clock, 0.4, 0.5) == GRIDGOV_OK);
    REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(62, 14, 30), 0) ==
            GRIDGOV_OK);
    CHECK(s.light == GRIDGOV_LIGHT_RED);
    CHECK(s.overdue == 0);
    CHECK(gridgov_step_clock_set_thresholds(clock, 0.0, 1.0) == GRIDGOV_EINVAL);

    REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(63, 9, 0), 0) == GRIDGOV_OK);
    CHECK(s.overdue == 1);
    CHECK(s.overdue_by == 30 * 60 + 30 * 60);

    const gridgov_time_limit natural = {2, GRIDGOV_UNIT_NATURAL_HOURS, 0};
    CHECK(gridgov_step_clock_extend(clock, cst_2026(62, 15, 0), &natural) == GRIDGOV_EINVAL);
    CHECK(last_error().find("natural_hours") != std::string::npos);
    gridgov_step_clock_destroy(clock);

    SUBCASE("no data") {
        REQUIRE(gridgov_step_clock_create(&clock, cst_2026(365, 16, 0), &four_working_hours) ==
                GRIDGOV_OK);
        CHECK(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(365, 17, 0), 0) ==
              GRIDGOV_ENODATA);
        CHECK(last_error() == "the calendar has no data for 2027");
        REQUIRE(gridgov_step_clock_status(&s, clock, cal.handle, cst_2026(365, 17, 0),
                                          GRIDGOV_CALENDAR_ASSUME_WEEKDAYS) == GRIDGOV_OK);
        CHECK(s.assumed.count == 1);
        CHECK(s.assumed.first_year == 2027);
        gridgov_step_clock_destroy(clock);
    }
}

TEST_CASE("capi.calendar.null_arguments_are_einval_naming_the_parameter") {
    Calendar cal;
    int64_t out = 0;
    int flag = 0;
    gridgov_day_info d;
    gridgov_clock_status s;
    gridgov_time_limit limit;
    gridgov_step_clock* clock = nullptr;
    char* text = nullptr;
    const int64_t starts[1] = {0};

    const auto names = [](const char* parameter) {
        return last_error().find(std::string("'") + parameter + "'") != std::string::npos;
    };
    CHECK(gridgov_calendar_create(nullptr) == GRIDGOV_EINVAL);
    CHECK(names("out"));
    CHECK(gridgov_calendar_create_from_json(nullptr, "{}") == GRIDGOV_EINVAL);
    gridgov_calendar* created = nullptr;
    CHECK(gridgov_calendar_create_from_json(&created, nullptr) == GRIDGOV_EINVAL);
    CHECK(names("json"));
    CHECK(created == nullptr);
    CHECK(gridgov_calendar_add_year_json(nullptr, "{}") == GRIDGOV_EINVAL);
    CHECK(names("calendar"));
    CHECK(gridgov_calendar_add_year_json(cal.handle, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_add_overrides_json(nullptr, "{}") == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_add_overrides_json(cal.handle, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_clear_overrides(nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_set_schedule_json(nullptr, "{}") == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_set_schedule_json(cal.handle, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_year_published(nullptr, cal.handle, 2026) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_year_published(&flag, nullptr, 2026) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_day_info(nullptr, cal.handle, "2026-01-01") == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_day_info(&d, nullptr, "2026-01-01") == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_day_info(&d, cal.handle, nullptr) == GRIDGOV_EINVAL);
    CHECK(names("date"));
    CHECK(gridgov_calendar_day_name(nullptr, cal.handle, "2026-01-01") == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_day_name(&text, cal.handle, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_deadline(nullptr, nullptr, cal.handle, 0, &four_working_hours, 0) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_deadline(&out, nullptr, nullptr, 0, &four_working_hours, 0) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_deadline(&out, nullptr, cal.handle, 0, nullptr, 0) == GRIDGOV_EINVAL);
    CHECK(names("limit"));
    CHECK(gridgov_calendar_deadlines(nullptr, nullptr, cal.handle, starts, 1, &four_working_hours,
                                     0) == GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_deadlines(&out, nullptr, cal.handle, nullptr, 1, &four_working_hours,
                                     0) == GRIDGOV_EINVAL);
    CHECK(names("starts"));
    CHECK(gridgov_calendar_working_seconds(nullptr, nullptr, cal.handle, 0, 0, 0) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_calendar_working_seconds(&out, nullptr, nullptr, 0, 0, 0) == GRIDGOV_EINVAL);
    CHECK(gridgov_time_limit_from_json(nullptr, "{}") == GRIDGOV_EINVAL);
    CHECK(gridgov_time_limit_from_json(&limit, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_time_limit_to_json(nullptr, &four_working_hours) == GRIDGOV_EINVAL);
    CHECK(gridgov_time_limit_to_json(&text, nullptr) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_create(nullptr, 0, &four_working_hours) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_create(&clock, 0, nullptr) == GRIDGOV_EINVAL);
    CHECK(clock == nullptr);
    CHECK(gridgov_step_clock_pause(nullptr, 0) == GRIDGOV_EINVAL);
    CHECK(names("clock"));
    CHECK(gridgov_step_clock_resume(nullptr, 0) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_extend(nullptr, 0, &four_working_hours) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_set_thresholds(nullptr, 0.8, 1.0) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_status(nullptr, clock, cal.handle, 0, 0) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_status(&s, nullptr, cal.handle, 0, 0) == GRIDGOV_EINVAL);
    REQUIRE(gridgov_step_clock_create(&clock, jan1_2026, &four_working_hours) == GRIDGOV_OK);
    CHECK(gridgov_step_clock_status(&s, clock, nullptr, 0, 0) == GRIDGOV_EINVAL);
    CHECK(gridgov_step_clock_extend(clock, jan1_2026, nullptr) == GRIDGOV_EINVAL);
    CHECK(names("extension"));
    gridgov_step_clock_destroy(clock);
    gridgov_step_clock_destroy(nullptr);
    gridgov_calendar_destroy(nullptr);
    // The next successful call clears the message.
    CHECK(gridgov_calendar_year_published(&flag, cal.handle, 2026) == GRIDGOV_OK);
    CHECK(last_error().empty());
}
