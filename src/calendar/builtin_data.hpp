// The holiday table compiled into the library. The definitions are generated at build
// time from data/holiday-cn/*.json (see gen_holiday_data.cmake). Not installed.
#ifndef GRIDGOV_CALENDAR_BUILTIN_DATA_HPP
#define GRIDGOV_CALENDAR_BUILTIN_DATA_HPP

#include <cstddef>

namespace gridgov::detail {

/// One year file: its papers are builtin_papers[first_paper, first_paper + paper_count),
/// its listed days builtin_days[first_day, first_day + day_count).
struct BuiltinYear {
    int year;
    std::size_t first_paper;
    std::size_t paper_count;
    std::size_t first_day;
    std::size_t day_count;
};

/// One listed date, exactly as the file states it.
struct BuiltinDay {
    const char* date;  ///< "YYYY-MM-DD"
    bool off_day;
    const char* name;
};

extern const BuiltinYear builtin_years[];
extern const std::size_t builtin_year_count;
extern const char* const builtin_papers[];
extern const BuiltinDay builtin_days[];

}  // namespace gridgov::detail

#endif
