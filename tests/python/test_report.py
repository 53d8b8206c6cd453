"""The report page from Python: Workspace.write_report() writes one self-contained HTML file
and Workspace.report_data() returns the numbers of its JSON island, which must agree with the
workspace's own cases and stored scores; Workspace.light_board() reads the board of the grids
or of an overlay's units."""

import html
import json
import re
from pathlib import Path

import pytest

import gridgov
from test_cases import (DONGLING, XIHE_GRID, at, dispatch_and_accept, handle_check_close, report,
                        set_up)
from test_cases import GRID_2 as DONGLING_2

TOWNSHIP = Path(__file__).resolve().parents[1] / "data" / "township.json"
GRID_1, GRID_2 = "341521105201001", "341521105201002"


def scored_workspace(path):
    ws = gridgov.Workspace.open(path)
    ws.hierarchy.import_file(TOWNSHIP)
    scheme = gridgov.AssessmentScheme.preset("urban_supervisor")
    # 001: 0.4×90 + 0.2×(100−10) + 0.2×80 + 0.2×70 = 84; 002: 0.4×50 + 0.2×50 × 3 = 50.
    extra = {GRID_1: {"valid_report_rate": 90, "missed_rate": 10, "on_time_verify_rate": 80,
                      "on_time_check_rate": 70},
             GRID_2: {"valid_report_rate": 50, "missed_rate": 50, "on_time_verify_rate": 50,
                      "on_time_check_rate": 50}}
    ws.assessment.assess(scheme, "2026-03", select="list", subjects=[GRID_1, GRID_2], extra=extra,
              store=True)
    return ws


def test_report_data_agrees_with_the_workspace(tmp_path):
    with scored_workspace(tmp_path / "ws.gridgov") as ws:
        data = ws.report_data("2026-04-01T00:00", title="测试 <报告>")
        assert data["title"] == "测试 <报告>"
        assert data["summary"]["cases"] == 0
        sections = {s["key"]: s for s in data["schemes"]}
        results = sections["urban_supervisor"]["scores"]
        totals = {r["subject"]: r["total"] for r in results}
        assert totals == {GRID_1: pytest.approx(84), GRID_2: pytest.approx(50)}
        with pytest.raises(gridgov.NotFoundError):
            ws.report_data("2026-04-01T00:00", scope="999")
        with pytest.raises(TypeError):
            ws.report_data(3.5)


def test_write_report_writes_one_self_contained_page(tmp_path):
    page = tmp_path / "report.html"
    with scored_workspace(tmp_path / "ws.gridgov") as ws:
        ws.write_report(page, "2026-04-01T00:00", title="测试 <报告>")
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>")
        assert "测试 &lt;报告&gt;" in text and "测试 <报告>" not in text
        assert not re.search(r"https?://", text)
        island = re.search(r'<script type="application/json" id="gridgov-data">(.*?)</script>',
                           text, re.S)
        assert island
        assert json.loads(island.group(1)) == ws.report_data("2026-04-01T00:00",
                                                             title="测试 <报告>")
        # A folder that does not exist: an error naming the path, nothing written.
        missing = tmp_path / "no" / "report.html"
        with pytest.raises(gridgov.StorageError, match="no"):
            ws.write_report(missing, "2026-04-01T00:00")
        assert not missing.exists()


# ---- the light board of an overlay's units ---------------------------------------------------
# As the C++ test report.units.boards_of_overlay_units_count_the_cases_of_the_grids_they_cover,
# on the township of test_cases.py (岸堤镇: 东岭村 with two grids, 西河村 with one) and its
# six-step loop: a fire network whose 大网格 L1 holds a 中网格 over each village.
XIHE = "371327101002"

def _cases_and_fire_network(path):
    with gridgov.Workspace.open(path) as ws:
        set_up(ws)
        closed = report(ws)  # 东岭一网格: closed on time
        dispatch_and_accept(closed)
        handle_check_close(closed)
        filed = report(ws, time="10:00", node=DONGLING_2, actor="P02")  # overdue by the board
        filed.fire("file", at=at("2026-03-02", "10:10"), actor="P03")
        report(ws, day="2026-03-03", node=XIHE_GRID, actor="P03")
        voided = report(ws, day="2026-03-03", time="10:00", node=XIHE_GRID, actor="P03")
        voided.fire("void", at=at("2026-03-03", "10:10"), actor="P03", reason="重复上报")
        report(ws, day="2026-03-20")  # after the board's instant: on no row
        ws.hierarchy.add_overlay("fire", "消防网格", "fire_safety")
        ws.hierarchy.add_overlay_unit("fire", code="L1", name="岸堤镇消防大网格", level="large")
        ws.hierarchy.add_overlay_unit("fire", code="M1", name="东岭村消防中网格", level="medium",
                                      parent="L1", grids=[DONGLING])
        ws.hierarchy.add_overlay_unit("fire", code="M2", name="西河村消防中网格", level="medium",
                                      parent="L1", grids=[XIHE])


def _counts(row):
    return {k: v for k, v in row.items() if k not in ("code", "name", "parent")}


def test_boards_of_overlay_units_count_the_cases_of_the_grids_they_cover(tmp_path):
    path = tmp_path / "andi.gridgov"
    _cases_and_fire_network(path)
    board_at = at("2026-03-04", "12:00")
    with gridgov.Workspace.open(path) as ws:
        villages = ws.light_board(board_at, "village")
        assert [r["code"] for r in villages["rows"]] == [DONGLING, XIHE]
        dongling, xihe = villages["rows"]
        assert "overlay" not in villages
        # The same call without a level is still the board of the grids.
        assert ws.light_board(board_at)["level"] == "grid"

        # With an overlay and no level: every unit, in tree order.
        units = ws.light_board(board_at, overlay="fire")
        assert (units["overlay"], units["level"], units["scope"]) == ("fire", "", "")
        assert [r["code"] for r in units["rows"]] == ["fire:L1", "fire:M1", "fire:M2"]
        large, m1, m2 = units["rows"]
        assert (m1["name"], m1["parent"]) == ("东岭村消防中网格", "岸堤镇消防大网格")
        # Each 中网格 counts what its village counts; the 大网格 and the total the two together.
        assert _counts(m1) == _counts(dongling)
        assert _counts(m2) == _counts(xihe)
        assert _counts(dongling) == {"cases": 2, "open": 1, "green": 0, "yellow": 0, "red": 1,
                                     "overdue": 1, "closed_on_time": 1, "closed_late": 0,
                                     "voided": 0}
        assert xihe["voided"] == 1
        assert _counts(large) == {k: dongling[k] + xihe[k] for k in _counts(large)}
        assert _counts(units["total"]) == _counts(large) == _counts(villages["total"])
        assert units["total"]["code"] == ""

        # A level of the overlay and a unit as the scope, by code or by place.
        one = ws.light_board(board_at, level="medium", scope="M2", overlay="fire")
        assert [r["code"] for r in one["rows"]] == ["fire:M2"]
        assert one["total"]["code"] == "fire:M2"
        assert _counts(one["total"]) == _counts(xihe)
        both = ws.light_board(board_at, "medium", "fire:L1", overlay="fire")
        assert [r["code"] for r in both["rows"]] == ["fire:M1", "fire:M2"]

        # Refusals name the unknown level, scope or overlay.
        with pytest.raises(gridgov.NotFoundError,
                           match="level 'grid' is not a level of overlay 'fire'"):
            ws.light_board(board_at, level="grid", overlay="fire")
        with pytest.raises(gridgov.NotFoundError,
                           match="scope 'M9' is not a unit of overlay 'fire'"):
            ws.light_board(board_at, scope="M9", overlay="fire")
        with pytest.raises(gridgov.NotFoundError,
                           match="the workspace has no overlay 'market'"):
            ws.light_board(board_at, overlay="market")
