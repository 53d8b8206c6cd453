// Importing any file gridgov reads into a workspace, its kind told from its name and
// content: hierarchies (JSON, CSV, GeoJSON), the directory and its tables, the workflow
// configuration, activity records, stored scores, Open311 requests and matter plans. The
// C function gridgov_workspace_import(), Python's Workspace.import_file() and
// `gridgov import` all call import_file() (docs/formats.md lists the kinds).
#ifndef GRIDGOV_IMPORT_HPP
#define GRIDGOV_IMPORT_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/core.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/workspace.hpp"

namespace gridgov {

/// What a file holds.
enum class ImportKind : std::uint8_t {
    automatic,    ///< told from the file's name, then its content (detect_import_kind)
    hierarchy,    ///< a hierarchy document, JSON or CSV (formats.md)
    geojson,      ///< a GeoJSON FeatureCollection of nodes
    catalogue,    ///< the directory's duties and roles
    directory,    ///< a directory document (people, units, assignments, absences)
    people,       ///< a directory table, CSV or JSON
    units,        ///< ...
    assignments,  ///< ...
    absences,     ///< ...
    departments,  ///< the department catalogue
    categories,   ///< the category catalogue
    routing,      ///< the routing table
    workflow,     ///< a workflow spec
    open311,      ///< Open311 GeoReport v2 service requests, reported as cases
    plans,        ///< matter plans, run through the case engine
    households,   ///< activity records (assessment.md)
    visits,       ///< ...
    patrols,      ///< ...
    collection,   ///< ...
    attendance,   ///< ...
    tasks,        ///< ...
    ratings,      ///< ...
    scores,       ///< stored scores (score_to_json objects, or an array of them)
};

/// "hierarchy", "geojson", ..., "auto" for automatic.
std::string_view import_kind_name(ImportKind kind);
/// The kind named by `text` ("auto" or "" for automatic); Error(invalid_argument) naming
/// `field` and listing the kinds otherwise.
ImportKind parse_import_kind(std::string_view text, std::string_view field = "kind");

/// The kind of a file from its name (`.geojson`, `people.csv`, `村_visits.csv`,
/// `*scores*`, `*plans*`, `*workflow*`, ...), then from its content's top-level members
/// (`nodes`, `features`, `transitions`, `people`, `service_requests`, ...); a file that
/// tells nothing is taken as a hierarchy, whose import then names what is wrong.
ImportKind detect_import_kind(std::string_view file_name, std::string_view text);

/// How to import a file.
struct FileImportOptions {
    ImportKind kind = ImportKind::automatic;
    /// Hierarchy and GeoJSON: the date the nodes take effect (Date::min() = always).
    Date effective = Date::min();
    /// Open311 requests: how they are reported.
    Open311ImportOptions open311;
    /// Matter plans: transactions and ticks.
    std::size_t plan_batch_size = 2000;
    std::int64_t plan_tick_interval = 0;
    std::optional<Instant> plan_tick_until;
    /// Asked with (done, total) during hierarchy, activity and plan imports; false
    /// cancels (what an import cancels is not written).
    ProgressFn progress;

    /// The options from a JSON object: {"kind", "effective", "open311": {"actor",
    /// "system", "source", "workflow", "node_field", "service_map", "default_time",
    /// "keep_ids"}, "plans": {"batch_size", "tick_interval", "tick_until"}}; every member
    /// may be left out. Error(invalid_argument) naming the member when one is wrong.
    static FileImportOptions from_json(std::string_view json);
};

/// What an import did.
struct FileImportReport {
    std::string file;  ///< the file (or the source name of a text)
    ImportKind kind = ImportKind::automatic;
    /// What was added or set, in the order the kind reports it: ("nodes", 12),
    /// ("overlays", 1), ... for a hierarchy; ("records", 300) for activities; ...
    std::vector<std::pair<std::string, std::size_t>> counts;
    /// Open311: the numbers of the cases reported.
    std::vector<std::string> numbers;
    /// Workflow: the key@version added.
    std::string workflow;
    /// Hierarchy: the validation findings; workflow: its warnings; plans: the steps the
    /// engine refused (rule "refused", where = plan line).
    std::vector<Finding> findings;

    /// The count of `key`, 0 when the kind does not report it.
    std::size_t count(std::string_view key) const;
    /// {"file", "kind", <counts>..., "numbers"?, "workflow"?, "findings": n or
    /// "refusals": [...] for plans}: the object `gridgov import --json` prints per file.
    std::string to_json() const;
};

/// Reads `file` and imports it into `ws` as options.kind (or the detected kind), in one
/// transaction per kind as the module's own import does (plans: per batch). Throws
/// Error(not_found) naming the file when it cannot be read, and the module's errors
/// otherwise; a failed import changes nothing.
FileImportReport import_file(Workspace& ws, const std::string& file,
                             const FileImportOptions& options = {});
/// The same for text in memory; `source_name` stands for the file in kind detection
/// (its extension and name) and in error messages.
FileImportReport import_text(Workspace& ws, const std::string& text, const std::string& source_name,
                             const FileImportOptions& options = {});

}  // namespace gridgov

#endif
