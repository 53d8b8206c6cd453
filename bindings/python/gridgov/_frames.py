"""pandas conversions for gridgov objects.

pandas is optional: gridgov imports without it, and only these conversions need it. Each
frame is indexed by the stable node code, the identity that survives across workspaces,
and also carries the dense node id as a column for joining with numpy arrays.
"""

_PANDAS_MISSING = (
    "to_pandas() needs pandas, which is not installed; install it "
    "(Debian: apt install python3-pandas; elsewhere: pip install pandas) "
    "or use the numpy arrays and to_dict() instead"
)


def _pandas():
    try:
        import pandas
    except ImportError as error:
        raise ImportError(_PANDAS_MISSING) from error
    return pandas


def hierarchy_to_pandas(hierarchy):
    """The live nodes in pre-order as a DataFrame indexed by code.

    Columns: id, name, level, parent (the parent's code, "" for a root), depth, kind,
    area_type, area_class, then every numeric column (NaN where a node has no value).
    """
    pd = _pandas()
    table = hierarchy.to_dict()
    index = pd.Index(table.pop("code"), name="code")
    return pd.DataFrame(table, index=index)


def rollup_to_pandas(rollup):
    """The roll-up of every live node (pre-order) as a DataFrame indexed by code.

    Columns: id, sum, min, max, count.
    """
    pd = _pandas()
    ids = rollup.ids
    return pd.DataFrame(
        {
            "id": ids,
            "sum": rollup.sum[ids],
            "min": rollup.min[ids],
            "max": rollup.max[ids],
            "count": rollup.count[ids],
        },
        index=pd.Index(rollup.codes, name="code"),
    )


def findings_to_pandas(findings):
    """A list of Finding objects as a DataFrame with columns rule, severity, where, message.

    severity holds the lower-case name ("info", "warning", "error"), so that
    ``frame[frame.severity == "error"]`` selects the errors.
    """
    pd = _pandas()
    return pd.DataFrame(
        {
            "rule": [f.rule for f in findings],
            "severity": [f.severity.name.lower() for f in findings],
            "where": [f.where for f in findings],
            "message": [f.message for f in findings],
        },
        columns=["rule", "severity", "where", "message"],
    )


def install(native):
    """Attaches the to_pandas() methods to the native classes."""
    native.Hierarchy.to_pandas = hierarchy_to_pandas
    native.RollUp.to_pandas = rollup_to_pandas
