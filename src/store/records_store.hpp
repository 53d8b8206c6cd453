// The records' side of a workspace file (src/store/records_store.cpp): the schema, one row
// per record, its versions and the index of its lookup values (migration 8).
#ifndef GRIDGOV_SRC_STORE_RECORDS_STORE_HPP
#define GRIDGOV_SRC_STORE_RECORDS_STORE_HPP

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gridgov/records.hpp"
#include "store/db.hpp"

namespace gridgov::detail {

struct RecordsStatements;

/// A record's row: what a change needs to know before it writes.
struct RecordHead {
    std::uint32_t id = 0;
    std::string kind;
    bool live = true;
    std::uint32_t versions = 0;
    Date last;  ///< the day its last version took effect
};

/// (field, value) pairs a record is found by: its lookup and reference fields' values and
/// its overlay places ("@overlay:<key>", unit).
using RecordLookups = std::vector<std::pair<std::string, std::string>>;

/// The records' tables, over the workspace's connection; statements prepared on first use.
class RecordsStore {
  public:
    explicit RecordsStore(Db& db);
    RecordsStore(const RecordsStore&) = delete;
    RecordsStore& operator=(const RecordsStore&) = delete;
    ~RecordsStore();

    /// The stored schema document; nullopt while none was set.
    std::optional<std::string> schema_document();
    void write_schema(const std::string& document);

    /// Every record's current version in id order: f(id, record, live). Throws
    /// Error(storage) naming the file and the row when a row cannot be read.
    void read_current(const std::function<void(std::uint32_t, Record&&, bool)>& f);

    std::optional<RecordHead> head(std::string_view key);
    /// A record's key and kind by its id; nullopt for an unknown id.
    struct KeyKind {
        std::string key;
        std::string kind;
    };
    std::optional<KeyKind> key_kind(std::uint32_t id);
    /// The id the next added record gets.
    std::uint32_t next_id();

    /// Every record's row in id order: f(id, kind, live, node (no_node once removed),
    /// its packed column values (RecordColumns::pack(); empty when none are stored)).
    void read_packed(const std::function<void(std::uint32_t, std::string_view, bool, NodeId,
                                              std::string_view)>& f);
    /// Replaces the whole look-up table by these records' values (a new schema).
    void write_lookups(const std::vector<std::pair<std::uint32_t, RecordLookups>>& lookups);
    /// Replaces a record's packed column values (a new schema packs them anew).
    void write_packed(std::uint32_t id, const std::string& packed);

    /// Writes version `version` of record `id` (a new row when version is 1) with the
    /// record's packed column values; its look-up values `before` give way to `lookups`.
    void write_version(std::uint32_t id, std::uint32_t version, RecordChange change, Date day,
                       const Record& record, const std::string& packed,
                       const RecordLookups& lookups, const RecordLookups& before);

    /// The last version of a record taking effect no later than `on` (any with nullopt).
    std::optional<RecordVersion> version_on(std::uint32_t id, std::optional<Date> on);
    std::vector<RecordVersion> versions(std::uint32_t id);
    /// Ids of the records whose lookup `field` holds `value`, ascending.
    std::vector<std::uint32_t> lookup(std::string_view field, std::string_view value);

    /// Appends access-log entries (their seq, at and hash are given here) chained to the
    /// last stored one; inside the caller's write transaction.
    void append_access(std::vector<RecordAccess>& entries);
    /// Entries after `after_seq` in order, at most `limit` (0 = all).
    std::vector<RecordAccess> access_log(std::int64_t after_seq, std::size_t limit);
    /// Re-computes every entry's hash in order.
    AccessLogCheck verify_access_log();

    /// Writes a field-check round (its findings' nodes filled in) as the next id.
    void write_check(const CheckRound& round);
    /// Every round in the order written; `hierarchy` is not needed: nodes are ids.
    std::vector<CheckRound> read_checks();
    /// Whether a round has this label.
    bool has_check(std::string_view label);

  private:
    RecordsStatements& statements();
    /// A version read from columns col..col+5 (version, change, day, node, fields, overlays).
    RecordVersion read_version(Statement& st, const std::string& key, const std::string& kind,
                               int col);

    Db& db_;
    std::unique_ptr<RecordsStatements> sql_;
};

}  // namespace gridgov::detail

#endif
