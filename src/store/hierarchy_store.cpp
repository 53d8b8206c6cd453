// Persistence of the hierarchy and the overlays: the rows each change writes, and the
// rebuild of the in-memory model from them on open.
//
// The file keeps the history entry by entry and, for every add entry, the node with the
// spec it was created from. Hierarchy::from_history() rebuilds the hierarchy from that
// with the same ids and the same history, checking every entry as the original change
// was checked, so a damaged or hand-edited file is refused instead of loaded differently.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/hierarchy_store.hpp"

namespace gridgov {
namespace detail {

struct HierarchyStatements {
    explicit HierarchyStatements(Db& db)
        : delete_levels(db.prepare("DELETE FROM hierarchy_levels")),
          insert_level(db.prepare(
              "INSERT INTO hierarchy_levels (position, key, name_zh, name_en, code_digits) "
              "VALUES (?1, ?2, ?3, ?4, ?5)")),
          insert_node(
              db.prepare("INSERT INTO hierarchy_nodes (id, code, parent_code, name, level, kind, "
                         "area_type, area_class, households, population, area_m2, geometry) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")),
          insert_attribute(
              db.prepare("INSERT INTO hierarchy_node_attributes (node, position, name, value) "
                         "VALUES (?1, ?2, ?3, ?4)")),
          insert_change(db.prepare(
              "INSERT INTO hierarchy_changes (seq, effective, kind, node, target, text, value) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
          insert_change_node(db.prepare(
              "INSERT INTO hierarchy_change_nodes (seq, position, node) VALUES (?1, ?2, ?3)")),
          insert_overlay(
              db.prepare("INSERT INTO overlays (key, position, name) VALUES (?1, ?2, ?3)")),
          insert_overlay_level(
              db.prepare("INSERT INTO overlay_levels (overlay, position, key, name_zh, name_en, "
                         "code_digits) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
          insert_unit(
              db.prepare("INSERT INTO overlay_units (overlay, id, code, parent_code, name, level) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")),
          insert_unit_grid(
              db.prepare("INSERT INTO overlay_unit_grids (overlay, unit, position, grid) "
                         "VALUES (?1, ?2, ?3, ?4)")) {}

    Statement delete_levels;
    Statement insert_level;
    Statement insert_node;
    Statement insert_attribute;
    Statement insert_change;
    Statement insert_change_node;
    Statement insert_overlay;
    Statement insert_overlay_level;
    Statement insert_unit;
    Statement insert_unit_grid;
};

namespace {

std::int64_t as_int(std::size_t v) {
    return static_cast<std::int64_t>(v);
}
std::int64_t as_int(NodeId v) {
    return static_cast<std::int64_t>(v);
}

template <class Enum, std::size_t N>
std::optional<Enum> enum_from_name(std::string_view name, const char* (*to_name)(Enum) noexcept) {
    for (std::size_t i = 0; i < N; ++i) {
        const auto e = static_cast<Enum>(i);
        if (name == to_name(e))
            return e;
    }
    return std::nullopt;
}

void bind_node(Statement& st, int index, NodeId id) {
    if (id == no_node) {
        st.bind_null(index);
    } else {
        st.bind(index, as_int(id));
    }
}

struct StoredUnit {
    OverlayUnitSpec spec;  // grid_codes are filled when the base hierarchy is known
    std::vector<NodeId> grids;
};

struct StoredOverlay {
    std::string key;
    std::string name;
    std::vector<Level> levels;
    std::vector<StoredUnit> units;
};

}  // namespace

HierarchyStore::HierarchyStore(Db& db) : db_(db) {}

HierarchyStore::~HierarchyStore() = default;

HierarchyStatements& HierarchyStore::statements() {
    if (!sql_)
        sql_ = std::make_unique<HierarchyStatements>(db_);
    return *sql_;
}

void HierarchyStore::write_level_scheme(const LevelScheme& levels) {
    auto& sql = statements();
    sql.delete_levels.run();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const Level& l = levels[i];
        sql.insert_level.bind(1, detail::as_int(i))
            .bind(2, l.key)
            .bind(3, l.name_zh)
            .bind(4, l.name_en)
            .bind(5, l.code_digits)
            .run();
    }
}

void HierarchyStore::write_rows(const Hierarchy& next, std::size_t first_change,
                                const std::function<void()>& on_node) {
    auto& sql = statements();
    const auto& history = next.history();

    // Nodes first: the change rows refer to them.
    for (std::size_t i = first_change; i < history.size(); ++i) {
        const HierarchyChange& c = history[i];
        if (c.kind != ChangeKind::add)
            continue;
        const NodeSpec& s = c.spec;
        sql.insert_node.bind(1, detail::as_int(c.node))
            .bind(2, s.code)
            .bind(3, s.parent_code)
            .bind(4, s.name)
            .bind(5, s.level)
            .bind(6, grid_kind_name(s.kind))
            .bind(7, area_type_name(s.area_type))
            .bind(8, s.area_class)
            .bind(9, s.households)
            .bind(10, s.population)
            .bind(11, s.area_m2)
            .bind(12, s.geometry)
            .run();
        for (std::size_t k = 0; k < s.attributes.size(); ++k) {
            sql.insert_attribute.bind(1, detail::as_int(c.node))
                .bind(2, detail::as_int(k))
                .bind(3, s.attributes[k].first)
                .bind(4, s.attributes[k].second)
                .run();
        }
        if (on_node)
            on_node();
    }

    for (std::size_t i = first_change; i < history.size(); ++i) {
        const HierarchyChange& c = history[i];
        const auto seq = static_cast<std::int64_t>(c.seq);
        sql.insert_change.bind(1, seq).bind(2, c.effective.days).bind(3, change_kind_name(c.kind));
        detail::bind_node(sql.insert_change, 4, c.node);
        detail::bind_node(sql.insert_change, 5, c.target);
        sql.insert_change.bind(6, c.text).bind(7, c.value).run();
        for (std::size_t k = 0; k < c.related.size(); ++k) {
            sql.insert_change_node.bind(1, seq)
                .bind(2, detail::as_int(k))
                .bind(3, detail::as_int(c.related[k]))
                .run();
        }
    }
}

void HierarchyStore::write_overlay(const Overlay& overlay, std::size_t position) {
    auto& sql = statements();
    sql.insert_overlay.bind(1, overlay.key())
        .bind(2, detail::as_int(position))
        .bind(3, overlay.name())
        .run();
    const LevelScheme& levels = overlay.units().levels();
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const Level& l = levels[i];
        sql.insert_overlay_level.bind(1, overlay.key())
            .bind(2, detail::as_int(i))
            .bind(3, l.key)
            .bind(4, l.name_zh)
            .bind(5, l.name_en)
            .bind(6, l.code_digits)
            .run();
    }
}

void HierarchyStore::write_overlay_units(const Overlay& overlay, NodeId first_unit,
                                         const std::function<void()>& on_unit) {
    auto& sql = statements();
    const Hierarchy& units = overlay.units();
    for (std::size_t i = first_unit; i < units.id_count(); ++i) {
        const auto id = static_cast<NodeId>(i);
        const NodeId parent = units.parent(id);
        sql.insert_unit.bind(1, overlay.key())
            .bind(2, detail::as_int(id))
            .bind(3, units.code(id))
            .bind(4, parent == no_node ? std::string() : units.code(parent))
            .bind(5, units.name(id))
            .bind(6, units.levels()[static_cast<std::size_t>(units.level(id))].key)
            .run();
        const std::vector<NodeId>& grids = overlay.grids_of(id);
        for (std::size_t k = 0; k < grids.size(); ++k) {
            sql.insert_unit_grid.bind(1, overlay.key())
                .bind(2, detail::as_int(id))
                .bind(3, detail::as_int(k))
                .bind(4, detail::as_int(grids[k]))
                .run();
        }
        if (on_unit)
            on_unit();
    }
}

HierarchyStore::Loaded HierarchyStore::load() {
    Db& db = db_;
    const auto damaged = [&](const std::string& what) {
        return Error(ErrorCode::storage, db.label() + " is damaged: " + what);
    };

    std::vector<Level> levels;
    {
        Statement st = db.prepare(
            "SELECT key, name_zh, name_en, code_digits FROM hierarchy_levels ORDER BY position");
        while (st.step())
            levels.push_back({st.text(0), st.text(1), st.text(2), st.int32(3)});
    }

    // Node specs by id; ids are dense, as the add entries assign them.
    std::vector<NodeSpec> specs;
    {
        Statement st = db.prepare(
            "SELECT id, code, parent_code, name, level, kind, area_type, area_class, "
            "households, population, area_m2, geometry FROM hierarchy_nodes ORDER BY id");
        while (st.step()) {
            if (st.int64(0) != as_int(specs.size())) {
                throw damaged("hierarchy_nodes skips from id " + std::to_string(specs.size()) +
                              " to " + std::to_string(st.int64(0)));
            }
            NodeSpec s;
            s.code = st.text(1);
            s.parent_code = st.text(2);
            s.name = st.text(3);
            s.level = st.text(4);
            const std::string kind = st.text(5);
            const std::string area = st.text(6);
            const auto k = enum_from_name<GridKind, 2>(kind, grid_kind_name);
            const auto a = enum_from_name<AreaType, 3>(area, area_type_name);
            if (!k || !a) {
                throw damaged("node " + s.code + " has kind '" + kind + "' and area type '" + area +
                              "'");
            }
            s.kind = *k;
            s.area_type = *a;
            s.area_class = st.text(7);
            s.households = st.real(8);
            s.population = st.real(9);
            s.area_m2 = st.real(10);
            s.geometry = st.text(11);
            specs.push_back(std::move(s));
        }
    }
    {
        Statement st = db.prepare(
            "SELECT node, name, value FROM hierarchy_node_attributes ORDER BY node, position");
        while (st.step()) {
            const std::int64_t node = st.int64(0);
            if (node < 0 || node >= as_int(specs.size())) {
                throw damaged("an attribute belongs to unknown node " + std::to_string(node));
            }
            specs[static_cast<std::size_t>(node)].attributes.emplace_back(st.text(1), st.real(2));
        }
    }

    std::vector<HierarchyChange> history;
    {
        Statement st = db.prepare(
            "SELECT seq, effective, kind, node, target, text, value FROM hierarchy_changes "
            "ORDER BY seq");
        while (st.step()) {
            HierarchyChange c;
            c.seq = static_cast<std::uint64_t>(st.int64(0));
            c.effective = Date{st.int32(1)};
            try {
                c.kind = parse_change_kind(st.text(2));
            } catch (const Error& e) {
                throw damaged("history entry " + std::to_string(c.seq) + ": " + e.what());
            }
            c.node = st.is_null(3) ? no_node : static_cast<NodeId>(st.int64(3));
            c.target = st.is_null(4) ? no_node : static_cast<NodeId>(st.int64(4));
            c.text = st.text(5);
            c.value = st.real(6);
            if (c.kind == ChangeKind::add) {
                if (c.node >= specs.size()) {
                    throw damaged("history entry " + std::to_string(c.seq) +
                                  " adds a node that hierarchy_nodes does not hold");
                }
                c.spec = specs[c.node];
            }
            history.push_back(std::move(c));
        }
    }
    {
        // Both lists are in seq order, so the related nodes attach in one pass.
        Statement st =
            db.prepare("SELECT seq, node FROM hierarchy_change_nodes ORDER BY seq, position");
        std::size_t at = 0;
        while (st.step()) {
            const auto seq = static_cast<std::uint64_t>(st.int64(0));
            while (at < history.size() && history[at].seq < seq)
                ++at;
            if (at == history.size() || history[at].seq != seq) {
                throw damaged("hierarchy_change_nodes names unknown history entry " +
                              std::to_string(seq));
            }
            history[at].related.push_back(static_cast<NodeId>(st.int64(1)));
        }
    }

    LevelScheme scheme =
        levels.empty() ? LevelScheme::chinese_default() : LevelScheme(std::move(levels));
    Hierarchy rebuilt = [&] {
        try {
            return Hierarchy::from_history(scheme, history);
        } catch (const Error& e) {
            throw damaged(std::string("the hierarchy history does not replay: ") + e.what());
        }
    }();
    if (rebuilt.id_count() != specs.size()) {
        throw damaged("hierarchy_nodes holds " + std::to_string(specs.size()) +
                      " nodes, the history adds " + std::to_string(rebuilt.id_count()));
    }

    // ---- overlays ----
    std::vector<StoredOverlay> stored;
    std::unordered_map<std::string, std::size_t> index;
    {
        Statement st = db.prepare("SELECT key, name FROM overlays ORDER BY position");
        while (st.step()) {
            index.emplace(st.text(0), stored.size());
            stored.push_back({st.text(0), st.text(1), {}, {}});
        }
    }
    const auto overlay_named = [&](const std::string& key) -> StoredOverlay& {
        const auto it = index.find(key);
        if (it == index.end())
            throw damaged("rows belong to unknown overlay " + key);
        return stored[it->second];
    };
    {
        Statement st = db.prepare(
            "SELECT overlay, key, name_zh, name_en, code_digits FROM overlay_levels "
            "ORDER BY overlay, position");
        while (st.step()) {
            overlay_named(st.text(0))
                .levels.push_back({st.text(1), st.text(2), st.text(3), st.int32(4)});
        }
    }
    {
        Statement st = db.prepare(
            "SELECT overlay, id, code, parent_code, name, level FROM overlay_units "
            "ORDER BY overlay, id");
        while (st.step()) {
            StoredOverlay& o = overlay_named(st.text(0));
            if (st.int64(1) != as_int(o.units.size())) {
                throw damaged("the units of overlay " + o.key + " skip id " +
                              std::to_string(o.units.size()));
            }
            StoredUnit u;
            u.spec.code = st.text(2);
            u.spec.parent_code = st.text(3);
            u.spec.name = st.text(4);
            u.spec.level = st.text(5);
            o.units.push_back(std::move(u));
        }
    }
    bool all_grids_live = true;
    {
        Statement st = db.prepare(
            "SELECT overlay, unit, grid FROM overlay_unit_grids ORDER BY overlay, unit, position");
        while (st.step()) {
            StoredOverlay& o = overlay_named(st.text(0));
            const std::int64_t unit = st.int64(1);
            const std::int64_t grid = st.int64(2);
            if (unit < 0 || unit >= as_int(o.units.size()) || grid < 0 ||
                grid >= as_int(specs.size())) {
                throw damaged("overlay " + o.key + " maps unit " + std::to_string(unit) +
                              " to node " + std::to_string(grid) + ", one of which is unknown");
            }
            o.units[static_cast<std::size_t>(unit)].grids.push_back(static_cast<NodeId>(grid));
            all_grids_live = all_grids_live && rebuilt.is_live(static_cast<NodeId>(grid));
        }
    }

    // Units resolve grid codes among live nodes. A unit mapped to a grid that has since
    // retired is rebuilt against every node ever added, all live: codes are never reused,
    // so each code still names the id it named when the unit was added.
    std::optional<Hierarchy> every_node;
    if (!all_grids_live) {
        std::vector<HierarchyChange> adds;
        for (const HierarchyChange& c : history) {
            if (c.kind == ChangeKind::add)
                adds.push_back(c);
        }
        try {
            every_node = Hierarchy::from_history(scheme, adds);
        } catch (const Error& e) {
            throw damaged(std::string("the nodes do not rebuild: ") + e.what());
        }
    }
    const Hierarchy& base = every_node ? *every_node : rebuilt;

    std::vector<Overlay> rebuilt_overlays;
    rebuilt_overlays.reserve(stored.size());
    for (StoredOverlay& o : stored) {
        try {
            Overlay overlay(o.key, o.name, LevelScheme(std::move(o.levels)));
            std::vector<OverlayUnitSpec> units;
            units.reserve(o.units.size());
            for (StoredUnit& u : o.units) {
                for (const NodeId grid : u.grids)
                    u.spec.grid_codes.push_back(base.code(grid));
                units.push_back(std::move(u.spec));
            }
            // Stored ids are in parent-first order, which add_units keeps.
            const std::vector<NodeId> ids = overlay.add_units(units, base);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                if (ids[i] != i)
                    throw damaged("unit " + units[i].code + " changes its id");
            }
            rebuilt_overlays.push_back(std::move(overlay));
        } catch (const Error& e) {
            if (e.code() == ErrorCode::storage)
                throw;
            throw damaged("overlay " + o.key + " does not rebuild: " + e.what());
        }
    }

    return Loaded{std::move(rebuilt), std::move(rebuilt_overlays)};
}

}  // namespace detail
}  // namespace gridgov
