// Duties on a schedule: schedules as data, their occurrences on the 2026 working calendar
// (the Spring Festival weeks, make-up Saturdays, holidays on a Friday), fulfilments on
// time, late and missing, the indicators and findings — with the seeds' own rules.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

using gridgov_test::at;
using gridgov_test::node;
using gridgov_test::person;
using gridgov_test::post;

/// 青石镇 with one village and two grids: 信息员 P1 at G1, P2 (post A) and P3 (post B) at G2,
/// the village's 二级网格长 PV, the township's 一级网格长 PT.
struct Township {
    Hierarchy h;
    Directory dir{Catalogue::preset("township_000")};
    NodeId town{}, village{}, g1{}, g2{};

    Township() {
        h.add_all({node("371338101", "", "township", "青石镇"),
                   node("371338101001", "371338101", "village", "青石村"),
                   node("371338101001001", "371338101001", "grid", "青石村第一网格"),
                   node("371338101001002", "371338101001", "grid", "青石村第二网格")});
        town = h.at("371338101");
        village = h.at("371338101001");
        g1 = h.at("371338101001001");
        g2 = h.at("371338101001002");
        for (const char* id : {"P1", "P2", "P3", "PV", "PT"})
            dir.add_person(person(id));
        dir.add_assignments(
            h,
            {post("P1", "grid_information_officer", g1), post("P2", "grid_information_officer", g2),
             post("P3", "grid_information_officer", g2, Post::b),
             post("PV", "village_grid_leader", village), post("PT", "township_grid_leader", town)});
        // P2 is away over the Spring Festival week and the one before it.
        Absence leave;
        leave.person = "P2";
        leave.period = {Date::parse("2026-02-09"), Date::parse("2026-02-21")};
        dir.add_absence(leave);
    }
};

DutyFulfilment done(const std::string& id, const std::string& duty, const std::string& place,
                    const std::string& who, const std::string& when,
                    const std::string& occurrence = "") {
    DutyFulfilment f;
    f.id = id;
    f.duty = duty;
    f.place = place;
    f.person = who;
    f.at = at(when);
    f.occurrence = occurrence;
    f.evidence = {"minutes.pdf"};
    return f;
}

std::vector<DutyOccurrence> of_duty(const std::vector<DutyOccurrence>& all, const std::string& duty,
                                    const std::string& place = "") {
    std::vector<DutyOccurrence> out;
    for (const DutyOccurrence& o : all) {
        if (o.duty == duty && (place.empty() || o.place == place))
            out.push_back(o);
    }
    return out;
}

const char* const g1_code = "371338101001001";
const char* const g2_code = "371338101001002";

}  // namespace

TEST_CASE("duties.names_and_labels") {
    CHECK(parse_recurrence("每季度") == Recurrence::quarterly);
    CHECK(std::string(recurrence_name(Recurrence::half_yearly)) == "half_yearly");
    CHECK_THROWS_WITH_AS(parse_recurrence("fortnightly"),
                         doctest::Contains("unknown recurrence 'fortnightly'"), Error);
    CHECK(parse_due_shift("none") == DueShift::none);
    CHECK(parse_duty_scope("person") == DutyScope::person);
    CHECK(std::string(occurrence_status_name(OccurrenceStatus::done_late)) == "done_late");
    // ISO weeks: 2026-01-01 is a Thursday, so week 1 runs from 2025-12-29.
    CHECK(occurrence_label(Recurrence::weekly, Date::parse("2025-12-29")) == "2026-W01");
    CHECK(occurrence_label(Recurrence::weekly, Date::parse("2026-02-14")) == "2026-W07");
    CHECK(occurrence_label(Recurrence::weekly, Date::parse("2027-01-01")) == "2026-W53");
    CHECK(occurrence_label(Recurrence::daily, Date::parse("2026-03-15")) == "2026-03-15");
    CHECK(occurrence_label(Recurrence::monthly, Date::parse("2026-03-15")) == "2026-03");
    CHECK(occurrence_label(Recurrence::quarterly, Date::parse("2026-08-15")) == "2026-Q3");
    CHECK(occurrence_label(Recurrence::half_yearly, Date::parse("2026-08-15")) == "2026-H2");
    CHECK(occurrence_label(Recurrence::yearly, Date::parse("2026-08-15")) == "2026");
}

TEST_CASE("duties.catalogue_json_presets_and_validation") {
    const DutyCatalogue seeds = DutyCatalogue::preset("seed_defaults");
    CHECK(DutyCatalogue::preset_keys() ==
          std::vector<std::string>{"market_supervision_002", "seed_defaults"});
    CHECK(seeds.schedules.size() == 10);
    const DutySchedule& sanitation = seeds.at("sanitation_day");
    CHECK(sanitation.day == 15);
    CHECK(sanitation.shift == DueShift::none);
    CHECK(seeds.at("registration_check").per == DutyScope::person);
    CHECK(DutyCatalogue::from_json(seeds.to_json()) == seeds);
    const DutyCatalogue market = DutyCatalogue::preset("market_supervision_002");
    CHECK(market.at("section_friday_report").minute == 12 * 60);
    CHECK(market.at("section_friday_report").weekday == 5);
    CHECK_THROWS_WITH_AS(DutyCatalogue::preset("fire"), doctest::Contains("no duty catalogue"),
                         Error);

    Township t;
    // The seed defaults fit the township preset's roles and levels.
    CHECK(seeds.validate(t.dir.catalogue(), t.h).empty());
    // The 段管员's Friday report needs the role (and its overlay).
    const std::vector<Finding> without = market.validate(t.dir.catalogue(), t.h);
    REQUIRE(without.size() == 1);
    CHECK(without[0].rule == "duty.unknown_owner");
    CHECK(without[0].where == "section_friday_report");

    DutyCatalogue broken = seeds;
    broken.schedules[0].owner = "function:chef";
    broken.schedules[1].level = "county";
    broken.schedules[2].weekday = 8;
    broken.schedules[3].key = "visiting round";
    broken.schedules[4].quota = 0;
    broken.schedules.push_back(seeds.schedules[5]);
    std::set<std::string> rules;
    for (const Finding& f : broken.validate(t.dir.catalogue(), t.h)) {
        CHECK(f.severity == Severity::error);
        rules.insert(f.rule);
    }
    CHECK(rules == std::set<std::string>{"duty.unknown_owner", "duty.unknown_level",
                                         "duty.bad_weekday", "duty.bad_key", "duty.zero_quota",
                                         "duty.duplicate_key"});

    // Bad input names the source, the schedule and the field.
    const auto refused = [](const std::string& schedule) {
        try {
            DutyCatalogue::from_json(R"({"schedules": [)" + schedule + "]}", "duties.json");
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused(R"({"key": "a", "every": "weekly"})") ==
          "duties.json /schedules/0 field 'owner': missing");
    CHECK(refused(R"({"key": "a", "owner": "x", "every": "fortnightly"})")
              .find("duties.json /schedules/0 field 'every': unknown recurrence") == 0);
    CHECK(refused(R"({"key": "a", "owner": "x", "every": "weekly", "time": "25:00"})") ==
          "duties.json /schedules/0 field 'time': time \"25:00\" is not HH:MM between 00:00 and "
          "24:00");
    CHECK(refused(R"({"key": "a", "owner": "x", "every": "weekly", "weekday": 9})") ==
          "duties.json /schedules/0 field 'weekday': 9 is not between 0 and 7");
    CHECK(refused(R"({"key": "a", "owner": "x", "every": "monthly", "quota": 0})") ==
          "duties.json /schedules/0 field 'quota': 0 is not at least 1");
    CHECK_THROWS_AS(DutyCatalogue::from_json(
                        R"({"schedules": [{"key": "a", "owner": "x", "every": "weekly"},
                                          {"key": "a", "owner": "y", "every": "monthly"}]})"),
                    Error);
    CHECK_THROWS_AS(DutyCatalogue::from_json("{"), Error);
    CHECK(refused(R"({"key": "a", "owner": "x", "every": "weekly", "wekday": 5})") ==
          "duties.json /schedules/0 field 'wekday': unknown member");
    CHECK(refused(R"({"key": "a", "owner": "x\ty", "every": "weekly"})")
              .find("duties.json /schedules/0 field 'owner': control character") == 0);
}

TEST_CASE("duties.occurrences_fall_due_on_the_working_calendar") {
    Township t;
    const DutyCatalogue seeds = DutyCatalogue::preset("seed_defaults");
    const WorkingCalendar calendar;
    const AssessmentPeriod february = AssessmentPeriod::parse("2026-02");
    const std::vector<DutyOccurrence> all =
        duty_occurrences(seeds, {}, t.dir, t.h, calendar, february, at("2026-03-02T09:00"));

    // The grid's weekly report falls due on the last working day of each week: Friday
    // 02-06, the make-up Saturday 02-14; the Spring Festival week 02-16…22 has no working
    // day and owes nothing; the week of 02-23 ends on the make-up Saturday 02-28.
    const std::vector<DutyOccurrence> weekly = of_duty(all, "grid_weekly_report", g1_code);
    REQUIRE(weekly.size() == 3);
    CHECK(weekly[0].label == "2026-W06");
    CHECK(weekly[0].due_date == Date::parse("2026-02-06"));
    CHECK(weekly[1].label == "2026-W07");
    CHECK(weekly[1].due_date == Date::parse("2026-02-14"));
    CHECK(weekly[2].label == "2026-W09");
    CHECK(weekly[2].due == at("2026-03-01T00:00"));  // the end of 02-28
    CHECK(weekly[0].person == "P1");
    // At G2 the holder is away in week 7: the backup on post B owes it.
    const std::vector<DutyOccurrence> g2 = of_duty(all, "grid_weekly_report", g2_code);
    REQUIRE(g2.size() == 3);
    CHECK(g2[0].person == "P2");
    CHECK(g2[1].person == "P3");
    CHECK(g2[2].person == "P2");

    // The community's monthly report: the last day of February, a make-up workday.
    const std::vector<DutyOccurrence> monthly = of_duty(all, "village_monthly_report");
    REQUIRE(monthly.size() == 1);
    CHECK(monthly[0].place == "371338101001");
    CHECK(monthly[0].person == "PV");
    CHECK(monthly[0].due_date == Date::parse("2026-02-28"));
    // The sanitation day is the 15th even on a holiday Sunday (seed 003).
    const std::vector<DutyOccurrence> sanitation = of_duty(all, "sanitation_day");
    REQUIRE(sanitation.size() == 2);
    CHECK(sanitation[0].due_date == Date::parse("2026-02-15"));
    // Per person: one occurrence for each post-A holder (not the backup).
    const std::vector<DutyOccurrence> checks = of_duty(all, "registration_check");
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].person == "P1");
    CHECK(checks[1].person == "P2");
    // The township's monthly fire check; nothing quarterly or half-yearly in February.
    CHECK(of_duty(all, "fire_township_check").size() == 1);
    CHECK(of_duty(all, "fire_township_check")[0].person == "PT");
    CHECK(of_duty(all, "visiting_round").empty());
    CHECK(of_duty(all, "fire_joint_meeting").empty());

    // Quarterly and half-yearly: the last day of the quarter and the half.
    const std::vector<DutyOccurrence> june =
        duty_occurrences(seeds, {}, t.dir, t.h, calendar, AssessmentPeriod::parse("2026-06"),
                         at("2026-07-01T00:00"));
    REQUIRE(of_duty(june, "fire_joint_meeting").size() == 1);
    CHECK(of_duty(june, "fire_joint_meeting")[0].label == "2026-Q2");
    CHECK(of_duty(june, "fire_joint_meeting")[0].due_date == Date::parse("2026-06-30"));
    CHECK(of_duty(june, "fire_duty_review")[0].label == "2026-H1");
    CHECK(of_duty(june, "visiting_round").size() == 2);  // one per grid
    // A year's worth: four visiting rounds per grid (seed 001 篇1: 一年集中入户走访四次).
    const std::vector<DutyOccurrence> year = duty_occurrences(
        seeds, {}, t.dir, t.h, calendar, AssessmentPeriod::parse("2026"), at("2027-01-01T00:00"));
    CHECK(of_duty(year, "visiting_round", g1_code).size() == 4);
    CHECK(of_duty(year, "fire_duty_review").size() == 2);
    CHECK(of_duty(year, "village_monthly_report").size() == 12);
    CHECK_FALSE(of_duty(year, "grid_weekly_report", g1_code).front().assumed);
    // A calendar without the year's notice: the weekday rule, and every occurrence says
    // so. The last week of 2026 then ends on Friday 2027-01-01, in January's occurrences.
    const WorkingCalendar bare = WorkingCalendar::without_data();
    const std::vector<DutyOccurrence> january =
        of_duty(duty_occurrences(seeds, {}, t.dir, t.h, bare, AssessmentPeriod::parse("2027-01"),
                                 at("2027-02-01T00:00")),
                "grid_weekly_report", g1_code);
    REQUIRE(january.size() == 5);
    CHECK(january[0].label == "2026-W53");
    CHECK(january[0].due_date == Date::parse("2027-01-01"));
    CHECK(january[0].assumed);
}

TEST_CASE("duties.fulfilments_on_time_late_and_missing") {
    Township t;
    const DutyCatalogue seeds = DutyCatalogue::preset("seed_defaults");
    const WorkingCalendar calendar;
    const AssessmentPeriod february = AssessmentPeriod::parse("2026-02");
    const std::vector<DutyFulfilment> done_list = {
        done("F1", "grid_weekly_report", g1_code, "P1", "2026-02-06T16:00"),
        // Week 7's report made after the holiday names its week: late.
        done("F2", "grid_weekly_report", g1_code, "P1", "2026-02-24T10:00", "2026-W07"),
        // G2's report made by the backup counts for the grid.
        done("F3", "grid_weekly_report", g2_code, "P3", "2026-02-06T11:00"),
        done("F4", "grid_weekly_report", g2_code, "P3", "2026-02-13T11:00"),
        // Without a label: the week containing the instant (week 9).
        done("F5", "grid_weekly_report", g2_code, "P2", "2026-02-27T17:00"),
        // Another place's or another duty's fulfilments do not count here.
        done("F6", "grid_weekly_report", "371338101001", "PV", "2026-02-27T17:00"),
        done("F7", "registration_check", g1_code, "P1", "2026-02-20T10:00"),
        // Per person: P3's check is not P2's.
        done("F8", "registration_check", g2_code, "P3", "2026-02-20T10:00"),
        done("F9", "unknown_duty", g1_code, "P1", "2026-02-20T10:00"),
    };
    const std::vector<DutyOccurrence> all =
        duty_occurrences(seeds, done_list, t.dir, t.h, calendar, february, at("2026-03-02T09:00"));
    const std::vector<DutyOccurrence> g1 = of_duty(all, "grid_weekly_report", g1_code);
    REQUIRE(g1.size() == 3);
    CHECK(g1[0].status == OccurrenceStatus::done_on_time);
    CHECK(g1[0].fulfilments == std::vector<std::string>{"F1"});
    CHECK(g1[1].status == OccurrenceStatus::done_late);
    CHECK(g1[1].fulfilled == 1);
    CHECK(g1[1].on_time == 0);
    CHECK(g1[2].status == OccurrenceStatus::missed);
    const std::vector<DutyOccurrence> g2 = of_duty(all, "grid_weekly_report", g2_code);
    CHECK(g2[0].status == OccurrenceStatus::done_on_time);
    CHECK(g2[1].status == OccurrenceStatus::done_on_time);
    CHECK(g2[2].status == OccurrenceStatus::done_on_time);
    CHECK(g2[2].fulfilments == std::vector<std::string>{"F5"});
    const std::vector<DutyOccurrence> checks = of_duty(all, "registration_check");
    CHECK(checks[0].status == OccurrenceStatus::done_on_time);
    CHECK(checks[1].status == OccurrenceStatus::missed);

    // Read before the end of 02-28, week 9 at G1 is still open; fulfilments made after the
    // instant read are not seen.
    const std::vector<DutyOccurrence> earlier =
        duty_occurrences(seeds, done_list, t.dir, t.h, calendar, february, at("2026-02-20T09:00"));
    const std::vector<DutyOccurrence> g1_then = of_duty(earlier, "grid_weekly_report", g1_code);
    CHECK(g1_then[1].status == OccurrenceStatus::missed);  // week 7, not yet reported
    CHECK(g1_then[2].status == OccurrenceStatus::open);

    // Indicators of G1's weekly reports: 3 due, 1 on time, 1 late, 1 missed.
    const IndicatorValues v = duty_values(g1);
    CHECK(*v.at("duty_due").value == 3);
    CHECK(*v.at("duty_done").value == 2);
    CHECK(*v.at("duty_done_on_time").value == 1);
    CHECK(*v.at("duty_done_late").value == 1);
    CHECK(*v.at("duty_missed").value == 1);
    CHECK(*v.at("duty_open").value == 0);
    CHECK(*v.at("duty_on_time_rate").value == doctest::Approx(100.0 / 3));
    CHECK(*v.at("duty_shortfall").value == 1);
    CHECK(v.at("duty_missed").sources ==
          std::vector<std::string>{"grid_weekly_report@2026-W09@371338101001001"});
    const IndicatorValues none_settled = duty_values(of_duty(earlier, "village_monthly_report"));
    CHECK_FALSE(none_settled.at("duty_on_time_rate").defined());
    CHECK(none_settled.at("duty_on_time_rate").reason == "no occurrence is done or past due");

    // A quota: three checks a month, two made → missed with a shortfall of one (the pay
    // deduction per missing check of seed 001 篇7 reads it).
    DutyCatalogue quota = seeds;
    quota.schedules = {seeds.at("registration_check")};
    quota.schedules[0].quota = 3;
    std::vector<DutyFulfilment> two = {
        done("Q1", "registration_check", g1_code, "P1", "2026-02-03T10:00"),
        done("Q2", "registration_check", g1_code, "P1", "2026-02-25T10:00")};
    const std::vector<DutyOccurrence> q = of_duty(
        duty_occurrences(quota, two, t.dir, t.h, calendar, february, at("2026-03-02T09:00")),
        "registration_check", g1_code);
    REQUIRE(q.size() == 1);
    CHECK(q[0].status == OccurrenceStatus::missed);
    CHECK(q[0].fulfilled == 2);
    CHECK(*duty_values(q).at("duty_shortfall").value == 1);
    two.push_back(done("Q3", "registration_check", g1_code, "P1", "2026-03-01T10:00", "2026-02"));
    const std::vector<DutyOccurrence> q3 = of_duty(
        duty_occurrences(quota, two, t.dir, t.h, calendar, february, at("2026-03-02T09:00")),
        "registration_check", g1_code);
    CHECK(q3[0].status == OccurrenceStatus::done_late);
    CHECK(*duty_values(q3).at("duty_shortfall").value == 0);

    // By subject: a person, a node with its subtree.
    const Networks networks(t.h);
    CHECK(duty_occurrences_of(all, "P1", networks, t.dir).size() ==
          of_duty(all, "grid_weekly_report", g1_code).size() +
              of_duty(all, "sanitation_day", g1_code).size() + 1);
    CHECK(duty_occurrences_of(all, g2_code, networks, t.dir).size() == 3 + 1 + 1);
    CHECK(duty_occurrences_of(all, "371338101", networks, t.dir).size() == all.size());
    CHECK_THROWS_WITH_AS(duty_occurrences_of(all, "nobody", networks, t.dir),
                         doctest::Contains("\"nobody\" is no person, node or overlay unit"), Error);

    // Findings: the missed ones, at their places.
    const std::vector<Finding> findings = duty_findings(g1);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "duty.missed");
    CHECK(findings[0].where == g1_code);
    CHECK(findings[0].message ==
          "grid_weekly_report 2026-W09 at 371338101001001 due 2026-03-01T00:00:00+08:00 (P1): 0 "
          "of 1 fulfilled");
}

TEST_CASE("duties.unheld_posts_and_posts_on_overlay_units") {
    // A grid without an information officer owes its report to nobody: duty.unheld.
    Township t;
    t.h.add(node("371338101001003", "371338101001", "grid", "青石村第三网格"));
    const DutyCatalogue seeds = DutyCatalogue::preset("seed_defaults");
    const WorkingCalendar calendar;
    const std::vector<DutyOccurrence> all =
        duty_occurrences(seeds, {}, t.dir, t.h, calendar, AssessmentPeriod::parse("2026-03"),
                         at("2026-04-01T09:00"));
    const std::vector<DutyOccurrence> third = of_duty(all, "grid_weekly_report", "371338101001003");
    REQUIRE(third.size() == 4);  // the weeks ending 03-06, 03-13, 03-20, 03-27
    CHECK(third[0].person.empty());
    std::set<std::string> rules;
    for (const Finding& f : duty_findings(third))
        rules.insert(f.rule);
    CHECK(rules == std::set<std::string>{"duty.unheld", "duty.missed"});

    // The 段管员's Friday report (seed 002 第一篇), due before noon; a Friday that is a
    // holiday moves to the working day before — 中秋 (09-25) to Thursday 09-24, and the
    // National Day Friday 10-02 back to Wednesday 09-30, into September.
    Hierarchy h;
    h.add_all({node("371338102", "", "township", "东岭镇"),
               node("371338102201", "371338102", "village", "东岭村"),
               node("371338102201001", "371338102201", "grid", "东岭村第一网格")});
    std::vector<Overlay> overlays;
    overlays.emplace_back("market", "市场监管段区", market_supervision_levels());
    overlays.back().add_unit(gridgov_test::section("D01", "东岭段区", "371338102201"), h);
    const Networks networks(h, overlays);
    Directory dir(gridgov_test::market_catalogue());
    dir.add_person(person("M1", "黄志强"));
    dir.add_assignment(networks, post("M1", "section_officer", networks.place("market:D01").node));
    const DutyCatalogue market = DutyCatalogue::preset("market_supervision_002");
    CHECK(market.validate(dir.catalogue(), networks).empty());
    const std::vector<DutyFulfilment> reports = {
        done("R1", "section_friday_report", "market:D01", "M1", "2026-09-04T11:30"),
        done("R2", "section_friday_report", "market:D01", "M1", "2026-09-11T14:00")};
    const std::vector<DutyOccurrence> september =
        duty_occurrences(market, reports, dir, networks, calendar,
                         AssessmentPeriod::parse("2026-09"), at("2026-10-08T09:00"));
    REQUIRE(september.size() == 5);
    CHECK(september[0].place == "market:D01");
    CHECK(september[0].person == "M1");
    CHECK(september[0].due == at("2026-09-04T12:00"));
    CHECK(september[0].status == OccurrenceStatus::done_on_time);
    CHECK(september[1].status == OccurrenceStatus::done_late);  // after noon
    CHECK(september[3].due_date == Date::parse("2026-09-24"));
    CHECK(september[4].label == "2026-W40");
    CHECK(september[4].due_date == Date::parse("2026-09-30"));
    const std::vector<DutyOccurrence> october =
        duty_occurrences(market, reports, dir, networks, calendar,
                         AssessmentPeriod::parse("2026-10"), at("2026-11-01T09:00"));
    REQUIRE(october.size() == 4);
    CHECK(october[0].label == "2026-W41");
    // By the unit as subject.
    CHECK(duty_occurrences_of(september, "market:D01", networks, dir).size() == 5);
}

TEST_CASE("duties.workspace_keeps_the_catalogue_and_the_fulfilments" *
          doctest::test_suite("store")) {
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "duties.gridgov");
    const DutyCatalogue seeds = DutyCatalogue::preset("seed_defaults");
    const AssessmentPeriod february = AssessmentPeriod::parse("2026-02");
    const Instant read_at = at("2026-03-02T09:00");
    std::vector<DutyOccurrence> expected;
    {
        Workspace ws = Workspace::open(path);
        ws.directory().set_catalogue(Catalogue::preset("township_000"));
        ws.hierarchy().add_nodes({node("371338101", "", "township", "青石镇"),
                                  node("371338101001", "371338101", "village", "青石村"),
                                  node(g1_code, "371338101001", "grid", "青石村第一网格"),
                                  node(g2_code, "371338101001", "grid", "青石村第二网格")});
        const Hierarchy& h = ws.hierarchy().view();
        ws.directory().add_people({person("P1"), person("P2"), person("PV")});
        ws.directory().add_assignments({post("P1", "grid_information_officer", h.at(g1_code)),
                                        post("P2", "grid_information_officer", h.at(g2_code)),
                                        post("PV", "village_grid_leader", h.at("371338101001"))});
        CHECK(ws.duties().catalogue().schedules.empty());
        CHECK(ws.duties().occurrences(february, read_at).empty());

        // A catalogue whose owner the directory lacks is refused whole.
        CHECK_THROWS_WITH_AS(
            ws.duties().set_catalogue(DutyCatalogue::preset("market_supervision_002")),
            doctest::Contains("[duty.unknown_owner]"), Error);
        CHECK(ws.duties().catalogue().schedules.empty());
        ws.duties().set_catalogue(seeds);
        CHECK(ws.duties().catalogue() == seeds);

        DutyFulfilment f1 = done("F1", "grid_weekly_report", g1_code, "P1", "2026-02-06T16:00");
        f1.note = "本周巡查 12 次";
        const DutyFulfilment f2 =
            done("F2", "grid_weekly_report", g1_code, "P1", "2026-02-24T10:00", "2026-W07");
        ws.duties().add_fulfilments({f1, f2});
        REQUIRE(ws.duties().fulfilments().size() == 2);

        // Refusals name the fulfilment and the field, and record nothing.
        const auto refused = [&](const DutyFulfilment& f, ErrorCode code, const std::string& text) {
            try {
                ws.duties().add_fulfilments(
                    {done("OK", "sanitation_day", g2_code, "P2", "2026-02-15T10:00"), f});
                FAIL("accepted " << f.id);
            } catch (const Error& e) {
                CHECK(e.code() == code);
                CHECK(std::string(e.what()) == text);
            }
            CHECK(ws.duties().fulfilments().size() == 2);
        };
        refused(done("F1", "grid_weekly_report", g1_code, "P1", "2026-02-13T16:00"),
                ErrorCode::already_exists, "fulfilments[1] field 'id': \"F1\" is already recorded");
        refused(done("F3", "patrol", g1_code, "P1", "2026-02-13T16:00"), ErrorCode::not_found,
                "fulfilments[1] field 'duty': \"patrol\" is not a schedule of the duty catalogue");
        refused(done("F3", "grid_weekly_report", "371338999", "P1", "2026-02-13T16:00"),
                ErrorCode::not_found, "fulfilments[1] field 'place': no live node '371338999'");
        refused(done("F3", "grid_weekly_report", g1_code, "P9", "2026-02-13T16:00"),
                ErrorCode::not_found,
                "fulfilments[1] field 'person': \"P9\" is not a person of the directory");
        refused(done("F3", "grid_weekly_report", g1_code, "P1", "2026-02-13T16:00", "2026-02"),
                ErrorCode::invalid_argument,
                "fulfilments[1] field 'occurrence': \"2026-02\" is not a weekly occurrence label "
                "(2026-W11)");
        refused(done("F3", "grid_weekly_report", g1_code, "P1", "2026-02-13T16:00", "2026-W54"),
                ErrorCode::invalid_argument,
                "fulfilments[1] field 'occurrence': \"2026-W54\" is not a weekly occurrence label "
                "(2026-W11)");
        refused(done("", "grid_weekly_report", g1_code, "P1", "2026-02-13T16:00"),
                ErrorCode::invalid_argument, "fulfilments[1] field 'id': empty");
        DutyFulfilment control =
            done("F3", "grid_weekly_report", g1_code, "P1", "2026-02-13T16:00");
        control.evidence = {"a\nb.jpg"};
        refused(control, ErrorCode::invalid_argument,
                "fulfilments[1] field 'evidence': control character U+000A at byte 1 (a "
                "one-line field takes no control characters, tab and line breaks included)");

        // A catalogue without a schedule that fulfilments name is refused.
        DutyCatalogue fewer = seeds;
        fewer.schedules.erase(fewer.schedules.begin());
        CHECK_THROWS_WITH_AS(ws.duties().set_catalogue(fewer),
                             doctest::Contains("lacks schedule \"grid_weekly_report\""), Error);
        CHECK(ws.duties().catalogue() == seeds);

        // Another connection sees what this one records.
        Workspace other = Workspace::open(path);
        CHECK(other.duties().fulfilments().size() == 2);
        ws.duties().add_fulfilments(
            {done("F3", "sanitation_day", g2_code, "P2", "2026-02-15T10:00")});
        other.refresh();
        CHECK(other.duties().fulfilments().size() == 3);
        expected = ws.duties().occurrences(february, read_at);
    }
    // Reopened: the same catalogue, the fulfilments in order with every field, the same
    // occurrences.
    const Workspace ws = Workspace::open(path);
    CHECK(ws.duties().catalogue() == seeds);
    const std::vector<DutyFulfilment>& kept = ws.duties().fulfilments();
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].id == "F1");
    CHECK(kept[0].note == "本周巡查 12 次");
    CHECK(kept[0].evidence == std::vector<std::string>{"minutes.pdf"});
    CHECK(kept[0].at == at("2026-02-06T16:00"));
    CHECK(kept[1].occurrence == "2026-W07");
    CHECK(kept[2].id == "F3");
    const std::vector<DutyOccurrence> again = ws.duties().occurrences(february, read_at);
    REQUIRE(again.size() == expected.size());
    for (std::size_t i = 0; i < again.size(); ++i) {
        CHECK(again[i].status == expected[i].status);
        CHECK(again[i].fulfilments == expected[i].fulfilments);
    }
    const std::vector<DutyOccurrence> g1 = of_duty(again, "grid_weekly_report", g1_code);
    REQUIRE(g1.size() == 3);
    CHECK(g1[0].status == OccurrenceStatus::done_on_time);
    CHECK(g1[1].status == OccurrenceStatus::done_late);
    CHECK(of_duty(again, "sanitation_day", g2_code)[0].status == OccurrenceStatus::done_on_time);

    // A scheme that reads duty indicators scores each grid from its duties: read at the
    // end of February, G1 did 1 of its 5 occurrences on time (the week 6 report; week 7's
    // came late; week 9's, the sanitation day and the registration check were missed).
    const AssessmentScheme scheme = AssessmentScheme::from_json(R"({
      "key": "duty_check", "label": "定期职责考核", "version": 1, "period": "month",
      "max_total": 100,
      "indicators": [{"key": "duty_on_time_rate", "label": "按时履职率", "unit": "%"},
                     {"key": "duty_missed", "label": "未履职次数", "unit": "count"}],
      "components": [{"key": "on_time", "label": "按时履职", "weight": 1, "max_points": 100,
                      "indicator": "duty_on_time_rate",
                      "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
      "grades": [{"key": "pass", "label": "合格", "min": 60},
                 {"key": "fail", "label": "不合格", "min": 0, "failing": true}]})",
                                                                "duty_check.json");
    WorkspaceAssessOptions grids;
    grids.level = "grid";
    const AssessmentRun run = ws.assessment().assess(scheme, february, grids);
    REQUIRE(run.scores.size() == 2);
    CHECK(run.scores[0].subject.code == g1_code);
    CHECK(*run.scores[0].total == doctest::Approx(20.0));
    CHECK(run.scores[0].failing);
    CHECK(run.scores[0].missing.empty());
    // Read on 02-20 instead: week 7's report not yet made (missed), week 9 and the
    // registration check still open: 1 of 3 on time.
    grids.duties_at = at("2026-02-20T00:00");
    CHECK(*ws.assessment().assess(scheme, february, grids).scores[0].total ==
          doctest::Approx(100.0 / 3));
}

TEST_CASE("duties.occurrence_labels_read_back") {
    for (const Recurrence every :
         {Recurrence::daily, Recurrence::weekly, Recurrence::monthly, Recurrence::quarterly,
          Recurrence::half_yearly, Recurrence::yearly}) {
        for (const char* day : {"2026-01-01", "2026-02-28", "2026-12-31", "2027-01-01"}) {
            const Date d = Date::parse(day);
            const std::string label = occurrence_label(every, d);
            INFO(label);
            const std::optional<Date> start = parse_occurrence_label(every, label);
            REQUIRE(start);
            CHECK(occurrence_label(every, *start) == label);
            CHECK(*start <= d);
        }
    }
    CHECK(*parse_occurrence_label(Recurrence::weekly, "2026-W01") == Date::parse("2025-12-29"));
    CHECK(*parse_occurrence_label(Recurrence::quarterly, "2026-Q3") == Date::parse("2026-07-01"));
    for (const char* bad : {"2026-W54", "2025-W53", "2026-W00", "2026-w10", "2026W10"})
        CHECK_FALSE(parse_occurrence_label(Recurrence::weekly, bad));
    CHECK_FALSE(parse_occurrence_label(Recurrence::monthly, "2026-13"));
    CHECK_FALSE(parse_occurrence_label(Recurrence::monthly, "2026-3"));
    CHECK_FALSE(parse_occurrence_label(Recurrence::quarterly, "2026-Q5"));
    CHECK_FALSE(parse_occurrence_label(Recurrence::half_yearly, "2026-Q1"));
    CHECK_FALSE(parse_occurrence_label(Recurrence::daily, "2026-02-30"));
    CHECK_FALSE(parse_occurrence_label(Recurrence::yearly, "26"));
}

TEST_CASE("duties.a_schema_12_workspace_gains_the_duty_tables" * doctest::test_suite("store")) {
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "old.gridgov");
    {
        Workspace ws = Workspace::open(path);
        ws.directory().set_catalogue(Catalogue::preset("township_000"));
        ws.hierarchy().add_nodes({node("371338101", "", "township", "青石镇")});
    }
    {
        // The file as schema 12 left it: no duty tables, a journal without the module.
        gridgov_test::RawStore raw(path);
        gridgov_test::downgrade_store(raw, 12);
    }
    Workspace ws = Workspace::open(path);
    CHECK(ws.hierarchy().view().size() == 1);
    CHECK(ws.directory().view().catalogue().key == "township_000");
    ws.duties().set_catalogue(DutyCatalogue::preset("seed_defaults"));
    const Workspace again = Workspace::open(path);
    CHECK(again.duties().catalogue().key == "seed_defaults");
}

TEST_CASE("duties.fulfilments_and_occurrences_as_json") {
    const std::vector<DutyFulfilment> list = {
        done("F1", "grid_weekly_report", g1_code, "P1", "2026-02-06T16:00"),
        done("F2", "grid_weekly_report", g1_code, "P1", "2026-02-24T10:00", "2026-W07")};
    const std::string text = fulfilments_to_json(list);
    const std::vector<DutyFulfilment> back = fulfilments_from_json(text, "f.json");
    REQUIRE(back.size() == 2);
    CHECK(back[1].occurrence == "2026-W07");
    CHECK(back[0].at == list[0].at);
    CHECK(back[0].evidence == list[0].evidence);
    CHECK(fulfilments_to_json(back) == text);
    CHECK_THROWS_WITH_AS(fulfilments_from_json(R"([{"id": "F1", "colour": "red"}])", "f.json"),
                         doctest::Contains("f.json fulfilments[0] field 'colour': unknown member"),
                         Error);
    CHECK_THROWS_WITH_AS(fulfilments_from_json(R"({"id": "F1"})", "f.json"),
                         doctest::Contains("(expected an array of fulfilments)"), Error);
    CHECK_THROWS_AS(fulfilments_from_json("[{", "f.json"), Error);

    Township t;
    const std::vector<DutyOccurrence> occurrences =
        of_duty(duty_occurrences(DutyCatalogue::preset("seed_defaults"), list, t.dir, t.h,
                                 WorkingCalendar(), AssessmentPeriod::parse("2026-02"),
                                 at("2026-03-02T09:00")),
                "grid_weekly_report", g1_code);
    const std::string json = occurrences_to_json(occurrences);
    CHECK(json.find(R"("label":"2026-W07","place":"371338101001001","person":"P1")") !=
          std::string::npos);
    CHECK(json.find(R"("status":"done_late")") != std::string::npos);
}
