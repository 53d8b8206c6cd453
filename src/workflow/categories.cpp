// Category catalogues: JSON, presets, lookups, validation, and the resolution of a
// stage's time limit for a case.
#include <algorithm>
#include <set>

#include "gridgov/workflow.hpp"
#include "io/enum_names.hpp"
#include "io/json_fields.hpp"
#include "workflow/embedded.hpp"
#include "workflow/json_io.hpp"

namespace gridgov {
namespace {

using detail::wf::Json;
using detail::wf::JsonPlace;
using detail::wf::quote;

/// Minutes of a limit at a nominal 7-hour working day: only for ordering milestones.
std::int64_t nominal_minutes(const TimeLimit& l) {
    switch (l.unit) {
        case TimeUnit::natural_minutes:
        case TimeUnit::working_minutes:
            return l.value;
        case TimeUnit::natural_hours:
        case TimeUnit::working_hours:
            return l.value * 60;
        case TimeUnit::natural_days:
            return l.value * 1440;
        case TimeUnit::working_days:
            return l.value * 420;
    }
    return l.value;
}

Json limit_entry_json(const StageLimit& l) {
    Json milestones = Json::array();
    for (const Milestone& m : l.milestones) {
        milestones.push_back({{"key", m.key},
                              {"zh", m.label_zh},
                              {"en", m.label_en},
                              {"within", detail::wf::limit_json(m.within)}});
    }
    return {{"stage", l.stage},
            {"area_class", l.area_class},
            {"limit", detail::wf::limit_json(l.limit)},
            {"milestones", std::move(milestones)}};
}

Category read_category(const Json& j, const JsonPlace& at) {
    detail::json_require_object(j, at.text());
    Category c;
    c.code = detail::json_string(j, "code", at.text(), true);
    c.kind = detail::json_parsed(j, "kind", at.text(), parse_category_kind, CategoryKind::event);
    c.major_code = detail::json_string(j, "major", at.text());
    c.major_zh = detail::json_string(j, "major_zh", at.text());
    c.major_en = detail::json_string(j, "major_en", at.text());
    c.minor_code = detail::json_string(j, "minor", at.text());
    c.name_zh = detail::json_string(j, "zh", at.text(), true);
    c.name_en = detail::json_string(j, "en", at.text());
    c.filing_condition = detail::json_string(j, "filing", at.text());
    c.closing_condition = detail::json_string(j, "closing", at.text());
    c.department = detail::json_string(j, "department", at.text());
    c.clock_mode = detail::json_parsed(j, "clock", at.text(), parse_clock_mode, ClockMode::working);
    c.source = detail::json_string(j, "source", at.text());
    if (const Json* limits = detail::json_array(j, "limits", at.text())) {
        for (std::size_t i = 0; i < limits->size(); ++i) {
            const JsonPlace lp = at.at("limits").at(i);
            const Json& lj = (*limits)[i];
            detail::json_require_object(lj, lp.text());
            StageLimit l;
            l.stage = detail::json_string(lj, "stage", lp.text(), true);
            l.area_class = detail::json_string(lj, "area_class", lp.text());
            l.limit = detail::wf::require_limit(lj, "limit", lp);
            if (const Json* ms = detail::json_array(lj, "milestones", lp.text())) {
                for (std::size_t k = 0; k < ms->size(); ++k) {
                    const JsonPlace mp = lp.at("milestones").at(k);
                    detail::json_require_object((*ms)[k], mp.text());
                    Milestone m;
                    m.key = detail::json_string((*ms)[k], "key", mp.text(), true);
                    m.label_zh = detail::json_string((*ms)[k], "zh", mp.text());
                    m.label_en = detail::json_string((*ms)[k], "en", mp.text());
                    m.within = detail::wf::require_limit((*ms)[k], "within", mp);
                    l.milestones.push_back(std::move(m));
                }
            }
            c.limits.push_back(std::move(l));
        }
    }
    return c;
}

}  // namespace

namespace {

constexpr detail::EnumName<CategoryKind> category_kind_names[] = {
    {CategoryKind::component, "component"},
    {CategoryKind::event, "event"},
    {CategoryKind::governance, "governance"},
    {CategoryKind::component, "部件"},
    {CategoryKind::event, "事件"},
    {CategoryKind::governance, "治理事项"},
};

constexpr detail::EnumName<ClockMode> clock_mode_names[] = {
    {ClockMode::working, "working"},
    {ClockMode::natural, "natural"},
};

}  // namespace

const char* category_kind_name(CategoryKind kind) noexcept {
    return detail::enum_name(category_kind_names, kind);
}

CategoryKind parse_category_kind(std::string_view text) {
    return detail::parse_enum(category_kind_names, text, "category kind");
}

const char* clock_mode_name(ClockMode mode) noexcept {
    return detail::enum_name(clock_mode_names, mode, "working");
}

ClockMode parse_clock_mode(std::string_view text) {
    return detail::parse_enum(clock_mode_names, text, "clock mode");
}

const StageLimit* Category::limit_for(std::string_view stage, std::string_view area_class) const {
    const StageLimit* fallback = nullptr;
    for (const StageLimit& l : limits) {
        if (l.stage != stage)
            continue;
        if (!area_class.empty() && l.area_class == area_class)
            return &l;
        if (l.area_class.empty() && fallback == nullptr)
            fallback = &l;
    }
    return fallback;
}

bool operator==(const Category& a, const Category& b) {
    return a.code == b.code && a.kind == b.kind && a.major_code == b.major_code &&
           a.major_zh == b.major_zh && a.major_en == b.major_en && a.minor_code == b.minor_code &&
           a.name_zh == b.name_zh && a.name_en == b.name_en &&
           a.filing_condition == b.filing_condition && a.closing_condition == b.closing_condition &&
           a.department == b.department && a.clock_mode == b.clock_mode && a.limits == b.limits &&
           a.source == b.source;
}

bool operator==(const CategoryCatalogue& a, const CategoryCatalogue& b) {
    return a.key == b.key && a.name == b.name && a.source == b.source &&
           a.categories == b.categories;
}

CategoryCatalogue CategoryCatalogue::from_json(std::string_view text,
                                               std::string_view source_name) {
    const Json doc = detail::wf::parse(text, source_name);
    const JsonPlace root{std::string(source_name), ""};
    detail::json_require_object(doc, root.text());
    CategoryCatalogue cat;
    cat.key = detail::json_string(doc, "key", root.text());
    cat.name = detail::json_string(doc, "name", root.text());
    cat.source = detail::json_string(doc, "source", root.text());
    std::set<std::string, std::less<>> codes;
    if (const Json* list = detail::json_array(doc, "categories", root.text())) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const JsonPlace at = root.at("categories").at(i);
            Category c = read_category((*list)[i], at);
            if (!codes.insert(c.code).second) {
                detail::field_error(ErrorCode::already_exists, at.text(), "code",
                                    "duplicate category code " + quote(c.code));
            }
            cat.categories.push_back(std::move(c));
        }
    }
    return cat;
}

std::string CategoryCatalogue::to_json() const {
    Json doc = Json::object();
    doc["key"] = key;
    doc["name"] = name;
    doc["source"] = source;
    Json list = Json::array();
    for (const Category& c : categories) {
        Json limits = Json::array();
        for (const StageLimit& l : c.limits)
            limits.push_back(limit_entry_json(l));
        list.push_back({{"code", c.code},
                        {"kind", category_kind_name(c.kind)},
                        {"major", c.major_code},
                        {"major_zh", c.major_zh},
                        {"major_en", c.major_en},
                        {"minor", c.minor_code},
                        {"zh", c.name_zh},
                        {"en", c.name_en},
                        {"filing", c.filing_condition},
                        {"closing", c.closing_condition},
                        {"department", c.department},
                        {"clock", clock_mode_name(c.clock_mode)},
                        {"limits", std::move(limits)},
                        {"source", c.source}});
    }
    doc["categories"] = std::move(list);
    return doc.dump(2);
}

std::vector<std::string> CategoryCatalogue::preset_keys() {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < detail::category_presets_count; ++i) {
        keys.emplace_back(detail::category_presets[i].key);
    }
    keys.emplace_back("combined");
    return keys;
}

CategoryCatalogue CategoryCatalogue::preset(std::string_view key) {
    const auto load = [](std::string_view k) {
        const char* text =
            detail::embedded_text(detail::category_presets, detail::category_presets_count, k);
        if (text == nullptr) {
            throw Error(ErrorCode::not_found, "no built-in category catalogue " + quote(k));
        }
        return from_json(text, "built-in categories " + std::string(k));
    };
    if (key != "combined")
        return load(key);
    CategoryCatalogue out;
    out.key = "combined";
    out.name = "数字城管部件事件与社会治理事项";
    for (std::size_t i = 0; i < detail::category_presets_count; ++i) {
        CategoryCatalogue part = load(detail::category_presets[i].key);
        out.source += (out.source.empty() ? "" : "; ") + part.source;
        for (Category& c : part.categories)
            out.categories.push_back(std::move(c));
    }
    return out;
}

const Category* CategoryCatalogue::find(std::string_view code) const {
    for (const Category& c : categories) {
        if (c.code == code)
            return &c;
    }
    return nullptr;
}

const Category& CategoryCatalogue::at(std::string_view code) const {
    if (const Category* c = find(code))
        return *c;
    throw Error(ErrorCode::not_found, "no category " + quote(code) + " in catalogue " + quote(key));
}

std::vector<std::string> CategoryCatalogue::stages() const {
    std::set<std::string> out;
    for (const Category& c : categories) {
        for (const StageLimit& l : c.limits)
            out.insert(l.stage);
    }
    return {out.begin(), out.end()};
}

std::vector<Finding> CategoryCatalogue::validate() const {
    std::vector<Finding> out;
    const auto add = [&](const char* rule, Severity sev, const std::string& where,
                         const std::string& message) {
        out.push_back(Finding{rule, sev, where, message});
    };
    std::set<std::string, std::less<>> codes;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const Category& c = categories[i];
        const std::string where = c.code.empty() ? "categories[" + std::to_string(i) + "]" : c.code;
        if (!c.code.empty() && !codes.insert(c.code).second) {
            add("category.duplicate_code", Severity::error, where,
                "category code " + quote(c.code) + " appears twice");
        }
        for (const auto& [value, field] : {std::pair{&c.code, "code"}, std::pair{&c.name_zh, "zh"},
                                           std::pair{&c.department, "department"}}) {
            if (value->empty()) {
                add("category.empty_field", Severity::error, where,
                    "category " + where + " has an empty '" + field + "'");
            }
        }
        std::set<std::pair<std::string, std::string>> seen;
        for (const StageLimit& l : c.limits) {
            const std::string cls =
                l.area_class.empty() ? "every area class" : "area class " + l.area_class;
            if (!seen.insert({l.stage, l.area_class}).second) {
                add("category.duplicate_limit", Severity::error, where,
                    "category " + where + " gives stage " + quote(l.stage) + " two limits for " +
                        cls);
            }
            std::vector<TimeLimit> all{l.limit};
            for (const Milestone& m : l.milestones)
                all.push_back(m.within);
            for (const TimeLimit& t : all) {
                if (c.clock_mode == ClockMode::natural && t.counts_working_time()) {
                    add("category.clock_mode", Severity::error, where,
                        "category " + where + " counts natural time but stage " + quote(l.stage) +
                            " has a limit in " + time_unit_name(t.unit));
                } else if (c.clock_mode == ClockMode::working && !t.counts_working_time()) {
                    add("category.clock_mode", Severity::warning, where,
                        "category " + where + " counts working time but stage " + quote(l.stage) +
                            " has a limit in " + time_unit_name(t.unit));
                }
            }
            std::int64_t previous = 0;
            for (const Milestone& m : l.milestones) {
                const std::int64_t minutes = nominal_minutes(m.within);
                if (minutes < previous || minutes > nominal_minutes(l.limit)) {
                    add("category.milestone_order", Severity::error, where,
                        "category " + where + " stage " + quote(l.stage) + " milestone " +
                            quote(m.key) + " falls before the previous one or after the limit");
                }
                previous = minutes;
            }
        }
    }
    return out;
}

std::optional<ResolvedLimit> resolve_limit(const WorkflowSpec& spec, const Category* category,
                                           std::string_view stage, std::string_view area_class) {
    if (category != nullptr) {
        if (const StageLimit* l = category->limit_for(stage, area_class)) {
            const std::string basis = "category " + category->code +
                                      (l->area_class.empty() ? std::string(" (every area class)")
                                                             : " area class " + l->area_class);
            return ResolvedLimit{l->limit, l->milestones, basis};
        }
    }
    if (const auto i = spec.find_stage(stage)) {
        if (spec.stages[*i].default_limit) {
            return ResolvedLimit{
                *spec.stages[*i].default_limit, {}, "workflow " + spec.id() + " stage default"};
        }
    }
    return std::nullopt;
}

}  // namespace gridgov
