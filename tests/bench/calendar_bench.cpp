// Deadlines and working time per second on one core. Target: >= 5 million deadlines/s.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "gridgov/calendar.hpp"

namespace {

using namespace gridgov;

// Random case start instants between 2019 and mid-2026: every deadline stays inside the
// published years.
std::vector<std::int64_t> random_starts(std::size_t n) {
    std::mt19937_64 rng(20260213);
    std::uniform_int_distribution<std::int64_t> pick(Instant::parse("2019-01-01T00:00").seconds,
                                                     Instant::parse("2026-06-01T00:00").seconds);
    std::vector<std::int64_t> out(n);
    for (std::int64_t& s : out)
        s = pick(rng);
    return out;
}

const WorkingCalendar& calendar() {
    static const WorkingCalendar cal;
    return cal;
}

void run_deadlines(benchmark::State& state, const TimeLimit& limit) {
    const WorkingCalendar& cal = calendar();
    const std::vector<std::int64_t> starts = random_starts(1 << 14);
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(cal.deadline(Instant{starts[i]}, limit));
        i = (i + 1) & (starts.size() - 1);
    }
    state.SetItemsProcessed(state.iterations());
}

// 暴露垃圾: 4 工作时.
void BM_Deadline_4WorkingHours(benchmark::State& state) {
    run_deadlines(state, TimeLimit::working_hours(4));
}
BENCHMARK(BM_Deadline_4WorkingHours);

void BM_Deadline_7WorkingDays_DayLength(benchmark::State& state) {
    run_deadlines(state, TimeLimit::working_days(7));
}
BENCHMARK(BM_Deadline_7WorkingDays_DayLength);

// 违法搭建: 15 工作日, to close of business.
void BM_Deadline_15WorkingDays_CloseOfBusiness(benchmark::State& state) {
    run_deadlines(state, TimeLimit::working_days(15, WorkingDayRule::close_of_business));
}
BENCHMARK(BM_Deadline_15WorkingDays_CloseOfBusiness);

void BM_Deadline_NaturalHours(benchmark::State& state) {
    run_deadlines(state, TimeLimit::natural_hours(2));
}
BENCHMARK(BM_Deadline_NaturalHours);

void BM_Deadlines_Batch(benchmark::State& state) {
    const WorkingCalendar& cal = calendar();
    const std::vector<std::int64_t> starts =
        random_starts(static_cast<std::size_t>(state.range(0)));
    std::vector<std::int64_t> out(starts.size());
    const TimeLimit limit = TimeLimit::working_hours(4);
    for (auto _ : state) {
        cal.deadlines(starts.data(), starts.size(), limit, out.data());
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Deadlines_Batch)->Arg(100000);

void BM_WorkingTimeBetween(benchmark::State& state) {
    const WorkingCalendar& cal = calendar();
    const std::vector<std::int64_t> starts = random_starts(1 << 14);
    std::size_t i = 0;
    for (auto _ : state) {
        const Instant a{starts[i]};
        const Instant b{starts[(i + 1) & (starts.size() - 1)]};
        benchmark::DoNotOptimize(cal.working_time_between(std::min(a, b), std::max(a, b)));
        i = (i + 1) & (starts.size() - 1);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_WorkingTimeBetween);

void BM_StepClockStatus(benchmark::State& state) {
    const WorkingCalendar& cal = calendar();
    StepClock clock(Instant::parse("2026-03-02T09:00"), TimeLimit::working_days(3));
    clock.pause(Instant::parse("2026-03-02T10:00"));
    clock.resume(Instant::parse("2026-03-03T10:00"));
    clock.extend(Instant::parse("2026-03-03T11:00"), TimeLimit::working_hours(4));
    const Instant now = Instant::parse("2026-03-04T15:00");
    for (auto _ : state)
        benchmark::DoNotOptimize(clock.status(cal, now));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StepClockStatus);

// Building the per-day tables: what loading a year or an override costs.
void BM_CalendarConstruction(benchmark::State& state) {
    for (auto _ : state) {
        WorkingCalendar cal;
        benchmark::DoNotOptimize(&cal);
    }
}
BENCHMARK(BM_CalendarConstruction);

}  // namespace

BENCHMARK_MAIN();
