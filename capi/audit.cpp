// C ABI: audit — signed tree heads over the event log, case and consistency proofs, the
// auditor's whole check, and the standalone verifiers, as text in and out.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "gridgov.h"
#include "gridgov/audit.hpp"
#include "gridgov/workspace.hpp"
#include "guard.hpp"
#include "handles.hpp"

namespace {

using gridgov::AuditResult;
using gridgov::Error;
using gridgov::ErrorCode;
using gridgov::TreeHead;
using gridgov::capi::dup_string;
using gridgov::capi::guard;
using gridgov::capi::require;
using Json = nlohmann::json;

TreeHead head_of(const char* text, const char* parameter) {
    require(text, parameter);
    try {
        return TreeHead::from_text(text);
    } catch (const Error& e) {
        throw Error(e.code(), std::string(parameter) + ": " + e.what());
    }
}

int result(char** out, const AuditResult& r) {
    *out = dup_string(
        Json{{"ok", r.ok}, {"problem", r.problem}, {"message", r.message}, {"checked", r.checked}}
            .dump());
    return GRIDGOV_OK;
}

}  // namespace

extern "C" {

int gridgov_audit_generate_key(char** out) {
    return guard([&] {
        require(out, "out");
        *out = dup_string(gridgov::SigningKey::generate().private_pem());
        return GRIDGOV_OK;
    });
}

int gridgov_audit_public_key(char** out, const char* private_pem) {
    return guard([&] {
        require(out, "out");
        require(private_pem, "private_pem");
        *out = dup_string(gridgov::SigningKey::from_pem(private_pem).public_pem());
        return GRIDGOV_OK;
    });
}

int gridgov_cases_sign_tree_head(char** out, gridgov_workspace* ws, const char* private_pem,
                                 const char* log, int64_t at) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(private_pem, "private_pem");
        require(log, "log");
        const gridgov::SigningKey key = gridgov::SigningKey::from_pem(private_pem);
        *out = dup_string(ws->ws.cases().sign_tree_head(key, log, gridgov::Instant{at}).to_text());
        return GRIDGOV_OK;
    });
}

int gridgov_cases_sign_heads_at_commit(gridgov_workspace* ws, const char* private_pem,
                                       const char* log) {
    return guard([&] {
        require(ws, "ws");
        if (private_pem == nullptr) {
            ws->ws.cases().stop_signing_heads();
            return GRIDGOV_OK;
        }
        require(log, "log");
        ws->ws.cases().sign_heads_at_commit(gridgov::SigningKey::from_pem(private_pem), log);
        return GRIDGOV_OK;
    });
}

int gridgov_cases_tree_heads_json(char** out, const gridgov_workspace* ws) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        Json heads = Json::array();
        for (const TreeHead& h : ws->ws.cases().tree_heads())
            heads.push_back(h.to_text());
        *out = dup_string(heads.dump());
        return GRIDGOV_OK;
    });
}

int gridgov_cases_prove_case(char** out, const gridgov_workspace* ws, const char* number,
                             const char* head) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(number, "number");
        *out = dup_string(ws->ws.cases().prove_case(number, head_of(head, "head")));
        return GRIDGOV_OK;
    });
}

int gridgov_cases_prove_consistency(char** out, const gridgov_workspace* ws, const char* older,
                                    const char* newer) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        *out = dup_string(
            ws->ws.cases().prove_consistency(head_of(older, "older"), head_of(newer, "newer")));
        return GRIDGOV_OK;
    });
}

int gridgov_cases_audit_log(char** out, const gridgov_workspace* ws, const char* public_pem,
                            const char* published_json) {
    return guard([&] {
        require(out, "out");
        require(ws, "ws");
        require(public_pem, "public_pem");
        std::vector<TreeHead> published;
        if (published_json != nullptr) {
            Json list;
            try {
                list = Json::parse(published_json);
            } catch (const Json::exception& e) {
                throw Error(ErrorCode::parse_error,
                            std::string("published_json: not JSON: ") + e.what());
            }
            if (!list.is_array())
                throw Error(ErrorCode::invalid_argument,
                            "published_json: not a JSON array of head texts");
            for (std::size_t i = 0; i < list.size(); ++i) {
                const std::string where = "published_json[" + std::to_string(i) + "]";
                if (!list[i].is_string())
                    throw Error(ErrorCode::invalid_argument, where + ": not a head text");
                published.push_back(head_of(list[i].get<std::string>().c_str(), where.c_str()));
            }
        }
        const gridgov::LogAudit a = ws->ws.cases().audit_log(public_pem, published);
        Json findings = Json::array();
        for (const gridgov::Finding& f : a.findings) {
            findings.push_back({{"rule", f.rule},
                                {"severity", gridgov::severity_name(f.severity)},
                                {"where", f.where},
                                {"message", f.message}});
        }
        *out = dup_string(Json{{"ok", a.ok},
                               {"events", a.events},
                               {"heads_checked", a.heads_checked},
                               {"findings", std::move(findings)}}
                              .dump());
        return GRIDGOV_OK;
    });
}

int gridgov_audit_verify_head(char** out, const char* head, const char* public_pem) {
    return guard([&] {
        require(out, "out");
        require(public_pem, "public_pem");
        return result(out, gridgov::verify_tree_head(head_of(head, "head"), public_pem));
    });
}

int gridgov_audit_verify_case_proof(char** out, const char* proof_json, const char* public_pem,
                                    const char* published_head) {
    return guard([&] {
        require(out, "out");
        require(proof_json, "proof_json");
        require(public_pem, "public_pem");
        gridgov::public_key_id(public_pem);  // a bad key is an error, not a finding
        if (published_head == nullptr)
            return result(out, gridgov::verify_case_proof(proof_json, public_pem));
        const TreeHead published = head_of(published_head, "published_head");
        return result(out, gridgov::verify_case_proof(proof_json, public_pem, &published));
    });
}

int gridgov_audit_verify_consistency_proof(char** out, const char* proof_json,
                                           const char* public_pem, const char* published_older,
                                           const char* published_newer) {
    return guard([&] {
        require(out, "out");
        require(proof_json, "proof_json");
        require(public_pem, "public_pem");
        gridgov::public_key_id(public_pem);
        std::optional<TreeHead> older;
        std::optional<TreeHead> newer;
        if (published_older != nullptr)
            older = head_of(published_older, "published_older");
        if (published_newer != nullptr)
            newer = head_of(published_newer, "published_newer");
        return result(
            out, gridgov::verify_consistency_proof(
                     proof_json, public_pem, older ? &*older : nullptr, newer ? &*newer : nullptr));
    });
}

}  // extern "C"
