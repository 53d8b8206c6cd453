// The records subcommands of the gridgov tool (docs/cli.md): kinds, import and export,
// questions, dated changes, roll-ups and findings over ws.records() (docs/records.md), and
// the access log of the reads that showed sensitive fields in clear, and the 四实 field
// checks (draws of records to visit, rounds, collection rates). Every change is one
// transaction of the workspace: a refused file or change leaves the workspace file as it
// was. Every read of record contents names its reader (--as PERSON or --system, --why).
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "gridgov/records.hpp"
#include "gridgov/workspace.hpp"
#include "io/csv.hpp"
#include "io/files.hpp"

namespace gridgov::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

Reveal reveal_of(const Global& g) {
    return g.reveal ? Reveal::revealed : Reveal::masked;
}

/// The reader a reading subcommand names: the system, or a person with the posts they hold
/// on --posts-on (default today); --reveal asks for sensitive fields in clear. The library
/// refuses a reader naming neither, or without a purpose.
RecordReader reader_of(const Global& g, const RecordsReaderOptions& o) {
    if (o.system)
        return RecordReader::system_read(o.purpose, reveal_of(g));
    std::optional<Date> on;
    if (!o.posts_on.empty())
        on = option_date("--posts-on", o.posts_on);
    return RecordReader::person_read(o.person, o.purpose, reveal_of(g), on);
}

/// The workspace for a read of record contents: a read that shows sensitive fields in clear
/// writes the access log first, so --reveal opens it for writing.
Workspace open_for_reading(const Global& g) {
    return open_existing(g, g.reveal);
}

std::string node_code(const Hierarchy& h, NodeId node) {
    return node < h.id_count() ? h.code(node) : "";
}

std::string node_name(const Hierarchy& h, NodeId node) {
    return node < h.id_count() ? h.name(node) : "";
}

/// The live node with the code given to `option`; Error(not_found) naming the option.
NodeId option_node(const Hierarchy& h, const char* option, const std::string& code) {
    try {
        return h.at(code);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(option) + ": " + e.what());
    }
}

/// "NAME=VALUE" (or "OVERLAY:UNIT") split at the first separator; the name may not be
/// empty, nor the value when `value_required`.
std::pair<std::string, std::string> split_option(const char* option, const std::string& text,
                                                 char separator, const char* form,
                                                 bool value_required) {
    const std::size_t at = text.find(separator);
    if (at == std::string::npos || at == 0 || (value_required && at + 1 == text.size()))
        throw Error(ErrorCode::invalid_argument,
                    std::string(option) + " " + text + ": expected " + form);
    return {text.substr(0, at), text.substr(at + 1)};
}

OverlayPlace option_place(const char* option, const std::string& text) {
    auto [overlay, unit] = split_option(option, text, ':', "OVERLAY:UNIT", true);
    return OverlayPlace{std::move(overlay), std::move(unit)};
}

/// Overlay places as the import format writes them: "fire_safety:XF-01-01-01|frontage:MQ-01-1".
std::string places_text(const std::vector<OverlayPlace>& places) {
    std::string out;
    for (const OverlayPlace& p : places)
        out += (out.empty() ? "" : "|") + p.overlay + ":" + p.unit;
    return out;
}

Json record_json(const Hierarchy& h, const Record& r) {
    Json j;
    j["key"] = r.key;
    j["kind"] = r.kind;
    j["node"] = node_code(h, r.node);
    Json places = Json::array();
    for (const OverlayPlace& p : r.overlays)
        places.push_back(Json{{"overlay", p.overlay}, {"unit", p.unit}});
    j["overlays"] = std::move(places);
    Json fields = Json::object();
    for (const auto& [name, value] : r.fields)
        fields[name] = value;
    j["fields"] = std::move(fields);
    return j;
}

Json findings_json(const std::vector<Finding>& findings) {
    Json j = Json::array();
    for (const Finding& f : findings)
        j.push_back(finding_json(f));
    return j;
}

std::size_t error_count(const std::vector<Finding>& findings) {
    std::size_t errors = 0;
    for (const Finding& f : findings)
        errors += f.severity == Severity::error ? 1 : 0;
    return errors;
}

/// The findings as a table of severity, rule, where and message (nothing when none).
void print_findings(const std::vector<Finding>& findings) {
    std::vector<std::vector<std::string>> rows;
    for (const Finding& f : findings)
        rows.push_back({severity_name(f.severity), f.rule, f.where, f.message});
    if (!rows.empty())
        print_table({"severity", "rule", "where", "message"}, rows);
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// A field's type as the kinds table shows it: "code (id_number)", "reference (house)",
/// "enum, multiple".
std::string type_text(const FieldSpec& f) {
    std::string out = field_type_name(f.type);
    if (f.type == FieldType::code && f.check != CodeCheck::none)
        out += std::string(" (") + code_check_name(f.check) + ")";
    if (f.type == FieldType::reference)
        out += " (" + f.refers_to + ")";
    if (f.multiple)
        out += ", multiple";
    return out;
}

std::size_t field_count(const RecordSchema& schema) {
    std::size_t n = 0;
    for (const RecordKind& k : schema.kinds)
        n += k.fields.size();
    return n;
}

/// The records as a table: with one kind, a column per field the records hold (in the
/// kind's order); with several, the fields as NAME=VALUE in one column.
void print_records(const Hierarchy& h, const RecordSchema& schema,
                   const std::vector<Record>& records) {
    std::set<std::string> kinds;
    for (const Record& r : records)
        kinds.insert(r.kind);
    std::vector<std::vector<std::string>> rows;
    if (kinds.size() == 1 && schema.find(*kinds.begin()) != nullptr) {
        const RecordKind& kind = schema.kind(*kinds.begin());
        std::vector<std::string> columns;
        for (const FieldSpec& f : kind.fields) {
            for (const Record& r : records) {
                if (r.field(f.name) != nullptr) {
                    columns.push_back(f.name);
                    break;
                }
            }
        }
        bool overlays = false;
        for (const Record& r : records)
            overlays = overlays || !r.overlays.empty();
        std::vector<std::string> header{"key", "node"};
        if (overlays)
            header.emplace_back("overlays");
        header.insert(header.end(), columns.begin(), columns.end());
        for (const Record& r : records) {
            std::vector<std::string> row{r.key, node_code(h, r.node)};
            if (overlays)
                row.push_back(r.overlays.empty() ? "-" : places_text(r.overlays));
            for (const std::string& c : columns) {
                const std::string* value = r.field(c);
                row.push_back(value == nullptr || value->empty() ? "-" : *value);
            }
            rows.push_back(std::move(row));
        }
        print_table(header, rows);
        return;
    }
    for (const Record& r : records) {
        std::string fields;
        for (const auto& [name, value] : r.fields)
            fields += (fields.empty() ? "" : "  ") + name + "=" + value;
        rows.push_back({r.key, r.kind, node_code(h, r.node), fields});
    }
    print_table({"key", "kind", "node", "fields"}, rows);
}

int print_record_list(const Global& g, const Workspace& ws, const std::vector<Record>& records) {
    const Hierarchy& h = ws.hierarchy().view();
    if (g.json) {
        Json j = Json::array();
        for (const Record& r : records)
            j.push_back(record_json(h, r));
        print_json(j);
        return exit_ok;
    }
    if (!records.empty())
        print_records(h, ws.records().schema(), records);
    std::cout << plural(records.size(), "record", "records") << '\n';
    return exit_ok;
}

/// What a version changed against the one before: every field of an added record, the
/// fields that differ, the node and overlays of a move.
std::string version_changes(const Hierarchy& h, const RecordVersion* before,
                            const RecordVersion& v) {
    const Record& r = v.record;
    std::string out;
    const auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "  ") + part; };
    if (before == nullptr) {
        for (const auto& [name, value] : r.fields)
            add(name + "=" + value);
        if (!r.overlays.empty())
            add("overlays=" + places_text(r.overlays));
        return out;
    }
    const Record& b = before->record;
    if (b.node != r.node)
        add("node " + node_code(h, b.node) + " → " + node_code(h, r.node));
    if (!(b.overlays == r.overlays))
        add("overlays " + (b.overlays.empty() ? "-" : places_text(b.overlays)) + " → " +
            (r.overlays.empty() ? "-" : places_text(r.overlays)));
    for (const auto& [name, value] : r.fields) {
        const std::string* old = b.field(name);
        if (old == nullptr)
            add(name + " - → " + value);
        else if (*old != value)
            add(name + " " + *old + " → " + value);
    }
    for (const auto& [name, value] : b.fields) {
        if (r.field(name) == nullptr)
            add(name + " " + value + " → -");
    }
    return out;
}

/// A change's date; "since forever" (Date::min()) is "always" in tables and null in JSON,
/// as the other faces give it.
std::string effective_text(Date d) {
    return d == Date::min() ? "always" : d.to_string();
}

Json effective_json(Date d) {
    return d == Date::min() ? Json() : Json(d.to_string());
}

std::string number_text(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value));
    char text[64];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

Json number_json(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15)
        return Json(static_cast<long long>(value));
    return Json(value);
}

std::string export_format(const RecordsExportOptions& o) {
    std::string format = o.format;
    if (format.empty() && !o.output.empty() && o.output != "-") {
        format = fs::path(o.output).extension().string();
        if (!format.empty())
            format.erase(0, 1);
    }
    for (char& c : format)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return format.empty() ? "json" : format;
}

/// A rate in % as the table shows it ("97.32%", "-" when undefined), in CSV (shortest
/// exact text, empty when undefined) and in JSON (null when undefined).
std::string rate_text(const std::optional<double>& rate) {
    if (!rate)
        return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", *rate);
    return text;
}

std::string rate_csv(const std::optional<double>& rate) {
    return rate ? detail::format_number(*rate) : std::string();
}

Json rate_json(const std::optional<double>& rate) {
    return rate ? number_json(*rate) : Json();
}

}  // namespace

// ---- kinds and schema ------------------------------------------------------------------

int run_records_kinds(const Global& g, const RecordsKindsOptions& o) {
    RecordSchema schema;
    if (!o.preset.empty()) {
        try {
            schema = RecordSchema::preset(o.preset);
        } catch (const Error& e) {
            std::string keys;
            for (const std::string& k : RecordSchema::preset_keys())
                keys += (keys.empty() ? "" : ", ") + k;
            throw Error(e.code(),
                        std::string("--preset: ") + e.what() + " (presets: " + keys + ")");
        }
    } else {
        const Workspace ws = open_existing(g, false);
        schema = ws.records().schema();
    }
    if (g.json) {
        print_json(Json::parse(schema.to_json()));
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const RecordKind& k : schema.kinds) {
        for (const FieldSpec& f : k.fields)
            rows.push_back({k.key, f.name, f.label.empty() ? "-" : f.label, type_text(f),
                            f.required ? "yes" : "-", f.sensitive ? "yes" : "-"});
    }
    print_table({"kind", "field", "label", "type", "required", "sensitive"}, rows);
    std::cout << plural(schema.kinds.size(), "kind", "kinds") << ", "
              << plural(field_count(schema), "field", "fields") << '\n';
    return exit_ok;
}

int run_records_schema(const Global& g, const RecordsSchemaOptions& o) {
    Workspace ws = open_existing(g, true);
    const std::string& file = o.set.empty() ? o.extend : o.set;
    const std::string text = detail::read_file(file);
    if (!o.set.empty()) {
        ws.records().set_schema(RecordSchema::from_json(text, file));
    } else {
        // An extension may refer to the kinds of the workspace's schema.
        ws.records().extend_schema(
            RecordSchema::extension_from_json(text, ws.records().schema(), file));
    }
    const RecordSchema& schema = ws.records().schema();
    if (g.json) {
        print_json(Json::parse(schema.to_json()));
        return exit_ok;
    }
    std::cout << (o.set.empty() ? "extended the schema with " : "set the schema from ") << file
              << ": " << plural(schema.kinds.size(), "kind", "kinds") << ", "
              << plural(field_count(schema), "field", "fields") << '\n';
    return exit_ok;
}

// ---- import and export -----------------------------------------------------------------

int run_records_import(const Global& g, const RecordsImportOptions& o) {
    Workspace ws = open_existing(g, true);
    const Date effective =
        o.effective.empty() ? Date::min() : option_date("--effective", o.effective);
    const RecordImportReport r =
        ws.records().import_file(o.file, o.kind, effective, progress_for(o.file));
    if (g.json) {
        Json j;
        j["file"] = o.file;
        j["added"] = r.added;
        j["changed"] = r.changed;
        j["unchanged"] = r.unchanged;
        j["findings"] = findings_json(r.findings);
        print_json(j);
        return exit_ok;
    }
    std::cout << "imported " << o.file << ": " << r.added << " added, " << r.changed << " changed, "
              << r.unchanged << " unchanged, " << plural(r.findings.size(), "finding", "findings")
              << '\n';
    print_findings(r.findings);
    return exit_ok;
}

int run_records_export(const Global& g, const RecordsExportOptions& o) {
    const RecordReader reader = reader_of(g, o.reader);
    const std::string format = export_format(o);
    DocumentFormat f = DocumentFormat::json;
    if (format == "csv")
        f = DocumentFormat::csv;
    else if (format != "json")
        throw Error(ErrorCode::invalid_argument,
                    "--format " + format + ": records are csv or json");
    const Workspace ws = open_for_reading(g);
    write_output(o.output, ws.records().export_text(reader, f, o.kind));
    if (!o.output.empty() && o.output != "-" && !g.json)
        std::cerr << "wrote " << o.output << '\n';
    return exit_ok;
}

// ---- questions -------------------------------------------------------------------------

int run_records_get(const Global& g, const RecordsGetOptions& o) {
    const RecordReader reader = reader_of(g, o.reader);
    std::optional<Date> on;
    if (!o.on.empty())
        on = option_date("--on", o.on);
    const Workspace ws = open_for_reading(g);
    const std::optional<Record> r = ws.records().get(reader, o.key, on);
    if (!r)
        throw Error(ErrorCode::not_found,
                    "no record " + o.key +
                        (on ? " on " + on->to_string() : std::string(" (or it is removed)")));
    const Hierarchy& h = ws.hierarchy().view();
    if (g.json) {
        print_json(record_json(h, *r));
        return exit_ok;
    }
    const RecordKind* kind = ws.records().schema().find(r->kind);
    std::cout << r->key << "  " << r->kind;
    if (kind != nullptr && !kind->label.empty())
        std::cout << ' ' << kind->label;
    std::cout << "  " << node_code(h, r->node) << ' ' << node_name(h, r->node) << '\n';
    if (!r->overlays.empty())
        std::cout << "overlays  " << places_text(r->overlays) << '\n';
    std::vector<std::vector<std::string>> rows;
    for (const auto& [name, value] : r->fields) {
        const FieldSpec* f = kind != nullptr ? kind->field(name) : nullptr;
        rows.push_back({name, f != nullptr ? f->label : "", value});
    }
    print_table({"field", "label", "value"}, rows);
    return exit_ok;
}

int run_records_history(const Global& g, const RecordsHistoryOptions& o) {
    const RecordReader reader = reader_of(g, o.reader);
    const Workspace ws = open_for_reading(g);
    const std::vector<RecordVersion> versions = ws.records().history(reader, o.key);
    const Hierarchy& h = ws.hierarchy().view();
    if (g.json) {
        Json j = Json::array();
        for (const RecordVersion& v : versions) {
            Json k;
            k["version"] = v.version;
            k["change"] = record_change_name(v.change);
            k["effective"] = effective_json(v.effective);
            k["record"] = record_json(h, v.record);
            j.push_back(std::move(k));
        }
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const RecordVersion& v = versions[i];
        rows.push_back({std::to_string(v.version), record_change_name(v.change),
                        effective_text(v.effective), node_code(h, v.record.node),
                        version_changes(h, i == 0 ? nullptr : &versions[i - 1], v)});
        if (rows.back().back().empty())
            rows.back().back() = "-";
    }
    print_table({"version", "change", "effective", "node", "changes"}, rows);
    return exit_ok;
}

int run_records_find(const Global& g, const RecordsFindOptions& o) {
    const RecordReader reader = reader_of(g, o.reader);
    const Workspace ws = open_for_reading(g);
    return print_record_list(g, ws, ws.records().find(reader, o.field, o.value));
}

int run_records_list(const Global& g, const RecordsListOptions& o) {
    const RecordReader reader = reader_of(g, o.reader);
    const Workspace ws = open_for_reading(g);
    RecordFilter filter;
    filter.kind = o.kind;
    if (!o.within.empty())
        filter.within = option_node(ws.hierarchy().view(), "--within", o.within);
    for (const std::string& w : o.where)
        filter.where.push_back(split_option("--where", w, '=', "FIELD=VALUE", false));
    if (!o.overlay.empty())
        filter.overlay = option_place("--overlay", o.overlay);
    return print_record_list(g, ws, ws.records().list(reader, filter));
}

// ---- changes ---------------------------------------------------------------------------

int run_records_add(const Global& g, const RecordsAddOptions& o) {
    Workspace ws = open_existing(g, true);
    const Hierarchy& h = ws.hierarchy().view();
    Record r;
    r.key = o.key;
    r.kind = o.kind;
    r.node = option_node(h, "--node", o.node);
    for (const std::string& f : o.fields)
        r.fields.push_back(split_option("--field", f, '=', "NAME=VALUE", false));
    for (const std::string& p : o.overlays)
        r.overlays.push_back(option_place("--overlay", p));
    const Date effective =
        o.effective.empty() ? Date::min() : option_date("--effective", o.effective);
    const std::vector<Finding> findings = ws.records().add({r}, effective);
    if (g.json) {
        Json j;
        j["key"] = r.key;
        j["kind"] = r.kind;
        j["node"] = o.node;
        j["effective"] = effective_json(effective);
        j["findings"] = findings_json(findings);
        print_json(j);
        return exit_ok;
    }
    std::cout << "added " << r.key << " (" << r.kind << ") at " << o.node
              << (effective == Date::min() ? std::string(" since forever")
                                           : " on " + effective.to_string())
              << ", " << plural(findings.size(), "finding", "findings") << '\n';
    print_findings(findings);
    return exit_ok;
}

int run_records_move(const Global& g, const RecordsMoveOptions& o) {
    Workspace ws = open_existing(g, true);
    const NodeId node = option_node(ws.hierarchy().view(), "NODE_CODE", o.node);
    const Date effective = option_date("--effective", o.effective);
    ws.records().move(o.key, node, effective);
    if (g.json) {
        Json j;
        j["key"] = o.key;
        j["node"] = o.node;
        j["effective"] = effective.to_string();
        print_json(j);
        return exit_ok;
    }
    std::cout << "moved " << o.key << " to " << o.node << " on " << effective.to_string() << '\n';
    return exit_ok;
}

int run_records_remove(const Global& g, const RecordsRemoveOptions& o) {
    Workspace ws = open_existing(g, true);
    const Date effective = option_date("--effective", o.effective);
    ws.records().remove(o.key, effective);
    if (g.json) {
        Json j;
        j["key"] = o.key;
        j["removed"] = effective.to_string();
        print_json(j);
        return exit_ok;
    }
    std::cout << "removed " << o.key << " on " << effective.to_string() << '\n';
    return exit_ok;
}

// ---- roll-ups and findings -------------------------------------------------------------

int run_records_rollup(const Global& g, const RecordsRollupOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Hierarchy& h = ws.hierarchy().view();
    std::vector<NodeId> nodes;
    if (!o.level.empty()) {
        const int level = h.levels().index_of(o.level);
        if (level < 0)
            throw Error(ErrorCode::invalid_argument, "--level " + o.level + ": not a level");
        nodes = h.nodes_at_level(level);
    } else {
        nodes = h.preorder();
    }
    const std::vector<double> values = ws.records().roll_up(o.kind, o.field, o.value);
    const auto value_of = [&values](NodeId id) { return id < values.size() ? values[id] : 0.0; };
    if (g.json) {
        Json j = Json::array();
        for (NodeId id : nodes) {
            Json k;
            k["code"] = h.code(id);
            k["name"] = h.name(id);
            k["level"] = h.levels()[static_cast<std::size_t>(h.level(id))].key;
            k["value"] = number_json(value_of(id));
            j.push_back(std::move(k));
        }
        print_json(j);
        return exit_ok;
    }
    // The value column says what is counted: records, holders of a value, a field's sum.
    std::string what = o.kind;
    if (!o.field.empty())
        what += o.value.empty() ? " sum of " + o.field : " " + o.field + "=" + o.value;
    std::vector<std::vector<std::string>> rows;
    for (NodeId id : nodes)
        rows.push_back({h.code(id), h.name(id), number_text(value_of(id))});
    print_table({"code", "name", what}, rows);
    return exit_ok;
}

int run_records_validate(const Global& g, const RecordsValidateOptions& o) {
    const Workspace ws = open_existing(g, false);
    const Date on = date_or_today(o.on, "--on");
    RecordValidationPolicy policy;
    if (o.policy == "market_supervision_002")
        policy = RecordValidationPolicy::from_json(o.policy);
    else if (!o.policy.empty())
        policy = RecordValidationPolicy::from_json(detail::read_file(o.policy), o.policy);
    const std::vector<Finding> findings = ws.records().validate(on, policy);
    const std::size_t errors = error_count(findings);
    if (g.json) {
        print_json(findings_json(findings));
    } else {
        print_findings(findings);
        std::cout << plural(findings.size(), "finding", "findings") << ", "
                  << plural(errors, "error", "errors") << '\n';
    }
    return errors > 0 ? exit_findings : exit_ok;
}

// ---- the access log --------------------------------------------------------------------

int run_records_access_log(const Global& g, const RecordsAccessLogOptions& o) {
    const bool to_file = !o.output.empty() && o.output != "-";
    const std::string format = document_format(g, o.format, o.output);
    const Workspace ws = open_existing(g, false);
    const std::vector<RecordAccess> entries = ws.records().access_log(o.after, o.limit);
    if (format != "table") {
        write_output(o.output,
                     record_access_log_text(
                         entries, format == "csv" ? DocumentFormat::csv : DocumentFormat::json));
        if (to_file && !g.json)
            std::cerr << "wrote " << o.output << '\n';
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const RecordAccess& e : entries) {
        std::string fields;
        for (const std::string& f : e.fields)
            fields += (fields.empty() ? "" : "|") + f;
        rows.push_back({std::to_string(e.seq), e.at, e.system ? "system" : e.reader, e.read, e.key,
                        e.kind, fields, e.purpose});
    }
    if (!rows.empty())
        print_table({"seq", "at", "reader", "read", "key", "kind", "fields", "purpose"}, rows);
    std::cout << plural(entries.size(), "entry", "entries") << '\n';
    return exit_ok;
}

int run_records_verify_access_log(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const AccessLogCheck c = ws.records().verify_access_log();
    if (g.json) {
        Json j;
        j["entries"] = c.entries;
        j["intact"] = c.intact;
        j["first_bad"] = c.first_bad;
        j["problem"] = c.problem;
        print_json(j);
    } else if (c.intact) {
        std::cout << "access log ok: "
                  << plural(static_cast<std::size_t>(c.entries), "entry", "entries")
                  << " checked\n";
    } else {
        std::cout << "access log broken: " << c.problem << " at entry " << c.first_bad << " ("
                  << plural(static_cast<std::size_t>(c.entries), "entry", "entries") << " read)\n";
    }
    return c.intact ? exit_ok : exit_findings;
}

// ---- 四实 collection quality -------------------------------------------------------------

int run_records_check_draw(const Global& g, const RecordsCheckDrawOptions& o) {
    const Workspace ws = open_existing(g, false);
    const NodeId within =
        o.within.empty() ? no_node : option_node(ws.hierarchy().view(), "--within", o.within);
    if (ws.records().schema().find(o.kind) == nullptr) {
        std::string kinds;
        for (const RecordKind& k : ws.records().schema().kinds)
            kinds += (kinds.empty() ? "" : ", ") + k.key;
        throw Error(ErrorCode::not_found, "--kind " + o.kind + ": not a kind (" + kinds + ")");
    }
    const DrawRecord record = ws.records().draw_check(o.kind, within, o.count, o.seed);
    // The draw is not stored: the inspector keeps it and hands it back with the round.
    write_output(o.output, Json::parse(draw_to_json(record)).dump(2));
    if (!o.output.empty() && o.output != "-" && !g.json)
        std::cerr << "wrote " << o.output << ": " << record.picks.size() << " of "
                  << record.spec.candidates.size() << " " << o.kind << " records, seed "
                  << record.spec.seed << '\n';
    return exit_ok;
}

int run_records_check_record(const Global& g, const RecordsCheckRecordOptions& o) {
    const std::string text = detail::read_file(o.file, "check round file");
    Workspace ws = open_existing(g, true);
    // The library's message names the round and the member; the file is named first.
    CheckRound round;
    try {
        round = check_round_from_json(text);
        ws.records().record_check(round);
    } catch (const Error& e) {
        if (exit_code_for(e.code()) != exit_input)
            throw;
        throw Error(e.code(), o.file + ": " + e.what());
    }
    if (g.json) {
        // The round as stored: each finding with the grid of its drawn record.
        for (const CheckRound& stored : ws.records().checks()) {
            if (stored.label == round.label)
                print_json(Json::parse(check_round_to_json(stored, ws.hierarchy().view())));
        }
        return exit_ok;
    }
    std::cout << "recorded check round " << round.label << " (" << round.date.to_string()
              << "): " << plural(round.draw.picks.size(), "record", "records") << " drawn, "
              << plural(round.findings.size(), "finding", "findings") << '\n';
    return exit_ok;
}

int run_records_checks(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<CheckRound> rounds = ws.records().checks();
    if (g.json) {
        Json j = Json::array();
        for (const CheckRound& r : rounds)
            j.push_back(Json::parse(check_round_to_json(r, ws.hierarchy().view())));
        print_json(j);
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    for (const CheckRound& r : rounds)
        rows.push_back({r.label, r.date.to_string(), r.inspector.empty() ? "-" : r.inspector,
                        std::to_string(r.draw.picks.size()), std::to_string(r.findings.size())});
    if (!rows.empty())
        print_table({"label", "date", "inspector", "drawn", "findings"}, rows);
    std::cout << plural(rounds.size(), "check round", "check rounds") << '\n';
    return exit_ok;
}

int run_records_check_rates(const Global& g, const RecordsCheckRatesOptions& o) {
    const bool to_file = !o.output.empty() && o.output != "-";
    const std::string format = document_format(g, o.format, o.output);
    const Date from = o.from.empty() ? Date::min() : option_date("--from", o.from);
    const Date to = o.to.empty() ? Date::max() : option_date("--to", o.to);
    if (to < from)
        throw Error(ErrorCode::invalid_argument, "--from " + o.from + " is after --to " + o.to);
    const Workspace ws = open_existing(g, false);
    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<CheckRates> rates = ws.records().check_rates(from, to);
    const std::vector<std::string> header{"month",         "node",
                                          "name",          "sampled",
                                          "checked",       "correct",
                                          "not_collected", "not_deregistered",
                                          "wrong",         "collection_rate",
                                          "accuracy_rate"};
    const auto counts = [](const CheckRates& r) {
        return std::vector<std::string>{
            std::to_string(r.sampled),          std::to_string(r.checked()),
            std::to_string(r.correct),          std::to_string(r.not_collected),
            std::to_string(r.not_deregistered), std::to_string(r.wrong)};
    };
    if (format == "table") {
        std::vector<std::vector<std::string>> rows;
        for (const CheckRates& r : rates) {
            std::vector<std::string> row{r.month, node_code(h, r.node), node_name(h, r.node)};
            for (std::string& c : counts(r))
                row.push_back(std::move(c));
            row.push_back(rate_text(r.collection_rate()));
            row.push_back(rate_text(r.accuracy_rate()));
            rows.push_back(std::move(row));
        }
        if (!rows.empty())
            print_table(header, rows);
        std::cout << plural(rates.size(), "row", "rows") << '\n';
        return exit_ok;
    }
    std::string text;
    if (format == "csv") {
        detail::append_csv_line(text, header);
        for (const CheckRates& r : rates) {
            std::vector<std::string> row{r.month, node_code(h, r.node), node_name(h, r.node)};
            for (std::string& c : counts(r))
                row.push_back(std::move(c));
            row.push_back(rate_csv(r.collection_rate()));
            row.push_back(rate_csv(r.accuracy_rate()));
            detail::append_csv_line(text, row);
        }
    } else {
        Json j = Json::array();
        for (const CheckRates& r : rates) {
            Json k;
            k["month"] = r.month;
            k["node"] = node_code(h, r.node);
            k["name"] = node_name(h, r.node);
            k["sampled"] = r.sampled;
            k["checked"] = r.checked();
            k["correct"] = r.correct;
            k["not_collected"] = r.not_collected;
            k["not_deregistered"] = r.not_deregistered;
            k["wrong"] = r.wrong;
            k["collection_rate"] = rate_json(r.collection_rate());
            k["accuracy_rate"] = rate_json(r.accuracy_rate());
            j.push_back(std::move(k));
        }
        text = j.dump(2);
    }
    write_output(o.output, text);
    if (to_file && !g.json)
        std::cerr << "wrote " << o.output << '\n';
    return exit_ok;
}

}  // namespace gridgov::cli
