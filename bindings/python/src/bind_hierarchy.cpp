// gridgov.Hierarchy, Node, RollUp, Overlay, levels and validation policies.
//
// Node arguments accept an id, a code or a Node. Arrays describing a hierarchy are
// read-only: zero-copy views for snapshots (which are immutable), copies for views into a
// workspace (whose storage moves on every change). Roll-up and sum_records results are
// ordinary arrays owned by the caller.
#include <pybind11/stl.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "views.hpp"

namespace gridgov::python {

std::string type_name(py::handle obj) {
    return py::str(obj.get_type().attr("__name__")).cast<std::string>();
}

NodeRef node_ref(py::handle obj) {
    if (py::isinstance<NodeView>(obj))
        return static_cast<long long>(obj.cast<const NodeView&>().id);
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    PyObject* index = PyNumber_Index(obj.ptr());
    if (index == nullptr) {
        PyErr_Clear();
        throw py::type_error("a node is given by its id (int), its code (str) or a Node, not " +
                             type_name(obj));
    }
    int overflow = 0;
    const long long id = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    return overflow != 0 ? -1LL : id;
}

NodeId resolve(const Hierarchy& h, const NodeRef& ref) {
    if (const std::string* code = std::get_if<std::string>(&ref))
        return h.at(*code);
    const long long id = std::get<long long>(ref);
    if (id < 0 || static_cast<unsigned long long>(id) >= h.id_count()) {
        throw Error(ErrorCode::not_found, "no node with id " + std::to_string(id) +
                                              " (ids run from 0 to " +
                                              std::to_string(h.id_count()) + ", exclusive)");
    }
    return static_cast<NodeId>(id);
}

std::vector<NodeRef> node_refs(py::handle iterable) {
    if (py::isinstance<py::str>(iterable)) {
        throw py::type_error("expected several nodes (a list of ids, codes or Nodes), not a str");
    }
    std::vector<NodeRef> refs;
    for (py::handle item : py::iter(iterable))
        refs.push_back(node_ref(item));
    return refs;
}

Date to_date(py::handle obj, const char* what) {
    if (py::isinstance<py::str>(obj)) {
        try {
            return Date::parse(obj.cast<std::string>());
        } catch (const Error& e) {
            throw Error(e.code(), std::string(what) + ": " + e.what());
        }
    }
    const py::module_ datetime = py::module_::import("datetime");
    if (py::isinstance(obj, datetime.attr("date"))) {
        py::object day = py::reinterpret_borrow<py::object>(obj);
        // gridgov's civil time is CST: an aware datetime counts by its date in UTC+8, a
        // naive one is CST already.
        if (py::isinstance(obj, datetime.attr("datetime")) && !day.attr("utcoffset")().is_none()) {
            const py::object cst =
                datetime.attr("timezone")(datetime.attr("timedelta")(py::arg("hours") = 8));
            day = day.attr("astimezone")(cst);
        }
        return Date::from_ymd(day.attr("year").cast<int>(), day.attr("month").cast<unsigned>(),
                              day.attr("day").cast<unsigned>());
    }
    throw py::type_error(std::string(what) + " must be a datetime.date or 'YYYY-MM-DD' text, not " +
                         type_name(obj));
}

Date to_date_or(py::handle obj, Date fallback, const char* what) {
    return obj.is_none() ? fallback : to_date(obj, what);
}

py::object from_date(Date d) {
    if (d <= Date::min() || d >= Date::max())
        return py::none();
    return py::module_::import("datetime").attr("date")(d.year(), d.month(), d.day());
}

namespace {

py::object optional_value(double v) {
    return is_missing(v) ? py::object(py::none()) : py::object(py::float_(v));
}

py::object optional_id(NodeId id) {
    return id == no_node ? py::object(py::none()) : py::object(py::int_(id));
}

std::vector<NodeId> copy_ids(IdSpan s) {
    return {s.begin(), s.end()};
}

void set_read_only(py::array& a) {
    a.attr("setflags")(py::arg("write") = false);
}

// A read-only array over storage inside the hierarchy: zero-copy for a snapshot (the
// array keeps the snapshot alive), a copy for a workspace view. get(h) returns
// {pointer, size} into h.
template <class T, class Get>
py::array_t<T> hierarchy_array(const HierarchyView& v, Get get) {
    if (v.snapshot) {
        const auto [data, size] = get(*v.snapshot);
        using Keep = std::shared_ptr<const Hierarchy>;
        auto keep = std::make_unique<Keep>(v.snapshot);
        py::capsule owner(keep.get(), [](void* p) { delete static_cast<Keep*>(p); });
        keep.release();
        py::array_t<T> a(static_cast<py::ssize_t>(size), data, owner);
        set_read_only(a);
        return a;
    }
    std::vector<T> copy = v.read(Gil::keep, [&](const Hierarchy& h) {
        const auto [data, size] = get(h);
        return std::vector<T>(data, data + size);
    });
    return owning_array(std::move(copy), true);
}

template <class Get>
py::array_t<NodeId> id_array(const HierarchyView& v, Get get) {
    return hierarchy_array<NodeId>(v, get);
}

py::array_t<NodeId> computed_ids(std::vector<NodeId>&& ids) {
    return owning_array(std::move(ids), true);
}

// repr() must not raise, also for views into a closed workspace.
bool closed(const HierarchyView& v) {
    return v.workspace && v.workspace->closed();
}

NodeView node_view(const HierarchyView& v, NodeId id) {
    return NodeView{v, id};
}

py::list node_list(const HierarchyView& v, const std::vector<NodeId>& ids) {
    py::list out;
    for (NodeId id : ids)
        out.append(node_view(v, id));
    return out;
}

// Reads one node under the hierarchy's lock; f(h, id) must not touch Python.
template <class F>
auto with_node(const HierarchyView& v, const NodeRef& ref, F&& f) {
    return v.read(Gil::keep, [&](const Hierarchy& h) { return f(h, resolve(h, ref)); });
}

template <class F>
auto with_node(const NodeView& n, F&& f) {
    return n.hierarchy.read(Gil::keep, [&](const Hierarchy& h) { return f(h, n.id); });
}

const std::string& level_key(const Hierarchy& h, NodeId id) {
    return h.levels()[h.level(id)].key;
}

int level_index(const Hierarchy& h, py::handle level) {
    if (py::isinstance<py::str>(level)) {
        const std::string key = level.cast<std::string>();
        const int i = h.levels().index_of(key);
        if (i < 0) {
            std::string known;
            for (const Level& l : h.levels().levels())
                known += (known.empty() ? "" : ", ") + l.key;
            throw Error(ErrorCode::not_found,
                        "no level '" + key + "' in this hierarchy (levels: " + known + ")");
        }
        return i;
    }
    const long long i = level.cast<long long>();
    if (i < 0 || static_cast<std::size_t>(i) >= h.levels().size()) {
        throw Error(ErrorCode::not_found, "no level with index " + std::to_string(i) +
                                              " (there are " + std::to_string(h.levels().size()) +
                                              " levels)");
    }
    return static_cast<int>(i);
}

py::dict spec_dict(const NodeSpec& s) {
    py::dict d;
    d["code"] = s.code;
    d["parent"] = s.parent_code;
    d["name"] = s.name;
    d["level"] = s.level;
    d["kind"] = grid_kind_name(s.kind);
    d["area_type"] = area_type_name(s.area_type);
    d["area_class"] = s.area_class;
    d["households"] = optional_value(s.households);
    d["population"] = optional_value(s.population);
    d["area_m2"] = optional_value(s.area_m2);
    py::dict attributes;
    for (const auto& [key, value] : s.attributes)
        attributes[py::str(key)] = value;
    d["attributes"] = attributes;
    d["geometry"] = s.geometry.empty() ? py::object(py::none()) : py::object(py::str(s.geometry));
    return d;
}

struct NodeSummary {
    NodeId id;
    std::string code, name, level;
    bool live;
    double households;
};

std::string node_repr(const NodeSummary& s) {
    std::string r = "<Node " + std::to_string(s.id) + " " + s.code + " " + s.name + " (" + s.level;
    if (!is_missing(s.households)) {
        r += ", " + std::to_string(static_cast<long long>(std::llround(s.households))) +
             " households";
    }
    if (!s.live)
        r += ", retired";
    return r + ")>";
}

// What Hierarchy.roll_up returns: the four per-id arrays plus the live ids in pre-order
// and their codes, taken under the same lock so that they agree.
struct RollUpResult {
    RollUp values;
    std::vector<NodeId> ids;
    std::vector<std::string> codes;
    std::string label;
};

template <class T>
py::array_t<T> rollup_array(py::object self, const std::vector<T>& v) {
    return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data(), self);
}

// Record locations for sum_records as NodeIds. Negative or oversized values become an
// id past every hierarchy, so that the range check names them instead of wrapping round.
std::vector<NodeId> record_ids(py::handle nodes) {
    auto a = py::array::ensure(nodes);
    if (!a || a.ndim() != 1) {
        throw py::type_error("sum_records: nodes must be a 1-D array of node ids, not " +
                             type_name(nodes));
    }
    if (a.size() == 0)
        return {};
    const char kind = a.dtype().kind();
    if (kind != 'i' && kind != 'u') {
        throw py::type_error("sum_records: node ids must be integers, not dtype " +
                             py::str(a.dtype()).cast<std::string>());
    }
    if (kind == 'u' && a.itemsize() <= 4) {
        auto u = py::array_t<NodeId, py::array::c_style | py::array::forcecast>::ensure(a);
        return {u.data(), u.data() + u.size()};
    }
    auto wide = py::array_t<long long, py::array::c_style | py::array::forcecast>::ensure(a);
    std::vector<NodeId> ids(static_cast<std::size_t>(wide.size()));
    const long long* p = wide.data();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ids[i] = p[i] < 0 || p[i] >= static_cast<long long>(no_node) ? no_node
                                                                     : static_cast<NodeId>(p[i]);
    }
    return ids;
}

// Columns of the live nodes in pre-order, gathered under one lock for to_dict().
struct Table {
    std::vector<NodeId> ids;
    std::vector<std::string> code, name, level, parent, kind, area_type, area_class;
    std::vector<int> depth;
    std::vector<std::string> column_names;
    std::vector<std::vector<double>> columns;
};

Table table_of(const Hierarchy& h) {
    Table t;
    t.ids = h.preorder();
    const std::size_t n = t.ids.size();
    for (auto* v : {&t.code, &t.name, &t.level, &t.parent, &t.kind, &t.area_type, &t.area_class}) {
        v->reserve(n);
    }
    t.depth.reserve(n);
    for (NodeId id : t.ids) {
        t.code.push_back(h.code(id));
        t.name.push_back(h.name(id));
        t.level.push_back(level_key(h, id));
        const NodeId p = h.parent(id);
        t.parent.push_back(p == no_node ? std::string() : h.code(p));
        t.kind.push_back(grid_kind_name(h.kind(id)));
        t.area_type.push_back(area_type_name(h.area_type(id)));
        t.area_class.push_back(h.area_class(id));
        t.depth.push_back(h.depth(id));
    }
    t.column_names = h.column_names();
    for (const std::string& c : t.column_names) {
        const std::vector<double>& all = h.column(c);
        std::vector<double> live(n);
        for (std::size_t i = 0; i < n; ++i)
            live[i] = all[t.ids[i]];
        t.columns.push_back(std::move(live));
    }
    return t;
}

const SizingPolicy& sizing_preset(const std::string& name) {
    std::string known;
    for (const SizingPolicy& p : SizingPolicy::presets()) {
        if (p.name == name)
            return p;
        known += (known.empty() ? "" : ", ") + p.name;
    }
    throw Error(ErrorCode::invalid_argument,
                "no sizing policy named '" + name + "' (presets: " + known + ")");
}

SizingPolicy sizing_policy(py::handle obj) {
    if (obj.is_none())
        return SizingPolicy::none();
    if (py::isinstance<py::str>(obj))
        return sizing_preset(obj.cast<std::string>());
    if (py::isinstance<SizingPolicy>(obj))
        return obj.cast<SizingPolicy>();
    throw py::type_error("sizing must be a SizingPolicy or a preset name, not " + type_name(obj));
}

}  // namespace

LevelScheme level_scheme(py::handle obj) {
    if (py::isinstance<LevelScheme>(obj))
        return obj.cast<LevelScheme>();
    if (py::isinstance<py::str>(obj)) {
        const std::string name = obj.cast<std::string>();
        if (name == "fire_safety")
            return fire_safety_levels();
        if (name == "market_supervision")
            return market_supervision_levels();
        if (name == "urban_management")
            return urban_management_levels();
        if (name == "chinese_default")
            return LevelScheme::chinese_default();
        throw Error(ErrorCode::invalid_argument,
                    "no built-in level scheme named '" + name +
                        "' (fire_safety, market_supervision, urban_management, chinese_default)");
    }
    std::vector<Level> levels;
    for (py::handle item : py::iter(obj)) {
        if (!py::isinstance<Level>(item)) {
            throw py::type_error("levels must be Level objects, not " + type_name(item));
        }
        levels.push_back(item.cast<Level>());
    }
    return LevelScheme(std::move(levels));
}

ValidationPolicy validation_policy(py::handle obj) {
    if (obj.is_none())
        return ValidationPolicy{};
    if (py::isinstance<ValidationPolicy>(obj))
        return obj.cast<ValidationPolicy>();
    if (py::isinstance<SizingPolicy>(obj) || py::isinstance<py::str>(obj)) {
        ValidationPolicy p;
        p.sizing = sizing_policy(obj);
        return p;
    }
    throw py::type_error(
        "policy must be a ValidationPolicy, a SizingPolicy or a preset name, not " +
        type_name(obj));
}

void bind_hierarchy(py::module_& m) {
    py::class_<Level>(m, "Level", "One level of a hierarchy (province, county, grid, ...).")
        .def(py::init([](std::string key, std::string name_zh, std::string name_en,
                         int code_digits) {
                 return Level{std::move(key), std::move(name_zh), std::move(name_en), code_digits};
             }),
             py::arg("key"), py::arg("name_zh") = "", py::arg("name_en") = "",
             py::arg("code_digits") = 0)
        .def_readwrite("key", &Level::key)
        .def_readwrite("name_zh", &Level::name_zh)
        .def_readwrite("name_en", &Level::name_en)
        .def_readwrite("code_digits", &Level::code_digits,
                       "Digits a node at this level appends to its parent's code (0 = free-form).")
        .def("__repr__", [](const Level& l) {
            return "<Level " + l.key + " " + l.name_zh + " (" + std::to_string(l.code_digits) +
                   " digits)>";
        });

    py::class_<LevelScheme>(m, "LevelScheme", "The ordered levels of a hierarchy, top down.")
        .def(py::init([](py::object levels) { return level_scheme(levels); }), py::arg("levels"),
             "From a list of Level objects or a built-in name (fire_safety, market_supervision, "
             "urban_management, chinese_default).")
        .def_static("chinese_default", &LevelScheme::chinese_default,
                    "省 市 县区 乡镇街道 村社区 网格 微网格 with GB/T 2260 code digits.")
        .def_static("fire_safety", &fire_safety_levels, "消防 大/中/小网格.")
        .def_static("market_supervision", &market_supervision_levels, "工商 段区.")
        .def_static("urban_management", &urban_management_levels, "城管 单元网格.")
        .def("__len__", &LevelScheme::size)
        .def("__getitem__",
             [](const LevelScheme& s, long long i) {
                 const long long n = static_cast<long long>(s.size());
                 if (i < 0)
                     i += n;
                 if (i < 0 || i >= n)
                     throw py::index_error("level index out of range");
                 return s[static_cast<std::size_t>(i)];
             })
        .def("__iter__", [](const LevelScheme& s) { return py::iter(py::cast(s.levels())); })
        .def_property_readonly("keys",
                               [](const LevelScheme& s) {
                                   std::vector<std::string> keys;
                                   for (const Level& l : s.levels())
                                       keys.push_back(l.key);
                                   return keys;
                               })
        .def("index_of", &LevelScheme::index_of, py::arg("key"),
             "Index of the level with this key, or -1.")
        .def("code_length", &LevelScheme::code_length, py::arg("index"),
             "Total code length of a node at this level (0 if a level above is free-form).")
        .def("__repr__", [](const LevelScheme& s) {
            std::string keys;
            for (const Level& l : s.levels())
                keys += (keys.empty() ? "" : " > ") + l.key;
            return "<LevelScheme " + keys + ">";
        });

    py::class_<SizingRule>(m, "SizingRule",
                           "Allowed household range for the nodes of one level and area type.")
        .def(py::init([](std::string level, std::string area_type, std::string area_class,
                         double min_households, double max_households, std::string source) {
                 SizingRule r;
                 r.level = std::move(level);
                 r.area_type = parse_area_type(area_type);
                 r.area_class = std::move(area_class);
                 r.min_households = min_households;
                 r.max_households = max_households;
                 r.source = std::move(source);
                 return r;
             }),
             py::kw_only(), py::arg("level") = "grid", py::arg("area_type") = "",
             py::arg("area_class") = "", py::arg("min_households") = 0.0,
             py::arg("max_households") = 0.0, py::arg("source") = "")
        .def_readwrite("level", &SizingRule::level)
        .def_property(
            "area_type", [](const SizingRule& r) { return area_type_name(r.area_type); },
            [](SizingRule& r, const std::string& t) { r.area_type = parse_area_type(t); })
        .def_readwrite("area_class", &SizingRule::area_class)
        .def_readwrite("min_households", &SizingRule::min_households)
        .def_readwrite("max_households", &SizingRule::max_households)
        .def_readwrite("source", &SizingRule::source)
        .def("__repr__", [](const SizingRule& r) {
            return "<SizingRule " + r.level + " " + area_type_name(r.area_type) + " " +
                   std::to_string(static_cast<long long>(r.min_households)) + ".." +
                   std::to_string(static_cast<long long>(r.max_households)) + " households>";
        });

    py::class_<SizingPolicy>(m, "SizingPolicy", "A named set of sizing rules.")
        .def(py::init([](std::string name, std::vector<SizingRule> rules) {
                 return SizingPolicy{std::move(name), std::move(rules)};
             }),
             py::arg("name"), py::arg("rules"))
        .def_readwrite("name", &SizingPolicy::name)
        .def_readwrite("rules", &SizingPolicy::rules)
        .def_static("none", &SizingPolicy::none)
        .def_static("rural_township_150", &SizingPolicy::rural_township_150,
                    "Rural base grids of about 150 households.")
        .def_static("urban_rural_mixed", &SizingPolicy::urban_rural_mixed,
                    "Estates 500, mixed urban 300, rural 400 households.")
        .def_static("national_guideline", &SizingPolicy::national_guideline,
                    "Urban 300-500, rural about 300 households.")
        .def_static("presets", &SizingPolicy::presets)
        .def("__repr__", [](const SizingPolicy& p) {
            return "<SizingPolicy " + p.name + " (" + std::to_string(p.rules.size()) + " rules)>";
        });

    py::class_<ValidationPolicy>(m, "ValidationPolicy", "What validate() checks.")
        .def(py::init([](py::object sizing, std::string grid_level, std::string village_level,
                         bool check_code_prefix, bool check_code_length, bool check_unit_grid_id,
                         bool require_households) {
                 ValidationPolicy p;
                 p.sizing = sizing_policy(sizing);
                 p.grid_level = std::move(grid_level);
                 p.village_level = std::move(village_level);
                 p.check_code_prefix = check_code_prefix;
                 p.check_code_length = check_code_length;
                 p.check_unit_grid_id = check_unit_grid_id;
                 p.require_households = require_households;
                 return p;
             }),
             py::kw_only(), py::arg("sizing") = py::none(), py::arg("grid_level") = "grid",
             py::arg("village_level") = "village", py::arg("check_code_prefix") = true,
             py::arg("check_code_length") = true, py::arg("check_unit_grid_id") = true,
             py::arg("require_households") = true,
             "sizing: a SizingPolicy, a preset name such as 'rural_township_150', or None.")
        .def_property(
            "sizing", [](const ValidationPolicy& p) { return p.sizing; },
            [](ValidationPolicy& p, py::object s) { p.sizing = sizing_policy(s); })
        .def_readwrite("grid_level", &ValidationPolicy::grid_level)
        .def_readwrite("village_level", &ValidationPolicy::village_level)
        .def_readwrite("check_code_prefix", &ValidationPolicy::check_code_prefix)
        .def_readwrite("check_code_length", &ValidationPolicy::check_code_length)
        .def_readwrite("check_unit_grid_id", &ValidationPolicy::check_unit_grid_id)
        .def_readwrite("require_households", &ValidationPolicy::require_households)
        .def("__repr__", [](const ValidationPolicy& p) {
            return "<ValidationPolicy sizing=" + p.sizing.name + " grid_level=" + p.grid_level +
                   ">";
        });

    py::class_<HierarchyChange>(m, "Change", "One entry of a hierarchy's history.")
        .def_readonly("seq", &HierarchyChange::seq, "Recording order, 1-based.")
        .def_property_readonly(
            "effective", [](const HierarchyChange& c) { return from_date(c.effective); },
            "The effective date (None: since forever).")
        .def_property_readonly(
            "kind", [](const HierarchyChange& c) { return std::string(change_kind_name(c.kind)); })
        .def_property_readonly("node", [](const HierarchyChange& c) { return optional_id(c.node); })
        .def_property_readonly(
            "target", [](const HierarchyChange& c) { return optional_id(c.target); },
            "move: the new parent; merge: the merged node.")
        .def_readonly("text", &HierarchyChange::text,
                      "rename: the new name; set_value: the column.")
        .def_property_readonly("value",
                               [](const HierarchyChange& c) { return optional_value(c.value); })
        .def_readonly("related", &HierarchyChange::related,
                      "split: the new parts; merge: all sources.")
        .def_property_readonly(
            "spec",
            [](const HierarchyChange& c) {
                return c.spec.code.empty() ? py::object(py::none()) : py::object(spec_dict(c.spec));
            },
            "add: the node as given, as a dict.")
        .def("__repr__", [](const HierarchyChange& c) {
            std::string r = "<Change " + std::to_string(c.seq) + " " + c.effective.to_string() +
                            " " + change_kind_name(c.kind);
            if (c.node != no_node)
                r += " node " + std::to_string(c.node);
            if (c.target != no_node)
                r += " -> " + std::to_string(c.target);
            if (!c.text.empty())
                r += " " + c.text;
            if (!is_missing(c.value))
                r += " = " + py::repr(py::float_(c.value)).cast<std::string>();
            return r + ">";
        });

    py::class_<NodeView>(m, "Node",
                         "A lightweight view of one node; every attribute is read on access.")
        .def_property_readonly("id", [](const NodeView& n) { return n.id; })
        .def_property_readonly("hierarchy", [](const NodeView& n) { return n.hierarchy; })
        .def_property_readonly("code",
                               [](const NodeView& n) {
                                   return with_node(n,
                                                    [](auto& h, NodeId id) { return h.code(id); });
                               })
        .def_property_readonly("name",
                               [](const NodeView& n) {
                                   return with_node(n,
                                                    [](auto& h, NodeId id) { return h.name(id); });
                               })
        .def_property_readonly(
            "level",
            [](const NodeView& n) {
                return with_node(n, [](auto& h, NodeId id) { return level_key(h, id); });
            },
            "The level key, e.g. 'grid'.")
        .def_property_readonly("level_index",
                               [](const NodeView& n) {
                                   return with_node(n,
                                                    [](auto& h, NodeId id) { return h.level(id); });
                               })
        .def_property_readonly("kind",
                               [](const NodeView& n) {
                                   return with_node(n, [](auto& h, NodeId id) {
                                       return std::string(grid_kind_name(h.kind(id)));
                                   });
                               })
        .def_property_readonly("area_type",
                               [](const NodeView& n) {
                                   return with_node(n, [](auto& h, NodeId id) {
                                       return std::string(area_type_name(h.area_type(id)));
                                   });
                               })
        .def_property_readonly("area_class",
                               [](const NodeView& n) {
                                   return with_node(
                                       n, [](auto& h, NodeId id) { return h.area_class(id); });
                               })
        .def_property_readonly(
            "geometry",
            [](const NodeView& n) {
                std::string g = with_node(n, [](auto& h, NodeId id) { return h.geometry(id); });
                return g.empty() ? py::object(py::none()) : py::object(py::str(g));
            },
            "The GeoJSON geometry text, or None.")
        .def_property_readonly("households",
                               [](const NodeView& n) {
                                   return optional_value(with_node(n, [](auto& h, NodeId id) {
                                       return h.value(id, "households");
                                   }));
                               })
        .def_property_readonly("population",
                               [](const NodeView& n) {
                                   return optional_value(with_node(n, [](auto& h, NodeId id) {
                                       return h.value(id, "population");
                                   }));
                               })
        .def_property_readonly("area_m2",
                               [](const NodeView& n) {
                                   return optional_value(with_node(n, [](auto& h, NodeId id) {
                                       return h.value(id, "area_m2");
                                   }));
                               })
        .def(
            "value",
            [](const NodeView& n, const std::string& column) {
                return optional_value(
                    with_node(n, [&](auto& h, NodeId id) { return h.value(id, column); }));
            },
            py::arg("column"), "One numeric column; None when the node has no value.")
        .def_property_readonly(
            "values",
            [](const NodeView& n) {
                auto pairs = with_node(n, [](const Hierarchy& h, NodeId id) {
                    std::vector<std::pair<std::string, double>> out;
                    for (const std::string& c : h.column_names()) {
                        const double v = h.value(id, c);
                        if (!is_missing(v))
                            out.emplace_back(c, v);
                    }
                    return out;
                });
                py::dict d;
                for (const auto& [c, v] : pairs)
                    d[py::str(c)] = v;
                return d;
            },
            "Every numeric column that has a value, as a dict.")
        .def_property_readonly("live",
                               [](const NodeView& n) {
                                   return with_node(
                                       n, [](auto& h, NodeId id) { return h.is_live(id); });
                               })
        .def_property_readonly(
            "created_on",
            [](const NodeView& n) {
                return from_date(with_node(n, [](auto& h, NodeId id) { return h.created_on(id); }));
            })
        .def_property_readonly(
            "retired_on",
            [](const NodeView& n) {
                return from_date(with_node(n, [](auto& h, NodeId id) { return h.retired_on(id); }));
            },
            "None while the node is live.")
        .def_property_readonly(
            "parent",
            [](const NodeView& n) {
                const NodeId p = with_node(n, [](auto& h, NodeId id) { return h.parent(id); });
                return p == no_node ? py::object(py::none()) : py::cast(node_view(n.hierarchy, p));
            })
        .def_property_readonly("children",
                               [](const NodeView& n) {
                                   return node_list(n.hierarchy,
                                                    with_node(n, [](auto& h, NodeId id) {
                                                        return copy_ids(h.children(id));
                                                    }));
                               })
        .def_property_readonly("depth",
                               [](const NodeView& n) {
                                   return with_node(n,
                                                    [](auto& h, NodeId id) { return h.depth(id); });
                               })
        .def_property_readonly(
            "path",
            [](const NodeView& n) {
                std::vector<NodeId> ids =
                    with_node(n, [](auto& h, NodeId id) { return h.path_to_root(id); });
                return node_list(n.hierarchy, std::vector<NodeId>(ids.rbegin(), ids.rend()));
            },
            "The nodes from the root down to this node.")
        .def("__index__", [](const NodeView& n) { return n.id; })
        .def("__eq__",
             [](const NodeView& a, py::object b) -> py::object {
                 if (!py::isinstance<NodeView>(b))
                     return py::reinterpret_borrow<py::object>(Py_NotImplemented);
                 const NodeView& o = b.cast<const NodeView&>();
                 return py::bool_(a.id == o.id && a.hierarchy.same_source(o.hierarchy));
             })
        .def("__hash__", [](const NodeView& n) { return std::hash<NodeId>{}(n.id); })
        .def("__repr__", [](const NodeView& n) {
            if (closed(n.hierarchy))
                return "<Node " + std::to_string(n.id) + " of a closed workspace>";
            return node_repr(with_node(n, [](const Hierarchy& h, NodeId id) {
                return NodeSummary{id,
                                   h.code(id),
                                   h.name(id),
                                   level_key(h, id),
                                   h.is_live(id),
                                   h.value(id, "households")};
            }));
        });

    py::class_<RollUpResult, std::shared_ptr<RollUpResult>>(
        m, "RollUp",
        "Subtree aggregates of one column. sum/min/max/count are indexed by node id (retired ids "
        "hold NaN and 0); ids and codes list the live nodes in pre-order.")
        .def_property_readonly("sum",
                               [](py::object self) {
                                   return rollup_array(self,
                                                       self.cast<const RollUpResult&>().values.sum);
                               })
        .def_property_readonly("min",
                               [](py::object self) {
                                   return rollup_array(self,
                                                       self.cast<const RollUpResult&>().values.min);
                               })
        .def_property_readonly("max",
                               [](py::object self) {
                                   return rollup_array(self,
                                                       self.cast<const RollUpResult&>().values.max);
                               })
        .def_property_readonly(
            "count",
            [](py::object self) {
                return rollup_array(self, self.cast<const RollUpResult&>().values.count);
            },
            "Nodes in each subtree that have a value.")
        .def_property_readonly("ids",
                               [](py::object self) {
                                   return rollup_array(self, self.cast<const RollUpResult&>().ids);
                               })
        .def_property_readonly("codes", [](const RollUpResult& r) { return r.codes; })
        .def_readonly("label", &RollUpResult::label,
                      "The column rolled up ('values' for an array).")
        .def("__len__", [](const RollUpResult& r) { return r.ids.size(); })
        .def("__repr__", [](const RollUpResult& r) {
            return "<RollUp of " + r.label + " over " + std::to_string(r.ids.size()) + " nodes>";
        });

    py::class_<HierarchyView>(
        m, "Hierarchy",
        "A forest of nodes with dense stable ids. Either a view into a workspace (it follows "
        "the workspace's changes) or an immutable snapshot (as_of, snapshot).")
        .def(
            "__len__",
            [](const HierarchyView& v) {
                return v.read(Gil::keep, [](auto& h) { return h.size(); });
            },
            "Live nodes.")
        .def_property_readonly(
            "id_count",
            [](const HierarchyView& v) {
                return v.read(Gil::keep, [](auto& h) { return h.id_count(); });
            },
            "Ids ever assigned, live and retired; arrays indexed by id have this length.")
        .def_property_readonly("is_snapshot",
                               [](const HierarchyView& v) { return bool(v.snapshot); })
        .def_property_readonly("levels",
                               [](const HierarchyView& v) {
                                   return v.read(Gil::keep, [](auto& h) { return h.levels(); });
                               })
        .def(
            "find",
            [](const HierarchyView& v, const std::string& code) {
                const auto id = v.read(Gil::keep, [&](auto& h) { return h.find(code); });
                return id ? py::object(py::int_(*id)) : py::object(py::none());
            },
            py::arg("code"), "The id of the live node with this code, or None.")
        .def(
            "at",
            [](const HierarchyView& v, const std::string& code) {
                return v.read(Gil::keep, [&](auto& h) { return h.at(code); });
            },
            py::arg("code"), "The id of the live node with this code; NotFoundError otherwise.")
        .def(
            "node",
            [](const HierarchyView& v, py::object node) {
                const NodeRef ref = node_ref(node);
                return node_view(v, v.read(Gil::keep, [&](auto& h) { return resolve(h, ref); }));
            },
            py::arg("node"), "A Node view for an id or a code.")
        .def("__getitem__",
             [](const HierarchyView& v, const std::string& code) {
                 return node_view(v, v.read(Gil::keep, [&](auto& h) { return h.at(code); }));
             })
        .def("__contains__",
             [](const HierarchyView& v, py::object node) {
                 const NodeRef ref = node_ref(node);
                 return v.read(Gil::keep, [&](const Hierarchy& h) {
                     if (const auto* code = std::get_if<std::string>(&ref)) {
                         return h.find(*code).has_value();
                     }
                     const long long id = std::get<long long>(ref);
                     return id >= 0 && h.is_live(static_cast<NodeId>(id));
                 });
             })
        .def(
            "__iter__",
            [](const HierarchyView& v) {
                return py::iter(node_list(
                    v, v.read(Gil::keep, [](const Hierarchy& h) { return h.preorder(); })));
            },
            "Live nodes in pre-order.")
        .def(
            "is_live",
            [](const HierarchyView& v, py::object node) {
                const NodeRef ref = node_ref(node);
                return with_node(v, ref, [](auto& h, NodeId id) { return h.is_live(id); });
            },
            py::arg("node"))
        .def(
            "code",
            [](const HierarchyView& v, py::object node) {
                return with_node(v, node_ref(node), [](auto& h, NodeId id) { return h.code(id); });
            },
            py::arg("node"))
        .def(
            "name",
            [](const HierarchyView& v, py::object node) {
                return with_node(v, node_ref(node), [](auto& h, NodeId id) { return h.name(id); });
            },
            py::arg("node"))
        .def(
            "level",
            [](const HierarchyView& v, py::object node) {
                return with_node(v, node_ref(node),
                                 [](auto& h, NodeId id) { return level_key(h, id); });
            },
            py::arg("node"), "The level key of a node.")
        .def(
            "value",
            [](const HierarchyView& v, py::object node, const std::string& column) {
                return optional_value(with_node(
                    v, node_ref(node), [&](auto& h, NodeId id) { return h.value(id, column); }));
            },
            py::arg("node"), py::arg("column"), "One numeric value; None when missing.")
        .def(
            "parent",
            [](const HierarchyView& v, py::object node) {
                return optional_id(
                    with_node(v, node_ref(node), [](auto& h, NodeId id) { return h.parent(id); }));
            },
            py::arg("node"), "The parent's id, or None for a root.")
        .def(
            "children",
            [](const HierarchyView& v, py::object node) {
                const NodeRef ref = node_ref(node);
                return id_array(v, [&](const Hierarchy& h) {
                    const IdSpan s = h.children(resolve(h, ref));
                    return std::pair{s.begin(), s.size()};
                });
            },
            py::arg("node"), "Ids of the live children, in pre-order (uint32 array).")
        .def(
            "roots",
            [](const HierarchyView& v) {
                return id_array(v, [](const Hierarchy& h) {
                    const IdSpan s = h.roots();
                    return std::pair{s.begin(), s.size()};
                });
            },
            "Ids of the live roots (uint32 array).")
        .def(
            "depth",
            [](const HierarchyView& v, py::object node) {
                return with_node(v, node_ref(node), [](auto& h, NodeId id) { return h.depth(id); });
            },
            py::arg("node"), "0 for a root.")
        .def(
            "path_to_root",
            [](const HierarchyView& v, py::object node) {
                return computed_ids(with_node(
                    v, node_ref(node), [](auto& h, NodeId id) { return h.path_to_root(id); }));
            },
            py::arg("node"), "Ids of the node, its parent, ..., its root (uint32 array).")
        .def(
            "is_ancestor",
            [](const HierarchyView& v, py::object ancestor, py::object node) {
                const NodeRef a = node_ref(ancestor), n = node_ref(node);
                return v.read(Gil::keep, [&](const Hierarchy& h) {
                    return h.is_ancestor(resolve(h, a), resolve(h, n));
                });
            },
            py::arg("ancestor"), py::arg("node"), "True when ancestor is node or lies above it.")
        .def(
            "lowest_common_ancestor",
            [](const HierarchyView& v, py::object a, py::object b) {
                const NodeRef ra = node_ref(a), rb = node_ref(b);
                return optional_id(v.read(Gil::keep, [&](const Hierarchy& h) {
                    return h.lowest_common_ancestor(resolve(h, ra), resolve(h, rb));
                }));
            },
            py::arg("a"), py::arg("b"), "The id of the lowest common ancestor, or None.")
        .def(
            "preorder",
            [](const HierarchyView& v) {
                return id_array(v, [](const Hierarchy& h) {
                    const std::vector<NodeId>& p = h.preorder();
                    return std::pair{p.data(), p.size()};
                });
            },
            "Every live id in pre-order (uint32 array); every subtree is a contiguous slice.")
        .def(
            "preorder_position",
            [](const HierarchyView& v, py::object node) {
                return with_node(v, node_ref(node),
                                 [](auto& h, NodeId id) { return h.preorder_position(id); });
            },
            py::arg("node"))
        .def(
            "subtree_range",
            [](const HierarchyView& v, py::object node) {
                const PreorderRange r =
                    with_node(v, node_ref(node), [](auto& h, NodeId id) { return h.subtree(id); });
                return py::module_::import("builtins").attr("range")(r.begin, r.end);
            },
            py::arg("node"), "The positions of the node's subtree in preorder(), as a range.")
        .def(
            "subtree",
            [](const HierarchyView& v, py::object node) {
                const NodeRef ref = node_ref(node);
                return id_array(v, [&](const Hierarchy& h) {
                    const PreorderRange r = h.subtree(resolve(h, ref));
                    return std::pair{h.preorder().data() + r.begin, std::size_t{r.size()}};
                });
            },
            py::arg("node"),
            "Ids of the node and its live descendants, in pre-order (uint32 array).")
        .def(
            "nodes_at_level",
            [](const HierarchyView& v, py::object level) {
                return computed_ids(v.read(Gil::keep, [&](const Hierarchy& h) {
                    return h.nodes_at_level(level_index(h, level));
                }));
            },
            py::arg("level"), "Ids of the live nodes of a level (key or index), in pre-order.")
        .def_property_readonly("column_names",
                               [](const HierarchyView& v) {
                                   return v.read(Gil::keep,
                                                 [](auto& h) { return h.column_names(); });
                               })
        .def(
            "has_column",
            [](const HierarchyView& v, const std::string& name) {
                return v.read(Gil::keep, [&](auto& h) { return h.has_column(name); });
            },
            py::arg("name"))
        .def(
            "column",
            [](const HierarchyView& v, const std::string& name) {
                return hierarchy_array<double>(v, [&](const Hierarchy& h) {
                    const std::vector<double>& c = h.column(name);
                    return std::pair{c.data(), c.size()};
                });
            },
            py::arg("name"),
            "One numeric column indexed by node id (float64, NaN = no value, read-only).")
        .def(
            "roll_up",
            [](const HierarchyView& v, py::object what) {
                auto result = std::make_shared<RollUpResult>();
                const auto fill = [&](const Hierarchy& h, auto&& compute) {
                    result->values = compute(h);
                    result->ids = h.preorder();
                    result->codes.reserve(result->ids.size());
                    for (NodeId id : result->ids)
                        result->codes.push_back(h.code(id));
                };
                if (py::isinstance<py::str>(what)) {
                    result->label = what.cast<std::string>();
                    v.read(Gil::release, [&](const Hierarchy& h) {
                        fill(h, [&](const Hierarchy& hh) { return hh.roll_up(result->label); });
                    });
                    return result;
                }
                auto values =
                    py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(what);
                if (!values || values.ndim() != 1) {
                    throw py::type_error(
                        "roll_up takes a column name or a 1-D array of numbers indexed by node id");
                }
                result->label = "values";
                std::vector<double> copy(values.data(), values.data() + values.size());
                v.read(Gil::release, [&](const Hierarchy& h) {
                    if (copy.size() != h.id_count()) {
                        throw Error(ErrorCode::invalid_argument,
                                    "roll_up values have " + std::to_string(copy.size()) +
                                        " entries; the hierarchy has " +
                                        std::to_string(h.id_count()) + " ids");
                    }
                    fill(h, [&](const Hierarchy& hh) { return hh.roll_up(copy); });
                });
                return result;
            },
            py::arg("column"),
            "Sum, min, max and count over every live subtree, of a column (by name) or of a "
            "float array indexed by node id. Runs without the GIL.")
        .def(
            "sum_records",
            [](const HierarchyView& v, py::object nodes, py::object weights) {
                std::vector<NodeId> ids = record_ids(nodes);
                std::vector<double> w;
                if (!weights.is_none()) {
                    auto wa =
                        py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
                            weights);
                    if (!wa || wa.ndim() != 1 ||
                        static_cast<std::size_t>(wa.size()) != ids.size()) {
                        throw Error(ErrorCode::invalid_argument,
                                    "sum_records: weights must be a 1-D array with one number per "
                                    "record (" +
                                        std::to_string(ids.size()) + ")");
                    }
                    w.assign(wa.data(), wa.data() + wa.size());
                }
                std::vector<double> sums = v.read(Gil::release, [&](const Hierarchy& h) {
                    for (std::size_t i = 0; i < ids.size(); ++i) {
                        if (ids[i] >= h.id_count()) {
                            throw Error(ErrorCode::invalid_argument,
                                        "sum_records: record " + std::to_string(i) +
                                            " is on node id " + std::to_string(ids[i]) +
                                            ", which does not exist (the hierarchy has " +
                                            std::to_string(h.id_count()) + " ids)");
                        }
                    }
                    return h.sum_records(ids.data(), weights.is_none() ? nullptr : w.data(),
                                         ids.size());
                });
                return owning_array(std::move(sums), false);
            },
            py::arg("nodes"), py::arg("weights") = py::none(),
            "Per-node subtree sums of records located at nodes: out[n] is the sum of weights "
            "(or the count) of the records in n's subtree. Runs without the GIL.")
        .def(
            "validate",
            [](const HierarchyView& v, py::object policy) {
                const ValidationPolicy p = validation_policy(policy);
                return v.read(Gil::release, [&](auto& h) { return h.validate(p); });
            },
            py::arg("policy") = py::none(),
            "Findings for the live hierarchy (never raises for data problems).")
        .def_property_readonly(
            "history",
            [](const HierarchyView& v) {
                return v.read(Gil::keep, [](auto& h) { return h.history(); });
            },
            "Every recorded change, in recording order.")
        .def(
            "as_of",
            [](const HierarchyView& v, py::object date) {
                const Date d = to_date(date, "as_of date");
                auto snap = v.read(Gil::release, [&](const Hierarchy& h) {
                    return std::make_shared<const Hierarchy>(h.as_of(d));
                });
                return HierarchyView{nullptr, std::nullopt, std::move(snap)};
            },
            py::arg("date"), "An immutable snapshot of the hierarchy as it stood on a date.")
        .def(
            "snapshot",
            [](const HierarchyView& v) {
                auto snap = v.read(Gil::release, [](const Hierarchy& h) {
                    return std::make_shared<const Hierarchy>(h);
                });
                return HierarchyView{nullptr, std::nullopt, std::move(snap)};
            },
            "An immutable copy of the current state; its arrays are zero-copy views.")
        .def(
            "to_dict",
            [](const HierarchyView& v) {
                Table t = v.read(Gil::keep, [](const Hierarchy& h) { return table_of(h); });
                py::dict d;
                d["id"] = owning_array(std::move(t.ids), false);
                d["code"] = t.code;
                d["name"] = t.name;
                d["level"] = t.level;
                d["parent"] = t.parent;
                d["depth"] = owning_array(std::move(t.depth), false);
                d["kind"] = t.kind;
                d["area_type"] = t.area_type;
                d["area_class"] = t.area_class;
                for (std::size_t i = 0; i < t.column_names.size(); ++i) {
                    d[py::str(t.column_names[i])] = owning_array(std::move(t.columns[i]), false);
                }
                return d;
            },
            "The live nodes in pre-order as columns: id, code, name, level, parent (code), "
            "depth, kind, area_type, area_class, then every numeric column.")
        .def("__repr__", [](const HierarchyView& v) {
            if (closed(v))
                return std::string("<Hierarchy of a closed workspace>");
            const std::size_t n = v.read(Gil::keep, [](auto& h) { return h.size(); });
            std::string where =
                v.snapshot  ? "snapshot"
                : v.overlay ? "units of overlay " + *v.overlay + " in " + v.workspace->path()
                            : "in " + v.workspace->path();
            return "<Hierarchy " + std::to_string(n) + " nodes, " + where + ">";
        });

    py::class_<OverlayView>(
        m, "Overlay", "A specialised network (消防网格, 工商段区, ...) mapped onto base grids.")
        .def_property_readonly("key", [](const OverlayView& o) { return o.key; })
        .def_property_readonly("name",
                               [](const OverlayView& o) {
                                   return o.workspace->read(Gil::keep, [&](const Workspace& ws) {
                                       return ws.hierarchy().overlay(o.key).name();
                                   });
                               })
        .def_property_readonly(
            "units",
            [](const OverlayView& o) {
                return HierarchyView{o.workspace, o.key, nullptr};
            },
            "The overlay's own tree of units, as a Hierarchy view.")
        .def(
            "grids_of",
            [](const OverlayView& o, py::object unit) {
                const NodeRef ref = node_ref(unit);
                return computed_ids(o.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    const Overlay& ov = ws.hierarchy().overlay(o.key);
                    return ov.grids_of(resolve(ov.units(), ref));
                }));
            },
            py::arg("unit"), "Ids of the base grids a unit covers directly (uint32 array).")
        .def(
            "units_of",
            [](const OverlayView& o, py::object grid) {
                const NodeRef ref = node_ref(grid);
                return computed_ids(o.workspace->read(Gil::keep, [&](const Workspace& ws) {
                    return ws.hierarchy().overlay(o.key).units_of(
                        resolve(ws.hierarchy().view(), ref));
                }));
            },
            py::arg("grid"), "Ids of the units that cover a base grid directly (uint32 array).")
        .def(
            "coverage",
            [](const OverlayView& o, const std::string& grid_level) {
                return o.workspace->read(Gil::release, [&](const Workspace& ws) {
                    return ws.hierarchy().overlay(o.key).coverage(ws.hierarchy().view(),
                                                                  grid_level);
                });
            },
            py::arg("grid_level") = "grid",
            "Findings overlay.gap / overlay.overlap / overlay.retired_grid for the base grids.")
        .def("__repr__", [](const OverlayView& o) {
            if (o.workspace->closed())
                return "<Overlay " + o.key + " of a closed workspace>";
            return o.workspace->read(Gil::keep, [&](const Workspace& ws) {
                const Overlay& ov = ws.hierarchy().overlay(o.key);
                return "<Overlay " + o.key + " " + ov.name() + " (" +
                       std::to_string(ov.units().size()) + " units)>";
            });
        });
}

}  // namespace gridgov::python
