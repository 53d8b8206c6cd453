// The report page in a real browser: writes report.html from a workspace file (the
// fixture of tests/report/fixture.hpp), loads it in headless Chromium with --dump-dom and
// checks the DOM after the page's script ran: the board table and its rows, one ranking
// row per scored subject and period, numbers equal to the workspace's, and the
// click-to-expand explanation (the fragment "#expand=<scheme>/<period>/<subject>" makes
// the script click that row, which switches to its period and renders the tree from the
// JSON island). Exits 77 (ctest: skipped) only when no Chromium is installed.
//
// Usage: gridgov_report_browser [chromium executable]; GRIDGOV_REPORT_KEEP=<file> keeps a
// copy of the page.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "browser.hpp"
#include "fixture.hpp"

namespace fs = std::filesystem;
using namespace gridgov;

namespace {

using namespace gridgov_browser;

/// The text of the element that starts at the first match of `open_tag` up to `close`.
std::string between(const std::string& dom, const std::string& open_tag, const std::string& close) {
    const std::size_t a = dom.find(open_tag);
    if (a == std::string::npos)
        return {};
    const std::size_t b = dom.find(close, a);
    return dom.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string chromium = chromium_or_skip(argc, argv);
    if (chromium.empty())
        return 77;
    try {
        report_fixture::TempDir dir;
        const std::string db = dir.file("county.gridgov");
        {
            Workspace ws = Workspace::open(db);
            report_fixture::populate(ws);
            // A fire network over the two villages: its units get a board of their own.
            report_fixture::add_fire_network(ws);
        }
        const Workspace ws = Workspace::open(db);
        const ReportData data =
            collect_report_data(ws, report_fixture::board_instant(), report_fixture::options());
        const fs::path page = dir.path() / "report.html";
        write_report_html(data, page.string());
        if (const char* keep = std::getenv("GRIDGOV_REPORT_KEEP"); keep != nullptr && *keep)
            fs::copy_file(page, keep, fs::copy_options::overwrite_existing);

        // Run 1: expand 青石村's March score (25 source ids: 20 shown, "5 more").
        const std::string dom =
            dump_dom(chromium, dir.path(), page, "expand=village_monthly/2024-03/371338101001", 1);
        check(!dom.empty(), "chromium dumped the DOM");
        if (dom.empty())
            return 1;
        check(std::regex_search(dom, std::regex("<body[^>]*data-ready=\"1\"")),
              "the page's script ran to its end (body data-ready=\"1\")");
        check(dom.find("<table id=\"board-table\">") != std::string::npos,
              "the board table exists");
        check(occurrences(dom, "<tr class=\"board-row") == data.board.size(),
              "one board row per village (" + std::to_string(data.board.size()) + ")");
        check(dom.find("<section id=\"units\">") != std::string::npos &&
                  dom.find("<table id=\"units-fire\">") != std::string::npos,
              "the fire network's board exists");
        check(occurrences(dom, "<tr class=\"unit-row") == 3, "one row per fire unit (3)");
        const std::string units_total = between(dom, "<tr class=\"unit-total\"", "</tr>");
        check(units_total.find("<td class=\"n\">" + std::to_string(data.board_total.cases) +
                               "</td>") != std::string::npos,
              "the fire network's total counts every case of the two villages");
        std::size_t scored = 0;
        for (const SchemeSection& s : data.schemes)
            scored += s.results.size();
        check(occurrences(dom, "<tr class=\"score-row") == scored,
              "one ranking row per score (" + std::to_string(scored) + ")");
        ScoreFilter march;
        march.from = AssessmentPeriod::parse("2024-03");
        march.to = march.from;
        const std::size_t march_subjects = ws.assessment().scores(march).size();
        check(occurrences(dom, "data-period=\"2024-03\" data-subject=") == march_subjects,
              "ranking rows of 2024-03 = the workspace's scored subjects (" +
                  std::to_string(march_subjects) + ")");
        check(dom.find("<dd id=\"summary-cases\">" + std::to_string(ws.cases().size()) + "</dd>") !=
                  std::string::npos,
              "the summary shows the workspace's case count");
        check(dom.find("<dd id=\"summary-events\">" + std::to_string(ws.cases().last_sequence()) +
                       "</dd>") != std::string::npos,
              "the summary shows the workspace's event count");
        check(dom.find(hash_hex(ws.cases().head().hash)) != std::string::npos,
              "the summary shows the log head's hash");
        const std::string total = between(dom, "<tr class=\"board-total\"", "</tr>");
        check(total.find("<td class=\"n\">" + std::to_string(data.board_total.closed_on_time) +
                         "</td>") != std::string::npos,
              "the board's total row shows the closed-on-time count");
        check(std::regex_search(dom,
                                std::regex("<tr class=\"score-row\"[^>]*aria-expanded=\"true\"[^>]*"
                                           "data-key=\"village_monthly/2024-03/371338101001\"")),
              "the clicked row is marked expanded");
        check(occurrences(dom, "<tr class=\"explain-row\">") == 1, "one explanation row rendered");
        const std::string tree = between(dom, "<tr class=\"explain-row\">", "</tr>");
        check(tree.find("按期结案") != std::string::npos, "the tree names the component");
        check(tree.find("on_time") != std::string::npos, "the tree names the indicator");
        check(
            tree.find("SRC-001") != std::string::npos && tree.find("SRC-020") != std::string::npos,
            "the tree lists the first 20 source ids");
        check(tree.find("SRC-021") == std::string::npos, "the 21st source id is left out");
        check(tree.find("另有 5 项") != std::string::npos, "the tree counts the 5 ids left out");
        check(tree.find("95.00") != std::string::npos, "the tree shows the total 95.00");
        check(dom.find("<tr class=\"flag-row\">") != std::string::npos, "the flag is listed");
        check(dom.find("<td class=\"ok\">是 yes</td>") != std::string::npos,
              "the draw is shown as verified");
        check(dom.find("<polyline") != std::string::npos, "the trend charts are drawn");
        check(occurrences(dom, "<tr class=\"records-row\"") == data.records.size(),
              "one base-records row per village (" + std::to_string(data.records.size()) + ")");
        const std::string records_total = between(dom, "<tr class=\"records-total\"", "</tr>");
        check(records_total.find("66.67 %") != std::string::npos,
              "the records total shows the county's collection rate of the field check");

        // Run 2: a January row: the script switches the period shown before expanding.
        const std::string dom2 =
            dump_dom(chromium, dir.path(), page, "expand=village_monthly/2024-01/371338101002", 2);
        check(std::regex_search(dom2, std::regex("<div class=\"period\" data-period=\"2024-01\">")),
              "the January rankings are shown");
        check(std::regex_search(dom2, std::regex("<div class=\"period\" data-period=\"2024-03\" "
                                                 "hidden=\"\">")),
              "the March rankings are hidden");
        const std::string tree2 = between(dom2, "<tr class=\"explain-row\">", "</tr>");
        check(tree2.find("SRC-D0") != std::string::npos, "the January tree shows its source id");
        check(tree2.find("50.00") != std::string::npos, "the January tree shows the total 50.00");
    } catch (const std::exception& e) {
        std::cout << "FAILED with an exception: " << e.what() << "\n";
        return 1;
    }
    std::cout << (failures == 0 ? "all checks passed\n" : std::to_string(failures) + " failed\n");
    return failures == 0 ? 0 : 1;
}
