// Persistence of the assessment: activity records, stored scores with their explanations,
// rule flags and inspection draws (tables activity_* and assessment_* in migration 1).
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "assessment/names_impl.hpp"
#include "gridgov/indicators.hpp"
#include "store/assessment_store.hpp"

namespace gridgov::detail {

struct AssessmentStatements {
    explicit AssessmentStatements(Db& db)
        : insert_household(db.prepare(
              "INSERT INTO activity_households (id, grid, class, categories) VALUES (?1, ?2, ?3, "
              "?4)")),
          insert_visit(db.prepare("INSERT INTO activity_visits (id, household, person, kind, day) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5)")),
          insert_patrol(db.prepare("INSERT INTO activity_patrols (id, person, grid, start_at, "
                                   "end_at) VALUES (?1, ?2, ?3, ?4, ?5)")),
          insert_check(db.prepare(
              "INSERT INTO activity_collection_checks (id, grid, month, checked, not_collected, "
              "not_deregistered, erroneous) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
          insert_attendance(
              db.prepare("INSERT INTO activity_attendance (id, person, day) VALUES (?1, ?2, ?3)")),
          insert_task(db.prepare(
              "INSERT INTO activity_tasks (id, person, due, done) VALUES (?1, ?2, ?3, ?4)")),
          insert_rating(db.prepare("INSERT INTO activity_ratings (id, subject, period, points, "
                                   "rater) VALUES (?1, ?2, ?3, ?4, ?5)")),
          upsert_score(db.prepare(
              "INSERT INTO assessment_scores (scheme, subject, period, period_kind, "
              "first_day, level, area_class, total, grade, failing, rank, peers, result, "
              "explanation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
              "?14) ON CONFLICT (scheme, subject, period) DO UPDATE SET period_kind = "
              "excluded.period_kind, first_day = excluded.first_day, level = excluded.level, "
              "area_class = excluded.area_class, total = excluded.total, grade = "
              "excluded.grade, failing = excluded.failing, rank = excluded.rank, peers = "
              "excluded.peers, result = excluded.result, explanation = excluded.explanation")),
          upsert_flag(db.prepare(
              "INSERT INTO assessment_flags (scheme, rule, subject, period, label, streak, "
              "periods) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (scheme, rule, subject, "
              "period) DO UPDATE SET label = excluded.label, streak = excluded.streak, "
              "periods = excluded.periods")),
          delete_flag(db.prepare("DELETE FROM assessment_flags WHERE scheme = ?1 AND rule = ?2 "
                                 "AND subject = ?3 AND period = ?4")),
          insert_draw(db.prepare("INSERT INTO assessment_draws (position, label, algorithm, seed, "
                                 "record) VALUES (?1, ?2, ?3, ?4, ?5)")) {}

    Statement insert_household;
    Statement insert_visit;
    Statement insert_patrol;
    Statement insert_check;
    Statement insert_attendance;
    Statement insert_task;
    Statement insert_rating;
    Statement upsert_score;
    Statement upsert_flag;
    Statement delete_flag;
    Statement insert_draw;
};

std::string join_list(const std::vector<std::string>& parts, char sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out += sep;
        out += parts[i];
    }
    return out;
}

std::vector<std::string> split_list(std::string_view text, char sep) {
    std::vector<std::string> out;
    if (text.empty())
        return out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(sep, start);
        std::string part(
            text.substr(start, end == std::string_view::npos ? text.npos : end - start));
        if (!part.empty())
            out.push_back(std::move(part));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

namespace {

// Scores are kept ordered by scheme, subject code, then period (first day, then kind).
auto score_key(const ScoreResult& r) {
    return std::make_tuple(std::cref(r.scheme), std::cref(r.subject.code),
                           r.period.dates().from.days, static_cast<int>(r.period.kind));
}

auto flag_key(const std::string& scheme, const RuleFlag& f) {
    return std::make_tuple(std::cref(scheme), std::cref(f.subject), f.period.dates().from.days,
                           static_cast<int>(f.period.kind), std::cref(f.rule));
}

[[noreturn]] void damaged(const std::string& label, const std::string& what) {
    throw Error(ErrorCode::storage, label + " is damaged: " + what);
}

}  // namespace

bool score_before(const ScoreResult& a, const ScoreResult& b) {
    return score_key(a) < score_key(b);
}

bool same_score(const ScoreResult& a, const ScoreResult& b) {
    return a.scheme == b.scheme && a.subject.code == b.subject.code && a.period == b.period;
}

bool flag_before(const std::string& scheme_a, const RuleFlag& a, const std::string& scheme_b,
                 const RuleFlag& b) {
    return flag_key(scheme_a, a) < flag_key(scheme_b, b);
}

AssessmentStore::AssessmentStore(Db& db) : db_(db) {}

AssessmentStore::~AssessmentStore() = default;

AssessmentStatements& AssessmentStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<AssessmentStatements>(db_);
    return *sql_;
}

void AssessmentStore::write_activity_rows(const ActivityLog& before, const ActivityLog& after) {
    auto& sql = statements();
    for (std::size_t i = before.households().size(); i < after.households().size(); ++i) {
        const Household& h = after.households()[i];
        sql.insert_household.bind(1, h.id)
            .bind(2, h.grid)
            .bind(3, household_class_name(h.cls))
            .bind(4, join_list(h.categories, ';'))
            .run();
    }
    for (std::size_t i = before.visits().size(); i < after.visits().size(); ++i) {
        const Visit& v = after.visits()[i];
        sql.insert_visit.bind(1, v.id)
            .bind(2, v.household)
            .bind(3, v.person)
            .bind(4, visit_kind_name(v.kind))
            .bind(5, static_cast<std::int64_t>(v.date.days))
            .run();
    }
    for (std::size_t i = before.patrols().size(); i < after.patrols().size(); ++i) {
        const Patrol& p = after.patrols()[i];
        sql.insert_patrol.bind(1, p.id)
            .bind(2, p.person)
            .bind(3, p.grid)
            .bind(4, p.start.seconds)
            .bind(5, p.end.seconds)
            .run();
    }
    for (std::size_t i = before.collection_checks().size(); i < after.collection_checks().size();
         ++i) {
        const CollectionCheck& c = after.collection_checks()[i];
        sql.insert_check.bind(1, c.id)
            .bind(2, c.grid)
            .bind(3, c.month.label())
            .bind(4, c.checked)
            .bind(5, c.not_collected)
            .bind(6, c.not_deregistered)
            .bind(7, c.erroneous)
            .run();
    }
    for (std::size_t i = before.attendance().size(); i < after.attendance().size(); ++i) {
        const Attendance& a = after.attendance()[i];
        sql.insert_attendance.bind(1, a.id)
            .bind(2, a.person)
            .bind(3, static_cast<std::int64_t>(a.date.days))
            .run();
    }
    for (std::size_t i = before.tasks().size(); i < after.tasks().size(); ++i) {
        const SpecialTask& t = after.tasks()[i];
        sql.insert_task.bind(1, t.id)
            .bind(2, t.person)
            .bind(3, static_cast<std::int64_t>(t.due.days));
        if (t.done)
            sql.insert_task.bind(4, static_cast<std::int64_t>(t.done->days));
        else
            sql.insert_task.bind_null(4);
        sql.insert_task.run();
    }
    for (std::size_t i = before.ratings().size(); i < after.ratings().size(); ++i) {
        const ManualRating& r = after.ratings()[i];
        sql.insert_rating.bind(1, r.id)
            .bind(2, r.subject)
            .bind(3, r.period.label())
            .bind(4, r.points)
            .bind(5, r.rater)
            .run();
    }
}

AssessmentStore::Loaded AssessmentStore::load() {
    Db& db = db_;
    const std::string label = db.label();
    ActivityLog log;
    try {
        {
            Statement st = db.prepare(
                "SELECT id, grid, class, categories FROM activity_households ORDER BY rowid");
            while (st.step()) {
                Household h;
                h.id = st.text(0);
                h.grid = st.text(1);
                h.cls = detail::find_enum(detail::household_class_names, st.text(2))
                            .value_or(HouseholdClass::ordinary);
                h.categories = split_list(st.text(3), ';');
                log.add(h);
            }
        }
        {
            Statement st = db.prepare(
                "SELECT id, household, person, kind, day FROM activity_visits ORDER BY rowid");
            while (st.step()) {
                Visit v;
                v.id = st.text(0);
                v.household = st.text(1);
                v.person = st.text(2);
                v.kind = detail::find_enum(detail::visit_kind_names, st.text(3))
                             .value_or(VisitKind::home);
                v.date = Date{static_cast<std::int32_t>(st.int64(4))};
                log.add(v);
            }
        }
        {
            Statement st = db.prepare(
                "SELECT id, person, grid, start_at, end_at FROM activity_patrols ORDER BY rowid");
            while (st.step()) {
                Patrol p;
                p.id = st.text(0);
                p.person = st.text(1);
                p.grid = st.text(2);
                p.start = Instant{st.int64(3)};
                p.end = Instant{st.int64(4)};
                log.add(p);
            }
        }
        {
            Statement st = db.prepare(
                "SELECT id, grid, month, checked, not_collected, "
                "not_deregistered, erroneous FROM activity_collection_checks "
                "ORDER BY rowid");
            while (st.step()) {
                CollectionCheck c;
                c.id = st.text(0);
                c.grid = st.text(1);
                c.month = AssessmentPeriod::parse(st.text(2));
                c.checked = st.int64(3);
                c.not_collected = st.int64(4);
                c.not_deregistered = st.int64(5);
                c.erroneous = st.int64(6);
                log.add(c);
            }
        }
        {
            Statement st =
                db.prepare("SELECT id, person, day FROM activity_attendance ORDER BY rowid");
            while (st.step()) {
                Attendance a;
                a.id = st.text(0);
                a.person = st.text(1);
                a.date = Date{static_cast<std::int32_t>(st.int64(2))};
                log.add(a);
            }
        }
        {
            Statement st =
                db.prepare("SELECT id, person, due, done FROM activity_tasks ORDER BY rowid");
            while (st.step()) {
                SpecialTask t;
                t.id = st.text(0);
                t.person = st.text(1);
                t.due = Date{static_cast<std::int32_t>(st.int64(2))};
                if (!st.is_null(3))
                    t.done = Date{static_cast<std::int32_t>(st.int64(3))};
                log.add(t);
            }
        }
        {
            Statement st = db.prepare(
                "SELECT id, subject, period, points, rater FROM activity_ratings ORDER BY rowid");
            while (st.step()) {
                ManualRating r;
                r.id = st.text(0);
                r.subject = st.text(1);
                r.period = AssessmentPeriod::parse(st.text(2));
                r.points = st.real(3);
                r.rater = st.text(4);
                log.add(r);
            }
        }
    } catch (const Error& e) {
        if (e.code() == ErrorCode::storage)
            throw;
        damaged(label, std::string("activity records: ") + e.what());
    }

    std::vector<ScoreResult> stored;
    {
        Statement st = db.prepare("SELECT scheme, subject, period, result FROM assessment_scores");
        while (st.step()) {
            try {
                stored.push_back(score_from_json(st.text(3)));
            } catch (const Error& e) {
                damaged(label, "score " + st.text(0) + "/" + st.text(1) + "/" + st.text(2) + ": " +
                                   e.what());
            }
        }
    }
    std::sort(stored.begin(), stored.end(),
              [](const ScoreResult& a, const ScoreResult& b) { return score_before(a, b); });

    std::vector<std::pair<std::string, RuleFlag>> stored_flags;
    {
        Statement st = db.prepare(
            "SELECT scheme, rule, subject, period, label, streak, periods FROM assessment_flags");
        while (st.step()) {
            RuleFlag f;
            f.rule = st.text(1);
            f.subject = st.text(2);
            try {
                f.period = AssessmentPeriod::parse(st.text(3));
            } catch (const Error& e) {
                damaged(label, "rule flag " + st.text(0) + "/" + f.rule + ": " + e.what());
            }
            f.label = st.text(4);
            f.streak = st.int32(5);
            f.periods = split_list(st.text(6), ' ');
            stored_flags.emplace_back(st.text(0), std::move(f));
        }
    }
    std::sort(stored_flags.begin(), stored_flags.end(), [](const auto& a, const auto& b) {
        return flag_before(a.first, a.second, b.first, b.second);
    });

    std::vector<StoredDraw> stored_draws;
    {
        Statement st = db.prepare("SELECT label, record FROM assessment_draws ORDER BY position");
        while (st.step()) {
            StoredDraw d;
            d.label = st.text(0);
            try {
                d.record = draw_from_json(st.text(1));
            } catch (const Error& e) {
                damaged(label, "draw '" + d.label + "': " + e.what());
            }
            // A record that no longer re-runs to its picks (edited, or a damaged spec) is
            // kept and reported as unverified rather than hidden.
            try {
                d.verified = verify_draw(d.record);
            } catch (const Error&) {
                d.verified = false;
            }
            stored_draws.push_back(std::move(d));
        }
    }

    Loaded out;
    out.activities = std::move(log);
    out.scores = std::move(stored);
    for (auto& [scheme, flag] : stored_flags) {
        out.flag_schemes.push_back(scheme);
        out.flags.push_back(std::move(flag));
    }
    out.draws = std::move(stored_draws);
    return out;
}

void AssessmentStore::write_scores(const std::vector<ScoreResult>& results) {
    Statement& st = statements().upsert_score;
    for (const ScoreResult& r : results) {
        const std::string json = score_to_json(r);
        const std::string explanation = explanation_to_json(explain(r));
        st.bind(1, r.scheme)
            .bind(2, r.subject.code)
            .bind(3, r.period.label())
            .bind(4, period_kind_name(r.period.kind))
            .bind(5, static_cast<std::int64_t>(r.period.dates().from.days))
            .bind(6, r.subject.level)
            .bind(7, r.subject.area_class);
        if (r.total)
            st.bind(8, *r.total);
        else
            st.bind_null(8);
        st.bind(9, r.grade)
            .bind(10, r.failing ? 1 : 0)
            .bind(11, r.rank)
            .bind(12, static_cast<std::int64_t>(r.peers))
            .bind(13, json)
            .bind(14, explanation)
            .run();
    }
}

void AssessmentStore::write_flag(const std::string& scheme, const RuleFlag& f) {
    statements()
        .upsert_flag.bind(1, scheme)
        .bind(2, f.rule)
        .bind(3, f.subject)
        .bind(4, f.period.label())
        .bind(5, f.label)
        .bind(6, f.streak)
        .bind(7, join_list(f.periods, ' '))
        .run();
}

void AssessmentStore::delete_flag(const std::string& scheme, const RuleFlag& f) {
    statements()
        .delete_flag.bind(1, scheme)
        .bind(2, f.rule)
        .bind(3, f.subject)
        .bind(4, f.period.label())
        .run();
}

void AssessmentStore::write_draw(std::size_t position, const std::string& label,
                                 const DrawRecord& record) {
    statements()
        .insert_draw.bind(1, static_cast<std::int64_t>(position))
        .bind(2, label)
        .bind(3, record.algorithm)
        .bind(4, std::to_string(record.spec.seed))
        .bind(5, draw_to_json(record))
        .run();
}

}  // namespace gridgov::detail
