// Hierarchy benchmarks on the synthetic province: build, validate, memory per node, and
// the roll-up of 10 million case-like records over every subtree compared with the
// plain flat-array loop that only bins the records by grid (the floor any roll-up pays).
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <random>

#include "synthetic_province.hpp"

namespace {

using gridgov::Hierarchy;
using gridgov::NodeId;

const std::vector<gridgov::NodeSpec>& province_specs() {
    static const auto specs = gridgov::bench::synthetic_province();
    return specs;
}

const Hierarchy& province() {
    static const Hierarchy h = [] {
        Hierarchy built;
        built.add_all(province_specs());
        return built;
    }();
    return h;
}

struct Records {
    std::vector<NodeId> nodes;
    std::vector<double> weights;
};

const Records& ten_million_records() {
    static const Records records = [] {
        const Hierarchy& h = province();
        const std::vector<NodeId> grids = h.nodes_at_level(h.levels().index_of("grid"));
        Records r;
        constexpr std::size_t n = 10'000'000;
        r.nodes.resize(n);
        r.weights.resize(n);
        std::mt19937_64 rng(7);
        std::uniform_int_distribution<std::size_t> pick(0, grids.size() - 1);
        std::uniform_real_distribution<double> hours(0.5, 120.0);
        for (std::size_t i = 0; i < n; ++i) {
            r.nodes[i] = grids[pick(rng)];
            r.weights[i] = hours(rng);
        }
        return r;
    }();
    return records;
}

void BM_BuildProvince(benchmark::State& state) {
    const auto& specs = province_specs();
    for (auto _ : state) {
        Hierarchy h;
        h.add_all(specs);
        benchmark::DoNotOptimize(h.size());
    }
    state.counters["nodes"] = static_cast<double>(specs.size());
}
BENCHMARK(BM_BuildProvince)->Unit(benchmark::kMillisecond);

void BM_BytesPerNode(benchmark::State& state) {
    const auto& specs = province_specs();
    double bytes = 0;
    for (auto _ : state) {
        const std::size_t before = mallinfo2().uordblks;
        auto* h = new Hierarchy();
        h->add_all(specs);
        bytes = static_cast<double>(mallinfo2().uordblks - before);
        delete h;
    }
    state.counters["bytes_per_node"] = bytes / static_cast<double>(specs.size());
}
BENCHMARK(BM_BytesPerNode)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ValidateProvince(benchmark::State& state) {
    const Hierarchy& h = province();
    gridgov::ValidationPolicy policy;
    policy.sizing = gridgov::SizingPolicy::national_guideline();
    for (auto _ : state) {
        auto findings = h.validate(policy);
        benchmark::DoNotOptimize(findings.data());
    }
}
BENCHMARK(BM_ValidateProvince)->Unit(benchmark::kMillisecond);

// The floor: bin 10 M weighted records by node in one flat array, no subtree totals.
void BM_FlatArrayLoop10M(benchmark::State& state) {
    const Hierarchy& h = province();
    const Records& r = ten_million_records();
    for (auto _ : state) {
        std::vector<double> bins(h.id_count(), 0.0);
        for (std::size_t i = 0; i < r.nodes.size(); ++i)
            bins[r.nodes[i]] += r.weights[i];
        benchmark::DoNotOptimize(bins.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.nodes.size()));
}
BENCHMARK(BM_FlatArrayLoop10M)->Unit(benchmark::kMillisecond);

// gridgov: the same records summed into every one of the 112,212 subtrees.
void BM_SumRecords10MAllSubtrees(benchmark::State& state) {
    const Hierarchy& h = province();
    const Records& r = ten_million_records();
    for (auto _ : state) {
        auto sums = h.sum_records(r.nodes.data(), r.weights.data(), r.nodes.size());
        benchmark::DoNotOptimize(sums.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(r.nodes.size()));
}
BENCHMARK(BM_SumRecords10MAllSubtrees)->Unit(benchmark::kMillisecond);

void BM_RollUpHouseholds(benchmark::State& state) {
    const Hierarchy& h = province();
    for (auto _ : state) {
        auto r = h.roll_up("households");
        benchmark::DoNotOptimize(r.sum.data());
    }
}
BENCHMARK(BM_RollUpHouseholds)->Unit(benchmark::kMillisecond);

void BM_IsAncestorAndLca(benchmark::State& state) {
    const Hierarchy& h = province();
    const auto grids = h.nodes_at_level(h.levels().index_of("grid"));
    std::mt19937 rng(3);
    std::uniform_int_distribution<std::size_t> pick(0, grids.size() - 1);
    std::size_t hits = 0;
    for (auto _ : state) {
        const NodeId a = grids[pick(rng)];
        const NodeId b = grids[pick(rng)];
        const NodeId l = h.lowest_common_ancestor(a, b);
        hits += h.is_ancestor(l, a) ? 1 : 0;
    }
    benchmark::DoNotOptimize(hits);
}
BENCHMARK(BM_IsAncestorAndLca);

}  // namespace

BENCHMARK_MAIN();
