"""Duties on a schedule (定期职责) from Python, mirroring tests/cpp/duties_test.cpp on a real
workspace file: 青石镇 with one village and two grids — 信息员 P1 at the first grid, P2 on
post A and P3 on post B at the second, the village's 二级网格长 PV and the township's
一级网格长 PT — and February 2026 on the working calendar: the make-up Saturdays 02-14 and
02-28 and the Spring Festival week 02-16…22 without a working day. P2 is away from 02-09 to
02-21, so P3 owes the second grid's report of week 7."""

import datetime
import hashlib
import json

import pytest

import gridgov

TOWN = "371338101"
VILLAGE = "371338101001"
G1 = "371338101001001"
G2 = "371338101001002"
READ_AT = "2026-03-02T09:00"
CST = datetime.timezone(datetime.timedelta(hours=8))

SCHEME = json.dumps({
    "key": "duty_check", "label": "定期职责考核", "version": 1, "period": "month",
    "max_total": 100,
    "indicators": [{"key": "duty_on_time_rate", "label": "按时履职率", "unit": "%"},
                   {"key": "duty_missed", "label": "未履职次数", "unit": "count"}],
    "components": [{"key": "on_time", "label": "按时履职", "weight": 1, "max_points": 100,
                    "indicator": "duty_on_time_rate",
                    "linear": {"from": 0, "points_from": 0, "to": 100, "points_to": 100}}],
    "grades": [{"key": "pass", "label": "合格", "min": 60},
               {"key": "fail", "label": "不合格", "min": 0, "failing": True}]},
    ensure_ascii=False)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def township(ws):
    ws.hierarchy.add_nodes([
        {"code": TOWN, "name": "青石镇", "level": "township"},
        {"code": VILLAGE, "parent": TOWN, "name": "青石村", "level": "village"},
        {"code": G1, "parent": VILLAGE, "name": "青石村第一网格", "level": "grid"},
        {"code": G2, "parent": VILLAGE, "name": "青石村第二网格", "level": "grid"}])
    d = ws.directory
    d.set_catalogue("township_000")
    for person in ("P1", "P2", "P3", "PV", "PT"):
        d.add_person(person, f"{person}某")
    d.add_assignment("P1", "grid_information_officer", G1, "2025-01-01")
    d.add_assignment("P2", "grid_information_officer", G2, "2025-01-01")
    d.add_assignment("P3", "grid_information_officer", G2, "2025-01-01", post="B")
    d.add_assignment("PV", "village_grid_leader", VILLAGE, "2025-01-01")
    d.add_assignment("PT", "township_grid_leader", TOWN, "2025-01-01")
    d.add_absence("P2", "2026-02-09", "2026-02-21", reason="探亲")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "duties.gridgov"


@pytest.fixture
def ws(path):
    with gridgov.Workspace.open(path) as ws:
        township(ws)
        ws.duties.use_preset("seed_defaults")
        yield ws


def fulfilment(id_, duty, place, person, at, occurrence=""):
    return {"id": id_, "duty": duty, "place": place, "person": person, "at": at,
            "occurrence": occurrence, "evidence": ["minutes.pdf"]}


FEBRUARY = [
    fulfilment("F1", "grid_weekly_report", G1, "P1", "2026-02-06T16:00"),
    # Week 7's report made after the holiday names its week: late.
    fulfilment("F2", "grid_weekly_report", G1, "P1", "2026-02-24T10:00", "2026-W07"),
    # G2's reports made by the backup count for the grid.
    fulfilment("F3", "grid_weekly_report", G2, "P3", "2026-02-06T11:00"),
    fulfilment("F4", "grid_weekly_report", G2, "P3", "2026-02-13T11:00"),
    # Without a label: the week containing the instant (week 9).
    fulfilment("F5", "grid_weekly_report", G2, "P2", datetime.datetime(2026, 2, 27, 17, 0)),
    # Another place's fulfilment does not count at the grid.
    fulfilment("F6", "grid_weekly_report", VILLAGE, "PV", "2026-02-27T17:00"),
    fulfilment("F7", "registration_check", G1, "P1", "2026-02-20T10:00"),
    # Per person: P3's check is not P2's.
    fulfilment("F8", "registration_check", G2, "P3", "2026-02-20T10:00"),
]


def of(occurrences, duty, place=None):
    return [o for o in occurrences if o.duty == duty and (place is None or o.place == place)]


# ---- values ----------------------------------------------------------------------------

def test_enumerations_and_labels():
    assert gridgov.Recurrence.QUARTERLY.text == "quarterly"
    assert gridgov.OccurrenceStatus.DONE_LATE.text == "done_late"
    assert gridgov.DueShift.NONE.text == "none"
    assert gridgov.occurrence_label("weekly", datetime.date(2025, 12, 29)) == "2026-W01"
    assert gridgov.occurrence_label(gridgov.Recurrence.WEEKLY, "2026-02-14") == "2026-W07"
    assert gridgov.occurrence_label("每季度", "2026-08-15") == "2026-Q3"
    assert gridgov.occurrence_label("half_yearly", "2026-08-15") == "2026-H2"
    assert gridgov.parse_occurrence_label("weekly", "2026-W01") == datetime.date(2025, 12, 29)
    assert gridgov.parse_occurrence_label("weekly", "2026-W54") is None
    assert gridgov.parse_occurrence_label("monthly", "2026-3") is None
    with pytest.raises(gridgov.InvalidArgumentError, match="unknown recurrence 'fortnightly'"):
        gridgov.occurrence_label("fortnightly", "2026-02-14")
    with pytest.raises(TypeError, match="Recurrence"):
        gridgov.occurrence_label(7, "2026-02-14")


def test_catalogue_presets_json_and_errors():
    assert gridgov.DutyCatalogue.preset_keys() == ["market_supervision_002", "seed_defaults"]
    seeds = gridgov.DutyCatalogue.preset("seed_defaults")
    assert len(seeds) == 10 and "sanitation_day" in seeds
    sanitation = seeds["sanitation_day"]
    assert (sanitation.day, sanitation.shift, sanitation.every) == (
        15, gridgov.DueShift.NONE, gridgov.Recurrence.MONTHLY)
    assert seeds["registration_check"].per == gridgov.DutyScope.PERSON
    friday = gridgov.DutyCatalogue.preset("market_supervision_002")["section_friday_report"]
    assert (friday.weekday, friday.time, friday.minute) == (5, "12:00", 720)
    assert "section_friday_report" in repr(friday)
    assert gridgov.DutyCatalogue.from_json(seeds.to_json()) == seeds
    assert gridgov.DutyCatalogue.from_json(seeds.to_dict()) == seeds
    assert seeds.find("patrol") is None
    with pytest.raises(gridgov.NotFoundError):
        seeds["patrol"]
    with pytest.raises(gridgov.NotFoundError, match="no duty catalogue"):
        gridgov.DutyCatalogue.preset("fire")

    def refused(schedule):
        doc = json.dumps({"schedules": [schedule]})
        with pytest.raises(gridgov.InvalidArgumentError) as e:
            gridgov.DutyCatalogue.from_json(doc, "duties.json")
        return str(e.value)

    assert refused({"key": "a", "every": "weekly"}) == (
        "duties.json /schedules/0 field 'owner': missing")
    assert refused({"key": "a", "owner": "x", "every": "weekly", "time": "25:00"}) == (
        "duties.json /schedules/0 field 'time': time \"25:00\" is not HH:MM between 00:00 "
        "and 24:00")
    with pytest.raises(gridgov.AlreadyExistsError):
        gridgov.DutyCatalogue.from_json({"schedules": [
            {"key": "a", "owner": "x", "every": "weekly"},
            {"key": "a", "owner": "y", "every": "monthly"}]})
    with pytest.raises(gridgov.ParseError):
        gridgov.DutyCatalogue.from_json("{")
    with pytest.raises(TypeError):
        gridgov.DutyCatalogue.from_json(42)


def test_a_catalogue_is_validated_against_the_workspace(path):
    with gridgov.Workspace.open(path) as ws:
        township(ws)
        seeds = gridgov.DutyCatalogue.preset("seed_defaults")
        assert seeds.validate(ws) == []
        findings = gridgov.DutyCatalogue.preset("market_supervision_002").validate(ws)
        assert [(f.rule, f.where, f.severity) for f in findings] == [
            ("duty.unknown_owner", "section_friday_report", gridgov.Severity.ERROR)]
        broken = seeds.to_dict()
        broken["schedules"][0]["level"] = "county"
        broken["schedules"][1]["owner"] = "function:chef"
        rules = {f.rule for f in gridgov.DutyCatalogue.from_json(broken).validate(ws)}
        assert rules == {"duty.unknown_level", "duty.unknown_owner"}


# ---- the workspace face ------------------------------------------------------------------

def test_a_new_workspace_has_an_empty_catalogue(path):
    with gridgov.Workspace.open(path) as ws:
        township(ws)
        assert repr(ws.duties).startswith("<WorkspaceDuties of ")
        assert ws.duties.catalogue.key == "" and len(ws.duties.catalogue) == 0
        assert ws.duties.fulfilments() == []
        assert ws.duties.occurrences("2026-02", READ_AT) == []


def test_set_catalogue_takes_an_object_json_or_a_preset_key(path):
    with gridgov.Workspace.open(path) as ws:
        township(ws)
        seeds = gridgov.DutyCatalogue.preset("seed_defaults")
        ws.duties.set_catalogue(seeds.to_json())
        assert ws.duties.catalogue == seeds
        ws.duties.set_catalogue("seed_defaults")
        assert ws.duties.catalogue == seeds
        fewer = seeds.to_dict()
        fewer["schedules"] = fewer["schedules"][1:]
        ws.duties.set_catalogue(fewer)
        assert ws.duties.catalogue.keys == seeds.keys[1:]
        ws.duties.set_catalogue(seeds)
        with pytest.raises(gridgov.NotFoundError, match="no duty catalogue"):
            ws.duties.set_catalogue("fire")
        with pytest.raises(TypeError):
            ws.duties.set_catalogue(42)


def test_february_on_time_late_and_missed(ws):
    assert ws.duties.add_fulfilments(FEBRUARY) == len(FEBRUARY)
    kept = ws.duties.fulfilments()
    assert [f.id for f in kept] == [f["id"] for f in FEBRUARY]
    assert kept[0].at == datetime.datetime(2026, 2, 6, 16, 0, tzinfo=CST)
    assert kept[1].occurrence == "2026-W07" and kept[1].evidence == ["minutes.pdf"]
    assert kept[4].at == datetime.datetime(2026, 2, 27, 17, 0, tzinfo=CST)

    all_ = ws.duties.occurrences("2026-02", READ_AT)
    g1 = of(all_, "grid_weekly_report", G1)
    # Friday 02-06, the make-up Saturday 02-14; the Spring Festival week owes nothing; the
    # week of 02-23 ends on the make-up Saturday 02-28.
    assert [(o.label, o.due_date) for o in g1] == [
        ("2026-W06", datetime.date(2026, 2, 6)), ("2026-W07", datetime.date(2026, 2, 14)),
        ("2026-W09", datetime.date(2026, 2, 28))]
    assert g1[2].due == datetime.datetime(2026, 3, 1, 0, 0, tzinfo=CST)
    assert [o.status for o in g1] == [gridgov.OccurrenceStatus.DONE_ON_TIME,
                                      gridgov.OccurrenceStatus.DONE_LATE,
                                      gridgov.OccurrenceStatus.MISSED]
    assert g1[0].fulfilments == ["F1"]
    assert (g1[1].fulfilled, g1[1].on_time) == (1, 0)
    assert "missed" in repr(g1[2]) and g1[2].person == "P1"
    # At G2 the holder is away in week 7: the backup on post B owes it.
    g2 = of(all_, "grid_weekly_report", G2)
    assert [o.person for o in g2] == ["P2", "P3", "P2"]
    assert all(o.status == gridgov.OccurrenceStatus.DONE_ON_TIME for o in g2)
    assert g2[2].fulfilments == ["F5"]
    checks = of(all_, "registration_check")
    assert [(o.person, o.status.text) for o in checks] == [("P1", "done_on_time"),
                                                           ("P2", "missed")]
    monthly = of(all_, "village_monthly_report")
    assert [(o.place, o.person, o.due_date) for o in monthly] == [
        (VILLAGE, "PV", datetime.date(2026, 2, 28))]
    # The sanitation day is the 15th even on a holiday Sunday.
    assert of(all_, "sanitation_day", G1)[0].due_date == datetime.date(2026, 2, 15)
    assert of(all_, "visiting_round") == []
    assert of(all_, "fire_township_check")[0].person == "PT"
    assert not any(o.assumed for o in all_)
    d = g1[1].to_dict()
    assert d["status"] == gridgov.OccurrenceStatus.DONE_LATE and d["label"] == "2026-W07"

    # Read on 02-20: week 7 not yet reported is missed, week 9 still open, and the
    # fulfilments made later are not seen.
    then = of(ws.duties.occurrences("2026-02", "2026-02-20T09:00"), "grid_weekly_report", G1)
    assert [o.status.text for o in then] == ["done_on_time", "missed", "open"]


def test_subjects_values_and_findings(ws):
    ws.duties.add_fulfilments(FEBRUARY)
    all_ = ws.duties.occurrences("2026-02", READ_AT)
    mine = ws.duties.occurrences("2026-02", READ_AT, subject="P1")
    assert len(mine) == (len(of(all_, "grid_weekly_report", G1)) +
                         len(of(all_, "sanitation_day", G1)) + 1)
    assert len(ws.duties.occurrences("2026-02", READ_AT, subject=G2)) == 3 + 1 + 1
    assert len(ws.duties.occurrences("2026-02", READ_AT, TOWN)) == len(all_)
    node = ws.hierarchy.view[G2]
    assert len(ws.duties.occurrences("2026-02", READ_AT, subject=node)) == 5
    with pytest.raises(gridgov.NotFoundError, match='"nobody" is no person, node or overlay unit'):
        ws.duties.occurrences("2026-02", READ_AT, subject="nobody")
    with pytest.raises(gridgov.InvalidArgumentError, match="period"):
        ws.duties.occurrences("2026-13", READ_AT)
    with pytest.raises(gridgov.InvalidArgumentError, match="as_of"):
        ws.duties.occurrences("2026-02", "2026-03-02T25:00")

    # G1's weekly reports: 3 due, 1 on time, 1 late, 1 missed.
    v = gridgov.duty_values(of(all_, "grid_weekly_report", G1))
    assert {k: v[k].value for k in ("duty_due", "duty_done", "duty_done_on_time",
                                    "duty_done_late", "duty_missed", "duty_open",
                                    "duty_shortfall")} == {
        "duty_due": 3, "duty_done": 2, "duty_done_on_time": 1, "duty_done_late": 1,
        "duty_missed": 1, "duty_open": 0, "duty_shortfall": 1}
    assert v["duty_on_time_rate"].value == pytest.approx(100 / 3)
    assert v["duty_missed"].sources == ["grid_weekly_report@2026-W09@" + G1]
    # G1 as a subject: 5 occurrences, 2 on time (the week 6 report, the registration check).
    values = ws.duties.values("2026-02", READ_AT, G1)
    assert values["duty_due"].value == 5
    assert values["duty_on_time_rate"].value == pytest.approx(40)
    early = ws.duties.values("2026-02", "2026-02-01T00:00", VILLAGE)
    assert early["duty_on_time_rate"].value is None
    assert early["duty_on_time_rate"].reason == "no occurrence is done or past due"

    findings = ws.duties.findings("2026-02", READ_AT, G1)
    weekly = [f for f in findings if f.message.startswith("grid_weekly_report")]
    assert [(f.rule, f.where, f.message) for f in weekly] == [(
        "duty.missed", G1,
        "grid_weekly_report 2026-W09 at 371338101001001 due 2026-03-01T00:00:00+08:00 (P1): "
        "0 of 1 fulfilled")]
    assert all(f.severity == gridgov.Severity.WARNING for f in findings)
    assert gridgov.duty_findings(of(all_, "grid_weekly_report", G1))[0].rule == "duty.missed"


def test_a_grid_without_its_officer_is_unheld(ws):
    ws.hierarchy.add_node(code="371338101001003", parent=VILLAGE, name="青石村第三网格",
                          level="grid")
    third = ws.duties.occurrences("2026-03", "2026-04-01T09:00", "371338101001003")
    weekly = of(third, "grid_weekly_report")
    assert len(weekly) == 4 and weekly[0].person is None
    assert "nobody" in repr(weekly[0])
    rules = {f.rule for f in gridgov.duty_findings(weekly)}
    assert rules == {"duty.unheld", "duty.missed"}


def test_occurrences_frame(ws):
    pd = pytest.importorskip("pandas")
    ws.duties.add_fulfilments(FEBRUARY)
    df = ws.duties.occurrences_frame("2026-02", READ_AT, subject=G1)
    assert list(df.columns) == ["duty", "label", "place", "person", "due_date", "due", "quota",
                                "fulfilled", "on_time", "status", "assumed", "fulfilments"]
    assert len(df) == 5
    weekly = df[df.duty == "grid_weekly_report"]
    assert list(weekly.status.astype(str)) == ["done_on_time", "done_late", "missed"]
    assert weekly.due_date.iloc[1] == pd.Timestamp("2026-02-14")
    assert str(df.fulfilled.dtype) == "int64"
    assert weekly.fulfilments.iloc[0] == "F1"


# ---- refusals --------------------------------------------------------------------------

def test_refused_fulfilments_leave_the_file_unchanged(ws, path):
    ws.duties.add_fulfilments(FEBRUARY[:2])
    before = digest(path)
    ok = fulfilment("OK", "sanitation_day", G2, "P2", "2026-02-15T10:00")

    def refused(error, f, message):
        with pytest.raises(error) as e:
            ws.duties.add_fulfilments([ok, f])
        assert e.value.args[0] == message
        assert len(ws.duties.fulfilments()) == 2
        assert digest(path) == before

    refused(gridgov.AlreadyExistsError,
            fulfilment("F1", "grid_weekly_report", G1, "P1", "2026-02-13T16:00"),
            "fulfilments[1] field 'id': \"F1\" is already recorded")
    refused(gridgov.NotFoundError,
            fulfilment("F3", "patrol", G1, "P1", "2026-02-13T16:00"),
            "fulfilments[1] field 'duty': \"patrol\" is not a schedule of the duty catalogue")
    refused(gridgov.NotFoundError,
            fulfilment("F3", "grid_weekly_report", "371338999", "P1", "2026-02-13T16:00"),
            "fulfilments[1] field 'place': no live node '371338999'")
    refused(gridgov.NotFoundError,
            fulfilment("F3", "grid_weekly_report", G1, "P9", "2026-02-13T16:00"),
            "fulfilments[1] field 'person': \"P9\" is not a person of the directory")
    refused(gridgov.InvalidArgumentError,
            fulfilment("F3", "grid_weekly_report", G1, "P1", "2026-02-13T16:00", "2026-02"),
            "fulfilments[1] field 'occurrence': \"2026-02\" is not a weekly occurrence label "
            "(2026-W11)")
    refused(gridgov.InvalidArgumentError,
            fulfilment("", "grid_weekly_report", G1, "P1", "2026-02-13T16:00"),
            "fulfilments[1] field 'id': empty")
    # The shape of the arguments is checked before anything is written.
    refused(gridgov.InvalidArgumentError,
            {**ok, "id": "F3", "colour": "red"},
            "fulfilments[1]: unknown key 'colour' (id, duty, place, person, at, occurrence, "
            "evidence, note)")
    no_time = dict(ok, id="F3")
    del no_time["at"]
    refused(gridgov.InvalidArgumentError, no_time, "fulfilments[1] field 'at': missing")
    with pytest.raises(gridgov.InvalidArgumentError, match="fulfilments\\[1\\] field 'at'"):
        ws.duties.add_fulfilments([ok, dict(ok, id="F3", at="2026-02-30T10:00")])
    with pytest.raises(TypeError, match="fulfilments\\[1\\] field 'evidence'"):
        ws.duties.add_fulfilments([ok, dict(ok, id="F3", evidence="photo.jpg")])
    with pytest.raises(TypeError):
        ws.duties.add_fulfilments(ok)
    assert len(ws.duties.fulfilments()) == 2 and digest(path) == before


def test_refused_catalogues_leave_the_file_unchanged(ws, path):
    ws.duties.add_fulfilments(FEBRUARY[:1])
    before = digest(path)
    seeds = ws.duties.catalogue
    with pytest.raises(gridgov.InvalidArgumentError, match=r"\[duty.unknown_owner\]"):
        ws.duties.use_preset("market_supervision_002")
    fewer = seeds.to_dict()
    fewer["schedules"] = fewer["schedules"][1:]
    with pytest.raises(gridgov.InvalidStateError, match='lacks schedule "grid_weekly_report"'):
        ws.duties.set_catalogue(fewer)
    with pytest.raises(gridgov.InvalidArgumentError, match="field 'every'"):
        ws.duties.set_catalogue('{"schedules": [{"key": "a", "owner": "x", "every": "often"}]}')
    assert ws.duties.catalogue == seeds
    assert digest(path) == before


def test_fulfilment_objects_and_reopening(ws, path):
    note = "本周巡查 12 次"
    f = gridgov.DutyFulfilment("F1", "grid_weekly_report", ws.hierarchy.view[G1], "P1",
                               datetime.datetime(2026, 2, 6, 16, 0), evidence=["a.pdf", "b.jpg"],
                               note=note)
    assert f.place == G1 and f.at == datetime.datetime(2026, 2, 6, 16, 0, tzinfo=CST)
    assert "F1 grid_weekly_report at 371338101001001 by P1" in repr(f)
    ws.duties.add_fulfilments([f, fulfilment("F2", "grid_weekly_report", G1, "P1",
                                             "2026-02-24T10:00", "2026-W07")])
    assert ws.duties.fulfilments()[0] == f
    assert gridgov.DutyFulfilment(**f.to_dict()) == f
    expected = [o.to_dict() for o in ws.duties.occurrences("2026-02", READ_AT)]

    # Another connection sees what this one records.
    with gridgov.Workspace.open(path) as other:
        assert len(other.duties.fulfilments()) == 2
        ws.duties.add_fulfilments([fulfilment("F3", "sanitation_day", G2, "P2",
                                              "2026-02-15T10:00")])
        assert [x.id for x in other.duties.fulfilments()] == ["F1", "F2", "F3"]
    expected = [o.to_dict() for o in ws.duties.occurrences("2026-02", READ_AT)]
    ws.close()
    with pytest.raises(gridgov.InvalidStateError):
        ws.duties

    with gridgov.Workspace.open(path, read_only=True) as again:
        assert again.duties.catalogue == gridgov.DutyCatalogue.preset("seed_defaults")
        kept = again.duties.fulfilments()
        assert kept[0] == f and kept[0].note == note and kept[0].evidence == ["a.pdf", "b.jpg"]
        assert kept[1].occurrence == "2026-W07"
        assert [o.to_dict() for o in again.duties.occurrences("2026-02", READ_AT)] == expected
        g1 = of(again.duties.occurrences("2026-02", READ_AT), "grid_weekly_report", G1)
        assert [o.status.text for o in g1] == ["done_on_time", "done_late", "missed"]
        assert of(again.duties.occurrences("2026-02", READ_AT), "sanitation_day",
                  G2)[0].status == gridgov.OccurrenceStatus.DONE_ON_TIME


def test_assessment_reads_duty_indicators(ws):
    ws.duties.add_fulfilments(FEBRUARY[:2])
    scheme = gridgov.AssessmentScheme.from_json(SCHEME)
    # Read at the end of February, G1 did 1 of its 5 occurrences on time.
    scores, _ = ws.assessment.assess(scheme, "2026-02", level="grid")
    first = scores[0]
    assert first.subject == G1
    assert first.total == pytest.approx(20.0)
    assert first.failing
    # Read on 02-20: week 7's report not yet made (missed), week 9 and the registration
    # check still open: 1 of 3 on time.
    scores, _ = ws.assessment.assess(scheme, "2026-02", level="grid",
                                     duties_at=datetime.datetime(2026, 2, 20))
    assert scores[0].total == pytest.approx(100 / 3)
    scores, _ = ws.assessment.assess(scheme, "2026-02", level="grid",
                                     duties_at="2026-02-20T00:00")
    assert scores[0].total == pytest.approx(100 / 3)
    with pytest.raises(gridgov.InvalidArgumentError, match="duties_at"):
        ws.assessment.assess(scheme, "2026-02", level="grid", duties_at="yesterday")
