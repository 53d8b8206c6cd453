// The workspace's duties: the catalogue and the fulfilments, written through to the file in
// one transaction each (the store: src/store/duties_store.cpp), their load step and the
// duties face.
#include <set>
#include <string>

#include "core/text.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

void Workspace::Impl::load_duties() {
    detail::DutiesStore::Loaded stored = duties_store.load();
    duty_catalogue = std::move(stored.catalogue);
    duty_fulfilments = std::move(stored.fulfilments);
}

const DutyCatalogue& WorkspaceDuties::catalogue() const {
    return impl_->duty_catalogue;
}

const std::vector<DutyFulfilment>& WorkspaceDuties::fulfilments() const {
    return impl_->duty_fulfilments;
}

void WorkspaceDuties::set_catalogue(const DutyCatalogue& catalogue) {
    Workspace::Impl& w = *impl_;
    DutyCatalogue next;
    w.write_through(detail::JournalModule::duties, "set the duty catalogue", [&] {
        for (const Finding& f : catalogue.validate(w.directory.catalogue(), w.networks())) {
            if (f.severity == Severity::error) {
                throw Error(ErrorCode::invalid_argument,
                            "duty catalogue refused: " + f.message + " [" + f.rule + "]");
            }
        }
        for (const DutyFulfilment& f : w.duty_fulfilments) {
            if (catalogue.find(f.duty) == nullptr) {
                throw Error(ErrorCode::invalid_state,
                            "duty catalogue refused: it lacks schedule \"" + f.duty +
                                "\", which recorded fulfilments name (" + f.id + ")");
            }
        }
        next = catalogue;
        w.duties_store.write_catalogue(next);
    });
    w.duty_catalogue = std::move(next);
}

void WorkspaceDuties::add_fulfilments(const std::vector<DutyFulfilment>& fulfilments) {
    Workspace::Impl& w = *impl_;
    if (fulfilments.empty())
        return;
    std::vector<DutyFulfilment> next;
    w.write_through(detail::JournalModule::duties, "record duty fulfilments", [&] {
        const Networks networks = w.networks();
        std::set<std::string, std::less<>> ids;
        for (const DutyFulfilment& f : w.duty_fulfilments)
            ids.insert(f.id);
        for (std::size_t i = 0; i < fulfilments.size(); ++i) {
            const DutyFulfilment& f = fulfilments[i];
            const std::string where = "fulfilments[" + std::to_string(i) + "]";
            const auto refuse = [&](ErrorCode code, const char* field, const std::string& why) {
                throw Error(code, where + " field '" + field + "': " + why);
            };
            if (f.id.empty())
                refuse(ErrorCode::invalid_argument, "id", "empty");
            for (const auto& [field, text] :
                 {std::pair<const char*, const std::string*>{"id", &f.id},
                  {"duty", &f.duty},
                  {"place", &f.place},
                  {"person", &f.person},
                  {"occurrence", &f.occurrence}})
                detail::check_field_text(*text, detail::TextKind::line, where, field);
            for (const std::string& e : f.evidence)
                detail::check_field_text(e, detail::TextKind::line, where, "evidence");
            detail::check_field_text(f.note, detail::TextKind::free, where, "note");
            if (!ids.insert(f.id).second)
                refuse(ErrorCode::already_exists, "id", "\"" + f.id + "\" is already recorded");
            const DutySchedule* s = w.duty_catalogue.find(f.duty);
            if (s == nullptr) {
                refuse(ErrorCode::not_found, "duty",
                       "\"" + f.duty + "\" is not a schedule of the duty catalogue");
            }
            try {
                networks.place(f.place);
            } catch (const Error& e) {
                refuse(ErrorCode::not_found, "place", e.what());
            }
            if (!w.directory.find_person(f.person)) {
                refuse(ErrorCode::not_found, "person",
                       "\"" + f.person + "\" is not a person of the directory");
            }
            if (!f.occurrence.empty() && !parse_occurrence_label(s->every, f.occurrence)) {
                refuse(ErrorCode::invalid_argument, "occurrence",
                       "\"" + f.occurrence + "\" is not a " + recurrence_name(s->every) +
                           " occurrence label (" +
                           occurrence_label(s->every, Date::parse("2026-03-15")) + ")");
            }
        }
        next = w.duty_fulfilments;
        next.insert(next.end(), fulfilments.begin(), fulfilments.end());
        w.duties_store.append_fulfilments(w.duty_fulfilments.size(), fulfilments);
    });
    w.duty_fulfilments = std::move(next);
}

std::vector<DutyOccurrence> WorkspaceDuties::occurrences(const AssessmentPeriod& period,
                                                         Instant as_of) const {
    const Workspace::Impl& w = *impl_;
    return duty_occurrences(w.duty_catalogue, w.duty_fulfilments, w.directory, w.networks(),
                            w.cases->calendar(), period, as_of);
}

}  // namespace gridgov
