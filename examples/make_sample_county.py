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
门前三包 frontage zones. The directory names who answers for every grid: the township's
grid leaders, instructors and one information officer per base grid with A and B posts,
the county seat's grid heads, information officers and inspectors under a county leader
and a supervising department per net-area, the party groups, service teams and archives
of "五个一同步", and a few leaves. The departments cases are dispatched to come with it.
A handful of data problems are planted on purpose so that validation and the staffing
checks have something to report; examples/README.md lists them.

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
    directory: object = None


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


# ---- the directory --------------------------------------------------------------------

# The grid system took effect on this day: the hierarchy is imported with it as the
# nodes' creation date, and posts, party groups and archives start on it.
GRIDS_EFFECTIVE = "2023-09-01"

# The catalogue joins the presets of the two systems: the township's roles first, so that
# the township's grids are answered by its own roles, then the county seat's per-grid
# team and its net-area roles.
CATALOGUE_PRESETS = ["township_000", "community_001", "county_seat_003"]
PRESET_DIR = Path(__file__).resolve().parents[1] / "src" / "directory" / "presets"

# Planted staffing problems (see examples/README.md).
NO_OFFICER_GRID = GRID_WITHOUT_HOUSEHOLDS          # drawn, but never surveyed nor staffed
BACKUP_IS_PRIMARY_GRID = TOWNSHIP_CODE + "207004"  # its B post names its own officer
VILLAGE_WITHOUT_PARTY_GROUPS = TOWNSHIP_CODE + "203"
PILOT_GRID = TOWNSHIP_CODE + "201002"  # officer recorded from the pilot, before the grid
PILOT_START = "2023-06-15"  # seed 000 四(一): pilot villages in June and July 2023
SHARED_INSPECTOR_AREA = STREET_CODE + "011"  # one inspector on all of its grids

# An officer replaced: the post's history keeps both terms.
REPLACED_OFFICER_GRID = TOWNSHIP_CODE + "201003"
REPLACED_ON = "2025-07-01"

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭"
            "吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
            "江史顾侯邵孟万段钱汤尹易常武乔贺龚")
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉建国峰华亮成林东波斌鹏宇浩凯振海山庆福德兴旺春生"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华玲红梅兰凤琴云莲萍燕雪慧颖洁琳倩婷月珍"
PHONE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                  "182", "187", "188"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

# 包扶县领导 of the eleven net-areas.
PATRON_TITLES = ["县委副书记", "常务副县长", "副县长", "副县长", "副县长", "县委常委",
                 "县委常委", "县人大常委会副主任", "县人大常委会副主任", "县政协副主席",
                 "县政协副主席"]

# Departments cases are dispatched to: seed 003's leading group (its office and the eleven
# supervising units, whose liaisons hold the 督导单位 posts), the handlers the category
# presets name by kind, and the territorial tier of each township (属地管理).
LEADING_OFFICE = ("D-WM", "coordination", "县文明办", COUNTY_CODE)
DEPARTMENT_KINDS = {  # supervising unit: (code, kind)
    "县监察局": ("D-JC", "supervision"),
    "县城管局": ("D-CG", "urban_enforcement"),
    "县公安局": ("D-GA", "public_security"),
    "县住建局": ("D-ZJ", "municipal_utilities"),
    "县广播电视台": ("D-GD", "publicity"),
    "县工商局": ("D-GS", "market_regulation"),
    "县房管局": ("D-FG", "housing"),
    "县食药监局": ("D-SY", "food_drug"),
    "县环保局": ("D-HB", "environmental_protection"),
    "县国税局": ("D-GSJ", "taxation"),
    "县地税局": ("D-DSJ", "taxation"),
}
HANDLERS = [  # (code, kind, name, node)
    ("D-HW", "sanitation", "县环卫处", STREET_CODE),
    ("D-CG-JD", "territorial", "城关街道办事处", STREET_CODE),
    ("D-QS-ZZ", "territorial", "青石镇社会管理服务中心", TOWNSHIP_CODE),
    ("D-HW-QS", "sanitation", "青石镇环卫所", TOWNSHIP_CODE),
    ("D-ZF-QS", "urban_enforcement", "青石镇综合执法中队", TOWNSHIP_CODE),
]


@dataclass
class Person:
    id: str
    name: str
    phone: str
    id_number: str
    party: str  # 党员 / 预备党员 / 群众
    categories: list
    organisation: str  # the 单位 attribute
    title: str  # the 职务 attribute


@dataclass
class DirUnit:
    code: str
    kind: str
    name: str
    node: str
    members: list
    start: str = GRIDS_EFFECTIVE


@dataclass
class Post:
    person: str
    role: str
    node: str
    post: str
    start: str = GRIDS_EFFECTIVE
    end: str = ""


@dataclass
class Leave:
    person: str
    kind: str
    start: str
    end: str
    role: str = ""
    node: str = ""
    reason: str = ""


@dataclass
class Department:
    code: str
    kind: str
    name: str
    node: str
    members: list


@dataclass
class Directory:
    catalogue: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    units: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    leaves: list = field(default_factory=list)
    departments: list = field(default_factory=list)


def id_check_character(first17):
    """GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


class PeopleMaker:
    """Fictional people: unique names, ID numbers of the county's address code with a
    real birth date and a correct check character, mobile numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.people = []
        self.names = set()
        self.numbers = set()
        self.party = {}

    def make(self, organisation, title, age=(35, 55), party="党员", categories=(),
             female=None):
        rng = self.rng
        if female is None:
            female = rng.random() < 0.35
        while True:
            given = GIVEN_FEMALE if female else GIVEN_MALE
            name = rng.choice(SURNAMES) + "".join(rng.choice(given)
                                                  for _ in range(rng.randint(1, 2)))
            if name not in self.names:
                break
        self.names.add(name)
        year = 2023 - rng.randint(*age)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        while True:
            # The sequence code is odd for men and even for women.
            seq = rng.randint(0, 499) * 2 + (0 if female else 1)
            first17 = f"{COUNTY_CODE}{year:04d}{month:02d}{day:02d}{seq:03d}"
            if first17 not in self.numbers:
                break
        self.numbers.add(first17)
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
        person = Person(f"P{len(self.people) + 1:04d}", name, phone,
                        first17 + id_check_character(first17), party, list(categories),
                        organisation, title)
        self.people.append(person)
        self.party[person.id] = party
        return person

    def is_member(self, person_id):
        return self.party[person_id] in ("党员", "预备党员")


def merged_catalogue():
    """The presets of CATALOGUE_PRESETS joined: the first one's duties and roles, then
    those of the others whose codes it lacks (what gridgov::merge_catalogues does)."""
    presets = [json.loads((PRESET_DIR / f"{key}.json").read_text(encoding="utf-8"))
               for key in CATALOGUE_PRESETS]
    duties, roles = [], []
    for preset in presets:
        duties += [d for d in preset["duties"] if d["code"] not in {x["code"] for x in duties}]
        roles += [r for r in preset["roles"] if r["code"] not in {x["code"] for x in roles}]
    return {
        "key": "weichuan",
        "name": "苇川县：青石镇 (township_000) + 城关街道 (community_001, county_seat_003)",
        "source": "; ".join(p["source"] for p in presets),
        "duties": duties,
        "roles": roles,
    }


def grids_of(county, parent_code):
    return [n for n in county.nodes if n.level == "grid" and n.parent == parent_code]


def backup_posts(grids, terms, role, same_grid=""):
    """Seed 002's A/B posts between neighbours: the officer of each grid holds post B of
    the grid before it, the first grid's officer that of the last (grids in code order),
    for as long as they hold their own grid. `terms` maps a grid to its officers' posts A;
    `same_grid` is the grid whose post B wrongly names its own officer."""
    staffed = [g.code for g in grids if g.code in terms]
    posts = []
    for i, code in enumerate(staffed):
        if len(staffed) < 2:
            break
        neighbour = code if code == same_grid else staffed[(i + 1) % len(staffed)]
        for term in terms[neighbour]:
            posts.append(Post(term.person, role, code, "B", max(term.start, GRIDS_EFFECTIVE),
                              term.end))
    return posts


def make_village_officer(rng, maker, village):
    # Seed 000 三(二): officers are mostly villager-group heads, joined by old party
    # members, former village cadres, retired teachers and deputies.
    category = rng.choices(["村民组长", "老党员", "老村干部", "老教师", "两代表一委员"],
                           weights=[6, 2, 2, 1, 1])[0]
    party = "党员" if category != "村民组长" or rng.random() < 0.4 else "群众"
    return maker.make(f"{village}村委会", "网格信息员", age=(45, 68), party=party,
                      categories=[category])


def build_township_directory(rng, county, maker, d):
    township = TOWNSHIP_CODE
    leader = maker.make("青石镇党委", "党委副书记", age=(40, 50), female=False)
    d.posts.append(Post(leader.id, "township_grid_leader", township, "A"))
    for suffix, village, _ in VILLAGES:
        vcode = township + suffix
        secretary = maker.make(f"{village}村委会", "村党支部书记", age=(40, 60))
        instructor = maker.make("青石镇人民政府", "驻村干部", age=(28, 45))
        d.posts.append(Post(secretary.id, "village_grid_leader", vcode, "A"))
        d.posts.append(Post(instructor.id, "grid_instructor", vcode, "A"))
        d.units.append(DirUnit(f"ST-{vcode}", "service_team", f"{village}网格服务团队", vcode,
                               [secretary.id, instructor.id]))
        grids = grids_of(county, vcode)
        terms = {}
        for g in grids:
            if g.code == NO_OFFICER_GRID:
                continue
            if g.kind == "dedicated":
                officer = maker.make(g.name, "安全办主任", age=(35, 55))
            else:
                officer = make_village_officer(rng, maker, village)
            start = PILOT_START if g.code == PILOT_GRID else GRIDS_EFFECTIVE
            if g.code == REPLACED_OFFICER_GRID:
                successor = make_village_officer(rng, maker, village)
                terms[g.code] = [
                    Post(officer.id, "grid_information_officer", g.code, "A", end=REPLACED_ON),
                    Post(successor.id, "grid_information_officer", g.code, "A",
                         start=REPLACED_ON)]
            else:
                terms[g.code] = [Post(officer.id, "grid_information_officer", g.code, "A",
                                      start=start)]
            d.posts += terms[g.code]
        d.posts += backup_posts(grids, terms, "grid_information_officer", BACKUP_IS_PRIMARY_GRID)
        for g in grids:
            keeper = terms[g.code][-1].person if g.code in terms else secretary.id
            if vcode != VILLAGE_WITHOUT_PARTY_GROUPS:
                members = sorted({p for p in (keeper, secretary.id) if maker.is_member(p)})
                d.units.append(DirUnit(f"PG-{g.code}", "party_group", f"{g.name}党小组",
                                       g.code, members))
            d.units.append(DirUnit(f"AR-{g.code}", "information_archive", f"{g.name}信息档案",
                                   g.code, [keeper]))
    return leader


def build_street_directory(rng, county, maker, d):
    street = STREET_CODE
    leader = maker.make("城关街道党工委", "党工委副书记", age=(40, 50))
    d.posts.append(Post(leader.id, "township_grid_leader", street, "A"))
    shared_inspector = None
    for i, unit in enumerate(SUPERVISING_UNITS, start=1):
        acode = f"{street}{i:03d}"
        patron = maker.make("苇川县", PATRON_TITLES[i - 1], age=(45, 56))
        liaison = maker.make(unit, "网格化管理联络员", age=(30, 50))
        collector = maker.make("县数字化城管指挥中心", "信息采集员", age=(25, 40),
                               party=rng.choice(["党员", "群众"]))
        d.posts.append(Post(patron.id, "patron_leader", acode, "A"))
        d.posts.append(Post(liaison.id, "supervising_unit", acode, "A"))
        d.posts.append(Post(collector.id, "information_collector", acode, "A"))
        d.units.append(DirUnit(f"ST-{acode}", "service_team", f"{net_area_name(i)}服务团队",
                               acode, [liaison.id, collector.id]))
        grids = grids_of(county, acode)
        terms = {}
        for g in grids:
            # Seed 001 篇1: the grid head is community staff, the inspector a street cadre.
            head = maker.make("城关街道办事处", "社区工作人员", age=(28, 50))
            officer = maker.make("城关街道办事处", "网格信息员", age=(24, 45),
                                 party=rng.choice(["党员", "群众", "群众"]))
            if acode == SHARED_INSPECTOR_AREA and shared_inspector is not None:
                inspector = shared_inspector
            else:
                inspector = maker.make("城关街道办事处", "街道干部", age=(30, 50))
                if acode == SHARED_INSPECTOR_AREA:
                    shared_inspector = inspector
            terms[g.code] = [Post(officer.id, "information_officer", g.code, "A")]
            d.posts.append(Post(head.id, "grid_head", g.code, "A"))
            d.posts += terms[g.code]
            d.posts.append(Post(inspector.id, "inspector", g.code, "A"))
            d.units.append(DirUnit(f"PG-{g.code}", "party_group", f"{g.name}党小组", g.code,
                                   sorted({head.id, inspector.id})))
            d.units.append(DirUnit(f"AR-{g.code}", "information_archive", f"{g.name}信息档案",
                                   g.code, [officer.id]))
        d.posts += backup_posts(grids, terms, "information_officer")
        code, kind = DEPARTMENT_KINDS[unit]
        chief = maker.make(unit, "科长", age=(35, 55))
        d.departments.append(Department(code, kind, unit, COUNTY_CODE, [liaison.id, chief.id]))
    return leader


def officer_of(d, role, node):
    return next(p.person for p in d.posts
                if p.role == role and p.node == node and p.post == "A" and not p.end)


def build_leaves(d):
    """Leaves on the demo's date (2026-09-30), so that posts B and the walk upwards answer,
    and one from the past that only the history shows."""
    town, street = TOWNSHIP_CODE, STREET_CODE
    officer = "grid_information_officer"
    d.leaves += [
        Leave(officer_of(d, officer, town + "201001"), "leave", "2026-09-28", "2026-10-09",
              reason="探亲"),
        Leave(officer_of(d, officer, town + "202002"), "vacancy", "2026-09-01", "",
              officer, town + "202002", "借调县信访局"),
        Leave(officer_of(d, officer, town + "205001"), "leave", "2026-02-09", "2026-03-02",
              reason="外出务工"),
        Leave(officer_of(d, "information_officer", street + "005002"), "leave", "2026-09-24",
              "2026-10-15", reason="病假"),
        Leave(officer_of(d, "information_officer", street + "005003"), "leave", "2026-09-29",
              "2026-10-08", reason="年休假"),
        Leave(officer_of(d, "information_officer", street + "008001"), "leave", "2026-09-30",
              "2026-10-01", reason="培训"),
    ]


def build_directory(county, seed=SEED):
    rng = random.Random(seed + 1)
    maker = PeopleMaker(rng)
    d = Directory(catalogue=merged_catalogue())
    town_leader = build_township_directory(rng, county, maker, d)
    street_leader = build_street_directory(rng, county, maker, d)
    build_leaves(d)
    office = [maker.make("县文明办", title, age=(35, 55)).id for title in ("主任", "科长")]
    members = {
        "D-HW": [maker.make("县环卫处", "处长").id, maker.make("县环卫处", "调度员").id],
        "D-CG-JD": [street_leader.id, maker.make("城关街道办事处", "综治办主任").id],
        "D-QS-ZZ": [town_leader.id, maker.make("青石镇社会管理服务中心", "中心主任").id],
        "D-HW-QS": [maker.make("青石镇环卫所", "所长").id],
        "D-ZF-QS": [maker.make("青石镇综合执法中队", "中队长").id,
                    maker.make("青石镇综合执法中队", "队员", party="群众").id],
    }
    d.departments = ([Department(*LEADING_OFFICE, office)] + d.departments +
                     [Department(*h, members[h[0]]) for h in HANDLERS])
    d.people = maker.people
    return d


def build_county(seed=SEED):
    rng = random.Random(seed)
    county = County()
    county.nodes.append(Node(COUNTY_CODE, "", COUNTY_NAME, "county"))
    build_street(rng, county)
    build_township(rng, county)
    build_fire_safety(county)
    build_frontage(county)
    county.directory = build_directory(county, seed)
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


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def write_catalogue_json(county, out):
    """catalogue.json: the duties and role types of both systems (the directory's
    catalogue format), one duty or role per line."""
    cat = county.directory.catalogue
    lines = ["{"]
    for key in ("key", "name", "source"):
        lines.append(f'  "{key}": {one_line(cat[key])},')
    lines.append('  "duties": [')
    lines.append(",\n".join("    " + one_line(d) for d in cat["duties"]))
    lines.append("  ],")
    lines.append('  "roles": [')
    lines.append(",\n".join("    " + one_line(r) for r in cat["roles"]))
    lines.append("  ]")
    lines.append("}")
    (out / "catalogue.json").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_people_csv(county, out):
    """people.csv: every person; 单位 and 职务 are free attributes."""
    write_csv(out / "people.csv",
              ["id", "name", "phone", "id_number", "party", "categories", "单位", "职务"],
              [[p.id, p.name, p.phone, p.id_number, p.party, ";".join(p.categories),
                p.organisation, p.title] for p in county.directory.people])


def write_units_csv(county, out):
    """units.csv: party groups, service teams and information archives."""
    write_csv(out / "units.csv", ["code", "kind", "name", "node", "from", "to", "members"],
              [[u.code, u.kind, u.name, u.node, u.start, "", ";".join(u.members)]
               for u in county.directory.units])


def write_assignments_csv(county, out):
    """assignments.csv: posts A and B of people at nodes."""
    write_csv(out / "assignments.csv", ["person", "role", "node", "post", "from", "to"],
              [[a.person, a.role, a.node, a.post, a.start, a.end]
               for a in county.directory.posts])


def write_absences_csv(county, out):
    """absences.csv: leaves of people and vacancies of one post."""
    write_csv(out / "absences.csv", ["person", "kind", "from", "to", "role", "node", "reason"],
              [[a.person, a.kind, a.start, a.end, a.role, a.node, a.reason]
               for a in county.directory.leaves])


def write_departments_json(county, out):
    """departments.json: the departments cases go to (the workflow module's department
    catalogue), one per line, members drawn from people.csv."""
    lines = ["{", '  "key": "weichuan",', '  "name": "苇川县处置部门",', '  "departments": [']
    lines.append(",\n".join(
        "    " + one_line({"code": d.code, "kind": d.kind, "zh": d.name, "en": "",
                           "node": d.node, "members": d.members})
        for d in county.directory.departments))
    lines.append("  ]")
    lines.append("}")
    (out / "departments.json").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- records (docs/records.md) ------------------------------------------------------------
# Each base grid keeps a few of its houses, the households living in them and their
# residents, and the shops of the county seat: a sample of the grids' base records, not a
# census. Planted problems (examples/README.md): one resident's ID number with a wrong
# check character, one house code outside its grid's code, one household without a head,
# one rented house with no tenants recorded, one shop whose credit code fails its check.
RECORDS_PER_GRID = 3  # houses per grid, each with one household
CREDIT_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check_character(first17):
    """GB 32100-2015: MOD 31 over the first 17 characters."""
    total = sum(CREDIT_CHARACTERS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARACTERS[(31 - total % 31) % 31]


def build_records(county, seed=SEED):
    rng = random.Random(seed + 2)
    maker = PeopleMaker(rng)
    records = []
    grids = [n for n in county.nodes if n.level == "grid"]
    planted_house = grids[1].code
    planted_head = grids[2].code
    for g, grid in enumerate(grids):
        urban = grid.area_type == "urban"
        for h in range(RECORDS_PER_GRID):
            house_key = f"H{grid.code}{h + 1:02d}"
            family_key = f"F{grid.code}{h + 1:02d}"
            use = "出租" if (urban and h == 0) else ("自住" if h < 2 else rng.choice(["自住", "空置"]))
            members = []
            # Planted: the first grid's rented house has nobody recorded as living there.
            planted_rented = g == 0 and h == 0 and use == "出租"
            if use != "空置" and not planted_rented:
                for m in range(rng.randint(1, 4)):
                    person = maker.make("", "", age=(1, 85), party="群众")
                    floating = use == "出租" or rng.random() < 0.08
                    fields = {"name": person.name, "id_number": person.id_number,
                              "phone": person.phone if m == 0 else "",
                              "registration": "流动人口" if floating else "户籍人口",
                              "hukou_type": "居民" if urban else "农业",
                              "household": family_key, "house": house_key}
                    if rng.random() < 0.06:
                        fields["special_groups"] = rng.choice(["低保对象", "残疾人", "独居老人"])
                    members.append({"key": f"R{len(maker.people):05d}", "kind": "resident",
                                    "node": grid.code,
                                    "fields": {k: v for k, v in fields.items() if v}})
            code = f"{grid.code}{h + 1:04d}"
            if grid.code == planted_house and h == 0:
                code = f"{grids[0].code}{h + 9:04d}"  # planted: outside its grid's code
            house = {"key": house_key, "kind": "house", "node": grid.code,
                     "fields": {"house_code": code, "address": f"{grid.name}{h + 1}号",
                                "use": use}}
            if use == "出租" and members:
                house["fields"]["tenants"] = "|".join(r["key"] for r in members)
            if members and use == "自住":
                house["fields"]["owner"] = members[0]["key"]
            records.append(house)
            if not members:
                continue
            family = {"key": family_key, "kind": "household", "node": grid.code,
                      "fields": {"house": house_key, "class": "一般户", "visit_class": "每季度"}}
            if not (grid.code == planted_head and h == 0):
                family["fields"]["head"] = members[0]["key"]  # planted: one household has none
            records.append(family)
            records.extend(members)
        if urban:
            first17 = f"92{COUNTY_CODE}MA{g:03d}{rng.randint(0, 99):02d}X{h}"[:17]
            credit = first17 + credit_check_character(first17)
            if g == 5:
                credit = credit[:-1] + ("0" if credit[-1] != "0" else "1")  # planted
            records.append({"key": f"U{grid.code}", "kind": "unit", "node": grid.code,
                            "fields": {"name": f"{grid.name}便民超市",
                                       "unit_kind": "个体工商户|门前三包单位",
                                       "credit_code": credit,
                                       "employees": str(rng.randint(2, 9)),
                                       "licence_state": "有效"}})
    # Planted: one resident's ID number with a wrong check character.
    for r in records:
        if r["kind"] == "resident":
            number = r["fields"]["id_number"]
            r["fields"]["id_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")
            break
    return records


def write_records_json(county, out):
    """records.json: houses, households, residents and shops of every grid (one per line)."""
    lines = ["{", '  "records": [']
    lines.append(",\n".join("    " + one_line(r) for r in build_records(county)))
    lines.append("  ]")
    lines.append("}")
    (out / "records.json").write_text("\n".join(lines) + "\n", encoding="utf-8")


WRITERS = [write_county_json, write_county_csv, write_catalogue_json, write_people_csv,
           write_units_csv, write_assignments_csv, write_absences_csv, write_departments_json,
           write_records_json]


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
