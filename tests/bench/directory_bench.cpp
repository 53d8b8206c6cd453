// Directory benchmarks on the synthetic province (88,704 grids): responsible() for every
// grid on one date, staffed the seed-000 way — one 网格信息员 per grid on post A, the
// neighbouring grid's officer on post B, 二级网格长 and 网格指导员 per village,
// 一级网格长 per township — with 2% of the officers on leave that day.
#include <benchmark/benchmark.h>

#include "gridgov/directory.hpp"
#include "synthetic_province.hpp"

namespace {

using gridgov::Assignment;
using gridgov::Date;
using gridgov::Directory;
using gridgov::Hierarchy;
using gridgov::NodeId;
using gridgov::Person;
using gridgov::Post;

const Date on_date = Date::parse("2024-03-01");

const Hierarchy& province() {
    static const Hierarchy h = [] {
        Hierarchy built;
        built.add_all(gridgov::bench::synthetic_province());
        return built;
    }();
    return h;
}

std::vector<NodeId> level_nodes(const char* key) {
    const Hierarchy& h = province();
    return h.nodes_at_level(h.levels().index_of(key));
}

struct Staffing {
    std::vector<Person> people;
    std::vector<Assignment> assignments;
    std::vector<gridgov::Absence> absences;
};

const Staffing& staffing() {
    static const Staffing s = [] {
        const Hierarchy& h = province();
        Staffing out;
        const auto hire = [&](const std::string& id, const std::string& role, NodeId node,
                              Post post) {
            if (post == Post::a) {
                Person p;
                p.id = id;
                p.name = "人员" + id;
                p.phone = "138" + gridgov::bench::digits(static_cast<int>(out.people.size()), 8);
                out.people.push_back(std::move(p));
            }
            Assignment a;
            a.person = id;
            a.role = role;
            a.node = node;
            a.post = post;
            a.period.from = Date::parse("2023-08-24");
            out.assignments.push_back(std::move(a));
        };
        for (NodeId t : level_nodes("township"))
            hire("T" + h.code(t), "township_grid_leader", t, Post::a);
        for (NodeId v : level_nodes("village")) {
            hire("V" + h.code(v), "village_grid_leader", v, Post::a);
            hire("C" + h.code(v), "grid_instructor", v, Post::a);
        }
        const std::vector<NodeId> grids = level_nodes("grid");
        for (NodeId g : grids)
            hire("I" + h.code(g), "grid_information_officer", g, Post::a);
        for (std::size_t i = 0; i < grids.size(); ++i) {
            const NodeId neighbour = grids[i % 2 == 0 ? i + 1 : i - 1];
            hire("I" + h.code(neighbour), "grid_information_officer", grids[i], Post::b);
        }
        for (std::size_t i = 0; i < grids.size(); i += 50) {
            gridgov::Absence leave;
            leave.person = "I" + h.code(grids[i]);
            leave.period = gridgov::Period{Date::parse("2024-02-26"), Date::parse("2024-03-11")};
            out.absences.push_back(std::move(leave));
        }
        return out;
    }();
    return s;
}

const Directory& directory() {
    static const Directory d = [] {
        Directory built{gridgov::Catalogue::preset("township_000")};
        built.add_people(staffing().people);
        built.add_assignments(province(), staffing().assignments);
        built.add_absences(staffing().absences);
        return built;
    }();
    return d;
}

// The headline figure: one duty resolved for every grid of the province.
void BM_ResponsibleEveryGrid(benchmark::State& state) {
    const Hierarchy& h = province();
    const Directory& d = directory();
    const std::vector<NodeId> grids = level_nodes("grid");
    std::size_t found = 0;
    for (auto _ : state) {
        for (NodeId g : grids) {
            const gridgov::Responsibility r = d.responsible(h, g, "public_opinion", on_date);
            found += r.found() ? 1 : 0;
            benchmark::DoNotOptimize(r.person);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * grids.size()));
    state.counters["grids"] = static_cast<double>(grids.size());
    state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ResponsibleEveryGrid)->Unit(benchmark::kMillisecond);

// A role held two levels up: every call walks grid → village → township.
void BM_ResponsibleWalkingUp(benchmark::State& state) {
    const Hierarchy& h = province();
    const Directory& d = directory();
    const std::vector<NodeId> grids = level_nodes("grid");
    for (auto _ : state) {
        for (NodeId g : grids) {
            benchmark::DoNotOptimize(d.responsible(h, g, "township_grid_leader", on_date).person);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * grids.size()));
}
BENCHMARK(BM_ResponsibleWalkingUp)->Unit(benchmark::kMillisecond);

void BM_BuildDirectory(benchmark::State& state) {
    const Staffing& s = staffing();
    for (auto _ : state) {
        Directory built{gridgov::Catalogue::preset("township_000")};
        built.add_people(s.people);
        built.add_assignments(province(), s.assignments);
        benchmark::DoNotOptimize(built.assignments().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.assignments.size()));
    state.counters["assignments"] = static_cast<double>(s.assignments.size());
}
BENCHMARK(BM_BuildDirectory)->Unit(benchmark::kMillisecond);

void BM_ComplianceProvince(benchmark::State& state) {
    const Hierarchy& h = province();
    const Directory& d = directory();
    std::size_t findings = 0;
    for (auto _ : state)
        findings = d.compliance(h, on_date).size();
    state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ComplianceProvince)->Unit(benchmark::kMillisecond);

void BM_WorkloadProvince(benchmark::State& state) {
    const Hierarchy& h = province();
    const Directory& d = directory();
    for (auto _ : state)
        benchmark::DoNotOptimize(d.workload(h, on_date).size());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.person_count()));
}
BENCHMARK(BM_WorkloadProvince)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
