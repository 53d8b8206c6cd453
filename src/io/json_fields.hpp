// Typed members of JSON objects: the one family every JSON reader of gridgov uses to take a
// string, a number, a flag or an array out of an object (workflow specs, catalogues,
// directory documents, calendars, import options, stored notices, ...).
//
// A member that is absent or null counts as absent. Every problem is reported the same way,
// as Error(invalid_argument) "<where> field '<field>': <problem>", where `where` is the
// caller's name for the object ("qingshi.json /transitions/3", "people.json people[2]
// (person 'P1')", "township.json days[4]") and the problem is "missing", "empty" or names
// the value found ("341521105 is not a string", "'x' is not an integer"). Readers that
// collect findings instead of throwing (assessment schemes) and readers with their own
// place names (hierarchy files) use the same lookups and problem texts.
#ifndef GRIDGOV_SRC_IO_JSON_FIELDS_HPP
#define GRIDGOV_SRC_IO_JSON_FIELDS_HPP

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail {

/// What a JSON value must be.
enum class JsonType { string, integer, number, boolean, array, object };

/// "a string", "an integer", "a number", "true or false", "an array", "a JSON object".
const char* json_type_text(JsonType type) noexcept;

/// Throws Error(code) "<where> field '<field>': <problem>".
[[noreturn]] void field_error(ErrorCode code, const std::string& where, std::string_view field,
                              const std::string& problem);

/// The result of `read()`; an Error it throws is rethrown as field_error (invalid_argument)
/// naming `field`: for values parsed from a field's text (enums, dates, instants).
template <class F>
auto parse_field(const std::string& where, std::string_view field, F&& read) {
    try {
        return read();
    } catch (const Error& e) {
        field_error(ErrorCode::invalid_argument, where, field, e.what());
    }
}

/// A string value as messages show it: in single quotes, cut after 40 characters.
std::string json_shown_text(std::string_view text);

/// A value as messages show it: a string quoted and cut, a number, true, false or null as
/// written, "an array", "an object".
template <class Json>
std::string json_shown(const Json& value) {
    if (value.is_string())
        return json_shown_text(value.template get_ref<const typename Json::string_t&>());
    if (value.is_array())
        return "an array";
    if (value.is_object())
        return "an object";
    return value.dump();
}

/// Whether `value` is of `type` (an integer is a number too).
template <class Json>
bool json_is(const Json& value, JsonType type) {
    switch (type) {
        case JsonType::string:
            return value.is_string();
        case JsonType::integer:
            return value.is_number_integer();
        case JsonType::number:
            return value.is_number();
        case JsonType::boolean:
            return value.is_boolean();
        case JsonType::array:
            return value.is_array();
        case JsonType::object:
            return value.is_object();
    }
    return false;
}

/// "<value shown> is not <type>": "341521105 is not a string", "an array is not a number".
template <class Json>
std::string json_type_problem(const Json& value, JsonType type) {
    return json_shown(value) + " is not " + json_type_text(type);
}

/// The member `field` of `object`; nullptr when `object` is not an object or the member is
/// absent or null.
template <class Json>
const Json* json_member(const Json& object, std::string_view field) {
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(std::string(field));
    if (it == object.end() || it->is_null())
        return nullptr;
    return &*it;
}

/// Throws Error(invalid_argument) "<where>: <value shown> is not a JSON object" unless
/// `value` is an object.
template <class Json>
void json_require_object(const Json& value, const std::string& where) {
    if (!value.is_object())
        throw Error(ErrorCode::invalid_argument,
                    where + ": " + json_type_problem(value, JsonType::object));
}

/// `value`, the value of the member `field`, when it is of `type`; otherwise throws
/// field_error naming the value (for members read by iterating over an object).
template <class Json>
const Json& json_require(const Json& value, JsonType type, const std::string& where,
                         std::string_view field) {
    if (!json_is(value, type))
        field_error(ErrorCode::invalid_argument, where, field, json_type_problem(value, type));
    return value;
}

/// The member `field` of the object `object` when it is of `type`; nullptr when absent or
/// null, and then "missing" when `required`. Throws when `object` is not an object.
template <class Json>
const Json* json_field(const Json& object, std::string_view field, JsonType type,
                       const std::string& where, bool required = false) {
    json_require_object(object, where);
    const Json* v = json_member(object, field);
    if (v == nullptr) {
        if (required)
            field_error(ErrorCode::invalid_argument, where, field, "missing");
        return nullptr;
    }
    return &json_require(*v, type, where, field);
}

/// A string member; "" when absent. A `required` one must be present and not empty.
template <class Json>
std::string json_string(const Json& object, std::string_view field, const std::string& where,
                        bool required = false) {
    const Json* v = json_field(object, field, JsonType::string, where, required);
    if (v == nullptr)
        return {};
    std::string s = v->template get<std::string>();
    if (required && s.empty())
        field_error(ErrorCode::invalid_argument, where, field, "empty");
    return s;
}

/// A true/false member; `fallback` when absent.
template <class Json>
bool json_bool(const Json& object, std::string_view field, const std::string& where,
               bool fallback = false) {
    const Json* v = json_field(object, field, JsonType::boolean, where);
    return v == nullptr ? fallback : v->template get<bool>();
}

/// An integer member (1.5 and "1" are refused); `fallback` when absent.
template <class Json>
std::int64_t json_int(const Json& object, std::string_view field, const std::string& where,
                      std::int64_t fallback) {
    const Json* v = json_field(object, field, JsonType::integer, where);
    return v == nullptr ? fallback : v->template get<std::int64_t>();
}

/// A number member; nullopt when absent.
template <class Json>
std::optional<double> json_optional_number(const Json& object, std::string_view field,
                                           const std::string& where) {
    const Json* v = json_field(object, field, JsonType::number, where);
    return v == nullptr ? std::nullopt : std::optional<double>(v->template get<double>());
}

/// A number member; `fallback` when absent.
template <class Json>
double json_number(const Json& object, std::string_view field, const std::string& where,
                   double fallback) {
    return json_optional_number(object, field, where).value_or(fallback);
}

/// An array member; nullptr when absent ("missing" when `required`).
template <class Json>
const Json* json_array(const Json& object, std::string_view field, const std::string& where,
                       bool required = false) {
    return json_field(object, field, JsonType::array, where, required);
}

/// An array of strings; empty when absent. A bad element is named by its index.
template <class Json>
std::vector<std::string> json_strings(const Json& object, std::string_view field,
                                      const std::string& where) {
    std::vector<std::string> out;
    const Json* v = json_array(object, field, where);
    if (v == nullptr)
        return out;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const Json& e = (*v)[i];
        if (!e.is_string()) {
            field_error(
                ErrorCode::invalid_argument, where, field,
                "element " + std::to_string(i) + ": " + json_type_problem(e, JsonType::string));
        }
        out.push_back(e.template get<std::string>());
    }
    return out;
}

/// A string member read through `parse` (an enum's parse function, Date::parse, ...);
/// `fallback` when absent or "". The Error `parse` throws is rethrown naming the field.
template <class Json, class Parse, class T>
T json_parsed(const Json& object, std::string_view field, const std::string& where, Parse&& parse,
              T fallback) {
    const std::string text = json_string(object, field, where);
    if (text.empty())
        return fallback;
    return parse_field(where, field, [&]() -> T { return parse(text); });
}

/// Throws field_error naming the first member of the object `object` that is not one of
/// `members`: "unknown member (expected one of id, duty, ...)". Throws when `object` is not
/// an object.
template <class Json>
void json_only_members(const Json& object, const std::string& where,
                       std::initializer_list<const char*> members) {
    json_require_object(object, where);
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool known = false;
        for (const char* m : members)
            known = known || it.key() == m;
        if (!known) {
            std::string expected;
            for (const char* m : members)
                expected += (expected.empty() ? "" : ", ") + std::string(m);
            field_error(ErrorCode::invalid_argument, where, it.key(),
                        "unknown member (expected one of " + expected + ")");
        }
    }
}

/// A string member holding one line of text (TextKind::line: no control characters); ""
/// when absent; a `required` one must be present and not empty.
template <class Json>
std::string json_line(const Json& object, std::string_view field, const std::string& where,
                      bool required = false) {
    std::string s = json_string(object, field, where, required);
    check_field_text(s, TextKind::line, where, field);
    return s;
}

/// A string member of free text (TextKind::free: line breaks allowed); "" when absent.
template <class Json>
std::string json_free_text(const Json& object, std::string_view field, const std::string& where) {
    std::string s = json_string(object, field, where);
    check_field_text(s, TextKind::free, where, field);
    return s;
}

/// An array of one-line strings (evidence, people); empty when absent. A bad element is
/// named by its index ("evidence[1]").
template <class Json>
std::vector<std::string> json_lines(const Json& object, std::string_view field,
                                    const std::string& where) {
    std::vector<std::string> out = json_strings(object, field, where);
    for (std::size_t i = 0; i < out.size(); ++i)
        check_field_text(out[i], TextKind::line, where,
                         std::string(field) + "[" + std::to_string(i) + "]");
    return out;
}

/// A required string member holding an ISO 8601 instant (China Standard Time without an
/// offset).
template <class Json>
Instant json_instant(const Json& object, std::string_view field, const std::string& where) {
    const std::string text = json_line(object, field, where, true);
    return parse_field(where, field, [&] { return Instant::parse(text); });
}

/// The document `text` (named `source` in messages), which must be a JSON array of `what`:
/// Error(parse_error) for malformed JSON, Error(invalid_argument) "<source>: <value> is not
/// an array (expected an array of <what>)" for another value.
template <class Json>
Json json_array_document(std::string_view text, std::string_view source, const char* what) {
    Json doc = parse_json_document<Json>(text, source);
    if (!doc.is_array()) {
        throw Error(ErrorCode::invalid_argument, std::string(source) + ": " +
                                                     json_type_problem(doc, JsonType::array) +
                                                     " (expected an array of " + what + ")");
    }
    return doc;
}

}  // namespace gridgov::detail

#endif
