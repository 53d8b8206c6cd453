/*
 * gridgov/c/audit.h: checkpoints an outside auditor can verify — signed tree heads over the
 * case engine's event log (an RFC 9162 Merkle tree, Ed25519 signatures), proofs that a
 * case's events are in a published head's log and that a later head extends an earlier
 * one, and verifiers that need only the proof, the head and the public key. Part of the C
 * ABI of gridgov: <gridgov.h> includes every module's header, and each may be included on
 * its own. The conventions are in gridgov/c/core.h and docs/c-api.md; the model is in
 * docs/security.md.
 */
#ifndef GRIDGOV_C_AUDIT_H
#define GRIDGOV_C_AUDIT_H

#include "gridgov/c/cases.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== audit ========================================================================= */

/* Texts exchanged:
 *  - a key is PEM text: a private key "-----BEGIN PRIVATE KEY-----" (PKCS#8, Ed25519,
 *    unencrypted; `openssl genpkey -algorithm ed25519` writes one), a public key
 *    "-----BEGIN PUBLIC KEY-----". The private key belongs to the deployment: it is used
 *    for the call and never stored.
 *  - a head is the 7-line text of docs/security.md ("gridgov tree head v1", "log: ...",
 *    "size: ...", "root: ...", "time: ...", "key: ...", "signature: ...").
 *  - a verification result is a JSON object {"ok": true/false, "problem": "none",
 *    "signature", "key", "malformed", "root", "event", "case", "log", "published" or
 *    "size", "message": one sentence ("" when ok), "checked": events or hashes checked}.
 * A verifier returns GRIDGOV_OK when the check ran, whatever it found: a proof that does
 * not check out is "ok": false, not an error. */

/* A new random Ed25519 key. out: its PEM private key, owned by the caller, release with
 * gridgov_free(). Since 0.1. */
GRIDGOV_API int gridgov_audit_generate_key(char** out);

/* The PEM public key of a PEM private key. out: owned by the caller (gridgov_free()).
 * Returns GRIDGOV_EINVAL when private_pem is no Ed25519 private key (the message never
 * quotes it). Since 0.1. */
GRIDGOV_API int gridgov_audit_public_key(char** out, const char* private_pem);

/* Signs a head over the workspace's committed log with private_pem and records it in the
 * workspace (in the write that reads the log's end). log: the log's name (UTF-8, one line,
 * not empty). at: the signing instant (epoch seconds). out: the head's text, owned by the
 * caller (gridgov_free()). Returns GRIDGOV_EINVAL for a bad key or log name,
 * GRIDGOV_ESTATE inside a batch, GRIDGOV_ESTORAGE. Since 0.1. */
GRIDGOV_API int gridgov_cases_sign_tree_head(char** out, gridgov_workspace* ws,
                                             const char* private_pem, const char* log, int64_t at);

/* From now on, signs and records a head at every commit of this connection that appends
 * events, in the commit's own write; private_pem is parsed now and held in this
 * connection's memory only. A NULL private_pem stops it. Returns GRIDGOV_EINVAL for a bad
 * key or log name. Since 0.1. */
GRIDGOV_API int gridgov_cases_sign_heads_at_commit(gridgov_workspace* ws, const char* private_pem,
                                                   const char* log);

/* The recorded heads, oldest first, as a JSON array of head texts. out: owned by the
 * caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_cases_tree_heads_json(char** out, const gridgov_workspace* ws);

/* The proof (JSON) that case `number`'s events up to `head` are in the log of `head`.
 * out: owned by the caller (gridgov_free()). Returns GRIDGOV_EPARSE for a malformed head,
 * GRIDGOV_ENOTFOUND for an unknown case, GRIDGOV_EINVAL when the head is over more events
 * than the log or the case has none in it, GRIDGOV_ESTATE when the log no longer gives
 * the head's root (changed after it was signed) or inside a batch. Since 0.1. */
GRIDGOV_API int gridgov_cases_prove_case(char** out, const gridgov_workspace* ws,
                                         const char* number, const char* head);

/* The proof (JSON) that the log of `newer` extends the log of `older` (head texts).
 * Errors as gridgov_cases_prove_case(). Since 0.1. */
GRIDGOV_API int gridgov_cases_prove_consistency(char** out, const gridgov_workspace* ws,
                                                const char* older, const char* newer);

/* The auditor's whole check of the workspace's log: the chain, the tree recomputed from
 * the events against its stored nodes, every recorded head and every head of
 * published_json (a JSON array of head texts kept outside the workspace; NULL: none), each
 * signature checked with public_pem. out: JSON {"ok", "events", "heads_checked",
 * "findings": [{"rule", "severity", "where", "message"}]} (rules in docs/security.md),
 * owned by the caller (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_cases_audit_log(char** out, const gridgov_workspace* ws,
                                        const char* public_pem, const char* published_json);

/* Checks a head's signature with public_pem. out: a verification result (JSON), owned by
 * the caller (gridgov_free()). Returns GRIDGOV_EPARSE for a malformed head,
 * GRIDGOV_EINVAL for a bad public key. Since 0.1. */
GRIDGOV_API int gridgov_audit_verify_head(char** out, const char* head, const char* public_pem);

/* Checks a case proof with public_pem alone; with published_head (may be NULL) the proof's
 * head must be that one. out: a verification result (JSON), owned by the caller
 * (gridgov_free()). Since 0.1. */
GRIDGOV_API int gridgov_audit_verify_case_proof(char** out, const char* proof_json,
                                                const char* public_pem, const char* published_head);

/* Checks a consistency proof with public_pem alone; published_older and published_newer
 * (each may be NULL) must be the proof's heads. out as above. Since 0.1. */
GRIDGOV_API int gridgov_audit_verify_consistency_proof(char** out, const char* proof_json,
                                                       const char* public_pem,
                                                       const char* published_older,
                                                       const char* published_newer);

#ifdef __cplusplus
}
#endif

#endif
