// 四实 collection quality (seed 001 篇7): the outcomes of a field check, the rates of a node
// and month, and rounds as JSON (docs/records.md, "Collection quality").
#include <nlohmann/json.hpp>

#include "core/json_text.hpp"
#include "gridgov/records.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"

namespace gridgov {
namespace {

using Json = nlohmann::ordered_json;

constexpr detail::EnumName<CheckOutcome> check_outcome_names[] = {
    {CheckOutcome::correct, "correct"},
    {CheckOutcome::not_collected, "not_collected"},
    {CheckOutcome::not_deregistered, "not_deregistered"},
    {CheckOutcome::wrong, "wrong"},
    {CheckOutcome::correct, "准确"},
    {CheckOutcome::not_collected, "未采集"},
    {CheckOutcome::not_deregistered, "未注销"},
    {CheckOutcome::wrong, "信息错误"},
};

std::optional<double> percent(std::size_t part, std::size_t whole) {
    if (whole == 0)
        return std::nullopt;
    return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

const char* check_outcome_name(CheckOutcome outcome) noexcept {
    return detail::enum_name(check_outcome_names, outcome);
}

CheckOutcome parse_check_outcome(std::string_view text) {
    return detail::parse_enum(check_outcome_names, text, "check outcome");
}

std::optional<double> CheckRates::collection_rate() const {
    return percent(checked() - not_collected, checked());
}

std::optional<double> CheckRates::accuracy_rate() const {
    return percent(correct, correct + wrong);
}

std::string check_round_to_json(const CheckRound& round, const Hierarchy& hierarchy) {
    Json j = Json::object();
    j["label"] = round.label;
    j["date"] = round.date.to_string();
    j["inspector"] = round.inspector;
    j["draw"] = Json::parse(draw_to_json(round.draw));
    Json findings = Json::array();
    for (const CheckFinding& f : round.findings) {
        Json x = Json::object();
        x["sampled"] = f.sampled;
        x["record"] = f.record;
        x["outcome"] = check_outcome_name(f.outcome);
        x["note"] = f.note;
        x["node"] = f.node < hierarchy.id_count() ? Json(hierarchy.code(f.node)) : Json(nullptr);
        findings.push_back(std::move(x));
    }
    j["findings"] = std::move(findings);
    return j.dump();
}

CheckRound check_round_from_json(std::string_view json) {
    const Json j = detail::parse_json_document<Json>(json, "check round");
    const std::string where = "check round";
    detail::json_require_object(j, where);
    CheckRound r;
    r.label = detail::json_string(j, "label", where, true);
    detail::json_string(j, "date", where, true);
    r.date = detail::json_parsed(j, "date", where, Date::parse, Date{});
    r.inspector = detail::json_string(j, "inspector", where, false);
    const auto draw = j.find("draw");
    if (draw == j.end())
        detail::field_error(ErrorCode::invalid_argument, where, "draw", "missing");
    try {
        r.draw = draw_from_json(draw->dump());
    } catch (const Error& e) {
        detail::field_error(e.code(), where, "draw", e.what());
    }
    if (const Json* findings = detail::json_array(j, "findings", where)) {
        for (std::size_t i = 0; i < findings->size(); ++i) {
            const Json& x = (*findings)[i];
            const std::string at = where + " findings[" + std::to_string(i) + "]";
            detail::json_require_object(x, at);
            CheckFinding f;
            f.sampled = detail::json_string(x, "sampled", at, true);
            f.record = detail::json_string(x, "record", at, false);
            f.outcome =
                detail::json_parsed(x, "outcome", at, parse_check_outcome, CheckOutcome::correct);
            f.note = detail::json_string(x, "note", at, false);
            r.findings.push_back(std::move(f));
        }
    }
    return r;
}

}  // namespace gridgov
