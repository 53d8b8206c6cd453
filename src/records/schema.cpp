// Kinds of records: field types, code checks, the schema's JSON form, presets and
// extension (records.hpp).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"
#include "records/model.hpp"

namespace gridgov {
namespace detail {

struct PresetText {
    const char* key;
    const char* json;
};
extern const PresetText record_schema_presets[];
extern const std::size_t record_schema_presets_count;

}  // namespace detail

namespace {

using detail::EnumName;
using detail::field_error;
using detail::record_quote;
using Json = nlohmann::ordered_json;

constexpr EnumName<FieldType> field_type_names[] = {
    {FieldType::text, "text"},           {FieldType::integer, "integer"},
    {FieldType::number, "number"},       {FieldType::date, "date"},
    {FieldType::enumeration, "enum"},    {FieldType::code, "code"},
    {FieldType::reference, "reference"},
};

constexpr EnumName<CodeCheck> code_check_names[] = {
    {CodeCheck::none, "none"},
    {CodeCheck::id_number, "id_number"},
    {CodeCheck::credit_code, "credit_code"},
    {CodeCheck::house_code, "house_code"},
    {CodeCheck::component_code, "component_code"},
    {CodeCheck::phone, "phone"},
};

constexpr EnumName<Derivation> derivation_names[] = {
    {Derivation::none, "none"},
    {Derivation::birth_date, "birth_date"},
    {Derivation::sex, "sex"},
};

constexpr EnumName<RecordChange> record_change_names[] = {
    {RecordChange::added, "added"},
    {RecordChange::changed, "changed"},
    {RecordChange::moved, "moved"},
    {RecordChange::removed, "removed"},
};

// GB 32100-2015: the 31 characters of a unified social credit code and the weights of
// its first 17 positions.
constexpr std::string_view credit_characters = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int credit_weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// `base`: the schema an extension extends; its kinds and fields may be referred to.
void check_schema(const RecordSchema& schema, const std::string& src,
                  const RecordSchema* base = nullptr) {
    std::set<std::string, std::less<>> kinds;
    for (std::size_t k = 0; k < schema.kinds.size(); ++k) {
        const RecordKind& kind = schema.kinds[k];
        const std::string where = src + " kinds[" + std::to_string(k) + "]";
        if (kind.key.empty())
            field_error(ErrorCode::invalid_argument, where, "key", "empty");
        detail::check_field_text(kind.key, detail::TextKind::line, where, "key");
        detail::check_field_text(kind.label, detail::TextKind::line, where, "label");
        if (!kinds.insert(kind.key).second)
            field_error(ErrorCode::already_exists, where, "key",
                        "kind " + record_quote(kind.key) + " defined twice");
    }
    for (const RecordKind& kind : schema.kinds) {
        std::set<std::string, std::less<>> names;
        for (std::size_t f = 0; f < kind.fields.size(); ++f) {
            const FieldSpec& field = kind.fields[f];
            const std::string where =
                src + " kind " + record_quote(kind.key) + " fields[" + std::to_string(f) + "]";
            if (field.name.empty())
                field_error(ErrorCode::invalid_argument, where, "name", "empty");
            detail::check_field_text(field.name, detail::TextKind::line, where, "name");
            detail::check_field_text(field.label, detail::TextKind::line, where, "label");
            if (field.name == "key" || field.name == "kind" || field.name == "node" ||
                field.name == "overlays" || field.name.find('|') != std::string::npos) {
                field_error(ErrorCode::invalid_argument, where, "name",
                            record_quote(field.name) +
                                " is reserved (key, kind, node, overlays) or holds '|'");
            }
            if (!names.insert(field.name).second)
                field_error(ErrorCode::already_exists, where, "name",
                            "field " + record_quote(field.name) + " defined twice");
            const bool enumeration = field.type == FieldType::enumeration;
            if (enumeration) {
                if (field.values.empty())
                    field_error(ErrorCode::invalid_argument, where, "values",
                                "an enumeration needs values");
                if (field.values.size() > 64)
                    field_error(ErrorCode::invalid_argument, where, "values",
                                std::to_string(field.values.size()) +
                                    " values (an enumeration holds at most 64)");
                std::set<std::string, std::less<>> seen;
                for (const std::string& v : field.values) {
                    detail::check_field_text(v, detail::TextKind::line, where, "values");
                    if (v.empty() || v.find('|') != std::string::npos)
                        field_error(ErrorCode::invalid_argument, where, "values",
                                    "value " + record_quote(v) + " is empty or holds '|'");
                    if (!seen.insert(v).second)
                        field_error(ErrorCode::already_exists, where, "values",
                                    "value " + record_quote(v) + " listed twice");
                }
            } else if (!field.values.empty()) {
                field_error(ErrorCode::invalid_argument, where, "values",
                            "only an enumeration has values");
            }
            if (field.multiple && !enumeration && field.type != FieldType::reference)
                field_error(ErrorCode::invalid_argument, where, "multiple",
                            "only an enumeration or a reference takes several values");
            if (field.check != CodeCheck::none && field.type != FieldType::code)
                field_error(ErrorCode::invalid_argument, where, "check",
                            "only a code field has a check");
            if (field.type == FieldType::reference) {
                if (field.refers_to.empty())
                    field_error(ErrorCode::invalid_argument, where, "refers_to",
                                "a reference names the kind it refers to");
                if (!schema.find(field.refers_to) &&
                    (base == nullptr || !base->find(field.refers_to)))
                    field_error(ErrorCode::not_found, where, "refers_to",
                                "unknown kind " + record_quote(field.refers_to));
            } else if (!field.refers_to.empty()) {
                field_error(ErrorCode::invalid_argument, where, "refers_to",
                            "only a reference refers to a kind");
            }
            if (field.derivation != Derivation::none) {
                const FieldSpec* from = kind.field(field.derive_from);
                if (from == nullptr && base != nullptr && base->find(kind.key) != nullptr)
                    from = base->find(kind.key)->field(field.derive_from);
                if (from == nullptr || from->check != CodeCheck::id_number)
                    field_error(ErrorCode::invalid_argument, where, "derive_from",
                                record_quote(field.derive_from) +
                                    " is not a code field of the kind checked as an ID number");
                if (field.derivation == Derivation::birth_date && field.type != FieldType::date)
                    field_error(ErrorCode::invalid_argument, where, "derivation",
                                "a birth date is derived into a date field");
                if (field.derivation == Derivation::sex &&
                    (field.type != FieldType::enumeration || field.values.size() != 2))
                    field_error(ErrorCode::invalid_argument, where, "derivation",
                                "sex is derived into an enumeration of two values (male first)");
            } else if (!field.derive_from.empty()) {
                field_error(ErrorCode::invalid_argument, where, "derivation",
                            "missing: derive_from needs a derivation");
            }
        }
    }
}

Json field_to_json(const FieldSpec& f) {
    Json j = Json::object();
    j["name"] = f.name;
    if (!f.label.empty())
        j["label"] = f.label;
    j["type"] = field_type_name(f.type);
    if (f.required)
        j["required"] = true;
    if (f.sensitive)
        j["sensitive"] = true;
    if (f.multiple)
        j["multiple"] = true;
    if (f.lookup)
        j["lookup"] = true;
    if (!f.values.empty())
        j["values"] = f.values;
    if (f.check != CodeCheck::none)
        j["check"] = code_check_name(f.check);
    if (!f.refers_to.empty())
        j["refers_to"] = f.refers_to;
    if (f.derivation != Derivation::none) {
        j["derive_from"] = f.derive_from;
        j["derivation"] = detail::enum_name(derivation_names, f.derivation);
    }
    return j;
}

FieldSpec field_from_json(const Json& j, const std::string& where) {
    static const std::set<std::string, std::less<>> known{
        "name",   "label",  "type",  "required",  "sensitive",   "multiple",
        "lookup", "values", "check", "refers_to", "derive_from", "derivation"};
    detail::json_require_object(j, where);
    for (const auto& member : j.items()) {
        if (known.count(member.key()) == 0)
            field_error(ErrorCode::invalid_argument, where, member.key(), "unknown member");
    }
    FieldSpec f;
    f.name = detail::json_string(j, "name", where, true);
    f.label = detail::json_string(j, "label", where);
    f.type = detail::json_parsed(j, "type", where, parse_field_type, FieldType::text);
    f.required = detail::json_bool(j, "required", where);
    f.sensitive = detail::json_bool(j, "sensitive", where);
    f.multiple = detail::json_bool(j, "multiple", where);
    f.lookup = detail::json_bool(j, "lookup", where);
    f.values = detail::json_strings(j, "values", where);
    f.check = detail::json_parsed(j, "check", where, parse_code_check, CodeCheck::none);
    f.refers_to = detail::json_string(j, "refers_to", where);
    f.derive_from = detail::json_string(j, "derive_from", where);
    f.derivation = detail::json_parsed(
        j, "derivation", where,
        [](std::string_view t) { return detail::parse_enum(derivation_names, t, "derivation"); },
        Derivation::none);
    return f;
}

}  // namespace

namespace detail {

std::string record_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '\'';
    out += s;
    out += '\'';
    return out;
}

std::vector<std::string_view> split_values(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t bar = text.find('|', start);
        const std::size_t end = bar == std::string_view::npos ? text.size() : bar;
        if (end > start)
            out.push_back(text.substr(start, end - start));
        if (bar == std::string_view::npos)
            break;
        start = bar + 1;
    }
    return out;
}

}  // namespace detail

const char* field_type_name(FieldType type) noexcept {
    return detail::enum_name(field_type_names, type);
}

FieldType parse_field_type(std::string_view text) {
    return detail::parse_enum(field_type_names, text, "field type");
}

const char* code_check_name(CodeCheck check) noexcept {
    return detail::enum_name(code_check_names, check);
}

CodeCheck parse_code_check(std::string_view text) {
    return detail::parse_enum(code_check_names, text, "code check");
}

const char* record_change_name(RecordChange change) noexcept {
    return detail::enum_name(record_change_names, change);
}

char credit_code_check_character(std::string_view first17) {
    if (first17.size() != 17)
        throw Error(ErrorCode::invalid_argument,
                    "a credit code check character needs 17 characters, got " +
                        std::to_string(first17.size()));
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        const std::size_t v = credit_characters.find(first17[i]);
        if (v == std::string_view::npos)
            throw Error(ErrorCode::invalid_argument,
                        "character " + std::to_string(i + 1) + " " +
                            record_quote(first17.substr(i, 1)) +
                            " is not one of a credit code's (0-9 and A-Y without I, O, S, V, Z)");
        sum += static_cast<int>(v) * credit_weights[i];
    }
    const int check = (31 - sum % 31) % 31;
    return credit_characters[static_cast<std::size_t>(check)];
}

bool is_valid_credit_code(std::string_view code) {
    if (code.size() != 18)
        return false;
    try {
        return credit_code_check_character(code.substr(0, 17)) == code[17];
    } catch (const Error&) {
        return false;
    }
}

bool is_valid_component_code(std::string_view code) {
    if (code.size() != 16 || !all_digits(code))
        return false;
    return code.substr(6, 2) != "00" && code.substr(10) != "000000";
}

bool is_valid_phone(std::string_view phone) {
    if (phone.size() == 11 && phone[0] == '1' && all_digits(phone))
        return true;
    const std::size_t dash = phone.find('-');
    if (dash == std::string_view::npos)
        return all_digits(phone) && ((phone.size() >= 7 && phone.size() <= 8) ||
                                     (phone.size() >= 10 && phone.size() <= 12 && phone[0] == '0'));
    const std::string_view area = phone.substr(0, dash);
    const std::string_view number = phone.substr(dash + 1);
    return area.size() >= 3 && area.size() <= 4 && area[0] == '0' && all_digits(area) &&
           number.size() >= 7 && number.size() <= 8 && all_digits(number);
}

std::string mask_field_value(const FieldSpec& field, std::string_view value) {
    if (value.empty())
        return {};
    if (field.check == CodeCheck::id_number)
        return mask_id_number(value);
    if (field.check == CodeCheck::phone)
        return mask_phone(value);
    return "***";
}

const FieldSpec* RecordKind::field(std::string_view name) const {
    for (const FieldSpec& f : fields) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

const std::string* Record::field(std::string_view name) const {
    for (const auto& [n, v] : fields) {
        if (n == name)
            return &v;
    }
    return nullptr;
}

namespace {

RecordSchema parse_schema(std::string_view text, std::string_view source_name,
                          const RecordSchema* base) {
    const std::string src(source_name);
    const Json doc = detail::parse_json_document<Json>(text, source_name);
    detail::json_require_object(doc, src);
    const Json* kinds = detail::json_array(doc, "kinds", src, true);
    RecordSchema schema;
    for (std::size_t k = 0; k < kinds->size(); ++k) {
        const Json& jk = (*kinds)[k];
        const std::string where = src + " kinds[" + std::to_string(k) + "]";
        RecordKind kind;
        kind.key = detail::json_string(jk, "key", where, true);
        kind.label = detail::json_string(jk, "label", where);
        const Json* fields = detail::json_array(jk, "fields", where, true);
        for (std::size_t f = 0; f < fields->size(); ++f)
            kind.fields.push_back(
                field_from_json((*fields)[f], where + " fields[" + std::to_string(f) + "]"));
        schema.kinds.push_back(std::move(kind));
    }
    check_schema(schema, src, base);
    return schema;
}

}  // namespace

RecordSchema RecordSchema::from_json(std::string_view text, std::string_view source_name) {
    return parse_schema(text, source_name, nullptr);
}

RecordSchema RecordSchema::extension_from_json(std::string_view text, const RecordSchema& base,
                                               std::string_view source_name) {
    return parse_schema(text, source_name, &base);
}

std::string RecordSchema::to_json() const {
    Json doc = Json::object();
    Json kinds_json = Json::array();
    for (const RecordKind& k : kinds) {
        Json jk = Json::object();
        jk["key"] = k.key;
        jk["label"] = k.label;
        Json fields = Json::array();
        for (const FieldSpec& f : k.fields)
            fields.push_back(field_to_json(f));
        jk["fields"] = std::move(fields);
        kinds_json.push_back(std::move(jk));
    }
    doc["kinds"] = std::move(kinds_json);
    return doc.dump(2);
}

std::vector<std::string> RecordSchema::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::record_schema_presets_count; ++i)
        keys.emplace_back(detail::record_schema_presets[i].key);
    return keys;
}

RecordSchema RecordSchema::preset(std::string_view key) {
    for (std::size_t i = 0; i < detail::record_schema_presets_count; ++i) {
        if (key == detail::record_schema_presets[i].key)
            return from_json(detail::record_schema_presets[i].json,
                             std::string("preset ") + detail::record_schema_presets[i].key);
    }
    throw Error(ErrorCode::not_found, "unknown record schema preset " + record_quote(key));
}

void RecordSchema::extend(const RecordSchema& extension) {
    RecordSchema next = *this;
    for (const RecordKind& k : extension.kinds) {
        auto it = std::find_if(next.kinds.begin(), next.kinds.end(),
                               [&](const RecordKind& e) { return e.key == k.key; });
        if (it == next.kinds.end()) {
            next.kinds.push_back(k);
            continue;
        }
        for (const FieldSpec& f : k.fields) {
            if (it->field(f.name) != nullptr)
                throw Error(ErrorCode::already_exists,
                            "the extension's kind " + record_quote(k.key) + " field " +
                                record_quote(f.name) + ": the field exists");
            it->fields.push_back(f);
        }
    }
    check_schema(next, "the extended schema");
    *this = std::move(next);
}

const RecordKind* RecordSchema::find(std::string_view key) const {
    for (const RecordKind& k : kinds) {
        if (k.key == key)
            return &k;
    }
    return nullptr;
}

const RecordKind& RecordSchema::kind(std::string_view key) const {
    if (const RecordKind* k = find(key))
        return *k;
    throw Error(ErrorCode::not_found, "unknown record kind " + record_quote(key));
}

}  // namespace gridgov

// ---- validation policy --------------------------------------------------------------------

namespace gridgov {

RecordValidationPolicy RecordValidationPolicy::from_json(std::string_view text,
                                                         std::string_view source_name) {
    using Json = nlohmann::ordered_json;
    RecordValidationPolicy policy;
    std::string_view trimmed = text;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\n'))
        trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n'))
        trimmed.remove_suffix(1);
    if (trimmed == "market_supervision_002") {
        policy.officer_loads.push_back(OfficerLoadRule::market_supervision_002());
        return policy;
    }
    const std::string src(source_name);
    const Json doc = detail::parse_json_document<Json>(text, source_name);
    detail::json_require_object(doc, src);
    if (const Json* loads = detail::json_array(doc, "officer_loads", src)) {
        for (std::size_t i = 0; i < loads->size(); ++i) {
            const Json& j = (*loads)[i];
            const std::string where = src + " officer_loads[" + std::to_string(i) + "]";
            detail::json_require_object(j, where);
            OfficerLoadRule rule;
            rule.overlay = detail::json_string(j, "overlay", where, true);
            rule.kind = detail::json_string(j, "kind", where, true);
            rule.field = detail::json_string(j, "field", where);
            rule.value = detail::json_string(j, "value", where);
            const std::int64_t n = detail::json_int(j, "per_officer", where, 1000);
            if (n < 1 || n > 0xFFFFFFFFLL)
                detail::field_error(ErrorCode::invalid_argument, where, "per_officer",
                                    "must be between 1 and 4294967295");
            rule.per_officer = static_cast<std::uint32_t>(n);
            if (rule.field.empty() != rule.value.empty())
                detail::field_error(ErrorCode::invalid_argument, where,
                                    rule.field.empty() ? "field" : "value",
                                    "field and value go together");
            policy.officer_loads.push_back(std::move(rule));
        }
    }
    return policy;
}

std::string RecordValidationPolicy::to_json() const {
    using Json = nlohmann::ordered_json;
    Json loads = Json::array();
    for (const OfficerLoadRule& r : officer_loads) {
        Json j = {{"overlay", r.overlay}, {"kind", r.kind}};
        if (!r.field.empty()) {
            j["field"] = r.field;
            j["value"] = r.value;
        }
        j["per_officer"] = r.per_officer;
        loads.push_back(std::move(j));
    }
    return Json{{"officer_loads", std::move(loads)}}.dump();
}

}  // namespace gridgov
