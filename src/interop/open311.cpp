// Open311 GeoReport v2: services from the category catalogue, service requests from
// cases, and requests read back as new cases (include/gridgov/open311.hpp).
#include "gridgov/open311.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/json_text.hpp"
#include "gridgov/workspace.hpp"
#include "io/csv.hpp"
#include "io/json_fields.hpp"

namespace gridgov {
namespace {

using Json = nlohmann::ordered_json;
using Ring = std::vector<GeoPoint>;
using Polygon = std::vector<Ring>;  // outer ring, then holes

Json parse_geometry(std::string_view geometry) {
    return detail::parse_json_document<Json>(geometry, "geometry");
}

Ring read_ring(const Json& coords) {
    Ring ring;
    if (!coords.is_array())
        return ring;
    for (const Json& p : coords) {
        if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number())
            ring.push_back(GeoPoint{p[0].get<double>(), p[1].get<double>()});
    }
    return ring;
}

Polygon read_polygon(const Json& coords) {
    Polygon polygon;
    if (!coords.is_array())
        return polygon;
    for (const Json& r : coords)
        polygon.push_back(read_ring(r));
    return polygon;
}

// The polygons of a Polygon or MultiPolygon geometry; empty for other types.
std::vector<Polygon> polygons_of(const Json& g) {
    std::vector<Polygon> out;
    if (!g.is_object() || !g.contains("type") || !g.contains("coordinates"))
        return out;
    const Json& type = g["type"];
    const Json& coords = g["coordinates"];
    if (type == "Polygon") {
        out.push_back(read_polygon(coords));
    } else if (type == "MultiPolygon" && coords.is_array()) {
        for (const Json& p : coords)
            out.push_back(read_polygon(p));
    }
    return out;
}

// Signed area (shoelace) and the centroid's moments of one ring.
void ring_moments(const Ring& ring, double& area, double& cx, double& cy) {
    area = cx = cy = 0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
        const GeoPoint& a = ring[i];
        const GeoPoint& b = ring[(i + 1) % n];
        const double cross = a.lon * b.lat - b.lon * a.lat;
        area += cross;
        cx += (a.lon + b.lon) * cross;
        cy += (a.lat + b.lat) * cross;
    }
    area /= 2;
}

bool ring_contains(const Ring& ring, GeoPoint p) {
    bool inside = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const GeoPoint& a = ring[i];
        const GeoPoint& b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat) &&
            p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
            inside = !inside;
    }
    return inside;
}

void collect_points(const Json& coords, std::vector<GeoPoint>& out) {
    if (!coords.is_array())
        return;
    if (coords.size() >= 2 && coords[0].is_number() && coords[1].is_number()) {
        out.push_back(GeoPoint{coords[0].get<double>(), coords[1].get<double>()});
        return;
    }
    for (const Json& c : coords)
        collect_points(c, out);
}

std::string node_address(const Hierarchy& h, NodeId node) {
    std::vector<NodeId> path = h.path_to_root(node);
    std::string out;
    for (auto it = path.rbegin(); it != path.rend(); ++it)
        out += h.name(*it);
    return out;
}

// Error texts: "<source>: request[3]: field 'lat': ...".
std::string at_request(std::string_view source, std::size_t index) {
    return std::string(source) + ": request[" + std::to_string(index) + "]";
}

std::string string_field(const Json& request, const std::string& field, std::string_view source,
                         std::size_t index, bool required) {
    const Json* v = detail::json_member(request, field);
    if (v == nullptr) {
        if (required)
            throw Error(ErrorCode::invalid_argument,
                        at_request(source, index) + ": field '" + field + "' is required");
        return {};
    }
    if (v->is_string())
        return v->get<std::string>();
    if (v->is_number_integer())
        return std::to_string(v->get<std::int64_t>());
    throw Error(ErrorCode::invalid_argument, at_request(source, index) + ": field '" + field +
                                                 "' must be a string, not " +
                                                 detail::json_shown(*v));
}

// lat/long as numbers or numeric strings (GeoReport v2 servers write both).
std::optional<double> number_field(const Json& request, const std::string& field,
                                   std::string_view source, std::size_t index) {
    const Json* v = detail::json_member(request, field);
    if (v == nullptr)
        return std::nullopt;
    if (v->is_number())
        return v->get<double>();
    if (v->is_string()) {
        const std::string s = v->get<std::string>();
        if (s.empty())
            return std::nullopt;
        if (const std::optional<double> d = detail::parse_number(s))
            return d;
    }
    throw Error(ErrorCode::invalid_argument, at_request(source, index) + ": field '" + field +
                                                 "' must be a number, not " +
                                                 detail::json_shown(*v));
}

}  // namespace

std::optional<GeoPoint> geometry_centroid(std::string_view geometry) {
    if (geometry.empty())
        return std::nullopt;
    const Json g = parse_geometry(geometry);
    if (!g.is_object() || !g.contains("coordinates"))
        return std::nullopt;
    const std::vector<Polygon> polygons = polygons_of(g);
    double area = 0, cx = 0, cy = 0;
    for (const Polygon& polygon : polygons) {
        for (std::size_t r = 0; r < polygon.size(); ++r) {
            double a = 0, x = 0, y = 0;
            ring_moments(polygon[r], a, x, y);
            // Outer rings add, holes subtract, whatever their winding.
            const double sign = (r == 0) == (a >= 0) ? 1.0 : -1.0;
            area += sign * a;
            cx += sign * x;
            cy += sign * y;
        }
    }
    if (!polygons.empty() && std::abs(area) > 0)
        return GeoPoint{cx / (6 * area), cy / (6 * area)};
    std::vector<GeoPoint> points;
    collect_points(g["coordinates"], points);
    if (points.empty())
        return std::nullopt;
    GeoPoint mean;
    for (const GeoPoint& p : points) {
        mean.lon += p.lon;
        mean.lat += p.lat;
    }
    mean.lon /= static_cast<double>(points.size());
    mean.lat /= static_cast<double>(points.size());
    return mean;
}

bool geometry_contains(std::string_view geometry, GeoPoint point) {
    if (geometry.empty())
        return false;
    for (const Polygon& polygon : polygons_of(parse_geometry(geometry))) {
        if (polygon.empty() || !ring_contains(polygon[0], point))
            continue;
        bool in_hole = false;
        for (std::size_t r = 1; r < polygon.size() && !in_hole; ++r)
            in_hole = ring_contains(polygon[r], point);
        if (!in_hole)
            return true;
    }
    return false;
}

std::optional<NodeId> locate_node(const Hierarchy& hierarchy, GeoPoint point) {
    std::optional<NodeId> best;
    for (NodeId id : hierarchy.preorder()) {
        const std::string& g = hierarchy.geometry(id);
        if (g.empty() || (best && hierarchy.depth(id) <= hierarchy.depth(*best)))
            continue;
        if (geometry_contains(g, point))
            best = id;
    }
    return best;
}

std::string open311_services(const CategoryCatalogue& categories) {
    Json out = Json::array();
    for (const Category& c : categories.categories) {
        std::string description = c.name_en;
        if (!c.filing_condition.empty())
            description +=
                (description.empty() ? "" : ". ") + std::string("立案条件: ") + c.filing_condition;
        Json s;
        s["service_code"] = c.code;
        s["service_name"] = c.name_zh;
        s["description"] = description;
        s["metadata"] = false;
        s["type"] = "realtime";
        s["keywords"] = std::string(category_kind_name(c.kind));
        s["group"] = c.major_zh;
        out.push_back(std::move(s));
    }
    return out.dump(2);
}

std::string open311_requests(const Workspace& workspace, const Open311ExportOptions& options) {
    const CaseEngine& cases = workspace.cases();
    const Hierarchy& h = workspace.hierarchy().view();
    const CategoryCatalogue& categories = cases.categories();
    const DepartmentCatalogue& departments = cases.departments();
    Json out = Json::array();
    for (CaseId id : cases.select(options.filter)) {
        const CaseRecord r = cases.get(id);
        Json q;
        q["service_request_id"] = r.number;
        const bool closed = r.kind == StateKind::closed || r.kind == StateKind::voided;
        q["status"] = closed ? "closed" : "open";
        q["status_notes"] = r.state + " (" + state_kind_name(r.kind) + ")";
        q["service_code"] = r.category;
        const Category* category = categories.find(r.category);
        q["service_name"] = category ? category->name_zh : r.category;
        if (const Department* d = departments.find(r.department)) {
            q["agency_responsible"] = d->name_zh.empty() ? d->name_en : d->name_zh;
        } else {
            q["agency_responsible"] = r.department;
        }
        q["requested_datetime"] = r.reported_at.to_string();
        q["updated_datetime"] = r.updated_at.to_string();
        for (const CaseClock& c : r.clocks) {
            if (c.run == ClockRun::counting) {
                q["expected_datetime"] = c.deadline.to_string();
                break;
            }
        }
        if (h.is_live(r.node)) {
            q["address"] = node_address(h, r.node);
            q["address_id"] = h.code(r.node);
            if (const std::optional<GeoPoint> c = geometry_centroid(h.geometry(r.node))) {
                q["lat"] = c->lat;
                q["long"] = c->lon;
            }
        }
        if (!options.jurisdiction_id.empty())
            q["jurisdiction_id"] = options.jurisdiction_id;
        out.push_back(std::move(q));
    }
    return out.dump(2);
}

std::vector<Open311Request> read_open311_requests(const Workspace& workspace, std::string_view json,
                                                  const Open311ImportOptions& options,
                                                  std::string_view source_name) {
    Json doc = detail::parse_json_document<Json>(json, source_name);
    if (doc.is_object() && doc.contains("service_requests"))
        doc = doc["service_requests"];
    if (!doc.is_array())
        throw Error(ErrorCode::invalid_argument,
                    std::string(source_name) +
                        ": expected an array of service requests (or an object with "
                        "\"service_requests\")");
    const Hierarchy& h = workspace.hierarchy().view();
    const CategoryCatalogue& categories = workspace.cases().categories();
    std::vector<Open311Request> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const Json& q = doc[i];
        if (!q.is_object())
            throw Error(ErrorCode::invalid_argument,
                        at_request(source_name, i) + ": a service request must be an object");
        Open311Request r;
        r.index = i;
        r.service_request_id = string_field(q, "service_request_id", source_name, i, false);

        const std::string service = string_field(q, "service_code", source_name, i, true);
        const auto mapped = options.service_map.find(service);
        const std::string category = mapped != options.service_map.end() ? mapped->second : service;
        if (!categories.find(category))
            throw Error(ErrorCode::not_found,
                        at_request(source_name, i) + ": field 'service_code': no category " +
                            category +
                            (category == service ? "" : " (mapped from " + service + ")") +
                            " in the workspace's catalogue");

        NodeId node = no_node;
        std::string node_code;
        if (!options.node_field.empty())
            node_code = string_field(q, options.node_field, source_name, i, false);
        if (!node_code.empty()) {
            const std::optional<NodeId> found = h.find(node_code);
            if (!found)
                throw Error(ErrorCode::not_found, at_request(source_name, i) + ": field '" +
                                                      options.node_field + "': no live node " +
                                                      node_code);
            node = *found;
        } else {
            const std::optional<double> lat = number_field(q, "lat", source_name, i);
            const std::optional<double> lon = number_field(q, "long", source_name, i);
            if (!lat || !lon)
                throw Error(ErrorCode::invalid_argument,
                            at_request(source_name, i) + ": field '" +
                                std::string(lat ? "long" : "lat") +
                                "' is required (the request has no " +
                                (options.node_field.empty() ? std::string("node field")
                                                            : "'" + options.node_field + "'") +
                                ")");
            const std::optional<NodeId> found = locate_node(h, GeoPoint{*lon, *lat});
            if (!found)
                throw Error(ErrorCode::not_found,
                            at_request(source_name, i) + ": fields 'lat'/'long': the point " +
                                std::to_string(*lat) + ", " + std::to_string(*lon) +
                                " lies in no node's geometry");
            node = *found;
        }

        Instant at;
        const std::string when = string_field(q, "requested_datetime", source_name, i, false);
        if (!when.empty()) {
            try {
                at = Instant::parse(when);
            } catch (const Error& e) {
                throw Error(
                    ErrorCode::invalid_argument,
                    at_request(source_name, i) + ": field 'requested_datetime': " + e.what());
            }
        } else if (options.default_time) {
            at = *options.default_time;
        } else {
            throw Error(ErrorCode::invalid_argument,
                        at_request(source_name, i) + ": field 'requested_datetime' is required");
        }

        NewCase& report = r.report;
        report.command.command = Command::report;
        report.command.at = at;
        report.command.actor = options.actor;
        report.command.system = options.system && options.actor.empty();
        report.command.category = category;
        report.command.node = node;
        report.command.source = case_source_name(options.source);
        report.workflow = options.workflow;
        const std::string description = string_field(q, "description", source_name, i, false);
        report.command.note = "open311";
        if (!r.service_request_id.empty())
            report.command.note += " " + r.service_request_id;
        if (!description.empty())
            report.command.note += ": " + description;
        const std::string media = string_field(q, "media_url", source_name, i, false);
        if (!media.empty())
            report.command.evidence.push_back(media);
        if (options.keep_ids) {
            if (r.service_request_id.empty())
                throw Error(ErrorCode::invalid_argument,
                            at_request(source_name, i) +
                                ": field 'service_request_id' is required to keep the ids");
            report.number = r.service_request_id;
        }
        out.push_back(std::move(r));
    }
    return out;
}

Open311ImportReport import_open311_requests(Workspace& workspace, std::string_view json,
                                            const Open311ImportOptions& options,
                                            std::string_view source_name) {
    const std::vector<Open311Request> requests =
        read_open311_requests(workspace, json, options, source_name);
    Open311ImportReport out;
    CaseEngine& cases = workspace.cases();
    cases.batch([&] {
        for (const Open311Request& r : requests) {
            try {
                out.cases.push_back(cases.report(r.report));
            } catch (const Error& e) {
                throw Error(e.code(), at_request(source_name, r.index) + ": " + e.what());
            }
        }
    });
    for (CaseId id : out.cases)
        out.numbers.push_back(cases.get(id).number);
    return out;
}

}  // namespace gridgov
