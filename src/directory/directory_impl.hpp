// Private state of gridgov::Directory and the helpers its source files share.
#ifndef GRIDGOV_SRC_DIRECTORY_DIRECTORY_IMPL_HPP
#define GRIDGOV_SRC_DIRECTORY_DIRECTORY_IMPL_HPP

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gridgov/directory.hpp"

namespace gridgov::detail {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

/// Names the i-th record of a batch in error messages ("person 'P1'", "people.csv row 4").
using Label = std::function<std::string(std::size_t)>;

/// One assignment in the resolution index. Entries are grouped by node (CSR) and sorted
/// by (role, post, from, id) inside a node, so that the holders of one role and post form
/// a run sorted by start date. `reach` is the largest `to` over the run up to this entry:
/// it is non-decreasing, so the first entry that may still be valid on a date is found
/// by binary search and the scan touches only candidates.
struct IndexEntry {
    RoleId role;
    Post post;
    std::int32_t from;
    std::int32_t to;
    std::int32_t reach;
    PersonId person;
    std::uint32_t assignment;  // index into assignments
};

/// One post of a person, beside the others of that person in person_assignments order:
/// what an authorization check reads (is the post held on a date, which role, where), so
/// that checking a person's posts touches one short array rather than whole Assignments.
struct PersonPost {
    std::int32_t from;  // days, as Date
    std::int32_t to;
    RoleId role;
    NodeId node;
    std::uint32_t assignment;  // index into assignments
    Post post;

    bool valid_on(Date d) const { return from <= d.days && d.days < to; }
};

/// [begin, end) positions of one (node, role, post) run in entries.
struct Run {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

std::string quote(std::string_view s);  // 'text' for messages
std::string date_text(Date d);          // ISO date, "" for min()/max()
std::string period_text(const Period& p);

/// Unique non-empty codes over duties and roles, labels present, known duties on roles.
/// Errors name `src` and the array index.
void check_catalogue(const Catalogue& c, const std::string& src);

}  // namespace gridgov::detail

namespace gridgov {

struct Directory::Impl {
    Catalogue catalogue;
    detail::StringMap<RoleId> role_codes;
    detail::StringMap<DutyId> duty_codes;
    std::vector<std::vector<RoleId>> duty_roles;  // by duty: roles carrying it, catalogue order
    std::array<std::vector<RoleId>, 4> function_roles;

    std::vector<Person> people;
    detail::StringMap<PersonId> person_codes;

    std::vector<Assignment> assignments;  // id == index + 1
    std::vector<PersonId> assignment_person;
    std::vector<RoleId> assignment_role;

    std::vector<Absence> absences;  // id == index + 1
    std::vector<PersonId> absence_person;

    std::vector<Unit> units;
    detail::StringMap<std::uint32_t> unit_codes;

    // Resolution index, rebuilt after every change.
    std::vector<std::uint32_t> node_begin;  // CSR over NodeId into entries
    std::vector<detail::IndexEntry> entries;
    std::vector<std::uint32_t> person_absence_begin;  // CSR over PersonId into person_absences
    std::vector<std::uint32_t> person_absences;       // absence indices, by start date
    std::vector<std::uint32_t> person_assignment_begin;
    std::vector<std::uint32_t> person_assignments;  // assignment indices, by start date
    std::vector<detail::PersonPost> person_posts;   // parallel to person_assignments
    std::vector<std::uint32_t> unit_node_begin;
    std::vector<std::uint32_t> unit_nodes;  // unit indices by node, in insertion order

    void index_catalogue();
    void rebuild_index();

    const std::string& role_code(RoleId r) const { return catalogue.roles[r].code; }

    /// Entries of `node` (empty for nodes without assignments).
    std::pair<const detail::IndexEntry*, const detail::IndexEntry*> node_entries(NodeId node) const;
    /// The run of (node, role, post).
    detail::Run run(NodeId node, RoleId role, Post post) const;
    /// Calls f(entry) for every entry of the run valid on `date`, in start-date order.
    template <class F>
    void for_valid(detail::Run r, Date date, F&& f) const;
    /// Index of the absence covering `date` for this assignment's holder, or -1.
    std::int64_t absence_index(std::uint32_t assignment, PersonId person, Date date) const;

    // Checked batch changes behind the public API; `label` names records in errors.
    void add_people(const std::vector<Person>& batch, const detail::Label& label);
    void update_person(const Person& person, const detail::Label& label);
    void add_assignments(const Networks& networks, const std::vector<Assignment>& batch,
                         const detail::Label& label);
    void add_absences(const std::vector<Absence>& batch, const detail::Label& label);
    void add_units(const Hierarchy& h, const std::vector<Unit>& batch, const detail::Label& label);
    void end_assignment(AssignmentId id, Date to);
    void end_absence(AbsenceId id, Date to);
    void end_unit(std::string_view code, Date to);
    void set_unit_members(std::string_view code, const std::vector<std::string>& members);
};

template <class F>
void Directory::Impl::for_valid(detail::Run r, Date date, F&& f) const {
    const detail::IndexEntry* first = entries.data() + r.begin;
    const detail::IndexEntry* last = entries.data() + r.end;
    const std::int32_t d = date.days;
    // Entries before `lo` all end on or before d; entries from `hi` on start after d.
    const detail::IndexEntry* lo = first;
    const detail::IndexEntry* hi = last;
    if (last - first > 4) {
        lo = std::partition_point(first, last,
                                  [d](const detail::IndexEntry& e) { return e.reach <= d; });
        hi = std::partition_point(lo, last,
                                  [d](const detail::IndexEntry& e) { return e.from <= d; });
    }
    for (const detail::IndexEntry* e = lo; e != hi; ++e) {
        if (e->from <= d && d < e->to)
            f(*e);
    }
}

namespace detail {

/// The directory's private state, for the directory module's own files and the case
/// engine's actor checks.
struct DirectoryAccess {
    static Directory::Impl& impl(Directory& directory) { return *directory.impl_; }
    static const Directory::Impl& impl(const Directory& directory) { return *directory.impl_; }
};

}  // namespace detail

}  // namespace gridgov

#endif
