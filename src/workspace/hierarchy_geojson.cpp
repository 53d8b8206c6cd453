// GeoJSON hierarchy files: a FeatureCollection whose features carry node fields in their
// properties, read as the gridgov.hierarchy JSON document it stands for.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/json_text.hpp"
#include "gridgov/core.hpp"
#include "workspace/hierarchy_file.hpp"

namespace gridgov::detail {
namespace {

using Json = nlohmann::ordered_json;

// A GeoJSON FeatureCollection (as hierarchy_to_geojson() writes it)
// as a gridgov hierarchy JSON document. Every shape problem is a parse error naming the
// file and the member as a JSON pointer (`/features/3/properties/code`).
std::string geojson_to_hierarchy_json(std::string_view text, const std::string& source) {
    const Json doc = parse_json_document<Json>(text, source);
    const auto refuse = [&](const std::string& pointer, const std::string& problem) {
        throw Error(ErrorCode::parse_error,
                    source + ": member " + (pointer.empty() ? "/" : pointer) + ": " + problem);
    };
    const auto kind = [](const Json& v) { return std::string(v.type_name()); };
    if (!doc.is_object())
        refuse("", "a GeoJSON FeatureCollection must be an object, not " + kind(doc));
    const auto type = doc.find("type");
    if (type == doc.end() || !type->is_string() || *type != "FeatureCollection")
        refuse("/type", "must be the string \"FeatureCollection\"" +
                            (type == doc.end() ? std::string(" (it is missing)")
                                               : " (it is " + type->dump() + ")"));
    const auto features = doc.find("features");
    if (features == doc.end() || !features->is_array())
        refuse("/features", features == doc.end() ? "an array of features is required"
                                                  : "must be an array, not " + kind(*features));
    Json nodes = Json::array();
    for (std::size_t i = 0; i < features->size(); ++i) {
        const std::string at = "/features/" + std::to_string(i);
        const Json& f = (*features)[i];
        if (!f.is_object())
            refuse(at, "a feature must be an object, not " + kind(f));
        if (const auto t = f.find("type"); t != f.end() && (!t->is_string() || *t != "Feature"))
            refuse(at + "/type", "must be the string \"Feature\" (it is " + t->dump() + ")");
        const auto properties = f.find("properties");
        if (properties == f.end() || !properties->is_object())
            refuse(at + "/properties", properties == f.end()
                                           ? "an object of properties is required"
                                           : "must be an object, not " + kind(*properties));
        Json node;
        Json attributes = Json::object();
        for (const auto& [key, value] : properties->items()) {
            const std::string member = at + "/properties/" + json_pointer_token(key);
            if (key == "code" || key == "name" || key == "level" || key == "parent" ||
                key == "kind" || key == "area_type" || key == "area_class") {
                if (!value.is_string())
                    refuse(member, "must be a string, not " + kind(value));
                node[key] = value;
            } else if (value.is_number() || value.is_null()) {
                if (key == "households" || key == "population" || key == "area_m2") {
                    node[key] = value;
                } else {
                    attributes[key] = value;
                }
            } else {
                refuse(member, "must be a number or null, not " + kind(value));
            }
        }
        for (const char* required : {"code", "name", "level"}) {
            if (!node.contains(required))
                refuse(at + "/properties/" + required, "is required");
        }
        if (!attributes.empty())
            node["attributes"] = attributes;
        if (const auto g = f.find("geometry"); g != f.end() && !g->is_null()) {
            if (!g->is_object())
                refuse(at + "/geometry", "must be an object or null, not " + kind(*g));
            node["geometry"] = *g;
        }
        nodes.push_back(std::move(node));
    }
    Json out;
    out["format"] = "gridgov.hierarchy";
    out["version"] = 1;
    out["nodes"] = std::move(nodes);
    return out.dump();
}

}  // namespace

ParsedHierarchyFile parse_hierarchy_geojson(std::string_view text, const std::string& source) {
    return parse_hierarchy_json(geojson_to_hierarchy_json(text, source), source);
}

}  // namespace gridgov::detail
