// The hierarchy CSV table (docs/formats.md).
#include <array>
#include <string>
#include <unordered_map>

#include "io/csv.hpp"
#include "workspace/hierarchy_file.hpp"

namespace gridgov::detail {
namespace {

enum Column : std::size_t {
    code_column,
    parent_column,
    level_column,
    name_column,
    kind_column,
    area_type_column,
    area_class_column,
    households_column,
    population_column,
    area_column,
    known_columns
};

constexpr std::array<const char*, known_columns> column_names{
    "code",      "parent_code", "level",      "name",       "kind",
    "area_type", "area_class",  "households", "population", "area_m2"};

constexpr std::size_t absent = static_cast<std::size_t>(-1);

}  // namespace

ParsedHierarchyFile parse_hierarchy_csv(std::string_view text, const std::string& source) {
    ParsedHierarchyFile out;
    out.location = FileLocation{source, true};
    const FileLocation& loc = out.location;

    const std::vector<CsvRecord> records = read_csv(text, CsvSource{source});
    if (records.empty()) {
        throw Error(ErrorCode::invalid_argument, loc.at("") + ": no header row");
    }
    const CsvRecord& header = records.front();
    const std::string header_row = "line " + std::to_string(header.line);

    // Where each known column sits (absent when the header lacks it), and the attributes.
    std::array<std::size_t, known_columns> position;
    position.fill(absent);
    std::vector<std::pair<std::string, std::size_t>> attributes;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < header.cells.size(); ++i) {
        const std::string& name = header.cells[i];
        const std::string column_label = "column " + std::to_string(i + 1);
        if (name.empty()) {
            throw Error(ErrorCode::invalid_argument,
                        loc.at(header_row) + ", " + column_label + ": empty column name");
        }
        if (!seen.emplace(name, i).second) {
            throw Error(ErrorCode::invalid_argument,
                        loc.at(header_row, name) + ": the column appears twice");
        }
        std::size_t known = absent;
        for (std::size_t k = 0; k < known_columns; ++k) {
            if (name == column_names[k])
                known = k;
        }
        if (known != absent) {
            position[known] = i;
        } else if (is_reserved_column(name)) {
            throw Error(ErrorCode::invalid_argument,
                        loc.at(header_row, name) +
                            ": not a column of the CSV format (the parent's code goes in "
                            "parent_code; geometry only in JSON)");
        } else {
            attributes.emplace_back(name, i);
        }
    }
    for (const std::size_t required : {code_column, level_column, name_column}) {
        if (position[required] == absent) {
            throw Error(
                ErrorCode::invalid_argument,
                loc.at(header_row) + ": missing required column '" + column_names[required] + "'");
        }
    }

    out.levels = std::nullopt;
    out.nodes.reserve(records.size() - 1);
    out.node_rows.reserve(records.size() - 1);
    for (std::size_t r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records[r];
        const std::string row = "line " + std::to_string(record.line);
        if (record.cells.size() != header.cells.size()) {
            throw Error(ErrorCode::invalid_argument,
                        loc.at(row) + ": " + std::to_string(record.cells.size()) +
                            " cells, the header has " + std::to_string(header.cells.size()) +
                            " columns");
        }
        const auto cell = [&](Column c) -> const std::string& {
            static const std::string empty;
            return position[c] == absent ? empty : record.cells[position[c]];
        };
        const auto required = [&](Column c) -> const std::string& {
            const std::string& v = cell(c);
            if (v.empty()) {
                throw Error(ErrorCode::invalid_argument,
                            loc.at(row, column_names[c]) + ": missing value");
            }
            return v;
        };
        const auto number = [&](const std::string& v, std::string_view column) {
            if (v.empty())
                return missing_value;
            const auto parsed = parse_number(v);
            if (!parsed) {
                throw Error(ErrorCode::invalid_argument,
                            loc.at(row, column) + ": '" + v + "' is not a number");
            }
            return *parsed;
        };

        NodeSpec s;
        s.code = required(code_column);
        s.parent_code = cell(parent_column);
        s.level = required(level_column);
        s.name = required(name_column);
        try {
            if (!cell(kind_column).empty())
                s.kind = parse_grid_kind(cell(kind_column));
        } catch (const Error& e) {
            throw Error(e.code(), loc.at(row, "kind") + ": " + e.what());
        }
        try {
            s.area_type = parse_area_type(cell(area_type_column));
        } catch (const Error& e) {
            throw Error(e.code(), loc.at(row, "area_type") + ": " + e.what());
        }
        s.area_class = cell(area_class_column);
        s.households = number(cell(households_column), "households");
        s.population = number(cell(population_column), "population");
        s.area_m2 = number(cell(area_column), "area_m2");
        for (const auto& [name, index] : attributes) {
            const std::string& v = record.cells[index];
            if (!v.empty())
                s.attributes.emplace_back(name, number(v, name));
        }
        out.nodes.push_back(std::move(s));
        out.node_rows.push_back(row);
    }
    return out;
}

std::string hierarchy_to_csv(const Hierarchy& h) {
    const std::vector<std::string> names = h.column_names();
    std::vector<const std::vector<double>*> columns;
    for (const std::string& name : names)
        columns.push_back(&h.column(name));

    // Attribute columns without a single live value would read back as no column at all.
    std::vector<std::size_t> attribute_columns;
    for (std::size_t c = 3; c < names.size(); ++c) {
        for (const NodeId id : h.preorder()) {
            if (!is_missing((*columns[c])[id])) {
                attribute_columns.push_back(c);
                break;
            }
        }
    }

    std::string out;
    for (std::size_t k = 0; k < known_columns; ++k) {
        if (k > 0)
            out += ',';
        out += column_names[k];
    }
    for (const std::size_t c : attribute_columns) {
        out += ',';
        append_csv_cell(out, names[c]);
    }
    out += '\n';

    const auto value = [&](std::size_t c, NodeId id) {
        const double v = (*columns[c])[id];
        if (!is_missing(v))
            out += format_number(v);
    };
    for (const NodeId id : h.preorder()) {
        const NodeId parent = h.parent(id);
        append_csv_cell(out, h.code(id));
        out += ',';
        if (parent != no_node)
            append_csv_cell(out, h.code(parent));
        out += ',';
        append_csv_cell(out, h.levels()[static_cast<std::size_t>(h.level(id))].key);
        out += ',';
        append_csv_cell(out, h.name(id));
        out += ',';
        out += grid_kind_name(h.kind(id));
        out += ',';
        out += area_type_name(h.area_type(id));
        out += ',';
        append_csv_cell(out, h.area_class(id));
        for (std::size_t c = 0; c < 3; ++c) {
            out += ',';
            value(c, id);
        }
        for (const std::size_t c : attribute_columns) {
            out += ',';
            value(c, id);
        }
        out += '\n';
    }
    return out;
}

}  // namespace gridgov::detail
