// RFC 4180 CSV reading and writing for gridgov's file formats.
#ifndef GRIDGOV_SRC_WORKSPACE_CSV_HPP
#define GRIDGOV_SRC_WORKSPACE_CSV_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridgov::detail {

/// One record and the physical line it starts on (1-based; a quoted cell may span lines).
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

/// Splits UTF-8 CSV text into records. A leading byte-order mark is skipped, CRLF and LF
/// both end a record, and blank lines are skipped. Throws Error(parse_error) naming
/// `source` and the line for an unterminated quote, a quote inside an unquoted cell, text
/// after a closing quote, or a cell that is not UTF-8 (naming its column too).
std::vector<CsvRecord> read_csv(std::string_view text, const std::string& source);

/// Throws Error(parse_error) "file <source>, line <n>, field '<column>': not UTF-8 ..."
/// for the first cell that is not UTF-8 (checked with detail::utf8_error_offset); the
/// first record is the header that names the columns.
void check_csv_utf8(const std::vector<CsvRecord>& records, const std::string& source);

/// Appends one cell to `out`, quoted when it contains a comma, a quote or a line break.
void append_csv_cell(std::string& out, std::string_view cell);

/// Parses a decimal number (surrounding spaces allowed); nullopt unless the whole text is
/// one finite number.
std::optional<double> parse_number(std::string_view text);

/// Shortest text that reads back as exactly `value`; whole numbers print without a
/// fraction or exponent.
std::string format_number(double value);

}  // namespace gridgov::detail

#endif
