"""The four faces of gridgov on the same use cases: importing files with their kind told,
GeoJSON in and out, the light board at an instant, and assessing a workspace (a stored
period assessed again included). Each face works on its own copy of the same workspace
and the results are compared field by field.

  cpp     tests/faces/faces_driver.cpp through the C++ API (GRIDGOV_FACES_DRIVER)
  c       the C ABI, libgridgov_c loaded with ctypes (GRIDGOV_C_LIBRARY)
  python  the gridgov module
  cli     the gridgov tool (GRIDGOV_CLI)
"""

import ctypes
import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import gridgov

DRIVER = os.environ.get("GRIDGOV_FACES_DRIVER", "")
C_LIBRARY = os.environ.get("GRIDGOV_C_LIBRARY", "")
CLI = os.environ.get("GRIDGOV_CLI", "")
DATA = Path(os.environ.get("GRIDGOV_EXAMPLES_DATA",
                           Path(__file__).resolve().parents[2] / "examples" / "data"))
TEST_DATA = Path(__file__).resolve().parents[1] / "data"

for name, value in (("GRIDGOV_FACES_DRIVER", DRIVER), ("GRIDGOV_C_LIBRARY", C_LIBRARY),
                    ("GRIDGOV_CLI", CLI)):
    if not value or not Path(value).exists():
        raise RuntimeError(f"{name} must name a built face (tests/CMakeLists.txt sets it)")

FACES = ["cpp", "c", "python", "cli"]
GRID = "371338102201001"
OTHER_GRID = "371338102201002"
OFFICER = "P0004"
VILLAGE_LEADER = "P0002"
TOWNSHIP = "371338102"
PLAN_HEADER = ("matter,step,command,at,actor,node,category,source,workflow,reporter,department,"
               "amount,rating,reason,evidence,note\n")


# ---- the C face: ctypes over the C ABI ----------------------------------------------------------

class AssessOptions(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("select", ctypes.c_int32),
                ("level", ctypes.c_char_p),
                ("roles", ctypes.POINTER(ctypes.c_char_p)), ("role_count", ctypes.c_size_t),
                ("subjects", ctypes.POINTER(ctypes.c_char_p)), ("subject_count", ctypes.c_size_t),
                ("default_area_class", ctypes.c_char_p),
                ("extra_subjects", ctypes.POINTER(ctypes.c_char_p)),
                ("extra_values", ctypes.c_void_p), ("extra_count", ctypes.c_size_t),
                ("store", ctypes.c_int32), ("overlay", ctypes.c_char_p)]


class C:
    """The C ABI, each call checked: a failure raises with gridgov_last_error_message()."""

    def __init__(self):
        self.lib = ctypes.CDLL(C_LIBRARY)
        self.lib.gridgov_last_error_message.restype = ctypes.c_char_p
        self.lib.gridgov_free.argtypes = [ctypes.c_void_p]
        self.lib.gridgov_workspace_close.argtypes = [ctypes.c_void_p]

    def check(self, rc):
        if rc != 0:
            raise RuntimeError(self.lib.gridgov_last_error_message().decode())

    def text(self, out):
        value = ctypes.string_at(out).decode()
        self.lib.gridgov_free(out)
        return value

    def open(self, path):
        ws = ctypes.c_void_p()
        self.check(self.lib.gridgov_workspace_open(ctypes.byref(ws), str(path).encode(), 0))
        return ws

    def import_file(self, path, file, options):
        ws = self.open(path)
        try:
            out = ctypes.c_void_p()
            self.check(self.lib.gridgov_workspace_import(
                ctypes.byref(out), ws, str(file).encode(),
                json.dumps(options).encode() if options else None))
            return json.loads(self.text(out))
        finally:
            self.lib.gridgov_workspace_close(ws)

    def records(self, path, file, kind, effective, on):
        ws = self.open(path)
        try:
            out = ctypes.c_void_p()
            self.check(self.lib.gridgov_records_import_file(
                ctypes.byref(out), ws, str(file).encode(), kind.encode(), effective.encode()))
            result = {"import": json.loads(self.text(out))}
            reader = ctypes.c_void_p()
            self.check(self.lib.gridgov_record_reader_system(ctypes.byref(reader), b"faces", 1))
            try:
                self.check(self.lib.gridgov_records_export_text(ctypes.byref(out), ws, reader, 1,
                                                                None))
            finally:
                self.lib.gridgov_record_reader_destroy(reader)
            result["export"] = json.loads(self.text(out))
            self.check(self.lib.gridgov_records_roll_up_json(ctypes.byref(out), ws, kind.encode(),
                                                             None, None))
            result["roll_up"] = json.loads(self.text(out))
            self.check(self.lib.gridgov_records_validate_json(ctypes.byref(out), ws, on.encode()))
            result["findings"] = json.loads(self.text(out))
            return result
        finally:
            self.lib.gridgov_workspace_close(ws)

    def board(self, path, at, level, scope, geojson=False):
        ws = self.open(path)
        try:
            out = ctypes.c_void_p()
            f = self.lib.gridgov_report_board_geojson if geojson else self.lib.gridgov_report_board_json
            self.check(f(ctypes.byref(out), ws, ctypes.c_int64(int(datetime.datetime.fromisoformat(at).timestamp())),
                         level.encode(), scope.encode()))
            return json.loads(self.text(out))
        finally:
            self.lib.gridgov_workspace_close(ws)

    def open311(self, path, what, jurisdiction):
        ws = self.open(path)
        try:
            out = ctypes.c_void_p()
            if what == "services":
                self.check(self.lib.gridgov_cases_open311_services(ctypes.byref(out), ws))
            else:
                self.check(self.lib.gridgov_cases_open311_requests(
                    ctypes.byref(out), ws, None, jurisdiction.encode()))
            return json.loads(self.text(out))
        finally:
            self.lib.gridgov_workspace_close(ws)

    def assess(self, path, scheme_file, period, area_class, store, select):
        ws = self.open(path)
        scheme = ctypes.c_void_p()
        try:
            self.check(self.lib.gridgov_assessment_scheme_from_json(
                ctypes.byref(scheme), None, Path(scheme_file).read_bytes(), str(scheme_file).encode()))
            o = AssessOptions()
            self.check(self.lib.gridgov_assess_options_init(ctypes.byref(o), ctypes.c_uint32(1)))
            subjects = None
            if isinstance(select, list):
                subjects = (ctypes.c_char_p * len(select))(*[s.encode() for s in select])
                o.select = 4
                o.subjects = ctypes.cast(subjects, ctypes.POINTER(ctypes.c_char_p))
                o.subject_count = len(select)
            else:
                o.select = 1
                o.level = select.encode()
            o.default_area_class = area_class.encode()
            o.store = 1 if store else 0
            out = ctypes.c_void_p()
            self.check(self.lib.gridgov_assessment_assess(ctypes.byref(out), ws, scheme,
                                                          period.encode(), ctypes.byref(o)))
            return json.loads(self.text(out))
        finally:
            self.lib.gridgov_assessment_scheme_destroy(scheme)
            self.lib.gridgov_workspace_close(ws)


# ---- the other faces ------------------------------------------------------------------------------

def run(cmd):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                       env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert p.returncode in (0, 1), f"{cmd}: exit {p.returncode}\n{p.stdout}\n{p.stderr}"
    return p.stdout


def cli(ws, *args):
    return run([CLI, "-w", ws, "--json", *args])


def import_on(face, ws, file, options=None):
    if face == "cpp":
        return json.loads(run([DRIVER, "import", ws, file] + ([json.dumps(options)] if options else [])))
    if face == "c":
        return C().import_file(ws, file, options)
    if face == "python":
        with gridgov.Workspace.open(ws) as w:
            return w.import_file(file, **(options or {}))
    args = ["import", file]
    if options and "effective" in options:
        args += ["--effective", options["effective"]]
    [one] = json.loads(cli(ws, *args))
    return one


def board_on(face, ws, at, level, scope, geojson=False):
    if face == "cpp":
        return json.loads(run([DRIVER, "board-geojson" if geojson else "board", ws, at, level, scope]))
    if face == "c":
        return C().board(ws, at, level, scope, geojson)
    if face == "python":
        with gridgov.Workspace.open(ws, read_only=True) as w:
            if geojson:
                return json.loads(w.light_board_geojson(at, level=level, scope=scope))
            return w.light_board(at, level=level, scope=scope)
    if geojson:
        assert scope == ""
        return json.loads(run([CLI, "-w", ws, "export", "grids", "--at", at, "--level", level]))
    return json.loads(cli(ws, "board", "--at", at, "--level", level, "--scope", scope))


def open311_on(face, ws, what, jurisdiction):
    """Open311 services or service requests (every case) of the workspace."""
    if face == "cpp":
        return json.loads(run([DRIVER, "open311", ws, what, jurisdiction]))
    if face == "c":
        return C().open311(ws, what, jurisdiction)
    if face == "python":
        with gridgov.Workspace.open(ws, read_only=True) as w:
            if what == "services":
                return json.loads(w.cases.open311_services())
            return json.loads(w.cases.open311_requests(jurisdiction_id=jurisdiction))
    args = ["export", what] + (["--jurisdiction", jurisdiction] if what == "requests" else [])
    return json.loads(run([CLI, "-w", ws, *args]))


def records_on(face, ws, file, kind, effective, on):
    """A records file imported, then the revealed export, the roll-up of `kind` over every
    live node and the findings on `on`; the roll-up as {node code: total}."""
    if face == "cpp":
        return json.loads(run([DRIVER, "records", ws, file, kind, effective, on]))
    if face == "c":
        return C().records(ws, file, kind, effective, on)
    if face == "python":
        def finding(f):
            return {"rule": f.rule, "severity": f.severity.name.lower(), "where": f.where,
                    "message": f.message}
        with gridgov.Workspace.open(ws) as w:
            r = w.records.import_file(file, kind=kind, effective=effective)
            return {"import": {"added": r.added, "changed": r.changed, "unchanged": r.unchanged,
                               "findings": [finding(f) for f in r.findings]},
                    "export": json.loads(w.records.export_text(
                        gridgov.RecordReader.system("faces", reveal=True), "json")),
                    "roll_up": w.records.roll_up(kind),
                    "findings": [finding(f) for f in w.records.validate(on)]}
    imported = json.loads(cli(ws, "records", "import", file, "--kind", kind,
                              "--effective", effective))
    del imported["file"]
    return {"import": imported,
            "export": json.loads(run([CLI, "-w", ws, "--reveal", "records", "export",
                                      "--system", "--why", "faces", "--format", "json"])),
            "roll_up": {n["code"]: n["value"] for n in json.loads(cli(ws, "records", "rollup",
                                                                     kind))},
            "findings": json.loads(cli(ws, "records", "validate", "--on", on))}


def assess_on(face, ws, scheme_file, period, area_class, store, select):
    if face == "cpp":
        return json.loads(run([DRIVER, "assess", ws, scheme_file, period, area_class,
                               "1" if store else "0",
                               ",".join(select) + "," if isinstance(select, list) else select]))
    if face == "c":
        return C().assess(ws, scheme_file, period, area_class, store, select)
    if face == "python":
        scheme = gridgov.AssessmentScheme.from_json(Path(scheme_file).read_text(encoding="utf-8"))
        with gridgov.Workspace.open(ws) as w:
            if isinstance(select, list):
                scores, flags = w.assessment.assess(scheme, period, subjects=select,
                                                    default_area_class=area_class, store=store)
            else:
                scores, flags = w.assessment.assess(scheme, period, level=select,
                                                    default_area_class=area_class, store=store)
        return {"scores": json.loads(scores.to_json()),
                "flags": [{"rule": f.rule, "label": f.label, "subject": f.subject,
                           "period": f.period, "streak": f.streak, "periods": list(f.periods)}
                          for f in flags]}
    args = ["assess", scheme_file, "--period", period, "--default-area-class", area_class]
    if isinstance(select, list):
        for code in select:
            args += ["--subject", code]
    else:
        args += ["--level", select]
    if not store:
        args.append("--no-store")
    got = json.loads(cli(ws, *args))
    return {"scores": got["scores"], "flags": got["flags"]}


def same_on_every_face(results, what):
    """Every face's result equals the C++ one, compared field by field so that a
    difference names the face and the path of the field."""
    def diff(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            assert a.keys() == b.keys(), f"{path}: members {sorted(a)} vs {sorted(b)}"
            for k in a:
                diff(a[k], b[k], f"{path}/{k}")
        elif isinstance(a, list) and isinstance(b, list):
            assert len(a) == len(b), f"{path}: {len(a)} items vs {len(b)}"
            for i, (x, y) in enumerate(zip(a, b)):
                diff(x, y, f"{path}/{i}")
        else:
            assert a == b, f"{path}: {a!r} vs {b!r}"
    for face in FACES[1:]:
        try:
            diff(results["cpp"], results[face], what)
        except AssertionError as e:
            raise AssertionError(f"{face} differs from cpp: {e}") from None


def copy(src, dst):
    shutil.copy(src, dst)
    return dst


# ---- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    ws = tmp_path_factory.mktemp("empty") / "empty.gridgov"
    gridgov.Workspace.open(ws).close()
    return ws


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "march_plans.csv"
    path.write_text(
        PLAN_HEADER +
        f"2026-000101,0,report,2026-03-02T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n"
        f"2026-000101,1,self_handle,2026-03-02T10:00,{OFFICER},,,,,,,,,,photo.jpg,\n"
        f"2026-000101,2,check_pass,2026-03-02T11:00,{VILLAGE_LEADER},,,,,,,,,,,\n"
        f"2026-000102,0,report,2026-03-02T09:30,{OFFICER},{GRID},E0102,,,,,,,,,\n"
        f"2026-000102,1,close,2026-03-02T10:00,{OFFICER},,,,,,,,,,,\n"
        f"2026-000103,0,report,2026-03-03T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n"
        f"2026-000104,0,report,2026-03-20T09:00,{OFFICER},{GRID},E0102,,,,,,,,,\n",
        encoding="utf-8")
    return path


IMPORTS = [("county.json", {"effective": "2023-09-01"}), ("catalogue.json", None),
           ("people.csv", None), ("units.csv", None), ("assignments.csv", None),
           ("absences.csv", None), ("departments.json", None)]


@pytest.fixture(scope="module")
def imported(empty, plans, tmp_path_factory):
    """The sample county and a month of matters imported through each face into its own
    copy of an empty workspace; every file's report compared."""
    folder = tmp_path_factory.mktemp("imported")
    spaces = {face: copy(empty, folder / f"{face}.gridgov") for face in FACES}
    for name, options in IMPORTS + [(plans, None)]:
        file = DATA / name if isinstance(name, str) else name
        reports = {face: import_on(face, spaces[face], file, options) for face in FACES}
        same_on_every_face(reports, f"import {Path(file).name}")
    return spaces


# ---- tests ----------------------------------------------------------------------------------------

def test_import_tells_the_kind_and_counts_alike(imported):
    with gridgov.Workspace.open(imported["cpp"], read_only=True) as w:
        assert len(w.cases) == 4
        assert len(w.directory.people()) == 204
    exports = {}
    for face, ws in imported.items():
        with gridgov.Workspace.open(ws, read_only=True) as w:
            exports[face] = {"hierarchy": json.loads(w.hierarchy.export_text("json")),
                             "directory": json.loads(w.directory.export()),
                             "cases": w.cases.select().to_dict()}
    exports = {f: json.loads(json.dumps(e, default=str)) for f, e in exports.items()}
    same_on_every_face(exports, "workspace after the imports")


def test_a_bad_file_names_the_field_on_every_face_and_changes_nothing(empty, tmp_path):
    bad = tmp_path / "bad_people.csv"
    bad.write_text("id,name,phone,id_number\nP0900,甲,13800000000,\n"
                   "P0901,乙,13800000001,371338198305091431\n", encoding="utf-8")
    for face in FACES:
        ws = copy(empty, tmp_path / f"{face}.gridgov")
        before = ws.read_bytes()
        if face in ("cpp", "cli"):
            cmd = [DRIVER, "import", ws, bad] if face == "cpp" else [CLI, "-w", ws, "import", bad]
            p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
            assert p.returncode == 3, (face, p.stderr)
            message = p.stderr
        else:
            with pytest.raises(Exception) as e:
                if face == "c":
                    C().import_file(ws, bad, None)
                else:
                    with gridgov.Workspace.open(ws) as w:
                        w.import_file(bad)
            message = str(e.value)
        assert "bad_people.csv" in message and "id_number" in message, (face, message)
        assert ws.read_bytes() == before, face


def square(x0, x1):
    return {"type": "Polygon",
            "coordinates": [[[x0, 35.0], [x1, 35.0], [x1, 35.2], [x0, 35.2], [x0, 35.0]]]}


def test_geojson_import_alike(tmp_path):
    """Grids with their geometry exported as GeoJSON, then imported through each face
    under the same parents (GeoJSON carries only the nodes with geometry)."""
    upper = [{"code": "371338", "name": "苇川县", "level": "county"},
             {"code": "371338102", "parent": "371338", "name": "青石镇", "level": "township"},
             {"code": "371338102201", "parent": "371338102", "name": "青石村", "level": "village"}]
    grids = [{"code": GRID, "parent": "371338102201", "name": "第一网格", "level": "grid",
              "households": 150, "geometry": square(118.0, 118.2)},
             {"code": OTHER_GRID, "parent": "371338102201", "name": "第二网格", "level": "grid",
              "households": 140, "geometry": square(118.2, 118.4)}]
    geo = tmp_path / "grids.geojson"
    with gridgov.Workspace.open(tmp_path / "source.gridgov") as w:
        w.hierarchy.import_text(json.dumps({"nodes": upper + grids}), "json")
        w.hierarchy.export_file(geo)
    base = tmp_path / "base.gridgov"
    with gridgov.Workspace.open(base) as w:
        w.hierarchy.import_text(json.dumps({"nodes": upper}), "json")
    reports, hierarchies = {}, {}
    for face in FACES:
        ws = copy(base, tmp_path / f"{face}.gridgov")
        reports[face] = import_on(face, ws, geo)
        with gridgov.Workspace.open(ws, read_only=True) as w:
            hierarchies[face] = json.loads(w.hierarchy.export_text("geojson"))
    assert reports["cpp"]["kind"] == "geojson" and reports["cpp"]["nodes"] == 2
    same_on_every_face(reports, "geojson import")
    same_on_every_face(hierarchies, "geojson import: the hierarchy")
    assert hierarchies["cpp"] == json.loads(geo.read_text(encoding="utf-8"))


@pytest.mark.parametrize("at", ["2026-03-02T09:45:00+08:00", "2026-03-10T12:00:00.000Z",
                                "2026-12-31T18:00:00+0800"])
def test_light_board_alike(imported, at):
    for level, scope in (("grid", ""), ("village", TOWNSHIP), ("grid", "371338102201")):
        boards = {face: board_on(face, imported[face], at, level, scope) for face in FACES}
        same_on_every_face(boards, f"board {level} {scope or '(all)'} at {at}")
    grids = {face: board_on(face, imported[face], at, "grid", "", geojson=True) for face in FACES}
    same_on_every_face(grids, f"board geojson at {at}")


def test_light_board_leaves_out_cases_reported_after_the_instant(imported):
    before = board_on("cli", imported["cli"], "2026-03-02T09:15:00+08:00", "grid", GRID)
    after = board_on("cli", imported["cli"], "2026-03-31T00:00:00+08:00", "grid", GRID)
    assert before["total"]["cases"] == 1 and after["total"]["cases"] == 4
    grids = board_on("cli", imported["cli"], "2026-03-02T09:15:00+08:00", "grid", "", geojson=True)
    props = {f["properties"]["code"]: f["properties"] for f in grids["features"]}
    assert props[GRID]["cases"] == 1 and props[OTHER_GRID]["cases"] == 0


def test_open311_services_and_requests_alike(imported):
    services = {face: open311_on(face, imported[face], "services", "") for face in FACES}
    same_on_every_face(services, "open311 services")
    assert any(s["service_code"] == "E0102" for s in services["cpp"])
    requests = {face: open311_on(face, imported[face], "requests", "371338")
                for face in FACES}
    same_on_every_face(requests, "open311 requests")
    assert [r["service_request_id"] for r in requests["cpp"]] == [
        "2026-000101", "2026-000102", "2026-000103", "2026-000104"]
    assert {r["jurisdiction_id"] for r in requests["cpp"]} == {"371338"}
    assert {r["address_id"] for r in requests["cpp"]} == {GRID}


def test_records_alike(imported, tmp_path):
    """Residents imported through each face into its own copy of the sample county: the
    import's report, the revealed export, the roll-up and the findings the same."""
    def id_number(first17):
        weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]
    wrong = id_number("37133819800101002")[:-1] + "0"
    if wrong == id_number("37133819800101002"):
        wrong = wrong[:-1] + "1"
    residents = tmp_path / "residents.csv"
    residents.write_text(
        "key,node,name,id_number,registration,household\n"
        f"R1,{GRID},张三,{id_number('37133819800101001')},户籍人口,F1\n"
        f"R2,{GRID},李四,{wrong},流动人口,F1\n"
        f"R3,{OTHER_GRID},王五,,流动人口,\n", encoding="utf-8")
    spaces = {face: copy(imported[face], tmp_path / f"{face}.gridgov") for face in FACES}
    got = {face: records_on(face, spaces[face], residents, "resident", "2026-03-01",
                            "2026-03-31") for face in FACES}
    for face in FACES:
        got[face]["roll_up"] = {code: float(v) for code, v in got[face]["roll_up"].items()}
    same_on_every_face(got, "records")
    assert got["cpp"]["import"]["added"] == 3
    assert [f["rule"] for f in got["cpp"]["import"]["findings"]] == ["records.id_number"]
    assert got["cpp"]["roll_up"][GRID] == 2 and got["cpp"]["roll_up"]["371338"] == 3
    assert {f["rule"] for f in got["cpp"]["findings"]} >= {"records.id_number",
                                                           "records.reference"}


def test_assess_and_assess_again_alike(tmp_path):
    """The runs of tests/data/area_steps_runs.json through each face on its own copy:
    scores and flags the same on every face and as the file has them, March assessed again
    after it was stored included."""
    doc = json.loads((TEST_DATA / "area_steps_runs.json").read_text(encoding="utf-8"))
    base = tmp_path / "base.gridgov"
    with gridgov.Workspace.open(base) as w:
        w.hierarchy.import_file(TEST_DATA / doc["workspace"])
    spaces = {face: copy(base, tmp_path / f"{face}.gridgov") for face in FACES}
    scheme = TEST_DATA / doc["scheme"]
    for i, r in enumerate(doc["runs"]):
        select = r["subjects"] if "subjects" in r else r["level"]
        got = {face: assess_on(face, spaces[face], scheme, r["period"], r["default_area_class"],
                               r["store"], select) for face in FACES}
        same_on_every_face(got, f"run {i} ({r['note']})")
        expected = [(f["subject"], f["streak"]) for f in r["flags"]]
        assert [(f["subject"], f["streak"]) for f in got["cpp"]["flags"]] == expected, r["note"]
        assert [(s["subject"]["code"], s["total"], s["grade"], s["rank"])
                for s in got["cpp"]["scores"]] == \
            [(s["subject"], s["total"], s["grade"], s["rank"]) for s in r["scores"]], r["note"]
    stored = {}
    for face, ws in spaces.items():
        with gridgov.Workspace.open(ws, read_only=True) as w:
            stored[face] = {"scores": json.loads(w.assessment.scores().to_json()),
                            "flags": [(f.rule, f.subject, f.period, f.streak)
                                      for f in w.assessment.rule_flags()]}
    stored = {f: json.loads(json.dumps(s)) for f, s in stored.items()}
    same_on_every_face(stored, "stored scores and flags")
    # March stored last as 一类, where every grid passes: the flags its 二类 assessments
    # stored are gone with the scores they came from.
    assert stored["cpp"]["flags"] == []
    assert {s["grade"] for s in stored["cpp"]["scores"] if s["period"] == "2026-03"} != {"fail"}
