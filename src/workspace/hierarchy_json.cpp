// The gridgov.hierarchy JSON format and the GeoJSON export (docs/formats.md).
#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>
#include <string>

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "io/csv.hpp"
#include "io/json_fields.hpp"
#include "workspace/hierarchy_file.hpp"

namespace gridgov::detail {
namespace {

// Ordered, so that geometry keeps the key order it was given in and exports keep ours.
using Json = nlohmann::ordered_json;

constexpr int format_version = 1;
constexpr const char* format_name = "gridgov.hierarchy";

[[noreturn]] void fail(ErrorCode code, const std::string& where, const std::string& what) {
    throw Error(code, where + ": " + what);
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is ours to show.
std::string json_message(const std::exception& e) {
    const std::string what = e.what();
    const auto pos = what.find("] ");
    return pos == std::string::npos ? what : what.substr(pos + 2);
}

// Reads the fields of one JSON object (a node, a unit, a level, an overlay).
class Row {
  public:
    Row(const FileLocation& loc, std::string row, const Json& value)
        : loc_(loc), row_(std::move(row)), obj_(value) {
        if (!obj_.is_object())
            fail(ErrorCode::invalid_argument, loc_.at(row_),
                 json_type_problem(obj_, JsonType::object));
    }

    const std::string& row() const { return row_; }
    std::string at(std::string_view field) const { return loc_.at(row_, field); }

    void allow(std::initializer_list<std::string_view> fields) const {
        for (const auto& item : obj_.items()) {
            bool known = false;
            for (const auto f : fields)
                known = known || item.key() == f;
            if (!known)
                fail(ErrorCode::invalid_argument, loc_.at(row_),
                     "unknown field '" + item.key() + "'");
        }
    }

    const Json* find(std::string_view field) const { return json_member(obj_, field); }

    /// A string field; "" when absent or null. Required fields must be non-empty.
    std::string text(std::string_view field, bool required = false) const {
        const Json* v = find(field);
        if (v == nullptr) {
            if (required)
                fail(ErrorCode::invalid_argument, at(field), "missing value");
            return {};
        }
        if (!v->is_string())
            fail(ErrorCode::invalid_argument, at(field), json_type_problem(*v, JsonType::string));
        std::string s = v->get<std::string>();
        if (required && s.empty())
            fail(ErrorCode::invalid_argument, at(field), "missing value");
        return s;
    }

    /// A number field; NaN (missing) when absent or null.
    double number(std::string_view field) const {
        const Json* v = find(field);
        if (v == nullptr)
            return missing_value;
        return number_value(*v, at(field));
    }

    static double number_value(const Json& v, const std::string& where) {
        if (!v.is_number())
            fail(ErrorCode::invalid_argument, where, json_type_problem(v, JsonType::number));
        return v.get<double>();
    }

    int integer(std::string_view field, int fallback) const {
        const Json* v = find(field);
        if (v == nullptr)
            return fallback;
        if (!v->is_number_integer() || v->get<std::int64_t>() < 0 ||
            v->get<std::int64_t>() > 1000) {
            fail(ErrorCode::invalid_argument, at(field),
                 json_shown(*v) + " is not a whole number from 0 to 1000");
        }
        return v->get<int>();
    }

    const Json* array(std::string_view field) const {
        const Json* v = find(field);
        if (v != nullptr && !v->is_array())
            fail(ErrorCode::invalid_argument, at(field), json_type_problem(*v, JsonType::array));
        return v;
    }

  private:
    const FileLocation& loc_;
    std::string row_;
    const Json& obj_;
};

LevelScheme parse_levels(const FileLocation& loc, const std::string& row, const Json& value) {
    if (!value.is_array())
        fail(ErrorCode::invalid_argument, loc.at(row), "must be an array of levels");
    std::vector<Level> levels;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const Row r(loc, row + "[" + std::to_string(i) + "]", value[i]);
        r.allow({"key", "name_zh", "name_en", "code_digits"});
        levels.push_back({r.text("key", true), r.text("name_zh"), r.text("name_en"),
                          r.integer("code_digits", 0)});
    }
    if (levels.empty())
        fail(ErrorCode::invalid_argument, loc.at(row), "names no level");
    try {
        return LevelScheme(std::move(levels));
    } catch (const Error& e) {
        fail(e.code(), loc.at(row), e.what());
    }
}

NodeSpec parse_node(const Row& r) {
    r.allow({"code", "parent", "name", "level", "kind", "area_type", "area_class", "households",
             "population", "area_m2", "attributes", "geometry"});
    NodeSpec s;
    s.code = r.text("code", true);
    s.parent_code = r.text("parent");
    s.name = r.text("name", true);
    s.level = r.text("level", true);
    try {
        if (const std::string kind = r.text("kind"); !kind.empty())
            s.kind = parse_grid_kind(kind);
    } catch (const Error& e) {
        fail(e.code(), r.at("kind"), e.what());
    }
    try {
        s.area_type = parse_area_type(r.text("area_type"));
    } catch (const Error& e) {
        fail(e.code(), r.at("area_type"), e.what());
    }
    s.area_class = r.text("area_class");
    s.households = r.number("households");
    s.population = r.number("population");
    s.area_m2 = r.number("area_m2");
    if (const Json* attributes = r.find("attributes")) {
        if (!attributes->is_object()) {
            fail(ErrorCode::invalid_argument, r.at("attributes"), "must be an object of numbers");
        }
        for (const auto& item : attributes->items()) {
            const std::string field = "attributes." + item.key();
            if (item.key().empty() || is_reserved_column(item.key())) {
                fail(ErrorCode::invalid_argument, r.at(field),
                     "an attribute needs a name other than the fields of a node");
            }
            if (item.value().is_null())
                continue;
            s.attributes.emplace_back(item.key(), Row::number_value(item.value(), r.at(field)));
        }
    }
    if (const Json* geometry = r.find("geometry")) {
        if (!geometry->is_object()) {
            fail(ErrorCode::invalid_argument, r.at("geometry"),
                 "must be a GeoJSON geometry object");
        }
        s.geometry = geometry->dump();
    }
    return s;
}

ParsedOverlay parse_overlay(const FileLocation& loc, const Row& r) {
    r.allow({"key", "name", "levels", "units"});
    ParsedOverlay o;
    o.row = r.row();
    o.key = r.text("key", true);
    o.name = r.text("name", true);
    const Json* levels = r.find("levels");
    if (levels == nullptr)
        fail(ErrorCode::invalid_argument, r.at("levels"), "missing value");
    if (levels->is_string()) {
        const std::string scheme = levels->get<std::string>();
        if (scheme == "fire_safety") {
            o.levels = fire_safety_levels();
        } else if (scheme == "market_supervision") {
            o.levels = market_supervision_levels();
        } else if (scheme == "urban_management") {
            o.levels = urban_management_levels();
        } else {
            fail(ErrorCode::invalid_argument, r.at("levels"),
                 "unknown level scheme '" + scheme +
                     "' (built in: fire_safety, market_supervision, urban_management)");
        }
    } else {
        o.levels = parse_levels(loc, r.row() + ".levels", *levels);
    }
    if (const Json* units = r.array("units")) {
        for (std::size_t i = 0; i < units->size(); ++i) {
            const Row u(loc, r.row() + ".units[" + std::to_string(i) + "]", (*units)[i]);
            u.allow({"code", "parent", "name", "level", "grids"});
            OverlayUnitSpec spec;
            spec.code = u.text("code", true);
            spec.parent_code = u.text("parent");
            spec.name = u.text("name", true);
            spec.level = u.text("level", true);
            if (const Json* grids = u.array("grids")) {
                for (std::size_t g = 0; g < grids->size(); ++g) {
                    const Json& code = (*grids)[g];
                    if (!code.is_string() || code.get<std::string>().empty()) {
                        fail(ErrorCode::invalid_argument, u.at("grids[" + std::to_string(g) + "]"),
                             json_shown(code) + " is not a grid code");
                    }
                    spec.grid_codes.push_back(code.get<std::string>());
                }
            }
            o.units.push_back(std::move(spec));
            o.unit_rows.push_back(u.row());
        }
    }
    return o;
}

// Whole numbers are written as JSON integers so that 152 households stay "152".
Json number_json(double v) {
    if (std::trunc(v) == v && std::fabs(v) < 9007199254740992.0) {
        return static_cast<std::int64_t>(v);
    }
    return v;
}

Json level_json(const Level& l) {
    Json j = Json::object();
    j["key"] = l.key;
    j["name_zh"] = l.name_zh;
    j["name_en"] = l.name_en;
    j["code_digits"] = l.code_digits;
    return j;
}

Json levels_json(const LevelScheme& levels) {
    Json j = Json::array();
    for (const Level& l : levels.levels())
        j.push_back(level_json(l));
    return j;
}

// Numeric columns of a hierarchy resolved once, so that a node costs no lookups by name.
struct Columns {
    explicit Columns(const Hierarchy& h) {
        for (const std::string& name : h.column_names()) {
            entries.push_back({name, &h.column(name)});
        }
    }
    struct Entry {
        std::string name;
        const std::vector<double>* values;
    };
    std::vector<Entry> entries;  // the built-in three first, then attributes
};

std::string parent_code(const Hierarchy& h, NodeId id) {
    const NodeId p = h.parent(id);
    return p == no_node ? std::string() : h.code(p);
}

Json parse_stored_geometry(const Hierarchy& h, NodeId id) {
    try {
        return Json::parse(h.geometry(id));
    } catch (const Json::exception& e) {
        throw Error(
            ErrorCode::internal,
            "node " + h.code(id) + " holds a geometry that is not JSON: " + json_message(e));
    }
}

std::string dump(const Json& doc) {
    try {
        return doc.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::internal, "cannot write JSON: " + json_message(e));
    }
}

}  // namespace

std::string FileLocation::at(std::string_view row, std::string_view field) const {
    std::string s = "file " + source;
    if (!row.empty()) {
        s += ", ";
        s += row;
    }
    if (!field.empty()) {
        s += csv ? ", column " : ", field ";
        s += field;
    }
    return s;
}

ParsedHierarchyFile parse_hierarchy_json(std::string_view text, const std::string& source) {
    ParsedHierarchyFile out;
    out.location = FileLocation{source, false};
    const FileLocation& loc = out.location;

    const Json doc = detail::parse_json_document<Json>(text, "file " + source);
    const Row top(loc, "", doc);
    top.allow({"format", "version", "levels", "nodes", "overlays"});
    if (const Json* format = top.find("format");
        format != nullptr && (!format->is_string() || format->get<std::string>() != format_name)) {
        fail(ErrorCode::invalid_argument, loc.at("", "format"),
             json_shown(*format) + " is not '" + std::string(format_name) + "'");
    }
    if (const Json* version = top.find("version")) {
        if (!version->is_number_integer() || version->get<std::int64_t>() < 1) {
            fail(ErrorCode::invalid_argument, loc.at("", "version"),
                 json_shown(*version) + " is not a format version");
        }
        if (version->get<std::int64_t>() > format_version) {
            fail(ErrorCode::version_mismatch, loc.at("", "version"),
                 "format version " + version->dump() + " is newer than this library reads (" +
                     std::to_string(format_version) + ")");
        }
    }
    const Json* levels = top.find("levels");
    out.levels =
        levels != nullptr ? parse_levels(loc, "levels", *levels) : LevelScheme::chinese_default();

    if (const Json* nodes = top.array("nodes")) {
        out.nodes.reserve(nodes->size());
        out.node_rows.reserve(nodes->size());
        for (std::size_t i = 0; i < nodes->size(); ++i) {
            const Row r(loc, "nodes[" + std::to_string(i) + "]", (*nodes)[i]);
            out.nodes.push_back(parse_node(r));
            out.node_rows.push_back(r.row());
        }
    }
    if (const Json* overlays = top.array("overlays")) {
        for (std::size_t i = 0; i < overlays->size(); ++i) {
            const Row r(loc, "overlays[" + std::to_string(i) + "]", (*overlays)[i]);
            out.overlays.push_back(parse_overlay(loc, r));
        }
    }
    return out;
}

bool is_reserved_column(std::string_view name) {
    for (const char* reserved :
         {"code", "parent", "parent_code", "name", "level", "kind", "area_type", "area_class",
          "households", "population", "area_m2", "attributes", "geometry"}) {
        if (name == reserved)
            return true;
    }
    return false;
}

void check_utf8(std::string_view text, std::string_view what) {
    check_text(text, TextKind::line, what);
}

void check_attribute_name(std::string_view name) {
    check_utf8(name, "a column name");
    if (name.empty() || is_reserved_column(name)) {
        throw Error(ErrorCode::invalid_argument,
                    "'" + std::string(name) +
                        "' cannot name a numeric column: it is empty or a field of a node");
    }
}

void check_node_spec(const NodeSpec& spec) {
    check_utf8(spec.code, "the code of a node");
    const std::string node = "node " + spec.code;
    check_utf8(spec.parent_code, "the parent code of " + node);
    check_utf8(spec.name, "the name of " + node);
    check_utf8(spec.level, "the level of " + node);
    check_utf8(spec.area_class, "the area class of " + node);
    try {
        for (const auto& attribute : spec.attributes)
            check_attribute_name(attribute.first);
    } catch (const Error& e) {
        throw Error(e.code(), node + ": " + e.what());
    }
    if (spec.geometry.empty())
        return;
    bool object = false;
    std::string problem = "it is not a JSON object";
    try {
        object = detail::parse_json_document<Json>(spec.geometry, "geometry").is_object();
    } catch (const Error& e) {
        problem = e.what();
    }
    if (!object) {
        throw Error(ErrorCode::invalid_argument,
                    node + ": geometry must be a GeoJSON geometry object; " + problem);
    }
}

std::string hierarchy_to_json(const Hierarchy& h, const std::vector<Overlay>& overlays) {
    const Columns columns(h);
    Json doc = Json::object();
    doc["format"] = format_name;
    doc["version"] = format_version;
    doc["levels"] = levels_json(h.levels());

    Json nodes = Json::array();
    for (const NodeId id : h.preorder()) {
        Json n = Json::object();
        n["code"] = h.code(id);
        n["parent"] = parent_code(h, id);
        n["name"] = h.name(id);
        n["level"] = h.levels()[static_cast<std::size_t>(h.level(id))].key;
        n["kind"] = grid_kind_name(h.kind(id));
        n["area_type"] = area_type_name(h.area_type(id));
        if (!h.area_class(id).empty())
            n["area_class"] = h.area_class(id);
        Json attributes = Json::object();
        for (std::size_t c = 0; c < columns.entries.size(); ++c) {
            const double v = (*columns.entries[c].values)[id];
            if (is_missing(v))
                continue;
            if (c < 3) {
                n[columns.entries[c].name] = number_json(v);
            } else {
                attributes[columns.entries[c].name] = number_json(v);
            }
        }
        if (!attributes.empty())
            n["attributes"] = std::move(attributes);
        if (!h.geometry(id).empty())
            n["geometry"] = parse_stored_geometry(h, id);
        nodes.push_back(std::move(n));
    }
    doc["nodes"] = std::move(nodes);

    Json out_overlays = Json::array();
    for (const Overlay& overlay : overlays) {
        const Hierarchy& units = overlay.units();
        Json o = Json::object();
        o["key"] = overlay.key();
        o["name"] = overlay.name();
        o["levels"] = levels_json(units.levels());
        Json out_units = Json::array();
        for (const NodeId u : units.preorder()) {
            Json j = Json::object();
            j["code"] = units.code(u);
            j["parent"] = parent_code(units, u);
            j["name"] = units.name(u);
            j["level"] = units.levels()[static_cast<std::size_t>(units.level(u))].key;
            Json grids = Json::array();
            // Only live grids: the document describes the hierarchy as it stands.
            for (const NodeId g : overlay.grids_of(u)) {
                if (h.is_live(g))
                    grids.push_back(h.code(g));
            }
            j["grids"] = std::move(grids);
            out_units.push_back(std::move(j));
        }
        o["units"] = std::move(out_units);
        out_overlays.push_back(std::move(o));
    }
    doc["overlays"] = std::move(out_overlays);
    return dump(doc);
}

std::string hierarchy_to_geojson(const Hierarchy& h) {
    const Columns columns(h);
    Json features = Json::array();
    for (const NodeId id : h.preorder()) {
        if (h.geometry(id).empty())
            continue;
        Json p = Json::object();
        p["code"] = h.code(id);
        p["name"] = h.name(id);
        p["level"] = h.levels()[static_cast<std::size_t>(h.level(id))].key;
        p["parent"] = parent_code(h, id);
        p["kind"] = grid_kind_name(h.kind(id));
        p["area_type"] = area_type_name(h.area_type(id));
        if (!h.area_class(id).empty())
            p["area_class"] = h.area_class(id);
        for (const auto& c : columns.entries) {
            const double v = (*c.values)[id];
            if (!is_missing(v))
                p[c.name] = number_json(v);
        }
        Json f = Json::object();
        f["type"] = "Feature";
        f["properties"] = std::move(p);
        f["geometry"] = parse_stored_geometry(h, id);
        features.push_back(std::move(f));
    }
    Json doc = Json::object();
    doc["type"] = "FeatureCollection";
    doc["features"] = std::move(features);
    return dump(doc);
}

}  // namespace gridgov::detail
