# cmake -DABIDIFF=<abidiff> -DBASELINE=<gridgov.abi> -DLIBRARY=<libgridgov.so>
#       -DHEADER_DIRS=<dir;dir> -P check.cmake
#
# Compares the library with the stored baseline. abidiff's exit status is a bit set:
# 1 = the tool failed, 2 = usage error, 4 = the ABIs differ, 8 = the difference is known
# to be incompatible (a removed function). Added functions and types are filtered out
# (--no-added-syms), and so is a member appended to a versioned struct (abidiff counts
# it harmless), so what is left in bit 4 is a change to an interface that already
# existed: a parameter or field whose type changed is reported with bit 4 alone, and it
# breaks callers as surely as a removal does. Both bits fail the check.
foreach(var IN ITEMS ABIDIFF BASELINE LIBRARY HEADER_DIRS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check.cmake needs -D${var}=...")
    endif()
endforeach()
if(NOT EXISTS "${BASELINE}")
    message(FATAL_ERROR "no C ABI baseline at ${BASELINE}; "
                        "write one with: cmake --build <build dir> --target gridgov_abi_baseline")
endif()

set(header_args)
foreach(dir IN LISTS HEADER_DIRS)
    list(APPEND header_args --headers-dir2 ${dir})
endforeach()
execute_process(
    COMMAND ${ABIDIFF} --no-added-syms --exported-interfaces-only --drop-private-types
            --no-show-locs ${header_args} ${BASELINE} ${LIBRARY}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE report
    ERROR_VARIABLE report)
if(NOT status MATCHES "^[0-9]+$")
    message(FATAL_ERROR "abidiff did not run: ${status}\n${report}")
endif()

math(EXPR tool_error "${status} & 3")
math(EXPR broken "${status} & 12")
if(tool_error)
    message(FATAL_ERROR "abidiff failed (exit status ${status}):\n${report}")
elseif(broken)
    message(FATAL_ERROR
        "the C ABI differs from capi/abi/gridgov.abi in an existing interface "
        "(abidiff exit status ${status}).\n"
        "Functions are only ever added: restore the old declaration and add a _v2 instead "
        "(docs/c-api.md).\n${report}")
endif()
message(STATUS "the C ABI keeps every interface of capi/abi/gridgov.abi")
