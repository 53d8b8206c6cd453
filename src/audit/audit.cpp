// Signing keys and tree heads (Ed25519 through OpenSSL), the RFC 9162 verification
// algorithms, and the standalone verifiers of case and consistency proofs.
#include "gridgov/audit.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cctype>
#include <cstring>

#include "audit/proof.hpp"
#include "audit/tree.hpp"
#include "cases/event_encoding.hpp"
#include "core/text.hpp"

namespace gridgov {

namespace {

using detail::Hash;

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

EVP_PKEY* raw(const std::shared_ptr<void>& key) {
    return static_cast<EVP_PKEY*>(key.get());
}

std::shared_ptr<void> share(EVP_PKEY* key) {
    return std::shared_ptr<void>(key, [](void* k) { EVP_PKEY_free(static_cast<EVP_PKEY*>(k)); });
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Error key_error(const std::string& what) {
    return Error(ErrorCode::invalid_argument, what);
}

BioPtr read_bio(std::string_view text) {
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio)
        throw Error(ErrorCode::internal, "OpenSSL could not allocate a buffer");
    return bio;
}

KeyPtr read_public(std::string_view pem) {
    if (pem.size() > 1 << 16)
        throw key_error("public key: the text is too long for a PEM public key");
    BioPtr bio = read_bio(pem);
    KeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        throw key_error(
            "public key: the text is no PEM public key "
            "(expected \"-----BEGIN PUBLIC KEY-----\")");
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        throw key_error("public key: the key is not an Ed25519 key");
    return key;
}

std::string id_of(EVP_PKEY* key) {
    Digest pub{};
    std::size_t n = pub.size();
    if (EVP_PKEY_get_raw_public_key(key, pub.data(), &n) != 1 || n != pub.size())
        throw Error(ErrorCode::internal, "OpenSSL could not read the raw Ed25519 public key");
    detail::Sha256 sha;
    return hash_hex(sha.digest(pub.data(), pub.size())).substr(0, 16);
}

bool verify_signature(EVP_PKEY* key, std::string_view message, const Signature& sig) {
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key) != 1)
        throw Error(ErrorCode::internal, "OpenSSL could not start an Ed25519 verification");
    return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
}

std::string base64(const Signature& sig) {
    unsigned char out[4 * ((sizeof(Signature) + 2) / 3) + 1];
    const int n = EVP_EncodeBlock(out, sig.data(), static_cast<int>(sig.size()));
    return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}

bool unbase64(std::string_view text, Signature& sig) {
    // 64 bytes are 88 characters ending in "==".
    if (text.size() != 88 || text.substr(86) != "==")
        return false;
    for (char c : text.substr(0, 86)) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/')
            return false;
    }
    unsigned char out[66];
    if (EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(text.data()), 88) != 66)
        return false;
    std::memcpy(sig.data(), out, sig.size());
    return true;
}

AuditResult failed(std::string problem, std::string message) {
    AuditResult r;
    r.ok = false;
    r.problem = std::move(problem);
    r.message = std::move(message);
    return r;
}

std::string head_label(const TreeHead& h) {
    return "the head of " + h.log + " at " + std::to_string(h.size) + " events";
}

}  // namespace

// ---- keys --------------------------------------------------------------------------------

SigningKey SigningKey::generate() {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (key == nullptr)
        throw Error(ErrorCode::internal, "OpenSSL could not generate an Ed25519 key");
    return SigningKey(share(key));
}

SigningKey SigningKey::from_pem(std::string_view pem) {
    if (pem.size() > 1 << 16)
        throw key_error("signing key: the text is too long for a PEM private key");
    BioPtr bio = read_bio(pem);
    // No passphrase callback: an encrypted key is refused rather than prompting.
    EVP_PKEY* key = PEM_read_bio_PrivateKey(
        bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
    if (key == nullptr)
        throw key_error(
            "signing key: the text is no unencrypted PEM private key "
            "(expected \"-----BEGIN PRIVATE KEY-----\")");
    SigningKey k(share(key));
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519)
        throw key_error("signing key: the key is not an Ed25519 key");
    return k;
}

std::string SigningKey::private_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), raw(key_), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw Error(ErrorCode::internal, "OpenSSL could not write the private key");
    return bio_text(bio.get());
}

std::string SigningKey::public_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), raw(key_)) != 1)
        throw Error(ErrorCode::internal, "OpenSSL could not write the public key");
    return bio_text(bio.get());
}

std::string SigningKey::key_id() const {
    return id_of(raw(key_));
}

Signature SigningKey::sign(std::string_view message) const {
    std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
    Signature sig{};
    std::size_t n = sig.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, raw(key_)) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &n,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1 ||
        n != sig.size())
        throw Error(ErrorCode::internal, "OpenSSL could not sign with the Ed25519 key");
    return sig;
}

std::string public_key_id(std::string_view public_pem) {
    return id_of(read_public(public_pem).get());
}

// ---- tree heads --------------------------------------------------------------------------

std::string TreeHead::signed_text() const {
    return "gridgov tree head v1\nlog: " + log + "\nsize: " + std::to_string(size) +
           "\nroot: " + hash_hex(root) + "\ntime: " + at.to_string() + "\nkey: " + key_id + "\n";
}

std::string TreeHead::to_text() const {
    return signed_text() + "signature: " + base64(signature) + "\n";
}

TreeHead TreeHead::from_text(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    std::size_t first = 0;
    while (first < lines.size() && lines[first].empty())
        ++first;
    std::size_t last = lines.size();
    while (last > first && lines[last - 1].empty())
        --last;
    const auto bad = [](std::size_t line, const std::string& what) {
        return Error(ErrorCode::parse_error,
                     "tree head: line " + std::to_string(line + 1) + ": " + what);
    };
    const char* const keys[] = {"log", "size", "root", "time", "key", "signature"};
    if (first == last || lines[first] != "gridgov tree head v1")
        throw bad(first, "expected \"gridgov tree head v1\"");
    if (last - first != 7)
        throw bad(first,
                  "a tree head has 7 lines (the title, log, size, root, time, key, "
                  "signature); this text has " +
                      std::to_string(last - first));
    std::string_view values[6];
    for (std::size_t i = 0; i < 6; ++i) {
        const std::string_view line = lines[first + 1 + i];
        const std::string prefix = std::string(keys[i]) + ": ";
        if (line.substr(0, prefix.size()) != prefix)
            throw bad(first + 1 + i, "expected \"" + prefix + "...\"");
        values[i] = line.substr(prefix.size());
    }
    TreeHead h;
    h.log = std::string(values[0]);
    if (h.log.empty())
        throw bad(first + 1, "the log's name is empty");
    const std::string_view size = values[1];
    if (size.empty() || size.size() > 19 || size.find_first_not_of("0123456789") != size.npos ||
        (size.size() > 1 && size[0] == '0'))
        throw bad(first + 2, "size \"" + std::string(size) + "\" is not a count of events");
    h.size = std::stoull(std::string(size));
    if (!detail::parse_hex_hash(values[2], h.root))
        throw bad(first + 3, "root is not 64 lower-case hex digits");
    try {
        h.at = Instant::parse(values[3]);
    } catch (const Error& e) {
        throw bad(first + 4, e.what());
    }
    h.key_id = std::string(values[4]);
    if (h.key_id.size() != 16 ||
        h.key_id.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw bad(first + 5, "key is not 16 lower-case hex digits");
    if (!unbase64(values[5], h.signature))
        throw bad(first + 6, "signature is not 64 bytes in base64");
    return h;
}

bool operator==(const TreeHead& a, const TreeHead& b) {
    return a.log == b.log && a.size == b.size && a.root == b.root && a.at == b.at &&
           a.key_id == b.key_id && a.signature == b.signature;
}

TreeHead sign_tree_head(const SigningKey& key, std::string_view log, std::uint64_t size,
                        const Digest& root, Instant at) {
    if (log.empty())
        throw Error(ErrorCode::invalid_argument, "log: the log's name is empty");
    detail::check_text(log, detail::TextKind::line, "log");
    TreeHead h;
    h.log = std::string(log);
    h.size = size;
    h.root = root;
    h.at = at;
    h.key_id = key.key_id();
    h.signature = key.sign(h.signed_text());
    return h;
}

AuditResult verify_tree_head(const TreeHead& head, std::string_view public_pem) {
    const KeyPtr key = read_public(public_pem);
    const std::string id = id_of(key.get());
    if (head.key_id != id)
        return failed("key", head_label(head) + " was signed by key " + head.key_id +
                                 ", not by the given key " + id);
    if (!verify_signature(key.get(), head.signed_text(), head.signature))
        return failed("signature", head_label(head) +
                                       ": the signature does not check out with key " + id +
                                       " (the head was changed after it was signed)");
    return {};
}

// ---- RFC 9162 ----------------------------------------------------------------------------

namespace merkle {

Digest leaf(const Digest& event_hash) {
    detail::Sha256 sha;
    return detail::tree::leaf(sha, event_hash);
}

Digest node(const Digest& left, const Digest& right) {
    detail::Sha256 sha;
    return detail::tree::node(sha, left, right);
}

Digest root(const std::vector<Digest>& leaves) {
    if (leaves.empty())
        return detail::tree::empty_root();
    detail::Sha256 sha;
    const auto mth = [&](const auto& self, std::size_t begin, std::size_t end) -> Digest {
        if (end - begin == 1)
            return leaves[begin];
        std::size_t k = 1;
        while (k << 1 < end - begin)
            k <<= 1;
        return detail::tree::node(sha, self(self, begin, begin + k), self(self, begin + k, end));
    };
    return mth(mth, 0, leaves.size());
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const Digest& leaf,
                      const std::vector<Digest>& path, const Digest& root) {
    if (index >= size)
        return false;
    detail::Sha256 sha;
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    Digest r = leaf;
    for (const Digest& p : path) {
        if (sn == 0)
            return false;
        if ((fn & 1) != 0 || fn == sn) {
            r = detail::tree::node(sha, p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = detail::tree::node(sha, r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t size1, std::uint64_t size2, const Digest& root1,
                        const Digest& root2, const std::vector<Digest>& proof) {
    if (size1 > size2)
        return false;
    if (size1 == size2)
        return proof.empty() && root1 == root2;
    if (size1 == 0)
        return proof.empty();
    if (proof.empty())
        return false;
    std::vector<Digest> p = proof;
    if ((size1 & (size1 - 1)) == 0)
        p.insert(p.begin(), root1);
    detail::Sha256 sha;
    std::uint64_t fn = size1 - 1;
    std::uint64_t sn = size2 - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    Digest fr = p[0];
    Digest sr = p[0];
    for (std::size_t i = 1; i < p.size(); ++i) {
        if (sn == 0)
            return false;
        if ((fn & 1) != 0 || fn == sn) {
            fr = detail::tree::node(sha, p[i], fr);
            sr = detail::tree::node(sha, p[i], sr);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = detail::tree::node(sha, sr, p[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == root1 && sr == root2;
}

}  // namespace merkle

// ---- proofs ------------------------------------------------------------------------------

namespace detail {

std::pair<std::string, std::string> check_proved_event(const ProvedEvent& e,
                                                       const std::string& case_number,
                                                       const TreeHead& head) {
    const std::string name = "event " + std::to_string(e.sequence) + " (case " + case_number +
                             "'s event " + std::to_string(e.case_sequence) + ")";
    std::string encoded;
    encode_event(event_fields(e, e.type, e.previous), encoded);
    Sha256 sha;
    const Hash h = sha.digest(encoded.data(), encoded.size());
    if (h != e.hash)
        return {"event", name +
                             ": its content as the proof states it does not give the hash "
                             "the proof states"};
    if (!merkle::verify_inclusion(e.sequence - 1, head.size, merkle::leaf(h), e.path, head.root))
        return {"root", name + ": its path does not lead to the root of " + head_label(head) +
                            " (the event is not in that log)"};
    return {};
}

}  // namespace detail

AuditResult verify_case_proof(std::string_view proof_json, std::string_view public_pem,
                              const TreeHead* published) {
    detail::CaseProof proof;
    try {
        proof = detail::parse_case_proof(proof_json);
    } catch (const Error& e) {
        return failed("malformed", e.what());
    }
    const TreeHead& head = proof.head;
    if (published != nullptr && *published != head)
        return failed("published", "the proof's head (" + head_label(head) + ", signed " +
                                       head.at.to_string() + ") is not the published head (" +
                                       head_label(*published) + ", signed " +
                                       published->at.to_string() + ")");
    AuditResult r = verify_tree_head(head, public_pem);
    if (!r.ok)
        return r;
    for (std::size_t i = 0; i < proof.events.size(); ++i) {
        const detail::ProvedEvent& e = proof.events[i];
        const std::string name = "event " + std::to_string(e.sequence) + " (case " +
                                 proof.case_number + "'s event " + std::to_string(e.case_sequence) +
                                 ")";
        if (e.case_id != proof.events.front().case_id || e.case_sequence != i + 1 ||
            (i > 0 && e.sequence <= proof.events[i - 1].sequence))
            return failed("case", name +
                                      " does not follow the case's events before it "
                                      "(a case's events are numbered 1, 2, ... in the "
                                      "order of the log)");
        if (e.sequence == 0 || e.sequence > head.size)
            return failed("size", name + " is beyond " + head_label(head));
        const auto [problem, message] = detail::check_proved_event(e, proof.case_number, head);
        if (!problem.empty())
            return failed(problem, message);
        ++r.checked;
    }
    return r;
}

AuditResult verify_consistency_proof(std::string_view proof_json, std::string_view public_pem,
                                     const TreeHead* published_older,
                                     const TreeHead* published_newer) {
    detail::ConsistencyProof proof;
    try {
        proof = detail::parse_consistency_proof(proof_json);
    } catch (const Error& e) {
        return failed("malformed", e.what());
    }
    if (published_older != nullptr && *published_older != proof.older)
        return failed("published", "the proof's older head (" + head_label(proof.older) +
                                       ") is not the published one (" +
                                       head_label(*published_older) + ")");
    if (published_newer != nullptr && *published_newer != proof.newer)
        return failed("published", "the proof's newer head (" + head_label(proof.newer) +
                                       ") is not the published one (" +
                                       head_label(*published_newer) + ")");
    for (const TreeHead* h : {&proof.older, &proof.newer}) {
        AuditResult r = verify_tree_head(*h, public_pem);
        if (!r.ok)
            return r;
    }
    if (proof.older.log != proof.newer.log)
        return failed("log",
                      "the heads name two logs: " + proof.older.log + " and " + proof.newer.log);
    if (proof.older.size > proof.newer.size)
        return failed("size", "the older head has " + std::to_string(proof.older.size) +
                                  " events, more than the newer head's " +
                                  std::to_string(proof.newer.size) +
                                  " (the log shrank: events were cut off)");
    if (!merkle::verify_consistency(proof.older.size, proof.newer.size, proof.older.root,
                                    proof.newer.root, proof.path))
        return failed("root", head_label(proof.newer) + " does not extend " +
                                  head_label(proof.older) +
                                  " (events up to the older head were changed, reordered or "
                                  "removed)");
    AuditResult r;
    r.checked = proof.path.size();
    return r;
}

}  // namespace gridgov
