#include "io/enum_names.hpp"

#include "gridgov/core.hpp"

namespace gridgov::detail {

std::string enum_names_text(const char* const* names, std::size_t count) {
    std::size_t listed = 0;
    for (std::size_t i = 0; i < count; ++i)
        listed += *names[i] != '\0' ? 1 : 0;
    std::string out;
    std::size_t written = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (*names[i] == '\0')
            continue;
        if (written > 0)
            out += written + 1 == listed ? " or " : ", ";
        out += names[i];
        ++written;
    }
    return out;
}

void unknown_enum_name(std::string_view what, std::string_view text, const std::string& accepted) {
    throw Error(ErrorCode::invalid_argument, "unknown " + std::string(what) + " '" +
                                                 std::string(text) + "' (expected " + accepted +
                                                 ")");
}

}  // namespace gridgov::detail
