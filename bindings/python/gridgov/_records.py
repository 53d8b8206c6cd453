"""pandas frames of a workspace's records: ``ws.records.frame()``,
``ws.records.roll_up_frame()``, ``ws.records.access_log_frame()`` and
``ws.records.check_rates_frame()``; and the two ways of making a ``RecordReader``.

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


def records_frame(records, reader, kind=None, within=None, where=None, ancestors=()):
    """The live records of one kind read by ``reader`` (a ``RecordReader``) as a DataFrame
    indexed by key, in the order they were added; for a person, those their posts cover.

    Columns: kind, node (the code of the node a record lives at), node_name, one column per
    level key in ``ancestors`` with the code of the record's ancestor at that level (None
    when it has none), then one column per field of the kind, in the kind's order:
    integer and number fields as float64 (NaN when absent), date fields as datetime64
    (NaT when absent), enumeration fields as a Categorical over the kind's values, other
    fields as str (None when absent). Sensitive fields are masked unless the reader
    reveals them, and stay text; so do the ``|``-joined values of a ``multiple`` field.
    ``within`` and ``where`` filter as ``list()`` does. ``kind`` is required (its default
    only lets a call without a reader, ``frame("resident")``, say what is missing).
    """
    if not isinstance(reader, _native.RecordReader):
        raise TypeError("frame: the first argument is the reader, a gridgov.RecordReader "
                        "(RecordReader.person(person_id, purpose) or "
                        f"RecordReader.system(purpose)), not {type(reader).__name__}")
    if kind is None:
        raise TypeError("frame: the kind of the records is required: "
                        "frame(reader, kind, ...)")
    pd = _pandas()
    if isinstance(ancestors, str):
        ancestors = (ancestors,)
    columns = records.columns(reader, kind, within=within, where=where,
                              ancestors=tuple(ancestors))
    spec = records.schema.kind(kind)
    reveal = reader.reveal
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


_ACCESS_COLUMNS = ["at", "reader", "system", "purpose", "read", "key", "kind", "fields",
                   "hash"]


def records_access_log_frame(records, after=0, limit=0):
    """``access_log()`` as a DataFrame indexed by seq, oldest first: columns at
    (datetime64[ns, UTC]), reader (the person's id, None for the system), system (bool),
    purpose, read, key, kind, fields (the fields shown in clear, joined with ``|``) and
    hash.
    """
    pd = _pandas()
    columns = records._access_log_columns(after, limit)
    index = pd.Index(columns.pop("seq"), name="seq")
    columns["at"] = pd.to_datetime(pd.Series(columns["at"], index=index, dtype=object),
                                   utc=True)
    return pd.DataFrame(columns, index=index, columns=_ACCESS_COLUMNS)


_CHECK_RATES_COLUMNS = ["month", "node", "node_name", "level", "sampled", "checked",
                        "correct", "not_collected", "not_deregistered", "wrong",
                        "collection_rate", "accuracy_rate"]


def records_check_rates_frame(records, from_=None, to=None):
    """``check_rates()`` as a DataFrame, one row per month and node (months ascending,
    nodes in pre-order): columns month (``"2026-09"``), node (code), node_name, level (the
    node's level key), the counts sampled, checked, correct, not_collected,
    not_deregistered and wrong (int64), and collection_rate and accuracy_rate in % (float64,
    NaN when undefined). ``from_`` and ``to`` bound the rounds' dates as in
    ``check_rates()``.
    """
    pd = _pandas()
    columns = records._check_rates_columns(from_, to)
    return pd.DataFrame(columns, columns=_CHECK_RATES_COLUMNS)


def reader_for_person(person_id, purpose, *, reveal=False, on=None):
    """A person of the directory reading records for ``purpose``: the records in the
    subtrees of the posts they hold on ``on`` (a ``datetime.date`` or ``"YYYY-MM-DD"``;
    None: the day of each read, in China Standard Time). With ``reveal=True`` it asks for
    sensitive fields in clear, which a post covering the record shows when its role carries
    a duty that reveals them; each such read is written to the access log.
    """
    return _native.RecordReader._person_read(person_id, purpose, reveal, on)


def reader_for_system(purpose, *, reveal=False):
    """The system itself reading records for ``purpose`` (imports, backups, checks): every
    record, and with ``reveal=True`` every sensitive field in clear, written to the access
    log.
    """
    return _native.RecordReader._system_read(purpose, reveal)


class _ReaderMember:
    """``RecordReader.person(...)`` makes a reader; ``reader.person`` reads its member.

    On the class the name gives the factory, on a reader the member's value (read-only).
    """

    def __init__(self, factory, member):
        self._factory = factory
        self._member = member
        self.__doc__ = factory.__doc__

    def __get__(self, reader, owner=None):
        if reader is None:
            return self._factory
        return self._member.__get__(reader, owner)

    def __set__(self, reader, value):
        raise AttributeError("a RecordReader is read-only: make another one")

    def __delete__(self, reader):
        raise AttributeError("a RecordReader is read-only: make another one")


_native = None


def install(native):
    """Attaches frame(), roll_up_frame(), access_log_frame() and check_rates_frame() to the
    records face, and RecordReader.person() and RecordReader.system() to the reader."""
    global _native
    _native = native
    native.WorkspaceRecords.frame = records_frame
    native.WorkspaceRecords.roll_up_frame = records_roll_up_frame
    native.WorkspaceRecords.access_log_frame = records_access_log_frame
    native.WorkspaceRecords.check_rates_frame = records_check_rates_frame
    reader = native.RecordReader
    for factory, name in ((reader_for_person, "person"), (reader_for_system, "system")):
        factory.__name__ = name
        factory.__qualname__ = "RecordReader." + name
    reader.person = _ReaderMember(reader_for_person, reader.__dict__["person"])
    reader.system = _ReaderMember(reader_for_system, reader.__dict__["system"])
