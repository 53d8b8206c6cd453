// The stored form of an event's payload (docs/cases.md, "Stored events"): a JSON document
// encoded in a few bytes a value, its keys and the values of enumerated fields by the id
// of a stored name. The hash covers the payload's text, so a payload is stored compact
// only when its encoding gives that text back byte for byte; anything else (a float, an
// escape written another way, spacing) is stored as the text itself.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "cases/engine_impl.hpp"
#include "core/varint.hpp"

namespace gridgov::detail {

namespace {

constexpr char form_text = 0;
constexpr char form_compact = 1;

enum Tag : unsigned char {
    tag_null = 0,
    tag_false = 1,
    tag_true = 2,
    tag_integer = 3,  // zigzag varint
    tag_text = 4,     // varint length, bytes
    tag_name = 5,     // varint name id
    tag_object = 6,   // (key name id, value)..., 0
    tag_array = 7,    // value..., tag_end
    tag_end = 8,
};

/// Deeper documents are stored as text: a stored form is read back recursively.
constexpr int max_depth = 32;

/// The fields whose string values are names from finite sets: workflows, categories,
/// nodes, area classes, sources, departments, routes, stages, units, ratings, roles.
/// The list is part of the stored format only through the names it puts in the names table.
bool interned_field(std::string_view key) {
    static constexpr std::array<std::string_view, 18> fields = {
        "area_class", "category", "day_rule", "department", "from",  "kind",
        "node",       "notify",   "rating",   "role",       "route", "route_node",
        "source",     "stage",    "state",    "to",         "unit",  "workflow"};
    static_assert(std::is_sorted(fields.begin(), fields.end()));
    return std::binary_search(fields.begin(), fields.end(), key);
}

using Json = nlohmann::json;

}  // namespace

const std::vector<std::string_view>& payload_keys() {
    // In the order of their use in a year of the synthetic province's events.
    static const std::vector<std::string_view> keys = {
        "stage",    "clocks",     "limit",    "value",      "unit",     "number",
        "workflow", "version",    "category", "node",       "node_id",  "area_class",
        "source",   "department", "route",    "route_node", "evidence", "reason",
        "note",     "deadline",   "flag",     "escalated",  "tier",     "notify",
        "day_rule", "amount",     "rating",   "level",      "score",    "reporter"};
    return keys;
}

namespace {

class Encoder : public nlohmann::json_sax<Json> {
  public:
    Encoder(PayloadNames& names, std::string& out) : names_(names), out_(out) {}

    bool null() override { return tag(tag_null); }
    bool boolean(bool v) override { return tag(v ? tag_true : tag_false); }
    bool number_integer(number_integer_t v) override { return integer(v); }
    bool number_unsigned(number_unsigned_t v) override {
        if (v > static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max()))
            return false;
        return integer(static_cast<std::int64_t>(v));
    }
    bool number_float(number_float_t, const string_t&) override { return false; }
    bool string(string_t& v) override {
        if (interned_next()) {
            tag(tag_name);
            put_varint(out_, names_.id_of(v));
        } else {
            tag(tag_text);
            put_varint(out_, v.size());
            out_.append(v);
        }
        return true;
    }
    bool binary(binary_t&) override { return false; }
    bool start_object(std::size_t) override {
        const bool inherited = interned_next();
        tag(tag_object);
        stack_.push_back({true, inherited});
        return stack_.size() <= max_depth;
    }
    bool key(string_t& k) override {
        put_varint(out_, names_.id_of(k));
        stack_.back().intern = interned_field(k);
        return true;
    }
    bool end_object() override {
        out_.push_back(0);
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) override {
        const bool inherited = interned_next();
        tag(tag_array);
        stack_.push_back({false, inherited});
        return stack_.size() <= max_depth;
    }
    bool end_array() override {
        stack_.pop_back();
        return tag(tag_end);
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

  private:
    struct Level {
        bool object;
        bool intern;  // the next value's (an object's: set by its key; an array's: its own)
    };
    bool interned_next() const { return !stack_.empty() && stack_.back().intern; }
    bool tag(Tag t) {
        out_.push_back(static_cast<char>(t));
        return true;
    }
    bool integer(std::int64_t v) {
        tag(tag_integer);
        put_varint(out_, zigzag(v));
        return true;
    }

    PayloadNames& names_;
    std::string& out_;
    std::vector<Level> stack_;
};

class Decoder {
  public:
    Decoder(std::string_view in, PayloadNames& names, std::string& out)
        : p_(reinterpret_cast<const unsigned char*>(in.data())),
          end_(p_ + in.size()),
          names_(names),
          out_(out) {}

    void document() {
        value(next(), 0);
        if (p_ != end_)
            throw std::invalid_argument("bytes follow the document");
    }

  private:
    unsigned char next() {
        if (p_ == end_)
            throw std::invalid_argument("cut short");
        return *p_++;
    }
    std::uint64_t varint() { return read_varint(p_, end_); }
    std::uint32_t name_id() {
        const std::uint64_t id = varint();
        if (id == 0 || id > std::numeric_limits<std::uint32_t>::max())
            throw std::invalid_argument("name id " + std::to_string(id) + " is out of range");
        return static_cast<std::uint32_t>(id);
    }
    void value(unsigned char tag, int depth) {
        switch (tag) {
            case tag_null:
                out_ += "null";
                return;
            case tag_false:
                out_ += "false";
                return;
            case tag_true:
                out_ += "true";
                return;
            case tag_integer: {
                const std::uint64_t u = varint();
                append_int(out_, unzigzag(u));
                return;
            }
            case tag_text: {
                const std::uint64_t n = varint();
                if (n > static_cast<std::uint64_t>(end_ - p_))
                    throw std::invalid_argument("a text runs past the end");
                append_json_string(out_, std::string_view(reinterpret_cast<const char*>(p_), n));
                p_ += n;
                return;
            }
            case tag_name:
                out_ += names_.json_of(name_id());
                return;
            case tag_object: {
                if (depth >= max_depth)
                    throw std::invalid_argument("nested deeper than " + std::to_string(max_depth));
                out_ += '{';
                for (bool first = true;; first = false) {
                    const std::uint64_t key = varint();
                    if (key == 0)
                        break;
                    if (key > std::numeric_limits<std::uint32_t>::max())
                        throw std::invalid_argument("name id " + std::to_string(key) +
                                                    " is out of range");
                    if (!first)
                        out_ += ',';
                    out_ += names_.json_of(static_cast<std::uint32_t>(key));
                    out_ += ':';
                    value(next(), depth + 1);
                }
                out_ += '}';
                return;
            }
            case tag_array: {
                if (depth >= max_depth)
                    throw std::invalid_argument("nested deeper than " + std::to_string(max_depth));
                out_ += '[';
                for (bool first = true;; first = false) {
                    const unsigned char t = next();
                    if (t == tag_end)
                        break;
                    if (!first)
                        out_ += ',';
                    value(t, depth + 1);
                }
                out_ += ']';
                return;
            }
            default:
                throw std::invalid_argument("unknown value tag " + std::to_string(tag));
        }
    }

    const unsigned char* p_;
    const unsigned char* end_;
    PayloadNames& names_;
    std::string& out_;
};

}  // namespace

void encode_payload(std::string_view json, PayloadNames& names, std::string& out) {
    const std::size_t start = out.size();
    out.push_back(form_compact);
    Encoder encoder(names, out);
    bool compact = false;
    try {
        compact = Json::sax_parse(json.begin(), json.end(), &encoder);
    } catch (const Json::exception&) {
        compact = false;
    }
    if (compact) {
        // Only what reads back as the very text is kept compact.
        thread_local std::string back;
        back.clear();
        try {
            decode_payload(std::string_view(out).substr(start), names, back);
            compact = back == json;
        } catch (const std::invalid_argument&) {
            compact = false;
        }
    }
    if (!compact) {
        out.resize(start);
        out.push_back(form_text);
        out.append(json);
    }
}

void decode_payload(std::string_view stored, PayloadNames& names, std::string& out) {
    if (stored.empty())
        throw std::invalid_argument("empty");
    if (stored[0] == form_text) {
        out.append(stored.substr(1));
        return;
    }
    if (stored[0] != form_compact)
        throw std::invalid_argument("unknown form " +
                                    std::to_string(static_cast<unsigned char>(stored[0])));
    Decoder(stored.substr(1), names, out).document();
}

}  // namespace gridgov::detail
