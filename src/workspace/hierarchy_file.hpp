// Hierarchy files (docs/formats.md): JSON and CSV parsed into specs, and the JSON, CSV
// and GeoJSON writers. Parsing checks each field on its own; the structural checks that
// need the workspace (codes, parents, levels) happen in the import.
#ifndef GRIDGOV_SRC_WORKSPACE_HIERARCHY_FILE_HPP
#define GRIDGOV_SRC_WORKSPACE_HIERARCHY_FILE_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/hierarchy.hpp"

namespace gridgov::detail {

/// Where a record of a file came from, for messages.
struct FileLocation {
    std::string source;  ///< the file name as the caller gave it
    bool csv = false;    ///< CSV names a "column", JSON a "field"

    /// "file a.csv, line 14, column households" / "file a.json, nodes[12], field code";
    /// `row` or `field` may be empty.
    std::string at(std::string_view row, std::string_view field = {}) const;
};

struct ParsedOverlay {
    std::string row;  ///< "overlays[0]"
    std::string key;
    std::string name;
    LevelScheme levels;
    std::vector<OverlayUnitSpec> units;
    std::vector<std::string> unit_rows;  ///< "overlays[0].units[3]", parallel to units
};

struct ParsedHierarchyFile {
    FileLocation location;
    /// The file's level scheme; nullopt when the format cannot carry one (CSV).
    std::optional<LevelScheme> levels;
    std::vector<NodeSpec> nodes;
    std::vector<std::string> node_rows;  ///< "line 14" / "nodes[12]", parallel to nodes
    std::vector<ParsedOverlay> overlays;
};

/// Parses a gridgov.hierarchy JSON document. Throws Error(parse_error) for text that is
/// not JSON and Error(invalid_argument / version_mismatch) naming the row and field of
/// the first malformed value.
ParsedHierarchyFile parse_hierarchy_json(std::string_view text, const std::string& source);
/// Parses a hierarchy CSV table. Throws like parse_hierarchy_json, naming the line and column.
ParsedHierarchyFile parse_hierarchy_csv(std::string_view text, const std::string& source);

/// Parses a GeoJSON FeatureCollection whose features carry node fields in their
/// properties (as hierarchy_to_geojson() writes it). Every shape problem is
/// Error(parse_error) naming the file and the member as a JSON pointer
/// (`/features/3/properties/code`); field values are then checked like a JSON file's.
ParsedHierarchyFile parse_hierarchy_geojson(std::string_view text, const std::string& source);

/// Names no attribute column may take: the fields of a node in the file formats.
bool is_reserved_column(std::string_view name);

// Checks on values given through the API. Everything a workspace holds ends up inside
// exported JSON, CSV and GeoJSON documents, so it must be writable there.

/// Throws Error(invalid_argument) "<what>: <problem>" unless `text` is one line of UTF-8
/// without control characters (detail::check_text, TextKind::line).
void check_utf8(std::string_view text, std::string_view what);
/// Throws Error(invalid_argument) unless `name` can name an attribute column.
void check_attribute_name(std::string_view name);
/// Throws Error(invalid_argument) naming the node unless its text is UTF-8, its attribute
/// names are allowed, and its geometry is empty or a JSON object.
void check_node_spec(const NodeSpec& spec);

/// The live hierarchy and the overlays as a gridgov.hierarchy JSON document.
std::string hierarchy_to_json(const Hierarchy& hierarchy, const std::vector<Overlay>& overlays);
/// The live hierarchy as CSV, in pre-order, with the attribute columns that have values.
std::string hierarchy_to_csv(const Hierarchy& hierarchy);
/// The live nodes that have a geometry as a GeoJSON FeatureCollection.
std::string hierarchy_to_geojson(const Hierarchy& hierarchy);

}  // namespace gridgov::detail

#endif
