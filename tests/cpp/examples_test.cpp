// The sample county in examples/data (苇川县), as the demo and the tutorial describe it:
// its shape, its totals, its directory, the deadlines the demo prints and exactly the
// data and staffing problems planted in it. When the generator changes, these numbers
// change with it on purpose.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/calendar.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workflow.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

const std::string examples_data = GRIDGOV_EXAMPLES_DATA;
const std::string county_json = examples_data + "/county.json";
const std::string county_csv = examples_data + "/county.csv";

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
    const ImportReport report = ws.hierarchy().import_file(county_json);
    CHECK(report.nodes_added == 87);
    CHECK(report.overlays_added == 2);
    CHECK(report.overlay_units_added == 102);
}

TEST_CASE("examples.county.levels_and_kinds") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(county_json);
    const Hierarchy& h = ws.hierarchy().view();

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
    ws.hierarchy().import_file(county_json);
    const Hierarchy& h = ws.hierarchy().view();

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
    ws.hierarchy().import_file(county_json);

    const std::set<RuleAt> without_sizing = {
        {"hierarchy.missing_households", "371338102204003"},
        {"hierarchy.empty_village", "371338102208"},
        {"overlay.gap", "371338001009002"},
        {"overlay.overlap", "371338001004003"},
    };
    SUBCASE("default policy") {
        const std::vector<Finding> findings = ws.hierarchy().validate();
        CHECK(findings.size() == without_sizing.size());
        CHECK(rules_at(findings) == without_sizing);
    }
    SUBCASE("the demo's sizing policy adds the one oversize rural grid") {
        const std::vector<Finding> findings = ws.hierarchy().validate(demo_policy());
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
    ws.hierarchy().import_file(county_json);
    const Hierarchy& h = ws.hierarchy().view();
    REQUIRE(ws.hierarchy().overlays().size() == 2);

    SUBCASE("fire safety: 大/中/小 grids with one gap and one overlap in the county seat") {
        const Overlay& fire = ws.hierarchy().overlay("fire_safety");
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
        const Overlay& frontage = ws.hierarchy().overlay("frontage");
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
    from_json.hierarchy().import_file(county_json);
    Workspace from_csv = Workspace::open(":memory:");
    const ImportReport report = from_csv.hierarchy().import_file(county_csv);
    CHECK(report.nodes_added == 87);
    CHECK(report.overlays_added == 0);

    const Hierarchy& a = from_json.hierarchy().view();
    const Hierarchy& b = from_csv.hierarchy().view();
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
    CHECK(rules_at(from_csv.hierarchy().validate()) ==
          std::set<RuleAt>{{"hierarchy.missing_households", "371338102204003"},
                           {"hierarchy.empty_village", "371338102208"}});
}

// ---- the directory ---------------------------------------------------------------------

namespace {

// The demo's day and the day the county's grids took effect.
const Date demo_day = Date::parse("2026-09-30");
const Date grids_effective = Date::parse("2023-09-01");

std::string read_example(const std::string& name) {
    std::ifstream in(examples_data + "/" + name, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The county and its directory as the demo loads them.
Workspace sample_county_with_directory() {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(county_json, FileFormat::automatic, grids_effective);
    ws.directory().set_catalogue(
        Catalogue::from_json(read_example("catalogue.json"), "catalogue.json"));
    for (const char* file : {"people.csv", "units.csv", "assignments.csv", "absences.csv"})
        ws.directory().import_file(examples_data + "/" + file);
    return ws;
}

// The demo's staffing checks: every rule but role cardinalities (examples/README.md).
CompliancePolicy demo_compliance() {
    CompliancePolicy policy;
    policy.cardinality = false;
    return policy;
}

std::map<std::string, std::size_t> posts_on(const Directory& dir, Date date, Post post) {
    std::map<std::string, std::size_t> out;
    for (const Assignment& a : dir.assignments()) {
        if (a.post == post && a.period.contains(date))
            ++out[a.role];
    }
    return out;
}

}  // namespace

TEST_CASE("examples.directory.imports_completely") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(county_json, FileFormat::automatic, grids_effective);
    ws.directory().set_catalogue(
        Catalogue::from_json(read_example("catalogue.json"), "catalogue.json"));
    CHECK(ws.directory().import_file(examples_data + "/people.csv").people_added == 204);
    CHECK(ws.directory().import_file(examples_data + "/units.csv").units_added == 146);
    CHECK(ws.directory().import_file(examples_data + "/assignments.csv").assignments_added == 251);
    CHECK(ws.directory().import_file(examples_data + "/absences.csv").absences_added == 6);
}

TEST_CASE("examples.directory.catalogue_joins_the_township_and_county_seat_presets") {
    const Catalogue sample = Catalogue::from_json(read_example("catalogue.json"));
    const Catalogue merged = merge_catalogues(
        merge_catalogues(Catalogue::preset("township_000"), Catalogue::preset("community_001")),
        Catalogue::preset("county_seat_003"));
    CHECK(sample.key == "weichuan");
    REQUIRE(sample.duties.size() == merged.duties.size());
    for (std::size_t i = 0; i < merged.duties.size(); ++i) {
        CHECK(sample.duties[i].code == merged.duties[i].code);
        CHECK(sample.duties[i].label_zh == merged.duties[i].label_zh);
    }
    REQUIRE(sample.roles.size() == merged.roles.size());
    for (std::size_t i = 0; i < merged.roles.size(); ++i) {
        const RoleType& a = sample.roles[i];
        const RoleType& b = merged.roles[i];
        CAPTURE(b.code);
        CHECK(a.code == b.code);
        CHECK(a.label_zh == b.label_zh);
        CHECK(a.level == b.level);
        CHECK(a.cardinality == b.cardinality);
        CHECK(a.function == b.function);
        CHECK(a.duties == b.duties);
    }
}

TEST_CASE("examples.directory.shape") {
    const Workspace ws = sample_county_with_directory();
    const Directory& dir = ws.directory().view();
    const Hierarchy& h = ws.hierarchy().view();

    SUBCASE("people: valid fictional ID numbers of the county, mobile phones") {
        CHECK(dir.person_count() == 204);
        std::set<std::string> names;
        for (PersonId p = 0; p < dir.person_count(); ++p) {
            const Person& person = dir.person(p);
            CAPTURE(person.id);
            CHECK(is_valid_id_number(person.id_number));
            CHECK(person.id_number.substr(0, 6) == "371338");
            CHECK(person.phone.size() == 11);
            CHECK(person.phone[0] == '1');
            names.insert(person.name);
        }
        CHECK(names.size() == dir.person_count());
    }
    SUBCASE("posts A on the demo's day, by role") {
        CHECK(posts_on(dir, demo_day, Post::a) ==
              std::map<std::string, std::size_t>{{"township_grid_leader", 2},
                                                 {"village_grid_leader", 8},
                                                 {"grid_instructor", 8},
                                                 {"grid_information_officer", 29},
                                                 {"grid_head", 35},
                                                 {"information_officer", 35},
                                                 {"inspector", 35},
                                                 {"patron_leader", 11},
                                                 {"supervising_unit", 11},
                                                 {"information_collector", 11}});
    }
    SUBCASE("posts B: each officer backs up the neighbouring grid") {
        CHECK(posts_on(dir, demo_day, Post::b) ==
              std::map<std::string, std::size_t>{{"grid_information_officer", 29},
                                                 {"information_officer", 35}});
        // 青石村: the officer of the second grid is post B of the first.
        const std::vector<RosterEntry> roster = dir.roster(h.at("371338102201001"), demo_day);
        REQUIRE(roster.size() == 2);
        CHECK(roster[1].post == Post::b);
        const std::vector<RosterEntry> next = dir.roster(h.at("371338102201002"), demo_day);
        CHECK(roster[1].person == next[0].person);
    }
    SUBCASE("units: 五个一 per grid, a service team per village and net-area") {
        std::map<UnitKind, std::size_t> kinds;
        for (const Unit& u : dir.units())
            ++kinds[u.kind];
        CHECK(kinds == std::map<UnitKind, std::size_t>{{UnitKind::party_group, 62},
                                                       {UnitKind::service_team, 19},
                                                       {UnitKind::information_archive, 65}});
    }
    SUBCASE("history: a replaced officer keeps the first term") {
        const NodeId grid = h.at("371338102201003");
        const auto officer = [&](const char* day) {
            const Responsibility r =
                dir.responsible(h, grid, "grid_information_officer", Date::parse(day));
            REQUIRE(r.found());
            return dir.person(r.person).id;
        };
        CHECK(officer("2025-06-30") == "P0006");
        CHECK(officer("2025-07-01") == "P0007");
    }
}

TEST_CASE("examples.directory.planted_staffing_findings_and_nothing_else") {
    const Workspace ws = sample_county_with_directory();
    const Directory& dir = ws.directory().view();
    const Hierarchy& h = ws.hierarchy().view();
    const std::set<RuleAt> planted = {
        {"directory.five_ones.party_group", "371338102203001"},
        {"directory.five_ones.party_group", "371338102203002"},
        {"directory.five_ones.party_group", "371338102203003"},
        {"directory.five_ones.information_officer", "371338102204003"},
        {"directory.primary_worker", "371338102204003"},
        {"directory.backup_is_primary", "371338102207004"},
        {"directory.max_primary_grids", "P0190"},
        {"directory.outside_node_lifetime", "371338102201002"},
    };
    const std::vector<Finding> findings = dir.compliance(h, demo_day, demo_compliance());
    CHECK(findings.size() == planted.size());
    CHECK(rules_at(findings) == planted);
    for (const Finding& f : findings)
        CHECK(f.severity == Severity::error);

    SUBCASE("the planted pilot assignment is the only one before its grid") {
        // Node lifetimes do not depend on the date asked about.
        std::set<RuleAt> lifetime;
        for (const Finding& f : dir.compliance(h, Date::parse("2024-01-01"), demo_compliance())) {
            if (f.rule == "directory.outside_node_lifetime")
                lifetime.emplace(f.rule, f.where);
        }
        CHECK(lifetime == std::set<RuleAt>{{"directory.outside_node_lifetime", "371338102201002"}});
    }
    SUBCASE("role cardinalities would add only the two systems' roles at each other's nodes") {
        CompliancePolicy all;
        std::size_t extra = 0;
        for (const Finding& f : dir.compliance(h, demo_day, all)) {
            if (planted.count({f.rule, f.where}) > 0)
                continue;
            CAPTURE(f.message);
            CHECK(f.rule == "directory.cardinality");
            // Both 一级网格长 posts are held: nothing at the township level.
            CHECK(f.where.size() > 9);
            ++extra;
        }
        // Per village 3 county-seat roles, per net-area 2 township roles, per township grid
        // 4 grid-team roles, per county-seat grid 网格信息员 and 楼栋员, and the planted gap.
        CHECK(extra == 8 * 3 + 11 * 2 + 30 * 4 + 35 * 2 + 1);
    }
}

TEST_CASE("examples.directory.every_grid_has_an_officer_but_the_planted_gap") {
    const Workspace ws = sample_county_with_directory();
    const Directory& dir = ws.directory().view();
    const Hierarchy& h = ws.hierarchy().view();
    const auto officer = [&](const char* grid, const char* day = "2026-09-30") {
        return dir.responsible(h, h.at(grid), RoleFunction::information_officer, Date::parse(day));
    };

    std::size_t found = 0;
    for (NodeId g : h.nodes_at_level(h.levels().index_of("grid"))) {
        const Responsibility r = dir.responsible(h, g, RoleFunction::information_officer, demo_day);
        CAPTURE(h.code(g));
        CHECK(r.found() == (h.code(g) != "371338102204003"));
        found += r.found();
    }
    CHECK(found == 64);

    SUBCASE("post A answers where its holder is present") {
        const Responsibility r = officer("371338102201002");
        CHECK(r.post == Post::a);
        CHECK(r.node == h.at("371338102201002"));
        CHECK(dir.role(r.role).code == "grid_information_officer");
        const Responsibility s = officer("371338001001001");
        CHECK(s.post == Post::a);
        CHECK(dir.role(s.role).code == "information_officer");
    }
    SUBCASE("post B answers during a leave or a vacancy") {
        const auto first_met = [](const Responsibility& r) {
            return *std::find_if(r.steps.begin(), r.steps.end(),
                                 [](const ResolutionStep& s) { return s.person != no_person; });
        };
        for (const std::string grid :
             {"371338102201001", "371338102202002", "371338001005003", "371338001008001"}) {
            CAPTURE(grid);
            const Responsibility r = officer(grid.c_str());
            CHECK(r.post == Post::b);
            CHECK(r.node == h.at(grid));
            CHECK(first_met(r).outcome == StepOutcome::absent);
        }
        const Responsibility vacancy = officer("371338102202002");
        const AbsenceId absence = first_met(vacancy).absence;
        CHECK(dir.absences()[absence - 1].kind == AbsenceKind::vacancy);
    }
    SUBCASE("with posts A and B both away, the net-area's collector answers") {
        const Responsibility r = officer("371338001005002");
        CHECK(r.node == h.at("371338001005"));
        CHECK(dir.role(r.role).code == "information_collector");
        CHECK(r.post == Post::a);
        std::vector<StepOutcome> met;
        for (const ResolutionStep& s : r.steps) {
            if (s.person != no_person)
                met.push_back(s.outcome);
        }
        CHECK(met == std::vector<StepOutcome>{StepOutcome::absent, StepOutcome::absent,
                                              StepOutcome::chosen});
    }
    SUBCASE("a leave in the past: post B then, post A again after it") {
        CHECK(officer("371338102205001", "2026-02-10").post == Post::b);
        CHECK(officer("371338102205001", "2026-03-02").post == Post::a);
    }
}

TEST_CASE("examples.directory.chart_is_masked") {
    const Workspace ws = sample_county_with_directory();
    const Directory& dir = ws.directory().view();
    const std::string html =
        dir.chart(ws.hierarchy().view(), demo_day, DocumentFormat::html, Reveal::masked);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("网格化图谱") != std::string::npos);
    const Person& first = dir.person(dir.person_at("P0004"));
    CHECK(html.find(first.phone) == std::string::npos);
    CHECK(html.find(mask_phone(first.phone)) != std::string::npos);
}

TEST_CASE("examples.departments") {
    const Workspace ws = sample_county_with_directory();
    const Hierarchy& h = ws.hierarchy().view();
    const DepartmentCatalogue departments =
        DepartmentCatalogue::from_json(read_example("departments.json"), "departments.json");
    CHECK(departments.departments.size() == 17);
    CHECK(departments.validate(h, &ws.directory().view()).empty());

    SUBCASE("each supervising unit's liaison holds its net-area's 督导单位 post") {
        const Hierarchy& areas = ws.hierarchy().overlay("frontage").units();
        for (int i = 1; i <= 11; ++i) {
            const std::string code =
                std::string("3713380010") + (i < 10 ? "0" : "") + std::to_string(i);
            const Responsibility r =
                ws.directory().view().responsible(h, h.at(code), "supervising_unit", demo_day);
            REQUIRE(r.found());
            const std::string liaison = ws.directory().view().person(r.person).id;
            const auto unit = std::find_if(
                departments.departments.begin(), departments.departments.end(),
                [&](const Department& d) { return !d.members.empty() && d.members[0] == liaison; });
            REQUIRE(unit != departments.departments.end());
            CAPTURE(code);
            const std::string area = std::string("MQ-") + (i < 10 ? "0" : "") + std::to_string(i);
            CHECK(areas.name(areas.at(area)).find(unit->name_zh) != std::string::npos);
        }
    }
    SUBCASE("routing reaches the township's sanitation office and the territorial tier") {
        const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
        const RoutingTable routing;
        const Route garbage =
            routing.route(h, categories, departments, "E0102", h.at("371338102201001"));
        CHECK(garbage.basis == RouteBasis::category);
        CHECK(garbage.department == "D-HW-QS");
        const Route dispute =
            routing.route(h, categories, departments, "G0101", h.at("371338102201001"));
        CHECK(dispute.basis == RouteBasis::territorial);
        CHECK(dispute.department == "D-QS-ZZ");
    }
}

// ---- the calendar ----------------------------------------------------------------------

TEST_CASE("examples.records.planted_findings_and_roll_ups") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(county_json, FileFormat::automatic, grids_effective);
    const RecordImportReport report = ws.records().import_file(examples_data + "/records.json");
    CHECK(report.added == 802);
    CHECK(report.findings.size() == 3);
    std::vector<std::pair<std::string, std::string>> found;
    for (const Finding& f : ws.records().validate(demo_day))
        found.emplace_back(f.rule, f.where);
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::pair<std::string, std::string>>{
                       {"records.credit_code", "U371338001002003"},
                       {"records.house_code", "H37133800100100201"},
                       {"records.household_head", "F37133800100100301"},
                       {"records.id_number", "R00001"},
                       {"records.rented_without_tenants", "H37133800100100101"},
                   });
    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<double> residents = ws.records().roll_up("resident");
    CHECK(residents[h.at("371338")] == ws.records().count("resident"));
    CHECK(residents[h.at("371338")] == residents[h.at("371338001")] + residents[h.at("371338102")]);
    // Every shop is in the county seat, one per grid there.
    CHECK(ws.records().roll_up("unit", "unit_kind", "个体工商户")[h.at("371338001")] == 35);
}

TEST_CASE("examples.calendar.holiday_eve_deadlines") {
    // The demo's matters, limits from the category presets, started on the eve of
    // National Day 2026 (a Wednesday; 10-01..10-07 off, Saturday 10-10 worked) and before
    // the Spring Festival (Friday 02-13; Saturday 02-14 worked, 02-15..02-23 off).
    // Working hours 08:30-12:00 and 14:00-17:30; a working day counts 7 hours.
    const WorkingCalendar calendar;
    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    const auto limit = [&](const char* code) {
        return categories.at(code).limit_for("handle", "")->limit;
    };
    REQUIRE(limit("E0401") == TimeLimit::natural_hours(2));
    REQUIRE(limit("E0102") == TimeLimit::working_hours(4));
    REQUIRE(limit("G0302") == TimeLimit::working_days(5));
    const auto due = [&](const char* start, const char* code) {
        return calendar.deadline(Instant::parse(start), limit(code));
    };

    SUBCASE("the eve of National Day") {
        const char* start = "2026-09-30T16:30";
        CHECK(due(start, "E0401") == Instant::parse("2026-09-30T18:30"));
        // 1 h on 09-30, then 3 h on Thursday 10-08.
        CHECK(due(start, "E0102") == Instant::parse("2026-10-08T11:30"));
        // 10-08, 10-09, the make-up Saturday 10-10, 10-12, then 10-13 at the same time.
        CHECK(due(start, "G0302") == Instant::parse("2026-10-13T16:30"));
    }
    SUBCASE("before the Spring Festival") {
        const char* start = "2026-02-13T16:00";
        CHECK(due(start, "E0401") == Instant::parse("2026-02-13T18:00"));
        // 1.5 h on Friday, 2.5 h on the make-up Saturday.
        CHECK(due(start, "E0102") == Instant::parse("2026-02-14T11:00"));
        // 02-14, then 02-24, 02-25, 02-26 and 02-27 at the same time.
        CHECK(due(start, "G0302") == Instant::parse("2026-02-27T16:00"));
    }
}
