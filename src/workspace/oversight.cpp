// The workspace's oversight: inspections, promises and ratings, written through to the file
// in one transaction each (the store: src/store/oversight_store.cpp), their load step and
// the oversight face.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/text.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

void Workspace::Impl::load_oversight() {
    detail::OversightStore::Loaded stored = oversight_store.load();
    inspections = std::move(stored.inspections);
    promises = std::move(stored.promises);
    promise_ratings = std::move(stored.ratings);
    hazard_entries = std::move(stored.hazard_entries);
}

namespace {

/// Throws Error(code) "<where> field '<field>': <why>".
[[noreturn]] void refuse(ErrorCode code, const std::string& where, const std::string& field,
                         const std::string& why) {
    throw Error(code, where + " field '" + field + "': " + why);
}

/// Whether a code names something an inspection may inspect or charge: a live node or
/// overlay unit, a department, a person of the directory or a live record.
bool known_subject(Workspace::Impl& w, const Networks& networks, const std::string& code) {
    try {
        networks.place(code);
        return true;
    } catch (const Error&) {
    }
    if (w.cases->departments().find(code) != nullptr || w.directory.find_person(code))
        return true;
    const std::optional<detail::RecordHead> head = w.records_store.head(code);
    return head && head->live;
}

const char* const subject_kinds =
    "a live node or overlay unit, a department, a person or a live record";

}  // namespace

const std::vector<Inspection>& WorkspaceOversight::inspections() const {
    return impl_->inspections;
}

void WorkspaceOversight::add_inspections(const std::vector<Inspection>& inspections) {
    Workspace::Impl& w = *impl_;
    if (inspections.empty())
        return;
    std::vector<Inspection> next;
    w.write_through(detail::JournalModule::oversight, "record inspections", [&] {
        const Networks networks = w.networks();
        std::set<std::string, std::less<>> ids;
        for (const Inspection& in : w.inspections)
            ids.insert(in.id);
        for (std::size_t i = 0; i < inspections.size(); ++i) {
            const Inspection& in = inspections[i];
            const std::string where = "inspections[" + std::to_string(i) + "]";
            if (in.id.empty())
                refuse(ErrorCode::invalid_argument, where, "id", "empty");
            for (const auto& [field, text] :
                 {std::pair<const char*, const std::string*>{"id", &in.id},
                  {"draw", &in.draw},
                  {"subject", &in.subject}})
                detail::check_field_text(*text, detail::TextKind::line, where, field);
            detail::check_field_text(in.note, detail::TextKind::free, where, "note");
            if (!ids.insert(in.id).second)
                refuse(ErrorCode::already_exists, where, "id",
                       "\"" + in.id + "\" is already recorded");
            if (!in.draw.empty()) {
                const StoredDraw* draw = nullptr;
                for (const StoredDraw& d : w.draws)
                    draw = d.label == in.draw ? &d : draw;
                if (draw == nullptr)
                    refuse(ErrorCode::not_found, where, "draw",
                           "no draw is recorded under \"" + in.draw + "\"");
                const std::vector<std::string>& picks = draw->record.picks;
                if (std::find(picks.begin(), picks.end(), in.subject) == picks.end())
                    refuse(ErrorCode::not_found, where, "subject",
                           "\"" + in.subject + "\" is not a pick of draw " + in.draw);
            } else if (!known_subject(w, networks, in.subject)) {
                refuse(ErrorCode::not_found, where, "subject",
                       "\"" + in.subject + "\" is not " + subject_kinds);
            }
            if (in.inspectors.empty())
                refuse(ErrorCode::invalid_argument, where, "inspectors", "none named");
            for (const std::string& p : in.inspectors) {
                detail::check_field_text(p, detail::TextKind::line, where, "inspectors");
                if (!w.directory.find_person(p))
                    refuse(ErrorCode::not_found, where, "inspectors",
                           "\"" + p + "\" is not a person of the directory");
            }
            for (std::size_t k = 0; k < in.findings.size(); ++k) {
                const InspectionFinding& f = in.findings[k];
                const std::string at = where + ".findings[" + std::to_string(k) + "]";
                for (const auto& [field, text] :
                     {std::pair<const char*, const std::string*>{"item", &f.item},
                      {"charged_to", &f.charged_to}})
                    detail::check_field_text(*text, detail::TextKind::line, at, field);
                for (const std::string& e : f.evidence)
                    detail::check_field_text(e, detail::TextKind::line, at, "evidence");
                detail::check_field_text(f.note, detail::TextKind::free, at, "note");
                if (f.item.empty())
                    refuse(ErrorCode::invalid_argument, at, "item", "empty");
                if (!std::isfinite(f.deduction) || f.deduction < 0)
                    refuse(ErrorCode::invalid_argument, at, "deduction",
                           std::to_string(f.deduction) + " is not 0 or more");
                if (!f.charged_to.empty() && !known_subject(w, networks, f.charged_to))
                    refuse(ErrorCode::not_found, at, "charged_to",
                           "\"" + f.charged_to + "\" is not " + subject_kinds);
            }
        }
        next = w.inspections;
        next.insert(next.end(), inspections.begin(), inspections.end());
        w.oversight_store.append_inspections(w.inspections.size(), inspections);
    });
    w.inspections = std::move(next);
}

std::vector<InspectionTask> WorkspaceOversight::tasks(const std::string& label) const {
    for (const StoredDraw& d : impl_->draws) {
        if (d.label == label)
            return inspection_tasks(label, d.record, impl_->inspections);
    }
    throw Error(ErrorCode::not_found,
                "inspection tasks: no draw is recorded under \"" + label + "\"");
}

const std::vector<Promise>& WorkspaceOversight::promises() const {
    return impl_->promises;
}

void WorkspaceOversight::add_promises(const std::vector<Promise>& promises) {
    Workspace::Impl& w = *impl_;
    if (promises.empty())
        return;
    std::vector<Promise> resolved = promises;
    std::vector<Promise> next;
    w.write_through(detail::JournalModule::oversight, "record promises", [&] {
        const Hierarchy& base = w.hierarchy;
        std::set<std::string, std::less<>> ids;
        for (const Promise& p : w.promises)
            ids.insert(p.id);
        for (std::size_t i = 0; i < resolved.size(); ++i) {
            Promise& p = resolved[i];
            const std::string where = "promises[" + std::to_string(i) + "]";
            if (p.id.empty())
                refuse(ErrorCode::invalid_argument, where, "id", "empty");
            for (const auto& [field, text] :
                 {std::pair<const char*, const std::string*>{"id", &p.id},
                  {"case", &p.case_number},
                  {"what", &p.what},
                  {"team", &p.team},
                  {"place", &p.place}})
                detail::check_field_text(*text, detail::TextKind::line, where, field);
            detail::check_field_text(p.note, detail::TextKind::free, where, "note");
            if (!ids.insert(p.id).second)
                refuse(ErrorCode::already_exists, where, "id",
                       "\"" + p.id + "\" is already recorded");
            if (p.what.empty())
                refuse(ErrorCode::invalid_argument, where, "what", "empty");
            const std::optional<CaseId> id = w.cases->find(p.case_number);
            if (!id)
                refuse(ErrorCode::not_found, where, "case",
                       "\"" + p.case_number + "\" is not a case");
            const CaseRecord c = w.cases->get(*id);
            if (c.closed_at && *c.closed_at < p.at) {
                refuse(ErrorCode::invalid_argument, where, "at",
                       "promised at " + p.at.to_string() + ", after its matter " + c.number +
                           " closed at " + c.closed_at->to_string());
            }
            if (p.by < p.at.local_date()) {
                refuse(ErrorCode::invalid_argument, where, "by",
                       p.by.to_string() + " is before the day it was promised (" +
                           p.at.local_date().to_string() + ")");
            }
            if (!p.team.empty()) {
                const std::optional<detail::RecordHead> head = w.records_store.head(p.team);
                if (!head || !head->live)
                    refuse(ErrorCode::not_found, where, "team",
                           "\"" + p.team + "\" is not a live record");
            }
            if (p.place.empty()) {
                p.place = base.code(c.node);
            } else {
                const std::optional<NodeId> n = base.find(p.place);
                if (!n || !base.is_live(*n))
                    refuse(ErrorCode::not_found, where, "place",
                           "\"" + p.place + "\" is not a live node");
            }
        }
        next = w.promises;
        next.insert(next.end(), resolved.begin(), resolved.end());
        w.oversight_store.append_promises(w.promises.size(), resolved);
    });
    w.promises = std::move(next);
}

const std::vector<PromiseRating>& WorkspaceOversight::ratings() const {
    return impl_->promise_ratings;
}

void WorkspaceOversight::rate_promises(const std::vector<PromiseRating>& ratings) {
    Workspace::Impl& w = *impl_;
    if (ratings.empty())
        return;
    std::vector<PromiseRating> next;
    w.write_through(detail::JournalModule::oversight, "rate promises", [&] {
        std::map<std::string, const Promise*, std::less<>> promises;
        for (const Promise& p : w.promises)
            promises.emplace(p.id, &p);
        std::set<std::pair<std::string, PromiseRater>> rated;
        for (const PromiseRating& r : w.promise_ratings)
            rated.emplace(r.promise, r.by);
        for (std::size_t i = 0; i < ratings.size(); ++i) {
            const PromiseRating& r = ratings[i];
            const std::string where = "ratings[" + std::to_string(i) + "]";
            detail::check_field_text(r.promise, detail::TextKind::line, where, "promise");
            detail::check_field_text(r.note, detail::TextKind::free, where, "note");
            const auto it = promises.find(r.promise);
            if (it == promises.end())
                refuse(ErrorCode::not_found, where, "promise",
                       "\"" + r.promise + "\" is not a recorded promise");
            if (!std::isfinite(r.score) || r.score < 0 || r.score > 100)
                refuse(ErrorCode::invalid_argument, where, "score",
                       std::to_string(r.score) + " is outside 0–100");
            if (r.at < it->second->at)
                refuse(ErrorCode::invalid_argument, where, "at",
                       "rated at " + r.at.to_string() + ", before the promise was made (" +
                           it->second->at.to_string() + ")");
            if (!rated.emplace(r.promise, r.by).second)
                refuse(ErrorCode::already_exists, where, "by",
                       "promise " + r.promise + " already has a " + promise_rater_name(r.by) +
                           " score");
        }
        next = w.promise_ratings;
        next.insert(next.end(), ratings.begin(), ratings.end());
        w.oversight_store.append_ratings(w.promise_ratings.size(), ratings);
    });
    w.promise_ratings = std::move(next);
}

std::vector<PromiseProgress> WorkspaceOversight::progress(Instant as_of) const {
    const Workspace::Impl& w = *impl_;
    return promise_progress(w.promises, w.promise_ratings, *w.cases, as_of);
}

PromiseBoard WorkspaceOversight::board(const AssessmentPeriod& month, const std::string& place,
                                       std::optional<Instant> as_of) const {
    const Instant end = month.last_instant();
    const Instant at = as_of && *as_of < end ? *as_of : end;
    return promise_board(progress(at), month, place, impl_->networks());
}

const std::vector<HazardEntry>& WorkspaceOversight::hazard_entries() const {
    return impl_->hazard_entries;
}

void WorkspaceOversight::add_hazard_entries(const std::vector<HazardEntry>& entries) {
    Workspace::Impl& w = *impl_;
    if (entries.empty())
        return;
    std::vector<HazardEntry> next;
    w.write_through(detail::JournalModule::oversight, "record hazard entries", [&] {
        std::set<std::string, std::less<>> ids;
        for (const HazardEntry& e : w.hazard_entries)
            ids.insert(e.id);
        std::set<std::string, std::less<>> finders;
        for (const Inspection& in : w.inspections)
            finders.insert(in.id);
        for (const DutyFulfilment& f : w.duty_fulfilments)
            finders.insert(f.id);
        // The record each hazard belongs to, as the entries so far say.
        std::map<std::string, std::string, std::less<>> record_of;
        for (const HazardEntry& e : w.hazard_entries) {
            if (!e.record.empty())
                record_of[e.case_number] = e.record;
        }
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const HazardEntry& e = entries[i];
            const std::string where = "hazards[" + std::to_string(i) + "]";
            if (e.id.empty())
                refuse(ErrorCode::invalid_argument, where, "id", "empty");
            for (const auto& [field, text] :
                 {std::pair<const char*, const std::string*>{"id", &e.id},
                  {"case", &e.case_number},
                  {"person", &e.person},
                  {"record", &e.record},
                  {"found_by", &e.found_by}})
                detail::check_field_text(*text, detail::TextKind::line, where, field);
            for (const std::string& x : e.evidence)
                detail::check_field_text(x, detail::TextKind::line, where, "evidence");
            detail::check_field_text(e.note, detail::TextKind::free, where, "note");
            if (!ids.insert(e.id).second)
                refuse(ErrorCode::already_exists, where, "id",
                       "\"" + e.id + "\" is already recorded");
            const std::optional<CaseId> id = w.cases->find(e.case_number);
            if (!id)
                refuse(ErrorCode::not_found, where, "case",
                       "\"" + e.case_number + "\" is not a case");
            const CaseRecord c = w.cases->get(*id);
            if (e.at < c.reported_at) {
                refuse(ErrorCode::invalid_argument, where, "at",
                       e.at.to_string() + " is before the hazard was reported (" +
                           c.reported_at.to_string() + ")");
            }
            if (c.closed_at && *c.closed_at < e.at) {
                refuse(ErrorCode::invalid_argument, where, "at",
                       e.at.to_string() + " is after case " + c.number + " closed (" +
                           c.closed_at->to_string() + ")");
            }
            if (!w.directory.find_person(e.person))
                refuse(ErrorCode::not_found, where, "person",
                       "\"" + e.person + "\" is not a person of the directory");
            if (!e.record.empty()) {
                const std::optional<detail::RecordHead> head = w.records_store.head(e.record);
                if (!head || !head->live)
                    refuse(ErrorCode::not_found, where, "record",
                           "\"" + e.record + "\" is not a live record");
                const auto it = record_of.find(e.case_number);
                if (it != record_of.end() && it->second != e.record) {
                    refuse(ErrorCode::invalid_argument, where, "record",
                           "hazard " + e.case_number + " belongs to record " + it->second +
                               ", not " + e.record);
                }
                record_of[e.case_number] = e.record;
            }
            if (!e.found_by.empty() && finders.count(e.found_by) == 0) {
                refuse(ErrorCode::not_found, where, "found_by",
                       "\"" + e.found_by + "\" is neither an inspection nor a duty fulfilment");
            }
            if (e.deadline && *e.deadline < e.at.local_date()) {
                refuse(ErrorCode::invalid_argument, where, "deadline",
                       e.deadline->to_string() + " is before the entry's day (" +
                           e.at.local_date().to_string() + ")");
            }
            if (e.progress && (*e.progress < 0 || *e.progress > 100))
                refuse(ErrorCode::invalid_argument, where, "progress",
                       std::to_string(*e.progress) + " is outside 0–100");
        }
        next = w.hazard_entries;
        next.insert(next.end(), entries.begin(), entries.end());
        w.oversight_store.append_hazard_entries(w.hazard_entries.size(), entries);
    });
    w.hazard_entries = std::move(next);
}

std::vector<Hazard> WorkspaceOversight::hazards(Instant as_of) const {
    const Workspace::Impl& w = *impl_;
    return hazards_of(w.hazard_entries, *w.cases, w.hierarchy, as_of);
}

}  // namespace gridgov
