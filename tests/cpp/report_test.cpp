// The report page: a ReportData built by hand and one collected from a real workspace
// file (tests/report/fixture.hpp), rendered and read back — rows, numbers, escaping,
// masking, the JSON island, no external references, the file written by rename.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../report/fixture.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
using nlohmann::json;

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

json island(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"gridgov-data\">";
    const std::size_t from = html.find(open);
    REQUIRE(from != std::string::npos);
    const std::size_t begin = from + open.size();
    const std::size_t end = html.find("</script>", begin);
    REQUIRE(end != std::string::npos);
    return json::parse(html.substr(begin, end - begin));
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

ScoreResult hand_score(const std::string& code, double value, std::vector<std::string> sources) {
    const AssessmentScheme scheme =
        AssessmentScheme::from_json(report_fixture::village_scheme_json());
    ScoreInput in;
    in.subject = {code, "village", ""};
    in.period = AssessmentPeriod::parse("2026-03");
    in.values["on_time"] = IndicatorValue::of(value, std::move(sources));
    return score(scheme, in);
}

ReportData hand_data() {
    ReportData d;
    d.title = "苇川县网格化服务管理月报";
    d.at = Instant::parse("2026-03-31T18:00");
    d.generated_at = d.at;
    d.summary.area = "苇川县";
    d.summary.area_code = "371338";
    d.summary.period = "2026-03";
    d.summary.cases = 1234;
    d.summary.events = 9876;
    d.summary.head_sequence = 9876;
    d.summary.head_hash = std::string(64, 'a');
    LogVerification ok;
    ok.events_checked = 9876;
    d.summary.log = ok;
    d.board_level = "village";
    BoardRow a;
    a.code = "371338102201";
    a.name = "青石村";
    a.parent = "青石镇";
    a.cases = 40;
    a.open = 7;
    a.green = 4;
    a.yellow = 2;
    a.red = 1;
    a.overdue = 1;
    a.closed_on_time = 30;
    a.closed_late = 2;
    a.voided = 1;
    BoardRow b = a;
    b.code = "371338102202";
    b.name = "东岭村 <script>alert(1)</script>";
    b.red = 0;
    b.overdue = 0;
    b.green = 5;
    d.board = {a, b};

    SchemeSection s;
    s.key = "village_monthly";
    s.label = "村级案件月度考核";
    s.grades = {{"pass", "合格"}, {"fail", "不合格"}};
    std::vector<std::string> many;
    for (int i = 1; i <= 23; ++i)
        many.push_back("2026-" + std::to_string(100000 + i));
    s.results = {hand_score("371338102201", 92.5, many), hand_score("371338102202", 41, {"X-1"}),
                 hand_score("P0042", 75, {})};
    rank(s.results);
    RuleFlag f;
    f.rule = "dismissal_review";
    f.label = "连续三月不合格";
    f.subject = "371338102202";
    f.period = AssessmentPeriod::parse("2026-03");
    f.streak = 3;
    f.periods = {"2026-01", "2026-02", "2026-03"};
    s.flags = {f};
    d.schemes = {s};
    d.names = {{"371338102201", "青石村"},
               {"371338102202", "东岭村 <b>"},
               {"P0042", "王五 13812345678 11010519491231002X"}};

    TrendChart t;
    t.title = "按期结案率";
    t.unit = "%";
    t.periods = {"2026-01", "2026-02", "2026-03"};
    t.series = {{"苇川县", {88.0, std::nullopt, 91.5}}};
    d.trends = {t};

    DrawSpec spec;
    spec.seed = 18446744073709551557ull;
    spec.candidates = {"G1", "G2", "G3", "G4"};
    spec.count = 2;
    StoredDraw sd;
    sd.label = "2026-03";
    sd.record = draw(spec);
    sd.verified = verify_draw(sd.record);
    d.draws = {sd};
    return d;
}

}  // namespace

TEST_CASE("report.html.shows_every_section_of_hand_built_data") {
    const ReportData d = hand_data();
    const std::string html = report_html(d);

    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<title>苇川县网格化服务管理月报 · 苇川县</title>") != std::string::npos);
    // Summary.
    CHECK(html.find("<dd id=\"summary-cases\">1234</dd>") != std::string::npos);
    CHECK(html.find("<dd id=\"summary-events\">9876</dd>") != std::string::npos);
    CHECK(html.find("完好 intact") != std::string::npos);
    CHECK(html.find(std::string(64, 'a')) != std::string::npos);
    // Board: two rows, the first alerted (a red light), the total summed.
    CHECK(occurrences(html, "<tr class=\"board-row") == 2);
    CHECK(html.find("<tr class=\"board-row alert\" data-code=\"371338102201\">") !=
          std::string::npos);
    CHECK(html.find("<tr class=\"board-row\" data-code=\"371338102202\">") != std::string::npos);
    CHECK(html.find("<td class=\"n green\">9</td>") != std::string::npos);  // 4 + 5 in total
    // Rankings: three rows of one period, the failing one marked.
    CHECK(occurrences(html, "<tr class=\"score-row") == 3);
    CHECK(occurrences(html, "<tr class=\"score-row failing\"") == 1);
    CHECK(html.find("data-key=\"village_monthly/2026-03/371338102202\"") != std::string::npos);
    CHECK(html.find("<td class=\"n total\">92.50</td>") != std::string::npos);
    CHECK(html.find("<td class=\"n total\">41.00</td>") != std::string::npos);
    CHECK(html.find("<td>不合格</td>") != std::string::npos);
    CHECK(html.find("⚑ 连续三月不合格") != std::string::npos);
    // Flags and draws.
    CHECK(occurrences(html, "<tr class=\"flag-row\">") == 1);
    CHECK(html.find("2026-01, 2026-02, 2026-03") != std::string::npos);
    CHECK(occurrences(html, "<tr class=\"draw-row\">") == 1);
    CHECK(html.find("<code>18446744073709551557</code>") != std::string::npos);
    CHECK(html.find("<td class=\"ok\">是 yes</td>") != std::string::npos);
    // Trends: the caller's chart, the scheme's mean chart and three small multiples.
    CHECK(html.find("<figcaption>按期结案率</figcaption>") != std::string::npos);
    CHECK(occurrences(html, "<figure class=\"multiple\">") == 3);
    CHECK(occurrences(html, "<polyline") >= 3);
    // The footer names the library version.
    CHECK(html.find(std::string("gridgov ") + version()) != std::string::npos);
}

TEST_CASE("report.html.escapes_masks_and_stays_offline") {
    const std::string html = report_html(hand_data());
    // Text is escaped: the only script elements are the page's own two.
    CHECK(html.find("东岭村 &lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("<script>alert") == std::string::npos);
    CHECK(html.find("东岭村 &lt;b&gt;") != std::string::npos);
    CHECK(html.find("东岭村 <b>") == std::string::npos);
    CHECK(occurrences(html, "<script") == 2);
    // Phones and ID numbers in names are masked, in the page and in the island.
    CHECK(html.find("13812345678") == std::string::npos);
    CHECK(html.find("11010519491231002X") == std::string::npos);
    CHECK(html.find("王五 138****5678 1101**********002X") != std::string::npos);
    // Node codes of 12 and 15 digits are left alone.
    CHECK(html.find("371338102201") != std::string::npos);
    // Nothing is loaded from elsewhere.
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
}

TEST_CASE("report.json.island_parses_and_matches_the_data") {
    const ReportData d = hand_data();
    const std::string html = report_html(d);
    const json j = island(html);
    CHECK(json::parse(report_json(d)) == j);
    // '<' never appears raw inside the island.
    const std::size_t begin = html.find("id=\"gridgov-data\">");
    const std::size_t end = html.find("</script>", begin);
    CHECK(html.substr(begin, end - begin).find('<') == std::string::npos);

    CHECK(j["format"] == "gridgov-report-1");
    CHECK(j["summary"]["cases"] == 1234);
    CHECK(j["summary"]["log"]["ok"] == true);
    CHECK(j["board"].size() == 2);
    CHECK(j["board"][1]["name"] == "东岭村 <script>alert(1)</script>");
    CHECK(j["board_total"]["closed_on_time"] == 60);
    CHECK(j["board_total"]["green"] == 9);
    REQUIRE(j["schemes"].size() == 1);
    const json& s = j["schemes"][0];
    CHECK(s["periods"] == json::array({"2026-03"}));
    REQUIRE(s["scores"].size() == 3);
    CHECK(s["scores"][0]["subject"] == "371338102201");
    CHECK(s["scores"][0]["total"] == doctest::Approx(92.5));
    CHECK(s["scores"][0]["rank"] == 1);
    CHECK(s["scores"][1]["failing"] == true);
    CHECK(s["scores"][1]["grade_label"] == "不合格");
    CHECK(s["scores"][2]["name"] == "王五 138****5678 1101**********002X");
    CHECK(s["flags"][0]["streak"] == 3);
    // The explanation: score → component → indicator → 20 of the 23 source ids.
    const json& e = s["scores"][0]["explanation"];
    CHECK(e["value"] == doctest::Approx(92.5));
    REQUIRE(e["children"].size() == 1);
    const json& component = e["children"][0];
    CHECK(component["key"] == "closure");
    REQUIRE(component["children"].size() == 1);
    const json& indicator = component["children"][0];
    CHECK(indicator["key"] == "on_time");
    CHECK(indicator["children"].size() == 20);
    CHECK(indicator["more"] == 3);
    CHECK(indicator["children"][0]["key"] == "2026-100001");
    // Seeds are strings: a JavaScript number cannot hold every 64-bit seed.
    CHECK(j["draws"][0]["seed"] == "18446744073709551557");
    CHECK(j["draws"][0]["verified"] == true);
    CHECK(j["draws"][0]["candidates"] == 4);
    CHECK(j["trends"][0]["series"][0]["values"] == json::array({88.0, nullptr, 91.5}));
}

TEST_CASE("report.html.empty_data_still_makes_a_page") {
    ReportData d;
    const std::string html = report_html(d);
    CHECK(html.find("网格化服务管理报告") != std::string::npos);
    CHECK(html.find("未校验 (not checked)") != std::string::npos);
    CHECK(occurrences(html, "暂无") >= 4);
    const json j = island(html);
    CHECK(j["summary"]["log"].is_null());
    CHECK(j["schemes"].empty());
}

TEST_CASE("report.collect.reads_board_summary_scores_flags_and_draws_from_a_workspace") {
    report_fixture::TempDir dir;
    const std::string path = dir.file("county.gridgov");
    report_fixture::Expected x;
    {
        Workspace ws = Workspace::open(path);
        x = report_fixture::populate(ws);
    }
    const Workspace ws = Workspace::open(path);
    const CaseEngine& e = ws.cases();
    const Instant at = report_fixture::board_instant();
    const ReportData d = collect_report_data(ws, at, report_fixture::options());

    // Summary.
    CHECK(d.summary.area == "苇川县");
    CHECK(d.summary.area_code == "371338");
    CHECK(d.summary.cases == x.cases);
    CHECK(d.summary.events == e.last_sequence());
    CHECK(d.summary.head_hash == hash_hex(e.head().hash));
    REQUIRE(d.summary.log);
    CHECK(d.summary.log->ok);
    CHECK(d.summary.log->events_checked == e.last_sequence());
    CHECK(d.summary.period == "2024-01 – 2024-03");

    // Base records per village and for the county, with the March field check.
    REQUIRE(d.records.size() == 2);
    CHECK(d.records[0].code == "371338101001");
    CHECK(d.records[0].residents == 2);
    CHECK(d.records[0].floating == 0);
    CHECK(d.records[0].houses == 2);
    CHECK(d.records[0].rented == 1);
    CHECK(d.records[0].units == 1);
    CHECK(d.records[0].check_month == "2024-03");
    CHECK(d.records[0].sampled == 2);
    CHECK(d.records[0].checked == 2);
    CHECK(d.records[0].wrong == 1);
    CHECK(*d.records[0].collection_rate == doctest::Approx(100.0));
    CHECK(*d.records[0].accuracy_rate == doctest::Approx(50.0));
    CHECK(d.records[1].floating == 1);
    CHECK(d.records[1].not_collected == 1);
    CHECK(*d.records[1].collection_rate == doctest::Approx(0.0));
    CHECK_FALSE(d.records[1].accuracy_rate);
    CHECK(d.records_total.code == "371338");
    CHECK(d.records_total.residents == 3);
    CHECK(d.records_total.sampled == 3);
    CHECK(*d.records_total.collection_rate == doctest::Approx(200.0 / 3.0));
    const std::string page = report_html(d);
    CHECK(page.find("<section id=\"records\">") != std::string::npos);
    CHECK(page.find(
              "<tr class=\"records-row\" data-code=\"371338101002\"><td>东岭村&lt;b&gt;</td>") !=
          std::string::npos);
    const nlohmann::json records_island = nlohmann::json::parse(report_json(d));
    CHECK(records_island["records"]["rows"][0]["collection_rate"] == 100.0);
    CHECK(records_island["records"]["rows"][1]["accuracy_rate"].is_null());
    CHECK(records_island["records"]["total"]["checked"] == 3);

    // Board: the two villages in pre-order; the numbers against the cases one by one.
    REQUIRE(d.board.size() == 2);
    CHECK(d.board[0].code == "371338101001");
    CHECK(d.board[0].name == "青石村");
    CHECK(d.board[0].parent == "青石镇");
    CHECK(d.board[1].code == "371338101002");
    std::map<std::string, BoardRow> want;
    for (CaseId id = 0; id < e.size(); ++id) {
        const CaseRecord r = e.get(id);
        const std::string village =
            ws.hierarchy().view().code(ws.hierarchy().view().parent(r.node));
        BoardRow& w = want[village];
        ++w.cases;
        if (r.kind == StateKind::pending || r.kind == StateKind::open)
            ++w.open;
        if (r.kind == StateKind::closed)
            ++(r.breached ? w.closed_late : w.closed_on_time);
        if (r.kind == StateKind::voided)
            ++w.voided;
        if (const auto c = e.clock_status(id, at)) {
            (c->light == Light::green ? w.green : c->light == Light::yellow ? w.yellow : w.red)++;
            if (c->overdue)
                ++w.overdue;
        }
    }
    for (const BoardRow& row : d.board) {
        INFO(row.code);
        const BoardRow& w = want[row.code];
        CHECK(row.cases == w.cases);
        CHECK(row.open == w.open);
        CHECK(row.green == w.green);
        CHECK(row.yellow == w.yellow);
        CHECK(row.red == w.red);
        CHECK(row.overdue == w.overdue);
        CHECK(row.closed_on_time == w.closed_on_time);
        CHECK(row.closed_late == w.closed_late);
        CHECK(row.voided == w.voided);
    }
    // By hand: 青石村 3 cases (2 closed on time, 1 open), 东岭村 3 (1 waiting since
    // February, overdue; 1 voided; 1 closed late).
    CHECK(d.board[0].cases == 3);
    CHECK(d.board[0].closed_on_time == 2);
    CHECK(d.board[0].open == 1);
    CHECK(d.board[0].red == 0);
    CHECK(d.board[1].cases == 3);
    CHECK(d.board[1].open == 1);
    CHECK(d.board[1].red == 1);
    CHECK(d.board[1].overdue == 1);
    CHECK(d.board[1].voided == 1);
    CHECK(d.board[1].closed_late == 1);
    CHECK(d.board_total.code == "371338");
    CHECK(d.board_total.cases == x.cases);
    CHECK(d.board_total.open == x.open);
    CHECK(d.board_total.closed_on_time == x.closed_on_time);
    CHECK(d.board_total.closed_late == x.closed_late);
    CHECK(d.board_total.voided == x.voided);

    // Stored assessment.
    REQUIRE(d.schemes.size() == 1);
    CHECK(d.schemes[0].key == "village_monthly");
    CHECK(d.schemes[0].label == "村级案件月度考核");
    CHECK(d.schemes[0].grades.at("fail") == "不合格");
    CHECK(d.schemes[0].results.size() == 6);
    REQUIRE(d.schemes[0].flags.size() == 1);
    CHECK(d.schemes[0].flags[0].subject == "371338101002");
    CHECK(d.schemes[0].flags[0].streak == 3);
    REQUIRE(d.draws.size() == 1);
    CHECK(d.draws[0].label == "2024-03");
    CHECK(d.draws[0].verified);
    CHECK(d.names.at("371338101002") == "东岭村<b>");
    CHECK(d.names.count("P0002") == 0);  // people only when the caller names them

    // The closure trend: January and February close nothing; March closes 3, 2 on time.
    REQUIRE(d.trends.size() == 1);
    CHECK(d.trends[0].periods == std::vector<std::string>{"2024-01", "2024-02", "2024-03"});
    REQUIRE(d.trends[0].series.size() == 1);
    const auto& rate = d.trends[0].series[0].values;
    REQUIRE(rate.size() == 3);
    CHECK_FALSE(rate[0]);
    CHECK_FALSE(rate[1]);
    REQUIRE(rate[2]);
    CHECK(*rate[2] == doctest::Approx(200.0 / 3.0));

    // The page.
    const std::string html = report_html(d);
    CHECK(occurrences(html, "<tr class=\"score-row") == 6);
    CHECK(occurrences(html, "data-period=\"2024-03\" data-subject=") == 2);
    CHECK(html.find("东岭村&lt;b&gt;") != std::string::npos);
    CHECK(html.find("<dd id=\"summary-cases\">6</dd>") != std::string::npos);
    const json j = island(html);
    CHECK(j["schemes"][0]["periods"] == json::array({"2024-01", "2024-02", "2024-03"}));
    CHECK(j["summary"]["head_hash"] == hash_hex(e.head().hash));
    // 青石村's March indicator: 25 sources, 20 shown.
    for (const json& s : j["schemes"][0]["scores"]) {
        if (s["subject"] == "371338101001" && s["period"] == "2024-03") {
            const json& ind = s["explanation"]["children"][0]["children"][0];
            CHECK(ind["children"].size() == 20);
            CHECK(ind["more"] == 5);
        }
    }

    SUBCASE("options") {
        ReportOptions o = report_fixture::options();
        o.verify_log = false;
        o.stored_assessment = false;
        o.closure_trend = false;
        o.board_level = "grid";
        o.scope = "371338101001";
        o.names = {{"371338101001001", "一网格"}};
        const ReportData g = collect_report_data(ws, at, o);
        CHECK_FALSE(g.summary.log);
        CHECK(g.schemes.empty());
        CHECK(g.trends.empty());
        CHECK(g.draws.empty());
        REQUIRE(g.board.size() == 2);
        CHECK(g.board[0].code == "371338101001001");
        CHECK(g.board[0].cases == 2);
        CHECK(g.board_total.code == "371338101001");
        CHECK(g.board_total.cases == 3);
        CHECK(g.summary.area == "青石村");
        CHECK(g.names.at("371338101001001") == "一网格");
    }
    SUBCASE("a board read earlier leaves out the cases reported later") {
        const ReportData early =
            collect_report_data(ws, Instant::parse("2024-03-01T12:00"), report_fixture::options());
        REQUIRE(early.board.size() == 2);
        CHECK(early.board[0].cases == 0);
        CHECK(early.board[1].cases == 2);  // reported on 2024-02-26 and 2024-02-27
        CHECK(early.board_total.cases == 2);
        CHECK(early.summary.cases == x.cases);  // the summary counts every case
    }
    SUBCASE("departments are named, people are not") {
        Workspace rw = Workspace::open(path);
        const AssessmentScheme scheme =
            AssessmentScheme::from_json(report_fixture::village_scheme_json());
        std::vector<ScoreResult> more;
        for (const char* subject : {"D-HW-QS", "P0005"}) {
            ScoreInput in;
            in.subject = {subject, "department", ""};
            in.period = AssessmentPeriod::parse("2024-03");
            in.values["on_time"] = IndicatorValue::of(70);
            more.push_back(score(scheme, in));
        }
        rw.assessment().store_scores(more);
        const ReportData r = collect_report_data(rw, at, report_fixture::options());
        CHECK(r.schemes[0].results.size() == 8);
        CHECK(r.names.at("D-HW-QS") == "青石镇环卫所");
        CHECK(r.names.count("P0005") == 0);
        const std::string page = report_html(r);
        CHECK(page.find("青石镇环卫所 <code>D-HW-QS</code>") != std::string::npos);
        CHECK(page.find("陈静") == std::string::npos);  // P0005's name in the directory
    }
    SUBCASE("refusals name what is unknown") {
        ReportOptions o;
        o.scope = "999";
        CHECK_THROWS_WITH_AS(collect_report_data(ws, at, o), doctest::Contains("'999'"), Error);
        o.scope.clear();
        o.board_level = "hamlet";
        CHECK_THROWS_WITH_AS(collect_report_data(ws, at, o), doctest::Contains("'hamlet'"), Error);
    }
}

TEST_CASE("report.units.boards_of_overlay_units_count_the_cases_of_the_grids_they_cover") {
    report_fixture::TempDir dir;
    const std::string path = dir.file("county.gridgov");
    {
        Workspace ws = Workspace::open(path);
        report_fixture::populate(ws);
        report_fixture::add_fire_network(ws, "东岭村消防中网格<b>");
    }
    const Workspace ws = Workspace::open(path);
    const Instant at = report_fixture::board_instant();
    LightBoardOptions villages;
    villages.level = "village";
    const LightBoard base = light_board(ws, at, villages);
    REQUIRE(base.rows.size() == 2);

    LightBoardOptions o;
    o.overlay = "fire";
    o.level = "";
    const LightBoard units = light_board(ws, at, o);
    CHECK(units.overlay == "fire");
    REQUIRE(units.rows.size() == 3);
    CHECK(units.rows[0].code == "fire:L1");
    CHECK(units.rows[1].code == "fire:M1");
    CHECK(units.rows[1].name == "青石村消防中网格");
    CHECK(units.rows[1].parent == "青石镇消防大网格");
    const auto same_counts = [](const BoardRow& a, const BoardRow& b) {
        return a.cases == b.cases && a.open == b.open && a.green == b.green &&
               a.yellow == b.yellow && a.red == b.red && a.overdue == b.overdue &&
               a.closed_on_time == b.closed_on_time && a.closed_late == b.closed_late &&
               a.voided == b.voided;
    };
    // Each 中网格 counts what its village counts; the 大网格 and the total the two together.
    CHECK(same_counts(units.rows[1], base.rows[0]));
    CHECK(same_counts(units.rows[2], base.rows[1]));
    CHECK(units.rows[0].cases == base.rows[0].cases + base.rows[1].cases);
    CHECK(units.rows[0].overdue == 1);
    CHECK(same_counts(units.total, units.rows[0]));
    CHECK(units.total.code.empty());

    o.level = "medium";
    o.scope = "M2";
    const LightBoard one = light_board(ws, at, o);
    REQUIRE(one.rows.size() == 1);
    CHECK(one.rows[0].code == "fire:M2");
    CHECK(one.total.code == "fire:M2");
    CHECK(same_counts(one.total, base.rows[1]));
    o.scope = "fire:L1";
    CHECK(light_board(ws, at, o).rows.size() == 2);
    const nlohmann::json j = nlohmann::json::parse(light_board_json(one));
    CHECK(j["overlay"] == "fire");
    CHECK(j["rows"][0]["code"] == "fire:M2");

    o.scope.clear();
    o.level = "grid";
    CHECK_THROWS_WITH_AS(light_board(ws, at, o),
                         doctest::Contains("level 'grid' is not a level of overlay 'fire'"), Error);
    o.level = "";
    o.scope = "M9";
    CHECK_THROWS_WITH_AS(light_board(ws, at, o),
                         doctest::Contains("scope 'M9' is not a unit of overlay 'fire'"), Error);
    o.scope.clear();
    o.overlay = "market";
    CHECK_THROWS_WITH_AS(light_board(ws, at, o),
                         doctest::Contains("the workspace has no overlay 'market'"), Error);

    // The page: a board per overlay, in its own section, and in the data island.
    const ReportData d = collect_report_data(ws, at, report_fixture::options());
    REQUIRE(d.unit_boards.size() == 1);
    CHECK(d.unit_boards[0].rows.size() == 3);
    const std::string page = report_html(d);
    CHECK(page.find("<section id=\"units\">") != std::string::npos);
    CHECK(page.find("<a href=\"#units\">") != std::string::npos);
    CHECK(page.find("<table id=\"units-fire\">") != std::string::npos);
    CHECK(page.find("data-code=\"fire:M2\"><td>东岭村消防中网格&lt;b&gt;</td>") !=
          std::string::npos);
    const nlohmann::json island = nlohmann::json::parse(report_json(d));
    CHECK(island["unit_boards"][0]["overlay"] == "fire");
    CHECK(island["unit_boards"][0]["rows"][1]["cases"] == base.rows[0].cases);
    ReportOptions without = report_fixture::options();
    without.unit_boards = false;
    const ReportData bare = collect_report_data(ws, at, without);
    CHECK(bare.unit_boards.empty());
    CHECK(report_html(bare).find("<section id=\"units\">") == std::string::npos);
}

TEST_CASE("report.write.replaces_the_file_whole_and_names_a_bad_path") {
    report_fixture::TempDir dir;
    const ReportData d = hand_data();
    const std::string path = dir.file("report.html");
    {
        std::ofstream old(path);
        old << "old";
    }
    write_report_html(d, path);
    CHECK(read_file(path) == report_html(d));
    // No temporary file is left beside it.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
        ++files;
    CHECK(files == 1);

    const std::string bad = dir.file("missing-folder/report.html");
    try {
        write_report_html(d, bad);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find(bad) != std::string::npos);
    }
}
