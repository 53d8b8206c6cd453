"""The report page from Python: Workspace.write_report() writes one self-contained HTML file
and Workspace.report_data() returns the numbers of its JSON island, which must agree with the
workspace's own cases and stored scores."""

import html
import json
import re
from pathlib import Path

import pytest

import gridgov

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
