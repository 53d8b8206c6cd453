// The case columns, the string interner and the case-number pool.
#include "cases/engine_impl.hpp"

namespace gridgov::detail {

CaseRow CaseTable::row(CaseId id) const {
    CaseRow r;
    r.spec = spec[id];
    r.state = state[id];
    r.category = category[id];
    r.area = area[id];
    r.node = node[id];
    r.reporter = reporter[id];
    r.department = department[id];
    r.route_node = route_node[id];
    r.source = source[id];
    r.tier = tier[id];
    r.rating = rating[id];
    r.rating_score = rating_score[id];
    r.breached = breached[id];
    r.light = light[id];
    r.flags = flags[id];
    r.breaches = breaches[id];
    r.events = events[id];
    r.generation = generation[id];
    r.reported_at = reported_at[id];
    r.updated_at = updated_at[id];
    r.closed_at = closed_at[id];
    r.last_event = last_event[id];
    r.clock_base = clock_base[id];
    r.counter_base = counter_base[id];
    return r;
}

void CaseTable::assign(CaseId id, const CaseRow& r) {
    spec[id] = r.spec;
    state[id] = r.state;
    category[id] = r.category;
    area[id] = r.area;
    node[id] = r.node;
    reporter[id] = r.reporter;
    department[id] = r.department;
    route_node[id] = r.route_node;
    source[id] = r.source;
    tier[id] = r.tier;
    rating[id] = r.rating;
    rating_score[id] = r.rating_score;
    breached[id] = r.breached;
    light[id] = r.light;
    flags[id] = r.flags;
    breaches[id] = r.breaches;
    events[id] = r.events;
    generation[id] = r.generation;
    reported_at[id] = r.reported_at;
    updated_at[id] = r.updated_at;
    closed_at[id] = r.closed_at;
    last_event[id] = r.last_event;
    clock_base[id] = r.clock_base;
    counter_base[id] = r.counter_base;
}

void CaseTable::push_back(const CaseRow& r) {
    spec.push_back(r.spec);
    state.push_back(r.state);
    category.push_back(r.category);
    area.push_back(r.area);
    node.push_back(r.node);
    reporter.push_back(r.reporter);
    department.push_back(r.department);
    route_node.push_back(r.route_node);
    source.push_back(r.source);
    tier.push_back(r.tier);
    rating.push_back(r.rating);
    rating_score.push_back(r.rating_score);
    breached.push_back(r.breached);
    light.push_back(r.light);
    flags.push_back(r.flags);
    breaches.push_back(r.breaches);
    events.push_back(r.events);
    generation.push_back(r.generation);
    reported_at.push_back(r.reported_at);
    updated_at.push_back(r.updated_at);
    closed_at.push_back(r.closed_at);
    last_event.push_back(r.last_event);
    clock_base.push_back(r.clock_base);
    counter_base.push_back(r.counter_base);
    saved_epoch.push_back(0);
}

void CaseTable::truncate(std::size_t n) {
    if (n >= size())
        return;
    const auto cut = [n](auto& column) { column.resize(n); };
    cut(spec);
    cut(state);
    cut(category);
    cut(area);
    cut(node);
    cut(reporter);
    cut(department);
    cut(route_node);
    cut(source);
    cut(tier);
    cut(rating);
    cut(rating_score);
    cut(breached);
    cut(light);
    cut(flags);
    cut(breaches);
    cut(events);
    cut(generation);
    cut(reported_at);
    cut(updated_at);
    cut(closed_at);
    cut(last_event);
    cut(clock_base);
    cut(counter_base);
    cut(saved_epoch);
}

void CaseTable::reserve(std::size_t n) {
    const auto grow = [n](auto& column) { column.reserve(n); };
    grow(spec);
    grow(state);
    grow(category);
    grow(area);
    grow(node);
    grow(reporter);
    grow(department);
    grow(route_node);
    grow(source);
    grow(tier);
    grow(rating);
    grow(rating_score);
    grow(breached);
    grow(light);
    grow(flags);
    grow(breaches);
    grow(events);
    grow(generation);
    grow(reported_at);
    grow(updated_at);
    grow(closed_at);
    grow(last_event);
    grow(clock_base);
    grow(counter_base);
    grow(saved_epoch);
}

std::uint32_t Interner::intern(std::string_view s) {
    const auto it = index_.find(s);
    if (it != index_.end())
        return it->second;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(s);
    index_.emplace(names_.back(), id);
    return id;
}

std::optional<std::uint32_t> Interner::find(std::string_view s) const {
    const auto it = index_.find(s);
    if (it == index_.end())
        return std::nullopt;
    return it->second;
}

NumberPool::NumberPool() : index_(16, Hash{this}, Equal{this}) {}

// The index's functors point at their pool, so a moved pool rebuilds them.
NumberPool::NumberPool(NumberPool&& other) noexcept
    : chars_(std::move(other.chars_)),
      begins_(std::move(other.begins_)),
      index_(16, Hash{this}, Equal{this}) {
    other.begins_.assign(1, 0);
    other.index_.clear();
    for (CaseId id = 0; id + 1 < begins_.size(); ++id)
        index_.insert(id);
}

NumberPool& NumberPool::operator=(NumberPool&& other) noexcept {
    if (this != &other) {
        chars_ = std::move(other.chars_);
        begins_ = std::move(other.begins_);
        index_ = std::unordered_set<CaseId, Hash, Equal>(16, Hash{this}, Equal{this});
        other.begins_.assign(1, 0);
        other.index_.clear();
        for (CaseId id = 0; id + 1 < begins_.size(); ++id)
            index_.insert(id);
    }
    return *this;
}

std::optional<CaseId> NumberPool::find(std::string_view number) const {
    const auto it = index_.find(number);
    if (it == index_.end())
        return std::nullopt;
    return *it;
}

void NumberPool::push_back(std::string_view number) {
    chars_.append(number);
    begins_.push_back(static_cast<std::uint32_t>(chars_.size()));
    index_.insert(static_cast<CaseId>(begins_.size() - 2));
}

void NumberPool::truncate(std::size_t n) {
    while (size() > n) {
        index_.erase(static_cast<CaseId>(size() - 1));
        begins_.pop_back();
    }
    chars_.resize(begins_.back());
}

}  // namespace gridgov::detail
