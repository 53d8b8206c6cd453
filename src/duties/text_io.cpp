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
    static const char* const members[] = {"id", "duty",       "place",    "person",
                                          "at", "occurrence", "evidence", "note"};
    d::json_require_object(j, where);
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* m : members)
            known = known || it.key() == m;
        if (!known) {
            d::field_error(ErrorCode::invalid_argument, where, it.key(),
                           "unknown member (expected id, duty, place, person, at, occurrence, "
                           "evidence or note)");
        }
    }
    const auto line = [&](const char* field, bool required) {
        std::string s = d::json_string(j, field, where, required);
        d::check_field_text(s, d::TextKind::line, where, field);
        return s;
    };
    DutyFulfilment f;
    f.id = line("id", true);
    f.duty = line("duty", true);
    f.place = line("place", true);
    f.person = line("person", true);
    const std::string at = line("at", true);
    f.at = d::parse_field(where, "at", [&] { return Instant::parse(at); });
    f.occurrence = line("occurrence", false);
    f.evidence = d::json_strings(j, "evidence", where);
    for (std::size_t i = 0; i < f.evidence.size(); ++i)
        d::check_field_text(f.evidence[i], d::TextKind::line, where,
                            "evidence[" + std::to_string(i) + "]");
    f.note = d::json_string(j, "note", where);
    d::check_field_text(f.note, d::TextKind::free, where, "note");
    return f;
}

}  // namespace

std::vector<DutyFulfilment> fulfilments_from_json(std::string_view text,
                                                  std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::parse_json_document<Json>(text, source_name);
    if (!doc.is_array()) {
        throw Error(ErrorCode::invalid_argument, source + ": " +
                                                     d::json_type_problem(doc, d::JsonType::array) +
                                                     " (expected an array of fulfilments)");
    }
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
