// Assessment schemes: JSON reading with findings, validation and the presets.
#include <muParser.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "assessment/embedded.hpp"
#include "assessment/names_impl.hpp"
#include "assessment/scheme_impl.hpp"
#include "core/json_text.hpp"
#include "io/json_fields.hpp"

namespace gridgov {

namespace {

using Json = nlohmann::ordered_json;

bool is_identifier(const std::string& s) {
    if (s.empty())
        return false;
    auto alpha = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!alpha(s[0]))
        return false;
    return std::all_of(s.begin(), s.end(),
                       [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

// Reads typed members and turns every problem into a finding that names the scheme, the
// JSON pointer of the offending value and the field.
class Reader {
  public:
    Reader(std::string source, std::vector<Finding>& out) : source_(std::move(source)), out_(out) {}

    void set_scheme(std::string key) { scheme_ = std::move(key); }

    void report(Severity sev, std::string rule, const std::string& path,
                const std::string& message) {
        Finding f;
        f.rule = std::move(rule);
        f.severity = sev;
        f.where = scheme_ + "#" + path;
        f.message = source_ + ": scheme '" + scheme_ + "' at " + (path.empty() ? "/" : path) +
                    ": " + message;
        out_.push_back(std::move(f));
    }
    void error(std::string rule, const std::string& path, const std::string& message) {
        report(Severity::error, std::move(rule), path, message);
    }
    void warn(std::string rule, const std::string& path, const std::string& message) {
        report(Severity::warning, std::move(rule), path, message);
    }

    // Warns about members the format does not know (typos would otherwise go unnoticed).
    void known(const Json& obj, const std::string& path,
               std::initializer_list<const char*> fields) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = std::any_of(fields.begin(), fields.end(),
                                  [&](const char* f) { return it.key() == f; });
            if (!ok)
                warn("assessment.unknown_field", path + "/" + it.key(),
                     "field '" + it.key() + "' is not part of the scheme format and is ignored");
        }
    }

    std::optional<std::string> str(const Json& obj, const std::string& path, const char* field,
                                   bool required) {
        const Json* v = member(obj, path, field, required, detail::JsonType::string);
        return v != nullptr ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
    }

    std::optional<double> num(const Json& obj, const std::string& path, const char* field,
                              bool required) {
        const Json* v = member(obj, path, field, required, detail::JsonType::number);
        return v != nullptr ? std::optional<double>(v->get<double>()) : std::nullopt;
    }

    std::optional<bool> boolean(const Json& obj, const std::string& path, const char* field) {
        const Json* v = member(obj, path, field, false, detail::JsonType::boolean);
        return v != nullptr ? std::optional<bool>(v->get<bool>()) : std::nullopt;
    }

    // The array under `field` (an empty one when absent and optional).
    const Json* array(const Json& obj, const std::string& path, const char* field, bool required) {
        return member(obj, path, field, required, detail::JsonType::array);
    }

    bool object(const Json& value, const std::string& path) {
        if (value.is_object())
            return true;
        error("assessment.field_type", path,
              detail::json_type_problem(value, detail::JsonType::object));
        return false;
    }

    std::optional<PeriodKind> period(const Json& obj, const std::string& path, const char* field,
                                     bool required) {
        auto text = str(obj, path, field, required);
        if (!text)
            return std::nullopt;
        try {
            return parse_period_kind(*text);
        } catch (const Error& e) {
            error("assessment.field_value", path + "/" + field, e.what());
            return std::nullopt;
        }
    }

    std::optional<UndefinedPolicy> policy(const Json& obj, const std::string& path,
                                          const char* field) {
        auto text = str(obj, path, field, false);
        if (!text)
            return std::nullopt;
        if (const auto p = detail::find_enum(detail::undefined_policy_names, *text))
            return p;
        error("assessment.field_value", path + "/" + field,
              "'" + *text + "' is not an undefined-value policy (" +
                  detail::enum_names_list(detail::undefined_policy_names) + ")");
        return std::nullopt;
    }

  private:
    // The member `field` of `obj` when present (not null) and of `type`; otherwise nullptr,
    // with a finding when it is missing but required or of another type.
    const Json* member(const Json& obj, const std::string& path, const char* field, bool required,
                       detail::JsonType type) {
        const Json* v = detail::json_member(obj, field);
        if (v == nullptr) {
            if (required)
                error("assessment.field_missing", path + "/" + field,
                      std::string("field '") + field + "' is required");
            return nullptr;
        }
        if (!detail::json_is(*v, type)) {
            error("assessment.field_type", path + "/" + field,
                  std::string("field '") + field + "': " + detail::json_type_problem(*v, type));
            return nullptr;
        }
        return v;
    }

    std::string source_;
    std::string scheme_ = "?";
    std::vector<Finding>& out_;
};

class SchemeReader {
  public:
    SchemeReader(Reader& r, AssessmentScheme::Impl& s) : r_(r), s_(s) {}

    void read(const Json& doc) {
        if (!r_.object(doc, ""))
            return;
        if (auto key = r_.str(doc, "", "key", true)) {
            s_.key = *key;
            r_.set_scheme(*key);
            if (!is_identifier(*key))
                r_.error("assessment.key", "/key",
                         "scheme key '" + *key + "' must be an ASCII identifier");
        }
        r_.known(
            doc, "",
            {"key", "label", "version", "period", "max_total", "when_undefined", "indicators",
             "components", "deductions", "bonuses", "grades", "aggregations", "rules", "notes"});
        s_.label = r_.str(doc, "", "label", false).value_or(s_.key);
        if (auto v = r_.num(doc, "", "version", false)) {
            if (*v < 1 || *v != std::floor(*v))
                r_.error("assessment.field_value", "/version",
                         "version must be a positive integer");
            else
                s_.version = static_cast<int>(*v);
        }
        s_.period = r_.period(doc, "", "period", true).value_or(PeriodKind::month);
        s_.max_total = r_.num(doc, "", "max_total", false).value_or(100);
        s_.when_undefined = r_.policy(doc, "", "when_undefined").value_or(UndefinedPolicy::exclude);
        read_indicators(doc);
        read_components(doc);
        s_.total_deductions = read_adjustments(doc, "", "deductions");
        s_.total_bonuses = read_adjustments(doc, "", "bonuses");
        read_grades(doc);
        read_aggregations(doc);
        read_rules(doc);
        check_weights();
        check_unused();
    }

  private:
    static std::string at(const std::string& path, std::size_t i) {
        return path + "/" + std::to_string(i);
    }

    bool declared(const std::string& key) const {
        return std::any_of(s_.indicators.begin(), s_.indicators.end(),
                           [&](const IndicatorSpec& i) { return i.key == key; });
    }

    void require_indicator(const std::string& key, const std::string& path) {
        if (!declared(key))
            r_.error("assessment.unknown_indicator", path,
                     "indicator '" + key + "' is not declared in /indicators");
    }

    void read_indicators(const Json& doc) {
        const Json* arr = r_.array(doc, "", "indicators", true);
        if (!arr)
            return;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string path = at("/indicators", i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, path))
                continue;
            r_.known(item, path, {"key", "label", "unit"});
            IndicatorSpec spec;
            auto key = r_.str(item, path, "key", true);
            if (!key)
                continue;
            spec.key = *key;
            if (!is_identifier(spec.key)) {
                r_.error("assessment.indicator_key", path + "/key",
                         "indicator key '" + spec.key +
                             "' must be an ASCII identifier (it is a formula variable)");
                continue;
            }
            if (!seen.insert(spec.key).second) {
                r_.error("assessment.indicator_duplicate", path + "/key",
                         "indicator '" + spec.key + "' is declared twice");
                continue;
            }
            spec.label = r_.str(item, path, "label", false).value_or(spec.key);
            spec.unit = r_.str(item, path, "unit", false).value_or("");
            s_.indicators.push_back(std::move(spec));
        }
    }

    std::vector<ItemAdjustment> read_adjustments(const Json& obj, const std::string& path,
                                                 const char* field) {
        std::vector<ItemAdjustment> out;
        const Json* arr = r_.array(obj, path, field, false);
        if (!arr)
            return out;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string p = at(path + "/" + field, i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, p))
                continue;
            r_.known(item, p, {"indicator", "points_each", "label"});
            ItemAdjustment a;
            auto ind = r_.str(item, p, "indicator", true);
            auto each = r_.num(item, p, "points_each", true);
            if (!ind || !each)
                continue;
            a.indicator = *ind;
            a.points_each = *each;
            a.label = r_.str(item, p, "label", false).value_or(a.indicator);
            require_indicator(a.indicator, p + "/indicator");
            if (a.points_each < 0)
                r_.error("assessment.adjustment_sign", p + "/points_each",
                         "points_each must not be negative (deductions subtract, bonuses add)");
            out.push_back(std::move(a));
        }
        return out;
    }

    void read_linear(const Json& item, const std::string& path, ComponentSpec& c) {
        const Json& lin = item["linear"];
        std::string p = path + "/linear";
        if (!r_.object(lin, p))
            return;
        r_.known(lin, p, {"from", "points_from", "to", "points_to"});
        auto f = r_.num(lin, p, "from", true);
        auto pf = r_.num(lin, p, "points_from", true);
        auto t = r_.num(lin, p, "to", true);
        auto pt = r_.num(lin, p, "points_to", true);
        if (!f || !pf || !t || !pt)
            return;
        if (*f == *t)
            r_.error("assessment.linear_range", p, "from and to must differ");
        c.linear = LinearScale{*f, *pf, *t, *pt};
    }

    void read_steps(const Json& item, const std::string& path, ComponentSpec& c) {
        const Json* tables = r_.array(item, path, "steps", true);
        if (!tables)
            return;
        std::set<std::string> classes;
        for (std::size_t t = 0; t < tables->size(); ++t) {
            std::string tp = at(path + "/steps", t);
            const Json& tj = (*tables)[t];
            if (!r_.object(tj, tp))
                continue;
            r_.known(tj, tp, {"area_class", "rows"});
            StepTable table;
            table.area_class = r_.str(tj, tp, "area_class", false).value_or("");
            if (!classes.insert(table.area_class).second)
                r_.error("assessment.steps_duplicate_class", tp + "/area_class",
                         "a second step table for area class '" + table.area_class + "'");
            const Json* rows = r_.array(tj, tp, "rows", true);
            if (!rows)
                continue;
            if (rows->empty())
                r_.error("assessment.steps_order", tp + "/rows",
                         "a step table needs at least one row");
            for (std::size_t i = 0; i < rows->size(); ++i) {
                std::string rp = at(tp + "/rows", i);
                const Json& rj = (*rows)[i];
                if (!r_.object(rj, rp))
                    continue;
                r_.known(rj, rp, {"up_to", "points"});
                StepRow row;
                row.up_to = r_.num(rj, rp, "up_to", false);
                row.points = r_.num(rj, rp, "points", true).value_or(0);
                bool last = i + 1 == rows->size();
                if (!last && !row.up_to)
                    r_.error("assessment.steps_order", rp,
                             "only the last row may omit up_to (it takes every value above)");
                if (last && row.up_to)
                    r_.error("assessment.steps_order", rp,
                             "the last row must omit up_to so that every value gets points");
                if (row.up_to && !table.rows.empty() && table.rows.back().up_to &&
                    !(*table.rows.back().up_to < *row.up_to))
                    r_.error("assessment.steps_order", rp + "/up_to",
                             "up_to must increase from row to row");
                table.rows.push_back(row);
            }
            c.steps.push_back(std::move(table));
        }
    }

    void read_formula(const ComponentSpec& c, const std::string& path,
                      std::vector<std::string>& vars) {
        try {
            mu::Parser parser;
            parser.SetExpr(c.formula);
            // GetUsedVar parses without needing the variables defined and lists them.
            for (const auto& entry : parser.GetUsedVar())
                vars.push_back(entry.first);
        } catch (const mu::Parser::exception_type& e) {
            r_.error("assessment.formula_syntax", path + "/formula",
                     "formula '" + c.formula + "' does not parse: " + e.GetMsg() + " (position " +
                         std::to_string(e.GetPos()) + ")");
            return;
        }
        for (const auto& v : vars)
            if (!declared(v))
                r_.error("assessment.formula_unknown_indicator", path + "/formula",
                         "formula '" + c.formula + "' reads '" + v +
                             "', which is not declared in /indicators");
    }

    void read_components(const Json& doc) {
        const Json* arr = r_.array(doc, "", "components", true);
        if (!arr)
            return;
        if (arr->empty())
            r_.error("assessment.components_empty", "/components",
                     "a scheme needs at least one component");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string path = at("/components", i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, path))
                continue;
            r_.known(item, path,
                     {"key", "label", "weight", "max_points", "indicator", "linear", "steps",
                      "formula", "constant", "deductions", "bonuses", "floor", "cap",
                      "when_undefined", "undefined_points", "notes"});
            ComponentSpec c;
            c.key = r_.str(item, path, "key", true).value_or("");
            if (!c.key.empty() && !seen.insert(c.key).second)
                r_.error("assessment.component_duplicate", path + "/key",
                         "component '" + c.key + "' appears twice");
            c.label = r_.str(item, path, "label", false).value_or(c.key);
            c.weight = r_.num(item, path, "weight", true).value_or(0);
            if (c.weight < 0)
                r_.error("assessment.weight_negative", path + "/weight",
                         "weight must not be negative");
            c.max_points = r_.num(item, path, "max_points", false).value_or(100);
            if (c.max_points <= 0)
                r_.error("assessment.field_value", path + "/max_points",
                         "max_points must be positive");
            int scales = 0;
            for (const char* f : {"linear", "steps", "formula", "constant"})
                scales += item.contains(f) ? 1 : 0;
            std::vector<std::string> vars;
            if (scales != 1) {
                r_.error(
                    "assessment.scale", path,
                    "a component needs exactly one of linear, steps, formula, constant (found " +
                        std::to_string(scales) + ")");
            } else if (item.contains("linear") || item.contains("steps")) {
                c.scale = item.contains("linear") ? ScaleKind::linear : ScaleKind::steps;
                if (auto ind = r_.str(item, path, "indicator", true)) {
                    c.indicator = *ind;
                    require_indicator(c.indicator, path + "/indicator");
                }
                if (c.scale == ScaleKind::linear)
                    read_linear(item, path, c);
                else
                    read_steps(item, path, c);
            } else if (item.contains("formula")) {
                c.scale = ScaleKind::formula;
                if (auto f = r_.str(item, path, "formula", true)) {
                    c.formula = *f;
                    read_formula(c, path, vars);
                }
            } else {
                c.scale = ScaleKind::constant;
                c.constant = r_.num(item, path, "constant", true).value_or(0);
            }
            if (c.scale == ScaleKind::formula || c.scale == ScaleKind::constant) {
                if (item.contains("indicator"))
                    r_.warn("assessment.unknown_field", path + "/indicator",
                            "indicator is only read by linear and step scales and is ignored here");
            }
            c.deductions = read_adjustments(item, path, "deductions");
            c.bonuses = read_adjustments(item, path, "bonuses");
            c.floor = r_.num(item, path, "floor", false).value_or(0);
            c.cap = r_.num(item, path, "cap", false);
            if (c.cap && *c.cap < c.floor)
                r_.error("assessment.cap_floor", path + "/cap", "cap is below floor");
            c.when_undefined = r_.policy(item, path, "when_undefined");
            c.undefined_points = r_.num(item, path, "undefined_points", false).value_or(0);
            UndefinedPolicy effective = c.when_undefined.value_or(s_.when_undefined);
            if (effective == UndefinedPolicy::points && !item.contains("undefined_points"))
                r_.error("assessment.field_missing", path + "/undefined_points",
                         "the policy 'points' needs undefined_points");
            s_.components.push_back(std::move(c));
            s_.formula_vars.push_back(std::move(vars));
        }
    }

    void read_grades(const Json& doc) {
        const Json* arr = r_.array(doc, "", "grades", true);
        if (!arr)
            return;
        if (arr->empty())
            r_.error("assessment.grades_gap", "/grades", "a scheme needs at least one grade band");
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string path = at("/grades", i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, path))
                continue;
            r_.known(item, path, {"key", "label", "min", "failing"});
            GradeBand g;
            g.key = r_.str(item, path, "key", true).value_or("");
            g.label = r_.str(item, path, "label", false).value_or(g.key);
            g.min = r_.num(item, path, "min", true).value_or(0);
            g.failing = r_.boolean(item, path, "failing").value_or(false);
            if (!s_.grades.empty() && !(g.min < s_.grades.back().min))
                r_.error("assessment.grades_order", path + "/min",
                         "grade bands must be listed by descending min");
            s_.grades.push_back(std::move(g));
        }
        if (!s_.grades.empty() && s_.grades.back().min > 0)
            r_.error("assessment.grades_gap", at("/grades", s_.grades.size() - 1) + "/min",
                     "the lowest band starts at " + std::to_string(s_.grades.back().min) +
                         "; totals below it would get no grade (let the lowest band start at 0)");
    }

    void read_aggregations(const Json& doc) {
        const Json* arr = r_.array(doc, "", "aggregations", false);
        if (!arr)
            return;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string path = at("/aggregations", i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, path))
                continue;
            r_.known(item, path, {"key", "label", "into", "method", "parts", "of"});
            AggregationSpec a;
            a.key = r_.str(item, path, "key", true).value_or("");
            a.label = r_.str(item, path, "label", false).value_or(a.key);
            a.into = r_.period(item, path, "into", true).value_or(PeriodKind::year);
            a.method = r_.str(item, path, "method", true).value_or("");
            if (a.method == "mean") {
                a.of = r_.period(item, path, "of", true).value_or(PeriodKind::month);
                if (!(a.of < a.into))
                    r_.error("assessment.aggregation", path + "/of",
                             "'of' must be a shorter period than 'into'");
            } else if (a.method == "weighted") {
                const Json* parts = r_.array(item, path, "parts", true);
                double sum = 0;
                if (parts) {
                    for (std::size_t k = 0; k < parts->size(); ++k) {
                        std::string pp = at(path + "/parts", k);
                        const Json& pj = (*parts)[k];
                        if (!r_.object(pj, pp))
                            continue;
                        r_.known(pj, pp, {"period", "index", "weight"});
                        AggregationPart part;
                        part.kind =
                            r_.period(pj, pp, "period", true).value_or(PeriodKind::half_year);
                        const double index = r_.num(pj, pp, "index", false).value_or(1);
                        const double fits =
                            part.kind > a.into
                                ? 0
                                : static_cast<double>(detail::periods_per_year(part.kind)) /
                                      detail::periods_per_year(a.into);
                        if (index < 1 || index != std::floor(index) || index > fits)
                            r_.error("assessment.aggregation", pp + "/index",
                                     "index must be a whole number from 1 to the parts of that "
                                     "kind in the target");
                        part.index = static_cast<int>(index);
                        part.weight = r_.num(pj, pp, "weight", true).value_or(0);
                        if (part.weight < 0)
                            r_.error("assessment.weight_negative", pp + "/weight",
                                     "weight must not be negative");
                        if (part.kind > a.into)
                            r_.error("assessment.aggregation", pp + "/period",
                                     "a part cannot be longer than the period it makes");
                        sum += part.weight;
                        a.parts.push_back(part);
                    }
                }
                if (std::fabs(sum - 1.0) > 1e-9)
                    r_.error("assessment.aggregation", path + "/parts",
                             "part weights sum to " + std::to_string(sum) + ", not 1");
            } else if (!a.method.empty()) {
                r_.error("assessment.field_value", path + "/method",
                         "method '" + a.method + "' is neither 'weighted' nor 'mean'");
            }
            s_.aggregations.push_back(std::move(a));
        }
    }

    void read_rules(const Json& doc) {
        const Json* arr = r_.array(doc, "", "rules", false);
        if (!arr)
            return;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            std::string path = at("/rules", i);
            const Json& item = (*arr)[i];
            if (!r_.object(item, path))
                continue;
            r_.known(item, path, {"key", "label", "period", "count", "below"});
            ConsecutiveRule rule;
            rule.key = r_.str(item, path, "key", true).value_or("");
            rule.label = r_.str(item, path, "label", false).value_or(rule.key);
            rule.period = r_.period(item, path, "period", false).value_or(s_.period);
            double count = r_.num(item, path, "count", true).value_or(1);
            if (count < 1 || count != std::floor(count))
                r_.error("assessment.rule_count", path + "/count",
                         "count must be a positive integer");
            rule.count = static_cast<int>(count);
            rule.below = r_.num(item, path, "below", false);
            if (!rule.below && std::none_of(s_.grades.begin(), s_.grades.end(),
                                            [](const GradeBand& g) { return g.failing; }))
                r_.error("assessment.rule_failing", path,
                         "the rule needs 'below' or a grade band marked failing");
            s_.rules.push_back(std::move(rule));
        }
    }

    void check_weights() {
        double sum = 0;
        for (const auto& c : s_.components)
            sum += c.weight * c.max_points;
        if (!s_.components.empty() &&
            std::fabs(sum - s_.max_total) > 1e-9 * std::max(1.0, s_.max_total))
            r_.error("assessment.weights_sum", "/components",
                     "the weighted maxima (sum of weight x max_points) add up to " +
                         std::to_string(sum) + ", not max_total " + std::to_string(s_.max_total));
    }

    void check_unused() {
        for (std::size_t i = 0; i < s_.indicators.size(); ++i) {
            const auto& key = s_.indicators[i].key;
            bool used = false;
            for (std::size_t c = 0; c < s_.components.size() && !used; ++c) {
                auto reads = detail::component_reads(s_, c);
                used = std::find(reads.begin(), reads.end(), key) != reads.end();
            }
            for (const auto* list : {&s_.total_deductions, &s_.total_bonuses})
                for (const auto& a : *list)
                    used = used || a.indicator == key;
            if (!used)
                r_.warn("assessment.indicator_unused", at("/indicators", i),
                        "indicator '" + key + "' is never read");
        }
    }

    Reader& r_;
    AssessmentScheme::Impl& s_;
};

bool has_error(const std::vector<Finding>& findings) {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.severity == Severity::error; });
}

// Parses and validates; `impl` is filled as far as the document allows.
std::vector<Finding> load(std::string_view json, std::string_view source,
                          AssessmentScheme::Impl& impl) {
    std::vector<Finding> findings;
    Reader reader{std::string(source), findings};
    Json doc;
    try {
        doc = detail::parse_json_document<Json>(json, source);
    } catch (const Error& e) {
        reader.error("assessment.json_syntax", "", e.what());
        return findings;
    }
    SchemeReader(reader, impl).read(doc);
    impl.json = std::string(json);
    return findings;
}

}  // namespace

namespace detail {

std::vector<std::string> component_reads(const AssessmentScheme::Impl& scheme,
                                         std::size_t component) {
    const ComponentSpec& c = scheme.components[component];
    std::vector<std::string> out;
    auto add = [&](const std::string& k) {
        if (!k.empty() && std::find(out.begin(), out.end(), k) == out.end())
            out.push_back(k);
    };
    if (c.scale == ScaleKind::linear || c.scale == ScaleKind::steps)
        add(c.indicator);
    if (c.scale == ScaleKind::formula)
        for (const auto& v : scheme.formula_vars[component])
            add(v);
    for (const auto& a : c.deductions)
        add(a.indicator);
    for (const auto& a : c.bonuses)
        add(a.indicator);
    return out;
}

}  // namespace detail

const char* scale_kind_name(ScaleKind kind) noexcept {
    return detail::enum_name(detail::scale_kind_names, kind, "?");
}

const char* undefined_policy_name(UndefinedPolicy policy) noexcept {
    return detail::enum_name(detail::undefined_policy_names, policy, "?");
}

AssessmentScheme::AssessmentScheme(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
AssessmentScheme::AssessmentScheme(const AssessmentScheme&) = default;
AssessmentScheme& AssessmentScheme::operator=(const AssessmentScheme&) = default;
AssessmentScheme::AssessmentScheme(AssessmentScheme&&) noexcept = default;
AssessmentScheme& AssessmentScheme::operator=(AssessmentScheme&&) noexcept = default;
AssessmentScheme::~AssessmentScheme() = default;

AssessmentScheme AssessmentScheme::from_json(std::string_view json, std::string_view source) {
    auto impl = std::make_shared<Impl>();
    std::vector<Finding> findings = load(json, source, *impl);
    if (!findings.empty() && findings.front().rule == "assessment.json_syntax")
        throw Error(ErrorCode::parse_error, findings.front().message);
    if (has_error(findings)) {
        std::string message = "assessment scheme refused:";
        for (const auto& f : findings)
            if (f.severity == Severity::error)
                message += "\n  [" + f.rule + "] " + f.message;
        throw Error(ErrorCode::invalid_argument, message);
    }
    impl->warnings = std::move(findings);
    detail::prepare(*impl);
    return AssessmentScheme(std::move(impl));
}

std::vector<Finding> AssessmentScheme::validate_json(std::string_view json,
                                                     std::string_view source) {
    Impl impl;
    return load(json, source, impl);
}

AssessmentScheme AssessmentScheme::preset(std::string_view key) {
    for (std::size_t i = 0; i < detail::assessment_presets_count; ++i)
        if (key == detail::assessment_presets[i].key)
            return from_json(detail::assessment_presets[i].json,
                             "preset " + std::string(detail::assessment_presets[i].key));
    throw Error(ErrorCode::not_found, "no assessment preset '" + std::string(key) + "'");
}

std::vector<std::string> AssessmentScheme::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::assessment_presets_count; ++i)
        keys.emplace_back(detail::assessment_presets[i].key);
    return keys;
}

const std::string& AssessmentScheme::key() const {
    return impl_->key;
}
const std::string& AssessmentScheme::label() const {
    return impl_->label;
}
int AssessmentScheme::version() const {
    return impl_->version;
}
PeriodKind AssessmentScheme::period() const {
    return impl_->period;
}
double AssessmentScheme::max_total() const {
    return impl_->max_total;
}
const std::vector<IndicatorSpec>& AssessmentScheme::indicators() const {
    return impl_->indicators;
}
const std::vector<ComponentSpec>& AssessmentScheme::components() const {
    return impl_->components;
}
UndefinedPolicy AssessmentScheme::when_undefined() const {
    return impl_->when_undefined;
}
const std::vector<ItemAdjustment>& AssessmentScheme::total_deductions() const {
    return impl_->total_deductions;
}
const std::vector<ItemAdjustment>& AssessmentScheme::total_bonuses() const {
    return impl_->total_bonuses;
}
const std::vector<GradeBand>& AssessmentScheme::grades() const {
    return impl_->grades;
}
const std::vector<AggregationSpec>& AssessmentScheme::aggregations() const {
    return impl_->aggregations;
}
const std::vector<ConsecutiveRule>& AssessmentScheme::rules() const {
    return impl_->rules;
}
const std::vector<Finding>& AssessmentScheme::warnings() const {
    return impl_->warnings;
}
const std::string& AssessmentScheme::json() const {
    return impl_->json;
}

}  // namespace gridgov
