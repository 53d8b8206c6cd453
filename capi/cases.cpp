// C ABI: the cases of a workspace — reports, commands, batches, ticks, snapshots, queries,
// the event log and observers.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/cases.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

/// gridgov_case_record: a copy of one case, owned by the caller; its strings stay valid
/// until gridgov_case_record_destroy().
struct gridgov_case_record {
    gridgov::CaseRecord record;
};

/// gridgov_case_events: a copy of a case's events, owned by the caller.
struct gridgov_case_events {
    std::vector<gridgov::CaseEvent> events;
};

/// gridgov_case_groups: the answer of gridgov_cases_count_by(), owned by the caller.
struct gridgov_case_groups {
    std::vector<gridgov::GroupCount> groups;
};

/// gridgov_case_columns: the answer of gridgov_cases_columns(), owned by the caller. The
/// integer fields are widened to int64 once, so that each is one array.
struct gridgov_case_columns {
    gridgov::CaseColumns columns;
    std::size_t rows = 0;
    std::uint32_t read = 0;  // bit per GRIDGOV_FIELD_*
    std::array<std::vector<std::int64_t>, gridgov::case_field_count> integers;
};

namespace {

using gridgov::CaseEngine;
using gridgov::CaseSource;
using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::Instant;
using gridgov::capi::bad_value;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;
using gridgov::capi::text;

static_assert(GRIDGOV_SOURCE_GRID_WORKER == static_cast<int>(CaseSource::grid_worker));
static_assert(GRIDGOV_SOURCE_SUPERVISOR == static_cast<int>(CaseSource::supervisor));
static_assert(GRIDGOV_SOURCE_HOTLINE_12345 == static_cast<int>(CaseSource::hotline_12345));
static_assert(GRIDGOV_SOURCE_HOTLINE_12319 == static_cast<int>(CaseSource::hotline_12319));
static_assert(GRIDGOV_SOURCE_APP == static_cast<int>(CaseSource::app));
static_assert(GRIDGOV_SOURCE_VIDEO == static_cast<int>(CaseSource::video));
static_assert(GRIDGOV_SOURCE_REFERRAL == static_cast<int>(CaseSource::referral));
static_assert(GRIDGOV_CLOCK_COUNTING == static_cast<int>(gridgov::ClockRun::counting));
static_assert(GRIDGOV_CLOCK_IDLE == static_cast<int>(gridgov::ClockRun::idle));
static_assert(GRIDGOV_CLOCK_SUSPENDED == static_cast<int>(gridgov::ClockRun::suspended));
static_assert(GRIDGOV_CLOCK_STOPPED == static_cast<int>(gridgov::ClockRun::stopped));
static_assert(GRIDGOV_EVENT_COMMAND == static_cast<int>(gridgov::EventKind::command));
static_assert(GRIDGOV_EVENT_BREACH == static_cast<int>(gridgov::EventKind::breach));
static_assert(GRIDGOV_LOG_OK == static_cast<int>(gridgov::LogProblem::none));
static_assert(GRIDGOV_LOG_CONTENT_CHANGED ==
              static_cast<int>(gridgov::LogProblem::content_changed));
static_assert(GRIDGOV_LOG_CHAIN_BROKEN == static_cast<int>(gridgov::LogProblem::chain_broken));
static_assert(GRIDGOV_LOG_MISSING == static_cast<int>(gridgov::LogProblem::missing));
static_assert(GRIDGOV_LOG_CASE_SEQUENCE == static_cast<int>(gridgov::LogProblem::case_sequence));
static_assert(GRIDGOV_LOG_UNKNOWN_CASE == static_cast<int>(gridgov::LogProblem::unknown_case));
static_assert(GRIDGOV_LOG_HEAD_MISMATCH == static_cast<int>(gridgov::LogProblem::head_mismatch));
static_assert(GRIDGOV_LOG_CHECKPOINT_MISMATCH ==
              static_cast<int>(gridgov::LogProblem::checkpoint_mismatch));
static_assert(GRIDGOV_GROUP_STATE == static_cast<int>(gridgov::CaseGroup::state));
static_assert(GRIDGOV_GROUP_OVERDUE == static_cast<int>(gridgov::CaseGroup::overdue));
static_assert(GRIDGOV_LIGHT_RED == static_cast<int>(gridgov::Light::red));
static_assert(sizeof(gridgov_case_id) == sizeof(gridgov::CaseId));
static_assert(GRIDGOV_NO_CASE == gridgov::no_case);

[[noreturn]] void invalid(const std::string& message) {
    throw Error(ErrorCode::invalid_argument, message);
}

std::string_view source_name(const char* name) {
    return name != nullptr ? name : "<json>";
}

Instant instant(int64_t seconds, const std::string& parameter) {
    if (seconds == GRIDGOV_NO_INSTANT)
        invalid(parameter + ": no instant given (GRIDGOV_NO_INSTANT)");
    return Instant{seconds};
}

int64_t c_instant(Instant t) {
    return t == Instant::max() || t == Instant::min() ? GRIDGOV_NO_INSTANT : t.seconds;
}

CaseSource case_source(int32_t source, const std::string& parameter) {
    if (source < GRIDGOV_SOURCE_GRID_WORKER || source > GRIDGOV_SOURCE_REFERRAL) {
        invalid(parameter + ": " + std::to_string(source) + " is not a GRIDGOV_SOURCE_* value");
    }
    return static_cast<CaseSource>(source);
}

std::vector<std::string> strings(const char* const* items, size_t count,
                                 const std::string& parameter) {
    std::vector<std::string> out;
    if (count == 0)
        return out;
    if (items == nullptr)
        invalid(parameter + " must not be NULL when its count is " + std::to_string(count));
    for (size_t i = 0; i < count; ++i) {
        if (items[i] == nullptr)
            invalid(parameter + "[" + std::to_string(i) + "] must not be NULL");
        out.emplace_back(items[i]);
    }
    return out;
}

gridgov::TimeLimit time_limit(const gridgov_time_limit& limit, const std::string& parameter) {
    if (limit.unit < GRIDGOV_UNIT_NATURAL_MINUTES || limit.unit > GRIDGOV_UNIT_WORKING_DAYS) {
        invalid(parameter + ".unit: " + std::to_string(limit.unit) +
                " is not a GRIDGOV_UNIT_* value");
    }
    gridgov::TimeLimit out;
    out.value = limit.value;
    out.unit = static_cast<gridgov::TimeUnit>(limit.unit);
    if (out.unit == gridgov::TimeUnit::working_days) {
        if (limit.day_rule != GRIDGOV_DAY_RULE_DAY_LENGTH &&
            limit.day_rule != GRIDGOV_DAY_RULE_CLOSE_OF_BUSINESS) {
            invalid(parameter + ".day_rule: " + std::to_string(limit.day_rule) +
                    " is not a GRIDGOV_DAY_RULE_* value");
        }
        out.day_rule = static_cast<gridgov::WorkingDayRule>(limit.day_rule);
    }
    out.validate();
    return out;
}

std::optional<gridgov::Rating> rating(int32_t level, int32_t score) {
    if (level == -1 && score == 0)
        return std::nullopt;
    if (level < -1 || level > GRIDGOV_SATISFACTION_UNSATISFIED) {
        invalid("command.rating_level: " + std::to_string(level) +
                " is not a GRIDGOV_SATISFACTION_* value");
    }
    if (score == 0)
        return gridgov::Rating::of(static_cast<gridgov::Satisfaction>(level));
    gridgov::Rating r = gridgov::Rating::from_score(score);
    if (level != -1 && static_cast<int>(r.level) != level) {
        invalid("command.rating_score: " + std::to_string(score) + " contradicts rating_level " +
                std::to_string(level));
    }
    return r;
}

gridgov::CaseCommand case_command(const gridgov_command* c) {
    require(c, "command");
    if (c->version != GRIDGOV_COMMAND_SPEC_VERSION) {
        invalid("command.version: " + std::to_string(c->version) +
                " is not supported (call gridgov_command_init() first)");
    }
    gridgov::CaseCommand out;
    if (c->name != nullptr) {
        out.command = gridgov::parse_command(c->name);
    } else if (c->command >= 0 && static_cast<std::size_t>(c->command) < gridgov::command_count) {
        out.command = static_cast<gridgov::Command>(c->command);
    } else {
        invalid("command.command: " + std::to_string(c->command) +
                " is not a GRIDGOV_COMMAND_* value (and command.name is NULL)");
    }
    out.at = instant(c->at, "command.at");
    out.actor = text(c->actor);
    out.system = c->system != 0;
    out.reason = text(c->reason);
    out.note = text(c->note);
    out.evidence = strings(c->evidence, c->evidence_count, "command.evidence");
    out.category = text(c->category);
    out.department = text(c->department);
    if (c->has_amount != 0)
        out.amount = time_limit(c->amount, "command.amount");
    out.rating = rating(c->rating_level, c->rating_score);
    return out;
}

gridgov::NewCase new_case(const gridgov::Workspace& ws, const gridgov_report* r) {
    require(r, "report");
    if (r->version != GRIDGOV_REPORT_VERSION) {
        invalid("report.version: " + std::to_string(r->version) +
                " is not supported (call gridgov_report_init() first)");
    }
    if (r->category == nullptr)
        invalid("report.category must not be NULL");
    gridgov::NewCase out;
    gridgov::CaseCommand& c = out.command;
    c.command = gridgov::Command::report;
    c.category = r->category;
    if (r->node_code != nullptr) {
        c.node = ws.hierarchy().view().at(r->node_code);
    } else if (r->node != GRIDGOV_NO_NODE) {
        c.node = r->node;
    } else {
        invalid("report.node_code: no node given (set node_code or node)");
    }
    c.source = gridgov::case_source_name(case_source(r->source, "report.source"));
    c.actor = text(r->actor);
    c.system = r->system != 0;
    c.at = instant(r->at, "report.at");
    c.note = text(r->note);
    c.evidence = strings(r->evidence, r->evidence_count, "report.evidence");
    out.reporter = text(r->reporter);
    out.workflow = text(r->workflow);
    out.number = text(r->number);
    return out;
}

gridgov::CaseFilter case_filter(const gridgov_case_filter* f) {
    gridgov::CaseFilter out;
    if (f == nullptr)
        return out;
    if (f->version != GRIDGOV_CASE_FILTER_VERSION) {
        invalid("filter.version: " + std::to_string(f->version) +
                " is not supported (call gridgov_case_filter_init() first)");
    }
    out.subtree = f->subtree;
    out.states = strings(f->states, f->state_count, "filter.states");
    if (f->kind != -1) {
        if (f->kind < GRIDGOV_STATE_KIND_PENDING || f->kind > GRIDGOV_STATE_KIND_VOIDED) {
            invalid("filter.kind: " + std::to_string(f->kind) +
                    " is not a GRIDGOV_STATE_KIND_* value");
        }
        out.kind = static_cast<gridgov::StateKind>(f->kind);
    }
    out.category_prefix = text(f->category_prefix);
    if (f->source != -1)
        out.source = case_source(f->source, "filter.source");
    out.department = text(f->department);
    out.workflow = text(f->workflow);
    out.flag = text(f->flag);
    if (f->breached != -1) {
        if (f->breached != 0 && f->breached != 1)
            invalid("filter.breached: " + std::to_string(f->breached) + " is not -1, 0 or 1");
        out.breached = f->breached == 1;
    }
    if (f->tier != -1) {
        if (f->tier < 0)
            invalid("filter.tier: " + std::to_string(f->tier) + " is not a tier or -1");
        out.tier = f->tier;
    }
    if (f->reported_from != GRIDGOV_NO_INSTANT)
        out.reported_from = Instant{f->reported_from};
    if (f->reported_until != GRIDGOV_NO_INSTANT)
        out.reported_until = Instant{f->reported_until};
    if (f->light != -1) {
        if (f->light < GRIDGOV_LIGHT_GREEN || f->light > GRIDGOV_LIGHT_RED)
            invalid("filter.light: " + std::to_string(f->light) +
                    " is not a GRIDGOV_LIGHT_* value");
        out.light = static_cast<gridgov::Light>(f->light);
    }
    out.overdue = f->overdue != 0;
    if (f->at != GRIDGOV_NO_INSTANT)
        out.at = Instant{f->at};
    return out;
}

gridgov_case_event c_event(const gridgov::CaseEvent& e) {
    gridgov_case_event out{};
    out.sequence = e.sequence;
    out.case_id = e.case_id;
    out.case_number = e.case_number.c_str();
    out.case_sequence = e.case_sequence;
    out.kind = static_cast<int32_t>(e.kind);
    out.command = e.kind == gridgov::EventKind::command ? static_cast<int32_t>(e.command) : -1;
    out.type = e.type.c_str();
    out.transition = e.transition;
    out.from_state = e.from_state.c_str();
    out.to_state = e.to_state.c_str();
    out.actor = e.actor.c_str();
    out.system = e.system ? 1 : 0;
    out.at = e.at.seconds;
    out.payload = e.payload.c_str();
    std::memcpy(out.previous_hash, e.previous_hash.data(), sizeof out.previous_hash);
    std::memcpy(out.hash, e.hash.data(), sizeof out.hash);
    return out;
}

// What a C observer's non-zero return becomes inside the engine, which records what() as
// the failure's message; take_observer_failures() reads the status back from it.
constexpr std::string_view observer_returned = "observer returned ";

class ObserverStatus : public std::runtime_error {
  public:
    explicit ObserverStatus(int status)
        : std::runtime_error(std::string(observer_returned) + std::to_string(status)) {}
};

int32_t failure_status(const std::string& message) {
    if (message.rfind(observer_returned, 0) != 0)
        return GRIDGOV_ERROR;
    try {
        return static_cast<int32_t>(std::stol(message.substr(observer_returned.size())));
    } catch (const std::exception&) {
        return GRIDGOV_ERROR;
    }
}

const gridgov::CaseRecord& record_of(const gridgov_case_record* record) {
    require(record, "record");
    return record->record;
}

template <class T>
std::size_t checked_index(std::size_t index, const std::vector<T>& items, const char* what) {
    if (index >= items.size()) {
        invalid("index: " + std::to_string(index) + " is out of range (" +
                std::to_string(items.size()) + " " + what + ")");
    }
    return index;
}

gridgov_calendar_assumptions assumptions(const std::vector<int>& years) {
    gridgov_calendar_assumptions a{0, 0, 0};
    if (!years.empty()) {
        a.count = static_cast<int>(years.size());
        a.first_year = years.front();
        a.last_year = years.back();
    }
    return a;
}

}  // namespace

namespace {

bool is_text_field(gridgov::CaseField f) {
    using gridgov::CaseField;
    return f == CaseField::number || f == CaseField::workflow || f == CaseField::category ||
           f == CaseField::state || f == CaseField::department;
}

/// The field `field` of `columns` after checking it was read and is of the kind asked for.
gridgov::CaseField read_field(const gridgov_case_columns* columns, int32_t field, bool text) {
    require(columns, "columns");
    if (field < 0 || static_cast<std::size_t>(field) >= gridgov::case_field_count)
        invalid("field: " + std::to_string(field) + " is not a GRIDGOV_FIELD_* value");
    const auto f = static_cast<gridgov::CaseField>(field);
    if ((columns->read & (1u << static_cast<unsigned>(field))) == 0) {
        invalid(std::string("field: ") + gridgov::case_field_name(f) +
                " was not read (name it in gridgov_cases_columns())");
    }
    if (is_text_field(f) != text) {
        invalid(std::string("field: ") + gridgov::case_field_name(f) + " is " +
                (text ? "an integer field (gridgov_case_columns_integers())"
                      : "a text field (gridgov_case_columns_text())"));
    }
    return f;
}

template <class T>
std::vector<std::int64_t> widened(const std::vector<T>& values) {
    std::vector<std::int64_t> out;
    out.reserve(values.size());
    for (const T v : values)
        out.push_back(static_cast<std::int64_t>(v));
    return out;
}

/// Instants with GRIDGOV_NO_INSTANT for Instant::max() (not closed, no counting clock).
std::vector<std::int64_t> instants(std::vector<std::int64_t> values) {
    for (std::int64_t& t : values) {
        if (t == Instant::max().seconds)
            t = GRIDGOV_NO_INSTANT;
    }
    return values;
}

}  // namespace

extern "C" {

int gridgov_instant_parse(int64_t* out, const char* iso) {
    return guard([&] {
        require(out, "out");
        require(iso, "iso");
        try {
            *out = Instant::parse(iso).seconds;
        } catch (const Error& e) {
            throw Error(e.code(), std::string("iso: ") + e.what());
        }
    });
}

int gridgov_instant_format(char** out, int64_t instant) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(Instant{instant}.to_string());
    });
}

int gridgov_cases_default_workflow(const char** out, const gridgov_workspace* ws, int source) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().default_workflow(case_source(source, "source")).c_str();
    });
}

int gridgov_cases_set_default_workflow(gridgov_workspace* ws, int source, const char* key) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        ws->ws.cases().set_default_workflow(case_source(source, "source"), key);
    });
}

int gridgov_cases_set_calendar_schedule_json(gridgov_workspace* ws, const char* json) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.cases().set_calendar_schedule(gridgov::WorkingSchedule::from_json(json));
    });
}

int gridgov_cases_add_calendar_year_json(gridgov_workspace* ws, const char* json,
                                         const char* source) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.cases().add_calendar_year(json, source_name(source));
    });
}

int gridgov_cases_add_calendar_overrides_json(gridgov_workspace* ws, const char* json,
                                              const char* source) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.cases().add_calendar_overrides(json, source_name(source));
    });
}

int gridgov_cases_clear_calendar_overrides(gridgov_workspace* ws) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.cases().clear_calendar_overrides();
    });
}

int gridgov_report_init(gridgov_report* report, uint32_t version) {
    return guard([&] {
        require(report, "report");
        if (version != GRIDGOV_REPORT_VERSION) {
            invalid("version: " + std::to_string(version) +
                    " is not supported (expected GRIDGOV_REPORT_VERSION)");
        }
        *report = gridgov_report{};
        report->version = version;
        report->node = GRIDGOV_NO_NODE;
        report->source = GRIDGOV_SOURCE_GRID_WORKER;
        report->at = GRIDGOV_NO_INSTANT;
    });
}

int gridgov_command_init(gridgov_command* command, uint32_t version) {
    return guard([&] {
        require(command, "command");
        if (version != GRIDGOV_COMMAND_SPEC_VERSION) {
            invalid("version: " + std::to_string(version) +
                    " is not supported (expected GRIDGOV_COMMAND_SPEC_VERSION)");
        }
        *command = gridgov_command{};
        command->version = version;
        command->command = -1;
        command->at = GRIDGOV_NO_INSTANT;
        command->amount =
            gridgov_time_limit{0, GRIDGOV_UNIT_WORKING_DAYS, GRIDGOV_DAY_RULE_DAY_LENGTH};
        command->rating_level = -1;
    });
}

int gridgov_cases_report(gridgov_case_id* out, gridgov_workspace* ws,
                         const gridgov_report* report) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::NewCase c = new_case(ws->ws, report);
        *out = ws->ws.cases().report(c);
    });
}

int gridgov_cases_fire(uint64_t* out_sequence, gridgov_workspace* ws, gridgov_case_id id,
                       const gridgov_command* command) {
    return guard([&] {
        require(ws, "ws");
        const gridgov::CaseCommand c = case_command(command);
        const gridgov::EventSeq seq = ws->ws.cases().fire(id, c);
        if (out_sequence != nullptr)
            *out_sequence = seq;
    });
}

int gridgov_cases_check(int* out_status, char** out_message, const gridgov_workspace* ws,
                        gridgov_case_id id, const gridgov_command* command) {
    return guard([&] {
        require(out_status, "out_status");
        require(out_message, "out_message");
        require(ws, "ws");
        const gridgov::CaseCommand c = case_command(command);
        // An unknown case is an error of the call; everything else is the answer.
        ws->ws.cases().state(id);
        const gridgov::CommandCheck check = ws->ws.cases().check(id, c);
        *out_message = dup_string(check.accepted ? "" : check.message);
        *out_status = check.accepted ? GRIDGOV_OK : -static_cast<int>(check.code);
    });
}

int gridgov_cases_available(int32_t** out, size_t* out_count, const gridgov_workspace* ws,
                            gridgov_case_id id, const char* actor, int64_t at, int system) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        require(ws, "ws");
        std::vector<int32_t> commands;
        for (const gridgov::Command c :
             ws->ws.cases().available(id, text(actor), instant(at, "at"), system != 0)) {
            commands.push_back(static_cast<int32_t>(c));
        }
        *out = gridgov::capi::dup_array(commands);
        *out_count = commands.size();
    });
}

int gridgov_cases_candidates(char** out, size_t* out_count, const gridgov_workspace* ws,
                             gridgov_case_id id, int32_t command, int64_t at) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        if (command <= 0 || static_cast<std::size_t>(command) >= gridgov::command_count) {
            invalid("command: " + std::to_string(command) +
                    " is not a GRIDGOV_COMMAND_* value other than report");
        }
        const std::vector<std::string> people = ws->ws.cases().candidates(
            id, static_cast<gridgov::Command>(command), instant(at, "at"));
        std::string joined;
        for (const std::string& p : people)
            joined += (joined.empty() ? "" : "\n") + p;
        *out = dup_string(joined);
        if (out_count != nullptr)
            *out_count = people.size();
    });
}

namespace {

int run_plans_c(gridgov_plan_result* out, gridgov_findings** out_findings, gridgov_workspace* ws,
                const char* path, const char* text_in, const char* source_name, size_t batch_size,
                int64_t tick_interval, int64_t tick_until) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        if (out_findings != nullptr)
            *out_findings = nullptr;
        if (path == nullptr && text_in == nullptr)
            invalid("path: NULL");
        const std::vector<gridgov::MatterPlan> plans =
            path != nullptr
                ? gridgov::read_matter_plans(path, ws->ws.hierarchy().view())
                : gridgov::parse_matter_plans(text_in, ws->ws.hierarchy().view(),
                                              source_name != nullptr ? source_name : "<plans>");
        gridgov::PlanRunOptions options;
        options.batch_size = batch_size;
        options.tick_interval = tick_interval;
        if (tick_until != GRIDGOV_NO_INSTANT)
            options.tick_until = Instant{tick_until};
        gridgov::PlanRunReport r = gridgov::run_plans(ws->ws.cases(), plans, options);
        *out = gridgov_plan_result{r.matters,       r.cases_reported, r.steps_accepted,
                                   r.steps_refused, r.steps_skipped,  r.ticks,
                                   r.breaches,      r.escalations,    r.batches_committed};
        if (out_findings != nullptr)
            *out_findings = gridgov::capi::new_findings(std::move(r.findings));
    });
}

}  // namespace

int gridgov_cases_run_plan_file(gridgov_plan_result* out, gridgov_findings** out_findings,
                                gridgov_workspace* ws, const char* path, size_t batch_size,
                                int64_t tick_interval, int64_t tick_until) {
    return run_plans_c(out, out_findings, ws, path, nullptr, nullptr, batch_size, tick_interval,
                       tick_until);
}

int gridgov_cases_run_plan_text(gridgov_plan_result* out, gridgov_findings** out_findings,
                                gridgov_workspace* ws, const char* text, const char* source_name,
                                size_t batch_size, int64_t tick_interval, int64_t tick_until) {
    if (text == nullptr) {
        return guard([&] { invalid("text: NULL"); });
    }
    return run_plans_c(out, out_findings, ws, nullptr, text, source_name, batch_size, tick_interval,
                       tick_until);
}

int gridgov_cases_begin_batch(gridgov_workspace* ws) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.cases().begin_batch();
    });
}

int gridgov_cases_commit_batch(gridgov_workspace* ws) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.cases().commit_batch();
    });
}

int gridgov_cases_rollback_batch(gridgov_workspace* ws) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.cases().rollback_batch();
    });
}

int gridgov_cases_in_batch(int* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().in_batch() ? 1 : 0;
    });
}

int gridgov_cases_tick(gridgov_tick_result* out, gridgov_workspace* ws, int64_t now) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::TickReport report = ws->ws.cases().tick(instant(now, "now"));
        *out =
            gridgov_tick_result{report.lights.size(), report.breaches.size(), report.escalations};
    });
}

int gridgov_cases_count_all(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().size();
    });
}

int gridgov_cases_find(gridgov_case_id* out, const gridgov_workspace* ws, const char* number) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(number, "number");
        *out = ws->ws.cases().at(number);
    });
}

int gridgov_cases_state(const char** out, const gridgov_workspace* ws, gridgov_case_id id) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().state(id).c_str();
    });
}

int gridgov_cases_get(gridgov_case_record** out, const gridgov_workspace* ws, gridgov_case_id id) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = new gridgov_case_record{ws->ws.cases().get(id)};
    });
}

int gridgov_cases_clock_status(gridgov_clock_status* out, int* out_has_clock,
                               const gridgov_workspace* ws, gridgov_case_id id, int64_t now) {
    return guard([&] {
        require(out, "out");
        require(out_has_clock, "out_has_clock");
        require(ws, "ws");
        const std::optional<gridgov::ClockStatus> s =
            ws->ws.cases().clock_status(id, instant(now, "now"));
        if (s) {
            gridgov_clock_status c;
            c.limit = s->limit;
            c.elapsed = s->elapsed;
            c.remaining = s->remaining;
            c.overdue_by = s->overdue_by;
            c.deadline = s->deadline.seconds;
            c.light = static_cast<int>(s->light);
            c.paused = s->paused ? 1 : 0;
            c.overdue = s->overdue ? 1 : 0;
            c.working_time = s->working_time ? 1 : 0;
            c.assumed = assumptions(s->assumed_years);
            *out = c;
        }
        *out_has_clock = s ? 1 : 0;
    });
}

void gridgov_case_record_destroy(gridgov_case_record* record) {
    delete record;
}

int gridgov_case_record_id(gridgov_case_id* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).id;
    });
}

int gridgov_case_record_number(const char** out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).number.c_str();
    });
}

int gridgov_case_record_workflow(const char** out_key, int* out_version,
                                 const gridgov_case_record* record) {
    return guard([&] {
        require(out_key, "out_key");
        require(out_version, "out_version");
        const gridgov::CaseRecord& r = record_of(record);
        *out_key = r.workflow.c_str();
        *out_version = r.workflow_version;
    });
}

int gridgov_case_record_category(const char** out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).category.c_str();
    });
}

int gridgov_case_record_node(gridgov_node_id* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).node;
    });
}

int gridgov_case_record_area_class(const char** out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).area_class.c_str();
    });
}

int gridgov_case_record_source(int* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = static_cast<int>(record_of(record).source);
    });
}

int gridgov_case_record_reporter(const char** out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).reporter.c_str();
    });
}

int gridgov_case_record_state(const char** out_key, int* out_kind,
                              const gridgov_case_record* record) {
    return guard([&] {
        require(out_key, "out_key");
        require(out_kind, "out_kind");
        const gridgov::CaseRecord& r = record_of(record);
        *out_key = r.state.c_str();
        *out_kind = static_cast<int>(r.kind);
    });
}

int gridgov_case_record_department(const char** out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).department.c_str();
    });
}

int gridgov_case_record_route_node(gridgov_node_id* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).route_node;
    });
}

int gridgov_case_record_tier(int* out_tier, gridgov_node_id* out_handling_node,
                             const gridgov_case_record* record) {
    return guard([&] {
        require(out_tier, "out_tier");
        require(out_handling_node, "out_handling_node");
        const gridgov::CaseRecord& r = record_of(record);
        *out_tier = r.tier;
        *out_handling_node = r.handling_node;
    });
}

int gridgov_case_record_counter_count(size_t* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).counters.size();
    });
}

int gridgov_case_record_counter(const char** out_name, int64_t* out_value,
                                const gridgov_case_record* record, size_t index) {
    return guard([&] {
        require(out_name, "out_name");
        require(out_value, "out_value");
        const auto& counters = record_of(record).counters;
        const auto& counter = counters[checked_index(index, counters, "counters")];
        *out_name = counter.first.c_str();
        *out_value = counter.second;
    });
}

int gridgov_case_record_counter_value(int64_t* out, const gridgov_case_record* record,
                                      const char* name) {
    return guard([&] {
        require(out, "out");
        const gridgov::CaseRecord& r = record_of(record);
        require(name, "name");
        *out = r.counter(name);
    });
}

int gridgov_case_record_flag_count(size_t* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).flags.size();
    });
}

int gridgov_case_record_flag(const char** out, const gridgov_case_record* record, size_t index) {
    return guard([&] {
        require(out, "out");
        const auto& flags = record_of(record).flags;
        *out = flags[checked_index(index, flags, "flags")].c_str();
    });
}

int gridgov_case_record_has_flag(int* out, const gridgov_case_record* record, const char* flag) {
    return guard([&] {
        require(out, "out");
        const gridgov::CaseRecord& r = record_of(record);
        require(flag, "flag");
        *out = r.has_flag(flag) ? 1 : 0;
    });
}

int gridgov_case_record_breached(int* out_breached, uint32_t* out_breaches,
                                 const gridgov_case_record* record) {
    return guard([&] {
        require(out_breached, "out_breached");
        require(out_breaches, "out_breaches");
        const gridgov::CaseRecord& r = record_of(record);
        *out_breached = r.breached ? 1 : 0;
        *out_breaches = r.breaches;
    });
}

int gridgov_case_record_rating(int* out_level, int* out_score, const gridgov_case_record* record) {
    return guard([&] {
        require(out_level, "out_level");
        require(out_score, "out_score");
        const gridgov::CaseRecord& r = record_of(record);
        *out_level = r.rating ? static_cast<int>(r.rating->level) : -1;
        *out_score = r.rating ? r.rating->score : 0;
    });
}

int gridgov_case_record_times(int64_t* out_reported_at, int64_t* out_updated_at,
                              int64_t* out_closed_at, const gridgov_case_record* record) {
    return guard([&] {
        require(out_reported_at, "out_reported_at");
        require(out_updated_at, "out_updated_at");
        require(out_closed_at, "out_closed_at");
        const gridgov::CaseRecord& r = record_of(record);
        *out_reported_at = r.reported_at.seconds;
        *out_updated_at = r.updated_at.seconds;
        *out_closed_at = r.closed_at ? r.closed_at->seconds : GRIDGOV_NO_INSTANT;
    });
}

int gridgov_case_record_events(uint64_t* out_last_sequence, uint32_t* out_count,
                               const gridgov_case_record* record) {
    return guard([&] {
        require(out_last_sequence, "out_last_sequence");
        require(out_count, "out_count");
        const gridgov::CaseRecord& r = record_of(record);
        *out_last_sequence = r.last_event;
        *out_count = r.events;
    });
}

int gridgov_case_record_clock_count(size_t* out, const gridgov_case_record* record) {
    return guard([&] {
        require(out, "out");
        *out = record_of(record).clocks.size();
    });
}

int gridgov_case_record_clock(gridgov_case_clock* out, const gridgov_case_record* record,
                              size_t index) {
    return guard([&] {
        require(out, "out");
        const auto& clocks = record_of(record).clocks;
        const gridgov::CaseClock& c = clocks[checked_index(index, clocks, "clocks")];
        gridgov_case_clock o{};
        o.stage = c.stage.c_str();
        o.run = static_cast<int32_t>(c.run);
        o.working_time = c.working_time ? 1 : 0;
        o.start = c.start.seconds;
        o.limit = gridgov_time_limit{c.limit.value, static_cast<int>(c.limit.unit),
                                     static_cast<int>(c.limit.day_rule)};
        o.limit_seconds = c.limit_seconds;
        o.budget = c.budget;
        o.extensions = c.extensions;
        o.used = c.used;
        o.since = c.since.seconds;
        o.deadline = c_instant(c.deadline);
        o.breached = c.breached ? 1 : 0;
        o.assumed = c.assumed ? 1 : 0;
        *out = o;
    });
}

int gridgov_case_filter_init(gridgov_case_filter* filter, uint32_t version) {
    return guard([&] {
        require(filter, "filter");
        if (version != GRIDGOV_CASE_FILTER_VERSION) {
            invalid("version: " + std::to_string(version) +
                    " is not supported (expected GRIDGOV_CASE_FILTER_VERSION)");
        }
        *filter = gridgov_case_filter{};
        filter->version = version;
        filter->subtree = GRIDGOV_NO_NODE;
        filter->kind = -1;
        filter->source = -1;
        filter->breached = -1;
        filter->tier = -1;
        filter->reported_from = GRIDGOV_NO_INSTANT;
        filter->reported_until = GRIDGOV_NO_INSTANT;
        filter->light = -1;
        filter->at = GRIDGOV_NO_INSTANT;
    });
}

int gridgov_cases_select(gridgov_case_id** out, size_t* out_count, const gridgov_workspace* ws,
                         const gridgov_case_filter* filter) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        require(ws, "ws");
        const std::vector<gridgov::CaseId> ids = ws->ws.cases().select(case_filter(filter));
        *out = gridgov::capi::dup_array(ids);
        *out_count = ids.size();
    });
}

int gridgov_cases_count(size_t* out, const gridgov_workspace* ws,
                        const gridgov_case_filter* filter) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().count(case_filter(filter));
    });
}

int gridgov_cases_open311_services(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::open311_services(ws->ws.cases().categories()));
    });
}

int gridgov_cases_open311_requests(char** out, const gridgov_workspace* ws,
                                   const gridgov_case_filter* filter, const char* jurisdiction_id) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        gridgov::Open311ExportOptions o;
        o.filter = case_filter(filter);
        if (jurisdiction_id != nullptr)
            o.jurisdiction_id = jurisdiction_id;
        *out = dup_string(gridgov::open311_requests(ws->ws, o));
    });
}

int gridgov_cases_count_by(gridgov_case_groups** out, const gridgov_workspace* ws, int group,
                           const gridgov_case_filter* filter, const char* level) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        if (group < GRIDGOV_GROUP_STATE || group > GRIDGOV_GROUP_OVERDUE)
            invalid("group: " + std::to_string(group) + " is not a GRIDGOV_GROUP_* value");
        const gridgov::CaseFilter f = case_filter(filter);
        auto groups = std::make_unique<gridgov_case_groups>();
        groups->groups = ws->ws.cases().count_by(static_cast<gridgov::CaseGroup>(group), f,
                                                 level != nullptr ? level : "");
        *out = groups.release();
    });
}

void gridgov_case_groups_destroy(gridgov_case_groups* groups) {
    delete groups;
}

int gridgov_case_groups_count(size_t* out, const gridgov_case_groups* groups) {
    return guard([&] {
        require(out, "out");
        require(groups, "groups");
        *out = groups->groups.size();
    });
}

int gridgov_case_groups_get(const char** out_key, size_t* out_cases,
                            const gridgov_case_groups* groups, size_t index) {
    return guard([&] {
        require(out_key, "out_key");
        require(out_cases, "out_cases");
        require(groups, "groups");
        const gridgov::GroupCount& g =
            groups->groups[checked_index(index, groups->groups, "groups")];
        *out_key = g.key.c_str();
        *out_cases = g.count;
    });
}

int gridgov_cases_columns(gridgov_case_columns** out, const gridgov_workspace* ws,
                          const gridgov_case_filter* filter, const int32_t* fields,
                          size_t field_count) {
    return guard([&] {
        using gridgov::CaseField;
        require(out, "out");
        require(ws, "ws");
        if (field_count > 0)
            require(fields, "fields");
        std::vector<CaseField> chosen;
        for (size_t i = 0; i < field_count; ++i) {
            if (fields[i] < 0 || static_cast<std::size_t>(fields[i]) >= gridgov::case_field_count)
                invalid("fields[" + std::to_string(i) + "]: " + std::to_string(fields[i]) +
                        " is not a GRIDGOV_FIELD_* value");
            chosen.push_back(static_cast<CaseField>(fields[i]));
        }
        auto c = std::make_unique<gridgov_case_columns>();
        c->columns = ws->ws.cases().columns(case_filter(filter), chosen);
        c->read = 0;
        for (const CaseField f : chosen)
            c->read |= 1u << static_cast<unsigned>(f);
        if (chosen.empty())
            c->read = (1u << gridgov::case_field_count) - 1;
        gridgov::CaseColumns& k = c->columns;
        c->rows = k.size();
        const auto set = [&](CaseField f, std::vector<std::int64_t> v) {
            if ((c->read & (1u << static_cast<unsigned>(f))) != 0)
                c->integers[static_cast<std::size_t>(f)] = std::move(v);
        };
        set(CaseField::id, widened(k.id));
        set(CaseField::node, widened(k.node));
        set(CaseField::source, widened(k.source));
        set(CaseField::kind, widened(k.kind));
        set(CaseField::tier, widened(k.tier));
        set(CaseField::breached, widened(k.breached));
        set(CaseField::reported_at, std::move(k.reported_at));
        set(CaseField::updated_at, std::move(k.updated_at));
        set(CaseField::closed_at, instants(std::move(k.closed_at)));
        set(CaseField::deadline, instants(std::move(k.deadline)));
        *out = c.release();
    });
}

void gridgov_case_columns_destroy(gridgov_case_columns* columns) {
    delete columns;
}

int gridgov_case_columns_count(size_t* out, const gridgov_case_columns* columns) {
    return guard([&] {
        require(out, "out");
        require(columns, "columns");
        *out = columns->rows;
    });
}

int gridgov_case_columns_integers(const int64_t** out, const gridgov_case_columns* columns,
                                  int32_t field) {
    return guard([&] {
        require(out, "out");
        const gridgov::CaseField f = read_field(columns, field, false);
        const std::vector<std::int64_t>& v = columns->integers[static_cast<std::size_t>(f)];
        *out = v.empty() ? nullptr : v.data();
    });
}

int gridgov_case_columns_text(const char** out, const gridgov_case_columns* columns, int32_t field,
                              size_t row) {
    return guard([&] {
        using gridgov::CaseField;
        require(out, "out");
        const CaseField f = read_field(columns, field, true);
        const gridgov::CaseColumns& k = columns->columns;
        const std::vector<std::string>& v = f == CaseField::number     ? k.number
                                            : f == CaseField::workflow ? k.workflow
                                            : f == CaseField::category ? k.category
                                            : f == CaseField::state    ? k.state
                                                                       : k.department;
        *out = v[checked_index(row, v, "row")].c_str();
    });
}

int gridgov_cases_last_sequence(uint64_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.cases().last_sequence();
    });
}

int gridgov_cases_head(gridgov_log_anchor* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::LogAnchor head = ws->ws.cases().head();
        gridgov_log_anchor a{};
        a.sequence = head.sequence;
        std::memcpy(a.hash, head.hash.data(), sizeof a.hash);
        *out = a;
    });
}

namespace {

void put_verification(gridgov_log_verification* out, const gridgov::LogVerification& v) {
    std::unique_ptr<char, decltype(&gridgov_free)> case_number(dup_string(v.case_number),
                                                               &gridgov_free);
    char* message = dup_string(v.message);
    out->ok = v.ok ? 1 : 0;
    out->problem = static_cast<int32_t>(v.problem);
    out->events_checked = v.events_checked;
    out->events_after_anchor = v.events_after_anchor;
    out->sequence = v.sequence;
    out->case_number = case_number.release();
    out->message = message;
}

}  // namespace

int gridgov_cases_verify_log(gridgov_log_verification* out, const gridgov_workspace* ws,
                             const gridgov_log_anchor* anchor) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        std::optional<gridgov::LogAnchor> expected;
        if (anchor != nullptr) {
            expected.emplace();
            expected->sequence = anchor->sequence;
            std::memcpy(expected->hash.data(), anchor->hash, sizeof anchor->hash);
        }
        put_verification(out, ws->ws.cases().verify_log(expected ? &*expected : nullptr));
    });
}

int gridgov_cases_verify_log_since_checkpoint(gridgov_log_verification* out, uint64_t* checked_from,
                                              const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::LogVerification v = ws->ws.cases().verify_log_since_checkpoint();
        put_verification(out, v);
        if (checked_from != nullptr)
            *checked_from = v.checked_from;
    });
}

int gridgov_cases_sign_off_log(gridgov_log_verification* out, gridgov_log_anchor* checkpoint,
                               gridgov_workspace* ws, const char* by, int64_t at, int full) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(by, "by");
        const gridgov::LogVerification v =
            ws->ws.cases().sign_off_log(by, instant(at, "at"), full != 0);
        put_verification(out, v);
        if (checkpoint != nullptr) {
            gridgov_log_anchor a{};
            if (v.checkpoint) {
                a.sequence = v.checkpoint->sequence;
                std::memcpy(a.hash, v.checkpoint->hash.data(), sizeof a.hash);
            }
            *checkpoint = a;
        }
    });
}

int gridgov_cases_log_checkpoints_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        nlohmann::json all = nlohmann::json::array();
        for (const gridgov::LogCheckpoint& c : ws->ws.cases().log_checkpoints()) {
            all.push_back({{"sequence", c.sequence},
                           {"hash", gridgov::hash_hex(c.hash)},
                           {"cases", c.cases},
                           {"signed_at", c.signed_at.to_string()},
                           {"signed_by", c.signed_by},
                           {"full", c.full},
                           {"events_checked", c.events_checked}});
        }
        *out = dup_string(all.dump());
    });
}

int gridgov_cases_events(gridgov_case_events** out, const gridgov_workspace* ws,
                         gridgov_case_id id) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = new gridgov_case_events{ws->ws.cases().events(id)};
    });
}

void gridgov_case_events_destroy(gridgov_case_events* events) {
    delete events;
}

int gridgov_case_events_count(size_t* out, const gridgov_case_events* events) {
    return guard([&] {
        require(out, "out");
        require(events, "events");
        *out = events->events.size();
    });
}

int gridgov_case_events_get(gridgov_case_event* out, const gridgov_case_events* events,
                            size_t index) {
    return guard([&] {
        require(out, "out");
        require(events, "events");
        *out = c_event(events->events[checked_index(index, events->events, "events")]);
    });
}

int gridgov_cases_observe(uint64_t* out_token, gridgov_workspace* ws,
                          gridgov_case_observer_cb callback, void* user_data) {
    return guard([&] {
        require(out_token, "out_token");
        require(ws, "ws");
        require(reinterpret_cast<const void*>(callback), "callback");
        *out_token = ws->ws.cases().observe([callback, user_data](const gridgov::CaseEvent& e) {
            const gridgov_case_event event = c_event(e);
            // The callback may call gridgov itself; the call that committed the event must
            // still report its own outcome afterwards.
            const std::string message = gridgov::capi::last_error();
            const int status = callback(&event, user_data);
            gridgov::capi::last_error() = message;
            if (status != 0)
                throw ObserverStatus(status);
        });
    });
}

int gridgov_cases_unobserve(gridgov_workspace* ws, uint64_t token) {
    return guard([&] {
        require(ws, "ws");
        if (!ws->ws.cases().unobserve(token)) {
            throw Error(ErrorCode::not_found,
                        "no observer with token " + std::to_string(token) + " is registered");
        }
    });
}

int gridgov_cases_take_observer_failures(gridgov_observer_failure** out, size_t* out_count,
                                         gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        require(ws, "ws");
        std::vector<gridgov_observer_failure> failures;
        for (const gridgov::ObserverFailure& f : ws->ws.cases().take_observer_failures())
            failures.push_back({f.token, f.sequence, failure_status(f.message)});
        *out = gridgov::capi::dup_array(failures);
        *out_count = failures.size();
    });
}

}  // extern "C"
