// Sensitive fields: masking of ID numbers and phones, GB 11643 check characters, and the
// small enums of the directory with their names.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "directory/directory_impl.hpp"
#include "io/enum_names.hpp"

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

using detail::EnumName;

// Names first, then the aliases files use.
constexpr EnumName<PartyMembership> party_membership_names[] = {
    {PartyMembership::none, "none"},
    {PartyMembership::member, "member"},
    {PartyMembership::probationary, "probationary"},
    {PartyMembership::none, "群众"},
    {PartyMembership::member, "党员"},
    {PartyMembership::member, "中共党员"},
    {PartyMembership::probationary, "预备党员"},
    {PartyMembership::none, ""},
};

constexpr EnumName<Cardinality> cardinality_names[] = {
    {Cardinality::any, "any"},
    {Cardinality::exactly_one, "exactly_one"},
    {Cardinality::at_least_one, "at_least_one"},
};

constexpr EnumName<RoleFunction> role_function_names[] = {
    {RoleFunction::other, "other"},
    {RoleFunction::grid_leader, "grid_leader"},
    {RoleFunction::information_officer, "information_officer"},
    {RoleFunction::supervisor, "supervisor"},
};

constexpr EnumName<UnitKind> unit_kind_names[] = {
    {UnitKind::party_group, "party_group"},
    {UnitKind::service_team, "service_team"},
    {UnitKind::volunteer_team, "volunteer_team"},
    {UnitKind::information_archive, "information_archive"},
    {UnitKind::party_group, "党小组"},
    {UnitKind::service_team, "服务团队"},
    {UnitKind::volunteer_team, "志愿服务队"},
    {UnitKind::information_archive, "信息档案"},
};

constexpr EnumName<Post> post_names[] = {
    {Post::a, "A"},   {Post::b, "B"}, {Post::a, "A岗"},
    {Post::b, "B岗"}, {Post::a, "a"}, {Post::b, "b"},
};

constexpr EnumName<AbsenceKind> absence_kind_names[] = {
    {AbsenceKind::leave, "leave"},
    {AbsenceKind::vacancy, "vacancy"},
    {AbsenceKind::leave, "请假"},
    {AbsenceKind::vacancy, "空缺"},
};

constexpr EnumName<StepOutcome> step_outcome_names[] = {
    {StepOutcome::absent, "absent"},
    {StepOutcome::chosen, "chosen"},
    {StepOutcome::no_holder, "no_holder"},
};

constexpr EnumName<DirectoryTable> directory_table_names[] = {
    {DirectoryTable::people, "people"},           {DirectoryTable::units, "units"},
    {DirectoryTable::assignments, "assignments"}, {DirectoryTable::absences, "absences"},
    {DirectoryTable::automatic, "automatic"},
};

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
    return detail::enum_name(party_membership_names, p, "none");
}

PartyMembership parse_party_membership(std::string_view t) {
    return detail::parse_enum(party_membership_names, t, "party membership");
}

const char* cardinality_name(Cardinality c) noexcept {
    return detail::enum_name(cardinality_names, c, "any");
}

Cardinality parse_cardinality(std::string_view t) {
    return detail::parse_enum(cardinality_names, t, "cardinality");
}

const char* role_function_name(RoleFunction f) noexcept {
    return detail::enum_name(role_function_names, f, "other");
}

RoleFunction parse_role_function(std::string_view t) {
    return detail::parse_enum(role_function_names, t, "role function");
}

const char* unit_kind_name(UnitKind k) noexcept {
    return detail::enum_name(unit_kind_names, k, "party_group");
}

UnitKind parse_unit_kind(std::string_view t) {
    return detail::parse_enum(unit_kind_names, t, "unit kind");
}

const char* post_name(Post p) noexcept {
    return detail::enum_name(post_names, p, "A");
}

Post parse_post(std::string_view t) {
    return detail::parse_enum(post_names, t, "post");
}

const char* absence_kind_name(AbsenceKind k) noexcept {
    return detail::enum_name(absence_kind_names, k, "leave");
}

AbsenceKind parse_absence_kind(std::string_view t) {
    return detail::parse_enum(absence_kind_names, t, "absence kind");
}

const char* step_outcome_name(StepOutcome o) noexcept {
    return detail::enum_name(step_outcome_names, o, "no_holder");
}

const char* directory_table_name(DirectoryTable t) noexcept {
    return detail::enum_name(directory_table_names, t, "automatic");
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
