// Hostile text in every HTML page gridgov writes, checked in headless Chromium: the report
// page (with a row's explanation expanded, which the page's script renders from its JSON
// island), the public notice, the promise board and the responsibility chart. Names,
// labels, notes, titles and source ids carry script payloads (<script>, an <img onerror>,
// an <svg onload>, a </script> that would end the JSON island, a javascript: URL); a
// payload that ran sets an attribute "xssran<n>" on the body (built at run time, so the
// text itself never contains it), and a javascript: URL shows as an href or src.
//
// A control page with the same payloads written without escaping must show every one of
// them running or linked: it proves the detection can fail. Prints the figures of
// docs/security.md (placements tried, refused by validation, rendered inert). Exits 77
// (ctest: skipped) only when no Chromium is installed.
#include <iostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "browser.hpp"
#include "fixture.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
using namespace gridgov_browser;
using report_fixture::at;
using report_fixture::node;
using report_fixture::person;
using report_fixture::post;

namespace {

/// Payload `n`: when it runs, the body gets attribute "xssran<n>".
std::string mark(int n) {
    return "document.body.setAttribute('xss'+'ran" + std::to_string(n) + "','')";
}

std::vector<std::string> payloads() {
    return {
        "<script>" + mark(0) + "</script>",
        "\"><img src=x onerror=\"" + mark(1) + "\">",
        "'><svg onload=" + mark(2) + ">",
        "</script><script>" + mark(3) + "</script>",
        "<details open ontoggle=" + mark(4) + ">x</details>",
        "<a href=\"javascript:" + mark(5) + "\">x</a>",
        "<iframe src=\"javascript:parent." + mark(6) + "\"></iframe>",
    };
}

/// Every payload, each behind a plain prefix, as one text.
std::string hostile(const std::string& prefix) {
    std::string out = prefix;
    for (const std::string& p : payloads())
        out += p;
    return out;
}

/// The payloads that ran in a DOM, and the javascript: URLs inside tags.
struct Seen {
    std::set<int> ran;
    std::size_t javascript_urls = 0;
};

Seen seen_in(const std::string& dom) {
    Seen s;
    for (std::size_t i = 0; i < payloads().size(); ++i)
        if (dom.find("xssran" + std::to_string(i)) != std::string::npos)
            s.ran.insert(static_cast<int>(i));
    // An attribute inside a tag: escaped text has &lt; where a tag would start.
    const std::regex url("<[a-zA-Z][^<>]*\\s(href|src|action|formaction)=\"\\s*javascript:",
                         std::regex::icase);
    s.javascript_urls = static_cast<std::size_t>(
        std::distance(std::sregex_iterator(dom.begin(), dom.end(), url), std::sregex_iterator()));
    return s;
}

/// `s` as a JSON string literal.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Tally {
    std::size_t tried = 0;    ///< placements of the hostile text
    std::size_t refused = 0;  ///< refused by the library's input checks
};

/// Applies one placement; a gridgov::Error (the input check refused it) is counted.
template <typename F>
void place(Tally& t, const std::string& where, F&& change) {
    ++t.tried;
    try {
        change();
    } catch (const Error& e) {
        ++t.refused;
        std::cout << "refused  " << where << ": " << e.what() << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string chromium = chromium_or_skip(argc, argv);
    if (chromium.empty())
        return 77;
    const std::size_t n = payloads().size();
    int run = 0;
    try {
        report_fixture::TempDir dir;

        // The control: the payloads as raw HTML. Every one must be seen.
        {
            std::string page = "<!DOCTYPE html><html><body><p>control</p>";
            for (const std::string& p : payloads())
                page += "<div>" + p + "</div>";
            page += "<script>var island = \"" + payloads()[3] + "\";</script></body></html>";
            const fs::path file = dir.path() / "control.html";
            std::ofstream(file, std::ios::binary) << page;
            const Seen s = seen_in(dump_dom(chromium, dir.path(), file, "", ++run));
            std::cout << "control: " << s.ran.size() << " payloads ran, " << s.javascript_urls
                      << " javascript: URLs\n";
            // Every payload but the link ran; the link and the frame show javascript: URLs.
            check(s.ran.size() == n - 1 && s.ran.count(5) == 0 && s.javascript_urls == 2,
                  "the control page (no escaping) shows every payload: " + std::to_string(n - 1) +
                      " ran, 2 javascript: URLs");
        }

        const std::string db = dir.file("county.gridgov");
        Tally tally;
        const std::string village_name = hostile("东岭村");
        {
            Workspace ws = Workspace::open(db);
            report_fixture::populate(ws);
            const Hierarchy& h = ws.hierarchy().view();
            place(tally, "village name", [&] {
                ws.hierarchy().rename_node(h.at("371338101002"), village_name,
                                           Date::parse("2024-01-01"));
            });
            place(tally, "grid name", [&] {
                ws.hierarchy().rename_node(h.at("371338101002001"), hostile("东岭村第一网格"),
                                           Date::parse("2024-01-01"));
            });
            place(tally, "person name", [&] {
                ws.directory().add_people({person("P0009", hostile("赵九"))});
                ws.directory().add_assignments(
                    {post("P0009", "grid_information_officer", h.at("371338101002001"))});
            });
            place(tally, "overlay unit name",
                  [&] { report_fixture::add_fire_network(ws, hostile("消防中网格")); });
        }
        Workspace ws = Workspace::open(db);

        // Scores whose scheme, component and grade labels and source ids are hostile.
        const auto scheme_json = [](const std::string& label, const std::string& component,
                                    const std::string& failing) {
            return R"({"key": "hostile", "label": )" + json_string(label) +
                   R"(, "period": "month",
              "indicators": [{"key": "on_time", "label": "按期结案率", "unit": "%"}],
              "components": [{"key": "closure", "label": )" +
                   json_string(component) + R"(, "weight": 1, "indicator": "on_time",
                "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
              "grades": [{"key": "pass", "label": "合格", "min": 60},
                         {"key": "fail", "label": )" +
                   json_string(failing) + R"(, "min": 0, "failing": true}]})";
        };
        AssessmentScheme scheme =
            AssessmentScheme::from_json(scheme_json("考核", "按期结案", "不合格"));
        place(tally, "scheme, component and grade labels", [&] {
            scheme = AssessmentScheme::from_json(
                scheme_json(hostile("考核"), hostile("按期结案"), hostile("不合格")));
        });
        const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");
        place(tally, "score source ids", [&] {
            ScoreInput in;
            in.subject = {"371338101002", "village", ""};
            in.period = march;
            in.values["on_time"] =
                IndicatorValue::of(30, {hostile("SRC-"), "SRC-plain", payloads()[3]});
            std::vector<ScoreResult> month{score(scheme, in)};
            rank(month);
            ws.assessment().store_scores(month);
        });

        // Run: the report page, the hostile village's March row expanded.
        ReportOptions options = report_fixture::options();
        options.schemes.push_back(scheme);
        const ReportData data = collect_report_data(ws, report_fixture::board_instant(), options);
        const fs::path report = dir.path() / "report.html";
        write_report_html(data, report.string());
        const std::string dom =
            dump_dom(chromium, dir.path(), report, "expand=hostile/2024-03/371338101002", ++run);
        check(std::regex_search(dom, std::regex("<body[^>]*data-ready=\"1\"")),
              "report: the page's script ran to its end");
        check(occurrences(dom, "<tr class=\"explain-row\">") == 1,
              "report: the hostile row's explanation was rendered by the script");
        check(dom.find("SRC-plain") != std::string::npos,
              "report: the explanation lists the source ids");
        check(dom.find("东岭村&lt;script&gt;") != std::string::npos,
              "report: the village's name is shown as text");
        std::vector<std::pair<std::string, Seen>> pages;
        pages.emplace_back("report", seen_in(dom));

        // The notice of the hostile scheme, with a hostile title and issuer.
        NoticeOptions notice;
        notice.title = hostile("通报");
        notice.issuer = hostile("中心");
        tally.tried += 2;
        const fs::path notice_page = dir.path() / "notice.html";
        std::ofstream(notice_page, std::ios::binary)
            << ws.assessment().notice_html(scheme, march, notice);
        const std::string notice_dom = dump_dom(chromium, dir.path(), notice_page, "", ++run);
        check(notice_dom.find("通报&lt;script&gt;") != std::string::npos,
              "notice: the title is shown as text");
        pages.emplace_back("notice", seen_in(notice_dom));

        // The promise board: title, what, team, place, category and state as given.
        PromiseBoard board;
        board.title = hostile("进度表");
        board.month = "2024-03";
        PromiseProgress row;
        row.promise.id = hostile("PR-");
        row.promise.case_number = hostile("C-");
        row.promise.what = hostile("修路灯");
        row.promise.team = hostile("服务团队");
        row.promise.place = hostile("网格");
        row.promise.note = hostile("备注");
        row.category = hostile("E");
        row.case_state = hostile("handling");
        board.rows.push_back(row);
        tally.tried += 8;
        const fs::path board_page = dir.path() / "board.html";
        std::ofstream(board_page, std::ios::binary) << promise_board_html(board);
        const std::string board_dom = dump_dom(chromium, dir.path(), board_page, "", ++run);
        check(board_dom.find("修路灯&lt;script&gt;") != std::string::npos,
              "promise board: the matter is shown as text");
        pages.emplace_back("promise board", seen_in(board_dom));

        // The responsibility chart of the county.
        const fs::path chart_page = dir.path() / "chart.html";
        std::ofstream(chart_page, std::ios::binary)
            << ws.directory().view().chart(ws.hierarchy().networks(), Date::parse("2024-03-05"),
                                           DocumentFormat::html, Reveal::masked);
        const std::string chart_dom = dump_dom(chromium, dir.path(), chart_page, "", ++run);
        check(chart_dom.find("赵九&lt;script&gt;") != std::string::npos,
              "chart: the worker's name is shown as text");
        pages.emplace_back("chart", seen_in(chart_dom));

        std::size_t ran = 0;
        for (const auto& [page, s] : pages) {
            check(s.ran.empty() && s.javascript_urls == 0,
                  page + ": no payload ran (" + std::to_string(s.ran.size()) +
                      ") and no javascript: URL in a tag (" + std::to_string(s.javascript_urls) +
                      ")");
            ran += s.ran.size() + s.javascript_urls;
        }
        std::cout << "figures: " << n << " payloads x " << tally.tried
                  << " placements = " << n * tally.tried << " tried; " << tally.refused
                  << " placements refused by input checks; " << pages.size() << " pages rendered; "
                  << ran << " payloads ran\n";
    } catch (const std::exception& e) {
        std::cout << "FAILED with an exception: " << e.what() << "\n";
        return 1;
    }
    std::cout << (failures == 0 ? "all checks passed\n" : std::to_string(failures) + " failed\n");
    return failures == 0 ? 0 : 1;
}
