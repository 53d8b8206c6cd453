#include "directory/text_io.hpp"

#include "core/json_text.hpp"
#include "directory/directory_impl.hpp"

namespace gridgov::detail {

Json parse_json(std::string_view text, std::string_view source_name) {
    return detail::parse_json_document<Json>(text, source_name);
}

Date text_date(std::string_view text, Date fallback, const std::string& where,
               std::string_view field) {
    if (text.empty())
        return fallback;
    try {
        return Date::parse(text);
    } catch (const Error& e) {
        field_error(ErrorCode::invalid_argument, where, field, e.what());
    }
}

Date json_date(const Json& object, const char* field, const std::string& where, Date fallback) {
    const Json* v = json_member(object, field);
    if (v == nullptr)
        return fallback;
    if (!v->is_string()) {
        field_error(ErrorCode::invalid_argument, where, field,
                    json_shown(*v) + " is not a date string (YYYY-MM-DD)");
    }
    return text_date(v->get<std::string>(), fallback, where, field);
}

Json json_date_value(Date d) {
    const std::string s = date_text(d);
    if (s.empty())
        return nullptr;
    return s;
}

}  // namespace gridgov::detail
