// Oversight for Python (督导考核, 一事一诺一评价): inspections with their findings
// (InspectionFinding, Inspection), the tasks of a recorded draw (InspectionTask), promises and
// their ratings (Promise, PromiseRater, PromiseRating), their progress and the monthly public
// board (PromiseState, PromiseProgress, PromiseBoard), hazards (隐患: HazardGrade,
// HazardEntry, HazardStatus, Hazard), the JSON, indicator, board and hazard functions, and
// the oversight face of a workspace (Workspace.oversight, WorkspaceOversight): the
// inspections, promises, ratings and hazard entries recorded, the tasks of a draw, the
// progress, the board and the hazards (docs/oversight.md). The frames of
// gridgov/_oversight.py read these objects.
//
// Instants are datetime.datetime (naive = China Standard Time), ISO text or seconds since
// the epoch, and come back as aware datetimes in China Standard Time; days are
// datetime.date or "YYYY-MM-DD" text; periods are text ("2026-03", "2026-Q1"), as in the
// assessment. Where a list of values is taken, each may be the object or a dict of its
// JSON form (the keys of to_dict()).
#include <pybind11/stl.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/oversight.hpp"
#include "gridgov/workspace.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;
using OversightFace = Face<struct OversightTag>;

// gridgov.Case (bind_cases.cpp), looked up once when the module is made and never freed:
// a promise's matter may be given as a Case view.
PyObject* case_type = nullptr;

py::object json_loads(const std::string& text) {
    return py::module_::import("json").attr("loads")(text);
}

std::string json_dumps(py::handle obj) {
    return py::module_::import("json")
        .attr("dumps")(obj, py::arg("ensure_ascii") = false)
        .cast<std::string>();
}

// A JSON array given as text, or as a list that json.dumps can write.
std::string json_arg(py::handle obj, const char* what) {
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj))
        return json_dumps(obj);
    throw py::type_error(std::string(what) + " must be JSON text (str) or a list, not " +
                         type_name(obj));
}

AssessmentPeriod period_arg(const std::string& text, const char* what) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": " + e.what());
    }
}

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string text_member(py::handle v, const std::string& what) {
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a str, not " + type_name(v));
    return v.cast<std::string>();
}

std::string optional_text(py::handle v, const std::string& what) {
    return v.is_none() ? std::string() : text_member(v, what);
}

// A subject or a place: a node code, an overlay unit place ("sanbao:Z01"), a department
// code, a person id, a record key, or a Node (its code).
std::string code_arg(py::handle v, const std::string& what) {
    if (py::isinstance<NodeView>(v))
        return v.attr("code").cast<std::string>();
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a code (str) or a Node, not " + type_name(v));
    return v.cast<std::string>();
}

std::string optional_code(py::handle v, const std::string& what) {
    return v.is_none() ? std::string() : code_arg(v, what);
}

// A list of text (evidence, inspectors); None = none.
std::vector<std::string> texts_arg(py::handle v, const std::string& what) {
    std::vector<std::string> out;
    if (v.is_none())
        return out;
    if (py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a list of str, not a str");
    for (py::handle item : py::iter(v))
        out.push_back(text_member(item, what + "[" + std::to_string(out.size()) + "]"));
    return out;
}

// A finite number (not a bool).
double number_arg(py::handle v, const std::string& what) {
    if (PyBool_Check(v.ptr()) != 0 || (PyFloat_Check(v.ptr()) == 0 && PyIndex_Check(v.ptr()) == 0))
        throw py::type_error(what + " must be a number, not " + type_name(v));
    const double d = py::float_(py::reinterpret_borrow<py::object>(v));
    if (!std::isfinite(d))
        throw Error(ErrorCode::invalid_argument, what + ": not a finite number");
    return d;
}

// The items of a list argument: TypeError for text, a dict or a single object.
template <class T>
std::vector<py::object> list_items(py::handle obj, const char* what, const char* of) {
    if (py::isinstance<py::str>(obj) || py::isinstance<py::dict>(obj) || py::isinstance<T>(obj))
        throw py::type_error(std::string(what) + " must be a list of " + of + ", not " +
                             type_name(obj));
    std::vector<py::object> out;
    for (py::handle item : py::iter(obj))
        out.push_back(py::reinterpret_borrow<py::object>(item));
    return out;
}

// A dict argument's items, each key checked to be text.
template <class F>
void each_key(py::handle obj, const std::string& where, F&& f) {
    for (auto item : py::reinterpret_borrow<py::dict>(obj))
        f(text_member(item.first, where + ": a key"), item.second);
}

[[noreturn]] void unknown_key(const std::string& where, const std::string& key, const char* keys) {
    throw Error(ErrorCode::invalid_argument, where + ": unknown key '" + key + "' (" + keys + ")");
}

void require(bool given, const std::string& where, const char* field) {
    if (!given)
        throw Error(ErrorCode::invalid_argument, where + " field '" + field + "': missing");
}

// ---- inspections ---------------------------------------------------------------------------

const char* const finding_keys = "item, deduction, charged_to, evidence, note";
const char* const inspection_keys = "id, draw, subject, at, inspectors, findings, note";

InspectionFinding finding_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<InspectionFinding>(obj))
        return obj.cast<InspectionFinding>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": a finding is an InspectionFinding or a dict, not " +
                             type_name(obj));
    InspectionFinding f;
    bool item_given = false;
    each_key(obj, where, [&](const std::string& key, py::handle v) {
        const std::string what = where + " field '" + key + "'";
        if (key == "item") {
            f.item = text_member(v, what);
            item_given = true;
        } else if (key == "deduction") {
            f.deduction = number_arg(v, what);
        } else if (key == "charged_to") {
            f.charged_to = optional_code(v, what);
        } else if (key == "evidence") {
            f.evidence = texts_arg(v, what);
        } else if (key == "note") {
            f.note = optional_text(v, what);
        } else {
            unknown_key(where, key, finding_keys);
        }
    });
    require(item_given, where, "item");
    return f;
}

std::vector<InspectionFinding> findings_arg(py::handle obj, const std::string& where) {
    std::vector<InspectionFinding> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj) || py::isinstance<py::dict>(obj) ||
        py::isinstance<InspectionFinding>(obj))
        throw py::type_error(where + " must be a list of InspectionFinding objects or dicts, not " +
                             type_name(obj));
    for (py::handle item : py::iter(obj))
        out.push_back(finding_arg(item, where + "[" + std::to_string(out.size()) + "]"));
    return out;
}

// An inspection from an Inspection or a dict of its JSON form; `where` is
// "inspections[1]", and a finding's "inspections[1].findings[0]".
Inspection inspection_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<Inspection>(obj))
        return obj.cast<Inspection>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": an inspection is an Inspection or a dict, not " +
                             type_name(obj));
    Inspection i;
    bool at_given = false;
    each_key(obj, where, [&](const std::string& key, py::handle v) {
        const std::string what = where + " field '" + key + "'";
        if (key == "id") {
            i.id = text_member(v, what);
        } else if (key == "draw") {
            i.draw = optional_text(v, what);
        } else if (key == "subject") {
            i.subject = code_arg(v, what);
        } else if (key == "at") {
            i.at = to_instant(v, what.c_str());
            at_given = true;
        } else if (key == "inspectors") {
            i.inspectors = texts_arg(v, what);
        } else if (key == "findings") {
            i.findings = findings_arg(v, where + ".findings");
        } else if (key == "note") {
            i.note = optional_text(v, what);
        } else {
            unknown_key(where, key, inspection_keys);
        }
    });
    require(at_given, where, "at");
    return i;
}

std::vector<Inspection> inspections_arg(py::handle obj) {
    std::vector<Inspection> out;
    for (const py::object& item :
         list_items<Inspection>(obj, "inspections", "Inspection objects or dicts"))
        out.push_back(inspection_arg(item, "inspections[" + std::to_string(out.size()) + "]"));
    return out;
}

py::dict finding_dict(const InspectionFinding& f) {
    py::dict d;
    d["item"] = f.item;
    d["deduction"] = f.deduction;
    d["charged_to"] = f.charged_to;
    d["evidence"] = py::cast(f.evidence);
    d["note"] = f.note;
    return d;
}

py::dict inspection_dict(const Inspection& i) {
    py::dict d;
    d["id"] = i.id;
    d["draw"] = i.draw;
    d["subject"] = i.subject;
    d["at"] = from_instant(i.at);
    d["inspectors"] = py::cast(i.inspectors);
    py::list findings;
    for (const InspectionFinding& f : i.findings)
        findings.append(finding_dict(f));
    d["findings"] = findings;
    d["note"] = i.note;
    return d;
}

double deduction_of(const Inspection& i) {
    double sum = 0;
    for (const InspectionFinding& f : i.findings)
        sum += f.deduction;
    return sum;
}

std::string finding_repr(const InspectionFinding& f) {
    return "<InspectionFinding " + f.item + " -" + number_text(f.deduction) +
           (f.charged_to.empty() ? std::string() : " charged to " + f.charged_to) + ">";
}

std::string inspection_repr(const Inspection& i) {
    std::string out = "<Inspection " + i.id + " of " + i.subject + " " + i.at.to_string();
    if (!i.draw.empty())
        out += " (draw " + i.draw + ")";
    if (i.findings.empty())
        return out + ": clean>";
    return out + ": " + std::to_string(i.findings.size()) +
           (i.findings.size() == 1 ? " finding" : " findings") + ", -" +
           number_text(deduction_of(i)) + ">";
}

py::dict task_dict(const InspectionTask& t) {
    py::dict d;
    d["draw"] = t.draw;
    d["pick"] = t.pick;
    d["subject"] = t.subject;
    d["done"] = t.done();
    d["inspections"] = py::cast(t.inspections);
    d["findings"] = t.findings;
    d["deduction"] = t.deduction;
    return d;
}

std::string task_repr(const InspectionTask& t) {
    std::string out =
        "<InspectionTask " + t.draw + " #" + std::to_string(t.pick) + " " + t.subject + ": ";
    if (!t.done())
        return out + "not done>";
    out += "done (";
    for (std::size_t k = 0; k < t.inspections.size(); ++k)
        out += (k == 0 ? "" : ", ") + t.inspections[k];
    return out + "), " + std::to_string(t.findings) + (t.findings == 1 ? " finding" : " findings") +
           ", -" + number_text(t.deduction) + ">";
}

std::vector<InspectionTask> tasks_arg(py::handle obj) {
    std::vector<InspectionTask> out;
    for (const py::object& item :
         list_items<InspectionTask>(obj, "tasks", "InspectionTask objects")) {
        if (!py::isinstance<InspectionTask>(item))
            throw py::type_error("tasks must be InspectionTask objects, not " + type_name(item));
        out.push_back(item.cast<InspectionTask>());
    }
    return out;
}

DrawRecord draw_arg(py::handle obj) {
    if (py::isinstance<DrawRecord>(obj))
        return obj.cast<DrawRecord>();
    if (py::isinstance<StoredDraw>(obj))
        return obj.cast<StoredDraw>().record;
    throw py::type_error("draw must be a DrawRecord or a StoredDraw, not " + type_name(obj));
}

// ---- promises ------------------------------------------------------------------------------

const char* const promise_keys = "id, case, what, by, at, team, place, note";
const char* const rating_keys = "promise, by, score, at, note";

// A matter: a case number or a Case view (its number).
std::string case_arg(py::handle v, const std::string& what) {
    if (case_type != nullptr && PyObject_IsInstance(v.ptr(), case_type) == 1)
        return v.attr("number").cast<std::string>();
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a case number (str) or a Case, not " + type_name(v));
    return v.cast<std::string>();
}

Promise promise_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<Promise>(obj))
        return obj.cast<Promise>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": a promise is a Promise or a dict, not " + type_name(obj));
    Promise p;
    bool by_given = false;
    bool at_given = false;
    each_key(obj, where, [&](const std::string& key, py::handle v) {
        const std::string what = where + " field '" + key + "'";
        if (key == "id") {
            p.id = text_member(v, what);
        } else if (key == "case") {
            p.case_number = case_arg(v, what);
        } else if (key == "what") {
            p.what = text_member(v, what);
        } else if (key == "by") {
            p.by = to_date(v, what.c_str());
            by_given = true;
        } else if (key == "at") {
            p.at = to_instant(v, what.c_str());
            at_given = true;
        } else if (key == "team") {
            p.team = optional_text(v, what);
        } else if (key == "place") {
            p.place = optional_code(v, what);
        } else if (key == "note") {
            p.note = optional_text(v, what);
        } else {
            unknown_key(where, key, promise_keys);
        }
    });
    require(by_given, where, "by");
    require(at_given, where, "at");
    return p;
}

std::vector<Promise> promises_arg(py::handle obj) {
    std::vector<Promise> out;
    for (const py::object& item : list_items<Promise>(obj, "promises", "Promise objects or dicts"))
        out.push_back(promise_arg(item, "promises[" + std::to_string(out.size()) + "]"));
    return out;
}

PromiseRater rater_arg(py::handle obj, const std::string& what) {
    if (py::isinstance<PromiseRater>(obj))
        return obj.cast<PromiseRater>();
    if (py::isinstance<py::str>(obj)) {
        try {
            return parse_promise_rater(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), what + ": " + e.what());
        }
    }
    throw py::type_error(what + " must be a gridgov.PromiseRater or its name, not " +
                         type_name(obj));
}

// A promise named by its id or given as the Promise itself.
std::string promise_id_arg(py::handle v, const std::string& what) {
    if (py::isinstance<Promise>(v))
        return v.cast<const Promise&>().id;
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a promise id (str) or a Promise, not " +
                             type_name(v));
    return v.cast<std::string>();
}

PromiseRating rating_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<PromiseRating>(obj))
        return obj.cast<PromiseRating>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": a rating is a PromiseRating or a dict, not " +
                             type_name(obj));
    PromiseRating r;
    bool by_given = false;
    bool score_given = false;
    bool at_given = false;
    each_key(obj, where, [&](const std::string& key, py::handle v) {
        const std::string what = where + " field '" + key + "'";
        if (key == "promise") {
            r.promise = promise_id_arg(v, what);
        } else if (key == "by") {
            r.by = rater_arg(v, what);
            by_given = true;
        } else if (key == "score") {
            r.score = number_arg(v, what);
            score_given = true;
        } else if (key == "at") {
            r.at = to_instant(v, what.c_str());
            at_given = true;
        } else if (key == "note") {
            r.note = optional_text(v, what);
        } else {
            unknown_key(where, key, rating_keys);
        }
    });
    require(by_given, where, "by");
    require(score_given, where, "score");
    require(at_given, where, "at");
    return r;
}

std::vector<PromiseRating> ratings_arg(py::handle obj) {
    std::vector<PromiseRating> out;
    for (const py::object& item :
         list_items<PromiseRating>(obj, "ratings", "PromiseRating objects or dicts"))
        out.push_back(rating_arg(item, "ratings[" + std::to_string(out.size()) + "]"));
    return out;
}

std::vector<PromiseProgress> progress_arg(py::handle obj) {
    if (py::isinstance<PromiseBoard>(obj))
        return obj.cast<const PromiseBoard&>().rows;
    std::vector<PromiseProgress> out;
    for (const py::object& item :
         list_items<PromiseProgress>(obj, "progress", "PromiseProgress objects")) {
        if (!py::isinstance<PromiseProgress>(item))
            throw py::type_error("progress must be PromiseProgress objects, not " +
                                 type_name(item));
        out.push_back(item.cast<PromiseProgress>());
    }
    return out;
}

py::object optional_score(const std::optional<double>& v) {
    return v ? py::object(py::float_(*v)) : py::object(py::none());
}

py::object optional_instant(const std::optional<Instant>& t) {
    return t ? from_instant(*t) : py::object(py::none());
}

py::dict promise_dict(const Promise& p) {
    py::dict d;
    d["id"] = p.id;
    d["case"] = p.case_number;
    d["what"] = p.what;
    d["by"] = from_date(p.by);
    d["at"] = from_instant(p.at);
    d["team"] = p.team;
    d["place"] = p.place;
    d["note"] = p.note;
    return d;
}

std::string promise_repr(const Promise& p) {
    return "<Promise " + p.id + " for " + p.case_number + " by " + p.by.to_string() +
           (p.place.empty() ? std::string() : " at " + p.place) +
           (p.team.empty() ? std::string() : " (" + p.team + ")") + ": " + p.what + ">";
}

py::dict rating_dict(const PromiseRating& r) {
    py::dict d;
    d["promise"] = r.promise;
    d["by"] = r.by;
    d["score"] = r.score;
    d["at"] = from_instant(r.at);
    d["note"] = r.note;
    return d;
}

std::string rating_repr(const PromiseRating& r) {
    return "<PromiseRating " + r.promise + " " + promise_rater_name(r.by) + " " +
           number_text(r.score) + " " + r.at.to_string() + ">";
}

// A progress row: the keys of the board's rows, with datetimes, dates and the state enum.
py::dict progress_dict(const PromiseProgress& p) {
    py::dict d;
    d["id"] = p.promise.id;
    d["case"] = p.promise.case_number;
    d["category"] = p.category;
    d["what"] = p.promise.what;
    d["by"] = from_date(p.promise.by);
    d["at"] = from_instant(p.promise.at);
    d["team"] = p.promise.team;
    d["place"] = p.promise.place;
    d["state"] = p.state;
    d["case_state"] = p.case_state;
    d["closed_at"] = optional_instant(p.closed_at);
    d["citizen_score"] = optional_score(p.citizen_score);
    d["team_score"] = optional_score(p.team_score);
    return d;
}

std::string progress_repr(const PromiseProgress& p) {
    std::string out = "<PromiseProgress " + p.promise.id + " " + p.promise.case_number + " " +
                      promise_state_name(p.state) + " (" + p.case_state + ")";
    if (p.citizen_score)
        out += ", citizen " + number_text(*p.citizen_score);
    if (p.team_score)
        out += ", team " + number_text(*p.team_score);
    return out + ">";
}

std::string board_repr(const PromiseBoard& b) {
    std::string out = "<PromiseBoard " + b.title + ": " + std::to_string(b.rows.size()) +
                      " rows, " + std::to_string(b.kept) + " kept, " + std::to_string(b.late) +
                      " late, " + std::to_string(b.overdue) + " overdue, " +
                      std::to_string(b.open) + " open";
    if (b.citizen_mean)
        out += ", citizen mean " + number_text(*b.citizen_mean);
    return out + ">";
}

// ---- hazards -------------------------------------------------------------------------------

const char* const hazard_entry_keys =
    "id, case, at, person, record, found_by, grade, deadline, progress, evidence, note";

// gridgov.Record (bind_records.cpp), looked up once when the module is made and never
// freed: a hazard's record may be given as a Record.
PyObject* record_type = nullptr;

HazardGrade grade_arg(py::handle obj, const std::string& what) {
    if (py::isinstance<HazardGrade>(obj))
        return obj.cast<HazardGrade>();
    if (py::isinstance<py::str>(obj)) {
        try {
            return parse_hazard_grade(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), what + ": " + e.what());
        }
    }
    throw py::type_error(what + " must be a gridgov.HazardGrade or its name, not " +
                         type_name(obj));
}

std::optional<HazardGrade> optional_grade(py::handle obj, const std::string& what) {
    return obj.is_none() ? std::nullopt : std::optional(grade_arg(obj, what));
}

std::optional<Date> optional_day(py::handle obj, const std::string& what) {
    return obj.is_none() ? std::nullopt : std::optional(to_date(obj, what.c_str()));
}

// A percentage rectified: an int (not a bool, not a float). Its range is the workspace's
// to refuse, naming the entry; only a number no int can hold is refused here.
std::optional<int> optional_progress(py::handle obj, const std::string& what) {
    if (obj.is_none())
        return std::nullopt;
    if (PyBool_Check(obj.ptr()) != 0 || PyFloat_Check(obj.ptr()) != 0 ||
        PyIndex_Check(obj.ptr()) == 0)
        throw py::type_error(what + " must be an int (percent), not " + type_name(obj));
    const py::int_ n = py::reinterpret_steal<py::int_>(PyNumber_Index(obj.ptr()));
    if (!n)
        throw py::error_already_set();
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(n.ptr(), &overflow);
    if (overflow != 0 || v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
        throw Error(ErrorCode::invalid_argument,
                    what + ": " + py::repr(n).cast<std::string>() + " is outside 0–100");
    return static_cast<int>(v);
}

// The record a hazard belongs to: a record key or a Record (its key).
std::string record_arg(py::handle v, const std::string& what) {
    if (v.is_none())
        return {};
    if (record_type != nullptr && PyObject_IsInstance(v.ptr(), record_type) == 1)
        return v.attr("key").cast<std::string>();
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a record key (str) or a Record, not " + type_name(v));
    return v.cast<std::string>();
}

// The check that found a hazard: an inspection or duty fulfilment id, or the Inspection or
// DutyFulfilment itself.
std::string found_by_arg(py::handle v, const std::string& what) {
    if (v.is_none())
        return {};
    if (py::isinstance<Inspection>(v))
        return v.cast<const Inspection&>().id;
    if (py::isinstance<DutyFulfilment>(v))
        return v.cast<const DutyFulfilment&>().id;
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what +
                             " must be an inspection or fulfilment id (str), an Inspection or "
                             "a DutyFulfilment, not " +
                             type_name(v));
    return v.cast<std::string>();
}

HazardEntry hazard_entry_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<HazardEntry>(obj))
        return obj.cast<HazardEntry>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": a hazard entry is a HazardEntry or a dict, not " +
                             type_name(obj));
    HazardEntry e;
    bool id_given = false;
    bool case_given = false;
    bool at_given = false;
    bool person_given = false;
    each_key(obj, where, [&](const std::string& key, py::handle v) {
        const std::string what = where + " field '" + key + "'";
        if (key == "id") {
            e.id = text_member(v, what);
            id_given = true;
        } else if (key == "case") {
            e.case_number = case_arg(v, what);
            case_given = true;
        } else if (key == "at") {
            e.at = to_instant(v, what.c_str());
            at_given = true;
        } else if (key == "person") {
            e.person = text_member(v, what);
            person_given = true;
        } else if (key == "record") {
            e.record = record_arg(v, what);
        } else if (key == "found_by") {
            e.found_by = found_by_arg(v, what);
        } else if (key == "grade") {
            e.grade = optional_grade(v, what);
        } else if (key == "deadline") {
            e.deadline = optional_day(v, what);
        } else if (key == "progress") {
            e.progress = optional_progress(v, what);
        } else if (key == "evidence") {
            e.evidence = texts_arg(v, what);
        } else if (key == "note") {
            e.note = optional_text(v, what);
        } else {
            unknown_key(where, key, hazard_entry_keys);
        }
    });
    require(id_given, where, "id");
    require(case_given, where, "case");
    require(at_given, where, "at");
    require(person_given, where, "person");
    return e;
}

// A list of entries, each named "hazards[1]" as the workspace and the JSON reader name
// them.
std::vector<HazardEntry> hazard_entries_arg(py::handle obj) {
    std::vector<HazardEntry> out;
    for (const py::object& item :
         list_items<HazardEntry>(obj, "entries", "HazardEntry objects or dicts"))
        out.push_back(hazard_entry_arg(item, "hazards[" + std::to_string(out.size()) + "]"));
    return out;
}

std::vector<Hazard> hazards_arg(py::handle obj) {
    std::vector<Hazard> out;
    for (const py::object& item : list_items<Hazard>(obj, "hazards", "Hazard objects")) {
        if (!py::isinstance<Hazard>(item))
            throw py::type_error("hazards must be Hazard objects, not " + type_name(item));
        out.push_back(item.cast<Hazard>());
    }
    return out;
}

py::object optional_grade_object(const std::optional<HazardGrade>& g) {
    return g ? py::cast(*g) : py::object(py::none());
}

py::object optional_date_object(const std::optional<Date>& d) {
    return d ? from_date(*d) : py::object(py::none());
}

py::dict hazard_entry_dict(const HazardEntry& e) {
    py::dict d;
    d["id"] = e.id;
    d["case"] = e.case_number;
    d["at"] = from_instant(e.at);
    d["person"] = e.person;
    d["record"] = e.record;
    d["found_by"] = e.found_by;
    d["grade"] = optional_grade_object(e.grade);
    d["deadline"] = optional_date_object(e.deadline);
    d["progress"] = e.progress ? py::object(py::int_(*e.progress)) : py::object(py::none());
    d["evidence"] = py::cast(e.evidence);
    d["note"] = e.note;
    return d;
}

std::string hazard_entry_repr(const HazardEntry& e) {
    std::string out = "<HazardEntry " + e.id + " of " + e.case_number + " " + e.at.to_string() +
                      " by " + e.person;
    std::vector<std::string> said;
    if (!e.record.empty())
        said.push_back("record " + e.record);
    if (!e.found_by.empty())
        said.push_back("found by " + e.found_by);
    if (e.grade)
        said.push_back(hazard_grade_name(*e.grade));
    if (e.deadline)
        said.push_back("due " + e.deadline->to_string());
    if (e.progress)
        said.push_back(std::to_string(*e.progress) + "%");
    for (std::size_t k = 0; k < said.size(); ++k)
        out += (k == 0 ? ": " : ", ") + said[k];
    return out + ">";
}

py::dict hazard_dict(const Hazard& h) {
    py::dict d;
    d["case"] = h.case_number;
    d["category"] = h.category;
    d["node"] = h.node;
    d["case_state"] = h.case_state;
    d["tier"] = h.tier;
    d["record"] = h.record;
    d["found_by"] = h.found_by;
    d["grade"] = optional_grade_object(h.grade);
    d["deadline"] = optional_date_object(h.deadline);
    d["progress"] = h.progress;
    d["reported_at"] = from_instant(h.reported_at);
    d["closed_at"] = optional_instant(h.closed_at);
    d["status"] = h.status;
    d["entries"] = py::cast(h.entries);
    return d;
}

std::string hazard_repr(const Hazard& h) {
    std::string out = "<Hazard " + h.case_number + " at " + h.node + " " +
                      hazard_status_name(h.status) + " (" +
                      (h.grade ? hazard_grade_name(*h.grade) : "ungraded");
    if (h.deadline)
        out += ", due " + h.deadline->to_string();
    out += ", " + std::to_string(h.progress) + "%";
    if (h.tier > 0)
        out += ", tier " + std::to_string(h.tier);
    return out + ")>";
}

// ---- arguments read under a workspace's lock -----------------------------------------------

// Runs f(networks) under the lock of whatever the argument is: a Workspace or its hierarchy
// face (the base hierarchy with its overlays), or a Hierarchy view or snapshot (its nodes
// alone; a workspace's base view brings the overlays too).
template <class F>
auto with_networks(py::handle obj, Gil gil, F&& f) {
    if (py::isinstance<WorkspaceHandle>(obj) || py::isinstance<HierarchyFace>(obj)) {
        const Handle handle = py::isinstance<WorkspaceHandle>(obj)
                                  ? obj.cast<Handle>()
                                  : static_cast<const Handle&>(obj.cast<const HierarchyFace&>());
        return handle->read(gil, [&](const Workspace& ws) { return f(ws.hierarchy().networks()); });
    }
    if (!py::isinstance<HierarchyView>(obj))
        throw py::type_error("hierarchy must be a Workspace or a Hierarchy, not " + type_name(obj));
    const HierarchyView view = obj.cast<HierarchyView>();
    if (view.snapshot) {
        const Hierarchy& h = *view.snapshot;
        return run(gil, [&] { return f(Networks(h)); });
    }
    return view.workspace->read(gil, [&](const Workspace& ws) {
        if (view.overlay)
            return f(Networks(ws.hierarchy().overlay(*view.overlay).units()));
        return f(ws.hierarchy().networks());
    });
}

// The workspace whose case engine promise_progress() reads: a Workspace or its cases face.
Handle engine_arg(py::handle obj) {
    if (py::isinstance<WorkspaceHandle>(obj))
        return obj.cast<Handle>();
    if (py::isinstance<CasesFace>(obj))
        return static_cast<const Handle&>(obj.cast<const CasesFace&>());
    throw py::type_error("engine must be a Workspace or its cases (WorkspaceCases), not " +
                         type_name(obj));
}

// Runs f(engine, hierarchy) for hazards_of(): the case engine of a Workspace (or its
// cases face) and the base hierarchy its cases' nodes are named in, given as a Workspace or
// its hierarchy face, a Hierarchy view of the base hierarchy or a snapshot. The engine's
// own hierarchy is read under the same lock; another workspace's is copied first, so that
// no two workspaces are locked at once.
template <class F>
auto with_engine_and_hierarchy(const Handle& engine, py::handle hierarchy, F&& f) {
    std::shared_ptr<const Hierarchy> held;  // a snapshot, or a copy of another workspace's
    Handle other;
    if (py::isinstance<WorkspaceHandle>(hierarchy)) {
        other = hierarchy.cast<Handle>();
    } else if (py::isinstance<HierarchyFace>(hierarchy)) {
        other = static_cast<const Handle&>(hierarchy.cast<const HierarchyFace&>());
    } else if (py::isinstance<HierarchyView>(hierarchy)) {
        const HierarchyView view = hierarchy.cast<HierarchyView>();
        if (view.overlay) {
            throw Error(ErrorCode::invalid_argument,
                        "hierarchy: the cases' nodes are base nodes, not units of the overlay " +
                            *view.overlay);
        }
        if (view.snapshot)
            held = view.snapshot;
        else
            other = view.workspace;
    } else {
        throw py::type_error("hierarchy must be a Workspace or a Hierarchy, not " +
                             type_name(hierarchy));
    }
    if (other && other != engine) {
        held = other->read(Gil::release, [](const Workspace& ws) {
            return std::make_shared<const Hierarchy>(ws.hierarchy().view());
        });
    }
    return engine->read(Gil::release, [&](const Workspace& ws) {
        return f(ws.cases(), held ? *held : ws.hierarchy().view());
    });
}

}  // namespace

void bind_oversight(py::module_& m) {
    case_type = m.attr("Case").cast<py::object>().release().ptr();
    record_type = m.attr("Record").cast<py::object>().release().ptr();

    // ---- inspections -------------------------------------------------------------------
    py::class_<InspectionFinding>(m, "InspectionFinding",
                                  "One problem an inspection found: the item, the points "
                                  "deducted, whom they are charged to and the evidence.")
        .def(py::init([](const std::string& item, py::object deduction, py::object charged_to,
                         py::object evidence, py::object note) {
                 InspectionFinding f;
                 f.item = item;
                 f.deduction = number_arg(deduction, "InspectionFinding: deduction");
                 f.charged_to = optional_code(charged_to, "InspectionFinding: charged_to");
                 f.evidence = texts_arg(evidence, "InspectionFinding: evidence");
                 f.note = optional_text(note, "InspectionFinding: note");
                 return f;
             }),
             py::arg("item"), py::arg("deduction") = 0.0, py::arg("charged_to") = "",
             py::arg("evidence") = py::none(), py::arg("note") = "",
             "item: what was wrong ('门前三包: 乱摆乱卖'); deduction: the points deducted, 0 or "
             "more; charged_to: who bears them (a node code or Node, a unit place, a department "
             "code, a person id or a record key; '' = the inspection's subject); evidence: "
             "photo and video references.")
        .def_readonly("item", &InspectionFinding::item)
        .def_readonly("deduction", &InspectionFinding::deduction)
        .def_readonly("charged_to", &InspectionFinding::charged_to, "'' = the inspection's subject")
        .def_readonly("evidence", &InspectionFinding::evidence)
        .def_readonly("note", &InspectionFinding::note)
        .def("to_dict", &finding_dict,
             "{'item', 'deduction', 'charged_to', 'evidence', 'note'}: what a finding's dict "
             "form takes.")
        .def(
            "__eq__", [](const InspectionFinding& a, const InspectionFinding& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &finding_repr);

    py::class_<Inspection>(m, "Inspection",
                           "One inspection of one subject: a pick of a recorded draw, or "
                           "outside any draw (daily supervision) a grid, unit, department, "
                           "person or record. `at` is an aware datetime in China Standard "
                           "Time.")
        .def(py::init([](const std::string& id, py::object subject, py::object at,
                         py::object inspectors, py::object findings, py::object draw,
                         py::object note) {
                 Inspection i;
                 i.id = id;
                 i.subject = code_arg(subject, "Inspection: subject");
                 i.at = to_instant(at, "Inspection: at");
                 i.inspectors = texts_arg(inspectors, "Inspection: inspectors");
                 i.findings = findings_arg(findings, "Inspection: findings");
                 i.draw = optional_text(draw, "Inspection: draw");
                 i.note = optional_text(note, "Inspection: note");
                 return i;
             }),
             py::arg("id"), py::arg("subject"), py::arg("at"), py::arg("inspectors") = py::none(),
             py::arg("findings") = py::none(), py::arg("draw") = "", py::arg("note") = "",
             "id: unique among the inspections; subject: a node code or Node, a unit place "
             "('sanbao:Z01'), a department code or a record key; at: a datetime (naive = China "
             "Standard Time), ISO text or seconds; inspectors: person ids; findings: "
             "InspectionFinding objects or dicts (none: nothing was wrong); draw: the label of "
             "the recorded draw whose pick was inspected ('' = outside any draw).")
        .def_readonly("id", &Inspection::id)
        .def_readonly("draw", &Inspection::draw, "'' = outside any draw")
        .def_readonly("subject", &Inspection::subject)
        .def_property_readonly("at", [](const Inspection& i) { return from_instant(i.at); })
        .def_readonly("inspectors", &Inspection::inspectors)
        .def_readonly("findings", &Inspection::findings, "InspectionFinding copies")
        .def_readonly("note", &Inspection::note)
        .def_property_readonly("deduction", &deduction_of,
                               "The points of all its findings, whomever they are charged to.")
        .def("to_dict", &inspection_dict,
             "{'id', 'draw', 'subject', 'at', 'inspectors', 'findings', 'note'} ('at' a "
             "datetime, the findings dicts): what add_inspections() takes.")
        .def(
            "__eq__", [](const Inspection& a, const Inspection& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &inspection_repr);

    py::class_<InspectionTask>(m, "InspectionTask",
                               "One pick of a recorded draw: the task to inspect it, and what "
                               "the inspections recorded under the draw found there.")
        .def_readonly("draw", &InspectionTask::draw, "the draw's label")
        .def_readonly("pick", &InspectionTask::pick, "the position among the picks, from 0")
        .def_readonly("subject", &InspectionTask::subject, "the pick")
        .def_readonly("inspections", &InspectionTask::inspections,
                      "the ids of the inspections of it under the draw")
        .def_readonly("findings", &InspectionTask::findings)
        .def_readonly("deduction", &InspectionTask::deduction,
                      "of the findings, whomever they are charged to")
        .def_property_readonly("done", &InspectionTask::done, "Whether it was inspected.")
        .def("to_dict", &task_dict)
        .def("__repr__", &task_repr);

    // ---- promises ----------------------------------------------------------------------
    py::enum_<PromiseRater>(m, "PromiseRater",
                            "Who scores a promise: CITIZEN (the people served, 群众评分) or "
                            "TEAM (the service team's self-score, 团队自评). Where one is taken, "
                            "its name will do too ('citizen', '群众', 'team', '自评').")
        .value("CITIZEN", PromiseRater::citizen)
        .value("TEAM", PromiseRater::team)
        .def_property_readonly(
            "text", [](PromiseRater r) { return std::string(promise_rater_name(r)); },
            "'citizen' or 'team'.");
    py::enum_<PromiseState>(m, "PromiseState",
                            "How a promise stands at the instant read: OPEN (the matter not "
                            "closed, the day not passed), OVERDUE (not closed, the day "
                            "passed), KEPT (closed by the day), LATE (closed after it), VOIDED.")
        .value("OPEN", PromiseState::open)
        .value("OVERDUE", PromiseState::overdue)
        .value("KEPT", PromiseState::kept)
        .value("LATE", PromiseState::late)
        .value("VOIDED", PromiseState::voided)
        .def_property_readonly(
            "text", [](PromiseState s) { return std::string(promise_state_name(s)); },
            "'open', 'overdue', 'kept', 'late' or 'voided'.");

    py::class_<Promise>(m, "Promise",
                        "A promise made for a matter (一事一诺): what the service team will do "
                        "and by when. `by` is a datetime.date, `at` an aware datetime in China "
                        "Standard Time.")
        .def(py::init([](const std::string& id, py::object case_, const std::string& what,
                         py::object by, py::object at, py::object team, py::object place,
                         py::object note) {
                 Promise p;
                 p.id = id;
                 p.case_number = case_arg(case_, "Promise: case");
                 p.what = what;
                 p.by = to_date(by, "Promise: by");
                 p.at = to_instant(at, "Promise: at");
                 p.team = optional_text(team, "Promise: team");
                 p.place = optional_code(place, "Promise: place");
                 p.note = optional_text(note, "Promise: note");
                 return p;
             }),
             py::arg("id"), py::arg("case"), py::arg("what"), py::arg("by"), py::arg("at"),
             py::arg("team") = "", py::arg("place") = "", py::arg("note") = "",
             "id: unique among the promises; case: the matter's case number or its Case; what: "
             "what is promised; by: the day it is promised by (inclusive; a date or "
             "'YYYY-MM-DD'); at: when it was promised; team: the service team's record key "
             "('' = none); place: the grid it is listed under (a node code or Node; '' = the "
             "case's node).")
        .def_readonly("id", &Promise::id)
        .def_readonly("case", &Promise::case_number, "the matter's case number")
        .def_readonly("case_number", &Promise::case_number, "the same as `case`")
        .def_readonly("what", &Promise::what)
        .def_property_readonly("by", [](const Promise& p) { return from_date(p.by); })
        .def_property_readonly("at", [](const Promise& p) { return from_instant(p.at); })
        .def_readonly("team", &Promise::team)
        .def_readonly("place", &Promise::place)
        .def_readonly("note", &Promise::note)
        .def("to_dict", &promise_dict,
             "{'id', 'case', 'what', 'by', 'at', 'team', 'place', 'note'} ('by' a date, 'at' a "
             "datetime): what add_promises() takes.")
        .def(
            "__eq__", [](const Promise& a, const Promise& b) { return a == b; }, py::is_operator())
        .def("__repr__", &promise_repr);

    py::class_<PromiseRating>(m, "PromiseRating",
                              "A score of a promise on 100 points, by the citizen or by the "
                              "team: one per promise and rater.")
        .def(py::init([](py::object promise, py::object by, py::object score, py::object at,
                         py::object note) {
                 PromiseRating r;
                 r.promise = promise_id_arg(promise, "PromiseRating: promise");
                 r.by = rater_arg(by, "PromiseRating: by");
                 r.score = number_arg(score, "PromiseRating: score");
                 r.at = to_instant(at, "PromiseRating: at");
                 r.note = optional_text(note, "PromiseRating: note");
                 return r;
             }),
             py::arg("promise"), py::arg("by"), py::arg("score"), py::arg("at"),
             py::arg("note") = "",
             "promise: the promise id or the Promise; by: a PromiseRater or its name; score: "
             "0-100; at: when it was scored.")
        .def_readonly("promise", &PromiseRating::promise, "the promise id")
        .def_readonly("by", &PromiseRating::by, "a PromiseRater")
        .def_readonly("score", &PromiseRating::score)
        .def_property_readonly("at", [](const PromiseRating& r) { return from_instant(r.at); })
        .def_readonly("note", &PromiseRating::note)
        .def("to_dict", &rating_dict,
             "{'promise', 'by', 'score', 'at', 'note'} ('by' a PromiseRater, 'at' a datetime): "
             "what rate_promises() takes.")
        .def(
            "__eq__", [](const PromiseRating& a, const PromiseRating& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &rating_repr);

    py::class_<PromiseProgress>(m, "PromiseProgress",
                                "A promise with its matter's progress and its scores, read at "
                                "one instant.")
        .def_readonly("promise", &PromiseProgress::promise, "the Promise (a copy)")
        .def_property_readonly(
            "id", [](const PromiseProgress& p) { return p.promise.id; }, "The promise's id.")
        .def_readonly("category", &PromiseProgress::category, "the matter's category code")
        .def_readonly("case_state", &PromiseProgress::case_state,
                      "the matter's workflow state as the engine holds it now")
        .def_readonly("state", &PromiseProgress::state, "a PromiseState")
        .def_property_readonly(
            "closed_at", [](const PromiseProgress& p) { return optional_instant(p.closed_at); },
            "When the matter closed (or was voided); None while it is open.")
        .def_property_readonly(
            "citizen_score",
            [](const PromiseProgress& p) { return optional_score(p.citizen_score); },
            "The citizen's score recorded by the instant read, or None.")
        .def_property_readonly(
            "team_score", [](const PromiseProgress& p) { return optional_score(p.team_score); },
            "The team's self-score recorded by the instant read, or None.")
        .def("to_dict", &progress_dict,
             "{'id', 'case', 'category', 'what', 'by', 'at', 'team', 'place', 'state', "
             "'case_state', 'closed_at', 'citizen_score', 'team_score'}: a board row, with "
             "dates, datetimes and the PromiseState.")
        .def("__repr__", &progress_repr);

    py::class_<PromiseBoard>(m, "PromiseBoard",
                             "The monthly public list of matters of a place (网格服务办事进度表): "
                             "the promises listed under it made by the end of the month and not "
                             "closed before it began, with their state and scores.")
        .def_readonly("title", &PromiseBoard::title)
        .def_readonly("month", &PromiseBoard::month)
        .def_readonly("place", &PromiseBoard::place, "'' = everywhere")
        .def_readonly("rows", &PromiseBoard::rows, "PromiseProgress copies, in the order recorded")
        .def_readonly("kept", &PromiseBoard::kept)
        .def_readonly("late", &PromiseBoard::late)
        .def_readonly("overdue", &PromiseBoard::overdue)
        .def_readonly("open", &PromiseBoard::open)
        .def_readonly("citizen_mean", &PromiseBoard::citizen_mean,
                      "the mean citizen score of the rows rated, or None")
        .def_readonly("team_mean", &PromiseBoard::team_mean,
                      "the mean self-score of the rows rated, or None")
        .def("to_json", &promise_board_to_json,
             "The board as one JSON object {title, month, place, kept, late, overdue, open, "
             "citizen_mean, team_mean, rows: [...]}.")
        .def(
            "to_dict", [](const PromiseBoard& b) { return json_loads(promise_board_to_json(b)); },
            "The board's JSON form as a dict.")
        .def("html", &promise_board_html,
             "The board as a self-contained HTML page for the public window (公示): every text "
             "escaped, the overdue rows marked, no personal data.")
        .def("__len__", [](const PromiseBoard& b) { return b.rows.size(); })
        .def("__repr__", &board_repr);

    // ---- hazards -----------------------------------------------------------------------
    py::enum_<HazardGrade>(m, "HazardGrade",
                           "The grade of a hazard (隐患等级): GENERAL (一般, fixed in the grid or "
                           "the village), LARGER (较大), MAJOR (重大, reported up to the "
                           "county). Where one is taken, its name will do too ('general', "
                           "'一般', 'larger', '较大', 'major', '重大').")
        .value("GENERAL", HazardGrade::general)
        .value("LARGER", HazardGrade::larger)
        .value("MAJOR", HazardGrade::major)
        .def_property_readonly(
            "text", [](HazardGrade g) { return std::string(hazard_grade_name(g)); },
            "'general', 'larger' or 'major'.");
    py::enum_<HazardStatus>(m, "HazardStatus",
                            "How a hazard stands at the instant read: OPEN (being dealt with, "
                            "its deadline not passed or none set), OVERDUE (not fixed, the "
                            "deadline passed), FIXED_ON_TIME (its case closed by the deadline; "
                            "without one, no clock ran out), FIXED_LATE, VOIDED (not a "
                            "hazard).")
        .value("OPEN", HazardStatus::open)
        .value("OVERDUE", HazardStatus::overdue)
        .value("FIXED_ON_TIME", HazardStatus::fixed_on_time)
        .value("FIXED_LATE", HazardStatus::fixed_late)
        .value("VOIDED", HazardStatus::voided)
        .def_property_readonly(
            "text", [](HazardStatus s) { return std::string(hazard_status_name(s)); },
            "'open', 'overdue', 'fixed_on_time', 'fixed_late' or 'voided'.");

    py::class_<HazardEntry>(m, "HazardEntry",
                            "What is recorded about a hazard besides its case's commands: the "
                            "record it belongs to, the check that found it, its grade, the "
                            "rectification order's deadline and the progress reports. Each "
                            "entry adds to what the entries of its hazard before it said. `at` "
                            "is an aware datetime in China Standard Time, `deadline` a "
                            "datetime.date.")
        .def(py::init([](const std::string& id, py::object case_, py::object at,
                         const std::string& person, py::object record, py::object found_by,
                         py::object grade, py::object deadline, py::object progress,
                         py::object evidence, py::object note) {
                 HazardEntry e;
                 e.id = id;
                 e.case_number = case_arg(case_, "HazardEntry: case");
                 e.at = to_instant(at, "HazardEntry: at");
                 e.person = person;
                 e.record = record_arg(record, "HazardEntry: record");
                 e.found_by = found_by_arg(found_by, "HazardEntry: found_by");
                 e.grade = optional_grade(grade, "HazardEntry: grade");
                 e.deadline = optional_day(deadline, "HazardEntry: deadline");
                 e.progress = optional_progress(progress, "HazardEntry: progress");
                 e.evidence = texts_arg(evidence, "HazardEntry: evidence");
                 e.note = optional_text(note, "HazardEntry: note");
                 return e;
             }),
             py::arg("id"), py::arg("case"), py::arg("at"), py::arg("person"),
             py::arg("record") = "", py::arg("found_by") = "", py::arg("grade") = py::none(),
             py::arg("deadline") = py::none(), py::arg("progress") = py::none(),
             py::arg("evidence") = py::none(), py::arg("note") = "",
             "id: unique among the hazard entries; case: the hazard's case number or its Case; "
             "at: when it was recorded (a datetime, naive = China Standard Time, ISO text or "
             "seconds); person: who recorded it (a person id); record: the house or unit it "
             "belongs to (a record key or Record; '' = not said here); found_by: the inspection "
             "or duty fulfilment whose check found it (an id, an Inspection or a "
             "DutyFulfilment; '' = not said here); grade: a HazardGrade or its name (None = "
             "not said here); deadline: the rectification order's deadline (a date or "
             "'YYYY-MM-DD'; None = not said here); progress: percent rectified, an int 0-100 "
             "(None = no progress report); evidence: photo and document references.")
        .def_readonly("id", &HazardEntry::id)
        .def_readonly("case", &HazardEntry::case_number, "the hazard's case number")
        .def_readonly("case_number", &HazardEntry::case_number, "the same as `case`")
        .def_property_readonly("at", [](const HazardEntry& e) { return from_instant(e.at); })
        .def_readonly("person", &HazardEntry::person)
        .def_readonly("record", &HazardEntry::record, "'' = not said here")
        .def_readonly("found_by", &HazardEntry::found_by, "'' = not said here")
        .def_property_readonly(
            "grade", [](const HazardEntry& e) { return optional_grade_object(e.grade); },
            "A HazardGrade, or None when not said here.")
        .def_property_readonly(
            "deadline", [](const HazardEntry& e) { return optional_date_object(e.deadline); },
            "A datetime.date, or None when not said here.")
        .def_readonly("progress", &HazardEntry::progress,
                      "percent rectified, or None when the entry reports no progress")
        .def_readonly("evidence", &HazardEntry::evidence)
        .def_readonly("note", &HazardEntry::note)
        .def("to_dict", &hazard_entry_dict,
             "{'id', 'case', 'at', 'person', 'record', 'found_by', 'grade', 'deadline', "
             "'progress', 'evidence', 'note'} ('at' a datetime, 'grade' a HazardGrade or None, "
             "'deadline' a date or None): what add_hazard_entries() takes.")
        .def(
            "__eq__", [](const HazardEntry& a, const HazardEntry& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &hazard_entry_repr);

    py::class_<Hazard>(m, "Hazard",
                       "A hazard as its case and its entries make it at one instant (read-only): "
                       "the case's category, node, state and tier, and what the entries said.")
        .def_readonly("case", &Hazard::case_number, "the hazard's case number")
        .def_readonly("case_number", &Hazard::case_number, "the same as `case`")
        .def_readonly("category", &Hazard::category, "the case's category code")
        .def_readonly("node", &Hazard::node, "the code of the case's node (its grid)")
        .def_readonly("case_state", &Hazard::case_state,
                      "the case's workflow state as the engine holds it now")
        .def_readonly("tier", &Hazard::tier, "the case's escalation tier (0 = the grid)")
        .def_readonly("record", &Hazard::record, "'' = no entry said")
        .def_readonly("found_by", &Hazard::found_by, "'' = no entry said")
        .def_property_readonly(
            "grade", [](const Hazard& h) { return optional_grade_object(h.grade); },
            "The last HazardGrade its entries gave, or None when ungraded.")
        .def_property_readonly(
            "deadline", [](const Hazard& h) { return optional_date_object(h.deadline); },
            "The last deadline its entries gave (a datetime.date), or None.")
        .def_readonly("progress", &Hazard::progress,
                      "the last progress reported, in percent; 100 once fixed")
        .def_property_readonly(
            "reported_at", [](const Hazard& h) { return from_instant(h.reported_at); },
            "When its case was reported.")
        .def_property_readonly(
            "closed_at", [](const Hazard& h) { return optional_instant(h.closed_at); },
            "When its case closed or was voided, by the instant read; None while open.")
        .def_readonly("status", &Hazard::status, "a HazardStatus")
        .def_readonly("entries", &Hazard::entries, "the ids of its entries, in the order recorded")
        .def("to_dict", &hazard_dict,
             "{'case', 'category', 'node', 'case_state', 'tier', 'record', 'found_by', "
             "'grade', 'deadline', 'progress', 'reported_at', 'closed_at', 'status', "
             "'entries'}: the keys of hazards_to_json(), with the enums, dates and datetimes.")
        .def("__repr__", &hazard_repr);

    // ---- functions ---------------------------------------------------------------------
    m.def(
        "inspections_from_json",
        [](py::object json, const std::string& source_name) {
            const std::string text = json_arg(json, "json");
            py::gil_scoped_release release;
            return inspections_from_json(text, source_name);
        },
        py::arg("json"), py::arg("source_name") = "<json>",
        "Reads inspections from a JSON array (text or a list of dicts) [{'id', 'draw', "
        "'subject', 'at', 'inspectors', 'findings': [{'item', 'deduction', 'charged_to', "
        "'evidence', 'note'}], 'note'}]. InvalidArgumentError names the source, the element "
        "('inspections[1].findings[0]') and the field; ParseError for malformed JSON.");
    m.def(
        "inspections_to_json",
        [](py::object inspections) {
            const std::vector<Inspection> v = inspections_arg(inspections);
            py::gil_scoped_release release;
            return inspections_to_json(v);
        },
        py::arg("inspections"),
        "Inspection objects or dicts as a JSON array ('at' with its +08:00 offset).");
    m.def(
        "promises_from_json",
        [](py::object json, const std::string& source_name) {
            const std::string text = json_arg(json, "json");
            py::gil_scoped_release release;
            return promises_from_json(text, source_name);
        },
        py::arg("json"), py::arg("source_name") = "<json>",
        "Reads promises from a JSON array (text or a list of dicts) [{'id', 'case', 'what', "
        "'by', 'at', 'team', 'place', 'note'}]; errors as inspections_from_json() "
        "('promises[2]').");
    m.def(
        "promises_to_json",
        [](py::object promises) {
            const std::vector<Promise> v = promises_arg(promises);
            py::gil_scoped_release release;
            return promises_to_json(v);
        },
        py::arg("promises"), "Promise objects or dicts as a JSON array.");
    m.def(
        "promise_ratings_from_json",
        [](py::object json, const std::string& source_name) {
            const std::string text = json_arg(json, "json");
            py::gil_scoped_release release;
            return promise_ratings_from_json(text, source_name);
        },
        py::arg("json"), py::arg("source_name") = "<json>",
        "Reads ratings from a JSON array (text or a list of dicts) [{'promise', 'by' "
        "('citizen' | 'team'), 'score', 'at', 'note'}]; a score outside 0-100 is refused "
        "('ratings[0]').");
    m.def(
        "promise_ratings_to_json",
        [](py::object ratings) {
            const std::vector<PromiseRating> v = ratings_arg(ratings);
            py::gil_scoped_release release;
            return promise_ratings_to_json(v);
        },
        py::arg("ratings"), "PromiseRating objects or dicts as a JSON array.");
    m.def(
        "inspection_tasks",
        [](const std::string& label, py::object draw, py::object inspections) {
            const DrawRecord d = draw_arg(draw);
            const std::vector<Inspection> v = inspections_arg(inspections);
            py::gil_scoped_release release;
            return inspection_tasks(label, d, v);
        },
        py::arg("label"), py::arg("draw"), py::arg("inspections"),
        "The tasks of a draw (a DrawRecord or StoredDraw): one InspectionTask per pick in the "
        "order drawn, with the inspections recorded under `label` matched by subject.");
    m.def(
        "inspection_tasks_to_json",
        [](py::object tasks) {
            const std::vector<InspectionTask> v = tasks_arg(tasks);
            py::gil_scoped_release release;
            return inspection_tasks_to_json(v);
        },
        py::arg("tasks"),
        "Tasks as a JSON array [{'draw', 'pick', 'subject', 'done', 'inspections', "
        "'findings', 'deduction'}].");
    m.def(
        "inspection_values",
        [](py::object inspections, py::object subject, py::object hierarchy,
           const std::string& period) {
            const std::vector<Inspection> v = inspections_arg(inspections);
            const std::string s = code_arg(subject, "subject");
            const AssessmentPeriod p = period_arg(period, "period");
            return with_networks(hierarchy, Gil::release, [&](const Networks& networks) {
                return inspection_values(v, s, networks, p);
            });
        },
        py::arg("inspections"), py::arg("subject"), py::arg("hierarchy"), py::arg("period"),
        "The inspection indicators of a subject over a period as {key: IndicatorValue}: "
        "inspections, inspection_clean, inspection_findings, inspection_deduction. A node code "
        "(or Node) covers its subtree, a unit place its subtree in the overlay, any other code "
        "only itself; a finding counts for whom it is charged to. hierarchy: a Workspace (its "
        "hierarchy with the overlays) or a Hierarchy.");
    m.def(
        "promise_progress",
        [](py::object promises, py::object ratings, py::object engine, py::object as_of) {
            const std::vector<Promise> p = promises_arg(promises);
            const std::vector<PromiseRating> r = ratings_arg(ratings);
            const Handle handle = engine_arg(engine);
            const Instant at = to_instant(as_of, "as_of");
            return handle->read(Gil::release, [&](const Workspace& ws) {
                return promise_progress(p, r, ws.cases(), at);
            });
        },
        py::arg("promises"), py::arg("ratings"), py::arg("engine"), py::arg("as_of"),
        "The progress of every promise at `as_of`, in the order given, over the case engine of "
        "a Workspace (or its WorkspaceCases): a close after `as_of` is not seen, nor a rating "
        "recorded after it. NotFoundError names a promise whose case the engine does not "
        "know.");
    m.def(
        "promise_values",
        [](py::object progress, py::object subject, py::object hierarchy,
           const std::string& period) {
            const std::vector<PromiseProgress> v = progress_arg(progress);
            const std::string s = code_arg(subject, "subject");
            const AssessmentPeriod p = period_arg(period, "period");
            return with_networks(hierarchy, Gil::release, [&](const Networks& networks) {
                return promise_values(v, s, networks, p);
            });
        },
        py::arg("progress"), py::arg("subject"), py::arg("hierarchy"), py::arg("period"),
        "The promise indicators of a subject (a node code or Node: the promises placed in its "
        "subtree; any other code: a team's record key) over a period, of the promises made in "
        "it, as {key: IndicatorValue}: promises, promises_kept, promises_late, "
        "promises_overdue, promise_kept_rate (%), promise_citizen_mean, promise_team_mean. "
        "progress: PromiseProgress objects or a PromiseBoard; hierarchy: a Workspace or a "
        "Hierarchy.");
    m.def(
        "promise_board",
        [](py::object progress, const std::string& month, py::object place, py::object hierarchy) {
            const std::vector<PromiseProgress> v = progress_arg(progress);
            const AssessmentPeriod p = period_arg(month, "month");
            const std::string where = optional_code(place, "place");
            return with_networks(hierarchy, Gil::release, [&](const Networks& networks) {
                return promise_board(v, p, where, networks);
            });
        },
        py::arg("progress"), py::arg("month"), py::arg("place"), py::arg("hierarchy"),
        "The board of a month ('2026-03') of a place (a node code or Node; '' or None = "
        "everywhere) from progress read at (or after) the month's end. NotFoundError for a "
        "place that is not a node; InvalidArgumentError for a period that is not a month.");
    m.def(
        "promise_board_to_json",
        [](const PromiseBoard& board) {
            py::gil_scoped_release release;
            return promise_board_to_json(board);
        },
        py::arg("board"), "PromiseBoard.to_json().");
    m.def(
        "promise_board_html",
        [](const PromiseBoard& board) {
            py::gil_scoped_release release;
            return promise_board_html(board);
        },
        py::arg("board"), "PromiseBoard.html().");
    m.def(
        "promise_progress_to_json",
        [](py::object progress) {
            const std::vector<PromiseProgress> v = progress_arg(progress);
            py::gil_scoped_release release;
            return promise_progress_to_json(v);
        },
        py::arg("progress"), "Progress rows as a JSON array of the board's row objects.");
    m.def(
        "hazard_entries_from_json",
        [](py::object json, const std::string& source_name) {
            const std::string text = json_arg(json, "json");
            py::gil_scoped_release release;
            return hazard_entries_from_json(text, source_name);
        },
        py::arg("json"), py::arg("source_name") = "<json>",
        "Reads hazard entries from a JSON array (text or a list of dicts) [{'id', 'case', "
        "'at', 'person', 'record', 'found_by', 'grade' ('general' | 'larger' | 'major' | "
        "'一般' | '较大' | '重大'), 'deadline' ('YYYY-MM-DD'), 'progress' (0-100), "
        "'evidence', 'note'}] (all but id, case, at and person may be left out or null); "
        "errors as inspections_from_json() ('hazards[2]').");
    m.def(
        "hazard_entries_to_json",
        [](py::object entries) {
            const std::vector<HazardEntry> v = hazard_entries_arg(entries);
            py::gil_scoped_release release;
            return hazard_entries_to_json(v);
        },
        py::arg("entries"),
        "HazardEntry objects or dicts as a JSON array (grade, deadline and progress null when "
        "not said).");
    m.def(
        "hazards_of",
        [](py::object entries, py::object engine, py::object hierarchy, py::object as_of) {
            const std::vector<HazardEntry> v = hazard_entries_arg(entries);
            const Handle handle = engine_arg(engine);
            const Instant at = to_instant(as_of, "as_of");
            return with_engine_and_hierarchy(handle, hierarchy,
                                             [&](const CaseEngine& cases, const Hierarchy& h) {
                                                 return hazards_of(v, cases, h, at);
                                             });
        },
        py::arg("entries"), py::arg("engine"), py::arg("hierarchy"), py::arg("as_of"),
        "The hazards the entries name, one Hazard per case in the order of its first entry, "
        "read at `as_of` (entries after it and a close after it are not seen), over the case "
        "engine of a Workspace (or its WorkspaceCases). hierarchy: the engine's base "
        "hierarchy, for the nodes' codes (a Workspace, ws.hierarchy, a Hierarchy view or "
        "snapshot; not an overlay). NotFoundError names an entry whose case the engine does "
        "not know.");
    m.def(
        "hazards_to_json",
        [](py::object hazards) {
            const std::vector<Hazard> v = hazards_arg(hazards);
            py::gil_scoped_release release;
            return hazards_to_json(v);
        },
        py::arg("hazards"),
        "Hazard objects as a JSON array [{'case', 'category', 'node', 'case_state', 'tier', "
        "'record', 'found_by', 'grade', 'deadline', 'progress', 'reported_at', 'closed_at', "
        "'status', 'entries'}] (grade, deadline and closed_at null when unknown).");
    m.def(
        "hazard_values",
        [](py::object hazards, py::object subject, py::object hierarchy,
           const std::string& period) {
            const std::vector<Hazard> v = hazards_arg(hazards);
            const std::string s = code_arg(subject, "subject");
            const AssessmentPeriod p = period_arg(period, "period");
            return with_networks(hierarchy, Gil::release, [&](const Networks& networks) {
                return hazard_values(v, s, networks, p);
            });
        },
        py::arg("hazards"), py::arg("subject"), py::arg("hierarchy"), py::arg("period"),
        "The four questions (how many, how severe, fixed on time, fixed how far) of the "
        "hazards reported in a period under a subject, as {key: IndicatorValue}: a node code "
        "(or Node) covers its subtree, an overlay unit place ('fire:M1') the base nodes it "
        "covers, any other code is a record key; voided hazards are left out. Keys: hazards, "
        "hazards_general, hazards_larger, hazards_major, hazards_ungraded, hazards_fixed, "
        "hazards_fixed_on_time, hazards_overdue, hazards_open, hazard_fix_rate (%), "
        "hazard_on_time_rate (%, of those fixed or overdue), hazard_progress (mean %). "
        "hierarchy: a Workspace (its hierarchy with the overlays) or a Hierarchy.");

    // ---- the oversight of a workspace --------------------------------------------------
    py::class_<OversightFace>(m, "WorkspaceOversight",
                              "The oversight face of a workspace (Workspace.oversight): the "
                              "inspections recorded against the draws of the assessment, the "
                              "promises made for cases and their ratings, and the hazard entries "
                              "beside the hazards' cases. Every change is one transaction; a "
                              "refused change raises and changes nothing.")
        .def(
            "inspections",
            [](const OversightFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.oversight().inspections(); });
            },
            "Every inspection recorded, in the order recorded (Inspection copies).")
        .def(
            "add_inspections",
            [](const OversightFace& self, py::object inspections) {
                const std::vector<Inspection> v = inspections_arg(inspections);
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.oversight().add_inspections(v); });
                return v.size();
            },
            py::arg("inspections"),
            "Records a list of Inspection objects or dicts whole or not at all; returns how "
            "many. A refusal names 'inspections[i]' and the field: AlreadyExistsError for an id "
            "recorded or repeated; NotFoundError for a draw label not recorded, a subject that "
            "is not a pick of its draw (or, without a draw, no live node, unit, department, "
            "person or record), an unknown inspector, a finding charged to none of these; "
            "InvalidArgumentError for an empty id or item, a negative deduction.")
        .def(
            "tasks",
            [](const OversightFace& self, const std::string& label) {
                return self->read(Gil::release,
                                  [&](const Workspace& ws) { return ws.oversight().tasks(label); });
            },
            py::arg("label"),
            "The InspectionTask of each pick of the draw recorded under `label`, in the order "
            "drawn; NotFoundError naming a label not recorded.")
        .def(
            "promises",
            [](const OversightFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.oversight().promises(); });
            },
            "Every promise recorded, in the order recorded, each with its place resolved "
            "(Promise copies).")
        .def(
            "add_promises",
            [](const OversightFace& self, py::object promises) {
                const std::vector<Promise> v = promises_arg(promises);
                self->write(Gil::release, [&](Workspace& ws) { ws.oversight().add_promises(v); });
                return v.size();
            },
            py::arg("promises"),
            "Records a list of Promise objects or dicts whole or not at all; returns how many. "
            "AlreadyExistsError for an id recorded or repeated; NotFoundError for an unknown "
            "case, a team that is not a live record, a place that is not a live node; "
            "InvalidArgumentError for an empty id or `what`, a day before the promise was "
            "made, a promise made after its matter closed.")
        .def(
            "ratings",
            [](const OversightFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.oversight().ratings(); });
            },
            "Every rating recorded, in the order recorded (PromiseRating copies).")
        .def(
            "rate_promises",
            [](const OversightFace& self, py::object ratings) {
                const std::vector<PromiseRating> v = ratings_arg(ratings);
                self->write(Gil::release, [&](Workspace& ws) { ws.oversight().rate_promises(v); });
                return v.size();
            },
            py::arg("ratings"),
            "Records a list of PromiseRating objects or dicts whole or not at all; returns how "
            "many. NotFoundError for an unknown promise; AlreadyExistsError for a second score "
            "of a promise by the same rater; InvalidArgumentError for a score outside 0-100, a "
            "rating dated before its promise.")
        .def(
            "progress",
            [](const OversightFace& self, py::object as_of) {
                const Instant at = to_instant(as_of, "as_of");
                return self->read(Gil::release,
                                  [&](const Workspace& ws) { return ws.oversight().progress(at); });
            },
            py::arg("as_of"),
            "The PromiseProgress of every promise at an instant (a datetime, ISO text or "
            "seconds), in the order recorded.")
        .def(
            "board",
            [](const OversightFace& self, const std::string& month, py::object place,
               py::object as_of) {
                const AssessmentPeriod p = period_arg(month, "month");
                const std::string where = optional_code(place, "place");
                const std::optional<Instant> at =
                    as_of.is_none() ? std::nullopt : std::optional(to_instant(as_of, "as_of"));
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.oversight().board(p, where, at);
                });
            },
            py::arg("month"), py::arg("place") = "", py::arg("as_of") = py::none(),
            "The PromiseBoard of a month ('2026-03') of a place (a node code or Node; '' = "
            "everywhere), read at the month's end or at `as_of` when earlier. NotFoundError "
            "for a place that is not a node; InvalidArgumentError for a period that is not a "
            "month.")
        .def(
            "hazard_entries",
            [](const OversightFace& self) {
                return self->read(
                    Gil::keep, [](const Workspace& ws) { return ws.oversight().hazard_entries(); });
            },
            "Every hazard entry recorded, in the order recorded (HazardEntry copies).")
        .def(
            "add_hazard_entries",
            [](const OversightFace& self, py::object entries) {
                const std::vector<HazardEntry> v = hazard_entries_arg(entries);
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.oversight().add_hazard_entries(v); });
                return v.size();
            },
            py::arg("entries"),
            "Records a list of HazardEntry objects or dicts whole or not at all; returns how "
            "many. A refusal names 'hazards[i]' and the field: AlreadyExistsError for an empty, "
            "recorded or repeated id; NotFoundError for an unknown case, a person not in the "
            "directory, a record that is not live, a found_by that is neither an inspection "
            "nor a duty fulfilment; InvalidArgumentError for an entry dated before its case "
            "was reported or after it closed, a record other than the one the hazard already "
            "belongs to, a deadline before the entry's day, a progress outside 0-100.")
        .def(
            "hazards",
            [](const OversightFace& self, py::object as_of) {
                const Instant at = to_instant(as_of, "as_of");
                return self->read(Gil::release,
                                  [&](const Workspace& ws) { return ws.oversight().hazards(at); });
            },
            py::arg("as_of"),
            "The Hazard of every case the entries name, read at an instant (a datetime, ISO "
            "text or seconds): entries recorded after it and a close after it are not seen.")
        .def("__repr__", [](const OversightFace& self) {
            return "<WorkspaceOversight of " + self->path() + ">";
        });

    // Workspace.oversight: the class is registered by bind_workspace(), which runs first.
    auto workspace =
        py::reinterpret_borrow<py::class_<WorkspaceHandle, Handle>>(m.attr("Workspace"));
    workspace.def_property_readonly(
        "oversight",
        [](const Handle& self) {
            self->read(Gil::keep, [](const Workspace&) { return true; });
            return OversightFace{self};
        },
        "Inspections, promises with their ratings, and hazard entries (a "
        "WorkspaceOversight).");
}

}  // namespace gridgov::python
