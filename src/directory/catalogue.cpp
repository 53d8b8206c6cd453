// Catalogues of duties and role types: JSON reading and writing, the built-in presets.
#include <set>

#include "core/text.hpp"
#include "directory/directory_impl.hpp"
#include "directory/text_io.hpp"

namespace gridgov::detail {

// Generated at configure time from src/directory/presets/*.json.
struct PresetText {
    const char* key;
    const char* json;
};
extern const PresetText catalogue_presets[];
extern const std::size_t catalogue_presets_count;

}  // namespace gridgov::detail

namespace gridgov {
namespace {

using detail::field_error;
using detail::Json;
using detail::quote;

// "*", a kind ("resident") or a kind's field ("resident.id_number", split at the first
// '.'): no spaces (they separate the entries where they are stored), no empty part.
bool valid_reveal(std::string_view r) {
    if (r.empty() || r.find_first_of(" \t\r\n") != std::string_view::npos)
        return false;
    const std::size_t dot = r.find('.');
    return dot == std::string_view::npos || (dot > 0 && dot + 1 < r.size());
}

}  // namespace

namespace detail {

void check_catalogue(const Catalogue& c, const std::string& src) {
    check_field_text(c.key, TextKind::line, src, "key");
    check_field_text(c.name, TextKind::line, src, "name");
    check_field_text(c.source, TextKind::free, src, "source");
    std::set<std::string, std::less<>> codes;
    const auto claim = [&](const std::string& code, const std::string& where) {
        if (code.empty())
            field_error(ErrorCode::invalid_argument, where, "code", "empty");
        check_field_text(code, TextKind::line, where, "code");
        if (!codes.insert(code).second) {
            field_error(
                ErrorCode::already_exists, where, "code",
                "duplicate code " + quote(code) + " (duties and roles share one set of codes)");
        }
    };
    for (std::size_t i = 0; i < c.duties.size(); ++i) {
        const std::string where = src + " duties[" + std::to_string(i) + "]";
        claim(c.duties[i].code, where);
        check_field_text(c.duties[i].label_zh, TextKind::line, where, "zh");
        check_field_text(c.duties[i].label_en, TextKind::line, where, "en");
        if (c.duties[i].label_zh.empty()) {
            field_error(ErrorCode::invalid_argument, where, "zh", "empty");
        }
        std::set<std::string, std::less<>> seen;
        for (const std::string& r : c.duties[i].reveals) {
            if (!valid_reveal(r))
                field_error(ErrorCode::invalid_argument, where, "reveals",
                            quote(r) + " is not \"*\", a record kind or \"kind.field\"");
            if (!seen.insert(r).second)
                field_error(ErrorCode::already_exists, where, "reveals", quote(r) + " given twice");
        }
    }
    for (std::size_t i = 0; i < c.roles.size(); ++i) {
        const RoleType& role = c.roles[i];
        const std::string where = src + " roles[" + std::to_string(i) + "]";
        claim(role.code, where);
        check_field_text(role.label_zh, TextKind::line, where, "zh");
        check_field_text(role.label_en, TextKind::line, where, "en");
        check_field_text(role.level, TextKind::line, where, "level");
        check_field_text(role.overlay, TextKind::line, where, "overlay");
        if (role.label_zh.empty())
            field_error(ErrorCode::invalid_argument, where, "zh", "empty");
        if (role.level.empty())
            field_error(ErrorCode::invalid_argument, where, "level", "empty");
        std::set<std::string, std::less<>> seen;
        for (const std::string& d : role.duties) {
            if (!c.find_duty(d)) {
                field_error(ErrorCode::not_found, where, "duties", "unknown duty " + quote(d));
            }
            if (!seen.insert(d).second) {
                field_error(ErrorCode::already_exists, where, "duties",
                            "duty " + quote(d) + " listed twice");
            }
        }
    }
}

}  // namespace detail

Catalogue Catalogue::from_json(std::string_view text, std::string_view source_name) {
    const Json doc = detail::parse_json(text, source_name);
    const std::string src(source_name);
    if (!doc.is_object()) {
        throw Error(ErrorCode::invalid_argument, src + ": a catalogue is a JSON object");
    }
    Catalogue c;
    c.key = detail::json_string(doc, "key", src, false);
    c.name = detail::json_string(doc, "name", src, false);
    c.source = detail::json_string(doc, "source", src, false);

    const Json* duties = detail::json_array(doc, "duties", src);
    const Json* roles = detail::json_array(doc, "roles", src);
    if (const Json* it = duties) {
        for (std::size_t i = 0; i < it->size(); ++i) {
            const Json& d = (*it)[i];
            const std::string where = src + " duties[" + std::to_string(i) + "]";
            detail::json_require_object(d, where);
            Duty duty;
            duty.code = detail::json_string(d, "code", where, true);
            duty.label_zh = detail::json_string(d, "zh", where, true);
            duty.label_en = detail::json_string(d, "en", where, false);
            duty.reveals = detail::json_strings(d, "reveals", where);
            c.duties.push_back(std::move(duty));
        }
    }
    if (const Json* it = roles) {
        for (std::size_t i = 0; i < it->size(); ++i) {
            const Json& r = (*it)[i];
            const std::string where = src + " roles[" + std::to_string(i) + "]";
            detail::json_require_object(r, where);
            RoleType role;
            role.code = detail::json_string(r, "code", where, true);
            role.label_zh = detail::json_string(r, "zh", where, true);
            role.label_en = detail::json_string(r, "en", where, false);
            role.level = detail::json_string(r, "level", where, true);
            role.overlay = detail::json_string(r, "overlay", where, false);
            const std::string card = detail::json_string(r, "cardinality", where, false);
            role.cardinality =
                card.empty() ? Cardinality::any : detail::parse_field(where, "cardinality", [&] {
                    return parse_cardinality(card);
                });
            const std::string fn = detail::json_string(r, "function", where, false);
            role.function =
                fn.empty() ? RoleFunction::other : detail::parse_field(where, "function", [&] {
                    return parse_role_function(fn);
                });
            role.duties = detail::json_strings(r, "duties", where);
            c.roles.push_back(std::move(role));
        }
    }
    detail::check_catalogue(c, src);
    return c;
}

std::string Catalogue::to_json() const {
    Json doc = Json::object();
    doc["key"] = key;
    doc["name"] = name;
    doc["source"] = source;
    Json duties_json = Json::array();
    for (const Duty& d : duties) {
        Json duty = {{"code", d.code}, {"zh", d.label_zh}, {"en", d.label_en}};
        if (!d.reveals.empty())
            duty["reveals"] = d.reveals;
        duties_json.push_back(std::move(duty));
    }
    doc["duties"] = std::move(duties_json);
    Json roles_json = Json::array();
    for (const RoleType& r : roles) {
        Json role = {{"code", r.code},
                     {"zh", r.label_zh},
                     {"en", r.label_en},
                     {"level", r.level},
                     {"cardinality", cardinality_name(r.cardinality)},
                     {"function", role_function_name(r.function)},
                     {"duties", r.duties}};
        if (!r.overlay.empty())
            role["overlay"] = r.overlay;
        roles_json.push_back(std::move(role));
    }
    doc["roles"] = std::move(roles_json);
    return doc.dump(2);
}

std::vector<std::string> Catalogue::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::catalogue_presets_count; ++i) {
        keys.emplace_back(detail::catalogue_presets[i].key);
    }
    return keys;
}

Catalogue Catalogue::preset(std::string_view key) {
    for (std::size_t i = 0; i < detail::catalogue_presets_count; ++i) {
        if (key == detail::catalogue_presets[i].key) {
            return from_json(detail::catalogue_presets[i].json,
                             std::string("preset ") + detail::catalogue_presets[i].key);
        }
    }
    std::string known;
    for (const std::string& k : preset_keys())
        known += (known.empty() ? "" : ", ") + k;
    throw Error(ErrorCode::not_found,
                "no catalogue preset " + quote(key) + " (presets: " + known + ")");
}

std::optional<RoleId> Catalogue::find_role(std::string_view code) const {
    for (std::size_t i = 0; i < roles.size(); ++i) {
        if (roles[i].code == code)
            return static_cast<RoleId>(i);
    }
    return std::nullopt;
}

std::optional<DutyId> Catalogue::find_duty(std::string_view code) const {
    for (std::size_t i = 0; i < duties.size(); ++i) {
        if (duties[i].code == code)
            return static_cast<DutyId>(i);
    }
    return std::nullopt;
}

}  // namespace gridgov
