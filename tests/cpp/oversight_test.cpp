// Oversight: the monthly inspection of seed 003 (11 of the 33 grids drawn, findings
// recorded, deductions charged to grids and departments, the city_inspection scheme's
// month, quarter and three-failures flag) and the promises of seed 002 第三篇 (一事一诺一
// 评价: progress over real cases, ratings, the public board, 362 matters with a mean
// citizen score of 83.2).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../report/fixture.hpp"
#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

using gridgov_test::at;
using gridgov_test::node;
using gridgov_test::person;

/// 莒南县城区 as seed 003 divides it: 11 网区 (here the villages of one township) of three
/// grids each, 33 grids in all.
struct County {
    Hierarchy h;
    std::vector<std::string> grids;   ///< the 33 grid codes in order
    std::vector<std::string> strata;  ///< the 网区 of each grid

    County() {
        std::vector<NodeSpec> specs{node("371327001", "", "township", "莒南县城区")};
        for (int a = 1; a <= 11; ++a) {
            char area[16];
            std::snprintf(area, sizeof area, "371327001%03d", a);
            specs.push_back(node(area, "371327001", "village", "第" + std::to_string(a) + "网区"));
            for (int g = 1; g <= 3; ++g) {
                char grid[20];
                std::snprintf(grid, sizeof grid, "%s%03d", area, g);
                specs.push_back(node(grid, area, "grid", std::string("网格") + grid));
                grids.push_back(grid);
                strata.push_back(area);
            }
        }
        h.add_all(specs);
    }
};

InspectionFinding finding(const std::string& item, double deduction,
                          const std::string& charged_to = "") {
    InspectionFinding f;
    f.item = item;
    f.deduction = deduction;
    f.charged_to = charged_to;
    f.evidence = {"photo/" + item + ".jpg"};
    return f;
}

Inspection inspection(const std::string& id, const std::string& draw, const std::string& subject,
                      const std::string& when, std::vector<InspectionFinding> findings = {}) {
    Inspection in;
    in.id = id;
    in.draw = draw;
    in.subject = subject;
    in.at = at(when);
    in.inspectors = {"P0002"};
    in.findings = std::move(findings);
    return in;
}

double value(const IndicatorValues& v, const std::string& key) {
    REQUIRE(v.count(key) == 1);
    REQUIRE(v.at(key).defined());
    return *v.at(key).value;
}

}  // namespace

TEST_CASE("oversight.eleven_of_thirty_three_grids_are_inspected_and_charged") {
    const County c;
    DrawSpec spec;
    spec.seed = 20260301;
    spec.candidates = c.grids;
    spec.strata = c.strata;  // one grid of every 网区
    spec.count = 11;
    const DrawRecord march = draw(spec);
    REQUIRE(march.picks.size() == 11);

    // Every pick inspected on 2026-03-16 (after the sanitation day); the first pick has two
    // findings, one charged to the sanitation department; the second found nothing.
    std::vector<Inspection> all;
    for (std::size_t i = 0; i < march.picks.size(); ++i) {
        std::vector<InspectionFinding> found;
        if (i == 0)
            found = {finding("门前三包: 乱摆乱卖", 2), finding("暴露垃圾", 3, "D-HW")};
        else if (i >= 2)
            found = {finding("乱张乱挂", 1)};
        all.push_back(inspection("I" + std::to_string(i + 1), "2026-03", march.picks[i],
                                 "2026-03-16T09:00", found));
    }
    // A daily supervision outside the draw, in April: not a task, not in March's values.
    all.push_back(inspection("I12", "", c.grids[0], "2026-04-02T10:00", {finding("乱停乱放", 4)}));

    const std::vector<InspectionTask> tasks = inspection_tasks("2026-03", march, all);
    REQUIRE(tasks.size() == 11);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        CHECK(tasks[i].pick == i);
        CHECK(tasks[i].subject == march.picks[i]);
        CHECK(tasks[i].done());
        CHECK(tasks[i].inspections == std::vector<std::string>{"I" + std::to_string(i + 1)});
    }
    CHECK(tasks[0].findings == 2);
    CHECK(tasks[0].deduction == 5);  // whomever it is charged to
    CHECK(tasks[1].findings == 0);
    CHECK_FALSE(inspection_tasks("2026-04", march, all)[0].done());

    const Networks networks(c.h);
    const AssessmentPeriod m = AssessmentPeriod::parse("2026-03");
    // The first pick: inspected once, one finding of 2 points its own (the other is the
    // department's).
    const IndicatorValues first = inspection_values(all, march.picks[0], networks, m);
    CHECK(value(first, "inspections") == 1);
    CHECK(value(first, "inspection_clean") == 0);
    CHECK(value(first, "inspection_findings") == 1);
    CHECK(value(first, "inspection_deduction") == 2);
    CHECK(first.at("inspection_findings").sources == std::vector<std::string>{"I1#1"});
    const IndicatorValues clean = inspection_values(all, march.picks[1], networks, m);
    CHECK(value(clean, "inspections") == 1);
    CHECK(value(clean, "inspection_clean") == 1);
    CHECK(value(clean, "inspection_deduction") == 0);
    // The department: one finding charged to it, no inspection of it.
    const IndicatorValues dept = inspection_values(all, "D-HW", networks, m);
    CHECK(value(dept, "inspections") == 0);
    CHECK(value(dept, "inspection_findings") == 1);
    CHECK(value(dept, "inspection_deduction") == 3);
    CHECK(dept.at("inspection_deduction").sources == std::vector<std::string>{"I1#2"});
    // The 网区 of the first pick covers its grids; the whole county every grid's findings
    // but not the department's: 2 + 9 × 1.
    const std::string area = c.strata[static_cast<std::size_t>(
        std::find(c.grids.begin(), c.grids.end(), march.picks[0]) - c.grids.begin())];
    CHECK(value(inspection_values(all, area, networks, m), "inspection_deduction") == 2);
    const IndicatorValues county = inspection_values(all, "371327001", networks, m);
    CHECK(value(county, "inspections") == 11);
    CHECK(value(county, "inspection_findings") == 10);
    CHECK(value(county, "inspection_deduction") == 11);
    // April holds only the daily supervision.
    const IndicatorValues april =
        inspection_values(all, c.grids[0], networks, AssessmentPeriod::parse("2026-04"));
    CHECK(value(april, "inspections") == 1);
    CHECK(value(april, "inspection_deduction") == 4);

    // The city_inspection scheme: 100 less the points found, graded; the department's
    // month is 97.
    const AssessmentScheme scheme = AssessmentScheme::preset("city_inspection");
    ScoreInput in;
    in.subject = {"D-HW", "department", ""};
    in.period = m;
    in.values = dept;
    const ScoreResult r = score(scheme, in);
    REQUIRE(r.total);
    CHECK(*r.total == doctest::Approx(97));
    CHECK(r.grade == "excellent");
}

TEST_CASE("oversight.inspections_json") {
    const std::vector<Inspection> list = {
        inspection("I1", "2026-03", "371327001001001", "2026-03-16T09:00",
                   {finding("暴露垃圾", 3, "D-HW")}),
        inspection("I2", "", "D-HW", "2026-03-17T09:00")};
    const std::string text = inspections_to_json(list);
    const std::vector<Inspection> back = inspections_from_json(text, "i.json");
    CHECK(back == list);
    CHECK(inspections_to_json(back) == text);
    CHECK_THROWS_WITH_AS(
        inspections_from_json(R"([{"id": "I1", "subject": "G", "at": "2026-03-16T09:00",
                                   "findings": [{"item": "x", "deduction": -1}]}])",
                              "i.json"),
        doctest::Contains("i.json inspections[0].findings[0] field 'deduction': -1"), Error);
    CHECK_THROWS_WITH_AS(inspections_from_json(R"([{"id": "I1", "colour": "red"}])", "i.json"),
                         doctest::Contains("i.json inspections[0] field 'colour': unknown member"),
                         Error);
    CHECK_THROWS_WITH_AS(inspections_from_json(R"([{"id": "I1", "subject": "G"}])", "i.json"),
                         doctest::Contains("i.json inspections[0] field 'at': missing"), Error);
    CHECK_THROWS_WITH_AS(inspections_from_json(R"({"id": "I1"})", "i.json"),
                         doctest::Contains("(expected an array of inspections)"), Error);
    CHECK_THROWS_AS(inspections_from_json("[{", "i.json"), Error);
}

TEST_CASE("oversight.workspace_inspections_count_in_scores" * doctest::test_suite("store")) {
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "oversight.gridgov");
    const std::string q1 = "371338101001001", q2 = "371338101001002", d1 = "371338101002001";
    const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");
    {
        Workspace ws = Workspace::open(path);
        report_fixture::populate(ws);
        // The fixture's draw of March: two of the three grids.
        REQUIRE(ws.assessment().draws().size() == 1);
        const DrawRecord d = ws.assessment().draws()[0].record;
        REQUIRE(d.picks.size() == 2);
        const std::string pick = d.picks[0];
        const std::string other = d.picks[1];
        const std::string not_drawn = pick != q1 && other != q1   ? q1
                                      : pick != q2 && other != q2 ? q2
                                                                  : d1;

        CHECK(ws.oversight().tasks("2024-03").size() == 2);
        CHECK_FALSE(ws.oversight().tasks("2024-03")[0].done());
        ws.oversight().add_inspections(
            {inspection("I1", "2024-03", pick, "2024-03-15T09:00",
                        {finding("暴露垃圾", 15, "D-HW-QS"), finding("乱张乱挂", 30)}),
             inspection("I2", "", "D-HW-QS", "2024-03-20T09:00", {finding("车辆未冲洗", 10)})});

        // Refusals name the element and the field, and record nothing.
        const auto refused = [&](const Inspection& in, ErrorCode code, const std::string& text) {
            try {
                ws.oversight().add_inspections(
                    {inspection("OK", "2024-03", other, "2024-03-15T10:00"), in});
                FAIL("accepted " << in.id);
            } catch (const Error& e) {
                CHECK(e.code() == code);
                CHECK(std::string(e.what()) == text);
            }
            CHECK(ws.oversight().inspections().size() == 2);
        };
        refused(
            inspection("I3", "2024-03", not_drawn, "2024-03-15T10:00"), ErrorCode::not_found,
            "inspections[1] field 'subject': \"" + not_drawn + "\" is not a pick of draw 2024-03");
        refused(inspection("I3", "2024-02", pick, "2024-03-15T10:00"), ErrorCode::not_found,
                "inspections[1] field 'draw': no draw is recorded under \"2024-02\"");
        refused(inspection("I1", "2024-03", pick, "2024-03-15T10:00"), ErrorCode::already_exists,
                "inspections[1] field 'id': \"I1\" is already recorded");
        refused(inspection("I3", "", "371338999", "2024-03-15T10:00"), ErrorCode::not_found,
                "inspections[1] field 'subject': \"371338999\" is not a live node or overlay "
                "unit, a department, a person or a live record");
        Inspection stranger = inspection("I3", "2024-03", pick, "2024-03-15T10:00");
        stranger.inspectors = {"P9"};
        refused(stranger, ErrorCode::not_found,
                "inspections[1] field 'inspectors': \"P9\" is not a person of the directory");
        stranger.inspectors = {};
        refused(stranger, ErrorCode::invalid_argument,
                "inspections[1] field 'inspectors': none named");
        refused(inspection("I3", "2024-03", pick, "2024-03-15T10:00", {finding("x", 1, "D-XX")}),
                ErrorCode::not_found,
                "inspections[1].findings[0] field 'charged_to': \"D-XX\" is not a live node or "
                "overlay unit, a department, a person or a live record");
        refused(inspection("I3", "2024-03", pick, "2024-03-15T10:00", {finding("", 1)}),
                ErrorCode::invalid_argument, "inspections[1].findings[0] field 'item': empty");
        refused(inspection("I3", "2024-03", pick, "2024-03-15T10:00", {finding("x", -2)}),
                ErrorCode::invalid_argument,
                "inspections[1].findings[0] field 'deduction': -2.000000 is not 0 or more");

        const std::vector<InspectionTask> tasks = ws.oversight().tasks("2024-03");
        CHECK(tasks[0].done());
        CHECK(tasks[0].deduction == 45);
        CHECK_FALSE(tasks[1].done());
        CHECK_THROWS_WITH_AS(ws.oversight().tasks("2024-13"),
                             doctest::Contains("no draw is recorded under \"2024-13\""), Error);

        // Another connection sees what this one records.
        Workspace other_ws = Workspace::open(path);
        ws.oversight().add_inspections({inspection("I3", "2024-03", other, "2024-03-16T09:00")});
        other_ws.refresh();
        CHECK(other_ws.oversight().inspections().size() == 3);

        // The scheme over the grids and the departments: the pick loses the 30 points
        // charged to it; the department the 15 of the draw and the 10 of its own check.
        const AssessmentScheme scheme = AssessmentScheme::preset("city_inspection");
        WorkspaceAssessOptions grids;
        grids.level = "grid";
        grids.store = true;
        const AssessmentRun run = ws.assessment().assess(scheme, march, grids);
        REQUIRE(run.scores.size() == 3);
        for (const ScoreResult& r : run.scores) {
            REQUIRE(r.total);
            CHECK(*r.total == doctest::Approx(r.subject.code == pick ? 70 : 100));
        }
        WorkspaceAssessOptions departments;
        departments.departments = true;
        const AssessmentRun dept = ws.assessment().assess(scheme, march, departments);
        REQUIRE(dept.scores.size() == 1);
        CHECK(*dept.scores[0].total == doctest::Approx(75));
        const std::string notice = ws.assessment().notice_html(scheme, march);
        CHECK(notice.find("splitmix64") != std::string::npos);
    }
    // Reopened: every inspection with its findings and evidence, in order.
    const Workspace ws = Workspace::open(path);
    const std::vector<Inspection>& kept = ws.oversight().inspections();
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].id == "I1");
    REQUIRE(kept[0].findings.size() == 2);
    CHECK(kept[0].findings[0].charged_to == "D-HW-QS");
    CHECK(kept[0].findings[0].evidence == std::vector<std::string>{"photo/暴露垃圾.jpg"});
    CHECK(kept[0].at == at("2024-03-15T09:00"));
    CHECK(kept[1].draw.empty());
    CHECK(kept[2].findings.empty());
}

TEST_CASE("oversight.promises_follow_their_matters" * doctest::test_suite("store")) {
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "promises.gridgov");
    const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");
    std::string board_json;
    {
        Workspace ws = Workspace::open(path);
        report_fixture::populate(ws);
        const CaseEngine& e = ws.cases();
        // The fixture's cases in report order: closed on 03-04 at 青石村 grids 1 and 2, open
        // at grid 1, pending at 东岭村, voided at 03-04 15:10, closed late on 03-04.
        std::vector<CaseRecord> cases;
        for (CaseId id = 0; id < e.size(); ++id)
            cases.push_back(e.get(id));
        REQUIRE(cases.size() == 6);
        const auto promise = [&](const std::string& id, std::size_t c, const std::string& by,
                                 const std::string& when) {
            Promise p;
            p.id = id;
            p.case_number = cases[c].number;
            p.what = "三日内清运垃圾<script>";
            p.by = Date::parse(by);
            p.at = at(when);
            return p;
        };
        std::vector<Promise> made{promise("N1", 0, "2024-03-04", "2024-03-04T09:15"),
                                  promise("N2", 5, "2024-02-28", "2024-02-27T10:00"),
                                  promise("N3", 2, "2024-03-06", "2024-03-05T10:00"),
                                  promise("N4", 4, "2024-03-08", "2024-03-04T15:05")};
        made[2].place = "371338101001";  // listed under the village
        ws.oversight().add_promises(made);
        // The place of a promise without one is its case's node.
        CHECK(ws.oversight().promises()[0].place == "371338101001001");
        CHECK(ws.oversight().promises()[2].place == "371338101001");

        const auto refused = [&](const Promise& p, ErrorCode code, const std::string& text) {
            try {
                ws.oversight().add_promises(
                    {promise("OK", 2, "2024-03-09", "2024-03-06T09:00"), p});
                FAIL("accepted " << p.id);
            } catch (const Error& err) {
                CHECK(err.code() == code);
                CHECK(std::string(err.what()) == text);
            }
            CHECK(ws.oversight().promises().size() == 4);
        };
        // A promise made after its matter closed.
        refused(promise("N5", 0, "2024-03-06", "2024-03-05T09:00"), ErrorCode::invalid_argument,
                "promises[1] field 'at': promised at 2024-03-05T09:00:00+08:00, after its matter " +
                    cases[0].number + " closed at 2024-03-04T14:30:00+08:00");
        refused(promise("N5", 2, "2024-03-04", "2024-03-05T09:00"), ErrorCode::invalid_argument,
                "promises[1] field 'by': 2024-03-04 is before the day it was promised "
                "(2024-03-05)");
        Promise unknown = promise("N5", 2, "2024-03-09", "2024-03-05T09:00");
        unknown.case_number = "2099-999999";
        refused(unknown, ErrorCode::not_found,
                "promises[1] field 'case': \"2099-999999\" is not a case");
        Promise team = promise("N5", 2, "2024-03-09", "2024-03-05T09:00");
        team.team = "T-NONE";
        refused(team, ErrorCode::not_found,
                "promises[1] field 'team': \"T-NONE\" is not a live record");
        Promise place = promise("N5", 2, "2024-03-09", "2024-03-05T09:00");
        place.place = "371338999";
        refused(place, ErrorCode::not_found,
                "promises[1] field 'place': \"371338999\" is not a live node");
        Promise empty = promise("N5", 2, "2024-03-09", "2024-03-05T09:00");
        empty.what = "";
        refused(empty, ErrorCode::invalid_argument, "promises[1] field 'what': empty");
        refused(promise("N1", 2, "2024-03-09", "2024-03-05T09:00"), ErrorCode::already_exists,
                "promises[1] field 'id': \"N1\" is already recorded");

        const auto rating = [](const std::string& p, PromiseRater by, double s,
                               const std::string& when) {
            PromiseRating r;
            r.promise = p;
            r.by = by;
            r.score = s;
            r.at = at(when);
            return r;
        };
        ws.oversight().rate_promises({rating("N1", PromiseRater::citizen, 90, "2024-03-05T09:00"),
                                      rating("N1", PromiseRater::team, 95, "2024-03-05T09:00"),
                                      rating("N2", PromiseRater::citizen, 70, "2024-03-05T09:00")});
        const auto refused_rating = [&](const PromiseRating& r, ErrorCode code,
                                        const std::string& text) {
            try {
                ws.oversight().rate_promises(
                    {rating("N3", PromiseRater::team, 60, "2024-03-06T09:00"), r});
                FAIL("accepted a rating of " << r.promise);
            } catch (const Error& err) {
                CHECK(err.code() == code);
                CHECK(std::string(err.what()) == text);
            }
            CHECK(ws.oversight().ratings().size() == 3);
        };
        refused_rating(rating("N2", PromiseRater::team, 101, "2024-03-06T09:00"),
                       ErrorCode::invalid_argument,
                       "ratings[1] field 'score': 101.000000 is outside 0–100");
        refused_rating(rating("N1", PromiseRater::citizen, 80, "2024-03-06T09:00"),
                       ErrorCode::already_exists,
                       "ratings[1] field 'by': promise N1 already has a citizen score");
        refused_rating(rating("N9", PromiseRater::citizen, 80, "2024-03-06T09:00"),
                       ErrorCode::not_found,
                       "ratings[1] field 'promise': \"N9\" is not a recorded promise");
        refused_rating(rating("N3", PromiseRater::citizen, 80, "2024-03-01T09:00"),
                       ErrorCode::invalid_argument,
                       "ratings[1] field 'at': rated at 2024-03-01T09:00:00+08:00, before the "
                       "promise was made (2024-03-05T10:00:00+08:00)");

        // Progress at the end of March: kept, late, overdue, voided.
        const std::vector<PromiseProgress> progress =
            ws.oversight().progress(at("2024-03-31T23:00"));
        REQUIRE(progress.size() == 4);
        CHECK(progress[0].state == PromiseState::kept);
        CHECK(progress[0].citizen_score == 90.0);
        CHECK(progress[0].team_score == 95.0);
        CHECK(progress[1].state == PromiseState::late);
        CHECK(progress[2].state == PromiseState::overdue);
        CHECK_FALSE(progress[2].closed_at);
        CHECK(progress[3].state == PromiseState::voided);
        // Earlier, before the first close and the ratings: open, and no scores yet.
        const std::vector<PromiseProgress> early = ws.oversight().progress(at("2024-03-04T10:00"));
        REQUIRE(early.size() == 2);  // N3 and N4 were not made yet
        CHECK(early[0].state == PromiseState::open);
        CHECK_FALSE(early[0].citizen_score);
        CHECK(early[1].state == PromiseState::overdue);

        const PromiseBoard board = ws.oversight().board(march, "371338101001");
        CHECK(board.title == "青石村 网格服务办事进度表 2024-03");
        // N2 was made in February at 东岭村: not under 青石村.
        REQUIRE(board.rows.size() == 2);
        CHECK(board.rows[0].promise.id == "N1");
        CHECK(board.rows[1].promise.id == "N3");
        CHECK(board.kept == 1);
        CHECK(board.overdue == 1);
        REQUIRE(board.citizen_mean);
        CHECK(*board.citizen_mean == doctest::Approx(90));
        const PromiseBoard all = ws.oversight().board(march);
        CHECK(all.rows.size() == 4);
        CHECK(all.late == 1);
        CHECK(*all.citizen_mean == doctest::Approx(80));
        // February's board: N2 only (made then, closed in March); read at its end.
        const PromiseBoard feb = ws.oversight().board(AssessmentPeriod::parse("2024-02"));
        REQUIRE(feb.rows.size() == 1);
        CHECK(feb.rows[0].state == PromiseState::overdue);
        CHECK_FALSE(feb.citizen_mean);
        CHECK_THROWS_WITH_AS(ws.oversight().board(AssessmentPeriod::parse("2024-Q1")),
                             doctest::Contains("is not a month"), Error);
        CHECK_THROWS_WITH_AS(ws.oversight().board(march, "999"),
                             doctest::Contains("place \"999\" is not a node"), Error);

        const std::string html = promise_board_html(board);
        CHECK(html.find("三日内清运垃圾&lt;script&gt;") != std::string::npos);
        CHECK(html.find("<script>") == std::string::npos);
        CHECK(html.find("<tr class=\"overdue\">") != std::string::npos);
        CHECK(html.find("群众评分平均 90.0 分") != std::string::npos);
        board_json = promise_board_to_json(board);
        CHECK(board_json.find(R"("state":"kept")") != std::string::npos);

        // The indicators per grid, village and team, and a scheme that reads them.
        const IndicatorValues village =
            promise_values(progress, "371338101001", ws.hierarchy().networks(), march);
        CHECK(value(village, "promises") == 2);
        CHECK(value(village, "promises_kept") == 1);
        CHECK(value(village, "promises_overdue") == 1);
        CHECK(value(village, "promise_kept_rate") == doctest::Approx(50));
        CHECK(value(village, "promise_citizen_mean") == doctest::Approx(90));
        CHECK(value(village, "promise_team_mean") == doctest::Approx(95));
        const IndicatorValues dongling =
            promise_values(progress, "371338101002", ws.hierarchy().networks(), march);
        CHECK(value(dongling, "promises") == 1);  // N4; N2 was made in February
        CHECK_FALSE(dongling.at("promise_kept_rate").defined());
        CHECK_FALSE(dongling.at("promise_citizen_mean").defined());

        const AssessmentScheme scheme = AssessmentScheme::from_json(R"({
          "key": "promise_rating", "label": "一事一诺一评价", "period": "month",
          "indicators": [{"key": "promise_citizen_mean", "label": "群众评分平均分", "unit": "points"}],
          "components": [{"key": "citizen", "label": "群众评分", "weight": 1,
            "indicator": "promise_citizen_mean",
            "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
          "grades": [{"key": "pass", "label": "合格", "min": 60},
                     {"key": "fail", "label": "不合格", "min": 0, "failing": true}]})");
        WorkspaceAssessOptions villages;
        villages.level = "village";
        const AssessmentRun run = ws.assessment().assess(scheme, march, villages);
        REQUIRE(run.scores.size() == 2);
        CHECK(run.scores[0].subject.code == "371338101001");
        REQUIRE(run.scores[0].total);
        CHECK(*run.scores[0].total == doctest::Approx(90));
    }
    // Reopened: the same promises, ratings and board.
    const Workspace ws = Workspace::open(path);
    CHECK(ws.oversight().promises().size() == 4);
    CHECK(ws.oversight().promises()[2].place == "371338101001");
    CHECK(ws.oversight().promises()[1].by == Date::parse("2024-02-28"));
    REQUIRE(ws.oversight().ratings().size() == 3);
    CHECK(ws.oversight().ratings()[1].by == PromiseRater::team);
    CHECK(ws.oversight().ratings()[1].score == 95);
    CHECK(promise_board_to_json(ws.oversight().board(march, "371338101001")) == board_json);
}

TEST_CASE("oversight.three_hundred_sixty_two_matters_average_eighty_three_point_two") {
    // 东沙镇: 362 community matters promised and rated in public, a mean citizen score of
    // 83.2 (seed 002 第三篇). Half scored 80, half 86.4; every one kept.
    Hierarchy h;
    h.add_all({node("330922101", "", "township", "东沙镇"),
               node("330922101001", "330922101", "village", "东沙社区"),
               node("330922101001001", "330922101001", "grid", "东沙社区第一网格")});
    std::vector<PromiseProgress> rows;
    for (int i = 0; i < 362; ++i) {
        PromiseProgress row;
        row.promise.id = "M" + std::to_string(i + 1);
        row.promise.place = "330922101001001";
        row.promise.team = "TEAM-1";
        row.promise.at = at("2026-05-10T09:00");
        row.promise.by = Date::parse("2026-05-20");
        row.state = PromiseState::kept;
        row.citizen_score = i % 2 == 0 ? 80.0 : 86.4;
        rows.push_back(row);
    }
    const AssessmentPeriod year = AssessmentPeriod::parse("2026");
    const IndicatorValues town = promise_values(rows, "330922101", Networks(h), year);
    CHECK(value(town, "promises") == 362);
    CHECK(value(town, "promises_kept") == 362);
    CHECK(value(town, "promise_kept_rate") == doctest::Approx(100));
    CHECK(std::abs(value(town, "promise_citizen_mean") - 83.2) < 1e-9);
    CHECK(town.at("promise_citizen_mean").sources.size() == 362);
    // By team: the same promises; another team has none.
    CHECK(value(promise_values(rows, "TEAM-1", Networks(h), year), "promises") == 362);
    CHECK(value(promise_values(rows, "TEAM-2", Networks(h), year), "promises") == 0);
    const PromiseBoard may =
        promise_board(rows, AssessmentPeriod::parse("2026-05"), "", Networks(h));
    CHECK(may.rows.size() == 362);
    CHECK(std::abs(*may.citizen_mean - 83.2) < 1e-9);
    CHECK(promise_board_html(may).find("群众评分平均 83.2 分") != std::string::npos);
}

TEST_CASE("oversight.promises_and_ratings_json") {
    Promise p;
    p.id = "N1";
    p.case_number = "2026-000001";
    p.what = "修复路灯";
    p.by = Date::parse("2026-03-10");
    p.at = at("2026-03-03T09:00");
    p.team = "T1";
    p.note = "第一行\n第二行";
    const std::string text = promises_to_json({p});
    CHECK(promises_from_json(text, "p.json") == std::vector<Promise>{p});
    CHECK_THROWS_WITH_AS(promises_from_json(R"([{"id": "N1", "case": "C", "what": "x",
                                                "by": "2026-02-30", "at": "2026-03-03T09:00"}])",
                                            "p.json"),
                         doctest::Contains("p.json promises[0] field 'by'"), Error);
    PromiseRating r;
    r.promise = "N1";
    r.by = PromiseRater::team;
    r.score = 88.5;
    r.at = at("2026-03-11T09:00");
    CHECK(promise_ratings_from_json(promise_ratings_to_json({r}), "r.json") ==
          std::vector<PromiseRating>{r});
    // Promises are read at the last second of a period unless an instant is given.
    CHECK(AssessmentPeriod::parse("2026-03").last_instant() == at("2026-03-31T23:59:59"));
    CHECK(AssessmentPeriod::parse("2026-Q4").last_instant() == at("2026-12-31T23:59:59"));
    CHECK(parse_promise_rater("群众") == PromiseRater::citizen);
    CHECK(parse_promise_rater("自评") == PromiseRater::team);
    CHECK_THROWS_AS(parse_promise_rater("mayor"), Error);
    CHECK_THROWS_WITH_AS(
        promise_ratings_from_json(
            R"([{"promise": "N1", "by": "citizen", "score": 101, "at": "2026-03-11T09:00"}])",
            "r.json"),
        doctest::Contains("r.json ratings[0] field 'score': 101 is outside 0–100"), Error);
    CHECK_THROWS_WITH_AS(
        promise_ratings_from_json(
            R"([{"promise": "N1", "by": "mayor", "score": 90, "at": "2026-03-11T09:00"}])",
            "r.json"),
        doctest::Contains("r.json ratings[0] field 'by'"), Error);
}

TEST_CASE("oversight.a_schema_13_workspace_gains_the_oversight_tables" *
          doctest::test_suite("store")) {
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "old.gridgov");
    {
        Workspace ws = Workspace::open(path);
        ws.directory().set_catalogue(Catalogue::preset("township_000"));
        ws.hierarchy().add_nodes({node("371338101", "", "township", "青石镇")});
        ws.directory().add_people({person("P1")});
    }
    {
        gridgov_test::RawStore raw(path);
        gridgov_test::downgrade_store(raw, 13);
    }
    {
        Workspace ws = Workspace::open(path);
        CHECK(ws.hierarchy().view().size() == 1);
        Inspection in = inspection("I1", "", "371338101", "2026-03-16T09:00");
        in.inspectors = {"P1"};
        ws.oversight().add_inspections({in});
    }
    const Workspace again = Workspace::open(path);
    CHECK(again.oversight().inspections().size() == 1);
}

namespace {

/// A hazard case on the hazard_rectification workflow, reported by a village grid leader.
CaseId report_hazard(CaseEngine& e, const Hierarchy& h, const std::string& grid,
                     const std::string& who, const std::string& when) {
    NewCase n;
    n.workflow = "hazard_rectification";
    n.command.command = Command::report;
    n.command.actor = who;
    n.command.at = at(when);
    n.command.node = h.at(grid);
    n.command.category = "G0201";
    return e.report(n);
}

HazardEntry entry(const std::string& id, const std::string& case_number, const std::string& when,
                  const std::string& who) {
    HazardEntry x;
    x.id = id;
    x.case_number = case_number;
    x.at = at(when);
    x.person = who;
    return x;
}

}  // namespace

TEST_CASE("oversight.hazards_are_found_graded_rectified_and_rechecked" *
          doctest::test_suite("store")) {
    using gridgov_test::cmd;
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "hazards.gridgov");
    const std::string q1 = "371338101001001", d1 = "371338101002001";
    const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");
    std::string expected;
    {
        Workspace ws = Workspace::open(path);
        report_fixture::populate(ws);
        report_fixture::add_fire_network(ws);
        CaseEngine& e = ws.cases();
        const Hierarchy& h = ws.hierarchy().view();
        // The village's monthly fire check that found the first two (seed 002 第四篇).
        Inspection check = inspection("FIRE-2024-03", "", q1, "2024-03-06T09:00");
        check.inspectors = {"P0004"};
        ws.oversight().add_inspections({check});

        // Z1 at a house of 青石村: graded general, ordered, rectified, re-checked: closed on
        // the 8th, its deadline.
        const CaseId z1 = report_hazard(e, h, q1, "P0004", "2024-03-06T10:00");
        e.fire(z1, cmd(Command::file, "P0004", "2024-03-06T10:30"));
        e.fire(z1, cmd(Command::dispatch, "P0004", "2024-03-06T11:00"));
        CHECK(e.state(z1) == "rectifying");
        CaseCommand done = cmd(Command::feedback, "P0004", "2024-03-07T16:00");
        done.evidence = {"rectified.jpg"};
        e.fire(z1, done);
        CaseCommand fail = cmd(Command::check_fail, "P0004", "2024-03-07T17:00");
        fail.reason = "消防通道仍有堆物";
        e.fire(z1, fail);
        CHECK(e.state(z1) == "rectifying");
        done.at = at("2024-03-08T10:00");
        e.fire(z1, done);
        e.fire(z1, cmd(Command::check_pass, "P0004", "2024-03-08T15:00"));
        CHECK(e.get(z1).kind == StateKind::closed);
        CHECK(e.get(z1).counter("rework") == 1);
        // Z2 at the shop: major, beyond the grid: escalated one tier, still open.
        const CaseId z2 = report_hazard(e, h, q1, "P0004", "2024-03-06T10:05");
        e.fire(z2, cmd(Command::file, "P0004", "2024-03-06T10:40"));
        CaseCommand up = cmd(Command::escalate, "P0004", "2024-03-06T11:00");
        up.reason = "重大火灾隐患, 报县政府";
        e.fire(z2, up);
        CHECK(e.get(z2).tier == 1);
        e.fire(z2, cmd(Command::dispatch, "P0002", "2024-03-07T09:00"));
        // Z3 at 东岭村: larger, closed on the 14th, after its deadline of the 12th.
        const CaseId z3 = report_hazard(e, h, d1, "P0003", "2024-03-06T14:00");
        e.fire(z3, cmd(Command::file, "P0003", "2024-03-06T15:00"));
        e.fire(z3, cmd(Command::dispatch, "P0003", "2024-03-06T15:30"));
        done.actor = "P0003";
        done.at = at("2024-03-14T09:00");
        e.fire(z3, done);
        e.fire(z3, cmd(Command::check_pass, "P0003", "2024-03-14T10:00"));
        // Z4: not a hazard after all.
        const CaseId z4 = report_hazard(e, h, d1, "P0003", "2024-03-07T09:00");
        CaseCommand no = cmd(Command::void_case, "P0003", "2024-03-07T10:00");
        no.reason = "不构成隐患";
        e.fire(z4, no);

        const std::string n1 = e.get(z1).number, n2 = e.get(z2).number, n3 = e.get(z3).number,
                          n4 = e.get(z4).number;
        HazardEntry e1 = entry("E1", n1, "2024-03-06T10:30", "P0004");
        e1.record = "H1";
        e1.found_by = "FIRE-2024-03";
        e1.grade = HazardGrade::general;
        e1.deadline = Date::parse("2024-03-08");
        HazardEntry e2 = entry("E2", n1, "2024-03-07T12:00", "P0004");
        e2.progress = 50;
        e2.evidence = {"half.jpg"};
        HazardEntry e3 = entry("E3", n2, "2024-03-06T10:40", "P0004");
        e3.record = "U1";
        e3.found_by = "FIRE-2024-03";
        e3.grade = HazardGrade::major;
        e3.deadline = Date::parse("2024-03-11");
        HazardEntry e4 = entry("E4", n2, "2024-03-09T12:00", "P0002");
        e4.progress = 30;
        HazardEntry e5 = entry("E5", n3, "2024-03-06T15:00", "P0003");
        e5.record = "H3";
        e5.grade = HazardGrade::larger;
        e5.deadline = Date::parse("2024-03-12");
        HazardEntry e6 = entry("E6", n4, "2024-03-07T09:30", "P0003");
        e6.record = "H3";
        ws.oversight().add_hazard_entries({e1, e2, e3, e4, e5, e6});

        // Refusals name the entry and the field, and record nothing.
        const auto refused = [&](const HazardEntry& x, ErrorCode code, const std::string& text) {
            try {
                ws.oversight().add_hazard_entries(
                    {entry("OK", n2, "2024-03-10T09:00", "P0004"), x});
                FAIL("accepted " << x.id);
            } catch (const Error& err) {
                CHECK(err.code() == code);
                CHECK(std::string(err.what()) == text);
            }
            CHECK(ws.oversight().hazard_entries().size() == 6);
        };
        HazardEntry bad = entry("E7", n2, "2024-03-10T09:00", "P0004");
        bad.record = "H9";
        refused(bad, ErrorCode::not_found,
                "hazards[1] field 'record': \"H9\" is not a live record");
        bad.record = "H1";
        refused(bad, ErrorCode::invalid_argument,
                "hazards[1] field 'record': hazard " + n2 + " belongs to record U1, not H1");
        bad = entry("E7", n2, "2024-03-10T09:00", "P0004");
        bad.found_by = "FIRE-2024-02";
        refused(bad, ErrorCode::not_found,
                "hazards[1] field 'found_by': \"FIRE-2024-02\" is neither an inspection nor a "
                "duty fulfilment");
        bad = entry("E7", n2, "2024-03-10T09:00", "P0004");
        bad.progress = 120;
        refused(bad, ErrorCode::invalid_argument,
                "hazards[1] field 'progress': 120 is outside 0–100");
        bad.progress.reset();
        bad.deadline = Date::parse("2024-03-09");
        refused(bad, ErrorCode::invalid_argument,
                "hazards[1] field 'deadline': 2024-03-09 is before the entry's day (2024-03-10)");
        refused(entry("E7", n1, "2024-03-09T09:00", "P0004"), ErrorCode::invalid_argument,
                "hazards[1] field 'at': 2024-03-09T09:00:00+08:00 is after case " + n1 +
                    " closed (2024-03-08T15:00:00+08:00)");
        refused(entry("E7", n2, "2024-03-06T09:00", "P0004"), ErrorCode::invalid_argument,
                "hazards[1] field 'at': 2024-03-06T09:00:00+08:00 is before the hazard was "
                "reported (2024-03-06T10:05:00+08:00)");
        refused(entry("E7", "2099-000001", "2024-03-10T09:00", "P0004"), ErrorCode::not_found,
                "hazards[1] field 'case': \"2099-000001\" is not a case");
        refused(entry("E7", n2, "2024-03-10T09:00", "P9"), ErrorCode::not_found,
                "hazards[1] field 'person': \"P9\" is not a person of the directory");
        refused(entry("E1", n2, "2024-03-10T09:00", "P0004"), ErrorCode::already_exists,
                "hazards[1] field 'id': \"E1\" is already recorded");

        // At the end of March: fixed on time, overdue (and escalated), fixed late, voided.
        const std::vector<Hazard> all = ws.oversight().hazards(at("2024-03-31T23:00"));
        REQUIRE(all.size() == 4);
        CHECK(all[0].status == HazardStatus::fixed_on_time);
        CHECK(all[0].progress == 100);
        CHECK(all[0].record == "H1");
        CHECK(all[0].found_by == "FIRE-2024-03");
        CHECK(all[0].entries == std::vector<std::string>{"E1", "E2"});
        CHECK(all[1].status == HazardStatus::overdue);
        CHECK(all[1].grade == HazardGrade::major);
        CHECK(all[1].tier == 1);
        CHECK(all[1].progress == 30);
        CHECK(all[2].status == HazardStatus::fixed_late);
        CHECK(all[2].node == d1);
        CHECK(all[3].status == HazardStatus::voided);
        // On the 7th: Z1 half done and open, the progress of Z2 not reported yet.
        const std::vector<Hazard> early = ws.oversight().hazards(at("2024-03-07T13:00"));
        CHECK(early[0].status == HazardStatus::open);
        CHECK(early[0].progress == 50);
        CHECK(early[1].progress == 0);

        // The four questions.
        const Networks networks = ws.hierarchy().networks();
        const IndicatorValues qingshi = hazard_values(all, "371338101001", networks, march);
        CHECK(value(qingshi, "hazards") == 2);
        CHECK(value(qingshi, "hazards_general") == 1);
        CHECK(value(qingshi, "hazards_major") == 1);
        CHECK(value(qingshi, "hazards_fixed") == 1);
        CHECK(value(qingshi, "hazards_fixed_on_time") == 1);
        CHECK(value(qingshi, "hazards_overdue") == 1);
        CHECK(value(qingshi, "hazard_fix_rate") == doctest::Approx(50));
        CHECK(value(qingshi, "hazard_on_time_rate") == doctest::Approx(50));
        CHECK(value(qingshi, "hazard_progress") == doctest::Approx(65));
        const IndicatorValues town = hazard_values(all, "371338101", networks, march);
        CHECK(value(town, "hazards") == 3);  // the voided one is not a hazard
        CHECK(value(town, "hazards_larger") == 1);
        CHECK(value(town, "hazard_fix_rate") == doctest::Approx(200.0 / 3));
        CHECK(value(town, "hazard_on_time_rate") == doctest::Approx(100.0 / 3));
        CHECK(town.at("hazards").sources == std::vector<std::string>{n1, n2, n3});
        // By fire grid and by record.
        CHECK(value(hazard_values(all, "fire:M2", networks, march), "hazards") == 1);
        CHECK(value(hazard_values(all, "fire:L1", networks, march), "hazards") == 3);
        CHECK(value(hazard_values(all, "U1", networks, march), "hazards_major") == 1);
        CHECK_FALSE(hazard_values(all, "H2", networks, march).at("hazard_fix_rate").defined());
        CHECK(
            value(hazard_values(all, "371338101001", networks, AssessmentPeriod::parse("2024-04")),
                  "hazards") == 0);

        // A scheme over the fix rate ranks the villages.
        const AssessmentScheme scheme = AssessmentScheme::from_json(R"({
          "key": "hazard_rectification", "label": "隐患整改考核", "period": "month",
          "indicators": [{"key": "hazard_fix_rate", "label": "隐患整改率", "unit": "%"}],
          "components": [{"key": "fix", "label": "整改率", "weight": 1,
            "indicator": "hazard_fix_rate",
            "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
          "grades": [{"key": "pass", "label": "合格", "min": 60},
                     {"key": "fail", "label": "不合格", "min": 0, "failing": true}]})");
        WorkspaceAssessOptions villages;
        villages.level = "village";
        const AssessmentRun run = ws.assessment().assess(scheme, march, villages);
        REQUIRE(run.scores.size() == 2);
        CHECK(*run.scores[0].total == doctest::Approx(50));
        CHECK(*run.scores[1].total == doctest::Approx(100));
        expected = hazards_to_json(all);
        CHECK(hazard_entries_from_json(hazard_entries_to_json(ws.oversight().hazard_entries())) ==
              ws.oversight().hazard_entries());
    }
    // Reopened: the same entries and hazards.
    const Workspace ws = Workspace::open(path);
    REQUIRE(ws.oversight().hazard_entries().size() == 6);
    CHECK(ws.oversight().hazard_entries()[1].progress == 50);
    CHECK(ws.oversight().hazard_entries()[1].evidence == std::vector<std::string>{"half.jpg"});
    CHECK_FALSE(ws.oversight().hazard_entries()[1].grade);
    CHECK(hazards_to_json(ws.oversight().hazards(at("2024-03-31T23:00"))) == expected);
}

TEST_CASE("oversight.hazard_entries_json") {
    CHECK(parse_hazard_grade("重大") == HazardGrade::major);
    CHECK(parse_hazard_grade("较大") == HazardGrade::larger);
    CHECK_THROWS_WITH_AS(parse_hazard_grade("huge"), doctest::Contains("is not a hazard grade"),
                         Error);
    const std::vector<HazardEntry> back = hazard_entries_from_json(
        R"([{"id": "E1", "case": "2024-000001", "at": "2024-03-06T10:30", "person": "P1",
             "record": "H1", "grade": "一般", "deadline": "2024-03-08", "progress": 40}])",
        "h.json");
    REQUIRE(back.size() == 1);
    CHECK(back[0].grade == HazardGrade::general);
    CHECK(back[0].deadline == Date::parse("2024-03-08"));
    CHECK(back[0].progress == 40);
    CHECK(hazard_entries_from_json(hazard_entries_to_json(back), "h.json") == back);
    CHECK_THROWS_WITH_AS(
        hazard_entries_from_json(
            R"([{"id": "E1", "case": "C", "at": "2024-03-06T10:30", "person": "P1", "progress": 101}])",
            "h.json"),
        doctest::Contains("h.json hazards[0] field 'progress': 101 is outside 0–100"), Error);
    CHECK_THROWS_WITH_AS(
        hazard_entries_from_json(
            R"([{"id": "E1", "case": "C", "at": "2024-03-06T10:30", "person": "P1", "grade": "huge"}])",
            "h.json"),
        doctest::Contains("h.json hazards[0] field 'grade'"), Error);
}

TEST_CASE("oversight.a_quarter_of_inspections_ranks_the_departments_and_is_published") {
    // Seed 003: monthly draws, findings charged to the departments, the quarter's composite
    // ranking published, three failing months in a row cost the awards.
    const County c;
    const Networks networks(c.h);
    const AssessmentScheme scheme = AssessmentScheme::preset("city_inspection");
    // Points charged per month: the sanitation bureau fails every month, urban management
    // only in February.
    const double hw[] = {45, 50, 41};
    const double cg[] = {5, 42, 0};
    std::vector<Inspection> all;
    std::vector<ScoreResult> months;
    DrawRecord last;
    for (int m = 1; m <= 3; ++m) {
        DrawSpec spec;
        spec.seed = 20260000 + static_cast<std::uint64_t>(m);
        spec.candidates = c.grids;
        spec.strata = c.strata;
        spec.count = 11;
        last = draw(spec);
        const std::string label = "2026-0" + std::to_string(m);
        all.push_back(inspection(
            "Q" + std::to_string(m), label, last.picks[0], label + "-16T09:00",
            {finding("暴露垃圾", hw[m - 1], "D-HW"), finding("占道经营", cg[m - 1], "D-CG")}));
        const AssessmentPeriod period = AssessmentPeriod::parse(label);
        std::vector<ScoreResult> month;
        for (const char* dept : {"D-HW", "D-CG"}) {
            ScoreInput in;
            in.subject = {dept, "department", ""};
            in.period = period;
            in.values = inspection_values(all, dept, networks, period);
            month.push_back(score(scheme, in));
        }
        rank(month);
        months.insert(months.end(), month.begin(), month.end());
    }
    CHECK(*months[0].total == doctest::Approx(55));
    CHECK(months[0].failing);
    CHECK(*months[3].total == doctest::Approx(58));
    // The quarter: the mean of the months, ranked.
    const AssessmentPeriod q1 = AssessmentPeriod::parse("2026-Q1");
    std::vector<ScoreResult> quarter{
        aggregate(scheme, "quarter", {"D-HW", "department", ""}, q1, months),
        aggregate(scheme, "quarter", {"D-CG", "department", ""}, q1, months)};
    rank(quarter);
    CHECK(*quarter[0].total == doctest::Approx((55.0 + 50 + 59) / 3));
    CHECK(quarter[0].grade == "fail");
    CHECK(*quarter[1].total == doctest::Approx((95.0 + 58 + 100) / 3));
    CHECK(quarter[1].rank == 1);
    CHECK(quarter[0].rank == 2);
    // Three failing months: the sanitation bureau loses its awards; urban management not.
    const std::vector<RuleFlag> flags = evaluate_rules(scheme, months);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].rule == "award_ineligible");
    CHECK(flags[0].subject == "D-HW");
    CHECK(flags[0].periods == std::vector<std::string>{"2026-01", "2026-02", "2026-03"});
    // The public notice of the quarter ranks the departments; March's names the flag and
    // the month's draw.
    NoticeOptions o;
    o.names = {{"D-HW", "县环卫处"}, {"D-CG", "县城管局"}};
    const std::string html = notice_html(scheme, quarter, o);
    CHECK(html.find("县城管局") < html.find("县环卫处"));
    o.flags = flags;
    o.draw = last;
    const std::string march =
        notice_html(scheme, std::vector<ScoreResult>(months.begin() + 4, months.end()), o);
    CHECK(march.find("年内连续三次考核不合格，取消评先创优资格（连续 3 期）") != std::string::npos);
    CHECK(march.find("20260003") != std::string::npos);
}
