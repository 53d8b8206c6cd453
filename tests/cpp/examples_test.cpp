// The sample county in examples/data (苇川县), as the demo and the tutorial describe it:
// its shape, its totals and exactly the data problems planted in it. When the generator
// changes, these numbers change with it on purpose.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

const std::string county_json = std::string(GRIDGOV_EXAMPLES_DATA) + "/county.json";
const std::string county_csv = std::string(GRIDGOV_EXAMPLES_DATA) + "/county.csv";

std::size_t count_at(const Hierarchy& h, const char* level) {
    return h.nodes_at_level(h.levels().index_of(level)).size();
}

double subtree_sum(const Hierarchy& h, const char* code, const char* column) {
    return h.roll_up(column).sum[h.at(code)];
}

using RuleAt = std::pair<std::string, std::string>;

std::set<RuleAt> rules_at(const std::vector<Finding>& findings) {
    std::set<RuleAt> out;
    for (const Finding& f : findings)
        out.emplace(f.rule, f.where);
    return out;
}

// The demo's policy: seed 000's ~150 households for grids in general, the urban
// guideline's 300-500 for urban grids.
ValidationPolicy demo_policy() {
    ValidationPolicy policy;
    policy.sizing = SizingPolicy::rural_township_150();
    for (const SizingRule& rule : SizingPolicy::national_guideline().rules) {
        if (rule.area_type == AreaType::urban)
            policy.sizing.rules.push_back(rule);
    }
    return policy;
}

}  // namespace

TEST_CASE("examples.county.imports_completely") {
    Workspace ws = Workspace::open(":memory:");
    const ImportReport report = ws.import_hierarchy(county_json);
    CHECK(report.nodes_added == 87);
    CHECK(report.overlays_added == 2);
    CHECK(report.overlay_units_added == 102);
}

TEST_CASE("examples.county.levels_and_kinds") {
    Workspace ws = Workspace::open(":memory:");
    ws.import_hierarchy(county_json);
    const Hierarchy& h = ws.hierarchy();

    CHECK(h.size() == 87);
    REQUIRE(h.roots().size() == 1);
    CHECK(h.code(h.roots()[0]) == "371338");
    CHECK(h.name(h.roots()[0]) == "苇川县");
    CHECK(count_at(h, "province") == 0);
    CHECK(count_at(h, "county") == 1);
    CHECK(count_at(h, "township") == 2);
    CHECK(count_at(h, "village") == 19);
    CHECK(count_at(h, "grid") == 65);

    SUBCASE("the county seat is 11 net-areas of 3 grids, plus a school and a hospital") {
        const NodeId street = h.at("371338001");
        CHECK(h.name(street) == "城关街道");
        CHECK(h.area_type(street) == AreaType::urban);
        CHECK(h.children(street).size() == 11);
        std::size_t comprehensive = 0;
        std::vector<std::string> dedicated;
        for (NodeId area : h.children(street)) {
            for (NodeId g : h.children(area)) {
                if (h.kind(g) == GridKind::dedicated) {
                    dedicated.push_back(h.name(g));
                } else {
                    ++comprehensive;
                    CHECK(h.area_class(g) == (h.code(area) <= "371338001006" ? "一类" : "二类"));
                }
            }
        }
        CHECK(comprehensive == 33);
        CHECK(dedicated == std::vector<std::string>{"县第一中学", "县人民医院"});
    }
    SUBCASE("the township is 8 villages of base grids, one village not yet divided") {
        const NodeId township = h.at("371338102");
        CHECK(h.name(township) == "青石镇");
        CHECK(h.area_type(township) == AreaType::rural);
        std::vector<std::size_t> grids;
        for (NodeId v : h.children(township))
            grids.push_back(h.children(v).size());
        CHECK(grids == std::vector<std::size_t>{7, 4, 3, 5, 4, 3, 4, 0});
        CHECK(h.kind(h.at("371338102201007")) == GridKind::dedicated);
    }
}

TEST_CASE("examples.county.totals") {
    Workspace ws = Workspace::open(":memory:");
    ws.import_hierarchy(county_json);
    const Hierarchy& h = ws.hierarchy();

    CHECK(subtree_sum(h, "371338", "households") == 17901);
    CHECK(subtree_sum(h, "371338", "population") == 50635);
    CHECK(subtree_sum(h, "371338001", "households") == 13427);
    CHECK(subtree_sum(h, "371338102", "households") == 4474);
    CHECK(subtree_sum(h, "371338102", "population") == 13787);
    CHECK(h.roll_up("households").count[h.at("371338")] == 64);  // every grid but one

    SUBCASE("rural base grids keep to about 150 households, but for the planted one") {
        const RollUp households = h.roll_up("households");
        CHECK(households.max[h.at("371338102")] == 286);
        for (NodeId v : h.children(h.at("371338102"))) {
            if (h.code(v) != "371338102206" && households.count[v] > 0) {
                CHECK(households.max[v] <= 190);
            }
        }
    }
    SUBCASE("attributes survive the import") {
        CHECK(h.value(h.at("371338001001001"), "shops") == 53);
        CHECK(h.value(h.at("371338102206002"), "villager_groups") == 6);
        CHECK(std::isnan(h.value(h.at("371338001001001"), "villager_groups")));
    }
}

TEST_CASE("examples.county.planted_findings_and_nothing_else") {
    Workspace ws = Workspace::open(":memory:");
    ws.import_hierarchy(county_json);

    const std::set<RuleAt> without_sizing = {
        {"hierarchy.missing_households", "371338102204003"},
        {"hierarchy.empty_village", "371338102208"},
        {"overlay.gap", "371338001009002"},
        {"overlay.overlap", "371338001004003"},
    };
    SUBCASE("default policy") {
        const std::vector<Finding> findings = ws.validate();
        CHECK(findings.size() == without_sizing.size());
        CHECK(rules_at(findings) == without_sizing);
    }
    SUBCASE("the demo's sizing policy adds the one oversize rural grid") {
        const std::vector<Finding> findings = ws.validate(demo_policy());
        std::set<RuleAt> expected = without_sizing;
        expected.emplace("hierarchy.sizing", "371338102206002");
        CHECK(findings.size() == expected.size());
        CHECK(rules_at(findings) == expected);
        for (const Finding& f : findings) {
            CAPTURE(f.rule);
            const bool warning =
                f.rule == "hierarchy.sizing" || f.rule == "hierarchy.empty_village";
            CHECK(f.severity == (warning ? Severity::warning : Severity::error));
            CHECK(f.message.find(f.where) != std::string::npos);
        }
    }
}

TEST_CASE("examples.county.overlays") {
    Workspace ws = Workspace::open(":memory:");
    ws.import_hierarchy(county_json);
    const Hierarchy& h = ws.hierarchy();
    REQUIRE(ws.overlays().size() == 2);

    SUBCASE("fire safety: 大/中/小 grids with one gap and one overlap in the county seat") {
        const Overlay& fire = ws.overlay("fire_safety");
        CHECK(fire.name() == "消防网格");
        const Hierarchy& units = fire.units();
        CHECK(units.nodes_at_level(units.levels().index_of("large")).size() == 2);
        CHECK(units.nodes_at_level(units.levels().index_of("medium")).size() == 19);
        CHECK(units.nodes_at_level(units.levels().index_of("small")).size() == 34);
        CHECK(fire.units_of(h.at("371338001009002")).empty());
        CHECK(fire.units_of(h.at("371338001004003")).size() == 2);
        // A village's medium grid stands for every grid of the village.
        CHECK(fire.grids_of(units.at("XF-02-04")) == std::vector<NodeId>{h.at("371338102204")});
        CHECK(rules_at(fire.coverage(h)) ==
              std::set<RuleAt>{{"overlay.gap", "371338001009002"},
                               {"overlay.overlap", "371338001004003"}});
    }
    SUBCASE("门前三包: custom levels, every grid covered once") {
        const Overlay& frontage = ws.overlay("frontage");
        const Hierarchy& units = frontage.units();
        REQUIRE(units.levels().size() == 2);
        CHECK(units.levels()[0].key == "supervision_area");
        CHECK(units.levels()[1].name_zh == "门前三包责任区");
        CHECK(units.nodes_at_level(0).size() == 12);
        CHECK(units.nodes_at_level(1).size() == 35);
        CHECK(units.name(units.at("MQ-02")) == "第二网区（督导单位：县城管局）");
        CHECK(frontage.coverage(h).empty());
    }
}

TEST_CASE("examples.county.csv_holds_the_same_hierarchy") {
    Workspace from_json = Workspace::open(":memory:");
    from_json.import_hierarchy(county_json);
    Workspace from_csv = Workspace::open(":memory:");
    const ImportReport report = from_csv.import_hierarchy(county_csv);
    CHECK(report.nodes_added == 87);
    CHECK(report.overlays_added == 0);

    const Hierarchy& a = from_json.hierarchy();
    const Hierarchy& b = from_csv.hierarchy();
    REQUIRE(a.size() == b.size());
    for (NodeId n : a.preorder()) {
        CAPTURE(a.code(n));
        const NodeId m = b.at(a.code(n));
        CHECK(b.name(m) == a.name(n));
        CHECK(b.level(m) == a.level(n));
        CHECK(b.kind(m) == a.kind(n));
        CHECK(b.area_type(m) == a.area_type(n));
        CHECK(b.area_class(m) == a.area_class(n));
        CHECK((b.parent(m) == no_node) == (a.parent(n) == no_node));
        if (a.parent(n) != no_node)
            CHECK(b.code(b.parent(m)) == a.code(a.parent(n)));
        for (const char* column : {"households", "population", "area_m2", "shops"}) {
            const double x = a.value(n, column);
            const double y = b.value(m, column);
            CHECK(((std::isnan(x) && std::isnan(y)) || x == y));
        }
    }
    // Without overlays, only the hierarchy's own findings remain.
    CHECK(rules_at(from_csv.validate()) ==
          std::set<RuleAt>{{"hierarchy.missing_households", "371338102204003"},
                           {"hierarchy.empty_village", "371338102208"}});
}
