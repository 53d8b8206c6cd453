"""gridgov.Directory from Python, on the seed-000 township of conftest.py (石泉镇).

The township is staffed the way the township notice describes it: a 一级网格长 for the
township, a 二级网格长 and a 网格指导员 per village, one 网格信息员 per base grid on post A,
and the officer of the neighbouring grid on post B (A/B 岗).
"""

import datetime
import json

import numpy as np
import pytest

import gridgov
from conftest import (
    STREET,
    TOWNSHIP,
    VILLAGES,
    grid_code,
    seat_grid,
)

DAY = datetime.date(2024, 3, 1)
START = "2023-08-24"

G1 = grid_code("201", 1)
G2 = grid_code("201", 2)
G3 = grid_code("201", 3)
NANLING = TOWNSHIP + "203"
NANLING_LAST = grid_code("203", 4)


def staff(ws):
    d = ws.directory
    d.set_catalogue("township_000")
    d.add_person("T01", "王建国", phone="13805431001", id_number="371338197503121237",
                 party="member")
    d.add_assignment("T01", "township_grid_leader", TOWNSHIP, START)
    for n, (suffix, village, grids) in enumerate(VILLAGES, start=1):
        d.add_person(f"V{n}", f"{village}书记", phone=f"1390543200{n}")
        d.add_assignment(f"V{n}", "village_grid_leader", TOWNSHIP + suffix, START)
        if suffix != "203":  # 南岭村 still waits for its stationed cadre
            d.add_person(f"C{n}", f"{village}驻村干部", phone=f"1360543400{n}")
            d.add_assignment(f"C{n}", "grid_instructor", TOWNSHIP + suffix, START)
        for seq in range(1, len(grids) + 1):
            code = grid_code(suffix, seq)
            if code == NANLING_LAST:
                continue  # a grid without its officer yet
            d.add_person(f"I{suffix}{seq}", f"{village}信息员{seq}",
                         phone=f"138{suffix}{seq:05d}", categories=["村民组长"])
            d.add_assignment(f"I{suffix}{seq}", "grid_information_officer", code, START)
    # Neighbouring officers back each other up (B岗).
    d.add_assignment("I2012", "grid_information_officer", G1, START, post="B")
    d.add_assignment("I2011", "grid_information_officer", G2, START, post="B")
    return d


@pytest.fixture
def staffed(township):
    staff(township)
    return township


# ---- catalogues and sensitive fields -------------------------------------------------
def test_presets_follow_the_policy_texts():
    assert gridgov.Catalogue.preset_keys() == [
        "township_000", "community_001", "district_002", "county_seat_003"]
    township = gridgov.Catalogue.preset("township_000")
    assert [d.zh for d in township.duties] == [
        "党的政策宣传员", "社情民意信息员", "社会管理综治员", "民生保障服务员", "文明创建监督员",
        "基层党建协理员"]
    assert [(r.zh, r.level, r.cardinality) for r in township.roles] == [
        ("一级网格长", "township", "exactly_one"),
        ("二级网格长", "village", "exactly_one"),
        ("网格指导员", "village", "at_least_one"),
        ("网格信息员", "grid", "exactly_one"),
    ]
    assert len(gridgov.Catalogue.preset("district_002").duties) == 8
    community = gridgov.Catalogue.preset("community_001")
    assert [r.zh for r in community.roles if r.level == "grid"] == [
        "网格负责人", "信息员", "督导员", "楼栋员"]
    with pytest.raises(gridgov.NotFoundError, match="nowhere"):
        gridgov.Catalogue.preset("nowhere")


def test_catalogue_json_round_trip_and_errors():
    c = gridgov.Catalogue.preset("county_seat_003")
    assert gridgov.Catalogue.from_json(c.to_json()).to_json() == c.to_json()
    bad = '{"duties":[],"roles":[{"code":"w","zh":"网格员","level":"grid","duties":["x"]}]}'
    with pytest.raises(gridgov.NotFoundError, match=r"local.json roles\[0\] field 'duties'"):
        gridgov.Catalogue.from_json(bad, "local.json")


def test_id_numbers_follow_gb11643_and_are_masked():
    assert gridgov.id_number_check_character("11010519491231002") == "X"
    assert gridgov.is_valid_id_number("11010519491231002X")
    assert not gridgov.is_valid_id_number("110105194912310021")
    assert gridgov.mask_id_number("310104199001011233") == "3101**********1233"
    assert gridgov.mask_phone("13812345678") == "138****5678"


def test_a_bad_id_number_names_the_person_and_field(staffed):
    d = staffed.directory
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"person 'P9' field 'id_number'.*GB 11643 gives '7'"):
        d.add_person("P9", "钱多多", id_number="371338197503121238")
    with pytest.raises(ValueError):
        d.add_person("P9", "钱多多", party="党委")
    assert all(p.id != "P9" for p in d.people())


# ---- who is responsible -------------------------------------------------------------
def test_responsible_finds_the_grid_officer(staffed):
    r = staffed.directory.responsible(G1, "public_opinion", DAY)
    assert r.found and bool(r)
    assert (r.person, r.role, r.node, r.post) == ("I2011", "grid_information_officer", G1, "A")
    assert [s.outcome for s in r.steps] == ["chosen"]


def test_responsible_falls_back_to_b_when_a_on_leave(staffed):
    d = staffed.directory
    leave = d.add_absence("I2011", "2024-02-26", "2024-03-11", reason="病假")
    r = d.responsible(G1, "public_opinion", DAY)
    assert (r.person, r.post) == ("I2012", "B")
    assert [(s.person, s.post, s.outcome) for s in r.steps] == [
        ("I2011", "A", "absent"), ("I2012", "B", "chosen")]
    assert r.steps[0].absence == leave
    assert r.steps[0].absence_kind == "leave"
    assert d.responsible(G1, "public_opinion", "2024-03-11").person == "I2011"
    d.end_absence(leave, "2024-02-28")
    assert d.responsible(G1, "public_opinion", DAY).person == "I2011"


def test_vacancy_of_one_post(staffed):
    d = staffed.directory
    post = next(e.assignment for e in d.roster(G1, DAY) if e.post == "A")
    d.add_absence("I2011", DAY, kind="vacancy", assignment=post)
    assert d.responsible(G1, "public_opinion", DAY).person == "I2012"
    # The vacancy covers the grid-1 post only: I2011 still backs up grid 2.
    d.add_absence("I2012", DAY, "2024-03-05")
    r = d.responsible(G2, "public_opinion", DAY)
    assert (r.person, r.post) == ("I2011", "B")


def test_responsible_walks_up_and_says_why(staffed):
    d = staffed.directory
    r = d.responsible(NANLING_LAST, "social_management", DAY)
    assert (r.person, r.node) == ("V3", NANLING)
    assert r.steps[0].outcome == "no_holder" and r.steps[0].person is None
    nobody = d.responsible(G1, "public_opinion", "2023-01-01")
    assert not nobody.found and nobody.person is None
    assert {s.outcome for s in nobody.steps} == {"no_holder"}
    leader = d.responsible_function(G3, "grid_leader", DAY)
    assert (leader.person, leader.role) == ("V1", "village_grid_leader")
    assert d.responsible_function(grid_code("203", 1), "supervisor", DAY).person is None
    with pytest.raises(gridgov.NotFoundError, match="'dancing'"):
        d.responsible(G1, "dancing", DAY)
    with pytest.raises(gridgov.NotFoundError):
        d.responsible("999", "public_opinion", DAY)


def test_resolve_every_grid_at_once(staffed):
    grids = [grid_code(s, n) for s, _, g in VILLAGES for n in range(1, len(g) + 1)]
    people = staffed.directory.resolve(grids, "grid_information_officer", DAY)
    assert len(people) == len(grids)
    assert people[grids.index(NANLING_LAST)] is None
    assert people[0] == "I2011"
    assert staffed.directory.resolve(grids, "public_opinion", DAY)[grids.index(NANLING_LAST)] == "V3"


# ---- rosters, posts, workload ---------------------------------------------------------
def test_roster_and_posts_mask_phones_unless_revealed(staffed):
    d = staffed.directory
    roster = d.roster(G1, DAY)
    assert [(e.person, e.post) for e in roster] == [("I2011", "A"), ("I2012", "B")]
    assert roster[0].phone == "138****0001"
    assert d.roster(G1, DAY, reveal=True)[0].phone == "13820100001"
    posts = d.posts("I2011", DAY)
    assert [(p.node, p.post) for p in posts] == [(G1, "A"), (G2, "B")]
    assert posts[0].start == datetime.date(2023, 8, 24) and posts[0].end is None
    t = d.person("T01")
    assert (t.phone, t.id_number, t.revealed) == ("138****1001", "3713**********1237", False)
    assert d.person("T01", reveal=True).id_number == "371338197503121237"
    assert "13805431001" not in repr(d.person("T01", reveal=True))


def test_workload_columns(staffed):
    w = staffed.directory.workload(DAY)
    i = w["person"].index("V1")
    assert isinstance(w["grids"], np.ndarray)
    assert w["grids"][i] == 4  # 东石泉村: three grids and the school's dedicated grid
    assert w["households"][i] == 152 + 148 + 155
    assert w["primary_posts"][w["person"].index("I2011")] == 1
    assert w["backup_posts"][w["person"].index("I2011")] == 1
    assert w["grids"][w["person"].index("T01")] == 10


# ---- compliance ---------------------------------------------------------------------
def test_compliance_findings(staffed):
    d = staffed.directory
    d.add_unit("PG1", "党小组", "第一网格党小组", G1, start=START, members=["I2011"])
    d.add_unit("AR1", "information_archive", "一格一盒", G1, start=START)
    d.add_unit("ST1", "service_team", "东石泉村服务团队", TOWNSHIP + "201", start=START)
    findings = d.compliance(DAY)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, set()).add(f.where)
    assert NANLING_LAST in by_rule["directory.primary_worker"]
    assert NANLING_LAST in by_rule["directory.cardinality"]
    assert NANLING in by_rule["directory.cardinality"]  # no 网格指导员
    assert G1 not in by_rule["directory.five_ones.party_group"]
    assert G2 in by_rule["directory.five_ones.party_group"]
    assert G2 not in by_rule["directory.five_ones.service_team"]
    assert grid_code("202", 1) in by_rule["directory.five_ones.service_team"]
    only_g1 = d.compliance(DAY, scope=G1)
    assert {f.rule for f in only_g1} == set()
    d.add_assignment("I2031", "grid_information_officer", NANLING_LAST, START)
    twice = d.compliance(DAY, five_ones=False)
    assert any(f.rule == "directory.max_primary_grids" and f.where == "I2031" for f in twice)
    assert not any(f.rule == "directory.max_primary_grids"
                   for f in d.compliance(DAY, five_ones=False, max_primary_grids=2))


# ---- exports ------------------------------------------------------------------------
def test_chart_json_csv_html(staffed):
    d = staffed.directory
    chart = json.loads(d.chart(DAY, scope=TOWNSHIP + "201"))
    first = chart["grids"][0]
    assert first["code"] == G1
    assert first["leader"]["name"] == "东石泉村书记"
    assert first["supervisor"]["role_zh"] == "网格指导员"
    assert [w["post"] for w in first["workers"]] == ["A", "B"]
    assert first["workers"][0]["phone"] == "138****0001"
    assert "13820100001" in d.chart(DAY, format="csv", reveal=True)
    html = d.chart(DAY, format="html")
    assert html.startswith("<!DOCTYPE html>")
    assert "138****0001" in html and "13820100001" not in html
    with pytest.raises(gridgov.InvalidArgumentError):
        d.chart(DAY, format="pdf")


def test_casbin_lines(staffed):
    lines = staffed.directory.casbin(DAY).splitlines()
    assert lines[0] == f"g, T01, township_grid_leader, {TOWNSHIP}"
    assert f"g, I2012, grid_information_officer, {G1}" in lines
    assert staffed.directory.casbin("2020-01-01") == ""


# ---- import, export, persistence -----------------------------------------------------
def test_import_bad_row_names_file_row_field_and_imports_nothing(staffed, tmp_path):
    d = staffed.directory
    people = tmp_path / "people.csv"
    people.write_text("id,name,id_number\nP1,李四,11010519491231002X\n"
                      "P2,王五,110105194912310021\n", encoding="utf-8")
    before = len(d)
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"people.csv row 3 \(person 'P2'\) field 'id_number'"):
        d.import_file(people)
    assert len(d) == before
    assignments = tmp_path / "南岭村_assignments.csv"
    assignments.write_text("person,role,node,from\n"
                           f"I2031,grid_information_officer,{NANLING_LAST},2024-01-01\n"
                           f"V1,grid_information_officer,{G1},2024-01-01\n", encoding="utf-8")
    with pytest.raises(gridgov.AlreadyExistsError,
                       match="row 3 field 'from'.*exactly one post-A holder"):
        d.import_file(assignments)
    assert d.responsible(NANLING_LAST, "grid_information_officer", DAY).person is None
    with pytest.raises(gridgov.NotFoundError, match=r"dir.json assignments\[0\] field 'node'"):
        d.import_text('{"assignments":[{"person":"V1","role":"grid_information_officer",'
                      '"node":"123","from":"2024-01-01"}]}', source_name="dir.json")


def test_text_that_is_not_utf8_or_holds_controls_is_refused_naming_the_field(staffed, tmp_path):
    d = staffed.directory
    before = len(d)
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"people.csv row 2 \(person 'P1'\) field 'name': "
                             r"control character U\+0000"):
        d.import_text("id,name\nP1,李\x00四\n", format="csv", table="people",
                      source_name="people.csv")
    gbk = tmp_path / "people.csv"
    gbk.write_bytes("id,name\nP1,".encode() + "李四".encode("gbk") + b"\n")
    with pytest.raises(gridgov.ParseError, match=r"people.csv row 2 field 'name': not UTF-8"):
        d.import_file(gbk)
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"person 'P9' field 'name': control character U\+0007"):
        d.add_person("P9", "王\a五")
    # bytes reach the library as they are; they are checked like a file's cells.
    with pytest.raises(gridgov.InvalidArgumentError, match=r"person 'P9' field 'name': not UTF-8"):
        d.add_person("P9", b"\xff\xfe")
    with pytest.raises(gridgov.InvalidArgumentError, match=r"field 'phone': control character"):
        d.add_person("P9", "王五", phone="138\n0000")
    assert len(d) == before
    assert "P9" not in d.export(format="csv", table="people", reveal=True)


def test_import_files_and_reopen(staffed, tmp_path, workspace_path):
    d = staffed.directory
    (tmp_path / "people.csv").write_text("id,name,phone,村民组\nP1,李四,13800000001,第一组\n",
                                         encoding="utf-8")
    (tmp_path / "roster.csv").write_text(
        "person,role,node,post,from,to\n"
        f"P1,grid_information_officer,{NANLING_LAST},A,2024-01-01,\n", encoding="utf-8")
    assert d.import_file(tmp_path / "people.csv").people_added == 1
    report = d.import_file(tmp_path / "roster.csv", table="assignments")
    assert report.assignments_added == 1
    assert d.person("P1").attributes == {"村民组": "第一组"}
    exported = d.export(reveal=True)
    staffed.close()
    with gridgov.Workspace.open(workspace_path) as again:
        assert again.directory.export(reveal=True) == exported
        assert again.directory.responsible(NANLING_LAST, "public_opinion", DAY).person == "P1"


def test_export_masks_unless_revealed_and_round_trips(staffed, tmp_path):
    d = staffed.directory
    masked = json.loads(d.export())
    assert masked["people"][0]["id_number"] == "3713**********1237"
    assert "371338197503121237" in d.export(format="csv", table="people", reveal=True)
    with gridgov.Workspace.open(tmp_path / "copy.gridgov") as other:
        other.hierarchy.import_text(staffed.hierarchy.export_text("json"), "json")
        other.directory.set_catalogue("township_000")
        report = other.directory.import_text(d.export(reveal=True), source_name="dir.json")
        assert report.assignments_added == len(d.assignments())
        assert other.directory.export(reveal=True) == d.export(reveal=True)


def test_refused_change_changes_nothing(staffed):
    d = staffed.directory
    before = d.export(reveal=True)
    with pytest.raises(gridgov.AlreadyExistsError):
        d.add_assignment("V1", "grid_information_officer", G1, "2024-01-01")
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'to'"):
        d.add_assignment("V1", "grid_information_officer", NANLING_LAST, "2024-01-01",
                         "2023-01-01")
    with pytest.raises(gridgov.InvalidArgumentError, match="is held at level 'village'"):
        d.add_assignment("V1", "village_grid_leader", G1, "2024-01-01")
    with pytest.raises(gridgov.InvalidStateError, match="lacks role"):
        d.set_catalogue("community_001")
    assert d.export(reveal=True) == before


def test_closed_workspace(staffed):
    d = staffed.directory
    staffed.close()
    with pytest.raises(gridgov.InvalidStateError):
        d.responsible(G1, "public_opinion", DAY)


# ---- the county seat (seed 003) -----------------------------------------------------
def test_county_seat_supervising_units(county_seat):
    d = county_seat.directory
    d.set_catalogue(gridgov.Catalogue.preset("county_seat_003"))
    for a in range(1, 12):
        area = f"{STREET}{a:03d}"
        d.add_person(f"U{a}", f"督导单位联络员{a}", attributes={"unit": f"成员单位{a}"})
        d.add_person(f"L{a}", f"包扶县领导{a}")
        d.add_assignment(f"U{a}", "supervising_unit", area, START)
        d.add_assignment(f"L{a}", "patron_leader", area, START)
    grids = [seat_grid(a, g) for a in range(1, 12) for g in range(1, 4)]
    assert len(grids) == 33
    assert d.resolve(grids, "frontage_supervision", DAY) == [
        f"L{a}" for a in range(1, 12) for _ in range(3)]
    chart = json.loads(d.chart(DAY))
    assert len(chart["grids"]) == 33
    assert chart["grids"][0]["supervisor"]["role_zh"] == "督导单位"
    findings = d.compliance(DAY, five_ones=False)
    assert {f.where for f in findings if f.rule == "directory.cardinality"} == {
        f"{STREET}{a:03d}" for a in range(1, 12)}  # no 信息采集员 yet in any net-area


# ---- posts on overlay units -----------------------------------------------------------------
def market_catalogue():
    """township_000 with the 段管员 of seed 002 第一篇, held on the market overlay's 段区."""
    doc = json.loads(gridgov.Catalogue.preset("township_000").to_json())
    doc["duties"].append({"code": "market_patrol", "zh": "段区巡查"})
    doc["roles"].append({"code": "section_officer", "zh": "段管员", "level": "section",
                         "overlay": "market", "cardinality": "exactly_one",
                         "duties": ["market_patrol"]})
    return gridgov.Catalogue.from_json(json.dumps(doc), "market.json")


def test_posts_on_overlay_units_back_each_other_up(staffed):
    ws = staffed
    ws.hierarchy.add_overlay("market", "工商段区", gridgov.LevelScheme.market_supervision())
    ws.hierarchy.add_overlay_unit("market", code="D01", name="石泉段区", level="section",
                                  grids=[G1, G2])
    ws.hierarchy.add_overlay_unit("market", code="D02", name="石泉南段区", level="section",
                                  grids=[G3])
    d = ws.directory
    d.set_catalogue(market_catalogue())
    assert [r.overlay for r in d.catalogue.roles][-2:] == ["", "market"]
    d.add_person("M01", "黄志强", phone="13902001001")
    d.add_person("M02", "梁慧敏", phone="13902001002")
    d.add_assignment("M01", "section_officer", "market:D01", START)
    d.add_assignment("M02", "section_officer", "D02", START)  # the role's own overlay
    # 相邻网格的段管员互设为A、B岗.
    d.add_assignment("M02", "section_officer", "market:D01", START, post="B")
    assert d.responsible("market:D01", "market_patrol", DAY).person == "M01"
    # From a base grid, through the 段区 covering it; base duties stay on the base.
    assert d.responsible(G3, "market_patrol", DAY).person == "M02"
    assert d.responsible(G1, "public_opinion", DAY).person == "I2011"
    assert d.resolve([G1, G3, NANLING_LAST], "market_patrol", DAY) == ["M01", "M02", None]
    d.add_absence("M01", "2024-02-26", "2024-03-11", reason="年休假")
    covered = d.responsible("market:D01", "market_patrol", DAY)
    assert (covered.person, covered.post, covered.node) == ("M02", "B", "market:D01")
    assert [s.outcome for s in covered.steps] == ["absent", "chosen"]
    roster = d.roster("market:D01", DAY)
    assert [(e.person, e.post, e.node) for e in roster] == [("M01", "A", "market:D01"),
                                                            ("M02", "B", "market:D01")]
    assert ("M02", "market:D02") in [(a.person, a.node) for a in d.assignments()]
    with pytest.raises(gridgov.NotFoundError, match="D09"):
        d.add_assignment("M01", "section_officer", "market:D09", START)
    with pytest.raises(gridgov.NotFoundError, match="D09"):
        d.roster("market:D09", DAY)
