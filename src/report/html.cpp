// The report page: HTML with inline CSS, SVG charts and script, and the JSON island
// (docs/report.md). Nothing here reads a clock, a file (but the one written) or the network.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/html.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/report.hpp"
#include "io/files.hpp"
#include "report/report_impl.hpp"

namespace gridgov {

namespace detail {

std::string mask_personal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    const auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
    while (i < s.size()) {
        if (!digit(i)) {
            out += s[i++];
            continue;
        }
        std::size_t j = i;
        while (digit(j))
            ++j;
        std::size_t end = j;
        // An ID number may end in the check character X.
        if (j - i == 17 && j < s.size() && (s[j] == 'X' || s[j] == 'x'))
            end = j + 1;
        const std::string_view run = s.substr(i, end - i);
        if (run.size() == 11 && run[0] == '1' && run[1] >= '3' && run[1] <= '9')
            out += mask_phone(run);
        else if (run.size() == 18 && is_valid_id_number(run))
            out += mask_id_number(run);
        else
            out += run;
        i = end;
    }
    return out;
}

std::string html_text(std::string_view raw) {
    return html_escape(mask_personal(raw));
}

}  // namespace detail

namespace {

using Json = nlohmann::ordered_json;
using detail::html_text;
using detail::mask_personal;

constexpr std::size_t max_source_ids = 20;
constexpr std::size_t max_small_multiples = 60;

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string number_text(const std::optional<double>& v, int decimals = 2) {
    return v ? fixed(*v, decimals) : std::string("—");
}

Json optional_number(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v))
        return nullptr;
    return *v;
}

std::string title_of(const ReportData& d) {
    return d.title.empty() ? std::string("网格化服务管理报告") : d.title;
}

std::string generator_of(const ReportData& d) {
    return d.generator.empty() ? std::string("gridgov ") + version() : d.generator;
}

std::string display_name(const ReportData& d, const std::string& code) {
    const auto it = d.names.find(code);
    return it == d.names.end() ? std::string() : it->second;
}

std::string peer_group(const AssessmentSubject& s) {
    return s.area_class.empty() ? s.level : s.level + " · " + s.area_class;
}

std::string grade_label(const SchemeSection& s, const std::string& key) {
    const auto it = s.grades.find(key);
    return it == s.grades.end() || it->second.empty() ? key : it->second;
}

BoardRow board_total(const ReportData& d) {
    if (!d.board_total.code.empty())
        return d.board_total;
    BoardRow t = d.board_total;
    if (t.name.empty())
        t.name = "合计";
    for (const BoardRow& r : d.board)
        detail::add_counts(t, r);
    return t;
}

// ---- scores, grouped and ordered -------------------------------------------------------

/// The periods of a section, ordered, and the indices of the results of each.
struct PeriodGroup {
    AssessmentPeriod period;
    std::vector<std::size_t> rows;  ///< indices into results, in the order shown
};

std::vector<PeriodGroup> period_groups(const SchemeSection& s) {
    std::vector<PeriodGroup> groups;
    for (std::size_t i = 0; i < s.results.size(); ++i) {
        const AssessmentPeriod& p = s.results[i].period;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const PeriodGroup& g) { return g.period == p; });
        if (it == groups.end()) {
            groups.push_back({p, {}});
            it = std::prev(groups.end());
        }
        it->rows.push_back(i);
    }
    std::sort(groups.begin(), groups.end(), [](const PeriodGroup& a, const PeriodGroup& b) {
        const Date fa = a.period.dates().from;
        const Date fb = b.period.dates().from;
        if (fa != fb)
            return fa < fb;
        return a.period < b.period;
    });
    for (PeriodGroup& g : groups) {
        std::stable_sort(g.rows.begin(), g.rows.end(), [&](std::size_t x, std::size_t y) {
            const ScoreResult& a = s.results[x];
            const ScoreResult& b = s.results[y];
            if (a.subject.level != b.subject.level)
                return a.subject.level < b.subject.level;
            if (a.subject.area_class != b.subject.area_class)
                return a.subject.area_class < b.subject.area_class;
            const int ra = a.rank == 0 ? 1 << 30 : a.rank;
            const int rb = b.rank == 0 ? 1 << 30 : b.rank;
            if (ra != rb)
                return ra < rb;
            return a.subject.code < b.subject.code;
        });
    }
    return groups;
}

// ---- the JSON island -------------------------------------------------------------------

Json explanation_json(const Explanation& e) {
    Json j = Json::object();
    j["key"] = mask_personal(e.key);
    j["label"] = mask_personal(e.label);
    j["value"] = optional_number(e.value);
    j["note"] = mask_personal(e.note);
    Json children = Json::array();
    const std::size_t shown = std::min(e.children.size(), max_source_ids);
    for (std::size_t i = 0; i < shown; ++i)
        children.push_back(explanation_json(e.children[i]));
    j["children"] = std::move(children);
    j["more"] = e.children.size() - shown;
    return j;
}

Json chart_json(const TrendChart& c) {
    Json series = Json::array();
    for (const TrendSeries& s : c.series) {
        Json values = Json::array();
        for (const auto& v : s.values)
            values.push_back(optional_number(v));
        series.push_back({{"label", mask_personal(s.label)}, {"values", std::move(values)}});
    }
    return {{"title", mask_personal(c.title)},
            {"unit", c.unit},
            {"periods", c.periods},
            {"series", std::move(series)}};
}

}  // namespace

// ---- derived charts (also used by the page) ------------------------------------------------

namespace detail {

std::vector<TrendChart> scheme_charts(const ReportData& d, const SchemeSection& s) {
    const std::vector<PeriodGroup> groups = period_groups(s);
    std::vector<std::string> periods;
    for (const PeriodGroup& g : groups)
        periods.push_back(g.period.label());

    // Mean total per peer group.
    TrendChart means;
    means.title = s.label + " · 各组平均分 mean total per peer group";
    means.unit = "分";
    means.periods = periods;
    std::map<std::string, std::size_t> group_index;
    std::vector<std::vector<double>> sums;
    std::vector<std::vector<std::size_t>> counts;
    for (std::size_t p = 0; p < groups.size(); ++p) {
        for (std::size_t i : groups[p].rows) {
            const ScoreResult& r = s.results[i];
            const std::string g = peer_group(r.subject);
            auto [it, added] = group_index.emplace(g, means.series.size());
            if (added) {
                means.series.push_back({g, {}});
                sums.emplace_back(periods.size(), 0.0);
                counts.emplace_back(periods.size(), 0);
            }
            if (r.total) {
                sums[it->second][p] += *r.total;
                ++counts[it->second][p];
            }
        }
    }
    for (std::size_t k = 0; k < means.series.size(); ++k) {
        for (std::size_t p = 0; p < periods.size(); ++p) {
            means.series[k].values.push_back(
                counts[k][p] == 0 ? std::nullopt
                                  : std::optional<double>(sums[k][p] / double(counts[k][p])));
        }
    }

    // One series per subject, in code order.
    TrendChart subjects;
    subjects.title = s.label + " · 各对象总分 total per subject";
    subjects.unit = "分";
    subjects.periods = periods;
    std::map<std::string, std::vector<std::optional<double>>> by_subject;
    for (std::size_t p = 0; p < groups.size(); ++p) {
        for (std::size_t i : groups[p].rows) {
            const ScoreResult& r = s.results[i];
            auto& values = by_subject[r.subject.code];
            values.resize(periods.size());
            values[p] = r.total;
        }
    }
    for (auto& [code, values] : by_subject) {
        const std::string name = display_name(d, code);
        subjects.series.push_back({name.empty() ? code : name + " " + code, values});
    }
    return {means, subjects};
}

}  // namespace detail

std::string report_json(const ReportData& d) {
    Json j = Json::object();
    j["format"] = "gridgov-report-1";
    j["title"] = mask_personal(title_of(d));
    j["generated_at"] = d.generated_at.to_string();
    j["at"] = d.at.to_string();
    j["generator"] = generator_of(d);
    const ReportSummary& s = d.summary;
    Json summary = {{"area", mask_personal(s.area)},
                    {"area_code", s.area_code},
                    {"period", mask_personal(s.period)},
                    {"cases", s.cases},
                    {"events", s.events},
                    {"head_sequence", s.head_sequence},
                    {"head_hash", s.head_hash}};
    if (s.log) {
        summary["log"] = {{"ok", s.log->ok},
                          {"events_checked", s.log->events_checked},
                          {"problem", log_problem_name(s.log->problem)},
                          {"sequence", s.log->sequence},
                          {"case_number", s.log->case_number},
                          {"message", mask_personal(s.log->message)}};
    } else {
        summary["log"] = nullptr;
    }
    j["summary"] = std::move(summary);
    j["board_level"] = d.board_level;
    Json board = Json::array();
    for (const BoardRow& r : d.board)
        board.push_back(detail::board_row_json(r));
    j["board"] = std::move(board);
    j["board_total"] = detail::board_row_json(board_total(d));
    Json unit_boards = Json::array();
    for (const LightBoard& b : d.unit_boards)
        unit_boards.push_back(Json::parse(light_board_json(b)));
    j["unit_boards"] = std::move(unit_boards);

    Json schemes = Json::array();
    for (const SchemeSection& sec : d.schemes) {
        Json periods = Json::array();
        for (const PeriodGroup& g : period_groups(sec))
            periods.push_back(g.period.label());
        Json scores = Json::array();
        for (const ScoreResult& r : sec.results) {
            scores.push_back({{"subject", r.subject.code},
                              {"name", mask_personal(display_name(d, r.subject.code))},
                              {"level", r.subject.level},
                              {"area_class", r.subject.area_class},
                              {"period", r.period.label()},
                              {"total", optional_number(r.total)},
                              {"grade", r.grade},
                              {"grade_label", mask_personal(grade_label(sec, r.grade))},
                              {"failing", r.failing},
                              {"rank", r.rank},
                              {"peers", r.peers},
                              {"note", mask_personal(r.note)},
                              {"explanation", explanation_json(explain(r))}});
        }
        Json flags = Json::array();
        for (const RuleFlag& f : sec.flags) {
            flags.push_back({{"rule", f.rule},
                             {"label", mask_personal(f.label)},
                             {"subject", f.subject},
                             {"name", mask_personal(display_name(d, f.subject))},
                             {"period", f.period.label()},
                             {"streak", f.streak},
                             {"periods", f.periods}});
        }
        schemes.push_back({{"key", sec.key},
                           {"label", mask_personal(sec.label)},
                           {"periods", std::move(periods)},
                           {"scores", std::move(scores)},
                           {"flags", std::move(flags)}});
    }
    j["schemes"] = std::move(schemes);

    Json trends = Json::array();
    for (const TrendChart& c : d.trends)
        trends.push_back(chart_json(c));
    j["trends"] = std::move(trends);

    Json draws = Json::array();
    for (const StoredDraw& sd : d.draws) {
        draws.push_back({{"label", mask_personal(sd.label)},
                         {"algorithm", sd.record.algorithm},
                         {"seed", std::to_string(sd.record.spec.seed)},
                         {"candidates", sd.record.spec.candidates.size()},
                         {"count", sd.record.spec.count},
                         {"strata", !sd.record.spec.strata.empty()},
                         {"avoid", sd.record.spec.avoid.size()},
                         {"picks", sd.record.picks},
                         {"verified", sd.verified}});
    }
    j["draws"] = std::move(draws);
    const auto records_row = [](const RecordsRow& r) {
        return Json{{"code", r.code},
                    {"name", mask_personal(r.name)},
                    {"residents", r.residents},
                    {"floating", r.floating},
                    {"households", r.households},
                    {"houses", r.houses},
                    {"rented", r.rented},
                    {"units", r.units},
                    {"check_month", r.check_month},
                    {"sampled", r.sampled},
                    {"checked", r.checked},
                    {"not_collected", r.not_collected},
                    {"not_deregistered", r.not_deregistered},
                    {"wrong", r.wrong},
                    {"collection_rate", optional_number(r.collection_rate)},
                    {"accuracy_rate", optional_number(r.accuracy_rate)}};
    };
    Json records_rows = Json::array();
    for (const RecordsRow& r : d.records)
        records_rows.push_back(records_row(r));
    j["records"] = {{"rows", std::move(records_rows)}, {"total", records_row(d.records_total)}};
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ---- the page ------------------------------------------------------------------------------

namespace {

const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                               "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
constexpr std::size_t palette_size = sizeof palette / sizeof palette[0];

const char* const css =
    "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
    "margin:0;color:#222;background:#fafafa}\n"
    "header,main,footer{max-width:1100px;margin:0 auto;padding:0 1.2em}\n"
    "header{padding-top:1.2em}\n"
    "h1{font-size:1.5em;margin:0 0 .3em}\n"
    "h1 small,h2 small,h3 small,th small{color:#666;font-weight:normal;margin-left:.4em}\n"
    "h2{font-size:1.2em;border-bottom:2px solid #345;padding-bottom:.2em;margin:1.6em 0 .6em}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}\n"
    "dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}\n"
    "dl.summary dt{color:#555}dl.summary dd{margin:0}\n"
    "code{font-family:monospace;font-size:.9em;word-break:break-all}\n"
    "nav{margin:.8em 0;display:flex;flex-wrap:wrap;gap:.3em 1em}\n"
    "nav a{color:#246}\n"
    "table{border-collapse:collapse;width:100%;background:#fff;margin:.3em 0 1em}\n"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#eef2f7}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.green{background:#e3f4e3}td.yellow{background:#fff4cc}td.red{background:#fbdcdc}\n"
    "tr.alert td:first-child{border-left:4px solid #c00}\n"
    "tfoot td{font-weight:bold;background:#f3f3f3}\n"
    ".ok{color:#1a7f37;font-weight:bold}.bad{color:#b00;font-weight:bold}\n"
    "tr.score-row{cursor:pointer}tr.score-row:hover{background:#f2f6fb}\n"
    "tr.score-row.failing{background:#fde8e8}tr.score-row.failing td.total{color:#b00;"
    "font-weight:bold}\n"
    "tr.explain-row td{background:#fcfcf4}\n"
    "ul.tree{margin:.2em 0;padding-left:1.2em}ul.tree ul{padding-left:1.4em;margin:0}\n"
    "ul.tree li{margin:.1em 0}span.val{font-weight:bold;margin-left:.5em}\n"
    "span.note{color:#666;margin-left:.5em}li.more{color:#666;font-style:italic}\n"
    ".muted{color:#777}\n"
    "figure{margin:.5em 0 1.2em;background:#fff;border:1px solid #ddd;padding:.5em}\n"
    "figcaption{font-weight:bold;margin-bottom:.3em}\n"
    "ul.legend{list-style:none;padding:0;margin:.3em 0 0;display:flex;flex-wrap:wrap;"
    "gap:.2em 1em;font-size:.9em}\n"
    "ul.legend i{display:inline-block;width:1.4em;height:.35em;vertical-align:middle;"
    "margin-right:.3em}\n"
    "div.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));"
    "gap:.4em}\n"
    "div.multiples figure{margin:0;padding:.3em}div.multiples figcaption{font-size:.8em;"
    "font-weight:normal}\n"
    "svg text{font-size:11px;fill:#444}\nsvg.chart{max-width:100%;height:auto}\n"
    "footer{color:#666;font-size:.9em;border-top:1px solid #ccc;margin-top:2em;"
    "padding-top:.6em;padding-bottom:2em}\n"
    "@media print{nav,select{display:none}body{background:#fff}}\n";

// Finds the rows of explanations, renders them from the JSON island on a click (or for
// the row named by the fragment "#expand=<scheme>/<period>/<subject>" or "#expand=all"),
// switches periods, then marks the body data-ready="1".
const char* const script = R"gridgov_js(
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gridgov-data").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(v) { return v === null || v === undefined ? "\u2014" : v.toFixed(2); }
  function tree(node) {
    var li = el("li");
    var head = node.label && node.label !== node.key ? node.label + " [" + node.key + "]" : node.key;
    li.appendChild(el("span", "label", head));
    if (node.value !== null && node.value !== undefined) li.appendChild(el("span", "val", num(node.value)));
    if (node.note) li.appendChild(el("span", "note", node.note));
    if ((node.children && node.children.length) || node.more) {
      var ul = el("ul");
      node.children.forEach(function (c) { ul.appendChild(tree(c)); });
      if (node.more) ul.appendChild(el("li", "more", "\u2026 另有 " + node.more + " 项 (" + node.more + " more)"));
      li.appendChild(ul);
    }
    return li;
  }
  function toggle(row) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains("explain-row")) {
      next.hidden = !next.hidden;
      row.setAttribute("aria-expanded", String(!next.hidden));
      return;
    }
    var score = data.schemes[+row.dataset.scheme].scores[+row.dataset.index];
    var tr = el("tr", "explain-row");
    var td = el("td");
    td.colSpan = row.children.length;
    var ul = el("ul", "tree");
    ul.appendChild(tree(score.explanation));
    td.appendChild(ul);
    tr.appendChild(td);
    row.parentNode.insertBefore(tr, row.nextSibling);
    row.setAttribute("aria-expanded", "true");
  }
  function show(section, period) {
    section.querySelectorAll("div.period").forEach(function (d) { d.hidden = d.dataset.period !== period; });
    var sel = section.querySelector("select.period-select");
    if (sel) sel.value = period;
  }
  document.querySelectorAll("tr.score-row").forEach(function (row) {
    row.addEventListener("click", function () { toggle(row); });
    row.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(row); }
    });
  });
  document.querySelectorAll("select.period-select").forEach(function (sel) {
    sel.addEventListener("change", function () { show(sel.closest("section.scheme"), sel.value); });
  });
  var hash = "";
  try { hash = decodeURIComponent(location.hash.slice(1)); } catch (e) { hash = ""; }
  if (hash.indexOf("expand=") === 0) {
    var want = hash.slice(7);
    document.querySelectorAll("tr.score-row").forEach(function (row) {
      if (want === "all" || want === row.dataset.key) {
        if (want !== "all") show(row.closest("section.scheme"), row.dataset.period);
        row.click();
      }
    });
  }
  document.body.setAttribute("data-ready", "1");
})();
)gridgov_js";

std::string island_text(const std::string& json) {
    std::string out;
    out.reserve(json.size() + 64);
    for (char c : json) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string td_n(std::size_t v, const char* extra = "") {
    std::string cls = "n";
    if (*extra != '\0' && v > 0)
        cls += std::string(" ") + extra;
    return "<td class=\"" + cls + "\">" + std::to_string(v) + "</td>";
}

// A small horizontal bar of the open cases by light.
std::string light_bar(const BoardRow& r) {
    const std::size_t lit = r.green + r.yellow + r.red;
    if (lit == 0)
        return "<td></td>";
    const double width = 100;
    std::string out = "<td><svg width=\"100\" height=\"10\" viewBox=\"0 0 100 10\" role=\"img\">";
    out += "<title>" + std::to_string(r.green) + " / " + std::to_string(r.yellow) + " / " +
           std::to_string(r.red) + "</title>";
    double x = 0;
    const std::pair<std::size_t, const char*> parts[] = {
        {r.green, "#3a3"}, {r.yellow, "#e0b000"}, {r.red, "#d22"}};
    for (const auto& [n, color] : parts) {
        if (n == 0)
            continue;
        const double w = width * double(n) / double(lit);
        out += "<rect x=\"" + fixed(x, 2) + "\" y=\"0\" width=\"" + fixed(w, 2) +
               "\" height=\"10\" fill=\"" + color + "\"/>";
        x += w;
    }
    out += "</svg></td>";
    return out;
}

void board_row_cells(std::string& out, const BoardRow& r) {
    out += td_n(r.open) + td_n(r.green, "green") + td_n(r.yellow, "yellow") + td_n(r.red, "red") +
           td_n(r.overdue, "red") + td_n(r.closed_on_time) + td_n(r.closed_late, "yellow") +
           td_n(r.voided) + td_n(r.cases) + light_bar(r);
}

/// The table of a board: a row per node (or unit) and the total in the footer.
/// `kind` names the rows' classes: "board" (board-row, board-total) or "unit".
void board_table(std::string& out, const std::string& id, const std::vector<BoardRow>& rows,
                 const BoardRow& t, const std::string& kind) {
    out += "<table id=\"" + html_text(id) +
           "\">\n<thead><tr><th>名称 <small>Name</small></th>"
           "<th>上级 <small>Parent</small></th><th>代码 <small>Code</small></th>"
           "<th>在办 <small>Open</small></th><th>绿灯 <small>Green</small></th>"
           "<th>黄灯 <small>Yellow</small></th><th>红灯 <small>Red</small></th>"
           "<th>超时 <small>Overdue</small></th><th>按期结案 <small>Closed on time</small></th>"
           "<th>超期结案 <small>Closed late</small></th><th>作废 <small>Voided</small></th>"
           "<th>案件 <small>Cases</small></th><th>灯色 <small>Lights</small></th>"
           "</tr></thead>\n<tbody>\n";
    if (rows.empty())
        out += "<tr><td colspan=\"13\" class=\"muted\">暂无 (none)</td></tr>\n";
    for (const BoardRow& r : rows) {
        out += "<tr class=\"" + kind + "-row";
        if (r.red > 0 || r.overdue > 0)
            out += " alert";
        out += "\" data-code=\"" + html_text(r.code) + "\"><td>" + html_text(r.name) + "</td><td>" +
               html_text(r.parent) + "</td><td><code>" + html_text(r.code) + "</code></td>";
        board_row_cells(out, r);
        out += "</tr>\n";
    }
    out += "</tbody>\n";
    out += "<tfoot><tr class=\"" + kind + "-total\" data-code=\"" + html_text(t.code) + "\"><td>" +
           html_text(t.name.empty() ? std::string("合计") : t.name) +
           " <small>total</small></td>"
           "<td></td><td><code>" +
           html_text(t.code) + "</code></td>";
    board_row_cells(out, t);
    out += "</tr></tfoot>\n</table>\n";
}

void board_section(std::string& out, const ReportData& d) {
    out += "<section id=\"board\">\n<h2>红黄绿灯 <small>Traffic-light board</small></h2>\n";
    out += "<p class=\"muted\">在办案件按计时灯色统计于 " + html_text(d.at.to_string()) +
           " · open cases by the light of their running clock at that instant; closed counts "
           "are as of the data.</p>\n";
    board_table(out, "board-table", d.board, board_total(d), "board");
    out += "</section>\n";
}

/// One board per overlay: its units with the cases of the grids they cover.
void units_section(std::string& out, const ReportData& d) {
    if (d.unit_boards.empty())
        return;
    out += "<section id=\"units\">\n<h2>专项网格 <small>Specialised networks</small></h2>\n";
    out +=
        "<p class=\"muted\">每个专项网格单元统计其覆盖网格内的案件（含下级单元）· each unit "
        "counts the cases of the grids it covers, itself or through the units beneath it; "
        "the total counts every case some unit covers.</p>\n";
    for (const LightBoard& b : d.unit_boards) {
        out +=
            "<h3 data-overlay=\"" + html_text(b.overlay) + "\">" + html_text(b.overlay) + "</h3>\n";
        board_table(out, "units-" + b.overlay, b.rows, b.total, "unit");
    }
    out += "</section>\n";
}

// ---- SVG line charts ---------------------------------------------------------------------

struct Range {
    double lo = 0;
    double hi = 1;
    double tick = 0.25;
};

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double nice_step(double raw) {
    const double base = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
        if (m * base >= raw)
            return m * base;
    }
    return 10 * base;
}

/// The value axis: 0-100 for percentages and points that fit, else round bounds around
/// the values (and 0) with about four ticks.
Range value_range(const TrendChart& c) {
    bool any = false;
    double lo = 0, hi = 0;
    for (const TrendSeries& s : c.series) {
        for (const auto& v : s.values) {
            if (!v || !std::isfinite(*v))
                continue;
            if (!any) {
                lo = hi = *v;
                any = true;
            }
            lo = std::min(lo, *v);
            hi = std::max(hi, *v);
        }
    }
    if (!any)
        return {0, 1, 0.25};
    if ((c.unit == "%" || c.unit == "分") && lo >= 0 && hi <= 100)
        return {0, 100, 25};
    lo = std::min(lo, 0.0);
    if (hi <= lo)
        hi = lo + 1;
    const double tick = nice_step((hi - lo) / 4);
    return {std::floor(lo / tick) * tick, std::ceil(hi / tick) * tick, tick};
}

std::string line_chart(const TrendChart& c, bool small) {
    const double W = small ? 170 : 680, H = small ? 70 : 260;
    const double left = small ? 4 : 46, right = small ? 4 : 36, top = small ? 6 : 20,
                 bottom = small ? 6 : 36;
    const double pw = W - left - right, ph = H - top - bottom;
    const Range r = value_range(c);
    const std::size_t n = c.periods.size();
    const auto x_at = [&](std::size_t i) {
        return left + (n <= 1 ? pw / 2 : pw * double(i) / double(n - 1));
    };
    const auto y_at = [&](double v) { return top + ph * (1 - (v - r.lo) / (r.hi - r.lo)); };
    std::string out = "<svg class=\"chart\" width=\"" + fixed(W, 0) + "\" height=\"" + fixed(H, 0) +
                      "\" viewBox=\"0 0 " + fixed(W, 0) + " " + fixed(H, 0) +
                      "\" role=\"img\" aria-label=\"" + html_text(c.title) + "\">";
    // Axes and grid.
    if (!small) {
        const int ticks = static_cast<int>(std::lround((r.hi - r.lo) / r.tick));
        for (int k = 0; k <= ticks; ++k) {
            const double v = r.lo + r.tick * k;
            const double y = y_at(v);
            out += "<line x1=\"" + fixed(left, 1) + "\" y1=\"" + fixed(y, 1) + "\" x2=\"" +
                   fixed(W - right, 1) + "\" y2=\"" + fixed(y, 1) +
                   "\" stroke=\"#ddd\" stroke-width=\"1\"/>";
            out += "<text x=\"" + fixed(left - 4, 1) + "\" y=\"" + fixed(y + 4, 1) +
                   "\" text-anchor=\"end\">" +
                   fixed(v, r.tick < 1                                    ? 2
                            : r.tick < 10 && r.tick != std::floor(r.tick) ? 1
                                                                          : 0) +
                   "</text>";
        }
        const std::size_t every = n > 12 ? (n + 11) / 12 : 1;
        for (std::size_t i = 0; i < n; i += every) {
            out += "<text x=\"" + fixed(x_at(i), 1) + "\" y=\"" + fixed(H - bottom + 16, 1) +
                   "\" text-anchor=\"middle\">" + html_text(c.periods[i]) + "</text>";
        }
        if (!c.unit.empty()) {
            out += "<text x=\"4\" y=\"12\">" + html_text(c.unit) + "</text>";
        }
    } else {
        out += "<rect x=\"0.5\" y=\"0.5\" width=\"" + fixed(W - 1, 0) + "\" height=\"" +
               fixed(H - 1, 0) + "\" fill=\"none\" stroke=\"#eee\"/>";
    }
    for (std::size_t k = 0; k < c.series.size(); ++k) {
        const TrendSeries& s = c.series[k];
        const char* color = small ? "#1f77b4" : palette[k % palette_size];
        // Lines break at periods without a value.
        std::string points;
        const auto flush = [&] {
            if (!points.empty())
                out += "<polyline fill=\"none\" stroke=\"" + std::string(color) +
                       "\" stroke-width=\"" + (small ? "1.5" : "2") + "\" points=\"" + points +
                       "\"/>";
            points.clear();
        };
        for (std::size_t i = 0; i < n; ++i) {
            const bool has = i < s.values.size() && s.values[i] && std::isfinite(*s.values[i]);
            if (!has) {
                flush();
                continue;
            }
            points += (points.empty() ? "" : " ") + fixed(x_at(i), 1) + "," +
                      fixed(y_at(*s.values[i]), 1);
        }
        flush();
        for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
            if (!s.values[i] || !std::isfinite(*s.values[i]))
                continue;
            out += "<circle cx=\"" + fixed(x_at(i), 1) + "\" cy=\"" + fixed(y_at(*s.values[i]), 1) +
                   "\" r=\"" + (small ? "1.8" : "3") + "\" fill=\"" + color + "\"><title>" +
                   html_text(s.label) + " " + html_text(c.periods[i]) + ": " +
                   fixed(*s.values[i], 2) + "</title></circle>";
        }
    }
    out += "</svg>";
    return out;
}

std::string chart_figure(const TrendChart& c, const char* cls) {
    std::string out = std::string("<figure class=\"") + cls + "\"><figcaption>" +
                      html_text(c.title) + "</figcaption>";
    if (c.periods.empty() || c.series.empty()) {
        out += "<p class=\"muted\">暂无数据 (no data)</p></figure>\n";
        return out;
    }
    out += line_chart(c, false);
    out += "<ul class=\"legend\">";
    for (std::size_t k = 0; k < c.series.size(); ++k) {
        out += "<li><i style=\"background:" + std::string(palette[k % palette_size]) + "\"></i>" +
               html_text(c.series[k].label) + "</li>";
    }
    out += "</ul></figure>\n";
    return out;
}

std::string small_multiples(const TrendChart& c) {
    std::string out = "<div class=\"multiples\">";
    const std::size_t shown = std::min(c.series.size(), max_small_multiples);
    for (std::size_t k = 0; k < shown; ++k) {
        TrendChart one;
        one.title = c.series[k].label;
        one.unit = c.unit;
        one.periods = c.periods;
        one.series = {c.series[k]};
        std::optional<double> last;
        for (const auto& v : c.series[k].values) {
            if (v)
                last = v;
        }
        out += "<figure class=\"multiple\"><figcaption>" + html_text(one.title) + " · <b>" +
               number_text(last) + "</b></figcaption>" + line_chart(one, true) + "</figure>";
    }
    out += "</div>\n";
    if (shown < c.series.size()) {
        out += "<p class=\"muted\">另有 " + std::to_string(c.series.size() - shown) +
               " 个对象未绘出 (" + std::to_string(c.series.size() - shown) +
               " more subjects not drawn)</p>\n";
    }
    return out;
}

// ---- rankings ------------------------------------------------------------------------------

std::map<std::string, std::vector<const RuleFlag*>> flags_by_subject_period(
    const SchemeSection& s) {
    std::map<std::string, std::vector<const RuleFlag*>> out;
    for (const RuleFlag& f : s.flags)
        out[f.subject + "\n" + f.period.label()].push_back(&f);
    return out;
}

void rankings_section(std::string& out, const ReportData& d) {
    out += "<section id=\"rankings\">\n<h2>考核排名 <small>Rankings</small></h2>\n";
    if (d.schemes.empty())
        out += "<p class=\"muted\">暂无考核结果 (no scores)</p>\n";
    out +=
        "<p class=\"muted\">点击一行查看得分说明 · click a row to see how the score was made "
        "(score → components → indicators → source records).</p>\n";
    for (std::size_t si = 0; si < d.schemes.size(); ++si) {
        const SchemeSection& s = d.schemes[si];
        const std::vector<PeriodGroup> groups = period_groups(s);
        const auto flags = flags_by_subject_period(s);
        out += "<section class=\"scheme\" data-scheme=\"" + html_text(s.key) + "\"><h3>" +
               html_text(s.label.empty() ? s.key : s.label) + " <small>" + html_text(s.key) +
               "</small></h3>\n";
        if (groups.empty()) {
            out += "<p class=\"muted\">暂无 (none)</p></section>\n";
            continue;
        }
        out += "<label>期间 <small>Period</small> <select class=\"period-select\">";
        for (std::size_t p = 0; p < groups.size(); ++p) {
            const std::string label = groups[p].period.label();
            out += "<option value=\"" + html_text(label) + "\"" +
                   (p + 1 == groups.size() ? " selected" : "") + ">" + html_text(label) +
                   "</option>";
        }
        out += "</select></label>\n";
        for (std::size_t p = 0; p < groups.size(); ++p) {
            const std::string plabel = groups[p].period.label();
            std::size_t failing = 0;
            for (std::size_t i : groups[p].rows)
                failing += s.results[i].failing ? 1 : 0;
            out += "<div class=\"period\" data-period=\"" + html_text(plabel) + "\"" +
                   (p + 1 == groups.size() ? "" : " hidden") + ">\n";
            out += "<p class=\"muted\">" + html_text(plabel) + " · " +
                   std::to_string(groups[p].rows.size()) + " 个对象 subjects · " +
                   std::to_string(failing) + " 个不合格 failing</p>\n";
            out +=
                "<table class=\"ranking\"><thead><tr><th>排名 <small>Rank</small></th>"
                "<th>对象 <small>Subject</small></th><th>组别 <small>Peer group</small></th>"
                "<th>总分 <small>Total</small></th><th>等级 <small>Grade</small></th>"
                "<th>标记 <small>Flags</small></th></tr></thead>\n<tbody>\n";
            for (std::size_t i : groups[p].rows) {
                const ScoreResult& r = s.results[i];
                const std::string name = display_name(d, r.subject.code);
                const std::string key = s.key + "/" + plabel + "/" + r.subject.code;
                out += "<tr class=\"score-row" + std::string(r.failing ? " failing" : "") +
                       "\" tabindex=\"0\" aria-expanded=\"false\" data-scheme=\"" +
                       std::to_string(si) + "\" data-index=\"" + std::to_string(i) +
                       "\" data-period=\"" + html_text(plabel) + "\" data-subject=\"" +
                       html_text(r.subject.code) + "\" data-key=\"" + html_text(key) + "\">";
                out += "<td class=\"n\">" +
                       (r.rank > 0 ? std::to_string(r.rank) + " / " + std::to_string(r.peers)
                                   : std::string("—")) +
                       "</td>";
                out += "<td>" + (name.empty() ? "" : html_text(name) + " ") + "<code>" +
                       html_text(r.subject.code) + "</code></td>";
                out += "<td>" + html_text(peer_group(r.subject)) + "</td>";
                out += "<td class=\"n total\">" + number_text(r.total) + "</td>";
                out += "<td>" + html_text(r.total ? grade_label(s, r.grade) : r.note) + "</td>";
                out += "<td>";
                const auto it = flags.find(r.subject.code + "\n" + plabel);
                if (it != flags.end()) {
                    for (const RuleFlag* f : it->second)
                        out += "<span class=\"bad\">⚑ " +
                               html_text(f->label.empty() ? f->rule : f->label) + "</span> ";
                }
                out += "</td></tr>\n";
            }
            out += "</tbody></table>\n</div>\n";
        }
        out += "</section>\n";
    }
    out += "</section>\n";
}

void trends_section(std::string& out, const ReportData& d) {
    out += "<section id=\"trends\">\n<h2>趋势 <small>Trends</small></h2>\n";
    bool any = false;
    for (const TrendChart& c : d.trends) {
        out += chart_figure(c, "trend");
        any = true;
    }
    for (const SchemeSection& s : d.schemes) {
        if (s.results.empty())
            continue;
        const std::vector<TrendChart> charts = detail::scheme_charts(d, s);
        out += chart_figure(charts[0], "trend scheme-mean");
        out += "<h3>" + html_text(charts[1].title) + "</h3>\n";
        out += small_multiples(charts[1]);
        any = true;
    }
    if (!any)
        out += "<p class=\"muted\">暂无数据 (no data)</p>\n";
    out += "</section>\n";
}

void flags_section(std::string& out, const ReportData& d) {
    out +=
        "<section id=\"flags\">\n<h2>预警对象 <small>Flagged by consecutive-period "
        "rules</small></h2>\n";
    out +=
        "<table id=\"flags-table\"><thead><tr><th>规则 <small>Rule</small></th>"
        "<th>方案 <small>Scheme</small></th><th>对象 <small>Subject</small></th>"
        "<th>期 <small>Period</small></th><th>连续期数 <small>Streak</small></th>"
        "<th>各期 <small>Periods</small></th></tr></thead>\n<tbody>\n";
    std::size_t rows = 0;
    for (const SchemeSection& s : d.schemes) {
        for (const RuleFlag& f : s.flags) {
            const std::string name = display_name(d, f.subject);
            std::string periods;
            for (const std::string& p : f.periods)
                periods += (periods.empty() ? "" : ", ") + p;
            out += "<tr class=\"flag-row\"><td>" + html_text(f.label) + " <code>" +
                   html_text(f.rule) + "</code></td><td>" +
                   html_text(s.label.empty() ? s.key : s.label) + "</td><td>" +
                   (name.empty() ? "" : html_text(name) + " ") + "<code>" + html_text(f.subject) +
                   "</code></td><td>" + html_text(f.period.label()) + "</td><td class=\"n\">" +
                   std::to_string(f.streak) + "</td><td>" + html_text(periods) + "</td></tr>\n";
            ++rows;
        }
    }
    if (rows == 0)
        out += "<tr><td colspan=\"6\" class=\"muted\">暂无 (none)</td></tr>\n";
    out += "</tbody></table>\n</section>\n";
}

void draws_section(std::string& out, const ReportData& d) {
    out += "<section id=\"draws\">\n<h2>抽查 <small>Inspection draws</small></h2>\n";
    out +=
        "<table id=\"draws-table\"><thead><tr><th>标签 <small>Label</small></th>"
        "<th>算法 <small>Algorithm</small></th><th>种子 <small>Seed</small></th>"
        "<th>候选 <small>Candidates</small></th><th>抽取 <small>Count</small></th>"
        "<th>抽中 <small>Picks</small></th><th>复核 <small>Verified</small></th>"
        "</tr></thead>\n<tbody>\n";
    if (d.draws.empty())
        out += "<tr><td colspan=\"7\" class=\"muted\">暂无 (none)</td></tr>\n";
    for (const StoredDraw& sd : d.draws) {
        std::string picks;
        for (const std::string& p : sd.record.picks) {
            const std::string name = display_name(d, p);
            picks += (picks.empty() ? "" : ", ") + (name.empty() ? p : name + " " + p);
        }
        out += "<tr class=\"draw-row\"><td>" + html_text(sd.label) + "</td><td><code>" +
               html_text(sd.record.algorithm) + "</code></td><td><code>" +
               std::to_string(sd.record.spec.seed) + "</code></td><td class=\"n\">" +
               std::to_string(sd.record.spec.candidates.size()) + "</td><td class=\"n\">" +
               std::to_string(sd.record.spec.count) + "</td><td>" + html_text(picks) + "</td>" +
               (sd.verified ? "<td class=\"ok\">是 yes</td>" : "<td class=\"bad\">否 no</td>") +
               "</tr>\n";
    }
    out += "</tbody></table>\n</section>\n";
}

void records_row_cells(std::string& out, const RecordsRow& r) {
    const auto rate = [](const std::optional<double>& v) {
        return "<td class=\"n\">" + (v ? fixed(*v, 2) + " %" : std::string("—")) + "</td>";
    };
    out += td_n(r.residents) + td_n(r.floating) + td_n(r.households) + td_n(r.houses) +
           td_n(r.rented) + td_n(r.units) + "<td>" +
           html_text(r.check_month.empty() ? std::string("—") : r.check_month) + "</td>" +
           td_n(r.sampled) + td_n(r.checked) + td_n(r.not_collected, "red") +
           td_n(r.not_deregistered, "yellow") + td_n(r.wrong, "yellow") + rate(r.collection_rate) +
           rate(r.accuracy_rate);
}

void records_section(std::string& out, const ReportData& d) {
    out +=
        "<section id=\"records\">\n<h2>基础信息 <small>Base records and 四实 collection "
        "quality</small></h2>\n";
    out +=
        "<p class=\"muted\">实有人口、户、房屋、单位按网格汇总；督查为最近一个月的四实抽查 · "
        "live records rolled up per node, and the latest month's field check: people found "
        "at the drawn houses, not collected, not de-registered, wrong; 采集率 = (found − not "
        "collected) / found, 准确率 = correct / (correct + wrong).</p>\n";
    out +=
        "<table id=\"records-table\">\n<thead><tr><th>名称 <small>Name</small></th>"
        "<th>代码 <small>Code</small></th><th>实有人口 <small>Residents</small></th>"
        "<th>流动人口 <small>Floating</small></th><th>户 <small>Households</small></th>"
        "<th>房屋 <small>Houses</small></th><th>出租屋 <small>Rented</small></th>"
        "<th>单位 <small>Units</small></th><th>督查月份 <small>Checked in</small></th>"
        "<th>抽查 <small>Drawn</small></th><th>核查人数 <small>Found</small></th>"
        "<th>未采集 <small>Not collected</small></th><th>未注销 <small>Not "
        "de-registered</small></th><th>信息错误 <small>Wrong</small></th>"
        "<th>采集率 <small>Collection rate</small></th><th>准确率 <small>Accuracy</small></th>"
        "</tr></thead>\n<tbody>\n";
    if (d.records.empty())
        out += "<tr><td colspan=\"16\" class=\"muted\">暂无 (none)</td></tr>\n";
    for (const RecordsRow& r : d.records) {
        out += "<tr class=\"records-row\" data-code=\"" + html_text(r.code) + "\"><td>" +
               html_text(r.name) + "</td><td><code>" + html_text(r.code) + "</code></td>";
        records_row_cells(out, r);
        out += "</tr>\n";
    }
    out += "</tbody>\n";
    if (!d.records_total.code.empty()) {
        const RecordsRow& t = d.records_total;
        out += "<tfoot><tr class=\"records-total\" data-code=\"" + html_text(t.code) + "\"><td>" +
               html_text(t.name) + " <small>total</small></td><td><code>" + html_text(t.code) +
               "</code></td>";
        records_row_cells(out, t);
        out += "</tr></tfoot>\n";
    }
    out += "</table>\n</section>\n";
}

void header(std::string& out, const ReportData& d) {
    const ReportSummary& s = d.summary;
    out +=
        "<header>\n<h1>" + html_text(title_of(d)) + " <small>Grid governance report</small></h1>\n";
    out += "<dl class=\"summary\">\n";
    out += "<dt>地区 <small>Area</small></dt><dd id=\"summary-area\">" + html_text(s.area) +
           (s.area_code.empty() ? "" : " <code>" + html_text(s.area_code) + "</code>") + "</dd>\n";
    out += "<dt>期间 <small>Period</small></dt><dd id=\"summary-period\">" +
           html_text(s.period.empty() ? std::string("—") : s.period) + "</dd>\n";
    out += "<dt>案件 <small>Cases</small></dt><dd id=\"summary-cases\">" + std::to_string(s.cases) +
           "</dd>\n";
    out += "<dt>事件 <small>Events</small></dt><dd id=\"summary-events\">" +
           std::to_string(s.events) + "</dd>\n";
    out += "<dt>日志校验 <small>Log check</small></dt><dd id=\"summary-log\">";
    if (!s.log) {
        out += "<span class=\"muted\">未校验 (not checked)</span>";
    } else if (s.log->ok) {
        out += "<span class=\"ok\">完好 intact</span> · " + std::to_string(s.log->events_checked) +
               " 个事件已校验 events checked";
    } else {
        out += "<span class=\"bad\">异常 " + html_text(log_problem_name(s.log->problem)) +
               "</span> · " + html_text(s.log->message);
    }
    out += "</dd>\n";
    out += "<dt>日志末端 <small>Log head</small></dt><dd id=\"summary-head\">#" +
           std::to_string(s.head_sequence) + " <code>" +
           html_text(s.head_hash.empty() ? std::string("—") : s.head_hash) + "</code></dd>\n";
    out +=
        "<dt>统计时点 <small>Board at</small></dt><dd>" + html_text(d.at.to_string()) + "</dd>\n";
    out += std::string("</dl>\n<nav><a href=\"#board\">红黄绿灯 Board</a>") +
           (d.unit_boards.empty() ? "" : "<a href=\"#units\">专项网格 Networks</a>") +
           "<a href=\"#rankings\">排名 "
           "Rankings</a><a href=\"#trends\">趋势 Trends</a><a href=\"#flags\">预警 Flags</a>"
           "<a href=\"#draws\">抽查 Draws</a><a href=\"#records\">基础信息 Records</a></nav>\n"
           "</header>\n";
}

}  // namespace

std::string report_html(const ReportData& d) {
    std::string out;
    out.reserve(64 * 1024);
    out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"generator\" content=\"" + html_text(generator_of(d)) + "\">\n";
    out += "<title>" + html_text(title_of(d)) +
           (d.summary.area.empty() ? "" : " · " + html_text(d.summary.area)) + "</title>\n";
    out += "<style>\n" + std::string(css) + "</style>\n</head>\n<body>\n";
    header(out, d);
    out += "<main>\n";
    board_section(out, d);
    units_section(out, d);
    rankings_section(out, d);
    trends_section(out, d);
    flags_section(out, d);
    draws_section(out, d);
    records_section(out, d);
    out += "</main>\n<footer>由 " + html_text(generator_of(d)) + " 生成于 " +
           html_text(d.generated_at.to_string()) + " · produced by " + html_text(generator_of(d)) +
           " from the workspace's cases, scores, flags, draws and records; the page works offline "
           "(no external resources).</footer>\n";
    out += "<script type=\"application/json\" id=\"gridgov-data\">" + island_text(report_json(d)) +
           "</script>\n";
    out += "<script>" + std::string(script) + "</script>\n</body>\n</html>\n";
    return out;
}

void write_report_html(const ReportData& data, const std::string& path) {
    detail::write_file_atomically(path, report_html(data));
}

}  // namespace gridgov
