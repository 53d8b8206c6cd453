// Reads bound to a person (WorkspaceView: Workspace::acting_as / as_system) over the
// report fixture (tests/report/fixture.hpp): 青石镇 with 青石村 (P0004 its leader; grids
// 001 and 002 with three cases) and 东岭村 (P0003 its leader; one grid with three cases),
// P0002 at the township's service centre, and a market 段区 D01 over 东岭村 whose
// officer M1 holds a duty that reveals people's phones.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../report/fixture.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
using gridgov_test::error_code_of;
using report_fixture::TempDir;

namespace {

const Date day = Date::parse("2024-03-05");

/// The fixture with phones and ID numbers on the two village leaders and the market
/// officer M1 on 段区 D01 (东岭村).
Workspace view_workspace(const std::string& file) {
    {
        Workspace ws = Workspace::open(file);
        report_fixture::populate(ws);
        ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels());
        ws.hierarchy().add_overlay_unit("market",
                                        gridgov_test::section("D01", "东岭段区", "371338101002"));
        ws.directory().set_catalogue(gridgov_test::with_section_officer(
            ws.directory().view().catalogue(), {"person.phone"}));
        Person m1 = report_fixture::person("M1", "黄志强");
        m1.phone = "13912345678";
        ws.directory().add_people({m1});
        ws.directory().add_assignments({report_fixture::post(
            "M1", "section_officer", ws.hierarchy().networks().place("market:D01").node)});
        for (const char* id : {"P0003", "P0004"}) {
            Person p = ws.directory().view().person(ws.directory().view().person_at(id));
            p.phone = std::string("1380000") + (id[4] == '3' ? "3333" : "4444");
            p.id_number = "371338198305091430";
            ws.directory().update_person(p);
        }
    }
    return Workspace::open(file);
}

std::set<std::string> numbers(const Workspace& ws, const std::vector<CaseId>& ids) {
    std::set<std::string> out;
    for (const CaseId id : ids)
        out.insert(ws.cases().get(id).number);
    return out;
}

std::set<std::string> case_villages(const Workspace& ws, const std::vector<CaseId>& ids) {
    const Hierarchy& h = ws.hierarchy().view();
    std::set<std::string> out;
    for (const CaseId id : ids)
        out.insert(h.code(h.parent(ws.cases().get(id).node)));
    return out;
}

std::vector<std::string> ids_of(const std::vector<Person>& people) {
    std::vector<std::string> out;
    for (const Person& p : people)
        out.push_back(p.id);
    return out;
}

}  // namespace

TEST_CASE("view.cases_are_those_of_the_ground_the_posts_cover") {
    TempDir dir;
    const Workspace ws = view_workspace(dir.file("w.gridgov"));
    const WorkspaceView system = ws.as_system("月度核查");
    const WorkspaceView qingshi = ws.acting_as("P0004", day, "村级案件督办");
    const WorkspaceView township = ws.acting_as("P0002", day, "镇级调度");
    const WorkspaceView market = ws.acting_as("M1", day, "段区巡查");

    CHECK(system.select_cases().size() == ws.cases().size());
    CHECK(township.select_cases().size() == ws.cases().size());
    const std::vector<CaseId> mine = qingshi.select_cases();
    CHECK(mine.size() == 3);
    CHECK(case_villages(ws, mine) == std::set<std::string>{"371338101001"});
    // The 段区 covers 东岭村's grid through the overlay unit.
    const std::vector<CaseId> theirs = market.select_cases();
    CHECK(theirs.size() == 3);
    CHECK(case_villages(ws, theirs) == std::set<std::string>{"371338101002"});
    // A filter narrows within the ground.
    CaseFilter open;
    open.kind = StateKind::open;
    CHECK(qingshi.select_cases(open).size() == 1);

    CHECK(qingshi.scope() == std::vector<std::string>{"371338101001"});
    CHECK(market.scope() == std::vector<std::string>{"market:D01"});
    CHECK(system.scope().empty());
    const Hierarchy& h = ws.hierarchy().view();
    CHECK(qingshi.covers(h.at("371338101001002")));
    CHECK_FALSE(qingshi.covers(h.at("371338101002001")));
    CHECK_FALSE(qingshi.covers(h.at("371338101")));

    // One case: of the ground, or refused the same whether it exists or not.
    const std::string own = *numbers(ws, mine).begin();
    CHECK(qingshi.get_case(own).number == own);
    CHECK(qingshi.case_events(own).size() == ws.cases().events(*ws.cases().find(own)).size());
    const std::string other = *numbers(ws, theirs).begin();
    CHECK(error_code_of([&] { qingshi.get_case(other); }) == ErrorCode::permission_denied);
    CHECK(error_code_of([&] { qingshi.case_events(other); }) == ErrorCode::permission_denied);
    CHECK(error_code_of([&] { qingshi.get_case("2099-999999"); }) == ErrorCode::permission_denied);
    CHECK(error_code_of([&] { system.get_case("2099-999999"); }) == ErrorCode::not_found);
    try {
        qingshi.get_case(other);
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("person 'P0004' covers no case") != std::string::npos);
    }
}

TEST_CASE("view.callers_are_checked_when_the_view_is_made") {
    TempDir dir;
    const Workspace ws = view_workspace(dir.file("w.gridgov"));
    CHECK(error_code_of([&] { ws.acting_as("NOBODY", day, "x"); }) == ErrorCode::permission_denied);
    // P0005 is a department member without a post in the directory.
    CHECK(error_code_of([&] { ws.acting_as("P0005", day, "x"); }) == ErrorCode::permission_denied);
    // Before the posts began.
    CHECK(error_code_of([&] { ws.acting_as("P0004", Date::parse("2020-01-01"), "x"); }) ==
          ErrorCode::permission_denied);
    CHECK(error_code_of([&] { ws.acting_as("P0004", day, ""); }) == ErrorCode::invalid_argument);
    CHECK(error_code_of([&] { ws.as_system(""); }) == ErrorCode::invalid_argument);
    CHECK(error_code_of([&] { ws.acting_as("P0004", day, "two\nlines"); }) ==
          ErrorCode::invalid_argument);
}

TEST_CASE("view.people_are_masked_unless_a_duty_reveals_them_and_reveals_are_logged") {
    TempDir dir;
    const Workspace ws = view_workspace(dir.file("w.gridgov"));
    const std::size_t log_before = ws.records().access_log().size();

    // The township's staff sees the people on its ground, masked.
    const std::vector<Person> all = ws.acting_as("P0002", day, "名册").people();
    CHECK(ids_of(all) == std::vector<std::string>{"P0002", "P0004", "P0003", "M1"});
    const auto p4 =
        std::find_if(all.begin(), all.end(), [](const Person& p) { return p.id == "P0004"; });
    REQUIRE(p4 != all.end());
    CHECK(p4->phone == mask_phone("13800004444"));
    CHECK(p4->id_number == mask_id_number("371338198305091430"));
    CHECK(ws.records().access_log().size() == log_before);

    // A village leader sees themself; not the other village's leader.
    const WorkspaceView qingshi = ws.acting_as("P0004", day, "名册");
    CHECK(ids_of(qingshi.people()) == std::vector<std::string>{"P0004"});
    CHECK(error_code_of([&] { qingshi.person("P0003"); }) == ErrorCode::permission_denied);
    CHECK(qingshi.person("P0004").name == p4->name);

    // The market officer's duty reveals phones on the 段区's ground, and only phones.
    const WorkspaceView market = ws.acting_as("M1", day, "段区联系人核对", Reveal::revealed);
    const Person m1 = market.person("M1");
    CHECK(m1.phone == "13912345678");
    // P0003 (东岭村) is on the 段区's ground, but no duty reveals the ID number on file.
    CHECK(error_code_of([&] { market.person("P0003"); }) == ErrorCode::permission_denied);
    // The revealed read was logged.
    const std::vector<RecordAccess> log = ws.records().access_log();
    REQUIRE(log.size() >= log_before + 1);
    const RecordAccess& last = log.back();
    CHECK(last.reader == "M1");
    CHECK(last.kind == "person");
    CHECK(last.key == "M1");
    CHECK(last.read == "person");
    CHECK(last.purpose == "段区联系人核对");
    CHECK(last.fields == std::vector<std::string>{"phone"});
    CHECK(ws.records().verify_access_log().intact);

    // A revealed read without a revealing duty is refused and logs nothing.
    const std::size_t before_refusal = ws.records().access_log().size();
    CHECK(error_code_of([&] { ws.acting_as("P0004", day, "x", Reveal::revealed).people(); }) ==
          ErrorCode::permission_denied);
    CHECK(ws.records().access_log().size() == before_refusal);
    // The system may reveal, and is logged too.
    const std::vector<Person> clear = ws.as_system("备份核对", Reveal::revealed).people();
    CHECK(std::find_if(clear.begin(), clear.end(),
                       [](const Person& p) { return p.phone == "13800003333"; }) != clear.end());
    CHECK(ws.records().access_log().back().system);
}

TEST_CASE("view.records_are_read_as_the_caller") {
    TempDir dir;
    const Workspace ws = view_workspace(dir.file("w.gridgov"));
    const WorkspaceView qingshi = ws.acting_as("P0004", day, "入户走访");
    CHECK(qingshi.record("R1").has_value());
    CHECK(error_code_of([&] { qingshi.record("R3"); }) == ErrorCode::permission_denied);
    RecordFilter residents;
    residents.kind = "resident";
    std::vector<std::string> keys;
    for (const Record& r : qingshi.records(residents))
        keys.push_back(r.key);
    CHECK(keys == std::vector<std::string>{"R1", "R2"});
    CHECK(ws.as_system("核对").records(residents).size() == 3);
}

TEST_CASE("view.notice_and_report_show_only_the_callers_subjects") {
    TempDir dir;
    const Workspace ws = view_workspace(dir.file("w.gridgov"));
    const AssessmentScheme scheme =
        AssessmentScheme::from_json(report_fixture::village_scheme_json());
    const AssessmentPeriod march = AssessmentPeriod::parse("2024-03");
    const WorkspaceView qingshi = ws.acting_as("P0004", day, "通报");
    const WorkspaceView dongling = ws.acting_as("P0003", day, "通报");
    CHECK(qingshi.covers_subject("371338101001"));
    CHECK_FALSE(qingshi.covers_subject("371338101002"));
    CHECK(qingshi.covers_subject("P0004"));
    CHECK_FALSE(qingshi.covers_subject("P0003"));
    CHECK(ws.acting_as("M1", day, "x").covers_subject("market:D01"));
    CHECK_FALSE(qingshi.covers_subject("market:D01"));
    CHECK_FALSE(qingshi.covers_subject("no-such-code"));

    const std::string all = ws.as_system("通报").notice_html(scheme, march);
    CHECK(all.find("371338101001") != std::string::npos);
    CHECK(all.find("371338101002") != std::string::npos);
    const std::string mine = qingshi.notice_html(scheme, march);
    CHECK(mine.find("371338101001") != std::string::npos);
    CHECK(mine.find("371338101002") == std::string::npos);
    // 东岭村's flag (three failing months) is shown to its own leader only.
    CHECK(dongling.notice_html(scheme, march).find("连续三月不合格") != std::string::npos);
    CHECK(mine.find("连续三月不合格") == std::string::npos);

    // The report page's data: the caller's village by default, the subjects they cover.
    const ReportData d =
        collect_report_data(qingshi, report_fixture::board_instant(), report_fixture::options());
    CHECK(d.summary.area_code == "371338101001");
    for (const SchemeSection& s : d.schemes) {
        for (const ScoreResult& r : s.results)
            CHECK(r.subject.code == "371338101001");
        CHECK(s.flags.empty());
    }
    ReportOptions other = report_fixture::options();
    other.scope = "371338101002";
    CHECK(error_code_of([&] {
              collect_report_data(qingshi, report_fixture::board_instant(), other);
          }) == ErrorCode::permission_denied);
    other.scope = "371338";
    CHECK(error_code_of([&] {
              collect_report_data(qingshi, report_fixture::board_instant(), other);
          }) == ErrorCode::permission_denied);
    const ReportData whole = collect_report_data(
        ws.as_system("报告"), report_fixture::board_instant(), report_fixture::options());
    std::size_t results = 0;
    for (const SchemeSection& s : whole.schemes)
        results += s.results.size();
    CHECK(results == 6);
}
