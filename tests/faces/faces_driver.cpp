// The C++ face of tests/faces: the use cases the four faces share, called through the C++
// API and printed as the JSON the other faces give, so the test can compare them field by
// field.
//
//   faces_driver import WS FILE [OPTIONS_JSON]
//   faces_driver board WS AT LEVEL SCOPE
//   faces_driver board-geojson WS AT LEVEL SCOPE
//   faces_driver assess WS SCHEME_FILE PERIOD DEFAULT_AREA_CLASS STORE(0|1) LEVEL|CODE,CODE...
//   faces_driver open311 WS services|requests [JURISDICTION]
//   faces_driver records WS FILE KIND EFFECTIVE ON: imports a records file, then prints
//     {"import", "export" (revealed JSON), "roll_up" (KIND over every live node), "findings"}
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gridgov/assessment.hpp"
#include "gridgov/import.hpp"
#include "gridgov/open311.hpp"
#include "gridgov/report.hpp"
#include "gridgov/workspace.hpp"

namespace {

using Json = nlohmann::ordered_json;

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        out.push_back(item);
    return out;
}

gridgov::LightBoardOptions board_options(char** argv) {
    gridgov::LightBoardOptions o;
    o.level = argv[4];
    o.scope = argv[5];
    return o;
}

int run(int argc, char** argv) {
    const std::string what = argc > 2 ? argv[1] : "";
    if (what == "import" && (argc == 4 || argc == 5)) {
        gridgov::Workspace ws = gridgov::Workspace::open(argv[2]);
        const gridgov::FileImportOptions options =
            argc == 5 ? gridgov::FileImportOptions::from_json(argv[4])
                      : gridgov::FileImportOptions{};
        std::cout << gridgov::import_file(ws, argv[3], options).to_json() << '\n';
        return 0;
    }
    if ((what == "board" || what == "board-geojson") && argc == 6) {
        const gridgov::Workspace ws = gridgov::Workspace::open(argv[2], {false, true});
        const gridgov::LightBoard board =
            gridgov::light_board(ws, gridgov::Instant::parse(argv[3]), board_options(argv));
        std::cout << (what == "board" ? gridgov::light_board_json(board)
                                      : gridgov::light_board_geojson(ws, board))
                  << '\n';
        return 0;
    }
    if (what == "assess" && argc == 8) {
        gridgov::Workspace ws = gridgov::Workspace::open(argv[2]);
        const gridgov::AssessmentScheme scheme =
            gridgov::AssessmentScheme::from_json(read_text(argv[3]), argv[3]);
        gridgov::WorkspaceAssessOptions o;
        o.default_area_class = argv[5];
        o.store = std::string(argv[6]) == "1";
        const std::string select = argv[7];
        if (select.find(',') != std::string::npos)
            o.subjects = split(select);
        else
            o.level = select;
        const gridgov::AssessmentRun r =
            ws.assessment().assess(scheme, gridgov::AssessmentPeriod::parse(argv[4]), o);
        Json j;
        j["scores"] = Json::parse(gridgov::scores_to_json(r.scores));
        Json flags = Json::array();
        for (const gridgov::RuleFlag& f : r.flags)
            flags.push_back(Json::parse(gridgov::rule_flag_to_json(f)));
        j["flags"] = std::move(flags);
        std::cout << j.dump() << '\n';
        return 0;
    }
    if (what == "records" && argc == 7) {
        gridgov::Workspace ws = gridgov::Workspace::open(argv[2]);
        const gridgov::RecordImportReport report =
            ws.records().import_file(argv[3], argv[4], gridgov::Date::parse(argv[5]));
        const auto finding_json = [](const gridgov::Finding& f) {
            return Json{{"rule", f.rule},
                        {"severity", gridgov::severity_name(f.severity)},
                        {"where", f.where},
                        {"message", f.message}};
        };
        Json out = Json::object();
        Json imported = {{"added", report.added},
                         {"changed", report.changed},
                         {"unchanged", report.unchanged},
                         {"findings", Json::array()}};
        for (const gridgov::Finding& f : report.findings)
            imported["findings"].push_back(finding_json(f));
        out["import"] = imported;
        out["export"] = Json::parse(ws.records().export_text(
            gridgov::RecordReader::system_read("faces", gridgov::Reveal::revealed),
            gridgov::DocumentFormat::json, ""));
        const gridgov::Hierarchy& h = ws.hierarchy().view();
        const std::vector<double> totals = ws.records().roll_up(argv[4]);
        Json roll_up = Json::object();
        for (gridgov::NodeId n : h.preorder())
            roll_up[h.code(n)] = totals[n];
        out["roll_up"] = roll_up;
        out["findings"] = Json::array();
        for (const gridgov::Finding& f : ws.records().validate(gridgov::Date::parse(argv[6])))
            out["findings"].push_back(finding_json(f));
        std::cout << out.dump() << '\n';
        return 0;
    }
    if (what == "open311" && (argc == 4 || argc == 5)) {
        const gridgov::Workspace ws = gridgov::Workspace::open(argv[2], {false, true});
        if (std::string(argv[3]) == "services") {
            std::cout << gridgov::open311_services(ws.cases().categories()) << '\n';
        } else {
            gridgov::Open311ExportOptions o;
            o.jurisdiction_id = argc == 5 ? argv[4] : "";
            std::cout << gridgov::open311_requests(ws, o) << '\n';
        }
        return 0;
    }
    std::cerr << "usage: faces_driver import|board|board-geojson|assess|open311 ...\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const gridgov::Error& e) {
        std::cerr << e.what() << '\n';
        return 3;
    }
}
