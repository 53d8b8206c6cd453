// Python binding of the report page (gridgov/report.hpp): Workspace.write_report() and
// Workspace.report_data(), and the light board: Workspace.light_board() (of the base
// hierarchy's nodes or of an overlay's units) and Workspace.light_board_geojson().
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

#include "bind.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;

ReportOptions report_options(const std::string& title, const std::string& scope,
                             const std::string& board_level, bool verify_log) {
    ReportOptions o;
    o.title = title;
    o.scope = scope;
    if (!board_level.empty())
        o.board_level = board_level;
    o.verify_log = verify_log;
    return o;
}

LightBoardOptions board_options(const std::string& level, const std::string& scope) {
    LightBoardOptions o;
    o.level = level;
    o.scope = scope;
    return o;
}

}  // namespace

void bind_report(py::module_& m) {
    auto workspace =
        py::reinterpret_borrow<py::class_<WorkspaceHandle, Handle>>(m.attr("Workspace"));
    workspace
        .def(
            "write_report",
            [](const Handle& self, py::object path, py::object at, const std::string& title,
               const std::string& scope, const std::string& board_level, bool verify_log) {
                const std::string file = fspath(path);
                const Instant t = to_instant(at, "at");
                const ReportOptions o = report_options(title, scope, board_level, verify_log);
                self->read(Gil::release, [&](const Workspace& ws) {
                    write_report_html(collect_report_data(ws, t, o), file);
                    return true;
                });
            },
            py::arg("path"), py::arg("at"), py::arg("title") = "", py::arg("scope") = "",
            py::arg("board_level") = "village", py::arg("verify_log") = true,
            "Writes report.html (docs/report.md): the traffic-light board read at `at`, the "
            "stored scores, flags and draws, trends and explanations, in one self-contained "
            "file. The file is replaced whole or not at all.")
        .def(
            "report_data",
            [](const Handle& self, py::object at, const std::string& title,
               const std::string& scope, const std::string& board_level, bool verify_log) {
                const Instant t = to_instant(at, "at");
                const ReportOptions o = report_options(title, scope, board_level, verify_log);
                const std::string text = self->read(Gil::release, [&](const Workspace& ws) {
                    return report_json(collect_report_data(ws, t, o));
                });
                return py::module_::import("json").attr("loads")(text);
            },
            py::arg("at"), py::arg("title") = "", py::arg("scope") = "",
            py::arg("board_level") = "village", py::arg("verify_log") = true,
            "The numbers of the report page as a dict (the page's JSON island).")
        .def(
            "light_board",
            [](const Handle& self, py::object at, const std::optional<std::string>& level,
               const std::string& scope, const std::optional<std::string>& overlay) {
                const Instant t = to_instant(at, "at");
                LightBoardOptions o;
                o.overlay = overlay.value_or("");
                // Without a level: "grid" for the base hierarchy, every unit of an overlay.
                o.level = level.value_or(o.overlay.empty() ? "grid" : "");
                o.scope = scope;
                const std::string text = self->read(Gil::release, [&](const Workspace& ws) {
                    return light_board_json(light_board(ws, t, o));
                });
                return py::module_::import("json").attr("loads")(text);
            },
            py::arg("at"), py::arg("level") = py::none(), py::arg("scope") = "",
            py::arg("overlay") = py::none(),
            "The light board at `at` as a dict: {at, level, scope, rows: [{code, name, parent, "
            "cases, open, green, yellow, red, overdue, closed_on_time, closed_late, voided}], "
            "total}. Without `overlay` the rows are the nodes of `level` (default \"grid\") "
            "inside the node `scope`. With an overlay key they are its units (codes are places, "
            "\"fire:M1\"; the dict carries \"overlay\"), each counting the cases of the grids "
            "it covers: `level` a level of the overlay (default every unit, in tree order), "
            "`scope` a unit (\"M1\" or \"fire:M1\"). Cases reported after `at` are not on it; "
            "NotFoundError naming an unknown overlay, level or scope.")
        .def(
            "light_board_geojson",
            [](const Handle& self, py::object at, const std::string& level,
               const std::string& scope) {
                const Instant t = to_instant(at, "at");
                const LightBoardOptions o = board_options(level, scope);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return light_board_geojson(ws, light_board(ws, t, o));
                });
            },
            py::arg("at"), py::arg("level") = "grid", py::arg("scope") = "",
            "The same board as GeoJSON text: a Feature per row with the node's geometry, the "
            "counts and the latest stored score of each scheme as properties.");
}

}  // namespace gridgov::python
