// C ABI contract of audit, on the township of the case tests (岸堤镇): signed tree heads
// over a workspace's event log, case and consistency proofs handed to a verifier that has
// only the proof, the head and the public key, and the auditor's whole check catching a
// log cut short after a head was published. Sees only gridgov.h; keys are PEM text,
// heads their 7-line text, results and proofs JSON.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "../support/test_store.hpp"
#include "gridgov.h"
#include "support.hpp"

using namespace capi_test;

namespace {

using Json = nlohmann::ordered_json;

gridgov_case_id report(gridgov_workspace* ws, int minute) {
    gridgov_report r;
    ok(gridgov_report_init(&r, GRIDGOV_REPORT_VERSION));
    r.category = "E0102";
    r.node_code = "371327101001001";
    r.actor = "P01";
    r.at = at("2026-03-02T09:00") + 60 * minute;
    gridgov_case_id id = GRIDGOV_NO_CASE;
    ok(gridgov_cases_report(&id, ws, &r));
    return id;
}

}  // namespace

TEST_CASE("capi.audit.heads_and_proofs_verified_without_the_workspace" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string location = gridgov_test::store_location(dir, "andi.gridgov");
    Workspace ws = andi_township(location);
    for (int i = 0; i < 20; ++i)
        report(ws.get(), i);

    char* out = nullptr;
    const std::string private_pem = text_of(gridgov_audit_generate_key(&out), &out);
    CHECK(contains(private_pem, "-----BEGIN PRIVATE KEY-----"));
    const std::string public_pem =
        text_of(gridgov_audit_public_key(&out, private_pem.c_str()), &out);
    CHECK(contains(public_pem, "-----BEGIN PUBLIC KEY-----"));

    const std::string h1 =
        text_of(gridgov_cases_sign_tree_head(&out, ws.get(), private_pem.c_str(), "岸堤镇 cases",
                                             at("2026-03-02T18:00")),
                &out);
    CHECK(contains(h1, "gridgov tree head v1\nlog: 岸堤镇 cases\nsize: 20\n"));
    for (int i = 20; i < 30; ++i)
        report(ws.get(), i);
    const std::string h2 =
        text_of(gridgov_cases_sign_tree_head(&out, ws.get(), private_pem.c_str(), "岸堤镇 cases",
                                             at("2026-03-03T18:00")),
                &out);
    const Json heads = json_of(gridgov_cases_tree_heads_json(&out, ws.get()), &out);
    CHECK(heads == Json::array({h1, h2}));

    Json r = json_of(gridgov_audit_verify_head(&out, h1.c_str(), public_pem.c_str()), &out);
    CHECK(r["ok"] == true);
    const std::string proof =
        text_of(gridgov_cases_prove_case(&out, ws.get(), "2026-000003", h1.c_str()), &out);
    r = json_of(
        gridgov_audit_verify_case_proof(&out, proof.c_str(), public_pem.c_str(), h1.c_str()), &out);
    CHECK(r["ok"] == true);
    CHECK(r["checked"] == 1);
    // Against another published head, or with the actor changed: refused, named.
    r = json_of(
        gridgov_audit_verify_case_proof(&out, proof.c_str(), public_pem.c_str(), h2.c_str()), &out);
    CHECK(r["problem"] == "published");
    Json forged = Json::parse(proof);
    forged["events"][0]["actor"] = "P02";
    r = json_of(
        gridgov_audit_verify_case_proof(&out, forged.dump().c_str(), public_pem.c_str(), nullptr),
        &out);
    CHECK(r["ok"] == false);
    CHECK(r["problem"] == "event");

    const std::string consistency =
        text_of(gridgov_cases_prove_consistency(&out, ws.get(), h1.c_str(), h2.c_str()), &out);
    r = json_of(gridgov_audit_verify_consistency_proof(&out, consistency.c_str(),
                                                       public_pem.c_str(), h1.c_str(), h2.c_str()),
                &out);
    CHECK(r["ok"] == true);

    // A head at every commit, then no more once stopped.
    ok(gridgov_cases_sign_heads_at_commit(ws.get(), private_pem.c_str(), "岸堤镇 cases"));
    report(ws.get(), 40);
    ok(gridgov_cases_sign_heads_at_commit(ws.get(), nullptr, nullptr));
    report(ws.get(), 41);
    const Json all = json_of(gridgov_cases_tree_heads_json(&out, ws.get()), &out);
    REQUIRE(all.size() == 3);
    CHECK(contains(all[2].get<std::string>(), "size: 31\n"));

    const Json published = Json::array({h1, h2});
    r = json_of(
        gridgov_cases_audit_log(&out, ws.get(), public_pem.c_str(), published.dump().c_str()),
        &out);
    CHECK(r["ok"] == true);
    CHECK(r["events"] == 32);
    CHECK(r["heads_checked"] == 5);

    // Refusals: a bad key, a malformed head, an unknown case, NULL.
    CHECK(gridgov_audit_public_key(&out, "not a key") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "no unencrypted PEM private key"));
    CHECK(gridgov_audit_verify_head(&out, "gridgov tree head v1\nlog: x\n", public_pem.c_str()) ==
          GRIDGOV_EPARSE);
    CHECK(contains(last_error(), "head: tree head: line 1"));
    CHECK(gridgov_cases_prove_case(&out, ws.get(), "2026-999999", h1.c_str()) == GRIDGOV_ENOTFOUND);
    CHECK(gridgov_audit_verify_case_proof(&out, proof.c_str(), private_pem.c_str(), nullptr) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_cases_sign_tree_head(&out, ws.get(), private_pem.c_str(), "", 0) ==
          GRIDGOV_EINVAL);
    CHECK(gridgov_cases_audit_log(&out, ws.get(), public_pem.c_str(), "[1]") == GRIDGOV_EINVAL);
    CHECK(contains(last_error(), "published_json[0]"));
    CHECK(gridgov_audit_generate_key(nullptr) == GRIDGOV_EINVAL);
}
