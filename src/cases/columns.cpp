// The read-only column view of the case engine (columns.hpp).
#include "cases/columns.hpp"

#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "cases/engine_impl.hpp"

namespace gridgov::detail {

void* map_large(std::size_t bytes) {
#if defined(__linux__)
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        throw std::bad_alloc();
    // Advice only: a system without transparent huge pages keeps small ones.
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;
#else
    return ::operator new(bytes);
#endif
}

void unmap_large(void* p, std::size_t bytes) noexcept {
#if defined(__linux__)
    munmap(p, bytes);
#else
    (void)bytes;
    ::operator delete(p);
#endif
}

CaseColumns::CaseColumns(const CaseEngine::Impl& e)
    : spec(e.cases.spec),
      state(e.cases.state),
      category(e.cases.category),
      node(e.cases.node),
      reporter(e.cases.reporter),
      department(e.cases.department),
      route_node(e.cases.route_node),
      source(e.cases.source),
      rating(e.cases.rating),
      rating_score(e.cases.rating_score),
      breached(e.cases.breached),
      flags(e.cases.flags),
      reported_at(e.cases.reported_at),
      closed_at(e.cases.closed_at),
      clock_base(e.cases.clock_base),
      counter_base(e.cases.counter_base),
      clocks(e.clocks),
      cold(e.cold_clocks),
      counters(e.counters),
      engine_(&e) {}

CaseColumns columns_of(const CaseEngine& engine) {
    return CaseColumns(CaseEngineAccess::impl(engine));
}

std::size_t CaseColumns::workflow_count() const {
    return engine_->config->specs.size();
}

const WorkflowSpec& CaseColumns::workflow(std::size_t spec_index) const {
    return engine_->config->specs[spec_index].spec;
}

const CategoryCatalogue& CaseColumns::categories() const {
    return engine_->config->categories;
}

const DepartmentCatalogue& CaseColumns::departments() const {
    return engine_->config->departments;
}

std::optional<std::uint32_t> CaseColumns::department_index(std::string_view code) const {
    const auto& index = engine_->config->department_index;
    const auto it = index.find(std::string(code));
    if (it == index.end())
        return std::nullopt;
    return it->second;
}

const WorkingCalendar& CaseColumns::calendar() const {
    return engine_->config->calendar;
}

const Hierarchy& CaseColumns::hierarchy() const {
    return *engine_->hierarchy;
}

std::string_view CaseColumns::number(CaseId id) const {
    return engine_->numbers.at(id);
}

std::optional<std::uint32_t> CaseColumns::person(std::string_view id) const {
    return engine_->people.find(id);
}

}  // namespace gridgov::detail
