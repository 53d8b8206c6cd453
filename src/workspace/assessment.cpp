// The assessment face of a workspace: activity records and their CSV import, stored scores
// and rule flags, inspection draws, the public notice of stored scores, and assessing the
// workspace's own data. What is stored goes through the assessment's store
// (src/store/assessment_store.cpp).
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/indicators.hpp"
#include "gridgov/workspace.hpp"
#include "io/csv.hpp"
#include "io/enum_names.hpp"
#include "io/files.hpp"
#include "store/assessment_store.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {
namespace {

using detail::join_list;
using detail::same_score;
using detail::split_list;

// ---- the activity CSV formats -----------------------------------------------------------

const std::vector<std::string>& table_columns(ActivityTable table) {
    static const std::map<ActivityTable, std::vector<std::string>> columns{
        {ActivityTable::households, {"id", "grid", "class", "categories"}},
        {ActivityTable::visits, {"id", "household", "person", "kind", "date"}},
        {ActivityTable::patrols, {"id", "person", "grid", "start", "end"}},
        {ActivityTable::collection,
         {"id", "grid", "month", "checked", "not_collected", "not_deregistered", "erroneous"}},
        {ActivityTable::attendance, {"id", "person", "date"}},
        {ActivityTable::tasks, {"id", "person", "due", "done"}},
        {ActivityTable::ratings, {"id", "subject", "period", "points", "rater"}},
    };
    return columns.at(table);
}

// The tables of records first, in the order messages list them.
constexpr detail::EnumName<ActivityTable> activity_table_names[] = {
    {ActivityTable::households, "households"}, {ActivityTable::visits, "visits"},
    {ActivityTable::patrols, "patrols"},       {ActivityTable::collection, "collection"},
    {ActivityTable::attendance, "attendance"}, {ActivityTable::tasks, "tasks"},
    {ActivityTable::ratings, "ratings"},       {ActivityTable::automatic, "automatic"},
};

constexpr ActivityTable all_tables[] = {ActivityTable::households, ActivityTable::visits,
                                        ActivityTable::patrols,    ActivityTable::collection,
                                        ActivityTable::attendance, ActivityTable::tasks,
                                        ActivityTable::ratings};

ActivityTable table_from_name(const std::string& source) {
    const std::string stem = std::filesystem::path(source).stem().string();
    for (ActivityTable t : all_tables) {
        const std::string name = activity_table_name(t);
        if (stem == name || (stem.size() > name.size() &&
                             stem.compare(stem.size() - name.size(), name.size(), name) == 0 &&
                             stem[stem.size() - name.size() - 1] == '_'))
            return t;
    }
    throw Error(ErrorCode::invalid_argument,
                "cannot tell the table of " + source +
                    " from its name (households, visits, patrols, collection, attendance, tasks "
                    "or ratings, optionally after a prefix and '_'): name the table");
}

// One CSV row with its cells by column name.
class Row {
  public:
    Row(const std::string& source, std::size_t line, const std::vector<std::string>& cells,
        const std::map<std::string, std::size_t>& index)
        : source_(source), line_(line), cells_(cells), index_(index) {}

    std::string at(std::string_view field) const {
        return "file " + source_ + ", row " + std::to_string(line_) + ", field " +
               std::string(field);
    }
    std::string where() const { return "file " + source_ + ", row " + std::to_string(line_); }

    [[noreturn]] void fail(ErrorCode code, std::string_view field, const std::string& what) const {
        throw Error(code, at(field) + ": " + what);
    }

    const std::string& text(const std::string& field, bool required = true) const {
        static const std::string empty;
        const std::size_t i = index_.at(field);
        const std::string& v = i < cells_.size() ? cells_[i] : empty;
        if (required && v.empty())
            fail(ErrorCode::invalid_argument, field, "is empty");
        return v;
    }

    Date date(const std::string& field) const { return parsed<Date>(field, "a date YYYY-MM-DD"); }

    Instant instant(const std::string& field) const {
        return parsed<Instant>(field,
                               "a time YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH] (China "
                               "Standard Time without an offset)");
    }

    AssessmentPeriod period(const std::string& field) const {
        return parsed<AssessmentPeriod>(field, "a period (2026-03, 2026-Q1, 2026-H1, 2026)");
    }

    // `parse` of the field's text; its error is rethrown naming the field.
    template <class F>
    auto parsed_with(const std::string& field, F&& parse) const {
        const std::string& v = text(field);
        try {
            return parse(v);
        } catch (const Error& e) {
            fail(ErrorCode::invalid_argument, field, e.what());
        }
    }

    // T::parse() of the field, or an error naming the field and what it should be.
    template <class T>
    T parsed(const std::string& field, const char* expected) const {
        const std::string& v = text(field);
        try {
            return T::parse(v);
        } catch (const Error&) {
            fail(ErrorCode::invalid_argument, field, "'" + v + "' is not " + expected);
        }
    }

    double number(const std::string& field) const {
        const std::string& v = text(field);
        std::optional<double> n = detail::parse_number(v);
        if (!n)
            fail(ErrorCode::invalid_argument, field, "'" + v + "' is not a number");
        return *n;
    }

    std::int64_t count(const std::string& field) const {
        const double n = number(field);
        if (n < 0 || n != static_cast<double>(static_cast<std::int64_t>(n)))
            fail(ErrorCode::invalid_argument, field,
                 "'" + text(field) + "' is not a whole number of at least 0");
        return static_cast<std::int64_t>(n);
    }

  private:
    const std::string& source_;
    std::size_t line_;
    const std::vector<std::string>& cells_;
    const std::map<std::string, std::size_t>& index_;
};

// What activity records may name: the nodes of the workspace's hierarchy (retired ones
// too: records are history) and the people of its directory.
struct ActivityRefs {
    const Hierarchy& hierarchy;
    const Directory& directory;

    bool node(const std::string& code) const {
        if (hierarchy.find(code))
            return true;
        for (NodeId n = 0; n < hierarchy.id_count(); ++n) {
            if (hierarchy.code(n) == code)
                return true;
        }
        return false;
    }
    bool person(const std::string& id) const { return directory.find_person(id).has_value(); }
};

// The field and the problem of the first reference of a record to nothing; the household of
// a visit is the log's own check.
using BadReference = std::optional<std::pair<const char*, std::string>>;

BadReference no_grid(const ActivityRefs& refs, const std::string& grid) {
    if (refs.node(grid))
        return std::nullopt;
    return std::make_pair("grid", "no node with code '" + grid + "' in the workspace's hierarchy");
}
BadReference no_person(const ActivityRefs& refs, const std::string& person) {
    if (refs.person(person))
        return std::nullopt;
    return std::make_pair("person", "no person '" + person + "' in the workspace's directory");
}
BadReference unknown_reference(const ActivityRefs& refs, const Household& h) {
    return no_grid(refs, h.grid);
}
BadReference unknown_reference(const ActivityRefs& refs, const Visit& v) {
    return no_person(refs, v.person);
}
BadReference unknown_reference(const ActivityRefs& refs, const Patrol& p) {
    if (auto bad = no_person(refs, p.person))
        return bad;
    return no_grid(refs, p.grid);
}
BadReference unknown_reference(const ActivityRefs& refs, const CollectionCheck& c) {
    return no_grid(refs, c.grid);
}
BadReference unknown_reference(const ActivityRefs& refs, const Attendance& a) {
    return no_person(refs, a.person);
}
BadReference unknown_reference(const ActivityRefs& refs, const SpecialTask& t) {
    return no_person(refs, t.person);
}
BadReference unknown_reference(const ActivityRefs& refs, const ManualRating& r) {
    if (refs.person(r.subject) || refs.node(r.subject))
        return std::nullopt;
    return std::make_pair("subject", "'" + r.subject +
                                         "' is neither a person of the workspace's directory "
                                         "nor a node of its hierarchy");
}

// Parses one row of `table` and adds it to `log`; errors name the file, row and field.
void add_row(ActivityLog& log, ActivityTable table, const Row& row, const ActivityRefs& refs) {
    const auto refuse_unknown = [&](const auto& record) {
        if (const BadReference bad = unknown_reference(refs, record))
            row.fail(ErrorCode::not_found, bad->first, bad->second);
    };
    const std::string& id = row.text("id");
    if (log.contains(id))
        row.fail(ErrorCode::already_exists, "id", "id '" + id + "' is already used by a record");
    try {
        switch (table) {
            case ActivityTable::households: {
                Household h;
                h.id = id;
                h.grid = row.text("grid");
                h.cls = row.parsed_with(
                    "class", [&](const std::string& text) { return parse_household_class(text); });
                h.categories = split_list(row.text("categories", false), ';');
                refuse_unknown(h);
                log.add(h);
                break;
            }
            case ActivityTable::visits: {
                Visit v;
                v.id = id;
                v.household = row.text("household");
                // An unknown household is refused by ActivityLog::add, named with the
                // field; the row is prefixed below.
                v.person = row.text("person");
                v.kind = row.parsed_with(
                    "kind", [&](const std::string& text) { return parse_visit_kind(text); });
                v.date = row.date("date");
                refuse_unknown(v);
                log.add(v);
                break;
            }
            case ActivityTable::patrols: {
                Patrol p;
                p.id = id;
                p.person = row.text("person");
                p.grid = row.text("grid");
                p.start = row.instant("start");
                p.end = row.instant("end");
                if (p.end < p.start)
                    row.fail(ErrorCode::invalid_argument, "end",
                             p.end.to_string() + " is before start " + p.start.to_string());
                refuse_unknown(p);
                log.add(p);
                break;
            }
            case ActivityTable::collection: {
                CollectionCheck c;
                c.id = id;
                c.grid = row.text("grid");
                c.month = row.period("month");
                if (c.month.kind != PeriodKind::month)
                    row.fail(ErrorCode::invalid_argument, "month",
                             "'" + row.text("month") + "' is not a month YYYY-MM");
                c.checked = row.count("checked");
                c.not_collected = row.count("not_collected");
                c.not_deregistered = row.count("not_deregistered");
                c.erroneous = row.count("erroneous");
                if (c.not_collected > c.checked)
                    row.fail(ErrorCode::invalid_argument, "not_collected",
                             "more than the " + std::to_string(c.checked) + " checked");
                refuse_unknown(c);
                log.add(c);
                break;
            }
            case ActivityTable::attendance: {
                Attendance a;
                a.id = id;
                a.person = row.text("person");
                a.date = row.date("date");
                refuse_unknown(a);
                log.add(a);
                break;
            }
            case ActivityTable::tasks: {
                SpecialTask t;
                t.id = id;
                t.person = row.text("person");
                t.due = row.date("due");
                if (!row.text("done", false).empty())
                    t.done = row.date("done");
                refuse_unknown(t);
                log.add(t);
                break;
            }
            case ActivityTable::ratings: {
                ManualRating r;
                r.id = id;
                r.subject = row.text("subject");
                r.period = row.period("period");
                r.points = row.number("points");
                r.rater = row.text("rater", false);
                refuse_unknown(r);
                log.add(r);
                break;
            }
            case ActivityTable::automatic:
                throw Error(ErrorCode::internal, "activity table not resolved");
        }
    } catch (const Error& e) {
        // Messages that already name the file pass through; the log's own refusals get
        // the row prefixed.
        if (std::string_view(e.what()).rfind("file ", 0) == 0)
            throw;
        throw Error(e.code(), row.where() + ": " + e.what());
    }
}

struct Cancelled {};

void require_id(const std::string& id, const char* what) {
    if (id.empty())
        throw Error(ErrorCode::invalid_argument, std::string(what) + ": field id is empty");
}

}  // namespace

// ---- names ----------------------------------------------------------------------------

const char* activity_table_name(ActivityTable table) noexcept {
    return detail::enum_name(activity_table_names, table, "automatic");
}

ActivityTable parse_activity_table(std::string_view text) {
    return detail::parse_enum(activity_table_names, text, "activity table");
}

// ---- activity records ---------------------------------------------------------------------

const ActivityLog& WorkspaceAssessment::activities() const {
    return impl_->activities;
}

ActivityImportReport WorkspaceAssessment::import_file(const std::string& file, ActivityTable table,
                                                      const ProgressFn& progress) {
    impl_->require_writable("import " + file);
    if (table == ActivityTable::automatic)
        table = table_from_name(file);
    return import_text(detail::read_file(file), table, file, progress);
}

ActivityImportReport WorkspaceAssessment::import_text(const std::string& text, ActivityTable table,
                                                      const std::string& source_name,
                                                      const ProgressFn& progress) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "import " + source_name);
    if (table == ActivityTable::automatic)
        table = table_from_name(source_name);
    const std::vector<detail::CsvRecord> records =
        detail::read_csv(text, detail::CsvSource{source_name});
    if (records.empty()) {
        throw Error(ErrorCode::parse_error, "file " + source_name + ": no header row (expected " +
                                                join_list(table_columns(table), ',') + ")");
    }
    // Columns by name; every column of the format must be present, in any order.
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < records[0].cells.size(); ++i)
        index.emplace(records[0].cells[i], i);
    for (const std::string& col : table_columns(table)) {
        if (!index.count(col)) {
            throw Error(ErrorCode::parse_error, "file " + source_name + ", row " +
                                                    std::to_string(records[0].line) + ", field " +
                                                    col + ": column missing from the header (the " +
                                                    activity_table_name(table) + " format is " +
                                                    join_list(table_columns(table), ',') + ")");
        }
    }

    ActivityLog next = w.activities;
    const ActivityRefs refs{w.hierarchy, w.directory};
    const std::size_t total = records.size() - 1;
    for (std::size_t i = 1; i < records.size(); ++i) {
        add_row(next, table, Row(source_name, records[i].line, records[i].cells, index), refs);
    }

    std::size_t done = 0;
    const auto ask = [&] {
        if (progress && !progress(done, total))
            throw Cancelled{};
    };
    try {
        ask();
        w.assessment_store.write_activity_rows(w.activities, next);
        done = total;
        ask();
        tx.commit(detail::JournalModule::assessment);
    } catch (const Cancelled&) {
        return ActivityImportReport{table, 0};
    }
    w.activities = std::move(next);
    return ActivityImportReport{table, total};
}

namespace {

template <class Record>
void add_one(Workspace::Impl& w, const Record& record, const char* what) {
    Workspace::Impl::Write tx(w, std::string("add ") + what + " " + record.id);
    require_id(record.id, what);
    if (const BadReference bad =
            unknown_reference(ActivityRefs{w.hierarchy, w.directory}, record)) {
        throw Error(ErrorCode::not_found, std::string(what) + " '" + record.id + "': field " +
                                              bad->first + ": " + bad->second);
    }
    ActivityLog next = w.activities;
    next.add(record);
    w.assessment_store.write_activity_rows(w.activities, next);
    tx.commit(detail::JournalModule::assessment);
    w.activities = std::move(next);
}

}  // namespace

void WorkspaceAssessment::add_household(const Household& household) {
    add_one(*impl_, household, "household");
}
void WorkspaceAssessment::add_visit(const Visit& visit) {
    add_one(*impl_, visit, "visit");
}
void WorkspaceAssessment::add_patrol(const Patrol& patrol) {
    add_one(*impl_, patrol, "patrol");
}
void WorkspaceAssessment::add_collection_check(const CollectionCheck& check) {
    add_one(*impl_, check, "collection check");
}
void WorkspaceAssessment::add_attendance(const Attendance& attendance) {
    add_one(*impl_, attendance, "attendance");
}
void WorkspaceAssessment::add_special_task(const SpecialTask& task) {
    add_one(*impl_, task, "special task");
}
void WorkspaceAssessment::add_manual_rating(const ManualRating& rating) {
    add_one(*impl_, rating, "rating");
}

// ---- scores and flags ---------------------------------------------------------------------

void WorkspaceAssessment::store_scores(const std::vector<ScoreResult>& results) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "store scores");
    for (std::size_t i = 0; i < results.size(); ++i) {
        const ScoreResult& r = results[i];
        if (r.scheme.empty() || r.subject.code.empty()) {
            throw Error(ErrorCode::invalid_argument,
                        "score " + std::to_string(i) + ": field " +
                            (r.scheme.empty() ? "scheme" : "subject.code") + " is empty");
        }
        for (std::size_t k = 0; k < i; ++k) {
            if (same_score(results[k], r)) {
                throw Error(ErrorCode::invalid_argument,
                            "scores " + std::to_string(k) + " and " + std::to_string(i) +
                                " are both of scheme " + r.scheme + ", subject " + r.subject.code +
                                ", period " + r.period.label());
            }
        }
    }
    std::vector<ScoreResult> next;
    next.reserve(w.scores.size() + results.size());
    for (const ScoreResult& old : w.scores) {
        if (std::none_of(results.begin(), results.end(),
                         [&](const ScoreResult& r) { return same_score(r, old); }))
            next.push_back(old);
    }
    next.insert(next.end(), results.begin(), results.end());
    std::stable_sort(next.begin(), next.end(), [](const ScoreResult& a, const ScoreResult& b) {
        return detail::score_before(a, b);
    });
    w.assessment_store.write_scores(results);
    tx.commit(detail::JournalModule::assessment);
    w.scores = std::move(next);
}

std::vector<ScoreResult> WorkspaceAssessment::scores(const ScoreFilter& filter) const {
    std::vector<ScoreResult> out;
    const std::optional<Date> from =
        filter.from ? std::optional<Date>(filter.from->dates().from) : std::nullopt;
    const std::optional<Date> to =
        filter.to ? std::optional<Date>(filter.to->dates().to) : std::nullopt;
    for (const ScoreResult& r : impl_->scores) {
        if (!filter.scheme.empty() && r.scheme != filter.scheme)
            continue;
        if (!filter.subject.empty() && r.subject.code != filter.subject)
            continue;
        const Period p = r.period.dates();
        if ((from && p.from < *from) || (to && p.to > *to))
            continue;
        out.push_back(r);
    }
    return out;
}

namespace {

using FlagPredicate = std::function<bool(const std::string& scheme, const RuleFlag& flag)>;

/// Stores `flags` of `scheme` in one transaction: every stored flag for which `replaced`
/// is true is dropped first, and a stored flag of the same scheme, rule, subject and
/// period as one of `flags` is replaced.
void write_flags(Workspace::Impl& w, const std::string& scheme, const std::vector<RuleFlag>& flags,
                 const FlagPredicate& replaced) {
    Workspace::Impl::Write tx(w, "store rule flags");
    if (scheme.empty())
        throw Error(ErrorCode::invalid_argument, "rule flags: the scheme key is empty");
    for (std::size_t i = 0; i < flags.size(); ++i) {
        if (flags[i].rule.empty() || flags[i].subject.empty()) {
            throw Error(ErrorCode::invalid_argument,
                        "rule flag " + std::to_string(i) + ": field " +
                            (flags[i].rule.empty() ? "rule" : "subject") + " is empty");
        }
    }
    std::vector<std::pair<std::string, RuleFlag>> next;
    std::vector<std::pair<std::string, RuleFlag>> dropped;
    const auto same = [&](const std::string& s, const RuleFlag& a, const RuleFlag& b) {
        return s == scheme && a.rule == b.rule && a.subject == b.subject && a.period == b.period;
    };
    for (std::size_t i = 0; i < w.flags.size(); ++i) {
        if (replaced && replaced(w.flag_schemes[i], w.flags[i]))
            dropped.emplace_back(w.flag_schemes[i], w.flags[i]);
        else if (std::none_of(flags.begin(), flags.end(), [&](const RuleFlag& f) {
                     return same(w.flag_schemes[i], w.flags[i], f);
                 }))
            next.emplace_back(w.flag_schemes[i], w.flags[i]);
    }
    for (const RuleFlag& f : flags) {
        auto it = std::find_if(next.begin(), next.end(),
                               [&](const auto& e) { return same(e.first, e.second, f); });
        if (it != next.end())
            it->second = f;  // the later of two equal flags in one call wins, as in the file
        else
            next.emplace_back(scheme, f);
    }
    std::stable_sort(next.begin(), next.end(), [](const auto& a, const auto& b) {
        return detail::flag_before(a.first, a.second, b.first, b.second);
    });
    std::vector<RuleFlag> next_flags;
    std::vector<std::string> next_schemes;
    next_flags.reserve(next.size());
    next_schemes.reserve(next.size());
    for (auto& [s, f] : next) {
        next_schemes.push_back(s);
        next_flags.push_back(std::move(f));
    }
    for (const auto& [s, f] : dropped)
        w.assessment_store.delete_flag(s, f);
    for (const RuleFlag& f : flags)
        w.assessment_store.write_flag(scheme, f);
    tx.commit(detail::JournalModule::assessment);
    w.flags = std::move(next_flags);
    w.flag_schemes = std::move(next_schemes);
}

}  // namespace

void WorkspaceAssessment::store_rule_flags(const std::string& scheme,
                                           const std::vector<RuleFlag>& flags) {
    write_flags(*impl_, scheme, flags, {});
}

std::vector<RuleFlag> WorkspaceAssessment::rule_flags(const std::string& scheme,
                                                      const std::string& subject) const {
    std::vector<RuleFlag> out;
    for (std::size_t i = 0; i < impl_->flags.size(); ++i) {
        if (!scheme.empty() && impl_->flag_schemes[i] != scheme)
            continue;
        if (!subject.empty() && impl_->flags[i].subject != subject)
            continue;
        out.push_back(impl_->flags[i]);
    }
    return out;
}

// ---- draws ----------------------------------------------------------------------------------

void WorkspaceAssessment::record_draw(const std::string& label, const DrawRecord& record) {
    Workspace::Impl& w = *impl_;
    Workspace::Impl::Write tx(w, "record draw " + label);
    if (label.empty())
        throw Error(ErrorCode::invalid_argument, "draw: field label is empty");
    for (const StoredDraw& d : w.draws) {
        if (d.label == label)
            throw Error(ErrorCode::already_exists, "draw '" + label +
                                                       "' is already recorded in workspace " +
                                                       w.db.path() + " (draws are never replaced)");
    }
    bool verified = false;
    try {
        verified = verify_draw(record);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_argument,
                    "draw '" + label + "': its spec cannot be drawn: " + e.what());
    }
    if (!verified) {
        throw Error(ErrorCode::invalid_argument,
                    "draw '" + label + "': field picks: re-running the draw (seed " +
                        std::to_string(record.spec.seed) + ") does not give the recorded picks");
    }
    StoredDraw stored{label, record, true};
    w.draws.reserve(w.draws.size() + 1);
    w.assessment_store.write_draw(w.draws.size(), label, record);
    tx.commit(detail::JournalModule::assessment);
    w.draws.push_back(std::move(stored));
}

const std::vector<StoredDraw>& WorkspaceAssessment::draws() const {
    return impl_->draws;
}

// ---- notice ---------------------------------------------------------------------------------

std::string WorkspaceAssessment::notice_html(const AssessmentScheme& scheme,
                                             const AssessmentPeriod& period,
                                             NoticeOptions options) const {
    std::vector<ScoreResult> results;
    for (const ScoreResult& r : impl_->scores) {
        if (r.scheme == scheme.key() && r.period == period)
            results.push_back(r);
    }
    for (std::size_t i = 0; i < impl_->flags.size(); ++i) {
        if (impl_->flag_schemes[i] == scheme.key() && impl_->flags[i].period == period)
            options.flags.push_back(impl_->flags[i]);
    }
    if (options.period.empty())
        options.period = period.label();
    if (!options.draw) {
        for (const StoredDraw& d : impl_->draws) {
            if (d.label == period.label())
                options.draw = d.record;
        }
    }
    std::string html = gridgov::notice_html(scheme, results, options);
    return html;
}

void WorkspaceAssessment::export_notice(const std::string& file, const AssessmentScheme& scheme,
                                        const AssessmentPeriod& period,
                                        const NoticeOptions& options) const {
    detail::write_file_atomically(file, notice_html(scheme, period, options));
}

// ---- assessing a workspace --------------------------------------------------------------

namespace {

SubjectSelection selection_of(const Networks& networks, const WorkspaceAssessOptions& o) {
    const Hierarchy& h = networks.base();
    const int kinds = (o.level ? 1 : 0) + (o.departments ? 1 : 0) + (o.grid_workers ? 1 : 0) +
                      (o.units.empty() ? 0 : 1) + (o.subjects.empty() ? 0 : 1);
    if (kinds != 1) {
        throw Error(ErrorCode::invalid_argument,
                    std::string("assess: choose the subjects with exactly one of level, "
                                "departments, grid_workers, units or subjects (") +
                        (kinds == 0 ? "none" : std::to_string(kinds)) + " given)");
    }
    if (!o.unit_level.empty() && o.units.empty())
        throw Error(ErrorCode::invalid_argument, "assess: unit_level chooses among units only");
    if (!o.roles.empty() && !o.grid_workers)
        throw Error(ErrorCode::invalid_argument, "assess: roles choose among grid_workers only");
    const auto known_level = [&](const std::string& level, const char* what) {
        if (h.levels().index_of(level) < 0)
            throw Error(ErrorCode::invalid_argument,
                        std::string("assess: ") + what + " \"" + level + "\" is not a level");
    };
    if (o.level) {
        if (!o.level->empty())
            known_level(*o.level, "level");
        return SubjectSelection::every_node(*o.level);
    }
    if (o.departments)
        return SubjectSelection::every_department();
    if (o.grid_workers) {
        const std::string level = o.worker_level.empty() ? "grid" : o.worker_level;
        known_level(level, "worker_level");
        return SubjectSelection::every_grid_worker(level, o.roles);
    }
    if (!o.units.empty()) {
        const Overlay* overlay = networks.find_overlay(o.units);
        if (overlay == nullptr)
            throw Error(ErrorCode::not_found, "assess: units: no overlay \"" + o.units + "\"");
        if (!o.unit_level.empty() && overlay->units().levels().index_of(o.unit_level) < 0) {
            throw Error(ErrorCode::invalid_argument, "assess: unit_level \"" + o.unit_level +
                                                         "\" is not a level of overlay " + o.units);
        }
        return SubjectSelection::every_unit(o.units, o.unit_level);
    }
    std::vector<IndicatorSubject> subjects;
    subjects.reserve(o.subjects.size());
    for (const std::string& code : o.subjects) {
        Place place;
        try {
            place = networks.place(code);
        } catch (const Error&) {
            throw Error(ErrorCode::not_found,
                        "assess: subject \"" + code + "\" is not a node or an overlay unit");
        }
        subjects.push_back(place.overlay.empty() ? IndicatorSubject::node(code)
                                                 : IndicatorSubject::unit(code));
    }
    return SubjectSelection::of(std::move(subjects));
}

/// Items (inspections, promises, hazards) filed under every subject code they may count
/// for, so that each subject's values are computed from its own items — a superset that the
/// value functions filter again — instead of from every item of the workspace.
class SubjectIndex {
  public:
    SubjectIndex(const Networks& networks, const std::vector<Overlay>& overlays)
        : networks_(networks), overlays_(overlays) {}

    /// Files item `i` under `code` itself.
    void add_code(std::size_t i, const std::string& code) { items_[code].push_back(i); }
    /// Files item `i` under `code` and, for a node or unit place, every place above it.
    void add_place(std::size_t i, const std::string& code) {
        for (const std::string& c : above(code))
            items_[c].push_back(i);
    }
    /// Files item `i` under the base node `code`, the nodes above it, and the overlay units
    /// covering it with the units above them.
    void add_base(std::size_t i, const std::string& code) {
        add_place(i, code);
        const std::optional<NodeId> n = networks_.base().find(code);
        if (!n)
            return;
        for (const Overlay& o : overlays_) {
            for (const NodeId u : networks_.covering(o.key(), *n))
                add_place(i, networks_.code(Place{o.key(), u}));
        }
    }
    /// The items filed under `code`, each once, in the order of `all`.
    template <class T>
    std::vector<T> pick(const std::vector<T>& all, const std::string& code) const {
        std::vector<T> out;
        const auto it = items_.find(code);
        if (it == items_.end())
            return out;
        std::vector<std::size_t> ids = it->second;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        out.reserve(ids.size());
        for (const std::size_t i : ids)
            out.push_back(all[i]);
        return out;
    }

  private:
    const std::vector<std::string>& above(const std::string& code) {
        auto it = above_.find(code);
        if (it != above_.end())
            return it->second;
        std::vector<std::string> codes{code};
        try {
            const Place p = networks_.place(code);
            for (const NodeId n : networks_.nodes(p.overlay).path_to_root(p.node)) {
                std::string c = networks_.code(Place{p.overlay, n});
                if (c != code)
                    codes.push_back(std::move(c));
            }
        } catch (const Error&) {
            // Not a place: a department, a person, a record or a team stands for itself.
        }
        return above_.emplace(code, std::move(codes)).first->second;
    }

    const Networks& networks_;
    const std::vector<Overlay>& overlays_;
    std::unordered_map<std::string, std::vector<std::size_t>> items_;
    std::unordered_map<std::string, std::vector<std::string>> above_;
};

AssessmentRun compute(const Workspace::Impl& w, const AssessmentScheme& scheme,
                      const AssessmentPeriod& period, const WorkspaceAssessOptions& options) {
    const SubjectSelection selection = selection_of(w.networks(), options);
    AssessOptions run_options;
    ScoreFilter filter;
    filter.scheme = scheme.key();
    run_options.history = w.assessment_face.scores(filter);
    // A stored score of this very period is the one being computed again: leave it out.
    std::erase_if(run_options.history, [&](const ScoreResult& r) { return r.period == period; });
    run_options.extra = options.extra;
    run_options.default_area_class = options.default_area_class;
    run_options.activity = &w.activities;
    run_options.calendar = &w.cases->calendar();
    run_options.directory = &w.directory;
    // A scheme that reads duty indicators gets each subject's from the workspace's duties:
    // a person's occurrences, a node's or a unit's subtree; departments owe none.
    const bool reads_duties =
        std::any_of(scheme.indicators().begin(), scheme.indicators().end(),
                    [](const IndicatorSpec& s) { return s.key.rfind("duty_", 0) == 0; });
    std::vector<DutyOccurrence> occurrences;
    std::unordered_map<std::string, std::vector<std::size_t>> by_subject;
    const bool duties_ready = reads_duties && !w.duty_catalogue.schedules.empty();
    if (duties_ready) {
        const Instant as_of = options.duties_at.value_or(Instant::from_local(period.dates().to, 0));
        const Networks networks = w.networks();
        occurrences = duty_occurrences(w.duty_catalogue, w.duty_fulfilments, w.directory, networks,
                                       w.cases->calendar(), period, as_of);
        // Every subject's occurrences at once, as duty_occurrences_of() picks them: under
        // the person who owes each, and under its place and every place above it.
        for (std::size_t i = 0; i < occurrences.size(); ++i) {
            const DutyOccurrence& o = occurrences[i];
            if (!o.person.empty())
                by_subject[o.person].push_back(i);
            const Place place = networks.place(o.place);
            for (const NodeId n : networks.nodes(place.overlay).path_to_root(place.node))
                by_subject[networks.code(Place{place.overlay, n})].push_back(i);
        }
    }
    // A scheme that reads inspection, promise or hazard indicators gets each subject's from
    // the workspace's oversight: promises and hazards read at the end of the period.
    const auto reads = [&](const char* prefix) {
        return std::any_of(scheme.indicators().begin(), scheme.indicators().end(),
                           [&](const IndicatorSpec& s) { return s.key.rfind(prefix, 0) == 0; });
    };
    const bool reads_inspections = reads("inspection");
    const bool reads_promises = reads("promise");
    const bool reads_hazards = reads("hazard");
    std::vector<PromiseProgress> progress;
    if (reads_promises) {
        progress = promise_progress(w.promises, w.promise_ratings, *w.cases, period.last_instant());
    }
    std::vector<Hazard> hazards;
    if (reads_hazards) {
        hazards = hazards_of(w.hazard_entries, *w.cases, w.hierarchy, period.last_instant());
    }
    const Networks networks = w.networks();
    // Each item of the period under the subjects it may count for.
    const Period dates = period.dates();
    SubjectIndex inspected(networks, w.overlays), promised(networks, w.overlays),
        found(networks, w.overlays);
    if (reads_inspections) {
        for (std::size_t i = 0; i < w.inspections.size(); ++i) {
            const Inspection& in = w.inspections[i];
            if (!dates.contains(in.at.local_date()))
                continue;
            inspected.add_place(i, in.subject);
            for (const InspectionFinding& f : in.findings)
                inspected.add_place(i, f.charged_to.empty() ? in.subject : f.charged_to);
        }
    }
    for (std::size_t i = 0; i < progress.size(); ++i) {
        const Promise& p = progress[i].promise;
        if (!dates.contains(p.at.local_date()))
            continue;
        promised.add_base(i, p.place);
        if (!p.team.empty())
            promised.add_code(i, p.team);
    }
    for (std::size_t i = 0; i < hazards.size(); ++i) {
        const Hazard& h = hazards[i];
        if (!dates.contains(h.reported_at.local_date()))
            continue;
        found.add_base(i, h.node);
        if (!h.record.empty())
            found.add_code(i, h.record);
    }
    if (duties_ready || reads_inspections || reads_promises || reads_hazards) {
        run_options.more = [&](const AssessmentSubject& subject, IndicatorValues& values) {
            if (duties_ready && subject.level != "department") {
                std::vector<DutyOccurrence> mine;
                if (const auto it = by_subject.find(subject.code); it != by_subject.end()) {
                    for (const std::size_t i : it->second)
                        mine.push_back(occurrences[i]);
                }
                for (auto& [key, value] : duty_values(mine))
                    values[key] = std::move(value);
            }
            const std::string& code = subject.code;
            if (reads_inspections) {
                for (auto& [key, value] :
                     inspection_values(inspected.pick(w.inspections, code), code, networks, period))
                    values[key] = std::move(value);
            }
            if (reads_promises) {
                for (auto& [key, value] :
                     promise_values(promised.pick(progress, code), code, networks, period))
                    values[key] = std::move(value);
            }
            if (reads_hazards) {
                for (auto& [key, value] :
                     hazard_values(found.pick(hazards, code), code, networks, period))
                    values[key] = std::move(value);
            }
        };
    }
    return gridgov::assess(*w.cases, w.hierarchy, scheme, period, selection, run_options);
}

}  // namespace

AssessmentRun WorkspaceAssessment::assess(const AssessmentScheme& scheme,
                                          const AssessmentPeriod& period,
                                          const WorkspaceAssessOptions& options) const {
    if (options.store) {
        throw Error(ErrorCode::invalid_argument,
                    "assess: storing the scores needs a workspace that may be changed");
    }
    return compute(*impl_, scheme, period, options);
}

AssessmentRun WorkspaceAssessment::assess(const AssessmentScheme& scheme,
                                          const AssessmentPeriod& period,
                                          const WorkspaceAssessOptions& options) {
    if (options.store)
        impl_->require_writable("store assessment scores");
    AssessmentRun run = compute(*impl_, scheme, period, options);
    if (options.store) {
        store_scores(run.scores);
        // The run's flags stand for the period of every subject it scored: a flag stored
        // by an earlier assessment of the period that this one no longer raises goes.
        std::set<std::string> subjects;
        for (const ScoreResult& r : run.scores)
            subjects.insert(r.subject.code);
        const std::string key = scheme.key();
        write_flags(*impl_, key, run.flags, [&](const std::string& s, const RuleFlag& f) {
            return s == key && f.period == period && subjects.count(f.subject) > 0;
        });
    }
    return run;
}

}  // namespace gridgov
