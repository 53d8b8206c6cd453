// The grid hierarchy (层级): a forest of administrative nodes down to grids, with
// effective-dated history, numeric columns, roll-ups, overlays (多网合一) and validation.
//
// Ids: every node ever created in a Hierarchy gets a dense NodeId (0, 1, 2, ...) in the
// order the nodes were added; an id never changes and is never reused, also in the
// snapshots returned by as_of(). Codes are the stable identity across workspaces.
//
// Layout: the index is rebuilt after every change, so that every query below is O(1) or
// O(depth): children are a contiguous slice, a subtree is a contiguous range of the
// pre-order array, is_ancestor compares pre/post-order numbers.
//
// Threading: const member functions may be called from several threads at once; any
// change needs exclusive access (one writer, many readers).
#ifndef GRIDGOV_HIERARCHY_HPP
#define GRIDGOV_HIERARCHY_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/core.hpp"

namespace gridgov {

using NodeId = std::uint32_t;
/// "No node": the parent of a root, the answer when nothing matches.
inline constexpr NodeId no_node = 0xFFFFFFFFu;

/// A contiguous read-only run of ids (C++17 stand-in for std::span<const NodeId>).
struct IdSpan {
    const NodeId* first = nullptr;
    const NodeId* last = nullptr;
    const NodeId* begin() const { return first; }
    const NodeId* end() const { return last; }
    std::size_t size() const { return static_cast<std::size_t>(last - first); }
    bool empty() const { return first == last; }
    NodeId operator[](std::size_t i) const { return first[i]; }
};

/// A half-open range [begin, end) of positions in Hierarchy::preorder().
struct PreorderRange {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint32_t size() const { return end - begin; }
};

/// One level of the hierarchy, top down.
struct Level {
    std::string key;      ///< stable identifier used in files: "province", "grid", ...
    std::string name_zh;  ///< 省, 网格, ...
    std::string name_en;
    int code_digits =
        0;  ///< digits a node at this level appends to its parent's code; 0 = free-form code
};

/// The ordered list of levels (index 0 is the top). Data, not code: load your own.
class LevelScheme {
  public:
    LevelScheme() = default;
    explicit LevelScheme(
        std::vector<Level> levels);  ///< throws invalid_argument on duplicate/empty keys

    /// 省(2) 市(+2) 县区(+2) 乡镇街道(+3) 村社区(+3) 网格(+3) 微网格(+3):
    /// GB/T 2260 county prefix, 9-digit township, 12-digit community, 15-digit unit grid.
    static LevelScheme chinese_default();

    std::size_t size() const { return levels_.size(); }
    const Level& operator[](std::size_t i) const { return levels_[i]; }
    const std::vector<Level>& levels() const { return levels_; }
    /// Index of the level with this key, or -1.
    int index_of(std::string_view key) const;
    /// Total code length of a node at level i (sum of code_digits down to i), 0 if any level above
    /// is free-form.
    int code_length(std::size_t i) const;

  private:
    std::vector<Level> levels_;
};

/// 综合网格 (territorial) vs 专属网格 (schools, hospitals, compounds).
enum class GridKind : std::uint8_t { comprehensive = 0, dedicated = 1 };
/// Area type keys sizing policies and, later, time limits and scoring tables.
enum class AreaType : std::uint8_t { unspecified = 0, urban = 1, rural = 2 };

const char* grid_kind_name(GridKind k) noexcept;  ///< "comprehensive" / "dedicated"
const char* area_type_name(AreaType t) noexcept;  ///< "unspecified" / "urban" / "rural"
GridKind parse_grid_kind(std::string_view text);  ///< accepts the English name or 综合/专属
AreaType parse_area_type(
    std::string_view text);  ///< accepts the English name or 城市/农村, "" = unspecified

/// Missing numeric values are NaN.
inline constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double v) {
    return std::isnan(v);
}

/// Everything needed to add a node. Built-in numeric columns are households, population
/// and area_m2; any other numeric column goes into `attributes`.
struct NodeSpec {
    std::string code;
    std::string parent_code;  ///< empty for a root
    std::string name;         ///< UTF-8
    std::string level;        ///< a LevelScheme key
    GridKind kind = GridKind::comprehensive;
    AreaType area_type = AreaType::unspecified;
    std::string area_class;  ///< e.g. "一类", "A"; keys time limits and scoring tables
    double households = missing_value;
    double population = missing_value;
    double area_m2 = missing_value;
    std::vector<std::pair<std::string, double>> attributes;
    std::string geometry;  ///< optional GeoJSON geometry object, stored as given
};

/// What a recorded change did.
enum class ChangeKind : std::uint8_t {
    add = 0,
    rename = 1,
    move = 2,
    retire = 3,
    set_value = 4,
    split = 5,
    merge = 6
};
const char* change_kind_name(ChangeKind k) noexcept;
/// The inverse of change_kind_name(); throws Error(invalid_argument) naming the text.
ChangeKind parse_change_kind(std::string_view text);

/// One entry of the hierarchy's history. Replaying the entries with effective <= D in
/// (effective, seq) order reproduces the hierarchy as of D.
///
/// Every node's creation is one `add` entry. A split records an `add` entry per part and
/// then a `split` entry that retires the source; a merge records an `add` entry for the
/// merged node, a `move` entry for every child of a source, then a `merge` entry that
/// retires the sources. So every entry is a single primitive step.
struct HierarchyChange {
    std::uint64_t seq = 0;  ///< recording order, 1-based
    Date effective;
    ChangeKind kind = ChangeKind::add;
    NodeId node = no_node;         ///< the node changed (added, renamed, moved, retired, valued;
                                   ///< split/merge: the retired source)
    NodeId target = no_node;       ///< move: new parent; merge: the merged node
    std::string text;              ///< rename: new name; set_value: column name
    double value = missing_value;  ///< set_value: the new value
    NodeSpec spec;                 ///< add: the full spec as given
    std::vector<NodeId> related;   ///< split: the new parts; merge: all sources
};

/// Per-node subtree aggregates of one column, indexed by NodeId (retired ids hold NaN/0).
struct RollUp {
    std::vector<double> sum;
    std::vector<double> min;
    std::vector<double> max;
    std::vector<std::uint32_t> count;  ///< nodes in the subtree that have a value
};

/// Allowed household range for nodes of one level and area type (and optionally one
/// area class). Violations are findings.
struct SizingRule {
    std::string level = "grid";
    AreaType area_type = AreaType::unspecified;  ///< unspecified = any area type
    std::string area_class;                      ///< empty = any class
    double min_households = 0;
    double max_households = 0;
    std::string
        source;  ///< where the numbers come from, e.g. "seed 000 三(一): about 150 households"
};

/// Sizing presets from the policy texts (see docs/presets.md).
struct SizingPolicy {
    std::string name;
    std::vector<SizingRule> rules;

    static SizingPolicy none();
    static SizingPolicy
    rural_township_150();  ///< seed 000: rural base grids of about 150 households
    static SizingPolicy
    urban_rural_mixed();  ///< seed 001 篇6: estate 500, mixed urban 300, rural 400
    static SizingPolicy national_guideline();  ///< research: urban 300-500, rural about 300
    static const std::vector<SizingPolicy>& presets();
};

/// What validate() checks. Rule ids are documented in docs/hierarchy.md.
struct ValidationPolicy {
    SizingPolicy sizing = SizingPolicy::none();
    std::string grid_level =
        "grid";  ///< the level of base grids (households, coverage, unit-grid ids)
    std::string village_level = "village";
    bool check_code_prefix = true;  ///< a child's code extends its parent's code
    bool check_code_length = true;  ///< code length matches LevelScheme::code_length
    bool check_unit_grid_id =
        true;  ///< 15-digit unit-grid ids: 6 county + 3 street + 3 community + 3 sequence
    bool require_households = true;  ///< every grid carries a household count
};

class Hierarchy {
  public:
    explicit Hierarchy(LevelScheme levels = LevelScheme::chinese_default());
    Hierarchy(const Hierarchy&);
    Hierarchy(Hierarchy&&) noexcept;
    Hierarchy& operator=(const Hierarchy&);
    Hierarchy& operator=(Hierarchy&&) noexcept;
    ~Hierarchy();

    const LevelScheme& levels() const;

    // ---- changes -------------------------------------------------------------------
    // Each change is validated first and applied completely or not at all; a refused
    // change throws Error naming the code and field and leaves the hierarchy untouched.
    // A change may not be effective before the latest change already recorded for any
    // node it touches (history is appended, never rewritten).

    /// Adds one node under an existing live parent (or as a root when parent_code is empty).
    NodeId add(const NodeSpec& spec, Date effective = Date::min());
    /// Adds many nodes at once in O(n); parents may come in any order within `specs`.
    /// Structural problems (duplicate codes, unknown parents, cycles, unknown levels)
    /// throw an Error naming the first offending spec by index and code; nothing is added.
    std::vector<NodeId> add_all(const std::vector<NodeSpec>& specs, Date effective = Date::min());
    void rename(NodeId node, const std::string& name, Date effective);
    /// Moves a node with its whole subtree under a new parent (not into its own subtree);
    /// new_parent = no_node makes it a root. The change touches the node, its old parent
    /// and its new parent.
    void move(NodeId node, NodeId new_parent, Date effective);
    /// Retires a node that has no live children; its id stays, its code is not reused.
    void retire(NodeId node, Date effective);
    /// Sets one numeric column (built-in or attribute) of a node.
    void set_value(NodeId node, std::string_view column, double value, Date effective);
    /// Splits a grid: adds `parts` as siblings under the grid's parent, moves nothing
    /// else, retires the grid. Returns the new ids.
    std::vector<NodeId> split(NodeId node, const std::vector<NodeSpec>& parts, Date effective);
    /// Merges nodes with the same parent into a new node `merged` under that parent:
    /// children of the sources move under it, the sources retire. Returns the new id.
    NodeId merge(const std::vector<NodeId>& sources, const NodeSpec& merged, Date effective);

    /// The recorded history, in recording order.
    const std::vector<HierarchyChange>& history() const;
    /// The hierarchy as it stood on `date` (same ids; nodes not alive then are not live).
    /// The snapshot's history holds the entries effective on or before `date`; it is
    /// read-only (changes throw invalid_state).
    Hierarchy as_of(Date date) const;
    /// Rebuilds a hierarchy from a recorded history (e.g. one read back from storage) in
    /// O(entries + nodes), checking every entry as the original change was checked; an
    /// inconsistent history throws Error naming the entry's seq and the node code.
    static Hierarchy from_history(LevelScheme levels, const std::vector<HierarchyChange>& history);

    // ---- identity and attributes ---------------------------------------------------
    std::size_t id_count() const;   ///< ids ever assigned (live and retired)
    std::size_t size() const;       ///< live nodes
    bool is_live(NodeId id) const;  ///< false for retired and out-of-range ids
    const std::string& code(NodeId id) const;
    const std::string& name(NodeId id) const;
    int level(NodeId id) const;  ///< index into levels()
    GridKind kind(NodeId id) const;
    AreaType area_type(NodeId id) const;
    const std::string& area_class(NodeId id) const;
    const std::string& geometry(NodeId id) const;
    Date created_on(NodeId id) const;
    Date retired_on(NodeId id) const;  ///< Date::max() while live

    /// The live node with this code, if any.
    std::optional<NodeId> find(std::string_view code) const;
    /// The live node with this code; throws Error(not_found) naming the code.
    NodeId at(std::string_view code) const;
    /// Live nodes of one level, in pre-order.
    std::vector<NodeId> nodes_at_level(int level) const;

    // ---- structure: O(1) or O(depth) -----------------------------------------------
    NodeId parent(NodeId id) const;    ///< no_node for a root
    IdSpan children(NodeId id) const;  ///< live children, in pre-order
    IdSpan roots() const;
    int depth(NodeId id) const;  ///< 0 for a root
    /// The node, its parent, ..., its root.
    std::vector<NodeId> path_to_root(NodeId id) const;
    /// True when `ancestor` is `node` or lies above it.
    bool is_ancestor(NodeId ancestor, NodeId node) const;
    /// Lowest common ancestor; no_node when the nodes are in different trees.
    NodeId lowest_common_ancestor(NodeId a, NodeId b) const;
    /// All live ids in pre-order: every subtree is a contiguous range of it.
    const std::vector<NodeId>& preorder() const;
    std::uint32_t preorder_position(NodeId id) const;
    PreorderRange subtree(NodeId id) const;

    // ---- numeric columns -----------------------------------------------------------
    /// "households", "population", "area_m2", then attribute columns in creation order.
    std::vector<std::string> column_names() const;
    bool has_column(std::string_view name) const;
    /// One column indexed by NodeId (NaN = no value); throws not_found naming the column.
    const std::vector<double>& column(std::string_view name) const;
    double value(NodeId id, std::string_view column) const;

    // ---- roll-ups: one O(N) pass ---------------------------------------------------
    /// Sum, min, max and count of a column over every live subtree.
    RollUp roll_up(std::string_view column) const;
    /// The same over external per-node values (indexed by NodeId, size id_count()).
    RollUp roll_up(const std::vector<double>& values) const;
    /// Per-node subtree sums of records located at nodes (e.g. cases on grids):
    /// out[n] = sum of weights[i] (or 1 when weights is null) for records i with
    /// record_nodes[i] in the subtree of n. Records on retired nodes are ignored.
    std::vector<double> sum_records(const NodeId* record_nodes, const double* weights,
                                    std::size_t count) const;

    // ---- validation ----------------------------------------------------------------
    /// Findings for the live hierarchy; never throws for data problems.
    std::vector<Finding> validate(const ValidationPolicy& policy = {}) const;
    /// Findings for raw specs before they are added (duplicate codes, unknown parents,
    /// cycles, unknown levels, level-order violations), with `where` = the spec's code
    /// and the spec index in the message. add_all() refuses what this reports as errors.
    std::vector<Finding> check_specs(const std::vector<NodeSpec>& specs) const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

/// Everything needed to add an overlay unit.
struct OverlayUnitSpec {
    std::string code;
    std::string parent_code;
    std::string name;
    std::string level;                    ///< a key of the overlay's own LevelScheme
    std::vector<std::string> grid_codes;  ///< base grids this unit covers directly
};

/// A specialised network over the same ground (多网合一): fire-safety 大/中/小 grids,
/// market-supervision 段区, urban-management unit grids, 门前三包 zones. Its units form
/// their own tree (a Hierarchy with its own levels) and map onto base grids.
class Overlay {
  public:
    Overlay(std::string key, std::string name, LevelScheme unit_levels);

    const std::string& key() const { return key_; }
    const std::string& name() const { return name_; }
    const Hierarchy& units() const { return units_; }

    /// Adds a unit; `base` resolves grid_codes. Throws naming the unknown code.
    NodeId add_unit(const OverlayUnitSpec& spec, const Hierarchy& base);
    /// Adds many units at once in O(n) (parents in any order), as Hierarchy::add_all;
    /// nothing is added when any spec or grid code is refused. Returns ids by spec.
    std::vector<NodeId> add_units(const std::vector<OverlayUnitSpec>& specs, const Hierarchy& base);
    /// Base grids a unit covers directly.
    const std::vector<NodeId>& grids_of(NodeId unit) const;
    /// Units that cover a base grid directly.
    std::vector<NodeId> units_of(NodeId base_grid) const;
    /// Every live base grid at `grid_level` covered by exactly one unit, else findings
    /// "overlay.gap" / "overlay.overlap" (where = grid code) and "overlay.retired_grid".
    /// A unit mapped to a node above `grid_level` covers every grid beneath that node.
    /// Nested units inherit: a grid mapped by a unit and by one of that unit's descendant
    /// units is covered once (by the more specific one); only units that are not
    /// ancestors of one another overlap.
    std::vector<Finding> coverage(const Hierarchy& base,
                                  std::string_view grid_level = "grid") const;

  private:
    std::string key_;
    std::string name_;
    Hierarchy units_;
    std::vector<std::vector<NodeId>> grids_;          // by unit id
    std::vector<std::vector<NodeId>> units_by_grid_;  // by base node id: the reverse of grids_
};

/// A node of the base hierarchy (overlay "") or a unit of an overlay: where a post is held
/// and where a question of responsibility starts. Written "G01" for a base node and
/// "fire:F01" for unit F01 of overlay "fire" (the form record places use).
struct Place {
    std::string overlay;  ///< "" = the base hierarchy
    NodeId node = no_node;

    friend bool operator==(const Place& a, const Place& b) {
        return a.overlay == b.overlay && a.node == b.node;
    }
    friend bool operator!=(const Place& a, const Place& b) { return !(a == b); }
};

/// The networks posts are held on: the base hierarchy and the overlays over the same
/// ground (多网合一). Converts implicitly from a Hierarchy alone (no overlays). Borrows
/// both: they must outlive the view and not change while it is used.
class Networks {
  public:
    Networks(const Hierarchy& base);  // NOLINT(google-explicit-constructor): a base alone
    Networks(const Hierarchy& base, const std::vector<Overlay>& overlays);

    const Hierarchy& base() const { return *base_; }
    /// The overlays in the order they were added (empty for a base alone).
    const std::vector<Overlay>& overlays() const;
    /// The overlay with this key, or null.
    const Overlay* find_overlay(std::string_view key) const;
    /// The nodes of one network: the base hierarchy for "", else the overlay's units.
    /// Error(not_found) naming an unknown overlay.
    const Hierarchy& nodes(std::string_view overlay) const;
    /// Reads "G01" (a live base node) or "fire:F01" (a live unit of overlay "fire"; text
    /// whose part before the first ':' names no overlay is a base code). Error(not_found)
    /// naming the code.
    Place place(std::string_view code) const;
    /// The live node `code` of network `overlay`, also accepting the place form
    /// "overlay:code" of that network. Error(not_found) naming the code and the network.
    NodeId node_in(std::string_view overlay, std::string_view code) const;
    /// "G01" or "fire:F01".
    std::string code(const Place& place) const;
    /// The live units of `overlay` that cover a base node: those mapped to the node or, when
    /// none is, to its nearest ancestor that has some; of units nested in one another only
    /// the innermost. Empty when the overlay covers neither the node nor an ancestor.
    std::vector<NodeId> covering(std::string_view overlay, NodeId base_node) const;

  private:
    const Hierarchy* base_;
    const std::vector<Overlay>* overlays_ = nullptr;
};

/// Built-in overlay level schemes.
LevelScheme fire_safety_levels();         ///< 大网格 / 中网格 / 小网格
LevelScheme market_supervision_levels();  ///< 段区
LevelScheme urban_management_levels();    ///< 单元网格

}  // namespace gridgov

#endif  // GRIDGOV_HIERARCHY_HPP
