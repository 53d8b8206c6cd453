"""Assessment from Python: schemes, scores with hand-computed totals, explanations, ranking,
aggregation and rule flags, the activity log, draws, and the Workspace's store of activity
records, scores, flags and draws, with the public notice (通报).

The scheme used most is the urban_supervisor preset: 有效上报率 40 %, 漏报率 20 % (lower is
better: 100 − rate), 按时核实率 20 %, 按时核查率 20 %; bands 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60,
不合格 below.
"""

import datetime
import json
import sqlite3

import pytest

import gridgov

SUPERVISOR = "urban_supervisor"


def supervisor(code, valid, missed, verify, check, period="2026-03"):
    scheme = gridgov.AssessmentScheme.preset(SUPERVISOR)
    values = {
        "valid_report_rate": gridgov.IndicatorValue.of(valid, ["C-" + code]),
        "missed_rate": missed,
        "on_time_verify_rate": verify,
        "on_time_check_rate": check,
    }
    return gridgov.score(scheme, code, period, values, level="worker")


def test_scheme_presets_and_json():
    assert SUPERVISOR in gridgov.AssessmentScheme.preset_keys()
    scheme = gridgov.AssessmentScheme.preset(SUPERVISOR)
    assert scheme.key == SUPERVISOR
    assert scheme.period == "month"
    assert scheme.indicators == ["valid_report_rate", "missed_rate", "on_time_verify_rate",
                                 "on_time_check_rate"]
    assert [g["label"] for g in scheme.grades] == ["优秀", "良好", "合格", "不合格"]
    again = gridgov.AssessmentScheme.from_json(scheme.json)
    assert again.key == SUPERVISOR
    with pytest.raises(gridgov.NotFoundError):
        gridgov.AssessmentScheme.preset("nope")
    with pytest.raises(ValueError):
        gridgov.AssessmentScheme.from_json('{"key": "x"}')
    findings = gridgov.AssessmentScheme.validate_json('{"key": "x"}')
    assert any(f.rule == "assessment.field_missing" for f in findings)


def test_score_explain_and_rank():
    # S1: 0.4×90 + 0.2×(100−10) + 0.2×80 + 0.2×70 = 36 + 18 + 16 + 14 = 84 → 良好.
    s1 = supervisor("S1", 90, 10, 80, 70)
    assert s1.total == pytest.approx(84)
    assert s1.grade == "good"
    assert not s1.failing
    # S2: 0.4×50 + 0.2×50 + 0.2×50 + 0.2×50 = 50 → 不合格.
    s2 = supervisor("S2", 50, 50, 50, 50)
    assert s2.total == pytest.approx(50)
    assert s2.failing
    # S3 has no check rate: excluded, the others scaled by 1/0.8:
    # (0.4×100 + 0.2×100 + 0.2×100) / 0.8 = 100.
    scheme = gridgov.AssessmentScheme.preset(SUPERVISOR)
    s3 = gridgov.score(scheme, "S3", "2026-03", {
        "valid_report_rate": 100, "missed_rate": 0, "on_time_verify_rate": 100,
        "on_time_check_rate": gridgov.IndicatorValue.undefined("应核查数 is 0")}, level="worker")
    assert s3.total == pytest.approx(100)
    statuses = {c["key"]: c["status"] for c in s3.components}
    assert statuses["on_time_check"] == "excluded"

    tree = s1.explain()
    assert tree["value"] == pytest.approx(84)
    assert [c["key"] for c in tree["children"]] == ["valid_report", "missed", "on_time_verify",
                                                   "on_time_check"]
    assert tree["children"][0]["children"][0]["children"][0]["key"] == "C-S1"
    assert gridgov.explain(s1) == tree

    results = [s2, s1, s3]
    gridgov.rank(results)
    assert [(r.subject, r.rank, r.peers) for r in results] == [("S2", 3, 3), ("S1", 2, 3),
                                                              ("S3", 1, 3)]
    back = gridgov.ScoreResult.from_json(s1.to_json())
    assert back.to_json() == s1.to_json()
    with pytest.raises(TypeError):
        gridgov.score(scheme, "S4", "2026-03", {"missed_rate": "ten"})
    with pytest.raises(ValueError):
        gridgov.score(scheme, "S4", "2026-13", {})


def test_aggregate_and_rules():
    scheme = gridgov.AssessmentScheme.preset("grid_worker")
    # Each month: attendance 50 → 0.15 × 50 = 7.5; daily work 0.4×50 + 0.3×50 + 0.3×50 = 50
    # → 0.45 × 50 = 22.5; special tasks 100 × 10 / 50 = 20 → 0.3 × 20 = 6; community 50 →
    # 0.1 × 50 = 5; total 41 → 不合格, three months running.
    history = []
    for month in ("2026-01", "2026-02", "2026-03"):
        values = {"attendance_rate": 50, "patrol_compliance": 50, "collection_rate": 50,
                  "visit_compliance": 50, "tasks_done": 10, "tasks_assigned": 50,
                  "community_rating": 50, "reports_adopted": 0, "commendations": 0}
        history.append(gridgov.score(scheme, "P1", month, values, level="worker"))
    assert [r.total for r in history] == [pytest.approx(41)] * 3
    assert all(r.failing for r in history)
    flags = gridgov.evaluate_rules(scheme, history)
    assert sorted(f.rule for f in flags) == ["award_ineligible", "dismissal_review"]
    flag = next(f for f in flags if f.rule == "dismissal_review")
    assert flag.subject == "P1"
    assert flag.period == "2026-03"
    assert flag.streak == 3
    assert flag.periods == ["2026-01", "2026-02", "2026-03"]
    # The half-year mean over the months present (April to June are missing, left out).
    half = gridgov.aggregate(scheme, "half_year", "P1", "2026-H1", history, level="worker")
    assert half.total == pytest.approx(41)
    assert half.period == "2026-H1"


def test_draws():
    candidates = ["G%02d" % i for i in range(1, 34)]
    record = gridgov.draw(20260301, candidates, 11)
    assert record.picks == ["G26", "G33", "G30", "G32", "G08", "G31", "G01", "G20", "G25",
                            "G22", "G27"]
    assert record.algorithm == "splitmix64-fisher-yates-v1"
    assert gridgov.verify_draw(record)
    assert gridgov.DrawRecord.from_json(record.to_json()) == record
    forged = json.loads(record.to_json())
    forged["picks"][0], forged["picks"][1] = forged["picks"][1], forged["picks"][0]
    assert not gridgov.verify_draw(gridgov.DrawRecord.from_json(json.dumps(forged)))
    april = gridgov.draw(20260401, candidates, 11, avoid=record.picks)
    assert april.picks == ["G15", "G14", "G04", "G10", "G11", "G03", "G23", "G12", "G02",
                           "G05", "G28"]
    with pytest.raises(ValueError):
        gridgov.draw(1, ["a", "b"], 3)


def test_activity_log_in_memory():
    log = gridgov.ActivityLog()
    log.add_household("H1", "G1", "special", ["低保", "空巢"])
    log.add_household("H2", "G1")
    log.add_visit("V1", "H1", "P1", "phone", "2026-03-05")
    log.add_collection_check("K1", "G1", "2026-03", 25749, 690, 479, 22)
    log.add_manual_rating("M1", "P1", "2026-03", 90)
    log.add_manual_rating("M2", "P1", "2026-03", 80)
    log.add_special_task("T1", "P1", datetime.date(2026, 3, 10), datetime.date(2026, 3, 9))
    log.add_special_task("T2", "P1", "2026-03-20")
    assert len(log) == 8
    assert "V1" in log
    with pytest.raises(gridgov.AlreadyExistsError):
        log.add_attendance("V1", "P1", "2026-03-02")
    with pytest.raises(gridgov.NotFoundError):
        log.add_visit("V2", "H9", "P1", "home", "2026-03-05")
    # (25749 − 690) / 25749 = 97.3203 %.
    rate = log.collection_rate(["G1"], "2026-03")
    assert rate.value == pytest.approx(97.32028, rel=1e-6)
    assert rate.sources == ["K1"]
    assert log.mean_rating("P1", "2026-03").value == pytest.approx(85)
    assert log.tasks_assigned("P1", "2026-03").value == 2
    assert log.tasks_done("P1", "2026-03").value == 1
    assert not log.mean_rating("P1", "2026-04").defined
    assert log.households()[0]["categories"] == ["***"]
    assert log.households(reveal=True)[0]["categories"] == ["低保", "空巢"]
    assert log.households()[1]["categories"] == []
    assert "低保" not in log.households_csv()


def test_workspace_activities_import_and_reload(tmp_path):
    path = tmp_path / "ws.gridgov"
    (tmp_path / "households.csv").write_text(
        "id,grid,class,categories\nH1,G1,special,低保\nH2,G1,ordinary,\n", encoding="utf-8")
    (tmp_path / "青石村_visits.csv").write_text(
        "id,household,person,kind,date\nV1,H1,P1,home,2026-03-02\nV2,H2,P1,phone,2026-03-03\n",
        encoding="utf-8")
    (tmp_path / "patrols.csv").write_text(
        "id,person,grid,start,end\nR1,P1,G1,2026-03-02T08:30,2026-03-02T09:00\n"
        "R2,P1,G1,2026-03-02T15:00,2026-03-02T14:00\n", encoding="utf-8")
    with gridgov.Workspace.open(path) as ws:
        # The records name grid G1 of the hierarchy and worker P1 of the directory.
        ws.hierarchy.import_text("code,parent_code,level,name\nG1,,grid,第一网格\n", "csv")
        ws.directory.import_text("id,name\nP1,赵大山\n", format="csv", table="people")
        with pytest.raises(gridgov.NotFoundError,
                           match=r"bad_households.csv, row 2, field grid: no node with code "
                                 r"'NOT-A-GRID'"):
            ws.assessment.import_text("id,grid,class,categories\nH1,NOT-A-GRID,ordinary,\n",
                                      "households", "bad_households.csv")
        with pytest.raises(gridgov.NotFoundError, match=r"field person: no person 'NOBODY'"):
            ws.assessment.add_patrol("R9", "NOBODY", "G1", "2026-03-02T08:30", "2026-03-02T09:00")
        assert sum(ws.assessment.activities.counts.values()) == 0
        seen = []
        report = ws.assessment.import_file(tmp_path / "households.csv",
                                      progress=lambda done, total: seen.append((done, total)) or True)
        assert (report.table, report.records) == ("households", 2)
        assert seen[0] == (0, 2) and seen[-1] == (2, 2)
        assert ws.assessment.import_file(tmp_path / "青石村_visits.csv").records == 2
        with pytest.raises(ValueError) as error:
            ws.assessment.import_file(tmp_path / "patrols.csv")
        assert "patrols.csv, row 3, field end" in str(error.value)
        assert ws.assessment.activities.counts["patrols"] == 0
        ws.assessment.add_patrol("R1", "P1", "G1", datetime.datetime(2026, 3, 2, 8, 30),
                      "2026-03-02T09:00")
        ws.assessment.add_attendance("A1", "P1", datetime.date(2026, 3, 2))
        with pytest.raises(gridgov.AlreadyExistsError):
            ws.assessment.add_attendance("A1", "P1", "2026-03-03")
    with gridgov.Workspace.open(path) as ws:
        counts = ws.assessment.activities.counts
        assert counts["households"] == 2
        assert counts["visits"] == 2
        assert counts["patrols"] == 1
        assert counts["attendance"] == 1
        assert ws.assessment.activities.households()[0]["categories"] == ["***"]


def test_workspace_scores_flags_draws_and_notice(tmp_path):
    path = tmp_path / "ws.gridgov"
    march = [supervisor("S1", 90, 10, 80, 70), supervisor("S2", 50, 50, 50, 50)]
    gridgov.rank(march)
    scheme = gridgov.AssessmentScheme.preset(SUPERVISOR)
    record = gridgov.draw(20260301, ["G%02d" % i for i in range(1, 34)], 11)
    with gridgov.Workspace.open(path) as ws:
        ws.assessment.store_scores(march)
        ws.assessment.store_scores([supervisor("S2", 60, 40, 60, 60, period="2026-04")])
        # Replaced: 0.4×100 + 0.2×100 × 3 = 100.
        ws.assessment.store_scores([supervisor("S2", 100, 0, 100, 100, period="2026-04")])
        with pytest.raises(ValueError):
            ws.assessment.store_scores([march[0], march[0]])
        ws.assessment.store_rule_flags(SUPERVISOR, [gridgov.RuleFlag(
            "award_ineligible", "S2", "2026-03", 3, label="连续三个月不合格",
            periods=["2026-01", "2026-02", "2026-03"])])
        ws.assessment.record_draw("2026-03", record)
        with pytest.raises(gridgov.AlreadyExistsError):
            ws.assessment.record_draw("2026-03", record)
    with gridgov.Workspace.open(path) as ws:
        all_scores = ws.assessment.scores()
        assert len(all_scores) == 3
        assert [(s.subject, s.period) for s in all_scores] == [
            ("S1", "2026-03"), ("S2", "2026-03"), ("S2", "2026-04")]
        trend = ws.assessment.scores(scheme=SUPERVISOR, subject="S2")
        assert [s.total for s in trend] == [pytest.approx(50), pytest.approx(100)]
        assert len(ws.assessment.scores(since="2026-04")) == 1
        assert len(ws.assessment.scores(until="2026-Q1")) == 2
        assert trend[0].rank == 2 and trend[0].peers == 2
        assert json.loads(all_scores.to_json())[0]["explanation"]["value"] == pytest.approx(84)
        assert all_scores.to_csv().splitlines()[0].startswith("scheme,subject,level")
        flags = ws.assessment.rule_flags(SUPERVISOR)
        assert [(f.subject, f.streak) for f in flags] == [("S2", 3)]
        draws = ws.assessment.draws()
        assert [(d.label, d.verified) for d in draws] == [("2026-03", True)]
        assert draws[0].record == record
        html = ws.assessment.notice_html(scheme, "2026-03", title="三月监督员考核通报",
                              names={"S1": "张三"})
        assert "<title>三月监督员考核通报</title>" in html
        assert "张三（S1）" in html
        assert "seed 20260301" in html
        failing_row = html[html.index('<tr class="failing">'):]
        failing_row = failing_row[:failing_row.index("</tr>")]
        assert "S2" in failing_row and "连续三个月不合格" in failing_row and "不合格" in failing_row
        ws.assessment.export_notice(tmp_path / "notice.html", scheme, "2026-03")
        assert "84.00" in (tmp_path / "notice.html").read_text(encoding="utf-8")

    # The stored explanation is readable with any SQLite tool.
    with sqlite3.connect(path) as db:
        (explanation,) = db.execute(
            "SELECT explanation FROM assessment_scores WHERE subject = 'S1'").fetchone()
    assert json.loads(explanation)["value"] == pytest.approx(84)


def test_scores_to_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    with gridgov.Workspace.open(tmp_path / "ws.gridgov") as ws:
        ws.assessment.store_scores([supervisor("S1", 90, 10, 80, 70), supervisor("S2", 50, 50, 50, 50)])
        frame = ws.assessment.scores().to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["subject"]) == ["S1", "S2"]
    assert list(frame["total"]) == [pytest.approx(84), pytest.approx(50)]
    # S1's 漏报率 component: 100 − 10 = 90 points.
    assert frame["points.missed"][0] == pytest.approx(90)


def test_case_indicators_and_assess(tmp_path):
    from pathlib import Path
    township = Path(__file__).resolve().parents[1] / "data" / "township.json"
    keys = [d["key"] for d in gridgov.case_indicator_definitions()]
    assert "received" in keys and "valid_report_rate" in keys
    with gridgov.Workspace.open(tmp_path / "ws.gridgov") as ws:
        ws.hierarchy.import_file(township)
        # No cases yet: counts are 0, rates undefined with the denominator named.
        values = ws.assessment.case_indicators("341521105", "2026-03")
        assert values["received"].value == 0
        assert not values["valid_report_rate"].defined
        assert values["valid_report_rate"].reason
        with pytest.raises(gridgov.NotFoundError):
            ws.assessment.case_indicators("999", "2026-03")
        # Two grids scored from values given by the caller (cases give none):
        # 001: 0.4×90 + 0.2×(100−10) + 0.2×80 + 0.2×70 = 84; 002: 0.4×50 + 0.2×50 × 3 = 50.
        grid_1, grid_2 = "341521105201001", "341521105201002"
        extra = {grid_1: {"valid_report_rate": 90, "missed_rate": 10, "on_time_verify_rate": 80,
                          "on_time_check_rate": 70},
                 grid_2: {"valid_report_rate": 50, "missed_rate": 50, "on_time_verify_rate": 50,
                          "on_time_check_rate": 50}}
        scheme = gridgov.AssessmentScheme.preset(SUPERVISOR)
        scores, flags = ws.assessment.assess(scheme, "2026-03", select="list", subjects=[grid_1, grid_2],
                                  extra=extra, store=True)
        assert [(s.subject, s.total, s.rank) for s in scores] == [
            (grid_1, pytest.approx(84), 1), (grid_2, pytest.approx(50), 2)]
        assert flags == []
        assert len(ws.assessment.scores(scheme=SUPERVISOR)) == 2
        # Every grid at once: without values every total is undefined and unranked.
        every, _ = ws.assessment.assess(scheme, "2026-04", level="grid")
        assert len(every) == 12
        assert all(s.total is None and s.rank == 0 for s in every)
        with pytest.raises(ValueError):
            ws.assessment.assess(scheme, "2026-03", select="everyone")


# ---- assessing a workspace: the runs of tests/data/area_steps_runs.json ----------------------
# The same runs as the C++ test (tests/cpp/workspace_assessment_test.cpp) on a workspace of
# this test's own; every score and flag is compared field by field with the file.

def _test_data():
    from pathlib import Path
    return Path(__file__).resolve().parents[1] / "data"


def _run_fields(scores, flags):
    return {
        "scores": [{"subject": s.subject, "level": s.level, "area_class": s.area_class,
                    "total": s.total, "grade": s.grade, "failing": s.failing, "rank": s.rank,
                    "peers": s.peers} for s in scores],
        "flags": [{"rule": f.rule, "subject": f.subject, "period": f.period, "streak": f.streak,
                   "periods": list(f.periods)} for f in flags],
    }


def test_assess_gives_the_runs_of_area_steps(tmp_path):
    data = _test_data()
    doc = json.loads((data / "area_steps_runs.json").read_text(encoding="utf-8"))
    scheme = gridgov.AssessmentScheme.from_json(
        (data / "area_steps.json").read_text(encoding="utf-8"), "area_steps.json")
    with gridgov.Workspace.open(tmp_path / "ws.gridgov") as ws:
        ws.hierarchy.import_file(data / "township.json")
        for run in doc["runs"]:
            if "subjects" in run:
                kinds = {"select": "list", "subjects": run["subjects"]}
            else:
                kinds = {"select": "level", "level": run["level"]}
            scores, flags = ws.assessment.assess(scheme, run["period"],
                                      default_area_class=run["default_area_class"],
                                      store=run["store"], **kinds)
            assert _run_fields(scores, flags) == {"scores": run["scores"],
                                                  "flags": run["flags"]}, run["note"]
        # The subject list without select; roles only with grid workers; unknown codes named.
        grid = "341521105201001"
        scores, _ = ws.assessment.assess(scheme, "2026-03", subjects=[grid], default_area_class="一类",
                              extra={grid: {"received": 1}})
        assert [(s.subject, s.total) for s in scores] == [(grid, 90)]
        with pytest.raises(ValueError, match="roles"):
            ws.assessment.assess(scheme, "2026-03", level="grid", roles=["grid_worker"])
        with pytest.raises(gridgov.NotFoundError, match='"999"'):
            ws.assessment.assess(scheme, "2026-03", subjects=[grid, "999"], default_area_class="一类")
        with pytest.raises(ValueError, match="level"):
            ws.assessment.assess(scheme, "2026-03", select="departments", level="grid")


# ---- overlay units as subjects ---------------------------------------------------------------
# As the C++ tests indicators.overlay_units_count_the_cases_of_the_grids_they_cover and
# "WorkspaceAssessment::assess: the selection is checked" (its units part), on 桥口镇 of
# tests/data/township.json: a fire network whose 大网格 L1 holds two 中网格, M1 mapped to 东湖村
# (all four grids) and M2 to 桥口村第一网格, with 小网格 S1 inside M1 mapped to 东湖村第二网格.
DONGHU = "341521105201"
DONGHU_1, DONGHU_2 = "341521105201001", "341521105201002"
QIAOKOU_1, QIAOKOU_2 = "341521105202001", "341521105202002"
LIULIN_1 = "341521105203001"


def _fire_network(ws):
    ws.hierarchy.add_overlay("fire", "消防网格", "fire_safety")
    ws.hierarchy.add_overlay_unit("fire", code="L1", name="桥口镇消防大网格", level="large")
    ws.hierarchy.add_overlay_unit("fire", code="M1", name="东湖村消防中网格", level="medium",
                                  parent="L1", grids=[DONGHU])
    ws.hierarchy.add_overlay_unit("fire", code="M2", name="桥口村一网格消防中网格",
                                  level="medium", parent="L1", grids=[QIAOKOU_1])
    ws.hierarchy.add_overlay_unit("fire", code="S1", name="东湖二网格消防小网格", level="small",
                                  parent="M1", grids=[DONGHU_2])


def _history(number, node, day="2026-03-02", filed=True):
    # Trusted: the people of an earlier system need not be in the directory.
    return {"report": {"category": "E0102", "node": node, "at": f"{day}T09:00", "actor": "P01",
                       "number": number},
            "commands": [{"command": "file", "at": f"{day}T09:10", "actor": "P03"}]
            if filed else []}


def test_overlay_units_count_the_cases_of_the_grids_they_cover(tmp_path):
    with gridgov.Workspace.open(tmp_path / "ws.gridgov") as ws:
        ws.hierarchy.import_file(_test_data() / "township.json")
        _fire_network(ws)
        imported = ws.cases.import_history([
            _history("2026-000001", DONGHU_1), _history("2026-000002", DONGHU_1, filed=False),
            _history("2026-000003", DONGHU_2), _history("2026-000004", QIAOKOU_1),
            _history("2026-000005", QIAOKOU_2), _history("2026-000006", LIULIN_1),
            _history("2026-000007", DONGHU_2, day="2026-04-01")], trusted=True)
        assert imported.cases_imported == 7

        def unit(place, period="2026-03"):
            return ws.assessment.case_indicators(place, period, kind="unit")

        def node(code, period="2026-03"):
            return ws.assessment.case_indicators(code, period)

        # Each unit counts the cases of the base nodes it covers, itself or through the units
        # beneath it: M1 what 东湖村 counts (S1's grid included), L1 both 中网格 together.
        assert unit("fire:M1") == node(DONGHU)
        assert unit("fire:S1") == node(DONGHU_2)
        assert unit("fire:M2") == node(QIAOKOU_1)
        assert unit("fire:S1", "2026-04") == node(DONGHU_2, "2026-04")
        assert unit("fire:M1")["received"].value == 3
        assert unit("fire:M1")["filed"].sources == ["2026-000001", "2026-000003"]
        assert unit("fire:M2")["received"].sources == ["2026-000004"]
        assert unit("fire:L1")["received"].value == 4  # 桥口村第二网格 and 柳林村 lie outside
        assert unit("fire:L1")["received"].sources == [
            "2026-000001", "2026-000002", "2026-000003", "2026-000004"]

        # A base node is not a unit; an unknown unit is named.
        with pytest.raises(gridgov.InvalidArgumentError, match="is a node of the base hierarchy"):
            unit(DONGHU)
        with pytest.raises(gridgov.NotFoundError, match="no live unit 'M9'"):
            unit("fire:M9")
        with pytest.raises(gridgov.NotFoundError, match="market:M1"):
            unit("market:M1")

        # Ranked among the units of their own level, as nodes are among theirs: the same
        # totals as the nodes they cover.
        scheme = gridgov.AssessmentScheme.preset("urban_region")
        scores, _ = ws.assessment.assess(scheme, "2026-03", units="fire", unit_level="medium",
                                         default_area_class="二类")
        assert [(s.subject, s.level, s.peers) for s in scores] == [
            ("fire:M1", "fire:medium", 2), ("fire:M2", "fire:medium", 2)]
        nodes, _ = ws.assessment.assess(scheme, "2026-03", subjects=[DONGHU, QIAOKOU_1],
                                        default_area_class="二类")
        assert [s.total for s in scores] == [s.total for s in nodes]
        every, _ = ws.assessment.assess(scheme, "2026-03", units="fire", default_area_class="二类")
        assert [s.subject for s in every] == ["fire:L1", "fire:M1", "fire:S1", "fire:M2"]
        listed, _ = ws.assessment.assess(scheme, "2026-03", subjects=["fire:S1"],
                                         default_area_class="二类")
        assert [(s.subject, s.level) for s in listed] == [("fire:S1", "fire:small")]


def test_assess_units_of_an_overlay_and_unit_places_among_the_subjects(tmp_path):
    data = _test_data()
    scheme = gridgov.AssessmentScheme.from_json(
        (data / "area_steps.json").read_text(encoding="utf-8"), "area_steps.json")
    with gridgov.Workspace.open(tmp_path / "ws.gridgov") as ws:
        ws.hierarchy.import_file(data / "township.json")
        ws.hierarchy.add_overlay("fire", "消防网格", "fire_safety")
        ws.hierarchy.add_overlay_unit("fire", code="M1", name="一村消防中网格", level="medium",
                                      grids=[DONGHU])
        ws.hierarchy.add_overlay_unit("fire", code="S1", name="小网格", level="small", parent="M1",
                                      grids=[DONGHU_1])

        # Every unit (units= alone selects them), or the units of one level.
        scores, _ = ws.assessment.assess(scheme, "2026-03", units="fire", default_area_class="一类")
        assert [(s.subject, s.level) for s in scores] == [
            ("fire:M1", "fire:medium"), ("fire:S1", "fire:small")]
        small, _ = ws.assessment.assess(scheme, "2026-03", select="units", units="fire",
                                        unit_level="small", default_area_class="一类")
        assert [s.subject for s in small] == ["fire:S1"]

        # Unit places among the subjects, beside node codes: S1 covers exactly that grid.
        mixed, _ = ws.assessment.assess(scheme, "2026-03", subjects=["fire:S1", DONGHU_1],
                                        default_area_class="一类", store=True)
        assert [(s.subject, s.level) for s in mixed] == [
            ("fire:S1", "fire:small"), (DONGHU_1, "grid")]
        assert mixed[0].total == mixed[1].total
        stored = ws.assessment.scores(subject="fire:S1")
        assert [(s.subject, s.level) for s in stored] == [("fire:S1", "fire:small")]

        # Refusals name what is wrong and store nothing.
        def refused(error, match, **kwargs):
            with pytest.raises(error, match=match):
                ws.assessment.assess(scheme, "2026-03", default_area_class="一类", store=True,
                                     **kwargs)

        refused(ValueError, 'unit_level "grid" is not a level of overlay fire',
                units="fire", unit_level="grid")
        refused(gridgov.NotFoundError, 'no overlay "market"', units="market")
        refused(ValueError, "unit_level chooses among units only", level="grid",
                unit_level="small")
        refused(gridgov.NotFoundError, '"fire:S9" is not a node or an overlay unit',
                subjects=["fire:S9"])
        refused(ValueError, r"exactly one of .* \(2 given\)", units="fire", subjects=[DONGHU_1])
        refused(ValueError, "unit_level", units="fire", level="small")
        refused(ValueError, "select='units' needs units=", select="units")
        assert len(ws.assessment.scores()) == 2
