// The workspace's case engine, loaded over the workspace's file. The engine writes through
// to the file on its own (src/store/case_store.cpp); Workspace::cases() hands it out.
#include "cases/storage.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

// ---- the workspace's load step -----------------------------------------------------------

void Workspace::Impl::load_cases() {
    cases = detail::load_case_engine(hierarchy, directory, overlays, *this);
}

}  // namespace gridgov
