// The duty subcommands of the gridgov tool (docs/cli.md): the workspace's duty catalogue
// (print, set from a file or a preset), the presets, fulfilments recorded one at a time or
// from a JSON file, and the occurrences and findings of a period read at an instant, over
// ws.duties() (docs/duties.md). Every change is one transaction of the workspace: a refused
// catalogue or fulfilment leaves the workspace file as it was.
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "core/json_text.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/workspace.hpp"
#include "io/csv.hpp"
#include "io/files.hpp"
#include "io/json_fields.hpp"

namespace gridgov::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string preset_list() {
    std::string keys;
    for (const std::string& k : DutyCatalogue::preset_keys())
        keys += (keys.empty() ? "" : ", ") + k;
    return keys;
}

std::string time_text(int minute) {
    const int h = minute / 60;
    const int m = minute % 60;
    return (h < 10 ? "0" : "") + std::to_string(h) + ":" + (m < 10 ? "0" : "") + std::to_string(m);
}

/// When a schedule falls due, in words: "last working day 24:00", "Fri 12:00", "day 15
/// 24:00", "last day 24:00".
std::string due_text(const DutySchedule& s) {
    static const char* const days[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    std::string when;
    if (s.every == Recurrence::daily)
        when = "each working day";
    else if (s.every == Recurrence::weekly)
        when = s.weekday == 0 || s.weekday > 7 ? "last working day" : days[s.weekday];
    else
        when = s.day == 0 ? "last day" : "day " + std::to_string(s.day);
    return when + " " + time_text(s.minute) +
           (s.shift == DueShift::earlier ? "" : std::string(", shift ") + due_shift_name(s.shift));
}

void print_catalogue(const DutyCatalogue& c) {
    std::vector<std::vector<std::string>> rows;
    for (const DutySchedule& s : c.schedules)
        rows.push_back({s.key, s.label_zh.empty() ? "-" : s.label_zh, recurrence_name(s.every),
                        due_text(s), s.owner, s.level.empty() ? "-" : s.level,
                        duty_scope_name(s.per), std::to_string(s.quota)});
    std::cout << "duty catalogue " << (c.key.empty() ? "(none)" : c.key)
              << (c.name.empty() ? "" : " " + c.name) << ": "
              << plural(c.schedules.size(), "schedule", "schedules") << '\n';
    if (!rows.empty())
        print_table({"key", "label", "every", "due", "owner", "level", "per", "quota"}, rows);
}

/// A catalogue given to --set: a file when one exists at the path, else a preset key.
DutyCatalogue catalogue_of(const std::string& given) {
    if (fs::exists(given))
        return DutyCatalogue::from_json(detail::read_file(given, "duty catalogue file"), given);
    for (const std::string& k : DutyCatalogue::preset_keys()) {
        if (k == given)
            return DutyCatalogue::preset(k);
    }
    throw Error(
        ErrorCode::not_found,
        "--set " + given + ": no such file, nor a duty catalogue preset (" + preset_list() + ")");
}

/// Records fulfilments; a refusal of the input names `source` first.
void add_fulfilments(Workspace& ws, const std::vector<DutyFulfilment>& fulfilments,
                     const std::string& source) {
    try {
        ws.duties().add_fulfilments(fulfilments);
    } catch (const Error& e) {
        if (source.empty() || exit_code_for(e.code()) != exit_input)
            throw;
        throw Error(e.code(), source + ": " + e.what());
    }
}

AssessmentPeriod period_of(const std::string& text) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(e.code(), std::string("--period: ") + e.what());
    }
}

std::vector<DutyOccurrence> occurrences_of(const Workspace& ws, const DutyReadOptions& o) {
    const AssessmentPeriod period = period_of(o.period);
    const Instant at = instant_or_now(o.at);
    std::vector<DutyOccurrence> all = ws.duties().occurrences(period, at);
    if (o.subject.empty())
        return all;
    try {
        return duty_occurrences_of(all, o.subject, ws.hierarchy().networks(),
                                   ws.directory().view());
    } catch (const Error& e) {
        throw Error(e.code(), std::string("--subject: ") + e.what());
    }
}

/// When an occurrence is due, on its due day: "2026-02-06 24:00" (the end of the day),
/// "2026-09-04 12:00".
std::string occurrence_due_text(const DutyOccurrence& o) {
    const std::int64_t minutes = (o.due.seconds - Instant::from_local(o.due_date).seconds) / 60;
    return o.due_date.to_string() + " " + time_text(static_cast<int>(minutes));
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items)
        out += (out.empty() ? "" : "|") + s;
    return out;
}

std::string status_counts(const std::vector<DutyOccurrence>& occurrences) {
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const DutyOccurrence& o : occurrences)
        ++counts[static_cast<int>(o.status)];
    return std::to_string(counts[0]) + " on time, " + std::to_string(counts[1]) + " late, " +
           std::to_string(counts[2]) + " open, " + std::to_string(counts[3]) + " missed";
}

}  // namespace

int run_duty_presets(const Global& g) {
    Json j = Json::array();
    std::vector<std::vector<std::string>> rows;
    for (const std::string& key : DutyCatalogue::preset_keys()) {
        const DutyCatalogue c = DutyCatalogue::preset(key);
        j.push_back({{"key", key}, {"name", c.name}, {"schedules", c.schedules.size()}});
        rows.push_back({key, c.name, std::to_string(c.schedules.size())});
    }
    if (g.json)
        print_json(j);
    else
        print_table({"key", "name", "schedules"}, rows);
    return exit_ok;
}

int run_duty_catalogue(const Global& g, const DutyCatalogueOptions& o) {
    if (o.set.empty()) {
        const Workspace ws = open_existing(g, false);
        const DutyCatalogue& c = ws.duties().catalogue();
        if (g.json)
            print_json(Json::parse(c.to_json()));
        else
            print_catalogue(c);
        return exit_ok;
    }
    Workspace ws = open_existing(g, true);
    ws.duties().set_catalogue(catalogue_of(o.set));
    const DutyCatalogue& c = ws.duties().catalogue();
    if (g.json) {
        print_json(Json::parse(c.to_json()));
        return exit_ok;
    }
    std::cout << "set the duty catalogue from " << o.set << ": "
              << plural(c.schedules.size(), "schedule", "schedules") << '\n';
    return exit_ok;
}

int run_duty_fulfil(const Global& g, const DutyFulfilOptions& o) {
    DutyFulfilment f;
    f.duty = o.duty;
    f.place = o.place;
    f.person = o.person;
    f.at = instant_or_now(o.at);
    f.occurrence = o.occurrence;
    f.evidence = o.evidence;
    f.note = o.note;
    // Without --id: the duty, place, person and instant name it (a second record of the
    // same person's fulfilment at the same second is refused as already recorded).
    f.id = o.id.empty() ? f.duty + "@" + f.place + "@" + f.person + "@" + f.at.to_string() : o.id;
    Workspace ws = open_existing(g, true);
    add_fulfilments(ws, {f}, "");
    if (g.json) {
        print_json(Json::parse(fulfilments_to_json({f})).at(0));
        return exit_ok;
    }
    std::cout << "recorded " << f.id << ": " << f.duty << " at " << f.place << " by " << f.person
              << " " << f.at.to_string() << (f.occurrence.empty() ? "" : " for " + f.occurrence)
              << '\n';
    return exit_ok;
}

int run_duty_import(const Global& g, const DutyImportOptions& o) {
    const std::string text = detail::read_file(o.file, "fulfilments file");
    const std::vector<DutyFulfilment> fulfilments =
        fulfilments_from_json(text, o.file);  // errors name the file
    Workspace ws = open_existing(g, true);
    add_fulfilments(ws, fulfilments, o.file);
    if (g.json) {
        print_json(Json{{"file", o.file}, {"added", fulfilments.size()}});
        return exit_ok;
    }
    std::cout << "imported " << o.file << ": "
              << plural(fulfilments.size(), "fulfilment", "fulfilments") << '\n';
    return exit_ok;
}

int run_duty_fulfilments(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<DutyFulfilment>& all = ws.duties().fulfilments();
    if (g.json) {
        print_json(Json::parse(fulfilments_to_json(all)));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const DutyFulfilment& f : all)
        rows.push_back({f.id, f.duty, f.place, f.person, f.at.to_string(),
                        f.occurrence.empty() ? "-" : f.occurrence,
                        f.evidence.empty() ? "-" : joined(f.evidence), f.note});
    if (!rows.empty())
        print_table({"id", "duty", "place", "person", "at", "occurrence", "evidence", "note"},
                    rows);
    std::cout << plural(all.size(), "fulfilment", "fulfilments") << '\n';
    return exit_ok;
}

int run_duty_occurrences(const Global& g, const DutyOccurrencesOptions& o) {
    const bool to_file = !o.output.empty() && o.output != "-";
    const std::string format = document_format(g, o.format, o.output);
    const Workspace ws = open_existing(g, false);
    const std::vector<DutyOccurrence> occurrences = occurrences_of(ws, o.read);
    if (format == "table") {
        std::vector<std::vector<std::string>> rows;
        for (const DutyOccurrence& r : occurrences)
            rows.push_back({r.duty, r.label, r.place, r.person.empty() ? "-" : r.person,
                            occurrence_due_text(r) + (r.assumed ? " (assumed)" : ""),
                            occurrence_status_name(r.status),
                            std::to_string(r.fulfilled) + "/" + std::to_string(r.quota)});
        if (!rows.empty())
            print_table({"duty", "label", "place", "person", "due", "status", "done"}, rows);
        std::cout << plural(occurrences.size(), "occurrence", "occurrences") << ": "
                  << status_counts(occurrences) << '\n';
        return exit_ok;
    }
    const std::vector<std::string> header{"duty",     "label",  "place",   "person",
                                          "due_date", "due",    "quota",   "fulfilled",
                                          "on_time",  "status", "assumed", "fulfilments"};
    std::string text;
    if (format == "csv") {
        detail::append_csv_line(text, header);
        for (const DutyOccurrence& r : occurrences)
            detail::append_csv_line(
                text, {r.duty, r.label, r.place, r.person, r.due_date.to_string(),
                       r.due.to_string(), std::to_string(r.quota), std::to_string(r.fulfilled),
                       std::to_string(r.on_time), occurrence_status_name(r.status),
                       r.assumed ? "true" : "false", joined(r.fulfilments)});
    } else {
        text = Json::parse(occurrences_to_json(occurrences)).dump(2);
    }
    write_output(o.output, text);
    if (to_file && !g.json)
        std::cerr << "wrote " << o.output << '\n';
    return exit_ok;
}

int run_duty_findings(const Global& g, const DutyReadOptions& o) {
    const Workspace ws = open_existing(g, false);
    const std::vector<Finding> findings = duty_findings(occurrences_of(ws, o));
    if (g.json) {
        Json j = Json::array();
        for (const Finding& f : findings)
            j.push_back(finding_json(f));
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const Finding& f : findings)
        rows.push_back({severity_name(f.severity), f.rule, f.where, f.message});
    if (!rows.empty())
        print_table({"severity", "rule", "where", "message"}, rows);
    std::cout << plural(findings.size(), "finding", "findings") << '\n';
    return exit_ok;
}

}  // namespace gridgov::cli
