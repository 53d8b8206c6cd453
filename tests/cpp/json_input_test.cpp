// Hostile JSON at every reader: numbers outside a double, syntax errors right after a
// Chinese character, wrong shapes. Each must be Error(parse_error) naming the source, the
// line and column and the member, in a message that is valid UTF-8.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/workflow.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;

namespace {

// The error a reader throws, or a failed check when it throws none or another kind.
Error error_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const Error& e) {
        return e;
    } catch (const std::exception& e) {
        FAIL("not a gridgov::Error: " << e.what());
    }
    FAIL("no error");
    return Error(ErrorCode::generic, "");
}

bool valid_utf8(const std::string& s) {
    return detail::printable_message(s) == s;
}

struct Reader {
    const char* name;
    std::function<void(const std::string&)> read;
};

// Every public reader of a JSON document, each given text under the source name "input".
std::vector<Reader> readers() {
    return {
        {"hierarchy",
         [](const std::string& t) {
             Workspace ws = Workspace::open(":memory:");
             ws.hierarchy().import_text(t, FileFormat::json, "input");
         }},
        {"directory catalogue", [](const std::string& t) { Catalogue::from_json(t, "input"); }},
        {"workflow", [](const std::string& t) { WorkflowSpec::from_json(t, "input"); }},
        {"categories", [](const std::string& t) { CategoryCatalogue::from_json(t, "input"); }},
        {"departments", [](const std::string& t) { DepartmentCatalogue::from_json(t, "input"); }},
        {"routing", [](const std::string& t) { RoutingTable::from_json(t, "input"); }},
        {"scheme", [](const std::string& t) { AssessmentScheme::from_json(t, "input"); }},
        {"calendar", [](const std::string& t) { WorkingCalendar::from_json(t, "input"); }},
        {"open311",
         [](const std::string& t) {
             Workspace ws = Workspace::open(":memory:");
             read_open311_requests(ws, t, {}, "input");
         }},
    };
}

}  // namespace

TEST_CASE("json.a_number_outside_a_double_is_a_parse_error_naming_the_member") {
    const std::string text = "{\n  \"key\": \"x\",\n  \"items\": [1, {\"value\": 1e400}]\n}";
    for (const Reader& r : readers()) {
        INFO(r.name);
        const Error e = error_of([&] { r.read(text); });
        const std::string m = e.what();
        INFO(m);
        CHECK(e.code() == ErrorCode::parse_error);
        CHECK(m.find("input") != std::string::npos);
        CHECK(m.find("line 3, column 26") != std::string::npos);
        CHECK(m.find("member /items/1/value") != std::string::npos);
        CHECK(m.find("number overflow parsing '1e400'") != std::string::npos);
    }
    // The readers of a single value name it too.
    for (const auto& read : std::vector<std::function<void()>>{
             [] { WorkingSchedule::from_json(R"({"hours": 1e999})"); },
             [] { TimeLimit::from_json(R"({"value": -1e999, "unit": "days"})"); },
             [] { score_from_json(R"({"total": 1e400})"); },
             [] { draw_from_json(R"({"seed": 1e400})"); }}) {
        const Error e = error_of(read);
        INFO(e.what());
        CHECK(e.code() == ErrorCode::parse_error);
        CHECK(std::string(e.what()).find("number overflow") != std::string::npos);
    }
}

TEST_CASE("json.a_syntax_error_after_a_chinese_character_keeps_the_message_utf8") {
    // The lexer stops on the first byte of 网 (three bytes): nlohmann's own message quotes
    // that byte alone.
    for (const std::string& text :
         {std::string("{\"name\": 网格}"), std::string("{\"name\": \"网格\"\xE7}"),
          std::string("{\"name\": \"\xE7\xBD\"}"), std::string("[\"第一\", 第二]")}) {
        for (const Reader& r : readers()) {
            INFO(r.name << ": " << detail::printable_message(text));
            const Error e = error_of([&] { r.read(text); });
            const std::string m = e.what();
            INFO(detail::printable_message(m));
            CHECK(e.code() == ErrorCode::parse_error);
            CHECK(valid_utf8(m));
            CHECK(m.find("input: not valid JSON at line 1") != std::string::npos);
        }
    }
    const Error e = error_of([] { Catalogue::from_json("{\"name\": 网格}", "input"); });
    CHECK(std::string(e.what()) ==
          "input: not valid JSON at line 1, column 10, member /name: syntax error while "
          "parsing value - invalid literal (near '网格}')");
}

TEST_CASE("json.snippets_and_messages_are_cut_on_character_boundaries") {
    const std::string text = "ab网格cd";
    CHECK(detail::text_snippet(text, 0, 3) == "ab网");
    CHECK(detail::text_snippet(text, 3, 2) == "网格");  // byte 3 is inside 网: back to its start
    CHECK(detail::text_snippet(text, 4, 1) == "网");
    CHECK(detail::text_snippet(text, 100, 4).empty());
    CHECK(detail::text_snippet("a\xE7\xBD", 0, 5) == "a\\xE7\\xBD");
    CHECK(detail::text_snippet("a\nb\x01", 0, 5) == "a\\nb\\u0001");
    CHECK(detail::printable_message("ok 网格") == "ok 网格");
    CHECK(detail::printable_message("cut \xE7\xBD") == "cut \\xE7\\xBD");
    CHECK(detail::printable_message("\xC0\xAF overlong") == "\\xC0\\xAF overlong");
    CHECK(detail::printable_message("\xED\xA0\x80 surrogate") == "\\xED\\xA0\\x80 surrogate");
    CHECK(detail::json_pointer_token("a/b~c") == "a~1b~0c");
}

TEST_CASE("json.wrong_shapes_are_input_errors_never_internal_ones") {
    // Members of the wrong JSON type at the top and one level down: each reader refuses
    // them with an error of its own that names the input, never a library exception.
    const std::vector<std::string> shapes = {
        "[]",
        "\"text\"",
        "5",
        "null",
        R"({"key": [], "name": {}, "version": "1", "nodes": 5, "levels": "x"})",
        R"({"key": "k", "nodes": [5], "overlays": {}, "states": 3, "transitions": {}})",
        R"({"categories": 5, "departments": "x", "rules": [1], "roles": {}, "duties": 1})",
        R"({"components": {}, "grades": 5, "type": ["FeatureCollection"], "features": 1})",
        R"([{"service_code": 5, "address_id": [], "requested_datetime": {}}])",
        R"({"service_requests": {"a": 1}})",
        R"({"holidays": 5, "days": {"x": 1}, "year": "2026"})",
    };
    for (const Reader& r : readers()) {
        for (const std::string& text : shapes) {
            INFO(r.name << ": " << text);
            try {
                r.read(text);
            } catch (const Error& e) {
                INFO(e.what());
                CHECK(e.code() != ErrorCode::internal);
                CHECK(std::string(e.what()).find("input") != std::string::npos);
            } catch (const std::exception& e) {
                FAIL_CHECK("not a gridgov::Error: " << e.what());
            }
        }
    }
}
