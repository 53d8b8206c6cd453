// The demo's assessment year (demo_assessment.cpp).
#ifndef GRIDGOV_EXAMPLES_DEMO_ASSESSMENT_HPP
#define GRIDGOV_EXAMPLES_DEMO_ASSESSMENT_HPP

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>

namespace demo {

/// What the assessment year did, for the closing summary.
struct AssessmentYear {
    std::size_t activity_records = 0;
    std::size_t scores = 0;
    std::size_t flags = 0;
    std::size_t draws = 0;
    bool log_ok = false;
    std::size_t cases = 0;
    std::uint64_t events = 0;
    std::string head_hash;
    double seconds = 0;
};

/// Imports the year's activity records from `year` into the workspace file, assesses
/// every month of 2026 with the grid_worker, urban_region and urban_department presets,
/// records the monthly draws, prints the rankings of December, the flags and some draws,
/// and writes `report` (report.html) and December's public notice beside it.
AssessmentYear assess_year(std::ostream& out, const std::string& workspace,
                           const std::filesystem::path& year, const std::filesystem::path& report);

}  // namespace demo

#endif
