// Checking records against their kinds, their findings, masking, and the compact columns
// kept in memory (records/model.hpp).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/json_text.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "io/csv.hpp"
#include "io/json_fields.hpp"
#include "records/model.hpp"

namespace gridgov::detail {
namespace {

using Json = nlohmann::ordered_json;

// The birth date in an 18-character ID number (its check character already right).
std::optional<Date> id_birth_date(std::string_view id) {
    if (!is_valid_id_number(id))
        return std::nullopt;
    const int year = std::stoi(std::string(id.substr(6, 4)));
    const auto month = static_cast<unsigned>(std::stoi(std::string(id.substr(10, 2))));
    const auto day = static_cast<unsigned>(std::stoi(std::string(id.substr(12, 2))));
    return Date::from_ymd(year, month, day);
}

// 0 = male, 1 = female: the 17th digit is odd for men (GB 11643).
std::optional<int> id_sex(std::string_view id) {
    if (!is_valid_id_number(id))
        return std::nullopt;
    return (id[16] - '0') % 2 == 1 ? 0 : 1;
}

std::optional<std::string> derived_value(const RecordKind& kind, const FieldSpec& field,
                                         const Record& record) {
    const std::string* id = record.field(field.derive_from);
    if (id == nullptr)
        return std::nullopt;
    if (field.derivation == Derivation::birth_date) {
        if (const std::optional<Date> d = id_birth_date(*id))
            return d->to_string();
    } else if (field.derivation == Derivation::sex) {
        if (const std::optional<int> s = id_sex(*id))
            return field.values[static_cast<std::size_t>(*s)];
    }
    (void)kind;
    return std::nullopt;
}

[[noreturn]] void bad_value(const std::string& where, const FieldSpec& field,
                            const std::string& problem) {
    field_error(ErrorCode::invalid_argument, where, field.name, problem);
}

std::string shown(const FieldSpec& field, std::string_view value) {
    return record_quote(field.sensitive ? mask_field_value(field, value) : std::string(value));
}

std::string canonical_value(const FieldSpec& field, const std::string& value,
                            const std::string& where) {
    check_field_text(value, TextKind::line, where, field.name);
    switch (field.type) {
        case FieldType::text:
        case FieldType::code:
            return value;
        case FieldType::integer: {
            std::int64_t v = 0;
            const char* end = value.data() + value.size();
            const auto r = std::from_chars(value.data(), end, v);
            if (r.ec != std::errc() || r.ptr != end)
                bad_value(where, field, shown(field, value) + " is not an integer");
            return std::to_string(v);
        }
        case FieldType::number: {
            const std::optional<double> v = parse_number(value);
            if (!v)
                bad_value(where, field, shown(field, value) + " is not a number");
            return format_number(*v);
        }
        case FieldType::date:
            try {
                return Date::parse(value).to_string();
            } catch (const Error& e) {
                bad_value(where, field, e.what());
            }
        case FieldType::enumeration: {
            const std::vector<std::string_view> parts = split_values(value);
            if (parts.size() > 1 && !field.multiple)
                bad_value(where, field, shown(field, value) + " holds several values");
            std::uint64_t bits = 0;
            for (std::string_view p : parts) {
                std::size_t i = 0;
                while (i < field.values.size() && field.values[i] != p)
                    ++i;
                if (i == field.values.size()) {
                    std::string accepted;
                    for (const std::string& v : field.values)
                        accepted += (accepted.empty() ? "" : ", ") + v;
                    bad_value(where, field,
                              shown(field, p) + " is not one of its values (" + accepted + ")");
                }
                bits |= std::uint64_t{1} << i;
            }
            // Written in the order of the values, each once.
            std::string out;
            for (std::size_t i = 0; i < field.values.size(); ++i) {
                if (bits & (std::uint64_t{1} << i))
                    out += (out.empty() ? "" : "|") + field.values[i];
            }
            return out;
        }
        case FieldType::reference: {
            const std::vector<std::string_view> parts = split_values(value);
            if (parts.size() > 1 && !field.multiple)
                bad_value(where, field, shown(field, value) + " holds several keys");
            std::string out;
            for (std::string_view p : parts) {
                out += out.empty() ? "" : "|";
                out += p;
            }
            return out;
        }
    }
    return value;
}

}  // namespace

Record checked_record(const RecordSchema& schema, const RecordPlaces& places, const Record& in,
                      Date effective, const std::string& where) {
    if (in.key.empty())
        field_error(ErrorCode::invalid_argument, where, "key", "empty");
    check_field_text(in.key, TextKind::line, where, "key");
    if (in.key.find('|') != std::string::npos)
        field_error(ErrorCode::invalid_argument, where, "key",
                    record_quote(in.key) + " holds '|', which separates keys");
    const RecordKind* kind = schema.find(in.kind);
    if (kind == nullptr)
        field_error(ErrorCode::not_found, where, "kind", "unknown kind " + record_quote(in.kind));
    const Hierarchy& h = places.hierarchy;
    if (in.node == no_node || in.node >= h.id_count())
        field_error(ErrorCode::not_found, where, "node", "no such node");
    // Undated (Date::min(): as far back as is known), a record needs a live node; dated, a
    // node live on that day.
    const bool undated = effective == Date::min();
    if (undated ? !h.is_live(in.node)
                : (h.created_on(in.node) > effective || h.retired_on(in.node) <= effective))
        field_error(ErrorCode::invalid_argument, where, "node",
                    "node " + record_quote(h.code(in.node)) + " is not live" +
                        (undated ? std::string() : " on " + effective.to_string()));
    Record out;
    out.key = in.key;
    out.kind = in.kind;
    out.node = in.node;
    for (const OverlayPlace& p : in.overlays) {
        const Overlay* overlay = nullptr;
        for (const Overlay& o : places.overlays) {
            if (o.key() == p.overlay)
                overlay = &o;
        }
        if (overlay == nullptr)
            field_error(ErrorCode::not_found, where, "overlays",
                        "unknown overlay " + record_quote(p.overlay));
        if (!overlay->units().find(p.unit))
            field_error(
                ErrorCode::not_found, where, "overlays",
                "overlay " + record_quote(p.overlay) + " has no unit " + record_quote(p.unit));
        for (const OverlayPlace& q : out.overlays) {
            if (q == p)
                field_error(ErrorCode::already_exists, where, "overlays",
                            record_quote(p.overlay + ":" + p.unit) + " given twice");
        }
        out.overlays.push_back(p);
    }
    for (std::size_t i = 0; i < in.fields.size(); ++i) {
        const std::string& name = in.fields[i].first;
        if (kind->field(name) == nullptr)
            field_error(ErrorCode::not_found, where, name,
                        "kind " + record_quote(kind->key) + " has no such field");
        for (std::size_t j = 0; j < i; ++j) {
            if (in.fields[j].first == name)
                field_error(ErrorCode::already_exists, where, name, "given twice");
        }
    }
    for (const FieldSpec& field : kind->fields) {
        const std::string* value = in.field(field.name);
        if (value == nullptr || value->empty())
            continue;
        out.fields.emplace_back(field.name, canonical_value(field, *value, where));
    }
    // Derived fields, in the kind's order, when not given.
    std::vector<std::pair<std::string, std::string>> ordered;
    for (const FieldSpec& field : kind->fields) {
        if (const std::string* v = out.field(field.name)) {
            ordered.emplace_back(field.name, *v);
        } else if (field.derivation != Derivation::none) {
            if (std::optional<std::string> d = derived_value(*kind, field, out))
                ordered.emplace_back(field.name, std::move(*d));
        }
    }
    out.fields = std::move(ordered);
    for (const FieldSpec& field : kind->fields) {
        if (field.required && out.field(field.name) == nullptr)
            field_error(ErrorCode::invalid_argument, where, field.name,
                        "missing (required by kind " + record_quote(kind->key) + ")");
    }
    return out;
}

void record_findings(const RecordKind& kind, const Hierarchy& hierarchy, const Record& record,
                     std::vector<Finding>& out) {
    const std::string subject = kind.key + " " + record_quote(record.key);
    for (const FieldSpec& field : kind.fields) {
        const std::string* value = record.field(field.name);
        if (value == nullptr)
            continue;
        // The field as messages name it (masked, or as written when not sensitive), put
        // together only for a finding.
        const auto at = [&] {
            return subject + " field " + record_quote(field.name) + ": " +
                   record_quote(mask_field_value(field, *value));
        };
        const auto plain = [&] {
            return subject + " field " + record_quote(field.name) + ": " +
                   record_quote(field.sensitive ? mask_field_value(field, *value) : *value);
        };
        switch (field.check) {
            case CodeCheck::id_number:
                if (!is_valid_id_number(*value))
                    out.push_back({"records.id_number", Severity::error, record.key,
                                   at() + " is not a valid 居民身份证号 (GB 11643 check character "
                                          "or birth date)"});
                break;
            case CodeCheck::credit_code:
                if (!is_valid_credit_code(*value))
                    out.push_back({"records.credit_code", Severity::error, record.key,
                                   plain() + " is not a valid 统一社会信用代码 (GB 32100 check "
                                             "character)"});
                break;
            case CodeCheck::component_code:
                if (!is_valid_component_code(*value))
                    out.push_back(
                        {"records.component_code", Severity::error, record.key,
                         plain() + " is not a 16-digit 部件标识码 (area, class, serial)"});
                break;
            case CodeCheck::phone:
                if (!is_valid_phone(*value))
                    out.push_back({"records.phone", Severity::warning, record.key,
                                   at() + " is not a mobile or fixed-line number"});
                break;
            case CodeCheck::house_code:
                if (record.node < hierarchy.id_count()) {
                    const std::string& grid = hierarchy.code(record.node);
                    if (value->compare(0, grid.size(), grid) != 0 || value->size() == grid.size())
                        out.push_back({"records.house_code", Severity::error, record.key,
                                       plain() + " does not begin with the code " +
                                           record_quote(grid) + " of its grid"});
                }
                break;
            case CodeCheck::none:
                break;
        }
        if (field.derivation != Derivation::none) {
            const std::optional<std::string> d = derived_value(kind, field, record);
            if (d && *d != *value)
                out.push_back({"records.derived", Severity::error, record.key,
                               subject + " field " + record_quote(field.name) + ": " +
                                   record_quote(field.sensitive ? "***" : *value) +
                                   " disagrees with field " + record_quote(field.derive_from) +
                                   " (" + record_quote(field.sensitive ? "***" : *d) + ")"});
        }
    }
}

Record masked_record(const RecordKind& kind, Record record) {
    for (auto& [name, value] : record.fields) {
        const FieldSpec* f = kind.field(name);
        if (f != nullptr && f->sensitive)
            value = mask_field_value(*f, value);
    }
    return record;
}

std::string fields_json(const Record& record) {
    Json j = Json::object();
    for (const auto& [name, value] : record.fields)
        j[name] = value;
    return j.dump();
}

void read_fields_json(std::string_view text, Record& record, const std::string& where) {
    // Stored text: parsed without the path-keeping reader of inputs.
    const Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw Error(ErrorCode::invalid_argument, where + ": the fields are not a JSON object");
    record.fields.clear();
    record.fields.reserve(j.size());
    for (const auto& member : j.items()) {
        if (!member.value().is_string())
            field_error(ErrorCode::invalid_argument, where, member.key(), "not a string");
        record.fields.emplace_back(member.key(), member.value().get<std::string>());
    }
}

std::string overlays_text(const std::vector<OverlayPlace>& places) {
    std::string out;
    for (const OverlayPlace& p : places) {
        out += out.empty() ? "" : "|";
        out += p.overlay + ":" + p.unit;
    }
    return out;
}

std::vector<OverlayPlace> parse_overlays_text(std::string_view text, const std::string& where) {
    std::vector<OverlayPlace> out;
    for (std::string_view part : split_values(text)) {
        const std::size_t colon = part.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size())
            field_error(ErrorCode::invalid_argument, where, "overlays",
                        record_quote(part) + " is not overlay:unit");
        out.push_back({std::string(part.substr(0, colon)), std::string(part.substr(colon + 1))});
    }
    return out;
}

// ---- the compact columns ----------------------------------------------------------------

namespace {

// The fingerprint of a look-up value, kept in memory and in the store's packed values
// (so the same on every platform): FNV-1a over the field's name, a zero byte and the
// value, mixed down to 32 bits by murmur's finaliser.
std::uint32_t lookup_tag(std::string_view field, std::string_view value) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    const auto add = [&h](unsigned char c) {
        h ^= c;
        h *= 0x100000001b3ULL;
    };
    for (char c : field)
        add(static_cast<unsigned char>(c));
    add(0);
    for (char c : value)
        add(static_cast<unsigned char>(c));
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::uint32_t>(h);
}

bool indexed(const FieldSpec& f) {
    return f.lookup && f.type != FieldType::reference;
}

}  // namespace

RecordColumns::RecordColumns(const RecordSchema& schema) : schema_(schema) {
    // The stamp of packed values: the first 8 bytes of the schema document's SHA-256.
    const std::string document = schema_.to_json();
    const Hash digest = Sha256().digest(document.data(), document.size());
    for (int i = 0; i < 8; ++i)
        stamp_ |= std::uint64_t{digest[static_cast<std::size_t>(i)]} << (8 * i);
    kinds_.resize(schema_.kinds.size());
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
        KindColumns& c = kinds_[k];
        int numbers = 0;
        for (const FieldSpec& f : schema_.kinds[k].fields) {
            if (f.type == FieldType::reference &&
                std::find(references_.begin(), references_.end(), f.name) == references_.end())
                references_.push_back(f.name);
            if (f.type == FieldType::enumeration) {
                c.column_of_field.push_back(static_cast<int>(c.enums.size()));
                const std::size_t values = f.values.size();
                c.enums.push_back({});
                c.enums.back().width = values <= 8 ? 1 : values <= 16 ? 2 : values <= 32 ? 4 : 8;
            } else if (f.type == FieldType::integer || f.type == FieldType::number) {
                c.column_of_field.push_back(numbers++);
            } else {
                c.column_of_field.push_back(-1);
            }
        }
        c.numbers.resize(static_cast<std::size_t>(numbers));
    }
}

std::size_t RecordColumns::live_total() const {
    std::size_t n = 0;
    for (const KindColumns& c : kinds_)
        n += c.live;
    return n;
}

int RecordColumns::kind_index(std::string_view key) const {
    for (std::size_t k = 0; k < schema_.kinds.size(); ++k) {
        if (schema_.kinds[k].key == key)
            return static_cast<int>(k);
    }
    return -1;
}

void RecordColumns::reserve(std::size_t records, std::size_t lookup_values) {
    // At most 7 slots in 10 taken.
    const std::size_t want = (lookup_used_ + lookup_values) * 10 / 7 + 1;
    if (lookup_values > 0 && want > lookup_.size()) {
        std::size_t slots = std::max<std::size_t>(lookup_.size(), 64);
        while (slots < want)
            slots *= 2;
        rehash(slots);
    }
    // Geometric growth: many small changes in a row reallocate O(log n) times.
    const auto grow = [records](auto& v) {
        const std::size_t want = v.size() + records;
        if (want > v.capacity())
            v.reserve(std::max(want, 2 * v.capacity()));
    };
    grow(kind_);
    grow(local_);
    for (KindColumns& c : kinds_) {
        grow(c.nodes);
        for (EnumColumn& col : c.enums) {
            const std::size_t want = col.bytes.size() + records * col.width;
            if (want > col.bytes.capacity())
                col.bytes.reserve(std::max(want, 2 * col.bytes.capacity()));
        }
        for (auto& col : c.numbers)
            grow(col);
    }
}

RecordColumns::Values RecordColumns::values_of(const Record& record) const {
    const int k = kind_index(record.kind);
    if (k < 0)
        throw Error(ErrorCode::invalid_state, "record " + record_quote(record.key) +
                                                  ": unknown kind " + record_quote(record.kind));
    const RecordKind& kind = schema_.kinds[static_cast<std::size_t>(k)];
    const KindColumns& c = kinds_[static_cast<std::size_t>(k)];
    Values v;
    v.kind = static_cast<std::uint16_t>(k);
    v.enums.assign(c.enums.size(), 0);
    v.numbers.assign(c.numbers.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t f = 0; f < kind.fields.size(); ++f) {
        const FieldSpec& field = kind.fields[f];
        const std::string* value = record.field(field.name);
        if (value == nullptr)
            continue;
        if (indexed(field)) {
            for (std::string_view part : split_values(*value))
                v.tags.push_back(lookup_tag(field.name, part));
        }
        const int col = c.column_of_field[f];
        if (col < 0)
            continue;
        if (field.type == FieldType::enumeration) {
            for (std::string_view part : split_values(*value)) {
                std::size_t i = 0;
                while (i < field.values.size() && field.values[i] != part)
                    ++i;
                if (i == field.values.size())
                    throw Error(ErrorCode::invalid_state,
                                "record " + record_quote(record.key) + " field " +
                                    record_quote(field.name) + ": " +
                                    record_quote(field.sensitive ? "***" : std::string(part)) +
                                    " is not one of the kind's values");
                v.enums[static_cast<std::size_t>(col)] |= std::uint64_t{1} << i;
            }
        } else {
            v.numbers[static_cast<std::size_t>(col)] =
                parse_number(*value).value_or(std::numeric_limits<double>::quiet_NaN());
        }
    }
    return v;
}

void RecordColumns::put(std::uint32_t id, const Record& record, bool live) {
    // Values first, so that an enumeration value outside its list changes nothing.
    store(id, values_of(record), record.node, live, record.key);
}

void RecordColumns::store(std::uint32_t id, const Values& v, NodeId node, bool live,
                          std::string_view key) {
    if (id > kind_.size())
        throw Error(ErrorCode::internal, "record ids are dense: " + std::to_string(id) + " after " +
                                             std::to_string(kind_.size()));
    KindColumns& c = kinds_[v.kind];
    if (id == kind_.size()) {
        kind_.push_back(v.kind);
        local_.push_back(c.count++);
        c.nodes.push_back(no_node);
        for (EnumColumn& e : c.enums)
            e.bytes.resize(e.bytes.size() + e.width, 0);
        for (std::size_t n = 0; n < c.numbers.size(); ++n)
            c.numbers[n].push_back(std::numeric_limits<double>::quiet_NaN());
    } else if (kind_[id] != v.kind) {
        throw Error(ErrorCode::invalid_state,
                    "record " + record_quote(key) + ": its kind cannot change");
    }
    const std::uint32_t local = local_[id];
    for (std::size_t e = 0; e < c.enums.size(); ++e)
        c.enums[e].set(local, v.enums[e]);
    for (std::size_t n = 0; n < c.numbers.size(); ++n)
        c.numbers[n][local] = v.numbers[n];
    const bool was_live = c.nodes[local] != no_node;
    c.nodes[local] = live ? node : no_node;
    if (live) {
        for (std::uint32_t tag : v.tags)
            index(tag, id);
    }
    if (was_live && !live)
        --c.live;
    if (!was_live && live)
        ++c.live;
}

namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>(v >> (8 * i) & 0xFF));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t{static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])}
             << (8 * i);
    return v;
}

}  // namespace

std::string RecordColumns::pack(const Record& record) const {
    const Values v = values_of(record);
    std::string out;
    out.reserve(8 + 8 * (v.enums.size() + v.numbers.size()) + 4 * v.tags.size());
    put_le(out, stamp_, 8);
    for (std::uint64_t bits : v.enums)
        put_le(out, bits, 8);
    for (double n : v.numbers) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &n, sizeof bits);
        put_le(out, bits, 8);
    }
    for (std::uint32_t tag : v.tags)
        put_le(out, tag, 4);
    return out;
}

void RecordColumns::hold(std::uint32_t id, std::string_view kind) {
    const int k = kind_index(kind);
    if (k < 0)
        throw Error(ErrorCode::invalid_state,
                    "record " + std::to_string(id) + ": unknown kind " + record_quote(kind));
    Values v;
    v.kind = static_cast<std::uint16_t>(k);
    v.enums.assign(kinds_[v.kind].enums.size(), 0);
    v.numbers.assign(kinds_[v.kind].numbers.size(), std::numeric_limits<double>::quiet_NaN());
    store(id, v, no_node, false, {});
}

bool RecordColumns::put_packed(std::uint32_t id, std::string_view kind, NodeId node, bool live,
                               std::string_view packed) {
    const int k = kind_index(kind);
    if (k < 0 || packed.size() < 8 || get_le(packed, 0, 8) != stamp_)
        return false;
    const RecordKind& spec = schema_.kinds[static_cast<std::size_t>(k)];
    const KindColumns& c = kinds_[static_cast<std::size_t>(k)];
    const std::size_t fixed = 8 + 8 * (c.enums.size() + c.numbers.size());
    if (packed.size() < fixed || (packed.size() - fixed) % 4 != 0)
        return false;
    Values v;
    v.kind = static_cast<std::uint16_t>(k);
    std::size_t at = 8;
    for (std::size_t f = 0; f < spec.fields.size(); ++f) {
        if (spec.fields[f].type != FieldType::enumeration)
            continue;
        const std::uint64_t bits = get_le(packed, at, 8);
        const std::size_t values = spec.fields[f].values.size();
        if (values < 64 && bits >> values != 0)
            return false;
        v.enums.push_back(bits);
        at += 8;
    }
    for (std::size_t n = 0; n < c.numbers.size(); ++n, at += 8) {
        const std::uint64_t bits = get_le(packed, at, 8);
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        v.numbers.push_back(d);
    }
    for (; at < packed.size(); at += 4)
        v.tags.push_back(static_cast<std::uint32_t>(get_le(packed, at, 4)));
    store(id, v, node, live, {});
    return true;
}

std::size_t RecordColumns::packed_lookup_values(std::string_view kind,
                                                std::string_view packed) const {
    const int k = kind_index(kind);
    if (k < 0)
        return 0;
    const KindColumns& c = kinds_[static_cast<std::size_t>(k)];
    const std::size_t fixed = 8 + 8 * (c.enums.size() + c.numbers.size());
    return packed.size() > fixed ? (packed.size() - fixed) / 4 : 0;
}

void RecordColumns::rehash(std::size_t slots) {
    std::vector<LookupSlot> next(slots);
    const std::size_t mask = slots - 1;
    for (const LookupSlot& s : lookup_) {
        if (s.id == no_record)
            continue;
        std::size_t at = s.tag & mask;
        while (next[at].id != no_record)
            at = (at + 1) & mask;
        next[at] = s;
    }
    lookup_ = std::move(next);
}

void RecordColumns::index(std::uint32_t tag, std::uint32_t id) {
    if ((lookup_used_ + 1) * 10 > lookup_.size() * 7)
        rehash(std::max<std::size_t>(64, lookup_.size() * 2));
    const std::size_t mask = lookup_.size() - 1;
    std::size_t at = tag & mask;
    while (lookup_[at].id != no_record) {
        if (lookup_[at].tag == tag && lookup_[at].id == id)
            return;  // the same value again (a record changed, the value kept)
        at = (at + 1) & mask;
    }
    lookup_[at] = {tag, id};
    ++lookup_used_;
}

bool RecordColumns::indexes(const FieldSpec& f) const {
    return indexed(f) &&
           std::find(references_.begin(), references_.end(), f.name) == references_.end();
}

std::optional<std::vector<std::uint32_t>> RecordColumns::lookup_candidates(
    std::string_view field, std::string_view value) const {
    bool in_memory = false;
    for (const RecordKind& kind : schema_.kinds) {
        const FieldSpec* f = kind.field(field);
        in_memory = in_memory || (f != nullptr && indexes(*f));
    }
    if (!in_memory)
        return std::nullopt;
    std::vector<std::uint32_t> out;
    if (lookup_.empty())
        return out;
    const std::uint32_t tag = lookup_tag(field, value);
    const std::size_t mask = lookup_.size() - 1;
    for (std::size_t at = tag & mask; lookup_[at].id != no_record; at = (at + 1) & mask) {
        if (lookup_[at].tag == tag)
            out.push_back(lookup_[at].id);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

namespace {

template <class T>
T load_bits(const std::uint8_t* at) {
    T v;
    std::memcpy(&v, at, sizeof v);
    return v;
}

template <class T>
void store_bits(std::uint8_t* at, T v) {
    std::memcpy(at, &v, sizeof v);
}

}  // namespace

std::uint64_t RecordColumns::EnumColumn::get(std::size_t at) const {
    const std::uint8_t* p = bytes.data() + at * width;
    switch (width) {
        case 1:
            return *p;
        case 2:
            return load_bits<std::uint16_t>(p);
        case 4:
            return load_bits<std::uint32_t>(p);
        default:
            return load_bits<std::uint64_t>(p);
    }
}

void RecordColumns::EnumColumn::set(std::size_t at, std::uint64_t bits) {
    std::uint8_t* p = bytes.data() + at * width;
    switch (width) {
        case 1:
            *p = static_cast<std::uint8_t>(bits);
            break;
        case 2:
            store_bits(p, static_cast<std::uint16_t>(bits));
            break;
        case 4:
            store_bits(p, static_cast<std::uint32_t>(bits));
            break;
        default:
            store_bits(p, bits);
    }
}

void RecordColumns::nodes_holding(std::size_t kind, std::size_t field, unsigned value_bit,
                                  std::vector<NodeId>& out) const {
    const KindColumns& c = kinds_[kind];
    const int col = c.column_of_field[field];
    if (col < 0)
        return;
    const EnumColumn& e = c.enums[static_cast<std::size_t>(col)];
    const std::size_t n = c.count;
    // One loop over the kind's positions (its records in id order) per width, the load
    // typed.
    const auto scan = [&](auto zero) {
        using T = decltype(zero);
        const std::uint8_t* bits = e.bytes.data();
        const NodeId* nodes = c.nodes.data();
        const T mask = static_cast<T>(std::uint64_t{1} << value_bit);
        for (std::size_t at = 0; at < n; ++at) {
            if ((load_bits<T>(bits + at * sizeof(T)) & mask) != 0 && nodes[at] != no_node)
                out.push_back(nodes[at]);
        }
    };
    switch (e.width) {
        case 1:
            scan(std::uint8_t{0});
            break;
        case 2:
            scan(std::uint16_t{0});
            break;
        case 4:
            scan(std::uint32_t{0});
            break;
        default:
            scan(std::uint64_t{0});
    }
}

bool RecordColumns::holds(std::uint32_t id, std::size_t field, unsigned value_bit) const {
    const KindColumns& c = kinds_[kind_[id]];
    const int col = c.column_of_field[field];
    return col >= 0 && !c.enums.empty() &&
           (c.enums[static_cast<std::size_t>(col)].get(local_[id]) >> value_bit & 1U) != 0;
}

double RecordColumns::number(std::uint32_t id, std::size_t field) const {
    const KindColumns& c = kinds_[kind_[id]];
    const int col = c.column_of_field[field];
    if (col < 0)
        return std::numeric_limits<double>::quiet_NaN();
    return c.numbers[static_cast<std::size_t>(col)][local_[id]];
}

}  // namespace gridgov::detail
