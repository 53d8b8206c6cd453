// Cases on gridgov.Workspace: report(), the Case view and fire(), ticks, batches, queries
// (lists, numpy ids, counts, columns, pandas), the event log and its verification,
// observers, the calendar the clocks count on, and the import of past cases.
//
// Observers. The engine calls its observers while the command that committed the event
// still holds the workspace's write lock. A Python callable run there could not read the
// workspace (the lock is not re-entrant), so the engine's observer only queues the event
// (plain C++, no GIL needed) and the Python callables run right after the lock is released,
// with the GIL held, before report()/fire()/tick()/commit_batch() return. Events are
// delivered once, in sequence order; one thread delivers at a time. A callable that raises
// follows the C++ observer rule: the event stays committed, the next observer still runs,
// and the failure is recorded for Workspace.take_observer_failures().
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/plans.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

// A progress callback for work that runs without the GIL: `progress(done, total)` is called
// with the GIL held; a false return cancels the work, and so does an exception, which is
// kept in `raised` for the caller to throw once the work has stopped. None gives no callback.
std::function<bool(std::size_t, std::size_t)> progress_callback(
    const py::object& progress, std::optional<py::error_already_set>& raised) {
    if (progress.is_none())
        return {};
    return [&progress, &raised](std::size_t done, std::size_t total) {
        py::gil_scoped_acquire gil;
        try {
            const py::object go = progress(done, total);
            return go.is_none() || go.cast<bool>();
        } catch (py::error_already_set& e) {
            raised = std::move(e);
            return false;
        }
    };
}

using Handle = std::shared_ptr<WorkspaceHandle>;

// ---- instants ------------------------------------------------------------------------------

py::object from_optional_instant(std::optional<Instant> t) {
    if (!t || *t == Instant::max() || *t == Instant::min())
        return py::none();
    return from_instant(*t);
}

py::object seconds(std::int64_t s) {
    return dt_api().timedelta_type(py::arg("seconds") = s);
}

py::object text_or_none(const std::string& s) {
    return s.empty() ? py::object(py::none()) : py::object(py::str(s));
}

std::string text(py::handle obj, const char* name) {
    if (obj.is_none())
        return {};
    if (!py::isinstance<py::str>(obj))
        throw py::type_error(std::string(name) + " must be a str or None, not " + type_name(obj));
    return obj.cast<std::string>();
}

std::vector<std::string> texts(py::handle obj, const char* name) {
    std::vector<std::string> out;
    if (obj.is_none())
        return out;
    if (py::isinstance<py::str>(obj)) {
        out.push_back(obj.cast<std::string>());
        return out;
    }
    for (py::handle item : py::iter(obj))
        out.push_back(text(item, name));
    return out;
}

// ---- command arguments --------------------------------------------------------------------

Command command_arg(py::handle obj) {
    if (py::isinstance<Command>(obj))
        return obj.cast<Command>();
    if (py::isinstance<py::str>(obj))
        return parse_command(obj.cast<std::string>());
    throw py::type_error("a command is a Command or its name ('dispatch'), not " + type_name(obj));
}

CaseSource source_arg(py::handle obj) {
    if (py::isinstance<CaseSource>(obj))
        return obj.cast<CaseSource>();
    return parse_case_source(text(obj, "source"));
}

std::optional<TimeLimit> amount_arg(py::handle obj) {
    if (obj.is_none())
        return std::nullopt;
    if (py::isinstance<TimeLimit>(obj))
        return obj.cast<TimeLimit>();
    if (py::isinstance<py::dict>(obj)) {
        return TimeLimit::from_json(
            py::module_::import("json").attr("dumps")(obj).cast<std::string>());
    }
    if (py::isinstance<py::str>(obj))
        return TimeLimit::from_json(obj.cast<std::string>());
    throw py::type_error(
        "amount must be a TimeLimit, a dict like {'value': 2, 'unit': "
        "'working_days'} or its JSON, not " +
        type_name(obj));
}

std::optional<Rating> rating_arg(py::handle obj) {
    if (obj.is_none())
        return std::nullopt;
    if (py::isinstance<Rating>(obj))
        return obj.cast<Rating>();
    if (py::isinstance<Satisfaction>(obj))
        return Rating::of(obj.cast<Satisfaction>());
    if (py::isinstance<py::str>(obj))
        return Rating::of(parse_satisfaction(obj.cast<std::string>()));
    if (!PyBool_Check(obj.ptr()) && PyIndex_Check(obj.ptr()))
        return Rating::from_score(obj.cast<int>());
    throw py::type_error("rating must be a Rating, a Satisfaction, its name or a score 1-5, not " +
                         type_name(obj));
}

// What fire() and check() take besides the command.
CaseCommand case_command(py::handle command, py::handle at, py::handle actor, bool system,
                         py::handle reason, py::handle evidence, py::handle note,
                         py::handle department, py::handle category, py::handle amount,
                         py::handle rating) {
    CaseCommand c;
    c.command = command_arg(command);
    c.at = to_instant(at, "at");
    c.actor = text(actor, "actor");
    c.system = system;
    c.reason = text(reason, "reason");
    c.evidence = texts(evidence, "evidence");
    c.note = text(note, "note");
    c.department = text(department, "department");
    c.category = text(category, "category");
    c.amount = amount_arg(amount);
    c.rating = rating_arg(rating);
    return c;
}

// ---- filters -------------------------------------------------------------------------------

// A CaseFilter from keyword arguments; the subtree node is resolved under the lock.
struct FilterArg {
    CaseFilter filter;
    std::optional<NodeRef> subtree;

    CaseFilter resolved(const Hierarchy& h) const {
        CaseFilter f = filter;
        if (subtree)
            f.subtree = resolve(h, *subtree);
        return f;
    }
};

template <class E>
E enum_arg(py::handle obj, E (*parse)(std::string_view), const char* name) {
    if (py::isinstance<E>(obj))
        return obj.cast<E>();
    if (py::isinstance<py::str>(obj))
        return parse(obj.cast<std::string>());
    throw py::type_error(std::string(name) + " must be a name or enum value, not " +
                         type_name(obj));
}

const char* const filter_keys[] = {
    "subtree",       "states",         "kind",  "category_prefix", "source",
    "department",    "workflow",       "flag",  "breached",        "tier",
    "reported_from", "reported_until", "light", "overdue",         "at"};

FilterArg filter_arg(const py::kwargs& kwargs) {
    FilterArg out;
    CaseFilter& f = out.filter;
    for (const auto& item : kwargs) {
        const std::string key = py::str(item.first).cast<std::string>();
        const py::handle value = item.second;
        bool known = false;
        for (const char* k : filter_keys)
            known = known || key == k;
        if (!known) {
            std::string all;
            for (const char* k : filter_keys)
                all += (all.empty() ? "" : ", ") + std::string(k);
            throw Error(ErrorCode::invalid_argument,
                        "unknown case filter '" + key + "' (filters: " + all + ")");
        }
        if (value.is_none())
            continue;
        if (key == "subtree") {
            out.subtree = node_ref(value);
        } else if (key == "states") {
            f.states = texts(value, "states");
        } else if (key == "kind") {
            f.kind = enum_arg<StateKind>(value, &parse_state_kind, "kind");
        } else if (key == "category_prefix") {
            f.category_prefix = text(value, "category_prefix");
        } else if (key == "source") {
            f.source = source_arg(value);
        } else if (key == "department") {
            f.department = text(value, "department");
        } else if (key == "workflow") {
            f.workflow = text(value, "workflow");
        } else if (key == "flag") {
            f.flag = text(value, "flag");
        } else if (key == "breached") {
            f.breached = value.cast<bool>();
        } else if (key == "tier") {
            f.tier = value.cast<int>();
        } else if (key == "reported_from") {
            f.reported_from = to_instant(value, "reported_from");
        } else if (key == "reported_until") {
            f.reported_until = to_instant(value, "reported_until");
        } else if (key == "light") {
            f.light = enum_arg<Light>(value, &parse_light, "light");
        } else if (key == "overdue") {
            f.overdue = value.cast<bool>();
        } else {
            f.at = to_instant(value, "at");
        }
    }
    return out;
}

// ---- views ---------------------------------------------------------------------------------

struct CaseView {
    Handle workspace;
    CaseId id = no_case;

    CaseRecord record() const {
        return workspace->read(Gil::keep, [&](const Workspace& ws) { return ws.cases().get(id); });
    }
    HierarchyView hierarchy() const { return HierarchyView{workspace, std::nullopt, nullptr}; }
    py::object node(NodeId n) const {
        if (n == no_node)
            return py::none();
        return py::cast(NodeView{hierarchy(), n});
    }
};

// Cases selected at one moment: their ids, read again on every access.
struct CaseList {
    Handle workspace;
    std::vector<CaseId> ids;
};

struct CaseBatch {
    Handle workspace;
};

// The chosen fields (names of CaseField) of `columns=`; None = every field.
std::vector<CaseField> fields_arg(const py::object& columns) {
    std::vector<CaseField> fields;
    if (columns.is_none())
        return fields;
    if (py::isinstance<py::str>(columns))
        throw py::type_error("columns: a list of field names, not one string");
    for (const py::handle name : columns)
        fields.push_back(parse_case_field(name.cast<std::string>()));
    if (fields.empty())
        throw Error(ErrorCode::invalid_argument, "columns: name at least one field");
    return fields;
}

// How columns_of() hands the columns over.
enum class ColumnsFor {
    dict,  // numpy arrays for numbers and instants (datetime64[s], UTC), lists of str
    frame  // pandas columns: names as Categorical, instants tz-aware in China Standard Time
};

// A name field read as codes, as a pandas Categorical (no name: NaN).
py::object categorical(const py::object& pd, NameCodes& names) {
    py::list distinct(names.names.size());
    for (std::size_t i = 0; i < names.names.size(); ++i)
        distinct[i] = py::str(names.names[i]);
    return pd.attr("Categorical")
        .attr("from_codes")(owning_array(std::move(names.codes), false), distinct);
}

// A name field read as codes, as a list of str: one str object per distinct name, shared
// by its rows ("" where a case has none).
py::list shared_names(const NameCodes& names) {
    std::vector<py::str> distinct(names.names.begin(), names.names.end());
    const py::str none("");
    py::list out(names.codes.size());
    for (std::size_t i = 0; i < names.codes.size(); ++i) {
        const std::int32_t c = names.codes[i];
        out[i] = c < 0 ? none : distinct[static_cast<std::size_t>(c)];
    }
    return out;
}

// An enumeration's values as their names, as pandas Categorical over the names used (in
// the order first used) or as a list of shared str.
template <class Enum, class Name>
py::object enum_names(const py::object& pd, const std::vector<Enum>& values, Name&& name,
                      bool frame) {
    NameCodes coded;
    coded.codes.reserve(values.size());
    std::array<std::int32_t, 256> code;
    code.fill(-1);
    for (const Enum v : values) {
        std::int32_t& c = code[static_cast<std::uint8_t>(v)];
        if (c < 0) {
            c = static_cast<std::int32_t>(coded.names.size());
            coded.names.emplace_back(name(v));
        }
        coded.codes.push_back(c);
    }
    if (frame)
        return categorical(pd, coded);
    return shared_names(coded);
}

// A numpy array of `n` objects, made without a list between: `make(i)` gives a new
// reference to object i (null with a Python error set on failure).
template <class Make>
py::array object_array(std::size_t n, Make&& make) {
    py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
    auto** cells = static_cast<PyObject**>(out.mutable_data());
    for (std::size_t i = 0; i < n; ++i) {
        PyObject* object = make(i);
        if (object == nullptr)
            throw py::error_already_set();
        Py_XDECREF(cells[i]);  // numpy fills a new object array with None
        cells[i] = object;
    }
    return out;
}

// A str of `text` (UTF-8): ASCII text, such as case numbers, copied without decoding.
PyObject* new_str(const std::string& text) {
    const auto size = static_cast<py::ssize_t>(text.size());
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii)
        return PyUnicode_DecodeUTF8(text.data(), size, nullptr);
    PyObject* out = PyUnicode_New(size, 127);
    if (out != nullptr)
        std::copy(text.begin(), text.end(), static_cast<char*>(PyUnicode_DATA(out)));
    return out;
}

// Texts as a numpy array of str objects (a frame's index).
py::array text_array(const std::vector<std::string>& texts) {
    return object_array(texts.size(), [&](std::size_t i) { return new_str(texts[i]); });
}

// The codes of the cases' nodes: a numpy array of str objects for a frame, a list of str
// otherwise. Each node's str is made once for the workspace (its `node_codes()`) and shared
// by every row and every later column; a node keeps its code, and each one a column uses is
// checked against the hierarchy before it is shared. Call with the GIL held, inside a read.
py::object node_code_column(const WorkspaceHandle& h, const Hierarchy& hierarchy,
                            const std::vector<NodeId>& nodes, bool frame) {
    std::vector<PyObject*>& made = h.node_codes();
    if (made.size() < hierarchy.id_count())
        made.resize(hierarchy.id_count(), nullptr);
    // The distinct nodes first, then each checked with the ones a few places on prefetched:
    // a check reads the hierarchy's code and the str, each likely a cache miss, and the
    // misses of several nodes are then in flight at once.
    std::vector<bool> seen(made.size());
    std::vector<NodeId> distinct;
    for (const NodeId n : nodes) {
        if (!seen.at(n)) {
            seen[n] = true;
            distinct.push_back(n);
        }
    }
    constexpr std::size_t ahead = 8;
    for (std::size_t i = 0; i < std::min(ahead, distinct.size()); ++i)
        __builtin_prefetch(&made[distinct[i]]);
    for (std::size_t i = 0; i < distinct.size(); ++i) {
        const NodeId n = distinct[i];
        if (i + 2 * ahead < distinct.size())
            __builtin_prefetch(&made[distinct[i + 2 * ahead]]);
        if (i + ahead < distinct.size()) {
            const NodeId next = distinct[i + ahead];
            __builtin_prefetch(&hierarchy.code(next));
            if (made[next] != nullptr)
                __builtin_prefetch(made[next]);
        }
        const std::string& code = hierarchy.code(n);
        bool stale = made[n] == nullptr;
        if (!stale) {
            py::ssize_t size = 0;
            const char* utf8 = PyUnicode_AsUTF8AndSize(made[n], &size);
            if (utf8 == nullptr)
                throw py::error_already_set();
            stale = std::string_view(utf8, static_cast<std::size_t>(size)) != code;
        }
        if (stale) {
            // Replaced in one step: a code once made is never missing.
            PyObject* text =
                PyUnicode_DecodeUTF8(code.data(), static_cast<py::ssize_t>(code.size()), nullptr);
            if (text == nullptr)
                throw py::error_already_set();
            Py_XSETREF(made[n], text);
        }
    }
    if (!frame) {
        py::list out(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i)
            out[i] = py::reinterpret_borrow<py::object>(made[nodes[i]]);
        return out;
    }
    return object_array(nodes.size(), [&](std::size_t i) {
        if (i + ahead < nodes.size())
            __builtin_prefetch(made[nodes[i + ahead]], 1);
        PyObject* code = made[nodes[i]];
        Py_INCREF(code);
        return code;
    });
}

// The chosen columns of the given cases, in their order; `node_code` comes with `node`.
py::dict columns_of(const Handle& h, const std::vector<CaseId>& ids,
                    const std::vector<CaseField>& fields, ColumnsFor form) {
    const auto wanted = [&](CaseField f) {
        return fields.empty() || std::find(fields.begin(), fields.end(), f) != fields.end();
    };
    // The name fields as codes over their distinct names: no string per case.
    CaseColumns c = h->read(Gil::release, [&](const Workspace& ws) {
        return ws.cases().columns_of(ids, fields, CaseNames::coded);
    });
    const bool frame = form == ColumnsFor::frame;
    py::object node_code;
    if (wanted(CaseField::node)) {
        node_code = h->read(Gil::keep, [&](const Workspace& ws) {
            return node_code_column(*h, ws.hierarchy().view(), c.node, frame);
        });
    }
    const py::object pd =
        frame ? py::module_::import("gridgov._frames").attr("_pandas")() : py::object();
    // Instants in UTC nanoseconds, shown in China Standard Time.
    const py::object cst_dtype =
        frame ? pd.attr("DatetimeTZDtype")(py::arg("unit") = "ns", py::arg("tz") = dt_api().cst)
              : py::object();
    const auto names = [&](NameCodes& v) -> py::object {
        if (frame)
            return categorical(pd, v);
        return shared_names(v);
    };
    const auto times = [&](std::vector<std::int64_t>& v) -> py::object {
        for (std::int64_t& t : v) {
            if (t == Instant::max().seconds)
                t = std::numeric_limits<std::int64_t>::min();  // NaT
        }
        if (!frame)
            return owning_array(std::move(v), false).attr("astype")("datetime64[s]");
        // Nanoseconds since the epoch are what pandas keeps (an instant it cannot hold is
        // NaT); read as UTC and shown in China Standard Time, no value is converted.
        constexpr std::int64_t ns = 1'000'000'000;
        constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / ns;
        for (std::int64_t& t : v) {
            if (t != std::numeric_limits<std::int64_t>::min())
                t = t > -limit && t < limit ? t * ns : std::numeric_limits<std::int64_t>::min();
        }
        py::object values = owning_array(std::move(v), false).attr("view")("datetime64[ns]");
        return pd.attr("arrays").attr("DatetimeArray")(values, py::arg("dtype") = cst_dtype);
    };
    py::dict d;
    for (std::size_t k = 0; k < case_field_count; ++k) {
        const auto f = static_cast<CaseField>(k);
        if (!wanted(f))
            continue;
        const char* name = case_field_name(f);
        switch (f) {
            case CaseField::id:
                d[name] = owning_array(std::move(c.id), false);
                break;
            case CaseField::number:
                d[name] = frame ? py::object(text_array(c.number)) : py::cast(c.number);
                break;
            case CaseField::workflow:
                d[name] = names(c.workflow_codes);
                break;
            case CaseField::category:
                d[name] = names(c.category_codes);
                break;
            case CaseField::node:
                d[name] = owning_array(std::move(c.node), false);
                // As many codes as grids: str, not a categorical.
                d["node_code"] = node_code;
                break;
            case CaseField::source:
                d[name] = enum_names(pd, c.source, case_source_name, frame);
                break;
            case CaseField::state:
                d[name] = names(c.state_codes);
                break;
            case CaseField::kind:
                d[name] = enum_names(pd, c.kind, state_kind_name, frame);
                break;
            case CaseField::department:
                d[name] = names(c.department_codes);
                break;
            case CaseField::tier:
                d[name] = owning_array(std::move(c.tier), false);
                break;
            case CaseField::breached:
                d[name] = owning_array(std::move(c.breached), false).attr("astype")("bool");
                break;
            case CaseField::reported_at:
                d[name] = times(c.reported_at);
                break;
            case CaseField::updated_at:
                d[name] = times(c.updated_at);
                break;
            case CaseField::closed_at:
                d[name] = times(c.closed_at);
                break;
            case CaseField::deadline:
                d[name] = times(c.deadline);
                break;
        }
    }
    return d;
}

// The columns of columns_of(..., ColumnsFor::frame) as a DataFrame indexed by case number
// (else by id, when the number was not read).
py::object frame_of(py::dict columns) {
    py::object pd = py::module_::import("gridgov._frames").attr("_pandas")();
    py::object index = py::none();
    for (const char* key : {"number", "id"}) {
        if (columns.contains(key)) {
            // The numbers stay str objects (no inference over them).
            index =
                pd.attr("Index")(columns[key],
                                 py::arg("dtype") = key[0] == 'n' ? py::object(py::str("object"))
                                                                  : py::object(py::none()),
                                 py::arg("copy") = false, py::arg("name") = key);
            PyDict_DelItemString(columns.ptr(), key);
            break;
        }
    }
    return pd.attr("DataFrame")(columns, py::arg("index") = index);
}

// ---- observers ------------------------------------------------------------------------------

struct EventQueue {
    std::mutex mutex;
    std::deque<CaseEvent> events;
};

struct PythonFailure {
    ObserverToken token = 0;
    EventSeq sequence = 0;
    std::string message;
    py::object exception;
};

// The Python observers of one native workspace. Touched only with the GIL held, except
// `queue`, which the engine fills under the workspace's write lock without the GIL.
struct Observers {
    std::weak_ptr<WorkspaceHandle> owner;
    std::shared_ptr<EventQueue> queue = std::make_shared<EventQueue>();
    ObserverToken engine_token = 0;
    std::vector<std::pair<ObserverToken, py::object>> callbacks;
    ObserverToken next = 1;
    bool delivering = false;
    std::vector<PythonFailure> failures;
};

// Never freed: its Python objects must not be destroyed after finalisation.
std::unordered_map<const WorkspaceHandle*, std::shared_ptr<Observers>>& observers() {
    static auto* all = new std::unordered_map<const WorkspaceHandle*, std::shared_ptr<Observers>>;
    return *all;
}

// The observers of `h`; an entry left by an earlier workspace at the same address is
// dropped.
std::shared_ptr<Observers> observers_of(const WorkspaceHandle* h) {
    auto& all = observers();
    const auto it = all.find(h);
    if (it == all.end())
        return nullptr;
    if (it->second->owner.lock().get() != h) {
        all.erase(it);
        return nullptr;
    }
    return it->second;
}

struct ObserverHandle {
    std::weak_ptr<WorkspaceHandle> workspace;
    ObserverToken token = 0;

    bool active() const {
        const Handle h = workspace.lock();
        const std::shared_ptr<Observers> obs = h ? observers_of(h.get()) : nullptr;
        if (!obs)
            return false;
        for (const auto& [t, cb] : obs->callbacks) {
            if (t == token)
                return true;
        }
        return false;
    }

    bool remove() const {
        const Handle h = workspace.lock();
        const std::shared_ptr<Observers> obs = h ? observers_of(h.get()) : nullptr;
        if (!obs)
            return false;
        auto& cbs = obs->callbacks;
        const std::size_t before = cbs.size();
        std::erase_if(cbs, [&](const auto& entry) { return entry.first == token; });
        if (cbs.size() == before)
            return false;
        if (!cbs.empty())
            return true;
        // The last one: the engine's observer goes too, unless the workspace is closed
        // and it went with the engine. Another thread may have registered meanwhile.
        try {
            h->write(Gil::keep, [&](Workspace& ws) {
                if (obs->callbacks.empty() && observers_of(h.get()) == obs) {
                    ws.cases().unobserve(obs->engine_token);
                    observers().erase(h.get());
                }
            });
        } catch (const Error& e) {
            if (e.code() != ErrorCode::invalid_state)
                throw;
            observers().erase(h.get());
        }
        return true;
    }
};

// Runs the Python observers on the events queued so far; see the top of the file.
void deliver(const Handle& h) {
    const std::shared_ptr<Observers> obs = observers_of(h.get());
    if (!obs || obs->delivering)
        return;
    obs->delivering = true;
    struct Reset {
        Observers& o;
        ~Reset() { o.delivering = false; }
    } reset{*obs};
    for (;;) {
        std::optional<CaseEvent> event;
        {
            std::lock_guard lock(obs->queue->mutex);
            if (obs->queue->events.empty())
                return;
            event = std::move(obs->queue->events.front());
            obs->queue->events.pop_front();
        }
        const py::object e = py::cast(*event);
        const auto callbacks = obs->callbacks;
        for (const auto& [token, callback] : callbacks) {
            try {
                callback(e);
            } catch (py::error_already_set& err) {
                // KeyboardInterrupt and SystemExit are not observer failures; the events
                // still queued go to the next delivery.
                if (!err.matches(PyExc_Exception))
                    throw;
                obs->failures.push_back({token, event->sequence, err.what(), err.value()});
            }
        }
    }
}

// Runs a change of the cases and then delivers the events it committed.
template <class F>
auto change(const Handle& h, F&& f) {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, Workspace&>>) {
        h->write(Gil::release, f);
        deliver(h);
    } else {
        auto result = h->write(Gil::release, f);
        deliver(h);
        return result;
    }
}

// ---- history import --------------------------------------------------------------------------

struct ReportArg {
    py::object category, at, actor, source, reporter, workflow, number, note, evidence;
    bool system = false;
    NodeRef node;
};

// Everything of a report but its node, which is resolved under the workspace's lock.
NewCase new_case(const ReportArg& a) {
    NewCase c;
    c.command.command = Command::report;
    c.command.category = text(a.category, "category");
    c.command.at = to_instant(a.at, "at");
    c.command.actor = text(a.actor, "actor");
    c.command.system = a.system;
    c.command.source = case_source_name(source_arg(a.source));
    c.command.note = text(a.note, "note");
    c.command.evidence = texts(a.evidence, "evidence");
    c.reporter = text(a.reporter, "reporter");
    c.workflow = text(a.workflow, "workflow");
    c.number = text(a.number, "number");
    return c;
}

py::object get(const py::dict& d, const char* key, py::object fallback = py::none()) {
    return d.contains(key) ? py::object(d[key]) : fallback;
}

void check_keys(const py::dict& d, const std::vector<const char*>& keys, const std::string& where) {
    for (const auto& item : d) {
        const std::string k = py::str(item.first).cast<std::string>();
        bool known = false;
        for (const char* key : keys)
            known = known || k == key;
        if (!known) {
            std::string all;
            for (const char* key : keys)
                all += (all.empty() ? "" : ", ") + std::string(key);
            throw Error(ErrorCode::invalid_argument,
                        where + ": unknown field '" + k + "' (fields: " + all + ")");
        }
    }
}

py::dict as_dict(py::handle obj, const std::string& where) {
    if (!py::isinstance<py::dict>(obj))
        throw py::type_error(where + " must be a dict, not " + type_name(obj));
    return py::reinterpret_borrow<py::dict>(obj);
}

const std::vector<const char*> report_fields = {"category", "node",   "at",       "actor",
                                                "system",   "source", "reporter", "workflow",
                                                "number",   "note",   "evidence"};
const std::vector<const char*> command_fields = {"command",  "at",       "actor", "system",
                                                 "reason",   "evidence", "note",  "department",
                                                 "category", "amount",   "rating"};

CaseCommand command_from_dict(const py::dict& d, const std::string& where) {
    check_keys(d, command_fields, where);
    if (!d.contains("command"))
        throw Error(ErrorCode::invalid_argument, where + ": field 'command' is required");
    return case_command(d["command"], get(d, "at"), get(d, "actor"),
                        get(d, "system", py::bool_(false)).cast<bool>(), get(d, "reason"),
                        get(d, "evidence"), get(d, "note"), get(d, "department"),
                        get(d, "category"), get(d, "amount"), get(d, "rating"));
}

std::string light_text(Light l) {
    return light_name(l);
}

}  // namespace

void bind_cases(py::module_& m) {
    using namespace pybind11::literals;

    py::enum_<CaseSource>(m, "CaseSource", "How a matter came in (信息来源).")
        .value("GRID_WORKER", CaseSource::grid_worker)
        .value("SUPERVISOR", CaseSource::supervisor)
        .value("HOTLINE_12345", CaseSource::hotline_12345)
        .value("HOTLINE_12319", CaseSource::hotline_12319)
        .value("APP", CaseSource::app)
        .value("VIDEO", CaseSource::video)
        .value("REFERRAL", CaseSource::referral);

    py::class_<CaseEvent>(m, "CaseEvent", "One entry of the hash-chained event log.")
        .def_readonly("sequence", &CaseEvent::sequence)
        .def_readonly("case_id", &CaseEvent::case_id)
        .def_readonly("case_number", &CaseEvent::case_number)
        .def_readonly("case_sequence", &CaseEvent::case_sequence)
        .def_property_readonly(
            "kind",
            [](const CaseEvent& e) { return e.kind == EventKind::command ? "command" : "breach"; })
        .def_property_readonly("command",
                               [](const CaseEvent& e) -> py::object {
                                   if (e.kind != EventKind::command)
                                       return py::none();
                                   return py::cast(e.command);
                               })
        .def_readonly("type", &CaseEvent::type, "The command's name, or 'breach'.")
        .def_property_readonly("transition",
                               [](const CaseEvent& e) -> py::object {
                                   return e.transition < 0 ? py::object(py::none())
                                                           : py::object(py::int_(e.transition));
                               })
        .def_property_readonly("from_state",
                               [](const CaseEvent& e) { return text_or_none(e.from_state); })
        .def_readonly("to_state", &CaseEvent::to_state)
        .def_property_readonly("actor", [](const CaseEvent& e) { return text_or_none(e.actor); })
        .def_readonly("system", &CaseEvent::system)
        .def_property_readonly("at", [](const CaseEvent& e) { return from_instant(e.at); })
        .def_readonly("payload", &CaseEvent::payload, "JSON text (docs/cases.md).")
        .def_property_readonly(
            "data",
            [](const CaseEvent& e) { return py::module_::import("json").attr("loads")(e.payload); },
            "The payload as a dict.")
        .def_property_readonly("previous_hash",
                               [](const CaseEvent& e) { return hash_hex(e.previous_hash); })
        .def_property_readonly("hash", [](const CaseEvent& e) { return hash_hex(e.hash); })
        .def("__repr__", [](const CaseEvent& e) {
            return "<CaseEvent " + std::to_string(e.sequence) + " " + e.case_number + " " + e.type +
                   " " + (e.from_state.empty() ? "" : e.from_state + " ") + "-> " + e.to_state +
                   ">";
        });

    py::class_<CaseClock>(m, "CaseClock", "The clock of one timed stage of a case.")
        .def_readonly("stage", &CaseClock::stage)
        .def_property_readonly(
            "run", [](const CaseClock& c) { return std::string(clock_run_name(c.run)); })
        .def_readonly("working_time", &CaseClock::working_time)
        .def_property_readonly("start", [](const CaseClock& c) { return from_instant(c.start); })
        .def_readonly("limit", &CaseClock::limit)
        .def_property_readonly(
            "budget", [](const CaseClock& c) { return seconds(c.budget); },
            "The limit plus every extension, in clock time.")
        .def_readonly("extensions", &CaseClock::extensions)
        .def_property_readonly("used", [](const CaseClock& c) { return seconds(c.used); })
        .def_property_readonly("since", [](const CaseClock& c) { return from_instant(c.since); })
        .def_property_readonly("deadline",
                               [](const CaseClock& c) { return from_optional_instant(c.deadline); })
        .def_readonly("breached", &CaseClock::breached)
        .def_readonly("assumed", &CaseClock::assumed)
        .def("__repr__", [](const CaseClock& c) {
            return "<CaseClock " + c.stage + " " + clock_run_name(c.run) + " deadline " +
                   c.deadline.to_string() + (c.breached ? " breached" : "") + ">";
        });

    py::class_<CommandCheck>(m, "CommandCheck", "Whether a command would be accepted.")
        .def_readonly("accepted", &CommandCheck::accepted)
        .def_property_readonly("code",
                               [](const CommandCheck& c) -> py::object {
                                   if (c.accepted)
                                       return py::none();
                                   return py::str(error_code_name(c.code));
                               })
        .def_readonly("message", &CommandCheck::message)
        .def_property_readonly("transition",
                               [](const CommandCheck& c) -> py::object {
                                   return c.transition < 0 ? py::object(py::none())
                                                           : py::object(py::int_(c.transition));
                               })
        .def_readonly("basis", &CommandCheck::basis)
        .def("__bool__", [](const CommandCheck& c) { return c.accepted; })
        .def("__repr__", [](const CommandCheck& c) {
            return c.accepted ? "<CommandCheck accepted: " + c.basis + ">"
                              : std::string("<CommandCheck refused (") + error_code_name(c.code) +
                                    "): " + c.message + ">";
        });

    py::class_<LightChange>(m, "LightChange", "A light that turned during a tick.")
        .def_readonly("case_id", &LightChange::case_id)
        .def_readonly("stage", &LightChange::stage)
        .def_readonly("from_light", &LightChange::from)
        .def_readonly("to_light", &LightChange::to)
        .def("__repr__", [](const LightChange& l) {
            return "<LightChange case " + std::to_string(l.case_id) + " " + l.stage + " " +
                   light_text(l.from) + " -> " + light_text(l.to) + ">";
        });

    py::class_<TickReport>(m, "TickReport", "What a tick did.")
        .def_readonly("lights", &TickReport::lights)
        .def_readonly("breaches", &TickReport::breaches, "Sequences of the breach events.")
        .def_readonly("escalations", &TickReport::escalations)
        .def("__repr__", [](const TickReport& t) {
            return "<TickReport " + std::to_string(t.lights.size()) + " light changes, " +
                   std::to_string(t.breaches.size()) + " breaches, " +
                   std::to_string(t.escalations) + " escalations>";
        });

    py::class_<LogAnchor>(m, "LogAnchor",
                          "The end of the log: keep it elsewhere to detect later that events "
                          "were cut off or appended.")
        .def(py::init([](EventSeq sequence, const std::string& hash) {
                 if (hash.size() != 64) {
                     throw Error(ErrorCode::invalid_argument,
                                 "hash: expected 64 hexadecimal digits, got " +
                                     std::to_string(hash.size()) + " characters");
                 }
                 const auto digit = [&](char ch) -> int {
                     if (ch >= '0' && ch <= '9')
                         return ch - '0';
                     if (ch >= 'a' && ch <= 'f')
                         return ch - 'a' + 10;
                     if (ch >= 'A' && ch <= 'F')
                         return ch - 'A' + 10;
                     throw Error(ErrorCode::invalid_argument,
                                 std::string("hash: '") + ch + "' is not a hexadecimal digit");
                 };
                 LogAnchor a;
                 a.sequence = sequence;
                 for (std::size_t i = 0; i < 32; ++i)
                     a.hash[i] = static_cast<std::uint8_t>(digit(hash[2 * i]) * 16 +
                                                           digit(hash[2 * i + 1]));
                 return a;
             }),
             py::arg("sequence"), py::arg("hash"))
        .def_readonly("sequence", &LogAnchor::sequence)
        .def_property_readonly("hash", [](const LogAnchor& a) { return hash_hex(a.hash); })
        .def("__repr__", [](const LogAnchor& a) {
            return "<LogAnchor " + std::to_string(a.sequence) + " " + hash_hex(a.hash) + ">";
        });

    py::class_<LogCheckpoint>(m, "LogCheckpoint",
                              "A point up to which the log was verified and signed off "
                              "(sign_off_log()); routine checks start after the last one.")
        .def_readonly("sequence", &LogCheckpoint::sequence, "The last event vouched for.")
        .def_property_readonly("hash", [](const LogCheckpoint& c) { return hash_hex(c.hash); })
        .def_readonly("cases", &LogCheckpoint::cases, "How many cases there were then.")
        .def_property_readonly("signed_at",
                               [](const LogCheckpoint& c) { return c.signed_at.to_string(); })
        .def_readonly("signed_by", &LogCheckpoint::signed_by)
        .def_readonly("full", &LogCheckpoint::full,
                      "True when the whole log was checked, False: what followed the checkpoint "
                      "before.")
        .def_readonly("events_checked", &LogCheckpoint::events_checked)
        .def("__repr__", [](const LogCheckpoint& c) {
            return "<LogCheckpoint event " + std::to_string(c.sequence) + " signed off by " +
                   c.signed_by + " at " + c.signed_at.to_string() + ">";
        });

    py::class_<LogVerification>(m, "LogVerification", "What verify_log() found.")
        .def_readonly("ok", &LogVerification::ok)
        .def_readonly("events_checked", &LogVerification::events_checked)
        .def_readonly("events_after_anchor", &LogVerification::events_after_anchor,
                      "With an anchor: the events after the anchor's (0 = the log ends there).")
        .def_property_readonly(
            "problem",
            [](const LogVerification& v) { return std::string(log_problem_name(v.problem)); })
        .def_property_readonly("sequence",
                               [](const LogVerification& v) -> py::object {
                                   return v.ok ? py::object(py::none())
                                               : py::object(py::int_(v.sequence));
                               })
        .def_property_readonly("case_number",
                               [](const LogVerification& v) { return text_or_none(v.case_number); })
        .def_readonly("message", &LogVerification::message)
        .def_readonly("checked_from", &LogVerification::checked_from,
                      "The checkpoint's event the check started after; 0: the whole log.")
        .def_readonly("checkpoint", &LogVerification::checkpoint,
                      "sign_off_log(): the checkpoint recorded; None when the log did not check "
                      "out.")
        .def("__bool__", [](const LogVerification& v) { return v.ok; })
        .def("__repr__", [](const LogVerification& v) {
            return v.ok ? "<LogVerification ok, " + std::to_string(v.events_checked) + " events>"
                        : "<LogVerification " + std::string(log_problem_name(v.problem)) + ": " +
                              v.message + ">";
        });

    py::class_<HistoryImportReport>(m, "HistoryImportReport", "What an import of past cases did.")
        .def_readonly("cases_imported", &HistoryImportReport::cases_imported)
        .def_readonly("events_written", &HistoryImportReport::events_written)
        .def_readonly("batches_committed", &HistoryImportReport::batches_committed)
        .def_readonly("stopped", &HistoryImportReport::stopped)
        .def_readonly("findings", &HistoryImportReport::findings,
                      "One cases.import_refused finding per case left out.")
        .def("__repr__", [](const HistoryImportReport& r) {
            return "<HistoryImportReport " + std::to_string(r.cases_imported) + " cases, " +
                   std::to_string(r.events_written) + " events, " +
                   std::to_string(r.findings.size()) + " refused>";
        });

    py::class_<PlanRunReport>(m, "PlanRunReport", "What a run of matter plans did.")
        .def_readonly("matters", &PlanRunReport::matters)
        .def_readonly("cases_reported", &PlanRunReport::cases_reported)
        .def_readonly("steps_accepted", &PlanRunReport::steps_accepted)
        .def_readonly("steps_refused", &PlanRunReport::steps_refused,
                      "Reports and steps refused, one plan.refused finding each.")
        .def_readonly("steps_skipped", &PlanRunReport::steps_skipped,
                      "Steps after a refused one of the same matter.")
        .def_readonly("ticks", &PlanRunReport::ticks)
        .def_readonly("breaches", &PlanRunReport::breaches)
        .def_readonly("escalations", &PlanRunReport::escalations)
        .def_readonly("batches_committed", &PlanRunReport::batches_committed)
        .def_readonly("stopped", &PlanRunReport::stopped)
        .def_readonly("findings", &PlanRunReport::findings)
        .def("__repr__", [](const PlanRunReport& r) {
            return "<PlanRunReport " + std::to_string(r.cases_reported) + " cases, " +
                   std::to_string(r.steps_accepted) + " steps, " + std::to_string(r.steps_refused) +
                   " refused>";
        });

    py::class_<PythonFailure>(m, "ObserverFailure",
                              "An observer that raised: the event stayed committed.")
        .def_readonly("token", &PythonFailure::token)
        .def_readonly("sequence", &PythonFailure::sequence)
        .def_readonly("message", &PythonFailure::message)
        .def_readonly("exception", &PythonFailure::exception)
        .def("__repr__", [](const PythonFailure& f) {
            return "<ObserverFailure observer " + std::to_string(f.token) + " on event " +
                   std::to_string(f.sequence) + ": " + f.message + ">";
        });

    py::class_<ObserverHandle>(m, "Observer", "A registered observer; remove() unregisters it.")
        .def_readonly("token", &ObserverHandle::token)
        .def_property_readonly("active", &ObserverHandle::active)
        .def("remove", &ObserverHandle::remove,
             "Unregisters the observer; False when it was removed already.")
        .def("__repr__", [](const ObserverHandle& o) {
            return "<Observer " + std::to_string(o.token) + (o.active() ? "" : " (removed)") + ">";
        });

    // ---- Case ----------------------------------------------------------------------------
    py::class_<CaseView>(m, "Case",
                         "A view of one case of a workspace; every attribute reads the case as it "
                         "is now.")
        .def_readonly("id", &CaseView::id)
        .def_property_readonly("number", [](const CaseView& c) { return c.record().number; })
        .def_property_readonly("workflow", [](const CaseView& c) { return c.record().workflow; })
        .def_property_readonly("workflow_version",
                               [](const CaseView& c) { return c.record().workflow_version; })
        .def_property_readonly("category", [](const CaseView& c) { return c.record().category; })
        .def_property_readonly("node", [](const CaseView& c) { return c.node(c.record().node); })
        .def_property_readonly(
            "area_class", [](const CaseView& c) { return text_or_none(c.record().area_class); })
        .def_property_readonly(
            "source",
            [](const CaseView& c) { return std::string(case_source_name(c.record().source)); })
        .def_property_readonly("reporter",
                               [](const CaseView& c) { return text_or_none(c.record().reporter); })
        .def_property_readonly("state",
                               [](const CaseView& c) {
                                   return c.workspace->read(Gil::keep, [&](const Workspace& ws) {
                                       return ws.cases().state(c.id);
                                   });
                               })
        .def_property_readonly("kind", [](const CaseView& c) { return c.record().kind; })
        .def_property_readonly(
            "department", [](const CaseView& c) { return text_or_none(c.record().department); })
        .def_property_readonly("route_node",
                               [](const CaseView& c) { return c.node(c.record().route_node); })
        .def_property_readonly("tier", [](const CaseView& c) { return c.record().tier; })
        .def_property_readonly("handling_node",
                               [](const CaseView& c) { return c.node(c.record().handling_node); })
        .def_property_readonly(
            "counters",
            [](const CaseView& c) {
                py::dict d;
                for (const auto& [name, value] : c.record().counters)
                    d[py::str(name)] = value;
                return d;
            },
            "Every counter the workflow declares, in its order.")
        .def_property_readonly("flags", [](const CaseView& c) { return c.record().flags; })
        .def_property_readonly("breached", [](const CaseView& c) { return c.record().breached; })
        .def_property_readonly("breaches", [](const CaseView& c) { return c.record().breaches; })
        .def_property_readonly("rating", [](const CaseView& c) { return c.record().rating; })
        .def_property_readonly(
            "reported_at", [](const CaseView& c) { return from_instant(c.record().reported_at); })
        .def_property_readonly(
            "updated_at", [](const CaseView& c) { return from_instant(c.record().updated_at); })
        .def_property_readonly(
            "closed_at",
            [](const CaseView& c) { return from_optional_instant(c.record().closed_at); })
        .def_property_readonly("last_event",
                               [](const CaseView& c) { return c.record().last_event; })
        .def_property_readonly("clocks", [](const CaseView& c) { return c.record().clocks; })
        .def_property_readonly(
            "deadline",
            [](const CaseView& c) -> py::object {
                for (const CaseClock& k : c.record().clocks) {
                    if (k.run == ClockRun::counting)
                        return from_instant(k.deadline);
                }
                return py::none();
            },
            "The deadline of the clock counting now (an aware datetime), or None.")
        .def_property_readonly("events",
                               [](const CaseView& c) {
                                   return c.workspace->read(Gil::release, [&](const Workspace& ws) {
                                       return ws.cases().events(c.id);
                                   });
                               })
        .def(
            "clock_status",
            [](const CaseView& c, py::object at) -> std::optional<ClockStatus> {
                const Instant t = to_instant(at, "at");
                return c.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    return ws.cases().clock_status(c.id, t);
                });
            },
            py::arg("at"),
            "The clock of the current stage read at an instant (a suspended case: the clock "
            "waiting for it, paused); None when no clock counts or waits.")
        .def(
            "light",
            [](const CaseView& c, py::object at) -> std::optional<Light> {
                const Instant t = to_instant(at, "at");
                const std::optional<ClockStatus> s = c.workspace->read(
                    Gil::keep,
                    [&](const Workspace& ws) { return ws.cases().clock_status(c.id, t); });
                if (!s)
                    return std::nullopt;
                return s->light;
            },
            py::arg("at"), "The traffic light at an instant, or None without a clock.")
        .def(
            "fire",
            [](const CaseView& c, py::object command, py::object at, py::object actor, bool system,
               py::object reason, py::object evidence, py::object note, py::object department,
               py::object category, py::object amount, py::object rating) {
                const CaseCommand cmd = case_command(command, at, actor, system, reason, evidence,
                                                     note, department, category, amount, rating);
                return change(c.workspace,
                              [&](Workspace& ws) { return ws.cases().fire(c.id, cmd); });
            },
            py::arg("command"), py::kw_only(), py::arg("at"), py::arg("actor") = py::none(),
            py::arg("system") = false, py::arg("reason") = py::none(),
            py::arg("evidence") = py::none(), py::arg("note") = py::none(),
            py::arg("department") = py::none(), py::arg("category") = py::none(),
            py::arg("amount") = py::none(), py::arg("rating") = py::none(),
            "Fires a command (a Command or its name) and returns its event's sequence. "
            "Refusals raise and change nothing: InvalidStateError (no such command in the "
            "state), PermissionDeniedError (the actor may not), InvalidArgumentError (a "
            "missing reason, evidence or payload field).")
        .def(
            "check",
            [](const CaseView& c, py::object command, py::object at, py::object actor, bool system,
               py::object reason, py::object evidence, py::object note, py::object department,
               py::object category, py::object amount, py::object rating) {
                const CaseCommand cmd = case_command(command, at, actor, system, reason, evidence,
                                                     note, department, category, amount, rating);
                return c.workspace->read(
                    Gil::release, [&](const Workspace& ws) { return ws.cases().check(c.id, cmd); });
            },
            py::arg("command"), py::kw_only(), py::arg("at"), py::arg("actor") = py::none(),
            py::arg("system") = false, py::arg("reason") = py::none(),
            py::arg("evidence") = py::none(), py::arg("note") = py::none(),
            py::arg("department") = py::none(), py::arg("category") = py::none(),
            py::arg("amount") = py::none(), py::arg("rating") = py::none(),
            "Whether fire() would accept the command, without changing anything.")
        .def(
            "available",
            [](const CaseView& c, py::object actor, py::object at, bool system) {
                const std::string a = text(actor, "actor");
                const Instant t = to_instant(at, "at");
                return c.workspace->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().available(c.id, a, t, system);
                });
            },
            py::arg("actor") = py::none(), py::kw_only(), py::arg("at"), py::arg("system") = false,
            "The commands the actor could fire at `at`, payloads aside.")
        .def(
            "candidates",
            [](const CaseView& c, py::object command, py::object at) {
                const Command cmd = command_arg(command);
                const Instant t = to_instant(at, "at");
                return c.workspace->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().candidates(c.id, cmd, t);
                });
            },
            py::arg("command"), py::kw_only(), py::arg("at"),
            "The person ids who may fire the command at `at` (the inbox query), sorted: the "
            "same authorization as fire(), payloads aside.")
        .def("__eq__", [](const CaseView& a,
                          const CaseView& b) { return a.workspace == b.workspace && a.id == b.id; })
        .def("__hash__", [](const CaseView& c) { return std::hash<CaseId>()(c.id); })
        .def("__repr__", [](const CaseView& c) {
            const CaseRecord r = c.record();
            return "<Case " + r.number + " " + r.category + " " + r.state + " (" + r.workflow +
                   "@" + std::to_string(r.workflow_version) + ")>";
        });

    py::class_<CaseList>(m, "CaseList",
                         "Cases selected by a query: a sequence of Case views with their ids.")
        .def("__len__", [](const CaseList& l) { return l.ids.size(); })
        .def("__getitem__",
             [](const CaseList& l, long long i) {
                 const long long n = static_cast<long long>(l.ids.size());
                 if (i < 0)
                     i += n;
                 if (i < 0 || i >= n)
                     throw py::index_error("case list index out of range");
                 return CaseView{l.workspace, l.ids[static_cast<std::size_t>(i)]};
             })
        .def("__iter__",
             [](const CaseList& l) {
                 py::list out;
                 for (CaseId id : l.ids)
                     out.append(CaseView{l.workspace, id});
                 return py::iter(out);
             })
        .def_property_readonly("ids",
                               [](const CaseList& l) {
                                   std::vector<CaseId> ids = l.ids;
                                   return owning_array(std::move(ids), true);
                               })
        .def(
            "to_dict",
            [](const CaseList& l, const py::object& columns) {
                return columns_of(l.workspace, l.ids, fields_arg(columns), ColumnsFor::dict);
            },
            py::kw_only(), py::arg("columns") = py::none(),
            "The cases as they are now, as columns: numpy arrays for ids, nodes, tiers, flags "
            "and instants (datetime64[s], UTC, NaT for none), lists of str otherwise. "
            "columns: the fields to read (names of CaseColumns: id, number, workflow, "
            "category, node, source, state, kind, department, tier, breached, reported_at, "
            "updated_at, closed_at, deadline); None reads every one. node brings node_code.")
        .def(
            "to_pandas",
            [](const CaseList& l, const py::object& columns) {
                return frame_of(
                    columns_of(l.workspace, l.ids, fields_arg(columns), ColumnsFor::frame));
            },
            py::kw_only(), py::arg("columns") = py::none(),
            "The cases as a DataFrame indexed by case number (by id when columns leaves the "
            "number out); names (workflow, category, source, state, kind, department) as "
            "categoricals, instants in China Standard Time. columns: as for "
            "to_dict(); only those fields are read.")
        .def("__repr__", [](const CaseList& l) {
            return "<CaseList " + std::to_string(l.ids.size()) + " cases>";
        });

    py::class_<CaseBatch>(m, "CaseBatch",
                          "A batch of case changes written in one transaction: commit on a "
                          "normal exit, roll back when the block raises.")
        .def(
            "__enter__",
            [](CaseBatch& b) {
                b.workspace->write(Gil::keep, [](Workspace& ws) { ws.cases().begin_batch(); });
                return &b;
            },
            py::return_value_policy::reference)
        .def("__exit__", [](CaseBatch& b, py::object type, py::object, py::object) {
            if (type.is_none()) {
                change(b.workspace, [](Workspace& ws) { ws.cases().commit_batch(); });
            } else {
                b.workspace->write(Gil::release,
                                   [](Workspace& ws) { ws.cases().rollback_batch(); });
            }
            return false;
        });

    // ---- Workspace ----------------------------------------------------------------------
    auto face = py::reinterpret_borrow<py::class_<CasesFace>>(m.attr("WorkspaceCases"));
    face.def(
            "report",
            [](const CasesFace& self, py::object category, py::object node, py::object at,
               py::object actor, bool system, py::object source, py::object reporter,
               py::object workflow, py::object number, py::object note, py::object evidence) {
                const ReportArg a{category, at,   actor,    source, reporter,      workflow,
                                  number,   note, evidence, system, node_ref(node)};
                NewCase prepared = new_case(a);
                const CaseId id = change(self, [&](Workspace& ws) {
                    prepared.command.node = resolve(ws.hierarchy().view(), a.node);
                    return ws.cases().report(prepared);
                });
                return CaseView{self, id};
            },
            py::arg("category"), py::arg("node"), py::kw_only(), py::arg("at"),
            py::arg("actor") = py::none(), py::arg("system") = false,
            py::arg("source") = "grid_worker", py::arg("reporter") = py::none(),
            py::arg("workflow") = py::none(), py::arg("number") = py::none(),
            py::arg("note") = py::none(), py::arg("evidence") = py::none(),
            "Reports a matter of a category at a node (id, code or Node) and returns the new "
            "Case. at: a datetime (naive = China Standard Time), ISO text or epoch seconds.")
        .def(
            "get",
            [](const CasesFace& self, py::object key) {
                if (py::isinstance<py::str>(key)) {
                    const std::string number = key.cast<std::string>();
                    const CaseId id = self->read(
                        Gil::keep, [&](const Workspace& ws) { return ws.cases().at(number); });
                    return CaseView{self, id};
                }
                const CaseId id = key.cast<CaseId>();
                self->read(Gil::keep, [&](const Workspace& ws) { return ws.cases().get(id).id; });
                return CaseView{self, id};
            },
            py::arg("key"), "The case with this id or number; NotFoundError otherwise.")
        .def(
            "__len__",
            [](const CasesFace& self) {
                return self->read(Gil::keep, [](const Workspace& ws) { return ws.cases().size(); });
            },
            "The number of cases in the workspace (len(ws.cases)).")
        .def(
            "select",
            [](const CasesFace& self, const py::kwargs& kwargs) {
                const FilterArg f = filter_arg(kwargs);
                std::vector<CaseId> ids = self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().select(f.resolved(ws.hierarchy().view()));
                });
                return CaseList{self, std::move(ids)};
            },
            "The cases matching the filters (keywords: subtree, states, kind, category_prefix, "
            "source, department, workflow, flag, breached, tier, reported_from, reported_until, "
            "light, overdue, at), as a CaseList.")
        .def(
            "ids",
            [](const CasesFace& self, const py::kwargs& kwargs) {
                const FilterArg f = filter_arg(kwargs);
                std::vector<CaseId> ids = self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().select(f.resolved(ws.hierarchy().view()));
                });
                return owning_array(std::move(ids), false);
            },
            "The ids of the matching cases (uint32 array).")
        .def(
            "count",
            [](const CasesFace& self, const py::kwargs& kwargs) {
                const FilterArg f = filter_arg(kwargs);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().count(f.resolved(ws.hierarchy().view()));
                });
            },
            "The number of matching cases.")
        .def(
            "open311_services",
            [](const CasesFace& self) {
                return self->read(Gil::release, [](const Workspace& ws) {
                    return open311_services(ws.cases().categories());
                });
            },
            "The category catalogue as Open311 services: the JSON text of GET services.json "
            "(docs/open311.md).")
        .def(
            "open311_requests",
            [](const CasesFace& self, py::object jurisdiction_id, const py::kwargs& kwargs) {
                const std::string jurisdiction = text(jurisdiction_id, "jurisdiction_id");
                const FilterArg f = filter_arg(kwargs);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    Open311ExportOptions o;
                    o.filter = f.resolved(ws.hierarchy().view());
                    o.jurisdiction_id = jurisdiction;
                    return open311_requests(ws, o);
                });
            },
            py::arg("jurisdiction_id") = py::none(),
            "The matching cases (the filters of select()) as Open311 service requests, by case "
            "id: the JSON text of GET requests.json (docs/open311.md).")
        .def(
            "count_by",
            [](const CasesFace& self, const std::string& group, py::object level,
               const py::kwargs& kwargs) {
                const CaseGroup g = parse_case_group(group);
                const std::string lvl = text(level, "level");
                const FilterArg f = filter_arg(kwargs);
                const std::vector<GroupCount> counts =
                    self->read(Gil::release, [&](const Workspace& ws) {
                        return ws.cases().count_by(g, f.resolved(ws.hierarchy().view()), lvl);
                    });
                py::dict out;
                for (const GroupCount& c : counts)
                    out[py::str(c.key)] = c.count;
                return out;
            },
            py::arg("group"), py::arg("level") = py::none(),
            "{key: count} of the matching cases by state, kind, category, source, department, "
            "light, node (at `level`), workflow, tier or overdue, sorted by key.")
        .def(
            "tick",
            [](const CasesFace& self, py::object now) {
                const Instant t = to_instant(now, "now");
                return change(self, [&](Workspace& ws) { return ws.cases().tick(t); });
            },
            py::arg("now"),
            "Turns lights and records breaches up to `now` over every case (without the GIL).")
        .def(
            "batch", [](const CasesFace& self) { return CaseBatch{self}; },
            "with ws.batch(): ... — the reports and commands inside are written in one "
            "transaction, or not at all when the block raises.")
        .def("begin_batch",
             [](const CasesFace& self) {
                 self->write(Gil::keep, [](Workspace& ws) { ws.cases().begin_batch(); });
             })
        .def("commit_batch",
             [](const CasesFace& self) {
                 change(self, [](Workspace& ws) { ws.cases().commit_batch(); });
             })
        .def("rollback_batch",
             [](const CasesFace& self) {
                 self->write(Gil::release, [](Workspace& ws) { ws.cases().rollback_batch(); });
             })
        .def_property_readonly("in_batch",
                               [](const CasesFace& self) {
                                   return self->read(Gil::keep, [](const Workspace& ws) {
                                       return ws.cases().in_batch();
                                   });
                               })
        .def_property_readonly("last_sequence",
                               [](const CasesFace& self) {
                                   return self->read(Gil::keep, [](const Workspace& ws) {
                                       return ws.cases().last_sequence();
                                   });
                               })
        .def(
            "head",
            [](const CasesFace& self) {
                return self->read(Gil::keep, [](const Workspace& ws) { return ws.cases().head(); });
            },
            "The end of the committed log, as a LogAnchor.")
        .def(
            "verify_log",
            [](const CasesFace& self, std::optional<LogAnchor> anchor, bool since_checkpoint) {
                if (anchor && since_checkpoint) {
                    throw Error(ErrorCode::invalid_argument,
                                "verify_log: anchor and since_checkpoint do not go together: an "
                                "anchor is checked with the whole log");
                }
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return since_checkpoint ? ws.cases().verify_log_since_checkpoint()
                                            : ws.cases().verify_log(anchor ? &*anchor : nullptr);
                });
            },
            py::arg("anchor") = py::none(), py::kw_only(), py::arg("since_checkpoint") = false,
            "Checks the log as it is in the file now (hashes, chain, numbering, and that it ends "
            "where the workspace and the anchor say); names the first bad event. With "
            "since_checkpoint=True only what follows the last signed-off checkpoint.")
        .def(
            "sign_off_log",
            [](const CasesFace& self, const std::string& by, py::object at, bool full) {
                const Instant t = to_instant(at, "at");
                return change(self,
                              [&](Workspace& ws) { return ws.cases().sign_off_log(by, t, full); });
            },
            py::arg("by"), py::arg("at"), py::kw_only(), py::arg("full") = false,
            "Verifies the log (whole with full=True or without a checkpoint yet, otherwise since "
            "the last checkpoint) and, when it checks out, records a checkpoint at its end "
            "signed off by `by` at `at`. The answer's `checkpoint` is the one recorded.")
        .def(
            "tree_root",
            [](const CasesFace& self, EventSeq size) {
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return hash_hex(ws.cases().tree_root(size));
                });
            },
            py::arg("size"), "The RFC 9162 root (hex) of the first `size` committed events.")
        .def(
            "sign_tree_head",
            [](const CasesFace& self, const SigningKey& key, const std::string& log,
               py::object at) {
                const Instant t = to_instant(at, "at");
                return change(
                    self, [&](Workspace& ws) { return ws.cases().sign_tree_head(key, log, t); });
            },
            py::arg("key"), py::arg("log"), py::arg("at"),
            "Signs a head over the committed log with the deployment's key and records it in "
            "the workspace; returns the TreeHead (str() gives the text to publish).")
        .def(
            "sign_heads_at_commit",
            [](const CasesFace& self, const SigningKey& key, const std::string& log) {
                self->write(Gil::keep,
                            [&](Workspace& ws) { ws.cases().sign_heads_at_commit(key, log); });
            },
            py::arg("key"), py::arg("log"),
            "From now on, signs and records a head at every commit that appends events, in "
            "the commit's own write; the key stays in this connection's memory only.")
        .def(
            "stop_signing_heads",
            [](const CasesFace& self) {
                self->write(Gil::keep, [](Workspace& ws) { ws.cases().stop_signing_heads(); });
            },
            "Stops signing heads at commits.")
        .def(
            "tree_heads",
            [](const CasesFace& self) {
                return self->read(Gil::release,
                                  [](const Workspace& ws) { return ws.cases().tree_heads(); });
            },
            "The heads sign_tree_head() recorded, oldest first.")
        .def(
            "prove_case",
            [](const CasesFace& self, const std::string& number, const TreeHead& head) {
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().prove_case(number, head);
                });
            },
            py::arg("number"), py::arg("head"),
            "The proof (JSON text) that the case's events up to the head are in its log; "
            "gridgov.verify_case_proof() checks it with the public key alone.")
        .def(
            "prove_consistency",
            [](const CasesFace& self, const TreeHead& older, const TreeHead& newer) {
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().prove_consistency(older, newer);
                });
            },
            py::arg("older"), py::arg("newer"),
            "The proof (JSON text) that the newer head's log extends the older one's.")
        .def(
            "audit_log",
            [](const CasesFace& self, const std::string& public_pem,
               const std::vector<TreeHead>& published) {
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.cases().audit_log(public_pem, published);
                });
            },
            py::arg("public_pem"), py::arg("published") = std::vector<TreeHead>{},
            "The auditor's whole check: the chain, the tree recomputed from the events, every "
            "recorded head and every published one; a LogAudit with findings.")
        .def(
            "log_checkpoints",
            [](const CasesFace& self) {
                return self->read(Gil::release,
                                  [](const Workspace& ws) { return ws.cases().log_checkpoints(); });
            },
            "The checkpoints sign_off_log() recorded, oldest first.")
        .def(
            "verify_cases",
            [](const CasesFace& self) {
                return self->read(Gil::release,
                                  [](const Workspace& ws) { return ws.cases().verify_cases(); });
            },
            "Replays every case from its events: one cases.replay_mismatch finding per case "
            "whose stored state differs.")
        .def(
            "on_transition",
            [](const CasesFace& self, py::object callback) {
                if (!PyCallable_Check(callback.ptr()))
                    throw py::type_error("the observer must be callable, not " +
                                         type_name(callback));
                // Looked up and created under the write lock (with the GIL held), so that
                // two threads cannot both register the engine's observer.
                const std::shared_ptr<Observers> obs = self->write(Gil::keep, [&](Workspace& ws) {
                    std::shared_ptr<Observers> o = observers_of(self.get());
                    if (!o) {
                        o = std::make_shared<Observers>();
                        o->owner = self;
                        std::shared_ptr<EventQueue> queue = o->queue;
                        o->engine_token = ws.cases().observe([queue](const CaseEvent& e) {
                            std::lock_guard lock(queue->mutex);
                            queue->events.push_back(e);
                        });
                        observers()[self.get()] = o;
                    }
                    return o;
                });
                const ObserverToken token = obs->next++;
                obs->callbacks.emplace_back(token, callback);
                return ObserverHandle{self, token};
            },
            py::arg("callback"),
            "Calls callback(event) once per committed CaseEvent, in order, after the command "
            "that committed it has released the workspace (so the callback may read it). "
            "Returns an Observer; observer.remove() unregisters it. An exception raised by the "
            "callback is recorded (take_observer_failures()), never raised: the event stays "
            "committed and the next observer still runs.")
        .def(
            "take_observer_failures",
            [](const CasesFace& self) {
                std::vector<PythonFailure> out;
                for (const ObserverFailure& f : self->write(Gil::keep, [](Workspace& ws) {
                         return ws.cases().take_observer_failures();
                     })) {
                    out.push_back({f.token, f.sequence, f.message, py::none()});
                }
                if (const std::shared_ptr<Observers> obs = observers_of(self.get())) {
                    for (PythonFailure& f : obs->failures)
                        out.push_back(std::move(f));
                    obs->failures.clear();
                }
                return out;
            },
            "The observer failures since the last call, oldest first; the list is cleared.")
        .def(
            "default_workflow",
            [](const CasesFace& self, py::object source) {
                const CaseSource s = source_arg(source);
                return self->read(
                    Gil::keep, [&](const Workspace& ws) { return ws.cases().default_workflow(s); });
            },
            py::arg("source") = "grid_worker",
            "The workflow key a new case from this source runs when report() names none.")
        .def(
            "set_default_workflow",
            [](const CasesFace& self, py::object source, const std::string& key) {
                const CaseSource s = source_arg(source);
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.cases().set_default_workflow(s, key); });
            },
            py::arg("source"), py::arg("key"))
        .def_property_readonly(
            "calendar",
            [](const CasesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.cases().calendar(); });
            },
            "A copy of the WorkingCalendar case clocks count on.")
        .def(
            "set_calendar_schedule",
            [](const CasesFace& self, py::object schedule) {
                const WorkingSchedule s =
                    py::isinstance<WorkingSchedule>(schedule)
                        ? schedule.cast<WorkingSchedule>()
                        : WorkingSchedule::from_json(text(schedule, "schedule"));
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.cases().set_calendar_schedule(s); });
            },
            py::arg("schedule"),
            "Sets the working hours (a WorkingSchedule or its JSON); counting deadlines move.")
        .def(
            "add_calendar_year",
            [](const CasesFace& self, const std::string& json, const std::string& source_name) {
                self->write(Gil::release, [&](Workspace& ws) {
                    ws.cases().add_calendar_year(json, source_name);
                });
            },
            py::arg("json"), py::arg("source_name") = "<json>",
            "Adds a holiday-cn year file (for a year the built-in data lacks).")
        .def(
            "add_calendar_overrides",
            [](const CasesFace& self, const std::string& json, const std::string& source_name) {
                self->write(Gil::release, [&](Workspace& ws) {
                    ws.cases().add_calendar_overrides(json, source_name);
                });
            },
            py::arg("json"), py::arg("source_name") = "<json>",
            "Adds local rest days and working days (holiday-cn format); counting deadlines move.")
        .def("clear_calendar_overrides",
             [](const CasesFace& self) {
                 self->write(Gil::release,
                             [](Workspace& ws) { ws.cases().clear_calendar_overrides(); });
             })
        .def(
            "read_matter_plans",
            [](const CasesFace& self, py::object path, py::object text_arg,
               py::object source_name) {
                const std::string file =
                    path.is_none() ? std::string() : py::str(path).cast<std::string>();
                const std::string body = text(text_arg, "text");
                const std::string name = text(source_name, "source_name");
                const std::vector<MatterPlan> plans =
                    self->read(Gil::release, [&](const Workspace& ws) {
                        return file.empty() ? parse_matter_plans(body, ws.hierarchy().view(),
                                                                 name.empty() ? "<plans>" : name)
                                            : read_matter_plans(file, ws.hierarchy().view());
                    });
                py::list out;
                for (const MatterPlan& p : plans) {
                    py::dict d;
                    d["number"] = p.report.number;
                    d["workflow"] = p.report.workflow;
                    d["category"] = p.report.command.category;
                    d["node"] = p.report.command.node;
                    d["reported_at"] = p.report.command.at.seconds;
                    py::list steps;
                    for (const PlannedStep& st : p.steps)
                        steps.append(command_name(st.command.command));
                    d["steps"] = steps;
                    out.append(d);
                }
                return out;
            },
            py::arg("path") = py::none(), py::kw_only(), py::arg("text") = py::none(),
            py::arg("source_name") = py::none(),
            "Reads a matter plan file (or `text`) against the workspace's hierarchy: one dict "
            "per matter with number, workflow, category, node id, reported_at (seconds) and "
            "the step command names. Errors name file, row and field.")
        .def(
            "run_plans",
            [](const CasesFace& self, py::object path, py::object text_arg, py::object source_name,
               std::size_t batch_size, std::int64_t tick_interval, py::object tick_until,
               py::object progress) {
                const std::string file =
                    path.is_none() ? std::string() : py::str(path).cast<std::string>();
                const std::string body = text(text_arg, "text");
                const std::string name = text(source_name, "source_name");
                if (file.empty() && text_arg.is_none())
                    throw Error(ErrorCode::invalid_argument, "run_plans: give a path or text");
                PlanRunOptions options;
                options.batch_size = batch_size;
                options.tick_interval = tick_interval;
                if (!tick_until.is_none())
                    options.tick_until = to_instant(tick_until, "tick_until");
                std::optional<py::error_already_set> raised;
                options.progress = progress_callback(progress, raised);
                PlanRunReport report = self->write(Gil::release, [&](Workspace& ws) {
                    const std::vector<MatterPlan> plans =
                        file.empty() ? parse_matter_plans(body, ws.hierarchy().view(),
                                                          name.empty() ? "<plans>" : name)
                                     : read_matter_plans(file, ws.hierarchy().view());
                    return run_plans(ws.cases(), plans, options);
                });
                if (raised)
                    throw std::move(*raised);
                return report;
            },
            py::arg("path") = py::none(), py::kw_only(), py::arg("text") = py::none(),
            py::arg("source_name") = py::none(), py::arg("batch_size") = 2000,
            py::arg("tick_interval") = 0, py::arg("tick_until") = py::none(),
            py::arg("progress") = py::none(),
            "Runs a matter plan file (or `text`; format in docs/cases.md) in global time order, "
            "ticking before each new instant (or every `tick_interval` seconds), `batch_size` "
            "steps per transaction, then ticking up to `tick_until`. Refused steps are "
            "plan.refused findings of the report, not exceptions. Runs without the GIL; "
            "progress(done, total) is called after each commit (return False to stop).")
        .def(
            "import_history",
            [](const CasesFace& self, py::iterable histories, std::size_t batch_size, bool trusted,
               py::object progress) {
                // Reports and commands are read into C++ first; nodes are resolved under the
                // lock.
                struct Pending {
                    ReportArg report;
                    std::vector<CaseCommand> commands;
                };
                std::vector<Pending> pending;
                std::size_t i = 0;
                for (py::handle item : histories) {
                    const std::string where = "histories[" + std::to_string(i++) + "]";
                    const py::dict h = as_dict(item, where);
                    check_keys(h, {"report", "commands"}, where);
                    if (!h.contains("report"))
                        throw Error(ErrorCode::invalid_argument,
                                    where + ": field 'report' is required");
                    const py::dict r = as_dict(h["report"], where + ".report");
                    check_keys(r, report_fields, where + ".report");
                    if (!r.contains("node"))
                        throw Error(ErrorCode::invalid_argument,
                                    where + ".report: field 'node' is required");
                    Pending p{ReportArg{get(r, "category"), get(r, "at"), get(r, "actor"),
                                        get(r, "source", py::str("grid_worker")),
                                        get(r, "reporter"), get(r, "workflow"), get(r, "number"),
                                        get(r, "note"), get(r, "evidence"),
                                        get(r, "system", py::bool_(false)).cast<bool>(),
                                        node_ref(r["node"])},
                              {}};
                    std::size_t k = 0;
                    for (py::handle c : py::iter(get(h, "commands", py::list()))) {
                        const std::string cw = where + ".commands[" + std::to_string(k++) + "]";
                        p.commands.push_back(command_from_dict(as_dict(c, cw), cw));
                    }
                    pending.push_back(std::move(p));
                }
                std::vector<NewCase> reports;
                for (const Pending& p : pending)
                    reports.push_back(new_case(p.report));
                HistoryImportOptions options;
                options.batch_size = batch_size;
                options.trusted = trusted;
                std::optional<py::error_already_set> raised;
                options.progress = progress_callback(progress, raised);
                HistoryImportReport report = self->write(Gil::release, [&](Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    std::vector<CaseHistory> all;
                    all.reserve(pending.size());
                    for (std::size_t j = 0; j < pending.size(); ++j) {
                        CaseHistory ch{reports[j], pending[j].commands};
                        ch.report.command.node = resolve(h, pending[j].report.node);
                        all.push_back(std::move(ch));
                    }
                    return ws.cases().import_history(all, options);
                });
                if (raised)
                    throw std::move(*raised);
                return report;
            },
            py::arg("histories"), py::kw_only(), py::arg("batch_size") = 1000,
            py::arg("trusted") = false, py::arg("progress") = py::none(),
            "Loads past cases: each history is {'report': {report() keywords with category and "
            "node}, 'commands': [{'command', 'at', fire() keywords}]}. Runs without the GIL; "
            "progress(done, total) is called after each committed batch (return False to stop) "
            "and must not use the workspace. Observers are not notified.");
}

void deliver_case_events(const std::shared_ptr<WorkspaceHandle>& h) {
    deliver(h);
}

}  // namespace gridgov::python
