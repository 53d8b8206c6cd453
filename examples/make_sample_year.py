#!/usr/bin/env python3
"""A year (2026) of work in the sample county 苇川县, generated from examples/data.

    make_sample_year.py OUTPUT_DIR [--data DIR] [--seed N]

Writes into OUTPUT_DIR (created if missing):

  staff_people.csv, staff_assignments.csv
      the case workflows' posts the county file leaves out: the 青石镇 social management
      service centre (社会管理服务中心工作人员), the county's digital urban management
      command centre (受理员, 值班长, 派遣员, 指挥中心领导, 话务员) and the field
      supervisors (监督员) of 城关街道; import them after the directory of examples/data;
  matters.csv
      the matter plans (docs/cases.md, "Matter plans"): 青石镇's grids through the
      township six-step loop, 城关街道's through the urban seven-step loop, and 12345
      hotline orders with callbacks in both;
  households.csv, visits.csv, patrols.csv, attendance.csv, collection.csv, tasks.csv,
  ratings.csv
      the grid workers' activity records in the formats agreed for assessment.

Standard library only; the same seed gives byte-identical files. Every person, post and
department comes from examples/data (or the staff files written here), so every step of
every plan can be fired; the demo checks that none is refused.
"""

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

SEED = 2026
YEAR = 2026
HERE = Path(__file__).resolve().parent

# 2026 as published by the State Council (the same days as the library's holiday data).
OFF_DAYS = {
    "2026-01-01", "2026-01-02", "2026-01-03",
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",
    "2026-06-19", "2026-06-20", "2026-06-21",
    "2026-09-25", "2026-09-26", "2026-09-27",
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
    "2026-10-07",
}
MAKEUP_DAYS = {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20",
               "2026-10-10"}
# The library's default working hours: 08:30-12:00 and 14:00-17:30.
PERIODS = [(8 * 60 + 30, 12 * 60), (14 * 60, 17 * 60 + 30)]
DAY_MINUTES = sum(b - a for a, b in PERIODS)
YEAR_END = dt.datetime(YEAR + 1, 1, 1)

TOWNSHIP = "371338102"  # 青石镇: township six-step loop
STREET = "371338001"    # 城关街道: urban seven-step loop

# Categories (the built-in "combined" preset): code, department kind, handling limit in
# minutes of clock time, natural time?
CATEGORIES = {
    "E0101": ("urban_enforcement", 20 * DAY_MINUTES, False),
    "E0102": ("sanitation", 4 * 60, False),
    "E0103": ("sanitation", 4 * DAY_MINUTES, False),
    "E0104": ("sanitation", 5 * 60, False),
    "E0106": ("landscaping", 4 * 60, False),
    "E0107": ("urban_enforcement", 4 * 60, False),
    "E0401": ("municipal_utilities", 2 * 60, True),
    "E0403": ("municipal_utilities", 4 * 60, True),
    "C0402": ("landscaping", 5 * DAY_MINUTES, False),
    "G0101": ("mediation", 10 * DAY_MINUTES, False),
    "G0102": ("mediation", 10 * DAY_MINUTES, False),
    "G0103": ("land_resources", 20 * DAY_MINUTES, False),
    "G0201": ("fire_safety", 3 * DAY_MINUTES, False),
    "G0202": ("emergency_management", 24 * 60, True),
    "G0203": ("emergency_management", 5 * DAY_MINUTES, False),
    "G0301": ("civil_affairs", 10 * DAY_MINUTES, False),
    "G0302": ("service_centre", 5 * DAY_MINUTES, False),
    "G0303": ("civil_affairs", 5 * DAY_MINUTES, False),
}
TOWNSHIP_MIX = [("E0102", 18), ("E0103", 10), ("E0104", 6), ("E0101", 4), ("G0101", 14),
                ("G0102", 5), ("G0103", 4), ("G0201", 8), ("G0202", 2), ("G0203", 4),
                ("G0301", 8), ("G0302", 10), ("G0303", 7)]
STREET_MIX = [("E0102", 20), ("E0104", 14), ("E0106", 8), ("E0107", 10), ("E0101", 5),
              ("E0103", 8), ("E0401", 4), ("E0403", 4), ("C0402", 5)]
HOTLINE_MIX = [("E0102", 6), ("E0104", 4), ("G0101", 6), ("G0201", 3), ("G0301", 4),
               ("G0302", 5), ("E0107", 3)]
# Department kind -> department code, per township (the others go to the territorial one).
DEPARTMENTS = {
    TOWNSHIP: {"sanitation": "D-HW-QS", "urban_enforcement": "D-ZF-QS", "": "D-QS-ZZ"},
    STREET: {"sanitation": "D-HW", "urban_enforcement": "D-CG",
             "municipal_utilities": "D-ZJ", "": "D-CG-JD"},
}
WRONG_DEPARTMENT = {TOWNSHIP: "D-ZF-QS", STREET: "D-CG"}

STAFF = [
    # id, name, unit, title, role, node
    ("P0301", "邵文涛", "青石镇社会管理服务中心", "工作人员", "service_centre_staff", TOWNSHIP),
    ("P0302", "苗婷婷", "青石镇社会管理服务中心", "工作人员", "service_centre_staff", TOWNSHIP),
    ("P0303", "顾晓燕", "县数字城管监督指挥中心", "受理员", "intake_operator", "371338"),
    ("P0304", "柏志强", "县数字城管监督指挥中心", "值班长", "shift_leader", "371338"),
    ("P0305", "卢海波", "县数字城管监督指挥中心", "派遣员", "dispatcher", "371338"),
    ("P0306", "龚建华", "县数字城管监督指挥中心", "主任", "centre_leader", "371338"),
    ("P0307", "滕丽娜", "县12345热线", "话务员", "hotline_operator", "371338"),
    ("P0308", "钱雅琴", "县12345热线", "话务员", "hotline_operator", "371338"),
    ("P0309", "蒋立新", "城关街道城管监督组", "监督员", "field_supervisor", STREET),
    ("P0310", "沈晓东", "城关街道城管监督组", "监督员", "field_supervisor", STREET),
]


# ---- reading examples/data ----------------------------------------------------------------

def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class County:
    def __init__(self, data):
        self.nodes = read_csv(data / "county.csv")
        self.by_code = {n["code"]: n for n in self.nodes}
        self.grids = [n for n in self.nodes if n["level"] == "grid"]
        self.people = {p["id"]: p for p in read_csv(data / "people.csv")}
        self.assignments = read_csv(data / "assignments.csv")
        self.absences = read_csv(data / "absences.csv")
        self.departments = {d["code"]: d for d in
                            json.loads((data / "departments.json").read_text("utf-8"))
                            ["departments"]}
        json.loads((data / "catalogue.json").read_text("utf-8"))  # present and well formed

    def township_of(self, code):
        return code[:9]

    def village_of(self, code):
        return code[:12]

    def holders(self, role, node, date, post="A"):
        out = []
        for a in self.assignments:
            if a["role"] != role or a["node"] != node or (post and a["post"] != post):
                continue
            if a["from"] and a["from"] > date:
                continue
            if a["to"] and a["to"] <= date:
                continue
            if self.absent(a["person"], date, role, node):
                continue
            out.append(a["person"])
        return out

    def absent(self, person, date, role="", node=""):
        for b in self.absences:
            if b["person"] != person:
                continue
            if b["kind"] == "vacancy" and (b["role"] != role or b["node"] != node):
                continue
            if b["from"] <= date and (not b["to"] or date <= b["to"]):
                return True
        return False

    def grid_workers(self):
        """(person, grid) of every base grid's full-time worker, post A, the year round."""
        out = []
        for g in self.grids:
            role = ("grid_information_officer" if g["code"].startswith(TOWNSHIP)
                    else "information_officer")
            for a in self.assignments:
                if a["role"] == role and a["node"] == g["code"] and a["post"] == "A" and \
                        not a["to"]:
                    out.append((a["person"], g["code"]))
        return out


# ---- working time ---------------------------------------------------------------------------

def is_working_day(d):
    iso = d.isoformat()
    if iso in MAKEUP_DAYS:
        return True
    return d.weekday() < 5 and iso not in OFF_DAYS


def working_days(year):
    d = dt.date(year, 1, 1)
    out = []
    while d.year == year:
        if is_working_day(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def add_working(t, minutes):
    """The instant `minutes` working minutes after t (t moved into working time first)."""
    while True:
        day = t.date()
        if is_working_day(day):
            m = t.hour * 60 + t.minute
            for a, b in PERIODS:
                if m < b:
                    start = max(m, a)
                    if start + minutes <= b:
                        return dt.datetime.combine(day, dt.time()) + dt.timedelta(
                            minutes=start + minutes)
                    minutes -= b - start
                    m = b
        t = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def add_clock(t, minutes, natural):
    return t + dt.timedelta(minutes=minutes) if natural else add_working(t, minutes)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M")


def pick(rng, mix):
    total = sum(w for _, w in mix)
    r = rng.uniform(0, total)
    for value, w in mix:
        r -= w
        if r <= 0:
            return value
    return mix[-1][0]


# ---- matters --------------------------------------------------------------------------------

class Matter:
    def __init__(self, number):
        self.number = number
        self.rows = []
        self.t = None

    def cut_after(self, command):
        """Drops the steps after the first `command`: the matter stalls there."""
        for i, r in enumerate(self.rows):
            if r["command"] == command:
                del self.rows[i + 1:]
                return

    def step(self, command, t, actor="", **fields):
        self.t = t
        row = {"matter": self.number, "step": len(self.rows), "command": command,
               "at": stamp(t), "actor": actor}
        row.update(fields)
        self.rows.append(row)


REASONS = {
    "return": ["不属本单位职责", "地址有误, 请核实", "需由属地先行处置"],
    "request_extension": ["需协调多个部门", "等待配件到货", "当事人外出, 需另约时间", "天气原因无法施工"],
    "deny_extension": ["已有延期, 不予再延", "理由不充分"],
    "suspend": ["涉及诉讼, 待法院裁决", "待上级部门答复", "雨季无法施工"],
    "check_fail": ["现场未处置到位", "反馈照片与现场不符", "群众反映问题仍在"],
    "escalate": ["网格无法处置, 提请上级", "涉及多个村, 需镇统筹"],
    "supervise": ["群众多次反映", "临近时限"],
    "void": ["重复上报", "不属受理范围"],
    "feedback": ["已处置完毕", "已办结并答复来电人"],
}


def reason(rng, command):
    return rng.choice(REASONS[command])


class Generator:
    def __init__(self, county, seed):
        self.c = county
        self.rng = random.Random(seed)
        self.days = working_days(YEAR)
        self.matters = []
        self.seq = 0
        self.evidence = 0

    def number(self):
        self.seq += 1
        return f"{YEAR}-{self.seq:06d}"

    def photo(self):
        self.evidence += 1
        return f"photo/{YEAR}/{self.evidence:06d}.jpg"

    def report_time(self, month_day):
        rng = self.rng
        minute = rng.choice([rng.randint(PERIODS[0][0], PERIODS[0][1] - 60),
                             rng.randint(PERIODS[1][0], PERIODS[1][1] - 60)])
        return dt.datetime.combine(month_day, dt.time()) + dt.timedelta(minutes=minute)

    def department(self, town, category):
        kind = CATEGORIES[category][0]
        table = DEPARTMENTS[town]
        return table.get(kind, table[""])

    def member(self, department):
        return self.c.departments[department]["members"][0]

    def handling(self, m, category, dept, outcome, extra_actor=""):
        """accept ... feedback for the six- and seven-step loops and the hotline."""
        rng = self.rng
        _, limit, natural = CATEGORIES[category]
        worker = self.member(dept)
        m.step("accept", add_clock(m.t, rng.randint(5, 40), natural), worker)
        budget = limit
        if outcome.get("supervise"):
            m.step("supervise", add_clock(m.t, max(1, limit // 10), natural),
                   outcome["supervisor"], reason=reason(rng, "supervise"))
        if outcome.get("extend") and not natural:
            amount = max(60, limit // 2)
            unit = f"{amount} working_minutes"
            m.step("request_extension", add_clock(m.t, max(1, limit // 5), natural), worker,
                   amount=unit, reason=reason(rng, "request_extension"))
            m.step("approve_extension", add_working(m.t, rng.randint(10, 30)),
                   outcome["approver"], amount=unit)
            budget += amount
            if outcome.get("second"):
                m.step("request_extension", add_clock(m.t, max(1, limit // 5), natural),
                       worker, amount=unit, reason=reason(rng, "request_extension"))
                if outcome["second"] == "deny":
                    m.step("deny_extension", add_working(m.t, rng.randint(10, 30)),
                           outcome["approver"], reason=reason(rng, "deny_extension"))
                else:
                    m.step("approve_extension", add_working(m.t, rng.randint(10, 30)),
                           outcome["second_approver"], amount=unit)
                    budget += amount
        if outcome.get("suspend") and not natural:
            m.step("suspend", add_clock(m.t, max(1, limit // 10), natural),
                   outcome["suspender"], reason=reason(rng, "suspend"))
            m.step("resume", add_working(m.t, rng.randint(2, 15) * DAY_MINUTES))
        if outcome.get("escalate"):
            m.step("escalate", add_clock(m.t, max(1, limit // 10), natural), worker,
                   reason=reason(rng, "escalate"))
        share = rng.uniform(1.4, 2.5) if outcome.get("late") else rng.uniform(0.15, 0.6)
        spend = max(5, int(limit * share))
        if outcome.get("extend"):
            spend = max(5, int(budget * rng.uniform(0.55, 0.8)))
        fields = {"evidence": self.photo(), "reason": reason(rng, "feedback")}
        m.step("feedback", add_clock(m.t, spend, natural), extra_actor or worker, **fields)
        return worker

    def outcome(self, town):
        """What happens to one matter, by chance."""
        rng = self.rng
        r = rng.random()
        o = {}
        if r < 0.03:
            o["void"] = True
        elif r < 0.11:
            o["self"] = True
        o["return"] = rng.random() < 0.06
        o["extend"] = rng.random() < 0.06
        if o["extend"]:
            o["second"] = rng.choice(["", "", "deny", "approve"])
        o["suspend"] = rng.random() < 0.03
        o["rework"] = rng.random() < 0.07
        o["escalate"] = rng.random() < 0.02
        o["supervise"] = rng.random() < 0.03
        o["late"] = rng.random() < 0.02
        o["rating"] = pick(rng, [("satisfied", 84), ("basically_satisfied", 11),
                                 ("unsatisfied", 5)])
        return o

    # -- the township six-step loop (青石镇) --

    def township_matter(self, grid, day):
        rng = self.rng
        date = day.isoformat()
        village = self.c.village_of(grid)
        officers = self.c.holders("grid_information_officer", grid, date)
        leader = self.c.holders("village_grid_leader", village, date)
        reporter = officers[0] if officers else (leader[0] if leader else "")
        if not reporter:
            return
        category = pick(rng, TOWNSHIP_MIX)
        o = self.outcome(TOWNSHIP)
        o["approver"] = "P0301"
        o["second_approver"] = "P0001"  # the township grid leader (一级网格长)
        o["suspender"] = "P0302"
        o["supervisor"] = "P0001"
        m = Matter(self.number())
        t0 = self.report_time(day)
        m.step("report", t0, reporter, node=grid, category=category, source="grid_worker",
               workflow="township_six_step")
        centre = rng.choice(["P0301", "P0302"])
        if o.get("escalate") and not o.get("self") and not o.get("void"):
            m.step("escalate", add_working(m.t, rng.randint(5, 30)), reporter,
                   reason=reason(rng, "escalate"))
            o["escalate"] = False
        if o.get("void"):
            m.step("void", add_working(m.t, rng.randint(10, 120)), centre,
                   reason=reason(rng, "void"))
            self.matters.append(m)
            return
        if o.get("self"):
            m.step("self_handle", add_working(m.t, rng.randint(10, 90)), reporter,
                   evidence=self.photo())
        else:
            m.step("file", add_working(m.t, rng.randint(10, 120)), centre)
            dept = self.department(TOWNSHIP, category)
            if o["return"]:
                m.step("dispatch", add_working(m.t, rng.randint(5, 60)), centre,
                       department=WRONG_DEPARTMENT[TOWNSHIP]
                       if dept != WRONG_DEPARTMENT[TOWNSHIP] else "D-QS-ZZ")
                wrong = m.rows[-1]["department"]
                m.step("return", add_working(m.t, rng.randint(10, 90)), self.member(wrong),
                       reason=reason(rng, "return"))
            m.step("dispatch", add_working(m.t, rng.randint(5, 60)), centre, department=dept)
            worker = self.handling(m, category, dept, o)
            if o["rework"]:
                m.step("check_fail", add_working(m.t, rng.randint(30, 150)), "",
                       reason=reason(rng, "check_fail"))
                _, limit, natural = CATEGORIES[category]
                m.step("feedback", add_clock(m.t, max(5, int(limit * 0.2)), natural), worker,
                       evidence=self.photo(), reason="返工完成")
        m.step("check_pass", add_working(m.t, rng.randint(30, 200)), "")
        m.step("rate", add_working(m.t, rng.randint(20, 400)), "", rating=o["rating"])
        m.step("close", add_working(m.t, rng.randint(10, 120)), centre)
        m.step("archive", add_working(m.t, rng.randint(60, 900)), "system")
        self.matters.append(m)

    # -- the urban seven-step loop (城关街道) --

    def street_matter(self, grid, day):
        rng = self.rng
        category = pick(rng, STREET_MIX)
        o = self.outcome(STREET)
        o["approver"] = "P0305"
        o["second_approver"] = "P0306"
        o["suspender"] = "P0305"
        o["supervisor"] = "P0304"
        supervisor = rng.choice(["P0309", "P0310"])
        m = Matter(self.number())
        m.step("report", self.report_time(day), supervisor, node=grid, category=category,
               source="supervisor", workflow="urban_seven_step")
        if o.get("void"):
            m.step("void", add_working(m.t, rng.randint(5, 40)), "P0304",
                   reason=reason(rng, "void"))
            self.matters.append(m)
            return
        if o.get("self"):
            m.step("self_handle", add_working(m.t, rng.randint(5, 40)), supervisor,
                   evidence=self.photo())
        else:
            m.step("file", add_working(m.t, rng.randint(5, 40)), "P0304")
            dept = self.department(STREET, category)
            if o["return"]:
                wrong = WRONG_DEPARTMENT[STREET] if dept != WRONG_DEPARTMENT[STREET] else "D-HW"
                m.step("dispatch", add_working(m.t, rng.randint(5, 25)), "P0305",
                       department=wrong)
                m.step("return", add_working(m.t, rng.randint(10, 60)), self.member(wrong),
                       reason=reason(rng, "return"))
            m.step("dispatch", add_working(m.t, rng.randint(5, 25)), "P0305", department=dept)
            worker = self.handling(m, category, dept, o)
            m.rows[-1]["reason"] = ""
            if o["rework"]:
                m.step("check_fail", add_working(m.t, rng.randint(20, 150)), supervisor,
                       reason=reason(rng, "check_fail"), evidence=self.photo())
                _, limit, natural = CATEGORIES[category]
                m.step("feedback", add_clock(m.t, max(5, int(limit * 0.2)), natural), worker,
                       evidence=self.photo())
            m.step("check_pass", add_working(m.t, rng.randint(20, 150)), supervisor,
                   evidence=self.photo())
            m.step("close", add_working(m.t, rng.randint(5, 40)), "P0304")
        m.step("rate", add_working(m.t, rng.randint(30, 600)), "P0303", rating=o["rating"])
        m.step("archive", add_working(m.t, rng.randint(60, 900)), "system")
        self.matters.append(m)

    # -- 12345 hotline orders with callbacks (both townships) --

    def hotline_matter(self, grid, day):
        rng = self.rng
        town = self.c.township_of(grid)
        category = pick(rng, HOTLINE_MIX)
        o = self.outcome(town)
        o["approver"] = "P0305"
        o["second_approver"] = "P0306"
        o["suspender"] = "P0305"
        o["supervisor"] = "P0304"
        o["self"] = False
        operator = rng.choice(["P0307", "P0308"])
        m = Matter(self.number())
        m.step("report", self.report_time(day), operator, node=grid, category=category,
               source="hotline_12345", workflow="hotline_callback")
        if o.get("void"):
            m.step("void", add_working(m.t, rng.randint(5, 60)), operator,
                   reason=reason(rng, "void"))
            self.matters.append(m)
            return
        m.step("file", add_working(m.t, rng.randint(5, 90)), operator)
        dept = self.department(town, category)
        if o["return"]:
            # 退单: the order went to the wrong office, which sends it back.
            wrong = WRONG_DEPARTMENT[town] if dept != WRONG_DEPARTMENT[town] else \
                DEPARTMENTS[town][""]
            m.step("dispatch", add_working(m.t, rng.randint(5, 40)), "P0305", department=wrong)
            m.step("return", add_working(m.t, rng.randint(10, 90)), self.member(wrong),
                   reason=reason(rng, "return"))
            m.step("dispatch", add_working(m.t, rng.randint(5, 40)), "P0305", department=dept)
        else:
            m.step("dispatch", add_working(m.t, rng.randint(5, 60)), "P0305", department=dept)
        worker = self.handling(m, category, dept, o)
        if o["rework"]:
            m.step("check_fail", add_working(m.t, rng.randint(20, 200)), "P0304",
                   reason=reason(rng, "check_fail"))
            _, limit, natural = CATEGORIES[category]
            m.step("feedback", add_clock(m.t, max(5, int(limit * 0.2)), natural), worker,
                   reason="已重新办理")
        m.step("check_pass", add_working(m.t, rng.randint(20, 200)), "P0304")
        if o["rating"] == "unsatisfied":
            # 回访不满意: the order is handled again, the second callback is satisfied.
            m.step("callback", add_working(m.t, rng.randint(30, 600)), operator,
                   rating="unsatisfied")
            _, limit, natural = CATEGORIES[category]
            m.step("feedback", add_clock(m.t, max(5, int(limit * 0.3)), natural), worker,
                   reason="已重新办理")
            m.step("check_pass", add_working(m.t, rng.randint(20, 200)), "P0304")
            m.step("callback", add_working(m.t, rng.randint(30, 600)), operator,
                   rating="basically_satisfied")
        else:
            m.step("callback", add_working(m.t, rng.randint(30, 600)), operator,
                   rating=o["rating"])
        m.step("archive", add_working(m.t, rng.randint(60, 900)), "system")
        self.matters.append(m)

    def stall(self, day):
        """Late in the year a few matters stall: the department never reports back, or a
        suspension is never lifted. They are open, some overdue, at the year's end."""
        if day < dt.date(YEAR, 11, 2) or not self.matters:
            return
        m = self.matters[-1]
        commands = [r["command"] for r in m.rows]
        if "suspend" in commands and self.rng.random() < 0.5:
            m.cut_after("suspend")
        elif "accept" in commands and self.rng.random() < 0.06:
            m.cut_after("accept")

    def run(self):
        rng = self.rng
        # Reports come on working days; a grid sees a few matters a month.
        for day in self.days:
            for g in self.c.grids:
                code = g["code"]
                town = self.c.township_of(code)
                if rng.random() < (0.17 if town == STREET else 0.15):
                    if town == TOWNSHIP:
                        self.township_matter(code, day)
                    else:
                        self.street_matter(code, day)
                    self.stall(day)
                if rng.random() < 0.025:
                    self.hotline_matter(code, day)
                    self.stall(day)


PLAN_COLUMNS = ["matter", "step", "command", "at", "actor", "node", "category", "source",
                "workflow", "reporter", "department", "amount", "rating", "reason",
                "evidence", "note"]


def write_rows(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def write_matters(gen, out):
    rows = []
    for m in gen.matters:
        for r in m.rows:
            if dt.datetime.strptime(r["at"], "%Y-%m-%dT%H:%M") >= YEAR_END:
                break  # still open at the end of the year
            rows.append([r.get(c, "") for c in PLAN_COLUMNS])
    write_rows(out / "matters.csv", PLAN_COLUMNS, rows)


def write_staff(out):
    write_rows(out / "staff_people.csv",
               ["id", "name", "phone", "id_number", "party", "categories", "单位", "职务"],
               [[p, name, "", "", "群众", "", unit, title]
                for p, name, unit, title, _, _ in STAFF])
    write_rows(out / "staff_assignments.csv", ["person", "role", "node", "post", "from", "to"],
               [[p, role, node, "A", "2025-01-01", ""] for p, _, _, _, role, node in STAFF])


# ---- activity records -------------------------------------------------------------------------

SPECIAL = ["低保", "空巢", "残疾", "留守儿童", "独居老人", "特困", "重点优抚"]


def months():
    return [f"{YEAR}-{m:02d}" for m in range(1, 13)]


def write_activity(county, out, seed):
    rng = random.Random(seed + 1)
    workers = county.grid_workers()
    worker_of = {g: p for p, g in workers}
    # The deliberately weak: 柳湾村第一网格's worker slips for three months in a row, and
    # one of 城关街道's misses patrols and tasks in the autumn.
    weak_q = worker_of.get("371338102206001", "")
    weak_s = worker_of.get("371338001004001", "")
    weak_months_q = {"2026-05", "2026-06", "2026-07"}
    weak_months_s = {"2026-09", "2026-10"}

    households = []
    by_grid = {}
    for g in county.grids:
        n = int(g["households"] or 0) or 120
        for i in range(1, n + 1):
            hid = f"H{g['code']}{i:04d}"
            special = rng.random() < 0.065
            cats = ";".join(sorted(rng.sample(SPECIAL, rng.choice([1, 1, 1, 2])))) \
                if special else ""
            households.append([hid, g["code"], "special" if special else "ordinary", cats])
            by_grid.setdefault(g["code"], []).append((hid, special))
    write_rows(out / "households.csv", ["id", "grid", "class", "categories"], households)

    days = working_days(YEAR)
    by_month = {}
    for d in days:
        by_month.setdefault(d.strftime("%Y-%m"), []).append(d)

    # Visits follow the schedule of the community texts: an ordinary household gets a home
    # visit every half year and a phone call every quarter, a special one a home visit
    # every quarter and a phone call every month. A few windows are missed; the weak
    # worker misses most of them in the weak months.
    windows = {
        "half": [months()[0:6], months()[6:12]],
        "quarter": [months()[i:i + 3] for i in range(0, 12, 3)],
        "month": [[m] for m in months()],
    }
    schedule = {False: [("home", "half"), ("phone", "quarter")],
                True: [("home", "quarter"), ("phone", "month")]}
    visits = []
    for person, grid in workers:
        for hid, special in by_grid.get(grid, []):
            for kind, every in schedule[special]:
                for window in windows[every]:
                    month = rng.choice(window)
                    weak = person == weak_q and month in weak_months_q
                    if rng.random() < (0.7 if weak else 0.04):
                        continue
                    d = rng.choice(by_month[month])
                    if county.absent(person, d.isoformat()):
                        continue
                    visits.append([hid, person, kind, d.isoformat()])
    visits.sort(key=lambda v: (v[3], v[0]))
    write_rows(out / "visits.csv", ["id", "household", "person", "kind", "date"],
               [[f"V{i:06d}"] + v for i, v in enumerate(visits, 1)])

    patrols = []
    attendance = []
    for d in days:
        month = d.strftime("%Y-%m")
        for person, grid in workers:
            if county.absent(person, d.isoformat()):
                continue
            weak = (person == weak_q and month in weak_months_q) or \
                (person == weak_s and month in weak_months_s)
            if rng.random() < (0.3 if weak else 0.015):
                continue  # a day off sick, or simply not there
            attendance.append([person, d.isoformat()])
            # 一日双巡: a morning and an afternoon round; the weak miss most of them.
            for first in (dt.time(8, 30), dt.time(14, 0)):
                if rng.random() < (0.85 if weak else 0.03):
                    continue
                start = dt.datetime.combine(d, first) + dt.timedelta(
                    minutes=rng.randint(0, 120))
                end = start + dt.timedelta(minutes=rng.randint(45, 150))
                patrols.append([person, grid, stamp(start), stamp(end)])
    write_rows(out / "attendance.csv", ["id", "person", "date"],
               [[f"A{i:06d}"] + a for i, a in enumerate(attendance, 1)])
    write_rows(out / "patrols.csv", ["id", "person", "grid", "start", "end"],
               [[f"R{i:06d}"] + p for i, p in enumerate(patrols, 1)])

    collection = []
    for g in county.grids:
        n = len(by_grid.get(g["code"], []))
        for month in months():
            weak = worker_of.get(g["code"]) == weak_q and month in weak_months_q
            checked = n if not weak else int(n * 0.6)
            bad = rng.randint(3, 8) if weak else rng.choice([0, 0, 0, 1])
            collection.append([g["code"], month, checked, rng.choice([0, 0, 1]) + bad,
                               rng.choice([0, 0, 1]), bad])
    write_rows(out / "collection.csv", ["id", "grid", "month", "checked", "not_collected",
                                        "not_deregistered", "erroneous"],
               [[f"C{i:05d}"] + c for i, c in enumerate(collection, 1)])

    tasks = []
    for person, grid in workers:
        for month in months():
            for _ in range(4):
                due = rng.choice(by_month[month])
                weak = (person == weak_q and month in weak_months_q) or \
                    (person == weak_s and month in weak_months_s)
                if weak and rng.random() < 0.75:
                    done = ""
                elif rng.random() < 0.03:
                    done = ""
                else:
                    done = (due - dt.timedelta(days=rng.randint(0, 3))).isoformat()
                tasks.append([person, due.isoformat(), done])
    tasks.sort(key=lambda t: (t[1], t[0]))
    write_rows(out / "tasks.csv", ["id", "person", "due", "done"],
               [[f"T{i:05d}"] + t for i, t in enumerate(tasks, 1)])

    ratings = []
    for person, grid in workers:
        village = county.village_of(grid)
        rater_role = ("village_grid_leader" if grid.startswith(TOWNSHIP) else "patron_leader")
        raters = county.holders(rater_role, village, f"{YEAR}-06-30", post="")
        rater = raters[0] if raters else village
        for month in months():
            weak = (person == weak_q and month in weak_months_q) or \
                (person == weak_s and month in weak_months_s)
            points = rng.randint(40, 55) if weak else rng.randint(82, 98)
            ratings.append([person, month, points, rater])
    ratings.sort(key=lambda r: (r[1], r[0]))
    write_rows(out / "ratings.csv", ["id", "subject", "period", "points", "rater"],
               [[f"S{i:05d}"] + r for i, r in enumerate(ratings, 1)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", help="folder to write the year's files into")
    ap.add_argument("--data", default=str(HERE / "data"), help="the sample county's folder")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not (data / "county.csv").is_file():
        print(f"make_sample_year.py: no {data / 'county.csv'}", file=sys.stderr)
        return 1
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    county = County(data)
    gen = Generator(county, args.seed)
    gen.run()
    write_staff(out)
    write_matters(gen, out)
    write_activity(county, out, args.seed)
    print(f"make_sample_year.py: {len(gen.matters)} matters and the year's activity "
          f"records in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
