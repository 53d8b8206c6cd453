// Fulfilments and occurrences as JSON text: the one layout the C face, the command line and
// the docs use (docs/duties.md).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "gridgov/duties.hpp"
#include "io/json_fields.hpp"

namespace gridgov {

namespace {

using Json = nlohmann::ordered_json;
namespace d = detail;

/// One element of a fulfilments array; `where` names it ("f.json fulfilments[1]").
DutyFulfilment fulfilment_of(const Json& j, const std::string& where) {
    d::json_only_members(j, where,
                         {"id", "duty", "place", "person", "at", "occurrence", "evidence", "note"});
    DutyFulfilment f;
    f.id = d::json_line(j, "id", where, true);
    f.duty = d::json_line(j, "duty", where, true);
    f.place = d::json_line(j, "place", where, true);
    f.person = d::json_line(j, "person", where, true);
    f.at = d::json_instant(j, "at", where);
    f.occurrence = d::json_line(j, "occurrence", where);
    f.evidence = d::json_lines(j, "evidence", where);
    f.note = d::json_free_text(j, "note", where);
    return f;
}

}  // namespace

std::vector<DutyFulfilment> fulfilments_from_json(std::string_view text,
                                                  std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::json_array_document<Json>(text, source_name, "fulfilments");
    std::vector<DutyFulfilment> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i)
        out.push_back(fulfilment_of(doc[i], source + " fulfilments[" + std::to_string(i) + "]"));
    return out;
}

std::string fulfilments_to_json(const std::vector<DutyFulfilment>& fulfilments) {
    Json all = Json::array();
    for (const DutyFulfilment& f : fulfilments) {
        all.push_back(Json{{"id", f.id},
                           {"duty", f.duty},
                           {"place", f.place},
                           {"person", f.person},
                           {"at", f.at.to_string()},
                           {"occurrence", f.occurrence},
                           {"evidence", f.evidence},
                           {"note", f.note}});
    }
    return all.dump();
}

std::string occurrences_to_json(const std::vector<DutyOccurrence>& occurrences) {
    Json all = Json::array();
    for (const DutyOccurrence& o : occurrences) {
        all.push_back(Json{{"duty", o.duty},
                           {"label", o.label},
                           {"place", o.place},
                           {"person", o.person},
                           {"due_date", o.due_date.to_string()},
                           {"due", o.due.to_string()},
                           {"quota", o.quota},
                           {"fulfilled", o.fulfilled},
                           {"on_time", o.on_time},
                           {"status", occurrence_status_name(o.status)},
                           {"assumed", o.assumed},
                           {"fulfilments", o.fulfilments}});
    }
    return all.dump();
}

}  // namespace gridgov
