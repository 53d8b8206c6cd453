// C ABI: the directory of a workspace (people, catalogues, assignments, questions, exports).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/directory.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::bad_value;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;
using gridgov::capi::reveal_of;
using gridgov::capi::text;
using Json = nlohmann::ordered_json;

static_assert(GRIDGOV_POST_A == static_cast<int>(gridgov::Post::a));
static_assert(GRIDGOV_POST_B == static_cast<int>(gridgov::Post::b));
static_assert(GRIDGOV_ABSENCE_VACANCY == static_cast<int>(gridgov::AbsenceKind::vacancy));
static_assert(GRIDGOV_UNIT_INFORMATION_ARCHIVE ==
              static_cast<int>(gridgov::UnitKind::information_archive));
static_assert(GRIDGOV_PARTY_PROBATIONARY ==
              static_cast<int>(gridgov::PartyMembership::probationary));
static_assert(GRIDGOV_ROLE_SUPERVISOR == static_cast<int>(gridgov::RoleFunction::supervisor));
static_assert(GRIDGOV_TABLE_ABSENCES == static_cast<int>(gridgov::DirectoryTable::absences));

gridgov::Post post_of(int post) {
    if (post != GRIDGOV_POST_A && post != GRIDGOV_POST_B)
        bad_value("post", post, "a GRIDGOV_POST_* value");
    return static_cast<gridgov::Post>(post);
}

gridgov::DirectoryTable table_of(int table) {
    if (table < GRIDGOV_TABLE_AUTO || table > GRIDGOV_TABLE_ABSENCES) {
        bad_value("table", table, "a GRIDGOV_TABLE_* value");
    }
    return static_cast<gridgov::DirectoryTable>(table);
}

gridgov::NodeId node_of(const gridgov::Workspace& ws, const char* code, const char* parameter) {
    require(code, parameter);
    const auto node = ws.hierarchy().view().find(code);
    if (!node) {
        throw Error(ErrorCode::not_found,
                    std::string(parameter) + ": no live node with code '" + code + "'");
    }
    return *node;
}

// A base node ("G01") or an overlay unit ("market:D01"), named by `parameter` when unknown.
gridgov::Place place_of(const gridgov::Workspace& ws, const char* code, const char* parameter) {
    require(code, parameter);
    try {
        return ws.hierarchy().networks().place(code);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(parameter) + ": " + e.what());
    }
}

// An assignment's node, in the network of its role (a unit of the role's overlay may be
// written "D01" or "market:D01").
gridgov::NodeId post_node_of(const gridgov::Workspace& ws, const char* role, const char* code) {
    require(code, "node_code");
    const std::string& overlay = ws.directory().view().network_of(role);
    if (overlay.empty())
        return node_of(ws, code, "node_code");
    try {
        return ws.hierarchy().networks().node_in(overlay, code);
    } catch (const Error& e) {
        throw Error(e.code(), std::string("node_code: ") + e.what());
    }
}

gridgov::Date date_of(const char* iso, const char* parameter) {
    return gridgov::capi::required_date(iso, parameter);
}

gridgov::Date end_of(const char* iso, const char* parameter) {
    return gridgov::capi::optional_date(iso, parameter).value_or(gridgov::Date::max());
}

gridgov::Person person_of(const gridgov_person_spec* spec) {
    require(spec, "spec");
    if (spec->version != GRIDGOV_PERSON_SPEC_VERSION) {
        throw Error(ErrorCode::invalid_argument,
                    "spec.version: " + std::to_string(spec->version) +
                        " is not supported (call gridgov_person_spec_init() first)");
    }
    require(spec->id, "spec.id");
    require(spec->name, "spec.name");
    if (spec->party < GRIDGOV_PARTY_NONE || spec->party > GRIDGOV_PARTY_PROBATIONARY) {
        bad_value("spec.party", spec->party, "a GRIDGOV_PARTY_* value");
    }
    gridgov::Person p;
    p.id = spec->id;
    p.name = spec->name;
    p.phone = text(spec->phone);
    p.id_number = text(spec->id_number);
    p.party = static_cast<gridgov::PartyMembership>(spec->party);
    if (spec->category_count > 0)
        require(spec->categories, "spec.categories");
    for (std::size_t i = 0; i < spec->category_count; ++i) {
        require(spec->categories[i], "spec.categories[i]");
        p.categories.emplace_back(spec->categories[i]);
    }
    if (spec->attribute_count > 0) {
        require(spec->attribute_keys, "spec.attribute_keys");
        require(spec->attribute_values, "spec.attribute_values");
    }
    for (std::size_t i = 0; i < spec->attribute_count; ++i) {
        require(spec->attribute_keys[i], "spec.attribute_keys[i]");
        require(spec->attribute_values[i], "spec.attribute_values[i]");
        p.attributes.emplace_back(spec->attribute_keys[i], spec->attribute_values[i]);
    }
    return p;
}

std::string phone(const gridgov::Person& p, gridgov::Reveal reveal) {
    return reveal == gridgov::Reveal::revealed ? p.phone : gridgov::mask_phone(p.phone);
}

Json roster_json(const gridgov::Workspace& ws, const std::vector<gridgov::RosterEntry>& entries,
                 gridgov::Reveal reveal) {
    const gridgov::Directory& d = ws.directory().view();
    const gridgov::Networks net = ws.hierarchy().networks();
    Json out = Json::array();
    for (const gridgov::RosterEntry& e : entries) {
        const gridgov::Person& p = d.person(e.person);
        const gridgov::RoleType& r = d.role(e.role);
        const auto date = [](gridgov::Date day) -> Json {
            if (day <= gridgov::Date::min() || day >= gridgov::Date::max())
                return nullptr;
            return day.to_string();
        };
        out.push_back({{"assignment", e.assignment},
                       {"person", p.id},
                       {"name", p.name},
                       {"phone", phone(p, reveal)},
                       {"role", r.code},
                       {"role_zh", r.label_zh},
                       {"node", net.code(d.place_of(e))},
                       {"post", gridgov::post_name(e.post)},
                       {"from", date(e.period.from)},
                       {"to", date(e.period.to)},
                       {"absent", e.absence != 0},
                       {"absence", e.absence == 0 ? Json(nullptr) : Json(e.absence)}});
    }
    return out;
}

gridgov_directory_import_report report_of(const gridgov::DirectoryImportReport& r) {
    return gridgov_directory_import_report{r.people_added, r.units_added, r.assignments_added,
                                           r.absences_added};
}

}  // namespace

extern "C" {

int gridgov_person_spec_init(gridgov_person_spec* spec, uint32_t version) {
    return guard([&] {
        require(spec, "spec");
        if (version != GRIDGOV_PERSON_SPEC_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "version: " + std::to_string(version) + " is not supported");
        }
        *spec = gridgov_person_spec{};
        spec->version = version;
        spec->party = GRIDGOV_PARTY_NONE;
    });
}

int gridgov_compliance_options_init(gridgov_compliance_options* options, uint32_t version) {
    return guard([&] {
        require(options, "options");
        if (version != GRIDGOV_COMPLIANCE_OPTIONS_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "version: " + std::to_string(version) + " is not supported");
        }
        const gridgov::CompliancePolicy defaults;
        *options = gridgov_compliance_options{};
        options->version = version;
        options->grid_level = nullptr;
        options->five_ones = defaults.five_ones ? 1 : 0;
        options->cardinality = defaults.cardinality ? 1 : 0;
        options->primary_worker = defaults.primary_worker ? 1 : 0;
        options->backup_not_primary = defaults.backup_not_primary ? 1 : 0;
        options->max_primary_grids = defaults.max_primary_grids;
        options->node_lifetime = defaults.node_lifetime ? 1 : 0;
    });
}

// ---- catalogue ------------------------------------------------------------------------

int gridgov_directory_preset_keys(char** out) {
    return guard([&] {
        require(out, "out");
        std::string keys;
        for (const std::string& k : gridgov::Catalogue::preset_keys())
            keys += k + "\n";
        *out = dup_string(keys);
    });
}

int gridgov_directory_use_preset(gridgov_workspace* ws, const char* key) {
    return guard([&] {
        require(ws, "ws");
        require(key, "key");
        ws->ws.directory().set_catalogue(gridgov::Catalogue::preset(key));
    });
}

int gridgov_directory_set_catalogue_json(gridgov_workspace* ws, const char* json,
                                         const char* source_name) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        ws->ws.directory().set_catalogue(
            gridgov::Catalogue::from_json(json, source_name == nullptr ? "<text>" : source_name));
    });
}

int gridgov_directory_catalogue_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(ws->ws.directory().view().catalogue().to_json());
    });
}

// ---- changes --------------------------------------------------------------------------

int gridgov_directory_add_person(gridgov_workspace* ws, const gridgov_person_spec* spec) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.directory().add_person(person_of(spec));
    });
}

int gridgov_directory_update_person(gridgov_workspace* ws, const gridgov_person_spec* spec) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.directory().update_person(person_of(spec));
    });
}

int gridgov_directory_add_assignment(uint64_t* out_id, gridgov_workspace* ws, const char* person,
                                     const char* role, const char* node_code, int post,
                                     const char* from, const char* to) {
    return guard([&] {
        require(out_id, "out_id");
        require(ws, "ws");
        require(person, "person");
        require(role, "role");
        gridgov::Assignment a;
        a.person = person;
        a.role = role;
        a.node = post_node_of(ws->ws, role, node_code);
        a.post = post_of(post);
        a.period.from = date_of(from, "from");
        a.period.to = end_of(to, "to");
        *out_id = ws->ws.directory().add_assignment(a);
    });
}

int gridgov_directory_end_assignment(gridgov_workspace* ws, uint64_t id, const char* to) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.directory().end_assignment(id, date_of(to, "to"));
    });
}

int gridgov_directory_add_absence(uint64_t* out_id, gridgov_workspace* ws, const char* person,
                                  int kind, const char* from, const char* to, uint64_t assignment,
                                  const char* reason) {
    return guard([&] {
        require(out_id, "out_id");
        require(ws, "ws");
        require(person, "person");
        if (kind != GRIDGOV_ABSENCE_LEAVE && kind != GRIDGOV_ABSENCE_VACANCY) {
            bad_value("kind", kind, "a GRIDGOV_ABSENCE_* value");
        }
        gridgov::Absence ab;
        ab.person = person;
        ab.kind = static_cast<gridgov::AbsenceKind>(kind);
        ab.period.from = date_of(from, "from");
        ab.period.to = end_of(to, "to");
        ab.assignment = assignment;
        ab.reason = text(reason);
        *out_id = ws->ws.directory().add_absence(ab);
    });
}

int gridgov_directory_end_absence(gridgov_workspace* ws, uint64_t id, const char* to) {
    return guard([&] {
        require(ws, "ws");
        ws->ws.directory().end_absence(id, date_of(to, "to"));
    });
}

int gridgov_directory_add_unit(gridgov_workspace* ws, const char* code, int kind, const char* name,
                               const char* node_code, const char* from, const char* to,
                               size_t member_count, const char* const* members) {
    return guard([&] {
        require(ws, "ws");
        require(code, "code");
        require(name, "name");
        if (kind < GRIDGOV_UNIT_PARTY_GROUP || kind > GRIDGOV_UNIT_INFORMATION_ARCHIVE) {
            bad_value("kind", kind, "a GRIDGOV_UNIT_* value");
        }
        gridgov::Unit u;
        u.code = code;
        u.kind = static_cast<gridgov::UnitKind>(kind);
        u.name = name;
        u.node = node_of(ws->ws, node_code, "node_code");
        u.period.from = gridgov::capi::optional_date(from, "from").value_or(gridgov::Date::min());
        u.period.to = end_of(to, "to");
        if (member_count > 0)
            require(members, "members");
        for (std::size_t i = 0; i < member_count; ++i) {
            require(members[i], "members[i]");
            u.members.emplace_back(members[i]);
        }
        ws->ws.directory().add_unit(u);
    });
}

int gridgov_directory_end_unit(gridgov_workspace* ws, const char* code, const char* to) {
    return guard([&] {
        require(ws, "ws");
        require(code, "code");
        ws->ws.directory().end_unit(code, date_of(to, "to"));
    });
}

int gridgov_directory_import_file(gridgov_directory_import_report* out, gridgov_workspace* ws,
                                  const char* path, int table) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(path, "path");
        *out = report_of(ws->ws.directory().import_file(path, table_of(table)));
    });
}

int gridgov_directory_import_text(gridgov_directory_import_report* out, gridgov_workspace* ws,
                                  const char* text_in, int format, int table,
                                  const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(text_in, "text");
        gridgov::DocumentFormat f = gridgov::DocumentFormat::automatic;
        if (format == GRIDGOV_FORMAT_JSON) {
            f = gridgov::DocumentFormat::json;
        } else if (format == GRIDGOV_FORMAT_CSV) {
            f = gridgov::DocumentFormat::csv;
        } else if (format != GRIDGOV_FORMAT_AUTO) {
            bad_value("format", format, "GRIDGOV_FORMAT_JSON, _CSV or _AUTO");
        }
        *out = report_of(ws->ws.directory().import_text(
            text_in, f, table_of(table), source_name == nullptr ? "<text>" : source_name));
    });
}

// ---- questions ------------------------------------------------------------------------

int gridgov_directory_person_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.directory().view().person_count();
    });
}

int gridgov_directory_person_json(char** out, const gridgov_workspace* ws, const char* person,
                                  int reveal) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(person, "person");
        const gridgov::Reveal r = reveal_of(reveal);
        const gridgov::Directory& d = ws->ws.directory().view();
        const gridgov::Person& p = d.person(d.person_at(person));
        Json attributes = Json::object();
        for (const auto& [k, v] : p.attributes)
            attributes[k] = v;
        const Json doc = {
            {"id", p.id},
            {"name", p.name},
            {"phone", phone(p, r)},
            {"id_number",
             r == gridgov::Reveal::revealed ? p.id_number : gridgov::mask_id_number(p.id_number)},
            {"party", gridgov::party_membership_name(p.party)},
            {"categories", p.categories},
            {"attributes", std::move(attributes)}};
        *out = dup_string(doc.dump());
    });
}

int gridgov_directory_responsible(char** out_person, const gridgov_workspace* ws,
                                  const char* node_code, const char* code, const char* date) {
    return guard([&] {
        require(out_person, "out_person");
        require(ws, "ws");
        require(code, "code");
        const gridgov::Directory& d = ws->ws.directory().view();
        const gridgov::Responsibility r =
            d.responsible(ws->ws.hierarchy().networks(), place_of(ws->ws, node_code, "node_code"),
                          code, date_of(date, "date"));
        *out_person = r.found() ? dup_string(d.person(r.person).id) : nullptr;
    });
}

int gridgov_directory_explain(char** out, const gridgov_workspace* ws, const char* node_code,
                              const char* code, const char* date) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(code, "code");
        const gridgov::Directory& d = ws->ws.directory().view();
        const gridgov::Responsibility r =
            d.responsible(ws->ws.hierarchy().networks(), place_of(ws->ws, node_code, "node_code"),
                          code, date_of(date, "date"));
        *out = dup_string(d.explain(ws->ws.hierarchy().networks(), r));
    });
}

int gridgov_directory_responsible_function(char** out, const gridgov_workspace* ws,
                                           const char* node_code, int function, const char* date) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        if (function < GRIDGOV_ROLE_OTHER || function > GRIDGOV_ROLE_SUPERVISOR) {
            bad_value("function", function, "a GRIDGOV_ROLE_* value");
        }
        const gridgov::Directory& d = ws->ws.directory().view();
        const gridgov::Responsibility r =
            d.responsible(ws->ws.hierarchy().networks(), node_of(ws->ws, node_code, "node_code"),
                          static_cast<gridgov::RoleFunction>(function), date_of(date, "date"));
        *out = dup_string(d.explain(ws->ws.hierarchy().networks(), r));
    });
}

int gridgov_directory_roster_json(char** out, const gridgov_workspace* ws, const char* node_code,
                                  const char* date, int reveal) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Reveal r = reveal_of(reveal);
        const auto entries = ws->ws.directory().view().roster(
            place_of(ws->ws, node_code, "node_code"), date_of(date, "date"));
        *out = dup_string(roster_json(ws->ws, entries, r).dump());
    });
}

int gridgov_directory_posts_json(char** out, const gridgov_workspace* ws, const char* person,
                                 const char* date, int reveal) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(person, "person");
        const gridgov::Reveal r = reveal_of(reveal);
        const auto entries = ws->ws.directory().view().posts(person, date_of(date, "date"));
        *out = dup_string(roster_json(ws->ws, entries, r).dump());
    });
}

int gridgov_directory_workload_json(char** out, const gridgov_workspace* ws, const char* date,
                                    const char* grid_level) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Directory& d = ws->ws.directory().view();
        const auto loads = d.workload(ws->ws.hierarchy().networks(), date_of(date, "date"),
                                      grid_level == nullptr ? "grid" : grid_level);
        Json doc = Json::array();
        for (const gridgov::Workload& w : loads) {
            const gridgov::Person& p = d.person(w.person);
            doc.push_back({{"person", p.id},
                           {"name", p.name},
                           {"primary_posts", w.primary_posts},
                           {"backup_posts", w.backup_posts},
                           {"grids", w.grids},
                           {"households", w.households},
                           {"population", w.population}});
        }
        *out = dup_string(doc.dump());
    });
}

int gridgov_directory_compliance(gridgov_findings** out, const gridgov_workspace* ws,
                                 const char* date, const char* scope_code,
                                 const gridgov_compliance_options* options) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        gridgov::CompliancePolicy policy;
        if (options != nullptr) {
            if (options->version != GRIDGOV_COMPLIANCE_OPTIONS_VERSION) {
                throw Error(ErrorCode::invalid_argument,
                            "options.version: " + std::to_string(options->version) +
                                " is not supported (call gridgov_compliance_options_init() first)");
            }
            if (options->grid_level != nullptr)
                policy.grid_level = options->grid_level;
            policy.five_ones = options->five_ones != 0;
            policy.cardinality = options->cardinality != 0;
            policy.primary_worker = options->primary_worker != 0;
            policy.backup_not_primary = options->backup_not_primary != 0;
            policy.max_primary_grids = options->max_primary_grids;
            policy.node_lifetime = options->node_lifetime != 0;
        }
        const gridgov::NodeId scope =
            scope_code == nullptr ? gridgov::no_node : node_of(ws->ws, scope_code, "scope_code");
        *out = gridgov::capi::new_findings(ws->ws.directory().view().compliance(
            ws->ws.hierarchy().networks(), date_of(date, "date"), policy, scope));
    });
}

// ---- exports --------------------------------------------------------------------------

int gridgov_directory_chart(char** out, const gridgov_workspace* ws, const char* date, int format,
                            int reveal, const char* scope_code) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        gridgov::DocumentFormat f = gridgov::DocumentFormat::json;
        if (format == GRIDGOV_FORMAT_CSV) {
            f = gridgov::DocumentFormat::csv;
        } else if (format == GRIDGOV_FORMAT_HTML) {
            f = gridgov::DocumentFormat::html;
        } else if (format != GRIDGOV_FORMAT_JSON) {
            bad_value("format", format, "GRIDGOV_FORMAT_JSON, _CSV or _HTML");
        }
        const gridgov::Reveal r = reveal_of(reveal);
        const gridgov::NodeId scope =
            scope_code == nullptr ? gridgov::no_node : node_of(ws->ws, scope_code, "scope_code");
        *out = dup_string(ws->ws.directory().view().chart(ws->ws.hierarchy().view(),
                                                          date_of(date, "date"), f, r, scope));
    });
}

int gridgov_directory_casbin(char** out, const gridgov_workspace* ws, const char* date) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(ws->ws.directory().view().casbin_policy(ws->ws.hierarchy().networks(),
                                                                  date_of(date, "date")));
    });
}

int gridgov_directory_export_text(char** out, const gridgov_workspace* ws, int format, int table,
                                  int reveal) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        const gridgov::Reveal r = reveal_of(reveal);
        const gridgov::DirectoryTable t = table_of(table);
        const gridgov::Directory& d = ws->ws.directory().view();
        if (format == GRIDGOV_FORMAT_JSON) {
            if (t != gridgov::DirectoryTable::automatic) {
                bad_value("table", table,
                          "GRIDGOV_TABLE_AUTO for a JSON export (it has every table)");
            }
            *out = dup_string(d.export_json(ws->ws.hierarchy().networks(), r));
        } else if (format == GRIDGOV_FORMAT_CSV) {
            *out = dup_string(d.export_csv(ws->ws.hierarchy().networks(), t, r));
        } else {
            bad_value("format", format, "GRIDGOV_FORMAT_JSON or _CSV");
        }
    });
}

}  // extern "C"
