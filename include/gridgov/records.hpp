// Records (人、地、事、物、情、组织): the base records a grid keeps — residents, households,
// houses, units, organisations and components — as kinds whose schemas are data.
//
// A kind is a list of typed fields (text, integer, number, date, enumeration, code with a
// check rule, reference to another record), some of them required, some sensitive. The
// preset "standard" ships the six kinds of the policy texts (docs/records.md); a
// locality adds fields and kinds with RecordSchema::extend() and a JSON document, without
// code.
//
// Every record has a stable key (the locality's own code), lives at a node of the base
// hierarchy (a grid) and optionally on overlay units (a shop in a 段区, a key unit in a
// fire grid). Changes, moves and removals are dated: a record's history is its own list of
// versions, and get(key, date) gives it as it stood on a date.
//
// Bad input is refused and changes nothing (an unknown node, a missing required field, a
// value of the wrong type); data that is well-formed but wrong — an ID number or credit
// code whose check character fails, a house code outside its grid's code — is kept as
// written and reported as a finding (records.* rules, docs/records.md), never fixed.
//
// Privacy: fields marked sensitive (ID numbers, phones, special-group classes) are masked
// in every answer and export; a reader (RecordReader) asks for them in clear, gets them
// only where its posts' duties allow, and every such read is kept in a hash-chained
// access log.
//
// Storage: in a workspace the text of records stays in the store; what stays in memory
// per record is its kind, its node and the enumeration and number fields that roll-ups
// read (docs/records.md, "What is kept in memory").
#ifndef GRIDGOV_RECORDS_HPP
#define GRIDGOV_RECORDS_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"

namespace gridgov {

// ---- kinds -------------------------------------------------------------------------------

/// The type of a field's values. Values travel as text: integers and numbers in decimal,
/// dates as "YYYY-MM-DD", several values of a `multiple` field joined by '|'.
enum class FieldType : std::uint8_t {
    text = 0,
    integer = 1,
    number = 2,
    date = 3,
    enumeration = 4,  ///< one of the field's `values` ("enum" in JSON)
    code = 5,         ///< an identifier checked by the field's CodeCheck
    reference = 6,    ///< the key of another record (of the kind `refers_to`)
};
/// "text", "integer", "number", "date", "enum", "code", "reference".
const char* field_type_name(FieldType type) noexcept;
/// The names above; Error(invalid_argument) naming the text.
FieldType parse_field_type(std::string_view text);

/// The check a code field's values must pass (failures are findings, never refusals).
enum class CodeCheck : std::uint8_t {
    none = 0,
    id_number = 1,       ///< 居民身份证号, GB 11643-1999 (ISO 7064 MOD 11-2)
    credit_code = 2,     ///< 统一社会信用代码, GB 32100-2015 (18 characters, MOD 31)
    house_code = 3,      ///< a house code: begins with the code of the grid it is placed at
    component_code = 4,  ///< 部件标识码 (GB/T 30428.2): 16 digits, area + class + serial
    phone = 5,           ///< 11-digit mobile or a fixed line (digits and one '-')
};
/// "none", "id_number", "credit_code", "house_code", "component_code", "phone".
const char* code_check_name(CodeCheck check) noexcept;
CodeCheck parse_code_check(std::string_view text);

/// The GB 32100-2015 check character of a unified social credit code's first 17
/// characters (digits and the letters the standard allows). Throws Error(invalid_argument)
/// naming the character it refuses.
char credit_code_check_character(std::string_view first17);
/// True for an 18-character 统一社会信用代码 whose check character is right.
bool is_valid_credit_code(std::string_view code);
/// True for a 16-digit 部件标识码 whose major class (digits 7-8) is 01-99 and serial is not
/// all zeros.
bool is_valid_component_code(std::string_view code);
/// True for an 11-digit mobile number starting with 1, a local number of 7-8 digits, or
/// one with its area code (starting with 0: 10-12 digits, or "0564-6012345").
bool is_valid_phone(std::string_view phone);

/// What a field's value is derived from when it is not given: a resident's birth date and
/// sex from the ID number. A given value that disagrees is a finding.
enum class Derivation : std::uint8_t { none = 0, birth_date = 1, sex = 2 };

/// One field of a kind.
struct FieldSpec {
    std::string name;   ///< stable name, e.g. "id_number"
    std::string label;  ///< human-readable (Chinese) label, e.g. "公民身份号码"
    FieldType type = FieldType::text;
    bool required = false;              ///< refused when absent on add
    bool sensitive = false;             ///< masked unless revealed
    bool multiple = false;              ///< enumeration or reference: several values joined by '|'
    bool lookup = false;                ///< records can be found by this field's value (find())
    std::vector<std::string> values;    ///< enumeration: the allowed values (at most 64)
    CodeCheck check = CodeCheck::none;  ///< code: the rule its values are checked by
    std::string refers_to;              ///< reference: the kind of the record referred to
    /// The field whose value this one is derived from when absent (a code field checked as
    /// an ID number), and what is derived.
    std::string derive_from;
    Derivation derivation = Derivation::none;
};

/// A kind of record: a schema of fields.
struct RecordKind {
    std::string key;    ///< e.g. "resident"
    std::string label;  ///< e.g. "实有人口"
    std::vector<FieldSpec> fields;

    /// nullptr when the kind has no such field.
    const FieldSpec* field(std::string_view name) const;
};

/// The kinds of a workspace. Data, not code: JSON (docs/records.md) or a preset.
struct RecordSchema {
    std::vector<RecordKind> kinds;

    /// Parses and checks a schema: unique kind keys and field names, known types and
    /// checks, values for every enumeration (at most 64), a known kind for every reference.
    /// Errors name `source_name`, the kind and the field.
    static RecordSchema from_json(std::string_view text, std::string_view source_name = "<text>");
    /// Parses an extension of `base` (for extend()): its fields may refer to the kinds of
    /// `base` and derive from their fields.
    static RecordSchema extension_from_json(std::string_view text, const RecordSchema& base,
                                            std::string_view source_name = "<text>");
    std::string to_json() const;

    /// Built-in schemas: "standard" (resident, household, house, unit, organisation,
    /// component; docs/records.md lists their fields and sources).
    static std::vector<std::string> preset_keys();
    /// Throws Error(not_found) naming the key.
    static RecordSchema preset(std::string_view key);

    /// Adds a locality's kinds and fields: a kind of `extension` that is new is appended;
    /// the fields of a kind that exists are appended to it. Refused (already_exists naming
    /// the kind and field) when a field exists; the result is checked as from_json() does.
    void extend(const RecordSchema& extension);

    const RecordKind* find(std::string_view key) const;
    /// Throws Error(not_found) naming the key.
    const RecordKind& kind(std::string_view key) const;
};

// ---- records -----------------------------------------------------------------------------

/// A record's place on an overlay: the overlay's key and the unit's code.
struct OverlayPlace {
    std::string overlay;
    std::string unit;
    friend bool operator==(const OverlayPlace& a, const OverlayPlace& b) {
        return a.overlay == b.overlay && a.unit == b.unit;
    }
};

/// One record as given to add()/update() or as read back.
struct Record {
    std::string key;        ///< stable, unique in the workspace, e.g. "R-341521105001-0001"
    std::string kind;       ///< a kind of the schema
    NodeId node = no_node;  ///< the base-hierarchy node it lives at (a grid)
    std::vector<OverlayPlace> overlays;
    /// Field values as text, in the kind's field order when read back; absent fields are
    /// left out.
    std::vector<std::pair<std::string, std::string>> fields;

    /// The value of a field; nullptr when absent.
    const std::string* field(std::string_view name) const;
};

/// What a version of a record did.
enum class RecordChange : std::uint8_t { added = 0, changed = 1, moved = 2, removed = 3 };
/// "added", "changed", "moved", "removed".
const char* record_change_name(RecordChange change) noexcept;

/// One version of a record: the change, the date it took effect and the record after it.
struct RecordVersion {
    std::uint32_t version = 0;  ///< 1, 2, 3, ...
    RecordChange change = RecordChange::added;
    Date effective;
    Record record;  ///< as it stood after the change (for `removed`: as it was removed)
};

/// Which records list() returns; empty members match everything.
struct RecordFilter {
    std::string kind;
    NodeId within = no_node;  ///< only records in this node's subtree
    /// Field equals value: an enumeration field (a `multiple` one: holds the value), or
    /// a lookup or reference field.
    std::vector<std::pair<std::string, std::string>> where;
    std::optional<OverlayPlace> overlay;  ///< only records placed on this overlay unit
};

/// How many records one officer on an overlay may hold: seed 002 第一篇 sizes a market
/// officer's (段管员) 段区 to at most about 1,000 业户. validate() counts, for each person
/// holding post A of a role of `overlay` on the date, the live records of `kind` (holding
/// `value` in enumeration field `field`, when given) placed on the units of those posts
/// or on units beneath them; more than `per_officer` is a finding "records.officer_load"
/// (warning; where = the person's id).
struct OfficerLoadRule {
    std::string overlay;  ///< e.g. "market"
    std::string kind;     ///< e.g. "unit"
    std::string field;    ///< "" = every record of the kind
    std::string value;
    std::uint32_t per_officer = 1000;

    /// The seed's rule: units on the "market" overlay, 1,000 per officer.
    static OfficerLoadRule market_supervision_002();
};

/// What validate() checks besides the rules it always applies.
struct RecordValidationPolicy {
    std::vector<OfficerLoadRule> officer_loads;

    /// {"officer_loads": [{"overlay", "kind", "field", "value", "per_officer"}]}, or the
    /// text "market_supervision_002" for the seed's rule alone. Error(parse_error /
    /// invalid_argument) naming `source_name` and the member.
    static RecordValidationPolicy from_json(std::string_view text,
                                            std::string_view source_name = "<text>");
    std::string to_json() const;
};

/// What an import did.
struct RecordImportReport {
    std::size_t added = 0;
    std::size_t changed = 0;        ///< existing keys whose fields or places changed
    std::size_t unchanged = 0;      ///< existing keys given exactly as stored
    std::vector<Finding> findings;  ///< checks the imported records fail (kept as written)
};

/// Who reads records, and why. Every read of record contents (get, history, find, list,
/// export) names its reader: a person of the directory, who reads the records of the
/// subtrees where they hold posts on `on`, or the system itself (imports, backups, the
/// library's own checks), named explicitly. Sensitive fields are shown in clear only when
/// asked (`reveal`) and allowed: to the system, or to a person through a post covering the
/// record whose role carries a duty that reveals them (Duty::reveals, a catalogue
/// setting). Every read that shows a sensitive value in clear is written to the access log
/// first (who, whose record, which fields, when, why).
struct RecordReader {
    std::string person;   ///< the reading person's id in the directory; empty for the system
    bool system = false;  ///< the system's own read; `person` must then be empty
    std::string purpose;  ///< why the records are read (required; kept in the access log)
    Reveal reveal = Reveal::masked;  ///< asks for sensitive fields in clear
    /// The day whose posts grant access; nullopt = today in China Standard Time (UTC+8).
    std::optional<Date> on;

    /// The system reading for `purpose`.
    static RecordReader system_read(std::string purpose, Reveal reveal = Reveal::masked);
    /// A person reading for `purpose` with the posts they hold on `on`.
    static RecordReader person_read(std::string person, std::string purpose,
                                    Reveal reveal = Reveal::masked,
                                    std::optional<Date> on = std::nullopt);
};

/// One entry of the access log: a read that showed sensitive fields of one record in
/// clear. The entries form a SHA-256 chain: each hash covers the entry and the hash
/// before it, so an edited, removed or inserted entry is found by verify_access_log().
struct RecordAccess {
    std::int64_t seq = 0;             ///< 1, 2, 3, ... in the order the reads happened
    std::string at;                   ///< UTC time of the read, "2026-12-06T10:15:30.123Z"
    std::string reader;               ///< the person's id; "" for the system
    bool system = false;              ///< a system read
    std::string purpose;              ///< why, as the reader gave it
    std::string read;                 ///< "get", "history", "find", "list" or "export"
    std::string key;                  ///< whose record
    std::string kind;                 ///< its kind
    std::vector<std::string> fields;  ///< the sensitive fields shown in clear
    std::string hash;                 ///< lowercase hex SHA-256 of the entry chained to the last
};

/// What verify_access_log() found.
struct AccessLogCheck {
    std::int64_t entries = 0;  ///< entries read
    bool intact = true;
    std::int64_t first_bad = 0;  ///< seq of the first entry that fails (0 when intact)
    /// "hash_mismatch" (the entry, or one before it, was changed, removed or inserted
    /// with its hash recomputed), "sequence" (a gap in the numbering) or "".
    std::string problem;
};

/// An access-log entry as one JSON object {seq, at, reader, system, purpose, read, key,
/// kind, fields, hash}.
std::string record_access_to_json(const RecordAccess& entry);
/// Entries as JSON (an array of record_access_to_json() objects) or CSV (columns seq, at,
/// reader, system, purpose, read, key, kind, fields joined with "|", hash).
std::string record_access_log_text(const std::vector<RecordAccess>& entries, DocumentFormat format);

// ---- 四实 collection quality (seed 001 篇7) -------------------------------------------------

/// What an inspector found about one person (or unit) at a drawn record, usually a house.
enum class CheckOutcome : std::uint8_t {
    correct = 0,           ///< collected, and the record is right (采集准确)
    not_collected = 1,     ///< found there without a record (未采集)
    not_deregistered = 2,  ///< a record of someone no longer there (未注销)
    wrong = 3,             ///< a record with wrong information (信息错误)
};
/// "correct", "not_collected", "not_deregistered", "wrong".
const char* check_outcome_name(CheckOutcome outcome) noexcept;
/// The names above and 准确 / 未采集 / 未注销 / 信息错误; Error(invalid_argument) otherwise.
CheckOutcome parse_check_outcome(std::string_view text);

/// One thing found at a drawn record.
struct CheckFinding {
    std::string sampled;  ///< the drawn record it was found at (one of the draw's picks)
    /// The record concerned (a resident ...); empty for not_collected (there is none).
    std::string record;
    CheckOutcome outcome = CheckOutcome::correct;
    std::string note;       ///< what was seen: a name, the wrong field
    NodeId node = no_node;  ///< read back: the grid of `sampled` on the round's date
};

/// A field check (督查): records drawn with the audited draw, visited on `date` by
/// `inspector`, and what was found at each.
struct CheckRound {
    std::string label;      ///< unique in the workspace, e.g. "2026-09 城关街道 督查"
    Date date;              ///< the day of the visits; it gives the month of the rates
    std::string inspector;  ///< who checked (a person id or a name)
    DrawRecord draw;        ///< candidates are record keys; picks are the records visited
    std::vector<CheckFinding> findings;
};

/// Collection quality of one node (with its subtree) over one month.
struct CheckRates {
    NodeId node = no_node;
    std::string month;        ///< "2026-09"
    std::size_t sampled = 0;  ///< drawn records visited
    std::size_t correct = 0;
    std::size_t not_collected = 0;
    std::size_t not_deregistered = 0;
    std::size_t wrong = 0;
    /// People found: correct + wrong + not_collected (the records not de-registered are of
    /// people who are gone).
    std::size_t checked() const { return correct + wrong + not_collected; }
    /// 采集率: (checked - not_collected) / checked in %; nullopt when nobody was checked.
    std::optional<double> collection_rate() const;
    /// 准确率: correct / (correct + wrong) in %; nullopt when no record was checked.
    std::optional<double> accuracy_rate() const;
};

/// A round as one JSON object {label, date, inspector, draw (draw_to_json()), findings:
/// [{sampled, record, outcome, note, node}]}; check_round_from_json() reads it back (node
/// ignored on input) with errors naming the member.
std::string check_round_to_json(const CheckRound& round, const Hierarchy& hierarchy);
CheckRound check_round_from_json(std::string_view json);

/// Masks a sensitive value for display as its field's kind asks: ID numbers as
/// mask_id_number(), phones as mask_phone(), anything else as "***" (empty stays empty).
std::string mask_field_value(const FieldSpec& field, std::string_view value);

}  // namespace gridgov

#endif  // GRIDGOV_RECORDS_HPP
