// Open311 GeoReport v2 interchange: centroids and point-in-polygon, services from the
// category catalogue, requests from cases, and requests read back as cases, all or nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "../support/temp_dir.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/workspace.hpp"

using namespace gridgov;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

using gridgov_test::TempDir;

// A village of two grids side by side: grid 001 is the square [118.0, 118.2] × [35.0, 35.2],
// grid 002 the square [118.2, 118.4] × [35.0, 35.2]; the village covers both.
const char* const village_json = R"({
  "nodes": [
    {"code": "371338", "name": "苇川县", "level": "county"},
    {"code": "371338102", "parent": "371338", "name": "青石镇", "level": "township"},
    {"code": "371338102201", "parent": "371338102", "name": "青石村", "level": "village",
     "geometry": {"type": "Polygon", "coordinates": [[[118.0, 35.0], [118.4, 35.0], [118.4, 35.2], [118.0, 35.2], [118.0, 35.0]]]}},
    {"code": "371338102201001", "parent": "371338102201", "name": "第一网格", "level": "grid",
     "households": 150,
     "geometry": {"type": "Polygon", "coordinates": [[[118.0, 35.0], [118.2, 35.0], [118.2, 35.2], [118.0, 35.2], [118.0, 35.0]]]}},
    {"code": "371338102201002", "parent": "371338102201", "name": "第二网格", "level": "grid",
     "households": 140,
     "geometry": {"type": "Polygon", "coordinates": [[[118.2, 35.0], [118.4, 35.0], [118.4, 35.2], [118.2, 35.2], [118.2, 35.0]]]}}
  ]
})";

Workspace village_workspace(const std::string& path) {
    Workspace ws = Workspace::open(path);
    ws.hierarchy().import_text(village_json, FileFormat::json, "village.json");
    return ws;
}

// A hotline-style case reported by the system (the hotline workflow allows it).
CaseId report_case(Workspace& ws, const char* grid, const char* at, const char* category) {
    NewCase report;
    report.command.command = Command::report;
    report.command.system = true;
    report.command.at = Instant::parse(at);
    report.command.node = ws.hierarchy().view().at(grid);
    report.command.category = category;
    report.command.source = "app";
    return ws.cases().report(report);
}

std::string error_of(const std::function<void()>& f, ErrorCode& code) {
    try {
        f();
    } catch (const Error& e) {
        code = e.code();
        return e.what();
    }
    code = ErrorCode::generic;
    return "";
}

}  // namespace

TEST_CASE("geometry centroids and point-in-polygon") {
    const auto square = geometry_centroid(
        R"({"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]})");
    REQUIRE(square);
    CHECK(square->lon == doctest::Approx(1.0));
    CHECK(square->lat == doctest::Approx(1.0));

    // A 4×4 square with the 2×2 hole [0,2]×[0,2] cut out of its lower-left corner: area 12,
    // moments 32 − 4 = 28 → centroid (28/12, 28/12).
    const auto holed = geometry_centroid(
        R"({"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
                                              [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]})");
    REQUIRE(holed);
    CHECK(holed->lon == doctest::Approx(28.0 / 12.0));
    CHECK(holed->lat == doctest::Approx(28.0 / 12.0));

    const auto point = geometry_centroid(R"({"type": "Point", "coordinates": [118.5, 35.1]})");
    REQUIRE(point);
    CHECK(point->lon == doctest::Approx(118.5));
    CHECK(point->lat == doctest::Approx(35.1));
    CHECK_FALSE(geometry_centroid(""));
    CHECK_THROWS_AS(geometry_centroid("{not json"), Error);

    const char* holed_text =
        R"({"type": "MultiPolygon", "coordinates": [[[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
                                                    [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]]})";
    CHECK(geometry_contains(holed_text, GeoPoint{3, 3}));
    CHECK_FALSE(geometry_contains(holed_text, GeoPoint{1, 1}));  // in the hole
    CHECK_FALSE(geometry_contains(holed_text, GeoPoint{5, 1}));
    CHECK_FALSE(geometry_contains(R"({"type": "Point", "coordinates": [3, 3]})", GeoPoint{3, 3}));

    Hierarchy h;
    const auto node = [](const char* code, const char* parent, const char* level,
                         const char* geometry) {
        NodeSpec s;
        s.code = code;
        s.parent_code = parent;
        s.name = code;
        s.level = level;
        s.geometry = geometry;
        return s;
    };
    h.add(node("371338", "", "county", ""));
    h.add(
        node("371338102", "371338", "township",
             R"({"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]})"));
    h.add(
        node("371338102201", "371338102", "village",
             R"({"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]})"));
    // The deepest node holding the point wins; outside the village, the township does.
    CHECK(h.code(*locate_node(h, GeoPoint{1, 1})) == "371338102201");
    CHECK(h.code(*locate_node(h, GeoPoint{3, 1})) == "371338102");
    CHECK_FALSE(locate_node(h, GeoPoint{9, 9}));
}

TEST_CASE("open311 services come from the category catalogue") {
    const CategoryCatalogue categories = CategoryCatalogue::preset("combined");
    const Json services = Json::parse(open311_services(categories));
    REQUIRE(services.is_array());
    REQUIRE(services.size() == categories.categories.size());
    const Category& e0102 = categories.at("E0102");
    bool found = false;
    for (const Json& s : services) {
        if (s["service_code"] != "E0102")
            continue;
        found = true;
        CHECK(s["service_name"] == e0102.name_zh);
        CHECK(s["group"] == e0102.major_zh);
        CHECK(s["keywords"] == "event");
        CHECK(s["metadata"] == false);
        CHECK(s["type"] == "realtime");
    }
    CHECK(found);
}

TEST_CASE("open311 requests from cases") {
    TempDir dir;
    Workspace ws = village_workspace(dir.file("a.gridgov"));
    DepartmentCatalogue departments;
    departments.key = "test";
    departments.departments.push_back(
        Department{"D-HW", "sanitation", "镇环卫所", "", "371338102", {}});
    ws.cases().set_departments(departments);
    const CaseId open = report_case(ws, "371338102201001", "2026-03-02T09:00", "E0102");
    // A second case voided by a hotline operator of the old system (a trusted import
    // records the actor without asking the directory).
    CaseHistory past;
    past.report.command.command = Command::report;
    past.report.command.system = true;
    past.report.command.at = Instant::parse("2026-03-02T10:00");
    past.report.command.node = ws.hierarchy().view().at("371338102201002");
    past.report.command.category = "E0102";
    past.report.command.source = "app";
    CaseCommand v;
    v.command = Command::void_case;
    v.actor = "OP1";
    v.at = Instant::parse("2026-03-02T10:30");
    v.reason = "重复上报";
    past.commands.push_back(v);
    // A third one filed and dispatched to the township's sanitation station.
    CaseHistory dispatched = past;
    dispatched.report.command.at = Instant::parse("2026-03-02T11:00");
    CaseCommand file;
    file.command = Command::file;
    file.actor = "OP1";
    file.at = Instant::parse("2026-03-02T11:10");
    CaseCommand send;
    send.command = Command::dispatch;
    send.actor = "OP2";
    send.at = Instant::parse("2026-03-02T11:20");
    send.department = "D-HW";
    dispatched.commands = {file, send};
    HistoryImportOptions trusted;
    trusted.trusted = true;
    const HistoryImportReport imported = ws.cases().import_history({past, dispatched}, trusted);
    REQUIRE_MESSAGE(imported.findings.empty(),
                    (imported.findings.empty() ? "" : imported.findings[0].message));
    REQUIRE(imported.cases_imported == 2);

    const Json requests = Json::parse(open311_requests(ws, {{}, "371338"}));
    REQUIRE(requests.size() == 3);
    const Json& q = requests[0];
    const CaseRecord r = ws.cases().get(open);
    CHECK(q["service_request_id"] == r.number);
    CHECK(q["status"] == "open");
    CHECK(q["status_notes"] == r.state + " (" + state_kind_name(r.kind) + ")");
    CHECK(q["service_code"] == "E0102");
    CHECK(q["service_name"] == ws.cases().categories().at("E0102").name_zh);
    CHECK(q["requested_datetime"] == "2026-03-02T09:00:00+08:00");
    CHECK(q["address_id"] == "371338102201001");
    CHECK(q["address"] == "苇川县青石镇青石村第一网格");
    CHECK(q["lat"].get<double>() == doctest::Approx(35.1));
    CHECK(q["long"].get<double>() == doctest::Approx(118.1));
    CHECK(q["jurisdiction_id"] == "371338");
    std::string deadline;
    for (const CaseClock& c : r.clocks) {
        if (c.run == ClockRun::counting)
            deadline = c.deadline.to_string();
    }
    if (deadline.empty()) {
        CHECK_FALSE(q.contains("expected_datetime"));
    } else {
        CHECK(q["expected_datetime"] == deadline);
    }
    CHECK(requests[1]["long"].get<double>() == doctest::Approx(118.3));
    CHECK(requests[1]["status"] == "closed");
    CHECK(requests[1]["status_notes"] == "voided (voided)");
    CHECK_FALSE(requests[1].contains("expected_datetime"));
    const CaseRecord third = ws.cases().get(2);
    CHECK(third.department == "D-HW");
    CHECK(requests[2]["agency_responsible"] == "镇环卫所");
    CHECK(requests[2]["status"] == "open");
    REQUIRE(requests[2].contains("expected_datetime"));
    for (const CaseClock& c : third.clocks) {
        if (c.run == ClockRun::counting)
            CHECK(requests[2]["expected_datetime"] == c.deadline.to_string());
    }

    // A filter narrows the requests.
    Open311ExportOptions only;
    only.filter.subtree = ws.hierarchy().view().at("371338102201002");
    CHECK(Json::parse(open311_requests(ws, only)).size() == 2);
}

TEST_CASE("open311 round trip: exported requests become the same cases in another workspace") {
    TempDir dir;
    Workspace a = village_workspace(dir.file("a.gridgov"));
    report_case(a, "371338102201001", "2026-03-02T09:00", "E0102");
    report_case(a, "371338102201002", "2026-03-03T14:15", "E0102");
    const std::string exported = open311_requests(a);

    Workspace b = village_workspace(dir.file("b.gridgov"));
    const Open311ImportReport r = import_open311_requests(b, exported, {}, "requests.json");
    REQUIRE(r.cases.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const CaseRecord from = a.cases().get(static_cast<CaseId>(i));
        const CaseRecord to = b.cases().get(r.cases[i]);
        CHECK(to.category == from.category);
        CHECK(b.hierarchy().view().code(to.node) == a.hierarchy().view().code(from.node));
        CHECK(to.reported_at == from.reported_at);
        CHECK(to.source == CaseSource::app);
        CHECK(to.state == from.state);
        CHECK(r.numbers[i] == to.number);
    }
    // Exporting b gives the same requests as a, field by field (the engine numbers the
    // cases again in the same order).
    CHECK(Json::parse(open311_requests(b)) == Json::parse(exported));

    // Persisted: the file holds both cases.
    const std::string path = b.path();
    { Workspace moved = std::move(b); }
    CHECK(Workspace::open(path).cases().size() == 2);

    // keep_ids keeps the numbers; the same numbers again are refused as a whole.
    Workspace c = village_workspace(dir.file("c.gridgov"));
    Open311ImportOptions keep;
    keep.keep_ids = true;
    const Open311ImportReport kept = import_open311_requests(c, exported, keep, "requests.json");
    CHECK(kept.numbers ==
          std::vector<std::string>{a.cases().get(0).number, a.cases().get(1).number});
    ErrorCode code{};
    const std::string message =
        error_of([&] { import_open311_requests(c, exported, keep, "requests.json"); }, code);
    CHECK(code == ErrorCode::already_exists);
    CHECK(message.find("requests.json: request[0]") == 0);
    CHECK(c.cases().size() == 2);
}

TEST_CASE("open311 import locates the node from lat/long and maps service codes") {
    TempDir dir;
    Workspace ws = village_workspace(dir.file("a.gridgov"));
    const std::string text = R"([
      {"service_code": "garbage", "lat": 35.05, "long": 118.35,
       "requested_datetime": "2026-03-02T01:00:00.123Z", "description": "路边垃圾",
       "media_url": "https://example.org/p/1.jpg", "service_request_id": "SR-1"},
      {"service_code": "E0102", "lat": "35.15", "long": "118.05"}
    ])";
    Open311ImportOptions options;
    options.service_map["garbage"] = "E0102";
    options.default_time = Instant::parse("2026-03-04T08:30");
    const Open311ImportReport r = import_open311_requests(ws, text, options, "in.json");
    REQUIRE(r.cases.size() == 2);
    const CaseRecord first = ws.cases().get(r.cases[0]);
    CHECK(ws.hierarchy().view().code(first.node) == "371338102201002");
    CHECK(first.category == "E0102");
    CHECK(first.reported_at == Instant::parse("2026-03-02T09:00"));
    const CaseEvent report_event = ws.cases().events(r.cases[0]).front();
    const Json payload = Json::parse(report_event.payload);
    CHECK(report_event.payload.find("SR-1") != std::string::npos);
    CHECK(report_event.payload.find("路边垃圾") != std::string::npos);
    CHECK(report_event.payload.find("https://example.org/p/1.jpg") != std::string::npos);
    const CaseRecord second = ws.cases().get(r.cases[1]);
    CHECK(ws.hierarchy().view().code(second.node) == "371338102201001");
    CHECK(second.reported_at == Instant::parse("2026-03-04T08:30"));

    // The object form with "service_requests" reads the same.
    const Open311ImportReport wrapped = import_open311_requests(
        ws, R"({"service_requests": [{"service_code": "E0102", "address_id": "371338102201001",
                                       "requested_datetime": "2026-03-05T09:00"}]})");
    CHECK(wrapped.cases.size() == 1);
}

TEST_CASE("open311 import errors name the request and the field, and import nothing") {
    TempDir dir;
    Workspace ws = village_workspace(dir.file("a.gridgov"));
    const auto refused = [&](const std::string& text, ErrorCode expected,
                             const std::string& expected_text) {
        ErrorCode code{};
        const std::string message =
            error_of([&] { import_open311_requests(ws, text, {}, "req.json"); }, code);
        CHECK_MESSAGE(code == expected, message);
        CHECK_MESSAGE(message.find(expected_text) != std::string::npos, message);
        CHECK(ws.cases().size() == 0);
    };
    const std::string good =
        R"({"service_code": "E0102", "address_id": "371338102201001", "requested_datetime": "2026-03-02T09:00"})";
    refused("[" + good + ", {\"address_id\": \"371338102201001\"}]", ErrorCode::invalid_argument,
            "req.json: request[1]: field 'service_code' is required");
    refused("[" + good + R"(, {"service_code": "Z9999", "address_id": "371338102201001"}])",
            ErrorCode::not_found, "req.json: request[1]: field 'service_code': no category Z9999");
    refused("[" + good + R"(, {"service_code": "E0102", "address_id": "371338999"}])",
            ErrorCode::not_found,
            "req.json: request[1]: field 'address_id': no live node 371338999");
    refused("[" + good + R"(, {"service_code": "E0102", "lat": 10, "long": 10,
                              "requested_datetime": "2026-03-02T09:00"}])",
            ErrorCode::not_found, "req.json: request[1]: fields 'lat'/'long'");
    refused("[" + good + R"(, {"service_code": "E0102", "lat": 35.1}])",
            ErrorCode::invalid_argument, "req.json: request[1]: field 'long' is required");
    refused("[" + good + R"(, {"service_code": "E0102", "lat": "north", "long": 118.1}])",
            ErrorCode::invalid_argument, "req.json: request[1]: field 'lat' must be a number");
    refused("[" + good + R"(, {"service_code": "E0102", "address_id": "371338102201001",
                              "requested_datetime": "yesterday"}])",
            ErrorCode::invalid_argument, "req.json: request[1]: field 'requested_datetime'");
    refused("[" + good + R"(, {"service_code": "E0102", "address_id": "371338102201001",
                              "requested_datetime": "2026-03-02T25:00"}])",
            ErrorCode::invalid_argument,
            "req.json: request[1]: field 'requested_datetime': \"2026-03-02T25:00\" is not an "
            "ISO 8601 instant (expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]): hour 25");
    refused("[" + good + R"(, {"service_code": "E0102", "address_id": "371338102201001"}])",
            ErrorCode::invalid_argument,
            "req.json: request[1]: field 'requested_datetime' is required");
    refused("[" + good + ", 7]", ErrorCode::invalid_argument,
            "req.json: request[1]: a service request must be an object");
    refused("[" + good, ErrorCode::parse_error, "req.json: not valid JSON at line 1");
    refused("{\"requests\": []}", ErrorCode::invalid_argument, "req.json: expected an array");

    // A report the engine refuses (an actor who is not in the directory) rolls back the
    // whole batch.
    Open311ImportOptions person;
    person.actor = "P9999";
    ErrorCode code{};
    const std::string message = error_of(
        [&] { import_open311_requests(ws, "[" + good + ", " + good + "]", person, "req.json"); },
        code);
    CHECK(message.find("req.json: request[0]: ") == 0);
    CHECK(ws.cases().size() == 0);
    // The file too.
    const std::string path = ws.path();
    { Workspace moved = std::move(ws); }
    CHECK(Workspace::open(path).cases().size() == 0);
}
