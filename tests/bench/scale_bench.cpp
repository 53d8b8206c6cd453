// A province's year in one workspace file: GRIDGOV_SCALE_CASES cases (1,000,000 unless
// set) of the synthetic province reported over 2024 (bench::fill_cases: the six-step loop
// with its detours, 10,000 cases a commit), written through the public API. Then:
//
//   BM_Scale_Open        opening the file read-only; counters: the resident memory the
//                        first open added and the file's size, per case
//   BM_Scale_FirstQuery  after an open, the ids of March's cases (select by report time;
//                        the first such query also orders the cases by report instant)
//   BM_Scale_FirstFind   after an open, the first look-up of a case by its number (which
//                        indexes the numbers read from the file); counter: the resident
//                        memory it added, per case
//   BM_Scale_PeriodColumns/D  the cases of D days from 1 March as six columns (what
//                        scale_pandas.py reads into a data frame from Python)
//   BM_Scale_Assess      urban_region for March, every node of the province
//   BM_Scale_VerifyLog   the whole hash-chained log checked from the file
//   BM_Scale_VerifySinceCheckpoint  verify_log_since_checkpoint() after a day's work
//   BM_Scale_Tick        tick() two weeks after the last report, on a copy of the file
//
// The file is written once and kept (GRIDGOV_SCALE_FILE names it; by default a file in the
// temporary folder, named by the case count) so that later runs measure the same file;
// delete it to write it again. docs/performance.md keeps the figures.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/workspace.hpp"
#include "province_cases.hpp"

namespace {

using namespace gridgov;
namespace fs = std::filesystem;

std::size_t scale_cases() {
    if (const char* env = std::getenv("GRIDGOV_SCALE_CASES"))
        return static_cast<std::size_t>(std::strtoull(env, nullptr, 10));
    return 1'000'000;
}

// The workspace file, written on first use.
const std::string& scale_file() {
    static const std::string path = [] {
        const std::size_t cases = scale_cases();
        const char* env = std::getenv("GRIDGOV_SCALE_FILE");
        const std::string file = env != nullptr
                                     ? std::string(env)
                                     : (fs::temp_directory_path() /
                                        ("gridgov-scale-" + std::to_string(cases) + ".gridgov"))
                                           .string();
        if (fs::exists(file)) {
            Workspace::open(file);  // a file of an older schema is upgraded once, writable
            return file;
        }
        const auto t0 = std::chrono::steady_clock::now();
        {
            Workspace ws = Workspace::open(file);
            ws.directory().set_catalogue(bench::province_catalogue());
            ws.hierarchy().add_nodes(bench::province_specs());
            const bench::Staff staff = bench::case_staff(ws.hierarchy().view());
            ws.directory().add_people(staff.people);
            ws.directory().add_assignments(staff.posts);
            ws.cases().set_departments(staff.departments);
            bench::fill_cases(ws.cases(), staff, cases, Instant::parse("2024-01-01T09:00"), 366,
                              10'000);
        }
        std::fprintf(stderr, "wrote %zu cases to %s in %.0f s\n", cases, file.c_str(),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        return file;
    }();
    return path;
}

const OpenOptions read_only{false, true, false};
const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");

void BM_Scale_Open(benchmark::State& state) {
    const std::string& file = scale_file();
    double added = 0;
    std::size_t cases = 0;
    for (auto _ : state) {
        // The first open counts: later ones reuse what the allocator kept from the last.
        const double before = bench::resident_bytes();
        Workspace ws = Workspace::open(file, read_only);
        added = std::max(added, bench::resident_bytes() - before);
        cases = ws.cases().size();
    }
    state.counters["cases"] = static_cast<double>(cases);
    state.counters["resident_B_per_case"] = added / static_cast<double>(cases);
    state.counters["file_B_per_case"] =
        static_cast<double>(fs::file_size(file)) / static_cast<double>(cases);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(cases));
}
BENCHMARK(BM_Scale_Open)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_Scale_FirstQuery(benchmark::State& state) {
    const Workspace ws = Workspace::open(scale_file(), read_only);
    CaseFilter f;
    f.reported_from = Instant::parse("2024-03-01T00:00");
    f.reported_until = Instant::parse("2024-04-01T00:00");
    std::size_t found = 0;
    for (auto _ : state)
        found = ws.cases().select(f).size();
    state.counters["selected"] = static_cast<double>(found);
}
// One iteration: the first period query of an open workspace also puts the cases in report
// order (PeriodColumns measures the queries after it).
BENCHMARK(BM_Scale_FirstQuery)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

void BM_Scale_FirstFind(benchmark::State& state) {
    const Workspace ws = Workspace::open(scale_file(), read_only);
    const std::string number = ws.cases().get(static_cast<CaseId>(ws.cases().size() / 2)).number;
    double added = 0;
    for (auto _ : state) {
        const double before = bench::resident_bytes();
        benchmark::DoNotOptimize(ws.cases().at(number));
        added = bench::resident_bytes() - before;
    }
    state.counters["resident_B_per_case"] = added / static_cast<double>(ws.cases().size());
}
// One iteration: the look-ups after the first find the index built.
BENCHMARK(BM_Scale_FirstFind)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// The fields an analyst reads of a period's cases (the same as scale_pandas.py reads).
const std::vector<CaseField> period_fields = {CaseField::number,      CaseField::category,
                                              CaseField::node,        CaseField::state,
                                              CaseField::reported_at, CaseField::closed_at};

// The cases reported in the `range(0)` days from 1 March, as the columns above: what a
// period's data frame costs in C++, and how it grows with the rows selected.
void BM_Scale_PeriodColumns(benchmark::State& state) {
    const Workspace ws = Workspace::open(scale_file(), read_only);
    const Instant from = Instant::parse("2024-03-01T00:00");
    CaseFilter f;
    f.reported_from = from;
    f.reported_until = Instant{from.seconds + state.range(0) * 86'400};
    std::size_t rows = ws.cases().count(f);  // the first period query orders the cases
    for (auto _ : state) {
        const CaseColumns c = ws.cases().columns(f, period_fields);
        rows = c.number.size();
        benchmark::DoNotOptimize(c.state.data());
    }
    state.counters["rows"] = static_cast<double>(rows);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows));
}
BENCHMARK(BM_Scale_PeriodColumns)
    ->Arg(7)
    ->Arg(31)
    ->Arg(92)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->UseRealTime();

void BM_Scale_Assess(benchmark::State& state) {
    const Workspace ws = Workspace::open(scale_file(), read_only);
    std::size_t scored = 0;
    for (auto _ : state)
        scored = bench::assess_every_node(ws.cases(), ws.hierarchy().view(), march).scores.size();
    state.counters["subjects"] = static_cast<double>(scored);
}
BENCHMARK(BM_Scale_Assess)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_Scale_VerifyLog(benchmark::State& state) {
    const Workspace ws = Workspace::open(scale_file(), read_only);
    std::uint64_t events = 0;
    for (auto _ : state) {
        const LogVerification v = ws.cases().verify_log();
        if (!v.ok)
            state.SkipWithError(v.message.c_str());
        events = v.events_checked;
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
}
BENCHMARK(BM_Scale_VerifyLog)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// Routine verification after a day's work of the province that reports most (Zhejiang:
// 12.1 M matters in 2022, about 33,000 a day): on a copy of the file, the whole log is
// signed off, a day's cases are written, and only what followed the checkpoint is read.
void BM_Scale_VerifySinceCheckpoint(benchmark::State& state) {
    const fs::path copy = fs::path(scale_file()).replace_extension(".checkpoint.gridgov");
    constexpr std::size_t day = 33'000;
    std::uint64_t events = 0;
    for (auto _ : state) {
        state.PauseTiming();
        fs::copy_file(scale_file(), copy, fs::copy_options::overwrite_existing);
        {
            Workspace ws = Workspace::open(copy.string());
            if (!ws.cases().sign_off_log("bench", Instant::parse("2025-01-01T08:00"), true).ok)
                state.SkipWithError("the copied log does not check out");
            const bench::Staff staff = bench::case_staff(ws.hierarchy().view());
            bench::fill_cases(ws.cases(), staff, day, Instant::parse("2025-01-02T09:00"), 1,
                              10'000);
            state.ResumeTiming();
            const LogVerification v = ws.cases().verify_log_since_checkpoint();
            state.PauseTiming();
            if (!v.ok)
                state.SkipWithError(v.message.c_str());
            events = v.events_checked;
        }
        fs::remove(copy);
        state.ResumeTiming();
    }
    state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(BM_Scale_VerifySinceCheckpoint)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_Scale_Tick(benchmark::State& state) {
    const fs::path copy = fs::path(scale_file()).replace_extension(".tick.gridgov");
    std::size_t breaches = 0;
    for (auto _ : state) {
        state.PauseTiming();
        fs::copy_file(scale_file(), copy, fs::copy_options::overwrite_existing);
        {
            Workspace ws = Workspace::open(copy.string());
            state.ResumeTiming();
            breaches = ws.cases().tick(Instant::parse("2025-01-15T09:00")).breaches.size();
            state.PauseTiming();
        }
        fs::remove(copy);
        state.ResumeTiming();
    }
    state.counters["breaches"] = static_cast<double>(breaches);
}
BENCHMARK(BM_Scale_Tick)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
