// The libFuzzer entry of one target: GRIDGOV_FUZZ_TARGET names it (tests/fuzz/CMakeLists.txt
// builds one executable per target).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets.hpp"

#ifndef GRIDGOV_FUZZ_TARGET
#error "GRIDGOV_FUZZ_TARGET names the target this executable runs"
#endif

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    gridgov_fuzz::prepare(GRIDGOV_FUZZ_TARGET);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    gridgov_fuzz::run_target(GRIDGOV_FUZZ_TARGET,
                             std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
