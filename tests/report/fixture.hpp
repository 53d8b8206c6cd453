// A small workspace for the report tests (tests/cpp/report_test.cpp and the browser test
// tests/report/report_browser.cpp): 苇川县 青石镇 with two villages and three grids, the
// built-in six-step workflow, cases in every kind (open with running clocks, closed on
// time, closed late, voided), three months of stored scores of a village scheme with a
// failing streak and its flag, and one recorded inspection draw.
#ifndef GRIDGOV_TESTS_REPORT_FIXTURE_HPP
#define GRIDGOV_TESTS_REPORT_FIXTURE_HPP

#include <filesystem>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"

namespace report_fixture {

using namespace gridgov;
namespace fs = std::filesystem;

using gridgov_test::at;
using gridgov_test::cmd;
using gridgov_test::node;
using gridgov_test::person;
using gridgov_test::post;
using gridgov_test::TempDir;

/// The village scheme of the fixture: one component, the on-time closure rate, scored
/// linearly; pass from 60; three failing months raise "dismissal_review".
inline const char* village_scheme_json() {
    return R"({"key": "village_monthly", "label": "村级案件月度考核", "period": "month",
      "indicators": [{"key": "on_time", "label": "按期结案率", "unit": "%"}],
      "components": [{"key": "closure", "label": "按期结案", "weight": 1, "indicator": "on_time",
        "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
      "grades": [{"key": "pass", "label": "合格", "min": 60},
                 {"key": "fail", "label": "不合格", "min": 0, "failing": true}],
      "rules": [{"key": "dismissal_review", "label": "连续三月不合格", "period": "month",
                 "count": 3}]})";
}

/// What the fixture holds, by hand.
struct Expected {
    std::size_t cases = 0;
    std::size_t open = 0;
    std::size_t closed_on_time = 0;
    std::size_t closed_late = 0;
    std::size_t voided = 0;
};

/// The case numbers used as sources of 青石村's March value: 25 of them, so that the
/// explanation shows 20 and "5 more".
inline std::vector<std::string> march_sources() {
    std::vector<std::string> out;
    for (int i = 1; i <= 25; ++i) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "SRC-%03d", i);
        out.push_back(buf);
    }
    return out;
}

/// The instant the board is read at: 2024-03-05 12:00 CST.
inline Instant board_instant() {
    return at("2024-03-05T12:00");
}

/// Fills a new workspace. Villages: 青石村 371338101001 (grids 001, 002) and 东岭村
/// 371338101002 (grid 001); the second village's display name in the page is
/// "东岭村<b>" (the hierarchy holds it so, to test escaping).
inline Expected populate(Workspace& ws) {
    Catalogue c = merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue());
    ws.directory().set_catalogue(c);
    ws.hierarchy().add_nodes({node("371338", "", "county", "苇川县"),
                              node("371338101", "371338", "township", "青石镇"),
                              node("371338101001", "371338101", "village", "青石村"),
                              node("371338101002", "371338101", "village", "东岭村<b>"),
                              node("371338101001001", "371338101001", "grid", "青石村第一网格"),
                              node("371338101001002", "371338101001", "grid", "青石村第二网格"),
                              node("371338101002001", "371338101002", "grid", "东岭村第一网格")});
    const Hierarchy& h = ws.hierarchy().view();
    ws.directory().add_people({person("P0002", "李秀英"), person("P0004", "刘洋"),
                               person("P0005", "陈静"), person("P0003", "张伟")});
    ws.directory().add_assignments({post("P0002", "service_centre_staff", h.at("371338101")),
                                    post("P0004", "village_grid_leader", h.at("371338101001")),
                                    post("P0003", "village_grid_leader", h.at("371338101002"))});
    ws.cases().set_departments(DepartmentCatalogue::from_json(
        R"({"key": "qingshi", "name": "青石镇处置部门", "departments": [
          {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101",
           "members": ["P0005"]}]})",
        "departments"));

    CaseEngine& e = ws.cases();
    const NodeId q1 = h.at("371338101001001");
    const NodeId q2 = h.at("371338101001002");
    const NodeId d1 = h.at("371338101002001");
    const auto report = [&](NodeId where, const std::string& when) {
        NewCase n;
        n.command.command = Command::report;
        n.command.actor = "P0002";
        n.command.at = at(when);
        n.command.node = where;
        n.command.category = "E0102";
        return e.report(n);
    };
    const auto to_handling = [&](NodeId where, const std::string& day) {
        const CaseId id = report(where, day + "T09:00");
        e.fire(id, cmd(Command::file, "P0002", day + "T09:10"));
        CaseCommand d = cmd(Command::dispatch, "P0002", day + "T09:20");
        d.department = "D-HW-QS";
        e.fire(id, d);
        e.fire(id, cmd(Command::accept, "P0005", day + "T09:30"));
        return id;
    };
    const auto close = [&](CaseId id, const std::string& village_leader, const std::string& day) {
        CaseCommand f = cmd(Command::feedback, "P0005", day + "T11:00");
        f.evidence.push_back("photo.jpg");
        e.fire(id, f);
        e.fire(id, cmd(Command::check_pass, village_leader, day + "T14:00"));
        e.fire(id, cmd(Command::close, "P0002", day + "T14:30"));
    };
    Expected x;
    // 青石村: two closed on time on 2024-03-04, one still being handled.
    close(to_handling(q1, "2024-03-04"), "P0004", "2024-03-04");
    close(to_handling(q2, "2024-03-04"), "P0004", "2024-03-04");
    to_handling(q1, "2024-03-05");
    // 东岭村: one reported and left waiting since 2024-02-26 (its clock ran out), one
    // voided, one handled late (reported 2024-02-27, closed 2024-03-04 after a breach).
    report(d1, "2024-02-26T09:00");
    const CaseId v = report(d1, "2024-03-04T15:00");
    CaseCommand vc = cmd(Command::void_case, "P0002", "2024-03-04T15:10");
    vc.reason = "当事人已和解";
    e.fire(v, vc);
    const CaseId late = to_handling(d1, "2024-02-27");
    e.tick(at("2024-03-04T10:00"));
    close(late, "P0003", "2024-03-04");
    e.tick(board_instant());
    x.cases = 6;
    x.open = 2;
    x.closed_on_time = 2;
    x.closed_late = 1;
    x.voided = 1;

    // Scores: 青石村 passes, 东岭村 fails three months running.
    const AssessmentScheme scheme = AssessmentScheme::from_json(village_scheme_json());
    std::vector<ScoreResult> history;
    const double qingshi[] = {90, 85, 95};
    const double dongling[] = {50, 40, 30};
    for (int m = 0; m < 3; ++m) {
        const AssessmentPeriod p = AssessmentPeriod::of(PeriodKind::month, 2024, m + 1);
        std::vector<ScoreResult> month;
        ScoreInput a;
        a.subject = {"371338101001", "village", ""};
        a.period = p;
        a.values["on_time"] = IndicatorValue::of(
            qingshi[m],
            m == 2 ? march_sources() : std::vector<std::string>{"SRC-Q" + std::to_string(m)});
        month.push_back(score(scheme, a));
        ScoreInput b;
        b.subject = {"371338101002", "village", ""};
        b.period = p;
        b.values["on_time"] = IndicatorValue::of(dongling[m], {"SRC-D" + std::to_string(m)});
        month.push_back(score(scheme, b));
        rank(month);
        history.insert(history.end(), month.begin(), month.end());
    }
    ws.assessment().store_scores(history);
    ws.assessment().store_rule_flags("village_monthly", evaluate_rules(scheme, history));

    DrawSpec spec;
    spec.seed = 20240301;
    spec.candidates = {"371338101001001", "371338101001002", "371338101002001"};
    spec.count = 2;
    ws.assessment().record_draw("2024-03", draw(spec));

    // Base records: a house in each grid (the second and third rented), a resident in
    // each (the third floating), a shop; a field check of the three houses in March: the
    // first resident correct, the second wrong, someone not collected at the third.
    const auto record = [&](const std::string& key, const char* kind, const char* grid,
                            std::vector<std::pair<std::string, std::string>> fields) {
        Record r;
        r.key = key;
        r.kind = kind;
        r.node = h.at(grid);
        r.fields = std::move(fields);
        return r;
    };
    ws.records().add(
        {record("H1", "house", "371338101001001",
                {{"house_code", "3713381010010010001"}, {"address", "青石村1号"}, {"use", "自住"}}),
         record("H2", "house", "371338101001002",
                {{"house_code", "3713381010010020001"}, {"address", "青石村9号"}, {"use", "出租"}}),
         record("H3", "house", "371338101002001",
                {{"house_code", "3713381010020010001"}, {"address", "东岭村3号"}, {"use", "出租"}}),
         record("R1", "resident", "371338101001001",
                {{"name", "王一"}, {"registration", "户籍人口"}, {"house", "H1"}}),
         record("R2", "resident", "371338101001002",
                {{"name", "王二"}, {"registration", "户籍人口"}, {"house", "H2"}}),
         record("R3", "resident", "371338101002001",
                {{"name", "王三"}, {"registration", "流动人口"}, {"house", "H3"}}),
         record("U1", "unit", "371338101001001",
                {{"name", "青石小卖部"}, {"unit_kind", "个体工商户"}})},
        Date::parse("2024-01-01"));
    CheckRound check;
    check.label = "2024-03 青石镇 四实督查";
    check.date = Date::parse("2024-03-20");
    check.inspector = "督导员";
    check.draw = ws.records().draw_check("house", no_node, 3, 20240320);
    check.findings = {{"H1", "R1", CheckOutcome::correct, "", no_node},
                      {"H2", "R2", CheckOutcome::wrong, "phone", no_node},
                      {"H3", "", CheckOutcome::not_collected, "租客", no_node}};
    ws.records().record_check(check);
    return x;
}

/// The report options the tests use: the county, villages, the fixture's scheme.
/// A fire network over the two villages: 大网格 L1 with a 中网格 on each, M1 on 青石村 and M2
/// (named `m2_name`) on 东岭村.
inline void add_fire_network(Workspace& ws, const std::string& m2_name = "东岭村消防中网格") {
    ws.hierarchy().add_overlay("fire", "消防网格", fire_safety_levels());
    ws.hierarchy().add_overlay_unit("fire", {"L1", "", "青石镇消防大网格", "large", {}});
    ws.hierarchy().add_overlay_unit("fire",
                                    {"M1", "L1", "青石村消防中网格", "medium", {"371338101001"}});
    ws.hierarchy().add_overlay_unit("fire", {"M2", "L1", m2_name, "medium", {"371338101002"}});
}

inline ReportOptions options() {
    ReportOptions o;
    o.schemes.push_back(AssessmentScheme::from_json(village_scheme_json()));
    return o;
}

}  // namespace report_fixture

#endif
