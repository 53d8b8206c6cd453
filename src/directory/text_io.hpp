// Private helpers of the directory's readers and writers: dates in JSON and CSV fields
// (open ends), HTML escaping. The typed JSON members and field_error come from
// io/json_fields.hpp.
#ifndef GRIDGOV_SRC_DIRECTORY_TEXT_IO_HPP
#define GRIDGOV_SRC_DIRECTORY_TEXT_IO_HPP

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/html.hpp"
#include "gridgov/core.hpp"
#include "io/json_fields.hpp"

namespace gridgov::detail {

using Json = nlohmann::ordered_json;

/// Parses JSON text; throws Error(parse_error) naming the source and the byte offset.
Json parse_json(std::string_view text, std::string_view source_name);

/// A date member "YYYY-MM-DD"; absent, null or "" gives `fallback`.
Date json_date(const Json& object, const char* field, const std::string& where, Date fallback);

/// Dates in files: "" means open (Date::min() for from, Date::max() for to).
Date text_date(std::string_view text, Date fallback, const std::string& where,
               std::string_view field);
/// Dates out: open ends as null / "".
Json json_date_value(Date d);

}  // namespace gridgov::detail

#endif
