#include "calendar/holiday_json.hpp"

#include "core/json_text.hpp"
#include "io/json_fields.hpp"

#include <set>

#include <nlohmann/json.hpp>

namespace gridgov::detail {
namespace {

using nlohmann::json;

json parse_json(std::string_view text, std::string_view source) {
    return detail::parse_json_document<json>(text, source);
}

[[noreturn]] void not_an_object(std::string_view source, const char* members) {
    throw Error(ErrorCode::invalid_argument,
                std::string(source) + ": must be a JSON object " + members);
}

// The "days" array shared by year files and overrides.
std::vector<ListedDay> read_days(const json& doc, const std::string& source) {
    const json& days = *json_array(doc, "days", source, true);
    std::vector<ListedDay> out;
    std::set<std::int32_t> seen;
    for (std::size_t i = 0; i < days.size(); ++i) {
        const json& entry = days[i];
        const std::string where = source + " days[" + std::to_string(i) + "]";
        json_require_object(entry, where);
        const json& name = *json_field(entry, "name", JsonType::string, where, true);
        const json& date = *json_field(entry, "date", JsonType::string, where, true);
        const json& off = *json_field(entry, "isOffDay", JsonType::boolean, where, true);
        ListedDay day;
        try {
            day.date = Date::parse(date.get<std::string>());
        } catch (const Error& e) {
            field_error(ErrorCode::invalid_argument, where, "date", e.what());
        }
        if (!seen.insert(day.date.days).second) {
            field_error(ErrorCode::invalid_argument, where, "date",
                        day.date.to_string() + " is listed twice");
        }
        day.off_day = off.get<bool>();
        day.name = name.get<std::string>();
        out.push_back(std::move(day));
    }
    return out;
}

YearFile read_year_file(const json& doc, std::string source) {
    if (!doc.is_object())
        not_an_object(source, "{year, papers, days}");
    YearFile file;
    const std::int64_t year =
        json_field(doc, "year", JsonType::integer, source, true)->get<std::int64_t>();
    const Period span = WorkingCalendar::covered();
    if (year <= span.from.year() || year >= span.to.year()) {
        field_error(ErrorCode::invalid_argument, source, "year",
                    std::to_string(year) + " is outside the years the calendar covers (" +
                        std::to_string(span.from.year() + 1) + "-" +
                        std::to_string(span.to.year() - 1) + ")");
    }
    file.year = static_cast<int>(year);
    json_array(doc, "papers", source, true);
    file.papers = json_strings(doc, "papers", source);
    file.days = read_days(doc, source);
    for (std::size_t i = 0; i < file.days.size(); ++i) {
        const int y = file.days[i].date.year();
        if (y < file.year - 1 || y > file.year + 1) {
            field_error(ErrorCode::invalid_argument, source + " days[" + std::to_string(i) + "]",
                        "date",
                        file.days[i].date.to_string() + " is not near the file's year " +
                            std::to_string(file.year));
        }
    }
    file.source = std::move(source);
    return file;
}

}  // namespace

std::vector<YearFile> parse_year_files(std::string_view text, std::string_view source) {
    const json doc = parse_json(text, source);
    std::vector<YearFile> files;
    if (doc.is_array()) {
        for (std::size_t i = 0; i < doc.size(); ++i) {
            files.push_back(
                read_year_file(doc[i], std::string(source) + "[" + std::to_string(i) + "]"));
        }
    } else {
        files.push_back(read_year_file(doc, std::string(source)));
    }
    return files;
}

std::vector<DayOverride> parse_overrides(std::string_view text, std::string_view source) {
    const json doc = parse_json(text, source);
    if (!doc.is_object())
        not_an_object(source, "{days}");
    std::vector<DayOverride> out;
    for (ListedDay& d : read_days(doc, std::string(source))) {
        out.push_back(DayOverride{d.date, d.off_day, std::move(d.name)});
    }
    return out;
}

bool lists_spring_festival(const YearFile& file) {
    for (const ListedDay& d : file.days) {
        if (d.off_day && d.name == "春节" && d.date.year() == file.year)
            return true;
    }
    return false;
}

}  // namespace gridgov::detail
