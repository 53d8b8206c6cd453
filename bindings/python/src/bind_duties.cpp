// Duties on a schedule (定期职责) for Python: the enumerations (Recurrence, DueShift,
// DutyScope, OccurrenceStatus), the catalogue and its schedules as read-only values read
// from JSON (DutyCatalogue, DutySchedule), fulfilments (DutyFulfilment), occurrences
// (DutyOccurrence), the label, indicator and finding functions, and the duties face of a
// workspace (Workspace.duties, WorkspaceDuties): its catalogue, the fulfilments recorded,
// and the occurrences, values and findings of a period (docs/duties.md).
//
// Instants are datetime.datetime (naive = China Standard Time), ISO text or seconds since
// the epoch, and come back as aware datetimes in China Standard Time; periods are text
// ("2026-02", "2026-Q1", "2026-H1", "2026"), as in the assessment.
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/duties.hpp"
#include "gridgov/workspace.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;
using DutiesFace = Face<struct DutiesTag>;

py::object json_loads(const std::string& text) {
    return py::module_::import("json").attr("loads")(text);
}

std::string json_dumps(py::handle obj) {
    return py::module_::import("json")
        .attr("dumps")(obj, py::arg("ensure_ascii") = false)
        .cast<std::string>();
}

// JSON given as text, or as a dict that json.dumps can write.
std::string json_arg(py::handle obj, const char* what) {
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    if (py::isinstance<py::dict>(obj))
        return json_dumps(obj);
    throw py::type_error(std::string(what) + " must be JSON text (str) or a dict, not " +
                         type_name(obj));
}

AssessmentPeriod period_arg(const std::string& text) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string("period: ") + e.what());
    }
}

// An enumeration argument: the enum itself or its name (parsed by the library).
template <class E, class Parse>
E enum_arg(py::handle obj, Parse&& parse, const char* what, const char* type) {
    if (py::isinstance<E>(obj))
        return obj.cast<E>();
    if (py::isinstance<py::str>(obj))
        return parse(obj.cast<std::string>());
    throw py::type_error(std::string(what) + " must be a gridgov." + type + " or its name, not " +
                         type_name(obj));
}

Recurrence recurrence_arg(py::handle obj) {
    return enum_arg<Recurrence>(
        obj, [](const std::string& s) { return parse_recurrence(s); }, "every", "Recurrence");
}

std::string text_member(py::handle v, const std::string& what) {
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a str, not " + type_name(v));
    return v.cast<std::string>();
}

// A place: a node code, an overlay unit place ("market:D01") or a Node (its code).
std::string place_arg(py::handle v, const std::string& what) {
    if (py::isinstance<NodeView>(v))
        return v.attr("code").cast<std::string>();
    if (!py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a node code or unit place (str) or a Node, not " +
                             type_name(v));
    return v.cast<std::string>();
}

std::vector<std::string> evidence_arg(py::handle v, const std::string& what) {
    std::vector<std::string> out;
    if (v.is_none())
        return out;
    if (py::isinstance<py::str>(v))
        throw py::type_error(what + " must be a list of str, not a str");
    for (py::handle item : py::iter(v))
        out.push_back(text_member(item, what + "[" + std::to_string(out.size()) + "]"));
    return out;
}

const char* const fulfilment_keys = "id, duty, place, person, at, occurrence, evidence, note";

// A fulfilment from a DutyFulfilment or a dict {"id", "duty", "place", "person", "at",
// "occurrence", "evidence", "note"} ("occurrence", "evidence" and "note" may be left out).
DutyFulfilment fulfilment_arg(py::handle obj, const std::string& where) {
    if (py::isinstance<DutyFulfilment>(obj))
        return obj.cast<DutyFulfilment>();
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + ": a fulfilment is a DutyFulfilment or a dict, not " +
                             type_name(obj));
    DutyFulfilment f;
    bool at_given = false;
    for (auto item : py::reinterpret_borrow<py::dict>(obj)) {
        const std::string key = text_member(item.first, where + ": a key");
        const std::string what = where + " field '" + key + "'";
        const py::handle v = item.second;
        if (key == "id") {
            f.id = text_member(v, what);
        } else if (key == "duty") {
            f.duty = text_member(v, what);
        } else if (key == "place") {
            f.place = place_arg(v, what);
        } else if (key == "person") {
            f.person = text_member(v, what);
        } else if (key == "at") {
            f.at = to_instant(v, what.c_str());
            at_given = true;
        } else if (key == "occurrence") {
            f.occurrence = v.is_none() ? std::string() : text_member(v, what);
        } else if (key == "evidence") {
            f.evidence = evidence_arg(v, what);
        } else if (key == "note") {
            f.note = v.is_none() ? std::string() : text_member(v, what);
        } else {
            throw Error(ErrorCode::invalid_argument,
                        where + ": unknown key '" + key + "' (" + fulfilment_keys + ")");
        }
    }
    if (!at_given)
        throw Error(ErrorCode::invalid_argument, where + " field 'at': missing");
    return f;
}

std::vector<DutyFulfilment> fulfilments_arg(py::handle obj) {
    if (py::isinstance<py::str>(obj) || py::isinstance<py::dict>(obj) ||
        py::isinstance<DutyFulfilment>(obj))
        throw py::type_error("fulfilments must be a list of DutyFulfilment objects or dicts, not " +
                             type_name(obj));
    std::vector<DutyFulfilment> out;
    for (py::handle item : py::iter(obj))
        out.push_back(fulfilment_arg(item, "fulfilments[" + std::to_string(out.size()) + "]"));
    return out;
}

// A catalogue: a DutyCatalogue, a dict, JSON text (an object) or a preset key.
DutyCatalogue catalogue_arg(py::handle obj) {
    if (py::isinstance<DutyCatalogue>(obj))
        return obj.cast<DutyCatalogue>();
    if (py::isinstance<py::dict>(obj))
        return DutyCatalogue::from_json(json_dumps(obj), "catalogue");
    if (py::isinstance<py::str>(obj)) {
        const std::string text = obj.cast<std::string>();
        const std::size_t first = text.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && text[first] == '{')
            return DutyCatalogue::from_json(text, "catalogue");
        return DutyCatalogue::preset(text);
    }
    throw py::type_error(
        "catalogue must be a DutyCatalogue, a dict, JSON text or a preset key, not " +
        type_name(obj));
}

std::string time_text(int minute) {
    const int h = minute / 60;
    const int m = minute % 60;
    std::string out =
        (h < 10 ? "0" : "") + std::to_string(h) + ":" + (m < 10 ? "0" : "") + std::to_string(m);
    return out;
}

// One schedule in its JSON form, as the catalogue writes it.
py::object schedule_dict(const DutySchedule& s) {
    DutyCatalogue one;
    one.schedules = {s};
    return json_loads(one.to_json())["schedules"][py::int_(0)];
}

std::string schedule_repr(const DutySchedule& s) {
    std::string out =
        "<DutySchedule " + s.key + " " + recurrence_name(s.every) + " owed by " + s.owner;
    if (!s.level.empty())
        out += " at " + s.level;
    if (s.per == DutyScope::person)
        out += " per person";
    if (s.quota != 1)
        out += ", quota " + std::to_string(s.quota);
    return out + ">";
}

py::dict fulfilment_dict(const DutyFulfilment& f) {
    py::dict d;
    d["id"] = f.id;
    d["duty"] = f.duty;
    d["place"] = f.place;
    d["person"] = f.person;
    d["at"] = from_instant(f.at);
    d["occurrence"] = f.occurrence;
    d["evidence"] = py::cast(f.evidence);
    d["note"] = f.note;
    return d;
}

bool same_fulfilment(const DutyFulfilment& a, const DutyFulfilment& b) {
    return a.id == b.id && a.duty == b.duty && a.place == b.place && a.person == b.person &&
           a.at == b.at && a.occurrence == b.occurrence && a.evidence == b.evidence &&
           a.note == b.note;
}

std::string fulfilment_repr(const DutyFulfilment& f) {
    return "<DutyFulfilment " + f.id + " " + f.duty +
           (f.occurrence.empty() ? "" : " " + f.occurrence) + " at " + f.place + " by " + f.person +
           " " + f.at.to_string() + ">";
}

py::object person_or_none(const std::string& person) {
    return person.empty() ? py::object(py::none()) : py::object(py::str(person));
}

py::dict occurrence_dict(const DutyOccurrence& o) {
    py::dict d;
    d["duty"] = o.duty;
    d["label"] = o.label;
    d["place"] = o.place;
    d["person"] = person_or_none(o.person);
    d["due_date"] = from_date(o.due_date);
    d["due"] = from_instant(o.due);
    d["quota"] = o.quota;
    d["fulfilled"] = o.fulfilled;
    d["on_time"] = o.on_time;
    d["status"] = o.status;
    d["assumed"] = o.assumed;
    d["fulfilments"] = py::cast(o.fulfilments);
    return d;
}

std::string occurrence_repr(const DutyOccurrence& o) {
    return "<DutyOccurrence " + o.duty + " " + o.label + " at " + o.place + " (" +
           (o.person.empty() ? std::string("nobody") : o.person) + ") due " + o.due.to_string() +
           ": " + occurrence_status_name(o.status) + ", " + std::to_string(o.fulfilled) + " of " +
           std::to_string(o.quota) + (o.assumed ? ", assumed" : "") + ">";
}

std::vector<DutyOccurrence> occurrences_arg(py::handle obj) {
    std::vector<DutyOccurrence> out;
    for (py::handle item : py::iter(obj)) {
        if (!py::isinstance<DutyOccurrence>(item))
            throw py::type_error("occurrences must be DutyOccurrence objects, not " +
                                 type_name(item));
        out.push_back(item.cast<DutyOccurrence>());
    }
    return out;
}

// The occurrences of a period read at an instant, of one subject when given (a person id,
// a node code or an overlay unit place).
std::vector<DutyOccurrence> read_occurrences(const DutiesFace& self, const std::string& period,
                                             py::handle as_of, py::handle subject) {
    const AssessmentPeriod p = period_arg(period);
    const Instant at = to_instant(as_of, "as_of");
    const std::optional<std::string> of =
        subject.is_none() ? std::nullopt : std::optional(place_arg(subject, "subject"));
    return self->read(Gil::release, [&](const Workspace& ws) {
        std::vector<DutyOccurrence> all = ws.duties().occurrences(p, at);
        if (!of)
            return all;
        return duty_occurrences_of(all, *of, ws.hierarchy().networks(), ws.directory().view());
    });
}

}  // namespace

void bind_duties(py::module_& m) {
    // ---- enumerations ------------------------------------------------------------------
    py::enum_<Recurrence>(m, "Recurrence",
                          "How often a duty falls due. Where one is taken, its name will do "
                          "too ('weekly', '每周').")
        .value("DAILY", Recurrence::daily)
        .value("WEEKLY", Recurrence::weekly)
        .value("MONTHLY", Recurrence::monthly)
        .value("QUARTERLY", Recurrence::quarterly)
        .value("HALF_YEARLY", Recurrence::half_yearly)
        .value("YEARLY", Recurrence::yearly)
        .def_property_readonly(
            "text", [](Recurrence r) { return std::string(recurrence_name(r)); },
            "The name of the JSON form: 'daily', 'weekly', 'monthly', 'quarterly', "
            "'half_yearly' or 'yearly'.");
    py::enum_<DueShift>(m, "DueShift",
                        "Where a due day that is not a working day moves: EARLIER, LATER or "
                        "NONE (the day stands).")
        .value("EARLIER", DueShift::earlier)
        .value("LATER", DueShift::later)
        .value("NONE", DueShift::none)
        .def_property_readonly(
            "text", [](DueShift s) { return std::string(due_shift_name(s)); },
            "'earlier', 'later' or 'none'.");
    py::enum_<DutyScope>(m, "DutyScope",
                         "Who one occurrence is owed by: NODE (one per node) or PERSON (one "
                         "per post-A holder).")
        .value("NODE", DutyScope::node)
        .value("PERSON", DutyScope::person)
        .def_property_readonly(
            "text", [](DutyScope s) { return std::string(duty_scope_name(s)); },
            "'node' or 'person'.");
    py::enum_<OccurrenceStatus>(m, "OccurrenceStatus",
                                "How an occurrence stands at the instant read: DONE_ON_TIME, "
                                "DONE_LATE, OPEN (not done, not yet due) or MISSED.")
        .value("DONE_ON_TIME", OccurrenceStatus::done_on_time)
        .value("DONE_LATE", OccurrenceStatus::done_late)
        .value("OPEN", OccurrenceStatus::open)
        .value("MISSED", OccurrenceStatus::missed)
        .def_property_readonly(
            "text", [](OccurrenceStatus s) { return std::string(occurrence_status_name(s)); },
            "'done_on_time', 'done_late', 'open' or 'missed'.");

    // ---- the catalogue -----------------------------------------------------------------
    py::class_<DutySchedule>(m, "DutySchedule",
                             "One recurring obligation of a DutyCatalogue (read-only; change "
                             "the catalogue's dict and read it again).")
        .def_readonly("key", &DutySchedule::key)
        .def_readonly("zh", &DutySchedule::label_zh)
        .def_readonly("en", &DutySchedule::label_en)
        .def_readonly("owner", &DutySchedule::owner,
                      "a role code, a duty code or 'function:<f>', held on post A")
        .def_readonly("level", &DutySchedule::level, "'' = every level an owner role is held at")
        .def_readonly("every", &DutySchedule::every, "a Recurrence")
        .def_readonly("weekday", &DutySchedule::weekday,
                      "weekly: 1 (Monday) - 7 (Sunday); 0 = the week's last working day")
        .def_readonly("day", &DutySchedule::day,
                      "monthly and longer: the day of the period's last month; 0 = the last")
        .def_readonly("minute", &DutySchedule::minute,
                      "the minute of the due day it is due by (1440 = the end of the day)")
        .def_property_readonly(
            "time", [](const DutySchedule& s) { return time_text(s.minute); },
            "The due time as 'HH:MM' ('24:00' = the end of the day).")
        .def_readonly("shift", &DutySchedule::shift, "a DueShift")
        .def_readonly("per", &DutySchedule::per, "a DutyScope")
        .def_readonly("quota", &DutySchedule::quota)
        .def_readonly("source", &DutySchedule::source)
        .def("to_dict", &schedule_dict, "The schedule in the catalogue's JSON form.")
        .def(
            "__eq__", [](const DutySchedule& a, const DutySchedule& b) { return a == b; },
            py::is_operator())
        .def("__repr__", &schedule_repr);

    py::class_<DutyCatalogue>(m, "DutyCatalogue",
                              "The duty schedules of a locality: read-only values read from "
                              "JSON (docs/duties.md) or a preset.")
        .def_static(
            "from_json",
            [](py::object json, const std::string& source_name) {
                return DutyCatalogue::from_json(json_arg(json, "json"), source_name);
            },
            py::arg("json"), py::arg("source_name") = "<text>",
            "Reads a catalogue from JSON text or a dict; errors name the source, the schedule "
            "('/schedules/3') and the field (InvalidArgumentError), a repeated key "
            "(AlreadyExistsError), malformed JSON (ParseError).")
        .def_static("preset_keys", &DutyCatalogue::preset_keys,
                    "The built-in catalogues: 'market_supervision_002', 'seed_defaults'.")
        .def_static(
            "preset", [](const std::string& key) { return DutyCatalogue::preset(key); },
            py::arg("key"), "A built-in catalogue; NotFoundError for another key.")
        .def("to_json", &DutyCatalogue::to_json)
        .def(
            "to_dict", [](const DutyCatalogue& c) { return json_loads(c.to_json()); },
            "The catalogue's JSON form as a dict.")
        .def_readonly("key", &DutyCatalogue::key)
        .def_readonly("name", &DutyCatalogue::name)
        .def_readonly("source", &DutyCatalogue::source)
        .def_property_readonly(
            "schedules", [](const DutyCatalogue& c) { return c.schedules; },
            "The schedules (copies), in catalogue order.")
        .def_property_readonly("keys",
                               [](const DutyCatalogue& c) {
                                   std::vector<std::string> out;
                                   for (const DutySchedule& s : c.schedules)
                                       out.push_back(s.key);
                                   return out;
                               })
        .def(
            "find",
            [](const DutyCatalogue& c, const std::string& key) -> std::optional<DutySchedule> {
                const DutySchedule* s = c.find(key);
                return s != nullptr ? std::optional(*s) : std::nullopt;
            },
            py::arg("key"), "The schedule with this key, or None.")
        .def(
            "__getitem__", [](const DutyCatalogue& c, const std::string& key) { return c.at(key); },
            py::arg("key"), "The schedule with this key; NotFoundError naming it otherwise.")
        .def("__contains__",
             [](const DutyCatalogue& c, const std::string& key) { return c.find(key) != nullptr; })
        .def("__len__", [](const DutyCatalogue& c) { return c.schedules.size(); })
        .def(
            "validate",
            [](const DutyCatalogue& c, const WorkspaceHandle& workspace) {
                return workspace.read(Gil::release, [&](const Workspace& ws) {
                    return c.validate(ws.directory().view().catalogue(), ws.hierarchy().networks());
                });
            },
            py::arg("workspace"),
            "Findings against a workspace's role catalogue and networks (duty.duplicate_key, "
            "duty.bad_key, duty.unknown_owner, duty.unknown_level, duty.bad_weekday, "
            "duty.bad_day, duty.bad_time, duty.zero_quota; where = the schedule's key).")
        .def(
            "__eq__", [](const DutyCatalogue& a, const DutyCatalogue& b) { return a == b; },
            py::is_operator())
        .def("__repr__", [](const DutyCatalogue& c) {
            return "<DutyCatalogue " + (c.key.empty() ? std::string("(empty)") : c.key) + " (" +
                   std::to_string(c.schedules.size()) + " schedules)>";
        });

    // ---- fulfilments and occurrences ---------------------------------------------------
    py::class_<DutyFulfilment>(m, "DutyFulfilment",
                               "A fulfilment of a duty: who did it, when, where, with what "
                               "evidence. `at` is an aware datetime in China Standard Time.")
        .def(py::init([](const std::string& id, const std::string& duty, py::object place,
                         const std::string& person, py::object at, py::object occurrence,
                         py::object evidence, py::object note) {
                 DutyFulfilment f;
                 f.id = id;
                 f.duty = duty;
                 f.place = place_arg(place, "DutyFulfilment: place");
                 f.person = person;
                 f.at = to_instant(at, "DutyFulfilment: at");
                 f.occurrence = occurrence.is_none()
                                    ? std::string()
                                    : text_member(occurrence, "DutyFulfilment: occurrence");
                 f.evidence = evidence_arg(evidence, "DutyFulfilment: evidence");
                 f.note =
                     note.is_none() ? std::string() : text_member(note, "DutyFulfilment: note");
                 return f;
             }),
             py::arg("id"), py::arg("duty"), py::arg("place"), py::arg("person"), py::arg("at"),
             py::arg("occurrence") = "", py::arg("evidence") = py::none(), py::arg("note") = "",
             "id: unique among the fulfilments; duty: a schedule key; place: a node code, a "
             "unit place ('market:D01') or a Node; person: a person of the directory; at: a "
             "datetime (naive = China Standard Time), ISO text or seconds; occurrence: the "
             "label it fulfils ('2026-W07'; '' = the period containing `at`); evidence: file "
             "references.")
        .def_readonly("id", &DutyFulfilment::id)
        .def_readonly("duty", &DutyFulfilment::duty)
        .def_readonly("place", &DutyFulfilment::place)
        .def_readonly("person", &DutyFulfilment::person)
        .def_property_readonly("at", [](const DutyFulfilment& f) { return from_instant(f.at); })
        .def_readonly("occurrence", &DutyFulfilment::occurrence)
        .def_readonly("evidence", &DutyFulfilment::evidence)
        .def_readonly("note", &DutyFulfilment::note)
        .def("to_dict", &fulfilment_dict,
             "{'id', 'duty', 'place', 'person', 'at', 'occurrence', 'evidence', 'note'} ('at' "
             "a datetime): what add_fulfilments() takes.")
        .def("__eq__", &same_fulfilment, py::is_operator())
        .def("__repr__", &fulfilment_repr);

    py::class_<DutyOccurrence>(m, "DutyOccurrence",
                               "One occurrence of a duty at a place (per person: for one "
                               "holder), with the fulfilments matched and its status at the "
                               "instant read.")
        .def_readonly("duty", &DutyOccurrence::duty)
        .def_readonly("label", &DutyOccurrence::label,
                      "'2026-W10', '2026-03-15', '2026-03', '2026-Q1', '2026-H1', '2026'")
        .def_readonly("place", &DutyOccurrence::place, "a node code or a unit place")
        .def_property_readonly(
            "person", [](const DutyOccurrence& o) { return person_or_none(o.person); },
            "Who owes it (per node: post A, else a present post B, else the absent post A); "
            "None when nobody holds the post (duty.unheld).")
        .def_property_readonly("due_date",
                               [](const DutyOccurrence& o) { return from_date(o.due_date); })
        .def_property_readonly("due", [](const DutyOccurrence& o) { return from_instant(o.due); })
        .def_readonly("quota", &DutyOccurrence::quota)
        .def_readonly("assumed", &DutyOccurrence::assumed,
                      "the due date rests on a year without published holiday data")
        .def_readonly("fulfilled", &DutyOccurrence::fulfilled,
                      "fulfilments recorded up to the instant read")
        .def_readonly("on_time", &DutyOccurrence::on_time, "of them, made by the due instant")
        .def_readonly("status", &DutyOccurrence::status, "an OccurrenceStatus")
        .def_readonly("fulfilments", &DutyOccurrence::fulfilments,
                      "the ids of the fulfilments, in time order")
        .def("to_dict", &occurrence_dict)
        .def("__repr__", &occurrence_repr);

    // ---- functions ---------------------------------------------------------------------
    m.def(
        "occurrence_label",
        [](py::object every, py::object day) {
            return occurrence_label(recurrence_arg(every), to_date(day, "date"));
        },
        py::arg("every"), py::arg("date"),
        "The label of the occurrence period of `every` (a Recurrence or its name) containing a "
        "date: '2026-W10' (ISO week), '2026-03-15', '2026-03', '2026-Q1', '2026-H1', '2026'.");
    m.def(
        "parse_occurrence_label",
        [](py::object every, const std::string& label) -> py::object {
            const std::optional<Date> d = parse_occurrence_label(recurrence_arg(every), label);
            return d ? from_date(*d) : py::none();
        },
        py::arg("every"), py::arg("label"),
        "The first day of the occurrence period a label names, when occurrence_label() writes "
        "it for `every`; None otherwise ('2026-W54', '2026-3').");
    m.def(
        "duty_values",
        [](py::object occurrences) { return duty_values(occurrences_arg(occurrences)); },
        py::arg("occurrences"),
        "Indicator values of occurrences as {key: IndicatorValue}: duty_due, duty_done, "
        "duty_done_on_time, duty_done_late, duty_missed, duty_open, duty_on_time_rate (%), "
        "duty_shortfall; sources 'duty@label@place'.");
    m.def(
        "duty_findings",
        [](py::object occurrences) { return duty_findings(occurrences_arg(occurrences)); },
        py::arg("occurrences"),
        "The missed occurrences (duty.missed) and those nobody holds (duty.unheld) as "
        "warnings, where = the place.");

    // ---- the duties of a workspace -----------------------------------------------------
    py::class_<DutiesFace>(m, "WorkspaceDuties",
                           "The duties face of a workspace (Workspace.duties): its catalogue, "
                           "the fulfilments recorded and their occurrences. Every change is "
                           "one transaction; a refused change raises and changes nothing.")
        .def_property_readonly(
            "catalogue",
            [](const DutiesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.duties().catalogue(); });
            },
            "A copy of the catalogue (empty, key '', until one is set).")
        .def(
            "set_catalogue",
            [](const DutiesFace& self, py::object catalogue) {
                const DutyCatalogue c = catalogue_arg(catalogue);
                self->write(Gil::release, [&](Workspace& ws) { ws.duties().set_catalogue(c); });
            },
            py::arg("catalogue"),
            "Replaces the catalogue with a DutyCatalogue, a dict, JSON text or a preset key. "
            "InvalidArgumentError names the first error-level finding against the directory's "
            "roles and the networks; InvalidStateError a schedule recorded fulfilments name "
            "that the new catalogue lacks.")
        .def(
            "use_preset",
            [](const DutiesFace& self, const std::string& key) {
                const DutyCatalogue c = DutyCatalogue::preset(key);
                self->write(Gil::release, [&](Workspace& ws) { ws.duties().set_catalogue(c); });
            },
            py::arg("key"), "set_catalogue(DutyCatalogue.preset(key)).")
        .def(
            "fulfilments",
            [](const DutiesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.duties().fulfilments(); });
            },
            "Every fulfilment recorded, in the order recorded (DutyFulfilment copies).")
        .def(
            "add_fulfilments",
            [](const DutiesFace& self, py::object fulfilments) {
                const std::vector<DutyFulfilment> v = fulfilments_arg(fulfilments);
                self->write(Gil::release, [&](Workspace& ws) { ws.duties().add_fulfilments(v); });
                return v.size();
            },
            py::arg("fulfilments"),
            "Records a list of DutyFulfilment objects or dicts ({'id', 'duty', 'place', "
            "'person', 'at', 'occurrence', 'evidence', 'note'}; 'at' ISO text or a datetime) "
            "whole or not at all; returns how many. A refusal names 'fulfilments[i]' and the "
            "field: AlreadyExistsError for an id recorded or repeated, NotFoundError for a duty "
            "outside the catalogue, a place that is not a live node or unit, an unknown person, "
            "InvalidArgumentError for an empty id or a label not of the duty's recurrence.")
        .def(
            "occurrences",
            [](const DutiesFace& self, const std::string& period, py::object as_of,
               py::object subject) { return read_occurrences(self, period, as_of, subject); },
            py::arg("period"), py::arg("as_of"), py::arg("subject") = py::none(),
            "The occurrences due in a period ('2026-02', '2026-Q1', ...) read at an instant, "
            "ordered by schedule, due date and place; of a subject when given (a person id: "
            "those they owe; a node code or Node: those at it or below; a unit place "
            "'market:D01'). NotFoundError for a subject that is none of these.")
        .def(
            "values",
            [](const DutiesFace& self, const std::string& period, py::object as_of,
               py::object subject) {
                const std::vector<DutyOccurrence> o =
                    read_occurrences(self, period, as_of, subject);
                py::gil_scoped_release release;
                return duty_values(o);
            },
            py::arg("period"), py::arg("as_of"), py::arg("subject") = py::none(),
            "duty_values() of occurrences(period, as_of, subject): {key: IndicatorValue}.")
        .def(
            "findings",
            [](const DutiesFace& self, const std::string& period, py::object as_of,
               py::object subject) {
                const std::vector<DutyOccurrence> o =
                    read_occurrences(self, period, as_of, subject);
                py::gil_scoped_release release;
                return duty_findings(o);
            },
            py::arg("period"), py::arg("as_of"), py::arg("subject") = py::none(),
            "duty_findings() of occurrences(period, as_of, subject): duty.missed and "
            "duty.unheld Findings.")
        .def("__repr__",
             [](const DutiesFace& self) { return "<WorkspaceDuties of " + self->path() + ">"; });

    // Workspace.duties: the class is registered by bind_workspace(), which runs first.
    auto workspace =
        py::reinterpret_borrow<py::class_<WorkspaceHandle, Handle>>(m.attr("Workspace"));
    workspace.def_property_readonly(
        "duties",
        [](const Handle& self) {
            self->read(Gil::keep, [](const Workspace&) { return true; });
            return DutiesFace{self};
        },
        "Duties on a schedule: the catalogue, the fulfilments recorded and their occurrences "
        "(a WorkspaceDuties).");
}

}  // namespace gridgov::python
