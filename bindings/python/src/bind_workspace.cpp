// gridgov.Workspace: open/close, import of any file, the module faces; the hierarchy face
// (WorkspaceHierarchy): changes, overlays, validation, import and export.
//
// Python arguments are converted to C++ values before the workspace lock is taken (the
// conversion may run Python code); the C++ call then runs under the lock, without the GIL
// for file and database work; Python results are built after.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/import.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

FileFormat file_format(const std::string& name) {
    if (name == "auto")
        return FileFormat::automatic;
    if (name == "json")
        return FileFormat::json;
    if (name == "csv")
        return FileFormat::csv;
    if (name == "geojson")
        return FileFormat::geojson;
    throw Error(ErrorCode::invalid_argument,
                "unknown hierarchy file format '" + name + "' (auto, json, csv, geojson)");
}

// Where a node field came from, for messages: "add_node" or "parts[2]".
struct Field {
    const std::string& origin;
    const char* name;
    std::string label() const { return origin + ": " + name; }
};

std::string text_field(py::handle obj, const Field& f) {
    if (obj.is_none())
        return {};
    if (!py::isinstance<py::str>(obj)) {
        throw py::type_error(f.label() + " must be a str, not " + type_name(obj));
    }
    return obj.cast<std::string>();
}

double number_field(py::handle obj, const Field& f) {
    if (obj.is_none())
        return missing_value;
    if (py::isinstance<py::str>(obj) || PyNumber_Check(obj.ptr()) == 0) {
        throw py::type_error(f.label() + " must be a number or None, not " + type_name(obj));
    }
    return py::float_(py::reinterpret_borrow<py::object>(obj)).cast<double>();
}

std::vector<std::pair<std::string, double>> attributes_field(py::handle obj, const Field& f) {
    std::vector<std::pair<std::string, double>> out;
    if (obj.is_none())
        return out;
    if (!py::isinstance<py::dict>(obj) && !py::hasattr(obj, "items")) {
        throw py::type_error(f.label() + " must be a mapping of column name to number, not " +
                             type_name(obj));
    }
    for (py::handle item : obj.attr("items")()) {
        const py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
        const std::string column = text_field(kv[0], f);
        out.emplace_back(column, number_field(kv[1], Field{f.origin, column.c_str()}));
    }
    return out;
}

std::string geometry_field(py::handle obj, const Field& f) {
    if (obj.is_none())
        return {};
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    if (!py::isinstance<py::dict>(obj)) {
        throw py::type_error(f.label() + " must be GeoJSON text or a dict, not " + type_name(obj));
    }
    return py::module_::import("json")
        .attr("dumps")(obj, py::arg("ensure_ascii") = false)
        .cast<std::string>();
}

const char* const node_fields[] = {"code",       "parent",    "name",       "level",
                                   "kind",       "area_type", "area_class", "households",
                                   "population", "area_m2",   "attributes", "geometry"};

// A NodeSpec read from Python. A parent given as a code stays a code (it may name a node
// of the same batch); a parent given as an id or a Node is turned into its code under the
// workspace lock, by spec().
struct SpecArg {
    NodeSpec spec;
    std::optional<NodeRef> parent;

    NodeSpec resolved(const Hierarchy& h) const {
        NodeSpec s = spec;
        if (parent)
            s.parent_code = h.code(resolve(h, *parent));
        return s;
    }
};

std::vector<NodeSpec> resolved(const std::vector<SpecArg>& args, const Hierarchy& h) {
    std::vector<NodeSpec> out;
    out.reserve(args.size());
    for (const SpecArg& a : args)
        out.push_back(a.resolved(h));
    return out;
}

// A node from a mapping with the keyword names of add_node.
SpecArg node_spec(py::handle mapping, const std::string& origin) {
    if (!py::isinstance<py::dict>(mapping)) {
        if (!py::hasattr(mapping, "items")) {
            throw py::type_error(origin + ": a node is a mapping (dict) of fields, not " +
                                 type_name(mapping));
        }
        mapping = py::dict(py::reinterpret_borrow<py::object>(mapping));
    }
    const py::dict d = py::reinterpret_borrow<py::dict>(mapping);
    for (const auto& item : d) {
        const std::string key = py::str(item.first).cast<std::string>();
        bool known = false;
        for (const char* f : node_fields)
            known = known || key == f;
        if (!known) {
            std::string all;
            for (const char* f : node_fields)
                all += (all.empty() ? "" : ", ") + std::string(f);
            throw Error(ErrorCode::invalid_argument,
                        origin + ": unknown node field '" + key + "' (fields: " + all + ")");
        }
    }
    const auto get = [&](const char* key) -> py::object {
        return d.contains(key) ? py::object(d[key]) : py::object(py::none());
    };
    SpecArg arg;
    NodeSpec& s = arg.spec;
    s.code = text_field(get("code"), Field{origin, "code"});
    const py::object parent = get("parent");
    if (parent.is_none() || py::isinstance<py::str>(parent)) {
        s.parent_code = text_field(parent, Field{origin, "parent"});
    } else {
        arg.parent = node_ref(parent);
    }
    s.name = text_field(get("name"), Field{origin, "name"});
    s.level = text_field(get("level"), Field{origin, "level"});
    const py::object kind = get("kind");
    if (!kind.is_none())
        s.kind = parse_grid_kind(text_field(kind, Field{origin, "kind"}));
    s.area_type = parse_area_type(text_field(get("area_type"), Field{origin, "area_type"}));
    s.area_class = text_field(get("area_class"), Field{origin, "area_class"});
    s.households = number_field(get("households"), Field{origin, "households"});
    s.population = number_field(get("population"), Field{origin, "population"});
    s.area_m2 = number_field(get("area_m2"), Field{origin, "area_m2"});
    s.attributes = attributes_field(get("attributes"), Field{origin, "attributes"});
    s.geometry = geometry_field(get("geometry"), Field{origin, "geometry"});
    return arg;
}

std::vector<SpecArg> node_specs(py::handle specs, const std::string& origin) {
    if (py::isinstance<py::dict>(specs) || py::isinstance<py::str>(specs)) {
        throw py::type_error(origin + " takes a list of node mappings, not a single " +
                             type_name(specs));
    }
    std::vector<SpecArg> out;
    for (py::handle item : py::iter(specs)) {
        out.push_back(node_spec(item, origin + "[" + std::to_string(out.size()) + "]"));
    }
    return out;
}

using Handle = std::shared_ptr<WorkspaceHandle>;

// The options of Workspace.import_file(), read by the library from the JSON the keywords
// make (FileImportOptions::from_json names a bad member).
FileImportOptions import_options(py::object kind, py::object effective, py::object open311,
                                 py::object plans) {
    py::dict d;
    if (!kind.is_none())
        d["kind"] = kind;
    if (!effective.is_none())
        d["effective"] = py::str(effective);
    if (!open311.is_none())
        d["open311"] = open311;
    if (!plans.is_none())
        d["plans"] = plans;
    const std::string json = py::str(py::module_::import("json").attr("dumps")(
        d, py::arg("default") = py::module_::import("builtins").attr("str")));
    return FileImportOptions::from_json(json);
}

HierarchyView base_view(const Handle& ws) {
    return HierarchyView{ws, std::nullopt, nullptr};
}

NodeView base_node(const Handle& ws, NodeId id) {
    return NodeView{base_view(ws), id};
}

py::list base_nodes(const Handle& ws, const std::vector<NodeId>& ids) {
    py::list out;
    for (NodeId id : ids)
        out.append(base_node(ws, id));
    return out;
}

std::string overlay_key(py::handle obj) {
    if (py::isinstance<OverlayView>(obj))
        return obj.cast<const OverlayView&>().key;
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    throw py::type_error("an overlay is given by its key (str) or an Overlay, not " +
                         type_name(obj));
}

void ensure_open(const WorkspaceHandle& ws) {
    ws.read(Gil::keep, [](const Workspace&) { return true; });
}

}  // namespace

void bind_workspace(py::module_& m) {
    py::class_<ImportReport>(m, "ImportReport", "What an import did.")
        .def_readonly("nodes_added", &ImportReport::nodes_added)
        .def_readonly("overlays_added", &ImportReport::overlays_added)
        .def_readonly("overlay_units_added", &ImportReport::overlay_units_added)
        .def_readonly("findings", &ImportReport::findings,
                      "Validation findings of the imported result (not fatal).")
        .def("__repr__", [](const ImportReport& r) {
            return "<ImportReport " + std::to_string(r.nodes_added) + " nodes, " +
                   std::to_string(r.overlays_added) + " overlays, " +
                   std::to_string(r.overlay_units_added) + " overlay units, " +
                   std::to_string(r.findings.size()) + " findings>";
        });

    py::class_<WorkspaceHandle, Handle>(
        m, "Workspace",
        "Everything gridgov knows about one area, backed by one SQLite file or one schema of "
        "a PostgreSQL database. Open it with "
        "Workspace.open(); use it as a context manager or call close() to release the file.")
        .def_static(
            "open",
            [](py::object path, bool create, bool read_only) {
                const std::string p = fspath(path);
                OpenOptions options;
                options.create = create;
                options.read_only = read_only;
                options.follow = false;  // WorkspaceHandle::read() follows, under its lock
                Workspace ws = run(Gil::release, [&] { return Workspace::open(p, options); });
                return std::make_shared<WorkspaceHandle>(std::move(ws));
            },
            py::arg("path"), py::arg("create") = true, py::arg("read_only") = false,
            "Opens or creates a workspace file (or ':memory:', or a 'postgresql://' URI naming "
            "a schema). Raises NotFoundError when the "
            "file is missing and create is False, VersionMismatchError for a foreign file or a "
            "newer schema, StorageError when it cannot be opened.")
        .def_static(
            "copy",
            [](py::object from, py::object to) {
                const std::string f = fspath(from);
                const std::string t = fspath(to);
                const Workspace::CopySummary s =
                    run(Gil::release, [&] { return Workspace::copy(f, t); });
                py::dict out;
                out["tables"] = s.tables;
                out["rows"] = s.rows;
                return out;
            },
            py::arg("source"), py::arg("destination"),
            "Copies a whole workspace (a file or a postgresql:// URI) into a new file or an "
            "empty PostgreSQL schema, in one transaction; returns {'tables': n, 'rows': n}. "
            "Raises AlreadyExistsError when the destination exists or holds anything.")
        .def_static("schema_version", &Workspace::schema_version,
                    "The schema version this library writes.")
        .def_static("application_id", &Workspace::application_id,
                    "The PRAGMA application_id of gridgov workspace files.")
        .def(
            "refresh",
            [](const Handle& self) {
                const bool applied = self->refresh();
                deliver_case_events(self);
                return applied;
            },
            "Applies what other processes (or other Workspace objects) committed to the file "
            "since this one last looked, and runs the case observers on their events; True "
            "when there was anything. Every call does the first part before it answers; a "
            "process that only follows a file calls refresh() to hear its events.")
        .def_property_readonly("path", &WorkspaceHandle::path)
        .def_property_readonly("closed", &WorkspaceHandle::closed)
        .def("close", &WorkspaceHandle::close,
             "Releases the native workspace and its file. Later calls raise InvalidStateError; "
             "closing again does nothing.")
        .def("__enter__",
             [](const Handle& self) {
                 ensure_open(*self);
                 return self;
             })
        .def("__exit__",
             [](WorkspaceHandle& self, py::args) {
                 self.close();
                 return false;
             })
        .def(
            "import_file",
            [](const Handle& self, py::object path, py::object kind, py::object effective,
               py::object open311, py::object plans) {
                const std::string file = fspath(path);
                const FileImportOptions o = import_options(kind, effective, open311, plans);
                const std::string text = self->write(Gil::release, [&](Workspace& ws) {
                    return import_file(ws, file, o).to_json();
                });
                return py::module_::import("json").attr("loads")(text);
            },
            py::arg("path"), py::kw_only(), py::arg("kind") = py::none(),
            py::arg("effective") = py::none(), py::arg("open311") = py::none(),
            py::arg("plans") = py::none(),
            "Imports a file of any kind gridgov reads (docs/formats.md), its kind told from its "
            "name and content unless `kind` names it ('hierarchy', 'geojson', 'people', "
            "'workflow', 'visits', 'scores', 'open311', 'plans', ...). `open311` and `plans` "
            "are dicts of their options. Returns what was imported as a dict ({file, kind, "
            "counts...}); nothing is imported when it raises.")
        .def(
            "import_text",
            [](const Handle& self, const std::string& text, const std::string& source_name,
               py::object kind, py::object effective, py::object open311, py::object plans) {
                const FileImportOptions o = import_options(kind, effective, open311, plans);
                const std::string out = self->write(Gil::release, [&](Workspace& ws) {
                    return import_text(ws, text, source_name, o).to_json();
                });
                return py::module_::import("json").attr("loads")(out);
            },
            py::arg("text"), py::arg("source_name") = "<text>", py::kw_only(),
            py::arg("kind") = py::none(), py::arg("effective") = py::none(),
            py::arg("open311") = py::none(), py::arg("plans") = py::none(),
            "import_file() for text in memory; `source_name` stands for the file in kind "
            "detection and error messages.")
        .def_property_readonly(
            "hierarchy",
            [](const Handle& self) {
                ensure_open(*self);
                return HierarchyFace{self};
            },
            "The grid hierarchy and its overlays: view, changes, validation, import and "
            "export (a WorkspaceHierarchy).")
        .def_property_readonly(
            "cases",
            [](const Handle& self) {
                ensure_open(*self);
                return CasesFace{self};
            },
            "The matters: reporting, queries, batches, the log, clocks and the workflows, "
            "categories, departments and routing they follow (a WorkspaceCases).")
        .def_property_readonly(
            "assessment",
            [](const Handle& self) {
                ensure_open(*self);
                return AssessmentFace{self};
            },
            "Activity records, assessments, stored scores, rule flags, draws and notices "
            "(a WorkspaceAssessment).")
        .def_property_readonly(
            "records",
            [](const Handle& self) {
                ensure_open(*self);
                return RecordsFace{self};
            },
            "Residents, households, houses, units, organisations and components: their kinds, "
            "dated changes, questions, roll-ups, findings, import and export (a "
            "WorkspaceRecords).")
        .def("__repr__", [](const WorkspaceHandle& self) {
            if (self.closed())
                return "<Workspace " + self.path() + " (closed)>";
            const std::size_t n = self.read(
                Gil::keep, [](const Workspace& ws) { return ws.hierarchy().view().size(); });
            return "<Workspace " + self.path() + " (" + std::to_string(n) + " nodes)>";
        });

    // ---- the module faces: each module's bind_<module>.cpp adds its functions -----------
    py::class_<CasesFace>(m, "WorkspaceCases",
                          "The case face of a workspace (Workspace.cases): every function "
                          "writes through to the workspace file.")
        .def("__repr__",
             [](const CasesFace& self) { return "<WorkspaceCases of " + self->path() + ">"; });
    py::class_<AssessmentFace>(m, "WorkspaceAssessment",
                               "The assessment face of a workspace (Workspace.assessment).")
        .def("__repr__", [](const AssessmentFace& self) {
            return "<WorkspaceAssessment of " + self->path() + ">";
        });
    py::class_<RecordsFace>(m, "WorkspaceRecords",
                            "The records face of a workspace (Workspace.records): every change "
                            "writes through to the workspace file.")
        .def("__repr__",
             [](const RecordsFace& self) { return "<WorkspaceRecords of " + self->path() + ">"; });
    py::class_<HierarchyFace>(m, "WorkspaceHierarchy",
                              "The hierarchy face of a workspace (Workspace.hierarchy): the "
                              "base hierarchy's view, its changes, its overlays, validation, "
                              "import and export.")
        .def_property_readonly(
            "view",
            [](const HierarchyFace& self) {
                ensure_open(*self);
                return base_view(self);
            },
            "The base hierarchy, as a view that follows this workspace's changes.")

        // ---- changes ---------------------------------------------------------------
        .def(
            "set_level_scheme",
            [](const HierarchyFace& self, py::object levels) {
                const LevelScheme scheme = level_scheme(levels);
                self->write(Gil::keep,
                            [&](Workspace& ws) { ws.hierarchy().set_level_scheme(scheme); });
            },
            py::arg("levels"),
            "Replaces the level scheme of a workspace that has no nodes yet (a LevelScheme, "
            "a list of Level objects or a built-in name).")
        .def(
            "add_node",
            [](const HierarchyFace& self, py::object code, py::object name, py::object level,
               py::object parent, py::object kind, py::object area_type, py::object area_class,
               py::object households, py::object population, py::object area_m2,
               py::object attributes, py::object geometry, py::object effective) {
                py::dict d;
                d["code"] = code;
                d["name"] = name;
                d["level"] = level;
                d["parent"] = parent;
                d["kind"] = kind;
                d["area_type"] = area_type;
                d["area_class"] = area_class;
                d["households"] = households;
                d["population"] = population;
                d["area_m2"] = area_m2;
                d["attributes"] = attributes;
                d["geometry"] = geometry;
                const SpecArg spec = node_spec(d, "add_node");
                const Date when = to_date_or(effective, Date::min(), "effective");
                const NodeId id = self->write(Gil::release, [&](Workspace& ws) {
                    return ws.hierarchy().add_node(spec.resolved(ws.hierarchy().view()), when);
                });
                return base_node(self, id);
            },
            py::kw_only(), py::arg("code"), py::arg("name"), py::arg("level"),
            py::arg("parent") = py::none(), py::arg("kind") = py::none(),
            py::arg("area_type") = py::none(), py::arg("area_class") = py::none(),
            py::arg("households") = py::none(), py::arg("population") = py::none(),
            py::arg("area_m2") = py::none(), py::arg("attributes") = py::none(),
            py::arg("geometry") = py::none(), py::arg("effective") = py::none(),
            "Adds one node under a live parent (or a root when parent is None) and returns it.")
        .def(
            "add_nodes",
            [](const HierarchyFace& self, py::object specs, py::object effective) {
                const std::vector<SpecArg> all = node_specs(specs, "add_nodes");
                const Date when = to_date_or(effective, Date::min(), "effective");
                std::vector<NodeId> ids = self->write(Gil::release, [&](Workspace& ws) {
                    return ws.hierarchy().add_nodes(resolved(all, ws.hierarchy().view()), when);
                });
                return owning_array(std::move(ids), false);
            },
            py::arg("specs"), py::arg("effective") = py::none(),
            "Adds many nodes (mappings with add_node's keywords; parents in any order) in one "
            "transaction; returns their ids (uint32 array).")
        .def(
            "rename_node",
            [](const HierarchyFace& self, py::object node, const std::string& name,
               py::object effective) {
                const NodeRef ref = node_ref(node);
                const Date when = to_date(effective, "effective");
                self->write(Gil::release, [&](Workspace& ws) {
                    ws.hierarchy().rename_node(resolve(ws.hierarchy().view(), ref), name, when);
                });
            },
            py::arg("node"), py::arg("name"), py::arg("effective"))
        .def(
            "move_node",
            [](const HierarchyFace& self, py::object node, py::object new_parent,
               py::object effective) {
                const NodeRef ref = node_ref(node);
                const std::optional<NodeRef> parent =
                    new_parent.is_none() ? std::nullopt : std::optional(node_ref(new_parent));
                const Date when = to_date(effective, "effective");
                self->write(Gil::release, [&](Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    ws.hierarchy().move_node(resolve(h, ref),
                                             parent ? resolve(h, *parent) : no_node, when);
                });
            },
            py::arg("node"), py::arg("new_parent"), py::arg("effective"),
            "Moves a node with its subtree under a new parent (None makes it a root).")
        .def(
            "retire_node",
            [](const HierarchyFace& self, py::object node, py::object effective) {
                const NodeRef ref = node_ref(node);
                const Date when = to_date(effective, "effective");
                self->write(Gil::release, [&](Workspace& ws) {
                    ws.hierarchy().retire_node(resolve(ws.hierarchy().view(), ref), when);
                });
            },
            py::arg("node"), py::arg("effective"),
            "Retires a node without live children; its id and code stay reserved.")
        .def(
            "set_node_value",
            [](const HierarchyFace& self, py::object node, const std::string& column,
               py::object value, py::object effective) {
                const NodeRef ref = node_ref(node);
                const std::string origin = "set_node_value";
                const double v = number_field(value, Field{origin, "value"});
                const Date when = to_date(effective, "effective");
                self->write(Gil::release, [&](Workspace& ws) {
                    ws.hierarchy().set_node_value(resolve(ws.hierarchy().view(), ref), column, v,
                                                  when);
                });
            },
            py::arg("node"), py::arg("column"), py::arg("value"), py::arg("effective"),
            "Sets one numeric column of a node (None clears it).")
        .def(
            "split_node",
            [](const HierarchyFace& self, py::object node, py::object parts, py::object effective) {
                const NodeRef ref = node_ref(node);
                const std::vector<SpecArg> specs = node_specs(parts, "split parts");
                const Date when = to_date(effective, "effective");
                std::vector<NodeId> ids = self->write(Gil::release, [&](Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    return ws.hierarchy().split_node(resolve(h, ref), resolved(specs, h), when);
                });
                return base_nodes(self, ids);
            },
            py::arg("node"), py::arg("parts"), py::arg("effective"),
            "Splits a grid into new sibling nodes (mappings like add_node's keywords) and "
            "retires it; returns the new nodes.")
        .def(
            "merge_nodes",
            [](const HierarchyFace& self, py::object sources, py::object merged,
               py::object effective) {
                const std::vector<NodeRef> refs = node_refs(sources);
                const SpecArg spec = node_spec(merged, "merge");
                const Date when = to_date(effective, "effective");
                const NodeId id = self->write(Gil::release, [&](Workspace& ws) {
                    const Hierarchy& h = ws.hierarchy().view();
                    std::vector<NodeId> ids;
                    for (const NodeRef& r : refs)
                        ids.push_back(resolve(h, r));
                    return ws.hierarchy().merge_nodes(ids, spec.resolved(h), when);
                });
                return base_node(self, id);
            },
            py::arg("sources"), py::arg("merged"), py::arg("effective"),
            "Merges siblings into a new node (a mapping like add_node's keywords): their "
            "children move under it and the sources retire. Returns the new node.")

        // ---- overlays --------------------------------------------------------------
        .def_property_readonly("overlays",
                               [](const HierarchyFace& self) {
                                   const std::vector<std::string> keys =
                                       self->read(Gil::keep, [](const Workspace& ws) {
                                           std::vector<std::string> k;
                                           for (const Overlay& o : ws.hierarchy().overlays())
                                               k.push_back(o.key());
                                           return k;
                                       });
                                   py::list out;
                                   for (const std::string& k : keys)
                                       out.append(OverlayView{self, k});
                                   return out;
                               })
        .def(
            "overlay",
            [](const HierarchyFace& self, const std::string& key) {
                self->read(Gil::keep,
                           [&](const Workspace& ws) { return &ws.hierarchy().overlay(key); });
                return OverlayView{self, key};
            },
            py::arg("key"), "The overlay with this key; NotFoundError otherwise.")
        .def(
            "add_overlay",
            [](const HierarchyFace& self, const std::string& key, const std::string& name,
               py::object levels) {
                const LevelScheme scheme = level_scheme(levels);
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.hierarchy().add_overlay(key, name, scheme); });
                return OverlayView{self, key};
            },
            py::arg("key"), py::arg("name"), py::arg("levels"),
            "Adds an overlay; levels is a LevelScheme, a list of Level objects or a built-in "
            "name (fire_safety, market_supervision, urban_management).")
        .def(
            "add_overlay_unit",
            [](const HierarchyFace& self, py::object overlay, const std::string& code,
               const std::string& name, const std::string& level, py::object parent,
               std::vector<std::string> grids) {
                OverlayUnitSpec spec;
                spec.code = code;
                spec.name = name;
                spec.level = level;
                spec.parent_code = text_field(parent, Field{code, "parent"});
                spec.grid_codes = std::move(grids);
                const std::string key = overlay_key(overlay);
                const NodeId id = self->write(Gil::release, [&](Workspace& ws) {
                    return ws.hierarchy().add_overlay_unit(key, spec);
                });
                return NodeView{HierarchyView{self, key, nullptr}, id};
            },
            py::arg("overlay"), py::kw_only(), py::arg("code"), py::arg("name"), py::arg("level"),
            py::arg("parent") = py::none(), py::arg("grids") = std::vector<std::string>{},
            "Adds a unit to an overlay, covering the base grids with these codes; returns it.")

        // ---- validation, import and export -------------------------------------------
        .def(
            "validate",
            [](const HierarchyFace& self, py::object policy) {
                const ValidationPolicy p = validation_policy(policy);
                return self->read(Gil::release,
                                  [&](const Workspace& ws) { return ws.hierarchy().validate(p); });
            },
            py::arg("policy") = py::none(),
            "Hierarchy findings plus the coverage findings of every overlay. policy: a "
            "ValidationPolicy, a SizingPolicy, a sizing preset name, or None.")
        .def(
            "import_file",
            [](const HierarchyFace& self, py::object path, const std::string& format,
               py::object effective) {
                const std::string file = fspath(path);
                const FileFormat f = file_format(format);
                const Date when = to_date_or(effective, Date::min(), "effective");
                return self->write(Gil::release, [&](Workspace& ws) {
                    return ws.hierarchy().import_file(file, f, when);
                });
            },
            py::arg("path"), py::arg("format") = "auto", py::arg("effective") = py::none(),
            "Imports nodes (and, from JSON, overlays) from a file in one transaction. Bad "
            "input raises ParseError / InvalidArgumentError / AlreadyExistsError / "
            "NotFoundError naming the file, row and field; nothing is imported then.")
        .def(
            "import_text",
            [](const HierarchyFace& self, const std::string& text, const std::string& format,
               const std::string& source_name, py::object effective) {
                const FileFormat f = file_format(format);
                const Date when = to_date_or(effective, Date::min(), "effective");
                return self->write(Gil::release, [&](Workspace& ws) {
                    return ws.hierarchy().import_text(text, f, source_name, when);
                });
            },
            py::arg("text"), py::arg("format"), py::arg("source_name") = "<text>",
            py::arg("effective") = py::none(),
            "The same from text; source_name stands for the file in messages.")
        .def(
            "export_file",
            [](const HierarchyFace& self, py::object path, const std::string& format) {
                const std::string file = fspath(path);
                const FileFormat f = file_format(format);
                self->read(Gil::release,
                           [&](const Workspace& ws) { ws.hierarchy().export_file(file, f); });
            },
            py::arg("path"), py::arg("format") = "auto",
            "Writes the live hierarchy (JSON also carries overlays; GeoJSON the nodes with a "
            "geometry).")
        .def(
            "export_text",
            [](const HierarchyFace& self, const std::string& format) {
                const FileFormat f = file_format(format);
                return self->read(Gil::release, [&](const Workspace& ws) {
                    return ws.hierarchy().export_text(f);
                });
            },
            py::arg("format") = "json")
        .def("__repr__", [](const HierarchyFace& self) {
            return "<WorkspaceHierarchy of " + self->path() + ">";
        });
}

}  // namespace gridgov::python
