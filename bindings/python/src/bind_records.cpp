// Records for Python (人、地、事、物、情、组织): the kinds and schemas (FieldSpec,
// RecordKind, RecordSchema), records with their dated history (Record, RecordVersion), the
// code checks, and the functions of Workspace.records (WorkspaceRecords): changes,
// questions, roll-ups, findings, import and export, the 四实 collection-quality checks
// (CheckOutcome, CheckFinding, CheckRound, CheckRates: draws, rounds, rates and indicator
// values), and the columns behind its frames (gridgov/_records.py).
//
// Records come out as copies with node codes, never as references into the workspace.
// Every read of record contents names its reader (RecordReader: a person of the directory,
// who reads the subtrees of their posts, or the system), its first argument. Sensitive
// fields (ID numbers, phones, special-group classes) are masked unless the reader reveals
// them; a record read masked cannot be given back to add() or update() with a sensitive
// value in it, so that a masked value is never written over the real one. A read that
// reveals writes the access log, so it takes the workspace's exclusive lock (reading()).
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/records.hpp"
#include "gridgov/workspace.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;

// A record as Python sees it: the node by its code.
struct PyRecord {
    std::string key, kind, node;
    std::vector<OverlayPlace> overlays;
    std::vector<std::pair<std::string, std::string>> fields;
    bool revealed = true;  // false when read from a workspace by a reader that masks
};

struct PyVersion {
    std::uint32_t version = 0;
    RecordChange change = RecordChange::added;
    Date effective;
    PyRecord record;
};

// A record argument before the workspace lock: the node is resolved under it.
struct RecordArg {
    Record record;
    std::optional<NodeRef> node;
    bool masked = false;  // read masked from a workspace
};

// The filter of list(), keys() and columns() before the workspace lock.
struct FilterArg {
    RecordFilter filter;
    std::optional<NodeRef> within;

    RecordFilter resolved(const Hierarchy& h) const {
        RecordFilter f = filter;
        if (within)
            f.within = resolve(h, *within);
        return f;
    }
};

std::string node_code(const Hierarchy& h, NodeId n) {
    return n < h.id_count() ? h.code(n) : std::string();
}

PyRecord py_record(const Hierarchy& h, Record r, bool revealed) {
    return PyRecord{std::move(r.key),      std::move(r.kind),   node_code(h, r.node),
                    std::move(r.overlays), std::move(r.fields), revealed};
}

std::vector<PyRecord> py_records(const Hierarchy& h, std::vector<Record> records, bool revealed) {
    std::vector<PyRecord> out;
    out.reserve(records.size());
    for (Record& r : records)
        out.push_back(py_record(h, std::move(r), revealed));
    return out;
}

DocumentFormat format_of(const std::string& name) {
    return document_format(name, "records format", false);
}

const char* derivation_name(Derivation d) {
    switch (d) {
        case Derivation::birth_date:
            return "birth_date";
        case Derivation::sex:
            return "sex";
        case Derivation::none:
            break;
    }
    return "none";
}

// ---- arguments ------------------------------------------------------------------------

std::string text_arg(py::handle obj, const std::string& what) {
    if (!py::isinstance<py::str>(obj))
        throw py::type_error(what + " must be a str, not " + type_name(obj));
    return obj.cast<std::string>();
}

// A field value as the text records carry: str as it is, int and float in decimal, a
// datetime.date as YYYY-MM-DD, a list or tuple of those joined by '|' (a `multiple`
// field); None leaves the field out.
std::optional<std::string> field_value(py::handle v, const std::string& what) {
    if (v.is_none())
        return std::nullopt;
    if (py::isinstance<py::str>(v))
        return v.cast<std::string>();
    if (PyBool_Check(v.ptr()) != 0)
        throw py::type_error(what + ": a bool is not a field value (give the text)");
    if (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v))
        return py::str(v).cast<std::string>();
    if (py::isinstance(v, dt_api().date_type))
        return to_date(v, what.c_str()).to_string();
    if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
        std::string joined;
        bool first = true;
        for (py::handle item : v) {
            const std::optional<std::string> one = field_value(item, what);
            if (!one)
                throw py::type_error(what + ": None inside a list of values");
            joined += (first ? "" : "|") + *one;
            first = false;
        }
        return joined;
    }
    throw py::type_error(
        what + " must be a str, a number, a datetime.date or a list of them, not " + type_name(v));
}

std::vector<std::pair<std::string, std::string>> fields_arg(py::handle obj,
                                                            const std::string& origin) {
    std::vector<std::pair<std::string, std::string>> out;
    if (obj.is_none())
        return out;
    if (!py::isinstance<py::dict>(obj) && !py::hasattr(obj, "items"))
        throw py::type_error(origin + ": fields must be a dict of field name to value, not " +
                             type_name(obj));
    for (py::handle item : obj.attr("items")()) {
        const py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
        const std::string name = text_arg(kv[0], origin + ": a field name");
        if (std::optional<std::string> value = field_value(kv[1], origin + " field '" + name + "'"))
            out.emplace_back(name, std::move(*value));
    }
    return out;
}

OverlayPlace place_arg(py::handle obj, const std::string& what) {
    if (py::isinstance<py::dict>(obj)) {
        const py::dict d = py::reinterpret_borrow<py::dict>(obj);
        if (!d.contains("overlay") || !d.contains("unit") || d.size() != 2)
            throw Error(ErrorCode::invalid_argument,
                        what + ": an overlay place is {'overlay': key, 'unit': code}");
        return OverlayPlace{text_arg(d["overlay"], what + " overlay"),
                            text_arg(d["unit"], what + " unit")};
    }
    if (py::isinstance<py::str>(obj) || !py::isinstance<py::sequence>(obj) || py::len(obj) != 2)
        throw py::type_error(what + ": an overlay place is a pair (overlay key, unit code), not " +
                             type_name(obj));
    const py::sequence s = py::reinterpret_borrow<py::sequence>(obj);
    return OverlayPlace{text_arg(s[0], what + " overlay"), text_arg(s[1], what + " unit")};
}

std::vector<OverlayPlace> places_arg(py::handle obj, const std::string& origin) {
    std::vector<OverlayPlace> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj) || py::isinstance<py::dict>(obj))
        throw py::type_error(origin + ": overlays must be a list of (overlay, unit) pairs, not " +
                             type_name(obj));
    for (py::handle item : py::iter(obj))
        out.push_back(place_arg(item, origin + " overlays[" + std::to_string(out.size()) + "]"));
    return out;
}

// A Record's node in Python is its code; a Node stands for its code.
std::string node_code_arg(py::handle obj, const std::string& what) {
    if (obj.is_none())
        return {};
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    if (py::isinstance<NodeView>(obj))
        return obj.attr("code").cast<std::string>();
    throw py::type_error(what + ": a record's node is a node code (str) or a Node, not " +
                         type_name(obj));
}

const char* const record_keys[] = {"key", "kind", "node", "fields", "overlays"};

// A record from a Record or a mapping {"key", "kind", "node", "fields", "overlays"}.
RecordArg record_arg(py::handle obj, const std::string& origin) {
    RecordArg arg;
    if (py::isinstance<PyRecord>(obj)) {
        const PyRecord& r = obj.cast<const PyRecord&>();
        arg.record.key = r.key;
        arg.record.kind = r.kind;
        arg.record.overlays = r.overlays;
        arg.record.fields = r.fields;
        if (!r.node.empty())
            arg.node = r.node;
        arg.masked = !r.revealed;
        return arg;
    }
    if (!py::isinstance<py::dict>(obj)) {
        if (!py::hasattr(obj, "items"))
            throw py::type_error(origin + ": a record is a Record or a dict, not " +
                                 type_name(obj));
        obj = py::dict(py::reinterpret_borrow<py::object>(obj));
    }
    const py::dict d = py::reinterpret_borrow<py::dict>(obj);
    for (const auto& item : d) {
        const std::string key = py::str(item.first).cast<std::string>();
        if (std::none_of(std::begin(record_keys), std::end(record_keys),
                         [&](const char* k) { return key == k; })) {
            throw Error(ErrorCode::invalid_argument,
                        origin + ": unknown record member '" + key +
                            "' (members: key, kind, node, fields, overlays)");
        }
    }
    const auto get = [&](const char* key) -> py::object {
        return d.contains(key) ? py::object(d[key]) : py::object(py::none());
    };
    const py::object key = get("key"), kind = get("kind"), node = get("node");
    if (!key.is_none())
        arg.record.key = text_arg(key, origin + " key");
    const std::string where = arg.record.key.empty() ? origin : "record '" + arg.record.key + "'";
    if (!kind.is_none())
        arg.record.kind = text_arg(kind, where + " kind");
    if (!node.is_none())
        arg.node = node_ref(node);
    arg.record.fields = fields_arg(get("fields"), where);
    arg.record.overlays = places_arg(get("overlays"), where);
    return arg;
}

std::vector<RecordArg> record_args(py::handle obj, const std::string& origin) {
    if (py::isinstance<py::dict>(obj) || py::isinstance<py::str>(obj) ||
        py::isinstance<PyRecord>(obj)) {
        throw py::type_error(origin + " takes a list of records, not a single " + type_name(obj));
    }
    std::vector<RecordArg> out;
    for (py::handle item : py::iter(obj))
        out.push_back(record_arg(item, origin + "[" + std::to_string(out.size()) + "]"));
    return out;
}

// The record of an argument, its node resolved; `where` names it in messages as the
// library does ("records[2] ('R-7')", "record 'R-7'"). A record read masked may not carry a
// sensitive value back (it would be the mask, written over the real value).
Record resolved(const RecordArg& a, const Workspace& ws, const std::string& where) {
    Record r = a.record;
    if (a.node) {
        try {
            r.node = resolve(ws.hierarchy().view(), *a.node);
        } catch (const Error& e) {
            throw Error(e.code(), where + " field 'node': " + e.what());
        }
    }
    if (a.masked) {
        if (const RecordKind* kind = ws.records().schema().find(r.kind)) {
            for (const auto& [name, value] : r.fields) {
                const FieldSpec* f = kind->field(name);
                if (f != nullptr && f->sensitive && !value.empty()) {
                    throw Error(ErrorCode::invalid_argument,
                                where + " field '" + name +
                                    "': the record was read masked; read it with a reader "
                                    "that reveals (reveal=True) to change it");
                }
            }
        }
    }
    return r;
}

FilterArg filter_arg(const std::string& kind, py::handle within, py::handle where,
                     py::handle overlay) {
    FilterArg a;
    a.filter.kind = kind;
    if (!within.is_none())
        a.within = node_ref(within);
    if (!where.is_none()) {
        if (!py::isinstance<py::dict>(where) && !py::hasattr(where, "items"))
            throw py::type_error("where must be a dict of field name to value, not " +
                                 type_name(where));
        for (py::handle item : where.attr("items")()) {
            const py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
            const std::string name = text_arg(kv[0], "where: a field name");
            const std::optional<std::string> value = field_value(kv[1], "where '" + name + "'");
            if (!value)
                throw py::type_error("where '" + name + "': None is not a value to match");
            a.filter.where.emplace_back(name, *value);
        }
    }
    if (!overlay.is_none())
        a.filter.overlay = place_arg(overlay, "overlay");
    return a;
}

// JSON text given for a schema, or nullopt for anything else.
std::optional<std::string> schema_json_arg(py::handle obj) {
    if (!py::isinstance<py::str>(obj))
        return std::nullopt;
    std::string text = obj.cast<std::string>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || text[first] != '{')
        return std::nullopt;
    return text;
}

RecordSchema schema_arg(py::handle obj, const char* what) {
    if (py::isinstance<RecordSchema>(obj))
        return obj.cast<RecordSchema>();
    if (py::isinstance<py::str>(obj)) {
        const std::string text = obj.cast<std::string>();
        const auto first = text.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && text[first] == '{')
            return RecordSchema::from_json(text, what);
        return RecordSchema::preset(text);
    }
    throw py::type_error(std::string(what) +
                         " must be a RecordSchema, JSON text or a preset key, not " +
                         type_name(obj));
}

// ---- results --------------------------------------------------------------------------

py::dict fields_dict(const PyRecord& r) {
    py::dict out;
    for (const auto& [k, v] : r.fields)
        out[py::str(k)] = py::str(v);
    return out;
}

py::list places_list(const std::vector<OverlayPlace>& places) {
    py::list out;
    for (const OverlayPlace& p : places)
        out.append(py::make_tuple(p.overlay, p.unit));
    return out;
}

const std::string* field_of(const PyRecord& r, const std::string& name) {
    for (const auto& [k, v] : r.fields) {
        if (k == name)
            return &v;
    }
    return nullptr;
}

std::string record_repr(const PyRecord& r) {
    return "<Record " + r.key + " " + r.kind + (r.node.empty() ? "" : " at " + r.node) + ", " +
           std::to_string(r.fields.size()) + " fields" + (r.revealed ? "" : " (masked)") + ">";
}

std::string field_repr(const FieldSpec& f) {
    std::string r = "<FieldSpec " + f.name + " " + field_type_name(f.type);
    if (f.check != CodeCheck::none)
        r += std::string(" (") + code_check_name(f.check) + ")";
    if (!f.refers_to.empty())
        r += " -> " + f.refers_to;
    if (f.required)
        r += " required";
    if (f.sensitive)
        r += " sensitive";
    if (f.lookup)
        r += " lookup";
    return r + ">";
}

// The frame's columns (records.frame, records.columns): one entry per live record.
struct Columns {
    std::vector<std::string> key, kind, node, node_name;
    std::vector<std::string> ancestor_levels;
    std::vector<std::vector<std::optional<std::string>>> ancestors;
    std::vector<std::string> field_names;
    std::vector<std::vector<std::optional<std::string>>> fields;
};

Columns columns_of(const Workspace& ws, const RecordReader& reader, const RecordFilter& filter,
                   const std::vector<std::string>& ancestor_levels) {
    const Hierarchy& h = ws.hierarchy().view();
    Columns c;
    c.ancestor_levels = ancestor_levels;
    std::vector<int> levels;
    for (const std::string& key : ancestor_levels) {
        const int i = h.levels().index_of(key);
        if (i < 0) {
            std::string known;
            for (const Level& l : h.levels().levels())
                known += (known.empty() ? "" : ", ") + l.key;
            throw Error(ErrorCode::not_found, "ancestors: no level '" + key +
                                                  "' in this hierarchy (levels: " + known + ")");
        }
        levels.push_back(i);
    }
    const RecordSchema& schema = ws.records().schema();
    if (!filter.kind.empty()) {
        for (const FieldSpec& f : schema.kind(filter.kind).fields)
            c.field_names.push_back(f.name);
    }
    const char* const fixed[] = {"key", "kind", "node", "node_name"};
    for (const std::string& name : c.field_names) {
        const bool clash = std::any_of(std::begin(fixed), std::end(fixed),
                                       [&](const char* f) { return name == f; }) ||
                           std::find(ancestor_levels.begin(), ancestor_levels.end(), name) !=
                               ancestor_levels.end();
        if (clash) {
            throw Error(ErrorCode::invalid_argument,
                        "field '" + name + "' of kind '" + filter.kind +
                            "' has the name of a column of the frame (key, kind, node, "
                            "node_name, the ancestor levels)");
        }
    }
    const std::vector<Record> records = ws.records().list(reader, filter);
    const std::size_t n = records.size();
    c.key.reserve(n);
    c.kind.reserve(n);
    c.node.reserve(n);
    c.node_name.reserve(n);
    c.ancestors.assign(levels.size(), {});
    c.fields.assign(c.field_names.size(), std::vector<std::optional<std::string>>(n));
    // The ancestors of each node, found once.
    std::unordered_map<NodeId, std::vector<std::optional<std::string>>> found;
    std::unordered_map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < c.field_names.size(); ++i)
        column.emplace(c.field_names[i], i);
    for (std::size_t row = 0; row < n; ++row) {
        const Record& r = records[row];
        c.key.push_back(r.key);
        c.kind.push_back(r.kind);
        const bool known = r.node < h.id_count();
        c.node.push_back(known ? h.code(r.node) : std::string());
        c.node_name.push_back(known ? h.name(r.node) : std::string());
        if (!levels.empty()) {
            auto it = found.find(r.node);
            if (it == found.end()) {
                std::vector<std::optional<std::string>> at(levels.size());
                if (known) {
                    for (const NodeId a : h.path_to_root(r.node)) {
                        for (std::size_t l = 0; l < levels.size(); ++l) {
                            if (h.level(a) == levels[l])
                                at[l] = h.code(a);
                        }
                    }
                }
                it = found.emplace(r.node, std::move(at)).first;
            }
            for (std::size_t l = 0; l < levels.size(); ++l)
                c.ancestors[l].push_back(it->second[l]);
        }
        for (const auto& [name, value] : r.fields) {
            const auto it = column.find(name);
            if (it != column.end())
                c.fields[it->second][row] = value;
        }
    }
    return c;
}

std::vector<std::string> level_keys(py::handle obj) {
    std::vector<std::string> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj))
        return {obj.cast<std::string>()};
    for (py::handle item : py::iter(obj))
        out.push_back(text_arg(item, "ancestors: a level key"));
    return out;
}

template <class F>
auto change(const Handle& self, F&& f) {
    return self->write(Gil::release, [&](Workspace& ws) { return f(ws); });
}

// ---- readers and the access log -------------------------------------------------------

// The reader of a read of record contents: its first argument.
RecordReader reader_arg(py::handle obj, const char* call) {
    if (!py::isinstance<RecordReader>(obj)) {
        throw py::type_error(std::string(call) +
                             ": the first argument is the reader, a gridgov.RecordReader "
                             "(RecordReader.person(person_id, purpose) or "
                             "RecordReader.system(purpose)), not " +
                             type_name(obj));
    }
    return obj.cast<RecordReader>();
}

bool reveal_arg(py::handle obj) {
    if (PyBool_Check(obj.ptr()) == 0)
        throw py::type_error("reveal must be True or False, not " + type_name(obj));
    return obj.ptr() == Py_True;
}

// Runs a read of record contents. A masked read shares the workspace with other reads. A
// read that reveals may write the access log, a change of the workspace: it takes the
// exclusive lock, as a change does, and first applies what other connections committed,
// as every read does.
template <class F>
auto reading(const Handle& self, const RecordReader& reader, Gil gil, F&& f) {
    if (reader.reveal == Reveal::masked)
        return self->read(gil, [&](const Workspace& ws) { return f(ws); });
    return self->write(gil, [&](Workspace& ws) {
        if (ws.outdated())
            ws.refresh();
        return f(std::as_const(ws));
    });
}

std::string reader_repr(const RecordReader& r) {
    std::string out = "<RecordReader ";
    out += r.system ? std::string("system") : "person '" + r.person + "'";
    out += " for '" + r.purpose + "', ";
    out += r.reveal == Reveal::revealed ? "revealing" : "masked";
    if (r.on)
        out += ", posts on " + r.on->to_string();
    return out + ">";
}

// An access-log time, "2026-12-06T10:15:30.123Z", as an aware datetime in UTC.
py::object access_time(const std::string& at) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0, used = 0;
    if (std::sscanf(at.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d, &h, &mi, &s, &ms,
                    &used) != 7 ||
        used != static_cast<int>(at.size())) {
        throw Error(ErrorCode::internal,
                    "access log: a time that is not UTC ISO 8601 with "
                    "milliseconds: '" +
                        at + "'");
    }
    const py::object utc = py::module_::import("datetime").attr("timezone").attr("utc");
    return dt_api().datetime_type(y, mo, d, h, mi, s, ms * 1000, utc);
}

std::string access_repr(const RecordAccess& e) {
    std::string fields;
    for (const std::string& f : e.fields)
        fields += (fields.empty() ? "" : ", ") + f;
    return "<RecordAccess #" + std::to_string(e.seq) + " " + e.at + " " +
           (e.system ? std::string("system") : "person '" + e.reader + "'") + " " + e.read + " " +
           e.key + " (" + fields + ")>";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items)
        out += (out.empty() ? "" : "|") + i;
    return out;
}

// ---- 四实 collection quality ----------------------------------------------------------

// A finding as Python sees it: the node by its code, None until a workspace has recorded
// the finding (it is the drawn record's node on the round's date).
struct PyCheckFinding {
    std::string sampled, record;
    CheckOutcome outcome = CheckOutcome::correct;
    std::string note;
    std::optional<std::string> node;

    friend bool operator==(const PyCheckFinding& a, const PyCheckFinding& b) {
        return a.sampled == b.sampled && a.record == b.record && a.outcome == b.outcome &&
               a.note == b.note && a.node == b.node;
    }
};

struct PyCheckRound {
    std::string label;
    Date date;
    std::string inspector;
    DrawRecord draw;
    std::vector<PyCheckFinding> findings;

    friend bool operator==(const PyCheckRound& a, const PyCheckRound& b) {
        return a.label == b.label && a.date == b.date && a.inspector == b.inspector &&
               a.draw == b.draw && a.findings == b.findings;
    }
};

// The rates of one node and month: the node by its code, the rates None when undefined.
struct PyCheckRates {
    std::string node, month;
    std::size_t sampled = 0, checked = 0, correct = 0, not_collected = 0, not_deregistered = 0,
                wrong = 0;
    std::optional<double> collection_rate, accuracy_rate;
};

const char* const finding_keys[] = {"sampled", "record", "outcome", "note", "node"};

// An outcome: a CheckOutcome, or its name ("wrong", "信息错误", ...).
CheckOutcome outcome_arg(py::handle obj, const std::string& what) {
    if (py::isinstance<CheckOutcome>(obj))
        return obj.cast<CheckOutcome>();
    if (py::isinstance<py::str>(obj)) {
        try {
            return parse_check_outcome(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), what + ": " + e.what());
        }
    }
    throw py::type_error(what + " must be a gridgov.CheckOutcome or its name, not " +
                         type_name(obj));
}

// A finding from a CheckFinding or a mapping {"sampled", "record", "outcome", "note"} (a
// "node" is read back, never given: it is ignored, as in the JSON form).
PyCheckFinding finding_arg(py::handle obj, const std::string& what) {
    if (py::isinstance<PyCheckFinding>(obj)) {
        PyCheckFinding f = obj.cast<PyCheckFinding>();
        f.node.reset();
        return f;
    }
    if (!py::isinstance<py::dict>(obj)) {
        if (!py::hasattr(obj, "items"))
            throw py::type_error(what + ": a finding is a CheckFinding or a dict, not " +
                                 type_name(obj));
        obj = py::dict(py::reinterpret_borrow<py::object>(obj));
    }
    const py::dict d = py::reinterpret_borrow<py::dict>(obj);
    for (const auto& item : d) {
        const std::string key = py::str(item.first).cast<std::string>();
        if (std::none_of(std::begin(finding_keys), std::end(finding_keys),
                         [&](const char* k) { return key == k; })) {
            throw Error(ErrorCode::invalid_argument,
                        what + ": unknown finding member '" + key +
                            "' (members: sampled, record, outcome, note)");
        }
    }
    const auto text = [&](const char* key) {
        return d.contains(key) && !py::object(d[key]).is_none() ? text_arg(d[key], what + " " + key)
                                                                : std::string();
    };
    PyCheckFinding f;
    f.sampled = text("sampled");
    f.record = text("record");
    f.note = text("note");
    if (d.contains("outcome"))
        f.outcome = outcome_arg(d["outcome"], what + " outcome");
    return f;
}

std::vector<PyCheckFinding> findings_arg(py::handle obj, const std::string& what) {
    std::vector<PyCheckFinding> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj) || py::isinstance<py::dict>(obj) ||
        py::isinstance<PyCheckFinding>(obj)) {
        throw py::type_error(what + " must be a list of findings, not a single " + type_name(obj));
    }
    for (py::handle item : py::iter(obj))
        out.push_back(finding_arg(item, what + "[" + std::to_string(out.size()) + "]"));
    return out;
}

CheckRound core_round(const PyCheckRound& r) {
    CheckRound out;
    out.label = r.label;
    out.date = r.date;
    out.inspector = r.inspector;
    out.draw = r.draw;
    for (const PyCheckFinding& f : r.findings)
        out.findings.push_back(CheckFinding{f.sampled, f.record, f.outcome, f.note, no_node});
    return out;
}

// A round read back; with a hierarchy, each finding's node by its code.
PyCheckRound py_round(CheckRound r, const Hierarchy* h) {
    PyCheckRound out{std::move(r.label), r.date, std::move(r.inspector), std::move(r.draw), {}};
    for (CheckFinding& f : r.findings) {
        PyCheckFinding p{std::move(f.sampled), std::move(f.record), f.outcome, std::move(f.note),
                         std::nullopt};
        if (h != nullptr && f.node != no_node && f.node < h->id_count())
            p.node = h->code(f.node);
        out.findings.push_back(std::move(p));
    }
    return out;
}

py::object json_module() {
    return py::module_::import("json");
}

py::dict finding_dict(const PyCheckFinding& f) {
    py::dict d;
    d["sampled"] = f.sampled;
    d["record"] = f.record;
    d["outcome"] = check_outcome_name(f.outcome);
    d["note"] = f.note;
    d["node"] = f.node ? py::object(py::str(*f.node)) : py::object(py::none());
    return d;
}

// The JSON form of a round (docs/records.md) as Python objects.
py::dict round_dict(const PyCheckRound& r) {
    py::dict d;
    d["label"] = r.label;
    d["date"] = r.date.to_string();
    d["inspector"] = r.inspector;
    d["draw"] = json_module().attr("loads")(draw_to_json(r.draw));
    py::list findings;
    for (const PyCheckFinding& f : r.findings)
        findings.append(finding_dict(f));
    d["findings"] = findings;
    return d;
}

std::string round_json(const PyCheckRound& r) {
    return json_module()
        .attr("dumps")(round_dict(r), py::arg("ensure_ascii") = false,
                       py::arg("separators") = py::make_tuple(",", ":"))
        .cast<std::string>();
}

// json.dumps() of a round given as a dict: dates as YYYY-MM-DD, a DrawRecord, a
// CheckFinding or a CheckOutcome inside it in their JSON form.
py::object round_json_default(py::handle obj) {
    if (py::isinstance<DrawRecord>(obj))
        return json_module().attr("loads")(draw_to_json(obj.cast<const DrawRecord&>()));
    if (py::isinstance<PyCheckFinding>(obj))
        return finding_dict(obj.cast<const PyCheckFinding&>());
    if (py::isinstance<CheckOutcome>(obj))
        return py::str(check_outcome_name(obj.cast<CheckOutcome>()));
    if (py::isinstance(obj, dt_api().date_type))
        return py::str(to_date(obj, "check round date").to_string());
    throw py::type_error("check round: a " + type_name(obj) + " has no JSON form");
}

// The round of record_check(): a CheckRound, a dict in the JSON form or JSON text.
CheckRound round_arg(py::handle obj) {
    if (py::isinstance<PyCheckRound>(obj))
        return core_round(obj.cast<const PyCheckRound&>());
    if (py::isinstance<py::str>(obj))
        return check_round_from_json(obj.cast<std::string>());
    if (py::isinstance<py::dict>(obj) || py::hasattr(obj, "items")) {
        const py::object text = json_module().attr("dumps")(
            py::dict(py::reinterpret_borrow<py::object>(obj)), py::arg("ensure_ascii") = false,
            py::arg("default") = py::cpp_function(&round_json_default));
        return check_round_from_json(text.cast<std::string>());
    }
    throw py::type_error(
        "record_check: a round is a gridgov.CheckRound, a dict in its JSON form or JSON text, "
        "not " +
        type_name(obj));
}

std::string outcome_repr(CheckOutcome o) {
    return check_outcome_name(o);
}

std::string finding_repr(const PyCheckFinding& f) {
    return "<CheckFinding at " + f.sampled + ": " + outcome_repr(f.outcome) +
           (f.record.empty() ? "" : " " + f.record) + (f.node ? " (" + *f.node + ")" : "") +
           (f.note.empty() ? "" : ", " + f.note) + ">";
}

std::string round_repr(const PyCheckRound& r) {
    return "<CheckRound '" + r.label + "' " + r.date.to_string() +
           (r.inspector.empty() ? "" : " by " + r.inspector) + ": " +
           std::to_string(r.draw.picks.size()) + " drawn, " + std::to_string(r.findings.size()) +
           " findings>";
}

std::string rate_text(const std::optional<double>& v) {
    if (!v)
        return "undefined";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", *v);
    return buf;
}

PyCheckRates py_rates(const Hierarchy& h, const CheckRates& r) {
    PyCheckRates out;
    out.node = node_code(h, r.node);
    out.month = r.month;
    out.sampled = r.sampled;
    out.checked = r.checked();
    out.correct = r.correct;
    out.not_collected = r.not_collected;
    out.not_deregistered = r.not_deregistered;
    out.wrong = r.wrong;
    out.collection_rate = r.collection_rate();
    out.accuracy_rate = r.accuracy_rate();
    return out;
}

AssessmentPeriod period_arg(const std::string& text, const char* what) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": " + e.what());
    }
}

}  // namespace

void bind_records(py::module_& m) {
    // ---- checks --------------------------------------------------------------------
    m.def("is_valid_credit_code", &is_valid_credit_code, py::arg("code"),
          "True for an 18-character 统一社会信用代码 whose GB 32100-2015 check character is "
          "right.");
    m.def(
        "credit_code_check_character",
        [](const std::string& first17) {
            return std::string(1, credit_code_check_character(first17));
        },
        py::arg("first17"),
        "The GB 32100-2015 check character of a credit code's first 17 characters.");
    m.def("is_valid_component_code", &is_valid_component_code, py::arg("code"),
          "True for a 16-digit 部件标识码 with a major class 01-99 and a serial that is not all "
          "zeros.");
    m.def("is_valid_phone", &is_valid_phone, py::arg("phone"),
          "True for an 11-digit mobile number starting with 1, or a fixed line of 7-12 digits "
          "with at most one '-' after its area code.");
    m.def("mask_field_value", &mask_field_value, py::arg("field"), py::arg("value"),
          "A sensitive value masked as its field asks: ID numbers as mask_id_number(), phones "
          "as mask_phone(), anything else as '***'.");

    // ---- kinds ---------------------------------------------------------------------
    py::class_<FieldSpec>(m, "FieldSpec", "One field of a kind of record.")
        .def_readonly("name", &FieldSpec::name)
        .def_readonly("label", &FieldSpec::label)
        .def_property_readonly(
            "type", [](const FieldSpec& f) { return field_type_name(f.type); },
            "'text', 'integer', 'number', 'date', 'enum', 'code' or "
            "'reference'")
        .def_readonly("required", &FieldSpec::required)
        .def_readonly("sensitive", &FieldSpec::sensitive)
        .def_readonly("multiple", &FieldSpec::multiple,
                      "several values joined by '|' (enumerations and references)")
        .def_readonly("lookup", &FieldSpec::lookup, "records can be found by its value")
        .def_readonly("values", &FieldSpec::values, "an enumeration's allowed values")
        .def_property_readonly(
            "check", [](const FieldSpec& f) { return code_check_name(f.check); },
            "a code's check: 'none', 'id_number', 'credit_code', 'house_code', "
            "'component_code' or 'phone'")
        .def_readonly("refers_to", &FieldSpec::refers_to, "a reference's kind")
        .def_readonly("derive_from", &FieldSpec::derive_from)
        .def_property_readonly(
            "derivation", [](const FieldSpec& f) { return derivation_name(f.derivation); },
            "'none', 'birth_date' or 'sex'")
        .def("__repr__", &field_repr);

    py::class_<RecordKind>(m, "RecordKind", "A kind of record: its key, label and fields.")
        .def_readonly("key", &RecordKind::key)
        .def_readonly("label", &RecordKind::label)
        .def_property_readonly("fields", [](const RecordKind& k) { return k.fields; })
        .def(
            "field",
            [](const RecordKind& k, const std::string& name) -> std::optional<FieldSpec> {
                const FieldSpec* f = k.field(name);
                return f != nullptr ? std::optional(*f) : std::nullopt;
            },
            py::arg("name"), "The field with this name, or None.")
        .def("__repr__", [](const RecordKind& k) {
            return "<RecordKind " + k.key + " " + k.label + ": " + std::to_string(k.fields.size()) +
                   " fields>";
        });

    py::class_<RecordSchema>(m, "RecordSchema",
                             "The kinds of records of a workspace. Data, not code: JSON "
                             "(docs/records.md) or a preset, extended by a locality.")
        .def_static(
            "from_json",
            [](const std::string& text, const std::string& source_name) {
                return RecordSchema::from_json(text, source_name);
            },
            py::arg("text"), py::arg("source_name") = "<text>",
            "Parses and checks a schema; errors name the source, the kind and the field.")
        .def("to_json", &RecordSchema::to_json)
        .def_static("preset_keys", &RecordSchema::preset_keys)
        .def_static(
            "preset", [](const std::string& key) { return RecordSchema::preset(key); },
            py::arg("key"),
            "A built-in schema ('standard': resident, household, house, unit, organisation, "
            "component); NotFoundError for another key.")
        .def_property_readonly(
            "kinds", [](const RecordSchema& s) { return s.kinds; }, "The kinds (copies).")
        .def_property_readonly("keys",
                               [](const RecordSchema& s) {
                                   std::vector<std::string> out;
                                   for (const RecordKind& k : s.kinds)
                                       out.push_back(k.key);
                                   return out;
                               })
        .def(
            "extend",
            [](RecordSchema& s, py::object extension) {
                if (const std::optional<std::string> text = schema_json_arg(extension))
                    s.extend(RecordSchema::extension_from_json(*text, s, "extension"));
                else
                    s.extend(schema_arg(extension, "extension"));
            },
            py::arg("extension"),
            "Adds a locality's kinds and fields (a RecordSchema or JSON text) in place: new "
            "kinds are appended, the fields of a known kind are appended to it. "
            "AlreadyExistsError names a field that exists.")
        .def(
            "find",
            [](const RecordSchema& s, const std::string& key) -> std::optional<RecordKind> {
                const RecordKind* k = s.find(key);
                return k != nullptr ? std::optional(*k) : std::nullopt;
            },
            py::arg("key"), "The kind with this key, or None.")
        .def(
            "kind", [](const RecordSchema& s, const std::string& key) { return s.kind(key); },
            py::arg("key"), "The kind with this key; NotFoundError naming it otherwise.")
        .def("__contains__",
             [](const RecordSchema& s, const std::string& key) { return s.find(key) != nullptr; })
        .def("__len__", [](const RecordSchema& s) { return s.kinds.size(); })
        .def(
            "__eq__",
            [](const RecordSchema& a, const RecordSchema& b) { return a.to_json() == b.to_json(); },
            py::is_operator())
        .def("__repr__", [](const RecordSchema& s) {
            std::string keys;
            for (const RecordKind& k : s.kinds)
                keys += (keys.empty() ? "" : ", ") + k.key;
            return "<RecordSchema " + keys + ">";
        });

    // ---- records -------------------------------------------------------------------
    py::class_<PyRecord>(m, "Record",
                         "One record: key, kind, node (code), overlays (a list of (overlay, "
                         "unit) pairs) and fields (a dict of field name to text). Sensitive "
                         "fields are masked unless the reader that read it revealed them.")
        .def(py::init([](py::object key, py::object kind, py::object node, py::object fields,
                         py::object overlays) {
                 PyRecord r;
                 r.key = text_arg(key, "key");
                 r.kind = text_arg(kind, "record '" + r.key + "' kind");
                 const std::string where = "record '" + r.key + "'";
                 r.node = node_code_arg(node, where);
                 r.fields = fields_arg(fields, where);
                 r.overlays = places_arg(overlays, where);
                 return r;
             }),
             py::arg("key"), py::arg("kind"), py::arg("node") = py::none(),
             py::arg("fields") = py::none(), py::arg("overlays") = py::none(),
             "A record to add or update. Field values: str, int, float, datetime.date or a "
             "list of them (a multiple field); None leaves a field out.")
        .def_readonly("key", &PyRecord::key)
        .def_readonly("kind", &PyRecord::kind)
        .def_property(
            "node", [](const PyRecord& r) { return r.node; },
            [](PyRecord& r, py::object node) { r.node = node_code_arg(node, "node"); },
            "The code of the node it lives at.")
        .def_property(
            "overlays", [](const PyRecord& r) { return places_list(r.overlays); },
            [](PyRecord& r, py::object places) { r.overlays = places_arg(places, "overlays"); },
            "Its places on overlays, as (overlay key, unit code) pairs (a copy).")
        .def_property(
            "fields", &fields_dict,
            [](PyRecord& r, py::object fields) { r.fields = fields_arg(fields, "fields"); },
            "The field values as a dict (a copy: assign a dict, or set one field with "
            "record[name] = value).")
        .def_readonly("revealed", &PyRecord::revealed,
                      "False when read masked: such a record cannot carry a sensitive value "
                      "back to add() or update().")
        .def("__getitem__",
             [](const PyRecord& r, const std::string& name) {
                 const std::string* v = field_of(r, name);
                 if (v == nullptr)
                     throw py::key_error(name);
                 return *v;
             })
        .def("__setitem__",
             [](PyRecord& r, const std::string& name, py::object value) {
                 const std::optional<std::string> v = field_value(value, "field '" + name + "'");
                 auto it = std::find_if(r.fields.begin(), r.fields.end(),
                                        [&](const auto& f) { return f.first == name; });
                 if (!v) {
                     if (it != r.fields.end())
                         r.fields.erase(it);
                 } else if (it != r.fields.end()) {
                     it->second = *v;
                 } else {
                     r.fields.emplace_back(name, *v);
                 }
             })
        .def("__delitem__",
             [](PyRecord& r, const std::string& name) {
                 auto it = std::find_if(r.fields.begin(), r.fields.end(),
                                        [&](const auto& f) { return f.first == name; });
                 if (it == r.fields.end())
                     throw py::key_error(name);
                 r.fields.erase(it);
             })
        .def("__contains__", [](const PyRecord& r,
                                const std::string& name) { return field_of(r, name) != nullptr; })
        .def(
            "get",
            [](const PyRecord& r, const std::string& name, py::object fallback) -> py::object {
                const std::string* v = field_of(r, name);
                return v != nullptr ? py::object(py::str(*v)) : fallback;
            },
            py::arg("name"), py::arg("default") = py::none(),
            "A field's value, or default when absent.")
        .def(
            "to_dict",
            [](const PyRecord& r) {
                py::dict d;
                d["key"] = r.key;
                d["kind"] = r.kind;
                d["node"] = r.node;
                d["fields"] = fields_dict(r);
                d["overlays"] = places_list(r.overlays);
                return d;
            },
            "{'key', 'kind', 'node', 'fields', 'overlays'}: the mapping add() and update() "
            "take.")
        .def(
            "__eq__",
            [](const PyRecord& a, const PyRecord& b) {
                auto fa = a.fields, fb = b.fields;
                std::sort(fa.begin(), fa.end());
                std::sort(fb.begin(), fb.end());
                return a.key == b.key && a.kind == b.kind && a.node == b.node &&
                       a.overlays == b.overlays && fa == fb;
            },
            py::is_operator())
        .def("__repr__", &record_repr);

    py::class_<PyVersion>(m, "RecordVersion",
                          "One version of a record: what changed, when it took effect and the "
                          "record after it.")
        .def_readonly("version", &PyVersion::version, "1, 2, 3, ...")
        .def_property_readonly(
            "change", [](const PyVersion& v) { return record_change_name(v.change); },
            "'added', 'changed', 'moved' or 'removed'")
        .def_property_readonly(
            "effective", [](const PyVersion& v) { return from_date(v.effective); },
            "The date it took effect (None for since forever).")
        .def_readonly("record", &PyVersion::record,
                      "The record as it stood after the change (as it was removed, for "
                      "'removed').")
        .def("__repr__", [](const PyVersion& v) {
            return "<RecordVersion " + v.record.key + " #" + std::to_string(v.version) + " " +
                   record_change_name(v.change) + " " + v.effective.to_string() + ">";
        });

    py::class_<RecordImportReport>(m, "RecordImportReport", "What a records import did.")
        .def_readonly("added", &RecordImportReport::added)
        .def_readonly("changed", &RecordImportReport::changed,
                      "existing keys whose fields or places changed")
        .def_readonly("unchanged", &RecordImportReport::unchanged,
                      "existing keys given exactly as stored")
        .def_readonly("findings", &RecordImportReport::findings,
                      "checks the imported records fail (kept as written)")
        .def("__repr__", [](const RecordImportReport& r) {
            return "<RecordImportReport " + std::to_string(r.added) + " added, " +
                   std::to_string(r.changed) + " changed, " + std::to_string(r.unchanged) +
                   " unchanged, " + std::to_string(r.findings.size()) + " findings>";
        });

    // ---- readers and the access log ------------------------------------------------
    // RecordReader.person(...) and RecordReader.system(...) make readers; on a reader,
    // .person and .system are its members (gridgov/_records.py joins the two).
    py::class_<RecordReader>(
        m, "RecordReader",
        "Who reads records, and why: a person of the directory, who reads the records in the "
        "subtrees of the posts they hold on `on`, or the system itself. Every read of record "
        "contents takes one. Sensitive fields are shown in clear only when the reader asks "
        "(reveal=True) and may: the system, or a person through a post covering the record "
        "whose duties reveal them; each such read is written to the access log. Make one with "
        "RecordReader.person(person_id, purpose, *, reveal=False, on=None) or "
        "RecordReader.system(purpose, *, reveal=False); it is checked when it reads.")
        .def(py::init([](const py::args&, const py::kwargs&) -> RecordReader {
            throw py::type_error(
                "make a RecordReader with RecordReader.person(person_id, purpose, *, "
                "reveal=False, on=None) or RecordReader.system(purpose, *, reveal=False)");
        }))
        .def_static(
            "_person_read",
            [](py::object person, py::object purpose, py::object reveal, py::object on) {
                const std::string id = text_arg(person, "RecordReader.person: person_id");
                const std::string why = text_arg(purpose, "RecordReader.person: purpose");
                const bool shown = reveal_arg(reveal);
                std::optional<Date> day;
                if (!on.is_none())
                    day = to_date(on, "on");
                return RecordReader::person_read(id, why, shown ? Reveal::revealed : Reveal::masked,
                                                 day);
            },
            py::arg("person_id"), py::arg("purpose"), py::arg("reveal"), py::arg("on"))
        .def_static(
            "_system_read",
            [](py::object purpose, py::object reveal) {
                const std::string why = text_arg(purpose, "RecordReader.system: purpose");
                return RecordReader::system_read(
                    why, reveal_arg(reveal) ? Reveal::revealed : Reveal::masked);
            },
            py::arg("purpose"), py::arg("reveal"))
        .def_property_readonly(
            "person",
            [](const RecordReader& r) -> py::object {
                return r.system ? py::object(py::none()) : py::object(py::str(r.person));
            },
            "The reading person's id in the directory; None for the system.")
        .def_readonly("system", &RecordReader::system, "True for the system's own read.")
        .def_readonly("purpose", &RecordReader::purpose,
                      "Why the records are read (kept in the access log).")
        .def_property_readonly(
            "reveal", [](const RecordReader& r) { return r.reveal == Reveal::revealed; },
            "True when it asks for sensitive fields in clear.")
        .def_property_readonly(
            "on",
            [](const RecordReader& r) -> py::object {
                return r.on ? from_date(*r.on) : py::object(py::none());
            },
            "The day whose posts grant access (a datetime.date); None: the day of each read "
            "in China Standard Time, and always None for the system.")
        .def(
            "__eq__",
            [](const RecordReader& a, const RecordReader& b) {
                return a.person == b.person && a.system == b.system && a.purpose == b.purpose &&
                       a.reveal == b.reveal && a.on == b.on;
            },
            py::is_operator())
        .def("__repr__", &reader_repr);

    py::class_<RecordAccess>(m, "RecordAccess",
                             "One entry of the access log: a read that showed the sensitive "
                             "fields of one record in clear.")
        .def_readonly("seq", &RecordAccess::seq, "1, 2, 3, ... in the order of the reads")
        .def_property_readonly(
            "at", [](const RecordAccess& e) { return access_time(e.at); },
            "When it was read: an aware datetime in UTC, to the millisecond.")
        .def_property_readonly(
            "reader",
            [](const RecordAccess& e) -> py::object {
                return e.system ? py::object(py::none()) : py::object(py::str(e.reader));
            },
            "The reading person's id; None for the system.")
        .def_readonly("system", &RecordAccess::system, "True for a read by the system.")
        .def_readonly("purpose", &RecordAccess::purpose, "Why, as the reader gave it.")
        .def_readonly("read", &RecordAccess::read, "'get', 'history', 'find', 'list' or 'export'")
        .def_readonly("key", &RecordAccess::key, "Whose record.")
        .def_readonly("kind", &RecordAccess::kind)
        .def_readonly("fields", &RecordAccess::fields, "The sensitive fields shown in clear.")
        .def_readonly("hash", &RecordAccess::hash,
                      "SHA-256 (lowercase hex) of the entry chained to the one before.")
        .def("__repr__", &access_repr);

    py::class_<AccessLogCheck>(m, "AccessLogCheck",
                               "What verify_access_log() found; true when the chain is intact.")
        .def_readonly("entries", &AccessLogCheck::entries, "Entries read.")
        .def_readonly("intact", &AccessLogCheck::intact)
        .def_readonly("first_bad", &AccessLogCheck::first_bad,
                      "The seq of the first entry that fails; 0 when intact.")
        .def_readonly("problem", &AccessLogCheck::problem,
                      "'hash_mismatch' (an entry, or one before it, was changed, removed or "
                      "inserted), 'sequence' (a gap in the numbering) or ''.")
        .def("__bool__", [](const AccessLogCheck& c) { return c.intact; })
        .def("__repr__", [](const AccessLogCheck& c) {
            return c.intact
                       ? "<AccessLogCheck intact, " + std::to_string(c.entries) + " entries>"
                       : "<AccessLogCheck " + c.problem + " at entry " +
                             std::to_string(c.first_bad) + " of " + std::to_string(c.entries) + ">";
        });

    // ---- 四实 collection quality ---------------------------------------------------
    py::enum_<CheckOutcome>(m, "CheckOutcome",
                            "What an inspector found about one person at a drawn record: "
                            "CORRECT (准确), NOT_COLLECTED (未采集: someone there without a "
                            "record), NOT_DEREGISTERED (未注销: a record of someone gone), WRONG "
                            "(信息错误). Where an outcome is taken, its name will do too "
                            "('wrong', '信息错误').")
        .value("CORRECT", CheckOutcome::correct)
        .value("NOT_COLLECTED", CheckOutcome::not_collected)
        .value("NOT_DEREGISTERED", CheckOutcome::not_deregistered)
        .value("WRONG", CheckOutcome::wrong)
        .def_property_readonly(
            "text", [](CheckOutcome o) { return std::string(check_outcome_name(o)); },
            "The name of the JSON form: 'correct', 'not_collected', 'not_deregistered' or "
            "'wrong'.");

    py::class_<PyCheckFinding>(m, "CheckFinding",
                               "One thing an inspector found at a drawn record: sampled (the "
                               "drawn record it was found at), record (the record concerned; "
                               "'' for NOT_COLLECTED), outcome, note, and node, read back: the "
                               "code of the sampled record's node on the round's date (None "
                               "until recorded).")
        .def(py::init(
                 [](py::object sampled, py::object record, py::object outcome, py::object note) {
                     PyCheckFinding f;
                     f.sampled = text_arg(sampled, "CheckFinding: sampled");
                     f.record = record.is_none() ? std::string()
                                                 : text_arg(record, "CheckFinding: record");
                     f.outcome = outcome_arg(outcome, "CheckFinding: outcome");
                     f.note = note.is_none() ? std::string() : text_arg(note, "CheckFinding: note");
                     return f;
                 }),
             py::arg("sampled"), py::arg("record") = "", py::arg("outcome") = CheckOutcome::correct,
             py::arg("note") = "")
        .def_property(
            "sampled", [](const PyCheckFinding& f) { return f.sampled; },
            [](PyCheckFinding& f, py::object v) { f.sampled = text_arg(v, "sampled"); })
        .def_property(
            "record", [](const PyCheckFinding& f) { return f.record; },
            [](PyCheckFinding& f, py::object v) { f.record = text_arg(v, "record"); })
        .def_property(
            "outcome", [](const PyCheckFinding& f) { return f.outcome; },
            [](PyCheckFinding& f, py::object v) { f.outcome = outcome_arg(v, "outcome"); },
            "A CheckOutcome (set it as one or by name).")
        .def_property(
            "note", [](const PyCheckFinding& f) { return f.note; },
            [](PyCheckFinding& f, py::object v) { f.note = text_arg(v, "note"); })
        .def_readonly("node", &PyCheckFinding::node,
                      "The code of the node of the sampled record on the round's date; None "
                      "until a workspace recorded the finding.")
        .def("to_dict", &finding_dict,
             "{'sampled', 'record', 'outcome' (its name), 'note', 'node'}: the JSON form.")
        .def(
            "__eq__", [](const PyCheckFinding& a, const PyCheckFinding& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &finding_repr);

    py::class_<PyCheckRound>(m, "CheckRound",
                             "A field check (督查) of records: label (unique in a workspace), "
                             "date (the day of the visits; it gives the month of the rates), "
                             "inspector, draw (the DrawRecord of the records visited, e.g. "
                             "from records.draw_check()) and findings (CheckFinding). "
                             "`findings` is a copy: assign a new list to change it.")
        .def(py::init([](py::object label, py::object date, py::object inspector,
                         const DrawRecord& draw, py::object findings) {
                 PyCheckRound r;
                 r.label = text_arg(label, "CheckRound: label");
                 r.date = to_date(date, "CheckRound: date");
                 r.inspector = text_arg(inspector, "CheckRound: inspector");
                 r.draw = draw;
                 r.findings = findings_arg(findings, "CheckRound: findings");
                 return r;
             }),
             py::arg("label"), py::arg("date"), py::arg("inspector"), py::arg("draw"),
             py::arg("findings") = py::tuple(),
             "A round to record. date: a datetime.date or 'YYYY-MM-DD'; findings: "
             "CheckFinding objects or dicts {'sampled', 'record', 'outcome', 'note'}.")
        .def_property(
            "label", [](const PyCheckRound& r) { return r.label; },
            [](PyCheckRound& r, py::object v) { r.label = text_arg(v, "label"); })
        .def_property(
            "date", [](const PyCheckRound& r) { return from_date(r.date); },
            [](PyCheckRound& r, py::object v) { r.date = to_date(v, "date"); }, "A datetime.date.")
        .def_property(
            "inspector", [](const PyCheckRound& r) { return r.inspector; },
            [](PyCheckRound& r, py::object v) { r.inspector = text_arg(v, "inspector"); })
        .def_property(
            "draw", [](const PyCheckRound& r) { return r.draw; },
            [](PyCheckRound& r, const DrawRecord& d) { r.draw = d; },
            "The DrawRecord whose picks are the records visited (a copy).")
        .def_property(
            "findings", [](const PyCheckRound& r) { return r.findings; },
            [](PyCheckRound& r, py::object v) { r.findings = findings_arg(v, "findings"); },
            "The findings (a copy: assign a new list to change them).")
        .def("to_dict", &round_dict,
             "The JSON form as Python objects: {'label', 'date' ('YYYY-MM-DD'), 'inspector', "
             "'draw' (DrawRecord.to_json() as a dict), 'findings': [CheckFinding.to_dict()]}.")
        .def("to_json", &round_json, "The JSON form as text (what the CLI reads and writes).")
        .def_static(
            "from_json",
            [](const std::string& text) { return py_round(check_round_from_json(text), nullptr); },
            py::arg("text"),
            "Reads the JSON form (nodes are ignored); InvalidArgumentError names the member.")
        .def(
            "__eq__", [](const PyCheckRound& a, const PyCheckRound& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &round_repr);

    py::class_<PyCheckRates>(m, "CheckRates",
                             "Collection quality of one node (with its subtree) over one month "
                             "(records.check_rates()).")
        .def_readonly("node", &PyCheckRates::node, "The node's code.")
        .def_readonly("month", &PyCheckRates::month, "'2026-09'")
        .def_readonly("sampled", &PyCheckRates::sampled, "Drawn records visited.")
        .def_readonly("checked", &PyCheckRates::checked,
                      "People found: correct + wrong + not_collected.")
        .def_readonly("correct", &PyCheckRates::correct)
        .def_readonly("not_collected", &PyCheckRates::not_collected)
        .def_readonly("not_deregistered", &PyCheckRates::not_deregistered)
        .def_readonly("wrong", &PyCheckRates::wrong)
        .def_readonly("collection_rate", &PyCheckRates::collection_rate,
                      "采集率 in %: (checked - not_collected) / checked; None when nobody was "
                      "checked.")
        .def_readonly("accuracy_rate", &PyCheckRates::accuracy_rate,
                      "准确率 in %: correct / (correct + wrong); None when no record was "
                      "checked.")
        .def("__repr__", [](const PyCheckRates& r) {
            return "<CheckRates " + r.node + " " + r.month + ": " + std::to_string(r.sampled) +
                   " sampled, " + std::to_string(r.checked) + " checked, collection " +
                   rate_text(r.collection_rate) + ", accuracy " + rate_text(r.accuracy_rate) + ">";
        });

    // ---- Workspace.records ---------------------------------------------------------
    auto face = py::reinterpret_borrow<py::class_<RecordsFace>>(m.attr("WorkspaceRecords"));
    face.def_property_readonly(
            "schema",
            [](const RecordsFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.records().schema(); });
            },
            "A copy of the kinds records are checked against.")
        .def(
            "set_schema",
            [](const RecordsFace& self, py::object schema) {
                const RecordSchema s = schema_arg(schema, "schema");
                change(self, [&](Workspace& ws) { ws.records().set_schema(s); });
            },
            py::arg("schema"),
            "Replaces the schema (a RecordSchema, JSON text or a preset key). "
            "InvalidStateError while stored records use a kind or an enumeration value it "
            "lacks.")
        .def(
            "extend_schema",
            [](const RecordsFace& self, py::object extension) {
                // JSON text may refer to the kinds of the workspace's schema.
                const std::optional<std::string> text = schema_json_arg(extension);
                std::optional<RecordSchema> given;
                if (!text)
                    given = schema_arg(extension, "extension");
                change(self, [&](Workspace& ws) {
                    ws.records().extend_schema(text ? RecordSchema::extension_from_json(
                                                          *text, ws.records().schema(), "extension")
                                                    : *given);
                });
            },
            py::arg("extension"),
            "Adds a locality's kinds and fields (a RecordSchema or JSON text) to the schema.")

        // ---- changes ----
        .def(
            "add",
            [](const RecordsFace& self, py::object records, py::object effective) {
                const std::vector<RecordArg> args = record_args(records, "add");
                const Date when = to_date_or(effective, Date::min(), "effective");
                return change(self, [&](Workspace& ws) {
                    std::vector<Record> all;
                    all.reserve(args.size());
                    for (const RecordArg& a : args) {
                        all.push_back(resolved(a, ws,
                                               "records[" + std::to_string(all.size()) + "] ('" +
                                                   a.record.key + "')"));
                    }
                    return ws.records().add(all, when);
                });
            },
            py::arg("records"), py::arg("effective") = py::none(),
            "Adds records (Records or dicts {'key', 'kind', 'node', 'fields', 'overlays'}) at "
            "effective (None: since forever) in one transaction and returns their findings. "
            "A refused record (a key that exists, an unknown kind, field or node, a missing "
            "required field, a bad value) raises naming it and nothing is added.")
        .def(
            "update",
            [](const RecordsFace& self, py::object record, py::object effective) {
                const RecordArg arg = record_arg(record, "update");
                const Date when = to_date_or(effective, Date::min(), "effective");
                return change(self, [&](Workspace& ws) {
                    return ws.records().update(resolved(arg, ws, "record '" + arg.record.key + "'"),
                                               when);
                });
            },
            py::arg("record"), py::arg("effective") = py::none(),
            "Replaces a record's fields and places (found by key; the kind stays) at "
            "effective: a version 'moved' when only the node or overlays changed, else "
            "'changed', nothing when nothing changed. Returns the record's findings.")
        .def(
            "move",
            [](const RecordsFace& self, const std::string& key, py::object node,
               py::object effective) {
                const NodeRef ref = node_ref(node);
                const Date when = to_date(effective, "effective");
                change(self, [&](Workspace& ws) {
                    ws.records().move(key, resolve(ws.hierarchy().view(), ref), when);
                });
            },
            py::arg("key"), py::arg("node"), py::arg("effective"),
            "Moves a record to another node (fields kept) at effective.")
        .def(
            "remove",
            [](const RecordsFace& self, const std::string& key, py::object effective) {
                const Date when = to_date(effective, "effective");
                change(self, [&](Workspace& ws) { ws.records().remove(key, when); });
            },
            py::arg("key"), py::arg("effective"),
            "Removes a record at effective; it stays in history() and in get(key, on) for "
            "earlier dates, and its key cannot be added again.")

        // ---- questions ----
        .def(
            "size",
            [](const RecordsFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.records().size(); });
            },
            "Records stored, removed ones included.")
        .def("__len__",
             [](const RecordsFace& self) {
                 return self->read(Gil::keep,
                                   [](const Workspace& ws) { return ws.records().size(); });
             })
        .def(
            "count",
            [](const RecordsFace& self, const std::string& kind) {
                return self->read(Gil::keep,
                                  [&](const Workspace& ws) { return ws.records().count(kind); });
            },
            py::arg("kind") = "", "Live records of a kind ('' = every kind).")
        .def(
            "get",
            [](const RecordsFace& self, py::object reader, const std::string& key, py::object on) {
                const RecordReader who = reader_arg(reader, "get");
                std::optional<Date> day;
                if (!on.is_none())
                    day = to_date(on, "on");
                const bool shown = who.reveal == Reveal::revealed;
                return reading(self, who, Gil::keep,
                               [&](const Workspace& ws) -> std::optional<PyRecord> {
                                   std::optional<Record> r = ws.records().get(who, key, day);
                                   if (!r)
                                       return std::nullopt;
                                   return py_record(ws.hierarchy().view(), std::move(*r), shown);
                               });
            },
            py::arg("reader"), py::arg("key"), py::arg("on") = py::none(),
            "The record as it is now (None when unknown or removed), or as it stood at the end "
            "of the day `on` (None before it was added or after its removal), read by `reader` "
            "(a RecordReader). PermissionDeniedError when no post of a person covers it, or "
            "when the reader reveals a field no duty of theirs reveals.")
        .def(
            "history",
            [](const RecordsFace& self, py::object reader, const std::string& key) {
                const RecordReader who = reader_arg(reader, "history");
                const bool shown = who.reveal == Reveal::revealed;
                return reading(self, who, Gil::release, [&](const Workspace& ws) {
                    std::vector<PyVersion> out;
                    for (RecordVersion& v : ws.records().history(who, key)) {
                        out.push_back(PyVersion{
                            v.version, v.change, v.effective,
                            py_record(ws.hierarchy().view(), std::move(v.record), shown)});
                    }
                    return out;
                });
            },
            py::arg("reader"), py::arg("key"),
            "Every version of a record (RecordVersion), oldest first, read by `reader`; "
            "NotFoundError for an unknown key. A person reads it when a post covers the node "
            "of its last version.")
        .def(
            "find",
            [](const RecordsFace& self, py::object reader, const std::string& field,
               py::object value) {
                const RecordReader who = reader_arg(reader, "find");
                const std::optional<std::string> v = field_value(value, "value");
                if (!v)
                    throw py::type_error("find: None is not a value to look up");
                const bool shown = who.reveal == Reveal::revealed;
                return reading(self, who, Gil::release, [&](const Workspace& ws) {
                    return py_records(ws.hierarchy().view(), ws.records().find(who, field, *v),
                                      shown);
                });
            },
            py::arg("reader"), py::arg("field"), py::arg("value"),
            "Live records whose lookup or reference field holds value (an ID number, a house "
            "code, a credit code, a household's key), in key order; for a person, those their "
            "posts cover.")
        .def(
            "list",
            [](const RecordsFace& self, py::object reader, const std::string& kind,
               py::object within, py::object where, py::object overlay) {
                const RecordReader who = reader_arg(reader, "list");
                const FilterArg f = filter_arg(kind, within, where, overlay);
                const bool shown = who.reveal == Reveal::revealed;
                return reading(self, who, Gil::release, [&](const Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    return py_records(h, ws.records().list(who, f.resolved(h)), shown);
                });
            },
            py::arg("reader"), py::arg("kind") = "", py::arg("within") = py::none(),
            py::arg("where") = py::none(), py::arg("overlay") = py::none(),
            "Live records, in the order they were added: of a kind, within a node's subtree, "
            "whose fields equal `where` ({field: value}, enumeration, lookup or reference "
            "fields), placed on an overlay unit ((overlay, unit)); for a person, those their "
            "posts cover.")
        .def(
            "keys",
            [](const RecordsFace& self, const std::string& kind, py::object within,
               py::object where, py::object overlay) {
                const FilterArg f = filter_arg(kind, within, where, overlay);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.records().keys(f.resolved(ws.hierarchy().view()));
                });
            },
            py::arg("kind") = "", py::arg("within") = py::none(), py::arg("where") = py::none(),
            py::arg("overlay") = py::none(), "The keys of the records list() returns.")
        .def(
            "columns",
            [](const RecordsFace& self, py::object reader, const std::string& kind,
               py::object within, py::object where, py::object overlay, py::object ancestors) {
                const RecordReader who = reader_arg(reader, "columns");
                const FilterArg f = filter_arg(kind, within, where, overlay);
                const std::vector<std::string> levels = level_keys(ancestors);
                Columns c = reading(self, who, Gil::release, [&](const Workspace& ws) {
                    return columns_of(ws, who, f.resolved(ws.hierarchy().view()), levels);
                });
                py::dict d;
                d["key"] = std::move(c.key);
                d["kind"] = std::move(c.kind);
                d["node"] = std::move(c.node);
                d["node_name"] = std::move(c.node_name);
                for (std::size_t l = 0; l < c.ancestor_levels.size(); ++l)
                    d[py::str(c.ancestor_levels[l])] = std::move(c.ancestors[l]);
                for (std::size_t i = 0; i < c.field_names.size(); ++i)
                    d[py::str(c.field_names[i])] = std::move(c.fields[i]);
                return d;
            },
            py::arg("reader"), py::arg("kind") = "", py::arg("within") = py::none(),
            py::arg("where") = py::none(), py::arg("overlay") = py::none(),
            py::arg("ancestors") = py::tuple(),
            "The live records list() returns as columns (lists of str, None where a value is "
            "absent): key, kind, node (code), node_name, the code of each ancestor level named "
            "in `ancestors`, then, for a kind, one column per field. frame() types them for "
            "pandas.")

        // ---- roll-ups and findings ----
        .def(
            "roll_up",
            [](const RecordsFace& self, const std::string& kind, const std::string& field,
               const std::string& value) {
                const auto totals = self->read(Gil::release, [&](const Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    const std::vector<double> v = ws.records().roll_up(kind, field, value);
                    std::vector<std::pair<std::string, double>> out;
                    out.reserve(h.size());
                    for (const NodeId n : h.preorder())
                        out.emplace_back(h.code(n), n < v.size() ? v[n] : 0.0);
                    return out;
                });
                py::dict d;
                for (const auto& [code, total] : totals)
                    d[py::str(code)] = total;
                return d;
            },
            py::arg("kind"), py::arg("field") = "", py::arg("value") = "",
            "Subtree totals over the live records of a kind, as {node code: total} for every "
            "live node in pre-order: with no field, how many records; with an enumeration "
            "field and a value, how many hold it; with an integer or number field, the sum of "
            "its values.")
        .def(
            "_roll_up_columns",
            [](const RecordsFace& self, const std::string& kind, const std::string& field,
               const std::string& value, py::object level) {
                const std::optional<std::string> key =
                    level.is_none() ? std::nullopt : std::optional(text_arg(level, "level"));
                struct Out {
                    std::vector<NodeId> id;
                    std::vector<std::string> code, name, level;
                    std::vector<double> value;
                };
                Out o = self->read(Gil::release, [&](const Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    int wanted = -1;
                    if (key) {
                        wanted = h.levels().index_of(*key);
                        if (wanted < 0) {
                            std::string known;
                            for (const Level& l : h.levels().levels())
                                known += (known.empty() ? "" : ", ") + l.key;
                            throw Error(ErrorCode::not_found,
                                        "no level '" + *key +
                                            "' in this hierarchy (levels: " + known + ")");
                        }
                    }
                    const std::vector<double> v = ws.records().roll_up(kind, field, value);
                    Out out;
                    for (const NodeId n : h.preorder()) {
                        if (wanted >= 0 && h.level(n) != wanted)
                            continue;
                        out.id.push_back(n);
                        out.code.push_back(h.code(n));
                        out.name.push_back(h.name(n));
                        out.level.push_back(h.levels()[h.level(n)].key);
                        out.value.push_back(n < v.size() ? v[n] : 0.0);
                    }
                    return out;
                });
                py::dict d;
                d["code"] = std::move(o.code);
                d["id"] = owning_array(std::move(o.id), false);
                d["name"] = std::move(o.name);
                d["level"] = std::move(o.level);
                d["value"] = owning_array(std::move(o.value), false);
                return d;
            },
            py::arg("kind"), py::arg("field") = "", py::arg("value") = "",
            py::arg("level") = py::none(), "The columns of roll_up_frame().")
        .def(
            "validate",
            [](const RecordsFace& self, py::object on, py::object policy) {
                const Date day = to_date(on, "on");
                RecordValidationPolicy p;
                if (py::isinstance<py::str>(policy)) {
                    p = RecordValidationPolicy::from_json(policy.cast<std::string>(), "policy");
                } else if (!policy.is_none()) {
                    if (!py::isinstance<py::dict>(policy))
                        throw py::type_error("policy must be a dict, a JSON str or None, not " +
                                             type_name(policy));
                    p = RecordValidationPolicy::from_json(
                        py::module_::import("json").attr("dumps")(policy).cast<std::string>(),
                        "policy");
                }
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.records().validate(day, p);
                });
            },
            py::arg("on"), py::arg("policy") = py::none(),
            "Findings (rules records.*) over every live record on a date: check characters, "
            "house codes against their grid, households without a head, rented houses "
            "without tenants, references to unknown or removed records, records on retired "
            "nodes, missing required fields, derived fields that disagree. policy adds "
            "officer loads: {'officer_loads': [{'overlay', 'kind', 'field', 'value', "
            "'per_officer'}]} (or its JSON text, or 'market_supervision_002': at most 1,000 "
            "units on one market officer's 段区), each excess a records.officer_load finding.")

        // ---- import and export ----
        .def(
            "import_file",
            [](const RecordsFace& self, py::object path, const std::string& kind,
               py::object effective, py::object progress) {
                const std::string file = fspath(path);
                const Date when = to_date_or(effective, Date::min(), "effective");
                if (progress.is_none()) {
                    return change(self, [&](Workspace& ws) {
                        return ws.records().import_file(file, kind, when);
                    });
                }
                // The callback runs Python: keep the GIL (it must not use this workspace).
                const ProgressFn fn = [&](std::size_t done, std::size_t total) {
                    return progress(done, total).cast<bool>();
                };
                return self->write(Gil::keep, [&](Workspace& ws) {
                    return ws.records().import_file(file, kind, when, fn);
                });
            },
            py::arg("path"), py::arg("kind") = "", py::arg("effective") = py::none(),
            py::arg("progress") = py::none(),
            "Imports a .csv file (one kind: `kind`, or the file's name: residents.csv, "
            "青石村_house.csv) or a .json document at effective, all or nothing: new keys are "
            "added, existing keys updated. A bad row raises naming the file, the row and the "
            "field. progress(done, total) returning False cancels.")
        .def(
            "import_text",
            [](const RecordsFace& self, const std::string& text, const std::string& format,
               const std::string& kind, const std::string& source_name, py::object effective) {
                const DocumentFormat f = format_of(format);
                const Date when = to_date_or(effective, Date::min(), "effective");
                return change(self, [&](Workspace& ws) {
                    return ws.records().import_text(text, f, kind, source_name, when);
                });
            },
            py::arg("text"), py::arg("format"), py::arg("kind") = "",
            py::arg("source_name") = "<text>", py::arg("effective") = py::none(),
            "The same from text ('csv' or 'json'); source_name stands for the file in "
            "messages and, with no kind, names the kind.")
        .def(
            "export_text",
            [](const RecordsFace& self, py::object reader, const std::string& format,
               const std::string& kind) {
                const RecordReader who = reader_arg(reader, "export_text");
                const DocumentFormat f = format_of(format);
                return reading(self, who, Gil::release, [&](const Workspace& ws) {
                    return ws.records().export_text(who, f, kind);
                });
            },
            py::arg("reader"), py::arg("format"), py::arg("kind") = "",
            "The live records of a kind as CSV in the import format (key, node, overlays, then "
            "the kind's fields), or of a kind ('' = every kind) as JSON, for a person those "
            "their posts cover; sensitive fields masked unless the reader reveals them.")
        .def(
            "export_file",
            [](const RecordsFace& self, py::object reader, py::object path, const std::string& kind,
               const std::string& format) {
                const RecordReader who = reader_arg(reader, "export_file");
                const std::string file = fspath(path);
                const DocumentFormat f = format_of(format);
                reading(self, who, Gil::release, [&](const Workspace& ws) {
                    ws.records().export_file(who, file, kind, f);
                    return true;
                });
            },
            py::arg("reader"), py::arg("path"), py::arg("kind") = "", py::arg("format") = "auto",
            "export_text() written atomically (the format from the extension with 'auto').")

        // ---- the access log ----
        .def(
            "access_log",
            [](const RecordsFace& self, std::int64_t after, std::size_t limit) {
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.records().access_log(after, limit);
                });
            },
            py::arg("after") = 0, py::arg("limit") = 0,
            "The access log: the entries (RecordAccess) after seq `after`, oldest first, at "
            "most `limit` of them (0: all). One entry per record whose sensitive fields a read "
            "showed in clear.")
        .def(
            "_access_log_columns",
            [](const RecordsFace& self, std::int64_t after, std::size_t limit) {
                std::vector<RecordAccess> log = self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.records().access_log(after, limit);
                });
                std::vector<std::int64_t> seq;
                std::vector<bool> system;
                py::list at, reader, purpose, read, key, kind, fields, hash;
                seq.reserve(log.size());
                for (const RecordAccess& e : log) {
                    seq.push_back(e.seq);
                    system.push_back(e.system);
                    at.append(e.at);
                    reader.append(e.system ? py::object(py::none())
                                           : py::object(py::str(e.reader)));
                    purpose.append(e.purpose);
                    read.append(e.read);
                    key.append(e.key);
                    kind.append(e.kind);
                    fields.append(joined(e.fields));
                    hash.append(e.hash);
                }
                py::array_t<bool> systems(static_cast<py::ssize_t>(system.size()));
                for (std::size_t i = 0; i < system.size(); ++i)
                    systems.mutable_at(static_cast<py::ssize_t>(i)) = system[i];
                py::dict d;
                d["seq"] = owning_array(std::move(seq), false);
                d["at"] = at;
                d["reader"] = reader;
                d["system"] = systems;
                d["purpose"] = purpose;
                d["read"] = read;
                d["key"] = key;
                d["kind"] = kind;
                d["fields"] = fields;
                d["hash"] = hash;
                return d;
            },
            py::arg("after") = 0, py::arg("limit") = 0, "The columns of access_log_frame().")
        .def(
            "verify_access_log",
            [](const RecordsFace& self) {
                return self->read(Gil::release, [](const Workspace& ws) {
                    return ws.records().verify_access_log();
                });
            },
            "Re-computes the access log's hash chain from its first entry: an AccessLogCheck "
            "(entries, intact, first_bad, problem), true when intact.")
        .def(
            "export_access_log",
            [](const RecordsFace& self, py::object path, const std::string& format) {
                const std::string file = fspath(path);
                const DocumentFormat f = format_of(format);
                self->read(Gil::release, [&](const Workspace& ws) {
                    ws.records().export_access_log(file, f);
                    return true;
                });
            },
            py::arg("path"), py::arg("format") = "auto",
            "The whole access log written atomically as CSV (seq, at, reader, system, purpose, "
            "read, key, kind, fields joined with '|', hash) or JSON (an array of objects); the "
            "format from the extension with 'auto'.")
        // ---- 四实 collection quality ----
        .def(
            "draw_check",
            [](const RecordsFace& self, const std::string& kind, py::object within,
               std::size_t count, std::uint64_t seed) {
                std::optional<NodeRef> node;
                if (!within.is_none())
                    node = node_ref(within);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    const NodeId n = node ? resolve(ws.hierarchy().view(), *node) : no_node;
                    return ws.records().draw_check(kind, n, count, seed);
                });
            },
            py::arg("kind"), py::arg("within") = py::none(), py::kw_only(), py::arg("count"),
            py::arg("seed"),
            "Draws `count` live records of `kind` in the subtree of `within` (a node code, id "
            "or Node; None: everywhere) with the audited draw (gridgov.draw(): candidates in "
            "key order, one stratum per node holding candidates, its code) for an inspector "
            "to visit; returns the DrawRecord. NotFoundError for an unknown kind or node, "
            "InvalidArgumentError as gridgov.draw() (count above the candidates or below the "
            "nodes holding them).")
        .def(
            "record_check",
            [](const RecordsFace& self, py::object round) {
                const CheckRound r = round_arg(round);
                change(self, [&](Workspace& ws) { ws.records().record_check(r); });
            },
            py::arg("round"),
            "Records a field check: a CheckRound, a dict in its JSON form (docs/records.md) or "
            "JSON text. Refused, changing nothing: an empty or taken label "
            "(AlreadyExistsError), a draw that does not verify, a finding at a record the draw "
            "did not pick, without its record (or NOT_COLLECTED with one), at an unknown "
            "record (NotFoundError), a record found twice; the message names findings[i] "
            "and the member.")
        .def(
            "checks",
            [](const RecordsFace& self) {
                return self->read(Gil::release, [](const Workspace& ws) {
                    std::vector<PyCheckRound> out;
                    for (CheckRound& r : ws.records().checks())
                        out.push_back(py_round(std::move(r), &ws.hierarchy().view()));
                    return out;
                });
            },
            "The rounds recorded (CheckRound), in the order recorded, each finding's node as "
            "a code.")
        .def(
            "check_rates",
            [](const RecordsFace& self, py::object from, py::object to) {
                const Date first = to_date_or(from, Date::min(), "from_");
                const Date last = to_date_or(to, Date::max(), "to");
                return self->read(Gil::release, [&](const Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    std::vector<PyCheckRates> out;
                    for (const CheckRates& r : ws.records().check_rates(first, last))
                        out.push_back(py_rates(h, r));
                    return out;
                });
            },
            py::arg("from_") = py::none(), py::arg("to") = py::none(),
            "Collection quality (CheckRates) per month and node over the rounds dated in "
            "[from_, to] (dates; None: open): one entry per node with a drawn record or a "
            "finding in its subtree (the grid and every ancestor), months ascending, nodes "
            "in pre-order.")
        .def(
            "_check_rates_columns",
            [](const RecordsFace& self, py::object from, py::object to) {
                const Date first = to_date_or(from, Date::min(), "from_");
                const Date last = to_date_or(to, Date::max(), "to");
                struct Out {
                    std::vector<std::string> month, node, node_name, level;
                    std::vector<std::int64_t> sampled, checked, correct, not_collected,
                        not_deregistered, wrong;
                    std::vector<double> collection_rate, accuracy_rate;
                };
                Out o = self->read(Gil::release, [&](const Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    const double nan = std::numeric_limits<double>::quiet_NaN();
                    const auto count = [](std::size_t v) { return static_cast<std::int64_t>(v); };
                    Out out;
                    for (const CheckRates& r : ws.records().check_rates(first, last)) {
                        const bool known = r.node < h.id_count();
                        out.month.push_back(r.month);
                        out.node.push_back(known ? h.code(r.node) : std::string());
                        out.node_name.push_back(known ? h.name(r.node) : std::string());
                        out.level.push_back(known ? h.levels()[h.level(r.node)].key
                                                  : std::string());
                        out.sampled.push_back(count(r.sampled));
                        out.checked.push_back(count(r.checked()));
                        out.correct.push_back(count(r.correct));
                        out.not_collected.push_back(count(r.not_collected));
                        out.not_deregistered.push_back(count(r.not_deregistered));
                        out.wrong.push_back(count(r.wrong));
                        out.collection_rate.push_back(r.collection_rate().value_or(nan));
                        out.accuracy_rate.push_back(r.accuracy_rate().value_or(nan));
                    }
                    return out;
                });
                py::dict d;
                d["month"] = std::move(o.month);
                d["node"] = std::move(o.node);
                d["node_name"] = std::move(o.node_name);
                d["level"] = std::move(o.level);
                d["sampled"] = owning_array(std::move(o.sampled), false);
                d["checked"] = owning_array(std::move(o.checked), false);
                d["correct"] = owning_array(std::move(o.correct), false);
                d["not_collected"] = owning_array(std::move(o.not_collected), false);
                d["not_deregistered"] = owning_array(std::move(o.not_deregistered), false);
                d["wrong"] = owning_array(std::move(o.wrong), false);
                d["collection_rate"] = owning_array(std::move(o.collection_rate), false);
                d["accuracy_rate"] = owning_array(std::move(o.accuracy_rate), false);
                return d;
            },
            py::arg("from_") = py::none(), py::arg("to") = py::none(),
            "The columns of check_rates_frame().")
        .def(
            "check_indicators",
            [](const RecordsFace& self, const std::string& period) {
                const AssessmentPeriod p = period_arg(period, "period");
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.records().check_indicators(p);
                });
            },
            py::arg("period"),
            "The rates of a period ('2026-03', '2026-Q1', ...) as {node code: {key: "
            "IndicatorValue}} for every live node: info_sampled, info_checked, info_correct, "
            "info_not_collected, info_not_deregistered, info_wrong (counts), "
            "info_collection_rate and info_accuracy_rate (%, undefined with the reason when "
            "nobody was checked); sources are the drawn records. Pass it as "
            "ws.assessment.assess(..., extra=...).");
}

}  // namespace gridgov::python
