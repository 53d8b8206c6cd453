// Checkpoints auditors can verify, on the engine's side: the Merkle tree over the committed
// events (kept in the workspace file, or grown in memory for a standalone engine), signed
// heads recorded, case and consistency proofs, and the auditor's whole check.
#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>

#include "audit/proof.hpp"
#include "audit/tree.hpp"
#include "cases/engine_impl.hpp"
#include "core/text.hpp"
#include "store/tree_store.hpp"

namespace gridgov {

namespace detail {

struct TreeCache {
    std::mutex mutex;
    std::uint64_t size = 0;                 // the leaves the kept nodes cover
    std::vector<std::vector<Hash>> levels;  // levels[j]: the kept nodes of level 4 (j + 1)
};

std::shared_ptr<TreeCache> make_tree_cache() {
    return std::make_shared<TreeCache>();
}

namespace {

// A standalone engine's tree: leaves from the in-memory log (every event), kept nodes from
// the cache.
class MemoryTree : public tree::Source {
  public:
    MemoryTree(const EventLog& log, TreeCache& cache) : log_(log), cache_(cache) {}
    void events(std::uint64_t from, std::uint64_t count, Hash* out) const override {
        for (std::uint64_t i = 0; i < count; ++i)
            out[i] = log_[static_cast<std::size_t>(from + i + 1 - log_.first)].hash;
    }
    void nodes(unsigned level, std::uint64_t from, std::uint64_t count, Hash* out) const override {
        const std::vector<Hash>& v = cache_.levels.at(level / tree::stride - 1);
        for (std::uint64_t i = 0; i < count; ++i)
            out[i] = v.at(static_cast<std::size_t>(from + i));
    }

  private:
    const EventLog& log_;
    TreeCache& cache_;
};

}  // namespace

}  // namespace detail

namespace {

using detail::Hash;

// Runs `f` with the tree over the committed events (connection or cache locked meanwhile).
template <class F>
auto with_tree(const CaseEngine::Impl& w, F&& f) {
    if (w.workspace != nullptr) {
        const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
        const detail::StoredTree tree(w.workspace->db());
        return f(static_cast<const detail::tree::Source&>(tree));
    }
    detail::TreeCache& cache = *w.tree_cache;
    const std::lock_guard<std::mutex> lock(cache.mutex);
    const detail::MemoryTree tree(w.log, cache);
    if (w.committed_sequence > cache.size) {
        detail::tree::grow(tree, cache.size, w.committed_sequence,
                           [&](unsigned level, std::uint64_t, const Hash& h) {
                               const std::size_t j = level / detail::tree::stride - 1;
                               if (cache.levels.size() <= j)
                                   cache.levels.resize(j + 1);
                               cache.levels[j].push_back(h);
                           });
        cache.size = w.committed_sequence;
    }
    return f(static_cast<const detail::tree::Source&>(tree));
}

std::string head_name(const TreeHead& h) {
    return h.log + "@" + std::to_string(h.size);
}

// Refuses a head over more events than the log holds, and one whose root the log's first
// head.size events no longer give.
void require_head(const CaseEngine::Impl& w, const detail::tree::Source& tree, const TreeHead& head,
                  std::string_view call) {
    if (head.size > w.committed_sequence)
        throw Error(ErrorCode::invalid_argument,
                    std::string(call) + ": the head " + head_name(head) + " is over " +
                        std::to_string(head.size) + " events but the log holds " +
                        std::to_string(w.committed_sequence));
    if (detail::tree::root(tree, head.size) != head.root)
        throw Error(ErrorCode::invalid_state,
                    std::string(call) + ": the log's first " + std::to_string(head.size) +
                        " events no longer give the root of the head " + head_name(head) +
                        " signed " + head.at.to_string() +
                        ": they were changed after it was signed (audit_log() says where)");
}

}  // namespace

Digest CaseEngine::tree_root(EventSeq size) const {
    const Impl& w = *impl_;
    if (size > w.committed_sequence)
        throw Error(ErrorCode::invalid_argument,
                    "tree_root: size " + std::to_string(size) + " is beyond the log's " +
                        std::to_string(w.committed_sequence) + " committed events");
    return with_tree(
        w, [&](const detail::tree::Source& tree) { return detail::tree::root(tree, size); });
}

TreeHead CaseEngine::sign_tree_head(const SigningKey& key, const std::string& log, Instant at) {
    Impl& w = *impl_;
    if (log.empty())
        throw Error(ErrorCode::invalid_argument,
                    "sign_tree_head: log is empty: name the log the head is of");
    detail::check_text(log, detail::TextKind::line, "sign_tree_head: log");
    w.require_no_batch("sign_tree_head");
    // The write lock is taken (and the engine caught up) first: the head is over the
    // log's end as the file has it, and no writer appends before it is recorded.
    const Impl::Change change(w, "sign a tree head");
    const TreeHead head = with_tree(w, [&](const detail::tree::Source& tree) {
        return gridgov::sign_tree_head(key, log, w.committed_sequence,
                                       detail::tree::root(tree, w.committed_sequence), at);
    });
    w.guarded([&] {
        if (w.workspace != nullptr) {
            const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
            detail::write_tree_head(w.workspace->db(), head);
        }
        return 0;
    });
    if (w.workspace == nullptr)
        w.heads.push_back(head);
    return head;
}

void CaseEngine::sign_heads_at_commit(const SigningKey& key, const std::string& log) {
    if (log.empty())
        throw Error(ErrorCode::invalid_argument,
                    "sign_heads_at_commit: log is empty: name the log the heads are of");
    detail::check_text(log, detail::TextKind::line, "sign_heads_at_commit: log");
    impl_->commit_signer = std::make_shared<const Impl::CommitSigner>(Impl::CommitSigner{key, log});
}

void CaseEngine::stop_signing_heads() {
    impl_->commit_signer.reset();
}

void CaseEngine::Impl::sign_at_commit(EventSeq size) {
    const Instant now{std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count()};
    if (workspace != nullptr) {
        // Inside the commit's write: the events and the head land together or not at all.
        const std::lock_guard<std::recursive_mutex> lock(workspace->connection_mutex());
        const detail::StoredTree tree(workspace->db());
        detail::write_tree_head(
            workspace->db(), gridgov::sign_tree_head(commit_signer->key, commit_signer->log, size,
                                                     detail::tree::root(tree, size), now));
        return;
    }
    const Impl& self = *this;
    heads.push_back(with_tree(self, [&](const detail::tree::Source& tree) {
        return gridgov::sign_tree_head(commit_signer->key, commit_signer->log, size,
                                       detail::tree::root(tree, size), now);
    }));
}

std::vector<TreeHead> CaseEngine::tree_heads() const {
    const Impl& w = *impl_;
    if (w.workspace == nullptr)
        return w.heads;
    const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
    return detail::read_tree_heads(w.workspace->db());
}

std::string CaseEngine::prove_case(const std::string& number, const TreeHead& head) const {
    const Impl& w = *impl_;
    w.require_no_batch("prove_case");
    const std::optional<CaseId> id = w.numbers.find(number);
    if (!id)
        throw Error(ErrorCode::not_found, "prove_case: there is no case " + number);
    const std::vector<CaseEvent> events = w.case_events(*id);
    return with_tree(w, [&](const detail::tree::Source& tree) {
        require_head(w, tree, head, "prove_case");
        detail::CaseProof proof;
        proof.head = head;
        proof.case_number = number;
        for (const CaseEvent& e : events) {
            if (e.sequence > head.size)
                break;
            detail::ProvedEvent p;
            p.sequence = e.sequence;
            p.case_id = e.case_id;
            p.case_sequence = e.case_sequence;
            p.type = detail::parse_event_type(e.type).value_or(0);
            p.transition = e.transition;
            p.from_state = e.from_state;
            p.to_state = e.to_state;
            p.actor = e.actor;
            p.system = e.system;
            p.at = e.at;
            p.payload = e.payload;
            p.previous = e.previous_hash;
            p.hash = e.hash;
            p.path = detail::tree::inclusion(tree, e.sequence - 1, head.size);
            // The proof is checked before it is given: an event or a kept node changed
            // since the head was signed makes it refused here, not at the auditor's.
            const auto [problem, message] = detail::check_proved_event(p, number, head);
            if (!problem.empty())
                throw Error(ErrorCode::invalid_state,
                            "prove_case: " + message +
                                ": the log or its stored tree was changed after the head was "
                                "signed (audit_log() says where)");
            proof.events.push_back(std::move(p));
        }
        if (proof.events.empty())
            throw Error(ErrorCode::invalid_argument,
                        "prove_case: case " + number + " has no event among the " +
                            std::to_string(head.size) + " events of the head " + head_name(head));
        return detail::case_proof_json(proof);
    });
}

std::string CaseEngine::prove_consistency(const TreeHead& older, const TreeHead& newer) const {
    const Impl& w = *impl_;
    w.require_no_batch("prove_consistency");
    if (older.size > newer.size)
        throw Error(ErrorCode::invalid_argument,
                    "prove_consistency: the older head " + head_name(older) +
                        " is over more events than the newer head " + head_name(newer));
    return with_tree(w, [&](const detail::tree::Source& tree) {
        require_head(w, tree, older, "prove_consistency");
        require_head(w, tree, newer, "prove_consistency");
        detail::ConsistencyProof proof;
        proof.older = older;
        proof.newer = newer;
        proof.path = detail::tree::consistency(tree, older.size, newer.size);
        if (!merkle::verify_consistency(older.size, newer.size, older.root, newer.root, proof.path))
            throw Error(ErrorCode::invalid_state,
                        "prove_consistency: the log's stored tree does not lead from the head " +
                            head_name(older) + " to the head " + head_name(newer) +
                            ": it was changed after they were signed (audit_log() says where)");
        return detail::consistency_proof_json(proof);
    });
}

LogAudit CaseEngine::audit_log(std::string_view public_pem,
                               const std::vector<TreeHead>& published) const {
    const Impl& w = *impl_;
    w.require_no_batch("audit_log");
    public_key_id(public_pem);  // refuses a text that is no Ed25519 public key
    LogAudit audit;
    const auto find = [&](const char* rule, std::string where, std::string message) {
        audit.findings.push_back({rule, Severity::error, std::move(where), std::move(message)});
    };

    const LogVerification v = w.verify(nullptr, nullptr);
    if (!v.ok)
        find("audit.log", "event " + std::to_string(v.sequence), v.message);

    std::vector<TreeHead> heads = tree_heads();
    const std::size_t recorded = heads.size();
    heads.insert(heads.end(), published.begin(), published.end());
    std::vector<std::uint64_t> sizes;
    for (const TreeHead& h : heads)
        sizes.push_back(h.size);
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());

    // The tree recomputed from the events alone, its root taken at every head's size.
    std::vector<std::vector<Hash>> kept;
    detail::tree::Builder builder([&](unsigned level, std::uint64_t, const Hash& h) {
        const std::size_t j = level / detail::tree::stride - 1;
        if (kept.size() <= j)
            kept.resize(j + 1);
        kept[j].push_back(h);
    });
    std::map<std::uint64_t, Hash> roots;
    auto next = sizes.begin();
    const auto take_roots = [&] {
        while (next != sizes.end() && *next == builder.size())
            roots[*next++] = builder.root();
    };
    take_roots();
    const auto add = [&](const Hash& h) {
        builder.add(h);
        take_roots();
    };
    if (w.workspace != nullptr) {
        const std::lock_guard<std::recursive_mutex> lock(w.workspace->connection_mutex());
        detail::for_each_event_hash(w.workspace->db(), add);
        // Every kept node as stored, against the recomputed one.
        std::vector<std::size_t> seen(kept.size(), 0);
        std::size_t node_findings = 0;
        const auto node_finding = [&](unsigned level, std::uint64_t index, std::string what) {
            if (++node_findings <= 20)
                find("audit.tree_node", std::to_string(level) + "/" + std::to_string(index),
                     "the stored node " + std::to_string(level) + "/" + std::to_string(index) +
                         " of the log's tree " + what);
        };
        detail::for_each_tree_node(
            w.workspace->db(), [&](unsigned level, std::uint64_t index, const Hash& h) {
                const std::size_t j = level / detail::tree::stride - 1;
                if (level == 0 || level % detail::tree::stride != 0 || j >= kept.size() ||
                    index >= kept[j].size()) {
                    node_finding(level, index, "is one the events do not make");
                    return;
                }
                ++seen[j];
                if (kept[j][static_cast<std::size_t>(index)] != h)
                    node_finding(level, index, "differs from the one the events make");
            });
        for (std::size_t j = 0; j < kept.size(); ++j) {
            if (seen[j] < kept[j].size())
                node_finding(static_cast<unsigned>(detail::tree::stride * (j + 1)), seen[j],
                             "is missing (" + std::to_string(kept[j].size() - seen[j]) +
                                 " nodes of its level are)");
        }
        if (node_findings > 20)
            find("audit.tree_node", "",
                 std::to_string(node_findings - 20) +
                     " more stored nodes of the log's tree are wrong");
    } else {
        const auto committed = static_cast<std::size_t>(w.committed_sequence + 1 - w.log.first);
        for (std::size_t i = 0; i < committed && i < w.log.size(); ++i)
            add(w.log[i].hash);
    }
    audit.events = builder.size();

    for (std::size_t i = 0; i < heads.size(); ++i) {
        const TreeHead& h = heads[i];
        const std::string where = head_name(h);
        const std::string label =
            std::string(i < recorded ? "the recorded head " : "the published head ") + where +
            " (signed " + h.at.to_string() + ")";
        ++audit.heads_checked;
        const AuditResult r = verify_tree_head(h, public_pem);
        if (!r.ok) {
            find(r.problem == "key" ? "audit.head_key" : "audit.head_signature", where,
                 label + ": " + r.message);
            continue;
        }
        if (h.size > audit.events) {
            find("audit.head_beyond_log", where,
                 label + " is over " + std::to_string(h.size) + " events but the log holds " +
                     std::to_string(audit.events) + ": events were cut off");
            continue;
        }
        if (roots.at(h.size) != h.root)
            find("audit.head_root", where,
                 label + ": the log's first " + std::to_string(h.size) +
                     " events no longer give its root: events up to it were changed, "
                     "reordered, inserted or deleted after it was signed");
    }
    audit.ok = audit.findings.empty();
    return audit;
}

}  // namespace gridgov
