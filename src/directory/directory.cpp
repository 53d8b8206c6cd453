// The in-memory directory: checked changes, the resolution index and the questions
// answered from it (responsible, roster, posts, workload).
#include <unordered_map>

#include "core/text.hpp"
#include "directory/directory_impl.hpp"
#include "directory/text_io.hpp"

namespace gridgov {
namespace {

using detail::field_error;
using detail::IndexEntry;
using detail::Label;
using detail::quote;

void check_code(const std::string& where, const char* field, const std::string& value) {
    if (value.empty())
        field_error(ErrorCode::invalid_argument, where, field, "empty");
    detail::check_field_text(value, detail::TextKind::line, where, field);
    if (value.front() == ' ' || value.back() == ' ') {
        field_error(ErrorCode::invalid_argument, where, field,
                    "leading or trailing space in code " + quote(value));
    }
}

void check_period(const std::string& where, const Period& p) {
    if (p.empty()) {
        field_error(ErrorCode::invalid_argument, where, "to",
                    "period " + detail::period_text(p) + " is empty (from must be before to)");
    }
}

std::string node_text(const Hierarchy& h, NodeId n) {
    if (n < h.id_count())
        return quote(h.code(n));
    return "#" + std::to_string(n);
}

void check_node(const Hierarchy& h, const std::string& where, NodeId node) {
    if (node == no_node || node >= h.id_count()) {
        field_error(
            ErrorCode::not_found, where, "node",
            "no node with id " + (node == no_node ? std::string("no_node") : std::to_string(node)));
    }
}

/// "G01", or "fire:F01" for a unit of a role's overlay.
std::string place_code(const RoleType& role, const Hierarchy& h, NodeId n) {
    return role.overlay.empty() ? h.code(n) : role.overlay + ":" + h.code(n);
}

std::string assignment_text(const Directory::Impl& d, std::size_t index) {
    const Assignment& a = d.assignments[index];
    return "assignment #" + std::to_string(a.id) + " (" + quote(a.person) + " as " + quote(a.role) +
           " post " + post_name(a.post) + " over " + detail::period_text(a.period) + ")";
}

}  // namespace

// ---- construction ---------------------------------------------------------------------

Directory::Directory() : impl_(std::make_unique<Impl>()) {
    impl_->rebuild_index();
}

Directory::Directory(Catalogue catalogue) : Directory() {
    set_catalogue(std::move(catalogue));
}

Directory::Directory(const Directory& o) : impl_(std::make_unique<Impl>(*o.impl_)) {}
Directory::Directory(Directory&&) noexcept = default;
Directory& Directory::operator=(const Directory& o) {
    if (this != &o)
        impl_ = std::make_unique<Impl>(*o.impl_);
    return *this;
}
Directory& Directory::operator=(Directory&&) noexcept = default;
Directory::~Directory() = default;

// ---- catalogue ------------------------------------------------------------------------

void Directory::Impl::index_catalogue() {
    role_codes.clear();
    duty_codes.clear();
    for (std::size_t i = 0; i < catalogue.duties.size(); ++i) {
        duty_codes.emplace(catalogue.duties[i].code, static_cast<DutyId>(i));
    }
    duty_roles.assign(catalogue.duties.size(), {});
    for (auto& f : function_roles)
        f.clear();
    for (std::size_t i = 0; i < catalogue.roles.size(); ++i) {
        const RoleType& r = catalogue.roles[i];
        role_codes.emplace(r.code, static_cast<RoleId>(i));
        for (const std::string& d : r.duties) {
            duty_roles[duty_codes.at(d)].push_back(static_cast<RoleId>(i));
        }
        function_roles[static_cast<std::size_t>(r.function)].push_back(static_cast<RoleId>(i));
    }
}

const Catalogue& Directory::catalogue() const {
    return impl_->catalogue;
}

void Directory::set_catalogue(Catalogue c) {
    detail::check_catalogue(c, "catalogue " + quote(c.key));
    Impl& d = *impl_;
    std::vector<RoleId> remapped(d.assignments.size());
    for (std::size_t i = 0; i < d.assignments.size(); ++i) {
        const Assignment& a = d.assignments[i];
        const auto r = c.find_role(a.role);
        if (!r) {
            throw Error(ErrorCode::invalid_state, "catalogue " + quote(c.key) + " lacks role " +
                                                      quote(a.role) + " used by " +
                                                      assignment_text(d, i));
        }
        if (c.roles[*r].level != d.catalogue.roles[d.assignment_role[i]].level) {
            throw Error(ErrorCode::invalid_state,
                        "catalogue " + quote(c.key) + " holds role " + quote(a.role) +
                            " at level " + quote(c.roles[*r].level) + ", but " +
                            assignment_text(d, i) + " holds it at level " +
                            quote(d.catalogue.roles[d.assignment_role[i]].level));
        }
        if (c.roles[*r].overlay != d.catalogue.roles[d.assignment_role[i]].overlay) {
            const auto network = [](const std::string& o) {
                return o.empty() ? std::string("the base hierarchy") : "overlay " + quote(o);
            };
            throw Error(ErrorCode::invalid_state,
                        "catalogue " + quote(c.key) + " holds role " + quote(a.role) + " on " +
                            network(c.roles[*r].overlay) + ", but " + assignment_text(d, i) +
                            " holds it on " +
                            network(d.catalogue.roles[d.assignment_role[i]].overlay));
        }
        remapped[i] = *r;
    }
    d.catalogue = std::move(c);
    d.assignment_role = std::move(remapped);
    d.index_catalogue();
    d.rebuild_index();
}

const RoleType& Directory::role(RoleId id) const {
    if (id >= impl_->catalogue.roles.size()) {
        throw Error(ErrorCode::not_found, "no role with id " + std::to_string(id));
    }
    return impl_->catalogue.roles[id];
}

const Duty& Directory::duty(DutyId id) const {
    if (id >= impl_->catalogue.duties.size()) {
        throw Error(ErrorCode::not_found, "no duty with id " + std::to_string(id));
    }
    return impl_->catalogue.duties[id];
}

RoleId Directory::role_at(std::string_view code) const {
    const auto it = impl_->role_codes.find(code);
    if (it == impl_->role_codes.end()) {
        throw Error(ErrorCode::not_found,
                    "no role " + quote(code) + " in catalogue " + quote(impl_->catalogue.key));
    }
    return it->second;
}

// ---- people ---------------------------------------------------------------------------

namespace {

void check_person(const Person& p, const std::string& where) {
    check_code(where, "id", p.id);
    if (p.name.empty())
        field_error(ErrorCode::invalid_argument, where, "name", "empty");
    // Text is stored, exported to JSON and CSV and handed to C as NUL-terminated strings:
    // one line of UTF-8 for every field but the attribute values, which may span lines.
    detail::check_field_text(p.name, detail::TextKind::line, where, "name");
    detail::check_field_text(p.phone, detail::TextKind::line, where, "phone");
    detail::check_field_text(p.id_number, detail::TextKind::line, where, "id_number");
    for (const std::string& category : p.categories)
        detail::check_field_text(category, detail::TextKind::line, where, "categories");
    for (const auto& [key, value] : p.attributes) {
        detail::check_field_text(key, detail::TextKind::line, where, "attributes");
        detail::check_field_text(value, detail::TextKind::free, where, key);
    }
    if (!p.id_number.empty() && !is_valid_id_number(p.id_number)) {
        std::string why = "not a valid 居民身份证号 " + quote(mask_id_number(p.id_number));
        const std::string_view id = p.id_number;
        bool digits17 = id.size() == 18;
        for (std::size_t i = 0; digits17 && i < 17; ++i)
            digits17 = id[i] >= '0' && id[i] <= '9';
        if (id.size() != 18) {
            why += ": " + std::to_string(id.size()) + " characters, expected 18";
        } else if (!digits17) {
            why += ": the first 17 characters must be digits";
        } else {
            const char expected = id_number_check_character(id.substr(0, 17));
            const char got = id[17] == 'x' ? 'X' : id[17];
            if (got != expected) {
                why += std::string(": check character is '") + id[17] + "', GB 11643 gives '" +
                       expected + "'";
            } else {
                why += ": the birth date is not a real date";
            }
        }
        field_error(ErrorCode::invalid_argument, where, "id_number", why);
    }
    for (const auto& [key, value] : p.attributes) {
        if (key.empty())
            field_error(ErrorCode::invalid_argument, where, "attributes", "empty key");
    }
}

}  // namespace

void Directory::Impl::add_people(const std::vector<Person>& batch, const Label& label) {
    detail::StringMap<std::size_t> seen;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Person& p = batch[i];
        check_person(p, label(i));
        if (person_codes.count(p.id) != 0) {
            field_error(ErrorCode::already_exists, label(i), "id",
                        "person " + quote(p.id) + " already exists");
        }
        if (const auto [it, fresh] = seen.emplace(p.id, i); !fresh) {
            field_error(ErrorCode::already_exists, label(i), "id",
                        "person " + quote(p.id) + " also given by " + label(it->second));
        }
    }
    for (const Person& p : batch) {
        person_codes.emplace(p.id, static_cast<PersonId>(people.size()));
        people.push_back(p);
    }
    rebuild_index();
}

void Directory::Impl::update_person(const Person& p, const Label& label) {
    const auto it = person_codes.find(p.id);
    if (it == person_codes.end()) {
        field_error(ErrorCode::not_found, label(0), "id", "no person " + quote(p.id));
    }
    check_person(p, label(0));
    people[it->second] = p;
}

PersonId Directory::add_person(const Person& person) {
    return add_people({person}).front();
}

std::vector<PersonId> Directory::add_people(const std::vector<Person>& people) {
    const auto first = static_cast<PersonId>(impl_->people.size());
    impl_->add_people(people, [&](std::size_t i) { return "person " + quote(people[i].id); });
    std::vector<PersonId> ids(people.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] = first + static_cast<PersonId>(i);
    return ids;
}

void Directory::update_person(const Person& person) {
    impl_->update_person(person, [&](std::size_t) { return "person " + quote(person.id); });
}

std::size_t Directory::person_count() const {
    return impl_->people.size();
}

const Person& Directory::person(PersonId id) const {
    if (id >= impl_->people.size()) {
        throw Error(ErrorCode::not_found, "no person with id " + std::to_string(id));
    }
    return impl_->people[id];
}

std::optional<PersonId> Directory::find_person(std::string_view id) const {
    const auto it = impl_->person_codes.find(id);
    if (it == impl_->person_codes.end())
        return std::nullopt;
    return it->second;
}

PersonId Directory::person_at(std::string_view id) const {
    const auto p = find_person(id);
    if (!p)
        throw Error(ErrorCode::not_found, "no person " + quote(id));
    return *p;
}

// ---- assignments ----------------------------------------------------------------------

void Directory::Impl::add_assignments(const Networks& networks,
                                      const std::vector<Assignment>& batch, const Label& label) {
    std::vector<PersonId> persons(batch.size());
    std::vector<RoleId> roles(batch.size());
    // Groups of the batch by (node, role, post) for the overlap checks among themselves.
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Assignment& a = batch[i];
        const std::string where = label(i);
        const auto p = person_codes.find(a.person);
        if (p == person_codes.end()) {
            field_error(ErrorCode::not_found, where, "person", "no person " + quote(a.person));
        }
        const auto r = role_codes.find(a.role);
        if (r == role_codes.end()) {
            field_error(ErrorCode::not_found, where, "role",
                        "no role " + quote(a.role) + " in catalogue " + quote(catalogue.key));
        }
        const RoleType& role = catalogue.roles[r->second];
        if (!role.overlay.empty() && networks.find_overlay(role.overlay) == nullptr) {
            field_error(ErrorCode::not_found, where, "node",
                        "role " + quote(role.code) + " is held on overlay " + quote(role.overlay) +
                            ", which the workspace does not have");
        }
        const Hierarchy& h = networks.nodes(role.overlay);
        check_node(h, where, a.node);
        const std::string& level = h.levels()[static_cast<std::size_t>(h.level(a.node))].key;
        if (level != role.level) {
            field_error(ErrorCode::invalid_argument, where, "node",
                        "role " + quote(role.code) + " (" + role.label_zh + ") is held at level " +
                            quote(role.level) + ", node " + quote(place_code(role, h, a.node)) +
                            " is at level " + quote(level));
        }
        check_period(where, a.period);
        persons[i] = p->second;
        roles[i] = r->second;

        const bool single = role.cardinality == Cardinality::exactly_one && a.post == Post::a;
        const detail::Run existing = run(a.node, r->second, a.post);
        for (std::uint32_t k = existing.begin; k < existing.end; ++k) {
            const IndexEntry& e = entries[k];
            const bool overlap = a.period.from.days < e.to && e.from < a.period.to.days;
            if (!overlap)
                continue;
            if (e.person == p->second) {
                field_error(ErrorCode::already_exists, where, "from",
                            "overlaps " + assignment_text(*this, e.assignment) +
                                " of the same person at the same node, role and post");
            }
            if (single) {
                field_error(ErrorCode::already_exists, where, "from",
                            "role " + quote(role.code) + " (" + role.label_zh +
                                ") has exactly one post-A holder at node " +
                                quote(place_code(role, h, a.node)) + ", and " +
                                assignment_text(*this, e.assignment) + " overlaps");
            }
        }
        const std::uint64_t key = (static_cast<std::uint64_t>(a.node) << 32) |
                                  (static_cast<std::uint64_t>(r->second) << 1) |
                                  static_cast<std::uint64_t>(a.post);
        groups[key].push_back(i);
    }
    for (auto& [key, members] : groups) {
        if (members.size() < 2)
            continue;
        std::sort(members.begin(), members.end(), [&](std::size_t x, std::size_t y) {
            return batch[x].period.from < batch[y].period.from ||
                   (batch[x].period.from == batch[y].period.from && x < y);
        });
        const Assignment& first = batch[members.front()];
        const bool single =
            catalogue.roles[roles[members.front()]].cardinality == Cardinality::exactly_one &&
            first.post == Post::a;
        for (std::size_t x = 0; x < members.size(); ++x) {
            for (std::size_t y = x + 1; y < members.size(); ++y) {
                const std::size_t i = members[x];
                const std::size_t j = members[y];
                if (!(batch[j].period.from < batch[i].period.to))
                    break;
                if (!single && persons[i] != persons[j])
                    continue;
                const std::size_t later = std::max(i, j);
                const std::size_t earlier = std::min(i, j);
                field_error(
                    ErrorCode::already_exists, label(later), "from",
                    single ? "role " + quote(batch[i].role) +
                                 " has exactly one post-A holder at node " +
                                 quote(place_code(catalogue.roles[roles[i]],
                                                  networks.nodes(catalogue.roles[roles[i]].overlay),
                                                  batch[i].node)) +
                                 ", and " + label(earlier) + " overlaps"
                           : "overlaps " + label(earlier) +
                                 " of the same person at the same node, role and post");
            }
        }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        Assignment a = batch[i];
        a.id = assignments.size() + 1;
        assignments.push_back(std::move(a));
        assignment_person.push_back(persons[i]);
        assignment_role.push_back(roles[i]);
    }
    rebuild_index();
}

AssignmentId Directory::add_assignment(const Networks& networks, const Assignment& a) {
    return add_assignments(networks, {a}).front();
}

std::vector<AssignmentId> Directory::add_assignments(const Networks& networks,
                                                     const std::vector<Assignment>& batch) {
    const AssignmentId first = impl_->assignments.size() + 1;
    impl_->add_assignments(networks, batch, [&](std::size_t i) {
        const Assignment& a = batch[i];
        const std::string& overlay = network_of(a.role);
        const Overlay* o = networks.find_overlay(overlay);
        const Hierarchy& h = o != nullptr ? o->units() : networks.base();
        return "assignment of " + quote(a.person) + " as " + quote(a.role) + " at " +
               (o != nullptr ? overlay + ":" : std::string()) + node_text(h, a.node);
    });
    std::vector<AssignmentId> ids(batch.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] = first + i;
    return ids;
}

void Directory::Impl::end_assignment(AssignmentId id, Date to) {
    if (id == 0 || id > assignments.size()) {
        throw Error(ErrorCode::not_found, "no assignment #" + std::to_string(id));
    }
    Assignment& a = assignments[id - 1];
    const std::string where = "assignment #" + std::to_string(id);
    if (!(a.period.from < to)) {
        field_error(ErrorCode::invalid_argument, where, "to",
                    "ending on " + to.to_string() + " leaves no period after the start " +
                        a.period.from.to_string());
    }
    if (a.period.to < to) {
        field_error(ErrorCode::invalid_state, where, "to",
                    "already ended on " + a.period.to.to_string() + "; history is not reopened");
    }
    a.period.to = to;
    rebuild_index();
}

void Directory::end_assignment(AssignmentId id, Date to) {
    impl_->end_assignment(id, to);
}

const std::vector<Assignment>& Directory::assignments() const {
    return impl_->assignments;
}

const Assignment& Directory::assignment(AssignmentId id) const {
    if (id == 0 || id > impl_->assignments.size()) {
        throw Error(ErrorCode::not_found, "no assignment #" + std::to_string(id));
    }
    return impl_->assignments[id - 1];
}

// ---- absences -------------------------------------------------------------------------

void Directory::Impl::add_absences(const std::vector<Absence>& batch, const Label& label) {
    std::vector<PersonId> persons(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Absence& ab = batch[i];
        const std::string where = label(i);
        const auto p = person_codes.find(ab.person);
        if (p == person_codes.end()) {
            field_error(ErrorCode::not_found, where, "person", "no person " + quote(ab.person));
        }
        check_period(where, ab.period);
        detail::check_field_text(ab.reason, detail::TextKind::free, where, "reason");
        if (ab.assignment != 0) {
            if (ab.assignment > assignments.size()) {
                field_error(ErrorCode::not_found, where, "assignment",
                            "no assignment #" + std::to_string(ab.assignment));
            }
            if (assignments[ab.assignment - 1].person != ab.person) {
                field_error(ErrorCode::invalid_argument, where, "assignment",
                            assignment_text(*this, ab.assignment - 1) + " is not held by " +
                                quote(ab.person));
            }
        }
        persons[i] = p->second;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        Absence ab = batch[i];
        ab.id = absences.size() + 1;
        absences.push_back(std::move(ab));
        absence_person.push_back(persons[i]);
    }
    rebuild_index();
}

AbsenceId Directory::add_absence(const Absence& absence) {
    return add_absences({absence}).front();
}

std::vector<AbsenceId> Directory::add_absences(const std::vector<Absence>& batch) {
    const AbsenceId first = impl_->absences.size() + 1;
    impl_->add_absences(batch, [&](std::size_t i) {
        return std::string("absence (") + absence_kind_name(batch[i].kind) + ") of " +
               quote(batch[i].person);
    });
    std::vector<AbsenceId> ids(batch.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] = first + i;
    return ids;
}

void Directory::Impl::end_absence(AbsenceId id, Date to) {
    if (id == 0 || id > absences.size()) {
        throw Error(ErrorCode::not_found, "no absence #" + std::to_string(id));
    }
    Absence& ab = absences[id - 1];
    const std::string where = "absence #" + std::to_string(id);
    if (!(ab.period.from < to)) {
        field_error(ErrorCode::invalid_argument, where, "to",
                    "ending on " + to.to_string() + " leaves no period after the start " +
                        ab.period.from.to_string());
    }
    if (ab.period.to < to) {
        field_error(ErrorCode::invalid_state, where, "to",
                    "already ended on " + ab.period.to.to_string());
    }
    ab.period.to = to;
    rebuild_index();
}

void Directory::end_absence(AbsenceId id, Date to) {
    impl_->end_absence(id, to);
}

const std::vector<Absence>& Directory::absences() const {
    return impl_->absences;
}

// ---- units ----------------------------------------------------------------------------

namespace {

void check_members(const Directory::Impl& d, const std::string& where,
                   const std::vector<std::string>& members) {
    detail::StringMap<int> seen;
    for (const std::string& m : members) {
        if (d.person_codes.count(m) == 0) {
            field_error(ErrorCode::not_found, where, "members", "no person " + quote(m));
        }
        if (!seen.emplace(m, 0).second) {
            field_error(ErrorCode::already_exists, where, "members",
                        "person " + quote(m) + " listed twice");
        }
    }
}

}  // namespace

void Directory::Impl::add_units(const Hierarchy& h, const std::vector<Unit>& batch,
                                const Label& label) {
    detail::StringMap<std::size_t> seen;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const Unit& u = batch[i];
        const std::string where = label(i);
        check_code(where, "code", u.code);
        if (u.name.empty())
            field_error(ErrorCode::invalid_argument, where, "name", "empty");
        detail::check_field_text(u.name, detail::TextKind::line, where, "name");
        if (unit_codes.count(u.code) != 0) {
            field_error(ErrorCode::already_exists, where, "code",
                        "unit " + quote(u.code) + " already exists");
        }
        if (const auto [it, fresh] = seen.emplace(u.code, i); !fresh) {
            field_error(ErrorCode::already_exists, where, "code",
                        "unit " + quote(u.code) + " also given by " + label(it->second));
        }
        check_node(h, where, u.node);
        check_period(where, u.period);
        check_members(*this, where, u.members);
    }
    for (const Unit& u : batch) {
        unit_codes.emplace(u.code, static_cast<std::uint32_t>(units.size()));
        units.push_back(u);
    }
    rebuild_index();
}

void Directory::Impl::end_unit(std::string_view code, Date to) {
    const auto it = unit_codes.find(code);
    if (it == unit_codes.end())
        throw Error(ErrorCode::not_found, "no unit " + quote(code));
    Unit& u = units[it->second];
    const std::string where = "unit " + quote(code);
    if (!(u.period.from < to)) {
        field_error(ErrorCode::invalid_argument, where, "to",
                    "ending on " + to.to_string() + " leaves no period after the start " +
                        u.period.from.to_string());
    }
    if (u.period.to < to) {
        field_error(ErrorCode::invalid_state, where, "to",
                    "already ended on " + u.period.to.to_string());
    }
    u.period.to = to;
}

void Directory::Impl::set_unit_members(std::string_view code,
                                       const std::vector<std::string>& members) {
    const auto it = unit_codes.find(code);
    if (it == unit_codes.end())
        throw Error(ErrorCode::not_found, "no unit " + quote(code));
    check_members(*this, "unit " + quote(code), members);
    units[it->second].members = members;
}

void Directory::add_unit(const Hierarchy& h, const Unit& unit) {
    add_units(h, {unit});
}

void Directory::add_units(const Hierarchy& h, const std::vector<Unit>& batch) {
    impl_->add_units(h, batch, [&](std::size_t i) { return "unit " + quote(batch[i].code); });
}

void Directory::end_unit(std::string_view code, Date to) {
    impl_->end_unit(code, to);
}

void Directory::set_unit_members(std::string_view code, const std::vector<std::string>& members) {
    impl_->set_unit_members(code, members);
}

const std::vector<Unit>& Directory::units() const {
    return impl_->units;
}

const Unit& Directory::unit(std::string_view code) const {
    const auto it = impl_->unit_codes.find(code);
    if (it == impl_->unit_codes.end())
        throw Error(ErrorCode::not_found, "no unit " + quote(code));
    return impl_->units[it->second];
}

std::vector<const Unit*> Directory::units_at(NodeId node, Date date) const {
    std::vector<const Unit*> out;
    const Impl& d = *impl_;
    if (static_cast<std::size_t>(node) + 1 >= d.unit_node_begin.size())
        return out;
    for (std::uint32_t k = d.unit_node_begin[node]; k < d.unit_node_begin[node + 1]; ++k) {
        const Unit& u = d.units[d.unit_nodes[k]];
        if (u.period.contains(date))
            out.push_back(&u);
    }
    return out;
}

// ---- index ----------------------------------------------------------------------------

namespace {

// Counting sort of `count` items into buckets 0..buckets-1; begin has buckets + 1 entries.
template <class KeyOf>
void bucket(std::size_t count, std::size_t buckets, KeyOf key_of, std::vector<std::uint32_t>& begin,
            std::vector<std::uint32_t>& order) {
    begin.assign(buckets + 1, 0);
    for (std::size_t i = 0; i < count; ++i)
        ++begin[key_of(i) + 1];
    for (std::size_t b = 0; b < buckets; ++b)
        begin[b + 1] += begin[b];
    order.assign(count, 0);
    std::vector<std::uint32_t> fill(begin.begin(), begin.end() - 1);
    for (std::size_t i = 0; i < count; ++i)
        order[fill[key_of(i)]++] = static_cast<std::uint32_t>(i);
}

}  // namespace

void Directory::Impl::rebuild_index() {
    std::size_t nodes = 0;
    for (const Assignment& a : assignments)
        nodes = std::max<std::size_t>(nodes, a.node + 1);
    std::vector<std::uint32_t> order;
    bucket(
        assignments.size(), nodes, [&](std::size_t i) { return assignments[i].node; }, node_begin,
        order);
    entries.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::uint32_t i = order[k];
        const Assignment& a = assignments[i];
        entries[k] = IndexEntry{
            assignment_role[i],   a.post, a.period.from.days, a.period.to.days, a.period.to.days,
            assignment_person[i], i};
    }
    for (std::size_t n = 0; n < nodes; ++n) {
        auto first = entries.begin() + node_begin[n];
        auto last = entries.begin() + node_begin[n + 1];
        std::sort(first, last, [](const IndexEntry& x, const IndexEntry& y) {
            if (x.role != y.role)
                return x.role < y.role;
            if (x.post != y.post)
                return x.post < y.post;
            if (x.from != y.from)
                return x.from < y.from;
            return x.assignment < y.assignment;
        });
        for (auto it = first; it != last; ++it) {
            const bool run_start =
                it == first || (it - 1)->role != it->role || (it - 1)->post != it->post;
            if (!run_start)
                it->reach = std::max(it->to, (it - 1)->reach);
        }
    }

    const auto by_start = [](const auto& records) {
        return [&records](std::uint32_t x, std::uint32_t y) {
            return records[x].period.from < records[y].period.from ||
                   (records[x].period.from == records[y].period.from && x < y);
        };
    };
    bucket(
        absences.size(), people.size(), [&](std::size_t i) { return absence_person[i]; },
        person_absence_begin, person_absences);
    bucket(
        assignments.size(), people.size(), [&](std::size_t i) { return assignment_person[i]; },
        person_assignment_begin, person_assignments);
    for (std::size_t p = 0; p < people.size(); ++p) {
        std::sort(person_absences.begin() + person_absence_begin[p],
                  person_absences.begin() + person_absence_begin[p + 1], by_start(absences));
        std::sort(person_assignments.begin() + person_assignment_begin[p],
                  person_assignments.begin() + person_assignment_begin[p + 1],
                  by_start(assignments));
    }
    person_posts.clear();
    person_posts.reserve(person_assignments.size());
    for (const std::uint32_t i : person_assignments) {
        const Assignment& a = assignments[i];
        person_posts.push_back(
            {a.period.from.days, a.period.to.days, assignment_role[i], a.node, i, a.post});
    }

    std::size_t unit_node_count = 0;
    for (const Unit& u : units)
        unit_node_count = std::max<std::size_t>(unit_node_count, u.node + 1);
    bucket(
        units.size(), unit_node_count, [&](std::size_t i) { return units[i].node; },
        unit_node_begin, unit_nodes);
}

std::pair<const IndexEntry*, const IndexEntry*> Directory::Impl::node_entries(NodeId node) const {
    if (static_cast<std::size_t>(node) + 1 >= node_begin.size())
        return {nullptr, nullptr};
    return {entries.data() + node_begin[node], entries.data() + node_begin[node + 1]};
}

detail::Run Directory::Impl::run(NodeId node, RoleId role, Post post) const {
    if (static_cast<std::size_t>(node) + 1 >= node_begin.size())
        return {};
    const std::uint32_t first = node_begin[node];
    const std::uint32_t last = node_begin[node + 1];
    const auto key = [](const IndexEntry& e) {
        return (e.role << 1) | static_cast<RoleId>(e.post);
    };
    const RoleId wanted = (role << 1) | static_cast<RoleId>(post);
    std::uint32_t lo = first;
    if (last - first <= 8) {
        while (lo < last && key(entries[lo]) < wanted)
            ++lo;
        std::uint32_t hi = lo;
        while (hi < last && key(entries[hi]) == wanted)
            ++hi;
        return {lo, hi};
    }
    const auto* base = entries.data();
    const auto* b = std::partition_point(base + first, base + last,
                                         [&](const IndexEntry& e) { return key(e) < wanted; });
    const auto* e =
        std::partition_point(b, base + last, [&](const IndexEntry& x) { return key(x) == wanted; });
    return {static_cast<std::uint32_t>(b - base), static_cast<std::uint32_t>(e - base)};
}

std::int64_t Directory::Impl::absence_index(std::uint32_t assignment, PersonId person,
                                            Date date) const {
    const std::uint32_t first = person_absence_begin[person];
    const std::uint32_t last = person_absence_begin[person + 1];
    for (std::uint32_t k = first; k < last; ++k) {
        const Absence& ab = absences[person_absences[k]];
        if (date < ab.period.from)
            break;
        if (date < ab.period.to && (ab.assignment == 0 || ab.assignment == assignment + 1)) {
            return person_absences[k];
        }
    }
    return -1;
}

// ---- responsible ----------------------------------------------------------------------

namespace {

// Tries one role at one node; appends the steps; true when someone was chosen.
bool try_role(const Directory::Impl& d, NodeId node, RoleId role, Date date, Responsibility& out) {
    bool any = false;
    for (const Post post : {Post::a, Post::b}) {
        bool chosen = false;
        d.for_valid(d.run(node, role, post), date, [&](const IndexEntry& e) {
            if (chosen)
                return;
            any = true;
            ResolutionStep step{node, role, post, e.person, e.assignment + 1, StepOutcome::chosen,
                                0};
            const std::int64_t absent = d.absence_index(e.assignment, e.person, date);
            if (absent >= 0) {
                step.outcome = StepOutcome::absent;
                step.absence = static_cast<AbsenceId>(absent) + 1;
            } else {
                chosen = true;
                out.person = e.person;
                out.role = role;
                out.node = node;
                out.post = post;
                out.assignment = e.assignment + 1;
            }
            out.steps.push_back(step);
        });
        if (chosen)
            return true;
    }
    if (!any)
        out.steps.push_back(
            ResolutionStep{node, role, Post::a, no_person, 0, StepOutcome::no_holder, 0});
    return false;
}

// Walks network `overlay` ("" = the base) from `node` up, trying the roles held on it.
bool walk_up(const Directory::Impl& d, const Hierarchy& h, const std::string& overlay, NodeId node,
             const RoleId* roles, std::size_t role_count, Date date, Responsibility& out) {
    const LevelScheme& levels = h.levels();
    for (NodeId n = node; n != no_node; n = h.parent(n)) {
        const std::string& level = levels[static_cast<std::size_t>(h.level(n))].key;
        for (std::size_t i = 0; i < role_count; ++i) {
            const RoleType& role = d.catalogue.roles[roles[i]];
            if (role.level != level || role.overlay != overlay)
                continue;
            if (try_role(d, n, roles[i], date, out))
                return true;
        }
    }
    return false;
}

// From a base node: the base first, then each overlay with roles for the code, from the
// units covering the node.
Responsibility walk(const Directory::Impl& d, const Networks& networks, NodeId node,
                    const RoleId* roles, std::size_t role_count, Date date) {
    const Hierarchy& h = networks.base();
    check_node(h, "responsible()", node);
    Responsibility out;
    if (walk_up(d, h, std::string(), node, roles, role_count, date, out))
        return out;
    for (const Overlay& o : networks.overlays()) {
        const bool used = std::any_of(roles, roles + role_count, [&](RoleId r) {
            return d.catalogue.roles[r].overlay == o.key();
        });
        if (!used)
            continue;
        for (const NodeId unit : networks.covering(o.key(), node)) {
            if (walk_up(d, o.units(), o.key(), unit, roles, role_count, date, out))
                return out;
        }
    }
    return out;
}

const std::vector<RoleId>& roles_for(const Directory::Impl& d, std::string_view code,
                                     std::vector<RoleId>& one) {
    if (const auto r = d.role_codes.find(code); r != d.role_codes.end()) {
        one.assign(1, r->second);
        return one;
    }
    if (const auto du = d.duty_codes.find(code); du != d.duty_codes.end())
        return d.duty_roles[du->second];
    throw Error(ErrorCode::not_found,
                "no duty or role " + quote(code) + " in catalogue " + quote(d.catalogue.key));
}

}  // namespace

Responsibility Directory::responsible(const Networks& networks, NodeId node, std::string_view code,
                                      Date date) const {
    const Impl& d = *impl_;
    std::vector<RoleId> one;
    const std::vector<RoleId>& roles = roles_for(d, code, one);
    return walk(d, networks, node, roles.data(), roles.size(), date);
}

Responsibility Directory::responsible(const Networks& networks, NodeId node, RoleFunction function,
                                      Date date) const {
    const Impl& d = *impl_;
    const std::vector<RoleId>& roles = d.function_roles[static_cast<std::size_t>(function)];
    return walk(d, networks, node, roles.data(), roles.size(), date);
}

Responsibility Directory::responsible(const Networks& networks, const Place& place,
                                      std::string_view code, Date date) const {
    if (place.overlay.empty())
        return responsible(networks, place.node, code, date);
    const Impl& d = *impl_;
    std::vector<RoleId> one;
    const std::vector<RoleId>& roles = roles_for(d, code, one);
    const Hierarchy& h = networks.nodes(place.overlay);
    check_node(h, "responsible()", place.node);
    Responsibility out;
    walk_up(d, h, place.overlay, place.node, roles.data(), roles.size(), date, out);
    return out;
}

AbsenceId Directory::absence_on(AssignmentId assignment, Date date) const {
    const Impl& d = *impl_;
    if (assignment == 0 || assignment > d.assignments.size()) {
        throw Error(ErrorCode::not_found, "no assignment #" + std::to_string(assignment));
    }
    const auto index = static_cast<std::uint32_t>(assignment - 1);
    const std::int64_t k = d.absence_index(index, d.assignment_person[index], date);
    return k < 0 ? 0 : static_cast<AbsenceId>(k) + 1;
}

std::string Directory::explain(const Networks& networks, const Responsibility& answer) const {
    const Impl& d = *impl_;
    using detail::Json;
    const auto person_json = [&](PersonId p) -> Json {
        if (p == no_person)
            return nullptr;
        return d.people.at(p).id;
    };
    const auto node_in = [&](NodeId n, RoleId r) -> Json {
        if (n == no_node)
            return nullptr;
        return networks.code(place_of(r, n));
    };
    const auto role_json = [&](RoleId r) -> Json {
        if (r == no_role)
            return nullptr;
        return d.catalogue.roles.at(r).code;
    };
    Json doc = Json::object();
    doc["found"] = answer.found();
    doc["person"] = person_json(answer.person);
    doc["name"] = answer.found() ? Json(d.people.at(answer.person).name) : Json(nullptr);
    doc["role"] = role_json(answer.role);
    doc["node"] = node_in(answer.node, answer.role);
    doc["post"] = answer.found() ? Json(post_name(answer.post)) : Json(nullptr);
    doc["assignment"] = answer.found() ? Json(answer.assignment) : Json(nullptr);
    Json steps = Json::array();
    for (const ResolutionStep& s : answer.steps) {
        Json step = Json::object();
        step["node"] = node_in(s.node, s.role);
        step["role"] = role_json(s.role);
        step["post"] = post_name(s.post);
        step["person"] = person_json(s.person);
        step["assignment"] = s.assignment == 0 ? Json(nullptr) : Json(s.assignment);
        step["outcome"] = step_outcome_name(s.outcome);
        if (s.absence != 0) {
            const Absence& ab = d.absences.at(s.absence - 1);
            step["absence"] = s.absence;
            step["absence_kind"] = absence_kind_name(ab.kind);
        } else {
            step["absence"] = nullptr;
            step["absence_kind"] = nullptr;
        }
        steps.push_back(std::move(step));
    }
    doc["steps"] = std::move(steps);
    return doc.dump();
}

// ---- roster, posts, workload ----------------------------------------------------------

namespace {

RosterEntry roster_entry(const Directory::Impl& d, std::uint32_t index, Date date) {
    const Assignment& a = d.assignments[index];
    RosterEntry r;
    r.assignment = a.id;
    r.person = d.assignment_person[index];
    r.role = d.assignment_role[index];
    r.node = a.node;
    r.post = a.post;
    r.period = a.period;
    const std::int64_t k = d.absence_index(index, r.person, date);
    r.absence = k < 0 ? 0 : static_cast<AbsenceId>(k) + 1;
    return r;
}

}  // namespace

std::vector<RosterEntry> Directory::roster(NodeId node, Date date) const {
    return roster(Place{"", node}, date);
}

Place Directory::place_of(const RosterEntry& entry) const {
    return place_of(entry.role, entry.node);
}

Place Directory::place_of(const Assignment& assignment) const {
    return Place{network_of(assignment.role), assignment.node};
}

Place Directory::place_of(RoleId r, NodeId node) const {
    return Place{r == no_role ? std::string() : role(r).overlay, node};
}

const std::string& Directory::network_of(std::string_view code) const {
    static const std::string base;
    const auto r = impl_->role_codes.find(code);
    return r == impl_->role_codes.end() ? base : impl_->catalogue.roles[r->second].overlay;
}

std::vector<RosterEntry> Directory::roster(const Place& place, Date date) const {
    const Impl& d = *impl_;
    std::vector<RosterEntry> out;
    const auto [first, last] = d.node_entries(place.node);
    for (const IndexEntry* e = first; e != last; ++e) {
        if (d.catalogue.roles[e->role].overlay != place.overlay)
            continue;  // another network's node with the same id
        if (e->from <= date.days && date.days < e->to) {
            out.push_back(roster_entry(d, e->assignment, date));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const RosterEntry& x, const RosterEntry& y) {
        if (x.post != y.post)
            return x.post < y.post;
        return x.role < y.role;
    });
    return out;
}

std::vector<RosterEntry> Directory::posts(std::string_view person, Date date) const {
    const Impl& d = *impl_;
    const PersonId p = person_at(person);
    std::vector<RosterEntry> out;
    for (std::uint32_t k = d.person_assignment_begin[p]; k < d.person_assignment_begin[p + 1];
         ++k) {
        const std::uint32_t index = d.person_assignments[k];
        if (d.assignments[index].period.contains(date))
            out.push_back(roster_entry(d, index, date));
    }
    return out;
}

std::vector<Workload> Directory::workload(const Networks& networks, Date date,
                                          std::string_view grid_level) const {
    const Impl& d = *impl_;
    const Hierarchy& h = networks.base();
    const int gl = h.levels().index_of(grid_level);
    if (gl < 0) {
        throw Error(ErrorCode::invalid_argument, "workload(): no level " + quote(grid_level));
    }
    const std::size_t n = h.id_count();
    std::vector<double> grid_one(n, 0.0), households(n, 0.0), population(n, 0.0);
    const std::vector<double>& hh = h.column("households");
    const std::vector<double>& pop = h.column("population");
    for (const NodeId g : h.nodes_at_level(gl)) {
        grid_one[g] = 1;
        households[g] = is_missing(hh[g]) ? 0 : hh[g];
        population[g] = is_missing(pop[g]) ? 0 : pop[g];
    }
    const RollUp grids_up = h.roll_up(grid_one);
    const RollUp hh_up = h.roll_up(households);
    const RollUp pop_up = h.roll_up(population);
    const auto sum = [](const RollUp& r, NodeId node) {
        const double v = r.sum[node];
        return is_missing(v) ? 0.0 : v;
    };

    std::vector<Workload> out(d.people.size());
    std::vector<NodeId> held;
    for (PersonId p = 0; p < d.people.size(); ++p) {
        Workload& w = out[p];
        w.person = p;
        held.clear();
        for (std::uint32_t k = d.person_assignment_begin[p]; k < d.person_assignment_begin[p + 1];
             ++k) {
            const Assignment& a = d.assignments[d.person_assignments[k]];
            if (!a.period.contains(date))
                continue;
            if (a.post == Post::b) {
                ++w.backup_posts;
                continue;
            }
            ++w.primary_posts;
            if (d.catalogue.roles[d.assignment_role[d.person_assignments[k]]].overlay.empty() &&
                h.is_live(a.node))
                held.push_back(a.node);
        }
        std::sort(held.begin(), held.end(), [&](NodeId x, NodeId y) {
            return h.preorder_position(x) < h.preorder_position(y);
        });
        std::uint32_t covered_end = 0;
        for (const NodeId node : held) {
            const PreorderRange range = h.subtree(node);
            if (range.begin < covered_end)
                continue;  // inside a subtree already counted
            covered_end = range.end;
            w.grids += static_cast<std::uint32_t>(sum(grids_up, node));
            w.households += sum(hh_up, node);
            w.population += sum(pop_up, node);
        }
    }
    return out;
}

}  // namespace gridgov
