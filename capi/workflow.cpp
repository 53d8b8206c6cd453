// C ABI: workflow specs and their registry, category and department catalogues, routing,
// and the copies of them a workspace keeps for its cases.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/cases.hpp"
#include "gridgov/workflow.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

/// gridgov_workflow_registry: created by gridgov_workflow_registry_create*(), freed by
/// gridgov_workflow_registry_destroy(). Keys and specs handed out point into `registry`,
/// which only gridgov_workflow_registry_add_json() changes.
struct gridgov_workflow_registry {
    gridgov::WorkflowRegistry registry;
};

/// The catalogue handles never change after creation, so their strings stay valid until
/// the handle is destroyed.
struct gridgov_category_catalogue {
    gridgov::CategoryCatalogue catalogue;
};

struct gridgov_department_catalogue {
    gridgov::DepartmentCatalogue catalogue;
};

struct gridgov_routing_table {
    gridgov::RoutingTable table;
};

namespace {

using gridgov::Command;
using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;

static_assert(GRIDGOV_COMMAND_REPORT == static_cast<int>(Command::report));
static_assert(GRIDGOV_COMMAND_FILE == static_cast<int>(Command::file));
static_assert(GRIDGOV_COMMAND_VOID == static_cast<int>(Command::void_case));
static_assert(GRIDGOV_COMMAND_DISPATCH == static_cast<int>(Command::dispatch));
static_assert(GRIDGOV_COMMAND_ACCEPT == static_cast<int>(Command::accept));
static_assert(GRIDGOV_COMMAND_RETURN == static_cast<int>(Command::return_case));
static_assert(GRIDGOV_COMMAND_REQUEST_EXTENSION == static_cast<int>(Command::request_extension));
static_assert(GRIDGOV_COMMAND_APPROVE_EXTENSION == static_cast<int>(Command::approve_extension));
static_assert(GRIDGOV_COMMAND_DENY_EXTENSION == static_cast<int>(Command::deny_extension));
static_assert(GRIDGOV_COMMAND_SUSPEND == static_cast<int>(Command::suspend));
static_assert(GRIDGOV_COMMAND_RESUME == static_cast<int>(Command::resume));
static_assert(GRIDGOV_COMMAND_FEEDBACK == static_cast<int>(Command::feedback));
static_assert(GRIDGOV_COMMAND_CHECK_PASS == static_cast<int>(Command::check_pass));
static_assert(GRIDGOV_COMMAND_CHECK_FAIL == static_cast<int>(Command::check_fail));
static_assert(GRIDGOV_COMMAND_CLOSE == static_cast<int>(Command::close));
static_assert(GRIDGOV_COMMAND_RATE == static_cast<int>(Command::rate));
static_assert(GRIDGOV_COMMAND_ESCALATE == static_cast<int>(Command::escalate));
static_assert(GRIDGOV_COMMAND_SUPERVISE == static_cast<int>(Command::supervise));
static_assert(GRIDGOV_COMMAND_ARCHIVE == static_cast<int>(Command::archive));
static_assert(GRIDGOV_COMMAND_SELF_HANDLE == static_cast<int>(Command::self_handle));
static_assert(GRIDGOV_COMMAND_CALLBACK == static_cast<int>(Command::callback));
static_assert(GRIDGOV_SATISFACTION_SATISFIED == static_cast<int>(gridgov::Satisfaction::satisfied));
static_assert(GRIDGOV_SATISFACTION_BASICALLY_SATISFIED ==
              static_cast<int>(gridgov::Satisfaction::basically_satisfied));
static_assert(GRIDGOV_SATISFACTION_UNSATISFIED ==
              static_cast<int>(gridgov::Satisfaction::unsatisfied));
static_assert(GRIDGOV_STATE_KIND_PENDING == static_cast<int>(gridgov::StateKind::pending));
static_assert(GRIDGOV_STATE_KIND_OPEN == static_cast<int>(gridgov::StateKind::open));
static_assert(GRIDGOV_STATE_KIND_CLOSED == static_cast<int>(gridgov::StateKind::closed));
static_assert(GRIDGOV_STATE_KIND_VOIDED == static_cast<int>(gridgov::StateKind::voided));
static_assert(GRIDGOV_ROUTE_RULE == static_cast<int>(gridgov::RouteBasis::rule));
static_assert(GRIDGOV_ROUTE_CATEGORY == static_cast<int>(gridgov::RouteBasis::category));
static_assert(GRIDGOV_ROUTE_TERRITORIAL == static_cast<int>(gridgov::RouteBasis::territorial));
static_assert(GRIDGOV_UNIT_WORKING_DAYS == static_cast<int>(gridgov::TimeUnit::working_days));

std::string_view source(const char* source_name) {
    return source_name != nullptr ? source_name : "<json>";
}

// What a spec is checked against: the role catalogue the options ask for (owned here, as
// it is built or parsed for the call) and the categories.
struct Checks {
    std::optional<gridgov::Catalogue> roles;
    const gridgov::CategoryCatalogue* categories = nullptr;

    const gridgov::Catalogue* roles_ptr() const { return roles ? &*roles : nullptr; }
};

Checks checks_for(const gridgov::WorkflowSpec& spec,
                  const gridgov_workflow_check_options* options) {
    gridgov_workflow_check_options defaults;
    if (options == nullptr) {
        gridgov_workflow_check_options_init(&defaults, GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION);
        options = &defaults;
    }
    if (options->version != GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION) {
        throw Error(ErrorCode::invalid_argument,
                    "options.version: " + std::to_string(options->version) +
                        " is not supported (call gridgov_workflow_check_options_init() first)");
    }
    Checks checks;
    if (options->categories != nullptr)
        checks.categories = &options->categories->catalogue;
    switch (options->roles) {
        case GRIDGOV_WORKFLOW_ROLES_NONE:
            break;
        case GRIDGOV_WORKFLOW_ROLES_EXPECTED:
            checks.roles = spec.expected_catalogue();
            break;
        case GRIDGOV_WORKFLOW_ROLES_WORKSPACE:
            if (options->workspace == nullptr) {
                throw Error(
                    ErrorCode::invalid_argument,
                    "options.workspace must not be NULL with GRIDGOV_WORKFLOW_ROLES_WORKSPACE");
            }
            checks.roles = options->workspace->ws.directory().view().catalogue();
            break;
        case GRIDGOV_WORKFLOW_ROLES_JSON:
            if (options->roles_json == nullptr) {
                throw Error(ErrorCode::invalid_argument,
                            "options.roles_json must not be NULL with GRIDGOV_WORKFLOW_ROLES_JSON");
            }
            checks.roles = gridgov::Catalogue::from_json(options->roles_json, "options.roles_json");
            break;
        default:
            throw Error(ErrorCode::invalid_argument,
                        "options.roles: " + std::to_string(options->roles) +
                            " is not a GRIDGOV_WORKFLOW_ROLES_* value");
    }
    return checks;
}

const gridgov::WorkflowSpec& spec_of(const gridgov_workflow_registry* registry, const char* key,
                                     int version) {
    require(registry, "registry");
    require(key, "key");
    return version == 0 ? registry->registry.latest(key) : registry->registry.get(key, version);
}

// Distinct keys in sorted order: the registry keeps its specs sorted by key and version.
std::vector<const std::string*> registry_keys(const gridgov_workflow_registry* registry) {
    std::vector<const std::string*> keys;
    for (const std::string& key : registry->registry.keys()) {
        keys.push_back(&registry->registry.latest(key).key);
    }
    return keys;
}

template <class T>
std::size_t checked_index(std::size_t index, const std::vector<T>& items, const char* what) {
    if (index >= items.size()) {
        throw Error(ErrorCode::invalid_argument,
                    "index: " + std::to_string(index) + " is out of range (" +
                        std::to_string(items.size()) + " " + what + ")");
    }
    return index;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        if (!out.empty())
            out += '\n';
        out += line;
    }
    return out;
}

// Every string is allocated before any is handed over, so that a failure leaves `out`
// untouched and leaks nothing. `networks` must be the ones `route` was decided in: they
// name its unit.
void fill_route(gridgov_route* out, const gridgov::Route& route,
                const gridgov::Networks& networks) {
    using Owned = std::unique_ptr<char, decltype(&gridgov_free)>;
    Owned department(dup_string(route.department), &gridgov_free);
    Owned reasoning(dup_string(joined(route.reasoning)), &gridgov_free);
    char* unit = dup_string(route.unit.overlay.empty() ? std::string() : networks.code(route.unit));
    out->basis = static_cast<int32_t>(route.basis);
    out->node = route.node;
    out->rule = route.basis == gridgov::RouteBasis::rule ? static_cast<int64_t>(route.rule) : -1;
    out->department = department.release();
    out->reasoning = reasoning.release();
    out->unit = unit;
}

// The workspace's copy of one piece of case configuration, in a new handle of its type.
template <typename Handle, typename Get>
int copy_config(Handle** out, const gridgov_workspace* ws, Get get) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = new Handle{get(ws->ws.cases())};
    });
}

// Replaces one piece of the workspace's case configuration with the handle's contents.
template <typename Handle, typename Set>
int set_config(gridgov_workspace* ws, const Handle* value, const char* name, Set set) {
    return guard([&] {
        require(ws, "ws");
        require(value, name);
        set(ws->ws, *value);
    });
}

}  // namespace

extern "C" {

int gridgov_command_name(const char** out, int command) {
    return guard([&] {
        require(out, "out");
        if (command < 0 || static_cast<std::size_t>(command) >= gridgov::command_count) {
            throw Error(ErrorCode::invalid_argument, "command: " + std::to_string(command) +
                                                         " is not a GRIDGOV_COMMAND_* value");
        }
        *out = gridgov::command_name(static_cast<Command>(command));
    });
}

int gridgov_command_parse(int* out, const char* name) {
    return guard([&] {
        require(out, "out");
        require(name, "name");
        *out = static_cast<int>(gridgov::parse_command(name));
    });
}

int gridgov_workflow_check_options_init(gridgov_workflow_check_options* options, uint32_t version) {
    return guard([&] {
        require(options, "options");
        if (version != GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "version: " + std::to_string(version) +
                            " is not supported (expected GRIDGOV_WORKFLOW_CHECK_OPTIONS_VERSION)");
        }
        *options = gridgov_workflow_check_options{};
        options->version = version;
        options->roles = GRIDGOV_WORKFLOW_ROLES_EXPECTED;
    });
}

int gridgov_workflow_validate_json(gridgov_findings** out, const char* json,
                                   const char* source_name,
                                   const gridgov_workflow_check_options* options) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        const gridgov::WorkflowSpec spec =
            gridgov::WorkflowSpec::from_json(json, source(source_name));
        const Checks checks = checks_for(spec, options);
        *out = gridgov::capi::new_findings(spec.validate(checks.roles_ptr(), checks.categories));
    });
}

int gridgov_workflow_registry_create(gridgov_workflow_registry** out) {
    return guard([&] {
        require(out, "out");
        *out = new gridgov_workflow_registry{};
    });
}

int gridgov_workflow_registry_create_builtin(gridgov_workflow_registry** out) {
    return guard([&] {
        require(out, "out");
        *out = new gridgov_workflow_registry{gridgov::WorkflowRegistry::builtin()};
    });
}

void gridgov_workflow_registry_destroy(gridgov_workflow_registry* registry) {
    delete registry;
}

int gridgov_workflow_registry_add_json(gridgov_findings** out, gridgov_workflow_registry* registry,
                                       const char* json, const char* source_name,
                                       const gridgov_workflow_check_options* options) {
    return guard([&] {
        require(out, "out");
        require(registry, "registry");
        require(json, "json");
        gridgov::WorkflowSpec spec = gridgov::WorkflowSpec::from_json(json, source(source_name));
        const Checks checks = checks_for(spec, options);
        auto handle = std::make_unique<gridgov_findings>();
        handle->items =
            registry->registry.add(std::move(spec), checks.roles_ptr(), checks.categories);
        *out = handle.release();
    });
}

int gridgov_workflow_registry_count(size_t* out, const gridgov_workflow_registry* registry) {
    return guard([&] {
        require(out, "out");
        require(registry, "registry");
        *out = registry->registry.size();
    });
}

int gridgov_workflow_registry_key_count(size_t* out, const gridgov_workflow_registry* registry) {
    return guard([&] {
        require(out, "out");
        require(registry, "registry");
        *out = registry->registry.keys().size();
    });
}

int gridgov_workflow_registry_key(const char** out, const gridgov_workflow_registry* registry,
                                  size_t index) {
    return guard([&] {
        require(out, "out");
        require(registry, "registry");
        const std::vector<const std::string*> keys = registry_keys(registry);
        *out = keys[checked_index(index, keys, "keys")]->c_str();
    });
}

int gridgov_workflow_registry_versions(int32_t** out, size_t* out_count,
                                       const gridgov_workflow_registry* registry, const char* key) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        require(registry, "registry");
        require(key, "key");
        const std::vector<int> versions = registry->registry.versions(key);
        const std::vector<int32_t> v(versions.begin(), versions.end());
        *out = gridgov::capi::dup_array(v);
        *out_count = v.size();
    });
}

int gridgov_workflow_registry_spec_json(char** out, const gridgov_workflow_registry* registry,
                                        const char* key, int version) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(spec_of(registry, key, version).to_json());
    });
}

int gridgov_workflow_registry_commands_from(int32_t** out, size_t* out_count,
                                            const gridgov_workflow_registry* registry,
                                            const char* key, int version, const char* state) {
    return guard([&] {
        require(out, "out");
        require(out_count, "out_count");
        const gridgov::WorkflowSpec& spec = spec_of(registry, key, version);
        require(state, "state");
        spec.state(state);
        std::vector<int32_t> commands;
        for (const Command c : spec.commands_from(state))
            commands.push_back(static_cast<int32_t>(c));
        *out = gridgov::capi::dup_array(commands);
        *out_count = commands.size();
    });
}

int gridgov_category_catalogue_from_json(gridgov_category_catalogue** out, const char* json,
                                         const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        *out = new gridgov_category_catalogue{
            gridgov::CategoryCatalogue::from_json(json, source(source_name))};
    });
}

int gridgov_category_catalogue_preset(gridgov_category_catalogue** out, const char* key) {
    return guard([&] {
        require(out, "out");
        require(key, "key");
        *out = new gridgov_category_catalogue{gridgov::CategoryCatalogue::preset(key)};
    });
}

void gridgov_category_catalogue_destroy(gridgov_category_catalogue* categories) {
    delete categories;
}

int gridgov_category_catalogue_to_json(char** out, const gridgov_category_catalogue* categories) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        *out = dup_string(categories->catalogue.to_json());
    });
}

int gridgov_category_catalogue_validate(gridgov_findings** out,
                                        const gridgov_category_catalogue* categories) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        *out = gridgov::capi::new_findings(categories->catalogue.validate());
    });
}

int gridgov_category_catalogue_count(size_t* out, const gridgov_category_catalogue* categories) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        *out = categories->catalogue.categories.size();
    });
}

int gridgov_category_catalogue_code(const char** out, const gridgov_category_catalogue* categories,
                                    size_t index) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        const auto& all = categories->catalogue.categories;
        *out = all[checked_index(index, all, "categories")].code.c_str();
    });
}

int gridgov_category_catalogue_name(const char** out, const gridgov_category_catalogue* categories,
                                    const char* code) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        require(code, "code");
        *out = categories->catalogue.at(code).name_zh.c_str();
    });
}

int gridgov_category_catalogue_department(const char** out,
                                          const gridgov_category_catalogue* categories,
                                          const char* code) {
    return guard([&] {
        require(out, "out");
        require(categories, "categories");
        require(code, "code");
        *out = categories->catalogue.at(code).department.c_str();
    });
}

int gridgov_category_catalogue_limit(gridgov_time_limit* out, int* out_found,
                                     const gridgov_category_catalogue* categories, const char* code,
                                     const char* stage, const char* area_class) {
    return guard([&] {
        require(out, "out");
        require(out_found, "out_found");
        require(categories, "categories");
        require(code, "code");
        require(stage, "stage");
        const gridgov::StageLimit* limit = categories->catalogue.at(code).limit_for(
            stage, area_class != nullptr ? area_class : "");
        if (limit != nullptr) {
            *out = gridgov_time_limit{limit->limit.value, static_cast<int>(limit->limit.unit),
                                      static_cast<int>(limit->limit.day_rule)};
        }
        *out_found = limit != nullptr ? 1 : 0;
    });
}

int gridgov_department_catalogue_from_json(gridgov_department_catalogue** out, const char* json,
                                           const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        *out = new gridgov_department_catalogue{
            gridgov::DepartmentCatalogue::from_json(json, source(source_name))};
    });
}

void gridgov_department_catalogue_destroy(gridgov_department_catalogue* departments) {
    delete departments;
}

int gridgov_department_catalogue_to_json(char** out,
                                         const gridgov_department_catalogue* departments) {
    return guard([&] {
        require(out, "out");
        require(departments, "departments");
        *out = dup_string(departments->catalogue.to_json());
    });
}

int gridgov_department_catalogue_validate(gridgov_findings** out,
                                          const gridgov_department_catalogue* departments,
                                          const gridgov_workspace* ws, int check_members) {
    return guard([&] {
        require(out, "out");
        require(departments, "departments");
        require(ws, "ws");
        const gridgov::Directory* directory =
            check_members != 0 ? &ws->ws.directory().view() : nullptr;
        *out = gridgov::capi::new_findings(
            departments->catalogue.validate(ws->ws.hierarchy().networks(), directory));
    });
}

int gridgov_department_catalogue_count(size_t* out,
                                       const gridgov_department_catalogue* departments) {
    return guard([&] {
        require(out, "out");
        require(departments, "departments");
        *out = departments->catalogue.departments.size();
    });
}

int gridgov_department_catalogue_code(const char** out,
                                      const gridgov_department_catalogue* departments,
                                      size_t index) {
    return guard([&] {
        require(out, "out");
        require(departments, "departments");
        const auto& all = departments->catalogue.departments;
        *out = all[checked_index(index, all, "departments")].code.c_str();
    });
}

int gridgov_routing_table_from_json(gridgov_routing_table** out, const char* json,
                                    const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        *out =
            new gridgov_routing_table{gridgov::RoutingTable::from_json(json, source(source_name))};
    });
}

void gridgov_routing_table_destroy(gridgov_routing_table* table) {
    delete table;
}

int gridgov_routing_table_to_json(char** out, const gridgov_routing_table* table) {
    return guard([&] {
        require(out, "out");
        require(table, "table");
        *out = dup_string(table->table.to_json());
    });
}

int gridgov_routing_table_validate(gridgov_findings** out, const gridgov_routing_table* table,
                                   const gridgov_workspace* ws,
                                   const gridgov_category_catalogue* categories,
                                   const gridgov_department_catalogue* departments) {
    return guard([&] {
        require(out, "out");
        require(table, "table");
        require(ws, "ws");
        require(categories, "categories");
        require(departments, "departments");
        *out = gridgov::capi::new_findings(table->table.validate(
            ws->ws.hierarchy().networks(), categories->catalogue, departments->catalogue));
    });
}

int gridgov_routing_table_route(gridgov_route* out, const gridgov_routing_table* table,
                                const gridgov_workspace* ws,
                                const gridgov_category_catalogue* categories,
                                const gridgov_department_catalogue* departments,
                                const char* category, gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        require(table, "table");
        require(ws, "ws");
        require(categories, "categories");
        require(departments, "departments");
        require(category, "category");
        const gridgov::Networks networks = ws->ws.hierarchy().networks();
        fill_route(out,
                   table->table.route(networks, categories->catalogue, departments->catalogue,
                                      category, node),
                   networks);
    });
}

int gridgov_cases_add_workflow_json(gridgov_findings** out, gridgov_workspace* ws, const char* json,
                                    const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(json, "json");
        const gridgov::WorkflowSpec spec =
            gridgov::WorkflowSpec::from_json(json, source(source_name));
        auto handle = std::make_unique<gridgov_findings>();
        handle->items = ws->ws.cases().add_workflow(spec);
        *out = handle.release();
    });
}

int gridgov_cases_workflows(gridgov_workflow_registry** out, const gridgov_workspace* ws) {
    return copy_config(out, ws, [](const gridgov::CaseEngine& e) { return e.workflows(); });
}

int gridgov_cases_set_categories(gridgov_workspace* ws,
                                 const gridgov_category_catalogue* categories) {
    return set_config(ws, categories, "categories",
                      [](gridgov::Workspace& w, const gridgov_category_catalogue& c) {
                          w.cases().set_categories(c.catalogue);
                      });
}

int gridgov_cases_categories(gridgov_category_catalogue** out, const gridgov_workspace* ws) {
    return copy_config(out, ws, [](const gridgov::CaseEngine& e) { return e.categories(); });
}

int gridgov_cases_set_departments(gridgov_workspace* ws,
                                  const gridgov_department_catalogue* departments) {
    return set_config(ws, departments, "departments",
                      [](gridgov::Workspace& w, const gridgov_department_catalogue& d) {
                          w.cases().set_departments(d.catalogue);
                      });
}

int gridgov_cases_departments(gridgov_department_catalogue** out, const gridgov_workspace* ws) {
    return copy_config(out, ws, [](const gridgov::CaseEngine& e) { return e.departments(); });
}

int gridgov_cases_set_routing(gridgov_workspace* ws, const gridgov_routing_table* table) {
    return set_config(ws, table, "table",
                      [](gridgov::Workspace& w, const gridgov_routing_table& t) {
                          w.cases().set_routing(t.table);
                      });
}

int gridgov_cases_routing(gridgov_routing_table** out, const gridgov_workspace* ws) {
    return copy_config(out, ws, [](const gridgov::CaseEngine& e) { return e.routing(); });
}

int gridgov_cases_route(gridgov_route* out, const gridgov_workspace* ws, const char* category,
                        gridgov_node_id node) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(category, "category");
        const gridgov::CaseEngine& cases = ws->ws.cases();
        const gridgov::Networks networks = ws->ws.hierarchy().networks();
        fill_route(out,
                   cases.routing().route(networks, cases.categories(), cases.departments(),
                                         category, node),
                   networks);
    });
}

}  // extern "C"
