// The Merkle tree over the event log and the signed tree heads in the workspace file.
#include "store/tree_store.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace gridgov::detail {

namespace {

std::int64_t sql_int(std::uint64_t v) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(
        v, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
}

Hash hash_column(const Statement& st, int col) {
    Hash h{};
    if (st.type(col) == ColumnType::blob) {
        const std::string_view b = st.blob_view(col);
        std::memcpy(h.data(), b.data(), std::min(b.size(), h.size()));
    }
    return h;
}

Error missing(const Db& db, const std::string& what) {
    return Error(ErrorCode::storage, "workspace " + db.path() + ": the event log's tree: " + what +
                                         " is not stored (run audit_log to see what changed)");
}

}  // namespace

StoredTree::StoredTree(Db& db)
    : db_(db),
      events_(db.prepare("SELECT hash FROM case_events WHERE seq >= ? AND seq < ? ORDER BY seq")),
      nodes_(db.prepare(
          "SELECT hash FROM log_tree WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx")) {}

void StoredTree::events(std::uint64_t from, std::uint64_t count, Hash* out) const {
    events_.reset();
    events_.bind(1, sql_int(from + 1));
    events_.bind(2, sql_int(from + 1 + count));
    std::uint64_t n = 0;
    while (events_.step() && n < count)
        out[n++] = hash_column(events_, 0);
    events_.reset();
    if (n != count)
        throw missing(db_, "event " + std::to_string(from + 1 + n));
}

void StoredTree::nodes(unsigned level, std::uint64_t from, std::uint64_t count, Hash* out) const {
    nodes_.reset();
    nodes_.bind(1, static_cast<std::int64_t>(level));
    nodes_.bind(2, sql_int(from));
    nodes_.bind(3, sql_int(from + count));
    std::uint64_t n = 0;
    while (nodes_.step() && n < count)
        out[n++] = hash_column(nodes_, 0);
    nodes_.reset();
    if (n != count)
        throw missing(db_, "node " + std::to_string(level) + "/" + std::to_string(from + n));
}

void grow_log_tree(Db& db, std::uint64_t old_size, std::uint64_t new_size) {
    if (new_size >> tree::stride == old_size >> tree::stride)
        return;  // no node of the lowest kept level completes
    const StoredTree source(db);
    Statement insert = db.prepare("INSERT INTO log_tree (level, idx, hash) VALUES (?, ?, ?)");
    tree::grow(source, old_size, new_size, [&](unsigned level, std::uint64_t index, const Hash& h) {
        insert.reset();
        insert.bind(1, static_cast<std::int64_t>(level));
        insert.bind(2, sql_int(index));
        insert.bind_blob(3, h.data(), h.size());
        insert.run();
    });
}

void build_log_tree(Db& db) {
    Statement insert = db.prepare("INSERT INTO log_tree (level, idx, hash) VALUES (?, ?, ?)");
    tree::Builder builder([&](unsigned level, std::uint64_t index, const Hash& h) {
        insert.reset();
        insert.bind(1, static_cast<std::int64_t>(level));
        insert.bind(2, sql_int(index));
        insert.bind_blob(3, h.data(), h.size());
        insert.run();
    });
    for_each_event_hash(db, [&](const Hash& h) { builder.add(h); });
}

void for_each_event_hash(Db& db, const std::function<void(const Hash&)>& f) {
    Statement st = db.prepare("SELECT hash FROM case_events ORDER BY seq");
    while (st.step())
        f(hash_column(st, 0));
}

void for_each_tree_node(Db& db,
                        const std::function<void(unsigned, std::uint64_t, const Hash&)>& f) {
    Statement st = db.prepare("SELECT level, idx, hash FROM log_tree ORDER BY level, idx");
    while (st.step()) {
        const std::int64_t level = st.int64(0);
        const std::int64_t index = st.int64(1);
        if (level < 0 || level > 64 || index < 0) {
            f(0, 0, hash_column(st, 2));  // level 0 is never kept: reported as a stray node
            continue;
        }
        f(static_cast<unsigned>(level), static_cast<std::uint64_t>(index), hash_column(st, 2));
    }
}

void write_tree_head(Db& db, const TreeHead& h) {
    Statement st = db.prepare(
        "INSERT INTO log_tree_heads (seq, log, size, root, at, key_id, signature) SELECT "
        "COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM log_tree_heads");
    st.bind(1, h.log);
    st.bind(2, sql_int(h.size));
    st.bind_blob(3, h.root.data(), h.root.size());
    st.bind(4, h.at.seconds);
    st.bind(5, h.key_id);
    st.bind_blob(6, h.signature.data(), h.signature.size());
    st.run();
}

std::vector<TreeHead> read_tree_heads(Db& db) {
    Statement st = db.prepare(
        "SELECT seq, log, size, root, at, key_id, signature FROM log_tree_heads ORDER BY seq");
    std::vector<TreeHead> out;
    while (st.step()) {
        const auto damaged = [&](const char* column, const char* what) {
            return Error(ErrorCode::storage, "workspace " + db.path() + ": stored tree head " +
                                                 std::to_string(st.int64(0)) + ": column '" +
                                                 column + "' " + what);
        };
        TreeHead h;
        if (st.type(1) != ColumnType::text || st.text_view(1).empty())
            throw damaged("log", "does not hold a name");
        h.log = st.text(1);
        if (st.type(2) != ColumnType::integer || st.int64(2) < 0)
            throw damaged("size", "does not hold a count");
        h.size = static_cast<std::uint64_t>(st.int64(2));
        if (st.type(3) != ColumnType::blob || st.blob_view(3).size() != h.root.size())
            throw damaged("root", "does not hold a 32-byte hash");
        h.root = hash_column(st, 3);
        if (st.type(4) != ColumnType::integer)
            throw damaged("at", "does not hold an instant");
        h.at = Instant{st.int64(4)};
        if (st.type(5) != ColumnType::text)
            throw damaged("key_id", "does not hold a key id");
        h.key_id = st.text(5);
        if (st.type(6) != ColumnType::blob || st.blob_view(6).size() != h.signature.size())
            throw damaged("signature", "does not hold a 64-byte signature");
        const std::string_view sig = st.blob_view(6);
        std::memcpy(h.signature.data(), sig.data(), h.signature.size());
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace gridgov::detail
