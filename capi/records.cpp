// C ABI: the records of a workspace (kinds, records with their history, questions,
// findings, import and export, who reads them and the access log, the 四实 collection
// checks), as JSON text in and out.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.hpp"
#include "gridgov.h"
#include "gridgov/assessment.hpp"
#include "gridgov/records.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"
#include "io/json_fields.hpp"

/// gridgov_record_reader: created by gridgov_record_reader_person() or _system(), freed by
/// gridgov_record_reader_destroy(). Only the records functions read it, so it is defined
/// here rather than in handles.hpp; it refers to no workspace.
struct gridgov_record_reader {
    gridgov::RecordReader reader;
};

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::bad_value;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;
using gridgov::capi::reveal_of;
using gridgov::capi::text;
using gridgov::detail::JsonType;
using Json = nlohmann::ordered_json;

// The formats records are read and written in: CSV and JSON, and AUTO where the file's
// name tells (an import, a file export).
gridgov::DocumentFormat format_of(int format, bool automatic) {
    switch (format) {
        case GRIDGOV_FORMAT_JSON:
            return gridgov::DocumentFormat::json;
        case GRIDGOV_FORMAT_CSV:
            return gridgov::DocumentFormat::csv;
        case GRIDGOV_FORMAT_AUTO:
            if (automatic)
                return gridgov::DocumentFormat::automatic;
            break;
        default:
            break;
    }
    bad_value("format", format,
              automatic ? "GRIDGOV_FORMAT_CSV, _JSON or _AUTO" : "GRIDGOV_FORMAT_CSV or _JSON");
}

gridgov::Date effective_or_min(const char* iso) {
    return gridgov::capi::optional_date(iso, "effective").value_or(gridgov::Date::min());
}

// The node with `code`: the live one, else a retired one (a code is never reused), so
// that the records face decides whether the node was live on the date of the change.
std::optional<gridgov::NodeId> node_with_code(const gridgov::Hierarchy& h, std::string_view code) {
    if (const auto live = h.find(code))
        return live;
    for (gridgov::NodeId id = 0; id < h.id_count(); ++id) {
        if (h.code(id) == code)
            return id;
    }
    return std::nullopt;
}

// A node code read from `field` of the object at `where`.
gridgov::NodeId node_field(const gridgov::Hierarchy& h, const std::string& code,
                           const std::string& where, std::string_view field) {
    const auto node = node_with_code(h, code);
    if (!node) {
        gridgov::detail::field_error(ErrorCode::not_found, where, field,
                                     "unknown node " + gridgov::detail::json_shown_text(code));
    }
    return *node;
}

// The reader of a read of record contents (NULL is GRIDGOV_EINVAL naming `reader`).
const gridgov::RecordReader& reader_of(const gridgov_record_reader* reader) {
    require(reader, "reader");
    return reader->reader;
}

Json parse(const char* text_in, const char* parameter) {
    return gridgov::detail::parse_json_document<Json>(text_in, parameter);
}

void refuse_unknown_members(const Json& object, const std::string& where,
                            std::initializer_list<std::string_view> known, const char* expected) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool found = false;
        for (std::string_view k : known)
            found = found || it.key() == k;
        if (!found) {
            gridgov::detail::field_error(ErrorCode::invalid_argument, where, it.key(),
                                         std::string("unknown member (expected ") + expected + ")");
        }
    }
}

gridgov::OverlayPlace place_of(const Json& j, const std::string& where) {
    gridgov::detail::json_require_object(j, where);
    refuse_unknown_members(j, where, {"overlay", "unit"}, "overlay or unit");
    return gridgov::OverlayPlace{gridgov::detail::json_string(j, "overlay", where, true),
                                 gridgov::detail::json_string(j, "unit", where, true)};
}

// One record object of the layout records.h describes. `where` names it in messages as the
// records face does: "records[2]", then "records[2] ('R-1')" once its key is read; `keyed`
// gives the second form from the first and the key.
template <class Keyed>
gridgov::Record record_of(const Json& j, const gridgov::Hierarchy& h, std::string where,
                          Keyed&& keyed) {
    gridgov::detail::json_require_object(j, where);
    gridgov::Record r;
    r.key = gridgov::detail::json_string(j, "key", where, true);
    where = keyed(where, gridgov::detail::json_shown_text(r.key));
    refuse_unknown_members(j, where, {"key", "kind", "node", "overlays", "fields"},
                           "key, kind, node, overlays or fields");
    r.kind = gridgov::detail::json_string(j, "kind", where, true);
    r.node = node_field(h, gridgov::detail::json_string(j, "node", where, true), where, "node");
    if (const Json* overlays = gridgov::detail::json_array(j, "overlays", where)) {
        for (std::size_t i = 0; i < overlays->size(); ++i) {
            r.overlays.push_back(
                place_of((*overlays)[i], where + " overlays[" + std::to_string(i) + "]"));
        }
    }
    if (const Json* fields = gridgov::detail::json_field(j, "fields", JsonType::object, where)) {
        for (auto it = fields->begin(); it != fields->end(); ++it) {
            if (it->is_null())
                continue;  // absent, as a member left out
            gridgov::detail::json_require(*it, JsonType::string, where, it.key());
            r.fields.emplace_back(it.key(), it->get<std::string>());
        }
    }
    return r;
}

Json node_json(const gridgov::Hierarchy& h, gridgov::NodeId node) {
    if (node == gridgov::no_node || node >= h.id_count())
        return nullptr;
    return h.code(node);
}

Json record_json(const gridgov::Record& r, const gridgov::Hierarchy& h) {
    Json overlays = Json::array();
    for (const gridgov::OverlayPlace& p : r.overlays)
        overlays.push_back({{"overlay", p.overlay}, {"unit", p.unit}});
    Json fields = Json::object();
    for (const auto& [name, value] : r.fields)
        fields[name] = value;
    return Json{{"key", r.key},
                {"kind", r.kind},
                {"node", node_json(h, r.node)},
                {"overlays", std::move(overlays)},
                {"fields", std::move(fields)}};
}

Json records_json(const std::vector<gridgov::Record>& records, const gridgov::Hierarchy& h) {
    Json out = Json::array();
    for (const gridgov::Record& r : records)
        out.push_back(record_json(r, h));
    return out;
}

Json date_json(gridgov::Date day) {
    if (day <= gridgov::Date::min() || day >= gridgov::Date::max())
        return nullptr;
    return day.to_string();
}

// Findings as the import report and the command-line tool write them.
Json findings_json(const std::vector<gridgov::Finding>& findings) {
    Json out = Json::array();
    for (const gridgov::Finding& f : findings) {
        out.push_back({{"rule", f.rule},
                       {"severity", gridgov::severity_name(f.severity)},
                       {"where", f.where},
                       {"message", f.message}});
    }
    return out;
}

std::string report_json(const gridgov::RecordImportReport& r) {
    return Json{{"added", r.added},
                {"changed", r.changed},
                {"unchanged", r.unchanged},
                {"findings", findings_json(r.findings)}}
        .dump();
}

gridgov::RecordFilter filter_of(const char* filter_json, const gridgov::Hierarchy& h) {
    gridgov::RecordFilter filter;
    if (filter_json == nullptr)
        return filter;
    const std::string where = "filter_json";
    const Json j = parse(filter_json, "filter_json");
    gridgov::detail::json_require_object(j, where);
    refuse_unknown_members(j, where, {"kind", "within", "where", "overlay"},
                           "kind, within, where or overlay");
    filter.kind = gridgov::detail::json_string(j, "kind", where);
    const std::string within = gridgov::detail::json_string(j, "within", where);
    if (!within.empty())
        filter.within = node_field(h, within, where, "within");
    if (const Json* pairs = gridgov::detail::json_field(j, "where", JsonType::object, where)) {
        for (auto it = pairs->begin(); it != pairs->end(); ++it) {
            gridgov::detail::json_require(*it, JsonType::string, where + " where", it.key());
            filter.where.emplace_back(it.key(), it->get<std::string>());
        }
    }
    if (const Json* overlay = gridgov::detail::json_field(j, "overlay", JsonType::object, where))
        filter.overlay = place_of(*overlay, where + " overlay");
    return filter;
}

// A node code parameter that may be NULL or "" (everywhere): the live node, else a retired
// one (what the records face makes of it); an unknown code is Error(not_found) naming it.
gridgov::NodeId node_parameter(const gridgov::Hierarchy& h, const char* code,
                               const char* parameter) {
    if (code == nullptr || *code == '\0')
        return gridgov::no_node;
    const auto node = node_with_code(h, code);
    if (!node) {
        throw Error(ErrorCode::not_found, std::string(parameter) + ": unknown node " +
                                              gridgov::detail::json_shown_text(code));
    }
    return *node;
}

// An assessment period ("2026", "2026-09", "2026-Q3", "2026-H2"); malformed text is
// Error(invalid_argument) naming the parameter, as a malformed date.
gridgov::AssessmentPeriod period_parameter(const char* period, const char* parameter) {
    require(period, parameter);
    try {
        return gridgov::AssessmentPeriod::parse(period);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(parameter) + ": " + e.what());
    }
}

Json optional_number(const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
}

}  // namespace

extern "C" {

// ---- readers --------------------------------------------------------------------------

int gridgov_record_reader_person(gridgov_record_reader** out, const char* person,
                                 const char* purpose, const char* on, int reveal) {
    return guard([&] {
        require(out, "out");
        require(person, "person");
        require(purpose, "purpose");
        const auto day = gridgov::capi::optional_date(on, "on");
        const gridgov::Reveal r = reveal_of(reveal);
        *out =
            new gridgov_record_reader{gridgov::RecordReader::person_read(person, purpose, r, day)};
    });
}

int gridgov_record_reader_system(gridgov_record_reader** out, const char* purpose, int reveal) {
    return guard([&] {
        require(out, "out");
        require(purpose, "purpose");
        const gridgov::Reveal r = reveal_of(reveal);
        *out = new gridgov_record_reader{gridgov::RecordReader::system_read(purpose, r)};
    });
}

void gridgov_record_reader_destroy(gridgov_record_reader* reader) {
    delete reader;
}

// ---- kinds ----------------------------------------------------------------------------

int gridgov_records_schema_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(ws->ws.records().schema().to_json());
    });
}

int gridgov_records_set_schema_json(gridgov_workspace* ws, const char* json,
                                    const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.records().set_schema(gridgov::RecordSchema::from_json(
            json, source_name == nullptr ? "<text>" : source_name));
    });
}

int gridgov_records_extend_schema_json(gridgov_workspace* ws, const char* json,
                                       const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        // The extension may refer to the kinds of the workspace's schema.
        ws->ws.records().extend_schema(gridgov::RecordSchema::extension_from_json(
            json, ws->ws.records().schema(), source_name == nullptr ? "<text>" : source_name));
    });
}

int gridgov_records_preset_keys(char** out) {
    return guard([&] {
        require(out, "out");
        std::string keys;
        for (const std::string& k : gridgov::RecordSchema::preset_keys())
            keys += k + "\n";
        *out = dup_string(keys);
    });
}

int gridgov_records_preset_schema_json(char** out, const char* key) {
    return guard([&] {
        require(out, "out");
        require(key, "key");
        *out = dup_string(gridgov::RecordSchema::preset(key).to_json());
    });
}

// ---- changes --------------------------------------------------------------------------

int gridgov_records_add_json(char** out_findings, gridgov_workspace* ws, const char* records_json,
                             const char* effective) {
    return guard([&] {
        require(out_findings, "out_findings");
        require(ws, "ws");
        require(records_json, "records_json");
        const gridgov::Date from = effective_or_min(effective);
        const Json all = parse(records_json, "records_json");
        if (!all.is_array()) {
            throw Error(
                ErrorCode::invalid_argument,
                "records_json: " + gridgov::detail::json_type_problem(all, JsonType::array));
        }
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        std::vector<gridgov::Record> records;
        records.reserve(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            records.push_back(record_of(all[i], h, "records[" + std::to_string(i) + "]",
                                        [](const std::string& where, const std::string& key) {
                                            return where + " (" + key + ")";
                                        }));
        }
        const std::string findings = findings_json(ws->ws.records().add(records, from)).dump();
        *out_findings = dup_string(findings);
    });
}

int gridgov_records_update_json(char** out_findings, gridgov_workspace* ws, const char* record_json,
                                const char* effective) {
    return guard([&] {
        require(out_findings, "out_findings");
        require(ws, "ws");
        require(record_json, "record_json");
        const gridgov::Date on = gridgov::capi::required_date(effective, "effective");
        const gridgov::Record record = record_of(
            parse(record_json, "record_json"), ws->ws.hierarchy().view(), "record",
            [](const std::string& where, const std::string& key) { return where + " " + key; });
        const std::string findings = findings_json(ws->ws.records().update(record, on)).dump();
        *out_findings = dup_string(findings);
    });
}

int gridgov_records_move(gridgov_workspace* ws, const char* key, const char* node_code,
                         const char* effective) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        require(node_code, "node_code");
        const gridgov::Date on = gridgov::capi::required_date(effective, "effective");
        const auto node = node_with_code(ws->ws.hierarchy().view(), node_code);
        if (!node) {
            throw Error(ErrorCode::not_found,
                        "node_code: unknown node " + gridgov::detail::json_shown_text(node_code));
        }
        ws->ws.records().move(key, *node, on);
    });
}

int gridgov_records_remove(gridgov_workspace* ws, const char* key, const char* effective) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        ws->ws.records().remove(key, gridgov::capi::required_date(effective, "effective"));
    });
}

// ---- questions ------------------------------------------------------------------------

int gridgov_records_count(size_t* out, const gridgov_workspace* ws, const char* kind) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.records().count(text(kind));
    });
}

int gridgov_records_get_json(char** out, const gridgov_workspace* ws,
                             const gridgov_record_reader* reader, const char* key, const char* on) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        require(key, "key");
        const auto date = gridgov::capi::optional_date(on, "on");
        const std::optional<gridgov::Record> record = ws->ws.records().get(r, key, date);
        *out = dup_string(record ? record_json(*record, ws->ws.hierarchy().view()).dump()
                                 : std::string("null"));
    });
}

int gridgov_records_history_json(char** out, const gridgov_workspace* ws,
                                 const gridgov_record_reader* reader, const char* key) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        require(key, "key");
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        Json versions = Json::array();
        for (const gridgov::RecordVersion& v : ws->ws.records().history(r, key)) {
            versions.push_back({{"version", v.version},
                                {"change", gridgov::record_change_name(v.change)},
                                {"effective", date_json(v.effective)},
                                {"record", record_json(v.record, h)}});
        }
        *out = dup_string(versions.dump());
    });
}

int gridgov_records_find_json(char** out, const gridgov_workspace* ws,
                              const gridgov_record_reader* reader, const char* field,
                              const char* value) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        require(field, "field");
        require(value, "value");
        *out = dup_string(
            records_json(ws->ws.records().find(r, field, value), ws->ws.hierarchy().view()).dump());
    });
}

int gridgov_records_list_json(char** out, const gridgov_workspace* ws,
                              const gridgov_record_reader* reader, const char* filter_json) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        const gridgov::RecordFilter filter = filter_of(filter_json, h);
        *out = dup_string(records_json(ws->ws.records().list(r, filter), h).dump());
    });
}

int gridgov_records_roll_up_json(char** out, const gridgov_workspace* ws, const char* kind,
                                 const char* field, const char* value) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(kind, "kind");
        const std::vector<double> totals = ws->ws.records().roll_up(kind, text(field), text(value));
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        if (totals.size() != h.id_count()) {
            throw Error(ErrorCode::internal, "records roll-up: " + std::to_string(totals.size()) +
                                                 " totals for " + std::to_string(h.id_count()) +
                                                 " node ids");
        }
        Json doc = Json::object();
        for (gridgov::NodeId id = 0; id < totals.size(); ++id) {
            if (h.is_live(id))
                doc[h.code(id)] = totals[id];
        }
        *out = dup_string(doc.dump());
    });
}

int gridgov_records_validate_json(char** out, const gridgov_workspace* ws, const char* on) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Date date = gridgov::capi::required_date(on, "on");
        *out = dup_string(findings_json(ws->ws.records().validate(date)).dump());
    });
}

int gridgov_records_validate_policy_json(char** out, const gridgov_workspace* ws, const char* on,
                                         const char* policy) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(policy, "policy");
        const gridgov::Date date = gridgov::capi::required_date(on, "on");
        const gridgov::RecordValidationPolicy p =
            gridgov::RecordValidationPolicy::from_json(policy, "policy");
        *out = dup_string(findings_json(ws->ws.records().validate(date, p)).dump());
    });
}

// ---- import and export ----------------------------------------------------------------

int gridgov_records_import_file(char** out_report, gridgov_workspace* ws, const char* path,
                                const char* kind, const char* effective) {
    return guard([&] {
        require(out_report, "out_report");
        require(ws, "ws");
        require(path, "path");
        const gridgov::Date from = effective_or_min(effective);
        *out_report = dup_string(report_json(ws->ws.records().import_file(path, text(kind), from)));
    });
}

int gridgov_records_import_text(char** out_report, gridgov_workspace* ws, const char* text_in,
                                int format, const char* kind, const char* source_name,
                                const char* effective) {
    return guard([&] {
        require(out_report, "out_report");
        require(ws, "ws");
        require(text_in, "text");
        const gridgov::DocumentFormat f = format_of(format, true);
        const gridgov::Date from = effective_or_min(effective);
        *out_report = dup_string(report_json(ws->ws.records().import_text(
            text_in, f, text(kind), source_name == nullptr ? "<text>" : source_name, from)));
    });
}

int gridgov_records_export_text(char** out, const gridgov_workspace* ws,
                                const gridgov_record_reader* reader, int format, const char* kind) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        const gridgov::DocumentFormat f = format_of(format, false);
        *out = dup_string(ws->ws.records().export_text(r, f, text(kind)));
    });
}

int gridgov_records_export_file(const gridgov_workspace* ws, const gridgov_record_reader* reader,
                                const char* path, int format, const char* kind) {
    return guard([&] {
        require(ws, "ws");
        const gridgov::RecordReader& r = reader_of(reader);
        require(path, "path");
        const gridgov::DocumentFormat f = format_of(format, true);
        ws->ws.records().export_file(r, path, text(kind), f);
    });
}

// ---- the access log -------------------------------------------------------------------

int gridgov_records_access_log_json(char** out, const gridgov_workspace* ws, uint64_t after_seq,
                                    size_t limit) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        // Sequence numbers are positive int64 in the store: a larger one is after them all.
        const auto after = static_cast<std::int64_t>(std::min<std::uint64_t>(
            after_seq, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
        *out = dup_string(gridgov::record_access_log_text(ws->ws.records().access_log(after, limit),
                                                          gridgov::DocumentFormat::json));
    });
}

int gridgov_records_verify_access_log_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::AccessLogCheck check = ws->ws.records().verify_access_log();
        *out = dup_string(Json{
            {"entries", check.entries},
            {"intact", check.intact},
            {"first_bad", check.first_bad},
            {"problem",
             check.problem}}.dump());
    });
}

int gridgov_records_export_access_log(const gridgov_workspace* ws, const char* path, int format) {
    return guard([&] {
        require(ws, "ws");
        require(path, "path");
        ws->ws.records().export_access_log(path, format_of(format, true));
    });
}

// ---- collection quality (四实 checks) ---------------------------------------------------

int gridgov_records_draw_check_json(char** out, const gridgov_workspace* ws, const char* kind,
                                    const char* within, size_t count, uint64_t seed) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(kind, "kind");
        const gridgov::NodeId node = node_parameter(ws->ws.hierarchy().view(), within, "within");
        *out =
            dup_string(gridgov::draw_to_json(ws->ws.records().draw_check(kind, node, count, seed)));
    });
}

int gridgov_records_record_check_json(gridgov_workspace* ws, const char* round_json) {
    return guard([&] {
        require(ws, "ws");
        require(round_json, "round_json");
        // Parsed here first so that text that is not JSON is named as the parameter.
        const Json j = parse(round_json, "round_json");
        ws->ws.records().record_check(gridgov::check_round_from_json(j.dump()));
    });
}

int gridgov_records_checks_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        Json all = Json::array();
        for (const gridgov::CheckRound& round : ws->ws.records().checks())
            all.push_back(Json::parse(gridgov::check_round_to_json(round, h)));
        *out = dup_string(all.dump());
    });
}

int gridgov_records_check_rates_json(char** out, const gridgov_workspace* ws, const char* from,
                                     const char* to) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Date first =
            gridgov::capi::optional_date(from, "from").value_or(gridgov::Date::min());
        const gridgov::Date last =
            gridgov::capi::optional_date(to, "to").value_or(gridgov::Date::max());
        const gridgov::Hierarchy& h = ws->ws.hierarchy().view();
        Json all = Json::array();
        for (const gridgov::CheckRates& r : ws->ws.records().check_rates(first, last)) {
            all.push_back(Json{{"node", node_json(h, r.node)},
                               {"month", r.month},
                               {"sampled", r.sampled},
                               {"checked", r.checked()},
                               {"correct", r.correct},
                               {"not_collected", r.not_collected},
                               {"not_deregistered", r.not_deregistered},
                               {"wrong", r.wrong},
                               {"collection_rate", optional_number(r.collection_rate())},
                               {"accuracy_rate", optional_number(r.accuracy_rate())}});
        }
        *out = dup_string(all.dump());
    });
}

int gridgov_records_check_indicators_json(char** out, const gridgov_workspace* ws,
                                          const char* period) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::AssessmentPeriod p = period_parameter(period, "period");
        Json all = Json::object();
        for (const auto& [code, values] : ws->ws.records().check_indicators(p))
            all[code] = gridgov::capi::indicator_values_json(values);
        *out = dup_string(all.dump());
    });
}

}  // extern "C"
