// Records of a synthetic province (docs/records.md, docs/performance.md "Records"):
// residents written into a workspace file through WorkspaceRecords::add in batches (target
// >= 200 k records/s), the memory the open workspace keeps per record (target <= 64 B),
// the open's time per record (target <= 0.5 us), a roll-up of one enumeration over every resident
// against a flat loop over the same nodes (target <= 2 x) and a look-up by ID number (target <= 5
// us).
//
// The reader's cost: the same look-up by a person holding the record's grid, masked and
// revealed (a revealed read first appends to the access log, a write of its own).
//
// GRIDGOV_RECORDS (default 200000) sets how many residents; the file is written under the
// system temp directory and removed at the end. The open's time and memory are those of the file
// less those of a file with the same hierarchy and people and no records; memory is the
// heap a fresh process holds after the open.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "gridgov/workspace.hpp"
#include "province_staff.hpp"
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
    std::string empty = (dir / "no-records.gridgov").string();  // hierarchy and people only
    Fixture() { fs::create_directories(dir); }
    ~Fixture() { fs::remove_all(dir); }
};

// The province with its staff: a grid information officer per grid ("G" + code), whose
// duties reveal residents' ID numbers.
void staff_province(Workspace& ws) {
    ws.hierarchy().add_nodes(bench::synthetic_province());
    const bench::Staffing staff = bench::staffing(ws.hierarchy().view());
    ws.directory().set_catalogue(bench::province_catalogue());
    ws.directory().add_people(staff.people);
    ws.directory().add_assignments(staff.posts);
}

// The growth of the heap in use when a fresh process (this program again, with
// --open-heap) opens `file`. Heap in use rather than resident memory: the records' columns
// would otherwise fit, unseen, into memory the open of the hierarchy freed.
double open_heap(const std::string& file) {
    const std::string command =
        "'" + fs::read_symlink("/proc/self/exe").string() + "' --open-heap '" + file + "'";
    FILE* child = popen(command.c_str(), "r");
    if (child == nullptr)
        throw std::runtime_error("cannot run " + command);
    double grown = -1;
    if (std::fscanf(child, "%lf", &grown) != 1)
        grown = -1;
    if (pclose(child) != 0 || grown < 0)
        throw std::runtime_error("the process opening " + file + " failed");
    return grown;
}

// The bytes the allocator holds for the program (what resident memory would be without
// freed memory the allocator keeps for reuse).
double heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return static_cast<double>(m.uordblks + m.hblkhd);
}

int open_heap_main(const char* file) {
    try {
        const double before = heap_in_use();
        Workspace ws = Workspace::open(file, OpenOptions{false, true});
        std::printf("%.0f\n", heap_in_use() - before);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "open %s: %s\n", file, e.what());
        return 1;
    }
}

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
        if (!fs::exists(fixture().empty)) {
            Workspace empty = Workspace::open(fixture().empty);
            staff_province(empty);
        }
        Workspace ws = Workspace::open(fixture().file);
        staff_province(ws);
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
    const auto seconds = [](const std::string& file) {
        const auto start = std::chrono::steady_clock::now();
        { Workspace ws = Workspace::open(file, OpenOptions{false, true}); }
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    double with = 0;
    double without = 0;  // the same workspace without its records
    for (auto _ : state) {
        state.PauseTiming();
        without += seconds(fixture().empty);
        state.ResumeTiming();
        with += seconds(fixture().file);
    }
    const double iterations = static_cast<double>(state.iterations());
    state.counters["without records ms"] = 1e3 * without / iterations;
    state.counters["records us/record"] =
        1e6 * (with - without) / iterations / static_cast<double>(n);
    // What grows with the records: the open of the same workspace without them left out.
    state.counters["heap B/record"] =
        (open_heap(fixture().file) - open_heap(fixture().empty)) / static_cast<double>(n);
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

// The same look-up by the officer of the record's grid: the reader's posts on the day
// found in the directory, the record's node checked against them; masked, or revealed
// with its access-log entry written first.
void find_as_officer(benchmark::State& state, Reveal reveal) {
    // A revealed read writes the access log: the workspace open for writing.
    static Workspace writable = Workspace::open(fixture().file);
    const Workspace& ws = reveal == Reveal::revealed ? writable : opened();
    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<NodeId> grids = grids_of(h);
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, record_count() - 1);
    RecordReader reader;
    reader.purpose = "benchmark";
    reader.reveal = reveal;
    reader.on = Date::parse("2024-06-01");
    for (auto _ : state) {
        const std::size_t i = pick(rng);
        state.PauseTiming();
        reader.person = "G" + h.code(grids[i * 7919 % grids.size()]);
        const std::string id = id_number(i);
        state.ResumeTiming();
        benchmark::DoNotOptimize(ws.records().find(reader, "id_number", id));
    }
}

void BM_RecordsFindAsOfficer(benchmark::State& state) {
    find_as_officer(state, Reveal::masked);
}
BENCHMARK(BM_RecordsFindAsOfficer)->Unit(benchmark::kMicrosecond);

void BM_RecordsFindRevealedAsOfficer(benchmark::State& state) {
    find_as_officer(state, Reveal::revealed);
}
BENCHMARK(BM_RecordsFindRevealedAsOfficer)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--open-heap")
        return open_heap_main(argv[2]);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
