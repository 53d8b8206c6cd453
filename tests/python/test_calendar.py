import datetime as dt
import os
import pathlib

import numpy as np
import pytest

import gridgov
from gridgov import NoDataPolicy, TimeLimit, TimeUnit, WorkingDayRule

CST = dt.timezone(dt.timedelta(hours=8))
HOLIDAY_DIR = (pathlib.Path(os.environ["GRIDGOV_TEST_DATA"]).parent.parent
               / "src" / "calendar" / "data" / "holiday-cn")

FOUR_HOURS = TimeLimit(4, TimeUnit.WORKING_HOURS)


def cst(*args):
    return dt.datetime(*args, tzinfo=CST)


@pytest.fixture(scope="module")
def cal():
    return gridgov.WorkingCalendar()


def test_naive_datetimes_are_cst_and_results_are_aware(cal):
    due = cal.deadline(dt.datetime(2026, 3, 2, 9, 0), FOUR_HOURS)
    assert due == cst(2026, 3, 2, 15, 0)
    assert due.utcoffset() == dt.timedelta(hours=8)
    # The same instant given in UTC, and as seconds since the epoch.
    assert cal.deadline(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc), FOUR_HOURS) == due
    assert cal.deadline(int(cst(2026, 3, 2, 9, 0).timestamp()), FOUR_HOURS) == due
    assert cal.deadline(np.int64(int(cst(2026, 3, 2, 9, 0).timestamp())), FOUR_HOURS) == due
    # ISO text is read as the library reads it (no offset = China Standard Time).
    assert cal.deadline("2026-03-02T09:00", FOUR_HOURS) == due
    assert cal.deadline("2026-03-02T01:00Z", FOUR_HOURS) == due
    with pytest.raises(TypeError, match="start must be a datetime"):
        cal.deadline(9.5, FOUR_HOURS)
    with pytest.raises(TypeError, match="start must be a datetime"):
        cal.deadline(True, FOUR_HOURS)


def test_iso_text_in_every_form_and_a_bad_one_names_the_argument(cal):
    due = cst(2026, 3, 2, 15, 0)
    # JavaScript's toISOString(), Java's Instant.toString(), offsets with and without a colon;
    # a fraction of a second is dropped.
    for text in ("2026-03-02T09:00:00.000+08:00", "2026-03-02T01:00:00.123Z",
                 "2026-03-02T09:00+0800", "2026-03-02T09:00+08", "2026-03-01T20:00-05:00",
                 "2026-03-01T19:30:00.999999999-05:30"):
        assert cal.deadline(text, FOUR_HOURS) == due, text
    with pytest.raises(gridgov.InvalidArgumentError) as bad:
        cal.deadline("2026-03-02T25:00", FOUR_HOURS)
    assert str(bad.value) == ('start: "2026-03-02T25:00" is not an ISO 8601 instant (expected '
                              "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): "
                              "hour 25 is not 00-23")
    assert bad.value.code == "invalid_argument"
    with pytest.raises(ValueError, match=r'^b: "2026-03-02 10:00" is not an ISO 8601 instant'):
        cal.working_time_between("2026-03-02T09:00", "2026-03-02 10:00")
    clock = gridgov.StepClock("2026-03-02T01:00:00.5Z", FOUR_HOURS)
    assert clock.status(cal, "2026-03-02T10:00").elapsed == dt.timedelta(hours=1)
    with pytest.raises(gridgov.InvalidArgumentError, match=r'^at: "2026-03-02T10:00\+24:00" .*'
                                                           r"offset \+24:00 is beyond ±14:00$"):
        clock.pause("2026-03-02T10:00+24:00")
    with pytest.raises(gridgov.InvalidArgumentError,
                       match=r'^date: "2026-02-30" is not an ISO 8601 date .*February 2026 has 28'):
        cal.day("2026-02-30")


def test_deadline_and_working_time_are_inverses(cal):
    start = dt.datetime(2026, 2, 13, 16, 0)
    due = cal.deadline(start, FOUR_HOURS)
    assert due == cst(2026, 2, 14, 11, 0)  # the working Saturday of the Spring Festival
    assert cal.working_time_between(start, due) == dt.timedelta(hours=4)
    assert cal.working_time_between(due, start) == -dt.timedelta(hours=4)
    report = cal.add_working_seconds(start, 4 * 3600)
    assert report.deadline == due
    assert report.assumed_years == []


def test_day_types_of_the_2026_spring_festival(cal):
    sat = cal.day(dt.date(2026, 2, 14))
    assert sat.type == gridgov.DayType.MAKEUP_WORKDAY
    assert sat.working and sat.published
    assert sat.name == "春节"
    assert sat.date == dt.date(2026, 2, 14)
    assert [cal.is_working_day(dt.date(2026, 2, d)) for d in range(13, 25)] == (
        [True, True] + [False] * 9 + [True])
    assert cal.day("2026-02-28").type == gridgov.DayType.MAKEUP_WORKDAY
    assert cal.day("2015-09-03").name == "抗日战争暨世界反法西斯战争胜利70周年纪念日"
    assert not cal.is_working_day(dt.date(2020, 2, 2))  # the 2020 extension


def test_2027_has_no_data_unless_weekdays_are_assumed(cal):
    assert cal.is_published(2026)
    assert not cal.is_published(2027)
    start = dt.datetime(2026, 12, 31, 16, 0)
    with pytest.raises(gridgov.NoDataError, match="the calendar has no data for 2027") as e:
        cal.deadline(start, TimeLimit(2, TimeUnit.WORKING_HOURS))
    assert e.value.code == "no_data"
    report = cal.deadline_report(start, TimeLimit(2, TimeUnit.WORKING_HOURS))
    assert report.deadline == cst(2027, 1, 1, 9, 0)
    assert report.assumed_years == [2027]
    with pytest.raises(gridgov.NoDataError):
        cal.deadline_report(start, TimeLimit(2, TimeUnit.WORKING_HOURS), no_data=NoDataPolicy.ERROR)
    assert not cal.day(dt.date(2027, 3, 1)).published


def test_year_files_load_at_run_time():
    cal = gridgov.WorkingCalendar.without_data()
    cal.load_year_file(str(HOLIDAY_DIR / "2026.json"))
    cal.load_year_file(str(HOLIDAY_DIR / "2027.json"))
    assert [(y.year, y.published) for y in cal.years()] == [(2026, True), (2027, False)]
    cal.add_year_json("""{"year": 2027, "papers": [], "days": [
        {"name": "春节", "date": "2027-02-08", "isOffDay": true}]}""")
    assert cal.is_published(2027)
    with pytest.raises(gridgov.ParseError):
        cal.add_year_json("{", "broken.json")
    with pytest.raises(gridgov.InvalidArgumentError, match="broken.json field 'days': missing"):
        cal.add_year_json('{"year": 2028, "papers": []}', "broken.json")


def test_overrides_and_schedule():
    cal = gridgov.WorkingCalendar()
    cal.add_override(dt.date(2026, 3, 4), off_day=True, name="镇集体休息日")
    assert cal.day(dt.date(2026, 3, 4)).local
    assert cal.deadline(dt.datetime(2026, 3, 3, 17, 0), TimeLimit(1, TimeUnit.WORKING_HOURS)) == (
        cst(2026, 3, 5, 9, 0))
    assert cal.overrides == [(dt.date(2026, 3, 4), True, "镇集体休息日")]
    cal.clear_overrides()
    assert cal.overrides == []

    summer = gridgov.Season("summer", "05-01", "10-01", ["08:00-12:00", "14:30-18:00"])
    cal.schedule = gridgov.WorkingSchedule(seasons=[summer])
    assert cal.working_day_length(dt.date(2026, 7, 1)) == dt.timedelta(hours=7, minutes=30)
    assert cal.working_day_length(dt.date(2026, 3, 2)) == dt.timedelta(hours=7)
    assert str(cal.schedule.hours_on(dt.date(2026, 7, 1))) == "08:00-12:00,14:30-18:00"
    assert gridgov.WorkingHours("08:30-12:00,14:00-17:30") == gridgov.WorkingHours()
    assert gridgov.WorkingHours().periods == [(510, 720), (840, 1050)]
    with pytest.raises(gridgov.InvalidArgumentError, match="overlaps"):
        gridgov.WorkingHours(["08:00-12:00", "11:00-13:00"])


def test_time_limits_are_data():
    cob = TimeLimit(15, TimeUnit.WORKING_DAYS, WorkingDayRule.CLOSE_OF_BUSINESS)
    assert TimeLimit.from_json(cob.to_json()) == cob
    assert TimeLimit.from_json('{"value": 4, "unit": "working_hours"}') == FOUR_HOURS
    assert TimeLimit(2, TimeUnit.WORKING_DAYS).day_rule == WorkingDayRule.DAY_LENGTH
    assert not TimeLimit(2, TimeUnit.NATURAL_HOURS).counts_working_time
    assert repr(cob) == "TimeLimit(15, working_days, close_of_business)"
    with pytest.raises(ValueError, match="negative"):
        TimeLimit(-1, TimeUnit.WORKING_HOURS)


def test_vectorised_deadlines_match_scalar(cal):
    rng = np.random.default_rng(2026)
    lo = int(cst(2019, 1, 1).timestamp())
    hi = int(cst(2026, 6, 1).timestamp())
    starts = rng.integers(lo, hi, size=2000, dtype=np.int64)
    out = cal.deadlines(starts, FOUR_HOURS)
    assert out.dtype == np.int64 and out.shape == starts.shape
    for s, d in zip(starts[:200], out[:200]):
        assert cal.deadline(int(s), FOUR_HOURS) == cst(1970, 1, 1, 8) + dt.timedelta(seconds=int(d))
    worked = np.array([cal.working_time_between(int(s), int(d)).total_seconds()
                       for s, d in zip(starts, out)])
    assert (worked == 4 * 3600).all()

    late = np.array([int(cst(2026, 12, 31, 17, 0).timestamp())], dtype=np.int64)
    with pytest.raises(gridgov.NoDataError):
        cal.deadlines(late, FOUR_HOURS)
    deadlines, assumed = cal.deadlines_report(late, FOUR_HOURS)
    assert assumed == [2027]
    assert deadlines[0] == int(cst(2027, 1, 1, 12, 0).timestamp())


def test_step_clock(cal):
    clock = gridgov.StepClock(dt.datetime(2026, 3, 2, 9, 0), FOUR_HOURS)
    status = clock.status(cal, dt.datetime(2026, 3, 2, 10, 0))
    assert status.elapsed == dt.timedelta(hours=1)
    assert status.remaining == dt.timedelta(hours=3)
    assert status.deadline == cst(2026, 3, 2, 15, 0)
    assert status.light == gridgov.Light.GREEN

    clock.pause(dt.datetime(2026, 3, 2, 10, 0))
    assert clock.paused
    assert clock.status(cal, dt.datetime(2026, 3, 3, 9, 0)).paused
    with pytest.raises(gridgov.InvalidStateError):
        clock.pause(dt.datetime(2026, 3, 2, 11, 0))
    clock.resume(dt.datetime(2026, 3, 3, 10, 0))
    assert clock.pauses == [(cst(2026, 3, 2, 10, 0), cst(2026, 3, 3, 10, 0))]
    status = clock.status(cal, dt.datetime(2026, 3, 3, 14, 30))
    assert status.elapsed == dt.timedelta(hours=3, minutes=30)
    assert status.light == gridgov.Light.YELLOW

    clock.extend(dt.datetime(2026, 3, 3, 14, 30), TimeLimit(2, TimeUnit.WORKING_HOURS))
    assert clock.status(cal, dt.datetime(2026, 3, 3, 14, 30)).deadline == cst(2026, 3, 3, 17, 0)
    late = clock.status(cal, dt.datetime(2026, 3, 4, 9, 0))
    assert late.overdue and late.light == gridgov.Light.RED
    assert late.overdue_by == dt.timedelta(hours=1)

    clock.thresholds = gridgov.LightThresholds(0.5, 0.9)
    assert clock.thresholds.yellow == 0.5
    with pytest.raises(ValueError):
        gridgov.LightThresholds(0.9, 0.5)


def test_step_clock_across_a_year_without_data(cal):
    clock = gridgov.StepClock(dt.datetime(2026, 12, 31, 16, 0), FOUR_HOURS)
    with pytest.raises(gridgov.NoDataError, match="2027"):
        clock.status(cal, dt.datetime(2026, 12, 31, 17, 0))
    status = clock.status(cal, dt.datetime(2026, 12, 31, 17, 0),
                          no_data=NoDataPolicy.ASSUME_WEEKDAYS)
    assert status.assumed_years == [2027]
    assert status.deadline == cst(2027, 1, 1, 11, 0)
