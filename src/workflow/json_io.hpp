// Private JSON readers and writers of the workflow module: typed members whose errors name the
// source, the JSON path (RFC 6901 pointer) and the field.
#ifndef GRIDGOV_SRC_WORKFLOW_JSON_IO_HPP
#define GRIDGOV_SRC_WORKFLOW_JSON_IO_HPP

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail::wf {

using Json = nlohmann::ordered_json;

/// Where a JSON value sits: the source's name and the pointer to the value.
struct Place {
    std::string source;
    std::string path;  ///< "" for the document, "/transitions/3", ...

    Place at(std::string_view key) const { return {source, path + "/" + std::string(key)}; }
    Place at(std::size_t index) const { return {source, path + "/" + std::to_string(index)}; }
    /// "<source> /transitions/3" (the path "/" for the document itself).
    std::string text() const;
};

/// "\"value\"".
std::string quote(std::string_view s);

/// Throws Error(code) as "<source> <path> field '<field>': <problem>".
[[noreturn]] void fail(ErrorCode code, const Place& place, std::string_view field,
                       const std::string& problem);

/// Parses JSON text; Error(parse_error) naming the source and the byte offset.
Json parse(std::string_view text, std::string_view source_name);
/// Error(invalid_argument) unless `value` is an object.
void require_object(const Json& value, const Place& place);

/// Optional members with their defaults; `required` string members must be non-empty.
std::string get_string(const Json& object, const char* field, const Place& place,
                       bool required = false);
bool get_bool(const Json& object, const char* field, const Place& place, bool fallback = false);
std::int64_t get_int(const Json& object, const char* field, const Place& place,
                     std::int64_t fallback);
double get_number(const Json& object, const char* field, const Place& place, double fallback);
std::vector<std::string> get_strings(const Json& object, const char* field, const Place& place);
/// The array member (nullptr when absent or null); Error when present and not an array.
const Json* get_array(const Json& object, const char* field, const Place& place);
/// A TimeLimit member in calendar.hpp's format; nullopt when absent or null.
std::optional<TimeLimit> get_limit(const Json& object, const char* field, const Place& place);
/// A required TimeLimit member.
TimeLimit require_limit(const Json& object, const char* field, const Place& place);
/// Parses an enum member through `parse`, turning its Error into one naming the field.
template <class F>
auto get_enum(const Json& object, const char* field, const Place& place, F&& parse,
              decltype(parse(std::string_view{})) fallback) {
    const std::string text = get_string(object, field, place);
    if (text.empty())
        return fallback;
    try {
        return parse(text);
    } catch (const Error& e) {
        fail(ErrorCode::invalid_argument, place, field, e.what());
    }
}

Json limit_json(const TimeLimit& limit);

}  // namespace gridgov::detail::wf

#endif
