// The light board (light_board() and its JSON and GeoJSON forms), read by the report page,
// `gridgov export grids` and the C and Python faces.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gridgov/report.hpp"
#include "report/report_impl.hpp"

namespace gridgov {

namespace {

using Json = nlohmann::ordered_json;

/// Counts of the cases matching `filter` inside the scope by the code of their node's
/// ancestor at the board's level, and the total.
struct Counts {
    std::map<std::string, std::size_t> by_code;
    std::size_t total = 0;
};

Counts counts(const CaseEngine& engine, CaseFilter filter, NodeId scope, const std::string& level,
              Instant at) {
    filter.subtree = scope;
    // Cases reported after the instant are not on the board.
    filter.reported_until = Instant{at.seconds + 1};
    Counts c;
    for (const GroupCount& g : engine.count_by(CaseGroup::node, filter, level)) {
        c.by_code[g.key] += g.count;
        c.total += g.count;
    }
    return c;
}

std::size_t at_code(const Counts& c, const std::string& code) {
    const auto it = c.by_code.find(code);
    return it == c.by_code.end() ? 0 : it->second;
}

}  // namespace

namespace detail {

Json board_row_json(const BoardRow& r) {
    return {{"code", r.code},
            {"name", mask_personal(r.name)},
            {"parent", mask_personal(r.parent)},
            {"cases", r.cases},
            {"open", r.open},
            {"green", r.green},
            {"yellow", r.yellow},
            {"red", r.red},
            {"overdue", r.overdue},
            {"closed_on_time", r.closed_on_time},
            {"closed_late", r.closed_late},
            {"voided", r.voided}};
}

}  // namespace detail

LightBoard light_board(const Workspace& ws, Instant at, const LightBoardOptions& options) {
    const Hierarchy& h = ws.hierarchy().view();
    const CaseEngine& engine = ws.cases();
    const int level = h.levels().index_of(options.level);
    if (level < 0)
        throw Error(ErrorCode::not_found, "light board: level '" + options.level +
                                              "' is not a level of the workspace's hierarchy");
    NodeId scope = no_node;
    if (!options.scope.empty()) {
        const std::optional<NodeId> n = h.find(options.scope);
        if (!n)
            throw Error(ErrorCode::not_found,
                        "light board: scope '" + options.scope + "' is not a node");
        scope = *n;
    }
    LightBoard board;
    board.at = at;
    board.level = options.level;
    board.scope = options.scope;

    std::vector<NodeId> rows;
    for (NodeId n : h.nodes_at_level(level)) {
        if (scope == no_node || n == scope || h.is_ancestor(scope, n))
            rows.push_back(n);
    }
    std::sort(rows.begin(), rows.end(),
              [&](NodeId a, NodeId b) { return h.preorder_position(a) < h.preorder_position(b); });

    CaseFilter all;
    CaseFilter pending;
    pending.kind = StateKind::pending;
    CaseFilter open;
    open.kind = StateKind::open;
    CaseFilter lit[3];
    for (int k = 0; k < 3; ++k) {
        lit[k].light = static_cast<Light>(k);
        lit[k].at = at;
    }
    CaseFilter overdue;
    overdue.overdue = true;
    overdue.at = at;
    CaseFilter on_time;
    on_time.kind = StateKind::closed;
    on_time.breached = false;
    CaseFilter late;
    late.kind = StateKind::closed;
    late.breached = true;
    CaseFilter voided;
    voided.kind = StateKind::voided;

    const std::string& lv = options.level;
    const Counts c_all = counts(engine, all, scope, lv, at);
    const Counts c_pending = counts(engine, pending, scope, lv, at);
    const Counts c_open = counts(engine, open, scope, lv, at);
    const Counts c_green = counts(engine, lit[0], scope, lv, at);
    const Counts c_yellow = counts(engine, lit[1], scope, lv, at);
    const Counts c_red = counts(engine, lit[2], scope, lv, at);
    const Counts c_overdue = counts(engine, overdue, scope, lv, at);
    const Counts c_on_time = counts(engine, on_time, scope, lv, at);
    const Counts c_late = counts(engine, late, scope, lv, at);
    const Counts c_voided = counts(engine, voided, scope, lv, at);

    for (NodeId n : rows) {
        BoardRow r;
        r.code = h.code(n);
        r.name = h.name(n);
        const NodeId parent = h.parent(n);
        r.parent = parent == no_node ? std::string() : h.name(parent);
        r.cases = at_code(c_all, r.code);
        r.open = at_code(c_pending, r.code) + at_code(c_open, r.code);
        r.green = at_code(c_green, r.code);
        r.yellow = at_code(c_yellow, r.code);
        r.red = at_code(c_red, r.code);
        r.overdue = at_code(c_overdue, r.code);
        r.closed_on_time = at_code(c_on_time, r.code);
        r.closed_late = at_code(c_late, r.code);
        r.voided = at_code(c_voided, r.code);
        board.rows.push_back(std::move(r));
    }
    BoardRow& t = board.total;
    if (scope != no_node) {
        t.code = h.code(scope);
        t.name = h.name(scope);
        const NodeId parent = h.parent(scope);
        t.parent = parent == no_node ? std::string() : h.name(parent);
    }
    t.cases = c_all.total;
    t.open = c_pending.total + c_open.total;
    t.green = c_green.total;
    t.yellow = c_yellow.total;
    t.red = c_red.total;
    t.overdue = c_overdue.total;
    t.closed_on_time = c_on_time.total;
    t.closed_late = c_late.total;
    t.voided = c_voided.total;
    return board;
}

std::string light_board_json(const LightBoard& board) {
    Json j;
    j["at"] = board.at.to_string();
    j["level"] = board.level;
    j["scope"] = board.scope;
    Json rows = Json::array();
    for (const BoardRow& r : board.rows)
        rows.push_back(detail::board_row_json(r));
    j["rows"] = std::move(rows);
    j["total"] = detail::board_row_json(board.total);
    return j.dump();
}

std::string light_board_geojson(const Workspace& ws, const LightBoard& board) {
    const Hierarchy& h = ws.hierarchy().view();
    // The latest stored score of each scheme per node code (scores come ordered by scheme,
    // subject, then period: the last one of a scheme and subject is the latest).
    std::map<std::string, Json> latest;
    for (const ScoreResult& r : ws.assessment().scores()) {
        Json k;
        k["period"] = r.period.label();
        k["total"] = r.total ? Json(*r.total) : Json(nullptr);
        k["grade"] = r.grade;
        k["rank"] = r.rank;
        k["peers"] = r.peers;
        latest[r.subject.code][r.scheme] = std::move(k);
    }
    Json features = Json::array();
    for (const BoardRow& row : board.rows) {
        Json p = detail::board_row_json(row);
        p["level"] = board.level;
        if (const auto it = latest.find(row.code); it != latest.end())
            p["scores"] = it->second;
        Json f;
        f["type"] = "Feature";
        f["properties"] = std::move(p);
        const std::optional<NodeId> id = h.find(row.code);
        const std::string& g = id ? h.geometry(*id) : std::string();
        f["geometry"] = g.empty() ? Json(nullptr) : Json::parse(g);
        features.push_back(std::move(f));
    }
    Json out;
    out["type"] = "FeatureCollection";
    out["at"] = board.at.to_string();
    out["level"] = board.level;
    out["features"] = std::move(features);
    return out.dump(2);
}

}  // namespace gridgov
