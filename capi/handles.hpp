// What the opaque C handles are on the C++ side. Not installed.
//
// Every capi/<module>.cpp that works on a workspace includes this file. A handle is a
// plain struct around the C++ object, so code in the C layer reaches the object through
// one member access (`ws->ws.hierarchy().view()`) and the C header never sees a C++ type.
#ifndef GRIDGOV_CAPI_HANDLES_HPP
#define GRIDGOV_CAPI_HANDLES_HPP

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov.h"
#include "gridgov/assessment.hpp"
#include "gridgov/core.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"

/// gridgov_workspace: created by gridgov_workspace_open(), freed by gridgov_workspace_close().
///
/// Strings handed out as "borrowed until the workspace changes" point into `ws` itself
/// (the hierarchy's codes and names, the level keys), so every function that changes the
/// workspace takes a non-const `gridgov_workspace*` and every reader a const one. A module
/// that needs more per-handle state (a cache, a second model) adds a member here with a
/// comment saying who owns it and when it is invalidated.
struct gridgov_workspace {
    gridgov::Workspace ws;
};

/// gridgov_findings: a snapshot of findings owned by the caller, independent of the
/// object that produced them (it may outlive the workspace). Any module that returns
/// findings wraps them with gridgov::capi::new_findings() and documents release with
/// gridgov_findings_destroy().
struct gridgov_findings {
    std::vector<gridgov::Finding> items;
};

/// gridgov_indicator_values: values by key, owned by the caller (gridgov_indicator_values_create()
/// and _destroy() in capi/assessment.cpp). Defined here because other modules add their
/// indicators to it (gridgov_indicator_values_add_duties() in capi/duties.cpp).
struct gridgov_indicator_values {
    gridgov::IndicatorValues values;
};

namespace gridgov::capi {

/// Moves `items` into a new handle for the caller (freed by gridgov_findings_destroy()).
inline gridgov_findings* new_findings(std::vector<Finding> items) {
    return new gridgov_findings{std::move(items)};
}

/// Indicator values as gridgov_indicator_values_json() writes them: {key: {"value" (number or
/// null), "reason", "sources"}} (defined in capi/assessment.cpp; the records' check
/// indicators are written the same way).
nlohmann::ordered_json indicator_values_json(const IndicatorValues& values);

/// An ISO date parameter that may be NULL: NULL is "no date given"; malformed text
/// throws Error(invalid_argument) naming the parameter and the text.
std::optional<Date> optional_date(const char* iso, const char* parameter);

/// The `reveal` parameter of the functions that answer with personal data: 0 masked,
/// 1 revealed; anything else is Error(invalid_argument) naming it.
Reveal reveal_of(int reveal);

/// An ISO date parameter that must be given (NULL is GRIDGOV_EINVAL naming the parameter).
Date required_date(const char* iso, const char* parameter);

/// The name a JSON input stands under in messages: `source_name`, or "<json>" for NULL.
inline std::string source_of(const char* source_name) {
    return source_name != nullptr ? source_name : "<json>";
}

/// An assessment period ("2026-03", "2026-Q1", "2026-H1", "2026"); NULL or malformed text
/// is Error(invalid_argument) naming the parameter ("month: ...").
inline AssessmentPeriod period_of(const char* period, const char* parameter) {
    require(period, parameter);
    try {
        return AssessmentPeriod::parse(period);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(parameter) + ": " + e.what());
    }
}

/// The instant `as_of`; GRIDGOV_NO_INSTANT is Error(invalid_argument) naming it.
inline Instant as_of_instant(int64_t as_of) {
    if (as_of == GRIDGOV_NO_INSTANT)
        throw Error(ErrorCode::invalid_argument, "as_of: no instant given (GRIDGOV_NO_INSTANT)");
    return Instant{as_of};
}

/// Records a JSON array of elements in a workspace, all or none: `read(json, source)`
/// parses it (its errors name the source and "<element>[i]"), `add(list)` records the list;
/// a refusal the workspace names as "<element>[i]" gets the source put in front, as the
/// JSON's own errors have it. The number recorded goes to *out_added.
template <class Read, class Add>
void add_json_elements(size_t* out_added, const char* json, const char* source_name,
                       std::string_view element, Read&& read, Add&& add) {
    require(out_added, "out_added");
    require(json, "json");
    const std::string source = source_of(source_name);
    const auto list = read(std::string_view(json), source);
    try {
        add(list);
    } catch (const Error& e) {
        const std::string_view what = e.what();
        if (what.rfind(std::string(element) + "[", 0) == 0)
            throw Error(e.code(), source + " " + std::string(what));
        throw;
    }
    *out_added = list.size();
}

}  // namespace gridgov::capi

#endif
