// Python bindings: checkpoints auditors can verify — signing keys, tree heads, the
// standalone verifiers of case and consistency proofs and the RFC 9162 primitives. The
// engine's side (sign_tree_head, prove_case, audit_log, ...) is on ws.cases
// (bind_cases.cpp).
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bind.hpp"
#include "gridgov/audit.hpp"
#include "gridgov/cases.hpp"

namespace gridgov::python {

namespace {

py::bytes digest_bytes(const Digest& d) {
    return py::bytes(reinterpret_cast<const char*>(d.data()), d.size());
}

}  // namespace

void bind_audit(py::module_& m) {
    py::class_<SigningKey>(m, "SigningKey",
                           "An Ed25519 key pair held by the deployment: it signs tree heads "
                           "and is never stored in a workspace.")
        .def_static("generate", &SigningKey::generate, "A new random key.")
        .def_static(
            "from_pem", [](const std::string& pem) { return SigningKey::from_pem(pem); },
            py::arg("pem"),
            "The key of a PEM private key (PKCS#8, Ed25519, unencrypted); InvalidArgumentError "
            "otherwise.")
        .def("private_pem", &SigningKey::private_pem,
             "The private key as PEM text: keep it outside the workspace.")
        .def("public_pem", &SigningKey::public_pem,
             "The public key as PEM text: give it to auditors.")
        .def_property_readonly("key_id", &SigningKey::key_id,
                               "16 hex digits naming the key (SHA-256 of its public key).")
        .def("__repr__", [](const SigningKey& k) { return "<SigningKey " + k.key_id() + ">"; });

    py::class_<TreeHead>(m, "TreeHead",
                         "A signed statement of the event log's size and Merkle root at an "
                         "instant; str() gives the 7-line text to publish.")
        .def_static(
            "from_text", [](const std::string& text) { return TreeHead::from_text(text); },
            py::arg("text"), "Reads a head's text; ParseError naming the bad line.")
        .def("to_text", &TreeHead::to_text)
        .def("signed_text", &TreeHead::signed_text, "The lines the signature covers.")
        .def_readonly("log", &TreeHead::log)
        .def_readonly("size", &TreeHead::size)
        .def_property_readonly(
            "root", [](const TreeHead& h) { return hash_hex(h.root); },
            "The root as 64 hex digits.")
        .def_property_readonly("at", [](const TreeHead& h) { return from_instant(h.at); })
        .def_readonly("key_id", &TreeHead::key_id)
        .def("__str__", &TreeHead::to_text)
        .def("__eq__", [](const TreeHead& a, const TreeHead& b) { return a == b; })
        .def("__hash__", [](const TreeHead& h) { return py::hash(py::str(h.to_text())); })
        .def("__repr__", [](const TreeHead& h) {
            return "<TreeHead " + h.log + "@" + std::to_string(h.size) + " " +
                   hash_hex(h.root).substr(0, 16) + "... signed " + h.at.to_string() + ">";
        });

    py::class_<AuditResult>(m, "AuditResult",
                            "What a verification found; true when the proof checks out.")
        .def_readonly("ok", &AuditResult::ok)
        .def_readonly("problem", &AuditResult::problem)
        .def_readonly("message", &AuditResult::message)
        .def_readonly("checked", &AuditResult::checked)
        .def("__bool__", [](const AuditResult& r) { return r.ok; })
        .def("__repr__", [](const AuditResult& r) {
            return r.ok ? "<AuditResult ok, " + std::to_string(r.checked) + " checked>"
                        : "<AuditResult " + r.problem + ": " + r.message + ">";
        });

    py::class_<LogAudit>(m, "LogAudit", "What cases.audit_log() found.")
        .def_readonly("ok", &LogAudit::ok)
        .def_readonly("events", &LogAudit::events)
        .def_readonly("heads_checked", &LogAudit::heads_checked)
        .def_readonly("findings", &LogAudit::findings)
        .def("__bool__", [](const LogAudit& a) { return a.ok; })
        .def("__repr__", [](const LogAudit& a) {
            return "<LogAudit " + std::string(a.ok ? "ok" : "FAILED") + ", " +
                   std::to_string(a.events) + " events, " + std::to_string(a.heads_checked) +
                   " heads, " + std::to_string(a.findings.size()) + " findings>";
        });

    m.def(
        "verify_tree_head",
        [](const TreeHead& head, const std::string& public_pem) {
            return verify_tree_head(head, public_pem);
        },
        py::arg("head"), py::arg("public_pem"), "Checks a head's signature with a public key.");
    m.def(
        "verify_case_proof",
        [](const std::string& proof, const std::string& public_pem,
           std::optional<TreeHead> published) {
            public_key_id(public_pem);  // a bad key is an error, not a finding
            py::gil_scoped_release unlocked;
            return verify_case_proof(proof, public_pem, published ? &*published : nullptr);
        },
        py::arg("proof"), py::arg("public_pem"), py::kw_only(), py::arg("published") = py::none(),
        "Checks a case proof (cases.prove_case()) with the public key alone; with published, "
        "the proof's head must be that one.");
    m.def(
        "verify_consistency_proof",
        [](const std::string& proof, const std::string& public_pem, std::optional<TreeHead> older,
           std::optional<TreeHead> newer) {
            public_key_id(public_pem);
            py::gil_scoped_release unlocked;
            return verify_consistency_proof(proof, public_pem, older ? &*older : nullptr,
                                            newer ? &*newer : nullptr);
        },
        py::arg("proof"), py::arg("public_pem"), py::kw_only(), py::arg("older") = py::none(),
        py::arg("newer") = py::none(),
        "Checks that a later head's log extends an earlier one's (cases.prove_consistency()).");
    m.def(
        "merkle_leaf",
        [](py::bytes event_hash) {
            const std::string b = event_hash;
            if (b.size() != 32)
                throw Error(ErrorCode::invalid_argument, "event_hash: not 32 bytes");
            Digest d{};
            std::copy(b.begin(), b.end(), d.begin());
            return digest_bytes(merkle::leaf(d));
        },
        py::arg("event_hash"), "SHA-256(0x00 || event hash): an event's leaf in the tree.");
}

}  // namespace gridgov::python
