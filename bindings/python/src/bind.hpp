// Shared declarations of the pybind11 layer. Not installed.
#ifndef GRIDGOV_PYTHON_BIND_HPP
#define GRIDGOV_PYTHON_BIND_HPP

#include <pybind11/pybind11.h>

namespace gridgov::python {

namespace py = pybind11;

void bind_core(py::module_& m);
void bind_hierarchy(py::module_& m);
void bind_workspace(py::module_& m);
void bind_calendar(py::module_& m);
void bind_directory(py::module_& m);
void bind_workflow(py::module_& m);
void bind_cases(py::module_& m);
void bind_assessment(py::module_& m);

}  // namespace gridgov::python

#endif
