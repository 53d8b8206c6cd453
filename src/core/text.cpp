#include "core/text.hpp"

#include <utf8proc.h>

#include <cstdio>

#include "gridgov/core.hpp"

namespace gridgov::detail {
namespace {

// Decodes the sequence at text[i]: its code point and length, or a negative length when
// it is malformed.
utf8proc_ssize_t decode(std::string_view text, std::size_t i, utf8proc_int32_t& code_point) {
    const auto* start = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
    return utf8proc_iterate(start, static_cast<utf8proc_ssize_t>(text.size() - i), &code_point);
}

std::string hex(unsigned value, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*X", digits, value);
    return buf;
}

bool refused_control(utf8proc_int32_t c, TextKind kind) {
    const bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    if (!control)
        return false;
    return kind == TextKind::line || !(c == '\t' || c == '\n' || c == '\r');
}

}  // namespace

std::optional<std::size_t> utf8_error_offset(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        // ASCII runs need no decoding.
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            ++i;
            continue;
        }
        utf8proc_int32_t c = 0;
        const utf8proc_ssize_t n = decode(text, i, c);
        if (n <= 0)
            return i;
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

bool is_utf8(std::string_view text) {
    return !utf8_error_offset(text).has_value();
}

std::optional<std::string> text_problem(std::string_view text, TextKind kind) {
    for (std::size_t i = 0; i < text.size();) {
        utf8proc_int32_t c = static_cast<unsigned char>(text[i]);
        std::size_t n = 1;
        if (c >= 0x80) {
            const utf8proc_ssize_t len = decode(text, i, c);
            if (len <= 0) {
                return "not UTF-8 text: byte 0x" + hex(static_cast<unsigned char>(text[i]), 2) +
                       " at byte " + std::to_string(i) +
                       " does not start a UTF-8 character (GBK and other encodings are not read)";
            }
            n = static_cast<std::size_t>(len);
        }
        if (refused_control(c, kind)) {
            return "control character U+" + hex(static_cast<unsigned>(c), 4) + " at byte " +
                   std::to_string(i) +
                   (kind == TextKind::line ? " (a one-line field takes no control characters, "
                                             "tab and line breaks included)"
                                           : " (only tab and line breaks are allowed)");
        }
        i += n;
    }
    return std::nullopt;
}

void check_text(std::string_view text, TextKind kind, std::string_view what) {
    if (const auto problem = text_problem(text, kind))
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": " + *problem);
}

void check_field_text(std::string_view text, TextKind kind, std::string_view where,
                      std::string_view field) {
    if (const auto problem = text_problem(text, kind)) {
        throw Error(ErrorCode::invalid_argument,
                    std::string(where) + " field '" + std::string(field) + "': " + *problem);
    }
}

}  // namespace gridgov::detail
