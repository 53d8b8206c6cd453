// The case columns, the string interner and the case-number pool.
#include <algorithm>

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
    if (reported_at[id] != r.reported_at)
        ++reported_changes;
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
    ++reported_changes;
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

void IdIndex::insert(std::uint32_t id, std::uint64_t h) {
    if (2 * (used_ + 1) > slots_.size())
        grow();
    const auto tag = static_cast<std::uint32_t>(h);
    std::size_t i = tag & mask_;
    while (slots_[i] != 0)
        i = (i + 1) & mask_;
    slots_[i] = (static_cast<std::uint64_t>(tag) << 32) | (static_cast<std::uint64_t>(id) + 1);
    ++used_;
}

void IdIndex::erase(std::uint32_t id, std::uint64_t h) {
    const std::uint64_t wanted = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(h)) << 32) |
                                 (static_cast<std::uint64_t>(id) + 1);
    std::size_t i = static_cast<std::uint32_t>(h) & mask_;
    while (slots_[i] != wanted) {
        if (slots_[i] == 0)
            return;
        i = (i + 1) & mask_;
    }
    // Backward-shift deletion keeps every probe sequence unbroken without tombstones.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; slots_[j] != 0; j = (j + 1) & mask_) {
        const std::size_t home = static_cast<std::uint32_t>(slots_[j] >> 32) & mask_;
        if (((j - home) & mask_) >= ((j - hole) & mask_)) {
            slots_[hole] = slots_[j];
            hole = j;
        }
    }
    slots_[hole] = 0;
    --used_;
}

void IdIndex::reserve(std::size_t n) {
    while (2 * n > slots_.size())
        grow();
}

void IdIndex::clear() {
    slots_.clear();
    mask_ = 0;
    used_ = 0;
}

void IdIndex::grow() {
    ColumnVector<std::uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : 2 * old.size(), 0);
    mask_ = slots_.size() - 1;
    for (const std::uint64_t slot : old) {
        if (slot == 0)
            continue;
        std::size_t i = static_cast<std::uint32_t>(slot >> 32) & mask_;
        while (slots_[i] != 0)
            i = (i + 1) & mask_;
        slots_[i] = slot;
    }
}

std::uint32_t Interner::intern(std::string_view s) {
    const std::uint64_t h = string_hash(s);
    if (const auto id =
            index_.find(s, h, [this](std::uint32_t i) -> std::string_view { return names_[i]; }))
        return *id;
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(s);
    index_.insert(id, h);
    return id;
}

std::optional<std::uint32_t> Interner::find(std::string_view s) const {
    return index_.find(s, string_hash(s),
                       [this](std::uint32_t i) -> std::string_view { return names_[i]; });
}

void NumberPool::index_all() const {
    if (indexed_.load(std::memory_order_acquire) == size())
        return;
    const std::lock_guard<std::mutex> lock(index_mutex_);
    std::size_t next = indexed_.load(std::memory_order_relaxed);
    if (next == size())
        return;
    index_.reserve(size());
    for (; next < size(); ++next) {
        const auto id = static_cast<std::uint32_t>(next);
        const std::string_view text = at(id);
        if (const auto taken = index_.insert_new(id, text, string_hash(text),
                                                 [this](std::uint32_t i) { return at(i); })) {
            indexed_.store(next, std::memory_order_release);
            throw Error(ErrorCode::storage,
                        "case number " + std::string(text) + " is used twice (cases " +
                            std::to_string(*taken + 1) + " and " + std::to_string(id + 1) + ")");
        }
    }
    indexed_.store(next, std::memory_order_release);
}

std::optional<CaseId> NumberPool::find(std::string_view number) const {
    index_all();
    return index_.find(number, string_hash(number), [this](std::uint32_t i) { return at(i); });
}

void NumberPool::push_back(std::string_view number) {
    const auto id = static_cast<std::uint32_t>(size());
    const bool indexed = indexed_.load(std::memory_order_relaxed) == size();
    push_back_unindexed(number);
    if (indexed) {
        index_.insert(id, string_hash(number));
        indexed_.store(size(), std::memory_order_release);
    }
}

void NumberPool::push_back_unindexed(std::string_view number) {
    chars_.append(number);
    begins_.push_back(static_cast<std::uint32_t>(chars_.size()));
}

bool NumberPool::push_back_new(std::string_view number) {
    index_all();
    const auto id = static_cast<std::uint32_t>(size());
    push_back_unindexed(number);
    if (index_.insert_new(id, number, string_hash(number),
                          [this](std::uint32_t i) { return at(i); })) {
        begins_.pop_back();
        chars_.resize(begins_.back());
        return false;
    }
    indexed_.store(size(), std::memory_order_release);
    return true;
}

void NumberPool::reserve(std::size_t n, std::size_t chars) {
    // The index is sized when it is built (index_all) or grows with push_back.
    chars_.reserve(chars_.size() + chars);
    begins_.reserve(begins_.size() + n);
}

void NumberPool::truncate(std::size_t n) {
    std::size_t indexed = indexed_.load(std::memory_order_relaxed);
    while (size() > n) {
        const auto id = static_cast<std::uint32_t>(size() - 1);
        if (id < indexed)
            index_.erase(id, string_hash(at(id)));
        begins_.pop_back();
    }
    chars_.resize(begins_.back());
    indexed_.store(std::min(indexed, n), std::memory_order_release);
}

std::string_view format_case_number(int year, std::uint32_t sequence, char* buffer) {
    char digits[12];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + sequence % 10);
        sequence /= 10;
    } while (sequence != 0);
    while (n < 6)
        digits[n++] = '0';
    char* p = buffer;
    for (int d = 1000; d >= 1; d /= 10)
        *p++ = static_cast<char>('0' + (year / d) % 10);
    *p++ = '-';
    while (n > 0)
        *p++ = digits[--n];
    return std::string_view(buffer, static_cast<std::size_t>(p - buffer));
}

std::optional<std::pair<int, std::uint32_t>> parse_case_number(std::string_view number) {
    const auto digits = [](std::string_view s) {
        return !s.empty() &&
               std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (number.size() < 6 || number.size() > 14 || number[4] != '-' ||
        !digits(number.substr(0, 4)) || !digits(number.substr(5))) {
        return std::nullopt;
    }
    int year = 0;
    for (char c : number.substr(0, 4))
        year = year * 10 + (c - '0');
    std::uint64_t seq = 0;
    for (char c : number.substr(5))
        seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
    if (seq > 0xFFFFFFF0u)
        return std::nullopt;
    return std::make_pair(year, static_cast<std::uint32_t>(seq));
}

}  // namespace gridgov::detail
