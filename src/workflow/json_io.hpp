// Private JSON helpers of the workflow module: where a value sits (the source and its RFC 6901
// pointer, the `where` of the typed members in io/json_fields.hpp) and time limits.
#ifndef GRIDGOV_SRC_WORKFLOW_JSON_IO_HPP
#define GRIDGOV_SRC_WORKFLOW_JSON_IO_HPP

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail::wf {

using Json = nlohmann::ordered_json;

/// Where a JSON value sits: the source's name and the pointer to the value.
struct JsonPlace {
    std::string source;
    std::string path;  ///< "" for the document, "/transitions/3", ...

    JsonPlace at(std::string_view key) const { return {source, path + "/" + std::string(key)}; }
    JsonPlace at(std::size_t index) const { return {source, path + "/" + std::to_string(index)}; }
    /// "<source> /transitions/3" (the path "/" for the document itself).
    std::string text() const;
};

/// "\"value\"".
std::string quote(std::string_view s);

/// Parses JSON text; Error(parse_error) naming the source and the byte offset.
Json parse(std::string_view text, std::string_view source_name);

/// A TimeLimit member in calendar.hpp's format; nullopt when absent or null.
std::optional<TimeLimit> get_limit(const Json& object, const char* field, const JsonPlace& place);
/// A required TimeLimit member.
TimeLimit require_limit(const Json& object, const char* field, const JsonPlace& place);
Json limit_json(const TimeLimit& limit);

}  // namespace gridgov::detail::wf

#endif
