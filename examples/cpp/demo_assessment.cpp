// The demo's last part: the sample county assessed month by month over the year its
// matters ran, the monthly inspection samples drawn and recorded, and the report page.
//
// Reads the workspace the year of matters was run into, imports the year's activity
// records (households, visits, patrols, attendance, collection checks, special tasks,
// community ratings), then for every month of 2026:
//   - grid workers with the grid_worker scheme (attendance 15 %, daily work 45 %, special
//     tasks 30 %, community evaluation 10 %),
//   - villages and net-areas with the urban_region composite,
//   - departments with the urban_department composite,
// storing each score with its explanation and the flags of consecutive failing months;
// draws 11 of the county seat's 33 grids (one per net-area first, none of last month's)
// and records the draw; writes December's public notice and report.html.
#include "demo_assessment.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"

namespace demo {
namespace {

namespace fs = std::filesystem;

const char* const activity_files[] = {"households.csv", "visits.csv",     "patrols.csv",
                                      "attendance.csv", "collection.csv", "tasks.csv",
                                      "ratings.csv"};

std::string fixed(std::optional<double> v, int digits = 1) {
    if (!v)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, *v);
    return buf;
}

// Pads UTF-8 text to `width` display columns (CJK characters count two).
std::string pad(const std::string& text, std::size_t width, bool right = false) {
    std::size_t cols = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cols += len >= 3 ? 2 : 1;
        i += len;
    }
    const std::string fill(cols < width ? width - cols : 0, ' ');
    return right ? fill + text : text + fill;
}

// The scores of one scheme for one period, best first.
std::vector<gridgov::ScoreResult> ranked(const std::vector<gridgov::ScoreResult>& scores) {
    std::vector<gridgov::ScoreResult> out = scores;
    std::stable_sort(out.begin(), out.end(),
                     [](const gridgov::ScoreResult& a, const gridgov::ScoreResult& b) {
                         if (a.total.has_value() != b.total.has_value())
                             return a.total.has_value();
                         if (a.total && b.total && *a.total != *b.total)
                             return *a.total > *b.total;
                         return a.subject.code < b.subject.code;
                     });
    return out;
}

std::string subject_name(const gridgov::Workspace& ws, const std::string& code) {
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    if (const auto node = h.find(code))
        return h.name(*node);
    if (const auto person = ws.directory().view().find_person(code))
        return ws.directory().view().person(*person).name;
    if (const gridgov::Department* d = ws.cases().departments().find(code))
        return d->name_zh;
    return code;
}

}  // namespace

AssessmentYear assess_year(std::ostream& out, const std::string& workspace, const fs::path& year,
                           const fs::path& report) {
    const auto started = std::chrono::steady_clock::now();
    AssessmentYear result;
    gridgov::Workspace ws = gridgov::Workspace::open(workspace);
    for (const char* file : activity_files)
        result.activity_records += ws.assessment().import_file((year / file).string()).records;

    const gridgov::AssessmentScheme worker = gridgov::AssessmentScheme::preset("grid_worker");
    const gridgov::AssessmentScheme region = gridgov::AssessmentScheme::preset("urban_region");
    const gridgov::AssessmentScheme department =
        gridgov::AssessmentScheme::preset("urban_department");
    struct Run {
        const gridgov::AssessmentScheme* scheme;
        gridgov::SubjectSelection selection;
        std::vector<gridgov::ScoreResult> history;
    };
    std::vector<Run> runs = {
        {&worker,
         gridgov::SubjectSelection::every_grid_worker(
             "grid", {"grid_information_officer", "information_officer"}),
         {}},
        {&region, gridgov::SubjectSelection::every_node("village"), {}},
        {&department, gridgov::SubjectSelection::every_department(), {}},
    };

    // The county seat's grids with their net-area: the population of the monthly draw.
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    const gridgov::NodeId seat = h.at("371338001");
    gridgov::DrawSpec spec;
    spec.count = 11;
    const int grid_level = h.levels().index_of("grid");
    const gridgov::PreorderRange range = h.subtree(seat);
    for (std::uint32_t i = range.begin; i < range.end; ++i) {
        const gridgov::NodeId g = h.preorder()[i];
        if (h.level(g) != grid_level)
            continue;
        spec.candidates.push_back(h.code(g));
        spec.strata.push_back(h.code(h.parent(g)));
    }

    for (int month = 1; month <= 12; ++month) {
        const auto period = gridgov::AssessmentPeriod::of(gridgov::PeriodKind::month, 2026, month);
        for (Run& r : runs) {
            gridgov::AssessOptions options;
            options.history = r.history;
            options.activity = &ws.assessment().activities();
            options.calendar = &ws.cases().calendar();
            options.directory = &ws.directory().view();
            options.default_area_class = "一类";
            gridgov::AssessmentRun run =
                gridgov::assess(ws.cases(), h, *r.scheme, period, r.selection, options);
            ws.assessment().store_scores(run.scores);
            ws.assessment().store_rule_flags(r.scheme->key(), run.flags);
            result.scores += run.scores.size();
            result.flags += run.flags.size();
            r.history.insert(r.history.end(), run.scores.begin(), run.scores.end());
        }
        // Seed: the month's number in the county's notice, published before the draw.
        spec.seed = 20260000u + static_cast<std::uint64_t>(month);
        const gridgov::DrawRecord drawn = gridgov::draw(spec);
        ws.assessment().record_draw(period.label(), drawn);
        spec.avoid = drawn.picks;
        ++result.draws;
    }

    const auto december = gridgov::AssessmentPeriod::of(gridgov::PeriodKind::month, 2026, 12);
    out << " assessed  every month of 2026: " << result.scores << " scores stored with their "
        << "explanations, " << result.flags << " rule flags, " << result.draws
        << " inspection draws; " << result.activity_records << " activity records read\n";

    // December's rankings: villages and net-areas, the five best and the three last grid
    // workers, the departments.
    for (const Run& r : runs) {
        std::vector<gridgov::ScoreResult> month;
        for (const gridgov::ScoreResult& s : r.history)
            if (s.period == december)
                month.push_back(s);
        month = ranked(month);
        out << "\n " << r.scheme->label() << " (" << r.scheme->key() << "), 2026-12\n";
        out << "   " << pad("rank", 6) << pad("subject", 28) << pad("score", 8, true)
            << "  grade\n";
        const std::size_t head = r.scheme == &worker ? 5 : month.size();
        for (std::size_t i = 0; i < month.size(); ++i) {
            if (i >= head && i + 3 < month.size()) {
                if (i == head)
                    out << "   " << pad("…", 6) << (month.size() - head - 3) << " more\n";
                continue;
            }
            const gridgov::ScoreResult& s = month[i];
            out << "   " << pad(s.rank > 0 ? std::to_string(s.rank) : "—", 6)
                << pad(subject_name(ws, s.subject.code), 28) << pad(fixed(s.total), 8, true) << "  "
                << (s.grade.empty() ? "—" : s.grade) << (s.failing ? "  ✗" : "") << "\n";
        }
    }

    out << "\n flags raised by consecutive failing months\n";
    std::size_t shown = 0;
    for (const gridgov::RuleFlag& f : ws.assessment().rule_flags()) {
        if (++shown > 8)
            continue;
        out << "   " << f.period.label() << "  " << pad(subject_name(ws, f.subject), 14) << f.label
            << " (" << f.streak << " months)\n";
    }
    if (shown > 8)
        out << "   … " << (shown - 8) << " more\n";
    if (shown == 0)
        out << "   none\n";

    out << "\n monthly inspection samples of the county seat (11 of " << spec.candidates.size()
        << " grids, one per net-area, none of last month's)\n";
    for (const gridgov::StoredDraw& d : ws.assessment().draws()) {
        if (d.label != "2026-01" && d.label != "2026-02" && d.label != "2026-12")
            continue;
        out << "   " << d.label << "  seed " << d.record.spec.seed << "  "
            << (d.verified ? "re-run ✓" : "re-run ✗") << "  ";
        for (std::size_t i = 0; i < d.record.picks.size(); ++i)
            out << (i ? " " : "") << d.record.picks[i].substr(d.record.picks[i].size() - 6);
        out << "\n";
    }

    // The public notice of December for the villages, and the report page.
    const fs::path notice =
        fs::path(report).replace_filename(report.stem().string() + "-notice-2026-12.html");
    ws.assessment().export_notice(notice.string(), region, december);
    gridgov::ReportOptions options;
    options.title = "苇川县网格化服务管理 2026 年度报告";
    options.schemes = {worker, region, department};
    const gridgov::ReportData data =
        gridgov::collect_report_data(ws, gridgov::Instant::parse("2027-01-01T00:00"), options);
    gridgov::write_report_html(data, report.string());
    result.log_ok = data.summary.log && data.summary.log->ok;
    result.cases = data.summary.cases;
    result.events = data.summary.events;
    result.head_hash = data.summary.head_hash;
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out << "\n wrote     " << report.string() << " (board, rankings per month, trends, flags,\n"
        << "           draws, each score's explanation on click) and " << notice.string() << "\n";
    return result;
}

}  // namespace demo
