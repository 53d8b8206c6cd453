import gridgov
import pytest


def test_version_is_the_library_version():
    assert gridgov.__version__ == gridgov.version()
    assert gridgov.__version__.count(".") == 2


def test_error_hierarchy_inherits_builtins():
    assert issubclass(gridgov.NotFoundError, gridgov.Error)
    assert issubclass(gridgov.NotFoundError, KeyError)
    assert issubclass(gridgov.InvalidArgumentError, ValueError)
    assert issubclass(gridgov.StorageError, OSError)


# ---- hostile JSON ------------------------------------------------------------------------
def test_a_json_error_after_a_chinese_character_is_a_parse_error_not_a_decode_error():
    # The lexer stops on the first byte of 网; the message must still be whole UTF-8.
    for text in ('{"key": 网格}', '["第一", 第二]'):
        with pytest.raises(gridgov.ParseError) as caught:
            gridgov.WorkflowSpec.from_json(text, "网格.json")
        message = str(caught.value)
        assert "网格.json: not valid JSON at line 1" in message
        assert "near '" in message and "\ufffd" not in message
    with pytest.raises(gridgov.ParseError, match="near '网格}'"):
        gridgov.WorkingSchedule.from_json('{"hours": 网格}')


def test_a_number_outside_a_double_is_a_parse_error_naming_the_member():
    with pytest.raises(gridgov.ParseError, match=r"member /hours: number overflow parsing '1e400'"):
        gridgov.WorkingSchedule.from_json('{"hours": 1e400}')
    with pytest.raises(gridgov.ParseError, match=r"scheme.json: .*member /components/0/weight"):
        gridgov.AssessmentScheme.from_json('{"components": [{"weight": -1e999}]}', "scheme.json")
    ws = gridgov.Workspace.open(":memory:")
    with pytest.raises(gridgov.ParseError, match=r"county.json: .*member /nodes/0/households"):
        ws.hierarchy.import_text('{"nodes": [{"households": 1e400}]}', "json", "county.json")
