// Queries over all cases: one pass over the columns, with the filter's codes turned into
// per-workflow tables first, so that the pass compares integers only.
#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <unordered_map>

#include <boost/sort/spreadsort/integer_sort.hpp>

#include "cases/engine_impl.hpp"

namespace gridgov {

using detail::ClockSlot;
using detail::CompiledSpec;
using detail::none16;
using detail::none32;

namespace {

/// The counting clock of a case read at an instant.
struct Reading {
    bool counting = false;
    Light light = Light::green;
    bool overdue = false;
    std::int64_t deadline = 0;
};

Reading read_clock(const CaseEngine::Impl& w, CaseId id, std::int64_t at) {
    Reading r;
    if (at >= w.cases.updated_at[id]) {
        const ClockSlot* c = w.counting_clock(id);
        if (c == nullptr)
            return r;
        r.counting = true;
        r.light = w.light_of(*c, w.spec_of(id).spec.lights, at);
        r.overdue = at > c->deadline;
        r.deadline = c->deadline;
        return r;
    }
    // Before the case's last event: its state then comes from its events.
    std::vector<CaseEvent> events = w.case_events(id);
    events.erase(std::find_if(events.begin(), events.end(),
                              [&](const CaseEvent& e) { return e.at.seconds > at; }),
                 events.end());
    if (events.empty())
        return r;
    const auto s = w.rebuild(events);
    const ClockSlot* c = s->counting_clock(0);
    if (c == nullptr)
        return r;
    r.counting = true;
    r.light = s->light_of(*c, s->spec_of(0).spec.lights, at);
    r.overdue = at > c->deadline;
    r.deadline = c->deadline;
    return r;
}

class Matcher {
  public:
    Matcher(const CaseEngine::Impl& w, const CaseFilter& f) : w_(w), f_(f) {
        const detail::EngineConfig& c = *w.config;
        if ((f.light || f.overdue) && !f.at) {
            throw Error(ErrorCode::invalid_argument,
                        "case filter: light and overdue are read at an instant; set 'at'");
        }
        if (f.subtree != no_node && !w.hierarchy->is_live(f.subtree)) {
            throw Error(ErrorCode::not_found, "case filter: node " + std::to_string(f.subtree) +
                                                  " is not a live node of the hierarchy");
        }
        state_ok_.resize(c.specs.size());
        flag_bits_.assign(c.specs.size(), 0);
        spec_ok_.assign(c.specs.size(), 1);
        for (std::size_t s = 0; s < c.specs.size(); ++s) {
            const WorkflowSpec& spec = c.specs[s].spec;
            if (!f.workflow.empty() && spec.key != f.workflow)
                spec_ok_[s] = 0;
            state_ok_[s].assign(spec.states.size(), 1);
            for (std::size_t k = 0; k < spec.states.size(); ++k) {
                if (!f.states.empty() && std::find(f.states.begin(), f.states.end(),
                                                   spec.states[k].key) == f.states.end())
                    state_ok_[s][k] = 0;
                if (f.kind && c.specs[s].states[k].kind != *f.kind)
                    state_ok_[s][k] = 0;
            }
            if (!f.flag.empty()) {
                const auto it = std::find(spec.flags.begin(), spec.flags.end(), f.flag);
                if (it != spec.flags.end())
                    flag_bits_[s] = 1u << static_cast<unsigned>(it - spec.flags.begin());
            }
        }
        category_ok_.assign(c.categories.categories.size(), 1);
        if (!f.category_prefix.empty()) {
            for (std::size_t k = 0; k < category_ok_.size(); ++k) {
                const std::string& code = c.categories.categories[k].code;
                category_ok_[k] = code.compare(0, f.category_prefix.size(), f.category_prefix) == 0;
            }
        }
        if (!f.department.empty()) {
            const auto it = c.department_index.find(f.department);
            department_ = it == c.department_index.end() ? none32 - 1 : it->second;
        }
    }

    bool operator()(CaseId id) const {
        const detail::CaseTable& t = w_.cases;
        const std::uint16_t spec = t.spec[id];
        if (!spec_ok_[spec] || !state_ok_[spec][t.state[id]] || !category_ok_[t.category[id]])
            return false;
        if (f_.source && static_cast<CaseSource>(t.source[id]) != *f_.source)
            return false;
        if (department_ != none32 && t.department[id] != department_)
            return false;
        if (!f_.flag.empty() && (t.flags[id] & flag_bits_[spec]) == 0)
            return false;
        if (f_.breached && (t.breached[id] != 0) != *f_.breached)
            return false;
        if (f_.tier && t.tier[id] != *f_.tier)
            return false;
        if (f_.reported_from && t.reported_at[id] < f_.reported_from->seconds)
            return false;
        if (f_.reported_until && t.reported_at[id] >= f_.reported_until->seconds)
            return false;
        if (f_.subtree != no_node) {
            const Hierarchy& h = *w_.hierarchy;
            const NodeId n = t.node[id];
            if (!h.is_live(n) || !h.is_ancestor(f_.subtree, n))
                return false;
        }
        if (f_.light || f_.overdue) {
            const Reading r = read_clock(w_, id, f_.at->seconds);
            if (!r.counting)
                return false;
            if (f_.light && r.light != *f_.light)
                return false;
            if (f_.overdue && !r.overdue)
                return false;
        }
        return true;
    }

  private:
    const CaseEngine::Impl& w_;
    const CaseFilter& f_;
    std::vector<std::vector<char>> state_ok_;
    std::vector<std::uint32_t> flag_bits_;
    std::vector<char> spec_ok_;
    std::vector<char> category_ok_;
    std::uint32_t department_ = none32;
};

/// Calls `fn` with each case the filter may match, ascending: every case, or only those
/// reported in the filter's period when it has one.
template <class F>
void for_each_candidate(const CaseEngine::Impl& w, const CaseFilter& f, F&& fn) {
    if (!f.reported_from && !f.reported_until) {
        for (CaseId id = 0; id < w.cases.size(); ++id)
            fn(id);
        return;
    }
    const detail::PeriodIndex::Span span = w.reported_order.find(
        w.cases,
        f.reported_from ? f.reported_from->seconds : std::numeric_limits<std::int64_t>::min(),
        f.reported_until ? f.reported_until->seconds : std::numeric_limits<std::int64_t>::max());
    if (span.listed) {
        for (const CaseId id : span.ids)
            fn(id);
    } else {
        for (CaseId id = span.first; id < span.last; ++id)
            fn(id);
    }
}

/// Gives each distinct name of a field one code. A name is keyed by a dense index of where
/// it comes from (a category, a workflow version's state), so that a case costs an array
/// look-up; names are compared only the first time a key is seen (two versions of a
/// workflow share their state names).
class NameCoder {
  public:
    void reset(std::size_t keys) { codes_.assign(keys, -1); }
    /// The code of `name` (kept by the engine while the read lasts), added to `out` when new.
    std::int32_t code(std::size_t key, const std::string& name, NameCodes& out) {
        std::int32_t& c = codes_[key];
        if (c < 0) {
            const auto [it, added] =
                by_name_.try_emplace(name, static_cast<std::int32_t>(out.names.size()));
            if (added)
                out.names.push_back(name);
            c = it->second;
        }
        return c;
    }

  private:
    std::vector<std::int32_t> codes_;
    std::unordered_map<std::string_view, std::int32_t> by_name_;
};

/// Fills the chosen fields of CaseColumns, one case at a time.
class ColumnReader {
  public:
    ColumnReader(const CaseEngine::Impl& w, const std::vector<CaseField>& fields, CaseNames names)
        : w_(w), coded_(names == CaseNames::coded) {
        if (names != CaseNames::text && names != CaseNames::coded) {
            throw Error(ErrorCode::invalid_argument,
                        "case columns: names " + std::to_string(static_cast<unsigned>(names)) +
                            " is neither text nor coded");
        }
        if (coded_) {
            const detail::EngineConfig& c = *w.config;
            std::size_t states = 0;
            for (const CompiledSpec& cs : c.specs) {
                state_base_.push_back(states);
                states += cs.spec.states.size();
            }
            workflow_.reset(c.specs.size());
            category_.reset(c.categories.categories.size());
            state_.reset(states);
            department_.reset(c.departments.departments.size());
        }
        for (const CaseField f : fields) {
            const auto bit = static_cast<unsigned>(f);
            if (bit >= case_field_count) {
                throw Error(ErrorCode::invalid_argument,
                            "case columns: field " + std::to_string(bit) + " is not a field");
            }
            want_ |= 1u << bit;
        }
        if (fields.empty())
            want_ = (1u << case_field_count) - 1;
    }

    /// Room for `n` more cases in each chosen field.
    void reserve(std::size_t n, CaseColumns& out) const {
        const auto room = [n](bool wanted, auto& column) {
            if (wanted)
                column.reserve(column.size() + n);
        };
        room(wants(CaseField::id), out.id);
        room(wants(CaseField::number), out.number);
        room(wants(CaseField::workflow) && !coded_, out.workflow);
        room(wants(CaseField::workflow) && coded_, out.workflow_codes.codes);
        room(wants(CaseField::category) && !coded_, out.category);
        room(wants(CaseField::category) && coded_, out.category_codes.codes);
        room(wants(CaseField::node), out.node);
        room(wants(CaseField::source), out.source);
        room(wants(CaseField::state) && !coded_, out.state);
        room(wants(CaseField::state) && coded_, out.state_codes.codes);
        room(wants(CaseField::kind), out.kind);
        room(wants(CaseField::department) && !coded_, out.department);
        room(wants(CaseField::department) && coded_, out.department_codes.codes);
        room(wants(CaseField::tier), out.tier);
        room(wants(CaseField::breached), out.breached);
        room(wants(CaseField::reported_at), out.reported_at);
        room(wants(CaseField::updated_at), out.updated_at);
        room(wants(CaseField::closed_at), out.closed_at);
        room(wants(CaseField::deadline), out.deadline);
    }

    void add(CaseId id, CaseColumns& out) {
        const detail::CaseTable& t = w_.cases;
        const detail::EngineConfig& c = *w_.config;
        const std::uint16_t spec = t.spec[id];
        const CompiledSpec& cs = c.specs[spec];
        if (wants(CaseField::id))
            out.id.push_back(id);
        if (wants(CaseField::number))
            out.number.emplace_back(w_.numbers.at(id));
        if (wants(CaseField::workflow)) {
            if (coded_)
                out.workflow_codes.codes.push_back(
                    workflow_.code(spec, cs.spec.key, out.workflow_codes));
            else
                out.workflow.push_back(cs.spec.key);
        }
        if (wants(CaseField::category)) {
            const std::uint16_t k = t.category[id];
            const std::string& code = c.categories.categories[k].code;
            if (coded_)
                out.category_codes.codes.push_back(category_.code(k, code, out.category_codes));
            else
                out.category.push_back(code);
        }
        if (wants(CaseField::node))
            out.node.push_back(t.node[id]);
        if (wants(CaseField::source))
            out.source.push_back(static_cast<CaseSource>(t.source[id]));
        if (wants(CaseField::state)) {
            const std::uint16_t k = t.state[id];
            const std::string& key = cs.spec.states[k].key;
            if (coded_)
                out.state_codes.codes.push_back(
                    state_.code(state_base_[spec] + k, key, out.state_codes));
            else
                out.state.push_back(key);
        }
        if (wants(CaseField::kind))
            out.kind.push_back(cs.states[t.state[id]].kind);
        if (wants(CaseField::department)) {
            const std::uint32_t k = t.department[id];
            if (!coded_) {
                out.department.push_back(k == none32 ? std::string()
                                                     : c.departments.departments[k].code);
            } else if (k == none32) {
                out.department_codes.codes.push_back(-1);
            } else {
                out.department_codes.codes.push_back(
                    department_.code(k, c.departments.departments[k].code, out.department_codes));
            }
        }
        if (wants(CaseField::tier))
            out.tier.push_back(t.tier[id]);
        if (wants(CaseField::breached))
            out.breached.push_back(t.breached[id]);
        if (wants(CaseField::reported_at))
            out.reported_at.push_back(t.reported_at[id]);
        if (wants(CaseField::updated_at))
            out.updated_at.push_back(t.updated_at[id]);
        if (wants(CaseField::closed_at))
            out.closed_at.push_back(t.closed_at[id]);
        if (wants(CaseField::deadline)) {
            const ClockSlot* clock = w_.counting_clock(id);
            out.deadline.push_back(clock != nullptr ? clock->deadline : Instant::max().seconds);
        }
    }

  private:
    bool wants(CaseField f) const { return (want_ & (1u << static_cast<unsigned>(f))) != 0; }

    const CaseEngine::Impl& w_;
    std::uint32_t want_ = 0;
    bool coded_ = false;
    std::vector<std::size_t> state_base_;  // per workflow version, its first state's key
    NameCoder workflow_, category_, state_, department_;
};

}  // namespace

std::size_t CaseColumns::size() const {
    return std::max({id.size(), number.size(), workflow.size(), category.size(), node.size(),
                     source.size(), state.size(), kind.size(), department.size(), tier.size(),
                     breached.size(), reported_at.size(), updated_at.size(), closed_at.size(),
                     deadline.size(), workflow_codes.codes.size(), category_codes.codes.size(),
                     state_codes.codes.size(), department_codes.codes.size()});
}

namespace detail {

void PeriodIndex::update(const CaseTable& cases) const {
    const std::size_t n = cases.size();
    if (changes_ != cases.reported_changes || covered_ > n) {
        covered_ = 0;
        in_id_order_ = true;
        order_.clear();
        order_.shrink_to_fit();
        changes_ = cases.reported_changes;
    }
    if (covered_ == n)
        return;
    const std::int64_t* at = cases.reported_at.data();
    if (in_id_order_) {
        std::size_t i = std::max<std::size_t>(covered_, 1);
        while (i < n && at[i] >= at[i - 1])
            ++i;
        if (i >= n) {
            covered_ = n;
            return;
        }
        // Case i was reported before case i - 1: from here on the order is kept as ids.
        order_.resize(i);
        std::iota(order_.begin(), order_.end(), CaseId{0});
        in_id_order_ = false;
        covered_ = i;
    }
    // The new cases in report order: sorted as 64-bit keys (report instant above, id
    // below) when their instants span less than 2^32 seconds, as every real span does.
    // Report order: by instant, then by id.
    const auto before = [at](CaseId a, CaseId b) { return at[a] != at[b] ? at[a] < at[b] : a < b; };
    const auto [lo, hi] = std::minmax_element(at + covered_, at + n);
    const auto mid = static_cast<std::ptrdiff_t>(order_.size());
    order_.resize(order_.size() + (n - covered_));
    const auto added = order_.begin() + mid;
    if (static_cast<std::uint64_t>(*hi - *lo) <= std::numeric_limits<std::uint32_t>::max()) {
        std::vector<std::uint64_t> keys(n - covered_);
        for (std::size_t id = covered_; id < n; ++id)
            keys[id - covered_] = (static_cast<std::uint64_t>(at[id] - *lo) << 32) | id;
        boost::sort::spreadsort::integer_sort(keys.begin(), keys.end());
        for (std::size_t k = 0; k < keys.size(); ++k)
            added[static_cast<std::ptrdiff_t>(k)] = static_cast<CaseId>(keys[k]);
    } else {
        std::iota(added, order_.end(), static_cast<CaseId>(covered_));
        std::sort(added, order_.end(), before);
    }
    // Live reports come after everything indexed: appended. Anything else is merged.
    if (mid > 0 && at[*added] < at[*(added - 1)]) {
        std::inplace_merge(order_.begin(), added, order_.end(), before);
    }
    covered_ = n;
}

PeriodIndex::Span PeriodIndex::find(const CaseTable& cases, std::int64_t from,
                                    std::int64_t until) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    update(cases);
    Span span;
    if (until <= from)
        return span;
    const std::int64_t* at = cases.reported_at.data();
    if (in_id_order_) {
        const std::int64_t* end = at + cases.size();
        span.first = static_cast<CaseId>(std::lower_bound(at, end, from) - at);
        span.last = static_cast<CaseId>(std::lower_bound(at, end, until) - at);
        return span;
    }
    const auto earlier = [at](CaseId id, std::int64_t t) { return at[id] < t; };
    const auto lo = std::lower_bound(order_.begin(), order_.end(), from, earlier);
    const auto hi = std::lower_bound(lo, order_.end(), until, earlier);
    span.listed = true;
    span.ids.assign(lo, hi);
    boost::sort::spreadsort::integer_sort(span.ids.begin(), span.ids.end());
    return span;
}

}  // namespace detail

std::vector<CaseId> CaseEngine::select(const CaseFilter& filter) const {
    const Impl& w = *impl_;
    const Matcher match(w, filter);
    std::vector<CaseId> out;
    for_each_candidate(w, filter, [&](CaseId id) {
        if (match(id))
            out.push_back(id);
    });
    return out;
}

std::size_t CaseEngine::count(const CaseFilter& filter) const {
    const Impl& w = *impl_;
    const Matcher match(w, filter);
    std::size_t n = 0;
    for_each_candidate(w, filter, [&](CaseId id) { n += match(id) ? 1 : 0; });
    return n;
}

std::vector<GroupCount> CaseEngine::count_by(CaseGroup group, const CaseFilter& filter,
                                             std::string_view level) const {
    const Impl& w = *impl_;
    const Matcher match(w, filter);
    const detail::EngineConfig& c = *w.config;
    const Hierarchy& h = *w.hierarchy;
    int level_index = -1;
    if (group == CaseGroup::node) {
        level_index = h.levels().index_of(level);
        if (level_index < 0) {
            throw Error(
                ErrorCode::invalid_argument,
                "count_by node: no level " + detail::quoted_text(level) + " in the hierarchy");
        }
    }
    if ((group == CaseGroup::light || group == CaseGroup::overdue) && !filter.at) {
        throw Error(ErrorCode::invalid_argument,
                    "count_by light or overdue: set the filter's 'at' to read clocks at");
    }
    // Integer keys first, their names once at the end.
    std::unordered_map<std::uint64_t, std::size_t> counts;
    for_each_candidate(w, filter, [&](CaseId id) {
        if (!match(id))
            return;
        std::uint64_t key = 0;
        switch (group) {
            case CaseGroup::state:
                key = (static_cast<std::uint64_t>(w.cases.spec[id]) << 16) | w.cases.state[id];
                break;
            case CaseGroup::kind:
                key = static_cast<std::uint64_t>(w.spec_of(id).states[w.cases.state[id]].kind);
                break;
            case CaseGroup::category:
                key = w.cases.category[id];
                break;
            case CaseGroup::source:
                key = w.cases.source[id];
                break;
            case CaseGroup::department:
                key = w.cases.department[id];
                break;
            case CaseGroup::light:
            case CaseGroup::overdue: {
                const Reading r = read_clock(w, id, filter.at->seconds);
                key = !r.counting                 ? 0
                      : group == CaseGroup::light ? 1 + static_cast<std::uint64_t>(r.light)
                                                  : (r.overdue ? 2 : 1);
                break;
            }
            case CaseGroup::node: {
                NodeId n = w.cases.node[id];
                if (h.is_live(n)) {
                    while (h.level(n) > level_index && h.parent(n) != no_node)
                        n = h.parent(n);
                }
                key = n;
                break;
            }
            case CaseGroup::workflow:
                key = w.cases.spec[id];
                break;
            case CaseGroup::tier:
                key = w.cases.tier[id];
                break;
        }
        ++counts[key];
    });
    std::map<std::string, std::size_t> named;
    for (const auto& [key, n] : counts) {
        std::string name;
        switch (group) {
            case CaseGroup::state:
                name = c.specs[key >> 16].spec.states[key & 0xFFFF].key;
                break;
            case CaseGroup::kind:
                name = state_kind_name(static_cast<StateKind>(key));
                break;
            case CaseGroup::category:
                name = c.categories.categories[key].code;
                break;
            case CaseGroup::source:
                name = case_source_name(static_cast<CaseSource>(key));
                break;
            case CaseGroup::department:
                name = key == none32 ? std::string() : c.departments.departments[key].code;
                break;
            case CaseGroup::light:
                name = key == 0 ? std::string() : light_name(static_cast<Light>(key - 1));
                break;
            case CaseGroup::overdue:
                name = key == 0 ? "" : key == 2 ? "overdue" : "in_time";
                break;
            case CaseGroup::node:
                name = static_cast<NodeId>(key) < h.id_count() ? h.code(static_cast<NodeId>(key))
                                                               : std::string();
                break;
            case CaseGroup::workflow:
                name = c.specs[key].spec.key;
                break;
            case CaseGroup::tier:
                name = std::to_string(key);
                break;
        }
        named[name] += n;
    }
    std::vector<GroupCount> out;
    out.reserve(named.size());
    for (const auto& [name, n] : named)
        out.push_back({name, n});
    return out;
}

CaseColumns CaseEngine::columns(const CaseFilter& filter) const {
    return columns(filter, {});
}

CaseColumns CaseEngine::columns(const CaseFilter& filter, const std::vector<CaseField>& fields,
                                CaseNames names) const {
    const Impl& w = *impl_;
    const Matcher match(w, filter);
    ColumnReader read(w, fields, names);
    // The matching ids first: each chosen field then grows once.
    std::vector<CaseId> ids;
    for_each_candidate(w, filter, [&](CaseId id) {
        if (match(id))
            ids.push_back(id);
    });
    CaseColumns out;
    read.reserve(ids.size(), out);
    for (const CaseId id : ids)
        read.add(id, out);
    return out;
}

CaseColumns CaseEngine::columns_of(const std::vector<CaseId>& ids,
                                   const std::vector<CaseField>& fields, CaseNames names) const {
    const Impl& w = *impl_;
    for (const CaseId id : ids)
        w.require_case(id);
    ColumnReader read(w, fields, names);
    CaseColumns out;
    read.reserve(ids.size(), out);
    for (const CaseId id : ids)
        read.add(id, out);
    return out;
}

std::optional<ClockStatus> CaseEngine::clock_status(CaseId id, Instant now) const {
    const Impl& w = *impl_;
    w.require_case(id);
    const CompiledSpec& cs = w.spec_of(id);
    const ClockSlot* c = w.counting_clock(id);
    std::vector<ClockSlot> scratch;
    if (c == nullptr) {
        // A suspended (挂账) case shows the clock that waits for it.
        const ClockSlot* s = w.read_slots(id, scratch);
        for (std::size_t k = 0; k < cs.stage_count(); ++k) {
            if (s[k].run == static_cast<std::uint8_t>(ClockRun::suspended))
                c = &s[k];
        }
    }
    if (c == nullptr)
        return std::nullopt;
    const bool counting = c->run == static_cast<std::uint8_t>(ClockRun::counting);
    ClockStatus s;
    s.working_time = (c->bits & detail::clock_working) != 0;
    s.limit = c->budget;
    s.elapsed = c->used + (counting ? w.clock_span(*c, c->since, now.seconds) : 0);
    s.remaining = std::max<std::int64_t>(0, s.limit - s.elapsed);
    s.overdue_by = std::max<std::int64_t>(0, s.elapsed - s.limit);
    s.paused = !counting;
    s.overdue = s.elapsed > s.limit;
    if (counting) {
        s.deadline = Instant{c->deadline};
    } else {
        ClockSlot resumed = *c;
        w.start_counting(resumed, now.seconds);
        s.deadline = Instant{resumed.deadline};
    }
    s.light = w.light_of(*c, cs.spec.lights, now.seconds);
    return s;
}

}  // namespace gridgov
