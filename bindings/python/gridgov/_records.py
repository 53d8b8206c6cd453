"""pandas frames of a workspace's records: ``ws.records.frame()`` and
``ws.records.roll_up_frame()``.

The native face hands over plain columns (``ws.records.columns()``, lists of str); this
module types them by the kind's schema. Like every frame of the package, pandas is needed
only here.
"""

import math

import numpy

from gridgov._frames import _pandas


def _number_column(values):
    return numpy.array([math.nan if v is None else float(v) for v in values],
                       dtype=numpy.float64)


def _typed_column(pd, field, values, reveal):
    """One field's values as the column its type asks for.

    Masked sensitive values and several values of a ``multiple`` field stay text.
    """
    if (field.sensitive and not reveal) or field.multiple:
        return values
    if field.type in ("integer", "number"):
        return _number_column(values)
    if field.type == "date":
        return pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d",
                              errors="coerce").to_numpy()
    if field.type == "enum":
        return pd.Categorical(values, categories=list(field.values))
    return values


def records_frame(records, kind, within=None, where=None, reveal=False, ancestors=()):
    """The live records of one kind as a DataFrame indexed by key, in the order they were
    added.

    Columns: kind, node (the code of the node a record lives at), node_name, one column per
    level key in ``ancestors`` with the code of the record's ancestor at that level (None
    when it has none), then one column per field of the kind, in the kind's order:
    integer and number fields as float64 (NaN when absent), date fields as datetime64
    (NaT when absent), enumeration fields as a Categorical over the kind's values, other
    fields as str (None when absent). Sensitive fields are masked unless ``reveal`` is
    True and then stay text; so do the ``|``-joined values of a ``multiple`` field.
    ``within``, ``where`` and ``reveal`` filter as ``list()`` does.
    """
    pd = _pandas()
    if isinstance(ancestors, str):
        ancestors = (ancestors,)
    spec = records.schema.kind(kind)
    columns = records.columns(kind, within=within, where=where, reveal=reveal,
                              ancestors=tuple(ancestors))
    index = pd.Index(columns.pop("key"), dtype=object, name="key")
    data = {}
    for name in ["kind", "node", "node_name", *ancestors]:
        data[name] = columns.pop(name)
    for field in spec.fields:
        data[field.name] = _typed_column(pd, field, columns.pop(field.name), reveal)
    return pd.DataFrame(data, index=index)


def records_roll_up_frame(records, kind, field="", value="", level=None):
    """``roll_up()`` as a DataFrame indexed by node code, in pre-order: columns id,
    name, level and value (float64). With ``level`` (a level key), only the nodes of that
    level.
    """
    pd = _pandas()
    columns = records._roll_up_columns(kind, field, value, level)
    index = pd.Index(columns.pop("code"), dtype=object, name="code")
    return pd.DataFrame(columns, index=index)


def install(native):
    """Attaches frame() and roll_up_frame() to the records face."""
    native.WorkspaceRecords.frame = records_frame
    native.WorkspaceRecords.roll_up_frame = records_roll_up_frame
