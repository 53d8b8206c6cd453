// Indicators from cases and the assessment runner, on a township of the sample county
// (苇川县 青石镇) with seven matters around March 2024 run through a real case engine:
// every count and rate worked out by hand from the timeline below.
//
//   A  q1  P0001  2024-03-04  six-step main line, closed 15:30 on time, rated 满意
//   B  q2  P0002  2024-03-04  check failed once (返工), fed back late on 03-05, closed 03-05
//   C  q1  P0002  2024-03-06  12345 call, dispatched to the 综治中心, suspended (挂账)
//   D  q1  P0001  2024-03-07  voided (不予立案)
//   E  d1  P0002  2024-02-29  fed back late on 03-01, closed 03-01
//   F  q1  P0001  2024-03-29  dispatched at 16:00, handling deadline 04-01 11:00, open
//   G  q1  P0001  2024-03-11  one extension granted, closed on time
//
// Working schedule 08:30-12:00, 14:00-17:30; E0102 (暴露垃圾) gives handling 4 working hours.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/indicators.hpp"

using namespace gridgov;

namespace {

using gridgov_test::at;
using gridgov_test::node;
using gridgov_test::person;
using gridgov_test::post;

// A command with the payload its transition asks for: evidence with a feedback, a reason
// where one is required.
CaseCommand cmd(Command command, const std::string& actor, const std::string& when) {
    CaseCommand c = gridgov_test::cmd(command, actor, when);
    if (command == Command::feedback)
        c.evidence = {"photo.jpg"};
    if (command == Command::void_case || command == Command::suspend ||
        command == Command::check_fail || command == Command::request_extension)
        c.reason = "说明";
    return c;
}

struct Fixture {
    Hierarchy h;
    Directory dir;
    std::vector<Overlay> overlays;  // none unless a test adds some
    CaseEngine engine;
    NodeId county{}, town{}, qingshi{}, dongling{}, q1{}, q2{}, d1{};
    CaseId a{}, b{}, c{}, d{}, e{}, f{}, g{};
    std::string na, nb, nc, nd, ne, nf, ng;
    std::string workflow = "township_six_step";  // the cases' workflow

    // `configure` may change the engine before the cases are built and returns the key of
    // the workflow they run.
    explicit Fixture(const std::function<std::string(CaseEngine&)>& configure = nullptr)
        : dir(merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue())),
          engine(h, dir, overlays) {
        h.add_all({node("371338", "", "county", "苇川县"),
                   node("371338101", "371338", "township", "青石镇"),
                   node("371338101001", "371338101", "village", "青石村"),
                   node("371338101002", "371338101", "village", "东岭村"),
                   node("371338101001001", "371338101001", "grid", "青石村第一网格", "一类"),
                   node("371338101001002", "371338101001", "grid", "青石村第二网格", "二类"),
                   node("371338101002001", "371338101002", "grid", "东岭村第一网格", "二类")});
        county = h.at("371338");
        town = h.at("371338101");
        qingshi = h.at("371338101001");
        dongling = h.at("371338101002");
        q1 = h.at("371338101001001");
        q2 = h.at("371338101001002");
        d1 = h.at("371338101002001");
        for (const char* id : {"P0001", "P0002", "P0003", "P0005", "P0006", "P0007", "P0008"})
            dir.add_person(person(id));
        dir.add_assignments(h, {post("P0001", "grid_information_officer", q1),
                                post("P0002", "service_centre_staff", town),
                                post("P0003", "village_grid_leader", dongling),
                                post("P0006", "township_grid_leader", town),
                                post("P0007", "grid_instructor", qingshi)});
        engine.set_departments(DepartmentCatalogue::from_json(R"({"key": "qingshi",
          "name": "青石镇处置部门", "departments": [
            {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101",
             "members": ["P0005"]},
            {"code": "D-ZZ-QS", "kind": "territorial", "zh": "青石镇综治中心",
             "node": "371338101", "members": ["P0008"]}]})"));
        if (configure)
            workflow = configure(engine);
        build();
    }

    CaseId report(NodeId where, const std::string& actor, const std::string& when,
                  const std::string& source = "grid_worker") {
        NewCase n;
        n.command.command = Command::report;
        n.command.actor = actor;
        n.command.at = at(when);
        n.command.node = where;
        n.command.category = "E0102";
        n.command.source = source;
        n.workflow = workflow;
        return engine.report(n);
    }

    // report, file, dispatch, accept on one day from 09:00.
    CaseId to_handling(NodeId where, const std::string& reporter, const std::string& day,
                       const std::string& source = "grid_worker",
                       const std::string& department = "D-HW-QS",
                       const std::string& member = "P0005") {
        const CaseId id = report(where, reporter, day + "T09:00", source);
        engine.fire(id, cmd(Command::file, "P0002", day + "T09:10"));
        CaseCommand dispatch = cmd(Command::dispatch, "P0002", day + "T09:20");
        dispatch.department = department;
        engine.fire(id, dispatch);
        engine.fire(id, cmd(Command::accept, member, day + "T09:30"));
        return id;
    }

    void build() {
        // E: 02-29 09:20 + 4 working hours = 15:20; fed back 03-01 09:00 (late).
        e = to_handling(d1, "P0002", "2024-02-29");
        engine.fire(e, cmd(Command::feedback, "P0005", "2024-03-01T09:00"));
        engine.fire(e, cmd(Command::check_pass, "P0003", "2024-03-01T10:00"));
        engine.fire(e, cmd(Command::close, "P0002", "2024-03-01T11:00"));

        // A: handled 09:20-11:00 (100 minutes), checked, rated, closed.
        a = to_handling(q1, "P0001", "2024-03-04");
        engine.fire(a, cmd(Command::feedback, "P0005", "2024-03-04T11:00"));
        engine.fire(a, cmd(Command::check_pass, "P0007", "2024-03-04T14:00"));
        CaseCommand rate = cmd(Command::rate, "P0001", "2024-03-04T15:00");
        rate.rating = Rating::of(Satisfaction::satisfied);
        engine.fire(a, rate);
        engine.fire(a, cmd(Command::close, "P0002", "2024-03-04T15:30"));

        // B: 40 minutes, a failed check 10:00-10:30, back to handling with 200 minutes left:
        // deadline 15:50; fed back 03-05 09:00 after 40 + 90 + 210 + 30 = 370 minutes.
        b = to_handling(q2, "P0002", "2024-03-04");
        engine.fire(b, cmd(Command::feedback, "P0005", "2024-03-04T10:00"));
        engine.fire(b, cmd(Command::check_fail, "P0007", "2024-03-04T10:30"));
        engine.fire(b, cmd(Command::feedback, "P0005", "2024-03-05T09:00"));
        engine.fire(b, cmd(Command::check_pass, "P0007", "2024-03-05T09:30"));
        engine.fire(b, cmd(Command::close, "P0002", "2024-03-05T10:00"));

        // C: a 12345 call, suspended at 10:00 after 40 minutes: deadline as it stood 15:20.
        c = to_handling(q1, "P0002", "2024-03-06", "12345", "D-ZZ-QS", "P0008");
        engine.fire(c, cmd(Command::suspend, "P0002", "2024-03-06T10:00"));

        // D: voided at intake.
        d = report(q1, "P0001", "2024-03-07T09:00");
        engine.fire(d, cmd(Command::void_case, "P0002", "2024-03-07T09:30"));

        // G: an extension of 4 working hours, fed back 11:00 (100 minutes), closed.
        g = to_handling(q1, "P0001", "2024-03-11");
        CaseCommand ask = cmd(Command::request_extension, "P0005", "2024-03-11T10:00");
        ask.amount = TimeLimit::working_hours(4);
        engine.fire(g, ask);
        CaseCommand request = cmd(Command::approve_extension, "P0002", "2024-03-11T10:30");
        request.amount = TimeLimit::working_hours(4);
        engine.fire(g, request);
        engine.fire(g, cmd(Command::feedback, "P0005", "2024-03-11T11:00"));
        engine.fire(g, cmd(Command::check_pass, "P0007", "2024-03-11T14:00"));
        engine.fire(g, cmd(Command::close, "P0002", "2024-03-11T15:00"));

        // F: dispatched 03-29 16:00: 90 minutes that day, 150 on Monday 04-01 → 11:00.
        f = report(q1, "P0001", "2024-03-29T09:00");
        engine.fire(f, cmd(Command::file, "P0002", "2024-03-29T09:10"));
        CaseCommand dispatch = cmd(Command::dispatch, "P0002", "2024-03-29T16:00");
        dispatch.department = "D-HW-QS";
        engine.fire(f, dispatch);

        na = engine.get(a).number;
        nb = engine.get(b).number;
        nc = engine.get(c).number;
        nd = engine.get(d).number;
        ne = engine.get(e).number;
        nf = engine.get(f).number;
        ng = engine.get(g).number;
    }
};

const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");

double value(const IndicatorValues& v, const std::string& key) {
    const auto it = v.find(key);
    REQUIRE_MESSAGE(it != v.end(), key);
    REQUIRE_MESSAGE(it->second.defined(), key << ": " << it->second.reason);
    return *it->second.value;
}

std::vector<std::string> sources(const IndicatorValues& v, const std::string& key) {
    const auto it = v.find(key);
    REQUIRE_MESSAGE(it != v.end(), key);
    std::vector<std::string> s = it->second.sources;
    std::sort(s.begin(), s.end());
    return s;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

TEST_CASE("indicators.fixture_clocks_are_as_worked_out_by_hand") {
    Fixture t;
    const auto handle = [&](CaseId id) {
        for (const CaseClock& c : t.engine.get(id).clocks) {
            if (c.stage == "handle")
                return c;
        }
        FAIL("no handle clock");
        return CaseClock{};
    };
    CHECK(handle(t.a).used == 100 * 60);
    CHECK_FALSE(handle(t.a).breached);
    CHECK(handle(t.b).used == 370 * 60);
    CHECK(handle(t.b).breached);
    CHECK(handle(t.c).run == ClockRun::suspended);
    CHECK(handle(t.c).deadline == at("2024-03-06T15:20"));
    CHECK(handle(t.e).used == 400 * 60);
    CHECK(handle(t.f).deadline == at("2024-04-01T11:00"));
    CHECK(handle(t.g).budget == 8 * 3600);
    CHECK_FALSE(handle(t.g).breached);
}

TEST_CASE("indicators.county_counts_by_hand") {
    Fixture t;
    const IndicatorValues v = case_indicators(t.engine, IndicatorSubject::node("371338"), march);
    CHECK(value(v, "received") == 6);  // A B C D F G; E was reported in February
    CHECK(sources(v, "received") == sorted({t.na, t.nb, t.nc, t.nd, t.nf, t.ng}));
    CHECK(value(v, "filed") == 5);  // D voided
    CHECK(sources(v, "filed") == sorted({t.na, t.nb, t.nc, t.nf, t.ng}));
    CHECK(value(v, "dispatched") == 5);
    CHECK(value(v, "to_dispatch") == 5);
    CHECK(value(v, "dispatched_on_time") == 5);
    CHECK(value(v, "dispatched_accurately") == 5);
    CHECK(value(v, "voided") == 1);
    CHECK(sources(v, "voided") == std::vector<std::string>{t.nd});
    CHECK(value(v, "public_reports") == 1);
    CHECK(sources(v, "public_reports") == std::vector<std::string>{t.nc});
    CHECK(value(v, "missed") == 1);
    CHECK(value(v, "staff_reports") == 5);
    CHECK(value(v, "valid_reports") == 4);
    CHECK(value(v, "to_verify") == 1);
    CHECK(value(v, "verified_on_time") == 1);
    CHECK(value(v, "to_check") == 4);  // A B E G: check clocks started in March
    CHECK(sources(v, "to_check") == sorted({t.na, t.nb, t.ne, t.ng}));
    CHECK(value(v, "checked_on_time") == 4);
    CHECK(value(v, "due") == 5);  // A B E G closed in March, C due 03-06; F due in April
    CHECK(sources(v, "due") == sorted({t.na, t.nb, t.nc, t.ne, t.ng}));
    CHECK(value(v, "deferred") == 1);
    CHECK(sources(v, "deferred") == std::vector<std::string>{t.nc});
    CHECK(value(v, "due_ex_deferred") == 4);
    CHECK(value(v, "closed") == 4);
    CHECK(value(v, "closed_on_time") == 2);
    CHECK(sources(v, "closed_on_time") == sorted({t.na, t.ng}));
    CHECK(value(v, "rework") == 1);
    CHECK(sources(v, "rework") == std::vector<std::string>{t.nb});
    CHECK(value(v, "extended") == 1);
    CHECK(sources(v, "extended") == std::vector<std::string>{t.ng});
    CHECK(value(v, "supervised") == 0);
    CHECK(value(v, "to_handle") == 5);
    CHECK(value(v, "handled") == 4);  // C's handling is suspended, not over
    CHECK(value(v, "handled_on_time") == 2);
    CHECK(value(v, "sent_back") == 1);
    CHECK(value(v, "failed_check_3x") == 0);
    CHECK(value(v, "referral_sent_back") == 0);
    CHECK(value(v, "faked") == 0);
    CHECK(value(v, "refused") == 0);
    CHECK(value(v, "overtime_cases") == 2);
    CHECK(sources(v, "overtime_cases") == sorted({t.nb, t.ne}));
    CHECK(value(v, "rated") == 1);
    CHECK(value(v, "emergency_due") == 0);
}

TEST_CASE("indicators.county_rates_and_means_by_hand") {
    Fixture t;
    const IndicatorValues v = case_indicators(t.engine, IndicatorSubject::node("371338"), march);
    CHECK(value(v, "filing_rate") == doctest::Approx(500.0 / 6));
    CHECK(value(v, "dispatch_rate") == doctest::Approx(100));
    CHECK(value(v, "closure_rate") == doctest::Approx(80));  // 4 / 5
    CHECK(value(v, "on_time_rate") == doctest::Approx(40));  // 2 / 5
    CHECK(sources(v, "on_time_rate") == sorted({t.na, t.ng}));
    CHECK(value(v, "rework_rate") == doctest::Approx(20));
    CHECK(value(v, "extension_rate") == doctest::Approx(20));
    // Jinhua: C (挂账) leaves the denominator.
    CHECK(value(v, "closure_rate_ex_deferred") == doctest::Approx(100));  // 4 / 4
    CHECK(value(v, "on_time_rate_ex_deferred") == doctest::Approx(50));   // 2 / 4
    CHECK(value(v, "on_time_closure_rate") == doctest::Approx(50));       // 2 / 4
    CHECK(value(v, "public_report_rate") == doctest::Approx(20));         // 1 / 5
    CHECK(value(v, "missed_rate") == doctest::Approx(20));
    CHECK(value(v, "valid_report_rate") == doctest::Approx(80));  // 4 / 5
    CHECK(value(v, "on_time_verify_rate") == doctest::Approx(100));
    CHECK(value(v, "on_time_check_rate") == doctest::Approx(100));
    CHECK(value(v, "on_time_dispatch_rate") == doctest::Approx(100));
    CHECK(value(v, "accurate_dispatch_rate") == doctest::Approx(100));
    CHECK(value(v, "on_time_handling_rate") == doctest::Approx(40));  // 2 / 5
    CHECK(value(v, "handled_rework_rate") == doctest::Approx(25));    // 1 / 4
    // (100 + 370 + 400 + 100) / 4 minutes.
    CHECK(value(v, "mean_handling_hours") == doctest::Approx(242.5 / 60));
    // (370 / 240 + 400 / 240) / 2
    CHECK(value(v, "overtime_multiple") == doctest::Approx(770.0 / 480));
    CHECK(value(v, "mean_rating") == doctest::Approx(5));
    CHECK(sources(v, "mean_rating") == std::vector<std::string>{t.na});
}

TEST_CASE("indicators.zero_denominators_are_undefined_with_the_reason") {
    Fixture t;
    const IndicatorValues v = case_indicators(t.engine, IndicatorSubject::node("371338"), march);
    CHECK_FALSE(v.at("emergency_closure_rate").defined());
    CHECK(v.at("emergency_closure_rate").reason == "紧急问题应结案数 is 0");
    CHECK_FALSE(v.at("emergency_on_time_rate").defined());

    // 东岭村: only E, reported in February and closed late in March.
    const IndicatorValues d =
        case_indicators(t.engine, IndicatorSubject::node("371338101002"), march);
    CHECK(value(d, "received") == 0);
    CHECK_FALSE(d.at("filing_rate").defined());
    CHECK(d.at("filing_rate").reason == "受理数 is 0");
    CHECK(value(d, "on_time_rate") == 0);  // 0 / 1: defined, zero
    CHECK_FALSE(d.at("mean_rating").defined());
    CHECK(d.at("mean_rating").reason == "评价数 is 0");

    // 综治中心: only C, deferred.
    const IndicatorValues z =
        case_indicators(t.engine, IndicatorSubject::department("D-ZZ-QS"), march);
    CHECK(value(z, "due") == 1);
    CHECK(value(z, "closure_rate") == 0);
    CHECK_FALSE(z.at("closure_rate_ex_deferred").defined());
    CHECK(z.at("closure_rate_ex_deferred").reason == "应结案数−缓办数 is 0");

    // April: nothing reported, F due.
    const IndicatorValues april = case_indicators(t.engine, IndicatorSubject::node("371338"),
                                                  AssessmentPeriod::parse("2024-04"));
    CHECK(value(april, "due") == 1);
    CHECK(sources(april, "due") == std::vector<std::string>{t.nf});
    CHECK(value(april, "closure_rate") == 0);
    // February: E received; its deadline fell in February but it closed in March.
    const IndicatorValues feb = case_indicators(t.engine, IndicatorSubject::node("371338"),
                                                AssessmentPeriod::parse("2024-02"));
    CHECK(value(feb, "received") == 1);
    CHECK(value(feb, "due") == 1);
    CHECK(value(feb, "closed") == 0);
}

TEST_CASE("indicators.every_key_is_defined_and_covers_the_presets") {
    Fixture t;
    const IndicatorValues v = case_indicators(t.engine, IndicatorSubject::node("371338"), march);
    const auto& defs = case_indicator_definitions();
    CHECK(v.size() == defs.size());
    for (const CaseIndicatorDefinition& d : defs) {
        INFO(d.key);
        CHECK(v.count(d.key) == 1);
        CHECK_FALSE(d.label.empty());
        CHECK_FALSE(d.definition.empty());
        CHECK(std::all_of(d.key.begin(), d.key.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }));
        if (d.unit == "%") {
            CHECK_FALSE(d.denominator.empty());
            CHECK(v.count(d.denominator) == 1);
        }
    }
    for (const char* preset : {"urban_region", "urban_supervisor", "urban_dispatcher",
                               "urban_department", "jinhua_district"}) {
        const AssessmentScheme scheme = AssessmentScheme::preset(preset);
        for (const IndicatorSpec& spec : scheme.indicators()) {
            INFO(preset << " reads " << spec.key);
            CHECK(v.count(spec.key) == 1);
        }
    }
}

TEST_CASE("indicators.departments_and_persons") {
    Fixture t;
    const IndicatorValues hw =
        case_indicators(t.engine, IndicatorSubject::department("D-HW-QS"), march);
    CHECK(value(hw, "filed") == 4);  // A B F G
    CHECK(value(hw, "due") == 4);    // A B E G
    CHECK(value(hw, "closed") == 4);
    CHECK(value(hw, "to_handle") == 4);
    CHECK(value(hw, "handled_on_time") == 2);
    CHECK(value(hw, "rework_rate") == doctest::Approx(25));
    CHECK_THROWS_AS(case_indicators(t.engine, IndicatorSubject::department("D-XX"), march), Error);
    CHECK_THROWS_AS(case_indicators(t.engine, IndicatorSubject::node("999"), march), Error);

    // P0001 reported A D F G.
    const IndicatorValues reporter =
        case_indicators(t.engine, IndicatorSubject::person("P0001"), march);
    CHECK(value(reporter, "received") == 4);
    CHECK(sources(reporter, "received") == sorted({t.na, t.nd, t.nf, t.ng}));
    CHECK(value(reporter, "valid_reports") == 3);
    CHECK(value(reporter, "valid_report_rate") == doctest::Approx(75));
    CHECK(value(reporter, "due") == 0);                 // handled nothing
    CHECK_FALSE(reporter.at("missed_rate").defined());  // no grids given

    // P0005 handled A B E G (and accepted nothing else); F was never accepted.
    const IndicatorValues handler =
        case_indicators(t.engine, IndicatorSubject::person("P0005"), march);
    CHECK(value(handler, "received") == 0);
    CHECK(value(handler, "due") == 4);
    CHECK(value(handler, "closed_on_time") == 2);
    CHECK(value(handler, "on_time_rate") == doctest::Approx(50));

    // P0002 dispatched A B C F G and verified C; P0007 checked A B G.
    const IndicatorValues dispatcher =
        case_indicators(t.engine, IndicatorSubject::person("P0002"), march);
    CHECK(value(dispatcher, "dispatched") == 5);
    CHECK(value(dispatcher, "on_time_dispatch_rate") == doctest::Approx(100));
    CHECK(value(dispatcher, "to_verify") == 1);
    const IndicatorValues checker =
        case_indicators(t.engine, IndicatorSubject::person("P0007", {"371338101001001"}), march);
    CHECK(value(checker, "to_check") == 3);
    CHECK(sources(checker, "to_check") == sorted({t.na, t.nb, t.ng}));
    // Over q1: C is the one public report among A C F G filed there.
    CHECK(value(checker, "missed") == 1);
    CHECK(value(checker, "missed_rate") == doctest::Approx(25));
}

TEST_CASE("indicators.table_matches_single_subjects_and_sums_subtrees") {
    Fixture t;
    const CaseIndicatorTable table = case_indicators_by_node(t.engine, t.h, march);
    CHECK(table.period() == march);
    CHECK(table.cases() == 7);
    for (const NodeId n : t.h.preorder()) {
        INFO(t.h.code(n));
        const IndicatorValues one =
            case_indicators(t.engine, IndicatorSubject::node(t.h.code(n)), march);
        CHECK(table.node(n) == one);
    }
    for (const std::string& code : table.departments()) {
        INFO(code);
        CHECK(table.department(code) ==
              case_indicators(t.engine, IndicatorSubject::department(code), march));
    }
    CHECK(table.departments() == std::vector<std::string>{"D-HW-QS", "D-ZZ-QS"});
    // A subtree is the sum of its children.
    for (const char* key : {"received", "filed", "due", "closed", "closed_on_time", "deferred"}) {
        INFO(key);
        const double whole = *table.node(t.town, {key}).at(key).value;
        const double parts = *table.node(t.qingshi, {key}).at(key).value +
                             *table.node(t.dongling, {key}).at(key).value;
        CHECK(whole == parts);
        CHECK(*table.node(t.qingshi, {key}).at(key).value ==
              *table.node(t.q1, {key}).at(key).value + *table.node(t.q2, {key}).at(key).value);
    }
    // Selected keys without sources; sources on demand by id.
    const IndicatorValues slim = table.node(t.q1, {"filed", "closure_rate", "no_such_key"}, false);
    CHECK(slim.size() == 2);
    CHECK(slim.at("filed") == IndicatorValue::of(4));
    CHECK(slim.at("closure_rate").value == doctest::Approx(200.0 / 3));
    std::vector<CaseId> filed_q1{t.a, t.c, t.f, t.g};
    std::sort(filed_q1.begin(), filed_q1.end());
    CHECK(table.node_sources(t.q1, "filed") == filed_q1);
    CHECK(table.department_sources("D-ZZ-QS", "deferred") == std::vector<CaseId>{t.c});
    CHECK_THROWS_AS(table.node_sources(t.q1, "no_such_key"), Error);
    CHECK_THROWS_AS(table.department({"D-XX"}), Error);
}

TEST_CASE("indicators.overlay_units_count_the_cases_of_the_grids_they_cover") {
    // A fire network over the township: 大网格 L1 over two 中网格, M1 mapped to 青石村 (both
    // its grids) and M2 to 东岭村第一网格; 小网格 S1 inside M1 mapped to 青石村第二网格.
    Fixture t;
    t.overlays.emplace_back("fire", "消防网格", fire_safety_levels());
    t.overlays.back().add_units(
        {{"L1", "", "青石镇消防大网格", "large", {}},
         {"M1", "L1", "青石村消防中网格", "medium", {"371338101001"}},
         {"M2", "L1", "东岭村消防中网格", "medium", {"371338101002001"}},
         {"S1", "M1", "青石二网格消防小网格", "small", {"371338101001002"}}},
        t.h);
    const CaseIndicatorTable table = case_indicators_by_node(t.engine, t.h, march);
    // Each unit counts the cases of the base nodes it covers, itself or through the units
    // beneath it: M1 what 青石村 counts (S1's grid included), L1 the whole township.
    CHECK(table.unit("fire:M1") == table.node(t.qingshi));
    CHECK(table.unit("fire:S1") == table.node(t.q2));
    CHECK(table.unit("fire:M2") == table.node(t.d1));
    CHECK(table.unit("fire:L1") == table.node(t.town));
    CHECK(value(table.unit("fire:M1"), "received") == 6);
    CHECK(sources(table.unit("fire:M2"), "closed") == std::vector<std::string>{t.ne});
    CHECK(table.unit_sources("fire:M1", "filed") == table.node_sources(t.qingshi, "filed"));
    CHECK(table.unit("fire:M1", {"filed", "closure_rate"}, false) ==
          table.node(t.qingshi, {"filed", "closure_rate"}, false));
    // One subject at a time gives the same values.
    for (const char* unit : {"fire:L1", "fire:M1", "fire:M2", "fire:S1"}) {
        INFO(unit);
        CHECK(case_indicators(t.engine, IndicatorSubject::unit(unit), march) == table.unit(unit));
    }
    CHECK(std::string(indicator_subject_kind_name(IndicatorSubjectKind::unit)) == "unit");
    CHECK(parse_indicator_subject_kind("unit") == IndicatorSubjectKind::unit);
    CHECK_THROWS_WITH_AS(table.unit("371338101"),
                         doctest::Contains("is a node of the base hierarchy"), Error);
    CHECK_THROWS_WITH_AS(table.unit("fire:M9"), doctest::Contains("no live unit 'M9'"), Error);
    CHECK_THROWS_WITH_AS(table.unit_sources("fire:M1", "no_such_key"),
                         doctest::Contains("not a case indicator"), Error);
    CHECK_THROWS_AS(case_indicators(t.engine, IndicatorSubject::unit("371338101"), march), Error);

    // Ranked among the units of their own level, as nodes are among theirs.
    const AssessmentScheme scheme = AssessmentScheme::preset("urban_region");
    AssessOptions options;
    options.default_area_class = "二类";
    const AssessmentRun run = assess(t.engine, t.h, scheme, march,
                                     SubjectSelection::every_unit("fire", "medium"), options);
    REQUIRE(run.scores.size() == 2);
    CHECK(run.scores[0].subject.code == "fire:M1");
    CHECK(run.scores[0].subject.level == "fire:medium");
    CHECK(run.scores[1].subject.code == "fire:M2");
    const AssessmentRun nodes =
        assess(t.engine, t.h, scheme, march,
               SubjectSelection::of({IndicatorSubject::node("371338101001"),
                                     IndicatorSubject::node("371338101002001")}),
               options);
    CHECK(run.scores[0].total == nodes.scores[0].total);
    CHECK(run.scores[1].total == nodes.scores[1].total);
    CHECK(assess(t.engine, t.h, scheme, march, SubjectSelection::every_unit("fire"), options)
              .scores.size() == 4);
    const AssessmentRun listed =
        assess(t.engine, t.h, scheme, march,
               SubjectSelection::of({IndicatorSubject::unit("fire:S1")}), options);
    REQUIRE(listed.scores.size() == 1);
    CHECK(listed.scores[0].subject.level == "fire:small");
    CHECK_THROWS_WITH_AS(
        assess(t.engine, t.h, scheme, march, SubjectSelection::every_unit("market"), options),
        doctest::Contains("no overlay \"market\""), Error);
    CHECK_THROWS_WITH_AS(
        assess(t.engine, t.h, scheme, march, SubjectSelection::every_unit("fire", "grid"), options),
        doctest::Contains("level \"grid\" is not a level of overlay fire"), Error);
}

TEST_CASE("indicators.schemes_score_from_them") {
    Fixture t;
    // urban_region on grid q1 (一类): filed A C F G = 4; public C → 25 %; due A C G, closed
    // and on time A G → 66.67 %.  0.1 × 75 + 0.2 × 75 + 0.3 × 66.67 + 0.4 × 66.67 = 69.17.
    const AssessmentScheme region = AssessmentScheme::preset("urban_region");
    AssessmentRun r = assess(t.engine, t.h, region, march,
                             SubjectSelection::of({IndicatorSubject::node("371338101001001")}));
    REQUIRE(r.scores.size() == 1);
    REQUIRE(r.scores[0].total.has_value());
    CHECK(*r.scores[0].total == doctest::Approx(7.5 + 15 + 20 + 0.4 * 200.0 / 3));
    CHECK(r.scores[0].grade == "pass");
    CHECK(r.scores[0].subject.level == "grid");
    CHECK(r.scores[0].subject.area_class == "一类");
    CHECK(r.scores[0].rank == 1);
    // The explanation reaches the case numbers.
    const Explanation ex = explain(r.scores[0]);
    bool found = false;
    for (const Explanation& component : ex.children) {
        for (const Explanation& indicator : component.children) {
            for (const Explanation& source : indicator.children)
                found = found || source.key == t.nc;
        }
    }
    CHECK(found);

    // Every grid: q2 (二类) filed B = 1 → 90; closure 1 / 1 → 100, on time 0 / 1 → 0;
    // public 0 % → 100: 10 + 18 + 30 + 0 = 58. d1 (二类): filed 0 → 100, public rate undefined
    // (立案数 is 0) → excluded; closure 100 % (E), on time 0 %: weights renormalised by 1 / 0.9:
    // (0.2 × 100 + 0.3 × 100 + 0) / 0.9 = 55.56.
    r = assess(t.engine, t.h, region, march, SubjectSelection::every_node("grid"));
    REQUIRE(r.scores.size() == 3);
    CHECK(*r.scores[1].total == doctest::Approx(58));
    CHECK(*r.scores[2].total == doctest::Approx(50.0 / 0.9));
    CHECK(r.scores[0].rank == 1);  // alone in its peer group (grid, 一类)
    CHECK(r.scores[1].rank == 1);  // 二类: 58 before 55.56
    CHECK(r.scores[2].rank == 2);
    // The runner ranks as rank() does.
    std::vector<ScoreResult> again = r.scores;
    for (ScoreResult& s : again)
        s.rank = 0;
    rank(again);
    for (std::size_t i = 0; i < again.size(); ++i) {
        CHECK(again[i].rank == r.scores[i].rank);
        CHECK(again[i].peers == r.scores[i].peers);
    }

    // urban_department for 环卫所: filed 4 → 10; closure 100 % → 30; on-time handling 2 / 4
    // → 15; rework 1 / 4 = 25 % → 22.5.  Total 77.5.
    const AssessmentScheme dept = AssessmentScheme::preset("urban_department");
    r = assess(t.engine, t.h, dept, march, SubjectSelection::every_department());
    REQUIRE(r.scores.size() == 2);
    CHECK(r.scores[0].subject.code == "D-HW-QS");
    CHECK(*r.scores[0].total == doctest::Approx(77.5));
    CHECK(r.scores[0].grade == "pass");

    // jinhua_district for the county: on time ex deferred 50 % → 30; closure ex deferred
    // 100 % → 20; no emergencies → 5 + 5; rework 5 − 0.2 × 1 = 4.8.  Total 64.8.
    const AssessmentScheme jinhua = AssessmentScheme::preset("jinhua_district");
    r = assess(t.engine, t.h, jinhua, march,
               SubjectSelection::of({IndicatorSubject::node("371338")}));
    CHECK(*r.scores[0].total == doctest::Approx(64.8));
    CHECK(r.scores[0].grade == "pass");
    CHECK(r.flags.empty());
}

TEST_CASE("indicators.runner_scores_as_score_does") {
    // assess() hands each subject's values over to the scorer rather than copying them: its
    // results (inputs with their sources, notes, missing keys, ranks) are those of score()
    // and rank() on the table's values, for every scheme the cases feed.
    Fixture t;
    const CaseIndicatorTable table = case_indicators_by_node(t.engine, t.h, march);
    for (const std::string& key : AssessmentScheme::preset_keys()) {
        if (key == "grid_worker")
            continue;  // its subjects come from the activity log
        INFO(key);
        const AssessmentScheme scheme = AssessmentScheme::preset(key);
        std::vector<std::string> keys;
        for (const IndicatorSpec& spec : scheme.indicators())
            keys.push_back(spec.key);
        for (const bool sources : {true, false}) {
            INFO("sources " << sources);
            AssessOptions options;
            options.sources = sources;
            options.default_area_class = "二类";
            options.extra["371338101001002"]["filed"] = IndicatorValue::of(7);
            std::vector<ScoreResult> expected;
            for (const NodeId n : t.h.preorder()) {
                ScoreInput in;
                in.subject.code = t.h.code(n);
                in.subject.level = t.h.levels()[static_cast<std::size_t>(t.h.level(n))].key;
                in.subject.area_class =
                    t.h.area_class(n).empty() ? options.default_area_class : t.h.area_class(n);
                in.period = march;
                in.values = table.node(n, keys, sources);
                if (in.subject.code == "371338101001002")
                    in.values["filed"] = IndicatorValue::of(7);
                expected.push_back(score(scheme, in));
            }
            rank(expected);
            const AssessmentRun nodes =
                assess(t.engine, t.h, scheme, march, SubjectSelection::every_node(""), options);
            REQUIRE(nodes.scores.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i)
                CHECK(score_to_json(nodes.scores[i]) == score_to_json(expected[i]));

            expected.clear();
            for (const std::string& code : table.departments()) {
                ScoreInput in;
                in.subject = AssessmentSubject{code, "department", options.default_area_class};
                in.period = march;
                in.values = table.department(code, keys, sources);
                expected.push_back(score(scheme, in));
            }
            rank(expected);
            const AssessmentRun departments =
                assess(t.engine, t.h, scheme, march, SubjectSelection::every_department(), options);
            REQUIRE(departments.scores.size() == expected.size());
            for (std::size_t i = 0; i < expected.size(); ++i)
                CHECK(score_to_json(departments.scores[i]) == score_to_json(expected[i]));
        }
    }
}

TEST_CASE("indicators.runner_raises_rule_flags_over_a_history") {
    Fixture t;
    const AssessmentScheme dept = AssessmentScheme::preset("urban_department");
    // 综治中心 in March: closure 0 % (C deferred), filed 1 → 10, on-time handling 0 / 1 → 0,
    // rework 0 % → 30: total 40, failing.  With two failing months before: a flag.
    AssessOptions options;
    for (const char* month : {"2024-01", "2024-02"}) {
        ScoreResult past;
        past.scheme = "urban_department";
        past.subject.code = "D-ZZ-QS";
        past.subject.level = "department";
        past.period = AssessmentPeriod::parse(month);
        past.total = 40;
        past.grade = "fail";
        past.failing = true;
        options.history.push_back(past);
    }
    options.extra["D-HW-QS"]["filed"] = IndicatorValue::of(2000);  // an override → 0 points
    const AssessmentRun r =
        assess(t.engine, t.h, dept, march, SubjectSelection::every_department(), options);
    REQUIRE(r.scores.size() == 2);
    CHECK(*r.scores[1].total == doctest::Approx(40));
    CHECK(r.scores[1].failing);
    CHECK(*r.scores[0].total == doctest::Approx(67.5));
    REQUIRE(r.flags.size() == 1);
    CHECK(r.flags[0].subject == "D-ZZ-QS");
    CHECK(r.flags[0].rule == "award_ineligible");
    CHECK(r.flags[0].streak == 3);
    CHECK(r.flags[0].period == march);

    CHECK_THROWS_AS(assess(t.engine, t.h, dept, march, SubjectSelection::every_grid_worker()),
                    Error);
    CHECK_THROWS_AS(assess(t.engine, t.h, dept, march, SubjectSelection::every_node("street")),
                    Error);
}

TEST_CASE("indicators.runner_scores_grid_workers_from_activity_and_cases") {
    Fixture t;
    ActivityLog log;
    for (int day = 1; day <= 31; ++day) {
        const Date date = Date::from_ymd(2024, 3, static_cast<unsigned>(day));
        Attendance a;
        a.id = "att-" + std::to_string(day);
        a.person = "P0001";
        a.date = date;
        log.add(a);
    }
    AssessOptions options;
    options.activity = &log;
    options.calendar = &t.engine.calendar();
    options.directory = &t.dir;
    const AssessmentScheme worker = AssessmentScheme::preset("grid_worker");
    const AssessmentRun r =
        assess(t.engine, t.h, worker, march, SubjectSelection::every_grid_worker("grid"), options);
    REQUIRE(r.scores.size() == 1);
    CHECK(r.scores[0].subject.code == "P0001");
    CHECK(r.scores[0].subject.level == "worker");
    // reports_adopted: A F G filed (D voided) → a bonus of 3 points.
    bool bonus = false;
    for (const AdjustmentResult& adj : r.scores[0].adjustments) {
        if (adj.indicator == "reports_adopted") {
            CHECK(adj.count == 3);
            CHECK(adj.points == 3);
            bonus = true;
        }
    }
    CHECK(bonus);
}

// ---- the workflow's measures ---------------------------------------------------------------

namespace {

// The township loop with every stage, state, counter and flag renamed and, with `declare`,
// its measures declared under the new names (without: no measures block at all).
WorkflowSpec renamed_township(bool declare) {
    WorkflowSpec s = WorkflowSpec::preset("township_six_step");
    const auto re = [](std::string& name) {
        if (!name.empty())
            name = "x_" + name;
    };
    s.key = "renamed_six_step";
    for (StageSpec& st : s.stages)
        re(st.key);
    for (StateSpec& st : s.states) {
        re(st.key);
        re(st.timer);
    }
    for (std::string& c : s.counters)
        re(c);
    for (std::string& f : s.flags)
        re(f);
    for (TransitionSpec& t : s.transitions) {
        for (std::string& f : t.from)
            re(f);
        re(t.to);
        for (std::string& c : t.increments)
            re(c);
        for (CounterGuard& g : t.guards)
            re(g.counter);
        for (std::string& f : t.sets_flags)
            re(f);
        for (std::string& f : t.clears_flags)
            re(f);
    }
    REQUIRE(s.measures.has_value());
    WorkflowMeasures& m = *s.measures;
    for (std::string* name :
         {&m.intake, &m.dispatch, &m.handling, &m.check, &m.rework, &m.extensions, &m.returns,
          &m.self_handled, &m.supervised, &m.faked, &m.refused})
        re(*name);
    if (!declare)
        s.measures.reset();
    return s;
}

// Registers `spec` on an engine whose categories give its stages the limits they give the
// township loop's stages of the same names without the prefix.
std::function<std::string(CaseEngine&)> with_workflow(WorkflowSpec spec) {
    return [spec](CaseEngine& engine) {
        CategoryCatalogue categories = engine.categories();
        for (Category& c : categories.categories) {
            const std::vector<StageLimit> limits = c.limits;
            for (StageLimit l : limits) {
                l.stage = "x_" + l.stage;
                c.limits.push_back(l);
            }
        }
        engine.set_categories(categories);
        const std::vector<Finding> findings = engine.add_workflow(spec);
        CHECK(findings.empty());
        return spec.key;
    };
}

// Cases beyond the seven of the fixture, so that every measure counts something: H is
// handled on the spot, I returned by the department once, F supervised.
void more_cases(Fixture& t) {
    const CaseId h = t.report(t.q1, "P0001", "2024-03-12T09:00");
    CaseCommand self = cmd(Command::self_handle, "P0001", "2024-03-12T09:30");
    self.evidence = {"photo.jpg"};
    t.engine.fire(h, self);
    t.engine.fire(h, cmd(Command::check_pass, "P0007", "2024-03-12T10:00"));
    t.engine.fire(h, cmd(Command::close, "P0002", "2024-03-12T10:30"));

    const CaseId i = t.report(t.q2, "P0002", "2024-03-13T09:00");
    t.engine.fire(i, cmd(Command::file, "P0002", "2024-03-13T09:10"));
    CaseCommand dispatch = cmd(Command::dispatch, "P0002", "2024-03-13T09:20");
    dispatch.department = "D-HW-QS";
    t.engine.fire(i, dispatch);
    CaseCommand back = cmd(Command::return_case, "P0005", "2024-03-13T09:40");
    back.reason = "不属本所职责";
    t.engine.fire(i, back);
    dispatch.at = at("2024-03-13T10:00");
    t.engine.fire(i, dispatch);
    t.engine.fire(i, cmd(Command::accept, "P0005", "2024-03-13T10:10"));

    CaseCommand supervise = cmd(Command::supervise, "P0006", "2024-03-29T16:30");
    supervise.reason = "临近期限";
    t.engine.fire(t.f, supervise);
}

void check_same_values(const IndicatorValues& expected, const IndicatorValues& got,
                       const std::string& what) {
    CAPTURE(what);
    REQUIRE(got.size() == expected.size());
    for (const auto& entry : expected) {
        const std::string& key = entry.first;  // a named copy: CAPTURE takes it in a lambda
        const IndicatorValue& v = entry.second;
        CAPTURE(key);
        const auto it = got.find(key);
        REQUIRE(it != got.end());
        CHECK(it->second.value == v.value);
        CHECK(it->second.reason == v.reason);
        CHECK(it->second.sources == v.sources);
    }
}

// Every indicator of every subject and period, one subject at a time and from the table.
void check_same_indicators(const Fixture& expected, const Fixture& got) {
    for (const char* p : {"2024-02", "2024-03", "2024-04"}) {
        const AssessmentPeriod period = AssessmentPeriod::parse(p);
        const CaseIndicatorTable te = case_indicators_by_node(expected.engine, expected.h, period);
        const CaseIndicatorTable tg = case_indicators_by_node(got.engine, got.h, period);
        CHECK(tg.cases() == te.cases());
        for (const NodeId n : expected.h.preorder()) {
            const std::string code = expected.h.code(n);
            check_same_values(
                case_indicators(expected.engine, IndicatorSubject::node(code), period),
                case_indicators(got.engine, IndicatorSubject::node(code), period),
                std::string(p) + " node " + code);
            check_same_values(te.node(n), tg.node(got.h.at(code)),
                              std::string(p) + " table node " + code);
        }
        for (const std::string& d : te.departments()) {
            check_same_values(
                case_indicators(expected.engine, IndicatorSubject::department(d), period),
                case_indicators(got.engine, IndicatorSubject::department(d), period),
                std::string(p) + " department " + d);
            check_same_values(te.department(d), tg.department(d),
                              std::string(p) + " table department " + d);
        }
        const std::vector<std::string> grids = {"371338101001001", "371338101001002"};
        for (const char* person : {"P0001", "P0002", "P0003", "P0005", "P0006", "P0007", "P0008"}) {
            check_same_values(
                case_indicators(expected.engine, IndicatorSubject::person(person, grids), period),
                case_indicators(got.engine, IndicatorSubject::person(person, grids), period),
                std::string(p) + " person " + person);
        }
    }
}

}  // namespace

TEST_CASE("indicators.a_renamed_workflow_with_its_measures_scores_as_the_builtin_one") {
    Fixture builtin;
    more_cases(builtin);
    Fixture renamed(with_workflow(renamed_township(true)));
    more_cases(renamed);
    REQUIRE(renamed.engine.get(renamed.b).workflow == "renamed_six_step");
    REQUIRE(renamed.engine.get(renamed.b).state == "x_closed");

    // Every measure counts something in the built-in loop, so the comparison is not one of
    // zeros.
    const IndicatorValues march_county =
        case_indicators(builtin.engine, IndicatorSubject::node("371338"), march);
    for (const char* key :
         {"verified_on_time", "dispatched_on_time", "dispatched_accurately", "to_check",
          "checked_on_time", "closed_on_time", "rework", "extended", "deferred", "handled"})
        CHECK_MESSAGE(value(march_county, key) > 0, key);
    CHECK(value(march_county, "to_dispatch") == value(march_county, "filed") - 1);            // H
    CHECK(value(march_county, "dispatched_accurately") < value(march_county, "dispatched"));  // I
    const IndicatorValues april_county = case_indicators(
        builtin.engine, IndicatorSubject::node("371338"), AssessmentPeriod::parse("2024-04"));
    CHECK(value(april_county, "supervised") == 1);  // F

    check_same_indicators(builtin, renamed);

    SUBCASE("without its measures the renamed workflow scores otherwise") {
        Fixture bare(with_workflow(renamed_township(false)));
        more_cases(bare);
        const IndicatorValues v =
            case_indicators(bare.engine, IndicatorSubject::node("371338"), march);
        CHECK(value(v, "rework") == 0);
        CHECK(value(v, "to_check") == 0);
        CHECK(value(v, "rework") != value(march_county, "rework"));
    }
}

TEST_CASE("indicators.faked_and_refused_count_the_flags_the_measures_name") {
    WorkflowSpec spec = renamed_township(true);
    spec.flags.push_back("虚假处置");
    spec.flags.push_back("推诿扯皮");
    spec.measures->faked = "虚假处置";
    spec.measures->refused = "推诿扯皮";
    for (TransitionSpec& t : spec.transitions) {
        if (t.command == Command::supervise)
            t.sets_flags.push_back("虚假处置");
    }
    Fixture t(with_workflow(spec));
    more_cases(t);
    const IndicatorValues v = case_indicators(t.engine, IndicatorSubject::node("371338"),
                                              AssessmentPeriod::parse("2024-04"));
    CHECK(value(v, "supervised") == 1);
    CHECK(value(v, "faked") == 1);
    CHECK(sources(v, "faked") == std::vector<std::string>{t.nf});
    CHECK(value(v, "refused") == 0);

    Fixture builtin;
    more_cases(builtin);
    CHECK(value(case_indicators(builtin.engine, IndicatorSubject::node("371338"),
                                AssessmentPeriod::parse("2024-04")),
                "faked") == 0);
}
