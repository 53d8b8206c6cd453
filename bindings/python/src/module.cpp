// PYBIND11_MODULE(_gridgov): one init function per domain module, each in bind_<module>.cpp.
#include <pybind11/numpy.h>

#include <cstdint>

#include "bind.hpp"

namespace {

// Everything the binding would otherwise look up on first use inside a function-local
// static: numpy's C API (pybind11 imports it behind a static guard on the first array),
// the dtypes of the arrays the module returns, and the datetime types. An import run
// inside such a guard may let another thread take the GIL; if that thread then reaches
// the same guard, it waits for it with the GIL held and neither can go on. While this
// module is being imported, no other thread can call into it, so the lookups are done here.
void look_up_lazy_state() {
    namespace py = pybind11;
    py::detail::npy_api::get();
    py::dtype::of<std::uint8_t>();
    py::dtype::of<std::int32_t>();
    py::dtype::of<std::uint32_t>();
    py::dtype::of<std::int64_t>();
    py::dtype::of<double>();
    gridgov::python::dt_api();
}

}  // namespace

PYBIND11_MODULE(_gridgov, m) {
    m.doc() = "gridgov native core (use the gridgov package, not this module directly)";
    look_up_lazy_state();
    gridgov::python::bind_core(m);
    gridgov::python::bind_hierarchy(m);
    gridgov::python::bind_workspace(m);
    gridgov::python::bind_calendar(m);
    gridgov::python::bind_directory(m);
    gridgov::python::bind_workflow(m);
    gridgov::python::bind_audit(m);
    gridgov::python::bind_cases(m);
    gridgov::python::bind_assessment(m);
    gridgov::python::bind_report(m);
    gridgov::python::bind_records(m);
    gridgov::python::bind_duties(m);
    gridgov::python::bind_oversight(m);
}
