// Open311 GeoReport v2 interchange (docs/open311.md): the category catalogue as Open311
// services, cases as Open311 service requests, and service requests read back as new
// cases of a workspace.
//
// Open311 knows two statuses, open and closed; gridgov's states stay internal and travel
// in `status_notes`. A request's place is a node: `address_id` carries the node's code,
// and `lat`/`long` the centroid of the node's geometry when it has one. On import a
// request's node comes from an attribute (by default `address_id`), else from the point
// `lat`/`long` found in the node polygons (the deepest node whose polygon holds it).
//
// An import is all or nothing: every request is read and resolved first (an error names
// the source, the request's index and the field), then all are reported in one batch of
// the workspace's case engine; a refused report rolls the batch back.
#ifndef GRIDGOV_OPEN311_HPP
#define GRIDGOV_OPEN311_HPP

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/core.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workflow.hpp"

namespace gridgov {

class Workspace;

/// A longitude/latitude pair (WGS84 degrees, GeoJSON order).
struct GeoPoint {
    double lon = 0;
    double lat = 0;
};

/// The centroid of a GeoJSON geometry object: area-weighted for Polygon and MultiPolygon
/// (outer rings less holes), the point itself for Point, the mean of the vertices for
/// other types; nullopt for "" or a geometry without coordinates. Throws
/// Error(parse_error) for text that is not JSON.
std::optional<GeoPoint> geometry_centroid(std::string_view geometry);

/// Whether a Polygon or MultiPolygon geometry holds `point` (inside an outer ring and
/// outside its holes; even-odd rule). False for other geometry types.
bool geometry_contains(std::string_view geometry, GeoPoint point);

/// The deepest live node of `hierarchy` whose geometry holds `point` (the first in
/// pre-order on a tie); nullopt when no node's polygon does.
std::optional<NodeId> locate_node(const Hierarchy& hierarchy, GeoPoint point);

/// Open311 services (GET services.json): one per category, as a JSON array with
/// service_code (the category code), service_name (Chinese name), description (English
/// name and filing condition), metadata false, type "realtime", keywords (the kind) and
/// group (the major class).
std::string open311_services(const CategoryCatalogue& categories);

/// What open311_requests() writes.
struct Open311ExportOptions {
    CaseFilter filter;            ///< the cases to write (all by default)
    std::string jurisdiction_id;  ///< written on every request when not empty
};

/// Open311 service requests (GET requests.json) of the workspace's cases as a JSON array,
/// by case id: service_request_id (case number), status (open, or closed for closed and
/// voided cases), status_notes (state key and kind), service_code and service_name (the
/// category), agency_responsible (the assigned department's name), requested_datetime,
/// updated_datetime, expected_datetime (the deadline of the counting clock; omitted when
/// no clock counts), address (the node's names from the root down), address_id (node
/// code), lat/long (centroid of the node's geometry, omitted without one).
std::string open311_requests(const Workspace& workspace, const Open311ExportOptions& options = {});

/// How open311 requests become cases.
struct Open311ImportOptions {
    /// service_code → category code; a code not listed is taken as a category code.
    std::map<std::string, std::string> service_map;
    /// The request field that names the node by its code; "" = locate by lat/long only.
    std::string node_field = "address_id";
    /// The report's actor (a person id); empty with `system` for the engine itself.
    std::string actor;
    bool system = true;
    /// How the requests came in; decides the default workflow (app → hotline_callback).
    CaseSource source = CaseSource::app;
    /// The workflow key; "" = the default of `source`.
    std::string workflow;
    /// The report instant of a request without requested_datetime; nullopt = such a
    /// request is an error.
    std::optional<Instant> default_time;
    /// Keep service_request_id as the case number (a duplicate is refused).
    bool keep_ids = false;
};

/// A request resolved into a report, before anything is reported.
struct Open311Request {
    std::size_t index = 0;  ///< position in the array
    std::string service_request_id;
    NewCase report;
};

/// What import_open311_requests() did.
struct Open311ImportReport {
    std::vector<CaseId> cases;         ///< the new cases, in request order
    std::vector<std::string> numbers;  ///< their numbers
};

/// Reads requests (a JSON array, or an object with a "service_requests" array) and
/// resolves each into a report without changing anything. Errors name `source_name`,
/// the request index and the field: Error(parse_error) for text that is not JSON,
/// Error(invalid_argument) for a missing or malformed field, Error(not_found) for an
/// unknown category or node, or a point outside every node polygon.
std::vector<Open311Request> read_open311_requests(const Workspace& workspace, std::string_view json,
                                                  const Open311ImportOptions& options = {},
                                                  std::string_view source_name = "<json>");

/// read_open311_requests(), then every report in one batch: all the requests become
/// cases or none does (a refused report throws its error, prefixed with the source and
/// the request index).
Open311ImportReport import_open311_requests(Workspace& workspace, std::string_view json,
                                            const Open311ImportOptions& options = {},
                                            std::string_view source_name = "<json>");

}  // namespace gridgov

#endif  // GRIDGOV_OPEN311_HPP
