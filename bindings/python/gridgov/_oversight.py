"""pandas frames of oversight: promise progress, inspection findings and hazards.

``ws.oversight.progress_frame(as_of)`` and ``PromiseBoard.to_pandas()`` lay out progress
rows, ``ws.oversight.findings_frame()`` the findings of the inspections recorded, one row
per finding, ``ws.oversight.hazards_frame(as_of)`` the hazards, one row per hazard;
``promise_progress_to_pandas()``, ``inspection_findings_to_pandas()`` and
``hazards_to_pandas()`` do the same for lists. Like every frame of the package, pandas is
needed only here.
"""

from gridgov._frames import _pandas

_PROGRESS_COLUMNS = ["id", "case", "category", "what", "by", "at", "team", "place", "state",
                     "case_state", "closed_at", "citizen_score", "team_score"]
_STATES = ["open", "overdue", "kept", "late", "voided"]

_FINDING_COLUMNS = ["inspection", "draw", "subject", "at", "inspectors", "finding", "item",
                    "deduction", "charged_to", "evidence", "note"]

_HAZARD_COLUMNS = ["case", "category", "node", "case_state", "tier", "record", "found_by",
                   "grade", "deadline", "progress", "reported_at", "closed_at", "status",
                   "entries"]
_GRADES = ["general", "larger", "major"]
_HAZARD_STATUSES = ["open", "overdue", "fixed_on_time", "fixed_late", "voided"]


def _instants(pd, values):
    """Aware datetimes (or None) as a datetime64 column in China Standard Time."""
    return pd.to_datetime(pd.Series(values, dtype=object))


def promise_progress_to_pandas(progress):
    """PromiseProgress rows (a list, or a PromiseBoard's rows) as a DataFrame, one row per
    promise in the same order: id, case, category, what, by (datetime64, the day promised),
    at (when promised, datetime64 in China Standard Time), team, place, state (a Categorical
    of ``"open"``, ``"overdue"``, ``"kept"``, ``"late"``, ``"voided"``), case_state,
    closed_at (NaT while the matter is open), citizen_score and team_score (float64, NaN
    when not rated).
    """
    pd = _pandas()
    rows = list(progress)
    columns = {
        "id": [p.promise.id for p in rows],
        "case": [p.promise.case for p in rows],
        "category": [p.category for p in rows],
        "what": [p.promise.what for p in rows],
        "by": pd.to_datetime(pd.Series([p.promise.by for p in rows], dtype=object)),
        "at": _instants(pd, [p.promise.at for p in rows]),
        "team": [p.promise.team for p in rows],
        "place": [p.promise.place for p in rows],
        "state": pd.Categorical([p.state.text for p in rows], categories=_STATES),
        "case_state": [p.case_state for p in rows],
        "closed_at": _instants(pd, [p.closed_at for p in rows]),
        "citizen_score": pd.Series([p.citizen_score for p in rows], dtype="float64"),
        "team_score": pd.Series([p.team_score for p in rows], dtype="float64"),
    }
    return pd.DataFrame(columns, columns=_PROGRESS_COLUMNS)


def inspection_findings_to_pandas(inspections):
    """The findings of Inspection objects as a DataFrame, one row per finding in the order
    recorded (an inspection that found nothing has no row): inspection (its id), draw ("" =
    outside any draw), subject, at (datetime64 in China Standard Time), inspectors (the ids
    joined with ``|``), finding (its number within the inspection, from 1, as in the
    indicator sources ``"id#k"``), item, deduction (float64), charged_to (whom the points
    count for: the inspection's subject when the finding names nobody), evidence (joined
    with ``|``) and note.
    """
    pd = _pandas()
    rows = [(i, k, f) for i in inspections for k, f in enumerate(i.findings, start=1)]
    columns = {
        "inspection": [i.id for i, _, _ in rows],
        "draw": [i.draw for i, _, _ in rows],
        "subject": [i.subject for i, _, _ in rows],
        "at": _instants(pd, [i.at for i, _, _ in rows]),
        "inspectors": ["|".join(i.inspectors) for i, _, _ in rows],
        "finding": pd.Series([k for _, k, _ in rows], dtype="int64"),
        "item": [f.item for _, _, f in rows],
        "deduction": pd.Series([f.deduction for _, _, f in rows], dtype="float64"),
        "charged_to": [f.charged_to or i.subject for i, _, f in rows],
        "evidence": ["|".join(f.evidence) for _, _, f in rows],
        "note": [f.note for _, _, f in rows],
    }
    return pd.DataFrame(columns, columns=_FINDING_COLUMNS)


def hazards_to_pandas(hazards):
    """Hazard objects as a DataFrame, one row per hazard in the same order: case, category,
    node (the case's grid), case_state, tier (int64, 0 = the grid), record, found_by, grade
    (a Categorical of ``"general"``, ``"larger"``, ``"major"``; NaN when ungraded),
    deadline (datetime64, the day; NaT when none was set), progress (int64, percent; 100
    once fixed), reported_at and closed_at (datetime64 in China Standard Time; closed_at
    NaT while the case is open), status (a Categorical of ``"open"``, ``"overdue"``,
    ``"fixed_on_time"``, ``"fixed_late"``, ``"voided"``) and entries (the entry ids joined
    with ``|``).
    """
    pd = _pandas()
    rows = list(hazards)
    columns = {
        "case": [h.case for h in rows],
        "category": [h.category for h in rows],
        "node": [h.node for h in rows],
        "case_state": [h.case_state for h in rows],
        "tier": pd.Series([h.tier for h in rows], dtype="int64"),
        "record": [h.record for h in rows],
        "found_by": [h.found_by for h in rows],
        "grade": pd.Categorical([h.grade.text if h.grade is not None else None for h in rows],
                                categories=_GRADES),
        "deadline": pd.to_datetime(pd.Series([h.deadline for h in rows], dtype=object)),
        "progress": pd.Series([h.progress for h in rows], dtype="int64"),
        "reported_at": _instants(pd, [h.reported_at for h in rows]),
        "closed_at": _instants(pd, [h.closed_at for h in rows]),
        "status": pd.Categorical([h.status.text for h in rows], categories=_HAZARD_STATUSES),
        "entries": ["|".join(h.entries) for h in rows],
    }
    return pd.DataFrame(columns, columns=_HAZARD_COLUMNS)


def oversight_progress_frame(oversight, as_of):
    """``progress(as_of)`` as a DataFrame (see ``promise_progress_to_pandas``)."""
    return promise_progress_to_pandas(oversight.progress(as_of))


def oversight_findings_frame(oversight):
    """The findings of ``inspections()`` as a DataFrame, one row per finding (see
    ``inspection_findings_to_pandas``)."""
    return inspection_findings_to_pandas(oversight.inspections())


def oversight_hazards_frame(oversight, as_of):
    """``hazards(as_of)`` as a DataFrame, one row per hazard (see ``hazards_to_pandas``)."""
    return hazards_to_pandas(oversight.hazards(as_of))


def board_to_pandas(board):
    """The board's rows as a DataFrame (see ``promise_progress_to_pandas``)."""
    return promise_progress_to_pandas(board.rows)


def install(native):
    """Attaches the frames to the oversight face and the board."""
    native.WorkspaceOversight.progress_frame = oversight_progress_frame
    native.WorkspaceOversight.findings_frame = oversight_findings_frame
    native.WorkspaceOversight.hazards_frame = oversight_hazards_frame
    native.PromiseBoard.to_pandas = board_to_pandas
