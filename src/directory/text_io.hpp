// Private helpers of the directory's readers and writers: JSON fields with errors that
// name the record and field, HTML escaping.
#ifndef GRIDGOV_SRC_DIRECTORY_TEXT_IO_HPP
#define GRIDGOV_SRC_DIRECTORY_TEXT_IO_HPP

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/html.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail {

using Json = nlohmann::ordered_json;

/// Throws Error(code) as "<where> field '<field>': <problem>".
[[noreturn]] void field_error(ErrorCode code, const std::string& where, std::string_view field,
                              const std::string& problem);

/// Parses JSON text; throws Error(parse_error) naming the source and the byte offset.
Json parse_json(std::string_view text, std::string_view source_name);

/// A string member; `required` members must be present and non-empty.
std::string json_string(const Json& object, const char* field, const std::string& where,
                        bool required);
/// An array of strings (absent = empty).
std::vector<std::string> json_strings(const Json& object, const char* field,
                                      const std::string& where);
/// A date member "YYYY-MM-DD"; absent, null or "" gives `fallback`.
Date json_date(const Json& object, const char* field, const std::string& where, Date fallback);

/// Dates in files: "" means open (Date::min() for from, Date::max() for to).
Date text_date(std::string_view text, Date fallback, const std::string& where,
               std::string_view field);
/// Dates out: open ends as null / "".
Json json_date_value(Date d);

}  // namespace gridgov::detail

#endif
