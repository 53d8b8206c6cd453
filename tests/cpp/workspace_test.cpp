#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/temp_dir.hpp"
#include "../support/test_store.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp directory, removed with its contents.
using gridgov_test::store_location;
using gridgov_test::TempDir;

std::string data(const std::string& name) {
    return std::string(GRIDGOV_TEST_DATA) + "/" + name;
}
std::string example(const std::string& name) {
    return std::string(GRIDGOV_EXAMPLES_DATA) + "/" + name;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

using RawDb = gridgov_test::RawStore;

bool same_number(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

void check_same_levels(const LevelScheme& a, const LevelScheme& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].key == b[i].key);
        CHECK(a[i].name_zh == b[i].name_zh);
        CHECK(a[i].name_en == b[i].name_en);
        CHECK(a[i].code_digits == b[i].code_digits);
    }
}

void check_same_spec(const NodeSpec& a, const NodeSpec& b) {
    CHECK(a.code == b.code);
    CHECK(a.parent_code == b.parent_code);
    CHECK(a.name == b.name);
    CHECK(a.level == b.level);
    CHECK(a.kind == b.kind);
    CHECK(a.area_type == b.area_type);
    CHECK(a.area_class == b.area_class);
    CHECK(same_number(a.households, b.households));
    CHECK(same_number(a.population, b.population));
    CHECK(same_number(a.area_m2, b.area_m2));
    REQUIRE(a.attributes.size() == b.attributes.size());
    for (std::size_t i = 0; i < a.attributes.size(); ++i) {
        CHECK(a.attributes[i].first == b.attributes[i].first);
        CHECK(same_number(a.attributes[i].second, b.attributes[i].second));
    }
    CHECK(a.geometry == b.geometry);
}

// Every observable field of two hierarchies, id by id, and their histories entry by entry.
void check_same_hierarchy(const Hierarchy& a, const Hierarchy& b) {
    check_same_levels(a.levels(), b.levels());
    REQUIRE(a.id_count() == b.id_count());
    CHECK(a.size() == b.size());
    CHECK(a.preorder() == b.preorder());
    const std::vector<std::string> columns = a.column_names();
    CHECK(columns == b.column_names());
    for (NodeId id = 0; id < a.id_count(); ++id) {
        CAPTURE(id);
        CHECK(a.is_live(id) == b.is_live(id));
        CHECK(a.code(id) == b.code(id));
        CHECK(a.name(id) == b.name(id));
        CHECK(a.level(id) == b.level(id));
        CHECK(a.kind(id) == b.kind(id));
        CHECK(a.area_type(id) == b.area_type(id));
        CHECK(a.area_class(id) == b.area_class(id));
        CHECK(a.geometry(id) == b.geometry(id));
        CHECK(a.created_on(id) == b.created_on(id));
        CHECK(a.retired_on(id) == b.retired_on(id));
        for (const std::string& c : columns)
            CHECK(same_number(a.value(id, c), b.value(id, c)));
        if (a.is_live(id)) {
            CHECK(a.parent(id) == b.parent(id));
            CHECK(a.depth(id) == b.depth(id));
            CHECK(std::vector<NodeId>(a.children(id).begin(), a.children(id).end()) ==
                  std::vector<NodeId>(b.children(id).begin(), b.children(id).end()));
        }
    }
    const auto& ha = a.history();
    const auto& hb = b.history();
    REQUIRE(ha.size() == hb.size());
    for (std::size_t i = 0; i < ha.size(); ++i) {
        CAPTURE(i);
        CHECK(ha[i].seq == hb[i].seq);
        CHECK(ha[i].effective == hb[i].effective);
        CHECK(ha[i].kind == hb[i].kind);
        CHECK(ha[i].node == hb[i].node);
        CHECK(ha[i].target == hb[i].target);
        CHECK(ha[i].text == hb[i].text);
        CHECK(same_number(ha[i].value, hb[i].value));
        CHECK(ha[i].related == hb[i].related);
        if (ha[i].kind == ChangeKind::add)
            check_same_spec(ha[i].spec, hb[i].spec);
    }
}

void check_same_overlays(const std::vector<Overlay>& a, const std::vector<Overlay>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].key() == b[i].key());
        CHECK(a[i].name() == b[i].name());
        check_same_hierarchy(a[i].units(), b[i].units());
        for (NodeId u = 0; u < a[i].units().id_count(); ++u) {
            CHECK(a[i].grids_of(u) == b[i].grids_of(u));
        }
    }
}

void check_same_workspace(const Workspace& a, const Workspace& b) {
    check_same_hierarchy(a.hierarchy().view(), b.hierarchy().view());
    check_same_overlays(a.hierarchy().overlays(), b.hierarchy().overlays());
}

NodeSpec grid_spec(const std::string& code, const std::string& parent, const std::string& name,
                   double households) {
    NodeSpec s;
    s.code = code;
    s.parent_code = parent;
    s.name = name;
    s.level = "grid";
    s.area_type = AreaType::rural;
    s.households = households;
    return s;
}

// Three digits of a code: 7 -> "007".
std::string three_digits(int n) {
    const std::string digits = std::to_string(n);
    return std::string(3 - std::min<std::size_t>(3, digits.size()), '0') + digits;
}

// A CSV of one township with `villages` villages of ten grids each.
std::string generated_csv(int villages) {
    std::string csv = "code,parent_code,level,name,households\n341521105,,township,桥口镇,\n";
    for (int v = 1; v <= villages; ++v) {
        const std::string village = "341521105" + three_digits(v);
        csv += village + ",341521105,village,村" + std::to_string(v) + ",\n";
        for (int g = 1; g <= 10; ++g) {
            csv += village + three_digits(g) + "," + village + ",grid,网格" + std::to_string(g) +
                   "," + std::to_string(140 + g) + "\n";
        }
    }
    return csv;
}

}  // namespace

// ---- open ---------------------------------------------------------------------------

TEST_CASE("workspace.open.new_file_gets_identity_and_schema") {
    TempDir dir;
    const std::string path = dir.file("new.gridgov");
    {
        Workspace ws = Workspace::open(path);
        CHECK(ws.path() == path);
        CHECK(ws.hierarchy().view().id_count() == 0);
        check_same_levels(ws.hierarchy().view().levels(), LevelScheme::chinese_default());
    }
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA application_id") == Workspace::application_id());
    CHECK(Workspace::application_id() == 0x47524456);
    CHECK(raw.integer("PRAGMA user_version") == Workspace::schema_version());
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    for (const char* table : {"hierarchy_levels", "hierarchy_nodes", "hierarchy_node_attributes",
                              "hierarchy_changes", "hierarchy_change_nodes", "overlays",
                              "overlay_levels", "overlay_units", "overlay_unit_grids"}) {
        CAPTURE(table);
        CHECK(raw.integer(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + table +
                          "'") == 1);
    }
    CHECK(raw.integer("SELECT count(*) FROM hierarchy_levels") == 7);
}

TEST_CASE("workspace.open.rejects_foreign_file") {
    TempDir dir;
    std::string path;
    std::string expected;
    SUBCASE("a text file") {
        path = dir.file("notes.gridgov");
        write_file(path, std::string(4096, 'x'));
        expected = "it is not an SQLite database";
    }
    SUBCASE("another application's SQLite database") {
        path = dir.file("other.db");
        RawDb raw(path);
        raw.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
        expected = "application_id 0x00000000";
    }
    SUBCASE("an SQLite database with another application_id") {
        path = dir.file("tagged.db");
        RawDb raw(path);
        raw.exec("PRAGMA application_id = 305419896");
        expected = "application_id 0x12345678";
    }
    const std::string before = read_file(path);
    for (const bool read_only : {false, true}) {
        CAPTURE(read_only);
        try {
            Workspace::open(path, OpenOptions{true, read_only});
            FAIL("a foreign file was opened");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::version_mismatch);
            CHECK(std::string(e.what()).find(path) != std::string::npos);
            CHECK(std::string(e.what()).find("is not a gridgov workspace") != std::string::npos);
            CHECK(std::string(e.what()).find(expected) != std::string::npos);
        }
    }
    CHECK(read_file(path) == before);  // not even switched to WAL
}

TEST_CASE("workspace.open.rejects_newer_schema" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "future.gridgov");
    const std::string shown = Workspace::open(path).path();  // on a server, without password
    const int newer = Workspace::schema_version() + 1;
    // The schema version is PRAGMA user_version in a file, table gridgov_schema on a server.
    const std::string version_sql =
        RawDb(path).postgresql() ? "SELECT version FROM gridgov_schema" : "PRAGMA user_version";
    {
        RawDb raw(path);
        raw.exec(raw.postgresql() ? "UPDATE gridgov_schema SET version = " + std::to_string(newer)
                                  : "PRAGMA user_version = " + std::to_string(newer));
    }
    const std::string message = "written by a newer gridgov (schema " + std::to_string(newer) +
                                ", this library reads up to " +
                                std::to_string(Workspace::schema_version()) + ")";
    CHECK_THROWS_WITH_AS(Workspace::open(path), doctest::Contains(message.c_str()), Error);
    CHECK_THROWS_WITH_AS(Workspace::open(path, OpenOptions{false, true}),
                         doctest::Contains(shown.c_str()), Error);
    try {
        Workspace::open(path);
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::version_mismatch);
    }
    CHECK(RawDb(path).integer(version_sql) == newer);
}

TEST_CASE("workspace.open.missing_file_without_create_is_not_found") {
    TempDir dir;
    const std::string path = dir.file("missing.gridgov");
    SUBCASE("create = false") {
        CHECK_THROWS_WITH_AS(Workspace::open(path, OpenOptions{false, false}),
                             doctest::Contains(path.c_str()), Error);
    }
    SUBCASE("read-only") {
        CHECK_THROWS_WITH_AS(Workspace::open(path, OpenOptions{true, true}),
                             doctest::Contains("does not exist"), Error);
    }
    try {
        Workspace::open(path, OpenOptions{false, false});
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("workspace.open.empty_path_is_invalid") {
    CHECK_THROWS_WITH_AS(Workspace::open(""), doctest::Contains(":memory:"), Error);
}

TEST_CASE("workspace.open.memory_workspace_keeps_no_file") {
    Workspace ws = Workspace::open(":memory:");
    const ImportReport r = ws.hierarchy().import_file(data("township.json"));
    CHECK(r.nodes_added == 16);
    CHECK(ws.hierarchy().view().size() == 16);
    CHECK(ws.path() == ":memory:");
    CHECK_FALSE(fs::exists(":memory:"));
}

TEST_CASE("workspace.open.read_only_refuses_every_change") {
    TempDir dir;
    const std::string path = dir.file("ro.gridgov");
    Workspace::open(path).hierarchy().import_file(data("county_seat.json"));
    const std::string before = read_file(path);

    Workspace ws = Workspace::open(path, OpenOptions{false, true});
    const Hierarchy snapshot = ws.hierarchy().view();
    const NodeId grid = ws.hierarchy().view().at("371327001001001");
    const NodeId area = ws.hierarchy().view().at("371327001001");
    const auto refused = [&](auto&& change) {
        try {
            change();
            FAIL("a read-only workspace accepted a change");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::invalid_state);
            CHECK(std::string(e.what()).find("read-only") != std::string::npos);
            CHECK(std::string(e.what()).find(path) != std::string::npos);
        }
    };
    refused([&] {
        ws.hierarchy().add_node(grid_spec("371327001001004", "371327001001", "新网格", 300));
    });
    refused([&] {
        ws.hierarchy().add_nodes({grid_spec("371327001001004", "371327001001", "新网格", 300)});
    });
    refused([&] { ws.hierarchy().rename_node(grid, "改名", Date::parse("2026-01-01")); });
    refused([&] {
        ws.hierarchy().move_node(grid, ws.hierarchy().view().at("371327001002"),
                                 Date::parse("2026-01-01"));
    });
    refused([&] { ws.hierarchy().retire_node(grid, Date::parse("2026-01-01")); });
    refused(
        [&] { ws.hierarchy().set_node_value(grid, "households", 1, Date::parse("2026-01-01")); });
    refused([&] {
        ws.hierarchy().split_node(grid, {grid_spec("371327001001011", "371327001001", "甲", 200)},
                                  Date::parse("2026-01-01"));
    });
    refused([&] { ws.hierarchy().merge_nodes({area}, NodeSpec{}, Date::parse("2026-01-01")); });
    refused([&] { ws.hierarchy().set_level_scheme(LevelScheme::chinese_default()); });
    refused([&] { ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels()); });
    refused([&] {
        ws.hierarchy().add_overlay_unit("fire_safety",
                                        OverlayUnitSpec{"XF-02", "", "新", "large", {}});
    });
    refused([&] { ws.hierarchy().import_file(data("township.json")); });
    refused([&] { ws.hierarchy().import_text(generated_csv(1), FileFormat::csv); });

    check_same_hierarchy(ws.hierarchy().view(), snapshot);
    CHECK(ws.hierarchy().export_text(FileFormat::json).find("371327001001001") !=
          std::string::npos);
    CHECK(read_file(path) == before);
}

TEST_CASE("workspace.open.second_connection_sees_changes_at_its_next_call" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "shared.gridgov");
    Workspace writer = Workspace::open(path);
    Workspace reader = Workspace::open(path, OpenOptions{false, true});
    CHECK(reader.hierarchy().view().size() == 0);
    writer.hierarchy().import_file(data("township.json"));
    CHECK(gridgov_test::await_notice(reader));
    check_same_workspace(reader, writer);
    check_same_workspace(reader, Workspace::open(path, OpenOptions{false, true}));
}

// ---- import -------------------------------------------------------------------------

TEST_CASE("workspace.import.json_township") {
    Workspace ws = Workspace::open(":memory:");
    const ImportReport r = ws.hierarchy().import_file(data("township.json"));
    CHECK(r.nodes_added == 16);
    CHECK(r.overlays_added == 0);
    CHECK(r.findings.empty());
    const Hierarchy& h = ws.hierarchy().view();
    const NodeId town = h.at("341521105");
    CHECK(h.name(town) == "桥口镇");
    CHECK(h.parent(town) == no_node);
    CHECK(h.levels()[static_cast<std::size_t>(h.level(town))].key == "township");
    CHECK(h.children(town).size() == 3);
    const NodeId grid = h.at("341521105201001");
    CHECK(h.value(grid, "households") == 148);
    CHECK(h.value(grid, "population") == 474);
    CHECK(h.value(grid, "villager_groups") == 3);
    CHECK(h.kind(grid) == GridKind::comprehensive);
    CHECK(h.area_type(grid) == AreaType::rural);
    CHECK(
        h.geometry(grid) ==
        R"({"type":"Polygon","coordinates":[[[116.78,32.58],[116.79,32.58],[116.79,32.59],[116.78,32.59],[116.78,32.58]]]})");
    CHECK(h.roll_up("households").sum[town] == 1808);
}

TEST_CASE("workspace.import.csv_matches_json") {
    Workspace from_json = Workspace::open(":memory:");
    Workspace from_csv = Workspace::open(":memory:");
    from_json.hierarchy().import_file(data("township.json"));
    const ImportReport r = from_csv.hierarchy().import_file(data("township.csv"));
    CHECK(r.nodes_added == 16);
    const Hierarchy& a = from_json.hierarchy().view();
    const Hierarchy& b = from_csv.hierarchy().view();
    REQUIRE(a.size() == b.size());
    for (NodeId id = 0; id < a.id_count(); ++id) {
        const NodeId other = b.at(a.code(id));
        CAPTURE(a.code(id));
        CHECK(a.name(id) == b.name(other));
        CHECK(a.level(id) == b.level(other));
        CHECK(a.area_type(id) == b.area_type(other));
        CHECK((a.parent(id) == no_node ? std::string() : a.code(a.parent(id))) ==
              (b.parent(other) == no_node ? std::string() : b.code(b.parent(other))));
        for (const char* c : {"households", "population", "villager_groups"}) {
            CHECK(same_number(a.value(id, c), b.value(other, c)));
        }
    }
}

TEST_CASE("workspace.import.example_county_json_and_csv_agree") {
    Workspace from_json = Workspace::open(":memory:");
    Workspace from_csv = Workspace::open(":memory:");
    from_json.hierarchy().import_file(example("county.json"));
    from_csv.hierarchy().import_file(example("county.csv"));
    REQUIRE(from_json.hierarchy().view().size() == from_csv.hierarchy().view().size());
    CHECK(from_json.hierarchy().overlays().size() >= 1);
    CHECK(from_json.hierarchy().export_text(FileFormat::csv) ==
          from_csv.hierarchy().export_text(FileFormat::csv));
}

TEST_CASE("workspace.import.csv_bad_number_names_line_and_column" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "county.gridgov");
    Workspace ws = Workspace::open(path);
    const std::string file = data("township_bad_number.csv");
    try {
        ws.hierarchy().import_file(file);
        FAIL("a bad number was imported");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        CHECK(std::string(e.what()) ==
              "file " + file + ", line 14, column households: 'abc' is not a number");
    }
    CHECK(ws.hierarchy().view().id_count() == 0);
    CHECK(Workspace::open(path).hierarchy().view().id_count() == 0);
}

TEST_CASE("workspace.import.json_unknown_parent_names_row") {
    Workspace ws = Workspace::open(":memory:");
    const std::string file = data("county_seat_unknown_parent.json");
    try {
        ws.hierarchy().import_file(file);
        FAIL("an orphan was imported");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::not_found);
        CHECK(std::string(e.what()).find("file " + file + ", nodes[5]: ") == 0);
        CHECK(std::string(e.what()).find("371327001099") != std::string::npos);
    }
    CHECK(ws.hierarchy().view().id_count() == 0);
}

TEST_CASE("workspace.import.existing_code_is_already_exists") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("township.json"));
    const Hierarchy before = ws.hierarchy().view();
    SUBCASE("JSON") {
        CHECK_THROWS_WITH_AS(ws.hierarchy().import_file(data("township.json")),
                             doctest::Contains("nodes[0], field code: code '341521105' already "
                                               "exists in the workspace"),
                             Error);
    }
    SUBCASE("CSV") {
        CHECK_THROWS_WITH_AS(ws.hierarchy().import_file(data("township.csv")),
                             doctest::Contains("line 2, column code: code '341521105'"), Error);
    }
    SUBCASE("a retired code") {
        const NodeId grid = ws.hierarchy().view().at("341521105201004");
        ws.hierarchy().retire_node(grid, Date::parse("2026-03-01"));
        const std::string csv =
            "code,parent_code,level,name\n341521105201004,341521105201,grid,复用\n";
        CHECK_THROWS_WITH_AS(ws.hierarchy().import_text(csv, FileFormat::csv, "reuse.csv"),
                             doctest::Contains("retired on 2026-03-01; codes are never reused"),
                             Error);
        CHECK_FALSE(ws.hierarchy().view().is_live(grid));
        return;
    }
    try {
        ws.hierarchy().import_file(data("township.json"));
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::already_exists);
    }
    check_same_hierarchy(ws.hierarchy().view(), before);
}

TEST_CASE("workspace.import.duplicate_code_in_file_names_both_rows") {
    Workspace ws = Workspace::open(":memory:");
    const std::string csv =
        "code,parent_code,level,name\n"
        "341521105,,township,桥口镇\n"
        "341521105201,341521105,village,东湖村\n"
        "341521105201,341521105,village,桥口村\n";
    CHECK_THROWS_WITH_AS(ws.hierarchy().import_text(csv, FileFormat::csv, "dup.csv"),
                         doctest::Contains("file dup.csv, line 4, column code: code '341521105201' "
                                           "appears twice (first at line 3)"),
                         Error);
    CHECK(ws.hierarchy().view().id_count() == 0);
}

TEST_CASE("workspace.import.structural_errors_name_the_row") {
    Workspace ws = Workspace::open(":memory:");
    const auto refused = [&](const std::string& csv, ErrorCode code, const std::string& message) {
        try {
            ws.hierarchy().import_text(csv, FileFormat::csv, "t.csv");
            FAIL("accepted: " << csv);
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK(std::string(e.what()).find(message) != std::string::npos);
        }
        CHECK(ws.hierarchy().view().id_count() == 0);
    };
    SUBCASE("unknown level") {
        refused("code,parent_code,level,name\n341521105,,town,桥口镇\n",
                ErrorCode::invalid_argument,
                "file t.csv, line 2, column level: unknown level 'town' (the level scheme has: "
                "province, city, county, township, village, grid, micro_grid)");
    }
    SUBCASE("level order") {
        refused(
            "code,parent_code,level,name\n341521105,,township,桥口镇\n"
            "341521105201,341521105,county,东湖村\n",
            ErrorCode::invalid_argument, "file t.csv, line 3: level 'county' is not below");
    }
    SUBCASE("cycle") {
        refused("code,parent_code,level,name\n1,2,grid,甲\n2,1,grid,乙\n",
                ErrorCode::invalid_argument, "parent links form a cycle");
    }
    SUBCASE("missing value") {
        refused("code,parent_code,level,name\n341521105,,township,\n", ErrorCode::invalid_argument,
                "file t.csv, line 2, column name: missing value");
    }
}

TEST_CASE("workspace.import.csv_structure_errors") {
    Workspace ws = Workspace::open(":memory:");
    const auto refused = [&](const std::string& csv, ErrorCode code, const std::string& message) {
        try {
            ws.hierarchy().import_text(csv, FileFormat::csv, "t.csv");
            FAIL("accepted: " << csv);
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK(std::string(e.what()) == message);
        }
        CHECK(ws.hierarchy().view().id_count() == 0);
    };
    refused("", ErrorCode::invalid_argument, "file t.csv: no header row");
    refused("code,parent_code,name\n1,,甲\n", ErrorCode::invalid_argument,
            "file t.csv, line 1: missing required column 'level'");
    refused("code,level,name,code\n", ErrorCode::invalid_argument,
            "file t.csv, line 1, column code: the column appears twice");
    refused("code,level,name,parent\n1,grid,甲,2\n", ErrorCode::invalid_argument,
            "file t.csv, line 1, column parent: not a column of the CSV format (the parent's "
            "code goes in parent_code; geometry only in JSON)");
    refused("code,level,name\n1,grid\n", ErrorCode::invalid_argument,
            "file t.csv, line 2: 2 cells, the header has 3 columns");
    refused("code,level,name\n1,grid,\"甲\n", ErrorCode::parse_error,
            "file t.csv, line 2: a quoted cell is not closed");
    refused("code,level,name\n1,grid,\"甲\"x\n", ErrorCode::parse_error,
            "file t.csv, line 2: text after the closing quote of a cell");
    refused("code,level,name\n1,grid,\xBC\xD7\n", ErrorCode::parse_error,
            "file t.csv, line 2, field 'name': not UTF-8 text: byte 0xBC at byte 0 does not "
            "start a UTF-8 character (GBK and other encodings are not read); save the file as "
            "UTF-8");
    refused("code,level,name,kind\n1,grid,甲,综合网格x\n", ErrorCode::invalid_argument,
            "file t.csv, line 2, column kind: unknown grid kind '综合网格x' (expected "
            "comprehensive, dedicated, 综合, 专属, 综合网格 or 专属网格)");
}

TEST_CASE("workspace.import.csv_quoting_bom_and_line_endings") {
    Workspace ws = Workspace::open(":memory:");
    const std::string multi_line =
        "\xEF\xBB\xBF"
        "code,parent_code,level,name,kind,area_type,households,shops\r\n"
        "341521105,,township,\"桥口镇, 寿县\",,农村,,\r\n"
        "\r\n"
        "341521105201,341521105,village,\"东湖村\n(原\"\"东湖大队\"\")\",专属,rural, 152 "
        ",1.5e1\r\n";
    // A name is one line: the quoted line break is read, then refused naming line and column.
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(multi_line, FileFormat::csv, "q.csv"),
        doctest::Contains("file q.csv, line 4, column name: control character U+000A"), Error);
    CHECK(ws.hierarchy().view().id_count() == 0);
    std::string csv = multi_line;
    csv.replace(csv.find("东湖村\n"), std::string("东湖村\n").size(), "东湖村");
    const ImportReport r = ws.hierarchy().import_text(csv, FileFormat::csv, "q.csv");
    CHECK(r.nodes_added == 2);
    const Hierarchy& h = ws.hierarchy().view();
    CHECK(h.name(h.at("341521105")) == "桥口镇, 寿县");
    const NodeId v = h.at("341521105201");
    CHECK(h.name(v) == "东湖村(原\"东湖大队\")");
    CHECK(h.kind(v) == GridKind::dedicated);
    CHECK(h.area_type(h.at("341521105")) == AreaType::rural);
    CHECK(h.value(v, "households") == 152);
    CHECK(h.value(v, "shops") == 15);
    CHECK(is_missing(h.value(h.at("341521105"), "shops")));
    // The line numbers count physical lines: the quoted name spans lines 4 and 5.
    const std::string bad = multi_line + "341521105202,341521105,village,桥口村,,,x,\r\n";
    Workspace other = Workspace::open(":memory:");
    CHECK_THROWS_WITH_AS(other.hierarchy().import_text(bad, FileFormat::csv, "q.csv"),
                         doctest::Contains("line 6, column households: 'x'"), Error);
}

TEST_CASE("workspace.import.text_not_utf8_or_with_controls_names_line_and_column") {
    Workspace ws = Workspace::open(":memory:");
    const std::string header = "code,parent_code,level,name\n";
    const std::string nul(1, '\0');
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(header + "341521105,,township,桥口镇\n"
                                            "341521105201,341521105,village,\xB6\xAB\xBA\xFE\n",
                                   FileFormat::csv, "gbk.csv"),
        doctest::Contains(
            "file gbk.csv, line 3, field 'name': not UTF-8 text: byte 0xB6 at byte 0"),
        Error);
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(header + "341521105,,township,桥口" + nul + "镇\n",
                                   FileFormat::csv, "nul.csv"),
        doctest::Contains("file nul.csv, line 2, column name: control character U+0000"), Error);
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(header + "341521105\t,,township,桥口镇\n", FileFormat::csv,
                                   "tab.csv"),
        doctest::Contains("file tab.csv, line 2, column code: control character U+0009"), Error);
    const std::string doc = R"({"format": "gridgov.hierarchy", "version": 1, "nodes": [)";
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(doc + R"({"code": "341521105", "name": "桥口\u0000镇",
                                           "level": "township"}]})",
                                   FileFormat::json, "t.json"),
        doctest::Contains("file t.json, nodes[0], field name: control character U+0000"), Error);
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(doc + R"({"code": "341521105", "name": "桥口镇",
                                           "level": "township", "area_class": "\u009f"}]})",
                                   FileFormat::json, "t.json"),
        doctest::Contains("file t.json, nodes[0], field area_class: control character U+009F"),
        Error);
    CHECK_THROWS_AS(
        ws.hierarchy().import_text(doc + "{\"code\": \"341521105\", \"name\": \"\xFF\", "
                                         "\"level\": \"township\"}]}",
                                   FileFormat::json, "t.json"),
        Error);
    CHECK(ws.hierarchy().view().id_count() == 0);
    // The in-memory hierarchy refuses the same, whoever calls it.
    Hierarchy h;
    NodeSpec s;
    s.code = "341521105";
    s.level = "township";
    s.name = "桥口\x7F镇";
    CHECK_THROWS_WITH_AS(h.add(s, Date::parse("2024-01-01")),
                         doctest::Contains("field 'name': control character U+007F"), Error);
    s.name = "桥口镇";
    const NodeId town = h.add(s, Date::parse("2024-01-01"));
    CHECK_THROWS_WITH_AS(h.rename(town, "桥口\xC3(", Date::parse("2024-02-01")),
                         doctest::Contains("the new name: not UTF-8"), Error);
}

TEST_CASE("workspace.import.json_field_errors") {
    Workspace ws = Workspace::open(":memory:");
    const auto refused = [&](const std::string& nodes, ErrorCode code, const std::string& message) {
        const std::string doc =
            R"({"format": "gridgov.hierarchy", "version": 1, "nodes": [)" + nodes + "]}";
        try {
            ws.hierarchy().import_text(doc, FileFormat::json, "t.json");
            FAIL("accepted: " << nodes);
        } catch (const Error& e) {
            CHECK(e.code() == code);
            CHECK(std::string(e.what()) == message);
        }
        CHECK(ws.hierarchy().view().id_count() == 0);
    };
    const std::string town = R"({"code": "341521105", "name": "桥口镇", "level": "township"})";
    refused(town + R"(, {"code": "341521105201", "parent": "341521105", "name": "东湖村",
             "level": "village", "households": "152"})",
            ErrorCode::invalid_argument,
            "file t.json, nodes[1], field households: '152' is not a number");
    refused(R"({"code": "341521105", "name": "桥口镇", "level": "township", "househods": 1})",
            ErrorCode::invalid_argument, "file t.json, nodes[0]: unknown field 'househods'");
    refused(R"({"name": "桥口镇", "level": "township"})", ErrorCode::invalid_argument,
            "file t.json, nodes[0], field code: missing value");
    refused(R"({"code": 341521105, "name": "桥口镇", "level": "township"})",
            ErrorCode::invalid_argument,
            "file t.json, nodes[0], field code: 341521105 is not a string");
    refused(
        R"({"code": "341521105", "name": "桥口镇", "level": "township", "area_type": "suburb"})",
        ErrorCode::invalid_argument,
        "file t.json, nodes[0], field area_type: unknown area type 'suburb' (expected urban, "
        "rural, unspecified, 城市 or 农村)");
    refused(
        R"({"code": "341521105", "name": "桥口镇", "level": "township", "attributes": {"shops": true}})",
        ErrorCode::invalid_argument,
        "file t.json, nodes[0], field attributes.shops: true is not a number");
    refused(
        R"({"code": "341521105", "name": "桥口镇", "level": "township", "attributes": {"code": 1}})",
        ErrorCode::invalid_argument,
        "file t.json, nodes[0], field attributes.code: an attribute needs a name other than "
        "the fields of a node");
    refused(
        R"({"code": "341521105", "name": "桥口镇", "level": "township", "geometry": "POLYGON"})",
        ErrorCode::invalid_argument,
        "file t.json, nodes[0], field geometry: must be a GeoJSON geometry object");

    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(R"({"nodes": [}")", FileFormat::json, "t.json"),
        doctest::Contains("file t.json: not valid JSON at line 1, column 12, member /nodes/0"),
        Error);
    try {
        ws.hierarchy().import_text(R"({"format": "gridgov.hierarchy", "version": 2, "nodes": []})",
                                   FileFormat::json, "t.json");
        FAIL("a newer format version was read");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::version_mismatch);
        CHECK(std::string(e.what()) ==
              "file t.json, field version: format version 2 is newer than this library reads (1)");
    }
    CHECK_THROWS_WITH_AS(ws.hierarchy().import_text(R"({"format": "other", "nodes": []})",
                                                    FileFormat::json, "t.json"),
                         doctest::Contains("field format: 'other' is not 'gridgov.hierarchy'"),
                         Error);
}

TEST_CASE("workspace.import.levels_adopted_by_an_empty_workspace_only" *
          doctest::test_suite("store")) {
    const std::string custom = R"({"levels": [
        {"key": "street", "name_zh": "街道", "name_en": "Street", "code_digits": 3},
        {"key": "community", "name_zh": "社区", "name_en": "Community", "code_digits": 3},
        {"key": "grid", "name_zh": "网格", "name_en": "Grid", "code_digits": 3}],
      "nodes": [
        {"code": "001", "name": "城关街道", "level": "street"},
        {"code": "001002", "parent": "001", "name": "南关社区", "level": "community"},
        {"code": "001002003", "parent": "001002", "name": "第三网格", "level": "grid", "households": 320}]})";
    TempDir dir;
    const std::string path = store_location(dir, "levels.gridgov");
    {
        Workspace ws = Workspace::open(path);
        ws.hierarchy().import_text(custom, FileFormat::json, "custom.json");
        CHECK(ws.hierarchy().view().levels().size() == 3);
        CHECK(ws.hierarchy().view().levels()[1].key == "community");
    }
    Workspace ws = Workspace::open(path);
    CHECK(ws.hierarchy().view().levels().size() == 3);
    CHECK(ws.hierarchy().view().size() == 3);
    // Once the workspace has nodes, a file with other levels is refused.
    try {
        ws.hierarchy().import_file(data("township.json"));
        FAIL("a file with other levels was imported");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::invalid_argument);
        CHECK(std::string(e.what()).find("field levels: the file's levels (province, city, county, "
                                         "township, village, grid, micro_grid) differ from the "
                                         "workspace's level scheme (street, community, grid)") !=
              std::string::npos);
    }
    // CSV carries no levels: its rows use the workspace's.
    ws.hierarchy().import_text("code,parent_code,level,name\n001002004,001002,grid,第四网格\n",
                               FileFormat::csv, "more.csv");
    CHECK(ws.hierarchy().view().size() == 4);
}

TEST_CASE("workspace.import.format_by_extension_or_explicit") {
    Workspace ws = Workspace::open(":memory:");
    const std::string text = read_file(data("township.json"));
    CHECK_THROWS_WITH_AS(ws.hierarchy().import_text(text, FileFormat::automatic, "township.txt"),
                         doctest::Contains("cannot tell the format of township.txt"), Error);
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().import_text(text, FileFormat::geojson, "t.geojson"),
        doctest::Contains("t.geojson: member /type: must be the string \"FeatureCollection\""),
        Error);
    CHECK(ws.hierarchy().import_text(text, FileFormat::automatic, "Township.JSON").nodes_added ==
          16);
    Workspace other = Workspace::open(":memory:");
    CHECK(other.hierarchy().import_text(text, FileFormat::json, "township.txt").nodes_added == 16);
    CHECK_THROWS_WITH_AS(other.hierarchy().import_file(data("no_such_file.json")),
                         doctest::Contains("no_such_file.json does not exist"), Error);
}

TEST_CASE("workspace.import.overlay_errors_name_the_unit") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("county_seat.json"));
    const auto overlay_doc = [](const std::string& key, const std::string& units) {
        return R"({"overlays": [{"key": ")" + key +
               R"(", "name": "工商段区", "levels": "market_supervision", "units": [)" + units +
               "]}]}";
    };
    const Hierarchy before = ws.hierarchy().view();
    SUBCASE("unknown grid") {
        try {
            ws.hierarchy().import_text(
                overlay_doc("market",
                            R"({"code": "GS-01", "name": "一段", "level": "section",
                                "grids": ["371327001001001", "371327001001009"]})"),
                FileFormat::json, "m.json");
            FAIL("an unknown grid was mapped");
        } catch (const Error& e) {
            CHECK(e.code() == ErrorCode::not_found);
            CHECK(std::string(e.what()) ==
                  "file m.json, overlays[0].units[0], field grids[1]: no live node has code "
                  "'371327001001009'");
        }
    }
    SUBCASE("existing key") {
        CHECK_THROWS_WITH_AS(
            ws.hierarchy().import_text(overlay_doc("fire_safety", ""), FileFormat::json, "m.json"),
            doctest::Contains("overlays[0], field key: overlay 'fire_safety' "
                              "already exists in the workspace"),
            Error);
    }
    SUBCASE("unknown unit level") {
        CHECK_THROWS_WITH_AS(
            ws.hierarchy().import_text(
                overlay_doc("market", R"({"code": "GS-01", "name": "一段", "level": "large"})"),
                FileFormat::json, "m.json"),
            doctest::Contains("overlays[0].units[0], field level: unknown level 'large'"), Error);
    }
    SUBCASE("unknown parent unit") {
        CHECK_THROWS_WITH_AS(
            ws.hierarchy().import_text(
                overlay_doc("market", R"({"code": "GS-01", "parent": "GS", "name": "一段",
                                          "level": "section"})"),
                FileFormat::json, "m.json"),
            doctest::Contains("file m.json, overlays[0].units[0]: parent GS is neither"), Error);
    }
    CHECK(ws.hierarchy().overlays().size() == 1);
    check_same_hierarchy(ws.hierarchy().view(), before);
}

TEST_CASE("workspace.import.progress_reports_and_cancel_changes_nothing" *
          doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "progress.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(data("township.json"));
    const Hierarchy before = ws.hierarchy().view();
    const std::string csv = generated_csv(300);  // 1 + 300 + 3000 rows, one township already there
    std::string other_town = csv;
    // Another township code, so that it does not collide with the fixture.
    for (std::size_t at = other_town.find("341521105"); at != std::string::npos;
         at = other_town.find("341521105", at + 9)) {
        other_town.replace(at, 9, "341521106");
    }

    std::vector<std::pair<std::size_t, std::size_t>> calls;
    SUBCASE("reports") {
        const ImportReport r =
            ws.hierarchy().import_text(other_town, FileFormat::csv, "big.csv", Date::min(),
                                       [&](std::size_t done, std::size_t total) {
                                           calls.emplace_back(done, total);
                                           return true;
                                       });
        CHECK(r.nodes_added == 3301);
        REQUIRE(calls.size() == 5);
        CHECK(calls.front() == std::pair<std::size_t, std::size_t>{0, 3301});
        CHECK(calls[1] == std::pair<std::size_t, std::size_t>{1000, 3301});
        CHECK(calls[3] == std::pair<std::size_t, std::size_t>{3000, 3301});
        CHECK(calls.back() == std::pair<std::size_t, std::size_t>{3301, 3301});
        CHECK(Workspace::open(path).hierarchy().view().size() == 16 + 3301);
    }
    SUBCASE("cancel") {
        const ImportReport r =
            ws.hierarchy().import_text(other_town, FileFormat::csv, "big.csv", Date::min(),
                                       [&](std::size_t done, std::size_t) { return done < 2000; });
        CHECK(r.nodes_added == 0);
        CHECK(r.findings.empty());
        check_same_hierarchy(ws.hierarchy().view(), before);
        check_same_hierarchy(Workspace::open(path).hierarchy().view(), before);
    }
}

TEST_CASE("workspace.import.findings_report_the_result") {
    Workspace ws = Workspace::open(":memory:");
    // A grid without households and a code that does not extend its parent's.
    const std::string csv =
        "code,parent_code,level,name,households\n"
        "341521105,,township,桥口镇,\n"
        "341521105201,341521105,village,东湖村,\n"
        "341521105201001,341521105201,grid,第一网格,\n"
        "341521999201002,341521105201,grid,第二网格,150\n";
    const ImportReport r = ws.hierarchy().import_text(csv, FileFormat::csv, "f.csv");
    CHECK(r.nodes_added == 4);
    std::vector<std::string> rules;
    for (const Finding& f : r.findings)
        rules.push_back(f.rule + " " + f.where);
    CAPTURE(rules);
    CHECK(std::find(rules.begin(), rules.end(), "hierarchy.code_prefix 341521999201002") !=
          rules.end());
    CHECK(r.findings.size() == ws.hierarchy().validate().size());
}

// ---- transactions -------------------------------------------------------------------

TEST_CASE("workspace.transaction.injected_failure_changes_nothing" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = gridgov_test::store_location(dir, "inject.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(data("township.json"));
    ws.hierarchy().rename_node(ws.hierarchy().view().at("341521105201"), "东湖社区",
                               Date::parse("2025-06-01"));
    const Hierarchy before = ws.hierarchy().view();
    const std::vector<Overlay> overlays_before = ws.hierarchy().overlays();

    {
        // Another program plants a trigger that refuses one grid in the middle of the file.
        // On PostgreSQL the row goes out without waiting: the failure comes at the commit.
        RawDb(path).refuse_inserts("inject", "hierarchy_nodes", "NEW.code = '371327001006002'");
    }
    try {
        ws.hierarchy().import_file(data("county_seat.json"));
        FAIL("the import went through the trigger");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find("injected failure") != std::string::npos);
    }
    check_same_hierarchy(ws.hierarchy().view(), before);
    check_same_overlays(ws.hierarchy().overlays(), overlays_before);
    {
        Workspace reopened = Workspace::open(path);
        check_same_hierarchy(reopened.hierarchy().view(), before);
        check_same_overlays(reopened.hierarchy().overlays(), overlays_before);
    }
    {
        RawDb raw(path);
        CHECK(raw.integer("SELECT count(*) FROM hierarchy_nodes") == 16);
        CHECK(raw.integer("SELECT count(*) FROM overlays") == 0);
        raw.drop_refusal("inject", "hierarchy_nodes");
    }
    // Without the trigger the same import goes through: the failure was the injected one.
    const ImportReport r = ws.hierarchy().import_file(data("county_seat.json"));
    CHECK(r.nodes_added == 46);
    CHECK(r.overlay_units_added == 15);
    check_same_workspace(Workspace::open(path), ws);
}

TEST_CASE("workspace.transaction.refused_change_writes_nothing" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "refused.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(data("township.json"));
    const Hierarchy before = ws.hierarchy().view();
    const NodeId village = ws.hierarchy().view().at("341521105201");
    CHECK_THROWS_AS(
        ws.hierarchy().add_node(grid_spec("341521105201009", "341521105299", "孤儿", 150)), Error);
    CHECK_THROWS_AS(ws.hierarchy().retire_node(village, Date::parse("2026-01-01")), Error);
    CHECK_THROWS_WITH_AS(ws.hierarchy().add_node([] {
        NodeSpec s = grid_spec("341521105201009", "341521105201", "新网格", 150);
        s.geometry = "POLYGON((0 0))";
        return s;
    }()),
                         doctest::Contains("geometry must be a GeoJSON geometry object"), Error);
    CHECK_THROWS_WITH_AS(
        ws.hierarchy().set_node_value(village, "name", 1, Date::parse("2026-01-01")),
        doctest::Contains("'name' cannot name a numeric column"), Error);
    CHECK_THROWS_WITH_AS(ws.hierarchy().rename_node(village, "\xBC\xD7", Date::parse("2026-01-01")),
                         doctest::Contains("not UTF-8"), Error);
    check_same_hierarchy(ws.hierarchy().view(), before);
    check_same_hierarchy(Workspace::open(path).hierarchy().view(), before);
}

// ---- reopen -------------------------------------------------------------------------

TEST_CASE("workspace.reopen.reproduces_history" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "history.gridgov");
    const Date d2024 = Date::parse("2024-01-01");
    const Date d2025 = Date::parse("2025-01-01");
    const Date d2026 = Date::parse("2026-01-01");
    {
        Workspace ws = Workspace::open(path);
        ws.hierarchy().import_file(data("county_seat.json"), FileFormat::automatic,
                                   Date::parse("2023-01-01"));
        ws.hierarchy().import_file(data("township.json"), FileFormat::automatic,
                                   Date::parse("2023-06-01"));
        const Hierarchy& h = ws.hierarchy().view();
        const NodeId area1 = h.at("371327001001");
        const NodeId area2 = h.at("371327001002");
        ws.hierarchy().add_node(
            grid_spec("371327001001004", "371327001001", "第一网区第四网格", 288), d2024);
        ws.hierarchy().add_nodes(
            {grid_spec("371327001002004", "371327001002", "第二网区第四网格", 301),
             grid_spec("371327001002005", "371327001002", "第二网区第五网格", 299)},
            d2024);
        ws.hierarchy().rename_node(area1, "第一网区（东关）", d2025);
        ws.hierarchy().set_node_value(h.at("371327001001001"), "households", 420, d2025);
        ws.hierarchy().set_node_value(h.at("371327001001002"), "shops", 17, d2025);
        ws.hierarchy().move_node(h.at("371327001002005"), area1, d2025);
        // A mapped grid is split: the fire-safety unit keeps pointing at the retired grid.
        ws.hierarchy().split_node(
            h.at("371327001003003"),
            {grid_spec("371327001003011", "371327001003", "第三网区第三网格甲", 220),
             grid_spec("371327001003012", "371327001003", "第三网区第三网格乙", 215)},
            d2026);
        NodeSpec merged = grid_spec("371327001002009", "371327001002", "第二网区合并网格", 700);
        ws.hierarchy().merge_nodes({h.at("371327001002001"), h.at("371327001002002")}, merged,
                                   d2026);
        ws.hierarchy().retire_node(h.at("371327001002004"), d2026);
        ws.hierarchy().add_overlay("market", "工商段区", market_supervision_levels());
        ws.hierarchy().add_overlay_unit(
            "market", {"GS-01", "", "第一段区", "section", {"371327001001001", "371327001001002"}});
        ws.hierarchy().add_overlay_unit("market",
                                        {"GS-02", "", "第二段区", "section", {"371327001002009"}});
        ws.hierarchy().retire_node(h.at("371327001002009"), Date::parse("2026-06-01"));
        CHECK(area2 == h.at("371327001002"));

        Workspace reopened = Workspace::open(path);
        check_same_workspace(reopened, ws);
        for (const char* day :
             {"2022-12-31", "2023-01-01", "2024-06-01", "2025-01-01", "2026-01-01", "2026-07-01"}) {
            CAPTURE(day);
            check_same_hierarchy(reopened.hierarchy().view().as_of(Date::parse(day)),
                                 ws.hierarchy().view().as_of(Date::parse(day)));
        }
        CHECK(reopened.hierarchy().export_text(FileFormat::json) ==
              ws.hierarchy().export_text(FileFormat::json));
    }
    // The history holds every kind of change.
    Workspace ws = Workspace::open(path);
    std::vector<int> kinds(7, 0);
    for (const HierarchyChange& c : ws.hierarchy().view().history())
        ++kinds[static_cast<int>(c.kind)];
    for (int k = 0; k < 7; ++k) {
        CAPTURE(change_kind_name(static_cast<ChangeKind>(k)));
        CHECK(kinds[k] > 0);
    }
    CHECK(ws.hierarchy()
              .view()
              .as_of(Date::parse("2024-06-01"))
              .name(ws.hierarchy().view().at("371327001001")) == "第一网区");
    CHECK(ws.hierarchy()
              .overlay("fire_safety")
              .grids_of(ws.hierarchy().overlay("fire_safety").units().at("XF-01-01-03"))
              .size() == 3);
}

TEST_CASE("workspace.reopen.file_order_children_before_parents" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "order.gridgov");
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_file(data("township.csv"));  // every village comes after its grids
    check_same_workspace(Workspace::open(path), ws);
}

TEST_CASE("workspace.reopen.damaged_history_is_refused" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "damaged.gridgov");
    Workspace::open(path).hierarchy().import_file(data("township.json"));
    {
        RawDb raw(path);
        raw.exec(
            "UPDATE hierarchy_nodes SET parent_code = '341521105299' WHERE code = "
            "'341521105201001'");
    }
    try {
        Workspace::open(path);
        FAIL("a damaged file was loaded");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find("workspace ") == 0);
        CHECK(std::string(e.what()).find(" is damaged: ") != std::string::npos);
        if (!RawDb(path).postgresql())
            CHECK(std::string(e.what()).find("workspace file " + path + " is damaged") == 0);
        CHECK(std::string(e.what()).find("341521105299") != std::string::npos);
    }
}

// ---- export -------------------------------------------------------------------------

TEST_CASE("workspace.export.json_round_trips_exactly") {
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("county_seat.json"));
    ws.hierarchy().import_file(data("township.json"));
    ws.hierarchy().set_node_value(ws.hierarchy().view().at("371327001001001"), "area_m2", 12345.5,
                                  Date::parse("2025-01-01"));
    ws.hierarchy().retire_node(ws.hierarchy().view().at("341521105203004"),
                               Date::parse("2025-01-01"));
    const std::string first = ws.hierarchy().export_text(FileFormat::json);

    Workspace copy = Workspace::open(":memory:");
    const ImportReport r = copy.hierarchy().import_text(first, FileFormat::json, "export.json");
    CHECK(r.nodes_added == ws.hierarchy().view().size());
    CHECK(r.overlays_added == 1);
    CHECK(copy.hierarchy().export_text(FileFormat::json) == first);

    const nlohmann::json doc = nlohmann::json::parse(first);
    CHECK(doc["format"] == "gridgov.hierarchy");
    CHECK(doc["version"] == 1);
    CHECK(doc["levels"].size() == 7);
    CHECK(doc["nodes"].size() == ws.hierarchy().view().size());
    CHECK(doc["nodes"][0]["code"] == "371327");
    CHECK(doc["nodes"][3]["households"] == 412);
    CHECK(doc["nodes"][3]["area_m2"] == 12345.5);
    CHECK(doc["overlays"][0]["levels"][0]["key"] == "large");
    CHECK(first.find("341521105203004") == std::string::npos);
}

TEST_CASE("workspace.export.csv_round_trips_exactly") {
    TempDir dir;
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("township.json"));
    ws.hierarchy().rename_node(ws.hierarchy().view().at("341521105202"), "桥口村, 新\"村\"",
                               Date::parse("2025-01-01"));
    const std::string file = dir.file("township-out.csv");
    ws.hierarchy().export_file(file);
    const std::string first = read_file(file);
    CHECK(first.rfind("code,parent_code,level,name,kind,area_type,area_class,households,"
                      "population,area_m2,villager_groups\n341521105,,township,桥口镇,",
                      0) == 0);
    CHECK(first.find("\"桥口村, 新\"\"村\"\"\"") != std::string::npos);

    Workspace copy = Workspace::open(":memory:");
    CHECK(copy.hierarchy().import_file(file).nodes_added == 16);
    CHECK(copy.hierarchy().export_text(FileFormat::csv) == first);
}

TEST_CASE("workspace.export.geojson_carries_nodes_with_geometry") {
    TempDir dir;
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("township.json"));
    const std::string file = dir.file("township.geojson");
    ws.hierarchy().export_file(file);
    // Ordered, to see the geometry's keys in the order they were stored.
    const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(read_file(file));
    CHECK(doc["type"] == "FeatureCollection");
    REQUIRE(doc["features"].size() == 1);
    const nlohmann::ordered_json& f = doc["features"][0];
    CHECK(f["type"] == "Feature");
    CHECK(f["properties"]["code"] == "341521105201001");
    CHECK(f["properties"]["parent"] == "341521105201");
    CHECK(f["properties"]["level"] == "grid");
    CHECK(f["properties"]["households"] == 148);
    CHECK(f["properties"]["villager_groups"] == 3);
    CHECK(f["geometry"].dump() ==
          ws.hierarchy().view().geometry(ws.hierarchy().view().at("341521105201001")));
}

TEST_CASE("workspace.export.unwritable_path_is_storage_error") {
    TempDir dir;
    Workspace ws = Workspace::open(":memory:");
    const std::string file = dir.file("no/such/dir/out.json");
    try {
        ws.hierarchy().export_file(file);
        FAIL("wrote into a missing directory");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::storage);
        CHECK(std::string(e.what()).find(file) != std::string::npos);
    }
    CHECK_THROWS_WITH_AS(ws.hierarchy().export_file(dir.file("out.xml")),
                         doctest::Contains("cannot tell the format"), Error);
}

TEST_CASE("workspace.export.writes_a_whole_new_file_or_nothing") {
    // The export used to truncate its target in place: a failure half-way left a cut file,
    // and a link at the target's name was written through.
    TempDir dir;
    Workspace ws = Workspace::open(":memory:");
    ws.hierarchy().import_file(data("township.json"));
    const std::string victim = dir.file("victim.txt");
    { std::ofstream(victim) << "precious\n"; }
    const std::string file = dir.file("township.json");
    std::filesystem::create_symlink(victim, file);
    ws.hierarchy().export_file(file);
    CHECK(read_file(victim) == "precious\n");
    CHECK_FALSE(std::filesystem::is_symlink(file));
    CHECK(read_file(file) == ws.hierarchy().export_text(FileFormat::json));
    // A target that cannot be replaced (a folder of that name) is left as it was, and no
    // temporary file stays behind.
    const std::string folder = dir.file("taken.csv");
    std::filesystem::create_directory(folder);
    CHECK_THROWS_WITH_AS(ws.hierarchy().export_file(folder), doctest::Contains("cannot write"),
                         Error);
    CHECK(std::filesystem::is_directory(folder));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path()))
        ++entries;
    CHECK(entries == 3);  // victim.txt, township.json, taken.csv
}

// ---- overlays, levels, validation -----------------------------------------------------

TEST_CASE("workspace.overlay.changes_persist" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "overlay.gridgov");
    {
        Workspace ws = Workspace::open(path);
        ws.hierarchy().import_file(data("county_seat.json"));
        ws.hierarchy().add_overlay("urban", "城管单元网格", urban_management_levels());
        const NodeId unit = ws.hierarchy().add_overlay_unit(
            "urban", {"CG-001", "", "单元一", "unit", {"371327001001001"}});
        CHECK(ws.hierarchy().overlay("urban").grids_of(unit) ==
              std::vector<NodeId>{ws.hierarchy().view().at("371327001001001")});
        CHECK_THROWS_WITH_AS(
            ws.hierarchy().add_overlay("urban", "again", urban_management_levels()),
            doctest::Contains("overlay 'urban' already exists"), Error);
        CHECK_THROWS_WITH_AS(
            ws.hierarchy().add_overlay_unit("roads", {"R-1", "", "路", "unit", {}}),
            doctest::Contains("no overlay 'roads'"), Error);
        CHECK_THROWS_AS(
            ws.hierarchy().add_overlay_unit("urban", {"CG-002", "", "单元二", "unit", {"9"}}),
            Error);
        CHECK(ws.hierarchy().overlay("urban").units().id_count() == 1);
    }
    Workspace ws = Workspace::open(path);
    REQUIRE(ws.hierarchy().overlays().size() == 2);
    CHECK(ws.hierarchy().overlays()[1].key() == "urban");
    CHECK(ws.hierarchy().overlays()[1].name() == "城管单元网格");
    CHECK(ws.hierarchy().overlays()[1].units().code(0) == "CG-001");
    CHECK_THROWS_WITH_AS(ws.hierarchy().overlay("roads"), doctest::Contains("no overlay 'roads'"),
                         Error);
}

TEST_CASE("workspace.levels.set_only_while_empty" * doctest::test_suite("store")) {
    TempDir dir;
    const std::string path = store_location(dir, "levels.gridgov");
    const LevelScheme custom({{"street", "街道", "Street", 3}, {"grid", "网格", "Grid", 3}});
    {
        Workspace ws = Workspace::open(path);
        ws.hierarchy().set_level_scheme(custom);
        NodeSpec street;
        street.code = "001";
        street.name = "城关街道";
        street.level = "street";
        ws.hierarchy().add_node(street);
        CHECK_THROWS_WITH_AS(ws.hierarchy().set_level_scheme(LevelScheme::chinese_default()),
                             doctest::Contains("its level scheme can no longer change"), Error);
    }
    Workspace ws = Workspace::open(path);
    check_same_levels(ws.hierarchy().view().levels(), custom);
    CHECK_THROWS_AS(Workspace::open(":memory:").hierarchy().set_level_scheme(LevelScheme()), Error);
}

TEST_CASE("workspace.validate.adds_overlay_coverage") {
    Workspace ws = Workspace::open(":memory:");
    const ImportReport r = ws.hierarchy().import_file(data("county_seat.json"));
    for (const Finding& f : r.findings)
        CHECK(f.rule.rfind("overlay.", 0) != 0);
    ws.hierarchy().add_node(
        grid_spec("371327001011004", "371327001011", "第十一网区第四网格", 350));
    const std::vector<Finding> findings = ws.hierarchy().validate();
    const auto gap = std::find_if(findings.begin(), findings.end(), [](const Finding& f) {
        return f.rule == "overlay.gap" && f.where == "371327001011004";
    });
    CHECK(gap != findings.end());
    std::size_t hierarchy_findings = ws.hierarchy().view().validate().size();
    CHECK(findings.size() ==
          hierarchy_findings +
              ws.hierarchy().overlay("fire_safety").coverage(ws.hierarchy().view()).size());
}
