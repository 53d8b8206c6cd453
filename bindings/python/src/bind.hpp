// Shared declarations of the pybind11 layer. Not installed.
#ifndef GRIDGOV_PYTHON_BIND_HPP
#define GRIDGOV_PYTHON_BIND_HPP

#include <pybind11/pybind11.h>

#include <string>

#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"

namespace gridgov::python {

namespace py = pybind11;

// ---- conversions shared by the modules (convert.cpp) ----------------------------------

/// Python's datetime types and China Standard Time, looked up once. Created once and never
/// freed: Python objects may not be released after finalisation.
struct DatetimeApi {
    py::object datetime_type;
    py::object date_type;
    py::object timedelta_type;
    py::object cst;
    py::object epoch;  ///< 1970-01-01T08:00+08:00
};
const DatetimeApi& dt_api();

/// A datetime (aware, or naive = China Standard Time), ISO text or seconds since the
/// epoch; TypeError naming `name` otherwise.
Instant to_instant(py::handle obj, const char* name);
/// An aware datetime in China Standard Time.
py::object from_instant(Instant t);
/// os.fspath(path): a str or any path-like object.
std::string fspath(py::handle path);

/// The document format a name gives: "auto", "json", "csv", and "html" when `html`;
/// Error(invalid_argument) naming `what` and the names it takes otherwise.
DocumentFormat document_format(const std::string& name, const char* what, bool html);

void bind_core(py::module_& m);
void bind_hierarchy(py::module_& m);
void bind_workspace(py::module_& m);
void bind_calendar(py::module_& m);
void bind_directory(py::module_& m);
void bind_workflow(py::module_& m);
void bind_audit(py::module_& m);
void bind_cases(py::module_& m);
void bind_assessment(py::module_& m);
void bind_report(py::module_& m);
void bind_records(py::module_& m);
void bind_duties(py::module_& m);
void bind_oversight(py::module_& m);

}  // namespace gridgov::python

#endif
