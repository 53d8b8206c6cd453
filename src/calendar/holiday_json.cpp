#include "calendar/holiday_json.hpp"

#include "core/json_text.hpp"

#include <set>

#include <nlohmann/json.hpp>

namespace gridgov::detail {
namespace {

using nlohmann::json;

json parse_json(std::string_view text, std::string_view source) {
    return detail::parse_json_document<json>(text, source);
}

[[noreturn]] void bad_field(std::string_view source, const std::string& field,
                            const std::string& what) {
    throw Error(ErrorCode::invalid_argument, std::string(source) + ": " + field + ": " + what);
}

// The "days" array shared by year files and overrides.
std::vector<ListedDay> read_days(const json& doc, std::string_view source) {
    const auto it = doc.find("days");
    if (it == doc.end() || !it->is_array())
        bad_field(source, "days", "must be an array");
    std::vector<ListedDay> out;
    std::set<std::int32_t> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& entry = (*it)[i];
        const std::string where = "days[" + std::to_string(i) + "]";
        if (!entry.is_object())
            bad_field(source, where, "must be an object");
        const auto name = entry.find("name");
        const auto date = entry.find("date");
        const auto off = entry.find("isOffDay");
        if (name == entry.end() || !name->is_string()) {
            bad_field(source, where + ".name", "must be a string");
        }
        if (date == entry.end() || !date->is_string()) {
            bad_field(source, where + ".date", "must be a string YYYY-MM-DD");
        }
        if (off == entry.end() || !off->is_boolean()) {
            bad_field(source, where + ".isOffDay", "must be true or false");
        }
        ListedDay day;
        try {
            day.date = Date::parse(date->get<std::string>());
        } catch (const Error& e) {
            bad_field(source, where + ".date", e.what());
        }
        if (!seen.insert(day.date.days).second) {
            bad_field(source, where + ".date", day.date.to_string() + " is listed twice");
        }
        day.off_day = off->get<bool>();
        day.name = name->get<std::string>();
        out.push_back(std::move(day));
    }
    return out;
}

YearFile read_year_file(const json& doc, std::string source) {
    if (!doc.is_object())
        bad_field(source, "document", "must be a JSON object {year, papers, days}");
    YearFile file;
    const auto year = doc.find("year");
    if (year == doc.end() || !year->is_number_integer()) {
        bad_field(source, "year", "must be an integer");
    }
    file.year = year->get<int>();
    const Period span = WorkingCalendar::covered();
    if (file.year <= span.from.year() || file.year >= span.to.year()) {
        bad_field(source, "year",
                  std::to_string(file.year) + " is outside the years the calendar covers (" +
                      std::to_string(span.from.year() + 1) + "-" +
                      std::to_string(span.to.year() - 1) + ")");
    }
    const auto papers = doc.find("papers");
    if (papers == doc.end() || !papers->is_array()) {
        bad_field(source, "papers", "must be an array of strings");
    }
    for (const json& p : *papers) {
        if (!p.is_string())
            bad_field(source, "papers", "must be an array of strings");
        file.papers.push_back(p.get<std::string>());
    }
    file.days = read_days(doc, source);
    for (std::size_t i = 0; i < file.days.size(); ++i) {
        const int y = file.days[i].date.year();
        if (y < file.year - 1 || y > file.year + 1) {
            bad_field(source, "days[" + std::to_string(i) + "].date",
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
        bad_field(source, "document", "must be a JSON object {days}");
    std::vector<DayOverride> out;
    for (ListedDay& d : read_days(doc, source)) {
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
