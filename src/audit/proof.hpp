// The JSON documents of case and consistency proofs (docs/security.md, "Proofs"), written by
// the engine and read by the standalone verifiers.
#ifndef GRIDGOV_SRC_AUDIT_PROOF_HPP
#define GRIDGOV_SRC_AUDIT_PROOF_HPP

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/sha256.hpp"
#include "gridgov/audit.hpp"

namespace gridgov::detail {

/// 64 lower-case hex digits into a hash; false when the text is not that.
bool parse_hex_hash(std::string_view text, Hash& out);

/// One event of a case proof: the fields its hash covers, the hash, and its path.
struct ProvedEvent {
    std::uint64_t sequence = 0;
    std::uint32_t case_id = 0;
    std::uint32_t case_sequence = 0;
    std::uint8_t type = 0;
    int transition = -1;
    std::string from_state;
    std::string to_state;
    std::string actor;
    bool system = false;
    Instant at;
    std::string payload;
    Hash previous{};
    Hash hash{};
    std::vector<Hash> path;
};

struct CaseProof {
    TreeHead head;
    std::string case_number;
    std::vector<ProvedEvent> events;
};

struct ConsistencyProof {
    TreeHead older;
    TreeHead newer;
    std::vector<Hash> path;
};

/// Checks one event of a case proof against the head's root: its stated content gives its
/// stated hash ("event") and its path leads that hash to the root ("root"). Empty when it
/// checks out, else the problem and a sentence naming the event.
std::pair<std::string, std::string> check_proved_event(const ProvedEvent& event,
                                                       const std::string& case_number,
                                                       const TreeHead& head);

std::string case_proof_json(const CaseProof& proof);
/// Error(parse_error) naming the field that is missing or malformed.
CaseProof parse_case_proof(std::string_view json);
std::string consistency_proof_json(const ConsistencyProof& proof);
ConsistencyProof parse_consistency_proof(std::string_view json);

}  // namespace gridgov::detail

#endif
