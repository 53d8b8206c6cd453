// Persistence of the directory in the workspace file, and directory files read for import.
// The rows in which two directories differ are written inside the caller's transaction (the
// workspace applies each change to a copy first and swaps it in after the commit). On open,
// the rows are read back through the same checked batch calls that built them, so a damaged
// or hand-edited file is refused instead of loaded wrong.
#include <cctype>
#include <utility>

#include "directory/directory_impl.hpp"
#include "io/files.hpp"
#include "store/directory_store.hpp"

namespace gridgov {
namespace detail {

struct DirectoryStatements {
    explicit DirectoryStatements(Db& db)
        : delete_catalogue(db.prepare("DELETE FROM directory_catalogue")),
          delete_duties(db.prepare("DELETE FROM directory_duties")),
          delete_roles(db.prepare("DELETE FROM directory_roles")),
          delete_role_duties(db.prepare("DELETE FROM directory_role_duties")),
          insert_catalogue(db.prepare(
              "INSERT INTO directory_catalogue (id, key, name, source) VALUES (1, ?1, ?2, ?3)")),
          insert_duty(db.prepare("INSERT INTO directory_duties (position, code, label_zh, "
                                 "label_en, reveals) VALUES (?1, ?2, ?3, ?4, ?5)")),
          insert_role(
              db.prepare("INSERT INTO directory_roles (position, code, label_zh, label_en, level, "
                         "cardinality, function, overlay) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "?8)")),
          insert_role_duty(db.prepare(
              "INSERT INTO directory_role_duties (role, position, duty) VALUES (?1, ?2, ?3)")),
          insert_person(db.prepare("INSERT INTO directory_people (id, code, name, phone, "
                                   "id_number, party) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
          update_person(db.prepare("UPDATE directory_people SET name = ?2, phone = ?3, "
                                   "id_number = ?4, party = ?5 WHERE id = ?1")),
          delete_categories(
              db.prepare("DELETE FROM directory_person_categories WHERE person = ?1")),
          insert_category(db.prepare("INSERT INTO directory_person_categories (person, position, "
                                     "category) VALUES (?1, ?2, ?3)")),
          delete_attributes(
              db.prepare("DELETE FROM directory_person_attributes WHERE person = ?1")),
          insert_attribute(db.prepare("INSERT INTO directory_person_attributes (person, position, "
                                      "name, value) VALUES (?1, ?2, ?3, ?4)")),
          insert_unit(
              db.prepare("INSERT INTO directory_units (id, code, kind, name, node, from_day, "
                         "to_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
          update_unit_to(db.prepare("UPDATE directory_units SET to_day = ?2 WHERE id = ?1")),
          delete_members(db.prepare("DELETE FROM directory_unit_members WHERE unit = ?1")),
          insert_member(db.prepare("INSERT INTO directory_unit_members (unit, position, person) "
                                   "VALUES (?1, ?2, ?3)")),
          insert_assignment(db.prepare(
              "INSERT INTO directory_assignments (id, person, role, node, overlay, unit, post, "
              "from_day, to_day) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
          update_assignment_to(
              db.prepare("UPDATE directory_assignments SET to_day = ?2 WHERE id = ?1")),
          insert_absence(db.prepare(
              "INSERT INTO directory_absences (id, person, kind, from_day, to_day, assignment, "
              "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
          update_absence_to(db.prepare("UPDATE directory_absences SET to_day = ?2 WHERE id = ?1")) {
    }

    Statement delete_catalogue;
    Statement delete_duties;
    Statement delete_roles;
    Statement delete_role_duties;
    Statement insert_catalogue;
    Statement insert_duty;
    Statement insert_role;
    Statement insert_role_duty;
    Statement insert_person;
    Statement update_person;
    Statement delete_categories;
    Statement insert_category;
    Statement delete_attributes;
    Statement insert_attribute;
    Statement insert_unit;
    Statement update_unit_to;
    Statement delete_members;
    Statement insert_member;
    Statement insert_assignment;
    Statement update_assignment_to;
    Statement insert_absence;
    Statement update_absence_to;
};

namespace {

std::int64_t as_int(std::size_t v) {
    return static_cast<std::int64_t>(v);
}

// A duty's reveals as stored: space-separated (the entries hold no spaces).
std::string join_reveals(const std::vector<std::string>& reveals) {
    std::string out;
    for (const std::string& r : reveals) {
        if (!out.empty())
            out += ' ';
        out += r;
    }
    return out;
}

std::vector<std::string> split_reveals(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool same_person(const Person& a, const Person& b) {
    return a.name == b.name && a.phone == b.phone && a.id_number == b.id_number &&
           a.party == b.party && a.categories == b.categories && a.attributes == b.attributes;
}

template <class Enum>
Enum stored_enum(const std::string& text, Enum (*parse)(std::string_view), const char* table,
                 std::int64_t row, const char* column) {
    try {
        return parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::storage, std::string(table) + " row " + std::to_string(row) +
                                            " column " + column + ": " + e.what());
    }
}

}  // namespace

DirectoryStore::DirectoryStore(Db& db) : db_(db) {}

DirectoryStore::~DirectoryStore() = default;

DirectoryStatements& DirectoryStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<DirectoryStatements>(db_);
    return *sql_;
}

void DirectoryStore::write_rows(const Directory& before, const Directory& after) {
    auto& sql = statements();
    using detail::as_int;

    const Catalogue& c = after.catalogue();
    if (before.catalogue().to_json() != c.to_json()) {
        sql.delete_role_duties.run();
        sql.delete_roles.run();
        sql.delete_duties.run();
        sql.delete_catalogue.run();
        sql.insert_catalogue.bind(1, c.key).bind(2, c.name).bind(3, c.source).run();
        for (std::size_t i = 0; i < c.duties.size(); ++i) {
            const Duty& d = c.duties[i];
            sql.insert_duty.bind(1, as_int(i))
                .bind(2, d.code)
                .bind(3, d.label_zh)
                .bind(4, d.label_en)
                .bind(5, join_reveals(d.reveals))
                .run();
        }
        for (std::size_t i = 0; i < c.roles.size(); ++i) {
            const RoleType& r = c.roles[i];
            sql.insert_role.bind(1, as_int(i))
                .bind(2, r.code)
                .bind(3, r.label_zh)
                .bind(4, r.label_en)
                .bind(5, r.level)
                .bind(6, cardinality_name(r.cardinality))
                .bind(7, role_function_name(r.function))
                .bind(8, r.overlay)
                .run();
            for (std::size_t k = 0; k < r.duties.size(); ++k) {
                sql.insert_role_duty.bind(1, as_int(i))
                    .bind(2, as_int(k))
                    .bind(3, r.duties[k])
                    .run();
            }
        }
    }

    const auto write_person_lists = [&](std::size_t id, const Person& p) {
        sql.delete_categories.bind(1, as_int(id)).run();
        sql.delete_attributes.bind(1, as_int(id)).run();
        for (std::size_t k = 0; k < p.categories.size(); ++k) {
            sql.insert_category.bind(1, as_int(id))
                .bind(2, as_int(k))
                .bind(3, p.categories[k])
                .run();
        }
        for (std::size_t k = 0; k < p.attributes.size(); ++k) {
            sql.insert_attribute.bind(1, as_int(id))
                .bind(2, as_int(k))
                .bind(3, p.attributes[k].first)
                .bind(4, p.attributes[k].second)
                .run();
        }
    };
    for (std::size_t i = 0; i < after.person_count(); ++i) {
        const Person& p = after.person(static_cast<PersonId>(i));
        if (i < before.person_count()) {
            if (detail::same_person(before.person(static_cast<PersonId>(i)), p))
                continue;
            sql.update_person.bind(1, as_int(i))
                .bind(2, p.name)
                .bind(3, p.phone)
                .bind(4, p.id_number)
                .bind(5, party_membership_name(p.party))
                .run();
        } else {
            sql.insert_person.bind(1, as_int(i))
                .bind(2, p.id)
                .bind(3, p.name)
                .bind(4, p.phone)
                .bind(5, p.id_number)
                .bind(6, party_membership_name(p.party))
                .run();
        }
        write_person_lists(i, p);
    }

    const auto person_row = [&](const std::string& code) {
        return static_cast<std::int64_t>(after.person_at(code));
    };
    const std::vector<Unit>& units = after.units();
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        const bool fresh = i >= before.units().size();
        if (fresh) {
            sql.insert_unit.bind(1, as_int(i))
                .bind(2, u.code)
                .bind(3, unit_kind_name(u.kind))
                .bind(4, u.name)
                .bind(5, static_cast<std::int64_t>(u.node))
                .bind(6, u.period.from.days)
                .bind(7, u.period.to.days)
                .run();
        } else if (before.units()[i].period.to != u.period.to) {
            sql.update_unit_to.bind(1, as_int(i)).bind(2, u.period.to.days).run();
        }
        if (fresh || before.units()[i].members != u.members) {
            sql.delete_members.bind(1, as_int(i)).run();
            for (std::size_t k = 0; k < u.members.size(); ++k) {
                sql.insert_member.bind(1, as_int(i))
                    .bind(2, as_int(k))
                    .bind(3, person_row(u.members[k]))
                    .run();
            }
        }
    }

    const std::vector<Assignment>& assignments = after.assignments();
    for (std::size_t i = 0; i < assignments.size(); ++i) {
        const Assignment& a = assignments[i];
        if (i < before.assignments().size()) {
            if (before.assignments()[i].period.to != a.period.to) {
                sql.update_assignment_to.bind(1, static_cast<std::int64_t>(a.id))
                    .bind(2, a.period.to.days)
                    .run();
            }
            continue;
        }
        // A post on an overlay unit keeps (overlay, unit) and no base node.
        const std::string& overlay = after.network_of(a.role);
        sql.insert_assignment.bind(1, static_cast<std::int64_t>(a.id))
            .bind(2, person_row(a.person))
            .bind(3, a.role);
        if (overlay.empty()) {
            sql.insert_assignment.bind(4, static_cast<std::int64_t>(a.node))
                .bind_null(5)
                .bind_null(6);
        } else {
            sql.insert_assignment.bind_null(4)
                .bind(5, overlay)
                .bind(6, static_cast<std::int64_t>(a.node));
        }
        sql.insert_assignment.bind(7, post_name(a.post))
            .bind(8, a.period.from.days)
            .bind(9, a.period.to.days)
            .run();
    }

    const std::vector<Absence>& absences = after.absences();
    for (std::size_t i = 0; i < absences.size(); ++i) {
        const Absence& ab = absences[i];
        if (i < before.absences().size()) {
            if (before.absences()[i].period.to != ab.period.to) {
                sql.update_absence_to.bind(1, static_cast<std::int64_t>(ab.id))
                    .bind(2, ab.period.to.days)
                    .run();
            }
            continue;
        }
        sql.insert_absence.bind(1, static_cast<std::int64_t>(ab.id))
            .bind(2, person_row(ab.person))
            .bind(3, absence_kind_name(ab.kind))
            .bind(4, ab.period.from.days)
            .bind(5, ab.period.to.days);
        if (ab.assignment == 0) {
            sql.insert_absence.bind_null(6);
        } else {
            sql.insert_absence.bind(6, static_cast<std::int64_t>(ab.assignment));
        }
        sql.insert_absence.bind(7, ab.reason).run();
    }
}

Directory DirectoryStore::read(const Networks& networks) {
    const Hierarchy& hierarchy = networks.base();
    Db& db = db_;
    Directory loaded;
    const auto check_dense = [&](const char* table, std::int64_t id, std::size_t expected) {
        if (id != static_cast<std::int64_t>(expected)) {
            throw Error(ErrorCode::storage, "workspace " + db.path() + ": " + table + " id " +
                                                std::to_string(id) + " where " +
                                                std::to_string(expected) + " was expected");
        }
    };
    const auto in_file = [&](const char* table) {
        return [&db, table](std::int64_t id) {
            return "workspace " + db.path() + " " + table + " id " + std::to_string(id);
        };
    };

    Catalogue c;
    {
        Statement st = db.prepare("SELECT key, name, source FROM directory_catalogue WHERE id = 1");
        if (st.step()) {
            c.key = st.text(0);
            c.name = st.text(1);
            c.source = st.text(2);
        }
        Statement duties = db.prepare(
            "SELECT code, label_zh, label_en, reveals FROM directory_duties ORDER BY position");
        while (duties.step())
            c.duties.push_back(Duty{duties.text(0), duties.text(1), duties.text(2),
                                    split_reveals(duties.text(3))});
        Statement roles = db.prepare(
            "SELECT position, code, label_zh, label_en, level, cardinality, function, overlay "
            "FROM directory_roles ORDER BY position");
        while (roles.step()) {
            const std::int64_t position = roles.int64(0);
            check_dense("directory_roles", position, c.roles.size());
            RoleType r;
            r.code = roles.text(1);
            r.label_zh = roles.text(2);
            r.label_en = roles.text(3);
            r.level = roles.text(4);
            r.overlay = roles.text(7);
            r.cardinality = detail::stored_enum(roles.text(5), parse_cardinality, "directory_roles",
                                                position, "cardinality");
            r.function = detail::stored_enum(roles.text(6), parse_role_function, "directory_roles",
                                             position, "function");
            c.roles.push_back(std::move(r));
        }
        Statement role_duties =
            db.prepare("SELECT role, duty FROM directory_role_duties ORDER BY role, position");
        while (role_duties.step()) {
            const auto role = static_cast<std::size_t>(role_duties.int64(0));
            if (role >= c.roles.size()) {
                throw Error(ErrorCode::storage, "workspace " + db.path() +
                                                    ": directory_role_duties names role " +
                                                    std::to_string(role) + ", which is not stored");
            }
            c.roles[role].duties.push_back(role_duties.text(1));
        }
    }
    try {
        loaded.set_catalogue(std::move(c));
    } catch (const Error& e) {
        throw Error(ErrorCode::storage,
                    "workspace " + db.path() + ": stored catalogue: " + e.what());
    }

    std::vector<Person> people;
    std::vector<std::int64_t> person_rows;
    {
        Statement st = db.prepare(
            "SELECT id, code, name, phone, id_number, party FROM directory_people ORDER BY id");
        while (st.step()) {
            const std::int64_t id = st.int64(0);
            check_dense("directory_people", id, people.size());
            Person p;
            p.id = st.text(1);
            p.name = st.text(2);
            p.phone = st.text(3);
            p.id_number = st.text(4);
            p.party = detail::stored_enum(st.text(5), parse_party_membership, "directory_people",
                                          id, "party");
            people.push_back(std::move(p));
            person_rows.push_back(id);
        }
        Statement cats = db.prepare(
            "SELECT person, category FROM directory_person_categories ORDER BY person, position");
        while (cats.step()) {
            const auto p = static_cast<std::size_t>(cats.int64(0));
            if (p < people.size())
                people[p].categories.push_back(cats.text(1));
        }
        Statement attrs = db.prepare(
            "SELECT person, name, value FROM directory_person_attributes ORDER BY person, "
            "position");
        while (attrs.step()) {
            const auto p = static_cast<std::size_t>(attrs.int64(0));
            if (p < people.size())
                people[p].attributes.emplace_back(attrs.text(1), attrs.text(2));
        }
    }
    const auto person_code = [&](std::int64_t row, const char* table) -> const std::string& {
        if (row < 0 || static_cast<std::size_t>(row) >= people.size()) {
            throw Error(ErrorCode::storage, "workspace " + db.path() + ": " + table +
                                                " names person row " + std::to_string(row) +
                                                ", which is not stored");
        }
        return people[static_cast<std::size_t>(row)].id;
    };
    Directory::Impl& d = detail::DirectoryAccess::impl(loaded);
    d.add_people(people,
                 [&](std::size_t i) { return in_file("directory_people")(person_rows[i]); });

    std::vector<Unit> units;
    {
        Statement st = db.prepare(
            "SELECT id, code, kind, name, node, from_day, to_day FROM directory_units ORDER BY id");
        while (st.step()) {
            const std::int64_t id = st.int64(0);
            check_dense("directory_units", id, units.size());
            Unit u;
            u.code = st.text(1);
            u.kind =
                detail::stored_enum(st.text(2), parse_unit_kind, "directory_units", id, "kind");
            u.name = st.text(3);
            u.node = static_cast<NodeId>(st.int64(4));
            u.period = Period{Date{st.int32(5)}, Date{st.int32(6)}};
            units.push_back(std::move(u));
        }
        Statement members =
            db.prepare("SELECT unit, person FROM directory_unit_members ORDER BY unit, position");
        while (members.step()) {
            const auto u = static_cast<std::size_t>(members.int64(0));
            if (u < units.size()) {
                units[u].members.push_back(person_code(members.int64(1), "directory_unit_members"));
            }
        }
    }
    d.add_units(hierarchy, units, [&](std::size_t i) {
        return in_file("directory_units")(static_cast<std::int64_t>(i));
    });

    std::vector<Assignment> assignments;
    {
        Statement st = db.prepare(
            "SELECT id, person, role, node, post, from_day, to_day, unit, overlay FROM "
            "directory_assignments ORDER BY id");
        while (st.step()) {
            const std::int64_t id = st.int64(0);
            check_dense("directory_assignments", id, assignments.size() + 1);
            Assignment a;
            a.person = person_code(st.int64(1), "directory_assignments");
            a.role = st.text(2);
            // A post on an overlay unit: the overlay must be its role's.
            const std::string overlay = st.is_null(8) ? std::string() : st.text(8);
            const std::optional<RoleId> role = loaded.catalogue().find_role(a.role);
            if (role && loaded.catalogue().roles[*role].overlay != overlay) {
                throw Error(
                    ErrorCode::storage,
                    "workspace " + db.path() + ": directory_assignments row " + std::to_string(id) +
                        " holds role '" + a.role + "' on " +
                        (overlay.empty() ? "the base hierarchy" : "overlay '" + overlay + "'") +
                        ", which the catalogue holds elsewhere");
            }
            a.node = static_cast<NodeId>(overlay.empty() ? st.int64(3) : st.int64(7));
            a.post =
                detail::stored_enum(st.text(4), parse_post, "directory_assignments", id, "post");
            a.period = Period{Date{st.int32(5)}, Date{st.int32(6)}};
            assignments.push_back(std::move(a));
        }
    }
    d.add_assignments(networks, assignments, [&](std::size_t i) {
        return in_file("directory_assignments")(static_cast<std::int64_t>(i + 1));
    });

    std::vector<Absence> absences;
    {
        Statement st = db.prepare(
            "SELECT id, person, kind, from_day, to_day, assignment, reason FROM directory_absences "
            "ORDER BY id");
        while (st.step()) {
            const std::int64_t id = st.int64(0);
            check_dense("directory_absences", id, absences.size() + 1);
            Absence ab;
            ab.person = person_code(st.int64(1), "directory_absences");
            ab.kind = detail::stored_enum(st.text(2), parse_absence_kind, "directory_absences", id,
                                          "kind");
            ab.period = Period{Date{st.int32(3)}, Date{st.int32(4)}};
            ab.assignment = st.is_null(5) ? 0 : static_cast<AssignmentId>(st.int64(5));
            ab.reason = st.text(6);
            absences.push_back(std::move(ab));
        }
    }
    d.add_absences(absences, [&](std::size_t i) {
        return in_file("directory_absences")(static_cast<std::int64_t>(i + 1));
    });
    return loaded;
}

DirectoryFile read_directory_file(const std::string& file, DirectoryTable table) {
    std::string text = detail::read_file(file, "directory file");

    const std::size_t slash = file.find_last_of("/\\");
    std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
    const std::size_t dot = name.find_last_of('.');
    std::string extension = dot == std::string::npos ? std::string() : name.substr(dot + 1);
    for (char& ch : extension)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
    DocumentFormat format = DocumentFormat::automatic;
    if (extension == "json") {
        format = DocumentFormat::json;
    } else if (extension == "csv") {
        format = DocumentFormat::csv;
    } else {
        throw Error(ErrorCode::invalid_argument,
                    "directory file " + quote(file) + ": expected a .json or .csv file");
    }
    if (format == DocumentFormat::csv && table == DirectoryTable::automatic) {
        // The file's name says which table it holds: people.csv, 青石村_assignments.csv, ...
        for (const DirectoryTable t : {DirectoryTable::people, DirectoryTable::units,
                                       DirectoryTable::assignments, DirectoryTable::absences}) {
            const std::string key = directory_table_name(t);
            const bool named =
                stem == key || (stem.size() > key.size() &&
                                stem.compare(stem.size() - key.size(), key.size(), key) == 0 &&
                                (stem[stem.size() - key.size() - 1] == '_' ||
                                 stem[stem.size() - key.size() - 1] == '-'));
            if (named)
                table = t;
        }
        if (table == DirectoryTable::automatic) {
            throw Error(ErrorCode::invalid_argument,
                        "directory file " + quote(file) +
                            ": name the table, or name the file after it (people.csv, units.csv, "
                            "assignments.csv, absences.csv)");
        }
    }
    return DirectoryFile{std::move(text), format, table};
}

}  // namespace detail
}  // namespace gridgov
