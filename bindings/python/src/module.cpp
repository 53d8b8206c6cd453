// PYBIND11_MODULE(_gridgov): one init function per domain module, each in bind_<module>.cpp.
#include "bind.hpp"

PYBIND11_MODULE(_gridgov, m) {
    m.doc() = "gridgov native core (use the gridgov package, not this module directly)";
    gridgov::python::bind_core(m);
    gridgov::python::bind_hierarchy(m);
    gridgov::python::bind_workspace(m);
    gridgov::python::bind_calendar(m);
    gridgov::python::bind_directory(m);
    gridgov::python::bind_workflow(m);
    gridgov::python::bind_cases(m);
    gridgov::python::bind_assessment(m);
    gridgov::python::bind_report(m);
}
