#!/usr/bin/python3
"""An analyst's month of grid-worker scores, under two assessment schemes.

    analyst.py WORKSPACE [--month 2026-03] [--scope 371338102] [--chart scores.png]
    analyst.py WORKSPACE --build ACTIVITY_FOLDER [--data examples/data] ...

Loads a workspace that holds a county, its directory and the activity records of grid work
(visits, patrols, collection checks, attendance, special tasks, ratings). With --build the
workspace is first created from the sample county (its hierarchy, catalogue and directory,
examples/data) and the activity CSV files of a folder (households.csv, visits.csv,
patrols.csv, collection.csv, attendance.csv, tasks.csv, ratings.csv; any may be missing).

Then, for the month and the area given:

* the grid workers are the information officers (网格信息员) on post A of the area's grids
  on the month's last day, each with the grids they hold;
* each worker's indicators come from the activity log (attendance, 一日双巡 patrols,
  population collection, household visits, special tasks, community rating);
* they are scored with the `grid_worker` preset (网格员月度考核) and with a variant that
  weighs daily work more and special tasks less, and ranked under each;
* a table compares the two, ranked under the preset: totals, grades, ranks, and what
  moved;
* a bar chart of both totals is saved as a PNG when matplotlib is installed (the Agg
  backend: no display needed); otherwise the script says it skipped the chart.

Run from a build tree with PYTHONPATH pointing at the gridgov package, e.g.
PYTHONPATH=build/dev/bindings/python /usr/bin/python3 examples/python/analyst.py ...
"""

import argparse
import calendar
import datetime
import json
import sys
import unicodedata
from pathlib import Path

import gridgov

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
ACTIVITY_TABLES = ("households", "visits", "patrols", "collection", "attendance", "tasks",
                   "ratings")
WORKER_ROLE = "grid_information_officer"


def build_workspace(path, data, activity):
    """A fresh workspace: the sample county, its directory and the activity CSV files."""
    path = Path(path)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    ws = gridgov.Workspace.open(path)
    ws.hierarchy.import_file(data / "county.json")
    ws.directory.set_catalogue(gridgov.Catalogue.from_json(
        (data / "catalogue.json").read_text(encoding="utf-8")))
    for table in ("people", "units", "assignments", "absences"):
        ws.directory.import_file(data / f"{table}.csv")
    imported = {}
    for table in ACTIVITY_TABLES:
        file = Path(activity) / f"{table}.csv"
        if file.exists():
            imported[table] = ws.assessment.import_file(file).records
    print("built", path.name + ":", ", ".join(f"{n} {t}" for t, n in imported.items()))
    return ws


def variant_of(base):
    """The preset with daily work weighed 0.55 instead of 0.45, special tasks 0.20 instead
    of 0.30: a county that cares more for patrols and visits than for campaigns."""
    doc = json.loads(base.json)
    doc["key"] = "grid_worker_daily"
    doc["label"] = doc["label"] + "（日常工作加权）"
    weights = {"daily_work": 0.55, "special_tasks": 0.20}
    for component in doc["components"]:
        component["weight"] = weights.get(component["key"], component["weight"])
    return gridgov.AssessmentScheme.from_json(json.dumps(doc, ensure_ascii=False))


def grid_workers(ws, scope, day):
    """{person: (name, [grid codes])} for the post-A information officers of the grids in
    the subtree of `scope` on `day`, in the hierarchy's order."""
    h = ws.hierarchy.view
    area = h.at(scope)
    workers = {}
    for node in h:  # live nodes in pre-order
        if node.level != "grid" or not h.is_ancestor(area, node.id):
            continue
        for entry in ws.directory.roster(node.code, day):
            if entry.role == WORKER_ROLE and entry.post == "A":
                name, grids = workers.setdefault(entry.person, (entry.name, []))
                grids.append(node.code)
    return workers


def score_month(ws, schemes, month, workers):
    """{scheme key: {person: ScoreResult}}, ranked within each scheme."""
    log = ws.assessment.activities
    cal = ws.cases.calendar
    indicators = {person: log.grid_worker_indicators(person, grids, month, cal)
                  for person, (_, grids) in workers.items()}
    results = {}
    for scheme in schemes:
        scores = [gridgov.score(scheme, person, month, indicators[person], level="worker")
                  for person in workers]
        gridgov.rank(scores)
        results[scheme.key] = {s.subject: s for s in scores}
    return results


def grade_label(scheme, key):
    for g in scheme.grades:
        if g["key"] == key:
            return g["label"]
    return key or "-"


def pad(text, width):
    """`text` padded to `width` terminal columns; Chinese characters take two."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return text + " " * max(0, width - len(text) - wide)


def fmt(total):
    return "   -  " if total is None else f"{total:6.2f}"


def print_table(workers, schemes, results):
    a, b = schemes
    ra, rb = results[a.key], results[b.key]
    print(f"{'person':7} {'name':6}  {'grids':>5}  "
          f"{a.key:>11} {'grade':8} {'rank':>4}  {b.key:>17} {'grade':8} {'rank':>4}  change")
    # Ranked under the preset; unranked (undefined) totals last.
    order = sorted(workers, key=lambda p: (ra[p].rank == 0, ra[p].rank, p))
    for person in order:
        name, grids = workers[person]
        x, y = ra[person], rb[person]
        moved = []
        if x.rank != y.rank:
            moved.append(f"rank {x.rank}→{y.rank}")
        if x.grade != y.grade:
            moved.append(f"{grade_label(a, x.grade)}→{grade_label(b, y.grade)}")
        print(f"{person:7} {pad(name, 6)}  {len(grids):5d}  {fmt(x.total):>11} "
              f"{pad(grade_label(a, x.grade), 8)} {x.rank:4d}  {fmt(y.total):>17} "
              f"{pad(grade_label(b, y.grade), 8)} {y.rank:4d}  {', '.join(moved) or '-'}")


def save_chart(path, month, workers, schemes, results):
    """Two bars per worker; returns False when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    people = list(workers)
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(people) + 2), 4), dpi=100)
    width = 0.4
    for i, scheme in enumerate(schemes):
        totals = [results[scheme.key][p].total or 0.0 for p in people]
        xs = [k + (i - 0.5) * width for k in range(len(people))]
        ax.bar(xs, totals, width, label=scheme.key)
    ax.set_xticks(range(len(people)))
    ax.set_xticklabels(people, rotation=45, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("total (of 100)")
    ax.set_title(f"grid workers {month}: grid_worker vs. grid_worker_daily")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", help="the workspace file")
    parser.add_argument("--month", default="2026-03", help="the month assessed (YYYY-MM)")
    parser.add_argument("--scope", default="371338102",
                        help="code of the area whose grid workers are assessed")
    parser.add_argument("--chart", help="where to save the PNG chart")
    parser.add_argument("--build", metavar="ACTIVITY_FOLDER",
                        help="first create the workspace from the sample county and the "
                             "activity CSV files of this folder")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the sample county's folder (with --build)")
    args = parser.parse_args(argv)

    if args.build:
        ws = build_workspace(args.workspace, args.data, args.build)
    else:
        ws = gridgov.Workspace.open(args.workspace, create=False)
    with ws:
        year, month = (int(x) for x in args.month.split("-"))
        last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
        workers = grid_workers(ws, args.scope, last_day)
        if not workers:
            print(f"no grid workers on post A in {args.scope} on {last_day}", file=sys.stderr)
            return 1
        base = gridgov.AssessmentScheme.preset("grid_worker")
        schemes = (base, variant_of(base))
        results = score_month(ws, schemes, args.month, workers)
        area = ws.hierarchy.view[args.scope].name
        print(f"{area} {args.scope}, {args.month}: {len(workers)} grid workers, "
              f"{len(ws.assessment.activities)} activity records")
        print_table(workers, schemes, results)
        ws.assessment.store_scores([s for r in results.values() for s in r.values()])
        if args.chart:
            if save_chart(args.chart, args.month, workers, schemes, results):
                print("chart:", args.chart)
            else:
                print("chart: skipped (matplotlib is not installed; "
                      "apt install python3-matplotlib)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
