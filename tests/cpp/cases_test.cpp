// The case engine, specified on a township of the sample county (苇川县 青石镇, seed 000:
// grids of about 150 households, a township social-management service centre) running the
// built-in six-step, seven-step and hotline workflows: every guard, every side path, the
// stage clocks on the national working calendar, ticks, the hash-chained log and its
// tampering, replay, persistence in real SQLite files, batches and historical import.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
namespace fs = std::filesystem;

namespace {

// ---- files ---------------------------------------------------------------------------------

class TempDir {
  public:
    TempDir() {
        static std::atomic<unsigned> counter{0};
        std::random_device random;
        const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = fs::temp_directory_path() /
                ("gridgov-cases-test-" + std::to_string(stamp) + "-" + std::to_string(random()) +
                 "-" + std::to_string(counter++));
        fs::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    fs::path path_;
};

// A second, plain SQLite connection: another program editing the file.
class RawDb {
  public:
    explicit RawDb(const std::string& path) {
        REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    ~RawDb() { sqlite3_close(db_); }

    void exec(const std::string& sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        INFO(sql << ": " << (err != nullptr ? err : ""));
        sqlite3_free(err);
        REQUIRE(rc == SQLITE_OK);
    }
    std::int64_t integer(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        const std::int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }

  private:
    sqlite3* db_ = nullptr;
};

// ---- the township --------------------------------------------------------------------------

NodeSpec node(const std::string& code, const std::string& parent, const char* level,
              const std::string& name, const std::string& area_class = "") {
    NodeSpec s;
    s.code = code;
    s.parent_code = parent;
    s.level = level;
    s.name = name;
    s.area_class = area_class;
    if (std::string(level) == "grid") {
        s.households = 150;
        s.area_type = AreaType::rural;
    }
    return s;
}

std::vector<NodeSpec> township_nodes() {
    return {node("371338", "", "county", "苇川县"),
            node("371338101", "371338", "township", "青石镇"),
            node("371338101001", "371338101", "village", "青石村"),
            node("371338101002", "371338101", "village", "东岭村"),
            node("371338101001001", "371338101001", "grid", "青石村第一网格", "一类"),
            node("371338101001002", "371338101001", "grid", "青石村第二网格"),
            node("371338101002001", "371338101002", "grid", "东岭村第一网格")};
}

// The township's roles, the workflow roles, and the hotline workflow's 网格员 (whose
// duties the township catalogue words differently, so they are left out).
Catalogue township_catalogue() {
    Catalogue c = merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue());
    const Catalogue district = Catalogue::preset("district_002");
    RoleType worker = district.roles[*district.find_role("grid_worker")];
    worker.duties.clear();
    c.roles.push_back(worker);
    return c;
}

Person person(const std::string& id, const std::string& name) {
    Person p;
    p.id = id;
    p.name = name;
    return p;
}

Assignment post(const std::string& who, const std::string& role, NodeId at) {
    Assignment a;
    a.person = who;
    a.role = role;
    a.node = at;
    a.period.from = Date::parse("2023-08-24");
    return a;
}

std::vector<Person> township_people() {
    return {person("P0001", "王建国"), person("P0002", "李秀英"), person("P0003", "张伟"),
            person("P0004", "刘洋"),   person("P0005", "陈静"),   person("P0006", "赵敏"),
            person("P0007", "孙丽"),   person("P0008", "周强"),   person("P0009", "吴芳"),
            person("P0010", "郑军"),   person("P0011", "冯刚"),   person("P0012", "韩梅"),
            person("P0013", "杨帆"),   person("P0014", "朱磊"),   person("P0015", "秦岚")};
}

std::vector<Assignment> township_posts(const Hierarchy& h) {
    const NodeId county = h.at("371338");
    const NodeId town = h.at("371338101");
    const NodeId qingshi = h.at("371338101001");
    const NodeId dongling = h.at("371338101002");
    const NodeId q1 = h.at("371338101001001");
    return {post("P0001", "grid_information_officer", q1),
            post("P0001", "grid_worker", q1),
            post("P0002", "service_centre_staff", town),
            post("P0003", "village_grid_leader", dongling),
            post("P0004", "village_grid_leader", qingshi),
            post("P0006", "township_grid_leader", town),
            post("P0007", "grid_instructor", qingshi),
            post("P0010", "shift_leader", county),
            post("P0011", "dispatcher", county),
            post("P0012", "centre_leader", county),
            post("P0013", "hotline_operator", county),
            post("P0014", "field_supervisor", town),
            post("P0015", "intake_operator", county)};
}

DepartmentCatalogue township_departments() {
    return DepartmentCatalogue::from_json(R"({"key": "qingshi", "name": "青石镇处置部门",
      "departments": [
        {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101",
         "members": ["P0005"]},
        {"code": "D-ZZ-QS", "kind": "territorial", "zh": "青石镇综治中心", "node": "371338101",
         "members": ["P0008"]},
        {"code": "D-TJ-QS", "kind": "mediation", "zh": "青石镇人民调解委员会", "node": "371338101",
         "members": ["P0009"]}]})",
                                          "qingshi departments");
}

// A standalone engine over the township.
struct Township {
    Hierarchy h;
    Directory dir;
    CaseEngine engine;
    NodeId county{}, town{}, qingshi{}, dongling{}, q1{}, q2{}, d1{};

    Township() : dir(township_catalogue()), engine(h, dir) {
        h.add_all(township_nodes());
        county = h.at("371338");
        town = h.at("371338101");
        qingshi = h.at("371338101001");
        dongling = h.at("371338101002");
        q1 = h.at("371338101001001");
        q2 = h.at("371338101001002");
        d1 = h.at("371338101002001");
        dir.add_people(township_people());
        dir.add_assignments(h, township_posts(h));
        engine.set_departments(township_departments());
    }
};

// The same township in a workspace file.
void populate(Workspace& ws) {
    ws.set_catalogue(township_catalogue());
    ws.add_nodes(township_nodes());
    ws.add_people(township_people());
    ws.add_assignments(township_posts(ws.hierarchy()));
    ws.set_departments(township_departments());
}

// ---- commands --------------------------------------------------------------------------

Instant at(const std::string& local) {
    return Instant::parse(local);
}

struct Cmd {
    CaseCommand c;
    Cmd(Command command, const std::string& actor, const std::string& when) {
        c.command = command;
        c.actor = actor;
        c.at = at(when);
    }
    Cmd& reason(const std::string& r) {
        c.reason = r;
        return *this;
    }
    Cmd& evidence(const std::string& e) {
        c.evidence.push_back(e);
        return *this;
    }
    Cmd& department(const std::string& d) {
        c.department = d;
        return *this;
    }
    Cmd& amount(TimeLimit a) {
        c.amount = a;
        return *this;
    }
    Cmd& rating(Satisfaction s) {
        c.rating = Rating::of(s);
        return *this;
    }
    Cmd& category(const std::string& code) {
        c.category = code;
        return *this;
    }
    Cmd& by_system() {
        c.actor.clear();
        c.system = true;
        return *this;
    }
    operator const CaseCommand&() const { return c; }
};

NewCase new_case(NodeId where, const std::string& category, const std::string& actor,
                 const std::string& when, const std::string& workflow = "",
                 const std::string& source = "grid_worker") {
    NewCase n;
    n.command.command = Command::report;
    n.command.actor = actor;
    n.command.at = at(when);
    n.command.node = where;
    n.command.category = category;
    n.command.source = source;
    n.workflow = workflow;
    return n;
}

const CaseClock* clock_of(const CaseRecord& r, const std::string& stage) {
    for (const CaseClock& c : r.clocks) {
        if (c.stage == stage)
            return &c;
    }
    return nullptr;
}

// The six-step main line up to `handling` on 2024-03-04 (a Monday).
CaseId to_handling(CaseEngine& e, NodeId grid, const std::string& category = "E0102") {
    const CaseId id = e.report(new_case(grid, category, "P0001", "2024-03-04T09:00"));
    e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
    e.fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20").department("D-HW-QS"));
    e.fire(id, Cmd(Command::accept, "P0005", "2024-03-04T09:30"));
    return id;
}

}  // namespace

// ---- reporting ---------------------------------------------------------------------------

TEST_CASE("cases.report.creates_a_numbered_case_with_its_first_clock") {
    Township t;
    const CaseId id = t.engine.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T09:00"));
    CHECK(id == 0);
    const CaseRecord r = t.engine.get(id);
    CHECK(r.number == "2024-000001");
    CHECK(r.workflow == "township_six_step");
    CHECK(r.workflow_version == 1);
    CHECK(r.state == "reported");
    CHECK(r.kind == StateKind::pending);
    CHECK(r.category == "E0102");
    CHECK(r.node == t.q1);
    CHECK(r.area_class == "一类");
    CHECK(r.source == CaseSource::grid_worker);
    CHECK(r.reporter == "P0001");
    CHECK(r.tier == 0);
    CHECK(r.handling_node == t.q1);
    CHECK(r.events == 1);
    CHECK(r.last_event == 1);
    CHECK(r.counter("rework") == 0);
    REQUIRE(r.clocks.size() == 1);
    const CaseClock& c = r.clocks.front();
    CHECK(c.stage == "dispatch");
    CHECK(c.run == ClockRun::counting);
    CHECK(c.working_time);
    CHECK(c.limit == TimeLimit::working_days(1));
    CHECK(c.limit_seconds == 7 * 3600);
    CHECK(c.deadline == at("2024-03-05T09:00"));
    CHECK(t.engine.at("2024-000001") == id);
    CHECK_FALSE(t.engine.find("2024-000002"));

    SUBCASE("numbers run per year") {
        CHECK(t.engine.get(t.engine.report(new_case(t.q1, "E0102", "P0001", "2024-12-31T10:00")))
                  .number == "2024-000002");
        CHECK(t.engine.get(t.engine.report(new_case(t.q1, "E0102", "P0001", "2025-01-02T10:00")))
                  .number == "2025-000001");
    }
    SUBCASE("a hotline source runs the hotline workflow") {
        NewCase n = new_case(t.q1, "G0101", "P0013", "2024-03-04T10:00", "", "12345");
        n.reporter = "C-13800000000";
        const CaseRecord h = t.engine.get(t.engine.report(n));
        CHECK(h.workflow == "hotline_callback");
        CHECK(h.source == CaseSource::hotline_12345);
        CHECK(h.reporter == "C-13800000000");
        CHECK(h.state == "registered");
    }
    SUBCASE("refusals name what is wrong and change nothing") {
        CHECK_THROWS_WITH_AS(t.engine.report(new_case(t.q1, "X9999", "P0001", "2024-03-04T10:00")),
                             doctest::Contains("unknown category \"X9999\""), Error);
        CHECK_THROWS_WITH_AS(
            t.engine.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T10:00", "no_such_flow")),
            doctest::Contains("no workflow \"no_such_flow\""), Error);
        NewCase missing = new_case(t.q1, "", "P0001", "2024-03-04T10:00");
        CHECK_THROWS_WITH_AS(t.engine.report(missing),
                             doctest::Contains("report: field 'category' is required"), Error);
        try {
            t.engine.report(new_case(t.d1, "E0102", "P0001", "2024-03-04T10:00"));
            FAIL("a grid officer reported in the neighbour village");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::permission_denied);
            const std::string m = e.what();
            CHECK(m.find("\"P0001\"") != std::string::npos);
            CHECK(m.find("grid_information_officer") != std::string::npos);
            CHECK(m.find("371338101002001") != std::string::npos);
            CHECK(m.find("2024-03-04") != std::string::npos);
        }
        NewCase dup = new_case(t.q1, "E0102", "P0001", "2024-03-04T10:00");
        dup.number = "2024-000001";
        CHECK_THROWS_WITH_AS(t.engine.report(dup), doctest::Contains("already taken"), Error);
        CHECK(t.engine.size() == 1);
        CHECK(t.engine.last_sequence() == 1);
    }
}
