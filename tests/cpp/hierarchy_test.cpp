#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "gridgov/hierarchy.hpp"

using namespace gridgov;

namespace {

Date d(const char* iso) {
    return Date::parse(iso);
}

constexpr double infinity = std::numeric_limits<double>::infinity();

NodeSpec spec(std::string code, std::string parent, std::string name, std::string level,
              double households = missing_value) {
    NodeSpec s;
    s.code = std::move(code);
    s.parent_code = std::move(parent);
    s.name = std::move(name);
    s.level = std::move(level);
    s.households = households;
    return s;
}

using gridgov_test::error_code_of;

// Seed 000 (联组成格、三级管理): a rural township, 镇 → 村 → base grids of about 150
// households. Ids follow the spec order: 0 county, 1 township, then each village followed
// by its grids.
struct Village {
    const char* code;
    const char* name;
    std::vector<double> grids;
};
const std::vector<Village> township_villages{
    {"341024100201", "东村", {152, 148, 160, 152}},
    {"341024100202", "西村", {150, 155, 150}},
    {"341024100203", "南村", {148, 150}},
    {"341024100204", "北村", {150, 152, 149, 158, 151}},
};
constexpr NodeId county_id = 0;
constexpr NodeId township_id = 1;
constexpr NodeId east_id = 2;    // 东村, grids 3..6
constexpr NodeId west_id = 7;    // 西村, grids 8..10
constexpr NodeId south_id = 11;  // 南村, grids 12..13
constexpr NodeId north_id = 14;  // 北村, grids 15..19

std::vector<NodeSpec> township_specs() {
    std::vector<NodeSpec> specs{spec("341024", "", "HS县", "county"),
                                spec("341024100", "341024", "xx镇", "township")};
    for (const Village& v : township_villages) {
        specs.push_back(spec(v.code, "341024100", v.name, "village"));
        for (std::size_t g = 0; g < v.grids.size(); ++g) {
            const std::string code = std::string(v.code) + "00" + std::to_string(g + 1);
            specs.push_back(spec(code, v.code,
                                 std::string(v.name) + "第" + std::to_string(g + 1) + "网格",
                                 "grid", v.grids[g]));
        }
    }
    for (NodeSpec& s : specs) {
        s.area_type = AreaType::rural;
    }
    return specs;
}

Hierarchy township() {
    Hierarchy h;
    h.add_all(township_specs());
    return h;
}

// Seed 003 (莒南县城): 11 net-areas (网区) of 3 grids each, 33 grids. Ids: 0 county,
// 1 street, then net-area a (1-based) at 2 + 4(a-1) followed by its three grids.
std::string area_code(int a) {
    std::string n = std::to_string(a);
    return "371327001" + std::string(3 - n.size(), '0') + n;
}
std::string seat_grid_code(int a, int g) {
    return area_code(a) + "00" + std::to_string(g);
}
NodeId area_id(int a) {
    return static_cast<NodeId>(2 + 4 * (a - 1));
}
NodeId seat_grid_id(int a, int g) {
    return area_id(a) + static_cast<NodeId>(g);
}

Hierarchy county_seat() {
    std::vector<NodeSpec> specs{spec("371327", "", "莒南县", "county"),
                                spec("371327001", "371327", "十字路街道", "township")};
    for (int a = 1; a <= 11; ++a) {
        specs.push_back(
            spec(area_code(a), "371327001", "第" + std::to_string(a) + "网区", "village"));
        for (int g = 1; g <= 3; ++g) {
            specs.push_back(spec(seat_grid_code(a, g), area_code(a),
                                 "第" + std::to_string(a) + "网区第" + std::to_string(g) + "网格",
                                 "grid", 300 + 10 * a + g));
        }
    }
    for (NodeSpec& s : specs) {
        s.area_type = AreaType::urban;
    }
    Hierarchy h;
    h.add_all(specs);
    return h;
}

std::string value_text(double v) {
    return is_missing(v) ? std::string("-") : std::to_string(v);
}

/// Everything observable about a hierarchy, to compare states before and after a change.
std::string dump(const Hierarchy& h) {
    std::ostringstream o;
    o << "ids " << h.id_count() << " live " << h.size() << '\n';
    for (NodeId id = 0; id < h.id_count(); ++id) {
        o << id << ' ' << h.code(id) << ' ' << h.name(id) << " L" << h.level(id) << " p"
          << static_cast<long long>(h.parent(id) == no_node ? -1 : h.parent(id))
          << (h.is_live(id) ? " live " : " gone ") << h.created_on(id).to_string() << ' '
          << h.retired_on(id).to_string() << ' ' << grid_kind_name(h.kind(id)) << ' '
          << area_type_name(h.area_type(id)) << ' ' << h.area_class(id) << ' ' << h.geometry(id);
        for (const std::string& c : h.column_names()) {
            o << ' ' << c << '=' << value_text(h.value(id, c));
        }
        if (h.is_live(id)) {
            o << " d" << h.depth(id) << " pos" << h.preorder_position(id) << " kids";
            for (NodeId k : h.children(id)) {
                o << ' ' << k;
            }
        }
        o << '\n';
    }
    o << "pre";
    for (NodeId id : h.preorder()) {
        o << ' ' << id;
    }
    o << "\nroots";
    for (NodeId id : h.roots()) {
        o << ' ' << id;
    }
    o << "\nhistory";
    for (const HierarchyChange& c : h.history()) {
        o << ' ' << c.seq << ':' << change_kind_name(c.kind) << ':' << c.node << '@'
          << c.effective.to_string();
    }
    return o.str();
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings) {
        out.push_back(f.rule);
    }
    return out;
}

const Finding* finding(const std::vector<Finding>& findings, const std::string& rule,
                       const std::string& where) {
    for (const Finding& f : findings) {
        if (f.rule == rule && f.where == where) {
            return &f;
        }
    }
    return nullptr;
}

std::size_t count_rule(const std::vector<Finding>& findings, const std::string& rule) {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; }));
}

std::vector<NodeId> ids(IdSpan span) {
    return std::vector<NodeId>(span.begin(), span.end());
}

}  // namespace

// ---- levels and vocabularies ------------------------------------------------------------

TEST_CASE("hierarchy.levels.chinese_default_builds_the_15_digit_unit_grid_id") {
    const LevelScheme s = LevelScheme::chinese_default();
    REQUIRE(s.size() == 7);
    CHECK(s[0].key == "province");
    CHECK(s.index_of("county") == 2);
    CHECK(s.index_of("grid") == 5);
    CHECK(s.index_of("household") == -1);
    CHECK(s.code_length(2) == 6);
    CHECK(s.code_length(3) == 9);
    CHECK(s.code_length(4) == 12);
    CHECK(s.code_length(5) == 15);
    CHECK(s.code_length(6) == 18);
    CHECK(s[5].name_zh == "网格");
    CHECK_THROWS_WITH_AS(s.code_length(7), doctest::Contains("level index 7"), Error);
}

TEST_CASE("hierarchy.levels.free_form_level_makes_codes_below_it_free_form") {
    const LevelScheme s(
        {{"city", "市", "City", 4}, {"zone", "片区", "Zone", 0}, {"grid", "网格", "Grid", 3}});
    CHECK(s.code_length(0) == 4);
    CHECK(s.code_length(1) == 0);
    CHECK(s.code_length(2) == 0);
}

TEST_CASE("hierarchy.levels.rejects_empty_and_duplicate_keys") {
    CHECK_THROWS_WITH_AS(LevelScheme({{"grid", "", "", 3}, {"grid", "", "", 3}}),
                         doctest::Contains("'grid' appears twice"), Error);
    CHECK_THROWS_WITH_AS(LevelScheme({{"", "", "", 3}}), doctest::Contains("empty key"), Error);
    CHECK_THROWS_WITH_AS(LevelScheme({{"grid", "", "", -1}}), doctest::Contains("negative"), Error);
}

TEST_CASE("hierarchy.levels.built_in_overlay_schemes_are_free_form") {
    const LevelScheme fire = fire_safety_levels();
    REQUIRE(fire.size() == 3);
    CHECK(fire[0].key == "large");
    CHECK(fire[0].name_zh == "大网格");
    CHECK(fire[1].key == "medium");
    CHECK(fire[1].name_zh == "中网格");
    CHECK(fire[2].key == "small");
    CHECK(fire[2].name_zh == "小网格");
    CHECK(fire.code_length(2) == 0);
    CHECK(market_supervision_levels()[0].key == "section");
    CHECK(market_supervision_levels()[0].name_zh == "段区");
    CHECK(urban_management_levels()[0].key == "unit");
    CHECK(urban_management_levels()[0].name_zh == "单元网格");
}

TEST_CASE("hierarchy.names.kinds_and_area_types_accept_english_and_chinese") {
    CHECK(std::string(grid_kind_name(GridKind::dedicated)) == "dedicated");
    CHECK(std::string(area_type_name(AreaType::rural)) == "rural");
    CHECK(parse_grid_kind("comprehensive") == GridKind::comprehensive);
    CHECK(parse_grid_kind("综合") == GridKind::comprehensive);
    CHECK(parse_grid_kind("专属") == GridKind::dedicated);
    CHECK(parse_area_type("") == AreaType::unspecified);
    CHECK(parse_area_type("城市") == AreaType::urban);
    CHECK(parse_area_type("农村") == AreaType::rural);
    CHECK(parse_area_type("urban") == AreaType::urban);
    CHECK_THROWS_WITH_AS(parse_grid_kind("territorial"), doctest::Contains("'territorial'"), Error);
    CHECK_THROWS_WITH_AS(parse_area_type("suburban"), doctest::Contains("'suburban'"), Error);
}

TEST_CASE("hierarchy.names.change_kinds_round_trip") {
    for (ChangeKind k : {ChangeKind::add, ChangeKind::rename, ChangeKind::move, ChangeKind::retire,
                         ChangeKind::set_value, ChangeKind::split, ChangeKind::merge}) {
        CHECK(parse_change_kind(change_kind_name(k)) == k);
    }
    CHECK(std::string(change_kind_name(ChangeKind::set_value)) == "set_value");
    CHECK_THROWS_WITH_AS(parse_change_kind("delete"), doctest::Contains("'delete'"), Error);
}

TEST_CASE("hierarchy.sizing.presets_cite_their_sources") {
    const auto& presets = SizingPolicy::presets();
    REQUIRE(presets.size() == 4);
    CHECK(presets[0].name == "none");
    CHECK(presets[0].rules.empty());
    for (std::size_t i = 1; i < presets.size(); ++i) {
        CAPTURE(presets[i].name);
        CHECK_FALSE(presets[i].rules.empty());
        for (const SizingRule& r : presets[i].rules) {
            CHECK(r.level == "grid");
            CHECK(r.min_households < r.max_households);
            CHECK_FALSE(r.source.empty());
        }
    }
    const SizingPolicy rural = SizingPolicy::rural_township_150();
    CHECK(rural.rules[0].min_households <= 150);
    CHECK(rural.rules[0].max_households >= 150);
    CHECK(rural.rules[0].source.find("seed 000") != std::string::npos);
    CHECK(SizingPolicy::urban_rural_mixed().rules[0].source.find("seed 001 篇6") !=
          std::string::npos);
}

// ---- adding nodes -----------------------------------------------------------------------

TEST_CASE("hierarchy.add.ids_are_dense_in_creation_order") {
    Hierarchy h;
    CHECK(h.add(spec("341024", "", "HS县", "county")) == 0);
    CHECK(h.add(spec("341024100", "341024", "xx镇", "township")) == 1);
    CHECK(h.add(spec("341024100201", "341024100", "东村", "village")) == 2);
    CHECK(h.id_count() == 3);
    CHECK(h.size() == 3);
    CHECK(h.code(2) == "341024100201");
    CHECK(h.name(2) == "东村");
    CHECK(h.level(2) == 4);
    CHECK(h.parent(2) == 1);
    CHECK(h.parent(0) == no_node);
    CHECK(h.created_on(2) == Date::min());
    CHECK(h.retired_on(2) == Date::max());
    REQUIRE(h.history().size() == 3);
    CHECK(h.history()[2].kind == ChangeKind::add);
    CHECK(h.history()[2].seq == 3);
    CHECK(h.history()[2].node == 2);
    CHECK(h.history()[2].spec.name == "东村");
}

TEST_CASE("hierarchy.add.keeps_every_attribute") {
    Hierarchy h;
    h.add(spec("341024", "", "HS县", "county"));
    NodeSpec s = spec("341024100", "341024", "县第一中学", "township", 0);
    s.kind = GridKind::dedicated;
    s.area_type = AreaType::urban;
    s.area_class = "一类";
    s.population = 1800;
    s.area_m2 = 52000;
    s.attributes = {{"shops", 12}, {"hydrants", 4}};
    s.geometry = R"({"type":"Point","coordinates":[118.8,35.2]})";
    const NodeId id = h.add(s, d("2024-01-01"));
    CHECK(h.kind(id) == GridKind::dedicated);
    CHECK(h.area_type(id) == AreaType::urban);
    CHECK(h.area_class(id) == "一类");
    CHECK(h.geometry(id) == s.geometry);
    CHECK(h.created_on(id) == d("2024-01-01"));
    CHECK(h.value(id, "households") == 0);
    CHECK(h.value(id, "population") == 1800);
    CHECK(h.value(id, "area_m2") == 52000);
    CHECK(h.value(id, "shops") == 12);
    CHECK(h.column_names() ==
          std::vector<std::string>{"households", "population", "area_m2", "shops", "hydrants"});
    CHECK(is_missing(h.value(0, "shops")));
    CHECK(h.column("hydrants").size() == h.id_count());
}

TEST_CASE("hierarchy.add.refuses_naming_the_code_and_field") {
    Hierarchy h = township();
    SUBCASE("duplicate code") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024100201", "341024100", "又一村", "village")),
                             doctest::Contains("341024100201 is already used"), Error);
        CHECK(error_code_of([&] { h.add(spec("341024100201", "341024100", "x", "village")); }) ==
              ErrorCode::already_exists);
    }
    SUBCASE("unknown parent") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024199201", "341024199", "x", "village")),
                             doctest::Contains("parent 341024199"), Error);
        CHECK(error_code_of([&] { h.add(spec("341024199201", "341024199", "x", "village")); }) ==
              ErrorCode::not_found);
    }
    SUBCASE("unknown level") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024100205", "341024100", "x", "vilage")),
                             doctest::Contains("unknown level 'vilage'"), Error);
    }
    SUBCASE("level not below the parent's") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024100205", "341024100", "x", "township")),
                             doctest::Contains("341024100205: level 'township'"), Error);
    }
    SUBCASE("empty name") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024100205", "341024100", "", "village")),
                             doctest::Contains("341024100205: the name is empty"), Error);
    }
    SUBCASE("infinite value") {
        CHECK_THROWS_WITH_AS(h.add(spec("341024100205", "341024100", "x", "village", infinity)),
                             doctest::Contains("households is infinite"), Error);
    }
    SUBCASE("built-in column as attribute") {
        NodeSpec s = spec("341024100205", "341024100", "x", "village");
        s.attributes = {{"households", 3}};
        CHECK_THROWS_WITH_AS(h.add(s), doctest::Contains("'households' is a built-in column"),
                             Error);
    }
    CHECK(h.id_count() == 20);
    CHECK(dump(h) == dump(township()));
}

TEST_CASE("hierarchy.add.roots_may_sit_at_any_level_and_levels_may_be_skipped") {
    Hierarchy h;
    const NodeId street = h.add(spec("371327001", "", "十字路街道", "township"));
    const NodeId grid = h.add(spec("371327001000001", "371327001", "街道直属网格", "grid", 150));
    CHECK(h.parent(grid) == street);
    CHECK(h.depth(grid) == 1);
    const NodeId other_root = h.add(spec("3713", "", "临沂市", "city"));
    CHECK(ids(h.roots()) == std::vector<NodeId>{street, other_root});
}

TEST_CASE("hierarchy.add_all.loads_parents_in_any_order") {
    SUBCASE("parent-first input keeps the spec order as id order") {
        Hierarchy h;
        const std::vector<NodeId> got = h.add_all(township_specs());
        REQUIRE(got.size() == 20);
        for (NodeId i = 0; i < 20; ++i) {
            CHECK(got[i] == i);
        }
    }
    SUBCASE("children before parents: parents get the lower ids") {
        Hierarchy h;
        const std::vector<NodeId> got =
            h.add_all({spec("341024100201001", "341024100201", "东村第1网格", "grid", 152),
                       spec("341024100201", "341024100", "东村", "village"),
                       spec("341024100", "", "xx镇", "township")});
        CHECK(got == std::vector<NodeId>{2, 1, 0});
        CHECK(h.code(0) == "341024100");
        CHECK(h.parent(2) == 1);
        CHECK(h.parent(1) == 0);
        REQUIRE(h.history().size() == 3);
        CHECK(h.history()[0].spec.code == "341024100");
        CHECK(h.history()[2].spec.code == "341024100201001");
    }
    SUBCASE("under existing nodes") {
        Hierarchy h = township();
        const std::vector<NodeId> got =
            h.add_all({spec("341024100205001", "341024100205", "新村第1网格", "grid", 150),
                       spec("341024100205", "341024100", "新村", "village")},
                      d("2025-01-01"));
        CHECK(got == std::vector<NodeId>{21, 20});
        CHECK(h.parent(20) == township_id);
        CHECK(ids(h.children(township_id)) ==
              std::vector<NodeId>{east_id, west_id, south_id, north_id, 20});
    }
    SUBCASE("nothing at all") {
        Hierarchy h = township();
        CHECK(h.add_all({}).empty());
        CHECK(h.history().size() == 20);
    }
}

TEST_CASE("hierarchy.add_all.refuses_the_first_offending_spec_and_adds_nothing") {
    Hierarchy h = township();
    const std::string before = dump(h);
    std::vector<NodeSpec> batch{spec("341024100205", "341024100", "新村", "village"),
                                spec("341024100205001", "341024100205", "新村第1网格", "grid"),
                                spec("341024100205002", "341024100299", "新村第2网格", "grid"),
                                spec("341024100205", "341024100", "新村", "village")};
    CHECK_THROWS_WITH_AS(h.add_all(batch),
                         doctest::Contains("spec 2 (341024100205002): parent 341024100299"), Error);
    CHECK(error_code_of([&] { h.add_all(batch); }) == ErrorCode::not_found);
    CHECK(dump(h) == before);
    batch[2].parent_code = "341024100205";
    CHECK_THROWS_WITH_AS(
        h.add_all(batch),
        doctest::Contains("spec 3 (341024100205): code 341024100205 repeats spec 0"), Error);
    CHECK(dump(h) == before);
    batch.pop_back();
    CHECK(h.add_all(batch).size() == 3);
}

TEST_CASE("hierarchy.add_all.bulk_load_of_a_large_forest_indexes_correctly") {
    // A synthetic forest: 2 counties, 20 townships each, 15 villages each, 6 grids each
    // (4,242 nodes), given children first to exercise the ordering.
    std::vector<NodeSpec> specs;
    for (int c = 1; c <= 2; ++c) {
        const std::string county = "3713" + std::to_string(10 + c);
        for (int t = 1; t <= 20; ++t) {
            const std::string town = county + std::to_string(100 + t);
            for (int v = 1; v <= 15; ++v) {
                const std::string village = town + std::to_string(200 + v);
                for (int g = 1; g <= 6; ++g) {
                    specs.push_back(
                        spec(village + "00" + std::to_string(g), village, "网格", "grid", 140 + g));
                }
                specs.push_back(spec(village, town, "村", "village"));
            }
            specs.push_back(spec(town, county, "镇", "township"));
        }
        specs.push_back(spec(county, "", "县", "county"));
    }
    Hierarchy h;
    const std::vector<NodeId> got = h.add_all(specs);
    REQUIRE(h.size() == specs.size());
    for (std::size_t i = 0; i < specs.size(); ++i) {
        REQUIRE(h.code(got[i]) == specs[i].code);
    }
    CHECK(h.roots().size() == 2);
    std::mt19937 rng(7);
    std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(h.id_count() - 1));
    for (int k = 0; k < 2000; ++k) {
        const NodeId a = pick(rng);
        const NodeId b = pick(rng);
        const std::vector<NodeId> pa = h.path_to_root(a);
        const std::vector<NodeId> pb = h.path_to_root(b);
        const bool naive_ancestor = std::find(pb.begin(), pb.end(), a) != pb.end();
        REQUIRE(h.is_ancestor(a, b) == naive_ancestor);
        NodeId naive_lca = no_node;
        for (NodeId x : pa) {
            if (std::find(pb.begin(), pb.end(), x) != pb.end()) {
                naive_lca = x;
                break;
            }
        }
        REQUIRE(h.lowest_common_ancestor(a, b) == naive_lca);
    }
    const RollUp r = h.roll_up("households");
    CHECK(r.sum[h.at("371311")] == 20 * 15 * (6 * 140 + 21));
    CHECK(r.count[h.at("371312")] == 20 * 15 * 6);
}

// ---- queries ----------------------------------------------------------------------------

TEST_CASE("hierarchy.query.find_and_at_resolve_live_codes") {
    Hierarchy h = township();
    CHECK(h.find("341024100203") == south_id);
    CHECK_FALSE(h.find("341024100209").has_value());
    CHECK(h.at("341024100204001") == 15);
    CHECK_THROWS_WITH_AS(h.at("341024100209"), doctest::Contains("341024100209"), Error);
    CHECK(error_code_of([&] { (void)h.at("341024100209"); }) == ErrorCode::not_found);
    h.retire(13, d("2025-01-01"));
    CHECK_FALSE(h.find("341024100203002").has_value());
    CHECK_THROWS_WITH_AS(h.at("341024100203002"), doctest::Contains("retired on 2025-01-01"),
                         Error);
}

TEST_CASE("hierarchy.query.children_are_a_slice_in_preorder") {
    const Hierarchy h = township();
    CHECK(ids(h.children(township_id)) ==
          std::vector<NodeId>{east_id, west_id, south_id, north_id});
    CHECK(ids(h.children(east_id)) == std::vector<NodeId>{3, 4, 5, 6});
    CHECK(ids(h.children(north_id)) == std::vector<NodeId>{15, 16, 17, 18, 19});
    CHECK(h.children(3).empty());
    CHECK(ids(h.roots()) == std::vector<NodeId>{county_id});
    const std::vector<NodeId>& pre = h.preorder();
    REQUIRE(pre.size() == 20);
    for (NodeId i = 0; i < 20; ++i) {
        CHECK(pre[i] == i);
        CHECK(h.preorder_position(i) == i);
    }
}

TEST_CASE("hierarchy.query.children_follow_creation_order_after_a_move") {
    Hierarchy h = township();
    h.move(12, east_id, d("2025-01-01"));
    CHECK(ids(h.children(east_id)) == std::vector<NodeId>{3, 4, 5, 6, 12});
    CHECK(ids(h.children(south_id)) == std::vector<NodeId>{13});
    CHECK(h.preorder_position(12) == 7);
}

TEST_CASE("hierarchy.query.subtree_is_a_contiguous_preorder_range") {
    const Hierarchy h = township();
    const PreorderRange west = h.subtree(west_id);
    CHECK(west.begin == 7);
    CHECK(west.end == 11);
    CHECK(west.size() == 4);
    const PreorderRange all = h.subtree(county_id);
    CHECK(all.begin == 0);
    CHECK(all.end == 20);
    const PreorderRange leaf = h.subtree(19);
    CHECK(leaf.size() == 1);
    for (NodeId n = 0; n < h.id_count(); ++n) {
        const PreorderRange r = h.subtree(n);
        for (std::uint32_t p = r.begin; p < r.end; ++p) {
            CHECK(h.is_ancestor(n, h.preorder()[p]));
        }
    }
}

TEST_CASE("hierarchy.query.is_ancestor_includes_the_node_itself") {
    Hierarchy h = township();
    CHECK(h.is_ancestor(county_id, 19));
    CHECK(h.is_ancestor(north_id, 19));
    CHECK(h.is_ancestor(19, 19));
    CHECK_FALSE(h.is_ancestor(19, north_id));
    CHECK_FALSE(h.is_ancestor(east_id, 8));
    CHECK_FALSE(h.is_ancestor(no_node, 3));
    CHECK_FALSE(h.is_ancestor(3, 999));
    h.retire(13, d("2025-01-01"));
    CHECK_FALSE(h.is_ancestor(south_id, 13));
    CHECK_FALSE(h.is_ancestor(13, 13));
}

TEST_CASE("hierarchy.query.lca_in_one_tree") {
    const Hierarchy h = township();
    CHECK(h.lowest_common_ancestor(3, 6) == east_id);
    CHECK(h.lowest_common_ancestor(3, 19) == township_id);
    CHECK(h.lowest_common_ancestor(east_id, 5) == east_id);
    CHECK(h.lowest_common_ancestor(5, east_id) == east_id);
    CHECK(h.lowest_common_ancestor(8, 8) == 8);
    CHECK(h.lowest_common_ancestor(county_id, 12) == county_id);
}

TEST_CASE("hierarchy.query.lca_of_different_trees_is_no_node") {
    Hierarchy h = township();
    h.add_all({spec("371327", "", "莒南县", "county"),
               spec("371327001", "371327", "十字路街道", "township")});
    CHECK(h.lowest_common_ancestor(3, 21) == no_node);
    CHECK(h.lowest_common_ancestor(20, county_id) == no_node);
    CHECK(h.lowest_common_ancestor(21, 20) == 20);
}

TEST_CASE("hierarchy.query.path_to_root_and_depth") {
    const Hierarchy h = township();
    CHECK(h.path_to_root(17) == std::vector<NodeId>{17, north_id, township_id, county_id});
    CHECK(h.path_to_root(county_id) == std::vector<NodeId>{county_id});
    CHECK(h.depth(county_id) == 0);
    CHECK(h.depth(township_id) == 1);
    CHECK(h.depth(17) == 3);
}

TEST_CASE("hierarchy.query.nodes_at_level_in_preorder") {
    const Hierarchy h = township();
    CHECK(h.nodes_at_level(4) == std::vector<NodeId>{east_id, west_id, south_id, north_id});
    CHECK(h.nodes_at_level(5).size() == 14);
    CHECK(h.nodes_at_level(0).empty());
    CHECK_THROWS_WITH_AS(h.nodes_at_level(9), doctest::Contains("level index 9"), Error);
}

TEST_CASE("hierarchy.query.retired_nodes_keep_identity_but_leave_the_structure") {
    Hierarchy h = township();
    h.retire(13, d("2025-01-01"));
    CHECK(h.id_count() == 20);
    CHECK(h.size() == 19);
    CHECK_FALSE(h.is_live(13));
    CHECK_FALSE(h.is_live(no_node));
    CHECK(h.code(13) == "341024100203002");
    CHECK(h.parent(13) == south_id);
    CHECK(h.retired_on(13) == d("2025-01-01"));
    CHECK(ids(h.children(south_id)) == std::vector<NodeId>{12});
    CHECK(std::find(h.preorder().begin(), h.preorder().end(), 13) == h.preorder().end());
    CHECK_THROWS_WITH_AS(h.subtree(13), doctest::Contains("retired on 2025-01-01"), Error);
    CHECK_THROWS_AS(h.depth(13), Error);
    CHECK_THROWS_AS(h.lowest_common_ancestor(13, 12), Error);
    CHECK_THROWS_WITH_AS(h.code(20), doctest::Contains("no node with id 20"), Error);
}

// ---- numeric columns and roll-ups -------------------------------------------------------

TEST_CASE("hierarchy.columns.unknown_column_is_named") {
    const Hierarchy h = township();
    CHECK(h.has_column("households"));
    CHECK_FALSE(h.has_column("shops"));
    CHECK_THROWS_WITH_AS(h.column("shops"), doctest::Contains("'shops'"), Error);
    CHECK(error_code_of([&] { (void)h.value(3, "shops"); }) == ErrorCode::not_found);
    CHECK(h.value(3, "households") == 152);
    CHECK(is_missing(h.value(east_id, "households")));
}

TEST_CASE("hierarchy.rollup.households_of_the_township") {
    const Hierarchy h = township();
    const RollUp r = h.roll_up("households");
    CHECK(r.sum[east_id] == 612);
    CHECK(r.sum[west_id] == 455);
    CHECK(r.sum[south_id] == 298);
    CHECK(r.sum[north_id] == 760);
    CHECK(r.sum[township_id] == 2125);
    CHECK(r.sum[county_id] == 2125);
    CHECK(r.sum[5] == 160);
    CHECK(r.count[township_id] == 14);
    CHECK(r.count[east_id] == 4);
    CHECK(r.min[township_id] == 148);
    CHECK(r.max[township_id] == 160);
    CHECK(r.min[north_id] == 149);
    CHECK(r.max[north_id] == 158);
    CHECK(r.min[west_id] == 150);
    CHECK(r.max[west_id] == 155);
}

TEST_CASE("hierarchy.rollup.missing_values_and_retired_ids") {
    Hierarchy h = township();
    h.retire(13, d("2025-01-01"));
    h.set_value(east_id, "population", 2000, d("2025-01-01"));
    h.set_value(3, "population", 480, d("2025-01-01"));
    const RollUp r = h.roll_up("population");
    CHECK(r.sum[east_id] == 2480);
    CHECK(r.count[east_id] == 2);
    CHECK(r.sum[township_id] == 2480);
    CHECK(r.sum[west_id] == 0);
    CHECK(r.count[west_id] == 0);
    CHECK(is_missing(r.min[west_id]));
    CHECK(is_missing(r.max[west_id]));
    CHECK(is_missing(r.sum[13]));
    CHECK(r.count[13] == 0);
    const RollUp hh = h.roll_up("households");
    CHECK(hh.sum[south_id] == 148);
}

TEST_CASE("hierarchy.rollup.external_values") {
    const Hierarchy h = township();
    std::vector<double> cases(h.id_count(), missing_value);
    cases[3] = 5;
    cases[4] = 1;
    cases[19] = 7;
    cases[north_id] = 2;
    const RollUp r = h.roll_up(cases);
    CHECK(r.sum[township_id] == 15);
    CHECK(r.sum[north_id] == 9);
    CHECK(r.count[township_id] == 4);
    CHECK(r.max[east_id] == 5);
    CHECK(r.min[county_id] == 1);
    CHECK_THROWS_WITH_AS(h.roll_up(std::vector<double>(3, 1.0)),
                         doctest::Contains("got 3 values for 20 ids"), Error);
}

TEST_CASE("hierarchy.rollup.sum_records_matches_a_naive_loop") {
    Hierarchy h = county_seat();
    h.retire(seat_grid_id(4, 2), d("2025-01-01"));
    h.retire(seat_grid_id(9, 3), d("2025-01-01"));
    std::mt19937 rng(2024);
    std::uniform_int_distribution<NodeId> node(0, static_cast<NodeId>(h.id_count() - 1));
    std::uniform_int_distribution<int> weight(1, 9);
    const std::size_t n = 100000;
    std::vector<NodeId> at(n);
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) {
        at[i] = i % 97 == 0 ? no_node : node(rng);
        w[i] = weight(rng);
    }
    std::vector<double> naive_count(h.id_count(), 0);
    std::vector<double> naive_weight(h.id_count(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!h.is_live(at[i])) {
            continue;
        }
        for (NodeId a : h.path_to_root(at[i])) {
            naive_count[a] += 1;
            naive_weight[a] += w[i];
        }
    }
    const std::vector<double> counted = h.sum_records(at.data(), nullptr, n);
    const std::vector<double> weighted = h.sum_records(at.data(), w.data(), n);
    REQUIRE(counted.size() == h.id_count());
    for (NodeId id = 0; id < h.id_count(); ++id) {
        CAPTURE(id);
        if (h.is_live(id)) {
            CHECK(counted[id] == naive_count[id]);
            CHECK(weighted[id] == naive_weight[id]);
        } else {
            CHECK(is_missing(counted[id]));
            CHECK(is_missing(weighted[id]));
        }
    }
}

TEST_CASE("hierarchy.rollup.sum_records_edge_cases") {
    const Hierarchy h = township();
    const std::vector<double> none = h.sum_records(nullptr, nullptr, 0);
    CHECK(none[county_id] == 0);
    const NodeId bad[] = {3, 57};
    CHECK_THROWS_WITH_AS(h.sum_records(bad, nullptr, 2),
                         doctest::Contains("record 1 is located at node id 57"), Error);
    CHECK_THROWS_WITH_AS(h.sum_records(nullptr, nullptr, 4),
                         doctest::Contains("record_nodes is null"), Error);
}

// ---- changes and history ----------------------------------------------------------------

TEST_CASE("hierarchy.change.rename_as_of_before_and_after") {
    Hierarchy h = township();
    h.rename(east_id, "东风村", d("2025-03-01"));
    CHECK(h.name(east_id) == "东风村");
    CHECK(h.as_of(d("2025-02-28")).name(east_id) == "东村");
    CHECK(h.as_of(d("2025-03-01")).name(east_id) == "东风村");
    const HierarchyChange& c = h.history().back();
    CHECK(c.kind == ChangeKind::rename);
    CHECK(c.text == "东风村");
    CHECK(c.effective == d("2025-03-01"));
    CHECK_THROWS_WITH_AS(
        h.rename(east_id, "", d("2025-04-01")),
        doctest::Contains("rename of 341024100201 (东风村): the new name is empty"), Error);
}

TEST_CASE("hierarchy.change.move_as_of_before_and_after") {
    Hierarchy h = township();
    h.move(12, east_id, d("2025-04-01"));
    CHECK(h.parent(12) == east_id);
    CHECK(h.roll_up("households").sum[east_id] == 612 + 148);
    const HierarchyChange& c = h.history().back();
    CHECK(c.kind == ChangeKind::move);
    CHECK(c.node == 12);
    CHECK(c.target == east_id);

    const Hierarchy before = h.as_of(d("2025-03-31"));
    CHECK(before.parent(12) == south_id);
    CHECK(ids(before.children(south_id)) == std::vector<NodeId>{12, 13});
    CHECK(before.roll_up("households").sum[east_id] == 612);
    const Hierarchy after = h.as_of(d("2025-04-01"));
    CHECK(after.parent(12) == east_id);
    CHECK(dump(after).substr(0, dump(after).find("history")) ==
          dump(h).substr(0, dump(h).find("history")));
}

TEST_CASE("hierarchy.change.move_takes_the_whole_subtree_and_may_make_a_root") {
    Hierarchy h = township();
    h.add(spec("341024101", "341024", "yy乡", "township"));
    h.move(north_id, 20, d("2025-01-01"));
    CHECK(h.lowest_common_ancestor(19, 20) == 20);
    CHECK(h.depth(19) == 3);
    CHECK(h.subtree(20).size() == 7);
    h.move(20, no_node, d("2025-02-01"));
    CHECK(ids(h.roots()) == std::vector<NodeId>{county_id, 20});
    CHECK(h.lowest_common_ancestor(19, 3) == no_node);
    CHECK(h.as_of(d("2025-01-15")).parent(20) == county_id);
}

TEST_CASE("hierarchy.change.move_refusals") {
    Hierarchy h = township();
    const std::string before = dump(h);
    CHECK_THROWS_WITH_AS(h.move(township_id, 3, d("2025-01-01")),
                         doctest::Contains("new parent lies in the node's own subtree"), Error);
    CHECK_THROWS_WITH_AS(h.move(east_id, west_id, d("2025-01-01")),
                         doctest::Contains("level 'village' is not below the new parent's level "
                                           "'village'"),
                         Error);
    CHECK_THROWS_WITH_AS(h.move(3, 999, d("2025-01-01")), doctest::Contains("no node with id 999"),
                         Error);
    CHECK(dump(h) == before);
}

TEST_CASE("hierarchy.change.retire_as_of_before_and_after") {
    Hierarchy h = township();
    h.retire(19, d("2025-05-01"));
    const Hierarchy before = h.as_of(d("2025-04-30"));
    const Hierarchy after = h.as_of(d("2025-05-01"));
    CHECK(before.is_live(19));
    CHECK(before.retired_on(19) == Date::max());
    CHECK(before.find("341024100204005") == NodeId{19});
    CHECK_FALSE(after.is_live(19));
    CHECK(after.retired_on(19) == d("2025-05-01"));
    CHECK_FALSE(after.find("341024100204005").has_value());
    CHECK(after.roll_up("households").sum[north_id] == 760 - 151);
}

TEST_CASE("hierarchy.change.retire_refuses_a_node_with_live_children") {
    Hierarchy h = township();
    const std::string before = dump(h);
    CHECK_THROWS_WITH_AS(h.retire(south_id, d("2025-01-01")),
                         doctest::Contains("retire of 341024100203 (南村): it has 2 live children "
                                           "(first: 341024100203001"),
                         Error);
    CHECK(error_code_of([&] { h.retire(south_id, d("2025-01-01")); }) == ErrorCode::invalid_state);
    CHECK(dump(h) == before);
    h.retire(12, d("2025-01-01"));
    h.retire(13, d("2025-01-01"));
    h.retire(south_id, d("2025-01-01"));
    CHECK_FALSE(h.is_live(south_id));
    CHECK_THROWS_WITH_AS(h.retire(south_id, d("2025-02-01")), doctest::Contains("is not live"),
                         Error);
    CHECK_THROWS_WITH_AS(h.add(spec("341024100203", "341024100", "南村", "village")),
                         doctest::Contains("codes are never reused"), Error);
}

TEST_CASE("hierarchy.change.set_value_as_of_before_and_after") {
    Hierarchy h = township();
    h.set_value(3, "households", 171, d("2025-06-01"));
    h.set_value(3, "shops", 4, d("2025-06-01"));
    CHECK(h.value(3, "households") == 171);
    CHECK(h.value(3, "shops") == 4);
    CHECK(h.history().back().kind == ChangeKind::set_value);
    CHECK(h.history().back().text == "shops");
    CHECK(h.history().back().value == 4);
    const Hierarchy before = h.as_of(d("2025-05-31"));
    CHECK(before.value(3, "households") == 152);
    CHECK(before.has_column("shops"));
    CHECK(is_missing(before.value(3, "shops")));
    CHECK(h.as_of(d("2025-06-01")).value(3, "households") == 171);
    h.set_value(3, "shops", missing_value, d("2025-07-01"));
    CHECK(is_missing(h.value(3, "shops")));
    CHECK_THROWS_WITH_AS(h.set_value(3, "households", infinity, d("2025-07-01")),
                         doctest::Contains("households must be finite"), Error);
    CHECK_THROWS_WITH_AS(h.set_value(3, "", 1, d("2025-07-01")),
                         doctest::Contains("column name is empty"), Error);
}

TEST_CASE("hierarchy.change.split_as_of_before_and_after") {
    Hierarchy h = township();
    const std::vector<NodeId> parts =
        h.split(5,
                {spec("341024100201005", "", "东村第5网格", "grid", 80),
                 spec("341024100201006", "341024100201", "东村第6网格", "grid", 80)},
                d("2025-07-01"));
    CHECK(parts == std::vector<NodeId>{20, 21});
    CHECK_FALSE(h.is_live(5));
    CHECK(h.parent(20) == east_id);
    CHECK(ids(h.children(east_id)) == std::vector<NodeId>{3, 4, 6, 20, 21});
    CHECK(h.roll_up("households").sum[east_id] == 612 - 160 + 160);
    const auto& hist = h.history();
    REQUIRE(hist.size() == 23);
    CHECK(hist[20].kind == ChangeKind::add);
    CHECK(hist[20].spec.parent_code == "341024100201");
    CHECK(hist[21].kind == ChangeKind::add);
    CHECK(hist[22].kind == ChangeKind::split);
    CHECK(hist[22].node == 5);
    CHECK(hist[22].related == parts);

    const Hierarchy before = h.as_of(d("2025-06-30"));
    CHECK(before.id_count() == 22);
    CHECK(before.is_live(5));
    CHECK_FALSE(before.is_live(20));
    CHECK(before.code(20) == "341024100201005");
    CHECK(before.created_on(20) == d("2025-07-01"));
    CHECK(ids(before.children(east_id)) == std::vector<NodeId>{3, 4, 5, 6});
    const Hierarchy after = h.as_of(d("2025-07-01"));
    CHECK_FALSE(after.is_live(5));
    CHECK(after.is_live(20));
    CHECK(after.is_live(21));
}

TEST_CASE("hierarchy.change.split_refusals") {
    Hierarchy h = township();
    const std::string before = dump(h);
    CHECK_THROWS_WITH_AS(
        h.split(east_id, {spec("341024100205", "", "x", "village")}, d("2025-01-01")),
        doctest::Contains("split of 341024100201 (东村): it has 4 live children"), Error);
    CHECK_THROWS_WITH_AS(
        h.split(
            5, {spec("341024100201005", "", "a", "grid"), spec("341024100201004", "", "b", "grid")},
            d("2025-01-01")),
        doctest::Contains("part spec 1 (341024100201004): code 341024100201004 is already used"),
        Error);
    CHECK_THROWS_WITH_AS(
        h.split(5, {spec("341024100201005", "341024100202", "a", "grid")}, d("2025-01-01")),
        doctest::Contains("names parent 341024100202 but must hang under "
                          "341024100201"),
        Error);
    CHECK_THROWS_WITH_AS(h.split(5, {}, d("2025-01-01")), doctest::Contains("no parts"), Error);
    CHECK(dump(h) == before);
}

TEST_CASE("hierarchy.change.merge_grids_as_of_before_and_after") {
    Hierarchy h = township();
    const NodeId merged = h.merge(
        {12, 13}, spec("341024100203003", "", "南村合并网格", "grid", 298), d("2025-08-01"));
    CHECK(merged == 20);
    CHECK(ids(h.children(south_id)) == std::vector<NodeId>{20});
    CHECK_FALSE(h.is_live(12));
    CHECK(h.retired_on(13) == d("2025-08-01"));
    const HierarchyChange& c = h.history().back();
    CHECK(c.kind == ChangeKind::merge);
    CHECK(c.node == 12);
    CHECK(c.target == 20);
    CHECK(c.related == std::vector<NodeId>{12, 13});
    const Hierarchy before = h.as_of(d("2025-07-31"));
    CHECK(ids(before.children(south_id)) == std::vector<NodeId>{12, 13});
    CHECK_FALSE(before.is_live(20));
    CHECK(h.as_of(d("2025-08-01")).is_live(20));
}

TEST_CASE("hierarchy.change.merge_villages_moves_their_grids") {
    Hierarchy h = township();
    const NodeId merged =
        h.merge({west_id, south_id}, spec("341024100205", "341024100", "西南村", "village"),
                d("2025-09-01"));
    CHECK(ids(h.children(merged)) == std::vector<NodeId>{8, 9, 10, 12, 13});
    CHECK(h.roll_up("households").sum[merged] == 455 + 298);
    std::vector<ChangeKind> kinds;
    for (std::size_t i = 20; i < h.history().size(); ++i) {
        kinds.push_back(h.history()[i].kind);
    }
    CHECK(kinds == std::vector<ChangeKind>{ChangeKind::add, ChangeKind::move, ChangeKind::move,
                                           ChangeKind::move, ChangeKind::move, ChangeKind::move,
                                           ChangeKind::merge});
    const Hierarchy before = h.as_of(d("2025-08-31"));
    CHECK(before.parent(8) == west_id);
    CHECK(before.parent(12) == south_id);
    CHECK(ids(before.children(township_id)) ==
          std::vector<NodeId>{east_id, west_id, south_id, north_id});
    const Hierarchy after = h.as_of(d("2025-09-01"));
    CHECK(ids(after.children(township_id)) == std::vector<NodeId>{east_id, north_id, merged});
}

TEST_CASE("hierarchy.change.merge_refusals") {
    Hierarchy h = township();
    const std::string before = dump(h);
    CHECK_THROWS_WITH_AS(h.merge({3, 8}, spec("341024100201009", "", "x", "grid"), d("2025-01-01")),
                         doctest::Contains("have different parents"), Error);
    CHECK_THROWS_WITH_AS(h.merge({3}, spec("341024100201009", "", "x", "grid"), d("2025-01-01")),
                         doctest::Contains("at least two sources"), Error);
    CHECK_THROWS_WITH_AS(h.merge({3, 3}, spec("341024100201009", "", "x", "grid"), d("2025-01-01")),
                         doctest::Contains("listed twice"), Error);
    CHECK_THROWS_WITH_AS(
        h.merge({west_id, south_id}, spec("341024100205", "", "x", "county"), d("2025-01-01")),
        doctest::Contains("level 'county' is not below the level 'township' of its "
                          "parent 341024100 (xx镇)"),
        Error);
    CHECK_THROWS_WITH_AS(
        h.merge({west_id, south_id}, spec("341024100205", "", "x", "grid"), d("2025-01-01")),
        doctest::Contains(
            "child 341024100202001 (西村第1网格) has level 'grid', not below the merged "
            "node's level 'grid'"),
        Error);
    CHECK_THROWS_WITH_AS(h.merge({3, 4}, spec("341024100201001", "", "x", "grid"), d("2025-01-01")),
                         doctest::Contains("already used"), Error);
    CHECK(dump(h) == before);
}

TEST_CASE("hierarchy.history.back_dated_change_is_refused_naming_code_and_dates") {
    Hierarchy h = township();
    h.rename(east_id, "东风村", d("2025-06-01"));
    const std::string before = dump(h);
    SUBCASE("the same node") {
        CHECK_THROWS_WITH_AS(
            h.rename(east_id, "东方村", d("2025-01-01")),
            doctest::Contains("rename of 341024100201 (东风村) effective 2025-01-01 "
                              "is before the latest change recorded for "
                              "341024100201 (东风村) on 2025-06-01"),
            Error);
        CHECK(error_code_of([&] { h.rename(east_id, "东方村", d("2025-01-01")); }) ==
              ErrorCode::invalid_argument);
        CHECK(dump(h) == before);
    }
    SUBCASE("the new parent of a move") {
        CHECK_THROWS_WITH_AS(h.move(12, east_id, d("2025-03-01")),
                             doctest::Contains("341024100201 (东风村) on 2025-06-01"), Error);
        CHECK(dump(h) == before);
    }
    SUBCASE("the parent of a new node") {
        CHECK_THROWS_WITH_AS(
            h.add(spec("341024100201005", "341024100201", "x", "grid"), d("2025-05-01")),
            doctest::Contains("add of 341024100201005 effective 2025-05-01"), Error);
        CHECK(dump(h) == before);
    }
    SUBCASE("the parent of a retired node") {
        CHECK_THROWS_WITH_AS(h.retire(3, d("2025-05-31")), doctest::Contains("on 2025-06-01"),
                             Error);
        CHECK(dump(h) == before);
    }
    SUBCASE("a node before its creation") {
        h.add(spec("341024100205", "341024100", "新村", "village"), d("2025-06-01"));
        CHECK_THROWS_WITH_AS(h.set_value(20, "population", 10, d("2025-01-01")),
                             doctest::Contains("latest change recorded for 341024100205 (新村) on "
                                               "2025-06-01"),
                             Error);
    }
    SUBCASE("the same date is not before") {
        h.rename(east_id, "东方村", d("2025-06-01"));
        CHECK(h.name(east_id) == "东方村");
    }
}

TEST_CASE("hierarchy.history.back_dated_changes_elsewhere_are_accepted") {
    Hierarchy h = township();
    h.rename(east_id, "东风村", d("2025-06-01"));
    h.set_value(19, "households", 160, d("2025-01-01"));
    h.move(13, west_id, d("2025-02-01"));
    CHECK(h.history().back().effective == d("2025-02-01"));
    const Hierarchy feb = h.as_of(d("2025-02-15"));
    CHECK(feb.name(east_id) == "东村");
    CHECK(feb.parent(13) == west_id);
    CHECK(feb.value(19, "households") == 160);
}

TEST_CASE("hierarchy.history.snapshot_is_read_only") {
    const Hierarchy h = township();
    Hierarchy snap = h.as_of(d("2025-01-01"));
    CHECK(dump(snap) == dump(h));
    CHECK_THROWS_WITH_AS(snap.rename(3, "x", d("2025-02-01")),
                         doctest::Contains("snapshot as of 2025-01-01"), Error);
    CHECK(error_code_of([&] { snap.add(spec("341024100205", "341024100", "x", "village")); }) ==
          ErrorCode::invalid_state);
    // The bulk load is effective since forever.
    CHECK(h.as_of(Date::from_ymd(1900, 1, 1)).size() == 20);
}

TEST_CASE("hierarchy.history.as_of_before_creation_has_no_live_nodes") {
    Hierarchy h;
    h.add_all(township_specs(), d("2020-01-01"));
    const Hierarchy before = h.as_of(d("2019-12-31"));
    CHECK(before.id_count() == 20);
    CHECK(before.size() == 0);
    CHECK(before.preorder().empty());
    CHECK(before.roots().empty());
    CHECK(before.code(19) == "341024100204005");
    CHECK_THROWS_WITH_AS(before.subtree(19),
                         doctest::Contains("created on 2020-01-01, after this snapshot of "
                                           "2019-12-31"),
                         Error);
    CHECK(h.as_of(d("2020-01-01")).size() == 20);
}

TEST_CASE("hierarchy.history.from_history_rebuilds_the_same_hierarchy") {
    Hierarchy h = township();
    h.rename(east_id, "东风村", d("2025-06-01"));
    h.set_value(19, "shops", 3, d("2025-01-01"));
    h.move(13, west_id, d("2025-02-01"));
    h.split(6,
            {spec("341024100201005", "", "a", "grid", 70),
             spec("341024100201006", "", "b", "grid", 82)},
            d("2025-07-01"));
    h.merge({south_id, north_id}, spec("341024100205", "", "南北村", "village"), d("2025-08-01"));
    h.retire(3, d("2025-09-01"));
    const Hierarchy r = Hierarchy::from_history(h.levels(), h.history());
    CHECK(dump(r) == dump(h));
    Hierarchy again = r;
    again.rename(4, "续", d("2025-10-01"));
    CHECK(again.history().back().seq == h.history().back().seq + 1);
}

TEST_CASE("hierarchy.history.from_history_rejects_an_inconsistent_history") {
    Hierarchy h = township();
    h.retire(3, d("2025-01-01"));
    std::vector<HierarchyChange> history = h.history();
    SUBCASE("retire of a node with children") {
        history.back().node = east_id;
        CHECK_THROWS_WITH_AS(Hierarchy::from_history(h.levels(), history),
                             doctest::Contains("history entry seq 21 (retire): retire of "
                                               "341024100201 (东村): it has 4 live children"),
                             Error);
    }
    SUBCASE("an add out of id order") {
        history[5].node = 9;
        CHECK_THROWS_WITH_AS(
            Hierarchy::from_history(h.levels(), history),
            doctest::Contains("history entry seq 6 (add): adds id 9 but the next id "
                              "is 5"),
            Error);
    }
    SUBCASE("seq going backwards") {
        history.back().seq = 3;
        CHECK_THROWS_WITH_AS(Hierarchy::from_history(h.levels(), history),
                             doctest::Contains("seq does not follow seq 20"), Error);
    }
    SUBCASE("back-dated entry") {
        Hierarchy g = township();
        g.rename(3, "更名网格", d("2001-01-01"));
        g.retire(3, d("2025-01-01"));
        std::vector<HierarchyChange> tampered = g.history();
        tampered.back().effective = d("1999-01-01");
        CHECK_THROWS_WITH_AS(
            Hierarchy::from_history(g.levels(), tampered),
            doctest::Contains("history entry seq 22 (retire): retire of 341024100201001 (更名网格) "
                              "effective 1999-01-01 is before the latest change recorded for "
                              "341024100201001 (更名网格) on 2001-01-01"),
            Error);
    }
}

TEST_CASE("hierarchy.history.as_of_agrees_with_each_node_timeline") {
    // Random changes, many back-dated; every accepted change is replayed by as_of(), and
    // each node's state on a date must follow from that node's own entries alone.
    Hierarchy h = county_seat();
    std::mt19937 rng(99);
    const Date start = d("2025-01-01");
    std::uniform_int_distribution<int> day(0, 364);
    std::uniform_int_distribution<int> op(0, 4);
    int accepted = 0;
    int refused = 0;
    int fresh = 0;
    for (int step = 0; step < 600; ++step) {
        const Date when{start.days + day(rng)};
        std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(h.id_count() - 1));
        const NodeId n = pick(rng);
        // Retiring mostly live leaves lets whole branches die out over the year.
        std::vector<NodeId> leaves;
        for (NodeId id : h.preorder()) {
            if (h.children(id).empty()) {
                leaves.push_back(id);
            }
        }
        const NodeId leaf = leaves.empty() || step % 5 == 0 ? n : leaves[n % leaves.size()];
        const std::string before = dump(h);
        try {
            switch (op(rng)) {
                case 0:
                    h.rename(n, "名" + std::to_string(step), when);
                    break;
                case 1:
                    h.move(n, pick(rng), when);
                    break;
                case 2:
                    h.retire(leaf, when);
                    break;
                case 3:
                    h.set_value(n, "households", step, when);
                    break;
                default: {
                    ++fresh;
                    const NodeId p = pick(rng);
                    const auto below = static_cast<std::size_t>(
                        std::min(6, h.level(p) + 1 + static_cast<int>(fresh % 2)));
                    h.add(spec("N" + std::to_string(fresh), h.code(p), "新" + std::to_string(fresh),
                               h.levels()[below].key),
                          when);
                    break;
                }
            }
            ++accepted;
        } catch (const Error&) {
            ++refused;
            REQUIRE(dump(h) == before);
        }
    }
    CHECK(accepted > 100);
    CHECK(refused > 100);

    for (int k = 0; k < 40; ++k) {
        const Date when{start.days + day(rng)};
        const Hierarchy snap = h.as_of(when);
        CAPTURE(when.to_string());
        // Per-node oracle from the history alone, entries in (effective, seq) order.
        std::vector<const HierarchyChange*> entries;
        for (const HierarchyChange& c : h.history()) {
            if (c.effective <= when) {
                entries.push_back(&c);
            }
        }
        std::stable_sort(entries.begin(), entries.end(),
                         [](auto* a, auto* b) { return a->effective < b->effective; });
        std::map<std::string, NodeId> id_of;
        for (const HierarchyChange& c : h.history()) {
            if (c.kind == ChangeKind::add) {
                id_of[c.spec.code] = c.node;
            }
        }
        std::map<NodeId, NodeId> parent;
        std::map<NodeId, std::string> name;
        std::map<NodeId, double> households;
        std::set<NodeId> live;
        for (const HierarchyChange* c : entries) {
            switch (c->kind) {
                case ChangeKind::add:
                    live.insert(c->node);
                    parent[c->node] =
                        c->spec.parent_code.empty() ? no_node : id_of.at(c->spec.parent_code);
                    name[c->node] = c->spec.name;
                    households[c->node] = c->spec.households;
                    break;
                case ChangeKind::rename:
                    name[c->node] = c->text;
                    break;
                case ChangeKind::move:
                    parent[c->node] = c->target;
                    break;
                case ChangeKind::retire:
                    live.erase(c->node);
                    break;
                case ChangeKind::set_value:
                    households[c->node] = c->value;
                    break;
                default:
                    FAIL("unexpected change kind");
            }
        }
        REQUIRE(snap.size() == live.size());
        for (const NodeId id : live) {
            REQUIRE(snap.is_live(id));
            CHECK(snap.parent(id) == parent[id]);
            CHECK(snap.name(id) == name[id]);
            CHECK(value_text(snap.value(id, "households")) == value_text(households[id]));
            if (parent[id] != no_node) {
                CHECK(live.count(parent[id]) == 1);
            }
        }
    }
}

TEST_CASE("hierarchy.change.refused_changes_leave_the_hierarchy_untouched") {
    Hierarchy h = township();
    h.rename(west_id, "西河村", d("2025-06-01"));
    const std::string before = dump(h);
    const Date when = d("2025-07-01");
    const std::vector<std::pair<const char*, std::function<void()>>> refusals{
        {"add duplicate",
         [&] { h.add(spec("341024100201001", "341024100201", "x", "grid"), when); }},
        {"add_all with a bad last spec",
         [&] {
             h.add_all({spec("341024100205", "341024100", "新村", "village"),
                        spec("341024100205001", "341024100205", "a", "grid"),
                        spec("341024100205002", "341024100205", "b", "gird")},
                       when);
         }},
        {"add_all back-dated under an existing node",
         [&] {
             h.add_all({spec("341024100202009", "341024100202", "x", "grid")}, d("2025-01-01"));
         }},
        {"rename an unknown id", [&] { h.rename(999, "x", when); }},
        {"move level", [&] { h.move(3, 8, when); }},
        {"move back-dated", [&] { h.move(8, east_id, d("2025-05-01")); }},
        {"retire with children", [&] { h.retire(township_id, when); }},
        {"set_value infinite", [&] { h.set_value(3, "shops", infinity, when); }},
        {"split with children",
         [&] { h.split(south_id, {spec("341024100209", "", "x", "village")}, when); }},
        {"split with a taken code",
         [&] {
             h.split(12,
                     {spec("341024100203009", "", "a", "grid"),
                      spec("341024100201001", "", "b", "grid")},
                     when);
         }},
        {"merge back-dated",
         [&] {
             h.merge({8, 9}, spec("341024100202009", "", "x", "grid"), d("2025-05-01"));
         }},
        {"merge level",
         [&] {
             h.merge({east_id, south_id}, spec("341024100209", "", "x", "grid"), when);
         }},
    };
    for (const auto& refusal : refusals) {
        const auto& what = refusal.first;  // a named copy: CAPTURE takes it in a lambda
        const auto& change = refusal.second;
        CAPTURE(what);
        CHECK_THROWS_AS(change(), Error);
        CHECK(dump(h) == before);
    }
}

// ---- check_specs ------------------------------------------------------------------------

TEST_CASE("hierarchy.check_specs.clean_specs_have_no_findings") {
    CHECK(Hierarchy().check_specs(township_specs()).empty());
    Hierarchy h = township();
    CHECK(h.check_specs({spec("341024100205", "341024100", "新村", "village")}).empty());
}

TEST_CASE("hierarchy.check_specs.every_structural_rule_fires") {
    Hierarchy h = township();
    h.retire(19, d("2025-01-01"));
    h.retire(18, d("2025-01-01"));
    std::vector<NodeSpec> specs{
        spec("341024101", "341024", "yy乡", "township"),        // 0 clean
        spec("341024101201", "341024101", "一村", "vilage"),    // 1 unknown level
        spec("341024101", "341024", "yy乡", "township"),        // 2 duplicate of spec 0
        spec("341024100201", "341024100", "东村", "village"),   // 3 duplicate of a node
        spec("341024101202", "341024199", "二村", "village"),   // 4 orphan
        spec("341024101203", "341024101", "三村", "township"),  // 5 level order
        spec("A", "C", "甲", "grid"),                           // 6 cycle A -> C -> B -> A
        spec("B", "A", "乙", "grid"),                           // 7
        spec("C", "B", "丙", "grid"),                           // 8
        spec("341024101204", "341024101", "", "village"),       // 9 empty name
        spec("", "341024101", "无码", "village"),               // 10 empty code
        spec("341024101205", "341024101", "五村", "village", -infinity),  // 11 bad value
        spec("S", "S", "自环", "grid"),                                   // 12 self cycle
        spec("341024100204005", "341024100204", "复用", "grid"),          // 13 retired code
        spec("341024101206", "341024100204004", "六村", "micro_grid"),    // 14 retired parent
    };
    const std::vector<Finding> f = h.check_specs(specs);
    for (const Finding& x : f) {
        CHECK(x.severity == Severity::error);
    }
    REQUIRE(finding(f, "hierarchy.unknown_level", "341024101201"));
    CHECK(finding(f, "hierarchy.unknown_level", "341024101201")
              ->message.find("spec 1: unknown level "
                             "'vilage'") == 0);
    REQUIRE(finding(f, "hierarchy.duplicate_code", "341024101"));
    CHECK(finding(f, "hierarchy.duplicate_code", "341024101")->message ==
          "spec 2: code 341024101 repeats spec 0");
    REQUIRE(finding(f, "hierarchy.duplicate_code", "341024100201"));
    CHECK(finding(f, "hierarchy.duplicate_code", "341024100201")->message.find("already used") !=
          std::string::npos);
    REQUIRE(finding(f, "hierarchy.orphan", "341024101202"));
    CHECK(finding(f, "hierarchy.orphan", "341024101202")->message.find("341024199") !=
          std::string::npos);
    REQUIRE(finding(f, "hierarchy.level_order", "341024101203"));
    REQUIRE(finding(f, "hierarchy.cycle", "A"));
    CHECK(finding(f, "hierarchy.cycle", "A")->message ==
          "spec 6: parent links form a cycle: A -> C -> B -> A");
    CHECK(finding(f, "hierarchy.cycle", "B") == nullptr);
    REQUIRE(finding(f, "hierarchy.cycle", "S"));
    CHECK(finding(f, "hierarchy.cycle", "S")->message ==
          "spec 12: parent links form a cycle: S -> S");
    CHECK(finding(f, "hierarchy.empty_name", "341024101204"));
    CHECK(finding(f, "hierarchy.empty_code", ""));
    REQUIRE(finding(f, "hierarchy.bad_value", "341024101205"));
    REQUIRE(finding(f, "hierarchy.duplicate_code", "341024100204005"));
    CHECK(finding(f, "hierarchy.duplicate_code", "341024100204005")
              ->message.find("codes are never reused") != std::string::npos);
    REQUIRE(finding(f, "hierarchy.orphan", "341024101206"));
    CHECK(finding(f, "hierarchy.orphan", "341024101206")->message.find("retired on 2025-01-01") !=
          std::string::npos);
    CHECK(finding(f, "hierarchy.unknown_level", "341024101") == nullptr);
    // Sorted by spec index.
    std::vector<std::size_t> order;
    for (const Finding& x : f) {
        order.push_back(std::stoul(x.message.substr(5)));
    }
    CHECK(std::is_sorted(order.begin(), order.end()));

    const std::string before = dump(h);
    CHECK_THROWS_WITH_AS(h.add_all(specs),
                         doctest::Contains("spec 1 (341024101201): unknown level"), Error);
    CHECK(dump(h) == before);
}

TEST_CASE("hierarchy.check_specs.add_all_refuses_a_cycle_naming_its_codes") {
    Hierarchy h;
    CHECK_THROWS_WITH_AS(
        h.add_all({spec("341024", "", "县", "county"), spec("X1", "X3", "甲", "micro_grid"),
                   spec("X2", "X1", "乙", "micro_grid"), spec("X3", "X2", "丙", "micro_grid")}),
        doctest::Contains("spec 1 (X1): parent links form a cycle: X1 -> X3 -> "
                          "X2 -> X1"),
        Error);
    const std::vector<Finding> f =
        h.check_specs({spec("X1", "X3", "甲", "micro_grid"), spec("X2", "X1", "乙", "micro_grid"),
                       spec("X3", "X2", "丙", "micro_grid")});
    REQUIRE(count_rule(f, "hierarchy.cycle") == 1);
    CHECK(finding(f, "hierarchy.cycle", "X1")->message ==
          "spec 0: parent links form a cycle: X1 -> X3 -> X2 -> X1");
    CHECK(h.id_count() == 0);
}

// ---- validation -------------------------------------------------------------------------

TEST_CASE("hierarchy.validate.the_seed_township_is_clean") {
    const Hierarchy h = township();
    ValidationPolicy policy;
    policy.sizing = SizingPolicy::rural_township_150();
    CHECK(h.validate(policy).empty());
    CHECK(h.validate().empty());
    CHECK(county_seat().validate().empty());
}

TEST_CASE("hierarchy.validate.every_rule_fires_on_a_broken_fixture") {
    Hierarchy h = township();
    const Date when = d("2025-01-01");
    // code_prefix and unit_grid_id: a grid numbered under the wrong community.
    h.add(spec("341024100202009", "341024100201", "错码网格", "grid", 150), when);
    // code_length: an 11-digit village code.
    h.add(spec("34102410020", "341024100", "短码村", "village"), when);
    h.add(spec("34102410020001", "34102410020", "短码村网格", "grid", 150), when);
    // unit_grid_id: a letter in the id, and sequence 000.
    h.add(spec("34102410020100A", "341024100201", "字母网格", "grid", 150), when);
    h.add(spec("341024100201000", "341024100201", "零号网格", "grid", 150), when);
    // negative_value
    NodeSpec negative = spec("341024100201007", "341024100201", "负人口网格", "grid", 150);
    negative.population = -5;
    h.add(negative, when);
    // missing_households
    h.add(spec("341024100201008", "341024100201", "无户数网格", "grid"), when);
    // sizing: 260 households against about 150; a dedicated grid is exempt.
    h.add(spec("341024100204006", "341024100204", "大网格", "grid", 260), when);
    NodeSpec school = spec("341024100204007", "341024100204", "镇中学", "grid", 0);
    school.kind = GridKind::dedicated;
    h.add(school, when);
    // empty_village
    h.add(spec("341024100206", "341024100", "空村", "village"), when);
    // grid_outside_village: a grid directly under the township.
    h.add(spec("341024100000001", "341024100", "镇直网格", "grid", 150), when);

    ValidationPolicy policy;
    policy.sizing = SizingPolicy::rural_township_150();
    const std::vector<Finding> f = h.validate(policy);

    const Finding* prefix = finding(f, "hierarchy.code_prefix", "341024100202009");
    REQUIRE(prefix);
    CHECK(prefix->severity == Severity::error);
    CHECK(prefix->message ==
          "code 341024100202009 does not extend the code of its parent "
          "341024100201 (东村)");
    const Finding* segment = finding(f, "hierarchy.unit_grid_id", "341024100202009");
    REQUIRE(segment);
    CHECK(segment->message.find("county + street + community digits 341024100202 disagree with "
                                "ancestor 341024100201") != std::string::npos);
    const Finding* length = finding(f, "hierarchy.code_length", "34102410020");
    REQUIRE(length);
    CHECK(length->message == "code 34102410020 has 11 characters; village codes have 12");
    CHECK(finding(f, "hierarchy.code_length", "34102410020001"));
    CHECK(finding(f, "hierarchy.unit_grid_id", "34102410020001"));
    const Finding* letter = finding(f, "hierarchy.unit_grid_id", "34102410020100A");
    REQUIRE(letter);
    CHECK(letter->message.find("is not a 15-digit unit grid id") != std::string::npos);
    CHECK(finding(f, "hierarchy.code_length", "34102410020100A") == nullptr);
    const Finding* zero = finding(f, "hierarchy.unit_grid_id", "341024100201000");
    REQUIRE(zero);
    CHECK(zero->message.find("sequence 000") != std::string::npos);
    const Finding* negative_f = finding(f, "hierarchy.negative_value", "341024100201007");
    REQUIRE(negative_f);
    CHECK(negative_f->message == "population of 341024100201007 (负人口网格) is -5");
    const Finding* missing = finding(f, "hierarchy.missing_households", "341024100201008");
    REQUIRE(missing);
    CHECK(missing->severity == Severity::error);
    const Finding* sizing = finding(f, "hierarchy.sizing", "341024100204006");
    REQUIRE(sizing);
    CHECK(sizing->severity == Severity::warning);
    CHECK(sizing->message.find("has 260 households, outside 100-200") != std::string::npos);
    CHECK(sizing->message.find("seed 000 三(一)") != std::string::npos);
    CHECK(finding(f, "hierarchy.sizing", "341024100204007") == nullptr);
    const Finding* empty = finding(f, "hierarchy.empty_village", "341024100206");
    REQUIRE(empty);
    CHECK(empty->severity == Severity::warning);
    const Finding* outside = finding(f, "hierarchy.grid_outside_village", "341024100000001");
    REQUIRE(outside);
    CHECK(outside->message == "grid 341024100000001 (镇直网格) does not lie beneath any village");
    CHECK(f.size() == 12);

    SUBCASE("switches turn the code rules off") {
        ValidationPolicy off = policy;
        off.check_code_prefix = false;
        off.check_code_length = false;
        off.check_unit_grid_id = false;
        off.require_households = false;
        const std::vector<Finding> g = h.validate(off);
        CHECK(count_rule(g, "hierarchy.code_prefix") == 0);
        CHECK(count_rule(g, "hierarchy.code_length") == 0);
        CHECK(count_rule(g, "hierarchy.unit_grid_id") == 0);
        CHECK(count_rule(g, "hierarchy.missing_households") == 0);
        CHECK(rules_of(g) == std::vector<std::string>{"hierarchy.negative_value",
                                                      "hierarchy.sizing", "hierarchy.empty_village",
                                                      "hierarchy.grid_outside_village"});
    }
}

TEST_CASE("hierarchy.validate.unknown_policy_levels_are_reported") {
    const Hierarchy h = township();
    ValidationPolicy policy;
    policy.grid_level = "cell";
    policy.village_level = "community";
    policy.sizing.name = "custom";
    policy.sizing.rules = {SizingRule{"block", AreaType::unspecified, "", 1, 2, "test"}};
    const std::vector<Finding> f = h.validate(policy);
    CHECK(rules_of(f) == std::vector<std::string>{"hierarchy.policy_level",
                                                  "hierarchy.policy_level",
                                                  "hierarchy.policy_level"});
    CHECK(f[0].where == "cell");
    CHECK(f[0].severity == Severity::warning);
    CHECK(f[2].message.find("'block'") != std::string::npos);
}

TEST_CASE("hierarchy.validate.sizing_picks_the_most_specific_rule") {
    Hierarchy h;
    h.add_all({spec("420503", "", "伍家岗区", "county"),
               spec("420503001", "420503", "街道", "township"),
               spec("420503001001", "420503001", "社区", "village")});
    auto grid = [&](const char* seq, AreaType type, const char* cls, double hh) {
        NodeSpec s = spec(std::string("420503001001") + seq, "420503001001", "网格", "grid", hh);
        s.area_type = type;
        s.area_class = cls;
        return h.add(s);
    };
    grid("001", AreaType::urban, "物业小区", 600);  // estate band 330-670: fine
    grid("002", AreaType::urban, "杂居小区", 600);  // mixed band 200-400: too big
    grid("003", AreaType::urban, "", 600);          // any urban 200-670: fine
    grid("004", AreaType::rural, "", 600);          // rural 270-530: too big
    grid("005", AreaType::unspecified, "", 600);    // no rule applies
    ValidationPolicy policy;
    policy.sizing = SizingPolicy::urban_rural_mixed();
    const std::vector<Finding> f = h.validate(policy);
    REQUIRE(rules_of(f) == std::vector<std::string>{"hierarchy.sizing", "hierarchy.sizing"});
    CHECK(f[0].where == "420503001001002");
    CHECK(f[0].message.find("outside 200-400 for urban grid nodes of class 杂居小区") !=
          std::string::npos);
    CHECK(f[1].where == "420503001001004");
    policy.sizing = SizingPolicy::national_guideline();
    CHECK(count_rule(h.validate(policy), "hierarchy.sizing") == 4);
}

// ---- overlays ---------------------------------------------------------------------------

namespace {

/// 段区 over the county seat: one section per net-area, mapping its three grids directly.
Overlay market_sections(const Hierarchy& base) {
    Overlay o("market_supervision", "市场监管段区", market_supervision_levels());
    for (int a = 1; a <= 11; ++a) {
        o.add_unit({"SC-" + std::to_string(a),
                    "",
                    "第" + std::to_string(a) + "段区",
                    "section",
                    {seat_grid_code(a, 1), seat_grid_code(a, 2), seat_grid_code(a, 3)}},
                   base);
    }
    return o;
}

}  // namespace

TEST_CASE("hierarchy.overlay.sections_cover_the_33_grids_exactly_once") {
    const Hierarchy base = county_seat();
    const Overlay o = market_sections(base);
    CHECK(o.key() == "market_supervision");
    CHECK(o.units().size() == 11);
    CHECK(o.coverage(base).empty());
    CHECK(o.grids_of(0) ==
          std::vector<NodeId>{seat_grid_id(1, 1), seat_grid_id(1, 2), seat_grid_id(1, 3)});
    CHECK(o.units_of(seat_grid_id(7, 2)) == std::vector<NodeId>{6});
    CHECK(o.units_of(area_id(7)).empty());
    CHECK(o.units_of(no_node).empty());
    CHECK_THROWS_WITH_AS(o.grids_of(11), doctest::Contains("no unit with id 11"), Error);
}

TEST_CASE("hierarchy.overlay.gap_and_overlap") {
    const Hierarchy base = county_seat();
    Overlay o("market_supervision", "市场监管段区", market_supervision_levels());
    for (int a = 1; a <= 10; ++a) {
        o.add_unit({"SC-" + std::to_string(a),
                    "",
                    "段区",
                    "section",
                    {seat_grid_code(a, 1), seat_grid_code(a, 2), seat_grid_code(a, 3)}},
                   base);
    }
    o.add_unit({"SC-11", "", "段区", "section", {seat_grid_code(11, 1), seat_grid_code(10, 3)}},
               base);
    const std::vector<Finding> f = o.coverage(base);
    REQUIRE(rules_of(f) ==
            std::vector<std::string>{"overlay.overlap", "overlay.gap", "overlay.gap"});
    CHECK(f[0].where == seat_grid_code(10, 3));
    CHECK(f[0].severity == Severity::error);
    CHECK(f[0].message.find("not nested: SC-10, SC-11") != std::string::npos);
    CHECK(f[1].where == seat_grid_code(11, 2));
    CHECK(f[1].message.find("is covered by no unit") != std::string::npos);
    CHECK(f[2].where == seat_grid_code(11, 3));
    CHECK(o.units_of(seat_grid_id(10, 3)) == std::vector<NodeId>{9, 10});
}

TEST_CASE("hierarchy.overlay.nested_units_inherit_and_do_not_overlap") {
    // Fire safety 大/中/小网格: small units map net-areas (standing for their grids); the
    // medium unit above them also names one grid directly.
    const Hierarchy base = county_seat();
    Overlay o("fire_safety", "消防网格", fire_safety_levels());
    o.add_unit({"XF-01", "", "城区消防大网格", "large", {}}, base);
    o.add_unit({"XF-01-01", "XF-01", "东片中网格", "medium", {seat_grid_code(1, 1)}}, base);
    o.add_unit({"XF-01-02", "XF-01", "西片中网格", "medium", {}}, base);
    for (int a = 1; a <= 11; ++a) {
        o.add_unit({"XF-01-0" + std::string(a <= 6 ? "1" : "2") + "-" + std::to_string(a),
                    a <= 6 ? "XF-01-01" : "XF-01-02",
                    "小网格",
                    "small",
                    {area_code(a)}},
                   base);
    }
    CHECK(o.coverage(base).empty());
    CHECK(o.units_of(seat_grid_id(1, 1)) == std::vector<NodeId>{1});
    CHECK(o.units_of(area_id(1)) == std::vector<NodeId>{3});

    SUBCASE("a sibling unit naming the same grid overlaps") {
        o.add_unit({"XF-01-02-12", "XF-01-02", "小网格", "small", {seat_grid_code(1, 1)}}, base);
        const std::vector<Finding> f = o.coverage(base);
        REQUIRE(rules_of(f) == std::vector<std::string>{"overlay.overlap"});
        CHECK(f[0].message.find("XF-01-01-1, XF-01-02-12") != std::string::npos);
    }
}

TEST_CASE("hierarchy.overlay.retired_grids_are_reported") {
    Hierarchy base = county_seat();
    const Overlay o = market_sections(base);
    base.retire(seat_grid_id(5, 3), d("2025-03-01"));
    const std::vector<Finding> f = o.coverage(base);
    REQUIRE(rules_of(f) == std::vector<std::string>{"overlay.retired_grid"});
    CHECK(f[0].where == seat_grid_code(5, 3));
    CHECK(f[0].message.find("unit SC-5 maps " + seat_grid_code(5, 3) +
                            ", which was retired on 2025-03-01") != std::string::npos);
}

TEST_CASE("hierarchy.overlay.add_unit_refusals_add_nothing") {
    const Hierarchy base = county_seat();
    Overlay o("urban_management", "城管单元网格", urban_management_levels());
    CHECK_THROWS_WITH_AS(o.add_unit({"U-1", "", "单元", "unit", {"371327001099001"}}, base),
                         doctest::Contains("maps grid 371327001099001, which is not a live node"),
                         Error);
    CHECK(error_code_of([&] {
              o.add_unit({"U-1", "", "单元", "unit", {"371327001099001"}}, base);
          }) == ErrorCode::not_found);
    CHECK_THROWS_WITH_AS(
        o.add_unit({"U-1", "", "单元", "unit", {seat_grid_code(1, 1), seat_grid_code(1, 1)}}, base),
        doctest::Contains("lists grid 371327001001001 twice"), Error);
    CHECK_THROWS_WITH_AS(o.add_unit({"U-1", "", "单元", "block", {}}, base),
                         doctest::Contains("unknown level 'block'"), Error);
    CHECK(o.units().id_count() == 0);
    CHECK(o.units_of(seat_grid_id(1, 1)).empty());
    CHECK_THROWS_WITH_AS(Overlay("", "x", urban_management_levels()),
                         doctest::Contains("non-empty key"), Error);
}

TEST_CASE("hierarchy.overlay.add_units_in_bulk_with_parents_in_any_order") {
    const Hierarchy base = county_seat();
    Overlay o("fire_safety", "消防网格", fire_safety_levels());
    const std::vector<NodeId> got =
        o.add_units({{"XF-S1", "XF-M1", "小网格", "small", {area_code(1), area_code(2)}},
                     {"XF-M1", "XF-L", "中网格", "medium", {}},
                     {"XF-L", "", "大网格", "large", {}}},
                    base);
    CHECK(got == std::vector<NodeId>{2, 1, 0});
    CHECK(o.grids_of(2) == std::vector<NodeId>{area_id(1), area_id(2)});
    CHECK(o.units_of(area_id(2)) == std::vector<NodeId>{2});
    const std::vector<Finding> f = o.coverage(base);
    CHECK(count_rule(f, "overlay.gap") == 27);
    CHECK(count_rule(f, "overlay.overlap") == 0);
}

TEST_CASE("hierarchy.overlay.unknown_grid_level_is_reported") {
    const Hierarchy base = county_seat();
    const Overlay o = market_sections(base);
    const std::vector<Finding> f = o.coverage(base, "cell");
    REQUIRE(rules_of(f) == std::vector<std::string>{"overlay.unknown_grid_level"});
    CHECK(f[0].severity == Severity::warning);
    CHECK(o.coverage(base, "micro_grid").empty());
}
