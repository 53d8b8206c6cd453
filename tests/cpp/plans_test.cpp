// The inbox query CaseEngine::candidates() and matter plans (plans.hpp): the plan CSV, its
// errors, and run_plans() on a township of the sample county (青石镇) with every side path
// of the six-step loop, ticks that breach and escalate, and a refused step.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

using gridgov_test::cmd;
using gridgov_test::node;
using gridgov_test::post;
using gridgov_test::store_location;
using gridgov_test::TempDir;

std::vector<NodeSpec> plan_nodes() {
    return {node("371338", "", "county", "苇川县"),
            node("371338101", "371338", "township", "青石镇"),
            node("371338101001", "371338101", "village", "青石村"),
            node("371338101002", "371338101", "village", "东岭村"),
            node("371338101001001", "371338101001", "grid", "青石村第一网格"),
            node("371338101002001", "371338101002", "grid", "东岭村第一网格")};
}

std::vector<Person> plan_people() {
    std::vector<Person> out;
    for (int i = 1; i <= 9; ++i) {
        Person p;
        p.id = "P000" + std::to_string(i);
        p.name = "人员" + std::to_string(i);
        out.push_back(p);
    }
    return out;
}

// P0001 informant of 青石村第一网格, P0002 township centre, P0003/P0004 village leaders of
// 东岭村/青石村, P0005 sanitation office, P0006 township grid leader, P0007 instructor of
// 青石村, P0008 a person without posts.
std::vector<Assignment> plan_posts(const Hierarchy& h) {
    return {post("P0001", "grid_information_officer", h.at("371338101001001")),
            post("P0002", "service_centre_staff", h.at("371338101")),
            post("P0003", "village_grid_leader", h.at("371338101002")),
            post("P0004", "village_grid_leader", h.at("371338101001")),
            post("P0006", "township_grid_leader", h.at("371338101")),
            post("P0007", "grid_instructor", h.at("371338101001"))};
}

const char* plan_departments_json = R"({"key": "qingshi", "name": "青石镇处置部门",
  "departments": [
    {"code": "D-HW-QS", "kind": "sanitation", "zh": "青石镇环卫所", "node": "371338101",
     "members": ["P0005"]},
    {"code": "D-ZZ-QS", "kind": "territorial", "zh": "青石镇综治中心", "node": "371338101",
     "members": ["P0009"]}]})";

Catalogue plan_catalogue() {
    return merge_catalogues(Catalogue::preset("township_000"), workflow_roles_catalogue());
}

struct Town {
    Hierarchy h;
    Directory dir;
    CaseEngine engine;
    NodeId q1{}, d1{};

    Town() : dir(plan_catalogue()), engine(h, dir) {
        h.add_all(plan_nodes());
        q1 = h.at("371338101001001");
        d1 = h.at("371338101002001");
        dir.add_people(plan_people());
        dir.add_assignments(h, plan_posts(h));
        engine.set_departments(DepartmentCatalogue::from_json(plan_departments_json, "depts"));
    }
};

NewCase report_at(NodeId where, const std::string& actor, const std::string& when) {
    NewCase n;
    n.command.command = Command::report;
    n.command.actor = actor;
    n.command.at = Instant::parse(when);
    n.command.node = where;
    n.command.category = "E0102";
    return n;
}

// A command with every payload field its transitions may ask for.
CaseCommand full(Command c, const std::string& actor, const std::string& when) {
    CaseCommand out = cmd(c, actor, when);
    out.reason = "原因";
    out.evidence = {"photo-1"};
    if (c == Command::request_extension || c == Command::approve_extension)
        out.amount = TimeLimit::working_days(1);
    if (c == Command::rate || c == Command::callback)
        out.rating = Rating::of(Satisfaction::satisfied);
    return out;
}

using Ids = std::vector<std::string>;

// candidates() must list exactly the people check() accepts with a complete payload.
void agrees_with_check(const Town& t, CaseId id, Command c, const std::string& when) {
    const Ids listed = t.engine.candidates(id, c, Instant::parse(when));
    CHECK(std::is_sorted(listed.begin(), listed.end()));
    for (const Person& p : plan_people()) {
        const CommandCheck check = t.engine.check(id, full(c, p.id, when));
        const bool in = std::find(listed.begin(), listed.end(), p.id) != listed.end();
        INFO(command_name(c) << " by " << p.id << ": " << check.message);
        CHECK(check.accepted == in);
    }
}

}  // namespace

// ---- candidates ----------------------------------------------------------------------------

TEST_CASE("cases.candidates.list_who_may_fire_exactly_as_check_decides") {
    Town t;
    CaseEngine& e = t.engine;
    const CaseId id = e.report(report_at(t.q1, "P0001", "2024-03-04T09:00"));
    const auto now = Instant::parse("2024-03-04T09:05");
    // reported: the centre files; the informant and the village leader above may escalate
    // or handle it themselves.
    CHECK(e.candidates(id, Command::file, now) == Ids{"P0002"});
    CHECK(e.candidates(id, Command::escalate, now) == Ids{"P0001", "P0004"});
    CHECK(e.candidates(id, Command::self_handle, now) == Ids{"P0001", "P0004"});
    CHECK(e.candidates(id, Command::accept, now).empty());
    for (Command c : all_commands()) {
        if (c != Command::report)
            agrees_with_check(t, id, c, "2024-03-04T09:05");
    }
    e.fire(id, cmd(Command::file, "P0002", "2024-03-04T09:10"));
    CaseCommand d = cmd(Command::dispatch, "P0002", "2024-03-04T09:20");
    d.department = "D-HW-QS";
    e.fire(id, d);
    e.fire(id, cmd(Command::accept, "P0005", "2024-03-04T09:30"));
    const auto later = Instant::parse("2024-03-04T10:00");
    // handling: the department member and the grid's informant report back; the township
    // leader and the village's instructor supervise.
    CHECK(e.candidates(id, Command::feedback, later) == Ids{"P0001", "P0005"});
    CHECK(e.candidates(id, Command::supervise, later) == Ids{"P0006", "P0007"});
    CHECK(e.candidates(id, Command::escalate, later) == Ids{"P0001", "P0004", "P0005"});
    CHECK(e.candidates(id, Command::suspend, later) == Ids{"P0002"});
    for (Command c : all_commands()) {
        if (c != Command::report)
            agrees_with_check(t, id, c, "2024-03-04T10:00");
    }
    // Before the case's last event nobody may act.
    CHECK(e.candidates(id, Command::feedback, Instant::parse("2024-03-04T09:25")).empty());
    CHECK_THROWS_AS(e.candidates(id, Command::report, later), Error);
    CHECK_THROWS_AS(e.candidates(99, Command::file, later), Error);
}

TEST_CASE("cases.candidates.follow_the_case_node_the_guards_and_the_tier") {
    Town t;
    CaseEngine& e = t.engine;
    const CaseId id = e.report(report_at(t.d1, "P0003", "2024-03-04T09:00"));
    // 东岭村: its own village leader, not 青石村's; the informant of another grid neither.
    CHECK(e.candidates(id, Command::escalate, Instant::parse("2024-03-04T09:05")) == Ids{"P0003"});
    e.fire(id, cmd(Command::file, "P0002", "2024-03-04T09:10"));
    CaseCommand d = cmd(Command::dispatch, "P0002", "2024-03-04T09:20");
    d.department = "D-HW-QS";
    e.fire(id, d);
    e.fire(id, cmd(Command::accept, "P0005", "2024-03-04T09:30"));
    CaseCommand ask = full(Command::request_extension, "P0005", "2024-03-04T09:40");
    e.fire(id, ask);
    // A first extension is the centre's; a second one the township grid leader's.
    CHECK(e.candidates(id, Command::approve_extension, Instant::parse("2024-03-04T09:50")) ==
          Ids{"P0002"});
    agrees_with_check(t, id, Command::approve_extension, "2024-03-04T09:50");
    e.fire(id, full(Command::approve_extension, "P0002", "2024-03-04T09:50"));
    e.fire(id, full(Command::request_extension, "P0005", "2024-03-04T10:00"));
    CHECK(e.candidates(id, Command::approve_extension, Instant::parse("2024-03-04T10:10")) ==
          Ids{"P0006"});
    CHECK(e.candidates(id, Command::deny_extension, Instant::parse("2024-03-04T10:10")) ==
          Ids{"P0002", "P0006"});
    agrees_with_check(t, id, Command::approve_extension, "2024-03-04T10:10");
    e.fire(id, full(Command::deny_extension, "P0006", "2024-03-04T10:10"));
    // Escalated to the county tier (the highest), nobody may escalate further.
    for (int i = 0; i < 3; ++i)
        e.fire(id, full(Command::escalate, "P0005", "2024-03-04T10:20"));
    CHECK(e.get(id).tier == 3);
    CHECK(e.candidates(id, Command::escalate, Instant::parse("2024-03-04T10:30")).empty());
    agrees_with_check(t, id, Command::escalate, "2024-03-04T10:30");
}

// ---- plan files ----------------------------------------------------------------------------

namespace {

const std::string plan_header =
    "matter,step,command,at,actor,node,category,source,workflow,reporter,department,amount,"
    "rating,reason,evidence,note\n";

std::string parse_error_of(const Town& t, const std::string& body) {
    try {
        parse_matter_plans(plan_header + body, t.h, "plans.csv");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("plans.parse.errors_name_the_row_and_field") {
    Town t;
    const std::string report =
        "M1,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,,,,,,,,,\n";
    CHECK(parse_matter_plans(plan_header + report, t.h, "plans.csv").size() == 1);
    CHECK(parse_error_of(t, report + "M1,1,fly,2024-03-04T09:10,,,,,,,,,,,,\n") ==
          std::string("plans.csv row 3 field 'command': ") + [] {
              try {
                  parse_command("fly");
              } catch (const Error& e) {
                  return std::string(e.what());
              }
              return std::string();
          }());
    CHECK(parse_error_of(t, "M1,0,report,2024-03-04T09:00,P0001,999,E0102,,,,,,,,,\n") ==
          "plans.csv row 2 field 'node': no live node with code '999'");
    CHECK(parse_error_of(t, report + "M1,2,file,2024-03-04T09:10,,,,,,,,,,,,\n") ==
          "plans.csv row 3 field 'step': step 2 of matter 'M1' should be step 1");
    CHECK(parse_error_of(t, report + "M1,1,file,2024-03-04T08:10,,,,,,,,,,,,\n")
              .rfind("plans.csv row 3 field 'at': 2024-03-04T08:10:00+08:00 comes before", 0) == 0);
    CHECK(parse_error_of(t, report + report) ==
          "plans.csv row 3 field 'matter': matter 'M1' is given twice (its report row again)");
    CHECK(parse_error_of(t, report + "M1,1,request_extension,2024-03-04T09:10,,,,,,,,3 "
                                     "fortnights,,,,\n") ==
          "plans.csv row 3 field 'amount': unknown time unit 'fortnights' (expected "
          "natural_minutes, natural_hours, natural_days, working_minutes, working_hours or "
          "working_days)");
    CHECK(parse_error_of(t, report + "M1,1,rate,2024-03-04T09:10,,,,,,,,,9,,,\n")
              .rfind("plans.csv row 3 field 'rating': ", 0) == 0);
    CHECK(parse_error_of(t, "M1,0,report,2024-03-04T09:00,P0001,371338101001001,,,,,,,,,,\n") ==
          "plans.csv row 2 field 'category': required on a report row");
    CHECK(parse_error_of(t, "M2,1,file,2024-03-04T09:10,,,,,,,,,,,,\n")
              .rfind("plans.csv row 2 field 'step': step 1 of matter 'M2' does not follow", 0) ==
          0);
    try {
        parse_matter_plans("matter,step,command\nM1,0,report\n", t.h, "short.csv");
        FAIL("a header without every column was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::parse_error);
        CHECK(std::string(e.what()) ==
              "short.csv row 1: column 'at' is missing (the header needs "
              "every column of the plan format)");
    }
    CHECK_THROWS_AS(read_matter_plans("/nonexistent/plans.csv", t.h), Error);
}

TEST_CASE("plans.parse.instants_in_every_iso_form_and_a_bad_one_names_the_field") {
    Town t;
    const std::string report =
        "M1,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,,,,,,,,,\n";
    for (const char* at : {"2024-03-04T09:10:00.250+08:00", "2024-03-04T01:10:00.250Z",
                           "2024-03-04T09:10+0800", "2024-03-03T20:10-05:00"}) {
        CAPTURE(at);
        const std::vector<MatterPlan> plans = parse_matter_plans(
            plan_header + report + "M1,1,self_handle," + at + ",P0001,,,,,,,,,,,\n", t.h, "p.csv");
        REQUIRE(plans.size() == 1);
        REQUIRE(plans[0].steps.size() == 1);
        CHECK(plans[0].steps[0].command.at == Instant::parse("2024-03-04T09:10"));
    }
    CHECK(parse_error_of(t, report + "M1,1,self_handle,2024-03-04T09:10:00+24:00,,,,,,,,,,,,\n") ==
          "plans.csv row 3 field 'at': \"2024-03-04T09:10:00+24:00\" is not an ISO 8601 instant "
          "(expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): offset +24:00 is beyond "
          "±14:00");
    CHECK(parse_error_of(t, report + "M1,1,self_handle,2024-03-04 09:10,,,,,,,,,,,,\n")
              .rfind("plans.csv row 3 field 'at': \"2024-03-04 09:10\" is not an ISO 8601", 0) ==
          0);
}

TEST_CASE("plans.parse.text_not_utf8_or_with_controls_names_the_row_and_field") {
    Town t;
    const std::string report = "M1,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,,,,,,,,,";
    const std::string nul(1, '\0');
    CHECK(parse_error_of(t, report + "\xE5\xA4\n")
              .rfind("plans.csv row 2 field 'note': not UTF-8 text", 0) == 0);
    CHECK(parse_error_of(t, report + "a" + nul + "b\n")
              .rfind("plans.csv row 2 field 'note': control character U+0000", 0) == 0);
    CHECK(parse_error_of(t,
                         "M1\x01,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,,,,,,,"
                         ",,\n")
              .rfind("plans.csv row 2 field 'matter': control character U+0001", 0) == 0);
    // A note and a reason may span lines.
    const std::vector<MatterPlan> plans =
        parse_matter_plans(plan_header + report + "\"第一行\n第二行\t完\"\n", t.h, "plans.csv");
    REQUIRE(plans.size() == 1);
    CHECK(plans[0].report.command.note == "第一行\n第二行\t完");
}

TEST_CASE("plans.parse.round_trips_through_the_writer") {
    Town t;
    const std::string text =
        plan_header +
        "2024-000001,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,grid_worker,"
        "township_six_step,P0001,,,,,,note\n"
        "2024-000001,1,request_extension,2024-03-04T10:00,P0005,,,,,,,2 working_days "
        "close_of_business,,\"too wet, wait\",,\n"
        "2024-000001,2,rate,2024-03-05T10:00,,,,,,,,,4,,a;b,\n"
        "2024-000001,3,archive,2024-03-05T11:00,system,,,,,,,,,,,\n";
    const std::vector<MatterPlan> plans = parse_matter_plans(text, t.h, "p.csv");
    REQUIRE(plans.size() == 1);
    const MatterPlan& p = plans[0];
    CHECK(p.report.number == "2024-000001");
    CHECK(p.report.workflow == "township_six_step");
    CHECK(p.report.reporter == "P0001");
    CHECK(p.report.command.node == t.q1);
    REQUIRE(p.steps.size() == 3);
    CHECK(p.steps[0].command.amount ==
          TimeLimit::working_days(2, WorkingDayRule::close_of_business));
    CHECK(p.steps[0].command.reason == "too wet, wait");
    CHECK(p.steps[1].command.rating->score == 4);
    CHECK(p.steps[1].command.rating->level == Satisfaction::satisfied);
    CHECK(p.steps[1].command.evidence == std::vector<std::string>{"a", "b"});
    CHECK(p.steps[1].command.actor.empty());
    CHECK(p.steps[2].command.system);
    const std::string again = write_matter_plans(plans, t.h);
    CHECK(write_matter_plans(parse_matter_plans(again, t.h, "again.csv"), t.h) == again);
}

// ---- running plans -------------------------------------------------------------------------

namespace {

// M1: every side path of the six-step loop; the actors left empty are the first candidate.
// M2: escalated by its informant, then left in handling until the ticks breach it (the
// handling state escalates on a breach). M3: a close the reported state does not take, and
// a step after it.
const std::string three_matters =
    plan_header +
    "2024-000001,0,report,2024-03-04T09:00,P0001,371338101001001,E0102,,,,,,,,,\n"
    "2024-000001,1,file,2024-03-04T09:10,,,,,,,,,,,,\n"
    "2024-000001,2,dispatch,2024-03-04T09:20,,,,,,,D-HW-QS,,,,,\n"
    "2024-000001,3,return,2024-03-04T09:30,,,,,,,,,,不属本所,,\n"
    "2024-000001,4,dispatch,2024-03-04T09:40,,,,,,,D-HW-QS,,,,,\n"
    "2024-000001,5,accept,2024-03-04T09:50,,,,,,,,,,,,\n"
    "2024-000001,6,request_extension,2024-03-04T10:00,,,,,,,,1 working_days,,需调车,,\n"
    "2024-000001,7,approve_extension,2024-03-04T10:10,,,,,,,,1 working_days,,,,\n"
    "2024-000001,8,request_extension,2024-03-04T10:20,,,,,,,,1 working_days,,再等,,\n"
    "2024-000001,9,deny_extension,2024-03-04T10:30,,,,,,,,,,不予再延,,\n"
    "2024-000001,10,suspend,2024-03-04T10:40,,,,,,,,,,等待雨停,,\n"
    "2024-000001,11,resume,2024-03-05T09:00,,,,,,,,,,,,\n"
    "2024-000001,12,feedback,2024-03-05T10:00,P0005,,,,,,,,,,photo-1,\n"
    "2024-000001,13,check_fail,2024-03-05T10:30,,,,,,,,,,未清理干净,,\n"
    "2024-000001,14,feedback,2024-03-05T11:00,P0005,,,,,,,,,,photo-2,\n"
    "2024-000001,15,check_pass,2024-03-05T11:30,,,,,,,,,,,,\n"
    "2024-000001,16,rate,2024-03-05T14:00,,,,,,,,,basically_satisfied,,,\n"
    "2024-000001,17,close,2024-03-05T14:30,,,,,,,,,,,,\n"
    "2024-000001,18,archive,2024-03-05T15:00,system,,,,,,,,,,,\n"
    "2024-000002,0,report,2024-03-04T09:05,P0001,371338101001001,E0102,,,,,,,,,\n"
    "2024-000002,1,escalate,2024-03-04T09:15,,,,,,,,,,网格无法处置,,\n"
    "2024-000002,2,file,2024-03-04T09:25,,,,,,,,,,,,\n"
    "2024-000002,3,dispatch,2024-03-04T09:35,,,,,,,D-HW-QS,,,,,\n"
    "2024-000002,4,accept,2024-03-04T09:45,,,,,,,,,,,,\n"
    "2024-000003,0,report,2024-03-04T11:00,P0001,371338101001001,E0102,,,,,,,,,\n"
    "2024-000003,1,close,2024-03-04T11:10,,,,,,,,,,,,\n"
    "2024-000003,2,file,2024-03-04T11:20,,,,,,,,,,,,\n";

void check_three(const CaseEngine& e, const PlanRunReport& r) {
    CHECK(r.matters == 3);
    CHECK(r.cases_reported == 3);
    CHECK(r.steps_accepted == 22);
    CHECK(r.steps_refused == 1);
    CHECK(r.steps_skipped == 1);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule == "plan.refused");
    CHECK(r.findings[0].severity == Severity::error);
    CHECK(r.findings[0].where == "2024-000003 step 1");
    CHECK(r.findings[0].message.find("nobody may fire close on case 2024-000003") !=
          std::string::npos);

    const CaseRecord m1 = e.get(e.at("2024-000001"));
    CHECK(m1.state == "archived");
    CHECK(m1.counter("returns") == 1);
    CHECK(m1.counter("extensions") == 1);
    CHECK(m1.counter("rework") == 1);
    CHECK(m1.counter("escalations") == 0);
    REQUIRE(m1.rating);
    CHECK(m1.rating->level == Satisfaction::basically_satisfied);
    CHECK_FALSE(m1.breached);
    const std::vector<CaseEvent> ev = e.events(m1.id);
    REQUIRE(ev.size() == 19);
    // The empty actors were the first candidates: the department returns, the centre
    // approves and denies, the reporter (P0001 sorts before the centre's P0002) rates,
    // 青石村's leader checks.
    CHECK(ev[3].actor == "P0005");
    CHECK(ev[7].actor == "P0002");
    CHECK(ev[9].actor == "P0002");
    CHECK(ev[13].actor == "P0004");
    CHECK(ev[16].actor == "P0001");
    CHECK(ev[18].system);

    const CaseRecord m2 = e.get(e.at("2024-000002"));
    CHECK(m2.state == "handling");
    CHECK(m2.counter("escalations") == 1);
    CHECK(m2.breached);
    CHECK(m2.tier == 2);  // 1 by the informant, 1 by the breach in handling

    const CaseRecord m3 = e.get(e.at("2024-000003"));
    CHECK(m3.state == "reported");
    CHECK(m3.events == 2);  // the report, and the breach of its waiting clock by the ticks
    CHECK(m3.breached);
    CHECK(e.verify_log().ok);
    CHECK(e.verify_cases().empty());
}

}  // namespace

TEST_CASE("plans.run.every_side_path_breaches_and_a_refused_step") {
    Town t;
    const std::vector<MatterPlan> plans = parse_matter_plans(three_matters, t.h, "three.csv");
    PlanRunOptions options;
    options.tick_until = Instant::parse("2024-03-15T00:00");
    std::vector<std::size_t> progress;
    options.batch_size = 10;
    options.progress = [&](std::size_t done, std::size_t total) {
        CHECK(total == 27);
        progress.push_back(done);
        return true;
    };
    const PlanRunReport r = run_plans(t.engine, plans, options);
    check_three(t.engine, r);
    CHECK(progress == std::vector<std::size_t>{10, 20, 27});
    CHECK(r.batches_committed == 3);
    CHECK(r.breaches >= 1);
    CHECK(r.escalations == 1);
    CHECK_FALSE(t.engine.in_batch());
}

TEST_CASE("plans.run.hourly_ticks_in_a_workspace_file_and_a_stop" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string file = store_location(dir, "plans.gridgov");
    {
        Workspace ws = Workspace::open(file);
        ws.directory().set_catalogue(plan_catalogue());
        ws.hierarchy().add_nodes(plan_nodes());
        ws.directory().add_people(plan_people());
        ws.directory().add_assignments(plan_posts(ws.hierarchy().view()));
        ws.cases().set_departments(DepartmentCatalogue::from_json(plan_departments_json, "depts"));
        const std::vector<MatterPlan> plans =
            parse_matter_plans(three_matters, ws.hierarchy().view(), "three.csv");
        PlanRunOptions options;
        options.tick_interval = 3600;
        options.tick_until = Instant::parse("2024-03-15T00:00");
        options.batch_size = 0;
        const PlanRunReport r = run_plans(ws.cases(), plans, options);
        CHECK(r.batches_committed == 1);
        // From 09:00 on 2024-03-04 to 15:00 on 2024-03-05 hour by hour (31), then the
        // last tick.
        CHECK(r.ticks == 32);
        check_three(ws.cases(), r);
    }
    {
        Workspace ws = Workspace::open(file);
        check_three(ws.cases(),
                    PlanRunReport{3,
                                  3,
                                  22,
                                  1,
                                  1,
                                  0,
                                  0,
                                  0,
                                  0,
                                  false,
                                  {Finding{"plan.refused", Severity::error, "2024-000003 step 1",
                                           "nobody may fire close on case "
                                           "2024-000003"}}});
    }
    // A progress callback that says stop: the first batch stays, nothing else is done.
    TempDir other;
    Workspace ws = Workspace::open(other.file("stop.gridgov"));
    ws.directory().set_catalogue(plan_catalogue());
    ws.hierarchy().add_nodes(plan_nodes());
    ws.directory().add_people(plan_people());
    ws.directory().add_assignments(plan_posts(ws.hierarchy().view()));
    ws.cases().set_departments(DepartmentCatalogue::from_json(plan_departments_json, "depts"));
    PlanRunOptions stop;
    stop.batch_size = 5;
    stop.progress = [](std::size_t, std::size_t) { return false; };
    const PlanRunReport r =
        run_plans(ws.cases(), parse_matter_plans(three_matters, ws.hierarchy().view(), "t"), stop);
    CHECK(r.stopped);
    CHECK(r.batches_committed == 1);
    CHECK(ws.cases().last_sequence() == 5);
    CHECK_FALSE(ws.cases().in_batch());
}
