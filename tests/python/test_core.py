import gridgov


def test_version_is_the_library_version():
    assert gridgov.__version__ == gridgov.version()
    assert gridgov.__version__.count(".") == 2


def test_error_hierarchy_inherits_builtins():
    assert issubclass(gridgov.NotFoundError, gridgov.Error)
    assert issubclass(gridgov.NotFoundError, KeyError)
    assert issubclass(gridgov.InvalidArgumentError, ValueError)
    assert issubclass(gridgov.StorageError, OSError)
