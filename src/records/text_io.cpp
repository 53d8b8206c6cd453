// Records in CSV and JSON documents: reading them for import and writing them for export
// (records/model.hpp; formats in docs/records.md).
#include <nlohmann/json.hpp>

#include <set>

#include "core/json_text.hpp"
#include "io/csv.hpp"
#include "io/json_fields.hpp"
#include "records/model.hpp"

namespace gridgov::detail {
namespace {

using Json = nlohmann::ordered_json;

NodeId node_by_code(const Hierarchy& h, std::string_view code, const std::string& where) {
    if (code.empty())
        field_error(ErrorCode::invalid_argument, where, "node", "missing");
    const std::optional<NodeId> n = h.find(code);
    if (!n)
        field_error(ErrorCode::not_found, where, "node", "unknown node " + record_quote(code));
    return *n;
}

// A field's column: by its name or its label.
const FieldSpec* field_by_header(const RecordKind& kind, std::string_view header) {
    if (const FieldSpec* f = kind.field(header))
        return f;
    for (const FieldSpec& f : kind.fields) {
        if (!f.label.empty() && f.label == header)
            return &f;
    }
    return nullptr;
}

std::string json_text_value(const Json& v, const std::string& where, std::string_view field) {
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_integer())
        return v.dump();
    if (v.is_number())
        return format_number(v.get<double>());
    if (v.is_array()) {
        std::string out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string())
                field_error(ErrorCode::invalid_argument, where, field,
                            "element " + std::to_string(i) + " is not a string");
            out += (out.empty() ? "" : "|") + v[i].get<std::string>();
        }
        return out;
    }
    if (v.is_null())
        return {};
    field_error(ErrorCode::invalid_argument, where, field, json_type_problem(v, JsonType::string));
}

}  // namespace

std::vector<RecordRow> read_records_csv(std::string_view text, const RecordSchema& schema,
                                        const Hierarchy& hierarchy, std::string_view kind_key,
                                        const std::string& source_name) {
    const CsvSource source{source_name, CsvPlaces::source_row};
    const std::vector<CsvRecord> rows = read_csv(text, source);
    if (rows.empty())
        throw Error(ErrorCode::parse_error, source_name + ": empty (a header row is needed)");
    const std::vector<std::string>& header = rows.front().cells;
    int key_col = -1;
    int node_col = -1;
    int kind_col = -1;
    int overlays_col = -1;
    for (std::size_t c = 0; c < header.size(); ++c) {
        const std::string& h = header[c];
        if (h == "key")
            key_col = static_cast<int>(c);
        else if (h == "node")
            node_col = static_cast<int>(c);
        else if (h == "kind")
            kind_col = static_cast<int>(c);
        else if (h == "overlays")
            overlays_col = static_cast<int>(c);
    }
    if (key_col < 0)
        throw Error(ErrorCode::invalid_argument, source_name + ": no column 'key'");
    if (node_col < 0)
        throw Error(ErrorCode::invalid_argument, source_name + ": no column 'node'");
    if (kind_key.empty() && kind_col < 0)
        throw Error(ErrorCode::invalid_argument,
                    source_name + ": no kind given and no column 'kind'");
    // The kinds a file may hold: the one given, or every kind its rows name.
    std::vector<const RecordKind*> kinds;
    if (!kind_key.empty()) {
        const RecordKind* k = schema.find(kind_key);
        if (k == nullptr)
            throw Error(ErrorCode::not_found,
                        source_name + ": unknown record kind " + record_quote(kind_key));
        kinds.push_back(k);
    } else {
        std::set<std::string, std::less<>> seen;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const std::vector<std::string>& cells = rows[r].cells;
            const std::string k = static_cast<std::size_t>(kind_col) < cells.size()
                                      ? cells[static_cast<std::size_t>(kind_col)]
                                      : std::string();
            if (!seen.insert(k).second)
                continue;
            const RecordKind* rk = schema.find(k);
            if (rk == nullptr)
                field_error(ErrorCode::not_found, source.at(rows[r].line), "kind",
                            "unknown kind " + record_quote(k));
            kinds.push_back(rk);
        }
    }
    // Each column a field of every kind the file holds; each required field a column.
    std::vector<std::string> column_field(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        const auto ci = static_cast<int>(c);
        if (ci == key_col || ci == node_col || ci == kind_col || ci == overlays_col)
            continue;
        for (const RecordKind* k : kinds) {
            const FieldSpec* f = field_by_header(*k, header[c]);
            if (f == nullptr)
                field_error(ErrorCode::invalid_argument, source.at(rows.front().line), header[c],
                            "kind " + record_quote(k->key) + " has no such field");
            if (!column_field[c].empty() && column_field[c] != f->name)
                field_error(ErrorCode::invalid_argument, source.at(rows.front().line), header[c],
                            "names different fields of the file's kinds");
            column_field[c] = f->name;
        }
    }
    for (const RecordKind* k : kinds) {
        for (const FieldSpec& f : k->fields) {
            if (!f.required)
                continue;
            bool found = false;
            for (const std::string& name : column_field)
                found = found || name == f.name;
            if (!found)
                throw Error(ErrorCode::invalid_argument,
                            source_name + ": no column for the required field " +
                                record_quote(f.name) +
                                (f.label.empty() ? "" : " (" + f.label + ")") + " of kind " +
                                record_quote(k->key));
        }
    }
    std::vector<RecordRow> out;
    out.reserve(rows.size() - 1);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const std::vector<std::string>& cells = rows[r].cells;
        const std::string where = source.at(rows[r].line);
        if (cells.size() != header.size())
            throw Error(ErrorCode::parse_error, where + ": " + std::to_string(cells.size()) +
                                                    " cells, the header has " +
                                                    std::to_string(header.size()));
        RecordRow row;
        row.where = where;
        row.record.key = cells[static_cast<std::size_t>(key_col)];
        row.record.kind =
            kind_key.empty() ? cells[static_cast<std::size_t>(kind_col)] : std::string(kind_key);
        row.record.node = node_by_code(hierarchy, cells[static_cast<std::size_t>(node_col)], where);
        if (overlays_col >= 0)
            row.record.overlays =
                parse_overlays_text(cells[static_cast<std::size_t>(overlays_col)], where);
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (!column_field[c].empty() && !cells[c].empty())
                row.record.fields.emplace_back(column_field[c], cells[c]);
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::vector<RecordRow> read_records_json(std::string_view text, const RecordSchema& schema,
                                         const Hierarchy& hierarchy, std::string_view kind_key,
                                         const std::string& source_name) {
    const Json doc = parse_json_document<Json>(text, source_name);
    const Json* list = &doc;
    std::string prefix = source_name + " ";
    if (doc.is_object()) {
        list = json_array(doc, "records", source_name, true);
        prefix += "records";
    }
    if (!list->is_array())
        throw Error(ErrorCode::invalid_argument,
                    source_name + ": neither an array of records nor {\"records\": [...]}");
    std::vector<RecordRow> out;
    out.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& j = (*list)[i];
        RecordRow row;
        row.where = prefix + "[" + std::to_string(i) + "]";
        json_require_object(j, row.where);
        static const std::set<std::string, std::less<>> known{"key", "kind", "node", "overlays",
                                                              "fields"};
        for (const auto& member : j.items()) {
            if (known.count(member.key()) == 0)
                field_error(ErrorCode::invalid_argument, row.where, member.key(),
                            "unknown member (fields go in \"fields\")");
        }
        row.record.key = json_string(j, "key", row.where, true);
        row.record.kind = json_string(j, "kind", row.where);
        if (row.record.kind.empty())
            row.record.kind = std::string(kind_key);
        if (row.record.kind.empty())
            field_error(ErrorCode::invalid_argument, row.where, "kind", "missing");
        const RecordKind* kind = schema.find(row.record.kind);
        if (kind == nullptr)
            field_error(ErrorCode::not_found, row.where, "kind",
                        "unknown kind " + record_quote(row.record.kind));
        row.record.node = node_by_code(hierarchy, json_string(j, "node", row.where), row.where);
        if (const Json* o = json_member(j, "overlays")) {
            if (o->is_string()) {
                row.record.overlays = parse_overlays_text(o->get<std::string>(), row.where);
            } else {
                json_require(*o, JsonType::array, row.where, "overlays");
                for (std::size_t k = 0; k < o->size(); ++k) {
                    const std::string at = row.where + " overlays[" + std::to_string(k) + "]";
                    if ((*o)[k].is_string()) {
                        for (OverlayPlace& p : parse_overlays_text((*o)[k].get<std::string>(), at))
                            row.record.overlays.push_back(std::move(p));
                        continue;
                    }
                    row.record.overlays.push_back({json_string((*o)[k], "overlay", at, true),
                                                   json_string((*o)[k], "unit", at, true)});
                }
            }
        }
        if (const Json* f = json_field(j, "fields", JsonType::object, row.where)) {
            for (const auto& member : f->items()) {
                const FieldSpec* spec = field_by_header(*kind, member.key());
                const std::string name = spec == nullptr ? member.key() : spec->name;
                std::string value = json_text_value(member.value(), row.where, member.key());
                if (!value.empty())
                    row.record.fields.emplace_back(name, std::move(value));
            }
        }
        out.push_back(std::move(row));
    }
    return out;
}

namespace {

Json record_object(const Hierarchy& hierarchy, const Record& r) {
    Json j = Json::object();
    j["key"] = r.key;
    j["kind"] = r.kind;
    j["node"] = r.node < hierarchy.id_count() ? hierarchy.code(r.node) : std::string();
    Json overlays = Json::array();
    for (const OverlayPlace& p : r.overlays)
        overlays.push_back(Json{{"overlay", p.overlay}, {"unit", p.unit}});
    j["overlays"] = std::move(overlays);
    Json fields = Json::object();
    for (const auto& [name, value] : r.fields)
        fields[name] = value;
    j["fields"] = std::move(fields);
    return j;
}

}  // namespace

std::string records_csv(const RecordKind& kind, const Hierarchy& hierarchy,
                        const std::vector<Record>& records) {
    std::string out;
    std::vector<std::string> cells{"key", "node", "overlays"};
    for (const FieldSpec& f : kind.fields)
        cells.push_back(f.name);
    append_csv_line(out, cells);
    for (const Record& r : records) {
        cells.clear();
        cells.push_back(r.key);
        cells.push_back(r.node < hierarchy.id_count() ? hierarchy.code(r.node) : std::string());
        cells.push_back(overlays_text(r.overlays));
        for (const FieldSpec& f : kind.fields) {
            const std::string* v = r.field(f.name);
            cells.push_back(v == nullptr ? std::string() : *v);
        }
        append_csv_line(out, cells);
    }
    return out;
}

std::string records_json(const Hierarchy& hierarchy, const std::vector<Record>& records) {
    Json list = Json::array();
    for (const Record& r : records)
        list.push_back(record_object(hierarchy, r));
    Json doc = Json::object();
    doc["records"] = std::move(list);
    return doc.dump(2) + "\n";
}

std::string record_json(const Hierarchy& hierarchy, const Record& record) {
    return record_object(hierarchy, record).dump();
}

}  // namespace gridgov::detail

namespace gridgov {

namespace {

detail::Json access_object(const RecordAccess& e) {
    detail::Json j = detail::Json::object();
    j["seq"] = e.seq;
    j["at"] = e.at;
    j["reader"] = e.reader;
    j["system"] = e.system;
    j["purpose"] = e.purpose;
    j["read"] = e.read;
    j["key"] = e.key;
    j["kind"] = e.kind;
    j["fields"] = e.fields;
    j["hash"] = e.hash;
    return j;
}

}  // namespace

RecordReader RecordReader::system_read(std::string purpose, Reveal reveal) {
    RecordReader r;
    r.system = true;
    r.purpose = std::move(purpose);
    r.reveal = reveal;
    return r;
}

RecordReader RecordReader::person_read(std::string person, std::string purpose, Reveal reveal,
                                       std::optional<Date> on) {
    RecordReader r;
    r.person = std::move(person);
    r.purpose = std::move(purpose);
    r.reveal = reveal;
    r.on = on;
    return r;
}

std::string record_access_to_json(const RecordAccess& entry) {
    return access_object(entry).dump();
}

std::string record_access_log_text(const std::vector<RecordAccess>& entries,
                                   DocumentFormat format) {
    if (format == DocumentFormat::json) {
        detail::Json list = detail::Json::array();
        for (const RecordAccess& e : entries)
            list.push_back(access_object(e));
        return list.dump(2) + "\n";
    }
    if (format != DocumentFormat::csv)
        throw Error(ErrorCode::invalid_argument, "the access log is written as csv or json");
    std::string out;
    detail::append_csv_line(
        out, {"seq", "at", "reader", "system", "purpose", "read", "key", "kind", "fields", "hash"});
    for (const RecordAccess& e : entries) {
        std::string fields;
        for (const std::string& f : e.fields)
            fields += (fields.empty() ? "" : "|") + f;
        detail::append_csv_line(
            out, {std::to_string(e.seq), e.at, e.reader, e.system ? "true" : "false", e.purpose,
                  e.read, e.key, e.kind, fields, e.hash});
    }
    return out;
}

}  // namespace gridgov
