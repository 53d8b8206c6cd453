// Private helpers of the report page (src/report).
#ifndef GRIDGOV_SRC_REPORT_REPORT_IMPL_HPP
#define GRIDGOV_SRC_REPORT_REPORT_IMPL_HPP

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gridgov/report.hpp"

namespace gridgov::detail {

/// The text with every run of digits that looks like a mobile phone number (11 digits,
/// 13x-19x) or a valid 居民身份证号 masked (mask_phone, mask_id_number).
std::string mask_personal(std::string_view s);
/// mask_personal(), then HTML-escaped (& < > " ').
std::string html_text(std::string_view s);
/// The two charts the page draws for a scheme: the mean total per peer group, and the
/// total per subject (drawn as small multiples).
std::vector<TrendChart> scheme_charts(const ReportData& data, const SchemeSection& section);
/// One row of the light board as the page's data island and light_board_json() have it
/// (names and parents masked).
nlohmann::ordered_json board_row_json(const BoardRow& r);
/// Adds the counts of `row` (cases, open, lights, overdue, closures, voided) to `total`.
void add_counts(BoardRow& total, const BoardRow& row);

}  // namespace gridgov::detail

#endif
