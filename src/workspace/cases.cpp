// The workspace's case engine: loading it over the workspace's file, and the Workspace's
// case functions. The engine writes through to the file on its own (src/cases/store.cpp).
#include "cases/storage.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

// ---- the workspace's load step -----------------------------------------------------------

void Workspace::Impl::load_cases() {
    cases = detail::load_case_engine(hierarchy, directory, *this);
}

// ---- the Workspace's case functions ------------------------------------------------------

}  // namespace gridgov
