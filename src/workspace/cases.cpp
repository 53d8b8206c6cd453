// The workspace's case engine: loading it over the workspace's file, and the Workspace's
// case functions. The engine writes through to the file on its own (src/cases/store.cpp).
#include "cases/storage.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

// ---- the workspace's load step -----------------------------------------------------------

void Workspace::Impl::load_cases() {
    cases = detail::load_case_engine(hierarchy, directory, *this);
}

// ---- the Workspace's case functions ------------------------------------------------------

CaseEngine& Workspace::cases() {
    return *impl_->cases;
}

const CaseEngine& Workspace::cases() const {
    return *impl_->cases;
}

std::vector<Finding> Workspace::add_workflow(const WorkflowSpec& spec) {
    return impl_->cases->add_workflow(spec);
}

void Workspace::set_default_workflow(CaseSource source, const std::string& key) {
    impl_->cases->set_default_workflow(source, key);
}

void Workspace::set_categories(const CategoryCatalogue& categories) {
    impl_->cases->set_categories(categories);
}

void Workspace::set_departments(const DepartmentCatalogue& departments) {
    impl_->cases->set_departments(departments);
}

void Workspace::set_routing(const RoutingTable& routing) {
    impl_->cases->set_routing(routing);
}

void Workspace::set_calendar_schedule(const WorkingSchedule& schedule) {
    impl_->cases->set_calendar_schedule(schedule);
}

void Workspace::add_calendar_year(std::string_view json, std::string_view source) {
    impl_->cases->add_calendar_year(json, source);
}

void Workspace::add_calendar_overrides(std::string_view json, std::string_view source) {
    impl_->cases->add_calendar_overrides(json, source);
}

void Workspace::clear_calendar_overrides() {
    impl_->cases->clear_calendar_overrides();
}

}  // namespace gridgov
