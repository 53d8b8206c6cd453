#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/calendar.hpp"

using namespace gridgov;

namespace {

bool has_rule(const std::vector<Finding>& findings, const std::string& rule,
              const std::string& where = "") {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
        return f.rule == rule && f.severity == Severity::error &&
               (where.empty() || f.where == where);
    });
}

const ComponentResult& component(const ScoreResult& r, const std::string& key) {
    for (const auto& c : r.components)
        if (c.key == key)
            return c;
    FAIL("no component " << key);
    return r.components.front();
}

ScoreInput input(std::string code, std::string area_class, std::string period,
                 IndicatorValues values, std::string level = "grid") {
    return ScoreInput{AssessmentSubject{std::move(code), std::move(level), std::move(area_class)},
                      AssessmentPeriod::parse(period), std::move(values)};
}

// A month of a grid worker: attendance 95 %, patrols 90 %, the collection rate the seed
// reports for the street (97.32 %), visits 80 %, 3 of 4 special tasks, the seed's mean
// citizen rating 83.2, one report adopted.
IndicatorValues grid_worker_month() {
    return {{"attendance_rate", IndicatorValue::of(95)},
            {"patrol_compliance", IndicatorValue::of(90)},
            {"collection_rate", IndicatorValue::of(97.32)},
            {"visit_compliance", IndicatorValue::of(80)},
            {"tasks_done", IndicatorValue::of(3, {"task-7", "task-8", "task-9"})},
            {"tasks_assigned", IndicatorValue::of(4, {"task-6", "task-7", "task-8", "task-9"})},
            {"community_rating", IndicatorValue::of(83.2)},
            {"reports_adopted", IndicatorValue::of(1)},
            {"commendations", IndicatorValue::of(0)}};
}

std::string minimal_scheme(const std::string& components, const std::string& extra = "") {
    return R"({"key": "t", "period": "month", "indicators": [{"key": "x"}, {"key": "y"}],
               "components": )" +
           components +
           R"(, "grades": [{"key": "pass", "min": 60}, {"key": "fail", "min": 0, "failing": true}])" +
           extra + "}";
}

ScoreResult result(std::string code, std::string period, std::optional<double> total,
                   bool failing) {
    ScoreResult r;
    r.scheme = "grid_worker";
    r.subject = AssessmentSubject{std::move(code), "worker", ""};
    r.period = AssessmentPeriod::parse(period);
    r.total = total;
    r.failing = failing;
    return r;
}

}  // namespace

TEST_CASE("assessment.period.labels_dates_and_neighbours") {
    auto m = AssessmentPeriod::parse("2026-03");
    CHECK(m.kind == PeriodKind::month);
    CHECK(m.label() == "2026-03");
    CHECK(m.dates().from == Date::from_ymd(2026, 3, 1));
    CHECK(m.dates().to == Date::from_ymd(2026, 4, 1));
    CHECK(AssessmentPeriod::parse("2026-01").previous().label() == "2025-12");
    CHECK(AssessmentPeriod::parse("2026-Q4").next().label() == "2027-Q1");
    CHECK(AssessmentPeriod::parse("2026-H2").dates().to == Date::from_ymd(2027, 1, 1));
    CHECK(AssessmentPeriod::parse("2026").kind == PeriodKind::year);
    CHECK(AssessmentPeriod::containing(PeriodKind::quarter, Date::from_ymd(2026, 8, 15)).label() ==
          "2026-Q3");
    CHECK(m.within(AssessmentPeriod::parse("2026-H1")));
    CHECK_FALSE(m.within(AssessmentPeriod::parse("2026-H2")));
    CHECK_THROWS_WITH_AS(AssessmentPeriod::parse("2026-13"), doctest::Contains("out of range"),
                         Error);
    CHECK_THROWS_WITH_AS(AssessmentPeriod::parse("26-1"), doctest::Contains("'26-1'"), Error);
}

TEST_CASE("assessment.rate.zero_denominator_is_undefined") {
    auto r = rate_percent(IndicatorValue::of(0), IndicatorValue::of(0), "应结案数");
    CHECK_FALSE(r.defined());
    CHECK(r.reason == "应结案数 is 0");
    auto ok =
        rate_percent(IndicatorValue::of(9, {"2026-000001"}), IndicatorValue::of(12), "应结案数");
    CHECK(*ok.value == doctest::Approx(75));
    CHECK(ok.sources == std::vector<std::string>{"2026-000001"});
}

TEST_CASE("assessment.presets.all_load_without_warnings") {
    for (const auto& key : AssessmentScheme::preset_keys()) {
        CAPTURE(key);
        auto s = AssessmentScheme::preset(key);
        CHECK(s.key() == key);
        CHECK(s.warnings().empty());
        CHECK(AssessmentScheme::from_json(s.json()).components().size() == s.components().size());
    }
    CHECK(AssessmentScheme::preset_keys().size() == 7);
    CHECK_THROWS_WITH_AS(AssessmentScheme::preset("nope"), doctest::Contains("'nope'"), Error);
    auto gw = AssessmentScheme::preset("grid_worker");
    REQUIRE(gw.components().size() == 4);
    CHECK(gw.components()[0].weight == 0.15);
    CHECK(gw.components()[1].weight == 0.45);
    CHECK(gw.components()[2].weight == 0.30);
    CHECK(gw.components()[3].weight == 0.10);
}

TEST_CASE("assessment.grid_worker.month_by_hand") {
    auto s = AssessmentScheme::preset("grid_worker");
    auto r = score(s, input("420503001001-W01", "", "2026-03", grid_worker_month(), "worker"));
    // attendance 95 x 0.15 = 14.25; daily work 0.4*90 + 0.3*97.32 + 0.3*80 = 89.196, x 0.45 =
    // 40.1382; special tasks 75 x 0.30 = 22.5; community 83.2 x 0.10 = 8.32; sum 85.2082,
    // plus one adopted report +1.
    CHECK(*component(r, "attendance").weighted == doctest::Approx(14.25));
    CHECK(*component(r, "daily_work").points == doctest::Approx(89.196));
    CHECK(*component(r, "special_tasks").points == doctest::Approx(75));
    CHECK(*r.total == doctest::Approx(86.2082));
    CHECK(r.grade == "pass");
    CHECK_FALSE(r.failing);
    REQUIRE(r.adjustments.size() == 2);
    CHECK(r.adjustments[0].points == 1);
    CHECK(r.missing.empty());
}

TEST_CASE("assessment.grid_worker.division_by_zero_excludes_and_renormalises") {
    auto s = AssessmentScheme::preset("grid_worker");
    auto values = grid_worker_month();
    values["tasks_done"] = IndicatorValue::of(0);
    values["tasks_assigned"] = IndicatorValue::of(0);
    auto r = score(s, input("W01", "", "2026-03", values, "worker"));
    const auto& special = component(r, "special_tasks");
    CHECK(special.status == ComponentStatus::excluded);
    CHECK_FALSE(special.points);
    CHECK(special.note.find("division by zero") != std::string::npos);
    // (14.25 + 40.1382 + 8.32) / 0.7 + 1
    CHECK(*r.total == doctest::Approx(62.7082 / 0.7 + 1));
    CHECK(component(r, "attendance").weight == doctest::Approx(0.15 / 0.7));
}

TEST_CASE("assessment.grid_worker.missing_indicator_is_listed_and_undefined") {
    auto s = AssessmentScheme::preset("grid_worker");
    auto values = grid_worker_month();
    values.erase("community_rating");
    auto r = score(s, input("W01", "", "2026-03", values, "worker"));
    CHECK(r.missing == std::vector<std::string>{"community_rating"});
    CHECK(component(r, "community").status == ComponentStatus::excluded);
    CHECK(component(r, "community").note ==
          "indicator 'community_rating' is undefined: not provided");
    CHECK(*r.total == doctest::Approx((14.25 + 40.1382 + 22.5) / 0.9 + 1));
}

TEST_CASE("assessment.undefined.policies") {
    const std::string comps = R"([{"key": "a", "weight": 0.5, "indicator": "x",
          "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}},
        {"key": "b", "weight": 0.5, "formula": "100 * x / y"}])";
    IndicatorValues v{{"x", IndicatorValue::of(50)}, {"y", IndicatorValue::of(0)}};
    SUBCASE("exclude") {
        auto s = AssessmentScheme::from_json(minimal_scheme(comps));
        auto r = score(s, input("G1", "", "2026-03", v));
        CHECK(*r.total == doctest::Approx(50));
    }
    SUBCASE("declared points") {
        auto s = AssessmentScheme::from_json(
            minimal_scheme(R"([{"key": "a", "weight": 0.5, "indicator": "x",
          "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}},
        {"key": "b", "weight": 0.5, "formula": "100 * x / y", "when_undefined": "points", "undefined_points": 80}])"));
        auto r = score(s, input("G1", "", "2026-03", v));
        CHECK(component(r, "b").status == ComponentStatus::undefined_points);
        CHECK(*r.total == doctest::Approx(65));
    }
    SUBCASE("fail") {
        auto s =
            AssessmentScheme::from_json(minimal_scheme(comps, R"(, "when_undefined": "fail")"));
        auto r = score(s, input("G1", "", "2026-03", v));
        CHECK_FALSE(r.total);
        CHECK(r.grade.empty());
        CHECK(r.note.find("component 'b'") != std::string::npos);
    }
    SUBCASE("every component undefined") {
        auto s = AssessmentScheme::from_json(minimal_scheme(comps));
        auto r = score(s, input("G1", "", "2026-03", {}));
        CHECK_FALSE(r.total);
        CHECK(r.missing == std::vector<std::string>{"x", "y"});
        CHECK(r.note == "every component is excluded for undefined indicators");
    }
}

TEST_CASE("assessment.notes_name_the_scale_and_row") {
    // The notes are made once per scheme; they read as they always did (%.6g numbers).
    auto s = AssessmentScheme::from_json(minimal_scheme(
        R"([{"key": "a", "weight": 0.25, "indicator": "x",
             "linear": {"from": 0.5, "points_from": 100, "to": 99.25, "points_to": 1e-7}},
            {"key": "b", "weight": 0.25, "indicator": "x",
             "steps": [{"area_class": "一类", "rows": [{"up_to": 2.5, "points": 100},
                                                      {"up_to": 1234567, "points": 50},
                                                      {"points": 0}]},
                       {"rows": [{"up_to": 1, "points": 90}, {"points": 10}]}]},
            {"key": "c", "weight": 0.25, "constant": 70},
            {"key": "d", "weight": 0.25, "formula": "x + y"}])"));
    IndicatorValues v{{"x", IndicatorValue::of(3)}, {"y", IndicatorValue::of(1)}};
    auto r = score(s, input("G1", "一类", "2026-03", v));
    CHECK(component(r, "a").note == "linear 0.5 -> 100, 99.25 -> 1e-07");
    CHECK(component(r, "b").note == "step table '一类' row up to 1.23457e+06");
    CHECK(component(r, "c").note == "constant");
    CHECK(component(r, "d").note == "formula x + y");
    v["x"] = IndicatorValue::of(2);
    CHECK(component(score(s, input("G1", "一类", "2026-03", v)), "b").note ==
          "step table '一类' row up to 2.5");
    CHECK(component(score(s, input("G1", "二类", "2026-03", v)), "b").note ==
          "step table '' row above");
    v["x"] = IndicatorValue::of(1);
    CHECK(component(score(s, input("G1", "", "2026-03", v)), "b").note ==
          "step table '' row up to 1");
}

TEST_CASE("assessment.urban_region.step_tables_by_area_class") {
    auto s = AssessmentScheme::preset("urban_region");
    IndicatorValues v{
        {"public_report_rate", IndicatorValue::of(5)},
        {"filed", IndicatorValue::of(3, {"2026-000011", "2026-000012", "2026-000015"})},
        {"closure_rate", IndicatorValue::of(96)},
        {"on_time_rate", IndicatorValue::of(90)}};
    // 95 x 0.1 + step x 0.2 + 96 x 0.3 + 90 x 0.4; 3 cases: 一类 75, 二类 90.
    auto first = score(s, input("371327100001", "一类", "2026-03", v));
    CHECK(*component(first, "filed").points == 75);
    CHECK(*first.total == doctest::Approx(89.3));
    CHECK(first.grade == "good");
    auto second = score(s, input("371327100002", "二类", "2026-03", v));
    CHECK(*component(second, "filed").points == 90);
    CHECK(*second.total == doctest::Approx(92.3));
    CHECK(second.grade == "excellent");
    SUBCASE("edges of the 一类 table") {
        for (auto [n, pts] : std::vector<std::pair<double, double>>{
                 {0, 100}, {2, 90}, {4, 75}, {8, 40}, {9, 0}, {40, 0}}) {
            v["filed"] = IndicatorValue::of(n);
            CHECK(*component(score(s, input("G", "一类", "2026-03", v)), "filed").points == pts);
        }
    }
    CHECK_THROWS_WITH_AS(score(s, input("371327100003", "三类", "2026-03", v)),
                         doctest::Contains("no step table for area class '三类'"), Error);
}

TEST_CASE("assessment.urban_supervisor_dispatcher_department.by_hand") {
    auto sup = score(AssessmentScheme::preset("urban_supervisor"),
                     input("P-17", "", "2026-03",
                           {{"valid_report_rate", IndicatorValue::of(90)},
                            {"missed_rate", IndicatorValue::of(10)},
                            {"on_time_verify_rate", IndicatorValue::of(80)},
                            {"on_time_check_rate", IndicatorValue::of(100)}},
                           "supervisor"));
    CHECK(*sup.total == doctest::Approx(36 + 18 + 16 + 20));
    auto dis = score(AssessmentScheme::preset("urban_dispatcher"),
                     input("P-3", "", "2026-03",
                           {{"dispatched", IndicatorValue::of(1500)},
                            {"on_time_dispatch_rate", IndicatorValue::of(95)},
                            {"accurate_dispatch_rate", IndicatorValue::of(85)}},
                           "dispatcher"));
    CHECK(*dis.total == doctest::Approx(18 + 38 + 34));
    auto dep = score(AssessmentScheme::preset("urban_department"),
                     input("D-SZ", "", "2026-03",
                           {{"filed", IndicatorValue::of(120)},
                            {"closure_rate", IndicatorValue::of(95)},
                            {"on_time_handling_rate", IndicatorValue::of(80)},
                            {"rework_rate", IndicatorValue::of(2)}},
                           "department"));
    // 7.5 + 95 x 0.3 + 80 x 0.3 + (100 - 2) x 0.3
    CHECK(*dep.total == doctest::Approx(7.5 + 28.5 + 24 + 29.4));
    CHECK(dep.grade == "good");
}

TEST_CASE("assessment.jinhua.deductions_floor_and_no_emergencies") {
    auto s = AssessmentScheme::preset("jinhua_district");
    IndicatorValues v{
        {"on_time_rate_ex_deferred", IndicatorValue::of(65)},
        {"closure_rate_ex_deferred", IndicatorValue::of(88)},
        {"emergency_closure_rate", IndicatorValue::undefined("紧急问题应结案数 is 0")},
        {"emergency_on_time_rate", IndicatorValue::undefined("紧急问题应结案数 is 0")},
        {"sent_back", IndicatorValue::of(3)},
        {"failed_check_3x", IndicatorValue::of(0)},
        {"faked", IndicatorValue::of(1)},
        {"refused", IndicatorValue::of(0)},
        {"referral_sent_back", IndicatorValue::of(1)},
        {"referral_failed_check_3x", IndicatorValue::of(0)},
        {"referral_faked", IndicatorValue::of(0)},
        {"referral_refused", IndicatorValue::of(0)}};
    auto r = score(s, input("330702", "", "2026-03", v, "district"));
    // 50 - (70 - 65) = 45; 20 - (90 - 88) = 18; no emergencies: 5 + 5; 5 - 0.6 - 1 - 0.4 = 3.
    CHECK(*component(r, "on_time").points == doctest::Approx(45));
    CHECK(*component(r, "closure").points == doctest::Approx(18));
    CHECK(component(r, "emergency_closure").status == ComponentStatus::undefined_points);
    CHECK(*component(r, "rework").points == doctest::Approx(3));
    CHECK(*r.total == doctest::Approx(76));
    CHECK(r.grade == "pass");
    v["sent_back"] = IndicatorValue::of(30);
    CHECK(*component(score(s, input("330702", "", "2026-03", v, "district")), "rework").points ==
          0);
}

TEST_CASE("assessment.explain.down_to_record_ids") {
    auto r = score(AssessmentScheme::preset("grid_worker"),
                   input("W01", "", "2026-03", grid_worker_month(), "worker"));
    auto tree = explain(r);
    CHECK(tree.key == "grid_worker");
    CHECK(*tree.value == doctest::Approx(86.2082));
    REQUIRE(tree.children.size() == 6);  // four components, two scheme-level bonuses
    const auto& special = tree.children[2];
    CHECK(special.key == "special_tasks");
    REQUIRE(special.children.size() == 2);
    CHECK(special.children[0].key == "tasks_assigned");
    CHECK(special.children[1].key == "tasks_done");
    REQUIRE(special.children[1].children.size() == 3);
    CHECK(special.children[1].children[0].key == "task-7");
}

TEST_CASE("assessment.rank.peer_groups_and_tie_break") {
    auto s = AssessmentScheme::preset("urban_region");
    auto v = [](double report, double on_time) {
        return IndicatorValues{{"public_report_rate", IndicatorValue::of(report)},
                               {"filed", IndicatorValue::of(3)},
                               {"closure_rate", IndicatorValue::of(96)},
                               {"on_time_rate", IndicatorValue::of(on_time)}};
    };
    std::vector<ScoreResult> results{
        score(s, input("G-A", "一类", "2026-03", v(5, 90))),     // 9.5 + 15 + 28.8 + 36 = 89.3
        score(s, input("G-B", "一类", "2026-03", v(0, 88.75))),  // 10 + 15 + 28.8 + 35.5 = 89.3
        score(s, input("G-C", "一类", "2026-03", v(50, 60))),
        score(s, input("G-D", "二类", "2026-03", v(50, 60))),
        score(s, input("G-E", "一类", "2026-03", {}))};
    rank(results);
    CHECK(results[1].rank == 1);  // tie on total; higher 监督举报率分值 first
    CHECK(results[0].rank == 2);
    CHECK(results[2].rank == 3);
    CHECK(results[2].peers == 4);
    CHECK(results[3].rank == 1);
    CHECK(results[3].peers == 1);
    CHECK(results[4].rank == 0);
}

TEST_CASE("assessment.aggregate.half_year_and_annual") {
    auto s = AssessmentScheme::preset("grid_worker");
    AssessmentSubject w{"W01", "worker", ""};
    std::vector<ScoreResult> history{
        result("W01", "2026-01", 70, false), result("W01", "2026-02", 80, false),
        result("W01", "2026-03", 90, false), result("W01", "2026-04", 100, false),
        result("W01", "2026-05", 60, false), result("W02", "2026-06", 10, true)};
    auto h1 = aggregate(s, "half_year", w, AssessmentPeriod::parse("2026-H1"), history);
    CHECK(*h1.total == doctest::Approx(80));
    CHECK(h1.missing == std::vector<std::string>{"2026-06"});
    CHECK(h1.grade == "pass");
    history.push_back(h1);
    history.push_back(result("W01", "2026", 90, false));
    auto year = aggregate(s, "annual", w, AssessmentPeriod::parse("2026"), history);
    CHECK(*year.total == doctest::Approx(0.4 * 80 + 0.6 * 90));
    CHECK_THROWS_WITH_AS(aggregate(s, "annual", w, AssessmentPeriod::parse("2026-H1"), history),
                         doctest::Contains("makes a year"), Error);
    CHECK_THROWS_AS(aggregate(s, "nope", w, AssessmentPeriod::parse("2026"), history), Error);
}

TEST_CASE("assessment.rules.three_failing_months") {
    auto s = AssessmentScheme::preset("grid_worker");
    SUBCASE("streak of four raises at the third and the fourth") {
        std::vector<ScoreResult> h{
            result("W01", "2026-04", 50, true),  result("W01", "2026-01", 50, true),
            result("W01", "2026-02", 50, true),  result("W01", "2026-03", 50, true),
            result("W01", "2026-05", 85, false), result("W01", "2026-06", 50, true)};
        auto flags = evaluate_rules(s, h);
        REQUIRE(flags.size() == 4);
        CHECK(flags[0].rule == "dismissal_review");
        CHECK(flags[0].period.label() == "2026-03");
        CHECK(flags[0].periods == std::vector<std::string>{"2026-01", "2026-02", "2026-03"});
        CHECK(flags[1].streak == 4);
        CHECK(flags[2].rule == "award_ineligible");
    }
    SUBCASE("a gap or an undefined month ends the streak") {
        std::vector<ScoreResult> h{result("W01", "2026-01", 50, true),
                                   result("W01", "2026-02", 50, true),
                                   result("W01", "2026-04", 50, true),
                                   result("W02", "2026-01", 50, true),
                                   result("W02", "2026-02", std::nullopt, false),
                                   result("W02", "2026-03", 50, true)};
        CHECK(evaluate_rules(s, h).empty());
    }
    SUBCASE("across the turn of the year") {
        std::vector<ScoreResult> h{result("W01", "2025-11", 50, true),
                                   result("W01", "2025-12", 50, true),
                                   result("W01", "2026-01", 50, true)};
        CHECK(evaluate_rules(s, h).size() == 2);
    }
}

TEST_CASE("assessment.validation.findings_name_scheme_path_and_field") {
    SUBCASE("formula syntax") {
        auto f = AssessmentScheme::validate_json(
            minimal_scheme(R"([{"key": "a", "weight": 1, "formula": "1 + * x"}])"));
        CHECK(has_rule(f, "assessment.formula_syntax", "t#/components/0/formula"));
    }
    SUBCASE("formula reads an undeclared indicator") {
        auto f = AssessmentScheme::validate_json(
            minimal_scheme(R"([{"key": "a", "weight": 1, "formula": "x + z"}])"));
        CHECK(has_rule(f, "assessment.formula_unknown_indicator", "t#/components/0/formula"));
    }
    SUBCASE("unknown indicator") {
        auto f = AssessmentScheme::validate_json(minimal_scheme(
            R"([{"key": "a", "weight": 1, "indicator": "q", "linear": {"from": 0, "points_from": 0, "to": 1, "points_to": 100}}])"));
        CHECK(has_rule(f, "assessment.unknown_indicator", "t#/components/0/indicator"));
    }
    SUBCASE("weights") {
        auto f = AssessmentScheme::validate_json(minimal_scheme(
            R"([{"key": "a", "weight": 0.5, "formula": "x"}, {"key": "b", "weight": 0.4, "formula": "y"}])"));
        CHECK(has_rule(f, "assessment.weights_sum", "t#/components"));
    }
    SUBCASE("two scales") {
        auto f = AssessmentScheme::validate_json(
            minimal_scheme(R"([{"key": "a", "weight": 1, "formula": "x", "constant": 3}])"));
        CHECK(has_rule(f, "assessment.scale", "t#/components/0"));
    }
    SUBCASE("steps out of order") {
        auto f = AssessmentScheme::validate_json(minimal_scheme(
            R"([{"key": "a", "weight": 1, "indicator": "x", "steps": [{"rows": [{"up_to": 5, "points": 1}, {"up_to": 2, "points": 2}, {"points": 0}]}]}])"));
        CHECK(has_rule(f, "assessment.steps_order", "t#/components/0/steps/0/rows/1/up_to"));
    }
    SUBCASE("grade gap") {
        auto f = AssessmentScheme::validate_json(
            R"({"key": "t", "period": "month", "indicators": [{"key": "x"}],
            "components": [{"key": "a", "weight": 1, "formula": "x"}], "grades": [{"key": "pass", "min": 60}]})");
        CHECK(has_rule(f, "assessment.grades_gap", "t#/grades/0/min"));
    }
    SUBCASE("aggregation weights") {
        auto f = AssessmentScheme::validate_json(minimal_scheme(
            R"([{"key": "a", "weight": 0.5, "formula": "x"}, {"key": "b", "weight": 0.5, "formula": "y"}])",
            R"(, "aggregations": [{"key": "y", "into": "year", "method": "weighted", "parts": [{"period": "half_year", "weight": 0.4}]}])"));
        CHECK(has_rule(f, "assessment.aggregation", "t#/aggregations/0/parts"));
    }
    SUBCASE("aggregation part index") {
        auto f = AssessmentScheme::validate_json(minimal_scheme(
            R"([{"key": "a", "weight": 0.5, "formula": "x"}, {"key": "b", "weight": 0.5, "formula": "y"}])",
            R"(, "aggregations": [{"key": "y", "into": "year", "method": "weighted", "parts": [{"period": "half_year", "index": 3, "weight": 1}]}])"));
        CHECK(has_rule(f, "assessment.aggregation", "t#/aggregations/0/parts/0/index"));
    }
    SUBCASE("load refuses and names everything") {
        CHECK_THROWS_WITH_AS(
            AssessmentScheme::from_json(
                minimal_scheme(R"([{"key": "a", "weight": 1, "formula": "x + z"}])"), "mine.json"),
            doctest::Contains("[assessment.formula_unknown_indicator] mine.json: scheme 't' at "
                              "/components/0/formula"),
            Error);
    }
    SUBCASE("not JSON") {
        CHECK_THROWS_AS(AssessmentScheme::from_json("{"), Error);
        try {
            AssessmentScheme::from_json("{");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::parse_error);
        }
    }
    SUBCASE("unknown field is a warning") {
        auto s = AssessmentScheme::from_json(minimal_scheme(
            R"([{"key": "a", "weight": 0.5, "formula": "x", "wieght": 2}, {"key": "b", "weight": 0.5, "formula": "y"}])"));
        REQUIRE(s.warnings().size() == 1);
        CHECK(s.warnings()[0].rule == "assessment.unknown_field");
        CHECK(s.warnings()[0].where == "t#/components/0/wieght");
    }
}

TEST_CASE("assessment.draw.splitmix64_reference_values") {
    SplitMix64 zero(0);
    CHECK(zero.next() == 0xE220A8397B1DCDAFull);
    SplitMix64 g(1234567);
    CHECK(g.next() == 6457827717110365317ull);
    CHECK(g.next() == 3203168211198807973ull);
    CHECK(g.next() == 9817491932198370423ull);
}

TEST_CASE("assessment.draw.eleven_of_thirty_three") {
    std::vector<std::string> grids;
    std::vector<std::string> areas;
    for (int i = 1; i <= 33; ++i) {
        char g[8];
        char a[8];
        std::snprintf(g, sizeof g, "G%02d", i);
        std::snprintf(a, sizeof a, "N%02d", (i - 1) / 3 + 1);
        grids.emplace_back(g);
        areas.emplace_back(a);
    }
    DrawSpec march{20260301, grids, 11, {}, {}};
    auto m = draw(march);
    CHECK(m.algorithm == "splitmix64-fisher-yates-v1");
    CHECK(m.picks == std::vector<std::string>{"G26", "G33", "G30", "G32", "G08", "G31", "G01",
                                              "G20", "G25", "G22", "G27"});
    CHECK(verify_draw(m));
    CHECK(draw(march) == m);

    SUBCASE("avoiding last month's picks") {
        auto april = draw(DrawSpec{20260401, grids, 11, {}, m.picks});
        CHECK(april.picks == std::vector<std::string>{"G15", "G14", "G04", "G10", "G11", "G03",
                                                      "G23", "G12", "G02", "G05", "G28"});
        for (const auto& p : april.picks)
            CHECK(std::find(m.picks.begin(), m.picks.end(), p) == m.picks.end());
    }
    SUBCASE("one per net-area") {
        auto s = draw(DrawSpec{20260301, grids, 11, areas, {}});
        CHECK(s.picks == std::vector<std::string>{"G02", "G05", "G07", "G11", "G15", "G16", "G20",
                                                  "G23", "G26", "G28", "G31"});
        auto more = draw(DrawSpec{7, grids, 13, areas, {}});
        CHECK(more.picks == std::vector<std::string>{"G01", "G04", "G07", "G10", "G14", "G16",
                                                     "G20", "G22", "G27", "G30", "G32", "G31",
                                                     "G12"});
    }
    SUBCASE("a tampered record does not verify") {
        auto t = m;
        std::swap(t.picks[0], t.picks[1]);
        CHECK_FALSE(verify_draw(t));
    }
    SUBCASE("refusals") {
        CHECK_THROWS_WITH_AS(draw(DrawSpec{1, grids, 34, {}, {}}),
                             doctest::Contains("count 34 exceeds the 33"), Error);
        CHECK_THROWS_WITH_AS(draw(DrawSpec{1, {"G01", "G01"}, 1, {}, {}}),
                             doctest::Contains("'G01' appears twice"), Error);
        CHECK_THROWS_WITH_AS(draw(DrawSpec{1, grids, 10, areas, {}}),
                             doctest::Contains("less than the 11 strata"), Error);
        CHECK_THROWS_WITH_AS(draw(DrawSpec{1, grids, 11, areas, {"G01", "G02", "G03"}}),
                             doctest::Contains("stratum 'N01' has no candidate left"), Error);
    }
}

namespace {

Instant at(const char* day, int hour, int minute = 0) {
    return Instant::from_local(Date::parse(day), hour * 60 + minute);
}

}  // namespace

TEST_CASE("assessment.activity.patrols_two_a_day_on_working_days") {
    WorkingCalendar calendar;
    ActivityLog log;
    // March 2026 has 22 working days and no holiday.
    log.add(Patrol{"p1", "W01", "G1", at("2026-03-02", 9), at("2026-03-02", 9, 40)});
    log.add(Patrol{"p2", "W01", "G1", at("2026-03-02", 15), at("2026-03-02", 15, 40)});
    log.add(Patrol{"p3", "W01", "G1", at("2026-03-03", 9), at("2026-03-03", 9, 20)});
    log.add(Patrol{"p4", "W01", "G1", at("2026-03-03", 15), at("2026-03-03", 16)});
    log.add(Patrol{"p5", "W01", "G1", at("2026-03-07", 9), at("2026-03-07", 10)});  // a Saturday
    log.add(Patrol{"p6", "W01", "G1", at("2026-03-07", 15), at("2026-03-07", 16)});
    log.add(Patrol{"p7", "W02", "G2", at("2026-03-04", 9), at("2026-03-04", 10)});
    auto v = log.patrol_compliance("W01", AssessmentPeriod::parse("2026-03"), calendar);
    CHECK(*v.value == doctest::Approx(100.0 / 22));
    CHECK(v.sources == std::vector<std::string>{"p1", "p2", "p4"});
    auto any_length = log.patrol_compliance("W01", AssessmentPeriod::parse("2026-03"), calendar,
                                            PatrolRule{2, 0});
    CHECK(*any_length.value == doctest::Approx(200.0 / 22));
    CHECK_THROWS_WITH_AS(
        log.add(Patrol{"p8", "W01", "G1", at("2026-03-02", 10), at("2026-03-02", 9)}),
        doctest::Contains("patrol 'p8': field end"), Error);
    CHECK_THROWS_WITH_AS(
        log.add(Patrol{"p1", "W01", "G1", at("2026-03-02", 9), at("2026-03-02", 10)}),
        doctest::Contains("'p1': id already used"), Error);
}

TEST_CASE("assessment.activity.attendance_follows_the_holiday_calendar") {
    WorkingCalendar calendar;
    ActivityLog log;
    // February 2026: 20 weekdays, 6 of them inside the Spring Festival (15–23), the
    // Saturdays 14 and 28 worked: 16 working days.
    log.add(Attendance{"a1", "W01", Date::parse("2026-02-14")});
    log.add(Attendance{"a2", "W01", Date::parse("2026-02-16")});
    log.add(Attendance{"a3", "W01", Date::parse("2026-02-02")});
    auto v = log.attendance_rate("W01", AssessmentPeriod::parse("2026-02"), calendar);
    CHECK(*v.value == doctest::Approx(200.0 / 16));
    CHECK(v.sources == std::vector<std::string>{"a1", "a3"});
}

TEST_CASE("assessment.activity.visit_schedule_by_household_class") {
    ActivityLog log;
    log.add(Household{"H1", "G1", HouseholdClass::ordinary, {}});
    log.add(Household{"H2", "G1", HouseholdClass::special, {"低保"}});
    log.add(Visit{"v1", "H1", "W01", VisitKind::phone, Date::parse("2026-02-10")});
    log.add(Visit{"v2", "H2", "W01", VisitKind::home, Date::parse("2026-01-20")});
    log.add(Visit{"v3", "H2", "W01", VisitKind::phone, Date::parse("2026-02-25")});
    // Windows ending in March: H1 phone Q1 (met by v1), H2 home Q1 (v2), H2 phone March (missed).
    auto march = log.visit_compliance({"G1"}, AssessmentPeriod::parse("2026-03"));
    CHECK(*march.value == doctest::Approx(200.0 / 3));
    CHECK(march.sources == std::vector<std::string>{"v1", "v2"});
    CHECK(*log.visit_compliance({"G1"}, AssessmentPeriod::parse("2026-03"), HouseholdClass::special)
               .value == doctest::Approx(50));
    // February: only the monthly phone call of H2 is due, and v3 made it.
    CHECK(*log.visit_compliance({"G1"}, AssessmentPeriod::parse("2026-02")).value ==
          doctest::Approx(100));
    // The half year: H1 home (missed), H1 phone Q1 and Q2, H2 home Q1 and Q2, H2 phone x6.
    auto h1 = log.visit_compliance({"G1"}, AssessmentPeriod::parse("2026-H1"));
    CHECK(*h1.value == doctest::Approx(100.0 * 3 / 11));
    auto none = log.visit_compliance({"G9"}, AssessmentPeriod::parse("2026-03"));
    CHECK_FALSE(none.defined());
    CHECK(none.reason == "no visit window ends in 2026-03");
    CHECK_THROWS_WITH_AS(
        log.add(Visit{"v4", "H9", "W01", VisitKind::home, Date::parse("2026-03-01")}),
        doctest::Contains("unknown household 'H9'"), Error);
}

TEST_CASE("assessment.activity.collection_tasks_ratings_and_the_grid_worker_score") {
    WorkingCalendar calendar;
    ActivityLog log;
    auto march = AssessmentPeriod::parse("2026-03");
    log.add(CollectionCheck{"c1", "G1", march, 25749, 690, 479, 22});
    auto seed = log.collection_rate({"G1"}, march);
    CHECK(*seed.value == doctest::Approx(97.3203).epsilon(1e-6));
    log.add(CollectionCheck{"c2", "G2", march, 1000, 30, 0, 0});
    log.add(CollectionCheck{"c3", "G3", march, 500, 0, 0, 0});
    CHECK(*log.collection_rate({"G2", "G3"}, march).value == doctest::Approx(98));
    CHECK_FALSE(log.collection_rate({"G2"}, AssessmentPeriod::parse("2026-04")).defined());
    CHECK_THROWS_AS(log.add(CollectionCheck{"c4", "G2", march, 10, 11, 0, 0}), Error);

    log.add(SpecialTask{"t1", "W01", Date::parse("2026-03-10"), Date::parse("2026-03-09")});
    log.add(SpecialTask{"t2", "W01", Date::parse("2026-03-20"), Date::parse("2026-03-25")});
    log.add(SpecialTask{"t3", "W01", Date::parse("2026-03-31"), std::nullopt});
    log.add(SpecialTask{"t4", "W01", Date::parse("2026-04-02"), std::nullopt});
    CHECK(*log.tasks_assigned("W01", march).value == 3);
    CHECK(log.tasks_done("W01", march).sources == std::vector<std::string>{"t1"});
    log.add(ManualRating{"r1", "W01", march, 80, "community"});
    log.add(ManualRating{"r2", "W01", march, 86.4, "residents"});
    CHECK(*log.mean_rating("W01", march).value == doctest::Approx(83.2));
    CHECK_FALSE(log.mean_rating("W02", march).defined());

    auto values = log.grid_worker_indicators("W01", {"G2", "G3"}, march, calendar);
    CHECK(values.size() == 7);
    auto r = score(AssessmentScheme::preset("grid_worker"),
                   ScoreInput{{"W01", "worker", ""}, march, values});
    // No attendance and no patrol recorded: attendance scores 0. G2 and G3 have no
    // household, so visit compliance is undefined and daily work (which reads it) is
    // excluded; special tasks 1 of 3; community 83.2. The rest is renormalised over 0.55.
    CHECK(component(r, "daily_work").status == ComponentStatus::excluded);
    CHECK(r.missing == std::vector<std::string>{"reports_adopted", "commendations"});
    CHECK(*r.total == doctest::Approx((0 * 0.15 + 100.0 / 3 * 0.30 + 83.2 * 0.10) / 0.55));
}

// ---- one rank() ---------------------------------------------------------------------------

namespace {

ScoreResult ranked_result(std::string code, std::string level, std::string area_class,
                          std::optional<double> total, std::vector<double> weighted = {}) {
    ScoreResult r;
    r.subject.code = std::move(code);
    r.subject.level = std::move(level);
    r.subject.area_class = std::move(area_class);
    r.total = total;
    for (const double w : weighted) {
        ComponentResult c;
        c.weighted = w;
        r.components.push_back(c);
    }
    return r;
}

// rank() as docs/assessment.md words it, written plainly: groups by the (level, area class)
// pair; total, then weighted points in order (a missing one undefined), both at six
// decimals, descending; then code; then position.
std::vector<std::pair<int, std::size_t>> reference_ranks(const std::vector<ScoreResult>& results) {
    const auto key = [](const std::optional<double>& v) {
        return v ? std::llround(*v * 1e6) : std::numeric_limits<long long>::min();
    };
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < results.size(); ++i)
        groups[{results[i].subject.level, results[i].subject.area_class}].push_back(i);
    std::vector<std::pair<int, std::size_t>> out(results.size());
    for (const auto& [group, members] : groups) {
        std::vector<std::size_t> ranked;
        for (const std::size_t i : members) {
            out[i] = {0, members.size()};
            if (results[i].total)
                ranked.push_back(i);
        }
        std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
            const ScoreResult& x = results[a];
            const ScoreResult& y = results[b];
            if (key(x.total) != key(y.total))
                return key(x.total) > key(y.total);
            const auto weighted = [&](const ScoreResult& r, std::size_t c) {
                return c < r.components.size() ? key(r.components[c].weighted) : key(std::nullopt);
            };
            for (std::size_t c = 0; c < std::max(x.components.size(), y.components.size()); ++c) {
                if (weighted(x, c) != weighted(y, c))
                    return weighted(x, c) > weighted(y, c);
            }
            return x.subject.code < y.subject.code;
        });
        for (std::size_t r = 0; r < ranked.size(); ++r)
            out[ranked[r]].first = static_cast<int>(r + 1);
    }
    return out;
}

}  // namespace

TEST_CASE("assessment.rank.groups_are_level_and_area_class_pairs") {
    // Joined as text, each pair below would read as the other.
    const std::string unit_separator = "\x1f";
    std::vector<ScoreResult> results{ranked_result("N1", "a" + unit_separator + "b", "", 80),
                                     ranked_result("N2", "a", "b" + unit_separator, 90),
                                     ranked_result("N3", "ab", "c", 70),
                                     ranked_result("N4", "a", "bc", 60)};
    rank(results);
    for (const ScoreResult& r : results) {
        CAPTURE(r.subject.code);
        CHECK(r.rank == 1);
        CHECK(r.peers == 1);
    }
}

TEST_CASE("assessment.rank.the_same_subject_twice_ranks_in_input_order") {
    // Two periods of one grid mixed in by the caller, equal in every key.
    std::vector<ScoreResult> results{ranked_result("G-A", "grid", "一类", 88.5, {40, 48.5}),
                                     ranked_result("G-A", "grid", "一类", 88.5, {40, 48.5}),
                                     ranked_result("G-B", "grid", "一类", 88.5, {40, 48.5})};
    results[0].period = AssessmentPeriod::parse("2026-02");
    results[1].period = AssessmentPeriod::parse("2026-03");
    rank(results);
    CHECK(results[0].rank == 1);
    CHECK(results[1].rank == 2);
    CHECK(results[2].rank == 3);
    std::swap(results[0], results[1]);
    rank(results);
    CHECK(results[0].period == AssessmentPeriod::parse("2026-03"));
    CHECK(results[0].rank == 1);
    CHECK(results[1].rank == 2);
}

TEST_CASE("assessment.rank.a_missing_component_counts_as_undefined") {
    // Compared on the shorter list alone, A ~ B and A ~ C but B before C: no order.
    std::vector<ScoreResult> results{
        ranked_result("B", "grid", "", 80, {20}), ranked_result("C", "grid", "", 80, {20, 20}),
        ranked_result("A", "grid", "", 80, {20, 10}), ranked_result("D", "grid", "", 80, {}),
        ranked_result("E", "grid", "", 80, {std::nan("")})};
    results[4].components[0].weighted.reset();
    rank(results);
    CHECK(results[1].rank == 1);  // C: 20, 20
    CHECK(results[2].rank == 2);  // A: 20, 10
    CHECK(results[0].rank == 3);  // B: 20, undefined
    CHECK(results[3].rank == 4);  // D: undefined, by code
    CHECK(results[4].rank == 5);  // E: undefined, by code
}

TEST_CASE("assessment.rank.agrees_with_its_plain_wording_on_many_ties") {
    std::mt19937 random(20260301);
    const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    for (int round = 0; round < 50; ++round) {
        std::vector<ScoreResult> results;
        const int n = 1 + pick(200);
        for (int i = 0; i < n; ++i) {
            // Codes sharing their first sixteen bytes, differing after them or in length.
            std::string code = "3713381010010010" + std::string(static_cast<std::size_t>(pick(3)),
                                                                static_cast<char>('0' + pick(3)));
            if (pick(4) == 0)
                code = std::string(1, static_cast<char>('A' + pick(3)));
            const std::optional<double> total =
                pick(8) == 0 ? std::nullopt : std::optional<double>(60 + pick(4) * 0.5);
            std::vector<double> weighted;
            for (int c = pick(4); c > 0; --c)
                weighted.push_back(pick(3) * 10 + 1e-9 * pick(2));  // noise below six decimals
            results.push_back(ranked_result(code, pick(2) == 0 ? "grid" : "village",
                                            pick(2) == 0 ? "一类" : "二类", total, weighted));
        }
        const std::vector<std::pair<int, std::size_t>> expected = reference_ranks(results);
        rank(results);
        for (std::size_t i = 0; i < results.size(); ++i) {
            CAPTURE(round);
            CAPTURE(i);
            CHECK(results[i].rank == expected[i].first);
            CHECK(results[i].peers == expected[i].second);
        }
    }
}
