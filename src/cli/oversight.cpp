// The oversight subcommands of the gridgov tool (docs/cli.md): inspections recorded from a
// JSON file against the recorded draws, the tasks of a draw and the inspection indicators of
// a subject; promises made for matters of the case engine and their ratings recorded from
// JSON files, their progress, the monthly public board (a table, JSON or an HTML page) and
// the promise indicators; hazard entries recorded from a JSON file beside the hazards'
// cases, the hazards read at an instant and the hazard indicators, over ws.oversight()
// (docs/oversight.md). Every change is one transaction of the workspace: a refused file
// leaves the workspace file as it was.
#include <cstdio>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/workspace.hpp"
#include "io/files.hpp"

namespace gridgov::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// A number for a table: at most two decimals, without trailing zeros ("2", "1.5", "83.25").
std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string number_or_dash(const std::optional<double>& v) {
    return v ? number_text(*v) : "-";
}

/// An instant for a table, to the minute in China Standard Time: "2026-03-02T09:00".
std::string instant_text(const Instant& at) {
    return at.to_string().substr(0, 16);
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : separator) + s;
    return out;
}

std::string or_dash(const std::string& text) {
    return text.empty() ? "-" : text;
}

/// Runs a change of the workspace; a refusal of the input names `source` first (the file
/// the change was read from), as `duty import` does.
void named_by(const std::string& source, const std::function<void()>& change) {
    try {
        change();
    } catch (const Error& e) {
        if (exit_code_for(e.code()) != exit_input)
            throw;
        throw Error(e.code(), source + ": " + e.what());
    }
}

/// What a record command prints: `recorded FILE: N things`, or with --json {file, added}.
int print_recorded(const Global& g, const std::string& file, std::size_t n, const char* one,
                   const char* many) {
    if (g.json) {
        print_json(Json{{"file", file}, {"added", n}});
        return exit_ok;
    }
    std::cout << "recorded " << file << ": " << plural(n, one, many) << '\n';
    return exit_ok;
}

/// Indicator values as the C face writes them ({key: {value, reason, sources}}), or a table
/// of indicator, value and sources (the reason in their place when undefined).
int print_values(const Global& g, const IndicatorValues& values) {
    if (g.json) {
        Json j = Json::object();
        for (const auto& [key, v] : values)
            j[key] = Json{{"value", v.value ? Json(*v.value) : Json(nullptr)},
                          {"reason", v.reason},
                          {"sources", v.sources}};
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, v] : values)
        rows.push_back({key, number_or_dash(v.value),
                        v.defined() ? joined(v.sources, " ") : "(" + v.reason + ")"});
    print_table({"indicator", "value", "sources"}, rows);
    return exit_ok;
}

double deduction_of(const Inspection& i) {
    double total = 0;
    for (const InspectionFinding& f : i.findings)
        total += f.deduction;
    return total;
}

}  // namespace

// ---- inspections ---------------------------------------------------------------------------

int run_inspection_record(const Global& g, const OversightFileOptions& o) {
    const std::vector<Inspection> inspections = inspections_from_json(
        detail::read_file(o.file, "inspections file"), o.file);  // errors name the file
    Workspace ws = open_existing(g, true);
    named_by(o.file, [&] { ws.oversight().add_inspections(inspections); });
    return print_recorded(g, o.file, inspections.size(), "inspection", "inspections");
}

int run_inspection_list(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<Inspection>& all = ws.oversight().inspections();
    if (g.json) {
        print_json(Json::parse(inspections_to_json(all)));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const Inspection& i : all)
        rows.push_back({i.id, or_dash(i.draw), i.subject, instant_text(i.at),
                        or_dash(joined(i.inspectors, " ")), std::to_string(i.findings.size()),
                        number_text(deduction_of(i)), i.note});
    if (!rows.empty())
        print_table({"id", "draw", "subject", "at", "inspectors", "findings", "deduction", "note"},
                    rows);
    std::cout << plural(all.size(), "inspection", "inspections") << '\n';
    return exit_ok;
}

int run_inspection_tasks(const Global& g, const InspectionTasksOptions& o) {
    const Workspace ws = open_existing(g, false);
    const std::vector<InspectionTask> tasks = ws.oversight().tasks(o.label);
    if (g.json) {
        print_json(Json::parse(inspection_tasks_to_json(tasks)));
        return exit_ok;
    }
    const Hierarchy& h = ws.hierarchy().view();
    std::size_t done = 0;
    std::vector<std::vector<std::string>> rows;
    for (const InspectionTask& t : tasks) {
        done += t.done() ? 1 : 0;
        const std::optional<NodeId> node = h.find(t.subject);
        rows.push_back({std::to_string(t.pick), t.subject, node ? h.name(*node) : "-",
                        t.done() ? "yes" : "no", or_dash(joined(t.inspections, " ")),
                        std::to_string(t.findings), number_text(t.deduction)});
    }
    if (!rows.empty())
        print_table({"pick", "subject", "name", "done", "inspections", "findings", "deduction"},
                    rows);
    std::cout << "draw " << o.label << ": " << plural(tasks.size(), "task", "tasks") << ", " << done
              << " done, " << tasks.size() - done << " to do\n";
    return exit_ok;
}

int run_inspection_values(const Global& g, const OversightValuesOptions& o) {
    const AssessmentPeriod period = AssessmentPeriod::parse(o.period);
    const Workspace ws = open_existing(g, false);
    return print_values(g, inspection_values(ws.oversight().inspections(), o.subject,
                                             ws.hierarchy().networks(), period));
}

// ---- promises ------------------------------------------------------------------------------

int run_promise_record(const Global& g, const OversightFileOptions& o) {
    const std::vector<Promise> promises =
        promises_from_json(detail::read_file(o.file, "promises file"), o.file);
    Workspace ws = open_existing(g, true);
    named_by(o.file, [&] { ws.oversight().add_promises(promises); });
    return print_recorded(g, o.file, promises.size(), "promise", "promises");
}

int run_promise_rate(const Global& g, const OversightFileOptions& o) {
    const std::vector<PromiseRating> ratings =
        promise_ratings_from_json(detail::read_file(o.file, "ratings file"), o.file);
    Workspace ws = open_existing(g, true);
    named_by(o.file, [&] { ws.oversight().rate_promises(ratings); });
    return print_recorded(g, o.file, ratings.size(), "rating", "ratings");
}

int run_promise_list(const Global& g, const PromiseListOptions& o) {
    const Instant at = instant_or_now(o.at);
    const Workspace ws = open_existing(g, false);
    const std::vector<PromiseProgress> progress = ws.oversight().progress(at);
    if (g.json) {
        print_json(Json::parse(promise_progress_to_json(progress)));
        return exit_ok;
    }
    std::size_t counts[5] = {0, 0, 0, 0, 0};
    std::vector<std::vector<std::string>> rows;
    for (const PromiseProgress& p : progress) {
        ++counts[static_cast<int>(p.state)];
        rows.push_back({p.promise.id, p.promise.case_number, p.promise.what,
                        p.promise.by.to_string(), p.promise.place, or_dash(p.promise.team),
                        promise_state_name(p.state), p.case_state,
                        p.closed_at ? instant_text(*p.closed_at) : "-",
                        number_or_dash(p.citizen_score), number_or_dash(p.team_score)});
    }
    if (!rows.empty())
        print_table({"id", "case", "what", "by", "place", "team", "state", "case state", "closed",
                     "citizen", "self"},
                    rows);
    std::cout << plural(progress.size(), "promise", "promises") << ": " << counts[2] << " kept, "
              << counts[3] << " late, " << counts[1] << " overdue, " << counts[0] << " open, "
              << counts[4] << " voided\n";
    return exit_ok;
}

int run_promise_board(const Global& g, const PromiseBoardOptions& o) {
    const AssessmentPeriod month = AssessmentPeriod::parse(o.month);
    std::optional<Instant> as_of;
    if (!o.at.empty())
        as_of = option_instant("--at", o.at);
    const Workspace ws = open_existing(g, false);
    PromiseBoard board;
    try {
        board = ws.oversight().board(month, o.place, as_of);
    } catch (const Error& e) {
        // The one thing the board does not find is the place.
        if (e.code() != ErrorCode::not_found || o.place.empty())
            throw;
        throw Error(e.code(), std::string("--place: ") + e.what());
    }
    if (!o.html.empty()) {
        write_output(o.html, promise_board_html(board));
        if (o.html != "-" && !g.json)
            std::cerr << "wrote " << o.html << '\n';
        return exit_ok;
    }
    if (g.json) {
        print_json(Json::parse(promise_board_to_json(board)));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const PromiseProgress& p : board.rows)
        rows.push_back({p.promise.id, p.promise.case_number, p.promise.what,
                        p.promise.by.to_string(), promise_state_name(p.state),
                        p.closed_at ? instant_text(*p.closed_at) : "-",
                        number_or_dash(p.citizen_score), number_or_dash(p.team_score)});
    std::cout << board.title << '\n';
    if (!rows.empty())
        print_table({"id", "case", "what", "by", "state", "closed", "citizen", "self"}, rows);
    std::cout << plural(board.rows.size(), "matter", "matters") << ": " << board.kept << " kept, "
              << board.late << " late, " << board.overdue << " overdue, " << board.open
              << " open; citizen mean " << number_or_dash(board.citizen_mean) << ", self mean "
              << number_or_dash(board.team_mean) << '\n';
    return exit_ok;
}

int run_promise_values(const Global& g, const OversightValuesOptions& o) {
    const AssessmentPeriod period = AssessmentPeriod::parse(o.period);
    const Workspace ws = open_existing(g, false);
    // The promises' progress as it stood at the end of the period.
    const std::vector<PromiseProgress> progress = ws.oversight().progress(period.last_instant());
    return print_values(g, promise_values(progress, o.subject, ws.hierarchy().networks(), period));
}

// ---- hazards -------------------------------------------------------------------------------

int run_hazard_record(const Global& g, const OversightFileOptions& o) {
    const std::vector<HazardEntry> entries =
        hazard_entries_from_json(detail::read_file(o.file, "hazards file"), o.file);
    Workspace ws = open_existing(g, true);
    named_by(o.file, [&] { ws.oversight().add_hazard_entries(entries); });
    return print_recorded(g, o.file, entries.size(), "hazard entry", "hazard entries");
}

int run_hazard_entries(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<HazardEntry>& all = ws.oversight().hazard_entries();
    if (g.json) {
        print_json(Json::parse(hazard_entries_to_json(all)));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const HazardEntry& e : all)
        rows.push_back({e.id, e.case_number, instant_text(e.at), e.person, or_dash(e.record),
                        or_dash(e.found_by), e.grade ? hazard_grade_name(*e.grade) : "-",
                        e.deadline ? e.deadline->to_string() : "-",
                        e.progress ? std::to_string(*e.progress) + "%" : "-",
                        or_dash(joined(e.evidence, " ")), e.note});
    if (!rows.empty())
        print_table({"id", "case", "at", "person", "record", "found by", "grade", "deadline",
                     "progress", "evidence", "note"},
                    rows);
    std::cout << plural(all.size(), "hazard entry", "hazard entries") << '\n';
    return exit_ok;
}

int run_hazard_list(const Global& g, const HazardListOptions& o) {
    const Instant at = instant_or_now(o.at);
    const Workspace ws = open_existing(g, false);
    const std::vector<Hazard> hazards = ws.oversight().hazards(at);
    if (g.json) {
        print_json(Json::parse(hazards_to_json(hazards)));
        return exit_ok;
    }
    std::size_t counts[5] = {0, 0, 0, 0, 0};
    std::vector<std::vector<std::string>> rows;
    for (const Hazard& h : hazards) {
        ++counts[static_cast<int>(h.status)];
        rows.push_back({h.case_number, h.node, h.grade ? hazard_grade_name(*h.grade) : "-",
                        h.deadline ? h.deadline->to_string() : "-",
                        std::to_string(h.progress) + "%", hazard_status_name(h.status),
                        std::to_string(h.tier), or_dash(h.record)});
    }
    if (!rows.empty())
        print_table({"case", "node", "grade", "deadline", "progress", "status", "tier", "record"},
                    rows);
    std::cout << plural(hazards.size(), "hazard", "hazards") << ": " << counts[2]
              << " fixed on time, " << counts[3] << " fixed late, " << counts[1] << " overdue, "
              << counts[0] << " open, " << counts[4] << " voided\n";
    return exit_ok;
}

int run_hazard_values(const Global& g, const OversightValuesOptions& o) {
    const AssessmentPeriod period = AssessmentPeriod::parse(o.period);
    const Workspace ws = open_existing(g, false);
    // The hazards as they stood at the end of the period.
    const std::vector<Hazard> hazards = ws.oversight().hazards(period.last_instant());
    return print_values(g, hazard_values(hazards, o.subject, ws.hierarchy().networks(), period));
}

}  // namespace gridgov::cli
