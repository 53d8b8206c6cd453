// C ABI contract of the cases of a workspace: reports and commands with their refusals, a
// case through the township's six-step loop in a real file and back after reopening,
// clocks, ticks, queries, batches, the log and observers. Sees only gridgov.h.
//
// The area is a township of the seed texts (岸堤镇, base grids of about 150 households);
// the people hold the posts the six-step loop names: a grid information officer (网格信息员)
// reports, the township's social-management service centre (社会管理服务中心) files,
// dispatches and closes, the sanitation office (环卫所) handles, the village grid leader
// (二级网格长) checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/test_store.hpp"
#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

namespace fs = std::filesystem;
struct RecordDestroyer {
    void operator()(gridgov_case_record* r) const { gridgov_case_record_destroy(r); }
};
struct EventsDestroyer {
    void operator()(gridgov_case_events* e) const { gridgov_case_events_destroy(e); }
};
struct GroupsDestroyer {
    void operator()(gridgov_case_groups* g) const { gridgov_case_groups_destroy(g); }
};
using Record = std::unique_ptr<gridgov_case_record, RecordDestroyer>;
using Events = std::unique_ptr<gridgov_case_events, EventsDestroyer>;
using Groups = std::unique_ptr<gridgov_case_groups, GroupsDestroyer>;
struct ColumnsDestroyer {
    void operator()(gridgov_case_columns* c) const { gridgov_case_columns_destroy(c); }
};
using Columns = std::unique_ptr<gridgov_case_columns, ColumnsDestroyer>;

// The township with its people, posts and departments.
Workspace township(const std::string& path) {
    return andi_township(path);
}

gridgov_case_id report(gridgov_workspace* ws, const char* when,
                       const char* grid = "371327101001001", const char* category = "E0102",
                       const char* actor = "P01") {
    gridgov_report r;
    ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
    r.category = category;
    r.node_code = grid;
    r.actor = actor;
    r.at = at(when);
    r.note = "村口垃圾堆放";
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_report(&id, ws, &r));
    return id;
}

gridgov_command command(int which, const char* actor, const char* when) {
    gridgov_command c;
    REQUIRE(gridgov_command_init(&c, GRIDGOV_COMMAND_SPEC_VERSION) == GRIDGOV_OK);
    c.command = which;
    c.actor = actor;
    c.at = at(when);
    return c;
}

uint64_t fire(gridgov_workspace* ws, gridgov_case_id id, const gridgov_command& c) {
    uint64_t seq = 0;
    ok(gridgov_cases_fire(&seq, ws, id, &c));
    return seq;
}

std::string state(const gridgov_workspace* ws, gridgov_case_id id) {
    const char* s = nullptr;
    ok(gridgov_cases_state(&s, ws, id));
    return s;
}

Record get(const gridgov_workspace* ws, gridgov_case_id id) {
    gridgov_case_record* r = nullptr;
    ok(gridgov_cases_get(&r, ws, id));
    return Record(r);
}

// The loop up to handling on `day`: filed, dispatched by routing at 09:30, accepted by
// the department.
void dispatch_and_accept(gridgov_workspace* ws, gridgov_case_id id,
                         const std::string& day = "2026-03-02") {
    fire(ws, id, command(GRIDGOV_COMMAND_FILE, "P03", (day + "T09:10").c_str()));
    fire(ws, id, command(GRIDGOV_COMMAND_DISPATCH, "P03", (day + "T09:30").c_str()));
    fire(ws, id, command(GRIDGOV_COMMAND_ACCEPT, "P04", (day + "T09:40").c_str()));
}

// The rest of the loop on `day`: feedback with a photo, check, close at 15:00.
void handle_check_close(gridgov_workspace* ws, gridgov_case_id id,
                        const std::string& day = "2026-03-02") {
    const std::string photo = "photo://andi/" + day + "/001.jpg";
    const char* photos[] = {photo.c_str()};
    gridgov_command feedback = command(GRIDGOV_COMMAND_FEEDBACK, "P04", (day + "T11:00").c_str());
    feedback.evidence = photos;
    feedback.evidence_count = 1;
    fire(ws, id, feedback);
    fire(ws, id, command(GRIDGOV_COMMAND_CHECK_PASS, "P02", (day + "T14:30").c_str()));
    fire(ws, id, command(GRIDGOV_COMMAND_CLOSE, "P03", (day + "T15:00").c_str()));
}

struct Seen {
    std::vector<uint64_t> sequences;
    std::vector<std::string> types;
    std::vector<std::string> transitions;  // "from>to"
    std::vector<std::string> numbers;
    std::vector<int32_t> commands;
    std::vector<std::string> actors;
    int calls_with_other_user_data = 0;
};

int record_event(const gridgov_case_event* e, void* user_data) {
    Seen* seen = static_cast<Seen*>(user_data);
    seen->sequences.push_back(e->sequence);
    seen->types.emplace_back(e->type);
    seen->transitions.push_back(std::string(e->from_state) + ">" + e->to_state);
    seen->numbers.emplace_back(e->case_number);
    seen->commands.push_back(e->command);
    seen->actors.emplace_back(e->actor);
    return 0;
}

int refuse_event(const gridgov_case_event* e, void*) {
    return e->kind == GRIDGOV_EVENT_COMMAND ? 7 : 0;
}

// An observer that reads the workspace it observes: the state it sees is the event's.
struct Reader {
    const gridgov_workspace* ws = nullptr;
    std::vector<std::string> states;
};

int read_state(const gridgov_case_event* e, void* user_data) {
    Reader* r = static_cast<Reader*>(user_data);
    const char* s = nullptr;
    if (gridgov_cases_state(&s, r->ws, e->case_id) != GRIDGOV_OK)
        return 1;
    r->states.emplace_back(s);
    // A failing call inside the callback must not leak into the committing call's result.
    gridgov_case_id none = 0;
    gridgov_cases_find(&none, r->ws, "no-such-case");
    return 0;
}

}  // namespace

TEST_CASE("capi.cases.functions_reject_null_arguments_naming_them") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    Record rec = get(w, id);
    const gridgov_case_record* r = rec.get();
    gridgov_case_events* raw_events = nullptr;
    ok(gridgov_cases_events(&raw_events, w, id));
    Events events(raw_events);
    gridgov_case_groups* raw_groups = nullptr;
    ok(gridgov_cases_count_by(&raw_groups, w, GRIDGOV_GROUP_STATE, nullptr, nullptr));
    Groups groups(raw_groups);
    gridgov_case_columns* raw_columns = nullptr;
    ok(gridgov_cases_columns(&raw_columns, w, nullptr, nullptr, 0));
    Columns columns(raw_columns);
    gridgov_case_columns* out_columns = nullptr;
    char* out_text = nullptr;
    const int64_t* ints = nullptr;

    gridgov_report rep;
    ok(gridgov_report_init(&rep, GRIDGOV_REPORT_VERSION));
    gridgov_command cmd = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
    gridgov_case_filter filter;
    ok(gridgov_case_filter_init(&filter, GRIDGOV_CASE_FILTER_VERSION));
    gridgov_case_id cid = 0;
    gridgov_case_record* out_rec = nullptr;
    gridgov_case_events* out_events = nullptr;
    gridgov_case_groups* out_groups = nullptr;
    gridgov_case_id* ids = nullptr;
    gridgov_observer_failure* failures = nullptr;
    gridgov_clock_status clock{};
    gridgov_case_clock case_clock{};
    gridgov_tick_result tick{};
    gridgov_log_anchor anchor{};
    gridgov_log_verification verification{};
    gridgov_case_event event{};
    const char* s = nullptr;
    char* text = nullptr;
    int32_t* commands = nullptr;
    std::size_t n = 0;
    int i = 0;
    int j = 0;
    int64_t t = 0;
    int64_t t2 = 0;
    int64_t t3 = 0;
    uint64_t u = 0;
    uint32_t u32 = 0;
    gridgov_node_id node = 0;

    struct Case {
        const char* function;
        const char* parameter;
        std::function<int()> call;
    };
    const std::vector<Case> cases = {
        {"instant_parse", "out", [&] { return gridgov_instant_parse(nullptr, "2026-03-02"); }},
        {"instant_parse", "iso", [&] { return gridgov_instant_parse(&t, nullptr); }},
        {"instant_format", "out", [&] { return gridgov_instant_format(nullptr, 0); }},
        {"workspace_default_workflow", "out",
         [&] { return gridgov_cases_default_workflow(nullptr, w, 0); }},
        {"workspace_default_workflow", "ws",
         [&] { return gridgov_cases_default_workflow(&s, nullptr, 0); }},
        {"workspace_set_default_workflow", "ws",
         [&] { return gridgov_cases_set_default_workflow(nullptr, 0, "township_six_step"); }},
        {"workspace_set_default_workflow", "key",
         [&] { return gridgov_cases_set_default_workflow(w, 0, nullptr); }},
        {"workspace_set_calendar_schedule_json", "ws",
         [&] { return gridgov_cases_set_calendar_schedule_json(nullptr, "{}"); }},
        {"workspace_set_calendar_schedule_json", "json",
         [&] { return gridgov_cases_set_calendar_schedule_json(w, nullptr); }},
        {"workspace_add_calendar_year_json", "ws",
         [&] { return gridgov_cases_add_calendar_year_json(nullptr, "{}", nullptr); }},
        {"workspace_add_calendar_year_json", "json",
         [&] { return gridgov_cases_add_calendar_year_json(w, nullptr, nullptr); }},
        {"workspace_add_calendar_overrides_json", "ws",
         [&] { return gridgov_cases_add_calendar_overrides_json(nullptr, "{}", nullptr); }},
        {"workspace_add_calendar_overrides_json", "json",
         [&] { return gridgov_cases_add_calendar_overrides_json(w, nullptr, nullptr); }},
        {"workspace_clear_calendar_overrides", "ws",
         [&] { return gridgov_cases_clear_calendar_overrides(nullptr); }},
        {"report_init", "report",
         [&] { return gridgov_report_init(nullptr, GRIDGOV_REPORT_VERSION); }},
        {"command_init", "command",
         [&] { return gridgov_command_init(nullptr, GRIDGOV_COMMAND_SPEC_VERSION); }},
        {"cases_report", "out", [&] { return gridgov_cases_report(nullptr, w, &rep); }},
        {"cases_report", "ws", [&] { return gridgov_cases_report(&cid, nullptr, &rep); }},
        {"cases_report", "report", [&] { return gridgov_cases_report(&cid, w, nullptr); }},
        {"cases_fire", "ws", [&] { return gridgov_cases_fire(&u, nullptr, id, &cmd); }},
        {"cases_fire", "command", [&] { return gridgov_cases_fire(&u, w, id, nullptr); }},
        {"cases_check", "out_status",
         [&] { return gridgov_cases_check(nullptr, &text, w, id, &cmd); }},
        {"cases_check", "out_message",
         [&] { return gridgov_cases_check(&i, nullptr, w, id, &cmd); }},
        {"cases_check", "ws", [&] { return gridgov_cases_check(&i, &text, nullptr, id, &cmd); }},
        {"cases_check", "command", [&] { return gridgov_cases_check(&i, &text, w, id, nullptr); }},
        {"cases_available", "out",
         [&] { return gridgov_cases_available(nullptr, &n, w, id, "P03", cmd.at, 0); }},
        {"cases_available", "out_count",
         [&] { return gridgov_cases_available(&commands, nullptr, w, id, "P03", cmd.at, 0); }},
        {"cases_available", "ws",
         [&] { return gridgov_cases_available(&commands, &n, nullptr, id, "P03", cmd.at, 0); }},
        {"cases_begin_batch", "ws", [&] { return gridgov_cases_begin_batch(nullptr); }},
        {"cases_commit_batch", "ws", [&] { return gridgov_cases_commit_batch(nullptr); }},
        {"cases_rollback_batch", "ws", [&] { return gridgov_cases_rollback_batch(nullptr); }},
        {"cases_in_batch", "out", [&] { return gridgov_cases_in_batch(nullptr, w); }},
        {"cases_in_batch", "ws", [&] { return gridgov_cases_in_batch(&i, nullptr); }},
        {"cases_tick", "out", [&] { return gridgov_cases_tick(nullptr, w, cmd.at); }},
        {"cases_tick", "ws", [&] { return gridgov_cases_tick(&tick, nullptr, cmd.at); }},
        {"cases_count_all", "out", [&] { return gridgov_cases_count_all(nullptr, w); }},
        {"cases_count_all", "ws", [&] { return gridgov_cases_count_all(&n, nullptr); }},
        {"cases_find", "out", [&] { return gridgov_cases_find(nullptr, w, "x"); }},
        {"cases_find", "ws", [&] { return gridgov_cases_find(&cid, nullptr, "x"); }},
        {"cases_find", "number", [&] { return gridgov_cases_find(&cid, w, nullptr); }},
        {"cases_state", "out", [&] { return gridgov_cases_state(nullptr, w, id); }},
        {"cases_state", "ws", [&] { return gridgov_cases_state(&s, nullptr, id); }},
        {"cases_get", "out", [&] { return gridgov_cases_get(nullptr, w, id); }},
        {"cases_get", "ws", [&] { return gridgov_cases_get(&out_rec, nullptr, id); }},
        {"cases_clock_status", "out",
         [&] { return gridgov_cases_clock_status(nullptr, &i, w, id, cmd.at); }},
        {"cases_clock_status", "out_has_clock",
         [&] { return gridgov_cases_clock_status(&clock, nullptr, w, id, cmd.at); }},
        {"cases_clock_status", "ws",
         [&] { return gridgov_cases_clock_status(&clock, &i, nullptr, id, cmd.at); }},
        {"case_record_id", "out", [&] { return gridgov_case_record_id(nullptr, r); }},
        {"case_record_id", "record", [&] { return gridgov_case_record_id(&cid, nullptr); }},
        {"case_record_number", "out", [&] { return gridgov_case_record_number(nullptr, r); }},
        {"case_record_number", "record", [&] { return gridgov_case_record_number(&s, nullptr); }},
        {"case_record_workflow", "out_key",
         [&] { return gridgov_case_record_workflow(nullptr, &i, r); }},
        {"case_record_workflow", "out_version",
         [&] { return gridgov_case_record_workflow(&s, nullptr, r); }},
        {"case_record_workflow", "record",
         [&] { return gridgov_case_record_workflow(&s, &i, nullptr); }},
        {"case_record_category", "out", [&] { return gridgov_case_record_category(nullptr, r); }},
        {"case_record_category", "record",
         [&] { return gridgov_case_record_category(&s, nullptr); }},
        {"case_record_node", "out", [&] { return gridgov_case_record_node(nullptr, r); }},
        {"case_record_node", "record", [&] { return gridgov_case_record_node(&node, nullptr); }},
        {"case_record_area_class", "out",
         [&] { return gridgov_case_record_area_class(nullptr, r); }},
        {"case_record_area_class", "record",
         [&] { return gridgov_case_record_area_class(&s, nullptr); }},
        {"case_record_source", "out", [&] { return gridgov_case_record_source(nullptr, r); }},
        {"case_record_source", "record", [&] { return gridgov_case_record_source(&i, nullptr); }},
        {"case_record_reporter", "out", [&] { return gridgov_case_record_reporter(nullptr, r); }},
        {"case_record_reporter", "record",
         [&] { return gridgov_case_record_reporter(&s, nullptr); }},
        {"case_record_state", "out_key", [&] { return gridgov_case_record_state(nullptr, &i, r); }},
        {"case_record_state", "out_kind",
         [&] { return gridgov_case_record_state(&s, nullptr, r); }},
        {"case_record_state", "record", [&] { return gridgov_case_record_state(&s, &i, nullptr); }},
        {"case_record_department", "out",
         [&] { return gridgov_case_record_department(nullptr, r); }},
        {"case_record_department", "record",
         [&] { return gridgov_case_record_department(&s, nullptr); }},
        {"case_record_route_node", "out",
         [&] { return gridgov_case_record_route_node(nullptr, r); }},
        {"case_record_route_node", "record",
         [&] { return gridgov_case_record_route_node(&node, nullptr); }},
        {"case_record_tier", "out_tier",
         [&] { return gridgov_case_record_tier(nullptr, &node, r); }},
        {"case_record_tier", "out_handling_node",
         [&] { return gridgov_case_record_tier(&i, nullptr, r); }},
        {"case_record_tier", "record",
         [&] { return gridgov_case_record_tier(&i, &node, nullptr); }},
        {"case_record_counter_count", "out",
         [&] { return gridgov_case_record_counter_count(nullptr, r); }},
        {"case_record_counter_count", "record",
         [&] { return gridgov_case_record_counter_count(&n, nullptr); }},
        {"case_record_counter", "out_name",
         [&] { return gridgov_case_record_counter(nullptr, &t, r, 0); }},
        {"case_record_counter", "out_value",
         [&] { return gridgov_case_record_counter(&s, nullptr, r, 0); }},
        {"case_record_counter", "record",
         [&] { return gridgov_case_record_counter(&s, &t, nullptr, 0); }},
        {"case_record_counter_value", "out",
         [&] { return gridgov_case_record_counter_value(nullptr, r, "rework"); }},
        {"case_record_counter_value", "record",
         [&] { return gridgov_case_record_counter_value(&t, nullptr, "rework"); }},
        {"case_record_counter_value", "name",
         [&] { return gridgov_case_record_counter_value(&t, r, nullptr); }},
        {"case_record_flag_count", "out",
         [&] { return gridgov_case_record_flag_count(nullptr, r); }},
        {"case_record_flag_count", "record",
         [&] { return gridgov_case_record_flag_count(&n, nullptr); }},
        {"case_record_flag", "out", [&] { return gridgov_case_record_flag(nullptr, r, 0); }},
        {"case_record_flag", "record", [&] { return gridgov_case_record_flag(&s, nullptr, 0); }},
        {"case_record_has_flag", "out",
         [&] { return gridgov_case_record_has_flag(nullptr, r, "supervised"); }},
        {"case_record_has_flag", "record",
         [&] { return gridgov_case_record_has_flag(&i, nullptr, "supervised"); }},
        {"case_record_has_flag", "flag",
         [&] { return gridgov_case_record_has_flag(&i, r, nullptr); }},
        {"case_record_breached", "out_breached",
         [&] { return gridgov_case_record_breached(nullptr, &u32, r); }},
        {"case_record_breached", "out_breaches",
         [&] { return gridgov_case_record_breached(&i, nullptr, r); }},
        {"case_record_breached", "record",
         [&] { return gridgov_case_record_breached(&i, &u32, nullptr); }},
        {"case_record_rating", "out_level",
         [&] { return gridgov_case_record_rating(nullptr, &j, r); }},
        {"case_record_rating", "out_score",
         [&] { return gridgov_case_record_rating(&i, nullptr, r); }},
        {"case_record_rating", "record",
         [&] { return gridgov_case_record_rating(&i, &j, nullptr); }},
        {"case_record_times", "out_reported_at",
         [&] { return gridgov_case_record_times(nullptr, &t2, &t3, r); }},
        {"case_record_times", "out_updated_at",
         [&] { return gridgov_case_record_times(&t, nullptr, &t3, r); }},
        {"case_record_times", "out_closed_at",
         [&] { return gridgov_case_record_times(&t, &t2, nullptr, r); }},
        {"case_record_times", "record",
         [&] { return gridgov_case_record_times(&t, &t2, &t3, nullptr); }},
        {"case_record_events", "out_last_sequence",
         [&] { return gridgov_case_record_events(nullptr, &u32, r); }},
        {"case_record_events", "out_count",
         [&] { return gridgov_case_record_events(&u, nullptr, r); }},
        {"case_record_events", "record",
         [&] { return gridgov_case_record_events(&u, &u32, nullptr); }},
        {"case_record_clock_count", "out",
         [&] { return gridgov_case_record_clock_count(nullptr, r); }},
        {"case_record_clock_count", "record",
         [&] { return gridgov_case_record_clock_count(&n, nullptr); }},
        {"case_record_clock", "out", [&] { return gridgov_case_record_clock(nullptr, r, 0); }},
        {"case_record_clock", "record",
         [&] { return gridgov_case_record_clock(&case_clock, nullptr, 0); }},
        {"case_filter_init", "filter",
         [&] { return gridgov_case_filter_init(nullptr, GRIDGOV_CASE_FILTER_VERSION); }},
        {"cases_select", "out", [&] { return gridgov_cases_select(nullptr, &n, w, &filter); }},
        {"cases_select", "out_count",
         [&] { return gridgov_cases_select(&ids, nullptr, w, &filter); }},
        {"cases_select", "ws", [&] { return gridgov_cases_select(&ids, &n, nullptr, &filter); }},
        {"cases_count", "out", [&] { return gridgov_cases_count(nullptr, w, &filter); }},
        {"cases_count", "ws", [&] { return gridgov_cases_count(&n, nullptr, &filter); }},
        {"cases_count_by", "out",
         [&] { return gridgov_cases_count_by(nullptr, w, GRIDGOV_GROUP_STATE, &filter, nullptr); }},
        {"cases_count_by", "ws",
         [&] {
             return gridgov_cases_count_by(&out_groups, nullptr, GRIDGOV_GROUP_STATE, &filter,
                                           nullptr);
         }},
        {"cases_open311_services", "out",
         [&] { return gridgov_cases_open311_services(nullptr, w); }},
        {"cases_open311_services", "ws",
         [&] { return gridgov_cases_open311_services(&out_text, nullptr); }},
        {"cases_open311_requests", "out",
         [&] { return gridgov_cases_open311_requests(nullptr, w, &filter, nullptr); }},
        {"cases_open311_requests", "ws",
         [&] { return gridgov_cases_open311_requests(&out_text, nullptr, &filter, nullptr); }},
        {"cases_columns", "out",
         [&] { return gridgov_cases_columns(nullptr, w, &filter, nullptr, 0); }},
        {"cases_columns", "ws",
         [&] { return gridgov_cases_columns(&out_columns, nullptr, &filter, nullptr, 0); }},
        {"case_columns_count", "out",
         [&] { return gridgov_case_columns_count(nullptr, columns.get()); }},
        {"case_columns_count", "columns", [&] { return gridgov_case_columns_count(&n, nullptr); }},
        {"case_columns_integers", "out",
         [&] { return gridgov_case_columns_integers(nullptr, columns.get(), GRIDGOV_FIELD_ID); }},
        {"case_columns_integers", "columns",
         [&] { return gridgov_case_columns_integers(&ints, nullptr, GRIDGOV_FIELD_ID); }},
        {"case_columns_text", "out",
         [&] { return gridgov_case_columns_text(nullptr, columns.get(), GRIDGOV_FIELD_STATE, 0); }},
        {"case_columns_text", "columns",
         [&] { return gridgov_case_columns_text(&s, nullptr, GRIDGOV_FIELD_STATE, 0); }},
        {"case_groups_count", "out",
         [&] { return gridgov_case_groups_count(nullptr, groups.get()); }},
        {"case_groups_count", "groups", [&] { return gridgov_case_groups_count(&n, nullptr); }},
        {"case_groups_get", "out_key",
         [&] { return gridgov_case_groups_get(nullptr, &n, groups.get(), 0); }},
        {"case_groups_get", "out_cases",
         [&] { return gridgov_case_groups_get(&s, nullptr, groups.get(), 0); }},
        {"case_groups_get", "groups", [&] { return gridgov_case_groups_get(&s, &n, nullptr, 0); }},
        {"cases_last_sequence", "out", [&] { return gridgov_cases_last_sequence(nullptr, w); }},
        {"cases_last_sequence", "ws", [&] { return gridgov_cases_last_sequence(&u, nullptr); }},
        {"cases_head", "out", [&] { return gridgov_cases_head(nullptr, w); }},
        {"cases_head", "ws", [&] { return gridgov_cases_head(&anchor, nullptr); }},
        {"cases_verify_log", "out", [&] { return gridgov_cases_verify_log(nullptr, w, nullptr); }},
        {"cases_verify_log", "ws",
         [&] { return gridgov_cases_verify_log(&verification, nullptr, nullptr); }},
        {"cases_verify_log_since_checkpoint", "out",
         [&] { return gridgov_cases_verify_log_since_checkpoint(nullptr, nullptr, w); }},
        {"cases_verify_log_since_checkpoint", "ws",
         [&] {
             return gridgov_cases_verify_log_since_checkpoint(&verification, nullptr, nullptr);
         }},
        {"cases_sign_off_log", "out",
         [&] { return gridgov_cases_sign_off_log(nullptr, nullptr, w, "P01", 0, 0); }},
        {"cases_sign_off_log", "ws",
         [&] { return gridgov_cases_sign_off_log(&verification, nullptr, nullptr, "P01", 0, 0); }},
        {"cases_sign_off_log", "by",
         [&] { return gridgov_cases_sign_off_log(&verification, nullptr, w, nullptr, 0, 0); }},
        {"cases_log_checkpoints_json", "out",
         [&] { return gridgov_cases_log_checkpoints_json(nullptr, w); }},
        {"cases_log_checkpoints_json", "ws",
         [&] { return gridgov_cases_log_checkpoints_json(&text, nullptr); }},
        {"cases_events", "out", [&] { return gridgov_cases_events(nullptr, w, id); }},
        {"cases_events", "ws", [&] { return gridgov_cases_events(&out_events, nullptr, id); }},
        {"case_events_count", "out",
         [&] { return gridgov_case_events_count(nullptr, events.get()); }},
        {"case_events_count", "events", [&] { return gridgov_case_events_count(&n, nullptr); }},
        {"case_events_get", "out",
         [&] { return gridgov_case_events_get(nullptr, events.get(), 0); }},
        {"case_events_get", "events", [&] { return gridgov_case_events_get(&event, nullptr, 0); }},
        {"cases_observe", "out_token",
         [&] { return gridgov_cases_observe(nullptr, w, record_event, nullptr); }},
        {"cases_observe", "ws",
         [&] { return gridgov_cases_observe(&u, nullptr, record_event, nullptr); }},
        {"cases_observe", "callback",
         [&] { return gridgov_cases_observe(&u, w, nullptr, nullptr); }},
        {"cases_unobserve", "ws", [&] { return gridgov_cases_unobserve(nullptr, 1); }},
        {"cases_take_observer_failures", "out",
         [&] { return gridgov_cases_take_observer_failures(nullptr, &n, w); }},
        {"cases_take_observer_failures", "out_count",
         [&] { return gridgov_cases_take_observer_failures(&failures, nullptr, w); }},
        {"cases_take_observer_failures", "ws",
         [&] { return gridgov_cases_take_observer_failures(&failures, &n, nullptr); }},
    };
    for (const Case& k : cases) {
        CAPTURE(k.function);
        CAPTURE(k.parameter);
        CHECK(k.call() == GRIDGOV_EINVAL);
        CHECK(last_error() == std::string("parameter '") + k.parameter + "' must not be NULL");
    }
    CHECK(out_rec == nullptr);
    CHECK(out_events == nullptr);
    CHECK(out_groups == nullptr);
    CHECK(ids == nullptr);
    CHECK(failures == nullptr);
    CHECK(text == nullptr);
    CHECK(commands == nullptr);
    CHECK(verification.message == nullptr);
    CHECK(state(w, id) == "reported");
    std::size_t total = 0;
    ok(gridgov_cases_count_all(&total, w));
    CHECK(total == 1);
}

TEST_CASE("capi.cases.destroy_accepts_null") {
    gridgov_case_record_destroy(nullptr);
    gridgov_case_events_destroy(nullptr);
    gridgov_case_groups_destroy(nullptr);
    gridgov_case_columns_destroy(nullptr);
    CHECK(last_error().empty());
}

TEST_CASE("capi.cases.instants_convert_to_and_from_iso_text") {
    CHECK(at("2026-03-02T09:00") == 1772413200);
    CHECK(at("2026-03-02T01:00:00Z") == 1772413200);
    char* raw = nullptr;
    ok(gridgov_instant_format(&raw, 1772413200));
    CHECK(std::string(Text(raw).get()) == "2026-03-02T09:00:00+08:00");
    int64_t t = 42;
    CHECK(gridgov_instant_parse(&t, "2026-03-02 nine o'clock") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "2026-03-02 nine o'clock"));
    CHECK(t == 42);
}

TEST_CASE("capi.cases.instants_in_every_iso_form_and_errors_name_the_parameter") {
    const int64_t nine = 1772413200;  // 2026-03-02T09:00+08:00
    for (const char* iso :
         {"2026-03-02T09:00:00.000+08:00", "2026-03-02T01:00:00.123Z",
          "2026-03-02T01:00:00.999999999Z", "2026-03-02T09:00+0800", "2026-03-02T09:00+08",
          "2026-03-01T20:00-05:00", "2026-03-01T19:30:00.5-05:30"}) {
        CAPTURE(iso);
        CHECK(at(iso) == nine);
    }
    for (const char* bad :
         {"2026-03-02T25:00", "2026-02-30T09:00", "2026-03-02T09", "2026-03-02T09:00:00Z junk",
          "2026-03-02T09:00+24:00", "2026-03-02T09:00:00."}) {
        CAPTURE(bad);
        int64_t t = 42;
        CHECK(gridgov_instant_parse(&t, bad) == GRIDGOV_EINVAL);
        CHECK(t == 42);
        CHECK(last_error().rfind("iso: \"" + std::string(bad) +
                                     "\" is not an ISO 8601 instant (expected "
                                     "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH])",
                                 0) == 0);
    }
    CHECK(gridgov_instant_parse(nullptr, "2026-03-02T25:00") == GRIDGOV_EINVAL);
    char* raw = nullptr;
    ok(gridgov_instant_format(&raw, at("2026-03-02T01:00:00.5Z")));
    CHECK(std::string(Text(raw).get()) == "2026-03-02T09:00:00+08:00");
}

TEST_CASE("capi.cases.refusals_name_what_is_wrong_and_change_nothing") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    uint64_t before = 0;
    ok(gridgov_cases_last_sequence(&before, w));
    Record rec = get(w, id);
    const char* number = nullptr;
    ok(gridgov_case_record_number(&number, rec.get()));
    uint64_t seq = 99;

    SUBCASE("a command the state does not have is GRIDGOV_ESTATE") {
        const gridgov_command c = command(GRIDGOV_COMMAND_DISPATCH, "P03", "2026-03-02T09:10");
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_ESTATE);
        CHECK(contains(last_error(), number));
        CHECK(contains(last_error(), "reported"));
        CHECK(contains(last_error(), "dispatch"));
    }
    SUBCASE("an actor without the role is GRIDGOV_EPERM") {
        const gridgov_command c = command(GRIDGOV_COMMAND_FILE, "P01", "2026-03-02T09:10");
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EPERM);
        CHECK(contains(last_error(), "P01"));
    }
    SUBCASE("a void without its reason is GRIDGOV_EINVAL") {
        const gridgov_command c = command(GRIDGOV_COMMAND_VOID, "P03", "2026-03-02T09:10");
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "reason"));
    }
    SUBCASE("a command dated before the case's last event is GRIDGOV_EINVAL") {
        const gridgov_command c = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T08:00");
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
    }
    SUBCASE("an unknown case is GRIDGOV_ENOTFOUND") {
        const gridgov_command c = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
        CHECK(gridgov_cases_fire(&seq, w, 7, &c) == GRIDGOV_ENOTFOUND);
    }
    SUBCASE("a malformed command struct is GRIDGOV_EINVAL naming the member") {
        gridgov_command c = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
        c.command = -1;
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "command.command"));
        c = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
        c.at = GRIDGOV_NO_INSTANT;
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "command.at"));
        c = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
        c.version = 99;
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "command.version"));
        c = command(GRIDGOV_COMMAND_RATE, "P01", "2026-03-02T09:10");
        c.rating_level = GRIDGOV_SATISFACTION_SATISFIED;
        c.rating_score = 1;
        CHECK(gridgov_cases_fire(&seq, w, id, &c) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "contradicts"));
    }
    SUBCASE(
        "a report without a node, by someone without a reporting role, or of an unknown "
        "category") {
        gridgov_report r;
        ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
        r.category = "E0102";
        r.actor = "P01";
        r.at = at("2026-03-02T10:00");
        gridgov_case_id out = GRIDGOV_NO_CASE;
        CHECK(gridgov_cases_report(&out, w, &r) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "report.node_code"));
        r.node_code = "371327101002001";  // 西河一网格: P01 is not its information officer
        CHECK(gridgov_cases_report(&out, w, &r) == GRIDGOV_EPERM);
        CHECK(contains(last_error(), "P01"));
        r.node_code = "371327101001001";
        r.category = "X9999";
        CHECK(gridgov_cases_report(&out, w, &r) == GRIDGOV_ENOTFOUND);
        CHECK(contains(last_error(), "X9999"));
        r.category = "E0102";
        r.source = 42;
        CHECK(gridgov_cases_report(&out, w, &r) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "report.source"));
        CHECK(out == GRIDGOV_NO_CASE);
        std::size_t total = 0;
        ok(gridgov_cases_count_all(&total, w));
        CHECK(total == 1);
    }
    CHECK(seq == 99);
    uint64_t after = 0;
    ok(gridgov_cases_last_sequence(&after, w));
    CHECK(after == before);
    CHECK(state(w, id) == "reported");
}

TEST_CASE("capi.cases.check_and_available_answer_without_changing_anything") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    int status = 99;
    char* message = nullptr;
    const gridgov_command refused = command(GRIDGOV_COMMAND_FILE, "P01", "2026-03-02T09:10");
    ok(gridgov_cases_check(&status, &message, w, id, &refused));
    CHECK(status == GRIDGOV_EPERM);
    CHECK(contains(Text(message).get(), "P01"));
    const gridgov_command accepted = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
    ok(gridgov_cases_check(&status, &message, w, id, &accepted));
    CHECK(status == GRIDGOV_OK);
    CHECK(std::string(Text(message).get()).empty());
    CHECK(gridgov_cases_check(&status, &message, w, 5, &accepted) == GRIDGOV_ENOTFOUND);
    CHECK(state(w, id) == "reported");

    int32_t* raw = nullptr;
    std::size_t n = 0;
    ok(gridgov_cases_available(&raw, &n, w, id, "P03", at("2026-03-02T09:10"), 0));
    std::unique_ptr<int32_t, Freer> owned(raw);
    CHECK(std::vector<int32_t>(raw, raw + n) ==
          std::vector<int32_t>{GRIDGOV_COMMAND_FILE, GRIDGOV_COMMAND_VOID});
}

TEST_CASE("capi.cases.a_case_through_the_loop_in_a_file_survives_reopening") {
    TempDir dir;
    const std::string path = dir.file("andi.gridgov");
    gridgov_case_id id = GRIDGOV_NO_CASE;
    std::string number;
    uint64_t last = 0;
    gridgov_log_anchor anchor{};
    {
        Workspace ws = township(path);
        gridgov_workspace* w = ws.get();
        id = report(w, "2026-03-02T09:00");
        CHECK(state(w, id) == "reported");
        dispatch_and_accept(w, id);
        CHECK(state(w, id) == "handling");
        Record mid = get(w, id);
        const char* department = nullptr;
        ok(gridgov_case_record_department(&department, mid.get()));
        CHECK(std::string(department) == "D-HW-AD");
        gridgov_node_id route_node = GRIDGOV_NO_NODE;
        ok(gridgov_case_record_route_node(&route_node, mid.get()));
        gridgov_node_id town = GRIDGOV_NO_NODE;
        ok(gridgov_hierarchy_find(&town, w, "371327101"));
        CHECK(route_node == town);
        handle_check_close(w, id);
        CHECK(state(w, id) == "closed");
        Record rec = get(w, id);
        const char* s = nullptr;
        ok(gridgov_case_record_number(&s, rec.get()));
        number = s;
        ok(gridgov_cases_last_sequence(&last, w));
        CHECK(last == 7);
        ok(gridgov_cases_head(&anchor, w));
        CHECK(anchor.sequence == 7);
    }
    gridgov_workspace* raw = nullptr;
    ok(gridgov_workspace_open(&raw, path.c_str(), 0));
    Workspace ws(raw);
    gridgov_case_id found = GRIDGOV_NO_CASE;
    ok(gridgov_cases_find(&found, raw, number.c_str()));
    CHECK(found == id);
    CHECK(state(raw, id) == "closed");
    Record rec = get(raw, id);

    const char* key = nullptr;
    int version = 0;
    ok(gridgov_case_record_workflow(&key, &version, rec.get()));
    CHECK(std::string(key) == "township_six_step");
    CHECK(version == 1);
    const char* category = nullptr;
    ok(gridgov_case_record_category(&category, rec.get()));
    CHECK(std::string(category) == "E0102");
    gridgov_node_id node = GRIDGOV_NO_NODE;
    ok(gridgov_case_record_node(&node, rec.get()));
    gridgov_node_id grid = GRIDGOV_NO_NODE;
    ok(gridgov_hierarchy_find(&grid, raw, "371327101001001"));
    CHECK(node == grid);
    const char* reporter = nullptr;
    ok(gridgov_case_record_reporter(&reporter, rec.get()));
    CHECK(std::string(reporter) == "P01");
    int source = -1;
    ok(gridgov_case_record_source(&source, rec.get()));
    CHECK(source == GRIDGOV_SOURCE_GRID_WORKER);
    const char* st = nullptr;
    int kind = -1;
    ok(gridgov_case_record_state(&st, &kind, rec.get()));
    CHECK(std::string(st) == "closed");
    CHECK(kind == GRIDGOV_STATE_KIND_CLOSED);
    int tier = -1;
    gridgov_node_id handling = GRIDGOV_NO_NODE;
    ok(gridgov_case_record_tier(&tier, &handling, rec.get()));
    CHECK(tier == 0);
    CHECK(handling == grid);
    int64_t reported = 0;
    int64_t updated = 0;
    int64_t closed = 0;
    ok(gridgov_case_record_times(&reported, &updated, &closed, rec.get()));
    CHECK(reported == at("2026-03-02T09:00"));
    CHECK(updated == at("2026-03-02T15:00"));
    CHECK(closed == at("2026-03-02T15:00"));
    uint64_t last_event = 0;
    uint32_t event_count = 0;
    ok(gridgov_case_record_events(&last_event, &event_count, rec.get()));
    CHECK(last_event == last);
    CHECK(event_count == 7);
    std::size_t counters = 0;
    ok(gridgov_case_record_counter_count(&counters, rec.get()));
    CHECK(counters == 4);
    const char* counter = nullptr;
    int64_t value = -1;
    ok(gridgov_case_record_counter(&counter, &value, rec.get(), 0));
    CHECK(std::string(counter) == "rework");
    CHECK(value == 0);
    CHECK(gridgov_case_record_counter(&counter, &value, rec.get(), counters) == GRIDGOV_EINVAL);
    ok(gridgov_case_record_counter_value(&value, rec.get(), "returns"));
    CHECK(value == 0);
    std::size_t flags = 99;
    ok(gridgov_case_record_flag_count(&flags, rec.get()));
    CHECK(flags == 0);
    int has = -1;
    ok(gridgov_case_record_has_flag(&has, rec.get(), "supervised"));
    CHECK(has == 0);
    int breached = -1;
    uint32_t breaches = 99;
    ok(gridgov_case_record_breached(&breached, &breaches, rec.get()));
    CHECK(breached == 0);
    CHECK(breaches == 0);
    int level = 9;
    int score = 9;
    ok(gridgov_case_record_rating(&level, &score, rec.get()));
    CHECK(level == -1);
    CHECK(score == 0);
    std::size_t clocks = 0;
    ok(gridgov_case_record_clock_count(&clocks, rec.get()));
    REQUIRE(clocks == 4);
    gridgov_case_clock handle{};
    ok(gridgov_case_record_clock(&handle, rec.get(), 1));
    CHECK(std::string(handle.stage) == "handle");
    CHECK(handle.run == GRIDGOV_CLOCK_STOPPED);
    CHECK(handle.limit.value == 4);
    CHECK(handle.limit.unit == GRIDGOV_UNIT_WORKING_HOURS);
    CHECK(handle.start == at("2026-03-02T09:30"));
    CHECK(handle.deadline == at("2026-03-02T15:30"));

    Events events;
    gridgov_case_events* raw_events = nullptr;
    ok(gridgov_cases_events(&raw_events, raw, id));
    events.reset(raw_events);
    std::size_t n = 0;
    ok(gridgov_case_events_count(&n, events.get()));
    REQUIRE(n == 7);
    std::vector<std::string> path_taken;
    for (std::size_t i = 0; i < n; ++i) {
        gridgov_case_event e{};
        ok(gridgov_case_events_get(&e, events.get(), i));
        CHECK(e.case_sequence == i + 1);
        CHECK(std::string(e.case_number) == number);
        path_taken.push_back(std::string(e.type) + ":" + e.to_state);
    }
    CHECK(path_taken == std::vector<std::string>{"report:reported", "file:filed",
                                                 "dispatch:dispatched", "accept:handling",
                                                 "feedback:checking", "check_pass:evaluating",
                                                 "close:closed"});
    gridgov_case_event feedback{};
    ok(gridgov_case_events_get(&feedback, events.get(), 4));
    CHECK(std::string(feedback.actor) == "P04");
    CHECK(contains(feedback.payload, "photo://andi/2026-03-02/001.jpg"));
    gridgov_case_event first{};
    gridgov_case_event second{};
    ok(gridgov_case_events_get(&first, events.get(), 0));
    ok(gridgov_case_events_get(&second, events.get(), 1));
    CHECK(
        std::equal(std::begin(first.hash), std::end(first.hash), std::begin(second.previous_hash)));
    CHECK(gridgov_case_events_get(&first, events.get(), n) == GRIDGOV_EINVAL);

    gridgov_log_verification v{};
    ok(gridgov_cases_verify_log(&v, raw, &anchor));
    Text v_number(v.case_number);
    Text v_message(v.message);
    CHECK(v.ok == 1);
    CHECK(v.problem == GRIDGOV_LOG_OK);
    CHECK(v.events_checked == 7);
    CHECK(v.events_after_anchor == 0);
    CHECK(std::string(v.message).empty());

    SUBCASE("an earlier anchor vouches for its prefix and counts the events after it") {
        gridgov_log_anchor earlier{};
        earlier.sequence = feedback.sequence;
        std::copy(std::begin(feedback.hash), std::end(feedback.hash), std::begin(earlier.hash));
        gridgov_log_verification grew{};
        ok(gridgov_cases_verify_log(&grew, raw, &earlier));
        Text grew_number(grew.case_number);
        Text grew_message(grew.message);
        CHECK(grew.ok == 1);
        CHECK(grew.events_after_anchor == 7 - feedback.sequence);
        CHECK(grew.events_after_anchor > 0);
    }

    SUBCASE("an anchor the log does not end at is a head mismatch") {
        gridgov_log_anchor later = anchor;
        later.sequence = 8;
        gridgov_log_verification bad{};
        ok(gridgov_cases_verify_log(&bad, raw, &later));
        Text bad_number(bad.case_number);
        Text bad_message(bad.message);
        CHECK(bad.ok == 0);
        CHECK(bad.problem == GRIDGOV_LOG_HEAD_MISMATCH);
        CHECK_FALSE(std::string(bad.message).empty());
    }
    SUBCASE("a signed-off checkpoint: routine checks read only what follows it") {
        gridgov_log_verification signed_off{};
        gridgov_log_anchor checkpoint{};
        ok(gridgov_cases_sign_off_log(&signed_off, &checkpoint, raw, "审计员",
                                      at("2026-03-03T09:00"), 0));
        Text s_number(signed_off.case_number);
        Text s_message(signed_off.message);
        CHECK(signed_off.ok == 1);
        CHECK(signed_off.events_checked == 7);
        CHECK(checkpoint.sequence == 7);
        CHECK(std::equal(std::begin(checkpoint.hash), std::end(checkpoint.hash),
                         std::begin(anchor.hash)));
        gridgov_log_verification routine{};
        std::uint64_t from = 99;
        ok(gridgov_cases_verify_log_since_checkpoint(&routine, &from, raw));
        Text r_number(routine.case_number);
        Text r_message(routine.message);
        CHECK(routine.ok == 1);
        CHECK(from == 7);
        CHECK(routine.events_checked == 0);
        char* json = nullptr;
        ok(gridgov_cases_log_checkpoints_json(&json, raw));
        const std::string listed = Text(json).get();
        CHECK(contains(listed, "\"signed_by\":\"审计员\""));
        CHECK(contains(listed, "\"sequence\":7"));
        CHECK(contains(listed, "\"full\":true"));
        gridgov_log_verification refused{};
        CHECK(gridgov_cases_sign_off_log(&refused, nullptr, raw, "", at("2026-03-03T09:00"), 0) ==
              GRIDGOV_EINVAL);
        CHECK(contains(gridgov_last_error_message(), "by is empty"));
        CHECK(gridgov_cases_sign_off_log(&refused, nullptr, raw, "P01", at("2026-03-01T09:00"),
                                         0) == GRIDGOV_ESTATE);
    }
    SUBCASE("a closed case refuses every further command but archive") {
        const gridgov_command c = command(GRIDGOV_COMMAND_DISPATCH, "P03", "2026-03-03T09:00");
        CHECK(gridgov_cases_fire(nullptr, raw, id, &c) == GRIDGOV_ESTATE);
        fire(raw, id, command(GRIDGOV_COMMAND_ARCHIVE, "P03", "2026-03-03T09:00"));
        CHECK(state(raw, id) == "archived");
    }
}

TEST_CASE("capi.cases.clocks_lights_and_ticks") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    dispatch_and_accept(w, id);

    // 暴露垃圾 has 4 working hours to handle from the dispatch at 09:30: 2.5 hours before
    // the lunch break, 1.5 after it.
    gridgov_clock_status status{};
    int counting = -1;
    ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T10:30")));
    CHECK(counting == 1);
    CHECK(status.deadline == at("2026-03-02T15:30"));
    CHECK(status.light == GRIDGOV_LIGHT_GREEN);
    CHECK(status.working_time == 1);
    CHECK(status.elapsed == 3600);
    ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T15:00")));
    CHECK(status.light == GRIDGOV_LIGHT_YELLOW);
    ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T16:00")));
    CHECK(status.light == GRIDGOV_LIGHT_RED);
    CHECK(status.overdue == 1);

    gridgov_tick_result tick{};
    ok(gridgov_cases_tick(&tick, w, at("2026-03-02T16:00")));
    CHECK(tick.breaches == 1);
    CHECK(tick.escalations == 1);  // handling escalates on breach
    CHECK(tick.light_changes >= 2);
    ok(gridgov_cases_tick(&tick, w, at("2026-03-02T16:00")));
    CHECK(tick.breaches == 0);
    CHECK(tick.escalations == 0);
    CHECK(tick.light_changes == 0);

    Record rec = get(w, id);
    int breached = 0;
    uint32_t breaches = 0;
    ok(gridgov_case_record_breached(&breached, &breaches, rec.get()));
    CHECK(breached == 1);
    CHECK(breaches == 1);
    int tier = 0;
    gridgov_node_id handling = GRIDGOV_NO_NODE;
    ok(gridgov_case_record_tier(&tier, &handling, rec.get()));
    CHECK(tier == 1);
    gridgov_node_id village = GRIDGOV_NO_NODE;
    ok(gridgov_hierarchy_find(&village, w, "371327101001"));
    CHECK(handling == village);

    SUBCASE("a suspended case shows the clock waiting for it; a closed case has none") {
        gridgov_command suspend = command(GRIDGOV_COMMAND_SUSPEND, "P03", "2026-03-02T16:10");
        suspend.reason = "等待供水管网抢修";
        fire(w, id, suspend);
        ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T16:20")));
        CHECK(counting == 1);
        CHECK(status.paused == 1);
        CHECK(status.overdue == 1);

        const gridgov_case_id done = report(w, "2026-03-03T09:00");
        dispatch_and_accept(w, done, "2026-03-03");
        handle_check_close(w, done, "2026-03-03");
        status.light = 99;
        ok(gridgov_cases_clock_status(&status, &counting, w, done, at("2026-03-03T16:00")));
        CHECK(counting == 0);
        CHECK(status.light == 99);
    }
    SUBCASE("a tick needs an instant") {
        CHECK(gridgov_cases_tick(&tick, w, GRIDGOV_NO_INSTANT) == GRIDGOV_EINVAL);
        CHECK(contains(last_error(), "now"));
    }
}

TEST_CASE("capi.cases.queries_select_count_and_group") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id closed = report(w, "2026-03-02T09:00");
    dispatch_and_accept(w, closed);
    handle_check_close(w, closed);
    const gridgov_case_id open = report(w, "2026-03-02T09:05", "371327101001002", "E0106", "P02");
    fire(w, open, command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:15"));

    gridgov_case_filter filter;
    ok(gridgov_case_filter_init(&filter, GRIDGOV_CASE_FILTER_VERSION));
    const auto select = [&](const gridgov_case_filter* f) {
        gridgov_case_id* raw = nullptr;
        std::size_t n = 0;
        ok(gridgov_cases_select(&raw, &n, w, f));
        std::unique_ptr<gridgov_case_id, Freer> owned(raw);
        return std::vector<gridgov_case_id>(raw, raw + n);
    };
    CHECK(select(nullptr) == std::vector<gridgov_case_id>{closed, open});
    CHECK(select(&filter) == std::vector<gridgov_case_id>{closed, open});
    filter.kind = GRIDGOV_STATE_KIND_OPEN;
    CHECK(select(&filter) == std::vector<gridgov_case_id>{open});
    filter.kind = -1;
    filter.category_prefix = "E0102";
    CHECK(select(&filter) == std::vector<gridgov_case_id>{closed});
    filter.category_prefix = nullptr;
    const char* states[] = {"filed", "closed"};
    filter.states = states;
    filter.state_count = 2;
    CHECK(select(&filter) == std::vector<gridgov_case_id>{closed, open});
    filter.state_count = 1;
    std::size_t n = 0;
    ok(gridgov_cases_count(&n, w, &filter));
    CHECK(n == 1);
    filter.state_count = 0;
    ok(gridgov_hierarchy_find(&filter.subtree, w, "371327101002"));
    CHECK(select(&filter).empty());
    filter.subtree = GRIDGOV_NO_NODE;
    filter.department = "D-HW-AD";
    CHECK(select(&filter) == std::vector<gridgov_case_id>{closed});
    filter.department = nullptr;
    filter.reported_from = at("2026-03-02T09:01");
    CHECK(select(&filter) == std::vector<gridgov_case_id>{open});
    filter.reported_from = GRIDGOV_NO_INSTANT;
    filter.kind = 9;
    CHECK(gridgov_cases_count(&n, w, &filter) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "filter.kind"));

    // The same filters choose the Open311 service requests; the catalogue gives services.
    char* text = nullptr;
    CHECK(gridgov_cases_open311_requests(&text, w, &filter, nullptr) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "filter.kind"));
    CHECK(text == nullptr);
    filter.kind = GRIDGOV_STATE_KIND_OPEN;
    ok(gridgov_cases_open311_requests(&text, w, &filter, "371327"));
    const std::string requests(text);
    gridgov_free(text);
    CHECK(contains(requests, "2026-000002"));
    CHECK_FALSE(contains(requests, "2026-000001"));
    CHECK(contains(requests, "371327"));
    ok(gridgov_cases_open311_services(&text, w));
    const std::string services(text);
    gridgov_free(text);
    CHECK(contains(services, "E0106"));
    filter.kind = -1;

    gridgov_case_groups* raw = nullptr;
    ok(gridgov_cases_count_by(&raw, w, GRIDGOV_GROUP_STATE, nullptr, nullptr));
    Groups groups(raw);
    std::size_t count = 0;
    ok(gridgov_case_groups_count(&count, groups.get()));
    REQUIRE(count == 2);
    const char* key = nullptr;
    std::size_t cases = 0;
    ok(gridgov_case_groups_get(&key, &cases, groups.get(), 0));
    CHECK(std::string(key) == "closed");
    CHECK(cases == 1);
    ok(gridgov_case_groups_get(&key, &cases, groups.get(), 1));
    CHECK(std::string(key) == "filed");
    CHECK(gridgov_case_groups_get(&key, &cases, groups.get(), 2) == GRIDGOV_EINVAL);

    ok(gridgov_cases_count_by(&raw, w, GRIDGOV_GROUP_NODE, nullptr, "village"));
    Groups by_village(raw);
    ok(gridgov_case_groups_count(&count, by_village.get()));
    CHECK(count == 1);
    ok(gridgov_case_groups_get(&key, &cases, by_village.get(), 0));
    CHECK(std::string(key) == "371327101001");
    CHECK(cases == 2);
    CHECK(gridgov_cases_count_by(&raw, w, 42, nullptr, nullptr) == GRIDGOV_EINVAL);

    // The period's cases as columns, only the fields asked for.
    filter.reported_from = at("2026-03-02T09:01");
    const int32_t fields[] = {GRIDGOV_FIELD_ID, GRIDGOV_FIELD_STATE, GRIDGOV_FIELD_KIND,
                              GRIDGOV_FIELD_CLOSED_AT};
    gridgov_case_columns* raw_columns = nullptr;
    ok(gridgov_cases_columns(&raw_columns, w, &filter, fields, 4));
    Columns columns(raw_columns);
    ok(gridgov_case_columns_count(&count, columns.get()));
    REQUIRE(count == 1);
    const int64_t* ints = nullptr;
    ok(gridgov_case_columns_integers(&ints, columns.get(), GRIDGOV_FIELD_ID));
    CHECK(ints[0] == open);
    ok(gridgov_case_columns_integers(&ints, columns.get(), GRIDGOV_FIELD_KIND));
    CHECK(ints[0] == GRIDGOV_STATE_KIND_OPEN);
    ok(gridgov_case_columns_integers(&ints, columns.get(), GRIDGOV_FIELD_CLOSED_AT));
    CHECK(ints[0] == GRIDGOV_NO_INSTANT);
    ok(gridgov_case_columns_text(&key, columns.get(), GRIDGOV_FIELD_STATE, 0));
    CHECK(std::string(key) == "filed");
    CHECK(gridgov_case_columns_text(&key, columns.get(), GRIDGOV_FIELD_STATE, 1) == GRIDGOV_EINVAL);
    CHECK(gridgov_case_columns_text(&key, columns.get(), GRIDGOV_FIELD_NUMBER, 0) ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "number was not read"));
    CHECK(gridgov_case_columns_integers(&ints, columns.get(), GRIDGOV_FIELD_STATE) ==
          GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "state is a text field"));
    CHECK(gridgov_case_columns_text(&key, columns.get(), GRIDGOV_FIELD_ID, 0) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "id is an integer field"));
    CHECK(gridgov_case_columns_integers(&ints, columns.get(), 15) == GRIDGOV_EINVAL);

    // Every field of every case when none is named.
    ok(gridgov_cases_columns(&raw_columns, w, nullptr, nullptr, 0));
    Columns all(raw_columns);
    ok(gridgov_case_columns_count(&count, all.get()));
    REQUIRE(count == 2);
    ok(gridgov_case_columns_text(&key, all.get(), GRIDGOV_FIELD_NUMBER, 1));
    CHECK(std::string(key) == "2026-000002");
    ok(gridgov_case_columns_text(&key, all.get(), GRIDGOV_FIELD_DEPARTMENT, 0));
    CHECK(std::string(key) == "D-HW-AD");
    ok(gridgov_case_columns_integers(&ints, all.get(), GRIDGOV_FIELD_REPORTED_AT));
    CHECK(ints[1] == at("2026-03-02T09:05"));
    ok(gridgov_case_columns_integers(&ints, all.get(), GRIDGOV_FIELD_SOURCE));
    CHECK(ints[0] == GRIDGOV_SOURCE_GRID_WORKER);
    const int32_t bad[] = {GRIDGOV_FIELD_ID, 99};
    CHECK(gridgov_cases_columns(&raw_columns, w, nullptr, bad, 2) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "fields[1]: 99"));
    CHECK(gridgov_cases_columns(&raw_columns, w, nullptr, nullptr, 1) == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "fields"));
}

TEST_CASE("capi.cases.batches_commit_together_or_not_at_all") {
    TempDir dir;
    const std::string path = dir.file("batch.gridgov");
    Workspace ws = township(path);
    gridgov_workspace* w = ws.get();
    int in_batch = -1;
    ok(gridgov_cases_in_batch(&in_batch, w));
    CHECK(in_batch == 0);
    CHECK(gridgov_cases_commit_batch(w) == GRIDGOV_ESTATE);
    CHECK(gridgov_cases_rollback_batch(w) == GRIDGOV_ESTATE);

    ok(gridgov_cases_begin_batch(w));
    CHECK(gridgov_cases_begin_batch(w) == GRIDGOV_ESTATE);
    const gridgov_case_id dropped = report(w, "2026-03-02T09:00");
    fire(w, dropped, command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10"));
    ok(gridgov_cases_rollback_batch(w));
    std::size_t total = 99;
    ok(gridgov_cases_count_all(&total, w));
    CHECK(total == 0);

    ok(gridgov_cases_begin_batch(w));
    ok(gridgov_cases_in_batch(&in_batch, w));
    CHECK(in_batch == 1);
    const gridgov_case_id kept = report(w, "2026-03-02T09:00");
    const gridgov_command refused = command(GRIDGOV_COMMAND_DISPATCH, "P03", "2026-03-02T09:05");
    CHECK(gridgov_cases_fire(nullptr, w, kept, &refused) == GRIDGOV_ESTATE);
    ok(gridgov_cases_in_batch(&in_batch, w));
    CHECK(in_batch == 1);  // a refusal inside a batch leaves it open
    fire(w, kept, command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10"));
    ok(gridgov_cases_commit_batch(w));
    ws.reset();

    gridgov_workspace* raw = nullptr;
    ok(gridgov_workspace_open(&raw, path.c_str(), 0));
    Workspace reopened(raw);
    ok(gridgov_cases_count_all(&total, raw));
    CHECK(total == 1);
    CHECK(state(raw, kept) == "filed");
}

namespace {

// The status and message of a call made on a thread of its own (the calling thread waits
// for it, so the two never overlap: the rule for one handle is kept).
struct Outcome {
    int status = GRIDGOV_OK;
    std::string message;
};

Outcome on_another_thread(const std::function<int()>& call) {
    Outcome out;
    std::thread other([&] {
        out.status = call();
        out.message = gridgov_last_error_message();
    });
    other.join();
    return out;
}

}  // namespace

TEST_CASE("capi.cases.a_batch_takes_only_the_changes_of_the_thread_that_opened_it") {
    TempDir dir;
    const std::string path = dir.file("owned.gridgov");
    Workspace ws = township(path);
    gridgov_workspace* w = ws.get();
    ok(gridgov_cases_begin_batch(w));
    const gridgov_case_id mine = report(w, "2026-03-02T09:00");

    // Another thread between two calls of the batch's thread: its changes are refused
    // rather than taken into the batch, where the rollback below would drop them.
    gridgov_report theirs;
    ok(gridgov_report_init(&theirs, GRIDGOV_REPORT_VERSION));
    theirs.category = "E0102";
    theirs.node_code = "371327101001002";
    theirs.actor = "P02";
    theirs.at = at("2026-03-02T10:00");
    gridgov_case_id id = GRIDGOV_NO_CASE;
    const gridgov_command file = command(GRIDGOV_COMMAND_FILE, "P03", "2026-03-02T09:10");
    gridgov_tick_result ticked{};
    const std::vector<std::pair<const char*, std::function<int()>>> changes = {
        {"report", [&] { return gridgov_cases_report(&id, w, &theirs); }},
        {"fire", [&] { return gridgov_cases_fire(nullptr, w, mine, &file); }},
        {"tick", [&] { return gridgov_cases_tick(&ticked, w, at("2026-03-09T09:00")); }},
        {"begin_batch", [&] { return gridgov_cases_begin_batch(w); }},
        {"commit_batch", [&] { return gridgov_cases_commit_batch(w); }},
        {"rollback_batch", [&] { return gridgov_cases_rollback_batch(w); }},
    };
    for (const auto& entry : changes) {
        const auto& name = entry.first;  // a named copy: INFO takes it in a lambda
        const auto& change = entry.second;
        INFO(name);
        const Outcome refused = on_another_thread(change);
        CHECK(refused.status == GRIDGOV_ESTATE);
        CHECK(contains(refused.message, "a batch opened by another thread is open"));
    }
    CHECK(id == GRIDGOV_NO_CASE);
    int in_batch = 0;
    ok(gridgov_cases_in_batch(&in_batch, w));
    CHECK(in_batch == 1);
    CHECK(state(w, mine) == "reported");

    // The batch's own thread goes on, then drops the batch; the other thread's report
    // after that is its own transaction and stays.
    fire(w, mine, file);
    ok(gridgov_cases_rollback_batch(w));
    const Outcome after = on_another_thread([&] { return gridgov_cases_report(&id, w, &theirs); });
    CHECK(after.status == GRIDGOV_OK);
    ws.reset();
    gridgov_workspace* raw = nullptr;
    ok(gridgov_workspace_open(&raw, path.c_str(), 0));
    Workspace reopened(raw);
    std::size_t total = 0;
    ok(gridgov_cases_count_all(&total, raw));
    CHECK(total == 1);
    CHECK(state(raw, id) == "reported");
}

TEST_CASE("capi.cases.observers_see_every_committed_event") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    Seen seen;
    uint64_t token = 0;
    ok(gridgov_cases_observe(&token, w, record_event, &seen));
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    dispatch_and_accept(w, id);
    Record rec = get(w, id);
    const char* number = nullptr;
    ok(gridgov_case_record_number(&number, rec.get()));

    CHECK(seen.sequences == std::vector<uint64_t>{1, 2, 3, 4});
    CHECK(seen.types == std::vector<std::string>{"report", "file", "dispatch", "accept"});
    CHECK(seen.transitions == std::vector<std::string>{">reported", "reported>filed",
                                                       "filed>dispatched", "dispatched>handling"});
    CHECK(seen.commands == std::vector<int32_t>{GRIDGOV_COMMAND_REPORT, GRIDGOV_COMMAND_FILE,
                                                GRIDGOV_COMMAND_DISPATCH, GRIDGOV_COMMAND_ACCEPT});
    CHECK(seen.actors == std::vector<std::string>{"P01", "P03", "P03", "P04"});
    for (const std::string& n : seen.numbers)
        CHECK(n == number);

    SUBCASE("a refused command is not seen") {
        const gridgov_command c = command(GRIDGOV_COMMAND_CLOSE, "P03", "2026-03-02T10:00");
        CHECK(gridgov_cases_fire(nullptr, w, id, &c) == GRIDGOV_ESTATE);
        CHECK(seen.sequences.size() == 4);
    }
    SUBCASE("inside a batch, events are seen at the commit") {
        ok(gridgov_cases_begin_batch(w));
        const gridgov_case_id other = report(w, "2026-03-02T10:00");
        CHECK(seen.sequences.size() == 4);
        ok(gridgov_cases_commit_batch(w));
        CHECK(seen.sequences.size() == 5);
        CHECK(seen.types.back() == "report");
        CHECK(other == id + 1);
    }
    SUBCASE("a non-zero return undoes nothing, the others still run, and it is recorded") {
        uint64_t refusing = 0;
        ok(gridgov_cases_observe(&refusing, w, refuse_event, nullptr));
        Seen later;
        uint64_t later_token = 0;
        ok(gridgov_cases_observe(&later_token, w, record_event, &later));
        uint64_t seq = 0;
        const gridgov_command c =
            command(GRIDGOV_COMMAND_REQUEST_EXTENSION, "P04", "2026-03-02T10:00");
        gridgov_command with_amount = c;
        with_amount.reason = "垃圾量大,需调派压缩车";
        with_amount.has_amount = 1;
        with_amount.amount =
            gridgov_time_limit{4, GRIDGOV_UNIT_WORKING_HOURS, GRIDGOV_DAY_RULE_DAY_LENGTH};
        ok(gridgov_cases_fire(&seq, w, id, &with_amount));
        CHECK(last_error().empty());
        CHECK(state(w, id) == "extension_requested");
        CHECK(seen.sequences.back() == seq);
        CHECK(later.sequences == std::vector<uint64_t>{seq});

        gridgov_observer_failure* failures = nullptr;
        std::size_t n = 0;
        ok(gridgov_cases_take_observer_failures(&failures, &n, w));
        std::unique_ptr<gridgov_observer_failure, Freer> owned(failures);
        REQUIRE(n == 1);
        CHECK(failures[0].token == refusing);
        CHECK(failures[0].sequence == seq);
        CHECK(failures[0].status == 7);
        gridgov_observer_failure* again = nullptr;
        ok(gridgov_cases_take_observer_failures(&again, &n, w));
        CHECK(n == 0);
        CHECK(again == nullptr);
        ok(gridgov_cases_unobserve(w, refusing));
        ok(gridgov_cases_unobserve(w, later_token));
    }
    SUBCASE("an observer may read the workspace, and its failed calls do not leak") {
        Reader reader;
        reader.ws = w;
        uint64_t reading = 0;
        ok(gridgov_cases_observe(&reading, w, read_state, &reader));
        gridgov_command back = command(GRIDGOV_COMMAND_RETURN, "P04", "2026-03-02T10:00");
        back.reason = "非本所职责";
        CHECK(gridgov_cases_fire(nullptr, w, id, &back) == GRIDGOV_OK);
        CHECK(last_error().empty());
        CHECK(reader.states == std::vector<std::string>{"filed"});
        ok(gridgov_cases_unobserve(w, reading));
    }
    ok(gridgov_cases_unobserve(w, token));
    CHECK(gridgov_cases_unobserve(w, token) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), std::to_string(token)));
    const std::size_t before = seen.sequences.size();
    report(w, "2026-03-02T11:00");
    CHECK(seen.sequences.size() == before);
}

TEST_CASE("capi.cases.workspace_configuration") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const char* key = nullptr;
    ok(gridgov_cases_default_workflow(&key, w, GRIDGOV_SOURCE_GRID_WORKER));
    CHECK(std::string(key) == "township_six_step");
    ok(gridgov_cases_default_workflow(&key, w, GRIDGOV_SOURCE_HOTLINE_12345));
    CHECK(std::string(key) == "hotline_callback");
    CHECK(gridgov_cases_set_default_workflow(w, GRIDGOV_SOURCE_APP, "county_twelve_step") ==
          GRIDGOV_ENOTFOUND);
    ok(gridgov_cases_set_default_workflow(w, GRIDGOV_SOURCE_APP, "urban_seven_step"));
    ok(gridgov_cases_default_workflow(&key, w, GRIDGOV_SOURCE_APP));
    CHECK(std::string(key) == "urban_seven_step");
    CHECK(gridgov_cases_default_workflow(&key, w, 9) == GRIDGOV_EINVAL);

    gridgov_workflow_registry* registry = nullptr;
    ok(gridgov_cases_workflows(&registry, w));
    std::size_t specs = 0;
    ok(gridgov_workflow_registry_count(&specs, registry));
    gridgov_workflow_registry_destroy(registry);
    CHECK(specs == 4);

    gridgov_route route{};
    gridgov_node_id grid = GRIDGOV_NO_NODE;
    ok(gridgov_hierarchy_find(&grid, w, "371327101002001"));
    ok(gridgov_cases_route(&route, w, "E0103", grid));
    CHECK(route.basis == GRIDGOV_ROUTE_CATEGORY);
    CHECK(std::string(route.department) == "D-HW-AD");
    gridgov_free(route.department);
    gridgov_free(route.reasoning);
    gridgov_free(route.unit);

    gridgov_category_catalogue* categories = nullptr;
    ok(gridgov_cases_categories(&categories, w));
    std::size_t n = 0;
    ok(gridgov_category_catalogue_count(&n, categories));
    CHECK(n == 19);
    gridgov_category_catalogue_destroy(categories);
    gridgov_department_catalogue* departments = nullptr;
    ok(gridgov_cases_departments(&departments, w));
    ok(gridgov_department_catalogue_count(&n, departments));
    CHECK(n == 1);
    gridgov_department_catalogue_destroy(departments);
    gridgov_routing_table* table = nullptr;
    ok(gridgov_cases_routing(&table, w));
    char* json = nullptr;
    ok(gridgov_routing_table_to_json(&json, table));
    CHECK(contains(Text(json).get(), "territorial"));
    gridgov_routing_table_destroy(table);

    gridgov_findings* warnings = nullptr;
    CHECK(gridgov_cases_add_workflow_json(&warnings, w, "{\"key\": ", "local.json") ==
          GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "local.json"));
    CHECK(warnings == nullptr);

    // A township holiday (local rest day) moves the deadline of a case dispatched before it.
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    dispatch_and_accept(w, id);
    ok(gridgov_cases_add_calendar_overrides_json(
        w, R"({"days": [{"name": "镇庙会", "date": "2026-03-02", "isOffDay": true}]})",
        "andi-overrides.json"));
    gridgov_clock_status status{};
    int counting = 0;
    ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T10:30")));
    CHECK(counting == 1);
    CHECK(status.deadline == at("2026-03-03T14:30"));
    CHECK(status.elapsed == 0);
    ok(gridgov_cases_clear_calendar_overrides(w));
    ok(gridgov_cases_clock_status(&status, &counting, w, id, at("2026-03-02T10:30")));
    CHECK(status.deadline == at("2026-03-02T15:30"));
}

TEST_CASE("capi.cases.candidates_agree_with_check") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    const gridgov_case_id id = report(w, "2026-03-02T09:00");
    const auto who = [&](int which, const char* when) {
        char* raw = nullptr;
        std::size_t n = 99;
        ok(gridgov_cases_candidates(&raw, &n, w, id, which, at(when)));
        const std::string joined = Text(raw).get();
        const auto lines = joined.empty() ? 0 : std::count(joined.begin(), joined.end(), '\n') + 1;
        CHECK(n == static_cast<std::size_t>(lines));
        return joined;
    };
    CHECK(who(GRIDGOV_COMMAND_FILE, "2026-03-02T09:10") == "P03");
    CHECK(who(GRIDGOV_COMMAND_SELF_HANDLE, "2026-03-02T09:10") == "P01\nP02");
    CHECK(who(GRIDGOV_COMMAND_ACCEPT, "2026-03-02T09:10").empty());
    // Each listed person passes check(); the others do not.
    for (const char* person : {"P01", "P02", "P03", "P04"}) {
        gridgov_command c = command(GRIDGOV_COMMAND_FILE, person, "2026-03-02T09:10");
        int status = 0;
        char* message = nullptr;
        ok(gridgov_cases_check(&status, &message, w, id, &c));
        Text owned(message);
        CHECK((status == GRIDGOV_OK) == (std::string(person) == "P03"));
    }
    char* raw = nullptr;
    CHECK(gridgov_cases_candidates(&raw, nullptr, w, id, GRIDGOV_COMMAND_REPORT,
                                   at("2026-03-02T09:10")) == GRIDGOV_EINVAL);
    CHECK(gridgov_cases_candidates(&raw, nullptr, w, id, 99, at("2026-03-02T09:10")) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_cases_candidates(&raw, nullptr, w, 7, GRIDGOV_COMMAND_FILE,
                                   at("2026-03-02T09:10")) == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_cases_candidates(nullptr, nullptr, w, id, GRIDGOV_COMMAND_FILE,
                                   at("2026-03-02T09:10")) == GRIDGOV_EINVAL);
}

TEST_CASE("capi.cases.plans_run_from_text_and_file_with_refusals_as_findings") {
    TempDir dir;
    Workspace ws = township(dir.file("plans.gridgov"));
    gridgov_workspace* w = ws.get();
    const std::string plans =
        "matter,step,command,at,actor,node,category,source,workflow,reporter,department,"
        "amount,rating,reason,evidence,note\n"
        "2026-000101,0,report,2026-03-02T09:00,P01,371327101001001,E0102,,,,,,,,,\n"
        "2026-000101,1,file,2026-03-02T09:10,,,,,,,,,,,,\n"
        "2026-000101,2,dispatch,2026-03-02T09:20,,,,,,,D-HW-AD,,,,,\n"
        "2026-000101,3,accept,2026-03-02T09:30,,,,,,,,,,,,\n"
        "2026-000101,4,feedback,2026-03-02T10:30,P04,,,,,,,,,,photo-1,\n"
        "2026-000101,5,check_pass,2026-03-02T11:00,,,,,,,,,,,,\n"
        "2026-000101,6,close,2026-03-02T11:30,,,,,,,,,,,,\n"
        "2026-000102,0,report,2026-03-02T09:05,P01,371327101001001,E0102,,,,,,,,,\n"
        "2026-000102,1,accept,2026-03-02T09:15,P04,,,,,,,,,,,\n"
        "2026-000102,2,file,2026-03-02T09:25,,,,,,,,,,,,\n";
    gridgov_plan_result r{};
    gridgov_findings* raw = nullptr;
    ok(gridgov_cases_run_plan_text(&r, &raw, w, plans.c_str(), "plans.csv", 100, 0,
                                   at("2026-03-03T00:00")));
    Findings findings(raw);
    CHECK(r.matters == 2);
    CHECK(r.cases_reported == 2);
    CHECK(r.steps_accepted == 6);
    CHECK(r.steps_refused == 1);
    CHECK(r.steps_skipped == 1);
    CHECK(r.batches_committed == 1);
    std::size_t n = 0;
    ok(gridgov_findings_count(&n, findings.get()));
    REQUIRE(n == 1);
    const char* text = nullptr;
    ok(gridgov_findings_rule(&text, findings.get(), 0));
    CHECK(std::string(text) == "plan.refused");
    ok(gridgov_findings_where(&text, findings.get(), 0));
    CHECK(std::string(text) == "2026-000102 step 1");
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_find(&id, w, "2026-000101"));
    CHECK(state(w, id) == "closed");

    // The same plans again: the matters exist already, so every report is refused.
    const fs::path file = dir.file("plans.csv");
    {
        std::FILE* f = std::fopen(file.string().c_str(), "wb");
        REQUIRE(f != nullptr);
        std::fwrite(plans.data(), 1, plans.size(), f);
        std::fclose(f);
    }
    ok(gridgov_cases_run_plan_file(&r, nullptr, w, file.string().c_str(), 0, 3600,
                                   GRIDGOV_NO_INSTANT));
    CHECK(r.cases_reported == 0);
    CHECK(r.steps_refused == 2);
    CHECK(r.steps_skipped == 8);

    // A malformed file runs nothing and names row and field.
    const std::string bad =
        plans + "2026-000103,0,report,2026-03-02T09:00,P01,999,E0102,,,,,,,,,\n";
    CHECK(gridgov_cases_run_plan_text(&r, nullptr, w, bad.c_str(), "bad.csv", 0, 0,
                                      GRIDGOV_NO_INSTANT) == GRIDGOV_ENOTFOUND);
    CHECK(contains(last_error(), "bad.csv row 12 field 'node'"));
    CHECK(gridgov_cases_run_plan_file(&r, nullptr, w, dir.file("none.csv").c_str(), 0, 0,
                                      GRIDGOV_NO_INSTANT) == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_cases_run_plan_text(&r, nullptr, w, nullptr, "x", 0, 0, GRIDGOV_NO_INSTANT) ==
          GRIDGOV_EINVAL);
}

// A workflow whose stages, states, counters and flags are all named otherwise, read from
// JSON with its "measures" block: its case scores as the same case of the built-in loop.
TEST_CASE("capi.cases.a_renamed_workflow_with_its_measures_scores_as_the_builtin_one") {
    Workspace ws = township(":memory:");
    gridgov_workspace* w = ws.get();
    gridgov_workflow_registry* registry = nullptr;
    ok(gridgov_cases_workflows(&registry, w));
    char* text = nullptr;
    const int got = gridgov_workflow_registry_spec_json(&text, registry, "township_six_step", 0);
    gridgov_workflow_registry_destroy(registry);
    ok(got);
    nlohmann::json spec = nlohmann::json::parse(Text(text).get());
    REQUIRE(spec.contains("measures"));

    // Every name prefixed; the roles this township's catalogue lacks left out.
    const auto re = [](nlohmann::json& name) {
        if (!name.get<std::string>().empty())
            name = "x_" + name.get<std::string>();
    };
    const auto each = [&](nlohmann::json& list) {
        for (nlohmann::json& name : list)
            re(name);
    };
    const std::vector<std::string> known = {"village_grid_leader",
                                            "grid_information_officer",
                                            "service_centre_staff",
                                            "assigned_department",
                                            "reporter",
                                            "system"};
    const auto keep_known = [&](nlohmann::json& roles) {
        nlohmann::json kept = nlohmann::json::array();
        for (const nlohmann::json& r : roles) {
            if (std::find(known.begin(), known.end(), r.get<std::string>()) != known.end())
                kept.push_back(r);
        }
        roles = kept;
    };
    spec["key"] = "andi_loop";
    each(spec["counters"]);
    each(spec["flags"]);
    for (nlohmann::json& stage : spec["stages"])
        re(stage["key"]);
    for (nlohmann::json& st : spec["states"]) {
        re(st["key"]);
        re(st["timer"]);
        keep_known(st["breach"]["notify"]);
    }
    for (nlohmann::json& t : spec["transitions"]) {
        each(t["from"]);
        re(t["to"]);
        each(t["increments"]);
        each(t["sets"]);
        each(t["clears"]);
        for (nlohmann::json& g : t["when"])
            re(g["counter"]);
        keep_known(t["who"]);
        if (t["who"].empty())
            t["who"] = nlohmann::json::array({"service_centre_staff"});
    }
    for (auto& [member, name] : spec["measures"].items())
        re(name);
    CHECK(spec["measures"]["handling"] == "x_handle");
    CHECK(spec["measures"]["rework"] == "x_rework");

    // The categories give the renamed stages the limits of the built-in ones.
    gridgov_category_catalogue* categories = nullptr;
    ok(gridgov_cases_categories(&categories, w));
    ok(gridgov_category_catalogue_to_json(&text, categories));
    gridgov_category_catalogue_destroy(categories);
    nlohmann::json catalogue = nlohmann::json::parse(Text(text).get());
    for (nlohmann::json& c : catalogue["categories"]) {
        nlohmann::json limits = c["limits"];
        for (nlohmann::json l : limits) {
            re(l["stage"]);
            c["limits"].push_back(l);
        }
    }
    ok(gridgov_category_catalogue_from_json(&categories, catalogue.dump().c_str(), "andi.json"));
    const int set = gridgov_cases_set_categories(w, categories);
    gridgov_category_catalogue_destroy(categories);
    ok(set);
    gridgov_findings* warnings = nullptr;
    ok(gridgov_cases_add_workflow_json(&warnings, w, spec.dump().c_str(), "andi_loop.json"));
    Findings warnings_owned(warnings);

    // One case in each grid, the second on the renamed loop, through the same steps: a
    // failed check (返工) and a late feedback.
    const auto run = [&](const char* grid, const char* workflow) {
        gridgov_report r;
        ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
        r.category = "E0102";
        r.node_code = grid;
        r.actor = "P03";
        r.at = at("2026-03-02T09:00");
        r.workflow = workflow;
        gridgov_case_id id = GRIDGOV_NO_CASE;
        ok(gridgov_cases_report(&id, w, &r));
        dispatch_and_accept(w, id);
        const char* photos[] = {"photo://andi/001.jpg"};
        gridgov_command feedback = command(GRIDGOV_COMMAND_FEEDBACK, "P04", "2026-03-02T10:00");
        feedback.evidence = photos;
        feedback.evidence_count = 1;
        fire(w, id, feedback);
        gridgov_command fail = command(GRIDGOV_COMMAND_CHECK_FAIL, "P02", "2026-03-02T10:30");
        fail.reason = "垃圾未清运";
        fire(w, id, fail);
        feedback.at = at("2026-03-03T11:00");
        fire(w, id, feedback);
        fire(w, id, command(GRIDGOV_COMMAND_CHECK_PASS, "P02", "2026-03-03T14:30"));
        fire(w, id, command(GRIDGOV_COMMAND_CLOSE, "P03", "2026-03-03T15:00"));
        return id;
    };
    const gridgov_case_id builtin = run("371327101001001", nullptr);
    const gridgov_case_id renamed = run("371327101001002", "andi_loop");
    CHECK(state(w, builtin) == "closed");
    CHECK(state(w, renamed) == "x_closed");

    const auto indicators = [&](const char* grid) {
        gridgov_indicator_values* v = nullptr;
        ok(gridgov_indicator_values_create(&v));
        const int status =
            gridgov_indicator_values_add_cases(v, w, GRIDGOV_SUBJECT_NODE, grid, "2026-03");
        char* json = nullptr;
        if (status == GRIDGOV_OK)
            ok(gridgov_indicator_values_json(&json, v));
        gridgov_indicator_values_destroy(v);
        ok(status);
        return nlohmann::json::parse(Text(json).get());
    };
    const nlohmann::json expected = indicators("371327101001001");
    const nlohmann::json actual = indicators("371327101001002");
    CHECK(expected["rework"]["value"] == 1.0);
    CHECK(expected["to_check"]["value"] == 1.0);
    CHECK(expected["closed"]["value"] == 1.0);
    CHECK(expected["closed_on_time"]["value"] == 0.0);
    CHECK(expected["overtime_cases"]["value"] == 1.0);
    REQUIRE(actual.size() == expected.size());
    for (const auto& item : expected.items()) {
        const std::string key = item.key();  // a named copy: CAPTURE takes it in a lambda
        const auto& value = item.value();
        CAPTURE(key);
        REQUIRE(actual.contains(key));
        CHECK(actual[key]["value"] == value["value"]);
        CHECK(actual[key]["reason"] == value["reason"]);
        CHECK(actual[key]["sources"].size() == value["sources"].size());
    }
}

// ---- two handles on one file -------------------------------------------------------------

TEST_CASE("capi.cases.a_second_handle_sees_the_first_ones_cases_and_hears_them_on_refresh" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = gridgov_test::store_location(dir, "andi.gridgov");
    Workspace a = township(path);
    gridgov_workspace* raw = nullptr;
    ok(gridgov_workspace_open(&raw, path.c_str(), 0));
    Workspace b(raw);
    Seen seen;
    uint64_t token = 0;
    ok(gridgov_cases_observe(&token, b.get(), record_event, &seen));
    int applied = -1;
    ok(gridgov_workspace_refresh(b.get(), &applied));
    CHECK(applied == 0);

    const gridgov_case_id id = report(a.get(), "2026-03-02T09:00");
    dispatch_and_accept(a.get(), id);
    CHECK(seen.numbers.empty());  // b has not been called since
    ok(gridgov_workspace_refresh(b.get(), &applied));
    CHECK(applied == 1);
    CHECK(seen.types == std::vector<std::string>{"report", "file", "dispatch", "accept"});
    ok(gridgov_workspace_refresh(b.get(), nullptr));
    CHECK(seen.types.size() == 4);

    // A read answers with what a committed since; a change is decided on it.
    const gridgov_case_id other = report(a.get(), "2026-03-02T10:00");
    if (!gridgov_test::test_store_server().empty())
        ok(gridgov_workspace_refresh(b.get(), nullptr));  // the notification may be on its way
    size_t count = 0;
    ok(gridgov_cases_count_all(&count, b.get()));
    CHECK(count == 2);
    CHECK(state(b.get(), other) == "reported");
    const gridgov_case_id third = report(b.get(), "2026-03-02T11:00");
    CHECK(third == other + 1);
    CHECK(gridgov_workspace_refresh(nullptr, &applied) == GRIDGOV_EINVAL);
}

TEST_CASE("capi.workspace.copy_moves_a_whole_workspace" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string origin = dir.file("origin.gridgov");
    {
        Workspace a = township(origin);
        report(a.get(), "2026-03-02T09:00");
    }
    const std::string target = gridgov_test::store_location(dir, "copy.gridgov");
    int64_t rows = 0;
    ok(gridgov_workspace_copy(origin.c_str(), target.c_str(), &rows));
    CHECK(rows > 0);
    gridgov_workspace* raw = nullptr;
    ok(gridgov_workspace_open(&raw, target.c_str(), 0));
    Workspace copy(raw);
    size_t count = 0;
    ok(gridgov_cases_count_all(&count, copy.get()));
    CHECK(count == 1);
    CHECK(gridgov_workspace_copy(origin.c_str(), target.c_str(), nullptr) == GRIDGOV_EEXISTS);
    CHECK(gridgov_workspace_copy(nullptr, target.c_str(), nullptr) == GRIDGOV_EINVAL);
    const std::string none = dir.file("none.gridgov");
    CHECK(gridgov_workspace_copy(none.c_str(), dir.file("x.gridgov").c_str(), nullptr) ==
          GRIDGOV_ENOTFOUND);
}
