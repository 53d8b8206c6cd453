// Matter plans: the plan CSV reader and writer, and run_plans() (steps of many matters in
// global time order, ticks between them, batches, refusals reported as findings).
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <sstream>

#include "cases/engine_impl.hpp"
#include "core/text.hpp"
#include "gridgov/plans.hpp"
#include "io/csv.hpp"
#include "io/files.hpp"

namespace gridgov {
namespace {

const std::vector<std::string>& plan_columns() {
    static const std::vector<std::string> columns = {
        "matter",   "step",     "command",    "at",     "actor",  "node",   "category", "source",
        "workflow", "reporter", "department", "amount", "rating", "reason", "evidence", "note"};
    return columns;
}

enum Column : std::size_t {
    c_matter,
    c_step,
    c_command,
    c_at,
    c_actor,
    c_node,
    c_category,
    c_source,
    c_workflow,
    c_reporter,
    c_department,
    c_amount,
    c_rating,
    c_reason,
    c_evidence,
    c_note,
    c_count
};

std::string single_quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

[[noreturn]] void row_error(ErrorCode code, const detail::CsvSource& source, std::size_t line,
                            std::string_view field, const std::string& problem) {
    throw Error(code, source.at(line, field) + ": " + problem);
}

TimeLimit parse_amount(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::string value;
    std::string unit;
    std::string rule;
    in >> value >> unit >> rule;
    std::string extra;
    if (value.empty() || unit.empty() || (in >> extra)) {
        throw Error(ErrorCode::invalid_argument,
                    "an amount is '<value> <unit> [day_rule]', e.g. '3 working_days'; got " +
                        single_quoted(text));
    }
    char* end = nullptr;
    const long long v = std::strtoll(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || v < 0) {
        throw Error(ErrorCode::invalid_argument, "the amount's value " + single_quoted(value) +
                                                     " is not a non-negative whole number");
    }
    TimeLimit limit;
    limit.value = v;
    limit.unit = parse_time_unit(unit);
    if (!rule.empty()) {
        limit.day_rule = parse_working_day_rule(rule);
        if (limit.unit != TimeUnit::working_days) {
            throw Error(ErrorCode::invalid_argument, "the day rule " + single_quoted(rule) +
                                                         " applies to working_days only, not to " +
                                                         single_quoted(unit));
        }
    }
    limit.validate();
    return limit;
}

std::string amount_text(const TimeLimit& limit) {
    std::string out = std::to_string(limit.value) + " " + time_unit_name(limit.unit);
    if (limit.unit == TimeUnit::working_days && limit.day_rule == WorkingDayRule::close_of_business)
        out += " close_of_business";
    return out;
}

Rating parse_rating(std::string_view text) {
    if (text.size() == 1 && text[0] >= '1' && text[0] <= '5')
        return Rating::from_score(text[0] - '0');
    return Rating::of(parse_satisfaction(text));
}

std::vector<std::string> split_evidence(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(';', start), text.size());
        if (end > start)
            out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

std::vector<MatterPlan> parse_matter_plans(std::string_view text, const Hierarchy& hierarchy,
                                           std::string_view source_name) {
    const detail::CsvSource source{std::string(source_name), detail::CsvPlaces::source_row};
    const std::vector<detail::CsvRecord> records = detail::read_csv(text, source);
    if (records.empty()) {
        throw Error(ErrorCode::parse_error,
                    std::string(source_name) + ": empty file; the header row is missing");
    }
    // Header: every column by name, in any order; unknown columns are an error.
    std::vector<std::size_t> at_column(c_count, static_cast<std::size_t>(-1));
    const std::vector<std::string>& names = plan_columns();
    const detail::CsvRecord& header = records.front();
    for (std::size_t i = 0; i < header.cells.size(); ++i) {
        const auto it = std::find(names.begin(), names.end(), header.cells[i]);
        if (it == names.end()) {
            throw Error(ErrorCode::parse_error, source.at(header.line) + ": unknown column " +
                                                    single_quoted(header.cells[i]));
        }
        at_column[static_cast<std::size_t>(it - names.begin())] = i;
    }
    for (std::size_t c = 0; c < c_count; ++c) {
        if (at_column[c] == static_cast<std::size_t>(-1)) {
            throw Error(ErrorCode::parse_error,
                        source.at(header.line) + ": column " + single_quoted(names[c]) +
                            " is missing (the header needs every column of the plan format)");
        }
    }

    std::vector<MatterPlan> plans;
    std::vector<std::string> seen;  // matter keys, for duplicates
    Instant previous;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const detail::CsvRecord& rec = records[r];
        if (rec.cells.size() == 1 && rec.cells[0].empty())
            continue;  // a blank line
        const std::size_t line = rec.line;
        if (rec.cells.size() != header.cells.size()) {
            throw Error(ErrorCode::parse_error,
                        source.at(line) + ": " + std::to_string(rec.cells.size()) +
                            " fields, the header has " + std::to_string(header.cells.size()));
        }
        const auto field = [&](Column c) -> const std::string& { return rec.cells[at_column[c]]; };
        const auto fail = [&](ErrorCode code, Column c, const std::string& problem) {
            row_error(code, source, line, names[c], problem);
        };
        // Reasons and notes are free text; every other cell is one line.
        for (std::size_t c = 0; c < c_count; ++c) {
            const bool free = c == c_reason || c == c_note;
            if (const auto problem =
                    detail::text_problem(field(static_cast<Column>(c)),
                                         free ? detail::TextKind::free : detail::TextKind::line)) {
                fail(ErrorCode::invalid_argument, static_cast<Column>(c), *problem);
            }
        }
        const std::string& matter = field(c_matter);
        if (matter.empty())
            fail(ErrorCode::invalid_argument, c_matter, "required (the matter's case number)");

        CaseCommand cmd;
        try {
            cmd.command = parse_command(field(c_command));
        } catch (const Error& e) {
            fail(ErrorCode::invalid_argument, c_command, e.what());
        }
        try {
            cmd.at = Instant::parse(field(c_at));
        } catch (const Error& e) {
            fail(ErrorCode::invalid_argument, c_at, e.what());
        }
        const std::string& actor = field(c_actor);
        if (actor == "system") {
            cmd.system = true;
        } else {
            cmd.actor = actor;
        }
        cmd.reason = field(c_reason);
        cmd.note = field(c_note);
        cmd.evidence = split_evidence(field(c_evidence));
        cmd.department = field(c_department);
        if (!field(c_amount).empty()) {
            try {
                cmd.amount = parse_amount(field(c_amount));
            } catch (const Error& e) {
                fail(ErrorCode::invalid_argument, c_amount, e.what());
            }
        }
        if (!field(c_rating).empty()) {
            try {
                cmd.rating = parse_rating(field(c_rating));
            } catch (const Error& e) {
                fail(ErrorCode::invalid_argument, c_rating, e.what());
            }
        }
        cmd.category = field(c_category);
        if (!field(c_source).empty()) {
            try {
                cmd.source = case_source_name(parse_case_source(field(c_source)));
            } catch (const Error& e) {
                fail(ErrorCode::invalid_argument, c_source, e.what());
            }
        }
        if (!field(c_node).empty()) {
            const auto node = hierarchy.find(field(c_node));
            if (!node || !hierarchy.is_live(*node)) {
                fail(ErrorCode::not_found, c_node,
                     "no live node with code " + single_quoted(field(c_node)));
            }
            cmd.node = *node;
        }

        const std::string& step_text = field(c_step);
        char* end = nullptr;
        const long step = std::strtol(step_text.c_str(), &end, 10);
        if (step_text.empty() || *end != '\0' || step < 0)
            fail(ErrorCode::invalid_argument, c_step,
                 "not a step number: " + single_quoted(step_text));

        if (step == 0) {
            if (std::find(seen.begin(), seen.end(), matter) != seen.end()) {
                fail(ErrorCode::already_exists, c_matter,
                     "matter " + single_quoted(matter) + " is given twice (its report row again)");
            }
            if (cmd.command != Command::report)
                fail(ErrorCode::invalid_argument, c_command, "step 0 of a matter is its report");
            if (cmd.node == no_node)
                fail(ErrorCode::invalid_argument, c_node, "required on a report row");
            if (cmd.category.empty())
                fail(ErrorCode::invalid_argument, c_category, "required on a report row");
            if (cmd.actor.empty() && !cmd.system) {
                fail(ErrorCode::invalid_argument, c_actor,
                     "required on a report row (a person id, or 'system')");
            }
            seen.push_back(matter);
            MatterPlan plan;
            plan.report.command = std::move(cmd);
            plan.report.number = matter;
            plan.report.workflow = field(c_workflow);
            plan.report.reporter = field(c_reporter);
            previous = plan.report.command.at;
            plans.push_back(std::move(plan));
            continue;
        }
        if (plans.empty() || plans.back().report.number != matter) {
            fail(ErrorCode::invalid_argument, c_step,
                 "step " + std::to_string(step) + " of matter " + single_quoted(matter) +
                     " does not follow that matter's earlier rows (a matter starts with its "
                     "report row, step 0, and its rows come together)");
        }
        MatterPlan& plan = plans.back();
        if (static_cast<std::size_t>(step) != plan.steps.size() + 1) {
            fail(ErrorCode::invalid_argument, c_step,
                 "step " + std::to_string(step) + " of matter " + single_quoted(matter) +
                     " should be step " + std::to_string(plan.steps.size() + 1));
        }
        if (cmd.command == Command::report)
            fail(ErrorCode::invalid_argument, c_command, "only step 0 reports");
        if (cmd.at < previous) {
            fail(ErrorCode::invalid_argument, c_at,
                 cmd.at.to_string() + " comes before the matter's previous step at " +
                     previous.to_string());
        }
        previous = cmd.at;
        plan.steps.push_back(PlannedStep{std::move(cmd)});
    }
    return plans;
}

std::vector<MatterPlan> read_matter_plans(const std::string& path, const Hierarchy& hierarchy) {
    return parse_matter_plans(detail::read_file(path, "plan file"), hierarchy, path);
}

std::string write_matter_plans(const std::vector<MatterPlan>& plans, const Hierarchy& hierarchy) {
    std::string out;
    detail::append_csv_line(out, plan_columns());
    const auto row = [&](const std::string& matter, std::size_t step, const CaseCommand& c,
                         const NewCase* report) {
        std::string evidence;
        for (const std::string& e : c.evidence)
            evidence += (evidence.empty() ? "" : ";") + e;
        std::string rating;
        if (c.rating) {
            rating = c.rating->score != 0 ? std::to_string(c.rating->score)
                                          : satisfaction_name(c.rating->level);
        }
        std::string at = c.at.to_string();
        detail::append_csv_line(
            out, {matter, std::to_string(step), command_name(c.command), at,
                  c.system ? std::string("system") : c.actor,
                  c.node != no_node && hierarchy.is_live(c.node) ? hierarchy.code(c.node) : "",
                  c.category, c.source, report != nullptr ? report->workflow : "",
                  report != nullptr ? report->reporter : "", c.department,
                  c.amount ? amount_text(*c.amount) : "", rating, c.reason, evidence, c.note});
    };
    for (const MatterPlan& p : plans) {
        row(p.report.number, 0, p.report.command, &p.report);
        for (std::size_t i = 0; i < p.steps.size(); ++i)
            row(p.report.number, i + 1, p.steps[i].command, nullptr);
    }
    return out;
}

PlanRunReport run_plans(CaseEngine& engine, const std::vector<MatterPlan>& plans,
                        const PlanRunOptions& options) {
    detail::CaseEngineAccess::impl(engine).require_batch_owner("run plans");
    if (engine.in_batch())
        throw Error(ErrorCode::invalid_state, "run_plans: a batch is already open");
    if (options.tick_interval < 0) {
        throw Error(ErrorCode::invalid_argument,
                    "run_plans: tick_interval must be 0 or a number of seconds");
    }
    PlanRunReport report;
    report.matters = plans.size();

    struct Item {
        std::int64_t at;
        std::uint32_t plan;
        std::uint32_t step;  // 0 = the report
    };
    std::vector<Item> items;
    for (std::size_t p = 0; p < plans.size(); ++p) {
        items.push_back({plans[p].report.command.at.seconds, static_cast<std::uint32_t>(p), 0});
        for (std::size_t s = 0; s < plans[p].steps.size(); ++s) {
            items.push_back({plans[p].steps[s].command.at.seconds, static_cast<std::uint32_t>(p),
                             static_cast<std::uint32_t>(s + 1)});
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        if (a.at != b.at)
            return a.at < b.at;
        if (a.plan != b.plan)
            return a.plan < b.plan;
        return a.step < b.step;
    });

    std::vector<CaseId> ids(plans.size(), no_case);
    std::vector<std::uint8_t> dead(plans.size(), 0);  // a step was refused
    bool ticked = false;
    std::int64_t last_tick = 0;
    const auto tick_to = [&](std::int64_t t) {
        const auto one = [&](std::int64_t when) {
            const TickReport r = engine.tick(Instant{when});
            ++report.ticks;
            report.breaches += r.breaches.size();
            report.escalations += r.escalations;
            last_tick = when;
            ticked = true;
        };
        if (options.tick_interval == 0) {
            if (!ticked || t > last_tick)
                one(t);
            return;
        }
        const std::int64_t n = options.tick_interval;
        const auto floor_div = [](std::int64_t a, std::int64_t b) {
            return a >= 0 ? a / b : -((-a + b - 1) / b);
        };
        const std::int64_t last = floor_div(t, n) * n;
        for (std::int64_t next = ticked ? (floor_div(last_tick, n) + 1) * n : last; next <= last;
             next += n)
            one(next);
    };
    const auto refuse = [&](std::uint32_t p, std::uint32_t s, const std::string& message) {
        ++report.steps_refused;
        dead[p] = 1;
        report.findings.push_back({"plan.refused", Severity::error,
                                   plans[p].report.number + " step " + std::to_string(s), message});
    };

    std::size_t done = 0;
    std::size_t in_batch = 0;
    const auto commit = [&]() -> bool {
        engine.commit_batch();
        ++report.batches_committed;
        in_batch = 0;
        if (options.progress && !options.progress(done, items.size()) && done < items.size()) {
            report.stopped = true;  // a stop after the last step stops nothing
            return false;
        }
        return true;
    };
    engine.begin_batch();
    try {
        for (const Item& item : items) {
            tick_to(item.at);
            const MatterPlan& plan = plans[item.plan];
            if (dead[item.plan] != 0) {
                ++report.steps_skipped;
            } else if (item.step == 0) {
                try {
                    ids[item.plan] = engine.report(plan.report);
                    ++report.cases_reported;
                } catch (const Error& e) {
                    refuse(item.plan, 0, e.what());
                }
            } else {
                const CaseId id = ids[item.plan];
                CaseCommand command = plan.steps[item.step - 1].command;
                bool ready = true;
                if (command.actor.empty() && !command.system) {
                    const std::vector<std::string> who =
                        engine.candidates(id, command.command, command.at);
                    if (who.empty()) {
                        const CommandCheck c = engine.check(id, command);
                        refuse(item.plan, item.step,
                               "nobody may fire " + std::string(command_name(command.command)) +
                                   " on case " + plan.report.number + " at " +
                                   command.at.to_string() +
                                   (c.message.empty() ? std::string() : ": " + c.message));
                        ready = false;
                    } else {
                        command.actor = who.front();
                    }
                }
                if (ready) {
                    try {
                        engine.fire(id, command);
                        ++report.steps_accepted;
                    } catch (const Error& e) {
                        refuse(item.plan, item.step, e.what());
                    }
                }
            }
            ++done;
            if (options.batch_size != 0 && ++in_batch >= options.batch_size) {
                if (!commit())
                    return report;
                engine.begin_batch();
            }
        }
        if (options.tick_until && (!ticked || options.tick_until->seconds > last_tick)) {
            const TickReport r = engine.tick(*options.tick_until);
            ++report.ticks;
            report.breaches += r.breaches.size();
            report.escalations += r.escalations;
        }
        commit();
    } catch (...) {
        if (engine.in_batch())
            engine.rollback_batch();
        throw;
    }
    return report;
}

}  // namespace gridgov
