// C ABI contract of oversight, on the township of the case tests: 岸堤镇 over 东岭村 (two
// grids) and 西河村 (one), its information officer P01, village grid leader P02,
// service-centre staff P03 and the sanitation office's P04. March 2026: a draw of two of the
// three grids recorded and inspected, a daily inspection outside the draw, and five matters
// of 东岭一网格 promised and rated — kept, late, overdue, voided and still open — with
// their board and indicator values, kept in a workspace file; and four fire hazards of
// the hazard_rectification workflow with their entries — fixed on time, fixed late,
// overdue and voided — the hazards read at instants, their refusals and indicator values.
// Sees only gridgov.h; inspections, promises, ratings, tasks, progress, boards, hazard
// entries and hazards are JSON.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../support/test_store.hpp"
#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

using Json = nlohmann::ordered_json;

const char* const town = "371327101";
const char* const dongling = "371327101001";
const char* const xihe = "371327101002";
const std::vector<std::string> grids = {"371327101001001", "371327101001002", "371327101002001"};
const char* const g1 = "371327101001001";

// The township with its people, posts, department and the service team T1 of 东岭一网格.
Workspace township(const std::string& location) {
    Workspace ws = andi_township(location);
    gridgov_workspace* raw = ws.get();
    const Json team =
        Json::array({{{"key", "T1"},
                      {"kind", "organisation"},
                      {"node", g1},
                      {"fields", {{"name", "东岭一网格服务团队"}, {"org_kind", "服务团队"}}}}});
    char* record_findings = nullptr;
    ok(gridgov_records_add_json(&record_findings, raw, team.dump().c_str(), "2025-01-01"));
    gridgov_free(record_findings);
    return ws;
}

// ---- cases ------------------------------------------------------------------------------

gridgov_case_id report(gridgov_workspace* ws, const char* when, const char* number) {
    gridgov_report r;
    ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
    r.category = "E0102";
    r.node_code = g1;
    r.actor = "P01";
    r.at = at(when);
    r.number = number;
    r.note = "村口垃圾堆放";
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_report(&id, ws, &r));
    return id;
}

gridgov_command command(int which, const char* actor, const std::string& when) {
    gridgov_command c;
    REQUIRE(gridgov_command_init(&c, GRIDGOV_COMMAND_SPEC_VERSION) == GRIDGOV_OK);
    c.command = which;
    c.actor = actor;
    c.at = at(when.c_str());
    return c;
}

void fire(gridgov_workspace* ws, gridgov_case_id id, const gridgov_command& c) {
    uint64_t seq = 0;
    ok(gridgov_cases_fire(&seq, ws, id, &c));
}

// The township's six steps after the report, all on `day`: filed, dispatched by routing,
// accepted, handled with a photo, checked and closed at 15:00.
void close_on(gridgov_workspace* ws, gridgov_case_id id, const std::string& day) {
    fire(ws, id, command(GRIDGOV_COMMAND_FILE, "P03", day + "T09:10"));
    fire(ws, id, command(GRIDGOV_COMMAND_DISPATCH, "P03", day + "T09:30"));
    fire(ws, id, command(GRIDGOV_COMMAND_ACCEPT, "P04", day + "T09:40"));
    const std::string photo = "photo://andi/" + day + "/001.jpg";
    const char* photos[] = {photo.c_str()};
    gridgov_command feedback = command(GRIDGOV_COMMAND_FEEDBACK, "P04", day + "T11:00");
    feedback.evidence = photos;
    feedback.evidence_count = 1;
    fire(ws, id, feedback);
    fire(ws, id, command(GRIDGOV_COMMAND_CHECK_PASS, "P02", day + "T14:30"));
    fire(ws, id, command(GRIDGOV_COMMAND_CLOSE, "P03", day + "T15:00"));
}

// Five matters of 东岭一网格 reported on 03-02: A closed 03-03, B closed 03-12, C and E
// left open, D voided on 03-02 after its promise.
void five_matters(gridgov_workspace* ws) {
    const gridgov_case_id a = report(ws, "2026-03-02T08:00", "2026-A");
    const gridgov_case_id b = report(ws, "2026-03-02T08:10", "2026-B");
    report(ws, "2026-03-02T08:20", "2026-C");
    const gridgov_case_id d = report(ws, "2026-03-02T08:30", "2026-D");
    report(ws, "2026-03-02T08:40", "2026-E");
    close_on(ws, a, "2026-03-03");
    close_on(ws, b, "2026-03-12");
    gridgov_command voided = command(GRIDGOV_COMMAND_VOID, "P03", "2026-03-02T11:00");
    voided.reason = "重复上报";
    fire(ws, d, voided);
}

// ---- JSON in and out --------------------------------------------------------------------

Json finding(const std::string& item, double deduction, const std::string& charged_to = "") {
    Json f{{"item", item}, {"deduction", deduction}, {"evidence", Json::array({"photo.jpg"})}};
    if (!charged_to.empty())
        f["charged_to"] = charged_to;
    return f;
}

Json inspection(const std::string& id, const std::string& draw, const std::string& subject,
                const std::string& when, Json findings = Json::array()) {
    Json i{{"id", id},
           {"subject", subject},
           {"at", when},
           {"inspectors", Json::array({"P02", "P03"})},
           {"findings", std::move(findings)}};
    if (!draw.empty())
        i["draw"] = draw;
    return i;
}

Json promise(const std::string& id, const std::string& number, const std::string& what,
             const std::string& by, const std::string& team = "") {
    Json p{{"id", id}, {"case", number}, {"what", what}, {"by", by}, {"at", "2026-03-02T10:00"}};
    if (!team.empty())
        p["team"] = team;
    return p;
}

Json rating(const std::string& promise, const std::string& by, double score,
            const std::string& when) {
    return Json{{"promise", promise}, {"by", by}, {"score", score}, {"at", when}};
}

size_t add_inspections(gridgov_workspace* ws, const Json& list,
                       const char* source = "visits.json") {
    size_t added = 0;
    const int rc = gridgov_oversight_add_inspections_json(&added, ws, list.dump().c_str(), source);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return added;
}

size_t add_promises(gridgov_workspace* ws, const Json& list) {
    size_t added = 0;
    const int rc =
        gridgov_oversight_add_promises_json(&added, ws, list.dump().c_str(), "promises.json");
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return added;
}

size_t rate(gridgov_workspace* ws, const Json& list) {
    size_t added = 0;
    const int rc =
        gridgov_oversight_rate_promises_json(&added, ws, list.dump().c_str(), "ratings.json");
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return added;
}

Json inspections(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_oversight_inspections_json(&out, ws), &out);
}

Json tasks(const gridgov_workspace* ws, const char* label) {
    char* out = nullptr;
    return json_of(gridgov_oversight_tasks_json(&out, ws, label), &out);
}

Json promises(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_oversight_promises_json(&out, ws), &out);
}

Json ratings(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_oversight_ratings_json(&out, ws), &out);
}

Json progress(const gridgov_workspace* ws, const char* as_of) {
    char* out = nullptr;
    return json_of(gridgov_oversight_progress_json(&out, ws, at(as_of)), &out);
}

Json board(const gridgov_workspace* ws, const char* month, const char* place,
           int64_t as_of = GRIDGOV_NO_INSTANT) {
    char* out = nullptr;
    return json_of(gridgov_oversight_board_json(&out, ws, month, place, as_of), &out);
}

Json values_json(const gridgov_indicator_values* values) {
    char* out = nullptr;
    return json_of(gridgov_indicator_values_json(&out, values), &out);
}

Values new_values() {
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    return Values(v);
}

Json oversight_values(const gridgov_workspace* ws, const char* subject, const char* period) {
    const Values v = new_values();
    const int rc = gridgov_indicator_values_add_oversight(v.get(), ws, subject, period);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return values_json(v.get());
}

// Records a draw of two of the three grids under "2026-03"; returns its picks.
std::vector<std::string> record_march_draw(gridgov_workspace* ws) {
    const Json spec{{"seed", 20260301}, {"count", 2}, {"candidates", grids}};
    char* out = nullptr;
    const std::string record = text_of(gridgov_assessment_draw(&out, spec.dump().c_str()), &out);
    ok(gridgov_assessment_record_draw(ws, "2026-03", record.c_str()));
    const std::vector<std::string> picks = Json::parse(record).at("picks");
    REQUIRE(picks.size() == 2);
    return picks;
}

// The grid the draw left out.
std::string not_picked(const std::vector<std::string>& picks) {
    for (const std::string& g : grids) {
        if (g != picks[0] && g != picks[1])
            return g;
    }
    FAIL("every grid was picked");
    return "";
}

}  // namespace

TEST_CASE("capi.oversight.inspections_of_a_recorded_draw") {
    TempDir dir;
    const std::string path = dir.file("andi.gridgov");
    Workspace ws = township(path);
    const std::vector<std::string> picks = record_march_draw(ws.get());
    const std::string left_out = not_picked(picks);

    // Before any inspection every pick is a task not done.
    const Json before = tasks(ws.get(), "2026-03");
    REQUIRE(before.size() == 2);
    CHECK(before[0] == Json{{"draw", "2026-03"},
                            {"pick", 0},
                            {"subject", picks[0]},
                            {"done", false},
                            {"inspections", Json::array()},
                            {"findings", 0},
                            {"deduction", 0.0}});
    CHECK(before[1].at("subject") == picks[1]);
    CHECK(before[1].at("pick") == 1);

    // The first pick inspected with two findings, one charged to the sanitation office; a
    // daily inspection of 东岭村 outside any draw.
    CHECK(add_inspections(
              ws.get(), Json::array({inspection("I1", "2026-03", picks[0], "2026-03-10T10:00",
                                                Json::array({finding("门前三包: 乱摆乱卖", 2),
                                                             finding("垃圾未清运", 3, "D-HW-AD")})),
                                     inspection("I2", "", dongling, "2026-03-11T15:00",
                                                Json::array({finding("台账缺失", 1)}))})) == 2);
    const Json after = tasks(ws.get(), "2026-03");
    REQUIRE(after.size() == 2);
    CHECK(after[0].at("done") == true);
    CHECK(after[0].at("inspections") == Json{"I1"});
    CHECK(after[0].at("findings") == 2);
    CHECK(after[0].at("deduction").get<double>() == doctest::Approx(5.0));
    CHECK(after[1].at("done") == false);

    // Read back in the order recorded with every member, the instant with its offset.
    const Json recorded = inspections(ws.get());
    REQUIRE(recorded.size() == 2);
    CHECK(recorded[0].at("id") == "I1");
    CHECK(recorded[0].at("draw") == "2026-03");
    CHECK(recorded[0].at("subject") == picks[0]);
    CHECK(recorded[0].at("at") == "2026-03-10T10:00:00+08:00");
    CHECK(recorded[0].at("inspectors") == Json{"P02", "P03"});
    REQUIRE(recorded[0].at("findings").size() == 2);
    CHECK(recorded[0].at("findings")[1].at("item") == "垃圾未清运");
    CHECK(recorded[0].at("findings")[1].at("charged_to") == "D-HW-AD");
    CHECK(recorded[0].at("findings")[1].at("evidence") == Json{"photo.jpg"});
    CHECK(recorded[1].at("draw") == "");
    CHECK(recorded[1].at("subject") == dongling);

    // An inspection under the draw of a grid it did not pick is refused, naming the source,
    // the element and the field; nothing is recorded, in memory or in the file.
    const std::string kept = recorded.dump();
    const Json refused_list =
        Json::array({inspection("I3", "2026-03", picks[1], "2026-03-12T10:00"),
                     inspection("I4", "2026-03", left_out, "2026-03-12T11:00")});
    size_t added = 99;
    CHECK(gridgov_oversight_add_inspections_json(&added, ws.get(), refused_list.dump().c_str(),
                                                 "more.json") == GRIDGOV_ENOTFOUND);
    const std::string message = last_error();
    CAPTURE(message);
    CHECK(message.rfind("more.json inspections[1]", 0) == 0);
    CHECK(contains(message, "subject"));
    CHECK(contains(message, left_out));
    CHECK(added == 99);
    CHECK(inspections(ws.get()).dump() == kept);
    CHECK(tasks(ws.get(), "2026-03").at(1).at("done") == false);
    {
        Workspace other = open_workspace(path, 0);
        CHECK(inspections(other.get()).dump() == kept);
    }

    // The same pick under a draw that was never recorded, and a task list of it.
    Json unrecorded = inspection("I3", "2026-04", picks[1], "2026-04-02T10:00");
    CHECK(gridgov_oversight_add_inspections_json(&added, ws.get(),
                                                 Json::array({unrecorded}).dump().c_str(),
                                                 nullptr) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "<json> inspections[0]"));
    CHECK(contains(last_error(), "2026-04"));
    char* out = nullptr;
    CHECK(gridgov_oversight_tasks_json(&out, ws.get(), "2026-04") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "2026-04"));
    CHECK(out == nullptr);

    // The second pick inspected: both tasks done.
    CHECK(add_inspections(ws.get(), Json::array({refused_list[0]})) == 1);
    const Json done = tasks(ws.get(), "2026-03");
    CHECK(done[1].at("done") == true);
    CHECK(done[1].at("inspections") == Json{"I3"});
    CHECK(done[1].at("findings") == 0);
    CHECK(inspections(ws.get()).size() == 3);

    // An inspection's id is recorded once.
    CHECK(gridgov_oversight_add_inspections_json(&added, ws.get(),
                                                 Json::array({refused_list[0]}).dump().c_str(),
                                                 "again.json") == GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "again.json inspections[0]"));
    CHECK(contains(last_error(), "I3"));
    CHECK(inspections(ws.get()).size() == 3);
}

TEST_CASE("capi.oversight.malformed_inspections_are_named_and_refused_whole") {
    Workspace ws = township(":memory:");
    const Json good = inspection("I1", "", g1, "2026-03-10T10:00", Json::array({finding("x", 1)}));
    const auto refused = [&](const std::string& text, int status,
                             const std::vector<std::string>& named) {
        size_t added = 99;
        CAPTURE(text);
        CHECK(gridgov_oversight_add_inspections_json(&added, ws.get(), text.c_str(), "i.json") ==
              status);
        const std::string message = last_error();
        CAPTURE(message);
        CHECK(message.rfind("i.json", 0) == 0);
        for (const std::string& n : named)
            CHECK(contains(message, n));
        CHECK(added == 99);
        CHECK(inspections(ws.get()).empty());
    };
    refused("[{\"id\": \"I1\",", GRIDGOV_EPARSE, {});
    Json negative = good;
    negative["findings"][0]["deduction"] = -1;
    refused(Json::array({good, negative}).dump(), GRIDGOV_EINVAL,
            {"inspections[1].findings[0]", "deduction"});
    Json unknown = good;
    unknown["inspector"] = "P02";
    refused(Json::array({unknown}).dump(), GRIDGOV_EINVAL, {"inspections[0]", "inspector"});
    Json no_subject = good;
    no_subject.erase("subject");
    refused(Json::array({no_subject}).dump(), GRIDGOV_EINVAL, {"inspections[0]", "subject"});
    Json bad_at = good;
    bad_at["at"] = "2026-03-32T10:00";
    refused(Json::array({bad_at}).dump(), GRIDGOV_EINVAL, {"inspections[0]", "at"});
    // Refused by the workspace: an inspector the directory does not know, a subject that is
    // nothing of the workspace, a finding charged to nobody it knows.
    Json stranger = good;
    stranger["id"] = "I2";
    stranger["inspectors"] = Json::array({"P99"});
    refused(Json::array({good, stranger}).dump(), GRIDGOV_ENOTFOUND,
            {"inspections[1]", "inspectors", "P99"});
    Json nowhere = good;
    nowhere["subject"] = "371327109";
    refused(Json::array({nowhere}).dump(), GRIDGOV_ENOTFOUND,
            {"inspections[0]", "subject", "371327109"});
    Json charged = good;
    charged["findings"][0]["charged_to"] = "D-XX";
    refused(Json::array({charged}).dump(), GRIDGOV_ENOTFOUND, {"inspections[0]", "D-XX"});
    // Ids repeated within one call: refused whole.
    refused(Json::array({good, good}).dump(), GRIDGOV_EEXISTS, {"inspections[1]", "I1"});
    // What is read back is what the add takes.
    CHECK(add_inspections(ws.get(), Json::array({good})) == 1);
    Workspace copy = township(":memory:");
    CHECK(add_inspections(copy.get(), inspections(ws.get())) == 1);
    CHECK(inspections(copy.get()) == inspections(ws.get()));
    // An empty array records nothing, and succeeds.
    size_t added = 99;
    CHECK(gridgov_oversight_add_inspections_json(&added, ws.get(), "[]", nullptr) == GRIDGOV_OK);
    CHECK(added == 0);
}

TEST_CASE("capi.oversight.promises_on_real_cases_rated_and_put_on_the_board") {
    TempDir dir;
    Workspace ws = township(dir.file("andi.gridgov"));
    five_matters(ws.get());
    CHECK(
        add_promises(ws.get(),
                     Json::array({promise("PR-A", "2026-A", "清运村口垃圾", "2026-03-05", "T1"),
                                  promise("PR-B", "2026-B", "清运河道垃圾", "2026-03-06", "T1"),
                                  promise("PR-C", "2026-C", "修复路灯 <3 盏> & 线路", "2026-03-09"),
                                  promise("PR-D", "2026-D", "清理小广告", "2026-03-20"),
                                  promise("PR-E", "2026-E", "更换垃圾桶", "2026-04-10")})) == 5);
    const Json listed = promises(ws.get());
    REQUIRE(listed.size() == 5);
    CHECK(listed[0] == Json{{"id", "PR-A"},
                            {"case", "2026-A"},
                            {"what", "清运村口垃圾"},
                            {"by", "2026-03-05"},
                            {"at", "2026-03-02T10:00:00+08:00"},
                            {"team", "T1"},
                            {"place", g1},  // the case's node
                            {"note", ""}});
    CHECK(listed[2].at("team") == "");

    // Refused promises: an unknown case, a day before the promise, a closed matter.
    size_t added = 99;
    const auto refused = [&](const Json& p, int status, const std::vector<std::string>& named) {
        CHECK(gridgov_oversight_add_promises_json(
                  &added, ws.get(),
                  Json::array({promise("PR-F", "2026-E", "x", "2026-04-01"), p}).dump().c_str(),
                  "more.json") == status);
        const std::string message = last_error();
        CAPTURE(message);
        CHECK(message.rfind("more.json promises[1]", 0) == 0);
        for (const std::string& n : named)
            CHECK(contains(message, n));
        CHECK(added == 99);
        CHECK(promises(ws.get()) == listed);
    };
    refused(promise("PR-G", "2026-Z", "x", "2026-04-01"), GRIDGOV_ENOTFOUND, {"case", "2026-Z"});
    refused(promise("PR-G", "2026-E", "x", "2026-03-01"), GRIDGOV_EINVAL, {"by"});
    refused(promise("PR-A", "2026-E", "x", "2026-04-01"), GRIDGOV_EEXISTS, {"id", "PR-A"});
    refused(promise("PR-G", "2026-E", "x", "2026-04-01", "T9"), GRIDGOV_ENOTFOUND, {"team", "T9"});
    Json late_promise = promise("PR-G", "2026-A", "x", "2026-04-01");
    late_promise["at"] = "2026-03-04T10:00";  // after the matter closed on 03-03
    refused(late_promise, GRIDGOV_EINVAL, {});

    // Ratings: the citizen and the team score A; the citizen B, after it closed.
    CHECK(rate(ws.get(), Json::array({rating("PR-A", "citizen", 90, "2026-03-04T09:00"),
                                      rating("PR-A", "team", 95, "2026-03-04T09:30"),
                                      rating("PR-B", "citizen", 70, "2026-03-13T09:00")})) == 3);
    const Json scored = ratings(ws.get());
    REQUIRE(scored.size() == 3);
    CHECK(scored[0] == Json{{"promise", "PR-A"},
                            {"by", "citizen"},
                            {"score", 90.0},
                            {"at", "2026-03-04T09:00:00+08:00"},
                            {"note", ""}});
    CHECK(scored[1].at("by") == "team");

    // A score outside 0–100 is refused, naming the element and the field; nothing stored.
    const auto refused_rating = [&](const Json& list, int status,
                                    const std::vector<std::string>& named) {
        CHECK(gridgov_oversight_rate_promises_json(&added, ws.get(), list.dump().c_str(),
                                                   "score.json") == status);
        const std::string message = last_error();
        CAPTURE(message);
        CHECK(message.rfind("score.json", 0) == 0);
        for (const std::string& n : named)
            CHECK(contains(message, n));
        CHECK(added == 99);
        CHECK(ratings(ws.get()) == scored);
    };
    refused_rating(Json::array({rating("PR-C", "citizen", 101, "2026-03-20T09:00")}),
                   GRIDGOV_EINVAL, {"ratings[0]", "score"});
    refused_rating(Json::array({rating("PR-C", "citizen", 80, "2026-03-20T09:00"),
                                rating("PR-D", "citizen", -5, "2026-03-20T09:00")}),
                   GRIDGOV_EINVAL, {"ratings[1]", "score"});
    refused_rating(Json::array({rating("PR-A", "citizen", 60, "2026-03-20T09:00")}),
                   GRIDGOV_EEXISTS, {"ratings[0]", "PR-A"});
    refused_rating(Json::array({rating("PR-X", "citizen", 60, "2026-03-20T09:00")}),
                   GRIDGOV_ENOTFOUND, {"ratings[0]", "PR-X"});
    refused_rating(Json::array({rating("PR-C", "neighbour", 60, "2026-03-20T09:00")}),
                   GRIDGOV_EINVAL, {"ratings[0]", "by"});

    // Progress read at the end of March: A kept, B late, C overdue, D voided, E open.
    const Json end = progress(ws.get(), "2026-04-01T00:00");
    REQUIRE(end.size() == 5);
    std::vector<std::string> states;
    for (const Json& row : end)
        states.push_back(row.at("state"));
    CHECK(states == std::vector<std::string>{"kept", "late", "overdue", "voided", "open"});
    CHECK(end[0].at("id") == "PR-A");
    CHECK(end[0].at("category") == "E0102");
    CHECK(end[0].at("closed_at") == "2026-03-03T15:00:00+08:00");
    CHECK(end[0].at("citizen_score") == 90.0);
    CHECK(end[0].at("team_score") == 95.0);
    CHECK(end[2].at("closed_at").is_null());
    CHECK(end[2].at("citizen_score").is_null());
    // Read on 03-04 at 09:15: A kept and scored by the citizen only, B still open.
    const Json early = progress(ws.get(), "2026-03-04T09:15");
    CHECK(early[0].at("state") == "kept");
    CHECK(early[0].at("citizen_score") == 90.0);
    CHECK(early[0].at("team_score").is_null());
    CHECK(early[1].at("state") == "open");
    CHECK(early[1].at("closed_at").is_null());

    // The March board of the whole township, read at the month's end.
    const Json march = board(ws.get(), "2026-03", nullptr);
    CHECK(march.at("month") == "2026-03");
    CHECK(march.at("place") == "");
    CHECK(contains(march.at("title").get<std::string>(), "网格服务办事进度表"));
    CHECK(march.at("kept") == 1);
    CHECK(march.at("late") == 1);
    CHECK(march.at("overdue") == 1);
    CHECK(march.at("open") == 1);
    CHECK(march.at("citizen_mean").get<double>() == doctest::Approx(80.0));
    CHECK(march.at("team_mean").get<double>() == doctest::Approx(95.0));
    REQUIRE(march.at("rows").size() == 5);
    CHECK(march.at("rows") == end);
    CHECK(board(ws.get(), "2026-03", "") == march);
    // Of 东岭村: the same rows; of 西河村: none.
    const Json of_dongling = board(ws.get(), "2026-03", dongling);
    CHECK(of_dongling.at("place") == dongling);
    CHECK(contains(of_dongling.at("title").get<std::string>(), "东岭村"));
    CHECK(of_dongling.at("rows") == march.at("rows"));
    const Json of_xihe = board(ws.get(), "2026-03", xihe);
    CHECK(of_xihe.at("rows").empty());
    CHECK(of_xihe.at("citizen_mean").is_null());
    // Read on 03-10: B is overdue then, and nobody has scored it yet.
    const Json tenth = board(ws.get(), "2026-03", nullptr, at("2026-03-10T12:00"));
    CHECK(tenth.at("kept") == 1);
    CHECK(tenth.at("late") == 0);
    CHECK(tenth.at("overdue") == 2);
    CHECK(tenth.at("citizen_mean").get<double>() == doctest::Approx(90.0));

    // The page for the public window: escaped text, the overdue rows marked.
    char* out = nullptr;
    const std::string html = text_of(
        gridgov_oversight_board_html(&out, ws.get(), "2026-03", nullptr, GRIDGOV_NO_INSTANT), &out);
    CHECK(contains(html, "网格服务办事进度表"));
    CHECK(contains(html, "清运村口垃圾"));
    CHECK(contains(html, "修复路灯 &lt;3 盏&gt; &amp; 线路"));
    CHECK_FALSE(contains(html, "<3 盏>"));
    CHECK(contains(html, "overdue"));
    CHECK(html !=
          text_of(gridgov_oversight_board_html(&out, ws.get(), "2026-03", xihe, GRIDGOV_NO_INSTANT),
                  &out));

    // Refused boards.
    CHECK(gridgov_oversight_board_json(&out, ws.get(), "2026-Q1", nullptr, GRIDGOV_NO_INSTANT) ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "month"));
    CHECK(gridgov_oversight_board_html(&out, ws.get(), "2026-13", nullptr, GRIDGOV_NO_INSTANT) ==
          GRIDGOV_EINVAL);
    CHECK(last_error().rfind("month: ", 0) == 0);
    CHECK(gridgov_oversight_board_json(&out, ws.get(), "2026-03", "371327109",
                                       GRIDGOV_NO_INSTANT) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "371327109"));
    CHECK(gridgov_oversight_progress_json(&out, ws.get(), GRIDGOV_NO_INSTANT) == GRIDGOV_EINVAL);
    CHECK(last_error() == "as_of: no instant given (GRIDGOV_NO_INSTANT)");
    CHECK(out == nullptr);
}

TEST_CASE("capi.oversight.indicator_values_of_inspections_and_promises") {
    TempDir dir;
    Workspace ws = township(dir.file("andi.gridgov"));
    const std::vector<std::string> picks = record_march_draw(ws.get());
    add_inspections(
        ws.get(),
        Json::array(
            {inspection("I1", "2026-03", picks[0], "2026-03-10T10:00",
                        Json::array({finding("乱摆乱卖", 2), finding("垃圾未清运", 3, "D-HW-AD")})),
             inspection("I2", "2026-03", picks[1], "2026-03-11T10:00"),
             inspection("I3", "", dongling, "2026-03-12T15:00",
                        Json::array({finding("台账缺失", 1)})),
             // April's does not count in March.
             inspection("I4", "", g1, "2026-04-01T09:00", Json::array({finding("台账缺失", 4)}))}));
    five_matters(ws.get());
    add_promises(ws.get(),
                 Json::array({promise("PR-A", "2026-A", "清运村口垃圾", "2026-03-05", "T1"),
                              promise("PR-B", "2026-B", "清运河道垃圾", "2026-03-06", "T1"),
                              promise("PR-C", "2026-C", "修复路灯", "2026-03-09"),
                              promise("PR-D", "2026-D", "清理小广告", "2026-03-20"),
                              promise("PR-E", "2026-E", "更换垃圾桶", "2026-04-10")}));
    rate(ws.get(), Json::array({rating("PR-A", "citizen", 90, "2026-03-04T09:00"),
                                rating("PR-A", "team", 95, "2026-03-04T09:30"),
                                rating("PR-B", "citizen", 70, "2026-03-13T09:00")}));

    // The township: every inspection of March and every promise, read at the month's end.
    const Json all = oversight_values(ws.get(), town, "2026-03");
    CHECK(all.at("inspections").at("value") == 3.0);
    CHECK(all.at("inspections").at("sources") == Json{"I1", "I2", "I3"});
    CHECK(all.at("inspection_clean").at("value") == 1.0);
    CHECK(all.at("inspection_findings").at("value") == 2.0);  // the office's is not its own
    CHECK(all.at("inspection_findings").at("sources") == Json{"I1#1", "I3#1"});
    CHECK(all.at("inspection_deduction").at("value") == 3.0);
    CHECK(all.at("promises").at("value") == 5.0);
    CHECK(all.at("promises").at("sources") == Json{"PR-A", "PR-B", "PR-C", "PR-D", "PR-E"});
    CHECK(all.at("promises_kept").at("value") == 1.0);
    CHECK(all.at("promises_late").at("value") == 1.0);
    CHECK(all.at("promises_overdue").at("value") == 1.0);
    CHECK(all.at("promise_kept_rate").at("value").get<double>() == doctest::Approx(100.0 / 3.0));
    CHECK(all.at("promise_citizen_mean").at("value").get<double>() == doctest::Approx(80.0));
    CHECK(all.at("promise_team_mean").at("value").get<double>() == doctest::Approx(95.0));

    // The sanitation office bears the deduction charged to it; the team T1 its two promises.
    const Json office = oversight_values(ws.get(), "D-HW-AD", "2026-03");
    CHECK(office.at("inspections").at("value") == 0.0);
    CHECK(office.at("inspection_findings").at("value") == 1.0);
    CHECK(office.at("inspection_findings").at("sources") == Json{"I1#2"});
    CHECK(office.at("inspection_deduction").at("value") == 3.0);
    const Json team = oversight_values(ws.get(), "T1", "2026-03");
    CHECK(team.at("promises").at("value") == 2.0);
    CHECK(team.at("promise_kept_rate").at("value").get<double>() == doctest::Approx(50.0));
    CHECK(team.at("promise_citizen_mean").at("value").get<double>() == doctest::Approx(80.0));
    // 西河村 was neither promised nor rated anything: the means are undefined, with a reason.
    const Json west = oversight_values(ws.get(), xihe, "2026-03");
    CHECK(west.at("promises").at("value") == 0.0);
    CHECK(west.at("promise_citizen_mean").at("value").is_null());
    CHECK_FALSE(west.at("promise_citizen_mean").at("reason").get<std::string>().empty());
    // April: I4 only, and no promise made.
    const Json april = oversight_values(ws.get(), g1, "2026-04");
    CHECK(april.at("inspections").at("value") == 1.0);
    CHECK(april.at("inspection_deduction").at("value") == 4.0);
    CHECK(april.at("promises").at("value") == 0.0);
    // The quarter holds March and April's first day is not in it.
    CHECK(oversight_values(ws.get(), town, "2026-Q1").at("inspections").at("value") == 3.0);

    // Values of other keys are kept, the oversight keys replaced; a refused call leaves the
    // values as they were.
    const Values mixed = new_values();
    ok(gridgov_indicator_values_set(mixed.get(), "patrols", 12));
    ok(gridgov_indicator_values_set(mixed.get(), "inspections", 99));
    ok(gridgov_indicator_values_add_oversight(mixed.get(), ws.get(), town, "2026-03"));
    const Json merged = values_json(mixed.get());
    CHECK(merged.at("patrols").at("value") == 12.0);
    CHECK(merged.at("inspections").at("value") == 3.0);
    CHECK(gridgov_indicator_values_add_oversight(mixed.get(), ws.get(), town, "2026-13") ==
          GRIDGOV_EINVAL);
    CHECK(last_error().rfind("period: ", 0) == 0);
    CHECK(gridgov_indicator_values_add_oversight(mixed.get(), ws.get(), "", "2026-03") ==
          GRIDGOV_EINVAL);
    CHECK(last_error() == "parameter 'subject' is empty");
    CHECK(values_json(mixed.get()) == merged);

    // The values score the first pick on the city_inspection preset: 100 less the 2 points
    // charged to it (the office's 3 are not its own).
    gridgov_assessment_scheme* raw_scheme = nullptr;
    ok(gridgov_assessment_scheme_preset(&raw_scheme, nullptr, "city_inspection"));
    const Scheme scheme(raw_scheme);
    const Values of_pick = new_values();
    ok(gridgov_indicator_values_add_oversight(of_pick.get(), ws.get(), picks[0].c_str(),
                                              "2026-03"));
    gridgov_score* raw_score = nullptr;
    ok(gridgov_assessment_score(&raw_score, scheme.get(), picks[0].c_str(), "grid", nullptr,
                                "2026-03", of_pick.get()));
    const Score score(raw_score);
    int defined = 0;
    double total = NAN;
    ok(gridgov_score_total(&defined, &total, score.get()));
    CHECK(defined == 1);
    CHECK(total == doctest::Approx(98.0));
}

// ---- hazards (隐患) ---------------------------------------------------------------------
//
// The township again, with the posts of the built-in catalogue township_000 merged with the
// service-centre post of the workflow_roles fragment (the two catalogues the
// hazard_rectification workflow names), a village grid leader for each village, the
// house H1 of 东岭一网格 and the village's monthly fire check of 东岭村.

namespace {

const char* const xihe_grid = "371327101002001";

// The service-centre post and its duties as the built-in workflow_roles fragment defines
// them (src/workflow/profiles/workflow_roles.json).
const char* const workflow_roles_fragment = R"({
  "duties": [
    {"code": "case_intake", "zh": "案件受理登记", "en": "Case intake and registration"},
    {"code": "case_filing", "zh": "立案与结案", "en": "Filing and closing cases"},
    {"code": "case_dispatch", "zh": "任务派遣与回退、延期、挂账审批",
     "en": "Dispatch; approving returns, extensions and suspensions"}
  ],
  "roles": [
    {"code": "service_centre_staff", "zh": "社会管理服务中心工作人员",
     "en": "Social management service centre staff", "level": "township",
     "cardinality": "any", "function": "other",
     "duties": ["case_intake", "case_filing", "case_dispatch"]}
  ]})";

const char* const fire_people_json = R"({
  "people": [{"id": "P01", "name": "王立新"}, {"id": "P02", "name": "李秀英"},
             {"id": "P03", "name": "张建国"}, {"id": "P05", "name": "孙红梅"}],
  "assignments": [
    {"person": "P01", "role": "grid_information_officer", "node": "371327101001001",
     "post": "A", "from": "2025-01-01"},
    {"person": "P02", "role": "village_grid_leader", "node": "371327101001", "post": "A",
     "from": "2025-01-01"},
    {"person": "P05", "role": "village_grid_leader", "node": "371327101002", "post": "A",
     "from": "2025-01-01"},
    {"person": "P03", "role": "service_centre_staff", "node": "371327101", "post": "A",
     "from": "2025-01-01"}
  ]})";

// The workspace's catalogue: township_000 with the workflow_roles fragment's duties and
// roles appended, as merge_catalogues() would give them.
void use_hazard_roles(gridgov_workspace* ws) {
    ok(gridgov_directory_use_preset(ws, "township_000"));
    char* out = nullptr;
    Json catalogue = json_of(gridgov_directory_catalogue_json(&out, ws), &out);
    const Json fragment = Json::parse(workflow_roles_fragment);
    for (const Json& d : fragment.at("duties"))
        catalogue.at("duties").push_back(d);
    for (const Json& r : fragment.at("roles"))
        catalogue.at("roles").push_back(r);
    ok(gridgov_directory_set_catalogue_json(ws, catalogue.dump().c_str(), "fire-roles.json"));
}

Workspace fire_township(const std::string& location) {
    Workspace ws = open_workspace(location);
    gridgov_workspace* raw = ws.get();
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    ok(gridgov_hierarchy_import_text(&added, &findings, raw, andi_hierarchy_json,
                                     GRIDGOV_FORMAT_JSON, "andi.json", nullptr));
    gridgov_findings_destroy(findings);
    use_hazard_roles(raw);
    gridgov_directory_import_report report{};
    ok(gridgov_directory_import_text(&report, raw, fire_people_json, GRIDGOV_FORMAT_JSON,
                                     GRIDGOV_TABLE_AUTO, "fire-people.json"));
    const Json house = Json::array(
        {{{"key", "H1"},
          {"kind", "house"},
          {"node", g1},
          {"fields",
           {{"house_code", "3713271010010010001"}, {"address", "东岭村1号"}, {"use", "出租"}}}}});
    char* record_findings = nullptr;
    ok(gridgov_records_add_json(&record_findings, raw, house.dump().c_str(), "2025-01-01"));
    gridgov_free(record_findings);
    Json check = inspection("FIRE-2026-03", "", dongling, "2026-03-02T09:00");
    check["inspectors"] = Json::array({"P02"});
    add_inspections(raw, Json::array({check}), "fire-check.json");
    return ws;
}

// A hazard reported on the hazard_rectification workflow (a fire hazard, G0201).
gridgov_case_id report_hazard(gridgov_workspace* ws, const char* grid, const char* actor,
                              const char* when, const char* number) {
    gridgov_report r;
    ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
    r.workflow = "hazard_rectification";
    r.category = "G0201";
    r.node_code = grid;
    r.actor = actor;
    r.at = at(when);
    r.number = number;
    r.note = "楼道内电动车充电";
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_report(&id, ws, &r));
    return id;
}

// A command that needs a reason.
gridgov_command with_reason(int which, const char* actor, const std::string& when,
                            const char* reason) {
    gridgov_command c = command(which, actor, when);
    c.reason = reason;
    return c;
}

// The rectification reported done, with a photo.
void rectified(gridgov_workspace* ws, gridgov_case_id id, const char* actor,
               const std::string& when) {
    static const char* const photos[] = {"photo://andi/rectified.jpg"};
    gridgov_command done = command(GRIDGOV_COMMAND_FEEDBACK, actor, when);
    done.evidence = photos;
    done.evidence_count = 1;
    fire(ws, id, done);
}

Json hazard_entry(const std::string& id, const std::string& number, const std::string& when,
                  const std::string& person) {
    return Json{{"id", id}, {"case", number}, {"at", when}, {"person", person}};
}

size_t add_hazard_entries(gridgov_workspace* ws, const Json& list,
                          const char* source = "hazards.json") {
    size_t added = 0;
    const int rc =
        gridgov_oversight_add_hazard_entries_json(&added, ws, list.dump().c_str(), source);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return added;
}

Json hazard_entries(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_oversight_hazard_entries_json(&out, ws), &out);
}

Json hazards(const gridgov_workspace* ws, const char* as_of) {
    char* out = nullptr;
    return json_of(gridgov_oversight_hazards_json(&out, ws, at(as_of)), &out);
}

std::vector<std::string> statuses(const Json& list) {
    std::vector<std::string> out;
    for (const Json& h : list)
        out.push_back(h.at("status"));
    return out;
}

// March 2026 (seed 002 第四篇), through the C calls:
//  - 2026-Z1 at H1 of 东岭一网格, found by the fire check: graded general with a deadline of
//    03-04, ordered, reported done, failed its re-check, done again, passed on 03-04 —
//    fixed on time;
//  - 2026-Z2 in 东岭一网格: major, beyond the grid, escalated to the village, ordered by the
//    service centre, deadline 03-06, 30% done on 03-05; fixed only on 04-02 — overdue at
//    the end of March, fixed late in April;
//  - 2026-Z3 in 西河一网格: larger, deadline 03-06, closed on 03-10 — fixed late;
//  - 2026-Z4 in 东岭一网格: not a hazard after all — voided.
// With `entries` false the cases alone are made, and no entry is recorded.
void march_hazards(gridgov_workspace* ws, bool entries = true) {
    const gridgov_case_id z1 = report_hazard(ws, g1, "P01", "2026-03-02T10:00", "2026-Z1");
    fire(ws, z1, command(GRIDGOV_COMMAND_FILE, "P02", "2026-03-02T10:30"));
    Json e1 = hazard_entry("E1", "2026-Z1", "2026-03-02T10:30", "P02");
    e1["record"] = "H1";
    e1["found_by"] = "FIRE-2026-03";
    e1["grade"] = "general";
    e1["deadline"] = "2026-03-04";
    if (entries)
        CHECK(add_hazard_entries(ws, Json::array({e1})) == 1);
    fire(ws, z1, command(GRIDGOV_COMMAND_DISPATCH, "P02", "2026-03-02T11:00"));
    rectified(ws, z1, "P01", "2026-03-03T16:00");
    fire(ws, z1,
         with_reason(GRIDGOV_COMMAND_CHECK_FAIL, "P02", "2026-03-03T17:00", "消防通道仍有堆物"));
    // Sent back: the hazard's case is being rectified again.
    if (entries)
        CHECK(hazards(ws, "2026-03-03T17:30").at(0).at("case_state") == "rectifying");
    Json e2 = hazard_entry("E2", "2026-Z1", "2026-03-03T18:00", "P01");
    e2["progress"] = 50;
    e2["evidence"] = Json::array({"half.jpg"});
    rectified(ws, z1, "P01", "2026-03-04T10:00");
    fire(ws, z1, command(GRIDGOV_COMMAND_CHECK_PASS, "P02", "2026-03-04T15:00"));

    const gridgov_case_id z2 = report_hazard(ws, g1, "P01", "2026-03-02T10:05", "2026-Z2");
    fire(ws, z2, command(GRIDGOV_COMMAND_FILE, "P02", "2026-03-02T10:40"));
    fire(ws, z2,
         with_reason(GRIDGOV_COMMAND_ESCALATE, "P02", "2026-03-02T11:00",
                     "重大火灾隐患, 网格无力整改"));
    fire(ws, z2, command(GRIDGOV_COMMAND_DISPATCH, "P03", "2026-03-03T09:00"));
    Json e3 = hazard_entry("E3", "2026-Z2", "2026-03-02T10:40", "P02");
    e3["found_by"] = "FIRE-2026-03";
    e3["grade"] = "重大";
    e3["deadline"] = "2026-03-06";
    Json e4 = hazard_entry("E4", "2026-Z2", "2026-03-05T12:00", "P03");
    e4["progress"] = 30;

    const gridgov_case_id z3 = report_hazard(ws, xihe_grid, "P05", "2026-03-02T14:00", "2026-Z3");
    fire(ws, z3, command(GRIDGOV_COMMAND_FILE, "P05", "2026-03-02T15:00"));
    fire(ws, z3, command(GRIDGOV_COMMAND_DISPATCH, "P05", "2026-03-02T15:30"));
    rectified(ws, z3, "P05", "2026-03-10T09:00");
    fire(ws, z3, command(GRIDGOV_COMMAND_CHECK_PASS, "P05", "2026-03-10T10:00"));
    Json e5 = hazard_entry("E5", "2026-Z3", "2026-03-02T15:00", "P05");
    e5["grade"] = "larger";
    e5["deadline"] = "2026-03-06";

    const gridgov_case_id z4 = report_hazard(ws, g1, "P01", "2026-03-03T09:00", "2026-Z4");
    fire(ws, z4, with_reason(GRIDGOV_COMMAND_VOID, "P02", "2026-03-03T10:00", "不构成隐患"));
    const Json e6 = hazard_entry("E6", "2026-Z4", "2026-03-03T09:30", "P02");

    if (entries)
        CHECK(add_hazard_entries(ws, Json::array({e2, e3, e4, e5, e6})) == 5);

    // Z2 fixed in April, after its deadline.
    rectified(ws, z2, "P02", "2026-04-01T10:00");
    fire(ws, z2, command(GRIDGOV_COMMAND_CHECK_PASS, "P02", "2026-04-02T10:00"));
}

}  // namespace

TEST_CASE("capi.oversight.hazards_found_graded_rectified_and_rechecked") {
    TempDir dir;
    const std::string path = dir.file("fire.gridgov");
    Json kept_entries, kept_hazards;
    {
        Workspace ws = fire_township(path);
        // Every role the built-in workflow names is in the merged catalogue.
        gridgov_workflow_registry* registry = nullptr;
        ok(gridgov_workflow_registry_create_builtin(&registry));
        char* out = nullptr;
        const int got =
            gridgov_workflow_registry_spec_json(&out, registry, "hazard_rectification", 0);
        gridgov_workflow_registry_destroy(registry);
        const std::string spec = text_of(got, &out);
        gridgov_workflow_check_options options;
        ok(gridgov_workflow_check_options_init(&options, GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION));
        options.roles = GRIDGOV_WORKFLOW_ROLES_WORKSPACE;
        options.workspace = ws.get();
        gridgov_findings* raw_findings = nullptr;
        ok(gridgov_workflow_validate_json(&raw_findings, spec.c_str(), "hazard_rectification",
                                          &options));
        const Findings findings(raw_findings);
        size_t errors = 99;
        ok(gridgov_findings_severity_count(&errors, findings.get(), GRIDGOV_SEVERITY_ERROR));
        CHECK(errors == 0);

        march_hazards(ws.get());

        // The entries read back in the order recorded, every member present.
        const Json entries = hazard_entries(ws.get());
        REQUIRE(entries.size() == 6);
        CHECK(entries[0] == Json{{"id", "E1"},
                                 {"case", "2026-Z1"},
                                 {"at", "2026-03-02T10:30:00+08:00"},
                                 {"person", "P02"},
                                 {"record", "H1"},
                                 {"found_by", "FIRE-2026-03"},
                                 {"grade", "general"},
                                 {"deadline", "2026-03-04"},
                                 {"progress", nullptr},
                                 {"evidence", Json::array()},
                                 {"note", ""}});
        CHECK(entries[1].at("progress") == 50);
        CHECK(entries[1].at("grade").is_null());
        CHECK(entries[1].at("evidence") == Json{"half.jpg"});
        CHECK(entries[2].at("grade") == "major");  // written 重大
        std::vector<std::string> ids;
        for (const Json& e : entries)
            ids.push_back(e.at("id"));
        CHECK(ids == std::vector<std::string>{"E1", "E2", "E3", "E4", "E5", "E6"});

        // At the end of March: fixed on time, overdue (and escalated), fixed late, voided.
        const Json march = hazards(ws.get(), "2026-03-31T23:00");
        REQUIRE(march.size() == 4);
        CHECK(statuses(march) ==
              std::vector<std::string>{"fixed_on_time", "overdue", "fixed_late", "voided"});
        CHECK(march[0] == Json{{"case", "2026-Z1"},
                               {"category", "G0201"},
                               {"node", g1},
                               {"case_state", "closed"},
                               {"tier", 0},
                               {"record", "H1"},
                               {"found_by", "FIRE-2026-03"},
                               {"grade", "general"},
                               {"deadline", "2026-03-04"},
                               {"progress", 100},
                               {"reported_at", "2026-03-02T10:00:00+08:00"},
                               {"closed_at", "2026-03-04T15:00:00+08:00"},
                               {"status", "fixed_on_time"},
                               {"entries", Json{"E1", "E2"}}});
        CHECK(march[1].at("grade") == "major");
        CHECK(march[1].at("tier") == 1);
        CHECK(march[1].at("progress") == 30);
        CHECK(march[1].at("record") == "");
        CHECK(march[1].at("closed_at").is_null());  // the close of April 2 is not seen
        CHECK(march[1].at("entries") == Json{"E3", "E4"});
        CHECK(march[2].at("node") == xihe_grid);
        CHECK(march[2].at("grade") == "larger");
        CHECK(march[2].at("closed_at") == "2026-03-10T10:00:00+08:00");
        CHECK(march[3].at("case_state") == "voided");
        CHECK(march[3].at("grade").is_null());
        CHECK(march[3].at("deadline").is_null());
        // On the 3rd at 18:30: Z1 half done and open, Z2's progress not reported yet, Z3
        // open, Z4 voided; entries after the instant are not seen.
        const Json third = hazards(ws.get(), "2026-03-03T18:30");
        CHECK(statuses(third) == std::vector<std::string>{"open", "open", "open", "voided"});
        CHECK(third[0].at("progress") == 50);
        CHECK(third[1].at("progress") == 0);
        CHECK(third[1].at("entries") == Json{"E3"});
        // Before E2 was recorded, Z1 has only E1; before any entry, there is no hazard.
        CHECK(hazards(ws.get(), "2026-03-03T17:30").at(0).at("entries") == Json{"E1"});
        CHECK(hazards(ws.get(), "2026-03-02T10:20").empty());
        // In April Z2 is fixed, late.
        const Json april = hazards(ws.get(), "2026-04-30T12:00");
        CHECK(statuses(april) ==
              std::vector<std::string>{"fixed_on_time", "fixed_late", "fixed_late", "voided"});
        CHECK(april[1].at("progress") == 100);
        CHECK(april[1].at("closed_at") == "2026-04-02T10:00:00+08:00");

        // What is read back is what the add takes: the same cases in another workspace
        // take the entries as read, and make the same hazards.
        Workspace copy = fire_township(dir.file("copy.gridgov"));
        march_hazards(copy.get(), false);
        CHECK(hazards(copy.get(), "2026-03-31T23:00").empty());
        CHECK(add_hazard_entries(copy.get(), entries, "copy.json") == 6);
        CHECK(hazard_entries(copy.get()) == entries);
        CHECK(hazards(copy.get(), "2026-03-31T23:00") == march);

        kept_entries = entries;
        kept_hazards = march;
    }
    // Kept in the file.
    Workspace ws = open_workspace(path, 0);
    CHECK(hazard_entries(ws.get()) == kept_entries);
    CHECK(hazards(ws.get(), "2026-03-31T23:00") == kept_hazards);
}

TEST_CASE("capi.oversight.refused_hazard_entries_change_nothing") {
    TempDir dir;
    const std::string path = dir.file("fire.gridgov");
    Workspace ws = fire_township(path);
    march_hazards(ws.get());
    const Json kept = hazard_entries(ws.get());
    REQUIRE(kept.size() == 6);
    const Json good = hazard_entry("E7", "2026-Z2", "2026-03-05T13:00", "P03");
    size_t added = 99;
    const auto refused = [&](const Json& bad, int status, const std::string& source,
                             const std::vector<std::string>& named) {
        const std::string text = Json::array({good, bad}).dump();
        CAPTURE(text);
        CHECK(gridgov_oversight_add_hazard_entries_json(&added, ws.get(), text.c_str(),
                                                        source.c_str()) == status);
        const std::string message = last_error();
        CAPTURE(message);
        CHECK(message.rfind(source + " hazards[1]", 0) == 0);
        for (const std::string& n : named)
            CHECK(contains(message, n));
        CHECK(added == 99);
        CHECK(hazard_entries(ws.get()) == kept);
        return message;
    };

    // A hazard on a record the workspace does not hold.
    Json unknown_record = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    unknown_record["record"] = "H9";
    CHECK(refused(unknown_record, GRIDGOV_ENOTFOUND, "more.json", {}) ==
          "more.json hazards[1] field 'record': \"H9\" is not a live record");
    // A progress of 120%, refused as the text is read.
    Json too_far = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    too_far["progress"] = 120;
    refused(too_far, GRIDGOV_EINVAL, "progress.json", {"field 'progress'", "120"});
    // An entry after its case closed (Z1 on 03-04 at 15:00).
    CHECK(refused(hazard_entry("E8", "2026-Z1", "2026-03-05T09:00", "P02"), GRIDGOV_EINVAL,
                  "late.json", {}) ==
          "late.json hazards[1] field 'at': 2026-03-05T09:00:00+08:00 is after case 2026-Z1 "
          "closed (2026-03-04T15:00:00+08:00)");
    // More of the same kind: an unknown case, person or finder, an unknown grade, a
    // deadline before the entry's day, an id recorded or repeated, an unknown member.
    refused(hazard_entry("E8", "2026-Z9", "2026-03-05T13:00", "P03"), GRIDGOV_ENOTFOUND, "c.json",
            {"field 'case'", "2026-Z9"});
    refused(hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P99"), GRIDGOV_ENOTFOUND, "p.json",
            {"field 'person'", "P99"});
    Json finder = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    finder["found_by"] = "FIRE-2026-02";
    refused(finder, GRIDGOV_ENOTFOUND, "f.json", {"field 'found_by'", "FIRE-2026-02"});
    Json huge = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    huge["grade"] = "huge";
    refused(huge, GRIDGOV_EINVAL, "g.json", {"field 'grade'", "huge"});
    Json early = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    early["deadline"] = "2026-03-04";
    refused(early, GRIDGOV_EINVAL, "d.json", {"field 'deadline'", "2026-03-04"});
    refused(hazard_entry("E1", "2026-Z2", "2026-03-05T13:00", "P03"), GRIDGOV_EEXISTS, "i.json",
            {"field 'id'", "E1"});
    refused(hazard_entry("E7", "2026-Z2", "2026-03-05T13:00", "P03"), GRIDGOV_EEXISTS, "i.json",
            {"field 'id'", "E7"});
    Json stray = hazard_entry("E8", "2026-Z2", "2026-03-05T13:00", "P03");
    stray["grid"] = g1;
    refused(stray, GRIDGOV_EINVAL, "s.json", {"grid"});
    CHECK(gridgov_oversight_add_hazard_entries_json(&added, ws.get(), "[{\"id\": \"E8\",",
                                                    "broken.json") == GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "broken.json"));
    CHECK(added == 99);

    // Nothing reached the file either; the good entry alone is taken.
    {
        Workspace other = open_workspace(path, 0);
        CHECK(hazard_entries(other.get()) == kept);
    }
    CHECK(add_hazard_entries(ws.get(), Json::array({good})) == 1);
    CHECK(hazard_entries(ws.get()).size() == 7);
    CHECK(gridgov_oversight_add_hazard_entries_json(&added, ws.get(), "[]", nullptr) == GRIDGOV_OK);
    CHECK(added == 0);
    char* out = nullptr;
    CHECK(gridgov_oversight_hazards_json(&out, ws.get(), GRIDGOV_NO_INSTANT) == GRIDGOV_EINVAL);
    CHECK(last_error() == "as_of: no instant given (GRIDGOV_NO_INSTANT)");
    CHECK(out == nullptr);
}

TEST_CASE("capi.oversight.indicator_values_of_hazards") {
    TempDir dir;
    Workspace ws = fire_township(dir.file("fire.gridgov"));
    march_hazards(ws.get());

    // 东岭村 in March: Z1 fixed on time, Z2 overdue at the month's last second (its fix on
    // 04-02 is not seen), Z4 voided and no hazard.
    const Json dl = oversight_values(ws.get(), dongling, "2026-03");
    CHECK(dl.at("hazards").at("value") == 2.0);
    CHECK(dl.at("hazards").at("sources") == Json{"2026-Z1", "2026-Z2"});
    CHECK(dl.at("hazards_general").at("value") == 1.0);
    CHECK(dl.at("hazards_larger").at("value") == 0.0);
    CHECK(dl.at("hazards_major").at("value") == 1.0);
    CHECK(dl.at("hazards_major").at("sources") == Json{"2026-Z2"});
    CHECK(dl.at("hazards_ungraded").at("value") == 0.0);
    CHECK(dl.at("hazards_fixed").at("value") == 1.0);
    CHECK(dl.at("hazards_fixed_on_time").at("value") == 1.0);
    CHECK(dl.at("hazards_overdue").at("value") == 1.0);
    CHECK(dl.at("hazards_open").at("value") == 0.0);
    CHECK(dl.at("hazard_fix_rate").at("value").get<double>() == doctest::Approx(50.0));
    CHECK(dl.at("hazard_on_time_rate").at("value").get<double>() == doctest::Approx(50.0));
    CHECK(dl.at("hazard_progress").at("value").get<double>() == doctest::Approx(65.0));
    // The inspection keys come with them: the fire check of 东岭村 found nothing.
    CHECK(dl.at("inspections").at("value") == 1.0);
    CHECK(dl.at("inspection_clean").at("value") == 1.0);
    CHECK(dl.at("promises").at("value") == 0.0);

    // 西河村: Z3, fixed late.
    const Json xh = oversight_values(ws.get(), xihe, "2026-03");
    CHECK(xh.at("hazards").at("value") == 1.0);
    CHECK(xh.at("hazards_larger").at("value") == 1.0);
    CHECK(xh.at("hazard_fix_rate").at("value").get<double>() == doctest::Approx(100.0));
    CHECK(xh.at("hazard_on_time_rate").at("value").get<double>() == doctest::Approx(0.0));
    // The township: all three.
    const Json all = oversight_values(ws.get(), town, "2026-03");
    CHECK(all.at("hazards").at("sources") == Json{"2026-Z1", "2026-Z2", "2026-Z3"});
    CHECK(all.at("hazard_fix_rate").at("value").get<double>() == doctest::Approx(200.0 / 3.0));
    // The house H1: Z1 alone.
    const Json house = oversight_values(ws.get(), "H1", "2026-03");
    CHECK(house.at("hazards").at("value") == 1.0);
    CHECK(house.at("hazards").at("sources") == Json{"2026-Z1"});
    CHECK(house.at("hazards_general").at("value") == 1.0);
    CHECK(house.at("hazard_fix_rate").at("value").get<double>() == doctest::Approx(100.0));
    // A period is read at its last second: at the quarter's, March's, Z2 is still overdue;
    // at the half year's it is fixed, late.
    const Json q1 = oversight_values(ws.get(), dongling, "2026-Q1");
    CHECK(q1.at("hazards_overdue").at("value") == 1.0);
    const Json h1 = oversight_values(ws.get(), dongling, "2026-H1");
    CHECK(h1.at("hazards_overdue").at("value") == 0.0);
    CHECK(h1.at("hazards_fixed").at("value") == 2.0);
    CHECK(h1.at("hazard_on_time_rate").at("value").get<double>() == doctest::Approx(50.0));
    // April: nothing reported; the rates and the mean are undefined, with a reason.
    const Json april = oversight_values(ws.get(), dongling, "2026-04");
    CHECK(april.at("hazards").at("value") == 0.0);
    CHECK(april.at("hazard_fix_rate").at("value").is_null());
    CHECK_FALSE(april.at("hazard_fix_rate").at("reason").get<std::string>().empty());
    CHECK(april.at("hazard_progress").at("value").is_null());

    // Values of other keys are kept, the hazard keys replaced.
    const Values mixed = new_values();
    ok(gridgov_indicator_values_set(mixed.get(), "patrols", 12));
    ok(gridgov_indicator_values_set(mixed.get(), "hazards", 99));
    ok(gridgov_indicator_values_add_oversight(mixed.get(), ws.get(), dongling, "2026-03"));
    const Json merged = values_json(mixed.get());
    CHECK(merged.at("patrols").at("value") == 12.0);
    CHECK(merged.at("hazards").at("value") == 2.0);
}

// On SQLite and, in the capi_postgresql run, in a schema of the PostgreSQL test server.
TEST_CASE("capi.oversight.workspace_keeps_inspections_promises_and_ratings" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = gridgov_test::store_location(dir, "oversight.gridgov");
    Json kept_inspections, kept_promises, kept_ratings, kept_board;
    {
        Workspace ws = township(location);
        const std::vector<std::string> picks = record_march_draw(ws.get());
        Json i1 = inspection("I1", "2026-03", picks[0], "2026-03-10T10:00",
                             Json::array({finding("乱摆乱卖", 2)}));
        i1["note"] = "第一组\n抽查";
        add_inspections(ws.get(), Json::array({i1}));
        five_matters(ws.get());
        Json a = promise("PR-A", "2026-A", "清运村口垃圾", "2026-03-05", "T1");
        a["note"] = "三天内";
        add_promises(ws.get(),
                     Json::array({a, promise("PR-C", "2026-C", "修复路灯", "2026-03-09")}));
        rate(ws.get(), Json::array({rating("PR-A", "citizen", 88.5, "2026-03-04T09:00")}));
        kept_inspections = inspections(ws.get());
        kept_promises = promises(ws.get());
        kept_ratings = ratings(ws.get());
        kept_board = board(ws.get(), "2026-03", nullptr);

        // Another handle sees what this one records.
        Workspace other = open_workspace(location, 0);
        CHECK(inspections(other.get()) == kept_inspections);
        rate(ws.get(), Json::array({rating("PR-A", "team", 90, "2026-03-04T10:00")}));
        REQUIRE(gridgov_workspace_refresh(other.get(), nullptr) == GRIDGOV_OK);
        CHECK(ratings(other.get()).size() == 2);
        kept_ratings = ratings(ws.get());
        kept_board = board(ws.get(), "2026-03", nullptr);
    }
    Workspace ws = open_workspace(location, 0);
    CHECK(inspections(ws.get()) == kept_inspections);
    CHECK(inspections(ws.get()).at(0).at("note") == "第一组\n抽查");
    CHECK(promises(ws.get()) == kept_promises);
    CHECK(promises(ws.get()).at(0).at("note") == "三天内");
    CHECK(ratings(ws.get()) == kept_ratings);
    CHECK(ratings(ws.get()).at(0).at("score") == 88.5);
    CHECK(board(ws.get(), "2026-03", nullptr) == kept_board);
    CHECK(tasks(ws.get(), "2026-03").at(0).at("done") == true);
}

TEST_CASE("capi.oversight.read_only_workspace_refuses_changes") {
    TempDir dir;
    const std::string path = dir.file("ro.gridgov");
    {
        Workspace ws = township(path);
        record_march_draw(ws.get());
        five_matters(ws.get());
        add_promises(ws.get(), Json::array({promise("PR-A", "2026-A", "清运", "2026-03-05")}));
    }
    Workspace ro = open_workspace(path, GRIDGOV_OPEN_READONLY);
    size_t added = 99;
    const std::string one = Json::array({inspection("I1", "", g1, "2026-03-10T10:00")}).dump();
    CHECK(gridgov_oversight_add_inspections_json(&added, ro.get(), one.c_str(), nullptr) ==
          GRIDGOV_ESTATE);
    const std::string p = Json::array({promise("PR-B", "2026-B", "清运", "2026-03-05")}).dump();
    CHECK(gridgov_oversight_add_promises_json(&added, ro.get(), p.c_str(), nullptr) ==
          GRIDGOV_ESTATE);
    const std::string r = Json::array({rating("PR-A", "citizen", 90, "2026-03-04T09:00")}).dump();
    CHECK(gridgov_oversight_rate_promises_json(&added, ro.get(), r.c_str(), nullptr) ==
          GRIDGOV_ESTATE);
    const std::string h = Json::array({Json{{"id", "E1"},
                                            {"case", "2026-C"},
                                            {"at", "2026-03-02T12:00"},
                                            {"person", "P02"},
                                            {"progress", 10}}})
                              .dump();
    CHECK(gridgov_oversight_add_hazard_entries_json(&added, ro.get(), h.c_str(), nullptr) ==
          GRIDGOV_ESTATE);
    CHECK(added == 99);
    CHECK(inspections(ro.get()).empty());
    CHECK(promises(ro.get()).size() == 1);
    CHECK(ratings(ro.get()).empty());
    CHECK(hazard_entries(ro.get()).empty());
    // Reading is fine.
    CHECK(tasks(ro.get(), "2026-03").size() == 2);
    CHECK(board(ro.get(), "2026-03", nullptr).at("kept") == 1);
}

TEST_CASE("capi.oversight.null_arguments_are_einval_naming_the_parameter") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const Values values = new_values();
    gridgov_indicator_values* v = values.get();
    char* out = nullptr;
    size_t added = 0;
    const int64_t t = at("2026-04-01T00:00");
    const int64_t none = GRIDGOV_NO_INSTANT;
    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    // clang-format off
    const std::vector<Case> cases = {
        {"add_inspections_json", "out_added", [&] { return gridgov_oversight_add_inspections_json(nullptr, w, "[]", nullptr); }},
        {"add_inspections_json", "ws", [&] { return gridgov_oversight_add_inspections_json(&added, nullptr, "[]", nullptr); }},
        {"add_inspections_json", "json", [&] { return gridgov_oversight_add_inspections_json(&added, w, nullptr, nullptr); }},
        {"inspections_json", "out", [&] { return gridgov_oversight_inspections_json(nullptr, w); }},
        {"inspections_json", "ws", [&] { return gridgov_oversight_inspections_json(&out, nullptr); }},
        {"tasks_json", "out", [&] { return gridgov_oversight_tasks_json(nullptr, w, "2026-03"); }},
        {"tasks_json", "ws", [&] { return gridgov_oversight_tasks_json(&out, nullptr, "2026-03"); }},
        {"tasks_json", "draw_label", [&] { return gridgov_oversight_tasks_json(&out, w, nullptr); }},
        {"add_promises_json", "out_added", [&] { return gridgov_oversight_add_promises_json(nullptr, w, "[]", nullptr); }},
        {"add_promises_json", "ws", [&] { return gridgov_oversight_add_promises_json(&added, nullptr, "[]", nullptr); }},
        {"add_promises_json", "json", [&] { return gridgov_oversight_add_promises_json(&added, w, nullptr, nullptr); }},
        {"promises_json", "out", [&] { return gridgov_oversight_promises_json(nullptr, w); }},
        {"promises_json", "ws", [&] { return gridgov_oversight_promises_json(&out, nullptr); }},
        {"rate_promises_json", "out_added", [&] { return gridgov_oversight_rate_promises_json(nullptr, w, "[]", nullptr); }},
        {"rate_promises_json", "ws", [&] { return gridgov_oversight_rate_promises_json(&added, nullptr, "[]", nullptr); }},
        {"rate_promises_json", "json", [&] { return gridgov_oversight_rate_promises_json(&added, w, nullptr, nullptr); }},
        {"ratings_json", "out", [&] { return gridgov_oversight_ratings_json(nullptr, w); }},
        {"ratings_json", "ws", [&] { return gridgov_oversight_ratings_json(&out, nullptr); }},
        {"progress_json", "out", [&] { return gridgov_oversight_progress_json(nullptr, w, t); }},
        {"progress_json", "ws", [&] { return gridgov_oversight_progress_json(&out, nullptr, t); }},
        {"board_json", "out", [&] { return gridgov_oversight_board_json(nullptr, w, "2026-03", nullptr, none); }},
        {"board_json", "ws", [&] { return gridgov_oversight_board_json(&out, nullptr, "2026-03", nullptr, none); }},
        {"board_json", "month", [&] { return gridgov_oversight_board_json(&out, w, nullptr, nullptr, none); }},
        {"board_html", "out", [&] { return gridgov_oversight_board_html(nullptr, w, "2026-03", nullptr, none); }},
        {"board_html", "ws", [&] { return gridgov_oversight_board_html(&out, nullptr, "2026-03", nullptr, none); }},
        {"board_html", "month", [&] { return gridgov_oversight_board_html(&out, w, nullptr, nullptr, none); }},
        {"add_hazard_entries_json", "out_added", [&] { return gridgov_oversight_add_hazard_entries_json(nullptr, w, "[]", nullptr); }},
        {"add_hazard_entries_json", "ws", [&] { return gridgov_oversight_add_hazard_entries_json(&added, nullptr, "[]", nullptr); }},
        {"add_hazard_entries_json", "json", [&] { return gridgov_oversight_add_hazard_entries_json(&added, w, nullptr, nullptr); }},
        {"hazard_entries_json", "out", [&] { return gridgov_oversight_hazard_entries_json(nullptr, w); }},
        {"hazard_entries_json", "ws", [&] { return gridgov_oversight_hazard_entries_json(&out, nullptr); }},
        {"hazards_json", "out", [&] { return gridgov_oversight_hazards_json(nullptr, w, t); }},
        {"hazards_json", "ws", [&] { return gridgov_oversight_hazards_json(&out, nullptr, t); }},
        {"add_oversight", "values", [&] { return gridgov_indicator_values_add_oversight(nullptr, w, "371327101", "2026-03"); }},
        {"add_oversight", "ws", [&] { return gridgov_indicator_values_add_oversight(v, nullptr, "371327101", "2026-03"); }},
        {"add_oversight", "subject", [&] { return gridgov_indicator_values_add_oversight(v, w, nullptr, "2026-03"); }},
        {"add_oversight", "period", [&] { return gridgov_indicator_values_add_oversight(v, w, "371327101", nullptr); }},
    };
    // clang-format on
    for (const Case& c : cases) {
        CAPTURE(c.function);
        CAPTURE(c.parameter);
        CHECK(c.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + c.parameter + "' must not be NULL");
    }
    CHECK(out == nullptr);
    CHECK(added == 0);
    CHECK(values_json(v).empty());
}
