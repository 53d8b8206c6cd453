// A vendor's program on gridgov's C++ API, built against an installed gridgov with
// find_package(gridgov): the back end of a township's grid dashboard.
//
//   gridgov_vendor <workspace> <township code> <as of, ISO 8601> <out.json>
//
// Opens an existing workspace read-only and, for one township on one instant:
//   - lists its grids, village by village, with the people who hold posts there
//     (post A before post B, phones masked, absences marked) and the grid leader who
//     answers for the grid (found by walking up when the grid has none of its own);
//   - lists its open cases with their state, department, the deadline of the stage they
//     are in and its traffic light (红黄绿灯) at that instant;
//   - writes the same as a small JSON document for the dashboard's web page.
// Exits 0 on success, 1 with the library's message on stderr otherwise.
#include <gridgov/cases.hpp>
#include <gridgov/workspace.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace gridgov;

// ---- a small JSON writer: strings escaped, nothing else needed -------------------------

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string field(const char* name, const std::string& value) {
    return quoted(name) + ": " + quoted(value);
}

std::string field(const char* name, double value) {
    if (std::isnan(value))
        return quoted(name) + ": null";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return quoted(name) + ": " + buffer;
}

std::string field(const char* name, bool value) {
    return quoted(name) + ": " + (value ? "true" : "false");
}

// "2026-03-03 15:00" from an instant (China Standard Time).
std::string minutes(Instant t) {
    return t.to_string().substr(0, 16).replace(10, 1, " ");
}

// ---- the dashboard ---------------------------------------------------------------------

struct Holder {
    std::string person, name, role, role_zh, post, phone;
    bool absent = false;
};

std::vector<Holder> holders(const Directory& dir, NodeId node, Date date) {
    std::vector<Holder> out;
    for (const RosterEntry& e : dir.roster(node, date)) {
        const Person& p = dir.person(e.person);
        const RoleType& r = dir.role(e.role);
        out.push_back({p.id, p.name, r.code, r.label_zh, post_name(e.post), mask_phone(p.phone),
                       e.absence != 0});
    }
    return out;
}

std::string holder_json(const Holder& h) {
    return "{" + field("person", h.person) + ", " + field("name", h.name) + ", " +
           field("role", h.role) + ", " + field("role_zh", h.role_zh) + ", " +
           field("post", h.post) + ", " + field("phone", h.phone) + ", " +
           field("absent", h.absent) + "}";
}

int run(const std::string& path, const std::string& township_code, const std::string& as_of,
        const std::string& out_path) {
    OpenOptions options;
    options.create = false;
    options.read_only = true;
    const Workspace ws = Workspace::open(path, options);
    const Hierarchy& h = ws.hierarchy().view();
    const Directory& dir = ws.directory().view();
    const CaseEngine& cases = ws.cases();
    const Instant now = Instant::parse(as_of);
    const Date today = now.local_date();
    const NodeId township = h.at(township_code);

    std::cout << township_code << ' ' << h.name(township) << " on " << minutes(now) << '\n';

    // Grids, village by village.
    std::string grids_json;
    std::size_t grid_count = 0;
    std::cout << "\ngrids and who answers for them (phones masked):\n";
    for (const NodeId village : h.children(township)) {
        std::cout << "  " << h.code(village) << ' ' << h.name(village) << '\n';
        for (const NodeId grid : h.children(village)) {
            ++grid_count;
            const Responsibility leader =
                dir.responsible(h, grid, RoleFunction::grid_leader, today);
            std::string leader_text = "-";
            std::string leader_json = "null";
            if (leader.found()) {
                const Person& p = dir.person(leader.person);
                leader_text = p.name + " (" + dir.role(leader.role).label_zh + ", " +
                              h.name(leader.node) + ")";
                leader_json = "{" + field("person", p.id) + ", " + field("name", p.name) + ", " +
                              field("role", dir.role(leader.role).code) + ", " +
                              field("node", h.code(leader.node)) + "}";
            }
            const double households = h.value(grid, "households");
            std::cout << "    " << h.code(grid) << ' ' << h.name(grid) << "  "
                      << (std::isnan(households) ? std::string("?")
                                                 : std::to_string(static_cast<long>(households)))
                      << " households, leader " << leader_text << '\n';
            std::string people_json;
            for (const Holder& x : holders(dir, grid, today)) {
                std::cout << "      " << x.post << ' ' << x.role_zh << ' ' << x.name << ' '
                          << x.phone << (x.absent ? "  (absent)" : "") << '\n';
                people_json += (people_json.empty() ? "" : ", ") + holder_json(x);
            }
            if (!grids_json.empty())
                grids_json += ",\n";
            grids_json += "    {" + field("code", h.code(grid)) + ", " +
                          field("name", h.name(grid)) + ", " + field("village", h.code(village)) +
                          ", " + field("households", households) + ", \"leader\": " + leader_json +
                          ", \"people\": [" + people_json + "]}";
        }
    }

    // Open cases with their clocks.
    CaseFilter filter;
    filter.subtree = township;
    filter.kind = StateKind::open;
    const std::vector<CaseId> open = cases.select(filter);
    std::string cases_json;
    std::cout << "\nopen cases: " << open.size() << '\n';
    for (const CaseId id : open) {
        const CaseRecord r = cases.get(id);
        const Category* category = cases.categories().find(r.category);
        const Department* department = cases.departments().find(r.department);
        const std::optional<ClockStatus> clock = cases.clock_status(id, now);
        const std::string deadline = clock ? minutes(clock->deadline) : "-";
        const std::string light = clock ? light_name(clock->light) : "-";
        std::cout << "  " << r.number << ' ' << r.category << ' '
                  << (category != nullptr ? category->name_zh : "") << " at " << h.code(r.node)
                  << ' ' << h.name(r.node) << ": " << r.state << ", "
                  << (department != nullptr ? department->name_zh : "no department")
                  << ", deadline " << deadline << ", light " << light
                  << (clock && clock->overdue ? " (overdue)" : "") << '\n';
        if (!cases_json.empty())
            cases_json += ",\n";
        cases_json += "    {" + field("number", r.number) + ", " + field("category", r.category) +
                      ", " + field("category_zh", category != nullptr ? category->name_zh : "") +
                      ", " + field("node", h.code(r.node)) + ", " +
                      field("node_name", h.name(r.node)) + ", " + field("state", r.state) + ", " +
                      field("department", r.department) + ", " +
                      (clock ? field("deadline", clock->deadline.to_string())
                             : std::string("\"deadline\": null")) +
                      ", " + (clock ? field("light", light) : std::string("\"light\": null")) +
                      ", " + field("overdue", clock && clock->overdue) + "}";
    }

    std::ofstream out(out_path, std::ios::binary);
    out << "{\n  " << field("township", township_code) << ",\n  " << field("name", h.name(township))
        << ",\n  " << field("as_of", now.to_string()) << ",\n  \"grids\": [\n"
        << grids_json << "\n  ],\n  \"open_cases\": [\n"
        << cases_json << "\n  ]\n}\n";
    out.close();
    if (!out) {
        std::cerr << "gridgov_vendor: cannot write " << out_path << '\n';
        return 1;
    }
    std::cout << "\nwrote " << out_path << ": " << grid_count << " grids, " << open.size()
              << (open.size() == 1 ? " open case\n" : " open cases\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: gridgov_vendor <workspace> <township code> <as of> <out.json>\n";
        return 2;
    }
    try {
        return run(argv[1], argv[2], argv[3], argv[4]);
    } catch (const gridgov::Error& e) {
        std::cerr << "gridgov_vendor: " << e.what() << '\n';
        return 1;
    }
}
