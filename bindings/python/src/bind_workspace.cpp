#include "bind.hpp"
namespace gridgov::python { void bind_workspace(py::module_&) {} }
