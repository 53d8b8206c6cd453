"""pandas frame of a workspace's duty occurrences: ``ws.duties.occurrences_frame()``.

The native face hands over ``DutyOccurrence`` objects; this module lays them out as a
DataFrame. Like every frame of the package, pandas is needed only here.
"""

from gridgov._frames import _pandas

_OCCURRENCE_COLUMNS = ["duty", "label", "place", "person", "due_date", "due", "quota",
                       "fulfilled", "on_time", "status", "assumed", "fulfilments"]


def duties_occurrences_frame(duties, period, as_of, subject=None):
    """``occurrences(period, as_of, subject)`` as a DataFrame, one row per occurrence in the
    same order: duty, label, place, person (None when nobody holds the post), due_date
    (datetime64, the day), due (the instant, datetime64 in China Standard Time), quota,
    fulfilled and on_time (int64), status (a Categorical of ``"done_on_time"``,
    ``"done_late"``, ``"open"``, ``"missed"``), assumed (bool) and fulfilments (the ids
    joined with ``|``).
    """
    pd = _pandas()
    rows = duties.occurrences(period, as_of, subject)
    statuses = ["done_on_time", "done_late", "open", "missed"]
    columns = {
        "duty": [o.duty for o in rows],
        "label": [o.label for o in rows],
        "place": [o.place for o in rows],
        "person": pd.Series([o.person for o in rows], dtype=object),
        "due_date": pd.to_datetime(pd.Series([o.due_date for o in rows], dtype=object)),
        "due": pd.to_datetime(pd.Series([o.due for o in rows], dtype=object)),
        "quota": pd.Series([o.quota for o in rows], dtype="int64"),
        "fulfilled": pd.Series([o.fulfilled for o in rows], dtype="int64"),
        "on_time": pd.Series([o.on_time for o in rows], dtype="int64"),
        "status": pd.Categorical([o.status.text for o in rows], categories=statuses),
        "assumed": pd.Series([o.assumed for o in rows], dtype=bool),
        "fulfilments": ["|".join(o.fulfilments) for o in rows],
    }
    return pd.DataFrame(columns, columns=_OCCURRENCE_COLUMNS)


def install(native):
    """Attaches occurrences_frame() to the duties face."""
    native.WorkspaceDuties.occurrences_frame = duties_occurrences_frame
