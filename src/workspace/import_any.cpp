// import_file(): any file gridgov reads, its kind told from its name and content, handed
// to the module that imports it (include/gridgov/import.hpp).
#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/cases.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/import.hpp"
#include "gridgov/plans.hpp"
#include "gridgov/workflow.hpp"
#include "io/enum_names.hpp"
#include "io/files.hpp"
#include "io/json_fields.hpp"

namespace gridgov {

namespace {

using Json = nlohmann::ordered_json;

constexpr detail::EnumName<ImportKind> kind_names[] = {
    {ImportKind::automatic, "auto"},        {ImportKind::hierarchy, "hierarchy"},
    {ImportKind::geojson, "geojson"},       {ImportKind::catalogue, "catalogue"},
    {ImportKind::directory, "directory"},   {ImportKind::people, "people"},
    {ImportKind::units, "units"},           {ImportKind::assignments, "assignments"},
    {ImportKind::absences, "absences"},     {ImportKind::departments, "departments"},
    {ImportKind::categories, "categories"}, {ImportKind::routing, "routing"},
    {ImportKind::workflow, "workflow"},     {ImportKind::open311, "open311"},
    {ImportKind::plans, "plans"},           {ImportKind::households, "households"},
    {ImportKind::visits, "visits"},         {ImportKind::patrols, "patrols"},
    {ImportKind::collection, "collection"}, {ImportKind::attendance, "attendance"},
    {ImportKind::tasks, "tasks"},           {ImportKind::ratings, "ratings"},
    {ImportKind::scores, "scores"},
};

constexpr std::array<ImportKind, 7> activity_kinds{
    ImportKind::households, ImportKind::visits, ImportKind::patrols, ImportKind::collection,
    ImportKind::attendance, ImportKind::tasks,  ImportKind::ratings};

bool is_activity(ImportKind k) {
    return std::find(activity_kinds.begin(), activity_kinds.end(), k) != activity_kinds.end();
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_csv(const std::string& name) {
    return lower(name).ends_with(".csv");
}

ImportKind from_content(std::string_view text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception&) {
        return ImportKind::hierarchy;  // the import names the syntax error
    }
    if (doc.is_array())
        return ImportKind::open311;
    if (!doc.is_object())
        return ImportKind::hierarchy;
    if (doc.contains("service_requests"))
        return ImportKind::open311;
    if (doc.contains("features") || (doc.contains("type") && doc["type"] == "FeatureCollection"))
        return ImportKind::geojson;
    if (doc.contains("nodes") || doc.contains("levels") || doc.contains("overlays"))
        return ImportKind::hierarchy;
    if (doc.contains("transitions"))
        return ImportKind::workflow;
    if (doc.contains("roles") || doc.contains("duties"))
        return doc.contains("people") ? ImportKind::directory : ImportKind::catalogue;
    if (doc.contains("people") || doc.contains("assignments") || doc.contains("units") ||
        doc.contains("absences"))
        return ImportKind::directory;
    if (doc.contains("departments"))
        return ImportKind::departments;
    if (doc.contains("categories"))
        return ImportKind::categories;
    if (doc.contains("rules") || doc.contains("territorial_level"))
        return ImportKind::routing;
    return ImportKind::hierarchy;
}

// ---- the options' JSON ----------------------------------------------------------------

constexpr const char* options_where = "import options";

std::string string_of(const Json& v, const std::string& where, std::string_view key) {
    return detail::json_require(v, detail::JsonType::string, where, key).get<std::string>();
}

bool bool_of(const Json& v, const std::string& where, std::string_view key) {
    return detail::json_require(v, detail::JsonType::boolean, where, key).get<bool>();
}

std::int64_t count_of(const Json& v, const std::string& where, std::string_view key) {
    const std::int64_t n =
        detail::json_require(v, detail::JsonType::integer, where, key).get<std::int64_t>();
    if (n < 0)
        detail::field_error(ErrorCode::invalid_argument, where, key, "negative");
    return n;
}

}  // namespace

std::string_view import_kind_name(ImportKind kind) {
    return detail::enum_name(kind_names, kind, "?");
}

ImportKind parse_import_kind(std::string_view text, std::string_view field) {
    if (text.empty())
        return ImportKind::automatic;
    try {
        return detail::parse_enum(kind_names, text, "kind of file");
    } catch (const Error& e) {
        throw Error(e.code(), std::string(field) + ": " + e.what());
    }
}

ImportKind detect_import_kind(std::string_view file_name, std::string_view text) {
    const std::filesystem::path path{std::string(file_name)};
    const std::string name = lower(path.filename().string());
    const std::string stem = lower(path.stem().string());
    if (name.ends_with(".geojson"))
        return ImportKind::geojson;
    for (ImportKind k :
         {ImportKind::people, ImportKind::units, ImportKind::assignments, ImportKind::absences}) {
        if (stem.ends_with(import_kind_name(k)))
            return k;
    }
    for (ImportKind k : activity_kinds) {
        const std::string_view n = import_kind_name(k);
        if (stem == n || stem.ends_with("_" + std::string(n)))
            return k;
    }
    if (stem.find("scores") != std::string::npos)
        return ImportKind::scores;
    if (stem.find("plans") != std::string::npos || stem.find("matters") != std::string::npos)
        return ImportKind::plans;
    for (ImportKind k :
         {ImportKind::catalogue, ImportKind::departments, ImportKind::categories,
          ImportKind::routing, ImportKind::workflow, ImportKind::open311, ImportKind::directory}) {
        if (stem.find(import_kind_name(k)) != std::string::npos)
            return k;
    }
    if (name.ends_with(".csv"))
        return ImportKind::hierarchy;
    return from_content(text);
}

FileImportOptions FileImportOptions::from_json(std::string_view json) {
    const Json doc = detail::parse_json_document<Json>(json, options_where);
    detail::json_require_object(doc, options_where);
    FileImportOptions o;
    for (const auto& [key, value] : doc.items()) {
        if (key != "kind" && key != "effective" && key != "open311" && key != "plans") {
            detail::field_error(ErrorCode::invalid_argument, options_where, key,
                                "not an option (kind, effective, open311, plans)");
        }
    }
    if (const Json* k = detail::json_member(doc, "kind"))
        o.kind = parse_import_kind(string_of(*k, options_where, "kind"), "import options: kind");
    if (const Json* e = detail::json_member(doc, "effective")) {
        const std::string text = string_of(*e, options_where, "effective");
        o.effective =
            detail::parse_field(options_where, "effective", [&] { return Date::parse(text); });
    }
    if (const Json* p =
            detail::json_field(doc, "open311", detail::JsonType::object, options_where)) {
        const std::string where = std::string(options_where) + " open311";
        Open311ImportOptions& r = o.open311;
        for (const auto& [key, v] : p->items()) {
            if (v.is_null())
                continue;
            if (key == "actor") {
                r.actor = string_of(v, where, key);
                r.system = r.actor.empty();
            } else if (key == "system") {
                r.system = bool_of(v, where, key);
            } else if (key == "source") {
                const std::string s = string_of(v, where, key);
                r.source = detail::parse_field(where, key, [&] { return parse_case_source(s); });
            } else if (key == "workflow") {
                r.workflow = string_of(v, where, key);
            } else if (key == "node_field") {
                r.node_field = string_of(v, where, key);
            } else if (key == "keep_ids") {
                r.keep_ids = bool_of(v, where, key);
            } else if (key == "default_time") {
                const std::string s = string_of(v, where, key);
                r.default_time = detail::parse_field(where, key, [&] { return Instant::parse(s); });
            } else if (key == "service_map") {
                detail::json_require(v, detail::JsonType::object, where, key);
                for (const auto& [code, category] : v.items())
                    r.service_map[code] = string_of(category, where + " service_map", code);
            } else {
                detail::field_error(ErrorCode::invalid_argument, where, key,
                                    "not an option (actor, system, source, workflow, node_field, "
                                    "service_map, default_time, keep_ids)");
            }
        }
    }
    if (const Json* p = detail::json_field(doc, "plans", detail::JsonType::object, options_where)) {
        const std::string where = std::string(options_where) + " plans";
        for (const auto& [key, v] : p->items()) {
            if (v.is_null())
                continue;
            if (key == "batch_size") {
                o.plan_batch_size = static_cast<std::size_t>(count_of(v, where, key));
            } else if (key == "tick_interval") {
                o.plan_tick_interval = count_of(v, where, key);
            } else if (key == "tick_until") {
                const std::string s = string_of(v, where, key);
                o.plan_tick_until =
                    detail::parse_field(where, key, [&] { return Instant::parse(s); });
            } else {
                detail::field_error(ErrorCode::invalid_argument, where, key,
                                    "not an option (batch_size, tick_interval, tick_until)");
            }
        }
    }
    return o;
}

std::size_t FileImportReport::count(std::string_view key) const {
    for (const auto& [k, n] : counts) {
        if (k == key)
            return n;
    }
    return 0;
}

std::string FileImportReport::to_json() const {
    Json j;
    j["file"] = file;
    j["kind"] = std::string(import_kind_name(kind));
    for (const auto& [k, n] : counts)
        j[k] = n;
    if (kind == ImportKind::open311)
        j["numbers"] = numbers;
    if (kind == ImportKind::workflow)
        j["workflow"] = workflow;
    if (kind == ImportKind::plans) {
        Json refusals = Json::array();
        for (const Finding& f : findings) {
            Json r;
            r["rule"] = f.rule;
            r["severity"] = std::string(severity_name(f.severity));
            r["where"] = f.where;
            r["message"] = f.message;
            refusals.push_back(std::move(r));
        }
        j["refusals"] = std::move(refusals);
    } else if (kind == ImportKind::hierarchy || kind == ImportKind::geojson ||
               kind == ImportKind::workflow) {
        j["findings"] = findings.size();
    }
    return j.dump();
}

FileImportReport import_file(Workspace& ws, const std::string& file,
                             const FileImportOptions& options) {
    return import_text(ws, detail::read_file(file), file, options);
}

FileImportReport import_text(Workspace& ws, const std::string& text, const std::string& source_name,
                             const FileImportOptions& options) {
    FileImportReport r;
    r.file = source_name;
    r.kind = options.kind == ImportKind::automatic ? detect_import_kind(source_name, text)
                                                   : options.kind;
    const ImportKind kind = r.kind;
    auto add = [&](const char* key, std::size_t n) { r.counts.emplace_back(key, n); };
    if (kind == ImportKind::hierarchy || kind == ImportKind::geojson) {
        const FileFormat format = kind == ImportKind::geojson ? FileFormat::geojson
                                  : is_csv(source_name)       ? FileFormat::csv
                                                              : FileFormat::json;
        const ImportReport h = ws.hierarchy().import_text(text, format, source_name,
                                                          options.effective, options.progress);
        add("nodes", h.nodes_added);
        add("overlays", h.overlays_added);
        add("overlay_units", h.overlay_units_added);
        r.findings = h.findings;
    } else if (is_activity(kind)) {
        const ActivityImportReport a = ws.assessment().import_text(
            text, parse_activity_table(import_kind_name(kind)), source_name, options.progress);
        add("records", a.records);
    } else if (kind == ImportKind::plans) {
        const std::vector<MatterPlan> plans =
            parse_matter_plans(text, ws.hierarchy().view(), source_name);
        PlanRunOptions run;
        run.batch_size = options.plan_batch_size;
        run.tick_interval = options.plan_tick_interval;
        run.tick_until = options.plan_tick_until;
        run.progress = options.progress;
        const PlanRunReport p = run_plans(ws.cases(), plans, run);
        add("matters", p.matters);
        add("cases_reported", p.cases_reported);
        add("steps_accepted", p.steps_accepted);
        add("steps_refused", p.steps_refused);
        add("steps_skipped", p.steps_skipped);
        add("ticks", p.ticks);
        add("breaches", p.breaches);
        add("escalations", p.escalations);
        r.findings = p.findings;
    } else if (kind == ImportKind::scores) {
        Json doc = detail::parse_json_document<Json>(text, source_name);
        if (doc.is_object())
            doc = Json::array({doc});
        if (!doc.is_array())
            throw Error(ErrorCode::invalid_argument,
                        source_name + ": expected an array of scores (docs/assessment.md)");
        std::vector<ScoreResult> results;
        for (std::size_t i = 0; i < doc.size(); ++i) {
            try {
                results.push_back(score_from_json(doc[i].dump()));
            } catch (const Error& e) {
                throw Error(e.code(), source_name + ": [" + std::to_string(i) + "]: " + e.what());
            }
        }
        ws.assessment().store_scores(results);
        add("scores", results.size());
    } else if (kind == ImportKind::catalogue) {
        const Catalogue c = Catalogue::from_json(text, source_name);
        ws.directory().set_catalogue(c);
        add("duties", c.duties.size());
        add("roles", c.roles.size());
    } else if (kind == ImportKind::directory || kind == ImportKind::people ||
               kind == ImportKind::units || kind == ImportKind::assignments ||
               kind == ImportKind::absences) {
        DirectoryTable table = DirectoryTable::automatic;
        if (kind == ImportKind::people)
            table = DirectoryTable::people;
        else if (kind == ImportKind::units)
            table = DirectoryTable::units;
        else if (kind == ImportKind::assignments)
            table = DirectoryTable::assignments;
        else if (kind == ImportKind::absences)
            table = DirectoryTable::absences;
        const DocumentFormat format =
            is_csv(source_name) ? DocumentFormat::csv : DocumentFormat::json;
        const DirectoryImportReport d =
            ws.directory().import_text(text, format, table, source_name);
        add("people", d.people_added);
        add("units", d.units_added);
        add("assignments", d.assignments_added);
        add("absences", d.absences_added);
    } else if (kind == ImportKind::departments) {
        const DepartmentCatalogue d = DepartmentCatalogue::from_json(text, source_name);
        ws.cases().set_departments(d);
        add("departments", d.departments.size());
    } else if (kind == ImportKind::categories) {
        const CategoryCatalogue c = CategoryCatalogue::from_json(text, source_name);
        ws.cases().set_categories(c);
        add("categories", c.categories.size());
    } else if (kind == ImportKind::routing) {
        const RoutingTable t = RoutingTable::from_json(text, source_name);
        ws.cases().set_routing(t);
        add("rules", t.rules.size());
    } else if (kind == ImportKind::workflow) {
        const WorkflowSpec spec = WorkflowSpec::from_json(text, source_name);
        r.findings = ws.cases().add_workflow(spec);
        r.workflow = spec.id();
    } else {
        const Open311ImportReport o =
            import_open311_requests(ws, text, options.open311, source_name);
        add("cases", o.numbers.size());
        r.numbers = o.numbers;
    }
    return r;
}

}  // namespace gridgov
