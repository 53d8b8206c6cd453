// The records module's working parts, shared by the workspace's records face
// (src/workspace/records.cpp) and the records store (src/store/records_store.cpp):
// checking a record against its kind, the findings of a record, the compact in-memory
// columns that counts, filters and roll-ups read, and the CSV and JSON forms of records.
// Not installed.
#ifndef GRIDGOV_SRC_RECORDS_MODEL_HPP
#define GRIDGOV_SRC_RECORDS_MODEL_HPP

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/hierarchy.hpp"
#include "gridgov/records.hpp"

namespace gridgov::detail {

/// "'text'" for messages.
std::string record_quote(std::string_view s);

/// The '|'-separated values of a multiple field (empty parts dropped).
std::vector<std::string_view> split_values(std::string_view text);

/// Where records are placed: the base hierarchy and the overlays.
struct RecordPlaces {
    const Hierarchy& hierarchy;
    const std::vector<Overlay>& overlays;
};

/// Checks a record against its kind and places on `effective`, and puts it in its stored
/// form: fields in the kind's order, integers, numbers and dates written canonically, the
/// derived fields filled in. Throws Error naming `where` and the field: an unknown kind
/// or field, a missing required field, a value of the wrong type or outside its
/// enumeration, an unknown node or one not live on `effective`, an unknown overlay unit.
Record checked_record(const RecordSchema& schema, const RecordPlaces& places, const Record& in,
                      Date effective, const std::string& where);

/// The findings of one record that need nothing but the record and its node: check
/// characters, a house code against its grid's code, derived fields that disagree.
void record_findings(const RecordKind& kind, const Hierarchy& hierarchy, const Record& record,
                     std::vector<Finding>& out);

/// The record with its sensitive fields masked.
Record masked_record(const RecordKind& kind, Record record);

/// A record's fields as a JSON object text ({"name": "value", ...}) and back; the store
/// keeps them in this form.
std::string fields_json(const Record& record);
void read_fields_json(std::string_view text, Record& record, const std::string& where);
/// Overlay places as "overlay:unit|overlay:unit" and back.
std::string overlays_text(const std::vector<OverlayPlace>& places);
std::vector<OverlayPlace> parse_overlays_text(std::string_view text, const std::string& where);

/// The compact columns kept in memory per record: its kind, its node (no_node once
/// removed) and, per kind, one column per enumeration field (a bit per value) and per
/// integer or number field (NaN when absent). Record ids are dense: the store's row ids.
class RecordColumns {
  public:
    RecordColumns() = default;
    explicit RecordColumns(const RecordSchema& schema);

    const RecordSchema& schema() const { return schema_; }
    std::size_t size() const { return kind_.size(); }
    std::size_t live(std::size_t kind) const { return kinds_[kind].live; }
    std::size_t live_total() const;
    int kind_index(std::string_view key) const;  ///< -1 when unknown

    std::uint16_t kind(std::uint32_t id) const { return kind_[id]; }
    NodeId node(std::uint32_t id) const { return kinds_[kind_[id]].nodes[local_[id]]; }
    bool is_live(std::uint32_t id) const { return node(id) != no_node; }

    /// Sets record `id` (== size() appends; ids come in order) to `record` (its kind must
    /// be in the schema, its enumeration values in their lists); `live` false for a
    /// removed record. Reserve first for a change that must not fail halfway.
    void put(std::uint32_t id, const Record& record, bool live);
    /// What put() keeps of a record, packed for the store so that an open reads it without
    /// parsing the record's fields: the schema's stamp (8 bytes), then the kind's
    /// enumeration bits and numbers (8 bytes each, little-endian) and the fingerprints of
    /// its look-up values (4 bytes each). Throws as put() does.
    std::string pack(const Record& record) const;
    /// Sets record `id` from packed values as put() does from the record. False, and
    /// nothing changed, when they were packed under another schema or do not fit the
    /// kind: the caller then parses the record.
    bool put_packed(std::uint32_t id, std::string_view kind, NodeId node, bool live,
                    std::string_view packed);

    /// Appends record `id` (== size()) of kind `kind` as removed and without values, to be
    /// put() once parsed. Throws Error(invalid_state) for an unknown kind.
    void hold(std::uint32_t id, std::string_view kind);

    /// Room for `records` more versions holding `lookup_values` look-up values in all.
    void reserve(std::size_t records, std::size_t lookup_values);
    /// How many look-up values packed values of a record of `kind` hold (what put_packed()
    /// adds to the index).
    std::size_t packed_lookup_values(std::string_view kind, std::string_view packed) const;

    /// Whether the values of field `f` are found through the index in memory (a lookup
    /// field whose name no kind gives a reference field) rather than the store's table.
    bool indexes(const FieldSpec& f) const;
    /// Ids of the records that may hold `value` in the look-up field `field`, ascending
    /// without repeats: a superset (the index keeps 32-bit fingerprints, and the values a
    /// record has since changed), so the caller reads each record and keeps those holding
    /// it. nullopt when no kind indexes `field` (see indexes()): look in the store.
    std::optional<std::vector<std::uint32_t>> lookup_candidates(std::string_view field,
                                                                std::string_view value) const;

    /// Whether the record holds enumeration value `value_bit` of field `field` (an index
    /// into the kind's fields).
    bool holds(std::uint32_t id, std::size_t field, unsigned value_bit) const;
    /// Appends the nodes of the live records of kind `kind` that hold value `value_bit` of
    /// the enumeration field `field`, in id order (the loop of roll-ups).
    void nodes_holding(std::size_t kind, std::size_t field, unsigned value_bit,
                       std::vector<NodeId>& out) const;
    /// The value of an integer or number field; NaN when absent.
    double number(std::uint32_t id, std::size_t field) const;

    /// Ids of the live records of a kind (every kind with -1), in id order.
    template <class F>
    void for_each_live(int kind, F&& f) const {
        for (std::uint32_t id = 0; id < kind_.size(); ++id) {
            if ((kind < 0 || kind_[id] == kind) && is_live(id))
                f(id);
        }
    }

  private:
    // One enumeration field: bit i = value i, in the narrowest width its list allows (1,
    // 2, 4 or 8 bytes per record).
    struct EnumColumn {
        unsigned width = 8;
        std::vector<std::uint8_t> bytes;
        std::uint64_t get(std::size_t at) const;
        void set(std::size_t at, std::uint64_t bits);
        std::size_t size() const { return bytes.size() / width; }
    };
    struct KindColumns {
        std::vector<int> column_of_field;  // -1, or a column of its type
        std::vector<EnumColumn> enums;
        std::vector<std::vector<double>> numbers;  // NaN = absent
        std::vector<NodeId> nodes;                 // no_node once removed
        std::uint32_t count = 0;                   // records of the kind, removed ones included
        std::size_t live = 0;
    };
    // The look-up index: open addressing over a power-of-two table, the slot from the
    // fingerprint's low bits; id no_record marks an empty slot.
    struct LookupSlot {
        std::uint32_t tag = 0;
        std::uint32_t id = no_record;
    };
    static constexpr std::uint32_t no_record = 0xFFFFFFFFU;
    void index(std::uint32_t tag, std::uint32_t id);

    // A record's values as the columns keep them.
    struct Values {
        std::uint16_t kind = 0;
        std::vector<std::uint64_t> enums;
        std::vector<double> numbers;
        std::vector<std::uint32_t> tags;  // look-up fingerprints
    };
    Values values_of(const Record& record) const;
    void store(std::uint32_t id, const Values& v, NodeId node, bool live, std::string_view key);
    void rehash(std::size_t slots);

    RecordSchema schema_;
    std::uint64_t stamp_ = 0;
    std::vector<LookupSlot> lookup_;
    std::size_t lookup_used_ = 0;
    std::vector<std::string> references_;  // field names some kind makes a reference
    std::vector<std::uint16_t> kind_;
    std::vector<std::uint32_t> local_;  // position in the kind's columns
    std::vector<KindColumns> kinds_;
};

/// Records read from a CSV or JSON document, each with the place it came from.
struct RecordRow {
    Record record;
    std::string where;  ///< "residents.csv row 3" / "records.json records[2]"
};

/// Reads records from CSV (one kind: `kind` or, when empty, a "kind" column) or JSON
/// ({"records": [...]} or an array). Node codes are resolved in `hierarchy`; field names or
/// labels head the CSV columns. Throws Error naming the source, row and field: a missing
/// column of a required field, an unknown column, an unknown node code.
std::vector<RecordRow> read_records_csv(std::string_view text, const RecordSchema& schema,
                                        const Hierarchy& hierarchy, std::string_view kind,
                                        const std::string& source_name);
std::vector<RecordRow> read_records_json(std::string_view text, const RecordSchema& schema,
                                         const Hierarchy& hierarchy, std::string_view kind,
                                         const std::string& source_name);

/// Records as CSV of one kind (key, node, overlays, the kind's fields) or as a JSON
/// document {"records": [...]}; node codes stand for nodes.
std::string records_csv(const RecordKind& kind, const Hierarchy& hierarchy,
                        const std::vector<Record>& records);
std::string records_json(const Hierarchy& hierarchy, const std::vector<Record>& records);
/// One record as a JSON object text (as records_json() writes each).
std::string record_json(const Hierarchy& hierarchy, const Record& record);

}  // namespace gridgov::detail

#endif
