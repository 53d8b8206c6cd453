// Level schemes, the enum vocabularies and the sizing presets: data the hierarchy is
// checked against, kept apart from the algorithms.
#include <string>
#include <utility>

#include "gridgov/hierarchy.hpp"
#include "io/enum_names.hpp"

namespace gridgov {

LevelScheme::LevelScheme(std::vector<Level> levels) : levels_(std::move(levels)) {
    for (std::size_t i = 0; i < levels_.size(); ++i) {
        const Level& l = levels_[i];
        if (l.key.empty()) {
            throw Error(ErrorCode::invalid_argument,
                        "level " + std::to_string(i) + " has an empty key");
        }
        if (l.code_digits < 0) {
            throw Error(
                ErrorCode::invalid_argument,
                "level '" + l.key + "' has negative code_digits " + std::to_string(l.code_digits));
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (levels_[j].key == l.key) {
                throw Error(ErrorCode::invalid_argument,
                            "level key '" + l.key + "' appears twice (levels " + std::to_string(j) +
                                " and " + std::to_string(i) + ")");
            }
        }
    }
}

LevelScheme LevelScheme::chinese_default() {
    return LevelScheme({
        {"province", "省", "Province", 2},
        {"city", "市", "City", 2},
        {"county", "县区", "County / district", 2},
        {"township", "乡镇街道", "Township / street", 3},
        {"village", "村社区", "Village / community", 3},
        {"grid", "网格", "Grid", 3},
        {"micro_grid", "微网格", "Micro-grid", 3},
    });
}

int LevelScheme::index_of(std::string_view key) const {
    for (std::size_t i = 0; i < levels_.size(); ++i) {
        if (levels_[i].key == key) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int LevelScheme::code_length(std::size_t i) const {
    if (i >= levels_.size()) {
        throw Error(ErrorCode::invalid_argument, "level index " + std::to_string(i) +
                                                     " is out of range (the scheme has " +
                                                     std::to_string(levels_.size()) + " levels)");
    }
    int total = 0;
    for (std::size_t j = 0; j <= i; ++j) {
        if (levels_[j].code_digits == 0) {
            return 0;
        }
        total += levels_[j].code_digits;
    }
    return total;
}

namespace {

using detail::EnumName;

// Names first, then the Chinese aliases files use.
constexpr EnumName<GridKind> grid_kind_names[] = {
    {GridKind::comprehensive, "comprehensive"}, {GridKind::dedicated, "dedicated"},
    {GridKind::comprehensive, "综合"},          {GridKind::dedicated, "专属"},
    {GridKind::comprehensive, "综合网格"},      {GridKind::dedicated, "专属网格"},
};

constexpr EnumName<AreaType> area_type_names[] = {
    {AreaType::urban, "urban"}, {AreaType::rural, "rural"}, {AreaType::unspecified, "unspecified"},
    {AreaType::urban, "城市"},  {AreaType::rural, "农村"},  {AreaType::unspecified, ""},
};

constexpr EnumName<ChangeKind> change_kind_names[] = {
    {ChangeKind::add, "add"},
    {ChangeKind::rename, "rename"},
    {ChangeKind::move, "move"},
    {ChangeKind::retire, "retire"},
    {ChangeKind::set_value, "set_value"},
    {ChangeKind::split, "split"},
    {ChangeKind::merge, "merge"},
};

}  // namespace

const char* grid_kind_name(GridKind k) noexcept {
    return detail::enum_name(grid_kind_names, k, "comprehensive");
}

const char* area_type_name(AreaType t) noexcept {
    return detail::enum_name(area_type_names, t, "unspecified");
}

GridKind parse_grid_kind(std::string_view text) {
    return detail::parse_enum(grid_kind_names, text, "grid kind");
}

AreaType parse_area_type(std::string_view text) {
    return detail::parse_enum(area_type_names, text, "area type");
}

const char* change_kind_name(ChangeKind k) noexcept {
    return detail::enum_name(change_kind_names, k, "add");
}

ChangeKind parse_change_kind(std::string_view text) {
    return detail::parse_enum(change_kind_names, text, "change kind");
}

// Sizing presets. A document that says "about X households" becomes the band X ± X/3,
// rounded to tens; a document that states a range is taken as written. Rules are picked
// per node by specificity (area class, then area type), so a general rule may sit beside
// narrower ones.
SizingPolicy SizingPolicy::none() {
    return SizingPolicy{"none", {}};
}

SizingPolicy SizingPolicy::rural_township_150() {
    return SizingPolicy{
        "rural_township_150",
        {{"grid", AreaType::unspecified, "", 100, 200,
          "seed 000 三(一): 原则上每个基础网格为150户左右 (a base grid of about 150 households)"}}};
}

SizingPolicy SizingPolicy::urban_rural_mixed() {
    return SizingPolicy{
        "urban_rural_mixed",
        {
            {"grid", AreaType::urban, "物业小区", 330, 670,
             "seed 001 篇6: 城市社区按物业小区500户为一个网格 (estate with property management, "
             "500 households)"},
            {"grid", AreaType::urban, "杂居小区", 200, 400,
             "seed 001 篇6: 杂居小区300户为一个网格 (mixed neighbourhood, 300 households)"},
            {"grid", AreaType::urban, "", 200, 670,
             "seed 001 篇6: urban grids of 300 (mixed) to 500 (estate) households"},
            {"grid", AreaType::rural, "", 270, 530,
             "seed 001 篇6: 农村地区划分标准为每400户一个网格 (rural, 400 households)"},
        }};
}

SizingPolicy SizingPolicy::national_guideline() {
    return SizingPolicy{
        "national_guideline",
        {
            {"grid", AreaType::urban, "", 300, 500,
             "provincial grid-division guidance (as restated on szhjjp.com): urban grids of "
             "300-500 households"},
            {"grid", AreaType::rural, "", 200, 400,
             "provincial grid-division guidance (as restated on szhjjp.com): a rural grid is a "
             "natural village or about 300 households"},
        }};
}

const std::vector<SizingPolicy>& SizingPolicy::presets() {
    static const std::vector<SizingPolicy> all{none(), rural_township_150(), urban_rural_mixed(),
                                               national_guideline()};
    return all;
}

LevelScheme fire_safety_levels() {
    return LevelScheme({
        {"large", "大网格", "Large grid", 0},
        {"medium", "中网格", "Medium grid", 0},
        {"small", "小网格", "Small grid", 0},
    });
}

LevelScheme market_supervision_levels() {
    return LevelScheme({{"section", "段区", "Supervision section", 0}});
}

LevelScheme urban_management_levels() {
    return LevelScheme({{"unit", "单元网格", "Unit grid", 0}});
}

}  // namespace gridgov
