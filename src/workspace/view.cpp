// WorkspaceView: the workspace as one caller sees it (workspace.hpp). Each read checks
// the caller's posts on the day under the workspace's lock (detail::CallerScope), then
// reads through the module faces and keeps what the caller covers.
#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "records/model.hpp"
#include "store/records_store.hpp"
#include "workspace/caller_scope.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {

using detail::CallerScope;
using detail::record_quote;

namespace {

/// The caller's name in messages: "person 'P0004'" or "the system".
std::string who(const RecordReader& c) {
    return c.system ? std::string("the system") : "person " + record_quote(c.person);
}

/// Whether the caller covers a post's place: a base node's ground, or an overlay unit
/// they hold a post on (or above), or one of whose grids they cover.
bool covers_post(const CallerScope& s, const Workspace::Impl& w, const Catalogue& catalogue,
                 const RosterEntry& post) {
    const std::string& overlay = catalogue.roles[post.role].overlay;
    if (overlay.empty())
        return s.covers_ground(post.node);
    const std::ptrdiff_t o = w.find_overlay(overlay);
    if (o < 0)
        return false;
    const Overlay& network = w.overlays[static_cast<std::size_t>(o)];
    if (s.covers_places({{overlay, network.units().code(post.node)}}))
        return true;
    for (const NodeId grid : network.grids_of(post.node)) {
        if (s.covers_ground(grid))
            return true;
    }
    return false;
}

/// The base node a post of `person` stands on (for the reveal check): a base post's node,
/// an overlay post's first grid; no_node when none.
NodeId post_ground(const Workspace::Impl& w, const Catalogue& catalogue, const RosterEntry& post) {
    const std::string& overlay = catalogue.roles[post.role].overlay;
    if (overlay.empty())
        return post.node;
    const std::ptrdiff_t o = w.find_overlay(overlay);
    if (o < 0)
        return no_node;
    const std::vector<NodeId>& grids = w.overlays[static_cast<std::size_t>(o)].grids_of(post.node);
    return grids.empty() ? no_node : grids.front();
}

}  // namespace

WorkspaceView::WorkspaceView(const Workspace& ws, RecordReader caller)
    : ws_(&ws), caller_(std::move(caller)) {}

WorkspaceView Workspace::acting_as(std::string person, Date on, std::string purpose,
                                   Reveal reveal) const {
    RecordReader caller =
        RecordReader::person_read(std::move(person), std::move(purpose), reveal, on);
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    const CallerScope check(*impl_, caller, "caller");
    return WorkspaceView(*this, std::move(caller));
}

WorkspaceView Workspace::as_system(std::string purpose, Reveal reveal) const {
    RecordReader caller = RecordReader::system_read(std::move(purpose), reveal);
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    const CallerScope check(*impl_, caller, "caller");
    return WorkspaceView(*this, std::move(caller));
}

std::vector<std::string> WorkspaceView::scope() const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    return CallerScope(*ws_->impl_, caller_, "caller").places();
}

bool WorkspaceView::covers(NodeId node) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    return CallerScope(*ws_->impl_, caller_, "caller").covers_ground(node);
}

// ---- cases ---------------------------------------------------------------------------

std::vector<CaseId> WorkspaceView::select_cases(const CaseFilter& filter) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const CallerScope s(*ws_->impl_, caller_, "caller");
    const CaseEngine& engine = ws_->cases();
    if (s.system())
        return engine.select(filter);
    const CaseColumns c = engine.columns(filter, {CaseField::id, CaseField::node});
    std::vector<CaseId> out;
    out.reserve(c.id.size());
    for (std::size_t i = 0; i < c.id.size(); ++i) {
        if (s.covers_ground(c.node[i]))
            out.push_back(c.id[i]);
    }
    return out;
}

CaseRecord WorkspaceView::get_case(std::string_view number) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const CallerScope s(*ws_->impl_, caller_, "caller");
    const CaseEngine& engine = ws_->cases();
    const std::optional<CaseId> id = engine.find(number);
    if (s.system() && !id)
        throw Error(ErrorCode::not_found, "no case " + record_quote(number));
    if (id) {
        CaseRecord c = engine.get(*id);
        if (s.covers_ground(c.node))
            return c;
    }
    throw Error(ErrorCode::permission_denied,
                who(caller_) + " covers no case " + record_quote(number) + " on " +
                    s.day().to_string() + " (no post over its ground)");
}

std::vector<CaseEvent> WorkspaceView::case_events(std::string_view number) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const CaseRecord c = get_case(number);
    return ws_->cases().events(c.id);
}

// ---- directory -------------------------------------------------------------------------

namespace {

/// The people the caller covers (`only`: that one person alone), shown as the caller may
/// see them; the reveals are written to the access log before they are returned.
std::vector<Person> people_shown(Workspace::Impl& w, const RecordReader& caller,
                                 const std::string* only) {
    const CallerScope s(w, caller, "caller");
    const Directory& d = w.directory;
    const Catalogue& catalogue = d.catalogue();
    std::vector<Person> out;
    std::vector<RecordAccess> revealed;
    for (PersonId id = 0; id < d.person_count(); ++id) {
        const Person& p = d.person(id);
        if (only != nullptr && p.id != *only)
            continue;
        bool covered = s.system() || p.id == caller.person;
        std::vector<NodeId> grounds;
        for (const RosterEntry& post : d.posts(p.id, s.day())) {
            if (!s.system() && !covers_post(s, w, catalogue, post))
                continue;
            covered = true;
            grounds.push_back(post_ground(w, catalogue, post));
        }
        if (!covered)
            continue;
        Person shown = p;
        std::vector<std::string> fields;
        const std::pair<const char*, std::string*> personal[] = {{"phone", &shown.phone},
                                                                 {"id_number", &shown.id_number}};
        for (const auto& entry : personal) {
            const char* field = entry.first;  // named: the reveal check takes it in a lambda
            std::string* value = entry.second;
            if (value->empty())
                continue;
            if (caller.reveal == Reveal::masked) {
                *value = std::string_view(field) == "phone" ? mask_phone(*value)
                                                            : mask_id_number(*value);
                continue;
            }
            const bool allowed =
                s.system() || std::any_of(grounds.begin(), grounds.end(), [&](NodeId at) {
                    return at != no_node && s.reveals("person", field, at, {}, true);
                });
            if (!allowed)
                throw Error(ErrorCode::permission_denied,
                            who(caller) + " may not see person." + field + " of " +
                                record_quote(p.id) +
                                " in clear: no duty of their posts over that person's posts on " +
                                s.day().to_string() + " reveals it");
            fields.emplace_back(field);
        }
        if (!fields.empty()) {
            RecordAccess e;
            e.reader = caller.person;
            e.system = caller.system;
            e.purpose = caller.purpose;
            e.read = only != nullptr ? "person" : "people";
            e.key = p.id;
            e.kind = "person";
            e.fields = std::move(fields);
            revealed.push_back(std::move(e));
        }
        out.push_back(std::move(shown));
    }
    if (only != nullptr && out.empty())
        throw Error(ErrorCode::permission_denied, who(caller) + " covers no person " +
                                                      record_quote(*only) + " on " +
                                                      s.day().to_string());
    if (!revealed.empty()) {
        // The access log first: the values leave only once their reads are written.
        Workspace::Impl::Write tx(w, "reveal people's phones and ID numbers (their access log)");
        w.records_store.append_access(revealed);
        tx.commit(detail::JournalModule::records, false);
    }
    return out;
}

}  // namespace

std::vector<Person> WorkspaceView::people() const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    return people_shown(*ws_->impl_, caller_, nullptr);
}

Person WorkspaceView::person(std::string_view id) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const std::string wanted(id);
    return people_shown(*ws_->impl_, caller_, &wanted).front();
}

// ---- records ---------------------------------------------------------------------------

std::optional<Record> WorkspaceView::record(std::string_view key, std::optional<Date> on) const {
    return ws_->records().get(caller_, key, on);
}

std::vector<Record> WorkspaceView::records(const RecordFilter& filter) const {
    return ws_->records().list(caller_, filter);
}

std::vector<Record> WorkspaceView::find_records(std::string_view field,
                                                std::string_view value) const {
    return ws_->records().find(caller_, field, value);
}

// ---- scores and pages --------------------------------------------------------------------

namespace {

/// Whether the caller covers a score subject (WorkspaceView::covers_subject), with the
/// scope already checked.
bool subject_covered(const CallerScope& s, const Workspace::Impl& w,
                     const DepartmentCatalogue& departments, std::string_view code) {
    if (s.system())
        return true;
    const Hierarchy& h = w.hierarchy;
    if (const std::optional<NodeId> node = h.find(code))
        return s.covers_ground(*node);
    if (const Department* d = departments.find(code)) {
        const std::optional<NodeId> node = h.find(d->node);
        return node && s.covers_ground(*node);
    }
    const std::size_t colon = code.find(':');
    if (colon != std::string_view::npos) {
        const std::string overlay(code.substr(0, colon));
        const std::string unit(code.substr(colon + 1));
        const std::ptrdiff_t o = w.find_overlay(overlay);
        if (o < 0)
            return false;
        const Overlay& network = w.overlays[static_cast<std::size_t>(o)];
        const std::optional<NodeId> u = network.units().find(unit);
        if (!u)
            return false;
        if (s.covers_places({{overlay, unit}}))
            return true;
        const std::vector<NodeId>& grids = network.grids_of(*u);
        return !grids.empty() && std::all_of(grids.begin(), grids.end(),
                                             [&](NodeId g) { return s.covers_ground(g); });
    }
    const Directory& d = w.directory;
    if (!d.find_person(code))
        return false;
    if (code == s.caller().person)
        return true;
    const Catalogue& catalogue = d.catalogue();
    for (const RosterEntry& post : d.posts(code, s.day())) {
        if (covers_post(s, w, catalogue, post))
            return true;
    }
    return false;
}

}  // namespace

bool WorkspaceView::covers_subject(std::string_view code) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const CallerScope s(*ws_->impl_, caller_, "caller");
    return subject_covered(s, *ws_->impl_, ws_->cases().departments(), code);
}

std::string WorkspaceView::notice_html(const AssessmentScheme& scheme,
                                       const AssessmentPeriod& period,
                                       NoticeOptions options) const {
    const std::lock_guard<std::recursive_mutex> lock(ws_->impl_->db_mutex);
    const Workspace::Impl& w = *ws_->impl_;
    const CallerScope scope(w, caller_, "caller");
    const DepartmentCatalogue& departments = ws_->cases().departments();
    const auto covered = [&](std::string_view code) {
        return subject_covered(scope, w, departments, code);
    };
    std::vector<ScoreResult> results;
    for (const ScoreResult& r : w.scores) {
        if (r.scheme == scheme.key() && r.period == period && covered(r.subject.code))
            results.push_back(r);
    }
    for (std::size_t i = 0; i < w.flags.size(); ++i) {
        if (w.flag_schemes[i] == scheme.key() && w.flags[i].period == period &&
            covered(w.flags[i].subject))
            options.flags.push_back(w.flags[i]);
    }
    if (options.period.empty())
        options.period = period.label();
    if (!options.draw) {
        for (const StoredDraw& d : w.draws) {
            if (d.label == period.label())
                options.draw = d.record;
        }
    }
    return gridgov::notice_html(scheme, results, options);
}

}  // namespace gridgov
