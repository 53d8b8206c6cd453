#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "gridgov/calendar.hpp"

using namespace gridgov;

namespace {

Instant at(const char* iso) {
    return Instant::parse(iso);
}
Date day(const char* iso) {
    return Date::parse(iso);
}

const WorkingCalendar& national() {
    static const WorkingCalendar cal;
    return cal;
}

constexpr std::int64_t hour = 3600;

// The holiday-cn files the library ships (and compiles in).
const std::string holiday_dir = GRIDGOV_TEST_DATA "/../../src/calendar/data/holiday-cn";

// Working seconds in [a, b) walked day by day through day() and the schedule: an oracle
// that shares nothing with the prefix sums under test.
std::int64_t walked_working_time(const WorkingCalendar& cal, Instant a, Instant b) {
    std::int64_t total = 0;
    for (Date d = a.local_date(); d <= b.local_date(); d = Date{d.days + 1}) {
        if (!cal.day(d).working)
            continue;
        for (const WorkingPeriod& p : cal.schedule().hours_on(d).periods()) {
            const std::int64_t from =
                std::max(Instant::from_local(d, p.start_minute).seconds, a.seconds);
            const std::int64_t to =
                std::min(Instant::from_local(d, p.end_minute).seconds, b.seconds);
            if (to > from)
                total += to - from;
        }
    }
    return total;
}

// A uniformly random instant in [from, to).
Instant random_instant(std::mt19937_64& rng, Instant from, Instant to) {
    std::uniform_int_distribution<std::int64_t> pick(from.seconds, to.seconds - 1);
    return Instant{pick(rng)};
}

const char* const year_2027_new_year_only = R"({
    "year": 2027, "papers": [],
    "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]
})";

// A 2027 notice shaped like the real ones (New Year and the Spring Festival block).
const char* const year_2027_with_spring_festival = R"({
    "year": 2027, "papers": ["https://www.gov.cn/example/2027.htm"],
    "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
        {"name": "春节", "date": "2027-02-06", "isOffDay": true},
        {"name": "春节", "date": "2027-02-07", "isOffDay": true},
        {"name": "春节", "date": "2027-02-08", "isOffDay": true}
    ]
})";

}  // namespace

// ---- data and day types --------------------------------------------------------------

TEST_CASE("calendar.data.builtin_years_2007_to_2026_are_published") {
    const WorkingCalendar& cal = national();
    for (int y = 2007; y <= 2026; ++y) {
        CAPTURE(y);
        CHECK(cal.is_published(y));
    }
    CHECK_FALSE(cal.is_published(2006));
    CHECK_FALSE(cal.is_published(2027));
    const std::vector<YearInfo> years = cal.years();
    REQUIRE(years.size() == 21);
    CHECK(years.front().year == 2007);
    CHECK(years.back().year == 2027);
    // 2027.json is in the data but lists nothing: present, not published.
    CHECK(years.back().listed_days == 0);
    CHECK_FALSE(years.back().published);
    CHECK(years[2026 - 2007].listed_days == 39);
    REQUIRE(years[2026 - 2007].papers.size() == 1);
    CHECK(years[2026 - 2007].papers[0].find("gov.cn") != std::string::npos);
}

TEST_CASE("calendar.day.listed_dates_follow_is_off_day_and_unlisted_follow_the_weekday") {
    const WorkingCalendar& cal = national();
    SUBCASE("listed day off on a weekday") {
        const DayInfo d = cal.day(day("2026-01-01"));
        CHECK(d.type == DayType::holiday);
        CHECK_FALSE(d.working);
        CHECK(d.name == "元旦");
        CHECK(d.working_minutes == 0);
    }
    SUBCASE("listed working Sunday") {
        const DayInfo d = cal.day(day("2026-01-04"));
        CHECK(d.type == DayType::makeup_workday);
        CHECK(d.working);
        CHECK(d.working_minutes == 420);
    }
    SUBCASE("unlisted weekday and weekend") {
        CHECK(cal.day(day("2026-03-02")).type == DayType::workday);
        CHECK(cal.day(day("2026-03-02")).working);
        CHECK(cal.day(day("2026-03-01")).type == DayType::weekend);
        CHECK_FALSE(cal.day(day("2026-03-01")).working);
        CHECK(cal.day(day("2026-03-01")).name.empty());
    }
    SUBCASE("a make-up day carries the name of the holiday it compensates") {
        CHECK(cal.day(day("2026-09-20")).name == "国庆节");
        CHECK(cal.day(day("2026-09-20")).working);
    }
    SUBCASE("dates listed in the next year's file") {
        // 2019.json lists 2018-12-29 (a working Saturday) and 2018-12-31 (a day off).
        CHECK(cal.day(day("2018-12-29")).working);
        CHECK_FALSE(cal.day(day("2018-12-31")).working);
    }
}

TEST_CASE("calendar.edge.spring_festival_2026_with_makeup_saturdays") {
    const WorkingCalendar& cal = national();
    CHECK(cal.is_working_day(day("2026-02-13")));
    CHECK(cal.is_working_day(day("2026-02-14")));  // Saturday, worked
    for (int d = 15; d <= 23; ++d) {
        CAPTURE(d);
        const DayInfo info = cal.day(Date::from_ymd(2026, 2, static_cast<unsigned>(d)));
        CHECK(info.type == DayType::holiday);
        CHECK(info.name == "春节");
    }
    CHECK(cal.is_working_day(day("2026-02-24")));
    CHECK(cal.day(day("2026-02-28")).type == DayType::makeup_workday);  // Saturday, worked
    CHECK_FALSE(cal.is_working_day(day("2026-03-01")));

    SUBCASE("four working hours from Friday afternoon end on the working Saturday") {
        CHECK(cal.deadline(at("2026-02-13T16:00"), TimeLimit::working_hours(4)) ==
              at("2026-02-14T11:00"));
    }
    SUBCASE("from the last afternoon before the holiday the limit jumps the whole block") {
        CHECK(cal.deadline(at("2026-02-14T16:00"), TimeLimit::working_hours(4)) ==
              at("2026-02-24T11:00"));
        CHECK(cal.working_time_between(at("2026-02-14T17:30"), at("2026-02-24T08:30")) == 0);
    }
    SUBCASE("working days to close of business count the Saturdays") {
        const auto cob = [](std::int64_t n) {
            return TimeLimit::working_days(n, WorkingDayRule::close_of_business);
        };
        CHECK(cal.deadline(at("2026-02-13T09:00"), cob(1)) == at("2026-02-14T17:30"));
        CHECK(cal.deadline(at("2026-02-13T09:00"), cob(2)) == at("2026-02-24T17:30"));
        // 02-24..02-27 and the working Saturday 02-28 are the 2nd to 6th.
        CHECK(cal.deadline(at("2026-02-13T09:00"), cob(6)) == at("2026-02-28T17:30"));
        CHECK(cal.deadline(at("2026-02-13T09:00"), cob(7)) == at("2026-03-02T17:30"));
    }
}

TEST_CASE("calendar.edge.spring_festival_2020_extension") {
    const WorkingCalendar& cal = national();
    // The notice of 2020-01-27 extended the holiday to 02-02; 02-03 is listed as worked.
    for (const char* d : {"2020-01-24", "2020-01-30", "2020-01-31", "2020-02-01", "2020-02-02"}) {
        CAPTURE(d);
        CHECK_FALSE(cal.is_working_day(day(d)));
    }
    CHECK(cal.day(day("2020-02-03")).type == DayType::makeup_workday);
    CHECK(cal.day(day("2020-01-19")).working);  // Sunday, worked
    CHECK(cal.deadline(at("2020-01-23T17:00"), TimeLimit::working_hours(1)) ==
          at("2020-02-03T09:00"));
    CHECK(cal.working_time_between(at("2020-01-23T17:30"), at("2020-02-03T08:30")) == 0);
    CHECK(cal.working_time_between(at("2020-01-23T00:00"), at("2020-02-04T00:00")) == 14 * hour);
}

TEST_CASE("calendar.edge.victory_day_2015_one_off_holiday") {
    const WorkingCalendar& cal = national();
    const DayInfo d = cal.day(day("2015-09-03"));
    CHECK(d.type == DayType::holiday);
    CHECK(d.name == "抗日战争暨世界反法西斯战争胜利70周年纪念日");
    CHECK_FALSE(cal.is_working_day(day("2015-09-04")));
    CHECK(cal.is_working_day(day("2015-09-06")));  // Sunday, worked
    CHECK(cal.deadline(at("2015-09-02T17:00"), TimeLimit::working_hours(1)) ==
          at("2015-09-06T09:00"));
}

TEST_CASE("calendar.edge.start_inside_the_lunch_break") {
    const WorkingCalendar& cal = national();
    CHECK(cal.deadline(at("2026-03-02T12:30"), TimeLimit::working_hours(1)) ==
          at("2026-03-02T15:00"));
    CHECK(cal.deadline(at("2026-03-02T12:30"), TimeLimit::working_minutes(0)) ==
          at("2026-03-02T12:30"));
    CHECK(cal.working_time_between(at("2026-03-02T12:00"), at("2026-03-02T14:00")) == 0);
    SUBCASE("a deadline on the end of a period is that end, not the next start") {
        CHECK(cal.deadline(at("2026-03-02T11:00"), TimeLimit::working_hours(1)) ==
              at("2026-03-02T12:00"));
        CHECK(cal.deadline(at("2026-03-02T16:30"), TimeLimit::working_hours(1)) ==
              at("2026-03-02T17:30"));
    }
    SUBCASE("seconds are exact") {
        CHECK(cal.working_time_between(at("2026-03-02T11:59:30"), at("2026-03-02T14:00:15")) == 45);
        CHECK(cal.add_working_seconds(at("2026-03-02T11:59:30"), 45).deadline ==
              at("2026-03-02T14:00:15"));
    }
}

TEST_CASE("calendar.edge.start_on_a_holiday") {
    const WorkingCalendar& cal = national();
    // National Day 2026: 10-01..10-07 off, the next working day is Thursday 10-08.
    CHECK(cal.deadline(at("2026-10-03T10:00"), TimeLimit::working_hours(1)) ==
          at("2026-10-08T09:30"));
    CHECK(cal.deadline(at("2026-10-03T10:00"), TimeLimit::working_days(1)) ==
          at("2026-10-08T17:30"));
    CHECK(cal.deadline(at("2026-10-03T10:00"),
                       TimeLimit::working_days(1, WorkingDayRule::close_of_business)) ==
          at("2026-10-08T17:30"));
    // 10-10 is a working Saturday.
    CHECK(cal.deadline(at("2026-10-03T10:00"),
                       TimeLimit::working_days(3, WorkingDayRule::close_of_business)) ==
          at("2026-10-10T17:30"));
}

// ---- years without data --------------------------------------------------------------

TEST_CASE("calendar.nodata.crossing_new_year_into_2027_is_an_error_by_default") {
    const WorkingCalendar& cal = national();
    const Instant start = at("2026-12-31T16:00");
    SUBCASE("a limit that ends before the year is out needs no 2027 data") {
        CHECK(cal.deadline(start, TimeLimit::working_minutes(90)) == at("2026-12-31T17:30"));
    }
    SUBCASE("strict") {
        CHECK_THROWS_WITH_AS(cal.deadline(start, TimeLimit::working_hours(2)),
                             "the calendar has no data for 2027", Error);
        try {
            cal.deadline(start, TimeLimit::working_hours(2));
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::no_data);
        }
        CHECK_THROWS_WITH_AS(cal.working_time_between(start, at("2027-01-05T09:00")),
                             "the calendar has no data for 2027", Error);
        CHECK_THROWS_WITH_AS(cal.is_working_day(day("2027-03-01")),
                             "the calendar has no data for 2027", Error);
        CHECK_THROWS_WITH_AS(
            cal.deadline_report(start, TimeLimit::working_hours(2), NoDataPolicy::error),
            "the calendar has no data for 2027", Error);
    }
    SUBCASE("fallback by option, with the report") {
        const DeadlineReport r =
            cal.deadline_report(start, TimeLimit::working_hours(2), NoDataPolicy::assume_weekdays);
        // 1.5 h on 12-31, then Friday 2027-01-01 counts as an ordinary weekday.
        CHECK(r.deadline == at("2027-01-01T09:00"));
        CHECK(r.assumed_years == std::vector<int>{2027});
        const WorkingTimeReport w = cal.working_time_report(start, at("2027-01-05T09:00"));
        CHECK(w.seconds == 90 * 60 + 7 * hour + 7 * hour + 30 * 60);
        CHECK(w.assumed_years == std::vector<int>{2027});
    }
    SUBCASE("a report that crossed only published years assumes nothing") {
        const DeadlineReport r =
            cal.deadline_report(at("2026-12-30T16:00"), TimeLimit::working_hours(2));
        CHECK(r.deadline == at("2026-12-31T09:00"));
        CHECK(r.assumed_years.empty());
    }
    SUBCASE("ending exactly at midnight does not touch the next year") {
        CHECK(cal.working_time_between(at("2026-12-31T12:00"), at("2027-01-01T00:00")) ==
              3 * hour + 30 * 60);
    }
    SUBCASE("day() reports the state instead of throwing") {
        const DayInfo d = cal.day(day("2027-01-01"));
        CHECK_FALSE(d.published);
        CHECK(d.type == DayType::workday);
    }
    SUBCASE("years before the data are unpublished too") {
        CHECK_THROWS_WITH_AS(cal.deadline(at("2006-06-01T09:00"), TimeLimit::working_hours(1)),
                             "the calendar has no data for 2006", Error);
    }
    SUBCASE("natural time needs no calendar") {
        CHECK(cal.deadline(start, TimeLimit::natural_days(10)) == at("2027-01-10T16:00"));
    }
}

TEST_CASE("calendar.data.a_year_counts_as_published_when_it_lists_the_spring_festival") {
    WorkingCalendar cal;
    SUBCASE("a fragment stays unpublished but its dates apply") {
        cal.add_year_json(year_2027_new_year_only, "2027-fragment.json");
        CHECK_FALSE(cal.is_published(2027));
        CHECK(cal.day(day("2027-01-01")).type == DayType::holiday);
        CHECK_THROWS_WITH_AS(cal.deadline(at("2026-12-31T16:00"), TimeLimit::working_hours(2)),
                             "the calendar has no data for 2027", Error);
        const DeadlineReport r =
            cal.deadline_report(at("2026-12-31T16:00"), TimeLimit::working_hours(2));
        CHECK(r.deadline == at("2027-01-04T09:00"));  // Friday 01-01 off, then the weekend
        CHECK(r.assumed_years == std::vector<int>{2027});
    }
    SUBCASE("a notice with the Spring Festival publishes the year") {
        cal.add_year_json(year_2027_with_spring_festival, "2027.json");
        CHECK(cal.is_published(2027));
        CHECK(cal.deadline(at("2026-12-31T16:00"), TimeLimit::working_hours(2)) ==
              at("2027-01-04T09:00"));
        CHECK_FALSE(cal.is_working_day(day("2027-02-08")));
    }
    SUBCASE("a Spring Festival listed as a working day does not count") {
        cal.add_year_json(R"({"year": 2027, "papers": [], "days": [
            {"name": "春节", "date": "2027-02-20", "isOffDay": false}]})");
        CHECK_FALSE(cal.is_published(2027));
    }
}

TEST_CASE("calendar.data.loading_more_years_and_replacing_one") {
    SUBCASE("from_json holds only the given years") {
        WorkingCalendar cal = WorkingCalendar::from_json(
            std::string("[") + year_2027_with_spring_festival + "]", "2027.json");
        CHECK(cal.is_published(2027));
        CHECK_FALSE(cal.is_published(2026));
        CHECK(cal.years().size() == 1);
        CHECK_THROWS_WITH_AS(cal.deadline(at("2026-12-31T16:00"), TimeLimit::working_hours(2)),
                             "the calendar has no data for 2026", Error);
    }
    SUBCASE("without_data knows no year") {
        const WorkingCalendar cal = WorkingCalendar::without_data();
        CHECK(cal.years().empty());
        CHECK_FALSE(cal.is_published(2026));
        CHECK(cal.day(day("2026-02-16")).type == DayType::workday);
    }
    SUBCASE("a corrected notice replaces the year's entries") {
        WorkingCalendar cal;
        cal.add_year_json(year_2027_new_year_only);
        cal.add_year_json(year_2027_with_spring_festival);
        CHECK(cal.is_published(2027));
        cal.add_year_json(R"({"year": 2027, "papers": [], "days": []})");
        CHECK_FALSE(cal.is_published(2027));
        CHECK(cal.day(day("2027-01-01")).type == DayType::workday);
    }
    SUBCASE("the shipped year files, loaded at run time") {
        WorkingCalendar cal = WorkingCalendar::without_data();
        cal.load_year_file(holiday_dir + "/2026.json");
        cal.load_year_file(holiday_dir + "/2027.json");
        CHECK(cal.is_published(2026));
        CHECK_FALSE(cal.is_published(2027));
        CHECK(cal.day(day("2026-02-14")).type == DayType::makeup_workday);
        CHECK_THROWS_WITH_AS(cal.load_year_file(holiday_dir + "/2099.json"),
                             doctest::Contains("2099.json"), Error);
    }
}

TEST_CASE("calendar.data.refuses_malformed_files_and_changes_nothing") {
    WorkingCalendar cal;
    const auto refuse = [&](const char* json, ErrorCode code, const char* message) {
        CAPTURE(json);
        try {
            cal.add_year_json(json, "bad.json");
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK(std::string(e.what()).find(message) != std::string::npos);
            CHECK(std::string(e.what()).find("bad.json") != std::string::npos);
        }
        CHECK(cal.years().size() == 21);
        CHECK(cal.day(day("2026-02-16")).type == DayType::holiday);
    };
    refuse("{", ErrorCode::parse_error, "not valid JSON");
    refuse(R"({"papers": [], "days": []})", ErrorCode::invalid_argument, "year");
    refuse(R"({"year": 2028, "days": []})", ErrorCode::invalid_argument, "papers");
    refuse(R"({"year": 2028, "papers": [], "days": [{"name": "x", "date": "2028-02-30",
              "isOffDay": true}]})",
           ErrorCode::invalid_argument, "days[0] field 'date'");
    refuse(R"({"year": 2028, "papers": [], "days": [{"name": "x", "date": "2028-01-01"}]})",
           ErrorCode::invalid_argument, "days[0] field 'isOffDay'");
    refuse(R"({"year": 2028, "papers": [], "days": [
              {"name": "x", "date": "2028-01-01", "isOffDay": true},
              {"name": "y", "date": "2028-01-01", "isOffDay": false}]})",
           ErrorCode::invalid_argument, "listed twice");
    refuse(R"({"year": 2028, "papers": [], "days": [{"name": "x", "date": "2031-01-01",
              "isOffDay": true}]})",
           ErrorCode::invalid_argument, "not near the file's year 2028");
    // 2026-02-16 belongs to 2026.json.
    refuse(R"({"year": 2027, "papers": [], "days": [{"name": "x", "date": "2026-02-16",
              "isOffDay": false}]})",
           ErrorCode::already_exists, "already listed by the year file 2026");
    refuse(R"({"year": 2150, "papers": [], "days": []})", ErrorCode::invalid_argument,
           "outside the years");
}

TEST_CASE("calendar.overrides.local_rest_days_closures_and_working_days") {
    WorkingCalendar cal;
    SUBCASE("a township's own rest day is skipped") {
        cal.add_override(DayOverride{day("2026-03-04"), true, "镇集体休息日"});
        const DayInfo d = cal.day(day("2026-03-04"));
        CHECK(d.local);
        CHECK(d.type == DayType::holiday);
        CHECK(d.name == "镇集体休息日");
        CHECK(cal.deadline(at("2026-03-03T17:00"), TimeLimit::working_hours(1)) ==
              at("2026-03-05T09:00"));
    }
    SUBCASE("from JSON in the holiday format; a later entry wins") {
        cal.add_overrides_json(R"({"days": [
            {"name": "防汛停工", "date": "2026-07-01", "isOffDay": true},
            {"name": "集中办公", "date": "2026-07-04", "isOffDay": false}]})",
                               "township.json");
        CHECK_FALSE(cal.is_working_day(day("2026-07-01")));
        CHECK(cal.day(day("2026-07-04")).type == DayType::makeup_workday);
        CHECK(cal.is_working_day(day("2026-07-04")));
        cal.add_overrides_json(R"({"year": 2026, "papers": [], "days": [
            {"name": "恢复办公", "date": "2026-07-01", "isOffDay": false}]})");
        CHECK(cal.is_working_day(day("2026-07-01")));
        CHECK(cal.overrides().size() == 2);
        cal.clear_overrides();
        CHECK(cal.overrides().empty());
        CHECK(cal.day(day("2026-07-04")).type == DayType::weekend);
    }
    SUBCASE("an override can reopen an official holiday") {
        cal.add_override(DayOverride{day("2026-10-05"), false, "值班"});
        CHECK(cal.is_working_day(day("2026-10-05")));
        CHECK(cal.day(day("2026-10-05")).local);
    }
    SUBCASE("overrides never publish a year") {
        cal.add_override(DayOverride{day("2027-01-02"), true, "local"});
        CHECK_FALSE(cal.is_published(2027));
    }
    SUBCASE("a refused override file changes nothing") {
        CHECK_THROWS_WITH_AS(cal.add_overrides_json(R"({"days": [
            {"name": "a", "date": "2026-07-01", "isOffDay": true},
            {"name": "b", "date": "2026-07-41", "isOffDay": true}]})",
                                                    "township.json"),
                             doctest::Contains("township.json days[1] field 'date'"), Error);
        CHECK(cal.overrides().empty());
        CHECK(cal.is_working_day(day("2026-07-01")));
    }
}

// ---- schedules -----------------------------------------------------------------------

TEST_CASE("calendar.schedule.working_hours_parse_and_validate") {
    const WorkingHours h = WorkingHours::parse("08:30-12:00, 14:00-17:30");
    CHECK(h == WorkingHours());
    CHECK(h.minutes() == 420);
    CHECK(h.to_string() == "08:30-12:00,14:00-17:30");
    CHECK(WorkingHours::parse("09:00~17:00").minutes() == 480);
    CHECK(WorkingHours::parse("00:00-24:00").minutes() == 1440);
    CHECK_THROWS_WITH_AS(WorkingHours::parse("08:30-12:00,11:00-17:30"),
                         doctest::Contains("11:00-17:30 overlaps"), Error);
    CHECK_THROWS_WITH_AS(WorkingHours::parse("8:30-12:00"), doctest::Contains("8:30-12:00"), Error);
    CHECK_THROWS_WITH_AS(WorkingHours::parse("12:00-08:30"), doctest::Contains("non-empty"), Error);
    CHECK_THROWS_AS(WorkingHours(std::vector<WorkingPeriod>{}), Error);
}

TEST_CASE("calendar.schedule.summer_and_winter_hours_switch_by_date") {
    WorkingCalendar cal;
    cal.set_schedule(WorkingSchedule::from_json(R"({
        "hours": ["08:30-12:00", "14:00-17:30"],
        "seasons": [{"name": "summer", "from": "05-01", "until": "10-01",
                     "hours": ["08:00-12:00", "14:30-18:00"]}]})"));
    CHECK(cal.working_day_length(day("2026-07-01")) == 7 * hour + 30 * 60);
    CHECK(cal.working_day_length(day("2026-03-02")) == 7 * hour);
    CHECK(cal.day(day("2026-07-01")).working_minutes == 450);
    CHECK(cal.deadline(at("2026-07-01T11:00"), TimeLimit::working_hours(2)) ==
          at("2026-07-01T15:30"));
    CHECK(cal.deadline(at("2026-03-02T11:00"), TimeLimit::working_hours(2)) ==
          at("2026-03-02T15:00"));
    // The switch is exact at the boundary: Wed 09-30 works until 18:00 (summer), 10-01..07
    // are holidays, Thu 10-08 starts at 08:30 (standard).
    CHECK(cal.deadline(at("2026-09-30T17:30"), TimeLimit::working_hours(1)) ==
          at("2026-10-08T09:00"));
    SUBCASE("a season may wrap over New Year") {
        const WorkingSchedule s(
            WorkingHours(), {Season{"winter", MonthDay::parse("10-01"), MonthDay::parse("05-01"),
                                    WorkingHours::parse("09:00-17:00")}});
        CHECK(s.hours_on(day("2026-12-31")).minutes() == 480);
        CHECK(s.hours_on(day("2026-01-15")).minutes() == 480);
        CHECK(s.hours_on(day("2026-05-01")).minutes() == 420);
    }
    SUBCASE("JSON round trip") {
        const WorkingSchedule again = WorkingSchedule::from_json(cal.schedule().to_json());
        CHECK(again.seasons().size() == 1);
        CHECK(again.seasons()[0].name == "summer");
        CHECK(again.seasons()[0].hours.to_string() == "08:00-12:00,14:30-18:00");
    }
    SUBCASE("bad schedules name the field") {
        CHECK_THROWS_WITH_AS(WorkingSchedule::from_json(R"({"seasons": [{"from": "05-01",
            "until": "13-01", "hours": ["08:00-12:00"]}]})"),
                             doctest::Contains("schedule seasons[0] field 'until'"), Error);
        CHECK_THROWS_WITH_AS(WorkingSchedule::from_json(R"({"hours": ["08:00-12:00", 5]})"),
                             doctest::Contains("hours"), Error);
        CHECK_THROWS_WITH_AS(
            WorkingSchedule(WorkingHours(),
                            {Season{"all", MonthDay{1, 1}, MonthDay{1, 1}, WorkingHours()}}),
            doctest::Contains("\"all\""), Error);
    }
}

// ---- time limits ---------------------------------------------------------------------

TEST_CASE("calendar.limit.units_and_working_day_rules") {
    const WorkingCalendar& cal = national();
    const Instant start = at("2026-03-06T16:00");  // Friday
    SUBCASE("natural units run around the clock") {
        CHECK(cal.deadline(start, TimeLimit::natural_minutes(30)) == at("2026-03-06T16:30"));
        CHECK(cal.deadline(start, TimeLimit::natural_hours(24)) == at("2026-03-07T16:00"));
        CHECK(cal.deadline(start, TimeLimit::natural_days(2)) == at("2026-03-08T16:00"));
    }
    SUBCASE("working minutes and hours walk the working periods") {
        CHECK(cal.deadline(start, TimeLimit::working_minutes(90)) == at("2026-03-06T17:30"));
        CHECK(cal.deadline(start, TimeLimit::working_minutes(91)) == at("2026-03-09T08:31"));
        // 暴露垃圾: 4 工作时.
        CHECK(cal.deadline(start, TimeLimit::working_hours(4)) == at("2026-03-09T11:00"));
    }
    SUBCASE("working days by day length: the same time N working days later (default)") {
        CHECK(TimeLimit::working_days(1).day_rule == WorkingDayRule::day_length);
        CHECK(cal.deadline(start, TimeLimit::working_days(1)) == at("2026-03-09T16:00"));
        CHECK(cal.deadline(start, TimeLimit::working_days(7)) == at("2026-03-17T16:00"));
        CHECK(cal.deadline(at("2026-03-09T08:30"), TimeLimit::working_days(1)) ==
              at("2026-03-09T17:30"));
    }
    SUBCASE("working days to close of business: the start day does not count") {
        const TimeLimit cob = TimeLimit::working_days(1, WorkingDayRule::close_of_business);
        CHECK(cal.deadline(start, cob) == at("2026-03-09T17:30"));
        CHECK(cal.deadline(at("2026-03-09T08:30"), cob) == at("2026-03-10T17:30"));
        CHECK(cal.deadline(at("2026-03-07T10:00"), cob) == at("2026-03-09T17:30"));
        // 违法搭建: 15 工作日.
        CHECK(cal.deadline(start, TimeLimit::working_days(15, WorkingDayRule::close_of_business)) ==
              at("2026-03-27T17:30"));
    }
    SUBCASE("zero and invalid limits") {
        CHECK(cal.deadline(start, TimeLimit::working_days(0, WorkingDayRule::close_of_business)) ==
              start);
        CHECK(cal.deadline(start, TimeLimit::natural_hours(0)) == start);
        CHECK_THROWS_WITH_AS(cal.deadline(start, TimeLimit::working_hours(-1)),
                             doctest::Contains("-1 working_hours is negative"), Error);
        CHECK_THROWS_WITH_AS(cal.deadline(start, TimeLimit::natural_days(100000)),
                             doctest::Contains("longer than 200 years"), Error);
        CHECK_THROWS_AS(cal.deadline(start, TimeLimit{1, static_cast<TimeUnit>(9)}), Error);
    }
    SUBCASE("outside the covered dates") {
        CHECK_THROWS_WITH_AS(cal.deadline(at("1989-12-31T09:00"), TimeLimit::working_hours(1)),
                             doctest::Contains("outside the dates the calendar covers"), Error);
        CHECK_THROWS_WITH_AS(cal.day(day("2100-01-01")), doctest::Contains("2100-01-01"), Error);
    }
}

TEST_CASE("calendar.limit.json_round_trip") {
    for (const TimeLimit& l : {TimeLimit::working_hours(4), TimeLimit::natural_minutes(30),
                               TimeLimit::working_days(15, WorkingDayRule::close_of_business),
                               TimeLimit::working_days(2)}) {
        CAPTURE(l.to_json());
        CHECK(TimeLimit::from_json(l.to_json()) == l);
    }
    CHECK(TimeLimit::from_json(R"({"value": 4, "unit": "working_hours"})") ==
          TimeLimit::working_hours(4));
    CHECK(TimeLimit::from_json(R"({"value": 2, "unit": "working_days"})").day_rule ==
          WorkingDayRule::day_length);
    CHECK_THROWS_WITH_AS(TimeLimit::from_json(R"({"value": 4, "unit": "fortnights"})"),
                         doctest::Contains("fortnights"), Error);
    CHECK_THROWS_WITH_AS(
        TimeLimit::from_json(R"({"value": 4, "unit": "working_hours", "day_rule": "day_length"})"),
        doctest::Contains("day_rule applies only to working_days"), Error);
    CHECK_THROWS_WITH_AS(TimeLimit::from_json(R"({"value": 1.5, "unit": "working_hours"})"),
                         doctest::Contains("value"), Error);
    CHECK_THROWS_WITH_AS(TimeLimit::from_json(R"({"value": -3, "unit": "working_hours"})"),
                         doctest::Contains("negative"), Error);
}

// ---- properties over random instants -------------------------------------------------

TEST_CASE("calendar.property.deadline_and_working_time_are_exact_inverses") {
    const WorkingCalendar& cal = national();
    std::mt19937_64 rng(20260213);
    std::uniform_int_distribution<std::int64_t> minutes(0, 60 * 7 * 20);  // up to 20 days
    std::uniform_int_distribution<std::int64_t> seconds(0, 3600 * 7 * 20);
    for (int i = 0; i < 5000; ++i) {
        const Instant s = random_instant(rng, at("2019-01-01T00:00"), at("2026-11-01T00:00"));
        const TimeLimit limit = TimeLimit::working_minutes(minutes(rng));
        CAPTURE(s.to_string());
        CAPTURE(limit.value);
        const Instant d = cal.deadline(s, limit);
        CHECK(cal.working_time_between(s, d) == limit.value * 60);
        if (limit.value > 0) {
            // The earliest such instant: one second less falls short.
            CHECK(cal.working_time_between(s, Instant{d.seconds - 1}) == limit.value * 60 - 1);
        }
        const std::int64_t amount = seconds(rng);
        const Instant e = cal.add_working_seconds(s, amount).deadline;
        CHECK(cal.working_time_between(s, e) == amount);
        CHECK(cal.working_time_between(e, s) == -amount);
    }
}

TEST_CASE("calendar.property.working_time_matches_a_day_by_day_walk") {
    const WorkingCalendar& cal = national();
    std::mt19937_64 rng(1949);
    for (int i = 0; i < 2000; ++i) {
        const Instant a = random_instant(rng, at("2019-01-01T00:00"), at("2026-11-01T00:00"));
        const Instant b = random_instant(rng, a, Instant{a.seconds + 40 * 86400});
        CAPTURE(a.to_string());
        CAPTURE(b.to_string());
        CHECK(cal.working_time_between(a, b) == walked_working_time(cal, a, b));
    }
}

TEST_CASE("calendar.property.deadlines_are_monotonic") {
    const WorkingCalendar& cal = national();
    std::mt19937_64 rng(2015);
    std::uniform_int_distribution<std::int64_t> hours(0, 200);
    const TimeLimit cob3 = TimeLimit::working_days(3, WorkingDayRule::close_of_business);
    for (int i = 0; i < 3000; ++i) {
        Instant s1 = random_instant(rng, at("2019-01-01T00:00"), at("2026-10-01T00:00"));
        Instant s2 = random_instant(rng, at("2019-01-01T00:00"), at("2026-10-01T00:00"));
        if (s2 < s1)
            std::swap(s1, s2);
        std::int64_t l1 = hours(rng);
        std::int64_t l2 = hours(rng);
        if (l2 < l1)
            std::swap(l1, l2);
        CAPTURE(s1.to_string());
        CAPTURE(s2.to_string());
        CHECK(cal.deadline(s1, TimeLimit::working_hours(l1)) <=
              cal.deadline(s2, TimeLimit::working_hours(l1)));
        CHECK(cal.deadline(s1, TimeLimit::working_hours(l1)) <=
              cal.deadline(s1, TimeLimit::working_hours(l2)));
        CHECK(cal.deadline(s1, cob3) <= cal.deadline(s2, cob3));
        CHECK(cal.working_time_between(s1, s2) >= 0);
        CHECK(cal.working_time_between(s1, s2) <=
              cal.working_time_between(s1, Instant{s2.seconds + 3600}));
    }
}

TEST_CASE("calendar.property.a_pause_without_working_time_changes_nothing") {
    const WorkingCalendar& cal = national();
    std::mt19937_64 rng(8012);
    std::uniform_int_distribution<std::int64_t> hours(1, 40);
    int pauses_tried = 0;
    for (int i = 0; i < 2000; ++i) {
        const Instant start = random_instant(rng, at("2019-01-01T00:00"), at("2026-09-01T00:00"));
        const TimeLimit limit = TimeLimit::working_hours(hours(rng));
        // The longest pause from a random instant that still contains no working time: up
        // to one second before working time resumes.
        const Instant p = random_instant(rng, start, Instant{start.seconds + 10 * 86400});
        const Instant q{cal.add_working_seconds(p, 1).deadline.seconds - 1};
        REQUIRE(cal.working_time_between(p, q) == 0);
        const Instant now = random_instant(rng, start, Instant{start.seconds + 30 * 86400});
        StepClock plain(start, limit);
        StepClock paused(start, limit);
        paused.pause(p);
        paused.resume(q);
        if (q > p)
            ++pauses_tried;
        CAPTURE(start.to_string());
        CAPTURE(p.to_string());
        CAPTURE(now.to_string());
        const ClockStatus a = plain.status(cal, now);
        const ClockStatus b = paused.status(cal, now);
        CHECK(a.elapsed == b.elapsed);
        CHECK(a.deadline == b.deadline);
        CHECK(a.light == b.light);
    }
    CHECK(pauses_tried > 1000);
}

// ---- the step clock ------------------------------------------------------------------

TEST_CASE("calendar.clock.traffic_light_over_a_working_day") {
    const WorkingCalendar& cal = national();
    // A 4-working-hour step started Monday 09:00: three hours before lunch, one after, so
    // the deadline is 15:00 the same day.
    const StepClock clock(at("2026-03-02T09:00"), TimeLimit::working_hours(4));
    const ClockStatus early = clock.status(cal, at("2026-03-02T10:00"));
    CHECK(early.working_time);
    CHECK(early.limit == 4 * hour);
    CHECK(early.elapsed == hour);
    CHECK(early.remaining == 3 * hour);
    CHECK(early.deadline == at("2026-03-02T15:00"));
    CHECK(early.light == Light::green);
    CHECK_FALSE(early.overdue);
    // 80 % is 3 h 12 min of working time: 14:12.
    CHECK(clock.status(cal, at("2026-03-02T14:11")).light == Light::green);
    CHECK(clock.status(cal, at("2026-03-02T14:12")).light == Light::yellow);
    const ClockStatus due = clock.status(cal, at("2026-03-02T15:00"));
    CHECK(due.light == Light::red);
    CHECK_FALSE(due.overdue);
    CHECK(due.remaining == 0);
    const ClockStatus late = clock.status(cal, at("2026-03-02T16:00"));
    CHECK(late.overdue);
    CHECK(late.overdue_by == hour);
    // Overdue time is clock time: it stops at 17:30 and does not grow overnight.
    CHECK(clock.status(cal, at("2026-03-02T23:00")).overdue_by == 2 * hour + 30 * 60);
    CHECK(clock.status(cal, at("2026-03-02T23:00")).overdue);
    SUBCASE("before the start nothing has elapsed") {
        const ClockStatus s = clock.status(cal, at("2026-03-01T12:00"));
        CHECK(s.elapsed == 0);
        CHECK(s.light == Light::green);
    }
    SUBCASE("configurable thresholds") {
        StepClock strict(at("2026-03-02T09:00"), TimeLimit::working_hours(4), {0.5, 0.75});
        CHECK(strict.status(cal, at("2026-03-02T10:59")).light == Light::green);
        CHECK(strict.status(cal, at("2026-03-02T11:00")).light == Light::yellow);
        CHECK(strict.status(cal, at("2026-03-02T14:00")).light == Light::red);
        CHECK_FALSE(strict.status(cal, at("2026-03-02T14:00")).overdue);
        CHECK_THROWS_WITH_AS(strict.set_thresholds({0.9, 0.8}),
                             doctest::Contains("0 < yellow <= red"), Error);
    }
}

TEST_CASE("calendar.clock.suspension_stops_and_resumption_restarts_it") {
    const WorkingCalendar& cal = national();
    StepClock clock(at("2026-03-02T09:00"), TimeLimit::working_hours(4));
    clock.pause(at("2026-03-02T10:00"));
    SUBCASE("while suspended") {
        const ClockStatus s = clock.status(cal, at("2026-03-03T09:00"));
        CHECK(s.paused);
        CHECK(s.elapsed == hour);
        // If resumed now, three working hours remain: 09:00 + 3 h = 12:00.
        CHECK(s.deadline == at("2026-03-03T12:00"));
        CHECK(clock.paused());
    }
    clock.resume(at("2026-03-03T10:00"));
    const ClockStatus s = clock.status(cal, at("2026-03-03T11:00"));
    CHECK_FALSE(s.paused);
    CHECK(s.elapsed == 2 * hour);
    CHECK(s.deadline == at("2026-03-03T15:00"));
    SUBCASE("reading the past ignores what came later") {
        const ClockStatus before = clock.status(cal, at("2026-03-02T09:30"));
        CHECK_FALSE(before.paused);
        CHECK(before.deadline == at("2026-03-02T15:00"));
    }
    SUBCASE("invalid sequences") {
        CHECK_THROWS_WITH_AS(clock.resume(at("2026-03-03T12:00")), "the clock is not suspended",
                             Error);
        clock.pause(at("2026-03-03T12:00"));
        try {
            clock.pause(at("2026-03-03T13:00"));
            FAIL("paused twice");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_state);
        }
        CHECK_THROWS_WITH_AS(clock.resume(at("2026-03-03T11:00")),
                             doctest::Contains("before the suspension"), Error);
        StepClock other(at("2026-03-02T09:00"), TimeLimit::working_hours(4));
        CHECK_THROWS_WITH_AS(other.pause(at("2026-03-01T09:00")),
                             doctest::Contains("before the start"), Error);
    }
}

TEST_CASE("calendar.clock.extensions_add_from_the_grant_on") {
    const WorkingCalendar& cal = national();
    StepClock clock(at("2026-03-02T08:30"), TimeLimit::working_days(1));
    clock.extend(at("2026-03-02T16:00"), TimeLimit::working_days(2));
    CHECK(clock.status(cal, at("2026-03-02T15:00")).deadline == at("2026-03-02T17:30"));
    const ClockStatus s = clock.status(cal, at("2026-03-02T16:00"));
    CHECK(s.limit == 3 * 7 * hour);
    CHECK(s.deadline == at("2026-03-04T17:30"));
    clock.extend(at("2026-03-03T09:00"), TimeLimit::working_hours(2));
    CHECK(clock.status(cal, at("2026-03-03T09:00")).deadline == at("2026-03-05T10:30"));
    CHECK_THROWS_WITH_AS(clock.extend(at("2026-03-03T09:00"), TimeLimit::natural_hours(2)),
                         doctest::Contains("does not fit a clock that counts working time"), Error);
    CHECK_THROWS_WITH_AS(clock.extend(at("2026-03-01T09:00"), TimeLimit::working_hours(2)),
                         doctest::Contains("before the start"), Error);
}

TEST_CASE("calendar.clock.natural_and_close_of_business_limits") {
    const WorkingCalendar& cal = national();
    SUBCASE("natural hours ignore the calendar, even across unpublished years") {
        StepClock clock(at("2026-12-31T20:00"), TimeLimit::natural_hours(24));
        clock.pause(at("2027-01-01T02:00"));
        clock.resume(at("2027-01-01T04:00"));
        const ClockStatus s = clock.status(cal, at("2027-01-01T08:00"));
        CHECK_FALSE(s.working_time);
        CHECK(s.elapsed == 10 * hour);
        CHECK(s.deadline == at("2027-01-01T22:00"));
        CHECK(s.assumed_years.empty());
    }
    SUBCASE("close of business counts as the working time up to it") {
        const StepClock clock(at("2026-03-06T16:00"),
                              TimeLimit::working_days(1, WorkingDayRule::close_of_business));
        const ClockStatus s = clock.status(cal, at("2026-03-06T17:00"));
        CHECK(s.limit == 90 * 60 + 7 * hour);
        CHECK(s.deadline == at("2026-03-09T17:30"));
    }
}

TEST_CASE("calendar.clock.no_data_is_an_error_unless_assumed") {
    const WorkingCalendar& cal = national();
    const StepClock clock(at("2026-12-31T16:00"), TimeLimit::working_hours(4));
    CHECK_THROWS_WITH_AS(clock.status(cal, at("2026-12-31T17:00")),
                         "the calendar has no data for 2027", Error);
    const ClockStatus s = clock.status(cal, at("2026-12-31T17:00"), NoDataPolicy::assume_weekdays);
    CHECK(s.elapsed == hour);
    CHECK(s.deadline == at("2027-01-01T11:00"));
    CHECK(s.assumed_years == std::vector<int>{2027});
}

TEST_CASE("calendar.bulk.deadlines_match_one_by_one") {
    const WorkingCalendar& cal = national();
    std::mt19937_64 rng(7);
    std::vector<std::int64_t> starts(500);
    for (std::int64_t& s : starts) {
        s = random_instant(rng, at("2019-01-01T00:00"), at("2026-06-01T00:00")).seconds;
    }
    std::vector<std::int64_t> out(starts.size());
    const TimeLimit limit = TimeLimit::working_days(5, WorkingDayRule::close_of_business);
    CHECK(cal.deadlines(starts.data(), starts.size(), limit, out.data()).empty());
    for (std::size_t i = 0; i < starts.size(); ++i) {
        CHECK(out[i] == cal.deadline(Instant{starts[i]}, limit).seconds);
    }
    const std::int64_t late[] = {at("2026-12-31T17:00").seconds, at("2026-03-02T09:00").seconds};
    std::int64_t late_out[2];
    CHECK_THROWS_WITH_AS(cal.deadlines(late, 2, limit, late_out),
                         "the calendar has no data for 2027", Error);
    CHECK(cal.deadlines(late, 2, limit, late_out, NoDataPolicy::assume_weekdays) ==
          std::vector<int>{2027});
}

TEST_CASE("calendar.copy_is_independent") {
    WorkingCalendar a;
    WorkingCalendar b = a;
    b.add_override(DayOverride{day("2026-03-04"), true, "local"});
    CHECK(a.is_working_day(day("2026-03-04")));
    CHECK_FALSE(b.is_working_day(day("2026-03-04")));
}
