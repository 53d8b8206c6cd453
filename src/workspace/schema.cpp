#include "workspace/schema.hpp"

namespace gridgov::detail {
namespace {

// Migration 1 is the schema of release 0.1: it creates the tables of every module that
// 0.1 ships. Until 0.1 is released, a module joins by appending its CREATE TABLE
// statements to this migration (one block per module, headed by the module's name);
// once a release has shipped, a schema change is a new migration appended to the list
// below and migration 1 is never edited again.
//
// Conventions: dates are Date day numbers (INTEGER), missing numbers are NULL, enums are
// stored by their stable English names so that the file reads well in any SQLite tool,
// and ids are the dense in-memory ids, so that rows map to the model one to one.
constexpr const char* migration_1 = R"sql(
-- ==== hierarchy ====
-- The level scheme, top down.
CREATE TABLE hierarchy_levels (
    position    INTEGER PRIMARY KEY CHECK (position >= 0),
    key         TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    code_digits INTEGER NOT NULL CHECK (code_digits >= 0)
);

-- Every node ever created, by NodeId, with the spec it was created from (the spec of
-- its add entry in hierarchy_changes).
CREATE TABLE hierarchy_nodes (
    id          INTEGER PRIMARY KEY CHECK (id >= 0),
    code        TEXT NOT NULL CHECK (code <> ''),
    parent_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('comprehensive', 'dedicated')),
    area_type   TEXT NOT NULL CHECK (area_type IN ('unspecified', 'urban', 'rural')),
    area_class  TEXT NOT NULL,
    households  REAL,
    population  REAL,
    area_m2     REAL,
    geometry    TEXT NOT NULL
);
CREATE INDEX hierarchy_nodes_code ON hierarchy_nodes (code);

-- Extra numeric columns of a node's creation spec, in the spec's order.
CREATE TABLE hierarchy_node_attributes (
    node     INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    position INTEGER NOT NULL,
    name     TEXT NOT NULL,
    value    REAL,
    PRIMARY KEY (node, position)
) WITHOUT ROWID;

-- The history: one row per HierarchyChange, seq as recorded.
CREATE TABLE hierarchy_changes (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    effective INTEGER NOT NULL,
    kind      TEXT NOT NULL
              CHECK (kind IN ('add', 'rename', 'move', 'retire', 'set_value', 'split', 'merge')),
    node      INTEGER REFERENCES hierarchy_nodes (id),
    target    INTEGER REFERENCES hierarchy_nodes (id),
    text      TEXT NOT NULL,
    value     REAL
);

-- HierarchyChange::related (split: the new parts; merge: the sources), in order.
CREATE TABLE hierarchy_change_nodes (
    seq      INTEGER NOT NULL REFERENCES hierarchy_changes (seq),
    position INTEGER NOT NULL,
    node     INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    PRIMARY KEY (seq, position)
) WITHOUT ROWID;

-- ==== overlays ====
CREATE TABLE overlays (
    key       TEXT PRIMARY KEY CHECK (key <> ''),
    position  INTEGER NOT NULL UNIQUE,
    name      TEXT NOT NULL
);

CREATE TABLE overlay_levels (
    overlay     TEXT NOT NULL REFERENCES overlays (key),
    position    INTEGER NOT NULL CHECK (position >= 0),
    key         TEXT NOT NULL CHECK (key <> ''),
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    code_digits INTEGER NOT NULL CHECK (code_digits >= 0),
    PRIMARY KEY (overlay, position),
    UNIQUE (overlay, key)
) WITHOUT ROWID;

-- Units by their NodeId inside the overlay.
CREATE TABLE overlay_units (
    overlay     TEXT NOT NULL REFERENCES overlays (key),
    id          INTEGER NOT NULL CHECK (id >= 0),
    code        TEXT NOT NULL CHECK (code <> ''),
    parent_code TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    PRIMARY KEY (overlay, id)
) WITHOUT ROWID;

-- Base grids a unit covers directly, in order.
CREATE TABLE overlay_unit_grids (
    overlay  TEXT NOT NULL,
    unit     INTEGER NOT NULL,
    position INTEGER NOT NULL,
    grid     INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    PRIMARY KEY (overlay, unit, position),
    FOREIGN KEY (overlay, unit) REFERENCES overlay_units (overlay, id)
) WITHOUT ROWID;
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{
        {1, migration_1},
    };
    return all;
}

int latest_schema_version() {
    return migrations().back().version;
}

}  // namespace gridgov::detail
