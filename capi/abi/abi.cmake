# The C ABI baseline (included from tests/CMakeLists.txt when abidw and abidiff exist).
#
# capi/abi/gridgov.abi is abidw's description of libgridgov.so restricted to what the
# public headers declare. The test `abi` compares a fresh build with it (check.cmake):
# added functions and types pass, any change to a function or type already in the
# baseline fails. After adding functions, refresh the baseline with
#   cmake --build <build dir> --target gridgov_abi_baseline
# and commit capi/abi/gridgov.abi with the change (docs/c-api.md).

# Without debug information abidw sees symbols but no types, and a comparison would
# report every type as removed.
if(NOT CMAKE_BUILD_TYPE MATCHES "^(Debug|RelWithDebInfo)$")
    return()
endif()

set(GRIDGOV_ABI_BASELINE ${CMAKE_CURRENT_LIST_DIR}/gridgov.abi)
set(GRIDGOV_ABI_HEADER_DIRS ${PROJECT_SOURCE_DIR}/capi/include ${PROJECT_BINARY_DIR}/include)

# Only the exported functions and the types the public headers define are described;
# locations, build paths and DT_NEEDED entries are left out because they change with the
# machine and the dependencies, not with the ABI, and would make every refresh noisy.
set(_abidw_args --exported-interfaces-only --drop-private-types --no-corpus-path
    --no-comp-dir-path --short-locs --no-show-locs --no-elf-needed)
foreach(dir IN LISTS GRIDGOV_ABI_HEADER_DIRS)
    list(APPEND _abidw_args --headers-dir ${dir})
endforeach()
add_custom_target(gridgov_abi_baseline
    COMMAND ${GRIDGOV_ABIDW} ${_abidw_args} --out-file ${GRIDGOV_ABI_BASELINE}
            $<TARGET_FILE:gridgov_c>
    COMMENT "Writing the C ABI baseline capi/abi/gridgov.abi"
    VERBATIM)
add_dependencies(gridgov_abi_baseline gridgov_c)

add_test(NAME abi
    COMMAND ${CMAKE_COMMAND} -DABIDIFF=${GRIDGOV_ABIDIFF} -DBASELINE=${GRIDGOV_ABI_BASELINE}
            -DLIBRARY=$<TARGET_FILE:gridgov_c> "-DHEADER_DIRS=${GRIDGOV_ABI_HEADER_DIRS}"
            -P ${CMAKE_CURRENT_LIST_DIR}/check.cmake)
