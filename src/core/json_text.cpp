#include "core/json_text.hpp"

#include <cstdio>

namespace gridgov::detail {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes
// there are not one (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
std::size_t sequence_length(std::string_view text, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = at(i);
    if (b < 0x80)
        return 1;
    std::size_t n = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        low = b == 0xE0 ? 0xA0 : 0x80;
        high = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        low = b == 0xF0 ? 0x90 : 0x80;
        high = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + n > text.size())
        return 0;
    if (at(i + 1) < low || at(i + 1) > high)
        return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if (at(i + k) < 0x80 || at(i + k) > 0xBF)
            return 0;
    }
    return n;
}

void append_escaped(std::string& out, const char* format, unsigned value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

}  // namespace

std::string json_pointer_token(std::string_view name) {
    std::string out;
    for (char c : name) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string text_snippet(std::string_view text, std::size_t from, std::size_t max_chars) {
    if (from > text.size())
        from = text.size();
    // Back to the start of the character `from` falls in (at most three continuation bytes).
    for (int k = 0; k < 3 && from > 0 && from < text.size() &&
                    (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80;
         ++k)
        --from;
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = from; i < text.size() && chars < max_chars; ++chars) {
        const std::size_t n = sequence_length(text, i);
        const auto b = static_cast<unsigned char>(text[i]);
        if (n == 0) {
            append_escaped(out, "\\x%02X", b);
            ++i;
        } else if (b == '\n' || b == '\t') {
            out += b == '\n' ? "\\n" : "\\t";
            ++i;
        } else if (n == 1 && (b < 0x20 || b == 0x7F)) {
            append_escaped(out, "\\u%04X", b);
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string printable_message(std::string_view message) {
    std::string out;
    out.reserve(message.size());
    for (std::size_t i = 0; i < message.size();) {
        const std::size_t n = sequence_length(message, i);
        if (n == 0) {
            append_escaped(out, "\\x%02X", static_cast<unsigned char>(message[i]));
            ++i;
        } else {
            out.append(message.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string json_error_description(std::string_view what, std::string_view token) {
    std::string s(what);
    if (s.rfind("[json.exception.", 0) == 0) {
        const auto end = s.find("] ");
        if (end != std::string::npos)
            s.erase(0, end + 2);
    }
    if (s.rfind("parse error", 0) == 0) {
        const auto colon = s.find(": ");
        if (colon != std::string::npos)
            s.erase(0, colon + 2);
    }
    const std::string last_read = "; last read: '" + std::string(token) + "'";
    if (const auto at = s.find(last_read); at != std::string::npos)
        s.erase(at, last_read.size());
    // A number's text is the token itself: quote it without splitting a character.
    return printable_message(s);
}

std::string json_error_message(std::string_view text, std::string_view source, std::size_t byte,
                               const std::string& pointer, std::string_view what) {
    if (byte > text.size())
        byte = text.size();
    // An error inside a multi-byte character is placed at the character's start.
    for (int k = 0; k < 3 && byte > 0 && byte < text.size() &&
                    (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80;
         ++k)
        --byte;
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < byte; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    // Columns count characters (a Chinese character is one), not bytes.
    std::size_t column = 1;
    for (std::size_t i = line_start; i < byte; ++column) {
        const std::size_t n = sequence_length(text, i);
        i += n == 0 ? 1 : n;
    }
    std::string out = printable_message(source) + ": not valid JSON at line " +
                      std::to_string(line) + ", column " + std::to_string(column);
    if (!pointer.empty())
        out += ", member " + printable_message(pointer);
    out += ": " + std::string(what);
    if (byte < text.size())
        out += " (near '" + text_snippet(text, byte, 16) + "')";
    return out;
}

}  // namespace gridgov::detail
