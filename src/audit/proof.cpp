// The JSON documents of case and consistency proofs.
#include "audit/proof.hpp"

#include <nlohmann/json.hpp>

#include "cases/event_encoding.hpp"

namespace gridgov::detail {

namespace {

using nlohmann::json;

constexpr const char* case_format = "gridgov-case-proof-1";
constexpr const char* consistency_format = "gridgov-consistency-proof-1";

Error bad(const std::string& what, const std::string& field, const std::string& problem) {
    return Error(ErrorCode::parse_error, what + ": " + field + ": " + problem);
}

json hashes(const std::vector<Hash>& path) {
    json out = json::array();
    for (const Hash& h : path)
        out.push_back(hash_hex(h));
    return out;
}

const json& member(const json& j, const char* key, const std::string& what) {
    const auto it = j.find(key);
    if (it == j.end())
        throw bad(what, key, "missing");
    return *it;
}

std::string text_of(const json& j, const char* key, const std::string& what) {
    const json& v = member(j, key, what);
    if (!v.is_string())
        throw bad(what, key, "not a string");
    return v.get<std::string>();
}

std::uint64_t count_of(const json& j, const char* key, const std::string& what,
                       std::uint64_t high) {
    const json& v = member(j, key, what);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > high)
        throw bad(what, key, "not a count up to " + std::to_string(high));
    return v.get<std::uint64_t>();
}

Hash hash_of(const json& v, const std::string& what, const std::string& field) {
    Hash h{};
    if (!v.is_string() || !parse_hex_hash(v.get<std::string>(), h))
        throw bad(what, field, "not 64 lower-case hex digits");
    return h;
}

std::vector<Hash> path_of(const json& j, const char* key, const std::string& what) {
    const json& v = member(j, key, what);
    if (!v.is_array() || v.size() > 64)
        throw bad(what, key, "not a list of at most 64 hashes");
    std::vector<Hash> out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out.push_back(hash_of(v[i], what, std::string(key) + "[" + std::to_string(i) + "]"));
    return out;
}

TreeHead head_of(const json& j, const char* key, const std::string& what) {
    try {
        return TreeHead::from_text(text_of(j, key, what));
    } catch (const Error& e) {
        throw bad(what, key, e.what());
    }
}

json parse(std::string_view text, const std::string& what, const char* format) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::parse_error, what + ": not JSON: " + e.what());
    }
    if (!j.is_object())
        throw Error(ErrorCode::parse_error, what + ": not a JSON object");
    if (text_of(j, "format", what) != format)
        throw bad(what, "format", std::string("expected \"") + format + "\"");
    return j;
}

}  // namespace

bool parse_hex_hash(std::string_view text, Hash& out) {
    if (text.size() != 64)
        return false;
    for (std::size_t i = 0; i < 32; ++i) {
        int v = 0;
        for (std::size_t k = 0; k < 2; ++k) {
            const char c = text[2 * i + k];
            int d = 0;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else
                return false;
            v = v * 16 + d;
        }
        out[i] = static_cast<std::uint8_t>(v);
    }
    return true;
}

std::string case_proof_json(const CaseProof& proof) {
    json events = json::array();
    for (const ProvedEvent& e : proof.events) {
        events.push_back({{"seq", e.sequence},
                          {"case_id", e.case_id},
                          {"case_seq", e.case_sequence},
                          {"type", event_type_name(e.type)},
                          {"transition", e.transition},
                          {"from", e.from_state},
                          {"to", e.to_state},
                          {"actor", e.actor},
                          {"system", e.system},
                          {"at", e.at.to_string()},
                          {"payload", e.payload},
                          {"previous", hash_hex(e.previous)},
                          {"hash", hash_hex(e.hash)},
                          {"path", hashes(e.path)}});
    }
    const json j = {{"format", case_format},
                    {"head", proof.head.to_text()},
                    {"case", proof.case_number},
                    {"events", std::move(events)}};
    return j.dump(1);
}

CaseProof parse_case_proof(std::string_view text) {
    const std::string what = "case proof";
    const json j = parse(text, what, case_format);
    CaseProof p;
    p.head = head_of(j, "head", what);
    p.case_number = text_of(j, "case", what);
    const json& events = member(j, "events", what);
    if (!events.is_array() || events.empty())
        throw bad(what, "events", "not a non-empty list");
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string at = what + ": events[" + std::to_string(i) + "]";
        const json& v = events[i];
        if (!v.is_object())
            throw Error(ErrorCode::parse_error, at + ": not an object");
        ProvedEvent e;
        e.sequence = count_of(v, "seq", at, std::uint64_t{1} << 62);
        e.case_id = static_cast<std::uint32_t>(count_of(v, "case_id", at, 0xFFFFFFFFu));
        e.case_sequence = static_cast<std::uint32_t>(count_of(v, "case_seq", at, 0xFFFFFFFFu));
        const std::string type = text_of(v, "type", at);
        const std::optional<std::uint8_t> code = parse_event_type(type);
        if (!code)
            throw bad(at, "type", "\"" + type + "\" is no command and not \"breach\"");
        e.type = *code;
        const json& transition = member(v, "transition", at);
        if (!transition.is_number_integer() || transition.get<std::int64_t>() < -1 ||
            transition.get<std::int64_t>() >= 0xFFFF)
            throw bad(at, "transition", "not an integer from -1 to 65534");
        e.transition = static_cast<int>(transition.get<std::int64_t>());
        e.from_state = text_of(v, "from", at);
        e.to_state = text_of(v, "to", at);
        e.actor = text_of(v, "actor", at);
        const json& system = member(v, "system", at);
        if (!system.is_boolean())
            throw bad(at, "system", "not true or false");
        e.system = system.get<bool>();
        try {
            e.at = Instant::parse(text_of(v, "at", at));
        } catch (const Error& err) {
            throw bad(at, "at", err.what());
        }
        e.payload = text_of(v, "payload", at);
        e.previous = hash_of(member(v, "previous", at), at, "previous");
        e.hash = hash_of(member(v, "hash", at), at, "hash");
        e.path = path_of(v, "path", at);
        p.events.push_back(std::move(e));
    }
    return p;
}

std::string consistency_proof_json(const ConsistencyProof& proof) {
    const json j = {{"format", consistency_format},
                    {"older", proof.older.to_text()},
                    {"newer", proof.newer.to_text()},
                    {"path", hashes(proof.path)}};
    return j.dump(1);
}

ConsistencyProof parse_consistency_proof(std::string_view text) {
    const std::string what = "consistency proof";
    const json j = parse(text, what, consistency_format);
    ConsistencyProof p;
    p.older = head_of(j, "older", what);
    p.newer = head_of(j, "newer", what);
    p.path = path_of(j, "path", what);
    return p;
}

}  // namespace gridgov::detail
