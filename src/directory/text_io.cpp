#include "directory/text_io.hpp"

#include "core/json_text.hpp"
#include "directory/directory_impl.hpp"

namespace gridgov::detail {

void field_error(ErrorCode code, const std::string& where, std::string_view field,
                 const std::string& problem) {
    throw Error(code, where + " field " + quote(field) + ": " + problem);
}

Json parse_json(std::string_view text, std::string_view source_name) {
    return detail::parse_json_document<Json>(text, source_name);
}

std::string json_string(const Json& object, const char* field, const std::string& where,
                        bool required) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) {
        if (required)
            field_error(ErrorCode::invalid_argument, where, field, "missing");
        return {};
    }
    if (!it->is_string())
        field_error(ErrorCode::invalid_argument, where, field, "not a string");
    std::string value = it->get<std::string>();
    if (required && value.empty())
        field_error(ErrorCode::invalid_argument, where, field, "empty");
    return value;
}

std::vector<std::string> json_strings(const Json& object, const char* field,
                                      const std::string& where) {
    std::vector<std::string> out;
    const auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return out;
    if (!it->is_array()) {
        field_error(ErrorCode::invalid_argument, where, field, "not an array of strings");
    }
    for (const Json& v : *it) {
        if (!v.is_string()) {
            field_error(ErrorCode::invalid_argument, where, field, "not an array of strings");
        }
        out.push_back(v.get<std::string>());
    }
    return out;
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
    const auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return fallback;
    if (!it->is_string()) {
        field_error(ErrorCode::invalid_argument, where, field, "not a date string (YYYY-MM-DD)");
    }
    return text_date(it->get<std::string>(), fallback, where, field);
}

Json json_date_value(Date d) {
    const std::string s = date_text(d);
    if (s.empty())
        return nullptr;
    return s;
}

}  // namespace gridgov::detail
