// Shared by bind_hierarchy.cpp and bind_workspace.cpp: the native object behind
// gridgov.Workspace and the views (Hierarchy, Node, Overlay) that point into it.
//
// Lifetime: a view holds a shared_ptr to the WorkspaceHandle, never a reference into the
// Workspace, and looks the hierarchy up again on every call. Views therefore stay safe
// when the Python Workspace object is collected first, and raise InvalidStateError once
// the workspace has been closed. Snapshots (Hierarchy.as_of, Hierarchy.snapshot) own an
// immutable Hierarchy instead.
//
// Locking: the GIL is released around heavy work, so a second Python thread may call into
// the same workspace meanwhile. A shared_mutex per workspace gives the C++ contract (one
// writer, many readers). A thread never waits for that mutex while it holds the GIL: the
// holder may need the GIL to finish, so waiting with it would deadlock.
#ifndef GRIDGOV_PYTHON_VIEWS_HPP
#define GRIDGOV_PYTHON_VIEWS_HPP

#include <pybind11/numpy.h>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bind.hpp"
#include "gridgov/hierarchy.hpp"
#include "gridgov/workspace.hpp"

namespace gridgov::python {

enum class Gil { keep, release };

// Runs f, with the GIL released when asked. f must not touch Python objects.
template <class F>
auto run(Gil gil, F&& f) {
    if (gil == Gil::release) {
        py::gil_scoped_release release;
        return f();
    }
    return f();
}

template <class Lock>
void acquire(Lock& lock) {
    if (lock.try_lock())
        return;
    py::gil_scoped_release release;
    lock.lock();
}

class WorkspaceHandle {
  public:
    explicit WorkspaceHandle(Workspace workspace)
        : path_(workspace.path()), workspace_(std::make_unique<Workspace>(std::move(workspace))) {}

    const std::string& path() const { return path_; }

    bool closed() const {
        std::shared_lock lock(mutex_, std::defer_lock);
        acquire(lock);
        return !workspace_;
    }

    template <class F>
    auto read(Gil gil, F&& f) const {
        std::shared_lock lock(mutex_, std::defer_lock);
        acquire(lock);
        check_open();
        const Workspace& ws = *workspace_;
        return run(gil, [&] { return f(ws); });
    }

    template <class F>
    auto write(Gil gil, F&& f) {
        std::unique_lock lock(mutex_, std::defer_lock);
        acquire(lock);
        check_open();
        Workspace& ws = *workspace_;
        return run(gil, [&] { return f(ws); });
    }

    // Closing twice is harmless, as for Python files.
    void close() {
        std::unique_lock lock(mutex_, std::defer_lock);
        acquire(lock);
        std::unique_ptr<Workspace> gone = std::move(workspace_);
        run(Gil::release, [&] { gone.reset(); });
    }

  private:
    void check_open() const {
        if (!workspace_) {
            throw Error(ErrorCode::invalid_state, "the workspace " + path_ + " is closed");
        }
    }

    std::string path_;
    mutable std::shared_mutex mutex_;
    std::unique_ptr<Workspace> workspace_;
};

// A hierarchy seen from Python: the base hierarchy or an overlay's units inside a
// workspace, or an owned immutable snapshot.
struct HierarchyView {
    std::shared_ptr<WorkspaceHandle> workspace;
    std::optional<std::string> overlay;
    std::shared_ptr<const Hierarchy> snapshot;

    template <class F>
    auto read(Gil gil, F&& f) const {
        using R = std::invoke_result_t<F&, const Hierarchy&>;
        if (snapshot) {
            const Hierarchy& h = *snapshot;
            return run(gil, [&]() -> R { return f(h); });
        }
        return workspace->read(gil, [&](const Workspace& ws) -> R {
            return f(overlay ? ws.overlay(*overlay).units() : ws.hierarchy());
        });
    }

    bool same_source(const HierarchyView& o) const {
        return workspace == o.workspace && overlay == o.overlay && snapshot == o.snapshot;
    }
};

struct NodeView {
    HierarchyView hierarchy;
    NodeId id = no_node;
};

struct OverlayView {
    std::shared_ptr<WorkspaceHandle> workspace;
    std::string key;
};

// A node argument before it is resolved: an id (range-checked later) or a code.
using NodeRef = std::variant<long long, std::string>;

// Reads an id (int or anything with __index__), a code (str) or a Node. Needs the GIL and
// no workspace lock, because __index__ may run Python code.
NodeRef node_ref(py::handle obj);
// Resolves under the caller's lock; no Python. Throws not_found naming the id or code.
NodeId resolve(const Hierarchy& h, const NodeRef& ref);
std::vector<NodeRef> node_refs(py::handle iterable);

// Dates: datetime.date or "YYYY-MM-DD" text in; datetime.date (None for the open ends) out.
Date to_date(py::handle obj, const char* what);
Date to_date_or(py::handle obj, Date fallback, const char* what);
py::object from_date(Date d);

// The name of a Python object's type, for TypeError messages.
std::string type_name(py::handle obj);

// A LevelScheme, a built-in scheme name or a list of Level objects.
LevelScheme level_scheme(py::handle obj);
// None (the defaults), a ValidationPolicy, a SizingPolicy or a sizing preset name.
ValidationPolicy validation_policy(py::handle obj);

// A numpy array that owns `values`; read-only when asked.
template <class T>
py::array_t<T> owning_array(std::vector<T>&& values, bool read_only) {
    auto heap = std::make_unique<std::vector<T>>(std::move(values));
    py::capsule owner(heap.get(), [](void* p) { delete static_cast<std::vector<T>*>(p); });
    std::vector<T>* v = heap.release();
    py::array_t<T> a(static_cast<py::ssize_t>(v->size()), v->data(), owner);
    if (read_only)
        a.attr("setflags")(py::arg("write") = false);
    return a;
}

}  // namespace gridgov::python

#endif
