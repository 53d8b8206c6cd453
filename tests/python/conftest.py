"""Shared fixtures: seed-shaped hierarchies written to temporary files, and workspaces.

Two areas, both taken from the policy texts gridgov ships with:

* a rural township organised as "联组成格": villages over base grids of about 150
  households each, plus one dedicated grid (专属网格) for the township school;
* a county seat as a city-management grid system: 11 net-areas (网区) of 3 grids each,
  33 grids, with the fire-safety network (消防 大/中/小网格) laid over it.

The numbers are fixed here so that tests can state hand-computed totals.
"""

import json
import os
from pathlib import Path

import pytest

import gridgov

ROOT = Path(__file__).resolve().parents[2]

# ---- the township -------------------------------------------------------------------
TOWNSHIP = "371327104"
TOWNSHIP_NAME = "石泉镇"
# village suffix, name, [(households, population, villager groups) per grid]
VILLAGES = [
    ("201", "东石泉村", [(152, 498, 3), (148, 471, 2), (155, 506, 3)]),
    ("202", "西石泉村", [(149, 463, 2), (151, 489, 3)]),
    ("203", "南岭村", [(147, 452, 2), (150, 481, 3), (153, 497, 3), (146, 455, 2)]),
]
SCHOOL_GRID = TOWNSHIP + "201" + "004"  # 专属网格: a campus holds no resident households
TOWNSHIP_HOUSEHOLDS = 1351  # 455 + 300 + 596
TOWNSHIP_POPULATION = 4312  # 1475 + 952 + 1885
TOWNSHIP_GROUPS = 23  # 8 + 5 + 10


def grid_code(village_suffix, seq):
    return f"{TOWNSHIP}{village_suffix}{seq:03d}"


def township_csv_text():
    rows = [
        "code,parent_code,level,name,kind,area_type,area_class,households,population,"
        "area_m2,villager_groups",
        f"{TOWNSHIP},,township,{TOWNSHIP_NAME},,rural,,,,,",
    ]
    for suffix, village, grids in VILLAGES:
        village_code = TOWNSHIP + suffix
        rows.append(f"{village_code},{TOWNSHIP},village,{village},,rural,,,,,")
        for seq, (households, population, groups) in enumerate(grids, start=1):
            rows.append(
                f"{grid_code(suffix, seq)},{village_code},grid,{village}第{seq}网格,"
                f"comprehensive,rural,,{households},{population},1200000,{groups}")
    rows.append(f"{SCHOOL_GRID},{TOWNSHIP}201,grid,石泉镇中心小学,dedicated,rural,,0,,,")
    return "\n".join(rows) + "\n"


# ---- the county seat ------------------------------------------------------------------
STREET = "371327001"
STREET_NAME = "城关街道"
NET_AREAS = 11
GRIDS_PER_AREA = 3


def seat_households(area, grid):
    """Urban grids of 311..413 households: 300 + 10 x net-area + grid number."""
    return 300 + 10 * area + grid


SEAT_HOUSEHOLDS = 11946  # 33 x 300 + 10 x 3 x (1 + ... + 11) + 11 x (1 + 2 + 3)


def seat_grid(area, grid):
    return f"{STREET}{area:03d}{grid:03d}"


def county_seat_document(skip_fire_grid=None):
    nodes = [{"code": STREET, "name": STREET_NAME, "level": "township", "area_type": "urban"}]
    units = [{"code": "XF-01", "parent": "", "name": "城关消防大网格", "level": "large",
              "grids": []}]
    for a in range(1, NET_AREAS + 1):
        area_code = f"{STREET}{a:03d}"
        nodes.append({"code": area_code, "parent": STREET, "name": f"第{a}网区",
                      "level": "village", "area_type": "urban"})
        medium = f"XF-01-{a:02d}"
        units.append({"code": medium, "parent": "XF-01", "name": f"第{a}网区消防中网格",
                      "level": "medium", "grids": []})
        for g in range(1, GRIDS_PER_AREA + 1):
            code = seat_grid(a, g)
            nodes.append({"code": code, "parent": area_code, "name": f"第{a}网区第{g}网格",
                          "level": "grid", "kind": "comprehensive", "area_type": "urban",
                          "area_class": "一类" if a <= 6 else "二类",
                          "households": seat_households(a, g),
                          "attributes": {"shops": 20 + a + g}})
            if code == skip_fire_grid:
                continue
            units.append({"code": f"{medium}-{g:02d}", "parent": medium,
                          "name": f"第{a}网区第{g}消防小网格", "level": "small",
                          "grids": [code]})
    return {
        "format": "gridgov.hierarchy",
        "version": 1,
        "nodes": nodes,
        "overlays": [{"key": "fire_safety", "name": "消防网格", "levels": "fire_safety",
                      "units": units}],
    }


# ---- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def test_data_dir():
    return Path(os.environ.get("GRIDGOV_TEST_DATA", ROOT / "tests" / "data"))


@pytest.fixture(scope="session")
def examples_data_dir():
    return Path(os.environ.get("GRIDGOV_EXAMPLES_DATA", ROOT / "examples" / "data"))


@pytest.fixture
def township_csv(tmp_path):
    path = tmp_path / "石泉镇.csv"
    path.write_text(township_csv_text(), encoding="utf-8")
    return path


@pytest.fixture
def county_seat_json(tmp_path):
    path = tmp_path / "城关街道.json"
    path.write_text(json.dumps(county_seat_document(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def workspace_path(tmp_path):
    return tmp_path / "area.gridgov"


@pytest.fixture
def workspace(workspace_path):
    ws = gridgov.Workspace.open(workspace_path)
    yield ws
    ws.close()


@pytest.fixture
def township(workspace, township_csv):
    """A workspace holding the township."""
    workspace.hierarchy.import_file(township_csv)
    return workspace


@pytest.fixture
def county_seat(workspace, county_seat_json):
    """A workspace holding the county seat and its fire-safety overlay."""
    workspace.hierarchy.import_file(county_seat_json)
    return workspace


# ---- where a persistence test keeps its workspace --------------------------------------
_schemas = iter(range(1_000_000))


def store_location(tmp_path, name):
    """A file in tmp_path, or, when GRIDGOV_TEST_STORE holds a PostgreSQL URI (ctest's
    python_postgresql run), a new schema of that database as a workspace location."""
    server = os.environ.get("GRIDGOV_TEST_STORE")
    if not server:
        return tmp_path / name
    import subprocess
    schema = f"p{os.getpid()}_{next(_schemas)}"
    subprocess.run(["psql", "-q", "-X", "-d", server, "-c", f"CREATE SCHEMA {schema}"],
                   check=True, capture_output=True)
    return server + ("&" if "?" in server else "?") + "options=-csearch_path%3D" + schema
