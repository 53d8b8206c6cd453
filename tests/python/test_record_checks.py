"""四实 collection quality from Python (seed 001 篇7): ws.records.draw_check(), record_check(),
checks(), check_rates(), check_rates_frame() and check_indicators(), on the township of
conftest.py (石泉镇).

Two rented houses in each of three grids — two of 东石泉村, one of 西石泉村 — with a
tenant recorded at each. Inspectors (督导员) draw houses with the audited draw, visit them
and say what they found; the rates are worked out by hand below:
collection_rate = (checked − not_collected) / checked · 100 and
accuracy_rate = correct / (correct + wrong) · 100, checked = correct + wrong + not_collected.
"""

import datetime
import json
import math

import numpy as np
import pytest

import gridgov
from conftest import TOWNSHIP, grid_code

G1 = grid_code("201", 1)
G2 = grid_code("201", 2)
G3 = grid_code("202", 1)
EAST = TOWNSHIP + "201"  # 东石泉村
WEST = TOWNSHIP + "202"  # 西石泉村
SOUTH = TOWNSHIP + "203"  # 南岭村: no houses, never checked

GRID_OF = {"H1": G1, "H2": G1, "H3": G2, "H4": G2, "H5": G3, "H6": G3}
Outcome = gridgov.CheckOutcome


def tenant(house):
    """The resident recorded at a house: R3 lives in H3."""
    return "R" + house[1:]


def houses_and_tenants():
    records = []
    for n, (house, grid) in enumerate(sorted(GRID_OF.items()), start=1):
        records.append({"key": house, "kind": "house", "node": grid,
                        "fields": {"house_code": f"{grid}{n:04d}", "address": f"门牌{n}号",
                                   "use": "出租", "tenants": [tenant(house)]}})
        records.append({"key": tenant(house), "kind": "resident", "node": grid,
                        "fields": {"name": f"租客{n}", "registration": "流动人口",
                                   "house": house}})
    return records


@pytest.fixture
def county(township):
    """The township with its houses and tenants, added on 2024-01-01."""
    township.records.add(houses_and_tenants(), effective="2024-01-01")
    return township


def march_round(drawn):
    """The first drawn house's tenant is right, the second's wrong, the third has moved
    out without being de-registered, and at the fourth someone lives without a record
    beside the recorded tenant."""
    p = drawn.picks
    return gridgov.CheckRound(
        "2024-03 石泉镇 督查", datetime.date(2024, 3, 15), "督导员甲", drawn,
        [gridgov.CheckFinding(p[0], tenant(p[0]), Outcome.CORRECT),
         gridgov.CheckFinding(p[1], tenant(p[1]), "wrong", note="电话号码不对"),
         gridgov.CheckFinding(p[2], tenant(p[2]), "未注销"),
         gridgov.CheckFinding(p[3], outcome=Outcome.NOT_COLLECTED, note="租客王某"),
         {"sampled": p[3], "record": tenant(p[3]), "outcome": "correct"}])


def tally(findings, picks, nodes):
    """What the rates of the subtrees of `nodes` must be: counted here, one by one."""
    def within(house):
        return any(GRID_OF[house].startswith(n) for n in nodes)
    t = {"sampled": sum(1 for p in picks if within(p)), "correct": 0, "wrong": 0,
         "not_collected": 0, "not_deregistered": 0}
    for f in findings:
        if within(f.sampled):
            t[f.outcome.text] += 1
    t["checked"] = t["correct"] + t["wrong"] + t["not_collected"]
    return t


def counts(r):
    return {"sampled": r.sampled, "correct": r.correct, "wrong": r.wrong,
            "not_collected": r.not_collected, "not_deregistered": r.not_deregistered,
            "checked": r.checked}


def dicts(rounds):
    return [r.to_dict() for r in rounds]


# ---- draws ----------------------------------------------------------------------------
def test_draw_check_draws_houses_of_a_subtree_with_the_audited_draw(county):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    assert isinstance(drawn, gridgov.DrawRecord)
    assert drawn.algorithm == "splitmix64-fisher-yates-v1"
    assert drawn.candidates == ["H1", "H2", "H3", "H4", "H5", "H6"]  # key order
    assert drawn.strata == [G1, G1, G2, G2, G3, G3]  # one stratum per grid: its code
    assert (drawn.seed, drawn.count, drawn.avoid) == (2024, 4, [])
    assert len(drawn.picks) == 4 and set(drawn.picks) <= set(drawn.candidates)
    assert {GRID_OF[p] for p in drawn.picks} == {G1, G2, G3}  # every grid drawn
    assert gridgov.verify_draw(drawn)
    # The same draw again, everywhere (within=None) or by a Node; another subtree.
    assert county.records.draw_check("house", count=4, seed=2024) == drawn
    assert county.records.draw_check(
        "house", county.hierarchy.view[TOWNSHIP], count=4, seed=2024) == drawn
    east = county.records.draw_check("house", EAST, count=2, seed=1)
    assert east.candidates == ["H1", "H2", "H3", "H4"] and len(east.picks) == 2
    assert county.records.draw_check("house", G1, count=2, seed=1).picks in (["H1", "H2"],
                                                                             ["H2", "H1"])
    # Residents may be drawn as well.
    assert county.records.draw_check("resident", G3, count=1, seed=7).candidates == ["R5", "R6"]


def test_draw_check_refusals(county):
    records = county.records
    with pytest.raises(gridgov.InvalidArgumentError, match="exceeds"):
        records.draw_check("house", count=7, seed=1)
    with pytest.raises(gridgov.InvalidArgumentError, match="strata"):
        records.draw_check("house", count=2, seed=1)  # three grids hold houses
    with pytest.raises(gridgov.NotFoundError, match="vehicle"):
        records.draw_check("vehicle", count=1, seed=1)
    with pytest.raises(gridgov.NotFoundError, match="999"):
        records.draw_check("house", "999", count=1, seed=1)
    with pytest.raises(TypeError):
        records.draw_check("house", TOWNSHIP, 4, 2024)  # count and seed by keyword
    with pytest.raises(TypeError):
        records.draw_check("house", count=-1, seed=1)


# ---- rounds ---------------------------------------------------------------------------
def test_check_round_and_finding_objects():
    drawn = gridgov.draw(5, ["H1", "H2", "H3"], 2)
    f = gridgov.CheckFinding("H1", "R1", "信息错误", "姓名写错")
    assert (f.sampled, f.record, f.outcome, f.note, f.node) == ("H1", "R1", Outcome.WRONG,
                                                                "姓名写错", None)
    assert Outcome.NOT_DEREGISTERED.text == "not_deregistered"
    assert gridgov.CheckFinding("H2", outcome="未采集").record == ""
    f.outcome = "correct"
    assert f.outcome == Outcome.CORRECT
    assert f.to_dict() == {"sampled": "H1", "record": "R1", "outcome": "correct",
                           "note": "姓名写错", "node": None}
    r = gridgov.CheckRound("第一轮", "2024-03-15", "督导员甲", drawn, [f])
    assert r.date == datetime.date(2024, 3, 15)
    assert r.draw == drawn and r.findings == [f]
    r.findings[0].note = "changed"  # a copy
    assert r.findings[0].note == "姓名写错"
    r.findings = [{"sampled": "H2", "outcome": "not_collected"}]
    assert r.findings[0].outcome == Outcome.NOT_COLLECTED
    again = gridgov.CheckRound.from_json(r.to_json())
    assert again == r and again.to_dict() == r.to_dict()
    assert json.loads(r.to_json())["draw"] == json.loads(drawn.to_json())
    assert "第一轮" in repr(r) and "not_collected" in repr(r.findings[0])
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown check outcome 'maybe'"):
        gridgov.CheckFinding("H1", "R1", "maybe")
    with pytest.raises(TypeError):
        gridgov.CheckFinding("H1", "R1", 3)
    with pytest.raises(gridgov.InvalidArgumentError, match=r"findings\[0\].*'who'"):
        gridgov.CheckRound("x", "2024-03-15", "", drawn, [{"sampled": "H1", "who": "me"}])
    with pytest.raises(TypeError, match="list of findings"):
        gridgov.CheckRound("x", "2024-03-15", "", drawn, f)
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'draw'"):
        gridgov.CheckRound.from_json('{"label": "x", "date": "2024-03-01", "draw": {}}')


def test_a_round_is_recorded_read_back_and_kept(county, workspace_path):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    given = march_round(drawn)
    assert county.records.checks() == []
    assert county.records.record_check(given) is None
    back = county.records.checks()
    assert len(back) == 1
    r = back[0]
    assert (r.label, r.inspector) == (given.label, "督导员甲")
    assert r.date == datetime.date(2024, 3, 15)
    assert r.draw == drawn and gridgov.verify_draw(r.draw)
    assert [f.outcome for f in r.findings] == [Outcome.CORRECT, Outcome.WRONG,
                                               Outcome.NOT_DEREGISTERED, Outcome.NOT_COLLECTED,
                                               Outcome.CORRECT]
    assert [(f.sampled, f.record, f.note) for f in r.findings] == [
        (f.sampled, f.record, f.note) for f in given.findings]
    assert r.findings[3].record == "" and r.findings[3].note == "租客王某"
    # Each finding at the grid of its house on the round's date, as a code.
    assert [f.node for f in r.findings] == [GRID_OF[f.sampled] for f in r.findings]
    assert r.to_dict()["findings"][0]["node"] == GRID_OF[r.findings[0].sampled]
    assert all(f.node is None for f in given.findings)
    # Another connection reads the same rounds.
    with gridgov.Workspace.open(workspace_path) as other:
        assert other.records.checks() == back


# ---- rates ----------------------------------------------------------------------------
def test_rates_per_node_and_month(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))
    first = records.checks()[0]

    rates = records.check_rates()
    assert all(isinstance(r, gridgov.CheckRates) for r in rates)
    assert [r.month for r in rates] == ["2024-03"] * len(rates)
    # The township first, then in pre-order the villages and grids with drawn houses.
    order = [TOWNSHIP, EAST, G1, G2, WEST, G3]
    assert [r.node for r in rates] == order
    township = rates[0]
    assert counts(township) == {"sampled": 4, "correct": 2, "wrong": 1, "not_collected": 1,
                                "not_deregistered": 1, "checked": 4}
    assert township.collection_rate == pytest.approx(75.0)  # (4 - 1) / 4
    assert township.accuracy_rate == pytest.approx(200 / 3)  # 2 / (2 + 1)
    for r in rates:
        nodes = [r.node]
        assert counts(r) == tally(first.findings, march.picks, nodes), r.node
        if r.checked:
            assert r.collection_rate == pytest.approx(
                100 * (r.checked - r.not_collected) / r.checked)
        else:
            assert r.collection_rate is None
    assert "2024-03" in repr(township) and "75.00%" in repr(township)
    assert records.check_rates(from_="2024-04-01") == []
    assert records.check_rates(to=datetime.date(2024, 3, 14)) == []
    assert [r.node for r in records.check_rates("2024-03-15", "2024-03-15")] == order

    # April: two houses of 东石泉村, given as a dict in the JSON form. The tenant of the
    # first is gone (not de-registered): nobody was checked in that grid that month.
    april = records.draw_check("house", EAST, count=2, seed=2025)
    p = april.picks
    records.record_check({
        "label": "2024-04 东石泉村 督查", "date": datetime.date(2024, 4, 10),
        "inspector": "督导员乙", "draw": april,
        "findings": [{"sampled": p[0], "record": tenant(p[0]), "outcome": "未注销"},
                     {"sampled": p[1], "record": tenant(p[1]), "outcome": Outcome.CORRECT,
                      "note": ""}]})
    assert [r.label for r in records.checks()] == ["2024-03 石泉镇 督查", "2024-04 东石泉村 督查"]
    rates = records.check_rates()
    assert [r.month for r in rates] == ["2024-03"] * 6 + ["2024-04"] * 4
    assert [r.node for r in rates[6:]] == [TOWNSHIP, EAST, G1, G2]
    town_april = rates[6]
    assert counts(town_april) == {"sampled": 2, "correct": 1, "wrong": 0, "not_collected": 0,
                                  "not_deregistered": 1, "checked": 1}
    assert town_april.collection_rate == pytest.approx(100.0)
    assert town_april.accuracy_rate == pytest.approx(100.0)
    gone = next(r for r in rates[8:] if r.node == GRID_OF[p[0]])
    assert (gone.sampled, gone.checked, gone.not_deregistered) == (1, 0, 1)
    assert gone.collection_rate is None and gone.accuracy_rate is None
    assert [r.month for r in records.check_rates(from_="2024-04-01")] == ["2024-04"] * 4


def test_the_rates_frame(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))
    april = records.draw_check("house", EAST, count=2, seed=2025)
    p = april.picks
    records.record_check(gridgov.CheckRound(
        "2024-04 东石泉村 督查", "2024-04-10", "督导员乙", april,
        [gridgov.CheckFinding(p[0], tenant(p[0]), Outcome.NOT_DEREGISTERED)]))

    frame = records.check_rates_frame()
    assert list(frame.columns) == ["month", "node", "node_name", "level", "sampled", "checked",
                                   "correct", "not_collected", "not_deregistered", "wrong",
                                   "collection_rate", "accuracy_rate"]
    for name in ["month", "node", "node_name", "level"]:
        assert frame[name].dtype == object, name
    for name in ["sampled", "checked", "correct", "not_collected", "not_deregistered", "wrong"]:
        assert frame[name].dtype == np.int64, name
    for name in ["collection_rate", "accuracy_rate"]:
        assert frame[name].dtype == np.float64, name
    rates = records.check_rates()
    assert len(frame) == len(rates) == 10
    assert list(frame["node"]) == [r.node for r in rates]
    assert list(frame["month"]) == [r.month for r in rates]
    assert list(frame["checked"]) == [r.checked for r in rates]
    for row, r in zip(frame.itertuples(), rates):
        for name in ["collection_rate", "accuracy_rate"]:
            value = getattr(r, name)
            if value is None:
                assert math.isnan(getattr(row, name))
            else:
                assert getattr(row, name) == pytest.approx(value)
    assert frame.loc[0, "node_name"] == "石泉镇" and frame.loc[0, "level"] == "township"
    assert frame.loc[0, "collection_rate"] == pytest.approx(75.0)
    # April: both drawn houses count as sampled, but nobody was checked: every rate NaN.
    april_rows = frame[frame["month"] == "2024-04"]
    assert list(april_rows["node"]) == [TOWNSHIP, EAST, G1, G2]
    assert list(april_rows["sampled"]) == [2, 2, 1, 1]
    assert list(april_rows["not_deregistered"]) == [1, 1, int(p[0] in ("H1", "H2")),
                                                    int(p[0] in ("H3", "H4"))]
    assert april_rows["collection_rate"].isna().all()
    grids = frame[(frame["level"] == "grid") & (frame["month"] == "2024-03")]
    assert sorted(grids["node"]) == [G1, G2, G3] and grids["sampled"].sum() == 4
    assert list(grids["node_name"]) == ["东石泉村第1网格", "东石泉村第2网格", "西石泉村第1网格"]
    assert records.check_rates_frame(from_="2024-04-01")["month"].tolist() == ["2024-04"] * 4
    empty = records.check_rates_frame(to="2024-01-31")
    assert len(empty) == 0 and list(empty.columns) == list(frame.columns)


# ---- indicators -----------------------------------------------------------------------
KEYS = ["info_accuracy_rate", "info_checked", "info_collection_rate", "info_correct",
        "info_not_collected", "info_not_deregistered", "info_sampled", "info_wrong"]


def collection_scheme():
    """A month's score: the collection rate, 0 → 0 points, 100 → 100 points."""
    return gridgov.AssessmentScheme.from_json(json.dumps({
        "key": "collection_quality", "label": "四实采集质量（测试）", "version": 1,
        "period": "month", "max_total": 100,
        "indicators": [{"key": "info_collection_rate", "label": "采集率", "unit": "%"}],
        "components": [{"key": "collection", "label": "采集率", "weight": 1, "max_points": 100,
                        "indicator": "info_collection_rate",
                        "linear": {"from": 0, "points_from": 0, "to": 100,
                                   "points_to": 100}}],
        "grades": [{"key": "pass", "label": "合格", "min": 60},
                   {"key": "fail", "label": "不合格", "min": 0, "failing": True}],
    }, ensure_ascii=False), "collection_quality.json")


def test_indicators_for_a_month_plug_into_the_assessment(county):
    records = county.records
    march = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    records.record_check(march_round(march))

    values = records.check_indicators("2024-03")
    assert set(values) == {county.hierarchy.view.code(n)
                           for n in county.hierarchy.view.preorder()}  # every live node
    town = values[TOWNSHIP]
    assert sorted(town) == KEYS
    assert all(isinstance(v, gridgov.IndicatorValue) for v in town.values())
    assert town["info_sampled"].value == 4 and town["info_checked"].value == 4
    assert town["info_not_collected"].value == 1 and town["info_wrong"].value == 1
    assert town["info_collection_rate"].value == pytest.approx(75.0)
    assert town["info_accuracy_rate"].value == pytest.approx(200 / 3)
    assert sorted(town["info_sampled"].sources) == sorted(march.picks)  # the drawn houses
    south = values[SOUTH]
    assert south["info_sampled"].value == 0 and south["info_checked"].value == 0
    assert not south["info_collection_rate"].defined
    assert "nobody was checked" in south["info_collection_rate"].reason
    # The quarter holds March; April holds nothing.
    q1 = records.check_indicators("2024-Q1")[TOWNSHIP]
    assert q1["info_collection_rate"].value == pytest.approx(75.0)
    assert not records.check_indicators("2024-04")[TOWNSHIP]["info_collection_rate"].defined
    with pytest.raises(gridgov.InvalidArgumentError, match="period"):
        records.check_indicators("March")

    # Straight into the assessment runner as extra values.
    scores, flags = county.assessment.assess(
        collection_scheme(), "2024-03", subjects=[TOWNSHIP, EAST, WEST, SOUTH], extra=values)
    total = {s.subject: s.total for s in scores}
    assert total[TOWNSHIP] == pytest.approx(75.0)
    assert total[SOUTH] is None  # undefined: nobody was checked
    for village in (EAST, WEST):
        rate = values[village]["info_collection_rate"]
        assert total[village] == (pytest.approx(rate.value) if rate.defined else None)
    assert flags == []


# ---- refusals -------------------------------------------------------------------------
def test_refused_rounds_raise_and_change_nothing(county):
    records = county.records
    drawn = records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    good = march_round(drawn)
    records.record_check(good)
    before = dicts(records.checks())
    rates_before = [counts(r) for r in records.check_rates()]
    p = drawn.picks
    not_drawn = next(h for h in sorted(GRID_OF) if h not in p)

    def another(**changes):
        r = march_round(drawn)
        r.label = "another"
        for name, value in changes.items():
            setattr(r, name, value)
        return r

    def with_finding(i, **members):
        r = another()
        findings = r.findings
        for name, value in members.items():
            setattr(findings[i], name, value)
        r.findings = findings
        return r

    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good)
    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good.to_json())  # JSON text
    with pytest.raises(gridgov.AlreadyExistsError, match="is taken"):
        records.record_check(good.to_dict())  # the JSON form as a dict
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=rf"findings\[1\] field 'sampled': '{not_drawn}' was not drawn"):
        records.record_check(with_finding(1, sampled=not_drawn))
    # A tampered draw: another house put among the picks.
    forged = json.loads(drawn.to_json())
    forged["picks"][0] = not_drawn
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'draw'"):
        records.record_check(another(draw=gridgov.DrawRecord.from_json(json.dumps(forged))))
    with pytest.raises(gridgov.InvalidArgumentError, match="a person not collected has no record"):
        records.record_check(with_finding(3, record="R1"))
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r"findings\[0\] field 'record': missing"):
        records.record_check(with_finding(0, record=""))
    with pytest.raises(gridgov.NotFoundError, match=r"findings\[2\] field 'record'.*'R99'"):
        records.record_check(with_finding(2, record="R99"))
    with pytest.raises(gridgov.AlreadyExistsError, match="found twice"):
        records.record_check(with_finding(4, record=tenant(p[0])))
    with pytest.raises(gridgov.InvalidArgumentError, match="label"):
        records.record_check(another(label=""))
    # Bad input in the JSON form names the member.
    bad = good.to_dict()
    bad["label"] = "another"
    bad["findings"][0]["outcome"] = "maybe"
    with pytest.raises(gridgov.InvalidArgumentError, match=r"findings\[0\].*outcome"):
        records.record_check(bad)
    del bad["draw"]
    with pytest.raises(gridgov.InvalidArgumentError, match="draw"):
        records.record_check(bad)
    with pytest.raises(TypeError):
        records.record_check(42)
    with pytest.raises(TypeError):
        records.record_check({"label": "x", "date": object()})
    assert dicts(records.checks()) == before
    assert [counts(r) for r in records.check_rates()] == rates_before


def test_the_report_page_shows_the_records_and_the_latest_check(county):
    drawn = county.records.draw_check("house", TOWNSHIP, count=4, seed=2024)
    county.records.record_check(march_round(drawn))
    data = county.report_data("2024-04-01T00:00", scope=TOWNSHIP, board_level="village")
    rows = {r["code"]: r for r in data["records"]["rows"]}
    assert (rows[EAST]["houses"], rows[EAST]["rented"], rows[EAST]["floating"]) == (4, 4, 4)
    assert (rows[WEST]["residents"], rows[SOUTH]["residents"]) == (2, 0)
    assert rows[SOUTH]["check_month"] == "" and rows[SOUTH]["collection_rate"] is None
    total = data["records"]["total"]
    assert total["code"] == TOWNSHIP and total["residents"] == 6
    want = {r.node: r for r in county.records.check_rates()}[TOWNSHIP]
    assert total["check_month"] == "2024-03"
    assert (total["sampled"], total["checked"], total["not_collected"]) == (
        want.sampled, want.checked, want.not_collected)
    assert total["collection_rate"] == pytest.approx(want.collection_rate)
