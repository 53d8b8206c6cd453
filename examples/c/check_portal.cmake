# Runs gridgov_portal as a test: cmake -DPORTAL=<program> -DDATA=<examples/data> -P check_portal.cmake
#
# The portal must exit 0 and print the set-up, the refusal, the route, every transition
# its observer saw, the handling clock turning from green through yellow to red, the
# intact log and the trace of the first case. With a data folder that does not exist it
# must fail and name the missing file.
foreach(var PORTAL DATA)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check_portal.cmake: -D${var}=... is required")
    endif()
endforeach()

execute_process(COMMAND "${PORTAL}" "${DATA}/no-such-folder"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
    message(FATAL_ERROR "gridgov_portal succeeded with a missing data folder:\n${out}")
endif()
if(NOT err MATCHES "no-such-folder/county\\.json")
    message(FATAL_ERROR "gridgov_portal did not name the missing file:\n${err}")
endif()

execute_process(COMMAND "${PORTAL}" "${DATA}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "gridgov_portal failed (${status}):\n${out}\n${err}")
endif()
set(expected
    "hierarchy: 87 nodes imported from county\\.json"
    "directory: 204 people, [0-9]+ units, [0-9]+ assignments, [0-9]+ absences"
    "grid workers' reports run township_six_step"
    "check: P0004 may not file: [^\n]*needs role service_centre_staff[^\n]*\\[permission denied\\]"
    "menu of P0201: file void"
    "route: D-HW-QS"
    "#1 2026-000001 report +\\(new\\) +-> reported +by P0004 at 2026-03-02 09:00"
    "#3 2026-000001 dispatch +filed +-> dispatched +by P0201 at 2026-03-02 09:30"
    "#4 2026-000001 accept +dispatched +-> handling +by P0202 at 2026-03-02 09:45"
    "clock at 2026-03-02T11:00: deadline 2026-03-02 15:30, light green, 90 of 240"
    "clock at 2026-03-02T15:00: deadline 2026-03-02 15:30, light yellow, 210 of 240"
    "clock at 2026-03-02T16:00: deadline 2026-03-02 15:30, light red, 270 of 240"
    "#8 2026-000001 archive +closed +-> archived +by \\(system\\) at 2026-03-02 17:00"
    "#12 2026-000002 accept +dispatched +-> handling +by P0202 at 2026-03-03 10:40"
    "case 2026-000001: state archived \\(closed\\), department D-HW-QS, 8 events"
    "clock at 2026-03-03T15:00: deadline 2026-03-03 16:30, light green, 150 of 240"
    "log: intact, 12 events checked"
    "trace of 2026-000001: reported > filed > dispatched > handling > checking > evaluating > closed > archived"
    "observer: 12 events")
foreach(pattern IN LISTS expected)
    if(NOT out MATCHES "${pattern}")
        message(FATAL_ERROR "gridgov_portal's output lacks a line matching\n  ${pattern}\n"
                            "output:\n${out}")
    endif()
endforeach()
message(STATUS "gridgov_portal: the case went round the six steps, 12 events observed")
