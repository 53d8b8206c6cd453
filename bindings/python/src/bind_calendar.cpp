// The working calendar for Python: datetimes in and out (naive ones are China Standard
// Time), deadlines vectorised over numpy int64 arrays of seconds since the epoch.
#include <pybind11/numpy.h>
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include "bind.hpp"
#include "gridgov/calendar.hpp"

namespace gridgov::python {
namespace {

// A datetime.date, a datetime.datetime (its CST date) or "YYYY-MM-DD".
Date to_date(py::handle obj, const char* name) {
    const DatetimeApi& api = dt_api();
    if (py::isinstance(obj, api.datetime_type))
        return to_instant(obj, name).local_date();
    if (py::isinstance(obj, api.date_type)) {
        return Date::from_ymd(obj.attr("year").cast<int>(), obj.attr("month").cast<unsigned>(),
                              obj.attr("day").cast<unsigned>());
    }
    if (py::isinstance<py::str>(obj)) {
        try {
            return Date::parse(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), std::string(name) + ": " + e.what());
        }
    }
    throw py::type_error(std::string(name) + " must be a datetime.date or 'YYYY-MM-DD', not " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
}

py::object from_date(Date d) {
    return dt_api().date_type(d.year(), d.month(), d.day());
}

py::object seconds_delta(std::int64_t seconds) {
    return dt_api().timedelta_type(py::arg("seconds") = seconds);
}

WorkingHours to_hours(py::handle obj) {
    if (py::isinstance<WorkingHours>(obj))
        return obj.cast<WorkingHours>();
    if (py::isinstance<py::str>(obj))
        return WorkingHours::parse(obj.cast<std::string>());
    std::string text;
    for (py::handle item : obj) {
        if (!text.empty())
            text += ',';
        text += item.cast<std::string>();
    }
    return WorkingHours::parse(text);
}

std::string limit_repr(const TimeLimit& l) {
    std::string s = "TimeLimit(" + std::to_string(l.value) + ", " + time_unit_name(l.unit);
    if (l.unit == TimeUnit::working_days)
        s += std::string(", ") + working_day_rule_name(l.day_rule);
    return s + ")";
}

}  // namespace

void bind_calendar(py::module_& m) {
    py::enum_<TimeUnit>(m, "TimeUnit", "What a time limit counts.")
        .value("NATURAL_MINUTES", TimeUnit::natural_minutes)
        .value("NATURAL_HOURS", TimeUnit::natural_hours)
        .value("NATURAL_DAYS", TimeUnit::natural_days)
        .value("WORKING_MINUTES", TimeUnit::working_minutes)
        .value("WORKING_HOURS", TimeUnit::working_hours)
        .value("WORKING_DAYS", TimeUnit::working_days);

    py::enum_<WorkingDayRule>(m, "WorkingDayRule", "How a limit in working days is counted.")
        .value("DAY_LENGTH", WorkingDayRule::day_length)
        .value("CLOSE_OF_BUSINESS", WorkingDayRule::close_of_business);

    py::enum_<NoDataPolicy>(m, "NoDataPolicy",
                            "What to do with a year that has no published holiday data.")
        .value("ERROR", NoDataPolicy::error)
        .value("ASSUME_WEEKDAYS", NoDataPolicy::assume_weekdays);

    py::enum_<DayType>(m, "DayType", "Why a day is or is not a working day.")
        .value("WORKDAY", DayType::workday)
        .value("WEEKEND", DayType::weekend)
        .value("HOLIDAY", DayType::holiday)
        .value("MAKEUP_WORKDAY", DayType::makeup_workday);

    py::enum_<Light>(m, "Light", "Traffic light of a timed step.")
        .value("GREEN", Light::green)
        .value("YELLOW", Light::yellow)
        .value("RED", Light::red);

    py::class_<WorkingHours>(m, "WorkingHours",
                             "The working periods of one day, e.g. '08:30-12:00,14:00-17:30'.")
        .def(py::init<>())
        .def(py::init([](py::object periods) { return to_hours(periods); }), py::arg("periods"),
             "From '08:30-12:00,14:00-17:30' or a list of 'HH:MM-HH:MM' strings.")
        .def_property_readonly(
            "periods",
            [](const WorkingHours& h) {
                std::vector<std::pair<int, int>> out;
                for (const WorkingPeriod& p : h.periods()) {
                    out.emplace_back(p.start_minute, p.end_minute);
                }
                return out;
            },
            "(start_minute, end_minute) pairs, minutes after midnight.")
        .def_property_readonly("minutes", &WorkingHours::minutes)
        .def("__str__", &WorkingHours::to_string)
        .def("__repr__",
             [](const WorkingHours& h) { return "WorkingHours('" + h.to_string() + "')"; })
        .def(py::self == py::self)
        .def(py::self != py::self);

    py::class_<Season>(m, "Season", "Working hours for a recurring part of the year.")
        .def(py::init([](std::string name, const std::string& from_day, const std::string& until,
                         py::object hours) {
                 return Season{std::move(name), MonthDay::parse(from_day), MonthDay::parse(until),
                               to_hours(hours)};
             }),
             py::arg("name"), py::arg("from_day"), py::arg("until"), py::arg("hours"))
        .def_readonly("name", &Season::name)
        .def_property_readonly("from_day", [](const Season& s) { return s.from.to_string(); })
        .def_property_readonly("until", [](const Season& s) { return s.until.to_string(); })
        .def_readonly("hours", &Season::hours)
        .def("__repr__", [](const Season& s) {
            return "Season('" + s.name + "', '" + s.from.to_string() + "', '" +
                   s.until.to_string() + "', '" + s.hours.to_string() + "')";
        });

    py::class_<WorkingSchedule>(m, "WorkingSchedule",
                                "Standard working hours, optionally switched by season.")
        .def(py::init([](py::object hours, std::vector<Season> seasons) {
                 return WorkingSchedule(hours.is_none() ? WorkingHours() : to_hours(hours),
                                        std::move(seasons));
             }),
             py::arg("hours") = py::none(), py::arg("seasons") = std::vector<Season>{})
        .def_static("from_json", &WorkingSchedule::from_json, py::arg("json"))
        .def("to_json", &WorkingSchedule::to_json)
        .def_property_readonly("standard", &WorkingSchedule::standard)
        .def_property_readonly("seasons", &WorkingSchedule::seasons)
        .def(
            "hours_on",
            [](const WorkingSchedule& s, py::object d) { return s.hours_on(to_date(d, "date")); },
            py::arg("date"));

    py::class_<TimeLimit>(m, "TimeLimit",
                          "A time-limit rule as data: TimeLimit(4, TimeUnit.WORKING_HOURS).")
        .def(py::init([](std::int64_t value, TimeUnit unit, WorkingDayRule rule) {
                 TimeLimit l{value, unit, rule};
                 l.validate();
                 return l;
             }),
             py::arg("value"), py::arg("unit") = TimeUnit::working_hours,
             py::arg("day_rule") = WorkingDayRule::day_length)
        .def_readonly("value", &TimeLimit::value)
        .def_readonly("unit", &TimeLimit::unit)
        .def_readonly("day_rule", &TimeLimit::day_rule)
        .def_property_readonly("counts_working_time", &TimeLimit::counts_working_time)
        .def_static("from_json", &TimeLimit::from_json, py::arg("json"))
        .def("to_json", &TimeLimit::to_json)
        .def("__repr__", &limit_repr)
        .def(py::self == py::self)
        .def(py::self != py::self);

    py::class_<DayInfo>(m, "DayInfo", "What the calendar knows about one date.")
        .def_property_readonly("date", [](const DayInfo& d) { return from_date(d.date); })
        .def_readonly("type", &DayInfo::type)
        .def_readonly("working", &DayInfo::working)
        .def_readonly("published", &DayInfo::published)
        .def_readonly("local", &DayInfo::local)
        .def_readonly("working_minutes", &DayInfo::working_minutes)
        .def_readonly("name", &DayInfo::name)
        .def("__repr__", [](const DayInfo& d) {
            return "<DayInfo " + d.date.to_string() + " " + day_type_name(d.type) +
                   (d.working ? " working" : " rest") + (d.published ? "" : " unpublished") +
                   (d.name.empty() ? "" : " " + d.name) + ">";
        });

    py::class_<YearInfo>(m, "YearInfo", "A holiday year file as loaded.")
        .def_readonly("year", &YearInfo::year)
        .def_readonly("published", &YearInfo::published)
        .def_readonly("listed_days", &YearInfo::listed_days)
        .def_readonly("papers", &YearInfo::papers)
        .def("__repr__", [](const YearInfo& y) {
            return "<YearInfo " + std::to_string(y.year) +
                   (y.published ? " published" : " unpublished") + ">";
        });

    py::class_<DeadlineReport>(m, "DeadlineReport",
                               "A deadline and the years it assumed the weekday rule for.")
        .def_property_readonly("deadline",
                               [](const DeadlineReport& r) { return from_instant(r.deadline); })
        .def_readonly("assumed_years", &DeadlineReport::assumed_years);

    py::class_<WorkingTimeReport>(m, "WorkingTimeReport",
                                  "Working time and the years it assumed the weekday rule for.")
        .def_readonly("seconds", &WorkingTimeReport::seconds)
        .def_property_readonly("working_time",
                               [](const WorkingTimeReport& r) { return seconds_delta(r.seconds); })
        .def_readonly("assumed_years", &WorkingTimeReport::assumed_years);

    py::class_<WorkingCalendar>(
        m, "WorkingCalendar",
        "Working days and hours from the national holiday notices, local overrides and a "
        "schedule; deadlines and working time in O(log n).")
        .def(py::init<>(), "The built-in holiday data and the default schedule.")
        .def_static("without_data", &WorkingCalendar::without_data,
                    "A calendar with no holiday data: every year unpublished.")
        .def_static("from_json", &WorkingCalendar::from_json, py::arg("json"),
                    py::arg("source") = "<json>",
                    "Only the given data: a year file or a JSON array of year files.")
        .def_property_readonly_static(
            "covered",
            [](py::object) {
                const Period p = WorkingCalendar::covered();
                return py::make_tuple(from_date(p.from), from_date(p.to));
            },
            "(first date, first date after) of the span the calendar covers.")
        .def("add_year_json", &WorkingCalendar::add_year_json, py::arg("json"),
             py::arg("source") = "<json>")
        .def("load_year_file", &WorkingCalendar::load_year_file, py::arg("path"))
        .def("add_overrides_json", &WorkingCalendar::add_overrides_json, py::arg("json"),
             py::arg("source") = "<json>")
        .def("load_overrides_file", &WorkingCalendar::load_overrides_file, py::arg("path"))
        .def(
            "add_override",
            [](WorkingCalendar& c, py::object d, bool off_day, std::string name) {
                c.add_override(DayOverride{to_date(d, "date"), off_day, std::move(name)});
            },
            py::arg("date"), py::arg("off_day") = true, py::arg("name") = "")
        .def("clear_overrides", &WorkingCalendar::clear_overrides)
        .def_property_readonly(
            "overrides",
            [](const WorkingCalendar& c) {
                py::list out;
                for (const DayOverride& o : c.overrides()) {
                    out.append(py::make_tuple(from_date(o.date), o.off_day, o.name));
                }
                return out;
            },
            "(date, off_day, name) of every local override.")
        .def_property("schedule", &WorkingCalendar::schedule, &WorkingCalendar::set_schedule)
        .def("is_published", &WorkingCalendar::is_published, py::arg("year"))
        .def("years", &WorkingCalendar::years)
        .def(
            "day", [](const WorkingCalendar& c, py::object d) { return c.day(to_date(d, "date")); },
            py::arg("date"))
        .def(
            "is_working_day",
            [](const WorkingCalendar& c, py::object d) {
                return c.is_working_day(to_date(d, "date"));
            },
            py::arg("date"))
        .def(
            "working_day_length",
            [](const WorkingCalendar& c, py::object d) {
                return seconds_delta(c.working_day_length(to_date(d, "date")));
            },
            py::arg("date"))
        .def(
            "deadline",
            [](const WorkingCalendar& c, py::object start, const TimeLimit& limit) {
                return from_instant(c.deadline(to_instant(start, "start"), limit));
            },
            py::arg("start"), py::arg("limit"),
            "When the limit runs out; raises NoDataError across a year without data.")
        .def(
            "deadline_report",
            [](const WorkingCalendar& c, py::object start, const TimeLimit& limit,
               NoDataPolicy policy) {
                return c.deadline_report(to_instant(start, "start"), limit, policy);
            },
            py::arg("start"), py::arg("limit"), py::arg("no_data") = NoDataPolicy::assume_weekdays)
        .def(
            "working_time_between",
            [](const WorkingCalendar& c, py::object a, py::object b) {
                return seconds_delta(
                    c.working_time_between(to_instant(a, "a"), to_instant(b, "b")));
            },
            py::arg("a"), py::arg("b"), "Working time in [a, b) as a timedelta.")
        .def(
            "working_time_report",
            [](const WorkingCalendar& c, py::object a, py::object b, NoDataPolicy policy) {
                return c.working_time_report(to_instant(a, "a"), to_instant(b, "b"), policy);
            },
            py::arg("a"), py::arg("b"), py::arg("no_data") = NoDataPolicy::assume_weekdays)
        .def(
            "add_working_seconds",
            [](const WorkingCalendar& c, py::object start, std::int64_t seconds,
               NoDataPolicy policy) {
                return c.add_working_seconds(to_instant(start, "start"), seconds, policy);
            },
            py::arg("start"), py::arg("seconds"), py::arg("no_data") = NoDataPolicy::error)
        .def(
            "deadlines",
            [](const WorkingCalendar& c,
               py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> starts,
               const TimeLimit& limit) {
                py::array_t<std::int64_t> out(starts.size());
                const std::int64_t* in = starts.data();
                std::int64_t* result = out.mutable_data();
                const auto n = static_cast<std::size_t>(starts.size());
                {
                    py::gil_scoped_release release;
                    c.deadlines(in, n, limit, result, NoDataPolicy::error);
                }
                return out;
            },
            py::arg("starts"), py::arg("limit"),
            "deadline() over an int64 array of seconds since the epoch; raises NoDataError.")
        .def(
            "deadlines_report",
            [](const WorkingCalendar& c,
               py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> starts,
               const TimeLimit& limit, NoDataPolicy policy) {
                py::array_t<std::int64_t> out(starts.size());
                const std::int64_t* in = starts.data();
                std::int64_t* result = out.mutable_data();
                const auto n = static_cast<std::size_t>(starts.size());
                std::vector<int> assumed;
                {
                    py::gil_scoped_release release;
                    assumed = c.deadlines(in, n, limit, result, policy);
                }
                return py::make_tuple(out, assumed);
            },
            py::arg("starts"), py::arg("limit"), py::arg("no_data") = NoDataPolicy::assume_weekdays,
            "(deadlines, assumed_years) over an int64 array of seconds since the epoch.");

    py::class_<LightThresholds>(m, "LightThresholds",
                                "Shares of the limit at which the light turns yellow and red.")
        .def(py::init([](double yellow, double red) {
                 LightThresholds t{yellow, red};
                 t.validate();
                 return t;
             }),
             py::arg("yellow") = 0.8, py::arg("red") = 1.0)
        .def_readonly("yellow", &LightThresholds::yellow)
        .def_readonly("red", &LightThresholds::red);

    py::class_<ClockStatus>(m, "ClockStatus", "A step clock read at one instant.")
        .def_readonly("working_time", &ClockStatus::working_time)
        .def_property_readonly("limit", [](const ClockStatus& s) { return seconds_delta(s.limit); })
        .def_property_readonly("elapsed",
                               [](const ClockStatus& s) { return seconds_delta(s.elapsed); })
        .def_property_readonly("remaining",
                               [](const ClockStatus& s) { return seconds_delta(s.remaining); })
        .def_property_readonly("overdue_by",
                               [](const ClockStatus& s) { return seconds_delta(s.overdue_by); })
        .def_property_readonly("deadline",
                               [](const ClockStatus& s) { return from_instant(s.deadline); })
        .def_readonly("paused", &ClockStatus::paused)
        .def_readonly("overdue", &ClockStatus::overdue)
        .def_readonly("light", &ClockStatus::light)
        .def_readonly("assumed_years", &ClockStatus::assumed_years)
        .def("__repr__", [](const ClockStatus& s) {
            return std::string("<ClockStatus ") + light_name(s.light) + " elapsed " +
                   std::to_string(s.elapsed) + " s of " + std::to_string(s.limit) + " s" +
                   (s.paused ? " paused" : "") + (s.overdue ? " overdue" : "") + ">";
        });

    py::class_<StepClock>(m, "StepClock",
                          "The clock of one timed step: start, limit, suspensions, extensions.")
        .def(py::init([](py::object start, const TimeLimit& limit, LightThresholds thresholds) {
                 return StepClock(to_instant(start, "start"), limit, thresholds);
             }),
             py::arg("start"), py::arg("limit"), py::arg("thresholds") = LightThresholds{})
        .def(
            "pause", [](StepClock& c, py::object at) { c.pause(to_instant(at, "at")); },
            py::arg("at"), "Suspends the clock (挂账).")
        .def(
            "resume", [](StepClock& c, py::object at) { c.resume(to_instant(at, "at")); },
            py::arg("at"))
        .def(
            "extend",
            [](StepClock& c, py::object at, const TimeLimit& amount) {
                c.extend(to_instant(at, "granted_at"), amount);
            },
            py::arg("granted_at"), py::arg("amount"))
        .def_property("thresholds", &StepClock::thresholds, &StepClock::set_thresholds)
        .def_property_readonly("start", [](const StepClock& c) { return from_instant(c.start()); })
        .def_property_readonly("limit", &StepClock::limit)
        .def_property_readonly("paused", &StepClock::paused)
        .def_property_readonly(
            "pauses",
            [](const StepClock& c) {
                py::list out;
                for (const ClockPause& p : c.pauses()) {
                    out.append(py::make_tuple(from_instant(p.from), p.to == Instant::max()
                                                                        ? py::object(py::none())
                                                                        : from_instant(p.to)));
                }
                return out;
            },
            "(from, to) of every suspension; to is None while suspended.")
        .def_property_readonly(
            "extensions",
            [](const StepClock& c) {
                py::list out;
                for (const ClockExtension& e : c.extensions()) {
                    out.append(py::make_tuple(from_instant(e.granted_at), e.amount));
                }
                return out;
            })
        .def(
            "status",
            [](const StepClock& c, const WorkingCalendar& cal, py::object now,
               NoDataPolicy policy) { return c.status(cal, to_instant(now, "now"), policy); },
            py::arg("calendar"), py::arg("now"), py::arg("no_data") = NoDataPolicy::error);
}

}  // namespace gridgov::python
