// C ABI contract of duties on a schedule, on the township of the C++ suite: 青石镇 over
// 青石村 and its two grids, 信息员 P1 at G1, P2 (post A) and P3 (post B) at G2 with P2 away
// over the Spring Festival, the village's 二级网格长 PV and the township's 一级网格长 PT —
// February 2026 on the working calendar, fulfilments on time, late and missing, kept in a
// workspace file. Sees only gridgov.h; catalogues, fulfilments and occurrences are JSON.
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

const char* const township_csv =
    "code,parent_code,level,name\n"
    "371338101,,township,青石镇\n"
    "371338101001,371338101,village,青石村\n"
    "371338101001001,371338101001,grid,青石村第一网格\n"
    "371338101001002,371338101001,grid,青石村第二网格\n";

const char* const town = "371338101";
const char* const village = "371338101001";
const char* const g1 = "371338101001001";
const char* const g2 = "371338101001002";

void add_person(gridgov_workspace* ws, const char* id, const char* name) {
    gridgov_person_spec spec;
    REQUIRE(gridgov_person_spec_init(&spec, GRIDGOV_PERSON_SPEC_VERSION) == GRIDGOV_OK);
    spec.id = id;
    spec.name = name;
    INFO(last_error());
    REQUIRE(gridgov_directory_add_person(ws, &spec) == GRIDGOV_OK);
}

void assign(gridgov_workspace* ws, const char* person, const char* role, const char* node,
            int post = GRIDGOV_POST_A) {
    uint64_t id = 0;
    const int rc =
        gridgov_directory_add_assignment(&id, ws, person, role, node, post, "2025-01-01", nullptr);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
}

// The township of the C++ suite, staffed, in a workspace at `location`.
Workspace township(const std::string& location = ":memory:") {
    Workspace ws = open_workspace(location);
    size_t added = 0;
    gridgov_findings* findings = nullptr;
    REQUIRE(gridgov_hierarchy_import_text(&added, &findings, ws.get(), township_csv,
                                          GRIDGOV_FORMAT_CSV, "township.csv",
                                          nullptr) == GRIDGOV_OK);
    gridgov_findings_destroy(findings);
    REQUIRE(added == 4);
    REQUIRE(gridgov_directory_use_preset(ws.get(), "township_000") == GRIDGOV_OK);
    add_person(ws.get(), "P1", "赵大山");
    add_person(ws.get(), "P2", "孙丽");
    add_person(ws.get(), "P3", "钱明");
    add_person(ws.get(), "PV", "张秀英");
    add_person(ws.get(), "PT", "王建国");
    assign(ws.get(), "P1", "grid_information_officer", g1);
    assign(ws.get(), "P2", "grid_information_officer", g2);
    assign(ws.get(), "P3", "grid_information_officer", g2, GRIDGOV_POST_B);
    assign(ws.get(), "PV", "village_grid_leader", village);
    assign(ws.get(), "PT", "township_grid_leader", town);
    // P2 is away over the Spring Festival week and the one before it.
    uint64_t absence = 0;
    REQUIRE(gridgov_directory_add_absence(&absence, ws.get(), "P2", GRIDGOV_ABSENCE_LEAVE,
                                          "2026-02-09", "2026-02-21", 0, "探亲") == GRIDGOV_OK);
    return ws;
}

Json done(const std::string& id, const std::string& duty, const std::string& place,
          const std::string& who, const std::string& when, const std::string& occurrence = "") {
    Json f{{"id", id},      {"duty", duty}, {"place", place},
           {"person", who}, {"at", when},   {"evidence", Json::array({"minutes.pdf"})}};
    if (!occurrence.empty())
        f["occurrence"] = occurrence;
    return f;
}

size_t add(gridgov_workspace* ws, const Json& fulfilments, const char* source = "done.json") {
    size_t added = 0;
    const int rc =
        gridgov_duties_add_fulfilments_json(&added, ws, fulfilments.dump().c_str(), source);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return added;
}

Json fulfilments(const gridgov_workspace* ws) {
    char* out = nullptr;
    return json_of(gridgov_duties_fulfilments_json(&out, ws), &out);
}

Json occurrences(const gridgov_workspace* ws, const char* period, const char* as_of,
                 const char* subject = nullptr) {
    char* out = nullptr;
    return json_of(gridgov_duties_occurrences_json(&out, ws, period, at(as_of), subject), &out);
}

Json of_duty(const Json& all, const std::string& duty, const std::string& place = "") {
    Json out = Json::array();
    for (const Json& o : all) {
        if (o.at("duty") == duty && (place.empty() || o.at("place") == place))
            out.push_back(o);
    }
    return out;
}

Json values_json(const gridgov_indicator_values* values) {
    char* out = nullptr;
    return json_of(gridgov_indicator_values_json(&out, values), &out);
}

Values duty_values(const gridgov_workspace* ws, const char* period, const char* as_of,
                   const char* subject) {
    gridgov_indicator_values* v = nullptr;
    REQUIRE(gridgov_indicator_values_create(&v) == GRIDGOV_OK);
    Values values(v);
    const int rc = gridgov_indicator_values_add_duties(v, ws, period, at(as_of), subject);
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    return values;
}

struct Finding {
    std::string rule, where, message;
};

std::vector<Finding> findings_of(int rc, gridgov_findings** out) {
    const Findings owned(*out);
    *out = nullptr;
    INFO(last_error());
    REQUIRE(rc == GRIDGOV_OK);
    size_t n = 0;
    REQUIRE(gridgov_findings_count(&n, owned.get()) == GRIDGOV_OK);
    std::vector<Finding> list;
    for (size_t i = 0; i < n; ++i) {
        const char *rule = nullptr, *where = nullptr, *message = nullptr;
        REQUIRE(gridgov_findings_rule(&rule, owned.get(), i) == GRIDGOV_OK);
        REQUIRE(gridgov_findings_where(&where, owned.get(), i) == GRIDGOV_OK);
        REQUIRE(gridgov_findings_message(&message, owned.get(), i) == GRIDGOV_OK);
        list.push_back({rule, where, message});
    }
    return list;
}

std::string preset_json(const char* key) {
    char* out = nullptr;
    return text_of(gridgov_duties_preset_json(&out, key), &out);
}

std::string catalogue_json(const gridgov_workspace* ws) {
    char* out = nullptr;
    return text_of(gridgov_duties_catalogue_json(&out, ws), &out);
}

// The scheme of the C++ suite: the on-time rate mapped linearly to 100 points.
const char* const duty_scheme = R"({
  "key": "duty_check", "label": "定期职责考核", "version": 1, "period": "month",
  "max_total": 100,
  "indicators": [{"key": "duty_on_time_rate", "label": "按时履职率", "unit": "%"},
                 {"key": "duty_missed", "label": "未履职次数", "unit": "count"}],
  "components": [{"key": "on_time", "label": "按时履职", "weight": 1, "max_points": 100,
                  "indicator": "duty_on_time_rate",
                  "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
  "grades": [{"key": "pass", "label": "合格", "min": 60},
             {"key": "fail", "label": "不合格", "min": 0, "failing": true}]})";

}  // namespace

TEST_CASE("capi.duties.presets_and_catalogue_checked_against_the_workspace") {
    char* out = nullptr;
    CHECK(text_of(gridgov_duties_preset_keys(&out), &out) ==
          "market_supervision_002\nseed_defaults\n");
    const Json seeds = Json::parse(preset_json("seed_defaults"));
    CHECK(seeds.at("schedules").size() == 10);
    CHECK(gridgov_duties_preset_json(&out, "fire") == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "no duty catalogue preset \"fire\""));
    CHECK(out == nullptr);

    Workspace ws = township();
    // A new workspace has an empty catalogue and owes nothing.
    CHECK(Json::parse(catalogue_json(ws.get())).at("schedules").empty());
    CHECK(occurrences(ws.get(), "2026-02", "2026-03-02T09:00").empty());

    // The seed defaults fit the township preset's roles and levels; the 段管员's Friday
    // report needs the role (and its overlay).
    gridgov_findings* found = nullptr;
    const std::string seeds_text = preset_json("seed_defaults");
    CHECK(findings_of(gridgov_duties_validate_json(&found, ws.get(), seeds_text.c_str(), nullptr),
                      &found)
              .empty());
    const std::string market = preset_json("market_supervision_002");
    const std::vector<Finding> without = findings_of(
        gridgov_duties_validate_json(&found, ws.get(), market.c_str(), "market.json"), &found);
    REQUIRE(without.size() == 1);
    CHECK(without[0].rule == "duty.unknown_owner");
    CHECK(without[0].where == "section_friday_report");

    Json broken = seeds;
    broken["schedules"][0]["owner"] = "function:chef";
    broken["schedules"][1]["level"] = "county";
    broken["schedules"][2]["weekday"] = 7;  // Sunday: fine
    std::vector<std::string> rules;
    for (const Finding& f :
         findings_of(gridgov_duties_validate_json(&found, ws.get(), broken.dump().c_str(), nullptr),
                     &found))
        rules.push_back(f.rule + "@" + f.where);
    CHECK(rules == std::vector<std::string>{"duty.unknown_owner@grid_weekly_report",
                                            "duty.unknown_level@village_monthly_report"});

    // Documents that cannot be read as a catalogue are refused, naming the source.
    CHECK(gridgov_duties_validate_json(&found, ws.get(), "{\"schedules\": [", "bad.json") ==
          GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "bad.json"));
    Json bad_time = seeds;
    bad_time["schedules"][3]["time"] = "25:00";
    CHECK(gridgov_duties_validate_json(&found, ws.get(), bad_time.dump().c_str(), "qingshi.json") ==
          GRIDGOV_EINVAL);
    CHECK(last_error() ==
          "qingshi.json /schedules/3 field 'time': time \"25:00\" is not HH:MM between 00:00 and "
          "24:00");
    Json twice = seeds;
    twice["schedules"][1]["key"] = "grid_weekly_report";
    CHECK(gridgov_duties_validate_json(&found, ws.get(), twice.dump().c_str(), nullptr) ==
          GRIDGOV_EEXISTS);
    CHECK(contains(last_error(), "duplicate schedule key \"grid_weekly_report\""));
    CHECK(found == nullptr);

    // A catalogue whose owner the directory lacks is refused whole.
    CHECK(gridgov_duties_use_preset(ws.get(), "market_supervision_002") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "[duty.unknown_owner]"));
    CHECK(gridgov_duties_set_catalogue_json(ws.get(), broken.dump().c_str(), "broken.json") ==
          GRIDGOV_EINVAL);
    CHECK(Json::parse(catalogue_json(ws.get())).at("schedules").empty());
    CHECK(gridgov_duties_use_preset(ws.get(), "fire") == GRIDGOV_ENOTFOUND);

    REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    CHECK(catalogue_json(ws.get()) == seeds_text);
    // The catalogue read back is one set_catalogue_json() takes as it is.
    REQUIRE(gridgov_duties_set_catalogue_json(ws.get(), catalogue_json(ws.get()).c_str(),
                                              nullptr) == GRIDGOV_OK);
    CHECK(catalogue_json(ws.get()) == seeds_text);
}

TEST_CASE("capi.duties.february_on_time_late_and_missing") {
    Workspace ws = township();
    REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    const Json list = Json::array({
        done("F1", "grid_weekly_report", g1, "P1", "2026-02-06T16:00"),
        // Week 7's report made after the holiday names its week: late.
        done("F2", "grid_weekly_report", g1, "P1", "2026-02-24T10:00", "2026-W07"),
        // G2's report made by the backup counts for the grid.
        done("F3", "grid_weekly_report", g2, "P3", "2026-02-06T11:00"),
        done("F4", "grid_weekly_report", g2, "P3", "2026-02-13T11:00"),
        // Without a label: the week containing the instant (week 9).
        done("F5", "grid_weekly_report", g2, "P2", "2026-02-27T17:00"),
        // Another place's fulfilments do not count here.
        done("F6", "grid_weekly_report", village, "PV", "2026-02-27T17:00"),
        done("F7", "registration_check", g1, "P1", "2026-02-20T10:00"),
        // Per person: P3's check is not P2's.
        done("F8", "registration_check", g2, "P3", "2026-02-20T10:00"),
    });
    CHECK(add(ws.get(), list) == 8);

    const Json all = occurrences(ws.get(), "2026-02", "2026-03-02T09:00");
    // The grid's weekly report falls due on the last working day of each week: Friday 02-06,
    // the make-up Saturday 02-14; the Spring Festival week owes nothing; the week of 02-23
    // ends on the make-up Saturday 02-28.
    const Json weekly = of_duty(all, "grid_weekly_report", g1);
    REQUIRE(weekly.size() == 3);
    CHECK(weekly[0] == Json{{"duty", "grid_weekly_report"},
                            {"label", "2026-W06"},
                            {"place", g1},
                            {"person", "P1"},
                            {"due_date", "2026-02-06"},
                            {"due", "2026-02-07T00:00:00+08:00"},
                            {"quota", 1},
                            {"fulfilled", 1},
                            {"on_time", 1},
                            {"status", "done_on_time"},
                            {"assumed", false},
                            {"fulfilments", {"F1"}}});
    CHECK(weekly[1].at("label") == "2026-W07");
    CHECK(weekly[1].at("due_date") == "2026-02-14");
    CHECK(weekly[1].at("status") == "done_late");
    CHECK(weekly[1].at("fulfilled") == 1);
    CHECK(weekly[1].at("on_time") == 0);
    CHECK(weekly[2].at("label") == "2026-W09");
    CHECK(weekly[2].at("due") == "2026-03-01T00:00:00+08:00");  // the end of 02-28
    CHECK(weekly[2].at("status") == "missed");
    // At G2 the holder is away in week 7: the backup on post B owes it.
    const Json at_g2 = of_duty(all, "grid_weekly_report", g2);
    REQUIRE(at_g2.size() == 3);
    CHECK(at_g2[0].at("person") == "P2");
    CHECK(at_g2[1].at("person") == "P3");
    CHECK(at_g2[2].at("person") == "P2");
    for (const Json& o : at_g2)
        CHECK(o.at("status") == "done_on_time");
    CHECK(at_g2[2].at("fulfilments") == Json{"F5"});
    // The community's monthly report on the last day of February, a make-up workday; the
    // sanitation day on the 15th, a holiday Sunday; the township's fire check.
    const Json monthly = of_duty(all, "village_monthly_report");
    REQUIRE(monthly.size() == 1);
    CHECK(monthly[0].at("place") == village);
    CHECK(monthly[0].at("person") == "PV");
    CHECK(monthly[0].at("due_date") == "2026-02-28");
    const Json sanitation = of_duty(all, "sanitation_day");
    REQUIRE(sanitation.size() == 2);
    CHECK(sanitation[0].at("due_date") == "2026-02-15");
    CHECK(of_duty(all, "fire_township_check").at(0).at("person") == "PT");
    CHECK(of_duty(all, "visiting_round").empty());
    // Per person: one occurrence for each post-A holder, not the backup.
    const Json checks = of_duty(all, "registration_check");
    REQUIRE(checks.size() == 2);
    CHECK(checks[0].at("person") == "P1");
    CHECK(checks[0].at("status") == "done_on_time");
    CHECK(checks[1].at("person") == "P2");
    CHECK(checks[1].at("status") == "missed");

    // Read on 02-20, week 7 at G1 is missed (not yet reported) and week 9 still open:
    // fulfilments made after the instant read are not seen.
    const Json earlier =
        of_duty(occurrences(ws.get(), "2026-02", "2026-02-20T09:00"), "grid_weekly_report", g1);
    CHECK(earlier[1].at("status") == "missed");
    CHECK(earlier[1].at("fulfilments").empty());
    CHECK(earlier[2].at("status") == "open");

    // By subject: a person, a node with its subtree, every occurrence.
    const Json of_p1 = occurrences(ws.get(), "2026-02", "2026-03-02T09:00", "P1");
    CHECK(of_p1.size() == 3 + 1 + 1);  // G1's weekly reports, its sanitation day, P1's check
    for (const Json& o : of_p1)
        CHECK(o.at("person") == "P1");
    CHECK(occurrences(ws.get(), "2026-02", "2026-03-02T09:00", g2).size() == 3 + 1 + 1);
    CHECK(occurrences(ws.get(), "2026-02", "2026-03-02T09:00", town) == all);
    CHECK(occurrences(ws.get(), "2026-02", "2026-03-02T09:00", "") == all);
    char* out = nullptr;
    CHECK(gridgov_duties_occurrences_json(&out, ws.get(), "2026-02", at("2026-03-02T09:00"),
                                          "nobody") == GRIDGOV_ENOTFOUND);
    CHECK(last_error() ==
          "subject: duty occurrences: \"nobody\" is no person, node or overlay unit");
    CHECK(out == nullptr);

    // Indicators of G1: its three weekly reports (on time, late, missed), the sanitation day
    // (missed) and P1's registration check (on time).
    const Values v = duty_values(ws.get(), "2026-02", "2026-03-02T09:00", g1);
    const Json values = values_json(v.get());
    CHECK(values.at("duty_due").at("value") == 5);
    CHECK(values.at("duty_done").at("value") == 3);
    CHECK(values.at("duty_done_on_time").at("value") == 2);
    CHECK(values.at("duty_done_late").at("value") == 1);
    CHECK(values.at("duty_missed").at("value") == 2);
    CHECK(values.at("duty_open").at("value") == 0);
    CHECK(values.at("duty_on_time_rate").at("value").get<double>() == doctest::Approx(40.0));
    CHECK(values.at("duty_shortfall").at("value") == 2);
    CHECK(values.at("duty_missed").at("sources") ==
          Json{"grid_weekly_report@2026-W09@371338101001001",
               "sanitation_day@2026-02@371338101001001"});
    // Nothing settled yet: the rate is undefined with the reason.
    const Values early = duty_values(ws.get(), "2026-02", "2026-02-01T09:00", village);
    const Json rate = values_json(early.get()).at("duty_on_time_rate");
    CHECK(rate.at("value").is_null());
    CHECK(rate.at("reason") == "no occurrence is done or past due");
    // Values of other keys are kept; the duty keys replaced.
    gridgov_indicator_values* raw = nullptr;
    REQUIRE(gridgov_indicator_values_create(&raw) == GRIDGOV_OK);
    const Values mixed(raw);
    REQUIRE(gridgov_indicator_values_set(raw, "patrols", 12) == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_set(raw, "duty_due", 99) == GRIDGOV_OK);
    REQUIRE(gridgov_indicator_values_add_duties(raw, ws.get(), "2026-02", at("2026-03-02T09:00"),
                                                g1) == GRIDGOV_OK);
    CHECK(values_json(raw).at("patrols").at("value") == 12);
    CHECK(values_json(raw).at("duty_due").at("value") == 5);

    // Findings: the missed ones, at their places.
    gridgov_findings* found = nullptr;
    const std::vector<Finding> missed = findings_of(
        gridgov_duties_findings(&found, ws.get(), "2026-02", at("2026-03-02T09:00"), g1), &found);
    REQUIRE(missed.size() == 2);
    CHECK(missed[0].rule == "duty.missed");
    CHECK(missed[0].where == g1);
    CHECK(missed[0].message ==
          "grid_weekly_report 2026-W09 at 371338101001001 due 2026-03-01T00:00:00+08:00 (P1): 0 "
          "of 1 fulfilled");
    CHECK(missed[1].message.rfind("sanitation_day 2026-02 at 371338101001001", 0) == 0);
    const size_t every = findings_of(gridgov_duties_findings(&found, ws.get(), "2026-02",
                                                             at("2026-03-02T09:00"), nullptr),
                                     &found)
                             .size();
    CHECK(every > missed.size());
}

TEST_CASE("capi.duties.a_quota_per_month") {
    // Three registration checks a month (seed 001 篇7 withholds pay per missing check).
    Workspace ws = township();
    Json quota = Json::parse(preset_json("seed_defaults"));
    Json check;
    for (const Json& s : quota.at("schedules")) {
        if (s.at("key") == "registration_check")
            check = s;
    }
    check["quota"] = 3;
    quota["schedules"] = Json::array({check});
    REQUIRE(gridgov_duties_set_catalogue_json(ws.get(), quota.dump().c_str(), "quota.json") ==
            GRIDGOV_OK);
    add(ws.get(), Json::array({done("Q1", "registration_check", g1, "P1", "2026-02-03T10:00"),
                               done("Q2", "registration_check", g1, "P1", "2026-02-25T10:00")}));
    const Json two = occurrences(ws.get(), "2026-02", "2026-03-02T09:00", g1);
    REQUIRE(two.size() == 1);
    CHECK(two[0].at("status") == "missed");
    CHECK(two[0].at("quota") == 3);
    CHECK(two[0].at("fulfilled") == 2);
    CHECK(values_json(duty_values(ws.get(), "2026-02", "2026-03-02T09:00", g1).get())
              .at("duty_shortfall")
              .at("value") == 1);
    // The third, made on 03-01, names February: done late, nothing short.
    add(ws.get(),
        Json::array({done("Q3", "registration_check", g1, "P1", "2026-03-01T10:00", "2026-02")}));
    const Json three = occurrences(ws.get(), "2026-02", "2026-03-02T09:00", g1);
    CHECK(three[0].at("status") == "done_late");
    CHECK(three[0].at("fulfilments") == Json{"Q1", "Q2", "Q3"});
    CHECK(values_json(duty_values(ws.get(), "2026-02", "2026-03-02T09:00", g1).get())
              .at("duty_shortfall")
              .at("value") == 0);
    // A catalogue without the schedule the checks name is refused.
    CHECK(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    const std::string empty = R"({"key": "none", "schedules": []})";
    CHECK(gridgov_duties_set_catalogue_json(ws.get(), empty.c_str(), nullptr) == GRIDGOV_ESTATE);
    CHECK(contains(last_error(), "lacks schedule \"registration_check\""));
}

// On SQLite and, in the capi_postgresql run, in a schema of the PostgreSQL test server.
TEST_CASE("capi.duties.workspace_keeps_the_catalogue_and_the_fulfilments" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = gridgov_test::store_location(dir, "duties.gridgov");
    Json expected;
    std::string kept;
    {
        Workspace ws = township(location);
        REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
        Json f1 = done("F1", "grid_weekly_report", g1, "P1", "2026-02-06T16:00");
        f1["note"] = "本周巡查 12 次\n另附照片";
        CHECK(add(ws.get(), Json::array({f1, done("F2", "grid_weekly_report", g1, "P1",
                                                  "2026-02-24T10:00", "2026-W07")})) == 2);
        kept = fulfilments(ws.get()).dump();

        // Refusals name the source, the fulfilment and the field, and record nothing.
        const auto refused = [&](const Json& f, int status, const std::string& text) {
            const Json both =
                Json::array({done("OK", "sanitation_day", g2, "P2", "2026-02-15T10:00"), f});
            size_t added = 99;
            CHECK(gridgov_duties_add_fulfilments_json(&added, ws.get(), both.dump().c_str(),
                                                      "more.json") == status);
            CHECK(last_error() == text);
            CHECK(added == 99);
            CHECK(fulfilments(ws.get()).dump() == kept);
            CHECK(gridgov_test::RawStore(location).integer(
                      "SELECT count(*) FROM duty_fulfilments") == 2);
        };
        refused(done("F1", "grid_weekly_report", g1, "P1", "2026-02-13T16:00"), GRIDGOV_EEXISTS,
                "more.json fulfilments[1] field 'id': \"F1\" is already recorded");
        refused(done("F3", "patrol", g1, "P1", "2026-02-13T16:00"), GRIDGOV_ENOTFOUND,
                "more.json fulfilments[1] field 'duty': \"patrol\" is not a schedule of the duty "
                "catalogue");
        refused(done("F3", "grid_weekly_report", "371338999", "P1", "2026-02-13T16:00"),
                GRIDGOV_ENOTFOUND,
                "more.json fulfilments[1] field 'place': no live node '371338999'");
        refused(done("F3", "grid_weekly_report", g1, "P9", "2026-02-13T16:00"), GRIDGOV_ENOTFOUND,
                "more.json fulfilments[1] field 'person': \"P9\" is not a person of the directory");
        refused(done("F3", "grid_weekly_report", g1, "P1", "2026-02-13T16:00", "2026-02"),
                GRIDGOV_EINVAL,
                "more.json fulfilments[1] field 'occurrence': \"2026-02\" is not a weekly "
                "occurrence label (2026-W11)");
        refused(done("F3", "grid_weekly_report", g1, "P1", "2026-02-13T16:00", "2026-W54"),
                GRIDGOV_EINVAL,
                "more.json fulfilments[1] field 'occurrence': \"2026-W54\" is not a weekly "
                "occurrence label (2026-W11)");
        refused(done("", "grid_weekly_report", g1, "P1", "2026-02-13T16:00"), GRIDGOV_EINVAL,
                "more.json fulfilments[1] field 'id': empty");
        refused(done("OK", "grid_weekly_report", g1, "P1", "2026-02-13T16:00"), GRIDGOV_EEXISTS,
                "more.json fulfilments[1] field 'id': \"OK\" is already recorded");
        refused(done("F3", "grid_weekly_report", g1, "P1", "2026-02-13 16:00"), GRIDGOV_EINVAL,
                "more.json fulfilments[1] field 'at': \"2026-02-13 16:00\" is not an ISO 8601 "
                "instant (expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): the date and "
                "the time are joined by 'T', not a space");

        // A catalogue without a schedule that fulfilments name is refused.
        Json fewer = Json::parse(preset_json("seed_defaults"));
        fewer["schedules"].erase(fewer["schedules"].begin());
        CHECK(gridgov_duties_set_catalogue_json(ws.get(), fewer.dump().c_str(), nullptr) ==
              GRIDGOV_ESTATE);
        CHECK(contains(last_error(), "lacks schedule \"grid_weekly_report\""));
        CHECK(catalogue_json(ws.get()) == preset_json("seed_defaults"));

        // Another handle sees what this one records.
        Workspace other = open_workspace(location, 0);
        CHECK(fulfilments(other.get()).size() == 2);
        add(ws.get(), Json::array({done("F3", "sanitation_day", g2, "P2", "2026-02-15T10:00")}));
        REQUIRE(gridgov_workspace_refresh(other.get(), nullptr) == GRIDGOV_OK);
        CHECK(fulfilments(other.get()).size() == 3);
        expected = occurrences(ws.get(), "2026-02", "2026-03-02T09:00");
    }
    // Reopened: the same catalogue, the fulfilments in order with every field, the same
    // occurrences.
    Workspace ws = open_workspace(location, 0);
    CHECK(catalogue_json(ws.get()) == preset_json("seed_defaults"));
    const Json again = fulfilments(ws.get());
    REQUIRE(again.size() == 3);
    CHECK(again[0] == Json{{"id", "F1"},
                           {"duty", "grid_weekly_report"},
                           {"place", g1},
                           {"person", "P1"},
                           {"at", "2026-02-06T16:00:00+08:00"},
                           {"occurrence", ""},
                           {"evidence", {"minutes.pdf"}},
                           {"note", "本周巡查 12 次\n另附照片"}});
    CHECK(again[1].at("occurrence") == "2026-W07");
    CHECK(again[2].at("id") == "F3");
    CHECK(occurrences(ws.get(), "2026-02", "2026-03-02T09:00") == expected);
    const Json weekly = of_duty(expected, "grid_weekly_report", g1);
    REQUIRE(weekly.size() == 3);
    CHECK(weekly[0].at("status") == "done_on_time");
    CHECK(weekly[1].at("status") == "done_late");
    CHECK(of_duty(expected, "sanitation_day", g2).at(0).at("status") == "done_on_time");
    // What gridgov_duties_fulfilments_json() gives is what the add takes.
    Workspace copy = township();
    REQUIRE(gridgov_duties_use_preset(copy.get(), "seed_defaults") == GRIDGOV_OK);
    CHECK(add(copy.get(), again) == 3);
    CHECK(fulfilments(copy.get()) == again);

    // A scheme reading duty indicators scores the grids from their duties: read at the end
    // of February, G1 did 1 of its 5 occurrences on time (week 7 came late; week 9, the
    // sanitation day and the registration check were missed) — through the workspace's
    // assessment, and through the values added to a score of one's own.
    gridgov_assessment_scheme* raw = nullptr;
    REQUIRE(gridgov_assessment_scheme_from_json(&raw, nullptr, duty_scheme, "duty_check.json") ==
            GRIDGOV_OK);
    const Scheme scheme(raw);
    gridgov_assess_options options;
    REQUIRE(gridgov_assess_options_init(&options, GRIDGOV_ASSESS_OPTIONS_VERSION) == GRIDGOV_OK);
    options.level = "grid";
    char* out = nullptr;
    const Json run =
        json_of(gridgov_assessment_assess(&out, ws.get(), scheme.get(), "2026-02", &options), &out);
    REQUIRE(run.at("scores").size() == 2);
    CHECK(run.at("scores")[0].at("subject").at("code") == g1);
    CHECK(run.at("scores")[0].at("total").get<double>() == doctest::Approx(20.0));

    const Values v = duty_values(ws.get(), "2026-02", "2026-03-01T00:00", g1);
    gridgov_score* scored = nullptr;
    REQUIRE(gridgov_assessment_score(&scored, scheme.get(), g1, "grid", nullptr, "2026-02",
                                     v.get()) == GRIDGOV_OK);
    const Score score(scored);
    int defined = 0;
    double total = NAN;
    REQUIRE(gridgov_score_total(&defined, &total, score.get()) == GRIDGOV_OK);
    CHECK(defined == 1);
    CHECK(total == doctest::Approx(20.0));
}

TEST_CASE("capi.duties.read_only_workspace_refuses_changes") {
    TempDir dir;
    const std::string path = dir.file("ro.gridgov");
    {
        Workspace ws = township(path);
        REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    }
    Workspace ro = open_workspace(path, GRIDGOV_OPEN_READONLY);
    size_t added = 0;
    const std::string one =
        Json::array({done("F1", "grid_weekly_report", g1, "P1", "2026-02-06T16:00")}).dump();
    CHECK(gridgov_duties_add_fulfilments_json(&added, ro.get(), one.c_str(), nullptr) ==
          GRIDGOV_ESTATE);
    CHECK(gridgov_duties_use_preset(ro.get(), "seed_defaults") == GRIDGOV_ESTATE);
    CHECK(fulfilments(ro.get()).empty());
    // Reading is fine.
    CHECK(of_duty(occurrences(ro.get(), "2026-02", "2026-03-02T09:00"), "grid_weekly_report", g1)
              .size() == 3);
}

TEST_CASE("capi.duties.posts_on_overlay_units") {
    // The 段管员's Friday report (seed 002 第一篇), due before noon, on the 段区 of a market
    // overlay; a Friday that is a holiday moves to the working day before — 中秋 (09-25) to
    // Thursday 09-24, and the National Day Friday 10-02 back to Wednesday 09-30.
    Workspace ws = township();
    REQUIRE(gridgov_overlay_add(ws.get(), "market", "工商段区", "market_supervision") ==
            GRIDGOV_OK);
    add_overlay_unit(ws.get(), "market", "D01", nullptr, "section", g1, "东岭段区");
    char* out = nullptr;
    std::string catalogue = text_of(gridgov_directory_catalogue_json(&out, ws.get()), &out);
    const std::string role =
        R"({"code": "section_officer", "zh": "段管员", "level": "section", "overlay": "market",
            "cardinality": "exactly_one", "duties": ["public_opinion"]},)";
    catalogue.insert(catalogue.find("\"roles\": [") + 10, role);
    REQUIRE(gridgov_directory_set_catalogue_json(ws.get(), catalogue.c_str(), "market.json") ==
            GRIDGOV_OK);
    add_person(ws.get(), "M1", "黄志强");
    assign(ws.get(), "M1", "section_officer", "market:D01");
    REQUIRE(gridgov_duties_use_preset(ws.get(), "market_supervision_002") == GRIDGOV_OK);
    add(ws.get(),
        Json::array({done("R1", "section_friday_report", "market:D01", "M1", "2026-09-04T11:30"),
                     done("R2", "section_friday_report", "market:D01", "M1", "2026-09-11T14:00")}));

    const Json september = occurrences(ws.get(), "2026-09", "2026-10-08T09:00");
    REQUIRE(september.size() == 5);
    CHECK(september[0].at("place") == "market:D01");
    CHECK(september[0].at("person") == "M1");
    CHECK(september[0].at("due") == "2026-09-04T12:00:00+08:00");
    CHECK(september[0].at("status") == "done_on_time");
    CHECK(september[1].at("status") == "done_late");  // after noon
    CHECK(september[3].at("due_date") == "2026-09-24");
    CHECK(september[4].at("label") == "2026-W40");
    CHECK(september[4].at("due_date") == "2026-09-30");
    CHECK(occurrences(ws.get(), "2026-10", "2026-11-01T09:00").at(0).at("label") == "2026-W41");
    // The unit and its officer as subjects; the grid the unit covers owes nothing itself.
    CHECK(occurrences(ws.get(), "2026-09", "2026-10-08T09:00", "market:D01") == september);
    CHECK(occurrences(ws.get(), "2026-09", "2026-10-08T09:00", "M1") == september);
    CHECK(occurrences(ws.get(), "2026-09", "2026-10-08T09:00", g1).empty());
    gridgov_findings* found = nullptr;
    const std::vector<Finding> missed = findings_of(
        gridgov_duties_findings(&found, ws.get(), "2026-09", at("2026-10-08T09:00"), "market:D01"),
        &found);
    REQUIRE(missed.size() == 3);  // weeks 38, 39 and 40
    CHECK(missed[0].where == "market:D01");
    const Json values =
        values_json(duty_values(ws.get(), "2026-09", "2026-10-08T09:00", "market:D01").get());
    CHECK(values.at("duty_done_on_time").at("sources") ==
          Json{"section_friday_report@2026-W36@market:D01"});
}

TEST_CASE("capi.duties.malformed_fulfilments_are_named_and_refused_whole") {
    Workspace ws = township();
    REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    const Json ok = done("F1", "grid_weekly_report", g1, "P1", "2026-02-06T16:00");
    const auto refused = [&](const std::string& text, const char* source, int status,
                             const std::string& message) {
        size_t added = 99;
        CAPTURE(text);
        CHECK(gridgov_duties_add_fulfilments_json(&added, ws.get(), text.c_str(), source) ==
              status);
        CHECK(last_error() == message);
        CHECK(added == 99);
        CHECK(fulfilments(ws.get()).empty());
    };
    const auto with = [&](const char* field, const Json& value) {
        Json f = ok;
        f[field] = value;
        return Json::array({ok, f}).dump();
    };
    const auto without = [&](const char* field) {
        Json f = ok;
        f.erase(field);
        return Json::array({ok, f}).dump();
    };
    refused("[{\"id\": \"F1\",", "f.json", GRIDGOV_EPARSE,
            "f.json: not valid JSON at line 1, column 14, member /0/id: syntax error while parsing "
            "object key - unexpected end of input; expected string literal");
    refused(ok.dump(), nullptr, GRIDGOV_EINVAL,
            "<json>: an object is not an array (expected an array of fulfilments)");
    refused(Json::array({ok, "F2"}).dump(), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1]: 'F2' is not a JSON object");
    refused(without("at"), "f.json", GRIDGOV_EINVAL, "f.json fulfilments[1] field 'at': missing");
    refused(without("person"), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'person': missing");
    refused(with("duty", 7), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'duty': 7 is not a string");
    refused(with("evidence", Json::array({"a.jpg", 3})), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'evidence': element 1: 3 is not a string");
    refused(with("evidence", "a.jpg"), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'evidence': 'a.jpg' is not an array");
    refused(with("occurence", "2026-W06"), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'occurence': unknown member (expected one of id, duty, "
            "place, person, at, occurrence, evidence, note)");
    refused(with("id", "F\x01"), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'id': control character U+0001 at byte 1 (a one-line "
            "field takes no control characters, tab and line breaks included)");
    refused(with("at", "2026-02-30T10:00"), "f.json", GRIDGOV_EINVAL,
            "f.json fulfilments[1] field 'at': \"2026-02-30T10:00\" is not an ISO 8601 instant "
            "(expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): February 2026 has 28 "
            "days");
    // Two new ones with one id: the second is refused, and so is the first.
    refused(Json::array({ok, ok}).dump(), "f.json", GRIDGOV_EEXISTS,
            "f.json fulfilments[1] field 'id': \"F1\" is already recorded");
    // An empty array records nothing, and succeeds.
    size_t added = 99;
    CHECK(gridgov_duties_add_fulfilments_json(&added, ws.get(), "[]", nullptr) == GRIDGOV_OK);
    CHECK(added == 0);
    // Instants in other forms are read as the same instant.
    Json utc = ok;
    utc["at"] = "2026-02-06T08:00:00.000Z";
    CHECK(add(ws.get(), Json::array({utc})) == 1);
    CHECK(fulfilments(ws.get()).at(0).at("at") == "2026-02-06T16:00:00+08:00");
}

TEST_CASE("capi.duties.malformed_parameters_are_einval_naming_them") {
    Workspace ws = township();
    REQUIRE(gridgov_duties_use_preset(ws.get(), "seed_defaults") == GRIDGOV_OK);
    char* out = nullptr;
    const int64_t t = at("2026-03-02T09:00");
    CHECK(gridgov_duties_occurrences_json(&out, ws.get(), "2026-13", t, nullptr) == GRIDGOV_EINVAL);
    CHECK(last_error().rfind("period: ", 0) == 0);
    CHECK(gridgov_duties_occurrences_json(&out, ws.get(), "2026-02", GRIDGOV_NO_INSTANT, nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(last_error() == "as_of: no instant given (GRIDGOV_NO_INSTANT)");
    gridgov_findings* found = nullptr;
    CHECK(gridgov_duties_findings(&found, ws.get(), "2026-W07", t, nullptr) == GRIDGOV_EINVAL);
    CHECK(last_error().rfind("period: ", 0) == 0);
    gridgov_indicator_values* raw = nullptr;
    REQUIRE(gridgov_indicator_values_create(&raw) == GRIDGOV_OK);
    const Values values(raw);
    CHECK(gridgov_indicator_values_add_duties(raw, ws.get(), "2026-02", t, "371338101009") ==
          GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "\"371338101009\""));
    CHECK(values_json(raw).empty());
    CHECK(out == nullptr);
    CHECK(found == nullptr);
}

TEST_CASE("capi.duties.null_arguments_are_einval_naming_the_parameter") {
    Workspace ws = township();
    gridgov_workspace* w = ws.get();
    gridgov_indicator_values* raw = nullptr;
    REQUIRE(gridgov_indicator_values_create(&raw) == GRIDGOV_OK);
    const Values values(raw);
    char* out = nullptr;
    gridgov_findings* found = nullptr;
    size_t added = 0;
    const int64_t t = at("2026-03-02T09:00");
    const char* const seeds = "{\"schedules\": []}";
    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    // clang-format off
    const std::vector<Case> cases = {
        {"preset_keys", "out", [&] { return gridgov_duties_preset_keys(nullptr); }},
        {"preset_json", "out", [&] { return gridgov_duties_preset_json(nullptr, "seed_defaults"); }},
        {"preset_json", "key", [&] { return gridgov_duties_preset_json(&out, nullptr); }},
        {"validate_json", "out", [&] { return gridgov_duties_validate_json(nullptr, w, seeds, nullptr); }},
        {"validate_json", "ws", [&] { return gridgov_duties_validate_json(&found, nullptr, seeds, nullptr); }},
        {"validate_json", "json", [&] { return gridgov_duties_validate_json(&found, w, nullptr, nullptr); }},
        {"set_catalogue_json", "ws", [&] { return gridgov_duties_set_catalogue_json(nullptr, seeds, nullptr); }},
        {"set_catalogue_json", "json", [&] { return gridgov_duties_set_catalogue_json(w, nullptr, nullptr); }},
        {"use_preset", "ws", [&] { return gridgov_duties_use_preset(nullptr, "seed_defaults"); }},
        {"use_preset", "key", [&] { return gridgov_duties_use_preset(w, nullptr); }},
        {"catalogue_json", "out", [&] { return gridgov_duties_catalogue_json(nullptr, w); }},
        {"catalogue_json", "ws", [&] { return gridgov_duties_catalogue_json(&out, nullptr); }},
        {"add_fulfilments_json", "out_added", [&] { return gridgov_duties_add_fulfilments_json(nullptr, w, "[]", nullptr); }},
        {"add_fulfilments_json", "ws", [&] { return gridgov_duties_add_fulfilments_json(&added, nullptr, "[]", nullptr); }},
        {"add_fulfilments_json", "json", [&] { return gridgov_duties_add_fulfilments_json(&added, w, nullptr, nullptr); }},
        {"fulfilments_json", "out", [&] { return gridgov_duties_fulfilments_json(nullptr, w); }},
        {"fulfilments_json", "ws", [&] { return gridgov_duties_fulfilments_json(&out, nullptr); }},
        {"occurrences_json", "out", [&] { return gridgov_duties_occurrences_json(nullptr, w, "2026-02", t, nullptr); }},
        {"occurrences_json", "ws", [&] { return gridgov_duties_occurrences_json(&out, nullptr, "2026-02", t, nullptr); }},
        {"occurrences_json", "period", [&] { return gridgov_duties_occurrences_json(&out, w, nullptr, t, nullptr); }},
        {"add_duties", "values", [&] { return gridgov_indicator_values_add_duties(nullptr, w, "2026-02", t, nullptr); }},
        {"add_duties", "ws", [&] { return gridgov_indicator_values_add_duties(raw, nullptr, "2026-02", t, nullptr); }},
        {"add_duties", "period", [&] { return gridgov_indicator_values_add_duties(raw, w, nullptr, t, nullptr); }},
        {"findings", "out", [&] { return gridgov_duties_findings(nullptr, w, "2026-02", t, nullptr); }},
        {"findings", "ws", [&] { return gridgov_duties_findings(&found, nullptr, "2026-02", t, nullptr); }},
        {"findings", "period", [&] { return gridgov_duties_findings(&found, w, nullptr, t, nullptr); }},
    };
    // clang-format on
    for (const Case& c : cases) {
        CAPTURE(c.function);
        CAPTURE(c.parameter);
        CHECK(c.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + c.parameter + "' must not be NULL");
    }
    CHECK(out == nullptr);
    CHECK(found == nullptr);
    CHECK(added == 0);
    CHECK(Json::parse(catalogue_json(w)).at("schedules").empty());
}
