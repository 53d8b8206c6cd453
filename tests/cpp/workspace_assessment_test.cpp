// Workspace persistence of assessment: activity records and their CSV import, stored
// scores with explanations, rule flags, draws, and the exports (JSON, CSV, notice HTML).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
namespace fs = std::filesystem;

namespace {

using gridgov_test::store_location;
using gridgov_test::TempDir;

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using RawDb = gridgov_test::RawStore;

const char* households_csv =
    "id,grid,class,categories\n"
    "H1,371338102201001,special,低保;空巢\n"
    "H2,371338102201001,ordinary,\n";

const char* visits_csv =
    "id,household,person,kind,date\n"
    "V1,H1,P1,phone,2026-03-05\n"
    "V2,H1,P1,home,2026-03-20\n"
    "V3,H2,P1,phone,2026-03-21\n";

// The ground the records stand on: 青石村's first grid and its worker P1. Activity records
// name grids of the workspace's hierarchy and people of its directory.
void populate(Workspace& ws) {
    ws.hierarchy().import_text(
        "code,parent_code,level,name\n"
        "371338,,county,苇川县\n"
        "371338102,371338,township,青石镇\n"
        "371338102201,371338102,village,青石村\n"
        "371338102201001,371338102201,grid,青石村第一网格\n",
        FileFormat::csv, "county.csv");
    ws.directory().import_text("id,name\nP1,赵大山\n", DocumentFormat::csv, DirectoryTable::people,
                               "people.csv");
}

ScoreInput supervisor_input(const std::string& code, double valid, double missed, double verify,
                            double check) {
    ScoreInput in;
    in.subject = {code, "worker", ""};
    in.period = AssessmentPeriod::parse("2026-03");
    in.values["valid_report_rate"] = IndicatorValue::of(valid, {"C-" + code + "-1"});
    in.values["missed_rate"] = IndicatorValue::of(missed);
    in.values["on_time_verify_rate"] = IndicatorValue::of(verify);
    in.values["on_time_check_rate"] = IndicatorValue::of(check);
    return in;
}

// S1: 0.4×90 + 0.2×(100−10) + 0.2×80 + 0.2×70 = 36 + 18 + 16 + 14 = 84 (良好);
// S2: 0.4×50 + 0.2×50 + 0.2×50 + 0.2×50 = 50 (不合格).
std::vector<ScoreResult> supervisor_scores() {
    const AssessmentScheme scheme = AssessmentScheme::preset("urban_supervisor");
    std::vector<ScoreResult> results{score(scheme, supervisor_input("S1", 90, 10, 80, 70)),
                                     score(scheme, supervisor_input("S2", 50, 50, 50, 50))};
    rank(results);
    return results;
}

DrawRecord sample_draw() {
    DrawSpec spec;
    spec.seed = 20260301;
    for (int i = 1; i <= 33; ++i) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "G%02d", i);
        spec.candidates.push_back(buf);
    }
    spec.count = 11;
    return draw(spec);
}

}  // namespace

TEST_CASE("workspace assessment: activity CSV import, reload, and refusals change nothing" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    write_file(dir.file("households.csv"), households_csv);
    write_file(dir.file("青石村_visits.csv"), visits_csv);
    {
        Workspace ws = Workspace::open(path);
        populate(ws);
        std::vector<std::pair<std::size_t, std::size_t>> calls;
        const ActivityImportReport h =
            ws.assessment().import_file(dir.file("households.csv"), ActivityTable::automatic,
                                        [&](std::size_t done, std::size_t total) {
                                            calls.emplace_back(done, total);
                                            return true;
                                        });
        CHECK(h.table == ActivityTable::households);
        CHECK(h.records == 2);
        CHECK(calls.front() == std::make_pair(std::size_t{0}, std::size_t{2}));
        CHECK(calls.back() == std::make_pair(std::size_t{2}, std::size_t{2}));
        const ActivityImportReport v = ws.assessment().import_file(dir.file("青石村_visits.csv"));
        CHECK(v.table == ActivityTable::visits);
        CHECK(v.records == 3);

        // A bad row in the middle: the file, the row (line 3) and the field are named, and
        // the two good rows are not imported either.
        write_file(dir.file("visits_bad.csv"),
                   "id,household,person,kind,date\n"
                   "V4,H2,P1,home,2026-03-22\n"
                   "V5,H9,P1,home,2026-03-22\n");
        try {
            ws.assessment().import_file(dir.file("visits_bad.csv"), ActivityTable::visits);
            FAIL("an unknown household was imported");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::not_found);
            const std::string m = e.what();
            CHECK(m.find("visits_bad.csv") != std::string::npos);
            CHECK(m.find("row 3") != std::string::npos);
            CHECK(m.find("field household") != std::string::npos);
        }
        write_file(dir.file("visits_date.csv"),
                   "id,household,person,kind,date\n"
                   "V4,H2,P1,home,2026-13-22\n");
        CHECK_THROWS_WITH_AS(
            ws.assessment().import_file(dir.file("visits_date.csv"), ActivityTable::visits),
            doctest::Contains("row 2, field date"), Error);
        CHECK_THROWS_WITH_AS(
            ws.assessment().import_file(dir.file("visits_date.csv"), ActivityTable::visits),
            doctest::Contains("'2026-13-22' is not a date YYYY-MM-DD"), Error);
        // A time and a month that do not parse: the field and the expected form are named.
        write_file(dir.file("patrols.csv"),
                   "id,person,grid,start,end\nR1,P1,371338101001001,2026-03-02 08:30,"
                   "2026-03-02T09:30\n");
        CHECK_THROWS_WITH_AS(
            ws.assessment().import_file(dir.file("patrols.csv")),
            doctest::Contains("field start: '2026-03-02 08:30' is not a time YYYY-MM-DDTHH:MM"),
            Error);
        write_file(dir.file("collection.csv"),
                   "id,grid,month,checked,not_collected,not_deregistered,erroneous\n"
                   "C1,371338101001001,March,10,0,0,0\n");
        CHECK_THROWS_WITH_AS(ws.assessment().import_file(dir.file("collection.csv")),
                             doctest::Contains("field month: 'March' is not a period"), Error);
        // A duplicate id of another kind of record.
        write_file(dir.file("attendance.csv"),
                   "id,person,date\nA1,P1,2026-03-02\nV1,P1,2026-03-03\n");
        CHECK_THROWS_WITH_AS(ws.assessment().import_file(dir.file("attendance.csv")),
                             doctest::Contains("row 3, field id"), Error);
        CHECK_THROWS_AS(ws.assessment().import_file(dir.file("unknown_table.csv")), Error);
        // A cancelled import changes nothing.
        write_file(dir.file("tasks.csv"),
                   "id,person,due,done\nT1,P1,2026-03-10,2026-03-09\n"
                   "T2,P1,2026-03-20,\n");
        const ActivityImportReport cancelled =
            ws.assessment().import_file(dir.file("tasks.csv"), ActivityTable::automatic,
                                        [](std::size_t, std::size_t) { return false; });
        CHECK(cancelled.records == 0);
        CHECK(ws.assessment().activities().tasks().empty());
        CHECK(ws.assessment().activities().size() == 5);

        ws.assessment().import_file(dir.file("tasks.csv"));
        ws.assessment().add_attendance({"A1", "P1", Date::parse("2026-03-02")});
        CHECK_THROWS_AS(ws.assessment().add_attendance({"A1", "P1", Date::parse("2026-03-03")}),
                        Error);
        CHECK_THROWS_AS(ws.assessment().add_visit(
                            {"V9", "H404", "P1", VisitKind::home, Date::parse("2026-03-03")}),
                        Error);
        ws.assessment().add_patrol({"R1", "P1", "371338102201001",
                                    Instant::parse("2026-03-02T08:30"),
                                    Instant::parse("2026-03-02T09:15")});
        ws.assessment().add_collection_check(
            {"K1", "371338102201001", AssessmentPeriod::parse("2026-03"), 25749, 690, 479, 22});
        ws.assessment().add_manual_rating(
            {"M1", "P1", AssessmentPeriod::parse("2026-03"), 92.5, "村委会"});
        CHECK(ws.assessment().activities().size() == 11);
    }
    Workspace ws = Workspace::open(path);
    const ActivityLog& log = ws.assessment().activities();
    REQUIRE(log.households().size() == 2);
    CHECK(log.households()[0].cls == HouseholdClass::special);
    CHECK(log.households()[0].categories == std::vector<std::string>{"低保", "空巢"});
    CHECK(log.households()[1].categories.empty());
    REQUIRE(log.visits().size() == 3);
    CHECK(log.visits()[1].kind == VisitKind::home);
    CHECK(log.visits()[1].date == Date::parse("2026-03-20"));
    REQUIRE(log.tasks().size() == 2);
    CHECK(log.tasks()[0].done == Date::parse("2026-03-09"));
    CHECK_FALSE(log.tasks()[1].done.has_value());
    REQUIRE(log.patrols().size() == 1);
    CHECK(log.patrols()[0].end.seconds - log.patrols()[0].start.seconds == 45 * 60);
    // (25749 − 690) / 25749 = 97.3203 %.
    CHECK(log.collection_rate({"371338102201001"}, AssessmentPeriod::parse("2026-03"))
              .value.value() == doctest::Approx(97.32028).epsilon(1e-6));
    CHECK(log.mean_rating("P1", AssessmentPeriod::parse("2026-03")).value.value() == 92.5);
    CHECK(log.attendance().size() == 1);
    CHECK(log.size() == 11);

    // Exports mask the special-group categories unless asked to reveal them.
    const std::string masked = households_to_csv(log);
    CHECK(masked.find("低保") == std::string::npos);
    CHECK(masked.find("H1,371338102201001,special,***") != std::string::npos);
    CHECK(masked.find("H2,371338102201001,ordinary,\n") != std::string::npos);
    CHECK(households_to_csv(log, true).find("低保;空巢") != std::string::npos);
}

TEST_CASE("workspace assessment: records naming unknown grids or people are refused" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    {
        Workspace ws = Workspace::open(path);
        populate(ws);
        ws.assessment().import_text(households_csv, ActivityTable::households, "households.csv");
        const auto refused = [&](const std::string& text, ActivityTable table,
                                 const std::string& message) {
            try {
                ws.assessment().import_text(text, table, "a.csv");
                FAIL("accepted: " << text);
            } catch (const Error& e) {
                CHECK(e.code() == ErrorCode::not_found);
                CHECK(std::string(e.what()) == message);
            }
            CHECK(ws.assessment().activities().size() == 2);
        };
        refused("id,grid,class,categories\nH3,371338102201001,ordinary,\nH4,NOT-A-GRID,ordinary,\n",
                ActivityTable::households,
                "file a.csv, row 3, field grid: no node with code 'NOT-A-GRID' in the "
                "workspace's hierarchy");
        refused(
            "id,person,grid,start,end\nR1,NOBODY,371338102201001,2026-03-02T08:30,"
            "2026-03-02T09:30\n",
            ActivityTable::patrols,
            "file a.csv, row 2, field person: no person 'NOBODY' in the workspace's directory");
        refused("id,person,grid,start,end\nR1,P1,NOT-A-GRID,2026-03-02T08:30,2026-03-02T09:30\n",
                ActivityTable::patrols,
                "file a.csv, row 2, field grid: no node with code 'NOT-A-GRID' in the "
                "workspace's hierarchy");
        refused("id,household,person,kind,date\nV1,H1,NOBODY,home,2026-03-05\n",
                ActivityTable::visits,
                "file a.csv, row 2, field person: no person 'NOBODY' in the workspace's directory");
        refused(
            "id,grid,month,checked,not_collected,not_deregistered,erroneous\n"
            "C1,NOT-A-GRID,2026-03,10,0,0,0\n",
            ActivityTable::collection,
            "file a.csv, row 2, field grid: no node with code 'NOT-A-GRID' in the "
            "workspace's hierarchy");
        refused("id,person,date\nA1,NOBODY,2026-03-02\n", ActivityTable::attendance,
                "file a.csv, row 2, field person: no person 'NOBODY' in the workspace's directory");
        refused("id,person,due,done\nT1,NOBODY,2026-03-10,\n", ActivityTable::tasks,
                "file a.csv, row 2, field person: no person 'NOBODY' in the workspace's directory");
        refused("id,subject,period,points,rater\nS1,NOBODY,2026-03,90,\n", ActivityTable::ratings,
                "file a.csv, row 2, field subject: 'NOBODY' is neither a person of the "
                "workspace's directory nor a node of its hierarchy");
        // A rating of a node is a rating of a known subject too.
        ws.assessment().import_text("id,subject,period,points,rater\nS1,371338102201,2026-03,90,\n",
                                    ActivityTable::ratings, "a.csv");

        // The API refuses the same, naming the record and the field.
        CHECK_THROWS_WITH_AS(
            ws.assessment().add_household({"H9", "NOT-A-GRID", HouseholdClass::ordinary, {}}),
            doctest::Contains("household 'H9': field grid: no node with code "
                              "'NOT-A-GRID'"),
            Error);
        CHECK_THROWS_WITH_AS(ws.assessment().add_patrol({"R9", "NOBODY", "371338102201001",
                                                         Instant::parse("2026-03-02T08:30"),
                                                         Instant::parse("2026-03-02T09:15")}),
                             doctest::Contains("patrol 'R9': field person: no person 'NOBODY'"),
                             Error);
        CHECK_THROWS_AS(ws.assessment().add_attendance({"A9", "NOBODY", Date::parse("2026-03-02")}),
                        Error);
        CHECK(ws.assessment().activities().size() == 3);
    }
    // Nothing refused reached the file.
    CHECK(Workspace::open(path).assessment().activities().size() == 3);
}

TEST_CASE("workspace assessment: activity text that is not UTF-8 or holds controls is refused") {
    Workspace ws = Workspace::open(":memory:");
    populate(ws);
    const std::string nul(1, '\0');
    CHECK_THROWS_WITH_AS(
        ws.assessment().import_text(
            "id,grid,class,categories\nH1,371338102201001,ordinary,\xCE\xE5\n",
            ActivityTable::households, "h.csv"),
        doctest::Contains("file h.csv, line 2, field 'categories': not UTF-8 text"), Error);
    CHECK_THROWS_WITH_AS(
        ws.assessment().import_text(
            "id,grid,class,categories\nH" + nul + "1,371338102201001,ordinary,\n",
            ActivityTable::households, "h.csv"),
        doctest::Contains("file h.csv, row 2: household: field id: control character U+0000"),
        Error);
    CHECK_THROWS_WITH_AS(
        ws.assessment().import_text(
            "id,grid,class,categories\nH1,371338102201001,ordinary,低\t保\n",
            ActivityTable::households, "h.csv"),
        doctest::Contains("file h.csv, row 2: household 'H1': field categories: control "
                          "character U+0009"),
        Error);
    CHECK(ws.assessment().activities().size() == 0);
}

TEST_CASE("workspace assessment: a failed write of an import leaves memory and file as before" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    {
        Workspace ws = Workspace::open(path);
        populate(ws);
        ws.assessment().import_text(households_csv, ActivityTable::households);
    }
    RawDb(path).refuse_inserts("refuse_v3", "activity_visits", "NEW.id = 'V3'", "planted failure");
    Workspace ws = Workspace::open(path);
    CHECK_THROWS_WITH_AS(ws.assessment().import_text(visits_csv, ActivityTable::visits, "v.csv"),
                         doctest::Contains("planted failure"), Error);
    CHECK(ws.assessment().activities().visits().empty());
    CHECK(ws.assessment().activities().size() == 2);
    RawDb(path).drop_refusal("refuse_v3", "activity_visits");
    CHECK(Workspace::open(path).assessment().activities().visits().empty());
    ws.assessment().import_text(visits_csv, ActivityTable::visits, "v.csv");
    CHECK(Workspace::open(path).assessment().activities().visits().size() == 3);
}

TEST_CASE("workspace assessment: scores with explanations, replacement, trends, flags" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    const std::vector<ScoreResult> march = supervisor_scores();
    REQUIRE(march[0].total.value() == doctest::Approx(84));
    REQUIRE(march[1].total.value() == doctest::Approx(50));
    {
        Workspace ws = Workspace::open(path);
        ws.assessment().store_scores(march);
        // April: S2 again, replaced once with a better score.
        const AssessmentScheme scheme = AssessmentScheme::preset("urban_supervisor");
        ScoreInput april = supervisor_input("S2", 60, 40, 60, 60);
        april.period = AssessmentPeriod::parse("2026-04");
        ws.assessment().store_scores({score(scheme, april)});
        ScoreInput april2 = supervisor_input("S2", 100, 0, 100, 100);
        april2.period = AssessmentPeriod::parse("2026-04");
        ws.assessment().store_scores({score(scheme, april2)});
        // Two results of one call for the same key are refused, changing nothing.
        CHECK_THROWS_AS(ws.assessment().store_scores({march[0], march[0]}), Error);
        ScoreResult nameless = march[0];
        nameless.scheme.clear();
        CHECK_THROWS_AS(ws.assessment().store_scores({nameless}), Error);
        CHECK(ws.assessment().scores().size() == 3);

        RuleFlag flag;
        flag.rule = "award_ineligible";
        flag.label = "连续三个月不合格";
        flag.subject = "S2";
        flag.period = AssessmentPeriod::parse("2026-03");
        flag.streak = 3;
        flag.periods = {"2026-01", "2026-02", "2026-03"};
        ws.assessment().store_rule_flags("urban_supervisor", {flag});
        flag.streak = 4;
        ws.assessment().store_rule_flags("urban_supervisor", {flag});
        CHECK(ws.assessment().rule_flags().size() == 1);
    }
    Workspace ws = Workspace::open(path);
    const std::vector<ScoreResult> all = ws.assessment().scores();
    REQUIRE(all.size() == 3);
    CHECK(all[0].subject.code == "S1");
    CHECK(all[0].total.value() == doctest::Approx(84));
    CHECK(all[0].grade == "good");
    CHECK(all[0].rank == 1);
    CHECK(all[0].peers == 2);
    CHECK(all[0].components.size() == 4);
    CHECK(all[0].components[0].inputs.at("valid_report_rate").sources ==
          std::vector<std::string>{"C-S1-1"});
    CHECK(score_to_json(all[0]) == score_to_json(march[0]));
    // S2's trend: March 50 (failing), April 0.4×100 + 0.2×100 + 0.2×100 + 0.2×100 = 100.
    ScoreFilter trend;
    trend.subject = "S2";
    trend.scheme = "urban_supervisor";
    const std::vector<ScoreResult> s2 = ws.assessment().scores(trend);
    REQUIRE(s2.size() == 2);
    CHECK(s2[0].period.label() == "2026-03");
    CHECK(s2[0].failing);
    CHECK(s2[1].period.label() == "2026-04");
    CHECK(s2[1].total.value() == doctest::Approx(100));
    ScoreFilter april_only;
    april_only.from = AssessmentPeriod::parse("2026-04");
    april_only.to = AssessmentPeriod::parse("2026-Q2");
    CHECK(ws.assessment().scores(april_only).size() == 1);
    ScoreFilter q1;
    q1.from = AssessmentPeriod::parse("2026-Q1");
    q1.to = AssessmentPeriod::parse("2026-Q1");
    CHECK(ws.assessment().scores(q1).size() == 2);
    const std::vector<RuleFlag> flags = ws.assessment().rule_flags("urban_supervisor", "S2");
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].streak == 4);
    CHECK(flags[0].periods == std::vector<std::string>{"2026-01", "2026-02", "2026-03"});
    CHECK(ws.assessment().rule_flags("other").empty());

    // The stored explanation is the explain() tree of the score.
    RawDb raw(path);
    const std::string explanation =
        raw.text("SELECT explanation FROM assessment_scores WHERE subject = 'S1'");
    CHECK(raw.number("SELECT total FROM assessment_scores WHERE subject = 'S1'") ==
          doctest::Approx(84));
    CHECK(raw.text("SELECT grade FROM assessment_scores WHERE subject = 'S1'") == "good");
    CHECK(explanation == explanation_to_json(explain(march[0])));
    const nlohmann::json tree = nlohmann::json::parse(explanation);
    CHECK(tree["children"].size() == 4);
    CHECK(tree["children"][0]["children"][0]["children"][0]["key"] == "C-S1-1");
}

TEST_CASE("workspace assessment: draws are recorded once, verified on load" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    const DrawRecord record = sample_draw();
    REQUIRE(record.picks.front() == "G26");
    {
        Workspace ws = Workspace::open(path);
        ws.assessment().record_draw("2026-03", record);
        CHECK_THROWS_AS(ws.assessment().record_draw("2026-03", record), Error);
        DrawRecord forged = record;
        std::swap(forged.picks[0], forged.picks[1]);
        CHECK_THROWS_WITH_AS(ws.assessment().record_draw("2026-04", forged),
                             doctest::Contains("picks"), Error);
        CHECK(ws.assessment().draws().size() == 1);
    }
    {
        Workspace ws = Workspace::open(path);
        REQUIRE(ws.assessment().draws().size() == 1);
        CHECK(ws.assessment().draws()[0].label == "2026-03");
        CHECK(ws.assessment().draws()[0].verified);
        CHECK(ws.assessment().draws()[0].record == record);
    }
    // Another program edits the picks in the file: the draw loads, marked unverified.
    RawDb(path).exec(
        "UPDATE assessment_draws SET record = replace(record, '\"G26\",\"G33\"', "
        "'\"G33\",\"G26\"')");
    Workspace ws = Workspace::open(path);
    REQUIRE(ws.assessment().draws().size() == 1);
    CHECK_FALSE(ws.assessment().draws()[0].verified);
    CHECK(ws.assessment().draws()[0].record.picks[0] == "G33");
}

TEST_CASE("assessment exports: JSON round trip, CSV and the public notice") {
    const std::vector<ScoreResult> results = supervisor_scores();
    for (const ScoreResult& r : results)
        CHECK(score_to_json(score_from_json(score_to_json(r))) == score_to_json(r));
    CHECK_THROWS_AS(score_from_json("{"), Error);
    CHECK_THROWS_WITH_AS(
        score_from_json(R"({"scheme":"x","subject":{"code":"a"},"period":"2026-13"})"),
        doctest::Contains("period"), Error);
    const DrawRecord record = sample_draw();
    CHECK(draw_from_json(draw_to_json(record)) == record);

    const nlohmann::json all = nlohmann::json::parse(scores_to_json(results));
    REQUIRE(all.size() == 2);
    CHECK(all[0]["total"].get<double>() == doctest::Approx(84));
    CHECK(all[0]["explanation"]["children"].size() == 4);

    const std::string csv = scores_to_csv(results);
    CHECK(csv.rfind("scheme,subject,level,area_class,period,total,grade,failing,rank,peers,note,"
                    "valid_report,missed,on_time_verify,on_time_check\n",
                    0) == 0);
    CHECK(csv.find("urban_supervisor,S2,worker,,2026-03,50,fail,1,2,2,,50,50,50,50\n") !=
          std::string::npos);

    const AssessmentScheme scheme = AssessmentScheme::preset("urban_supervisor");
    NoticeOptions options;
    options.names["S1"] = "张<三>";
    RuleFlag flag;
    flag.rule = "award_ineligible";
    flag.label = "连续三个月不合格";
    flag.subject = "S2";
    flag.period = AssessmentPeriod::parse("2026-03");
    flag.streak = 3;
    options.flags = {flag};
    options.draw = record;
    const std::string html = notice_html(scheme, results, options);
    CHECK(html.find("<title>数字城管监督员综合指标 考核结果通报</title>") != std::string::npos);
    CHECK(html.find("2026-03") != std::string::npos);
    CHECK(html.find("张&lt;三&gt;（S1）") != std::string::npos);
    CHECK(html.find("84.00") != std::string::npos);
    CHECK(html.find("良好") != std::string::npos);
    // S2 ranks second, fails, and carries its flag.
    const std::size_t row = html.find("<tr class=\"failing\">");
    REQUIRE(row != std::string::npos);
    CHECK(html.find("S2", row) < html.find("</tr>", row));
    CHECK(html.find("连续三个月不合格（连续 3 期）", row) < html.find("</tr>", row));
    CHECK(html.find("S1") < row);
    CHECK(html.find("seed 20260301") != std::string::npos);
    CHECK(html.find("urban_supervisor, version 1") != std::string::npos);
}

TEST_CASE("workspace assessment: the notice of stored scores and read-only refusals" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    {
        Workspace ws = Workspace::open(path);
        ws.assessment().store_scores(supervisor_scores());
        ws.assessment().record_draw("2026-03", sample_draw());
        const AssessmentScheme scheme = AssessmentScheme::preset("urban_supervisor");
        ws.assessment().export_notice(dir.file("notice.html"), scheme,
                                      AssessmentPeriod::parse("2026-03"));
        const std::string html = read_file(dir.file("notice.html"));
        CHECK(html.find("seed 20260301") != std::string::npos);
        CHECK(html.find("<tr class=\"failing\">") != std::string::npos);
        const std::string empty = ws.assessment().notice_html(
            scheme, AssessmentPeriod::parse("2026-05"), NoticeOptions{});
        CHECK(empty.find("2026-05") != std::string::npos);
        CHECK(empty.find("<tr class") == std::string::npos);
        CHECK_THROWS_AS(ws.assessment().export_notice(dir.file("no/such/dir/n.html"), scheme,
                                                      AssessmentPeriod::parse("2026-03")),
                        Error);
    }
    OpenOptions ro;
    ro.read_only = true;
    Workspace ws = Workspace::open(path, ro);
    CHECK(ws.assessment().scores().size() == 2);
    CHECK_THROWS_AS(ws.assessment().store_scores(supervisor_scores()), Error);
    CHECK_THROWS_AS(ws.assessment().add_attendance({"A1", "P1", Date::parse("2026-03-02")}), Error);
    CHECK_THROWS_AS(ws.assessment().record_draw("2026-04", sample_draw()), Error);
}

TEST_CASE("workspace assessment: failed writes of scores, flags and draws change nothing" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    const std::vector<ScoreResult> march = supervisor_scores();
    { Workspace::open(path).assessment().store_scores({march[0]}); }
    {
        RawDb raw(path);
        raw.refuse_inserts("refuse_s2", "assessment_scores", "NEW.subject = 'S2'",
                           "planted failure");
        raw.refuse_inserts("refuse_draw", "assessment_draws", "", "planted draw failure");
        raw.refuse_inserts("refuse_flag", "assessment_flags", "", "planted flag failure");
    }
    Workspace ws = Workspace::open(path);
    // S1 would be replaced by a changed copy, S2 added: the second insert fails, so S1 keeps
    // its stored rank too.
    ScoreResult changed = march[0];
    changed.rank = 7;
    CHECK_THROWS_WITH_AS(ws.assessment().store_scores({changed, march[1]}),
                         doctest::Contains("planted failure"), Error);
    REQUIRE(ws.assessment().scores().size() == 1);
    CHECK(ws.assessment().scores()[0].rank == 1);
    RuleFlag flag;
    flag.rule = "r";
    flag.subject = "S1";
    flag.streak = 3;
    CHECK_THROWS_AS(ws.assessment().store_rule_flags("urban_supervisor", {flag}), Error);
    CHECK(ws.assessment().rule_flags().empty());
    CHECK_THROWS_WITH_AS(ws.assessment().record_draw("2026-03", sample_draw()),
                         doctest::Contains("planted draw failure"), Error);
    CHECK(ws.assessment().draws().empty());
    Workspace again = Workspace::open(path);
    REQUIRE(again.assessment().scores().size() == 1);
    CHECK(again.assessment().scores()[0].rank == 1);
    CHECK(again.assessment().rule_flags().empty());
    CHECK(again.assessment().draws().empty());
}

// ---- assessing a workspace (tests/data/area_steps_runs.json) -----------------------------
//
// The runs of area_steps_runs.json are applied in order to one workspace holding the
// township; each gives the scores and flags listed there. The C, Python and command-line
// tests apply the same runs to their own copies and compare with the same file.

namespace {

std::string test_data(const std::string& name) {
    return std::string(GRIDGOV_TEST_DATA) + "/" + name;
}

WorkspaceAssessOptions run_options(const nlohmann::json& run) {
    WorkspaceAssessOptions o;
    if (run.contains("level"))
        o.level = run["level"].get<std::string>();
    if (run.contains("subjects"))
        o.subjects = run["subjects"].get<std::vector<std::string>>();
    o.default_area_class = run.value("default_area_class", "");
    o.store = run.value("store", false);
    return o;
}

// The fields the faces compare: subject, level, area class, total, grade, failing, rank,
// peers of every score; rule, subject, period, streak, periods of every flag.
nlohmann::json run_fields(const AssessmentRun& run) {
    nlohmann::json j;
    j["scores"] = nlohmann::json::array();
    for (const ScoreResult& r : run.scores) {
        j["scores"].push_back({{"subject", r.subject.code},
                               {"level", r.subject.level},
                               {"area_class", r.subject.area_class},
                               {"total", r.total ? nlohmann::json(*r.total) : nlohmann::json()},
                               {"grade", r.grade},
                               {"failing", r.failing},
                               {"rank", r.rank},
                               {"peers", r.peers}});
    }
    j["flags"] = nlohmann::json::array();
    for (const RuleFlag& f : run.flags) {
        j["flags"].push_back({{"rule", f.rule},
                              {"subject", f.subject},
                              {"period", f.period.label()},
                              {"streak", f.streak},
                              {"periods", f.periods}});
    }
    return j;
}

nlohmann::json expected_fields(const nlohmann::json& run) {
    return {{"scores", run["scores"]}, {"flags", run["flags"]}};
}

}  // namespace

TEST_CASE(
    "WorkspaceAssessment::assess: the runs of area_steps_runs.json, re-assessing stored periods" *
    doctest::test_suite("store")) {
    const nlohmann::json doc = nlohmann::json::parse(read_file(test_data("area_steps_runs.json")));
    const AssessmentScheme scheme =
        AssessmentScheme::from_json(read_file(test_data("area_steps.json")), "area_steps.json");
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(test_data("township.json"));
    std::vector<AssessmentRun> runs;
    for (const nlohmann::json& run : doc["runs"]) {
        INFO(run["note"].get<std::string>());
        const AssessmentPeriod period = AssessmentPeriod::parse(run["period"].get<std::string>());
        runs.push_back(ws.assessment().assess(scheme, period, run_options(run)));
        CHECK(run_fields(runs.back()) == expected_fields(run));
    }
    // Re-assessing March with the data of its first assessment gave its first flags.
    REQUIRE(runs.size() == 5);
    CHECK(run_fields(runs[2]) == run_fields(runs[1]));
    CHECK(runs[1].flags.size() == 12);
    // What was stored last for March is the passing run: scores and no new flags.
    ScoreFilter march;
    march.scheme = "area_steps";
    march.from = march.to = AssessmentPeriod::parse("2026-03");
    for (const ScoreResult& r : ws.assessment().scores(march))
        CHECK(r.grade == "pass");

    // The last run (not stored) is what a workspace that never assessed March gives.
    const nlohmann::json& last = doc["runs"][4];
    TempDir other;
    Workspace fresh = Workspace::open(other.file("ws.gridgov"));
    fresh.hierarchy().import_file(test_data("township.json"));
    fresh.assessment().assess(scheme, AssessmentPeriod::parse("2026-02"),
                              run_options(doc["runs"][0]));
    const Workspace& reader = fresh;
    CHECK(run_fields(reader.assessment().assess(scheme, AssessmentPeriod::parse("2026-03"),
                                                run_options(last))) == expected_fields(last));

    // The history as the command line used to read it, the stored (passing) March kept,
    // would hide the grids' second failing month: no flag where the runs above expect two.
    AssessOptions stale;
    ScoreFilter every;
    every.scheme = "area_steps";
    stale.history = ws.assessment().scores(every);
    stale.default_area_class = "二类";
    std::vector<IndicatorSubject> subjects;
    for (const auto& code : last["subjects"])
        subjects.push_back(IndicatorSubject::node(code.get<std::string>()));
    const AssessmentRun old =
        assess(ws.cases(), ws.hierarchy().view(), scheme, AssessmentPeriod::parse("2026-03"),
               SubjectSelection::of(subjects), stale);
    CHECK(old.flags.size() != last["flags"].size());
}

TEST_CASE("WorkspaceAssessment::assess: the selection is checked, a read workspace is not written" *
          doctest::test_suite("store")) {
    const AssessmentScheme scheme =
        AssessmentScheme::from_json(read_file(test_data("area_steps.json")), "area_steps.json");
    TempDir dir;
    const std::string path = store_location(dir, "ws.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(test_data("township.json"));
    const AssessmentPeriod march = AssessmentPeriod::parse("2026-03");
    WorkspaceAssessOptions o;
    o.default_area_class = "一类";
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, o),
                         doctest::Contains("exactly one of level"), Error);
    o.level = "grid";
    o.departments = true;
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, o), doctest::Contains("(2 given)"),
                         Error);
    o.departments = false;
    o.roles = {"grid_worker"};
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, o), doctest::Contains("roles"),
                         Error);
    o.roles.clear();
    o.level = "hamlet";
    try {
        ws.assessment().assess(scheme, march, o);
        FAIL("an unknown level was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        CHECK(std::string(e.what()).find("\"hamlet\"") != std::string::npos);
    }
    o.level.reset();
    o.subjects = {"341521105201001", "999"};
    try {
        ws.assessment().assess(scheme, march, o);
        FAIL("an unknown subject was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK(std::string(e.what()).find("\"999\"") != std::string::npos);
    }
    o.subjects = {"341521105201001"};
    o.grid_workers = true;
    o.worker_level = "street";
    CHECK_THROWS_AS(ws.assessment().assess(scheme, march, o), Error);
    o.subjects.clear();
    o.worker_level = "street";
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, o), doctest::Contains("\"street\""),
                         Error);
    CHECK(ws.assessment().scores().empty());

    // Units of an overlay: every unit (of a level), or unit places among the subjects.
    ws.hierarchy().add_overlay("fire", "消防网格", fire_safety_levels());
    ws.hierarchy().add_overlay_unit("fire",
                                    {"M1", "", "一村消防中网格", "medium", {"341521105201"}});
    ws.hierarchy().add_overlay_unit("fire", {"S1", "M1", "小网格", "small", {"341521105201001"}});
    WorkspaceAssessOptions units;
    units.default_area_class = "一类";
    units.units = "fire";
    const AssessmentRun all_units = ws.assessment().assess(scheme, march, units);
    REQUIRE(all_units.scores.size() == 2);
    CHECK(all_units.scores[0].subject.code == "fire:M1");
    CHECK(all_units.scores[0].subject.level == "fire:medium");
    units.unit_level = "small";
    REQUIRE(ws.assessment().assess(scheme, march, units).scores.size() == 1);
    units.unit_level = "grid";
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, units),
                         doctest::Contains("unit_level \"grid\" is not a level of overlay fire"),
                         Error);
    units.units = "market";
    units.unit_level.clear();
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, units),
                         doctest::Contains("no overlay \"market\""), Error);
    units.units.clear();
    units.unit_level = "small";
    units.level = "grid";
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, units),
                         doctest::Contains("unit_level chooses among units only"), Error);
    WorkspaceAssessOptions places;
    places.default_area_class = "一类";
    places.subjects = {"fire:S1", "341521105201001"};
    const AssessmentRun mixed = ws.assessment().assess(scheme, march, places);
    REQUIRE(mixed.scores.size() == 2);
    CHECK(mixed.scores[0].subject.level == "fire:small");
    CHECK(mixed.scores[0].total == mixed.scores[1].total);  // S1 covers exactly that grid
    places.subjects = {"fire:S9"};
    CHECK_THROWS_WITH_AS(ws.assessment().assess(scheme, march, places),
                         doctest::Contains("\"fire:S9\" is not a node or an overlay unit"), Error);

    // A workspace opened read-only: assessing without storing reads it; storing is refused
    // by the const overload before anything is computed.
    ws = Workspace::open(path, OpenOptions{false, true});
    WorkspaceAssessOptions grids;
    grids.level = "grid";
    grids.default_area_class = "一类";
    const Workspace& reader = ws;
    CHECK(reader.assessment().assess(scheme, march, grids).scores.size() == 12);
    grids.store = true;
    CHECK_THROWS_WITH_AS(reader.assessment().assess(scheme, march, grids),
                         doctest::Contains("may be changed"), Error);
    CHECK_THROWS_AS(ws.assessment().assess(scheme, march, grids), Error);
    CHECK(ws.assessment().scores().empty());
}
