#include "directory/text_io.hpp"

#include "core/json_text.hpp"
#include "core/text.hpp"
#include "directory/directory_impl.hpp"

namespace gridgov::detail {

void field_error(ErrorCode code, const std::string& where, std::string_view field,
                 const std::string& problem) {
    throw Error(code, where + " field " + quote(field) + ": " + problem);
}

Json parse_json(std::string_view text, std::string_view source_name) {
    return detail::parse_json_document<Json>(text, source_name);
}

std::string json_string(const Json& object, const char* field, const std::string& where,
                        bool required) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null()) {
        if (required)
            field_error(ErrorCode::invalid_argument, where, field, "missing");
        return {};
    }
    if (!it->is_string())
        field_error(ErrorCode::invalid_argument, where, field, "not a string");
    std::string value = it->get<std::string>();
    if (required && value.empty())
        field_error(ErrorCode::invalid_argument, where, field, "empty");
    return value;
}

std::vector<std::string> json_strings(const Json& object, const char* field,
                                      const std::string& where) {
    std::vector<std::string> out;
    const auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return out;
    if (!it->is_array()) {
        field_error(ErrorCode::invalid_argument, where, field, "not an array of strings");
    }
    for (const Json& v : *it) {
        if (!v.is_string()) {
            field_error(ErrorCode::invalid_argument, where, field, "not an array of strings");
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

Date text_date(std::string_view text, Date fallback, const std::string& where,
               std::string_view field) {
    if (text.empty())
        return fallback;
    try {
        return Date::parse(text);
    } catch (const Error& e) {
        field_error(ErrorCode::invalid_argument, where, field, e.what());
    }
}

Date json_date(const Json& object, const char* field, const std::string& where, Date fallback) {
    const auto it = object.find(field);
    if (it == object.end() || it->is_null())
        return fallback;
    if (!it->is_string()) {
        field_error(ErrorCode::invalid_argument, where, field, "not a date string (YYYY-MM-DD)");
    }
    return text_date(it->get<std::string>(), fallback, where, field);
}

Json json_date_value(Date d) {
    const std::string s = date_text(d);
    if (s.empty())
        return nullptr;
    return s;
}

std::vector<CsvRecord> read_csv(std::string_view text, std::string_view source_name) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::vector<CsvRecord> records;
    std::size_t line = 1;
    std::size_t i = 0;
    while (i < text.size()) {
        CsvRecord rec;
        rec.line = line;
        std::string field;
        bool end_of_record = false;
        while (!end_of_record) {
            if (i < text.size() && text[i] == '"') {
                const std::size_t opened = line;
                ++i;
                for (;;) {
                    if (i >= text.size()) {
                        throw Error(ErrorCode::parse_error, std::string(source_name) + " row " +
                                                                std::to_string(opened) +
                                                                ": unterminated quoted field");
                    }
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < text.size() && text[i] == '"') {
                            field += '"';
                            ++i;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n')
                            ++line;
                        field += c;
                    }
                }
            }
            while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                field += text[i++];
            }
            rec.fields.push_back(std::move(field));
            field.clear();
            if (i >= text.size()) {
                end_of_record = true;
            } else if (text[i] == ',') {
                ++i;
            } else {
                if (text[i] == '\r')
                    ++i;
                if (i < text.size() && text[i] == '\n')
                    ++i;
                ++line;
                end_of_record = true;
            }
        }
        const bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
        if (!blank)
            records.push_back(std::move(rec));
    }
    // Every cell must be UTF-8; the header names the field of a bad cell.
    for (std::size_t r = 0; r < records.size(); ++r) {
        const std::vector<std::string>& fields = records[r].fields;
        for (std::size_t c = 0; c < fields.size(); ++c) {
            if (is_utf8(fields[c]))
                continue;
            const std::vector<std::string>& header = records.front().fields;
            const bool named = r > 0 && c < header.size() && is_utf8(header[c]);
            const std::string field = named ? "field " + quote(header[c])
                                            : "column " + std::to_string(c + 1) + " (header)";
            throw Error(ErrorCode::parse_error,
                        std::string(source_name) + " row " + std::to_string(records[r].line) + " " +
                            field + ": " + *text_problem(fields[c], TextKind::free) +
                            "; save the file as UTF-8");
        }
    }
    return records;
}

void csv_field(std::string& out, std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += value;
        return;
    }
    out += '"';
    for (char c : value) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void csv_line(std::string& out, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0)
            out += ',';
        csv_field(out, values[i]);
    }
    out += '\n';
}

}  // namespace gridgov::detail
