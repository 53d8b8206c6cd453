// Assessment from cases on the synthetic province: ten million cases reported from
// February to April 2024 (about forty million a year, DOMAIN.md §7), then every grid and
// every ancestor (112,212 nodes) scored with urban_region for March on one core — the
// indicators classified from the engine, the scheme scored, ranked and its rules
// evaluated (target < 1 s). Filling the engine is set-up, not timed.
//
// Floor: a plain loop over flat arrays of the same cases (node position, report, close and
// deadline instants, state kind, breach flag) counting five base counts per pre-order
// position and summing them over subtrees — the least any subtree count can cost.
//
// GRIDGOV_BENCH_CASES=<n> runs with fewer cases (a quick check).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/indicators.hpp"
#include "province_cases.hpp"

namespace {

using namespace gridgov;

std::size_t case_count() {
    if (const char* env = std::getenv("GRIDGOV_BENCH_CASES"))
        return static_cast<std::size_t>(std::strtoull(env, nullptr, 10));
    return 10'000'000;
}

using bench::Staff;

struct Province {
    Hierarchy h;
    Directory dir{bench::province_catalogue()};
    Staff staff;
    CaseEngine engine{h, dir};
    double fill_seconds = 0;

    Province() {
        h.add_all(bench::province_specs());
        staff = bench::case_staff(h);
        dir.add_people(staff.people);
        dir.add_assignments(h, staff.posts);
        engine.set_departments(staff.departments);
        const auto t0 = std::chrono::steady_clock::now();
        bench::fill_cases(engine, staff, case_count(), Instant::parse("2024-02-01T09:00"), 90);
        fill_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "filled %zu cases, %llu events in %.0f s\n", engine.size(),
                     static_cast<unsigned long long>(engine.last_sequence()), fill_seconds);
    }
};

Province& province() {
    static Province p;
    return p;
}

const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");

// The whole run: every node of every level scored, ranked and flagged.
void BM_Assess_EveryNode_UrbanRegion(benchmark::State& state) {
    Province& p = province();
    std::size_t scored = 0;
    for (auto _ : state) {
        const AssessmentRun run = bench::assess_every_node(p.engine, p.h, march);
        scored = run.scores.size();
        benchmark::DoNotOptimize(run.scores.data());
    }
    state.counters["subjects"] = static_cast<double>(scored);
    state.counters["cases"] = static_cast<double>(p.engine.size());
    state.counters["fill_s"] = p.fill_seconds;
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.engine.size()));
}
BENCHMARK(BM_Assess_EveryNode_UrbanRegion)->Unit(benchmark::kMillisecond)->Iterations(3);

// The indicator table alone (classification and subtree sums).
void BM_Assess_IndicatorTable(benchmark::State& state) {
    Province& p = province();
    std::size_t counted = 0;
    for (auto _ : state) {
        const CaseIndicatorTable t = case_indicators_by_node(p.engine, p.h, march);
        counted = t.cases();
        benchmark::DoNotOptimize(counted);
    }
    state.counters["counted"] = static_cast<double>(counted);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.engine.size()));
}
BENCHMARK(BM_Assess_IndicatorTable)->Unit(benchmark::kMillisecond)->Iterations(3);

// Where the time of the whole run goes: the table, every node's values (without sources),
// score() of each, rank() and evaluate_rules(), one pass each (milliseconds as counters).
void BM_Assess_Phases(benchmark::State& state) {
    Province& p = province();
    const AssessmentScheme scheme = AssessmentScheme::preset("urban_region");
    std::vector<std::string> keys;
    for (const IndicatorSpec& spec : scheme.indicators())
        keys.push_back(spec.key);
    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    double table_ms = 0, values_ms = 0, score_ms = 0, rank_ms = 0, rules_ms = 0;
    for (auto _ : state) {
        const auto t0 = Clock::now();
        const CaseIndicatorTable t = case_indicators_by_node(p.engine, p.h, march);
        const auto t1 = Clock::now();
        std::vector<ScoreInput> inputs;
        inputs.reserve(p.h.preorder().size());
        for (const NodeId n : p.h.preorder()) {
            ScoreInput in;
            in.subject.code = p.h.code(n);
            in.subject.level = p.h.levels()[static_cast<std::size_t>(p.h.level(n))].key;
            in.subject.area_class = p.h.area_class(n).empty() ? "二类" : p.h.area_class(n);
            in.period = march;
            in.values = t.node(n, keys, false);
            inputs.push_back(std::move(in));
        }
        const auto t2 = Clock::now();
        std::vector<ScoreResult> results;
        results.reserve(inputs.size());
        for (const ScoreInput& in : inputs)
            results.push_back(score(scheme, in));
        const auto t3 = Clock::now();
        rank(results);
        const auto t4 = Clock::now();
        const std::vector<RuleFlag> flags = evaluate_rules(scheme, results);
        const auto t5 = Clock::now();
        benchmark::DoNotOptimize(flags.data());
        table_ms += ms(t0, t1);
        values_ms += ms(t1, t2);
        score_ms += ms(t2, t3);
        rank_ms += ms(t3, t4);
        rules_ms += ms(t4, t5);
    }
    const auto n = static_cast<double>(state.iterations());
    state.counters["table_ms"] = table_ms / n;
    state.counters["values_ms"] = values_ms / n;
    state.counters["score_ms"] = score_ms / n;
    state.counters["rank_ms"] = rank_ms / n;
    state.counters["rules_ms"] = rules_ms / n;
}
BENCHMARK(BM_Assess_Phases)->Unit(benchmark::kMillisecond)->Iterations(1);

// The sources of one county on demand: case numbers behind each urban_region indicator.
void BM_Assess_CountySources(benchmark::State& state) {
    Province& p = province();
    const CaseIndicatorTable t = case_indicators_by_node(p.engine, p.h, march);
    const NodeId county = p.h.at("370103");
    const std::vector<std::string> keys{"public_report_rate", "filed", "closure_rate",
                                        "on_time_rate"};
    std::size_t n = 0;
    for (auto _ : state) {
        const IndicatorValues v = t.node(county, keys, true);
        n = v.at("filed").sources.size();
        benchmark::DoNotOptimize(n);
    }
    state.counters["filed_sources"] = static_cast<double>(n);
}
BENCHMARK(BM_Assess_CountySources)->Unit(benchmark::kMillisecond)->Iterations(3);

// The floor: five counts per node from flat arrays of the same cases.
struct Flat {
    std::vector<std::uint32_t> pos;
    std::vector<std::int64_t> reported, closed, deadline;
    std::vector<std::uint8_t> kind, breached;
};

const Flat& flat() {
    static const Flat f = [] {
        Province& p = province();
        const CaseColumns c = p.engine.columns();
        std::vector<std::uint32_t> position(p.h.id_count());
        for (std::size_t i = 0; i < p.h.preorder().size(); ++i)
            position[p.h.preorder()[i]] = static_cast<std::uint32_t>(i);
        Flat out;
        for (std::size_t i = 0; i < c.id.size(); ++i) {
            out.pos.push_back(position[c.node[i]]);
            out.reported.push_back(c.reported_at[i]);
            out.closed.push_back(c.closed_at[i]);
            out.deadline.push_back(c.deadline[i]);
            out.kind.push_back(static_cast<std::uint8_t>(c.kind[i]));
            out.breached.push_back(c.breached[i]);
        }
        return out;
    }();
    return f;
}

void BM_Assess_FlatArrayFloor(benchmark::State& state) {
    Province& p = province();
    const Flat& f = flat();
    const std::size_t positions = p.h.preorder().size();
    const Period dates = march.dates();
    const std::int64_t s = Instant::from_local(dates.from).seconds;
    const std::int64_t e = Instant::from_local(dates.to).seconds;
    std::uint32_t sum = 0;
    for (auto _ : state) {
        std::vector<std::uint32_t> cnt((positions + 1) * 5, 0);
        for (std::size_t i = 0; i < f.pos.size(); ++i) {
            const std::int64_t rep = f.reported[i];
            const std::int64_t cl = f.closed[i];
            if (rep >= e || cl < s)
                continue;
            std::uint32_t* row = cnt.data() + (std::size_t{f.pos[i]} + 1) * 5;
            const bool standing = f.kind[i] == 1 || f.kind[i] == 2;
            const bool closed_in = f.kind[i] == 2 && cl < e;
            row[0] += rep >= s;
            row[1] += rep >= s && standing;
            row[2] += closed_in;
            row[3] += closed_in && f.breached[i] == 0;
            row[4] += standing && (closed_in || (f.deadline[i] >= s && f.deadline[i] < e));
        }
        for (std::size_t q = 1; q <= positions; ++q) {
            for (std::size_t b = 0; b < 5; ++b)
                cnt[q * 5 + b] += cnt[(q - 1) * 5 + b];
        }
        sum = cnt[positions * 5];
        benchmark::DoNotOptimize(sum);
    }
    state.counters["received"] = sum;
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.pos.size()));
}
BENCHMARK(BM_Assess_FlatArrayFloor)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
