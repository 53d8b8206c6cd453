// Inspections, promises, ratings, tasks and boards as JSON text, and the public board as
// HTML: the one layout the C face, the command line and the docs use (docs/oversight.md).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/html.hpp"
#include "core/json_text.hpp"
#include "core/text.hpp"
#include "gridgov/oversight.hpp"
#include "io/json_fields.hpp"

namespace gridgov {

namespace {

using Json = nlohmann::ordered_json;
namespace d = detail;

double score_of(const Json& j, const char* field, const std::string& where, double low,
                std::optional<double> high) {
    const std::optional<double> v = d::json_optional_number(j, field, where);
    if (!v)
        d::field_error(ErrorCode::invalid_argument, where, field, "missing");
    if (!std::isfinite(*v) || *v < low || (high && *v > *high)) {
        d::field_error(
            ErrorCode::invalid_argument, where, field,
            d::json_shown(j.at(field)) + " is outside " + (high ? "0–100" : "0 and above"));
    }
    return *v;
}

InspectionFinding finding_of(const Json& j, const std::string& where) {
    d::json_only_members(j, where, {"item", "deduction", "charged_to", "evidence", "note"});
    InspectionFinding f;
    f.item = d::json_line(j, "item", where, true);
    f.deduction = j.contains("deduction") ? score_of(j, "deduction", where, 0, std::nullopt) : 0;
    f.charged_to = d::json_line(j, "charged_to", where, false);
    f.evidence = d::json_lines(j, "evidence", where);
    f.note = d::json_free_text(j, "note", where);
    return f;
}

Inspection inspection_of(const Json& j, const std::string& where) {
    d::json_only_members(j, where,
                         {"id", "draw", "subject", "at", "inspectors", "findings", "note"});
    Inspection in;
    in.id = d::json_line(j, "id", where, true);
    in.draw = d::json_line(j, "draw", where, false);
    in.subject = d::json_line(j, "subject", where, true);
    in.at = d::json_instant(j, "at", where);
    in.inspectors = d::json_lines(j, "inspectors", where);
    if (const Json* fs = d::json_array(j, "findings", where)) {
        for (std::size_t k = 0; k < fs->size(); ++k)
            in.findings.push_back(
                finding_of((*fs)[k], where + ".findings[" + std::to_string(k) + "]"));
    }
    in.note = d::json_free_text(j, "note", where);
    return in;
}

Json finding_json(const InspectionFinding& f) {
    return Json{{"item", f.item},
                {"deduction", f.deduction},
                {"charged_to", f.charged_to},
                {"evidence", f.evidence},
                {"note", f.note}};
}

Json optional_number(const std::optional<double>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json progress_json(const PromiseProgress& row) {
    const Promise& p = row.promise;
    return Json{{"id", p.id},
                {"case", p.case_number},
                {"category", row.category},
                {"what", p.what},
                {"by", p.by.to_string()},
                {"at", p.at.to_string()},
                {"team", p.team},
                {"place", p.place},
                {"state", promise_state_name(row.state)},
                {"case_state", row.case_state},
                {"closed_at", row.closed_at ? Json(row.closed_at->to_string()) : Json(nullptr)},
                {"citizen_score", optional_number(row.citizen_score)},
                {"team_score", optional_number(row.team_score)}};
}

/// A score as the board shows it: one decimal, "—" when none.
std::string shown_score(const std::optional<double>& v) {
    if (!v)
        return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *v);
    return buf;
}

const char* state_label_zh(PromiseState s) {
    switch (s) {
        case PromiseState::open:
            return "办理中";
        case PromiseState::overdue:
            return "已逾期";
        case PromiseState::kept:
            return "按期办结";
        case PromiseState::late:
            return "逾期办结";
        case PromiseState::voided:
            return "已撤销";
    }
    return "办理中";
}

}  // namespace

std::vector<Inspection> inspections_from_json(std::string_view text, std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::json_array_document<Json>(text, source_name, "inspections");
    std::vector<Inspection> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i)
        out.push_back(inspection_of(doc[i], source + " inspections[" + std::to_string(i) + "]"));
    return out;
}

std::string inspections_to_json(const std::vector<Inspection>& inspections) {
    Json all = Json::array();
    for (const Inspection& in : inspections) {
        Json findings = Json::array();
        for (const InspectionFinding& f : in.findings)
            findings.push_back(finding_json(f));
        all.push_back(Json{{"id", in.id},
                           {"draw", in.draw},
                           {"subject", in.subject},
                           {"at", in.at.to_string()},
                           {"inspectors", in.inspectors},
                           {"findings", std::move(findings)},
                           {"note", in.note}});
    }
    return all.dump();
}

std::string inspection_tasks_to_json(const std::vector<InspectionTask>& tasks) {
    Json all = Json::array();
    for (const InspectionTask& t : tasks) {
        all.push_back(Json{{"draw", t.draw},
                           {"pick", t.pick},
                           {"subject", t.subject},
                           {"done", t.done()},
                           {"inspections", t.inspections},
                           {"findings", t.findings},
                           {"deduction", t.deduction}});
    }
    return all.dump();
}

std::vector<Promise> promises_from_json(std::string_view text, std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::json_array_document<Json>(text, source_name, "promises");
    std::vector<Promise> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const std::string where = source + " promises[" + std::to_string(i) + "]";
        const Json& j = doc[i];
        d::json_only_members(j, where, {"id", "case", "what", "by", "at", "team", "place", "note"});
        Promise p;
        p.id = d::json_line(j, "id", where, true);
        p.case_number = d::json_line(j, "case", where, true);
        p.what = d::json_line(j, "what", where, true);
        const std::string by = d::json_line(j, "by", where, true);
        p.by = d::parse_field(where, "by", [&] { return Date::parse(by); });
        p.at = d::json_instant(j, "at", where);
        p.team = d::json_line(j, "team", where, false);
        p.place = d::json_line(j, "place", where, false);
        p.note = d::json_free_text(j, "note", where);
        out.push_back(std::move(p));
    }
    return out;
}

std::string promises_to_json(const std::vector<Promise>& promises) {
    Json all = Json::array();
    for (const Promise& p : promises) {
        all.push_back(Json{{"id", p.id},
                           {"case", p.case_number},
                           {"what", p.what},
                           {"by", p.by.to_string()},
                           {"at", p.at.to_string()},
                           {"team", p.team},
                           {"place", p.place},
                           {"note", p.note}});
    }
    return all.dump();
}

std::vector<PromiseRating> promise_ratings_from_json(std::string_view text,
                                                     std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::json_array_document<Json>(text, source_name, "ratings");
    std::vector<PromiseRating> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const std::string where = source + " ratings[" + std::to_string(i) + "]";
        const Json& j = doc[i];
        d::json_only_members(j, where, {"promise", "by", "score", "at", "note"});
        PromiseRating r;
        r.promise = d::json_line(j, "promise", where, true);
        const std::string by = d::json_line(j, "by", where, true);
        r.by = d::parse_field(where, "by", [&] { return parse_promise_rater(by); });
        r.score = score_of(j, "score", where, 0, 100.0);
        r.at = d::json_instant(j, "at", where);
        r.note = d::json_free_text(j, "note", where);
        out.push_back(std::move(r));
    }
    return out;
}

std::string promise_ratings_to_json(const std::vector<PromiseRating>& ratings) {
    Json all = Json::array();
    for (const PromiseRating& r : ratings) {
        all.push_back(Json{{"promise", r.promise},
                           {"by", promise_rater_name(r.by)},
                           {"score", r.score},
                           {"at", r.at.to_string()},
                           {"note", r.note}});
    }
    return all.dump();
}

std::string promise_progress_to_json(const std::vector<PromiseProgress>& progress) {
    Json all = Json::array();
    for (const PromiseProgress& row : progress)
        all.push_back(progress_json(row));
    return all.dump();
}

std::string promise_board_to_json(const PromiseBoard& board) {
    Json rows = Json::array();
    for (const PromiseProgress& row : board.rows)
        rows.push_back(progress_json(row));
    return Json{{"title", board.title},
                {"month", board.month},
                {"place", board.place},
                {"kept", board.kept},
                {"late", board.late},
                {"overdue", board.overdue},
                {"open", board.open},
                {"citizen_mean", optional_number(board.citizen_mean)},
                {"team_mean", optional_number(board.team_mean)},
                {"rows", std::move(rows)}}
        .dump();
}

std::string promise_board_html(const PromiseBoard& board) {
    using d::html_escape;
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
    h += html_escape(board.title);
    h += "</title>\n<style>\nbody{font-family:sans-serif;margin:2em}\n"
         "table{border-collapse:collapse}\nth,td{border:1px solid #999;padding:.3em .6em}\n"
         "tr.overdue td{background:#fde2e2}\ntd.num{text-align:right}\n</style>\n</head>\n"
         "<body>\n<h1>";
    h += html_escape(board.title);
    h += "</h1>\n<table class=\"promises\">\n<thead><tr><th>序号</th><th>事项</th><th>承诺内容"
         "</th><th>承诺时限</th><th>办理情况</th><th>群众评分</th><th>团队自评</th></tr>"
         "</thead>\n<tbody>\n";
    std::size_t n = 0;
    for (const PromiseProgress& row : board.rows) {
        h += row.state == PromiseState::overdue ? "<tr class=\"overdue\">" : "<tr>";
        h += "<td class=\"num\">" + std::to_string(++n) + "</td>";
        h += "<td>" + html_escape(row.promise.case_number) + "</td>";
        h += "<td>" + html_escape(row.promise.what) + "</td>";
        h += "<td>" + row.promise.by.to_string() + "</td>";
        h += "<td class=\"state-" + std::string(promise_state_name(row.state)) + "\">" +
             state_label_zh(row.state) + "</td>";
        h += "<td class=\"num\">" + shown_score(row.citizen_score) + "</td>";
        h += "<td class=\"num\">" + shown_score(row.team_score) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n<p class=\"summary\">共 " + std::to_string(board.rows.size()) +
         " 件：按期办结 " + std::to_string(board.kept) + "，逾期办结 " +
         std::to_string(board.late) + "，办理中 " + std::to_string(board.open) + "，已逾期 " +
         std::to_string(board.overdue) + "。群众评分平均 " + shown_score(board.citizen_mean) +
         " 分，团队自评平均 " + shown_score(board.team_mean) + " 分。</p>\n</body>\n</html>\n";
    return h;
}

std::vector<HazardEntry> hazard_entries_from_json(std::string_view text,
                                                  std::string_view source_name) {
    const std::string source(source_name);
    const Json doc = d::json_array_document<Json>(text, source_name, "hazard entries");
    std::vector<HazardEntry> out;
    out.reserve(doc.size());
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const std::string where = source + " hazards[" + std::to_string(i) + "]";
        const Json& j = doc[i];
        d::json_only_members(j, where,
                             {"id", "case", "at", "person", "record", "found_by", "grade",
                              "deadline", "progress", "evidence", "note"});
        HazardEntry e;
        e.id = d::json_line(j, "id", where, true);
        e.case_number = d::json_line(j, "case", where, true);
        e.at = d::json_instant(j, "at", where);
        e.person = d::json_line(j, "person", where, true);
        e.record = d::json_line(j, "record", where, false);
        e.found_by = d::json_line(j, "found_by", where, false);
        if (const std::string grade = d::json_line(j, "grade", where, false); !grade.empty())
            e.grade = d::parse_field(where, "grade", [&] { return parse_hazard_grade(grade); });
        if (const std::string day = d::json_line(j, "deadline", where, false); !day.empty())
            e.deadline = d::parse_field(where, "deadline", [&] { return Date::parse(day); });
        if (j.contains("progress") && !j.at("progress").is_null()) {
            const std::int64_t p = d::json_int(j, "progress", where, 0);
            if (p < 0 || p > 100) {
                d::field_error(ErrorCode::invalid_argument, where, "progress",
                               std::to_string(p) + " is outside 0–100");
            }
            e.progress = static_cast<int>(p);
        }
        e.evidence = d::json_lines(j, "evidence", where);
        e.note = d::json_free_text(j, "note", where);
        out.push_back(std::move(e));
    }
    return out;
}

std::string hazard_entries_to_json(const std::vector<HazardEntry>& entries) {
    Json all = Json::array();
    for (const HazardEntry& e : entries) {
        all.push_back(Json{{"id", e.id},
                           {"case", e.case_number},
                           {"at", e.at.to_string()},
                           {"person", e.person},
                           {"record", e.record},
                           {"found_by", e.found_by},
                           {"grade", e.grade ? Json(hazard_grade_name(*e.grade)) : Json(nullptr)},
                           {"deadline", e.deadline ? Json(e.deadline->to_string()) : Json(nullptr)},
                           {"progress", e.progress ? Json(*e.progress) : Json(nullptr)},
                           {"evidence", e.evidence},
                           {"note", e.note}});
    }
    return all.dump();
}

std::string hazards_to_json(const std::vector<Hazard>& hazards) {
    Json all = Json::array();
    for (const Hazard& h : hazards) {
        all.push_back(
            Json{{"case", h.case_number},
                 {"category", h.category},
                 {"node", h.node},
                 {"case_state", h.case_state},
                 {"tier", h.tier},
                 {"record", h.record},
                 {"found_by", h.found_by},
                 {"grade", h.grade ? Json(hazard_grade_name(*h.grade)) : Json(nullptr)},
                 {"deadline", h.deadline ? Json(h.deadline->to_string()) : Json(nullptr)},
                 {"progress", h.progress},
                 {"reported_at", h.reported_at.to_string()},
                 {"closed_at", h.closed_at ? Json(h.closed_at->to_string()) : Json(nullptr)},
                 {"status", hazard_status_name(h.status)},
                 {"entries", h.entries}});
    }
    return all.dump();
}

}  // namespace gridgov
