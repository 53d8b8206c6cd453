// The workspace's directory: its changes, written through to the file in one transaction
// each, its load step, and the Workspace's directory functions. The rows are written and
// read by the directory's store (src/store/directory_store.cpp).
#include "store/directory_store.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

// ---- changes and loading ----------------------------------------------------------------

void Workspace::Impl::change_directory(std::string_view what,
                                       const std::function<void(Directory&)>& apply) {
    Directory next;
    write_through(detail::JournalModule::directory, what, [&] {
        next = directory;
        apply(next);
        directory_store.write_rows(directory, next);
    });
    directory = std::move(next);
}

void Workspace::Impl::load_directory() {
    try {
        directory = directory_store.read(networks());
    } catch (const Error& e) {
        if (e.code() == ErrorCode::storage)
            throw;
        throw Error(ErrorCode::storage,
                    "workspace " + db.path() + ": the stored directory is refused: " + e.what());
    }
}

// ---- the directory face ----------------------------------------------

const Directory& WorkspaceDirectory::view() const {
    return impl_->directory;
}

void WorkspaceDirectory::set_catalogue(const Catalogue& catalogue) {
    impl_->change_directory("set the directory catalogue",
                            [&](Directory& d) { d.set_catalogue(catalogue); });
}

PersonId WorkspaceDirectory::add_person(const Person& person) {
    return add_people({person}).front();
}

std::vector<PersonId> WorkspaceDirectory::add_people(const std::vector<Person>& people) {
    std::vector<PersonId> ids;
    impl_->change_directory("add people", [&](Directory& d) { ids = d.add_people(people); });
    return ids;
}

void WorkspaceDirectory::update_person(const Person& person) {
    impl_->change_directory("update a person", [&](Directory& d) { d.update_person(person); });
}

AssignmentId WorkspaceDirectory::add_assignment(const Assignment& assignment) {
    return add_assignments({assignment}).front();
}

std::vector<AssignmentId> WorkspaceDirectory::add_assignments(
    const std::vector<Assignment>& assignments) {
    std::vector<AssignmentId> ids;
    impl_->change_directory("add assignments", [&](Directory& d) {
        ids = d.add_assignments(impl_->networks(), assignments);
    });
    return ids;
}

void WorkspaceDirectory::end_assignment(AssignmentId id, Date to) {
    impl_->change_directory("end an assignment", [&](Directory& d) { d.end_assignment(id, to); });
}

AbsenceId WorkspaceDirectory::add_absence(const Absence& absence) {
    AbsenceId id = 0;
    impl_->change_directory("add an absence", [&](Directory& d) { id = d.add_absence(absence); });
    return id;
}

void WorkspaceDirectory::end_absence(AbsenceId id, Date to) {
    impl_->change_directory("end an absence", [&](Directory& d) { d.end_absence(id, to); });
}

void WorkspaceDirectory::add_unit(const Unit& unit) {
    impl_->change_directory("add a unit",
                            [&](Directory& d) { d.add_unit(impl_->hierarchy, unit); });
}

void WorkspaceDirectory::end_unit(std::string_view code, Date to) {
    impl_->change_directory("end a unit", [&](Directory& d) { d.end_unit(code, to); });
}

void WorkspaceDirectory::set_unit_members(std::string_view code,
                                          const std::vector<std::string>& members) {
    impl_->change_directory("set unit members",
                            [&](Directory& d) { d.set_unit_members(code, members); });
}

DirectoryImportReport WorkspaceDirectory::import_text(const std::string& text,
                                                      DocumentFormat format, DirectoryTable table,
                                                      const std::string& source_name) {
    DirectoryImportReport report;
    impl_->change_directory("import a directory", [&](Directory& d) {
        report = d.import_text(impl_->networks(), text, format, table, source_name);
    });
    return report;
}

DirectoryImportReport WorkspaceDirectory::import_file(const std::string& file,
                                                      DirectoryTable table) {
    const detail::DirectoryFile f = detail::read_directory_file(file, table);
    return import_text(f.text, f.format, f.table, file);
}

}  // namespace gridgov
