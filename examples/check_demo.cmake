# Runs gridgov_demo as a test: cmake -DDEMO=<program> -DWORKSPACE=<file> -P check_demo.cmake
#
# The demo must run to its last section, print a line of each section, and write the
# responsibility chart beside the workspace. The year of matters is generated first with
# examples/make_sample_year.py; no plan step may be refused, the log must verify, and the
# edited copy of the workspace must be caught. Run with a data folder that does not exist,
# it must fail and leave no workspace file behind.
foreach(var DEMO WORKSPACE)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_demo.cmake: -D${var}=... is required")
    endif()
endforeach()

get_filename_component(dir "${WORKSPACE}" DIRECTORY)
get_filename_component(stem "${WORKSPACE}" NAME_WE)
set(chart "${dir}/${stem}-chart.html")
set(edited "${dir}/${stem}-edited.gridgov")
file(REMOVE "${WORKSPACE}" "${chart}" "${edited}")

# The year of matters: generated into the build folder (the files are not in the tree).
set(year "${dir}/sample-year")
if(EXISTS /usr/bin/python3)
    set(python /usr/bin/python3)
else()
    set(python python3)
endif()
execute_process(COMMAND "${python}" "${CMAKE_CURRENT_LIST_DIR}/make_sample_year.py" "${year}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "make_sample_year.py failed (${status}):\n${out}${err}")
endif()

# A wrong data folder: an error, and nothing created.
execute_process(COMMAND "${DEMO}" "${WORKSPACE}" --data "${dir}/no-such-folder"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
    message(FATAL_ERROR "gridgov_demo succeeded with a missing data folder:\n${out}")
endif()
if(NOT err MATCHES "no-such-folder/county\\.json")
    message(FATAL_ERROR "gridgov_demo did not name the missing file:\n${err}")
endif()
if(EXISTS "${WORKSPACE}" OR EXISTS "${chart}")
    message(FATAL_ERROR "gridgov_demo left ${WORKSPACE} behind after failing")
endif()

execute_process(COMMAND "${DEMO}" "${WORKSPACE}" --year "${year}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "gridgov_demo failed (${status}):\n${err}")
endif()
# One line of each section, the last section last.
set(expected
    "hierarchy\\.sizing +warning +371338102206002"
    "records\\.json: [0-9]+ records, 3 findings"
    "苇川县 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+"
    "P[0-9]+ read it in clear \\(id_number, phone\\) for 入户走访核对; access log entry 1, hash [0-9a-f]+…, chain intact"
    "records\\.rented_without_tenants +H37133800100100101"
    "records\\.credit_code +U371338001002003"
    "四实 collection quality, 2026-09 苇川县 四实督查 \\(100 houses drawn"
    "苇川县 +100 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ % +[0-9.]+ %"
    "overlay\\.gap: 371338001009002"
    "\\[4\\] 青石村第一网格: 网格信息员 A [^ ]+ on leave \\(探亲\\) 09-28–10-08 → 网格信息员 B [^ ]+ answers"
    "directory\\.max_primary_grids +error +P0190"
    "wrote [^\n]*${stem}-chart\\.html"
    "G0302 代办服务 +5 working days +2026-10-13 周二 16:30 +10-01–10-07 国庆节, 10-11 weekend +10-10 国庆节"
    "E0102 暴露垃圾 +4 working hours +2026-02-14 周六 11:00"
    "sample-year/matters\\.csv: [0-9]+ matters, [0-9]+ steps"
    "[0-9]+ steps accepted, refused steps: 0;"
    "青石镇 青石村 +[0-9]+ +[0-9·]+"
    "城关街道 第十一网区 +[0-9]+ +[0-9·]+"
    "苇川县 total +[0-9]+"
    "township_six_step 乡镇网格化服务管理六步闭环 +[0-9]+ +[0-9]+ +[0-9.]+ %"
    "urban_seven_step 数字化城市管理七步闭环 +[0-9]+ +[0-9]+ +[0-9.]+ %"
    "verify_log: ok, [0-9]+ events checked, head event [0-9]+ hash [0-9a-f]+"
    "verify_log on the copy: caught, content_changed at event [0-9]+ of case 2026-[0-9]+"
    "assessed  every month of 2026: [0-9]+ scores stored with their explanations, [0-9]+ rule flags, 12 inspection draws"
    "网格员月度考核 \\(grid_worker\\), 2026-12"
    "数字城管区域综合指标 \\(urban_region\\), 2026-12"
    "数字城管专业部门综合指标 \\(urban_department\\), 2026-12"
    "2026-07 +[^ ]+ +连续三月不达标，作出辞退建议 \\(3 months\\)"
    "2026-12 +seed 20260012 +re-run ✓ +[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+\n"
    "wrote +[^\n]*report\\.html"
    "event log verified +yes, head [0-9a-f]+"
    "inspection draws recorded +12")
foreach(pattern IN LISTS expected)
    if(NOT out MATCHES "${pattern}")
        message(FATAL_ERROR "gridgov_demo's output lacks a line matching\n  ${pattern}\n"
                            "output:\n${out}")
    endif()
endforeach()
file(SIZE "${chart}" size)
if(size LESS 1000)
    message(FATAL_ERROR "the chart ${chart} is ${size} bytes")
endif()
file(READ "${chart}" head LIMIT 64)
if(NOT head MATCHES "^<!DOCTYPE html>")
    message(FATAL_ERROR "the chart ${chart} does not start as an HTML page: ${head}")
endif()
# report.html: one self-contained page with the data island the browser test reads.
get_filename_component(report "${WORKSPACE}" DIRECTORY)
set(report "${report}/report.html")
file(READ "${report}" page)
foreach(part "<!DOCTYPE html>" "id=\"gridgov-data\"" "grid_worker" "urban_region"
             "urban_department" "2026-12")
    string(FIND "${page}" "${part}" at)
    if(at LESS 0)
        message(FATAL_ERROR "${report} lacks ${part}")
    endif()
endforeach()
if(page MATCHES "https?://")
    message(FATAL_ERROR "${report} refers to the network")
endif()
if(NOT EXISTS "${edited}")
    message(FATAL_ERROR "gridgov_demo did not write the edited copy ${edited}")
endif()
message(STATUS "gridgov_demo: every section printed, chart ${chart} (${size} bytes)")
