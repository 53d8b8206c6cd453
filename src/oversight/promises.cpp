// Promises of matters (一事一诺一评价): their progress over the case engine, the indicators
// per grid and team, and the monthly public board (docs/oversight.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/html.hpp"
#include "gridgov/oversight.hpp"
#include "oversight/oversight_impl.hpp"

namespace gridgov {

bool operator==(const Promise& a, const Promise& b) {
    return a.id == b.id && a.case_number == b.case_number && a.what == b.what && a.by == b.by &&
           a.at == b.at && a.team == b.team && a.place == b.place && a.note == b.note;
}

bool operator==(const PromiseRating& a, const PromiseRating& b) {
    return a.promise == b.promise && a.by == b.by && a.score == b.score && a.at == b.at &&
           a.note == b.note;
}

const char* promise_rater_name(PromiseRater r) noexcept {
    switch (r) {
        case PromiseRater::citizen:
            return "citizen";
        case PromiseRater::team:
            return "team";
    }
    return "citizen";
}

PromiseRater parse_promise_rater(std::string_view text) {
    if (text == "citizen" || text == "群众")
        return PromiseRater::citizen;
    if (text == "team" || text == "自评")
        return PromiseRater::team;
    throw Error(ErrorCode::invalid_argument,
                "\"" + std::string(text) + "\" is not a rater (citizen, team, 群众 or 自评)");
}

const char* promise_state_name(PromiseState s) noexcept {
    switch (s) {
        case PromiseState::open:
            return "open";
        case PromiseState::overdue:
            return "overdue";
        case PromiseState::kept:
            return "kept";
        case PromiseState::late:
            return "late";
        case PromiseState::voided:
            return "voided";
    }
    return "open";
}

std::vector<PromiseProgress> promise_progress(const std::vector<Promise>& promises,
                                              const std::vector<PromiseRating>& ratings,
                                              const CaseEngine& engine, Instant as_of) {
    std::map<std::string, std::size_t, std::less<>> index;
    std::vector<PromiseProgress> out;
    out.reserve(promises.size());
    for (const Promise& p : promises) {
        if (as_of < p.at)
            continue;
        const std::optional<CaseId> id = engine.find(p.case_number);
        if (!id) {
            throw Error(ErrorCode::not_found, "promise " + p.id + ": case \"" + p.case_number +
                                                  "\" is not a case of the engine");
        }
        const CaseRecord c = engine.get(*id);
        PromiseProgress row;
        row.promise = p;
        row.category = c.category;
        row.case_state = c.state;
        const bool closed = c.closed_at && *c.closed_at <= as_of;
        if (closed) {
            row.closed_at = c.closed_at;
            if (c.kind == StateKind::voided)
                row.state = PromiseState::voided;
            else
                row.state =
                    c.closed_at->local_date() <= p.by ? PromiseState::kept : PromiseState::late;
        } else {
            row.state = as_of.local_date() > p.by ? PromiseState::overdue : PromiseState::open;
        }
        index.emplace(p.id, out.size());
        out.push_back(std::move(row));
    }
    for (const PromiseRating& r : ratings) {
        if (as_of < r.at)
            continue;
        const auto it = index.find(r.promise);
        if (it == index.end())
            continue;
        PromiseProgress& row = out[it->second];
        (r.by == PromiseRater::citizen ? row.citizen_score : row.team_score) = r.score;
    }
    return out;
}

namespace {

/// Whether a promise's listing falls under a subject: a node or unit place covers the
/// promises placed in its grids, any other code is a team.
bool listed_under(detail::SubjectCover& cover, const Promise& p) {
    return cover.is_place() ? cover.covers_base(p.place)
                            : !p.team.empty() && p.team == cover.subject();
}

/// The mean of the scores; nullopt without any.
std::optional<double> mean(const std::vector<double>& scores) {
    if (scores.empty())
        return std::nullopt;
    double sum = 0;
    for (const double s : scores)
        sum += s;
    return sum / static_cast<double>(scores.size());
}

IndicatorValue mean_of(const std::vector<double>& scores, std::vector<std::string> sources,
                       const char* what) {
    const std::optional<double> m = mean(scores);
    if (!m)
        return IndicatorValue::undefined(std::string("no promise has a ") + what + " score");
    return IndicatorValue::of(*m, std::move(sources));
}

}  // namespace

IndicatorValues promise_values(const std::vector<PromiseProgress>& progress,
                               std::string_view subject, const Networks& networks,
                               const AssessmentPeriod& period) {
    detail::SubjectCover cover(subject, networks);
    const Period dates = period.dates();
    std::vector<std::string> made, kept, late, overdue, decided, citizen_ids, team_ids;
    std::vector<double> citizen, team;
    for (const PromiseProgress& row : progress) {
        const Promise& p = row.promise;
        if (!dates.contains(p.at.local_date()) || !listed_under(cover, p))
            continue;
        made.push_back(p.id);
        switch (row.state) {
            case PromiseState::kept:
                kept.push_back(p.id);
                decided.push_back(p.id);
                break;
            case PromiseState::late:
                late.push_back(p.id);
                decided.push_back(p.id);
                break;
            case PromiseState::overdue:
                overdue.push_back(p.id);
                decided.push_back(p.id);
                break;
            case PromiseState::open:
            case PromiseState::voided:
                break;
        }
        if (row.citizen_score) {
            citizen.push_back(*row.citizen_score);
            citizen_ids.push_back(p.id);
        }
        if (row.team_score) {
            team.push_back(*row.team_score);
            team_ids.push_back(p.id);
        }
    }
    IndicatorValues out;
    const auto count = [](const std::vector<std::string>& ids) {
        return IndicatorValue::of(static_cast<double>(ids.size()), ids);
    };
    out["promises"] = count(made);
    out["promises_kept"] = count(kept);
    out["promises_late"] = count(late);
    out["promises_overdue"] = count(overdue);
    out["promise_kept_rate"] =
        rate_percent(out["promises_kept"], count(decided), "promises no longer open");
    out["promise_citizen_mean"] = mean_of(citizen, citizen_ids, "citizen");
    out["promise_team_mean"] = mean_of(team, team_ids, "team");
    return out;
}

PromiseBoard promise_board(const std::vector<PromiseProgress>& progress,
                           const AssessmentPeriod& month, std::string_view place,
                           const Networks& networks) {
    if (month.kind != PeriodKind::month) {
        throw Error(ErrorCode::invalid_argument,
                    "promise board: period \"" + month.label() + "\" is not a month");
    }
    PromiseBoard board;
    board.month = month.label();
    board.place = std::string(place);
    const Hierarchy& base = networks.base();
    std::string name;
    if (!place.empty()) {
        const std::optional<NodeId> n = base.find(place);
        if (!n) {
            throw Error(ErrorCode::not_found,
                        "promise board: place \"" + std::string(place) + "\" is not a node");
        }
        name = base.name(*n) + " ";
    }
    board.title = name + "网格服务办事进度表 " + board.month;
    const Period dates = month.dates();
    const Instant begin = Instant::from_local(dates.from, 0);
    const Instant end = Instant::from_local(dates.to, 0);
    detail::SubjectCover cover(place, networks);
    std::vector<double> citizen, team;
    for (const PromiseProgress& row : progress) {
        if (!(row.promise.at < end) || (row.closed_at && *row.closed_at < begin))
            continue;
        if (!place.empty() && !listed_under(cover, row.promise))
            continue;
        switch (row.state) {
            case PromiseState::kept:
                ++board.kept;
                break;
            case PromiseState::late:
                ++board.late;
                break;
            case PromiseState::overdue:
                ++board.overdue;
                break;
            case PromiseState::open:
                ++board.open;
                break;
            case PromiseState::voided:
                break;
        }
        if (row.citizen_score)
            citizen.push_back(*row.citizen_score);
        if (row.team_score)
            team.push_back(*row.team_score);
        board.rows.push_back(row);
    }
    board.citizen_mean = mean(citizen);
    board.team_mean = mean(team);
    return board;
}

}  // namespace gridgov
