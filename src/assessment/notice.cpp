// Exchange formats of assessment results (JSON for scores, explanations, draws and flags),
// the CSV export of scores, the public notice (通报) as HTML, and the households export
// with special-group categories masked.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "assessment/names_impl.hpp"
#include "core/html.hpp"
#include "core/json_text.hpp"
#include "gridgov/assessment.hpp"
#include "io/csv.hpp"
#include "io/json_fields.hpp"

namespace gridgov {
namespace {

using Json = nlohmann::ordered_json;

Json number_or_null(const std::optional<double>& v) {
    if (v && std::isfinite(*v))
        return Json(*v);
    return Json(nullptr);
}

Json value_to_json(const IndicatorValue& v) {
    Json j = Json::object();
    j["value"] = number_or_null(v.value);
    if (!v.defined())
        j["reason"] = v.reason;
    j["sources"] = v.sources;
    return j;
}

Json adjustment_to_json(const AdjustmentResult& a) {
    return Json{
        {"indicator", a.indicator}, {"label", a.label}, {"count", a.count}, {"points", a.points}};
}

Json score_json(const ScoreResult& r) {
    Json j = Json::object();
    j["scheme"] = r.scheme;
    j["subject"] = Json{
        {"code", r.subject.code}, {"level", r.subject.level}, {"area_class", r.subject.area_class}};
    j["period"] = r.period.label();
    j["total"] = number_or_null(r.total);
    j["grade"] = r.grade;
    j["failing"] = r.failing;
    j["rank"] = r.rank;
    j["peers"] = r.peers;
    j["note"] = r.note;
    j["missing"] = r.missing;
    Json comps = Json::array();
    for (const ComponentResult& c : r.components) {
        Json cj = Json::object();
        cj["key"] = c.key;
        cj["label"] = c.label;
        cj["status"] = component_status_name(c.status);
        cj["base"] = number_or_null(c.base);
        cj["points"] = number_or_null(c.points);
        cj["weight"] = c.weight;
        cj["weighted"] = number_or_null(c.weighted);
        cj["note"] = c.note;
        Json inputs = Json::object();
        for (const auto& [key, value] : c.inputs)
            inputs[key] = value_to_json(value);
        cj["inputs"] = std::move(inputs);
        Json adj = Json::array();
        for (const AdjustmentResult& a : c.adjustments)
            adj.push_back(adjustment_to_json(a));
        cj["adjustments"] = std::move(adj);
        comps.push_back(std::move(cj));
    }
    j["components"] = std::move(comps);
    Json adj = Json::array();
    for (const AdjustmentResult& a : r.adjustments)
        adj.push_back(adjustment_to_json(a));
    j["adjustments"] = std::move(adj);
    return j;
}

Json explanation_json(const Explanation& e) {
    Json j = Json::object();
    j["key"] = e.key;
    j["label"] = e.label;
    j["value"] = number_or_null(e.value);
    j["note"] = e.note;
    Json children = Json::array();
    for (const Explanation& c : e.children)
        children.push_back(explanation_json(c));
    j["children"] = std::move(children);
    return j;
}

// ---- reading --------------------------------------------------------------------------

Json parse(std::string_view text, const char* what) {
    return detail::parse_json_document<Json>(text, what);
}

// The array member, or an empty one when absent.
const Json& array_or_empty(const Json& j, const char* field, const std::string& what) {
    static const Json empty = Json::array();
    const Json* a = detail::json_array(j, field, what);
    return a != nullptr ? *a : empty;
}

ComponentStatus parse_status(const std::string& text, const std::string& what) {
    return detail::parse_field(what, "status", [&] {
        return detail::parse_enum(detail::component_status_names, text, "status");
    });
}

AdjustmentResult adjustment_from(const Json& j, const std::string& what) {
    AdjustmentResult a;
    a.indicator = detail::json_string(j, "indicator", what);
    a.label = detail::json_string(j, "label", what);
    a.count = detail::json_number(j, "count", what, 0);
    a.points = detail::json_number(j, "points", what, 0);
    return a;
}

AssessmentPeriod period_from(const Json& j, const std::string& what) {
    const std::string text = detail::json_string(j, "period", what, true);
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        detail::field_error(ErrorCode::invalid_argument, what, "period", e.what());
    }
}

ScoreResult score_from(const Json& j) {
    const std::string what = "score";
    ScoreResult r;
    r.scheme = detail::json_string(j, "scheme", what, true);
    const Json* subject = detail::json_field(j, "subject", detail::JsonType::object, what, true);
    const std::string swhat = "score of scheme " + r.scheme + ", subject";
    r.subject.code = detail::json_string(*subject, "code", swhat, true);
    r.subject.level = detail::json_string(*subject, "level", swhat);
    r.subject.area_class = detail::json_string(*subject, "area_class", swhat);
    const std::string where = "score " + r.scheme + "/" + r.subject.code;
    r.period = period_from(j, where);
    r.total = detail::json_optional_number(j, "total", where);
    r.grade = detail::json_string(j, "grade", where);
    r.failing = detail::json_bool(j, "failing", where);
    r.rank = static_cast<int>(detail::json_int(j, "rank", where, 0));
    const std::int64_t peers = detail::json_int(j, "peers", where, 0);
    if (peers < 0)
        detail::field_error(ErrorCode::invalid_argument, where, "peers", "negative");
    r.peers = static_cast<std::size_t>(peers);
    r.note = detail::json_string(j, "note", where);
    r.missing = detail::json_strings(j, "missing", where);
    for (const Json& cj : array_or_empty(j, "components", where)) {
        ComponentResult c;
        c.key = detail::json_string(cj, "key", where + " component", true);
        const std::string cwhat = where + " component " + c.key;
        c.label = detail::json_string(cj, "label", cwhat);
        c.status = parse_status(detail::json_string(cj, "status", cwhat, true), cwhat);
        c.base = detail::json_optional_number(cj, "base", cwhat);
        c.points = detail::json_optional_number(cj, "points", cwhat);
        c.weight = detail::json_number(cj, "weight", cwhat, 0);
        c.weighted = detail::json_optional_number(cj, "weighted", cwhat);
        c.note = detail::json_string(cj, "note", cwhat);
        if (const Json* inputs =
                detail::json_field(cj, "inputs", detail::JsonType::object, cwhat)) {
            for (auto it = inputs->begin(); it != inputs->end(); ++it) {
                const std::string iwhat = cwhat + " input " + it.key();
                IndicatorValue v;
                v.value = detail::json_optional_number(it.value(), "value", iwhat);
                v.reason = detail::json_string(it.value(), "reason", iwhat);
                v.sources = detail::json_strings(it.value(), "sources", iwhat);
                c.inputs.emplace(it.key(), std::move(v));
            }
        }
        for (const Json& aj : array_or_empty(cj, "adjustments", cwhat))
            c.adjustments.push_back(adjustment_from(aj, cwhat + " adjustment"));
        r.components.push_back(std::move(c));
    }
    for (const Json& aj : array_or_empty(j, "adjustments", where))
        r.adjustments.push_back(adjustment_from(aj, where + " adjustment"));
    return r;
}

DrawSpec spec_from(const Json& j, const std::string& what) {
    DrawSpec spec;
    const Json* seed = detail::json_field(j, "seed", detail::JsonType::integer, what, true);
    if (!seed->is_number_unsigned() && seed->get<std::int64_t>() < 0)
        detail::field_error(ErrorCode::invalid_argument, what, "seed",
                            detail::json_shown(*seed) + " is negative");
    spec.seed = seed->get<std::uint64_t>();
    spec.candidates = detail::json_strings(j, "candidates", what);
    const std::int64_t count = detail::json_int(j, "count", what, 0);
    if (count < 0)
        detail::field_error(ErrorCode::invalid_argument, what, "count", "negative");
    spec.count = static_cast<std::size_t>(count);
    spec.strata = detail::json_strings(j, "strata", what);
    spec.avoid = detail::json_strings(j, "avoid", what);
    return spec;
}

std::string format_points(const std::optional<double>& v) {
    if (!v)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *v);
    return buf;
}

std::string csv_number(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v))
        return {};
    return detail::format_number(*v);
}

std::string escape(std::string_view s) {
    return detail::html_escape(s);
}

}  // namespace

// ---- JSON -----------------------------------------------------------------------------

std::string score_to_json(const ScoreResult& result) {
    return score_json(result).dump();
}

ScoreResult score_from_json(std::string_view json) {
    return score_from(parse(json, "score"));
}

std::string explanation_to_json(const Explanation& explanation) {
    return explanation_json(explanation).dump();
}

std::string draw_to_json(const DrawRecord& record) {
    Json j = Json::object();
    j["algorithm"] = record.algorithm;
    j["seed"] = record.spec.seed;
    j["candidates"] = record.spec.candidates;
    j["count"] = record.spec.count;
    j["strata"] = record.spec.strata;
    j["avoid"] = record.spec.avoid;
    j["picks"] = record.picks;
    return j.dump();
}

DrawRecord draw_from_json(std::string_view json) {
    const Json j = parse(json, "draw record");
    DrawRecord r;
    r.algorithm = detail::json_string(j, "algorithm", "draw record", true);
    r.spec = spec_from(j, "draw record");
    r.picks = detail::json_strings(j, "picks", "draw record");
    return r;
}

DrawSpec draw_spec_from_json(std::string_view json) {
    return spec_from(parse(json, "draw spec"), "draw spec");
}

std::string rule_flag_to_json(const RuleFlag& flag) {
    Json j = Json::object();
    j["rule"] = flag.rule;
    j["label"] = flag.label;
    j["subject"] = flag.subject;
    j["period"] = flag.period.label();
    j["streak"] = flag.streak;
    j["periods"] = flag.periods;
    return j.dump();
}

std::string scores_to_json(const std::vector<ScoreResult>& results, bool with_explanation) {
    Json all = Json::array();
    for (const ScoreResult& r : results) {
        Json j = score_json(r);
        if (with_explanation)
            j["explanation"] = explanation_json(explain(r));
        all.push_back(std::move(j));
    }
    return all.dump();
}

// ---- CSV ------------------------------------------------------------------------------

std::string scores_to_csv(const std::vector<ScoreResult>& results) {
    std::vector<std::string> keys;
    for (const ScoreResult& r : results) {
        for (const ComponentResult& c : r.components) {
            if (std::find(keys.begin(), keys.end(), c.key) == keys.end())
                keys.push_back(c.key);
        }
    }
    std::string out;
    std::vector<std::string> header{"scheme", "subject", "level", "area_class", "period", "total",
                                    "grade",  "failing", "rank",  "peers",      "note"};
    header.insert(header.end(), keys.begin(), keys.end());
    detail::append_csv_line(out, header);
    for (const ScoreResult& r : results) {
        std::vector<std::string> row{r.scheme,
                                     r.subject.code,
                                     r.subject.level,
                                     r.subject.area_class,
                                     r.period.label(),
                                     csv_number(r.total),
                                     r.grade,
                                     r.failing ? "1" : "0",
                                     std::to_string(r.rank),
                                     std::to_string(r.peers),
                                     r.note};
        for (const std::string& key : keys) {
            auto it = std::find_if(r.components.begin(), r.components.end(),
                                   [&](const ComponentResult& c) { return c.key == key; });
            row.push_back(it == r.components.end() ? std::string() : csv_number(it->points));
        }
        detail::append_csv_line(out, row);
    }
    return out;
}

std::string households_to_csv(const ActivityLog& log, bool reveal) {
    std::string out;
    detail::append_csv_line(out, {"id", "grid", "class", "categories"});
    for (const Household& h : log.households()) {
        std::string categories;
        for (const std::string& c : h.categories) {
            if (!categories.empty())
                categories += ';';
            categories += c;
        }
        if (!reveal && !categories.empty())
            categories = "***";
        detail::append_csv_line(out, {h.id, h.grid, household_class_name(h.cls), categories});
    }
    return out;
}

// ---- the public notice ------------------------------------------------------------------

std::string notice_html(const AssessmentScheme& scheme, const std::vector<ScoreResult>& results,
                        const NoticeOptions& options) {
    std::vector<const ScoreResult*> rows;
    rows.reserve(results.size());
    for (const ScoreResult& r : results)
        rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const ScoreResult* a, const ScoreResult* b) {
        const bool ra = a->rank > 0;
        const bool rb = b->rank > 0;
        if (ra != rb)
            return ra;
        if (ra && a->rank != b->rank)
            return a->rank < b->rank;
        return a->subject.code < b->subject.code;
    });
    const auto grade_label = [&](const std::string& key) {
        for (const GradeBand& g : scheme.grades()) {
            if (g.key == key)
                return g.label.empty() ? g.key : g.label;
        }
        return key;
    };
    const std::string title =
        options.title.empty() ? scheme.label() + " 考核结果通报" : options.title;
    const std::string period = !options.period.empty() ? options.period
                               : results.empty()       ? std::string()
                                                       : results.front().period.label();

    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
    h += "<title>" + escape(title) + "</title>\n";
    h += "<style>\nbody{font-family:sans-serif;margin:2em}\n"
         "table{border-collapse:collapse}\n"
         "th,td{border:1px solid #999;padding:.3em .6em}\n"
         "td.num{text-align:right}\n"
         "tr.failing td{background:#fde2e2;color:#900}\n"
         "footer{margin-top:1.5em;font-size:.9em;color:#444}\n</style>\n</head>\n<body>\n";
    h += "<h1>" + escape(title) + "</h1>\n";
    if (!options.issuer.empty())
        h += "<p class=\"issuer\">" + escape(options.issuer) + "</p>\n";
    h += "<p class=\"period\">考核期 (period): " + escape(period) + "</p>\n";
    h += "<table>\n<thead><tr><th>名次</th><th>对象</th><th>得分</th><th>等次</th>"
         "<th>提示</th></tr></thead>\n<tbody>\n";
    for (const ScoreResult* r : rows) {
        std::string flags;
        for (const RuleFlag& f : options.flags) {
            if (f.subject != r->subject.code || f.period != r->period)
                continue;
            if (!flags.empty())
                flags += "；";
            flags += (f.label.empty() ? f.rule : f.label) + "（连续 " + std::to_string(f.streak) +
                     " 期）";
        }
        auto name = options.names.find(r->subject.code);
        const std::string shown = name == options.names.end()
                                      ? r->subject.code
                                      : name->second + "（" + r->subject.code + "）";
        h += r->failing ? "<tr class=\"failing\">" : "<tr>";
        h += "<td class=\"num\">" + (r->rank > 0 ? std::to_string(r->rank) : std::string("—")) +
             "</td>";
        h += "<td>" + escape(shown) + "</td>";
        h += "<td class=\"num\">" + format_points(r->total) + "</td>";
        h += "<td>" + escape(r->total ? grade_label(r->grade) : "—（" + r->note + "）") + "</td>";
        h += "<td>" + escape(flags) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n<footer>\n";
    h += "<p>考核方案 (scheme): " + escape(scheme.label()) + " [" + escape(scheme.key()) +
         ", version " + std::to_string(scheme.version()) + "]</p>\n";
    if (options.draw) {
        const DrawRecord& d = *options.draw;
        std::string picks;
        for (const std::string& p : d.picks) {
            if (!picks.empty())
                picks += ' ';
            picks += p;
        }
        h += "<p>抽查 (inspection draw): algorithm " + escape(d.algorithm) + ", seed " +
             std::to_string(d.spec.seed) + ", " + std::to_string(d.picks.size()) + " of " +
             std::to_string(d.spec.candidates.size()) + ": " + escape(picks) + "</p>\n";
    }
    h += "</footer>\n</body>\n</html>\n";
    return h;
}

}  // namespace gridgov
