// The case engine, specified on a township of the sample county (苇川县 青石镇, seed 000:
// grids of about 150 households, a township social-management service centre) running the
// built-in six-step, seven-step and hotline workflows: every guard, every side path, the
// stage clocks on the national working calendar, ticks, the hash-chained log and its
// tampering, replay, persistence in real SQLite files, batches and historical import.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "audit/tree.hpp"
#include "cases/engine_impl.hpp"
#include "gridgov/audit.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
namespace fs = std::filesystem;

namespace doctest {
template <>
struct StringMaker<Instant> {
    static String convert(const Instant& t) { return t.to_string().c_str(); }
};
}  // namespace doctest

namespace {

// ---- files ---------------------------------------------------------------------------------

using gridgov_test::at;
using gridgov_test::await_notice;
using gridgov_test::node;
using gridgov_test::person;
using gridgov_test::post;
using gridgov_test::store_location;
using gridgov_test::TempDir;

using RawDb = gridgov_test::RawStore;

std::string hex_of(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

// Replaces the bytes of `from` with those of `to` in the stored payload of event `seq`, as
// a forger with SQL would: the column holds the payload's compact form (docs/cases.md).
void edit_payload(RawDb& raw, EventSeq seq, const std::string& from, const std::string& to) {
    const std::string where = " FROM case_events WHERE seq = " + std::to_string(seq);
    std::string hex = raw.text(raw.postgresql() ? "SELECT encode(payload, 'hex')" + where
                                                : "SELECT lower(hex(payload))" + where);
    const std::size_t at = hex.find(hex_of(from));
    REQUIRE(at != std::string::npos);
    hex.replace(at, 2 * from.size(), hex_of(to));
    raw.exec("UPDATE case_events SET payload = " +
             (raw.postgresql() ? "'\\x" + hex + "'::bytea" : "x'" + hex + "'") +
             " WHERE seq = " + std::to_string(seq));
}

// ---- the township --------------------------------------------------------------------------

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
    ws.directory().set_catalogue(township_catalogue());
    ws.hierarchy().add_nodes(township_nodes());
    ws.directory().add_people(township_people());
    ws.directory().add_assignments(township_posts(ws.hierarchy().view()));
    ws.cases().set_departments(township_departments());
}

// ---- commands --------------------------------------------------------------------------

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

// The six-step main line up to `handling` on 2024-03-04 (a Monday), reported by the
// township centre.
CaseId to_handling(CaseEngine& e, NodeId grid, const std::string& category = "E0102") {
    const CaseId id = e.report(new_case(grid, category, "P0002", "2024-03-04T09:00"));
    e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
    e.fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20").department("D-HW-QS"));
    e.fire(id, Cmd(Command::accept, "P0005", "2024-03-04T09:30"));
    return id;
}

}  // namespace

// ---- reporting ---------------------------------------------------------------------------

TEST_CASE("cases.names.sources_and_groups_round_trip_and_unknown_names_are_refused") {
    for (int i = 0; i <= 6; ++i) {
        const auto source = static_cast<CaseSource>(i);
        CHECK(parse_case_source(case_source_name(source)) == source);
    }
    CHECK(parse_case_source("12345热线") == CaseSource::hotline_12345);
    CHECK(parse_case_source("") == CaseSource::grid_worker);
    CHECK_THROWS_WITH_AS(parse_case_source("fax"),
                         doctest::Contains("unknown case source 'fax' (expected grid_worker, "),
                         Error);

    for (int i = 0; i <= 9; ++i) {
        const auto group = static_cast<CaseGroup>(i);
        CHECK(parse_case_group(case_group_name(group)) == group);
    }
    CHECK(std::string(case_group_name(CaseGroup::overdue)) == "overdue");
    try {
        parse_case_group("village");
        FAIL("an unknown group was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        CHECK(std::string(e.what()).find("unknown case group 'village'") != std::string::npos);
        CHECK(std::string(e.what()).find("state, kind, category") != std::string::npos);
    }
}

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

// ---- guards: every transition, allowed and refused ---------------------------------------

namespace {

// One step of a walk: the command and what must come of it.
struct Step {
    Cmd command;
    std::string to;                          // state after an accepted command
    ErrorCode refused = ErrorCode::generic;  // generic = accepted
    std::vector<std::string> mentions = {};  // words the refusal must name
};

Step ok(Cmd c, const std::string& to) {
    return Step{std::move(c), to};
}
Step no(Cmd c, ErrorCode code, std::vector<std::string> mentions) {
    return Step{std::move(c), "", code, std::move(mentions)};
}

void walk(CaseEngine& e, CaseId id, const std::vector<Step>& steps) {
    for (const Step& s : steps) {
        const CaseCommand& c = s.command;
        INFO("step " << command_name(c.command) << " by " << (c.system ? "system" : c.actor)
                     << " at " << c.at.to_string());
        if (s.refused == ErrorCode::generic) {
            const EventSeq before = e.last_sequence();
            const EventSeq seq = e.fire(id, c);
            CHECK(seq > before);
            CHECK(e.state(id) == s.to);
            continue;
        }
        const CaseRecord before = e.get(id);
        const EventSeq last = e.last_sequence();
        const CommandCheck check = e.check(id, c);
        CHECK_FALSE(check.accepted);
        CHECK(check.code == s.refused);
        try {
            e.fire(id, c);
            FAIL("the command was accepted");
        } catch (const Error& err) {
            CHECK(err.code() == s.refused);
            const std::string m = err.what();
            for (const std::string& word : s.mentions) {
                INFO("message: " << m);
                CHECK(m.find(word) != std::string::npos);
            }
            CHECK(m == check.message);
        }
        CHECK(e.get(id) == before);
        CHECK(e.last_sequence() == last);
    }
}

// A hotline order of 4 March from filing to the callback that waits for the citizen.
void walk_hotline_to_callback(CaseEngine& e, CaseId id) {
    walk(e, id,
         {ok(Cmd(Command::file, "P0013", "2024-03-04T09:10"), "filed"),
          ok(Cmd(Command::dispatch, "P0011", "2024-03-04T09:20").department("D-HW-QS"),
             "dispatched"),
          ok(Cmd(Command::accept, "P0005", "2024-03-04T09:30"), "handling"),
          ok(Cmd(Command::feedback, "P0005", "2024-03-04T11:00").reason("已清运"), "replied"),
          ok(Cmd(Command::check_pass, "P0010", "2024-03-04T11:30"), "callback_pending")});
}

}  // namespace

TEST_CASE("cases.six_step.main_line_and_its_guards") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = e.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T09:00"));
    const std::string n = e.get(id).number;
    const auto denied = ErrorCode::permission_denied;
    const auto wrong = ErrorCode::invalid_state;
    const auto missing = ErrorCode::invalid_argument;
    walk(e, id,
         {no(Cmd(Command::file, "P0001", "2024-03-04T09:05"), denied,
             {"\"P0001\"", "file", "service_centre_staff", "371338101001001", "2024-03-04"}),
          no(Cmd(Command::dispatch, "P0002", "2024-03-04T09:05"), wrong,
             {n, "reported", "dispatch", "it accepts file, void, escalate, self_handle"}),
          no(Cmd(Command::file, "P0002", "2024-03-04T08:59"), missing,
             {"comes before the case's last event"}),
          ok(Cmd(Command::file, "P0002", "2024-03-04T09:10"), "filed"),
          no(Cmd(Command::file, "P0002", "2024-03-04T09:11"), wrong, {n, "filed", "file"}),
          no(Cmd(Command::void_case, "P0002", "2024-03-04T09:11"), missing,
             {n, "void: field 'reason' is required"}),
          no(Cmd(Command::dispatch, "P0004", "2024-03-04T09:12"), denied,
             {"\"P0004\"", "service_centre_staff", "2024-03-04"}),
          ok(Cmd(Command::dispatch, "P0002", "2024-03-04T09:20").department("D-HW-QS"),
             "dispatched"),
          no(Cmd(Command::accept, "P0009", "2024-03-04T09:25"), denied,
             {"\"P0009\"", "membership of the assigned department"}),
          ok(Cmd(Command::accept, "P0005", "2024-03-04T09:30"), "handling"),
          no(Cmd(Command::feedback, "P0005", "2024-03-04T11:00"), missing,
             {"feedback: field 'evidence' is required"}),
          ok(Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo-0301.jpg"),
             "checking"),
          no(Cmd(Command::check_pass, "P0003", "2024-03-04T14:00"), denied,
             {"\"P0003\"", "village_grid_leader", "grid_instructor", "371338101001001"}),
          ok(Cmd(Command::check_pass, "P0007", "2024-03-04T14:00"), "evaluating"),
          no(Cmd(Command::rate, "P0003", "2024-03-04T15:00").rating(Satisfaction::satisfied),
             denied, {"being the reporter", "service_centre_staff"}),
          no(Cmd(Command::rate, "P0001", "2024-03-04T15:00"), missing,
             {"rate: field 'rating' is required"}),
          ok(Cmd(Command::rate, "P0001", "2024-03-04T15:00").rating(Satisfaction::satisfied),
             "evaluating"),
          no(Cmd(Command::close, "P0001", "2024-03-04T15:30"), denied, {"service_centre_staff"}),
          ok(Cmd(Command::close, "P0002", "2024-03-04T15:30"), "closed"),
          no(Cmd(Command::supervise, "P0006", "2024-03-04T15:40").reason("复查"), wrong,
             {n, "closed", "supervise"}),
          ok(Cmd(Command::archive, "", "2024-03-04T16:00").by_system(), "archived"),
          no(Cmd(Command::archive, "P0002", "2024-03-04T16:10"), wrong,
             {n, "archived", "a terminal state"})});

    const CaseRecord r = e.get(id);
    CHECK(r.kind == StateKind::closed);
    CHECK(r.closed_at == at("2024-03-04T15:30"));
    CHECK(r.department == "D-HW-QS");
    CHECK(r.rating->level == Satisfaction::satisfied);
    CHECK(r.events == 9);
    for (const CaseClock& c : r.clocks)
        CHECK(c.run == ClockRun::stopped);
    // Handling took 09:20-11:00 of its four working hours and never ran out.
    const CaseClock* handle = clock_of(r, "handle");
    REQUIRE(handle != nullptr);
    CHECK(handle->used == 100 * 60);
    CHECK(handle->deadline == at("2024-03-04T15:20"));
    CHECK_FALSE(handle->breached);
}

TEST_CASE("cases.seven_step.main_line_and_its_guards") {
    Township t;
    CaseEngine& e = t.engine;
    CHECK_THROWS_WITH_AS(
        e.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T09:00", "urban_seven_step")),
        doctest::Contains("roles field_supervisor or intake_operator at 371338101001001"), Error);
    const CaseId id = e.report(
        new_case(t.q1, "E0102", "P0014", "2024-03-04T09:00", "urban_seven_step", "supervisor"));
    const std::string n = e.get(id).number;
    CHECK(e.state(id) == "collected");
    const auto denied = ErrorCode::permission_denied;
    const auto wrong = ErrorCode::invalid_state;
    const auto missing = ErrorCode::invalid_argument;
    walk(
        e, id,
        {no(Cmd(Command::file, "P0011", "2024-03-04T09:10"), denied,
            {"\"P0011\"", "shift_leader", "371338101001001", "2024-03-04"}),
         ok(Cmd(Command::file, "P0010", "2024-03-04T09:10"), "filed"),
         no(Cmd(Command::self_handle, "P0014", "2024-03-04T09:12").evidence("x.jpg"), wrong,
            {n, "filed", "self_handle"}),
         no(Cmd(Command::dispatch, "P0010", "2024-03-04T09:15"), denied, {"dispatcher"}),
         ok(Cmd(Command::dispatch, "P0011", "2024-03-04T09:15").department("D-HW-QS"),
            "dispatched"),
         ok(Cmd(Command::accept, "P0005", "2024-03-04T09:20"), "handling"),
         ok(Cmd(Command::feedback, "P0005", "2024-03-04T10:00").evidence("after.jpg"), "fed_back"),
         no(Cmd(Command::check_fail, "P0014", "2024-03-04T10:30").reason("未清理干净"), missing,
            {"check_fail: field 'evidence' is required"}),
         ok(Cmd(Command::check_fail, "P0014", "2024-03-04T10:30")
                .reason("未清理干净")
                .evidence("check.jpg"),
            "handling"),
         ok(Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("after2.jpg"), "fed_back"),
         no(Cmd(Command::check_pass, "P0014", "2024-03-04T11:30"), missing,
            {"check_pass: field 'evidence' is required"}),
         ok(Cmd(Command::check_pass, "P0014", "2024-03-04T11:30").evidence("ok.jpg"), "checked"),
         no(Cmd(Command::close, "P0011", "2024-03-04T11:40"), denied, {"shift_leader"}),
         ok(Cmd(Command::close, "P0010", "2024-03-04T11:40"), "closed"),
         ok(Cmd(Command::rate, "P0015", "2024-03-04T14:00")
                .rating(Satisfaction::basically_satisfied),
            "closed"),
         ok(Cmd(Command::archive, "P0010", "2024-03-05T09:00"), "archived")});
    const CaseRecord r = e.get(id);
    CHECK(r.counter("rework") == 1);
    CHECK(r.source == CaseSource::supervisor);
    CHECK(r.rating->level == Satisfaction::basically_satisfied);

    SUBCASE("the supervisor closes a minor matter on the spot") {
        const CaseId s = e.report(
            new_case(t.q2, "E0104", "P0014", "2024-03-05T10:00", "urban_seven_step", "supervisor"));
        walk(e, s,
             {no(Cmd(Command::self_handle, "P0014", "2024-03-05T10:05"), missing,
                 {"self_handle: field 'evidence' is required"}),
              ok(Cmd(Command::self_handle, "P0014", "2024-03-05T10:05").evidence("done.jpg"),
                 "closed")});
        CHECK(e.get(s).has_flag("self_handled"));
        CHECK(e.get(s).closed_at == at("2024-03-05T10:05"));
    }
}

// ---- side paths --------------------------------------------------------------------------

TEST_CASE("cases.side_paths.void_needs_a_reason_and_stops_every_clock") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = e.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T09:00"));
    e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
    walk(e, id,
         {no(Cmd(Command::void_case, "P0002", "2024-03-04T09:30"), ErrorCode::invalid_argument,
             {"void: field 'reason' is required"}),
          no(Cmd(Command::void_case, "P0001", "2024-03-04T09:30").reason("重复上报"),
             ErrorCode::permission_denied, {"service_centre_staff"}),
          ok(Cmd(Command::void_case, "P0002", "2024-03-04T09:30").reason("重复上报"), "voided")});
    const CaseRecord r = e.get(id);
    CHECK(r.kind == StateKind::voided);
    CHECK(r.closed_at == at("2024-03-04T09:30"));
    REQUIRE(r.clocks.size() == 1);
    CHECK(r.clocks[0].run == ClockRun::stopped);
    CHECK(r.clocks[0].used == 30 * 60);
    const std::vector<CaseEvent> events = e.events(id);
    REQUIRE(events.size() == 3);
    CHECK(events[2].type == "void");
    CHECK(events[2].payload == "{\"reason\":\"重复上报\"}");
}

TEST_CASE("cases.side_paths.return_needs_a_reason_counts_and_resumes_the_dispatch_clock") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    walk(e, id,
         {no(Cmd(Command::return_case, "P0005", "2024-03-04T10:00"), ErrorCode::invalid_argument,
             {"return: field 'reason' is required"}),
          no(Cmd(Command::return_case, "P0002", "2024-03-04T10:00").reason("非本单位职责"),
             ErrorCode::permission_denied, {"membership of the assigned department"}),
          ok(Cmd(Command::return_case, "P0005", "2024-03-04T10:00").reason("非本单位职责"),
             "filed")});
    const CaseRecord r = e.get(id);
    CHECK(r.counter("returns") == 1);
    const CaseClock* dispatch = clock_of(r, "dispatch");
    REQUIRE(dispatch != nullptr);
    // The dispatch clock ran 09:00-09:20 and counts again from the return: 6 h 40 min of
    // its working day remain, 5 h 30 min on the day of the return.
    CHECK(dispatch->run == ClockRun::counting);
    CHECK(dispatch->used == 20 * 60);
    CHECK(dispatch->deadline == at("2024-03-05T09:40"));
    CHECK(clock_of(r, "handle")->run == ClockRun::idle);
}

TEST_CASE("cases.side_paths.extensions_a_second_one_needs_the_higher_approver") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    CHECK(clock_of(e.get(id), "handle")->deadline == at("2024-03-04T15:20"));
    walk(e, id,
         {no(Cmd(Command::request_extension, "P0005", "2024-03-04T10:00").reason("需调车辆"),
             ErrorCode::invalid_argument, {"request_extension: field 'amount' is required"}),
          ok(Cmd(Command::request_extension, "P0005", "2024-03-04T10:00")
                 .reason("需调车辆")
                 .amount(TimeLimit::working_days(1)),
             "extension_requested"),
          no(Cmd(Command::approve_extension, "P0002", "2024-03-04T10:30")
                 .amount(TimeLimit::natural_hours(24)),
             ErrorCode::invalid_argument, {"field 'amount'", "working time"}),
          ok(Cmd(Command::approve_extension, "P0002", "2024-03-04T10:30")
                 .amount(TimeLimit::working_days(1)),
             "handling")});
    CaseRecord r = e.get(id);
    CHECK(r.counter("extensions") == 1);
    const CaseClock* handle = clock_of(r, "handle");
    CHECK(handle->extensions == 1);
    CHECK(handle->budget == 4 * 3600 + 7 * 3600);
    CHECK(handle->deadline == at("2024-03-05T15:20"));

    walk(e, id,
         {ok(Cmd(Command::request_extension, "P0005", "2024-03-04T11:00")
                 .reason("雨天")
                 .amount(TimeLimit::working_hours(4)),
             "extension_requested"),
          no(Cmd(Command::approve_extension, "P0002", "2024-03-04T11:10")
                 .amount(TimeLimit::working_hours(4)),
             ErrorCode::permission_denied, {"\"P0002\"", "township_grid_leader"}),
          ok(Cmd(Command::approve_extension, "P0006", "2024-03-04T11:10")
                 .amount(TimeLimit::working_hours(4)),
             "handling"),
          ok(Cmd(Command::request_extension, "P0005", "2024-03-04T11:20")
                 .reason("再延")
                 .amount(TimeLimit::working_hours(4)),
             "extension_requested"),
          no(Cmd(Command::deny_extension, "P0006", "2024-03-04T11:30"), ErrorCode::invalid_argument,
             {"deny_extension: field 'reason' is required"}),
          ok(Cmd(Command::deny_extension, "P0006", "2024-03-04T11:30").reason("不予延期"),
             "handling")});
    r = e.get(id);
    // 4 + 7 + 4 working hours from 09:20: 6 h 10 min, 7 h, then 1 h 50 min on the third day.
    CHECK(r.counter("extensions") == 2);
    CHECK(clock_of(r, "handle")->deadline == at("2024-03-06T10:20"));
}

TEST_CASE("cases.side_paths.suspension_stops_the_clock_until_resumed") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    walk(
        e, id,
        {no(Cmd(Command::suspend, "P0002", "2024-03-04T10:30"), ErrorCode::invalid_argument,
            {"suspend: field 'reason' is required"}),
         ok(Cmd(Command::suspend, "P0002", "2024-03-04T10:30").reason("待资金到位"), "suspended")});
    CaseRecord r = e.get(id);
    const CaseClock* handle = clock_of(r, "handle");
    CHECK(handle->run == ClockRun::suspended);
    CHECK(handle->used == 70 * 60);
    // A week later nothing has run out, and the clock shows the deadline if resumed now.
    const auto week = e.clock_status(id, at("2024-03-11T09:00"));
    REQUIRE(week);
    CHECK(week->paused);
    CHECK(week->elapsed == 70 * 60);
    CHECK_FALSE(week->overdue);
    CHECK(week->deadline == at("2024-03-11T11:50"));
    CHECK(e.tick(at("2024-03-11T09:00")).breaches.empty());

    e.fire(id, Cmd(Command::resume, "", "2024-03-12T09:00").by_system());
    r = e.get(id);
    handle = clock_of(r, "handle");
    CHECK(handle->run == ClockRun::counting);
    CHECK(handle->used == 70 * 60);
    CHECK(handle->deadline == at("2024-03-12T11:50"));
}

TEST_CASE("cases.side_paths.rework_is_counted_and_the_handling_clock_continues") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg"));
    walk(e, id,
         {no(Cmd(Command::check_fail, "P0004", "2024-03-04T14:00"), ErrorCode::invalid_argument,
             {"check_fail: field 'reason' is required"}),
          ok(Cmd(Command::check_fail, "P0004", "2024-03-04T14:00").reason("垃圾未清运"),
             "handling")});
    const CaseRecord r = e.get(id);
    CHECK(r.counter("rework") == 1);
    // 100 of 240 working minutes were used before the feedback; 140 remain from 14:00.
    CHECK(clock_of(r, "handle")->used == 100 * 60);
    CHECK(clock_of(r, "handle")->deadline == at("2024-03-04T16:20"));
    CHECK(clock_of(r, "check")->run == ClockRun::idle);
    CHECK(clock_of(r, "check")->used == 60 * 60);
}

TEST_CASE("cases.side_paths.supervision_sets_a_flag_that_stays") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    walk(e, id,
         {no(Cmd(Command::supervise, "P0006", "2024-03-04T10:00"), ErrorCode::invalid_argument,
             {"supervise: field 'reason' is required"}),
          no(Cmd(Command::supervise, "P0002", "2024-03-04T10:00").reason("群众反映强烈"),
             ErrorCode::permission_denied, {"township_grid_leader", "grid_instructor"}),
          ok(Cmd(Command::supervise, "P0006", "2024-03-04T10:00").reason("群众反映强烈"),
             "handling")});
    CHECK(e.get(id).has_flag("supervised"));
    e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg"));
    CHECK(e.get(id).flags == std::vector<std::string>{"supervised"});
    CHECK(e.count(CaseFilter{}) == 1);
    CaseFilter supervised;
    supervised.flag = "supervised";
    CHECK(e.select(supervised) == std::vector<CaseId>{id});
}

TEST_CASE("cases.side_paths.self_handling_needs_evidence") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = e.report(new_case(t.q1, "E0104", "P0001", "2024-03-04T09:00"));
    walk(e, id,
         {no(Cmd(Command::self_handle, "P0001", "2024-03-04T09:05"), ErrorCode::invalid_argument,
             {"self_handle: field 'evidence' is required"}),
          no(Cmd(Command::self_handle, "P0003", "2024-03-04T09:05").evidence("a.jpg"),
             ErrorCode::permission_denied, {"\"P0003\"", "grid_information_officer"}),
          ok(Cmd(Command::self_handle, "P0001", "2024-03-04T09:05").evidence("现场照片.jpg"),
             "checking")});
    const CaseRecord r = e.get(id);
    CHECK(r.has_flag("self_handled"));
    CHECK(clock_of(r, "dispatch")->run == ClockRun::idle);
    CHECK(clock_of(r, "check")->run == ClockRun::counting);
}

TEST_CASE("cases.side_paths.escalation_climbs_one_tier_at_a_time") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    walk(e, id,
         {no(Cmd(Command::escalate, "P0005", "2024-03-04T10:00"), ErrorCode::invalid_argument,
             {"escalate: field 'reason' is required"}),
          ok(Cmd(Command::escalate, "P0005", "2024-03-04T10:00").reason("需村协调"), "handling")});
    CHECK(e.get(id).tier == 1);
    CHECK(e.get(id).handling_node == t.qingshi);
    e.fire(id, Cmd(Command::escalate, "P0004", "2024-03-04T10:10").reason("需镇协调"));
    CHECK(e.get(id).handling_node == t.town);
    e.fire(id, Cmd(Command::escalate, "", "2024-03-04T10:20").reason("需县协调").by_system());
    const CaseRecord r = e.get(id);
    CHECK(r.tier == 3);
    CHECK(r.handling_node == t.county);
    CHECK(r.counter("escalations") == 3);
    walk(e, id,
         {no(Cmd(Command::escalate, "P0005", "2024-03-04T10:30").reason("再上报"),
             ErrorCode::invalid_state, {r.number, "tier 3", "highest tier"})});
    CHECK(e.events(id).back().payload.find("\"tier\":3") != std::string::npos);
}

// ---- ratings and the callback ------------------------------------------------------------

TEST_CASE("cases.ratings.an_unsatisfied_callback_reopens_the_hotline_order") {
    Township t;
    CaseEngine& e = t.engine;
    NewCase call = new_case(t.q2, "E0102", "P0013", "2024-03-04T09:00", "", "12345");
    call.reporter = "C-13812345678";
    const CaseId id = e.report(call);
    walk_hotline_to_callback(e, id);
    walk(e, id,
         {no(Cmd(Command::callback, "P0013", "2024-03-04T14:00"), ErrorCode::invalid_argument,
             {"callback: field 'rating' is required"}),
          ok(Cmd(Command::callback, "P0013", "2024-03-04T14:00").rating(Satisfaction::unsatisfied),
             "handling")});
    CaseRecord r = e.get(id);
    CHECK(r.counter("reopened") == 1);
    CHECK(r.rating->level == Satisfaction::unsatisfied);
    CHECK_FALSE(r.closed_at);
    // The reopened order gets the whole handling time again from the callback.
    const CaseClock* handle = clock_of(r, "handle");
    CHECK(handle->start == at("2024-03-04T14:00"));
    CHECK(handle->used == 0);
    CHECK(handle->deadline == at("2024-03-05T09:00"));
    walk(e, id,
         {ok(Cmd(Command::feedback, "P0005", "2024-03-05T09:00").reason("已彻底清理"), "replied"),
          ok(Cmd(Command::check_pass, "P0010", "2024-03-05T09:30"), "callback_pending"),
          ok(Cmd(Command::callback, "", "2024-03-05T10:00")
                 .by_system()
                 .rating(Satisfaction::satisfied),
             "closed"),
          no(Cmd(Command::rate, "P0013", "2024-03-05T10:30").rating(Satisfaction::satisfied),
             ErrorCode::permission_denied, {"being the reporter"})});
    CaseCommand citizen = Cmd(Command::rate, "C-13812345678", "2024-03-05T10:30");
    citizen.rating = Rating::from_score(5);
    e.fire(id, citizen);
    r = e.get(id);
    CHECK(r.state == "closed");
    CHECK(r.closed_at == at("2024-03-05T10:00"));
    CHECK(r.rating->level == Satisfaction::satisfied);
    CHECK(r.rating->score == 5);
    CHECK(e.events(id).back().payload == "{\"rating\":{\"level\":\"satisfied\",\"score\":5}}");
}

// ---- clocks and deadlines ----------------------------------------------------------------

TEST_CASE("cases.clocks.pause_reset_and_continue_per_transition") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId v1 = to_handling(e, t.q1);

    // Version 2 of the six-step loop restarts the handling clock on rework.
    WorkflowSpec v2 = WorkflowSpec::preset("township_six_step");
    v2.version = 2;
    for (TransitionSpec& tr : v2.transitions) {
        if (tr.command == Command::check_fail)
            tr.clock = ClockEffect::reset;
    }
    e.add_workflow(v2);
    CHECK(e.workflows().versions("township_six_step") == std::vector<int>{1, 2});
    const CaseId reset = to_handling(e, t.q2);
    CHECK(e.get(v1).workflow_version == 1);
    CHECK(e.get(reset).workflow_version == 2);

    for (CaseId id : {v1, reset}) {
        e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg"));
        e.fire(id, Cmd(Command::check_fail, "P0004", "2024-03-04T14:00").reason("返工"));
    }
    SUBCASE("continue: the time already used still counts") {
        const CaseRecord r = e.get(v1);
        const CaseClock* c = clock_of(r, "handle");
        CHECK(c->start == at("2024-03-04T09:20"));
        CHECK(c->used == 100 * 60);
        CHECK(c->deadline == at("2024-03-04T16:20"));
    }
    SUBCASE("reset: a fresh clock with the whole limit") {
        const CaseRecord r = e.get(reset);
        const CaseClock* c = clock_of(r, "handle");
        CHECK(c->start == at("2024-03-04T14:00"));
        CHECK(c->used == 0);
        CHECK(c->deadline == at("2024-03-05T09:00"));
        const std::vector<CaseEvent> ev = e.events(reset);
        CHECK(ev.back().payload.find("\"clocks\":[{\"stage\":\"handle\",\"limit\":{\"value\":4,"
                                     "\"unit\":\"working_hours\"}}]") != std::string::npos);
    }
    SUBCASE("pause: a suspended clock is not counting, and no other clock is") {
        e.fire(v1, Cmd(Command::suspend, "P0002", "2024-03-04T15:00").reason("待材料"));
        const CaseRecord r = e.get(v1);
        for (const CaseClock& c : r.clocks)
            CHECK(c.run != ClockRun::counting);
        CHECK(clock_of(r, "handle")->used == 160 * 60);
    }
}

TEST_CASE("cases.deadlines.run_across_the_national_day_holiday") {
    Township t;
    CaseEngine& e = t.engine;
    // 2024-09-30 is a Monday; 10-01 to 10-07 are off, 10-12 (a Saturday) is a working day.
    const CaseId id = e.report(new_case(t.q1, "E0102", "P0001", "2024-09-30T15:00"));
    CHECK(clock_of(e.get(id), "dispatch")->deadline == at("2024-10-08T15:00"));
    e.fire(id, Cmd(Command::file, "P0002", "2024-09-30T15:05"));
    e.fire(id, Cmd(Command::dispatch, "P0002", "2024-09-30T15:10").department("D-HW-QS"));
    const CaseRecord handle_record = e.get(id);
    const CaseClock* handle = clock_of(handle_record, "handle");
    CHECK(handle->deadline == at("2024-10-08T10:10"));
    CHECK_FALSE(handle->assumed);

    SUBCASE("a natural-time category ignores the holiday") {
        const CaseId pipe = e.report(new_case(t.q2, "E0401", "P0002", "2024-09-30T16:00"));
        e.fire(pipe, Cmd(Command::file, "P0002", "2024-09-30T16:05"));
        e.fire(pipe, Cmd(Command::dispatch, "P0002", "2024-09-30T17:00").department("D-HW-QS"));
        const CaseRecord c_record = e.get(pipe);
        const CaseClock* c = clock_of(c_record, "handle");
        CHECK_FALSE(c->working_time);
        CHECK(c->deadline == at("2024-09-30T19:00"));
    }
    SUBCASE("the lights turn by working time") {
        CHECK(e.clock_status(id, at("2024-10-05T12:00"))->light == Light::green);
        // 80 % of 4 h = 3 h 12 min: 2 h 20 min on 09-30, 52 min on 10-08.
        CHECK(e.clock_status(id, at("2024-10-08T09:21"))->light == Light::green);
        CHECK(e.clock_status(id, at("2024-10-08T09:22"))->light == Light::yellow);
        CHECK(e.clock_status(id, at("2024-10-08T10:09"))->light == Light::yellow);
        const auto due = e.clock_status(id, at("2024-10-08T10:10"));
        CHECK(due->light == Light::red);
        CHECK_FALSE(due->overdue);
        CHECK(e.clock_status(id, at("2024-10-08T10:11"))->overdue);
    }
    SUBCASE("a local rest day moves a running deadline") {
        e.add_calendar_overrides(
            R"({"days": [{"name": "镇防汛值守调休", "date": "2024-10-08", "isOffDay": true}]})",
            "qingshi overrides");
        CHECK(clock_of(e.get(id), "handle")->deadline == at("2024-10-09T10:10"));
        e.clear_calendar_overrides();
        CHECK(clock_of(e.get(id), "handle")->deadline == at("2024-10-08T10:10"));
    }
    SUBCASE("a year without published data is assumed and flagged") {
        const CaseId late = e.report(new_case(t.q1, "E0103", "P0001", "2026-12-30T10:00"));
        e.fire(late, Cmd(Command::file, "P0002", "2026-12-30T10:05"));
        e.fire(late, Cmd(Command::dispatch, "P0002", "2026-12-30T10:10").department("D-HW-QS"));
        const CaseRecord c_record = e.get(late);
        const CaseClock* c = clock_of(c_record, "handle");
        CHECK(c->assumed);
        // 4 working days: 12-30, 12-31, then 2027 by the weekday rule (01-01 is a Friday).
        CHECK(c->deadline == at("2027-01-05T10:10"));
    }
}

// ---- routing -----------------------------------------------------------------------------

TEST_CASE("cases.routing.a_dispatch_without_department_asks_the_routing_table") {
    Township t;
    CaseEngine& e = t.engine;
    const auto dispatch = [&](const std::string& category, NodeId where) {
        const CaseId id = e.report(new_case(where, category, "P0002", "2024-03-04T09:00"));
        e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
        e.fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20"));
        return id;
    };
    SUBCASE("by the category's department kind") {
        const CaseId id = dispatch("E0102", t.q1);
        CHECK(e.get(id).department == "D-HW-QS");
        CHECK(e.get(id).route_node == t.town);
        CHECK(e.events(id).back().payload ==
              "{\"department\":\"D-HW-QS\",\"route\":\"category\",\"route_node\":\"371338101\","
              "\"clocks\":[{\"stage\":\"handle\",\"limit\":{\"value\":4,\"unit\":\"working_hours\"}"
              "}]}");
        e.fire(id, Cmd(Command::accept, "P0005", "2024-03-04T09:30"));
    }
    SUBCASE("territorial management when no department of the kind serves the node") {
        const CaseId id = dispatch("G0201", t.d1);
        CHECK(e.get(id).department == "D-ZZ-QS");
        CHECK(e.events(id).back().payload.find("\"route\":\"territorial\"") != std::string::npos);
        CHECK_THROWS_WITH_AS(e.fire(id, Cmd(Command::accept, "P0005", "2024-03-04T09:30")),
                             doctest::Contains("membership of the assigned department"), Error);
        e.fire(id, Cmd(Command::accept, "P0008", "2024-03-04T09:30"));
    }
    SUBCASE("an explicit rule wins") {
        RoutingTable table;
        table.rules.push_back({"G02", "371338101002", "D-TJ-QS", "东岭村安全隐患由调委会牵头", ""});
        e.set_routing(table);
        const CaseId id = dispatch("G0201", t.d1);
        CHECK(e.get(id).department == "D-TJ-QS");
        CHECK(e.events(id).back().payload.find("\"route\":\"rule\"") != std::string::npos);
    }
    SUBCASE("a named department must exist") {
        const CaseId id = e.report(new_case(t.q1, "E0102", "P0002", "2024-03-04T09:00"));
        e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
        CHECK_THROWS_WITH_AS(
            e.fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20").department("D-XX")),
            doctest::Contains("unknown department \"D-XX\""), Error);
        CHECK(e.state(id) == "filed");
    }
}

TEST_CASE("cases.routing.overlay_rules_route_through_the_engine_overlays") {
    Hierarchy h;
    h.add_all(township_nodes());
    Directory dir(township_catalogue());
    dir.add_people(township_people());
    dir.add_assignments(h, township_posts(h));
    std::vector<Overlay> overlays;
    overlays.emplace_back("fire", "消防网格", fire_safety_levels());
    CaseEngine e(h, dir, overlays);
    CHECK(e.networks().overlays().size() == 1);
    DepartmentCatalogue departments = township_departments();
    departments.departments.push_back(
        {"D-XF-M1", "fire_station", "青石村微型消防站", "", "fire:M1", {"P0005"}});
    e.set_departments(departments);
    RoutingTable table;
    table.rules.push_back({"G0201", "", "", "消防安全隐患进消防网格", "fire"});
    e.set_routing(table);
    const auto dispatch = [&](NodeId where) {
        const CaseId id = e.report(new_case(where, "G0201", "P0002", "2024-03-04T09:00"));
        e.fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
        e.fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20"));
        return id;
    };
    const NodeId q1 = h.at("371338101001001");
    // No fire grid covers 青石村 yet: territorial management.
    const CaseId before = dispatch(q1);
    CHECK(e.get(before).department == "D-ZZ-QS");
    // A unit added later is seen by the next dispatch.
    overlays[0].add_unit({"M1", "", "青石村消防中网格", "medium", {"371338101001"}}, h);
    const CaseId after = dispatch(q1);
    CHECK(e.get(after).department == "D-XF-M1");
    CHECK(e.get(after).route_node == no_node);
    CHECK(e.events(after).back().payload.find(
              "\"department\":\"D-XF-M1\",\"route\":\"rule\",\"route_node\":\"\"") !=
          std::string::npos);
}

// ---- ticks -------------------------------------------------------------------------------

TEST_CASE("cases.tick.turns_lights_and_records_breaches_with_escalation") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);  // handling deadline 2024-03-04T15:20

    TickReport r = e.tick(at("2024-03-04T14:00"));
    CHECK(r.lights.empty());
    CHECK(r.breaches.empty());
    r = e.tick(at("2024-03-04T14:40"));
    REQUIRE(r.lights.size() == 1);
    CHECK(r.lights[0].case_id == id);
    CHECK(r.lights[0].stage == "handle");
    CHECK(r.lights[0].from == Light::green);
    CHECK(r.lights[0].to == Light::yellow);
    CHECK(e.tick(at("2024-03-04T14:40")).lights.empty());
    // At the deadline itself the clock is red but not yet overdue.
    r = e.tick(at("2024-03-04T15:20"));
    CHECK(r.lights.size() == 1);
    CHECK(r.breaches.empty());

    const EventSeq before = e.last_sequence();
    r = e.tick(at("2024-03-04T15:21"));
    REQUIRE(r.breaches.size() == 1);
    CHECK(r.breaches[0] == before + 1);
    CHECK(r.escalations == 1);
    const CaseRecord c = e.get(id);
    CHECK(c.breached);
    CHECK(c.breaches == 1);
    CHECK(c.tier == 1);
    CHECK(c.handling_node == t.qingshi);
    CHECK(clock_of(c, "handle")->breached);
    const CaseEvent breach = e.events(id).back();
    CHECK(breach.kind == EventKind::breach);
    CHECK(breach.type == "breach");
    CHECK(breach.system);
    CHECK(breach.at == at("2024-03-04T15:20"));
    CHECK(breach.from_state == "handling");
    CHECK(breach.to_state == "handling");
    CHECK(breach.payload ==
          "{\"stage\":\"handle\",\"deadline\":\"2024-03-04T15:20:00+08:00\",\"flag\":true,"
          "\"escalated\":true,\"tier\":1,\"notify\":[\"village_grid_leader\"]}");

    SUBCASE("ticking again changes nothing") {
        const TickReport again = e.tick(at("2024-03-04T15:21"));
        CHECK(again.lights.empty());
        CHECK(again.breaches.empty());
        CHECK(e.tick(at("2024-03-06T09:00")).breaches.empty());
        CHECK(e.last_sequence() == before + 1);
    }
    SUBCASE("an extension gives the clock a new deadline that can run out again") {
        e.fire(id, Cmd(Command::request_extension, "P0005", "2024-03-04T15:30")
                       .reason("需调车辆")
                       .amount(TimeLimit::working_hours(1)));
        e.fire(id, Cmd(Command::approve_extension, "P0002", "2024-03-04T15:40")
                       .amount(TimeLimit::working_hours(1)));
        CHECK(clock_of(e.get(id), "handle")->deadline == at("2024-03-04T16:20"));
        CHECK_FALSE(clock_of(e.get(id), "handle")->breached);
        r = e.tick(at("2024-03-04T17:00"));
        CHECK(r.breaches.size() == 1);
        CHECK(e.get(id).tier == 2);
        CHECK(e.get(id).breaches == 2);
    }
    SUBCASE("a breach in a state without escalation only flags") {
        const CaseId other = e.report(new_case(t.q2, "E0102", "P0002", "2024-03-04T09:00"));
        r = e.tick(at("2024-03-05T09:01"));
        REQUIRE(r.breaches.size() == 1);
        CHECK(r.escalations == 0);
        CHECK(e.get(other).breached);
        CHECK(e.get(other).tier == 0);
    }
}

TEST_CASE("cases.tick.a_command_after_a_missed_deadline_records_the_breach_first") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    const EventSeq seq =
        e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-05T10:00").evidence("a.jpg"));
    const std::vector<CaseEvent> ev = e.events(id);
    REQUIRE(ev.size() == 6);
    CHECK(ev[4].type == "breach");
    CHECK(ev[4].at == at("2024-03-04T15:20"));
    CHECK(ev[5].type == "feedback");
    CHECK(ev[5].sequence == seq);
    CHECK(e.get(id).breached);
    CHECK(e.get(id).tier == 1);
    CHECK(e.tick(at("2024-03-06T10:00")).breaches.empty());

    SUBCASE("a refused late command takes its breach with it") {
        const CaseId other = to_handling(e, t.q2);
        const EventSeq last = e.last_sequence();
        CHECK_THROWS_AS(e.fire(other, Cmd(Command::feedback, "P0005", "2024-03-05T10:00")), Error);
        CHECK(e.last_sequence() == last);
        CHECK_FALSE(e.get(other).breached);
        CHECK(e.tick(at("2024-03-05T10:00")).breaches.size() == 1);
    }
}

// ---- the event log -----------------------------------------------------------------------

namespace {

// Three cases of the township in the order the tampering tests count on:
// case 1: events 1-4, 9-11; case 2: events 5-8; case 3: events 12-13.
void three_cases(CaseEngine& e, NodeId q1, NodeId q2, NodeId d1) {
    const CaseId a = to_handling(e, q1);
    to_handling(e, q2);
    e.fire(a, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo-0301.jpg"));
    e.fire(a, Cmd(Command::check_pass, "P0004", "2024-03-04T14:00"));
    e.fire(a, Cmd(Command::close, "P0002", "2024-03-04T14:30"));
    const CaseId c = e.report(new_case(d1, "G0101", "P0002", "2024-03-04T15:00"));
    e.fire(c, Cmd(Command::void_case, "P0002", "2024-03-04T15:10").reason("当事人已和解"));
}

// The township's workspace in `file` with the three cases above, its log verified.
Workspace three_cases_in_file(const std::string& file) {
    Workspace ws = Workspace::open(file);
    populate(ws);
    const Hierarchy& h = ws.hierarchy().view();
    three_cases(ws.cases(), h.at("371338101001001"), h.at("371338101001002"),
                h.at("371338101002001"));
    REQUIRE(ws.cases().verify_log().ok);
    return ws;
}

}  // namespace

TEST_CASE("cases.log.every_event_is_chained_to_the_one_before") {
    Township t;
    three_cases(t.engine, t.q1, t.q2, t.d1);
    const std::vector<CaseEvent> all = t.engine.events_between(1, 100);
    REQUIRE(all.size() == 13);
    CHECK(all[0].previous_hash == std::array<std::uint8_t, 32>{});
    for (std::size_t i = 1; i < all.size(); ++i) {
        CHECK(all[i].sequence == i + 1);
        CHECK(all[i].previous_hash == all[i - 1].hash);
        CHECK(all[i].hash != all[i - 1].hash);
    }
    CHECK(all[8].case_number == "2024-000001");
    CHECK(all[8].case_sequence == 5);
    CHECK(all[8].type == "feedback");
    CHECK(all[8].from_state == "handling");
    CHECK(all[8].to_state == "checking");
    CHECK(all[8].actor == "P0005");
    CHECK(all[8].payload ==
          "{\"evidence\":[\"photo-0301.jpg\"],\"clocks\":[{\"stage\":\"check\",\"limit\":{"
          "\"value\":1,\"unit\":\"working_days\"}}]}");
    CHECK(hash_hex(all[12].hash).size() == 64);
    CHECK(t.engine.head().hash == all[12].hash);
    const LogVerification v = t.engine.verify_log();
    CHECK(v.ok);
    CHECK(v.events_checked == 13);
    CHECK(v.problem == LogProblem::none);
    const LogAnchor anchor = t.engine.head();
    CHECK(t.engine.verify_log(&anchor).ok);
}

TEST_CASE("cases.log.tampering_through_another_connection_is_named" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = three_cases_in_file(file);
    {
        // The stored events chain as the engine's head says.
        const std::vector<CaseEvent> stored = ws.cases().events_between(1, 100);
        REQUIRE(stored.size() == 13);
        CHECK(stored.front().previous_hash == std::array<std::uint8_t, 32>{});
        for (std::size_t i = 1; i < stored.size(); ++i)
            CHECK(stored[i].previous_hash == stored[i - 1].hash);
        CHECK(stored.back().hash == ws.cases().head().hash);
        CHECK(ws.cases().events(stored[8].case_id).at(4) == stored[8]);
    }
    RawDb raw(file);
    // A new workspace gives the names its events use most the first ids (one byte a use).
    CHECK(raw.integer("SELECT max(id) FROM case_names WHERE name IN ('stage', 'clocks', 'unit', "
                      "'number', 'route_node', 'working_days', 'grid_worker', 'reported', "
                      "'handling')") < 128);
    CHECK(raw.integer("SELECT count(*) FROM case_names WHERE name IN ('stage', 'clocks', 'unit', "
                      "'number', 'route_node', 'working_days', 'grid_worker', 'reported', "
                      "'handling')") == 9);
    const auto expect = [&](LogProblem problem, EventSeq seq, const std::string& number,
                            const std::string& words) {
        const LogVerification v = ws.cases().verify_log();
        INFO(v.message);
        CHECK_FALSE(v.ok);
        CHECK(v.problem == problem);
        CHECK(v.sequence == seq);
        CHECK(v.case_number == number);
        CHECK(v.message.find(words) != std::string::npos);
    };

    SUBCASE("an edited payload") {
        edit_payload(raw, 9, "photo-0301", "photo-0302");
        expect(LogProblem::content_changed, 9, "2024-000001",
               "event 9 (case 2024-000001): the stored hash does not match");
    }
    SUBCASE("an edited instant") {
        raw.exec("UPDATE case_events SET at = at - 3600 WHERE seq = 10");
        expect(LogProblem::content_changed, 10, "2024-000001", "event 10");
    }
    SUBCASE("a deleted event") {
        raw.exec("DELETE FROM case_events WHERE seq = 7");
        expect(LogProblem::missing, 7, "", "event 7 is missing: event 8 (case 2024-000002)");
    }
    SUBCASE("an inserted event") {
        // Make room at 6 and copy event 3 there, as a forger with SQL would.
        raw.exec("UPDATE case_events SET seq = seq + 1000 WHERE seq >= 6");
        raw.exec("UPDATE case_events SET seq = seq - 999 WHERE seq > 1000");
        raw.exec(
            "INSERT INTO case_events SELECT 6, case_id, case_seq, type, transition, "
            "from_state, to_state, actor, system, at, payload, hash, back FROM case_events "
            "WHERE seq = 3");
        expect(LogProblem::content_changed, 6, "2024-000001", "event 6");
    }
    SUBCASE("two swapped events") {
        raw.exec("UPDATE case_events SET seq = 1000 WHERE seq = 4");
        raw.exec("UPDATE case_events SET seq = 4 WHERE seq = 5");
        raw.exec("UPDATE case_events SET seq = 5 WHERE seq = 1000");
        expect(LogProblem::content_changed, 4, "2024-000002", "event 4 (case 2024-000002)");
    }
    SUBCASE("a case's link to its event before, cut or moved") {
        // The link is no part of the hash: the events are intact, the case's history is not.
        SUBCASE("cut") {
            raw.exec("UPDATE case_events SET back = NULL WHERE seq = 9");
            expect(LogProblem::case_sequence, 9, "2024-000001",
                   "event 9 (case 2024-000001) links to no event as the case's event before it");
        }
        SUBCASE("to another case's event") {
            raw.exec("UPDATE case_events SET back = 1 WHERE seq = 9");
            expect(LogProblem::case_sequence, 9, "2024-000001",
                   "links to event 8 as the case's event before it, but that is event 4");
        }
        SUBCASE("to a case's first event") {
            raw.exec("UPDATE case_events SET back = 1 WHERE seq = 5");
            expect(LogProblem::case_sequence, 5, "2024-000002",
                   "event 5 (case 2024-000002) links to event 4 as the case's event before "
                   "it, but that is none");
        }
        if (!raw.postgresql()) {
            SUBCASE("holding no sequence (SQLite keeps any value)") {
                raw.exec("UPDATE case_events SET back = 'x' WHERE seq = 9");
                expect(LogProblem::case_sequence, 9, "2024-000001", "links to no stored event");
            }
        }
    }
    SUBCASE("the last event cut off") {
        raw.exec("DELETE FROM case_events WHERE seq = 13");
        expect(LogProblem::head_mismatch, 13, "", "events were removed");
    }
    SUBCASE("a cut the engine cannot see is caught by a recorded anchor") {
        const LogAnchor anchor = ws.cases().head();
        ws = Workspace::open(dir.file("other.gridgov"));
        raw.exec("DELETE FROM case_events WHERE seq = 13");
        raw.exec(
            "UPDATE cases SET events = 1, last_event = 12, state = (SELECT id FROM case_names "
            "WHERE name = 'reported') WHERE id = 2");
        ws = Workspace::open(file);
        CHECK(ws.cases().verify_log().ok);
        const LogVerification v = ws.cases().verify_log(&anchor);
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::head_mismatch);
        CHECK(v.message.find("the anchor records event 13") != std::string::npos);
    }
}

TEST_CASE("cases.log.a_long_stored_log_names_its_first_bad_event_across_batches" *
          doctest::test_suite("store")) {
    // The rows are read in batches of 2,048 by one thread and checked by another: the first
    // bad event is named wherever it falls, also when a later batch is bad too.
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    const NodeId grid = ws.hierarchy().view().at("371338101001001");
    ws.cases().batch([&] {
        for (int i = 0; i < 1300; ++i)
            to_handling(ws.cases(), grid);
    });
    const EventSeq total = ws.cases().last_sequence();
    REQUIRE(total == 5200);
    const LogVerification fine = ws.cases().verify_log();
    CHECK(fine.ok);
    CHECK(fine.events_checked == total);
    RawDb raw(file);
    SUBCASE("two edited events") {
        raw.exec("UPDATE case_events SET at = at - 60 WHERE seq IN (3001, 5100)");
        const LogVerification v = ws.cases().verify_log();
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::content_changed);
        CHECK(v.sequence == 3001);
        CHECK(v.events_checked == 3000);
    }
    SUBCASE("an unreadable column after an edited event") {
        raw.exec("UPDATE case_events SET at = at - 60 WHERE seq = 4097");
        raw.exec("UPDATE case_events SET hash = 'x' WHERE seq = 4098");
        const LogVerification v = ws.cases().verify_log();
        CHECK(v.sequence == 4097);
        CHECK(v.problem == LogProblem::content_changed);
    }
    SUBCASE("a removed event at the end of a batch") {
        raw.exec("DELETE FROM case_events WHERE seq = 2048");
        const LogVerification v = ws.cases().verify_log();
        CHECK(v.problem == LogProblem::missing);
        CHECK(v.sequence == 2048);
    }
}

TEST_CASE("cases.log.every_stored_column_is_covered_exactly_as_stored") {
    // SQLite only: its columns hold a value of any type, which is what the forger below uses.
    // PostgreSQL's typed columns refuse each of these edits before the log could see them.
    // Each edit below narrows to the bytes the original value hashes to (the transition in
    // 16 bits, the case id and case sequence in 32, the flag and the integers read as
    // integers), so a hash over the narrowed value alone would still match.
    TempDir dir;
    const std::string file = dir.file("qingshi.gridgov");
    Workspace ws = three_cases_in_file(file);
    const CaseEvent before = ws.cases().events_between(9, 10).at(0);
    REQUIRE(before.transition >= 0);
    {
        // The CHECK constraint keeps `system` to 0 and 1; a forger who drops it is caught
        // too (a connection reads the schema when it opens).
        RawDb forger(file);
        forger.exec("PRAGMA writable_schema = ON");
        forger.exec(
            "UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (system IN (0, 1))', '') "
            "WHERE name = 'case_events'");
        forger.exec("PRAGMA writable_schema = OFF");
    }
    RawDb raw(file);
    const auto caught = [&](const std::string& sql, const std::string& column) {
        raw.exec("CREATE TEMP TABLE kept AS SELECT * FROM case_events WHERE seq = 9");
        raw.exec(sql);
        const LogVerification v = ws.cases().verify_log();
        INFO(sql << " -> " << v.message);
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::content_changed);
        CHECK(v.sequence == 9);
        CHECK(v.message.find("column '" + column + "'") != std::string::npos);
        // The API does not hand out the edited value either.
        CHECK_THROWS_WITH_AS(ws.cases().events_between(9, 10), doctest::Contains(column.c_str()),
                             Error);
        raw.exec("DELETE FROM case_events WHERE seq = 9");
        raw.exec("INSERT INTO case_events SELECT * FROM kept");
        raw.exec("DROP TABLE kept");
        const LogVerification restored = ws.cases().verify_log();
        INFO("restored: " << restored.message);
        CHECK(restored.ok);
    };
    caught("UPDATE case_events SET transition = transition + 65536 WHERE seq = 9", "transition");
    caught("UPDATE case_events SET transition = transition - 65536 WHERE seq = 9", "transition");
    caught("UPDATE case_events SET transition = transition + 4294967296 WHERE seq = 9",
           "transition");
    caught("UPDATE case_events SET case_id = case_id + 4294967296 WHERE seq = 9", "case_id");
    caught("UPDATE case_events SET case_seq = case_seq + 4294967296 WHERE seq = 9", "case_seq");
    caught("UPDATE case_events SET at = at + 0.25 WHERE seq = 9", "at");
    caught("UPDATE case_events SET payload = CAST(payload AS TEXT) WHERE seq = 9", "payload");
    caught("UPDATE case_events SET payload = x'09' || payload WHERE seq = 9", "payload");
    caught("UPDATE case_events SET payload = x'01' WHERE seq = 9", "payload");
    caught("UPDATE case_events SET actor = 'P0005' WHERE seq = 9", "actor");
    caught("UPDATE case_events SET actor = actor + 4294967296 WHERE seq = 9", "actor");
    caught("UPDATE case_events SET actor = (SELECT max(id) + 1 FROM case_names) WHERE seq = 9",
           "actor");
    caught("UPDATE case_events SET type = type + 0.5 WHERE seq = 9", "type");
    caught("UPDATE case_events SET type = 40 WHERE seq = 9", "type");
    caught("UPDATE case_events SET type = type + 256 WHERE seq = 9", "type");
    caught("UPDATE case_events SET from_state = CAST(from_state AS BLOB) WHERE seq = 9",
           "from_state");
    caught("UPDATE case_events SET to_state = -1 WHERE seq = 9", "to_state");
    caught("UPDATE case_events SET hash = CAST(hash AS TEXT) WHERE seq = 9", "hash");
    caught("UPDATE case_events SET system = system + 2 WHERE seq = 9", "system");
    // A breach event has no transition (-1); any other negative is refused.
    REQUIRE_FALSE(ws.cases().tick(at("2024-04-30T09:00")).breaches.empty());
    EventSeq breach = 0;
    for (const CaseEvent& e : ws.cases().events_between(1, 100)) {
        if (e.kind == EventKind::breach)
            breach = e.sequence;
    }
    REQUIRE(breach > 13);
    REQUIRE(ws.cases().events_between(breach, breach + 1).at(0).transition == -1);
    const std::string at_breach = " WHERE seq = " + std::to_string(breach);
    raw.exec("UPDATE case_events SET transition = -2" + at_breach);
    const LogVerification v = ws.cases().verify_log();
    CHECK_FALSE(v.ok);
    CHECK(v.sequence == breach);
    CHECK(v.message.find("column 'transition' holds -2, outside -1..32767") != std::string::npos);
    raw.exec("UPDATE case_events SET transition = -1" + at_breach);
    CHECK(ws.cases().verify_log().ok);
    CHECK(ws.cases().events_between(9, 10).at(0) == before);
}

TEST_CASE("cases.log.an_anchor_reports_the_events_after_it" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    const Hierarchy& h = ws.hierarchy().view();
    const CaseId a = to_handling(ws.cases(), h.at("371338101001001"));
    const LogAnchor anchor = ws.cases().head();
    REQUIRE(anchor.sequence == 4);
    LogVerification v = ws.cases().verify_log(&anchor);
    CHECK(v.ok);
    CHECK(v.events_after_anchor == 0);
    ws.cases().fire(a,
                    Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo-0301.jpg"));
    ws.cases().fire(a, Cmd(Command::check_pass, "P0004", "2024-03-04T14:00"));
    v = ws.cases().verify_log(&anchor);
    CHECK(v.ok);                        // the anchor vouches for its prefix only ...
    CHECK(v.events_after_anchor == 2);  // ... and says how much came after it
    CHECK(v.events_checked == 6);
    CHECK(ws.cases().verify_log().events_after_anchor == 0);
}

TEST_CASE("cases.log.a_signed_off_checkpoint_lets_routine_checks_read_only_what_follows" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = three_cases_in_file(file);
    const Hierarchy& h = ws.hierarchy().view();
    RawDb raw(file);

    // No checkpoint yet: the routine check is the whole log.
    LogVerification v = ws.cases().verify_log_since_checkpoint();
    CHECK(v.ok);
    CHECK(v.checked_from == 0);
    CHECK(v.events_checked == 13);

    v = ws.cases().sign_off_log("审计员 P0001", Instant::parse("2024-03-05T09:00"));
    REQUIRE(v.ok);
    REQUIRE(v.checkpoint.has_value());
    CHECK(v.checkpoint->sequence == 13);
    CHECK(v.checkpoint->hash == ws.cases().head().hash);
    CHECK(v.checkpoint->cases == 3);
    CHECK(v.checkpoint->full);
    CHECK(v.checkpoint->events_checked == 13);

    // Work after the checkpoint: a case it counted goes on (its handling clock ran out
    // overnight: a breach, then the feedback), a new one starts (four events).
    ws.cases().fire(1, Cmd(Command::feedback, "P0005", "2024-03-05T10:00").evidence("p.jpg"));
    to_handling(ws.cases(), h.at("371338101001001"));
    v = ws.cases().verify_log_since_checkpoint();
    INFO(v.message);
    CHECK(v.ok);
    CHECK(v.checked_from == 13);
    CHECK(v.events_checked == 6);

    // Reopened, the checkpoint is still there; a second sign-off checks only what followed.
    ws = Workspace::open(file);
    REQUIRE(ws.cases().log_checkpoints().size() == 1);
    CHECK(ws.cases().log_checkpoints()[0].signed_by == "审计员 P0001");
    CHECK(ws.cases().log_checkpoints()[0].signed_at == Instant::parse("2024-03-05T09:00"));

    SUBCASE("a second sign-off reads only the events after the first") {
        v = ws.cases().sign_off_log("P0001", Instant::parse("2024-03-06T09:00"));
        REQUIRE(v.checkpoint.has_value());
        CHECK(v.checked_from == 13);
        CHECK_FALSE(v.checkpoint->full);
        CHECK(v.checkpoint->events_checked == 6);
        CHECK(v.checkpoint->sequence == 19);
        CHECK(ws.cases().log_checkpoints().size() == 2);
        CHECK(ws.cases().verify_log_since_checkpoint().events_checked == 0);
        // full = true checks everything again
        v = ws.cases().sign_off_log("P0001", Instant::parse("2024-03-06T10:00"), true);
        CHECK(v.checkpoint->full);
        CHECK(v.events_checked == 19);
    }
    SUBCASE("an edit before the checkpoint is left to the full check") {
        edit_payload(raw, 9, "photo-0301", "photo-0302");
        CHECK(ws.cases().verify_log_since_checkpoint().ok);
        v = ws.cases().verify_log();
        CHECK_FALSE(v.ok);
        CHECK(v.sequence == 9);
    }
    SUBCASE("the checkpoint's own event rewritten") {
        raw.exec(
            "UPDATE case_events SET hash = (SELECT hash FROM case_events WHERE seq = 12) "
            "WHERE seq = 13");
        v = ws.cases().verify_log_since_checkpoint();
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::checkpoint_mismatch);
        CHECK(v.sequence == 13);
        CHECK(v.message.find("signed off at 2024-03-05T09:00") != std::string::npos);
        // a sign-off of a broken log records nothing
        v = ws.cases().sign_off_log("P0001", Instant::parse("2024-03-06T09:00"));
        CHECK_FALSE(v.ok);
        CHECK_FALSE(v.checkpoint.has_value());
        CHECK(ws.cases().log_checkpoints().size() == 1);
    }
    SUBCASE("an edit after the checkpoint is found") {
        raw.exec("UPDATE case_events SET at = at - 60 WHERE seq = 15");
        v = ws.cases().verify_log_since_checkpoint();
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::content_changed);
        CHECK(v.sequence == 15);
    }
    SUBCASE("a deleted event after the checkpoint is found") {
        raw.exec("DELETE FROM case_events WHERE seq = 14");
        v = ws.cases().verify_log_since_checkpoint();
        CHECK_FALSE(v.ok);
        CHECK(v.problem == LogProblem::missing);
        CHECK(v.sequence == 14);
    }
    SUBCASE("bad sign-offs are refused and record nothing") {
        CHECK_THROWS_WITH_AS(ws.cases().sign_off_log("", Instant::parse("2024-03-06T09:00")),
                             doctest::Contains("by is empty"), Error);
        CHECK_THROWS_WITH_AS(
            ws.cases().sign_off_log("P0001\nP0002", Instant::parse("2024-03-06T09:00")),
            doctest::Contains("control character"), Error);
        CHECK_THROWS_WITH_AS(ws.cases().sign_off_log("P0001", Instant::parse("2024-03-04T09:00")),
                             doctest::Contains("before the last checkpoint"), Error);
        CHECK(ws.cases().log_checkpoints().size() == 1);
        OpenOptions ro;
        ro.read_only = true;
        Workspace reader = Workspace::open(file, ro);
        CHECK_THROWS_AS(reader.cases().sign_off_log("P0001", Instant::parse("2024-03-06T09:00")),
                        Error);
    }
}

TEST_CASE("cases.log.an_engine_without_a_workspace_keeps_its_checkpoints_in_memory") {
    Township t;
    three_cases(t.engine, t.q1, t.q2, t.d1);
    const LogVerification v = t.engine.sign_off_log("P0001", Instant::parse("2024-03-05T09:00"));
    REQUIRE(v.checkpoint.has_value());
    CHECK(v.checkpoint->sequence == 13);
    to_handling(t.engine, t.q1);
    const LogVerification since = t.engine.verify_log_since_checkpoint();
    CHECK(since.ok);
    CHECK(since.checked_from == 13);
    CHECK(since.events_checked == 4);
    CHECK(t.engine.log_checkpoints().size() == 1);
    CHECK(std::string(log_problem_name(LogProblem::checkpoint_mismatch)) == "checkpoint_mismatch");
}

// ---- checkpoints auditors can verify (audit.hpp) -----------------------------------------

namespace {

// An independent RFC 9162 tree over leaf hashes, by the recursive definition.
Digest reference_root(const std::vector<Digest>& leaves, std::size_t begin, std::size_t end) {
    if (end - begin == 1)
        return leaves[begin];
    std::size_t k = 1;
    while (k * 2 < end - begin)
        k *= 2;
    return merkle::node(reference_root(leaves, begin, begin + k),
                        reference_root(leaves, begin + k, end));
}

// Leaves 0..n-1 of a made-up log, kept nodes grown as a workspace grows them.
struct TestTree : detail::tree::Source {
    std::vector<detail::Hash> event_hashes;
    std::vector<std::vector<detail::Hash>> kept;
    void events(std::uint64_t from, std::uint64_t count, detail::Hash* out) const override {
        for (std::uint64_t i = 0; i < count; ++i)
            out[i] = event_hashes.at(from + i);
    }
    void nodes(unsigned level, std::uint64_t from, std::uint64_t count,
               detail::Hash* out) const override {
        for (std::uint64_t i = 0; i < count; ++i)
            out[i] = kept.at(level / 4 - 1).at(from + i);
    }
    void append(const detail::Hash& h) {
        event_hashes.push_back(h);
        detail::tree::grow(*this, event_hashes.size() - 1, event_hashes.size(),
                           [&](unsigned level, std::uint64_t index, const detail::Hash& node) {
                               if (kept.size() < level / 4)
                                   kept.resize(level / 4);
                               REQUIRE(kept[level / 4 - 1].size() == index);
                               kept[level / 4 - 1].push_back(node);
                           });
    }
};

// `n` more one-event cases reported at `grid`, a minute apart from 2024-03-05 08:00.
void report_many(CaseEngine& e, NodeId grid, int n) {
    for (int i = 0; i < n; ++i) {
        NewCase c = new_case(grid, "E0102", "P0002", "2024-03-05T08:00");
        c.command.at = Instant{c.command.at.seconds + 60 * i};
        e.report(c);
    }
}

bool has_rule(const LogAudit& a, const std::string& rule) {
    return std::any_of(a.findings.begin(), a.findings.end(),
                       [&](const Finding& f) { return f.rule == rule; });
}

}  // namespace

TEST_CASE("audit.merkle.roots_and_proofs_follow_rfc_9162") {
    std::mt19937_64 random(9162);
    TestTree t;
    std::vector<Digest> leaves;
    // The root of no events is SHA-256 of nothing.
    CHECK(hash_hex(merkle::root({})) ==
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (std::uint64_t n = 1; n <= 300; ++n) {
        detail::Hash h;
        for (auto& b : h)
            b = static_cast<std::uint8_t>(random());
        t.append(h);
        leaves.push_back(merkle::leaf(h));
        const Digest root = detail::tree::root(t, n);
        REQUIRE(root == reference_root(leaves, 0, leaves.size()));
        CHECK(merkle::root(leaves) == root);
        if (n > 70 && n % 37 != 0)
            continue;
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::vector<Digest> path = detail::tree::inclusion(t, i, n);
            REQUIRE(merkle::verify_inclusion(i, n, leaves[i], path, root));
            CHECK_FALSE(merkle::verify_inclusion(n, n, leaves[i], path, root));
            if (n > 1) {
                CHECK_FALSE(merkle::verify_inclusion((i + 1) % n, n, leaves[i], path, root));
                std::vector<Digest> bad = path;
                bad.front()[0] ^= 1;
                CHECK_FALSE(merkle::verify_inclusion(i, n, leaves[i], bad, root));
            }
        }
        for (std::uint64_t m = 1; m <= n; ++m) {
            const std::vector<Digest> proof = detail::tree::consistency(t, m, n);
            const Digest older = reference_root(leaves, 0, m);
            REQUIRE(merkle::verify_consistency(m, n, older, root, proof));
            if (m < n) {
                Digest other = older;
                other[5] ^= 0x40;
                CHECK_FALSE(merkle::verify_consistency(m, n, other, root, proof));
                CHECK_FALSE(merkle::verify_consistency(m, n, older, other, proof));
                std::vector<Digest> bad = proof;
                bad.back()[31] ^= 1;
                CHECK_FALSE(merkle::verify_consistency(m, n, older, root, bad));
                CHECK_FALSE(merkle::verify_consistency(n, m, root, older, proof));
            }
        }
    }
    // The kept levels: 300 leaves make 18 nodes over 16 and one over 256.
    REQUIRE(t.kept.size() == 2);
    CHECK(t.kept[0].size() == 18);
    CHECK(t.kept[1].size() == 1);
    CHECK(t.kept[1][0] == reference_root(leaves, 0, 256));
}

TEST_CASE("audit.heads.a_head_reads_back_from_its_text_and_its_signature_binds_every_line") {
    const SigningKey key = SigningKey::generate();
    const SigningKey again = SigningKey::from_pem(key.private_pem());
    CHECK(again.key_id() == key.key_id());
    CHECK(public_key_id(key.public_pem()) == key.key_id());
    CHECK(key.key_id().size() == 16);

    Digest root{};
    root[0] = 0xAB;
    const TreeHead h =
        sign_tree_head(key, "苇川县 青石镇 cases", 1234, root, Instant::parse("2024-03-31T18:00"));
    const std::string text = h.to_text();
    CHECK(text.rfind("gridgov tree head v1\nlog: 苇川县 青石镇 cases\nsize: 1234\nroot: ab00", 0) ==
          0);
    CHECK(text.find("time: 2024-03-31T18:00:00+08:00\nkey: " + key.key_id() + "\nsignature: ") !=
          std::string::npos);
    CHECK(TreeHead::from_text("\r\n" + text + "\n\n") == h);
    CHECK(verify_tree_head(h, key.public_pem()).ok);

    // Any line changed: the signature no longer checks out.
    TreeHead changed = h;
    changed.size = 1233;
    AuditResult r = verify_tree_head(changed, key.public_pem());
    CHECK_FALSE(r.ok);
    CHECK(r.problem == "signature");
    changed = h;
    changed.at = Instant{h.at.seconds + 1};
    CHECK(verify_tree_head(changed, key.public_pem()).problem == "signature");
    // Another key: named as such.
    r = verify_tree_head(h, SigningKey::generate().public_pem());
    CHECK(r.problem == "key");
    CHECK(r.message.find("was signed by key " + key.key_id()) != std::string::npos);

    // Malformed texts name their line.
    const auto refused = [](const std::string& t, const std::string& words) {
        try {
            (void)TreeHead::from_text(t);
            FAIL("accepted: " << t);
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::parse_error);
            INFO(e.what());
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
    };
    refused("", "line 1: expected \"gridgov tree head v1\"");
    std::string t = text;
    refused(t.replace(t.find("size: 1234"), 10, "size: 12x4"), "line 3: size \"12x4\"");
    t = text;
    refused(t.replace(t.find("root: "), 8, "root: AB"), "line 4: root is not 64");
    t = text;
    refused(t.replace(t.find("+08:00"), 6, "+25:00"), "line 5:");
    t = text;
    refused(t.substr(0, t.find("signature:")), "a tree head has 7 lines");
    t = text;
    refused(t.replace(t.find("signature: ") + 11, 4, "!!!!"), "line 7: signature is not 64 bytes");

    // Keys: not PEM, not Ed25519, empty log names.
    CHECK_THROWS_WITH_AS(SigningKey::from_pem("not a key"),
                         doctest::Contains("no unencrypted PEM private key"), Error);
    CHECK_THROWS_WITH_AS(public_key_id(key.private_pem()), doctest::Contains("no PEM public key"),
                         Error);
    CHECK_THROWS_WITH_AS(sign_tree_head(key, "", 1, root, h.at), doctest::Contains("log"), Error);
    CHECK_THROWS_WITH_AS(sign_tree_head(key, "a\nb", 1, root, h.at), doctest::Contains("log"),
                         Error);
}

TEST_CASE("audit.engine.heads_proofs_and_the_auditors_check_in_memory") {
    Township t;
    three_cases(t.engine, t.q1, t.q2, t.d1);
    const SigningKey key = SigningKey::generate();
    const TreeHead h1 = t.engine.sign_tree_head(key, "qingshi", at("2024-03-04T18:00"));
    CHECK(h1.size == 13);
    CHECK(h1.root == t.engine.tree_root(13));
    report_many(t.engine, t.q1, 40);
    const TreeHead h2 = t.engine.sign_tree_head(key, "qingshi", at("2024-03-05T18:00"));
    CHECK(h2.size == 53);
    CHECK(t.engine.tree_heads() == std::vector<TreeHead>{h1, h2});
    CHECK_THROWS_AS((void)t.engine.tree_root(54), Error);

    const std::string proof = t.engine.prove_case("2024-000001", h1);
    const AuditResult r = verify_case_proof(proof, key.public_pem(), &h1);
    CHECK(r.ok);
    CHECK(r.checked == 7);
    CHECK(verify_case_proof(proof, key.public_pem(), &h2).problem == "published");
    const std::string consistent = t.engine.prove_consistency(h1, h2);
    CHECK(verify_consistency_proof(consistent, key.public_pem(), &h1, &h2).ok);

    const LogAudit a = t.engine.audit_log(key.public_pem(), {h1, h2});
    CHECK(a.ok);
    CHECK(a.events == 53);
    CHECK(a.heads_checked == 4);
    CHECK_THROWS_WITH_AS((void)t.engine.prove_case("2024-999999", h1),
                         doctest::Contains("no case 2024-999999"), Error);
    CHECK_THROWS_WITH_AS((void)t.engine.prove_case("2024-000004", h1),
                         doctest::Contains("has no event among the 13 events"), Error);
    CHECK_THROWS_WITH_AS((void)t.engine.prove_consistency(h2, h1),
                         doctest::Contains("over more events than the newer head"), Error);

    // A head at every commit that appends events, until stopped.
    t.engine.sign_heads_at_commit(key, "qingshi");
    report_many(t.engine, t.q2, 2);
    std::vector<TreeHead> heads = t.engine.tree_heads();
    REQUIRE(heads.size() == 4);
    CHECK(heads[2].size == 54);
    CHECK(heads[3].size == 55);
    CHECK(verify_tree_head(heads[3], key.public_pem()).ok);
    CHECK(heads[3].root == t.engine.tree_root(55));
    t.engine.stop_signing_heads();
    report_many(t.engine, t.q2, 1);
    CHECK(t.engine.tree_heads().size() == 4);
    CHECK_THROWS_AS(t.engine.sign_heads_at_commit(key, ""), Error);
}

TEST_CASE("audit.workspace.a_head_signed_at_commit_lands_with_the_events_or_not_at_all" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = three_cases_in_file(file);
    const Hierarchy& h = ws.hierarchy().view();
    const SigningKey key = SigningKey::generate();
    ws.cases().sign_heads_at_commit(key, "qingshi");
    ws.cases().begin_batch();
    report_many(ws.cases(), h.at("371338101001001"), 20);
    ws.cases().commit_batch();
    ws.cases().begin_batch();
    report_many(ws.cases(), h.at("371338101001001"), 5);
    ws.cases().rollback_batch();
    // A refused command appends nothing: no head.
    CHECK_THROWS_AS(ws.cases().fire(0, Cmd(Command::close, "P0002", "2024-03-05T10:00")), Error);
    std::vector<TreeHead> heads = Workspace::open(file).cases().tree_heads();
    REQUIRE(heads.size() == 1);
    CHECK(heads[0].size == 33);
    CHECK(heads[0].root == ws.cases().tree_root(33));
    report_many(ws.cases(), h.at("371338101001002"), 1);
    heads = Workspace::open(file).cases().tree_heads();
    REQUIRE(heads.size() == 2);
    CHECK(heads[1].size == 34);
    CHECK(ws.cases().audit_log(key.public_pem(), heads).ok);
}

TEST_CASE("audit.proofs.a_proof_changed_in_any_field_is_refused_naming_what" *
          doctest::test_suite("store")) {
    TempDir dir;
    Workspace ws = three_cases_in_file(store_location(dir, "qingshi.gridgov"));
    const SigningKey key = SigningKey::generate();
    const TreeHead head = ws.cases().sign_tree_head(key, "qingshi", at("2024-03-04T18:00"));
    const nlohmann::json proof = nlohmann::json::parse(ws.cases().prove_case("2024-000001", head));
    REQUIRE(verify_case_proof(proof.dump(), key.public_pem()).ok);
    CHECK(proof["events"].size() == 7);

    const auto expect = [&](const std::function<void(nlohmann::json&)>& edit,
                            const std::string& problem) {
        nlohmann::json p = proof;
        edit(p);
        const AuditResult r = verify_case_proof(p.dump(), key.public_pem());
        INFO(r.message);
        CHECK_FALSE(r.ok);
        CHECK(r.problem == problem);
    };
    // What an official who closed a case falsely would want to change, each caught.
    expect([](nlohmann::json& p) { p["events"][4]["actor"] = "P0004"; }, "event");
    expect([](nlohmann::json& p) { p["events"][4]["at"] = "2024-03-04T10:00:00+08:00"; }, "event");
    expect([](nlohmann::json& p) { p["events"][4]["payload"] = "{}"; }, "event");
    expect([](nlohmann::json& p) { p["events"][6]["to"] = "archived"; }, "event");
    expect([](nlohmann::json& p) { p["events"][6]["type"] = "check_fail"; }, "event");
    expect([](nlohmann::json& p) { p["events"][0]["path"][0] = std::string(64, '0'); }, "root");
    expect([](nlohmann::json& p) { p["events"].erase(2); }, "case");
    expect([](nlohmann::json& p) { std::swap(p["events"][1], p["events"][2]); }, "case");
    expect([](nlohmann::json& p) { p["events"][0]["seq"] = 99; }, "size");
    expect(
        [](nlohmann::json& p) {
            std::string h = p["head"];
            p["head"] = h.replace(h.find("size: 13"), 8, "size: 12");
        },
        "signature");
    expect([](nlohmann::json& p) { p["format"] = "other"; }, "malformed");
    expect([](nlohmann::json& p) { p["events"][0].erase("hash"); }, "malformed");
    CHECK(verify_case_proof("not json", key.public_pem()).problem == "malformed");
}

TEST_CASE("audit.workspace.every_tamper_class_after_a_published_head_is_detected" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = three_cases_in_file(file);
    const Hierarchy& h = ws.hierarchy().view();
    report_many(ws.cases(), h.at("371338101001001"), 300);
    const SigningKey key = SigningKey::generate();
    const TreeHead published = ws.cases().sign_tree_head(key, "qingshi", at("2024-03-31T18:00"));
    REQUIRE(published.size == 313);
    {
        RawDb raw(file);
        CHECK(raw.integer("SELECT count(*) FROM log_tree WHERE level = 4") == 19);
        CHECK(raw.integer("SELECT count(*) FROM log_tree WHERE level = 8") == 1);
        CHECK(raw.integer("SELECT count(*) FROM log_tree_heads") == 1);
    }
    const LogAudit clean = ws.cases().audit_log(key.public_pem(), {published});
    REQUIRE(clean.ok);
    CHECK(clean.events == 313);
    CHECK(clean.heads_checked == 2);
    // The proofs another process makes from the stored tree check out.
    {
        Workspace other = Workspace::open(file);
        CHECK(other.cases().tree_root(313) == published.root);
        CHECK(verify_case_proof(other.cases().prove_case("2024-000150", published),
                                key.public_pem(), &published)
                  .ok);
    }

    RawDb raw(file);
    const auto detected = [&](const std::string& rule) {
        ws = Workspace::open(file);
        const LogAudit a = ws.cases().audit_log(key.public_pem(), {published});
        for (const Finding& f : a.findings)
            MESSAGE(f.rule << " " << f.where << ": " << f.message);
        CHECK_FALSE(a.ok);
        CHECK(has_rule(a, rule));
    };
    SUBCASE("an edited column") {
        raw.exec("UPDATE case_events SET at = at - 60 WHERE seq = 200");
        detected("audit.log");
    }
    SUBCASE("the first event deleted") {
        raw.exec("DELETE FROM case_events WHERE seq = 1");
        detected("audit.head_beyond_log");
    }
    SUBCASE("a middle event deleted") {
        raw.exec("DELETE FROM case_events WHERE seq = 150");
        detected("audit.head_beyond_log");
    }
    SUBCASE("a middle event deleted and the sequence closed up") {
        raw.exec("DELETE FROM case_events WHERE seq = 150");
        raw.exec("UPDATE case_events SET seq = seq + 1000 WHERE seq > 150");
        raw.exec("UPDATE case_events SET seq = seq - 1001 WHERE seq > 1000");
        detected("audit.head_beyond_log");
    }
    SUBCASE("an event inserted at the end, the log as long as the head") {
        raw.exec("DELETE FROM case_events WHERE seq = 313");
        raw.exec(
            "INSERT INTO case_events SELECT 313, case_id, case_seq, type, transition, "
            "from_state, to_state, actor, system, at + 60, payload, hash, back FROM "
            "case_events WHERE seq = 312");
        detected("audit.head_root");
    }
    SUBCASE("the tail cut off, the cases' rows mended") {
        raw.exec("DELETE FROM case_events WHERE seq > 300");
        raw.exec("DELETE FROM cases WHERE id >= 300");
        detected("audit.head_beyond_log");
    }
    SUBCASE("two events swapped") {
        raw.exec("UPDATE case_events SET seq = 1000 WHERE seq = 40");
        raw.exec("UPDATE case_events SET seq = 40 WHERE seq = 41");
        raw.exec("UPDATE case_events SET seq = 41 WHERE seq = 1000");
        detected("audit.head_root");
    }
    SUBCASE("a kept node of the tree changed") {
        raw.exec(
            "UPDATE log_tree SET hash = (SELECT hash FROM log_tree WHERE level = 4 AND "
            "idx = 0) WHERE level = 4 AND idx = 1");
        detected("audit.tree_node");
        // Case 1's events have the changed node on their paths: its proof is refused.
        CHECK_THROWS_WITH_AS((void)ws.cases().prove_case("2024-000001", published),
                             doctest::Contains("its path does not lead to the root"), Error);
    }
    SUBCASE("the recorded head deleted: the published one still speaks") {
        raw.exec("DELETE FROM log_tree_heads");
        raw.exec("DELETE FROM case_events WHERE seq = 313");
        raw.exec("DELETE FROM cases WHERE id = 312");
        detected("audit.head_beyond_log");
    }
}

TEST_CASE("audit.workspace.a_log_rewritten_and_chained_again_passes_verify_log_not_the_head" *
          doctest::test_suite("store")) {
    // The forger's best: a whole other history from a point on, every hash chained again.
    // verify_log() cannot tell; a head signed before the forgery can.
    TempDir dir;
    const std::string genuine = store_location(dir, "genuine.gridgov");
    const std::string forged = store_location(dir, "forged.gridgov");
    const SigningKey key = SigningKey::generate();
    TreeHead published;
    {
        Workspace ws = three_cases_in_file(genuine);
        published = ws.cases().sign_tree_head(key, "qingshi", at("2024-03-04T18:00"));
    }
    Workspace ws = Workspace::open(forged);
    populate(ws);
    const Hierarchy& h = ws.hierarchy().view();
    const CaseId a = to_handling(ws.cases(), h.at("371338101001001"));
    to_handling(ws.cases(), h.at("371338101001002"));
    // The feedback now says another photo, and the check passed an hour earlier.
    ws.cases().fire(a, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("x.jpg"));
    ws.cases().fire(a, Cmd(Command::check_pass, "P0004", "2024-03-04T13:00"));
    ws.cases().fire(a, Cmd(Command::close, "P0002", "2024-03-04T14:30"));
    const CaseId c =
        ws.cases().report(new_case(h.at("371338101002001"), "G0101", "P0002", "2024-03-04T15:00"));
    ws.cases().fire(c, Cmd(Command::void_case, "P0002", "2024-03-04T15:10").reason("当事人已和解"));
    REQUIRE(ws.cases().last_sequence() == published.size);
    CHECK(ws.cases().verify_log().ok);
    const LogAudit audit = ws.cases().audit_log(key.public_pem(), {published});
    CHECK_FALSE(audit.ok);
    REQUIRE(audit.findings.size() == 1);
    CHECK(audit.findings[0].rule == "audit.head_root");
    CHECK(audit.findings[0].where == "qingshi@13");
    // The forger cannot prove the forged case against the published head either.
    CHECK_THROWS_AS((void)ws.cases().prove_case("2024-000001", published), Error);
}

TEST_CASE("audit.workspace.a_file_of_schema_14_gets_its_tree_as_it_opens" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Digest root{};
    {
        Workspace ws = three_cases_in_file(file);
        report_many(ws.cases(), ws.hierarchy().view().at("371338101001001"), 40);
        root = ws.cases().tree_root(53);
    }
    {
        RawDb raw(file);
        gridgov_test::downgrade_store(raw, 14);
    }
    Workspace ws = Workspace::open(file);
    CHECK(ws.cases().tree_root(53) == root);
    RawDb raw(file);
    CHECK(raw.integer("SELECT count(*) FROM log_tree") == 3);
    const SigningKey key = SigningKey::generate();
    const TreeHead head = ws.cases().sign_tree_head(key, "qingshi", at("2024-03-06T09:00"));
    CHECK(ws.cases().audit_log(key.public_pem()).ok);
    CHECK(verify_case_proof(ws.cases().prove_case("2024-000043", head), key.public_pem()).ok);
}

// ---- replay ------------------------------------------------------------------------------

namespace {

struct Snapshot {
    CaseId id = no_case;
    Instant at;
    CaseRecord record;
};

// Drives `count` cases through random paths of the three built-in loops with the
// township's people, every accepted command followed by a snapshot of its case. Ticks
// now and then record breaches the way a host would.
std::vector<Snapshot> random_history(CaseEngine& e, const Hierarchy& h, int count, unsigned seed,
                                     bool batches = false) {
    std::mt19937 rng(seed);
    const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    const std::vector<NodeId> grids = {h.at("371338101001001"), h.at("371338101001002"),
                                       h.at("371338101002001")};
    const std::vector<std::string> categories = {"E0102", "E0103", "G0101", "G0201", "E0401"};
    std::vector<std::string> actors;
    for (const Person& p : township_people())
        actors.push_back(p.id);
    actors.push_back("C-13900000001");
    std::vector<Snapshot> out;
    Instant clock = at("2024-03-04T08:00");
    for (int k = 0; k < count; ++k) {
        const int flow = pick(3);
        NewCase n;
        n.command.command = Command::report;
        n.command.node = grids[static_cast<std::size_t>(pick(3))];
        n.command.category = categories[static_cast<std::size_t>(pick(5))];
        clock.seconds += 60 * (5 + pick(120));
        n.command.at = clock;
        if (flow == 0) {
            n.command.actor = "P0002";
        } else if (flow == 1) {
            n.workflow = "urban_seven_step";
            n.command.actor = "P0014";
            n.command.source = "supervisor";
        } else {
            n.command.actor = "P0013";
            n.command.source = "hotline_12345";
            n.reporter = "C-13900000001";
        }
        const auto work = [&] {
            const CaseId id = e.report(n);
            out.push_back({id, n.command.at, e.get(id)});
            Instant now = n.command.at;
            for (int step = 0; step < 25; ++step) {
                now.seconds += 60 * (10 + pick(600));
                if (pick(6) == 0)
                    e.tick(now);
                std::vector<std::pair<Command, std::string>> options;
                for (const std::string& a : actors) {
                    for (Command c : e.available(id, a, now))
                        options.emplace_back(c, a);
                }
                for (Command c : e.available(id, "", now, true))
                    options.emplace_back(c, "");
                if (options.empty())
                    break;
                const auto& [command, actor] =
                    options[static_cast<std::size_t>(pick(static_cast<int>(options.size())))];
                Cmd c(command, actor, now.to_string());
                if (actor.empty())
                    c.by_system();
                c.reason("理由").evidence("证据.jpg");
                const CommandNeeds needs = command_needs(command);
                if (needs.amount) {
                    const auto status = e.clock_status(id, now);
                    c.amount(status && !status->working_time ? TimeLimit::natural_hours(2)
                                                             : TimeLimit::working_hours(2));
                }
                if (needs.rating)
                    c.rating(static_cast<Satisfaction>(pick(3)));
                if (command == Command::dispatch && pick(2) == 0)
                    c.department("D-HW-QS");
                try {
                    e.fire(id, c);
                } catch (const Error&) {
                    continue;
                }
                out.push_back({id, now, e.get(id)});
            }
        };
        if (batches) {
            e.batch(work);
        } else {
            work();
        }
    }
    return out;
}

}  // namespace

TEST_CASE("cases.replay.rebuilds_every_case_and_every_past_state") {
    Township t;
    const std::vector<Snapshot> history = random_history(t.engine, t.h, 150, 20240304u);
    REQUIRE(t.engine.size() == 150);
    CHECK(history.size() > 600);
    for (CaseId id = 0; id < t.engine.size(); ++id) {
        INFO("case " << t.engine.get(id).number);
        CHECK(t.engine.replay(id) == t.engine.get(id));
    }
    // The state after each command is the state at that instant; ticks only add breaches
    // dated at their deadlines, which come after the command before them.
    std::map<CaseId, std::size_t> last_of;
    for (std::size_t i = 0; i < history.size(); ++i)
        last_of[history[i].id] = i;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const Snapshot& s = history[i];
        INFO("case " << s.record.number << " at " << s.at.to_string());
        const CaseRecord then = t.engine.state_at(s.id, s.at);
        CHECK(then.state == s.record.state);
        CHECK(then.counters == s.record.counters);
        CHECK(then.flags == s.record.flags);
        CHECK(then.department == s.record.department);
        CHECK(then.clocks == s.record.clocks);
        if (last_of[s.id] == i && then.events == s.record.events)
            CHECK(then == s.record);
    }
    CHECK(t.engine.verify_cases().empty());
    CHECK(t.engine.verify_log().ok);
    CHECK_THROWS_WITH_AS(t.engine.state_at(0, at("2024-01-01T00:00")),
                         doctest::Contains("was reported at"), Error);
}

TEST_CASE("cases.clocks.a_closed_case_keeps_its_clocks_packed_and_reads_them_back_unchanged") {
    Township t;
    CaseEngine& e = t.engine;
    CaseEngine::Impl& impl = gridgov::detail::CaseEngineAccess::impl(e);
    NewCase call = new_case(t.q2, "E0102", "P0013", "2024-03-04T09:00", "", "12345");
    call.reporter = "C-13812345678";
    const CaseId id = e.report(call);
    const CaseId open = e.report(new_case(t.q1, "E0102", "P0001", "2024-03-04T09:30"));
    walk_hotline_to_callback(e, id);
    walk(e, id,
         {ok(Cmd(Command::callback, "", "2024-03-04T14:00")
                 .by_system()
                 .rating(Satisfaction::satisfied),
             "closed")});
    // Once its change settled, the closed order keeps its clocks packed; the open case
    // keeps its run of slots.
    CHECK(impl.cold(id));
    CHECK_FALSE(impl.cold(open));
    const CaseRecord closed = e.get(id);
    REQUIRE(clock_of(closed, "handle") != nullptr);
    CHECK(clock_of(closed, "handle")->used == 100 * 60);  // from the dispatch at 09:20
    CHECK(closed == e.replay(id));
    CHECK_FALSE(e.clock_status(id, at("2024-03-04T15:00")));

    // A change of a closed case unpacks its clocks; a rollback leaves it packed as it was.
    CaseCommand citizen = Cmd(Command::rate, "C-13812345678", "2024-03-04T15:00");
    citizen.rating = Rating::from_score(4);
    e.begin_batch();
    e.fire(id, citizen);
    CHECK_FALSE(impl.cold(id));
    e.rollback_batch();
    CHECK(impl.cold(id));
    CHECK(e.get(id) == closed);
    e.fire(id, citizen);
    CHECK(impl.cold(id));
    const CaseRecord rated = e.get(id);
    CHECK(rated.rating->score == 4);
    CHECK(rated.clocks == closed.clocks);
    CHECK(rated == e.replay(id));

    // Many cases later, compacting the slots and the packed clocks changes no case.
    random_history(e, t.h, 120, 11u);
    std::vector<CaseRecord> before;
    std::size_t cold = 0;
    std::size_t hot_slots = 0;
    for (CaseId c = 0; c < e.size(); ++c) {
        before.push_back(e.get(c));
        if (impl.cold(c)) {
            ++cold;
            CHECK(impl.may_cool(c));
        } else {
            hot_slots += impl.spec_of(c).stage_count();
        }
    }
    CHECK(cold > 20);
    CHECK(cold < e.size());
    // What the cold clocks share (stage, limit, run and bits) is kept once.
    CHECK(impl.clock_shapes.size() > 0);
    CHECK(impl.clock_shapes.size() < cold);
    impl.compact_clocks();
    CHECK(impl.clocks.size() == hot_slots);
    CHECK(impl.hot_runs.size() == e.size() - cold);
    const std::size_t packed = impl.cold_clocks.size();
    impl.compact_cold_clocks();
    CHECK(impl.cold_clocks.size() <= packed);
    for (CaseId c = 0; c < e.size(); ++c) {
        INFO("case " << before[c].number);
        CHECK(e.get(c) == before[c]);
    }
    CHECK(e.verify_cases().empty());
    const CaseId later = e.report(new_case(t.q1, "E0102", "P0001", "2024-06-03T09:00"));
    walk(e, later, {ok(Cmd(Command::file, "P0002", "2024-06-03T09:10"), "filed")});
    CHECK_FALSE(impl.cold(later));
    CHECK(e.verify_cases().empty());
}

TEST_CASE("cases.clocks.the_cold_form_reads_back_every_field_and_shares_shapes") {
    using gridgov::detail::ClockShapes;
    using gridgov::detail::ClockSlot;
    constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t highest = std::numeric_limits<std::int64_t>::max();
    const auto same = [](const ClockSlot& a, const ClockSlot& b) {
        return a.start == b.start && a.since == b.since && a.deadline == b.deadline &&
               a.used == b.used && a.limit_value == b.limit_value &&
               a.limit_seconds == b.limit_seconds && a.budget == b.budget && a.unit == b.unit &&
               a.day_rule == b.day_rule && a.run == b.run && a.bits == b.bits &&
               a.extensions == b.extensions;
    };
    // Five stages: stage 1 never entered, stage 2 at the ends of the instants' range, stage
    // 4 like stage 0 a day later (the same shape).
    std::vector<ClockSlot> slots(5);
    slots[0] = {
        1'709'514'000, 1'709'517'600, 1'709'600'400, 3600, 2, 86'400, 90'000, 4, 1, 3, 2, 1};
    slots[2] = {highest, lowest, highest, lowest, lowest, -5, 7, 0, 0, 1, 7, 65'535};
    slots[3] = {lowest, highest, lowest, highest, highest, 0, 0, 2, 0, 0, 0, 0};
    slots[4] = slots[0];
    slots[4].start += 86'400;
    slots[4].deadline += 86'400;
    ClockShapes shapes;
    std::string form;
    gridgov::detail::pack_cold(form, slots.size(), slots.data(), shapes);
    CHECK(shapes.size() == 4);  // stage 4's limit and run are stage 0's, but not its stage
    std::vector<ClockSlot> back(5);
    gridgov::detail::unpack_cold(form, back.size(), back.data(), shapes);
    for (std::size_t k = 0; k < slots.size(); ++k) {
        INFO("stage " << k);
        CHECK(same(back[k], slots[k]));
    }
    CHECK(back[1].run == gridgov::detail::clock_absent);
    // A second case of the same shapes adds none, and is smaller than the stored form.
    std::string again;
    gridgov::detail::pack_cold(again, 1, slots.data(), shapes);
    CHECK(shapes.size() == 4);
    std::string stored;
    gridgov::detail::pack_clocks(stored, 1, slots.data());
    CHECK(again.size() + 8 < stored.size());
    // A form naming a shape the engine does not have, or a stage beyond the workflow's.
    CHECK_THROWS_AS(gridgov::detail::unpack_cold(form, back.size(), back.data(), ClockShapes{}),
                    std::invalid_argument);
    CHECK_THROWS_AS(gridgov::detail::unpack_cold(form, 2, back.data(), shapes),
                    std::invalid_argument);
}

// ---- the workspace -----------------------------------------------------------------------

namespace {

std::vector<CaseRecord> all_records(const CaseEngine& e) {
    std::vector<CaseRecord> out;
    for (CaseId id = 0; id < e.size(); ++id)
        out.push_back(e.get(id));
    return out;
}

std::int64_t event_rows(const std::string& file) {
    RawDb raw(file);
    return raw.integer("SELECT count(*) FROM case_events");
}

}  // namespace

TEST_CASE("cases.workspace.reopening_gives_identical_cases_and_queries" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    std::vector<CaseRecord> before;
    std::vector<GroupCount> by_state, by_village, by_light;
    std::vector<CaseId> overdue;
    LogAnchor head;
    const Instant now = at("2024-03-20T10:00");
    CaseFilter overdue_now;
    overdue_now.overdue = true;
    overdue_now.at = now;
    {
        Workspace ws = Workspace::open(file);
        populate(ws);
        random_history(ws.cases(), ws.hierarchy().view(), 40, 7u, true);
        before = all_records(ws.cases());
        by_state = ws.cases().count_by(CaseGroup::state);
        by_village = ws.cases().count_by(CaseGroup::node, {}, "village");
        CaseFilter f;
        f.at = now;
        by_light = ws.cases().count_by(CaseGroup::light, f);
        overdue = ws.cases().select(overdue_now);
        head = ws.cases().head();
        CHECK(event_rows(file) == static_cast<std::int64_t>(head.sequence));
    }
    Workspace ws = Workspace::open(file);
    CaseEngine& e = ws.cases();
    CHECK(all_records(e) == before);
    // The numbers read from the file are indexed at the first look-up.
    for (const CaseRecord& r : before)
        CHECK(e.at(r.number) == r.id);
    CHECK_FALSE(e.find("2024-999999"));
    CHECK(e.count_by(CaseGroup::state) == by_state);
    CHECK(e.count_by(CaseGroup::node, {}, "village") == by_village);
    CaseFilter f;
    f.at = now;
    CHECK(e.count_by(CaseGroup::light, f) == by_light);
    CHECK(e.select(overdue_now) == overdue);
    CHECK(e.head().sequence == head.sequence);
    CHECK(e.head().hash == head.hash);
    CHECK(e.verify_log(&head).ok);
    CHECK(e.verify_cases().empty());
    // Work goes on where it stopped: numbers and the chain continue.
    const NodeId q1 = ws.hierarchy().view().at("371338101001001");
    const CaseId id = e.report(new_case(q1, "E0102", "P0002", "2024-06-03T09:00"));
    CHECK(e.get(id).number ==
          "2024-" + std::string(6 - std::to_string(id + 1).size(), '0') + std::to_string(id + 1));
    CHECK(e.events(id).front().previous_hash == head.hash);
    CHECK(e.verify_log().ok);
}

TEST_CASE("cases.migration.a_schema_2_file_opens_with_every_case_as_it_was") {
    // tests/data/schema2.gridgov was written by the library at schema 2: 40 cases of the
    // three built-in loops with their flags, counters and clocks as JSON columns, and a
    // tick's breaches. Opening it writable brings it to the compact rows of schema 3.
    TempDir dir;
    const std::string file = dir.file("schema2.gridgov");
    fs::copy_file(std::string(GRIDGOV_TEST_DATA) + "/schema2.gridgov", file);
    struct Stored {
        std::string number;
        nlohmann::json flags, counters, clocks;
    };
    std::vector<Stored> stored;
    {
        RawDb raw(file);
        REQUIRE(raw.integer("PRAGMA user_version") == 2);
        for (std::int64_t id = 0;; ++id) {
            const std::string where = " FROM cases WHERE id = " + std::to_string(id);
            const std::string number = raw.text("SELECT number" + where);
            if (number.empty())
                break;
            stored.push_back({number, nlohmann::json::parse(raw.text("SELECT flags" + where)),
                              nlohmann::json::parse(raw.text("SELECT counters" + where)),
                              nlohmann::json::parse(raw.text("SELECT clocks" + where))});
        }
    }
    REQUIRE(stored.size() == 40);
    // Read-only, the file cannot be upgraded and is refused as it is.
    CHECK_THROWS_WITH_AS(Workspace::open(file, OpenOptions{false, true}),
                         doctest::Contains("has schema 2; open it writable once"), Error);

    std::vector<CaseRecord> records;
    {
        Workspace ws = Workspace::open(file);
        CaseEngine& e = ws.cases();
        REQUIRE(e.size() == 40);
        CHECK(e.last_sequence() == 203);
        CHECK(e.verify_log().ok);
        CHECK(e.verify_cases().empty());
        std::size_t clocks = 0;
        std::size_t breached = 0;
        for (CaseId id = 0; id < e.size(); ++id) {
            const CaseRecord r = e.get(id);
            const Stored& s = stored[id];
            INFO("case " << r.number);
            CHECK(r.number == s.number);
            CHECK(nlohmann::json(r.flags) == s.flags);
            for (const auto& [name, value] : r.counters)
                CHECK(value == s.counters.value(name, std::int64_t{0}));
            REQUIRE(r.clocks.size() == s.clocks.size());
            for (std::size_t k = 0; k < r.clocks.size(); ++k) {
                const CaseClock& c = r.clocks[k];
                const nlohmann::json& j = s.clocks[k];
                CHECK(c.stage == j.at("stage").get<std::string>());
                CHECK(std::string(clock_run_name(c.run)) == j.at("run").get<std::string>());
                CHECK(c.limit_seconds == j.at("limit_seconds").get<std::int64_t>());
                CHECK(c.budget == j.value("budget", c.limit_seconds));
                CHECK(c.extensions == j.value("extensions", 0u));
                CHECK(c.start.seconds == j.at("start").get<std::int64_t>());
                CHECK(c.since.seconds == j.at("since").get<std::int64_t>());
                CHECK(c.used == j.at("used").get<std::int64_t>());
                CHECK(c.deadline.seconds == j.at("deadline").get<std::int64_t>());
                CHECK(c.breached == j.value("breached", false));
                CHECK(c.assumed == j.value("assumed", false));
                ++clocks;
                breached += c.breached ? 1 : 0;
            }
            // The events, which the migration does not touch, replay to the same case.
            CHECK(e.replay(id) == r);
            records.push_back(r);
        }
        CHECK(clocks > 60);
        CHECK(breached > 0);
    }
    RawDb raw(file);
    CHECK(raw.integer("PRAGMA user_version") == Workspace::schema_version());
    CHECK(raw.integer("SELECT count(*) FROM cases WHERE typeof(flags) <> 'integer'") == 0);
    CHECK(raw.integer("SELECT count(*) FROM cases WHERE typeof(clocks) = 'blob'") == 40);
    CHECK(raw.integer("SELECT count(*) FROM cases WHERE counters IS NOT NULL") ==
          std::count_if(stored.begin(), stored.end(),
                        [](const Stored& s) { return !s.counters.empty(); }));
    {
        Workspace again = Workspace::open(file, OpenOptions{false, true});
        for (CaseId id = 0; id < again.cases().size(); ++id)
            CHECK(again.cases().get(id) == records[id]);
    }
    // A compact column edited behind the library's back refuses the file, naming it.
    const auto refused = [&](const std::string& sql, const std::string& words) {
        const std::string copy = dir.file("edited.gridgov");
        fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
        RawDb(copy).exec(sql);
        INFO(sql);
        CHECK_THROWS_WITH_AS(Workspace::open(copy), doctest::Contains(words.c_str()), Error);
    };
    refused("UPDATE cases SET clocks = substr(clocks, 1, 3) WHERE id = 5",
            "case " + records[5].number + ": column 'clocks': cut short");
    refused("UPDATE cases SET clocks = x'09' || substr(clocks, 2) WHERE id = 5",
            "column 'clocks': stage 9 out of order");
    refused("UPDATE cases SET clocks = clocks || x'00' WHERE id = 5", "column 'clocks'");
    refused("UPDATE cases SET counters = x'0202020202020202' WHERE id = 5",
            "column 'counters': more values than");
    refused("UPDATE cases SET flags = 1024 WHERE id = 5", "column 'flags' holds 1024");
    // Schema 6: the names of a case row are ids of case_names.
    CHECK(raw.integer("SELECT count(*) FROM cases WHERE typeof(state) <> 'integer' OR "
                      "typeof(category) <> 'integer' OR typeof(source) <> 'integer'") == 0);
    CHECK(raw.text("SELECT name FROM case_names WHERE id = (SELECT workflow FROM cases WHERE "
                   "id = 5)") == records[5].workflow);
    refused(
        "UPDATE cases SET category = 99999 WHERE id = 5",
        "case " + records[5].number + ": column 'category': name id 99999 is not in case_names");
    refused(
        "UPDATE cases SET state = (SELECT id FROM case_names WHERE name = 'P0005') WHERE id = 5",
        "unknown state 'P0005'");
    refused(
        "UPDATE cases SET workflow = (SELECT id FROM case_names WHERE name = 'P0005') WHERE "
        "id = 5",
        "unknown workflow P0005@");
    refused("UPDATE cases SET department = -3 WHERE id = 5",
            "column 'department' holds no name id");
    refused("UPDATE cases SET reporter = 'P0005' WHERE id = 5",
            "column 'reporter' holds no name id");
    {
        // The CHECK constraints keep the source and the rating in range; one dropped is caught.
        const std::string copy = dir.file("unchecked.gridgov");
        fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
        RawDb forger(copy);
        forger.exec("PRAGMA writable_schema = ON");
        forger.exec(
            "UPDATE sqlite_schema SET sql = replace(replace(sql, 'CHECK (source >= 0 AND source "
            "<= 6)', ''), 'CHECK (rating >= 0 AND rating <= 2)', '') WHERE name = 'cases'");
        forger.exec("PRAGMA writable_schema = OFF");
    }
    const auto unchecked = [&](const std::string& sql, const std::string& words) {
        const std::string copy = dir.file("unchecked-edited.gridgov");
        fs::copy_file(dir.file("unchecked.gridgov"), copy, fs::copy_options::overwrite_existing);
        RawDb(copy).exec(sql);
        INFO(sql);
        CHECK_THROWS_WITH_AS(Workspace::open(copy), doctest::Contains(words.c_str()), Error);
    };
    unchecked("UPDATE cases SET source = 9 WHERE id = 5", "column 'source' holds 9");
    unchecked("UPDATE cases SET rating = 5, rating_score = 1 WHERE id = 5",
              "column 'rating' holds 5");
}

TEST_CASE("cases.migration.the_events_of_a_schema_2_file_become_compact_with_their_hashes") {
    // Schema 5 stores an event's names by id, its type as its code, its payload in the
    // compact form and no previous hash; every event reads back as it was written.
    TempDir dir;
    const std::string file = dir.file("schema2.gridgov");
    fs::copy_file(std::string(GRIDGOV_TEST_DATA) + "/schema2.gridgov", file);
    struct Old {
        std::string type, from, to, actor, payload, previous, hash;
    };
    std::vector<Old> old;
    {
        RawDb raw(file);
        const std::int64_t n = raw.integer("SELECT count(*) FROM case_events");
        REQUIRE(n == 203);
        for (std::int64_t seq = 1; seq <= n; ++seq) {
            const std::string where = " FROM case_events WHERE seq = " + std::to_string(seq);
            old.push_back({raw.text("SELECT type" + where), raw.text("SELECT from_state" + where),
                           raw.text("SELECT to_state" + where), raw.text("SELECT actor" + where),
                           raw.text("SELECT payload" + where),
                           raw.text("SELECT lower(hex(prev_hash))" + where),
                           raw.text("SELECT lower(hex(hash))" + where)});
        }
    }
    const std::string edited = dir.file("edited.gridgov");
    fs::copy_file(file, edited);
    {
        Workspace ws = Workspace::open(file);
        const std::vector<CaseEvent> events = ws.cases().events_between(1, 1000);
        REQUIRE(events.size() == old.size());
        for (std::size_t i = 0; i < events.size(); ++i) {
            const CaseEvent& e = events[i];
            INFO("event " << e.sequence);
            CHECK(e.type == old[i].type);
            CHECK(e.from_state == old[i].from);
            CHECK(e.to_state == old[i].to);
            CHECK(e.actor == old[i].actor);
            CHECK(e.payload == old[i].payload);
            CHECK(hash_hex(e.previous_hash) == old[i].previous);
            CHECK(hash_hex(e.hash) == old[i].hash);
        }
        CHECK(ws.cases().verify_log().ok);
    }
    RawDb raw(file);
    CHECK(raw.integer("SELECT count(*) FROM case_events WHERE typeof(type) <> 'integer'") == 0);
    // Every payload of the built-in loops reads back from its compact form.
    CHECK(raw.integer("SELECT count(*) FROM case_events WHERE substr(payload, 1, 1) <> x'01'") ==
          0);
    CHECK(raw.integer("SELECT count(*) FROM case_names WHERE name = 'P0005'") == 1);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'case_events_4'") == 0);
    // Schema 7: each event links to its case's event before it; no index by case is left.
    CHECK(raw.integer("SELECT count(*) FROM case_events WHERE (case_seq = 1) <> (back IS NULL)") ==
          0);
    CHECK(raw.integer("SELECT count(*) FROM case_events e WHERE back IS NOT NULL AND NOT EXISTS "
                      "(SELECT 1 FROM case_events p WHERE p.seq = e.seq - e.back AND p.case_id = "
                      "e.case_id AND p.case_seq = e.case_seq - 1)") == 0);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
                      "'case_events'") == 0);

    // An event edited before the migration is still reported after it.
    RawDb(edited).exec("UPDATE case_events SET actor = 'P0099' WHERE seq = 17");
    RawDb(edited).exec("UPDATE case_events SET at = at + 0.5 WHERE seq = 30");
    Workspace ws = Workspace::open(edited);
    LogVerification v = ws.cases().verify_log();
    CHECK_FALSE(v.ok);
    CHECK(v.problem == LogProblem::content_changed);
    CHECK(v.sequence == 17);
    RawDb(edited).exec("UPDATE case_events SET actor = (SELECT id FROM case_names WHERE name = '" +
                       old[16].actor + "') WHERE seq = 17");
    v = ws.cases().verify_log();
    CHECK(v.sequence == 30);
    CHECK(v.message.find("column 'at' does not hold an integer") != std::string::npos);
}

TEST_CASE("cases.workspace.a_refused_command_writes_nothing" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    const CaseId id = to_handling(ws.cases(), ws.hierarchy().view().at("371338101001001"));
    const std::int64_t rows = event_rows(file);
    CHECK_THROWS_AS(ws.cases().fire(id, Cmd(Command::close, "P0002", "2024-03-04T10:00")), Error);
    CHECK_THROWS_AS(ws.cases().fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T10:00")),
                    Error);
    CHECK(event_rows(file) == rows);
    CHECK(ws.cases().state(id) == "handling");

    SUBCASE("a read-only workspace refuses commands") {
        Workspace ro = Workspace::open(file, OpenOptions{false, true});
        CHECK(ro.cases().get(id) == ws.cases().get(id));
        CHECK_THROWS_WITH_AS(
            ro.cases().fire(id,
                            Cmd(Command::feedback, "P0005", "2024-03-04T10:00").evidence("a.jpg")),
            doctest::Contains("read-only"), Error);
        CHECK_THROWS_WITH_AS(ro.cases().tick(at("2024-03-05T10:00")),
                             doctest::Contains("read-only"), Error);
    }
}

TEST_CASE("cases.workspace.a_failed_write_leaves_the_file_and_the_engine_as_before" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    CaseEngine& e = ws.cases();
    const NodeId q1 = ws.hierarchy().view().at("371338101001001");
    const NodeId q2 = ws.hierarchy().view().at("371338101001002");
    const CaseId a = to_handling(e, q1);
    const CaseId b = to_handling(e, q2);
    const std::vector<CaseRecord> before = all_records(e);
    const LogAnchor head = e.head();
    const std::int64_t rows = event_rows(file);
    RawDb raw(file);
    // 11: the code of feedback, 64 of a breach (docs/cases.md, "Stored events")
    raw.refuse_inserts("inject", "case_events", "NEW.type = 11");

    SUBCASE("one command") {
        CHECK_THROWS_WITH_AS(
            e.fire(a, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg")),
            doctest::Contains("injected failure"), Error);
    }
    SUBCASE("a batch with a report and commands on several cases") {
        e.begin_batch();
        e.fire(a, Cmd(Command::supervise, "P0006", "2024-03-04T10:00").reason("督办"));
        e.report(new_case(q2, "E0104", "P0002", "2024-03-04T10:05"));
        e.fire(b, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("b.jpg"));
        e.fire(a, Cmd(Command::escalate, "P0005", "2024-03-04T11:10").reason("协调"));
        CHECK(e.size() == 3);
        try {
            e.commit_batch();
            FAIL("the batch committed through the trigger");
        } catch (const Error& err) {
            CHECK(err.code() == ErrorCode::storage);
            CHECK(std::string(err.what()).find("injected failure") != std::string::npos);
        }
        CHECK_FALSE(e.in_batch());
    }
    SUBCASE("a tick whose breach cannot be written") {
        raw.refuse_inserts("inject_breach", "case_events", "NEW.type = 64");
        CHECK_THROWS_WITH_AS(e.tick(at("2024-03-05T10:00")), doctest::Contains("injected failure"),
                             Error);
        raw.drop_refusal("inject_breach", "case_events");
        CHECK(e.tick(at("2024-03-05T10:00")).breaches.size() == 2);
        CHECK(e.verify_log().ok);
        return;
    }
    CHECK(all_records(e) == before);
    CHECK(e.head().sequence == head.sequence);
    CHECK(e.head().hash == head.hash);
    CHECK(event_rows(file) == rows);
    raw.drop_refusal("inject", "case_events");
    e.fire(a, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg"));
    CHECK(e.state(a) == "checking");
    CHECK(e.verify_log().ok);
    Workspace again = Workspace::open(file);
    CHECK(all_records(again.cases()) == all_records(e));
}

TEST_CASE("cases.workspace.the_names_of_a_failed_write_are_not_kept" *
          doctest::test_suite("store")) {
    // A write that adds a name to case_names and is rolled back leaves its id free; another
    // writer gives it to its own name, and the first writer's next write reads that.
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace a = Workspace::open(file);
    populate(a);
    const NodeId q1 = a.hierarchy().view().at("371338101001001");
    const CaseId id = to_handling(a.cases(), q1);
    Workspace b = Workspace::open(file);
    RawDb raw(file);
    const std::int64_t names = raw.integer("SELECT count(*) FROM case_names");
    raw.refuse_inserts("inject", "case_events", "NEW.type = 17");  // 17: supervise
    CHECK_THROWS_WITH_AS(
        a.cases().fire(id, Cmd(Command::supervise, "P0007", "2024-03-04T10:00").reason("督办")),
        doctest::Contains("injected failure"), Error);
    CHECK(raw.integer("SELECT count(*) FROM case_names") == names);
    raw.drop_refusal("inject", "case_events");
    b.cases().fire(id, Cmd(Command::supervise, "P0006", "2024-03-04T10:05").reason("督办"));
    CHECK(raw.integer("SELECT id FROM case_names WHERE name = 'P0006'") == names + 1);
    a.cases().fire(id, Cmd(Command::supervise, "P0007", "2024-03-04T10:10").reason("再次督办"));
    CHECK(raw.integer("SELECT count(*) FROM case_names WHERE name = 'P0007'") == 1);
    CHECK(raw.integer("SELECT id FROM case_names WHERE name = 'P0007'") > names + 1);
    const std::vector<CaseEvent> events = a.cases().events(id);
    REQUIRE(events.size() == 6);
    CHECK(events[4].actor == "P0006");
    CHECK(events[5].actor == "P0007");
    const LogVerification by_a = a.cases().verify_log();
    INFO(by_a.message);
    CHECK(by_a.ok);
    const LogVerification by_b = b.cases().verify_log();
    INFO(by_b.message);
    CHECK(by_b.ok);
    CHECK(b.cases().events(id) == events);
    CHECK(Workspace::open(file).cases().events(id) == events);
}

TEST_CASE("cases.batch.groups_commands_in_one_transaction" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    CaseEngine& e = ws.cases();
    const NodeId q1 = ws.hierarchy().view().at("371338101001001");
    const std::int64_t rows = event_rows(file);
    e.begin_batch();
    CHECK_THROWS_WITH_AS(e.begin_batch(), doctest::Contains("already open"), Error);
    const CaseId id = to_handling(e, q1);
    // A refused command inside the batch changes nothing and leaves the batch open.
    CHECK_THROWS_AS(e.fire(id, Cmd(Command::close, "P0002", "2024-03-04T10:00")), Error);
    CHECK(e.in_batch());
    CHECK(e.state(id) == "handling");
    CHECK(e.events(id).size() == 4);
    CHECK(event_rows(file) == rows);
    CHECK_THROWS_WITH_AS(e.verify_log(), doctest::Contains("a batch is open"), Error);

    SUBCASE("commit") {
        e.commit_batch();
        CHECK(event_rows(file) == rows + 4);
        CHECK(Workspace::open(file).cases().get(id) == e.get(id));
    }
    SUBCASE("roll back") {
        e.rollback_batch();
        CHECK(e.size() == 0);
        CHECK(e.last_sequence() == 0);
        CHECK(event_rows(file) == rows);
        const CaseId again = e.report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
        CHECK(e.get(again).number == "2024-000001");
    }
    SUBCASE("a callback that throws rolls its batch back") {
        e.commit_batch();
        CHECK_THROWS_WITH_AS(e.batch([&] {
            e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a.jpg"));
            throw Error(ErrorCode::generic, "the host changed its mind");
        }),
                             doctest::Contains("changed its mind"), Error);
        CHECK(e.state(id) == "handling");
        CHECK(event_rows(file) == rows + 4);
    }
}

namespace {

// What a call made on a thread of its own threw ("" when it returned). The calling thread
// waits for it, so the two never overlap, as a host's lock would have it.
std::string thrown_on_another_thread(const std::function<void()>& call) {
    std::string what;
    std::thread other([&] {
        try {
            call();
        } catch (const Error& e) {
            what = std::string(error_code_name(e.code())) + ": " + e.what();
        }
    });
    other.join();
    return what;
}

}  // namespace

TEST_CASE("cases.batch.takes_only_the_changes_of_the_thread_that_opened_it" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    CaseEngine& e = ws.cases();
    const NodeId q1 = ws.hierarchy().view().at("371338101001001");
    const NodeId q2 = ws.hierarchy().view().at("371338101001002");
    e.begin_batch();
    const CaseId mine = e.report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));

    // Every change from another thread is refused while the batch is open: taken into the
    // batch, it would be acknowledged and then dropped by the batch's rollback.
    std::optional<CaseId> theirs;
    const NewCase their_case = new_case(q2, "E0102", "P0002", "2024-03-04T10:00");
    const std::vector<std::pair<const char*, std::function<void()>>> changes = {
        {"report", [&] { theirs = e.report(their_case); }},
        {"fire", [&] { e.fire(mine, Cmd(Command::file, "P0002", "2024-03-04T09:10")); }},
        {"tick", [&] { e.tick(at("2024-03-20T09:00")); }},
        {"begin_batch", [&] { e.begin_batch(); }},
        {"commit_batch", [&] { e.commit_batch(); }},
        {"rollback_batch", [&] { e.rollback_batch(); }},
        {"batch", [&] { e.batch([&] { theirs = e.report(their_case); }); }},
        {"set_routing", [&] { ws.cases().set_routing(e.routing()); }},
        {"add_calendar_overrides", [&] { ws.cases().add_calendar_overrides("[]"); }},
        {"import_history",
         [&] {
             e.import_history({CaseHistory{their_case, {}}});
         }},
        {"run_plans", [&] { run_plans(e, {}); }},
    };
    for (const auto& entry : changes) {
        // Named copies: INFO captures them in a lambda (clang 14 cannot capture bindings).
        const std::string& name = entry.first;
        const auto& change = entry.second;
        INFO(name);
        const std::string what = thrown_on_another_thread(change);
        CHECK(what.rfind("invalid_state: ", 0) == 0);
        CHECK(what.find("a batch opened by another thread is open") != std::string::npos);
    }
    CHECK_FALSE(theirs);
    CHECK(e.in_batch());
    CHECK(e.size() == 1);
    CHECK(e.state(mine) == "reported");

    // The batch's own thread goes on and rolls back; afterwards the other thread's report is
    // a transaction of its own and stays.
    e.fire(mine, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
    e.rollback_batch();
    CHECK(thrown_on_another_thread([&] { theirs = e.report(their_case); }).empty());
    REQUIRE(theirs);
    const Workspace again = Workspace::open(file);
    CHECK(again.cases().size() == 1);
    CHECK(again.cases().get(*theirs).node == q2);
    CHECK(again.cases().verify_log().ok);
}

// ---- historical import -------------------------------------------------------------------

namespace {

// Past six-step cases numbered H-0001 ... with their whole histories.
std::vector<CaseHistory> past_cases(const Hierarchy& h, int count, const std::string& dept_actor) {
    std::vector<CaseHistory> out;
    const NodeId q1 = h.at("371338101001001");
    for (int i = 0; i < count; ++i) {
        CaseHistory c;
        const std::string day =
            "2023-09-" + std::string(i + 4 < 10 ? "0" : "") + std::to_string(i + 4);
        c.report = new_case(q1, "E0102", "P0002", day + "T09:00");
        char number[16];
        std::snprintf(number, sizeof number, "H-%04d", i + 1);
        c.report.number = number;
        c.commands.push_back(Cmd(Command::file, "P0002", day + "T09:10"));
        c.commands.push_back(Cmd(Command::dispatch, "P0002", day + "T09:20").department("D-HW-QS"));
        c.commands.push_back(Cmd(Command::accept, dept_actor, day + "T09:30"));
        c.commands.push_back(Cmd(Command::feedback, dept_actor, day + "T11:00").evidence("a.jpg"));
        c.commands.push_back(Cmd(Command::check_pass, "P0004", day + "T14:00"));
        c.commands.push_back(Cmd(Command::close, "P0002", day + "T15:00"));
        out.push_back(c);
    }
    return out;
}

}  // namespace

TEST_CASE("cases.import.a_failure_in_the_third_batch_keeps_the_first_two" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    std::vector<CaseHistory> histories;
    {
        Workspace ws = Workspace::open(file);
        populate(ws);
        histories = past_cases(ws.hierarchy().view(), 15, "P0005");
        RawDb raw(file);
        raw.refuse_inserts("inject", "cases", "NEW.number = 'H-0008'");
        HistoryImportOptions options;
        options.batch_size = 3;
        std::vector<std::size_t> progress;
        options.progress = [&](std::size_t done, std::size_t) {
            progress.push_back(done);
            return true;
        };
        CHECK_THROWS_WITH_AS(ws.cases().import_history(histories, options),
                             doctest::Contains("injected failure"), Error);
        CHECK(progress == std::vector<std::size_t>{3, 6});
        CHECK(ws.cases().size() == 6);
        raw.drop_refusal("inject", "cases");
    }
    Workspace ws = Workspace::open(file);
    CaseEngine& e = ws.cases();
    CHECK(e.size() == 6);
    CHECK(e.find("H-0006"));
    CHECK_FALSE(e.find("H-0007"));
    CHECK(e.last_sequence() == 6 * 7);
    CHECK(e.verify_log().ok);
    CHECK(e.get(e.at("H-0006")).state == "closed");
    const HistoryImportReport rest = e.import_history(
        std::vector<CaseHistory>(histories.begin() + 6, histories.end()), HistoryImportOptions{});
    CHECK(rest.cases_imported == 9);
    CHECK(rest.events_written == 9 * 7);
    CHECK(rest.batches_committed == 1);
    CHECK(rest.findings.empty());
    CHECK(e.size() == 15);
    CHECK(e.verify_cases().empty());
}

TEST_CASE("cases.import.checked_or_trusted_actors") {
    Township t;
    // The old system's department staff are not in the directory.
    std::vector<CaseHistory> histories = past_cases(t.h, 4, "OLD-HW-17");
    DepartmentCatalogue d = township_departments();
    d.departments[0].members.push_back("OLD-HW-17");
    t.engine.set_departments(d);
    histories[2].commands[4] = Cmd(Command::check_pass, "P0003", "2023-09-06T14:00");
    histories[3].commands[2] = Cmd(Command::accept, "P0005", "2023-09-06T09:00");

    SUBCASE("checked: a refused history is left out and reported") {
        const HistoryImportReport r = t.engine.import_history(histories);
        CHECK(r.cases_imported == 2);
        REQUIRE(r.findings.size() == 2);
        CHECK(r.findings[0].rule == "cases.import_refused");
        CHECK(r.findings[0].where == "H-0003");
        CHECK(r.findings[0].message.find("history[2] command 5 (check_pass) refused") !=
              std::string::npos);
        CHECK(r.findings[0].message.find("\"P0003\"") != std::string::npos);
        CHECK(r.findings[1].message.find("comes before the case's last event") !=
              std::string::npos);
        CHECK(t.engine.size() == 2);
        CHECK_FALSE(t.engine.find("H-0003"));
    }
    SUBCASE("trusted: actors are recorded as given, the rest is still checked") {
        HistoryImportOptions options;
        options.trusted = true;
        const HistoryImportReport r = t.engine.import_history(histories, options);
        CHECK(r.cases_imported == 3);
        REQUIRE(r.findings.size() == 1);
        CHECK(r.findings[0].where == "H-0004");
        CHECK(t.engine.events(t.engine.at("H-0003"))[5].actor == "P0003");
        CHECK(t.engine.verify_cases().empty());
    }
}

TEST_CASE("cases.text.notes_that_are_not_utf8_or_hold_controls_are_refused" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    const std::string nul(1, '\0');
    CaseId id = no_case;
    {
        Workspace ws = Workspace::open(file);
        populate(ws);
        const NodeId grid = ws.hierarchy().view().at("371338101001001");
        NewCase bad = new_case(grid, "E0102", "P0002", "2024-03-04T09:00");
        bad.command.note = "井盖\xFF";
        CHECK_THROWS_WITH_AS(ws.cases().report(bad),
                             doctest::Contains("report: field 'note': not UTF-8 text"), Error);
        bad.command.note = "井盖" + nul;
        CHECK_THROWS_WITH_AS(ws.cases().report(bad),
                             doctest::Contains("report: field 'note': control character U+0000"),
                             Error);
        bad.command.note.clear();
        bad.number = "2024\t1";
        CHECK_THROWS_WITH_AS(ws.cases().report(bad),
                             doctest::Contains("report: field 'number': control character U+0009"),
                             Error);
        CHECK(ws.cases().size() == 0);

        id = to_handling(ws.cases(), grid);
        const std::int64_t rows = event_rows(file);
        Cmd feedback(Command::feedback, "P0005", "2024-03-04T10:00");
        feedback.evidence("a.jpg");
        feedback.c.note = "已处理\xC0\xAF";
        CHECK_THROWS_WITH_AS(ws.cases().fire(id, feedback),
                             doctest::Contains("feedback: field 'note': not UTF-8 text"), Error);
        CHECK_FALSE(ws.cases().check(id, feedback).accepted);
        feedback.c.note = "已处理\x1B[2J";
        CHECK_THROWS_WITH_AS(ws.cases().fire(id, feedback),
                             doctest::Contains("feedback: field 'note': control character U+001B"),
                             Error);
        feedback.c.note.clear();
        feedback.c.reason = "原因\xC2\x9B";
        CHECK_THROWS_WITH_AS(
            ws.cases().fire(id, feedback),
            doctest::Contains("feedback: field 'reason': control character U+009B"), Error);
        CHECK(event_rows(file) == rows);
        CHECK(ws.cases().state(id) == "handling");
        // Free text keeps its line breaks and tabs.
        feedback.c.reason.clear();
        feedback.c.note = "已处理\r\n\t井盖已更换";
        ws.cases().fire(id, feedback);
    }
    // What was stored shows and replays.
    Workspace ws = Workspace::open(file);
    const std::vector<CaseEvent> events = ws.cases().events(id);
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().payload.find("\\r\\n\\t井盖已更换") != std::string::npos);
    CHECK(ws.cases().verify_cases().empty());

    // A historical import refuses the case whose note is bad and keeps the others.
    Township t;
    std::vector<CaseHistory> histories = past_cases(t.h, 2, "P0005");
    histories[1].commands[1].note = "旧系统" + nul;
    const HistoryImportReport r = t.engine.import_history(histories);
    CHECK(r.cases_imported == 1);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].message.find("field 'note': control character U+0000") !=
          std::string::npos);
}

// ---- observers ---------------------------------------------------------------------------

TEST_CASE("cases.observers.see_committed_events_and_cannot_break_the_engine") {
    Township t;
    CaseEngine& e = t.engine;
    std::vector<EventSeq> seen;
    std::vector<std::string> types;
    const ObserverToken first = e.observe([&](const CaseEvent& ev) {
        seen.push_back(ev.sequence);
        types.push_back(ev.type);
    });
    const ObserverToken thrower = e.observe([&](const CaseEvent& ev) {
        if (ev.type == "accept")
            throw std::runtime_error("the SMS gateway is down");
    });
    int third = 0;
    e.observe([&](const CaseEvent&) { ++third; });
    CHECK_THROWS_AS(e.observe(CaseObserver{}), Error);

    const CaseId id = to_handling(e, t.q1);
    CHECK(seen == std::vector<EventSeq>{1, 2, 3, 4});
    CHECK(types == std::vector<std::string>{"report", "file", "dispatch", "accept"});
    CHECK(third == 4);
    CHECK(e.state(id) == "handling");
    const std::vector<ObserverFailure> failures = e.take_observer_failures();
    REQUIRE(failures.size() == 1);
    CHECK(failures[0].token == thrower);
    CHECK(failures[0].sequence == 4);
    CHECK(failures[0].message == "the SMS gateway is down");
    CHECK(e.take_observer_failures().empty());

    SUBCASE("inside a batch, at commit; a rolled-back batch is never seen") {
        e.begin_batch();
        e.fire(id, Cmd(Command::supervise, "P0006", "2024-03-04T10:00").reason("督办"));
        CHECK(seen.size() == 4);
        e.rollback_batch();
        CHECK(seen.size() == 4);
        e.batch([&] {
            e.fire(id, Cmd(Command::supervise, "P0006", "2024-03-04T10:00").reason("督办"));
            e.fire(id, Cmd(Command::escalate, "P0005", "2024-03-04T10:10").reason("协调"));
            CHECK(seen.size() == 4);
        });
        CHECK(seen == std::vector<EventSeq>{1, 2, 3, 4, 5, 6});
    }
    SUBCASE("an observer may not change the engine; the failure is reported") {
        e.observe([&](const CaseEvent& ev) {
            if (ev.type == "supervise")
                e.fire(id, Cmd(Command::escalate, "P0005", "2024-03-04T10:05").reason("协调"));
        });
        e.fire(id, Cmd(Command::supervise, "P0006", "2024-03-04T10:00").reason("督办"));
        const std::vector<ObserverFailure> f = e.take_observer_failures();
        REQUIRE(f.size() == 1);
        CHECK(f[0].sequence == 5);
        CHECK(f[0].message.find("an observer may not fire a command") != std::string::npos);
        CHECK(e.get(id).tier == 0);
        CHECK(e.get(id).has_flag("supervised"));
    }
    SUBCASE("a breach is an event too; a removed observer hears nothing") {
        CHECK(e.unobserve(first));
        CHECK_FALSE(e.unobserve(first));
        e.tick(at("2024-03-05T09:00"));
        CHECK(seen.size() == 4);
        CHECK(third == 5);
    }
}

// ---- queries -----------------------------------------------------------------------------

TEST_CASE("cases.queries.by_subtree_state_category_light_department_and_source") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId a = to_handling(e, t.q1);           // E0102, handling
    const CaseId b = to_handling(e, t.d1, "G0201");  // fire hazard, 3 working days
    const CaseId c = e.report(new_case(t.q2, "E0103", "P0002", "2024-03-04T09:00"));  // reported
    NewCase call = new_case(t.q2, "G0101", "P0013", "2024-03-04T10:00", "", "12345");
    const CaseId d = e.report(call);
    e.fire(c, Cmd(Command::void_case, "P0002", "2024-03-04T09:30").reason("重复"));

    CaseFilter f;
    f.subtree = t.qingshi;
    CHECK(e.select(f) == std::vector<CaseId>{a, c, d});
    f.subtree = t.town;
    CHECK(e.count(f) == 4);
    CaseFilter handling;
    handling.states = {"handling"};
    CHECK(e.select(handling) == std::vector<CaseId>{a, b});
    CaseFilter sanitation;
    sanitation.department = "D-HW-QS";
    CHECK(e.select(sanitation) == std::vector<CaseId>{a, b});
    CaseFilter events;
    events.category_prefix = "E01";
    CHECK(e.select(events) == std::vector<CaseId>{a, c});
    CaseFilter hotline;
    hotline.source = CaseSource::hotline_12345;
    CHECK(e.select(hotline) == std::vector<CaseId>{d});
    CaseFilter open;
    open.kind = StateKind::open;
    CHECK(e.select(open) == std::vector<CaseId>{a, b});

    // At 15:00 case a has used 3 h 40 min of its 4 h and the hotline order 3 h of its
    // 3 h 30 min intake (both yellow); b has 3 working days.
    CaseFilter lit;
    lit.at = at("2024-03-04T15:00");
    lit.light = Light::yellow;
    CHECK(e.select(lit) == std::vector<CaseId>{a, d});
    lit.light = Light::green;
    CHECK(e.select(lit) == std::vector<CaseId>{b});
    CaseFilter late;
    late.overdue = true;
    late.at = at("2024-03-04T16:00");
    CHECK(e.select(late) == std::vector<CaseId>{a, d});
    // Read before case a's last event, the clock comes from its events.
    late.at = at("2024-03-04T09:25");
    CHECK(e.select(late).empty());
    CaseFilter no_instant;
    no_instant.overdue = true;
    CHECK_THROWS_WITH_AS(e.select(no_instant), doctest::Contains("set 'at'"), Error);

    CHECK(e.count_by(CaseGroup::state) ==
          std::vector<GroupCount>{{"handling", 2}, {"registered", 1}, {"voided", 1}});
    CHECK(e.count_by(CaseGroup::node, {}, "village") ==
          std::vector<GroupCount>{{"371338101001", 3}, {"371338101002", 1}});
    CHECK(e.count_by(CaseGroup::kind) ==
          std::vector<GroupCount>{{"open", 2}, {"pending", 1}, {"voided", 1}});
    CHECK(e.count_by(CaseGroup::workflow) ==
          std::vector<GroupCount>{{"hotline_callback", 1}, {"township_six_step", 3}});
    CaseFilter at_four;
    at_four.at = at("2024-03-04T16:00");
    CHECK(e.count_by(CaseGroup::overdue, at_four) ==
          std::vector<GroupCount>{{"", 1}, {"in_time", 1}, {"overdue", 2}});
    CHECK(e.count_by(CaseGroup::source) ==
          std::vector<GroupCount>{{"grid_worker", 3}, {"hotline_12345", 1}});
    CHECK_THROWS_WITH_AS(e.count_by(CaseGroup::node, {}, "parish"),
                         doctest::Contains("no level \"parish\""), Error);

    const CaseColumns cols = e.columns(handling);
    CHECK(cols.id == std::vector<CaseId>{a, b});
    CHECK(cols.number == std::vector<std::string>{"2024-000001", "2024-000002"});
    CHECK(cols.category == std::vector<std::string>{"E0102", "G0201"});
    CHECK(cols.deadline[0] == at("2024-03-04T15:20").seconds);
    CHECK(cols.closed_at[0] == Instant::max().seconds);
}

TEST_CASE("cases.queries.a_period_visits_the_cases_reported_in_it_in_any_order") {
    Township t;
    CaseEngine& e = t.engine;
    // The cases reported in [from, until), found the slow way: every case's report instant.
    const auto reported_in = [&](const char* from, const char* until) {
        const CaseColumns all = e.columns({}, {CaseField::id, CaseField::reported_at});
        std::vector<CaseId> ids;
        for (std::size_t i = 0; i < all.id.size(); ++i) {
            if (all.reported_at[i] >= at(from).seconds && all.reported_at[i] < at(until).seconds)
                ids.push_back(all.id[i]);
        }
        return ids;
    };
    const auto period = [&](const char* from, const char* until) {
        CaseFilter f;
        f.reported_from = at(from);
        f.reported_until = at(until);
        return f;
    };
    const auto check_periods = [&] {
        for (const auto& range : std::vector<std::pair<const char*, const char*>>{
                 {"2024-03-04T00:00", "2024-03-05T00:00"},
                 {"2024-03-04T09:00", "2024-03-04T09:00"},
                 {"2024-03-04T09:30", "2024-03-06T09:00"},
                 {"2024-03-01T00:00", "2024-03-04T09:01"},
                 {"2024-03-06T00:00", "2024-04-01T00:00"}}) {
            const char* from = range.first;
            const char* until = range.second;
            CAPTURE(from);
            CAPTURE(until);
            CHECK(e.select(period(from, until)) == reported_in(from, until));
            CHECK(e.count(period(from, until)) == reported_in(from, until).size());
            CHECK(e.columns(period(from, until), {CaseField::id}).id == reported_in(from, until));
        }
        CaseFilter open_ended;
        open_ended.reported_from = at("2024-03-04T10:00");
        CHECK(e.select(open_ended) == reported_in("2024-03-04T10:00", "2100-01-01T00:00"));
    };
    // Live reports, each no earlier than the one before.
    for (const char* when :
         {"2024-03-04T09:00", "2024-03-04T09:00", "2024-03-04T10:00", "2024-03-05T08:00"})
        e.report(new_case(t.q1, "E0102", "P0002", when));
    check_periods();
    // A late entry of an earlier report, then more live ones: the index takes them as they
    // come, query after query.
    e.report(new_case(t.q2, "E0103", "P0002", "2024-03-04T09:30"));
    check_periods();
    e.report(new_case(t.q2, "E0103", "P0002", "2024-03-03T17:00"));
    e.report(new_case(t.q1, "E0102", "P0002", "2024-03-06T09:00"));
    check_periods();
    // Cases a rolled-back batch added are gone from every period.
    e.begin_batch();
    e.report(new_case(t.q1, "E0102", "P0002", "2024-03-04T09:45"));
    CHECK(e.count(period("2024-03-04T09:40", "2024-03-04T09:50")) == 1);
    e.rollback_batch();
    CHECK(e.count(period("2024-03-04T09:40", "2024-03-04T09:50")) == 0);
    check_periods();
    CHECK(e.count_by(CaseGroup::category, period("2024-03-04T00:00", "2024-03-05T00:00")) ==
          std::vector<GroupCount>{{"E0102", 3}, {"E0103", 1}});
}

TEST_CASE("cases.queries.columns_are_read_only_as_asked") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId a = to_handling(e, t.q1);
    const CaseId b = e.report(new_case(t.q2, "E0103", "P0002", "2024-03-04T09:00"));
    const CaseColumns two = e.columns({}, {CaseField::state, CaseField::number});
    CHECK(two.number == std::vector<std::string>{"2024-000001", "2024-000002"});
    CHECK(two.size() == 2);
    CHECK(two.state == std::vector<std::string>{"handling", e.state(b)});
    CHECK(e.state(b) != "handling");
    CHECK(two.id.empty());
    CHECK(two.category.empty());
    CHECK(two.deadline.empty());
    CHECK(two.reported_at.empty());
    // Every field when none is named, the same as columns(filter).
    const CaseColumns all = e.columns({}, {});
    CHECK(all.deadline.size() == 2);
    CHECK(all.kind == e.columns().kind);

    const CaseColumns picked = e.columns_of({b, a, b}, {CaseField::id, CaseField::kind});
    CHECK(picked.id == std::vector<CaseId>{b, a, b});
    CHECK(picked.kind ==
          std::vector<StateKind>{StateKind::pending, StateKind::open, StateKind::pending});
    CHECK(picked.number.empty());
    CHECK(e.columns_of({}).size() == 0);
    CHECK_THROWS_WITH_AS(e.columns_of({a, 7}), doctest::Contains("7"), Error);
    CHECK_THROWS_WITH_AS(e.columns({}, {static_cast<CaseField>(40)}), doctest::Contains("field 40"),
                         Error);

    // The name fields as codes over their distinct names, in the order first used: the
    // same names as the text, no string a case.
    const std::vector<CaseId> ids = {b, a, b, a};
    const std::vector<CaseField> names = {CaseField::workflow, CaseField::category,
                                          CaseField::state, CaseField::department};
    const CaseColumns text = e.columns_of(ids, names);
    const CaseColumns coded = e.columns_of(ids, names, CaseNames::coded);
    CHECK(coded.size() == 4);
    CHECK(coded.state.empty());
    CHECK(coded.category.empty());
    CHECK(coded.state_codes.codes == std::vector<std::int32_t>{0, 1, 0, 1});
    CHECK(coded.state_codes.names == std::vector<std::string>{e.state(b), "handling"});
    CHECK(coded.workflow_codes.codes == std::vector<std::int32_t>{0, 0, 0, 0});
    const auto decoded = [](const NameCodes& c) {
        std::vector<std::string> out;
        for (const std::int32_t k : c.codes)
            out.push_back(k < 0 ? std::string() : c.names.at(static_cast<std::size_t>(k)));
        return out;
    };
    CHECK(decoded(coded.workflow_codes) == text.workflow);
    CHECK(decoded(coded.category_codes) == text.category);
    CHECK(decoded(coded.state_codes) == text.state);
    CHECK(decoded(coded.department_codes) == text.department);
    // A case without a department is -1, not a name.
    CHECK(text.department[0].empty());
    CHECK(coded.department_codes.codes[0] == -1);
    CHECK(e.columns({}, {CaseField::state}, CaseNames::coded).state_codes.codes ==
          std::vector<std::int32_t>{0, 1});
    CHECK_THROWS_WITH_AS(e.columns_of(ids, names, static_cast<CaseNames>(7)),
                         doctest::Contains("names 7"), Error);

    for (std::size_t k = 0; k < case_field_count; ++k) {
        const auto f = static_cast<CaseField>(k);
        CHECK(parse_case_field(case_field_name(f)) == f);
    }
    CHECK_THROWS_WITH_AS(parse_case_field("colour"), doctest::Contains("deadline"), Error);
}

TEST_CASE("cases.check_and_available_answer_without_changing_anything") {
    Township t;
    CaseEngine& e = t.engine;
    const CaseId id = to_handling(e, t.q1);
    const CommandCheck ok =
        e.check(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("a"));
    CHECK(ok.accepted);
    CHECK(ok.basis == "member of department D-HW-QS");
    CHECK(e.workflows()
              .get("township_six_step", 1)
              .transitions[static_cast<std::size_t>(ok.transition)]
              .command == Command::feedback);
    const CommandCheck role =
        e.check(id, Cmd(Command::supervise, "P0006", "2024-03-04T11:00").reason("r"));
    CHECK(role.basis == "role township_grid_leader held at 371338101 (post A)");
    CHECK(e.available(id, "P0005", at("2024-03-04T11:00")) ==
          std::vector<Command>{Command::return_case, Command::request_extension, Command::feedback,
                               Command::escalate});
    CHECK(e.available(id, "P0002", at("2024-03-04T11:00")) ==
          std::vector<Command>{Command::suspend});
    CHECK(e.available(id, "", at("2024-03-04T11:00"), true) ==
          std::vector<Command>{Command::escalate});
    CHECK(e.events(id).size() == 4);
}

// Seed 002 第一篇: the market officer (段管员) of 段区 D01, mapped to 青石村, checks the cases
// of 青石村's grids when the workflow lists the role; not those of 东岭村.
TEST_CASE("cases.authorization.posts_on_overlay_units_act_on_the_cases_they_cover") {
    Township t;
    std::vector<Overlay> overlays;
    overlays.emplace_back("market", "工商段区", market_supervision_levels());
    const NodeId unit =
        overlays[0].add_unit(gridgov_test::section("D01", "青石段区", "371338101001"), t.h);
    t.dir.set_catalogue(gridgov_test::with_section_officer(t.dir.catalogue()));
    t.dir.add_person(person("M1", "黄志强"));
    t.dir.add_assignment(Networks(t.h, overlays), post("M1", "section_officer", unit));

    CaseEngine e(t.h, t.dir, overlays);
    e.set_departments(township_departments());
    WorkflowSpec spec = e.workflows().get("township_six_step", 1);
    for (TransitionSpec& tr : spec.transitions) {
        if (tr.command == Command::check_pass)
            tr.roles.push_back("section_officer");
    }
    spec.version = 2;
    e.add_workflow(spec);
    const auto checked_by_officer = [&](NodeId grid) {
        const CaseId id = to_handling(e, grid);
        e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo.jpg"));
        return e.check(id, Cmd(Command::check_pass, "M1", "2024-03-04T12:00"));
    };
    const CommandCheck covered = checked_by_officer(t.q2);
    CHECK(covered.accepted);
    CHECK(covered.basis == "role section_officer held at market:D01 (post A)");
    CHECK_FALSE(checked_by_officer(t.d1).accepted);
    // An engine without the overlays admits base posts only.
    CaseEngine base(t.h, t.dir);
    base.set_departments(township_departments());
    base.add_workflow(spec);
    const CaseId id = to_handling(base, t.q2);
    base.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo.jpg"));
    CHECK_FALSE(base.check(id, Cmd(Command::check_pass, "M1", "2024-03-04T12:00")).accepted);
}

// A workspace's engine acts through the workspace's overlays, also after reopening.
TEST_CASE("cases.authorization.a_workspace_engine_acts_through_its_overlays" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "market.gridgov");
    {
        Workspace ws = Workspace::open(file);
        populate(ws);
        ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels());
        ws.hierarchy().add_overlay_unit("market",
                                        gridgov_test::section("D01", "青石段区", "371338101001"));
        ws.directory().set_catalogue(
            gridgov_test::with_section_officer(ws.directory().view().catalogue()));
        ws.directory().add_person(person("M1", "黄志强"));
        ws.directory().add_assignment(
            post("M1", "section_officer", ws.hierarchy().networks().place("market:D01").node));
        WorkflowSpec spec = WorkflowSpec::preset("township_six_step");
        for (TransitionSpec& tr : spec.transitions) {
            if (tr.command == Command::check_pass)
                tr.roles.push_back("section_officer");
        }
        spec.version = 2;
        ws.cases().add_workflow(spec);
    }
    Workspace ws = Workspace::open(file);
    const CaseId id = to_handling(ws.cases(), ws.hierarchy().view().at("371338101001002"));
    ws.cases().fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("p.jpg"));
    const CommandCheck check =
        ws.cases().check(id, Cmd(Command::check_pass, "M1", "2024-03-04T12:00"));
    CHECK(check.accepted);
    CHECK(check.basis == "role section_officer held at market:D01 (post A)");
}

// One rule decides who may act: for the same person, case and date, a command on the engine
// and authorize() give the same answer, and the same basis when they allow.
TEST_CASE("cases.authorization.commands_and_authorize_answer_alike") {
    Township t;
    CaseEngine& e = t.engine;
    // 青石村's village leader is P0004 (post A); P0016 holds the backup post (B). P0004 is
    // on leave on 2024-03-04, P0007's post as grid instructor ends on 2024-03-05, and P0003
    // leads the neighbouring village 东岭村.
    t.dir.add_person(person("P0016", "许诺"));
    t.dir.add_assignment(t.h, post("P0016", "village_grid_leader", t.qingshi, Post::b));
    Absence leave;
    leave.person = "P0004";
    leave.period = Period{Date::parse("2024-03-04"), Date::parse("2024-03-05")};
    leave.reason = "病假";
    const AbsenceId absence = t.dir.add_absence(leave);
    for (const Assignment& a : t.dir.assignments()) {
        if (a.person == "P0007")
            t.dir.end_assignment(a.id, Date::parse("2024-03-05"));
    }

    const CaseId id = to_handling(e, t.q2);
    e.fire(id, Cmd(Command::feedback, "P0005", "2024-03-04T11:00").evidence("photo-0304.jpg"));
    const CaseRecord r = e.get(id);
    REQUIRE(r.state == "checking");
    const WorkflowSpec& spec = e.workflows().get("township_six_step", 1);
    const TransitionSpec* check_pass = nullptr;
    for (const TransitionSpec& tr : spec.transitions) {
        if (tr.command == Command::check_pass)
            check_pass = &tr;
    }
    REQUIRE(check_pass != nullptr);

    // Asks both and returns the answer they agree on.
    const auto ask = [&](const std::string& who, const std::string& when) {
        const CommandCheck engine = e.check(id, Cmd(Command::check_pass, who, when));
        ActorQuery q;
        q.hierarchy = &t.h;
        q.directory = &t.dir;
        q.case_node = r.node;
        q.date = at(when).local_date();
        q.person = who;
        q.reporter = r.reporter;
        q.assigned_department = e.departments().find(r.department);
        ActorDecision decision;
        REQUIRE_NOTHROW(decision = authorize(*check_pass, q));
        INFO(who << " at " << when << ": " << engine.message << " / " << decision.basis);
        CHECK(engine.accepted == decision.allowed);
        if (decision.allowed) {
            CHECK(engine.basis == decision.basis);
        } else {
            CHECK(engine.code == ErrorCode::permission_denied);
        }
        return decision.allowed;
    };

    SUBCASE("posts A and B, present or absent, on the date, at the node or above") {
        for (const Assignment& a : t.dir.assignments()) {
            if (a.person == "P0004")
                CHECK(t.dir.absence_on(a.id, Date::parse("2024-03-04")) == absence);
        }
        CHECK(ask("P0004", "2024-03-04T14:00"));        // absent, still holds post A
        CHECK(ask("P0016", "2024-03-04T14:00"));        // post B
        CHECK(ask("P0007", "2024-03-04T14:00"));        // the last day of the post
        CHECK_FALSE(ask("P0007", "2024-03-05T09:00"));  // the post has ended
        CHECK_FALSE(ask("P0003", "2024-03-04T14:00"));  // another village
        CHECK_FALSE(ask("P0005", "2024-03-04T14:00"));  // no such role
        CHECK_FALSE(ask("P9999", "2024-03-04T14:00"));  // not in the directory
        CHECK(e.candidates(id, Command::check_pass, at("2024-03-05T09:00")) ==
              std::vector<std::string>{"P0004", "P0016"});
        CHECK_THROWS_AS(e.fire(id, Cmd(Command::check_pass, "P0007", "2024-03-05T09:00")), Error);
        CHECK(e.fire(id, Cmd(Command::check_pass, "P0016", "2024-03-05T09:00")) > 0);
        CHECK(e.get(id).state == "evaluating");
    }
    SUBCASE("a case whose node has been retired admits no role holder") {
        // Before the rule was shared, authorize() threw not_found here while the engine
        // refused the command.
        t.h.retire(t.q2, Date::parse("2024-03-05"));
        CHECK_FALSE(ask("P0004", "2024-03-05T09:00"));
        CHECK_FALSE(ask("P0016", "2024-03-05T09:00"));
        CHECK(e.candidates(id, Command::check_pass, at("2024-03-05T09:00")).empty());
        ActorQuery unknown;
        unknown.hierarchy = &t.h;
        unknown.directory = &t.dir;
        unknown.case_node = static_cast<NodeId>(t.h.id_count());
        unknown.person = "P0004";
        CHECK_THROWS_WITH_AS(authorize(*check_pass, unknown),
                             doctest::Contains("is not a node of the hierarchy"), Error);
    }
}

// ---- configuration -----------------------------------------------------------------------

TEST_CASE("cases.config.is_stored_with_the_workspace" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "qingshi.gridgov");
    CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    for (Category& c : categories.categories) {
        if (c.code == "E0102")
            c.limits.push_back({"handle", "一类", TimeLimit::working_hours(2), {}});
    }
    WorkflowSpec v2 = WorkflowSpec::preset("township_six_step");
    v2.version = 2;
    {
        Workspace ws = Workspace::open(file);
        populate(ws);
        ws.cases().set_categories(categories);
        CHECK(ws.cases().add_workflow(v2).empty());
        RoutingTable routing;
        routing.rules.push_back({"G02", "", "D-ZZ-QS", "安全隐患统一由综治中心受理", ""});
        ws.cases().set_routing(routing);
        ws.cases().set_default_workflow(CaseSource::video, "urban_seven_step");
        ws.cases().set_calendar_schedule(
            WorkingSchedule(WorkingHours::parse("08:00-12:00,14:30-18:00")));
        ws.cases().add_calendar_overrides(
            R"({"days": [{"name": "镇休", "date": "2024-03-05", "isOffDay": true}]})", "qingshi");
        const CaseId id = to_handling(ws.cases(), ws.hierarchy().view().at("371338101001001"));
        // 2 working hours for class 一类 from 09:20 under the summer-style hours.
        CHECK(clock_of(ws.cases().get(id), "handle")->deadline == at("2024-03-04T11:20"));
        CHECK(ws.cases().get(id).workflow_version == 2);
        CHECK_THROWS_WITH_AS(ws.cases().set_default_workflow(CaseSource::app, "missing"),
                             doctest::Contains("no workflow \"missing\""), Error);
        CategoryCatalogue without = categories;
        without.categories.erase(
            std::remove_if(without.categories.begin(), without.categories.end(),
                           [](const Category& c) { return c.code == "E0102"; }),
            without.categories.end());
        CHECK_THROWS_WITH_AS(ws.cases().set_categories(without),
                             doctest::Contains("lacks category E0102, which case 2024-000001 uses"),
                             Error);
    }
    Workspace ws = Workspace::open(file);
    const CaseEngine& e = ws.cases();
    CHECK(e.categories() == categories);
    CHECK(e.workflows().versions("township_six_step") == std::vector<int>{1, 2});
    CHECK(e.workflows().get("township_six_step", 2) == v2);
    CHECK(e.routing().rules.size() == 1);
    CHECK(e.default_workflow(CaseSource::video) == "urban_seven_step");
    CHECK(e.default_workflow(CaseSource::app) == "hotline_callback");
    CHECK(e.departments() == township_departments());
    CHECK(e.calendar().schedule().standard().to_string() == "08:00-12:00,14:30-18:00");
    CHECK_FALSE(e.calendar().day(Date::parse("2024-03-05")).working);
    CHECK(e.verify_cases().empty());
}

// ---- many connections on one file --------------------------------------------------------
// Two Workspace objects on one file are two connections, as two processes are: each one
// decides its changes on what the other committed (docs/deployment.md). The tests with
// real processes are in tests/python/test_processes.py.

namespace {

NodeSpec extra_grid(const std::string& code) {
    NodeSpec s;
    s.code = code;
    s.parent_code = "371338101001";
    s.name = "网格" + code.substr(code.size() - 3);
    s.level = "grid";
    s.area_type = AreaType::rural;
    return s;
}

DepartmentCatalogue departments_with_water() {
    DepartmentCatalogue d = township_departments();
    Department water = d.departments.front();
    water.code = "D-SW-QS";
    water.name_zh = "青石镇水务站";
    d.departments.push_back(water);
    return d;
}

// A workspace file holding the township, closed again.
std::string township_file(const TempDir& dir) {
    const std::string file = store_location(dir, "qingshi.gridgov");
    Workspace ws = Workspace::open(file);
    populate(ws);
    return file;
}

// Everything a fresh open reads equals what `ws` shows.
void check_same_as_fresh_open(Workspace& ws, const std::string& file) {
    if (!gridgov_test::test_store_server().empty())
        ws.refresh();  // a notification of the last commit may still be on its way
    Workspace fresh = Workspace::open(file, OpenOptions{false, true});
    CHECK(all_records(ws.cases()) == all_records(fresh.cases()));
    CHECK(ws.cases().head().sequence == fresh.cases().head().sequence);
    CHECK(ws.cases().departments() == fresh.cases().departments());
    CHECK(ws.cases().categories() == fresh.cases().categories());
    CHECK(ws.hierarchy().view().id_count() == fresh.hierarchy().view().id_count());
    CHECK(ws.directory().view().person_count() == fresh.directory().view().person_count());
    CHECK(ws.assessment().activities().households().size() ==
          fresh.assessment().activities().households().size());
    CHECK(fresh.cases().verify_log().ok);
    CHECK(fresh.cases().verify_cases().empty());
}

}  // namespace

TEST_CASE("cases.connections.an_older_department_catalogue_is_refused_and_the_file_opens" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = township_file(dir);
    Workspace a = Workspace::open(file);
    Workspace b = Workspace::open(file);  // opened before a's changes: b's view is older
    const DepartmentCatalogue older = b.cases().departments();

    a.cases().set_departments(departments_with_water());
    const NodeId q1 = a.hierarchy().view().at("371338101001001");
    const CaseId id = a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
    a.cases().fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
    a.cases().fire(id, Cmd(Command::dispatch, "P0002", "2024-03-04T09:20").department("D-SW-QS"));

    CHECK_THROWS_WITH_AS(b.cases().set_departments(older),
                         doctest::Contains("lacks department D-SW-QS, to which case 2024-000001 "
                                           "is assigned"),
                         Error);
    CHECK(b.cases().departments() == departments_with_water());
    CHECK(b.cases().get(id).department == "D-SW-QS");
    check_same_as_fresh_open(b, file);
    check_same_as_fresh_open(a, file);
}

TEST_CASE("cases.connections.every_kind_of_change_is_decided_on_the_current_state" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = township_file(dir);
    Workspace a = Workspace::open(file);
    Workspace b = Workspace::open(file);
    const NodeId q1 = a.hierarchy().view().at("371338101001001");

    SUBCASE("hierarchy") {
        const NodeId added = a.hierarchy().add_node(extra_grid("371338101001009"));
        CHECK_THROWS_WITH_AS(b.hierarchy().add_node(extra_grid("371338101001009")),
                             doctest::Contains("371338101001009"), Error);
        b.hierarchy().rename_node(added, "新网格", Date::parse("2024-05-01"));
        CHECK(await_notice(a));
        CHECK(a.hierarchy().view().name(added) == "新网格");
    }
    SUBCASE("directory") {
        a.directory().add_person(person("P0100", "林峰"));
        CHECK_THROWS_AS(b.directory().add_person(person("P0100", "林峰")), Error);
        Assignment post;
        post.person = "P0100";
        post.role = "grid_information_officer";
        post.node = q1;
        post.post = Post::b;
        post.period.from = Date::parse("2024-01-01");
        b.directory().add_assignment(post);
        CHECK(await_notice(a));
        CHECK(a.directory().view().assignments().size() ==
              b.directory().view().assignments().size());
    }
    SUBCASE("categories") {
        CategoryCatalogue older = b.cases().categories();
        CategoryCatalogue next = older;
        Category extra = next.categories.back();
        extra.code = "E9901";
        extra.major_code = "99";
        extra.minor_code = "01";
        extra.major_zh = "其他";
        extra.name_zh = "新增事项";
        next.categories.push_back(extra);
        a.cases().set_categories(next);
        a.cases().report(new_case(q1, "E9901", "P0002", "2024-03-04T09:00"));
        CHECK_THROWS_WITH_AS(b.cases().set_categories(older),
                             doctest::Contains("lacks category E9901"), Error);
        CHECK(b.cases().categories() == next);
    }
    SUBCASE("workflows") {
        WorkflowSpec v2 = WorkflowSpec::preset("township_six_step");
        v2.version = 2;
        a.cases().add_workflow(v2);
        CHECK_THROWS_AS(b.cases().add_workflow(v2), Error);
        CHECK(b.cases().workflows().versions("township_six_step") == std::vector<int>{1, 2});
    }
    SUBCASE("calendar") {
        a.cases().add_calendar_overrides(
            R"({"days": [{"name": "镇休", "date": "2024-03-05", "isOffDay": true}]})", "a");
        b.cases().add_calendar_overrides(
            R"({"days": [{"name": "镇休", "date": "2024-03-06", "isOffDay": true}]})", "b");
        CHECK(await_notice(a));
        for (Workspace* ws : {&a, &b}) {
            CHECK_FALSE(ws->cases().calendar().day(Date::parse("2024-03-05")).working);
            CHECK_FALSE(ws->cases().calendar().day(Date::parse("2024-03-06")).working);
        }
    }
    SUBCASE("cases") {
        const CaseId id = a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
        const CaseId other = b.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:01"));
        CHECK(other == id + 1);
        CHECK(b.cases().get(other).number == "2024-000002");
        a.cases().fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:10"));
        // b's engine has the case in its first state; the command is decided on the
        // state a left it in, where it does not apply.
        CHECK_THROWS_WITH_AS(b.cases().fire(id, Cmd(Command::file, "P0002", "2024-03-04T09:11")),
                             doctest::Contains("2024-000001"), Error);
        CHECK(a.cases().get(other).state == b.cases().get(other).state);
    }
    SUBCASE("assessment") {
        a.assessment().add_household({"H001", "371338101001001", HouseholdClass::special, {}});
        Visit v;
        v.id = "V001";
        v.household = "H001";
        v.person = "P0002";
        v.date = Date::parse("2024-03-04");
        b.assessment().add_visit(v);
        CHECK_THROWS_AS(
            b.assessment().add_household({"H001", "371338101001001", HouseholdClass::special, {}}),
            Error);
        CHECK(await_notice(a));
        CHECK(a.assessment().activities().visits().size() == 1);
    }
    check_same_as_fresh_open(a, file);
    check_same_as_fresh_open(b, file);
}

TEST_CASE("cases.connections.observers_hear_other_connections_at_the_next_call" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = township_file(dir);
    Workspace a = Workspace::open(file);
    Workspace b = Workspace::open(file, OpenOptions{false, true});
    std::vector<std::string> heard;
    b.cases().observe([&](const CaseEvent& e) { heard.push_back(e.case_number); });
    const NodeId q1 = a.hierarchy().view().at("371338101001001");
    to_handling(a.cases(), q1);
    CHECK(heard.empty());  // b has not been asked anything yet
    CHECK(await_notice(b));
    CHECK(b.cases().size() == 1);
    CHECK(heard == std::vector<std::string>(4, "2024-000001"));
}

TEST_CASE("cases.connections.a_workspace_that_does_not_follow_applies_others_at_refresh" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = township_file(dir);
    Workspace a = Workspace::open(file);
    OpenOptions manual;
    manual.follow = false;
    Workspace b = Workspace::open(file, manual);
    CHECK_FALSE(b.outdated());
    CHECK_FALSE(b.refresh());
    const NodeId q1 = a.hierarchy().view().at("371338101001001");
    a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
    CHECK(await_notice(b));
    CHECK(b.cases().size() == 0);  // answers from what it applied
    CHECK(b.refresh());
    CHECK_FALSE(b.outdated());
    CHECK(b.cases().size() == 1);
    // Its own changes are still decided on the current state.
    a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:01"));
    const CaseId mine = b.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:02"));
    CHECK(mine == 2);
    CHECK(b.cases().size() == 3);
    check_same_as_fresh_open(b, file);
}

TEST_CASE("cases.connections.a_batch_holds_the_file_until_it_ends" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = township_file(dir);
    Workspace a = Workspace::open(file);
    Workspace b = Workspace::open(file);
    const NodeId q1 = a.hierarchy().view().at("371338101001001");

    a.cases().begin_batch();
    a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
    CHECK_THROWS_WITH_AS(a.directory().add_person(person("P0100", "林峰")),
                         doctest::Contains("a case batch is open"), Error);
    std::atomic<bool> done{false};
    CaseId from_b = 0;
    std::thread other([&] {
        from_b = b.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:05"));
        done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(done.load());  // b waits for a's batch
    a.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:02"));
    a.cases().commit_batch();
    other.join();
    CHECK(from_b == 2);
    CHECK(b.cases().get(from_b).number == "2024-000003");
    check_same_as_fresh_open(a, file);
}

// ---- PostgreSQL only (ctest cpp_postgresql) ---------------------------------------------

namespace {

// The test server's URI with other connection parameters.
std::string with_parameters(const std::string& server, const std::string& more) {
    return server + (server.find('?') == std::string::npos ? "?" : "&") + more;
}

int run_cluster(const std::string& action, const std::string& dir) {
    const char* script = std::getenv("GRIDGOV_PG_CLUSTER");
    REQUIRE(script != nullptr);
    const std::string command = std::string(script) + " " + action + " " + dir + " >/dev/null";
    return std::system(command.c_str());
}

}  // namespace

TEST_CASE("postgresql.a_bad_location_is_a_clear_error_and_creates_nothing" *
          doctest::test_suite("postgresql")) {
    const std::string server = gridgov_test::test_store_server();
    REQUIRE_FALSE(server.empty());
    TempDir dir;
    const std::string location = store_location(dir, "unused");
    const std::string schema = location.substr(location.rfind("%3D") + 3);

    // A password the server refuses: the error names the server and the reason, never the
    // password.
    std::string bad = with_parameters(
        server, "user=gridgov_pw&password=not-the-password&options=-csearch_path%3D" + schema);
    try {
        Workspace::open(bad);
        FAIL("a wrong password was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find("cannot connect to PostgreSQL at postgresql://") !=
              std::string::npos);
        CHECK(std::string(e.what()).find("password authentication failed") != std::string::npos);
        CHECK(std::string(e.what()).find("not-the-password") == std::string::npos);
    }
    // The right password works.
    Workspace::open(with_parameters(
        server, "user=gridgov_pw&password=right-password&options=-csearch_path%3D" + schema));

    // A string libpq cannot read, a schema that does not exist, a database that does not.
    CHECK_THROWS_WITH_AS(Workspace::open("postgresql://host:notaport:x/?=&"),
                         doctest::Contains("connection string is not valid"), Error);
    CHECK_THROWS_WITH_AS(Workspace::open(with_parameters(server, "options=-csearch_path%3Dnone")),
                         doctest::Contains("search_path names no schema"), Error);
    const std::string other_db =
        std::string(server).replace(server.find("/gridgov"), 8, "/no_such_db");
    CHECK_THROWS_WITH_AS(Workspace::open(other_db), doctest::Contains("no_such_db"), Error);

    // The refused opens left nothing: the workspace opened above is the only one there.
    Workspace ws = Workspace::open(location, OpenOptions{false, true});
    CHECK(ws.hierarchy().view().size() == 0);
}

TEST_CASE("postgresql.a_foreign_schema_is_refused_untouched" * doctest::test_suite("postgresql")) {
    TempDir dir;
    const std::string location = store_location(dir, "foreign");
    gridgov_test::test_store_exec(location, "CREATE TABLE accounts (id bigint)");
    CHECK_THROWS_WITH_AS(Workspace::open(location), doctest::Contains("not a gridgov workspace"),
                         Error);
    gridgov_test::test_store_exec(location, "DROP TABLE accounts");  // still as it was
}

TEST_CASE("postgresql.a_server_stopped_in_a_batch_rolls_it_back_and_the_workspace_goes_on" *
          doctest::test_suite("postgresql")) {
    // A server of its own: stopping the shared one would fail the other tests.
    const char* base = std::getenv("GRIDGOV_PG_DIR");
    REQUIRE(base != nullptr);
    const std::string cluster = std::string(base) + "-stop";
    REQUIRE(run_cluster("start", cluster) == 0);
    const std::string location = "postgresql:///gridgov?host=" + cluster + "&user=postgres";
    gridgov_test::test_store_exec(location, "DROP SCHEMA IF EXISTS stopped CASCADE");
    gridgov_test::test_store_exec(location, "CREATE SCHEMA stopped");
    const std::string at = location + "&options=-csearch_path%3Dstopped";
    {
        Workspace ws = Workspace::open(at);
        populate(ws);
    }
    Workspace ws = Workspace::open(at);
    const NodeId q1 = ws.hierarchy().view().at("371338101001001");
    ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:00"));
    const auto head = ws.cases().head().sequence;

    ws.cases().begin_batch();
    ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:01"));
    ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:02"));
    REQUIRE(run_cluster("stop", cluster) == 0);
    try {
        ws.cases().commit_batch();
        FAIL("a commit to a stopped server returned");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find("connection to PostgreSQL") != std::string::npos);
    }
    // Back to the last committed state.
    CHECK(ws.cases().size() == 1);
    CHECK(ws.cases().head().sequence == head);
    // While the server is away, reads answer from memory and writes fail clearly.
    CHECK(ws.hierarchy().view().size() > 0);
    CHECK_THROWS_WITH_AS(ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:03")),
                         doctest::Contains("PostgreSQL"), Error);
    CHECK(ws.cases().size() == 1);

    REQUIRE(run_cluster("resume", cluster) == 0);
    const CaseId later = ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T09:04"));
    CHECK(later == 1);
    CHECK(ws.cases().verify_log().ok);
    {
        Workspace fresh = Workspace::open(at, OpenOptions{false, true});
        CHECK(fresh.cases().size() == 2);
        CHECK(fresh.cases().verify_log().ok);
    }
    run_cluster("stop", cluster);
}

TEST_CASE("workspace.copy.carries_every_table_into_another_store_unchanged" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string origin = township_file(dir);
    {
        Workspace ws = Workspace::open(origin);
        const NodeId q1 = ws.hierarchy().view().at("371338101001001");
        to_handling(ws.cases(), q1);
        ws.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T10:00"));
        ws.assessment().add_household({"H001", "371338101001001", HouseholdClass::special, {}});
        ws.assessment().add_household({"H000", "371338101001001", HouseholdClass::ordinary, {}});
        Record resident;
        resident.key = "R1";
        resident.kind = "resident";
        resident.node = ws.hierarchy().view().at("371338101001001");
        resident.fields = {{"name", "张三"}, {"registration", "流动人口"}, {"household", "F1"}};
        ws.records().add({resident}, Date::parse("2024-03-01"));
    }
    // Into a file, and on from there into another store of the kind under test.
    const std::string file = dir.file("copy.gridgov");
    const Workspace::CopySummary first = Workspace::copy(origin, file);
    CHECK(first.tables == 53);
    CHECK(first.rows > 0);
    const std::string second = store_location(dir, "second.gridgov");
    CHECK(Workspace::copy(file, second).rows == first.rows);

    Workspace a = Workspace::open(origin, OpenOptions{false, true});
    for (const std::string& at : {file, second}) {
        Workspace b = Workspace::open(at, OpenOptions{false, true});
        CHECK(b.hierarchy().export_text(FileFormat::json) ==
              a.hierarchy().export_text(FileFormat::json));
        CHECK(all_records(b.cases()) == all_records(a.cases()));
        CHECK(b.cases().head().hash == a.cases().head().hash);
        CHECK(b.cases().verify_log().ok);
        CHECK(b.directory().view().person_count() == a.directory().view().person_count());
        CHECK(b.records().export_text(RecordReader::system_read("tests", Reveal::revealed),
                                      DocumentFormat::json, "") ==
              a.records().export_text(RecordReader::system_read("tests", Reveal::revealed),
                                      DocumentFormat::json, ""));
        CHECK(b.records().find(RecordReader::system_read("tests"), "household", "F1").size() == 1);
        // Activity records keep their order (households in the order added).
        REQUIRE(b.assessment().activities().households().size() == 2);
        CHECK(b.assessment().activities().households()[0].id == "H001");
    }
    // A copy takes changes as the original would.
    Workspace c = Workspace::open(second);
    const NodeId q1 = c.hierarchy().view().at("371338101001001");
    CHECK(c.cases().report(new_case(q1, "E0102", "P0002", "2024-03-04T11:00")) == 2);

    // Refused: an existing file, a store that holds anything, a source that does not exist,
    // the same place twice; a failed copy leaves no file behind.
    CHECK_THROWS_WITH_AS(Workspace::copy(origin, file), doctest::Contains("exists"), Error);
    CHECK_THROWS_WITH_AS(Workspace::copy(file, second), doctest::Contains("copy destination"),
                         Error);
    CHECK_THROWS_AS(Workspace::copy(dir.file("none.gridgov"), dir.file("x.gridgov")), Error);
    CHECK_FALSE(std::filesystem::exists(dir.file("x.gridgov")));
    CHECK_THROWS_AS(Workspace::copy(file, file), Error);
    CHECK_THROWS_AS(Workspace::copy(file, ":memory:"), Error);
}

// ---- stored forms -------------------------------------------------------------------------

namespace {

// The stored form of event payloads (docs/cases.md, "Stored events"): compact only when
// it reads back as the very text the hash covers, the text itself otherwise, and a
// stored form that cannot be read is named.
using gridgov::detail::decode_payload;
using gridgov::detail::encode_payload;

class MemoryNames final : public gridgov::detail::PayloadNames {
  public:
    std::uint32_t id_of(std::string_view name) override {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it != names.end())
            return static_cast<std::uint32_t>(it - names.begin() + 1);
        names.emplace_back(name);
        return static_cast<std::uint32_t>(names.size());
    }
    std::string_view name_of(std::uint32_t id) override {
        if (id == 0 || id > names.size())
            throw std::invalid_argument("no name " + std::to_string(id));
        return names[id - 1];
    }
    std::string_view json_of(std::uint32_t id) override {
        quoted.clear();
        gridgov::detail::append_json_string(quoted, name_of(id));
        return quoted;
    }
    bool has(std::string_view name) const {
        return std::find(names.begin(), names.end(), name) != names.end();
    }
    std::vector<std::string> names;
    std::string quoted;
};

std::string read_back(std::string_view stored, MemoryNames& names) {
    std::string out;
    decode_payload(stored, names, out);
    return out;
}

}  // namespace

TEST_CASE("cases.payload.the_engines_payloads_are_stored_compact_and_read_back_exactly") {
    MemoryNames names;
    const std::vector<std::string> payloads = {
        "{}",
        R"({"number":"2024-000160","workflow":"township_six_step","version":1,"category":"E0102","node":"370503012007001","node_id":44390,"area_class":"一类","source":"hotline_12345","clocks":[{"stage":"dispatch","limit":{"value":1,"unit":"working_days"}}]})",
        R"({"department":"D-HW-370503","route":"named","route_node":"370503","clocks":[{"stage":"handle","limit":{"value":4,"unit":"working_hours"}}]})",
        R"({"evidence":["p.jpg","b \"q\"\n\\.jpg"],"reason":"群众反映强烈\t!"})",
        R"({"stage":"handle","deadline":"2024-02-07T15:10:00+08:00","flag":true,"escalated":false,"tier":-1,"notify":["village_grid_leader","grid_worker"],"none":null})",
        R"({"big":9223372036854775807,"small":-9223372036854775808,"":{"":[[],{}]}})",
        R"({"a":1,"a":2})",
        R"({"c":"\u0001\u001f"})",
    };
    for (const std::string& json : payloads) {
        INFO(json);
        std::string stored;
        encode_payload(json, names, stored);
        REQUIRE_FALSE(stored.empty());
        CHECK(stored[0] == 1);
        CHECK(read_back(stored, names) == json);
        CHECK((stored.size() < json.size() || json == "{}"));
    }
    // Keys and the values of enumerated fields are names; free text and numbers are not.
    for (const char* name : {"number", "township_six_step", "E0102", "370503012007001", "一类",
                             "hotline_12345", "dispatch", "working_days", "D-HW-370503", "named",
                             "village_grid_leader", "grid_worker", ""})
        CHECK_MESSAGE(names.has(name), name);
    for (const char* text :
         {"2024-000160", "p.jpg", "群众反映强烈\t!", "2024-02-07T15:10:00+08:00"})
        CHECK_MESSAGE(!names.has(text), text);
    // A report's payload takes about a quarter of its text.
    std::string report;
    encode_payload(payloads[1], names, report);
    CHECK(report.size() * 3 < payloads[1].size());
}

TEST_CASE("cases.payload.what_would_not_read_back_exactly_is_stored_as_text") {
    MemoryNames names;
    std::string deep;
    for (int i = 0; i < 40; ++i)
        deep += "[";
    for (int i = 0; i < 40; ++i)
        deep += "]";
    for (const std::string& json :
         {std::string(R"({"amount":1.5})"), std::string(R"({ "a":1})"),
          std::string(R"({"a":"\u00e9"})"), std::string(R"({"a":"\/"})"),
          std::string(R"({"a":-0})"), std::string(R"({"a":18446744073709551615})"),
          std::string(R"({"a":1e3})"), std::string("[1,2"), std::string(""),
          std::string("not json"), std::string("{}\n"), deep}) {
        INFO(json);
        std::string stored;
        encode_payload(json, names, stored);
        REQUIRE_FALSE(stored.empty());
        CHECK(stored[0] == 0);
        CHECK(read_back(stored, names) == json);
    }
}

TEST_CASE("cases.payload.a_stored_form_that_cannot_be_read_is_named") {
    MemoryNames names;
    names.id_of("stage");
    const auto refused = [&](const std::string& stored, const char* words) {
        INFO(words);
        CHECK_THROWS_WITH_AS(read_back(stored, names), doctest::Contains(words),
                             std::invalid_argument);
    };
    refused("", "empty");
    refused(std::string("\x02{}", 3), "unknown form 2");
    refused(std::string("\x01", 1), "cut short");
    refused(std::string("\x01\x09", 2), "unknown value tag 9");
    refused(std::string("\x01\x05\x63", 3), "no name 99");
    refused(std::string("\x01\x05\x00", 3), "name id 0 is out of range");
    refused(std::string("\x01\x04\x05"
                        "ab",
                        5),
            "a text runs past the end");
    refused(std::string("\x01\x03\x02\x00", 4), "bytes follow the document");
    refused(std::string("\x01\x06\x01\x03", 4), "cut short");
    refused(std::string("\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 13),
            "longer than 64 bits");
    std::string deep("\x01", 1);
    for (int i = 0; i < 40; ++i)
        deep += '\x07';
    refused(deep, "nested deeper than 32");
    CHECK(read_back(std::string("\x01\x06\x01\x05\x01\x00", 6), names) == R"({"stage":"stage"})");
}

// The engine's pool of case numbers: a number checked and added in one probe, room
// made ahead for an open.

TEST_CASE("cases.numbers.a_taken_number_is_refused_and_changes_nothing") {
    gridgov::detail::NumberPool pool;
    pool.reserve(50'000, 12 * 50'000);
    for (int i = 0; i < 50'000; ++i)
        REQUIRE(pool.push_back_new("2024-" + std::to_string(100'000 + i)));
    CHECK(pool.size() == 50'000);
    CHECK_FALSE(pool.push_back_new("2024-123456"));
    CHECK_FALSE(pool.push_back_new("2024-100000"));
    CHECK(pool.size() == 50'000);
    CHECK(pool.at(49'999) == "2024-149999");
    CHECK(pool.find("2024-123456") == 23'456u);
    CHECK_FALSE(pool.find("2024-150000").has_value());
    CHECK(pool.push_back_new("2024-150000"));
    CHECK(pool.find("2024-150000") == 50'000u);
    CHECK(pool.at(50'000) == "2024-150000");
    pool.truncate(10);
    CHECK(pool.size() == 10);
    CHECK_FALSE(pool.find("2024-100010").has_value());
    CHECK(pool.push_back_new("2024-100010"));
    CHECK_FALSE(pool.push_back_new("2024-100003"));
    CHECK(pool.find("2024-100010") == 10u);
}

TEST_CASE("cases.numbers.numbers_read_from_a_file_are_indexed_at_the_first_look_up") {
    gridgov::detail::NumberPool pool;
    pool.push_back_unindexed("2024-000001");
    pool.push_back_unindexed("2024-000002");
    CHECK(pool.find("2024-000002") == CaseId{1});
    CHECK_FALSE(pool.find("2024-000003"));
    pool.push_back("2024-000003");  // indexed as it comes, the index being up to date
    CHECK(pool.find("2024-000003") == CaseId{2});
    pool.push_back_unindexed("2024-000004");
    pool.truncate(3);  // takes away a number not indexed yet
    CHECK_FALSE(pool.find("2024-000004"));
    CHECK(pool.push_back_new("2024-000004"));
    CHECK_FALSE(pool.push_back_new("2024-000001"));
    CHECK(pool.size() == 4);
    pool.truncate(1);
    CHECK_FALSE(pool.find("2024-000002"));
    CHECK(pool.find("2024-000001") == CaseId{0});
    CHECK(pool.at(0) == "2024-000001");
    // A file whose schema was broken to hold a number twice: the look-up names it.
    gridgov::detail::NumberPool broken;
    broken.push_back_unindexed("2024-000007");
    broken.push_back_unindexed("2024-000008");
    broken.push_back_unindexed("2024-000007");
    CHECK_THROWS_WITH_AS(broken.find("2024-000008"),
                         doctest::Contains("case number 2024-000007 is used twice (cases 1 and 3)"),
                         Error);
}

TEST_CASE("cases.columns.large_columns_keep_their_values_as_they_grow_and_shrink") {
    // 2 MiB and more are mapped on their own; below, operator new: cross the line both ways.
    gridgov::detail::ColumnVector<std::int64_t> column;
    const std::size_t large = gridgov::detail::large_block / sizeof(std::int64_t) * 3 + 7;
    for (std::size_t i = 0; i < large; ++i)
        column.push_back(static_cast<std::int64_t>(i) * 3);
    CHECK(column.capacity() * sizeof(std::int64_t) >= gridgov::detail::large_block);
    bool kept = true;
    for (std::size_t i = 0; i < large; ++i)
        kept = kept && column[i] == static_cast<std::int64_t>(i) * 3;
    CHECK(kept);
    column.resize(large + 1000);  // new elements are value-initialized
    CHECK(column.back() == 0);
    column.resize(10);
    column.shrink_to_fit();
    CHECK(column.capacity() * sizeof(std::int64_t) < gridgov::detail::large_block);
    CHECK(column[9] == 27);
    gridgov::detail::ColumnVector<std::int64_t> copy = column;
    CHECK(copy == column);
}
