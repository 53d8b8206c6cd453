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
// the same workspace meanwhile. A WorkspaceLock per workspace gives the C++ contract (one
// writer, many readers) and adds two rules of its own:
//  - fairness: threads are served in the order they come, readers side by side, so a
//    change waits only for the reads that came before it, and reads that come after it
//    wait for it; neither readers nor writers starve;
//  - batches: a case batch belongs to the thread that opened it. While it is open, every
//    other thread's call (read or change) waits until the batch is committed or rolled
//    back, so no other thread sees its uncommitted work or has a change taken into it;
//    the batch's own thread goes ahead of the waiting threads meanwhile.
// A thread never waits for the lock while it holds the GIL: the holder may need the GIL
// to finish, so waiting with it would deadlock.
#ifndef GRIDGOV_PYTHON_VIEWS_HPP
#define GRIDGOV_PYTHON_VIEWS_HPP

#include <pybind11/numpy.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

// The lock of one workspace (see the top of the file): a fair read-write lock that also
// keeps other threads out while a case batch is open. Threads queue with a ticket and are
// served in ticket order; a reader at the head lets the reader behind it go too. The
// thread that has a batch open never queues: while its batch is open nobody else holds
// the lock, and the queue (whose head is waiting for the batch to end) must not hold it
// up. Its own mutex is held only for a few instructions, never while waiting for the GIL,
// so it may be taken with the GIL held.
class WorkspaceHandle;

// Runs the case observers of `h` on the events queued for them (bind_cases.cpp).
void deliver_case_events(const std::shared_ptr<WorkspaceHandle>& h);

class WorkspaceLock {
  public:
    enum class Mode { shared, exclusive };

    // Takes the lock if that needs no waiting.
    bool try_lock(Mode mode) {
        std::lock_guard guard(mutex_);
        if (goes_ahead(mode)) {
            enter(mode);
            return true;
        }
        if (next_ != serving_ || !may_enter(mode))
            return false;
        ++next_;
        ++serving_;
        enter(mode);
        return true;
    }

    // Waits for the caller's turn. Call it without the GIL.
    void lock(Mode mode) {
        std::unique_lock guard(mutex_);
        if (goes_ahead(mode)) {
            enter(mode);
            return;
        }
        const std::uint64_t ticket = next_++;
        changed_.wait(guard, [&] { return serving_ == ticket && may_enter(mode); });
        ++serving_;
        enter(mode);
        guard.unlock();
        changed_.notify_all();  // a reader right behind a reader may go too
    }

    void unlock(Mode mode) {
        {
            std::lock_guard guard(mutex_);
            if (mode == Mode::exclusive) {
                writer_ = false;
            } else {
                const auto it = std::find(reading_.begin(), reading_.end(), me());
                if (it != reading_.end())
                    reading_.erase(it);
            }
        }
        changed_.notify_all();
    }

    // Whether the calling thread holds a read of this lock.
    bool reading_here() {
        std::lock_guard guard(mutex_);
        return std::find(reading_.begin(), reading_.end(), me()) != reading_.end();
    }

    // Called by the holder of the exclusive lock before it unlocks: whether it left a case
    // batch open (the batch is then its thread's until it closes it).
    void set_batch_open(bool open) {
        std::lock_guard guard(mutex_);
        batch_owner_ = open ? me() : std::thread::id();
    }

  private:
    static std::thread::id me() { return std::this_thread::get_id(); }

    // Whether the caller may enter now. Nobody may while another thread's batch is open.
    bool may_enter(Mode mode) const {
        if (batch_owner_ != std::thread::id() && batch_owner_ != me())
            return false;
        return !writer_ && (mode == Mode::shared || reading_.empty());
    }

    // Callers that enter without queueing: the thread whose batch is open, and a read
    // inside a read of the same thread (queueing it behind a writer that waits for the
    // outer read would deadlock; it holds up nobody the outer read does not hold up).
    bool goes_ahead(Mode mode) const {
        if (batch_owner_ == me())
            return true;
        return mode == Mode::shared &&
               std::find(reading_.begin(), reading_.end(), me()) != reading_.end();
    }

    void enter(Mode mode) {
        if (mode == Mode::exclusive)
            writer_ = true;
        else
            reading_.push_back(me());
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t next_ = 0;                // the ticket the next thread to queue gets
    std::uint64_t serving_ = 0;             // the ticket whose turn it is
    std::vector<std::thread::id> reading_;  // one entry per read held (nested reads repeat)
    bool writer_ = false;
    std::thread::id batch_owner_;  // the thread with a case batch open; none when closed
};

// Holds a WorkspaceLock for one call: tries without waiting first, and waits only with
// the GIL released.
class LockScope {
  public:
    LockScope(WorkspaceLock& lock, WorkspaceLock::Mode mode) : lock_(lock), mode_(mode) {
        if (!lock_.try_lock(mode_)) {
            py::gil_scoped_release release;
            lock_.lock(mode_);
        }
    }
    LockScope(const LockScope&) = delete;
    LockScope& operator=(const LockScope&) = delete;
    ~LockScope() { lock_.unlock(mode_); }

  private:
    WorkspaceLock& lock_;
    WorkspaceLock::Mode mode_;
};

class WorkspaceHandle {
  public:
    explicit WorkspaceHandle(Workspace workspace)
        : path_(workspace.path()), workspace_(std::make_unique<Workspace>(std::move(workspace))) {}
    WorkspaceHandle(const WorkspaceHandle&) = delete;
    WorkspaceHandle& operator=(const WorkspaceHandle&) = delete;
    ~WorkspaceHandle() {
        // The node codes are Python objects: released with the GIL, while there is an
        // interpreter to release them to.
        if (!node_codes_.empty() && Py_IsInitialized() != 0) {
            py::gil_scoped_acquire gil;
            for (PyObject* code : node_codes_)
                Py_XDECREF(code);
        }
    }

    const std::string& path() const { return path_; }

    bool closed() const {
        LockScope lock(lock_, WorkspaceLock::Mode::shared);
        return !workspace_;
    }

    template <class F>
    auto read(Gil gil, F&& f) const {
        follow();
        LockScope lock(lock_, WorkspaceLock::Mode::shared);
        check_open();
        const Workspace& ws = *workspace_;
        return run(gil, [&] { return f(ws); });
    }

    // Applies what other connections committed since the workspace last looked; true when
    // there was anything. The native workspace is opened with follow = false, so that it
    // never changes under a shared lock: it is brought up to date here, under the
    // exclusive lock, before each read. Their events are queued for the case observers.
    bool refresh() {
        Exclusive lock(*this);
        check_open();
        return workspace_->refresh();
    }

    template <class F>
    auto write(Gil gil, F&& f) {
        Exclusive lock(*this);
        check_open();
        Workspace& ws = *workspace_;
        return run(gil, [&] { return f(ws); });
    }

    // The code of each node as a Python str, by NodeId (null where not made yet): made the
    // first time a column of cases needs it and shared by the columns read after. Touched
    // only with the GIL held, inside a read of this workspace.
    std::vector<PyObject*>& node_codes() const { return node_codes_; }

    // Closing twice is harmless, as for Python files.
    void close() {
        Exclusive lock(*this);
        std::unique_ptr<Workspace> gone = std::move(workspace_);
        run(Gil::release, [&] { gone.reset(); });
    }

  private:
    // refresh() before a read, when another connection committed: never inside a read
    // the thread already holds (the exclusive lock would wait for it for ever).
    void follow() const {
        if (lock_.reading_here())
            return;
        {
            LockScope lock(lock_, WorkspaceLock::Mode::shared);
            if (!workspace_ || !workspace_->outdated())
                return;
        }
        const_cast<WorkspaceHandle&>(*this).refresh();
    }

    // The exclusive lock; on release it records whether the change left a case batch open
    // (begin_batch) or closed it (commit, rollback, a failed commit, close).
    class Exclusive {
      public:
        explicit Exclusive(WorkspaceHandle& h)
            : h_(h), scope_(h.lock_, WorkspaceLock::Mode::exclusive) {}
        Exclusive(const Exclusive&) = delete;
        Exclusive& operator=(const Exclusive&) = delete;
        ~Exclusive() {
            h_.lock_.set_batch_open(h_.workspace_ && h_.workspace_->cases().in_batch());
        }

      private:
        WorkspaceHandle& h_;
        LockScope scope_;  // released after the batch state is recorded
    };

    void check_open() const {
        if (!workspace_) {
            throw Error(ErrorCode::invalid_state, "the workspace " + path_ + " is closed");
        }
    }

    std::string path_;
    mutable WorkspaceLock lock_;
    std::unique_ptr<Workspace> workspace_;
    mutable std::vector<PyObject*> node_codes_;
};

// A module's face of a Python Workspace (ws.hierarchy, ws.cases, ws.assessment,
// ws.records): the workspace's handle under a type of its own, so that each face is its own
// Python class while its functions keep the handle's read/write locking.
template <class Tag>
struct Face : std::shared_ptr<WorkspaceHandle> {};
using HierarchyFace = Face<struct HierarchyTag>;
using CasesFace = Face<struct CasesTag>;
using AssessmentFace = Face<struct AssessmentTag>;
using RecordsFace = Face<struct RecordsTag>;

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
            return f(overlay ? ws.hierarchy().overlay(*overlay).units() : ws.hierarchy().view());
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
