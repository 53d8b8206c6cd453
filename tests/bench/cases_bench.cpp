// The case engine on the synthetic province: accepted transitions per second on one core
// with guard, authorization, deadline and hash-chained event append (target >= 1 M/s in
// memory), and events per second written to a real workspace file with batched commits
// (target >= 200 k/s).
//
// Every case runs the six-step main line: report (grid information officer), file and
// dispatch (township service centre), accept and feedback (the county's sanitation office),
// check (village grid leader), close (centre), archive (system): 8 transitions, 4 of which
// start a stage clock on the working calendar.
#include <benchmark/benchmark.h>
#include <endian.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "gridgov/audit.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/workspace.hpp"
#include "province_staff.hpp"
#include "synthetic_province.hpp"

namespace {

using namespace gridgov;
using bench::province_catalogue;
using bench::staffing;
using bench::Staffing;
namespace fs = std::filesystem;

// The eight commands of one case at one grid, built once and replayed with new instants.
struct Lifecycle {
    NewCase report;
    std::vector<CaseCommand> commands;
};

std::vector<Lifecycle> lifecycles(const Hierarchy& h, std::size_t count) {
    std::vector<NodeId> grids;
    const int grid_level = h.levels().index_of("grid");
    for (NodeId n : h.preorder()) {
        if (h.level(n) == grid_level)
            grids.push_back(n);
    }
    std::mt19937 rng(20240304u);
    std::vector<Lifecycle> out;
    const auto ancestor = [&](NodeId n, const char* level) {
        const int l = h.levels().index_of(level);
        while (h.level(n) > l)
            n = h.parent(n);
        return h.code(n);
    };
    const Instant day = Instant::parse("2024-03-04T09:00");
    for (std::size_t i = 0; i < count; ++i) {
        const NodeId g = grids[rng() % grids.size()];
        Lifecycle c;
        c.report.command.command = Command::report;
        c.report.command.actor = "G" + h.code(g);
        c.report.command.node = g;
        c.report.command.category = "E0102";
        c.report.command.at = day;
        const std::string staff = "T" + ancestor(g, "township");
        const std::string dept = "D" + ancestor(g, "county");
        const auto cmd = [&](Command command, const std::string& actor, int minutes) {
            CaseCommand k;
            k.command = command;
            k.actor = actor;
            k.system = actor.empty();
            k.at = Instant{day.seconds + minutes * 60};
            return k;
        };
        c.commands.push_back(cmd(Command::file, staff, 5));
        c.commands.push_back(cmd(Command::dispatch, staff, 10));
        c.commands.back().department = "D-HW-" + ancestor(g, "county");
        c.commands.push_back(cmd(Command::accept, dept, 15));
        c.commands.push_back(cmd(Command::feedback, dept, 30));
        c.commands.back().evidence = {"photo.jpg"};
        c.commands.push_back(cmd(Command::check_pass, "V" + ancestor(g, "village"), 40));
        c.commands.push_back(cmd(Command::close, staff, 50));
        c.commands.push_back(cmd(Command::archive, "", 60));
        out.push_back(std::move(c));
    }
    return out;
}

struct Province {
    Hierarchy h;
    Directory dir{province_catalogue()};
    Staffing staff;
    std::vector<Lifecycle> cases;

    Province() {
        h.add_all(bench::synthetic_province());
        staff = staffing(h);
        dir.add_people(staff.people);
        dir.add_assignments(h, staff.posts);
        cases = lifecycles(h, 1 << 14);
    }
};

const Province& province() {
    static const Province p;
    return p;
}

// One case through its eight transitions; returns the transitions applied.
std::size_t run_case(CaseEngine& e, const Lifecycle& c) {
    const CaseId id = e.report(c.report);
    for (const CaseCommand& k : c.commands)
        e.fire(id, k);
    return 1 + c.commands.size();
}

void BM_Cases_InMemory_Transitions(benchmark::State& state) {
    const Province& p = province();
    CaseEngine e(p.h, p.dir);
    e.set_departments(p.staff.departments);
    std::size_t i = 0;
    std::size_t transitions = 0;
    for (auto _ : state) {
        transitions += run_case(e, p.cases[i]);
        i = (i + 1) & (p.cases.size() - 1);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(transitions));
    state.counters["cases"] = static_cast<double>(e.size());
}
BENCHMARK(BM_Cases_InMemory_Transitions)->Unit(benchmark::kMicrosecond);

// The cost of a refused command (wrong state): checked and refused without a change.
void BM_Cases_InMemory_Refused(benchmark::State& state) {
    const Province& p = province();
    CaseEngine e(p.h, p.dir);
    e.set_departments(p.staff.departments);
    const CaseId id = e.report(p.cases[0].report);
    const CaseCommand& close = p.cases[0].commands[5];
    for (auto _ : state) {
        try {
            e.fire(id, close);
        } catch (const Error& err) {
            benchmark::DoNotOptimize(err.code());
        }
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Cases_InMemory_Refused);

// Events written to a workspace file, `state.range(0)` cases (8 events each) per commit.
// Durable writes, with `sign`: a tree head signed and recorded after every commit
// (docs/security.md; target: <= 5 % of the durable rate).
void durable_batches(benchmark::State& state, bool sign) {
    const Province& p = province();
    const fs::path dir =
        fs::temp_directory_path() /
        ("gridgov-cases-bench-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir);
    {
        Workspace ws = Workspace::open((dir / "province.gridgov").string());
        ws.directory().set_catalogue(province_catalogue());
        ws.hierarchy().add_nodes(bench::synthetic_province());
        ws.directory().add_people(p.staff.people);
        ws.directory().add_assignments(p.staff.posts);
        ws.cases().set_departments(p.staff.departments);
        CaseEngine& e = ws.cases();
        const SigningKey key = SigningKey::generate();
        const Instant at = Instant::parse("2024-03-31T18:00");
        const auto per_commit = static_cast<std::size_t>(state.range(0));
        std::size_t i = 0;
        std::size_t events = 0;
        for (auto _ : state) {
            e.begin_batch();
            for (std::size_t k = 0; k < per_commit; ++k) {
                events += run_case(e, p.cases[i]);
                i = (i + 1) & (p.cases.size() - 1);
            }
            e.commit_batch();
            if (sign)
                e.sign_tree_head(key, "province", at);
        }
        state.SetItemsProcessed(static_cast<std::int64_t>(events));
        state.counters["cases"] = static_cast<double>(e.size());
    }
    fs::remove_all(dir);
}

void BM_Cases_Durable_BatchedEvents(benchmark::State& state) {
    durable_batches(state, false);
}
BENCHMARK(BM_Cases_Durable_BatchedEvents)
    ->Arg(1)
    ->Arg(125)
    ->Arg(1250)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Cases_Durable_SignedHeadEveryCommit(benchmark::State& state) {
    durable_batches(state, true);
}
BENCHMARK(BM_Cases_Durable_SignedHeadEveryCommit)
    ->Arg(1)
    ->Arg(125)
    ->Arg(1250)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A log of 10 M events (1.25 M cases of the main line, in memory) with a head signed over
// it: what a case proof costs to make, weighs and costs to verify (docs/security.md;
// targets: an event's path <= 1 KB, a proof verified in <= 1 ms).
struct BigLog {
    CaseEngine engine;
    SigningKey key = SigningKey::generate();
    TreeHead head;
    std::vector<std::string> numbers;

    BigLog() : engine(province().h, province().dir) {
        const Province& p = province();
        engine.set_departments(p.staff.departments);
        std::size_t events = 0;
        for (std::size_t i = 0; events < 10'000'000; ++i)
            events += run_case(engine, p.cases[i & (p.cases.size() - 1)]);
        head = engine.sign_tree_head(key, "province", Instant::parse("2024-12-31T18:00"));
        std::mt19937 rng(9162);
        for (int k = 0; k < 256; ++k)
            numbers.push_back(engine.get(static_cast<CaseId>(rng() % engine.size())).number);
    }
};

const BigLog& big_log() {
    static const BigLog log;
    return log;
}

void BM_Audit_ProveCase_10M(benchmark::State& state) {
    const BigLog& log = big_log();
    std::size_t k = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string proof = log.engine.prove_case(log.numbers[k++ & 255], log.head);
        bytes = proof.size();
        benchmark::DoNotOptimize(proof.data());
    }
    state.counters["events"] = static_cast<double>(log.head.size);
    state.counters["proof_json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Audit_ProveCase_10M)->Unit(benchmark::kMicrosecond);

void BM_Audit_VerifyCaseProof_10M(benchmark::State& state) {
    const BigLog& log = big_log();
    std::vector<std::string> proofs;
    for (const std::string& n : log.numbers)
        proofs.push_back(log.engine.prove_case(n, log.head));
    const std::string pem = log.key.public_pem();
    std::size_t k = 0;
    for (auto _ : state) {
        const AuditResult r = verify_case_proof(proofs[k++ & 255], pem, &log.head);
        if (!r.ok)
            state.SkipWithError(r.message.c_str());
    }
    // An event's path: one hash a level of the tree.
    const auto path = nlohmann::json::parse(proofs[0])["events"][0]["path"];
    state.counters["path_bytes"] = static_cast<double>(path.size() * 32);
    state.counters["events_a_proof"] = 8;
}
BENCHMARK(BM_Audit_VerifyCaseProof_10M)->Unit(benchmark::kMicrosecond);

// The rows of `per_commit` cases through the main line, as the engine writes them.
struct FloorRows {
    std::vector<CaseRecord> records;
    std::vector<CaseEvent> events;

    explicit FloorRows(std::size_t per_commit) {
        const Province& p = province();
        CaseEngine e(p.h, p.dir);
        e.set_departments(p.staff.departments);
        for (std::size_t k = 0; k < per_commit; ++k)
            run_case(e, p.cases[k]);
        events = e.events_between(1, e.last_sequence() + 1);
        for (CaseId id = 0; id < e.size(); ++id)
            records.push_back(e.get(id));
    }
};

// A bare SQLite program writing the rows of FloorRows into a file of the engine's two
// tables, with the same batch size, journal mode and rows per statement as the engine:
// the floor under the durable figures. `shared`: several processes write the file at once,
// so ids come from SQLite (NULL into the INTEGER PRIMARY KEY) and numbers carry `tag`.
class FloorWriter {
  public:
    FloorWriter(const std::string& path, bool shared, std::string tag)
        : shared_(shared), tag_(std::move(tag)) {
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        sqlite3_busy_timeout(db_, 60000);
        sqlite3_exec(
            db_,
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
            "CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, number TEXT NOT NULL "
            "UNIQUE, workflow TEXT, workflow_version INTEGER, category TEXT, node INTEGER, "
            "area_class TEXT, source TEXT, reporter TEXT, state TEXT, department TEXT, "
            "route_node INTEGER, tier INTEGER, flags TEXT, counters TEXT, clocks TEXT, breached "
            "INTEGER, breaches INTEGER, rating TEXT, rating_score INTEGER, reported_at INTEGER, "
            "updated_at INTEGER, closed_at INTEGER, last_event INTEGER, events INTEGER);"
            "CREATE TABLE IF NOT EXISTS case_events (seq INTEGER PRIMARY KEY, case_id INTEGER "
            "NOT NULL, case_seq INTEGER NOT NULL, type TEXT NOT NULL, transition INTEGER NOT "
            "NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, actor TEXT NOT NULL, system "
            "INTEGER NOT NULL, at INTEGER NOT NULL, payload TEXT NOT NULL, prev_hash BLOB NOT "
            "NULL, hash BLOB NOT NULL);"
            "CREATE INDEX IF NOT EXISTS case_events_by_case ON case_events (case_id, case_seq);",
            nullptr, nullptr, nullptr);
        case_one_ = prepare(insert_sql("cases", 25, 1));
        case_many_ = prepare(insert_sql("cases", 25, rows));
        event_one_ = prepare(insert_sql("case_events", 13, 1));
        event_many_ = prepare(insert_sql("case_events", 13, rows));
    }
    FloorWriter(const FloorWriter&) = delete;
    FloorWriter& operator=(const FloorWriter&) = delete;
    ~FloorWriter() {
        for (sqlite3_stmt* st : {case_one_, case_many_, event_one_, event_many_})
            sqlite3_finalize(st);
        sqlite3_close(db_);
    }

    // One transaction with the rows; returns the events written.
    std::size_t commit(const FloorRows& rows_in) {
        const std::vector<CaseRecord>& records = rows_in.records;
        sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        const std::int64_t case_base = next_case_;
        numbers_.resize(records.size());
        for (std::size_t k = 0; k < records.size(); ++k)
            numbers_[k] = records[k].number + "-" + tag_ + std::to_string(case_base + 1 + k);
        insert_all(records, case_one_, case_many_, 25,
                   [&](sqlite3_stmt* ic, int b, const CaseRecord& r) {
                       const auto k = static_cast<std::size_t>(&r - records.data());
                       if (shared_)
                           sqlite3_bind_null(ic, b + 1);
                       else
                           sqlite3_bind_int64(ic, b + 1, case_base + static_cast<std::int64_t>(k));
                       text(ic, b + 2, numbers_[k]);
                       text(ic, b + 3, r.workflow);
                       sqlite3_bind_int64(ic, b + 4, r.workflow_version);
                       text(ic, b + 5, r.category);
                       sqlite3_bind_int64(ic, b + 6, r.node);
                       text(ic, b + 7, r.area_class);
                       sqlite3_bind_text(ic, b + 8, case_source_name(r.source), -1, SQLITE_STATIC);
                       text(ic, b + 9, r.reporter);
                       text(ic, b + 10, r.state);
                       text(ic, b + 11, r.department);
                       sqlite3_bind_int64(ic, b + 12, r.route_node);
                       sqlite3_bind_int64(ic, b + 13, r.tier);
                       sqlite3_bind_text(ic, b + 14, "[]", 2, SQLITE_STATIC);
                       sqlite3_bind_text(ic, b + 15, "{}", 2, SQLITE_STATIC);
                       text(ic, b + 16, clocks_);
                       for (int i = 17; i <= 25; ++i)
                           sqlite3_bind_int64(ic, b + i, i);
                   });
        next_case_ += static_cast<std::int64_t>(records.size());
        insert_all(rows_in.events, event_one_, event_many_, 13,
                   [&](sqlite3_stmt* ie, int b, const CaseEvent& ev) {
                       if (shared_)
                           sqlite3_bind_null(ie, b + 1);
                       else
                           sqlite3_bind_int64(ie, b + 1, ++next_event_);
                       sqlite3_bind_int64(ie, b + 2, case_base + ev.case_id);
                       sqlite3_bind_int64(ie, b + 3, ev.case_sequence);
                       text(ie, b + 4, ev.type);
                       sqlite3_bind_int64(ie, b + 5, ev.transition);
                       text(ie, b + 6, ev.from_state);
                       text(ie, b + 7, ev.to_state);
                       text(ie, b + 8, ev.actor);
                       sqlite3_bind_int64(ie, b + 9, ev.system ? 1 : 0);
                       sqlite3_bind_int64(ie, b + 10, ev.at.seconds);
                       text(ie, b + 11, ev.payload);
                       sqlite3_bind_blob(ie, b + 12, ev.previous_hash.data(), 32, SQLITE_STATIC);
                       sqlite3_bind_blob(ie, b + 13, ev.hash.data(), 32, SQLITE_STATIC);
                   });
        sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
        return rows_in.events.size();
    }

  private:
    // Rows go in as the engine writes them: sixteen to an INSERT statement, the rest one
    // at a time.
    static constexpr int rows = 16;

    static std::string insert_sql(const char* table, int columns, int count) {
        std::string sql = std::string("INSERT INTO ") + table + " VALUES ";
        for (int r = 0; r < count; ++r) {
            sql += r == 0 ? "(" : ", (";
            for (int c = 1; c <= columns; ++c)
                sql += (c == 1 ? "?" : ", ?") + std::to_string(r * columns + c);
            sql += ")";
        }
        return sql;
    }
    sqlite3_stmt* prepare(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
        return st;
    }
    static void text(sqlite3_stmt* st, int i, const std::string& s) {
        sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    }
    // Runs `bind(statement, first column - 1, item)` for each item, `rows` to a statement.
    template <class Items, class Bind>
    static void insert_all(const Items& items, sqlite3_stmt* one, sqlite3_stmt* many, int columns,
                           const Bind& bind) {
        std::size_t k = 0;
        for (; k + rows <= items.size(); k += rows) {
            for (int r = 0; r < rows; ++r)
                bind(many, r * columns, items[k + static_cast<std::size_t>(r)]);
            sqlite3_step(many);
            sqlite3_reset(many);
        }
        for (; k < items.size(); ++k) {
            bind(one, 0, items[k]);
            sqlite3_step(one);
            sqlite3_reset(one);
        }
    }

    sqlite3* db_ = nullptr;
    bool shared_ = false;
    std::string tag_;
    sqlite3_stmt* case_one_ = nullptr;
    sqlite3_stmt* case_many_ = nullptr;
    sqlite3_stmt* event_one_ = nullptr;
    sqlite3_stmt* event_many_ = nullptr;
    // A clock column as long as the engine's: four stages of about 150 characters.
    const std::string clocks_ = std::string(600, 'c');
    std::int64_t next_case_ = 0;
    std::int64_t next_event_ = 0;
    std::vector<std::string> numbers_;
};

fs::path bench_dir(const char* what) {
    const fs::path dir =
        fs::temp_directory_path() /
        (std::string("gridgov-") + what + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir);
    return dir;
}

// The floor under the durable figure: the same event rows (and case rows of the same size)
// inserted by a bare SQLite program. The engine's durable rate can approach this, not pass
// it.
void BM_Sqlite_Baseline_SameRows(benchmark::State& state) {
    const FloorRows rows(static_cast<std::size_t>(state.range(0)));
    const fs::path dir = bench_dir("sqlite-baseline");
    std::size_t written = 0;
    {
        FloorWriter floor((dir / "baseline.db").string(), false, "");
        for (auto _ : state)
            written += floor.commit(rows);
    }
    fs::remove_all(dir);
    state.SetItemsProcessed(static_cast<std::int64_t>(written));
}
BENCHMARK(BM_Sqlite_Baseline_SameRows)
    ->Arg(125)
    ->Arg(1250)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- several processes on one workspace file ----------------------------------------------

// Forks `n` children; child k runs prepare(k) (opening its file), says it is ready, waits
// until every child is, then runs the work prepare returned and says it is done. Returns
// the seconds from the moment all were ready to the moment the last one was done (a child
// then exits without closing its file: the last close's WAL checkpoint is not part of the
// work); throws if any failed.
double run_processes(int n, const std::function<std::function<void()>(int)>& prepare) {
    int ready[2];
    int go[2];
    int done[2];
    if (pipe(ready) != 0 || pipe(go) != 0 || pipe(done) != 0)
        throw std::runtime_error("pipe failed");
    std::vector<pid_t> children;
    for (int k = 0; k < n; ++k) {
        const pid_t pid = fork();
        if (pid == 0) {
            close(ready[0]);
            close(go[1]);
            close(done[0]);
            try {
                const std::function<void()> work = prepare(k);
                char c = 'r';
                if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) < 0)
                    _exit(3);
                work();
                c = 'd';
                _exit(write(done[1], &c, 1) == 1 ? 0 : 3);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "writer %d: %s\n", k, e.what());
            }
            _exit(1);
        }
        children.push_back(pid);
    }
    close(ready[1]);
    close(go[0]);
    close(done[1]);
    for (int k = 0; k < n; ++k) {
        char c = 0;
        if (read(ready[0], &c, 1) != 1)
            throw std::runtime_error("a writer died before it was ready");
    }
    const auto start = std::chrono::steady_clock::now();
    close(go[1]);  // every child's read returns: go
    int finished = 0;
    for (char c = 0; finished < n && read(done[0], &c, 1) == 1;)
        ++finished;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bool failed = finished != n;
    for (pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        failed = failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    close(ready[0]);
    close(done[0]);
    if (failed)
        throw std::runtime_error("a writer failed");
    return seconds;
}

// The steady clock in nanoseconds: CLOCK_MONOTONIC, the same in every process.
std::int64_t nanoseconds_now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr std::size_t shared_per_commit = 125;  // cases per batch (1,000 events)
constexpr int shared_batches = 20;              // batches per writer and iteration

// A workspace file with the province's hierarchy, people and departments.
void populate_province(const std::string& path) {
    const Province& p = province();
    Workspace ws = Workspace::open(path);
    ws.directory().set_catalogue(province_catalogue());
    ws.hierarchy().add_nodes(bench::synthetic_province());
    ws.directory().add_people(p.staff.people);
    ws.directory().add_assignments(p.staff.posts);
    ws.cases().set_departments(p.staff.departments);
}

// The rounds of a shared-file benchmark: each iteration runs `state.range(0)` writer
// processes at once (prepare(round, k) opens writer k's file and returns its work), times
// them with run_processes() and counts `events_per_writer` for each.
void shared_rounds(benchmark::State& state, std::size_t events_per_writer,
                   const std::function<std::function<void()>(std::size_t, int)>& prepare) {
    const int n = static_cast<int>(state.range(0));
    std::size_t events = 0;
    std::size_t round = 0;
    for (auto _ : state) {
        state.SetIterationTime(run_processes(n, [&](int k) { return prepare(round, k); }));
        events += static_cast<std::size_t>(n) * events_per_writer;
        ++round;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

// The registration of every several-writer benchmark: 1, 2 and 4 processes, five rounds,
// timed by run_processes().
void writer_counts(benchmark::internal::Benchmark* b) {
    b->Arg(1)->Arg(2)->Arg(4)->Iterations(5)->Unit(benchmark::kMillisecond)->UseManualTime();
}

// `state.range(0)` processes at once writing the workspace at `path`, each committing
// batches of 125 cases (8 events each). Every batch of every writer first applies what the
// others committed since (docs/deployment.md).
void shared_durable(benchmark::State& state, const std::string& path) {
    const Province& p = province();
    const auto n = static_cast<std::size_t>(state.range(0));
    populate_province(path);
    shared_rounds(state, shared_batches * shared_per_commit * 8,
                  [&](std::size_t round, int k) -> std::function<void()> {
                      auto ws = std::make_shared<Workspace>(Workspace::open(path));
                      const std::size_t first = (round * n + static_cast<std::size_t>(k)) * 4096;
                      return [ws, first, &p] {
                          CaseEngine& e = ws->cases();
                          std::size_t i = first;
                          for (int b = 0; b < shared_batches; ++b) {
                              e.begin_batch();
                              for (std::size_t c = 0; c < shared_per_commit; ++c)
                                  run_case(e, p.cases[i++ & (p.cases.size() - 1)]);
                              e.commit_batch();
                          }
                      };
                  });
}

// Events written per second by several processes on one workspace file.
void BM_Shared_Durable_Writers(benchmark::State& state) {
    const fs::path dir = bench_dir("shared-writers");
    shared_durable(state, (dir / "province.gridgov").string());
    fs::remove_all(dir);
}
BENCHMARK(BM_Shared_Durable_Writers)->Apply(writer_counts);

// The rounds of a floor benchmark: `Writer(location, extra..., tag)` writers, one per
// process, each committing the rows of shared_per_commit cases shared_batches times.
template <class Writer, class... Extra>
void floor_rounds(benchmark::State& state, const std::string& location, Extra... extra) {
    const FloorRows rows(shared_per_commit);
    { Writer create(location, extra..., "setup"); }
    shared_rounds(state, shared_batches * rows.events.size(),
                  [&](std::size_t round, int k) -> std::function<void()> {
                      auto floor = std::make_shared<Writer>(
                          location, extra...,
                          "r" + std::to_string(round) + "w" + std::to_string(k) + "-");
                      return [floor, &rows] {
                          for (int b = 0; b < shared_batches; ++b)
                              floor->commit(rows);
                      };
                  });
}

// The floor under BM_Shared_Durable_Writers: the same rows in the same batches from as
// many processes, through the same driver, by a bare SQLite program.
void BM_Shared_Sqlite_Floor(benchmark::State& state) {
    const fs::path dir = bench_dir("shared-floor");
    floor_rounds<FloorWriter>(state, (dir / "floor.db").string(), true);
    fs::remove_all(dir);
}
BENCHMARK(BM_Shared_Sqlite_Floor)->Apply(writer_counts);

// From the return of a report in one process to the moment another process, polling
// outdated() every millisecond (on a file, PRAGMA data_version; on PostgreSQL, the
// notifications that have arrived) and refresh() when it says so, has applied it. The
// iteration time is that latency; counters give the median and the 99th percentile in
// milliseconds.
void follow_latency(benchmark::State& state, const std::string& path) {
    const Province& p = province();
    populate_province(path);
    int seen[2];
    if (pipe(seen) != 0)
        throw std::runtime_error("pipe failed");
    const pid_t follower = fork();
    if (follower == 0) {
        close(seen[0]);
        Workspace ws = Workspace::open(path, OpenOptions{false, true});
        for (;;) {
            if (ws.outdated() && ws.refresh()) {
                const std::int64_t now = nanoseconds_now();
                if (write(seen[1], &now, sizeof now) != sizeof now)
                    _exit(0);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    close(seen[1]);
    {
        Workspace ws = Workspace::open(path);
        CaseEngine& e = ws.cases();
        std::vector<double> latencies;
        std::size_t i = 0;
        for (auto _ : state) {
            e.report(p.cases[i++ & (p.cases.size() - 1)].report);
            const std::int64_t committed = nanoseconds_now();
            std::int64_t applied = 0;
            if (read(seen[0], &applied, sizeof applied) != sizeof applied)
                throw std::runtime_error("the follower died");
            const double seconds =
                static_cast<double>(std::max<std::int64_t>(0, applied - committed)) * 1e-9;
            latencies.push_back(seconds);
            state.SetIterationTime(seconds);
        }
        std::sort(latencies.begin(), latencies.end());
        if (!latencies.empty()) {
            state.counters["p50_ms"] = latencies[latencies.size() / 2] * 1e3;
            state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100] * 1e3;
        }
    }
    kill(follower, SIGKILL);
    waitpid(follower, nullptr, 0);
    close(seen[0]);
}

void BM_Shared_FollowLatency(benchmark::State& state) {
    const fs::path dir = bench_dir("shared-follow");
    follow_latency(state, (dir / "province.gridgov").string());
    fs::remove_all(dir);
}
BENCHMARK(BM_Shared_FollowLatency)->Iterations(500)->Unit(benchmark::kMicrosecond)->UseManualTime();

// ---- several processes on one workspace in PostgreSQL ---------------------------------------
// Against the database GRIDGOV_BENCH_PG names (a libpq URI, e.g. of a durable server:
// `GRIDGOV_PG_DURABLE=1 tests/support/pg_cluster.sh start DIR` prints it); skipped without
// it. Each run gets a new schema.

std::string bench_server() {
    const char* url = std::getenv("GRIDGOV_BENCH_PG");
    return url != nullptr ? url : "";
}

void pg_exec(PGconn* conn, const std::string& sql) {
    PGresult* res = PQexec(conn, sql.c_str());
    const bool ok =
        PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    const std::string why = PQresultErrorMessage(res);
    PQclear(res);
    if (!ok)
        throw std::runtime_error(sql.substr(0, 60) + ": " + why);
}

PGconn* pg_connect(const std::string& url) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("GRIDGOV_BENCH_PG: " + why);
    }
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return conn;
}

// False, with the benchmark marked skipped, when no server is named.
bool have_server(benchmark::State& state) {
    if (!bench_server().empty())
        return true;
    state.SkipWithError("set GRIDGOV_BENCH_PG to a PostgreSQL URI");
    return false;
}

// A new schema of the bench server, as a workspace location.
std::string bench_schema(const std::string& tag) {
    const std::string server = bench_server();
    const std::string schema = "bench_" + tag + "_" + std::to_string(getpid()) + "_" +
                               std::to_string(nanoseconds_now() % 1000000);
    PGconn* conn = pg_connect(server);
    pg_exec(conn, "CREATE SCHEMA " + schema);
    PQfinish(conn);
    return server + (server.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema;
}

// FloorWriter's rows through libpq: the same tables in PostgreSQL's types (rating, which
// the floors fill with a number, as BIGINT), the same
// sixteen rows to a prepared INSERT, values in binary form as gridgov sends them, one
// transaction per commit; ids from identity columns, as several processes write at once.
class PgFloorWriter {
  public:
    PgFloorWriter(const std::string& url, std::string tag) : tag_(std::move(tag)) {
        conn_ = pg_connect(url);
        pg_exec(conn_,
                "CREATE TABLE IF NOT EXISTS cases (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                "PRIMARY KEY, number TEXT NOT NULL UNIQUE, workflow TEXT, workflow_version "
                "BIGINT, category TEXT, node BIGINT, area_class TEXT, source TEXT, reporter "
                "TEXT, state TEXT, department TEXT, route_node BIGINT, tier BIGINT, flags TEXT, "
                "counters TEXT, clocks TEXT, breached BIGINT, breaches BIGINT, rating BIGINT, "
                "rating_score BIGINT, reported_at BIGINT, updated_at BIGINT, closed_at BIGINT, "
                "last_event BIGINT, events BIGINT);"
                "CREATE TABLE IF NOT EXISTS case_events (seq BIGINT GENERATED BY DEFAULT AS "
                "IDENTITY PRIMARY KEY, case_id BIGINT NOT NULL, case_seq BIGINT NOT NULL, type "
                "TEXT NOT NULL, transition BIGINT NOT NULL, from_state TEXT NOT NULL, to_state "
                "TEXT NOT NULL, actor TEXT NOT NULL, system BIGINT NOT NULL, at BIGINT NOT NULL, "
                "payload TEXT NOT NULL, prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL);"
                "CREATE INDEX IF NOT EXISTS case_events_by_case ON case_events (case_id, "
                "case_seq)");
        prepare("case1", "cases", case_columns, 1);
        prepare("case16", "cases", case_columns, rows);
        prepare("event1", "case_events", event_columns, 1);
        prepare("event16", "case_events", event_columns, rows);
    }
    PgFloorWriter(const PgFloorWriter&) = delete;
    PgFloorWriter& operator=(const PgFloorWriter&) = delete;
    ~PgFloorWriter() { PQfinish(conn_); }

    std::size_t commit(const FloorRows& in) {
        pg_exec(conn_, "BEGIN");
        const std::int64_t base = next_case_;
        next_case_ += static_cast<std::int64_t>(in.records.size());
        insert_all(in.records, "case1", "case16", [&](const CaseRecord& r) {
            const auto k = static_cast<std::int64_t>(&r - in.records.data());
            text(r.number + "-" + tag_ + std::to_string(base + k));
            text(r.workflow);
            integer(r.workflow_version);
            text(r.category);
            integer(r.node);
            text(r.area_class);
            text(case_source_name(r.source));
            text(r.reporter);
            text(r.state);
            text(r.department);
            integer(r.route_node);
            integer(r.tier);
            text("[]");
            text("{}");
            text(clocks_);
            for (int i = 17; i <= 25; ++i)
                integer(i);
        });
        insert_all(in.events, "event1", "event16", [&](const CaseEvent& ev) {
            integer(ev.case_id);
            integer(ev.case_sequence);
            text(ev.type);
            integer(ev.transition);
            text(ev.from_state);
            text(ev.to_state);
            text(ev.actor);
            integer(ev.system ? 1 : 0);
            integer(ev.at.seconds);
            text(ev.payload);
            bytes(ev.previous_hash.data(), 32);
            bytes(ev.hash.data(), 32);
        });
        pg_exec(conn_, "COMMIT");
        return in.events.size();
    }

  private:
    static constexpr int rows = 16;
    static constexpr int case_columns = 24;   // without the id
    static constexpr int event_columns = 12;  // without seq

    void prepare(const char* name, const char* table, int columns, int count) {
        std::string sql = std::string("INSERT INTO ") + table + " (" +
                          (std::string(table) == "cases"
                               ? "number, workflow, workflow_version, category, node, "
                                 "area_class, source, reporter, state, department, route_node, "
                                 "tier, flags, counters, clocks, breached, breaches, rating, "
                                 "rating_score, reported_at, updated_at, closed_at, last_event, "
                                 "events"
                               : "case_id, case_seq, type, transition, from_state, to_state, "
                                 "actor, system, at, payload, prev_hash, hash") +
                          ") VALUES ";
        for (int r = 0; r < count; ++r) {
            sql += r == 0 ? "(" : ", (";
            for (int c = 1; c <= columns; ++c)
                sql += (c == 1 ? "$" : ", $") + std::to_string(r * columns + c);
            sql += ")";
        }
        PGresult* res = PQprepare(conn_, name, sql.c_str(), 0, nullptr);
        const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        const std::string why = PQresultErrorMessage(res);
        PQclear(res);
        if (!ok)
            throw std::runtime_error(std::string("prepare ") + name + ": " + why);
    }
    void integer(std::int64_t v) {
        const std::uint64_t be = htobe64(static_cast<std::uint64_t>(v));
        store_.emplace_back(reinterpret_cast<const char*>(&be), 8);
    }
    void text(const std::string& s) { store_.push_back(s); }
    void bytes(const void* p, std::size_t n) {
        store_.emplace_back(static_cast<const char*>(p), n);
    }

    template <class Items, class Bind>
    void insert_all(const Items& items, const char* one, const char* many, const Bind& bind) {
        std::size_t k = 0;
        while (k < items.size()) {
            const bool full = k + rows <= items.size();
            const std::size_t count = full ? rows : 1;
            store_.clear();
            for (std::size_t r = 0; r < count; ++r)
                bind(items[k + r]);
            values_.resize(store_.size());
            lengths_.resize(store_.size());
            formats_.assign(store_.size(), 1);
            for (std::size_t i = 0; i < store_.size(); ++i) {
                values_[i] = store_[i].data();
                lengths_[i] = static_cast<int>(store_[i].size());
            }
            PGresult* res =
                PQexecPrepared(conn_, full ? many : one, static_cast<int>(store_.size()),
                               values_.data(), lengths_.data(), formats_.data(), 0);
            const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            const std::string why = PQresultErrorMessage(res);
            PQclear(res);
            if (!ok)
                throw std::runtime_error("floor insert: " + why);
            k += count;
        }
    }

    PGconn* conn_ = nullptr;
    std::string tag_;
    const std::string clocks_ = std::string(600, 'c');
    std::int64_t next_case_ = 0;
    std::vector<std::string> store_;
    std::vector<const char*> values_;
    std::vector<int> lengths_;
    std::vector<int> formats_;
};

void BM_Shared_Durable_Writers_Postgresql(benchmark::State& state) {
    if (!have_server(state))
        return;
    shared_durable(state, bench_schema("writers"));
}
BENCHMARK(BM_Shared_Durable_Writers_Postgresql)->Apply(writer_counts);

// The floor under BM_Shared_Durable_Writers_Postgresql: the same rows in the same
// batches from as many processes, by a bare libpq program.
void BM_Shared_Postgresql_Floor(benchmark::State& state) {
    if (!have_server(state))
        return;
    floor_rounds<PgFloorWriter>(state, bench_schema("floor"));
}
BENCHMARK(BM_Shared_Postgresql_Floor)->Apply(writer_counts);

void BM_Shared_FollowLatency_Postgresql(benchmark::State& state) {
    if (!have_server(state))
        return;
    follow_latency(state, bench_schema("follow"));
}
BENCHMARK(BM_Shared_FollowLatency_Postgresql)
    ->Iterations(500)
    ->Unit(benchmark::kMicrosecond)
    ->UseManualTime();

// tick() over a province's open cases: 100 000 cases waiting in `reported` whose dispatch

// Opening a workspace file of the province with `state.range(0)` cases (8 events each,
// written once per run through the public API, 1,250 cases a commit): the difference
// between 0 and 200,000 cases is what the cases cost. Counters: the file's bytes.
void BM_Workspace_Open(benchmark::State& state) {
    const Province& p = province();
    const auto cases = static_cast<std::size_t>(state.range(0));
    const fs::path dir = bench_dir("open");
    const std::string path = (dir / "province.gridgov").string();
    populate_province(path);
    {
        Workspace ws = Workspace::open(path);
        CaseEngine& e = ws.cases();
        for (std::size_t i = 0; i < cases;) {
            e.begin_batch();
            for (std::size_t k = 0; k < 1250; ++k, ++i)
                run_case(e, p.cases[i & (p.cases.size() - 1)]);
            e.commit_batch();
        }
    }
    for (auto _ : state) {
        Workspace ws = Workspace::open(path);
        benchmark::DoNotOptimize(ws.cases().size());
    }
    state.counters["file_bytes"] = static_cast<double>(fs::file_size(path));
    fs::remove_all(dir);
}
BENCHMARK(BM_Workspace_Open)
    ->Arg(0)
    ->Arg(200000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->UseRealTime();

// clocks turn yellow, red and then run out.
void BM_Cases_Tick(benchmark::State& state) {
    const Province& p = province();
    for (auto _ : state) {
        state.PauseTiming();
        CaseEngine e(p.h, p.dir);
        for (std::size_t k = 0; k < 100000; ++k)
            e.report(p.cases[k & (p.cases.size() - 1)].report);
        state.ResumeTiming();
        const TickReport r = e.tick(Instant::parse("2024-03-06T09:00"));
        benchmark::DoNotOptimize(r.breaches.size());
    }
    state.SetItemsProcessed(state.iterations() * 100000);
}
BENCHMARK(BM_Cases_Tick)->Unit(benchmark::kMillisecond)->Iterations(3);

// A columnar query: open cases in one city's subtree by light at an instant.
void BM_Cases_Query_SubtreeLight(benchmark::State& state) {
    const Province& p = province();
    CaseEngine e(p.h, p.dir);
    for (std::size_t k = 0; k < 200000; ++k)
        e.report(p.cases[k & (p.cases.size() - 1)].report);
    CaseFilter f;
    f.subtree = p.h.at("3701");
    f.light = Light::yellow;
    f.at = Instant::parse("2024-03-04T15:00");
    for (auto _ : state)
        benchmark::DoNotOptimize(e.count(f));
    state.SetItemsProcessed(state.iterations() * 200000);
}
BENCHMARK(BM_Cases_Query_SubtreeLight)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
