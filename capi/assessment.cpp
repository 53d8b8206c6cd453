// C ABI: assessment — schemes, indicator values, scores and their ranking, inspection
// draws, and the workspace's activity records, stored scores, draws and notice.
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/assessment.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

/// gridgov_assessment_scheme: a loaded scheme, owned by the caller.
struct gridgov_assessment_scheme {
    gridgov::AssessmentScheme scheme;
};

/// gridgov_score: a copy of one result, owned by the caller; the grade string it lends
/// lives in `result`.
struct gridgov_score {
    gridgov::ScoreResult result;
};

namespace {

using gridgov::ActivityTable;
using gridgov::AssessmentPeriod;
using gridgov::AssessmentScheme;
using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;
using Json = nlohmann::ordered_json;

static_assert(GRIDGOV_ACTIVITY_AUTO == static_cast<int>(ActivityTable::automatic));
static_assert(GRIDGOV_ACTIVITY_HOUSEHOLDS == static_cast<int>(ActivityTable::households));
static_assert(GRIDGOV_ACTIVITY_VISITS == static_cast<int>(ActivityTable::visits));
static_assert(GRIDGOV_ACTIVITY_PATROLS == static_cast<int>(ActivityTable::patrols));
static_assert(GRIDGOV_ACTIVITY_COLLECTION == static_cast<int>(ActivityTable::collection));
static_assert(GRIDGOV_ACTIVITY_ATTENDANCE == static_cast<int>(ActivityTable::attendance));
static_assert(GRIDGOV_ACTIVITY_TASKS == static_cast<int>(ActivityTable::tasks));
static_assert(GRIDGOV_ACTIVITY_RATINGS == static_cast<int>(ActivityTable::ratings));
static_assert(GRIDGOV_SUBJECT_NODE == static_cast<int>(gridgov::IndicatorSubjectKind::node));
static_assert(GRIDGOV_SUBJECT_DEPARTMENT ==
              static_cast<int>(gridgov::IndicatorSubjectKind::department));
static_assert(GRIDGOV_SUBJECT_PERSON == static_cast<int>(gridgov::IndicatorSubjectKind::person));
static_assert(GRIDGOV_SUBJECT_UNIT == static_cast<int>(gridgov::IndicatorSubjectKind::unit));
static_assert(GRIDGOV_SELECT_LEVEL == static_cast<int>(gridgov::SubjectSelection::Kind::level));
static_assert(GRIDGOV_SELECT_DEPARTMENTS ==
              static_cast<int>(gridgov::SubjectSelection::Kind::departments));
static_assert(GRIDGOV_SELECT_GRID_WORKERS ==
              static_cast<int>(gridgov::SubjectSelection::Kind::grid_workers));
// GRIDGOV_SELECT_SUBJECTS (4) and GRIDGOV_SELECT_UNITS (5) are numbers of the C face only:
// Kind::list is 0 and Kind::units 4, so the two cannot follow the enum.

std::string text_or(const char* s, const char* fallback) {
    return s != nullptr ? s : fallback;
}

AssessmentPeriod period_of(const char* text, const char* parameter) {
    try {
        return AssessmentPeriod::parse(text);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("parameter '") + parameter + "': " + e.what());
    }
}

ActivityTable table_of(int table) {
    if (table < GRIDGOV_ACTIVITY_AUTO || table > GRIDGOV_ACTIVITY_RATINGS) {
        throw Error(ErrorCode::invalid_argument, "parameter 'table': " + std::to_string(table) +
                                                     " is not a GRIDGOV_ACTIVITY_* value");
    }
    return static_cast<ActivityTable>(table);
}

// score_to_json() with the explanation tree added.
std::string score_with_explanation(const gridgov::ScoreResult& r) {
    Json j = Json::parse(gridgov::score_to_json(r));
    j["explanation"] = Json::parse(gridgov::explanation_to_json(gridgov::explain(r)));
    return j.dump();
}

gridgov::IndicatorValue& existing(gridgov_indicator_values* values, const char* key) {
    auto it = values->values.find(key);
    if (it == values->values.end()) {
        throw Error(ErrorCode::not_found,
                    std::string("indicator '") + key + "' has no value yet: set it first");
    }
    return it->second;
}

void require_key(const char* key) {
    require(key, "key");
    if (*key == '\0')
        throw Error(ErrorCode::invalid_argument, "parameter 'key' is empty");
}

}  // namespace

namespace gridgov::capi {

nlohmann::ordered_json indicator_values_json(const IndicatorValues& values) {
    Json j = Json::object();
    for (const auto& [key, v] : values) {
        Json e = Json::object();
        e["value"] = v.value ? Json(*v.value) : Json(nullptr);
        e["reason"] = v.reason;
        e["sources"] = v.sources;
        j[key] = std::move(e);
    }
    return j;
}

}  // namespace gridgov::capi

extern "C" {

// ---- schemes -----------------------------------------------------------------------------

int gridgov_assessment_scheme_from_json(gridgov_assessment_scheme** out,
                                        gridgov_findings** out_findings, const char* json,
                                        const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        auto scheme = std::make_unique<gridgov_assessment_scheme>(gridgov_assessment_scheme{
            AssessmentScheme::from_json(json, text_or(source_name, "<json>"))});
        if (out_findings != nullptr)
            *out_findings = gridgov::capi::new_findings(scheme->scheme.warnings());
        *out = scheme.release();
    });
}

int gridgov_assessment_scheme_preset(gridgov_assessment_scheme** out,
                                     gridgov_findings** out_findings, const char* key) {
    return guard([&] {
        require(out, "out");
        require(key, "key");
        auto scheme = std::make_unique<gridgov_assessment_scheme>(
            gridgov_assessment_scheme{AssessmentScheme::preset(key)});
        if (out_findings != nullptr)
            *out_findings = gridgov::capi::new_findings(scheme->scheme.warnings());
        *out = scheme.release();
    });
}

int gridgov_assessment_validate_json(gridgov_findings** out, const char* json,
                                     const char* source_name) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        *out = gridgov::capi::new_findings(
            AssessmentScheme::validate_json(json, text_or(source_name, "<json>")));
    });
}

void gridgov_assessment_scheme_destroy(gridgov_assessment_scheme* scheme) {
    delete scheme;
}

int gridgov_assessment_scheme_key(const char** out, const gridgov_assessment_scheme* scheme) {
    return guard([&] {
        require(out, "out");
        require(scheme, "scheme");
        *out = scheme->scheme.key().c_str();
    });
}

int gridgov_assessment_scheme_label(const char** out, const gridgov_assessment_scheme* scheme) {
    return guard([&] {
        require(out, "out");
        require(scheme, "scheme");
        *out = scheme->scheme.label().c_str();
    });
}

// ---- values and scores -------------------------------------------------------------------

int gridgov_indicator_values_create(gridgov_indicator_values** out) {
    return guard([&] {
        require(out, "out");
        *out = new gridgov_indicator_values{};
    });
}

void gridgov_indicator_values_destroy(gridgov_indicator_values* values) {
    delete values;
}

int gridgov_indicator_values_set(gridgov_indicator_values* values, const char* key, double value) {
    return guard([&] {
        require(values, "values");
        require_key(key);
        if (!std::isfinite(value)) {
            throw Error(ErrorCode::invalid_argument,
                        std::string("indicator '") + key +
                            "': the value is not finite; use gridgov_indicator_values_set_"
                            "undefined() with a reason");
        }
        values->values[key] = gridgov::IndicatorValue::of(value);
    });
}

int gridgov_indicator_values_set_undefined(gridgov_indicator_values* values, const char* key,
                                           const char* reason) {
    return guard([&] {
        require(values, "values");
        require_key(key);
        require(reason, "reason");
        if (*reason == '\0') {
            throw Error(ErrorCode::invalid_argument,
                        std::string("indicator '") + key + "': an undefined value needs a reason");
        }
        values->values[key] = gridgov::IndicatorValue::undefined(reason);
    });
}

int gridgov_indicator_values_add_source(gridgov_indicator_values* values, const char* key,
                                        const char* source) {
    return guard([&] {
        require(values, "values");
        require_key(key);
        require(source, "source");
        existing(values, key).sources.emplace_back(source);
    });
}

int gridgov_assessment_score(gridgov_score** out, const gridgov_assessment_scheme* scheme,
                             const char* subject, const char* level, const char* area_class,
                             const char* period, const gridgov_indicator_values* values) {
    return guard([&] {
        require(out, "out");
        require(scheme, "scheme");
        require(subject, "subject");
        require(period, "period");
        gridgov::ScoreInput input;
        input.subject = {subject, text_or(level, ""), text_or(area_class, "")};
        input.period = period_of(period, "period");
        if (values != nullptr)
            input.values = values->values;
        auto score =
            std::make_unique<gridgov_score>(gridgov_score{gridgov::score(scheme->scheme, input)});
        *out = score.release();
    });
}

int gridgov_score_from_json(gridgov_score** out, const char* json) {
    return guard([&] {
        require(out, "out");
        require(json, "json");
        auto score = std::make_unique<gridgov_score>(gridgov_score{gridgov::score_from_json(json)});
        *out = score.release();
    });
}

void gridgov_score_destroy(gridgov_score* score) {
    delete score;
}

int gridgov_score_json(char** out, const gridgov_score* score) {
    return guard([&] {
        require(out, "out");
        require(score, "score");
        *out = dup_string(score_with_explanation(score->result));
    });
}

int gridgov_score_total(int* out_defined, double* out_total, const gridgov_score* score) {
    return guard([&] {
        require(out_defined, "out_defined");
        require(out_total, "out_total");
        require(score, "score");
        *out_defined = score->result.total ? 1 : 0;
        *out_total = score->result.total.value_or(std::numeric_limits<double>::quiet_NaN());
    });
}

int gridgov_score_grade(const char** out, const gridgov_score* score) {
    return guard([&] {
        require(out, "out");
        require(score, "score");
        *out = score->result.grade.c_str();
    });
}

int gridgov_score_failing(int* out, const gridgov_score* score) {
    return guard([&] {
        require(out, "out");
        require(score, "score");
        *out = score->result.failing ? 1 : 0;
    });
}

int gridgov_score_rank(int32_t* out_rank, size_t* out_peers, const gridgov_score* score) {
    return guard([&] {
        require(out_rank, "out_rank");
        require(out_peers, "out_peers");
        require(score, "score");
        *out_rank = score->result.rank;
        *out_peers = score->result.peers;
    });
}

int gridgov_assessment_rank(gridgov_score* const* scores, size_t count) {
    return guard([&] {
        if (count > 0)
            require(scores, "scores");
        std::vector<gridgov::ScoreResult> results;
        results.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            if (scores[i] == nullptr) {
                throw Error(ErrorCode::invalid_argument,
                            "parameter 'scores': entry " + std::to_string(i) + " is NULL");
            }
            results.push_back(scores[i]->result);
        }
        gridgov::rank(results);
        for (size_t i = 0; i < count; ++i) {
            scores[i]->result.rank = results[i].rank;
            scores[i]->result.peers = results[i].peers;
        }
    });
}

// ---- draws -------------------------------------------------------------------------------

int gridgov_assessment_draw(char** out, const char* spec_json) {
    return guard([&] {
        require(out, "out");
        require(spec_json, "spec_json");
        const gridgov::DrawRecord record = gridgov::draw(gridgov::draw_spec_from_json(spec_json));
        *out = dup_string(gridgov::draw_to_json(record));
    });
}

int gridgov_assessment_verify_draw(int* out, const char* record_json) {
    return guard([&] {
        require(out, "out");
        require(record_json, "record_json");
        const gridgov::DrawRecord record = gridgov::draw_from_json(record_json);
        bool ok = false;
        try {
            ok = gridgov::verify_draw(record);
        } catch (const Error&) {
            ok = false;  // a spec that cannot be drawn does not give the recorded picks
        }
        *out = ok ? 1 : 0;
    });
}

// ---- the workspace -------------------------------------------------------------------------

int gridgov_assessment_import_file(size_t* out_records, int* out_table, gridgov_workspace* ws,
                                   const char* path, int table) {
    return guard([&] {
        require(out_records, "out_records");
        require(ws, "ws");
        require(path, "path");
        const gridgov::ActivityImportReport report =
            ws->ws.assessment().import_file(path, table_of(table));
        *out_records = report.records;
        if (out_table != nullptr)
            *out_table = static_cast<int>(report.table);
    });
}

int gridgov_assessment_import_text(size_t* out_records, int* out_table, gridgov_workspace* ws,
                                   const char* text, int table, const char* source_name) {
    return guard([&] {
        require(out_records, "out_records");
        require(ws, "ws");
        require(text, "text");
        const gridgov::ActivityImportReport report =
            ws->ws.assessment().import_text(text, table_of(table), text_or(source_name, "<text>"));
        *out_records = report.records;
        if (out_table != nullptr)
            *out_table = static_cast<int>(report.table);
    });
}

int gridgov_assessment_activity_count(size_t* out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = ws->ws.assessment().activities().size();
    });
}

int gridgov_assessment_store_scores(gridgov_workspace* ws, const gridgov_score* const* scores,
                                    size_t count) {
    return guard([&] {
        require(ws, "ws");
        if (count > 0)
            require(scores, "scores");
        std::vector<gridgov::ScoreResult> results;
        results.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            if (scores[i] == nullptr) {
                throw Error(ErrorCode::invalid_argument,
                            "parameter 'scores': entry " + std::to_string(i) + " is NULL");
            }
            results.push_back(scores[i]->result);
        }
        ws->ws.assessment().store_scores(results);
    });
}

int gridgov_assessment_store_scores_json(gridgov_workspace* ws, const char* json) {
    return guard([&] {
        require(ws, "ws");
        require(json, "json");
        Json all;
        try {
            all = Json::parse(json);
        } catch (const nlohmann::json::parse_error& e) {
            throw Error(ErrorCode::parse_error,
                        "scores are not JSON: byte " + std::to_string(e.byte));
        }
        if (!all.is_array())
            throw Error(ErrorCode::invalid_argument, "scores: expected a JSON array");
        std::vector<gridgov::ScoreResult> results;
        results.reserve(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            try {
                results.push_back(gridgov::score_from_json(all[i].dump()));
            } catch (const Error& e) {
                throw Error(e.code(), "scores[" + std::to_string(i) + "]: " + e.what());
            }
        }
        ws->ws.assessment().store_scores(results);
    });
}

int gridgov_assessment_scores_json(char** out, const gridgov_workspace* ws, const char* scheme,
                                   const char* subject, const char* from, const char* to) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        gridgov::ScoreFilter filter;
        filter.scheme = text_or(scheme, "");
        filter.subject = text_or(subject, "");
        if (from != nullptr)
            filter.from = period_of(from, "from");
        if (to != nullptr)
            filter.to = period_of(to, "to");
        *out = dup_string(gridgov::scores_to_json(ws->ws.assessment().scores(filter)));
    });
}

int gridgov_assessment_record_draw(gridgov_workspace* ws, const char* label,
                                   const char* record_json) {
    return guard([&] {
        require(ws, "ws");
        require(label, "label");
        require(record_json, "record_json");
        ws->ws.assessment().record_draw(label, gridgov::draw_from_json(record_json));
    });
}

int gridgov_assessment_draws_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        Json all = Json::array();
        for (const gridgov::StoredDraw& d : ws->ws.assessment().draws()) {
            all.push_back(Json{{"label", d.label},
                               {"verified", d.verified},
                               {"record", Json::parse(gridgov::draw_to_json(d.record))}});
        }
        *out = dup_string(all.dump());
    });
}

int gridgov_assessment_export_notice(const gridgov_workspace* ws, const char* path,
                                     const gridgov_assessment_scheme* scheme, const char* period,
                                     const char* title) {
    return guard([&] {
        require(ws, "ws");
        require(path, "path");
        require(scheme, "scheme");
        require(period, "period");
        gridgov::NoticeOptions options;
        options.title = text_or(title, "");
        ws->ws.assessment().export_notice(path, scheme->scheme, period_of(period, "period"),
                                          options);
    });
}

// ---- indicators from cases and the runner ------------------------------------------------

int gridgov_case_indicator_definitions(char** out) {
    return guard([&] {
        require(out, "out");
        Json all = Json::array();
        for (const gridgov::CaseIndicatorDefinition& d : gridgov::case_indicator_definitions()) {
            all.push_back(Json{{"key", d.key},
                               {"label", d.label},
                               {"unit", d.unit},
                               {"definition", d.definition},
                               {"denominator", d.denominator}});
        }
        *out = dup_string(all.dump());
    });
}

int gridgov_indicator_values_add_checks(gridgov_indicator_values* values,
                                        const gridgov_workspace* ws, const char* code,
                                        const char* period) {
    return guard([&] {
        require(values, "values");
        require(ws, "ws");
        require(code, "code");
        require(period, "period");
        const gridgov::AssessmentPeriod p = period_of(period, "period");
        ws->ws.hierarchy().view().at(code);  // not_found naming the code
        std::map<std::string, gridgov::IndicatorValues> all = ws->ws.records().check_indicators(p);
        for (auto& [key, v] : all.at(code))
            values->values[key] = std::move(v);
    });
}

int gridgov_indicator_values_add_cases(gridgov_indicator_values* values,
                                       const gridgov_workspace* ws, int kind, const char* code,
                                       const char* period) {
    return guard([&] {
        require(values, "values");
        require(ws, "ws");
        require(code, "code");
        require(period, "period");
        gridgov::IndicatorSubject subject;
        switch (kind) {
            case GRIDGOV_SUBJECT_NODE:
                subject = gridgov::IndicatorSubject::node(code);
                break;
            case GRIDGOV_SUBJECT_DEPARTMENT:
                subject = gridgov::IndicatorSubject::department(code);
                break;
            case GRIDGOV_SUBJECT_PERSON:
                subject = gridgov::IndicatorSubject::person(code);
                break;
            case GRIDGOV_SUBJECT_UNIT:
                subject = gridgov::IndicatorSubject::unit(code);
                break;
            default:
                throw Error(ErrorCode::invalid_argument,
                            "parameter 'kind': " + std::to_string(kind) +
                                " is not a GRIDGOV_SUBJECT_* value");
        }
        gridgov::IndicatorValues got =
            gridgov::case_indicators(ws->ws.cases(), subject, period_of(period, "period"));
        for (auto& [key, v] : got)
            values->values[key] = std::move(v);
    });
}

int gridgov_indicator_values_json(char** out, const gridgov_indicator_values* values) {
    return guard([&] {
        require(out, "out");
        require(values, "values");
        *out = dup_string(gridgov::capi::indicator_values_json(values->values).dump());
    });
}

int gridgov_assess_options_init(gridgov_assess_options* options, uint32_t version) {
    return guard([&] {
        require(options, "options");
        if (version != GRIDGOV_ASSESS_OPTIONS_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "version: " + std::to_string(version) + " is not supported");
        }
        *options = gridgov_assess_options{};
        options->version = version;
        options->select = GRIDGOV_SELECT_LEVEL;
    });
}

int gridgov_assessment_assess(char** out, gridgov_workspace* ws,
                              const gridgov_assessment_scheme* scheme, const char* period,
                              const gridgov_assess_options* options) {
    return guard([&] {
        require(ws, "ws");
        require(scheme, "scheme");
        require(period, "period");
        const AssessmentPeriod p = period_of(period, "period");
        gridgov_assess_options defaults{};
        if (options == nullptr) {
            defaults.version = GRIDGOV_ASSESS_OPTIONS_VERSION;
            defaults.select = GRIDGOV_SELECT_LEVEL;
            options = &defaults;
        }
        if (options->version != GRIDGOV_ASSESS_OPTIONS_VERSION) {
            throw Error(ErrorCode::invalid_argument,
                        "options.version: " + std::to_string(options->version) +
                            " is not supported (call gridgov_assess_options_init() first)");
        }
        const auto texts = [](const char* const* items, std::size_t count, const char* what) {
            if (count > 0 && items == nullptr)
                throw Error(ErrorCode::invalid_argument,
                            std::string("options.") + what + ": NULL with a non-zero count");
            std::vector<std::string> all;
            for (std::size_t i = 0; i < count; ++i) {
                if (items[i] == nullptr)
                    throw Error(ErrorCode::invalid_argument, std::string("options.") + what + "[" +
                                                                 std::to_string(i) + "]: NULL");
                all.emplace_back(items[i]);
            }
            return all;
        };
        gridgov::WorkspaceAssessOptions o;
        switch (options->select) {
            case GRIDGOV_SELECT_LEVEL:
                o.level = text_or(options->level, "");
                break;
            case GRIDGOV_SELECT_DEPARTMENTS:
                o.departments = true;
                break;
            case GRIDGOV_SELECT_GRID_WORKERS:
                o.grid_workers = true;
                o.worker_level = text_or(options->level, "");
                break;
            case GRIDGOV_SELECT_SUBJECTS:
                if (options->subject_count == 0)
                    throw Error(ErrorCode::invalid_argument,
                                "options.subjects: GRIDGOV_SELECT_SUBJECTS needs at least one");
                break;
            case GRIDGOV_SELECT_UNITS:
                if (options->overlay == nullptr || *options->overlay == '\0')
                    throw Error(ErrorCode::invalid_argument,
                                "options.overlay: GRIDGOV_SELECT_UNITS needs an overlay key");
                o.units = options->overlay;
                o.unit_level = text_or(options->level, "");
                break;
            default:
                throw Error(ErrorCode::invalid_argument,
                            "options.select: " + std::to_string(options->select) +
                                " is not a GRIDGOV_SELECT_* value");
        }
        if (options->level != nullptr && options->select != GRIDGOV_SELECT_LEVEL &&
            options->select != GRIDGOV_SELECT_GRID_WORKERS &&
            options->select != GRIDGOV_SELECT_UNITS)
            throw Error(ErrorCode::invalid_argument,
                        "options.level: only with GRIDGOV_SELECT_LEVEL, _GRID_WORKERS or _UNITS");
        if (options->overlay != nullptr && options->select != GRIDGOV_SELECT_UNITS)
            throw Error(ErrorCode::invalid_argument,
                        "options.overlay: only with GRIDGOV_SELECT_UNITS");
        o.roles = texts(options->roles, options->role_count, "roles");
        o.subjects = texts(options->subjects, options->subject_count, "subjects");
        o.default_area_class = text_or(options->default_area_class, "");
        const std::vector<std::string> extra =
            texts(options->extra_subjects, options->extra_count, "extra_subjects");
        if (options->extra_count > 0 && options->extra_values == nullptr)
            throw Error(ErrorCode::invalid_argument,
                        "options.extra_values: NULL with a non-zero extra_count");
        for (std::size_t i = 0; i < extra.size(); ++i) {
            if (options->extra_values[i] == nullptr)
                throw Error(ErrorCode::invalid_argument,
                            "options.extra_values[" + std::to_string(i) + "]: NULL");
            for (const auto& [key, value] : options->extra_values[i]->values)
                o.extra[extra[i]][key] = value;
        }
        o.store = options->store != 0;
        const gridgov::AssessmentRun run = ws->ws.assessment().assess(scheme->scheme, p, o);
        if (out != nullptr) {
            Json j = Json::object();
            j["scores"] = Json::parse(gridgov::scores_to_json(run.scores));
            Json flags = Json::array();
            for (const gridgov::RuleFlag& f : run.flags)
                flags.push_back(Json::parse(gridgov::rule_flag_to_json(f)));
            j["flags"] = std::move(flags);
            *out = dup_string(j.dump());
        }
    });
}

}  // extern "C"
