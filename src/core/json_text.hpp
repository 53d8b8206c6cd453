// Reading JSON documents: the one parser every JSON input of gridgov goes through
// (hierarchy, directory, catalogues, workflows, schemes, calendars, GeoJSON, Open311, ...).
//
// nlohmann/json parses; a SAX handler builds the document and keeps the path of the member
// being read, so that a syntax error, or a number outside the range of a double (`1e400`),
// is reported as Error(parse_error) naming the source, the line and column, and the member
// (`/nodes/3/households`). The message never splits a UTF-8 sequence: nlohmann's "last
// read" token, which may end inside one, is replaced by a snippet cut on character
// boundaries. Not installed; private to the library and the command-line tool.
#ifndef GRIDGOV_SRC_CORE_JSON_TEXT_HPP
#define GRIDGOV_SRC_CORE_JSON_TEXT_HPP

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/core.hpp"

namespace gridgov::detail {

/// A JSON pointer token for `name` (RFC 6901: "~" as "~0", "/" as "~1").
std::string json_pointer_token(std::string_view name);

/// Up to `max_chars` characters of `text` from byte `from`, started and cut on character
/// boundaries; a byte that is not part of well-formed UTF-8 shows as "\xNN", a control
/// character as "\uNNNN". The result is always valid UTF-8.
std::string text_snippet(std::string_view text, std::size_t from, std::size_t max_chars);

/// Makes `message` valid UTF-8: each byte that is not part of a well-formed sequence is
/// written as "\xNN". Messages that quote input go through it before they are thrown.
std::string printable_message(std::string_view message);

/// "<source>: not valid JSON at line L, column C[, member /a/0/b]: <what> [near '...']":
/// the message of a document that could not be parsed. `byte` is the offset of the error,
/// `pointer` the member being read ("" at the top), `what` nlohmann's description with its
/// exception tag and position taken off.
std::string json_error_message(std::string_view text, std::string_view source, std::size_t byte,
                               const std::string& pointer, std::string_view what);

/// Strips nlohmann's "[json.exception.…] " tag, its "parse error at line …, column …: "
/// prefix and its "; last read: '<token>'" part (given the token) from an exception text.
std::string json_error_description(std::string_view what, std::string_view token);

template <class Json>
class JsonDocumentBuilder {
  public:
    using number_integer_t = typename Json::number_integer_t;
    using number_unsigned_t = typename Json::number_unsigned_t;
    using number_float_t = typename Json::number_float_t;
    using string_t = typename Json::string_t;
    using binary_t = typename Json::binary_t;

    JsonDocumentBuilder(Json& root, std::string_view text, std::string_view source)
        : root_(root), text_(text), source_(source) {}

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(number_integer_t v) { return value(v); }
    bool number_unsigned(number_unsigned_t v) { return value(v); }
    bool number_float(number_float_t v, const string_t&) { return value(v); }
    bool string(string_t& v) { return value(std::move(v)); }
    bool binary(binary_t& v) { return value(std::move(v)); }

    bool start_object(std::size_t) {
        open(Json::object());
        return true;
    }
    bool key(string_t& name) {
        Frame& f = frames_.back();
        f.member = &(*f.container)[name];
        f.token = json_pointer_token(name);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) {
        open(Json::array());
        return true;
    }
    bool end_array() { return close(); }

    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& ex) {
        // The position counts the bytes read, the offending one included. A number too
        // large for a double is reported after its last digit: point at its first (the
        // token is the number's text then).
        std::size_t byte = position > 0 ? position - 1 : 0;
        if (ex.id == 406 && !token.empty() && token.size() <= position)
            byte = position - token.size();
        throw Error(ErrorCode::parse_error,
                    json_error_message(text_, source_, byte, pointer(),
                                       json_error_description(ex.what(), token)));
    }

  private:
    struct Frame {
        Json* container = nullptr;
        Json* member = nullptr;  // the member a key named (objects)
        std::string token;       // the key or the index being read
    };

    std::string pointer() const {
        // An array's element being read is the next one for the innermost container and
        // the last one added for the others (it is the open container further in).
        std::string out;
        for (std::size_t i = 0; i < frames_.size(); ++i) {
            const Frame& f = frames_[i];
            out += '/';
            if (!f.container->is_array()) {
                out += f.token;
            } else {
                const std::size_t n = f.container->size();
                out += std::to_string(i + 1 == frames_.size() || n == 0 ? n : n - 1);
            }
        }
        return out;
    }

    Json* place(Json&& v) {
        if (frames_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        Frame& f = frames_.back();
        if (f.container->is_array()) {
            f.container->push_back(std::move(v));
            return &f.container->back();
        }
        *f.member = std::move(v);
        return f.member;
    }

    template <class V>
    bool value(V&& v) {
        place(Json(std::forward<V>(v)));
        return true;
    }

    void open(Json&& empty) {
        Json* container = place(std::move(empty));
        frames_.push_back(Frame{container, nullptr, {}});
    }

    bool close() {
        frames_.pop_back();
        return true;
    }

    Json& root_;
    std::string_view text_;
    std::string_view source_;
    std::vector<Frame> frames_;
};

/// Parses a whole JSON document (nlohmann::json or nlohmann::ordered_json). Throws
/// Error(parse_error) as json_error_message() words it; `source` names the file or input.
template <class Json>
Json parse_json_document(std::string_view text, std::string_view source) {
    Json root;
    JsonDocumentBuilder<Json> builder(root, text, source);
    Json::sax_parse(text.begin(), text.end(), &builder);
    return root;
}

}  // namespace gridgov::detail

#endif
