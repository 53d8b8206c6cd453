// ReportData from a workspace: the board, the summary, the stored assessment and the
// closure-rate trend (docs/report.md).
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gridgov/records.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"
#include "report/report_impl.hpp"

namespace gridgov {

namespace {

constexpr std::size_t max_trend_months = 36;

NodeId find_scope(const Hierarchy& h, const ReportOptions& options) {
    if (!options.scope.empty()) {
        const std::optional<NodeId> n = h.find(options.scope);
        if (!n)
            throw Error(ErrorCode::not_found,
                        "collect_report_data: scope '" + options.scope + "' is not a node");
        return *n;
    }
    const int county = h.levels().index_of("county");
    if (county >= 0) {
        const std::vector<NodeId> nodes = h.nodes_at_level(county);
        if (!nodes.empty()) {
            return *std::min_element(nodes.begin(), nodes.end(), [&](NodeId a, NodeId b) {
                return h.preorder_position(a) < h.preorder_position(b);
            });
        }
    }
    const IdSpan roots = h.roots();
    if (roots.size() > 0)
        return *roots.first;
    return no_node;
}

AssessmentPeriod month_of(Instant t) {
    return AssessmentPeriod::containing(PeriodKind::month, t.local_date());
}

// A roll-up of the standard preset's kind (and enumeration value); zeros when the
// workspace's schema lacks the kind, the field or the value.
std::vector<double> records_roll_up(const WorkspaceRecords& records, const char* kind,
                                    const char* field = "", const char* value = "") {
    const RecordKind* k = records.schema().find(kind);
    if (k == nullptr)
        return {};
    if (*field != '\0') {
        const FieldSpec* f = k->field(field);
        if (f == nullptr || std::find(f->values.begin(), f->values.end(), value) == f->values.end())
            return {};
    }
    return records.roll_up(kind, field, value);
}

std::size_t at_node(const std::vector<double>& values, NodeId n) {
    return n < values.size() ? static_cast<std::size_t>(values[n]) : 0;
}

// The base records and the latest field check of the board's nodes and the area.
void collect_records(const Workspace& ws, NodeId scope, ReportData& d) {
    const WorkspaceRecords& records = ws.records();
    const std::vector<CheckRates> rates = records.check_rates();
    if (records.count() == 0 && rates.empty())
        return;
    const Hierarchy& h = ws.hierarchy().view();
    const std::vector<double> residents = records_roll_up(records, "resident");
    const std::vector<double> floating =
        records_roll_up(records, "resident", "registration", "流动人口");
    const std::vector<double> households = records_roll_up(records, "household");
    const std::vector<double> houses = records_roll_up(records, "house");
    const std::vector<double> rented = records_roll_up(records, "house", "use", "出租");
    const std::vector<double> units = records_roll_up(records, "unit");
    std::map<NodeId, const CheckRates*> latest;  // months ascend in check_rates()
    for (const CheckRates& r : rates)
        latest[r.node] = &r;
    const auto row_of = [&](NodeId n) {
        RecordsRow row;
        row.code = h.code(n);
        row.name = h.name(n);
        row.residents = at_node(residents, n);
        row.floating = at_node(floating, n);
        row.households = at_node(households, n);
        row.houses = at_node(houses, n);
        row.rented = at_node(rented, n);
        row.units = at_node(units, n);
        if (const auto it = latest.find(n); it != latest.end()) {
            const CheckRates& r = *it->second;
            row.check_month = r.month;
            row.sampled = r.sampled;
            row.checked = r.checked();
            row.not_collected = r.not_collected;
            row.not_deregistered = r.not_deregistered;
            row.wrong = r.wrong;
            row.collection_rate = r.collection_rate();
            row.accuracy_rate = r.accuracy_rate();
        }
        return row;
    };
    for (const BoardRow& b : d.board) {
        if (const std::optional<NodeId> n = h.find(b.code))
            d.records.push_back(row_of(*n));
    }
    if (scope != no_node)
        d.records_total = row_of(scope);
}

}  // namespace

ReportData collect_report_data(const Workspace& ws, Instant at, const ReportOptions& options) {
    const Hierarchy& h = ws.hierarchy().view();
    const CaseEngine& engine = ws.cases();
    if (h.levels().index_of(options.board_level) < 0)
        throw Error(ErrorCode::not_found, "collect_report_data: board level '" +
                                              options.board_level +
                                              "' is not a level of the workspace's hierarchy");
    const NodeId scope = find_scope(h, options);

    ReportData d;
    d.title = options.title;
    d.generated_at = at;
    d.at = at;
    d.board_level = options.board_level;

    // ---- the board ----
    {
        LightBoardOptions board_options;
        board_options.level = options.board_level;
        board_options.scope = scope == no_node ? std::string() : h.code(scope);
        LightBoard board = light_board(ws, at, board_options);
        if (scope != no_node) {
            d.board = std::move(board.rows);
            d.board_total = std::move(board.total);
        }
    }

    // ---- the base records ----
    collect_records(ws, scope, d);

    // ---- the overlays' units ----
    const Networks networks = ws.hierarchy().networks();
    if (options.unit_boards) {
        for (const Overlay& o : networks.overlays()) {
            LightBoardOptions unit_options;
            unit_options.overlay = o.key();
            unit_options.level.clear();
            d.unit_boards.push_back(light_board(ws, at, unit_options));
        }
    }

    // ---- the summary ----
    ReportSummary& s = d.summary;
    if (scope != no_node) {
        s.area = h.name(scope);
        s.area_code = h.code(scope);
    }
    s.cases = engine.size();
    s.events = engine.last_sequence();
    const LogAnchor head = engine.head();
    s.head_sequence = head.sequence;
    s.head_hash = head.sequence == 0 ? std::string() : hash_hex(head.hash);
    if (options.verify_log)
        s.log = engine.verify_log();

    // ---- stored assessment ----
    std::optional<AssessmentPeriod> first_period, last_period;
    if (options.stored_assessment) {
        for (ScoreResult& r : ws.assessment().scores(options.scores)) {
            if (d.schemes.empty() || d.schemes.back().key != r.scheme) {
                auto it = std::find_if(d.schemes.begin(), d.schemes.end(),
                                       [&](const SchemeSection& x) { return x.key == r.scheme; });
                if (it == d.schemes.end()) {
                    SchemeSection sec;
                    sec.key = r.scheme;
                    d.schemes.push_back(std::move(sec));
                } else {
                    // Keep the section last so that the rest of its scores append to it.
                    std::rotate(it, it + 1, d.schemes.end());
                }
            }
            const Date from = r.period.dates().from;
            if (!first_period || from < first_period->dates().from)
                first_period = r.period;
            if (!last_period || last_period->dates().to < r.period.dates().to)
                last_period = r.period;
            d.schemes.back().results.push_back(std::move(r));
        }
        for (SchemeSection& sec : d.schemes) {
            sec.label = sec.key;
            std::optional<AssessmentScheme> scheme;
            for (const AssessmentScheme& given : options.schemes) {
                if (given.key() == sec.key)
                    scheme = given;
            }
            if (!scheme) {
                const std::vector<std::string> presets = AssessmentScheme::preset_keys();
                if (std::find(presets.begin(), presets.end(), sec.key) != presets.end())
                    scheme = AssessmentScheme::preset(sec.key);
            }
            if (scheme) {
                if (!scheme->label().empty())
                    sec.label = scheme->label();
                for (const GradeBand& g : scheme->grades())
                    sec.grades[g.key] = g.label;
            }
            sec.flags = ws.assessment().rule_flags(sec.key);
            if (options.scores.from || options.scores.to) {
                // Only the flags of periods inside the filtered range.
                const Date lo =
                    options.scores.from ? options.scores.from->dates().from : Date::min();
                const Date hi = options.scores.to ? options.scores.to->dates().to : Date::max();
                sec.flags.erase(std::remove_if(sec.flags.begin(), sec.flags.end(),
                                               [&](const RuleFlag& f) {
                                                   const Period p = f.period.dates();
                                                   return p.from < lo || hi < p.to;
                                               }),
                                sec.flags.end());
            }
            if (!options.scores.subject.empty()) {
                sec.flags.erase(std::remove_if(sec.flags.begin(), sec.flags.end(),
                                               [&](const RuleFlag& f) {
                                                   return f.subject != options.scores.subject;
                                               }),
                                sec.flags.end());
            }
        }
        d.draws = ws.assessment().draws();
    }

    // ---- names of the nodes and departments the page mentions ----
    const auto name_node = [&](const std::string& code) {
        if (d.names.count(code) != 0)
            return;
        if (const std::optional<NodeId> n = h.find(code)) {
            d.names[code] = h.name(*n);
        } else if (const Department* dep = engine.departments().find(code)) {
            d.names[code] = dep->name_zh.empty() ? dep->name_en : dep->name_zh;
        } else if (options.unit_boards && code.find(':') != std::string::npos) {
            try {
                const Place p = networks.place(code);
                if (!p.overlay.empty())
                    d.names[code] = networks.nodes(p.overlay).name(p.node);
            } catch (const Error&) {
                // a unit retired since it was scored: shown by its code
            }
        }
    };
    for (const SchemeSection& sec : d.schemes) {
        for (const ScoreResult& r : sec.results)
            name_node(r.subject.code);
        for (const RuleFlag& f : sec.flags)
            name_node(f.subject);
    }
    for (const StoredDraw& sd : d.draws) {
        for (const std::string& p : sd.record.picks)
            name_node(p);
    }
    for (const auto& [code, name] : options.names)
        d.names[code] = name;

    // ---- the period and the closure-rate trend ----
    CaseFilter in_scope;
    in_scope.subtree = scope;
    const CaseColumns cols = engine.columns(in_scope);
    std::optional<AssessmentPeriod> first_month, last_month;
    if (first_period) {
        first_month = AssessmentPeriod::containing(PeriodKind::month, first_period->dates().from);
        last_month =
            AssessmentPeriod::containing(PeriodKind::month, Date{last_period->dates().to.days - 1});
        s.period = first_period->label() +
                   (first_period == last_period ? std::string() : " – " + last_period->label());
    } else if (!cols.reported_at.empty()) {
        const std::int64_t first =
            *std::min_element(cols.reported_at.begin(), cols.reported_at.end());
        first_month = month_of(Instant{first});
        last_month = month_of(std::max(at, Instant{first}));
        s.period = Instant{first}.local_date().to_string() + " – " + at.local_date().to_string();
    }
    if (options.closure_trend && first_month) {
        std::vector<AssessmentPeriod> months;
        for (AssessmentPeriod m = *first_month; !(*last_month < m); m = m.next())
            months.push_back(m);
        if (months.size() > max_trend_months)
            months.erase(months.begin(), months.end() - max_trend_months);
        std::map<std::pair<int, int>, std::size_t> index;
        for (std::size_t i = 0; i < months.size(); ++i)
            index[{months[i].year, months[i].index}] = i;
        std::vector<std::size_t> closed(months.size(), 0), late(months.size(), 0);
        for (std::size_t i = 0; i < cols.id.size(); ++i) {
            if (cols.kind[i] != StateKind::closed || cols.closed_at[i] == Instant::max().seconds)
                continue;
            const AssessmentPeriod m = month_of(Instant{cols.closed_at[i]});
            const auto it = index.find({m.year, m.index});
            if (it == index.end())
                continue;
            ++closed[it->second];
            if (cols.breached[i] != 0)
                ++late[it->second];
        }
        TrendChart chart;
        chart.title =
            (s.area.empty() ? std::string() : s.area + " · ") + "按期结案率 on-time closure rate";
        chart.unit = "%";
        TrendSeries rate;
        rate.label = "按期结案率 on-time closure rate";
        for (std::size_t i = 0; i < months.size(); ++i) {
            chart.periods.push_back(months[i].label());
            rate.values.push_back(closed[i] == 0
                                      ? std::nullopt
                                      : std::optional<double>(100.0 * double(closed[i] - late[i]) /
                                                              double(closed[i])));
        }
        chart.series.push_back(std::move(rate));
        d.trends.push_back(std::move(chart));
    }
    return d;
}

ReportData collect_report_data(const WorkspaceView& view, Instant at, ReportOptions options) {
    const Workspace& ws = view.workspace();
    const RecordReader& caller = view.caller();
    if (caller.system)
        return collect_report_data(ws, at, options);
    const std::string who = "person '" + caller.person + "'";
    if (options.scope.empty()) {
        for (const std::string& place : view.scope()) {
            if (place.find(':') == std::string::npos) {
                options.scope = place;
                break;
            }
        }
        if (options.scope.empty())
            throw Error(ErrorCode::invalid_argument,
                        who +
                            " holds posts only on overlay units: name the report's area "
                            "(ReportOptions::scope)");
    }
    const std::optional<NodeId> area = ws.hierarchy().view().find(options.scope);
    if (!area)
        throw Error(ErrorCode::not_found, "report scope: no node '" + options.scope + "'");
    if (!view.covers(*area))
        throw Error(ErrorCode::permission_denied,
                    who + " holds no post covering node '" + options.scope +
                        "': a report is written of ground the caller covers");
    ReportData d = collect_report_data(ws, at, options);
    const auto uncovered = [&](const std::string& code) { return !view.covers_subject(code); };
    for (SchemeSection& section : d.schemes) {
        std::erase_if(section.results,
                      [&](const ScoreResult& r) { return uncovered(r.subject.code); });
        std::erase_if(section.flags, [&](const RuleFlag& f) { return uncovered(f.subject); });
    }
    for (LightBoard& board : d.unit_boards) {
        const std::size_t before = board.rows.size();
        std::erase_if(board.rows, [&](const BoardRow& r) { return uncovered(r.code); });
        if (board.rows.size() == before)
            continue;
        BoardRow total;
        total.code = board.total.code;
        total.name = board.total.name;
        total.parent = board.total.parent;
        for (const BoardRow& r : board.rows)
            detail::add_counts(total, r);
        board.total = total;
    }
    std::erase_if(d.unit_boards, [](const LightBoard& b) { return b.rows.empty(); });
    return d;
}

}  // namespace gridgov
