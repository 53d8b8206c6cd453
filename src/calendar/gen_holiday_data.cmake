# Turns the holiday-cn year files into the calendar's built-in table (a C++ source file).
# Run at build time:  cmake -DDATA_DIR=<folder of YYYY.json> -DOUTPUT=<file.cpp> -P gen_holiday_data.cmake
#
# The script only transcribes and checks the shape of the files; deciding what a file means
# (which dates are working days, whether its year counts as published) is left to the
# library, so that built-in data and data loaded at run time follow one code path.
cmake_minimum_required(VERSION 3.25)

if(NOT DATA_DIR OR NOT OUTPUT)
    message(FATAL_ERROR "gen_holiday_data.cmake needs -DDATA_DIR=... and -DOUTPUT=...")
endif()

# C++ string literal for arbitrary UTF-8 text from the data.
function(cxx_literal out text)
    string(REPLACE "\\" "\\\\" text "${text}")
    string(REPLACE "\"" "\\\"" text "${text}")
    set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()

file(GLOB year_files "${DATA_DIR}/[0-9][0-9][0-9][0-9].json")
list(SORT year_files)
if(NOT year_files)
    message(FATAL_ERROR "no year files (YYYY.json) in ${DATA_DIR}")
endif()

set(years "")
set(days "")
set(papers "")
set(day_index 0)
set(paper_index 0)
foreach(path IN LISTS year_files)
    get_filename_component(stem "${path}" NAME_WE)
    file(READ "${path}" doc)
    string(JSON year ERROR_VARIABLE err GET "${doc}" year)
    if(err)
        message(FATAL_ERROR "${path}: field 'year': ${err}")
    endif()
    if(NOT year STREQUAL stem)
        message(FATAL_ERROR "${path}: field 'year' is ${year}, the file name says ${stem}")
    endif()
    string(JSON paper_count ERROR_VARIABLE err LENGTH "${doc}" papers)
    if(err)
        message(FATAL_ERROR "${path}: field 'papers': ${err}")
    endif()
    string(JSON day_count ERROR_VARIABLE err LENGTH "${doc}" days)
    if(err)
        message(FATAL_ERROR "${path}: field 'days': ${err}")
    endif()

    set(first_paper ${paper_index})
    if(paper_count GREATER 0)
        math(EXPR last "${paper_count} - 1")
        foreach(i RANGE ${last})
            string(JSON url GET "${doc}" papers ${i})
            cxx_literal(lit "${url}")
            string(APPEND papers "    ${lit},\n")
            math(EXPR paper_index "${paper_index} + 1")
        endforeach()
    endif()

    set(first_day ${day_index})
    if(day_count GREATER 0)
        math(EXPR last "${day_count} - 1")
        foreach(i RANGE ${last})
            string(JSON entry GET "${doc}" days ${i})
            string(JSON date ERROR_VARIABLE err GET "${entry}" date)
            if(err OR NOT date MATCHES "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$")
                message(FATAL_ERROR "${path}: days[${i}].date is not YYYY-MM-DD: '${date}'")
            endif()
            string(JSON off ERROR_VARIABLE err GET "${entry}" isOffDay)
            if(err OR NOT (off STREQUAL "ON" OR off STREQUAL "OFF"))
                message(FATAL_ERROR "${path}: days[${i}].isOffDay is not a boolean")
            endif()
            string(JSON name ERROR_VARIABLE err GET "${entry}" name)
            if(err)
                message(FATAL_ERROR "${path}: days[${i}].name: ${err}")
            endif()
            if(off STREQUAL "ON")
                set(off_value true)
            else()
                set(off_value false)
            endif()
            cxx_literal(name_lit "${name}")
            string(APPEND days "    {\"${date}\", ${off_value}, ${name_lit}},\n")
            math(EXPR day_index "${day_index} + 1")
        endforeach()
    endif()
    string(APPEND years
        "    {${year}, ${first_paper}, ${paper_count}, ${first_day}, ${day_count}},\n")
endforeach()

# An empty array is not valid C++: keep one sentinel entry that no year refers to.
if(paper_index EQUAL 0)
    set(papers "    \"\",\n")
endif()
if(day_index EQUAL 0)
    set(days "    {\"1970-01-01\", false, \"\"},\n")
endif()

set(text "// Generated at build time by src/calendar/gen_holiday_data.cmake from
// src/calendar/data/holiday-cn/*.json (holiday-cn, MIT licence). Do not edit.
#include \"calendar/builtin_data.hpp\"

namespace gridgov::detail {

const BuiltinYear builtin_years[] = {
${years}};
const std::size_t builtin_year_count = sizeof builtin_years / sizeof builtin_years[0];

const char* const builtin_papers[] = {
${papers}};

const BuiltinDay builtin_days[] = {
${days}};

}  // namespace gridgov::detail
")

file(WRITE "${OUTPUT}" "${text}")
