// The workspace's records: their changes, written through to the file in one transaction
// each, their load step, and the Workspace's records face. The text of records stays in
// the store (src/store/records_store.cpp); memory holds the compact columns that counts,
// filters and roll-ups read (records/model.hpp).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/text.hpp"
#include "io/files.hpp"
#include "io/json_fields.hpp"
#include "records/model.hpp"
#include "store/records_store.hpp"
#include "workspace/caller_scope.hpp"
#include "workspace/workspace_impl.hpp"

namespace gridgov {
namespace {

using detail::record_quote;
using detail::RecordColumns;
using detail::RecordLookups;

RecordSchema stored_schema(Workspace::Impl& w) {
    const std::optional<std::string> doc = w.records_store.schema_document();
    if (!doc)
        return RecordSchema::preset("standard");
    return RecordSchema::from_json(*doc, w.db.label() + " table record_schema");
}

/// The values a record is found by in the store: reference fields, overlay places, and
/// lookup fields the columns do not index in memory.
RecordLookups lookups_of(const RecordColumns& columns, const RecordKind& kind, const Record& r) {
    RecordLookups out;
    for (const FieldSpec& f : kind.fields) {
        if ((!f.lookup && f.type != FieldType::reference) || columns.indexes(f))
            continue;
        if (const std::string* v = r.field(f.name)) {
            for (std::string_view part : detail::split_values(*v))
                out.emplace_back(f.name, std::string(part));
        }
    }
    for (const OverlayPlace& p : r.overlays)
        out.emplace_back("@overlay:" + p.overlay, p.unit);
    return out;
}

bool same_content(const Record& a, const Record& b) {
    return a.fields == b.fields;
}

bool same_place(const Record& a, const Record& b) {
    return a.node == b.node && a.overlays == b.overlays;
}

/// A version decided by a change, applied to the columns once it is committed: its
/// column values packed as they were written.
struct Pending {
    std::uint32_t id = 0;
    std::string kind;
    NodeId node = no_node;
    bool live = true;
    std::string packed;
};

/// One change of the records: what it decided, written row by row inside the caller's
/// transaction, and applied to the columns after the commit.
class RecordsChange {
  public:
    explicit RecordsChange(Workspace::Impl& w) : w_(w), next_id_(w.records_store.next_id()) {}

    /// Adds the record or, with `upsert`, replaces an existing one's fields and places.
    /// Returns the record's change (nullopt when nothing changed).
    std::optional<RecordChange> put(const Record& in, Date effective, const std::string& where,
                                    bool upsert, std::vector<Finding>& findings) {
        const RecordSchema& schema = w_.records.schema();
        // One look-up of the key: the kind of an existing record may not change, which is
        // said before the record is checked against the kind it is given as.
        const std::optional<detail::RecordHead> head = w_.records_store.head(in.key);
        if (head && upsert && head->kind != in.kind)
            detail::field_error(ErrorCode::invalid_argument, where, "kind",
                                "record " + record_quote(in.key) + " is a " + head->kind +
                                    ": a record's kind cannot change");
        const Record r = detail::checked_record(schema, places(), in, effective, where);
        if (!keys_.insert(r.key).second)
            detail::field_error(ErrorCode::already_exists, where, "key",
                                record_quote(r.key) + " given twice");
        const RecordKind& kind = schema.kind(r.kind);
        if (!head) {
            detail::record_findings(kind, w_.hierarchy, r, findings);
            write(next_id_++, 1, RecordChange::added, effective, r, kind, nullptr);
            return RecordChange::added;
        }
        if (!upsert)
            detail::field_error(ErrorCode::already_exists, where, "key",
                                "record " + record_quote(r.key) + " exists");
        const Record current = live_head(*head, r.key, effective, where);
        if (same_content(current, r) && same_place(current, r))
            return std::nullopt;
        const RecordChange change =
            same_content(current, r) ? RecordChange::moved : RecordChange::changed;
        detail::record_findings(kind, w_.hierarchy, r, findings);
        write(head->id, head->versions + 1, change, effective, r, kind, &current);
        return change;
    }

    void move(std::string_view key, NodeId node, Date effective) {
        const std::string where = "record " + record_quote(key);
        const std::optional<detail::RecordHead> head = w_.records_store.head(key);
        if (!head)
            throw Error(ErrorCode::not_found, "no record " + record_quote(key));
        const Record current = live_head(*head, key, effective, where);
        if (current.node == node)
            return;
        Record r = current;
        r.node = node;
        r = detail::checked_record(w_.records.schema(), places(), r, effective, where);
        write(head->id, head->versions + 1, RecordChange::moved, effective, r,
              w_.records.schema().kind(r.kind), &current);
    }

    void remove(std::string_view key, Date effective) {
        const std::string where = "record " + record_quote(key);
        const std::optional<detail::RecordHead> head = w_.records_store.head(key);
        if (!head)
            throw Error(ErrorCode::not_found, "no record " + record_quote(key));
        const Record r = live_head(*head, key, effective, where);
        write(head->id, head->versions + 1, RecordChange::removed, effective, r,
              w_.records.schema().kind(r.kind), &r);
    }

    bool empty() const { return pending_.empty(); }

    /// Room for the pending versions, made before the commit so that applying them
    /// cannot fail halfway.
    void reserve() {
        std::size_t values = 0;
        for (const Pending& p : pending_)
            values += p.live ? w_.records.packed_lookup_values(p.kind, p.packed) : 0;
        w_.records.reserve(pending_.size(), values);
    }

    /// After the commit: the columns take the pending versions (packed under their own
    /// schema, so they always fit).
    void apply() {
        for (const Pending& p : pending_) {
            if (!w_.records.put_packed(p.id, p.kind, p.node, p.live, p.packed))
                throw Error(ErrorCode::internal, "record " + std::to_string(p.id) +
                                                     ": its packed values do not fit its kind");
        }
    }

  private:
    detail::RecordPlaces places() const { return {w_.hierarchy, w_.overlays}; }

    Record live_head(const detail::RecordHead& head, std::string_view key, Date effective,
                     const std::string& where) {
        if (!head.live)
            detail::field_error(
                ErrorCode::invalid_state, where, "key",
                "record " + record_quote(key) + " was removed on " + head.last.to_string());
        if (effective < head.last)
            throw Error(ErrorCode::invalid_argument,
                        where + ": the change takes effect on " + effective.to_string() +
                            ", before the record's last change (" + head.last.to_string() + ")");
        if (written_.count(head.id) != 0)
            detail::field_error(ErrorCode::already_exists, where, "key",
                                record_quote(key) + " given twice");
        std::optional<RecordVersion> v = w_.records_store.version_on(head.id, std::nullopt);
        if (!v)
            throw Error(ErrorCode::storage,
                        w_.db.label() + ": record " + record_quote(key) + " has no versions");
        return std::move(v->record);
    }

    // `before`: the record as it stood, whose look-up values the new version replaces.
    void write(std::uint32_t id, std::uint32_t version, RecordChange change, Date day,
               const Record& r, const RecordKind& kind, const Record* before) {
        Pending p{id, r.kind, r.node, change != RecordChange::removed, w_.records.pack(r)};
        w_.records_store.write_version(
            id, version, change, day, r, p.packed,
            p.live ? lookups_of(w_.records, kind, r) : RecordLookups{},
            before == nullptr ? RecordLookups{} : lookups_of(w_.records, kind, *before));
        written_.insert(id);
        pending_.push_back(std::move(p));
    }

    Workspace::Impl& w_;
    std::uint32_t next_id_;
    std::set<std::string, std::less<>> keys_;
    std::unordered_set<std::uint32_t> written_;
    std::vector<Pending> pending_;
};

/// Runs `decide` as one change of the records (refused changes throw and change nothing).
template <class Decide>
void change_records(Workspace::Impl& w, std::string_view what, Decide&& decide) {
    std::optional<RecordsChange> change;
    w.write_through(detail::JournalModule::records, what, [&] {
        change.emplace(w);
        decide(*change);
        change->reserve();
        return !change->empty();
    });
    change->apply();
}

struct Cancelled {};

// ---- who reads ---------------------------------------------------------------------------

// What one read may show, decided once: the reader checked, a person's posts on their day
// with the reveals of each post's duties; the entries the read adds to the access log,
// written by finish() before the answer leaves.
class ReadGrant {
  public:
    ReadGrant(Workspace::Impl& w, const RecordReader& reader, const char* read)
        : w_(w), scope_(w, reader, "record reader"), reader_(reader), read_(read) {}

    // Whether a post on the base hierarchy covers `node`.
    bool covers(NodeId node) const { return scope_.covers(node); }

    // Whether a post covers the record: on the base hierarchy over its node, or on an
    // overlay unit that is (or encloses) one of the record's overlay places.
    bool covers(const Record& r) const {
        return scope_.covers(r.node) || scope_.covers_places(r.overlays);
    }

    // Whether the reader holds posts on overlay units (list() then reads the places of the
    // records no base post covers).
    bool overlay_posts() const { return scope_.overlay_posts(); }

    // Refuses a record no post covers (get and history).
    void require(const Record& r) const {
        if (covers(r))
            return;
        throw Error(ErrorCode::permission_denied,
                    "person " + record_quote(reader_.person) + " holds no post on " +
                        scope_.day().to_string() + " covering record " + record_quote(r.key) +
                        " (at " + scope_.node_name(r.node) + ")");
    }

    // The record as the reader sees it, `at` the node deciding what it may reveal. A
    // revealed read of a sensitive field no duty of a covering post reveals is refused.
    Record show(Record r, NodeId at) {
        const RecordKind* kind = w_.records.schema().find(r.kind);
        if (kind == nullptr)
            return r;
        if (reader_.reveal == Reveal::masked)
            return detail::masked_record(*kind, std::move(r));
        std::vector<std::string> shown;
        for (const auto& [name, value] : r.fields) {
            const FieldSpec* f = kind->field(name);
            if (f == nullptr || !f->sensitive || value.empty())
                continue;
            if (!reader_.system && !scope_.reveals(kind->key, name, at, r.overlays))
                throw Error(ErrorCode::permission_denied,
                            "person " + record_quote(reader_.person) + " may not see " + kind->key +
                                "." + name + " of record " + record_quote(r.key) +
                                " in clear: no duty of their posts covering " +
                                scope_.node_name(at) + " on " + scope_.day().to_string() +
                                " reveals it");
            shown.push_back(name);
        }
        if (!shown.empty())
            log(r, shown);
        return r;
    }

    // Writes the access-log entries of the read, in a transaction of their own.
    void finish() {
        if (entries_.empty())
            return;
        Workspace::Impl::Write tx(w_, "reveal sensitive record fields (their access log)");
        w_.records_store.append_access(entries_);
        tx.commit(detail::JournalModule::records, false);
    }

    const RecordReader& reader() const { return reader_; }

  private:
    void log(const Record& r, const std::vector<std::string>& fields) {
        auto [it, added] = logged_.emplace(r.key, entries_.size());
        if (added) {
            RecordAccess e;
            e.reader = reader_.person;
            e.system = reader_.system;
            e.purpose = reader_.purpose;
            e.read = read_;
            e.key = r.key;
            e.kind = r.kind;
            e.fields = fields;
            entries_.push_back(std::move(e));
            return;
        }
        std::vector<std::string>& have = entries_[it->second].fields;
        for (const std::string& f : fields) {
            if (std::find(have.begin(), have.end(), f) == have.end())
                have.push_back(f);
        }
    }

    Workspace::Impl& w_;
    detail::CallerScope scope_;
    const RecordReader& reader_;
    const char* read_;
    std::vector<RecordAccess> entries_;
    std::unordered_map<std::string, std::size_t> logged_;
};

// Whether one of the values of the record's field is `value`.
bool holds_value(const Record& r, std::string_view field, std::string_view value) {
    const std::string* v = r.field(field);
    if (v == nullptr)
        return false;
    for (std::string_view part : detail::split_values(*v)) {
        if (part == value)
            return true;
    }
    return false;
}

bool has_lookup(const RecordSchema& schema, std::string_view field) {
    for (const RecordKind& k : schema.kinds) {
        const FieldSpec* f = k.field(field);
        if (f != nullptr && (f->lookup || f->type == FieldType::reference))
            return true;
    }
    return false;
}

/// The kind a file's name gives: its stem is the kind (or its plural with "s"), or ends
/// with "_" and that.
std::string kind_from_name(const RecordSchema& schema, const std::string& source) {
    const std::string stem = std::filesystem::path(source).stem().string();
    for (const RecordKind& k : schema.kinds) {
        for (const std::string& name : {k.key, k.key + "s"}) {
            if (stem == name || (stem.size() > name.size() &&
                                 stem.compare(stem.size() - name.size(), name.size(), name) == 0 &&
                                 stem[stem.size() - name.size() - 1] == '_'))
                return k.key;
        }
    }
    return {};
}

DocumentFormat format_of(DocumentFormat format, const std::string& file) {
    if (format != DocumentFormat::automatic)
        return format;
    const std::string ext = std::filesystem::path(file).extension().string();
    if (ext == ".csv" || ext == ".CSV")
        return DocumentFormat::csv;
    if (ext == ".json" || ext == ".JSON")
        return DocumentFormat::json;
    throw Error(ErrorCode::invalid_argument,
                "file " + file + ": the format is .csv or .json (or name it)");
}

}  // namespace

void Workspace::Impl::load_records() {
    try {
        // The packed column values of each row; a row without them (or packed under
        // another schema) held by its kind and parsed from its current version afterwards.
        RecordColumns columns(stored_schema(*this));
        std::vector<std::uint32_t> unpacked;
        records_store.read_packed([&](std::uint32_t id, std::string_view kind, bool live,
                                      NodeId node, std::string_view packed) {
            if (!columns.put_packed(id, kind, node, live, packed)) {
                columns.hold(id, kind);
                unpacked.push_back(id);
            }
        });
        for (std::uint32_t id : unpacked) {
            std::optional<RecordVersion> v = records_store.version_on(id, std::nullopt);
            if (!v)
                throw Error(ErrorCode::storage,
                            db.label() + ": record " + std::to_string(id) + " has no versions");
            columns.put(id, v->record, v->change != RecordChange::removed);
        }
        records = std::move(columns);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::storage)
            throw;
        throw Error(ErrorCode::storage,
                    "workspace " + db.path() + ": the stored records are refused: " + e.what());
    }
}

// ---- kinds ------------------------------------------------------------------------------

const RecordSchema& WorkspaceRecords::schema() const {
    return impl_->records.schema();
}

void WorkspaceRecords::set_schema(const RecordSchema& schema) {
    // Checked by reading every stored record into columns of the new schema.
    RecordSchema checked = RecordSchema::from_json(schema.to_json(), "the schema");
    RecordColumns next(checked);
    impl_->write_through(detail::JournalModule::records, "set the record schema", [&] {
        impl_->records_store.write_schema(checked.to_json());
        // The column values packed anew under the new schema, and the store's look-up
        // table rebuilt for its lookup and reference fields.
        std::vector<std::pair<std::uint32_t, std::string>> packed;
        std::vector<std::pair<std::uint32_t, RecordLookups>> lookups;
        impl_->records_store.read_current([&](std::uint32_t id, Record&& r, bool live) {
            if (next.kind_index(r.kind) < 0)
                throw Error(ErrorCode::invalid_state,
                            "the schema has no kind " + record_quote(r.kind) +
                                ", which stored records use (record " + record_quote(r.key) + ")");
            next.put(id, r, live);
            packed.emplace_back(id, next.pack(r));
            if (live)
                lookups.emplace_back(id, lookups_of(next, checked.kind(r.kind), r));
        });
        for (const auto& [id, values] : packed)
            impl_->records_store.write_packed(id, values);
        impl_->records_store.write_lookups(lookups);
    });
    impl_->records = std::move(next);
}

void WorkspaceRecords::extend_schema(const RecordSchema& extension) {
    RecordSchema next = schema();
    next.extend(extension);
    set_schema(next);
}

// ---- changes ----------------------------------------------------------------------------

std::vector<Finding> WorkspaceRecords::add(const std::vector<Record>& records, Date effective) {
    std::vector<Finding> findings;
    change_records(*impl_, "add records", [&](RecordsChange& c) {
        for (std::size_t i = 0; i < records.size(); ++i) {
            const std::string where =
                "records[" + std::to_string(i) + "] (" + record_quote(records[i].key) + ")";
            c.put(records[i], effective, where, false, findings);
        }
    });
    return findings;
}

std::vector<Finding> WorkspaceRecords::update(const Record& record, Date effective) {
    std::vector<Finding> findings;
    change_records(*impl_, "update a record", [&](RecordsChange& c) {
        const std::string where = "record " + record_quote(record.key);
        if (!impl_->records_store.head(record.key))
            throw Error(ErrorCode::not_found, "no record " + record_quote(record.key));
        c.put(record, effective, where, true, findings);
    });
    return findings;
}

void WorkspaceRecords::move(std::string_view key, NodeId node, Date effective) {
    change_records(*impl_, "move a record",
                   [&](RecordsChange& c) { c.move(key, node, effective); });
}

void WorkspaceRecords::remove(std::string_view key, Date effective) {
    change_records(*impl_, "remove a record", [&](RecordsChange& c) { c.remove(key, effective); });
}

// ---- questions ----------------------------------------------------------------------------

std::size_t WorkspaceRecords::size() const {
    return impl_->records.size();
}

std::size_t WorkspaceRecords::count(std::string_view kind) const {
    if (kind.empty())
        return impl_->records.live_total();
    const int k = impl_->records.kind_index(kind);
    if (k < 0)
        throw Error(ErrorCode::not_found, "unknown record kind " + record_quote(kind));
    return impl_->records.live(static_cast<std::size_t>(k));
}

std::optional<Record> WorkspaceRecords::get(const RecordReader& reader, std::string_view key,
                                            std::optional<Date> on) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    ReadGrant grant(*impl_, reader, "get");
    std::optional<RecordVersion> v;
    {
        const detail::ReadTransaction read(impl_->db);
        if (const std::optional<detail::RecordHead> head = impl_->records_store.head(key))
            v = impl_->records_store.version_on(head->id, on);
    }
    if (!v || v->change == RecordChange::removed)
        return std::nullopt;
    grant.require(v->record);
    const NodeId at = v->record.node;
    Record out = grant.show(std::move(v->record), at);
    grant.finish();
    return out;
}

std::vector<RecordVersion> WorkspaceRecords::history(const RecordReader& reader,
                                                     std::string_view key) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    ReadGrant grant(*impl_, reader, "history");
    std::vector<RecordVersion> out;
    {
        const detail::ReadTransaction read(impl_->db);
        const std::optional<detail::RecordHead> head = impl_->records_store.head(key);
        if (!head)
            throw Error(ErrorCode::not_found, "no record " + record_quote(key));
        out = impl_->records_store.versions(head->id);
    }
    if (out.empty())
        return out;
    const NodeId at = out.back().record.node;
    grant.require(out.back().record);
    for (RecordVersion& v : out)
        v.record = grant.show(std::move(v.record), at);
    grant.finish();
    return out;
}

std::vector<Record> WorkspaceRecords::find(const RecordReader& reader, std::string_view field,
                                           std::string_view value) const {
    if (!has_lookup(schema(), field))
        throw Error(ErrorCode::invalid_argument,
                    "field " + record_quote(field) +
                        " is neither a lookup nor a reference field of any kind");
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    ReadGrant grant(*impl_, reader, "find");
    std::vector<Record> out;
    {
        // Look-up fields through the index in memory (its candidates read and kept when
        // they hold the value); references and overlay places through the store.
        const detail::ReadTransaction read(impl_->db);
        std::optional<std::vector<std::uint32_t>> ids =
            impl_->records.lookup_candidates(field, value);
        const bool verify = ids.has_value();
        if (!ids)
            ids = impl_->records_store.lookup(field, value);
        for (std::uint32_t id : *ids) {
            if (!impl_->records.is_live(id))
                continue;
            std::optional<RecordVersion> v = impl_->records_store.version_on(id, std::nullopt);
            if (!v || (verify && !holds_value(v->record, field, value)) || !grant.covers(v->record))
                continue;
            const NodeId at = v->record.node;
            out.push_back(grant.show(std::move(v->record), at));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Record& a, const Record& b) { return a.key < b.key; });
    grant.finish();
    return out;
}

namespace {

// Ids of the live records a filter selects, ascending.
std::vector<std::uint32_t> select(Workspace::Impl& w, const RecordFilter& filter) {
    const RecordColumns& cols = w.records;
    const RecordSchema& schema = cols.schema();
    int kind = -1;
    if (!filter.kind.empty()) {
        kind = cols.kind_index(filter.kind);
        if (kind < 0)
            throw Error(ErrorCode::not_found, "unknown record kind " + record_quote(filter.kind));
    }
    const Hierarchy& h = w.hierarchy;
    std::uint32_t from = 0;
    std::uint32_t until = 0;
    if (filter.within != no_node) {
        if (!h.is_live(filter.within))
            throw Error(
                ErrorCode::not_found,
                "within: " + (filter.within < h.id_count()
                                  ? "node " + record_quote(h.code(filter.within)) + " is retired"
                                  : "no node " + std::to_string(filter.within)));
        const PreorderRange r = h.subtree(filter.within);
        from = r.begin;
        until = r.end;
    }
    // Conditions on enumeration fields are read from the columns; lookup and reference
    // fields and overlay places from the store's index.
    struct EnumCondition {
        std::string field;
        std::string value;
    };
    std::vector<EnumCondition> enums;
    std::optional<std::vector<std::uint32_t>> candidates;
    const auto narrow = [&](std::vector<std::uint32_t> ids) {
        if (!candidates) {
            candidates = std::move(ids);
            return;
        }
        std::vector<std::uint32_t> both;
        std::set_intersection(candidates->begin(), candidates->end(), ids.begin(), ids.end(),
                              std::back_inserter(both));
        candidates = std::move(both);
    };
    for (const auto& [field, value] : filter.where) {
        bool enumeration = false;
        bool known = false;
        for (std::size_t k = 0; k < schema.kinds.size(); ++k) {
            if (kind >= 0 && static_cast<int>(k) != kind)
                continue;
            const FieldSpec* f = schema.kinds[k].field(field);
            if (f == nullptr)
                continue;
            known = true;
            if (f->type == FieldType::enumeration) {
                enumeration = true;
                if (std::find(f->values.begin(), f->values.end(), value) == f->values.end())
                    throw Error(ErrorCode::invalid_argument, "where " + field + "=" +
                                                                 record_quote(value) +
                                                                 ": not one of the field's values");
            }
        }
        if (!known)
            throw Error(ErrorCode::not_found, "where: no kind has a field " + record_quote(field));
        if (enumeration) {
            enums.push_back({field, value});
        } else if (std::optional<std::vector<std::uint32_t>> ids =
                       cols.lookup_candidates(field, value)) {
            // The index's candidates, kept when their current version holds the value.
            std::vector<std::uint32_t> held;
            for (std::uint32_t id : *ids) {
                if (!cols.is_live(id))
                    continue;
                const std::optional<RecordVersion> v = w.records_store.version_on(id, std::nullopt);
                if (v && holds_value(v->record, field, value))
                    held.push_back(id);
            }
            narrow(std::move(held));
        } else if (has_lookup(schema, field)) {
            narrow(w.records_store.lookup(field, value));
        } else {
            throw Error(ErrorCode::invalid_argument,
                        "where: field " + record_quote(field) +
                            " is not an enumeration, lookup or reference field");
        }
    }
    if (filter.overlay)
        narrow(w.records_store.lookup("@overlay:" + filter.overlay->overlay, filter.overlay->unit));

    std::vector<std::uint32_t> out;
    const auto consider = [&](std::uint32_t id) {
        if (!cols.is_live(id) || (kind >= 0 && cols.kind(id) != kind))
            return;
        if (filter.within != no_node) {
            const NodeId n = cols.node(id);
            if (!h.is_live(n))
                return;
            const std::uint32_t p = h.preorder_position(n);
            if (p < from || p >= until)
                return;
        }
        const RecordKind& rk = schema.kinds[cols.kind(id)];
        for (const EnumCondition& c : enums) {
            const FieldSpec* f = rk.field(c.field);
            if (f == nullptr || f->type != FieldType::enumeration)
                return;
            const auto field_index = static_cast<std::size_t>(f - rk.fields.data());
            const auto bit = static_cast<unsigned>(
                std::find(f->values.begin(), f->values.end(), c.value) - f->values.begin());
            if (bit >= f->values.size() || !cols.holds(id, field_index, bit))
                return;
        }
        out.push_back(id);
    };
    if (candidates) {
        for (std::uint32_t id : *candidates) {
            if (id < cols.size())
                consider(id);
        }
    } else {
        for (std::uint32_t id = 0; id < cols.size(); ++id)
            consider(id);
    }
    return out;
}

}  // namespace

std::vector<Record> WorkspaceRecords::list(const RecordReader& reader,
                                           const RecordFilter& filter) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    ReadGrant grant(*impl_, reader, "list");
    std::vector<Record> out;
    for (std::uint32_t id : select(*impl_, filter)) {
        const bool by_node = grant.covers(impl_->records.node(id));
        if (!by_node && !grant.overlay_posts())
            continue;
        if (std::optional<RecordVersion> v = impl_->records_store.version_on(id, std::nullopt)) {
            if (!by_node && !grant.covers(v->record))
                continue;
            const NodeId at = v->record.node;
            out.push_back(grant.show(std::move(v->record), at));
        }
    }
    grant.finish();
    return out;
}

std::vector<std::string> WorkspaceRecords::keys(const RecordFilter& filter) const {
    // The keys alone: no version is read, no fields parsed.
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    std::vector<std::string> out;
    for (std::uint32_t id : select(*impl_, filter)) {
        if (std::optional<detail::RecordsStore::KeyKind> k = impl_->records_store.key_kind(id))
            out.push_back(std::move(k->key));
    }
    return out;
}

std::vector<double> WorkspaceRecords::roll_up(std::string_view kind, std::string_view field,
                                              std::string_view value) const {
    const RecordColumns& cols = impl_->records;
    const int k = cols.kind_index(kind);
    if (k < 0)
        throw Error(ErrorCode::not_found, "unknown record kind " + record_quote(kind));
    const RecordKind& rk = cols.schema().kinds[static_cast<std::size_t>(k)];
    std::vector<NodeId> nodes;
    std::vector<double> weights;
    if (field.empty()) {
        nodes.reserve(cols.live(static_cast<std::size_t>(k)));
        if (!value.empty())
            throw Error(ErrorCode::invalid_argument, "roll_up: a value needs a field");
        cols.for_each_live(k, [&](std::uint32_t id) { nodes.push_back(cols.node(id)); });
        return impl_->hierarchy.sum_records(nodes.data(), nullptr, nodes.size());
    }
    const FieldSpec* f = rk.field(field);
    if (f == nullptr)
        throw Error(ErrorCode::not_found,
                    "kind " + record_quote(kind) + " has no field " + record_quote(field));
    const auto index = static_cast<std::size_t>(f - rk.fields.data());
    if (f->type == FieldType::enumeration) {
        const auto bit = static_cast<unsigned>(
            std::find(f->values.begin(), f->values.end(), value) - f->values.begin());
        if (bit >= f->values.size())
            throw Error(ErrorCode::invalid_argument, "roll_up of field " + record_quote(field) +
                                                         ": " + record_quote(value) +
                                                         " is not one of its values");
        cols.nodes_holding(static_cast<std::size_t>(k), index, bit, nodes);
        return impl_->hierarchy.sum_records(nodes.data(), nullptr, nodes.size());
    }
    if ((f->type == FieldType::integer || f->type == FieldType::number) && value.empty()) {
        cols.for_each_live(k, [&](std::uint32_t id) {
            const double v = cols.number(id, index);
            if (v == v) {
                nodes.push_back(cols.node(id));
                weights.push_back(v);
            }
        });
        return impl_->hierarchy.sum_records(nodes.data(), weights.data(), nodes.size());
    }
    throw Error(ErrorCode::invalid_argument,
                "roll_up of field " + record_quote(field) +
                    ": an enumeration with a value, or an integer or number without one");
}

// ---- findings ---------------------------------------------------------------------------

OfficerLoadRule OfficerLoadRule::market_supervision_002() {
    OfficerLoadRule rule;
    rule.overlay = "market";
    rule.kind = "unit";
    rule.per_officer = 1000;
    return rule;
}

namespace {

// The officer-load rules checked before any record is read: known overlay, kind and field.
void check_load_rules(const Workspace::Impl& w, const RecordSchema& s,
                      const RecordValidationPolicy& policy) {
    for (std::size_t i = 0; i < policy.officer_loads.size(); ++i) {
        const OfficerLoadRule& rule = policy.officer_loads[i];
        const std::string where = "officer_loads[" + std::to_string(i) + "]";
        if (w.find_overlay(rule.overlay) < 0)
            throw Error(ErrorCode::not_found,
                        where + " overlay: no overlay " + record_quote(rule.overlay));
        const RecordKind* kind = s.find(rule.kind);
        if (kind == nullptr)
            throw Error(ErrorCode::not_found,
                        where + " kind: unknown record kind " + record_quote(rule.kind));
        if (!rule.field.empty()) {
            const FieldSpec* f = kind->field(rule.field);
            if (f == nullptr || f->type != FieldType::enumeration)
                throw Error(ErrorCode::invalid_argument,
                            where + " field: " + record_quote(rule.field) +
                                " is not an enumeration field of " + rule.kind);
            if (std::find(f->values.begin(), f->values.end(), rule.value) == f->values.end())
                throw Error(ErrorCode::invalid_argument,
                            where + " value: " + record_quote(rule.value) + " is not a value of " +
                                rule.kind + "." + rule.field);
        }
        if (rule.per_officer == 0)
            throw Error(ErrorCode::invalid_argument, where + " per_officer: must be at least 1");
    }
}

// records.officer_load: the records of each officer's post-A units (and the units beneath).
void officer_loads(const Workspace::Impl& w, const std::vector<Record>& live, Date on,
                   const OfficerLoadRule& rule, std::vector<Finding>& out) {
    const Overlay& overlay = w.overlays[static_cast<std::size_t>(w.find_overlay(rule.overlay))];
    const Hierarchy& units = overlay.units();
    // Records by the unit they are placed on.
    std::vector<std::vector<std::uint32_t>> by_unit(units.id_count());
    for (std::size_t i = 0; i < live.size(); ++i) {
        const Record& r = live[i];
        if (r.kind != rule.kind)
            continue;
        if (!rule.field.empty()) {
            const std::string* v = r.field(rule.field);
            if (v == nullptr)
                continue;
            bool holds = false;
            for (std::string_view part : detail::split_values(*v))
                holds = holds || part == rule.value;
            if (!holds)
                continue;
        }
        for (const OverlayPlace& p : r.overlays) {
            if (p.overlay != rule.overlay)
                continue;
            if (const std::optional<NodeId> u = units.find(p.unit))
                by_unit[*u].push_back(static_cast<std::uint32_t>(i));
        }
    }
    const Directory& d = w.directory;
    for (PersonId person = 0; person < d.person_count(); ++person) {
        const std::string& id = d.person(person).id;
        std::vector<NodeId> held;
        for (const RosterEntry& post : d.posts(id, on)) {
            if (post.post == Post::a && d.role(post.role).overlay == rule.overlay &&
                units.is_live(post.node))
                held.push_back(post.node);
        }
        if (held.empty())
            continue;
        std::unordered_set<std::uint32_t> counted;
        for (const NodeId unit : held) {
            const PreorderRange range = units.subtree(unit);
            for (std::uint32_t pos = range.begin; pos < range.end; ++pos) {
                for (const std::uint32_t r : by_unit[units.preorder()[pos]])
                    counted.insert(r);
            }
        }
        if (counted.size() <= rule.per_officer)
            continue;
        std::string list;
        for (std::size_t i = 0; i < held.size() && i < 5; ++i)
            list += (i == 0 ? "" : ", ") + rule.overlay + ":" + units.code(held[i]);
        if (held.size() > 5)
            list += ", ...";
        out.push_back({"records.officer_load", Severity::warning, id,
                       "person " + record_quote(id) + " (" + d.person(person).name +
                           ") holds post A on " + list + " with " + std::to_string(counted.size()) +
                           " " + rule.kind +
                           (rule.field.empty() ? "" : " (" + rule.field + " " + rule.value + ")") +
                           " records on " + on.to_string() + "; the policy sizes one officer to " +
                           std::to_string(rule.per_officer)});
    }
}

}  // namespace

std::vector<Finding> WorkspaceRecords::validate(Date on,
                                                const RecordValidationPolicy& policy) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    const RecordSchema& s = schema();
    const Hierarchy& h = impl_->hierarchy;
    check_load_rules(*impl_, s, policy);
    std::vector<Record> live;
    std::unordered_map<std::string, std::size_t> by_key;
    std::unordered_set<std::string> removed;
    impl_->records_store.read_current([&](std::uint32_t, Record&& r, bool is_live) {
        if (!is_live) {
            removed.insert(r.key);
            return;
        }
        by_key.emplace(r.key, live.size());
        live.push_back(std::move(r));
    });
    // Houses residents say they live in, for rented houses without listed tenants.
    std::unordered_set<std::string> inhabited;
    for (const Record& r : live) {
        if (r.kind == "resident") {
            if (const std::string* house = r.field("house"))
                inhabited.insert(*house);
        }
    }
    std::vector<Finding> out;
    for (const Record& r : live) {
        const RecordKind* kind = s.find(r.kind);
        if (kind == nullptr)
            continue;
        const std::string subject = r.kind + " " + record_quote(r.key);
        if (r.node >= h.id_count() || h.created_on(r.node) > on || h.retired_on(r.node) <= on)
            out.push_back({"records.retired_node", Severity::error, r.key,
                           subject + " is placed at node " +
                               record_quote(r.node < h.id_count() ? h.code(r.node) : "?") +
                               ", which is not live on " + on.to_string()});
        detail::record_findings(*kind, h, r, out);
        for (const FieldSpec& f : kind->fields) {
            const std::string* v = r.field(f.name);
            if (v == nullptr) {
                if (f.required)
                    out.push_back(
                        {"records.required", Severity::error, r.key,
                         subject + " has no value for the required field " + record_quote(f.name)});
                continue;
            }
            if (f.type != FieldType::reference)
                continue;
            for (std::string_view target : detail::split_values(*v)) {
                const std::string t(target);
                const auto it = by_key.find(t);
                if (it == by_key.end()) {
                    const bool gone = removed.count(t) != 0;
                    out.push_back({"records.reference", gone ? Severity::warning : Severity::error,
                                   r.key,
                                   subject + " field " + record_quote(f.name) + " refers to " +
                                       record_quote(t) +
                                       (gone ? ", which was removed" : ", which does not exist")});
                } else if (live[it->second].kind != f.refers_to) {
                    out.push_back({"records.reference", Severity::error, r.key,
                                   subject + " field " + record_quote(f.name) + " refers to " +
                                       record_quote(t) + ", a " + live[it->second].kind +
                                       ", not a " + f.refers_to});
                }
            }
        }
        if (r.kind == "household" && kind->field("head") != nullptr && !r.field("head"))
            out.push_back({"records.household_head", Severity::error, r.key,
                           subject + " has no head (户主)"});
        if (r.kind == "house" && kind->field("tenants") != nullptr) {
            const std::string* use = r.field("use");
            if (use != nullptr && *use == "出租" && !r.field("tenants") &&
                inhabited.count(r.key) == 0)
                out.push_back({"records.rented_without_tenants", Severity::warning, r.key,
                               subject + " is rented (出租) but lists no tenants and no "
                                         "resident lives there"});
        }
    }
    for (const OfficerLoadRule& rule : policy.officer_loads)
        officer_loads(*impl_, live, on, rule, out);
    return out;
}

// ---- import and export ------------------------------------------------------------------

RecordImportReport WorkspaceRecords::import_file(const std::string& file, std::string_view kind,
                                                 Date effective, const ProgressFn& progress) {
    impl_->require_writable("import " + file);
    const DocumentFormat format = format_of(DocumentFormat::automatic, file);
    return import_text(detail::read_file(file), format, kind, file, effective, progress);
}

RecordImportReport WorkspaceRecords::import_text(const std::string& text, DocumentFormat format,
                                                 std::string_view kind,
                                                 const std::string& source_name, Date effective,
                                                 const ProgressFn& progress) {
    impl_->require_writable("import " + source_name);
    format = format_of(format, source_name);
    std::string kind_key(kind);
    if (kind_key.empty())
        kind_key = kind_from_name(schema(), source_name);
    std::vector<detail::RecordRow> rows;
    if (format == DocumentFormat::csv)
        rows = detail::read_records_csv(text, schema(), impl_->hierarchy, kind_key, source_name);
    else if (format == DocumentFormat::json)
        rows = detail::read_records_json(text, schema(), impl_->hierarchy, kind_key, source_name);
    else
        throw Error(ErrorCode::invalid_argument,
                    source_name + ": records are imported from csv or json");
    RecordImportReport report;
    try {
        change_records(*impl_, "import records", [&](RecordsChange& c) {
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const std::optional<RecordChange> done =
                    c.put(rows[i].record, effective, rows[i].where, true, report.findings);
                if (!done)
                    ++report.unchanged;
                else if (*done == RecordChange::added)
                    ++report.added;
                else
                    ++report.changed;
                if (progress && (i + 1) % 1000 == 0 && !progress(i + 1, rows.size()))
                    throw Cancelled{};
            }
            if (progress && !progress(rows.size(), rows.size()))
                throw Cancelled{};
        });
    } catch (const Cancelled&) {
        return RecordImportReport{};
    }
    return report;
}

std::string WorkspaceRecords::export_text(const RecordReader& reader, DocumentFormat format,
                                          std::string_view kind) const {
    const RecordKind* rk = nullptr;
    if (!kind.empty())
        rk = &schema().kind(kind);
    if (format == DocumentFormat::csv && rk == nullptr)
        throw Error(ErrorCode::invalid_argument, "a CSV export of records names one kind");
    if (format != DocumentFormat::csv && format != DocumentFormat::json)
        throw Error(ErrorCode::invalid_argument, "records are exported as csv or json");
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    ReadGrant grant(*impl_, reader, "export");
    std::vector<Record> records;
    impl_->records_store.read_current([&](std::uint32_t, Record&& r, bool live) {
        if (live && (rk == nullptr || r.kind == rk->key) && grant.covers(r)) {
            const NodeId at = r.node;
            records.push_back(grant.show(std::move(r), at));
        }
    });
    std::string text = format == DocumentFormat::csv
                           ? detail::records_csv(*rk, impl_->hierarchy, records)
                           : detail::records_json(impl_->hierarchy, records);
    grant.finish();
    return text;
}

void WorkspaceRecords::export_file(const RecordReader& reader, const std::string& file,
                                   std::string_view kind, DocumentFormat format) const {
    detail::write_file_atomically(file, export_text(reader, format_of(format, file), kind));
}

// ---- the access log -----------------------------------------------------------------------

std::vector<RecordAccess> WorkspaceRecords::access_log(std::int64_t after_seq,
                                                       std::size_t limit) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    return impl_->records_store.access_log(after_seq, limit);
}

AccessLogCheck WorkspaceRecords::verify_access_log() const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    return impl_->records_store.verify_access_log();
}

void WorkspaceRecords::export_access_log(const std::string& file, DocumentFormat format) const {
    detail::write_file_atomically(file,
                                  record_access_log_text(access_log(), format_of(format, file)));
}

}  // namespace gridgov

// ---- 四实 collection quality ---------------------------------------------------------------

namespace gridgov {
namespace {

// Where a record stood on `on`: its node, or nullopt when it did not exist then.
std::optional<NodeId> node_on(Workspace::Impl& w, std::string_view key, Date on) {
    const std::optional<detail::RecordHead> head = w.records_store.head(key);
    if (!head)
        return std::nullopt;
    const std::optional<RecordVersion> v = w.records_store.version_on(head->id, on);
    if (!v || v->change == RecordChange::removed)
        return std::nullopt;
    return v->record.node;
}

// Rates by (period label, node) over the rounds dated in [from, to]: with `monthly` one
// label per month, else `label` for all.
std::map<std::pair<std::string, NodeId>, CheckRates> accumulate_checks(
    Workspace::Impl& w, Date from, Date to, bool monthly, const std::string& label,
    std::map<std::pair<std::string, NodeId>, std::vector<std::string>>* sources) {
    const Hierarchy& h = w.hierarchy;
    std::map<std::pair<std::string, NodeId>, CheckRates> out;
    const auto add = [&](const std::string& month, NodeId node, auto&& bump,
                         const std::string& source) {
        std::vector<NodeId> nodes{node};
        if (h.is_live(node))
            nodes = h.path_to_root(node);
        for (NodeId n : nodes) {
            CheckRates& r = out[{month, n}];
            r.node = n;
            r.month = month;
            bump(r);
            if (sources != nullptr && !source.empty())
                (*sources)[{month, n}].push_back(source);
        }
    };
    for (const CheckRound& round : w.records_store.read_checks()) {
        if (round.date < from || round.date > to)
            continue;
        const std::string month = monthly ? round.date.to_string().substr(0, 7) : label;
        for (const std::string& pick : round.draw.picks) {
            if (const std::optional<NodeId> node = node_on(w, pick, round.date))
                add(
                    month, *node, [](CheckRates& r) { ++r.sampled; }, pick);
        }
        for (const CheckFinding& f : round.findings) {
            add(
                month, f.node,
                [&](CheckRates& r) {
                    switch (f.outcome) {
                        case CheckOutcome::correct:
                            ++r.correct;
                            break;
                        case CheckOutcome::not_collected:
                            ++r.not_collected;
                            break;
                        case CheckOutcome::not_deregistered:
                            ++r.not_deregistered;
                            break;
                        case CheckOutcome::wrong:
                            ++r.wrong;
                            break;
                    }
                },
                std::string());
        }
    }
    return out;
}

}  // namespace

DrawRecord WorkspaceRecords::draw_check(std::string_view kind, NodeId within, std::size_t count,
                                        std::uint64_t seed) const {
    const RecordKind& rk = schema().kind(kind);
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    RecordFilter filter;
    filter.kind = rk.key;
    filter.within = within;
    std::vector<std::pair<std::string, NodeId>> candidates;
    for (std::uint32_t id : select(*impl_, filter)) {
        if (std::optional<detail::RecordsStore::KeyKind> k = impl_->records_store.key_kind(id))
            candidates.emplace_back(std::move(k->key), impl_->records.node(id));
    }
    std::sort(candidates.begin(), candidates.end());
    DrawSpec spec;
    spec.seed = seed;
    spec.count = count;
    for (auto& [key, node] : candidates) {
        spec.candidates.push_back(key);
        spec.strata.push_back(impl_->hierarchy.code(node));
    }
    return draw(spec);
}

void WorkspaceRecords::record_check(const CheckRound& round) {
    const std::string where = "check round " + record_quote(round.label);
    if (round.label.empty())
        detail::field_error(ErrorCode::invalid_argument, "check round", "label", "empty");
    detail::check_field_text(round.label, detail::TextKind::line, "check round", "label");
    detail::check_field_text(round.inspector, detail::TextKind::line, where, "inspector");
    bool verified = false;
    try {
        verified = verify_draw(round.draw);
    } catch (const Error& e) {
        detail::field_error(ErrorCode::invalid_argument, where, "draw", e.what());
    }
    if (!verified)
        detail::field_error(ErrorCode::invalid_argument, where, "draw",
                            "its picks are not what its seed and candidates give");
    const std::set<std::string, std::less<>> picks(round.draw.picks.begin(),
                                                   round.draw.picks.end());
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    Workspace::Impl::Write tx(*impl_, "record a field check");
    if (impl_->records_store.has_check(round.label))
        detail::field_error(ErrorCode::already_exists, "check round", "label",
                            record_quote(round.label) + " is taken");
    CheckRound stored = round;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < stored.findings.size(); ++i) {
        CheckFinding& f = stored.findings[i];
        const std::string at = where + " findings[" + std::to_string(i) + "]";
        if (picks.count(f.sampled) == 0)
            detail::field_error(ErrorCode::invalid_argument, at, "sampled",
                                record_quote(f.sampled) + " was not drawn");
        const std::optional<NodeId> node = node_on(*impl_, f.sampled, round.date);
        if (!node)
            detail::field_error(
                ErrorCode::not_found, at, "sampled",
                "no record " + record_quote(f.sampled) + " on " + round.date.to_string());
        f.node = *node;
        detail::check_field_text(f.note, detail::TextKind::line, at, "note");
        if (f.outcome == CheckOutcome::not_collected) {
            if (!f.record.empty())
                detail::field_error(
                    ErrorCode::invalid_argument, at, "record",
                    "a person not collected has no record (" + record_quote(f.record) + " given)");
            continue;
        }
        if (f.record.empty())
            detail::field_error(
                ErrorCode::invalid_argument, at, "record",
                std::string("missing (required for ") + check_outcome_name(f.outcome) + ")");
        if (!impl_->records_store.head(f.record))
            detail::field_error(ErrorCode::not_found, at, "record",
                                "no record " + record_quote(f.record));
        if (!seen.insert(f.record).second)
            detail::field_error(ErrorCode::already_exists, at, "record",
                                record_quote(f.record) + " found twice in the round");
    }
    impl_->records_store.write_check(stored);
    tx.commit(detail::JournalModule::records, false);
}

std::vector<CheckRound> WorkspaceRecords::checks() const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    return impl_->records_store.read_checks();
}

std::vector<CheckRates> WorkspaceRecords::check_rates(Date from, Date to) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    const auto rates = accumulate_checks(*impl_, from, to, true, "", nullptr);
    std::vector<CheckRates> out;
    for (const auto& [at, r] : rates)
        out.push_back(r);
    const Hierarchy& h = impl_->hierarchy;
    const auto position = [&](NodeId n) {
        return h.is_live(n) ? h.preorder_position(n) : std::uint32_t(-1);
    };
    std::stable_sort(out.begin(), out.end(), [&](const CheckRates& a, const CheckRates& b) {
        if (a.month != b.month)
            return a.month < b.month;
        return position(a.node) < position(b.node);
    });
    return out;
}

std::map<std::string, IndicatorValues> WorkspaceRecords::check_indicators(
    const AssessmentPeriod& period) const {
    const std::lock_guard<std::recursive_mutex> lock(impl_->db_mutex);
    const Period dates = period.dates();
    std::map<std::pair<std::string, NodeId>, std::vector<std::string>> sources;
    const std::string label = period.label();
    const auto rates =
        accumulate_checks(*impl_, dates.from, Date{dates.to.days - 1}, false, label, &sources);
    const Hierarchy& h = impl_->hierarchy;
    std::map<std::string, IndicatorValues> out;
    for (NodeId n : h.preorder()) {
        const auto it = rates.find({label, n});
        const CheckRates r = it == rates.end() ? CheckRates{} : it->second;
        const auto src = sources.find({label, n});
        const std::vector<std::string> drawn =
            src == sources.end() ? std::vector<std::string>{} : src->second;
        const auto count = [&](std::size_t v) {
            return IndicatorValue::of(static_cast<double>(v), drawn);
        };
        const auto rate = [&](std::optional<double> v, const char* why) {
            return v ? IndicatorValue::of(*v, drawn) : IndicatorValue::undefined(why, drawn);
        };
        IndicatorValues& values = out[h.code(n)];
        values["info_sampled"] = count(r.sampled);
        values["info_checked"] = count(r.checked());
        values["info_correct"] = count(r.correct);
        values["info_not_collected"] = count(r.not_collected);
        values["info_not_deregistered"] = count(r.not_deregistered);
        values["info_wrong"] = count(r.wrong);
        values["info_collection_rate"] =
            rate(r.collection_rate(), "nobody was checked (info_checked is 0)");
        values["info_accuracy_rate"] =
            rate(r.accuracy_rate(), "no record was checked (info_correct + info_wrong is 0)");
    }
    return out;
}

}  // namespace gridgov
