// gridgov_demo: the first program to run. It loads a fictional county into a new
// workspace file and shows in one screen what gridgov does with it: the hierarchy of
// grids, the data problems validation finds, households and population rolled up the
// hierarchy, and the specialised networks (overlays) laid over the same ground.
//
//   gridgov_demo [WORKSPACE] [--data DIR]
//
// WORKSPACE defaults to gridgov-demo.gridgov in the current directory and is recreated on
// every run; DIR defaults to the examples/data folder of the source tree.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"

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

void print_overlays(std::ostream& out, const gridgov::Workspace& ws) {
    const gridgov::Hierarchy& h = ws.hierarchy();
    heading(out, "Overlays (多网合一): other networks mapped onto the same grids");
    const int grid_level = h.levels().index_of("grid");
    for (const gridgov::Overlay& overlay : ws.overlays()) {
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

int run(const Options& options) {
    std::ostream& out = std::cout;
    out << "gridgov " << gridgov::version()
        << ": grid-based community governance (网格化服务管理)\n"
           "An area is a hierarchy of grids kept in one SQLite workspace file. This demo loads\n"
           "the fictional county 苇川县 and shows what validation finds in it, households and\n"
           "population summed up the hierarchy, and the specialised networks laid over it.\n";

    // A fresh workspace every run; SQLite's write-ahead log files go with it.
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(options.workspace + suffix);
    const std::string source = (fs::path(options.data) / "county.json").string();
    {
        gridgov::Workspace ws = gridgov::Workspace::open(options.workspace);
        const gridgov::ImportReport report = ws.import_hierarchy(source);
        out << "\n workspace " << ws.path() << " (SQLite, schema " << ws.schema_version()
            << ")\n imported  " << source << ": " << report.nodes_added << " nodes, "
            << report.overlays_added << " overlays with " << report.overlay_units_added
            << " units\n";
    }

    // Everything below reads the file back: the workspace is the data, not the process.
    const gridgov::Workspace ws = gridgov::Workspace::open(options.workspace);
    const gridgov::Hierarchy& h = ws.hierarchy();
    print_levels(out, h);
    const gridgov::ValidationPolicy policy = sample_county_policy();
    print_findings(out, ws.validate(policy), policy);
    print_roll_ups(out, h);
    print_overlays(out, ws);
    out << "Next: docs/tutorial.md walks through this output and does the same from Python and "
           "C.\n";
    return 0;
}

int usage(std::ostream& out, int status) {
    out << "usage: gridgov_demo [WORKSPACE] [--data DIR]\n"
           "  WORKSPACE  workspace file to (re)create, default gridgov-demo.gridgov\n"
           "  --data DIR folder holding county.json, default " GRIDGOV_EXAMPLES_DATA "\n";
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
