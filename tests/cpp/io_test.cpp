// The generic file and text helpers of src/io: CSV, whole files, typed JSON members, enum
// name tables.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "gridgov/assessment.hpp"
#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"
#include "gridgov/directory.hpp"
#include "gridgov/hierarchy.hpp"
#include "io/csv.hpp"
#include "io/enum_names.hpp"
#include "io/files.hpp"
#include "io/json_fields.hpp"

using namespace gridgov;
using detail::CsvPlaces;
using detail::CsvRecord;
using detail::CsvSource;

namespace {

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

ErrorCode code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::generic;
}

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("io.csv.quoting_bom_line_endings_and_line_numbers") {
    const std::string text =
        "\xEF\xBB\xBF"
        "code,name,note\r\n"
        "1,\"甲, 乙\",\"say \"\"hi\"\"\"\r\n"
        "\r\n"
        "2,\"two\nlines\",\r"
        "3,,\"\"\n"
        "4,last,no newline";
    const std::vector<CsvRecord> records = detail::read_csv(text, CsvSource{"t.csv"});
    REQUIRE(records.size() == 5);
    CHECK(records[0].line == 1);
    CHECK(records[0].cells == std::vector<std::string>{"code", "name", "note"});
    CHECK(records[1].line == 2);
    CHECK(records[1].cells == std::vector<std::string>{"1", "甲, 乙", "say \"hi\""});
    // The blank line 3 is skipped; the quoted line break moves the next record to line 6.
    CHECK(records[2].line == 4);
    CHECK(records[2].cells == std::vector<std::string>{"2", "two\nlines", ""});
    CHECK(records[3].line == 6);
    CHECK(records[3].cells == std::vector<std::string>{"3", "", ""});
    CHECK(records[4].line == 7);
    CHECK(records[4].cells == std::vector<std::string>{"4", "last", "no newline"});
    CHECK(detail::read_csv("", CsvSource{"t.csv"}).empty());
    CHECK(detail::read_csv("\xEF\xBB\xBF\n\n", CsvSource{"t.csv"}).empty());
}

TEST_CASE("io.csv.errors_name_the_file_line_and_field_in_either_style") {
    const CsvSource file{"t.csv"};
    const CsvSource rows{"people.csv", CsvPlaces::source_row};
    const auto refused = [](const std::string& text, const CsvSource& source) {
        return message_of([&] { detail::read_csv(text, source); });
    };
    CHECK(refused("a,b\n1,\"open\n\n", file) == "file t.csv, line 2: a quoted cell is not closed");
    CHECK(refused("a,b\n1,x\n2,\"x\n", rows) == "people.csv row 3: a quoted cell is not closed");
    CHECK(refused("a,b\n1,\"x\"y\n", file) ==
          "file t.csv, line 2: text after the closing quote of a cell");
    CHECK(refused("a,b\n1,x\"y\n", rows) == "people.csv row 2: a quote inside an unquoted cell");
    CHECK(refused("id,name\nP1,\xB6\xAB\n", rows)
              .rfind("people.csv row 2 field 'name': not UTF-8", 0) == 0);
    CHECK(refused("id,name\nP1,\xB6\xAB\n", file)
              .rfind("file t.csv, line 2, field 'name': not UTF-8", 0) == 0);
    const std::string header = refused("id,\xFF\nP1,x\n", file);
    CHECK(header.rfind("file t.csv, line 1, column 2 (header): not UTF-8", 0) == 0);
    CHECK(header.find("save the file as UTF-8") != std::string::npos);
    CHECK(code_of([&] { detail::read_csv("a\n\"b", file); }) == ErrorCode::parse_error);
    CHECK(file.at(3, "x") == "file t.csv, line 3, field 'x'");
    CHECK(rows.at(3, "x") == "people.csv row 3 field 'x'");
}

TEST_CASE("io.csv.writes_cells_that_read_back") {
    std::string out;
    detail::append_csv_line(out, {"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    CHECK(out == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n");
    const auto back = detail::read_csv("x\n" + out, CsvSource{"t.csv"});
    REQUIRE(back.size() == 2);
    CHECK(back[1].cells ==
          std::vector<std::string>{"plain", "a,b", "say \"hi\"", "two\nlines", ""});
    CHECK(detail::parse_number(" 152 ") == 152);
    CHECK(!detail::parse_number("1e400"));
    CHECK(!detail::parse_number("12abc"));
    CHECK(detail::format_number(150000000) == "150000000");
    CHECK(detail::format_number(1.5) == "1.5");
}

TEST_CASE("io.files.read_file_names_a_missing_file_and_a_folder") {
    gridgov_test::TempDir tmp;
    const std::string path = tmp.file("data.json");
    {
        std::ofstream out(path, std::ios::binary);
        const std::string bytes("a\r\nb\0c", 6);
        out << bytes;
    }
    CHECK(detail::read_file(path) == std::string("a\r\nb\0c", 6));
    const std::string missing = tmp.file("nope.csv");
    CHECK(message_of([&] { detail::read_file(missing, "plan file"); }) ==
          "plan file " + missing + " does not exist");
    CHECK(code_of([&] { detail::read_file(missing); }) == ErrorCode::not_found);
    CHECK(message_of([&] { detail::read_file(tmp.path().string()); }) ==
          "cannot read file " + tmp.path().string() + ": it is a folder");
    CHECK(code_of([&] { detail::read_file(tmp.path().string()); }) == ErrorCode::storage);
}

TEST_CASE("io.files.write_file_atomically_replaces_or_leaves_the_old_file") {
    namespace fs = std::filesystem;
    gridgov_test::TempDir tmp;
    const std::string path = tmp.file("export.csv");
    detail::write_file_atomically(path, "old\n");
    CHECK(contents(path) == "old\n");
    detail::write_file_atomically(path, "new\n");
    CHECK(contents(path) == "new\n");

    // A target that is a folder with a file in it: the rename fails, the folder and its
    // file stay as they were and no temporary file is left behind.
    const std::string folder = tmp.file("taken");
    fs::create_directory(folder);
    detail::write_file_atomically(folder + "/inside.txt", "kept");
    const std::string refused = message_of([&] { detail::write_file_atomically(folder, "x"); });
    CHECK(refused.rfind("cannot write " + folder + ": ", 0) == 0);
    CHECK(code_of([&] { detail::write_file_atomically(folder, "x"); }) == ErrorCode::storage);
    CHECK(fs::is_directory(folder));
    CHECK(contents(folder + "/inside.txt") == "kept");

    // A folder that does not exist: nothing is written.
    CHECK(code_of([&] { detail::write_file_atomically(tmp.file("no/such/dir.csv"), "x"); }) ==
          ErrorCode::storage);
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(tmp.path()))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"export.csv", "taken"});
    CHECK(contents(path) == "new\n");
}

TEST_CASE("io.json_fields.errors_name_the_place_the_field_and_the_value") {
    using Json = nlohmann::ordered_json;
    const Json stage = Json::parse(R"({"key": "", "limit": "3", "label": null, "flags": ["a", 5],
                                      "open": true, "weight": 1.5, "name": "甲"})");
    const std::string where = "spec.json /stages/2";
    const auto refused = [&](const std::function<void()>& f) { return message_of(f); };
    CHECK(refused([&] { detail::json_string(stage, "key", where, true); }) ==
          "spec.json /stages/2 field 'key': empty");
    CHECK(refused([&] { detail::json_string(stage, "label", where, true); }) ==
          "spec.json /stages/2 field 'label': missing");
    CHECK(refused([&] { detail::json_int(stage, "limit", where, 0); }) ==
          "spec.json /stages/2 field 'limit': '3' is not an integer");
    CHECK(refused([&] { detail::json_string(stage, "open", where); }) ==
          "spec.json /stages/2 field 'open': true is not a string");
    CHECK(refused([&] { detail::json_bool(stage, "flags", where); }) ==
          "spec.json /stages/2 field 'flags': an array is not true or false");
    CHECK(refused([&] { detail::json_strings(stage, "flags", where); }) ==
          "spec.json /stages/2 field 'flags': element 1: 5 is not a string");
    CHECK(refused([&] { detail::json_require_object(stage["flags"], where + "/flags"); }) ==
          "spec.json /stages/2/flags: an array is not a JSON object");
    CHECK(refused([&] { detail::json_array(stage, "missing", where, true); }) ==
          "spec.json /stages/2 field 'missing': missing");
    CHECK(code_of([&] { detail::json_int(stage, "limit", where, 0); }) ==
          ErrorCode::invalid_argument);
    // Absent and null members give the fallback; present ones their value.
    CHECK(detail::json_string(stage, "label", where).empty());
    CHECK(detail::json_int(stage, "absent", where, 7) == 7);
    CHECK(detail::json_bool(stage, "open", where));
    CHECK(detail::json_number(stage, "weight", where, 0) == 1.5);
    CHECK(!detail::json_optional_number(stage, "label", where));
    CHECK(detail::json_string(stage, "name", where, true) == "甲");
    // A value parsed from a field's text names the field.
    CHECK(refused([&] {
              detail::json_parsed(
                  stage, "name", where,
                  [](std::string_view t) -> int {
                      throw Error(ErrorCode::invalid_argument,
                                  "unknown kind '" + std::string(t) + "'");
                  },
                  0);
          }) == "spec.json /stages/2 field 'name': unknown kind '甲'");
    // Long strings are cut on a character boundary; control characters are escaped.
    const Json long_text = std::string(60, 'x') + "\n";
    CHECK(detail::json_shown(long_text) == "'" + std::string(40, 'x') + "...'");
    CHECK(detail::json_shown(Json("a\nb")) == "'a\\nb'");
    CHECK(detail::json_shown(Json::object()) == "an object");
}

namespace {

enum class Tint { red, green, blue };

constexpr detail::EnumName<Tint> tint_names[] = {
    {Tint::red, "red"}, {Tint::green, "green"}, {Tint::blue, "blue"},
    {Tint::red, "红"},  {Tint::green, ""},
};

}  // namespace

TEST_CASE("io.enum_names.names_aliases_and_errors_listing_the_names") {
    static_assert(detail::enum_name(tint_names, Tint::green) == std::string_view("green"));
    CHECK(std::string(detail::enum_name(tint_names, static_cast<Tint>(9), "none")) == "none");
    CHECK(detail::parse_enum(tint_names, "blue", "tint") == Tint::blue);
    CHECK(detail::parse_enum(tint_names, "红", "tint") == Tint::red);
    CHECK(detail::parse_enum(tint_names, "", "tint") == Tint::green);
    CHECK(!detail::find_enum(tint_names, "Red"));
    // The error names the kind of value and lists every name and alias (not the empty one).
    CHECK(message_of([] { detail::parse_enum(tint_names, "pink", "tint"); }) ==
          "unknown tint 'pink' (expected red, green, blue or 红)");
    CHECK(code_of([] { detail::parse_enum(tint_names, "pink", "tint"); }) ==
          ErrorCode::invalid_argument);
    const char* one[] = {"only"};
    CHECK(detail::enum_names_text(one, 1) == "only");

    // The public name and parse functions read the same tables.
    for (const GridKind k : {GridKind::comprehensive, GridKind::dedicated})
        CHECK(parse_grid_kind(grid_kind_name(k)) == k);
    CHECK(parse_grid_kind("综合网格") == GridKind::comprehensive);
    CHECK(parse_area_type("") == AreaType::unspecified);
    CHECK(message_of([] { parse_area_type("suburb"); }) ==
          "unknown area type 'suburb' (expected urban, rural, unspecified, 城市 or 农村)");
    CHECK(parse_post("b") == Post::b);
    CHECK(std::string(post_name(Post::b)) == "B");
    for (const TimeUnit u :
         {TimeUnit::natural_minutes, TimeUnit::natural_hours, TimeUnit::natural_days,
          TimeUnit::working_minutes, TimeUnit::working_hours, TimeUnit::working_days})
        CHECK(parse_time_unit(time_unit_name(u)) == u);
    CHECK(parse_light("yellow") == Light::yellow);
    CHECK(message_of([] { parse_light("blue"); }) ==
          "unknown light 'blue' (expected green, yellow or red)");
    for (const HouseholdClass c : {HouseholdClass::ordinary, HouseholdClass::special})
        CHECK(parse_household_class(household_class_name(c)) == c);
    for (const VisitKind k : {VisitKind::home, VisitKind::phone})
        CHECK(parse_visit_kind(visit_kind_name(k)) == k);
    CHECK(message_of([] { parse_visit_kind("email"); }) ==
          "unknown visit kind 'email' (expected home or phone)");
    CHECK_THROWS_WITH_AS(parse_household_class("vip"), doctest::Contains("household class"), Error);
}

TEST_CASE("io.csv.cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_they_were") {
    const std::vector<std::string> cells = {"=1+2",
                                            "=HYPERLINK(\"http://x\",\"点击\")",
                                            "+cmd|' /C calc'!A0",
                                            "-2+3",
                                            "@SUM(A1:A9)",
                                            "\tx",
                                            "\r=1",
                                            "'=x",
                                            "''=x",
                                            "-3.5",
                                            "+86",
                                            "-",
                                            "=",
                                            "张三",
                                            "a=b",
                                            "2026-03-01"};
    std::string text;
    detail::append_csv_line(text, {"cell"});
    for (const std::string& c : cells)
        detail::append_csv_line(text, {c});
    // Formula-like cells start with an apostrophe; numbers and plain text do not.
    CHECK(text.find("\n'=1+2\n") != std::string::npos);
    CHECK(text.find("\n\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\"\n") != std::string::npos);
    CHECK(text.find("\n'+cmd|' /C calc'!A0\n") != std::string::npos);
    CHECK(text.find("\n'-2+3\n") != std::string::npos);
    CHECK(text.find("\n'@SUM(A1:A9)\n") != std::string::npos);
    CHECK(text.find("\n''=x\n'''=x\n") != std::string::npos);
    // "+86" is no number to the reader: it stays text (the plus sign kept in a spreadsheet).
    CHECK(text.find("\n-3.5\n'+86\n-\n=\n张三\na=b\n2026-03-01\n") != std::string::npos);
    const std::vector<CsvRecord> back = detail::read_csv(text, CsvSource{"t.csv"});
    REQUIRE(back.size() == cells.size() + 1);
    for (std::size_t i = 0; i < cells.size(); ++i)
        CHECK(back[i + 1].cells == std::vector<std::string>{cells[i]});
}
