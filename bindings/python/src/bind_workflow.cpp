// gridgov.WorkflowSpec, WorkflowRegistry, CategoryCatalogue, DepartmentCatalogue,
// RoutingTable and the values inside them, and the copies of them a Workspace keeps for
// its cases (Workspace.workflows, .categories, .set_categories(), .route(), ...).
//
// Everything here is a value: read from JSON (text or a dict), read-only from Python, and
// written back with to_json() / to_dict(). Being immutable from Python, these objects may
// be read without the GIL while a workspace lends its hierarchy to a validation or a route.
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gridgov/cases.hpp"
#include "gridgov/workflow.hpp"
#include "views.hpp"

namespace gridgov::python {
namespace {

// JSON given as text, or as a dict or list that json.dumps can write.
std::string json_text(py::handle obj, const char* what) {
    if (py::isinstance<py::str>(obj))
        return obj.cast<std::string>();
    if (py::isinstance<py::dict>(obj) || py::isinstance<py::list>(obj)) {
        return py::module_::import("json")
            .attr("dumps")(obj, py::arg("ensure_ascii") = false)
            .cast<std::string>();
    }
    throw py::type_error(std::string(what) + " must be JSON text (str) or a dict, not " +
                         type_name(obj));
}

py::object json_object(const std::string& text) {
    return py::module_::import("json").attr("loads")(text);
}

// The role catalogue a spec is checked against: "expected" (the catalogues the spec
// names), None (roles unchecked), a Workspace (its directory's catalogue), a directory
// catalogue as JSON text or dict, or a Catalogue object where the directory binds one.
std::optional<Catalogue> roles_for(const WorkflowSpec& spec, py::handle roles) {
    if (roles.is_none())
        return std::nullopt;
    if (py::isinstance<py::str>(roles) && roles.cast<std::string>() == "expected")
        return spec.expected_catalogue();
    if (py::isinstance<WorkspaceHandle>(roles)) {
        return roles.cast<const WorkspaceHandle&>().read(
            Gil::keep, [](const Workspace& ws) { return ws.directory().view().catalogue(); });
    }
    if (py::isinstance<Catalogue>(roles))
        return roles.cast<Catalogue>();
    return Catalogue::from_json(json_text(roles, "roles"), "roles");
}

const CategoryCatalogue* categories_arg(py::handle obj) {
    if (obj.is_none())
        return nullptr;
    if (!py::isinstance<CategoryCatalogue>(obj)) {
        throw py::type_error("categories must be a CategoryCatalogue or None, not " +
                             type_name(obj));
    }
    return &obj.cast<const CategoryCatalogue&>();
}

WorkflowSpec spec_arg(py::handle obj, const std::string& source_name) {
    if (py::isinstance<WorkflowSpec>(obj))
        return obj.cast<WorkflowSpec>();
    return WorkflowSpec::from_json(json_text(obj, "spec"), source_name);
}

// Runs f(hierarchy, workspace or nullptr, view) under the lock of whatever the argument
// is: a Workspace (its base hierarchy), or a Hierarchy view or snapshot. The view is the
// one nodes of the answer should be read through.
template <class F>
auto with_hierarchy(py::handle obj, Gil gil, F&& f) {
    if (py::isinstance<WorkspaceHandle>(obj)) {
        const auto handle = obj.cast<std::shared_ptr<WorkspaceHandle>>();
        const HierarchyView view{handle, std::nullopt, nullptr};
        return handle->read(
            gil, [&](const Workspace& ws) { return f(ws.hierarchy().view(), &ws, view); });
    }
    if (!py::isinstance<HierarchyView>(obj)) {
        throw py::type_error("expected a Workspace or a Hierarchy, not " + type_name(obj));
    }
    const HierarchyView view = obj.cast<HierarchyView>();
    if (view.snapshot) {
        const Hierarchy& h = *view.snapshot;
        return run(gil, [&] { return f(h, static_cast<const Workspace*>(nullptr), view); });
    }
    return view.workspace->read(gil, [&](const Workspace& ws) {
        const Hierarchy& h =
            view.overlay ? ws.hierarchy().overlay(*view.overlay).units() : ws.hierarchy().view();
        return f(h, &ws, view);
    });
}

// The networks a route or a validation reads: a workspace's base hierarchy with its
// overlays (unit places, overlay routing rules), else the hierarchy alone (a snapshot, or
// the units of an overlay).
Networks networks_of(const Hierarchy& h, const Workspace* ws) {
    if (ws != nullptr && &h == &ws->hierarchy().view())
        return ws->hierarchy().networks();
    return Networks(h);
}

py::object node_or_none(const HierarchyView& view, NodeId id) {
    if (id == no_node)
        return py::none();
    return py::cast(NodeView{view, id});
}

// A route together with the hierarchy its node belongs to, and its unit as a place.
struct RouteResult {
    Route route;
    HierarchyView view;
    std::string unit;  ///< "fire:M1"; "" when the route stays in the base hierarchy

    RouteResult(Route r, HierarchyView v, const Networks& networks)
        : route(std::move(r)), view(std::move(v)) {
        if (!route.unit.overlay.empty())
            unit = networks.code(route.unit);
    }
};

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

template <class T>
std::string join(const std::vector<T>& items, const char* separator = ", ") {
    std::string out;
    for (const T& item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

std::string limit_text(const TimeLimit& l) {
    return std::to_string(l.value) + " " + time_unit_name(l.unit);
}

}  // namespace

void bind_workflow(py::module_& m) {
    py::enum_<Command>(m, "Command", "The commands a case accepts (the same set everywhere).")
        .value("REPORT", Command::report)
        .value("FILE", Command::file)
        .value("VOID", Command::void_case)
        .value("DISPATCH", Command::dispatch)
        .value("ACCEPT", Command::accept)
        .value("RETURN", Command::return_case)
        .value("REQUEST_EXTENSION", Command::request_extension)
        .value("APPROVE_EXTENSION", Command::approve_extension)
        .value("DENY_EXTENSION", Command::deny_extension)
        .value("SUSPEND", Command::suspend)
        .value("RESUME", Command::resume)
        .value("FEEDBACK", Command::feedback)
        .value("CHECK_PASS", Command::check_pass)
        .value("CHECK_FAIL", Command::check_fail)
        .value("CLOSE", Command::close)
        .value("RATE", Command::rate)
        .value("ESCALATE", Command::escalate)
        .value("SUPERVISE", Command::supervise)
        .value("ARCHIVE", Command::archive)
        .value("SELF_HANDLE", Command::self_handle)
        .value("CALLBACK", Command::callback)
        .def_property_readonly(
            "command_name", [](Command c) { return std::string(command_name(c)); },
            "The name files use: 'dispatch', 'void', 'return', ...")
        .def_static(
            "parse", [](const std::string& name) { return parse_command(name); }, py::arg("name"),
            "The command with this file name; InvalidArgumentError otherwise.");

    py::enum_<Satisfaction>(m, "Satisfaction", "满意 / 基本满意 / 不满意.")
        .value("SATISFIED", Satisfaction::satisfied)
        .value("BASICALLY_SATISFIED", Satisfaction::basically_satisfied)
        .value("UNSATISFIED", Satisfaction::unsatisfied);

    py::enum_<StateKind>(m, "StateKind", "How a state counts in figures.")
        .value("PENDING", StateKind::pending)
        .value("OPEN", StateKind::open)
        .value("CLOSED", StateKind::closed)
        .value("VOIDED", StateKind::voided);

    py::enum_<ClockEffect>(m, "ClockEffect", "What a transition does to the stage clocks.")
        .value("CONTINUE", ClockEffect::continue_running)
        .value("PAUSE", ClockEffect::pause)
        .value("RESUME", ClockEffect::resume)
        .value("RESET", ClockEffect::reset)
        .value("STOP", ClockEffect::stop);

    py::enum_<CategoryKind>(m, "CategoryKind", "部件 / 事件 / 治理事项.")
        .value("COMPONENT", CategoryKind::component)
        .value("EVENT", CategoryKind::event)
        .value("GOVERNANCE", CategoryKind::governance);

    py::enum_<ClockMode>(m, "ClockMode", "Working time, or natural time for urgent matters.")
        .value("WORKING", ClockMode::working)
        .value("NATURAL", ClockMode::natural);

    py::enum_<RouteBasis>(m, "RouteBasis", "Which step of the routing precedence decided.")
        .value("RULE", RouteBasis::rule)
        .value("CATEGORY", RouteBasis::category)
        .value("TERRITORIAL", RouteBasis::territorial);

    py::class_<Rating>(m, "Rating",
                       "A rating: a satisfaction level, or a score 1-5 (4-5 satisfied, 3 basically "
                       "satisfied, 1-2 unsatisfied).")
        .def(py::init([](py::object level) {
                 if (py::isinstance<Satisfaction>(level))
                     return Rating::of(level.cast<Satisfaction>());
                 if (py::isinstance<py::str>(level))
                     return Rating::of(parse_satisfaction(level.cast<std::string>()));
                 throw py::type_error(
                     "a rating level is a Satisfaction or its name (satisfied, 满意, ...), not " +
                     type_name(level));
             }),
             py::arg("level"))
        .def_static("from_score", &Rating::from_score, py::arg("score"))
        .def_readonly("level", &Rating::level)
        .def_property_readonly("score",
                               [](const Rating& r) -> py::object {
                                   return r.score == 0 ? py::object(py::none())
                                                       : py::object(py::int_(r.score));
                               })
        .def("__repr__", [](const Rating& r) {
            return std::string("<Rating ") + satisfaction_name(r.level) +
                   (r.score != 0 ? " (score " + std::to_string(r.score) + ")" : "") + ">";
        });

    // ---- the parts of a spec -----------------------------------------------------------
    py::class_<TierSpec>(m, "TierSpec", "One escalation tier; level is a LevelScheme key.")
        .def_readonly("level", &TierSpec::level)
        .def_readonly("label_zh", &TierSpec::label_zh)
        .def_readonly("label_en", &TierSpec::label_en)
        .def("__repr__",
             [](const TierSpec& t) { return "<TierSpec " + t.level + " " + t.label_zh + ">"; });

    py::class_<StageSpec>(m, "StageSpec", "A timed stage (处置, 核查, ...).")
        .def_readonly("key", &StageSpec::key)
        .def_readonly("label_zh", &StageSpec::label_zh)
        .def_readonly("label_en", &StageSpec::label_en)
        .def_readonly("default_limit", &StageSpec::default_limit,
                      "The TimeLimit used when the category gives none, or None.")
        .def("__repr__", [](const StageSpec& s) {
            return "<StageSpec " + s.key + " " + s.label_zh +
                   (s.default_limit ? " default " + limit_text(*s.default_limit) : "") + ">";
        });

    py::class_<BreachPolicy>(m, "BreachPolicy", "What happens when a state's clock runs out.")
        .def_readonly("flag", &BreachPolicy::flag)
        .def_readonly("escalate", &BreachPolicy::escalate)
        .def_readonly("notify", &BreachPolicy::notify)
        .def("__repr__", [](const BreachPolicy& b) {
            return std::string("<BreachPolicy") + (b.flag ? " flag" : "") +
                   (b.escalate ? " escalate" : "") +
                   (b.notify.empty() ? "" : " notify " + join(b.notify)) + ">";
        });

    py::class_<StateSpec>(m, "StateSpec", "A state of a workflow.")
        .def_readonly("key", &StateSpec::key)
        .def_readonly("label_zh", &StateSpec::label_zh)
        .def_readonly("label_en", &StateSpec::label_en)
        .def_readonly("kind", &StateSpec::kind)
        .def_readonly("terminal", &StateSpec::terminal)
        .def_property_readonly("timer",
                               [](const StateSpec& s) -> py::object {
                                   return s.timer.empty() ? py::object(py::none())
                                                          : py::object(py::str(s.timer));
                               })
        .def_readonly("breach", &StateSpec::breach)
        .def("__repr__", [](const StateSpec& s) {
            return "<StateSpec " + s.key + " " + s.label_zh + " (" + state_kind_name(s.kind) +
                   (s.terminal ? ", terminal" : "") +
                   (s.timer.empty() ? "" : ", timer " + s.timer) + ")>";
        });

    py::class_<CounterGuard>(m, "CounterGuard", "A transition applies while min <= counter <= max.")
        .def_readonly("counter", &CounterGuard::counter)
        .def_readonly("min", &CounterGuard::min)
        .def_readonly("max", &CounterGuard::max)
        .def("__repr__", [](const CounterGuard& g) {
            return "<CounterGuard " + std::to_string(g.min) + " <= " + g.counter +
                   (g.max == std::numeric_limits<std::int64_t>::max()
                        ? ""
                        : " <= " + std::to_string(g.max)) +
                   ">";
        });

    py::class_<TransitionSpec>(m, "TransitionSpec",
                               "One transition: command takes a case from one of from_states to "
                               "to (None = stays).")
        .def_readonly("command", &TransitionSpec::command)
        .def_readonly("from_states", &TransitionSpec::from)
        .def_property_readonly("to",
                               [](const TransitionSpec& t) -> py::object {
                                   return t.to.empty() ? py::object(py::none())
                                                       : py::object(py::str(t.to));
                               })
        .def_property_readonly(
            "who",
            [](const TransitionSpec& t) {
                std::vector<std::string> who = t.roles;
                if (t.assigned_department)
                    who.emplace_back(actor_assigned_department);
                if (t.reporter)
                    who.emplace_back(actor_reporter);
                if (t.system)
                    who.emplace_back(actor_system);
                return who;
            },
            "Role codes and the tokens assigned_department, reporter, system, as in the JSON.")
        .def_readonly("roles", &TransitionSpec::roles)
        .def_readonly("reason_required", &TransitionSpec::reason_required)
        .def_readonly("evidence_required", &TransitionSpec::evidence_required)
        .def_readonly("guards", &TransitionSpec::guards)
        .def_readonly("ratings", &TransitionSpec::ratings)
        .def_readonly("clock", &TransitionSpec::clock)
        .def_readonly("extends_clock", &TransitionSpec::extends_clock)
        .def_readonly("increments", &TransitionSpec::increments)
        .def_readonly("sets_flags", &TransitionSpec::sets_flags)
        .def_readonly("clears_flags", &TransitionSpec::clears_flags)
        .def_readonly("tier_delta", &TransitionSpec::tier_delta)
        .def_readonly("label_zh", &TransitionSpec::label_zh)
        .def_readonly("label_en", &TransitionSpec::label_en)
        .def("__repr__", [](const TransitionSpec& t) {
            const std::string from = t.from.empty() ? "(new case)" : join(t.from, "|");
            return std::string("<TransitionSpec ") + command_name(t.command) + " " + from + " -> " +
                   (t.to.empty() ? "(stays)" : t.to) +
                   (t.label_zh.empty() ? "" : " " + t.label_zh) + ">";
        });

    py::class_<WorkflowMeasures>(
        m, "WorkflowMeasures",
        "What the case indicators read from a workflow, by role: the stages (intake, "
        "dispatch, handling, check), counters (rework, extensions, returns) and flags "
        "(self_handled, supervised, faked, refused) it names; '' = none.")
        .def_readonly("intake", &WorkflowMeasures::intake)
        .def_readonly("dispatch", &WorkflowMeasures::dispatch)
        .def_readonly("handling", &WorkflowMeasures::handling)
        .def_readonly("check", &WorkflowMeasures::check)
        .def_readonly("rework", &WorkflowMeasures::rework)
        .def_readonly("extensions", &WorkflowMeasures::extensions)
        .def_readonly("returns", &WorkflowMeasures::returns)
        .def_readonly("self_handled", &WorkflowMeasures::self_handled)
        .def_readonly("supervised", &WorkflowMeasures::supervised)
        .def_readonly("faked", &WorkflowMeasures::faked)
        .def_readonly("refused", &WorkflowMeasures::refused)
        .def(py::self == py::self)
        .def(py::self != py::self)
        .def("__repr__", [](const WorkflowMeasures& w) {
            return "<WorkflowMeasures handling " + w.handling + ", check " + w.check + ", rework " +
                   w.rework + ">";
        });

    py::class_<WorkflowSpec>(
        m, "WorkflowSpec",
        "A workflow as data: states, transitions, timed stages, tiers (docs/workflow.md). Read "
        "it with from_json() or preset(); change it by editing to_dict() and reading it back.")
        .def_static(
            "from_json",
            [](py::object json, const std::string& source_name) {
                return WorkflowSpec::from_json(json_text(json, "json"), source_name);
            },
            py::arg("json"), py::arg("source_name") = "<json>",
            "Reads a spec from JSON text or a dict. ParseError for text that is not JSON; "
            "InvalidArgumentError naming source, JSON path and field for a wrong field.")
        .def_static("preset", &WorkflowSpec::preset, py::arg("key"),
                    "Version 1 of a built-in profile; NotFoundError for an unknown key.")
        .def_static("preset_keys", &WorkflowSpec::preset_keys)
        .def("to_json", &WorkflowSpec::to_json)
        .def(
            "to_dict", [](const WorkflowSpec& s) { return json_object(s.to_json()); },
            "The spec as the dict json.loads(to_json()) gives.")
        .def_property_readonly("id", &WorkflowSpec::id, "'key@version'")
        .def_readonly("key", &WorkflowSpec::key)
        .def_readonly("version", &WorkflowSpec::version)
        .def_readonly("name_zh", &WorkflowSpec::name_zh)
        .def_readonly("name_en", &WorkflowSpec::name_en)
        .def_readonly("source", &WorkflowSpec::source)
        .def_readonly("catalogues", &WorkflowSpec::catalogues)
        .def_readonly("lights", &WorkflowSpec::lights)
        .def_readonly("counters", &WorkflowSpec::counters)
        .def_readonly("flags", &WorkflowSpec::flags)
        .def_readonly("tiers", &WorkflowSpec::tiers)
        .def_readonly("stages", &WorkflowSpec::stages)
        .def_readonly("states", &WorkflowSpec::states)
        .def_readonly("transitions", &WorkflowSpec::transitions)
        .def_readonly("measures", &WorkflowSpec::measures,
                      "The WorkflowMeasures the spec declares, or None (conventional names).")
        .def("effective_measures", &WorkflowSpec::effective_measures,
             "The measures the case indicators read: the declared ones, else those found by "
             "the conventional names.")
        .def("state", &WorkflowSpec::state, py::arg("key"),
             "The state with this key; NotFoundError otherwise.")
        .def("initial_states", &WorkflowSpec::initial_states)
        .def("commands_from", &WorkflowSpec::commands_from, py::arg("state"),
             "Commands with a transition leaving the state (ignoring guards and actors).")
        .def(
            "validate",
            [](const WorkflowSpec& spec, py::object roles, py::object categories) {
                const std::optional<Catalogue> r = roles_for(spec, roles);
                const CategoryCatalogue* c = categories_arg(categories);
                py::gil_scoped_release release;
                return spec.validate(r ? &*r : nullptr, c);
            },
            py::arg("roles") = "expected", py::arg("categories") = py::none(),
            "Findings (rule ids workflow.*). roles: 'expected' (the catalogues the spec names), "
            "None, a Workspace (its directory's catalogue) or a catalogue as JSON. categories: "
            "a CategoryCatalogue to check the stages' limits against, or None.")
        .def(
            "handling_node",
            [](const WorkflowSpec& spec, py::object hierarchy, py::object node, std::size_t tier) {
                const NodeRef ref = node_ref(node);
                return with_hierarchy(
                    hierarchy, Gil::keep,
                    [&](const Hierarchy& h, const Workspace*, const HierarchyView& view) {
                        return NodeView{view, spec.handling_node(h, resolve(h, ref), tier)};
                    });
            },
            py::arg("hierarchy"), py::arg("node"), py::arg("tier"),
            "The node that handles a case at node on a tier (0 = where cases start).")
        .def(py::self == py::self)
        .def("__repr__", [](const WorkflowSpec& s) {
            return "<WorkflowSpec " + s.id() + " " + s.name_zh + " (" +
                   std::to_string(s.states.size()) + " states, " +
                   std::to_string(s.transitions.size()) + " transitions)>";
        });

    py::class_<WorkflowRegistry>(
        m, "WorkflowRegistry",
        "Workflow specs by key and version. A version never changes once registered: to "
        "change a workflow, add its next version.")
        .def(py::init<>())
        .def_static("builtin", &WorkflowRegistry::builtin,
                    "The three built-in profiles, version 1.")
        .def(
            "add",
            [](WorkflowRegistry& r, py::object spec, py::object roles, py::object categories,
               const std::string& source_name) {
                WorkflowSpec s = spec_arg(spec, source_name);
                const std::optional<Catalogue> ro = roles_for(s, roles);
                const CategoryCatalogue* c = categories_arg(categories);
                return r.add(std::move(s), ro ? &*ro : nullptr, c);
            },
            py::arg("spec"), py::arg("roles") = "expected", py::arg("categories") = py::none(),
            py::arg("source_name") = "<json>",
            "Validates and registers a WorkflowSpec (or its JSON text or dict); returns the "
            "warnings. InvalidArgumentError naming spec, JSON path, field and rule for an "
            "error-level finding; AlreadyExistsError for a key and version already there.")
        .def("contains", &WorkflowRegistry::contains, py::arg("key"), py::arg("version"))
        .def(
            "get",
            [](const WorkflowRegistry& r, const std::string& key, std::optional<int> version) {
                return version ? r.get(key, *version) : r.latest(key);
            },
            py::arg("key"), py::arg("version") = py::none(),
            "A copy of the spec; the highest version when version is None.")
        .def("versions", &WorkflowRegistry::versions, py::arg("key"))
        .def("keys", &WorkflowRegistry::keys)
        .def("__len__", &WorkflowRegistry::size)
        .def("__contains__", [](const WorkflowRegistry& r,
                                const std::string& key) { return !r.versions(key).empty(); })
        .def("__repr__", [](const WorkflowRegistry& r) {
            return "<WorkflowRegistry " + std::to_string(r.size()) + " specs: " + join(r.keys()) +
                   ">";
        });

    // ---- categories ----------------------------------------------------------------------
    py::class_<Milestone>(m, "Milestone", "An intermediate deadline within a stage.")
        .def_readonly("key", &Milestone::key)
        .def_readonly("label_zh", &Milestone::label_zh)
        .def_readonly("label_en", &Milestone::label_en)
        .def_readonly("within", &Milestone::within)
        .def("__repr__", [](const Milestone& ms) {
            return "<Milestone " + ms.key + " " + ms.label_zh + " within " + limit_text(ms.within) +
                   ">";
        });

    py::class_<StageLimit>(m, "StageLimit",
                           "The limit of one stage for one area class ('' = every class).")
        .def_readonly("stage", &StageLimit::stage)
        .def_readonly("area_class", &StageLimit::area_class)
        .def_readonly("limit", &StageLimit::limit)
        .def_readonly("milestones", &StageLimit::milestones)
        .def("__repr__", [](const StageLimit& l) {
            return "<StageLimit " + l.stage +
                   (l.area_class.empty() ? "" : " (" + l.area_class + ")") + " " +
                   limit_text(l.limit) + ">";
        });

    py::class_<Category>(m, "Category", "One row of a category catalogue (大类/小类).")
        .def_readonly("code", &Category::code)
        .def_readonly("kind", &Category::kind)
        .def_readonly("major_code", &Category::major_code)
        .def_readonly("major_zh", &Category::major_zh)
        .def_readonly("major_en", &Category::major_en)
        .def_readonly("minor_code", &Category::minor_code)
        .def_readonly("name_zh", &Category::name_zh)
        .def_readonly("name_en", &Category::name_en)
        .def_readonly("filing_condition", &Category::filing_condition)
        .def_readonly("closing_condition", &Category::closing_condition)
        .def_readonly("department", &Category::department, "The responsible department kind.")
        .def_readonly("clock_mode", &Category::clock_mode)
        .def_readonly("limits", &Category::limits)
        .def_readonly("source", &Category::source)
        .def(
            "limit_for",
            [](const Category& c, const std::string& stage,
               const std::string& area_class) -> std::optional<StageLimit> {
                const StageLimit* l = c.limit_for(stage, area_class);
                return l ? std::optional<StageLimit>(*l) : std::nullopt;
            },
            py::arg("stage"), py::arg("area_class") = "",
            "The area class's own limit for the stage, else the one for every class, else None.")
        .def("__repr__", [](const Category& c) {
            return "<Category " + c.code + " " + c.major_zh + "/" + c.name_zh + " (" +
                   category_kind_name(c.kind) + ", " + c.department + ")>";
        });

    py::class_<CategoryCatalogue>(m, "CategoryCatalogue",
                                  "The categories of matters a locality handles, with limits.")
        .def_static(
            "from_json",
            [](py::object json, const std::string& source_name) {
                return CategoryCatalogue::from_json(json_text(json, "json"), source_name);
            },
            py::arg("json"), py::arg("source_name") = "<json>")
        .def_static("preset", &CategoryCatalogue::preset, py::arg("key"),
                    "'urban_management', 'governance' or 'combined'.")
        .def_static("preset_keys", &CategoryCatalogue::preset_keys)
        .def("to_json", &CategoryCatalogue::to_json)
        .def("to_dict", [](const CategoryCatalogue& c) { return json_object(c.to_json()); })
        .def_readonly("key", &CategoryCatalogue::key)
        .def_readonly("name", &CategoryCatalogue::name)
        .def_readonly("source", &CategoryCatalogue::source)
        .def_readonly("categories", &CategoryCatalogue::categories)
        .def(
            "find",
            [](const CategoryCatalogue& c, const std::string& code) -> std::optional<Category> {
                const Category* found = c.find(code);
                return found ? std::optional<Category>(*found) : std::nullopt;
            },
            py::arg("code"), "The category with this code, or None.")
        .def("__getitem__", &CategoryCatalogue::at, py::arg("code"))
        .def("__contains__", [](const CategoryCatalogue& c,
                                const std::string& code) { return c.find(code) != nullptr; })
        .def("__len__", [](const CategoryCatalogue& c) { return c.categories.size(); })
        .def(
            "__iter__",
            [](const CategoryCatalogue& c) {
                return py::make_iterator(c.categories.begin(), c.categories.end());
            },
            py::keep_alive<0, 1>())
        .def("stages", &CategoryCatalogue::stages)
        .def("validate", &CategoryCatalogue::validate)
        .def(py::self == py::self)
        .def("__repr__", [](const CategoryCatalogue& c) {
            return "<CategoryCatalogue " + c.key + " (" + std::to_string(c.categories.size()) +
                   " categories)>";
        });

    // ---- departments -----------------------------------------------------------------------
    py::class_<Department>(m, "Department", "A handling department serving a node's subtree.")
        .def_readonly("code", &Department::code)
        .def_readonly("kind", &Department::kind)
        .def_readonly("name_zh", &Department::name_zh)
        .def_readonly("name_en", &Department::name_en)
        .def_readonly("node", &Department::node, "The code of the node it serves.")
        .def_readonly("members", &Department::members)
        .def("has_member", &Department::has_member, py::arg("person"))
        .def("__repr__", [](const Department& d) {
            return "<Department " + d.code + " " + d.name_zh + " (" + d.kind + " at " + d.node +
                   ")>";
        });

    py::class_<DepartmentCatalogue>(m, "DepartmentCatalogue", "A locality's departments.")
        .def_static(
            "from_json",
            [](py::object json, const std::string& source_name) {
                return DepartmentCatalogue::from_json(json_text(json, "json"), source_name);
            },
            py::arg("json"), py::arg("source_name") = "<json>")
        .def("to_json", &DepartmentCatalogue::to_json)
        .def("to_dict", [](const DepartmentCatalogue& d) { return json_object(d.to_json()); })
        .def_readonly("key", &DepartmentCatalogue::key)
        .def_readonly("name", &DepartmentCatalogue::name)
        .def_readonly("departments", &DepartmentCatalogue::departments)
        .def(
            "find",
            [](const DepartmentCatalogue& d, const std::string& code) -> std::optional<Department> {
                const Department* found = d.find(code);
                return found ? std::optional<Department>(*found) : std::nullopt;
            },
            py::arg("code"))
        .def("__getitem__", &DepartmentCatalogue::at, py::arg("code"))
        .def("__contains__", [](const DepartmentCatalogue& d,
                                const std::string& code) { return d.find(code) != nullptr; })
        .def("__len__", [](const DepartmentCatalogue& d) { return d.departments.size(); })
        .def(
            "__iter__",
            [](const DepartmentCatalogue& d) {
                return py::make_iterator(d.departments.begin(), d.departments.end());
            },
            py::keep_alive<0, 1>())
        .def(
            "validate",
            [](const DepartmentCatalogue& d, py::object hierarchy, bool check_members) {
                return with_hierarchy(
                    hierarchy, Gil::release,
                    [&](const Hierarchy& h, const Workspace* ws, const HierarchyView&) {
                        const Directory* directory = nullptr;
                        if (check_members) {
                            if (ws == nullptr) {
                                throw Error(ErrorCode::invalid_argument,
                                            "check_members needs a workspace (its directory), "
                                            "not a snapshot");
                            }
                            directory = &ws->directory().view();
                        }
                        return d.validate(networks_of(h, ws), directory);
                    });
            },
            py::arg("hierarchy"), py::arg("check_members") = false,
            "Findings against a Workspace or Hierarchy: department.unknown_node (a node, or a "
            "unit place such as 'fire:M1', that is not live; a workspace's hierarchy brings its "
            "overlays, a snapshot none), department.no_members, and with check_members "
            "department.unknown_member (people of the workspace's directory).")
        .def(py::self == py::self)
        .def("__repr__", [](const DepartmentCatalogue& d) {
            return "<DepartmentCatalogue " + d.key + " (" + std::to_string(d.departments.size()) +
                   " departments)>";
        });

    // ---- routing ---------------------------------------------------------------------------
    py::class_<RoutingRule>(m, "RoutingRule", "An explicit routing rule.")
        .def_readonly("category_prefix", &RoutingRule::category_prefix)
        .def_readonly("subtree", &RoutingRule::subtree)
        .def_readonly("department", &RoutingRule::department)
        .def_readonly("note", &RoutingRule::note)
        .def_readonly("overlay", &RoutingRule::overlay,
                      "The overlay whose covering unit the cases go to; '' = the base hierarchy "
                      "(department may then be '').")
        .def("__repr__", [](const RoutingRule& r) {
            const std::string to =
                r.overlay.empty()
                    ? r.department
                    : "overlay " + r.overlay + (r.department.empty() ? "" : ", " + r.department);
            return "<RoutingRule " + quoted(r.category_prefix) +
                   (r.subtree.empty() ? "" : " in " + r.subtree) + " -> " + to + ">";
        });

    py::class_<RouteResult>(m, "Route", "Who handles a case, and why.")
        .def_property_readonly("basis", [](const RouteResult& r) { return r.route.basis; })
        .def_property_readonly("department",
                               [](const RouteResult& r) -> py::object {
                                   return r.route.department.empty()
                                              ? py::object(py::none())
                                              : py::object(py::str(r.route.department));
                               })
        .def_property_readonly(
            "node", [](const RouteResult& r) { return node_or_none(r.view, r.route.node); },
            "The base node the department serves, or the territorial node; None when the case "
            "goes into an overlay unit whose department serves the unit, or no department "
            "serves it.")
        .def_property_readonly(
            "unit",
            [](const RouteResult& r) -> py::object {
                return r.unit.empty() ? py::object(py::none()) : py::object(py::str(r.unit));
            },
            "With an overlay rule: the unit the case goes to, as a place ('fire:M1'); else "
            "None.")
        .def_property_readonly("rule",
                               [](const RouteResult& r) -> py::object {
                                   if (r.route.basis != RouteBasis::rule)
                                       return py::none();
                                   return py::int_(r.route.rule);
                               })
        .def_property_readonly("reasoning", [](const RouteResult& r) { return r.route.reasoning; })
        .def("__repr__", [](const RouteResult& r) {
            return std::string("<Route ") + route_basis_name(r.route.basis) + " -> " +
                   (r.route.department.empty() ? "(no department)" : r.route.department) +
                   (r.unit.empty() ? "" : " at " + r.unit) + ">";
        });

    py::class_<RoutingTable>(m, "RoutingTable",
                             "Routing rules and the territorial default (属地管理).")
        .def(py::init<>())
        .def_static(
            "from_json",
            [](py::object json, const std::string& source_name) {
                return RoutingTable::from_json(json_text(json, "json"), source_name);
            },
            py::arg("json"), py::arg("source_name") = "<json>")
        .def("to_json", &RoutingTable::to_json)
        .def("to_dict", [](const RoutingTable& t) { return json_object(t.to_json()); })
        .def_readonly("territorial_level", &RoutingTable::territorial_level)
        .def_readonly("territorial_kind", &RoutingTable::territorial_kind)
        .def_readonly("rules", &RoutingTable::rules)
        .def(
            "route",
            [](const RoutingTable& t, py::object hierarchy, const CategoryCatalogue& categories,
               const DepartmentCatalogue& departments, const std::string& category,
               py::object node) {
                const NodeRef ref = node_ref(node);
                return with_hierarchy(
                    hierarchy, Gil::release,
                    [&](const Hierarchy& h, const Workspace* ws, const HierarchyView& view) {
                        const Networks networks = networks_of(h, ws);
                        return RouteResult(
                            t.route(networks, categories, departments, category, resolve(h, ref)),
                            view, networks);
                    });
            },
            py::arg("hierarchy"), py::arg("categories"), py::arg("departments"),
            py::arg("category"), py::arg("node"),
            "Routes a case of a category at a node (id, code or Node) of a Workspace or "
            "Hierarchy: explicit rules, else the category's department kind, else territorial "
            "management. A workspace's hierarchy brings its overlays, so overlay rules send "
            "the case into the covering unit (Route.unit); a snapshot has none, and such rules "
            "are skipped with the reason in the reasoning.")
        .def(
            "validate",
            [](const RoutingTable& t, py::object hierarchy, const CategoryCatalogue& categories,
               const DepartmentCatalogue& departments) {
                return with_hierarchy(
                    hierarchy, Gil::release,
                    [&](const Hierarchy& h, const Workspace* ws, const HierarchyView&) {
                        return t.validate(networks_of(h, ws), categories, departments);
                    });
            },
            py::arg("hierarchy"), py::arg("categories"), py::arg("departments"),
            "Findings against a Workspace or Hierarchy: routing.unknown_department, "
            "routing.unknown_subtree, routing.unknown_overlay (an overlay the workspace does "
            "not have; a snapshot has none), routing.prefix_matches_nothing, "
            "routing.duplicate_rule, routing.unknown_level.")
        .def(py::self == py::self)
        .def("__repr__", [](const RoutingTable& t) {
            return "<RoutingTable " + std::to_string(t.rules.size()) + " rules, territorial " +
                   t.territorial_level + "/" + t.territorial_kind + ">";
        });

    // ---- the workspace's own copies, used by its cases ------------------------------------
    auto face = py::reinterpret_borrow<py::class_<CasesFace>>(m.attr("WorkspaceCases"));
    face.def_property_readonly(
            "workflows",
            [](const CasesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.cases().workflows(); });
            },
            "A copy of the workspace's WorkflowRegistry (the built-in profiles and every version "
            "added).")
        .def(
            "add_workflow",
            [](const CasesFace& self, py::object spec, const std::string& source_name) {
                const WorkflowSpec s = spec_arg(spec, source_name);
                return self->write(Gil::release,
                                   [&](Workspace& ws) { return ws.cases().add_workflow(s); });
            },
            py::arg("spec"), py::arg("source_name") = "<json>",
            "Registers a new workflow version (a WorkflowSpec, JSON text or dict), validated "
            "against the directory's catalogue and the categories; returns its warnings.")
        .def_property_readonly(
            "categories",
            [](const CasesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.cases().categories(); });
            },
            "A copy of the workspace's CategoryCatalogue.")
        .def(
            "set_categories",
            [](const CasesFace& self, const CategoryCatalogue& categories) {
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.cases().set_categories(categories); });
            },
            py::arg("categories"),
            "Replaces the categories; InvalidStateError when a code some case uses is missing.")
        .def_property_readonly(
            "departments",
            [](const CasesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.cases().departments(); });
            },
            "A copy of the workspace's DepartmentCatalogue.")
        .def(
            "set_departments",
            [](const CasesFace& self, const DepartmentCatalogue& departments) {
                self->write(Gil::release,
                            [&](Workspace& ws) { ws.cases().set_departments(departments); });
            },
            py::arg("departments"),
            "Replaces the departments; InvalidStateError when a department some case is "
            "assigned to is missing.")
        .def_property_readonly(
            "routing",
            [](const CasesFace& self) {
                return self->read(Gil::keep,
                                  [](const Workspace& ws) { return ws.cases().routing(); });
            },
            "A copy of the workspace's RoutingTable.")
        .def(
            "set_routing",
            [](const CasesFace& self, const RoutingTable& routing) {
                self->write(Gil::release, [&](Workspace& ws) { ws.cases().set_routing(routing); });
            },
            py::arg("routing"))
        .def(
            "route",
            [](const CasesFace& self, const std::string& category, py::object node) {
                const NodeRef ref = node_ref(node);
                const HierarchyView view{self, std::nullopt, nullptr};
                return self->read(Gil::release, [&](const Workspace& ws) {
                    const CaseEngine& cases = ws.cases();
                    const Networks networks = ws.hierarchy().networks();
                    return RouteResult(
                        cases.routing().route(networks, cases.categories(), cases.departments(),
                                              category, resolve(networks.base(), ref)),
                        view, networks);
                });
            },
            py::arg("category"), py::arg("node"),
            "Routes a case of a category at a node with the workspace's own routing table, "
            "categories, departments and overlays.");
}

}  // namespace gridgov::python
