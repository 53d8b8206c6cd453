// Core vocabulary for Python: the exception hierarchy, findings, dates and instants.
#include <pybind11/stl.h>

#include "bind.hpp"
#include "core/json_text.hpp"
#include "gridgov/core.hpp"

namespace gridgov::python {
namespace {

// Python classes for each ErrorCode, created in bind_core and looked up by the translator.
py::object error_classes[16];

}  // namespace

void bind_core(py::module_& m) {
    py::object base = py::reinterpret_borrow<py::object>(PyExc_Exception);
    py::object error = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
        "gridgov._gridgov.Error", "Base class of every error gridgov raises.", base.ptr(),
        nullptr));
    m.attr("Error") = error;

    struct Sub {
        ErrorCode code;
        const char* name;
        PyObject* builtin;
    };
    const Sub subs[] = {
        {ErrorCode::invalid_argument, "InvalidArgumentError", PyExc_ValueError},
        {ErrorCode::not_found, "NotFoundError", PyExc_KeyError},
        {ErrorCode::already_exists, "AlreadyExistsError", PyExc_ValueError},
        {ErrorCode::invalid_state, "InvalidStateError", nullptr},
        {ErrorCode::permission_denied, "PermissionDeniedError", PyExc_PermissionError},
        {ErrorCode::parse_error, "ParseError", PyExc_ValueError},
        {ErrorCode::storage, "StorageError", PyExc_OSError},
        {ErrorCode::version_mismatch, "VersionMismatchError", nullptr},
        {ErrorCode::no_data, "NoDataError", nullptr},
        {ErrorCode::internal, "InternalError", nullptr},
    };
    for (int i = 0; i < 16; ++i)
        error_classes[i] = error;
    for (const Sub& s : subs) {
        py::tuple bases = s.builtin != nullptr
                              ? py::make_tuple(error, py::reinterpret_borrow<py::object>(s.builtin))
                              : py::make_tuple(error);
        py::object cls = py::reinterpret_steal<py::object>(PyErr_NewException(
            (std::string("gridgov._gridgov.") + s.name).c_str(), bases.ptr(), nullptr));
        m.attr(s.name) = cls;
        error_classes[static_cast<int>(s.code)] = cls;
    }

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const Error& e) {
            const int idx = static_cast<int>(e.code());
            py::object cls = idx >= 0 && idx < 16 ? error_classes[idx] : error_classes[0];
            // A message quotes input: never let a stray byte turn the error into a
            // UnicodeDecodeError (each shows as \xNN).
            const std::string what = detail::printable_message(e.what());
            py::object exc = cls(what);
            exc.attr("code") = error_code_name(e.code());
            PyErr_SetObject(cls.ptr(), exc.ptr());
        }
    });

    py::enum_<Severity>(m, "Severity")
        .value("INFO", Severity::info)
        .value("WARNING", Severity::warning)
        .value("ERROR", Severity::error);

    py::class_<Finding>(m, "Finding", "A data problem found by validation (never raised).")
        .def_readonly("rule", &Finding::rule)
        .def_readonly("severity", &Finding::severity)
        .def_readonly("where", &Finding::where)
        .def_readonly("message", &Finding::message)
        .def("__repr__", [](const Finding& f) {
            return "<Finding " + f.rule + " " + severity_name(f.severity) + " at " + f.where +
                   ": " + f.message + ">";
        });

    m.def("version", &version, "The library version, e.g. '0.1.0'.");
}

}  // namespace gridgov::python
