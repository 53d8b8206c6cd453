// The fuzz targets of gridgov (libFuzzer, clang): every importer and parser that reads
// text a deployment does not control. A target takes one input and calls the parser; a
// gridgov::Error is the expected answer to bad input, anything else that leaves the
// parser (another exception, a crash, a sanitizer report, a hang) is a finding. Targets
// that import into a workspace also check that a refused import changed nothing.
//
// tests/fuzz/README.md: how to run them, the seed corpus, turning a finding into a
// regression input.
#ifndef GRIDGOV_TESTS_FUZZ_TARGETS_HPP
#define GRIDGOV_TESTS_FUZZ_TARGETS_HPP

#include <string_view>

namespace gridgov_fuzz {

/// Runs target `name` on one input. Aborts (a finding) when a property fails; an unknown
/// name aborts too.
void run_target(std::string_view name, std::string_view input);

/// Makes what target `name` reads into (the workspace files of the import targets) before
/// the first input, so that no input's time includes it.
void prepare(std::string_view name);

}  // namespace gridgov_fuzz

#endif
