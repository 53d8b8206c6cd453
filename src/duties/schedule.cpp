// Duty schedules: names, JSON, presets and validation (docs/duties.md).
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "duties/duties_impl.hpp"
#include "gridgov/duties.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"

namespace gridgov {
namespace detail {

struct PresetText {
    const char* key;
    const char* json;
};
extern const PresetText duty_presets[];
extern const std::size_t duty_presets_count;

}  // namespace detail

namespace {

using Json = nlohmann::ordered_json;
using detail::EnumName;

constexpr EnumName<Recurrence> recurrence_names[] = {
    {Recurrence::daily, "daily"},
    {Recurrence::weekly, "weekly"},
    {Recurrence::monthly, "monthly"},
    {Recurrence::quarterly, "quarterly"},
    {Recurrence::half_yearly, "half_yearly"},
    {Recurrence::yearly, "yearly"},
    {Recurrence::daily, "每日"},
    {Recurrence::weekly, "每周"},
    {Recurrence::monthly, "每月"},
    {Recurrence::quarterly, "每季度"},
    {Recurrence::half_yearly, "每半年"},
    {Recurrence::yearly, "每年"},
};

constexpr EnumName<DueShift> due_shift_names[] = {
    {DueShift::earlier, "earlier"},
    {DueShift::later, "later"},
    {DueShift::none, "none"},
};

constexpr EnumName<DutyScope> duty_scope_names[] = {
    {DutyScope::node, "node"},
    {DutyScope::person, "person"},
};

constexpr EnumName<OccurrenceStatus> occurrence_status_names[] = {
    {OccurrenceStatus::done_on_time, "done_on_time"},
    {OccurrenceStatus::done_late, "done_late"},
    {OccurrenceStatus::open, "open"},
    {OccurrenceStatus::missed, "missed"},
};

std::string quote(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

/// "HH:MM" (00:00–24:00) as minutes; throws Error(invalid_argument) naming the text.
int parse_time(std::string_view text) {
    const auto bad = [&]() -> int {
        throw Error(ErrorCode::invalid_argument,
                    "time " + quote(text) + " is not HH:MM between 00:00 and 24:00");
    };
    if (text.size() != 5 || text[2] != ':')
        return bad();
    for (const std::size_t i : {0, 1, 3, 4}) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return bad();
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return bad();
    return h * 60 + m;
}

std::string time_text(int minute) {
    const int h = minute / 60;
    const int m = minute % 60;
    std::string out;
    out += static_cast<char>('0' + h / 10);
    out += static_cast<char>('0' + h % 10);
    out += ':';
    out += static_cast<char>('0' + m / 10);
    out += static_cast<char>('0' + m % 10);
    return out;
}

}  // namespace

const char* recurrence_name(Recurrence r) noexcept {
    return detail::enum_name(recurrence_names, r);
}
Recurrence parse_recurrence(std::string_view text) {
    return detail::parse_enum(recurrence_names, text, "recurrence");
}
const char* due_shift_name(DueShift s) noexcept {
    return detail::enum_name(due_shift_names, s);
}
DueShift parse_due_shift(std::string_view text) {
    return detail::parse_enum(due_shift_names, text, "due shift");
}
const char* duty_scope_name(DutyScope s) noexcept {
    return detail::enum_name(duty_scope_names, s);
}
DutyScope parse_duty_scope(std::string_view text) {
    return detail::parse_enum(duty_scope_names, text, "duty scope");
}
const char* occurrence_status_name(OccurrenceStatus s) noexcept {
    return detail::enum_name(occurrence_status_names, s);
}

bool operator==(const DutySchedule& a, const DutySchedule& b) {
    return a.key == b.key && a.label_zh == b.label_zh && a.label_en == b.label_en &&
           a.owner == b.owner && a.level == b.level && a.every == b.every &&
           a.weekday == b.weekday && a.day == b.day && a.minute == b.minute && a.shift == b.shift &&
           a.per == b.per && a.quota == b.quota && a.source == b.source;
}

bool operator==(const DutyCatalogue& a, const DutyCatalogue& b) {
    return a.key == b.key && a.name == b.name && a.source == b.source && a.schedules == b.schedules;
}

DutyCatalogue DutyCatalogue::from_json(std::string_view text, std::string_view source_name) {
    const std::string src(source_name);
    const Json doc = detail::parse_json_document<Json>(text, source_name);
    detail::json_require_object(doc, src);
    // Every member is known, and every text one line (a source may hold line breaks).
    const auto check_members = [](const Json& object, const std::string& where,
                                  std::initializer_list<std::string_view> known,
                                  std::initializer_list<std::string_view> free_text) {
        for (const auto& member : object.items()) {
            if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
                detail::field_error(ErrorCode::invalid_argument, where, member.key(),
                                    "unknown member");
            }
            if (member.value().is_string()) {
                const bool is_free =
                    std::find(free_text.begin(), free_text.end(), member.key()) != free_text.end();
                detail::check_field_text(member.value().template get_ref<const std::string&>(),
                                         is_free ? detail::TextKind::free : detail::TextKind::line,
                                         where, member.key());
            }
        }
    };
    check_members(doc, src, {"key", "name", "source", "schedules"}, {"source"});
    DutyCatalogue c;
    c.key = detail::json_string(doc, "key", src);
    c.name = detail::json_string(doc, "name", src);
    c.source = detail::json_string(doc, "source", src);
    const Json* list = detail::json_array(doc, "schedules", src, true);
    std::set<std::string, std::less<>> keys;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = src + " /schedules/" + std::to_string(i);
        const Json& j = (*list)[i];
        detail::json_require_object(j, at);
        check_members(j, at,
                      {"key", "zh", "en", "owner", "level", "every", "weekday", "day", "time",
                       "shift", "per", "quota", "source"},
                      {"source"});
        DutySchedule s;
        s.key = detail::json_string(j, "key", at, true);
        if (!keys.insert(s.key).second) {
            throw Error(ErrorCode::already_exists,
                        at + " field 'key': duplicate schedule key " + quote(s.key));
        }
        s.label_zh = detail::json_string(j, "zh", at);
        s.label_en = detail::json_string(j, "en", at);
        s.owner = detail::json_string(j, "owner", at, true);
        s.level = detail::json_string(j, "level", at);
        s.every = detail::parse_field(at, "every", [&] {
            return parse_recurrence(detail::json_string(j, "every", at, true));
        });
        const auto count = [&](std::string_view field, std::int64_t fallback, std::int64_t hi) {
            const std::int64_t v = detail::json_int(j, field, at, fallback);
            if (v < 0 || v > hi) {
                detail::field_error(
                    ErrorCode::invalid_argument, at, field,
                    std::to_string(v) + " is not between 0 and " + std::to_string(hi));
            }
            return static_cast<unsigned>(v);
        };
        s.weekday = count("weekday", 0, 7);
        s.day = count("day", 0, 31);
        const std::string time = detail::json_string(j, "time", at);
        if (!time.empty())
            s.minute = detail::parse_field(at, "time", [&] { return parse_time(time); });
        s.shift = detail::json_parsed(j, "shift", at, parse_due_shift, DueShift::earlier);
        s.per = detail::json_parsed(j, "per", at, parse_duty_scope, DutyScope::node);
        s.quota = count("quota", 1, 1000000);
        if (s.quota == 0)
            detail::field_error(ErrorCode::invalid_argument, at, "quota", "0 is not at least 1");
        s.source = detail::json_string(j, "source", at);
        c.schedules.push_back(std::move(s));
    }
    return c;
}

std::string DutyCatalogue::to_json() const {
    Json doc;
    doc["key"] = key;
    doc["name"] = name;
    doc["source"] = source;
    Json list = Json::array();
    for (const DutySchedule& s : schedules) {
        Json j;
        j["key"] = s.key;
        j["zh"] = s.label_zh;
        j["en"] = s.label_en;
        j["owner"] = s.owner;
        j["level"] = s.level;
        j["every"] = recurrence_name(s.every);
        j["weekday"] = s.weekday;
        j["day"] = s.day;
        j["time"] = time_text(s.minute);
        j["shift"] = due_shift_name(s.shift);
        j["per"] = duty_scope_name(s.per);
        j["quota"] = s.quota;
        j["source"] = s.source;
        list.push_back(std::move(j));
    }
    doc["schedules"] = std::move(list);
    return doc.dump(2);
}

std::vector<std::string> DutyCatalogue::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::duty_presets_count; ++i)
        keys.emplace_back(detail::duty_presets[i].key);
    return keys;
}

DutyCatalogue DutyCatalogue::preset(std::string_view key) {
    for (std::size_t i = 0; i < detail::duty_presets_count; ++i) {
        if (key == detail::duty_presets[i].key)
            return from_json(detail::duty_presets[i].json,
                             std::string("preset ") + detail::duty_presets[i].key);
    }
    throw Error(ErrorCode::not_found, "no duty catalogue preset " + quote(key));
}

const DutySchedule* DutyCatalogue::find(std::string_view k) const {
    for (const DutySchedule& s : schedules) {
        if (s.key == k)
            return &s;
    }
    return nullptr;
}

const DutySchedule& DutyCatalogue::at(std::string_view k) const {
    if (const DutySchedule* s = find(k))
        return *s;
    throw Error(ErrorCode::not_found,
                "no duty schedule " + quote(k) + " in catalogue " + quote(key));
}

std::vector<Finding> DutyCatalogue::validate(const Catalogue& roles,
                                             const Networks& networks) const {
    std::vector<Finding> out;
    std::set<std::string, std::less<>> seen;
    const auto add = [&](const char* rule, const DutySchedule& s, const std::string& message) {
        out.push_back({rule, Severity::error, s.key, "schedule " + s.key + ": " + message});
    };
    for (const DutySchedule& s : schedules) {
        if (!seen.insert(s.key).second)
            add("duty.duplicate_key", s, "the key appears twice");
        if (!is_identifier(s.key))
            add("duty.bad_key", s, "the key is not an ASCII identifier");
        if (s.weekday > 7)
            add("duty.bad_weekday", s, "weekday " + std::to_string(s.weekday) + " is over 7");
        if (s.day > 31)
            add("duty.bad_day", s, "day " + std::to_string(s.day) + " is over 31");
        if (s.minute < 0 || s.minute > 24 * 60)
            add("duty.bad_time", s, "the time is outside 00:00–24:00");
        if (s.quota == 0)
            add("duty.zero_quota", s, "the quota is 0");
        std::vector<const RoleType*> owners;
        try {
            owners = detail::owner_roles(roles, s.owner);
        } catch (const Error& e) {
            add("duty.unknown_owner", s, e.what());
            continue;
        }
        if (owners.empty()) {
            add("duty.unknown_owner", s,
                "owner " + quote(s.owner) + " is no role, duty or role function of catalogue " +
                    quote(roles.key));
            continue;
        }
        if (!s.level.empty()) {
            const bool held = std::any_of(owners.begin(), owners.end(),
                                          [&](const RoleType* r) { return r->level == s.level; });
            if (!held) {
                add("duty.unknown_level", s,
                    "no role of owner " + quote(s.owner) + " is held at level " + quote(s.level));
            }
        }
        for (const RoleType* r : owners) {
            if (!r->overlay.empty() && networks.find_overlay(r->overlay) == nullptr &&
                (s.level.empty() || r->level == s.level)) {
                add("duty.unknown_level", s,
                    "role " + r->code + " is held on overlay " + quote(r->overlay) +
                        ", which is not loaded");
            }
        }
    }
    return out;
}

namespace detail {

std::vector<const RoleType*> owner_roles(const Catalogue& roles, std::string_view owner) {
    std::vector<const RoleType*> out;
    constexpr std::string_view function_prefix = "function:";
    if (owner.substr(0, function_prefix.size()) == function_prefix) {
        const RoleFunction f = parse_role_function(owner.substr(function_prefix.size()));
        for (const RoleType& r : roles.roles) {
            if (r.function == f)
                out.push_back(&r);
        }
        return out;
    }
    for (const RoleType& r : roles.roles) {
        if (r.code == owner)
            return {&r};
    }
    for (const RoleType& r : roles.roles) {
        if (std::find(r.duties.begin(), r.duties.end(), owner) != r.duties.end())
            out.push_back(&r);
    }
    return out;
}

}  // namespace detail

}  // namespace gridgov
