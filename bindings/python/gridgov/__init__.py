"""gridgov: grid-based community governance (网格化服务管理) for analysts.

The native core lives in ``gridgov._gridgov``; this package re-exports its public names
and adds Python conveniences. Every error gridgov raises derives from
:class:`gridgov.Error`, and the subclasses also derive from the matching built-in
(``NotFoundError`` is a ``KeyError``, ``InvalidArgumentError`` a ``ValueError``, ...).
"""

from gridgov import _gridgov

__all__ = [name for name in dir(_gridgov) if not name.startswith("_")]
globals().update({name: getattr(_gridgov, name) for name in __all__})

from gridgov import _duties, _frames, _oversight, _records  # noqa: E402

_frames.install(_gridgov)
_records.install(_gridgov)
_duties.install(_gridgov)
_oversight.install(_gridgov)
findings_to_pandas = _frames.findings_to_pandas
records_frame = _records.records_frame
records_roll_up_frame = _records.records_roll_up_frame
promise_progress_to_pandas = _oversight.promise_progress_to_pandas
inspection_findings_to_pandas = _oversight.inspection_findings_to_pandas
hazards_to_pandas = _oversight.hazards_to_pandas
__all__ += ["findings_to_pandas", "records_frame", "records_roll_up_frame",
            "promise_progress_to_pandas", "inspection_findings_to_pandas", "hazards_to_pandas"]

__version__ = _gridgov.version()
