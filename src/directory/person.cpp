// Sensitive fields: masking of ID numbers and phones, GB 11643 check characters, and the
// small enums of the directory with their names.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "directory/directory_impl.hpp"

namespace gridgov {
namespace {

// Masks by code point so that a stray non-ASCII character never splits a UTF-8 sequence.
std::string mask_middle(std::string_view text, std::size_t keep_front, std::size_t keep_back) {
    std::vector<std::string_view> points;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) {
            n = 4;
        } else if (c >= 0xE0) {
            n = 3;
        } else if (c >= 0xC0) {
            n = 2;
        }
        n = std::min(n, text.size() - i);
        points.push_back(text.substr(i, n));
        i += n;
    }
    if (points.size() <= keep_front + keep_back) {
        // Too short to keep anything readable without revealing most of it.
        const std::size_t keep = points.size() > 2 ? 2 : 0;
        keep_front = 0;
        keep_back = keep;
    }
    std::string out;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i < keep_front || i + keep_back >= points.size()) {
            out += points[i];
        } else {
            out += '*';
        }
    }
    return out;
}

constexpr std::array<int, 17> id_weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char id_check_characters[] = "10X98765432";

bool all_digits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

[[noreturn]] void unknown_name(const char* what, std::string_view text, const char* accepted) {
    throw Error(ErrorCode::invalid_argument, std::string("unknown ") + what + " " +
                                                 detail::quote(text) + " (accepted: " + accepted +
                                                 ")");
}

}  // namespace

std::string mask_id_number(std::string_view id_number) {
    return mask_middle(id_number, 4, 4);
}

std::string mask_phone(std::string_view phone) {
    return mask_middle(phone, 3, 4);
}

char id_number_check_character(std::string_view first17) {
    if (first17.size() != 17 || !all_digits(first17)) {
        throw Error(ErrorCode::invalid_argument,
                    "an ID number check character needs 17 digits, got " +
                        detail::quote(mask_id_number(first17)));
    }
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i)
        sum += (first17[i] - '0') * id_weights[i];
    return id_check_characters[sum % 11];
}

bool is_valid_id_number(std::string_view id) {
    if (id.size() != 18 || !all_digits(id.substr(0, 17)))
        return false;
    char last = id[17];
    if (last == 'x')
        last = 'X';
    if (last != id_number_check_character(id.substr(0, 17)))
        return false;
    const int year = std::stoi(std::string(id.substr(6, 4)));
    const auto month = static_cast<unsigned>(std::stoi(std::string(id.substr(10, 2))));
    const auto day = static_cast<unsigned>(std::stoi(std::string(id.substr(12, 2))));
    if (year < 1800)
        return false;
    try {
        Date::from_ymd(year, month, day);
    } catch (const Error&) {
        return false;
    }
    return true;
}

const char* party_membership_name(PartyMembership p) noexcept {
    switch (p) {
        case PartyMembership::member:
            return "member";
        case PartyMembership::probationary:
            return "probationary";
        case PartyMembership::none:
            break;
    }
    return "none";
}

PartyMembership parse_party_membership(std::string_view t) {
    if (t.empty() || t == "none" || t == "群众")
        return PartyMembership::none;
    if (t == "member" || t == "党员" || t == "中共党员")
        return PartyMembership::member;
    if (t == "probationary" || t == "预备党员")
        return PartyMembership::probationary;
    unknown_name("party membership", t, "none, member, probationary, 群众, 党员, 预备党员");
}

const char* cardinality_name(Cardinality c) noexcept {
    switch (c) {
        case Cardinality::exactly_one:
            return "exactly_one";
        case Cardinality::at_least_one:
            return "at_least_one";
        case Cardinality::any:
            break;
    }
    return "any";
}

Cardinality parse_cardinality(std::string_view t) {
    if (t == "any")
        return Cardinality::any;
    if (t == "exactly_one")
        return Cardinality::exactly_one;
    if (t == "at_least_one")
        return Cardinality::at_least_one;
    unknown_name("cardinality", t, "any, exactly_one, at_least_one");
}

const char* role_function_name(RoleFunction f) noexcept {
    switch (f) {
        case RoleFunction::grid_leader:
            return "grid_leader";
        case RoleFunction::information_officer:
            return "information_officer";
        case RoleFunction::supervisor:
            return "supervisor";
        case RoleFunction::other:
            break;
    }
    return "other";
}

RoleFunction parse_role_function(std::string_view t) {
    if (t == "other")
        return RoleFunction::other;
    if (t == "grid_leader")
        return RoleFunction::grid_leader;
    if (t == "information_officer")
        return RoleFunction::information_officer;
    if (t == "supervisor")
        return RoleFunction::supervisor;
    unknown_name("role function", t, "other, grid_leader, information_officer, supervisor");
}

const char* unit_kind_name(UnitKind k) noexcept {
    switch (k) {
        case UnitKind::service_team:
            return "service_team";
        case UnitKind::volunteer_team:
            return "volunteer_team";
        case UnitKind::information_archive:
            return "information_archive";
        case UnitKind::party_group:
            break;
    }
    return "party_group";
}

UnitKind parse_unit_kind(std::string_view t) {
    if (t == "party_group" || t == "党小组")
        return UnitKind::party_group;
    if (t == "service_team" || t == "服务团队")
        return UnitKind::service_team;
    if (t == "volunteer_team" || t == "志愿服务队")
        return UnitKind::volunteer_team;
    if (t == "information_archive" || t == "信息档案")
        return UnitKind::information_archive;
    unknown_name(
        "unit kind", t,
        "party_group, service_team, volunteer_team, information_archive, 党小组, 服务团队, "
        "志愿服务队, 信息档案");
}

const char* post_name(Post p) noexcept {
    return p == Post::b ? "B" : "A";
}

Post parse_post(std::string_view t) {
    if (t == "A" || t == "a" || t == "A岗")
        return Post::a;
    if (t == "B" || t == "b" || t == "B岗")
        return Post::b;
    unknown_name("post", t, "A, B, A岗, B岗");
}

const char* absence_kind_name(AbsenceKind k) noexcept {
    return k == AbsenceKind::vacancy ? "vacancy" : "leave";
}

AbsenceKind parse_absence_kind(std::string_view t) {
    if (t == "leave" || t == "请假")
        return AbsenceKind::leave;
    if (t == "vacancy" || t == "空缺")
        return AbsenceKind::vacancy;
    unknown_name("absence kind", t, "leave, vacancy, 请假, 空缺");
}

const char* step_outcome_name(StepOutcome o) noexcept {
    switch (o) {
        case StepOutcome::absent:
            return "absent";
        case StepOutcome::chosen:
            return "chosen";
        case StepOutcome::no_holder:
            break;
    }
    return "no_holder";
}

const char* directory_table_name(DirectoryTable t) noexcept {
    switch (t) {
        case DirectoryTable::people:
            return "people";
        case DirectoryTable::units:
            return "units";
        case DirectoryTable::assignments:
            return "assignments";
        case DirectoryTable::absences:
            return "absences";
        case DirectoryTable::automatic:
            break;
    }
    return "automatic";
}

namespace detail {

std::string quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '\'';
    out += s;
    out += '\'';
    return out;
}

std::string date_text(Date d) {
    if (d <= Date::min() || d >= Date::max())
        return {};
    return d.to_string();
}

std::string period_text(const Period& p) {
    const std::string from = p.from <= Date::min() ? "-inf" : p.from.to_string();
    const std::string to = p.to >= Date::max() ? "+inf" : p.to.to_string();
    return "[" + from + ", " + to + ")";
}

}  // namespace detail
}  // namespace gridgov
