// The directory (人员与职责): people, duties, role types, units attached to nodes, and
// assignments of people to roles at nodes over validity periods, as post A (primary) or
// post B (backup). It answers "who is responsible for duty D at node N on date T",
// walking up the hierarchy and falling back from post A to post B, and it checks the
// grid staffing rules ("五个一同步", role cardinalities, one primary worker per grid).
//
// History is never rewritten: ending an assignment closes its period, absences (leave,
// vacancy) are periods too, and nothing is ever deleted.
//
// Ids: people, roles and duties have stable string codes; in memory they also get dense
// ids (PersonId = position in people(), RoleId/DutyId = position in the catalogue).
// Assignments, absences have numeric ids 1, 2, 3, ... in the order they were added.
//
// Privacy: ID numbers (居民身份证号) and phones are masked in every export and listing
// (3101**********1234, 138****5678) unless the caller passes Reveal::revealed.
//
// Hierarchy: the directory refers to nodes by NodeId and never owns the hierarchy;
// functions that need the structure take it as a parameter. Walks use the structure as
// given: for a question about a past date after moves, pass `hierarchy.as_of(date)`.
//
// Threading: const member functions may be called from several threads at once; any
// change needs exclusive access (one writer, many readers).
#ifndef GRIDGOV_DIRECTORY_HPP
#define GRIDGOV_DIRECTORY_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/core.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

namespace detail {
struct DirectoryAccess;  // the module's private access to the Impl
}  // namespace detail

using PersonId = std::uint32_t;
using RoleId = std::uint32_t;
using DutyId = std::uint32_t;
using AssignmentId = std::uint64_t;
using AbsenceId = std::uint64_t;

/// "No person": the answer of responsible() when nobody is found.
inline constexpr PersonId no_person = 0xFFFFFFFFu;
/// "No role" / "no duty".
inline constexpr RoleId no_role = 0xFFFFFFFFu;

/// Whether sensitive fields (ID numbers, phones) appear in clear in an export or listing.
enum class Reveal : std::uint8_t { masked = 0, revealed = 1 };

/// "3101**********1234": the first 4 and last 4 characters stay, the rest become '*'.
std::string mask_id_number(std::string_view id_number);
/// "138****5678": the first 3 and last 4 characters stay, the rest become '*'.
std::string mask_phone(std::string_view phone);
/// The GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits.
/// Throws Error(invalid_argument) unless `first17` is 17 ASCII digits.
char id_number_check_character(std::string_view first17);
/// True for an 18-character 居民身份证号 with 17 digits, a valid check character
/// ('0'-'9' or 'X', lower-case 'x' accepted) and a real birth date.
bool is_valid_id_number(std::string_view id_number);

// ---- people --------------------------------------------------------------------------

/// 中共党员 / 预备党员 / neither.
enum class PartyMembership : std::uint8_t { none = 0, member = 1, probationary = 2 };
const char* party_membership_name(
    PartyMembership p) noexcept;  ///< "none" / "member" / "probationary"
/// Accepts the English names and 群众 / 党员 / 中共党员 / 预备党员; "" = none.
PartyMembership parse_party_membership(std::string_view text);

struct Person {
    std::string id;     ///< stable code, e.g. "P0001"
    std::string name;   ///< UTF-8
    std::string phone;  ///< as written; masked in exports
    std::string id_number;  ///< 居民身份证号 (18 characters) or empty; validated, masked in exports
    PartyMembership party = PartyMembership::none;
    std::vector<std::string> categories;  ///< e.g. "五老", "老党员", "村民组长"
    std::vector<std::pair<std::string, std::string>> attributes;  ///< free key/value pairs
};

// ---- catalogue: duties and role types -------------------------------------------------

struct Duty {
    std::string code;
    std::string label_zh;
    std::string label_en;
    /// The sensitive record fields the duty needs to see in clear (docs/records.md,
    /// "Who reads records"): "resident.id_number" (one field), "resident" (every
    /// sensitive field of a kind) or "*" (every one). Roles carrying the duty reveal them
    /// in the subtrees of their posts.
    std::vector<std::string> reveals;
};

/// How many primary (post A) holders a role has at each node of its level on a date.
enum class Cardinality : std::uint8_t { any = 0, exactly_one = 1, at_least_one = 2 };
const char* cardinality_name(Cardinality c) noexcept;  ///< "any" / "exactly_one" / "at_least_one"
Cardinality parse_cardinality(std::string_view text);

/// What part a role plays in the staffing checks and the responsibility chart.
enum class RoleFunction : std::uint8_t {
    other = 0,
    grid_leader = 1,          ///< 网格长 / 网格负责人: "一个网格长"
    information_officer = 2,  ///< 信息员: "一个信息员"
    supervisor = 3,           ///< 网格指导员 / 督导员 / 督导单位
};
const char* role_function_name(RoleFunction f) noexcept;
RoleFunction parse_role_function(std::string_view text);

struct RoleType {
    std::string code;
    std::string label_zh;
    std::string label_en;
    std::string level;  ///< the LevelScheme key of the nodes where the role is held
    /// The overlay whose units hold the role (a 段区 officer, a fire-grid leader); "" =
    /// the base hierarchy. `level` is then a key of that overlay's own levels.
    std::string overlay;
    Cardinality cardinality = Cardinality::any;
    RoleFunction function = RoleFunction::other;
    std::vector<std::string> duties;  ///< duty codes the role carries
};

/// Duties and role types of one locality. Data, not code: load your own JSON
/// (format in docs/directory.md) or start from a preset. Role and duty codes share one
/// namespace, so that responsible() can take either.
struct Catalogue {
    std::string key;     ///< e.g. "township_000"
    std::string name;    ///< human-readable title
    std::string source;  ///< the policy text the catalogue follows
    std::vector<Duty> duties;
    std::vector<RoleType> roles;  ///< catalogue order is the order roles are tried in

    /// Parses and checks a catalogue (unique codes, known duties, known enum names).
    /// Errors name `source_name`, the array index and the field.
    static Catalogue from_json(std::string_view text, std::string_view source_name = "<text>");
    std::string to_json() const;

    /// Built-in catalogues (see docs/directory.md for their sources):
    /// "township_000", "community_001", "district_002", "county_seat_003".
    static std::vector<std::string> preset_keys();
    /// Throws Error(not_found) naming the key.
    static Catalogue preset(std::string_view key);

    std::optional<RoleId> find_role(std::string_view code) const;
    std::optional<DutyId> find_duty(std::string_view code) const;
};

// ---- units ---------------------------------------------------------------------------

/// Units attached to nodes. An information archive (信息档案, "一格一盒") is a unit too:
/// the grid's record box, kept by its members.
enum class UnitKind : std::uint8_t {
    party_group = 0,          ///< 党小组 / 网格党支部
    service_team = 1,         ///< 服务团队
    volunteer_team = 2,       ///< 志愿服务队
    information_archive = 3,  ///< 信息档案
};
const char* unit_kind_name(UnitKind k) noexcept;
/// Accepts the English names and 党小组 / 服务团队 / 志愿服务队 / 信息档案.
UnitKind parse_unit_kind(std::string_view text);

struct Unit {
    std::string code;
    UnitKind kind = UnitKind::party_group;
    std::string name;
    NodeId node = no_node;
    Period period;
    std::vector<std::string> members;  ///< person ids
};

// ---- assignments and absences ---------------------------------------------------------

/// A = primary post (A岗), B = backup post (B岗).
enum class Post : std::uint8_t { a = 0, b = 1 };
const char* post_name(Post p) noexcept;  ///< "A" / "B"
Post parse_post(std::string_view text);  ///< "A"/"B" (either case), "A岗"/"B岗"

struct Assignment {
    AssignmentId id = 0;  ///< given by the directory; ignored on input
    std::string person;
    std::string role;
    NodeId node = no_node;
    Post post = Post::a;
    Period period;
};

/// leave: the person is away (请假, 外出); vacancy: the post stands vacant (空缺) while
/// the appointment itself continues.
enum class AbsenceKind : std::uint8_t { leave = 0, vacancy = 1 };
const char* absence_kind_name(AbsenceKind k) noexcept;
AbsenceKind parse_absence_kind(std::string_view text);  ///< also 请假 / 空缺

struct Absence {
    AbsenceId id = 0;  ///< given by the directory; ignored on input
    std::string person;
    AbsenceKind kind = AbsenceKind::leave;
    Period period;
    AssignmentId assignment = 0;  ///< 0 = every post of the person, else only this one
    std::string reason;
};

// ---- answers -------------------------------------------------------------------------

/// What one step of a resolution found.
enum class StepOutcome : std::uint8_t {
    no_holder = 0,  ///< nobody holds the role at this node on the date (neither post)
    absent = 1,     ///< the holder is absent (see `absence`)
    chosen = 2,     ///< this holder is responsible
};
const char* step_outcome_name(StepOutcome o) noexcept;

/// One node-role-post visited by responsible(), in visiting order.
struct ResolutionStep {
    NodeId node = no_node;
    RoleId role = no_role;
    Post post = Post::a;
    PersonId person = no_person;  ///< no_person with no_holder
    AssignmentId assignment = 0;
    StepOutcome outcome = StepOutcome::no_holder;
    AbsenceId absence = 0;  ///< with `absent`
};

/// The answer of responsible(): the person (no_person when nobody), where and how they
/// were found, and every step that led there.
struct Responsibility {
    PersonId person = no_person;
    RoleId role = no_role;
    NodeId node = no_node;
    Post post = Post::a;
    AssignmentId assignment = 0;
    std::vector<ResolutionStep> steps;

    bool found() const { return person != no_person; }
};

/// One post held on a date (a line of a roster or of a person's posts).
struct RosterEntry {
    AssignmentId assignment = 0;
    PersonId person = no_person;
    RoleId role = no_role;
    NodeId node = no_node;
    Post post = Post::a;
    Period period;
    AbsenceId absence = 0;  ///< the absence covering the date, 0 when present
};

/// A person's load on a date: posts held and what the primary posts cover. Grids,
/// households and population are counted over the union of the subtrees of the
/// nodes where the person holds post A (a village post covers the village's grids).
struct Workload {
    PersonId person = no_person;
    std::uint32_t primary_posts = 0;
    std::uint32_t backup_posts = 0;
    std::uint32_t grids = 0;
    double households = 0;  ///< sum of the grids' "households" column (missing = 0)
    double population = 0;  ///< sum of the grids' "population" column (missing = 0)
};

/// Rules of compliance(). Rule ids are documented in docs/directory.md.
struct CompliancePolicy {
    std::string grid_level = "grid";
    bool five_ones = true;  ///< "五个一同步": leader, party group, officer, service team, archive
    bool cardinality = true;
    bool primary_worker = true;  ///< every grid has a post-A holder of a grid-level role
    bool backup_not_primary = true;
    /// At most this many grids on which one person holds post A; 0 = no limit. The
    /// default 1 follows seed 000 (base grids are drawn from the number of village
    /// cadres, one cadre per grid).
    std::uint32_t max_primary_grids = 1;
    bool node_lifetime = true;  ///< assignments and units within their node's lifetime
};

/// Output formats of exports.
enum class DocumentFormat : std::uint8_t { automatic = 0, json = 1, csv = 2, html = 3 };

/// The tables of a directory file. JSON documents may carry all of them at once.
enum class DirectoryTable : std::uint8_t {
    automatic = 0,
    people = 1,
    units = 2,
    assignments = 3,
    absences = 4
};
const char* directory_table_name(DirectoryTable t) noexcept;

/// What an import did.
struct DirectoryImportReport {
    std::size_t people_added = 0;
    std::size_t units_added = 0;
    std::size_t assignments_added = 0;
    std::size_t absences_added = 0;
};

class Directory {
  public:
    Directory();
    explicit Directory(Catalogue catalogue);
    Directory(const Directory&);
    Directory(Directory&&) noexcept;
    Directory& operator=(const Directory&);
    Directory& operator=(Directory&&) noexcept;
    ~Directory();

    // ---- catalogue ------------------------------------------------------------------
    const Catalogue& catalogue() const;
    /// Replaces the catalogue. Refused (Error(invalid_state) naming the role) when an
    /// assignment uses a role the new catalogue lacks or holds at another level.
    void set_catalogue(Catalogue catalogue);
    const RoleType& role(RoleId id) const;
    const Duty& duty(DutyId id) const;
    /// Throws Error(not_found) naming the code.
    RoleId role_at(std::string_view code) const;

    // ---- changes --------------------------------------------------------------------
    // Every change is checked completely before anything is applied; a refused change
    // throws Error naming the record, the field and the value, and changes nothing.

    /// Adds a person; refused when the id exists (already_exists), the id or name is
    /// empty, or the ID number fails GB 11643 (invalid_argument, naming person and field).
    PersonId add_person(const Person& person);
    std::vector<PersonId> add_people(const std::vector<Person>& people);
    /// Replaces every field of an existing person (found by id).
    void update_person(const Person& person);

    /// Adds assignments. An assignment's node is a node of its role's network: a base
    /// node, or a unit of the role's overlay. Refused: unknown person/role (not_found), an
    /// overlay the networks lack or a node id never assigned in the role's network
    /// (not_found), a node at another level than the role's (invalid_argument), from >= to
    /// (invalid_argument), the same person on the same node, role and post in overlapping
    /// periods, or two overlapping post-A holders of an exactly-one role at one node
    /// (already_exists).
    AssignmentId add_assignment(const Networks& networks, const Assignment& assignment);
    std::vector<AssignmentId> add_assignments(const Networks& networks,
                                              const std::vector<Assignment>& assignments);
    /// Closes an assignment's period at `to` (exclusive). Refused unless from < to and
    /// `to` is not later than the current end.
    void end_assignment(AssignmentId id, Date to);

    /// Adds an absence of a known person (optionally of one of their assignments).
    AbsenceId add_absence(const Absence& absence);
    std::vector<AbsenceId> add_absences(const std::vector<Absence>& absences);
    void end_absence(AbsenceId id, Date to);

    /// Adds units; refused for duplicate codes, unknown members or nodes, empty periods.
    void add_unit(const Hierarchy& hierarchy, const Unit& unit);
    void add_units(const Hierarchy& hierarchy, const std::vector<Unit>& units);
    void end_unit(std::string_view code, Date to);
    void set_unit_members(std::string_view code, const std::vector<std::string>& members);

    /// Imports a document (format: docs/directory.md) after checking all of it: a bad
    /// row throws Error naming `source_name`, the row (CSV line, JSON pointer) and the
    /// field, and nothing is imported. JSON may hold every table; CSV holds `table`.
    DirectoryImportReport import_text(const Networks& networks, std::string_view text,
                                      DocumentFormat format, DirectoryTable table,
                                      std::string_view source_name = "<text>");

    // ---- records --------------------------------------------------------------------
    std::size_t person_count() const;
    const Person& person(PersonId id) const;
    std::optional<PersonId> find_person(std::string_view id) const;
    /// Throws Error(not_found) naming the id.
    PersonId person_at(std::string_view id) const;
    const std::vector<Assignment>& assignments() const;
    /// Throws Error(not_found) naming the id.
    const Assignment& assignment(AssignmentId id) const;
    const std::vector<Absence>& absences() const;
    const std::vector<Unit>& units() const;
    const Unit& unit(std::string_view code) const;
    /// Units attached to `node` and valid on `date`, in the order they were added.
    std::vector<const Unit*> units_at(NodeId node, Date date) const;

    // ---- questions ------------------------------------------------------------------
    /// Who is responsible for a duty or a role (`code` names either) at base node `node`
    /// on `date`: at the node and then at each ancestor, every base role that is the
    /// target or carries the duty and is held at that node's level is tried in catalogue
    /// order; at each node-role the first present post-A holder wins, else the first
    /// present post-B holder. When the base finds nobody, each overlay (in the networks'
    /// order) with roles for the code is walked the same way from the units covering the
    /// node (Networks::covering()) up its own tree. O(depth · (roles + log k)). Throws
    /// not_found for an unknown code or node. A step's and the answer's node belong to
    /// the network of its role (`role(r).overlay`).
    Responsibility responsible(const Networks& networks, NodeId node, std::string_view code,
                               Date date) const;
    /// The same over every role with the given function (e.g. the grid leader).
    Responsibility responsible(const Networks& networks, NodeId node, RoleFunction function,
                               Date date) const;
    /// Who is responsible at a place: a base node as above, or an overlay unit, walked up
    /// the overlay's own tree with the roles of that overlay only (an officer covering the
    /// adjacent 段区 holds post B there).
    Responsibility responsible(const Networks& networks, const Place& place, std::string_view code,
                               Date date) const;
    /// The steps as JSON: {"person": ..., "role": ..., "node": ..., "post": ...,
    /// "steps": [{"node", "role", "post", "person", "outcome", "absence"}]}, with codes
    /// (an overlay unit as "fire:F01").
    std::string explain(const Networks& networks, const Responsibility& answer) const;
    /// Is the holder of `assignment` absent on `date`? Returns the absence id or 0.
    AbsenceId absence_on(AssignmentId assignment, Date date) const;

    /// Posts held at base node `node` on `date` (post A first, then B; by role in
    /// catalogue order).
    std::vector<RosterEntry> roster(NodeId node, Date date) const;
    /// Posts held at a place (a base node or an overlay unit) on `date`.
    std::vector<RosterEntry> roster(const Place& place, Date date) const;
    /// The place of a post: the network of its role and its node.
    Place place_of(const RosterEntry& entry) const;
    /// The place of an assignment: its node in the network of its role.
    Place place_of(const Assignment& assignment) const;
    /// Node `node` in the network of role `role` (the base for no_role).
    Place place_of(RoleId role, NodeId node) const;
    /// The overlay whose units hold role `code`: "" for a base role, and for a code the
    /// catalogue lacks (which add_assignment() then refuses by name).
    const std::string& network_of(std::string_view role) const;
    /// Posts a person holds on `date`.
    std::vector<RosterEntry> posts(std::string_view person, Date date) const;
    /// One entry per person (in people() order).
    std::vector<Workload> workload(const Networks& networks, Date date,
                                   std::string_view grid_level = "grid") const;

    /// Staffing findings for the grids (and role levels) in the subtree of `scope`
    /// (no_node = everything) on `date`, and for the overlay units holding roles of each
    /// overlay (cardinality, backup not primary; `where` = "fire:F01"). Never throws for
    /// data problems.
    std::vector<Finding> compliance(const Networks& networks, Date date,
                                    const CompliancePolicy& policy = {},
                                    NodeId scope = no_node) const;

    // ---- exports --------------------------------------------------------------------
    /// The responsibility chart (网格化图谱) of every grid in `scope` on `date`: leader,
    /// supervisor, workers with their duties and phones. JSON, CSV or a printable
    /// self-contained HTML page.
    std::string chart(const Networks& networks, Date date, DocumentFormat format, Reveal reveal,
                      NodeId scope = no_node, std::string_view grid_level = "grid") const;
    /// Role assignments valid on `date` as Casbin grouping lines "g, person, role, node"
    /// (an overlay unit as "fire:F01").
    std::string casbin_policy(const Networks& networks, Date date) const;
    /// The whole directory (catalogue, people, units, assignments, absences) as JSON; with
    /// Reveal::revealed the text can be imported back unchanged.
    std::string export_json(const Networks& networks, Reveal reveal) const;
    /// One table as CSV in the import format.
    std::string export_csv(const Networks& networks, DirectoryTable table, Reveal reveal) const;

    struct Impl;

  private:
    friend struct detail::DirectoryAccess;
    std::unique_ptr<Impl> impl_;
};

}  // namespace gridgov

#endif  // GRIDGOV_DIRECTORY_HPP
