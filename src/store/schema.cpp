#include "store/schema.hpp"

#include <regex>

#include "store/tree_store.hpp"

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

-- ==== directory ====
-- The catalogue of duties and role types (one row; empty until one is set).
CREATE TABLE directory_catalogue (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    key    TEXT NOT NULL,
    name   TEXT NOT NULL,
    source TEXT NOT NULL
);

CREATE TABLE directory_duties (
    position INTEGER PRIMARY KEY CHECK (position >= 0),
    code     TEXT NOT NULL UNIQUE CHECK (code <> ''),
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL
);

-- Role types in catalogue order (the order responsible() tries them in).
CREATE TABLE directory_roles (
    position    INTEGER PRIMARY KEY CHECK (position >= 0),
    code        TEXT NOT NULL UNIQUE CHECK (code <> ''),
    label_zh    TEXT NOT NULL,
    label_en    TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level <> ''),
    cardinality TEXT NOT NULL CHECK (cardinality IN ('any', 'exactly_one', 'at_least_one')),
    function    TEXT NOT NULL
                CHECK (function IN ('other', 'grid_leader', 'information_officer', 'supervisor'))
);

CREATE TABLE directory_role_duties (
    role     INTEGER NOT NULL REFERENCES directory_roles (position),
    position INTEGER NOT NULL CHECK (position >= 0),
    duty     TEXT NOT NULL REFERENCES directory_duties (code),
    PRIMARY KEY (role, position)
) WITHOUT ROWID;

-- People by PersonId; ID numbers and phones are stored in clear (the file is the
-- locality's own record; exports mask them).
CREATE TABLE directory_people (
    id        INTEGER PRIMARY KEY CHECK (id >= 0),
    code      TEXT NOT NULL UNIQUE CHECK (code <> ''),
    name      TEXT NOT NULL,
    phone     TEXT NOT NULL,
    id_number TEXT NOT NULL,
    party     TEXT NOT NULL CHECK (party IN ('none', 'member', 'probationary'))
);

CREATE TABLE directory_person_categories (
    person   INTEGER NOT NULL REFERENCES directory_people (id),
    position INTEGER NOT NULL CHECK (position >= 0),
    category TEXT NOT NULL,
    PRIMARY KEY (person, position)
) WITHOUT ROWID;

CREATE TABLE directory_person_attributes (
    person   INTEGER NOT NULL REFERENCES directory_people (id),
    position INTEGER NOT NULL CHECK (position >= 0),
    name     TEXT NOT NULL CHECK (name <> ''),
    value    TEXT NOT NULL,
    PRIMARY KEY (person, position)
) WITHOUT ROWID;

-- Units in the order they were added; open period ends are Date::min()/Date::max().
CREATE TABLE directory_units (
    id       INTEGER PRIMARY KEY CHECK (id >= 0),
    code     TEXT NOT NULL UNIQUE CHECK (code <> ''),
    kind     TEXT NOT NULL
             CHECK (kind IN ('party_group', 'service_team', 'volunteer_team', 'information_archive')),
    name     TEXT NOT NULL,
    node     INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    from_day INTEGER NOT NULL,
    to_day   INTEGER NOT NULL,
    CHECK (from_day < to_day)
);

CREATE TABLE directory_unit_members (
    unit     INTEGER NOT NULL REFERENCES directory_units (id),
    position INTEGER NOT NULL CHECK (position >= 0),
    person   INTEGER NOT NULL REFERENCES directory_people (id),
    PRIMARY KEY (unit, position)
) WITHOUT ROWID;

-- Assignments by AssignmentId (1, 2, ...). The role is kept by code: a replaced
-- catalogue may reorder its roles.
CREATE TABLE directory_assignments (
    id       INTEGER PRIMARY KEY CHECK (id >= 1),
    person   INTEGER NOT NULL REFERENCES directory_people (id),
    role     TEXT NOT NULL,
    node     INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    post     TEXT NOT NULL CHECK (post IN ('A', 'B')),
    from_day INTEGER NOT NULL,
    to_day   INTEGER NOT NULL,
    CHECK (from_day < to_day)
);

-- Absences by AbsenceId; assignment NULL = every post of the person.
CREATE TABLE directory_absences (
    id         INTEGER PRIMARY KEY CHECK (id >= 1),
    person     INTEGER NOT NULL REFERENCES directory_people (id),
    kind       TEXT NOT NULL CHECK (kind IN ('leave', 'vacancy')),
    from_day   INTEGER NOT NULL,
    to_day     INTEGER NOT NULL,
    assignment INTEGER REFERENCES directory_assignments (id),
    reason     TEXT NOT NULL,
    CHECK (from_day < to_day)
);

-- ==== cases ====
-- Every workflow version cases may use, in registration order (a case refers to its
-- workflow by key and version). The document is WorkflowSpec::to_json().
CREATE TABLE case_workflows (
    position INTEGER PRIMARY KEY CHECK (position >= 0),
    key      TEXT NOT NULL CHECK (key <> ''),
    version  INTEGER NOT NULL CHECK (version >= 1),
    document TEXT NOT NULL,
    UNIQUE (key, version)
);

-- The engine's other configuration as JSON documents: 'categories', 'departments',
-- 'routing', 'defaults' (the workflow of a new case by source).
CREATE TABLE case_config (
    key      TEXT PRIMARY KEY CHECK (key IN ('categories', 'departments', 'routing', 'defaults')),
    document TEXT NOT NULL
);

-- The working calendar's inputs in the order they were given, applied to the built-in
-- holiday data on open: the schedule, extra holiday-cn year files, local overrides.
CREATE TABLE case_calendar (
    position INTEGER PRIMARY KEY CHECK (position >= 0),
    kind     TEXT NOT NULL CHECK (kind IN ('schedule', 'year', 'overrides')),
    source   TEXT NOT NULL,
    document TEXT NOT NULL
);

-- Every case as it stands, by CaseId. Instants are seconds since the epoch; flags,
-- counters and clocks are JSON (docs/cases.md). Every command rewrites its case's row, so
-- the row's checks are written as comparisons: SQLite checks `x IN (a, b, c, ...)` by
-- building a temporary table of the list for each row it writes.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY CHECK (id >= 0),
    number           TEXT NOT NULL UNIQUE CHECK (number <> ''),
    workflow         TEXT NOT NULL,
    workflow_version INTEGER NOT NULL,
    category         TEXT NOT NULL,
    node             INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    area_class       TEXT NOT NULL,
    source           TEXT NOT NULL CHECK (source = 'grid_worker' OR source = 'supervisor' OR
                                          source = 'hotline_12345' OR source = 'hotline_12319' OR
                                          source = 'app' OR source = 'video' OR
                                          source = 'referral'),
    reporter         TEXT NOT NULL,
    state            TEXT NOT NULL,
    department       TEXT NOT NULL,
    route_node       INTEGER REFERENCES hierarchy_nodes (id),
    tier             INTEGER NOT NULL CHECK (tier >= 0),
    flags            TEXT NOT NULL,
    counters         TEXT NOT NULL,
    clocks           TEXT NOT NULL,
    breached         INTEGER NOT NULL CHECK (breached IN (0, 1)),
    breaches         INTEGER NOT NULL CHECK (breaches >= 0),
    rating           TEXT CHECK (rating = 'satisfied' OR rating = 'basically_satisfied' OR
                                 rating = 'unsatisfied'),
    rating_score     INTEGER,
    reported_at      INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    closed_at        INTEGER,
    last_event       INTEGER NOT NULL,
    events           INTEGER NOT NULL
);

-- The event log: append-only, hash-chained. hash = SHA-256 of the canonical encoding of
-- the row's fields and prev_hash (docs/cases.md); prev_hash of event 1 is 32 zero bytes.
-- case_id carries no REFERENCES clause: events are appended by the engine in the same
-- transaction as their case's row, verify_log() reports an event naming no case, and a
-- foreign-key lookup per appended event would cost the log a third of its write speed.
CREATE TABLE case_events (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    case_id    INTEGER NOT NULL,
    case_seq   INTEGER NOT NULL CHECK (case_seq >= 1),
    type       TEXT NOT NULL,
    transition INTEGER NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    system     INTEGER NOT NULL CHECK (system IN (0, 1)),
    at         INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, case_seq);

-- ==== assessment ====
-- Activity records of grid work (docs/assessment.md), each kind in the order added. Ids
-- are unique across every kind (ActivityLog refuses a reused id); a visit names a
-- household of activity_households. Household categories are special-group flags
-- (personal data, masked in exports); ';'-joined.
CREATE TABLE activity_households (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    grid       TEXT NOT NULL,
    class      TEXT NOT NULL CHECK (class IN ('ordinary', 'special')),
    categories TEXT NOT NULL
);

CREATE TABLE activity_visits (
    id        TEXT PRIMARY KEY CHECK (id <> ''),
    household TEXT NOT NULL REFERENCES activity_households (id),
    person    TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('home', 'phone')),
    day       INTEGER NOT NULL
);

-- Instants are seconds since the epoch.
CREATE TABLE activity_patrols (
    id       TEXT PRIMARY KEY CHECK (id <> ''),
    person   TEXT NOT NULL,
    grid     TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at   INTEGER NOT NULL,
    CHECK (start_at <= end_at)
);

CREATE TABLE activity_collection_checks (
    id               TEXT PRIMARY KEY CHECK (id <> ''),
    grid             TEXT NOT NULL,
    month            TEXT NOT NULL,
    checked          INTEGER NOT NULL CHECK (checked >= 0),
    not_collected    INTEGER NOT NULL CHECK (not_collected >= 0 AND not_collected <= checked),
    not_deregistered INTEGER NOT NULL CHECK (not_deregistered >= 0),
    erroneous        INTEGER NOT NULL CHECK (erroneous >= 0)
);

CREATE TABLE activity_attendance (
    id     TEXT PRIMARY KEY CHECK (id <> ''),
    person TEXT NOT NULL,
    day    INTEGER NOT NULL
);

-- done NULL = not done.
CREATE TABLE activity_tasks (
    id     TEXT PRIMARY KEY CHECK (id <> ''),
    person TEXT NOT NULL,
    due    INTEGER NOT NULL,
    done   INTEGER
);

CREATE TABLE activity_ratings (
    id      TEXT PRIMARY KEY CHECK (id <> ''),
    subject TEXT NOT NULL,
    period  TEXT NOT NULL,
    points  REAL NOT NULL,
    rater   TEXT NOT NULL
);

-- Scores: one per scheme, subject and period (a new score replaces the stored one).
-- result is the whole ScoreResult as JSON (score_to_json), explanation its explain()
-- tree; the other columns repeat its figures for SQL readers.
CREATE TABLE assessment_scores (
    scheme      TEXT NOT NULL CHECK (scheme <> ''),
    subject     TEXT NOT NULL CHECK (subject <> ''),
    period      TEXT NOT NULL,
    period_kind TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter', 'half_year', 'year')),
    first_day   INTEGER NOT NULL,
    level       TEXT NOT NULL,
    area_class  TEXT NOT NULL,
    total       REAL,
    grade       TEXT NOT NULL,
    failing     INTEGER NOT NULL CHECK (failing IN (0, 1)),
    rank        INTEGER NOT NULL CHECK (rank >= 0),
    peers       INTEGER NOT NULL CHECK (peers >= 0),
    result      TEXT NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (scheme, subject, period)
) WITHOUT ROWID;

-- Consecutive-period rule flags; periods = the streak's labels, space-separated.
CREATE TABLE assessment_flags (
    scheme  TEXT NOT NULL CHECK (scheme <> ''),
    rule    TEXT NOT NULL CHECK (rule <> ''),
    subject TEXT NOT NULL CHECK (subject <> ''),
    period  TEXT NOT NULL,
    label   TEXT NOT NULL,
    streak  INTEGER NOT NULL,
    periods TEXT NOT NULL,
    PRIMARY KEY (scheme, rule, subject, period)
) WITHOUT ROWID;

-- Inspection draws in recording order; record is draw_to_json(), the seed repeated as
-- decimal text (an unsigned 64-bit number does not fit an SQLite integer).
CREATE TABLE assessment_draws (
    position  INTEGER PRIMARY KEY CHECK (position >= 0),
    label     TEXT NOT NULL UNIQUE CHECK (label <> ''),
    algorithm TEXT NOT NULL,
    seed      TEXT NOT NULL,
    record    TEXT NOT NULL
);
)sql";

// Migration 2: the journal. Every committed change of any module appends one row in the
// transaction that makes the change, so that every connection to the file learns, in
// commit order, what others changed since it last looked (docs/deployment.md). A change
// of the cases names the events it appended to the case log, which keeps its own hash
// chain: the journal orders the log's commits among the other modules' changes.
constexpr const char* migration_2 = R"sql(
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    module      TEXT NOT NULL CHECK (module IN ('hierarchy', 'directory', 'cases',
                                               'case_config', 'assessment')),
    change      TEXT NOT NULL,
    first_event INTEGER,
    last_event  INTEGER,
    CHECK ((first_event IS NULL) = (last_event IS NULL)),
    CHECK (first_event IS NULL OR first_event <= last_event + 1)
);
)sql";

// Migration 3: compact case rows. `flags` becomes an integer of bits in the order of the
// case's workflow's flags; `counters` and `clocks` become blobs of varints (docs/cases.md),
// NULL when every counter is zero / no stage was entered. The rows are converted in
// between (compact_case_rows); the new columns then take the old names.
constexpr const char* migration_3 = R"sql(
ALTER TABLE cases ADD COLUMN flag_bits INTEGER NOT NULL DEFAULT 0 CHECK (flag_bits >= 0);
ALTER TABLE cases ADD COLUMN counter_values BLOB;
ALTER TABLE cases ADD COLUMN clock_values BLOB;
)sql";
constexpr const char* migration_3_after = R"sql(
ALTER TABLE cases DROP COLUMN flags;
ALTER TABLE cases DROP COLUMN counters;
ALTER TABLE cases DROP COLUMN clocks;
ALTER TABLE cases RENAME COLUMN flag_bits TO flags;
ALTER TABLE cases RENAME COLUMN counter_values TO counters;
ALTER TABLE cases RENAME COLUMN clock_values TO clocks;
)sql";

// Migration 4: checkpoints of the event log, each the end of a verification that was
// signed off (CaseEngine::sign_off_log); routine verification starts after the last.
constexpr const char* migration_4 = R"sql(
CREATE TABLE log_checkpoints (
    id             INTEGER PRIMARY KEY CHECK (id >= 1),
    event          INTEGER NOT NULL CHECK (event >= 0),
    hash           BLOB NOT NULL,
    cases          INTEGER NOT NULL CHECK (cases >= 0),
    signed_at      INTEGER NOT NULL,
    signed_by      TEXT NOT NULL CHECK (signed_by <> ''),
    full_check     INTEGER NOT NULL CHECK (full_check IN (0, 1)),
    events_checked INTEGER NOT NULL CHECK (events_checked >= 0)
);
)sql";

// Migration 5: compact events. The names an event refers to (its states, its actor, the
// keys of its payload and the values of its enumerated fields) are stored once in
// case_names and referred to by id (0 is the empty name); the type is its code; the
// payload is stored in its compact form (docs/cases.md, "Stored events"); the previous
// event's hash is not repeated (the hash still covers it). The events are converted in
// between (compact_case_events); the old table then goes.
constexpr const char* migration_5 = R"sql(
DROP INDEX case_events_by_case;
ALTER TABLE case_events RENAME TO case_events_4;
CREATE TABLE case_names (
    id   INTEGER PRIMARY KEY CHECK (id >= 1),
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE case_events (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    case_id    INTEGER NOT NULL,
    case_seq   INTEGER NOT NULL CHECK (case_seq >= 1),
    type       INTEGER NOT NULL,
    transition INTEGER NOT NULL,
    from_state INTEGER NOT NULL,
    to_state   INTEGER NOT NULL,
    actor      INTEGER NOT NULL,
    system     INTEGER NOT NULL CHECK (system IN (0, 1)),
    at         INTEGER NOT NULL,
    payload    BLOB NOT NULL,
    hash       BLOB NOT NULL
);
)sql";
constexpr const char* migration_5_after = R"sql(
DROP TABLE case_events_4;
CREATE INDEX case_events_by_case ON case_events (case_id, case_seq);
)sql";

// Migration 6: case rows by name id. The workflow, category, area class, reporter, state
// and department of a case refer to case_names (0 is the empty name: no reporter, no
// department); the source and the rating are numbers (CaseSource, Satisfaction). The rows
// are converted in between (case_rows_by_name); the old table then goes.
constexpr const char* migration_6 = R"sql(
ALTER TABLE cases RENAME TO cases_5;
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY CHECK (id >= 0),
    number           TEXT NOT NULL UNIQUE CHECK (number <> ''),
    workflow         INTEGER NOT NULL,
    workflow_version INTEGER NOT NULL,
    category         INTEGER NOT NULL,
    node             INTEGER NOT NULL REFERENCES hierarchy_nodes (id),
    area_class       INTEGER NOT NULL,
    source           INTEGER NOT NULL CHECK (source >= 0 AND source <= 6),
    reporter         INTEGER NOT NULL,
    state            INTEGER NOT NULL,
    department       INTEGER NOT NULL,
    route_node       INTEGER REFERENCES hierarchy_nodes (id),
    tier             INTEGER NOT NULL CHECK (tier >= 0),
    flags            INTEGER NOT NULL CHECK (flags >= 0),
    counters         BLOB,
    clocks           BLOB,
    breached         INTEGER NOT NULL CHECK (breached IN (0, 1)),
    breaches         INTEGER NOT NULL CHECK (breaches >= 0),
    rating           INTEGER CHECK (rating >= 0 AND rating <= 2),
    rating_score     INTEGER,
    reported_at      INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    closed_at        INTEGER,
    last_event       INTEGER NOT NULL,
    events           INTEGER NOT NULL
);
)sql";
constexpr const char* migration_6_after = R"sql(
DROP TABLE cases_5;
)sql";

// Migration 7: each event links to its case's event before it (`back`: how many events
// before it that one is; null for a case's first event), so that a case's events are read
// from the case's last event back, and the index of events by case goes: appending an
// event no longer writes a page of it chosen by the case. The link is no part of the hash;
// verify_log() checks it.
constexpr const char* migration_7 = R"sql(
ALTER TABLE case_events ADD COLUMN back INTEGER CHECK (back >= 1);
UPDATE case_events SET back = seq - (SELECT p.seq FROM case_events p WHERE
    p.case_id = case_events.case_id AND p.case_seq = case_events.case_seq - 1)
    WHERE case_seq > 1;
DROP INDEX case_events_by_case;
)sql";

// Migration 8: the records (人、地、事、物、情、组织, docs/records.md). The schema document
// (none stored = the "standard" preset); one row per record with its current node (NULL
// once removed); every version of a record with its fields as a JSON object of text
// values and its overlay places ("overlay:unit|..."); the values records are found by
// (lookup and reference fields, overlay places) for the live ones. The journal learns the
// module's name.
constexpr const char* migration_8 = R"sql(
CREATE TABLE record_schema (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL
);

CREATE TABLE records (
    id       INTEGER PRIMARY KEY CHECK (id >= 0),
    key      TEXT NOT NULL UNIQUE CHECK (key <> ''),
    kind     TEXT NOT NULL,
    node     INTEGER,
    versions INTEGER NOT NULL CHECK (versions >= 1),
    last_day INTEGER NOT NULL
);

CREATE TABLE record_versions (
    record   INTEGER NOT NULL REFERENCES records (id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    change   TEXT NOT NULL CHECK (change IN ('added', 'changed', 'moved', 'removed')),
    day      INTEGER NOT NULL,
    node     INTEGER NOT NULL,
    fields   TEXT NOT NULL,
    overlays TEXT NOT NULL,
    PRIMARY KEY (record, version)
) WITHOUT ROWID;

CREATE TABLE record_lookup (
    field  TEXT NOT NULL,
    value  TEXT NOT NULL,
    record INTEGER NOT NULL REFERENCES records (id),
    PRIMARY KEY (field, value, record)
) WITHOUT ROWID;

ALTER TABLE journal RENAME TO journal_7;
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    module      TEXT NOT NULL CHECK (module IN ('hierarchy', 'directory', 'cases',
                                               'case_config', 'assessment', 'records')),
    change      TEXT NOT NULL,
    first_event INTEGER,
    last_event  INTEGER,
    CHECK ((first_event IS NULL) = (last_event IS NULL)),
    CHECK (first_event IS NULL OR first_event <= last_event + 1)
);
INSERT INTO journal (seq, module, change, first_event, last_event)
    SELECT seq, module, change, first_event, last_event FROM journal_7;
DROP TABLE journal_7;
)sql";

// Migration 9: who reads records (docs/records.md, "Who reads records"). A duty names the
// sensitive record fields it reveals (space-separated; "" = none). The access log: one row
// per record whose sensitive fields a read showed in clear, chained by SHA-256 (the hash
// covers the row and the hash of the row before it).
constexpr const char* migration_9 = R"sql(
ALTER TABLE directory_duties ADD COLUMN reveals TEXT NOT NULL DEFAULT '';

CREATE TABLE record_access (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    at_time     TEXT NOT NULL,
    reader      TEXT NOT NULL,
    by_system   INTEGER NOT NULL CHECK (by_system IN (0, 1)),
    purpose     TEXT NOT NULL CHECK (purpose <> ''),
    operation   TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    fields      TEXT NOT NULL,
    hash        TEXT NOT NULL CHECK (length(hash) = 64)
);
)sql";

// Migration 10: 四实 collection quality (docs/records.md, "Collection quality"): field-check
// rounds with their audited draw (draw_to_json()) and what was found at each drawn record,
// with the grid of the drawn record on the round's day.
constexpr const char* migration_10 = R"sql(
CREATE TABLE record_checks (
    id        INTEGER PRIMARY KEY CHECK (id >= 0),
    label     TEXT NOT NULL UNIQUE CHECK (label <> ''),
    day       INTEGER NOT NULL,
    inspector TEXT NOT NULL,
    draw      TEXT NOT NULL
);

CREATE TABLE record_check_findings (
    round    INTEGER NOT NULL REFERENCES record_checks (id),
    position INTEGER NOT NULL CHECK (position >= 0),
    sampled  TEXT NOT NULL,
    node     INTEGER NOT NULL,
    record   TEXT NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('correct', 'not_collected', 'not_deregistered',
                                              'wrong')),
    note     TEXT NOT NULL,
    PRIMARY KEY (round, position)
) WITHOUT ROWID;
)sql";

// Migration 11: the values the in-memory columns keep of each record (enumeration bits,
// numbers, look-up fingerprints; RecordColumns::pack()) beside its row, so that an open
// reads them without parsing the record's fields. NULL until packed: such a record is
// parsed. The values of lookup fields leave record_lookup: the in-memory index finds them.
constexpr const char* migration_11 = R"sql(
ALTER TABLE records ADD COLUMN packed BLOB;
)sql";

// Migration 12: posts on overlay units (docs/directory.md, "Posts on overlay units"). A role
// names the overlay whose units hold it ('' = the base hierarchy); an assignment keeps
// either a base node or an overlay unit. The assignments table is made anew (a column's
// NOT NULL and its reference cannot be changed in place in SQLite) and its rows copied,
// and the absences with it, which refer to it.
constexpr const char* migration_12 = R"sql(
ALTER TABLE directory_roles ADD COLUMN overlay TEXT NOT NULL DEFAULT '';

CREATE TEMP TABLE directory_assignments_copy AS SELECT * FROM directory_assignments;
CREATE TEMP TABLE directory_absences_copy AS SELECT * FROM directory_absences;
DROP TABLE directory_absences;
DROP TABLE directory_assignments;

CREATE TABLE directory_assignments (
    id       INTEGER PRIMARY KEY CHECK (id >= 1),
    person   INTEGER NOT NULL REFERENCES directory_people (id),
    role     TEXT NOT NULL,
    node     INTEGER REFERENCES hierarchy_nodes (id),
    overlay  TEXT,
    unit     INTEGER,
    post     TEXT NOT NULL CHECK (post IN ('A', 'B')),
    from_day INTEGER NOT NULL,
    to_day   INTEGER NOT NULL,
    CHECK (from_day < to_day),
    CHECK ((node IS NULL) <> (overlay IS NULL)),
    CHECK ((overlay IS NULL) = (unit IS NULL)),
    FOREIGN KEY (overlay, unit) REFERENCES overlay_units (overlay, id)
);

CREATE TABLE directory_absences (
    id         INTEGER PRIMARY KEY CHECK (id >= 1),
    person     INTEGER NOT NULL REFERENCES directory_people (id),
    kind       TEXT NOT NULL CHECK (kind IN ('leave', 'vacancy')),
    from_day   INTEGER NOT NULL,
    to_day     INTEGER NOT NULL,
    assignment INTEGER REFERENCES directory_assignments (id),
    reason     TEXT NOT NULL,
    CHECK (from_day < to_day)
);

INSERT INTO directory_assignments (id, person, role, node, post, from_day, to_day)
    SELECT id, person, role, node, post, from_day, to_day FROM directory_assignments_copy;
INSERT INTO directory_absences (id, person, kind, from_day, to_day, assignment, reason)
    SELECT id, person, kind, from_day, to_day, assignment, reason FROM directory_absences_copy;
DROP TABLE directory_absences_copy;
DROP TABLE directory_assignments_copy;
)sql";

}  // namespace

// Migration 13: duties on a schedule (docs/duties.md). The workspace's duty catalogue as
// one JSON document, and the fulfilments in the order they were recorded (`seq`); the
// journal's module list gains `duties` (the table is made anew and its rows copied).
constexpr const char* migration_13 = R"sql(
CREATE TABLE duty_catalogue (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL
);

CREATE TABLE duty_fulfilments (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    id         TEXT NOT NULL UNIQUE CHECK (id <> ''),
    duty       TEXT NOT NULL,
    place      TEXT NOT NULL,
    person     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    occurrence TEXT NOT NULL,
    evidence   TEXT NOT NULL,
    note       TEXT NOT NULL
);

ALTER TABLE journal RENAME TO journal_12;
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    module      TEXT NOT NULL CHECK (module IN ('hierarchy', 'directory', 'cases',
                                               'case_config', 'assessment', 'records',
                                               'duties')),
    change      TEXT NOT NULL,
    first_event INTEGER,
    last_event  INTEGER,
    CHECK ((first_event IS NULL) = (last_event IS NULL)),
    CHECK (first_event IS NULL OR first_event <= last_event + 1)
);
INSERT INTO journal (seq, module, change, first_event, last_event)
    SELECT seq, module, change, first_event, last_event FROM journal_12;
DROP TABLE journal_12;
)sql";

// Migration 14: oversight (docs/oversight.md). Inspections with their findings (a JSON array)
// and inspectors, promises of matters and their ratings, the entries of hazards (grade and
// deadline '' when not said, progress NULL), each in the order recorded (`seq`); the
// journal's module list gains `oversight`.
constexpr const char* migration_14 = R"sql(
CREATE TABLE oversight_inspections (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    id         TEXT NOT NULL UNIQUE CHECK (id <> ''),
    draw       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    at         INTEGER NOT NULL,
    inspectors TEXT NOT NULL,
    findings   TEXT NOT NULL,
    note       TEXT NOT NULL
);

CREATE TABLE oversight_promises (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    id          TEXT NOT NULL UNIQUE CHECK (id <> ''),
    case_number TEXT NOT NULL,
    what        TEXT NOT NULL,
    by_date     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    team        TEXT NOT NULL,
    place       TEXT NOT NULL,
    note        TEXT NOT NULL
);

CREATE TABLE oversight_ratings (
    seq     INTEGER PRIMARY KEY CHECK (seq >= 1),
    promise TEXT NOT NULL REFERENCES oversight_promises (id),
    rater   TEXT NOT NULL CHECK (rater IN ('citizen', 'team')),
    score   REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    at      INTEGER NOT NULL,
    note    TEXT NOT NULL,
    UNIQUE (promise, rater)
);

CREATE TABLE oversight_hazards (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    id          TEXT NOT NULL UNIQUE CHECK (id <> ''),
    case_number TEXT NOT NULL,
    at          INTEGER NOT NULL,
    person      TEXT NOT NULL,
    record      TEXT NOT NULL,
    found_by    TEXT NOT NULL,
    grade       TEXT NOT NULL CHECK (grade IN ('', 'general', 'larger', 'major')),
    deadline    TEXT NOT NULL,
    progress    INTEGER CHECK (progress IS NULL OR (progress >= 0 AND progress <= 100)),
    evidence    TEXT NOT NULL,
    note        TEXT NOT NULL
);

ALTER TABLE journal RENAME TO journal_13;
CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    module      TEXT NOT NULL CHECK (module IN ('hierarchy', 'directory', 'cases',
                                               'case_config', 'assessment', 'records',
                                               'duties', 'oversight')),
    change      TEXT NOT NULL,
    first_event INTEGER,
    last_event  INTEGER,
    CHECK ((first_event IS NULL) = (last_event IS NULL)),
    CHECK (first_event IS NULL OR first_event <= last_event + 1)
);
INSERT INTO journal (seq, module, change, first_event, last_event)
    SELECT seq, module, change, first_event, last_event FROM journal_13;
DROP TABLE journal_13;
)sql";

// Migration 15: checkpoints auditors can verify (docs/security.md). The Merkle tree over the
// event log keeps its nodes at every fourth level (level 4: over 16 events, 8: over 256, ...;
// idx counts from 0 along the level), each written in the transaction that appends the
// event completing it; the signed tree heads recorded, oldest first. The tree of the events
// already stored is built as the migration runs.
constexpr const char* migration_15 = R"sql(
CREATE TABLE log_tree (
    level INTEGER NOT NULL CHECK (level >= 4 AND level % 4 = 0),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE log_tree_heads (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    log       TEXT NOT NULL CHECK (log <> ''),
    size      INTEGER NOT NULL CHECK (size >= 0),
    root      BLOB NOT NULL,
    at        INTEGER NOT NULL,
    key_id    TEXT NOT NULL,
    signature BLOB NOT NULL
);
)sql";

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all{
        {1, migration_1},
        {2, migration_2},
        {3, migration_3, compact_case_rows, migration_3_after},
        {4, migration_4},
        {5, migration_5, compact_case_events, migration_5_after},
        {6, migration_6, case_rows_by_name, migration_6_after},
        {7, migration_7},
        {8, migration_8},
        {9, migration_9},
        {10, migration_10},
        {11, migration_11, pack_record_columns},
        {12, migration_12},
        {13, migration_13},
        {14, migration_14},
        {15, migration_15, build_log_tree},
    };
    return all;
}

void run_migration(Db& db, const Migration& m) {
    db.exec(migration_sql(m.sql, db.dialect()));
    if (m.convert != nullptr)
        m.convert(db);
    if (m.sql_after != nullptr)
        db.exec(migration_sql(m.sql_after, db.dialect()));
}

int latest_schema_version() {
    return migrations().back().version;
}

std::string migration_sql(const std::string& statements, Dialect dialect) {
    if (dialect == Dialect::sqlite)
        return statements;
    // The same tables in PostgreSQL's types. Text compares byte by byte, as in SQLite,
    // whatever the database's collation. A table SQLite reads in insertion order (by its
    // rowid: the activity records, keyed by a text id) gets that order as a column.
    std::string sql = statements;
    sql = std::regex_replace(
        sql, std::regex(R"(\n( +)id( +)TEXT PRIMARY KEY)"),
        "\n$1rowid BIGINT GENERATED ALWAYS AS IDENTITY,\n$1id$2TEXT PRIMARY KEY");
    sql = std::regex_replace(sql, std::regex(R"(\bINTEGER\b)"), "BIGINT");
    sql = std::regex_replace(sql, std::regex(R"(\bREAL\b)"), "DOUBLE PRECISION");
    sql = std::regex_replace(sql, std::regex(R"(\bBLOB\b)"), "BYTEA");
    sql = std::regex_replace(sql, std::regex(R"(\bTEXT\b)"), "TEXT COLLATE \"C\"");
    sql = std::regex_replace(sql, std::regex(R"(\) WITHOUT ROWID;)"), ");");
    return sql;
}

}  // namespace gridgov::detail
