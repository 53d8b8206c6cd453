// C ABI: the workspace handle, import and export, validation and findings.
#include <memory>
#include <string>

#include "gridgov.h"
#include "gridgov/import.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace gridgov::capi {

std::optional<Date> optional_date(const char* iso, const char* parameter) {
    if (iso == nullptr)
        return std::nullopt;
    try {
        return Date::parse(iso);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(parameter) + ": " + e.what());
    }
}

Date required_date(const char* iso, const char* parameter) {
    require(iso, parameter);
    return *optional_date(iso, parameter);
}

Reveal reveal_of(int reveal) {
    if (reveal != 0 && reveal != 1)
        bad_value("reveal", reveal, "0 or 1");
    return reveal == 1 ? Reveal::revealed : Reveal::masked;
}

}  // namespace gridgov::capi

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::guard;
using gridgov::capi::require;

static_assert(GRIDGOV_SEVERITY_INFO == static_cast<int>(gridgov::Severity::info));
static_assert(GRIDGOV_SEVERITY_WARNING == static_cast<int>(gridgov::Severity::warning));
static_assert(GRIDGOV_SEVERITY_ERROR == static_cast<int>(gridgov::Severity::error));

gridgov::FileFormat file_format(int format) {
    switch (format) {
        case GRIDGOV_FORMAT_AUTO:
            return gridgov::FileFormat::automatic;
        case GRIDGOV_FORMAT_JSON:
            return gridgov::FileFormat::json;
        case GRIDGOV_FORMAT_CSV:
            return gridgov::FileFormat::csv;
        case GRIDGOV_FORMAT_GEOJSON:
            return gridgov::FileFormat::geojson;
        default:
            throw Error(ErrorCode::invalid_argument,
                        "format: " + std::to_string(format) + " is not a GRIDGOV_FORMAT_* value");
    }
}

gridgov::SizingPolicy sizing_preset(const char* name) {
    if (name == nullptr)
        return gridgov::SizingPolicy::none();
    std::string known;
    for (const gridgov::SizingPolicy& preset : gridgov::SizingPolicy::presets()) {
        if (preset.name == name)
            return preset;
        known += (known.empty() ? "" : ", ") + preset.name;
    }
    throw Error(ErrorCode::invalid_argument, std::string("options.sizing: unknown preset '") +
                                                 name + "' (known: " + known + ")");
}

gridgov::ValidationPolicy validation_policy(const gridgov_validation_options* options) {
    gridgov::ValidationPolicy policy;
    if (options == nullptr)
        return policy;
    if (options->version != GRIDGOV_VALIDATION_OPTIONS_VERSION) {
        throw Error(ErrorCode::invalid_argument,
                    "options.version: " + std::to_string(options->version) +
                        " is not supported (call gridgov_validation_options_init() first)");
    }
    policy.sizing = sizing_preset(options->sizing);
    if (options->grid_level != nullptr)
        policy.grid_level = options->grid_level;
    if (options->village_level != nullptr)
        policy.village_level = options->village_level;
    policy.check_code_prefix = options->check_code_prefix != 0;
    policy.check_code_length = options->check_code_length != 0;
    policy.check_unit_grid_id = options->check_unit_grid_id != 0;
    policy.require_households = options->require_households != 0;
    return policy;
}

const gridgov::Finding& finding_at(const gridgov_findings* findings, std::size_t index) {
    require(findings, "findings");
    if (index >= findings->items.size()) {
        throw Error(ErrorCode::invalid_argument,
                    "index: " + std::to_string(index) + " is out of range (" +
                        std::to_string(findings->items.size()) + " findings)");
    }
    return findings->items[index];
}

// The import report's findings become a handle allocated before the import runs, so that
// a successful import can always hand its outputs over.
template <class Import>
int import_into(size_t* out_nodes_added, gridgov_findings** out_findings, gridgov_workspace* ws,
                Import&& run) {
    return guard([&] {
        require(out_nodes_added, "out_nodes_added");
        require(out_findings, "out_findings");
        require(ws, "ws");
        auto handle = std::make_unique<gridgov_findings>();
        gridgov::ImportReport report = run();
        handle->items = std::move(report.findings);
        *out_nodes_added = report.nodes_added;
        *out_findings = handle.release();
    });
}

}  // namespace

extern "C" {

int gridgov_validation_options_init(gridgov_validation_options* options, uint32_t version) {
    return guard([&] {
        require(options, "options");
        if (version != GRIDGOV_VALIDATION_OPTIONS_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "version: " + std::to_string(version) +
                            " is not supported (expected GRIDGOV_VALIDATION_OPTIONS_VERSION)");
        }
        const gridgov::ValidationPolicy defaults;
        *options = gridgov_validation_options{};
        options->version = version;
        options->check_code_prefix = defaults.check_code_prefix ? 1 : 0;
        options->check_code_length = defaults.check_code_length ? 1 : 0;
        options->check_unit_grid_id = defaults.check_unit_grid_id ? 1 : 0;
        options->require_households = defaults.require_households ? 1 : 0;
    });
}

int gridgov_workspace_open(gridgov_workspace** out, const char* path, int flags) {
    return guard([&] {
        require(out, "out");
        require(path, "path");
        if ((flags & ~(GRIDGOV_OPEN_CREATE | GRIDGOV_OPEN_READONLY)) != 0) {
            throw Error(ErrorCode::invalid_argument,
                        "flags: unknown bits in " + std::to_string(flags) +
                            " (expected GRIDGOV_OPEN_CREATE and GRIDGOV_OPEN_READONLY)");
        }
        gridgov::OpenOptions options;
        options.create = (flags & GRIDGOV_OPEN_CREATE) != 0;
        options.read_only = (flags & GRIDGOV_OPEN_READONLY) != 0;
        *out = new gridgov_workspace{gridgov::Workspace::open(path, options)};
    });
}

void gridgov_workspace_close(gridgov_workspace* ws) {
    delete ws;
}

int gridgov_workspace_schema_version(void) {
    return gridgov::Workspace::schema_version();
}

int gridgov_workspace_path(const char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.path().c_str();
    });
}

int gridgov_workspace_refresh(gridgov_workspace* ws, int* out_applied) {
    return guard([&] {
        require(ws, "ws");
        const bool applied = ws->ws.refresh();
        if (out_applied != nullptr)
            *out_applied = applied ? 1 : 0;
    });
}

int gridgov_workspace_copy(const char* from, const char* to, int64_t* out_rows) {
    return guard([&] {
        require(from, "from");
        require(to, "to");
        const gridgov::Workspace::CopySummary summary = gridgov::Workspace::copy(from, to);
        if (out_rows != nullptr)
            *out_rows = summary.rows;
    });
}

int gridgov_workspace_import(char** out_report, gridgov_workspace* ws, const char* path,
                             const char* options_json) {
    return guard([&] {
        require(out_report, "out_report");
        require(ws, "ws");
        require(path, "path");
        const gridgov::FileImportOptions options =
            options_json != nullptr ? gridgov::FileImportOptions::from_json(options_json)
                                    : gridgov::FileImportOptions{};
        *out_report =
            gridgov::capi::dup_string(gridgov::import_file(ws->ws, path, options).to_json());
    });
}

int gridgov_workspace_import_text(char** out_report, gridgov_workspace* ws, const char* text,
                                  const char* source_name, const char* options_json) {
    return guard([&] {
        require(out_report, "out_report");
        require(ws, "ws");
        require(text, "text");
        const gridgov::FileImportOptions options =
            options_json != nullptr ? gridgov::FileImportOptions::from_json(options_json)
                                    : gridgov::FileImportOptions{};
        *out_report = gridgov::capi::dup_string(
            gridgov::import_text(ws->ws, text, source_name != nullptr ? source_name : "<text>",
                                 options)
                .to_json());
    });
}

int gridgov_hierarchy_validate(gridgov_findings** out, const gridgov_workspace* ws,
                               const gridgov_validation_options* options) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = gridgov::capi::new_findings(ws->ws.hierarchy().validate(validation_policy(options)));
    });
}

int gridgov_hierarchy_import_file(size_t* out_nodes_added, gridgov_findings** out_findings,
                                  gridgov_workspace* ws, const char* path, int format,
                                  const char* effective) {
    return import_into(out_nodes_added, out_findings, ws, [&] {
        require(path, "path");
        const gridgov::FileFormat f = file_format(format);
        const auto from = gridgov::capi::optional_date(effective, "effective");
        return ws->ws.hierarchy().import_file(path, f, from.value_or(gridgov::Date::min()));
    });
}

int gridgov_hierarchy_import_text(size_t* out_nodes_added, gridgov_findings** out_findings,
                                  gridgov_workspace* ws, const char* text, int format,
                                  const char* source_name, const char* effective) {
    return import_into(out_nodes_added, out_findings, ws, [&] {
        require(text, "text");
        const gridgov::FileFormat f = file_format(format);
        const auto from = gridgov::capi::optional_date(effective, "effective");
        return ws->ws.hierarchy().import_text(text, f, source_name ? source_name : "<text>",
                                              from.value_or(gridgov::Date::min()));
    });
}

int gridgov_hierarchy_export_file(const gridgov_workspace* ws, const char* path, int format) {
    return guard([&] {
        require(ws, "ws");
        require(path, "path");
        ws->ws.hierarchy().export_file(path, file_format(format));
    });
}

int gridgov_hierarchy_export_text(char** out, const gridgov_workspace* ws, int format) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = gridgov::capi::dup_string(ws->ws.hierarchy().export_text(file_format(format)));
    });
}

void gridgov_findings_destroy(gridgov_findings* findings) {
    delete findings;
}

int gridgov_findings_count(size_t* out, const gridgov_findings* findings) {
    return guard([&] {
        require(out, "out");
        require(findings, "findings");
        *out = findings->items.size();
    });
}

int gridgov_findings_severity_count(size_t* out, const gridgov_findings* findings, int severity) {
    return guard([&] {
        require(out, "out");
        require(findings, "findings");
        std::size_t n = 0;
        for (const gridgov::Finding& f : findings->items) {
            if (static_cast<int>(f.severity) == severity)
                ++n;
        }
        *out = n;
    });
}

int gridgov_findings_rule(const char** out, const gridgov_findings* findings, size_t index) {
    return guard([&] {
        require(out, "out");
        *out = finding_at(findings, index).rule.c_str();
    });
}

int gridgov_findings_severity(int* out, const gridgov_findings* findings, size_t index) {
    return guard([&] {
        require(out, "out");
        *out = static_cast<int>(finding_at(findings, index).severity);
    });
}

int gridgov_findings_where(const char** out, const gridgov_findings* findings, size_t index) {
    return guard([&] {
        require(out, "out");
        *out = finding_at(findings, index).where.c_str();
    });
}

int gridgov_findings_message(const char** out, const gridgov_findings* findings, size_t index) {
    return guard([&] {
        require(out, "out");
        *out = finding_at(findings, index).message.c_str();
    });
}

}  // extern "C"
