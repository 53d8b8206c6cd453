// Checkpoints an outside auditor can verify (docs/security.md).
//
// The case engine's event log is a hash chain: whoever can write the workspace file can
// rewrite an event and chain every later one again, and the chain still checks out. What an
// auditor needs is a statement about the log made by someone the file's writer is not: a
// signed tree head. Over the events, in the order of their sequence numbers, gridgov keeps
// a Merkle tree in the structure of RFC 9162 (Certificate Transparency v2): leaf i is
// SHA-256(0x00 || hash of event i+1), an inner node SHA-256(0x01 || left || right), and a
// tree of n leaves splits at the largest power of two below n. A tree head names the log,
// its size (events) and root, the instant, and the key that signed it with Ed25519; its text
// (TreeHead::to_text()) is short enough to print in the monthly public notice.
//
// Against a published head:
// - an inclusion proof shows that a case's events, as the proof states them, are in the
//   log of that head (each event's path to the root: 32 bytes a level);
// - a consistency proof shows that a later head's log extends an earlier one's: the log
//   only grew;
// - CaseEngine::audit_log() recomputes the whole tree from the events and compares it with
//   every head recorded in the workspace and every head the caller kept elsewhere.
// Verifying a proof needs only the proof, the head and the public key: the verify_*
// functions below never open a workspace.
//
// The signing key belongs to the deployment (a file readable by the job that signs, a
// hardware module in front of it): the workspace keeps the heads, never the key.
//
// Threading: SigningKey and TreeHead are values; the functions only read their arguments.
#ifndef GRIDGOV_AUDIT_HPP
#define GRIDGOV_AUDIT_HPP

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/core.hpp"

namespace gridgov {

/// A SHA-256 digest.
using Digest = std::array<std::uint8_t, 32>;
/// An Ed25519 signature.
using Signature = std::array<std::uint8_t, 64>;

/// An Ed25519 key pair held by the deployment (through OpenSSL).
class SigningKey {
  public:
    /// A new random key.
    static SigningKey generate();
    /// The key of a PEM private key (PKCS#8, "-----BEGIN PRIVATE KEY-----", as written by
    /// private_pem() or `openssl genpkey -algorithm ed25519`). Error(invalid_argument)
    /// when the text is no PEM private key or not an Ed25519 one; the key's bytes never
    /// appear in the message.
    static SigningKey from_pem(std::string_view pem);

    /// The private key as PEM text: keep it outside the workspace.
    std::string private_pem() const;
    /// The public key as PEM text ("-----BEGIN PUBLIC KEY-----"): give it to auditors.
    std::string public_pem() const;
    /// 16 lower-case hex digits: the start of SHA-256 of the raw 32-byte public key.
    std::string key_id() const;
    /// The Ed25519 signature of `message`.
    Signature sign(std::string_view message) const;

  private:
    explicit SigningKey(std::shared_ptr<void> key) : key_(std::move(key)) {}
    std::shared_ptr<void> key_;  // EVP_PKEY*
};

/// The key id (SigningKey::key_id()) of a PEM public key. Error(invalid_argument) when the
/// text is no Ed25519 public key.
std::string public_key_id(std::string_view public_pem);

/// A signed statement of the log's size and Merkle root at an instant.
struct TreeHead {
    std::string log;         ///< the log's name, chosen by the deployment: "hs-county-cases"
    std::uint64_t size = 0;  ///< events in the tree (the last event's sequence number)
    Digest root{};           ///< RFC 9162 root of the tree (SHA-256 of "" for size 0)
    Instant at;              ///< when it was signed
    std::string key_id;      ///< the signing key's id
    Signature signature{};

    /// The lines the signature covers, each ending in "\n":
    /// "gridgov tree head v1", "log: <log>", "size: <n>", "root: <hex>",
    /// "time: <instant, +08:00>", "key: <key id>". An auditor can check them with any
    /// Ed25519 tool (`openssl pkeyutl -verify -rawin`).
    std::string signed_text() const;
    /// signed_text() and "signature: <base64>\n".
    std::string to_text() const;
    /// Reads to_text()'s form (surrounding blank lines and "\r" allowed).
    /// Error(parse_error) naming the line that is missing or malformed.
    static TreeHead from_text(std::string_view text);

    friend bool operator==(const TreeHead& a, const TreeHead& b);
    friend bool operator!=(const TreeHead& a, const TreeHead& b) { return !(a == b); }
};

/// A head over `size` events with `root`, signed now by `key`. Error(invalid_argument)
/// when `log` is empty or not one line of printable text.
TreeHead sign_tree_head(const SigningKey& key, std::string_view log, std::uint64_t size,
                        const Digest& root, Instant at);

/// What a verification found. `problem` is a stable name: "none", "signature" (the head's
/// signature does not check out with the key), "key" (the head names another key),
/// "malformed" (the proof cannot be read), "root" (the proof does not lead to the head's
/// root), "event" (an event's stated content does not give its hash), "case" (the events
/// are not one case's, numbered 1, 2, ... with no gap), "log" (the heads name other logs),
/// "published" (the proof's head is not the published one), "size" (the sizes are out of
/// order or beyond the head).
struct AuditResult {
    bool ok = true;
    std::string problem = "none";
    std::string message;        ///< one sentence naming what is wrong; "" when ok
    std::uint64_t checked = 0;  ///< events (case proof) or hashes (consistency) checked
};

/// Checks a head's signature against a PEM public key.
AuditResult verify_tree_head(const TreeHead& head, std::string_view public_pem);

/// Checks a case proof (CaseEngine::prove_case()): the head's signature with the public
/// key, and that every event it states, with the content stated, is in the head's log,
/// and that they are the case's events 1, 2, ... without a gap. With `published`, the
/// proof's head must be that head (the one printed in the notice). A proof that cannot be
/// read gives a result with problem "malformed"; Error(invalid_argument) only when
/// `public_pem` is no Ed25519 public key.
AuditResult verify_case_proof(std::string_view proof_json, std::string_view public_pem,
                              const TreeHead* published = nullptr);

/// Checks a consistency proof (CaseEngine::prove_consistency()): both heads' signatures,
/// that they name one log, and that the newer head's log extends the older one's. With
/// `published_older` / `published_newer`, the proof's heads must be those.
AuditResult verify_consistency_proof(std::string_view proof_json, std::string_view public_pem,
                                     const TreeHead* published_older = nullptr,
                                     const TreeHead* published_newer = nullptr);

/// The RFC 9162 primitives, for auditors who bring their own leaves.
namespace merkle {
/// SHA-256(0x00 || event hash).
Digest leaf(const Digest& event_hash);
/// SHA-256(0x01 || left || right).
Digest node(const Digest& left, const Digest& right);
/// The root of the tree over `leaves` (already leaf-hashed), by the recursive definition.
Digest root(const std::vector<Digest>& leaves);
/// RFC 9162 §2.1.3.2: true when `path` leads leaf `index` of a tree of `size` to `root`.
bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Digest& leaf,
                      const std::vector<Digest>& path, const Digest& root);
/// RFC 9162 §2.1.4.2: true when `proof` shows that the tree of `size2` with `root2`
/// extends the tree of `size1` with `root1`.
bool verify_consistency(std::uint64_t size1, std::uint64_t size2, const Digest& root1,
                        const Digest& root2, const std::vector<Digest>& proof);
}  // namespace merkle

/// What CaseEngine::audit_log() found.
struct LogAudit {
    bool ok = true;
    std::uint64_t events = 0;  ///< events read (the whole log)
    std::uint64_t heads_checked = 0;
    /// One per problem: "audit.log" (the chain itself, as verify_log() names it),
    /// "audit.head_signature", "audit.head_key", "audit.head_log", "audit.head_beyond_log"
    /// (the log is shorter than a head: events were cut off), "audit.head_root" (the
    /// events up to a head no longer give its root: rewritten, reordered, inserted or
    /// deleted), "audit.tree_node" (a stored node of the tree disagrees with the events).
    /// `where` names the head ("<log>@<size>") or the node ("level/index").
    std::vector<Finding> findings;
};

}  // namespace gridgov

#endif
