// C ABI: duties on a schedule — the workspace's duty catalogue and fulfilments, the
// occurrences laid out over a period, their indicator values and findings, as JSON text in
// and out.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov.h"
#include "gridgov/duties.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::DutyCatalogue;
using gridgov::DutyFulfilment;
using gridgov::DutyOccurrence;
using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::add_json_elements;
using gridgov::capi::as_of_instant;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::period_of;
using gridgov::capi::require;
using gridgov::capi::source_of;

// A catalogue read from JSON (malformed text is GRIDGOV_EPARSE naming the line, column and
// member, as every JSON input of the C API).
DutyCatalogue catalogue_of(const char* json, const char* source_name) {
    return DutyCatalogue::from_json(json, source_of(source_name));
}

// The occurrences of `period` read at `as_of`, of every subject (NULL or "") or of one.
std::vector<DutyOccurrence> occurrences_of(const gridgov_workspace* ws, const char* period,
                                           int64_t as_of, const char* subject) {
    require(ws, "ws");
    const gridgov::AssessmentPeriod p = period_of(period, "period");
    const gridgov::Instant t = as_of_instant(as_of);
    // Each face catches up with other connections when it is handed out; take them all
    // before reading, so that the occurrences and the networks are of one state.
    const gridgov::WorkspaceDuties& duties = ws->ws.duties();
    const gridgov::WorkspaceDirectory& directory = ws->ws.directory();
    const gridgov::WorkspaceHierarchy& hierarchy = ws->ws.hierarchy();
    std::vector<DutyOccurrence> all = duties.occurrences(p, t);
    if (subject == nullptr || *subject == '\0')
        return all;
    try {
        return gridgov::duty_occurrences_of(all, subject, hierarchy.networks(), directory.view());
    } catch (const Error& e) {
        throw Error(e.code(), std::string("subject: ") + e.what());
    }
}

}  // namespace

extern "C" {

// ---- catalogue ----------------------------------------------------------------------------

int gridgov_duties_preset_keys(char** out) {
    return guard([&] {
        require(out, "out");
        std::string keys;
        for (const std::string& k : DutyCatalogue::preset_keys())
            keys += k + "\n";
        *out = dup_string(keys);
    });
}

int gridgov_duties_preset_json(char** out, const char* key) {
    return guard([&] {
        require(out, "out");
        require(key, "key");
        *out = dup_string(DutyCatalogue::preset(key).to_json());
    });
}

int gridgov_duties_validate_json(gridgov_findings** out, const gridgov_workspace* ws,
                                 const char* json, const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(json, "json");
        const DutyCatalogue catalogue = catalogue_of(json, source_name);
        const gridgov::WorkspaceDirectory& directory = ws->ws.directory();
        const gridgov::WorkspaceHierarchy& hierarchy = ws->ws.hierarchy();
        *out = gridgov::capi::new_findings(
            catalogue.validate(directory.view().catalogue(), hierarchy.networks()));
    });
}

int gridgov_duties_set_catalogue_json(gridgov_workspace* ws, const char* json,
                                      const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.duties().set_catalogue(catalogue_of(json, source_name));
    });
}

int gridgov_duties_use_preset(gridgov_workspace* ws, const char* key) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        ws->ws.duties().set_catalogue(DutyCatalogue::preset(key));
    });
}

int gridgov_duties_catalogue_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(ws->ws.duties().catalogue().to_json());
    });
}

// ---- fulfilments --------------------------------------------------------------------------

int gridgov_duties_add_fulfilments_json(size_t* out_added, gridgov_workspace* ws, const char* json,
                                        const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        add_json_elements(
            out_added, json, source_name, "fulfilments",
            [](std::string_view text, const std::string& source) {
                return gridgov::fulfilments_from_json(text, source);
            },
            [&](const std::vector<DutyFulfilment>& list) {
                ws->ws.duties().add_fulfilments(list);
            });
    });
}

int gridgov_duties_fulfilments_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(gridgov::fulfilments_to_json(ws->ws.duties().fulfilments()));
    });
}

// ---- occurrences, indicators and findings -------------------------------------------------

int gridgov_duties_occurrences_json(char** out, const gridgov_workspace* ws, const char* period,
                                    int64_t as_of, const char* subject) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(gridgov::occurrences_to_json(occurrences_of(ws, period, as_of, subject)));
    });
}

int gridgov_indicator_values_add_duties(gridgov_indicator_values* values,
                                        const gridgov_workspace* ws, const char* period,
                                        int64_t as_of, const char* subject) {
    return guard([&] {
        require(values, "values");
        gridgov::IndicatorValues got =
            gridgov::duty_values(occurrences_of(ws, period, as_of, subject));
        for (auto& [key, v] : got)
            values->values[key] = std::move(v);
    });
}

int gridgov_duties_findings(gridgov_findings** out, const gridgov_workspace* ws, const char* period,
                            int64_t as_of, const char* subject) {
    return guard([&] {
        require(out, "out");
        *out = gridgov::capi::new_findings(
            gridgov::duty_findings(occurrences_of(ws, period, as_of, subject)));
    });
}

}  // extern "C"
