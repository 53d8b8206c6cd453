#include "store/copy.hpp"

#include <algorithm>
#include <optional>
#include <regex>

#include "store/schema.hpp"

namespace gridgov::detail {

const std::vector<std::string>& workspace_tables() {
    static const std::vector<std::string> tables = [] {
        std::vector<std::string> out;
        const std::regex create(R"(CREATE TABLE (\w+))");
        for (const Migration& m : migrations()) {
            const std::string sql = m.sql;
            for (std::sregex_iterator it(sql.begin(), sql.end(), create), end; it != end; ++it) {
                // A table a later migration made anew (case_events) is copied once.
                if (std::find(out.begin(), out.end(), (*it)[1].str()) == out.end())
                    out.push_back((*it)[1].str());
            }
        }
        return out;
    }();
    return tables;
}

std::int64_t copy_tables(Db& from, Db& to,
                         const std::function<void(const std::string&, std::int64_t)>& progress) {
    std::int64_t total = 0;
    for (const std::string& table : workspace_tables()) {
        // The tables read in insertion order (the activity records) are read so here too:
        // both databases keep that order as `rowid`.
        const bool ordered = table.rfind("activity_", 0) == 0;
        Statement read =
            from.prepare("SELECT * FROM " + table + (ordered ? " ORDER BY rowid" : ""));
        std::optional<Statement> write;
        std::vector<int> columns;  // of `read`, without PostgreSQL's rowid column
        std::vector<ColumnValue> row;
        std::int64_t rows = 0;
        while (read.step()) {
            if (!write) {
                std::string names;
                std::string values;
                for (int c = 0; c < read.column_count(); ++c) {
                    const std::string name = read.column_name(c);
                    if (name == "rowid")
                        continue;
                    columns.push_back(c);
                    names += (names.empty() ? "" : ", ") + name;
                    values += values.empty() ? "?" : ", ?";
                }
                write.emplace(to.prepare("INSERT INTO " + table + " (" + names + ") VALUES (" +
                                         values + ")"));
            }
            Statement& w = *write;
            w.reset();
            row.clear();  // bound without copying: kept until the row is written
            for (const int c : columns)
                row.push_back(read.value(c));
            for (std::size_t i = 0; i < row.size(); ++i)
                w.bind_value(static_cast<int>(i) + 1, row[i]);
            w.run();
            ++rows;
        }
        total += rows;
        if (progress)
            progress(table, rows);
    }
    return total;
}

}  // namespace gridgov::detail
