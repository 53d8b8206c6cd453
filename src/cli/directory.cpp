// The directory subcommands of the gridgov tool (docs/cli.md): who is responsible for a duty
// or role at a node or an overlay unit on a date, with the steps of the walk, and the posts
// held there (docs/directory.md). Places are node codes or overlay units as "market:D01".
// Phones are masked unless --reveal.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/workspace.hpp"

namespace gridgov::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string date_text(Date d) {
    return d <= Date::min() || d >= Date::max() ? std::string() : d.to_string();
}

}  // namespace

int run_directory_who(const Global& g, const DirectoryWhoOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Date on = date_or_today(o.on, "--on");
    const Networks net = ws.hierarchy().networks();
    const Directory& d = ws.directory().view();
    const Responsibility r = d.responsible(net, net.place(o.place), o.code, on);
    if (g.json) {
        print_json(Json::parse(d.explain(net, r)));
        return exit_ok;
    }
    const auto place = [&](RoleId role, NodeId node) { return net.code(d.place_of(role, node)); };
    std::vector<std::vector<std::string>> rows;
    for (const ResolutionStep& s : r.steps) {
        rows.push_back({place(s.role, s.node), d.role(s.role).code, post_name(s.post),
                        s.person == no_person ? "" : d.person(s.person).id,
                        step_outcome_name(s.outcome)});
    }
    print_table({"node", "role", "post", "person", "outcome"}, rows);
    if (r.found()) {
        const Person& p = d.person(r.person);
        std::cout << p.id << " (" << p.name << "), " << d.role(r.role).label_zh << " post "
                  << post_name(r.post) << " at " << place(r.role, r.node) << '\n';
    } else {
        std::cout << "nobody is responsible for " << o.code << " at " << o.place << " on "
                  << on.to_string() << '\n';
    }
    return exit_ok;
}

int run_directory_roster(const Global& g, const DirectoryRosterOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Date on = date_or_today(o.on, "--on");
    const Networks net = ws.hierarchy().networks();
    const Directory& d = ws.directory().view();
    const std::vector<RosterEntry> entries = d.roster(net.place(o.place), on);
    Json j = Json::array();
    std::vector<std::vector<std::string>> rows;
    for (const RosterEntry& e : entries) {
        const Person& p = d.person(e.person);
        const RoleType& role = d.role(e.role);
        const std::string phone = g.reveal ? p.phone : mask_phone(p.phone);
        j.push_back({{"assignment", e.assignment},
                     {"person", p.id},
                     {"name", p.name},
                     {"phone", phone},
                     {"role", role.code},
                     {"role_zh", role.label_zh},
                     {"node", net.code(d.place_of(e))},
                     {"post", post_name(e.post)},
                     {"from", date_text(e.period.from)},
                     {"to", date_text(e.period.to)},
                     {"absent", e.absence != 0}});
        rows.push_back({p.id, p.name, phone, role.label_zh, post_name(e.post),
                        date_text(e.period.from), e.absence != 0 ? "absent" : ""});
    }
    if (g.json)
        print_json(j);
    else
        print_table({"person", "name", "phone", "role", "post", "from", "absent"}, rows);
    return exit_ok;
}

}  // namespace gridgov::cli
