#include "workflow/json_io.hpp"

#include "core/json_text.hpp"

#include <optional>

namespace gridgov::detail::wf {

std::string Place::text() const {
    return source + " " + (path.empty() ? "/" : path);
}

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

void fail(ErrorCode code, const Place& place, std::string_view field, const std::string& problem) {
    throw Error(code, place.text() + " field '" + std::string(field) + "': " + problem);
}

Json parse(std::string_view text, std::string_view source_name) {
    return detail::parse_json_document<Json>(text, source_name);
}

void require_object(const Json& value, const Place& place) {
    if (!value.is_object()) {
        throw Error(ErrorCode::invalid_argument, place.text() + ": not a JSON object");
    }
}

namespace {

const Json* member(const Json& object, const char* field) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return nullptr;
    return &*it;
}

}  // namespace

std::string get_string(const Json& object, const char* field, const Place& place, bool required) {
    const Json* v = member(object, field);
    if (v == nullptr) {
        if (required)
            fail(ErrorCode::invalid_argument, place, field, "missing");
        return {};
    }
    if (!v->is_string())
        fail(ErrorCode::invalid_argument, place, field, "not a string");
    std::string s = v->get<std::string>();
    if (required && s.empty())
        fail(ErrorCode::invalid_argument, place, field, "empty");
    return s;
}

bool get_bool(const Json& object, const char* field, const Place& place, bool fallback) {
    const Json* v = member(object, field);
    if (v == nullptr)
        return fallback;
    if (!v->is_boolean())
        fail(ErrorCode::invalid_argument, place, field, "not true or false");
    return v->get<bool>();
}

std::int64_t get_int(const Json& object, const char* field, const Place& place,
                     std::int64_t fallback) {
    const Json* v = member(object, field);
    if (v == nullptr)
        return fallback;
    if (!v->is_number_integer())
        fail(ErrorCode::invalid_argument, place, field, "not an integer");
    return v->get<std::int64_t>();
}

double get_number(const Json& object, const char* field, const Place& place, double fallback) {
    const Json* v = member(object, field);
    if (v == nullptr)
        return fallback;
    if (!v->is_number())
        fail(ErrorCode::invalid_argument, place, field, "not a number");
    return v->get<double>();
}

std::vector<std::string> get_strings(const Json& object, const char* field, const Place& place) {
    std::vector<std::string> out;
    const Json* v = member(object, field);
    if (v == nullptr)
        return out;
    if (!v->is_array())
        fail(ErrorCode::invalid_argument, place, field, "not an array of strings");
    for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_string()) {
            fail(ErrorCode::invalid_argument, place, field,
                 "element " + std::to_string(i) + " is not a string");
        }
        out.push_back((*v)[i].get<std::string>());
    }
    return out;
}

const Json* get_array(const Json& object, const char* field, const Place& place) {
    const Json* v = member(object, field);
    if (v != nullptr && !v->is_array())
        fail(ErrorCode::invalid_argument, place, field, "not an array");
    return v;
}

std::optional<TimeLimit> get_limit(const Json& object, const char* field, const Place& place) {
    const Json* v = member(object, field);
    if (v == nullptr)
        return std::nullopt;
    if (!v->is_object()) {
        fail(ErrorCode::invalid_argument, place, field,
             "not a time limit object {\"value\": ..., \"unit\": ...}");
    }
    try {
        return TimeLimit::from_json(v->dump());
    } catch (const Error& e) {
        fail(ErrorCode::invalid_argument, place, field, e.what());
    }
}

TimeLimit require_limit(const Json& object, const char* field, const Place& place) {
    std::optional<TimeLimit> limit = get_limit(object, field, place);
    if (!limit)
        fail(ErrorCode::invalid_argument, place, field, "missing");
    return *limit;
}

Json limit_json(const TimeLimit& limit) {
    return Json::parse(limit.to_json());
}

}  // namespace gridgov::detail::wf
