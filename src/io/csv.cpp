#include "io/csv.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "core/text.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail {
namespace {

[[noreturn]] void csv_error(const CsvSource& source, std::size_t line, const std::string& what) {
    throw Error(ErrorCode::parse_error, source.at(line) + ": " + what);
}

// Every cell must be UTF-8; the header names the field of a bad cell.
void check_utf8(const std::vector<CsvRecord>& records, const CsvSource& source) {
    for (std::size_t r = 0; r < records.size(); ++r) {
        const std::vector<std::string>& cells = records[r].cells;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (!utf8_error_offset(cells[c]))
                continue;
            // A bad header cell, or one under a bad header cell, is named by its position.
            const std::vector<std::string>& header = records.front().cells;
            const bool named = r > 0 && c < header.size() && is_utf8(header[c]);
            const std::string place =
                named ? source.at(records[r].line, header[c])
                      : source.at(records[r].line) +
                            (source.places == CsvPlaces::file_line ? ", " : " ") + "column " +
                            std::to_string(c + 1) + " (header)";
            throw Error(ErrorCode::parse_error, place + ": " +
                                                    *text_problem(cells[c], TextKind::free) +
                                                    "; save the file as UTF-8");
        }
    }
}

// A cell a spreadsheet would take for a formula: two characters or more starting with '=',
// '+', '-', '@', a tab or a carriage return, and not a plain number ("-3.5").
bool formula_like(std::string_view cell) {
    if (cell.size() < 2)
        return false;
    const char c = cell.front();
    if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r')
        return false;
    return !parse_number(cell);
}

// Whether a cell is written with an apostrophe before it (and read back without): a
// formula-like cell, also after apostrophes it already starts with, so that reading undoes
// writing exactly.
bool guarded_cell(std::string_view cell) {
    const std::size_t text = cell.find_first_not_of('\'');
    return text != std::string_view::npos && formula_like(cell.substr(text));
}

}  // namespace

std::string CsvSource::at(std::size_t line) const {
    if (places == CsvPlaces::file_line)
        return "file " + name + ", line " + std::to_string(line);
    return name + " row " + std::to_string(line);
}

std::string CsvSource::at(std::size_t line, std::string_view field) const {
    return at(line) + (places == CsvPlaces::file_line ? ", " : " ") + "field '" +
           std::string(field) + "'";
}

std::vector<CsvRecord> read_csv(std::string_view text, const CsvSource& source) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);

    std::vector<CsvRecord> records;
    CsvRecord record;
    std::string cell;
    std::size_t line = 1;
    std::size_t opened = 0;  // the line the open quoted cell started on
    record.line = 1;
    bool quoted = false;      // inside a quoted cell
    bool was_quoted = false;  // the current cell had quotes; only a separator may follow
    bool cell_started = false;

    const auto end_cell = [&] {
        if (!cell.empty() && cell.front() == '\'' && guarded_cell(std::string_view(cell).substr(1)))
            cell.erase(0, 1);  // an apostrophe written before a formula-like cell
        record.cells.push_back(std::move(cell));
        cell.clear();
        was_quoted = false;
        cell_started = false;
    };
    const auto end_record = [&] {
        end_cell();
        const bool blank = record.cells.size() == 1 && record.cells[0].empty();
        if (!blank)
            records.push_back(std::move(record));
        record = CsvRecord{};
        record.line = line;
    };

    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    i += 2;
                } else {
                    quoted = false;
                    ++i;
                }
                continue;
            }
            if (c == '\n')
                ++line;
        } else if (c == ',') {
            end_cell();
            ++i;
            continue;
        } else if (c == '\n' || c == '\r') {
            i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
            ++line;
            end_record();
            continue;
        } else if (was_quoted) {
            csv_error(source, line, "text after the closing quote of a cell");
        } else if (c == '"') {
            if (cell_started)
                csv_error(source, line, "a quote inside an unquoted cell");
            quoted = true;
            was_quoted = true;
            cell_started = true;
            opened = line;
            ++i;
            continue;
        }
        cell += c;
        cell_started = true;
        ++i;
    }
    if (quoted)
        csv_error(source, opened, "a quoted cell is not closed");
    if (cell_started || !record.cells.empty())
        end_record();
    check_utf8(records, source);
    return records;
}

void append_csv_cell(std::string& out, std::string_view cell) {
    std::string guarded;
    if (guarded_cell(cell)) {
        // Neutralised for spreadsheets: '=HYPERLINK(...)' stays text (read_csv drops the
        // apostrophe again).
        guarded = "'";
        guarded.append(cell);
        cell = guarded;
    }
    if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(cell);
        return;
    }
    out += '"';
    for (const char c : cell) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void append_csv_line(std::string& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        append_csv_cell(out, cells[i]);
    }
    out += '\n';
}

std::optional<double> parse_number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.empty())
        return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::string format_number(double value) {
    char buf[64];
    // Whole numbers (counts, square metres) print as integers, never as 1.5e+08.
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(value));
        return std::string(buf, r.ptr);
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, r.ptr);
}

}  // namespace gridgov::detail
