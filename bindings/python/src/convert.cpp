// Conversions shared by the modules of the binding (bind.hpp).
#include <cstdint>
#include <string>

#include "bind.hpp"

namespace gridgov::python {

const DatetimeApi& dt_api() {
    static const DatetimeApi* api = [] {
        py::module_ dt = py::module_::import("datetime");
        py::object cst = dt.attr("timezone")(dt.attr("timedelta")(py::arg("hours") = 8), "CST");
        py::object epoch = dt.attr("datetime")(1970, 1, 1, 8, 0, 0, 0, cst);
        return new DatetimeApi{dt.attr("datetime"), dt.attr("date"), dt.attr("timedelta"), cst,
                               epoch};
    }();
    return *api;
}

Instant to_instant(py::handle obj, const char* name) {
    const DatetimeApi& api = dt_api();
    if (py::isinstance(obj, api.datetime_type)) {
        py::object dt = py::reinterpret_borrow<py::object>(obj);
        if (dt.attr("utcoffset")().is_none())
            dt = dt.attr("replace")(py::arg("tzinfo") = api.cst);
        py::object delta = dt - api.epoch;
        // days * 86400 + seconds floors the microseconds away, also before the epoch.
        return Instant{delta.attr("days").cast<std::int64_t>() * 86400 +
                       delta.attr("seconds").cast<std::int64_t>()};
    }
    if (py::isinstance<py::str>(obj)) {
        try {
            return Instant::parse(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), std::string(name) + ": " + e.what());
        }
    }
    if (!PyBool_Check(obj.ptr()) && PyIndex_Check(obj.ptr())) {
        return Instant{
            py::reinterpret_steal<py::int_>(PyNumber_Index(obj.ptr())).cast<std::int64_t>()};
    }
    throw py::type_error(std::string(name) +
                         " must be a datetime.datetime, ISO text or seconds since the epoch, not " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
}

py::object from_instant(Instant t) {
    const DatetimeApi& api = dt_api();
    return api.epoch + api.timedelta_type(py::arg("seconds") = t.seconds);
}

std::string fspath(py::handle path) {
    return py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>();
}

DocumentFormat document_format(const std::string& name, const char* what, bool html) {
    if (name == "auto")
        return DocumentFormat::automatic;
    if (name == "json")
        return DocumentFormat::json;
    if (name == "csv")
        return DocumentFormat::csv;
    if (html && name == "html")
        return DocumentFormat::html;
    throw Error(ErrorCode::invalid_argument,
                "unknown " + std::string(what) + " '" + name +
                    (html ? "' (auto, json, csv, html)" : "' (auto, json, csv)"));
}

}  // namespace gridgov::python
