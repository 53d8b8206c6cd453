// Exports: the responsibility chart (网格化图谱) as JSON, CSV and HTML, Casbin grouping
// lines, and the directory's tables as JSON and CSV. Phones and ID numbers are masked
// unless the caller passes Reveal::revealed.
#include "directory/directory_impl.hpp"
#include "directory/text_io.hpp"
#include "io/csv.hpp"

namespace gridgov {
namespace {

using detail::Json;

std::string phone_text(const Person& p, Reveal reveal) {
    return reveal == Reveal::revealed ? p.phone : mask_phone(p.phone);
}

std::string id_number_text(const Person& p, Reveal reveal) {
    return reveal == Reveal::revealed ? p.id_number : mask_id_number(p.id_number);
}

std::string node_code(const Hierarchy& h, NodeId n) {
    if (n < h.id_count())
        return h.code(n);
    throw Error(ErrorCode::not_found,
                "node #" + std::to_string(n) + " is not in the hierarchy given to the export");
}

/// An assignment's node in the network of its role: "G01" or "fire:F01".
std::string post_code(const Directory& dir, const Networks& networks, const Assignment& a) {
    const Place place = dir.place_of(a);
    const std::string code = node_code(networks.nodes(place.overlay), place.node);
    return place.overlay.empty() ? code : place.overlay + ":" + code;
}

// One line of the chart.
struct ChartRow {
    const char* function;  // leader / supervisor / worker
    const char* function_zh;
    PersonId person;
    RoleId role;
    NodeId node;
    Post post;
    AssignmentId assignment;
    bool absent;
};

struct ChartGrid {
    NodeId grid;
    std::vector<ChartRow> rows;
};

std::vector<ChartGrid> chart_rows(const Directory& dir, const Hierarchy& h, Date date, NodeId scope,
                                  std::string_view grid_level) {
    const int gl = h.levels().index_of(grid_level);
    if (gl < 0) {
        throw Error(ErrorCode::invalid_argument,
                    "chart(): no level " + detail::quote(grid_level) + " in the hierarchy");
    }
    PreorderRange range{0, static_cast<std::uint32_t>(h.preorder().size())};
    if (scope != no_node) {
        if (!h.is_live(scope)) {
            throw Error(ErrorCode::not_found,
                        "chart(): scope node #" + std::to_string(scope) + " is not live");
        }
        range = h.subtree(scope);
    }
    std::vector<ChartGrid> grids;
    for (std::uint32_t pos = range.begin; pos < range.end; ++pos) {
        const NodeId g = h.preorder()[pos];
        if (h.level(g) != gl || date < h.created_on(g))
            continue;
        ChartGrid cg{g, {}};
        const auto lead = [&](RoleFunction f, const char* name, const char* zh) {
            const Responsibility r = dir.responsible(h, g, f, date);
            if (r.found()) {
                cg.rows.push_back(
                    ChartRow{name, zh, r.person, r.role, r.node, r.post, r.assignment, false});
            }
        };
        lead(RoleFunction::grid_leader, "leader", "网格长");
        lead(RoleFunction::supervisor, "supervisor", "指导督导");
        for (const RosterEntry& e : dir.roster(g, date)) {
            const bool shown = std::any_of(cg.rows.begin(), cg.rows.end(), [&](const ChartRow& r) {
                return r.assignment == e.assignment;
            });
            if (shown)
                continue;
            cg.rows.push_back(ChartRow{"worker", "网格工作人员", e.person, e.role, e.node, e.post,
                                       e.assignment, e.absence != 0});
        }
        grids.push_back(std::move(cg));
    }
    return grids;
}

Json duties_json(const Directory& dir, const RoleType& role) {
    Json out = Json::array();
    for (const std::string& code : role.duties) {
        const Duty& d = dir.duty(*dir.catalogue().find_duty(code));
        out.push_back({{"code", d.code}, {"zh", d.label_zh}, {"en", d.label_en}});
    }
    return out;
}

std::string duties_zh(const Directory& dir, const RoleType& role) {
    std::string out;
    for (const std::string& code : role.duties) {
        if (!out.empty())
            out += "、";
        out += dir.duty(*dir.catalogue().find_duty(code)).label_zh;
    }
    return out;
}

std::string chart_json(const Directory& dir, const Hierarchy& h, Date date, Reveal reveal,
                       const std::vector<ChartGrid>& grids) {
    Json doc = Json::object();
    doc["date"] = date.to_string();
    doc["phones"] = reveal == Reveal::revealed ? "revealed" : "masked";
    Json list = Json::array();
    for (const ChartGrid& g : grids) {
        Json grid = Json::object();
        grid["code"] = h.code(g.grid);
        grid["name"] = h.name(g.grid);
        grid["leader"] = nullptr;
        grid["supervisor"] = nullptr;
        Json workers = Json::array();
        for (const ChartRow& row : g.rows) {
            const Person& p = dir.person(row.person);
            const RoleType& role = dir.role(row.role);
            Json person = {{"person", p.id},
                           {"name", p.name},
                           {"phone", phone_text(p, reveal)},
                           {"role", role.code},
                           {"role_zh", role.label_zh},
                           {"role_en", role.label_en},
                           {"node", h.code(row.node)},
                           {"post", post_name(row.post)},
                           {"absent", row.absent},
                           {"duties", duties_json(dir, role)}};
            if (std::string_view(row.function) == "worker") {
                workers.push_back(std::move(person));
            } else {
                grid[row.function] = std::move(person);
            }
        }
        grid["workers"] = std::move(workers);
        list.push_back(std::move(grid));
    }
    doc["grids"] = std::move(list);
    return doc.dump(2);
}

std::string chart_csv(const Directory& dir, const Hierarchy& h, Reveal reveal,
                      const std::vector<ChartGrid>& grids) {
    std::string out;
    detail::append_csv_line(out, {"grid", "grid_name", "function", "person", "name", "role",
                                  "role_zh", "post", "node", "phone", "absent", "duties"});
    for (const ChartGrid& g : grids) {
        for (const ChartRow& row : g.rows) {
            const Person& p = dir.person(row.person);
            const RoleType& role = dir.role(row.role);
            detail::append_csv_line(
                out, {h.code(g.grid), h.name(g.grid), row.function, p.id, p.name, role.code,
                      role.label_zh, post_name(row.post), h.code(row.node), phone_text(p, reveal),
                      row.absent ? "1" : "0", duties_zh(dir, role)});
        }
    }
    return out;
}

std::string chart_html(const Directory& dir, const Hierarchy& h, Date date, Reveal reveal,
                       const std::vector<ChartGrid>& grids) {
    using detail::html_escape;
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<title>网格化图谱 " + date.to_string() + "</title>\n";
    out +=
        "<style>\n"
        "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
        "margin:2em;color:#222}\n"
        "h1{font-size:1.5em;margin:0 0 .2em}\n"
        "p.meta{color:#555;margin:0 0 1.5em}\n"
        "section{border:1px solid #999;border-radius:4px;padding:.6em 1em;margin:0 0 1.2em;"
        "break-inside:avoid;page-break-inside:avoid}\n"
        "h2{font-size:1.15em;margin:.2em 0 .5em}\n"
        "h2 small{color:#666;font-weight:normal;margin-left:.5em}\n"
        "table{border-collapse:collapse;width:100%}\n"
        "th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}\n"
        "th{background:#eef2f7}\n"
        "td.none{color:#a00}\n"
        "@media print{body{margin:0}section{border-color:#000}th{background:#ddd}}\n"
        "</style>\n</head>\n<body>\n";
    out += "<h1>网格化图谱 <small>Responsibility chart</small></h1>\n";
    out += "<p class=\"meta\">日期 " + date.to_string() + " · 联系电话" +
           (reveal == Reveal::revealed ? "已公开" : "已遮蔽 (masked)") + "</p>\n";
    for (const ChartGrid& g : grids) {
        out += "<section>\n<h2>" + html_escape(h.name(g.grid)) + "<small>" +
               html_escape(h.code(g.grid)) + "</small></h2>\n";
        out +=
            "<table>\n<thead><tr><th>职务</th><th>姓名</th><th>岗位</th><th>A/B岗</th>"
            "<th>联系电话</th><th>工作职责</th></tr></thead>\n<tbody>\n";
        if (g.rows.empty()) {
            out += "<tr><td class=\"none\" colspan=\"6\">暂无责任人 (no one assigned)</td></tr>\n";
        }
        for (const ChartRow& row : g.rows) {
            const Person& p = dir.person(row.person);
            const RoleType& role = dir.role(row.role);
            std::string where = role.label_zh;
            if (row.node != g.grid)
                where += " · " + h.name(row.node);
            out += "<tr><td>" + std::string(row.function_zh) + "</td><td>" + html_escape(p.name) +
                   (row.absent ? " (请假)" : "") + "</td><td>" + html_escape(where) + "</td><td>" +
                   post_name(row.post) + "</td><td>" + html_escape(phone_text(p, reveal)) +
                   "</td><td>" + html_escape(duties_zh(dir, role)) + "</td></tr>\n";
        }
        out += "</tbody>\n</table>\n</section>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

Json person_json(const Person& p, Reveal reveal) {
    Json attributes = Json::object();
    for (const auto& [k, v] : p.attributes)
        attributes[k] = v;
    return {{"id", p.id},
            {"name", p.name},
            {"phone", phone_text(p, reveal)},
            {"id_number", id_number_text(p, reveal)},
            {"party", party_membership_name(p.party)},
            {"categories", p.categories},
            {"attributes", std::move(attributes)}};
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : ";") + s;
    return out;
}

}  // namespace

std::string Directory::chart(const Networks& networks, Date date, DocumentFormat format,
                             Reveal reveal, NodeId scope, std::string_view grid_level) const {
    const Hierarchy& h = networks.base();
    const std::vector<ChartGrid> grids = chart_rows(*this, h, date, scope, grid_level);
    switch (format) {
        case DocumentFormat::automatic:
        case DocumentFormat::json:
            return chart_json(*this, h, date, reveal, grids);
        case DocumentFormat::csv:
            return chart_csv(*this, h, reveal, grids);
        case DocumentFormat::html:
            return chart_html(*this, h, date, reveal, grids);
    }
    throw Error(ErrorCode::invalid_argument, "chart(): unknown format");
}

std::string Directory::casbin_policy(const Networks& networks, Date date) const {
    std::string out;
    for (const Assignment& a : impl_->assignments) {
        if (!a.period.contains(date))
            continue;
        out += "g, ";
        detail::append_csv_cell(out, a.person);
        out += ", ";
        detail::append_csv_cell(out, a.role);
        out += ", ";
        detail::append_csv_cell(out, post_code(*this, networks, a));
        out += '\n';
    }
    return out;
}

std::string Directory::export_json(const Networks& networks, Reveal reveal) const {
    const Impl& d = *impl_;
    const Hierarchy& h = networks.base();
    Json doc = Json::object();
    doc["catalogue"] = Json::parse(d.catalogue.to_json());
    doc["people"] = Json::array();
    for (const Person& p : d.people)
        doc["people"].push_back(person_json(p, reveal));
    doc["units"] = Json::array();
    for (const Unit& u : d.units) {
        doc["units"].push_back({{"code", u.code},
                                {"kind", unit_kind_name(u.kind)},
                                {"name", u.name},
                                {"node", node_code(h, u.node)},
                                {"from", detail::json_date_value(u.period.from)},
                                {"to", detail::json_date_value(u.period.to)},
                                {"members", u.members}});
    }
    doc["assignments"] = Json::array();
    for (const Assignment& a : d.assignments) {
        doc["assignments"].push_back({{"id", a.id},
                                      {"person", a.person},
                                      {"role", a.role},
                                      {"node", post_code(*this, networks, a)},
                                      {"post", post_name(a.post)},
                                      {"from", detail::json_date_value(a.period.from)},
                                      {"to", detail::json_date_value(a.period.to)}});
    }
    doc["absences"] = Json::array();
    for (const Absence& ab : d.absences) {
        Json j = {{"id", ab.id},
                  {"person", ab.person},
                  {"kind", absence_kind_name(ab.kind)},
                  {"from", detail::json_date_value(ab.period.from)},
                  {"to", detail::json_date_value(ab.period.to)},
                  {"role", nullptr},
                  {"node", nullptr},
                  {"reason", ab.reason}};
        if (ab.assignment != 0) {
            const Assignment& a = d.assignments[ab.assignment - 1];
            j["role"] = a.role;
            j["node"] = post_code(*this, networks, a);
        }
        doc["absences"].push_back(std::move(j));
    }
    return doc.dump(2);
}

std::string Directory::export_csv(const Networks& networks, DirectoryTable table,
                                  Reveal reveal) const {
    const Impl& d = *impl_;
    const Hierarchy& h = networks.base();
    std::string out;
    switch (table) {
        case DirectoryTable::people: {
            std::vector<std::string> keys;
            for (const Person& p : d.people) {
                for (const auto& [k, v] : p.attributes) {
                    if (std::find(keys.begin(), keys.end(), k) == keys.end())
                        keys.push_back(k);
                }
            }
            std::vector<std::string> header{"id",        "name",  "phone",
                                            "id_number", "party", "categories"};
            header.insert(header.end(), keys.begin(), keys.end());
            detail::append_csv_line(out, header);
            for (const Person& p : d.people) {
                std::vector<std::string> row{p.id,
                                             p.name,
                                             phone_text(p, reveal),
                                             id_number_text(p, reveal),
                                             party_membership_name(p.party),
                                             join(p.categories)};
                for (const std::string& k : keys) {
                    std::string value;
                    for (const auto& [ak, av] : p.attributes) {
                        if (ak == k)
                            value = av;
                    }
                    row.push_back(std::move(value));
                }
                detail::append_csv_line(out, row);
            }
            return out;
        }
        case DirectoryTable::units:
            detail::append_csv_line(out, {"code", "kind", "name", "node", "from", "to", "members"});
            for (const Unit& u : d.units) {
                detail::append_csv_line(
                    out, {u.code, unit_kind_name(u.kind), u.name, node_code(h, u.node),
                          detail::date_text(u.period.from), detail::date_text(u.period.to),
                          join(u.members)});
            }
            return out;
        case DirectoryTable::assignments:
            detail::append_csv_line(out, {"id", "person", "role", "node", "post", "from", "to"});
            for (const Assignment& a : d.assignments) {
                detail::append_csv_line(
                    out, {std::to_string(a.id), a.person, a.role, post_code(*this, networks, a),
                          post_name(a.post), detail::date_text(a.period.from),
                          detail::date_text(a.period.to)});
            }
            return out;
        case DirectoryTable::absences:
            detail::append_csv_line(
                out, {"id", "person", "kind", "from", "to", "role", "node", "reason"});
            for (const Absence& ab : d.absences) {
                std::string role, node;
                if (ab.assignment != 0) {
                    const Assignment& a = d.assignments[ab.assignment - 1];
                    role = a.role;
                    node = post_code(*this, networks, a);
                }
                detail::append_csv_line(
                    out, {std::to_string(ab.id), ab.person, absence_kind_name(ab.kind),
                          detail::date_text(ab.period.from), detail::date_text(ab.period.to), role,
                          node, ab.reason});
            }
            return out;
        case DirectoryTable::automatic:
            break;
    }
    throw Error(ErrorCode::invalid_argument,
                "export_csv(): name one table (people, units, assignments or absences)");
}

}  // namespace gridgov
