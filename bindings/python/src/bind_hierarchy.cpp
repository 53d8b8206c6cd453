#include "bind.hpp"
namespace gridgov::python { void bind_hierarchy(py::module_&) {} }
