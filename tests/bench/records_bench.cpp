// Records of a synthetic province (docs/records.md, docs/performance.md "Records"):
// residents written into a workspace file through WorkspaceRecords::add in batches (target
// >= 200 k records/s), the resident memory the open workspace keeps per record (target
// <= 64 B), a roll-up of one enumeration over every resident against a flat loop over the
// same nodes (target <= 2 x), a look-up by ID number (target <= 5 us) and the open.
//
// GRIDGOV_RECORDS (default 200000) sets how many residents; the file is written under the
// system temp directory and removed at the end.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gridgov/workspace.hpp"
#include "synthetic_province.hpp"

namespace {

using namespace gridgov;
namespace fs = std::filesystem;

std::size_t record_count() {
    if (const char* env = std::getenv("GRIDGOV_RECORDS"))
        return static_cast<std::size_t>(std::strtoull(env, nullptr, 10));
    return 200'000;
}

std::string id_number(std::uint64_t serial) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "341521%04d%02d%02d%03d",
                  1950 + static_cast<int>(serial % 60), 1 + static_cast<int>(serial / 60 % 12),
                  1 + static_cast<int>(serial / 720 % 28), static_cast<int>(serial / 20160 % 1000));
    return std::string(first17) + id_number_check_character(first17);
}

std::vector<NodeId> grids_of(const Hierarchy& h) {
    std::vector<NodeId> grids;
    const int level = h.levels().index_of("grid");
    for (NodeId n : h.preorder()) {
        if (h.level(n) == level)
            grids.push_back(n);
    }
    return grids;
}

// Residents spread over the grids: every fourth one floating.
std::vector<Record> residents(const Hierarchy& h, std::size_t from, std::size_t count) {
    const std::vector<NodeId> grids = grids_of(h);
    std::vector<Record> out;
    out.reserve(count);
    for (std::size_t i = from; i < from + count; ++i) {
        Record r;
        r.key = "R" + std::to_string(i);
        r.kind = "resident";
        r.node = grids[i * 7919 % grids.size()];
        r.fields = {{"name", "居民" + std::to_string(i)},
                    {"id_number", id_number(i)},
                    {"registration", i % 4 == 0 ? "流动人口" : "户籍人口"},
                    {"household", "F" + std::to_string(i / 3)}};
        out.push_back(std::move(r));
    }
    return out;
}

struct Fixture {
    fs::path dir =
        fs::temp_directory_path() / ("gridgov-records-bench-" + std::to_string(getpid()));
    std::string file = (dir / "records.gridgov").string();
    Fixture() { fs::create_directories(dir); }
    ~Fixture() { fs::remove_all(dir); }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void BM_RecordsImport(benchmark::State& state) {
    const std::size_t n = record_count();
    for (auto _ : state) {
        state.PauseTiming();
        fs::remove(fixture().file);
        fs::remove(fixture().file + "-wal");
        fs::remove(fixture().file + "-shm");
        Workspace ws = Workspace::open(fixture().file);
        ws.hierarchy().add_nodes(bench::synthetic_province());
        state.ResumeTiming();
        for (std::size_t from = 0; from < n; from += 10'000) {
            state.PauseTiming();
            std::vector<Record> batch =
                residents(ws.hierarchy().view(), from, std::min<std::size_t>(10'000, n - from));
            state.ResumeTiming();
            ws.records().add(batch, Date::parse("2024-01-01"));
        }
    }
    state.counters["records/s"] =
        benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RecordsImport)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_RecordsOpen(benchmark::State& state) {
    const std::size_t n = record_count();
    double per_record = 0;
    for (auto _ : state) {
        state.PauseTiming();
        const double before = bench::resident_bytes();
        state.ResumeTiming();
        Workspace ws = Workspace::open(fixture().file, OpenOptions{false, true});
        state.PauseTiming();
        // The hierarchy's share is measured by the same open of a file without records
        // being left out: what grows with the records is what is reported.
        per_record = (bench::resident_bytes() - before) / static_cast<double>(n);
        state.ResumeTiming();
    }
    state.counters["rss B/record (incl. hierarchy)"] = per_record;
}
BENCHMARK(BM_RecordsOpen)->Unit(benchmark::kMillisecond)->Iterations(3);

Workspace& opened() {
    static Workspace ws = Workspace::open(fixture().file, OpenOptions{false, true});
    return ws;
}

void BM_RecordsRollUp(benchmark::State& state) {
    const Workspace& ws = opened();
    for (auto _ : state)
        benchmark::DoNotOptimize(ws.records().roll_up("resident", "registration", "流动人口"));
}
BENCHMARK(BM_RecordsRollUp)->Unit(benchmark::kMillisecond);

// The floor: the same sum over the same nodes kept as one flat array.
void BM_RecordsRollUpFloor(benchmark::State& state) {
    const Workspace& ws = opened();
    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<NodeId> grids = grids_of(h);
    std::vector<NodeId> nodes;
    for (std::size_t i = 0; i < record_count(); i += 4)
        nodes.push_back(grids[i * 7919 % grids.size()]);
    for (auto _ : state)
        benchmark::DoNotOptimize(h.sum_records(nodes.data(), nullptr, nodes.size()));
}
BENCHMARK(BM_RecordsRollUpFloor)->Unit(benchmark::kMillisecond);

void BM_RecordsFindByIdNumber(benchmark::State& state) {
    const Workspace& ws = opened();
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, record_count() - 1);
    const gridgov::RecordReader reader = gridgov::RecordReader::system_read("benchmark");
    for (auto _ : state)
        benchmark::DoNotOptimize(ws.records().find(reader, "id_number", id_number(pick(rng))));
}
BENCHMARK(BM_RecordsFindByIdNumber)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
