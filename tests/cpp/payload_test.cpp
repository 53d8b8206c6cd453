// The stored form of event payloads (docs/cases.md, "Stored events"): compact only when
// it reads back as the very text the hash covers, the text itself otherwise, and a
// stored form that cannot be read is named.
#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cases/engine_impl.hpp"

namespace {

using gridgov::detail::decode_payload;
using gridgov::detail::encode_payload;

class MemoryNames final : public gridgov::detail::PayloadNames {
  public:
    std::uint32_t id_of(std::string_view name) override {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it != names.end())
            return static_cast<std::uint32_t>(it - names.begin() + 1);
        names.emplace_back(name);
        return static_cast<std::uint32_t>(names.size());
    }
    std::string_view name_of(std::uint32_t id) override {
        if (id == 0 || id > names.size())
            throw std::invalid_argument("no name " + std::to_string(id));
        return names[id - 1];
    }
    std::string_view json_of(std::uint32_t id) override {
        quoted.clear();
        gridgov::detail::append_json_string(quoted, name_of(id));
        return quoted;
    }
    bool has(std::string_view name) const {
        return std::find(names.begin(), names.end(), name) != names.end();
    }
    std::vector<std::string> names;
    std::string quoted;
};

std::string read_back(std::string_view stored, MemoryNames& names) {
    std::string out;
    decode_payload(stored, names, out);
    return out;
}

}  // namespace

TEST_CASE("cases.payload.the_engines_payloads_are_stored_compact_and_read_back_exactly") {
    MemoryNames names;
    const std::vector<std::string> payloads = {
        "{}",
        R"({"number":"2024-000160","workflow":"township_six_step","version":1,"category":"E0102","node":"370503012007001","node_id":44390,"area_class":"一类","source":"hotline_12345","clocks":[{"stage":"dispatch","limit":{"value":1,"unit":"working_days"}}]})",
        R"({"department":"D-HW-370503","route":"named","route_node":"370503","clocks":[{"stage":"handle","limit":{"value":4,"unit":"working_hours"}}]})",
        R"({"evidence":["p.jpg","b \"q\"\n\\.jpg"],"reason":"群众反映强烈\t!"})",
        R"({"stage":"handle","deadline":"2024-02-07T15:10:00+08:00","flag":true,"escalated":false,"tier":-1,"notify":["village_grid_leader","grid_worker"],"none":null})",
        R"({"big":9223372036854775807,"small":-9223372036854775808,"":{"":[[],{}]}})",
        R"({"a":1,"a":2})",
        R"({"c":"\u0001\u001f"})",
    };
    for (const std::string& json : payloads) {
        INFO(json);
        std::string stored;
        encode_payload(json, names, stored);
        REQUIRE_FALSE(stored.empty());
        CHECK(stored[0] == 1);
        CHECK(read_back(stored, names) == json);
        CHECK((stored.size() < json.size() || json == "{}"));
    }
    // Keys and the values of enumerated fields are names; free text and numbers are not.
    for (const char* name : {"number", "township_six_step", "E0102", "370503012007001", "一类",
                             "hotline_12345", "dispatch", "working_days", "D-HW-370503", "named",
                             "village_grid_leader", "grid_worker", ""})
        CHECK_MESSAGE(names.has(name), name);
    for (const char* text :
         {"2024-000160", "p.jpg", "群众反映强烈\t!", "2024-02-07T15:10:00+08:00"})
        CHECK_MESSAGE(!names.has(text), text);
    // A report's payload takes about a quarter of its text.
    std::string report;
    encode_payload(payloads[1], names, report);
    CHECK(report.size() * 3 < payloads[1].size());
}

TEST_CASE("cases.payload.what_would_not_read_back_exactly_is_stored_as_text") {
    MemoryNames names;
    std::string deep;
    for (int i = 0; i < 40; ++i)
        deep += "[";
    for (int i = 0; i < 40; ++i)
        deep += "]";
    for (const std::string& json :
         {std::string(R"({"amount":1.5})"), std::string(R"({ "a":1})"),
          std::string(R"({"a":"\u00e9"})"), std::string(R"({"a":"\/"})"),
          std::string(R"({"a":-0})"), std::string(R"({"a":18446744073709551615})"),
          std::string(R"({"a":1e3})"), std::string("[1,2"), std::string(""),
          std::string("not json"), std::string("{}\n"), deep}) {
        INFO(json);
        std::string stored;
        encode_payload(json, names, stored);
        REQUIRE_FALSE(stored.empty());
        CHECK(stored[0] == 0);
        CHECK(read_back(stored, names) == json);
    }
}

TEST_CASE("cases.payload.a_stored_form_that_cannot_be_read_is_named") {
    MemoryNames names;
    names.id_of("stage");
    const auto refused = [&](const std::string& stored, const char* words) {
        INFO(words);
        CHECK_THROWS_WITH_AS(read_back(stored, names), doctest::Contains(words),
                             std::invalid_argument);
    };
    refused("", "empty");
    refused(std::string("\x02{}", 3), "unknown form 2");
    refused(std::string("\x01", 1), "cut short");
    refused(std::string("\x01\x09", 2), "unknown value tag 9");
    refused(std::string("\x01\x05\x63", 3), "no name 99");
    refused(std::string("\x01\x05\x00", 3), "name id 0 is out of range");
    refused(std::string("\x01\x04\x05"
                        "ab",
                        5),
            "a text runs past the end");
    refused(std::string("\x01\x03\x02\x00", 4), "bytes follow the document");
    refused(std::string("\x01\x06\x01\x03", 4), "cut short");
    refused(std::string("\x01\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 13),
            "longer than 64 bits");
    std::string deep("\x01", 1);
    for (int i = 0; i < 40; ++i)
        deep += '\x07';
    refused(deep, "nested deeper than 32");
    CHECK(read_back(std::string("\x01\x06\x01\x05\x01\x00", 6), names) == R"({"stage":"stage"})");
}
