// C ABI: oversight — the workspace's inspections (with the tasks of a recorded draw), the
// promises of its matters with their ratings, progress and monthly board, the hazard
// entries with the hazards they make, and their indicator values, as JSON text in and out.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov.h"
#include "gridgov/oversight.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::HazardEntry;
using gridgov::Inspection;
using gridgov::Promise;
using gridgov::PromiseRating;
using gridgov::capi::add_json_elements;
using gridgov::capi::as_of_instant;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::period_of;
using gridgov::capi::require;

// The board of `month` under `place` (NULL or "": everywhere), read at the month's end or
// at `as_of` (GRIDGOV_NO_INSTANT: none given).
gridgov::PromiseBoard board_of(const gridgov_workspace* ws, const char* month, const char* place,
                               int64_t as_of) {
    require(ws, "ws");
    const gridgov::AssessmentPeriod m = period_of(month, "month");
    if (m.kind != gridgov::PeriodKind::month) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("month: \"") + month + "\" is not a month (expected YYYY-MM)");
    }
    std::optional<gridgov::Instant> at;
    if (as_of != GRIDGOV_NO_INSTANT)
        at = gridgov::Instant{as_of};
    return ws->ws.oversight().board(m, gridgov::capi::text(place), at);
}

}  // namespace

extern "C" {

// ---- inspections --------------------------------------------------------------------------

int gridgov_oversight_add_inspections_json(size_t* out_added, gridgov_workspace* ws,
                                           const char* json, const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        add_json_elements(
            out_added, json, source_name, "inspections",
            [](std::string_view text, const std::string& source) {
                return gridgov::inspections_from_json(text, source);
            },
            [&](const std::vector<Inspection>& list) { ws->ws.oversight().add_inspections(list); });
    });
}

int gridgov_oversight_inspections_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::inspections_to_json(ws->ws.oversight().inspections()));
    });
}

int gridgov_oversight_tasks_json(char** out, const gridgov_workspace* ws, const char* draw_label) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(draw_label, "draw_label");
        *out = dup_string(gridgov::inspection_tasks_to_json(ws->ws.oversight().tasks(draw_label)));
    });
}

// ---- promises and ratings -----------------------------------------------------------------

int gridgov_oversight_add_promises_json(size_t* out_added, gridgov_workspace* ws, const char* json,
                                        const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        add_json_elements(
            out_added, json, source_name, "promises",
            [](std::string_view text, const std::string& source) {
                return gridgov::promises_from_json(text, source);
            },
            [&](const std::vector<Promise>& list) { ws->ws.oversight().add_promises(list); });
    });
}

int gridgov_oversight_promises_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::promises_to_json(ws->ws.oversight().promises()));
    });
}

int gridgov_oversight_rate_promises_json(size_t* out_added, gridgov_workspace* ws, const char* json,
                                         const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        add_json_elements(
            out_added, json, source_name, "ratings",
            [](std::string_view text, const std::string& source) {
                return gridgov::promise_ratings_from_json(text, source);
            },
            [&](const std::vector<PromiseRating>& list) {
                ws->ws.oversight().rate_promises(list);
            });
    });
}

int gridgov_oversight_ratings_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::promise_ratings_to_json(ws->ws.oversight().ratings()));
    });
}

int gridgov_oversight_progress_json(char** out, const gridgov_workspace* ws, int64_t as_of) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Instant t = as_of_instant(as_of);
        *out = dup_string(gridgov::promise_progress_to_json(ws->ws.oversight().progress(t)));
    });
}

// ---- the monthly board --------------------------------------------------------------------

int gridgov_oversight_board_json(char** out, const gridgov_workspace* ws, const char* month,
                                 const char* place, int64_t as_of) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(gridgov::promise_board_to_json(board_of(ws, month, place, as_of)));
    });
}

int gridgov_oversight_board_html(char** out, const gridgov_workspace* ws, const char* month,
                                 const char* place, int64_t as_of) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(gridgov::promise_board_html(board_of(ws, month, place, as_of)));
    });
}

// ---- hazards ------------------------------------------------------------------------------

int gridgov_oversight_add_hazard_entries_json(size_t* out_added, gridgov_workspace* ws,
                                              const char* json, const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        add_json_elements(
            out_added, json, source_name, "hazards",
            [](std::string_view text, const std::string& source) {
                return gridgov::hazard_entries_from_json(text, source);
            },
            [&](const std::vector<HazardEntry>& list) {
                ws->ws.oversight().add_hazard_entries(list);
            });
    });
}

int gridgov_oversight_hazard_entries_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::hazard_entries_to_json(ws->ws.oversight().hazard_entries()));
    });
}

int gridgov_oversight_hazards_json(char** out, const gridgov_workspace* ws, int64_t as_of) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Instant t = as_of_instant(as_of);
        *out = dup_string(gridgov::hazards_to_json(ws->ws.oversight().hazards(t)));
    });
}

// ---- indicators ---------------------------------------------------------------------------

int gridgov_indicator_values_add_oversight(gridgov_indicator_values* values,
                                           const gridgov_workspace* ws, const char* subject,
                                           const char* period) {
    return guard([&] {
        require(values, "values");
        require(ws, "ws");
        require(subject, "subject");
        if (*subject == '\0')
            throw Error(ErrorCode::invalid_argument, "parameter 'subject' is empty");
        const gridgov::AssessmentPeriod p = period_of(period, "period");
        // Each face catches up with other connections when it is handed out; take them both
        // before reading, so that the records and the networks are of one state.
        const gridgov::WorkspaceOversight& oversight = ws->ws.oversight();
        const gridgov::WorkspaceHierarchy& hierarchy = ws->ws.hierarchy();
        const gridgov::Networks networks = hierarchy.networks();
        // The promises and the hazards are read at the period's last second, as an
        // assessment of it reads them.
        const gridgov::Instant end = p.last_instant();
        gridgov::IndicatorValues got =
            gridgov::inspection_values(oversight.inspections(), subject, networks, p);
        for (auto& [key, v] :
             gridgov::promise_values(oversight.progress(end), subject, networks, p))
            got[key] = std::move(v);
        for (auto& [key, v] : gridgov::hazard_values(oversight.hazards(end), subject, networks, p))
            got[key] = std::move(v);
        for (auto& [key, v] : got)
            values->values[key] = std::move(v);
    });
}

}  // extern "C"
