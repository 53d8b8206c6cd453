#include "workflow/json_io.hpp"

#include "core/json_text.hpp"
#include "io/json_fields.hpp"

#include <optional>

namespace gridgov::detail::wf {

std::string JsonPlace::text() const {
    return source + " " + (path.empty() ? "/" : path);
}

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

Json parse(std::string_view text, std::string_view source_name) {
    return detail::parse_json_document<Json>(text, source_name);
}

std::optional<TimeLimit> get_limit(const Json& object, const char* field, const JsonPlace& place) {
    const Json* v = detail::json_member(object, field);
    if (v == nullptr)
        return std::nullopt;
    if (!v->is_object()) {
        detail::field_error(
            ErrorCode::invalid_argument, place.text(), field,
            detail::json_shown(*v) + " is not a time limit object {\"value\": ..., \"unit\": ...}");
    }
    try {
        return TimeLimit::from_json(v->dump());
    } catch (const Error& e) {
        detail::field_error(ErrorCode::invalid_argument, place.text(), field, e.what());
    }
}

TimeLimit require_limit(const Json& object, const char* field, const JsonPlace& place) {
    std::optional<TimeLimit> limit = get_limit(object, field, place);
    if (!limit)
        detail::field_error(ErrorCode::invalid_argument, place.text(), field, "missing");
    return *limit;
}

Json limit_json(const TimeLimit& limit) {
    return Json::parse(limit.to_json());
}

}  // namespace gridgov::detail::wf
