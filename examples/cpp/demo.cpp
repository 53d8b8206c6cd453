// gridgov_demo: the first program to run. It loads a fictional county into a new
// workspace file and shows what gridgov does with it: the hierarchy of grids, the data
// problems validation finds, households and population rolled up the hierarchy, the
// specialised networks (overlays) laid over the same ground, who answers for every grid
// and what the staffing checks find, the responsibility chart, and deadlines that run
// over the national holidays.
//
//   gridgov_demo [WORKSPACE] [--data DIR] [--year DIR]
//
// WORKSPACE defaults to gridgov-demo.gridgov in the current directory and is recreated on
// every run, with the chart written beside it as WORKSPACE-chart.html; DIR defaults to
// the examples/data folder of the source tree. With --year DIR (the folder
// examples/make_sample_year.py writes) it also runs a year of matters through the case
// workflows, prints a traffic-light board per village and checks the event log, then shows
// that an edited copy of the file is caught.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sqlite3.h>

#include <chrono>
#include <map>

#include "gridgov/calendar.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/workflow.hpp"
#include "gridgov/workspace.hpp"

#include "demo_assessment.hpp"

namespace {

namespace fs = std::filesystem;

// ---- aligned tables with Chinese text ---------------------------------------------------

// Terminal columns taken by a UTF-8 string: East Asian wide characters (CJK ideographs,
// fullwidth forms, CJK punctuation) take two, everything else one.
std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = c;
        std::size_t len = 1;
        if (c >= 0xF0) {
            cp = c & 0x07u;
            len = 4;
        } else if (c >= 0xE0) {
            cp = c & 0x0Fu;
            len = 3;
        } else if (c >= 0xC0) {
            cp = c & 0x1Fu;
            len = 2;
        }
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        }
        i += len;
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

enum class Align { left, right };

class Table {
  public:
    explicit Table(std::vector<std::pair<std::string, Align>> columns)
        : columns_(std::move(columns)) {}

    void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

    void print(std::ostream& out) const {
        std::vector<std::size_t> widths;
        for (const auto& [title, align] : columns_)
            widths.push_back(display_width(title));
        for (const auto& r : rows_) {
            for (std::size_t c = 0; c < r.size(); ++c) {
                widths[c] = std::max(widths[c], display_width(r[c]));
            }
        }
        std::vector<std::string> titles;
        for (const auto& column : columns_)
            titles.push_back(column.first);
        line(out, titles, widths);
        std::vector<std::string> rules;
        for (std::size_t w : widths)
            rules.push_back(std::string(w, '-'));
        // Free text in the last column (a finding's message) may run long; its rule stops
        // short so that it does not wrap into a block of dashes.
        rules.back().resize(std::min(rules.back().size(), std::size_t{40}));
        line(out, rules, widths);
        for (const auto& r : rows_)
            line(out, r, widths);
    }

  private:
    void line(std::ostream& out, const std::vector<std::string>& cells,
              const std::vector<std::size_t>& widths) const {
        std::string text = " ";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::size_t pad = widths[c] - display_width(cells[c]);
            const bool last = c + 1 == cells.size();
            if (columns_[c].second == Align::right)
                text += std::string(pad, ' ');
            text += cells[c];
            if (columns_[c].second == Align::left && !last)
                text += std::string(pad, ' ');
            if (!last)
                text += "  ";
        }
        text.erase(text.find_last_not_of(' ') + 1);
        out << text << '\n';
    }

    std::vector<std::pair<std::string, Align>> columns_;
    std::vector<std::vector<std::string>> rows_;
};

std::string count(double v) {
    if (gridgov::is_missing(v))
        return "—";
    // Thousands separators keep six-digit populations readable.
    std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(i, ",");
    return digits;
}

std::string ratio(double num, double den) {
    if (gridgov::is_missing(num) || gridgov::is_missing(den) || den == 0)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", num / den);
    return buf;
}

void heading(std::ostream& out, std::string_view title) {
    out << "\n== " << title << "\n\n";
}

// ---- the demo ---------------------------------------------------------------------------

struct Options {
    std::string workspace = "gridgov-demo.gridgov";
    std::string data = GRIDGOV_EXAMPLES_DATA;
    std::string year;  ///< folder written by examples/make_sample_year.py; "" = skip the year
};

// Households follow the township's own rule (seed 000: base grids of about 150
// households) wherever no narrower rule applies, and the usual urban guideline of
// 300-500 households in the county seat: policies are data, so mixing them is one loop.
gridgov::ValidationPolicy sample_county_policy() {
    gridgov::ValidationPolicy policy;
    policy.sizing = gridgov::SizingPolicy::rural_township_150();
    policy.sizing.name = "seed 000 + urban guideline";
    for (const gridgov::SizingRule& rule : gridgov::SizingPolicy::national_guideline().rules) {
        if (rule.area_type == gridgov::AreaType::urban)
            policy.sizing.rules.push_back(rule);
    }
    return policy;
}

void print_levels(std::ostream& out, const gridgov::Hierarchy& h) {
    const gridgov::NodeId root = h.roots()[0];
    heading(out, "The county " + h.name(root) + " (" + h.code(root) + "): one tree of grids");
    Table table({{"level", Align::left},
                 {"层级", Align::left},
                 {"nodes", Align::right},
                 {"of which 专属 (dedicated)", Align::right}});
    for (std::size_t i = 0; i < h.levels().size(); ++i) {
        const auto nodes = h.nodes_at_level(static_cast<int>(i));
        if (nodes.empty())
            continue;
        std::size_t dedicated = 0;
        for (gridgov::NodeId n : nodes)
            dedicated += h.kind(n) == gridgov::GridKind::dedicated;
        table.row({h.levels()[i].key, h.levels()[i].name_zh, std::to_string(nodes.size()),
                   dedicated > 0 ? std::to_string(dedicated) : ""});
    }
    table.print(out);
}

void print_findings(std::ostream& out, const std::vector<gridgov::Finding>& findings,
                    const gridgov::ValidationPolicy& policy) {
    heading(out, "Findings: data problems validation reports (returned, never fixed silently)");
    out << " sizing policy: " << policy.sizing.name << "\n\n";
    Table table({{"rule", Align::left},
                 {"severity", Align::left},
                 {"where", Align::left},
                 {"message", Align::left}});
    for (const gridgov::Finding& f : findings) {
        table.row({f.rule, gridgov::severity_name(f.severity), f.where, f.message});
    }
    table.print(out);
}

void print_roll_ups(std::ostream& out, const gridgov::Hierarchy& h) {
    const gridgov::RollUp households = h.roll_up("households");
    const gridgov::RollUp population = h.roll_up("population");
    // Counting grids is a roll-up too: one per grid node, summed over every subtree.
    // The size range of territorial grids leaves out schools and hospitals (专属网格),
    // which hold no households of their own.
    const int grid_level = h.levels().index_of("grid");
    std::vector<double> is_grid(h.id_count(), gridgov::missing_value);
    std::vector<double> territorial(h.id_count(), gridgov::missing_value);
    for (gridgov::NodeId n : h.nodes_at_level(grid_level)) {
        is_grid[n] = 1;
        if (h.kind(n) == gridgov::GridKind::comprehensive) {
            territorial[n] = h.value(n, "households");
        }
    }
    const gridgov::RollUp grids = h.roll_up(is_grid);
    const gridgov::RollUp sizes = h.roll_up(territorial);

    auto add_row = [&](Table& table, gridgov::NodeId n, const std::string& indent) {
        const bool any = households.count[n] > 0;
        table.row({indent + h.name(n), h.code(n), count(grids.sum[n]),
                   any ? count(households.sum[n]) : "—", any ? count(population.sum[n]) : "—",
                   ratio(population.sum[n], households.sum[n]),
                   sizes.count[n] > 0 ? count(sizes.min[n]) + "–" + count(sizes.max[n]) : ""});
    };
    const std::vector<std::pair<std::string, Align>> columns = {
        {"名称", Align::left},
        {"code", Align::left},
        {"grids", Align::right},
        {"households", Align::right},
        {"population", Align::right},
        {"per household", Align::right},
        {"households per grid", Align::right}};

    heading(out, "Roll-up per township / street (乡镇街道)");
    Table top(columns);
    for (gridgov::NodeId root : h.roots()) {
        add_row(top, root, "");
        for (gridgov::NodeId t : h.children(root))
            add_row(top, t, "  ");
    }
    top.print(out);

    heading(out, "Roll-up per village / net-area (村社区, 网区)");
    Table villages(columns);
    const int township_level = h.levels().index_of("township");
    for (gridgov::NodeId t : h.nodes_at_level(township_level)) {
        add_row(villages, t, "");
        for (gridgov::NodeId v : h.children(t))
            add_row(villages, v, "  ");
    }
    villages.print(out);
}

// The grids' base records (人、地、事、物、情、组织): residents, households, houses and
// shops rolled up per township, and the findings planted in examples/data/records.json.
void print_records(std::ostream& out, const gridgov::Workspace& ws, gridgov::Date date) {
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    const gridgov::WorkspaceRecords& records = ws.records();
    heading(out, "Base records (一户一档, 四实) rolled up per township / street");
    const std::vector<double> residents = records.roll_up("resident");
    const std::vector<double> floating = records.roll_up("resident", "registration", "流动人口");
    const std::vector<double> houses = records.roll_up("house");
    const std::vector<double> rented = records.roll_up("house", "use", "出租");
    const std::vector<double> shops = records.roll_up("unit", "unit_kind", "个体工商户");
    const std::vector<double> employees = records.roll_up("unit", "employees");
    Table table({{"名称", Align::left},
                 {"residents", Align::right},
                 {"floating", Align::right},
                 {"houses", Align::right},
                 {"rented", Align::right},
                 {"shops", Align::right},
                 {"employees", Align::right}});
    const auto add_row = [&](gridgov::NodeId n, const std::string& indent) {
        table.row({indent + h.name(n), count(residents[n]), count(floating[n]), count(houses[n]),
                   count(rented[n]), count(shops[n]), count(employees[n])});
    };
    for (gridgov::NodeId root : h.roots()) {
        add_row(root, "");
        for (gridgov::NodeId t : h.children(root))
            add_row(t, "  ");
    }
    table.print(out);
    // Every read names its reader. The system's read is masked; the person holding a post
    // over the record's grid reads it in clear through a duty that needs it, and that read
    // is kept in the access log (who, whose record, which fields, when, why).
    const gridgov::RecordReader overview = gridgov::RecordReader::system_read("demo overview");
    out << "\n ID numbers and phones stay masked unless revealed: ";
    const std::optional<gridgov::Record> r = records.get(overview, "R00002");
    if (r) {
        out << r->key << " " << *r->field("name") << " " << *r->field("id_number") << "\n";
        const gridgov::Directory& dir = ws.directory().view();
        std::string officer;
        for (gridgov::NodeId n : h.path_to_root(r->node)) {
            const std::vector<gridgov::RosterEntry> roster = dir.roster(n, date);
            if (!roster.empty()) {
                officer = dir.person(roster.front().person).id;
                break;
            }
        }
        if (!officer.empty()) {
            const gridgov::RecordReader visit = gridgov::RecordReader::person_read(
                officer, "入户走访核对", gridgov::Reveal::revealed, date);
            try {
                records.get(visit, r->key);
                const std::vector<gridgov::RecordAccess> log = records.access_log();
                const gridgov::RecordAccess& e = log.back();
                std::string fields;
                for (const std::string& f : e.fields)
                    fields += (fields.empty() ? "" : ", ") + f;
                out << " " << officer << " read it in clear (" << fields << ") for " << e.purpose
                    << "; access log entry " << e.seq << ", hash " << e.hash.substr(0, 12)
                    << "…, chain " << (records.verify_access_log().intact ? "intact" : "broken")
                    << "\n";
            } catch (const gridgov::Error& e) {
                out << " " << officer << " may not read it in clear: " << e.what() << "\n";
            }
        }
    }
    heading(out, "Record findings on " + date.to_string() + " (kept as written, never fixed)");
    Table findings({{"rule", Align::left}, {"where", Align::left}, {"message", Align::left}});
    for (const gridgov::Finding& f : records.validate(date))
        findings.row({f.rule, f.where, f.message});
    findings.print(out);
}

// 四实 collection quality (seed 001 篇7): the month's field check. The county's inspectors
// visit houses drawn with the audited draw (one per grid first) and report, for the people
// they find, whether each was collected correctly, with wrong information, not collected,
// or not de-registered; the rates per township and village are indicators schemes can
// read. The outcomes here follow a fixed pattern over the drawn houses.
void print_collection_check(std::ostream& out, const std::string& path, gridgov::Date date) {
    gridgov::Workspace ws = gridgov::Workspace::open(path);
    gridgov::WorkspaceRecords& records = ws.records();
    const gridgov::DrawRecord drawn = records.draw_check("house", gridgov::no_node, 100, 20260930);
    gridgov::CheckRound round;
    round.label = "2026-09 苇川县 四实督查";
    round.date = date;
    round.inspector = "县网格中心督导组";
    round.draw = drawn;
    const gridgov::RecordReader inspector = gridgov::RecordReader::system_read("四实督查");
    for (std::size_t i = 0; i < drawn.picks.size(); ++i) {
        const std::string& house = drawn.picks[i];
        bool first = true;
        for (const gridgov::Record& r : records.find(inspector, "house", house)) {
            if (r.kind != "resident")
                continue;
            gridgov::CheckOutcome outcome = gridgov::CheckOutcome::correct;
            std::string note;
            if (first && i % 7 == 3) {
                outcome = gridgov::CheckOutcome::wrong;
                note = "phone";
            } else if (first && i % 9 == 5) {
                outcome = gridgov::CheckOutcome::not_deregistered;
                note = "moved away";
            }
            round.findings.push_back({house, r.key, outcome, note, gridgov::no_node});
            first = false;
        }
        if (i % 5 == 2)
            round.findings.push_back({house, "", gridgov::CheckOutcome::not_collected,
                                      "租客 (未登记)", gridgov::no_node});
    }
    records.record_check(round);

    const gridgov::Hierarchy& h = ws.hierarchy().view();
    heading(out, "四实 collection quality, " + round.label + " (" +
                     std::to_string(drawn.picks.size()) + " houses drawn, seed " +
                     std::to_string(drawn.spec.seed) + ")");
    Table table({{"名称", Align::left},
                 {"houses", Align::right},
                 {"people", Align::right},
                 {"not collected", Align::right},
                 {"not de-registered", Align::right},
                 {"wrong", Align::right},
                 {"采集率", Align::right},
                 {"准确率", Align::right}});
    const auto rate = [](std::optional<double> v) {
        if (!v)
            return std::string("—");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f %%", *v);
        return std::string(buf);
    };
    for (const gridgov::CheckRates& r : records.check_rates(date, date)) {
        if (h.depth(r.node) > 2)
            continue;
        table.row({std::string(static_cast<std::size_t>(2 * h.depth(r.node)), ' ') + h.name(r.node),
                   std::to_string(r.sampled), std::to_string(r.checked()),
                   std::to_string(r.not_collected), std::to_string(r.not_deregistered),
                   std::to_string(r.wrong), rate(r.collection_rate()), rate(r.accuracy_rate())});
    }
    table.print(out);
}

void print_overlays(std::ostream& out, const gridgov::Workspace& ws) {
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    heading(out, "Overlays (多网合一): other networks mapped onto the same grids");
    const int grid_level = h.levels().index_of("grid");
    for (const gridgov::Overlay& overlay : ws.hierarchy().overlays()) {
        const gridgov::Hierarchy& units = overlay.units();
        std::string shape;
        for (std::size_t i = 0; i < units.levels().size(); ++i) {
            if (!shape.empty())
                shape += " → ";
            shape += std::to_string(units.nodes_at_level(static_cast<int>(i)).size()) + " " +
                     units.levels()[i].name_zh;
        }
        // What the overlay covers: the grids its units map to, inside the smallest part of
        // the county that holds all of them.
        std::set<gridgov::NodeId> covered;
        gridgov::NodeId scope = gridgov::no_node;
        for (gridgov::NodeId u : units.preorder()) {
            for (gridgov::NodeId g : overlay.grids_of(u)) {
                const gridgov::PreorderRange r = h.subtree(g);
                for (std::uint32_t p = r.begin; p < r.end; ++p) {
                    const gridgov::NodeId n = h.preorder()[p];
                    if (h.level(n) == grid_level)
                        covered.insert(n);
                }
                scope = scope == gridgov::no_node ? g : h.lowest_common_ancestor(scope, g);
            }
        }
        std::size_t in_scope = 0;
        if (scope != gridgov::no_node) {
            for (gridgov::NodeId g : h.nodes_at_level(grid_level))
                in_scope += h.is_ancestor(scope, g);
        }
        out << " " << overlay.name() << " (" << overlay.key() << "): " << shape << "\n";
        if (scope != gridgov::no_node) {
            out << "   covers " << covered.size() << " of the " << in_scope << " grids of "
                << h.name(scope) << " (" << h.code(scope) << ")\n";
        }
        for (const gridgov::Finding& f : overlay.coverage(h)) {
            const auto grid = h.find(f.where);
            out << "   " << f.rule << ": " << f.where << " " << (grid ? h.name(*grid) : "");
            if (grid) {
                std::string list;
                for (gridgov::NodeId u : overlay.units_of(*grid)) {
                    list += (list.empty() ? "" : ", ") + units.code(u);
                }
                if (!list.empty())
                    out << " (mapped by " << list << ")";
            }
            out << "\n";
        }
        out << "\n";
    }
}

// ---- the directory: who answers for each grid -------------------------------------------

// The sample county's grid system took effect on this day: the hierarchy is imported with
// it, so that the staffing checks can tell a post recorded before its grid existed.
const char* const grids_effective = "2023-09-01";
// The day the directory is asked about: the eve of National Day 2026.
const char* const demo_date = "2026-09-30";

// The files the demo reads from the data folder, in the order it imports them.
const char* const data_files[] = {"county.json",      "catalogue.json",  "people.csv",
                                  "units.csv",        "assignments.csv", "absences.csv",
                                  "departments.json", "records.json"};

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw gridgov::Error(gridgov::ErrorCode::not_found, "cannot read " + file.string());
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// "MM-DD" is enough inside one year's story.
std::string month_day(gridgov::Date d) {
    return d.to_string().substr(5);
}

// A grid's name inside its village: 青石村第一网格 → 第一网格; 青石镇中心小学 stays.
std::string short_grid_name(const gridgov::Hierarchy& h, gridgov::NodeId grid) {
    const std::string& name = h.name(grid);
    const std::string& village = h.name(h.parent(grid));
    return name.rfind(village, 0) == 0 && name.size() > village.size() ? name.substr(village.size())
                                                                       : name;
}

const gridgov::Absence& absence_by_id(const gridgov::Directory& dir, gridgov::AbsenceId id) {
    for (const gridgov::Absence& a : dir.absences()) {
        if (a.id == id)
            return a;
    }
    throw gridgov::Error(gridgov::ErrorCode::not_found, "no absence #" + std::to_string(id));
}

std::string absence_text(const gridgov::Absence& a) {
    std::string text = a.kind == gridgov::AbsenceKind::vacancy ? "post vacant" : "on leave";
    if (!a.reason.empty())
        text += " (" + a.reason + ")";
    if (a.period.to == gridgov::Date::max())
        return text + " since " + month_day(a.period.from);
    // Periods are half-open: the last day away is the day before `to`.
    const gridgov::Date last{a.period.to.days - 1};
    return text + " " + month_day(a.period.from) +
           (last == a.period.from ? "" : "–" + month_day(last));
}

// The walk of responsible(), briefly: every holder it met, absent or chosen; when nobody
// was found, the places it looked at.
std::string reasoning(const gridgov::Hierarchy& h, const gridgov::Directory& dir,
                      gridgov::NodeId grid, const gridgov::Responsibility& r) {
    std::string text;
    if (!r.found()) {
        std::string places;
        gridgov::NodeId at = gridgov::no_node;
        std::set<std::pair<gridgov::NodeId, gridgov::RoleId>> seen;
        for (const gridgov::ResolutionStep& s : r.steps) {
            if (!seen.insert({s.node, s.role}).second)
                continue;
            if (s.node == at) {
                places += "、";
            } else {
                places += (places.empty() ? "" : "; ") + h.name(s.node) + " ";
                at = s.node;
            }
            places += dir.role(s.role).label_zh;
        }
        return "nobody: no post A or B held at " + places;
    }
    for (const gridgov::ResolutionStep& s : r.steps) {
        if (s.person == gridgov::no_person)
            continue;
        if (!text.empty())
            text += " → ";
        if (s.node != grid)
            text += "up at " + h.name(s.node) + ": ";
        text += dir.role(s.role).label_zh + " " + gridgov::post_name(s.post) + " " +
                dir.person(s.person).name + " ";
        text += s.outcome == gridgov::StepOutcome::absent
                    ? absence_text(absence_by_id(dir, s.absence))
                    : "answers";
    }
    return text;
}

void print_responsible(std::ostream& out, const gridgov::Workspace& ws, gridgov::Date date) {
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    const gridgov::Directory& dir = ws.directory().view();
    heading(out, "Who answers for each grid on " + date.to_string() +
                     ": its information officer (信息员), post A or else post B");
    out << " phones and ID numbers masked, as in every listing unless revealed\n\n";
    Table table({{"村 / 网区 · 网格", Align::left},
                 {"code", Align::left},
                 {"responsible", Align::left},
                 {"岗位", Align::left},
                 {"post", Align::left},
                 {"phone", Align::left},
                 {"身份证号", Align::left}});
    std::vector<std::string> notes;
    const int township_level = h.levels().index_of("township");
    for (gridgov::NodeId t : h.nodes_at_level(township_level)) {
        for (gridgov::NodeId v : h.children(t)) {
            table.row(
                {h.name(v), h.code(v), h.children(v).empty() ? "(no grids)" : "", "", "", "", ""});
            for (gridgov::NodeId g : h.children(v)) {
                const gridgov::Responsibility r =
                    dir.responsible(h, g, gridgov::RoleFunction::information_officer, date);
                // A note says why whenever the plain answer (post A at the grid) did not hold.
                const bool plain = r.found() && r.node == g && r.post == gridgov::Post::a &&
                                   std::none_of(r.steps.begin(), r.steps.end(), [](const auto& s) {
                                       return s.outcome == gridgov::StepOutcome::absent;
                                   });
                std::string mark;
                if (!plain) {
                    notes.push_back(h.name(g) + ": " + reasoning(h, dir, g, r));
                    mark = " [" + std::to_string(notes.size()) + "]";
                }
                if (!r.found()) {
                    table.row(
                        {"  " + short_grid_name(h, g), h.code(g), "—", "", "—" + mark, "", ""});
                    continue;
                }
                const gridgov::Person& p = dir.person(r.person);
                table.row({"  " + short_grid_name(h, g), h.code(g), p.name,
                           dir.role(r.role).label_zh, gridgov::post_name(r.post) + mark,
                           gridgov::mask_phone(p.phone), gridgov::mask_id_number(p.id_number)});
            }
        }
    }
    table.print(out);
    out << "\n";
    for (std::size_t i = 0; i < notes.size(); ++i)
        out << " [" << i + 1 << "] " << notes[i] << "\n";
}

// The county joins two systems whose roles sit at the same levels (the township's 二级网格长
// and the county seat's 包扶县领导 are both village-level roles), and role cardinalities
// are checked per level: every net-area would lack a 二级网格长 and every village a
// 包扶县领导. The 五个一 checks still ask every grid for a leader and an officer by function.
gridgov::CompliancePolicy sample_county_compliance() {
    gridgov::CompliancePolicy policy;
    policy.cardinality = false;
    return policy;
}

void print_compliance(std::ostream& out, const gridgov::Workspace& ws, gridgov::Date date) {
    heading(out, "Staffing findings on " + date.to_string() + " (五个一同步, posts A and B)");
    const gridgov::CompliancePolicy policy = sample_county_compliance();
    out << " checks: 五个一同步 per grid, a post-A holder in every grid, post B not held by the\n"
           " post-A holder, post A on at most "
        << policy.max_primary_grids
        << " grid per person, posts within their node's lifetime;\n"
           " role cardinalities off (the county joins two systems, see examples/README.md)\n\n";
    Table table({{"rule", Align::left},
                 {"severity", Align::left},
                 {"where", Align::left},
                 {"message", Align::left}});
    for (const gridgov::Finding& f :
         ws.directory().view().compliance(ws.hierarchy().view(), date, policy))
        table.row({f.rule, gridgov::severity_name(f.severity), f.where, f.message});
    table.print(out);
}

void write_chart(std::ostream& out, const gridgov::Workspace& ws, gridgov::Date date,
                 const fs::path& file) {
    heading(out, "Responsibility chart (网格化图谱) on " + date.to_string());
    const std::string html = ws.directory().view().chart(
        ws.hierarchy().view(), date, gridgov::DocumentFormat::html, gridgov::Reveal::masked);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << html;
    if (!fs::is_regular_file(file) || fs::file_size(file) != html.size()) {
        throw gridgov::Error(gridgov::ErrorCode::storage, "cannot write " + file.string());
    }
    out << " wrote " << file.string() << " (" << (html.size() + 1023) / 1024
        << " KB): every grid's leader, supervisor and workers with their duties,\n"
           " phones masked; one self-contained page to open in a browser or print\n";
}

// ---- deadlines over the holidays ----------------------------------------------------------

std::string limit_text(const gridgov::TimeLimit& limit) {
    std::string unit = gridgov::time_unit_name(limit.unit);
    std::replace(unit.begin(), unit.end(), '_', ' ');
    if (limit.value == 1)
        unit.pop_back();
    return std::to_string(limit.value) + " " + unit;
}

std::string instant_text(gridgov::Instant t) {
    static const char* const weekdays[] = {"一", "二", "三", "四", "五", "六", "日"};
    const int minute = t.local_minute_of_day();
    char hhmm[16];
    std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", minute / 60, minute % 60);
    const gridgov::Date d = t.local_date();
    return d.to_string() + " 周" + weekdays[d.iso_weekday() - 1] + " " + hhmm;
}

// The days between start and deadline that a working-time limit passes over (rest days,
// grouped into runs with the holiday's name) and the make-up working days it counts.
std::pair<std::string, std::string> days_crossed(const gridgov::WorkingCalendar& calendar,
                                                 gridgov::Instant start,
                                                 gridgov::Instant deadline) {
    std::string off;
    std::string makeup;
    gridgov::Date run_from{};
    std::string run_name;
    int run_length = 0;
    const auto flush = [&](gridgov::Date last) {
        if (run_length == 0)
            return;
        off += (off.empty() ? "" : ", ") + month_day(run_from) +
               (run_length > 1 ? "–" + month_day(last) : "") + " " + run_name;
        run_length = 0;
    };
    gridgov::Date previous{};
    for (gridgov::Date d{start.local_date().days + 1}; d <= deadline.local_date();
         d = gridgov::Date{d.days + 1}) {
        const gridgov::DayInfo info = calendar.day(d);
        if (info.type == gridgov::DayType::makeup_workday) {
            makeup += (makeup.empty() ? "" : ", ") + month_day(d) + " " + info.name;
        }
        const std::string name = info.name.empty() ? "weekend" : info.name;
        if (info.working || name != run_name) {
            flush(previous);
        }
        if (!info.working) {
            if (run_length == 0) {
                run_from = d;
                run_name = name;
            }
            ++run_length;
        }
        previous = d;
    }
    flush(previous);
    return {off.empty() ? "—" : off, makeup.empty() ? "—" : makeup};
}

void print_deadlines(std::ostream& out) {
    heading(out,
            "Deadlines over the holidays (工作日历): matters reported on the eve of a holiday");
    const gridgov::WorkingCalendar calendar;
    const gridgov::CategoryCatalogue categories = gridgov::CategoryCatalogue::preset("combined");
    out << " working hours " << calendar.schedule().standard().to_string()
        << "; a working day counts 7 working hours (rule day_length);\n"
           " limits are those of the category presets for the handling stage\n\n";
    Table table({{"reported", Align::left},
                 {"matter", Align::left},
                 {"limit", Align::left},
                 {"deadline", Align::left},
                 {"days off passed over", Align::left},
                 {"make-up days worked", Align::left}});
    for (const char* start_text : {"2026-09-30T16:30", "2026-02-13T16:00"}) {
        const gridgov::Instant start = gridgov::Instant::parse(start_text);
        for (const char* code : {"E0401", "E0102", "G0302"}) {
            const gridgov::Category& category = categories.at(code);
            const gridgov::TimeLimit limit = category.limit_for("handle", "")->limit;
            const gridgov::Instant deadline = calendar.deadline(start, limit);
            const auto [off, makeup] =
                limit.counts_working_time()
                    ? days_crossed(calendar, start, deadline)
                    : std::pair<std::string, std::string>{"(natural time)", ""};
            table.row({instant_text(start), std::string(code) + " " + category.name_zh,
                       limit_text(limit), instant_text(deadline), off, makeup});
        }
    }
    table.print(out);
}

// ---- a year of matters ----------------------------------------------------------------------

const char* const year_files[] = {"matters.csv", "staff_people.csv", "staff_assignments.csv"};

// One row of the board: a village or net-area.
struct BoardRow {
    std::size_t green = 0, yellow = 0, red = 0, overdue = 0;
    std::size_t on_time = 0, late = 0, voided = 0;
    std::size_t returns = 0, extensions = 0, suspensions = 0, rework = 0, escalations = 0;
    std::size_t unsatisfied = 0, cases = 0;
};

std::string n(std::size_t v) {
    return v == 0 ? "·" : std::to_string(v);
}

std::string percent(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%",
                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return buf;
}

// A plain SQLite statement on a copy of the workspace: what someone with the file and the
// sqlite3 tool could do.
void sql(sqlite3* db, const std::string& text) {
    char* error = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error != nullptr ? error : "unknown error";
        sqlite3_free(error);
        throw gridgov::Error(gridgov::ErrorCode::storage, "sqlite3: " + message + ": " + text);
    }
}

std::int64_t sql_integer(sqlite3* db, const std::string& text) {
    sqlite3_stmt* st = nullptr;
    std::int64_t v = 0;
    if (sqlite3_prepare_v2(db, text.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

void print_year(std::ostream& out, const std::string& workspace, const fs::path& data,
                const fs::path& year) {
    heading(out, "A year of matters: 2026 through the six-step and seven-step loops");
    const auto started = std::chrono::steady_clock::now();
    gridgov::PlanRunReport run;
    std::size_t matters = 0;
    std::size_t steps = 0;
    {
        gridgov::Workspace ws = gridgov::Workspace::open(workspace);
        // The workflows' posts (service centre, command centre, hotline, supervisors) join
        // the county's own roles; the departments come from the county's data.
        ws.directory().set_catalogue(gridgov::merge_catalogues(
            ws.directory().view().catalogue(), gridgov::workflow_roles_catalogue()));
        for (const char* file : {"staff_people.csv", "staff_assignments.csv"})
            ws.directory().import_file((year / file).string());
        ws.cases().set_departments(gridgov::DepartmentCatalogue::from_json(
            read_text(data / "departments.json"), (data / "departments.json").string()));
        const std::vector<gridgov::MatterPlan> plans =
            gridgov::read_matter_plans((year / "matters.csv").string(), ws.hierarchy().view());
        matters = plans.size();
        for (const gridgov::MatterPlan& p : plans)
            steps += 1 + p.steps.size();
        gridgov::PlanRunOptions options;
        options.batch_size = 5000;
        options.tick_until = gridgov::Instant::parse("2027-01-01T00:00");
        run = gridgov::run_plans(ws.cases(), plans, options);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", seconds);
    out << " plans     " << (year / "matters.csv").string() << ": " << matters << " matters, "
        << steps << " steps (reports included)\n"
        << " ran       " << run.cases_reported << " cases reported, " << run.steps_accepted
        << " steps accepted, refused steps: " << run.steps_refused << "; " << run.ticks
        << " ticks up to 2027-01-01 recorded " << run.breaches << " breaches (" << run.escalations
        << " escalated); " << run.batches_committed << " transactions, " << took << "\n";
    for (const gridgov::Finding& f : run.findings)
        out << "   " << f.rule << " " << f.where << ": " << f.message << "\n";

    // Everything below reads the file back.
    const gridgov::Workspace ws = gridgov::Workspace::open(workspace);
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    const gridgov::CaseEngine& cases = ws.cases();
    const gridgov::Instant at = gridgov::Instant::parse("2027-01-01T00:00");
    std::map<gridgov::NodeId, BoardRow> board;
    struct Profile {
        std::size_t cases = 0, closed = 0, on_time = 0, open = 0, voided = 0, breached = 0;
        std::size_t returns = 0, extensions = 0, rework = 0, escalated = 0, unsatisfied = 0;
    };
    std::map<std::string, Profile> profiles;
    for (gridgov::CaseId id = 0; id < cases.size(); ++id) {
        const gridgov::CaseRecord r = cases.get(id);
        gridgov::NodeId village = r.node;
        for (gridgov::NodeId up : h.path_to_root(r.node)) {
            if (h.depth(up) == 2)
                village = up;
        }
        BoardRow& b = board[village];
        Profile& p = profiles[r.workflow];
        ++b.cases;
        ++p.cases;
        const bool unsatisfied =
            r.counter("reopened") > 0 ||
            (r.rating && r.rating->level == gridgov::Satisfaction::unsatisfied);
        switch (r.kind) {
            case gridgov::StateKind::pending:
            case gridgov::StateKind::open:
                ++p.open;
                if (const auto status = cases.clock_status(id, at)) {
                    switch (status->light) {
                        case gridgov::Light::green:
                            ++b.green;
                            break;
                        case gridgov::Light::yellow:
                            ++b.yellow;
                            break;
                        case gridgov::Light::red:
                            ++b.red;
                            break;
                    }
                    if (status->overdue)
                        ++b.overdue;
                } else {
                    ++b.green;  // suspended: no clock counts
                }
                break;
            case gridgov::StateKind::closed:
                ++p.closed;
                if (r.breached) {
                    ++b.late;
                } else {
                    ++b.on_time;
                    ++p.on_time;
                }
                break;
            case gridgov::StateKind::voided:
                ++b.voided;
                ++p.voided;
                break;
        }
        std::size_t suspensions = 0;
        for (const gridgov::CaseEvent& e : cases.events(id)) {
            if (e.kind == gridgov::EventKind::command && e.command == gridgov::Command::suspend)
                ++suspensions;
        }
        b.returns += static_cast<std::size_t>(r.counter("returns"));
        b.extensions += static_cast<std::size_t>(r.counter("extensions"));
        b.suspensions += suspensions;
        b.rework += static_cast<std::size_t>(r.counter("rework"));
        b.escalations += static_cast<std::size_t>(r.tier);
        b.unsatisfied += unsatisfied ? 1 : 0;
        p.breached += r.breached ? 1 : 0;
        p.returns += static_cast<std::size_t>(r.counter("returns"));
        p.extensions += static_cast<std::size_t>(r.counter("extensions"));
        p.rework += static_cast<std::size_t>(r.counter("rework"));
        p.escalated += r.tier > 0 ? 1 : 0;
        p.unsatisfied += unsatisfied ? 1 : 0;
    }

    out << "\n traffic-light board per village and net-area on 2027-01-01 00:00: open cases by\n"
           " the light of their running clock (green < 80 % of the limit used, yellow < 100 %,\n"
           " red at or past it), overdue among them, closed on time or late (a clock ran out),\n"
           " and the year's returns, extensions granted, suspensions, rework, escalations\n"
           " (tiers climbed, by hand or by a breach) and cases rated unsatisfied\n\n";
    Table table({{"village / net-area", Align::left},
                 {"cases", Align::right},
                 {"open 绿", Align::right},
                 {"黄", Align::right},
                 {"红", Align::right},
                 {"overdue", Align::right},
                 {"closed on time", Align::right},
                 {"late", Align::right},
                 {"returns", Align::right},
                 {"ext.", Align::right},
                 {"susp.", Align::right},
                 {"rework", Align::right},
                 {"escal.", Align::right},
                 {"unsatisfied", Align::right}});
    BoardRow total;
    for (const auto& [village, b] : board) {
        const gridgov::NodeId town = h.parent(village);
        table.row(
            {(town != gridgov::no_node ? h.name(town) + " " : std::string()) + h.name(village),
             n(b.cases), n(b.green), n(b.yellow), n(b.red), n(b.overdue), n(b.on_time), n(b.late),
             n(b.returns), n(b.extensions), n(b.suspensions), n(b.rework), n(b.escalations),
             n(b.unsatisfied)});
        total.cases += b.cases;
        total.green += b.green;
        total.yellow += b.yellow;
        total.red += b.red;
        total.overdue += b.overdue;
        total.on_time += b.on_time;
        total.late += b.late;
        total.returns += b.returns;
        total.extensions += b.extensions;
        total.suspensions += b.suspensions;
        total.rework += b.rework;
        total.escalations += b.escalations;
        total.unsatisfied += b.unsatisfied;
    }
    table.row({"苇川县 total", n(total.cases), n(total.green), n(total.yellow), n(total.red),
               n(total.overdue), n(total.on_time), n(total.late), n(total.returns),
               n(total.extensions), n(total.suspensions), n(total.rework), n(total.escalations),
               n(total.unsatisfied)});
    table.print(out);

    out << "\n per workflow\n\n";
    Table per({{"workflow", Align::left},
               {"cases", Align::right},
               {"closed", Align::right},
               {"on time", Align::right},
               {"open", Align::right},
               {"voided", Align::right},
               {"breached", Align::right},
               {"returned", Align::right},
               {"extended", Align::right},
               {"reworked", Align::right},
               {"escalated", Align::right},
               {"unsatisfied", Align::right}});
    for (const auto& [key, p] : profiles) {
        per.row({key + " " + cases.workflows().latest(key).name_zh, n(p.cases), n(p.closed),
                 percent(p.on_time, p.closed), n(p.open), n(p.voided), n(p.breached), n(p.returns),
                 n(p.extensions), n(p.rework), n(p.escalated), n(p.unsatisfied)});
    }
    per.print(out);

    // The log: every event chained to the one before; then a copy edited behind the
    // library's back.
    const gridgov::LogVerification v = cases.verify_log();
    const gridgov::LogAnchor head = cases.head();
    out << "\n verify_log: " << (v.ok ? "ok" : "FAILED") << ", " << v.events_checked
        << " events checked, head event " << head.sequence << " hash "
        << gridgov::hash_hex(head.hash) << (v.ok ? "" : " — " + v.message) << "\n";

    const fs::path file = workspace;
    const fs::path copy = file.parent_path() / (file.stem().string() + "-edited.gridgov");
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(copy.string() + suffix);
    sqlite3* db = nullptr;
    if (sqlite3_open(file.string().c_str(), &db) != SQLITE_OK) {
        sqlite3_close(db);
        throw gridgov::Error(gridgov::ErrorCode::storage, "sqlite3 cannot open " + file.string());
    }
    std::int64_t edited = 0;
    try {
        sql(db, "VACUUM INTO '" + copy.string() + "'");
        sqlite3_close(db);
        db = nullptr;
        if (sqlite3_open(copy.string().c_str(), &db) != SQLITE_OK)
            throw gridgov::Error(gridgov::ErrorCode::storage, "sqlite3 cannot open the copy");
        // A rating quietly back-dated by a day (15 is the code of the rate command,
        // docs/cases.md "Stored events").
        edited = sql_integer(db, "SELECT min(seq) FROM case_events WHERE type = 15");
        sql(db, "UPDATE case_events SET at = at - 86400 WHERE seq = " + std::to_string(edited));
        sqlite3_close(db);
        db = nullptr;
    } catch (...) {
        sqlite3_close(db);
        throw;
    }
    const gridgov::Workspace tampered = gridgov::Workspace::open(copy.string());
    const gridgov::LogVerification t = tampered.cases().verify_log(&head);
    out << " copied the workspace to " << copy.string() << " and changed, with sqlite3, the\n"
        << " instant of event " << edited << " (a rating, back-dated by a day)\n"
        << " verify_log on the copy: " << (t.ok ? "ok (NOT caught)" : "caught") << ", "
        << gridgov::log_problem_name(t.problem) << " at event " << t.sequence << " of case "
        << t.case_number << ": " << t.message << "\n";
}

// ---- running it ---------------------------------------------------------------------------

struct Imported {
    gridgov::ImportReport hierarchy;
    std::string catalogue;
    std::vector<std::pair<std::string, std::string>> directory;  // file, what it added
    std::string departments;
    std::string records;
};

// Builds the workspace from the data folder; the caller removes it if this throws.
Imported build_workspace(const std::string& path, const fs::path& data) {
    Imported out;
    gridgov::Workspace ws = gridgov::Workspace::open(path);
    out.hierarchy =
        ws.hierarchy().import_file((data / "county.json").string(), gridgov::FileFormat::automatic,
                                   gridgov::Date::parse(grids_effective));
    const gridgov::Catalogue catalogue = gridgov::Catalogue::from_json(
        read_text(data / "catalogue.json"), (data / "catalogue.json").string());
    ws.directory().set_catalogue(catalogue);
    out.catalogue = catalogue.key + ", " + std::to_string(catalogue.duties.size()) + " duties, " +
                    std::to_string(catalogue.roles.size()) + " roles";
    for (const char* file : {"people.csv", "units.csv", "assignments.csv", "absences.csv"}) {
        const gridgov::DirectoryImportReport r = ws.directory().import_file((data / file).string());
        const auto added = [](std::size_t n, const char* what) {
            return n > 0 ? std::to_string(n) + " " + what : std::string();
        };
        out.directory.emplace_back(
            file, added(r.people_added, "people") + added(r.units_added, "units") +
                      added(r.assignments_added, "posts") + added(r.absences_added, "absences"));
    }
    // The departments belong to the case workflows; checked here against the directory.
    const gridgov::DepartmentCatalogue departments = gridgov::DepartmentCatalogue::from_json(
        read_text(data / "departments.json"), (data / "departments.json").string());
    const std::vector<gridgov::Finding> problems =
        departments.validate(ws.hierarchy().view(), &ws.directory().view());
    out.departments = std::to_string(departments.departments.size()) + " departments, " +
                      (problems.empty() ? "every member in the directory"
                                        : std::to_string(problems.size()) + " findings");
    const gridgov::RecordImportReport records =
        ws.records().import_file((data / "records.json").string());
    out.records = std::to_string(records.added) + " records, " +
                  std::to_string(records.findings.size()) + " findings";
    return out;
}

// The closing summary: what the main job made, in one table.
void print_summary(std::ostream& out, const demo::AssessmentYear& a) {
    heading(out, "Summary");
    Table table({{"the year of the sample county", Align::left}, {"", Align::right}});
    table.row({"cases in the year", std::to_string(a.cases)});
    table.row({"events in the hash-chained log", std::to_string(a.events)});
    table.row({"event log verified", a.log_ok ? "yes, head " + a.head_hash.substr(0, 16) : "NO"});
    table.row({"activity records", std::to_string(a.activity_records)});
    table.row({"scores stored (12 months × 3 schemes)", std::to_string(a.scores)});
    table.row({"rule flags", std::to_string(a.flags)});
    table.row({"inspection draws recorded", std::to_string(a.draws)});
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", a.seconds);
    table.row({"assessment, draws and report took", took});
    table.print(out);
}

int run(const Options& options) {
    std::ostream& out = std::cout;
    // A wrong data folder is reported before anything is created or removed.
    const fs::path data = options.data;
    for (const char* file : data_files) {
        if (!fs::is_regular_file(data / file)) {
            throw gridgov::Error(gridgov::ErrorCode::not_found,
                                 "no " + (data / file).string() +
                                     ": --data names the folder of the sample county "
                                     "(examples/data)");
        }
    }
    out << "gridgov " << gridgov::version()
        << ": grid-based community governance (网格化服务管理)\n"
           "An area is a hierarchy of grids kept in one SQLite workspace file. This demo loads\n"
           "the fictional county 苇川县 and shows what validation finds in it, households and\n"
           "population summed up the hierarchy, the grids' base records (residents, houses,\n"
           "shops) with their findings, the specialised networks laid over it, who answers\n"
           "for every grid, and deadlines that run over the holidays.\n";

    // A fresh workspace every run; SQLite's write-ahead log files go with it.
    const auto remove_workspace = [&] {
        for (const char* suffix : {"", "-wal", "-shm"})
            fs::remove(options.workspace + suffix);
    };
    remove_workspace();
    Imported imported;
    try {
        imported = build_workspace(options.workspace, data);
    } catch (...) {
        remove_workspace();
        throw;
    }
    const std::string indent = "\n           ";
    out << "\n workspace " << options.workspace << " (SQLite, schema "
        << gridgov::Workspace::schema_version() << ")\n imported  "
        << (data / "county.json").string() << ": " << imported.hierarchy.nodes_added << " nodes, "
        << imported.hierarchy.overlays_added << " overlays with "
        << imported.hierarchy.overlay_units_added << " units, in effect from " << grids_effective
        << indent << "catalogue.json: " << imported.catalogue << indent;
    for (const auto& [file, added] : imported.directory)
        out << (file == imported.directory.front().first ? "" : "; ") << file << ": " << added;
    out << indent << "departments.json: " << imported.departments << indent
        << "records.json: " << imported.records << "\n";

    // Everything below reads the file back: the workspace is the data, not the process.
    const gridgov::Workspace ws = gridgov::Workspace::open(options.workspace);
    const gridgov::Hierarchy& h = ws.hierarchy().view();
    print_levels(out, h);
    const gridgov::ValidationPolicy policy = sample_county_policy();
    print_findings(out, ws.hierarchy().validate(policy), policy);
    print_roll_ups(out, h);
    const gridgov::Date date = gridgov::Date::parse(demo_date);
    print_records(out, ws, date);
    print_collection_check(out, options.workspace, date);
    print_overlays(out, ws);
    print_responsible(out, ws, date);
    print_compliance(out, ws, date);
    const fs::path workspace_file = options.workspace;
    write_chart(out, ws, date,
                workspace_file.parent_path() / (workspace_file.stem().string() + "-chart.html"));
    print_deadlines(out);
    if (!options.year.empty()) {
        const fs::path year = options.year;
        for (const char* file : year_files) {
            if (!fs::is_regular_file(year / file)) {
                throw gridgov::Error(gridgov::ErrorCode::not_found,
                                     "no " + (year / file).string() +
                                         ": --year names the folder examples/make_sample_year.py "
                                         "wrote");
            }
        }
        print_year(out, options.workspace, data, year);
        heading(out, "Assessment: every month of 2026, inspection draws, report.html");
        const demo::AssessmentYear a = demo::assess_year(
            out, options.workspace, year, workspace_file.parent_path() / "report.html");
        print_summary(out, a);
    } else {
        out << "\n(A year of matters: run examples/make_sample_year.py DIR, then gridgov_demo "
               "--year DIR.)\n";
    }
    out << "\nNext: docs/tutorial.md walks through this output and does the same from Python and "
           "C.\n";
    return 0;
}

int usage(std::ostream& out, int status) {
    out << "usage: gridgov_demo [WORKSPACE] [--data DIR] [--year DIR]\n"
           "  WORKSPACE  workspace file to (re)create, default gridgov-demo.gridgov; the chart\n"
           "             is written beside it as WORKSPACE-chart.html\n"
           "  --data DIR folder holding the sample county (county.json, people.csv, ...),\n"
           "             default " GRIDGOV_EXAMPLES_DATA
           "\n"
           "  --year DIR folder written by examples/make_sample_year.py: runs its year of\n"
           "             matters in the workspace, prints the board and checks the log\n";
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    bool workspace_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help")
            return usage(std::cout, 0);
        if (arg == "--data" && i + 1 < argc) {
            options.data = argv[++i];
        } else if (arg == "--year" && i + 1 < argc) {
            options.year = argv[++i];
        } else if (!arg.empty() && arg[0] != '-' && !workspace_given) {
            options.workspace = arg;
            workspace_given = true;
        } else {
            return usage(std::cerr, 2);
        }
    }
    try {
        return run(options);
    } catch (const gridgov::Error& e) {
        std::cerr << "gridgov_demo: " << e.what() << " (" << gridgov::error_code_name(e.code())
                  << ")\n";
        return 1;
    } catch (const fs::filesystem_error& e) {
        std::cerr << "gridgov_demo: " << e.what() << "\n";
        return 1;
    }
}
