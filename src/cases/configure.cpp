// Changing the case engine's configuration: workflows, default workflows, categories,
// departments, routing and the working calendar. A change builds a new configuration,
// swaps it in and stores it, or leaves everything as it was.
#include <algorithm>

#include "cases/engine_impl.hpp"
#include "store/case_store.hpp"

namespace gridgov {

using detail::ClockSlot;
using detail::none32;

// ---- changing the configuration ----------------------------------------------------------

void CaseEngine::Impl::set_config(std::shared_ptr<const detail::EngineConfig> next,
                                  bool recompute_deadlines, std::size_t stored_workflows) {
    if (batch_open) {
        throw Error(ErrorCode::invalid_state,
                    "the case engine's configuration cannot change while a batch is open");
    }
    const std::shared_ptr<const detail::EngineConfig> before = config;
    const detail::Mark m = mark();
    try {
        config = std::move(next);
        limit_cache.clear();
        route_cache.clear();
        if (recompute_deadlines) {
            for (CaseId id = 0; id < cases.size(); ++id) {
                const ClockSlot* c = counting_clock(id);
                if (c == nullptr || (c->bits & detail::clock_working) == 0)
                    continue;
                save(id);
                compute_deadline(slots(id)[spec_of(id).states[cases.state[id]].timer]);
                schedule(id);
            }
        }
        if (workspace != nullptr) {
            detail::write_case_changes(*workspace, *this, m, true, stored_workflows);
            close_write(m, true);
        }
        committed_sequence = last_sequence;
        committed_hash = last_hash;
    } catch (...) {
        config = before;
        limit_cache.clear();
        route_cache.clear();
        rollback(m);
        throw;
    }
    settle();
}

// ---- configuration -----------------------------------------------------------------------

const WorkflowRegistry& CaseEngine::workflows() const {
    return impl_->config->registry;
}

std::vector<Finding> CaseEngine::add_workflow(const WorkflowSpec& spec) {
    Impl& w = *impl_;
    const Impl::Change change(w, "add a workflow");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    const Catalogue& roles = w.directory->catalogue();
    std::vector<Finding> warnings =
        next->registry.add(spec, roles.roles.empty() ? nullptr : &roles, &next->categories);
    next->specs.emplace_back(spec);
    const std::size_t stored = w.config->specs.size();
    w.set_config(std::move(next), false, stored);
    return warnings;
}

const std::string& CaseEngine::default_workflow(CaseSource source) const {
    return impl_->config->defaults[static_cast<std::size_t>(source)];
}

void CaseEngine::set_default_workflow(CaseSource source, const std::string& key) {
    Impl& w = *impl_;
    const Impl::Change change(w, "set a default workflow");
    if (!w.config->latest_spec(key)) {
        throw Error(ErrorCode::not_found, "set_default_workflow: no workflow " +
                                              detail::quoted_text(key) + " is registered");
    }
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->defaults[static_cast<std::size_t>(source)] = key;
    w.set_config(std::move(next), false, w.config->specs.size());
}

const CategoryCatalogue& CaseEngine::categories() const {
    return impl_->config->categories;
}

void CaseEngine::set_categories(const CategoryCatalogue& categories) {
    Impl& w = *impl_;
    const Impl::Change change(w, "set the categories");
    for (const Finding& f : categories.validate()) {
        if (f.severity == Severity::error) {
            throw Error(ErrorCode::invalid_argument, "category catalogue " + categories.key +
                                                         " refused: " + f.where + ": " + f.message +
                                                         " [" + f.rule + "]");
        }
    }
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->categories = categories;
    next->index_categories();
    detail::ColumnVector<std::uint16_t> remapped(w.cases.size());
    for (CaseId id = 0; id < w.cases.size(); ++id) {
        const std::string& code = w.config->categories.categories[w.cases.category[id]].code;
        const auto it = next->category_index.find(code);
        if (it == next->category_index.end()) {
            throw Error(ErrorCode::invalid_state, "category catalogue " + categories.key +
                                                      " lacks category " + code + ", which case " +
                                                      w.number(id) + " uses");
        }
        remapped[id] = it->second;
    }
    const detail::ColumnVector<std::uint16_t> before = w.cases.category;
    w.cases.category = std::move(remapped);
    try {
        w.set_config(std::move(next), false, w.config->specs.size());
    } catch (...) {
        w.cases.category = before;
        throw;
    }
}

const DepartmentCatalogue& CaseEngine::departments() const {
    return impl_->config->departments;
}

void CaseEngine::set_departments(const DepartmentCatalogue& departments) {
    Impl& w = *impl_;
    const Impl::Change change(w, "set the departments");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->departments = departments;
    next->index_departments();
    detail::ColumnVector<std::uint32_t> remapped(w.cases.size(), none32);
    for (CaseId id = 0; id < w.cases.size(); ++id) {
        if (w.cases.department[id] == none32)
            continue;
        const std::string& code = w.config->departments.departments[w.cases.department[id]].code;
        const auto it = next->department_index.find(code);
        if (it == next->department_index.end()) {
            throw Error(ErrorCode::invalid_state,
                        "department catalogue " + departments.key + " lacks department " + code +
                            ", to which case " + w.number(id) + " is assigned");
        }
        remapped[id] = it->second;
    }
    const detail::ColumnVector<std::uint32_t> before = w.cases.department;
    w.cases.department = std::move(remapped);
    try {
        w.set_config(std::move(next), false, w.config->specs.size());
    } catch (...) {
        w.cases.department = before;
        throw;
    }
}

const RoutingTable& CaseEngine::routing() const {
    return impl_->config->routing;
}

void CaseEngine::set_routing(const RoutingTable& routing) {
    Impl& w = *impl_;
    const Impl::Change change(w, "set the routing table");
    auto next = std::make_shared<detail::EngineConfig>(*w.config);
    next->routing = routing;
    w.set_config(std::move(next), false, w.config->specs.size());
}

const WorkingCalendar& CaseEngine::calendar() const {
    return impl_->config->calendar;
}

void CaseEngine::Impl::change_calendar(const std::function<void(detail::EngineConfig&)>& edit) {
    auto next = std::make_shared<detail::EngineConfig>(*config);
    edit(*next);
    next->rebuild_calendar();
    set_config(std::move(next), true, config->specs.size());
}

void CaseEngine::set_calendar_schedule(const WorkingSchedule& schedule) {
    const Impl::Change change(*impl_, "set the working schedule");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        auto& in = c.calendar_inputs;
        in.erase(
            std::remove_if(in.begin(), in.end(),
                           [](const detail::CalendarInput& i) { return i.kind == "schedule"; }),
            in.end());
        in.insert(in.begin(), detail::CalendarInput{"schedule", "schedule", schedule.to_json()});
    });
}

void CaseEngine::add_calendar_year(std::string_view json, std::string_view source) {
    const Impl::Change change(*impl_, "add a calendar year");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        c.calendar_inputs.push_back({"year", std::string(source), std::string(json)});
    });
}

void CaseEngine::add_calendar_overrides(std::string_view json, std::string_view source) {
    const Impl::Change change(*impl_, "add calendar overrides");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        c.calendar_inputs.push_back({"overrides", std::string(source), std::string(json)});
    });
}

void CaseEngine::clear_calendar_overrides() {
    const Impl::Change change(*impl_, "clear the calendar overrides");
    impl_->change_calendar([&](detail::EngineConfig& c) {
        auto& in = c.calendar_inputs;
        in.erase(
            std::remove_if(in.begin(), in.end(),
                           [](const detail::CalendarInput& i) { return i.kind == "overrides"; }),
            in.end());
    });
}

}  // namespace gridgov
