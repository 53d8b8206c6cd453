// The subcommands of the gridgov tool (docs/cli.md). Every change goes through the
// workspace, which writes it in one transaction: a refused file or command leaves the
// workspace file as it was.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "core/json_text.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/import.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"
#include "io/files.hpp"

namespace gridgov::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string format_instant(const Instant& at) {
    if (at == Instant::max() || at == Instant::min())
        return "";
    return at.to_string().substr(0, 16);  // "YYYY-MM-DDTHH:MM" in CST
}

void print_refusals(const Json& j) {
    if (!j.contains("refusals") || j["refusals"].empty())
        return;
    std::vector<std::vector<std::string>> rows;
    for (const Json& f : j["refusals"])
        rows.push_back({f["where"].get<std::string>(), f["message"].get<std::string>()});
    print_table({"refused", "message"}, rows);
}

// ---- import --------------------------------------------------------------------------

// The plan runner's progress line: steps done of the total, on a terminal only.
ProgressFn plan_progress(const std::string& file) {
    if (!stderr_is_tty())
        return {};
    return [file](std::size_t done, std::size_t total) {
        std::cerr << '\r' << file << ' ' << done << '/' << total;
        if (done >= total)
            std::cerr << '\n';
        std::cerr.flush();
        return true;
    };
}

FileImportOptions import_options(const std::string& file, const ImportOptions& o) {
    FileImportOptions options;
    options.kind = o.open311 ? ImportKind::open311 : parse_import_kind(o.kind, "--kind");
    if (!o.effective.empty())
        options.effective = option_date("--effective", o.effective);
    Open311ImportOptions& r = options.open311;
    r.actor = o.actor;
    r.system = o.actor.empty();
    r.source = o.source.empty() ? CaseSource::app : parse_case_source(o.source);
    r.workflow = o.workflow;
    r.node_field = o.node_field;
    r.keep_ids = o.keep_ids;
    if (!o.at.empty())
        r.default_time = option_instant("--at", o.at);
    for (const std::string& m : o.service_map) {
        const std::size_t eq = m.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
            throw Error(ErrorCode::invalid_argument,
                        "--map " + m + ": expected SERVICE_CODE=CATEGORY");
        r.service_map[m.substr(0, eq)] = m.substr(eq + 1);
    }
    options.progress = progress_for(file);
    return options;
}

Json import_one(Workspace& ws, const std::string& file, const ImportOptions& o) {
    FileImportOptions options = import_options(file, o);
    const std::string text = detail::read_file(file);
    if (options.kind == ImportKind::automatic)
        options.kind = detect_import_kind(file, text);
    if (options.kind == ImportKind::plans)
        options.progress = plan_progress(file);
    return Json::parse(import_text(ws, text, file, options).to_json());
}

std::string describe_import(const Json& j) {
    std::string out = j["file"].get<std::string>() + " (" + j["kind"].get<std::string>() + "):";
    bool first = true;
    for (const auto& [key, value] : j.items()) {
        if (key == "file" || key == "kind" || key == "numbers" || key == "refusals" ||
            (value.is_number() && value.get<double>() == 0 && key != "findings"))
            continue;
        out += (first ? " " : ", ") + value.dump() + " " + key;
        first = false;
    }
    return out;
}

// ---- cases ---------------------------------------------------------------------------

TimeLimit parse_amount(const std::string& text) {
    if (!text.empty() && text.front() == '{')
        return TimeLimit::from_json(text);
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        throw Error(ErrorCode::invalid_argument,
                    "--amount " + text + ": expected '<number> <unit>', e.g. '2 working_days'");
    }
    std::string unit = text.substr(used);
    unit.erase(0, unit.find_first_not_of(' '));
    for (int u = 0; u <= static_cast<int>(TimeUnit::working_days); ++u) {
        if (unit == time_unit_name(static_cast<TimeUnit>(u))) {
            TimeLimit limit{value, static_cast<TimeUnit>(u)};
            limit.validate();
            return limit;
        }
    }
    throw Error(ErrorCode::invalid_argument,
                "--amount " + text +
                    ": unknown unit; one of natural_minutes, natural_hours, natural_days, "
                    "working_minutes, working_hours, working_days");
}

Rating parse_rating(const std::string& text) {
    if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit))
        return Rating::from_score(std::stoi(text));
    return Rating::of(parse_satisfaction(text));
}

std::string light_of(const CaseEngine& cases, CaseId id, Instant at) {
    const std::optional<ClockStatus> s = cases.clock_status(id, at);
    return s ? light_name(s->light) : "";
}

std::string deadline_of(const CaseRecord& r) {
    for (const CaseClock& c : r.clocks) {
        if (c.run == ClockRun::counting)
            return format_instant(c.deadline);
    }
    return "";
}

std::string node_code(const Hierarchy& h, NodeId node) {
    return node < h.id_count() ? h.code(node) : "";
}

// An event's fields as `case show` and `follow` print them.
Json event_json(const CaseEvent& e) {
    Json k;
    k["sequence"] = e.sequence;
    k["at"] = e.at.to_string();
    k["type"] = e.type;
    k["from_state"] = e.from_state;
    k["to_state"] = e.to_state;
    k["actor"] = e.system ? Json("system") : Json(e.actor);
    return k;
}

Json case_json(const Workspace& ws, const CaseRecord& r, Instant at) {
    const Hierarchy& h = ws.hierarchy().view();
    Json j;
    j["number"] = r.number;
    j["workflow"] = r.workflow + "@" + std::to_string(r.workflow_version);
    j["state"] = r.state;
    j["kind"] = state_kind_name(r.kind);
    j["category"] = r.category;
    j["node"] = node_code(h, r.node);
    j["source"] = case_source_name(r.source);
    j["reporter"] = r.reporter;
    j["department"] = r.department;
    j["tier"] = r.tier;
    j["breached"] = r.breached;
    j["flags"] = r.flags;
    j["reported_at"] = r.reported_at.to_string();
    j["updated_at"] = r.updated_at.to_string();
    j["closed_at"] = r.closed_at ? Json(r.closed_at->to_string()) : Json(nullptr);
    const std::string deadline = deadline_of(r);
    j["deadline"] = deadline.empty() ? Json(nullptr) : Json(deadline);
    const std::string light = light_of(ws.cases(), r.id, at);
    j["light"] = light.empty() ? Json(nullptr) : Json(light);
    return j;
}

CaseFilter filter_from(const Workspace& ws, const ListOptions& o, Instant at) {
    CaseFilter f;
    if (!o.subtree.empty())
        f.subtree = ws.hierarchy().view().at(o.subtree);
    if (!o.state.empty())
        f.states.push_back(o.state);
    if (!o.kind.empty())
        f.kind = parse_state_kind(o.kind);
    f.category_prefix = o.category;
    if (!o.source.empty())
        f.source = parse_case_source(o.source);
    f.department = o.department;
    f.workflow = o.workflow;
    if (o.breached)
        f.breached = true;
    if (!o.light.empty()) {
        bool known = false;
        for (Light l : {Light::green, Light::yellow, Light::red}) {
            if (o.light == light_name(l)) {
                f.light = l;
                known = true;
            }
        }
        if (!known)
            throw Error(ErrorCode::invalid_argument,
                        "--light " + o.light + ": one of green, yellow, red");
    }
    f.overdue = o.overdue;
    f.at = at;
    if (!o.from.empty())
        f.reported_from = option_instant("--from", o.from);
    if (!o.until.empty())
        f.reported_until = option_instant("--until", o.until);
    return f;
}

/// `case list --columns`: the chosen fields of the matching cases, read as columns.
int print_case_columns(const Global& g, const Workspace& ws, const CaseFilter& filter,
                       const ListOptions& o) {
    std::vector<CaseField> fields;
    for (const std::string& name : o.columns) {
        try {
            fields.push_back(parse_case_field(name));
        } catch (const Error& e) {
            throw Error(ErrorCode::invalid_argument, std::string("--columns: ") + e.what());
        }
    }
    CaseColumns c = ws.cases().columns(filter, fields);
    const Hierarchy& h = ws.hierarchy().view();
    const auto instant = [](std::int64_t t) {
        return t == Instant::max().seconds ? std::string("-") : format_instant(Instant{t});
    };
    // One cell of each field as text (JSON: as its own type).
    const auto cell = [&](CaseField f, std::size_t i) -> Json {
        switch (f) {
            case CaseField::id:
                return c.id[i];
            case CaseField::number:
                return c.number[i];
            case CaseField::workflow:
                return c.workflow[i];
            case CaseField::category:
                return c.category[i];
            case CaseField::node:
                return node_code(h, c.node[i]);
            case CaseField::source:
                return case_source_name(c.source[i]);
            case CaseField::state:
                return c.state[i];
            case CaseField::kind:
                return state_kind_name(c.kind[i]);
            case CaseField::department:
                return c.department[i];
            case CaseField::tier:
                return c.tier[i];
            case CaseField::breached:
                return c.breached[i] != 0;
            case CaseField::reported_at:
                return instant(c.reported_at[i]);
            case CaseField::updated_at:
                return instant(c.updated_at[i]);
            case CaseField::closed_at:
                return c.closed_at[i] == Instant::max().seconds ? Json()
                                                                : Json(instant(c.closed_at[i]));
            case CaseField::deadline:
                return c.deadline[i] == Instant::max().seconds ? Json()
                                                               : Json(instant(c.deadline[i]));
        }
        return Json();
    };
    std::size_t rows = c.size();
    if (o.limit > 0)
        rows = std::min(rows, o.limit);
    if (g.json) {
        Json j = Json::array();
        for (std::size_t i = 0; i < rows; ++i) {
            Json row = Json::object();
            for (const CaseField f : fields)
                row[case_field_name(f)] = cell(f, i);
            j.push_back(std::move(row));
        }
        print_json(j);
        return exit_ok;
    }
    std::vector<std::string> header;
    for (const CaseField f : fields)
        header.emplace_back(case_field_name(f));
    std::vector<std::vector<std::string>> table;
    for (std::size_t i = 0; i < rows; ++i) {
        std::vector<std::string> row;
        for (const CaseField f : fields) {
            const Json v = cell(f, i);
            if (v.is_string())
                row.push_back(v.get<std::string>().empty() ? "-" : v.get<std::string>());
            else if (v.is_boolean())
                row.emplace_back(v.get<bool>() ? "yes" : "no");
            else
                row.push_back(v.is_null() ? "-" : v.dump());
        }
        table.push_back(std::move(row));
    }
    print_table(header, table);
    std::cout << rows << " cases\n";
    return exit_ok;
}

CaseGroup parse_group(const std::string& text) {
    try {
        return parse_case_group(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string("--count-by: ") + e.what());
    }
}

std::array<std::uint8_t, 32> parse_hash(const std::string& hex, const std::string& what) {
    std::array<std::uint8_t, 32> out{};
    if (hex.size() != 64)
        throw Error(ErrorCode::invalid_argument, what + ": the hash has 64 hexadecimal digits");
    for (std::size_t i = 0; i < 32; ++i) {
        const std::string byte = hex.substr(2 * i, 2);
        if (!std::isxdigit(static_cast<unsigned char>(byte[0])) ||
            !std::isxdigit(static_cast<unsigned char>(byte[1])))
            throw Error(ErrorCode::invalid_argument, what + ": '" + byte + "' is not hexadecimal");
        out[i] = static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16));
    }
    return out;
}

}  // namespace

// ---- init ------------------------------------------------------------------------------

int run_init(const Global& g, const InitOptions& o) {
    need_workspace(g);
    const bool exists = fs::exists(g.workspace);
    if (exists && !o.force)
        throw Error(ErrorCode::already_exists,
                    g.workspace + " exists already; pass --force to replace it");
    if (!exists) {
        Workspace::open(g.workspace);
    } else {
        // The new file is made beside the old one and renamed over it: a failure leaves
        // the old workspace in place.
        const std::string fresh = g.workspace + ".new";
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(fresh + suffix);
        { Workspace::open(fresh); }
        for (const char* suffix : {"-wal", "-shm", "-journal"})
            fs::remove(g.workspace + suffix);
        std::error_code ec;
        fs::rename(fresh, g.workspace, ec);
        if (ec)
            throw Error(ErrorCode::storage, "cannot replace " + g.workspace + ": " + ec.message());
    }
    if (g.json) {
        Json j;
        j["workspace"] = g.workspace;
        j["schema_version"] = Workspace::schema_version();
        print_json(j);
    } else {
        std::cout << "created " << g.workspace << " (schema " << Workspace::schema_version()
                  << ")\n";
    }
    return exit_ok;
}

// ---- import ----------------------------------------------------------------------------

int run_import(const Global& g, const ImportOptions& o) {
    Workspace ws = open_existing(g, true);
    Json all = Json::array();
    bool refused = false;
    for (const std::string& file : o.files) {
        Json j = import_one(ws, file, o);
        refused = refused || (j.contains("refusals") && !j["refusals"].empty());
        if (!g.json) {
            std::cout << "imported " << describe_import(j) << '\n';
            print_refusals(j);
        }
        all.push_back(std::move(j));
    }
    if (g.json)
        print_json(all);
    return refused ? exit_findings : exit_ok;
}

// ---- run -------------------------------------------------------------------------------

int run_run(const Global& g, const RunOptions& o) {
    Workspace ws = open_existing(g, true);
    Json all = Json::array();
    bool refused = false;
    for (const std::string& file : o.files) {
        FileImportOptions options;
        options.kind = ImportKind::plans;
        options.plan_batch_size = o.batch;
        options.plan_tick_interval = o.tick_interval;
        if (!o.tick_until.empty())
            options.plan_tick_until = option_instant("--tick-until", o.tick_until);
        options.progress = plan_progress(file);
        Json j = Json::parse(import_file(ws, file, options).to_json());
        refused = refused || !j["refusals"].empty();
        if (!g.json) {
            std::cout << "ran " << describe_import(j) << '\n';
            print_refusals(j);
        }
        all.push_back(std::move(j));
    }
    if (g.json)
        print_json(all);
    return refused ? exit_findings : exit_ok;
}

// ---- draw ------------------------------------------------------------------------------

int run_draw(const Global& g, const DrawOptions& o) {
    if (o.list) {
        const Workspace ws = open_existing(g, false);
        bool all_verified = true;
        Json j = Json::array();
        std::vector<std::vector<std::string>> rows;
        for (const StoredDraw& d : ws.assessment().draws()) {
            all_verified = all_verified && d.verified;
            Json k = Json::parse(draw_to_json(d.record));
            k["label"] = d.label;
            k["verified"] = d.verified;
            j.push_back(std::move(k));
            std::string picks;
            for (const std::string& p : d.record.picks)
                picks += (picks.empty() ? "" : " ") + p;
            rows.push_back(
                {d.label, std::to_string(d.record.spec.seed), d.verified ? "yes" : "NO", picks});
        }
        if (g.json) {
            print_json(j);
        } else {
            if (!rows.empty())
                print_table({"label", "seed", "re-runs", "picks"}, rows);
            std::cout << rows.size() << " draws"
                      << (all_verified ? "" : "; some do not re-run to their recorded picks")
                      << '\n';
        }
        return all_verified ? exit_ok : exit_findings;
    }
    if (o.label.empty())
        throw Error(ErrorCode::invalid_argument, "draw: a label is required (or --list)");
    if (!o.seed_given)
        throw Error(ErrorCode::invalid_argument,
                    "draw: --seed is required (publish it so that the draw can be re-run)");
    Workspace ws = open_existing(g, true);
    const Hierarchy& h = ws.hierarchy().view();
    const int level = h.levels().index_of(o.level);
    if (level < 0)
        throw Error(ErrorCode::invalid_argument, "--level " + o.level + ": not a level");
    int strata = -1;
    if (!o.strata_level.empty()) {
        strata = h.levels().index_of(o.strata_level);
        if (strata < 0 || strata >= level)
            throw Error(ErrorCode::invalid_argument,
                        "--strata-level " + o.strata_level + ": not a level above " + o.level);
    }
    const NodeId scope = o.subtree.empty() ? no_node : h.at(o.subtree);
    DrawSpec spec;
    spec.seed = o.seed;
    spec.count = o.count;
    for (NodeId id : h.nodes_at_level(level)) {
        if (scope != no_node && !h.is_ancestor(scope, id))
            continue;
        spec.candidates.push_back(h.code(id));
        if (strata >= 0) {
            NodeId up = id;
            while (up != no_node && h.level(up) > strata)
                up = h.parent(up);
            spec.strata.push_back(up == no_node ? std::string() : h.code(up));
        }
    }
    for (const std::string& label : o.avoid) {
        bool found = false;
        for (const StoredDraw& d : ws.assessment().draws()) {
            if (d.label == label) {
                spec.avoid.insert(spec.avoid.end(), d.record.picks.begin(), d.record.picks.end());
                found = true;
            }
        }
        if (!found)
            throw Error(ErrorCode::not_found, "--avoid " + label + ": no draw recorded under it");
    }
    const DrawRecord record = draw(spec);
    ws.assessment().record_draw(o.label, record);
    if (g.json) {
        Json j = Json::parse(draw_to_json(record));
        j["label"] = o.label;
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const std::string& code : record.picks)
        rows.push_back({code, h.name(h.at(code))});
    print_table({"code", "name"}, rows);
    std::cout << "draw " << o.label << ": " << record.picks.size() << " of "
              << spec.candidates.size() << " " << o.level << " nodes, seed " << spec.seed << ", "
              << record.algorithm << '\n';
    return exit_ok;
}

// ---- assess ------------------------------------------------------------------------------

namespace {

/// The overlay unit a subject code names as a place ("fire_safety:XF-01"), or nullopt for
/// anything else (a node code, a department, a person).
std::optional<std::pair<const Overlay*, NodeId>> unit_of(const Networks& networks,
                                                         const std::string& code) {
    const std::size_t colon = code.find(':');
    if (colon == std::string::npos)
        return std::nullopt;
    const Overlay* overlay = networks.find_overlay(std::string_view(code).substr(0, colon));
    if (overlay == nullptr)
        return std::nullopt;
    const std::optional<NodeId> unit = overlay->units().find(code.substr(colon + 1));
    if (!unit)
        return std::nullopt;
    return std::pair{overlay, *unit};
}

}  // namespace

int run_assess(const Global& g, const AssessOptionsCli& o) {
    Workspace ws = open_existing(g, !o.no_store);
    const Hierarchy& h = ws.hierarchy().view();
    const AssessmentScheme scheme =
        fs::is_regular_file(o.scheme)
            ? AssessmentScheme::from_json(detail::read_file(o.scheme), o.scheme)
            : AssessmentScheme::preset(o.scheme);
    const AssessmentPeriod period = AssessmentPeriod::parse(o.period);
    WorkspaceAssessOptions options;
    // --level is the level of the units with --units, of the posts with --workers, else
    // the level of the nodes; two kinds of subjects are refused by assess().
    options.units = o.units;
    options.grid_workers = o.workers;
    if (!o.units.empty()) {
        options.unit_level = o.level;
    } else if (o.workers) {
        if (!o.level.empty())
            options.worker_level = o.level;
    } else if (!o.level.empty()) {
        options.level = o.level;
    }
    options.departments = o.departments;
    options.roles = o.roles;
    options.subjects = o.subjects;
    options.default_area_class = o.default_area_class;
    if (!o.duties_at.empty())
        options.duties_at = option_instant("--duties-at", o.duties_at);
    options.store = !o.no_store;
    if (o.record_checks)
        options.extra = ws.records().check_indicators(period);
    const AssessmentRun run = ws.assessment().assess(scheme, period, options);

    std::string format = lower(o.format);
    if (format.empty() && !o.output.empty() && o.output != "-")
        format = lower(fs::path(o.output).extension().string()).erase(0, 1);
    if (format.empty())
        format = g.json ? "json" : "table";
    if (format == "csv") {
        write_output(o.output, scores_to_csv(run.scores));
    } else if (format == "json") {
        Json j;
        j["scheme"] = scheme.key();
        j["period"] = period.label();
        j["stored"] = !o.no_store;
        j["scores"] = Json::parse(scores_to_json(run.scores));
        Json flags = Json::array();
        for (const RuleFlag& f : run.flags)
            flags.push_back(Json::parse(rule_flag_to_json(f)));
        j["flags"] = std::move(flags);
        write_output(o.output, j.dump(2));
    } else if (format == "table") {
        if (!o.output.empty() && o.output != "-")
            throw Error(ErrorCode::invalid_argument, "--format table goes to standard output");
        const Networks networks = ws.hierarchy().networks();
        std::vector<std::vector<std::string>> rows;
        for (const ScoreResult& r : run.scores) {
            std::string name;
            if (const std::optional<NodeId> node = h.find(r.subject.code))
                name = h.name(*node);
            else if (const std::optional<std::pair<const Overlay*, NodeId>> unit =
                         unit_of(networks, r.subject.code))
                name = unit->first->units().name(unit->second);
            else if (const Department* d = ws.cases().departments().find(r.subject.code))
                name = d->name_zh;
            else if (const std::optional<PersonId> p =
                         ws.directory().view().find_person(r.subject.code))
                name = ws.directory().view().person(*p).name;
            std::string flags;
            for (const RuleFlag& f : run.flags) {
                if (f.subject == r.subject.code)
                    flags += (flags.empty() ? "" : ", ") + f.rule;
            }
            char total[32] = "-";
            if (r.total)
                std::snprintf(total, sizeof total, "%.2f", *r.total);
            rows.push_back(
                {r.rank > 0 ? std::to_string(r.rank) + "/" + std::to_string(r.peers) : "-",
                 r.subject.code, name, total, r.grade.empty() ? "-" : r.grade,
                 r.failing ? "failing" : "", flags});
        }
        print_table({"rank", "subject", "name", "total", "grade", "", "flags"}, rows);
        std::cout << scheme.key() << ' ' << period.label() << ": " << run.scores.size()
                  << " subjects, " << run.flags.size() << " flags"
                  << (o.no_store ? " (not stored)" : ", stored") << '\n';
    } else {
        throw Error(ErrorCode::invalid_argument, "--format " + format + ": table, json or csv");
    }
    return exit_ok;
}

// ---- report ------------------------------------------------------------------------------

int run_report_page(const Global& g, const PageOptions& o) {
    const Workspace ws = open_existing(g, false);
    gridgov::ReportOptions options;
    options.title = o.title;
    options.scope = o.scope;
    options.board_level = o.level;
    options.verify_log = !o.no_verify;
    const ReportData data = collect_report_data(ws, instant_or_now(o.at), options);
    if (g.json) {
        write_output(o.output, report_json(data));
    } else if (o.output.empty() || o.output == "-") {
        write_output("", report_html(data));
    } else {
        write_report_html(data, o.output);
        std::cerr << "wrote " << o.output << '\n';
    }
    return exit_ok;
}

// ---- board -----------------------------------------------------------------------------

int run_board(const Global& g, const BoardOptions& o) {
    const Workspace ws = open_existing(g, false);
    LightBoardOptions options;
    options.overlay = o.overlay;
    // Without --level: grid rows, or with --overlay every unit of the overlay.
    options.level = o.level.empty() && o.overlay.empty() ? "grid" : o.level;
    options.scope = o.scope;
    const LightBoard board = light_board(ws, instant_or_now(o.at), options);
    if (g.json) {
        print_json(Json::parse(light_board_json(board)));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    auto row = [&](const BoardRow& r) {
        rows.push_back({r.code, r.name, std::to_string(r.cases), std::to_string(r.open),
                        std::to_string(r.green), std::to_string(r.yellow), std::to_string(r.red),
                        std::to_string(r.overdue), std::to_string(r.closed_on_time),
                        std::to_string(r.closed_late), std::to_string(r.voided)});
    };
    for (const BoardRow& r : board.rows)
        row(r);
    BoardRow total = board.total;
    if (total.name.empty())
        total.name = "total";
    row(total);
    print_table({"code", "name", "cases", "open", "green", "yellow", "red", "overdue", "on time",
                 "late", "voided"},
                rows);
    return exit_ok;
}

// ---- validate --------------------------------------------------------------------------

int run_validate(const Global& g, const ValidateOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Directory& dir = ws.directory().view();
    const CaseEngine& cases = ws.cases();
    ValidationPolicy policy;
    if (!o.sizing.empty()) {
        bool known = false;
        for (const SizingPolicy& p : SizingPolicy::presets()) {
            if (p.name == o.sizing) {
                policy.sizing = p;
                known = true;
            }
        }
        if (!known)
            throw Error(ErrorCode::invalid_argument, "--sizing " + o.sizing + ": no such preset");
    }
    const Date date = date_or_today(o.date);
    std::vector<Finding> findings = ws.hierarchy().validate(policy);
    const auto add = [&](std::vector<Finding> more) {
        findings.insert(findings.end(), std::make_move_iterator(more.begin()),
                        std::make_move_iterator(more.end()));
    };
    CompliancePolicy staffing;
    staffing.cardinality = o.cardinality;
    staffing.max_primary_grids = o.max_primary_grids;
    add(dir.compliance(ws.hierarchy().networks(), date, staffing));
    add(cases.categories().validate());
    // Departments may serve overlay units and routing rules send cases into overlays.
    const Networks networks = ws.hierarchy().networks();
    add(cases.departments().validate(networks, &dir));
    add(cases.routing().validate(networks, cases.categories(), cases.departments()));
    for (const std::string& key : cases.workflows().keys())
        add(cases.workflows().latest(key).validate(nullptr, &cases.categories()));

    std::size_t errors = 0;
    for (const Finding& f : findings)
        errors += f.severity == Severity::error ? 1 : 0;
    if (g.json) {
        Json j = Json::array();
        for (const Finding& f : findings)
            j.push_back(finding_json(f));
        print_json(j);
    } else {
        std::vector<std::vector<std::string>> rows;
        for (const Finding& f : findings)
            rows.push_back({severity_name(f.severity), f.rule, f.where, f.message});
        if (!rows.empty())
            print_table({"severity", "rule", "where", "message"}, rows);
        std::cout << findings.size() << " findings, " << errors << " errors\n";
    }
    return errors > 0 ? exit_findings : exit_ok;
}

// ---- cases -----------------------------------------------------------------------------

int run_case_report(const Global& g, const CaseReportOptions& o) {
    Workspace ws = open_existing(g, true);
    NewCase report;
    report.command.command = Command::report;
    report.command.category = o.category;
    report.command.node = ws.hierarchy().view().at(o.node);
    report.command.actor = o.actor;
    report.command.system = o.system;
    report.command.at = instant_or_now(o.at);
    report.command.source = o.source;
    report.command.note = o.note;
    report.workflow = o.workflow;
    report.reporter = o.reporter;
    report.number = o.number;
    const CaseId id = ws.cases().report(report);
    const CaseRecord r = ws.cases().get(id);
    if (g.json) {
        print_json(case_json(ws, r, r.reported_at));
    } else {
        std::cout << r.number << "  " << r.state << "  " << r.workflow << '@' << r.workflow_version
                  << '\n';
    }
    return exit_ok;
}

int run_case_transition(const Global& g, const TransitionOptions& o) {
    Workspace ws = open_existing(g, true);
    CaseEngine& cases = ws.cases();
    const CaseId id = cases.at(o.number);
    CaseCommand c;
    c.command = parse_command(o.command);
    c.at = instant_or_now(o.at);
    c.actor = o.actor;
    c.system = o.system;
    c.reason = o.reason;
    c.evidence = o.evidence;
    c.note = o.note;
    c.department = o.department;
    c.category = o.category;
    if (!o.amount.empty())
        c.amount = parse_amount(o.amount);
    if (!o.rating.empty())
        c.rating = parse_rating(o.rating);
    const std::string from = cases.state(id);
    const EventSeq seq = cases.fire(id, c);
    const CaseRecord r = cases.get(id);
    if (g.json) {
        Json j = case_json(ws, r, c.at);
        j["event"] = seq;
        j["from_state"] = from;
        print_json(j);
    } else {
        std::cout << r.number << "  " << from << " -> " << r.state << "  (event " << seq << ")\n";
    }
    return exit_ok;
}

int run_case_show(const Global& g, const ShowOptions& o) {
    const Workspace ws = open_existing(g, false);
    const CaseEngine& cases = ws.cases();
    const CaseId id = cases.at(o.number);
    const Instant at = instant_or_now(o.at);
    const CaseRecord r = cases.get(id);
    Json j = case_json(ws, r, at);
    Json clocks = Json::array();
    for (const CaseClock& c : r.clocks) {
        Json k;
        k["stage"] = c.stage;
        k["run"] = clock_run_name(c.run);
        k["limit"] = Json::parse(c.limit.to_json());
        k["deadline"] = c.deadline.to_string();
        k["extensions"] = c.extensions;
        k["breached"] = c.breached;
        clocks.push_back(std::move(k));
    }
    j["clocks"] = std::move(clocks);
    Json history = Json::array();
    for (const CaseEvent& e : cases.events(id)) {
        Json k = event_json(e);
        k["payload"] = e.payload.empty() ? Json::object() : Json::parse(e.payload);
        k["hash"] = hash_hex(e.hash);
        history.push_back(std::move(k));
    }
    j["history"] = std::move(history);
    if (g.json) {
        print_json(j);
        return exit_ok;
    }
    const Hierarchy& h = ws.hierarchy().view();
    std::cout << r.number << "  " << r.category;
    if (const Category* cat = cases.categories().find(r.category))
        std::cout << ' ' << cat->name_zh;
    std::cout << "\n  node        " << node_code(h, r.node);
    if (h.is_live(r.node))
        std::cout << ' ' << h.name(r.node);
    std::cout << "\n  workflow    " << r.workflow << '@' << r.workflow_version << "\n  state       "
              << r.state << " (" << state_kind_name(r.kind) << ")"
              << "\n  source      " << case_source_name(r.source) << "\n  department  "
              << (r.department.empty() ? "-" : r.department) << "\n  reported    "
              << format_instant(r.reported_at);
    const std::string deadline = deadline_of(r);
    if (!deadline.empty())
        std::cout << "\n  deadline    " << deadline << "  " << light_of(cases, id, at) << " at "
                  << format_instant(at);
    if (r.breached)
        std::cout << "\n  breached    " << r.breaches << " time(s)";
    std::cout << "\n\nhistory\n";
    std::vector<std::vector<std::string>> rows;
    for (const CaseEvent& e : cases.events(id)) {
        rows.push_back({std::to_string(e.sequence), format_instant(e.at), e.type,
                        e.from_state.empty() ? "-" : e.from_state, e.to_state,
                        e.system ? "system" : e.actor});
    }
    print_table({"seq", "at", "event", "from", "to", "actor"}, rows);
    return exit_ok;
}

int run_case_list(const Global& g, const ListOptions& o) {
    const Workspace ws = open_existing(g, false);
    const CaseEngine& cases = ws.cases();
    const Instant at = instant_or_now(o.at);
    const CaseFilter filter = filter_from(ws, o, at);
    if (!o.count_by.empty()) {
        const CaseGroup group = parse_group(o.count_by);
        if (group == CaseGroup::node && o.level.empty())
            throw Error(ErrorCode::invalid_argument, "--count-by node needs --level");
        const std::vector<GroupCount> counts = cases.count_by(group, filter, o.level);
        if (g.json) {
            Json j = Json::object();
            for (const GroupCount& c : counts)
                j[c.key] = c.count;
            print_json(j);
        } else {
            std::vector<std::vector<std::string>> rows;
            for (const GroupCount& c : counts)
                rows.push_back({c.key.empty() ? "-" : c.key, std::to_string(c.count)});
            print_table({o.count_by, "cases"}, rows);
        }
        return exit_ok;
    }
    if (!o.columns.empty())
        return print_case_columns(g, ws, filter, o);
    std::vector<CaseId> ids = cases.select(filter);
    if (o.limit > 0 && ids.size() > o.limit)
        ids.resize(o.limit);
    if (g.json) {
        Json j = Json::array();
        for (CaseId id : ids)
            j.push_back(case_json(ws, cases.get(id), at));
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (CaseId id : ids) {
        const CaseRecord r = cases.get(id);
        rows.push_back({r.number, r.state, r.category, node_code(ws.hierarchy().view(), r.node),
                        r.department.empty() ? "-" : r.department, format_instant(r.reported_at),
                        deadline_of(r), light_of(cases, id, at)});
    }
    print_table(
        {"number", "state", "category", "node", "department", "reported", "deadline", "light"},
        rows);
    std::cout << ids.size() << " cases\n";
    return exit_ok;
}

// ---- tick ------------------------------------------------------------------------------

int run_tick(const Global& g, const TickOptions& o) {
    Workspace ws = open_existing(g, true);
    const Instant now = instant_or_now(o.now, "--now");
    CaseEngine& cases = ws.cases();
    const TickReport r = cases.tick(now);
    if (g.json) {
        Json j;
        j["now"] = now.to_string();
        Json lights = Json::array();
        for (const LightChange& c : r.lights) {
            Json k;
            k["case"] = cases.get(c.case_id).number;
            k["stage"] = c.stage;
            k["from"] = light_name(c.from);
            k["to"] = light_name(c.to);
            lights.push_back(std::move(k));
        }
        j["lights"] = std::move(lights);
        j["breaches"] = r.breaches;
        j["escalations"] = r.escalations;
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const LightChange& c : r.lights)
        rows.push_back(
            {cases.get(c.case_id).number, c.stage, light_name(c.from), light_name(c.to)});
    if (!rows.empty())
        print_table({"case", "stage", "from", "to"}, rows);
    std::cout << "tick " << format_instant(now) << ": " << r.lights.size() << " light changes, "
              << r.breaches.size() << " breaches, " << r.escalations << " escalations\n";
    return exit_ok;
}

// ---- verify-log ------------------------------------------------------------------------

int run_follow(const Global& g, const FollowOptions& o) {
    if (o.from < -1)
        throw Error(ErrorCode::invalid_argument,
                    "--from " + std::to_string(o.from) + ": a sequence is 0 or more");
    if (o.timeout < 0)
        throw Error(ErrorCode::invalid_argument, "--timeout: seconds are 0 or more");
    Workspace ws = open_existing(g, false);
    std::size_t printed = 0;
    const auto print = [&](const CaseEvent& e) {
        if (o.count != 0 && printed >= o.count)
            return;
        if (g.json) {
            Json j = event_json(e);
            j["case"] = e.case_number;
            std::cout << j.dump() << '\n';
        } else {
            std::cout << e.sequence << "  " << format_instant(e.at) << "  " << e.case_number << "  "
                      << e.type << "  " << (e.from_state.empty() ? "-" : e.from_state) << " -> "
                      << e.to_state << "  " << (e.system ? "system" : e.actor) << '\n';
        }
        std::cout.flush();
        ++printed;
    };
    CaseEngine& cases = ws.cases();
    if (o.from >= 0) {
        for (const CaseEvent& e :
             cases.events_between(static_cast<EventSeq>(o.from) + 1, cases.last_sequence() + 1))
            print(e);
    }
    cases.observe(print);
    const auto start = std::chrono::steady_clock::now();
    const auto interval = std::chrono::milliseconds(o.interval);
    while (o.count == 0 || printed < o.count) {
        if (o.timeout > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
                o.timeout)
            break;
        ws.refresh();
        if (o.count != 0 && printed >= o.count)
            break;
        std::this_thread::sleep_for(interval);
    }
    return exit_ok;
}

int run_copy(const Global& g, const CopyOptions& o) {
    const Workspace::CopySummary summary = Workspace::copy(o.from, o.to);
    if (g.json) {
        Json j;
        j["tables"] = summary.tables;
        j["rows"] = summary.rows;
        std::cout << j.dump() << "\n";
    } else {
        // The destination is not repeated: a URI may hold a password.
        std::cout << "copied " << summary.rows << " rows of " << summary.tables << " tables\n";
    }
    return 0;
}

Json checkpoint_json(const LogCheckpoint& c) {
    Json j;
    j["sequence"] = c.sequence;
    j["hash"] = hash_hex(c.hash);
    j["cases"] = c.cases;
    j["signed_at"] = c.signed_at.to_string();
    j["signed_by"] = c.signed_by;
    j["full"] = c.full;
    j["events_checked"] = c.events_checked;
    return j;
}

int run_log_checkpoints(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<LogCheckpoint> all = ws.cases().log_checkpoints();
    if (g.json) {
        Json j = Json::array();
        for (const LogCheckpoint& c : all)
            j.push_back(checkpoint_json(c));
        print_json(j);
        return exit_ok;
    }
    if (all.empty()) {
        std::cout << "no checkpoint: gridgov verify-log --sign-off NAME records one\n";
        return exit_ok;
    }
    for (const LogCheckpoint& c : all) {
        std::cout << "event " << c.sequence << ':' << hash_hex(c.hash) << "  signed off by "
                  << c.signed_by << " at " << format_instant(c.signed_at) << "  "
                  << (c.full ? "whole log" : "since the checkpoint before") << ", "
                  << c.events_checked << " events checked\n";
    }
    return exit_ok;
}

int run_verify_log(const Global& g, const VerifyOptions& o) {
    Workspace ws = open_existing(g, o.sign);
    CaseEngine& cases = ws.cases();
    LogAnchor anchor;
    if (!o.anchor.empty()) {
        const std::size_t colon = o.anchor.find(':');
        if (colon == std::string::npos)
            throw Error(ErrorCode::invalid_argument,
                        "--anchor " + o.anchor + ": expected SEQ:HASH");
        try {
            anchor.sequence = std::stoull(o.anchor.substr(0, colon));
        } catch (const std::exception&) {
            throw Error(ErrorCode::invalid_argument,
                        "--anchor " + o.anchor + ": the sequence is not a number");
        }
        anchor.hash = parse_hash(o.anchor.substr(colon + 1), "--anchor");
    }
    const LogVerification v =
        o.sign ? cases.sign_off_log(o.sign_off, instant_or_now(o.at, "--at"), o.full)
               : (o.since_checkpoint ? cases.verify_log_since_checkpoint()
                                     : cases.verify_log(o.anchor.empty() ? nullptr : &anchor));
    std::vector<Finding> mismatches;
    if (o.cases && v.ok)
        mismatches = cases.verify_cases();
    const LogAnchor head = cases.head();
    const bool ok = v.ok && mismatches.empty();
    if (g.json) {
        Json j;
        j["ok"] = ok;
        j["events_checked"] = v.events_checked;
        if (!o.anchor.empty())
            j["events_after_anchor"] = v.events_after_anchor;
        j["checked_from"] = v.checked_from;
        if (v.checkpoint)
            j["checkpoint"] = checkpoint_json(*v.checkpoint);
        j["problem"] = log_problem_name(v.problem);
        j["sequence"] = v.sequence;
        j["case"] = v.case_number;
        j["message"] = v.message;
        j["head"] = std::to_string(head.sequence) + ":" + hash_hex(head.hash);
        Json m = Json::array();
        for (const Finding& f : mismatches)
            m.push_back(finding_json(f));
        j["case_mismatches"] = std::move(m);
        print_json(j);
    } else if (!v.ok) {
        std::cout << "log broken: " << log_problem_name(v.problem) << " at event " << v.sequence
                  << (v.case_number.empty() ? "" : " (case " + v.case_number + ")") << ": "
                  << v.message << '\n';
    } else {
        for (const Finding& f : mismatches)
            std::cout << f.rule << "  " << f.where << "  " << f.message << '\n';
        std::cout << (ok ? "log ok: " : "log ok, cases differ: ") << v.events_checked
                  << " events checked";
        if (v.checked_from != 0)
            std::cout << " after the checkpoint at event " << v.checked_from;
        std::cout << "; head " << head.sequence << ':' << hash_hex(head.hash);
        if (v.checkpoint) {
            std::cout << "; checkpoint recorded at event " << v.checkpoint->sequence
                      << ", signed off by " << v.checkpoint->signed_by << " at "
                      << format_instant(v.checkpoint->signed_at);
        }
        if (!o.anchor.empty()) {
            std::cout << "; " << v.events_after_anchor
                      << (v.events_after_anchor == 0 ? " events after the anchor (unchanged)"
                                                     : " events after the anchor (grew)");
        }
        std::cout << '\n';
    }
    return ok ? exit_ok : exit_findings;
}

// ---- export ----------------------------------------------------------------------------

int run_export(const Global& g, const ExportOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Hierarchy& h = ws.hierarchy().view();
    std::string format = lower(o.format);
    if (format.empty() && !o.output.empty() && o.output != "-") {
        format = lower(fs::path(o.output).extension().string());
        if (!format.empty())
            format.erase(0, 1);
    }
    const Reveal reveal = g.reveal ? Reveal::revealed : Reveal::masked;
    std::string text;
    if (o.what == "hierarchy") {
        FileFormat f = FileFormat::json;
        if (format == "csv")
            f = FileFormat::csv;
        else if (format == "geojson")
            f = FileFormat::geojson;
        else if (!format.empty() && format != "json")
            throw Error(ErrorCode::invalid_argument,
                        "--format " + format + ": hierarchy is json, csv or geojson");
        text = ws.hierarchy().export_text(f);
    } else if (o.what == "grids") {
        LightBoardOptions board;
        board.level = o.level;
        try {
            text = light_board_geojson(ws, light_board(ws, instant_or_now(o.at), board));
        } catch (const Error& e) {
            if (e.code() != ErrorCode::not_found)
                throw;
            throw Error(ErrorCode::invalid_argument, "--level " + o.level + ": " + e.what());
        }
    } else if (o.what == "services") {
        text = open311_services(ws.cases().categories());
    } else if (o.what == "requests") {
        Open311ExportOptions options;
        options.jurisdiction_id = o.jurisdiction;
        text = open311_requests(ws, options);
    } else if (o.what == "directory") {
        if (!format.empty() && format != "json")
            throw Error(ErrorCode::invalid_argument, "--format " + format + ": directory is json");
        text = ws.directory().view().export_json(ws.hierarchy().networks(), reveal);
    } else {  // chart
        DocumentFormat f = DocumentFormat::html;
        if (format == "json")
            f = DocumentFormat::json;
        else if (format == "csv")
            f = DocumentFormat::csv;
        else if (!format.empty() && format != "html" && format != "htm")
            throw Error(ErrorCode::invalid_argument,
                        "--format " + format + ": chart is html, json or csv");
        text = ws.directory().view().chart(h, date_or_today(o.at.substr(0, 10), "--at"), f, reveal);
    }
    write_output(o.output, text);
    if (!o.output.empty() && o.output != "-" && !g.json)
        std::cerr << "wrote " << o.output << '\n';
    return exit_ok;
}

}  // namespace gridgov::cli
