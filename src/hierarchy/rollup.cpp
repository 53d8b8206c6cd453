// Roll-ups: subtree aggregates for every live node in one pass over the pre-order array.
// Walking it backwards visits every child before its parent, so each node adds its
// finished subtree total into its parent exactly once.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "hierarchy/hierarchy_impl.hpp"

namespace gridgov {

namespace {

RollUp roll_up_values(const Hierarchy::Impl& m, const std::vector<double>& values) {
    const std::size_t live = m.pre.size();
    // Work in pre-order positions: the backward pass then reads and writes close together.
    std::vector<double> sum(live);
    std::vector<double> lo(live);
    std::vector<double> hi(live);
    std::vector<std::uint32_t> count(live);
    constexpr double inf = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < live; ++i) {
        const double v = values[m.pre[i]];
        const bool present = !std::isnan(v);
        sum[i] = present ? v : 0.0;
        lo[i] = present ? v : inf;
        hi[i] = present ? v : -inf;
        count[i] = present ? 1 : 0;
    }
    for (std::size_t i = live; i-- > 0;) {
        const std::uint32_t p = m.parent_pos[i];
        if (p != detail::npos32) {
            sum[p] += sum[i];
            lo[p] = std::min(lo[p], lo[i]);
            hi[p] = std::max(hi[p], hi[i]);
            count[p] += count[i];
        }
    }
    const std::size_t n = m.id_count();
    RollUp out;
    out.sum.assign(n, missing_value);
    out.min.assign(n, missing_value);
    out.max.assign(n, missing_value);
    out.count.assign(n, 0);
    for (std::size_t i = 0; i < live; ++i) {
        const NodeId id = m.pre[i];
        out.sum[id] = sum[i];
        out.count[id] = count[i];
        if (count[i] > 0) {
            out.min[id] = lo[i];
            out.max[id] = hi[i];
        }
    }
    return out;
}

[[noreturn]] void bad_record(std::size_t index, NodeId id, std::size_t id_count) {
    throw Error(ErrorCode::invalid_argument,
                "record " + std::to_string(index) + " is located at node id " + std::to_string(id) +
                    ", out of range (" + std::to_string(id_count) + " ids exist)");
}

}  // namespace

RollUp Hierarchy::roll_up(std::string_view column_name) const {
    return roll_up_values(*impl_, column(column_name));
}

RollUp Hierarchy::roll_up(const std::vector<double>& values) const {
    if (values.size() != impl_->id_count()) {
        throw Error(ErrorCode::invalid_argument,
                    "roll_up needs one value per id: got " + std::to_string(values.size()) +
                        " values for " + std::to_string(impl_->id_count()) + " ids");
    }
    return roll_up_values(*impl_, values);
}

std::vector<double> Hierarchy::sum_records(const NodeId* record_nodes, const double* weights,
                                           std::size_t count) const {
    const Impl& m = *impl_;
    if (count > 0 && record_nodes == nullptr) {
        throw Error(ErrorCode::invalid_argument,
                    "record_nodes is null for " + std::to_string(count) + " records");
    }
    const std::size_t n = m.id_count();
    std::vector<double> acc(n, 0.0);
    double* const a = acc.data();
    // Records at no_node are located nowhere and ignored; other unknown ids are a caller
    // error. Records at retired ids land in slots the pass below never reads.
    if (weights != nullptr) {
        for (std::size_t i = 0; i < count; ++i) {
            const NodeId id = record_nodes[i];
            if (id >= n) {
                if (id == no_node) {
                    continue;
                }
                bad_record(i, id, n);
            }
            a[id] += weights[i];
        }
    } else {
        for (std::size_t i = 0; i < count; ++i) {
            const NodeId id = record_nodes[i];
            if (id >= n) {
                if (id == no_node) {
                    continue;
                }
                bad_record(i, id, n);
            }
            a[id] += 1.0;
        }
    }
    const NodeId* const pre = m.pre.data();
    const NodeId* const parent = m.parent.data();
    for (std::size_t i = m.pre.size(); i-- > 0;) {
        const NodeId id = pre[i];
        const NodeId p = parent[id];
        if (p != no_node) {
            a[p] += a[id];
        }
    }
    for (std::size_t id = 0; id < n; ++id) {
        if (!m.live[id]) {
            a[id] = missing_value;
        }
    }
    return acc;
}

}  // namespace gridgov
