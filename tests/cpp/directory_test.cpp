// The directory, specified on the seed-000 township: 青石镇 (一级网格长) over its villages
// (二级网格长, 网格指导员) over base grids of about 150 households, each with one
// 网格信息员 on post A and a neighbouring grid's officer on post B.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "../support/builders.hpp"
#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
using nlohmann::json;

namespace {

Date day(const char* iso) {
    return Date::parse(iso);
}

NodeSpec node(const std::string& code, const std::string& parent, const char* level,
              const std::string& name, double households = missing_value) {
    NodeSpec s;
    s.code = code;
    s.parent_code = parent;
    s.level = level;
    s.name = name;
    s.households = households;
    if (!is_missing(households))
        s.population = households * 3;
    return s;
}

Person person(const std::string& id, const std::string& name, const std::string& phone = "",
              const std::string& id_number = "") {
    Person p;
    p.id = id;
    p.name = name;
    p.phone = phone;
    p.id_number = id_number;
    return p;
}

Assignment assign(const std::string& who, const std::string& role, NodeId at, Post post = Post::a,
                  const char* from = "2023-08-24", const char* to = nullptr) {
    Assignment a;
    a.person = who;
    a.role = role;
    a.node = at;
    a.post = post;
    a.period.from = day(from);
    if (to != nullptr)
        a.period.to = day(to);
    return a;
}

Unit unit(const std::string& code, UnitKind kind, const std::string& name, NodeId at,
          std::vector<std::string> members = {}) {
    Unit u;
    u.code = code;
    u.kind = kind;
    u.name = name;
    u.node = at;
    u.period.from = day("2023-08-24");
    u.members = std::move(members);
    return u;
}

// 青石镇: 青石村 with grids 1-3, 东岭村 with grids 1-2 (东岭村 grid 2 has no officer yet).
struct Township {
    Hierarchy h;
    Directory dir{Catalogue::preset("township_000")};
    NodeId county{}, town{}, qingshi{}, dongling{};
    NodeId g1{}, g2{}, g3{}, d1{}, d2{};

    Township() {
        county = h.add(node("371338", "", "county", "苇川县"), day("2020-01-01"));
        town = h.add(node("371338102", "371338", "township", "青石镇"), day("2020-01-01"));
        qingshi = h.add(node("371338102201", "371338102", "village", "青石村"), day("2020-01-01"));
        dongling = h.add(node("371338102202", "371338102", "village", "东岭村"), day("2020-01-01"));
        g1 = h.add(node("371338102201001", "371338102201", "grid", "青石村第一网格", 148),
                   day("2023-08-01"));
        g2 = h.add(node("371338102201002", "371338102201", "grid", "青石村第二网格", 152),
                   day("2023-08-01"));
        g3 = h.add(node("371338102201003", "371338102201", "grid", "青石村第三网格", 155),
                   day("2023-08-01"));
        d1 = h.add(node("371338102202001", "371338102202", "grid", "东岭村第一网格", 161),
                   day("2023-08-01"));
        d2 = h.add(node("371338102202002", "371338102202", "grid", "东岭村第二网格", 139),
                   day("2023-08-01"));

        dir.add_people({
            person("T01", "王建国", "13805431001", "371338197503121237"),  // 党委副书记
            person("V01", "张秀英", "13905432002", "371338196807210453"),  // 青石村书记
            person("V02", "刘洋", "13705433003"),                          // 东岭村书记
            person("C01", "陈刚", "13605434004"),                          // 驻村干部
            person("I01", "赵大山", "13805435005", "371338195509170620"),  // 村民组长
            person("I02", "孙丽", "13805436006"),
            person("I03", "周老师", "13805437007"),
            person("I04", "吴建华", "13805438008"),
        });
        dir.add_assignments(h, {
                                   assign("T01", "township_grid_leader", town),
                                   assign("V01", "village_grid_leader", qingshi),
                                   assign("V02", "village_grid_leader", dongling),
                                   assign("C01", "grid_instructor", qingshi),
                                   assign("I01", "grid_information_officer", g1),
                                   assign("I02", "grid_information_officer", g2),
                                   assign("I03", "grid_information_officer", g3),
                                   assign("I04", "grid_information_officer", d1),
                                   // Neighbouring officers back each other up (B岗).
                                   assign("I02", "grid_information_officer", g1, Post::b),
                                   assign("I01", "grid_information_officer", g2, Post::b),
                               });
    }

    std::string who(const Responsibility& r) const {
        return r.found() ? dir.person(r.person).id : std::string("nobody");
    }
};

bool has_rule(const std::vector<Finding>& findings, const std::string& rule,
              const std::string& where) {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.rule == rule && f.where == where; });
}

std::size_t count_rule(const std::vector<Finding>& findings, const std::string& rule) {
    return static_cast<std::size_t>(std::count_if(
        findings.begin(), findings.end(), [&](const Finding& f) { return f.rule == rule; }));
}

}  // namespace

// ---- sensitive fields -------------------------------------------------------------------

TEST_CASE("directory.id_number.check_character_follows_gb11643") {
    CHECK(id_number_check_character("11010519491231002") == 'X');
    CHECK(id_number_check_character("37133819750312123") == '7');
    CHECK(is_valid_id_number("11010519491231002X"));
    CHECK(is_valid_id_number("11010519491231002x"));
    CHECK(is_valid_id_number("371338197503121237"));
    SUBCASE("a changed digit breaks the check") {
        CHECK_FALSE(is_valid_id_number("371338197503121238"));
        CHECK_FALSE(is_valid_id_number("371338197503121337"));
    }
    SUBCASE("length, digits and birth date") {
        CHECK_FALSE(is_valid_id_number("37133819750312123"));
        CHECK_FALSE(is_valid_id_number("3713381975031212377"));
        CHECK_FALSE(is_valid_id_number("37133819750A121237"));
        CHECK_FALSE(is_valid_id_number(""));
        // 1975-02-30 does not exist; the check character is right for the digits.
        const std::string bad_date =
            std::string("37133819750230123") + id_number_check_character("37133819750230123");
        CHECK_FALSE(is_valid_id_number(bad_date));
    }
    CHECK_THROWS_AS(id_number_check_character("12345"), Error);
}

TEST_CASE("directory.id_number.bad_one_names_person_and_field") {
    Directory dir;
    const auto add = [&](const char* number) {
        dir.add_person(person("P9", "钱多多", "", number));
    };
    CHECK_THROWS_WITH_AS(add("371338197503121238"),
                         doctest::Contains("person 'P9' field 'id_number'"), Error);
    CHECK_THROWS_WITH_AS(add("371338197503121238"), doctest::Contains("GB 11643 gives '7'"), Error);
    CHECK_THROWS_WITH_AS(add("3713381975031212"), doctest::Contains("16 characters, expected 18"),
                         Error);
    SUBCASE("the message never shows the number in clear") {
        try {
            add("371338197503121238");
            FAIL("accepted a bad ID number");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_argument);
            CHECK(std::string(e.what()).find("371338197503121238") == std::string::npos);
            CHECK(std::string(e.what()).find("3713**********1238") != std::string::npos);
        }
    }
    CHECK(dir.person_count() == 0);
}

TEST_CASE("directory.mask.keeps_prefix_and_last_four") {
    CHECK(mask_id_number("310104199001011233") == "3101**********1233");
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_phone("0539-7212345") == "053*****2345");
    CHECK(mask_phone("") == "");
    SUBCASE("short values keep almost nothing") {
        CHECK(mask_phone("12345") == "***45");
        CHECK(mask_phone("12") == "**");
    }
    SUBCASE("non-ASCII is masked by code point") {
        CHECK(mask_phone("电话一二三四五六七八") == "电话一***五六七八");
    }
}

// ---- catalogue ------------------------------------------------------------------------

TEST_CASE("directory.catalogue.presets_follow_the_policy_texts") {
    const std::vector<std::string> keys = Catalogue::preset_keys();
    CHECK(keys == std::vector<std::string>{"township_000", "community_001", "district_002",
                                           "county_seat_003"});
    SUBCASE("seed 000: 六大员 and three-level management") {
        const Catalogue c = Catalogue::preset("township_000");
        REQUIRE(c.duties.size() == 6);
        CHECK(c.duties[0].label_zh == "党的政策宣传员");
        CHECK(c.duties[5].label_zh == "基层党建协理员");
        REQUIRE(c.roles.size() == 4);
        CHECK(c.roles[0].label_zh == "一级网格长");
        CHECK(c.roles[0].level == "township");
        CHECK(c.roles[1].label_zh == "二级网格长");
        CHECK(c.roles[1].level == "village");
        CHECK(c.roles[2].label_zh == "网格指导员");
        CHECK(c.roles[2].function == RoleFunction::supervisor);
        CHECK(c.roles[3].label_zh == "网格信息员");
        CHECK(c.roles[3].level == "grid");
        CHECK(c.roles[3].cardinality == Cardinality::exactly_one);
        for (const RoleType& r : c.roles)
            CHECK(r.duties.size() == 6);
    }
    SUBCASE("seed 001 篇1: a four-person team per grid") {
        const Catalogue c = Catalogue::preset("community_001");
        REQUIRE(c.duties.size() == 6);
        CHECK(c.duties[0].label_zh == "政策法律宣传员");
        CHECK(c.duties[5].label_zh == "突发事件报告员");
        std::vector<std::string> grid_roles;
        for (const RoleType& r : c.roles) {
            if (r.level == "grid")
                grid_roles.push_back(r.label_zh);
        }
        CHECK(grid_roles == std::vector<std::string>{"网格负责人", "信息员", "督导员", "楼栋员"});
    }
    SUBCASE("seed 002 第二篇: 八大员") {
        const Catalogue c = Catalogue::preset("district_002");
        REQUIRE(c.duties.size() == 8);
        CHECK(c.duties[0].label_zh == "基础信息采集员");
        CHECK(c.duties[7].label_zh == "治安安全巡查员");
        CHECK(c.roles[*c.find_role("grid_worker")].duties.size() == 8);
    }
    SUBCASE("seed 003: supervising unit and patron leader per net-area") {
        const Catalogue c = Catalogue::preset("county_seat_003");
        const RoleType& unit = c.roles[*c.find_role("supervising_unit")];
        CHECK(unit.label_zh == "督导单位");
        CHECK(unit.level == "village");
        CHECK(c.roles[*c.find_role("patron_leader")].label_zh == "包扶县领导");
    }
    CHECK_THROWS_WITH_AS(Catalogue::preset("nowhere"), doctest::Contains("'nowhere'"), Error);
}

TEST_CASE("directory.catalogue.round_trips_through_json") {
    for (const std::string& key : Catalogue::preset_keys()) {
        CAPTURE(key);
        const Catalogue c = Catalogue::preset(key);
        const Catalogue back = Catalogue::from_json(c.to_json());
        CHECK(back.to_json() == c.to_json());
        CHECK(back.key == key);
    }
}

TEST_CASE("directory.catalogue.duties_reveal_record_fields" * doctest::test_suite("store")) {
    const Catalogue preset = Catalogue::preset("township_000");
    const Duty& social = preset.duties[*preset.find_duty("social_management")];
    CHECK(social.reveals == std::vector<std::string>{"resident", "unit"});
    CHECK(preset.duties[*preset.find_duty("public_opinion")].reveals.empty());
    const auto load = [](const std::string& reveals) {
        return Catalogue::from_json(R"({"key":"local","duties":[{"code":"visit","zh":"走访",)"
                                    R"("reveals":)" +
                                        reveals + "}]}",
                                    "local.json");
    };
    const Catalogue c = load(R"(["resident.phone","*","unit"])");
    CHECK(c.duties[0].reveals == std::vector<std::string>{"resident.phone", "*", "unit"});
    CHECK(Catalogue::from_json(c.to_json()).duties[0].reveals == c.duties[0].reveals);
    CHECK_THROWS_WITH_AS(load(R"(["resident id_number"])"),
                         doctest::Contains("local.json duties[0] field 'reveals': 'resident "
                                           "id_number' is not"),
                         Error);
    CHECK_THROWS_WITH_AS(load(R"(["resident."])"), doctest::Contains("field 'reveals'"), Error);
    CHECK_THROWS_WITH_AS(load(R"(["unit","unit"])"), doctest::Contains("given twice"), Error);
    CHECK_THROWS_WITH_AS(load(R"("unit")"), doctest::Contains("field 'reveals'"), Error);

    // A workspace keeps them.
    gridgov_test::TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "reveals.gridgov");
    Workspace::open(path).directory().set_catalogue(c);
    const Catalogue back = Workspace::open(path).directory().view().catalogue();
    CHECK(back.duties[0].reveals == c.duties[0].reveals);
}

TEST_CASE("directory.catalogue.from_json_names_the_bad_entry") {
    const auto load = [](const std::string& roles) {
        return Catalogue::from_json(
            R"({"key":"local","duties":[{"code":"patrol","zh":"巡查"}],"roles":)" + roles + "}",
            "local.json");
    };
    CHECK_NOTHROW(load(R"([{"code":"w","zh":"网格员","level":"grid","duties":["patrol"]}])"));
    CHECK_THROWS_WITH_AS(load(R"([{"code":"w","zh":"网格员","level":"grid","duties":["x"]}])"),
                         doctest::Contains("local.json roles[0] field 'duties': unknown duty 'x'"),
                         Error);
    CHECK_THROWS_WITH_AS(load(R"([{"code":"patrol","zh":"巡查员","level":"grid"}])"),
                         doctest::Contains("roles[0] field 'code': duplicate code 'patrol'"),
                         Error);
    CHECK_THROWS_WITH_AS(
        load(R"([{"code":"w","zh":"网格员","level":"grid","cardinality":"two"}])"),
        doctest::Contains("roles[0] field 'cardinality': unknown cardinality 'two'"), Error);
    CHECK_THROWS_WITH_AS(load(R"([{"code":"w","zh":"网格员"}])"),
                         doctest::Contains("roles[0] field 'level': missing"), Error);
    CHECK_THROWS_WITH_AS(Catalogue::from_json("{", "broken.json"),
                         doctest::Contains("broken.json: not valid JSON"), Error);
}

TEST_CASE("directory.catalogue.replacing_it_keeps_assignments_consistent") {
    Township t;
    Catalogue c = Catalogue::preset("township_000");
    c.roles.pop_back();  // drops 网格信息员, which assignments use
    CHECK_THROWS_WITH_AS(t.dir.set_catalogue(c),
                         doctest::Contains("lacks role 'grid_information_officer'"), Error);
    Catalogue moved = Catalogue::preset("township_000");
    moved.roles[3].level = "village";
    CHECK_THROWS_WITH_AS(t.dir.set_catalogue(moved), doctest::Contains("at level 'village'"),
                         Error);
    CHECK(t.dir.catalogue().roles.size() == 4);
    Catalogue reordered = Catalogue::preset("township_000");
    std::reverse(reordered.roles.begin(), reordered.roles.end());
    t.dir.set_catalogue(reordered);
    CHECK(t.who(t.dir.responsible(t.h, t.g1, "grid_information_officer", day("2024-03-01"))) ==
          "I01");
}

// ---- changes --------------------------------------------------------------------------

TEST_CASE("directory.people.refuses_duplicates_and_changes_nothing") {
    Township t;
    const std::size_t before = t.dir.person_count();
    CHECK_THROWS_WITH_AS(t.dir.add_people({person("N1", "新人"), person("T01", "重复")}),
                         doctest::Contains("person 'T01' field 'id': person 'T01' already exists"),
                         Error);
    CHECK_THROWS_WITH_AS(t.dir.add_people({person("N1", "新人"), person("N1", "又一个")}),
                         doctest::Contains("also given by"), Error);
    CHECK_THROWS_WITH_AS(t.dir.add_person(person("N2", "")),
                         doctest::Contains("field 'name': empty"), Error);
    CHECK(t.dir.person_count() == before);
    CHECK_FALSE(t.dir.find_person("N1"));
    SUBCASE("update replaces the fields of a known person") {
        Person p = t.dir.person(t.dir.person_at("I02"));
        p.phone = "13900000000";
        p.categories = {"老党员"};
        t.dir.update_person(p);
        CHECK(t.dir.person(t.dir.person_at("I02")).phone == "13900000000");
        CHECK_THROWS_AS(t.dir.update_person(person("nobody", "无名")), Error);
    }
}

TEST_CASE("directory.assignment.rejects_bad_fields_naming_them") {
    Township t;
    const std::size_t before = t.dir.assignments().size();
    CHECK_THROWS_WITH_AS(t.dir.add_assignment(t.h, assign("X99", "grid_information_officer", t.d2)),
                         doctest::Contains("field 'person': no person 'X99'"), Error);
    CHECK_THROWS_WITH_AS(t.dir.add_assignment(t.h, assign("I04", "janitor", t.d2)),
                         doctest::Contains("field 'role': no role 'janitor'"), Error);
    CHECK_THROWS_WITH_AS(t.dir.add_assignment(t.h, assign("I04", "grid_information_officer", 9999)),
                         doctest::Contains("field 'node': no node with id 9999"), Error);
    CHECK_THROWS_WITH_AS(
        t.dir.add_assignment(t.h, assign("I04", "village_grid_leader", t.d2)),
        doctest::Contains("is held at level 'village', node '371338102202002' is at level 'grid'"),
        Error);
    CHECK_THROWS_WITH_AS(t.dir.add_assignment(t.h, assign("I04", "grid_information_officer", t.d2,
                                                          Post::a, "2024-03-01", "2024-03-01")),
                         doctest::Contains("field 'to': period [2024-03-01, 2024-03-01) is empty"),
                         Error);
    try {
        t.dir.add_assignment(t.h, assign("I04", "janitor", t.d2));
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
    }
    CHECK(t.dir.assignments().size() == before);
}

TEST_CASE("directory.assignment.overlapping_primary_posts_are_refused") {
    Township t;
    SUBCASE("a second post-A officer on a one-officer grid") {
        CHECK_THROWS_WITH_AS(
            t.dir.add_assignment(
                t.h, assign("I04", "grid_information_officer", t.g1, Post::a, "2024-01-01")),
            doctest::Contains("has exactly one post-A holder at node '371338102201001'"), Error);
        try {
            t.dir.add_assignment(t.h, assign("I04", "grid_information_officer", t.g1));
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::already_exists);
        }
    }
    SUBCASE("the same person twice on the same post") {
        CHECK_THROWS_WITH_AS(
            t.dir.add_assignment(
                t.h, assign("C01", "grid_instructor", t.qingshi, Post::a, "2024-01-01")),
            doctest::Contains("of the same person at the same node, role and post"), Error);
    }
    SUBCASE("overlaps inside one batch name the later record") {
        CHECK_THROWS_WITH_AS(
            t.dir.add_assignments(
                t.h, {assign("I04", "grid_information_officer", t.d2, Post::a, "2024-01-01"),
                      assign("I03", "grid_information_officer", t.d2, Post::a, "2024-02-01")}),
            doctest::Contains("assignment of 'I03' as 'grid_information_officer' at "
                              "'371338102202002' field 'from'"),
            Error);
        CHECK(t.dir.roster(t.d2, day("2024-03-01")).empty());
    }
    SUBCASE("successive holders and several instructors are fine") {
        t.dir.add_assignments(
            t.h,
            {assign("I04", "grid_information_officer", t.d2, Post::a, "2023-09-01", "2024-01-01"),
             assign("I03", "grid_information_officer", t.d2, Post::a, "2024-01-01"),
             assign("V02", "grid_instructor", t.qingshi)});
        CHECK(t.dir.roster(t.qingshi, day("2024-03-01")).size() == 3);
    }
}

TEST_CASE("directory.assignment.ending_closes_the_period_and_keeps_history") {
    Township t;
    const AssignmentId id = t.dir.roster(t.g3, day("2024-03-01")).front().assignment;
    t.dir.end_assignment(id, day("2024-04-01"));
    CHECK(t.dir.assignment(id).period.to == day("2024-04-01"));
    CHECK(t.who(t.dir.responsible(t.h, t.g3, "grid_information_officer", day("2024-03-31"))) ==
          "I03");
    CHECK(t.dir.roster(t.g3, day("2024-04-01")).empty());
    t.dir.add_assignment(t.h,
                         assign("I04", "grid_information_officer", t.g3, Post::a, "2024-04-01"));
    CHECK(t.who(t.dir.responsible(t.h, t.g3, "grid_information_officer", day("2024-04-01"))) ==
          "I04");
    CHECK(t.dir.assignments().size() == 11);
    SUBCASE("a closed period is not reopened") {
        CHECK_THROWS_WITH_AS(t.dir.end_assignment(id, day("2024-05-01")),
                             doctest::Contains("already ended on 2024-04-01"), Error);
        CHECK_THROWS_WITH_AS(t.dir.end_assignment(id, day("2023-08-24")),
                             doctest::Contains("leaves no period"), Error);
        CHECK_THROWS_AS(t.dir.end_assignment(999, day("2024-05-01")), Error);
    }
}

// ---- responsible ----------------------------------------------------------------------

TEST_CASE("directory.responsible.finds_the_holder_at_the_node") {
    Township t;
    const Responsibility r = t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"));
    REQUIRE(r.found());
    CHECK(t.who(r) == "I01");
    CHECK(r.node == t.g1);
    CHECK(r.post == Post::a);
    CHECK(t.dir.role(r.role).code == "grid_information_officer");
    REQUIRE(r.steps.size() == 1);
    CHECK(r.steps[0].outcome == StepOutcome::chosen);
    CHECK(r.steps[0].assignment == r.assignment);
}

TEST_CASE("directory.responsible.falls_back_to_b_when_a_on_leave") {
    Township t;
    Absence leave;
    leave.person = "I01";
    leave.kind = AbsenceKind::leave;
    leave.period = Period{day("2024-02-26"), day("2024-03-11")};
    leave.reason = "病假";
    const AbsenceId absence = t.dir.add_absence(leave);

    const Responsibility r = t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"));
    CHECK(t.who(r) == "I02");
    CHECK(r.post == Post::b);
    CHECK(r.node == t.g1);
    REQUIRE(r.steps.size() == 2);
    CHECK(r.steps[0].post == Post::a);
    CHECK(t.dir.person(r.steps[0].person).id == "I01");
    CHECK(r.steps[0].outcome == StepOutcome::absent);
    CHECK(r.steps[0].absence == absence);
    CHECK(r.steps[1].post == Post::b);
    CHECK(r.steps[1].outcome == StepOutcome::chosen);

    SUBCASE("the leave is a period: before and after it post A answers") {
        CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-02-25"))) == "I01");
        CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-11"))) == "I01");
    }
    SUBCASE("the leave covers the person's every post") {
        const Responsibility g2 = t.dir.responsible(t.h, t.g2, "public_opinion", day("2024-03-01"));
        CHECK(t.who(g2) == "I02");
        CHECK(g2.post == Post::a);
    }
    SUBCASE("when B is away too, the walk goes up to the village") {
        Absence also = leave;
        also.person = "I02";
        t.dir.add_absence(also);
        const Responsibility up = t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"));
        CHECK(t.who(up) == "V01");
        CHECK(up.node == t.qingshi);
        CHECK(t.dir.role(up.role).code == "village_grid_leader");
        REQUIRE(up.steps.size() == 3);
        CHECK(up.steps[1].outcome == StepOutcome::absent);
    }
    SUBCASE("ending the leave early brings post A back") {
        t.dir.end_absence(absence, day("2024-02-28"));
        CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"))) == "I01");
    }
}

TEST_CASE("directory.responsible.vacancy_of_one_post_leaves_the_others") {
    Township t;
    Absence vacancy;
    vacancy.person = "I01";
    vacancy.kind = AbsenceKind::vacancy;
    vacancy.period = Period{day("2024-03-01"), Date::max()};
    vacancy.assignment = t.dir.roster(t.g1, day("2024-03-01")).front().assignment;
    t.dir.add_absence(vacancy);
    CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"))) == "I02");
    // I01's backup post on grid 2 is untouched by the vacancy of the grid-1 post.
    Absence away;
    away.person = "I02";
    away.period = Period{day("2024-03-01"), day("2024-03-05")};
    t.dir.add_absence(away);
    const Responsibility g2 = t.dir.responsible(t.h, t.g2, "public_opinion", day("2024-03-02"));
    CHECK(t.who(g2) == "I01");
    CHECK(g2.post == Post::b);
    SUBCASE("a vacancy names a post of the same person") {
        Absence wrong = vacancy;
        wrong.person = "I03";
        CHECK_THROWS_WITH_AS(t.dir.add_absence(wrong), doctest::Contains("is not held by 'I03'"),
                             Error);
    }
}

TEST_CASE("directory.responsible.walks_up_where_the_grid_has_no_holder") {
    Township t;
    const Responsibility r = t.dir.responsible(t.h, t.d2, "social_management", day("2024-03-01"));
    CHECK(t.who(r) == "V02");
    CHECK(r.node == t.dongling);
    REQUIRE(r.steps.size() == 2);
    CHECK(r.steps[0].node == t.d2);
    CHECK(r.steps[0].outcome == StepOutcome::no_holder);
    CHECK(r.steps[0].person == no_person);
    CHECK(r.steps[1].node == t.dongling);
    SUBCASE("by role: the village leader of a grid") {
        const Responsibility v =
            t.dir.responsible(t.h, t.g2, "village_grid_leader", day("2024-03-01"));
        CHECK(t.who(v) == "V01");
        CHECK(v.steps.size() == 1);  // the grid is not at the role's level: no step there
    }
    SUBCASE("by function: the supervisor of a grid") {
        const Responsibility s =
            t.dir.responsible(t.h, t.g3, RoleFunction::supervisor, day("2024-03-01"));
        CHECK(t.who(s) == "C01");
        CHECK(t.who(t.dir.responsible(t.h, t.d1, RoleFunction::supervisor, day("2024-03-01"))) ==
              "nobody");
    }
}

TEST_CASE("directory.responsible.respects_validity_periods") {
    Township t;
    CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2023-08-23"))) == "nobody");
    const Responsibility none = t.dir.responsible(t.h, t.g1, "public_opinion", day("2023-08-23"));
    // grid, village (二级网格长, 网格指导员), township, county (no role there)
    CHECK(none.steps.size() == 4);
    CHECK(std::all_of(none.steps.begin(), none.steps.end(),
                      [](const ResolutionStep& s) { return s.outcome == StepOutcome::no_holder; }));
    CHECK(t.who(t.dir.responsible(t.h, t.g1, "public_opinion", day("2023-08-24"))) == "I01");
}

TEST_CASE("directory.responsible.unknown_codes_and_nodes_are_not_found") {
    Township t;
    CHECK_THROWS_WITH_AS(t.dir.responsible(t.h, t.g1, "dancing", day("2024-03-01")),
                         doctest::Contains("no duty or role 'dancing'"), Error);
    CHECK_THROWS_WITH_AS(t.dir.responsible(t.h, 4242, "public_opinion", day("2024-03-01")),
                         doctest::Contains("no node with id 4242"), Error);
}

TEST_CASE("directory.responsible.explains_itself_with_codes") {
    Township t;
    Absence leave;
    leave.person = "I01";
    leave.period = Period{day("2024-03-01"), day("2024-03-02")};
    t.dir.add_absence(leave);
    const Responsibility r = t.dir.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"));
    const json doc = json::parse(t.dir.explain(t.h, r));
    CHECK(doc["person"] == "I02");
    CHECK(doc["name"] == "孙丽");
    CHECK(doc["post"] == "B");
    CHECK(doc["node"] == "371338102201001");
    REQUIRE(doc["steps"].size() == 2);
    CHECK(doc["steps"][0]["outcome"] == "absent");
    CHECK(doc["steps"][0]["absence_kind"] == "leave");
    CHECK(doc["steps"][0]["person"] == "I01");
    CHECK(doc["steps"][1]["outcome"] == "chosen");
}

// ---- roster, posts, workload ----------------------------------------------------------

TEST_CASE("directory.roster.lists_post_a_then_post_b") {
    Township t;
    const std::vector<RosterEntry> g1 = t.dir.roster(t.g1, day("2024-03-01"));
    REQUIRE(g1.size() == 2);
    CHECK(t.dir.person(g1[0].person).id == "I01");
    CHECK(g1[0].post == Post::a);
    CHECK(t.dir.person(g1[1].person).id == "I02");
    CHECK(g1[1].post == Post::b);
    CHECK(g1[0].absence == 0);
    const std::vector<RosterEntry> village = t.dir.roster(t.qingshi, day("2024-03-01"));
    REQUIRE(village.size() == 2);
    CHECK(t.dir.role(village[0].role).code == "village_grid_leader");
    CHECK(t.dir.role(village[1].role).code == "grid_instructor");
    CHECK(t.dir.roster(t.g1, day("2023-01-01")).empty());
}

TEST_CASE("directory.posts.of_a_person_on_a_date") {
    Township t;
    const std::vector<RosterEntry> posts = t.dir.posts("I01", day("2024-03-01"));
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].node == t.g1);
    CHECK(posts[0].post == Post::a);
    CHECK(posts[1].node == t.g2);
    CHECK(posts[1].post == Post::b);
    CHECK(t.dir.posts("T01", day("2023-01-01")).empty());
    CHECK_THROWS_AS(t.dir.posts("nobody", day("2024-03-01")), Error);
}

TEST_CASE("directory.workload.counts_grids_households_and_people_served") {
    Township t;
    const std::vector<Workload> w = t.dir.workload(t.h, day("2024-03-01"));
    REQUIRE(w.size() == t.dir.person_count());
    const Workload& officer = w[t.dir.person_at("I01")];
    CHECK(officer.primary_posts == 1);
    CHECK(officer.backup_posts == 1);
    CHECK(officer.grids == 1);
    CHECK(officer.households == 148);
    CHECK(officer.population == 444);
    const Workload& village = w[t.dir.person_at("V01")];
    CHECK(village.grids == 3);
    CHECK(village.households == 148 + 152 + 155);
    const Workload& town = w[t.dir.person_at("T01")];
    CHECK(town.grids == 5);
    CHECK(town.households == 148 + 152 + 155 + 161 + 139);
    SUBCASE("nested posts are counted once") {
        t.dir.add_assignment(t.h, assign("V01", "grid_information_officer", t.d2));
        const Workload again = t.dir.workload(t.h, day("2024-03-01"))[t.dir.person_at("V01")];
        CHECK(again.primary_posts == 2);
        CHECK(again.grids == 4);
        t.dir.add_assignment(t.h, assign("T01", "grid_information_officer", t.g3, Post::b));
        const Workload town_again = t.dir.workload(t.h, day("2024-03-01"))[t.dir.person_at("T01")];
        CHECK(town_again.grids == 5);
        CHECK(town_again.backup_posts == 1);
    }
}

// ---- compliance -----------------------------------------------------------------------

TEST_CASE("directory.compliance.five_ones_per_grid") {
    Township t;
    for (NodeId g : {t.g1, t.g2}) {
        const std::string c = t.h.code(g);
        t.dir.add_units(t.h, {unit("PG" + c, UnitKind::party_group, "党小组", g, {"I01"}),
                              unit("AR" + c, UnitKind::information_archive, "一格一盒", g)});
    }
    t.dir.add_unit(t.h,
                   unit("ST-QS", UnitKind::service_team, "青石村服务团队", t.qingshi, {"C01"}));
    CompliancePolicy policy;
    policy.max_primary_grids = 0;
    const std::vector<Finding> f = t.dir.compliance(t.h, day("2024-03-01"), policy);
    const std::string g1 = t.h.code(t.g1), g3 = t.h.code(t.g3), d1 = t.h.code(t.d1),
                      d2 = t.h.code(t.d2);
    CHECK_FALSE(has_rule(f, "directory.five_ones.party_group", g1));
    CHECK_FALSE(has_rule(f, "directory.five_ones.information_archive", g1));
    CHECK_FALSE(has_rule(f, "directory.five_ones.service_team", g1));
    CHECK_FALSE(has_rule(f, "directory.five_ones.grid_leader", g1));
    CHECK_FALSE(has_rule(f, "directory.five_ones.information_officer", g1));
    CHECK(has_rule(f, "directory.five_ones.party_group", g3));
    CHECK(has_rule(f, "directory.five_ones.information_archive", g3));
    CHECK_FALSE(has_rule(f, "directory.five_ones.service_team", g3));  // the village's team
    CHECK(has_rule(f, "directory.five_ones.service_team", d1));
    CHECK_FALSE(has_rule(f, "directory.five_ones.grid_leader", d2));  // 东岭村's leader
    CHECK(has_rule(f, "directory.five_ones.information_officer", d2));
    SUBCASE("two party groups on one grid are a warning") {
        t.dir.add_unit(t.h, unit("PG2", UnitKind::party_group, "第二党小组", t.g1));
        const auto again = t.dir.compliance(t.h, day("2024-03-01"), policy, t.g1);
        REQUIRE(count_rule(again, "directory.five_ones.party_group") == 1);
        CHECK(again.front().severity == Severity::warning);
    }
    SUBCASE("without a leader anywhere above") {
        t.dir.end_assignment(t.dir.roster(t.dongling, day("2024-03-01")).front().assignment,
                             day("2024-02-01"));
        t.dir.end_assignment(t.dir.roster(t.town, day("2024-03-01")).front().assignment,
                             day("2024-02-01"));
        const auto again = t.dir.compliance(t.h, day("2024-03-01"), policy, t.dongling);
        CHECK(has_rule(again, "directory.five_ones.grid_leader", d1));
        CHECK(has_rule(again, "directory.five_ones.grid_leader", d2));
    }
    SUBCASE("switched off") {
        policy.five_ones = false;
        CHECK(count_rule(t.dir.compliance(t.h, day("2024-03-01"), policy),
                         "directory.five_ones.party_group") == 0);
    }
}

TEST_CASE("directory.compliance.cardinality_and_primary_worker") {
    Township t;
    const std::vector<Finding> f = t.dir.compliance(t.h, day("2024-03-01"));
    CHECK(has_rule(f, "directory.cardinality", t.h.code(t.d2)));
    CHECK(has_rule(f, "directory.primary_worker", t.h.code(t.d2)));
    CHECK_FALSE(has_rule(f, "directory.cardinality", t.h.code(t.g1)));
    // 东岭村 has no 网格指导员 (at least one is required).
    CHECK(has_rule(f, "directory.cardinality", t.h.code(t.dongling)));
    CHECK_FALSE(has_rule(f, "directory.cardinality", t.h.code(t.qingshi)));
    const auto it = std::find_if(f.begin(), f.end(), [&](const Finding& x) {
        return x.rule == "directory.cardinality" && x.where == t.h.code(t.dongling);
    });
    REQUIRE(it != f.end());
    CHECK(it->message.find("网格指导员") != std::string::npos);
    CHECK(it->message.find("at least one") != std::string::npos);
    SUBCASE("a backup alone is not a primary worker") {
        t.dir.add_assignment(t.h, assign("I04", "grid_information_officer", t.d2, Post::b));
        const auto again = t.dir.compliance(t.h, day("2024-03-01"));
        CHECK(has_rule(again, "directory.primary_worker", t.h.code(t.d2)));
    }
}

TEST_CASE("directory.compliance.backup_is_never_the_primary") {
    Township t;
    t.dir.add_assignment(t.h,
                         assign("I03", "grid_information_officer", t.g3, Post::b, "2024-01-01"));
    const auto f = t.dir.compliance(t.h, day("2024-03-01"));
    REQUIRE(has_rule(f, "directory.backup_is_primary", t.h.code(t.g3)));
    CHECK_FALSE(has_rule(t.dir.compliance(t.h, day("2023-12-31")), "directory.backup_is_primary",
                         t.h.code(t.g3)));
}

TEST_CASE("directory.compliance.at_most_n_primary_grids_per_person") {
    Township t;
    t.dir.add_assignment(t.h, assign("I04", "grid_information_officer", t.d2));
    CompliancePolicy policy;
    CHECK(policy.max_primary_grids == 1);
    const auto f = t.dir.compliance(t.h, day("2024-03-01"), policy);
    REQUIRE(has_rule(f, "directory.max_primary_grids", "I04"));
    CHECK(count_rule(f, "directory.max_primary_grids") == 1);
    policy.max_primary_grids = 2;
    CHECK_FALSE(has_rule(t.dir.compliance(t.h, day("2024-03-01"), policy),
                         "directory.max_primary_grids", "I04"));
}

TEST_CASE("directory.compliance.assignments_outside_the_node_lifetime") {
    Township t;
    // The grids were drawn on 2023-08-01; a post from 2023-07-01 predates its grid.
    t.dir.add_assignment(
        t.h, assign("I03", "grid_information_officer", t.d2, Post::a, "2023-07-01", "2023-08-20"));
    t.dir.add_unit(t.h, [&] {
        Unit u = unit("PG-OLD", UnitKind::party_group, "旧党小组", t.d1);
        u.period.from = day("2023-01-01");
        return u;
    }());
    const auto f = t.dir.compliance(t.h, day("2024-03-01"));
    CHECK(count_rule(f, "directory.outside_node_lifetime") == 2);
    CHECK(has_rule(f, "directory.outside_node_lifetime", t.h.code(t.d2)));
    CHECK(has_rule(f, "directory.outside_node_lifetime", t.h.code(t.d1)));
    SUBCASE("a retired grid ends the lifetime") {
        Hierarchy later = t.h;
        later.retire(t.g3, day("2024-06-01"));
        const auto r = t.dir.compliance(later, day("2024-03-01"));
        CHECK(has_rule(r, "directory.outside_node_lifetime", t.h.code(t.g3)));
    }
}

// ---- exports --------------------------------------------------------------------------

TEST_CASE("directory.chart.per_grid_leader_workers_supervisor_duties") {
    Township t;
    const json doc = json::parse(
        t.dir.chart(t.h, day("2024-03-01"), DocumentFormat::json, Reveal::masked, t.qingshi));
    REQUIRE(doc["grids"].size() == 3);
    const json& g1 = doc["grids"][0];
    CHECK(g1["code"] == "371338102201001");
    CHECK(g1["leader"]["name"] == "张秀英");
    CHECK(g1["leader"]["role_zh"] == "二级网格长");
    CHECK(g1["supervisor"]["name"] == "陈刚");
    REQUIRE(g1["workers"].size() == 2);
    CHECK(g1["workers"][0]["name"] == "赵大山");
    CHECK(g1["workers"][0]["post"] == "A");
    CHECK(g1["workers"][0]["phone"] == "138****5005");
    CHECK(g1["workers"][0]["duties"].size() == 6);
    CHECK(g1["workers"][1]["post"] == "B");
    CHECK(doc["phones"] == "masked");
    SUBCASE("phones in clear only when revealed") {
        const json open = json::parse(
            t.dir.chart(t.h, day("2024-03-01"), DocumentFormat::json, Reveal::revealed, t.qingshi));
        CHECK(open["grids"][0]["workers"][0]["phone"] == "13805435005");
    }
    SUBCASE("CSV: one line per grid and person") {
        const std::string csv =
            t.dir.chart(t.h, day("2024-03-01"), DocumentFormat::csv, Reveal::masked, t.qingshi);
        CHECK(csv.rfind("grid,grid_name,function,person,name,role,role_zh,post,node,phone,", 0) ==
              0);
        CHECK(csv.find("371338102201001,青石村第一网格,leader,V01,张秀英") != std::string::npos);
        CHECK(csv.find("13805435005") == std::string::npos);
        CHECK(csv.find("党的政策宣传员、") != std::string::npos);
    }
    SUBCASE("HTML: a self-contained printable page") {
        const std::string html =
            t.dir.chart(t.h, day("2024-03-01"), DocumentFormat::html, Reveal::masked);
        CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
        CHECK(html.find("@media print") != std::string::npos);
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("http") == std::string::npos);
        CHECK(html.find("东岭村第二网格") != std::string::npos);
        CHECK(html.find("138****5005") != std::string::npos);
        CHECK(html.find("13805435005") == std::string::npos);
        const std::string open =
            t.dir.chart(t.h, day("2024-03-01"), DocumentFormat::html, Reveal::revealed);
        CHECK(open.find("13805435005") != std::string::npos);
    }
}

TEST_CASE("directory.casbin.grouping_lines_on_a_date") {
    Township t;
    const std::string policy = t.dir.casbin_policy(t.h, day("2024-03-01"));
    CHECK(policy.rfind("g, T01, township_grid_leader, 371338102\n", 0) == 0);
    CHECK(policy.find("g, I02, grid_information_officer, 371338102201001\n") != std::string::npos);
    CHECK(std::count(policy.begin(), policy.end(), '\n') == 10);
    CHECK(t.dir.casbin_policy(t.h, day("2023-01-01")).empty());
}

TEST_CASE("directory.export.masks_id_numbers_and_phones_unless_revealed") {
    Township t;
    const json masked = json::parse(t.dir.export_json(t.h, Reveal::masked));
    CHECK(masked["people"][0]["id_number"] == "3713**********1237");
    CHECK(masked["people"][0]["phone"] == "138****1001");
    const std::string csv = t.dir.export_csv(t.h, DirectoryTable::people, Reveal::masked);
    CHECK(csv.find("371338197503121237") == std::string::npos);
    CHECK(csv.find("3713**********1237") != std::string::npos);
    const json open = json::parse(t.dir.export_json(t.h, Reveal::revealed));
    CHECK(open["people"][0]["id_number"] == "371338197503121237");
    CHECK(t.dir.export_csv(t.h, DirectoryTable::people, Reveal::revealed)
              .find("371338197503121237") != std::string::npos);
}

// ---- import ---------------------------------------------------------------------------

TEST_CASE("directory.import.json_round_trip") {
    Township t;
    Absence leave;
    leave.person = "I01";
    leave.period = Period{day("2024-03-01"), day("2024-03-08")};
    leave.assignment = t.dir.roster(t.g1, day("2024-03-01")).front().assignment;
    leave.reason = "婚假";
    t.dir.add_absence(leave);
    t.dir.add_unit(t.h, unit("PG1", UnitKind::party_group, "第一党小组", t.g1, {"I01", "V01"}));
    Person rich = t.dir.person(t.dir.person_at("I03"));
    rich.party = PartyMembership::member;
    rich.categories = {"五老", "老教师"};
    rich.attributes = {{"村民组", "第三组"}};
    t.dir.update_person(rich);

    const std::string text = t.dir.export_json(t.h, Reveal::revealed);
    Directory copy{Catalogue::preset("township_000")};
    const DirectoryImportReport report = copy.import_text(t.h, text, DocumentFormat::automatic,
                                                          DirectoryTable::automatic, "dir.json");
    CHECK(report.people_added == 8);
    CHECK(report.assignments_added == 10);
    CHECK(report.units_added == 1);
    CHECK(report.absences_added == 1);
    CHECK(copy.export_json(t.h, Reveal::revealed) == text);
    CHECK(copy.absences()[0].assignment == leave.assignment);
    CHECK(t.who(copy.responsible(t.h, t.g1, "public_opinion", day("2024-03-01"))) == "I02");
}

TEST_CASE("directory.import.csv_tables") {
    Township t;
    Directory dir{Catalogue::preset("township_000")};
    const char* people =
        "id,name,phone,id_number,party,categories,村民组\n"
        "P1,李四,13800000001,11010519491231002X,党员,五老;老党员,第一组\n"
        "P2,\"王, 五\",,,,,\n";
    const char* assignments =
        "person,role,node,post,from,to\n"
        "P1,grid_information_officer,371338102201001,A,2023-08-24,\n"
        "P2,grid_information_officer,371338102201001,B,2023-08-24,2024-08-24\n";
    const char* units =
        "code,kind,name,node,from,to,members\n"
        "PG1,党小组,第一网格党小组,371338102201001,2023-08-24,,P1;P2\n";
    const char* absences =
        "person,kind,from,to,role,node,reason\n"
        "P1,请假,2024-03-01,2024-03-05,grid_information_officer,371338102201001,探亲\n";
    dir.import_text(t.h, people, DocumentFormat::csv, DirectoryTable::people, "people.csv");
    dir.import_text(t.h, assignments, DocumentFormat::csv, DirectoryTable::assignments,
                    "assignments.csv");
    dir.import_text(t.h, units, DocumentFormat::csv, DirectoryTable::units, "units.csv");
    dir.import_text(t.h, absences, DocumentFormat::csv, DirectoryTable::absences, "absences.csv");
    const Person& p1 = dir.person(dir.person_at("P1"));
    CHECK(p1.party == PartyMembership::member);
    CHECK(p1.categories == std::vector<std::string>{"五老", "老党员"});
    REQUIRE(p1.attributes.size() == 1);
    CHECK(p1.attributes[0].second == "第一组");
    CHECK(dir.person(dir.person_at("P2")).name == "王, 五");
    CHECK(dir.unit("PG1").members.size() == 2);
    CHECK(dir.absences()[0].assignment == 1);
    const Responsibility r =
        dir.responsible(t.h, t.g1, "grid_information_officer", day("2024-03-02"));
    CHECK(dir.person(r.person).id == "P2");
    CHECK(dir.export_csv(t.h, DirectoryTable::assignments, Reveal::masked) ==
          "id,person,role,node,post,from,to\n"
          "1,P1,grid_information_officer,371338102201001,A,2023-08-24,\n"
          "2,P2,grid_information_officer,371338102201001,B,2023-08-24,2024-08-24\n");
}

TEST_CASE("directory.import.bad_row_names_file_row_field_and_imports_nothing") {
    Township t;
    Directory dir{Catalogue::preset("township_000")};
    const auto import_people = [&](const std::string& text) {
        return dir.import_text(t.h, text, DocumentFormat::csv, DirectoryTable::people,
                               "people.csv");
    };
    CHECK_THROWS_WITH_AS(import_people("id,name,id_number\n"
                                       "P1,李四,11010519491231002X\n"
                                       "P2,王五,110105194912310021\n"),
                         doctest::Contains("people.csv row 3 (person 'P2') field 'id_number'"),
                         Error);
    CHECK(dir.person_count() == 0);
    CHECK_THROWS_WITH_AS(import_people("id,name,party\nP1,李四,党委\n"),
                         doctest::Contains("people.csv row 2 field 'party': unknown party"), Error);
    CHECK_THROWS_WITH_AS(import_people("id,phone\nP1,1\n"),
                         doctest::Contains("people.csv row 1: missing column 'name'"), Error);
    CHECK_THROWS_WITH_AS(import_people("id,name\nP1,\"李四\n"),
                         doctest::Contains("people.csv row 2: a quoted cell is not closed"), Error);
    CHECK_THROWS_WITH_AS(import_people("id,name\nP1\n"),
                         doctest::Contains("people.csv row 2: 1 fields, the header has 2"), Error);
    CHECK(dir.person_count() == 0);

    import_people("id,name\nP1,李四\nP2,王五\n");
    const auto import_assignments = [&](const std::string& text) {
        return dir.import_text(t.h, text, DocumentFormat::csv, DirectoryTable::assignments,
                               "assignments.csv");
    };
    SUBCASE("unknown codes") {
        CHECK_THROWS_WITH_AS(
            import_assignments("person,role,node,from\n"
                               "P1,grid_information_officer,371338102201001,2023-08-24\n"
                               "P2,grid_information_officer,371338999,2023-08-24\n"),
            doctest::Contains("assignments.csv row 3 field 'node': no node with code '371338999'"),
            Error);
        CHECK(dir.assignments().empty());
    }
    SUBCASE("from >= to") {
        CHECK_THROWS_WITH_AS(
            import_assignments(
                "person,role,node,from,to\n"
                "P1,grid_information_officer,371338102201001,2024-01-01,2023-01-01\n"),
            doctest::Contains(
                "assignments.csv row 2 field 'to': period [2024-01-01, 2023-01-01) is "
                "empty"),
            Error);
    }
    SUBCASE("overlapping primary posts") {
        CHECK_THROWS_WITH_AS(
            import_assignments("person,role,node,from\n"
                               "P1,grid_information_officer,371338102201001,2023-08-24\n"
                               "P2,grid_information_officer,371338102201001,2024-01-01\n"),
            doctest::Contains("assignments.csv row 3 field 'from': role 'grid_information_officer' "
                              "has exactly one post-A holder"),
            Error);
        CHECK(dir.assignments().empty());
    }
    SUBCASE("bad date text") {
        CHECK_THROWS_WITH_AS(
            import_assignments("person,role,node,from\n"
                               "P1,grid_information_officer,371338102201001,2023-02-30\n"),
            doctest::Contains("assignments.csv row 2 field 'from'"), Error);
    }
    SUBCASE("JSON rows are array positions") {
        CHECK_THROWS_WITH_AS(
            dir.import_text(t.h,
                            R"({"people":[{"id":"P3","name":"赵六"}],
                                "assignments":[{"person":"P3","role":"grid_information_officer",
                                                "node":"371338102201002","from":"2023-08-24"},
                                               {"person":"P4","role":"grid_information_officer",
                                                "node":"371338102201003","from":"2023-08-24"}]})",
                            DocumentFormat::json, DirectoryTable::automatic, "dir.json"),
            doctest::Contains("dir.json assignments[1] field 'person': no person 'P4'"), Error);
        CHECK_FALSE(dir.find_person("P3"));
        CHECK_THROWS_WITH_AS(dir.import_text(t.h, R"({"persons":[]})", DocumentFormat::json,
                                             DirectoryTable::automatic, "dir.json"),
                             doctest::Contains("unknown member 'persons'"), Error);
    }
}

TEST_CASE("directory.import.text_that_is_not_utf8_or_has_controls_is_refused_naming_the_field") {
    Township t;
    Directory dir{Catalogue::preset("township_000")};
    const auto import = [&](DirectoryTable table, const std::string& text, const char* source) {
        return dir.import_text(t.h, text, DocumentFormat::csv, table, source);
    };
    const std::string nul(1, '\0');
    SUBCASE("people: a GBK byte in a name") {
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::people, "id,name\nP1,李四\nP2,\xC0\xEE\n", "people.csv"),
            doctest::Contains("people.csv row 3 field 'name': not UTF-8"), Error);
    }
    SUBCASE("people: a NUL, a tab or a C1 control in a one-line field") {
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::people, "id,name\nP1,李" + nul + "四\n", "people.csv"),
            doctest::Contains("people.csv row 2 (person 'P1') field 'name': control character "
                              "U+0000"),
            Error);
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::people, "id,name,phone\nP1,李四,138\t0000\n", "people.csv"),
            doctest::Contains("field 'phone': control character U+0009"), Error);
        CHECK_THROWS_WITH_AS(import(DirectoryTable::people,
                                    "id,name\nP\xC2\x85"
                                    "1,李四\n",
                                    "people.csv"),
                             doctest::Contains("field 'id': control character U+0085"), Error);
    }
    CHECK(dir.person_count() == 0);
    import(DirectoryTable::people, "id,name\nP1,李四\n", "people.csv");
    SUBCASE("units") {
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::units,
                   "code,kind,name,node\nU1,party_group,\xFF,371338102201001\n", "units.csv"),
            doctest::Contains("units.csv row 2 field 'name': not UTF-8"), Error);
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::units,
                   "code,kind,name,node\nU1,party_group,党" + nul + "小组,371338102201001\n",
                   "units.csv"),
            doctest::Contains("units.csv row 2 (unit 'U1') field 'name'"), Error);
        CHECK(dir.units().empty());
    }
    SUBCASE("posts") {
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::assignments,
                   "person,role,node,from\nP1,grid_information_officer\xE4,371338102201001,"
                   "2023-08-24\n",
                   "assignments.csv"),
            doctest::Contains("assignments.csv row 2 field 'role': not UTF-8"), Error);
        CHECK(dir.assignments().empty());
    }
    SUBCASE("absences: a reason may span lines but holds no NUL") {
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::absences, "person,from,reason\nP1,2024-01-01,病\xED\xA0\x80\n",
                   "absences.csv"),
            doctest::Contains("absences.csv row 2 field 'reason': not UTF-8"), Error);
        CHECK_THROWS_WITH_AS(
            import(DirectoryTable::absences, "person,from,reason\nP1,2024-01-01,病" + nul + "假\n",
                   "absences.csv"),
            doctest::Contains("absences.csv row 2 field 'reason': control character U+0000"),
            Error);
        CHECK(dir.absences().empty());
        import(DirectoryTable::absences, "person,from,reason\nP1,2024-01-01,\"病假\n\t三天\"\n",
               "absences.csv");
        CHECK(dir.absences().at(0).reason == "病假\n\t三天");
    }
    SUBCASE("JSON: invalid UTF-8 and escaped controls") {
        CHECK_THROWS_AS(
            dir.import_text(t.h, "{\"people\":[{\"id\":\"P2\",\"name\":\"\xFF\"}]}",
                            DocumentFormat::json, DirectoryTable::automatic, "dir.json"),
            Error);
        CHECK_THROWS_WITH_AS(
            dir.import_text(t.h, R"({"people":[{"id":"P2","name":"王\u0000五"}]})",
                            DocumentFormat::json, DirectoryTable::automatic, "dir.json"),
            doctest::Contains("dir.json people[0] (person 'P2') field 'name': control character "
                              "U+0000"),
            Error);
        CHECK_THROWS_WITH_AS(
            dir.import_text(t.h, R"({"units":[{"code":"U1","kind":"party_group","name":"a\nb",
                                     "node":"371338102201001"}]})",
                            DocumentFormat::json, DirectoryTable::automatic, "dir.json"),
            doctest::Contains("dir.json units[0] (unit 'U1') field 'name': control character "
                              "U+000A"),
            Error);
        CHECK(dir.person_count() == 1);
    }
    // The API refuses the same: a C or Python caller cannot store what a file may not.
    CHECK_THROWS_WITH_AS(dir.add_person(person("P9", "王\x01五")),
                         doctest::Contains("person 'P9' field 'name': control character U+0001"),
                         Error);
    CHECK_THROWS_WITH_AS(dir.add_person(person("P9", "王五", "\xFF")),
                         doctest::Contains("person 'P9' field 'phone': not UTF-8"), Error);
    CHECK(dir.person_count() == 1);
    // What was refused left nothing behind that an export would trip over.
    CHECK_NOTHROW(dir.export_json(t.h, Reveal::revealed));
    CHECK_NOTHROW(dir.export_csv(t.h, DirectoryTable::people, Reveal::revealed));
}

// ---- the county seat (seed 003): 11 net-areas × 3 grids --------------------------------

TEST_CASE("directory.county_seat.supervising_units_cover_33_grids") {
    Hierarchy h;
    h.add(node("371338", "", "county", "苇川县"));
    h.add(node("371338001", "371338", "township", "城关街道"));
    std::vector<NodeSpec> specs;
    for (int a = 1; a <= 11; ++a) {
        const std::string area = "371338001" + std::string(a < 10 ? "00" : "0") + std::to_string(a);
        specs.push_back(node(area, "371338001", "village", "第" + std::to_string(a) + "网区"));
        for (int g = 1; g <= 3; ++g) {
            specs.push_back(node(area + "00" + std::to_string(g), area, "grid",
                                 "网格" + std::to_string(g), 350));
        }
    }
    h.add_all(specs);
    Directory dir{Catalogue::preset("county_seat_003")};
    std::vector<Person> people;
    std::vector<Assignment> posts;
    for (int a = 1; a <= 11; ++a) {
        const std::string area = "371338001" + std::string(a < 10 ? "00" : "0") + std::to_string(a);
        const std::string n = std::to_string(a);
        Person unit_liaison = person("U" + n, "督导单位联络员" + n);
        unit_liaison.attributes = {{"unit", "成员单位" + n}};
        people.push_back(unit_liaison);
        people.push_back(person("L" + n, "县领导" + n));
        people.push_back(person("S" + n, "信息采集员" + n));
        posts.push_back(assign("U" + n, "supervising_unit", h.at(area)));
        posts.push_back(assign("L" + n, "patron_leader", h.at(area)));
        posts.push_back(assign("S" + n, "information_collector", h.at(area)));
    }
    dir.add_people(people);
    dir.add_assignments(h, posts);
    const std::vector<NodeId> grids = h.nodes_at_level(h.levels().index_of("grid"));
    REQUIRE(grids.size() == 33);
    for (NodeId g : grids) {
        const Responsibility r = dir.responsible(h, g, "frontage_supervision", day("2024-03-15"));
        REQUIRE(r.found());
        CHECK(dir.role(r.role).code == "patron_leader");
        CHECK(r.node == h.parent(g));
    }
    CHECK(dir.person(dir.responsible(h, grids[31], "problem_reporting", day("2024-03-15")).person)
              .id == "S11");
    CompliancePolicy policy;
    policy.five_ones = false;
    const auto f = dir.compliance(h, day("2024-03-15"), policy);
    // Nobody holds a grid-level post: every grid lacks a primary worker.
    CHECK(count_rule(f, "directory.primary_worker") == 33);
    CHECK(count_rule(f, "directory.cardinality") == 0);
    const json chart =
        json::parse(dir.chart(h, day("2024-03-15"), DocumentFormat::json, Reveal::masked));
    CHECK(chart["grids"].size() == 33);
    CHECK(chart["grids"][0]["supervisor"]["role_zh"] == "督导单位");
}

// ---- in a workspace -------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

using gridgov_test::TempDir;

// The township of the fixture above, written into a workspace file.
Workspace township_workspace(const std::string& path) {
    const Township t;
    Workspace ws = Workspace::open(path);
    for (const HierarchyChange& c : t.h.history())
        ws.hierarchy().add_node(c.spec, c.effective);
    ws.directory().set_catalogue(Catalogue::preset("township_000"));
    std::vector<Person> people;
    for (PersonId p = 0; p < t.dir.person_count(); ++p)
        people.push_back(t.dir.person(p));
    ws.directory().add_people(people);
    ws.directory().add_assignments(t.dir.assignments());
    return ws;
}

void sql(const std::string& path, const char* statement) {
    gridgov_test::RawStore(path).exec(statement);
}

}  // namespace

TEST_CASE("directory.workspace.every_change_persists_and_reloads" * doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "township.gridgov");
    std::string before;
    {
        Workspace ws = township_workspace(path);
        const NodeId g1 = ws.hierarchy().view().at("371338102201001");
        Absence leave;
        leave.person = "I01";
        leave.period = Period{day("2024-02-26"), day("2024-03-11")};
        leave.reason = "病假";
        const AbsenceId absence = ws.directory().add_absence(leave);
        ws.directory().end_absence(absence, day("2024-03-05"));
        ws.directory().add_unit(unit("PG1", UnitKind::party_group, "第一党小组", g1, {"I01"}));
        ws.directory().set_unit_members("PG1", {"I01", "V01"});
        ws.directory().end_unit("PG1", day("2025-01-01"));
        Person p = ws.directory().view().person(ws.directory().view().person_at("I03"));
        p.categories = {"五老", "老教师"};
        p.attributes = {{"村民组", "第三组"}};
        p.party = PartyMembership::probationary;
        ws.directory().update_person(p);
        ws.directory().end_assignment(3, day("2024-06-01"));
        CHECK(ws.directory().view().person(ws.directory().view().person_at("I01")).id == "I01");
        CHECK(ws.directory()
                  .view()
                  .responsible(ws.hierarchy().view(), g1, "public_opinion", day("2024-03-01"))
                  .post == Post::b);
        before = ws.directory().view().export_json(ws.hierarchy().view(), Reveal::revealed);
    }
    Workspace again = Workspace::open(path);
    CHECK(again.directory().view().export_json(again.hierarchy().view(), Reveal::revealed) ==
          before);
    const NodeId g1 = again.hierarchy().view().at("371338102201001");
    const Responsibility r = again.directory().view().responsible(
        again.hierarchy().view(), g1, "public_opinion", day("2024-03-01"));
    CHECK(again.directory().view().person(r.person).id == "I02");
    CHECK(again.directory().view().unit("PG1").members.size() == 2);
    SUBCASE("the catalogue is replaced in the file too") {
        Catalogue reordered = Catalogue::preset("township_000");
        std::reverse(reordered.roles.begin(), reordered.roles.end());
        again.directory().set_catalogue(reordered);
        Workspace third = Workspace::open(path);
        CHECK(third.directory().view().catalogue().roles.front().code ==
              "grid_information_officer");
        CHECK(third.directory().view().export_json(third.hierarchy().view(), Reveal::revealed) ==
              again.directory().view().export_json(again.hierarchy().view(), Reveal::revealed));
    }
}

TEST_CASE("directory.workspace.refused_change_leaves_file_and_model_unchanged" *
          doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "township.gridgov");
    Workspace ws = township_workspace(path);
    const NodeId g1 = ws.hierarchy().view().at("371338102201001");
    const std::string before =
        ws.directory().view().export_json(ws.hierarchy().view(), Reveal::revealed);
    CHECK_THROWS_WITH_AS(
        ws.directory().add_assignments(
            {assign("I04", "grid_information_officer", ws.hierarchy().view().at("371338102202002")),
             assign("I04", "grid_information_officer", g1)}),
        doctest::Contains("has exactly one post-A holder"), Error);
    CHECK_THROWS_AS(ws.directory().add_people({person("N1", "新人"), person("N2", "", "", "")}),
                    Error);
    CHECK_THROWS_AS(ws.directory().end_assignment(1, day("2000-01-01")), Error);
    CHECK_THROWS_AS(ws.directory().import_text(
                        "person,role,node,from\nI04,grid_information_officer,371338102202002,"
                        "2024-01-01\nI09,grid_information_officer,371338102202001,2024-01-01\n",
                        DocumentFormat::csv, DirectoryTable::assignments, "a.csv"),
                    Error);
    CHECK(ws.directory().view().export_json(ws.hierarchy().view(), Reveal::revealed) == before);
    Workspace again = Workspace::open(path);
    CHECK(again.directory().view().export_json(again.hierarchy().view(), Reveal::revealed) ==
          before);
}

TEST_CASE("directory.workspace.import_file_takes_the_table_from_its_name" *
          doctest::test_suite("store")) {
    TempDir tmp;
    Workspace ws = township_workspace(gridgov_test::store_location(tmp, "township.gridgov"));
    {
        std::ofstream(tmp.file("qingshi_people.csv")) << "id,name,phone\nP1,李四,13800000001\n";
        std::ofstream(tmp.file("assignments.csv"))
            << "person,role,node,from\nP1,grid_information_officer,371338102202002,2024-01-01\n";
        std::ofstream(tmp.file("roster.csv")) << "id,name\nP2,王五\n";
        std::ofstream(tmp.file("leave.json"))
            << R"({"absences":[{"person":"P1","from":"2024-03-01","to":"2024-03-04"}]})";
    }
    CHECK(ws.directory().import_file(tmp.file("qingshi_people.csv")).people_added == 1);
    CHECK(ws.directory().import_file(tmp.file("assignments.csv")).assignments_added == 1);
    CHECK(ws.directory().import_file(tmp.file("leave.json")).absences_added == 1);
    CHECK_THROWS_WITH_AS(ws.directory().import_file(tmp.file("roster.csv")),
                         doctest::Contains("name the table, or name the file after it"), Error);
    CHECK(ws.directory().import_file(tmp.file("roster.csv"), DirectoryTable::people).people_added ==
          1);
    const std::string missing = "directory file " + tmp.file("missing.csv") + " does not exist";
    CHECK_THROWS_WITH_AS(ws.directory().import_file(tmp.file("missing.csv")),
                         doctest::Contains(missing.c_str()), Error);
    const NodeId d2 = ws.hierarchy().view().at("371338102202002");
    CHECK(
        ws.directory()
            .view()
            .person(ws.directory()
                        .view()
                        .responsible(ws.hierarchy().view(), d2, "public_opinion", day("2024-03-05"))
                        .person)
            .id == "P1");
}

TEST_CASE("directory.workspace.read_only_refuses_changes" * doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "township.gridgov");
    township_workspace(path);
    Workspace ro = Workspace::open(path, OpenOptions{false, true});
    CHECK(ro.directory().view().person_count() == 8);
    CHECK_THROWS_WITH_AS(ro.directory().add_person(person("N1", "新人")),
                         doctest::Contains("read-only"), Error);
}

TEST_CASE("directory.workspace.damaged_rows_are_refused_on_open" * doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "township.gridgov");
    township_workspace(path);
    SUBCASE("an overlapping post written behind the library's back") {
        sql(path,
            "INSERT INTO directory_assignments (id, person, role, node, post, from_day, to_day) "
            "SELECT 11, 7, role, node, post, from_day, to_day FROM directory_assignments WHERE id "
            "= 5");
        CHECK_THROWS_WITH_AS(Workspace::open(path),
                             doctest::Contains("directory_assignments id 11 field 'from'"), Error);
    }
    SUBCASE("an ID number with a wrong check character") {
        sql(path, "UPDATE directory_people SET id_number = '371338197503121238' WHERE id = 0");
        try {
            Workspace::open(path);
            FAIL("opened a damaged file");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::storage);
            CHECK(std::string(e.what()).find("field 'id_number'") != std::string::npos);
        }
    }
}

// ---- posts on overlay units -------------------------------------------------------------

namespace {

using gridgov_test::market_catalogue;

// Seed 002 第一篇 (番禺): market-supervision 段区 laid over the township's grids, one
// officer (段管员) on post A of each 段区 and the adjacent 段区's officer on post B.
// D01 covers 青石村 grids 1-2, D02 grid 3, D03 东岭村 (the village node: both its grids).
void add_sections(Workspace& ws) {
    ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels());
    const auto section = [&](const char* code, const char* name, std::vector<std::string> grids) {
        OverlayUnitSpec s;
        s.code = code;
        s.name = name;
        s.level = "section";
        s.grid_codes = std::move(grids);
        ws.hierarchy().add_overlay_unit("market", s);
    };
    section("D01", "青石段区", {"371338102201001", "371338102201002"});
    section("D02", "青石南段区", {"371338102201003"});
    section("D03", "东岭段区", {"371338102202"});
}

Place section(const Workspace& ws, const char* code) {
    return ws.hierarchy().networks().place(std::string("market:") + code);
}

Workspace market_workspace(const std::string& path) {
    Workspace ws = township_workspace(path);
    add_sections(ws);
    ws.directory().set_catalogue(market_catalogue());
    ws.directory().add_people({person("M01", "黄志强", "13902001001"),
                               person("M02", "梁慧敏", "13902001002"),
                               person("M03", "何伟", "13902001003")});
    ws.directory().add_assignments({
        assign("M01", "section_officer", section(ws, "D01").node),
        assign("M02", "section_officer", section(ws, "D02").node),
        // 相邻网格的段管员互设为A、B岗.
        assign("M02", "section_officer", section(ws, "D01").node, Post::b),
        assign("M01", "section_officer", section(ws, "D02").node, Post::b),
    });
    return ws;
}

std::string who(const Workspace& ws, const Responsibility& r) {
    return r.found() ? ws.directory().view().person(r.person).id : std::string("nobody");
}

}  // namespace

TEST_CASE("directory.overlays.posts_on_units_with_adjacent_backups" *
          doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "market.gridgov");
    Workspace ws = market_workspace(path);
    const Directory& dir = ws.directory().view();
    const Networks net = ws.hierarchy().networks();
    const Date on = day("2024-03-01");
    const Place d01 = section(ws, "D01");
    const Place d02 = section(ws, "D02");

    // At the 段区 itself: its officer, else the adjacent officer on post B.
    CHECK(who(ws, dir.responsible(net, d01, "market_patrol", on)) == "M01");
    CHECK(who(ws, dir.responsible(net, d02, "section_officer", on)) == "M02");
    // From a base grid, through the 段区 covering it (a village-level mapping covers its grids).
    const NodeId g1 = ws.hierarchy().view().at("371338102201001");
    const NodeId g3 = ws.hierarchy().view().at("371338102201003");
    const NodeId dong1 = ws.hierarchy().view().at("371338102202001");
    CHECK(who(ws, dir.responsible(net, g1, "market_patrol", on)) == "M01");
    CHECK(who(ws, dir.responsible(net, g3, "market_patrol", on)) == "M02");
    const Responsibility vacant = dir.responsible(net, dong1, "market_patrol", on);
    CHECK_FALSE(vacant.found());
    REQUIRE(vacant.steps.size() == 1);
    CHECK(net.code(Place{"market", vacant.steps[0].node}) == "market:D03");
    // The base duties still resolve on the base alone.
    CHECK(who(ws, dir.responsible(net, g1, "public_opinion", on)) == "I01");
    // Without the overlays the overlay's roles find nobody.
    CHECK_FALSE(dir.responsible(ws.hierarchy().view(), g1, "market_patrol", on).found());

    // The officer of D01 on leave: the adjacent officer covers on post B.
    Absence leave;
    leave.person = "M01";
    leave.period = Period{day("2024-02-26"), day("2024-03-11")};
    leave.reason = "年休假";
    ws.directory().add_absence(leave);
    const Responsibility covered = ws.directory().view().responsible(net, d01, "market_patrol", on);
    CHECK(who(ws, covered) == "M02");
    CHECK(covered.post == Post::b);
    const json explained = json::parse(ws.directory().view().explain(net, covered));
    CHECK(explained["node"] == "market:D01");
    CHECK(explained["steps"][0]["outcome"] == "absent");
    CHECK(explained["steps"][1]["person"] == "M02");

    // Rosters by place: the overlay unit's posts, not those of the base node with its id.
    const std::vector<RosterEntry> roster = ws.directory().view().roster(d01, on);
    REQUIRE(roster.size() == 2);
    CHECK(ws.directory().view().place_of(roster[0]) == d01);
    for (const RosterEntry& e : ws.directory().view().roster(d01.node, on))
        CHECK(ws.directory().view().role(e.role).overlay.empty());
    CHECK(ws.directory().view().casbin_policy(net, on).find(
              "g, M01, section_officer, market:D01") != std::string::npos);

    // Staffing: D03 has no officer; a person on both posts of D02 is flagged.
    ws.directory().add_assignment(
        assign("M03", "section_officer", section(ws, "D03").node, Post::b));
    std::vector<Finding> findings = ws.directory().view().compliance(net, on);
    CHECK(has_rule(findings, "directory.cardinality", "market:D03"));
    CHECK_FALSE(has_rule(findings, "directory.cardinality", "market:D01"));
    ws.directory().add_assignment(
        assign("M02", "section_officer", d02.node, Post::b, "2024-02-01"));
    findings = ws.directory().view().compliance(net, on);
    CHECK(has_rule(findings, "directory.backup_is_primary", "market:D02"));
    // A scope takes the 段区 mapped inside or above it.
    const NodeId dongling = ws.hierarchy().view().at("371338102202");
    findings = ws.directory().view().compliance(net, on, CompliancePolicy{}, dongling);
    CHECK(has_rule(findings, "directory.cardinality", "market:D03"));
    CHECK_FALSE(has_rule(findings, "directory.backup_is_primary", "market:D02"));

    // Imports name overlay units as "market:D03" or, by the role's network, "D03".
    ws.directory().import_text("person,role,node,from\nM03,section_officer,market:D03,2024-03-01\n",
                               DocumentFormat::csv, DirectoryTable::assignments, "a.csv");
    CHECK(who(ws, ws.directory().view().responsible(net, dong1, "market_patrol", on)) == "M03");
    const std::string exported = ws.directory().view().export_json(net, Reveal::revealed);
    CHECK(exported.find("\"market:D03\"") != std::string::npos);

    // Refused, naming the field; nothing changes.
    CHECK_THROWS_WITH_AS(
        ws.directory().import_text("person,role,node,from\nM03,section_officer,D09,2024-03-01\n",
                                   DocumentFormat::csv, DirectoryTable::assignments, "b.csv"),
        doctest::Contains("no unit with code 'D09' in overlay 'market'"), Error);
    CHECK_THROWS_WITH_AS(ws.directory().add_assignment(assign(
                             "M03", "section_officer", ws.hierarchy().view().id_count() + 50)),
                         doctest::Contains("node"), Error);
    Catalogue moved = market_catalogue();
    moved.roles.back().overlay = "";
    moved.roles.back().level = "grid";
    CHECK_THROWS_WITH_AS(ws.directory().set_catalogue(moved),
                         doctest::Contains("holds role 'section_officer'"), Error);
    Catalogue elsewhere = market_catalogue();
    elsewhere.roles.back().overlay = "fire";
    CHECK_THROWS_AS(ws.directory().set_catalogue(elsewhere), Error);
    CHECK(ws.directory().view().export_json(net, Reveal::revealed) == exported);

    // Everything reloads from the store.
    Workspace again = Workspace::open(path);
    const Networks again_net = again.hierarchy().networks();
    CHECK(again.directory().view().export_json(again_net, Reveal::revealed) == exported);
    CHECK(who(again, again.directory().view().responsible(again_net, section(again, "D01"),
                                                          "market_patrol", on)) == "M02");
}

TEST_CASE("directory.overlays.a_schema_11_file_gains_overlay_posts" *
          doctest::test_suite("store")) {
    TempDir tmp;
    const std::string path = gridgov_test::store_location(tmp, "old.gridgov");
    std::string before;
    {
        Workspace ws = township_workspace(path);
        Absence leave;
        leave.person = "I01";
        leave.period = Period{day("2024-02-26"), day("2024-03-11")};
        leave.assignment = 5;
        ws.directory().add_absence(leave);
        before = ws.directory().view().export_json(ws.hierarchy().view(), Reveal::revealed);
    }
    {
        // The tables as schema 11 kept them.
        gridgov_test::RawStore raw(path);
        raw.exec(
            "CREATE TABLE a_copy AS SELECT id, person, role, node, post, from_day, to_day "
            "FROM directory_assignments");
        raw.exec("CREATE TABLE b_copy AS SELECT * FROM directory_absences");
        raw.exec("DROP TABLE directory_absences");
        raw.exec("DROP TABLE directory_assignments");
        raw.exec("ALTER TABLE directory_roles DROP COLUMN overlay");
        raw.exec(
            "CREATE TABLE directory_assignments (id INTEGER PRIMARY KEY, person INTEGER NOT "
            "NULL REFERENCES directory_people (id), role TEXT NOT NULL, node INTEGER NOT NULL "
            "REFERENCES hierarchy_nodes (id), post TEXT NOT NULL, from_day INTEGER NOT NULL, "
            "to_day INTEGER NOT NULL)");
        raw.exec(
            "CREATE TABLE directory_absences (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, "
            "kind TEXT NOT NULL, from_day INTEGER NOT NULL, to_day INTEGER NOT NULL, "
            "assignment INTEGER REFERENCES directory_assignments (id), reason TEXT NOT NULL)");
        raw.exec("INSERT INTO directory_assignments SELECT * FROM a_copy");
        raw.exec("INSERT INTO directory_absences SELECT * FROM b_copy");
        raw.exec("DROP TABLE a_copy");
        raw.exec("DROP TABLE b_copy");
        // Migrations 13 to 15 run again too.
        gridgov_test::downgrade_store(raw, 11);
    }
    Workspace ws = Workspace::open(path);
    CHECK(ws.directory().view().export_json(ws.hierarchy().view(), Reveal::revealed) == before);
    CHECK(ws.directory().view().absences().at(0).assignment == 5);
    add_sections(ws);
    ws.directory().set_catalogue(market_catalogue());
    ws.directory().add_assignment(assign("I04", "section_officer", section(ws, "D03").node));
    Workspace again = Workspace::open(path);
    CHECK(again.directory().view().assignments().back().node == section(again, "D03").node);
    CHECK(gridgov_test::RawStore(path).integer(
              "SELECT COUNT(*) FROM directory_assignments WHERE overlay = 'market'") == 1);
}
