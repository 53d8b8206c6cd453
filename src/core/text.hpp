// The one check of text that enters gridgov: well-formed UTF-8 and no control characters
// where they make no sense. Files, API strings (C++, C and Python) and command-line
// arguments all pass through it before anything is stored.
#ifndef GRIDGOV_SRC_CORE_TEXT_HPP
#define GRIDGOV_SRC_CORE_TEXT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gridgov::detail {

/// What a text field may hold besides printable characters.
enum class TextKind {
    /// Codes, ids, names, titles, phone numbers: one line, so no control character at all
    /// (C0 controls tab and newline included, DEL, C1 controls U+0080-U+009F).
    line,
    /// Notes, reasons, payload text, descriptions: tab, newline and carriage return are
    /// kept; NUL and every other control character are refused.
    free,
};

/// Byte offset of the first byte that does not start a well-formed UTF-8 sequence
/// (overlong forms, surrogates and code points above U+10FFFF are malformed); nullopt
/// when the whole text is UTF-8.
std::optional<std::size_t> utf8_error_offset(std::string_view text);

/// True when `text` is well-formed UTF-8.
bool is_utf8(std::string_view text);

/// Why `text` is not acceptable as a field of `kind` ("not UTF-8: byte 0xFF at byte 3",
/// "control character U+0000 at byte 2"); nullopt when it is.
std::optional<std::string> text_problem(std::string_view text, TextKind kind);

/// Throws Error(invalid_argument) "<what>: <problem>" unless `text` is acceptable as a
/// field of `kind`. `what` names the field ("person 'P1' field 'name'", "argument --note").
void check_text(std::string_view text, TextKind kind, std::string_view what);

/// The same check on one field of a record, worded like the directory's field errors:
/// "<where> field '<field>': <problem>".
void check_field_text(std::string_view text, TextKind kind, std::string_view where,
                      std::string_view field);

}  // namespace gridgov::detail

#endif
