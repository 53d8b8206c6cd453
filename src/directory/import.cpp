// Import of people, units, assignments and absences from JSON and CSV. Everything is
// read and checked on a copy; only a fully accepted document replaces the directory.
#include <set>

#include "directory/directory_impl.hpp"
#include "directory/text_io.hpp"
#include "io/csv.hpp"

namespace gridgov {
namespace {

using detail::field_error;
using detail::Json;
using detail::quote;

struct Batch {
    std::vector<Person> people;
    std::vector<std::string> people_where;
    std::vector<Unit> units;
    std::vector<std::string> units_where;
    std::vector<Assignment> assignments;
    std::vector<std::string> assignments_where;
    // Absences name their post by role and node; resolved after the assignments are in.
    struct PendingAbsence {
        Absence absence;
        std::string role;
        std::string node;
    };
    std::vector<PendingAbsence> absences;
    std::vector<std::string> assignment_nodes;  // by assignment: the node's code, resolved
                                                // in the network of the assignment's role
    std::vector<std::string> absences_where;
};

// Codes of every node ever created (retired ones too: history may refer to them), of the
// base hierarchy and of each overlay's units.
class NodeCodes {
  public:
    explicit NodeCodes(const Networks& networks) {
        add("", networks.base());
        for (const Overlay& o : networks.overlays())
            add(o.key(), o.units());
    }
    /// A node of network `overlay` ("" = base); a unit may also be written "overlay:code".
    NodeId at(const std::string& overlay, const std::string& code, const std::string& where) const {
        if (code.empty())
            field_error(ErrorCode::invalid_argument, where, "node", "missing");
        const auto net = codes_.find(overlay);
        if (net == codes_.end()) {
            field_error(ErrorCode::not_found, where, "node",
                        "no overlay " + quote(overlay) + " for node " + quote(code));
        }
        auto it = net->second.find(code);
        if (it == net->second.end() && !overlay.empty() && code.size() > overlay.size() &&
            code.compare(0, overlay.size(), overlay) == 0 && code[overlay.size()] == ':') {
            it = net->second.find(std::string_view(code).substr(overlay.size() + 1));
        }
        if (it == net->second.end()) {
            field_error(ErrorCode::not_found, where, "node",
                        overlay.empty()
                            ? "no node with code " + quote(code)
                            : "no unit with code " + quote(code) + " in overlay " + quote(overlay));
        }
        return it->second;
    }
    NodeId at(const std::string& code, const std::string& where) const {
        return at(std::string(), code, where);
    }

  private:
    void add(const std::string& overlay, const Hierarchy& h) {
        detail::StringMap<NodeId>& codes = codes_[overlay];
        for (NodeId n = 0; n < h.id_count(); ++n)
            codes.emplace(h.code(n), n);
    }
    detail::StringMap<detail::StringMap<NodeId>> codes_;
};

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(';', start), text.size());
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ')
            item.remove_suffix(1);
        if (!item.empty())
            out.emplace_back(item);
        start = end + 1;
    }
    return out;
}

Date required_date(Date d, const std::string& where) {
    if (d == Date::min())
        field_error(ErrorCode::invalid_argument, where, "from", "missing");
    return d;
}

// ---- JSON -----------------------------------------------------------------------------

void read_json(const std::string& src, std::string_view text, const NodeCodes& nodes,
               Batch& batch) {
    const Json doc = detail::parse_json(text, src);
    if (!doc.is_object()) {
        throw Error(ErrorCode::invalid_argument, src + ": a directory document is a JSON object");
    }
    static const std::set<std::string, std::less<>> known{"catalogue", "people", "units",
                                                          "assignments", "absences"};
    for (const auto& [key, value] : doc.items()) {
        if (known.count(key) == 0) {
            throw Error(ErrorCode::invalid_argument,
                        src + ": unknown member " + quote(key) +
                            " (expected people, units, assignments, absences, catalogue)");
        }
    }
    const auto where_of = [&](const char* name, std::size_t i, const Json& rec) {
        const std::string where = src + " " + name + "[" + std::to_string(i) + "]";
        detail::json_require_object(rec, where);
        return where;
    };
    if (const Json* people = detail::json_array(doc, "people", src)) {
        for (std::size_t i = 0; i < people->size(); ++i) {
            const Json& r = (*people)[i];
            const std::string where = where_of("people", i, r);
            Person p;
            p.id = detail::json_string(r, "id", where, true);
            p.name = detail::json_string(r, "name", where, true);
            p.phone = detail::json_string(r, "phone", where, false);
            p.id_number = detail::json_string(r, "id_number", where, false);
            const std::string party = detail::json_string(r, "party", where, false);
            p.party =
                detail::parse_field(where, "party", [&] { return parse_party_membership(party); });
            p.categories = detail::json_strings(r, "categories", where);
            if (const Json* a =
                    detail::json_field(r, "attributes", detail::JsonType::object, where)) {
                for (const auto& [k, v] : a->items()) {
                    if (!v.is_string()) {
                        field_error(ErrorCode::invalid_argument, where, "attributes",
                                    "value of " + quote(k) + ": " +
                                        detail::json_type_problem(v, detail::JsonType::string));
                    }
                    p.attributes.emplace_back(k, v.get<std::string>());
                }
            }
            batch.people_where.push_back(where + " (person " + quote(p.id) + ")");
            batch.people.push_back(std::move(p));
        }
    }
    if (const Json* units = detail::json_array(doc, "units", src)) {
        for (std::size_t i = 0; i < units->size(); ++i) {
            const Json& r = (*units)[i];
            const std::string where = where_of("units", i, r);
            Unit u;
            u.code = detail::json_string(r, "code", where, true);
            const std::string kind = detail::json_string(r, "kind", where, true);
            u.kind = detail::parse_field(where, "kind", [&] { return parse_unit_kind(kind); });
            u.name = detail::json_string(r, "name", where, true);
            u.node = nodes.at(detail::json_string(r, "node", where, true), where);
            u.period.from = detail::json_date(r, "from", where, Date::min());
            u.period.to = detail::json_date(r, "to", where, Date::max());
            u.members = detail::json_strings(r, "members", where);
            batch.units_where.push_back(where + " (unit " + quote(u.code) + ")");
            batch.units.push_back(std::move(u));
        }
    }
    if (const Json* list = detail::json_array(doc, "assignments", src)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const Json& r = (*list)[i];
            const std::string where = where_of("assignments", i, r);
            Assignment a;
            a.person = detail::json_string(r, "person", where, true);
            a.role = detail::json_string(r, "role", where, true);
            batch.assignment_nodes.push_back(detail::json_string(r, "node", where, true));
            const std::string post = detail::json_string(r, "post", where, false);
            a.post = post.empty()
                         ? Post::a
                         : detail::parse_field(where, "post", [&] { return parse_post(post); });
            a.period.from = required_date(detail::json_date(r, "from", where, Date::min()), where);
            a.period.to = detail::json_date(r, "to", where, Date::max());
            batch.assignments_where.push_back(where);
            batch.assignments.push_back(std::move(a));
        }
    }
    if (const Json* list = detail::json_array(doc, "absences", src)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const Json& r = (*list)[i];
            const std::string where = where_of("absences", i, r);
            Batch::PendingAbsence pa;
            pa.absence.person = detail::json_string(r, "person", where, true);
            const std::string kind = detail::json_string(r, "kind", where, false);
            pa.absence.kind =
                kind.empty()
                    ? AbsenceKind::leave
                    : detail::parse_field(where, "kind", [&] { return parse_absence_kind(kind); });
            pa.absence.period.from =
                required_date(detail::json_date(r, "from", where, Date::min()), where);
            pa.absence.period.to = detail::json_date(r, "to", where, Date::max());
            pa.absence.reason = detail::json_string(r, "reason", where, false);
            pa.role = detail::json_string(r, "role", where, false);
            pa.node = detail::json_string(r, "node", where, false);
            batch.absences_where.push_back(where);
            batch.absences.push_back(std::move(pa));
        }
    }
}

// ---- CSV ------------------------------------------------------------------------------

struct Columns {
    std::vector<std::string> names;
    int index(std::string_view name) const {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == name)
                return static_cast<int>(i);
        }
        return -1;
    }
};

void read_csv_table(const std::string& src, std::string_view text, DirectoryTable table,
                    const NodeCodes& nodes, Batch& batch) {
    const detail::CsvSource source{src, detail::CsvPlaces::source_row};
    const std::vector<detail::CsvRecord> records = detail::read_csv(text, source);
    if (records.empty())
        throw Error(ErrorCode::parse_error, src + ": no header row");
    const std::string header_row = source.at(records.front().line);
    Columns cols;
    for (std::string name : records.front().cells) {
        while (!name.empty() && name.back() == ' ')
            name.pop_back();
        while (!name.empty() && name.front() == ' ')
            name.erase(name.begin());
        if (cols.index(name) >= 0) {
            throw Error(ErrorCode::parse_error, header_row + ": column " + quote(name) + " twice");
        }
        cols.names.push_back(name);
    }
    std::vector<std::string> required, optional;
    switch (table) {
        case DirectoryTable::people:
            required = {"id", "name"};
            optional = {"phone", "id_number", "party", "categories"};
            break;
        case DirectoryTable::units:
            required = {"code", "kind", "name", "node"};
            optional = {"from", "to", "members"};
            break;
        case DirectoryTable::assignments:
            required = {"person", "role", "node", "from"};
            optional = {"id", "post", "to"};
            break;
        case DirectoryTable::absences:
            required = {"person", "from"};
            optional = {"id", "kind", "to", "role", "node", "reason"};
            break;
        case DirectoryTable::automatic:
            throw Error(ErrorCode::invalid_argument,
                        src +
                            ": a CSV file holds one table; name it (people, units, assignments "
                            "or absences)");
    }
    for (const std::string& r : required) {
        if (cols.index(r) < 0) {
            throw Error(ErrorCode::parse_error, header_row + ": missing column " + quote(r) +
                                                    " of table " + directory_table_name(table));
        }
    }
    std::vector<int> attribute_columns;
    for (std::size_t i = 0; i < cols.names.size(); ++i) {
        const std::string& name = cols.names[i];
        const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                           std::find(optional.begin(), optional.end(), name) != optional.end();
        if (known)
            continue;
        if (table == DirectoryTable::people && !name.empty()) {
            attribute_columns.push_back(static_cast<int>(i));
        } else {
            throw Error(ErrorCode::parse_error, header_row + ": unknown column " + quote(name) +
                                                    " in table " + directory_table_name(table));
        }
    }

    for (std::size_t k = 1; k < records.size(); ++k) {
        const detail::CsvRecord& rec = records[k];
        const std::string where = source.at(rec.line);
        if (rec.cells.size() != cols.names.size()) {
            throw Error(ErrorCode::parse_error, where + ": " + std::to_string(rec.cells.size()) +
                                                    " fields, the header has " +
                                                    std::to_string(cols.names.size()));
        }
        const auto get = [&](const char* name) -> std::string {
            const int i = cols.index(name);
            return i < 0 ? std::string() : rec.cells[static_cast<std::size_t>(i)];
        };
        const auto date = [&](const char* name, Date fallback) {
            return detail::text_date(get(name), fallback, where, name);
        };
        switch (table) {
            case DirectoryTable::people: {
                Person p;
                p.id = get("id");
                p.name = get("name");
                p.phone = get("phone");
                p.id_number = get("id_number");
                const std::string party = get("party");
                p.party = detail::parse_field(where, "party",
                                              [&] { return parse_party_membership(party); });
                p.categories = split_list(get("categories"));
                for (const int c : attribute_columns) {
                    const std::string& value = rec.cells[static_cast<std::size_t>(c)];
                    if (!value.empty()) {
                        p.attributes.emplace_back(cols.names[static_cast<std::size_t>(c)], value);
                    }
                }
                batch.people_where.push_back(where + " (person " + quote(p.id) + ")");
                batch.people.push_back(std::move(p));
                break;
            }
            case DirectoryTable::units: {
                Unit u;
                u.code = get("code");
                const std::string kind = get("kind");
                u.kind = detail::parse_field(where, "kind", [&] { return parse_unit_kind(kind); });
                u.name = get("name");
                u.node = nodes.at(get("node"), where);
                u.period.from = date("from", Date::min());
                u.period.to = date("to", Date::max());
                u.members = split_list(get("members"));
                batch.units_where.push_back(where + " (unit " + quote(u.code) + ")");
                batch.units.push_back(std::move(u));
                break;
            }
            case DirectoryTable::assignments: {
                Assignment a;
                a.person = get("person");
                a.role = get("role");
                batch.assignment_nodes.push_back(get("node"));
                const std::string post = get("post");
                a.post = post.empty()
                             ? Post::a
                             : detail::parse_field(where, "post", [&] { return parse_post(post); });
                a.period.from = required_date(date("from", Date::min()), where);
                a.period.to = date("to", Date::max());
                batch.assignments_where.push_back(where);
                batch.assignments.push_back(std::move(a));
                break;
            }
            case DirectoryTable::absences: {
                Batch::PendingAbsence pa;
                pa.absence.person = get("person");
                const std::string kind = get("kind");
                pa.absence.kind =
                    kind.empty() ? AbsenceKind::leave : detail::parse_field(where, "kind", [&] {
                        return parse_absence_kind(kind);
                    });
                pa.absence.period.from = required_date(date("from", Date::min()), where);
                pa.absence.period.to = date("to", Date::max());
                pa.absence.reason = get("reason");
                pa.role = get("role");
                pa.node = get("node");
                batch.absences_where.push_back(where);
                batch.absences.push_back(std::move(pa));
                break;
            }
            case DirectoryTable::automatic:
                break;
        }
    }
}

// The post an imported absence refers to: the person's assignment with that role and node
// whose period covers the absence's start, else the only one overlapping the absence.
AssignmentId resolve_post(const Directory& dir, const Batch::PendingAbsence& pa,
                          const NodeCodes& nodes, const std::string& where) {
    if (pa.role.empty() && pa.node.empty())
        return 0;
    if (pa.role.empty())
        field_error(ErrorCode::invalid_argument, where, "role", "missing (node is given)");
    if (pa.node.empty())
        field_error(ErrorCode::invalid_argument, where, "node", "missing (role is given)");
    const NodeId node = nodes.at(dir.network_of(pa.role), pa.node, where);
    if (!dir.find_person(pa.absence.person)) {
        field_error(ErrorCode::not_found, where, "person", "no person " + quote(pa.absence.person));
    }
    AssignmentId covering = 0;
    std::vector<AssignmentId> overlapping;
    for (const Assignment& a : dir.assignments()) {
        if (a.person != pa.absence.person || a.role != pa.role || a.node != node)
            continue;
        if (a.period.contains(pa.absence.period.from))
            covering = a.id;
        if (a.period.overlaps(pa.absence.period))
            overlapping.push_back(a.id);
    }
    if (covering != 0)
        return covering;
    if (overlapping.size() == 1)
        return overlapping.front();
    field_error(ErrorCode::not_found, where, "role",
                quote(pa.absence.person) + " holds no post " + quote(pa.role) + " at node " +
                    quote(pa.node) + " during " + detail::period_text(pa.absence.period));
}

}  // namespace

DirectoryImportReport Directory::import_text(const Networks& networks, std::string_view text,
                                             DocumentFormat format, DirectoryTable table,
                                             std::string_view source_name) {
    const std::string src(source_name);
    if (format == DocumentFormat::automatic) {
        std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
        while (i < text.size() &&
               (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) {
            ++i;
        }
        format = i < text.size() && text[i] == '{' ? DocumentFormat::json : DocumentFormat::csv;
    }
    const Hierarchy& h = networks.base();
    const NodeCodes nodes(networks);
    Batch batch;
    if (format == DocumentFormat::json) {
        if (table != DirectoryTable::automatic) {
            throw Error(ErrorCode::invalid_argument,
                        src +
                            ": a JSON directory document names its tables itself; pass "
                            "DirectoryTable::automatic");
        }
        read_json(src, text, nodes, batch);
    } else if (format == DocumentFormat::csv) {
        read_csv_table(src, text, table, nodes, batch);
    } else {
        throw Error(ErrorCode::invalid_argument,
                    src + ": directories are imported from JSON or CSV");
    }

    Directory copy(*this);
    Impl& d = *copy.impl_;
    const auto by = [](const std::vector<std::string>& where) {
        return [&where](std::size_t i) { return where[i]; };
    };
    d.add_people(batch.people, by(batch.people_where));
    d.add_units(h, batch.units, by(batch.units_where));
    for (std::size_t i = 0; i < batch.assignments.size(); ++i) {
        batch.assignments[i].node = nodes.at(copy.network_of(batch.assignments[i].role),
                                             batch.assignment_nodes[i], batch.assignments_where[i]);
    }
    d.add_assignments(networks, batch.assignments, by(batch.assignments_where));
    std::vector<Absence> absences;
    for (std::size_t i = 0; i < batch.absences.size(); ++i) {
        Absence ab = batch.absences[i].absence;
        ab.assignment = resolve_post(copy, batch.absences[i], nodes, batch.absences_where[i]);
        absences.push_back(std::move(ab));
    }
    d.add_absences(absences, by(batch.absences_where));
    *this = std::move(copy);

    DirectoryImportReport report;
    report.people_added = batch.people.size();
    report.units_added = batch.units.size();
    report.assignments_added = batch.assignments.size();
    report.absences_added = batch.absences.size();
    return report;
}

}  // namespace gridgov
