// gridgov audit ...: signing keys, signed tree heads over the event log, case and
// consistency proofs, the auditor's whole check, and the standalone verifier (docs/cli.md,
// docs/security.md).
#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "gridgov/audit.hpp"
#include "gridgov/workspace.hpp"
#include "io/files.hpp"

namespace gridgov::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string read_text(const std::string& file, const char* option) {
    if (file.empty())
        throw Error(ErrorCode::invalid_argument, std::string(option) + ": no file given");
    return detail::read_file(file, option);
}

TreeHead read_head(const std::string& file, const char* option) {
    try {
        return TreeHead::from_text(read_text(file, option));
    } catch (const Error& e) {
        if (e.code() != ErrorCode::parse_error)
            throw;
        throw Error(ErrorCode::parse_error, std::string(option) + " " + file + ": " + e.what());
    }
}

SigningKey read_key(const std::string& file) {
    return SigningKey::from_pem(read_text(file, "--key"));
}

Json result_json(const AuditResult& r) {
    return Json{
        {"ok", r.ok}, {"problem", r.problem}, {"message", r.message}, {"checked", r.checked}};
}

int report(const Global& g, const AuditResult& r, const std::string& what) {
    if (g.json)
        print_json(result_json(r));
    else if (r.ok)
        std::cout << what << " ok: " << r.checked << " checked\n";
    else
        std::cout << what << " FAILED (" << r.problem << "): " << r.message << '\n';
    return r.ok ? exit_ok : exit_findings;
}

}  // namespace

int run_audit_key(const Global& g, const AuditOptions& o) {
    if (o.output.empty() || o.output == "-")
        throw Error(ErrorCode::invalid_argument,
                    "-o: name the file the private key goes to (it is never printed)");
    if (std::filesystem::exists(o.output))
        throw Error(ErrorCode::already_exists,
                    "-o " + o.output + ": the file exists; a signing key is never overwritten");
    const SigningKey key = SigningKey::generate();
    // The private key is readable by its owner only, from the moment it exists.
    const mode_t old = umask(077);
    try {
        detail::write_file_atomically(o.output, key.private_pem());
    } catch (...) {
        umask(old);
        throw;
    }
    umask(old);
    if (!o.public_key.empty())
        write_output(o.public_key, key.public_pem());
    if (g.json) {
        print_json(Json{{"key_id", key.key_id()},
                        {"private_key", o.output},
                        {"public_key", o.public_key.empty() ? Json() : Json(o.public_key)},
                        {"public_pem", key.public_pem()}});
    } else {
        std::cerr << "private key " << key.key_id() << " written to " << o.output
                  << " (keep it outside the workspace)\n";
        if (o.public_key.empty())
            std::cout << key.public_pem();
    }
    return exit_ok;
}

int run_audit_head(const Global& g, const AuditOptions& o) {
    const SigningKey key = read_key(o.key);
    Workspace ws = open_existing(g, true);
    const TreeHead head = ws.cases().sign_tree_head(key, o.log, instant_or_now(o.at, "--at"));
    if (!o.output.empty() && o.output != "-")
        write_output(o.output, head.to_text());
    if (g.json)
        print_json(Json{{"log", head.log},
                        {"size", head.size},
                        {"root", hash_hex(head.root)},
                        {"at", head.at.to_string()},
                        {"key_id", head.key_id},
                        {"text", head.to_text()}});
    else if (o.output.empty() || o.output == "-")
        std::cout << head.to_text();
    return exit_ok;
}

int run_audit_heads(const Global& g) {
    const Workspace ws = open_existing(g, false);
    const std::vector<TreeHead> heads = ws.cases().tree_heads();
    if (g.json) {
        Json list = Json::array();
        for (const TreeHead& h : heads)
            list.push_back(h.to_text());
        print_json(list);
        return exit_ok;
    }
    for (std::size_t i = 0; i < heads.size(); ++i)
        std::cout << (i == 0 ? "" : "\n") << heads[i].to_text();
    return exit_ok;
}

int run_audit_prove(const Global& g, const AuditOptions& o) {
    const TreeHead head = read_head(o.head, "--head");
    const Workspace ws = open_existing(g, false);
    write_output(o.output, ws.cases().prove_case(o.number, head) + "\n");
    return exit_ok;
}

int run_audit_consistency(const Global& g, const AuditOptions& o) {
    const TreeHead older = read_head(o.older, "--older");
    const TreeHead newer = read_head(o.newer, "--newer");
    const Workspace ws = open_existing(g, false);
    write_output(o.output, ws.cases().prove_consistency(older, newer) + "\n");
    return exit_ok;
}

int run_audit_check(const Global& g, const AuditOptions& o) {
    const std::string public_pem = read_text(o.public_key, "--public-key");
    std::vector<TreeHead> published;
    for (const std::string& f : o.published)
        published.push_back(read_head(f, "--published"));
    const Workspace ws = open_existing(g, false);
    const LogAudit a = ws.cases().audit_log(public_pem, published);
    if (g.json) {
        Json findings = Json::array();
        for (const Finding& f : a.findings)
            findings.push_back(finding_json(f));
        print_json(Json{{"ok", a.ok},
                        {"events", a.events},
                        {"heads_checked", a.heads_checked},
                        {"findings", std::move(findings)}});
    } else {
        for (const Finding& f : a.findings)
            std::cout << f.rule << "  " << f.where << "  " << f.message << '\n';
        std::cout << (a.ok ? "audit ok: " : "audit FAILED: ") << a.events << " events, "
                  << a.heads_checked << " heads checked, " << a.findings.size() << " findings\n";
    }
    return a.ok ? exit_ok : exit_findings;
}

int run_audit_verify(const Global& g, const AuditOptions& o) {
    const std::string public_pem = read_text(o.public_key, "--public-key");
    public_key_id(public_pem);  // a bad key is refused, not reported as a failed proof
    const std::string text = read_text(o.proof, "proof");
    std::optional<TreeHead> head;
    std::optional<TreeHead> older;
    std::optional<TreeHead> newer;
    if (!o.head.empty())
        head = read_head(o.head, "--head");
    if (!o.older.empty())
        older = read_head(o.older, "--older");
    if (!o.newer.empty())
        newer = read_head(o.newer, "--newer");
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && text.compare(start, 17, "gridgov tree head") == 0) {
        const AuditResult r = verify_tree_head(read_head(o.proof, "proof"), public_pem);
        return report(g, r, "head");
    }
    std::string format;
    try {
        const Json j = Json::parse(text);
        if (j.is_object() && j.contains("format") && j["format"].is_string())
            format = j["format"].get<std::string>();
    } catch (const Json::exception&) {
    }
    if (format == "gridgov-consistency-proof-1")
        return report(g,
                      verify_consistency_proof(text, public_pem, older ? &*older : nullptr,
                                               newer ? &*newer : nullptr),
                      "consistency proof");
    if (format != "gridgov-case-proof-1")
        throw Error(ErrorCode::parse_error,
                    "proof " + o.proof +
                        ": neither a tree head nor a case or consistency proof of gridgov");
    return report(g, verify_case_proof(text, public_pem, head ? &*head : nullptr), "case proof");
}

}  // namespace gridgov::cli
