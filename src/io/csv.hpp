// RFC 4180 CSV: the one reader and writer of every CSV file gridgov reads or writes
// (hierarchy tables, activity records, directory tables, matter plans, score tables).
#ifndef GRIDGOV_SRC_IO_CSV_HPP
#define GRIDGOV_SRC_IO_CSV_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gridgov::detail {

/// How messages name a place in a CSV file. The workspace's files (hierarchy tables,
/// activity records) say "file a.csv, line 3, field 'name'"; the directory's tables and
/// the matter plans say "a.csv row 3 field 'name'". Both count physical lines from 1 (the
/// header), so a quoted cell that spans lines moves the next record's number on.
enum class CsvPlaces { file_line, source_row };

/// A CSV file's name as messages give it, and how they name its places.
struct CsvSource {
    std::string name;
    CsvPlaces places = CsvPlaces::file_line;

    /// "file a.csv, line 3" / "a.csv row 3".
    std::string at(std::size_t line) const;
    /// "file a.csv, line 3, field 'name'" / "a.csv row 3 field 'name'".
    std::string at(std::size_t line, std::string_view field) const;
};

/// One record and the physical line it starts on (1-based; a quoted cell may span lines).
struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

/// Splits UTF-8 CSV text into records, the header first. A leading byte-order mark is
/// skipped; CRLF, LF and a lone CR end a record; blank lines are skipped; a quoted cell
/// keeps its commas and line breaks, and "" inside it is one quote. Throws
/// Error(parse_error) naming the place (CsvSource::at) for a quoted cell that is not
/// closed (at the line it opens on), a quote inside an unquoted cell, text after a closing
/// quote, and a cell that is not UTF-8: that one names the field by the header's name of
/// its column ("column 2 (header)" for a header cell), with "; save the file as UTF-8".
std::vector<CsvRecord> read_csv(std::string_view text, const CsvSource& source);

/// Appends one cell to `out`, quoted when it contains a comma, a quote or a line break. A
/// cell a spreadsheet would run as a formula (two characters or more starting with '=',
/// '+', '-', '@', a tab or a carriage return, and not a plain number) is written with an
/// apostrophe before it, as is one starting with an apostrophe before such text; read_csv()
/// takes that apostrophe off, so a cell reads back as it was written.
void append_csv_cell(std::string& out, std::string_view cell);
/// Appends a whole record: the cells separated by commas, then "\n".
void append_csv_line(std::string& out, const std::vector<std::string>& cells);

/// Parses a decimal number (surrounding spaces and tabs allowed); nullopt unless the whole
/// text is one finite number.
std::optional<double> parse_number(std::string_view text);

/// Shortest text that reads back as exactly `value`; whole numbers print without a
/// fraction or exponent.
std::string format_number(double value);

}  // namespace gridgov::detail

#endif
