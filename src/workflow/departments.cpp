// Departments: JSON, lookups, validation against a hierarchy and a directory.
#include <algorithm>
#include <set>

#include "gridgov/workflow.hpp"
#include "io/json_fields.hpp"
#include "workflow/json_io.hpp"

namespace gridgov {
namespace {

using detail::wf::Json;
using detail::wf::JsonPlace;
using detail::wf::quote;

}  // namespace

bool Department::has_member(std::string_view person) const {
    return std::find(members.begin(), members.end(), person) != members.end();
}

DepartmentCatalogue DepartmentCatalogue::from_json(std::string_view text,
                                                   std::string_view source_name) {
    const Json doc = detail::wf::parse(text, source_name);
    const JsonPlace root{std::string(source_name), ""};
    detail::json_require_object(doc, root.text());
    DepartmentCatalogue cat;
    cat.key = detail::json_string(doc, "key", root.text());
    cat.name = detail::json_string(doc, "name", root.text());
    std::set<std::string, std::less<>> codes;
    if (const Json* list = detail::json_array(doc, "departments", root.text())) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const JsonPlace at = root.at("departments").at(i);
            const Json& j = (*list)[i];
            detail::json_require_object(j, at.text());
            Department d;
            d.code = detail::json_string(j, "code", at.text(), true);
            d.kind = detail::json_string(j, "kind", at.text(), true);
            d.name_zh = detail::json_string(j, "zh", at.text(), true);
            d.name_en = detail::json_string(j, "en", at.text());
            d.node = detail::json_string(j, "node", at.text(), true);
            d.members = detail::json_strings(j, "members", at.text());
            if (!codes.insert(d.code).second) {
                detail::field_error(ErrorCode::already_exists, at.text(), "code",
                                    "duplicate department code " + quote(d.code));
            }
            cat.departments.push_back(std::move(d));
        }
    }
    return cat;
}

std::string DepartmentCatalogue::to_json() const {
    Json doc = Json::object();
    doc["key"] = key;
    doc["name"] = name;
    Json list = Json::array();
    for (const Department& d : departments) {
        list.push_back({{"code", d.code},
                        {"kind", d.kind},
                        {"zh", d.name_zh},
                        {"en", d.name_en},
                        {"node", d.node},
                        {"members", d.members}});
    }
    doc["departments"] = std::move(list);
    return doc.dump(2);
}

const Department* DepartmentCatalogue::find(std::string_view code) const {
    for (const Department& d : departments) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

const Department& DepartmentCatalogue::at(std::string_view code) const {
    if (const Department* d = find(code))
        return *d;
    throw Error(ErrorCode::not_found,
                "no department " + quote(code) + " in catalogue " + quote(key));
}

std::vector<Finding> DepartmentCatalogue::validate(const Networks& networks,
                                                   const Directory* directory) const {
    std::vector<Finding> out;
    std::set<std::string, std::less<>> codes;
    for (const Department& d : departments) {
        if (!codes.insert(d.code).second) {
            out.push_back({"department.duplicate_code", Severity::error, d.code,
                           "department code " + quote(d.code) + " appears twice"});
        }
        bool known = true;
        try {
            networks.place(d.node);
        } catch (const Error&) {
            known = false;
        }
        if (!known) {
            out.push_back({"department.unknown_node", Severity::error, d.code,
                           "department " + d.code + " serves node " + quote(d.node) +
                               ", which is not a live node of the hierarchy or a live unit of "
                               "its overlays"});
        }
        if (d.members.empty()) {
            out.push_back(
                {"department.no_members", Severity::warning, d.code,
                 "department " + d.code + " has no members: nobody can accept its cases"});
        }
        if (directory != nullptr) {
            for (const std::string& p : d.members) {
                if (!directory->find_person(p)) {
                    out.push_back({"department.unknown_member", Severity::error, d.code,
                                   "department " + d.code + " lists person " + quote(p) +
                                       ", unknown to the directory"});
                }
            }
        }
    }
    return out;
}

}  // namespace gridgov
