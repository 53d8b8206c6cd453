// Reading the holiday-cn JSON format (year files and local overrides). Not installed.
#ifndef GRIDGOV_CALENDAR_HOLIDAY_JSON_HPP
#define GRIDGOV_CALENDAR_HOLIDAY_JSON_HPP

#include <string>
#include <string_view>
#include <vector>

#include "gridgov/calendar.hpp"
#include "gridgov/core.hpp"

namespace gridgov::detail {

/// One listed date as a file states it.
struct ListedDay {
    Date date;
    bool off_day = false;
    std::string name;
};

/// One year file, checked for shape: dates parse, none is listed twice, each lies in the
/// file's year or the year before or after (notices reach into the neighbouring Decembers).
struct YearFile {
    int year = 0;
    std::vector<std::string> papers;
    std::vector<ListedDay> days;
    std::string source;  ///< names the file in error messages
};

/// A year file or a JSON array of year files; throws Error(parse_error) for malformed
/// JSON, Error(invalid_argument) naming source, field and value otherwise.
std::vector<YearFile> parse_year_files(std::string_view json, std::string_view source);

/// {"days": [...]} with optional "year" and "papers": local overrides.
std::vector<DayOverride> parse_overrides(std::string_view json, std::string_view source);

/// The rule that makes a year file count as published (see YearInfo::published).
bool lists_spring_festival(const YearFile& file);

}  // namespace gridgov::detail

#endif
