// Assessment in Python: schemes, indicator values, scores with their explanations, ranking,
// aggregation, rule flags, the activity log, inspection draws, and the Workspace methods
// that store activity records, scores, flags and draws and write the public notice.
//
// Periods are text everywhere ("2026-03", "2026-Q1", "2026-H1", "2026"); explanations and
// score components are plain dicts (the JSON formats of docs/assessment.md).
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/workspace.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

using Handle = std::shared_ptr<WorkspaceHandle>;

// A list of scores; to_pandas() gives one row per score.
struct ScoreList {
    std::vector<ScoreResult> items;
};

py::object json_loads(const std::string& text) {
    return py::module_::import("json").attr("loads")(text);
}

AssessmentPeriod period_arg(const std::string& text, const char* what) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": " + e.what());
    }
}

// A value argument: an IndicatorValue, or a number (defined, no sources).
IndicatorValue indicator_value(py::handle obj, const std::string& key) {
    if (py::isinstance<IndicatorValue>(obj))
        return obj.cast<IndicatorValue>();
    if (py::isinstance<py::float_>(obj) || py::isinstance<py::int_>(obj)) {
        if (py::isinstance<py::bool_>(obj))
            throw py::type_error("indicator '" + key + "': a bool is not a value");
        return IndicatorValue::of(obj.cast<double>());
    }
    throw py::type_error("indicator '" + key +
                         "': expected a number or an IndicatorValue (IndicatorValue.undefined("
                         "reason) for an undefined one), not " +
                         type_name(obj));
}

IndicatorValues indicator_values(py::handle obj) {
    IndicatorValues out;
    if (obj.is_none())
        return out;
    for (auto item : obj.cast<py::dict>()) {
        const std::string key = item.first.cast<std::string>();
        out.emplace(key, indicator_value(item.second, key));
    }
    return out;
}

// Scores from a ScoreList or any iterable of ScoreResult.
std::vector<ScoreResult> score_vector(py::handle obj) {
    if (py::isinstance<ScoreList>(obj))
        return obj.cast<const ScoreList&>().items;
    std::vector<ScoreResult> out;
    for (py::handle item : py::iter(obj))
        out.push_back(item.cast<ScoreResult>());
    return out;
}

std::vector<RuleFlag> flag_vector(py::handle obj) {
    std::vector<RuleFlag> out;
    for (py::handle item : py::iter(obj))
        out.push_back(item.cast<RuleFlag>());
    return out;
}

Instant instant_arg(py::handle obj, const char* what) {
    std::string text;
    if (py::isinstance<py::str>(obj)) {
        text = obj.cast<std::string>();
    } else if (py::hasattr(obj, "isoformat")) {
        text = obj.attr("isoformat")(py::arg("timespec") = "seconds").cast<std::string>();
    } else {
        throw py::type_error(std::string(what) + ": expected a datetime or ISO text, not " +
                             type_name(obj));
    }
    try {
        return Instant::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": " + e.what());
    }
}

HouseholdClass household_class(const std::string& text) {
    if (text == "ordinary")
        return HouseholdClass::ordinary;
    if (text == "special")
        return HouseholdClass::special;
    throw Error(ErrorCode::invalid_argument,
                "household class '" + text + "' is not ordinary or special");
}

VisitKind visit_kind(const std::string& text) {
    if (text == "home")
        return VisitKind::home;
    if (text == "phone")
        return VisitKind::phone;
    throw Error(ErrorCode::invalid_argument, "visit kind '" + text + "' is not home or phone");
}

std::vector<std::string> grid_list(py::handle obj) {
    if (py::isinstance<py::str>(obj))
        return {obj.cast<std::string>()};
    return obj.cast<std::vector<std::string>>();
}

py::list households_of(const ActivityLog& log, bool reveal) {
    py::list out;
    for (const Household& h : log.households()) {
        py::dict d;
        d["id"] = h.id;
        d["grid"] = h.grid;
        d["cls"] = household_class_name(h.cls);
        if (reveal)
            d["categories"] = h.categories;
        else
            d["categories"] =
                h.categories.empty() ? std::vector<std::string>{} : std::vector<std::string>{"***"};
        out.append(d);
    }
    return out;
}

// A score list as a DataFrame: one row per score, components' points as columns.
py::object scores_frame(const std::vector<ScoreResult>& items) {
    py::object pd = py::module_::import("gridgov._frames").attr("_pandas")();
    std::vector<std::string> keys;
    for (const ScoreResult& r : items) {
        for (const ComponentResult& c : r.components) {
            if (std::find(keys.begin(), keys.end(), c.key) == keys.end())
                keys.push_back(c.key);
        }
    }
    py::dict cols;
    py::list scheme, subject, level, area_class, period, total, grade, failing, rank, peers;
    std::map<std::string, py::list> comp;
    const py::object nan = py::float_(std::numeric_limits<double>::quiet_NaN());
    for (const ScoreResult& r : items) {
        scheme.append(r.scheme);
        subject.append(r.subject.code);
        level.append(r.subject.level);
        area_class.append(r.subject.area_class);
        period.append(r.period.label());
        total.append(r.total ? py::object(py::float_(*r.total)) : nan);
        grade.append(r.grade);
        failing.append(r.failing);
        rank.append(r.rank);
        peers.append(r.peers);
        for (const std::string& k : keys) {
            auto it = std::find_if(r.components.begin(), r.components.end(),
                                   [&](const ComponentResult& c) { return c.key == k; });
            comp[k].append(
                it != r.components.end() && it->points ? py::object(py::float_(*it->points)) : nan);
        }
    }
    cols["scheme"] = scheme;
    cols["subject"] = subject;
    cols["level"] = level;
    cols["area_class"] = area_class;
    cols["period"] = period;
    cols["total"] = total;
    cols["grade"] = grade;
    cols["failing"] = failing;
    cols["rank"] = rank;
    cols["peers"] = peers;
    for (const std::string& k : keys)
        cols[py::str("points." + k)] = comp[k];
    return pd.attr("DataFrame")(cols);
}

NoticeOptions notice_options(const std::string& title, const std::string& issuer,
                             py::object names) {
    NoticeOptions o;
    o.title = title;
    o.issuer = issuer;
    if (!names.is_none())
        o.names = names.cast<std::map<std::string, std::string>>();
    return o;
}

template <class F>
auto change(const Handle& self, F&& f) {
    return self->write(Gil::release, [&](Workspace& ws) { return f(ws); });
}

}  // namespace

void bind_assessment(py::module_& m) {
    // ---- values ------------------------------------------------------------------------
    py::class_<IndicatorValue>(m, "IndicatorValue",
                               "An indicator value: a number, or undefined with the reason; "
                               "sources are the ids of the records behind it.")
        .def(py::init([](std::optional<double> value, std::string reason,
                         std::vector<std::string> sources) {
                 if (!value && reason.empty())
                     throw Error(ErrorCode::invalid_argument,
                                 "an undefined indicator value needs a reason");
                 return value ? IndicatorValue::of(*value, std::move(sources))
                              : IndicatorValue::undefined(std::move(reason), std::move(sources));
             }),
             py::arg("value"), py::arg("reason") = "",
             py::arg("sources") = std::vector<std::string>{})
        .def_static("of", &IndicatorValue::of, py::arg("value"),
                    py::arg("sources") = std::vector<std::string>{})
        .def_static("undefined", &IndicatorValue::undefined, py::arg("reason"),
                    py::arg("sources") = std::vector<std::string>{})
        .def_readonly("value", &IndicatorValue::value)
        .def_readonly("reason", &IndicatorValue::reason)
        .def_readonly("sources", &IndicatorValue::sources)
        .def_property_readonly("defined", &IndicatorValue::defined)
        .def("__eq__", [](const IndicatorValue& a, const IndicatorValue& b) { return a == b; })
        .def("__repr__", [](const IndicatorValue& v) {
            return v.defined() ? "<IndicatorValue " + std::to_string(*v.value) + ">"
                               : "<IndicatorValue undefined: " + v.reason + ">";
        });

    // ---- schemes -----------------------------------------------------------------------
    py::class_<AssessmentScheme>(m, "AssessmentScheme",
                                 "An assessment scheme (immutable): indicators, components, "
                                 "weights, grades, aggregations and rules.")
        .def_static("from_json", &AssessmentScheme::from_json, py::arg("json"),
                    py::arg("source") = "<json>",
                    "Loads and validates; InvalidArgumentError lists every error, ParseError "
                    "for text that is not JSON.")
        .def_static("preset", &AssessmentScheme::preset, py::arg("key"),
                    "A built-in scheme (preset_keys()); NotFoundError for another key.")
        .def_static("preset_keys", &AssessmentScheme::preset_keys)
        .def_static("validate_json", &AssessmentScheme::validate_json, py::arg("json"),
                    py::arg("source") = "<json>",
                    "Every finding of a scheme document, errors and warnings.")
        .def_property_readonly("key", &AssessmentScheme::key)
        .def_property_readonly("label", &AssessmentScheme::label)
        .def_property_readonly("version", &AssessmentScheme::version)
        .def_property_readonly(
            "period", [](const AssessmentScheme& s) { return period_kind_name(s.period()); })
        .def_property_readonly("max_total", &AssessmentScheme::max_total)
        .def_property_readonly("findings", &AssessmentScheme::warnings,
                               "The warnings found when the scheme was loaded.")
        .def_property_readonly("indicators",
                               [](const AssessmentScheme& s) {
                                   std::vector<std::string> keys;
                                   for (const IndicatorSpec& i : s.indicators())
                                       keys.push_back(i.key);
                                   return keys;
                               })
        .def_property_readonly("grades",
                               [](const AssessmentScheme& s) {
                                   py::list out;
                                   for (const GradeBand& g : s.grades()) {
                                       py::dict d;
                                       d["key"] = g.key;
                                       d["label"] = g.label;
                                       d["min"] = g.min;
                                       d["failing"] = g.failing;
                                       out.append(d);
                                   }
                                   return out;
                               })
        .def_property_readonly("json", &AssessmentScheme::json)
        .def("__repr__", [](const AssessmentScheme& s) {
            return "<AssessmentScheme " + s.key() + " v" + std::to_string(s.version()) + ">";
        });

    // ---- scores ------------------------------------------------------------------------
    py::class_<ScoreResult>(m, "ScoreResult", "The score of one subject for one period.")
        .def_readonly("scheme", &ScoreResult::scheme)
        .def_property_readonly("subject", [](const ScoreResult& r) { return r.subject.code; })
        .def_property_readonly("level", [](const ScoreResult& r) { return r.subject.level; })
        .def_property_readonly("area_class",
                               [](const ScoreResult& r) { return r.subject.area_class; })
        .def_property_readonly("period", [](const ScoreResult& r) { return r.period.label(); })
        .def_readonly("total", &ScoreResult::total, "None when undefined (see note).")
        .def_readonly("grade", &ScoreResult::grade)
        .def_readonly("failing", &ScoreResult::failing)
        .def_readonly("rank", &ScoreResult::rank)
        .def_readonly("peers", &ScoreResult::peers)
        .def_readonly("note", &ScoreResult::note)
        .def_readonly("missing", &ScoreResult::missing)
        .def_property_readonly(
            "components",
            [](const ScoreResult& r) {
                py::object all = json_loads(score_to_json(r));
                return py::object(all["components"]);
            },
            "The components as dicts (key, label, status, base, points, weight, weighted, "
            "note, inputs, adjustments).")
        .def("to_json", &score_to_json)
        .def("to_dict", [](const ScoreResult& r) { return json_loads(score_to_json(r)); })
        .def_static("from_json", &score_from_json, py::arg("json"))
        .def("explain",
             [](const ScoreResult& r) { return json_loads(explanation_to_json(explain(r))); })
        .def("__repr__", [](const ScoreResult& r) {
            return "<ScoreResult " + r.scheme + " " + r.subject.code + " " + r.period.label() +
                   " " + (r.total ? std::to_string(*r.total) + " " + r.grade : "undefined") + ">";
        });

    py::class_<ScoreList>(m, "ScoreList", "A list of scores (Workspace.scores()).")
        .def(py::init([](py::object items) { return ScoreList{score_vector(items)}; }),
             py::arg("scores"))
        .def("__len__", [](const ScoreList& l) { return l.items.size(); })
        .def("__getitem__",
             [](const ScoreList& l, std::ptrdiff_t i) {
                 const auto n = static_cast<std::ptrdiff_t>(l.items.size());
                 if (i < 0)
                     i += n;
                 if (i < 0 || i >= n)
                     throw py::index_error("score index out of range");
                 return l.items[static_cast<std::size_t>(i)];
             })
        .def("__iter__",
             [](const ScoreList& l) {
                 py::list out;
                 for (const ScoreResult& r : l.items)
                     out.append(py::cast(r));
                 return py::iter(out);
             })
        .def("to_json", [](const ScoreList& l) { return scores_to_json(l.items); })
        .def("to_csv", [](const ScoreList& l) { return scores_to_csv(l.items); })
        .def(
            "to_pandas", [](const ScoreList& l) { return scores_frame(l.items); },
            "One row per score (scheme, subject, level, area_class, period, total, grade, "
            "failing, rank, peers, points.<component>); needs pandas.")
        .def("__repr__", [](const ScoreList& l) {
            return "<ScoreList of " + std::to_string(l.items.size()) + " scores>";
        });

    m.def(
        "score",
        [](const AssessmentScheme& scheme, const std::string& subject, const std::string& period,
           py::object values, const std::string& level, const std::string& area_class) {
            ScoreInput input;
            input.subject = {subject, level, area_class};
            input.period = period_arg(period, "period");
            input.values = indicator_values(values);
            return score(scheme, input);
        },
        py::arg("scheme"), py::arg("subject"), py::arg("period"), py::arg("values") = py::none(),
        py::arg("level") = "", py::arg("area_class") = "",
        "Scores a subject for a period from {indicator key: number or IndicatorValue}.");
    m.def(
        "explain", [](const ScoreResult& r) { return json_loads(explanation_to_json(explain(r))); },
        py::arg("result"), "The explanation tree as nested dicts.");
    m.def(
        "rank",
        [](py::object results) {
            if (py::isinstance<ScoreList>(results)) {
                rank(results.cast<ScoreList&>().items);
                return;
            }
            std::vector<ScoreResult*> held;
            std::vector<ScoreResult> copy;
            for (py::handle item : py::iter(results)) {
                ScoreResult& r = item.cast<ScoreResult&>();
                held.push_back(&r);
                copy.push_back(r);
            }
            rank(copy);
            for (std::size_t i = 0; i < held.size(); ++i) {
                held[i]->rank = copy[i].rank;
                held[i]->peers = copy[i].peers;
            }
        },
        py::arg("results"),
        "Ranks scores within peer groups (level, area class), setting rank and peers in place.");
    m.def(
        "aggregate",
        [](const AssessmentScheme& scheme, const std::string& key, const std::string& subject,
           const std::string& period, py::object history, const std::string& level,
           const std::string& area_class) {
            return aggregate(scheme, key, AssessmentSubject{subject, level, area_class},
                             period_arg(period, "period"), score_vector(history));
        },
        py::arg("scheme"), py::arg("key"), py::arg("subject"), py::arg("period"),
        py::arg("history"), py::arg("level") = "", py::arg("area_class") = "",
        "The score of a longer period from shorter-period results by aggregation `key`.");

    py::class_<RuleFlag>(m, "RuleFlag", "A consecutive-period rule that fired.")
        .def(py::init([](std::string rule, std::string subject, const std::string& period,
                         int streak, std::string label, std::vector<std::string> periods) {
                 RuleFlag f;
                 f.rule = std::move(rule);
                 f.subject = std::move(subject);
                 f.period = period_arg(period, "period");
                 f.streak = streak;
                 f.label = std::move(label);
                 f.periods = std::move(periods);
                 return f;
             }),
             py::arg("rule"), py::arg("subject"), py::arg("period"), py::arg("streak"),
             py::arg("label") = "", py::arg("periods") = std::vector<std::string>{})
        .def_readonly("rule", &RuleFlag::rule)
        .def_readonly("label", &RuleFlag::label)
        .def_readonly("subject", &RuleFlag::subject)
        .def_property_readonly("period", [](const RuleFlag& f) { return f.period.label(); })
        .def_readonly("streak", &RuleFlag::streak)
        .def_readonly("periods", &RuleFlag::periods)
        .def("__repr__", [](const RuleFlag& f) {
            return "<RuleFlag " + f.rule + " " + f.subject + " " + f.period.label() + " x" +
                   std::to_string(f.streak) + ">";
        });
    m.def(
        "evaluate_rules",
        [](const AssessmentScheme& scheme, py::object history) {
            return evaluate_rules(scheme, score_vector(history));
        },
        py::arg("scheme"), py::arg("history"),
        "Applies the scheme's consecutive-period rules to a history of scores.");

    // ---- draws -------------------------------------------------------------------------
    py::class_<DrawRecord>(m, "DrawRecord", "An inspection draw with everything to re-run it.")
        .def_readonly("algorithm", &DrawRecord::algorithm)
        .def_property_readonly("seed", [](const DrawRecord& d) { return d.spec.seed; })
        .def_property_readonly("candidates", [](const DrawRecord& d) { return d.spec.candidates; })
        .def_property_readonly("count", [](const DrawRecord& d) { return d.spec.count; })
        .def_property_readonly("strata", [](const DrawRecord& d) { return d.spec.strata; })
        .def_property_readonly("avoid", [](const DrawRecord& d) { return d.spec.avoid; })
        .def_readonly("picks", &DrawRecord::picks)
        .def("to_json", &draw_to_json)
        .def_static("from_json", &draw_from_json, py::arg("json"))
        .def("__eq__", [](const DrawRecord& a, const DrawRecord& b) { return a == b; })
        .def("__repr__", [](const DrawRecord& d) {
            return "<DrawRecord seed " + std::to_string(d.spec.seed) + ", " +
                   std::to_string(d.picks.size()) + " of " +
                   std::to_string(d.spec.candidates.size()) + ">";
        });
    m.def(
        "draw",
        [](std::uint64_t seed, std::vector<std::string> candidates, std::size_t count,
           std::vector<std::string> strata, std::vector<std::string> avoid) {
            DrawSpec spec;
            spec.seed = seed;
            spec.candidates = std::move(candidates);
            spec.count = count;
            spec.strata = std::move(strata);
            spec.avoid = std::move(avoid);
            return draw(spec);
        },
        py::arg("seed"), py::arg("candidates"), py::arg("count"),
        py::arg("strata") = std::vector<std::string>{},
        py::arg("avoid") = std::vector<std::string>{},
        "Draws `count` of `candidates` (one per stratum first, never one of `avoid`).");
    m.def("verify_draw", &verify_draw, py::arg("record"),
          "Re-runs a recorded draw; True when it gives the recorded picks.");

    py::class_<StoredDraw>(m, "StoredDraw", "A draw recorded in a workspace.")
        .def_readonly("label", &StoredDraw::label)
        .def_readonly("record", &StoredDraw::record)
        .def_readonly("verified", &StoredDraw::verified,
                      "Whether it re-ran to its picks when the workspace was opened.")
        .def("__repr__", [](const StoredDraw& d) {
            return "<StoredDraw " + d.label + (d.verified ? " verified>" : " NOT verified>");
        });

    // ---- activity log ------------------------------------------------------------------
    py::class_<ActivityLog>(m, "ActivityLog",
                            "Activity records of grid work in memory and the indicators drawn "
                            "from them.")
        .def(py::init<>())
        .def(
            "add_household",
            [](ActivityLog& log, std::string id, std::string grid, const std::string& cls,
               std::vector<std::string> categories) {
                log.add(Household{std::move(id), std::move(grid), household_class(cls),
                                  std::move(categories)});
            },
            py::arg("id"), py::arg("grid"), py::arg("cls") = "ordinary",
            py::arg("categories") = std::vector<std::string>{})
        .def(
            "add_visit",
            [](ActivityLog& log, std::string id, std::string household, std::string person,
               const std::string& kind, py::object date) {
                log.add(Visit{std::move(id), std::move(household), std::move(person),
                              visit_kind(kind), to_date(date, "date")});
            },
            py::arg("id"), py::arg("household"), py::arg("person"), py::arg("kind"),
            py::arg("date"))
        .def(
            "add_patrol",
            [](ActivityLog& log, std::string id, std::string person, std::string grid,
               py::object start, py::object end) {
                log.add(Patrol{std::move(id), std::move(person), std::move(grid),
                               instant_arg(start, "start"), instant_arg(end, "end")});
            },
            py::arg("id"), py::arg("person"), py::arg("grid"), py::arg("start"), py::arg("end"))
        .def(
            "add_collection_check",
            [](ActivityLog& log, std::string id, std::string grid, const std::string& month,
               std::int64_t checked, std::int64_t not_collected, std::int64_t not_deregistered,
               std::int64_t erroneous) {
                log.add(CollectionCheck{std::move(id), std::move(grid), period_arg(month, "month"),
                                        checked, not_collected, not_deregistered, erroneous});
            },
            py::arg("id"), py::arg("grid"), py::arg("month"), py::arg("checked"),
            py::arg("not_collected") = 0, py::arg("not_deregistered") = 0, py::arg("erroneous") = 0)
        .def(
            "add_attendance",
            [](ActivityLog& log, std::string id, std::string person, py::object date) {
                log.add(Attendance{std::move(id), std::move(person), to_date(date, "date")});
            },
            py::arg("id"), py::arg("person"), py::arg("date"))
        .def(
            "add_special_task",
            [](ActivityLog& log, std::string id, std::string person, py::object due,
               py::object done) {
                std::optional<Date> d;
                if (!done.is_none())
                    d = to_date(done, "done");
                log.add(SpecialTask{std::move(id), std::move(person), to_date(due, "due"), d});
            },
            py::arg("id"), py::arg("person"), py::arg("due"), py::arg("done") = py::none())
        .def(
            "add_manual_rating",
            [](ActivityLog& log, std::string id, std::string subject, const std::string& period,
               double points, std::string rater) {
                log.add(ManualRating{std::move(id), std::move(subject),
                                     period_arg(period, "period"), points, std::move(rater)});
            },
            py::arg("id"), py::arg("subject"), py::arg("period"), py::arg("points"),
            py::arg("rater") = "")
        .def("__len__", &ActivityLog::size)
        .def("__contains__", &ActivityLog::contains)
        .def("households", &households_of, py::arg("reveal") = false,
             "The households as dicts; special-group categories are masked as '***' unless "
             "reveal=True.")
        .def("households_csv", &households_to_csv, py::arg("reveal") = false)
        .def_property_readonly("counts",
                               [](const ActivityLog& log) {
                                   py::dict d;
                                   d["households"] = log.households().size();
                                   d["visits"] = log.visits().size();
                                   d["patrols"] = log.patrols().size();
                                   d["collection"] = log.collection_checks().size();
                                   d["attendance"] = log.attendance().size();
                                   d["tasks"] = log.tasks().size();
                                   d["ratings"] = log.ratings().size();
                                   return d;
                               })
        .def(
            "patrol_compliance",
            [](const ActivityLog& log, const std::string& person, const std::string& period,
               const WorkingCalendar& calendar, int per_day, int min_minutes) {
                return log.patrol_compliance(person, period_arg(period, "period"), calendar,
                                             PatrolRule{per_day, min_minutes});
            },
            py::arg("person"), py::arg("period"), py::arg("calendar"), py::arg("per_day") = 2,
            py::arg("min_minutes") = 30)
        .def(
            "visit_compliance",
            [](const ActivityLog& log, py::object grids, const std::string& period,
               std::optional<std::string> cls) {
                std::optional<HouseholdClass> c;
                if (cls)
                    c = household_class(*cls);
                return log.visit_compliance(grid_list(grids), period_arg(period, "period"), c);
            },
            py::arg("grids"), py::arg("period"), py::arg("cls") = py::none())
        .def(
            "collection_rate",
            [](const ActivityLog& log, py::object grids, const std::string& period) {
                return log.collection_rate(grid_list(grids), period_arg(period, "period"));
            },
            py::arg("grids"), py::arg("period"))
        .def(
            "attendance_rate",
            [](const ActivityLog& log, const std::string& person, const std::string& period,
               const WorkingCalendar& calendar) {
                return log.attendance_rate(person, period_arg(period, "period"), calendar);
            },
            py::arg("person"), py::arg("period"), py::arg("calendar"))
        .def(
            "tasks_assigned",
            [](const ActivityLog& log, const std::string& person, const std::string& period) {
                return log.tasks_assigned(person, period_arg(period, "period"));
            },
            py::arg("person"), py::arg("period"))
        .def(
            "tasks_done",
            [](const ActivityLog& log, const std::string& person, const std::string& period) {
                return log.tasks_done(person, period_arg(period, "period"));
            },
            py::arg("person"), py::arg("period"))
        .def(
            "mean_rating",
            [](const ActivityLog& log, const std::string& subject, const std::string& period) {
                return log.mean_rating(subject, period_arg(period, "period"));
            },
            py::arg("subject"), py::arg("period"))
        .def(
            "grid_worker_indicators",
            [](const ActivityLog& log, const std::string& person, py::object grids,
               const std::string& period, const WorkingCalendar& calendar) {
                return log.grid_worker_indicators(person, grid_list(grids),
                                                  period_arg(period, "period"), calendar);
            },
            py::arg("person"), py::arg("grids"), py::arg("period"), py::arg("calendar"),
            "The grid_worker preset's indicators from the log, as {key: IndicatorValue}.");

    py::class_<ActivityImportReport>(m, "ActivityImportReport", "What an activity import did.")
        .def_property_readonly(
            "table", [](const ActivityImportReport& r) { return activity_table_name(r.table); })
        .def_readonly("records", &ActivityImportReport::records)
        .def("__repr__", [](const ActivityImportReport& r) {
            return std::string("<ActivityImportReport ") + activity_table_name(r.table) + ", " +
                   std::to_string(r.records) + " records>";
        });

    // ---- indicators from cases -------------------------------------------------------------
    m.def(
        "case_indicator_definitions",
        [] {
            py::list out;
            for (const CaseIndicatorDefinition& d : case_indicator_definitions()) {
                py::dict e;
                e["key"] = d.key;
                e["label"] = d.label;
                e["unit"] = d.unit;
                e["definition"] = d.definition;
                e["denominator"] = d.denominator;
                out.append(e);
            }
            return out;
        },
        "Every case indicator key with its label, unit, definition and denominator.");

    // ---- Workspace -----------------------------------------------------------------------
    auto face = py::reinterpret_borrow<py::class_<AssessmentFace>>(m.attr("WorkspaceAssessment"));
    face.def_property_readonly(
            "activities",
            [](const AssessmentFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.assessment().activities(); });
            },
            "A copy of the workspace's activity records (an ActivityLog).")
        .def(
            "import_file",
            [](const AssessmentFace& self, py::object path, const std::string& table,
               py::object progress) {
                const std::string p = fspath(path);
                const ActivityTable t = parse_activity_table(table);
                if (progress.is_none()) {
                    return change(self,
                                  [&](Workspace& ws) { return ws.assessment().import_file(p, t); });
                }
                // The callback runs Python: keep the GIL (it must not use this workspace).
                const ProgressFn fn = [&](std::size_t done, std::size_t total) {
                    return progress(done, total).cast<bool>();
                };
                return self->write(Gil::keep, [&](Workspace& ws) {
                    return ws.assessment().import_file(p, t, fn);
                });
            },
            py::arg("path"), py::arg("table") = "automatic", py::arg("progress") = py::none(),
            "Imports one CSV file of activity records (table by the file's name unless given); "
            "a bad row raises naming the file, row and field, and nothing is imported. "
            "progress(done, total) returning False cancels.")
        .def(
            "import_text",
            [](const AssessmentFace& self, const std::string& text, const std::string& table,
               const std::string& source_name) {
                const ActivityTable t = parse_activity_table(table);
                return change(self, [&](Workspace& ws) {
                    return ws.assessment().import_text(text, t, source_name);
                });
            },
            py::arg("text"), py::arg("table") = "automatic", py::arg("source_name") = "<text>")
        .def(
            "add_household",
            [](const AssessmentFace& self, std::string id, std::string grid, const std::string& cls,
               std::vector<std::string> categories) {
                const Household h{std::move(id), std::move(grid), household_class(cls),
                                  std::move(categories)};
                change(self, [&](Workspace& ws) { ws.assessment().add_household(h); });
            },
            py::arg("id"), py::arg("grid"), py::arg("cls") = "ordinary",
            py::arg("categories") = std::vector<std::string>{})
        .def(
            "add_visit",
            [](const AssessmentFace& self, std::string id, std::string household,
               std::string person, const std::string& kind, py::object date) {
                const Visit v{std::move(id), std::move(household), std::move(person),
                              visit_kind(kind), to_date(date, "date")};
                change(self, [&](Workspace& ws) { ws.assessment().add_visit(v); });
            },
            py::arg("id"), py::arg("household"), py::arg("person"), py::arg("kind"),
            py::arg("date"))
        .def(
            "add_patrol",
            [](const AssessmentFace& self, std::string id, std::string person, std::string grid,
               py::object start, py::object end) {
                const Patrol p{std::move(id), std::move(person), std::move(grid),
                               instant_arg(start, "start"), instant_arg(end, "end")};
                change(self, [&](Workspace& ws) { ws.assessment().add_patrol(p); });
            },
            py::arg("id"), py::arg("person"), py::arg("grid"), py::arg("start"), py::arg("end"))
        .def(
            "add_collection_check",
            [](const AssessmentFace& self, std::string id, std::string grid,
               const std::string& month, std::int64_t checked, std::int64_t not_collected,
               std::int64_t not_deregistered, std::int64_t erroneous) {
                const CollectionCheck c{std::move(id), std::move(grid), period_arg(month, "month"),
                                        checked,       not_collected,   not_deregistered,
                                        erroneous};
                change(self, [&](Workspace& ws) { ws.assessment().add_collection_check(c); });
            },
            py::arg("id"), py::arg("grid"), py::arg("month"), py::arg("checked"),
            py::arg("not_collected") = 0, py::arg("not_deregistered") = 0, py::arg("erroneous") = 0)
        .def(
            "add_attendance",
            [](const AssessmentFace& self, std::string id, std::string person, py::object date) {
                const Attendance a{std::move(id), std::move(person), to_date(date, "date")};
                change(self, [&](Workspace& ws) { ws.assessment().add_attendance(a); });
            },
            py::arg("id"), py::arg("person"), py::arg("date"))
        .def(
            "add_special_task",
            [](const AssessmentFace& self, std::string id, std::string person, py::object due,
               py::object done) {
                std::optional<Date> d;
                if (!done.is_none())
                    d = to_date(done, "done");
                const SpecialTask t{std::move(id), std::move(person), to_date(due, "due"), d};
                change(self, [&](Workspace& ws) { ws.assessment().add_special_task(t); });
            },
            py::arg("id"), py::arg("person"), py::arg("due"), py::arg("done") = py::none())
        .def(
            "add_manual_rating",
            [](const AssessmentFace& self, std::string id, std::string subject,
               const std::string& period, double points, std::string rater) {
                const ManualRating r{std::move(id), std::move(subject),
                                     period_arg(period, "period"), points, std::move(rater)};
                change(self, [&](Workspace& ws) { ws.assessment().add_manual_rating(r); });
            },
            py::arg("id"), py::arg("subject"), py::arg("period"), py::arg("points"),
            py::arg("rater") = "")
        .def(
            "store_scores",
            [](const AssessmentFace& self, py::object results) {
                const std::vector<ScoreResult> v = score_vector(results);
                change(self, [&](Workspace& ws) { ws.assessment().store_scores(v); });
            },
            py::arg("results"),
            "Stores scores with their explanations; a stored score of the same scheme, subject "
            "and period is replaced.")
        .def(
            "scores",
            [](const AssessmentFace& self, const std::string& scheme, const std::string& subject,
               std::optional<std::string> since, std::optional<std::string> until) {
                ScoreFilter f;
                f.scheme = scheme;
                f.subject = subject;
                if (since)
                    f.from = period_arg(*since, "since");
                if (until)
                    f.to = period_arg(*until, "until");
                return ScoreList{self->read(
                    Gil::release, [&](const Workspace& ws) { return ws.assessment().scores(f); })};
            },
            py::arg("scheme") = "", py::arg("subject") = "", py::arg("since") = py::none(),
            py::arg("until") = py::none(),
            "Stored scores by scheme, subject and period range (periods inside [since's first "
            "day, until's last day]), ordered by scheme, subject and period.")
        .def(
            "case_indicators",
            [](const AssessmentFace& self, const std::string& code, const std::string& period,
               const std::string& kind, std::vector<std::string> grids) {
                const AssessmentPeriod p = period_arg(period, "period");
                IndicatorSubject subject;
                subject.kind = parse_indicator_subject_kind(kind);
                subject.code = code;
                subject.grids = std::move(grids);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return case_indicators(ws.cases(), subject, p);
                });
            },
            py::arg("code"), py::arg("period"), py::arg("kind") = "node",
            py::arg("grids") = std::vector<std::string>{},
            "The case indicators of a node's subtree, a department, a person or an overlay "
            "unit (kind='unit', code a place such as 'fire:M1': the cases of the grids it "
            "covers) for a period, as {key: IndicatorValue} with the case numbers behind each "
            "value.")
        .def(
            "assess",
            [](const AssessmentFace& self, const AssessmentScheme& scheme,
               const std::string& period, std::optional<std::string> select,
               std::optional<std::string> level, std::vector<std::string> subjects,
               std::vector<std::string> roles, const std::string& default_area_class,
               py::object extra, bool store, std::optional<std::string> units,
               std::optional<std::string> unit_level, py::object duties_at) {
                const AssessmentPeriod p = period_arg(period, "period");
                WorkspaceAssessOptions options;
                // select=None: a subject list when one is given, else the units of an overlay
                // when one is named, else every node of a level.
                const std::string kind = select.value_or(!subjects.empty() ? "list"
                                                         : units           ? "units"
                                                                           : "level");
                if (kind == "level") {
                    options.level = level.value_or("");
                } else if (kind == "departments") {
                    options.departments = true;
                } else if (kind == "grid_workers") {
                    options.grid_workers = true;
                    options.worker_level = level.value_or("grid");
                } else if (kind == "units") {
                    if (!units || units->empty())
                        throw Error(ErrorCode::invalid_argument,
                                    "select='units' needs units=, the key of an overlay");
                } else if (kind != "list") {
                    throw Error(ErrorCode::invalid_argument,
                                "select '" + kind +
                                    "' is not level, departments, grid_workers, units or list");
                }
                if (level && kind != "level" && kind != "grid_workers")
                    throw Error(ErrorCode::invalid_argument,
                                "level: only with select='level' or 'grid_workers' (the units "
                                "of an overlay take unit_level)");
                // Units given beside another kind are refused by assess() (two kinds given).
                options.units = units.value_or("");
                options.unit_level = unit_level.value_or("");
                options.subjects = std::move(subjects);
                options.roles = std::move(roles);
                options.default_area_class = default_area_class;
                if (!extra.is_none()) {
                    for (auto item : extra.cast<py::dict>())
                        options.extra.emplace(item.first.cast<std::string>(),
                                              indicator_values(item.second));
                }
                if (!duties_at.is_none())
                    options.duties_at = to_instant(duties_at, "duties_at");
                options.store = store;
                AssessmentRun run =
                    store ? change(self,
                                   [&](Workspace& ws) {
                                       return ws.assessment().assess(scheme, p, options);
                                   })
                          : self->read(Gil::release, [&](const Workspace& ws) {
                                return ws.assessment().assess(scheme, p, options);
                            });
                return py::make_tuple(ScoreList{std::move(run.scores)}, std::move(run.flags));
            },
            py::arg("scheme"), py::arg("period"), py::arg("select") = py::none(),
            py::arg("level") = py::none(), py::arg("subjects") = std::vector<std::string>{},
            py::arg("roles") = std::vector<std::string>{}, py::arg("default_area_class") = "",
            py::arg("extra") = py::none(), py::arg("store") = false, py::arg("units") = py::none(),
            py::arg("unit_level") = py::none(), py::arg("duties_at") = py::none(),
            "Scores the selected subjects of the workspace for a period, ranked, with the rule "
            "flags over the scheme's scores stored for every other period (options: "
            "docs/assessment.md, 'Assessing a workspace'). select: 'level' (with level; the "
            "default), 'departments', 'grid_workers' (with level, default 'grid', and roles), "
            "'units' (every unit of the overlay units=, of unit_level when given; the default "
            "when units is given) or 'list' (node codes or overlay unit places such as "
            "'fire:M1' in subjects; the default when subjects are given). A unit's level is "
            "'overlay:level' ('fire:medium'). default_area_class: for nodes without one. "
            "extra: {subject code: {key: value}}. duties_at: the instant a scheme's duty_* "
            "indicators are read at (default the end of the period; docs/duties.md). "
            "store=True stores the scores and flags. "
            "Returns (ScoreList, [RuleFlag]).")
        .def(
            "store_rule_flags",
            [](const AssessmentFace& self, const std::string& scheme, py::object flags) {
                const std::vector<RuleFlag> v = flag_vector(flags);
                change(self, [&](Workspace& ws) { ws.assessment().store_rule_flags(scheme, v); });
            },
            py::arg("scheme"), py::arg("flags"))
        .def(
            "rule_flags",
            [](const AssessmentFace& self, const std::string& scheme, const std::string& subject) {
                return self->read(Gil::keep, [&](const Workspace& ws) {
                    return ws.assessment().rule_flags(scheme, subject);
                });
            },
            py::arg("scheme") = "", py::arg("subject") = "")
        .def(
            "record_draw",
            [](const AssessmentFace& self, const std::string& label, const DrawRecord& record) {
                change(self, [&](Workspace& ws) { ws.assessment().record_draw(label, record); });
            },
            py::arg("label"), py::arg("record"),
            "Records a draw under a label (never replaced; the record must verify).")
        .def(
            "draws",
            [](const AssessmentFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.assessment().draws(); });
            },
            "Every recorded draw (StoredDraw), in recording order.")
        .def(
            "notice_html",
            [](const AssessmentFace& self, const AssessmentScheme& scheme,
               const std::string& period, const std::string& title, const std::string& issuer,
               py::object names) {
                const NoticeOptions o = notice_options(title, issuer, names);
                const AssessmentPeriod p = period_arg(period, "period");
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.assessment().notice_html(scheme, p, o);
                });
            },
            py::arg("scheme"), py::arg("period"), py::arg("title") = "", py::arg("issuer") = "",
            py::arg("names") = py::none(),
            "The public notice (通报) of the stored scores of a scheme for a period.")
        .def(
            "export_notice",
            [](const AssessmentFace& self, py::object path, const AssessmentScheme& scheme,
               const std::string& period, const std::string& title, const std::string& issuer,
               py::object names) {
                const std::string file = fspath(path);
                const NoticeOptions o = notice_options(title, issuer, names);
                const AssessmentPeriod p = period_arg(period, "period");
                self->read(Gil::release, [&](const Workspace& ws) {
                    ws.assessment().export_notice(file, scheme, p, o);
                    return true;
                });
            },
            py::arg("path"), py::arg("scheme"), py::arg("period"), py::arg("title") = "",
            py::arg("issuer") = "", py::arg("names") = py::none());
}

}  // namespace gridgov::python
