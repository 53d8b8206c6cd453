// The light board (light_board() and its JSON and GeoJSON forms), read by the report page,
// `gridgov export grids` and the C and Python faces.
#include <algorithm>
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

/// The filters of a board's columns, in the order of BoardRow's counts.
struct Filters {
    CaseFilter all, pending, open, lit[3], overdue, on_time, late, voided;

    explicit Filters(Instant at) {
        pending.kind = StateKind::pending;
        open.kind = StateKind::open;
        for (int k = 0; k < 3; ++k) {
            lit[k].light = static_cast<Light>(k);
            lit[k].at = at;
        }
        overdue.overdue = true;
        overdue.at = at;
        on_time.kind = StateKind::closed;
        on_time.breached = false;
        late.kind = StateKind::closed;
        late.breached = true;
        voided.kind = StateKind::voided;
    }
};

/// The board's ten counts of every group (by code), and of them all.
struct Columns {
    Counts all, pending, open, green, yellow, red, overdue, on_time, late, voided;

    Columns(const CaseEngine& engine, Instant at, NodeId scope, const std::string& level) {
        const Filters f(at);
        all = counts(engine, f.all, scope, level, at);
        pending = counts(engine, f.pending, scope, level, at);
        open = counts(engine, f.open, scope, level, at);
        green = counts(engine, f.lit[0], scope, level, at);
        yellow = counts(engine, f.lit[1], scope, level, at);
        red = counts(engine, f.lit[2], scope, level, at);
        overdue = counts(engine, f.overdue, scope, level, at);
        on_time = counts(engine, f.on_time, scope, level, at);
        late = counts(engine, f.late, scope, level, at);
        voided = counts(engine, f.voided, scope, level, at);
    }

    /// Adds the counts of group `code` (or, with code null, the totals) to `r`.
    void add_to(BoardRow& r, const std::string* code) const {
        const auto n = [&](const Counts& c) { return code ? at_code(c, *code) : c.total; };
        r.cases += n(all);
        r.open += n(pending) + n(open);
        r.green += n(green);
        r.yellow += n(yellow);
        r.red += n(red);
        r.overdue += n(overdue);
        r.closed_on_time += n(on_time);
        r.closed_late += n(late);
        r.voided += n(voided);
    }
};

/// The board of the units of one overlay: each base node's own counts (grouped at the
/// deepest level, where every case keeps its own node) added to the units covering it and
/// every unit above them.
LightBoard unit_board(const Workspace& ws, Instant at, const LightBoardOptions& options) {
    const Hierarchy& h = ws.hierarchy().view();
    const Networks networks = ws.hierarchy().networks();
    const Overlay* overlay = networks.find_overlay(options.overlay);
    if (overlay == nullptr) {
        throw Error(ErrorCode::not_found,
                    "light board: the workspace has no overlay '" + options.overlay + "'");
    }
    const Hierarchy& units = overlay->units();
    int level = -1;
    if (!options.level.empty()) {
        level = units.levels().index_of(options.level);
        if (level < 0) {
            throw Error(ErrorCode::not_found, "light board: level '" + options.level +
                                                  "' is not a level of overlay '" +
                                                  options.overlay + "'");
        }
    }
    NodeId scope = no_node;
    if (!options.scope.empty()) {
        try {
            scope = networks.node_in(options.overlay, options.scope);
        } catch (const Error&) {
            throw Error(ErrorCode::not_found, "light board: scope '" + options.scope +
                                                  "' is not a unit of overlay '" + options.overlay +
                                                  "'");
        }
    }
    LightBoard board;
    board.at = at;
    board.overlay = options.overlay;
    board.level = options.level;
    board.scope = options.scope;

    std::vector<BoardRow> by_unit(units.id_count());
    BoardRow covered;  // every case some unit covers
    if (h.levels().size() > 0) {
        const std::string& deepest = h.levels()[h.levels().size() - 1].key;
        const Columns columns(ws.cases(), at, no_node, deepest);
        for (const auto& [code, count] : columns.all.by_code) {
            (void)count;
            const std::optional<NodeId> node = h.find(code);
            if (!node)
                continue;  // a retired node: in no unit
            std::vector<NodeId> counted;
            for (const NodeId u : networks.covering(options.overlay, *node)) {
                for (const NodeId up : units.path_to_root(u))
                    counted.push_back(up);
            }
            std::sort(counted.begin(), counted.end());
            counted.erase(std::unique(counted.begin(), counted.end()), counted.end());
            for (const NodeId u : counted)
                columns.add_to(by_unit[u], &code);
            if (!counted.empty())
                columns.add_to(covered, &code);
        }
    }
    const auto describe = [&](NodeId u, BoardRow r) {
        r.code = networks.code(Place{options.overlay, u});
        r.name = units.name(u);
        const NodeId parent = units.parent(u);
        r.parent = parent == no_node ? std::string() : units.name(parent);
        return r;
    };
    for (const NodeId u : units.preorder()) {
        if (level >= 0 && units.level(u) != level)
            continue;
        if (scope != no_node && !units.is_ancestor(scope, u))
            continue;
        board.rows.push_back(describe(u, by_unit[u]));
    }
    board.total = scope == no_node ? covered : describe(scope, by_unit[scope]);
    return board;
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

void add_counts(BoardRow& total, const BoardRow& row) {
    total.cases += row.cases;
    total.open += row.open;
    total.green += row.green;
    total.yellow += row.yellow;
    total.red += row.red;
    total.overdue += row.overdue;
    total.closed_on_time += row.closed_on_time;
    total.closed_late += row.closed_late;
    total.voided += row.voided;
}

}  // namespace detail

LightBoard light_board(const Workspace& ws, Instant at, const LightBoardOptions& options) {
    if (!options.overlay.empty())
        return unit_board(ws, at, options);
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

    const Columns columns(engine, at, scope, options.level);
    for (NodeId n : rows) {
        BoardRow r;
        r.code = h.code(n);
        r.name = h.name(n);
        const NodeId parent = h.parent(n);
        r.parent = parent == no_node ? std::string() : h.name(parent);
        columns.add_to(r, &r.code);
        board.rows.push_back(std::move(r));
    }
    BoardRow& t = board.total;
    if (scope != no_node) {
        t.code = h.code(scope);
        t.name = h.name(scope);
        const NodeId parent = h.parent(scope);
        t.parent = parent == no_node ? std::string() : h.name(parent);
    }
    columns.add_to(t, nullptr);
    return board;
}

std::string light_board_json(const LightBoard& board) {
    Json j;
    j["at"] = board.at.to_string();
    if (!board.overlay.empty())
        j["overlay"] = board.overlay;
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
