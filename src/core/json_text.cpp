#include "core/json_text.hpp"

#include "core/text.hpp"

#include <cstdio>

namespace gridgov::detail {

namespace {

// The length of the character whose lead byte is `b`, in text known to be well-formed.
std::size_t lead_length(unsigned char b) {
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

// Calls `character(i, n)` for each well-formed character of `text` from `from` (n bytes
// at i) and `stray(i)` for each byte that is not part of one, until either returns false.
template <class Character, class Stray>
void walk(std::string_view text, std::size_t from, Character&& character, Stray&& stray) {
    std::size_t i = from;
    while (i < text.size()) {
        const std::optional<std::size_t> bad = utf8_error_offset(text.substr(i));
        const std::size_t valid_end = bad ? i + *bad : text.size();
        while (i < valid_end) {
            const std::size_t n = lead_length(static_cast<unsigned char>(text[i]));
            if (!character(i, n))
                return;
            i += n;
        }
        if (bad) {
            if (!stray(i))
                return;
            ++i;
        }
    }
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
    walk(
        text, from,
        [&](std::size_t i, std::size_t n) {
            if (chars++ == max_chars)
                return false;
            const auto c = static_cast<unsigned char>(text[i]);
            if (c == '\n' || c == '\t') {
                out += c == '\n' ? "\\n" : "\\t";
            } else if (n == 1 && (c < 0x20 || c == 0x7F)) {
                append_escaped(out, "\\u%04X", c);
            } else {
                out.append(text.substr(i, n));
            }
            return true;
        },
        [&](std::size_t i) {
            if (chars++ == max_chars)
                return false;
            append_escaped(out, "\\x%02X", static_cast<unsigned char>(text[i]));
            return true;
        });
    return out;
}

std::string printable_message(std::string_view message) {
    if (!utf8_error_offset(message))
        return std::string(message);
    std::string out;
    out.reserve(message.size() + 8);
    walk(
        message, 0,
        [&](std::size_t i, std::size_t n) {
            out.append(message.substr(i, n));
            return true;
        },
        [&](std::size_t i) {
            append_escaped(out, "\\x%02X", static_cast<unsigned char>(message[i]));
            return true;
        });
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
    for (std::size_t i = line_start; i < byte; ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++column;
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
