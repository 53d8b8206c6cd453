#include "io/json_fields.hpp"

#include "core/json_text.hpp"

namespace gridgov::detail {

const char* json_type_text(JsonType type) noexcept {
    switch (type) {
        case JsonType::string:
            return "a string";
        case JsonType::integer:
            return "an integer";
        case JsonType::number:
            return "a number";
        case JsonType::boolean:
            return "true or false";
        case JsonType::array:
            return "an array";
        case JsonType::object:
            return "a JSON object";
    }
    return "?";
}

void field_error(ErrorCode code, const std::string& where, std::string_view field,
                 const std::string& problem) {
    throw Error(code, where + " field '" + std::string(field) + "': " + problem);
}

std::string json_shown_text(std::string_view text) {
    constexpr std::size_t shown_chars = 40;
    const std::string head = text_snippet(text, 0, shown_chars);
    const bool cut = text_snippet(text, 0, shown_chars + 1).size() > head.size();
    return "'" + head + (cut ? "...'" : "'");
}

}  // namespace gridgov::detail
