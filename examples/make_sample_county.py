#!/usr/bin/env python3
"""Generates the sample county in examples/data/ (standard library only, deterministic).

苇川县 (Weichuan County, code 371338) is fictional. It joins the two grid systems of the
policy texts gridgov ships with:

* 青石镇, a rural township run the way "联组成格、三级管理" describes it: the township
  (一级网格长) over its villages (二级网格长) over base grids of about 150 households,
  each joining a few villager groups (村民组);
* 城关街道, the county seat as a city-management grid system: 11 net-areas (网区) of
  3 grids each, 33 grids, every net-area watched by a supervising unit (督导单位) that
  also answers for the 门前三包 frontage zones inside it.

Two overlays lie over the county seat: the fire-safety network of 大/中/小 grids and the
门前三包 frontage zones. A handful of data problems are planted on purpose so that
validation has something to report; examples/README.md lists them.

Every output file has one writer function; main() runs them all. The same seed always
gives the same bytes, which tests/python/test_examples.py checks against the committed
files.

    python3 examples/make_sample_county.py            # rewrites examples/data/
    python3 examples/make_sample_county.py --out DIR  # writes somewhere else
"""

import argparse
import csv
import io
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20230824  # the day seed 000's township notice was printed

COUNTY_CODE = "371338"
COUNTY_NAME = "苇川县"

TOWNSHIP_CODE = COUNTY_CODE + "102"  # GB/T 10114: 1xx are towns (镇)
TOWNSHIP_NAME = "青石镇"

STREET_CODE = COUNTY_CODE + "001"  # GB/T 10114: 0xx are streets (街道)
STREET_NAME = "城关街道"

# (village code suffix, name, base grids). GB/T 10114 numbers 村委会 from 201.
VILLAGES = [
    ("201", "青石村", 6),
    ("202", "东岭村", 4),
    ("203", "西岭村", 3),
    ("204", "河口村", 5),
    ("205", "桑园村", 4),
    ("206", "柳湾村", 3),
    ("207", "石桥村", 4),
    ("208", "新庄村", 0),  # planted: a village that has not been divided into grids
]

# Seed 003 keeps 11 net-areas of 3 grids each; the eleven county departments it names as
# members of the leading group each supervise one net-area here.
SUPERVISING_UNITS = [
    "县监察局", "县城管局", "县公安局", "县住建局", "县广播电视台", "县工商局",
    "县房管局", "县食药监局", "县环保局", "县国税局", "县地税局",
]
# The main road of each net-area; its three grids take the west, middle and east stretch.
NET_AREA_ROADS = [
    "人民路", "文化路", "建设路", "振兴路", "滨河路", "隆山路",
    "苇川大道", "工业路", "站前路", "新华路", "环城北路",
]
STRETCHES = ["西段", "中段", "东段"]
GRIDS_PER_NET_AREA = 3
CORE_NET_AREAS = 6  # the old town: 一类 area class; the rest is 二类

CN_DIGITS = "一二三四五六七八九十"

# Planted problems (see examples/README.md).
GRID_WITHOUT_HOUSEHOLDS = TOWNSHIP_CODE + "204" + "003"
OVERSIZE_GRID = TOWNSHIP_CODE + "206" + "002"
OVERSIZE_HOUSEHOLDS = 286
FIRE_GAP_GRID = STREET_CODE + "009" + "002"
FIRE_OVERLAP_GRID = STREET_CODE + "004" + "003"
FIRE_OVERLAP_UNIT = "XF-01-05-01"  # a net-area 5 small grid drawn across into net-area 4


@dataclass
class DedicatedGrid:
    parent_suffix: str  # the village or net-area it lies in
    name: str


# 专属网格: premises that keep their own grid inside a community or village.
DEDICATED = {
    STREET_CODE: [
        DedicatedGrid("003", "县第一中学"),
        DedicatedGrid("007", "县人民医院"),
    ],
    TOWNSHIP_CODE: [
        DedicatedGrid("201", "青石镇中心小学"),
    ],
}


@dataclass
class Node:
    code: str
    parent: str
    name: str
    level: str
    kind: str = ""
    area_type: str = ""
    area_class: str = ""
    households: int | None = None
    population: int | None = None
    area_m2: int | None = None
    attributes: dict = field(default_factory=dict)


@dataclass
class Unit:
    code: str
    parent: str
    name: str
    level: str
    grids: list = field(default_factory=list)


@dataclass
class Overlay:
    key: str
    name: str
    levels: object  # a built-in scheme name or a list of level objects
    units: list = field(default_factory=list)


@dataclass
class County:
    nodes: list = field(default_factory=list)
    overlays: list = field(default_factory=list)


def cn_number(n):
    """1..19 in Chinese numerals (第十一网区)."""
    if n <= 10:
        return CN_DIGITS[n - 1]
    return "十" + CN_DIGITS[n - 11]


def net_area_name(i):
    return f"第{cn_number(i)}网区"


def grid_name(i, j):
    return f"{net_area_name(i)}第{cn_number(j)}网格"


def build_township(rng, county):
    county.nodes.append(Node(TOWNSHIP_CODE, COUNTY_CODE, TOWNSHIP_NAME, "township",
                             area_type="rural"))
    for suffix, village, grid_count in VILLAGES:
        village_code = TOWNSHIP_CODE + suffix
        county.nodes.append(Node(village_code, TOWNSHIP_CODE, village, "village",
                                 area_type="rural"))
        for seq in range(1, grid_count + 1):
            code = f"{village_code}{seq:03d}"
            households = rng.randint(120, 190)
            groups = rng.randint(2, 4)
            if code == OVERSIZE_GRID:
                households, groups = OVERSIZE_HOUSEHOLDS, 6
            population = round(households * rng.uniform(2.9, 3.3))
            area = int(round(rng.uniform(0.6e6, 2.4e6), -2))
            node = Node(code, village_code, f"{village}第{cn_number(seq)}网格", "grid",
                        kind="comprehensive", area_type="rural",
                        households=households, population=population, area_m2=area,
                        attributes={"villager_groups": groups})
            if code == GRID_WITHOUT_HOUSEHOLDS:
                node.households = node.population = None
            county.nodes.append(node)
        add_dedicated_grids(county, TOWNSHIP_CODE, suffix, grid_count, "rural")


def build_street(rng, county):
    county.nodes.append(Node(STREET_CODE, COUNTY_CODE, STREET_NAME, "township",
                             area_type="urban"))
    for i in range(1, len(SUPERVISING_UNITS) + 1):
        area_code = f"{STREET_CODE}{i:03d}"
        county.nodes.append(Node(area_code, STREET_CODE, net_area_name(i), "village",
                                 area_type="urban"))
        for j in range(1, GRIDS_PER_NET_AREA + 1):
            households = rng.randint(310, 490)
            population = round(households * rng.uniform(2.6, 2.9))
            area = int(round(rng.uniform(0.06e6, 0.24e6), -2))
            shops = rng.randint(20, 120)
            county.nodes.append(Node(
                f"{area_code}{j:03d}", area_code, grid_name(i, j), "grid",
                kind="comprehensive", area_type="urban",
                area_class="一类" if i <= CORE_NET_AREAS else "二类",
                households=households, population=population, area_m2=area,
                attributes={"shops": shops}))
        add_dedicated_grids(county, STREET_CODE, f"{i:03d}", GRIDS_PER_NET_AREA, "urban")


def add_dedicated_grids(county, parent_prefix, suffix, after_seq, area_type):
    seq = after_seq
    for grid in DEDICATED[parent_prefix]:
        if grid.parent_suffix != suffix:
            continue
        seq += 1
        parent = parent_prefix + suffix
        # A campus or hospital compound holds no resident households of its own.
        county.nodes.append(Node(f"{parent}{seq:03d}", parent, grid.name, "grid",
                                 kind="dedicated", area_type=area_type, households=0))


def build_fire_safety(county):
    """Seed 002 第四篇: 大网格 = a street or township, 中网格 = a community or village,
    小网格 = a block, compound or villager group.

    The county seat draws a small grid over each of its grids. The township draws its
    medium grids over whole villages: a unit mapped to a village stands for every grid of
    the village, so the township is covered without listing its grids one by one.
    """
    overlay = Overlay("fire_safety", "消防网格", "fire_safety")
    overlay.units.append(Unit("XF-01", "", f"{STREET_NAME}消防大网格", "large"))
    grids_by_area = {}
    for node in county.nodes:
        if node.level == "grid" and node.parent.startswith(STREET_CODE):
            grids_by_area.setdefault(node.parent, []).append(node)
    for i in range(1, len(SUPERVISING_UNITS) + 1):
        medium = f"XF-01-{i:02d}"
        overlay.units.append(Unit(medium, "XF-01", f"{net_area_name(i)}消防中网格", "medium"))
        for seq, grid in enumerate(grids_by_area[f"{STREET_CODE}{i:03d}"], start=1):
            if grid.code == FIRE_GAP_GRID:
                continue
            # A school or hospital is a key unit (重点单位) with a small grid of its own.
            small = Unit(f"{medium}-{seq:02d}", medium, grid.name + "消防小网格", "small",
                         [grid.code])
            if small.code == FIRE_OVERLAP_UNIT:
                small.grids.append(FIRE_OVERLAP_GRID)
            overlay.units.append(small)
    overlay.units.append(Unit("XF-02", "", f"{TOWNSHIP_NAME}消防大网格", "large"))
    for seq, (suffix, village, _) in enumerate(VILLAGES, start=1):
        overlay.units.append(Unit(f"XF-02-{seq:02d}", "XF-02", f"{village}消防中网格", "medium",
                                  [TOWNSHIP_CODE + suffix]))
    county.overlays.append(overlay)


def build_frontage(county):
    """Seed 003's 门前三包: in the county seat, each supervising unit's net-area split
    into one frontage zone per grid; the township answers for its own ground as a whole
    (属地管理), so one unit mapped to the township covers all of its grids."""
    levels = [
        {"key": "supervision_area", "name_zh": "督导片区", "name_en": "Supervision area",
         "code_digits": 0},
        {"key": "frontage_zone", "name_zh": "门前三包责任区", "name_en": "Frontage zone",
         "code_digits": 0},
    ]
    overlay = Overlay("frontage", "门前三包责任区", levels)
    for i, unit in enumerate(SUPERVISING_UNITS, start=1):
        area = f"MQ-{i:02d}"
        area_code = f"{STREET_CODE}{i:03d}"
        overlay.units.append(Unit(area, "", f"{net_area_name(i)}（督导单位：{unit}）",
                                  "supervision_area"))
        zones = [n for n in county.nodes if n.level == "grid" and n.parent == area_code]
        for seq, grid in enumerate(zones, start=1):
            name = (f"{NET_AREA_ROADS[i - 1]}{STRETCHES[seq - 1]}" if grid.kind == "comprehensive"
                    else grid.name)
            overlay.units.append(Unit(f"{area}-{seq}", area, name + "门前三包责任区",
                                      "frontage_zone", [grid.code]))
    overlay.units.append(Unit(f"MQ-{len(SUPERVISING_UNITS) + 1:02d}", "",
                              f"{TOWNSHIP_NAME}（属地管理）", "supervision_area", [TOWNSHIP_CODE]))
    county.overlays.append(overlay)


def build_county(seed=SEED):
    rng = random.Random(seed)
    county = County()
    county.nodes.append(Node(COUNTY_CODE, "", COUNTY_NAME, "county"))
    build_street(rng, county)
    build_township(rng, county)
    build_fire_safety(county)
    build_frontage(county)
    return county


def node_json(node):
    out = {"code": node.code, "parent": node.parent, "name": node.name, "level": node.level}
    for key in ("kind", "area_type", "area_class"):
        if getattr(node, key):
            out[key] = getattr(node, key)
    for key in ("households", "population", "area_m2"):
        if getattr(node, key) is not None:
            out[key] = getattr(node, key)
    if node.attributes:
        out["attributes"] = node.attributes
    return out


def one_line(value):
    return json.dumps(value, ensure_ascii=False)


def write_county_json(county, out):
    """county.json: the hierarchy with both overlays, one node or unit per line."""
    lines = ['{', '  "format": "gridgov.hierarchy",', '  "version": 1,', '  "nodes": [']
    lines.append(",\n".join("    " + one_line(node_json(n)) for n in county.nodes))
    lines.append("  ],")
    lines.append('  "overlays": [')
    overlays = []
    for overlay in county.overlays:
        head = [
            "    {",
            f'      "key": {one_line(overlay.key)}, "name": {one_line(overlay.name)},',
            f'      "levels": {one_line(overlay.levels)},',
            '      "units": [',
        ]
        units = ",\n".join(
            "        " + one_line({"code": u.code, "parent": u.parent, "name": u.name,
                                   "level": u.level, "grids": u.grids})
            for u in overlay.units)
        overlays.append("\n".join(head) + "\n" + units + "\n      ]\n    }")
    lines.append(",\n".join(overlays))
    lines.append("  ]")
    lines.append("}")
    (out / "county.json").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_county_csv(county, out):
    """county.csv: the same hierarchy without overlays; attributes become extra columns."""
    extra = []
    for node in county.nodes:
        extra += [k for k in node.attributes if k not in extra]
    header = ["code", "parent_code", "level", "name", "kind", "area_type", "area_class",
              "households", "population", "area_m2"] + extra
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for n in county.nodes:
        values = [n.households, n.population, n.area_m2] + [n.attributes.get(k) for k in extra]
        writer.writerow([n.code, n.parent, n.level, n.name, n.kind, n.area_type, n.area_class]
                        + ["" if v is None else v for v in values])
    (out / "county.csv").write_text(buffer.getvalue(), encoding="utf-8")


WRITERS = [write_county_json, write_county_csv]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data",
                        help="directory to write into (default: examples/data)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    county = build_county()
    for write in WRITERS:
        write(county, args.out)


if __name__ == "__main__":
    main()
