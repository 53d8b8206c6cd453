// C ABI: the report page (gridgov/report.hpp) of a workspace, as a file or as its numbers.
#include <string>

#include "gridgov.h"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;

gridgov::ReportOptions report_options(const char* title, const char* board_level) {
    gridgov::ReportOptions o;
    o.title = title != nullptr ? title : "";
    if (board_level != nullptr && *board_level != '\0')
        o.board_level = board_level;
    return o;
}

gridgov::LightBoardOptions board_options(const char* level, const char* scope) {
    gridgov::LightBoardOptions o;
    if (level != nullptr && *level != '\0')
        o.level = level;
    o.scope = scope != nullptr ? scope : "";
    return o;
}

}  // namespace

extern "C" {

int gridgov_report_page_write(const gridgov_workspace* ws, const char* path, int64_t at,
                              const char* title, const char* board_level) {
    return guard([&] {
        require(ws, "ws");
        require(path, "path");
        gridgov::write_report_html(gridgov::collect_report_data(ws->ws, gridgov::Instant{at},
                                                                report_options(title, board_level)),
                                   path);
    });
}

int gridgov_report_page_json(char** out, const gridgov_workspace* ws, int64_t at, const char* title,
                             const char* board_level) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::report_json(gridgov::collect_report_data(
            ws->ws, gridgov::Instant{at}, report_options(title, board_level))));
    });
}

int gridgov_report_board_json(char** out, const gridgov_workspace* ws, int64_t at,
                              const char* level, const char* scope) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::light_board_json(
            gridgov::light_board(ws->ws, gridgov::Instant{at}, board_options(level, scope))));
    });
}

int gridgov_report_board_geojson(char** out, const gridgov_workspace* ws, int64_t at,
                                 const char* level, const char* scope) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::light_board_geojson(
            ws->ws,
            gridgov::light_board(ws->ws, gridgov::Instant{at}, board_options(level, scope))));
    });
}

int gridgov_report_unit_board_json(char** out, const gridgov_workspace* ws, int64_t at,
                                   const char* overlay, const char* level, const char* scope) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(overlay, "overlay");
        gridgov::LightBoardOptions o;
        o.overlay = overlay;
        o.level = level != nullptr ? level : "";
        o.scope = scope != nullptr ? scope : "";
        *out = dup_string(
            gridgov::light_board_json(gridgov::light_board(ws->ws, gridgov::Instant{at}, o)));
    });
}

}  // extern "C"
