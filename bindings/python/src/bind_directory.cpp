// The directory for Python: gridgov.Catalogue and its presets, and gridgov.Directory, the
// view behind Workspace.directory (people, assignments on posts A and B, absences, units,
// who is responsible, rosters, workload, compliance, chart, Casbin, import and export).
//
// Records come out as copies with codes (node codes, person ids), never as references
// into the workspace. Phones and ID numbers are masked unless the call says reveal=True.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/directory.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;

struct DirectoryView {
    Handle workspace;
};

// Python-side records: plain values, built under the workspace lock, converted after it.
struct PyPerson {
    Person person;
    bool revealed = false;
};

struct PyAssignment {
    AssignmentId id;
    std::string person, role, node;
    Post post;
    Period period;
};

struct PyAbsence {
    AbsenceId id;
    std::string person;
    AbsenceKind kind;
    Period period;
    AssignmentId assignment;
    std::string reason;
};

struct PyUnit {
    std::string code;
    UnitKind kind;
    std::string name, node;
    Period period;
    std::vector<std::string> members;
};

struct PyStep {
    std::string node, role, post, outcome, absence_kind;
    std::optional<std::string> person;
    AssignmentId assignment = 0;
    AbsenceId absence = 0;
};

struct PyResponsibility {
    std::optional<std::string> person, name, role, node, post;
    AssignmentId assignment = 0;
    std::vector<PyStep> steps;
};

struct PyRosterEntry {
    AssignmentId assignment;
    std::string person, name, phone, role, role_zh, node;
    Post post;
    Period period;
    AbsenceId absence;
};

Reveal reveal_of(bool reveal) {
    return reveal ? Reveal::revealed : Reveal::masked;
}

PyPerson masked(const Person& p, bool reveal) {
    PyPerson out{p, reveal};
    if (!reveal) {
        out.person.phone = mask_phone(p.phone);
        out.person.id_number = mask_id_number(p.id_number);
    }
    return out;
}

std::string node_code(const Hierarchy& h, NodeId n) {
    return n < h.id_count() ? h.code(n) : std::string();
}

// A node of a role's network as a place: "G01", or "market:D01" for an overlay unit.
std::string place_code(const Directory& d, const Networks& net, RoleId role, NodeId n) {
    return net.code(d.place_of(role, n));
}

// A node given by id (a base node), code ("G01") or place ("market:D01").
Place place_of(const Workspace& ws, const NodeRef& ref) {
    if (const std::string* code = std::get_if<std::string>(&ref))
        return ws.hierarchy().networks().place(*code);
    return Place{"", resolve(ws.hierarchy().view(), ref)};
}

// An assignment's node in the network of its role (an overlay unit as "D01" or "market:D01").
NodeId post_node(const Workspace& ws, const std::string& role, const NodeRef& ref) {
    const std::string& overlay = ws.directory().view().network_of(role);
    const std::string* code = std::get_if<std::string>(&ref);
    if (overlay.empty() || code == nullptr)
        return resolve(ws.hierarchy().view(), ref);
    return ws.hierarchy().networks().node_in(overlay, *code);
}

PyResponsibility convert(const Directory& d, const Networks& h, const Responsibility& r) {
    PyResponsibility out;
    if (r.found()) {
        const Person& p = d.person(r.person);
        out.person = p.id;
        out.name = p.name;
        out.role = d.role(r.role).code;
        out.node = place_code(d, h, r.role, r.node);
        out.post = post_name(r.post);
        out.assignment = r.assignment;
    }
    for (const ResolutionStep& s : r.steps) {
        PyStep step;
        step.node = place_code(d, h, s.role, s.node);
        step.role = d.role(s.role).code;
        step.post = post_name(s.post);
        step.outcome = step_outcome_name(s.outcome);
        if (s.person != no_person)
            step.person = d.person(s.person).id;
        step.assignment = s.assignment;
        step.absence = s.absence;
        if (s.absence != 0) {
            step.absence_kind = absence_kind_name(d.absences().at(s.absence - 1).kind);
        }
        out.steps.push_back(std::move(step));
    }
    return out;
}

std::vector<PyRosterEntry> convert(const Directory& d, const Networks& h,
                                   const std::vector<RosterEntry>& entries, bool reveal) {
    std::vector<PyRosterEntry> out;
    for (const RosterEntry& e : entries) {
        const Person& p = d.person(e.person);
        const RoleType& r = d.role(e.role);
        out.push_back(PyRosterEntry{e.assignment, p.id, p.name,
                                    reveal ? p.phone : mask_phone(p.phone), r.code, r.label_zh,
                                    place_code(d, h, e.role, e.node), e.post, e.period, e.absence});
    }
    return out;
}

std::vector<std::string> strings(py::handle obj, const char* what) {
    std::vector<std::string> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj)) {
        throw py::type_error(std::string(what) + " must be a list of str, not a str");
    }
    for (py::handle item : py::iter(obj)) {
        if (!py::isinstance<py::str>(item)) {
            throw py::type_error(std::string(what) + " must hold str items, not " +
                                 type_name(item));
        }
        out.push_back(item.cast<std::string>());
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> attributes(py::handle obj) {
    std::vector<std::pair<std::string, std::string>> out;
    if (obj.is_none())
        return out;
    if (!py::isinstance<py::dict>(obj)) {
        throw py::type_error("attributes must be a dict of str to str, not " + type_name(obj));
    }
    for (auto [k, v] : obj.cast<py::dict>()) {
        if (!py::isinstance<py::str>(k) || !py::isinstance<py::str>(v)) {
            throw py::type_error("attributes must be a dict of str to str");
        }
        out.emplace_back(k.cast<std::string>(), v.cast<std::string>());
    }
    return out;
}

Person person_of(const std::string& id, const std::string& name, const std::string& phone,
                 const std::string& id_number, const std::string& party, py::handle categories,
                 py::handle attrs) {
    Person p;
    p.id = id;
    p.name = name;
    p.phone = phone;
    p.id_number = id_number;
    p.party = parse_party_membership(party);
    p.categories = strings(categories, "categories");
    p.attributes = attributes(attrs);
    return p;
}

DocumentFormat format_of(const std::string& name) {
    return document_format(name, "format", true);
}

DirectoryTable table_of(py::handle obj) {
    if (obj.is_none())
        return DirectoryTable::automatic;
    const std::string name = obj.cast<std::string>();
    for (const DirectoryTable t : {DirectoryTable::people, DirectoryTable::units,
                                   DirectoryTable::assignments, DirectoryTable::absences}) {
        if (name == directory_table_name(t))
            return t;
    }
    throw Error(ErrorCode::invalid_argument,
                "unknown table '" + name + "' (people, units, assignments, absences)");
}

CompliancePolicy policy_of(const std::string& grid_level, bool five_ones, bool cardinality,
                           bool primary_worker, bool backup_not_primary,
                           std::uint32_t max_primary_grids, bool node_lifetime) {
    CompliancePolicy p;
    p.grid_level = grid_level;
    p.five_ones = five_ones;
    p.cardinality = cardinality;
    p.primary_worker = primary_worker;
    p.backup_not_primary = backup_not_primary;
    p.max_primary_grids = max_primary_grids;
    p.node_lifetime = node_lifetime;
    return p;
}

std::string period_repr(const Period& p) {
    const std::string from = p.from <= Date::min() ? "-inf" : p.from.to_string();
    const std::string to = p.to >= Date::max() ? "+inf" : p.to.to_string();
    return "[" + from + ", " + to + ")";
}

std::string person_repr(const PyPerson& p) {
    return "<Person " + p.person.id + " " + p.person.name +
           (p.person.phone.empty() ? "" : " phone " + mask_phone(p.person.phone)) + ">";
}

}  // namespace

void bind_directory(py::module_& m) {
    m.def("mask_phone", &mask_phone, py::arg("phone"),
          "'138****5678': the first 3 and last 4 characters stay.");
    m.def("mask_id_number", &mask_id_number, py::arg("id_number"),
          "'3101**********1234': the first 4 and last 4 characters stay.");
    m.def("is_valid_id_number", &is_valid_id_number, py::arg("id_number"),
          "True for an 18-character 居民身份证号 with a right GB 11643 check character and a "
          "real birth date.");
    m.def(
        "id_number_check_character",
        [](const std::string& first17) {
            return std::string(1, id_number_check_character(first17));
        },
        py::arg("first17"), "The GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits.");

    // ---- catalogue -----------------------------------------------------------------
    py::class_<Duty>(m, "Duty", "A duty (职责) of a catalogue.")
        .def_readonly("code", &Duty::code)
        .def_readonly("zh", &Duty::label_zh)
        .def_readonly("en", &Duty::label_en)
        .def_readonly("reveals", &Duty::reveals,
                      "The sensitive record fields roles carrying it see in clear in the "
                      "subtrees of their posts: 'kind.field', 'kind' (every sensitive field of "
                      "the kind) or '*'.")
        .def("__repr__", [](const Duty& d) { return "<Duty " + d.code + " " + d.label_zh + ">"; });

    py::class_<RoleType>(m, "RoleType", "A role type (岗位) of a catalogue.")
        .def_readonly("code", &RoleType::code)
        .def_readonly("zh", &RoleType::label_zh)
        .def_readonly("en", &RoleType::label_en)
        .def_readonly("level", &RoleType::level)
        .def_readonly("overlay", &RoleType::overlay,
                      "The overlay whose units hold the role; '' for the base hierarchy.")
        .def_property_readonly("cardinality",
                               [](const RoleType& r) { return cardinality_name(r.cardinality); })
        .def_property_readonly("function",
                               [](const RoleType& r) { return role_function_name(r.function); })
        .def_readonly("duties", &RoleType::duties)
        .def("__repr__", [](const RoleType& r) {
            return "<RoleType " + r.code + " " + r.label_zh + " at " + r.level + ">";
        });

    py::class_<Catalogue>(m, "Catalogue",
                          "Duties and role types of one locality (data: load your own JSON or "
                          "start from a preset).")
        .def_readonly("key", &Catalogue::key)
        .def_readonly("name", &Catalogue::name)
        .def_readonly("source", &Catalogue::source)
        .def_readonly("duties", &Catalogue::duties)
        .def_readonly("roles", &Catalogue::roles)
        .def_static("preset", &Catalogue::preset, py::arg("key"),
                    "A built-in catalogue: township_000, community_001, district_002, "
                    "county_seat_003. Raises NotFoundError for another key.")
        .def_static("preset_keys", &Catalogue::preset_keys)
        .def_static(
            "from_json",
            [](const std::string& text, const std::string& source_name) {
                return Catalogue::from_json(text, source_name);
            },
            py::arg("text"), py::arg("source_name") = "<text>",
            "Parses a catalogue; errors name the source, the entry and the field.")
        .def("to_json", &Catalogue::to_json)
        .def("__repr__", [](const Catalogue& c) {
            return "<Catalogue " + c.key + ": " + std::to_string(c.duties.size()) + " duties, " +
                   std::to_string(c.roles.size()) + " roles>";
        });

    // ---- records -------------------------------------------------------------------
    py::class_<PyPerson>(m, "Person",
                         "A person of the directory. phone and id_number are masked unless the "
                         "call that returned the person said reveal=True.")
        .def_property_readonly("id", [](const PyPerson& p) { return p.person.id; })
        .def_property_readonly("name", [](const PyPerson& p) { return p.person.name; })
        .def_property_readonly("phone", [](const PyPerson& p) { return p.person.phone; })
        .def_property_readonly("id_number", [](const PyPerson& p) { return p.person.id_number; })
        .def_property_readonly(
            "party", [](const PyPerson& p) { return party_membership_name(p.person.party); })
        .def_property_readonly("categories", [](const PyPerson& p) { return p.person.categories; })
        .def_property_readonly("attributes",
                               [](const PyPerson& p) {
                                   py::dict out;
                                   for (const auto& [k, v] : p.person.attributes)
                                       out[py::str(k)] = v;
                                   return out;
                               })
        .def_readonly("revealed", &PyPerson::revealed)
        .def("__repr__", &person_repr);

    py::class_<PyAssignment>(m, "Assignment",
                             "A person on a role at a node over [start, end), post 'A' or 'B'.")
        .def_readonly("id", &PyAssignment::id)
        .def_readonly("person", &PyAssignment::person)
        .def_readonly("role", &PyAssignment::role)
        .def_readonly("node", &PyAssignment::node)
        .def_property_readonly("post", [](const PyAssignment& a) { return post_name(a.post); })
        .def_property_readonly("start",
                               [](const PyAssignment& a) { return from_date(a.period.from); })
        .def_property_readonly("end", [](const PyAssignment& a) { return from_date(a.period.to); })
        .def("__repr__", [](const PyAssignment& a) {
            return "<Assignment #" + std::to_string(a.id) + " " + a.person + " as " + a.role +
                   " at " + a.node + " post " + post_name(a.post) + " " + period_repr(a.period) +
                   ">";
        });

    py::class_<PyAbsence>(m, "Absence", "Leave of a person, or vacancy of one of their posts.")
        .def_readonly("id", &PyAbsence::id)
        .def_readonly("person", &PyAbsence::person)
        .def_property_readonly("kind", [](const PyAbsence& a) { return absence_kind_name(a.kind); })
        .def_property_readonly("start", [](const PyAbsence& a) { return from_date(a.period.from); })
        .def_property_readonly("end", [](const PyAbsence& a) { return from_date(a.period.to); })
        .def_readonly("assignment", &PyAbsence::assignment, "0 = every post of the person")
        .def_readonly("reason", &PyAbsence::reason)
        .def("__repr__", [](const PyAbsence& a) {
            return "<Absence #" + std::to_string(a.id) + " " + a.person + " " +
                   absence_kind_name(a.kind) + " " + period_repr(a.period) + ">";
        });

    py::class_<PyUnit>(m, "Unit", "A party group, team or information archive at a node.")
        .def_readonly("code", &PyUnit::code)
        .def_property_readonly("kind", [](const PyUnit& u) { return unit_kind_name(u.kind); })
        .def_readonly("name", &PyUnit::name)
        .def_readonly("node", &PyUnit::node)
        .def_property_readonly("start", [](const PyUnit& u) { return from_date(u.period.from); })
        .def_property_readonly("end", [](const PyUnit& u) { return from_date(u.period.to); })
        .def_readonly("members", &PyUnit::members)
        .def("__repr__", [](const PyUnit& u) {
            return "<Unit " + u.code + " " + unit_kind_name(u.kind) + " " + u.name + " at " +
                   u.node + ">";
        });

    py::class_<PyStep>(m, "ResolutionStep", "One node-role-post the resolution looked at.")
        .def_readonly("node", &PyStep::node)
        .def_readonly("role", &PyStep::role)
        .def_readonly("post", &PyStep::post)
        .def_readonly("person", &PyStep::person)
        .def_property_readonly("assignment",
                               [](const PyStep& s) -> py::object {
                                   if (s.assignment == 0)
                                       return py::none();
                                   return py::int_(s.assignment);
                               })
        .def_readonly("outcome", &PyStep::outcome, "'no_holder', 'absent' or 'chosen'")
        .def_property_readonly("absence",
                               [](const PyStep& s) -> py::object {
                                   if (s.absence == 0)
                                       return py::none();
                                   return py::int_(s.absence);
                               })
        .def_property_readonly("absence_kind",
                               [](const PyStep& s) -> py::object {
                                   if (s.absence_kind.empty())
                                       return py::none();
                                   return py::str(s.absence_kind);
                               })
        .def("__repr__", [](const PyStep& s) {
            return "<ResolutionStep " + s.node + " " + s.role + " post " + s.post + " " +
                   s.person.value_or("-") + " " + s.outcome + ">";
        });

    py::class_<PyResponsibility>(m, "Responsibility",
                                 "Who is responsible (person is None when nobody), where and how "
                                 "they were found, and every step of the walk.")
        .def_property_readonly("found",
                               [](const PyResponsibility& r) { return r.person.has_value(); })
        .def_readonly("person", &PyResponsibility::person)
        .def_readonly("name", &PyResponsibility::name)
        .def_readonly("role", &PyResponsibility::role)
        .def_readonly("node", &PyResponsibility::node)
        .def_readonly("post", &PyResponsibility::post)
        .def_property_readonly("assignment",
                               [](const PyResponsibility& r) -> py::object {
                                   if (r.assignment == 0)
                                       return py::none();
                                   return py::int_(r.assignment);
                               })
        .def_readonly("steps", &PyResponsibility::steps)
        .def("__bool__", [](const PyResponsibility& r) { return r.person.has_value(); })
        .def("__repr__", [](const PyResponsibility& r) {
            if (!r.person) {
                return "<Responsibility nobody after " + std::to_string(r.steps.size()) + " steps>";
            }
            return "<Responsibility " + *r.person + " " + r.name.value_or("") + " as " +
                   r.role.value_or("") + " at " + r.node.value_or("") + " post " +
                   r.post.value_or("") + ">";
        });

    py::class_<PyRosterEntry>(m, "RosterEntry", "A post held on a date.")
        .def_readonly("assignment", &PyRosterEntry::assignment)
        .def_readonly("person", &PyRosterEntry::person)
        .def_readonly("name", &PyRosterEntry::name)
        .def_readonly("phone", &PyRosterEntry::phone, "masked unless reveal=True")
        .def_readonly("role", &PyRosterEntry::role)
        .def_readonly("role_zh", &PyRosterEntry::role_zh)
        .def_readonly("node", &PyRosterEntry::node)
        .def_property_readonly("post", [](const PyRosterEntry& e) { return post_name(e.post); })
        .def_property_readonly("start",
                               [](const PyRosterEntry& e) { return from_date(e.period.from); })
        .def_property_readonly("end", [](const PyRosterEntry& e) { return from_date(e.period.to); })
        .def_property_readonly("absent", [](const PyRosterEntry& e) { return e.absence != 0; })
        .def_property_readonly("absence",
                               [](const PyRosterEntry& e) -> py::object {
                                   if (e.absence == 0)
                                       return py::none();
                                   return py::int_(e.absence);
                               })
        .def("__repr__", [](const PyRosterEntry& e) {
            return "<RosterEntry " + e.person + " " + e.name + " as " + e.role + " at " + e.node +
                   " post " + post_name(e.post) + (e.absence != 0 ? " (absent)" : "") + ">";
        });

    py::class_<DirectoryImportReport>(m, "DirectoryImportReport", "What a directory import added.")
        .def_readonly("people_added", &DirectoryImportReport::people_added)
        .def_readonly("units_added", &DirectoryImportReport::units_added)
        .def_readonly("assignments_added", &DirectoryImportReport::assignments_added)
        .def_readonly("absences_added", &DirectoryImportReport::absences_added)
        .def("__repr__", [](const DirectoryImportReport& r) {
            return "<DirectoryImportReport " + std::to_string(r.people_added) + " people, " +
                   std::to_string(r.units_added) + " units, " +
                   std::to_string(r.assignments_added) + " assignments, " +
                   std::to_string(r.absences_added) + " absences>";
        });

    // ---- the directory of a workspace ----------------------------------------------
    py::class_<DirectoryView>(
        m, "Directory",
        "The directory of a workspace (Workspace.directory): people, roles and duties, units, "
        "assignments on posts A and B, absences. Every change is one transaction; a refused "
        "change raises and changes nothing. Dates are datetime.date or 'YYYY-MM-DD'; nodes are "
        "ids, codes or Nodes.")
        .def_property_readonly(
            "catalogue",
            [](const DirectoryView& self) {
                return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                    return ws.directory().view().catalogue();
                });
            },
            "A copy of the catalogue in use.")
        .def(
            "set_catalogue",
            [](const DirectoryView& self, py::object catalogue) {
                const Catalogue c = py::isinstance<py::str>(catalogue)
                                        ? Catalogue::preset(catalogue.cast<std::string>())
                                        : catalogue.cast<Catalogue>();
                self.workspace->write(Gil::release,
                                      [&](Workspace& ws) { ws.directory().set_catalogue(c); });
            },
            py::arg("catalogue"),
            "Uses a Catalogue, or a preset by key. Raises InvalidStateError when an assignment "
            "uses a role the catalogue lacks or holds at another level.")

        // ---- people ----
        .def(
            "add_person",
            [](const DirectoryView& self, const std::string& id, const std::string& name,
               const std::string& phone, const std::string& id_number, const std::string& party,
               py::object categories, py::object attrs) {
                const Person p = person_of(id, name, phone, id_number, party, categories, attrs);
                self.workspace->write(Gil::release,
                                      [&](Workspace& ws) { ws.directory().add_person(p); });
            },
            py::arg("id"), py::arg("name"), py::arg("phone") = "", py::arg("id_number") = "",
            py::arg("party") = "none", py::arg("categories") = py::none(),
            py::arg("attributes") = py::none(),
            "Adds a person. A bad 居民身份证号 raises InvalidArgumentError naming the person and "
            "the field.")
        .def(
            "update_person",
            [](const DirectoryView& self, const std::string& id, const std::string& name,
               const std::string& phone, const std::string& id_number, const std::string& party,
               py::object categories, py::object attrs) {
                const Person p = person_of(id, name, phone, id_number, party, categories, attrs);
                self.workspace->write(Gil::release,
                                      [&](Workspace& ws) { ws.directory().update_person(p); });
            },
            py::arg("id"), py::arg("name"), py::arg("phone") = "", py::arg("id_number") = "",
            py::arg("party") = "none", py::arg("categories") = py::none(),
            py::arg("attributes") = py::none(), "Replaces every field of a known person.")
        .def(
            "person",
            [](const DirectoryView& self, const std::string& id, bool reveal) {
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Directory& d = ws.directory().view();
                    return masked(d.person(d.person_at(id)), reveal);
                });
            },
            py::arg("id"), py::arg("reveal") = false)
        .def(
            "people",
            [](const DirectoryView& self, bool reveal) {
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Directory& d = ws.directory().view();
                    std::vector<PyPerson> out;
                    for (PersonId p = 0; p < d.person_count(); ++p) {
                        out.push_back(masked(d.person(p), reveal));
                    }
                    return out;
                });
            },
            py::arg("reveal") = false,
            "Every person, phones and ID numbers masked unless revealed.")
        .def("__len__",
             [](const DirectoryView& self) {
                 return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                     return ws.directory().view().person_count();
                 });
             })

        // ---- assignments, absences, units ----
        .def(
            "add_assignment",
            [](const DirectoryView& self, const std::string& person, const std::string& role,
               py::object node, py::object start, py::object end, const std::string& post) {
                const NodeRef ref = node_ref(node);
                Assignment a;
                a.person = person;
                a.role = role;
                a.post = parse_post(post);
                a.period.from = to_date(start, "start");
                a.period.to = to_date_or(end, Date::max(), "end");
                return self.workspace->write(Gil::release, [&](Workspace& ws) {
                    a.node = post_node(ws, a.role, ref);
                    return ws.directory().add_assignment(a);
                });
            },
            py::arg("person"), py::arg("role"), py::arg("node"), py::arg("start"),
            py::arg("end") = py::none(), py::arg("post") = "A",
            "Assigns a person to a role at a node from start (until end, exclusive); returns the "
            "assignment id. Overlapping post-A holders of an exactly-one role raise "
            "AlreadyExistsError.")
        .def(
            "end_assignment",
            [](const DirectoryView& self, AssignmentId id, py::object end) {
                const Date to = to_date(end, "end");
                self.workspace->write(
                    Gil::release, [&](Workspace& ws) { ws.directory().end_assignment(id, to); });
            },
            py::arg("id"), py::arg("end"), "Closes an assignment's period; history is kept.")
        .def(
            "assignments",
            [](const DirectoryView& self) {
                return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                    std::vector<PyAssignment> out;
                    const Directory& d = ws.directory().view();
                    const Networks net = ws.hierarchy().networks();
                    for (const Assignment& a : d.assignments()) {
                        out.push_back(PyAssignment{a.id, a.person, a.role, net.code(d.place_of(a)),
                                                   a.post, a.period});
                    }
                    return out;
                });
            },
            "Every assignment ever made, in id order.")
        .def(
            "add_absence",
            [](const DirectoryView& self, const std::string& person, py::object start,
               py::object end, const std::string& kind, AssignmentId assignment,
               const std::string& reason) {
                Absence ab;
                ab.person = person;
                ab.kind = parse_absence_kind(kind);
                ab.period.from = to_date(start, "start");
                ab.period.to = to_date_or(end, Date::max(), "end");
                ab.assignment = assignment;
                ab.reason = reason;
                return self.workspace->write(
                    Gil::release, [&](Workspace& ws) { return ws.directory().add_absence(ab); });
            },
            py::arg("person"), py::arg("start"), py::arg("end") = py::none(),
            py::arg("kind") = "leave", py::arg("assignment") = 0, py::arg("reason") = "",
            "Records leave (every post) or, with an assignment id, the vacancy of one post; "
            "returns the absence id.")
        .def(
            "end_absence",
            [](const DirectoryView& self, AbsenceId id, py::object end) {
                const Date to = to_date(end, "end");
                self.workspace->write(Gil::release,
                                      [&](Workspace& ws) { ws.directory().end_absence(id, to); });
            },
            py::arg("id"), py::arg("end"))
        .def("absences",
             [](const DirectoryView& self) {
                 return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                     std::vector<PyAbsence> out;
                     for (const Absence& a : ws.directory().view().absences()) {
                         out.push_back(
                             PyAbsence{a.id, a.person, a.kind, a.period, a.assignment, a.reason});
                     }
                     return out;
                 });
             })
        .def(
            "add_unit",
            [](const DirectoryView& self, const std::string& code, const std::string& kind,
               const std::string& name, py::object node, py::object start, py::object end,
               py::object members) {
                const NodeRef ref = node_ref(node);
                Unit u;
                u.code = code;
                u.kind = parse_unit_kind(kind);
                u.name = name;
                u.period.from = to_date_or(start, Date::min(), "start");
                u.period.to = to_date_or(end, Date::max(), "end");
                u.members = strings(members, "members");
                self.workspace->write(Gil::release, [&](Workspace& ws) {
                    u.node = resolve(ws.hierarchy().view(), ref);
                    ws.directory().add_unit(u);
                });
            },
            py::arg("code"), py::arg("kind"), py::arg("name"), py::arg("node"),
            py::arg("start") = py::none(), py::arg("end") = py::none(),
            py::arg("members") = py::none(),
            "Attaches a unit: kind 'party_group', 'service_team', 'volunteer_team' or "
            "'information_archive' (or 党小组 / 服务团队 / 志愿服务队 / 信息档案).")
        .def(
            "end_unit",
            [](const DirectoryView& self, const std::string& code, py::object end) {
                const Date to = to_date(end, "end");
                self.workspace->write(Gil::release,
                                      [&](Workspace& ws) { ws.directory().end_unit(code, to); });
            },
            py::arg("code"), py::arg("end"))
        .def(
            "set_unit_members",
            [](const DirectoryView& self, const std::string& code, py::object members) {
                const std::vector<std::string> list = strings(members, "members");
                self.workspace->write(Gil::release, [&](Workspace& ws) {
                    ws.directory().set_unit_members(code, list);
                });
            },
            py::arg("code"), py::arg("members"))
        .def("units",
             [](const DirectoryView& self) {
                 return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                     std::vector<PyUnit> out;
                     for (const Unit& u : ws.directory().view().units()) {
                         out.push_back(PyUnit{u.code, u.kind, u.name,
                                              node_code(ws.hierarchy().view(), u.node), u.period,
                                              u.members});
                     }
                     return out;
                 });
             })

        // ---- import and export ----
        .def(
            "import_file",
            [](const DirectoryView& self, py::object path, py::object table) {
                const std::string file = fspath(path);
                const DirectoryTable t = table_of(table);
                return self.workspace->write(Gil::release, [&](Workspace& ws) {
                    return ws.directory().import_file(file, t);
                });
            },
            py::arg("path"), py::arg("table") = py::none(),
            "Imports a .json or .csv file in one transaction (format: docs/directory.md). A CSV "
            "file's table is its name (people.csv, 青石村_assignments.csv) unless given. A bad "
            "row raises an error naming the file, row and field; nothing is imported.")
        .def(
            "import_text",
            [](const DirectoryView& self, const std::string& text, const std::string& format,
               py::object table, const std::string& source_name) {
                const DocumentFormat f = format_of(format);
                const DirectoryTable t = table_of(table);
                return self.workspace->write(Gil::release, [&](Workspace& ws) {
                    return ws.directory().import_text(text, f, t, source_name);
                });
            },
            py::arg("text"), py::arg("format") = "auto", py::arg("table") = py::none(),
            py::arg("source_name") = "<text>")
        .def(
            "export",
            [](const DirectoryView& self, const std::string& format, py::object table,
               bool reveal) {
                const DocumentFormat f = format_of(format);
                const DirectoryTable t = table_of(table);
                return self.workspace->read(Gil::release, [&](const Workspace& ws) {
                    if (f == DocumentFormat::csv) {
                        return ws.directory().view().export_csv(ws.hierarchy().networks(), t,
                                                                reveal_of(reveal));
                    }
                    if (f != DocumentFormat::json && f != DocumentFormat::automatic) {
                        throw Error(ErrorCode::invalid_argument, "export(): format json or csv");
                    }
                    return ws.directory().view().export_json(ws.hierarchy().networks(),
                                                             reveal_of(reveal));
                });
            },
            py::arg("format") = "json", py::arg("table") = py::none(), py::arg("reveal") = false,
            "The directory as JSON (every table) or one table as CSV, masked unless revealed.")

        // ---- questions ----
        .def(
            "responsible",
            [](const DirectoryView& self, py::object node, const std::string& code,
               py::object date) {
                const NodeRef ref = node_ref(node);
                const Date on = to_date(date, "date");
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Directory& d = ws.directory().view();
                    const Networks net = ws.hierarchy().networks();
                    return convert(d, net, d.responsible(net, place_of(ws, ref), code, on));
                });
            },
            py::arg("node"), py::arg("code"), py::arg("date"),
            "Who is responsible for a duty or a role (code names either) at a node on a date: "
            "the node's present post-A holder, else its post-B holder, else the same up the "
            "hierarchy; from a base node, when the base finds nobody, the overlay units "
            "covering it. node may be an overlay unit as 'market:D01' (the walk then stays on "
            "that overlay). The answer carries every step of the walk.")
        .def(
            "responsible_function",
            [](const DirectoryView& self, py::object node, const std::string& function,
               py::object date) {
                const NodeRef ref = node_ref(node);
                const RoleFunction f = parse_role_function(function);
                const Date on = to_date(date, "date");
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Directory& d = ws.directory().view();
                    const NodeId n = resolve(ws.hierarchy().view(), ref);
                    const Networks net = ws.hierarchy().networks();
                    return convert(d, net, d.responsible(net, n, f, on));
                });
            },
            py::arg("node"), py::arg("function"), py::arg("date"),
            "The holder of a role with a function ('grid_leader', 'information_officer', "
            "'supervisor') for a node on a date, found as responsible() finds one.")
        .def(
            "resolve",
            [](const DirectoryView& self, py::object nodes, const std::string& code,
               py::object date) {
                const std::vector<NodeRef> refs = node_refs(nodes);
                const Date on = to_date(date, "date");
                const std::vector<std::optional<std::string>> people =
                    self.workspace->read(Gil::release, [&](const Workspace& ws) {
                        const Directory& d = ws.directory().view();
                        std::vector<std::optional<std::string>> out;
                        out.reserve(refs.size());
                        for (const NodeRef& ref : refs) {
                            const Responsibility r = d.responsible(ws.hierarchy().networks(),
                                                                   place_of(ws, ref), code, on);
                            if (r.found()) {
                                out.emplace_back(d.person(r.person).id);
                            } else {
                                out.emplace_back(std::nullopt);
                            }
                        }
                        return out;
                    });
                return people;
            },
            py::arg("nodes"), py::arg("code"), py::arg("date"),
            "responsible() for many nodes at once (without the GIL): the person ids, None where "
            "nobody is responsible.")
        .def(
            "roster",
            [](const DirectoryView& self, py::object node, py::object date, bool reveal) {
                const NodeRef ref = node_ref(node);
                const Date on = to_date(date, "date");
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Place n = place_of(ws, ref);
                    return convert(ws.directory().view(), ws.hierarchy().networks(),
                                   ws.directory().view().roster(n, on), reveal);
                });
            },
            py::arg("node"), py::arg("date"), py::arg("reveal") = false,
            "The posts held at a node (or an overlay unit, 'market:D01') on a date, post A "
            "first.")
        .def(
            "posts",
            [](const DirectoryView& self, const std::string& person, py::object date, bool reveal) {
                const Date on = to_date(date, "date");
                return self.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    return convert(ws.directory().view(), ws.hierarchy().networks(),
                                   ws.directory().view().posts(person, on), reveal);
                });
            },
            py::arg("person"), py::arg("date"), py::arg("reveal") = false,
            "The posts a person holds on a date.")
        .def(
            "workload",
            [](const DirectoryView& self, py::object date, const std::string& grid_level) {
                const Date on = to_date(date, "date");
                struct Columns {
                    std::vector<std::string> person;
                    std::vector<std::uint32_t> primary, backup, grids;
                    std::vector<double> households, population;
                };
                Columns c = self.workspace->read(Gil::release, [&](const Workspace& ws) {
                    Columns out;
                    const Directory& d = ws.directory().view();
                    for (const Workload& w :
                         d.workload(ws.hierarchy().networks(), on, grid_level)) {
                        out.person.push_back(d.person(w.person).id);
                        out.primary.push_back(w.primary_posts);
                        out.backup.push_back(w.backup_posts);
                        out.grids.push_back(w.grids);
                        out.households.push_back(w.households);
                        out.population.push_back(w.population);
                    }
                    return out;
                });
                py::dict out;
                out["person"] = c.person;
                out["primary_posts"] = owning_array(std::move(c.primary), true);
                out["backup_posts"] = owning_array(std::move(c.backup), true);
                out["grids"] = owning_array(std::move(c.grids), true);
                out["households"] = owning_array(std::move(c.households), true);
                out["population"] = owning_array(std::move(c.population), true);
                return out;
            },
            py::arg("date"), py::arg("grid_level") = "grid",
            "Per person (in directory order) as columns: person (list of ids), primary_posts, "
            "backup_posts, grids, households, population (numpy arrays) — pandas.DataFrame() "
            "takes the dict as it is.")
        .def(
            "compliance",
            [](const DirectoryView& self, py::object date, py::object scope,
               const std::string& grid_level, bool five_ones, bool cardinality, bool primary_worker,
               bool backup_not_primary, std::uint32_t max_primary_grids, bool node_lifetime) {
                const Date on = to_date(date, "date");
                std::optional<NodeRef> ref;
                if (!scope.is_none())
                    ref = node_ref(scope);
                const CompliancePolicy policy =
                    policy_of(grid_level, five_ones, cardinality, primary_worker,
                              backup_not_primary, max_primary_grids, node_lifetime);
                return self.workspace->read(Gil::release, [&](const Workspace& ws) {
                    const NodeId n = ref ? resolve(ws.hierarchy().view(), *ref) : no_node;
                    return ws.directory().view().compliance(ws.hierarchy().networks(), on, policy,
                                                            n);
                });
            },
            py::arg("date"), py::arg("scope") = py::none(), py::arg("grid_level") = "grid",
            py::arg("five_ones") = true, py::arg("cardinality") = true,
            py::arg("primary_worker") = true, py::arg("backup_not_primary") = true,
            py::arg("max_primary_grids") = 1, py::arg("node_lifetime") = true,
            "Staffing findings (rule ids directory.*) for the nodes under scope on a date.")
        .def(
            "chart",
            [](const DirectoryView& self, py::object date, const std::string& format, bool reveal,
               py::object scope) {
                const Date on = to_date(date, "date");
                const DocumentFormat f = format_of(format);
                std::optional<NodeRef> ref;
                if (!scope.is_none())
                    ref = node_ref(scope);
                return self.workspace->read(Gil::release, [&](const Workspace& ws) {
                    const NodeId n = ref ? resolve(ws.hierarchy().view(), *ref) : no_node;
                    return ws.directory().view().chart(ws.hierarchy().view(), on, f,
                                                       reveal_of(reveal), n);
                });
            },
            py::arg("date"), py::arg("format") = "json", py::arg("reveal") = false,
            py::arg("scope") = py::none(),
            "The responsibility chart (网格化图谱) per grid as 'json', 'csv' or 'html' (a "
            "printable page); phones masked unless revealed.")
        .def(
            "casbin",
            [](const DirectoryView& self, py::object date) {
                const Date on = to_date(date, "date");
                return self.workspace->read(Gil::release, [&](const Workspace& ws) {
                    return ws.directory().view().casbin_policy(ws.hierarchy().networks(), on);
                });
            },
            py::arg("date"), "Assignments valid on a date as Casbin lines 'g, person, role, node'.")
        .def("__repr__", [](const DirectoryView& self) {
            return self.workspace->read(Gil::keep, [](const Workspace& ws) {
                const Directory& d = ws.directory().view();
                return "<Directory " + d.catalogue().key + ": " + std::to_string(d.person_count()) +
                       " people, " + std::to_string(d.assignments().size()) + " assignments>";
            });
        });

    // Workspace.directory: the class is registered by bind_workspace(), which runs first.
    auto workspace =
        py::reinterpret_borrow<py::class_<WorkspaceHandle, Handle>>(m.attr("Workspace"));
    workspace.def_property_readonly(
        "directory",
        [](const Handle& self) {
            self->read(Gil::keep, [](const Workspace&) { return true; });
            return DirectoryView{self};
        },
        "The directory: people, roles, units, assignments (a view that follows this workspace).");
}

}  // namespace gridgov::python
